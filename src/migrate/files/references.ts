// Finding upload references in column values and rewriting them. Pure functions: no I/O.

/** What a reference resolves to: a new URL, or why it stays as it is. */
export type Resolution = { url: string } | { missing: 'dangling' | 'not-uploaded' };

export interface ReferenceOutcome {
  reference: string;
  outcome: 'rewritten' | 'dangling' | 'not-uploaded';
}

export interface RewriteResult {
  value: string;
  references: ReferenceOutcome[];
  /** Absolute URLs that point at /uploads/ on a host not listed as a legacy origin: left alone. */
  absoluteLeft: string[];
}

/** A reference split into the file path under the uploads root and what trails it (?query, #fragment). */
export interface ParsedReference {
  /** Candidate paths under the uploads root, most literal first. */
  candidates: { path: string; suffix: string }[];
}

const UPLOADS = 'uploads/';

/**
 * Turns the part after "/uploads/" into candidate file paths. The app stored names raw ("p12-1 copy.JPG"),
 * percent-encoded ("p21-1%20(1).jpg") and with cache busters ("u9.gif?v=3"); a file name may itself hold
 * "?", "#" or "%", so the literal reading is tried first and the others only after it.
 */
export function candidatePaths(afterUploads: string): ParsedReference['candidates'] {
  const candidates: { path: string; suffix: string }[] = [];
  const add = (path: string, suffix: string) => {
    if (path && !candidates.some((c) => c.path === path && c.suffix === suffix)) candidates.push({ path, suffix });
  };
  const cut = afterUploads.search(/[?#]/);
  const readings: [string, string][] = [[afterUploads, '']];
  if (cut > 0) readings.push([afterUploads.slice(0, cut), afterUploads.slice(cut)]);
  for (const [path, suffix] of readings) {
    add(path, suffix);
    const decoded = safeDecode(path);
    if (decoded !== undefined) add(decoded, suffix);
  }
  return candidates;
}

function safeDecode(text: string): string | undefined {
  if (!text.includes('%')) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Strips a legacy origin ("http://localhost:3000") so the value reads like a relative path. */
function relativeToOrigins(value: string, legacyOrigins: string[]): string | undefined {
  for (const origin of legacyOrigins) {
    if (value.toLowerCase().startsWith(origin.toLowerCase() + '/')) return value.slice(origin.length);
  }
  return undefined;
}

const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;

/**
 * A column holding one URL. "/uploads/x", "uploads/x" and legacy-origin URLs are references;
 * other absolute URLs are left alone (and listed when they point at an /uploads/ path).
 */
export function rewriteWholeValue(value: string, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]): RewriteResult {
  const result: RewriteResult = { value, references: [], absoluteLeft: [] };
  let path = value.trim() === value ? value : undefined;
  if (path !== undefined && ABSOLUTE.test(path)) {
    const relative = relativeToOrigins(path, legacyOrigins);
    if (relative === undefined) {
      if (/\/uploads\//i.test(path)) result.absoluteLeft.push(value);
      return result;
    }
    path = relative;
  }
  if (path === undefined) return result;
  const after = path.startsWith('/' + UPLOADS) ? path.slice(UPLOADS.length + 1) : path.startsWith(UPLOADS) ? path.slice(UPLOADS.length) : undefined;
  if (after === undefined || after === '') return result;
  const resolution = resolve(after);
  if ('url' in resolution) {
    result.value = resolution.url;
    result.references.push({ reference: value, outcome: 'rewritten' });
  } else {
    result.references.push({ reference: value, outcome: resolution.missing });
  }
  return result;
}

/**
 * A column holding text with references inside (HTML src/href, Markdown links). A reference starts at
 * "/uploads/" (or a legacy origin) after a quote, parenthesis, "=" or white space. Inside a quoted
 * attribute it runs to the closing quote (a name may hold spaces or parentheses there); elsewhere it
 * ends before the next quote, parenthesis, angle bracket or white space.
 */
export function rewriteEmbeddedValue(value: string, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]): RewriteResult {
  const result: RewriteResult = { value, references: [], absoluteLeft: [] };
  const origins = legacyOrigins.map(escapeRegExp).join('|');
  const start = `((?:${origins ? `(?:${origins})` : '(?!)'})?/${UPLOADS}|(?:https?:)?//[^/"'()<>\\s]+/${UPLOADS})`;
  const pattern = new RegExp(`(")${start}([^"<>\\r\\n]+)(?=")|(')${start}([^'<>\\r\\n]+)(?=')|(^|["'(=\\s])${start}([^"'()<>\\s]+)`, 'gi');
  result.value = value.replace(pattern, (match, ...groups: (string | undefined)[]) => {
    const i = groups[0] !== undefined ? 0 : groups[3] !== undefined ? 3 : 6;
    const [lead, begin, after] = [groups[i]!, groups[i + 1]!, groups[i + 2]!];
    const isLegacy = begin.toLowerCase() === `/${UPLOADS}` || legacyOrigins.some((o) => begin.toLowerCase() === `${o.toLowerCase()}/${UPLOADS}`);
    if (!isLegacy) {
      result.absoluteLeft.push(begin + after);
      return match;
    }
    const resolution = resolve(after);
    const reference = begin + after;
    if ('url' in resolution) {
      result.references.push({ reference, outcome: 'rewritten' });
      return lead + resolution.url;
    }
    result.references.push({ reference, outcome: resolution.missing });
    return match;
  });
  return result;
}

type ValueRewriter = (value: string, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]) => RewriteResult;

/** A value that reads as one URL: it starts at "/uploads/", "uploads/" or an origin, and holds no markup or line break. */
const LOOKS_WHOLE = /^(?:(?:[a-z][a-z0-9+.-]*:)?\/\/[^/"'<>\s]+)?\/?uploads\/[^"<>\r\n]*$/i;

/**
 * A value of a column found from its data: read as one URL when it looks like one (spaces included, as
 * the app stored "p12-1 copy.JPG"), as text holding URLs otherwise.
 */
export const rewriteAnyValue: ValueRewriter = (value, resolve, legacyOrigins) =>
  (LOOKS_WHOLE.test(value) ? rewriteWholeValue : rewriteEmbeddedValue)(value, resolve, legacyOrigins);

function merge(into: RewriteResult, from: RewriteResult): void {
  into.references.push(...from.references);
  into.absoluteLeft.push(...from.absoluteLeft);
}

/** A JSON string token, and whether a ":" follows it (an object key, never rewritten). */
const JSON_STRING = /"(?:[^"\\]|\\.)*"(?=(\s*:)?)/g;

/**
 * A JSON document as text (json's own text, jsonb's canonical one): every string value holding a
 * reference is rewritten in place; keys, numbers, spacing and every other token stay byte for byte.
 */
export function rewriteJsonText(text: string, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]): RewriteResult {
  const result: RewriteResult = { value: text, references: [], absoluteLeft: [] };
  result.value = text.replace(JSON_STRING, (token: string, colon: string | undefined) => {
    if (colon !== undefined || !token.includes('uploads/')) return token;
    const inner = rewriteAnyValue(JSON.parse(token) as string, resolve, legacyOrigins);
    merge(result, inner);
    return inner.value === JSON.parse(token) ? token : JSON.stringify(inner.value);
  });
  return result;
}

/** The elements of a Postgres array (as node-postgres parses it): each one a value of its own. */
export function rewriteArrayItems(items: unknown[], resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]): { items: unknown[]; result: RewriteResult } {
  const result: RewriteResult = { value: '', references: [], absoluteLeft: [] };
  const walk = (list: unknown[]): unknown[] => list.map((item) => {
    if (Array.isArray(item)) return walk(item);
    if (typeof item !== 'string' || !item.includes('uploads/')) return item;
    const inner = rewriteAnyValue(item, resolve, legacyOrigins);
    merge(result, inner);
    return inner.value;
  });
  return { items: walk(items), result };
}

/** A Postgres array literal for text elements (NULLs kept), nested arrays included. */
export function arrayLiteral(items: unknown[]): string {
  return `{${items.map((item) => (Array.isArray(item) ? arrayLiteral(item) : item === null ? 'NULL' : `"${String(item).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}
