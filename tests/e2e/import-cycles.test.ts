// No module imports itself through others, type imports included: each folder's door stays a door, and
// types live where both sides can reach them without reaching each other.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import madge from 'madge';
import { fromProjectRoot } from '../../src/project-paths.js';

test('src, cli, scripts and tests have no import cycles', async () => {
  const graph = await madge(['src', 'cli', 'scripts', 'tests'].map((dir) => fromProjectRoot(dir)), {
    baseDir: fromProjectRoot(),
    fileExtensions: ['ts'],
    tsConfig: fromProjectRoot('tsconfig.json'),
    // Type-only imports count too: a cycle of types is still a cycle a reader has to untangle.
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  assert.ok(Object.keys(graph.obj()).length > 200, 'the graph holds the whole project');
  assert.deepEqual(graph.circular(), []);
}, 60_000);
