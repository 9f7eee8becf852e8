// Sessions and refresh tokens. A login opens a session (user_sessions.sid) and a token family
// (refresh_tokens.family_id = sid). Each refresh revokes the token it used and issues the next;
// presenting a revoked token again means it was copied: the whole session is closed, except within
// a short grace window after its rotation, when it is two tabs refreshing at once: they get the
// same successor. The successor is derived from the token it replaces (HMAC with the server's
// secret), so it can be handed out again without its plaintext ever being stored.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import type { AppContext } from '../context.js';
import { unauthorized } from '../errors.js';
import { signAccessToken } from '../middleware/auth.js';
import type { Row } from '../models/index.js';
import { ipBytes } from './ip-bytes.js';

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}


export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

function successorOf(ctx: AppContext, token: string): string {
  return createHmac('sha256', ctx.config.jwtSecret).update(`refresh-successor:${token}`, 'utf8').digest('base64url');
}

async function issueRefreshToken(ctx: AppContext, userId: number, familyId: string, userAgent: string | null, transaction?: import('sequelize').Transaction, token = randomBytes(32).toString('base64url')): Promise<{ token: string; row: Row }> {
  const row = await ctx.models.RefreshToken.create({
    userId, tokenHash: hashToken(token), familyId, userAgent,
    expiresAt: new Date(Date.now() + ctx.config.refreshTokenTtlSeconds * 1000),
  }, { transaction });
  return { token, row };
}

function pair(ctx: AppContext, user: { id: number; role: string }, sid: string, refreshToken: string): TokenPair {
  return { accessToken: signAccessToken(ctx, user, sid), refreshToken, tokenType: 'Bearer', expiresIn: ctx.config.accessTokenTtlSeconds };
}

export async function openSession(ctx: AppContext, user: Row, meta: { userAgent?: string; ip?: string }): Promise<TokenPair> {
  const sid = randomUUID();
  const userId = user.get('id') as number;
  const userAgent = meta.userAgent ? meta.userAgent.slice(0, 512) : null;
  await ctx.models.UserSession.create({
    sid, userId, expires: new Date(Date.now() + ctx.config.refreshTokenTtlSeconds * 1000),
    data: JSON.stringify({ userAgent }), ip: ipBytes(meta.ip),
  });
  const { token } = await issueRefreshToken(ctx, userId, sid, userAgent);
  return pair(ctx, { id: userId, role: user.get('role') as string }, sid, token);
}

export async function closeSession(ctx: AppContext, sid: string): Promise<void> {
  await ctx.models.RefreshToken.update({ revokedAt: new Date() }, { where: { familyId: sid, revokedAt: null } });
  await ctx.models.UserSession.destroy({ where: { sid } });
}

async function reused(ctx: AppContext, familyId: string): Promise<never> {
  await closeSession(ctx, familyId);
  throw unauthorized('refresh token reuse detected: the session is closed', 'refresh_token_reused');
}

export async function rotateRefreshToken(ctx: AppContext, refreshToken: string, userAgent?: string): Promise<TokenPair> {
  const { RefreshToken, UserSession, User } = ctx.models;
  const current = await RefreshToken.findOne({ where: { tokenHash: hashToken(refreshToken) } });
  if (!current) throw unauthorized('invalid refresh token', 'invalid_refresh_token');
  const familyId = current.get('familyId') as string;
  const liveUser = async () => {
    const session = await UserSession.findOne({ where: { sid: familyId, expires: { [Op.gt]: new Date() } } });
    const user = await User.findByPk(current.get('userId') as number);
    if (!session || !user || user.get('isActive') !== true) throw unauthorized('session revoked or expired', 'invalid_refresh_token');
    return user;
  };
  /** A use of a rotated token: the same successor within the grace window, else reuse. */
  const rotatedAlready = async (row: Row): Promise<TokenPair> => {
    const revokedAt = row.get('revokedAt') as Date | null;
    const replacedById = row.get('replacedById') as number | null;
    if (!revokedAt || !replacedById || Date.now() - revokedAt.getTime() > ctx.config.refreshGraceSeconds * 1000) return reused(ctx, familyId);
    const token = successorOf(ctx, refreshToken);
    const successor = await RefreshToken.findByPk(replacedById);
    // Still the live head of the family: a successor rotated or revoked since means this is a copy.
    if (!successor || successor.get('revokedAt') !== null || !hashToken(token).equals(successor.get('tokenHash') as Buffer)) return reused(ctx, familyId);
    const user = await liveUser();
    return pair(ctx, { id: user.get('id') as number, role: user.get('role') as string }, familyId, token);
  };
  if (current.get('revokedAt') !== null) return rotatedAlready(current);
  if ((current.get('expiresAt') as Date).getTime() <= Date.now()) throw unauthorized('refresh token expired', 'invalid_refresh_token');
  const user = await liveUser();

  const ua = userAgent ? userAgent.slice(0, 512) : null;
  const next = await ctx.sequelize.transaction(async (transaction) => {
    // Only one refresh may consume a token: a concurrent second use finds it revoked.
    const [used] = await RefreshToken.update(
      { revokedAt: new Date() },
      { where: { id: current.get('id') as number, revokedAt: null }, transaction },
    );
    if (used !== 1) return null;
    const issued = await issueRefreshToken(ctx, user.get('id') as number, familyId, ua, transaction, successorOf(ctx, refreshToken));
    await RefreshToken.update({ replacedById: issued.row.get('id') }, { where: { id: current.get('id') as number }, transaction });
    await UserSession.update(
      { expires: new Date(Date.now() + ctx.config.refreshTokenTtlSeconds * 1000) },
      { where: { sid: familyId }, transaction },
    );
    return issued.token;
  });
  if (next === null) {
    // Another refresh consumed it a moment ago (committed by now): share its successor.
    const again = await RefreshToken.findByPk(current.get('id') as number);
    return again ? rotatedAlready(again) : reused(ctx, familyId);
  }
  return pair(ctx, { id: user.get('id') as number, role: user.get('role') as string }, familyId, next);
}
