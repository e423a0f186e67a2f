// The calls table, virtualised: only the rows in view (plus a few) exist in the DOM, reused as the list scrolls,
// so 100k calls scroll as smoothly as 100. Sorting is the engine's (in the worker); this only draws. Which columns
// show is the person's choice (kept in localStorage). On a narrow screen each call is a small card (status, id,
// path, duration, error), still one virtualised row.

import { h, replace, fmtDuration, fmtBytes, fmtTime, statusBadge, zoneLabel, onZone, preview } from './dom.js';

/** Every column: key, header, width on a wide screen, whether it is numeric, whether it shows by default. */
export const COLUMNS = [
  { key: 'status', label: 'Status', width: '104px', on: true },
  { key: 'id', label: 'Call ID', width: '214px', on: true },
  { key: 'app', label: 'App', width: '80px', on: true },
  { key: 'path', label: 'Path', width: 'minmax(130px, 1.1fr)', on: true },
  { key: 'image', label: 'Image', width: 'minmax(120px, 1fr)', on: false },
  { key: 'method', label: 'Method', width: '76px', on: false },
  { key: 'created', label: 'Created', width: '176px', on: true },
  { key: 'duration', label: 'Duration', width: '90px', num: true, on: true },
  { key: 'memory', label: 'Peak mem', width: '92px', num: true, on: true },
  { key: 'error', label: 'Error', width: 'minmax(150px, 1.5fr)', on: true },
];

const OVERSCAN = 8;
const NARROW = '(max-width: 760px)';

/**
 * createTable(root, {onOpen(pos), onSort(sort)}) → {setData(rows, positions), setSort(sort), setColumns(keys),
 * focusPos(pos), neighbour(pos, step)}. `rows` are all loaded calls' rows; `positions` the ones to show, in order.
 */
export function createTable(root, { onOpen, onSort }) {
  let rows = [];
  let positions = new Int32Array(0);
  let sort = { key: 'id', dir: 'desc' };
  let visible = COLUMNS.filter((c) => c.on).map((c) => c.key);
  const narrow = matchMedia(NARROW);
  const rowHeight = () => parseFloat(getComputedStyle(root).getPropertyValue('--row-h')) || 34;
  let height = rowHeight();

  const header = h('div', { class: 'vt-header', role: 'row' });
  const headGroup = h('div', { class: 'vt-head-group', role: 'rowgroup' }, header);
  const spacer = h('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
  const layer = h('div', { class: 'vt-rows', role: 'rowgroup' });
  const empty = h('div', { class: 'vt-empty', role: 'status', hidden: true, text: 'No calls match this filter.' });
  const viewport = h('div', { class: 'vt-viewport' }, spacer, layer);
  replace(root, headGroup, viewport);
  root.after(empty); // a status, not a part of the table
  root.setAttribute('role', 'table');
  root.setAttribute('aria-label', 'Calls');

  let pool = [];
  let frame = 0;

  function applyColumns() {
    root.style.setProperty('--cols', COLUMNS.filter((c) => visible.includes(c.key)).map((c) => c.width).join(' '));
    for (const row of pool) row.el.remove();
    pool = [];
    drawHeader();
    render();
  }

  function drawHeader() {
    replace(
      header,
      COLUMNS.filter((c) => visible.includes(c.key)).map((c) => {
        const active = sort.key === c.key;
        return h(
          'div',
          { role: 'columnheader', class: `col-${c.key}${c.num ? ' num' : ''}`, 'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
          h(
            'button',
            {
              type: 'button',
              dataset: { key: c.key },
              onclick: () => {
                const dir = active && sort.dir === 'desc' ? 'asc' : 'desc';
                sort = { key: c.key, dir };
                drawHeader();
                onSort(sort);
              },
            },
            c.key === 'created' ? `Created (${zoneLabel()})` : c.label,
            active ? h('span', { class: 'arrow', 'aria-hidden': 'true', text: sort.dir === 'asc' ? '▲' : '▼' }) : null,
          ),
        );
      }),
    );
  }

  function makeRow() {
    const cells = {};
    for (const c of COLUMNS) {
      if (!visible.includes(c.key)) continue;
      cells[c.key] = h('span', { role: 'cell', class: `${c.key === 'error' ? 'err-col' : c.key}${c.num ? ' num' : ''}` });
    }
    const el = h('div', { class: 'vt-row', role: 'row', tabindex: '0' }, Object.values(cells));
    const row = { el, cells, pos: -1 };
    el.addEventListener('click', () => row.pos >= 0 && onOpen(row.pos));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && row.pos >= 0) onOpen(row.pos);
      else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = api.neighbour(row.pos, e.key === 'ArrowDown' ? 1 : -1);
        if (next !== null) api.focusPos(next);
      }
    });
    return row;
  }

  function fill(row, r) {
    row.pos = r.pos;
    row.el.dataset.pos = String(r.pos);
    row.el.dataset.id = r.id;
    const c = row.cells;
    if (c.status) replace(c.status, statusBadge(r.status));
    // Previews only: a cell shows one line, and a megabytes-long text would block the page (the detail shows it all).
    if (c.id) c.id.textContent = preview(r.id);
    if (c.app) c.app.textContent = preview(r.app);
    if (c.path) {
      c.path.textContent = preview(r.path);
      c.path.title = preview(r.path, 1000);
    }
    if (c.image) {
      c.image.textContent = preview(r.image);
      c.image.title = preview(r.image, 1000);
    }
    if (c.method) c.method.textContent = preview(r.method);
    if (c.created) c.created.textContent = fmtTime(r.createdMs);
    if (c.duration) {
      c.duration.textContent = fmtDuration(r.durationMs);
      c.duration.classList.toggle('dim', r.durationMs === null);
    }
    if (c.memory) {
      c.memory.textContent = r.peakMem === null ? '–' : fmtBytes(r.peakMem);
      c.memory.classList.toggle('dim', r.peakMem === null);
    }
    if (c.error) {
      c.error.textContent = preview(r.error);
      c.error.title = preview(r.error, 1000);
      c.error.classList.toggle('err', !!r.error);
    }
  }

  function render() {
    frame = 0;
    height = rowHeight();
    spacer.style.height = `${positions.length * height}px`;
    // keep the header's columns over the rows' when the rows have a scroll bar
    header.style.paddingRight = `${viewport.offsetWidth - viewport.clientWidth}px`;
    const top = viewport.scrollTop;
    const view = viewport.clientHeight || 520;
    const first = Math.max(0, Math.floor(top / height) - OVERSCAN);
    const last = Math.min(positions.length, Math.ceil((top + view) / height) + OVERSCAN);
    const needed = last - first;
    while (pool.length < needed) {
      const row = makeRow();
      pool.push(row);
      layer.appendChild(row.el);
    }
    for (let k = 0; k < pool.length; k++) {
      const row = pool[k];
      if (k < needed) {
        const index = first + k;
        row.el.hidden = false;
        row.el.style.transform = `translateY(${index * height}px)`;
        row.el.setAttribute('aria-rowindex', String(index + 2));
        const r = rows[positions[index]];
        if (row.pos !== r.pos) fill(row, r);
      } else {
        row.el.hidden = true;
        row.pos = -1;
      }
    }
  }

  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  viewport.addEventListener('scroll', schedule, { passive: true });
  new ResizeObserver(schedule).observe(viewport);
  narrow.addEventListener('change', () => {
    for (const row of pool) row.pos = -1;
    render();
  });
  onZone(() => {
    drawHeader();
    for (const row of pool) row.pos = -1;
    render();
  });
  applyColumns();

  const indexOf = (pos) => positions.indexOf(pos);

  const api = {
    setData(nextRows, nextPositions) {
      rows = nextRows;
      positions = nextPositions;
      root.setAttribute('aria-rowcount', String(positions.length + 1));
      empty.hidden = positions.length > 0;
      viewport.hidden = positions.length === 0;
      for (const row of pool) row.pos = -1;
      if (viewport.scrollTop > positions.length * height) viewport.scrollTop = 0;
      render();
    },
    setSort(next) {
      sort = next;
      drawHeader();
    },
    /** Shows these columns (keys of COLUMNS), in the table's order. */
    setColumns(keys) {
      visible = COLUMNS.map((c) => c.key).filter((k) => keys.includes(k));
      if (!visible.length) visible = ['id'];
      applyColumns();
    },
    get columns() {
      return [...visible];
    },
    scrollToTop() {
      viewport.scrollTop = 0;
    },
    /** The position `step` rows after `pos` in display order, or null past either end (or when not listed). */
    neighbour(pos, step) {
      const i = indexOf(pos);
      if (i < 0) return null;
      const j = i + step;
      return j >= 0 && j < positions.length ? positions[j] : null;
    },
    /** Scrolls the row of `pos` into view and gives it focus; false when it is not listed. */
    focusPos(pos) {
      const i = indexOf(pos);
      if (i < 0) return false;
      const top = i * height;
      if (top < viewport.scrollTop || top + height > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = Math.max(0, top - viewport.clientHeight / 2);
      render();
      const row = pool.find((r) => r.pos === pos);
      row?.el.focus({ preventScroll: true });
      if (row) row.el.scrollIntoView({ block: 'nearest' });
      return !!row;
    },
  };
  return api;
}
