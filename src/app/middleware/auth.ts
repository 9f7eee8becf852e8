// Authentication (Bearer access token: a short-lived JWT whose session must still exist) and
// authorisation by role and permission.
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { Op } from 'sequelize';
import type { AppContext } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';
import type { Role } from '../models/index.js';
import { route } from './validate.js';

export interface AuthUser {
  id: number;
  role: Role;
  sessionId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
    requestId?: string;
  }
}

export const PERMISSIONS = {
  'cart:use': ['customer', 'vendor', 'admin', 'support'],
  'orders:own': ['customer', 'vendor', 'admin', 'support'],
  'orders:all': ['admin'],
  'products:write': ['vendor', 'admin'],
  'products:any': ['admin'],
  'vendors:apply': ['customer', 'vendor', 'support'],
  'vendors:approve': ['admin'],
  'journals:write': ['admin'],
  'support:own': ['customer', 'vendor', 'admin', 'support'],
  'support:all': ['admin', 'support'],
  'admin:dashboard': ['admin'],
  'users:expire-passwords': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(user: AuthUser | undefined, permission: Permission): boolean {
  return !!user && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

interface AccessClaims {
  sub: string;
  sid: string;
}

export function signAccessToken(ctx: AppContext, user: { id: number; role: string }, sessionId: string): string {
  const { jwtSecret, jwtIssuer, jwtAudience, accessTokenTtlSeconds } = ctx.config;
  return jwt.sign({ sid: sessionId, role: user.role }, jwtSecret, {
    algorithm: 'HS256', subject: String(user.id), issuer: jwtIssuer, audience: jwtAudience, expiresIn: accessTokenTtlSeconds,
  });
}

export function authenticate(ctx: AppContext) {
  return route(async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized();
    let claims: AccessClaims;
    try {
      claims = jwt.verify(match[1]!, ctx.config.jwtSecret, {
        algorithms: ['HS256'], issuer: ctx.config.jwtIssuer, audience: ctx.config.jwtAudience,
      }) as AccessClaims;
    } catch (error) {
      throw unauthorized(error instanceof jwt.TokenExpiredError ? 'access token expired' : 'invalid access token', 'invalid_token');
    }
    const userId = Number(claims.sub);
    if (!Number.isSafeInteger(userId) || typeof claims.sid !== 'string') throw unauthorized('invalid access token', 'invalid_token');
    // The session must still be open: logout and revocation take effect at once, not after 15 minutes.
    const session = await ctx.models.UserSession.findOne({
      where: { sid: claims.sid, userId, expires: { [Op.gt]: new Date() } },
      include: [{ model: ctx.models.User, as: 'user', attributes: ['id', 'role', 'isActive'] }],
    });
    const user = session?.get('user') as { get(k: string): unknown } | undefined;
    if (!session || !user || user.get('isActive') !== true) throw unauthorized('session revoked or expired', 'invalid_token');
    req.user = { id: userId, role: user.get('role') as Role, sessionId: claims.sid };
    next();
  });
}

/** Throws 403 unless the user holds the permission. */
export function demand(user: AuthUser, permission: Permission): void {
  if (!can(user, permission)) throw forbidden(`requires ${permission}`);
}

export function requirePermission(permission: Permission) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(unauthorized());
    try {
      demand(req.user, permission);
    } catch (error) {
      return next(error);
    }
    next();
  };
}

export function userOf(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

