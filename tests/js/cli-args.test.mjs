// js/cli/args.mjs, how the command reads its flags: parseArgs with its two conveniences, whole numbers, choices, the
// filter flags turned into a CallFilter, and the filter's issues named by the flag that set them. Written so that
// mutants of args.mjs are caught in seconds, not by a whole CLI suite run (docs/mutation-testing.md). It imports the
// built copy of the module (pkg/bin/, which loads the package next to it), so it needs `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILTER_OPTIONS, SCAN_OPTIONS, parse, intFlag, choiceFlag, filterFromFlags, checkFilter, scanOptionsFromFlags,
} from '../../pkg/bin/args.mjs';
import { UsageError } from '../../pkg/bin/lib.mjs';

const OPTIONS = { ...FILTER_OPTIONS, limit: { type: 'string' }, all: { type: 'boolean' } };

/** Asserts that `fn` throws a UsageError with exactly this message. */
function usage(fn, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UsageError, `not a UsageError: ${e}`);
    assert.equal(e.name, 'UsageError');
    assert.equal(e.message, message);
    return true;
  });
}

test('parse: a value starting with a dash and a digit is taken by the string option just before it', () => {
  const r = parse(['--from', '-3600', 'a.ndjson', '--limit', '-5', '--to', '-1', '--all'], OPTIONS, 'filter');
  assert.deepEqual({ ...r.values }, { from: '-3600', limit: '-5', to: '-1', all: true });
  assert.deepEqual(r.positionals, ['a.ndjson']);
  // Not after a boolean option, not a dash and a letter, and not past the end.
  usage(() => parse(['--all', '-1'], OPTIONS, 'filter'), "Unknown option '-1' (see 'fn-calls filter --help')");
  usage(() => parse(['--from'], OPTIONS, 'stats'), "Option '--from <value>' argument missing (see 'fn-calls stats --help')");
  usage(() => parse(['--app', '-x'], OPTIONS, 'fetch'), "Option '--app' argument is ambiguous. (see 'fn-calls fetch --help')");
  // A value already joined with = is left as it is.
  assert.equal(parse(['--from=-7'], OPTIONS, 'filter').values.from, '-7');
  assert.deepEqual(parse(['-', '--', '--all'], OPTIONS, 'filter').positionals, ['-', '--all']);
  assert.deepEqual(parse(['x--'], OPTIONS, 'filter').positionals, ['x--']);
  // Only an option (two dashes) takes the value after it, and only a value that starts with a dash and a digit.
  usage(() => parse(['xxfrom', '-5'], OPTIONS, 'filter'), "Unknown option '-5' (see 'fn-calls filter --help')");
  usage(() => parse(['--from', '--x-1'], OPTIONS, 'filter'), "Option '--from' argument is ambiguous. (see 'fn-calls filter --help')");
});

test('parse: every parseArgs message on one line, the advice about positionals cut, with the command to ask for help', () => {
  usage(() => parse(['--nope'], OPTIONS, 'filter'), "Unknown option '--nope' (see 'fn-calls filter --help')");
  usage(() => parse(['--all=3'], OPTIONS, 'stats'), "Option '--all' does not take an argument (see 'fn-calls stats --help')");
  usage(() => parse(['-x'], OPTIONS, 'validate'), "Unknown option '-x' (see 'fn-calls validate --help')");
});

test('intFlag: digits with an optional sign, a safe integer, at least the minimum', () => {
  assert.equal(intFlag('--limit', undefined), undefined);
  assert.equal(intFlag('--limit', undefined, { min: 1 }), undefined);
  assert.equal(intFlag('--limit', '12'), 12);
  assert.equal(intFlag('--limit', '+3'), 3);
  assert.equal(intFlag('--limit', '-3'), -3);
  assert.equal(intFlag('--limit', '007'), 7);
  assert.equal(intFlag('--limit', '9007199254740991'), 9007199254740991);
  assert.equal(intFlag('--limit', '1', { min: 1 }), 1);
  assert.equal(intFlag('--limit', '0', { min: 0 }), 0);
  for (const bad of ['1.5', '1e3', ' 1', '1 ', '', '0x10', 'ten', '--', '9007199254740992', '-9007199254740993', '1_000']) {
    usage(() => intFlag('--limit', bad), `--limit: '${bad}' is not a whole number`);
  }
  usage(() => intFlag('--per-page', '0', { min: 1 }), '--per-page: 0 is below 1');
  usage(() => intFlag('--retries', '-1', { min: 0 }), '--retries: -1 is below 0');
});

test('choiceFlag: one of the words, or the fallback when the flag is absent', () => {
  assert.equal(choiceFlag('--format', undefined, ['ndjson', 'json'], 'ndjson'), 'ndjson');
  assert.equal(choiceFlag('--format', 'json', ['ndjson', 'json'], 'ndjson'), 'json');
  usage(() => choiceFlag('--format', 'xml', ['ndjson', 'json', 'table'], 'ndjson'), "--format: 'xml' is not one of ndjson, json, table");
  usage(() => choiceFlag('--format', '', ['ndjson', 'json'], 'ndjson'), "--format: '' is not one of ndjson, json");
});

test('scanOptionsFromFlags: observed and all by default, each flag checked, extra options kept', () => {
  assert.deepEqual(scanOptionsFromFlags({}), { mode: 'observed', validate: 'all' });
  assert.deepEqual(scanOptionsFromFlags({ mode: 'strict', validate: 'matches' }, { records: true }), { mode: 'strict', validate: 'matches', records: true });
  usage(() => scanOptionsFromFlags({ mode: 'lenient' }), "--mode: 'lenient' is not one of observed, strict");
  usage(() => scanOptionsFromFlags({ validate: 'some' }), "--validate: 'some' is not one of all, matches");
  assert.deepEqual(scanOptionsFromFlags({ 'max-record-mb': '2' }), { mode: 'observed', validate: 'all', max_record_bytes: 2 << 20 });
  usage(() => scanOptionsFromFlags({ 'max-record-mb': '65' }), '--max-record-mb: 65 is above 64');
  assert.deepEqual(Object.keys(SCAN_OPTIONS).sort(), ['max-record-mb', 'mode', 'validate']);
  assert.equal(SCAN_OPTIONS.mode.type, 'string');
  assert.equal(SCAN_OPTIONS.validate.type, 'string');
});

test('filterFromFlags: only the flags given, each to its field', () => {
  assert.deepEqual(filterFromFlags({}), {});
  const values = {
    app: 'shop', path: '/pay', status: ['error'], error: 'boom', 'error-contains': 'oo', 'error-pattern': 'b.*m',
    type: 'sync', 'call-format': 'http', image: 'img:1', method: 'POST', 'min-duration': '5', 'max-duration': '+50',
    from: '100', to: '-200', cursor: '01ABC',
  };
  assert.deepEqual(filterFromFlags(values), {
    app_name: 'shop', path: '/pay', status: ['error'], error: 'boom', error_contains: 'oo', error_pattern: 'b.*m', type: 'sync',
    format: 'http', image: 'img:1', method: 'POST', min_duration_ms: 5, max_duration_ms: 50, from_time: 100, to_time: -200,
    cursor: '01ABC',
  });
  // An empty text is a value too (the filter's rules decide what it means), except for --from and --to.
  assert.deepEqual(filterFromFlags({ app: '', error: '', from: '', to: '' }), { app_name: '', error: '' });
  usage(() => filterFromFlags({ 'min-duration': 'x' }), "--min-duration: 'x' is not a whole number");
  usage(() => filterFromFlags({ 'max-duration': '1.5' }), "--max-duration: '1.5' is not a whole number");
  // Every filter flag takes one text value, except --status, which may be repeated.
  for (const [name, o] of Object.entries(FILTER_OPTIONS)) {
    assert.equal(o.type, 'string', name);
    assert.equal(o.multiple === true, name === 'status', name);
  }
  assert.equal(Object.keys(FILTER_OPTIONS).length, 15);
});

test('filterFromFlags: --status split at commas, trimmed, empty parts dropped; an empty --status is the empty status', () => {
  assert.deepEqual(filterFromFlags({ status: ['error,timeout', ' cancelled , ', ',,'] }).status, ['error', 'timeout', 'cancelled']);
  assert.deepEqual(filterFromFlags({ status: [''] }).status, ['']);
  assert.deepEqual(filterFromFlags({ status: ['', 'success'] }).status, ['', 'success']);
  assert.deepEqual(filterFromFlags({ status: [] }).status, []);
  assert.equal('status' in filterFromFlags({ app: 'a' }), false);
});

test('filterFromFlags: --from and --to are Unix seconds (from_time, to_time) or an RFC 3339 date (created_since, created_before)', () => {
  assert.deepEqual(filterFromFlags({ from: '1528797600', to: '+1528801200' }), { from_time: 1528797600, to_time: 1528801200 });
  assert.deepEqual(filterFromFlags({ from: '-5', to: '0' }), { from_time: -5, to_time: 0 });
  assert.deepEqual(filterFromFlags({ from: '2018-06-12T10:00:00Z', to: '2018-06-13' }), {
    created_since: '2018-06-12T10:00:00Z', created_before: '2018-06-13',
  });
  usage(() => filterFromFlags({ from: '9007199254740992' }), '--from: 9007199254740992 is out of range');
  usage(() => filterFromFlags({ to: '-9007199254740992' }), '--to: -9007199254740992 is out of range');
  assert.equal(filterFromFlags({ to: '9007199254740991' }).to_time, 9007199254740991);
  for (const bad of ['yesterday', '12.5', '2018-6-12', 'x2018-06-12', '18-06-12T10:00:00Z']) {
    usage(() => filterFromFlags({ from: bad }), `--from: '${bad}' is neither Unix seconds nor an RFC 3339 date-time like 2018-06-12T10:00:00Z`);
    usage(() => filterFromFlags({ to: bad }), `--to: '${bad}' is neither Unix seconds nor an RFC 3339 date-time like 2018-06-12T10:00:00Z`);
  }
});

test('checkFilter: warnings come back as lines naming the flag; errors are one UsageError, a line each, naming the flag', () => {
  assert.deepEqual(checkFilter({}), []);
  assert.deepEqual(checkFilter({ from_time: 5, to_time: 3 }), [
    'warning: --to: to_time 3 is not after from_time 5: no call can match (the server answers an empty list)',
  ]);
  assert.deepEqual(checkFilter({ per_page: 0 }), ['warning: --per-page: per_page 0 is not positive; the server uses 30']);
  const status = "is not a status (delayed, queued, running, success, error, cancelled, timeout)";
  usage(() => checkFilter({ status: ['ok', 'nope'] }), `--status: 'ok' ${status}\n--status: 'nope' ${status}`);
  usage(() => checkFilter({ min_duration_ms: 5, max_duration_ms: 2 }), '--max-duration: max_duration_ms 2 is below min_duration_ms 5: no call can match');
  // A field without a flag is named as it is; an issue about the whole filter names "filter".
  assert.throws(() => checkFilter({ bogus: 1 }), (e) => e instanceof UsageError && /^bogus: 'bogus' is not a filter key/.test(e.message));
  usage(() => checkFilter([]), 'filter: a filter is an object, not an array');
});

test('checkFilter: each field of the filter is named by the flag that sets it', () => {
  const flags = {
    app_name: ['--app', 5], path: ['--path', 5], status: ['--status', 5], error: ['--error', 5], error_contains: ['--error-contains', 5],
    error_pattern: ['--error-pattern', 5], type: ['--type', 5], format: ['--call-format', 5], image: ['--image', 5],
    method: ['--method', 5], min_duration_ms: ['--min-duration', 'x'], max_duration_ms: ['--max-duration', 'x'],
    from_time: ['--from', 'x'], created_since: ['--from', 5], to_time: ['--to', 'x'], created_before: ['--to', 5],
    cursor: ['--cursor', 5], per_page: ['--per-page', 'x'],
  };
  for (const [field, [flag, wrong]] of Object.entries(flags)) {
    assert.throws(() => checkFilter({ [field]: wrong }), (e) => {
      assert.ok(e instanceof UsageError);
      assert.ok(e.message.startsWith(`${flag}: `), `${field}: ${e.message}`);
      assert.equal(e.message.split('\n').length, 1);
      return true;
    });
  }
});
