// Switching writes under load: the legacy app (MySQL) behind the routing middleware, the new app
// (Postgres) behind the shim, a client registering users all along. Writes are refused for a moment,
// none is lost, the way back carries Postgres writes to MySQL, and rollback ends in parity.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, test } from 'vitest';
import mysql from 'mysql2/promise';
import { startShoppers, startSwitchRig, type SwitchRig } from '../../scripts/bench/switch-rig.js';
import { prepareBackends, type Backends } from '../app/fixture.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';

const FLAG_CACHE_MS = 200;
let backends: Backends;
let rig: SwitchRig;

beforeAll(async () => {
  backends = await prepareBackends('sync-switch');
  rig = await startSwitchRig({ mysqlUrl: backends.mysql.url, postgresUrl: backends.postgres.url, flagCacheMs: FLAG_CACHE_MS });
});

afterAll(async () => {
  await rig?.close();
  const conn = await mysql.createConnection({ uri: backends.mysql.url });
  // The change table is shared by every database on the server: only this one's rows go.
  await conn.query('DELETE FROM markethub_sync.changes WHERE db = DATABASE()').catch(() => {});
  await conn.end();
  await backends?.close();
});

async function emailsIn(backend: 'mysql' | 'postgres', emails: string[]): Promise<number> {
  const sequelize = backends[backend].sequelize;
  const [rows] = await sequelize.query(`SELECT count(*) AS n FROM users WHERE email IN (${emails.map(() => '?').join(', ')})`, { replacements: emails });
  return Number((rows as { n: number | string }[])[0].n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function appTriggerBodies(): Promise<unknown[]> {
  const [rows] = await backends.mysql.sequelize.query(
    "SELECT TRIGGER_NAME AS name, ACTION_ORDER AS position, ACTION_STATEMENT AS body FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME NOT LIKE 'markethub\\_sync\\_%' ORDER BY TRIGGER_NAME",
  );
  return rows;
}

let originalTriggers: unknown[];

test('switch-writes under load refuses writes briefly and loses none; the way back and rollback end in parity', { timeout: 240_000 }, async () => {
  const { source, target } = { source: backends.mysql.url, target: backends.postgres.url };
  originalTriggers = await appTriggerBodies();
  assert.equal(originalTriggers.length, 2);
  const follower = spawn(process.execPath, [CLI_PATH, 'migrate', 'sync', '--source', source, '--target', target, '--poll-ms', '50', '--json']);
  let followerOut = '';
  follower.stdout.on('data', (d) => (followerOut += d));
  let followerErr = '';
  follower.stderr.on('data', (d) => (followerErr += d));
  const followerExit = new Promise<number | null>((resolve) => follower.on('close', resolve));

  // Switch once the follower applies (holds its lock): a follower still starting would find the switch holding it.
  const pgAdmin = backends.postgres.sequelize;
  for (let waited = 0; ; waited += 100) {
    const [[held]] = await pgAdmin.query(
      "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.application_name = 'markethub'",
    ) as [{ n: number }[], unknown];
    if (held.n > 0) break;
    assert.ok(waited < 60_000, `the follower did not start: ${followerErr}`);
    await sleep(100);
  }
  const shoppers = startShoppers(rig.frontUrl, { prefix: 'switch' });
  await sleep(1500);
  // A record left by an earlier switch of a database of the same name must not make the way back skip changes.
  const admin = await mysql.createConnection({ uri: source });
  await admin.query("INSERT INTO markethub_sync.applied_batches (db, change_ids) VALUES (DATABASE(), '[\"1\",\"2\",\"3\"]')");
  await admin.end();
  const switched = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--switch-writes', '--flag-cache-ms', String(FLAG_CACHE_MS), '--json']);
  assert.equal(switched.code, 0, switched.stderr);
  const report = JSON.parse(switched.stdout);
  assert.deepEqual(report.steps.map((s: { name: string }) => s.name), ['take over', 'catch up', 'capture', 'freeze', 'drain', 'verify', 'identities', 'switch']);
  assert.ok(report.writesRefusedSeconds < 5, `writes refused for ${report.writesRefusedSeconds} s`);
  await sleep(1500);
  await shoppers.stop();

  assert.equal(await followerExit, 0, `the follower hands over and ends cleanly: ${followerErr}`);
  assert.equal(JSON.parse(followerOut).follow.stoppedBy, 'handover');
  const emails = shoppers.acknowledged.map((a) => a.email);
  const onNew = shoppers.acknowledged.filter((a) => a.side === 'new').length;
  assert.ok(onNew > 0 && onNew < emails.length, `${onNew} of ${emails.length} writes answered by the new backend`);
  assert.ok(shoppers.refusals.length > 0, 'writes were refused during the switch');
  const refusedFor = (Math.max(...shoppers.refusals) - Math.min(...shoppers.refusals)) / 1000;
  assert.ok(refusedFor < 5, `clients saw refusals over ${refusedFor} s`);
  assert.equal(await emailsIn('postgres', emails), emails.length, 'every acknowledged write is in Postgres');

  // A user registered on Postgres gets the next id, not one MySQL handed out.
  const [[newest]] = await backends.postgres.sequelize.query('SELECT max(id) AS id FROM users') as [{ id: number }[], unknown];
  const [[legacyMax]] = await backends.mysql.sequelize.query('SELECT max(id) AS id FROM users') as [{ id: number }[], unknown];
  assert.ok(Number(newest.id) > Number(legacyMax.id));

  // Writes are on Postgres now: the app's own writes there fire the translated triggers.
  const pgApp = backends.postgres.sequelize;
  const [[product]] = await pgApp.query('SELECT id, stock FROM products WHERE stock > 5 ORDER BY id LIMIT 1') as [{ id: number; stock: number }[], unknown];
  const [[order]] = await pgApp.query("SELECT id FROM orders WHERE status <> 'shipped' AND shipped_at IS NULL ORDER BY id LIMIT 1") as [{ id: number }[], unknown];
  await pgApp.query("INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents) VALUES (?, ?, 'trigger probe', 2, 100)", { replacements: [order.id, product.id] });
  await pgApp.query("UPDATE orders SET status = 'shipped' WHERE id = ?", { replacements: [order.id] });
  const [[fired]] = await pgApp.query('SELECT (SELECT stock FROM products WHERE id = ?) AS stock, (SELECT shipped_at IS NOT NULL FROM orders WHERE id = ?) AS shipped', { replacements: [product.id, order.id] }) as [{ stock: number; shipped: boolean }[], unknown];
  assert.deepEqual(fired, { stock: product.stock - 2, shipped: true }, 'order_items_after_insert and orders_before_update ran on Postgres');

  // The way back: Postgres writes reach MySQL.
  const reverse = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--reverse', '--until-caught-up', '--json']);
  assert.equal(reverse.code, 0, reverse.stderr);
  const back = JSON.parse(reverse.stdout);
  assert.ok(back.follow.changes > 0);
  assert.ok(back.notes.some((n: string) => /^MySQL triggers skip the rows written back .*order_items\.order_items_after_insert/.test(n)), JSON.stringify(back.notes));
  assert.equal(await emailsIn('mysql', emails), emails.length, 'every acknowledged write is in MySQL too');
  // The writer-back's session skips MySQL's triggers; every other session fires them as before.
  const probe = await mysql.createConnection({ uri: source });
  const stockOf = async () => Number(((await probe.query('SELECT stock FROM products WHERE id = ?', [product.id]))[0] as { stock: number }[])[0].stock);
  const before = await stockOf();
  // Rolled back: the probe leaves the rows as sync wrote them.
  await probe.query('START TRANSACTION');
  await probe.query("INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents) VALUES (?, ?, 'probe', 1, 100)", [order.id, product.id]);
  assert.equal(await stockOf(), before - 1, 'an ordinary session fires order_items_after_insert');
  await probe.query('SET @markethub_sync_applying = 1');
  await probe.query("INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents) VALUES (?, ?, 'probe', 1, 100)", [order.id, product.id]);
  assert.equal(await stockOf(), before - 1, "the writer-back's session does not");
  await probe.query('ROLLBACK');
  await probe.end();
  const [[legacyStock]] = await backends.mysql.sequelize.query('SELECT stock FROM products WHERE id = ?', { replacements: [product.id] }) as [{ stock: number }[], unknown];
  assert.equal(legacyStock.stock, product.stock - 2, "MySQL's trigger does not take the stock off a second time on the row written back");

  const status = await runCli(['cutover', 'status', '--target', target]);
  assert.match(status.stdout, /Sync forward: not running/);
  assert.match(status.stdout, /Sync reverse: /);

  // Rollback without the source would leave Postgres writes behind: refused.
  const blind = await runCli(['cutover', 'rollback', '--target', target]);
  assert.equal(blind.code, 1);
  assert.match(blind.stderr, /--source/);

  const more = startShoppers(rig.frontUrl, { prefix: 'after-switch', concurrency: 2 });
  await sleep(500);
  const rolledBack = await runCli(['cutover', 'rollback', '--target', target, '--source', source, '--flag-cache-ms', String(FLAG_CACHE_MS)]);
  assert.equal(rolledBack.code, 0, rolledBack.stderr);
  await sleep(500);
  await more.stop();
  const state = await rig.store.status();
  assert.deepEqual([state.state.percentage, state.state.writes, state.state.frozen], [0, false, false]);
  const all = [...emails, ...more.acknowledged.map((a) => a.email)];
  assert.equal(await emailsIn('mysql', all), all.length, 'no write lost on the way back');
  assert.ok(more.acknowledged.some((a) => a.side === 'legacy'), 'writes go to legacy again');

  // Legacy writes after the rollback are captured again for the next attempt.
  const forward = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--until-caught-up']);
  assert.equal(forward.code, 0, forward.stderr);
  const verified = await runCli(['migrate', 'verify', '--source', source, '--target', target, '--json']);
  const parity = JSON.parse(verified.stdout);
  assert.deepEqual(parity.differences, []);
  assert.ok(parity.tables.every((t: { status: string }) => t.status === 'ok'), JSON.stringify(parity.tables.filter((t: { status: string }) => t.status !== 'ok')));

  const removed = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--remove-capture', '--json']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.ok(JSON.parse(removed.stdout).notes.some((n: string) => n.startsWith('MySQL triggers put back as they were: ')));
  assert.deepEqual(await appTriggerBodies(), originalTriggers, 'the app\'s MySQL triggers are back byte for byte, in their order');
});
