// Driving a direct upload as a client does: ask the app for a presigned PUT, send the bytes to the
// storage with fetch, confirm the key on the kind's route. `target` is the app (supertest) or a base URL.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { PresignedUpload } from '../../src/app/services/direct-uploads.js';

export type Target = Express | string;

/** A JPEG of `size` bytes: its signature, then noise. */
export function jpegOf(size: number): Buffer {
  const head = Buffer.from('ffd8ffe000104a46494600', 'hex');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

export const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

export function presign(target: Target, token: string | undefined, body: Record<string, unknown>) {
  const req = request(target).post('/api/uploads/presign');
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
}

/** A PUT of `bytes` to the presigned URL with its headers (overridden by `headers`). */
export function putTo(upload: PresignedUpload, bytes: Buffer, headers: Record<string, string> = {}, url = upload.url): Promise<Response> {
  return fetch(url, { method: 'PUT', headers: { ...upload.headers, ...headers }, body: new Uint8Array(bytes) });
}

export function confirm(target: Target, token: string | undefined, path: string, body: Record<string, unknown>) {
  const req = request(target).post(path);
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
}

/** Presign, PUT and confirm; every step must succeed. Answers the presigned upload and the route's answer. */
export async function directUpload(target: Target, token: string, ask: Record<string, unknown>, bytes: Buffer, extra: Record<string, unknown> = {}) {
  const presigned = await presign(target, token, { ...ask, size: bytes.length });
  assert.equal(presigned.status, 200, JSON.stringify(presigned.body));
  const upload = presigned.body.upload as PresignedUpload;
  const put = await putTo(upload, bytes);
  assert.equal(put.status, 200, await put.text());
  const confirmed = await confirm(target, token, upload.confirm.path, { key: upload.key, ...extra });
  assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
  return { upload, confirmed };
}

/** A multipart body of one file, as a browser form would send it. */
export function multipartFile(field: string, bytes: Buffer, filename: string, type: string): { body: Buffer; contentType: string } {
  const boundary = `mh-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
