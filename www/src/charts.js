// Every chart of the page, drawn with Apache ECharts on canvas: this module (and ECharts, only the parts drawn) is
// loaded after the first view, so the page's first load stays small. Tooltips use ECharts' rich-text mode (drawn on
// the canvas too) rather than its HTML tooltips, so no call data ever passes through an HTML string. Colours come
// from the page's CSS variables, so the charts follow the light or dark theme.

import * as echarts from 'echarts/core';
import { BarChart, LineChart, GraphChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendScrollComponent, MarkLineComponent, TitleComponent, BrushComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { STATUS_COLORS, STATUS_ORDER } from './fncalls.js';
import { fmtDuration, fmtBytes, fmtSpan, timeParts, fmtTime, zoneLabel } from './dom.js';

echarts.use([BarChart, LineChart, GraphChart, HeatmapChart, GridComponent, TooltipComponent, LegendScrollComponent, MarkLineComponent, TitleComponent, BrushComponent, VisualMapContinuousComponent, CanvasRenderer]);

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif";

/** The theme's colours, read from the page's CSS variables at each draw. */
function theme() {
  const css = getComputedStyle(document.documentElement);
  const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b2430'),
    muted: v('--muted', '#5f6b7a'),
    faint: v('--faint', '#667085'),
    axis: v('--border-strong', '#cfd4dc'),
    split: v('--border', '#eef0f3'),
    surface: v('--surface', '#ffffff'),
    failed: v('--failed-line', '#7f1d1d'),
  };
}

function axis(t) {
  return { axisLine: { lineStyle: { color: t.axis } }, axisTick: { show: false }, axisLabel: { color: t.muted, fontSize: 11 } };
}
const split = (t) => ({ splitLine: { lineStyle: { color: t.split } } });
const TOOLTIP = {
  renderMode: 'richText',
  backgroundColor: '#111827',
  borderWidth: 0,
  textStyle: { color: '#f3f4f6', fontSize: 12, fontFamily: FONT },
  padding: [8, 10],
};

/** The words an empty chart shows in its middle. */
const emptyTitle = (empty, t) => ({
  show: empty,
  text: 'No calls match this filter',
  left: 'center',
  top: 'middle',
  textStyle: { color: t.muted, fontSize: 13, fontWeight: 400, fontFamily: FONT },
});

/** A chart bound to an element, resized with it (not while hidden: a 0×0 graph chart throws). */
function mount(el) {
  const chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: 'canvas' });
  new ResizeObserver(() => {
    if (el.clientWidth > 0 && el.clientHeight > 0 && !chart.isDisposed()) chart.resize();
  }).observe(el);
  return chart;
}

const statusSeriesOrder = (present) =>
  // errors at the bottom of each stack, where a thin band is easiest to see
  ['error', 'timeout', 'cancelled', 'success', 'running', 'queued', 'delayed', ...present].filter(
    (s, i, all) => present.includes(s) && all.indexOf(s) === i,
  );

/** A bucket's label on the time axis, in the page's zone (24-hour). */
export function timeLabel(ms, width, range) {
  const d = timeParts(ms);
  const pad = (n) => String(n).padStart(2, '0');
  const hm = `${pad(d.h)}:${pad(d.mi)}`;
  if (range > 2 * 86400000 || width >= 86400000) return `${d.mo + 1}/${d.d}${width < 86400000 ? ` ${hm}` : ''}`;
  return width < 60000 ? `${hm}:${pad(d.s)}` : hm;
}

/** "shop /checkout" when one app has the path, else the path alone. */
export const pathLabel = (g) => (g.apps?.length === 1 ? `${g.apps[0]} ${g.key}` : g.key || '(no path)');

/** Brushing (dragging across) a chart selects a range of its x axis; the brush is always on. */
function brushable(chart, t) {
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
}
const BRUSH = (color) => ({
  xAxisIndex: 0,
  brushType: 'lineX',
  brushMode: 'single',
  transformable: false,
  removeOnClick: true,
  throttleType: 'debounce',
  throttleDelay: 50,
  brushStyle: { borderWidth: 1, color: 'rgba(37, 99, 235, 0.15)', borderColor: color },
  outOfBrush: { colorAlpha: 0.35 },
});

/** The bins of a category-axis brush: [first, last] indexes, or null. */
function brushed(params) {
  const area = params.areas?.[0];
  if (!area?.coordRange) return null;
  const [a, b] = area.coordRange;
  return [Math.max(0, Math.min(a, b)), Math.max(a, b)];
}

/**
 * The summary charts of the main view. Handlers: onBucket(bucket) for a click on a time bar, onZoom({start, end})
 * for a drag across the time chart, onDuration({min, max}) for a drag across the histogram, onGroup(group).
 */
export function createSummaryCharts({ time, duration, groups, heatmap, timeHint, durationHint }, { onBucket, onZoom, onDuration, onGroup }) {
  const timeChart = mount(time);
  const durationChart = mount(duration);
  const groupsChart = mount(groups);
  const heatChart = mount(heatmap);
  let buckets = [];
  let topGroups = [];
  let histLo = 0;
  let edges = [];
  let groupLabel = pathLabel;

  // A click on the time chart drills into its bucket. The brush (drag to zoom) takes the mouse, so the click is
  // read from the canvas: a press and release at the same place, inside the plot.
  let down = null;
  timeChart.getZr().on('mousedown', (e) => (down = [e.offsetX, e.offsetY]));
  timeChart.getZr().on('click', (e) => {
    const moved = down ? Math.abs(e.offsetX - down[0]) + Math.abs(e.offsetY - down[1]) : 0;
    down = null;
    if (moved > 4 || !buckets.length || !timeChart.containPixel('grid', [e.offsetX, e.offsetY])) return;
    const i = timeChart.convertFromPixel({ xAxisIndex: 0 }, e.offsetX);
    const b = buckets[Math.round(Array.isArray(i) ? i[0] : i)];
    if (b) onBucket(b);
  });
  timeChart.on('brushEnd', (p) => {
    const r = brushed(p);
    timeChart.dispatchAction({ type: 'brush', areas: [] });
    if (!r || !buckets.length) return;
    const a = buckets[Math.min(r[0], buckets.length - 1)];
    const b = buckets[Math.min(r[1], buckets.length - 1)];
    onZoom({ start: a.start, end: b.end });
  });
  durationChart.on('brushEnd', (p) => {
    const r = brushed(p);
    durationChart.dispatchAction({ type: 'brush', areas: [] });
    if (!r) return;
    const lo = r[0] + histLo;
    const hi = r[1] + histLo;
    onDuration({ min: lo === 0 ? 0 : edges[lo], max: edges[hi + 1] ?? null });
  });
  groupsChart.on('click', (p) => {
    const g = topGroups[p.dataIndex];
    if (g) onGroup(g);
  });

  return {
    /**
     * `summary`: the engine's answer (CallIndex.summarize, bucketed; the duration histogram and heatmap; the
     * group summaries with `group_by`). `label(group)` names a group.
     */
    update(summary, { label = pathLabel } = {}) {
      const t = theme();
      const AXIS = axis(t);
      const SPLIT = split(t);
      groupLabel = label;
      buckets = (summary.buckets || []).map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), stats: b.stats, by_status: b.stats.by_status }));
      const range = buckets.length ? buckets[buckets.length - 1].end - buckets[0].start : 0;
      const width = buckets.length ? buckets[0].end - buckets[0].start : 0;
      const present = STATUS_ORDER.filter((s) => buckets.some((b) => b.by_status[s]));
      if (buckets.some((b) => b.by_status.empty)) present.push('');
      timeHint.textContent = width ? `${fmtSpan(width)} buckets · ${zoneLabel()} · drag across to zoom, click a bar to filter` : '';
      const labels = buckets.map((b) => timeLabel(b.start, width, range));

      const empty = !summary.total.count;
      timeChart.setOption(
        {
          title: emptyTitle(empty, t),
          textStyle: { fontFamily: FONT },
          animationDuration: 300,
          grid: { left: 44, right: 44, top: 36, bottom: 26 },
          legend: {
            type: 'scroll', // one line, paged when the chart is narrow
            top: 0,
            left: 0,
            right: 0,
            icon: 'circle',
            itemWidth: 9,
            itemHeight: 9,
            itemGap: 8,
            textStyle: { color: t.muted, fontSize: 12 },
            pageTextStyle: { color: t.muted },
            data: [...present.map((s) => (s === '' ? '(empty)' : s)), 'failed %'],
          },
          tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v === null || v === undefined ? '–' : String(v)) },
          brush: BRUSH(t.muted),
          xAxis: { type: 'category', data: labels, ...AXIS },
          yAxis: [
            { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
            { type: 'value', min: 0, max: 100, ...AXIS, splitLine: { show: false }, axisLabel: { ...AXIS.axisLabel, formatter: '{value}%' } },
          ],
          series: [
            ...statusSeriesOrder(present).map((s) => ({
              name: s === '' ? '(empty)' : s,
              type: 'bar',
              stack: 'calls',
              barCategoryGap: '18%',
              itemStyle: { color: STATUS_COLORS[s] || STATUS_COLORS[''] },
              emphasis: { focus: 'series' },
              data: buckets.map((b) => b.by_status[s === '' ? 'empty' : s] || 0),
            })),
            {
              // failed (error + timeout) of the finished calls of each bucket: a spike stands out even when errors
              // are a thin band under many successes
              name: 'failed %',
              type: 'line',
              yAxisIndex: 1,
              symbol: 'circle',
              symbolSize: 5,
              connectNulls: false,
              lineStyle: { width: 2, color: t.failed },
              itemStyle: { color: t.failed },
              z: 5,
              data: buckets.map((b) => (b.stats.error_rate === null ? null : Math.round(b.stats.error_rate * 1000) / 10)),
            },
          ],
        },
        { notMerge: true },
      );
      brushable(timeChart, t);

      const hist = summary.histogram;
      edges = hist.edges;
      const binLabels = hist.edges.map((e) => fmtDuration(e));
      const decade = (ms) => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);
      const binOf = (ms) => {
        let i = 0;
        while (i < hist.edges.length - 1 && ms >= hist.edges[i + 1]) i++;
        return i;
      };
      const d = summary.total.duration_ms;
      durationHint.textContent = d ? `drag across to set a duration range` : 'no finished calls';
      // keep the bins that hold calls, plus one on each side
      let lo = hist.counts.findIndex((c) => c > 0);
      let hi = hist.counts.length - 1 - [...hist.counts].reverse().findIndex((c) => c > 0);
      if (lo < 0) {
        lo = 0;
        hi = hist.counts.length - 1;
      }
      lo = Math.max(0, lo - 1);
      hi = Math.min(hist.counts.length - 1, hi + 1);
      histLo = lo;
      // p50/p90/p99: percentiles that fall in the same or the next bin share one label, so labels never overlap
      const marks = [];
      for (const [name, value, color] of [
        ['p50', d?.p50, '#16a34a'],
        ['p90', d?.p90, '#ea580c'],
        ['p99', d?.p99, '#dc2626'],
      ]) {
        if (value === null || value === undefined) continue;
        const x = binOf(value) - lo;
        const near = marks.find((m) => Math.abs(m.x - x) <= 1);
        if (near) near.names.push(name);
        else marks.push({ x, names: [name], color });
      }
      durationChart.setOption(
        {
          title: emptyTitle(!hist.counts.some((c) => c > 0), t),
          textStyle: { fontFamily: FONT },
          animationDuration: 300,
          grid: { left: 44, right: 14, top: 30, bottom: 26 },
          tooltip: {
            ...TOOLTIP,
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (items) => {
              const i = items[0].dataIndex + lo;
              const next = hist.edges[i + 1];
              return `${binLabels[i]} – ${next ? fmtDuration(next) : '…'}\n${items[0].value} calls`;
            },
          },
          brush: BRUSH(t.muted),
          xAxis: {
            type: 'category',
            data: binLabels.slice(lo, hi + 1),
            ...AXIS,
            // label the powers of ten only
            axisLabel: { ...AXIS.axisLabel, interval: (i) => (i + lo) % 4 === 0, formatter: (_, i) => decade(hist.edges[i + lo]) },
          },
          yAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
          series: [
            {
              type: 'bar',
              name: 'calls',
              barCategoryGap: '8%',
              itemStyle: {
                borderRadius: [3, 3, 0, 0],
                color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
                  { offset: 0, color: '#6366f1' },
                  { offset: 1, color: '#93c5fd' },
                ]),
              },
              data: hist.counts.slice(lo, hi + 1),
              markLine: {
                symbol: 'none',
                silent: true,
                data: marks
                  .filter((m) => m.x >= 0 && m.x <= hi - lo)
                  .map((m) => ({
                    xAxis: m.x,
                    label: { formatter: m.names.join(' '), color: m.color, fontSize: 11, position: 'end' },
                    lineStyle: { color: m.color, type: 'dashed', width: 1.5 },
                  })),
              },
            },
          ],
        },
        { notMerge: true },
      );
      brushable(durationChart, t);

      // calls per time bucket and duration bin
      const cells = summary.heatmap?.cells || [];
      const maxCell = cells.reduce((m, c) => Math.max(m, c[2]), 0);
      heatChart.setOption(
        {
          title: emptyTitle(!cells.length, t),
          textStyle: { fontFamily: FONT },
          animation: false,
          grid: { left: 56, right: 14, top: 10, bottom: 26 },
          tooltip: {
            ...TOOLTIP,
            formatter: (p) => {
              const [x, y, n] = p.value;
              const b = buckets[x];
              return `${b ? fmtTime(b.start) : ''}\n${binLabels[y + lo]} – ${hist.edges[y + lo + 1] ? fmtDuration(hist.edges[y + lo + 1]) : '…'}\n${n} calls`;
            },
          },
          xAxis: { type: 'category', data: labels, ...AXIS, splitArea: { show: false } },
          yAxis: {
            type: 'category',
            data: binLabels.slice(lo, hi + 1),
            ...AXIS,
            axisLabel: { ...AXIS.axisLabel, interval: (i) => (i + lo) % 4 === 0, formatter: (_, i) => decade(hist.edges[i + lo]) },
          },
          visualMap: { show: false, min: 0, max: Math.max(1, maxCell), inRange: { color: [t.split, '#93c5fd', '#6366f1', '#7c3aed', '#be123c'] } },
          series: [{ type: 'heatmap', name: 'calls', data: cells.map(([x, y, n]) => [x, y - lo, n]).filter((c) => c[1] >= 0 && c[1] <= hi - lo), progressive: 0 }],
        },
        { notMerge: true },
      );

      topGroups = [...(summary.groups || [])].slice(0, 10);
      const groupStatuses = STATUS_ORDER.filter((s) => topGroups.some((g) => g.stats.by_status[s]));
      groupsChart.setOption(
        {
          title: emptyTitle(empty, t),
          textStyle: { fontFamily: FONT },
          animationDuration: 300,
          grid: { left: 8, right: 16, top: 8, bottom: 20, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
          tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
          xAxis: { type: 'value', minInterval: 1, ...AXIS, ...SPLIT },
          yAxis: {
            type: 'category',
            inverse: true,
            data: topGroups.map((g) => groupLabel(g)),
            ...AXIS,
            axisLabel: { ...AXIS.axisLabel, fontSize: 12, color: t.text, width: 170, overflow: 'truncate' },
          },
          series: statusSeriesOrder(groupStatuses).map((s) => ({
            name: s,
            type: 'bar',
            stack: 'calls',
            barCategoryGap: '28%',
            itemStyle: { color: STATUS_COLORS[s] },
            emphasis: { focus: 'series' },
            data: topGroups.map((g) => g.stats.by_status[s] || 0),
          })),
        },
        { notMerge: true },
      );
    },
  };
}

const NO_LIMIT = 2 ** 62; // Docker reports 9223372036854771712 when a container has no memory limit

/** The memory and CPU samples of one call. `stats` as the package returns them (bigint metrics). */
export function drawStats(memEl, cpuEl, stats) {
  const t = stats.map((s) => Date.parse(s.timestamp));
  const metric = (name, scale = 1) =>
    stats.map((s, i) => [t[i], s.metrics && s.metrics[name] !== undefined ? Number(s.metrics[name]) / scale : null]);
  const MIB = 1048576;
  const limits = stats.map((s) => (s.metrics?.mem_limit !== undefined ? Number(s.metrics.mem_limit) : null)).filter((x) => x !== null);
  const limit = limits.length ? Math.max(...limits) : null;
  const th = theme();
  const AXIS = axis(th);
  const SPLIT = split(th);
  const base = {
    textStyle: { fontFamily: FONT },
    animation: false,
    grid: { left: 56, right: 14, top: 34, bottom: 26 },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 4, textStyle: { color: th.muted, fontSize: 11 } },
    xAxis: { type: 'time', ...AXIS, axisLabel: { ...AXIS.axisLabel, hideOverlap: true } },
  };

  const mem = mount(memEl);
  const memSeries = [
    {
      name: 'mem_usage',
      type: 'line',
      showSymbol: stats.length < 30,
      smooth: 0.2,
      lineStyle: { width: 2, color: '#7c3aed' },
      itemStyle: { color: '#7c3aed' },
      areaStyle: { color: 'rgba(124, 58, 237, 0.12)' },
      data: metric('mem_usage', MIB),
    },
  ];
  if (limit !== null && limit < NO_LIMIT) {
    memSeries.push({
      name: 'mem_limit',
      type: 'line',
      showSymbol: false,
      lineStyle: { width: 1.5, type: 'dashed', color: '#dc2626' },
      itemStyle: { color: '#dc2626' },
      data: metric('mem_limit', MIB),
    });
  }
  mem.setOption({
    ...base,
    legend: { ...base.legend, data: memSeries.map((s) => s.name) },
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v) => (v === null ? '–' : fmtBytes(v * MIB)) },
    yAxis: { type: 'value', ...AXIS, ...SPLIT, axisLabel: { ...AXIS.axisLabel, formatter: '{value} MiB' } },
    series: memSeries,
  });

  const cpu = mount(cpuEl);
  cpu.setOption({
    ...base,
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v) => (v === null ? '–' : `${v}%`) },
    yAxis: { type: 'value', min: 0, ...AXIS, ...SPLIT, axisLabel: { ...AXIS.axisLabel, formatter: '{value}%' } },
    series: [
      { name: 'cpu_user', type: 'line', stack: 'cpu', showSymbol: false, lineStyle: { width: 0 }, areaStyle: { color: 'rgba(37, 99, 235, 0.35)' }, itemStyle: { color: '#2563eb' }, data: metric('cpu_user') },
      { name: 'cpu_kernel', type: 'line', stack: 'cpu', showSymbol: false, lineStyle: { width: 0 }, areaStyle: { color: 'rgba(234, 88, 12, 0.4)' }, itemStyle: { color: '#ea580c' }, data: metric('cpu_kernel') },
      { name: 'cpu_total', type: 'line', showSymbol: stats.length < 30, lineStyle: { width: 2, color: th.text }, itemStyle: { color: th.text }, data: metric('cpu_total') },
    ],
  });
  return { limit, unlimited: limit !== null && limit >= NO_LIMIT };
}

// Where each status sits in the diagram (docs/transitions.md), left to right in lifecycle order.
const LAYOUT = {
  new: [0, 1],
  delayed: [1, 0],
  queued: [2, 1],
  running: [3, 1],
  success: [4.3, -0.2],
  error: [4.3, 0.6],
  cancelled: [4.3, 1.4],
  timeout: [4.3, 2.2],
};

/**
 * The transition diagram as the package describes it (`graph`: {nodes, edges}), with this call's inferred history
 * drawn over it. `edges` carry `modes`; edges the chosen mode does not allow are drawn dashed and faint.
 */
export function drawTransitions(el, graph, history, mode) {
  const chart = mount(el);
  const t = theme();
  const walked = new Set();
  const path = ['new', ...history];
  for (let i = 1; i < path.length; i++) walked.add(`${path[i - 1]}>${path[i]}`);
  const current = history[history.length - 1];
  const extra = graph.nodes.filter((n) => !LAYOUT[n.id]);
  const data = graph.nodes.map((n, k) => {
    const [x, y] = LAYOUT[n.id] || [5.4, extra.indexOf(n) * 0.8];
    const reached = path.includes(n.id);
    const color = n.id === 'new' ? '#111827' : STATUS_COLORS[n.id] || '#94a3b8';
    return {
      name: n.id,
      x: x * 100,
      y: y * 60,
      symbol: 'roundRect',
      symbolSize: [n.id === current ? 92 : 82, n.id === current ? 32 : 28],
      itemStyle: reached
        ? { color, borderColor: n.id === current ? t.text : color, borderWidth: n.id === current ? 2 : 0 }
        : { color: t.surface, borderColor: t.axis, borderWidth: 1.5 },
      label: { show: true, color: reached ? '#ffffff' : t.muted, fontSize: 12, fontWeight: n.id === current ? 700 : 500, fontFamily: FONT },
      z: k,
    };
  });
  const links = graph.edges.map((e) => {
    const inMode = !e.modes || e.modes.includes(mode);
    const taken = walked.has(`${e.from}>${e.to}`);
    return {
      source: e.from,
      target: e.to,
      lineStyle: taken
        ? { color: inMode ? '#2563eb' : '#dc2626', width: 3, type: inMode ? 'solid' : 'dashed', curveness: 0.08, opacity: 1 }
        : { color: '#94a3b8', width: 1.2, type: inMode ? 'solid' : 'dashed', curveness: 0.08, opacity: inMode ? 0.75 : 0.4 },
    };
  });
  // steps of the history that the diagram has no edge for, drawn red
  const known = new Set(graph.edges.map((e) => `${e.from}>${e.to}`));
  for (const step of walked) {
    if (!known.has(step)) {
      const [from, to] = step.split('>');
      links.push({ source: from, target: to, lineStyle: { color: '#dc2626', width: 3, type: 'dashed', curveness: 0.3 } });
    }
  }
  chart.setOption({
    animation: false,
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: false,
        left: 50,
        right: 50,
        top: 24,
        bottom: 24,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        data,
        links,
        silent: true,
      },
    ],
  });
  return chart;
}

/** Frees the charts inside `root` (before its elements are thrown away). */
export function disposeCharts(root) {
  for (const el of root.querySelectorAll('.chart')) echarts.getInstanceByDom(el)?.dispose();
}
