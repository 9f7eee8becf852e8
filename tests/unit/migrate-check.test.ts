// The pure parts of `migrate check`: grant patterns, the verdict per command, extension types in a plan.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { planMigration } from '../../src/migrate/db/index.js';
import { extensionsOfPlan } from '../../src/migrate/check/extensions.js';
import { blockedCommands, type CheckItem } from '../../src/migrate/check/model.js';
import { grantCovers, holds, parseShowGrants } from '../../src/migrate/check/mysql-grants.js';
import { catalog, column, table } from '../helpers/catalog.js';

test('a grant on a database pattern covers the names it matches, with _ and % as wildcards unless escaped', () => {
  assert.equal(grantCovers('shop', 'shop'), true);
  assert.equal(grantCovers('shop', 'shop2'), false);
  assert.equal(grantCovers('shop%', 'shop_eu'), true);
  assert.equal(grantCovers('sh_p', 'ship'), true);
  assert.equal(grantCovers('sh\\_p', 'ship'), false);
  assert.equal(grantCovers('sh\\_p', 'sh_p'), true);
  assert.equal(grantCovers('a.b', 'axb'), false, 'a dot is a dot');
});

test('SHOW GRANTS lines: global, database and table grants count; column grants, routines and role grants do not', () => {
  const grants = parseShowGrants([
    "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*0DB55B5CA3F29C6BCD42E6CF2D2BA346859991AB'",
    'GRANT `reader` TO `app`@`%`',
    'GRANT SELECT, TRIGGER ON `shop\\_eu`.* TO `reader`',
    'GRANT INSERT ON `shop_eu`.`orders` TO `app`@`%`',
    'GRANT UPDATE (`status`, `note`), DELETE ON `shop_eu`.`carts` TO `app`@`%`',
    'GRANT EXECUTE ON PROCEDURE `shop_eu`.`close` TO `app`@`%`',
    'GRANT ALL PRIVILEGES ON `scratch`.* TO `app`@`%`',
  ]);
  assert.deepEqual([...grants.global], ['USAGE']);
  assert.deepEqual(grants.schemas, [['shop\\_eu', 'SELECT'], ['shop\\_eu', 'TRIGGER'], ['scratch', 'ALL PRIVILEGES']]);
  assert.deepEqual(grants.tables, [['shop_eu', 'orders', 'INSERT'], ['shop_eu', 'carts', 'DELETE']]);
  const held = { user: 'app@%', ...grants };
  assert.equal(holds(held, 'TRIGGER', 'shop_eu'), true);
  assert.equal(holds(held, 'TRIGGER', 'shopXeu'), false, 'an escaped _ is no wildcard');
  assert.equal(holds(held, 'INSERT', 'shop_eu', ['orders']), true);
  assert.equal(holds(held, 'INSERT', 'shop_eu', ['orders', 'carts']), false, 'every table must have it');
  assert.equal(holds(held, 'UPDATE', 'shop_eu', ['carts']), false, 'a column grant is not the table');
  assert.equal(holds(held, 'CREATE', 'scratch'), true);
  assert.equal(holds(held, 'GRANT OPTION', 'scratch'), false);
});

test('each blocked check stops the commands it names; the way back needs what the way there needs', () => {
  const item = (check: string, status: CheckItem['status'], commands: CheckItem['commands']): CheckItem => ({ area: 'source', check, status, detail: '', commands });
  const blocked = blockedCommands([
    item('SELECT on shop', 'ok', ['migrate db']),
    item('TRIGGER on shop', 'blocked', ['migrate sync']),
    item('UPDATE on shop', 'blocked', ['migrate sync --reverse']),
    item('SHOW VIEW on shop', 'warn', ['migrate db']),
  ]);
  assert.deepEqual(blocked, [
    { command: 'migrate sync', checks: ['source: TRIGGER on shop'] },
    { command: 'migrate sync --reverse', checks: ['source: TRIGGER on shop', 'source: UPDATE on shop'] },
  ]);
  assert.deepEqual(blockedCommands([item('SELECT on shop', 'ok', ['migrate db'])]), []);
});

test('a type map to citext or PostGIS types asks for those extensions; the default plan asks for none', () => {
  const source = catalog([table('users', [column('id', 'int'), column('email', 'varchar(255)'), column('home', 'point')])]);
  assert.deepEqual([...extensionsOfPlan(planMigration(source, { schema: 'public' })).keys()], []);
  const mapped = planMigration(source, { schema: 'public', typeMap: { columns: { 'users.email': 'citext', 'users.home': 'geometry(Point, 4326)' } } });
  assert.deepEqual(Object.fromEntries(extensionsOfPlan(mapped)), { citext: ['users.email'], postgis: ['users.home'] });
});
