// Multipart uploads held in memory (small files), checked by declared type and by content, then
// handed to the storage.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { badRequest } from '../errors.js';
import { contentMatchesType } from '../services/file-types.js';

export function singleUpload(field: string, types: readonly string[], maxBytes: number): RequestHandler {
  const receive = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20 },
    fileFilter: (_req, file, cb) => {
      if (types.includes(file.mimetype)) cb(null, true);
      else cb(badRequest('unsupported file type', { [field]: [`must be one of ${types.join(', ')}`] }));
    },
  }).single(field);
  return (req, res, next) => {
    receive(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.file && !contentMatchesType(req.file.buffer, req.file.mimetype)) {
        return next(badRequest('the file content does not match its type', { [field]: [`the content is not ${req.file.mimetype}`] }));
      }
      next();
    });
  };
}

export function requireFile(req: Request, field: string): Express.Multer.File {
  if (!req.file) throw badRequest('a file is required', { [field]: [`a file is required (multipart field "${field}")`] });
  return req.file;
}
