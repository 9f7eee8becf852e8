// /api/auth: register, login, refresh (rotation with reuse detection), logout, sessions.
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { conflict, HttpError, notFound, unauthorized } from '../errors.js';
import { authenticate, userOf } from '../middleware/auth.js';
import { body, route } from '../middleware/validate.js';
import type { Row } from '../models/index.js';
import { closeSession, openSession, rotateRefreshToken } from '../services/sessions.js';
import { iso, userView } from '../services/serialize.js';
import { equalsInsensitive } from '../services/sql.js';

const email = z.string().trim().max(255).pipe(z.email('must be an e-mail address'));
// bcrypt reads at most 72 bytes.
const password = z.string().min(8, 'must be at least 8 characters').refine((p) => Buffer.byteLength(p) <= 72, 'must be at most 72 bytes');

const registerSchema = z.object({
  email,
  password,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().max(100).optional(),
});
const loginSchema = z.object({ email, password: z.string().min(1).max(1024) });
const refreshSchema = z.object({ refreshToken: z.string().min(20).max(200) });
const logoutSchema = z.object({ refreshToken: z.string().min(20).max(200).optional() });

/** Hashes from the 2016 shop import are unsalted md5; accepted once, then replaced by bcrypt. */
function isLegacyMd5(hash: string): boolean {
  return /^[0-9a-f]{32}$/i.test(hash);
}

async function passwordMatches(hash: string, candidate: string): Promise<boolean> {
  if (isLegacyMd5(hash)) {
    const given = createHash('md5').update(candidate, 'utf8').digest();
    return timingSafeEqual(given, Buffer.from(hash, 'hex'));
  }
  return bcrypt.compare(candidate, hash);
}

// A hash to compare against when the e-mail is unknown, so both cases take as long.
// (A hash of random bytes nobody kept: no password matches it.)
const DUMMY_HASH = '$2a$10$ZND0zsPzBwZ0RLM3Ry3pWeAxKC1E07kyjxZCeo0DUtgXyRmJo/hcG';

export function authRouter(ctx: AppContext): Router {
  const router = Router();
  const { User, UserSession } = ctx.models;
  const meta = (req: import('express').Request) => ({ userAgent: req.get('user-agent'), ip: req.ip });

  router.post('/register', route(async (req, res) => {
    const input = body(registerSchema, req);
    const normalised = input.email.toLowerCase();
    if (await User.findOne({ where: equalsInsensitive(ctx.sequelize, 'email', normalised), attributes: ['id'] })) {
      throw conflict('email_taken', 'this e-mail address is already registered', { email: ['already registered'] });
    }
    const user = await User.create({
      email: normalised,
      passwordHash: await bcrypt.hash(input.password, ctx.config.bcryptRounds),
      firstName: input.firstName,
      lastName: input.lastName ?? '',
      role: 'customer',
      lastLoginAt: new Date(),
      loginCount: 1,
    });
    await user.reload();
    const tokens = await openSession(ctx, user, meta(req));
    res.status(201).json({ user: userView(user), ...tokens });
  }));

  router.post('/login', route(async (req, res) => {
    const input = body(loginSchema, req);
    const user = await User.findOne({ where: equalsInsensitive(ctx.sequelize, 'email', input.email) });
    const hash = user ? (user.get('passwordHash') as string) : DUMMY_HASH;
    const ok = await passwordMatches(hash, input.password);
    if (!user || !ok) throw unauthorized('wrong e-mail or password', 'invalid_credentials');
    if (user.get('isActive') !== true) throw new HttpError(403, 'account_disabled', 'this account is disabled');
    const changes: Record<string, unknown> = {
      lastLoginAt: new Date(),
      // SMALLINT UNSIGNED in the legacy schema: saturate rather than fail the login.
      loginCount: ctx.sequelize.literal('LEAST(login_count + 1, 65535)'),
    };
    if (isLegacyMd5(hash)) changes.passwordHash = await bcrypt.hash(input.password, ctx.config.bcryptRounds);
    await User.update(changes, { where: { id: user.get('id') as number } });
    const tokens = await openSession(ctx, user, meta(req));
    await user.reload();
    res.json({ user: userView(user), ...tokens });
  }));

  router.post('/refresh', route(async (req, res) => {
    const input = body(refreshSchema, req);
    res.json(await rotateRefreshToken(ctx, input.refreshToken, req.get('user-agent')));
  }));

  router.post('/logout', authenticate(ctx), route(async (req, res) => {
    body(logoutSchema, req);
    await closeSession(ctx, userOf(req).sessionId);
    res.status(204).end();
  }));

  router.get('/sessions', authenticate(ctx), route(async (req, res) => {
    const me = userOf(req);
    const sessions = await UserSession.findAll({
      where: { userId: me.id, expires: { [Op.gt]: new Date() } },
      order: [['createdAt', 'DESC'], ['sid', 'ASC']],
    });
    // created_at has whole seconds only: the current session first, then newest first.
    sessions.sort((a: Row, b: Row) => Number(b.get('sid') === me.sessionId) - Number(a.get('sid') === me.sessionId));
    res.json({
      sessions: sessions.map((s: Row) => {
        let data: { userAgent?: string | null } = {};
        try { data = JSON.parse(String(s.get('data'))) as typeof data; } catch { /* legacy express-session text */ }
        return {
          id: s.get('sid'), userAgent: data.userAgent ?? null, createdAt: iso(s.get('createdAt')),
          expiresAt: iso(s.get('expires')), current: s.get('sid') === me.sessionId,
        };
      }),
    });
  }));

  router.delete('/sessions/:sid', authenticate(ctx), route(async (req, res) => {
    const me = userOf(req);
    const sid = String(req.params.sid ?? '');
    const session = await UserSession.findOne({ where: { sid, userId: me.id } });
    if (!session) throw notFound('session');
    await closeSession(ctx, sid);
    res.status(204).end();
  }));

  return router;
}
