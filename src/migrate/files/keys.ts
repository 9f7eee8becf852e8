// Where a local upload lands in the bucket, and the public URL of an object. Pure functions.
import type { FilesMapping } from './config.js';

/** S3 refuses keys longer than this many UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

export interface ObjectLocation {
  bucket: string;
  key: string;
}

/**
 * `relative` is the file's path under the uploads root with "/" separators, e.g. "product-images/a b.jpg".
 * Keys are NFC so that a name typed on macOS (NFD on disk) and the same name stored by the app (NFC) meet.
 * Returns a reason string when the file cannot be placed.
 */
export function objectLocationOf(relative: string, mapping: FilesMapping, defaultBucket: string): ObjectLocation | { skip: string } {
  const slash = relative.indexOf('/');
  if (slash < 0) return { skip: 'lies directly in the uploads root, outside every mapped folder' };
  const folder = relative.slice(0, slash);
  const destination = mapping.folders[folder];
  if (!destination) return { skip: `folder "${folder}" is not in the mapping` };
  const key = (destination.prefix + relative.slice(slash + 1)).normalize('NFC');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return { skip: `its key would be longer than ${MAX_KEY_BYTES} bytes` };
  return { bucket: destination.bucket ?? defaultBucket, key };
}

/**
 * The CDN URL of a key: every path segment percent-encoded, so any character a file name can hold
 * survives. ( ) ' ! * are encoded too: the URL may land inside Markdown links, HTML attributes or CSS url().
 */
export function publicUrlOf(cdnBase: string, key: string): string {
  const encode = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${cdnBase.replace(/\/+$/, '')}/${key.split('/').map(encode).join('/')}`;
}

export function locationId(location: ObjectLocation): string {
  return `${location.bucket}/${location.key}`;
}
