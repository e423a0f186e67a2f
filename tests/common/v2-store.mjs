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
