-- What `migrate files` uploaded and which URLs it rewrote: resume, verify and rollback read these.

-- One row per object this tool wrote or found identical in the bucket. `status`:
--   uploading     the upload was started (the object, if present, may be ours: compare checksums)
--   uploaded      this tool uploaded it and confirmed its checksum
--   pre-existing  the bucket already held these exact bytes; rollback must never delete it
--   failed        every attempt failed; `error` says why
--   rolled-back   rollback deleted it (or found it gone); the key is no longer ours
CREATE TABLE IF NOT EXISTS markethub_migrate.file_manifest (
  bucket        text        NOT NULL,
  key           text        NOT NULL,
  migration_key text        NOT NULL,
  local_path    text        NOT NULL, -- under the uploads root, "/" separated, as found on disk
  size          bigint      NOT NULL,
  mtime_ns      numeric     NOT NULL,
  sha256        text        NOT NULL,
  md5           text,                 -- null while a streamed upload is in flight
  etag          text,
  parts         integer     NOT NULL DEFAULT 1, -- > 1: sent as a multipart upload of that many parts
  status        text        NOT NULL CHECK (status IN ('uploading', 'uploaded', 'pre-existing', 'failed', 'rolled-back')),
  error         text,
  run_id        bigint      NOT NULL REFERENCES markethub_migrate.runs (id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bucket, key)
);
CREATE INDEX IF NOT EXISTS file_manifest_migration ON markethub_migrate.file_manifest (migration_key);

-- Every URL value rewritten, written in the same transaction as the rewrite: rollback restores old_value
-- where the column still holds new_value.
CREATE TABLE IF NOT EXISTS markethub_migrate.url_rewrites (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  migration_key text        NOT NULL,
  run_id        bigint      NOT NULL REFERENCES markethub_migrate.runs (id),
  table_schema  text        NOT NULL,
  table_name    text        NOT NULL,
  column_name   text        NOT NULL,
  row_key       jsonb       NOT NULL,
  old_value     text        NOT NULL,
  new_value     text        NOT NULL,
  rewritten_at  timestamptz NOT NULL DEFAULT now(),
  -- Transaction ids (32-bit, as in xmin) of the rewrite and of its undo: a row whose xmin is one of
  -- these was last written by markethub, not by the app.
  rewrite_xid   bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint % 4294967296),
  undone_at     timestamptz,
  undone_run_id bigint REFERENCES markethub_migrate.runs (id),
  undo_xid      bigint
);
CREATE INDEX IF NOT EXISTS url_rewrites_table ON markethub_migrate.url_rewrites (migration_key, table_schema, table_name) WHERE undone_at IS NULL;
