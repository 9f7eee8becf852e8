// The legacy server's outermost Express app: the cutover routing (when configured) in front of the
// MarketHub app, and a last error handler so that nothing reaching it, whatever a client sends,
// answers with Express's HTML page (stack trace and file paths included) or an X-Powered-By.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';

export interface CutoverFrontOptions {
  /** The routing middleware; without it every request goes straight to the app. */
  cutover?: RequestHandler;
  trustProxy?: boolean | number | string;
  /** Told about errors that reach the front (for logs); never the client. */
  onError?: (error: unknown) => void;
}

export function cutoverFront(app: RequestHandler, options: CutoverFrontOptions = {}): Express {
  const front = express();
  front.disable('x-powered-by');
  front.set('trust proxy', options.trustProxy ?? false);
  if (options.cutover) front.use(options.cutover);
  front.use(app);
  front.use(frontErrorHandler(options.onError));
  return front;
}

export function frontErrorHandler(onError?: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const e = error as { status?: unknown; statusCode?: unknown };
    const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
    const clientError = status >= 400 && status < 500;
    if (!clientError) onError?.(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(clientError ? status : 500).json(clientError
      ? { error: { code: 'bad_request', message: 'bad request' } }
      : { error: { code: 'internal_error', message: 'internal server error' } });
  };
}
