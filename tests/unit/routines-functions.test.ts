// Function and procedure translation without a database: the real MySQL and Postgres parsers, planRoutines alone.
import assert from 'node:assert/strict';
import { beforeAll, test } from 'vitest';
import type { SourceObject } from '../../src/migrate/db/catalog.js';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import { loadRoutineParsers, planRoutines, type RoutineParsers, type RoutineSource } from '../../src/migrate/db/routines/index.js';
import { catalog, column, table } from '../helpers/catalog.js';

let parsers: RoutineParsers;
beforeAll(async () => {
  parsers = await loadRoutineParsers();
});

const TABLES = [
  { sourceName: 'items', name: 'items', columns: [{ name: 'id', pgType: 'bigint' }, { name: 'qty', pgType: 'integer' }, { name: 'status', pgType: 'varchar(20)' }], identity: 'id' },
  { sourceName: 'reviews', name: 'reviews', columns: [{ name: 'product_id', pgType: 'bigint' }, { name: 'rating', pgType: 'smallint' }], identity: null },
  { sourceName: 'support_tickets', name: 'support_tickets', columns: [{ name: 'status', pgType: 'varchar(20)' }, { name: 'closed_at', pgType: 'timestamptz(0)' }, { name: 'updated_at', pgType: 'timestamptz(0)' }], identity: null },
];

function plan(...routines: [string, 'function' | 'procedure', string][]) {
  return planRoutines({ schema: 'shop', database: 'legacy', tables: TABLES, routines: routines.map(([name, kind, sql]): RoutineSource => ({ name, kind, sql })) }, parsers);
}

const why = (p: ReturnType<typeof plan>, name: string) => p.refused.find((r) => r.source.name === name)?.why ?? '';

test("the sample's function and procedure: RETURN rounds to the declared DECIMAL, ROW_COUNT() is read right after the UPDATE", () => {
  const p = plan(
    ['product_rating', 'function', 'CREATE DEFINER=`root`@`localhost` FUNCTION `product_rating`(p_product_id INT UNSIGNED) RETURNS decimal(3,2)\n    READS SQL DATA\nRETURN (SELECT ROUND(AVG(`rating`), 2) FROM `reviews` WHERE `product_id` = p_product_id)'],
    ['close_stale_tickets', 'procedure', "CREATE DEFINER=`root`@`localhost` PROCEDURE `close_stale_tickets`(IN p_days INT UNSIGNED, OUT p_closed INT)\n    MODIFIES SQL DATA\n    COMMENT 'x'\nBEGIN\n  UPDATE `support_tickets` SET `status` = 'closed', `closed_at` = NOW() WHERE `status` = 'resolved' AND `updated_at` < NOW() - INTERVAL p_days DAY;\n  SET p_closed = ROW_COUNT();\nEND"],
  );
  assert.deepEqual(p.refused, []);
  const [rating, close] = p.planned;
  assert.equal(rating.kind, 'function');
  assert.equal(rating.argumentTypes, 'bigint');
  assert.match(rating.sql[0], /^CREATE FUNCTION "shop"\."product_rating"\("p_product_id" bigint\) RETURNS numeric\(3,2\) LANGUAGE plpgsql STABLE AS/);
  assert.match(rating.sql[0], /RETURN \(\(SELECT round\(\(avg\("rating"\)\)::numeric, 2\) FROM "shop"\."reviews" WHERE \("product_id" = "p_product_id"\)\)\)::numeric\(3,2\);/);
  assert.equal(close.kind, 'procedure');
  assert.equal(close.argumentTypes, 'bigint, OUT integer');
  assert.match(close.sql[0], /^CREATE PROCEDURE "shop"\."close_stale_tickets"\("p_days" bigint, OUT "p_closed" integer\) LANGUAGE plpgsql AS/);
  assert.match(close.sql[0], /;\n {2}GET DIAGNOSTICS mh_row_count = ROW_COUNT;\n {2}"p_closed" := mh_row_count;/);
  assert.ok(close.changes.some((c) => c.includes('CALL close_stale_tickets(p_days, NULL)')));
});

test('cursor loops fetch through variables of their own and run the NOT FOUND handler when no row is left', () => {
  const p = plan(['total', 'function', `CREATE FUNCTION total() RETURNS INT READS SQL DATA BEGIN
    DECLARE done INT DEFAULT 0; DECLARE q INT; DECLARE s INT DEFAULT 0;
    DECLARE c CURSOR FOR SELECT qty FROM items;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
    OPEN c;
    l: LOOP FETCH c INTO q; IF done THEN LEAVE l; END IF; SET s = s + q; END LOOP l;
    CLOSE c;
    RETURN s;
  END`]);
  const sql = p.planned[0].sql[0];
  assert.match(sql, /"c" CURSOR FOR SELECT "qty" FROM "shop"\."items";/);
  assert.match(sql, /mh_fetch_1 integer;/);
  assert.match(sql, /"c" := NULL;\n\s*OPEN "c";/);
  assert.match(sql, /FETCH "c" INTO mh_fetch_1;\n\s*IF FOUND THEN\n\s*"q" := mh_fetch_1;\n\s*ELSE\n\s*"done" := 1;\n\s*END IF;/);
  assert.match(sql, /<<"l">>\n\s*LOOP/);
  assert.match(sql, /EXIT "l";/);
});

test('WHILE, REPEAT (a LOOP ending in EXIT WHEN), CASE with MySQL\'s error when no branch is taken', () => {
  const p = plan(['loops', 'function', `CREATE FUNCTION loops(n INT) RETURNS INT DETERMINISTIC BEGIN
    DECLARE i INT DEFAULT 0;
    WHILE i < n DO SET i = i + 1; END WHILE;
    REPEAT SET i = i - 1; UNTIL i <= 0 END REPEAT;
    CASE n WHEN 1 THEN SET i = 10; END CASE;
    RETURN i;
  END`]);
  const sql = p.planned[0].sql[0];
  assert.match(sql, /WHILE \("i" < "n"\) LOOP/);
  assert.match(sql, /EXIT WHEN \("i" <= 0\);\n\s*END LOOP;/);
  assert.match(sql, /CASE "n"\n\s*WHEN 1 THEN\n\s*"i" := 10;\n\s*ELSE\n\s*RAISE EXCEPTION USING ERRCODE = '20000', MESSAGE = 'Case not found for CASE statement';/);
  assert.match(sql, /LANGUAGE plpgsql IMMUTABLE/);
});

test('what cannot be translated is refused with the construct named; a routine calling a refused one is refused too', () => {
  const p = plan(
    ['iter', 'procedure', 'CREATE PROCEDURE iter() BEGIN DECLARE i INT DEFAULT 0; r: REPEAT SET i = i + 1; IF i < 3 THEN ITERATE r; END IF; UNTIL i > 5 END REPEAT r; END'],
    ['rc', 'procedure', 'CREATE PROCEDURE rc(OUT n INT) BEGIN SET n = 1; SET n = ROW_COUNT(); END'],
    ['unknown_call', 'procedure', 'CREATE PROCEDURE unknown_call() CALL elsewhere(1)'],
    ['writes_in_handler_block', 'procedure', "CREATE PROCEDURE writes_in_handler_block() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN END; UPDATE items SET qty = 0; END"],
    ['rows_in_loop', 'procedure', 'CREATE PROCEDURE rows_in_loop() BEGIN DECLARE i INT DEFAULT 0; WHILE i < 2 DO SELECT qty FROM items; SET i = i + 1; END WHILE; END'],
    ['caller', 'procedure', 'CREATE PROCEDURE caller() CALL iter()'],
  );
  assert.deepEqual(p.planned, []);
  assert.match(why(p, 'iter'), /^ITERATE of a REPEAT loop \(ITERATE r\) is not translated/);
  assert.match(why(p, 'rc'), /^ROW_COUNT\(\) not right after an INSERT, UPDATE or DELETE \(ROW_COUNT\(\)\)/);
  assert.match(why(p, 'unknown_call'), /^CALL of a procedure that is not part of this migration \(CALL elsewhere\(1\)\)/);
  assert.match(why(p, 'writes_in_handler_block'), /^DECLARE EXIT HANDLER FOR SQLEXCEPTION in a block that writes/);
  assert.match(why(p, 'rows_in_loop'), /^a result set sent from inside a loop \(SELECT qty FROM items\)/);
  assert.equal(why(p, 'caller'), 'it calls iter, which is not migrated');
});

test('an EVENT body wrapped as a procedure without parameters translates as one', () => {
  const body = "UPDATE `items` SET `status` = 'archived' WHERE `qty` = 0";
  const p = plan(['coupons_expire', 'procedure', `CREATE PROCEDURE \`coupons_expire\`() BEGIN ${body}; END`]);
  assert.equal(p.planned[0].argumentTypes, '');
  assert.match(p.planned[0].sql[0], /CREATE PROCEDURE "shop"\."coupons_expire"\(\) LANGUAGE plpgsql AS \$mh\$[\s\S]*UPDATE "shop"\."items" SET "status" = 'archived' WHERE \("qty" = 0\);/);
});

test('in the plan: a routines step each, after the constraints and before the views; --routines skip leaves them to port by hand', () => {
  const items = table('items', [column('id', 'int(10) unsigned', { nullable: false }), column('qty', 'int(11)')], { primaryKey: ['id'] });
  const objects: SourceObject[] = [
    { kind: 'function', name: 'twice', sql: 'CREATE DEFINER=`root`@`localhost` FUNCTION `twice`(x INT) RETURNS int(11)\n    DETERMINISTIC\nRETURN x * 2' },
    { kind: 'procedure', name: 'zero', sql: 'CREATE DEFINER=`root`@`localhost` PROCEDURE `zero`()\nUPDATE items SET qty = 0' },
  ];
  const source = catalog([items], { otherObjects: objects, views: [{ kind: 'view', name: 'v', sql: 'select 1 AS `one`' }] });
  const plan = planMigration(source, { schema: 'shop', routineParsers: parsers });
  const keys = plan.steps.map((s) => s.key);
  assert.ok(keys.indexOf('routine:twice') > keys.indexOf('primary-key:items'));
  assert.ok(keys.indexOf('routine:zero') < keys.indexOf('view:v'));
  const step = plan.steps.find((s) => s.key === 'routine:twice')!;
  assert.equal(step.phase, 'routines');
  assert.deepEqual(step.creates, [{ kind: 'function', name: 'twice' }]);
  assert.ok(plan.notes.some((n) => n.kind === 'routine' && n.what === 'procedure zero -> PL/pgSQL procedure zero()'));
  assert.ok(!plan.notes.some((n) => n.kind === 'not-migrated' && /twice|zero/.test(n.what)));
  const skipped = planMigration(source, { schema: 'shop', routineParsers: parsers, routines: 'skip' });
  assert.ok(!skipped.steps.some((s) => s.phase === 'routines'));
  assert.equal(skipped.notes.filter((n) => n.kind === 'not-migrated' && /^(function|procedure) /.test(n.what)).length, 2);
});
