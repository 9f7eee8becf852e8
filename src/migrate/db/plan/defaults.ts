// Column defaults: MySQL's COLUMN_DEFAULT (MariaDB form) -> a Postgres default expression, or a note.
import type { SourceColumn } from '../catalog.js';
import { quoteLiteral, translateMysqlExpression } from './expression.js';
import type { ValueKind } from './types.js';
import { setLiteral } from '../set-literal.js';

export interface DefaultChoice {
  sql: string | null;
  note?: { what: string; why: string };
}

const ZERO_DATE = /^0000-|^\d{4}-00-|^\d{4}-\d{2}-00/;

function unquote(raw: string): string | null {
  const m = /^'((?:[^'\\]|''|\\.)*)'$/s.exec(raw);
  if (!m) return null;
  return m[1].replace(/''/g, "'").replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[c] ?? c);
}

function bitLiteral(raw: string): string | null {
  const m = /^b'([01]*)'$/i.exec(raw);
  return m ? m[1] : null;
}

/** Default literals mean the same instant as the rows: DATETIME in the source's zone, TIMESTAMP in UTC. */
function dateLiteral(text: string, kind: ValueKind, pgType: string, sourceTimezone: string): string {
  if (kind === 'date' || !pgType.startsWith('timestamptz')) return `${quoteLiteral(text)}::${pgType}`;
  if (kind === 'timestamp-utc') return `${quoteLiteral(`${text}+00`)}::${pgType}`;
  return `(${quoteLiteral(text)}::timestamp AT TIME ZONE ${quoteLiteral(sourceTimezone)})`;
}

export function translateDefault(column: SourceColumn, kind: ValueKind, pgType: string, sourceTimezone = 'UTC'): DefaultChoice {
  const raw = column.defaultValue?.trim();
  if (raw == null || raw.toUpperCase() === 'NULL') return { sql: null };
  if (/^current_timestamp(\(\d*\))?$/i.test(raw) || /^now\(\d*\)$/i.test(raw)) {
    return { sql: kind === 'date' ? 'CURRENT_DATE' : 'CURRENT_TIMESTAMP' };
  }
  if (/^curdate\(\)$/i.test(raw)) return { sql: 'CURRENT_DATE' };

  const bits = bitLiteral(raw);
  const literal = bits === null ? unquote(raw) : null;
  const text = bits ?? literal ?? (/^-?[\d.]+(e[-+]?\d+)?$/i.test(raw) ? raw : null);
  if (text === null) {
    const expr = translateMysqlExpression(raw);
    if (expr.ok) return { sql: expr.sql };
    return { sql: null, note: { what: `default ${raw} dropped`, why: `expression has no Postgres equivalent (${expr.reason})` } };
  }

  switch (kind) {
    case 'int-to-boolean':
      return { sql: Number(text) === 0 ? 'false' : 'true' };
    case 'bit-to-boolean':
      return { sql: bits !== null ? (/1/.test(bits) ? 'true' : 'false') : Number(text) === 0 ? 'false' : 'true' };
    case 'bit-varying': {
      const width = column.numericPrecision ?? 1;
      const value = bits !== null ? bits : BigInt(text).toString(2);
      return { sql: `B'${value.padStart(width, '0').slice(-width)}'` };
    }
    case 'raw':
      return { sql: bits !== null ? String(parseInt(bits || '0', 2)) : text };
    case 'date':
    case 'datetime':
    case 'timestamp-utc':
      if (ZERO_DATE.test(text)) return { sql: null, note: { what: `default ${raw} dropped`, why: 'a zero date is not a valid Postgres date' } };
      return { sql: dateLiteral(text, kind, pgType, sourceTimezone) };
    case 'set':
      return { sql: `${quoteLiteral(setLiteral(text))}::text[]` };
    case 'json':
      return { sql: `${quoteLiteral(text)}::jsonb` };
    case 'bytea':
      return { sql: `'\\x${Buffer.from(text, 'utf8').toString('hex')}'::bytea` };
    default:
      return { sql: quoteLiteral(text.replace(/\0/g, '')) };
  }
}
