// js/cli/stats.mjs, how `fn-calls stats` writes the package's summary: the table (header, one row per group, the total,
// units of durations and sizes at their boundaries, escapes and widths of keys) and the JSON (exact uint64 digits).
// Written so that mutants of stats.mjs are caught in seconds, not by a whole CLI suite run
// (docs/mutation-testing.md). The summaries are the package's (summarizeCalls), or one of them with edge values put
// in; it imports the built copy of the module (pkg/bin/), so it needs `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { toJson, toTable } from '../../pkg/bin/stats.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

const sample = (mem, cpu) => ({ timestamp: '2018-06-12T10:00:00Z', metrics: { mem_usage: mem, cpu_total: cpu } });
const call = (id, status, path, created, started, completed, stats = []) =>
  JSON.stringify({ id, status, app_name: 'shop', path, created_at: created, started_at: started, completed_at: completed, stats });

/** Three calls: a success on /pay with two stats samples, an error on /pay of 90 s, a running call with no path. */
const CALLS = [
  call('c', 'success', '/pay', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00.5Z', '2018-06-12T10:00:01.25Z', [sample(2048, 10), sample(1536, 20)]),
  call('b', 'error', '/pay', '2018-06-12T10:00:01Z', '2018-06-12T10:00:01Z', '2018-06-12T10:01:31Z'),
  call('a', 'running', '', '2018-06-12T10:00:02Z', '2018-06-12T10:00:02Z', '0001-01-01T00:00:00Z'),
].join('\n');

const summarize = (text, by) => {
  const s = fc.summarizeCalls(text, by ? { group_by: by } : {});
  assert.deepEqual(s.issues, []);
  return s;
};

const FOOT = 'durations: completed_at − started_at; wait: started_at − created_at; percentiles are nearest-rank';
const COLUMNS = 'CALLS  SUCCESS  ERROR  TIMEOUT  OTHER  ERR RATE    P50    P90    P99    MAX  WAIT P50  MEM PEAK  CPU MEAN';

test('toTable: a row per group, then the total; counts, rate, durations, wait, memory and CPU in their units', () => {
  const text = toTable(summarize(CALLS, 'path'), 'path', { skipped: 2 });
  assert.equal(
    text,
    [
      '3 calls (2 records with errors left out), created 2018-06-12T10:00:00.000Z … 2018-06-12T10:00:02.000Z',
      '',
      `PATH   ${COLUMNS}`,
      '""         1        0      0        0      1         -      -      -      -      -       0ms         -         -',
      '/pay       2        1      1        0      0     50.0%  750ms  1m30s  1m30s  1m30s       0ms    2.0KiB     15.0%',
      'total      3        1      1        0      1     50.0%  750ms  1m30s  1m30s  1m30s       0ms    2.0KiB     15.0%',
      '',
      FOOT,
      '',
    ].join('\n'),
  );
});

test('toTable: without groups, no note of records left out, and an empty key header', () => {
  const text = toTable({ total: summarize(CALLS).total }, undefined, { skipped: 0 });
  assert.equal(
    text,
    [
      '3 calls, created 2018-06-12T10:00:00.000Z … 2018-06-12T10:00:02.000Z',
      '',
      `       ${COLUMNS}`,
      'total      3        1      1        0      1     50.0%  750ms  1m30s  1m30s  1m30s       0ms    2.0KiB     15.0%',
      '',
      FOOT,
      '',
    ].join('\n'),
  );
});

test('toTable: no calls: no creation times, dashes for what could not be measured, no trailing spaces', () => {
  const text = toTable(summarize('', 'app_name'), 'app', { skipped: 0 });
  assert.equal(
    text,
    [
      '0 calls',
      '',
      'APP    CALLS  SUCCESS  ERROR  TIMEOUT  OTHER  ERR RATE  P50  P90  P99  MAX  WAIT P50  MEM PEAK  CPU MEAN',
      'total      0        0      0        0      0         -    -    -    -    -         -         -         -',
      '',
      FOOT,
      '',
    ].join('\n'),
  );
  for (const line of text.split('\n')) assert.equal(line, line.trimEnd());
});

test('toTable: --by status names its column STATUS and app its column APP; one skipped record is counted as such', () => {
  const s = summarize(CALLS, 'status');
  const text = toTable(s, 'status', { skipped: 1 });
  const lines = text.split('\n');
  assert.equal(lines[0], '3 calls (1 records with errors left out), created 2018-06-12T10:00:00.000Z … 2018-06-12T10:00:02.000Z');
  assert.match(lines[2], /^STATUS  +CALLS /);
  assert.deepEqual(lines.slice(3, 7).map((l) => l.split(/ +/)[0]), s.groups.map((g) => g.key).concat('total'));
  assert.match(toTable(summarize(CALLS, 'app_name'), 'app', { skipped: 0 }).split('\n')[2], /^APP  +CALLS /);
});

/** The total row of a table of the package's summary with some of its numbers replaced. */
function totalRow(change) {
  const s = summarize(CALLS);
  change(s.total);
  const lines = toTable({ total: s.total }, undefined, { skipped: 0 }).split('\n');
  return lines[3].split(/ +/);
}

test('toTable: durations in ms below 1 s, seconds below a minute, minutes and seconds below an hour, then hours', () => {
  const cells = totalRow((t) => {
    Object.assign(t.duration_ms, { p50: 999, p90: 1000, p99: 59999, max: 60000 });
    t.queue_wait_ms.p50 = 3599999;
  });
  assert.deepEqual(cells.slice(7, 12), ['999ms', '1.0s', '60.0s', '1m00s', '59m59s']);
  const more = totalRow((t) => {
    Object.assign(t.duration_ms, { p50: 3600000, p90: 5400000, p99: 61000, max: 119999 });
    t.queue_wait_ms.p50 = 0;
  });
  assert.deepEqual(more.slice(7, 12), ['1.0h', '1.5h', '1m01s', '1m59s', '0ms']);
  // A negative duration (completed before started) keeps its sign and is sized by its magnitude.
  const negative = totalRow((t) => {
    Object.assign(t.duration_ms, { p50: -999, p90: -1500, p99: -90000, max: -7200000 });
  });
  assert.deepEqual(negative.slice(7, 11), ['-999ms', '-1.5s', '-2m30s', '-2.0h']);
});

test('toTable: a duration or wait of null or missing is a dash', () => {
  const cells = totalRow((t) => {
    Object.assign(t.duration_ms, { p50: null, p90: undefined });
    t.queue_wait_ms = null;
  });
  assert.deepEqual(cells.slice(7, 12), ['-', '-', '1m30s', '1m30s', '-']);
});

test('toTable: memory in bytes below 1 KiB, then KiB, MiB … up to EiB, exact for uint64 peaks', () => {
  const peak = (v) => totalRow((t) => { t.mem_usage.peak = v; })[12];
  assert.equal(peak(0n), '0B');
  assert.equal(peak(1023n), '1023B');
  assert.equal(peak(1024n), '1.0KiB');
  assert.equal(peak(1536n), '1.5KiB');
  assert.equal(peak(1048575n), '1024.0KiB');
  assert.equal(peak(1048576n), '1.0MiB');
  assert.equal(peak(3n * 2n ** 30n), '3.0GiB');
  assert.equal(peak(2n ** 40n), '1.0TiB');
  assert.equal(peak(2n ** 50n), '1.0PiB');
  assert.equal(peak(18446744073709551615n), '16.0EiB');
  // EiB is the last unit: larger numbers stay in it.
  assert.equal(peak(2n ** 70n), '1024.0EiB');
  assert.equal(totalRow((t) => { t.mem_usage = null; })[12], '-');
  assert.equal(totalRow((t) => { t.mem_usage = undefined; })[12], '-');
});

test('toTable: the error rate and the CPU mean as percentages with one decimal, a dash when absent', () => {
  const cells = totalRow((t) => {
    t.error_rate = 1 / 3;
    t.cpu_total.mean = 7.25;
  });
  assert.deepEqual([cells[6], cells[13]], ['33.3%', '7.3%']);
  const none = totalRow((t) => {
    t.error_rate = null;
    t.cpu_total = null;
  });
  assert.deepEqual([none[6], none[13]], ['-', '-']);
  assert.equal(totalRow((t) => { t.error_rate = 0; })[6], '0.0%');
});

test('toTable: OTHER counts every status but success, error and timeout', () => {
  const text = [
    call('f', 'timeout', '/a', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00Z', '2018-06-12T10:00:01Z'),
    call('e', 'cancelled', '/a', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00Z', '2018-06-12T10:00:01Z'),
    call('d', 'queued', '/a', '2018-06-12T10:00:00Z', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'),
    call('c', 'timeout', '/a', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00Z', '2018-06-12T10:00:01Z'),
  ].join('\n');
  const cells = toTable({ total: summarize(text).total }, undefined, { skipped: 0 }).split('\n')[3].split(/ +/);
  assert.deepEqual(cells.slice(0, 7), ['total', '4', '0', '0', '2', '2', '66.7%']);
});

test('toTable: keys are shown escaped and aligned by terminal width (wide characters count twice)', () => {
  const text = [
    call('c', 'success', '/\u6f22\u5b57', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00Z', '2018-06-12T10:00:01Z'),
    call('b', 'success', '/x\x1b[31m\ny', '2018-06-12T10:00:00Z', '2018-06-12T10:00:00Z', '2018-06-12T10:00:01Z'),
  ].join('\n');
  const lines = toTable(summarize(text, 'path'), 'path', { skipped: 0 }).split('\n');
  // The escaped '/x\x1b[31m\ny' takes 13 columns, '/漢字' 5 (each of its characters two): the key column is 13 wide.
  const cells = '      1        1      0        0      0      0.0%  1.0s  1.0s  1.0s  1.0s       0ms         -         -';
  assert.deepEqual(lines.slice(2, 6), [
    'PATH           CALLS  SUCCESS  ERROR  TIMEOUT  OTHER  ERR RATE   P50   P90   P99   MAX  WAIT P50  MEM PEAK  CPU MEAN',
    `/x\\x1b[31m\\ny${cells}`,
    `/\u6f22\u5b57        ${cells}`,
    `total        ${cells.replace('1        1', '2        2')}`,
  ]);
});

test('toTable: a table of groups given without a groups list has the total only', () => {
  const s = summarize(CALLS);
  const lines = toTable({ total: s.total }, 'path', { skipped: 0 }).split('\n');
  assert.equal(lines[2], `PATH   ${COLUMNS}`);
  assert.match(lines[3], /^total /);
  assert.equal(lines[4], '');
});

test('toJson: indented by two, bigints as plain integers with every digit, strings of digits left as strings', () => {
  const value = { a: 18446744073709551615n, b: [1n, 9007199254740993n], c: '123', d: 'bigint-1-', e: 1.5, f: null };
  const text = toJson(value);
  assert.equal(
    text,
    '{\n  "a": 18446744073709551615,\n  "b": [\n    1,\n    9007199254740993\n  ],\n  "c": "123",\n  "d": "bigint-1-",\n  "e": 1.5,\n  "f": null\n}',
  );
});

test('toJson: the package summary with a uint64 peak keeps its digits; the rest reads back as the summary', () => {
  const s = summarize(CALLS, 'path');
  s.total.mem_usage.peak = 18446744073709551615n;
  const text = toJson({ total: s.total, groups: s.groups, records: 3, skipped: 0 });
  assert.match(text, /"peak": 18446744073709551615,/);
  const back = JSON.parse(text);
  assert.equal(back.groups[1].key, '/pay');
  assert.equal(back.total.count, 3);
  assert.equal(back.groups[1].stats.mem_usage.peak, 2048);
});
