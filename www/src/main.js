// The dashboard: wires the data engine, filter panel, charts, table, detail drawer and validator together.

import './style.css';
import { $, h, replace, fmtInt, fmtDuration, fmtBytes, fmtPercent } from './dom.js';
import { ready } from './fncalls.js';
import { Engine } from './engine.js';
import { loadFromServer, serverPlan, checkServerUrl, ServerUrlError, diagnoseNetworkFailure, readCallLog } from './data.js';
import { createFilterPanel, filterFromQuery, filterIssues, writeUrl, isEmpty, toCallFilter, EMPTY_FILTER } from './filters.js';
import { createTable } from './table.js';
import { createSummaryCharts, pathLabel } from './charts.js';
import { createDetail } from './detail.js';
import { createValidator } from './validator.js';

await ready;

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
});

const table = createTable($('#calls-table'), {
  onOpen: (pos) => detail.openCall(pos),
  onSort(sort) {
    state.sort = sort;
    refresh();
  },
});

const charts = createSummaryCharts(
  { time: $('#chart-time'), duration: $('#chart-duration'), paths: $('#chart-paths'), timeHint: $('#time-hint'), durationHint: $('#duration-hint') },
  {
    onBucket(bucket) {
      setFilter({ ...state.filter, from_time: String(Math.floor(bucket.start / 1000)), to_time: String(Math.ceil(bucket.end / 1000)) });
    },
    onPath: (group) => filterOnPath(group),
  },
);

const detail = createDetail($('#detail'), $('#drawer-backdrop'), {
  engine,
  logs: {
    /** The server the calls came from (its API and connection), or null for a file, paste or the sample. */
    server: () => (state.source?.kind === 'server' ? state.source.info ?? null : null),
    source: () => state.source?.label ?? '',
    read: readCallLog,
  },
  onOpen(id) {
    state.openId = id;
    syncUrl();
  },
  onClose() {
    state.openId = null;
    syncUrl();
  },
});

let validator = null;

function filterOnPath(group) {
  setFilter({ ...state.filter, path: group.key, app_name: group.apps.length === 1 ? group.apps[0] : state.filter.app_name });
}

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
  });
}

// ---- loading -------------------------------------------------------------------------------------------------

async function load(source, meta) {
  banner(null);
  detail.close();
  if (meta.kind !== 'none') state.linkServer = null; // the person chose other calls than the link's
  progress.show({ text: `Loading ${meta.label}…` });
  try {
    const result = await engine.load(source, { onProgress: (p) => progress.show(p) });
    await loaded(result, meta);
  } catch (e) {
    banner(`Could not load ${meta.label}: ${e.message}`);
  } finally {
    progress.hide();
  }
}

function loaded(result, meta) {
  state.rows = result.rows;
  state.issues = result.issues;
  state.source = meta;

  const refused = new Set(state.issues.filter((i) => i.severity === 'error').map((i) => i.index ?? -1));
  state.refused = refused.size;
  showSource(result);
  const apps = new Set(), paths = new Map(), images = new Set(), methods = new Set(), statusCounts = {};
  for (const r of state.rows) {
    apps.add(r.app);
    paths.set(`${r.app} ${r.path}`, { app: r.app, path: r.path });
    if (r.image) images.add(r.image);
    if (r.method) methods.add(r.method);
    statusCounts[r.status] = (statusCounts[r.status] || 0) + 1;
  }
  panel.setOptions({ apps: [...apps], paths: [...paths.values()], images: [...images].sort(), methods: [...methods].sort(), statusCounts });
  drawIssues();
  if (!result.totalCalls && !result.issues.length) banner('The input holds no calls.', 'info');
  return refresh();
}

/** Reads a live Fn server (data.js), once the person has confirmed it in the dialog. */
async function loadServer({ base, app, fn, max }) {
  banner(null);
  detail.close();
  state.linkServer = null;
  progress.show({ text: `Asking ${base} for the calls of ${app}${fn ? ` (fn ${fn})` : ''}…` });
  const meta = (result, info) => ({ kind: 'server', label: result.label, server: base, app, fn, info });
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
    await loaded(out.result, meta(out.result, out.server));
    const { result, pages, stops } = out;
    const where = `${app}${fn ? ` (fn ${fn})` : ''}`;
    if (!result.totalCalls && !result.issues.length && !stops.length) banner(`${base} has no calls for ${where} that match the server's part of this filter.`, 'info');
    else if (stops.length) {
      const onlyLimit = stops.every((m) => m.startsWith('Stopped at the limit'));
      banner(`Loaded the newest ${fmtInt(result.totalCalls)} calls of ${where} (${pages} page${pages === 1 ? '' : 's'}).\n${stops.join('\n')}`, onlyLimit ? 'info' : 'error');
    }
  } catch (e) {
    if (e.partial) await loaded(e.partial, meta(e.partial, e.server)); // what did arrive is shown
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

// ---- the view ------------------------------------------------------------------------------------------------

let ticket = 0;
async function refresh() {
  const my = ++ticket;
  syncUrl();
  // A field with an error (a date-time that is not one) is left out of the query until it is fixed.
  const issues = filterIssues(state.filter);
  panel.showIssues(issues);
  const usable = { ...state.filter };
  for (const i of issues) if (i.severity === 'error') usable[i.path.split('/')[1]] = Array.isArray(usable[i.path.split('/')[1]]) ? [] : '';
  $('#table-title').textContent = 'Calls · updating…';
  let answer;
  try {
    answer = await engine.query(isEmpty(usable) ? null : toCallFilter(usable), state.sort);
  } catch (e) {
    if (my === ticket) banner(`The filter could not be applied: ${e.message}`);
    return;
  }
  if (my !== ticket) return;
  state.positions = answer.positions;
  state.nextCursor = answer.next_cursor;
  table.setData(state.rows, answer.positions);
  charts.update(answer.summary);
  drawKpis(answer.summary);
  drawPaths(answer.summary);
  drawPager();
  $('#table-title').textContent = `Calls · ${fmtInt(answer.positions.length)}${isEmpty(state.filter) ? '' : ` of ${fmtInt(state.rows.length)}`}`;
  $('#f-summary').textContent = isEmpty(state.filter) ? '' : `${fmtInt(answer.positions.length)} match`;
}

function kpi(label, value, sub, tone, props = {}) {
  return h(props.onclick ? 'button' : 'div', { class: `kpi tone-${tone}`, type: props.onclick ? 'button' : undefined, ...props }, h('div', { class: 'kpi-label', text: label }), h('div', { class: 'kpi-value', text: value }), h('div', { class: 'kpi-sub', text: sub }));
}

function drawKpis(summary) {
  const t = summary.total;
  const by = t.by_status;
  const finished = (by.success || 0) + (by.error || 0) + (by.cancelled || 0) + (by.timeout || 0);
  const inFlight = (by.running || 0) + (by.queued || 0) + (by.delayed || 0);
  replace(
    $('#kpis'),
    kpi('Calls', fmtInt(t.count), inFlight ? `${fmtInt(inFlight)} in flight` : 'all finished', 'accent', { id: 'kpi-calls' }),
    kpi('Success', finished ? fmtPercent((by.success || 0) / finished) : '–', `${fmtInt(by.success || 0)} of ${fmtInt(finished)} finished`, 'success'),
    kpi('Errors', fmtInt(by.error || 0), t.error_rate === null ? '' : `${fmtPercent(t.error_rate)} failed incl. timeouts`, 'error', { id: 'kpi-errors' }),
    kpi('Timeouts', fmtInt(by.timeout || 0), `${fmtInt(by.cancelled || 0)} cancelled`, 'timeout'),
    kpi('Duration', fmtDuration(t.duration_ms?.p50), t.duration_ms ? `p50 · p99 ${fmtDuration(t.duration_ms.p99)}` : 'no finished calls', 'accent'),
    kpi('Queue wait', fmtDuration(t.queue_wait_ms?.p50), t.queue_wait_ms ? `p50 · p99 ${fmtDuration(t.queue_wait_ms.p99)}` : '', 'accent'),
    kpi('Invalid', fmtInt(state.refused), `records · ${fmtInt(state.issues.length - state.issues.filter((i) => i.severity === 'error').length)} warnings`, 'invalid', {
      id: 'kpi-invalid',
      onclick: () => $('#issues-card').scrollIntoView({ behavior: 'smooth', block: 'start' }),
    }),
  );
}

function drawPaths(summary) {
  const groups = [...(summary.groups || [])].sort((a, b) => b.stats.count - a.stats.count);
  const th = (text, num) => h('th', { class: num ? 'num' : '', text });
  replace(
    $('#paths-table'),
    h('thead', null, h('tr', null, th('Path'), th('Calls', true), th('Failed', true), th('p50', true), th('p99', true), th('Mean mem', true))),
    h(
      'tbody',
      null,
      groups.map((g) => {
        const s = g.stats;
        const label = pathLabel(g);
        return h(
          'tr',
          {
            tabindex: '0',
            title: `Filter on ${label}`,
            onclick: () => filterOnPath(g),
            onkeydown: (e) => e.key === 'Enter' && filterOnPath(g),
          },
          h('td', null, g.key || '(no path)', h('div', { class: 'path-app', text: g.apps.join(', ') })),
          h('td', { class: 'num', text: fmtInt(s.count) }),
          h('td', { class: `num${s.error_rate > 0.05 ? ' rate-bad' : ''}`, text: s.error_rate === null ? '–' : fmtPercent(s.error_rate) }),
          h('td', { class: 'num', text: fmtDuration(s.duration_ms?.p50) }),
          h('td', { class: 'num', text: fmtDuration(s.duration_ms?.p99) }),
          h('td', { class: 'num', text: s.mem_usage ? fmtBytes(s.mem_usage.mean) : '–' }),
        );
      }),
    ),
  );
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
  replace(
    $('#issues'),
    h(
      'div',
      { class: 'issues-wrap' },
      h(
        'table',
        { class: 'issues-table' },
        h('thead', null, h('tr', null, ['Severity', 'Record', 'Code', 'Path', 'Message'].map((t) => h('th', { text: t })))),
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
                onclick: () => i.index !== undefined && detail.openRecord(i.index, i.offset),
                onkeydown: (e) => e.key === 'Enter' && i.index !== undefined && detail.openRecord(i.index, i.offset),
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
  if (row) detail.openCall(row.pos);
}

// ---- tabs ------------------------------------------------------------------------------------------------------

function selectTab(tab) {
  state.tab = tab;
  $('#tab-calls').setAttribute('aria-selected', String(tab === 'calls'));
  $('#tab-validator').setAttribute('aria-selected', String(tab === 'validator'));
  $('#view-calls').hidden = tab !== 'calls';
  $('#view-validator').hidden = tab !== 'validator';
  if (tab === 'validator' && !validator) validator = createValidator($('#view-validator'));
  syncUrl();
}
$('#tab-calls').addEventListener('click', () => selectTab('calls'));
$('#tab-validator').addEventListener('click', () => selectTab('validator'));

// ---- start -------------------------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const fromUrl = filterFromQuery(location.search);
state.filter = fromUrl.filter;
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
document.body.dataset.ready = 'true';
