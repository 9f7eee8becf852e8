// Multipart uploads held in memory (small files), checked by type, then handed to the storage.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { badRequest } from '../errors.js';

export function singleUpload(field: string, types: readonly string[], maxBytes: number): RequestHandler {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20 },
    fileFilter: (_req, file, cb) => {
      if (types.includes(file.mimetype)) cb(null, true);
      else cb(badRequest('unsupported file type', { [field]: [`must be one of ${types.join(', ')}`] }));
    },
  }).single(field);
}

export function requireFile(req: Request, field: string): Express.Multer.File {
  if (!req.file) throw badRequest('a file is required', { [field]: [`a file is required (multipart field "${field}")`] });
  return req.file;
}
