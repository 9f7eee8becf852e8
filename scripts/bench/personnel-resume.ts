// `migrate db` on the personnel-style database, killed (SIGKILL) in the middle of its largest
// composite-key table, then run again: the second run copies only the ranges the first never committed.
// Prints the ledger's ranges of that table by run, then checks parity with `migrate verify`.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { measure } from './measure.js';
import { die } from './common.js';

const TABLE = 'salaries';

async function committedRanges(client: pg.Client): Promise<{ step_key: string; run_id: number; rows: number }[]> {
  if (!(await client.query("SELECT to_regclass('markethub_migrate.steps') AS t")).rows[0].t) return [];
  const { rows } = await client.query(
    "SELECT step_key, run_id::int, (detail->>'rowsWritten')::int AS rows FROM markethub_migrate.steps WHERE step_key LIKE $1 ORDER BY run_id, step_key",
    [`copy:${TABLE}#%`],
  );
  return rows;
}

export async function killAndResume(cli: string, source: string, target: string): Promise<void> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    const args = [cli, 'migrate', 'db', '--source', source, '--target', target, '--json'];
    const first = spawn(process.execPath, args, { stdio: 'ignore' });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    // Killed once a few of the table's ranges are in and others are still being copied.
    for (let i = 0; (await committedRanges(client)).length < 3; i++) {
      if (i > 3000) die(`no range of ${TABLE} was committed in time`);
      await sleep(10);
    }
    first.kill('SIGKILL');
    await exited;
    const plan = await client.query("SELECT jsonb_array_length(detail->'ranges') AS n FROM markethub_migrate.steps WHERE step_key = $1", [`chunks:${TABLE}`]);
    const total = Number(plan.rows[0].n);
    const killed = await committedRanges(client);
    console.log(`kill -9 during ${TABLE}: ${killed.length} of ${total} key ranges committed`);

    const again = await measure(process.execPath, args);
    if (again.code !== 0) die(`migrate db after the kill failed: ${again.stderr.trim()}`);
    const after = await committedRanges(client);
    const byRun = new Map<number, string[]>();
    for (const r of after) byRun.set(r.run_id, [...(byRun.get(r.run_id) ?? []), `${r.step_key.split('#')[1]}:${r.rows}`]);
    console.log(`ledger, ranges of ${TABLE} (range:rows) by run:`);
    for (const [run, ranges] of byRun) console.log(`  run ${run}: ${ranges.join(' ')}`);
    const firstRun = killed[0]?.run_id;
    const recopied = after.filter((r) => r.run_id !== firstRun).length;
    if (after.length !== total || recopied !== total - killed.length) die(`expected the second run to copy exactly the ${total - killed.length} unfinished ranges, it copied ${recopied}`);
    console.log(`second run: ${again.seconds.toFixed(2)} s, copied the ${recopied} unfinished ranges only`);

    const verified = await measure(process.execPath, [cli, 'migrate', 'verify', '--source', source, '--target', target, '--json']);
    const report = JSON.parse(verified.stdout || '{}') as { ok?: boolean; differencesTotal?: number };
    if (verified.code !== 0 || !report.ok) die(`parity check after the resumed run failed (exit ${verified.code}, ${report.differencesTotal ?? '?'} differences)`);
    console.log(`parity after resume: migrate verify ok, 0 differences (${verified.seconds.toFixed(2)} s)`);
  } finally {
    await client.end();
  }
}
