// Pure parts of the cutover: sticky buckets, route names, response comparison, the guard's window.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import jwt from 'jsonwebtoken';
import { bucketOf, goesToNew, jwtUserVerifier, routeOf, signCohort, verifiedCohort } from '../../src/cutover/bucket.js';
import { differingFields, ErrorWindow } from '../../src/cutover/compare.js';

test('buckets are stable, spread evenly, and a higher percentage only adds users', () => {
  assert.equal(bucketOf('user:42'), bucketOf('user:42'));
  const users = Array.from({ length: 20_000 }, (_, i) => `user:${i}`);
  const share = (p: number) => users.filter((u) => goesToNew(u, p)).length / users.length;
  assert.ok(Math.abs(share(10) - 0.1) < 0.01, `${share(10)}`);
  assert.ok(Math.abs(share(50) - 0.5) < 0.015, `${share(50)}`);
  assert.equal(share(0), 0);
  assert.equal(share(100), 1);
  for (const u of users.slice(0, 2000)) if (goesToNew(u, 10)) assert.ok(goesToNew(u, 25) && goesToNew(u, 90), u);
});

test('the user comes from an access token only once verified; anything else is no user', () => {
  const verify = jwtUserVerifier({ secret: 'unit-secret-0123456789' });
  const signed = (payload: object, secret = 'unit-secret-0123456789', extra: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign(payload, secret, { algorithm: 'HS256', issuer: 'markethub', audience: 'markethub-api', expiresIn: 60, ...extra })}`;
  assert.equal(verify(signed({ sub: '17' })), '17');
  assert.equal(verify(signed({ sub: '17' }, 'another-secret-0123456789')), undefined);
  assert.equal(verify(signed({ sub: '17' }, undefined, { expiresIn: -10 })), undefined);
  assert.equal(verify(`Bearer x.${Buffer.from(JSON.stringify({ sub: '17' })).toString('base64url')}.sig`), undefined);
  assert.equal(verify(signed({ nope: 1 })), undefined);
  assert.equal(verify('Bearer not-a-jwt'), undefined);
  assert.equal(verify(undefined), undefined);
});

test('a cohort cookie counts only with the signature of this front', () => {
  const secret = 'cohort-unit-secret-0123';
  const cookie = signCohort('0123456789abcdef01234567', secret);
  assert.equal(verifiedCohort(cookie, secret), '0123456789abcdef01234567');
  assert.equal(verifiedCohort(cookie, 'another-secret-0123456'), undefined);
  assert.equal(verifiedCohort(cookie.replace('0123', '1123'), secret), undefined);
  for (const bad of [undefined, '', 'user-1', '%E0%A4%A', `${cookie}x`, 'a.b']) assert.equal(verifiedCohort(bad, secret), undefined, String(bad));
});

test('route names fold ids so one route counts as one', () => {
  assert.equal(routeOf('get', '/api/products/12'), 'GET /api/products/:id');
  assert.equal(routeOf('GET', '/api/sessions/0b9f3c1e-6a2d-4c9e-9f00-5d7e1a2b3c4d'), 'GET /api/sessions/:id');
  assert.equal(routeOf('GET', '/api/products?page=2'), 'GET /api/products');
});

test('responses differ by status, by JSON field (ignored fields aside) or by bytes', () => {
  const res = (status: number, body: unknown) => ({ status, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
  const ignore = new Set(['requestId', 'updatedAt']);
  assert.deepEqual(differingFields(res(200, { a: 1, b: { c: [1, 2] }, requestId: 'x' }), res(200, { b: { c: [1, 2] }, a: 1, requestId: 'y' }), ignore), []);
  assert.deepEqual(differingFields(res(200, { a: 1, b: [1, 2] }), res(404, { a: 2, b: [1] }), ignore), ['status', 'body.a', 'body.b.length']);
  assert.deepEqual(differingFields(res(200, { p: { updatedAt: 1, price: '9.99' } }), res(200, { p: { updatedAt: 2, price: '9.90' } }), ignore), ['body.p.price']);
  assert.deepEqual(differingFields(res(200, 'plain'), res(200, 'Plain'), ignore), ['body']);
});

test('the guard trips only on a full window above the threshold, and forgets after a reset', () => {
  const window = new ErrorWindow(100, 0.02);
  for (let i = 0; i < 99; i++) assert.equal(window.record(i < 10), false, 'not full yet');
  assert.equal(window.record(false), true, '10% of 100');
  window.reset();
  for (let i = 0; i < 100; i++) window.record(i % 50 === 0);
  assert.equal(window.record(false), false, '2% is not above 2%');
});

test('one client cannot trip the guard, and failures need several clients', () => {
  const window = new ErrorWindow(100, 0.02);
  for (let i = 0; i < 500; i++) assert.equal(window.record(true, '198.51.100.1'), false, 'one client, all failing');
  for (let i = 0; i < 100; i++) window.record(false, `10.0.0.${i}`);
  assert.equal(window.record(true, 'a'), false);
  assert.equal(window.record(true, 'b'), false, 'two failing clients, 3% of the window');
  assert.equal(window.record(true, 'c'), true, 'three failing clients');
});
