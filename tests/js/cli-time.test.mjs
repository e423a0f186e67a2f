// js/cli/time.mjs, the command's date-time reader, against Date.parse: every shape the server writes (fractions of 0
// to 9 digits, Z and ±hh:mm offsets), years 1 to 9999, and what it refuses. Written for mutants of time.mjs that the
// CLI suite let through (docs/mutation-testing.md); it imports the module itself, so it needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unixMillis, ZERO_MS } from '../../js/cli/time.mjs';

/** A small deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const daysIn = (y, m) => new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);

test('unixMillis agrees with Date.parse on random date-times of years 1 to 9999, in every shape', () => {
  const rnd = random(7);
  const int = (n) => Math.floor(rnd() * n);
  for (let i = 0; i < 20000; i++) {
    const y = i % 4 === 0 ? 1 + int(9999) : 1900 + int(300);
    const m = 1 + int(12);
    const d = 1 + int(daysIn(y, m));
    const digits = int(10);
    const frac = digits ? `.${Array.from({ length: digits }, () => int(10)).join('')}` : '';
    const zone = int(3) === 0 ? 'Z' : `${int(2) ? '+' : '-'}${pad(int(15))}:${pad(int(4) * 15)}`;
    const s = `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(int(24))}:${pad(int(60))}:${pad(int(60))}${frac}${zone}`;
    // Date.parse rounds or truncates digits after the third differently across engines: compare on three
    const want = Date.parse(s.replace(/(\.\d{1,3})\d*/, '$1'));
    assert.equal(unixMillis(s), want, s);
  }
});

test('unixMillis: fixed points, floors, and what it refuses', () => {
  assert.equal(ZERO_MS, -62135596800000, "Go's zero time, 0001-01-01T00:00:00Z");
  assert.equal(unixMillis('0001-01-01T00:00:00Z'), ZERO_MS);
  assert.equal(unixMillis('1970-01-01T00:00:00Z'), 0);
  assert.equal(unixMillis(''), 0, 'the server reads "" as 1970');
  assert.equal(unixMillis('1969-12-31T23:59:59.999Z'), -1);
  assert.equal(unixMillis('1969-12-31T23:59:59.9999Z'), -1, 'digits after the millisecond are dropped (floor)');
  assert.equal(unixMillis('2017-11-28T17:21:39.1239Z'), Date.UTC(2017, 10, 28, 17, 21, 39, 123));
  assert.equal(unixMillis('2017-11-28T17:21:39.5Z'), Date.UTC(2017, 10, 28, 17, 21, 39, 500));
  assert.equal(unixMillis('2017-11-28T17:21:39.05Z'), Date.UTC(2017, 10, 28, 17, 21, 39, 50));
  assert.equal(unixMillis('2017-11-28T20:21:39+03:00'), Date.UTC(2017, 10, 28, 17, 21, 39));
  assert.equal(unixMillis('2017-11-28T14:51:39-02:30'), Date.UTC(2017, 10, 28, 17, 21, 39));
  assert.equal(unixMillis('2000-02-29T00:00:00Z'), Date.UTC(2000, 1, 29));
  assert.equal(unixMillis('2000-03-01T00:00:00Z'), Date.UTC(2000, 2, 1));
  assert.equal(unixMillis('1900-03-01T00:00:00Z'), Date.UTC(1900, 2, 1));
  assert.equal(unixMillis('0099-12-31T23:59:59Z'), Date.parse('0099-12-31T23:59:59Z'), 'no Date quirk for years below 100');
  for (const bad of ['2017-11-28 17:21:39Z', '2017-11-28T17:21:39', '2017-11-28T17:21Z', '2017-11-28T17:21:39.Z', '17-11-28T17:21:39Z',
    '2017-11-28T17:21:39+0300', '2017-11-28T17:21:39z', 'x', ' 2017-11-28T17:21:39Z', '2017-11-28T17:21:39Z ']) {
    assert.ok(Number.isNaN(unixMillis(bad)), bad);
  }
});
