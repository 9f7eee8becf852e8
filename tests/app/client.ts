// A small HTTP client over supertest that checks each answer's status and keeps a transcript
// (status and body, with values that differ on every run masked) to compare the two backends.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { PAYSTACK_SECRET } from './fixture.js';

export interface Entry {
  step: string;
  status: number;
  body: unknown;
}

const VOLATILE = new Set([
  'accessToken', 'refreshToken', 'requestId', 'createdAt', 'updatedAt', 'lastLoginAt', 'paidAt', 'addedAt', 'expiresAt',
  'orderNumber', 'paymentReference', 'reference', 'latencyMs', 'publishedAt',
]);

export function mask(value: unknown, key = ''): unknown {
  if (key === 'dialect') return '<dialect>';
  if (VOLATILE.has(key) && value !== null && value !== undefined) return `<${key}>`;
  if (Array.isArray(value)) return value.map((v) => mask(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  }
  if (typeof value === 'string') {
    return value
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/-[0-9a-f]{16}\./g, '-<random>.')
      .replace(/-[0-9a-f]{6}$/, '-<random>');
  }
  return value;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  attach?: { field: string; buffer: Buffer; filename: string; contentType: string };
  raw?: string;
}

export class Client {
  readonly transcript: Entry[] = [];
  /** The app itself, or the base URL of a server answering for it. */
  constructor(readonly app: Express | string) {}

  async call(step: string, method: 'get' | 'post' | 'patch' | 'delete', path: string, expected: number, options: CallOptions = {}) {
    let req = request(this.app)[method](path);
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
    if (options.attach) {
      req = req.attach(options.attach.field, options.attach.buffer, { filename: options.attach.filename, contentType: options.attach.contentType });
    } else if (options.raw !== undefined) {
      req = req.set('Content-Type', 'application/json').send(options.raw);
    } else if (options.body !== undefined) {
      req = req.send(options.body as object);
    }
    const res = await req;
    assert.equal(res.status, expected, `${step}: ${method.toUpperCase()} ${path} answered ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`);
    this.transcript.push({ step, status: res.status, body: mask(res.body) });
    return res;
  }
}

export function paystackSignature(raw: string, secret = PAYSTACK_SECRET): string {
  return createHmac('sha512', secret).update(raw).digest('hex');
}
