// Direct uploads: a file too big for a function's request body goes from the client straight to the
// storage through a presigned PUT, and the kind's upload route then takes it by its key. The key names
// its owner (p8-, u40-, t3-) and ends in a tag that only this app can make, for the one user it was
// issued to: nobody confirms a key they were not given, whoever learns it from a public URL. What the
// storage holds is checked as a multipart file is (size, type, content, MD5 when given) before the
// route records it; a file that fails is deleted, since no route can ever take it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import { badRequest, conflict, forbidden, HttpError } from '../errors.js';
import { contentMatchesType } from './file-types.js';
import { extensionOf, FileTooLargeError, typeOfExtension, type DirectUploadStorage } from './storage.js';
import { PRESIGN_ROUTE, type UploadKind } from './upload-kinds.js';

const NONCE_BYTES = 8;
const TAG_HEX = 24;

export interface DirectUploadFile {
  contentType: string;
  size: number;
  /** Base64 MD5 of the bytes (as Content-MD5): signed into the URL, so S3 refuses other bytes. */
  md5?: string;
}

export interface PresignedUpload {
  kind: UploadKind['name'];
  /** The storage's key: what the route takes as { key } once the PUT is done. */
  key: string;
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
  /** Where to confirm it. */
  confirm: { method: 'POST'; path: string };
}

/** An upload key checked to be one this app issued to the user, for this kind and owner. */
export interface DirectUploadClaim {
  /** The upload key (product-images/p8-...). */
  key: string;
  contentType: string;
}

export interface TakenUpload {
  url: string;
  body: Buffer;
  contentType: string;
}

function tagOf(ctx: AppContext, userId: number, stem: string): string {
  return createHmac('sha256', ctx.config.jwtSecret).update(`direct-upload\n${userId}\n${stem}`, 'utf8').digest('hex').slice(0, TAG_HEX);
}

const mb = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(2))} MiB`;

/** The kind's rules for a file about to be uploaded: its type and size, as the multipart route has them. */
function checkRules(ctx: AppContext, kind: UploadKind, file: DirectUploadFile): void {
  if (!kind.types.includes(file.contentType)) {
    throw badRequest('unsupported file type', { contentType: [`must be one of ${kind.types.join(', ')}`] });
  }
  if (file.size > ctx.config.maxUploadBytes) {
    throw new HttpError(413, 'file_too_large', 'File too large', { size: [`must be at most ${ctx.config.maxUploadBytes} bytes (${mb(ctx.config.maxUploadBytes)})`] });
  }
}

export async function presignDirectUpload(
  ctx: AppContext, storage: DirectUploadStorage, userId: number, kind: UploadKind, ownerId: number, file: DirectUploadFile,
): Promise<PresignedUpload> {
  checkRules(ctx, kind, file);
  const extension = extensionOf(file.contentType);
  const name = `${kind.ownerLetter}${ownerId}-${randomBytes(NONCE_BYTES).toString('hex')}`;
  const key = `${kind.folder}/${name}-${tagOf(ctx, userId, `${kind.folder}/${name}${extension}`)}${extension}`;
  const expiresInSeconds = ctx.config.directUploadExpirySeconds;
  const issuedAt = Date.now();
  const put = await storage.presignPut(key, { contentType: file.contentType, size: file.size, md5: file.md5, expiresInSeconds });
  return {
    kind: kind.name, key: storage.objectKey(key), method: 'PUT', url: put.url, headers: put.headers,
    expiresAt: new Date(issuedAt + expiresInSeconds * 1000).toISOString(),
    confirm: { method: 'POST', path: kind.route(ownerId) },
  };
}

/** Checks that `objectKey` is a key this app issued to `userId` for the kind and owner; nothing is read yet. */
export function claimDirectUpload(ctx: AppContext, storage: DirectUploadStorage, userId: number, kind: UploadKind, ownerId: number, objectKey: string): DirectUploadClaim {
  const prefix = storage.objectKey(`${kind.folder}/x`).slice(0, -1);
  const name = objectKey.startsWith(prefix) ? objectKey.slice(prefix.length) : '';
  const parts = /^([a-z])(\d{1,16})-([0-9a-f]+)-([0-9a-f]+)(\.[a-z0-9]+)$/.exec(name);
  if (!parts || parts[3]!.length !== NONCE_BYTES * 2 || parts[4]!.length !== TAG_HEX) {
    throw badRequest('not a direct upload key', { key: [`must be a key POST ${PRESIGN_ROUTE} answered for a ${kind.name}`] });
  }
  const [, letter, owner, nonce, tag, extension] = parts as unknown as [string, string, string, string, string, string];
  if (letter !== kind.ownerLetter || Number(owner) !== ownerId) {
    throw badRequest('the key is for another upload', { key: [`this key was presigned for another ${kind.name} owner`] });
  }
  const contentType = typeOfExtension(extension);
  if (contentType === undefined || !kind.types.includes(contentType)) {
    throw badRequest('unsupported file type', { key: [`must be one of ${kind.types.join(', ')}`] });
  }
  const stem = `${kind.folder}/${letter}${owner}-${nonce}${extension}`;
  const expected = Buffer.from(tagOf(ctx, userId, stem));
  if (!timingSafeEqual(expected, Buffer.from(tag))) throw forbidden('this upload key was not issued to you');
  return { key: `${kind.folder}/${name}`, contentType };
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * What the storage holds under a claimed key, if it passes the kind's checks; `recorded` says whether
 * a route already took the file (then it is answered 409 and left alone).
 */
export async function takeDirectUpload(
  ctx: AppContext, storage: DirectUploadStorage, claim: DirectUploadClaim,
  options: { md5?: string; recorded(url: string): Promise<boolean> },
): Promise<TakenUpload> {
  const url = storage.url(claim.key);
  if (await options.recorded(url)) throw conflict('already_taken', 'this upload was already taken', { key: ['already recorded'] });
  const stored = await storage.head(claim.key);
  if (!stored) throw badRequest('nothing was uploaded under this key', { key: ['no file under this key: PUT the file to the presigned URL first'] });
  const refuse = async (error: HttpError): Promise<never> => {
    await storage.remove(claim.key);
    throw error;
  };
  const max = ctx.config.maxUploadBytes;
  const tooLarge = new HttpError(413, 'file_too_large', 'File too large', { key: [`the file must be at most ${max} bytes (${mb(max)})`] });
  if (stored.size > max) return refuse(tooLarge);
  if (mediaType(stored.contentType) !== claim.contentType) {
    return refuse(badRequest('the stored type is not the presigned one', { key: [`the file was stored as ${stored.contentType || 'no type'}, not ${claim.contentType}`] }));
  }
  let body: Buffer;
  try {
    body = await storage.read(claim.key, max);
  } catch (error) {
    if (error instanceof FileTooLargeError) return refuse(tooLarge);
    throw error;
  }
  if (!contentMatchesType(body, claim.contentType)) {
    return refuse(badRequest('the file content does not match its type', { key: [`the content is not ${claim.contentType}`] }));
  }
  if (options.md5 !== undefined && createHash('md5').update(body).digest('base64') !== options.md5) {
    return refuse(badRequest('the file is not the one checksummed', { md5: ['the stored bytes have another MD5'] }));
  }
  return { url, body, contentType: claim.contentType };
}
