// Talking to an Fn server's call API, for the `fn-calls` command and for web pages: which API a server has (v1 until
// 0.3.562, v2 from 0.3.563 to 0.3.688, none since 0.3.689), where its apps, fns, calls and logs are, one request with
// retries, paging through one listing, and merging the listings of several fns newest first. See docs/servers.md.
//
// No dependency and no Node-only API: it runs in Node 20+ and in browsers. The caller passes the fn-calls package
// (`pkg`) for the URLs it writes (listCallsUrl, filterToQuery), and reads the page bodies itself.

/** Why a request or a listing failed. `transient` failures are worth another try. */
export class FnServerError extends Error {
  constructor(message, { kind = 'http', status = 0, transient = false, retryAfterMs = null, url = '' } = {}) {
    super(message);
    this.name = 'FnServerError';
    /** 'network' | 'timeout' | 'http' | 'protocol' | 'not-found' | 'gone' | 'no-api' */
    this.kind = kind;
    this.status = status;
    this.transient = transient;
    this.retryAfterMs = retryAfterMs;
    this.url = url;
  }
}

/** What a server since 0.3.689 answers for its call routes (410 Gone), explained. */
export const GONE_EXPLANATION =
  'this Fn server keeps no calls: the call API was removed in release 0.3.689 (April 2019), and its call routes ' +
  'answer 410 Gone. Calls can still be exported from a current server with a CallListener extension (one JSON ' +
  'object per line), and that file read here.';

/** HTTP statuses worth another try: timeouts, throttling, and server errors that may pass. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A connection's settings. `base` is the server's address (a trailing `/v1` or `/v2` is allowed and ignored for
 * building other routes). `onRetry(message)` hears about each retry.
 */
export function connection(base, {
  pkg, fetch = globalThis.fetch, headers = {}, timeoutMs = 30000, retries = 0, retryDelayMs = 500, onRetry = () => {},
  maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES, followRedirects = false,
} = {}) {
  if (!pkg || typeof pkg.listCallsUrl !== 'function') throw new TypeError('connection: pass the fn-calls package as { pkg }');
  const root = String(base).replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return { base: String(base), root, pkg, fetch, headers, timeoutMs, retries, retryDelayMs, onRetry, maxAnswerBytes, followRedirects };
}

/**
 * The largest answer read, after decompression: a full v1/v2 page of 100 calls with 240 stats samples each is about
 * 6 MB, so 64 MiB leaves room and still stops a hostile or broken server from filling memory.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
// In Node, redirects are followed by hand so that one to another origin can be refused; browsers follow them
// themselves under CORS rules (and hide where a redirect leads).
const IN_NODE = typeof process !== 'undefined' && Boolean(process.versions?.node);

/** The body, read as a stream and stopped past `max` bytes. */
async function readLimited(res, max, url) {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new FnServerError(`the answer is larger than ${max} bytes; stopped reading it (a larger limit: --max-answer-mb)`, {
        kind: 'protocol', url,
      });
    }
    parts.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return body;
}

/** The server's own message from `{"error":{"message"}}` (v1) or `{"message"}` (v2), or the start of the body. */
export function serverMessage(text) {
  try {
    const doc = JSON.parse(text);
    const msg = doc?.error?.message ?? doc?.message;
    if (typeof msg === 'string') return msg;
  } catch {
    // not JSON
  }
  const t = String(text).trim().replace(/\s+/g, ' ');
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

function retryAfter(res) {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const secs = /^\d+$/.test(h.trim()) ? Number(h) : (Date.parse(h) - Date.now()) / 1000;
  return Number.isFinite(secs) ? Math.min(Math.max(0, secs * 1000), MAX_RETRY_AFTER_MS) : null;
}

/** One attempt: `{ status, body (Uint8Array), text, contentType }` for a 2xx answer; an FnServerError otherwise. */
export async function request(conn, url, { accept = 'application/json' } = {}) {
  let res;
  let body;
  try {
    const signal = AbortSignal.timeout(conn.timeoutMs);
    let at = url;
    let headers = { accept, ...conn.headers };
    for (let hops = 0; ; hops++) {
      res = await conn.fetch(at, { headers, signal, redirect: IN_NODE ? 'manual' : 'follow' });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) break;
      await res.body?.cancel().catch(() => {});
      const next = new URL(location, at);
      if (hops >= MAX_REDIRECTS) throw new FnServerError(`more than ${MAX_REDIRECTS} redirects`, { kind: 'protocol', url });
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new FnServerError(`redirected to ${next.protocol} URL; not followed`, { kind: 'protocol', url });
      }
      if (next.origin !== new URL(at).origin) {
        if (!conn.followRedirects) {
          throw new FnServerError(`redirected to another origin (${next.origin}); not followed (--follow-redirects allows it)`, { kind: 'protocol', url });
        }
        headers = { accept }; // no header of the caller's (tokens, keys) crosses to another origin
      }
      at = next.href;
    }
    body = await readLimited(res, conn.maxAnswerBytes, url);
  } catch (e) {
    if (e instanceof FnServerError) throw e;
    if (e?.name === 'TimeoutError') {
      throw new FnServerError(`no answer within ${conn.timeoutMs / 1000} s`, { kind: 'timeout', transient: true, url });
    }
    const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message;
    throw new FnServerError(`cannot connect: ${cause}`, { kind: 'network', transient: true, url });
  }
  const text = new TextDecoder().decode(body);
  if (!res.ok) {
    const msg = serverMessage(text);
    const kind = res.status === 410 ? 'gone' : res.status === 404 ? 'not-found' : 'http';
    throw new FnServerError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${msg ? `: ${msg}` : ''}`, {
      kind,
      status: res.status,
      transient: TRANSIENT.has(res.status),
      retryAfterMs: retryAfter(res),
      url,
    });
  }
  return { status: res.status, body, text, contentType: res.headers.get('content-type') ?? '' };
}

/**
 * `request` with the connection's retries for transient failures; `what` names the request in messages.
 * `options.check(answer)` may throw a transient FnServerError to have a bad answer (a body cut short) read again.
 */
export async function requestWithRetries(conn, url, what, options = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await request(conn, url, options);
      return options.check ? options.check(answer) : answer;
    } catch (e) {
      if (!(e instanceof FnServerError) || !e.transient || attempt > conn.retries) {
        if (e instanceof FnServerError && attempt > 1) e.message += ` (after ${attempt} attempts)`;
        throw e;
      }
      const wait = e.retryAfterMs ?? conn.retryDelayMs * 2 ** (attempt - 1);
      conn.onRetry(`${what}: ${e.message}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${conn.retries + 1})`);
      await sleep(wait);
    }
  }
}

/**
 * JSON of a 2xx answer. JSON cut short (it starts as an object or array) is a transient error, worth reading again;
 * anything else that is not JSON (an HTML page, a proxy's text) is a protocol error: retrying will not help.
 */
export function jsonOf(answer) {
  try {
    return JSON.parse(answer.text);
  } catch {
    const head = answer.text.trimStart()[0];
    if (head === '{' || head === '[') {
      throw new FnServerError(`the answer is not JSON (${answer.body.length} bytes)`, { kind: 'protocol', transient: true });
    }
    throw new FnServerError(`the answer is not JSON but ${describe(answer)}: is the URL the Fn API server?`, { kind: 'protocol' });
  }
}

function describe(answer) {
  const type = answer.contentType.split(';')[0].trim();
  return `${type || 'an untyped body'} (${answer.body.length} bytes)`;
}

/**
 * A 404 that means "no such route" (this server has another API), as opposed to a 404 about the app, fn or call
 * asked for (`App not found`, `Fn not found`, `Call not found`, …).
 */
export function isRouteMissing(e) {
  if (!(e instanceof FnServerError) || (e.status !== 404 && e.status !== 405)) return false;
  return !/\b(App|Fn|Call|Call log|Route) not found\b/.test(e.message);
}

// ---- base64url, as v2 cursors are written (no padding) -------------------------------------------------------

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

// ---- routes ----------------------------------------------------------------------------------------------------

const seg = encodeURIComponent;

/** The v1 listing of an app, as the package writes it. */
export function v1ListUrl(conn, app, filter) {
  return conn.pkg.listCallsUrl(conn.root, app, filter);
}

/** The v2 listing of one fn, as the package writes it: cursor (a raw call id here) written base64url, per_page and
 * the time bounds. */
export function v2ListUrl(conn, fnId, { cursor, per_page, from_time, to_time } = {}) {
  const filter = {
    ...(cursor ? { cursor: toBase64Url(cursor) } : {}),
    ...(per_page !== undefined ? { per_page } : {}),
    ...(from_time !== undefined ? { from_time } : {}),
    ...(to_time !== undefined ? { to_time } : {}),
  };
  return conn.pkg.listCallsUrl(conn.root, fnId, filter, { api: 'v2' });
}

export function callUrl(conn, target, id) {
  return target.api === 'v1'
    ? `${conn.root}/v1/apps/${seg(target.app)}/calls/${seg(id)}`
    : `${conn.root}/v2/fns/${seg(target.fnId)}/calls/${seg(id)}`;
}

export function logUrl(conn, target, id) {
  return `${callUrl(conn, target, id)}/log`;
}

/** Every item of a v2 collection (`/v2/apps`, `/v2/fns`), following its `next_cursor`. */
async function v2Collection(conn, path, params, what) {
  const items = [];
  let cursor = '';
  for (let n = 0; n < 1000; n++) {
    const q = new URLSearchParams({ ...params, per_page: '100', ...(cursor ? { cursor } : {}) });
    const url = `${conn.root}${path}?${q}`;
    const doc = await requestWithRetries(conn, url, what, { check: jsonOf });
    if (!doc || !Array.isArray(doc.items)) {
      throw new FnServerError(`${url} did not answer a v2 list ({"items":[…]})`, { kind: 'protocol', url });
    }
    items.push(...doc.items);
    const next = typeof doc.next_cursor === 'string' ? doc.next_cursor : '';
    if (!next || next === cursor) return items;
    cursor = next;
  }
  throw new FnServerError(`${path}: more than 1000 pages; stopping`, { kind: 'protocol' });
}

/**
 * The fns of an app on a v2 server, by the app's name (and one fn's name, when given), as `{ appId, fns:
 * [{ id, name }] }`. Throws a 'not-found' FnServerError naming what is missing, and a 'no-api' one when the server
 * has no v2 API either.
 */
export async function resolveV2Fns(conn, app, fnName) {
  let apps;
  try {
    apps = await v2Collection(conn, '/v2/apps', { name: app }, 'listing apps');
  } catch (e) {
    if (isRouteMissing(e)) {
      throw new FnServerError(
        `${conn.root} has no Fn call API: neither /v1/apps/${app}/calls nor /v2/apps answered (${e.message}). Is the URL the Fn API server?`,
        { kind: 'no-api', status: e.status },
      );
    }
    throw e;
  }
  const found = apps.find((a) => a && a.name === app);
  if (!found) throw new FnServerError(`app '${app}' not found on ${conn.root} (v2 API)`, { kind: 'not-found', status: 404 });
  const fns = (await v2Collection(conn, '/v2/fns', { app_id: found.id, ...(fnName ? { name: fnName } : {}) }, `listing the fns of ${app}`))
    .filter((f) => f && typeof f.id === 'string' && (!fnName || f.name === fnName))
    .map((f) => ({ id: f.id, name: String(f.name ?? '') }));
  if (fnName && !fns.length) throw new FnServerError(`fn '${fnName}' not found in app '${app}' on ${conn.root}`, { kind: 'not-found', status: 404 });
  return { appId: found.id, fns };
}

/** The server's version from `GET /version`, or '' when it does not say. */
export async function serverVersion(conn) {
  try {
    const doc = JSON.parse((await request(conn, `${conn.root}/version`)).text);
    return typeof doc?.version === 'string' ? doc.version : '';
  } catch {
    return '';
  }
}

/** A 'gone' error with the explanation, naming the server's version when it tells it. */
export async function goneError(conn) {
  const version = await serverVersion(conn);
  return new FnServerError(`${conn.root}${version ? ` (Fn ${version})` : ''}: ${GONE_EXPLANATION}`, { kind: 'gone', status: 410 });
}

/**
 * Merges sources that each yield arrays of `{ id, … }` newest (largest id) first into one sequence, largest id
 * first; ties keep source order. Each source is an async iterator; only one array per source is held at a time.
 */
export async function* mergeNewestFirst(sources) {
  const heads = [];
  for (const it of sources) heads.push({ it, buf: [], at: 0, done: false });
  const fill = async (h) => {
    while (!h.done && h.at >= h.buf.length) {
      const r = await h.it.next();
      if (r.done) h.done = true;
      else {
        h.buf = r.value;
        h.at = 0;
      }
    }
  };
  for (const h of heads) await fill(h);
  for (;;) {
    let best = null;
    for (const h of heads) {
      if (h.at >= h.buf.length) continue;
      if (best === null || h.buf[h.at].id > best.buf[best.at].id) best = h;
    }
    if (best === null) return;
    yield best.buf[best.at];
    best.at += 1;
    if (best.at >= best.buf.length) await fill(best);
  }
}
