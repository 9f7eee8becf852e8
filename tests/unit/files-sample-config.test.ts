// The sample configs of migrate files parse, and the five-bucket one gives each upload folder its own bucket.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { loadFilesMapping } from '../../src/migrate/files/config-file.js';
import { fromProjectRoot } from '../../src/project-paths.js';

test('the five-bucket example maps every default folder to a bucket of its own, URL columns left to discovery', () => {
  const mapping = loadFilesMapping(fromProjectRoot('scripts', 'sample', 'markethub-files-five-buckets.json'));
  assert.deepEqual(Object.keys(mapping.folders).sort(), ['journal-images', 'product-images', 'support-attachments', 'user-avatars', 'vendor-assets']);
  assert.equal(new Set(Object.values(mapping.folders).map((d) => d.bucket)).size, 5);
  assert.equal(mapping.folders['product-images']!.prefix, 'products/');
  assert.equal(mapping.urlColumns, undefined);
});

test('a config without urlColumns leaves them to discovery', () => {
  assert.equal(loadFilesMapping(fromProjectRoot('scripts', 'sample', 'markethub-files.json')).urlColumns, undefined);
});
