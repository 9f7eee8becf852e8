// Change capture on Postgres, for the way back once writes have moved there: one row trigger per table
// writes the key of each changed row to markethub_sync.changes. Unlike MySQL, Postgres fires row
// triggers for rows changed by a foreign key's CASCADE or SET NULL, so those changes are captured too.
import type pg from 'pg';
import { quoteIdent as qi, quoteLiteral, type TargetTable } from '../db/index.js';
import type { CapturedChange } from './batch.js';

export const PG_SYNC_SCHEMA = 'markethub_sync';
/** Set in the session that applies MySQL changes to Postgres, so these triggers do not capture them again. */
export const PG_APPLYING_SETTING = 'markethub.sync_applying';
const TRIGGER = 'markethub_sync_capture';
const CHANGES = `${PG_SYNC_SCHEMA}.changes`;

const SETUP_SQL = `
CREATE SCHEMA IF NOT EXISTS ${PG_SYNC_SCHEMA};
CREATE TABLE IF NOT EXISTS ${CHANGES} (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tbl        text   NOT NULL,
  pk         text[],
  changed_at double precision NOT NULL DEFAULT extract(epoch FROM clock_timestamp())
);
-- The trigger's arguments are the key columns; a table without a key has none, and its changes carry
-- no key (the whole table is copied back).
CREATE OR REPLACE FUNCTION ${PG_SYNC_SCHEMA}.capture() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  old_key text[];
  new_key text[];
BEGIN
  IF current_setting('${PG_APPLYING_SETTING}', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' AND TG_NARGS > 0 THEN
    old_key := ARRAY(SELECT to_jsonb(OLD) ->> a FROM unnest(TG_ARGV) WITH ORDINALITY AS u(a, n) ORDER BY n);
  END IF;
  IF TG_OP <> 'DELETE' AND TG_NARGS > 0 THEN
    new_key := ARRAY(SELECT to_jsonb(NEW) ->> a FROM unnest(TG_ARGV) WITH ORDINALITY AS u(a, n) ORDER BY n);
  END IF;
  IF TG_OP <> 'INSERT' THEN INSERT INTO ${CHANGES} (tbl, pk) VALUES (TG_TABLE_NAME, old_key); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND old_key IS DISTINCT FROM new_key) THEN
    INSERT INTO ${CHANGES} (tbl, pk) VALUES (TG_TABLE_NAME, new_key);
  END IF;
  RETURN NULL;
END
$fn$;`;

export async function installPostgresCapture(client: pg.Client, schema: string, tables: TargetTable[]): Promise<void> {
  await client.query(SETUP_SQL);
  for (const table of tables) {
    const on = `${qi(schema)}.${qi(table.name)}`;
    await client.query(`DROP TRIGGER IF EXISTS ${TRIGGER} ON ${on}`);
    await client.query(
      `CREATE TRIGGER ${TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON ${on} FOR EACH ROW EXECUTE FUNCTION ${PG_SYNC_SCHEMA}.capture(${table.primaryKey.map(quoteLiteral).join(', ')})`,
    );
  }
}

export async function removePostgresCapture(client: pg.Client, schema: string, tables: TargetTable[]): Promise<void> {
  for (const table of tables) await client.query(`DROP TRIGGER IF EXISTS ${TRIGGER} ON ${qi(schema)}.${qi(table.name)}`);
  await client.query(`DROP SCHEMA IF EXISTS ${PG_SYNC_SCHEMA} CASCADE`);
}

export async function hasPostgresCapture(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT to_regclass('${CHANGES}') IS NOT NULL AS ok`);
  return rows[0].ok;
}

/** The oldest changes not yet applied, in the caller's snapshot, with the Postgres clock for lag. */
export async function readPostgresChanges(client: pg.Client, limit: number): Promise<{ changes: CapturedChange[]; now: number }> {
  const { rows } = await client.query<{ id: string; tbl: string; pk: string[] | null; changed_at: number; now: number }>(
    `SELECT id::text, tbl, pk, changed_at, extract(epoch FROM clock_timestamp())::float8 AS now FROM ${CHANGES} ORDER BY id LIMIT ${Number(limit)}`,
  );
  const now = rows.length ? rows[0].now : Date.now() / 1000;
  return { now, changes: rows.map((r) => ({ id: r.id, table: r.tbl, key: r.pk, changedAt: r.changed_at })) };
}

export async function pendingPostgresChanges(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${CHANGES}`);
  return Number(rows[0].n);
}

export async function deletePostgresChanges(client: pg.Client, ids: string[]): Promise<void> {
  await client.query(`DELETE FROM ${CHANGES} WHERE id = ANY($1::bigint[])`, [ids]);
}
