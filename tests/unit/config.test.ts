import assert from 'node:assert/strict';
import { test } from 'vitest';
import { migrateDbConfig, migrateFilesConfig, USAGE_ERROR, UserError } from '../../src/config/index.js';
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

test('a password given as ?password= is used, and every credential in the query is masked', () => {
  assert.equal(parseDsn('mysql://app@db/shop?password=p%26ss', 'mysql', '--source').password, 'p&ss');
  assert.equal(
    maskDsn('postgres://app@pg/shop?sslmode=require&password=s3cret&sslpassword=k3y&application_name=mh&access_token=t0k'),
    'postgres://app@pg/shop?sslmode=require&password=***&sslpassword=***&application_name=mh&access_token=***',
  );
  assert.equal(maskDsn('mysql://app:s3cret@db/shop?PASSWORD=x#frag'), 'mysql://app:***@db/shop?PASSWORD=***#frag');
  assert.equal(redactSecrets('cannot reach postgres://app@pg/shop?password=s3cret&x=1: refused', []), 'cannot reach postgres://app@pg/shop?password=***&x=1: refused');
  assert.throws(() => parseDsn('mysql://app:one@db/shop?password=two', 'mysql', '--source'), /: --source gives two passwords, in the user part and as the password parameter \(mysql:\/\/app:\*\*\*@db\/shop\?password=\*\*\*\); keep one$/);
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

test('migrate files config: defaults, and one line naming the flag for each bad value', async () => {
  const flags = { uploads: 'public/Upload', bucket: 'markethub-media', target: 'postgres://app:pw@pg/shop', cdnBase: 'https://cdn.example.com//' };
  const config = await migrateFilesConfig(flags, {});
  assert.deepEqual(
    { schema: config.schema, cdnBase: config.cdnBase, concurrency: config.concurrency, multipartThreshold: config.multipartThreshold, s3: config.s3, dryRun: config.dryRun },
    { schema: 'public', cdnBase: 'https://cdn.example.com', concurrency: 16, multipartThreshold: 128 * 1024 * 1024, s3: { endpoint: undefined, region: undefined, checksums: 'when-supported' }, dryRun: false },
  );
  assert.equal((await migrateFilesConfig({ ...flags, endpoint: 'http://127.0.0.1:4569' }, {})).s3.checksums, 'when-required', 'S3-compatible servers');
  assert.equal((await migrateFilesConfig({ ...flags, bucket: undefined, rewrite: false, cdnBase: undefined }, { MARKETHUB_BUCKET: 'from-env' })).bucket, 'from-env');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ uploads: undefined }, /^--uploads is required/],
    [{ bucket: 'Bad_Bucket' }, /^--bucket is not a valid S3 bucket name$/],
    [{ target: undefined }, /^--target is required \(or set DATABASE_URL\)$/],
    [{ target: 'mysql://root:s3cret@db/shop' }, /^--target must be a postgres:\/\/ URL/],
    [{ cdnBase: 'cdn.example.com' }, /^--cdn-base must be an http\(s\) URL, like https:\/\/cdn.markethub.com$/],
    [{ cdnBase: undefined }, /^--cdn-base is required to rewrite URLs \(or pass --no-rewrite\)$/],
    [{ endpoint: 'ftp://x' }, /^--endpoint must be an http\(s\) URL/],
    [{ checksums: 'always' }, /^--checksums must be when-supported or when-required$/],
    [{ concurrency: 'many' }, /^--concurrency must be a whole number$/],
    [{ concurrency: '0' }, /^--concurrency must be at least 1$/],
    [{ concurrency: '1000' }, /^--concurrency must be at most 256$/],
    [{ multipartThreshold: '4' }, /^--multipart-threshold must be at least 5 \(MiB\)$/],
    [{ multipartThreshold: '1.5' }, /^--multipart-threshold must be a whole number of MiB$/],
    [{ config: '/nonexistent.json' }, /^--config: file \/nonexistent.json not found$/],
  ];
  for (const [change, message] of cases) {
    const error = await migrateFilesConfig({ ...flags, ...change }, {}).then(() => assert.fail(`accepted ${JSON.stringify(change)}`), (e: unknown) => e);
    assert.ok(error instanceof UserError && error.exitCode === USAGE_ERROR, String(error));
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /s3cret|pw@/);
  }
});
