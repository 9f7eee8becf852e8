// Renderers for the run report: a pgloader-style terminal summary, JSON and Markdown.
import type { CutoverStatus } from '../cutover/store.js';
import type { StatusReport } from '../migrate/ledger/status.js';
import type { RollbackReport } from '../migrate/rollback/index.js';
import type { SyncReport } from '../migrate/sync/index.js';
import type { VerifyCommandReport } from '../migrate/verify/command.js';
import type { FilesReport, MigrationReport, Note } from './model.js';

const LISTED_VALUE_CHANGES = 20;

function seconds(s: number): string {
  return `${s.toFixed(3)}s`;
}

/** Columns padded to their widest cell, under a header and a rule. */
export function table(headers: string[], rows: string[][], alignRight: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function describeNote(n: Note): string {
  const where = [n.table, n.column].filter(Boolean).join('.');
  const key = n.key ? ` [${Object.entries(n.key).map(([k, v]) => `${k}=${v}`).join(', ')}]` : '';
  return `${where ? where + key + ': ' : ''}${n.what} (${n.why})`;
}

export function renderTerminal(report: MigrationReport): string {
  const out: string[] = [];
  const rows = report.tables.map((t) => [t.name, String(t.rowsRead), String(t.rowsWritten), String(t.notes), seconds(t.seconds), t.status]);
  rows.push(['Total', String(report.totals.rowsRead), String(report.totals.rowsWritten), String(report.notes.length + report.valueChanges.length), seconds(report.totals.seconds), report.outcome]);
  out.push(table(['table name', 'rows read', 'rows written', 'notes', 'time', 'status'], rows, [false, true, true, true, true, false]));
  out.push('', table(['phase', 'time'], report.phases.map((p) => [p.name, seconds(p.seconds)]), [false, true]));

  const schemaNotes = report.notes.filter((n) => n.kind !== 'not-migrated');
  if (schemaNotes.length) {
    out.push('', `Changes (${schemaNotes.length}):`);
    for (const n of schemaNotes) out.push(`  [${n.kind}] ${describeNote(n)}`);
  }
  if (report.valueChanges.length) {
    out.push('', `Values changed (${report.valueChanges.length}; all listed in the JSON report and the ledger):`);
    for (const n of report.valueChanges.slice(0, LISTED_VALUE_CHANGES)) out.push(`  ${describeNote(n)}`);
    if (report.valueChanges.length > LISTED_VALUE_CHANGES) out.push(`  ... and ${report.valueChanges.length - LISTED_VALUE_CHANGES} more`);
  }
  const notMigrated = report.notes.filter((n) => n.kind === 'not-migrated');
  if (notMigrated.length) {
    out.push('', `Not migrated (${notMigrated.length}; source SQL in the JSON report):`);
    for (const n of notMigrated) out.push(`  ${n.what}${n.table ? ` on ${n.table}` : ''}: ${n.why}`);
  }
  if (report.ddl) out.push('', '-- DDL that would run:', ...report.ddl.map((s) => s + ';'));
  if (report.errors.length) out.push('', `Errors (${report.errors.length}):`, ...report.errors.map((e) => `  ${e}`));
  return out.join('\n') + '\n';
}

export function renderJson(report: MigrationReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

const LISTED_DIFFERENCES = 20;

/** The `migrate verify` report for a person: a table per source table, then what differs. */
export function renderVerifyTerminal(report: VerifyCommandReport): string {
  const rows = report.tables.map((t) => [t.table, String(t.rowsSource), String(t.rowsTarget), t.status, String(t.differences), String(t.expected), seconds(t.seconds)]);
  const out = [table(['table name', 'rows source', 'rows target', 'status', 'differences', 'expected', 'time'], rows, [false, true, true, false, true, true, true])];
  if (report.schemaProblems.length) out.push('', `Schema differences (${report.schemaProblems.length}):`, ...report.schemaProblems.map((p) => `  ${p.table}: ${p.what}`));
  if (report.integrityProblems.length) out.push('', `Integrity problems (${report.integrityProblems.length}):`, ...report.integrityProblems.map((p) => `  ${p.table}: ${p.what}`));
  if (report.differencesTotal) {
    out.push('', `Rows that differ (${report.differencesTotal}):`);
    for (const d of report.differences.slice(0, LISTED_DIFFERENCES)) {
      const key = Object.entries(d.key).map(([k, v]) => `${k}=${v}`).join(', ');
      out.push(`  ${d.table} [${key}]: ${d.kind}${d.columns.length ? ` (${d.columns.join(', ')})` : ''}`);
    }
    if (report.differencesTotal > LISTED_DIFFERENCES) out.push(`  ... and ${report.differencesTotal - LISTED_DIFFERENCES} more (all counted; --json lists up to --max-differences)`);
  }
  const expected = report.expected.length + report.expectedDifferences;
  if (expected) out.push('', `Expected differences, made and reported by the migration: ${report.expectedDifferences} values, ${report.expected.length} schema changes`);
  out.push('', report.ok ? `Parity: the target holds what the source holds (${seconds(report.seconds)}).` : `Differences found (${seconds(report.seconds)}).`);
  return out.join('\n') + '\n';
}

const LISTED_PROBLEMS = 30;

/** The `migrate files` report for a person: what moved, how fast, then every file or URL left behind. */
export function renderFilesTerminal(report: FilesReport): string {
  const f = report.files;
  const counts: [string, number][] = [
    ['found', f.found], ['uploaded', f.uploaded], ['unchanged since last run', f.unchanged], ['already in the bucket (recorded)', f.alreadyThere],
    ['identical object there before (kept)', f.preExisting], ['would upload (dry run)', f.wouldUpload], ['conflicts (not overwritten)', f.conflicts],
    ['failed or unreadable', f.failed], ['skipped by rule', f.skipped],
  ];
  const out = [table(['files', 'count'], counts.filter(([label, n]) => n > 0 || label === 'found').map(([label, n]) => [label, String(n)]), [false, true])];
  out.push('', `${(f.bytesUploaded / 1e6).toFixed(1)} MB uploaded in ${seconds(f.seconds)}: ${f.filesPerSecond} files/s, ${f.megabytesPerSecond} MB/s`);
  if (report.discovered) {
    const rows = report.discovered.map((d) => [`${d.table}.${d.column}`, d.type, `${d.estimated ? '~' : ''}${d.values}`, d.shape, d.skipped ? `left alone: ${d.skipped}` : 'rewritten']);
    out.push('', rows.length
      ? table(['URL column found in the data', 'type', 'values with URLs', 'held as', 'then'], rows, [false, false, true, false, false])
      : 'URL columns found in the data: none (name them in --config urlColumns if the scan missed them)');
    out.push(`(found in ${seconds(report.discoverySeconds ?? 0)}; --config urlColumns or --no-discover decide instead)`);
  }
  if (report.rewrites.length) {
    const rows = report.rewrites.map((r) => [`${r.table}.${r.column}${r.embedded ? ' (in text)' : ''}`, String(r.rowsRewritten), String(r.referencesRewritten), String(r.dangling), String(r.notUploaded), String(r.absoluteLeft), String(r.changedMeanwhile)]);
    out.push('', table(['URL column', 'rows rewritten', 'URLs rewritten', 'dangling', 'not uploaded', 'absolute, left', 'changed meanwhile'], rows, [false, true, true, true, true, true, true]));
  }
  const listed = (title: string, lines: string[]) => {
    if (!lines.length) return;
    out.push('', `${title} (${lines.length}):`, ...lines.slice(0, LISTED_PROBLEMS).map((l) => `  ${l}`));
    if (lines.length > LISTED_PROBLEMS) out.push(`  ... and ${lines.length - LISTED_PROBLEMS} more (--json lists all)`);
  };
  listed('Files not uploaded', report.fileProblems.map((p) => `${p.path}: ${p.what}: ${p.why}`));
  listed('URLs not rewritten', report.referenceProblems.map((p) => {
    const key = Object.entries(p.key).map(([k, v]) => `${k}=${v}`).join(', ');
    return `${p.table}.${p.column} [${key}] ${p.reference}: ${p.what} (${p.why})`;
  }));
  const verdict: Record<FilesReport['outcome'], string> = {
    success: 'Every file arrived and matches its checksum.',
    failed: 'Some files did not arrive: see above; re-run the same command after fixing them.',
    interrupted: 'Interrupted: run the same command again to continue.',
    'dry-run': 'Dry run: nothing was uploaded or rewritten.',
  };
  out.push('', verdict[report.outcome]);
  return out.join('\n') + '\n';
}

/** `migrate status` for a person: runs, then where each part stands. */
export function renderStatusTerminal(status: StatusReport): string {
  if (!status.ledger) return 'No markethub migration in this database yet (no markethub_migrate ledger).\n';
  const out = [table(['run', 'command', 'started', 'finished', 'outcome'], status.runs.map((r) => [String(r.id), r.command, r.startedAt, r.finishedAt ?? '-', r.outcome]), [true, false, false, false, false])];
  for (const d of status.databases) {
    out.push('', `Database ${d.migration}: ${d.tablesCreated} tables created, ${d.rowsCopied} rows copied`);
    out.push(table(['phase', 'steps done', 'state'], d.phases.map((p) => [p.phase, p.planned === null ? String(p.done) : `${p.done}/${p.planned}`, p.noted ? `${p.state} (${p.noted} not carried out, see the report)` : p.state]), [false, true, false]));
    if (d.objects.length) out.push('', table(['database logic', 'state'], d.objects.map((o) => [o.what, o.created ? 'created' : 'not created']), [false, false]));
  }
  if (status.files.length) {
    out.push('', table(['bucket', 'uploaded', 'pre-existing', 'in flight', 'failed', 'rolled back', 'MB'],
      status.files.map((f) => [f.bucket, String(f.uploaded), String(f.preExisting), String(f.inFlight), String(f.failed), String(f.rolledBack), (f.bytes / 1e6).toFixed(1)]), [false, true, true, true, true, true, true]));
  } else out.push('', 'Files: not started');
  if (status.urls.length) {
    out.push('', table(['URL column', 'rewritten', 'undone'], status.urls.map((u) => [`${u.table}.${u.column}`, String(u.rewritten), String(u.undone)]), [false, true, true]));
  } else out.push('', 'URL rewrites: none');
  const v = status.lastVerify;
  out.push('', v ? `Last verify: run ${v.runId}, ${v.parity ? 'parity' : `${v.differences ?? '?'} differences`} (${v.outcome}, ${v.finishedAt ?? 'unfinished'})` : 'Last verify: never run');
  out.push(`Cutover: ${status.cutover}`);
  return out.join('\n') + '\n';
}

/** `migrate rollback` for a person: what was restored, deleted and dropped, and what was left and why. */
export function renderRollbackTerminal(report: RollbackReport): string {
  if (report.outcome === 'nothing-to-do') return 'Nothing to roll back: no URL rewrites, uploaded objects or created tables are left.\n';
  const would = report.dryRun ? 'would be ' : '';
  const out: string[] = [];
  if (report.cutoverReset) out.push('Cutover: everyone is back on the legacy backend (0%)');
  if (report.urls) {
    const restored = Object.values(report.urls.restored).reduce((a, b) => a + b, 0);
    out.push(`URLs: ${restored} values ${would}restored${Object.keys(report.urls.restored).length ? ` (${Object.entries(report.urls.restored).map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}`);
    if (report.urls.conflicts.length) {
      out.push(`  ${report.urls.conflicts.length} left alone: changed by the app since the rewrite (--force restores them anyway):`);
      for (const c of report.urls.conflicts.slice(0, LISTED_PROBLEMS)) out.push(`    ${c.table}.${c.column} [${Object.entries(c.key).map(([k, v]) => `${k}=${v}`).join(', ')}] now ${c.now === null ? '(row deleted)' : JSON.stringify(c.now)}`);
    }
  }
  if (report.files) {
    out.push(`Files: ${report.files.deleted} objects ${would}deleted, ${report.files.missing} already gone`);
    for (const k of report.files.kept) out.push(`  kept s3://${k.bucket}/${k.key}: ${k.why}`);
  }
  if (report.db) {
    for (const d of report.db.dropped) out.push(`Database ${d.migrationKey}: ${d.tables} tables, ${d.views} views, ${d.functions} functions, ${d.schemas} schemas ${would}dropped`);
    for (const w of report.db.appWrites) out.push(`  forced past app writes: ${w.table}: ${w.what}`);
  }
  out.push(report.dryRun ? 'Dry run: nothing was changed.' : 'Rolled back.');
  return out.join('\n') + '\n';
}

/** `cutover status` for a person: the stage, then requests, errors and shadow differences per route. */
export function renderCutoverTerminal(status: CutoverStatus): string {
  const s = status.state;
  const out = [`Stage: ${status.stage}`, `Percentage: ${s.percentage}% (${s.writes ? 'reads and writes' : 'reads only'}), shadow ${s.shadow ? 'on' : 'off'}, since ${s.updatedAt}`];
  if (s.frozen) out.push('Writes: FROZEN (answered with 503 while `migrate sync --switch-writes` moves them)');
  for (const d of status.sync) {
    const age = d.heartbeatAt ? (Date.now() - Date.parse(d.heartbeatAt)) / 1000 : null;
    out.push(`Sync ${d.direction}: ${d.running ? `running, lag ${d.lagSeconds?.toFixed(2) ?? '?'} s, ${d.pending ?? '?'} pending` : `not running${age !== null ? ` (last seen ${age.toFixed(0)} s ago, ${d.pending ?? '?'} pending then)` : ''}`}; ${d.appliedChanges} changes applied in all`);
  }
  if (status.routes.length) {
    const rows = status.routes.map((r) => [
      r.route, r.side, String(r.requests), r.requests ? `${((r.errors / r.requests) * 100).toFixed(1)}%` : '-',
      r.shadowCompared ? `${r.shadowDiffered} of ${r.shadowCompared} differ` : '-',
    ]);
    out.push('', table(['route', 'side', 'requests', 'errors', 'shadow'], rows, [false, false, true, true, false]));
  }
  if (status.examples.length) {
    out.push('', 'Shadow differences (examples):');
    for (const e of status.examples.slice(0, LISTED_PROBLEMS)) out.push(`  ${e.route} ${e.path}: ${e.fields.slice(0, 5).join(', ')}${e.fields.length > 5 ? ', ...' : ''}`);
  }
  if (status.changes.length) {
    out.push('', 'Recent changes:');
    const describe = (state: CutoverStatus['state']) => `${state.percentage}%${state.writes ? ' with writes' : ''}${state.frozen ? ', writes frozen' : ''}`;
    for (const c of status.changes.slice(0, 10)) out.push(`  ${c.changedAt} ${c.changedBy}: ${describe(c.from)} -> ${describe(c.to)} (${c.reason})`);
  }
  return out.join('\n') + '\n';
}

/** `migrate sync`: what was applied and how far behind, or each step of a switch and how long writes were refused. */
export function renderSyncTerminal(report: SyncReport): string {
  const out: string[] = [];
  for (const note of report.notes) out.push(`Note: ${note}`);
  if (report.mode === 'remove-capture' && report.notes.length === 0) out.push('No capture left to remove.');
  if (report.follow) {
    const f = report.follow;
    out.push(`Sync ${report.direction}: ${f.changes} changes in ${f.batches} batches (${f.upserts} rows written, ${f.deletes} deleted) in ${seconds(report.seconds)}`);
    if (f.changes) out.push(`Lag: p50 ${f.lag.p50.toFixed(3)} s, p95 ${f.lag.p95.toFixed(3)} s, max ${f.lag.max.toFixed(3)} s`);
    if (f.valueChanges) out.push(`${f.valueChanges} values changed on the way, as migrate db changes them (see migrate status)`);
    if (f.reconnects) out.push(`${f.reconnects} reconnect(s)`);
    if (f.retries) out.push(`${f.retries} batch(es) read again: a row's parent was not there yet at commit`);
    out.push(f.stoppedBy === 'caught-up' ? 'Caught up: nothing pending.' : f.stoppedBy === 'handover' ? 'Stopped: --switch-writes took over.' : 'Stopped; run the same command to continue.');
  }
  if (report.steps) {
    out.push(table(['step', 'seconds', 'what'], report.steps.map((s) => [s.name, s.seconds.toFixed(2), s.detail]), [false, true, false]));
    out.push(`Writes refused for ${report.writesRefusedSeconds?.toFixed(2)} s.`);
  }
  return out.join('\n') + '\n';
}
