// The one error handler: a JSON error body with a stable code, field errors for bad input, and
// for anything unexpected a 500 naming only the request id (the details go to the log).
//
// Errors are told apart by the name their library gives them, not by instanceof: this module then
// loads none of those libraries, so the app answers its first request before it needs them.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { MulterError } from 'multer';
import type { ValidationError as SequelizeValidationError } from 'sequelize';
import type { z } from 'zod';
import { HttpError, type FieldErrors } from '../errors.js';
import type { Logger } from '../logger.js';

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'not_found', 'no such route'));
};

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

const named = <T extends Error = Error>(error: unknown, name: string): error is T => error instanceof Error && error.name === name;

function classify(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (named<z.ZodError>(error, 'ZodError')) return new HttpError(400, 'validation_failed', 'invalid request', fieldErrors(error));
  if (named<MulterError>(error, 'MulterError')) {
    const fields: FieldErrors = { [error.field ?? 'file']: [error.message] };
    return error.code === 'LIMIT_FILE_SIZE'
      ? new HttpError(413, 'file_too_large', error.message, fields)
      : new HttpError(400, 'validation_failed', error.message, fields);
  }
  // UniqueConstraintError is a kind of ValidationError: asked first.
  if (named<SequelizeValidationError>(error, 'SequelizeUniqueConstraintError')) {
    const fields: FieldErrors = {};
    for (const item of error.errors ?? []) if (item.path) fields[item.path] = ['already exists'];
    return new HttpError(409, 'conflict', 'already exists', Object.keys(fields).length ? fields : undefined);
  }
  if (named(error, 'SequelizeForeignKeyConstraintError')) return new HttpError(409, 'conflict', 'a referenced record does not exist or is still in use');
  if (named<SequelizeValidationError>(error, 'SequelizeValidationError')) {
    const fields: FieldErrors = {};
    for (const item of error.errors) (fields[item.path ?? '_'] ??= []).push(item.message);
    return new HttpError(400, 'validation_failed', 'invalid request', fields);
  }
  const e = error as { type?: string; status?: number; expose?: boolean };
  if (e && e.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  if (e && e.type === 'entity.too.large') return new HttpError(413, 'body_too_large', 'the body is too large');
  // Express marks a path it cannot decode (URIError) with status 400 but not `expose`: still the client's doing.
  if (e && (e.expose || error instanceof URIError) && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'bad_request', 'bad request');
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = classify(error);
    const requestId = req.requestId;
    if (known) {
      if (known.status >= 500) logger.error('request failed', { requestId, error });
      if (res.headersSent) return;
      for (const [name, value] of Object.entries(known.headers ?? {})) res.setHeader(name, value);
      res.status(known.status).json({
        error: { code: known.code, message: known.message, ...(known.fields ? { fields: known.fields } : {}) },
        requestId,
      });
      return;
    }
    logger.error('unhandled error', { requestId, method: req.method, path: req.path, error });
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal_error', message: 'internal server error' }, requestId });
  };
}
