-- migrate sync: where each direction stands, and every batch applied to Postgres. A batch's record is
-- written in the same transaction as its rows, so after a crash no change is applied twice or skipped.
CREATE TABLE IF NOT EXISTS markethub_migrate.sync_state (
  migration_key      text        NOT NULL,
  direction          text        NOT NULL CHECK (direction IN ('forward', 'reverse')),
  capture_started_at timestamptz NOT NULL DEFAULT now(),
  -- When rows changed between the copy and the start of capture were found by comparison and queued.
  reconciled_at      timestamptz,
  heartbeat_at       timestamptz,
  lag_seconds        double precision,
  pending            bigint,
  applied_changes    bigint      NOT NULL DEFAULT 0,
  -- True while a process follows this direction (with a recent heartbeat; a killed one leaves it true).
  following          boolean     NOT NULL DEFAULT false,
  -- Set by `migrate sync --switch-writes` to take over from a running follower.
  stop_requested     boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (migration_key, direction)
);

CREATE TABLE IF NOT EXISTS markethub_migrate.sync_batches (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  migration_key   text        NOT NULL,
  change_ids      bigint[]    NOT NULL,
  tables          text[]      NOT NULL,
  upserts         integer     NOT NULL,
  deletes         integer     NOT NULL,
  max_lag_seconds double precision,
  applied_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sync_batches_key ON markethub_migrate.sync_batches (migration_key, id);
