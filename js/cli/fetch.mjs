// `fn-calls fetch`: pages through GET /v1/apps/{app}/calls following next_cursor (docs/filtering.md), retrying
// transient failures, and stopping with a clear message (and the cursor to resume from) on anything else.
// No page is skipped: a page either arrives whole or the command fails.
import { fc, UsageError } from './lib.mjs';

/** HTTP statuses worth another try: timeouts, throttling, and server errors that may pass. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure of one attempt: `transient` ones are tried again. */
class PageError extends Error {
  constructor(message, { transient = false, retryAfterMs = null } = {}) {
    super(message);
    this.transient = transient;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The server's error message from its body `{"error":{"message":"…"}}`, or the start of the body. */
function serverMessage(text) {
  try {
    const msg = JSON.parse(text)?.error?.message;
    if (typeof msg === 'string') return msg;
  } catch {
    // not JSON
  }
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 200 ? t.slice(0, 200) + '…' : t;
}

function retryAfter(res) {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const secs = /^\d+$/.test(h.trim()) ? Number(h) : (Date.parse(h) - Date.now()) / 1000;
  return Number.isFinite(secs) ? Math.min(Math.max(0, secs * 1000), MAX_RETRY_AFTER_MS) : null;
}

/** One attempt at one page: the body of a 200 answer that is a call list, or a PageError. */
async function getPage(url, { headers, timeoutMs }) {
  let res;
  let body;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    body = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (e.name === 'TimeoutError') throw new PageError(`no answer within ${timeoutMs / 1000} s`, { transient: true });
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new PageError(`cannot connect: ${cause}`, { transient: true });
  }
  const text = new TextDecoder().decode(body);
  if (!res.ok) {
    const msg = serverMessage(text);
    throw new PageError(`HTTP ${res.status} ${res.statusText}${msg ? `: ${msg}` : ''}`, {
      transient: TRANSIENT.has(res.status),
      retryAfterMs: retryAfter(res),
    });
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    // a body cut short in transit is worth another try
    throw new PageError(`the answer is not JSON (${body.length} bytes)`, { transient: true });
  }
  if (doc && typeof doc.error === 'object' && doc.error !== null) {
    throw new PageError(`the server answered an error: ${serverMessage(text)}`);
  }
  const isList =
    doc && typeof doc === 'object' && !Array.isArray(doc) && (Array.isArray(doc.calls) || doc.calls === null || Array.isArray(doc.items));
  if (!isList) throw new PageError('the answer is not a call list (no "calls" array): is --url the Fn API server?');
  return body;
}

/**
 * Fetches every page. `write(records)` receives each page's matching calls (Go JSON); `report(line)` prints a
 * line on stderr. Returns `{ pages, calls, badRecords }`; throws a UsageError (exit 2) when a page cannot be had.
 */
export async function fetchAll(o, write, report, progress) {
  const { base, app, serverFilter, localFilter, scanOptions, perPage, limit, retries, retryDelayMs } = o;
  let cursor = serverFilter.cursor ?? '';
  let pages = 0;
  let calls = 0;
  let badRecords = 0;
  const stopped = (why, resume = true) =>
    new UsageError(
      `${why}; ${calls} calls from ${pages} page${pages === 1 ? '' : 's'} were written` +
        (resume && cursor ? `; resume with --cursor ${cursor}` : ''),
    );

  for (;;) {
    const url = fc.listCallsUrl(base, app, { ...serverFilter, cursor: cursor || undefined, per_page: perPage });
    const where = `page ${pages + 1}${cursor ? ` (cursor ${cursor})` : ''}`;
    let body;
    for (let attempt = 1; ; attempt++) {
      try {
        body = await getPage(url, o);
        break;
      } catch (e) {
        if (!(e instanceof PageError)) throw e;
        if (!e.transient || attempt > retries) {
          const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
          throw stopped(`${where} failed: ${e.message}${tries}`);
        }
        const wait = e.retryAfterMs ?? retryDelayMs * 2 ** (attempt - 1);
        report(`${where}: ${e.message}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${retries + 1})`);
        await sleep(wait);
      }
    }

    const stream = new fc.CallStream(localFilter, { ...scanOptions, records: true });
    let records;
    let result;
    let issues;
    try {
      stream.push(body);
      records = stream.takeRecords();
      issues = stream.takeIssues();
      result = stream.finish();
    } finally {
      stream.free();
    }
    pages += 1;
    for (const issue of [...issues, ...result.issues]) {
      if (issue.severity !== 'error') continue;
      badRecords += 1;
      report(`${where}: call ${issue.index ?? '?'} left out: ${issue.code} at ${issue.path || '""'}: ${issue.message}`);
    }
    if (limit !== undefined && calls + records.length >= limit) {
      await write(records.slice(0, limit - calls));
      calls = limit;
      break;
    }
    await write(records);
    calls += records.length;
    progress(pages, calls);

    const next = result.next_cursor;
    if (!next) break;
    if (cursor && !(next < cursor)) {
      throw stopped(`${where}: the server's next_cursor ${next} is not below the cursor asked for; stopping rather than looping`, false);
    }
    cursor = next;
  }
  return { pages, calls, badRecords };
}

/** `--header 'Name: value'` → a Headers object. */
export function headersFrom(values = []) {
  const headers = new Headers({ accept: 'application/json', 'user-agent': 'fn-calls' });
  for (const h of values) {
    const at = h.indexOf(':');
    if (at <= 0) throw new UsageError(`--header: '${h}' is not 'Name: value'`);
    try {
      headers.append(h.slice(0, at).trim(), h.slice(at + 1).trim());
    } catch (e) {
      throw new UsageError(`--header: '${h}': ${e.message}`);
    }
  }
  return headers;
}
