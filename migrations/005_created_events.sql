-- A MySQL event migrate db carried over is a schedule row in markethub_jobs.database_events beside its
-- procedure: rollback deletes the row, so it is recorded as an object of its own.
ALTER TABLE markethub_migrate.created_objects DROP CONSTRAINT IF EXISTS created_objects_kind_check;
ALTER TABLE markethub_migrate.created_objects ADD CONSTRAINT created_objects_kind_check
  CHECK (kind IN ('schema', 'table', 'view', 'function', 'event', 'extension', 'collation'));
