import assert from 'node:assert/strict';
import { test } from 'vitest';
import { translateMysqlExpression } from '../../src/migrate/db/plan/expression.js';

const ok = (sql: string) => {
  const t = translateMysqlExpression(sql);
  assert.ok(t.ok, `expected ${sql} to translate`);
  return t.sql;
};

test('translates the MySQL subset used by checks and generated columns', () => {
  assert.equal(ok('`price` >= 0'), '"price" >= 0');
  assert.equal(ok("`status` in (_utf8mb4'a',_utf8mb4'b')"), `"status" IN ('a', 'b')`);
  assert.equal(ok("concat(`first_name`,' ',`last_name`)"), `("first_name" || ' ' || "last_name")`);
  assert.equal(ok("ifnull(`a`,'it\\'s')"), `coalesce("a", 'it''s')`);
  assert.equal(ok('`a` <=> `b` && `c` != 1'), '"a" IS NOT DISTINCT FROM "b" AND "c" <> 1');
  assert.equal(ok('length(`name`) > 2'), 'octet_length("name") > 2');
});

test('refuses what it cannot translate faithfully', () => {
  for (const sql of ['`a` / `b`', "date_format(`d`, '%Y')", '`a` div 2', "`a` regexp 'x'", "'unterminated"]) {
    assert.equal(translateMysqlExpression(sql).ok, false, sql);
  }
});
