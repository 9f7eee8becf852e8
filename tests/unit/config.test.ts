import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateDbConfig, UserError } from '../../src/config/index.js';
import { maskDsn, parseDsn, redactSecrets } from '../../src/config/dsn.js';

const base = { source: 'mysql://root:s3cret@db:3306/shop', target: 'postgres://app:pw@pg/shop' };

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UserError);
    return error;
  }
  assert.fail('expected an error');
}

test('DSNs parse with defaults and mask their password', () => {
  const dsn = parseDsn('mysql://root:s3cret@db/shop', 'mysql', '--source');
  assert.deepEqual({ ...dsn, url: undefined }, { protocol: 'mysql', user: 'root', password: 's3cret', host: 'db', port: 3306, database: 'shop', url: undefined });
  assert.equal(maskDsn('postgres://app:p%40ss@pg:5432/shop'), 'postgres://app:***@pg:5432/shop');
  assert.equal(maskDsn('postgres://app:p@ss@pg:5432/shop'), 'postgres://app:***@pg:5432/shop', 'a raw @ in the password');
  assert.equal(redactSecrets('failed for mysql://root:s3cret@db/shop using s3cret', ['s3cret']), 'failed for mysql://root:***@db/shop using ***');
});

test('config: sources from flags or environment, validated with one-line errors', () => {
  const config = migrateDbConfig({}, { MARKETHUB_SOURCE_URL: base.source, DATABASE_URL: base.target });
  assert.equal(config.schema, 'public');
  assert.equal(config.sourceTimezone, 'UTC');
  assert.equal(config.target.database, 'shop');
  assert.equal(errorOf(() => migrateDbConfig({}, {})).message, '--source is required (or set MARKETHUB_SOURCE_URL)');
  assert.equal(errorOf(() => migrateDbConfig({ ...base, target: base.source }, {})).message, '--target must be a postgres:// URL, got mysql:// (mysql://root:***@db:3306/shop)');
  assert.match(errorOf(() => migrateDbConfig({ ...base, source: 'mysql://db' }, {})).message, /--source names no database/);
  assert.match(errorOf(() => migrateDbConfig({ ...base, jobs: 'many' }, {})).message, /^--jobs must be a whole number/);
  assert.match(errorOf(() => migrateDbConfig({ ...base, sourceTimezone: 'Mars/Base' }, {})).message, /^--source-timezone is not a time zone/);
  assert.match(errorOf(() => migrateDbConfig({ ...base, schemaOnly: true, dataOnly: true }, {})).message, /exclude each other/);
  assert.match(errorOf(() => migrateDbConfig({ ...base, typeMap: '/nonexistent.json' }, {})).message, /--type-map: file \/nonexistent.json not found/);
  for (const e of [errorOf(() => migrateDbConfig({ ...base, target: 'postgres://x:pw@' }, {}))]) assert.doesNotMatch(e.message, /pw|s3cret/);
});
