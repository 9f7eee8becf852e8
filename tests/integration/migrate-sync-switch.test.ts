// Switching writes under load: the legacy app (MySQL) behind the routing middleware, the new app
// (Postgres) behind the shim, a client registering users all along. Writes are refused for a moment,
// none is lost, the way back carries Postgres writes to MySQL, and rollback ends in parity.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import express from 'express';
import { toVercel } from '../../shim/index.js';
import { cutoverMiddleware, frozenWritesGuard, SIDE_HEADER, type CutoverMiddleware } from '../../src/cutover/middleware.js';
import { CutoverStore } from '../../src/cutover/store.js';
import { prepareBackends, type Backends } from '../app/fixture.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';

const FLAG_CACHE_MS = 200;
let backends: Backends;
let routingStore: CutoverStore;
let middleware: CutoverMiddleware;
let frontUrl: string;
const servers: http.Server[] = [];

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  backends = await prepareBackends('sync-switch');
  routingStore = await CutoverStore.open(backends.postgres.url, { cacheMs: FLAG_CACHE_MS });
  // The new backend reads the same flag: called directly, it refuses writes while frozen too.
  const fresh = async () => (await routingStore.state()).frozen;
  const newApp = express().use(frozenWritesGuard(fresh, FLAG_CACHE_MS)).use(backends.postgres.app);
  const newUrl = await listen(toVercel(newApp));
  middleware = cutoverMiddleware({ store: routingStore, newBackend: newUrl, statsFlushMs: 60_000 });
  frontUrl = await listen(express().use(middleware).use(backends.mysql.app));
});

after(async () => {
  await middleware?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await routingStore?.close();
  const [conn] = [await import('mysql2/promise').then((m) => m.createConnection({ uri: backends.mysql.url }))];
  await conn.query('DELETE FROM markethub_sync.changes WHERE db = DATABASE()').catch(() => {});
  await conn.end();
  await backends?.close();
});

interface Shopper {
  acknowledged: { email: string; side: string }[];
  refusals: number[];
  stop(): Promise<void>;
}

/** Clients registering users through the legacy front, retrying a refused write shortly after. */
function startShoppers(prefix: string, concurrency = 4): Shopper {
  const shopper: Shopper = { acknowledged: [], refusals: [], stop: async () => {} };
  let running = true;
  let serial = 0;
  const client = async () => {
    while (running) {
      const email = `${prefix}-${++serial}@example.com`;
      for (;;) {
        const res = await fetch(`${frontUrl}/api/auth/register`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'correct horse battery', firstName: 'Switch' }),
        });
        const body = await res.text();
        if (res.status === 201) {
          shopper.acknowledged.push({ email, side: res.headers.get(SIDE_HEADER) ?? '?' });
          break;
        }
        assert.equal(res.status, 503, `register ${email}: ${res.status} ${body}`);
        assert.ok(Number(res.headers.get('retry-after')) > 0);
        shopper.refusals.push(Date.now());
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  shopper.stop = async () => {
    running = false;
    await Promise.all(clients);
  };
  return shopper;
}

async function emailsIn(backend: 'mysql' | 'postgres', emails: string[]): Promise<number> {
  const sequelize = backends[backend].sequelize;
  const [rows] = await sequelize.query(`SELECT count(*) AS n FROM users WHERE email IN (${emails.map(() => '?').join(', ')})`, { replacements: emails });
  return Number((rows as { n: number | string }[])[0].n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('switch-writes under load refuses writes briefly and loses none; the way back and rollback end in parity', { timeout: 240_000 }, async () => {
  const { source, target } = { source: backends.mysql.url, target: backends.postgres.url };
  const follower = spawn(process.execPath, [CLI_PATH, 'migrate', 'sync', '--source', source, '--target', target, '--poll-ms', '50', '--json']);
  let followerOut = '';
  follower.stdout.on('data', (d) => (followerOut += d));
  let followerErr = '';
  follower.stderr.on('data', (d) => (followerErr += d));
  const followerExit = new Promise<number | null>((resolve) => follower.on('close', resolve));

  const shoppers = startShoppers('switch');
  await sleep(1500);
  const switched = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--switch-writes', '--flag-cache-ms', String(FLAG_CACHE_MS), '--json']);
  assert.equal(switched.code, 0, switched.stderr);
  const report = JSON.parse(switched.stdout);
  assert.deepEqual(report.steps.map((s: { name: string }) => s.name), ['take over', 'catch up', 'freeze', 'drain', 'verify', 'identities', 'capture', 'switch']);
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

  // The way back: Postgres writes reach MySQL.
  const reverse = await runCli(['migrate', 'sync', '--source', source, '--target', target, '--reverse', '--until-caught-up', '--json']);
  assert.equal(reverse.code, 0, reverse.stderr);
  assert.ok(JSON.parse(reverse.stdout).follow.changes > 0);
  assert.equal(await emailsIn('mysql', emails), emails.length, 'every acknowledged write is in MySQL too');

  const status = await runCli(['cutover', 'status', '--target', target]);
  assert.match(status.stdout, /Sync forward: not running/);
  assert.match(status.stdout, /Sync reverse: /);

  // Rollback without the source would leave Postgres writes behind: refused.
  const blind = await runCli(['cutover', 'rollback', '--target', target]);
  assert.equal(blind.code, 1);
  assert.match(blind.stderr, /--source/);

  const more = startShoppers('after-switch', 2);
  await sleep(500);
  const rolledBack = await runCli(['cutover', 'rollback', '--target', target, '--source', source, '--flag-cache-ms', String(FLAG_CACHE_MS)]);
  assert.equal(rolledBack.code, 0, rolledBack.stderr);
  await sleep(500);
  await more.stop();
  const state = await routingStore.status();
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
});
