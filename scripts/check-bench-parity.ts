// Compares a migrated Postgres database with its MySQL source, row for row, and prints one line per table.
// Exits 0 only when every table has the same rows and values on both sides.
//
//   node dist/scripts/check-bench-parity.js --source mysql://root@127.0.0.1:3306/bench \
//     --target postgres://postgres@127.0.0.1:5432/bench [--schema public] [--tables a,b]
import { parseArgs } from 'node:util';
import { maskDsn } from '../src/config/dsn.js';
import { compareDatabases, type TableComparison } from '../tests/helpers/compare.js';

const USAGE = 'usage: check-bench-parity --source mysql://... --target postgres://... [--schema public] [--tables a,b] [--max-mismatches 10]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { source?: string; target?: string; schema?: string; tables?: string; 'max-mismatches'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      source: { type: 'string' },
      target: { type: 'string' },
      schema: { type: 'string', default: 'public' },
      tables: { type: 'string' },
      'max-mismatches': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const source = values.source ?? process.env.MARKETHUB_SOURCE_URL;
const target = values.target ?? process.env.DATABASE_URL;
if (!source) fail('--source is required');
if (!target) fail('--target is required');
const maxMismatches = Number(values['max-mismatches']);
if (!Number.isInteger(maxMismatches) || maxMismatches < 0) fail('--max-mismatches must be a whole number');

const columns = [
  { title: 'table', width: 24, align: 'left' },
  { title: 'rows mysql', width: 12, align: 'right' },
  { title: 'rows pg', width: 12, align: 'right' },
  { title: 'mismatches', width: 10, align: 'right' },
  { title: 'expected', width: 8, align: 'right' },
  { title: 'seconds', width: 8, align: 'right' },
] as const;

function line(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const col = columns[i]!;
      return col.align === 'left' ? cell.padEnd(col.width) : cell.padStart(col.width);
    })
    .join('  ')
    .trimEnd();
}

const rule = '-'.repeat(columns.reduce((n, c) => n + c.width, 0) + 2 * (columns.length - 1));

process.stdout.write(`source ${maskDsn(source)}\ntarget ${maskDsn(target)} (schema ${values.schema})\n\n`);
process.stdout.write(`${line(columns.map((c) => c.title))}\n${rule}\n`);

const flagged: TableComparison[] = [];
const result = await compareDatabases({
  mysqlUrl: source,
  postgresUrl: target,
  schema: values.schema,
  tables: values.tables ? values.tables.split(',').map((t) => t.trim()).filter(Boolean) : undefined,
  maxMismatches,
  onTable(t) {
    const bad = t.mismatchedRows > 0 || t.errors.length > 0 || t.rowsMysql !== t.rowsPostgres;
    if (bad) flagged.push(t);
    process.stdout.write(
      `${line([
        `${bad ? '✗' : '✓'} ${t.table}`,
        String(t.rowsMysql),
        String(t.rowsPostgres),
        String(t.mismatchedRows),
        String(t.expectedDifferences),
        t.seconds.toFixed(1),
      ])}\n`,
    );
  },
}).catch((err: unknown) => {
  process.stderr.write(`comparison failed: ${maskDsn((err as Error).message)}\n`);
  process.exit(2);
});

const sum = (pick: (t: TableComparison) => number) => String(result.tables.reduce((n, t) => n + pick(t), 0));
process.stdout.write(
  `${rule}\n${line([
    `  ${result.tables.length} tables`,
    sum((t) => t.rowsMysql),
    sum((t) => t.rowsPostgres),
    String(result.mismatchedRows),
    String(result.expectedDifferences),
    result.seconds.toFixed(1),
  ])}\n`,
);

for (const t of flagged) {
  process.stdout.write(`\n${t.table}:\n`);
  if (t.rowsMysql !== t.rowsPostgres) process.stdout.write(`  row counts differ: ${t.rowsMysql} in MySQL, ${t.rowsPostgres} in Postgres\n`);
  if (t.missingInPostgres || t.extraInPostgres) {
    process.stdout.write(`  ${t.missingInPostgres} rows only in MySQL, ${t.extraInPostgres} rows only in Postgres\n`);
  }
  for (const e of t.errors) process.stdout.write(`  error: ${e}\n`);
  for (const m of t.mismatches) {
    const key = m.pk ? Object.entries(m.pk).map(([k, v]) => `${k}=${v}`).join(',') : '(no primary key)';
    process.stdout.write(`  ${key} ${m.column}: mysql ${JSON.stringify(m.mysql)} / postgres ${JSON.stringify(m.postgres)}\n`);
  }
}
for (const t of result.tables) {
  const reasons = Object.entries(t.expectedByReason).map(([reason, n]) => `${n} ${reason}`);
  if (reasons.length > 0) process.stdout.write(`\n${t.table}: expected differences: ${reasons.join(', ')}\n`);
}

process.stdout.write(result.ok ? '\nOK: both sides hold the same data\n' : '\nFAILED: the databases differ (see above)\n');
process.exit(result.ok ? 0 : 1);
