// The dashboard: wires the data engine, filter panel, charts, table, detail drawer and validator together.

import './style.css';
import { $, $$, h, replace, fmtInt, fmtDuration, fmtBytes, fmtPercent, fmtTime, fmtSpan, setZone, getZone, zoneLabel, toRfc3339, preview } from './dom.js';
import { ready, fc } from './fncalls.js';
import { Engine } from './engine.js';
import { loadFromServer, serverPlan, checkServerUrl, ServerUrlError, diagnoseNetworkFailure, readCallLog } from './data.js';
import { createFilterPanel, filterFromQuery, filterIssues, writeUrl, isEmpty, toCallFilter, withoutStatus, rangeWindow, coreHas, RANGES, EMPTY_FILTER } from './filters.js';
import { createTable, COLUMNS } from './table.js';
import { createDetail } from './detail.js';
import { createValidator } from './validator.js';

await ready;

/** ECharts and the charts come after the first view (a separate chunk): the first load stays small. */
const chartsModule = import('./charts.js');

/** "shop /checkout" when one app has the path, else the path alone. */
const pathLabel = (g) => (g.apps?.length === 1 ? `${g.apps[0]} ${g.key}` : g.key || '(no path)');
const stored = (key, fallback) => {
  try {
    return JSON.parse(localStorage.getItem(`fn-calls.${key}`)) ?? fallback;
  } catch {
    return fallback;
  }
};
const store = (key, value) => {
  try {
    localStorage.setItem(`fn-calls.${key}`, JSON.stringify(value));
  } catch {
    // private mode: the choice lasts for this page only
  }
};

const engine = new Engine();
const state = {
  rows: [],
  issues: [],
  refused: 0,
  filter: { ...EMPTY_FILTER, status: [] },
  sort: { key: 'id', dir: 'desc' },
  positions: new Int32Array(0),
  nextCursor: '',
  source: null, // {kind, label, server?, app?, fn?, info? (the server's API and connection, for logs)}
  /** A link's server, shown in the dialog and kept in the URL until the person loads from it or cancels. */
  linkServer: null,
  openId: null,
  tab: 'calls',
  groupBy: 'path',
  /** Time windows zoomed in from, the last one on top: Zoom out goes back to it. */
  zoomStack: [],
  /** The newest loaded call's created_at (ms): what relative ranges count back from. */
  newestMs: NaN,
  newestId: '',
  summary: null,
  errorGroups: null,
};

// ---- page chrome: progress, banner, source -----------------------------------------------------------------

const progress = {
  el: $('#progress'),
  bar: $('#progress-bar'),
  label: $('#progress-label'),
  show({ phase, loaded, total, text }) {
    this.el.hidden = false;
    const known = total > 0 && (phase === 'read' || phase === 'rows');
    this.bar.classList.toggle('indeterminate', !known);
    this.bar.style.width = known ? `${Math.min(100, (loaded / total) * 100).toFixed(1)}%` : '';
    this.label.textContent =
      text ||
      (phase === 'read'
        ? `Reading ${fmtBytes(loaded)}${total ? ` of ${fmtBytes(total)}` : ''}…`
        : phase === 'index'
          ? `Reading and checking every call in ${fmtBytes(total)}…`
          : `Preparing the table: ${fmtInt(loaded)} of ${fmtInt(total)} calls`);
  },
  hide() {
    this.el.hidden = true;
  },
};

/** A message over the page; `action` ({label, run}) adds one button to it. */
let bannerAction = null;
function banner(message, kind = 'error', action = null) {
  const el = $('#banner');
  bannerAction = action;
  const button = $('#banner-action');
  button.hidden = !action;
  button.textContent = action ? action.label : '';
  if (!message) {
    el.hidden = true;
    return;
  }
  el.className = `banner ${kind === 'info' ? 'info' : ''}`;
  $('#banner-text').textContent = message;
  el.hidden = false;
}
$('#banner-close').addEventListener('click', () => banner(null));
$('#banner-action').addEventListener('click', () => bannerAction?.run());

function showSource(result) {
  const el = $('#source');
  replace(
    el,
    h('strong', { text: result.label }),
    ` · ${fmtInt(result.totalCalls)} calls`,
    state.refused ? ` · ${fmtInt(state.refused)} invalid` : '',
    ` · ${result.format} ${fmtBytes(result.bytes)}`,
  );
  el.title = result.label;
}

// ---- components ----------------------------------------------------------------------------------------------

const panel = createFilterPanel($('#filters'), {
  onChange(filter) {
    state.filter = filter;
    refresh();
  },
  onZoomOut: () => zoomOut(),
});

const table = createTable($('#calls-table'), {
  onOpen: (pos) => openCall(pos),
  onSort(sort) {
    state.sort = sort;
    refresh();
  },
});
table.setColumns(stored('columns', COLUMNS.filter((c) => c.on).map((c) => c.key)));

let charts = null;
chartsModule.then((m) => {
  charts = m.createSummaryCharts(
    { time: $('#chart-time'), duration: $('#chart-duration'), groups: $('#chart-paths'), heatmap: $('#chart-heat'), timeHint: $('#time-hint'), durationHint: $('#duration-hint') },
    {
      onBucket: (bucket) => zoomTo(bucket),
      onZoom: (win) => zoomTo(win),
      onDuration({ min, max }) {
        setFilter({ ...state.filter, min_duration_ms: String(Math.floor(min)), max_duration_ms: max === null ? '' : String(Math.ceil(max)) });
      },
      onGroup: (group) => filterOnGroup(group),
    },
  );
  if (state.summary) drawCharts();
});

/** Where the focus was before the drawer opened: it goes back there (or to the call's row) when it closes. */
let focusBefore = null;
function openCall(pos) {
  if ($('#detail').hidden) focusBefore = document.activeElement;
  detail.openCall(pos);
}

const detail = createDetail($('#detail'), $('#drawer-backdrop'), {
  engine,
  logs: {
    /** The server the calls came from (its API and connection), or null for a file, paste or the sample. */
    server: () => (state.source?.kind === 'server' ? state.source.info ?? null : null),
    source: () => state.source?.label ?? '',
    read: readCallLog,
  },
  neighbour: (pos, step) => table.neighbour(pos, step),
  onOpen(id) {
    state.openId = id;
    syncUrl();
  },
  onClose(pos) {
    state.openId = null;
    syncUrl();
    const back = focusBefore;
    focusBefore = null;
    if (pos !== null && table.focusPos(pos)) return;
    if (back && back.isConnected) back.focus({ preventScroll: true });
  },
  onLike(call, group) {
    detail.close();
    state.zoomStack = [];
    setFilter({ ...EMPTY_FILTER, status: [], app_name: call.app_name, path: call.path, error_group: group && coreHas('error_group') ? group : '' });
  },
});

let validator = null;

const GROUP_NAMES = { path: 'path', app_name: 'app', image: 'image', type: 'type', status: 'status', error_group: 'error group' };

/** Filters on one group of the group summary. */
function filterOnGroup(group) {
  const f = { ...state.filter };
  const key = group.key;
  switch (state.groupBy) {
    case 'app_name':
      f.app_name = key;
      break;
    case 'image':
      f.image = key;
      break;
    case 'type':
      f.type = key;
      break;
    case 'status':
      f.status = [key];
      break;
    case 'error_group':
      f.error_group = key;
      break;
    default:
      f.path = key;
      if (group.apps?.length === 1) f.app_name = group.apps[0];
  }
  setFilter(f);
}

const groupLabel = (g) => (state.groupBy === 'path' ? pathLabel(g) : g.key === '' ? '(none)' : g.key);

function setFilter(filter) {
  state.filter = filter;
  panel.set(filter);
  refresh();
}

function syncUrl() {
  const server = state.linkServer ?? state.source;
  writeUrl(state.filter, {
    fn_server: server?.server,
    fn_app: server?.app,
    fn_fn: server?.fn,
    call: state.openId,
    tab: state.tab === 'validator' ? 'validator' : '',
    tz: getZone() === 'local' ? 'local' : '',
    group_by: state.groupBy === 'path' ? '' : state.groupBy,
  });
}

// ---- time: zoom, zoom out, relative ranges, the zone ---------------------------------------------------------

/** The filter's time fields: what a zoom replaces and Zoom out restores. */
const TIME_KEYS = ['range', 'anchor', 'created_since', 'created_before', 'from_time', 'to_time'];
const timeOf = (f) => Object.fromEntries(TIME_KEYS.map((k) => [k, f[k]]));

/** The time window in force: a relative range resolved, or created since / before; null when unbounded. */
function currentWindow(f = state.filter) {
  const win = rangeWindow(f, rangeContext());
  if (win) return win;
  const start = Date.parse(f.created_since);
  const end = Date.parse(f.created_before);
  if (!Number.isFinite(start) && !Number.isFinite(end)) return null;
  return { start, end };
}

const rangeContext = () => ({ newestMs: state.newestMs, live: state.source?.kind === 'server' });

/** Zooms in to [start, end) (a drag across the time chart, or a click on one bar). */
function zoomTo({ start, end }) {
  state.zoomStack.push(timeOf(state.filter));
  setFilter({ ...state.filter, range: '', anchor: '', created_since: toRfc3339(start), created_before: toRfc3339(end) });
}

/** Back to the window zoomed in from; with none, twice as wide around the same middle (a range: the next one). */
function zoomOut() {
  const f = state.filter;
  if (state.zoomStack.length) {
    setFilter({ ...f, ...state.zoomStack.pop() });
    return;
  }
  if (f.range) {
    const i = RANGES.findIndex(([k]) => k === f.range);
    setFilter({ ...f, range: RANGES[i + 1]?.[0] ?? '' });
    return;
  }
  const win = currentWindow();
  if (!win) return;
  if (!Number.isFinite(win.start) || !Number.isFinite(win.end)) {
    setFilter({ ...f, created_since: '', created_before: '' });
    return;
  }
  const half = win.end - win.start;
  setFilter({ ...f, created_since: toRfc3339(win.start - half / 2), created_before: toRfc3339(win.end + half / 2) });
}

function applyZone(zone) {
  setZone(zone);
  $('#tz-utc').setAttribute('aria-pressed', String(zone !== 'local'));
  $('#tz-local').setAttribute('aria-pressed', String(zone === 'local'));
  $('#tz-local').title = `Your browser's zone (${(() => {
    setZone('local');
    const l = zoneLabel();
    setZone(zone);
    return l;
  })()})`;
  store('zone', zone);
  syncUrl();
  if (state.summary) redraw();
}
$('#tz-utc').addEventListener('click', () => applyZone('utc'));
$('#tz-local').addEventListener('click', () => applyZone('local'));

// ---- loading -------------------------------------------------------------------------------------------------

/** What was loaded before the last load, for Undo. */
let undoMeta = null;

async function load(source, meta) {
  banner(null);
  detail.close();
  stopAutoRefresh();
  if (meta.kind !== 'none') state.linkServer = null; // the person chose other calls than the link's
  progress.show({ text: `Loading ${meta.label}…` });
  const before = state.rows.length ? { meta: state.source, calls: state.rows.length } : null;
  try {
    const result = await engine.load(source, { onProgress: (p) => progress.show(p) });
    if (result.kept) {
      refusedAll(result, meta, source);
      return;
    }
    await loaded(result, meta);
    offerUndo(before, result, meta);
  } catch (e) {
    banner(`Could not load ${meta.label}: ${e.message}`);
  } finally {
    progress.hide();
  }
}

/** None of the records of a new input reads as a call: what was loaded stays, and the page says why. */
function refusedAll(result, meta, source) {
  const first = result.issues[0];
  const why = first ? ` The first: record #${(first.index ?? 0) + 1}${first.line ? ` (line ${first.line})` : ''}, ${first.code}: ${first.message}` : '';
  banner(
    `Nothing was loaded from ${meta.label}: none of its ${fmtInt(result.refused)} record${result.refused === 1 ? '' : 's'} reads as a call, so ${state.source?.label ?? 'what was loaded'} (${fmtInt(state.rows.length)} calls) is kept.${why}`,
    'error',
    source.kind === 'text'
      ? {
          label: 'Check it in the validator',
          run() {
            selectTab('validator');
            validator.set(result.firstRecord ?? source.text);
          },
        }
      : null,
  );
}

/** After a load that replaced other calls: says so, with Undo. */
function offerUndo(before, result, meta) {
  if (!before || !before.meta || before.meta.kind === 'none') return;
  undoMeta = before.meta;
  const replaced = `Loaded ${meta.label} (${fmtInt(result.totalCalls)} call${result.totalCalls === 1 ? '' : 's'}) in place of ${before.meta.label} (${fmtInt(before.calls)} calls).`;
  banner(replaced, 'info', {
    label: 'Undo',
    async run() {
      const back = undoMeta;
      undoMeta = null;
      banner(null);
      detail.close();
      stopAutoRefresh();
      try {
        const out = await engine.undo();
        await loaded(out, back);
        banner(`Back to ${back.label} (${fmtInt(out.totalCalls)} calls).`, 'info');
      } catch (e) {
        banner(`Could not undo: ${e.message}`);
      }
    },
  });
}

function loaded(result, meta) {
  state.rows = result.rows;
  state.issues = result.issues;
  state.source = meta;
  state.zoomStack = [];

  const refused = new Set(state.issues.filter((i) => i.severity === 'error').map((i) => i.index ?? -1));
  state.refused = refused.size;
  showSource(result);
  const apps = new Set(), paths = new Map(), images = new Set(), methods = new Set();
  let newest = -Infinity, newestId = '';
  for (const r of state.rows) {
    apps.add(r.app);
    paths.set(`${r.app} ${r.path}`, { app: r.app, path: r.path });
    if (r.image) images.add(r.image);
    if (r.method) methods.add(r.method);
    if (r.createdMs > newest) newest = r.createdMs;
    if (r.id > newestId) newestId = r.id;
  }
  state.newestMs = newest;
  state.newestId = newestId;
  panel.setOptions({ apps: [...apps], paths: [...paths.values()], images: [...images].sort(), methods: [...methods].sort() });
  drawIssues();
  $('#live-bar').hidden = meta.kind !== 'server';
  if (!result.totalCalls && !result.issues.length) banner('The input holds no calls.', 'info');
  else if (!result.totalCalls && state.refused) banner(`None of the ${fmtInt(state.refused)} records of ${meta.label} reads as a call: see Validation issues below.`);
  return refresh();
}

/** Reads a live Fn server (data.js), once the person has confirmed it in the dialog. */
async function loadServer({ base, app, fn, max }) {
  banner(null);
  detail.close();
  stopAutoRefresh();
  state.linkServer = null;
  progress.show({ text: `Asking ${base} for the calls of ${app}${fn ? ` (fn ${fn})` : ''}…` });
  const meta = (result, info) => ({ kind: 'server', label: result.label, server: base, app, fn, info, max });
  const before = state.rows.length ? { meta: state.source, calls: state.rows.length } : null;
  try {
    const out = await loadFromServer(engine, {
      base,
      app,
      fn,
      filter: state.filter,
      max,
      onPage: ({ pages, records }) => progress.show({ text: `Read ${pages} page${pages === 1 ? '' : 's'} · ${fmtInt(records)} calls` }),
      onProgress: (p) => progress.show(p),
      onRetry: (message) => progress.show({ text: `${message}…` }),
    });
    // v2 listings leave app_name empty: the server has already chosen the app's fns.
    if (out.api === 'v2' && state.filter.app_name) {
      state.filter = { ...state.filter, app_name: '' };
      panel.set(state.filter);
    }
    if (out.result.kept) {
      refusedAll(out.result, { label: out.result.label }, { kind: 'server' });
      return;
    }
    await loaded(out.result, meta(out.result, out.server));
    const { result, pages, stops } = out;
    const where = `${app}${fn ? ` (fn ${fn})` : ''}`;
    if (!result.totalCalls && !result.issues.length && !stops.length) banner(`${base} has no calls for ${where} that match the server's part of this filter.`, 'info');
    else if (stops.length) {
      const onlyLimit = stops.every((m) => m.startsWith('Stopped at the limit'));
      banner(`Loaded the newest ${fmtInt(result.totalCalls)} calls of ${where} (${pages} page${pages === 1 ? '' : 's'}).\n${stops.join('\n')}`, onlyLimit ? 'info' : 'error');
    } else offerUndo(before, result, meta(result, out.server));
  } catch (e) {
    if (e.partial && !e.partial.kept) await loaded(e.partial, meta(e.partial, e.server)); // what did arrive is shown
    const prefix = e.partial ? `Loaded ${fmtInt(e.partial.totalCalls)} calls, then: ` : '';
    banner(
      prefix + e.message,
      'error',
      e.network && e.url
        ? {
            label: 'Find out why',
            // One no-cors request to the same URL: only now that the person asks for it.
            async run() {
              banner(`Checking whether ${new URL(e.url).origin} answers…`, 'info');
              banner(await diagnoseNetworkFailure(e.url));
            },
          }
        : null,
    );
  } finally {
    progress.hide();
  }
}

// ---- a server's newer calls: Load newer, and auto-refresh (bounded, visible, stoppable) -----------------------

const AUTO_ROUNDS = 30;
const live = { timer: 0, tick: 0, round: 0, due: 0, busy: false };

/** Asks the server for the calls newer than the newest one loaded, and adds them (newest first). */
async function loadNewer() {
  const src = state.source;
  if (src?.kind !== 'server' || live.busy) return false;
  live.busy = true;
  $('#btn-newer').disabled = true;
  setLive('Asking for newer calls…');
  try {
    const out = await loadFromServer(engine, {
      base: src.server,
      app: src.app,
      fn: src.fn,
      filter: { ...state.filter, cursor: '' },
      max: src.max || 5000,
      newerThan: state.newestId,
    });
    const at = fmtTime(Date.now(), false);
    if (!out.result) {
      setLive(`No newer calls (checked ${at} ${zoneLabel()}).`);
      return true;
    }
    const added = out.result.totalCalls - state.rows.length;
    await loaded(out.result, { ...src, info: out.server });
    setLive(`${fmtInt(added)} newer call${added === 1 ? '' : 's'} added at ${at} ${zoneLabel()}.`);
    return true;
  } catch (e) {
    setLive(`Load newer failed: ${e.message}`);
    return false;
  } finally {
    live.busy = false;
    $('#btn-newer').disabled = false;
  }
}

function setLive(text) {
  live.message = text;
  drawLive();
}

function drawLive() {
  const parts = [live.message || ''];
  if (live.timer) parts.push(`Auto-refresh ${live.round} of ${AUTO_ROUNDS} · next in ${Math.max(0, Math.ceil((live.due - Date.now()) / 1000))} s`);
  $('#live-status').textContent = parts.filter(Boolean).join(' · ');
}

function startAutoRefresh() {
  stopAutoRefresh();
  const every = Number($('#auto-every').textContent) * 1000;
  live.round = 0;
  live.due = Date.now() + every;
  $('#auto-refresh').checked = true;
  live.timer = setInterval(async () => {
    if (Date.now() < live.due || live.busy) return drawLive();
    live.round++;
    const ok = await loadNewer();
    if (!ok) {
      stopAutoRefresh();
      setLive(`${live.message} Auto-refresh stopped.`);
      return;
    }
    if (live.round >= AUTO_ROUNDS) {
      stopAutoRefresh();
      setLive(`${live.message} Auto-refresh stopped after ${AUTO_ROUNDS} rounds: tick it again to go on.`);
      return;
    }
    live.due = Date.now() + every;
    drawLive();
  }, 1000);
  drawLive();
}

function stopAutoRefresh() {
  if (live.timer) clearInterval(live.timer);
  live.timer = 0;
  $('#auto-refresh').checked = false;
  drawLive();
}

$('#btn-newer').addEventListener('click', loadNewer);
$('#auto-refresh').addEventListener('change', (e) => (e.target.checked ? startAutoRefresh() : (stopAutoRefresh(), setLive('Auto-refresh stopped.'))));

// ---- the view ------------------------------------------------------------------------------------------------

let ticket = 0;
async function refresh() {
  const my = ++ticket;
  syncUrl();
  // A field with an error (a date-time that is not one) is left out of the query until it is fixed.
  const ctx = rangeContext();
  const issues = filterIssues(state.filter, ctx);
  panel.showIssues(issues);
  const usable = { ...state.filter };
  for (const i of issues) if (i.severity === 'error') usable[i.path.split('/')[1]] = Array.isArray(usable[i.path.split('/')[1]]) ? [] : '';
  $('#table-title').textContent = 'Calls · updating…';
  let answer;
  try {
    const base = withoutStatus(usable);
    const baseFilter = usable.status.length ? (isEmpty(base) ? null : toCallFilter(base, ctx)) : undefined;
    answer = await engine.query(isEmpty(usable) ? null : toCallFilter(usable, ctx), state.sort, { baseFilter, groupBy: state.groupBy });
  } catch (e) {
    if (my === ticket) banner(`The filter could not be applied: ${e.message}`);
    return;
  }
  if (my !== ticket) return;
  state.positions = answer.positions;
  state.nextCursor = answer.next_cursor;
  state.summary = answer.summary;
  state.errorGroups = answer.errorGroups;
  panel.setCounts(answer.statusCounts);
  panel.setZoom({ canZoomOut: state.zoomStack.length > 0 || !!state.filter.range || !!state.filter.created_since || !!state.filter.created_before, window: currentWindow() });
  table.setData(state.rows, answer.positions);
  redraw();
  drawPager();
  $('#table-title').textContent = `Calls · ${fmtInt(answer.positions.length)}${isEmpty(state.filter) ? '' : ` of ${fmtInt(state.rows.length)}`}`;
  $('#f-summary').textContent = isEmpty(state.filter) ? '' : `${fmtInt(answer.positions.length)} match`;
}

/** Everything drawn from the last answer (again after a change of zone or theme). */
function redraw() {
  const summary = state.summary;
  if (!summary) return;
  drawKpis(summary);
  drawErrors(state.errorGroups);
  drawGroups(summary);
  drawCharts();
}

function drawCharts() {
  const summary = state.summary;
  charts?.update(summary, { label: groupLabel });
  describeCharts(summary);
  $('#duration-pct').replaceChildren(...percentileLine(summary.total.duration_ms));
}

/** p50 · p90 · p99 under the duration chart's title, each in its line's colour: the labels of the dashed lines. */
function percentileLine(d) {
  if (!d) return [h('span', { class: 'muted', text: 'No finished calls.' })];
  return [
    ['p50', d.p50, 'pct-50'],
    ['p90', d.p90, 'pct-90'],
    ['p99', d.p99, 'pct-99'],
  ].map(([name, v, cls]) => h('span', { class: `pct ${cls}` }, h('span', { class: 'pct-swatch', 'aria-hidden': 'true' }), `${name} ${fmtDuration(v)}`));
}

function kpi(label, value, sub, tone, props = {}) {
  return h(
    props.onclick ? 'button' : 'div',
    { class: `kpi tone-${tone}`, type: props.onclick ? 'button' : undefined, ...props },
    h('div', { class: 'kpi-label', text: label }),
    h('div', { class: 'kpi-value', text: value }),
    h('div', { class: 'kpi-sub', text: sub }),
  );
}

function drawKpis(summary) {
  const t = summary.total;
  const by = t.by_status;
  const failed = (by.error || 0) + (by.timeout || 0);
  const finished = failed + (by.success || 0) + (by.cancelled || 0);
  const inFlight = (by.running || 0) + (by.queued || 0) + (by.delayed || 0);
  const rate = (n) => (finished ? fmtPercent(n / finished) : '–');
  const onStatus = (statuses) => () => setFilter({ ...state.filter, status: statuses });
  replace(
    $('#kpis'),
    kpi('Calls', fmtInt(t.count), inFlight ? `${fmtInt(inFlight)} in flight` : 'all finished', 'accent', { id: 'kpi-calls' }),
    kpi('Success', rate(by.success || 0), `${fmtInt(by.success || 0)} of ${fmtInt(finished)} finished`, 'success', { id: 'kpi-success' }),
    kpi('Failed', fmtInt(failed), finished ? `${rate(failed)} of ${fmtInt(finished)} finished · ${fmtInt(by.error || 0)} error, ${fmtInt(by.timeout || 0)} timeout` : 'no finished calls', 'error', {
      id: 'kpi-failed',
      title: 'Show the failed calls (error and timeout)',
      onclick: onStatus(['error', 'timeout']),
    }),
    kpi('Timeouts', fmtInt(by.timeout || 0), finished ? `${rate(by.timeout || 0)} of ${fmtInt(finished)} finished · ${fmtInt(by.cancelled || 0)} cancelled` : 'no finished calls', 'timeout', {
      id: 'kpi-timeouts',
      title: 'Show the timed-out calls',
      onclick: onStatus(['timeout']),
    }),
    kpi('Duration', fmtDuration(t.duration_ms?.p50), t.duration_ms ? `p50 · p99 ${fmtDuration(t.duration_ms.p99)}` : 'no finished calls', 'accent'),
    kpi('Queue wait', fmtDuration(t.queue_wait_ms?.p50), t.queue_wait_ms ? `p50 · p99 ${fmtDuration(t.queue_wait_ms.p99)}` : '', 'accent'),
    kpi('Invalid', fmtInt(state.refused), `records · ${fmtInt(state.issues.length - state.issues.filter((i) => i.severity === 'error').length)} warnings`, 'invalid', {
      id: 'kpi-invalid',
      title: 'Show the validation issues',
      onclick: () => $('#issues-card').scrollIntoView({ behavior: 'smooth', block: 'start' }),
    }),
  );
}

/** A small bar of a share (0…1). Set through the CSSOM: the page's CSP allows no style attributes. */
function shareBar(share) {
  const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' });
  bar.style.setProperty('--share', `${(share * 100).toFixed(1)}%`);
  return bar;
}

/** The Top errors panel: the package's error groups (one normalised message, one cause), largest first. */
function drawErrors(groups) {
  const root = $('#errors');
  if (groups === null) {
    $('#errors-hint').textContent = '';
    replace(root, h('p', { class: 'muted', text: 'This build of the fn-calls package has no error grouping (CallIndex.errorGroups).' }));
    return;
  }
  const total = groups.reduce((n, g) => n + g.count, 0);
  $('#errors-hint').textContent = total ? `${fmtInt(total)} calls with an error text in ${fmtInt(groups.length)} group${groups.length === 1 ? '' : 's'} · numbers, ids, hex and quoted values read as placeholders` : '';
  if (!groups.length) {
    replace(root, h('p', { class: 'muted', id: 'errors-empty', text: 'No call of this filter has an error text.' }));
    return;
  }
  const shown = groups.slice(0, 12);
  const th = (text, cls = '') => h('th', { scope: 'col', class: cls, text });
  replace(
    root,
    h(
      'div',
      { class: 'errors-wrap' },
      h(
        'table',
        { class: 'errors-table', id: 'errors-table' },
        h('thead', null, h('tr', null, th('Error'), th('Calls', 'num'), th('Share', 'num'), th(`First seen (${zoneLabel()})`), th('Last seen'), th('Paths'))),
        h(
          'tbody',
          null,
          shown.map((g) => {
            const active = state.filter.error_group === g.key;
            return h(
              'tr',
              { class: active ? 'active' : '', dataset: { group: g.key } },
              h(
                'td',
                { class: 'err-msg' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn-link group-link',
                    title: g.example ? `e.g. ${preview(g.example, 1000)}` : '',
                    'aria-pressed': String(active),
                    onclick: () => setFilter({ ...state.filter, error_group: active ? '' : g.key }),
                  },
                  preview(g.key, 500),
                ),
              ),
              h('td', { class: 'num', text: fmtInt(g.count) }),
              h('td', { class: 'num share' }, shareBar(g.count / total), fmtPercent(g.count / total)),
              h('td', { class: 'mono', text: g.first_created_at ? fmtTime(Date.parse(g.first_created_at)) : '–' }),
              h('td', { class: 'mono', text: g.last_created_at ? fmtTime(Date.parse(g.last_created_at)) : '–' }),
              h('td', { class: 'paths-cell', text: g.paths.slice(0, 3).join(', ') + (g.paths.length > 3 ? ` +${g.paths.length - 3}` : '') }),
            );
          }),
        ),
      ),
    ),
    groups.length > shown.length ? h('p', { class: 'muted small', text: `…and ${fmtInt(groups.length - shown.length)} smaller groups (Group by: error group lists them all).` }) : null,
  );
}

function drawGroups(summary) {
  const groups = summary.groups || [];
  const byStatus = state.filter.status.length > 0;
  $('#groups-name').textContent = GROUP_NAMES[state.groupBy];
  const th = (text, num, title) => h('th', { scope: 'col', class: num ? 'num' : '', text, title });
  replace(
    $('#paths-table'),
    h('caption', { class: 'visually-hidden', text: `Calls per ${GROUP_NAMES[state.groupBy]}` }),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        th(GROUP_NAMES[state.groupBy][0].toUpperCase() + GROUP_NAMES[state.groupBy].slice(1)),
        th('Calls', true),
        th(byStatus ? 'Failed (all statuses)' : 'Failed', true, 'error and timeout, of the finished calls, whatever the status filter'),
        th('p50', true),
        th('p99', true),
        th('Mean mem', true),
      ),
    ),
    h(
      'tbody',
      null,
      groups.map((g) => {
        const s = g.stats;
        const rate = g.base.error_rate;
        const label = groupLabel(g);
        return h(
          'tr',
          {
            tabindex: '0',
            title: `Filter on ${preview(label)}`,
            dataset: { key: g.key },
            onclick: () => filterOnGroup(g),
            onkeydown: (e) => e.key === 'Enter' && filterOnGroup(g),
          },
          h('td', null, state.groupBy === 'status' ? h('span', { class: `badge status-${g.key || 'unknown'}`, text: g.key || '(empty)' }) : preview(g.key, 500) || '(none)', g.apps?.length ? h('div', { class: 'path-app', text: g.apps.join(', ') }) : null),
          h('td', { class: 'num', text: fmtInt(s.count) }),
          h('td', { class: `num${rate > 0.05 ? ' rate-bad' : ''}`, text: rate === null ? '–' : fmtPercent(rate) }),
          h('td', { class: 'num', text: fmtDuration(s.duration_ms?.p50) }),
          h('td', { class: 'num', text: fmtDuration(s.duration_ms?.p99) }),
          h('td', { class: 'num', text: s.mem_usage ? fmtBytes(s.mem_usage.mean) : '–' }),
        );
      }),
    ),
  );
}

$('#group-by').addEventListener('change', (e) => {
  state.groupBy = e.target.value;
  refresh();
});

// ---- the charts' text: a sentence for each, and its figures as a table a keyboard reaches ----------------------

function chartTable(id, caption, head, rows) {
  return h(
    'div',
    { class: 'chart-table-wrap', tabindex: '0', role: 'region', 'aria-label': `${caption} (scrolls)` },
    h(
      'table',
      { class: 'data-table', id },
      h('caption', { text: caption }),
      h('thead', null, h('tr', null, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num', text: c })))))),
    ),
  );
}

function describeCharts(summary) {
  const buckets = summary.buckets || [];
  const width = summary.bucket_seconds * 1000;
  let peak = null;
  for (const b of buckets) if (b.stats.error_rate !== null && (!peak || b.stats.error_rate > peak.stats.error_rate)) peak = b;
  $('#chart-time').setAttribute(
    'aria-label',
    buckets.length
      ? `Calls per status in ${buckets.length} buckets of ${fmtSpan(width)} from ${fmtTime(Date.parse(buckets[0].start))} ${zoneLabel()}; highest failed share ${peak ? `${fmtPercent(peak.stats.error_rate)} at ${fmtTime(Date.parse(peak.start))}` : 'none'}. The Table button shows the figures.`
      : 'No calls match this filter.',
  );
  replace(
    $('#time-table'),
    chartTable(
      'time-data',
      `Calls per ${fmtSpan(width)} (${zoneLabel()})`,
      ['Bucket start (zoom in)', 'Calls', 'Success', 'Error', 'Timeout', 'Other', 'Failed %'],
      buckets.map((b) => {
        const s = b.stats.by_status;
        const other = b.stats.count - (s.success || 0) - (s.error || 0) - (s.timeout || 0);
        const start = Date.parse(b.start);
        // the keyboard's way to zoom: each bucket's start is a button
        const zoom = h('button', { type: 'button', class: 'btn-link', title: 'Zoom in to this bucket', onclick: () => zoomTo({ start, end: Date.parse(b.end) }) }, fmtTime(start));
        return [zoom, fmtInt(b.stats.count), fmtInt(s.success || 0), fmtInt(s.error || 0), fmtInt(s.timeout || 0), fmtInt(other), b.stats.error_rate === null ? '–' : fmtPercent(b.stats.error_rate)];
      }),
    ),
  );
  const hist = summary.histogram;
  const d = summary.total.duration_ms;
  $('#chart-duration').setAttribute('aria-label', d ? `Duration distribution of ${fmtInt(d.count)} finished calls: p50 ${fmtDuration(d.p50)}, p90 ${fmtDuration(d.p90)}, p99 ${fmtDuration(d.p99)}.` : 'No finished calls.');
  replace(
    $('#duration-table'),
    chartTable(
      'duration-data',
      'Finished calls per duration',
      ['Duration', 'Calls'],
      hist.counts.map((n, i) => [`${fmtDuration(hist.edges[i])} – ${hist.edges[i + 1] ? fmtDuration(hist.edges[i + 1]) : '…'}`, fmtInt(n)]).filter((r, i) => hist.counts[i] > 0),
    ),
  );
  const cells = summary.heatmap?.cells || [];
  const perBucket = new Map();
  for (const [x, y, n] of cells) {
    const row = perBucket.get(x) || new Map();
    row.set(y, n);
    perBucket.set(x, row);
  }
  const bins = [...new Set(cells.map((c) => c[1]))].sort((a, b) => a - b);
  $('#chart-heat').setAttribute('aria-label', cells.length ? `Finished calls per time bucket and duration bin: ${cells.length} cells. The Table button shows the figures.` : 'No finished calls.');
  replace(
    $('#heat-table'),
    chartTable(
      'heat-data',
      `Finished calls per ${fmtSpan(width)} and duration`,
      ['Bucket start', ...bins.map((y) => `≥ ${fmtDuration(hist.edges[y])}`)],
      [...perBucket.keys()].sort((a, b) => a - b).map((x) => [fmtTime(Date.parse(buckets[x].start)), ...bins.map((y) => fmtInt(perBucket.get(x).get(y) || 0))]),
    ),
  );
}

/** The Table button of each chart: shows its figures (the chart's text alternative). */
for (const [tools, tableId, chartId] of [
  ['#time-tools', 'time-table', 'chart-time'],
  ['#duration-tools', 'duration-table', 'chart-duration'],
  ['#heat-tools', 'heat-table', 'chart-heat'],
]) {
  const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false', 'aria-controls': tableId, dataset: { table: tableId } }, 'Table');
  button.addEventListener('click', () => {
    const region = document.getElementById(tableId);
    region.hidden = !region.hidden;
    button.setAttribute('aria-expanded', String(!region.hidden));
    button.textContent = region.hidden ? 'Table' : 'Chart';
    document.getElementById(chartId).hidden = !region.hidden;
  });
  $(tools).append(button);
}

function drawPager() {
  const pager = $('#pager');
  const paging = state.filter.per_page !== '' || state.filter.cursor !== '';
  if (!paging) {
    replace(pager, h('span', { class: 'muted', text: 'Click a row for its detail · click a header to sort' }));
    return;
  }
  replace(
    pager,
    state.filter.cursor ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => setFilter({ ...state.filter, cursor: '' }) }, '« First page') : null,
    state.nextCursor
      ? h('button', { type: 'button', class: 'btn btn-small', id: 'next-page', onclick: () => setFilter({ ...state.filter, cursor: state.nextCursor }) }, 'Next page »')
      : h('span', { class: 'muted', text: 'Last page' }),
  );
}

// ---- columns and export ------------------------------------------------------------------------------------------

function drawColumns() {
  const shown = table.columns;
  replace(
    $('#columns-list'),
    COLUMNS.map((c) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          dataset: { column: c.key },
          checked: shown.includes(c.key),
          onchange: (e) => {
            const next = e.target.checked ? [...table.columns, c.key] : table.columns.filter((k) => k !== c.key);
            table.setColumns(next);
            store('columns', table.columns);
            drawColumns();
          },
        }),
        c.label,
      ),
    ),
  );
}
drawColumns();

async function exportCalls(format) {
  const positions = Array.from(state.positions);
  if (!positions.length) {
    banner('No calls match this filter: nothing to export.', 'info');
    return;
  }
  const text = await engine.export(positions, format, table.columns);
  const type = format === 'ndjson' ? 'application/x-ndjson' : 'text/csv';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: `fn-calls-${positions.length}.${format}`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  $('#export-menu').open = false;
}
$('#export-ndjson').addEventListener('click', () => exportCalls('ndjson'));
$('#export-csv').addEventListener('click', () => exportCalls('csv'));

const MAX_ISSUE_ROWS = 500;
function drawIssues() {
  const issues = [...state.issues].sort((a, b) => (a.severity === b.severity ? (a.index ?? 0) - (b.index ?? 0) : a.severity === 'error' ? -1 : 1));
  const warnings = issues.filter((i) => i.severity === 'warning').length;
  $('#issues-hint').textContent = issues.length ? `${fmtInt(state.refused)} records refused · ${fmtInt(warnings)} warnings` : '';
  if (!issues.length) {
    replace($('#issues'), h('p', { class: 'issues-empty', text: 'Every record reads as a valid call.' }));
    return;
  }
  const shown = issues.slice(0, MAX_ISSUE_ROWS);
  const openIssue = (i) => {
    focusBefore = document.activeElement;
    detail.openRecord(i.index, i.offset);
  };
  replace(
    $('#issues'),
    h(
      'div',
      { class: 'issues-wrap' },
      h(
        'table',
        { class: 'issues-table' },
        h('thead', null, h('tr', null, ['Severity', 'Record', 'Code', 'Path', 'Message'].map((t) => h('th', { scope: 'col', text: t })))),
        h(
          'tbody',
          null,
          shown.map((i) =>
            h(
              'tr',
              {
                class: i.index !== undefined ? 'clickable' : '',
                tabindex: i.index !== undefined ? '0' : undefined,
                dataset: { index: i.index ?? '' },
                onclick: () => i.index !== undefined && openIssue(i),
                onkeydown: (e) => e.key === 'Enter' && i.index !== undefined && openIssue(i),
              },
              h('td', null, h('span', { class: `sev sev-${i.severity}`, text: i.severity })),
              h('td', { class: 'mono', text: i.index === undefined ? '–' : `#${i.index + 1}${i.line ? ` · line ${i.line}` : ''}` }),
              h('td', { class: 'code', text: i.code }),
              h('td', { class: 'mono', text: i.path || '(record)' }),
              h('td', { text: i.message }),
            ),
          ),
        ),
      ),
    ),
    issues.length > shown.length ? h('p', { class: 'muted', text: `…and ${fmtInt(issues.length - shown.length)} more.` }) : null,
  );
}

// ---- sources: sample, file, drop, paste, server ---------------------------------------------------------------

const SAMPLE_URL = new URL(`${import.meta.env.BASE_URL}sample.ndjson`, location.href).href;
const loadSample = () => load({ kind: 'url', url: SAMPLE_URL, label: 'sample.ndjson (generated)' }, { kind: 'sample', label: 'sample.ndjson' });
const loadFile = (file) => load({ kind: 'file', file }, { kind: 'file', label: file.name });

$('#btn-sample').addEventListener('click', loadSample);
$('#btn-file').addEventListener('click', () => $('#file-input').click());
$('#file-input').addEventListener('change', (e) => {
  const file = e.target.files[0];
  if (file) loadFile(file);
  e.target.value = '';
});

const dropzone = $('#dropzone');
let dragDepth = 0;
window.addEventListener('dragenter', (e) => {
  if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
  e.preventDefault();
  dragDepth++;
  dropzone.hidden = false;
});
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) dropzone.hidden = true;
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  dropzone.hidden = true;
  const file = e.dataTransfer?.files?.[0];
  if (file) loadFile(file);
});

const pasteDialog = $('#dlg-paste');
$('#btn-paste').addEventListener('click', () => pasteDialog.showModal());
$('#paste-cancel').addEventListener('click', () => pasteDialog.close());
$('#paste-form').addEventListener('submit', () => {
  const text = $('#paste-text').value;
  if (text.trim()) load({ kind: 'text', text, label: 'pasted text' }, { kind: 'paste', label: 'pasted text' });
});

// The server dialog: nothing is sent to a server before the person has seen the first request and pressed Load.
const serverDialog = $('#dlg-server');
const serverFields = () => ({
  base: $('#server-url').value.trim(),
  app: $('#server-app').value.trim(),
  fn: $('#server-fn').value.trim(),
  max: Math.max(1, parseInt($('#server-max').value, 10) || 5000),
});

/** Shows the first request the dialog would send (or why it would not), and answers the plan or null. */
function serverPreview() {
  const { base, app, fn } = serverFields();
  const problem = $('#server-problem');
  const preview = $('#server-preview');
  problem.hidden = true;
  problem.textContent = '';
  replace(preview);
  let plan = null;
  if (base || app) {
    try {
      plan = serverPlan({ base, app, fn, filter: state.filter });
      replace(
        preview,
        h('div', { class: 'server-first' }, 'First request: ', h('code', { id: 'server-first-url', text: `GET ${plan.first}` })),
        h('div', { class: 'muted small', text: `${plan.then}.` }),
      );
    } catch (e) {
      if (e instanceof ServerUrlError || base) {
        problem.textContent = e.message;
        problem.hidden = false;
      }
    }
  }
  $('#server-load').disabled = !plan;
  return plan;
}

function openServerDialog({ base = '', app = '', fn = '' } = {}, { fromLink = false } = {}) {
  $('#server-url').value = base;
  $('#server-app').value = app;
  $('#server-fn').value = fn;
  $('#server-link-note').hidden = !fromLink;
  serverPreview();
  serverDialog.showModal();
}

$('#btn-server').addEventListener('click', () => {
  const from = state.linkServer ?? (state.source?.kind === 'server' ? state.source : null);
  openServerDialog({ base: from?.server ?? $('#server-url').value, app: from?.app ?? $('#server-app').value, fn: from?.fn ?? $('#server-fn').value });
});
for (const id of ['#server-url', '#server-app', '#server-fn']) $(id).addEventListener('input', serverPreview);
const cancelServer = () => {
  if (state.linkServer) {
    state.linkServer = null;
    syncUrl();
  }
};
$('#server-cancel').addEventListener('click', () => {
  serverDialog.close();
  cancelServer();
});
serverDialog.addEventListener('cancel', cancelServer); // Escape
$('#server-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const plan = serverPreview();
  if (!plan) return;
  const { app, fn, max } = serverFields();
  serverDialog.close();
  loadServer({ base: plan.base, app, fn, max }).then(openPendingCall);
});

/** A link's `call=` is opened once the calls it names are loaded. */
let pendingCall = null;
function openPendingCall() {
  const id = pendingCall;
  pendingCall = null;
  const row = id ? state.rows.find((r) => r.id === id) : null;
  if (row) openCall(row.pos);
}

// ---- tabs ------------------------------------------------------------------------------------------------------

function selectTab(tab) {
  state.tab = tab;
  for (const [name, el] of [
    ['calls', $('#tab-calls')],
    ['validator', $('#tab-validator')],
  ]) {
    el.setAttribute('aria-selected', String(tab === name));
    el.tabIndex = tab === name ? 0 : -1;
  }
  $('#view-calls').hidden = tab !== 'calls';
  $('#view-validator').hidden = tab !== 'validator';
  if (tab === 'validator' && !validator) validator = createValidator($('#view-validator'));
  syncUrl();
}
$('#tab-calls').addEventListener('click', () => selectTab('calls'));
$('#tab-validator').addEventListener('click', () => selectTab('validator'));
$('.tabs').addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
  const next = state.tab === 'calls' ? 'validator' : 'calls';
  selectTab(next);
  $(`#tab-${next}`).focus();
});

// the theme follows the system: charts take their colours again when it changes
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => state.summary && drawCharts());

// ---- start -------------------------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const fromUrl = filterFromQuery(location.search);
state.filter = fromUrl.filter;
state.groupBy = GROUP_NAMES[params.get('group_by')] ? params.get('group_by') : 'path';
$('#group-by').value = state.groupBy;
applyZone(params.get('tz') === 'local' || (params.get('tz') === null && stored('zone', 'utc') === 'local') ? 'local' : 'utc');
panel.set(state.filter);
if (params.get('tab') === 'validator') selectTab('validator');

pendingCall = params.get('call');
if (params.get('fn_server') !== null) {
  // A link naming a server sends nothing by itself: the dialog shows what would be sent, and waits.
  const link = { kind: 'link', server: params.get('fn_server'), app: params.get('fn_app') || '', fn: params.get('fn_fn') || '' };
  state.linkServer = link;
  await load({ kind: 'text', text: '', label: 'nothing loaded yet' }, { kind: 'none', label: 'nothing loaded yet' });
  try {
    checkServerUrl(link.server);
    banner(`This link asks to read calls from ${link.server}. Nothing has been sent to it: confirm in the dialog (Fn server…), or open a file.`, 'info');
  } catch (e) {
    if (!(e instanceof ServerUrlError)) throw e;
    banner(`This link names a server address that is refused: ${e.message}`);
  }
  openServerDialog({ base: link.server, app: link.app, fn: link.fn }, { fromLink: true });
} else {
  await loadSample();
  openPendingCall();
}
if (fromUrl.issues.length && ($('#banner').hidden || state.linkServer)) {
  banner(`In the link's filter: ${fromUrl.issues.map((i) => i.message).join('; ')}.`, 'info');
}
await chartsModule;
document.body.dataset.ready = 'true';
