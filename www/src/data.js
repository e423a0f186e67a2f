// Where calls come from: the bundled sample, a dropped or chosen file, pasted text, or a live Fn server. This file
// talks to servers, through the package's shared client (fn-calls/server, as the `fn-calls fetch` command does):
// which call API the server has (v1 until 0.3.562: one app's listing; v2 from 0.3.563 to 0.3.688: the app's fns, each
// listed and merged newest first; since 0.3.689 none: calls answer 410 Gone), the pages, and one call's log.
// Parsing happens in the engine's worker (engine.addPage); this file fetches and decides when paging stops.
//
// Nothing here runs until the person has seen the first request in the server dialog and confirmed it (main.js).

import { fc } from './fncalls.js';
import {
  connection,
  requestWithRetries,
  jsonOf,
  FnServerError,
  isRouteMissing,
  resolveV2Fns,
  v1ListUrl,
  v2ListUrl,
  logUrl,
  fromBase64Url,
  goneError,
  mergeNewestFirst,
} from 'fn-calls/server';

/** The server's largest page: fewest round trips. */
const PAGE_SIZE = 100;
const TIMEOUT_MS = 30000;

/** A server URL the page refuses to talk to, with the reason. */
export class ServerUrlError extends Error {}

/**
 * The server's address as typed or linked, checked: only http: and https: (never javascript:, data:, file:, …), no
 * user name or password, no query or fragment. Returns the address without a trailing slash.
 */
export function checkServerUrl(text) {
  const raw = String(text ?? '').trim();
  if (!raw) throw new ServerUrlError('Give the Fn server’s address, for example http://localhost:8080.');
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new ServerUrlError(`“${short(raw)}” is not a URL: write the server’s address in full, for example http://localhost:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerUrlError(`Refused: “${short(raw)}” is a ${url.protocol} URL. Only http: and https: addresses of an Fn server are read.`);
  }
  if (url.username || url.password) {
    throw new ServerUrlError('Refused: the address holds a user name or password. Give the server’s address alone.');
  }
  if (raw.includes('?') || raw.includes('#')) { // every query or fragment, empty ones too
    throw new ServerUrlError('The address has a query (?…) or fragment (#…): give the server’s address alone, for example http://localhost:8080.');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

const short = (s) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * A connection to a checked address. Requests carry no cookies or credentials and no referrer (the page's URL holds
 * the filter), are never cached, and stop after 30 s.
 */
export function serverConnection(base, { retries = 2, onRetry } = {}) {
  const fetchPlain = (url, init = {}) => fetch(url, { ...init, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  return connection(checkServerUrl(base), { pkg: fc, fetch: fetchPlain, timeoutMs: TIMEOUT_MS, retries, retryDelayMs: 500, onRetry });
}

/** The server's own listing fields of the page's filter (the rest is applied in the page once calls are loaded). */
export function serverFilter(filter) {
  const out = {};
  for (const k of ['path', 'from_time', 'to_time', 'cursor']) if (filter[k] !== '' && filter[k] !== undefined) out[k] = k.endsWith('_time') ? Number(filter[k]) : filter[k];
  return out;
}

const wantsV2 = (base) => /\/v2\/?$/.test(base);

/**
 * What a load would send, before anything is sent: `{ base, first, then }` with the first request's URL and what
 * follows it. Throws a ServerUrlError (refused address) or an Error (no app, a bad filter) with the reason.
 */
export function serverPlan({ base, app, fn, filter }) {
  const conn = serverConnection(base);
  if (!app) throw new Error('Name the app whose calls to read.');
  const sf = serverFilter(filter);
  if (wantsV2(conn.base)) {
    const first = `${conn.root}/v2/apps?${new URLSearchParams({ name: app, per_page: String(PAGE_SIZE) })}`;
    return { base: conn.base, first, then: `then /v2/fns?app_id=… and ${fn ? `fn ${fn}’s` : 'each fn’s'} /v2/fns/{fn_id}/calls` };
  }
  const first = v1ListUrl(conn, app, { ...sf, per_page: PAGE_SIZE });
  return {
    base: conn.base,
    first,
    then: 'then its next pages; a server without this route (Fn 0.3.563 and later) is asked /v2/apps?name=…, /v2/fns?app_id=… and each fn’s calls',
  };
}

/** The JSON of a listing answer, checked to be a call list of the API asked for (a body cut short is read again). */
function listDoc(answer, api) {
  const doc = jsonOf(answer);
  if (doc && typeof doc.error === 'object' && doc.error !== null) {
    throw new FnServerError(`the server answered an error: ${doc.error.message ?? answer.text.slice(0, 200)}`, { kind: 'protocol' });
  }
  const list = doc && typeof doc === 'object' && !Array.isArray(doc) ? (api === 'v2' ? doc.items : (doc.calls ?? doc.items)) : undefined;
  if (!(Array.isArray(list) || (api === 'v1' && doc?.calls === null))) {
    throw new FnServerError(`the answer is not a call list (no "${api === 'v2' ? 'items' : 'calls'}" array): is the URL the Fn API server?`, { kind: 'protocol' });
  }
  return { text: answer.text, ids: (list ?? []).map((c) => (c && typeof c.id === 'string' ? c.id : null)), nextCursor: typeof doc.next_cursor === 'string' ? doc.next_cursor : '' };
}

/**
 * A failure as the person should read it. A 410 from a current server is the explanation of where calls went; a
 * request that got no readable answer names the two likely causes (nothing there, or CORS) and is marked
 * `network`, so the page can offer to find out which.
 */
async function explained(e, conn, where) {
  if (!(e instanceof FnServerError)) return e;
  const origin = new URL(conn.root).origin;
  let out;
  if (e.kind === 'gone') out = new Error((await goneError(conn)).message);
  else if (e.kind === 'network') {
    out = new Error(
      `Could not read an answer from ${origin}${where ? ` (${where})` : ''}. Either nothing answers there (is the Fn server running, ` +
        `is the URL right?), or the server answered but does not let this page read its answer (CORS): start Fn with ` +
        `FN_API_CORS_ORIGINS=${location.origin} (servers of 2017: API_CORS=${location.origin}), or put both behind one origin with a proxy.`,
    );
    out.network = true;
    out.url = e.url;
  } else if (e.kind === 'timeout') out = new Error(`${origin} gave no answer within ${TIMEOUT_MS / 1000} s${where ? ` (${where})` : ''}.`);
  else if ((e.kind === 'not-found' && !e.url) || e.kind === 'no-api') out = new Error(e.message); // resolveV2Fns: says what is missing
  else out = new Error(`${origin} answered ${e.message}${where ? ` (${where})` : ''}${e.url ? `\n(${e.url})` : ''}`);
  out.kind = e.kind;
  return out;
}

/**
 * Whether a request that failed at network level reached a server that refuses to share its answer with this page
 * (CORS), or nothing answered at all. Sends one `no-cors` request to `url`: only when the person asks for it.
 */
export async function diagnoseNetworkFailure(url) {
  const origin = new URL(url).origin;
  let answered = false;
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
    answered = true;
  } catch {
    answered = false;
  }
  if (answered) {
    return (
      `${origin} answered, but refuses to share its answer with this page (CORS).\n` +
      `Allow this page's origin on the server: start Fn with FN_API_CORS_ORIGINS=${location.origin} ` +
      `(servers of 2017: API_CORS=${location.origin}), or put both behind one origin with a proxy.`
    );
  }
  return `Could not reach ${origin}: nothing answered.\nIs the Fn server running, and is the URL right (for example http://localhost:8080)?`;
}

/**
 * Loads calls from a live Fn server into the engine, finding out which call API it has exactly as `fn-calls fetch`
 * does: the v1 listing first; a route-level 404 means v2 (the app through /v2/apps?name=, its fns through
 * /v2/fns?app_id=, each fn's listing followed and all merged newest first). An address ending in /v2 starts there.
 *
 * Paging stops at the end of each listing, at `max` calls, and — with the reason in `stops` — on a next_cursor that
 * repeats or does not descend, one that is not base64url (v2), or an empty page that still names a next one.
 * `onPage({ pages, records })` reports progress. Returns `{ result, pages, api, server, stops, more }`; after a
 * failure past the first page, what did arrive is loaded and the error is rethrown with `partial` set.
 */
export async function loadFromServer(engine, { base, app, fn = '', filter, max = 5000, onPage, onProgress, onRetry, newerThan = '' }) {
  const conn = serverConnection(base, { onRetry });
  // The first request finds out whether anything answers at all: a failure there is not worth retrying.
  const once = { ...conn, retries: 0 };
  const host = new URL(conn.root).host;
  const sf = serverFilter(filter);
  const stops = [];
  let api = wantsV2(conn.base) ? 'v2' : 'auto';
  let answered = false; // the server has answered once: later network failures may pass, and are retried
  let pages = 0;
  let records = 0;
  let more = false;
  let label = `${app} on ${host}`;
  let fns = [];
  /** The records to load, in order, as flat [page, record-in-page] pairs; null: every page as it came. */
  let order = null;
  const addPage = async (text) => {
    const answer = await engine.addPage(text, pages === 0);
    pages += 1;
    return answer;
  };

  try {
    if (api === 'auto') {
      // v1, or finding out: a server without the v1 routes answers this first page with a route-level 404.
      let cursor = sf.cursor || '';
      order = [];
      for (;;) {
        const url = v1ListUrl(conn, app, { ...sf, cursor: cursor || undefined, per_page: PAGE_SIZE });
        const where = `page ${pages + 1}`;
        let page;
        try {
          page = await requestWithRetries(answered ? conn : once, url, where, { check: (a) => listDoc(a, 'v1') });
        } catch (e) {
          if (pages === 0 && isRouteMissing(e)) {
            api = 'v2';
            answered = true;
            break;
          }
          throw await explained(e, conn, pages ? where : '');
        }
        answered = true;
        if (api === 'auto') {
          api = 'v1';
          label = `${host}/v1/apps/${app}/calls`;
          if (fn) throw new Error(`Function ${fn}: this server has the v1 API, which lists calls per app (and path), not per function. Clear the Function field.`);
        }
        const answer = await addPage(page.text);
        // Load newer: the listing is newest first, so it is read until the newest call already loaded.
        const seen = newerThan ? page.ids.findIndex((id) => id !== null && id <= newerThan) : -1;
        const n = seen >= 0 ? seen : page.ids.length;
        const take = Math.min(n, max - records);
        for (let k = 0; k < take; k++) order.push(answer.page, k);
        records += take;
        onPage?.({ pages, records });
        const next = page.nextCursor;
        if (seen >= 0) break;
        if (records >= max) {
          more = take < n || next !== '';
          if (more) stops.push(`Stopped at the limit of ${max.toLocaleString('en-US')} calls; the server has more.`);
          break;
        }
        if (!next) break;
        if (n === 0) {
          stops.push(`Page ${pages} was empty but still named a next page (next_cursor ${next}): stopped there rather than ask for more empty pages.`);
          more = true;
          break;
        }
        if (next === cursor || (cursor && !(next < cursor))) {
          stops.push(`The server's next_cursor ${next} (page ${pages}) ${next === cursor ? 'repeats the cursor asked for' : 'is not below the cursor asked for'}: stopped rather than loop.`);
          more = true;
          break;
        }
        cursor = next;
      }
    }

    if (api === 'v2') {
      // v2: the app's fns, each listing followed, merged newest first.
      if (sf.path) {
        throw new Error(`Path ${sf.path}: this server has the v2 API, which keeps no path for a call. Clear the Path filter, and name a Function in the dialog instead.`);
      }
      let target;
      try {
        target = await resolveV2Fns(answered ? conn : once, app, fn || undefined);
      } catch (e) {
        throw await explained(e, conn, '');
      }
      fns = target.fns;
      label = `${host}/v2 · ${app}${fn ? ` · fn ${fn}` : ` · ${fns.length} fn${fns.length === 1 ? '' : 's'}`}`;
      const start = sf.cursor || '';
      async function* fnPages(f) {
        let at = start;
        for (;;) {
          const url = v2ListUrl(conn, f.id, { cursor: at || undefined, per_page: PAGE_SIZE, from_time: sf.from_time, to_time: sf.to_time });
          const where = `fn ${f.name}, page${at ? ` after ${at}` : ' 1'}`;
          let page;
          try {
            page = await requestWithRetries(conn, url, where, { check: (a) => listDoc(a, 'v2') });
          } catch (e) {
            throw await explained(e, conn, where);
          }
          const answer = await addPage(page.text);
          // A record without a readable id stays beside its neighbour in the merge.
          let key = at || '\uffff';
          yield page.ids.map((id, k) => ({ id: (key = id ?? key), page: answer.page, k }));
          const raw = page.nextCursor;
          if (!raw) return;
          const next = fromBase64Url(raw);
          if (next === null) {
            stops.push(`fn ${f.name}: the server's next_cursor '${short(raw)}' is not base64url: its listing stopped there.`);
            more = true;
            return;
          }
          if (!page.ids.length) {
            stops.push(`fn ${f.name}: an empty page still named a next page (cursor ${next}): its listing stopped there.`);
            more = true;
            return;
          }
          if (at && !(next < at)) {
            stops.push(`fn ${f.name}: the server's next_cursor ${next} ${next === at ? 'repeats the cursor asked for' : 'is not below the cursor asked for'}: its listing stopped there rather than loop.`);
            more = true;
            return;
          }
          at = next;
        }
      }
      order = [];
      const merged = mergeNewestFirst(fns.map(fnPages));
      for await (const item of merged) {
        if (newerThan && item.id <= newerThan) break;
        if (records >= max) {
          more = true;
          stops.push(`Stopped at the limit of ${max.toLocaleString('en-US')} calls; the server has more.`);
          break;
        }
        order.push(item.page, item.k);
        records += 1;
        if (records % 100 === 0) onPage?.({ pages, records });
      }
      onPage?.({ pages, records });
    }
  } catch (e) {
    if (pages > 0 && !newerThan) {
      e.partial = await engine.finishPages(label, order, onProgress);
      e.server = { api, base: conn.base, app, fn, fns, conn };
    }
    throw e;
  }
  if (newerThan && records === 0) return { result: null, pages, api, stops, more, server: { api, base: conn.base, app, fn, fns, conn } };
  const result = await engine.finishPages(label, order, onProgress, { keepCurrent: !!newerThan });
  return { result, pages, api, stops, more, server: { api, base: conn.base, app, fn, fns, conn } };
}

/**
 * One call's log from the server it was loaded from: v1 `/v1/apps/{app}/calls/{id}/log`, v2
 * `/v2/fns/{fn_id}/calls/{id}/log` (the fn of the call's own `fn_id`). Returns `{ text, url }`; throws an Error
 * whose message says what happened (no log kept, network or CORS, a server without calls).
 */
export async function readCallLog(server, call) {
  const { conn } = server;
  let target;
  if (server.api === 'v1') target = { api: 'v1', app: call.app_name || server.app };
  else if (call.fn_id) target = { api: 'v2', fnId: call.fn_id };
  else throw new Error('This call has no fn_id, so its log cannot be asked for (a v2 server keeps logs per fn).');
  const url = logUrl(conn, target, call.id);
  let answer;
  try {
    answer = await requestWithRetries(conn, url, `log of ${call.id}`);
  } catch (e) {
    if (e instanceof FnServerError && e.kind === 'not-found') {
      const err = new Error(/Call log not found/.test(e.message) ? `Call log not found: the server keeps no log for call ${call.id}.` : `${e.message}\n(${url})`);
      err.kind = 'not-found';
      throw err;
    }
    throw await explained(e, conn, '');
  }
  if (!/json/i.test(answer.contentType)) return { text: answer.text, url }; // the raw text form
  const doc = jsonOf(answer);
  const log = doc?.log && typeof doc.log === 'object' ? doc.log : doc; // v1 {"message","log":{…}}, v2 {call_id, log}
  if (!log || typeof log.log !== 'string') throw new Error(`The answer is not a call log (no "log" text).\n(${url})`);
  return { text: log.log, url };
}
