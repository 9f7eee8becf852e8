// .env.example lists every environment variable the README and the docs/ pages name, so a newcomer
// finds them in one place.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { fromProjectRoot } from '../../src/project-paths.js';

// Upper-case names in the guides that are not environment variables: SQL and code constants, report statuses.
const NOT_VARIABLES = new Set([
  'AUTO_INCREMENT', 'CURRENT_TIMESTAMP', 'FOREIGN_KEY_CHECKS', 'GROUP_CONCAT', 'CRON_SCHEDULES', 'WARN', 'BLOCKED',
  'CONCAT', 'CONCAT_WS', 'INSERT', 'LEAST', 'MESSAGE_TEXT', 'MYSQL_ERRNO', 'NEW', 'DATE_FORMAT', 'STR_TO_DATE', 'LAST_DAY',
  'UNIX_TIMESTAMP', 'ROW_COUNT', 'HOUR_MINUTE', 'HAVING',
]);

function namedInGuides(): string[] {
  const pages = ['README.md', ...readdirSync(fromProjectRoot('docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const readme = pages.map((page) => readFileSync(fromProjectRoot(page), 'utf8')).join('\n');
  const names = new Set<string>();
  // In code spans and shell lines: `DATABASE_URL`, $CRON_SECRET, PORT in `PORT` (3000), JWT_SECRET=...
  for (const [, name] of readme.matchAll(/(?:`|\$|^|\s)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?=`|=|\b)/gm)) names.add(name!);
  for (const [, name] of readme.matchAll(/`([A-Z]{2,})`\s*\(/g)) names.add(name!);
  return [...names].filter((n) => !NOT_VARIABLES.has(n)).sort();
}

function listedInExample(): Set<string> {
  const example = readFileSync(fromProjectRoot('.env.example'), 'utf8');
  return new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

test('.env.example lists every variable the README and docs/ name', () => {
  const listed = listedInExample();
  const named = namedInGuides();
  assert.ok(named.length >= 20, `the guides name variables: ${named.join(', ')}`);
  assert.deepEqual(named.filter((n) => !listed.has(n)), [], 'named in the guides but missing from .env.example');
});

test('.env.example holds no secret: every value is empty or a placeholder', () => {
  const example = readFileSync(fromProjectRoot('.env.example'), 'utf8');
  for (const [, name, value] of example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)) {
    if (/SECRET|PASSWORD|TOKEN|KEY/.test(name!)) assert.equal(value, '', `${name} is left empty`);
    assert.doesNotMatch(value!, /:\/\/[^:@/]+:(?!password@)[^@]+@/, `${name}: no real password in a URL`);
  }
});
