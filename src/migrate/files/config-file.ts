// The JSON config file of `migrate files` (--config), validated with zod. Loaded only when one is given.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { USAGE_ERROR, UserError } from '../../config/errors.js';
import { BUCKET_NAME, DEFAULT_MAPPING, type FilesMapping } from './config.js';

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

/** Reads and validates a config file; what it leaves out keeps its default. */
export function loadFilesMapping(file: string): FilesMapping {
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
    urlColumns: parsed.data.urlColumns,
    legacyOrigins: parsed.data.legacyOrigins ?? DEFAULT_MAPPING.legacyOrigins,
  };
}
