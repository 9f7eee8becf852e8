// Walks the uploads tree: regular files only, never out of the root, every skipped entry reported.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export interface LocalFile {
  /** Absolute path to read from (a symlink inside the root resolved to its target). */
  absolute: string;
  /** Path under the uploads root with "/" separators, as found on disk (not normalised). */
  relative: string;
  size: number;
  /** Nanoseconds since the epoch, as a decimal string: change detection needs more than a float's ms. */
  mtimeNs: string;
}

export interface SkippedEntry {
  relative: string;
  why: string;
  /** Could not be read: its files did not arrive (as opposed to entries skipped by rule, like links out of the root). */
  unreadable: boolean;
}

export interface ScanResult {
  files: LocalFile[];
  skipped: SkippedEntry[];
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOENT' ? 'vanished while scanning' : (e.code ?? e.message);
}

/** Entries looked at between two turns of the event loop (requests in flight keep being answered). */
const ENTRIES_PER_TURN = 1000;

/**
 * Lists the files under `root`, depth first, in a stable order. Symlinks to files inside the root are
 * followed (the app served them); symlinks out of the root and symlinked folders are not (a loop or an
 * escape), and are reported. Devices, sockets and FIFOs are reported too.
 * The calls are synchronous: an lstat answered from the inode cache takes microseconds, a thread-pool
 * round trip about 70 us of CPU, which on a re-run with nothing to send is most of the scan.
 */
export async function scanUploads(root: string): Promise<ScanResult> {
  const realRoot = await realpath(root);
  const result: ScanResult = { files: [], skipped: [] };
  let sinceTurn = 0;
  const walk = async (dir: string, relDir: string): Promise<void> => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      result.skipped.push({ relative: relDir || '.', why: `folder not readable: ${describe(error)}`, unreadable: true });
      return;
    }
    names.sort();
    for (const name of names) {
      if (++sinceTurn >= ENTRIES_PER_TURN) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const absolute = path.join(dir, name);
      const relative = relDir ? `${relDir}/${name}` : name;
      try {
        const info = lstatSync(absolute, { bigint: true });
        if (info.isDirectory()) {
          await walk(absolute, relative);
        } else if (info.isFile()) {
          result.files.push({ absolute, relative, size: Number(info.size), mtimeNs: info.mtimeNs.toString() });
        } else if (info.isSymbolicLink()) {
          followLink(absolute, relative);
        } else {
          result.skipped.push({ relative, why: 'not a regular file (device, socket or FIFO)', unreadable: false });
        }
      } catch (error) {
        result.skipped.push({ relative, why: describe(error), unreadable: true });
      }
    }
  };
  const followLink = (absolute: string, relative: string) => {
    let target: string;
    try {
      target = realpathSync(absolute);
    } catch {
      result.skipped.push({ relative, why: 'symlink to nothing (broken link)', unreadable: false });
      return;
    }
    if (!isInside(realRoot, target)) {
      result.skipped.push({ relative, why: 'symlink pointing outside the uploads root; not followed', unreadable: false });
      return;
    }
    const info = statSync(target, { bigint: true });
    if (!info.isFile()) {
      result.skipped.push({ relative, why: 'symlink to a folder; not followed (it could loop)', unreadable: false });
      return;
    }
    result.files.push({ absolute: target, relative, size: Number(info.size), mtimeNs: info.mtimeNs.toString() });
  };
  await walk(realRoot, '');
  return result;
}
