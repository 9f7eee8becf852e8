// The app's pure helpers: value normalisation across dialects, money, IP bytes, log redaction.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createLogger, redact } from '../../src/app/logger.js';
import { formatDecimal, sortKeys, toBoolean, toInteger } from '../../src/app/models/dialect.js';
import { amountToCents, centsToAmount, iso } from '../../src/app/services/serialize.js';
import { ipBytes } from '../../src/app/services/ip-bytes.js';
import { hashToken } from '../../src/app/services/sessions.js';
import { onFirstRequest } from '../../src/app/middleware/on-first-request.js';
import { escapeLike, isRetryable } from '../../src/app/services/sql.js';

test('booleans from TINYINT(1), BIT(1) buffers and Postgres booleans', () => {
  assert.equal(toBoolean(1), true);
  assert.equal(toBoolean(0), false);
  assert.equal(toBoolean(Buffer.from([1])), true);
  assert.equal(toBoolean(Buffer.from([0])), false);
  assert.equal(toBoolean(true), true);
  assert.equal(toBoolean(null), null);
});

test('integers: safe ones as numbers, huge ones as exact strings', () => {
  assert.equal(toInteger('42'), 42);
  assert.equal(toInteger(42), 42);
  assert.equal(toInteger('10158012345678901'), '10158012345678901');
  assert.equal(toInteger(null), null);
});

test('decimals keep their scale; money goes through integer cents', () => {
  assert.equal(formatDecimal('12.5', 2), '12.50');
  assert.equal(formatDecimal('0.15', 4), '0.1500');
  assert.equal(formatDecimal(7, 2), '7.00');
  assert.equal(formatDecimal('-3.1', 2), '-3.10');
  assert.equal(amountToCents('24.50'), 2450);
  assert.equal(amountToCents('0.07'), 7);
  assert.equal(amountToCents('149'), 14900);
  assert.equal(centsToAmount(37150), '371.50');
  assert.equal(centsToAmount(5), '0.05');
  assert.equal(centsToAmount(-5), '-0.05');
  assert.throws(() => amountToCents('abc'));
});

test('JSON objects read with sorted keys whatever order the database keeps', () => {
  assert.deepEqual(JSON.stringify(sortKeys({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 2 } })), '{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}');
});

test('dates render as ISO strings, invalid ones (MySQL zero dates) as null', () => {
  assert.equal(iso(new Date('2024-01-02T03:04:05Z')), '2024-01-02T03:04:05.000Z');
  assert.equal(iso(new Date(Number.NaN)), null);
  assert.equal(iso(null), null);
});

test('client addresses as INET6_ATON bytes', () => {
  assert.deepEqual(ipBytes('127.0.0.1'), Buffer.from([127, 0, 0, 1]));
  assert.deepEqual(ipBytes('::ffff:10.1.2.3'), Buffer.from([10, 1, 2, 3]));
  assert.equal(ipBytes('2001:db8::1')!.toString('hex'), '20010db8000000000000000000000001');
  assert.equal(ipBytes('::1')!.toString('hex'), '00000000000000000000000000000001');
  assert.equal(ipBytes('not an ip'), null);
  assert.equal(ipBytes(undefined), null);
});

test('refresh tokens are stored as sha256', () => {
  assert.equal(hashToken('abc').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('LIKE patterns escape wildcards and the escape character', () => {
  assert.equal(escapeLike('50%_off\\'), '50\\%\\_off\\\\');
});

test('deadlocks and serialization failures are retryable on both dialects, other errors are not', () => {
  assert.equal(isRetryable({ parent: { errno: 1213 } }), true);
  assert.equal(isRetryable({ parent: { code: '40P01' } }), true);
  assert.equal(isRetryable({ code: '40001' }), true);
  assert.equal(isRetryable({ parent: { code: '23505' } }), false);
  assert.equal(isRetryable(new Error('x')), false);
});

test('logs redact secrets by key and tokens by shape', () => {
  const lines: string[] = [];
  const logger = createLogger((l) => lines.push(l));
  logger.info('login', {
    password: 'hunter22', refreshToken: 'abc', headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' },
    note: 'sent Bearer abc.def.ghi', nested: [{ jwt: 'x' }], email: 'a@b.co',
  });
  const entry = JSON.parse(lines[0]!);
  assert.equal(entry.password, '[redacted]');
  assert.equal(entry.refreshToken, '[redacted]');
  assert.equal(entry.headers.authorization, '[redacted]');
  assert.equal(entry.note, 'sent Bearer [redacted]');
  assert.equal(entry.nested[0].jwt, '[redacted]');
  assert.equal(entry.email, 'a@b.co');
  assert.equal(entry.level, 'info');
  const error = redact(new Error('token eyJa.eyJb.c')) as { name: string; message: string; stack: string };
  assert.equal(error.message, 'token [redacted]');
  assert.doesNotMatch(error.stack, /eyJa/);
});

test('direct uploads: the serverless settings, and a presigning client that would add a checksum is refused', async () => {
  const { ConfigurationError, serverlessAppConfig, VERCEL_BODY_LIMIT_BYTES } = await import('../../shim/app/index.js');
  const { s3Storage } = await import('../../src/app/services/s3-storage.js');
  const { createS3Client } = await import('../../src/migrate/files/s3.js');
  const env = { JWT_SECRET: 'units-secret-0123456789', S3_BUCKET: 'b', CDN_BASE_URL: 'https://cdn.example.test' };
  const config = serverlessAppConfig({ ...env, UPLOAD_URL_EXPIRY_SECONDS: '120' });
  assert.equal(config.functionBodyLimitBytes, VERCEL_BODY_LIMIT_BYTES);
  assert.equal(config.directUploadExpirySeconds, 120);
  assert.equal(serverlessAppConfig(env).directUploadExpirySeconds, undefined);
  for (const bad of ['soon', '0', '1.5', String(8 * 24 * 3600)]) {
    assert.throws(() => serverlessAppConfig({ ...env, UPLOAD_URL_EXPIRY_SECONDS: bad }), ConfigurationError, bad);
  }
  const credentials = { accessKeyId: 'UNITS', secretAccessKey: 'units-secret' };
  const storage = (checksums: 'when-required' | 'when-supported') => {
    const client = createS3Client({ endpoint: 'http://127.0.0.1:9', checksums });
    client.config.credentials = async () => credentials;
    return s3Storage({ client, bucket: 'b', cdnBase: 'https://cdn.example.test' }).direct!;
  };
  const file = { contentType: 'image/png', size: 10, expiresInSeconds: 60 };
  await assert.rejects(storage('when-supported').presignPut('product-images/p1-x.png', file), /WHEN_REQUIRED/);
  const put = await storage('when-required').presignPut('product-images/p1-x.png', file);
  assert.match(put.url, /^http:\/\/127\.0\.0\.1:9\/b\/products\/p1-x\.png\?/);
  assert.doesNotMatch(put.url, /checksum/i);
  assert.ok(!put.url.includes('units-secret'));
});

test('a router loaded on first request: loaded once for requests arriving together, tried again after a failed load', async () => {
  let loads = 0;
  let fail = true;
  const handled: string[] = [];
  const lazy = onFirstRequest(async () => {
    loads++;
    if (fail) throw new Error('module failed to load');
    return ((req: { url: string }, _res: unknown, next: () => void) => { handled.push(req.url); next(); }) as never;
  });
  const call = (url: string) => new Promise<unknown>((resolve) => lazy({ url } as never, {} as never, resolve as never));
  assert.match(String(await call('/a')), /module failed to load/);
  fail = false;
  assert.deepEqual(await Promise.all([call('/b'), call('/c')]), [undefined, undefined]);
  await call('/d');
  assert.equal(loads, 2);
  assert.deepEqual(handled, ['/b', '/c', '/d']);
});
