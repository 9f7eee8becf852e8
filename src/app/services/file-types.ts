// What the first bytes of a file say it is, for the types uploads accept. A declared type whose
// bytes disagree (an HTML page sent as image/png) is refused rather than stored and served as such.
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  // Text has no signature: it must be UTF-8 without NUL bytes.
  'text/plain': (b) => {
    if (b.includes(0)) return false;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  },
};

/** True when `body` looks like `type`; false for a type with no known signature. */
export function contentMatchesType(body: Buffer, type: string): boolean {
  const check = SIGNATURES[type];
  return check !== undefined && body.length > 0 && check(body);
}

export function isImageType(type: string): boolean {
  return type.startsWith('image/');
}
