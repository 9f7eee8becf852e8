import assert from 'node:assert/strict';
import { test } from 'vitest';
import { CopyLineBuffer } from '../../src/migrate/db/copy-lines.js';

function line(write: (out: CopyLineBuffer) => void): string {
  const out = new CopyLineBuffer(1024);
  write(out);
  return out.take().toString('utf8');
}

test('integers are written as their decimal text, the same as String() gives', () => {
  const values = [0, -0, 7, -7, 9, 10, 99, 100, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 10 ** 15, 999_999_999_999_999, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  for (const value of values) assert.equal(line((out) => out.integer(value)), String(value), String(value));
  for (let i = 0; i < 2000; i++) {
    const value = Math.floor((Math.random() - 0.5) * 2 * Number.MAX_SAFE_INTEGER);
    assert.equal(line((out) => out.integer(value)), String(value));
  }
});

test('text of any length and script arrives as the same UTF-8', () => {
  for (const value of ['', 'plain', 'é', 'naïve café', '日本語のテキスト', 'emoji 🎉 pair', 'x'.repeat(47) + 'ü', 'ü'.repeat(200), '🎉'.repeat(5000)]) {
    assert.equal(line((out) => out.text(value)), value);
  }
});

test('lines keep their order, and endLine says when the buffer is full enough to hand over', () => {
  const out = new CopyLineBuffer(16);
  out.integer(1);
  out.tab();
  out.text('abc');
  assert.equal(out.endLine(), false);
  out.text('a longer value than the flush size');
  assert.equal(out.endLine(), true);
  assert.equal(out.take().toString('utf8'), '1\tabc\na longer value than the flush size\n');
  assert.equal(out.length, 0);
});

test('a value bigger than the buffer makes it grow without losing what was written', () => {
  const out = new CopyLineBuffer(8);
  out.text('start');
  out.tab();
  const big = 'ß'.repeat(100_000);
  out.text(big);
  out.endLine();
  const first = out.take();
  out.text('next');
  out.endLine();
  assert.equal(first.toString('utf8'), `start\t${big}\n`);
  assert.equal(out.take().toString('utf8'), 'next\n', 'what was taken is not written over');
  assert.equal(first.toString('utf8'), `start\t${big}\n`);
});

test('a buffer given back is filled again, and never while its bytes are still the caller\'s', () => {
  const out = new CopyLineBuffer(4);
  out.text('first');
  out.endLine();
  const first = out.take();
  out.text('second');
  out.endLine();
  const second = out.take();
  assert.notEqual(second.buffer, first.buffer, 'not given back yet: a new buffer');
  assert.equal(first.toString('utf8'), 'first\n');
  out.recycle(first);
  out.text('third');
  out.endLine();
  const third = out.take();
  assert.equal(third.buffer, first.buffer, 'the given-back buffer is reused');
  assert.equal(third.toString('utf8'), 'third\n');
  assert.equal(second.toString('utf8'), 'second\n');
});
