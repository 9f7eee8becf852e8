// What both adapters take, and the per-invocation context they run the app in.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface Invocation {
  /** The platform's request id when it gives one (Lambda awsRequestId, x-vercel-id), else a UUID. */
  readonly id: string;
  readonly platform: 'lambda' | 'vercel';
  readonly startedAt: number;
  /** Transactions opened during this invocation (the pool-of-one guard reads them). */
  readonly transactions: Set<{ finished?: string | undefined }>;
}

export interface Settled {
  statusCode?: number;
  error?: unknown;
  durationMs: number;
}

export type BinaryOption = boolean | readonly string[] | ((headers: Record<string, string>) => boolean);

export interface ShimOptions {
  /**
   * A path prefix the platform adds in front of the app's routes (e.g. a custom domain's base path
   * mapping); removed before routing, as serverless-http removes it: from wherever it first occurs in
   * the path, with whatever comes before it (a named stage: `/dev/foo/users` with `/foo` gives `/users`).
   */
  basePath?: string;
  /** `'front'`: remove `basePath` only from the front of the path, at a segment boundary; default `'anywhere'` (serverless-http's). */
  basePathMatch?: 'anywhere' | 'front';
  /**
   * Response content types sent base64-encoded in Lambda results (wildcards allowed); default: the
   * comma-separated BINARY_CONTENT_TYPES when set (as serverless-http reads it), else images, audio,
   * video, fonts, PDF, zip, octet-stream. Responses with a Content-Encoding (gzip, br) always are.
   */
  binary?: BinaryOption;
  /** Runs before the app sees the request; the database hooks validate the pooled connection here. */
  onInvoke?: (invocation: Invocation) => void | Promise<void>;
  /** Runs once the response is complete (or the invocation failed). Errors here are logged, never answered. */
  onSettled?: (invocation: Invocation, settled: Settled) => void | Promise<void>;
  /** Sets Express's `trust proxy` on the app (e.g. 1 behind Vercel's or API Gateway's proxy). */
  trustProxy?: boolean | number | string;
}

export const DEFAULT_BINARY_TYPES: readonly string[] = [
  'image/*', 'audio/*', 'video/*', 'font/*', 'application/pdf', 'application/zip', 'application/gzip', 'application/octet-stream',
];

const invocations = new AsyncLocalStorage<Invocation>();

/** The invocation the current code runs in, if any. */
export function currentInvocation(): Invocation | undefined {
  return invocations.getStore();
}

/** Runs one invocation: onInvoke, the work, onSettled, with the invocation as async context. */
export async function runInvocation<T>(
  platform: Invocation['platform'],
  id: string | undefined,
  options: ShimOptions,
  work: () => Promise<T>,
  statusOf: (result: T) => number | undefined,
): Promise<T> {
  const invocation: Invocation = { id: id || randomUUID(), platform, startedAt: Date.now(), transactions: new Set() };
  return invocations.run(invocation, async () => {
    let result: T | undefined;
    let completed = false;
    let error: unknown;
    try {
      // Hooks that have nothing to wait for return nothing: no promise, no extra turn of the event loop.
      const invoked = options.onInvoke?.(invocation);
      if (invoked) await invoked;
      result = await work();
      completed = true;
      return result;
    } catch (e) {
      error = e;
      throw e;
    } finally {
      if (options.onSettled) {
        const settled: Settled = { durationMs: Date.now() - invocation.startedAt, statusCode: completed ? statusOf(result as T) : undefined, error };
        try {
          await options.onSettled(invocation, settled);
        } catch (hookError) {
          process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'onSettled failed', error: String(hookError) })}\n`);
        }
      }
    }
  });
}

/** A transform serverless-http applies to the request or the response: a function called with the event and context, or properties to assign. */
export type Transform<T> = ((item: T, event: Record<string, unknown>, context: Record<string, unknown>) => unknown) | Record<string, unknown>;

/** What only toLambda takes, as serverless-http takes it. */
export interface LambdaOptions extends ShimOptions {
  /** Header that carries the request id (set from requestContext.requestId unless the request has one); default x-request-id; false: none. */
  requestId?: string | false;
  /** Runs on the request before the app sees it, after the shim's own adjustments. */
  request?: Transform<never>;
  /** Runs on the response once the app finished it, before the shim reads its cookies and the result is built. */
  response?: Transform<never>;
}

/** Applies a serverless-http style transform: a function is awaited, an object is assigned. */
export async function applyTransform(transform: Transform<never> | undefined, item: object, event: Record<string, unknown>, context: Record<string, unknown>): Promise<void> {
  if (typeof transform === 'function') await transform(item as never, event, context);
  else if (transform !== null && typeof transform === 'object') Object.assign(item, transform);
}

/** Removes `basePath` as serverless-http does: from its first occurrence, with everything before it. */
export function removeBasePathAnywhere(path: string, basePath: string | undefined): string {
  if (!basePath) return path;
  const at = path.indexOf(basePath);
  return at < 0 ? path : path.slice(at + basePath.length) || '/';
}

/** Removes `basePath` from the front of a path (only from the front, and only at a segment boundary). */
export function stripBasePath(path: string, basePath: string | undefined): string {
  if (!basePath) return path;
  const base = `/${basePath.replace(/^\/+|\/+$/g, '')}`;
  if (base === '/') return path;
  if (path === base) return '/';
  if (path.startsWith(`${base}/`) || path.startsWith(`${base}?`)) return path.slice(base.length).replace(/^\?/, '/?');
  return path;
}
