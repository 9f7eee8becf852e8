// Two tabs refreshing at once: every concurrent use of the token just rotated gets the same
// successor within a short grace window; a use after the window is still reuse and closes the session.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app/index.js';
import { JWT_SECRET, prepareBackends, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
let backends: Backends;

beforeAll(async () => {
  backends = await prepareBackends('secrefresh');
});

afterAll(async () => {
  await backends?.close();
});

function app(dialect: 'mysql' | 'postgres', refreshGraceSeconds: number): Express {
  return createApp({ sequelize: backends[dialect].sequelize, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, refreshGraceSeconds, logSink: () => {} } });
}

async function signUp(a: Express, email: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await request(a).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Tabs' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

for (const dialect of DIALECTS) {
  test(`five concurrent refreshes with one token all get the same successor, and the session lives (${dialect})`, async () => {
    const a = app(dialect, 30);
    const tokens = await signUp(a, `tabs.${dialect}@example.com`);
    const answers = await Promise.all(Array.from({ length: 5 }, () => request(a).post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken })));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200], JSON.stringify(answers.map((r) => r.body)));
    const successors = new Set(answers.map((r) => r.body.refreshToken as string));
    assert.equal(successors.size, 1, 'one successor');
    const [successor] = [...successors];
    assert.notEqual(successor, tokens.refreshToken);
    const me = await request(a).get('/api/auth/sessions').set('Authorization', `Bearer ${answers[0]!.body.accessToken}`);
    assert.equal(me.status, 200);
    const next = await request(a).post('/api/auth/refresh').send({ refreshToken: successor });
    assert.equal(next.status, 200, 'the successor rotates as usual');
  });

  test(`after the grace window the rotated token is reuse: the session is closed (${dialect})`, async () => {
    const a = app(dialect, 1);
    const tokens = await signUp(a, `late.${dialect}@example.com`);
    const first = await request(a).post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    assert.equal(first.status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    const reuse = await request(a).post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.error.code, 'refresh_token_reused');
    assert.equal((await request(a).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken })).status, 401, 'the family is closed');
  });

  test(`within the window, a token rotated twice already is reuse too (${dialect})`, async () => {
    const a = app(dialect, 30);
    const tokens = await signUp(a, `twice.${dialect}@example.com`);
    const first = await request(a).post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    const second = await request(a).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken });
    assert.equal(second.status, 200);
    const stale = await request(a).post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error.code, 'refresh_token_reused');
  });
}
