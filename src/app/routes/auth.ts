// /api/auth: register, login, refresh (rotation with reuse detection), logout, sessions.
import bcrypt from 'bcryptjs';
import { Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { conflict, HttpError, notFound, tooManyRequests, unauthorized } from '../errors.js';
import { authenticate, userOf } from '../middleware/auth.js';
import { body, route } from '../middleware/validate.js';
import type { Row } from '../models/index.js';
import { accountKey, addressKey } from '../services/login-attempts.js';
import { isLegacyMd5, passwordChecker } from '../services/passwords.js';
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

export function authRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { User, UserSession } = ctx.models;
  const meta = (req: import('express').Request) => ({ userAgent: req.get('user-agent'), ip: req.ip });
  const passwords = passwordChecker(ctx.config.bcryptRounds);
  const limits = ctx.config.loginLimits;

  /** Counts this attempt under the account and the address; past either limit, 429 before any hash is compared. */
  const countAttempt = async (account: string, address: string) => {
    let counts;
    try {
      counts = await ctx.loginAttempts.hit([account, address], limits.windowSeconds);
    } catch (error) {
      // Without the count there is no limit: refuse rather than let guesses through unlimited.
      ctx.config.logger.error('login attempts cannot be counted', { error });
      throw new HttpError(503, 'login_unavailable', 'login is unavailable for a moment; retry shortly', undefined, { 'Retry-After': '5' });
    }
    const over = counts.filter((c) => c.attempts > (c.key === account ? limits.perAccount : limits.perAddress));
    if (over.length) {
      throw tooManyRequests('too_many_attempts', 'too many login attempts; retry later', Math.max(...over.map((c) => c.retryAfterSeconds)));
    }
  };

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
    const account = accountKey(input.email);
    const address = addressKey(req.ip);
    await countAttempt(account, address);
    const user = await User.findOne({ where: equalsInsensitive(ctx.sequelize, 'email', input.email) });
    const hash = user ? (user.get('passwordHash') as string) : undefined;
    const ok = await passwords.matches(hash, input.password);
    if (!user || !ok || hash === undefined) throw unauthorized('wrong e-mail or password', 'invalid_credentials');
    // The owner proved the password: the account's count starts again, and the address keeps no mark.
    await Promise.all([ctx.loginAttempts.clear(account), ctx.loginAttempts.forgive(address)]);
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
