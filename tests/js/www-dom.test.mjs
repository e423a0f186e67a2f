// The dashboard's formatting and time helpers (www/src/dom.js), in Node: what every table cell, chart label and time
// field shows, and how a typed time is read. The DOM builders of the module are tested in Chromium (tests/browser/).
process.env.TZ = 'Asia/Tokyo'; // the browser's own zone in the 'local' tests: UTC+09:00 all year (no summer time)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fmtInt, fmtDuration, fmtSpan, fmtBytes, fmtPercent, getZone, setZone, onZone, timeParts, zoneLabel, fmtTime,
  fmtInputTime, parseInputTime, toRfc3339, preview, chunkOf, clipTo, CLIP_CHARS, CLIP_CHUNK,
} from '../../www/src/dom.js';

const inUtc = (fn) => () => {
  setZone('utc');
  fn();
};
const inLocal = (fn) => () => {
  setZone('local');
  try {
    fn();
  } finally {
    setZone('utc');
  }
};

test('the zone is UTC until the page chooses another', () => {
  assert.equal(getZone(), 'utc');
  assert.equal(zoneLabel(0), 'UTC');
});

test('fmtInt groups thousands and shows a dash for nothing', () => {
  assert.equal(fmtInt(1234567), '1,234,567');
  assert.equal(fmtInt(0), '0');
  assert.equal(fmtInt(null), '–');
  assert.equal(fmtInt(undefined), '–');
  assert.equal(fmtInt(NaN), '–');
});

test('fmtDuration: milliseconds, seconds, minutes, rounded before the unit is chosen', () => {
  assert.equal(fmtDuration(0), '0 ms');
  assert.equal(fmtDuration(3.4), '3 ms');
  assert.equal(fmtDuration(999.4), '999 ms');
  assert.equal(fmtDuration(999.6), '1.00 s');
  assert.equal(fmtDuration(1000), '1.00 s');
  assert.equal(fmtDuration(1420), '1.42 s');
  assert.equal(fmtDuration(9994), '9.99 s');
  assert.equal(fmtDuration(9995), '10.0 s');
  assert.equal(fmtDuration(10000), '10.0 s');
  assert.equal(fmtDuration(59949), '59.9 s');
  assert.equal(fmtDuration(59950), '1 min 00 s');
  assert.equal(fmtDuration(60000), '1 min 00 s');
  assert.equal(fmtDuration(125000), '2 min 05 s');
  assert.equal(fmtDuration(119700), '2 min 00 s');
  assert.equal(fmtDuration(3600000), '60 min 00 s');
  for (const nothing of [null, undefined, NaN, Infinity, -Infinity]) assert.equal(fmtDuration(nothing), '–');
});

test('fmtSpan names a time bucket in its largest whole unit', () => {
  assert.equal(fmtSpan(5000), '5 s');
  assert.equal(fmtSpan(59000), '59 s');
  assert.equal(fmtSpan(60000), '1 min');
  assert.equal(fmtSpan(30 * 60000), '30 min');
  assert.equal(fmtSpan(3600000), '1 h');
  assert.equal(fmtSpan(2 * 3600000), '2 h');
  assert.equal(fmtSpan(86400000), '1 day');
  assert.equal(fmtSpan(7 * 86400000), '7 days');
});

test('fmtBytes: binary units, one decimal under 10, rounded before the unit is chosen', () => {
  assert.equal(fmtBytes(0), '0 B');
  assert.equal(fmtBytes(9), '9 B');
  assert.equal(fmtBytes(1023), '1023 B');
  assert.equal(fmtBytes(1023.6), '1.0 KiB');
  assert.equal(fmtBytes(1024), '1.0 KiB');
  assert.equal(fmtBytes(1536), '1.5 KiB');
  assert.equal(fmtBytes(10 * 1024), '10 KiB');
  assert.equal(fmtBytes(1048575), '1.0 MiB');
  assert.equal(fmtBytes(128 * 1024 * 1024), '128 MiB');
  assert.equal(fmtBytes(3 * 1024 ** 3), '3.0 GiB');
  assert.equal(fmtBytes(5 * 1024 ** 4), '5.0 TiB');
  assert.equal(fmtBytes(1024 ** 5), '1.0 PiB');
  assert.equal(fmtBytes(1024 ** 6), '1.0 EiB');
  assert.equal(fmtBytes(2 ** 64), '16 EiB');
  assert.equal(fmtBytes(2 ** 70), '1024 EiB');
  for (const nothing of [null, undefined, NaN, Infinity]) assert.equal(fmtBytes(nothing), '–');
});

test('fmtPercent: one decimal under 10 %, "<0.1%" for a sliver, a dash for nothing', () => {
  assert.equal(fmtPercent(0), '0.0%');
  assert.equal(fmtPercent(0.0004), '<0.1%');
  assert.equal(fmtPercent(0.001), '0.1%');
  assert.equal(fmtPercent(0.0999), '10.0%');
  assert.equal(fmtPercent(0.1), '10%');
  assert.equal(fmtPercent(0.456), '46%');
  assert.equal(fmtPercent(1), '100%');
  assert.equal(fmtPercent(NaN), '–');
  assert.equal(fmtPercent(Infinity), '–');
});

test('the zone: utc by default, local on request, anything else is utc; listeners hear each change once', () => {
  setZone('utc');
  const heard = [];
  onZone((z) => heard.push(z));
  assert.equal(getZone(), 'utc');
  setZone('local');
  assert.equal(getZone(), 'local');
  setZone('local');
  setZone('Europe/Paris');
  assert.equal(getZone(), 'utc');
  setZone('utc');
  assert.deepEqual(heard, ['local', 'utc']);
});

const T = Date.UTC(2018, 5, 12, 17, 59, 55, 250); // 2018-06-12T17:59:55.250Z

test('times in UTC', inUtc(() => {
  assert.deepEqual(timeParts(T), { y: 2018, mo: 5, d: 12, h: 17, mi: 59, s: 55, ms: 250 });
  assert.equal(zoneLabel(T), 'UTC');
  assert.equal(fmtTime(T), '2018 Jun 12, 17:59:55');
  assert.equal(fmtTime(T, false), '17:59:55');
  assert.equal(fmtTime(Date.UTC(2019, 0, 2, 3, 4, 5)), '2019 Jan 2, 03:04:05');
  assert.equal(fmtTime(Date.UTC(2019, 11, 31)), '2019 Dec 31, 00:00:00');
  assert.deepEqual([...Array(12).keys()].map((m) => fmtTime(Date.UTC(2019, m, 1)).split(' ')[1]),
    ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
  assert.equal(fmtTime(NaN), '–');
  assert.equal(fmtInputTime(T), '2018-06-12 17:59:55.250');
  assert.equal(fmtInputTime(Date.UTC(2018, 0, 2, 3, 4, 5, 7)), '2018-01-02 03:04:05.007');
  assert.equal(fmtInputTime(Date.UTC(2018, 0, 2, 3, 4, 5)), '2018-01-02 03:04:05');
  assert.equal(fmtInputTime(NaN), '');
  assert.equal(toRfc3339(T), '2018-06-12T17:59:55.250Z');
}));

test('times in the browser zone', inLocal(() => {
  assert.deepEqual(timeParts(T), { y: 2018, mo: 5, d: 13, h: 2, mi: 59, s: 55, ms: 250 });
  assert.equal(zoneLabel(T), 'UTC+09:00');
  assert.equal(fmtTime(T), '2018 Jun 13, 02:59:55');
  assert.equal(fmtInputTime(T), '2018-06-13 02:59:55.250');
  assert.equal(parseInputTime('2018-06-13 02:59:55.250'), T);
  assert.equal(parseInputTime('2018-06-13'), Date.UTC(2018, 5, 12, 15));
  assert.equal(parseInputTime('2018-06-12T17:59:55.250Z'), T, 'a text with its own offset keeps it');
  assert.equal(toRfc3339(T), '2018-06-12T17:59:55.250Z', 'what a server is sent is always UTC');
}));

test('zoneLabel writes offsets west of UTC and with minutes', () => {
  const saved = process.env.TZ;
  try {
    setZone('local');
    process.env.TZ = 'America/St_Johns'; // UTC-03:30 in summer
    assert.equal(zoneLabel(T), 'UTC-02:30');
    assert.equal(zoneLabel(Date.UTC(2018, 0, 15)), 'UTC-03:30');
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(zoneLabel(T), 'UTC+05:30');
    process.env.TZ = 'UTC';
    assert.equal(zoneLabel(T), 'UTC+00:00');
  } finally {
    process.env.TZ = saved;
    setZone('utc');
  }
});

test('parseInputTime reads what the time fields accept', inUtc(() => {
  assert.equal(parseInputTime('2018-06-12 17:59:55.250'), T);
  assert.equal(parseInputTime('2018-06-12T17:59:55.25'), T);
  assert.equal(parseInputTime('  2018-06-12t17:59:55.250999999  '), T, 'lower-case t, spaces, nanoseconds cut');
  assert.equal(parseInputTime('2018-06-12 17:59'), Date.UTC(2018, 5, 12, 17, 59));
  assert.equal(parseInputTime('2018-06-12'), Date.UTC(2018, 5, 12));
  assert.equal(parseInputTime('2018-06-12 17:59:55Z'), Date.UTC(2018, 5, 12, 17, 59, 55));
  assert.equal(parseInputTime('2018-06-12 17:59:55 z'), Date.UTC(2018, 5, 12, 17, 59, 55));
  assert.equal(parseInputTime('2018-06-12T20:59:55+03:00'), Date.UTC(2018, 5, 12, 17, 59, 55));
  assert.equal(parseInputTime('2018-06-12T20:59:55+0300'), Date.UTC(2018, 5, 12, 17, 59, 55));
  assert.equal(parseInputTime('2018-06-12T14:29:55-03:30'), Date.UTC(2018, 5, 12, 17, 59, 55));
  assert.equal(parseInputTime('2020-02-29'), Date.UTC(2020, 1, 29), 'a leap day');
  assert.equal(parseInputTime('2018-06-12T17:59:55+23:59'), Date.UTC(2018, 5, 12, 17, 59, 55) - (23 * 60 + 59) * 60000);
  assert.equal(parseInputTime('2018-06-12T17:59:55-23:00'), Date.UTC(2018, 5, 12, 17, 59, 55) + 23 * 3600000);
  assert.equal(parseInputTime('2018-12-31 23:59:59'), Date.UTC(2018, 11, 31, 23, 59, 59));
  assert.equal(parseInputTime('0001-01-01'), -62135596800000, "Go's zero time: a year under 100 stays itself");
}));

test('parseInputTime: anything else is NaN, never another moment', inUtc(() => {
  for (const text of [
    '', '   ', null, undefined, 'yesterday', '2018-6-12', '2018-06-12 7:59', '2018-06-12T17:59:55.', '2018-06-12 17',
    '2018-00-10', '2018-13-10', '2018-06-00', '2018-06-31', '2019-02-29', '2018-02-30', '2018-04-31',
    '2018-06-12 24:00', '2018-06-12 23:60', '2018-06-12 23:59:60', '2018-06-12T17:59:55+24:00',
    '2018-06-12T17:59:55+03:60', '2018-06-12T17:59:55+3:00', '2018-06-12T17:59:55 UTC', 'x2018-06-12', '2018-06-12x',
  ]) {
    assert.ok(Number.isNaN(parseInputTime(text)), `${JSON.stringify(text)} is not a time`);
  }
}));

test('preview cuts a long text to one line with an ellipsis, never inside a surrogate pair', () => {
  assert.equal(preview('short'), 'short');
  assert.equal(preview(null), '');
  assert.equal(preview(undefined), '');
  assert.equal(preview('x'.repeat(300)), 'x'.repeat(300));
  assert.equal(preview('x'.repeat(301)), `${'x'.repeat(300)}…`);
  assert.equal(preview('abcdef', 3), 'abc…');
  assert.equal(preview('ab😀cd', 3), 'ab…', 'the pair at 2–3 is not split');
  assert.equal(preview('abc😀d', 3), 'abc…');
});

test('clipTo and chunkOf: what a long text shows at first, and each "Show more" chunk', () => {
  assert.equal(CLIP_CHARS, 2000);
  assert.equal(CLIP_CHUNK, 100000);
  assert.equal(clipTo('short'), 'short');
  assert.equal(clipTo('y'.repeat(5000)).length, CLIP_CHARS);
  assert.equal(clipTo('abcdef', 4), 'abcd');
  assert.equal(clipTo('abc😀', 4), 'abc', 'never half a pair');
  assert.equal(clipTo('abc😀', 5), 'abc😀');
  assert.equal(clipTo('ab\ud800', 3), 'ab\ud800', 'the whole text is never cut');
  assert.equal(clipTo('a\ud800\udc00', 2), 'a', 'U+10000: the lowest pair');
  assert.equal(clipTo('a\udbff\udfff', 2), 'a', 'U+10FFFF: the highest pair');
  assert.equal(clipTo('ab\ufb00cd', 3), 'ab\ufb00', 'a character above the surrogates is not one');
  assert.equal(clipTo('ab\udc00cd', 3), 'ab\udc00', 'a lone low surrogate ends nothing');

  const text = 'z'.repeat(CLIP_CHUNK * 2 + 10);
  assert.deepEqual(chunkOf(text, 0), { piece: 'z'.repeat(CLIP_CHUNK), end: CLIP_CHUNK });
  const last = chunkOf(text, CLIP_CHUNK * 2);
  assert.deepEqual(last, { piece: 'z'.repeat(10), end: text.length });
  const paired = 'z'.repeat(CLIP_CHUNK - 1) + '😀' + 'tail';
  const first = chunkOf(paired, 0);
  assert.equal(first.end, CLIP_CHUNK - 1, 'the pair that would be split goes to the next chunk');
  assert.equal(chunkOf(paired, first.end).piece, '😀tail');
});
