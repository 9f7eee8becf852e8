// Upload routes take a file two ways: in a multipart body, held in memory (small files) and checked by
// declared type and by content; or, where the storage takes direct uploads (S3), as { key } of a file
// the client already PUT to a presigned URL, checked the same way where it lies. Either way the route
// then keeps it and records its URL.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, HttpError } from '../errors.js';
import { claimDirectUpload, takeDirectUpload } from '../services/direct-uploads.js';
import { contentMatchesType } from '../services/file-types.js';
import { uploadKey } from '../services/storage.js';
import { PRESIGN_ROUTE, type UploadKind } from '../services/upload-kinds.js';
import { base64Md5, parse } from './validate.js';

/** Refuses what the platform would: a body past its limit, answered with the way round it. */
function functionBodyTooLarge(kind: UploadKind, limit: number, maxBytes: number): HttpError {
  return new HttpError(413, 'use_direct_upload',
    `request bodies over ${limit} bytes do not reach this function: for files of up to ${maxBytes} bytes, POST ${PRESIGN_ROUTE} `
    + `{ "kind": "${kind.name}", "contentType", "size" }, PUT the file to the URL it answers, then POST { "key" } here`,
    { [kind.field]: [`send files over ${limit} bytes through ${PRESIGN_ROUTE}`] });
}

/** Receives the kind's multipart file, if the request has one. */
export function acceptUpload(ctx: AppContext, kind: UploadKind): RequestHandler {
  const maxBytes = ctx.config.maxUploadBytes;
  const bodyLimit = ctx.config.functionBodyLimitBytes;
  const receive = multer({
    storage: multer.memoryStorage(),
    // A file past the platform's body limit could never have arrived whole: it is refused as the platform would.
    limits: { fileSize: Math.min(maxBytes, bodyLimit ?? Infinity), files: 1, fields: 20 },
    fileFilter: (_req, file, cb) => {
      if (kind.types.includes(file.mimetype)) cb(null, true);
      else cb(badRequest('unsupported file type', { [kind.field]: [`must be one of ${kind.types.join(', ')}`] }));
    },
  }).single(kind.field);
  return (req, res, next) => {
    if (bodyLimit !== undefined && req.is('multipart/form-data') && Number(req.get('content-length') ?? 0) > bodyLimit) {
      return next(functionBodyTooLarge(kind, bodyLimit, maxBytes));
    }
    receive(req, res, (error?: unknown) => {
      if (error) {
        const cutByBodyLimit = bodyLimit !== undefined && bodyLimit < maxBytes && (error as { code?: string }).code === 'LIMIT_FILE_SIZE';
        return next(cutByBodyLimit ? functionBodyTooLarge(kind, bodyLimit, maxBytes) : error);
      }
      if (req.file && !contentMatchesType(req.file.buffer, req.file.mimetype)) {
        return next(badRequest('the file content does not match its type', { [kind.field]: [`the content is not ${req.file.mimetype}`] }));
      }
      next();
    });
  };
}

export interface KeptUpload {
  url: string;
  body: Buffer;
  contentType: string;
  originalName: string;
  md5: Buffer;
}

export interface IncomingUpload {
  /**
   * Keeps the file: stores the multipart one, or checks the directly uploaded one where it lies.
   * `recorded` says whether a route already took that URL (a direct upload is then refused, 409).
   */
  keep(recorded: (url: string) => Promise<boolean>): Promise<KeptUpload>;
}

const confirmSchema = z.object({
  key: z.string().min(1).max(512),
  md5: base64Md5.optional(),
  name: z.string().trim().min(1).max(255).optional(),
});

/**
 * The file this request brings for `ownerId` (the product, user or ticket it will belong to); throws
 * 400 when there is none, and 400 or 403 for a key that is not the user's for this kind and owner.
 */
export function incomingUpload(ctx: AppContext, req: Request, kind: UploadKind, ownerId: number, userId: number): IncomingUpload {
  const file = req.file;
  if (file) {
    return {
      async keep() {
        const url = await ctx.config.storage.save(uploadKey(kind.folder, `${kind.ownerLetter}${ownerId}`, file.mimetype), file.buffer, file.mimetype);
        return { url, body: file.buffer, contentType: file.mimetype, originalName: file.originalname.slice(0, 255) || 'file', md5: createHash('md5').update(file.buffer).digest() };
      },
    };
  }
  const storage = ctx.config.storage.direct;
  const given = req.body as { key?: unknown } | undefined;
  if (!storage || given?.key === undefined) {
    const direct = storage ? `, or { "key" } of a file uploaded through ${PRESIGN_ROUTE}` : '';
    throw badRequest('a file is required', { [kind.field]: [`a file is required (multipart field "${kind.field}")${direct}`] });
  }
  const input = parse(confirmSchema, given, 'body');
  const claim = claimDirectUpload(ctx, storage, userId, kind, ownerId, input.key);
  return {
    async keep(recorded) {
      const taken = await takeDirectUpload(ctx, storage, claim, { md5: input.md5, recorded });
      const originalName = input.name ?? input.key.slice(input.key.lastIndexOf('/') + 1);
      return { ...taken, originalName, md5: createHash('md5').update(taken.body).digest() };
    },
  };
}
