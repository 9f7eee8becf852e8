// Merging row streams and normalising values compared outside the databases.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { differingColumns, mergeByHash, mergeByKey } from '../../src/migrate/verify/merge.js';
import { canonicalJson, canonicalSource, canonicalTarget } from '../../src/migrate/verify/normalise.js';
import type { ColumnRender } from '../../src/migrate/verify/column-comparison.js';
import type { TextRow } from '../../src/migrate/verify/rows.js';

async function* rows(list: TextRow[]): AsyncGenerator<TextRow> {
  yield* list;
}

test('merging by key pairs rows, and reports rows on one side only, including repeated target keys', async () => {
  const seen: string[] = [];
  await mergeByKey(rows([['1'], ['2'], ['10'], ['11']]), rows([['-5'], ['2'], ['2'], ['9'], ['10']]), {
    both: (s) => seen.push(`both ${s[0]}`),
    onlySource: (s) => seen.push(`source ${s[0]}`),
    onlyTarget: (t) => seen.push(`target ${t[0]}`),
  });
  assert.deepEqual(seen, ['target -5', 'source 1', 'both 2', 'target 2', 'target 9', 'both 10', 'source 11']);
  await assert.rejects(mergeByKey(rows([['2'], ['10'], ['9']]), rows([]), { both() {}, onlySource() {}, onlyTarget() {} }), /not in key order/);
});

test('merging by hash hands over both sides of each hash once, even when the callback reads nothing', async () => {
  const groups: string[] = [];
  await mergeByHash(rows([['a', '1'], ['a', '2'], ['c', '3']]), rows([['a', '1'], ['b', '9'], ['c', '3'], ['c', '3']]), async (s, t) => {
    const ss: TextRow[] = [];
    const ts: TextRow[] = [];
    for await (const r of s) ss.push(r);
    if (ss[0]?.[0] !== 'c') for await (const r of t) ts.push(r);
    groups.push(`${ss.length}/${ts.length}`);
  });
  assert.deepEqual(groups, ['2/1', '0/1', '1/0']);
});

const render = (name: string, client: ColumnRender['client']): ColumnRender => ({ name, mysql: '', postgres: '', hash: client ? null : { mysql: '', postgres: '' }, loose: null, client, mysqlExpected: null });

test('columns differ by canonical value: floats by exact value, JSON regardless of key order, times by seconds', () => {
  const renders = [render('h', null), render('f', 'float32'), render('d', 'float64'), render('j', 'json'), render('t', 'time'), render('c', 'padded-text')];
  const source: TextRow = ['1', 'x', '3.1415927410125732', '0.1', '{"b": 1, "a": [1.50, "é"]}', '-12:30:00', 'ab'];
  assert.deepEqual(differingColumns(renders, source, ['1', 'x', '3.1415927', '0.1', '{"a": [1.5, "é"], "b": 1}', '-45000.000000', 'ab   '], 1), []);
  assert.deepEqual(differingColumns(renders, source, ['1', 'y', '3.1415925', '0.10000000000000002', '{"a": [1.5, "e"], "b": 1}', '-45000.5', 'abc'], 1), ['h', 'f', 'd', 'j', 't', 'c']);
});

test('NUL characters removed on purpose are expected changes, not differences', () => {
  assert.deepEqual(canonicalSource('text', 'a\u0000b'), { value: 'ab', changed: true });
  assert.deepEqual(canonicalSource('text', 'ab'), { value: 'ab', changed: false });
  const json = canonicalSource('json', '{"nul": "x\\u0000y"}');
  assert.equal(json.changed, true);
  assert.equal(json.value, canonicalTarget('json', '{"nul": "xy"}'));
  // An escaped backslash before u0000 is text, not NUL.
  assert.deepEqual(canonicalSource('json', '["a\\\\u0000"]'), { value: '["a\\\\u0000"]', changed: false });
});

test('the fast JSON path gives exactly the full parser\'s text', () => {
  const documents = [
    '{"b": 1, "a": [1, 2, {"c": "é"}]}', '{"x":"a\\"b","n":-0,"m":1.50,"e":1e2,"q":"\\u00e9"}', '[1e21, 1.5e-7, 0.000001, -0.0, 123456789012345]',
    '{"a":1,"a":2}', '{"__proto__": {"x": 1}}', '"\\ud83d\\ude00 😀"', '[true, false, null, "", {}, []]', '{"tab":"a\\tb","ctl":"\\u0001"}',
  ];
  for (const doc of documents) {
    // stripNul forces the full parser; with no NUL in the text the result must be the same.
    assert.equal(canonicalJson(doc), canonicalJson(doc, true), doc);
  }
  assert.equal(canonicalJson('[12345678901234567890, 1.00000000000000000001]'), '[12345678901234567890,1.00000000000000000001]');
  assert.equal(canonicalJson('{"a": 1,}'), undefined);
});
