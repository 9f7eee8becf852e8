// `migrate sync` forward against the real MariaDB and Postgres: a shop writing while sync follows, the
// rows changed between the copy and the start of capture, a follower killed mid-stream, and bad input.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, test } from 'vitest';
import { runShopWriter } from '../../scripts/bench/shop-writer.js';
import { seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('sync');
  target = await freshPostgres('sync');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(migrated.code, 0, migrated.stderr);
});

afterAll(async () => {
  // The change table is shared by every database on the server: only this one's rows go.
  await source?.conn.query('DELETE FROM markethub_sync.changes WHERE db = ?', [source.name]).catch(() => {});
  await source?.drop();
  await target?.drop();
});

function startFollower(): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> } {
  const child = spawn(process.execPath, [CLI_PATH, 'migrate', 'sync', '--source', source.url, '--target', target.url, '--poll-ms', '50', '--json']);
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout })));
  return { child, exited };
}

async function appliedChanges(): Promise<number> {
  const { rows } = await target.client.query<{ n: string }>("SELECT coalesce(sum(cardinality(change_ids)), 0) AS n FROM markethub_migrate.sync_batches");
  return Number(rows[0].n);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('sync follows 2,000 mixed writes, survives kill -9 mid-stream, and verify finds parity', { timeout: 180_000 }, async () => {
  // Changed after the copy and before capture began: found by comparison when sync starts.
  await source.conn.query("UPDATE users SET first_name = 'Changed in the gap' WHERE id = 2");
  await source.conn.query('DELETE FROM order_items WHERE id = 1');

  let follower = startFollower();
  await waitFor(async () => (await appliedChanges()) >= 2, 30_000, 'the gap to be applied');
  const { rows: [gap] } = await target.client.query("SELECT first_name FROM users WHERE id = 2");
  assert.equal(gap.first_name, 'Changed in the gap');

  const stock = async () => {
    const [rows] = await source.conn.query('SELECT CAST(SUM(stock) AS SIGNED) AS n FROM products');
    const { rows: [pgRow] } = await target.client.query('SELECT sum(stock)::int AS n FROM products');
    return { mysql: Number((rows as { n: number }[])[0].n), postgres: Number(pgRow.n) };
  };
  const stockBefore = await stock();
  const writer = runShopWriter({ url: source.url, operations: 2000, perSecond: 400, seed: 7 });
  await waitFor(async () => (await appliedChanges()) > 400, 60_000, 'sync to apply some of the writes');
  follower.child.kill('SIGKILL');
  assert.equal((await follower.exited).signal, 'SIGKILL');
  follower = startFollower();
  const wrote = await writer;
  assert.equal(wrote.operations, 2000);
  assert.ok(wrote.inserts > 0 && wrote.updates > 0 && wrote.deletes > 0, JSON.stringify(wrote));

  await waitFor(async () => {
    const [rows] = await source.conn.query('SELECT COUNT(*) AS n FROM markethub_sync.changes WHERE db = ?', [source.name]);
    return Number((rows as { n: number }[])[0].n) === 0;
  }, 60_000, 'sync to catch up');
  follower.child.kill('SIGINT');
  const stopped = await follower.exited;
  assert.equal(stopped.code, 0);
  const report = JSON.parse(stopped.stdout);
  assert.equal(report.follow.stoppedBy, 'signal');
  assert.ok(report.follow.lag.p95 >= 0 && report.follow.lag.max >= report.follow.lag.p95);

  // Exactly once: no captured change is in two batches.
  const { rows: [once] } = await target.client.query('SELECT count(*)::int AS all, count(DISTINCT id)::int AS distinct FROM (SELECT unnest(change_ids) AS id FROM markethub_migrate.sync_batches) c');
  assert.equal(once.all, once.distinct);

  // MySQL's order_items_after_insert took stock off; sync brought the stock over, and the translated trigger did not take it off again.
  const stockAfter = await stock();
  assert.ok(stockAfter.mysql < stockBefore.mysql, JSON.stringify({ stockBefore, stockAfter }));
  assert.equal(stockAfter.postgres, stockAfter.mysql, 'no trigger effect applied twice');

  const verified = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
  const parity = JSON.parse(verified.stdout);
  assert.deepEqual(parity.differences, []);
  assert.ok(parity.tables.every((t: { status: string }) => t.status === 'ok'), JSON.stringify(parity.tables.filter((t: { status: string }) => t.status !== 'ok')));
  assert.deepEqual(parity.schemaProblems, [], 'identities are kept ahead of every MySQL id');
  assert.equal(verified.code, 0, verified.stderr);

  // A re-run with nothing pending stops at once.
  const again = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--until-caught-up', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).follow.changes, 0);
});

test('a row that now points at a parent changed after it arrives with that parent, however small the batch', { timeout: 60_000 }, async () => {
  // Capture is on (installed here when this test runs alone) and nothing is pending.
  const before = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--until-caught-up', '--json']);
  assert.equal(before.code, 0, before.stderr);
  // An anonymous session, then a new user, then the session logs in: the session's change comes first,
  // but its row as read now points at the user, whose change lies past a one-change batch.
  await source.conn.query("INSERT INTO user_sessions (sid, user_id, data) VALUES ('cut-by-the-batch', NULL, '{}')");
  const [inserted] = await source.conn.query("INSERT INTO users (email, password_hash, first_name) VALUES ('late-parent@example.test', REPEAT('x', 60), 'Late')");
  const userId = (inserted as { insertId: number }).insertId;
  await source.conn.query("UPDATE user_sessions SET user_id = ? WHERE sid = 'cut-by-the-batch'", [userId]);

  const synced = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--until-caught-up', '--batch-size', '1', '--json']);
  assert.equal(synced.code, 0, synced.stderr);
  assert.ok(JSON.parse(synced.stdout).follow.retries >= 1, 'the one-change batch broke the foreign key and was taken again, wider');
  const { rows } = await target.client.query("SELECT s.user_id, u.email FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.sid = 'cut-by-the-batch'");
  assert.deepEqual(rows, [{ user_id: String(userId), email: 'late-parent@example.test' }]);
});

test('a second follower is refused while one runs', { timeout: 60_000 }, async () => {
  const follower = startFollower();
  await waitFor(async () => {
    const { rows } = await target.client.query(
      "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.datname = $1", [target.name],
    );
    return rows[0].n > 0;
  }, 20_000, 'the follower to take its lock');
  const second = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--until-caught-up']);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /another `migrate sync` is applying these changes/);
  assert.equal(second.stderr.trim().split('\n').length, 1);
  follower.child.kill('SIGINT');
  assert.equal((await follower.exited).code, 0);
});

test('bad input ends in one line and a non-zero exit code', async () => {
  const wrongPassword = await runCli(['migrate', 'sync', '--source', source.url.replace('root@', 'root:nope@'), '--target', target.url, '--until-caught-up']);
  assert.notEqual(wrongPassword.code, 0);
  assert.doesNotMatch(wrongPassword.stderr, /nope/);
  assert.match(wrongPassword.stderr, /cannot log in to source MySQL/);

  const empty = await freshPostgres('sync-empty');
  try {
    const notMigrated = await runCli(['migrate', 'sync', '--source', source.url, '--target', empty.url, '--until-caught-up']);
    assert.equal(notMigrated.code, 1);
    assert.match(notMigrated.stderr, /run `markethub migrate db` first/);
  } finally {
    await empty.drop();
  }

  const noReverse = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--reverse', '--until-caught-up']);
  assert.equal(noReverse.code, 1);
  assert.match(noReverse.stderr, /writes have not moved to Postgres/);

  const usage = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--batch-size', 'many']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--batch-size must be a whole number/);
});

test('a follower survives its connections being cut on both sides', { timeout: 90_000 }, async () => {
  const follower = startFollower();
  const before = await appliedChanges();
  await source.conn.query("UPDATE users SET display_name = 'before the cut' WHERE id = 4");
  await waitFor(async () => (await appliedChanges()) > before, 30_000, 'the first change');
  await target.client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'markethub' AND pid <> pg_backend_pid()", [target.name]);
  const [sessions] = await source.conn.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [source.name]);
  for (const { id } of sessions as { id: number }[]) await source.conn.query(`KILL ${Number(id)}`).catch(() => {});
  await source.conn.query("UPDATE users SET display_name = 'after the cut' WHERE id = 4");
  await waitFor(async () => {
    const { rows } = await target.client.query('SELECT display_name FROM users WHERE id = 4');
    return rows[0].display_name === 'after the cut';
  }, 30_000, 'the change made after the cut');
  follower.child.kill('SIGINT');
  const stopped = await follower.exited;
  assert.equal(stopped.code, 0);
  assert.ok(JSON.parse(stopped.stdout).follow.reconnects >= 1);
});

test('--remove-capture drops the triggers and the pending changes, and says so', { timeout: 60_000 }, async () => {
  await source.conn.query("UPDATE users SET first_name = 'Pending' WHERE id = 3");
  const removed = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--remove-capture']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /capture removed from MySQL .*\(1 change\(s\) not applied were dropped\)/);
  const [triggers] = await source.conn.query("SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE 'markethub\\\\_sync\\\\_%'", [source.name]);
  assert.equal(Number((triggers as { n: number }[])[0].n), 0);
  await source.conn.query("UPDATE users SET first_name = 'Not captured' WHERE id = 3");
  const [changes] = await source.conn.query('SELECT COUNT(*) AS n FROM markethub_sync.changes WHERE db = ?', [source.name]);
  assert.equal(Number((changes as { n: number }[])[0].n), 0);
  const again = await runCli(['migrate', 'sync', '--source', source.url, '--target', target.url, '--remove-capture']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /No capture left to remove/);
});
