// zod at the edge: every body, query and path parameter is parsed before a handler uses it;
// failures answer 400 with the messages per field.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { badRequest, type FieldErrors } from '../errors.js';
import { fieldErrors } from './errors.js';

export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'request'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(`invalid ${where}`, fieldErrors(result.error));
  return result.data;
}

export const body = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> => parse(schema, req.body ?? {}, 'body');
export const query = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> => parse(schema, req.query, 'query');

const idParam = z.coerce.number().int().positive().max(2 ** 53 - 1);
export function param(req: Request, name: string): number {
  return parse(z.object({ [name]: idParam }), req.params, 'path') [name] as number;
}

/** Express 4 does not catch rejected promises: hand them to the error handler. */
export function route(handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

// Shared field schemas.
export const money = z.union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v.toFixed(2) : v.trim()))
  .pipe(z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'must be an amount with at most 2 decimals, below 100000000'));
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
/** An MD5 digest in base64, as S3's Content-MD5 header takes it. */
export const base64Md5 = z.string().regex(/^[A-Za-z0-9+/]{21}[AQgw]==$/, 'must be the base64 MD5 of the file (as Content-MD5)');
