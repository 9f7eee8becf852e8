// Where the project's own files are, whether this code runs as TypeScript sources (tests) or as the
// compiled dist/ (the installed command). Every path into the project resolves from here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// This file is src/project-paths.ts in the sources and dist/src/project-paths.js once built.
const builtInDist = path.basename(path.dirname(here)) === 'dist';

export const PROJECT_ROOT = builtInDist ? path.resolve(here, '../..') : path.resolve(here, '..');

/** A path inside the project, e.g. fromProjectRoot('migrations', 'app'). */
export function fromProjectRoot(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}

/**
 * A script that runs in a process or worker of its own, next to the module at `moduleUrl`. Such a
 * process runs plain JavaScript, so from the sources it is the compiled twin under dist/.
 */
export function runnableScript(moduleUrl: string, fileName: string): string {
  const moduleDir = path.dirname(fileURLToPath(moduleUrl));
  if (!moduleUrl.endsWith('.ts')) return path.join(moduleDir, fileName);
  return path.join(PROJECT_ROOT, 'dist', path.relative(PROJECT_ROOT, moduleDir), fileName);
}
