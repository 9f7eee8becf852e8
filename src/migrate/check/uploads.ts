// The uploads folder `migrate files` reads: that it is there, and how much it holds.
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CheckItem } from './model.js';
import { megabytes } from './source-objects.js';

export async function checkUploads(dir: string): Promise<CheckItem> {
  const item = (status: CheckItem['status'], detail: string): CheckItem => ({ area: 'uploads', check: dir, status, detail, commands: ['migrate files'] });
  try {
    if (!(await stat(dir)).isDirectory()) return item('blocked', 'not a folder: --uploads names the folder holding product-images/, user-avatars/, ...');
  } catch (error) {
    return item('blocked', `not found (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let files = 0;
  let bytes = 0;
  let unreadable = 0;
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await opendir(folder);
    } catch {
      unreadable++;
      return;
    }
    for await (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        files++;
        bytes += await stat(full).then((s) => s.size, () => (unreadable++, 0));
      }
    }
  };
  await walk(dir);
  const detail = `${files} files, ${megabytes(bytes)}`;
  return unreadable ? item('warn', `${detail}; ${unreadable} file(s) or folder(s) unreadable: migrate files reports them`) : item('ok', detail);
}
