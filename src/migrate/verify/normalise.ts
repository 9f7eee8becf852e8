// Canonical text of values that cannot be rendered identically inside both databases (floats, JSON,
// times): each side's text is brought to one form here, so equal values compare equal and different
// values never do.

/** Marks text that could not be parsed: it never equals a canonical value of the other side. */
export const INVALID = '\u0001invalid:';

/** Exact canonical text of a decimal number: no sign on zero, no leading or trailing zeros, no exponent. */
export function canonicalDecimal(input: string): string | undefined {
  const s = input.trim();
  if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return s;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return undefined;
  const [, sign, intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return undefined;
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let exp = (expPart ? Number(expPart) : 0) - fracPart.length;
  if (!Number.isSafeInteger(exp)) return undefined;
  if (digits === '') return '0';
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  let body: string;
  if (Math.abs(exp) > 100_000) body = `${digits}e${exp}`;
  else if (exp >= 0) body = digits + '0'.repeat(exp);
  else if (-exp < digits.length) body = `${digits.slice(0, digits.length + exp)}.${digits.slice(digits.length + exp)}`;
  else body = `0.${'0'.repeat(-exp - digits.length)}${digits}`;
  return sign === '-' ? `-${body}` : body;
}

/** The shortest decimal text that reads back as the same single-precision float. */
export function canonicalFloat32(input: string): string {
  const text = input.trim();
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) return text === 'NaN' ? 'NaN' : INVALID + input;
  const f = Math.fround(n);
  if (!Number.isFinite(f) || f === 0) return String(f === 0 ? 0 : f);
  for (let p = 1; p <= 9; p++) {
    const t = f.toPrecision(p);
    if (Math.fround(Number(t)) === f) return String(Number(t));
  }
  return String(f);
}

/** The shortest decimal text that reads back as the same double. */
export function canonicalFloat64(input: string): string {
  const text = input.trim();
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) return text === 'NaN' ? 'NaN' : INVALID + input;
  return String(n === 0 ? 0 : n);
}

/** A MySQL TIME text ('-838:59:59.5') as a canonical number of seconds ('-3020399.5'). */
export function mysqlTimeToSeconds(value: string): string {
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return INVALID + value;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return canonicalDecimal(`${m[1] ?? ''}${seconds}.${m[5] ?? '0'}`) ?? INVALID + value;
}

/**
 * Canonical text of a JSON document: object keys sorted (the last of duplicate keys wins, as in
 * jsonb), numbers by exact decimal value, no insignificant whitespace. Undefined for invalid JSON.
 * With stripNul, NUL characters are removed from strings and keys, as the migration does for jsonb.
 */
export function canonicalJson(text: string, stripNul = false): string | undefined {
  if (!stripNul && !IMPRECISE.test(text)) {
    try {
      return stableJson(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at ${i}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): string => {
    let j = i + 1;
    let escaped = false;
    for (let c = text.charCodeAt(j); j < text.length && c !== 34; c = text.charCodeAt(j)) {
      if (c === 92) {
        escaped = true;
        j += 2;
      } else j++;
    }
    if (j >= text.length) fail();
    // Most strings hold no escapes: their text is their value, no parse needed.
    const decoded = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
    i = j + 1;
    return stripNul ? decoded.replaceAll('\u0000', '') : decoded;
  };
  const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): string => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries = new Map<string, string>();
      ws();
      if (text[i] === '}') {
        i++;
        return '{}';
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        entries.set(key, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          break;
        }
        fail();
      }
      const keys = [...entries.keys()].sort();
      return `{${keys.map((k) => `${quote(k)}:${entries.get(k)}`).join(',')}}`;
    }
    if (ch === '[') {
      i++;
      const items: string[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return '[]';
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          break;
        }
        fail();
      }
      return `[${items.join(',')}]`;
    }
    if (ch === '"') return quote(str());
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return literal;
      }
    }
    numberPattern.lastIndex = i;
    const m = numberPattern.exec(text);
    if (!m) return fail();
    i += m[0].length;
    if (INTEGER.test(m[0])) return m[0] === '-0' ? '0' : m[0];
    return canonicalDecimal(m[0]) ?? fail();
  };
  try {
    const out = value();
    ws();
    return i === text.length ? out : undefined;
  } catch {
    return undefined;
  }
}

const INTEGER = /^-?\d+$/;

/**
 * Text that might hold a number a double cannot tell from its neighbours: more than 15 digits, or an
 * exponent of 3 digits. Without such, JSON.parse keeps every number's value, and is much faster.
 */
const IMPRECISE = /\d[\d.]{15}|[eE][+-]?\d{3}/;

/** The same text canonicalJson's parser produces, from a parsed document. */
export function stableJson(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    // Up to 15 digits read into a double print back as the same digits; only the notation may differ.
    const text = String(value);
    return text.includes('e') ? canonicalDecimal(text)! : text;
  }
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object).sort().map((k) => `${quote(k)}:${stableJson(object[k])}`).join(',')}}`;
}
const NEEDS_ESCAPES = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON text of a string: the same as JSON.stringify, without its cost for the plain strings most documents hold. */
function quote(value: string): string {
  return NEEDS_ESCAPES.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** How a column compared outside the databases is brought to one form. */
export type ClientKind = 'float32' | 'float64' | 'decimal' | 'json' | 'time' | 'text' | 'padded-text';

/** A MySQL value as the migration must have written it, and whether the migration changed it on purpose. */
export interface SourceCanonical {
  value: string | null;
  /** True when the migration changes this value by design (NUL removed): counted, never reported. */
  changed: boolean;
}

const same = (value: string | null): SourceCanonical => ({ value, changed: false });

export function canonicalSource(kind: ClientKind, raw: string | null): SourceCanonical {
  if (raw === null) return same(null);
  switch (kind) {
    case 'float32':
      return same(canonicalFloat32(raw));
    case 'float64':
      return same(canonicalFloat64(raw));
    case 'decimal':
      return same(canonicalDecimal(raw) ?? INVALID + raw);
    case 'time':
      return same(mysqlTimeToSeconds(raw));
    case 'json': {
      // The common case pays for one parse; only text holding NUL is parsed twice.
      if (!raw.includes('\u0000') && !raw.includes('\\u0000')) return same(canonicalJson(raw) ?? INVALID + raw);
      const stripped = canonicalJson(raw.replaceAll('\u0000', ''), true);
      return { value: stripped ?? INVALID + raw, changed: stripped !== canonicalJson(raw) };
    }
    case 'text':
    case 'padded-text': {
      const text = raw.includes('\u0000') ? raw.replaceAll('\u0000', '') : raw;
      return { value: kind === 'padded-text' ? trimEndSpaces(text) : text, changed: text !== raw };
    }
  }
}

export function canonicalTarget(kind: ClientKind, raw: string | null): string | null {
  if (raw === null) return null;
  switch (kind) {
    case 'float32':
      return canonicalFloat32(raw);
    case 'float64':
      return canonicalFloat64(raw);
    case 'decimal':
    case 'time': // read as extract(epoch ...)
      return canonicalDecimal(raw) ?? INVALID + raw;
    case 'json':
      return canonicalJson(raw) ?? INVALID + raw;
    case 'text':
      return raw;
    case 'padded-text':
      return trimEndSpaces(raw);
  }
}

function trimEndSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}
