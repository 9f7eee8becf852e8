-- Objects migrate db sets up for case-insensitive columns (the citext extension, ICU collations): rollback
-- drops them when this tool created them, as it does its schema.
ALTER TABLE markethub_migrate.created_objects DROP CONSTRAINT IF EXISTS created_objects_kind_check;
ALTER TABLE markethub_migrate.created_objects ADD CONSTRAINT created_objects_kind_check
  CHECK (kind IN ('schema', 'table', 'view', 'function', 'extension', 'collation'));
