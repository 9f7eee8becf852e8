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
  /** Where clients may upload straight to the storage (S3), past the app; absent on local disk. */
  readonly direct?: DirectUploadStorage;
}

/** A file as the storage holds it. */
export interface StoredFile {
  size: number;
  contentType: string;
}

export interface PresignedPut {
  url: string;
  /** Headers the PUT must carry as given: the URL's signature covers them. */
  headers: Record<string, string>;
}

/** Direct uploads: the client PUTs to a presigned URL, the app checks what arrived. Keys are upload keys, as for save. */
export interface DirectUploadStorage {
  /** The storage's name for an upload key (product-images/p8-1a2b.jpg -> products/p8-1a2b.jpg): what the client sees. */
  objectKey(key: string): string;
  /** A PUT of exactly `size` bytes of `contentType` (and the MD5 when given, base64) to `key`, valid for `expiresInSeconds`. */
  presignPut(key: string, file: StoredFile & { md5?: string; expiresInSeconds: number }): Promise<PresignedPut>;
  /** What is stored under `key`, or undefined when nothing is. */
  head(key: string): Promise<StoredFile | undefined>;
  /** The bytes under `key`; refused past `maxBytes`. */
  read(key: string, maxBytes: number): Promise<Buffer>;
  remove(key: string): Promise<void>;
  /** The public URL of `key`, as save returns it. */
  url(key: string): string;
}

export const UPLOADS_URL_PREFIX = '/uploads';

/** What read throws when the stored file is past the bytes asked for. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the stored file is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

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

/** The file-name extension the app gives a type ('' for none). */
export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType] ?? '';
}

/** The type an extension the app gave stands for. */
export function typeOfExtension(extension: string): string | undefined {
  return Object.keys(EXTENSIONS).find((type) => EXTENSIONS[type] === extension);
}

/** A fresh file name: never the client's (which may hold paths or clash). */
export function uploadKey(folder: string, prefix: string, contentType: string): string {
  return `${folder}/${prefix}-${randomBytes(8).toString('hex')}${extensionOf(contentType)}`;
}
