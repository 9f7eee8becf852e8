// Where uploaded files go. Legacy: local disk under an uploads root (public/Upload), each file
// served at /uploads/<key>; the URL stored in the database is that path.
import { randomBytes } from 'node:crypto';
import { access, mkdir, writeFile, constants } from 'node:fs/promises';
import path from 'node:path';

export interface FileStorage {
  readonly kind: string;
  /** Stores the bytes under `key` (e.g. product-images/p8-1a2b.jpg) and returns the public URL. */
  save(key: string, body: Buffer, contentType: string): Promise<string>;
  /** Throws when files cannot be stored. */
  check(): Promise<void>;
  /** Local disk only: the directory /uploads is served from. */
  readonly localRoot?: string;
}

export const UPLOADS_URL_PREFIX = '/uploads';

export function localDiskStorage(root: string): FileStorage {
  const absolute = path.resolve(root);
  return {
    kind: 'local',
    localRoot: absolute,
    async save(key, body) {
      const target = path.join(absolute, ...key.split('/'));
      if (!target.startsWith(absolute + path.sep)) throw new Error(`upload key escapes the uploads root: ${key}`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, body);
      return `${UPLOADS_URL_PREFIX}/${key}`;
    },
    async check() {
      await mkdir(absolute, { recursive: true });
      await access(absolute, constants.W_OK);
    },
  };
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'image/gif': '.gif',
  'application/pdf': '.pdf', 'text/plain': '.txt',
};

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
export const ATTACHMENT_TYPES = [...IMAGE_TYPES, 'application/pdf', 'text/plain'];

/** A fresh file name: never the client's (which may hold paths or clash). */
export function uploadKey(folder: string, prefix: string, contentType: string): string {
  return `${folder}/${prefix}-${randomBytes(8).toString('hex')}${EXTENSIONS[contentType] ?? ''}`;
}
