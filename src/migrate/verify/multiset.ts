// Tables without a single integer key: both sides are compared as multisets of rows. Each database
// sorts its rows by the MD5 of their hashed columns, so equal rows meet in the stream side by side and
// only one group of equal hashes is held at a time. A row present 3 times in MySQL and twice in Postgres
// is one 'missing' row. Where the table has a primary key, a missing and an extra row with the same
// key are one 'changed' row.
import type { DifferenceLog, Difference } from './differences.js';
import { shown } from './differences.js';
import type { Sides, TableJob } from './keyed.js';
import { mergeByHash, sourceValue, targetValue } from './merge.js';
import { streamMysql, streamPostgres } from './rows.js';
import { multisetQueries } from './sql.js';

/** Unpaired rows kept for pairing by primary key; beyond this they are reported unpaired. */
const PAIRING_LIMIT = 10_000;

interface Distinct {
  values: (string | null)[];
  source: number;
  target: number;
}

interface Unpaired {
  kind: 'missing' | 'extra';
  values: (string | null)[];
}

export async function verifyMultiset(job: TableJob, sides: Sides, log: DifferenceLog): Promise<void> {
  const { renders, result } = job;
  const sql = multisetQueries(job.names, renders);
  const keyIndexes = job.primaryKey.map((name) => renders.findIndex((r) => r.name === name));
  const pairable = keyIndexes.length > 0 && keyIndexes.every((i) => i >= 0);
  const unpaired: Unpaired[] = [];

  const keyOf = (values: (string | null)[], whole: boolean) =>
    Object.fromEntries((whole ? renders.map((_, i) => i) : keyIndexes).map((i) => [renders[i].name, shown(values[i])]));
  const report = (difference: Omit<Difference, 'table'>) => {
    result.differences++;
    log.add({ table: result.table, ...difference });
  };
  const unmatched = (kind: 'missing' | 'extra', values: (string | null)[]) => {
    if (pairable && unpaired.length < PAIRING_LIMIT) unpaired.push({ kind, values });
    else report({ key: keyOf(values, !pairable), kind, columns: [] });
  };

  await mergeByHash(streamMysql(sides.mysql, sql.mysql), streamPostgres(sides.postgres, sql.postgres), async (sourceRows, targetRows) => {
    // Rows of one hash differ at most in the columns compared here; without such columns they are all equal.
    const distinct = new Map<string, Distinct>();
    const entry = (values: (string | null)[]) => {
      const identity = JSON.stringify(renders.map((r, i) => (r.client ? values[i] : null)));
      return distinct.get(identity) ?? distinct.set(identity, { values, source: 0, target: 0 }).get(identity)!;
    };
    for await (const row of sourceRows) {
      result.rowsSource++;
      result.expected += Number(row[renders.length + 1] ?? 0);
      const values = renders.map((render, i) => {
        const canonical = sourceValue(render, row[i + 1] ?? null);
        // Changes the query counted already are not counted again.
        if (canonical.changed && render.mysqlExpected === null) result.expected++;
        return canonical.value;
      });
      entry(values).source++;
    }
    for await (const row of targetRows) {
      result.rowsTarget++;
      entry(renders.map((render, i) => targetValue(render, row[i + 1] ?? null))).target++;
    }
    for (const { values, source, target } of distinct.values()) {
      if (source > target) unmatched('missing', values);
      else if (target > source) unmatched('extra', values);
    }
  });

  // Same primary key on both sides: one changed row rather than a missing and an extra one.
  const extras = new Map<string, Unpaired[]>();
  const keyText = (values: (string | null)[]) => JSON.stringify(keyIndexes.map((i) => values[i]));
  for (const row of unpaired) if (row.kind === 'extra') (extras.get(keyText(row.values)) ?? extras.set(keyText(row.values), []).get(keyText(row.values))!).push(row);
  for (const row of unpaired) {
    if (row.kind !== 'missing') continue;
    const partner = extras.get(keyText(row.values))?.shift();
    if (!partner) {
      report({ key: keyOf(row.values, false), kind: 'missing', columns: [] });
      continue;
    }
    const columns = renders.filter((_, i) => row.values[i] !== partner.values[i]).map((r) => r.name);
    report({ key: keyOf(row.values, false), kind: 'changed', columns });
  }
  for (const rows of extras.values()) for (const row of rows) report({ key: keyOf(row.values, false), kind: 'extra', columns: [] });
}
