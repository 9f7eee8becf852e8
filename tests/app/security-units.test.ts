// The pure parts of the login limiter and the upload checks.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { accountKey, addressKey, memoryLoginAttempts } from '../../src/app/services/login-attempts.js';
import { contentMatchesType } from '../../src/app/services/file-types.js';
import { isBcrypt, isLegacyMd5, passwordChecker } from '../../src/app/services/passwords.js';
import { resolveConfig } from '../../src/app/config.js';

test('keys: e-mails hashed case-insensitively, IPv4 as is (also IPv4-mapped), IPv6 by its /64', () => {
  assert.equal(accountKey(' Alice@Example.com '), accountKey('alice@example.com'));
  assert.doesNotMatch(accountKey('alice@example.com'), /alice/);
  assert.equal(addressKey('203.0.113.5'), 'address:203.0.113.5');
  assert.equal(addressKey('::ffff:203.0.113.5'), 'address:203.0.113.5');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), addressKey('2001:db8:1:2:ffff::9'));
  assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
});

test('the memory store counts per window, forgives and clears', async () => {
  let now = 1_000_000;
  const store = memoryLoginAttempts(() => now);
  assert.deepEqual((await store.hit(['a', 'b'], 60)).map((c) => c.attempts), [1, 1]);
  assert.deepEqual((await store.hit(['a', 'b'], 60)).map((c) => [c.attempts, c.retryAfterSeconds]), [[2, 60], [2, 60]]);
  await store.forgive('b');
  await store.clear('a');
  assert.deepEqual((await store.hit(['a', 'b'], 60)).map((c) => c.attempts), [1, 2]);
  now += 61_000;
  assert.deepEqual((await store.hit(['b'], 60)).map((c) => c.attempts), [1], 'a new window');
});

test('hash kinds, and a checker that matches bcrypt and md5 but nothing for expired or unknown', async () => {
  assert.ok(isLegacyMd5('5f4dcc3b5aa765d61d8327deb882cf99'));
  assert.ok(!isLegacyMd5('!expired-legacy-md5'));
  assert.ok(isBcrypt('$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'));
  const check = passwordChecker(4);
  assert.equal(await check.matches('5f4dcc3b5aa765d61d8327deb882cf99', 'password'), true);
  assert.equal(await check.matches('5f4dcc3b5aa765d61d8327deb882cf99', 'Password'), false);
  assert.equal(await check.matches('!expired-legacy-md5', 'password'), false);
  assert.equal(await check.matches(undefined, 'password'), false);
});

test('login limits and the pending-order time are checked at start', () => {
  assert.throws(() => resolveConfig({ jwtSecret: 'x'.repeat(16), loginLimits: { perAccount: 0 } }), /loginLimits.perAccount must be a positive integer, got 0/);
  assert.throws(() => resolveConfig({ jwtSecret: 'x'.repeat(16), pendingOrderMinutes: -1 }), /pendingOrderMinutes must be a positive number/);
  assert.deepEqual(resolveConfig({ jwtSecret: 'x'.repeat(16) }).loginLimits, { perAccount: 10, perAddress: 100, windowSeconds: 900 });
});

test('content signatures', () => {
  assert.ok(contentMatchesType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'));
  assert.ok(contentMatchesType(Buffer.from('GIF89a...'), 'image/gif'));
  assert.ok(contentMatchesType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'image/webp'));
  assert.ok(!contentMatchesType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png'));
  assert.ok(!contentMatchesType(Buffer.from('anything'), 'application/x-unknown'));
});
