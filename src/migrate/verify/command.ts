// `markethub migrate verify`: schema parity, data parity (in-database range checksums, bisected down to
// rows) and target integrity, with every difference the migration made on purpose counted apart.
import { maskDsn } from '../../config/dsn.js';
import { EXIT } from '../../config/errors.js';
import type { Ui } from '../../ui/index.js';
import { connectPostgres, migrationKey, orphanNotes, readSourcePlan, type TargetPlan } from '../db/index.js';
import { doneSteps, ensureLedger, finishRun, lastOutcome, ledgerExists, recordedPlan, startRun } from '../ledger/index.js';
import { verifyData } from './index.js';
import type { Difference } from './differences.js';
import type { MigrateVerifyConfig, TableVerification } from './model.js';
import { withRecordedTypes } from './planned.js';
import { verifyObjects } from './objects.js';
import { verifyStructure, type StructureProblem } from './structure.js';

export interface VerifyCommandReport {
  command: 'migrate verify';
  ok: boolean;
  source: string;
  target: string;
  schema: string;
  startedAt: string;
  seconds: number;
  tables: TableVerification[];
  /** Rows that differ, at most --max-differences of them; differencesTotal counts all. */
  differences: Difference[];
  differencesTotal: number;
  expectedDifferences: number;
  schemaProblems: StructureProblem[];
  /** What the migration changed on purpose and reported (not failures). */
  expected: StructureProblem[];
  integrityProblems: StructureProblem[];
}

/** Exit codes: parity, differences found, could not verify (see EXIT). */
export const VERIFY_EXIT = { parity: EXIT.ok, differences: EXIT.differences, couldNotVerify: EXIT.couldNotRun } as const;

export async function migrateVerify(config: MigrateVerifyConfig, ui: Ui): Promise<VerifyCommandReport> {
  const started = Date.now();
  const client = await connectPostgres(config.target);
  try {
    const key = migrationKey(config);
    const hasLedger = await ledgerExists(client);
    const derived = await readSourcePlan({ ...config, typeMap: undefined }, ui);
    const catalog = derived.catalog;
    const recorded = hasLedger ? await recordedPlan<TargetPlan>(client, key) : null;
    const plan = withRecordedTypes(derived.plan, recorded);
    const done = hasLedger ? await doneSteps(client, key) : new Map();
    const finished = hasLedger && (await lastOutcome(client, key, 'migrate db')) === 'success';

    // Schema and integrity read only the target: they run while the data comparison waits on MySQL.
    // One client: the object checks' scratch transactions follow the structure check's, never interleave.
    const structureRead = verifyStructure(client, plan, catalog, done, finished).then(async (tables) => {
      const objects = await verifyObjects(client, recorded, done, finished);
      return { problems: [...tables.problems, ...objects.problems], expected: [...tables.expected, ...objects.expected] };
    });
    const orphansRead = structureRead.then(() => orphanNotes(client, config.schema, plan.tables.map((t) => t.name)));
    orphansRead.catch(() => {});

    let spinner = ui.phase('data: comparing rows');
    const data = await verifyData({ source: config.source, target: config.target, schema: config.schema, plan, maxDifferences: config.maxDifferences, jobs: config.jobs, sourceTimezone: config.sourceTimezone });
    spinner.done();

    spinner = ui.phase('schema: comparing tables, columns, keys, constraints, views, routines and triggers');
    const structure = await structureRead;
    spinner.done();

    spinner = ui.phase('integrity: foreign keys and identities in the target');
    const orphans = await orphansRead;
    const keptNotValid = new Set(structure.expected.filter((e) => /NOT VALID/.test(e.what)).map((e) => e.table));
    const integrityProblems: StructureProblem[] = [];
    for (const o of orphans) (keptNotValid.has(o.table!) ? structure.expected : integrityProblems).push({ table: o.table!, what: o.what });
    spinner.done();

    const report: VerifyCommandReport = {
      command: 'migrate verify',
      ok: data.ok && structure.problems.length === 0 && integrityProblems.length === 0,
      source: maskDsn(config.source.url), target: maskDsn(config.target.url), schema: config.schema,
      startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000,
      tables: data.tables, differences: data.differences, differencesTotal: data.differencesTotal, expectedDifferences: data.expectedDifferences,
      schemaProblems: structure.problems, expected: structure.expected, integrityProblems,
    };
    // Stored beside the migration's runs, so status and rollback see the last verification.
    await ensureLedger(client);
    const runId = await startRun(client, { command: 'migrate verify', migrationKey: key, source: report.source, targetSchema: config.schema, options: { tables: config.tables, exclude: config.exclude } });
    await finishRun(client, runId, report.ok ? 'success' : 'failed', null, report);
    return report;
  } finally {
    await client.end().catch(() => {});
  }
}

export function verifyExitCode(report: VerifyCommandReport): number {
  if (report.tables.some((t) => t.status === 'error')) return VERIFY_EXIT.couldNotVerify;
  return report.ok ? VERIFY_EXIT.parity : VERIFY_EXIT.differences;
}
