// Where calls come from: the bundled sample, a dropped or chosen file, pasted text, or a live Fn server's listing
// (GET /v1/apps/{app}/calls, following next_cursor). Parsing happens in the engine's worker; this file fetches.

import { fc } from './fncalls.js';

/** The server's own listing fields of the filter; the extensions are applied in the page once calls are loaded. */
function serverFilter(filter) {
  const out = {};
  for (const k of ['path', 'from_time', 'to_time', 'cursor']) if (filter[k] !== '' && filter[k] !== undefined) out[k] = k.endsWith('_time') ? Number(filter[k]) : filter[k];
  out.per_page = 100; // the server's largest page: fewest round trips
  return out;
}

/** The URL of the first page, as the package writes it (throws a CallFilterError for a bad filter or no app). */
export function serverUrl(base, app, filter, cursor) {
  const f = serverFilter(filter);
  if (cursor) f.cursor = cursor;
  return fc.listCallsUrl(base, app, f);
}

/**
 * A request failed before any answer could be read: find out whether nothing answered, or the server answered
 * but its answer may not be read from this origin (CORS). A no-cors request succeeds in the second case only.
 */
async function explainNetworkFailure(url) {
  const origin = new URL(url).origin;
  let answered = false;
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store' });
    answered = true;
  } catch {
    answered = false;
  }
  if (answered) {
    return (
      `${origin} answered, but refuses to share its answer with this page (CORS).\n` +
      `Allow this page's origin on the server: start Fn with FN_API_CORS_ORIGINS=${location.origin} ` +
      `(servers before May 2018: FN_API_CORS), or put both behind one origin with a proxy.`
    );
  }
  return `Could not reach ${origin}: nothing answered.\nIs the Fn server running, and is the URL right (for example http://localhost:8080)?`;
}

/** The server's own error message from `{"error":{"message":"…"}}`, when the body has one. */
function serverMessage(text) {
  try {
    const body = JSON.parse(text);
    return body?.error?.message || null;
  } catch {
    return null;
  }
}

/**
 * Loads pages from a live Fn server into the engine until `next_cursor` is empty or `max` calls are in.
 * `onPage({page, records})` reports progress. Returns the engine's load result and how many pages were read;
 * after a failure past the first page, what did arrive is loaded and the error is rethrown with `partial` set.
 */
export async function loadFromServer(engine, { base, app, filter, max = 5000, onPage, onProgress }) {
  let cursor = filter.cursor || '';
  let page = 0;
  let records = 0;
  let label = `${app} on ${base}`;
  let nextCursor = '';
  try {
    for (;;) {
      const url = serverUrl(base, app, filter, cursor);
      label = `${new URL(url).host}/v1/apps/${app}/calls`;
      let res;
      try {
        res = await fetch(url, { headers: { Accept: 'application/json' } });
      } catch {
        throw new Error(await explainNetworkFailure(url));
      }
      const text = await res.text();
      if (!res.ok) {
        const msg = serverMessage(text);
        throw new Error(`${new URL(url).origin} answered HTTP ${res.status}${msg ? `: ${msg}` : ''}\n(${url})`);
      }
      const answer = await engine.addPage(text, page === 0);
      page++;
      records += answer.records;
      nextCursor = answer.next_cursor;
      onPage?.({ page, records });
      if (!nextCursor || records >= max || nextCursor === cursor) break;
      cursor = nextCursor;
    }
  } catch (e) {
    if (page > 0) {
      e.partial = await engine.finishPages(label, onProgress);
    }
    throw e;
  }
  const result = await engine.finishPages(label, onProgress);
  return { result, pages: page, next_cursor: nextCursor };
}
