// Status transitions from JavaScript: the built package as a Node user loads it, the JS fast path of canTransition
// against the wasm export it stands in for, and checkCallUpdate on real fixture calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
// The wasm-bindgen module itself: canTransition here is the wasm export, not the JS fast path.
const wasm = require('../../pkg/node/fn_calls.js');
const fixtures = new URL('../fixtures/', import.meta.url);
const fixture = (name) => readFileSync(new URL(name, fixtures), 'utf8');
const innerCall = (text) => JSON.parse(text).call;

const ALL = ['delayed', 'queued', 'running', 'success', 'error', 'cancelled', 'timeout'];
const MODES = ['observed', 'strict'];
// The diagram written out by hand; observed adds running → timeout.
const DRAWN = ['delayed>queued', 'queued>running', 'running>success', 'running>error', 'running>cancelled'];
const expected = (from, to, mode) => DRAWN.includes(`${from}>${to}`) || (mode === 'observed' && from === 'running' && to === 'timeout');

test('the Node entry adds STATUSES and the JS canTransition (pkg/package.json must point at node/index.js)', () => {
  assert.ok(Array.isArray(fc.STATUSES), 'fn-calls has no STATUSES: "main", "types" and exports["."] node/default in pkg/package.json must point at ./node/index.js and ./node/index.d.ts');
  assert.deepEqual(fc.STATUSES, ALL);
  assert.deepEqual(fc.STATUSES, fc.statuses());
  assert.ok(Object.isFrozen(fc.STATUSES));
  assert.notEqual(fc.canTransition, wasm.canTransition, 'canTransition is the JS fast path');
  // Everything else is the wasm module's own export.
  for (const [name, value] of Object.entries(wasm)) {
    if (name !== 'canTransition') assert.equal(fc[name], value, name);
  }
});

test('every (from, to) pair in both modes, through the package', () => {
  for (const mode of MODES) {
    for (const from of ALL) {
      for (const to of ALL) {
        const want = expected(from, to, mode);
        const what = `${from} → ${to} (${mode})`;
        assert.equal(fc.canTransition(from, to, { mode }), want, what);
        assert.equal(wasm.canTransition(from, to, { mode }), want, `wasm: ${what}`);
        if (mode === 'observed') assert.equal(fc.canTransition(from, to), want, `default: ${what}`);
        const check = fc.checkTransition(from, to, { mode });
        assert.equal(check.ok, want, what);
        if (want) assert.deepEqual(check, { ok: true });
        else assert.deepEqual(Object.keys(check), ['ok', 'code', 'message'], what);
        assert.equal(fc.nextStatuses(from, { mode }).includes(to), want, `next: ${what}`);
      }
    }
  }
});

test('the JS table and the Rust table agree on every input, including invalid ones', () => {
  const table = fc.transitionTable();
  assert.deepEqual(table.statuses, ALL);
  assert.deepEqual(table.modes, MODES);
  assert.equal(table.allowed.length, 2 * 7 * 7);

  const outcome = (f) => {
    try {
      return { value: f() };
    } catch (e) {
      return { threw: `${e.constructor.name}: ${e.message}` };
    }
  };
  const values = [...ALL, '', 'Running', ' running', 'timeout ', 'new', '__proto__', 'constructor', 'toString', null, undefined, 0, 2, NaN, true, {}, [], ['running'], new String('running'), Symbol('running'), 10n];
  const options = [
    undefined,
    null,
    {},
    { mode: undefined },
    { mode: 'observed' },
    { mode: 'strict' },
    Object.create({ mode: 'strict' }),
    Object.assign(Object.create(null), { mode: 'strict' }),
    [],
    new Date(0),
    // Rejected by both paths the same way:
    { mode: 'strict', other: 1 },
    { other: undefined },
    { mode: null },
    { mode: 'Strict' },
    { mode: '' },
    { mode: 1 },
    { mode: new String('strict') },
    'strict',
    1,
    true,
    () => {},
  ];
  let threw = 0;
  for (const opts of options) {
    for (const from of values) {
      for (const to of values) {
        const fast = outcome(() => fc.canTransition(from, to, opts));
        const slow = outcome(() => wasm.canTransition(from, to, opts));
        assert.deepEqual(fast, slow, `${String(from)} → ${String(to)} with ${JSON.stringify(opts)}`);
        if (fast.threw) {
          threw++;
          assert.match(fast.threw, /^TypeError: /);
        } else {
          assert.equal(typeof fast.value, 'boolean');
        }
      }
    }
  }
  assert.ok(threw > 0, 'bad options throw on both paths');
  // Statuses that are not strings are simply not statuses.
  assert.equal(fc.canTransition(new String('running'), 'success'), false);
  assert.throws(() => fc.canTransition('running', 'success', { mode: 'strict', other: 1 }), /unknown option 'other'/);
  assert.throws(() => fc.canTransition('running', 'success', { mode: 'Strict' }), /options.mode must be "observed" or "strict"/);
  // Only own keys are options, as everywhere in the package.
  assert.equal(fc.canTransition('running', 'timeout', Object.create({ mode: 'strict' })), true);
});

test('statuses, predicates and initial statuses', () => {
  for (const s of ALL) assert.equal(fc.isStatus(s), true, s);
  for (const v of ['', 'Success', null, undefined, 1, {}]) assert.equal(fc.isStatus(v), false, String(v));
  assert.deepEqual(ALL.filter(fc.isTerminal), ['success', 'error', 'cancelled', 'timeout']);
  assert.equal(fc.isTerminal('bogus'), false);
  assert.deepEqual(fc.initialStatuses(), ['delayed', 'queued']);
  assert.deepEqual(fc.initialStatuses({ mode: 'strict' }), ['delayed', 'queued']);
  assert.deepEqual(fc.nextStatuses('running'), ['success', 'error', 'cancelled', 'timeout']);
  assert.deepEqual(fc.nextStatuses('running', { mode: 'strict' }), ['success', 'error', 'cancelled']);
  assert.deepEqual(fc.nextStatuses('success'), []);
  assert.deepEqual(fc.nextStatuses('bogus'), []);
  assert.throws(() => fc.nextStatuses('running', { mode: 'lenient' }), TypeError);
});

test('checkTransition explains in words', () => {
  const cancelled = fc.checkTransition('queued', 'cancelled');
  assert.equal(cancelled.code, 'skips_status');
  assert.match(cancelled.message, /'cancelled' is reachable only from 'running'/);
  const retry = fc.checkTransition('error', 'queued');
  assert.equal(retry.code, 'from_terminal');
  assert.match(retry.message, /a retry creates a new call rather than moving a finished one/);
  assert.equal(fc.checkTransition('running', 'queued').code, 'goes_back');
  assert.equal(fc.checkTransition('running', 'running').code, 'unchanged');
  assert.deepEqual(fc.checkTransition('running', 'timeout'), { ok: true });
  const strict = fc.checkTransition('running', 'timeout', { mode: 'strict' });
  assert.equal(strict.code, 'undeclared_status');
  assert.match(strict.message, /observed mode adds running → timeout/);
  const unknown = fc.checkTransition('Queued', 'running');
  assert.equal(unknown.code, 'unknown_status');
  assert.match(unknown.message, /statuses are lower case/);
  assert.throws(() => fc.checkTransition(null, 'running'), TypeError);
});

test('validateHistory points at the offending element', () => {
  assert.deepEqual(fc.validateHistory(['delayed', 'queued', 'running', 'success']), []);
  assert.deepEqual(fc.validateHistory(['queued', 'queued', 'running', 'running', 'error'], { mode: 'strict' }), []);
  assert.deepEqual(fc.validateHistory(['success']), [], 'observed: a call stored only at its end');
  const strict = fc.validateHistory(['success'], { mode: 'strict' });
  assert.deepEqual(strict.map((i) => [i.path, i.code, i.severity]), [['/0', 'not_initial', 'error']]);
  const back = fc.validateHistory(['queued', 'running', 'success', 'queued']);
  assert.deepEqual(back.map((i) => [i.path, i.code]), [['/3', 'from_terminal']]);
  assert.deepEqual(fc.validateHistory(['queued', 'bogus']).map((i) => [i.path, i.code]), [['/1', 'unknown_status']]);
  assert.deepEqual(fc.validateHistory(['', 'running', 'timeout']), []);
  assert.throws(() => fc.validateHistory('queued'), TypeError);
  assert.throws(() => fc.validateHistory(['queued', 3]), TypeError);
});

test('checkCallUpdate on real fixture calls', () => {
  const mqCopy = fixture('generated-v1-call-full-mq-async.json');
  const success = innerCall(fixture('generated-v1-call-get-success.json'));
  const error = innerCall(fixture('generated-v1-call-get-error.json'));
  const timeout = innerCall(fixture('generated-v1-call-get-timeout.json'));
  const ZERO = '0001-01-01T00:00:00.000Z';
  const codes = (issues) => issues.map((i) => [i.path, i.code, i.severity]);

  // The async queue copy ("status":"") and the stored call it became: clean in the observed mode.
  const stored = { ...success, id: JSON.parse(mqCopy).id };
  assert.deepEqual(fc.checkCallUpdate(mqCopy, stored), []);
  assert.deepEqual(codes(fc.checkCallUpdate(mqCopy, stored, { mode: 'strict' })), [['/status', 'undeclared_status', 'error']]);
  // Text, bytes and parsed calls are all accepted.
  const bytes = new TextEncoder().encode(JSON.stringify(stored));
  assert.deepEqual(fc.checkCallUpdate(fc.parseCall(mqCopy), bytes), []);

  // running → each final status, from the fixtures.
  for (const done of [success, error, timeout]) {
    const running = { ...done, status: 'running', completed_at: ZERO, error: undefined };
    assert.deepEqual(fc.checkCallUpdate(running, done), [], done.status);
    const queued = { ...running, status: 'queued', started_at: ZERO };
    assert.deepEqual(fc.checkCallUpdate(queued, running), [], done.status);
    assert.deepEqual(codes(fc.checkCallUpdate(queued, done)), [['/status', 'skips_status', 'error']], done.status);
  }
  assert.deepEqual(codes(fc.checkCallUpdate({ ...timeout, status: 'running', completed_at: ZERO }, timeout, { mode: 'strict' })), [['/status', 'undeclared_status', 'error']]);

  assert.deepEqual(codes(fc.checkCallUpdate(success, error)), [['/id', 'id_changed', 'error']]);
  const retried = { ...error, status: 'queued' };
  const issues = fc.checkCallUpdate(error, retried);
  assert.equal(issues[0].code, 'from_terminal');
  assert.match(issues[0].message, /a retry creates a new call/);
  assert.deepEqual(codes(fc.checkCallUpdate(success, { ...success, started_at: '2017-11-28T17:21:40.000Z' })), [['/started_at', 'time_changed', 'error']]);
  assert.deepEqual(
    codes(fc.checkCallUpdate({ ...success, status: 'running', completed_at: ZERO }, { ...success, completed_at: ZERO })),
    [['/completed_at', 'completed_at_not_set', 'warning']],
  );
  assert.deepEqual(
    codes(fc.checkCallUpdate({ ...success, status: 'running', completed_at: ZERO }, { ...success, error: 'boom' })),
    [['/error', 'error_without_error_status', 'warning']],
  );

  assert.throws(() => fc.checkCallUpdate('{"id":1}', success), (e) => e.name === 'CallValidationError' && e.message.startsWith('before: ') && Array.isArray(e.issues));
  assert.throws(() => fc.checkCallUpdate(success, 'not json'), (e) => e.name === 'CallValidationError' && e.message.startsWith('after: '));
});

test('transitionGraph is plain data that agrees with canTransition', () => {
  for (const mode of MODES) {
    const graph = fc.transitionGraph({ mode });
    assert.equal(graph.mode, mode);
    assert.deepEqual(JSON.parse(JSON.stringify(graph)), graph, 'plain data');
    assert.deepEqual(graph.nodes.map((n) => n.status), mode === 'strict' ? ALL.slice(0, 6) : ALL);
    for (const from of ALL) {
      for (const to of ALL) {
        const drawn = graph.edges.some((e) => e.from === from && e.to === to);
        assert.equal(drawn, fc.canTransition(from, to, { mode }), `${from} → ${to} (${mode})`);
      }
    }
    assert.deepEqual(graph.edges.filter((e) => e.from === null).map((e) => e.to), fc.initialStatuses({ mode }));
    for (const e of graph.edges) assert.ok(e.modes.includes(mode));
  }
  const observed = fc.transitionGraph();
  assert.deepEqual(observed.edges.find((e) => e.to === 'timeout'), { from: 'running', to: 'timeout', modes: ['observed'] });
  assert.deepEqual(observed.nodes.find((n) => n.status === 'timeout'), { status: 'timeout', initial: false, terminal: true, modes: ['observed'] });
});

test('the web entry: same table; STATUSES (generated from Rust at build time) before init(), the table after it', async () => {
  // pkg/ is CommonJS for Node, so the web build's ES modules are imported from a copy marked as ESM.
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-web-'));
  try {
    cpSync(new URL('../../pkg/web/', import.meta.url), dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const web = await import(pathToFileURL(join(dir, 'index.js')).href);
    assert.deepEqual(web.STATUSES, ALL, 'written by the build from the Rust core');
    assert.throws(() => web.canTransition('running', 'success'), /call \(and await\) init\(\) first/, 'no table before init()');
    await web.default(readFileSync(join(dir, 'fn_calls_bg.wasm')));
    assert.deepEqual(web.STATUSES, ALL);
    assert.deepEqual(web.STATUSES, web.statuses(), 'the same as the Rust core says at run time');
    assert.ok(Object.isFrozen(web.STATUSES));
    for (const opts of [undefined, { mode: 'observed' }, { mode: 'strict' }, { mode: 'nope' }]) {
      for (const from of [...ALL, 'bogus', null]) {
        for (const to of [...ALL, '']) {
          const outcome = (f) => {
            try {
              return f();
            } catch (e) {
              return `${e.constructor.name}: ${e.message}`;
            }
          };
          assert.deepEqual(outcome(() => web.canTransition(from, to, opts)), outcome(() => fc.canTransition(from, to, opts)));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
