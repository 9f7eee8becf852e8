-- The migration's own state, kept in the target database so verify, rollback, status and resume
-- can all read it. Only this tool writes here.
CREATE SCHEMA IF NOT EXISTS markethub_migrate;

-- One row per invocation of a command.
CREATE TABLE IF NOT EXISTS markethub_migrate.runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  command       text        NOT NULL,
  -- Identifies one migration (source database -> target schema); re-runs of it share the key.
  migration_key text        NOT NULL,
  source        text        NOT NULL, -- DSN with the password masked
  target_schema text        NOT NULL,
  options       jsonb       NOT NULL DEFAULT '{}',
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  outcome       text        NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'success', 'failed', 'interrupted')),
  plan          jsonb,
  report        jsonb
);
CREATE INDEX IF NOT EXISTS runs_migration_key ON markethub_migrate.runs (migration_key, id);

-- Every finished step of a migration, written in the same transaction as the step's own work,
-- so a step is either done and recorded or neither.
CREATE TABLE IF NOT EXISTS markethub_migrate.steps (
  migration_key text        NOT NULL,
  step_key      text        NOT NULL,
  phase         text        NOT NULL,
  run_id        bigint      NOT NULL REFERENCES markethub_migrate.runs (id),
  done_at       timestamptz NOT NULL DEFAULT now(),
  detail        jsonb       NOT NULL DEFAULT '{}',
  PRIMARY KEY (migration_key, step_key)
);

-- Objects this tool created: rollback drops these and nothing else.
CREATE TABLE IF NOT EXISTS markethub_migrate.created_objects (
  migration_key text        NOT NULL,
  kind          text        NOT NULL CHECK (kind IN ('schema', 'table', 'view', 'function')),
  schema_name   text        NOT NULL,
  name          text        NOT NULL,
  run_id        bigint      NOT NULL REFERENCES markethub_migrate.runs (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (migration_key, kind, schema_name, name)
);

-- Every value the migration had to change, by table, primary key and column.
CREATE TABLE IF NOT EXISTS markethub_migrate.value_changes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  migration_key text   NOT NULL,
  run_id        bigint NOT NULL REFERENCES markethub_migrate.runs (id),
  table_name    text   NOT NULL,
  column_name   text   NOT NULL,
  row_key       jsonb,
  what          text   NOT NULL,
  why           text   NOT NULL
);
CREATE INDEX IF NOT EXISTS value_changes_table ON markethub_migrate.value_changes (migration_key, table_name);
