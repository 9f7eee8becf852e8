// Tests run the TypeScript sources; what they spawn (the markethub command, the legacy server, the
// S3 server, hash workers) runs as plain JavaScript, so the project is compiled once before them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fromProjectRoot, PROJECT_ROOT } from '../src/project-paths.js';

export default function buildWhatTestsSpawn(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', fromProjectRoot('dist', '.tsbuildinfo')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the build before the tests failed:\n${build.stdout}${build.stderr}`);
}
