// Packaging: the package as consumers load it (Node require, Node import, TypeScript with NodeNext and Bundler
// resolution), from outside the repository's own paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = join(root, 'pkg');

function linkPackage(dir) {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const link = join(dir, 'node_modules', 'fn-calls');
  if (!existsSync(link)) symlinkSync(pkg, link, 'dir');
}

function consumer() {
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-consumer-'));
  linkPackage(dir);
  return dir;
}

const BASE = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';

test('exports put types first in every condition and export ./package.json', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const walk = (node, where) => {
    if (typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.includes('types')) assert.equal(keys[0], 'types', `types first in ${where}`);
    for (const k of keys) walk(node[k], `${where}.${k}`);
  };
  walk(manifest.exports, 'exports');
  assert.equal(manifest.exports['./package.json'], './package.json');
});

test('Node require() works synchronously, no init call', () => {
  const dir = consumer();
  try {
    writeFileSync(join(dir, 'main.cjs'), `
      const { parseCall, stringifyCall } = require('fn-calls');
      const text = ${JSON.stringify(BASE)};
      if (stringifyCall(parseCall(text)) !== text) throw new Error('round trip');
      console.log(require('fn-calls/package.json').name);
    `);
    assert.equal(execFileSync(process.execPath, ['main.cjs'], { cwd: dir, encoding: 'utf8' }).trim(), 'fn-calls');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Node import works with named exports', () => {
  const dir = consumer();
  try {
    writeFileSync(join(dir, 'main.mjs'), `
      import { parseCall, validateCall } from 'fn-calls';
      import * as all from 'fn-calls';
      const call = parseCall(${JSON.stringify(BASE)});
      console.log(call.id, validateCall(call).length, typeof all.parseCalls);
    `);
    const out = execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' }).trim();
    assert.equal(out, '01C01TC09K47WGE00000000000 0 function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TypeScript --strict consumers compile (NodeNext and Bundler resolution)', () => {
  const types = join(root, 'tests', 'types');
  linkPackage(types);
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
    try {
      execFileSync(tsc, ['-p', join(types, config)], { encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc -p ${config}:\n${e.stdout}${e.stderr}`);
    }
  }
});

test('the web build: init() is idempotent, even when called concurrently', async () => {
  const web = await import('../../pkg/web/index.js');
  const wasm = readFileSync(join(pkg, 'web', 'fn_calls_bg.wasm'));
  const [a, b] = await Promise.all([web.default(wasm), web.default(wasm)]);
  assert.equal(a, b, 'one instantiation');
  assert.equal(await web.default(), a, 'later calls return the same module');
  assert.deepEqual(web.validateCall(BASE), []);
  assert.equal(web.canTransition('running', 'timeout'), true);
  assert.ok(Array.isArray(web.STATUSES) && web.STATUSES.length === 7);
});

test('code written for the browser runs unchanged in Node: import init, await init(), initSync() is harmless', () => {
  const dir = consumer();
  try {
    writeFileSync(join(dir, 'main.mjs'), `
      import init, { parseCall, initSync, STATUSES } from 'fn-calls';
      await init();
      await init();
      initSync();
      console.log(parseCall(${JSON.stringify(BASE)}).id, STATUSES.length);
    `);
    writeFileSync(join(dir, 'main.cjs'), `
      const { init, initSync, parseCall } = require('fn-calls');
      init().then(() => { initSync(); console.log(parseCall(${JSON.stringify(BASE)}).status); });
    `);
    assert.equal(execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' }).trim(), '01C01TC09K47WGE00000000000 7');
    assert.equal(execFileSync(process.execPath, ['main.cjs'], { cwd: dir, encoding: 'utf8' }).trim(), 'success');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the web build before init(): a clear "call init() first" error, STATUSES already there; initSync() sets it up', () => {
  const dir = consumer();
  try {
    writeFileSync(join(dir, 'main.mjs'), `
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      const web = await import(createRequire(import.meta.url).resolve('fn-calls/package.json').replace(/package\\.json$/, 'web/index.js'));
      const out = [web.STATUSES.join(',')];
      for (const f of [() => web.validateCall('{}'), () => new web.CallStream()]) {
        try { f(); out.push('no error'); } catch (e) { out.push(e.message); }
      }
      web.initSync(readFileSync(new URL('./node_modules/fn-calls/web/fn_calls_bg.wasm', import.meta.url)));
      out.push(web.validateCall(${JSON.stringify(BASE)}).length, (await web.default()) !== undefined);
      console.log(JSON.stringify(out));
    `);
    const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' }));
    const notYet = 'fn-calls: the WebAssembly module is not loaded yet: call (and await) init() first';
    assert.deepEqual(out, ['delayed,queued,running,success,error,cancelled,timeout', notYet, notYet, 0, true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CallValidationError and CallFilterError are classes: instanceof works on what the functions throw', async () => {
  const fc = require(pkg);
  const web = await import('../../pkg/web/index.js');
  await web.default(readFileSync(join(pkg, 'web', 'fn_calls_bg.wasm')));
  for (const m of [fc, web]) {
    const thrown = (f) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      assert.fail('did not throw');
    };
    const v = thrown(() => m.parseCall('{"id":5}'));
    assert.ok(v instanceof m.CallValidationError && v instanceof Error && !(v instanceof m.CallFilterError));
    assert.equal(v.issues[0].path, '/id');
    const f = thrown(() => m.filterCalls([], { per_page: 'many' }));
    assert.ok(f instanceof m.CallFilterError && f instanceof TypeError && !(f instanceof m.CallValidationError));
    assert.ok(!(new Error('x') instanceof m.CallValidationError), 'a plain Error is not one');
    const made = new m.CallValidationError([{ severity: 'error', code: 'wrong_type', path: '/id', message: 'bad id' }]);
    assert.ok(made instanceof m.CallValidationError);
    assert.equal(made.message, 'call is not valid: /id: bad id');
  }
});

test('Standard Schema v1: callSchema and filterSchema work in a library that takes one (Hono), uint64 kept exact from text', async () => {
  const fc = require(pkg);
  const { Hono } = await import('hono');
  const { sValidator } = await import('@hono/standard-validator');
  const max = '18446744073709551615';
  const text = BASE.replace('}', `,"memory":${max}}`);
  // a hand-written adapter over JSON.parse would refuse this: the number is already rounded past uint64
  assert.ok(BigInt(JSON.parse(text).memory) > BigInt(max), 'JSON.parse rounds it up, past the largest uint64');
  const ok = fc.callSchema['~standard'].validate(text);
  assert.equal(ok.value.memory, BigInt(max));
  assert.equal(ok.issues, undefined);
  const bad = fc.callSchema['~standard'].validate('{"id":"x","status":"exploded"}');
  assert.ok(bad.issues.length > 0);
  assert.ok(bad.issues.some((i) => i.path?.[0] === 'status' && /bad_status/.test(i.message)));
  assert.deepEqual(fc.callSchema['~standard'].validate(JSON.parse(text.replace(max, '5'))).value.memory, 5n, 'objects too');
  assert.equal(fc.callSchema['~standard'].vendor, 'fn-calls');
  assert.equal(fc.callSchema['~standard'].version, 1);
  assert.deepEqual(fc.filterSchema['~standard'].validate({ per_page: 10 }), { value: { per_page: 10 } });
  assert.equal(fc.filterSchema['~standard'].validate({ per_page: 'x' }).issues[0].path[0], 'per_page');

  const app = new Hono();
  app.post('/calls', sValidator('json', fc.callSchema), (c) => c.json({ id: c.req.valid('json').id }));
  app.get('/calls', sValidator('query', fc.filterSchema), (c) => c.text('ok'));
  const good = await app.request('/calls', { method: 'POST', body: BASE, headers: { 'content-type': 'application/json' } });
  assert.equal(good.status, 200);
  assert.deepEqual(await good.json(), { id: '01C01TC09K47WGE00000000000' });
  const refused = await app.request('/calls', { method: 'POST', body: '{"id":5}', headers: { 'content-type': 'application/json' } });
  assert.equal(refused.status, 400);
  assert.match(JSON.stringify(await refused.json()), /wrong_type/);
  assert.equal((await app.request('/calls?path=/hello')).status, 200);
});
