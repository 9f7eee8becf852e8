// What `migrate files` moves where: upload folders -> bucket prefixes, and the columns holding upload URLs.
// Defaults fit MarketHub; a JSON config file (--config) replaces any part of them.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { USAGE_ERROR, UserError } from '../../config/index.js';

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
}

export interface FilesMapping {
  /** Top-level folder under the uploads root -> where its files go. */
  folders: Record<string, Destination>;
  urlColumns: UrlColumn[];
  /** Absolute URL origins that served the uploads (e.g. http://localhost:3000): treated like relative paths. */
  legacyOrigins: string[];
}

export const DEFAULT_MAPPING: FilesMapping = {
  folders: {
    'product-images': { prefix: 'products/' },
    'user-avatars': { prefix: 'avatars/' },
    'journal-images': { prefix: 'journals/' },
    'support-attachments': { prefix: 'support/' },
    'vendor-assets': { prefix: 'vendor/' },
  },
  urlColumns: [
    { table: 'product_images', column: 'url', embedded: false },
    { table: 'users', column: 'avatar', embedded: false },
    { table: 'vendors', column: 'logo', embedded: false },
    { table: 'vendors', column: 'banner', embedded: false },
    { table: 'journals', column: 'cover_image', embedded: false },
    { table: 'support_attachments', column: 'file_path', embedded: false },
    { table: 'products', column: 'description', embedded: true },
    { table: 'journals', column: 'body', embedded: true },
  ],
  legacyOrigins: [],
};

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const prefix = z
  .string()
  .refine((p) => !p.startsWith('/'), 'must not start with "/"')
  .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`));

const FilesConfigSchema = z
  .object({
    mapping: z
      .record(
        z.string().min(1).refine((f) => !f.includes('/') && f !== '.' && f !== '..', 'folder names are top-level folder names'),
        // "folder": "prefix/" is short for { "prefix": "prefix/" }.
        z.preprocess(
          (v) => (typeof v === 'string' ? { prefix: v } : v),
          z.object({ bucket: z.string().regex(BUCKET_NAME, 'is not a valid bucket name').optional(), prefix: prefix.default('') }).strict(),
        ),
      )
      .optional(),
    urlColumns: z
      .array(z.object({ table: z.string().min(1), column: z.string().min(1), embedded: z.boolean().default(false) }).strict())
      .optional(),
    legacyOrigins: z.array(z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''))).optional(),
  })
  .strict();

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** Reads and validates a config file; what it leaves out keeps its default. */
export function loadFilesMapping(file: string | undefined): FilesMapping {
  if (!file) return DEFAULT_MAPPING;
  if (!existsSync(file)) throw new UserError(`--config: file ${file} not found`, USAGE_ERROR);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--config: ${file} is not valid JSON (${(error as Error).message})`, USAGE_ERROR);
  }
  return parseFilesMapping(json, file);
}

export function parseFilesMapping(json: unknown, source = 'config'): FilesMapping {
  const parsed = FilesConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`--config: ${source}: ${issue.path.join('.') || 'top level'} ${issue.message}`, USAGE_ERROR);
  }
  return {
    folders: parsed.data.mapping ?? DEFAULT_MAPPING.folders,
    urlColumns: parsed.data.urlColumns ?? DEFAULT_MAPPING.urlColumns,
    legacyOrigins: parsed.data.legacyOrigins ?? DEFAULT_MAPPING.legacyOrigins,
  };
}
