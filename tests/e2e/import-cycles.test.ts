// No module imports itself through others, type imports included: each folder's door stays a door, and
// types live where both sides can reach them without reaching each other.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import madge from 'madge';
import { fromProjectRoot } from '../../src/project-paths.js';

async function importGraph() {
  return madge(['src', 'cli', 'scripts', 'tests'].map((dir) => fromProjectRoot(dir)), {
    baseDir: fromProjectRoot(),
    fileExtensions: ['ts'],
    tsConfig: fromProjectRoot('tsconfig.json'),
    // Type-only imports count too: a cycle of types is still a cycle a reader has to untangle.
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
}

test('src, cli, scripts and tests have no import cycles', async () => {
  const graph = await importGraph();
  assert.ok(Object.keys(graph.obj()).length > 200, 'the graph holds the whole project');
  assert.deepEqual(graph.circular(), []);
}, 60_000);

test('outside migrate/db, code reaches it only through its door (tests may open any room)', async () => {
  const graph = (await importGraph()).obj();
  const inside = (file: string) => file.startsWith('src/migrate/db/');
  const trespasses = Object.entries(graph).flatMap(([from, imports]) =>
    inside(from) || from.startsWith('tests/') ? [] : imports.filter((to) => inside(to) && to !== 'src/migrate/db/index.ts').map((to) => `${from} -> ${to}`),
  );
  assert.deepEqual(trespasses, []);
}, 60_000);

test('nothing the project ships or benchmarks with imports from tests/', async () => {
  const graph = (await importGraph()).obj();
  const reaching = Object.entries(graph).flatMap(([from, imports]) => (from.startsWith('tests/') ? [] : imports.filter((to) => to.startsWith('tests/')).map((to) => `${from} -> ${to}`)));
  assert.deepEqual(reaching, []);
}, 60_000);
