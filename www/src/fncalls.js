// The fn-calls package, as a web app uses it: the ES module build through the bundler, initialised once.

import init, * as fc from 'fn-calls';

export const ready = init();
export { fc };

/** Chart colours, the same as the badges' (style.css). */
export const STATUS_COLORS = {
  success: '#16a34a',
  error: '#dc2626',
  timeout: '#ea580c',
  cancelled: '#64748b',
  running: '#2563eb',
  queued: '#7c3aed',
  delayed: '#ca8a04',
  '': '#94a3b8',
};

/**
 * Display order: outcomes first (what people look for), then in-flight states; the statuses themselves are the
 * package's (`statuses()`, lifecycle order), checked once it is ready.
 */
export const STATUS_ORDER = ['success', 'error', 'timeout', 'cancelled', 'running', 'queued', 'delayed'];
ready.then(() => {
  for (const s of fc.statuses()) if (!STATUS_ORDER.includes(s)) STATUS_ORDER.push(s);
});
