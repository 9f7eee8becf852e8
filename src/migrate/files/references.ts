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
 * "/uploads/" (or a legacy origin) after a quote, parenthesis, "=" or white space, and ends before the
 * next quote, parenthesis, angle bracket or white space.
 */
export function rewriteEmbeddedValue(value: string, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]): RewriteResult {
  const result: RewriteResult = { value, references: [], absoluteLeft: [] };
  const origins = legacyOrigins.map(escapeRegExp).join('|');
  const pattern = new RegExp(`(^|["'(=\\s])((?:${origins ? `(?:${origins})` : '(?!)'})?/${UPLOADS}|(?:https?:)?//[^/"'()<>\\s]+/${UPLOADS})([^"'()<>\\s]+)`, 'gi');
  result.value = value.replace(pattern, (match, lead: string, start: string, after: string) => {
    const isLegacy = start.toLowerCase() === `/${UPLOADS}` || legacyOrigins.some((o) => start.toLowerCase() === `${o.toLowerCase()}/${UPLOADS}`);
    if (!isLegacy) {
      result.absoluteLeft.push(start + after);
      return match;
    }
    const resolution = resolve(after);
    const reference = start + after;
    if ('url' in resolution) {
      result.references.push({ reference, outcome: 'rewritten' });
      return lead + resolution.url;
    }
    result.references.push({ reference, outcome: resolution.missing });
    return match;
  });
  return result;
}
