// Express app -> AWS Lambda handler for API Gateway REST (v1), HTTP API (v2) and ALB events.
// serverless-http does the event <-> req/res conversion, with its options (basePath, requestId,
// request/response transforms, BINARY_CONTENT_TYPES) meaning what they mean there; this adds what it
// leaves out or gets wrong for an Express app: the per-invocation lifecycle (database), req.ip and
// req.body as a plain server has them, a base path removed only from the front on request, Set-Cookie
// on single-value ALB targets.
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type serverlessHttp from 'serverless-http';
import { applyTransform, DEFAULT_BINARY_TYPES, runInvocation, stripBasePath, type LambdaOptions } from './options.js';

export interface LambdaResult {
  statusCode: number;
  body: string;
  isBase64Encoded: boolean;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  [key: string]: unknown;
}

export type LambdaEvent = Record<string, unknown>;
export interface LambdaContext {
  awsRequestId?: string;
  callbackWaitsForEmptyEventLoop?: boolean;
  [key: string]: unknown;
}
export type LambdaHandler = (event: LambdaEvent | null | undefined, context?: LambdaContext) => Promise<LambdaResult>;

/** An Express (4 or 5) app, or anything serverless-http accepts as one. */
export type ExpressLike = ((req: IncomingMessage, res: never, next?: never) => unknown) & { set?: (name: string, value: unknown) => unknown };

const require = createRequire(import.meta.url);
// Loaded by the first toLambda call: a Vercel function importing the adapters never needs it.
const serverless = (...args: Parameters<typeof serverlessHttp>) => (require('serverless-http') as typeof serverlessHttp)(...args);

/** basePathMatch 'front': the shim removes the prefix itself (from requestPath when given, as serverless-http reads it). */
function removeBasePathFromFront(event: LambdaEvent, basePath: string): void {
  const key = typeof event.requestPath === 'string' ? 'requestPath' : event.version === '2.0' ? 'rawPath' : 'path';
  if (typeof event[key] === 'string') event[key] = stripBasePath(event[key], basePath);
}

/** ALB without multi-value headers takes one value per header name; names differing in case get through. */
function caseVariants(name: string, count: number): string[] {
  const variants: string[] = [];
  const letters = name.split('');
  const positions = letters.map((c, i) => (/[a-z]/i.test(c) ? i : -1)).filter((i) => i >= 0);
  for (let n = 0; variants.length < count && n < 2 ** positions.length; n++) {
    const chars = letters.map((c) => c.toLowerCase());
    positions.forEach((p, bit) => { if (n & (1 << bit)) chars[p] = chars[p]!.toUpperCase(); });
    variants.push(chars.join(''));
  }
  return variants;
}

/**
 * req.ip as the request's prototype defines it once the framework has set it (Express's getter, with
 * trust proxy and X-Forwarded-For), else the source IP serverless-http gave it (any other listener).
 * Assigning req.ip replaces it with the value assigned, as on a plain property.
 */
function sourceIpUnlessPrototypeHasOne(req: IncomingMessage & Record<string, unknown>): void {
  const sourceIp = req.ip;
  Object.defineProperty(req, 'ip', {
    configurable: true,
    enumerable: true,
    get(this: object) {
      for (let proto = Object.getPrototypeOf(this); proto; proto = Object.getPrototypeOf(proto)) {
        const own = Object.getOwnPropertyDescriptor(proto, 'ip');
        if (own) return own.get ? own.get.call(this) : own.value;
      }
      return sourceIp;
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, 'ip', { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** serverless-http's default binary types when no `binary` option is given: BINARY_CONTENT_TYPES, comma-separated. */
function binaryTypesFromEnv(): string[] | undefined {
  const types = process.env.BINARY_CONTENT_TYPES;
  return types ? types.split(',') : undefined;
}

export function toLambda(app: ExpressLike, options: LambdaOptions = {}): LambdaHandler {
  if (options.trustProxy !== undefined && typeof app.set === 'function') app.set('trust proxy', options.trustProxy);
  const frontOnly = options.basePathMatch === 'front';
  const cookiesOf = new WeakMap<object, string[]>();
  const handler = serverless(app as never, {
    binary: (options.binary ?? binaryTypesFromEnv() ?? DEFAULT_BINARY_TYPES) as never,
    ...(options.requestId !== undefined ? { requestId: options.requestId as string } : {}),
    ...(options.basePath && !frontOnly ? { basePath: options.basePath } : {}),
    request: async (req: IncomingMessage & Record<string, unknown>, event: LambdaEvent, context: LambdaContext) => {
      // serverless-http sets `ip` as an own property, which would hide Express's getter (and with it
      // trust proxy and X-Forwarded-For); a body-less request would carry an empty Buffer as req.body,
      // where a plain server has none (a request with a body keeps it, as serverless-http gives it).
      sourceIpUnlessPrototypeHasOne(req);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) delete req.body;
      await applyTransform(options.request, req, event, context);
    },
    response: async (res: { getHeader(name: string): unknown }, event: LambdaEvent, context: LambdaContext) => {
      await applyTransform(options.response, res, event, context);
      const cookies = res.getHeader('set-cookie');
      if (cookies !== undefined) cookiesOf.set(event, ([] as string[]).concat(cookies as string | string[]).map(String));
    },
  } as never);

  return (given, context = {}) => {
    // serverless-http answers a missing event as GET /.
    const event: LambdaEvent = given ?? {};
    // Pools and timers must not keep a callback-style invocation open.
    context.callbackWaitsForEmptyEventLoop = false;
    const headers = (event.headers ?? {}) as Record<string, string>;
    const id = context.awsRequestId ?? headers['x-amzn-trace-id'];
    return runInvocation('lambda', id, options, async () => {
      if (frontOnly && options.basePath) removeBasePathFromFront(event, options.basePath);
      const result = (await handler(event, context)) as LambdaResult;
      const cookies = cookiesOf.get(event);
      const isAlb = Boolean((event.requestContext as { elb?: unknown } | undefined)?.elb);
      if (isAlb && cookies && !result.multiValueHeaders && result.headers) {
        caseVariants('set-cookie', cookies.length).forEach((name, i) => { result.headers![name] = cookies[i]!; });
      }
      return result;
    }, (r) => r.statusCode);
  };
}
