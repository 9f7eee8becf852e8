// Free disk for the target: known when its data directory is on this machine and the user may read
// where it is; otherwise the report says what room the data needs.
import { statfs } from 'node:fs/promises';
import type pg from 'pg';
import type { Dsn } from '../../config/dsn.js';
import type { CheckItem } from './model.js';
import { megabytes } from './source-objects.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Postgres keeps rows with more overhead than InnoDB, and builds the indexes anew: ask for twice the room. */
const HEADROOM = 2;

export async function checkTargetDisk(client: pg.Client, target: Dsn, sourceBytes: number): Promise<CheckItem> {
  const need = `the source holds ${megabytes(sourceBytes)} with indexes`;
  const item = (status: CheckItem['status'], detail: string): CheckItem => ({ area: 'target', check: 'free disk', status, detail, commands: ['migrate db'] });
  // Hidden from users without pg_read_all_settings: then the row is simply absent.
  const { rows } = await client.query<{ dir: string }>("SELECT setting AS dir FROM pg_settings WHERE name = 'data_directory'");
  const dir = rows[0]?.dir;
  if (!LOOPBACK.has(target.host) || !dir) return item('info', `not known from here (${!dir ? 'the data directory is not visible to this user' : 'the server is on another machine'}); ${need}`);
  let free: number;
  try {
    const fs = await statfs(dir);
    free = fs.bavail * fs.bsize;
  } catch {
    return item('info', `not known from here (cannot read ${dir}); ${need}`);
  }
  const detail = `${megabytes(free)} free under ${dir}; ${need}`;
  if (free < sourceBytes) return item('blocked', `${detail}: not enough room`);
  if (free < sourceBytes * HEADROOM) return item('warn', `${detail}: less than ${HEADROOM}x, tight once indexes are built`);
  return item('ok', detail);
}
