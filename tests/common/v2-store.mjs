// The v2 store the stand-in Fn servers of the tests share (the command's tests and the dashboard's): calls grouped
// into apps and fns (a fn per path, named after it), with the ids and the record a 0.3.688 server writes for each.

/** `calls` (objects as `parseCalls` gives them) as a v2 store: `{ apps, fns, fnOf, item }`. */
export function v2Store(fc, calls) {
  const apps = new Map();
  const fns = new Map();
  const fnOf = (c) => `${c.app_name}/${c.path.slice(1).replace(/\//g, '_')}`;
  for (const c of calls) {
    if (!apps.has(c.app_name)) apps.set(c.app_name, `A${String(apps.size).padStart(25, '0')}`);
    if (!fns.has(fnOf(c))) fns.set(fnOf(c), { id: `F${String(fns.size).padStart(25, '0')}`, app: c.app_name, name: fnOf(c).split('/')[1] });
  }
  /** The call as the v2 server writes it: app and fn ids, no app name. */
  const item = (c) => {
    const o = {
      id: c.id, status: c.status, completed_at: c.completed_at, created_at: c.created_at, started_at: c.started_at, stats: c.stats,
      error: c.error, app_id: apps.get(c.app_name), app_name: '', trigger_id: '', fn_id: fns.get(fnOf(c)).id,
    };
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return fc.stringifyCall(o);
  };
  return { apps, fns, fnOf, item };
}

/** base64url of a text: the v2 API's cursor for an id. */
export const b64url = (text) => Buffer.from(text).toString('base64url');

/**
 * What a 0.3.688 server (or, with `gone`, one since 0.3.689, whose call routes answer 410 with an empty body) answers
 * to GET `url` from the v2 `store` of `calls`: `{ status, body, type }`. `logs` maps call ids to their log text;
 * `accept` is the request's Accept header (`text/plain` gets the log bare). Listings page with `cursor` (base64url of
 * an id: anything else is the server's 500), `per_page`, `from_time` and `to_time`.
 */
export function v2Answer(fc, store, calls, url, { gone = false, logs = {}, accept } = {}) {
  const { apps, fns, fnOf, item } = store;
  const json = (status, body) => ({ status, body, type: 'application/json; charset=utf-8' });
  if (url.pathname === '/version') return json(200, `{"version":"${gone ? '0.3.753' : '0.3.688'}"}`);
  if (url.pathname.startsWith('/v1/')) return json(404, `{"message":"Path not found: GET ${url.pathname}"}\n`);
  if (url.pathname === '/v2/apps') {
    const name = url.searchParams.get('name');
    const items = [...apps].filter(([n]) => !name || n === name).map(([n, id]) => ({ id, name: n }));
    return json(200, JSON.stringify({ items }));
  }
  if (url.pathname === '/v2/fns') {
    const appId = url.searchParams.get('app_id');
    const items = [...fns.values()].filter((f) => apps.get(f.app) === appId).map((f) => ({ id: f.id, name: f.name, app_id: appId }));
    return json(200, JSON.stringify({ items }));
  }
  const m = /^\/v2\/fns\/([^/]+)\/calls(?:\/([^/]+)(\/log)?)?$/.exec(url.pathname);
  if (!m) return json(404, `{"message":"Path not found: GET ${url.pathname}"}\n`);
  if (gone) return { status: 410, body: '', type: 'text/plain' };
  const fn = [...fns.entries()].find(([, f]) => f.id === m[1]);
  if (!fn) return json(404, '{"message":"Fn not found"}\n');
  const mine = calls.filter((c) => fnOf(c) === fn[0]);
  if (m[2]) {
    const c = mine.find((x) => x.id === m[2]);
    if (!c) return json(404, '{"message":"Call not found"}\n');
    if (!m[3]) return json(200, item(c));
    if (!(c.id in logs)) return json(404, '{"message":"Call log not found"}\n');
    if (accept === 'text/plain') return { status: 200, body: logs[c.id], type: 'text/plain; charset=utf-8' };
    return json(200, JSON.stringify({ call_id: c.id, log: logs[c.id] }));
  }
  const raw = url.searchParams.get('cursor') ?? '';
  const cursor = Buffer.from(raw, 'base64url').toString();
  if (raw && b64url(cursor) !== raw) return json(500, '{"message":"internal server error"}\nnull');
  const filter = { cursor, per_page: Number(url.searchParams.get('per_page') ?? 30) };
  for (const k of ['from_time', 'to_time']) if (url.searchParams.has(k)) filter[k] = Number(url.searchParams.get(k));
  const page = fc.filterCalls(mine, filter);
  const next = page.next_cursor ? `"next_cursor":"${b64url(page.next_cursor)}",` : '';
  return json(200, `{${next}"items":[${page.calls.map(item).join(',')}]}`);
}
