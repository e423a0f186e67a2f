#!/usr/bin/env node
// fn-calls: validate, filter and summarise Fn call records from files or stdin, and fetch them from an Fn server.
// Plain Node (20+), no dependencies beyond the package itself, which is loaded relatively (see lib.mjs).
//
//   fn-calls validate [files…]      fn-calls filter [files…] --status error      fn-calls stats [files…] --by path
//   fn-calls fetch --url http://localhost:8080 --app myapp      fn-calls log --url http://localhost:8080 --app myapp ID
//
// Exit status: 0 fine, 1 validation found errors (or bad records were left out), 2 bad usage or unreadable input.
import { fc, freeAfter, UsageError, VERSION } from './lib.mjs';
import {
  FILTER_OPTIONS, SCAN_OPTIONS, parse, intFlag, choiceFlag, filterFromFlags, checkFilter, scanOptionsFromFlags, maxRecordFlag,
} from './args.mjs';
import { checkInputs, scanInput, Progress } from './input.mjs';
import { CallWriter, FORMATS, writeOut, exitCodeOnClosedPipe } from './output.mjs';
import { toJson, toTable } from './stats.mjs';
import { fetchAll, fetchLog, headersFrom } from './fetch.mjs';
import { visible, visibleInLine } from './text.mjs';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const INPUTS = `Input: files, or stdin when there are none (or '-'): NDJSON (one call per line), a JSON array of calls, one
call (bare or in the v1 envelope {"message","call"}), or a v1/v2 list envelope; gzip-compressed or not (detected).`;

const FILTER_HELP = `Filter (all given conditions must hold):
  --app NAME               app_name, exactly
  --path /ROUTE            route path, exactly
  --status S[,S…]          one of the statuses (repeatable): success, error, timeout, running, queued, delayed,
                           cancelled; --status '' selects calls whose status is empty (async queue copies)
  --error TEXT             error text, exactly        --error-contains TEXT   error text containing TEXT
  --error-pattern GLOB     error text matching a glob (* any run, ? one character, \\ escapes)
  --type sync|async        --call-format default|http|json     --image IMAGE     --method METHOD
  --min-duration MS        --max-duration MS        completed_at − started_at, inclusive bounds
  --from T, --to T         creation time. Unix seconds are the server's from_time / to_time, both EXCLUSIVE
                           (created after --from, before --to; --from=-3600 for a negative value). An RFC 3339
                           date-time (2018-06-12T10:00:00Z) is compared to the instant: --from is INCLUSIVE
                           (created at or after), --to exclusive.
  --cursor ID              only ids below ID (the server's cursor: a previous page's next_cursor)`;

const HELP = {
  main: `usage: fn-calls <command> [options] [files…]

Validate, filter and summarise Fn Project call records, exactly as the Fn server reads and writes them.

commands:
  validate [files…]      check every call; print each issue with file, line, record and JSON Pointer
  filter [files…]        write the matching calls (NDJSON of the server's exact JSON, a JSON array, or a table)
  stats [files…]         counts, error rate, duration percentiles, memory and CPU, in total or per path/app/status
  fetch --url U --app A  read an app's calls from an Fn server (v1 or v2 API) and write them as NDJSON
  log --url U --app A ID print one call's log from an Fn server

Run 'fn-calls <command> --help' for a command's options. 'fn-calls --version' (or -V) prints the version.

options of every command:
  -q, --quiet              no progress line and no notes on stderr (errors are still printed; the exit status tells)
  --progress               show the progress line on large inputs even when stderr is not a terminal
Text from calls and servers shown on a terminal has its control characters and bidi overrides escaped (\x1b,
\u202e); NDJSON and JSON output are the data's exact bytes. No colours are used (so NO_COLOR changes nothing).

Exit status: 0 fine, 1 errors found (or records with errors left out), 2 bad usage or unreadable input.
`,
  validate: `usage: fn-calls validate [options] [files…]

Checks every call with the package's validator (JSON syntax, Go types, statuses, date-times, and the warnings
about what the server would not write). Prints one line per issue on stdout:
  FILE:LINE record INDEX POINTER: severity code message
(INDEX counts records from 0 in each input; POINTER is a JSON Pointer into the record, "" for the record itself),
then a summary line on stderr.

${INPUTS}

options:
  --mode observed|strict   observed (default): what real Fn servers wrote is clean ('timeout', "status":"");
                           strict: the model exactly as declared
  --max-record-mb N        the largest record read, in MiB (default 16, at most 64); a larger one is reported
                           (record_too_large) and skipped, so memory stays bounded on any input
  --warnings-as-errors     exit 1 when there are warnings too
  --errors-only            print errors only (warnings are still counted in the summary)
  --json                   print the issues as NDJSON objects: {"file",severity,code,path,message,offset,index,line}
  -h, --help               this help

exit status: 0 no errors, 1 errors (or warnings with --warnings-as-errors), 2 bad usage or unreadable input

examples:
  fn-calls validate calls.ndjson
  zcat calls-*.ndjson.gz | fn-calls validate --mode strict --errors-only
  fn-calls validate page.json --json | jq -r .code | sort | uniq -c
`,
  filter: `usage: fn-calls filter [files…] [filter options] [--limit N] [--format ndjson|json|table]

Writes the calls that match, in input order. By default one call per line (NDJSON), each exactly the bytes the Go
server writes for it, so the output can be read by the server's tools, by jq, and by fn-calls again.
Records with errors are left out (a note on stderr says how many; 'fn-calls validate' lists them).

${INPUTS}

${FILTER_HELP}

Output:
  --format ndjson|json|table   ndjson (default); json: one JSON array; table: id, status, app, path, created,
                               duration and error in columns of terminal width (wide characters count twice)
  --json                       the same as --format json
  --limit N                    stop after N matches
  --mode observed|strict       which records are valid (default observed)
  --validate all|matches       all (default): read every record in full; matches: skip records that cannot
                               match without reading them (faster for narrow filters; their errors go unnoticed)
  --max-record-mb N            the largest record read, in MiB (default 16); a larger one is reported and skipped
  -h, --help                   this help

exit status: 0 every record was read (even with no match), 1 records with errors were left out, 2 bad usage or
unreadable input

examples:
  fn-calls filter calls.ndjson --app shop --status error,timeout --from 2018-06-12T00:00:00Z > failed.ndjson
  fn-calls filter calls.ndjson.gz --error-contains 'exit code' --format table --limit 20
`,
  stats: `usage: fn-calls stats [files…] [--by path|app|status] [--json] [filter options]

Summarises the calls (those matching the filter, if one is given): counts by status, error rate (error and
timeout over finished calls), duration (completed_at − started_at) and queue wait (started_at − created_at)
percentiles (nearest-rank), peak and mean mem_usage and cpu_total of the stats samples. The numbers are those of
the package's summarizeCalls, computed while streaming: memory grows by 16 bytes per call, not with the input.

${INPUTS}

options:
  --by path|app|status     one row per route path, app or status, then the total
  --json                   the summary as JSON, shaped like summarizeCalls' answer ({total, groups}), plus
                           "records" (records read) and "skipped" (records with errors, left out)
  --format table|json      table (default), or json as --json
  --mode observed|strict, --validate all|matches, --max-record-mb N   as for filter
  -h, --help               this help

${FILTER_HELP}

exit status: 0 every record was read, 1 records with errors were left out, 2 bad usage or unreadable input

examples:
  fn-calls stats calls.ndjson --by path
  fn-calls stats calls.ndjson --app shop --by status --json | jq .total.duration_ms
`,
  fetch: `usage: fn-calls fetch --url http://HOST:PORT --app NAME [filter options] [options]

Reads an app's calls from an Fn server, newest call first, following next_cursor until the server says there is
no more, and writes them as NDJSON (the server's exact JSON, one per line). The server's API is found out:
  v1 (releases until 0.3.562): GET /v1/apps/NAME/calls
  v2 (0.3.563 to 0.3.688): the app's fns (GET /v2/apps, /v2/fns?app_id=), each fn's GET /v2/fns/ID/calls, merged
      newest first; --fn NAME reads one fn. v2 keeps no path: --path is refused there.
  none (0.3.689 and later): the call routes answer 410 Gone; the command explains what to do instead.
--path, --from and --to (and --cursor, a call id) are sent to the server; the other filter options are applied
here, to each page. An RFC 3339 --from / --to is applied here exactly, and sent to the server as a slightly wider
bound in seconds.

Network errors, timeouts and HTTP 408, 425, 429, 500, 502, 503, 504 are tried again (with growing pauses, or as the
server's Retry-After says); any other HTTP error stops at once. When a page cannot be had, the command stops with
the reason, says how many calls were written, and gives the --cursor to resume from: a page is never skipped.

options:
  --url URL                the Fn API server (default: $FN_API_URL)
  --app NAME               the app whose calls to list (required)
  --fn NAME                v2 servers: only this fn's calls (default: every fn of the app, merged)
  --api auto|v1|v2         which call API to use (default auto: v1 when the server has it, else v2)
  --per-page N             calls per request, 1–100 (default 100, the server's maximum)
  --limit N                stop after N matching calls
  --format ndjson|json|table   as for filter (default ndjson); --json is --format json
  --retries N              further attempts per page after a transient failure (default 4)
  --retry-delay MS         pause before the first retry, doubled each time (default 500)
  --timeout S              seconds to wait for each answer (default 30)
  --header 'Name: value'   an HTTP header to send (repeatable), e.g. --header "Authorization: Bearer $FN_TOKEN"
  --follow-redirects       follow a redirect to another origin (refused by default; headers given with --header
                           are then not sent there)
  --max-answer-mb N        the largest answer read, after decompression (default 64); a larger one stops the
                           command with the cursor to resume from
  --mode observed|strict   which calls are valid (default observed)
  -h, --help               this help

${FILTER_HELP}

exit status: 0 done, 1 calls with errors were left out (each reported on stderr), 2 bad usage, or a page that could
not be fetched

examples:
  fn-calls fetch --url http://localhost:8080 --app shop --from 2018-06-12T00:00:00Z > shop.ndjson
  fn-calls fetch --url http://localhost:8080 --app shop --path /checkout | fn-calls stats --by status
  fn-calls fetch --url http://localhost:8080 --app shop --fn checkout --status error --limit 20
`,
  log: `usage: fn-calls log --url http://HOST:PORT --app NAME [--fn NAME] CALL_ID

Prints the log of one call as the server keeps it (the function's stderr), exactly, on stdout.
  v1: GET /v1/apps/NAME/calls/ID/log      v2: GET /v2/fns/FN/calls/ID/log (the fn is found when not given)

options:
  --url URL                the Fn API server (default: $FN_API_URL)
  --app NAME               the call's app (required)
  --fn NAME                v2 servers: the call's fn (saves looking for it)
  --api auto|v1|v2         which call API to use (default auto)
  --json                   print {"call_id","log"} as one JSON line instead of the text
  --retries N, --retry-delay MS, --timeout S, --header 'Name: value', --follow-redirects, --max-answer-mb N
                           as for fetch
  -h, --help               this help

exit status: 0 printed, 2 bad usage, or no such call or log (the server's message is shown)

examples:
  fn-calls log --url http://localhost:8080 --app shop 01CFT9GTZMHGF4F8PK0M000NFZ
`,
};

let quiet = false;

/** A note on stderr (none with --quiet); text from calls and servers in it is shown, never obeyed (text.mjs). */
const say = (command, line) => {
  if (!quiet) process.stderr.write(`fn-calls ${command}: ${visible(line)}\n`);
};

/** Errors counted per input, and the first few remembered, for the note about left-out records. */
class Skipped {
  constructor() {
    this.count = 0;
    this.errors = 0;
    this.first = [];
  }

  add(input, issues) {
    let last = null;
    for (const i of issues) {
      if (i.severity !== 'error') continue;
      // An issue of the input itself (a byte order mark, an array never closed) has no index: no record is left out.
      if (i.index !== undefined && i.index !== last) this.count += 1;
      last = i.index;
      this.errors += 1;
      if (this.first.length < 3) this.first.push(issueLine(input.name, i));
    }
  }

  report(command) {
    if (!this.errors || quiet) return;
    say(
      command,
      this.count
        ? `${this.count} record${this.count === 1 ? '' : 's'} with errors left out ('fn-calls validate' lists them all), e.g.:`
        : "the input has errors outside its records, no record left out ('fn-calls validate' lists them all):",
    );
    for (const line of this.first) process.stderr.write(`  ${line}\n`);
  }
}

function issueLine(file, i) {
  const record = i.index === undefined || i.index === null ? '' : ` record ${i.index}`;
  return visibleInLine(`${file}:${i.line ?? '?'}${record} ${i.path === '' ? '""' : i.path}: ${i.severity} ${i.code} ${i.message}`);
}

// validate needs the issues only. A CallStream keeps the position of every match (20 bytes each) for finish(), so
// validate asks for matches of an app name no call has: with validate 'all' every record is still read in full and
// reported, exactly as without a filter, and memory stays flat however long the input.
const NO_MATCH = { app_name: '\u0000' };

async function validate(argv) {
  const { values, positionals } = parse(
    argv,
    {
      mode: SCAN_OPTIONS.mode,
      'max-record-mb': SCAN_OPTIONS['max-record-mb'],
      'warnings-as-errors': { type: 'boolean' },
      'errors-only': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    'validate',
  );
  const mode = choiceFlag('--mode', values.mode, ['observed', 'strict'], 'observed');
  const maxRecord = maxRecordFlag(values);
  const inputs = checkInputs(positionals);
  const progress = new Progress(inputs, 'fn-calls validate');
  const totals = { records: 0, bad: 0, errors: 0, warnings: 0 };
  const stream = new fc.CallStream(NO_MATCH, { mode, validate: 'all', warnings: true, ...maxRecord });
  try {
    for (const input of inputs) {
      let lastBad = null;
      const emit = async (issues) => {
        const lines = [];
        for (const i of issues) {
          if (i.severity === 'error') {
            totals.errors += 1;
            if (i.index !== undefined && i.index !== lastBad) totals.bad += 1; // not an issue of the input itself
            lastBad = i.index;
          } else {
            totals.warnings += 1;
            if (values['errors-only']) continue;
          }
          lines.push(values.json ? JSON.stringify({ file: input.name, ...i }) : issueLine(input.name, i));
        }
        if (totals.errors || (values['warnings-as-errors'] && totals.warnings)) exitCodeOnClosedPipe(1);
        if (lines.length) await writeOut(lines.join('\n') + '\n');
      };
      const r = await scanInput(input, stream, progress, (s) => emit(s.takeIssues()));
      totals.records += r.total;
    }
  } finally {
    progress.done();
    freeAfter(stream);
  }
  const n = inputs.length;
  const plural = (k, word) => `${k} ${word}${k === 1 ? '' : 's'}`;
  say(
    'validate',
    `${plural(totals.records, 'record')} in ${plural(n, 'input')}: ` +
      (totals.errors || totals.warnings
        ? `${totals.bad} with errors; ${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}`
        : 'no issues'),
  );
  return totals.errors || (values['warnings-as-errors'] && totals.warnings) ? 1 : 0;
}

function filterSetup(values, command) {
  const filter = filterFromFlags(values);
  for (const warning of checkFilter(filter)) say(command, warning);
  return filter;
}

async function filter(argv) {
  const { values, positionals } = parse(
    argv,
    { ...FILTER_OPTIONS, ...SCAN_OPTIONS, limit: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean' } },
    'filter',
  );
  const format = formatFlag(values, FORMATS, 'ndjson');
  const limit = intFlag('--limit', values.limit, { min: 0 });
  const options = scanOptionsFromFlags(values, { records: true });
  const callFilter = filterSetup(values, 'filter');
  const inputs = checkInputs(positionals);
  const progress = new Progress(inputs, 'fn-calls filter');
  const writer = new CallWriter(format);
  const skipped = new Skipped();
  let written = 0;
  const stream = new fc.CallStream(callFilter, options);
  try {
    for (const input of inputs) {
      if (limit !== undefined && written >= limit) break;
      await scanInput(input, stream, progress, async (s) => {
        skipped.add(input, s.takeIssues());
        s.takeMatches(); // the records are enough: positions need not pile up
        let records = s.takeRecords();
        if (limit !== undefined) records = records.slice(0, limit - written);
        await writer.write(records);
        written += records.length;
        return limit === undefined || written < limit;
      });
    }
  } finally {
    progress.done();
    freeAfter(stream);
  }
  await writer.end();
  skipped.report('filter');
  return skipped.errors ? 1 : 0;
}

/** `--format F`, or `--json` for `--format json` (not both with different answers). */
function formatFlag(values, formats, fallback) {
  if (values.json && values.format !== undefined && values.format !== 'json') {
    throw new UsageError(`--json and --format ${values.format} ask for different outputs: give one`);
  }
  return values.json ? 'json' : choiceFlag('--format', values.format, formats, fallback);
}

async function stats(argv) {
  const { values, positionals } = parse(
    argv,
    { ...FILTER_OPTIONS, ...SCAN_OPTIONS, by: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' } },
    'stats',
  );
  const json = formatFlag(values, ['table', 'json'], 'table') === 'json';
  const by = choiceFlag('--by', values.by === 'app_name' ? 'app' : values.by, ['path', 'app', 'status'], undefined);
  // The package summarises the matches as they stream by (the `summary` option: summarizeCalls' numbers).
  const options = scanOptionsFromFlags(values, { summary: by ? { group_by: by === 'app' ? 'app_name' : by } : {} });
  const callFilter = filterSetup(values, 'stats');
  const inputs = checkInputs(positionals);
  const progress = new Progress(inputs, 'fn-calls stats');
  const skipped = new Skipped();
  let records = 0;
  const stream = new fc.CallStream(callFilter, options);
  let summary;
  try {
    for (const input of inputs) {
      const r = await scanInput(input, stream, progress, (s) => {
        skipped.add(input, s.takeIssues());
        s.takeMatches(); // only the summary is wanted: positions need not pile up
      });
      records += r.total;
    }
    summary = stream.finish().summary;
  } finally {
    progress.done();
    freeAfter(stream);
  }
  const result = by ? { total: summary.total, groups: summary.groups } : { total: summary.total };
  if (json) await writeOut(toJson({ ...result, records, skipped: skipped.count }) + '\n');
  else await writeOut(toTable(result, by, { skipped: skipped.count }));
  skipped.report('stats');
  return skipped.errors ? 1 : 0;
}

async function fetchCommand(argv) {
  const { values, positionals } = parse(
    argv,
    {
      ...FILTER_OPTIONS,
      mode: SCAN_OPTIONS.mode,
      url: { type: 'string' },
      'per-page': { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
      retries: { type: 'string' },
      'retry-delay': { type: 'string' },
      timeout: { type: 'string' },
      header: { type: 'string', multiple: true },
      fn: { type: 'string' },
      api: { type: 'string' },
      json: { type: 'boolean' },
      'follow-redirects': { type: 'boolean' },
      'max-answer-mb': { type: 'string' },
    },
    'fetch',
  );
  if (positionals.length) throw new UsageError(`fetch reads from the server, not from '${positionals[0]}' (see 'fn-calls fetch --help')`);
  const base = serverUrlFlag(values);
  if (!values.app) throw new UsageError('--app NAME is required: the app whose calls to list');
  const api = choiceFlag('--api', values.api, ['auto', 'v1', 'v2'], 'auto');
  const format = formatFlag(values, FORMATS, 'ndjson');
  const perPage = intFlag('--per-page', values['per-page'], { min: 1 }) ?? 100;
  if (perPage > 100) throw new UsageError('--per-page: the server sends at most 100 calls per page');
  const limit = intFlag('--limit', values.limit, { min: 0 });
  const retries = intFlag('--retries', values.retries, { min: 0 }) ?? 4;
  const retryDelayMs = intFlag('--retry-delay', values['retry-delay'], { min: 0 }) ?? 500;
  const timeoutS = intFlag('--timeout', values.timeout, { min: 1 }) ?? 30;
  const headers = headersFrom(values.header);
  const mode = choiceFlag('--mode', values.mode, ['observed', 'strict'], 'observed');
  const callFilter = filterSetup(values, 'fetch');

  // What the server understands goes in the URL (the package's serverFilter widens a date-time bound to the whole
  // seconds the server compares); the whole filter is applied here to what it sends.
  const serverFilter = fc.serverFilter(callFilter);
  const localFilter = { ...callFilter };
  delete localFilter.cursor;

  const writer = new CallWriter(format);
  if (limit === 0) {
    await writer.end();
    return 0;
  }
  const forced = process.env.FN_CALLS_PROGRESS;
  const tty = forced === '1' || (forced !== '0' && Boolean(process.stderr.isTTY));
  let shown = false;
  const progress = (pages, calls) => {
    if (!tty) return;
    process.stderr.write(`\r\x1b[Kfn-calls fetch: ${pages} page${pages === 1 ? '' : 's'}, ${calls} calls`);
    shown = true;
  };
  const report = (line) => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
    say('fetch', line);
  };
  let result;
  try {
    result = await fetchAll(
      {
        base, app: values.app, fn: values.fn, api, serverFilter, localFilter, scanOptions: { mode, validate: 'all' }, perPage, limit,
        ...connectionFlags(values),
        retries, retryDelayMs, headers, timeoutMs: timeoutS * 1000,
      },
      (records) => writer.write(records),
      report,
      progress,
    );
  } finally {
    if (shown) process.stderr.write('\r\x1b[K');
    await writer.end(); // a JSON array is closed even when a page failed, so what was written stays readable
  }
  if (result.badRecords) {
    say('fetch', `${result.badRecords} call${result.badRecords === 1 ? '' : 's'} with errors left out (listed above)`);
    return 1;
  }
  return 0;
}

/** `--url`, or $FN_API_URL: an http(s) URL. */
function serverUrlFlag(values) {
  const base = values.url ?? process.env.FN_API_URL;
  if (!base) throw new UsageError('--url is required (or set FN_API_URL), e.g. --url http://localhost:8080');
  let parsed;
  try {
    parsed = new URL(base);
  } catch {
    throw new UsageError(`--url: '${base}' is not a URL (e.g. http://localhost:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url: '${base}' is not http(s)`);
  return base;
}

/** --follow-redirects and --max-answer-mb, shared by fetch and log. */
function connectionFlags(values) {
  const mb = intFlag('--max-answer-mb', values['max-answer-mb'], { min: 1 }) ?? 64;
  return { followRedirects: Boolean(values['follow-redirects']), maxAnswerBytes: mb * 1024 * 1024 };
}

async function logCommand(argv) {
  const { values, positionals } = parse(
    argv,
    {
      url: { type: 'string' },
      app: { type: 'string' },
      fn: { type: 'string' },
      api: { type: 'string' },
      json: { type: 'boolean' },
      retries: { type: 'string' },
      'retry-delay': { type: 'string' },
      timeout: { type: 'string' },
      header: { type: 'string', multiple: true },
      'follow-redirects': { type: 'boolean' },
      'max-answer-mb': { type: 'string' },
    },
    'log',
  );
  const base = serverUrlFlag(values);
  if (!values.app) throw new UsageError('--app NAME is required: the app of the call');
  if (positionals.length !== 1) throw new UsageError('give exactly one call id, e.g. fn-calls log --url U --app A 01CFT9GTZMHGF4F8PK0M000NFZ');
  const api = choiceFlag('--api', values.api, ['auto', 'v1', 'v2'], 'auto');
  const got = await fetchLog(
    {
      base, app: values.app, fn: values.fn, id: positionals[0], api, headers: headersFrom(values.header), ...connectionFlags(values),
      retries: intFlag('--retries', values.retries, { min: 0 }) ?? 4,
      retryDelayMs: intFlag('--retry-delay', values['retry-delay'], { min: 0 }) ?? 500,
      timeoutMs: (intFlag('--timeout', values.timeout, { min: 1 }) ?? 30) * 1000,
    },
    (line) => say('log', line),
  );
  await writeOut(values.json ? `${JSON.stringify({ call_id: got.callId, log: got.log })}\n` : got.log);
  return 0;
}

const COMMANDS = { validate, filter, stats, fetch: fetchCommand, log: logCommand };

async function main(argv) {
  // --quiet and --progress go with any command: no notes or progress on stderr, or progress even off a terminal.
  // After `--` every argument is a file name, these words included.
  const dashdashAt = argv.indexOf('--');
  const isGlobal = (a, i) => (dashdashAt < 0 || i < dashdashAt) && (a === '--quiet' || a === '-q' || a === '--progress');
  const globals = argv.filter(isGlobal);
  argv = argv.filter((a, i) => !isGlobal(a, i));
  if (globals.includes('--progress') && (globals.includes('--quiet') || globals.includes('-q'))) {
    throw new UsageError('--quiet and --progress contradict each other: give one');
  }
  if (globals.includes('--progress')) process.env.FN_CALLS_PROGRESS = '1';
  quiet = globals.includes('--quiet') || globals.includes('-q');
  if (quiet) process.env.FN_CALLS_PROGRESS = '0';
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === '-v' || command === 'version') {
    await writeOut(`fn-calls ${VERSION}\n`);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(HELP.main);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0] && HELP[rest[0]] ? rest[0] : 'main';
    await writeOut(HELP[topic]);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}' (commands: validate, filter, stats, fetch, log; see 'fn-calls --help')`);
  const dashdash = rest.indexOf('--');
  const flags = dashdash < 0 ? rest : rest.slice(0, dashdash);
  if (flags.includes('--help') || flags.includes('-h')) {
    await writeOut(HELP[command]);
    return 0;
  }
  return run(rest);
}

if (process.env.FN_CALLS_DEBUG_MEMORY === '1') {
  process.on('exit', () => {
    const m = process.memoryUsage();
    process.stderr.write(
      `fn-calls: memory: max_rss_kb=${process.resourceUsage().maxRSS} rss_kb=${Math.round(m.rss / 1024)} ` +
        `heap_used_kb=${Math.round(m.heapUsed / 1024)}\n`,
    );
  });
}

/**
 * Runs the command with `argv` (what follows `fn-calls` on the command line) and resolves to its exit status; a
 * usage error or an internal one is reported on stderr here (status 2). Exported so that the tests can run the
 * commands in process (tests/js/cli-main.test.mjs); the command itself is the call at the end of this file.
 */
export async function run(argv) {
  try {
    return await main(argv);
  } catch (e) {
    const command = COMMANDS[argv[0]] ? `fn-calls ${argv[0]}` : 'fn-calls';
    if (e instanceof UsageError) {
      for (const line of e.message.split('\n')) process.stderr.write(`${command}: ${visible(line)}\n`);
    } else {
      process.stderr.write(`${command}: internal error: ${visible(e?.message ?? e)}\n`);
      if (process.env.FN_CALLS_DEBUG === '1') process.stderr.write(`${e?.stack}\n`);
    }
    return 2;
  }
}

/** Whether node runs this file as the command (through a symbolic link too, as npm installs it), not a test's import. */
function isCommand() {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isCommand()) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
