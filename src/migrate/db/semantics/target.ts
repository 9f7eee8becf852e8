// What the Postgres target offers for case-insensitive comparison (citext, ICU collations), read once.
import type pg from 'pg';

export interface TargetSupport {
  /** server_version_num, e.g. 150020 */
  version: number;
  /** Schema citext is installed in, or null when it is not installed. */
  citextSchema: string | null;
  /** citext can be created by this role (installed already, or available and creatable). */
  citextCreatable: boolean;
  /** ICU collations exist (Postgres built with ICU). */
  icu: boolean;
}

export async function readTargetSupport(client: pg.Client): Promise<TargetSupport> {
  const { rows: [row] } = await client.query<{ version: number; schema: string | null; available: boolean; creatable: boolean; icu: boolean }>(
    `SELECT current_setting('server_version_num')::int AS version,
            (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'citext') AS schema,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citext') AS available,
            -- citext is a trusted extension (Postgres 13+): a role that may create in the database may install it.
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
              OR (has_database_privilege(current_database(), 'CREATE')
                  AND EXISTS (SELECT 1 FROM pg_available_extension_versions WHERE name = 'citext' AND trusted)) AS creatable,
            EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i') AS icu`,
  );
  return {
    version: row.version,
    citextSchema: row.schema,
    citextCreatable: row.schema !== null || (row.available && row.creatable),
    icu: row.icu,
  };
}
