// /api/users/me: the signed-in user's profile and avatar.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { authenticate, userOf } from '../middleware/auth.js';
import { acceptUpload, incomingUpload } from '../middleware/upload.js';
import { body, route } from '../middleware/validate.js';
import { NOTIFICATION_CHANNELS } from '../models/index.js';
import { userView } from '../services/serialize.js';
import { AVATAR } from '../services/upload-kinds.js';

const patchSchema = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().max(100),
  displayName: z.string().trim().min(1).max(191).nullable(),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{4,31}$/, 'must be a phone number').nullable(),
  birthDate: z.iso.date('must be a date YYYY-MM-DD').nullable(),
  notificationPrefs: z.array(z.enum(NOTIFICATION_CHANNELS)).max(4),
}).partial().strict().refine((v) => Object.keys(v).length > 0, 'nothing to change');

export function usersRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { User } = ctx.models;
  router.use(authenticate(ctx));

  const load = async (id: number) => {
    const user = await User.findByPk(id);
    if (!user) throw notFound('user');
    return user;
  };

  router.get('/me', route(async (req, res) => {
    res.json({ user: userView(await load(userOf(req).id)) });
  }));

  router.patch('/me', route(async (req, res) => {
    const input = body(patchSchema, req);
    const user = await load(userOf(req).id);
    await user.update(input);
    res.json({ user: userView(await load(userOf(req).id)) });
  }));

  router.post('/me/avatar', acceptUpload(ctx, AVATAR), route(async (req, res) => {
    const me = userOf(req);
    const file = incomingUpload(ctx, req, AVATAR, me.id, me.id);
    const { url } = await file.keep(async (taken) => (await User.count({ where: { id: me.id, avatar: taken } })) > 0);
    await User.update({ avatar: url }, { where: { id: me.id } });
    res.status(201).json({ user: userView(await load(me.id)) });
  }));

  return router;
}
