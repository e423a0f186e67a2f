// `fn-calls fetch` and `fn-calls log`: read calls and logs from an Fn server, whichever call API it has
// (docs/servers.md). v1 (until 0.3.562): one app's listing, following next_cursor. v2 (0.3.563–0.3.688): the app's
// fns (or one), each listing followed, merged newest first. Since 0.3.689 there is no call API: a clear explanation.
// Transient failures are retried; anything else stops with a clear message and the cursor to resume from. No page
// is skipped: a page either arrives whole or the command fails.
import { fc, freeAfter, UsageError } from './lib.mjs';
import {
  connection, requestWithRetries, jsonOf, FnServerError, isRouteMissing, resolveV2Fns, v1ListUrl, v2ListUrl, callUrl,
  logUrl, fromBase64Url, goneError, mergeNewestFirst,
} from '../server/index.mjs';

/** The body of a listing answer, checked to be a call list of the API asked for: `{ answer, doc }`. */
function listBody(answer, api) {
  const doc = jsonOf(answer);
  if (doc && typeof doc.error === 'object' && doc.error !== null) {
    throw new FnServerError(`the server answered an error: ${doc.error.message ?? answer.text.slice(0, 200)}`, { kind: 'protocol' });
  }
  const ok = doc && typeof doc === 'object' && !Array.isArray(doc) &&
    (api === 'v2' ? Array.isArray(doc.items) : Array.isArray(doc.calls) || doc.calls === null || Array.isArray(doc.items));
  if (!ok) {
    throw new FnServerError(`the answer is not a call list (no "${api === 'v2' ? 'items' : 'calls'}" array): is --url the Fn API server?`, { kind: 'protocol' });
  }
  return { answer, doc };
}

/** Longest cursor taken from a server: a call id (26 characters; 36 for the UUIDs of old docs), base64url for v2. */
const MAX_CURSOR = { v1: 36, v2: 48 };

/**
 * The ids of a page must go down, within the page and from the previous page's last one: a server that repeats or
 * climbs would have the command write calls twice or loop forever. Returns the page's last id, or throws the reason.
 */
function checkDescending(doc, previous) {
  const items = (Array.isArray(doc.items) ? doc.items : doc.calls) ?? [];
  let last = previous;
  for (const item of items) {
    const id = item && typeof item === 'object' ? item.id : undefined;
    if (typeof id !== 'string') continue; // a bad call: reported by the reader, left out
    if (last && !(id < last)) return { error: `the server's ids do not go down (${id} after ${last}); stopping rather than writing calls twice` };
    last = id;
  }
  return { last };
}

/** The calls of one page that pass the local filter, as Go-exact JSON, and the issues of the bad ones. */
function pageRecords(body, localFilter, scanOptions) {
  const stream = new fc.CallStream(localFilter, { ...scanOptions, records: true });
  try {
    stream.push(body);
    const records = stream.takeRecords();
    const issues = stream.takeIssues();
    const result = stream.finish();
    return { records, issues: [...issues, ...result.issues], nextCursor: result.next_cursor };
  } finally {
    freeAfter(stream);
  }
}

/**
 * Fetches every page. `write(records)` receives the matching calls (Go JSON), newest first; `report(line)` prints a
 * line on stderr. Returns `{ api, pages, calls, badRecords }`; throws a UsageError (exit 2) when a page cannot be had.
 */
export async function fetchAll(o, write, report, progress) {
  const { base, app, fn, api: wanted = 'auto', serverFilter, localFilter, scanOptions, perPage, limit } = o;
  const conn = connection(base, {
    pkg: fc, headers: Object.fromEntries(o.headers ?? []), timeoutMs: o.timeoutMs, retries: o.retries, retryDelayMs: o.retryDelayMs,
    onRetry: report, maxAnswerBytes: o.maxAnswerBytes, followRedirects: o.followRedirects,
  });
  let cursor = serverFilter.cursor ?? '';
  let pages = 0;
  let calls = 0;
  let badRecords = 0;
  let lastId = '';
  let api = wanted === 'auto' && /\/v2\/?$/.test(base) ? 'v2' : wanted;
  const stopped = (why, resume = cursor) =>
    new UsageError(
      `${why}; ${calls} calls from ${pages} page${pages === 1 ? '' : 's'} were written` + (resume ? `; resume with --cursor ${resume}` : ''),
    );
  const noteIssues = (where, issues) => {
    for (const issue of issues) {
      if (issue.severity !== 'error') continue;
      badRecords += 1;
      report(`${where}: call ${issue.index ?? '?'} left out: ${issue.code} at ${issue.path || '""'}: ${issue.message}`);
    }
  };

  if (api !== 'v2') {
    // v1, or finding out: a server without the v1 routes answers this first page with a route-level 404.
    if (fn && api === 'v1') throw new UsageError('--fn: a v1 server lists calls per app (and --path), not per fn');
    for (;;) {
      const url = v1ListUrl(conn, app, { ...serverFilter, cursor: cursor || undefined, per_page: perPage });
      const where = `page ${pages + 1}${cursor ? ` (cursor ${cursor})` : ''}`;
      let doc;
      let answer;
      try {
        ({ answer, doc } = await requestWithRetries(conn, url, where, { check: (a) => listBody(a, 'v1') }));
      } catch (e) {
        if (!(e instanceof FnServerError)) throw e;
        if (pages === 0 && api === 'auto' && isRouteMissing(e)) {
          api = 'v2';
          break;
        }
        if (e.kind === 'gone') throw stopped(`${where} failed: ${(await goneError(conn)).message}`, '');
        throw stopped(`${where} failed: ${e.message}`);
      }
      api = 'v1';
      if (fn) throw new UsageError('--fn: this server has the v1 API, which lists calls per app (and --path), not per fn');
      const order = checkDescending(doc, lastId);
      if (order.error) throw stopped(`${where}: ${order.error}`, '');
      lastId = order.last;
      const { records, issues, nextCursor } = pageRecords(answer.body, localFilter, scanOptions);
      pages += 1;
      noteIssues(where, issues);
      if (limit !== undefined && calls + records.length >= limit) {
        await write(records.slice(0, limit - calls));
        calls = limit;
        break;
      }
      await write(records);
      calls += records.length;
      progress(pages, calls);
      const next = typeof doc.next_cursor === 'string' ? doc.next_cursor : nextCursor;
      if (!next) break;
      if (next.length > MAX_CURSOR.v1) {
        throw stopped(`${where}: the server's next_cursor is ${next.length} characters long, longer than any call id; not sent back`);
      }
      if (cursor && !(next < cursor)) {
        throw stopped(`${where}: the server's next_cursor ${next} is not below the cursor asked for; stopping rather than looping`, '');
      }
      cursor = next;
    }
    if (api === 'v1') return { api, pages, calls, badRecords };
  }

  // v2: the app's fns, each listing followed, merged newest first.
  if (serverFilter.path) {
    throw new UsageError('--path: this server has the v2 API, which keeps no path for a call; choose a function with --fn NAME');
  }
  let target;
  try {
    target = await resolveV2Fns(conn, app, fn);
  } catch (e) {
    if (!(e instanceof FnServerError)) throw e;
    throw new UsageError(e.message);
  }
  const start = cursor;
  // v2 listings leave app_name empty ("app_name":""): the server has already chosen the app's fns.
  const v2Filter = { ...localFilter };
  delete v2Filter.app_name;
  async function* fnPages(f) {
    let at = start;
    let fnLast = start;
    for (;;) {
      const url = v2ListUrl(conn, f.id, { cursor: at, per_page: perPage, from_time: serverFilter.from_time, to_time: serverFilter.to_time });
      const where = `fn ${f.name} page${at ? ` after ${at}` : ' 1'}`;
      let doc;
      let answer;
      try {
        ({ answer, doc } = await requestWithRetries(conn, url, where, { check: (a) => listBody(a, 'v2') }));
      } catch (e) {
        if (!(e instanceof FnServerError)) throw e;
        if (e.kind === 'gone') throw stopped(`${where} failed: ${(await goneError(conn)).message}`, '');
        throw stopped(`${where} failed: ${e.message}`, lastId || start);
      }
      const order = checkDescending(doc, fnLast);
      if (order.error) throw stopped(`${where}: ${order.error}`, lastId || start);
      fnLast = order.last;
      const { records, issues } = pageRecords(answer.body, v2Filter, scanOptions);
      pages += 1;
      noteIssues(where, issues);
      yield records.map((record) => ({ id: JSON.parse(record).id, record }));
      const raw = typeof doc.next_cursor === 'string' ? doc.next_cursor : '';
      if (!raw) return;
      if (raw.length > MAX_CURSOR.v2) {
        throw stopped(`${where}: the server's next_cursor is ${raw.length} characters long, longer than any call id's base64; not sent back`, lastId || start);
      }
      const next = fromBase64Url(raw);
      if (next === null) throw stopped(`${where}: the server's next_cursor '${raw.slice(0, 60)}' is not base64url`, lastId || start);
      if (at && !(next < at)) {
        throw stopped(`${where}: the server's next_cursor ${next} is not below the cursor asked for; stopping rather than looping`, '');
      }
      at = next;
    }
  }
  let batch = [];
  try {
    for await (const item of mergeNewestFirst(target.fns.map(fnPages))) {
      batch.push(item.record);
      lastId = item.id;
      calls += 1;
      if (batch.length >= 100 || calls === limit) {
        await write(batch);
        batch = [];
        progress(pages, calls);
      }
      if (calls === limit) break;
    }
  } finally {
    // Also when a page fails: the message counts these calls as written and resumes after the last of them.
    await write(batch);
  }
  return { api, pages, calls, badRecords, fns: target.fns.length };
}

/**
 * One call's log. v1: `/v1/apps/{app}/calls/{id}/log`; v2: `/v2/fns/{fn}/calls/{id}/log`, with the fn found among
 * the app's fns when not named. Returns `{ api, callId, log, fn }`; throws a UsageError with the reason.
 */
export async function fetchLog(o, report) {
  const { base, app, fn, id, api: wanted = 'auto' } = o;
  const conn = connection(base, {
    pkg: fc, headers: Object.fromEntries(o.headers ?? []), timeoutMs: o.timeoutMs, retries: o.retries, retryDelayMs: o.retryDelayMs,
    onRetry: report, maxAnswerBytes: o.maxAnswerBytes, followRedirects: o.followRedirects,
  });
  const read = async (target) => {
    const answer = await requestWithRetries(conn, logUrl(conn, target, id), `log of ${id}`);
    if (!/json/i.test(answer.contentType)) return answer.text; // the raw text form
    const doc = jsonOf(answer);
    const log = doc?.log && typeof doc.log === 'object' ? doc.log : doc; // v1 {"message","log":{…}}, v2 {call_id, log}
    if (!log || typeof log.log !== 'string') throw new FnServerError('the answer is not a call log (no "log" text)', { kind: 'protocol' });
    return log.log;
  };
  const fail = async (e) => {
    if (!(e instanceof FnServerError)) return e;
    if (e.kind === 'gone') return new UsageError((await goneError(conn)).message);
    return new UsageError(`log of ${id}: ${e.message}`);
  };
  let api = wanted === 'auto' && /\/v2\/?$/.test(base) ? 'v2' : wanted;
  if (api !== 'v2') {
    try {
      if (fn && api === 'v1') throw new UsageError('--fn: a v1 server keeps calls per app, not per fn');
      return { api: 'v1', callId: id, log: await read({ api: 'v1', app }) };
    } catch (e) {
      if (!(api === 'auto' && isRouteMissing(e))) throw await fail(e);
      api = 'v2';
    }
  }
  let target;
  try {
    target = await resolveV2Fns(conn, app, fn);
  } catch (e) {
    throw e instanceof FnServerError ? new UsageError(e.message) : e;
  }
  // Without --fn, the call's fn is the one that knows the call.
  for (const f of target.fns) {
    const t = { api: 'v2', fnId: f.id };
    if (!fn) {
      try {
        await requestWithRetries(conn, callUrl(conn, t, id), `call ${id} in fn ${f.name}`);
      } catch (e) {
        if (e instanceof FnServerError && e.status === 404) continue;
        throw await fail(e);
      }
    }
    try {
      return { api: 'v2', callId: id, log: await read(t), fn: f.name };
    } catch (e) {
      throw await fail(e);
    }
  }
  throw new UsageError(`log of ${id}: no fn of app '${app}' has call ${id}`);
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
