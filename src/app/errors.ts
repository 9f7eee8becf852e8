// Errors a client can cause: a status, a stable code, a message, and field errors for bad input.
export type FieldErrors = Record<string, string[]>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    /** Response headers that belong to the error (Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, fields?: FieldErrors) => new HttpError(400, 'validation_failed', message, fields);
export const unauthorized = (message = 'authentication required', code = 'unauthorized') => new HttpError(401, code, message);
export const forbidden = (message = 'not allowed') => new HttpError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, fields?: FieldErrors) => new HttpError(409, code, message, fields);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new HttpError(429, code, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
