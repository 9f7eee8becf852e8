// /api/uploads/presign: a presigned PUT straight to the storage, for files past the function's
// request-body limit. The kind's own route then takes the file by its key.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { authenticate, demand, userOf } from '../middleware/auth.js';
import { base64Md5, body, route } from '../middleware/validate.js';
import { ownedProduct, visibleTicket } from '../services/access.js';
import { presignDirectUpload } from '../services/direct-uploads.js';
import { AVATAR, PRODUCT_IMAGE, SUPPORT_ATTACHMENT } from '../services/upload-kinds.js';

const id = z.number().int().positive().max(2 ** 53 - 1);
const file = {
  contentType: z.string().trim().toLowerCase().min(1).max(100),
  size: z.number().int().min(1, 'must be at least 1 byte'),
  md5: base64Md5.optional(),
};
const presignSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(PRODUCT_IMAGE.name), productId: id, ...file }).strict(),
  z.object({ kind: z.literal(AVATAR.name), ...file }).strict(),
  z.object({ kind: z.literal(SUPPORT_ATTACHMENT.name), ticketId: id, ...file }).strict(),
]);

export function uploadsRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  router.use(authenticate(ctx));

  router.post('/presign', route(async (req, res) => {
    const storage = ctx.config.storage.direct;
    if (!storage) throw new HttpError(404, 'not_found', 'direct uploads need S3 storage: send the file to the upload route');
    const input = body(presignSchema, req);
    const me = userOf(req);
    const fileOf = { contentType: input.contentType, size: input.size, md5: input.md5 };
    let upload;
    if (input.kind === PRODUCT_IMAGE.name) {
      demand(me, 'products:write');
      await ownedProduct(ctx, me, input.productId);
      upload = await presignDirectUpload(ctx, storage, me.id, PRODUCT_IMAGE, input.productId, fileOf);
    } else if (input.kind === SUPPORT_ATTACHMENT.name) {
      demand(me, 'support:own');
      await visibleTicket(ctx, me, input.ticketId, { attributes: ['id', 'userId'] });
      upload = await presignDirectUpload(ctx, storage, me.id, SUPPORT_ATTACHMENT, input.ticketId, fileOf);
    } else {
      upload = await presignDirectUpload(ctx, storage, me.id, AVATAR, me.id, fileOf);
    }
    res.json({ upload });
  }));

  return router;
}
