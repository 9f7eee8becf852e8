// What `migrate files` moves where: upload folders -> bucket prefixes, and the columns holding upload URLs.
// The folder defaults follow the legacy app's uploads tree; the URL columns are found in the data
// (discover.ts) unless a JSON config file (--config, read by config-file.ts) names them.
import { UPLOAD_FOLDER_PREFIXES } from '../../upload-layout.js';

export interface Destination {
  /** Undefined: the bucket named by --bucket. */
  bucket?: string;
  /** Empty, or ends with "/". */
  prefix: string;
}

export interface UrlColumn {
  table: string;
  column: string;
  /** The column holds text (HTML, Markdown) with upload paths inside it, not one URL. */
  embedded: boolean;
  /**
   * Found in the data rather than named: each value is read as one URL when it looks like one and as
   * text holding URLs otherwise, so a sample that saw only one shape cannot misjudge the column.
   */
  discovered?: boolean;
}

export interface FilesMapping {
  /** Top-level folder under the uploads root -> where its files go. */
  folders: Record<string, Destination>;
  /** Undefined: found in the data (or, with --no-discover, MARKETHUB_URL_COLUMNS). */
  urlColumns?: UrlColumn[];
  /** Absolute URL origins that served the uploads (e.g. http://localhost:3000): treated like relative paths. */
  legacyOrigins: string[];
}

export const DEFAULT_MAPPING: FilesMapping = {
  folders: Object.fromEntries(Object.entries(UPLOAD_FOLDER_PREFIXES).map(([folder, prefix]) => [folder, { prefix }])),
  legacyOrigins: [],
};

/** The URL columns of the MarketHub app's own schema: what --no-discover rewrites without urlColumns. */
export const MARKETHUB_URL_COLUMNS: UrlColumn[] = [
  { table: 'product_images', column: 'url', embedded: false },
  { table: 'users', column: 'avatar', embedded: false },
  { table: 'vendors', column: 'logo', embedded: false },
  { table: 'vendors', column: 'banner', embedded: false },
  { table: 'journals', column: 'cover_image', embedded: false },
  { table: 'support_attachments', column: 'file_path', embedded: false },
  { table: 'products', column: 'description', embedded: true },
  { table: 'journals', column: 'body', embedded: true },
];

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}
