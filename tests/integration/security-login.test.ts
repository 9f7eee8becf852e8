// Login against guessing: attempts limited per account and per client address in a store in Postgres
// that every instance (and both backends) share, equal timing whatever the account's hash, legacy
// md5 hashes replaced on the first good login, and a way to expire the ones left.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import type { Sequelize } from 'sequelize';
import { createApp, postgresLoginAttempts, type AppConfig } from '../../src/app/index.js';
import { createLegacySequelize, createServerlessSequelize } from '../../src/db/index.js';
import { JWT_SECRET, prepareBackends, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
let backends: Backends;
const opened: Sequelize[] = [];

beforeAll(async () => {
  backends = await prepareBackends('seclogin');
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close().catch(() => {})));
  await backends?.close();
});

/** An app instance of its own over `dialect`, its attempts counted in the migrated Postgres. */
function instance(dialect: 'mysql' | 'postgres', config: Partial<AppConfig> = {}): Express {
  const url = backends[dialect].url;
  const sequelize = dialect === 'mysql' ? createLegacySequelize(url) : createServerlessSequelize(url);
  const store = createServerlessSequelize(backends.postgres.url);
  opened.push(sequelize, store);
  return createApp({
    sequelize,
    config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, trustProxy: true, loginAttempts: postgresLoginAttempts(store), ...config },
  });
}

const login = (app: Express, email: string, password: string, address = '198.51.100.1') =>
  request(app).post('/api/auth/login').set('X-Forwarded-For', address).send({ email, password });

async function register(app: Express, email: string, password = 'right password 1'): Promise<void> {
  const res = await request(app).post('/api/auth/register').send({ email, password, firstName: 'Guess' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

for (const dialect of DIALECTS) {
  test(`per account: after the limit even the right password answers 429 with Retry-After, concurrent guesses included (${dialect})`, async () => {
    const app = instance(dialect, { loginLimits: { perAccount: 5, perAddress: 1000, windowSeconds: 600 } });
    const email = `victim.${dialect}@example.com`;
    await register(app, email);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(app, email, `wrong guess ${i}`, `203.0.113.${i + 1}`)));
    const statuses = answers.map((a) => a.status).sort();
    assert.equal(statuses.filter((s) => s === 401).length, 5, `statuses ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 15);
    const limited = await login(app, email, 'right password 1', '203.0.113.99');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'too_many_attempts');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 600, `Retry-After ${limited.headers['retry-after']}`);
    // An unknown e-mail is limited the same way: a 429 does not tell which accounts exist.
    for (let i = 0; i < 5; i++) assert.equal((await login(app, `nobody.${dialect}@example.com`, 'wrong guess')).status, 401);
    assert.equal((await login(app, `nobody.${dialect}@example.com`, 'wrong guess')).status, 429);
  });

  test(`per client address: one address trying many accounts is stopped, others are not (${dialect})`, async () => {
    const app = instance(dialect, { loginLimits: { perAccount: 100, perAddress: 8, windowSeconds: 600 } });
    const email = `spray.${dialect}@example.com`;
    await register(app, email);
    // Both dialects count in the same Postgres: each its own address.
    const address = dialect === 'mysql' ? '192.0.2.7' : '192.0.2.17';
    for (let i = 0; i < 8; i++) assert.equal((await login(app, `sprayed.${i}.${dialect}@example.com`, 'wrong guess', address)).status, 401);
    const stopped = await login(app, email, 'right password 1', address);
    assert.equal(stopped.status, 429);
    assert.ok(Number(stopped.headers['retry-after']) > 0);
    assert.equal((await login(app, email, 'right password 1', '192.0.2.8')).status, 200, 'another address still logs in');
  });
}

test('the count is shared: guesses spread over instances and over both backends still meet one limit', async () => {
  const limits = { perAccount: 6, perAddress: 1000, windowSeconds: 600 };
  const apps = [instance('postgres', { loginLimits: limits }), instance('postgres', { loginLimits: limits }), instance('mysql', { loginLimits: limits })];
  const email = 'shared.victim@example.com';
  await register(apps[0]!, email);
  await register(apps[2]!, email);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await login(apps[i % 3]!, email, `wrong ${i}`, `203.0.113.${i + 1}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
});

test('a good login clears the account count; the address count forgives successes', async () => {
  const app = instance('postgres', { loginLimits: { perAccount: 3, perAddress: 4, windowSeconds: 600 } });
  const email = 'forgetful@example.com';
  await register(app, email);
  for (let round = 0; round < 3; round++) {
    assert.equal((await login(app, email, 'wrong one', '192.0.2.50')).status, 401);
    assert.equal((await login(app, email, 'wrong two', '192.0.2.51')).status, 401);
    assert.equal((await login(app, email, 'right password 1', '192.0.2.52')).status, 200, `round ${round}`);
  }
  for (let i = 0; i < 6; i++) assert.equal((await login(app, email, 'right password 1', '192.0.2.60')).status, 200);
});

test('bad input is 400 and does not count', async () => {
  const app = instance('postgres', { loginLimits: { perAccount: 1, perAddress: 1, windowSeconds: 600 } });
  for (let i = 0; i < 3; i++) assert.equal((await request(app).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.90').send({ email: 'not-an-email' })).status, 400);
  await register(app, 'careful@example.com');
  assert.equal((await login(app, 'careful@example.com', 'right password 1', '192.0.2.90')).status, 200);
});

// The least of the rounds: other work on the machine only ever adds time, so the least is each kind's own cost.
const least = (xs: number[]) => Math.min(...xs);

test('a wrong password takes as long for an unknown e-mail, a bcrypt hash and a legacy md5 hash', async () => {
  // Cost 10, as the seeded bcrypt hashes; limits out of the way.
  const app = instance('postgres', { bcryptRounds: 10, loginLimits: { perAccount: 1000, perAddress: 1000, windowSeconds: 600 } });
  await backends.postgres.sequelize.query(`UPDATE users SET password_hash = '5f4dcc3b5aa765d61d8327deb882cf99' WHERE id = 24`);
  const cases = { unknown: 'nobody.timing@example.com', bcrypt: 'alice.martin@example.com', md5: 'mia.schroeder@example.at' };
  const times: Record<keyof typeof cases, number[]> = { unknown: [], bcrypt: [], md5: [] };
  await login(app, cases.unknown, 'warm up');
  for (let round = 0; round < 9; round++) {
    for (const kind of Object.keys(cases) as (keyof typeof cases)[]) {
      const started = performance.now();
      const res = await login(app, cases[kind], 'wrong password');
      times[kind].push(performance.now() - started);
      assert.equal(res.status, 401);
    }
  }
  const [u, b, m] = [least(times.unknown), least(times.bcrypt), least(times.md5)];
  // Ratios of times taken side by side, not absolute times: a bcrypt comparison at cost 10 dwarfs the rest.
  for (const [name, t] of [['unknown', u], ['md5', m]] as const) {
    assert.ok(t / b > 0.6 && t / b < 1.6, `${name} ${t.toFixed(1)} ms against bcrypt ${b.toFixed(1)} ms`);
  }
});

for (const dialect of DIALECTS) {
  test(`a legacy md5 hash logs in once and is replaced by bcrypt; the rest can be expired by an admin (${dialect})`, async () => {
    const app = instance(dialect);
    const sequelize = backends[dialect].sequelize;
    const hashOf = async (id: number) => {
      const [rows] = await sequelize.query(`SELECT password_hash FROM users WHERE id = ${id}`);
      return String((rows as { password_hash: string }[])[0]!.password_hash).trim();
    };
    assert.equal(await hashOf(25), '5f4dcc3b5aa765d61d8327deb882cf99');
    assert.equal((await login(app, 'emile.zola@example.fr', 'password')).status, 200);
    assert.match(await hashOf(25), /^\$2[aby]\$\d\d\$/);
    assert.equal((await login(app, 'emile.zola@example.fr', 'password')).status, 200, 'the new hash takes the same password');

    await sequelize.query(`UPDATE users SET password_hash = '5f4dcc3b5aa765d61d8327deb882cf99' WHERE id = 26`);
    const admin = 'expirer.' + dialect + '@example.com';
    await register(app, admin);
    await sequelize.query(`UPDATE users SET role = 'admin' WHERE email = '${admin}'`);
    const token = (await login(app, admin, 'right password 1')).body.accessToken as string;
    const customer = (await login(app, 'emile.zola@example.fr', 'password')).body.accessToken as string;
    assert.equal((await request(app).post('/api/admin/legacy-passwords/expire').set('Authorization', `Bearer ${customer}`)).status, 403);
    const [md5Before] = await sequelize.query(`SELECT id FROM users WHERE char_length(password_hash) = 32`);
    const expired = await request(app).post('/api/admin/legacy-passwords/expire').set('Authorization', `Bearer ${token}`);
    assert.equal(expired.status, 200, JSON.stringify(expired.body));
    // 26, and whatever other md5 hash another test left.
    assert.ok(md5Before.length >= 1);
    assert.equal(expired.body.expired, md5Before.length);
    assert.doesNotMatch(await hashOf(26), /^[0-9a-f]{32}$/);
    assert.match(await hashOf(25), /^\$2[aby]\$/, 'the upgraded hash is left alone');
    const refused = await login(app, 'ines.garcia@example.es', 'password');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'invalid_credentials');
    assert.equal((await request(app).post('/api/admin/legacy-passwords/expire').set('Authorization', `Bearer ${token}`)).body.expired, 0);
  });
}
