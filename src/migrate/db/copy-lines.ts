// COPY lines written straight into a Buffer, value by value. Joining the rows into one string per flush
// kept thousands of row strings alive until the flush, and turning an integer into text goes through V8's
// number-to-string cache, which keeps each string alive until the entry is replaced: both outlived
// young-generation GCs and piled up in the old generation as garbage, more of it the longer the run.
// Here the bytes live outside the JS heap and integers never become strings.
import { isUtf8 } from 'node:buffer';

/** Room for a typical row past the flush size before the buffer has to grow. */
const SLACK_BYTES = 64 * 1024;
const TAB = 0x09;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const BACKSLASH = 0x5c;
/** Most values are shorter: copied by a JS loop, they save a native call each. */
const SHORT_TEXT = 48;

/** What COPY's text format does with each byte of UTF-8 text: 0 keep, else the escape letter; NUL and bytes from 0x80 are marked apart. */
const NUL_BYTE = 1;
const HIGH_BYTE = 2;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS.fill(HIGH_BYTE, 0x80);
BYTE_CLASS[0] = NUL_BYTE;
BYTE_CLASS[0x09] = 0x74; // \t
BYTE_CLASS[0x0a] = 0x6e; // \n
BYTE_CLASS[0x0d] = 0x72; // \r
BYTE_CLASS[BACKSLASH] = BACKSLASH;

/** True at `at` when JSON text spells NUL, `\u0000`, which jsonb refuses. */
function isJsonNulEscape(src: Buffer, at: number, end: number): boolean {
  return at + 6 <= end && src[at + 1] === 0x75 && src[at + 2] === ZERO && src[at + 3] === ZERO && src[at + 4] === ZERO && src[at + 5] === ZERO;
}

/**
 * Buffers whose bytes have been sent, shared by every copy in the process. A buffer lives for many
 * young-generation GCs and is promoted; dropped at the end of a chunk, it would hold its memory until the
 * next full GC, so the garbage grew with the number of chunks. Reused, the same few buffers serve the run.
 */
const spares: Buffer[] = [];
const MAX_SPARES = 16;

export class CopyLineBuffer {
  private buffer: Buffer = Buffer.alloc(0);
  private used = 0;

  /** `flushBytes`: how full the buffer gets before `endLine` says to hand it over. */
  constructor(private readonly flushBytes: number) {}

  get length(): number {
    return this.used;
  }

  /** Appends text as UTF-8 (already escaped for COPY). */
  text(value: string): void {
    const n = value.length;
    // One UTF-16 code unit takes at most 3 bytes of UTF-8: room for that many never truncates the text.
    this.reserve(n * 3);
    const buffer = this.buffer;
    if (n > SHORT_TEXT) {
      this.used += buffer.write(value, this.used);
      return;
    }
    let at = this.used;
    for (let i = 0; i < n; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.used = at + buffer.write(value.slice(i), at);
        return;
      }
      buffer[at++] = code;
    }
    this.used = at;
  }

  /** Appends bytes that need no escaping (MySQL's text for numbers, dates and times) as they are. */
  verbatim(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    if (n > SHORT_TEXT) {
      this.used += src.copy(this.buffer, this.used, start, end);
      return;
    }
    const buffer = this.buffer;
    let at = this.used;
    for (let i = start; i < end; i++) buffer[at++] = src[i];
    this.used = at;
  }

  /**
   * Appends UTF-8 text escaped for COPY, straight from the bytes MySQL sent. Returns false, having
   * written nothing, when the value must take the careful path that reports what it changes: a NUL byte,
   * bytes that are not UTF-8, or in JSON a `\u0000` escape.
   */
  escaped(src: Buffer, start: number, end: number, json: boolean): boolean {
    this.reserve(2 * (end - start));
    const buffer = this.buffer;
    let at = this.used;
    let high = false;
    for (let i = start; i < end; i++) {
      const byte = src[i];
      const kind = BYTE_CLASS[byte];
      if (kind === 0) {
        buffer[at++] = byte;
      } else if (kind === HIGH_BYTE) {
        high = true;
        buffer[at++] = byte;
      } else if (kind === NUL_BYTE) {
        return false;
      } else {
        buffer[at++] = BACKSLASH;
        buffer[at++] = kind;
        if (json && byte === BACKSLASH) {
          if (isJsonNulEscape(src, i, end)) return false;
          // A JSON escape is a pair: an escaped backslash must not start another one.
          if (src[i + 1] === BACKSLASH) {
            buffer[at++] = BACKSLASH;
            buffer[at++] = BACKSLASH;
            i++;
          }
        }
      }
    }
    if (high && !isUtf8(src.subarray(start, end))) return false;
    this.used = at;
    return true;
  }

  /** Appends bytes as a bytea literal in hex, escaped for COPY. */
  hex(src: Buffer, start: number, end: number): void {
    this.text('\\\\x');
    this.reserve(2 * (end - start));
    this.used += this.buffer.write(src.toString('hex', start, end), this.used, 'latin1');
  }

  /** Appends a safe integer in decimal, without making a string of it. */
  integer(value: number): void {
    this.reserve(17);
    const buffer = this.buffer;
    let at = this.used;
    let rest = value;
    if (rest < 0) {
      buffer[at++] = MINUS;
      rest = -rest;
    }
    let digits = 1;
    for (let t = rest; t >= 10; t = Math.floor(t / 10)) digits++;
    // Exact below 2^53: the quotient's rounding error stays under its distance to the next integer.
    for (let i = at + digits - 1; i >= at; i--) {
      buffer[i] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.used = at + digits;
  }

  /** Separates two values of a line. */
  tab(): void {
    this.reserve(1);
    this.buffer[this.used++] = TAB;
  }

  /** Ends the line; true when the buffer is full enough to be taken. */
  endLine(): boolean {
    this.reserve(1);
    this.buffer[this.used++] = NEWLINE;
    return this.used >= this.flushBytes;
  }

  /** The bytes written so far. They belong to the caller until it gives them back with `recycle`. */
  take(): Buffer {
    const full = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.alloc(0);
    this.used = 0;
    return full;
  }

  /** Gives back bytes from `take` once nothing reads them any more, to be filled again. */
  recycle(taken: Buffer): void {
    if (spares.length >= MAX_SPARES || taken.byteOffset !== 0 || taken.buffer.byteLength !== this.flushBytes + SLACK_BYTES) return;
    spares.push(Buffer.from(taken.buffer as ArrayBuffer, 0, taken.buffer.byteLength));
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const spare = this.used === 0 ? spares.findIndex((b) => b.length === this.flushBytes + SLACK_BYTES && bytes <= b.length) : -1;
    if (spare >= 0) {
      this.buffer = spares.splice(spare, 1)[0];
      return;
    }
    const bigger = Buffer.allocUnsafe(Math.max(this.used + bytes, this.flushBytes + SLACK_BYTES, this.buffer.length * 2));
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
