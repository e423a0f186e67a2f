// Command-line options: parsing with node:util's parseArgs, numbers, and the filter flags turned into a CallFilter.
import { parseArgs } from 'node:util';
import { fc, UsageError } from './lib.mjs';

/** The filter flags, shared by filter, stats and fetch. */
export const FILTER_OPTIONS = {
  app: { type: 'string' },
  path: { type: 'string' },
  status: { type: 'string', multiple: true },
  error: { type: 'string' },
  'error-contains': { type: 'string' },
  'error-pattern': { type: 'string' },
  type: { type: 'string' },
  'call-format': { type: 'string' },
  image: { type: 'string' },
  method: { type: 'string' },
  'min-duration': { type: 'string' },
  'max-duration': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  cursor: { type: 'string' },
};

/** The filter's fields, by the flag that sets them (for messages about the filter). */
const FLAG_OF_FIELD = {
  app_name: '--app',
  path: '--path',
  status: '--status',
  error: '--error',
  error_contains: '--error-contains',
  error_pattern: '--error-pattern',
  type: '--type',
  format: '--call-format',
  image: '--image',
  method: '--method',
  min_duration_ms: '--min-duration',
  max_duration_ms: '--max-duration',
  from_time: '--from',
  created_since: '--from',
  to_time: '--to',
  created_before: '--to',
  cursor: '--cursor',
  per_page: '--per-page',
};

/**
 * parseArgs, strict, with positionals, and with two conveniences: `--from -3600` (a value starting with a dash
 * right after an option that takes one) and messages that fit on one line.
 */
export function parse(argv, options, command) {
  const args = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name && options[name]?.type === 'string' && i + 1 < argv.length && /^-\d/.test(argv[i + 1])) {
      args.push(`${a}=${argv[++i]}`);
    } else args.push(a);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const first = String(e.message).split('\n')[0].replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`${first} (see 'fn-calls ${command} --help')`);
  }
}

/** An integer flag: digits only (an optional sign), a safe integer, at least `min`. */
export function intFlag(flag, value, { min = -Infinity } = {}) {
  if (value === undefined) return undefined;
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: '${value}' is not a whole number`);
  if (n < min) throw new UsageError(`${flag}: ${value} is below ${min}`);
  return n;
}

/** One of a few words. */
export function choiceFlag(flag, value, choices, fallback) {
  if (value === undefined) return fallback;
  if (!choices.includes(value)) throw new UsageError(`${flag}: '${value}' is not one of ${choices.join(', ')}`);
  return value;
}

/**
 * `--from` / `--to`: Unix seconds are the server's `from_time` / `to_time` (both exclusive); an RFC 3339 date-time
 * becomes the extension `created_since` (inclusive) / `created_before` (exclusive).
 */
function timeBound(flag, value, secondsField, dateField) {
  if (value === undefined || value === '') return {};
  if (/^[+-]?\d+$/.test(value)) {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${value} is out of range`);
    return { [secondsField]: n };
  }
  if (/^\d{4}-\d\d-\d\d/.test(value)) return { [dateField]: value };
  throw new UsageError(`${flag}: '${value}' is neither Unix seconds nor an RFC 3339 date-time like 2018-06-12T10:00:00Z`);
}

/** `--status error,timeout --status cancelled` → `['error', 'timeout', 'cancelled']`; `--status ''` → `['']`. */
function statuses(values) {
  if (!values) return undefined;
  const out = [];
  for (const v of values) {
    if (v === '') out.push('');
    else for (const s of v.split(',')) if (s.trim() !== '') out.push(s.trim());
  }
  return out;
}

/** The filter flags as a `CallFilter` (only the flags given). */
export function filterFromFlags(values) {
  const f = {};
  const set = (field, v) => {
    if (v !== undefined) f[field] = v;
  };
  set('app_name', values.app);
  set('path', values.path);
  set('status', statuses(values.status));
  set('error', values.error);
  set('error_contains', values['error-contains']);
  set('error_pattern', values['error-pattern']);
  set('type', values.type);
  set('format', values['call-format']);
  set('image', values.image);
  set('method', values.method);
  set('min_duration_ms', intFlag('--min-duration', values['min-duration']));
  set('max_duration_ms', intFlag('--max-duration', values['max-duration']));
  Object.assign(f, timeBound('--from', values.from, 'from_time', 'created_since'));
  Object.assign(f, timeBound('--to', values.to, 'to_time', 'created_before'));
  set('cursor', values.cursor);
  return f;
}

/** The flag an issue about the filter is about: `/status/1` → `--status`. */
function flagOf(issue) {
  const field = issue.path.split('/')[1] ?? '';
  return FLAG_OF_FIELD[field] ?? (field ? field : 'filter');
}

/**
 * Checks the filter with the package's own rules: errors become one UsageError (a line per error, each naming its
 * flag); warnings are returned as lines to print.
 */
export function checkFilter(filter) {
  const issues = fc.validateFilter(filter);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new UsageError(errors.map((i) => `${flagOf(i)}: ${i.message}`).join('\n'));
  return issues.map((i) => `warning: ${flagOf(i)}: ${i.message}`);
}

/** `mode`, `validate`: the scan options the flags ask for. */
export const SCAN_OPTIONS = {
  mode: { type: 'string' },
  validate: { type: 'string' },
  'max-record-mb': { type: 'string' },
};

/** The largest `--max-record-mb` (the package's largest `max_record_bytes`): past it, one record's reading could
 * exhaust the WebAssembly memory. */
const MOST_RECORD_MB = 64;

/** `--max-record-mb N` as the bulk engine's `max_record_bytes` option (N MiB), or `{}` for its default (16 MiB). */
export function maxRecordFlag(values) {
  const mb = intFlag('--max-record-mb', values['max-record-mb'], { min: 1 });
  if (mb === undefined) return {};
  if (mb > MOST_RECORD_MB) throw new UsageError(`--max-record-mb: ${mb} is above ${MOST_RECORD_MB}`);
  return { max_record_bytes: mb * 1024 * 1024 };
}

export function scanOptionsFromFlags(values, extra = {}) {
  return {
    mode: choiceFlag('--mode', values.mode, ['observed', 'strict'], 'observed'),
    validate: choiceFlag('--validate', values.validate, ['all', 'matches'], 'all'),
    ...maxRecordFlag(values),
    ...extra,
  };
}
