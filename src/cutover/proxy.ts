// Forwards a request to the new backend as it came: method, path, query, body and headers (plus
// x-forwarded-*), and answers with its status, headers (every Set-Cookie) and body.
import http from 'node:http';
import https from 'node:https';
import type { Request, Response } from 'express';
import { isBackendFailure } from './compare.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function forwardedHeaders(req: Request, target: URL): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${client}` : client;
  headers['x-forwarded-proto'] = (req.headers['x-forwarded-proto'] as string | undefined) ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  headers['x-forwarded-host'] = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host ?? '';
  headers.host = target.host;
  return headers;
}

/** A request to the new backend; `failed` on a connection error or when no answer comes within `timeoutMs`. */
function requestNewBackend(
  base: URL,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  timeoutMs: number,
  answered: (answer: http.IncomingMessage) => void,
  failed: () => void,
): http.ClientRequest {
  const transport = base.protocol === 'https:' ? https : http;
  const upstream = transport.request({ protocol: base.protocol, hostname: base.hostname, port: base.port, method, path, headers, timeout: timeoutMs }, answered);
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', failed);
  return upstream;
}

export interface Forwarded {
  status: number;
  /** The new backend's own failure (see isBackendFailure), not any error answer. */
  failed: boolean;
}

/** Streams the request to `base` and the answer back; resolves when the answer is sent. */
export function forward(req: Request, res: Response, base: URL, timeoutMs: number, sideHeader: Record<string, string>): Promise<Forwarded> {
  return new Promise((resolve) => {
    const upstream = requestNewBackend(
      base, req.method, req.originalUrl, forwardedHeaders(req, base), timeoutMs,
      (answer) => {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
        res.writeHead(answer.statusCode ?? 502, { ...headers, ...sideHeader });
        answer.pipe(res);
        const status = answer.statusCode ?? 502;
        const retryAfter = answer.headers['retry-after'];
        answer.on('end', () => resolve({ status, failed: isBackendFailure(status, typeof retryAfter === 'string' ? retryAfter : undefined) }));
        answer.on('error', () => resolve({ status: 502, failed: true }));
      },
      () => {
        if (!res.headersSent) res.status(502).set(sideHeader).json({ error: 'bad_gateway', message: 'the new backend did not answer' });
        else res.destroy();
        resolve({ status: 502, failed: true });
      },
    );
    req.pipe(upstream);
  });
}

/** A GET to the new backend for comparison: status and body, or null when it failed. */
export function fetchShadow(req: Request, base: URL, timeoutMs: number): Promise<{ status: number; body: Buffer } | null> {
  return new Promise((resolve) => {
    const upstream = requestNewBackend(
      base, 'GET', req.originalUrl, { ...forwardedHeaders(req, base), 'x-markethub-shadow': '1' }, timeoutMs,
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: Buffer.concat(chunks) }));
        answer.on('error', () => resolve(null));
      },
      () => resolve(null),
    );
    upstream.end();
  });
}
