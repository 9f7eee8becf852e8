// Schema parity: every table, column (type, NOT NULL, default), key, index, foreign key and CHECK the
// plan promised exists in the target; identities continue past the source's AUTO_INCREMENT counter.
import type pg from 'pg';
import { quoteIdent as qi, type SourceCatalog, type TargetPlan, type TargetTable } from '../db/index.js';

export interface StructureProblem {
  table: string;
  what: string;
}

interface ColumnFacts {
  type: string;
  notNull: boolean;
  default: string | null;
  identity: boolean;
  generated: boolean;
}

async function columnFacts(client: pg.Client, schema: string, table: string): Promise<Map<string, ColumnFacts>> {
  const { rows } = await client.query<ColumnFacts & { name: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, table],
  );
  return new Map(rows.map(({ name, ...facts }) => [name, facts]));
}

/**
 * What Postgres itself makes of the planned columns: a temporary table declared as planned renders
 * types and defaults exactly as the target's catalog does, so the comparison needs no re-implementation.
 */
async function plannedFacts(client: pg.Client, table: TargetTable): Promise<Map<string, ColumnFacts>> {
  const columns = table.columns.map((c) => `${qi(c.name)} ${c.pgType}${c.defaultSql && !c.identity && !c.generatedSql ? ` DEFAULT ${c.defaultSql}` : ''}`);
  await client.query('BEGIN');
  try {
    await client.query(`CREATE TEMP TABLE markethub_planned (${columns.join(', ')}) ON COMMIT DROP`);
    const { rows } = await client.query<ColumnFacts & { name: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, false AS "notNull",
              pg_get_expr(d.adbin, d.adrelid) AS default, false AS identity, false AS generated
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'markethub_planned'::regclass AND a.attnum > 0`,
    );
    return new Map(rows.map(({ name, ...facts }) => [name, facts]));
  } finally {
    await client.query('ROLLBACK');
  }
}

async function constraintNames(client: pg.Client, schema: string): Promise<Map<string, { type: string; valid: boolean; table: string }>> {
  const { rows } = await client.query<{ name: string; type: string; valid: boolean; table: string }>(
    `SELECT con.conname AS name, con.contype AS type, con.convalidated AS valid, c.relname AS table
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1`,
    [schema],
  );
  return new Map(rows.map((r) => [`${r.table}\0${r.name}`, r]));
}

async function indexNames(client: pg.Client, schema: string): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1', [schema]);
  return new Set(rows.map((r) => r.name));
}

export interface StructureResult {
  problems: StructureProblem[];
  /** Differences the migration made on purpose and reported (relaxed NOT NULL, constraints kept NOT VALID...). */
  expected: StructureProblem[];
}

/**
 * Compares the target with the plan. `done` is the migration's ledger (finished steps): it says which
 * NOT NULLs were relaxed, which constraints were kept NOT VALID, which generated columns became plain, and,
 * when the migration finished, which steps it reported as not created.
 */
export async function verifyStructure(
  client: pg.Client,
  plan: TargetPlan,
  catalog: SourceCatalog,
  done: Map<string, Record<string, unknown>>,
  migrationFinished: boolean,
): Promise<StructureResult> {
  const problems: StructureProblem[] = [];
  const expected: StructureProblem[] = [];
  const relaxed = new Set([...done.keys()].filter((k) => k.startsWith('drop-not-null:')).map((k) => k.slice('drop-not-null:'.length).replace(':', '.')));
  const reportedNotCreated = (key: string) => migrationFinished && !done.has(key);
  const { rows: existing } = await client.query<{ name: string }>("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')", [plan.schema]);
  const tables = new Set(existing.map((r) => r.name));
  const constraints = await constraintNames(client, plan.schema);
  const indexes = await indexNames(client, plan.schema);

  for (const table of plan.tables) {
    if (!tables.has(table.name)) {
      problems.push({ table: table.name, what: 'table missing in the target' });
      continue;
    }
    const actual = await columnFacts(client, plan.schema, table.name);
    const planned = await plannedFacts(client, table);
    for (const column of table.columns) {
      const got = actual.get(column.name);
      const want = planned.get(column.name)!;
      if (!got) {
        problems.push({ table: table.name, what: `column ${column.name} missing` });
        continue;
      }
      if (got.type !== want.type) problems.push({ table: table.name, what: `column ${column.name} is ${got.type}, planned ${want.type}` });
      const isRelaxed = relaxed.has(`${table.name}.${column.name}`);
      const wantNotNull = !column.source.nullable && !isRelaxed;
      if (got.notNull !== wantNotNull) problems.push({ table: table.name, what: `column ${column.name} is ${got.notNull ? 'NOT NULL' : 'nullable'}, planned ${wantNotNull ? 'NOT NULL' : 'nullable'}` });
      else if (isRelaxed) expected.push({ table: table.name, what: `column ${column.name} lost NOT NULL: zero dates arrived as NULL` });
      if (column.identity && !got.identity) problems.push({ table: table.name, what: `column ${column.name} is not an identity column` });
      if (column.generatedSql && !got.generated) {
        (done.get(`create-table:${table.name}`)?.fallback ? expected : problems).push({ table: table.name, what: `column ${column.name} is a plain column, not generated` });
      }
      if (!column.identity && !column.generatedSql && (got.default ?? null) !== (want.default ?? null)) {
        problems.push({ table: table.name, what: `column ${column.name} defaults to ${got.default ?? 'nothing'}, planned ${want.default ?? 'nothing'}` });
      }
    }
  }

  for (const step of plan.steps) {
    if (!step.table || !tables.has(step.table)) continue;
    const [kind, , name] = step.key.split(':');
    if (['primary-key', 'index', 'foreign-key', 'check'].includes(kind) && reportedNotCreated(step.key)) {
      expected.push({ table: step.table, what: `${step.description}: not created (reported by the migration)` });
      continue;
    }
    if (kind === 'primary-key') {
      const pk = [...constraints.values()].find((c) => c.table === step.table && c.type === 'p');
      if (!pk) problems.push({ table: step.table, what: 'primary key missing' });
    } else if (kind === 'index') {
      if (!indexes.has(name)) problems.push({ table: step.table, what: `index ${name} missing` });
    } else if (kind === 'foreign-key' || kind === 'check') {
      const found = constraints.get(`${step.table}\0${name}`);
      if (!found) problems.push({ table: step.table, what: `${kind} ${name} missing` });
      else if (!found.valid) (done.get(step.key)?.validated === false ? expected : problems).push({ table: step.table, what: `${kind} ${name} is NOT VALID: existing rows break it` });
    }
  }

  for (const table of plan.tables) {
    const identity = table.columns.find((c) => c.identity);
    const source = catalog.tables.find((t) => t.name === table.sourceName);
    if (!identity || !tables.has(table.name)) continue;
    const qualified = `${qi(plan.schema)}.${qi(table.name)}`;
    const { rows: [{ sequence }] } = await client.query<{ sequence: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS sequence', [qualified, identity.name]);
    if (!sequence) continue;
    const { rows } = await client.query<{ next: string; max: string | null }>(
      `SELECT (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ${sequence})::text AS next,
              (SELECT max(${qi(identity.name)}) FROM ${qualified})::text AS max`,
    );
    const next = BigInt(rows[0].next);
    if (source?.autoIncrement && next < BigInt(source.autoIncrement)) {
      problems.push({ table: table.name, what: `identity ${identity.name} would hand out ${next}, below the source's AUTO_INCREMENT counter ${source.autoIncrement}` });
    }
    if (rows[0].max !== null && next <= BigInt(rows[0].max)) {
      problems.push({ table: table.name, what: `identity ${identity.name} would hand out ${next}, but ${rows[0].max} is already taken` });
    }
  }
  return { problems, expected };
}
