// `migrate check` on the sample shop: ready as the demo runs it, and when a user lacks a privilege, the
// report names the command, the privilege and the GRANT; a wrong password is one line without it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, test } from 'vitest';
import { SAMPLE_SQL_PATH, seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { writeSampleUploads } from '../../scripts/sample-uploads.js';
import type { CheckReport } from '../../src/migrate/check/index.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { listKeys, S3_ENV, startTestS3, type TestS3 } from '../helpers/s3.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let s3: TestS3;
let bucket: string;
let uploads: string;
/** A MySQL user holding only SELECT and SHOW VIEW on the source: no TRIGGER. */
const mysqlUser = `mh_chk_${randomBytes(4).toString('hex')}`;
const mysqlPassword = `Pw-${randomBytes(6).toString('hex')}`;
/** A Postgres role that may connect, and create nothing. */
const pgRole = `mh_chk_${randomBytes(4).toString('hex')}`;

function withUser(url: string, user: string, password?: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password ?? '';
  return u.toString();
}

async function check(args: string[]): Promise<{ code: number | null; report: CheckReport; stderr: string }> {
  const result = await runCli(['migrate', 'check', ...args, '--json'], { env: S3_ENV });
  assert.ok(result.stdout.startsWith('{'), `no JSON report: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as CheckReport, stderr: result.stderr };
}

function row(report: CheckReport, area: string, name: string) {
  const found = report.checks.find((c) => c.area === area && c.check === name);
  assert.ok(found, `no ${area} check "${name}" in: ${report.checks.map((c) => `${c.area}:${c.check}`).join(', ')}`);
  return found;
}

beforeAll(async () => {
  source = await freshMysql('check');
  target = await freshPostgres('check');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  s3 = await startTestS3();
  bucket = await s3.freshBucket('check');
  uploads = await mkdtemp(path.join(os.tmpdir(), 'mh-check-uploads-'));
  await writeSampleUploads(await readFile(SAMPLE_SQL_PATH, 'utf8'), uploads);
  await source.conn.query(`CREATE USER '${mysqlUser}'@'%' IDENTIFIED BY '${mysqlPassword}'`);
  await source.conn.query(`GRANT SELECT, SHOW VIEW ON \`${source.name}\`.* TO '${mysqlUser}'@'%'`);
  await target.client.query(`CREATE ROLE ${pgRole} LOGIN`);
  // Postgres 15 and later give PUBLIC no CREATE on schema public; older ones did: take it away here.
  await target.client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
});

afterAll(async () => {
  await source?.conn.query(`DROP USER IF EXISTS '${mysqlUser}'@'%'`).catch(() => {});
  await source?.drop();
  await target?.drop();
  const admin = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${pgRole}`);
  await admin.end();
  await s3?.stop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

test('the demo setup passes: exit 0, every privilege in place, and nothing written anywhere', async () => {
  const { code, report, stderr } = await check(['--source', source.url, '--target', target.url, '--uploads', uploads, '--bucket', bucket, '--endpoint', s3.endpoint]);
  assert.equal(code, 0, stderr + JSON.stringify(report.blocked));
  assert.equal(report.ok, true);
  assert.equal(report.command, 'migrate check');
  assert.deepEqual(report.blocked, []);
  assert.equal(report.checks.filter((c) => c.status === 'blocked').length, 0);
  for (const privilege of ['SELECT', 'SHOW VIEW', 'TRIGGER']) assert.equal(row(report, 'source', `${privilege} on ${source.name}`).status, 'ok');
  assert.equal(row(report, 'target', `CREATE on database ${target.name}`).status, 'ok');
  for (const call of ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject']) assert.equal(row(report, 'bucket', call).status, 'ok', call);
  assert.equal(row(report, 'uploads', uploads).status, 'ok');
  assert.match(row(report, 'source', 'server version').detail, /MariaDB|\d+\.\d+/);
  assert.match(row(report, 'target', 'server version').detail, /^PostgreSQL \d+/);
  assert.match(row(report, 'source', 'size').detail, /^3\d tables, ~\d+ rows/);
  assert.equal(report.sourceTables.length, 30);
  assert.ok(report.sourceTables.find((t) => t.table === 'products')!.rowEstimate > 0);
  // The sample's text columns compare case-insensitively: they become citext, which migrate db installs.
  assert.match(row(report, 'target', 'extension citext').detail, /^available, not installed: migrate db creates it/);

  // What migrate db will report: the sample's zero dates, its unsigned overflow, its routines, and its
  // views Postgres rejects.
  assert.match(row(report, 'source', 'zero dates legacy_dates.d').detail, /4 row\(s\).*loses NOT NULL/);
  assert.equal(row(report, 'source', 'unsigned legacy_oddities.big_u').status, 'warn');
  assert.match(row(report, 'source', 'triggers').detail, /^2 translated to PL\/pgSQL and created after the data \(order_items_after_insert, orders_before_update\)/);
  assert.ok(!report.checks.some((c) => c.check.startsWith('trigger ')), 'no trigger is left to port by hand');
  assert.match(row(report, 'source', 'events').detail, /^2 translated to procedures .*\(coupons_expire, purge_expired_sessions\)$/);
  assert.ok(!report.checks.some((c) => c.check.startsWith('event ')), 'no event is left to port by hand');
  assert.match(row(report, 'target', 'create view vendor_sales_summary').detail, /would be reported, not created/);
  assert.ok(report.notes.some((n) => n.kind === 'routine' && n.what.startsWith('procedure close_stale_tickets -> PL/pgSQL procedure')));
  assert.match(row(report, 'source', 'functions and procedures').detail, /^2 translated to PL\/pgSQL \(close_stale_tickets, product_rating\)/);

  // The preflight left no trace: no schema or table on the target, no object in the bucket, no trigger on the source.
  const { rows } = await target.client.query("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'");
  assert.equal(rows[0].n, 0);
  const { rows: schemas } = await target.client.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'markethub%'");
  assert.deepEqual(schemas, []);
  assert.deepEqual(await listKeys(s3.client, bucket), []);
  const [triggers] = await source.conn.query<mysql.RowDataPacket[]>("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE 'markethub%'", [source.name]);
  assert.deepEqual(triggers, []);
});

test('the terminal report is one table and says every command can run', async () => {
  const result = await runCli(['migrate', 'check', '--source', source.url, '--target', target.url]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^where\s+check\s+status\s+detail$/m);
  assert.match(result.stdout, /Ready: every command can run/);
});

test('a MySQL user without TRIGGER: migrate sync is blocked, the privilege and the GRANT named', async () => {
  const { code, report } = await check(['--source', withUser(source.url, mysqlUser, mysqlPassword), '--target', target.url]);
  assert.equal(code, 3);
  assert.equal(report.ok, false);
  // The report is complete: a blocked command is its finding, not an error of the check.
  assert.equal('error' in report, false);
  const trigger = row(report, 'source', `TRIGGER on ${source.name}`);
  assert.equal(trigger.status, 'blocked');
  assert.deepEqual(trigger.commands, ['migrate sync']);
  assert.ok(trigger.detail.includes(`GRANT TRIGGER ON \`${source.name}\`.* TO '${mysqlUser}'@'%'`), trigger.detail);
  assert.ok(report.blocked.find((b) => b.command === 'migrate sync')?.checks.includes(`source: TRIGGER on ${source.name}`));
  // SELECT and SHOW VIEW are there: migrate db and verify can run.
  assert.equal(row(report, 'source', `SELECT on ${source.name}`).status, 'ok');
  assert.equal(row(report, 'source', `SHOW VIEW on ${source.name}`).status, 'ok');
  assert.equal(report.blocked.find((b) => b.command === 'migrate db'), undefined);
  assert.ok(!JSON.stringify(report).includes(mysqlPassword));

  const terminal = await runCli(['migrate', 'check', '--source', withUser(source.url, mysqlUser, mysqlPassword), '--target', target.url]);
  assert.equal(terminal.code, 3);
  assert.match(terminal.stdout, new RegExp(`migrate sync cannot run: .*source: TRIGGER on ${source.name}`));
});

test('privileges held through a default role count (MariaDB lists them in SHOW GRANTS only)', async () => {
  const role = `mh_chk_r_${randomBytes(4).toString('hex')}`;
  const user = `mh_chk_u_${randomBytes(4).toString('hex')}`;
  try {
    await source.conn.query(`CREATE ROLE ${role}`);
    await source.conn.query(`GRANT SELECT, SHOW VIEW, TRIGGER ON \`${source.name}\`.* TO ${role}`);
    await source.conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${mysqlPassword}'`);
    await source.conn.query(`GRANT ${role} TO '${user}'@'%'`);
    await source.conn.query(`SET DEFAULT ROLE ${role} FOR '${user}'@'%'`);
    const { report } = await check(['--source', withUser(source.url, user, mysqlPassword), '--target', target.url]);
    for (const privilege of ['SELECT', 'SHOW VIEW', 'TRIGGER']) assert.equal(row(report, 'source', `${privilege} on ${source.name}`).status, 'ok', privilege);
    assert.equal(row(report, 'source', `UPDATE on ${source.name}`).status, 'blocked', 'and only those');
  } finally {
    await source.conn.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await source.conn.query(`DROP ROLE IF EXISTS ${role}`);
  }
});

test('a Postgres user without CREATE on the database and the schema: migrate db is blocked, both named', async () => {
  const { code, report } = await check(['--source', source.url, '--target', withUser(target.url, pgRole)]);
  assert.equal(code, 3);
  const database = row(report, 'target', `CREATE on database ${target.name}`);
  assert.equal(database.status, 'blocked');
  assert.ok(database.detail.includes(`GRANT CREATE ON DATABASE "${target.name}" TO "${pgRole}"`), database.detail);
  const schema = row(report, 'target', 'USAGE, CREATE on schema public');
  assert.equal(schema.status, 'blocked');
  assert.ok(schema.detail.includes(`GRANT USAGE, CREATE ON SCHEMA "public" TO "${pgRole}"`), schema.detail);
  const db = report.blocked.find((b) => b.command === 'migrate db');
  assert.deepEqual(db?.checks, [`target: CREATE on database ${target.name}`, 'target: USAGE, CREATE on schema public']);
  // The source side is complete: root holds every privilege there.
  assert.equal(report.checks.filter((c) => c.area === 'source' && c.status === 'blocked').length, 0);
});

test('after migrate db, a role without grants on the ledger and the migrated tables: the commands that write there are blocked', async () => {
  const migrated = await freshPostgres('check_migrated');
  try {
    const run = await runCli(['migrate', 'db', '--source', source.url, '--target', migrated.url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const owner = await check(['--source', source.url, '--target', migrated.url]);
    assert.equal(owner.code, 0, JSON.stringify(owner.report.blocked));
    assert.match(row(owner.report, 'target', 'migrated tables in public').detail, /^30 table\(s\)/);
    assert.equal(row(owner.report, 'target', 'schema public').status, 'ok', 'the tables are the migration\'s own');

    await migrated.client.query(`GRANT CREATE ON DATABASE "${migrated.name}" TO ${pgRole}`);
    await migrated.client.query(`GRANT USAGE, CREATE ON SCHEMA public, markethub_migrate TO ${pgRole}`);
    const { code, report } = await check(['--source', source.url, '--target', withUser(migrated.url, pgRole)]);
    assert.equal(code, 3);
    const ledger = row(report, 'target', 'tables of markethub_migrate');
    assert.equal(ledger.status, 'blocked');
    assert.match(ledger.detail, new RegExp(`^${pgRole} lacks DELETE on .*; INSERT on .*GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA markethub_migrate TO "${pgRole}"$`));
    const tables = row(report, 'target', 'migrated tables in public');
    assert.equal(tables.status, 'blocked');
    assert.deepEqual(tables.commands, ['migrate sync', 'migrate files']);
    assert.ok(report.blocked.find((b) => b.command === 'migrate rollback')?.checks.includes('target: tables of markethub_migrate'));
  } finally {
    await migrated.client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public, markethub_migrate FROM ${pgRole}`).catch(() => {});
    await migrated.client.query(`REVOKE ALL ON SCHEMA public, markethub_migrate FROM ${pgRole}`).catch(() => {});
    await migrated.client.query(`REVOKE ALL ON DATABASE "${migrated.name}" FROM ${pgRole}`).catch(() => {});
    await migrated.drop();
  }
});

test('a wrong password: exit 3 (could not run) and one line naming the server and user, never the password', async () => {
  const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
  const result = await runCli(['migrate', 'check', '--source', withUser(source.url, mysqlUser, wrong), '--target', target.url]);
  assert.equal(result.code, 3);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], new RegExp(`^markethub: cannot log in to source MySQL mysql://${mysqlUser}:\\*\\*\\*@.*: wrong password or user "${mysqlUser}" not allowed$`));
  assert.ok(!result.stderr.includes(wrong));

  const json = await runCli(['migrate', 'check', '--source', withUser(source.url, mysqlUser, wrong), '--target', target.url, '--json']);
  assert.equal(json.code, 3);
  const failure = JSON.parse(json.stdout);
  assert.deepEqual({ ...failure, error: { ...failure.error, message: '' } }, { schemaVersion: 1, ok: false, command: 'migrate check', error: { code: 'could-not-run', message: '' } });
  assert.equal(`markethub: ${failure.error.message}`, lines[0]);
  assert.ok(!json.stdout.includes(wrong) && !json.stderr.includes(wrong));
});

test('case-insensitive columns kept so: citext is an extension migrate db creates, and the trial ran with it', async () => {
  const { code, report } = await check(['--source', source.url, '--target', target.url]);
  assert.equal(code, 0);
  const citext = row(report, 'target', 'extension citext');
  assert.equal(citext.status, 'ok');
  assert.match(citext.detail, /^available, not installed: migrate db creates it \(used by \w+\.\w+, .* and \d+ more\)$/);
  // Every table ran on citext; what the trial rejects is only the sample's two views Postgres refuses.
  assert.match(row(report, 'target', 'DDL trial').detail, /^190 of 192 steps .*; 2 rejected/);
  const rejected = report.checks.filter((c) => c.area === 'target' && c.status !== 'ok' && c.check.startsWith('create '));
  assert.deepEqual(rejected.map((c) => c.check), ['create view active_products', 'create view vendor_sales_summary']);
  // The trial's transaction was rolled back: the extension is still not installed.
  const { rows } = await target.client.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citext'");
  assert.equal(rows[0].n, 0);
});

test('a type map to citext names the extension, whether this user may create it, and the table it stops', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mh-check-typemap-'));
  try {
    const typeMap = path.join(dir, 'types.json');
    await writeFile(typeMap, JSON.stringify({ columns: { 'users.email': 'citext' } }));
    // Exact comparisons: only the type map asks for citext, and migrate db does not install what a type map names.
    const { code, report } = await check(['--source', source.url, '--target', target.url, '--type-map', typeMap, '--collations', 'exact']);
    assert.equal(code, 3);
    const citext = row(report, 'target', 'extension citext');
    assert.equal(citext.status, 'blocked');
    assert.match(citext.detail, /^available, not installed \(used by users\.email\): run CREATE EXTENSION citext before migrate db$/);
    assert.match(row(report, 'target', 'create table users').detail, /type "citext" does not exist/);

    const unprivileged = await check(['--source', source.url, '--target', withUser(target.url, pgRole), '--type-map', typeMap, '--collations', 'exact']);
    assert.match(row(unprivileged.report, 'target', 'extension citext').detail, new RegExp(`${pgRole} may not create it`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bucket that does not exist blocks migrate files and names it', async () => {
  const missing = `mh-missing-${randomBytes(4).toString('hex')}`;
  const { code, report } = await check(['--source', source.url, '--target', target.url, '--bucket', missing, '--endpoint', s3.endpoint]);
  assert.equal(code, 3);
  const b = row(report, 'bucket', `bucket ${missing}`);
  assert.equal(b.status, 'blocked');
  assert.match(b.detail, /does not exist/);
  assert.deepEqual(report.blocked.map((x) => x.command).sort(), ['migrate files', 'migrate rollback']);
});

test('flags are checked before anything connects: a missing --source is a usage error', async () => {
  const result = await runCli(['migrate', 'check', '--target', 'postgres://127.0.0.1:1/none']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim(), 'markethub: --source is required (or set MARKETHUB_SOURCE_URL)');
});
