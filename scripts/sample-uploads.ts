// Real files for the sample shop's upload references, so `migrate files` has a tree to move.
// The list comes from the sample SQL itself (one source of truth); a few references are left
// without a file on purpose (dangling), one file is referenced by nobody, and one name is stored
// on disk in NFD form as macOS writes it while the database holds NFC.
import { crc32 } from 'node:zlib';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Referenced in the sample but never uploaded: `migrate files` must list them as dangling. */
export const MISSING_SAMPLE_FILES = ['journal-images/drafts/returns.jpg', 'product-images/p50-2.jpg'];
/** On disk, referenced by no row: uploaded all the same (nothing is left behind). */
export const UNREFERENCED_SAMPLE_FILES = ['product-images/old/p1-0-before-crop.jpg'];
/** Stored on disk in NFD (decomposed) form. */
export const NFD_SAMPLE_FILES = ['vendor-assets/tokyo-bunguten-ロゴ.png'];

const FOLDERS = ['product-images', 'user-avatars', 'journal-images', 'support-attachments', 'vendor-assets'];

/** Paths under the uploads root that the sample SQL refers to (whole values and inside text). */
export function referencedSamplePaths(sql: string): string[] {
  const found = new Set<string>();
  const folders = FOLDERS.join('|');
  // A quoted SQL value that is one URL: may hold spaces. Inside text: up to a quote, bracket or space.
  const patterns = [new RegExp(`'(?:https?://[^/']+)?/?uploads/((?:${folders})/[^']+)'`, 'g'), new RegExp(`[("=]/uploads/((?:${folders})/[^"'()<>\\s]+)`, 'g')];
  for (const pattern of patterns) {
    for (const match of sql.matchAll(pattern)) {
      let file = match[1]!.replace(/[?#].*$/, '');
      try {
        file = decodeURIComponent(file);
      } catch {
        // not percent-encoded: the name is literal
      }
      found.add(file);
    }
  }
  return [...found].sort();
}

const JPEG_1X1 = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const WEBP_1X1 = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** Each image carries its own name in a comment block, so no two files have the same bytes. */
function sampleContent(file: string): Buffer {
  const label = Buffer.from(`markethub sample: ${file}`, 'utf8');
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') {
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe]), u16(label.length + 2), label]);
    return Buffer.concat([JPEG_1X1.subarray(0, 2), comment, JPEG_1X1.subarray(2), Buffer.from([0xff, 0xd9])]);
  }
  if (ext === '.png') {
    const data = Buffer.concat([Buffer.from('Comment\0', 'latin1'), label]);
    const type = Buffer.from('tEXt', 'latin1');
    const chunk = Buffer.concat([u32(data.length), type, data, u32(crc32(Buffer.concat([type, data])))]);
    return Buffer.concat([PNG_1X1.subarray(0, 33), chunk, PNG_1X1.subarray(33)]);
  }
  if (ext === '.gif') {
    const comment = Buffer.concat([Buffer.from([0x21, 0xfe, Math.min(label.length, 255)]), label.subarray(0, 255), Buffer.from([0])]);
    return Buffer.concat([GIF_1X1.subarray(0, GIF_1X1.length - 1), comment, Buffer.from([0x3b])]);
  }
  if (ext === '.webp') return WEBP_1X1;
  if (ext === '.svg') return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><title>${file}</title><rect width="64" height="64" fill="#c33"/></svg>\n`);
  if (ext === '.heic') return Buffer.alloc(0); // the sample row records a zero-byte upload
  if (ext === '.csv') return Buffer.from(`when,where\n2024-05-01T22:14:00Z,Lagos\n2024-05-01T23:02:00Z,Reykjavík\n`);
  return Buffer.concat([Buffer.from(`%${ext.slice(1).toUpperCase()} sample\n`), label, Buffer.from('\n')]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Replaces `dir` with the sample uploads tree. Returns the files written (as paths under `dir`). */
export async function writeSampleUploads(sql: string, dir: string): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  const files = [...referencedSamplePaths(sql).filter((f) => !MISSING_SAMPLE_FILES.includes(f)), ...UNREFERENCED_SAMPLE_FILES];
  for (const file of files) {
    const onDisk = NFD_SAMPLE_FILES.includes(file) ? file.normalize('NFD') : file;
    const target = path.join(dir, ...onDisk.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, sampleContent(file));
  }
  return files;
}
