// Row conversion straight from MySQL's row packets: each value's bytes go into the COPY buffer as they
// are (numbers, dates, times) or escaped (text, JSON), without becoming a JS value first. Decoding every
// value to a string and encoding it again was most of the copy's own CPU time. A value that must change
// (a NUL, a zero date, bytes that are not UTF-8...) takes the careful path of `converterFor`, which
// reports the change.
import { isUtf8 } from 'node:buffer';
import { converterFor, isPlainDate, type SourceValue, type ValueChange } from './convert.js';
import type { CopyLineBuffer } from './copy-lines.js';
import type { TargetColumn } from './plan/plan.js';
import type { ValueKind } from './plan/types.js';

/** Writes a value's bytes [start, end) into `out` and returns true, or returns false having written nothing. */
type FastPath = (src: Buffer, start: number, end: number, out: CopyLineBuffer) => boolean;

const TRUE = Buffer.from('t');
const FALSE = Buffer.from('f');
const UTC = Buffer.from('+00');

function fastPathFor(kind: ValueKind): FastPath | null {
  switch (kind) {
    case 'raw':
    case 'time':
      return (src, start, end, out) => (out.verbatim(src, start, end), true);
    case 'text':
      return (src, start, end, out) => out.escaped(src, start, end, false);
    case 'json':
      return (src, start, end, out) => out.escaped(src, start, end, true);
    case 'date':
    case 'datetime':
      return (src, start, end, out) => isPlainDate(src, start) && (out.verbatim(src, start, end), true);
    case 'timestamp-utc':
      return (src, start, end, out) => isPlainDate(src, start) && (out.verbatim(src, start, end), out.verbatim(UTC, 0, UTC.length), true);
    case 'int-to-boolean': {
      // MySQL writes integers in canonical form: zero is exactly "0".
      return (src, start, end, out) => {
        const zero = end - start === 1 && src[start] === 0x30;
        out.verbatim(zero ? FALSE : TRUE, 0, 1);
        return true;
      };
    }
    case 'bytea':
      return (src, start, end, out) => (out.hex(src, start, end), true);
    default:
      return null;
  }
}

/** Kinds whose careful path wants the bytes (MySQL sends these columns with the binary character set). */
const BINARY_KINDS = new Set<ValueKind>(['bytea', 'bit-to-boolean', 'bit-varying']);
const TEXT_KINDS = new Set<ValueKind>(['text', 'json', 'set']);

const NULL_VALUE = 0xfb;

export interface PacketRowWriter {
  /** Writes the row packet's values [start, end) as one COPY line; true when `out` is full enough to be taken. */
  write(src: Buffer, start: number, end: number, changes: ValueChange[], out: CopyLineBuffer): boolean;
  /** The text of column `index` of the row just written (for reports), or null. */
  textOf(src: Buffer, index: number): string | null;
}

export function packetRowWriter(columns: TargetColumn[]): PacketRowWriter {
  const n = columns.length;
  const fast = columns.map((c) => fastPathFor(c.kind));
  const careful = columns.map((c) => converterFor(c.kind, c));
  const binary = columns.map((c) => BINARY_KINDS.has(c.kind));
  const text = columns.map((c) => TEXT_KINDS.has(c.kind));
  const names = columns.map((c) => c.name);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  return {
    write(src, start, end, changes, out) {
      let at = start;
      for (let i = 0; i < n; i++) {
        if (i) out.tab();
        // A length-coded string: one byte of length, or a marker for a 2, 3 or 8-byte length, or NULL.
        let length = src[at++];
        if (length === NULL_VALUE) {
          starts[i] = -1;
          out.text('\\N');
          continue;
        }
        if (length === 0xfc) {
          length = src.readUInt16LE(at);
          at += 2;
        } else if (length === 0xfd) {
          length = src.readUIntLE(at, 3);
          at += 3;
        } else if (length === 0xfe) {
          length = Number(src.readBigUInt64LE(at));
          at += 8;
        }
        const from = at;
        at += length;
        starts[i] = from;
        ends[i] = at;
        if (fast[i]?.(src, from, at, out)) continue;
        if (text[i] && !isUtf8(src.subarray(from, at))) {
          changes.push({ column: names[i], what: 'bytes that are not UTF-8 replaced with U+FFFD', why: 'Postgres text must be valid UTF-8' });
        }
        const raw: SourceValue = binary[i] ? Buffer.from(src.subarray(from, at)) : src.toString('utf8', from, at);
        const value = careful[i](raw, changes, names[i]);
        out.text(value === null ? '\\N' : value);
      }
      if (at !== end) throw new Error(`a MySQL row packet held ${end - at} bytes past its ${n} values`);
      return out.endLine();
    },
    textOf(src, index) {
      return starts[index] < 0 ? null : src.toString('utf8', starts[index], ends[index]);
    },
  };
}
