// Packaging: the package as consumers load it (Node require, Node import, TypeScript with NodeNext and Bundler
// resolution), from outside the repository's own paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
