import assert from 'node:assert/strict';
import { test } from 'vitest';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import { chooseMechanism, classifyCollation, type TargetSupport } from '../../src/migrate/db/semantics/index.js';
import { catalog, column, table } from '../helpers/catalog.js';

const pg15: TargetSupport = { version: 150020, citextSchema: null, citextCreatable: true, icu: true };

test('collation names classify into case, accent and pad rules', () => {
  const rule = (name: string) => {
    const r = classifyCollation(name);
    return [r.caseInsensitive, r.accentInsensitive, r.padSpace];
  };
  assert.deepEqual(rule('utf8mb4_general_ci'), [true, true, true]);
  assert.deepEqual(rule('utf8mb4_unicode_ci'), [true, true, true]);
  assert.deepEqual(rule('utf8mb4_unicode_520_ci'), [true, true, true]);
  assert.deepEqual(rule('latin1_swedish_ci'), [true, true, true]);
  assert.deepEqual(rule('utf8mb4_0900_ai_ci'), [true, true, false]);
  assert.deepEqual(rule('utf8mb4_0900_as_ci'), [true, false, false]);
  assert.deepEqual(rule('utf8mb4_0900_as_cs'), [false, false, false]);
  assert.deepEqual(rule('utf8mb4_bin'), [false, false, true]);
  assert.deepEqual(rule('utf8mb4_0900_bin'), [false, false, false]);
  assert.deepEqual(rule('latin1_general_cs'), [false, false, true]);
  assert.deepEqual(rule('utf8mb4_general_nopad_ci'), [true, true, false]);
  assert.deepEqual(rule('utf8mb4_uca1400_as_ci'), [true, false, true]);
  assert.deepEqual(rule('binary'), [false, false, false]);
});

test('the mechanism follows what the target offers', () => {
  const ci = classifyCollation('utf8mb4_general_ci');
  assert.equal(chooseMechanism(classifyCollation('utf8mb4_bin'), pg15, 's').kind, 'exact');
  assert.deepEqual(chooseMechanism(ci, pg15, 's'), { kind: 'citext', type: 'citext', schema: 'public' });
  assert.deepEqual(chooseMechanism(ci, { ...pg15, citextSchema: 'ext' }, 's'), { kind: 'citext', type: '"ext".citext', schema: 'ext' });
  // Postgres 18 runs LIKE on non-deterministic collations: ICU, which folds accents as MySQL does.
  assert.deepEqual(chooseMechanism(ci, { ...pg15, version: 180001 }, 's'), { kind: 'icu', collation: '"s"."mysql_ci_ai"', schema: 's', name: 'mysql_ci_ai', locale: 'und-u-ks-level1', likeWorks: true });
  const noCitext = chooseMechanism(classifyCollation('utf8mb4_0900_as_ci'), { ...pg15, citextCreatable: false }, 's');
  assert.equal(noCitext.kind === 'icu' && noCitext.locale, 'und-u-ks-level2');
  assert.equal(chooseMechanism(ci, { ...pg15, citextCreatable: false, icu: false }, 's').kind, 'exact');
  // Not read (a dry run without a reachable target): citext is assumed.
  assert.equal(chooseMechanism(ci, null, 's').kind, 'citext');
});

const users = () => table('users', [
  column('id', 'int(11)'),
  column('email', 'varchar(190)', { collation: 'utf8mb4_general_ci' }),
  column('code', 'varchar(20)', { collation: 'utf8mb4_bin' }),
  column('status', "enum('new','paid')", { collation: 'utf8mb4_general_ci', members: ['new', 'paid'] }),
  column('bio', 'text', { collation: 'utf8mb4_unicode_ci', profile: { text: { nonAscii: 2, trailingSpaces: 1, collisions: [['resume', 'résumé']] } } }),
], {
  primaryKey: ['id'],
  indexes: [
    { name: 'email', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'email', subPart: null, descending: false }] },
    { name: 'code_prefix', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'email', subPart: 10, descending: false }] },
  ],
});

test('case-insensitive columns become citext with their length and members kept; _bin stays exact', () => {
  const plan = planMigration(catalog([users()]), { schema: 'shop', targetSupport: pg15 });
  const types = Object.fromEntries(plan.tables[0].columns.map((c) => [c.name, [c.pgType, c.domainCheck ?? null]]));
  assert.deepEqual(types, {
    id: ['integer', null],
    email: ['citext', 'char_length("email") <= 190'],
    code: ['varchar(20)', null],
    status: ['citext', `("status"::text COLLATE "C") IN ('new', 'paid')`],
    bio: ['citext', null],
  });
  assert.ok(plan.steps[0].sql.includes('CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA "public"'));
  // left() returns text: the unique prefix stays case-insensitive only as citext.
  assert.ok(plan.steps.some((s) => s.sql.some((sql) => sql.includes('(left("email", 10))::citext'))));
  const mechanism = plan.notes.find((n) => n.kind === 'collation' && !n.column)!;
  assert.match(mechanism.what, /-> citext \(3 columns\)/);
  assert.match(mechanism.why, /Postgres 15: citext available/);
});

test('what citext does not keep is noted with the data evidence', () => {
  const plan = planMigration(catalog([users()]), { schema: 'shop', targetSupport: pg15 });
  const notes = plan.notes.filter((n) => n.kind === 'collation' && n.column).map((n) => `${n.column}: ${n.what}`);
  assert.ok(notes.includes("bio: values one to MySQL, distinct in Postgres: 'resume' = 'résumé'"), notes.join('\n'));
  assert.ok(notes.includes("email: UNIQUE email is weaker: Postgres will accept 'résumé' beside 'resume' and 'a ' beside 'a', which MySQL refuses"), notes.join('\n'));
  assert.ok(notes.includes("bio: 1 values end in spaces: 'x ' = 'x' no longer holds"));
  // bio is text: bodies are not what lists sort by, so no sort note for it.
  assert.ok(!notes.some((n) => n.startsWith('bio: ORDER BY')));
  // No evidence was read for email (profile empty): said so, not silently assumed clean.
  assert.ok(notes.some((n) => n.startsWith('email: not checked in the data')));
});

test('--collations exact and --type-map keep today\'s types', () => {
  const exact = planMigration(catalog([users()]), { schema: 'shop', targetSupport: pg15, collations: 'exact' });
  assert.deepEqual(exact.tables[0].columns.map((c) => c.pgType), ['integer', 'varchar(190)', 'varchar(20)', 'text', 'text']);
  assert.ok(!exact.notes.some((n) => n.kind === 'collation'));
  assert.ok(!exact.steps[0].sql.some((s) => s.includes('citext')));
  const mapped = planMigration(catalog([users()]), { schema: 'shop', targetSupport: pg15, typeMap: { columns: { 'users.email': 'varchar(255)' } } });
  assert.equal(mapped.tables[0].columns[1].pgType, 'varchar(255)');
  assert.equal(mapped.tables[0].columns[3].pgType, 'citext');
});

test('a foreign key to a citext column becomes citext too', () => {
  const orders = table('orders', [column('id', 'int(11)'), column('email', 'varchar(190)', { collation: 'utf8mb4_bin' })], {
    foreignKeys: [{ name: 'fk_email', columns: ['email'], referencedTable: 'users', referencedColumns: ['email'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
  });
  const plan = planMigration(catalog([users(), orders]), { schema: 'shop', targetSupport: pg15 });
  assert.equal(plan.tables[1].columns[1].pgType, 'citext');
});

test('on Postgres 18 an ICU collation is declared in the schema and used per column', () => {
  const plan = planMigration(catalog([users()]), { schema: 'shop', targetSupport: { ...pg15, version: 180000 } });
  assert.equal(plan.tables[0].columns[1].pgType, 'varchar(190) COLLATE "shop"."mysql_ci_ai"');
  assert.ok(plan.steps[0].sql.includes(`CREATE COLLATION IF NOT EXISTS "shop"."mysql_ci_ai" (provider = icu, locale = 'und-u-ks-level1', deterministic = false)`));
});

test('values in notes show control characters escaped (a NUL cannot be stored in the run record)', () => {
  const words = table('words', [column('w', 'varchar(10)', { collation: 'utf8mb4_unicode_ci', profile: { text: { nonAscii: 0, trailingSpaces: 0, collisions: [['a\u0000b', 'ab']] } } })]);
  const plan = planMigration(catalog([words]), { schema: 'shop', targetSupport: pg15 });
  assert.ok(plan.notes.some((n) => n.what === "values one to MySQL, distinct in Postgres: 'a\\x00b' = 'ab'"), JSON.stringify(plan.notes));
});

test('a char(n) column that becomes citext drops the "kept" note and keeps its length', () => {
  const codes = table('codes', [column('code', 'char(20)', { collation: 'utf8mb4_unicode_ci' })]);
  const plan = planMigration(catalog([codes]), { schema: 'shop', targetSupport: pg15 });
  assert.deepEqual(plan.notes.filter((n) => n.column === 'code' && n.kind === 'type').map((n) => n.what), ['char(20) -> citext with CHECK char_length <= 20']);
  assert.equal(plan.tables[0].columns[0].domainCheck, 'char_length("code") <= 20');
});
