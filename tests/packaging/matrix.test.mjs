// The built package as users get it: `npm pack` of pkg/, installed with `npm install <tarball>` into a fresh project
// per case, built by each bundler and RUN: Node programs and bundles with node (bundles from a folder with no
// node_modules above it, as they are deployed), browser bundles in headless Chromium on 127.0.0.1. Every case checks
// a real result: a call with a uint64 above 2^53 read and written back byte for byte, canTransition, STATUSES, and
// CallValidationError. Where a bundler does not copy the wasm by itself (esbuild, Rollup), the case checks both the
// error without the documented step (it names the file and the fix) and the result with it (docs/bundlers.md).
//
// Needs a built pkg/ (bash scripts/build.sh), the root devDependencies (the bundlers) and /usr/bin/chromium.
// Run with `node --test --test-reporter=spec tests/packaging/` for one line per case.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = join(root, 'pkg');
const fromRoot = createRequire(join(root, 'package.json'));
const CHROMIUM = '/usr/bin/chromium';
const WASM = 'fn_calls_bg.wasm';
const bin = {
  esbuild: join(root, 'node_modules', 'esbuild', 'bin', 'esbuild'),
  vite: join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
  tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
};

// ---- The consumer apps ------------------------------------------------------------------------------------------

// One check for every app, in Node and in the browser. 18446744073709551615 is 2^64 - 1: a Number would round it.
const CHECK = String.raw`
const TEXT = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","memory":18446744073709551615,"completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
function check(fc) {
  const call = fc.parseCall(TEXT);
  if (call.memory !== 18446744073709551615n) throw new Error('memory read as ' + String(call.memory));
  const back = fc.stringifyCall(call);
  if (back !== TEXT) throw new Error('written back as ' + back);
  let refused;
  try { fc.parseCall('{"id":5}'); } catch (e) { refused = e; }
  if (!(refused instanceof fc.CallValidationError)) throw new Error('parseCall did not throw a CallValidationError');
  // UTF-8 bytes (decoded to text to build the calls) and a plain object (written as JSON text) read as text does
  const small = TEXT.replace('18446744073709551615', '128');
  const bytes = new TextEncoder().encode('[' + small + ',' + small.replace('"a"', '"caf\u00e9 \ud834\udd1e"') + ']');
  const many = fc.parseCalls(bytes);
  if (many.calls.length !== 2 || many.calls[1].app_name !== 'caf\u00e9 \ud834\udd1e' || many.calls[1].memory !== 128n) {
    throw new Error('parseCalls of bytes: ' + JSON.stringify(many.issues));
  }
  const plain = fc.safeParseCall(JSON.parse(TEXT.replace('18446744073709551615', '9223372036854775807')));
  if (!plain.success || plain.data.memory !== 9223372036854775808n || plain.warnings[0].code !== 'unsafe_integer') {
    throw new Error('safeParseCall of an object: ' + (plain.warnings ?? plain.issues).map((i) => i.code).join(', '));
  }
  return 'RESULT memory=' + call.memory + ' roundtrip=exact running>timeout=' + fc.canTransition('running', 'timeout') +
    ' success>running=' + fc.canTransition('success', 'running') + ' statuses=' + fc.STATUSES.length;
}
`;
const EXPECTED = 'RESULT memory=18446744073709551615 roundtrip=exact running>timeout=true success>running=false statuses=7';

const APPS = {
  'check.mjs': `${CHECK}export { TEXT, check };\n`,
  'check.cjs': `${CHECK}module.exports = { TEXT, check };\n`,
  // Node, CommonJS: ready when require() returns.
  'main.cjs': `const fc = require('fn-calls');\nconst { check } = require('./check.cjs');\nconsole.log(check(fc));\n`,
  // Node, ES module: import and require in one program must share one instance (one wasm memory, one set of classes).
  'required.cjs': `exports.requiredParseCall = require('fn-calls').parseCall;\n`,
  'main.mjs': `import init, * as fc from 'fn-calls';
import { requiredParseCall } from './required.cjs';
import { check } from './check.mjs';
await init();
if (requiredParseCall !== fc.parseCall) throw new Error('require() and import loaded two instances of fn-calls');
console.log(check(fc));
`,
  // Node worker_threads: a CommonJS and an ES module worker, each loading the package on its own thread.
  'threads.mjs': `import { Worker } from 'node:worker_threads';
import * as fc from 'fn-calls';
import { check } from './check.mjs';
const run = (file) => new Promise((resolve, reject) => {
  const worker = new Worker(new URL(file, import.meta.url));
  worker.once('message', resolve);
  worker.once('error', reject);
  worker.once('exit', (code) => reject(new Error(file + ' exited with ' + code)));
});
const answers = await Promise.all([run('./worker.cjs'), run('./worker.mjs')]);
for (const a of answers) if (a !== check(fc)) throw new Error('a worker answered ' + a);
console.log(answers.join('\\n'));
`,
  'worker.cjs': `const { parentPort } = require('node:worker_threads');\nconst { check } = require('./check.cjs');\nparentPort.postMessage(check(require('fn-calls')));\n`,
  'worker.mjs': `import { parentPort } from 'node:worker_threads';\nimport * as fc from 'fn-calls';\nimport { check } from './check.mjs';\nparentPort.postMessage(check(fc));\n`,
  // Browser: the result (or the error) lands in window.__result for the test to read.
  'browser.js': `import init, * as fc from 'fn-calls';
import { check } from './check.mjs';
init().then(() => check(fc)).then((r) => { window.__result = r; }, (e) => { window.__result = 'ERROR ' + e.message; });
`,
  // esbuild's one step (docs/bundlers.md): import the wasm's URL (--loader:.wasm=file) and pass it to init().
  'browser-url.js': `import init, * as fc from 'fn-calls';
import wasmUrl from 'fn-calls/${WASM}';
import { check } from './check.mjs';
init(wasmUrl).then(() => check(fc)).then((r) => { window.__result = r; }, (e) => { window.__result = 'ERROR ' + e.message; });
`,
  // Browser, Web Worker: the worker loads the package and answers.
  'browser-worker.js': `const worker = new Worker(new URL('./web-worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => { window.__result = e.data; };
worker.onerror = (e) => { window.__result = 'ERROR in the worker: ' + e.message; };
`,
  'web-worker.js': `import init, * as fc from 'fn-calls';
import { check } from './check.mjs';
init().then(() => check(fc)).then((r) => postMessage(r), (e) => postMessage('ERROR ' + e.message));
`,
  // TypeScript: the same check, typed, compiled under --strict and run.
  'app.mts': `import init, { parseCall, stringifyCall, canTransition, STATUSES, CallValidationError, type Call, type CallStatus } from 'fn-calls';
const TEXT = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","memory":18446744073709551615,"completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
await init();
const call: Call = parseCall(TEXT);
const memory: bigint | undefined = call.memory;
if (memory !== 18446744073709551615n) throw new Error('memory read as ' + String(memory));
if (stringifyCall(call) !== TEXT) throw new Error('round trip');
let refused: unknown;
try { parseCall('{"id":5}'); } catch (e) { refused = e; }
if (!(refused instanceof CallValidationError)) throw new Error('not a CallValidationError');
const statuses: readonly CallStatus[] = STATUSES;
const ok: boolean = canTransition('running', 'timeout');
console.log('RESULT memory=' + memory + ' roundtrip=exact running>timeout=' + ok + ' success>running=' +
  canTransition('success', 'running') + ' statuses=' + statuses.length);
`,
};

// Type-checked only (Bundler resolution): the import that esbuild's documented step uses gives a string URL.
APPS['wasm-url.ts'] = `import init from 'fn-calls';
import wasmUrl from 'fn-calls/${WASM}';
const url: string = wasmUrl;
// @ts-expect-error it is a URL, not the module's exports
wasmUrl.parseCall;
export const ready: Promise<unknown> = init(url);
`;

const page = (script, module = true) =>
  `<!doctype html>\n<meta charset="utf-8">\n<title>fn-calls</title>\n<script ${module ? 'type="module" ' : ''}src="${script}"></script>\n`;

// ---- Helpers ----------------------------------------------------------------------------------------------------

let work;
let packed;
let tarball;

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message = `${cmd} ${args.join(' ')} (in ${options.cwd}) failed: ${error.message}\n${stdout}\n${stderr}`;
        error.stdout = stdout;
        error.stderr = stderr;
        reject(error);
      } else resolve({ stdout, stderr });
    });
  });
}

/** A fresh project with the packed package installed as users install it, and the named app files. */
async function project(name, files, extra = {}, devDependencies = []) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }, null, 2));
  for (const f of files) writeFileSync(join(dir, f), APPS[f]);
  for (const [f, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: dir });
  // The project's own dev tools (not the package's dependencies): linked from the repository's node_modules.
  for (const dep of devDependencies) {
    mkdirSync(dirname(join(dir, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }
  return dir;
}

/** Copies a Node bundle to a folder with no node_modules above it, as it is deployed, and runs it there. */
function deploy(from, name) {
  const to = join(work, 'deployed', name);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}

const node = (cwd, file) => run(process.execPath, [file], { cwd }).then((r) => r.stdout.trim());

async function nodeFails(cwd, file) {
  const e = await run(process.execPath, [file], { cwd }).then(
    () => assert.fail(`${file} ran: expected it to stop with a clear error`),
    (err) => err,
  );
  return e.stderr;
}

function assertClearNodeError(stderr) {
  assert.match(stderr, /fn-calls: cannot find its WebAssembly module fn_calls_bg\.wasm/, stderr);
  assert.match(stderr, /copy node_modules\/fn-calls\/web\/fn_calls_bg\.wasm next to the bundle/, stderr);
  assert.doesNotMatch(stderr, /ENOENT/, stderr);
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

function serve(dir) {
  const missing = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      missing.push(path);
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, missing, close: () => server.close() }));
  });
}

let context;
let profile;
function chromium() {
  context ??= (async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    const { chromium } = fromRoot('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'fn-calls-chromium-')); // a fresh --user-data-dir
    return chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
  })();
  return context;
}

/** Opens dir/index.html (served on 127.0.0.1) in Chromium and returns what the app put in window.__result. */
async function inBrowser(dir) {
  const server = await serve(dir);
  const tab = await (await chromium()).newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  try {
    await tab.goto(`${server.url}/index.html`);
    await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    return { result: await tab.evaluate(() => window.__result), missing: server.missing };
  } catch (e) {
    e.message += `\npage errors: ${errors.join('\n') || 'none'}; not found: ${server.missing.join(', ') || 'none'}`;
    throw e;
  } finally {
    await tab.close();
    server.close();
  }
}

const esbuild = (cwd, args) => run(bin.esbuild, [...args, '--bundle', '--log-level=warning'], { cwd });

/** webpack 5 through its Node API, from the repository's node_modules; fails on any error or warning. */
async function webpack(cwd, config) {
  writeFileSync(join(cwd, 'build-webpack.cjs'), `const webpack = require(${JSON.stringify(fromRoot.resolve('webpack'))});
const config = ${JSON.stringify(config)};
webpack({ context: __dirname, mode: 'production', devtool: false, performance: { hints: false }, ...config,
  output: { path: require('path').join(__dirname, 'dist'), clean: true, ...config.output } }, (err, stats) => {
  if (err) throw err;
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors() || stats.hasWarnings()) {
    console.error([...info.errors, ...info.warnings].map((m) => m.message).join('\\n'));
    process.exit(1);
  }
});
`);
  await run(process.execPath, ['build-webpack.cjs'], { cwd });
}

// ---- The matrix -------------------------------------------------------------------------------------------------

before(async () => {
  assert.ok(existsSync(join(pkg, 'node', 'index.js')) && existsSync(join(pkg, 'web', WASM)), 'pkg/ is not built: run bash scripts/build.sh first');
  work = mkdtempSync(join(tmpdir(), 'fn-calls-packaging-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: pkg });
  packed = JSON.parse(stdout)[0];
  tarball = join(work, packed.filename);
});

after(async () => {
  if (context) await (await context).close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('fn-calls installed from npm pack', { concurrency: 2 }, () => {
  test('npm pack: one wasm file, web/fn_calls_bg.wasm, for the Node and web builds', (t) => {
    const wasms = packed.files.filter((f) => f.path.endsWith('.wasm'));
    assert.deepEqual(wasms.map((f) => f.path), [`web/${WASM}`]);
    const bytes = readFileSync(join(pkg, 'web', WASM));
    t.diagnostic(`${WASM}: ${bytes.length} bytes raw, ${gzipSync(bytes, { level: 9 }).length} gzipped (zlib level 9); ` +
      `tarball ${packed.size} bytes, unpacked ${packed.unpackedSize} bytes, ${packed.entryCount} files`);
  });

  test('Node, CommonJS: require() is ready at once', async () => {
    const dir = await project('node-cjs', ['main.cjs', 'check.cjs']);
    assert.equal(await node(dir, 'main.cjs'), EXPECTED);
  });

  test('Node, ES module: import (require() in the same program shares the instance)', async () => {
    const dir = await project('node-esm', ['main.mjs', 'required.cjs', 'check.mjs']);
    assert.equal(await node(dir, 'main.mjs'), EXPECTED);
  });

  test('Node, worker_threads: a CommonJS and an ES module worker', async () => {
    const dir = await project('node-threads', ['threads.mjs', 'worker.cjs', 'worker.mjs', 'check.cjs', 'check.mjs']);
    assert.equal(await node(dir, 'threads.mjs'), `${EXPECTED}\n${EXPECTED}`);
  });

  for (const [name, config, files, own] of [
    ['NodeNext', 'tsconfig.nodenext.json', ['consumer.ts'], ['app.mts']],
    ['Bundler', 'tsconfig.bundler.json', ['consumer.ts', 'web-consumer.ts'], ['app.mts', 'wasm-url.ts']],
  ]) {
    test(`TypeScript ${name} resolution: tsc --strict, no skipLibCheck (tests/types consumers and an app, run)`, async () => {
      const types = join(root, 'tests', 'types');
      const extra = Object.fromEntries([config, ...files].map((f) => [f, readFileSync(join(types, f), 'utf8')]));
      extra['tsconfig.json'] = JSON.stringify({
        extends: `./${config}`,
        compilerOptions: { noEmit: false, outDir: 'out', strict: true, skipLibCheck: false },
        files: [...files, ...own],
      });
      // consumer.ts checks callSchema against the Standard Schema spec's own types.
      const dir = await project(`ts-${name.toLowerCase()}`, own, extra, ['@standard-schema/spec']);
      await run(process.execPath, [bin.tsc, '-p', 'tsconfig.json'], { cwd: dir }).catch((e) => assert.fail(`tsc:\n${e.stdout}${e.stderr}`));
      assert.equal(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions.skipLibCheck, false);
      assert.equal(await node(dir, join('out', 'app.mjs')), EXPECTED);
    });
  }

  for (const format of ['esm', 'cjs']) {
    test(`esbuild --platform=node --format=${format}: clear error, then runs once the wasm is copied next to the bundle`, async () => {
      const [entry, out] = format === 'esm' ? ['main.mjs', 'app.mjs'] : ['main.cjs', 'app.cjs'];
      const dir = await project(`esbuild-node-${format}`, ['main.mjs', 'main.cjs', 'required.cjs', 'check.mjs', 'check.cjs']);
      await esbuild(dir, [entry, '--platform=node', `--format=${format}`, `--outfile=dist/${out}`]);
      assertClearNodeError(await nodeFails(deploy(join(dir, 'dist'), `esbuild-node-${format}-as-built`), out));
      copyFileSync(join(dir, 'node_modules', 'fn-calls', 'web', WASM), join(dir, 'dist', WASM)); // the documented step
      assert.equal(await node(deploy(join(dir, 'dist'), `esbuild-node-${format}`), out), EXPECTED);
    });
  }

  test('webpack 5, target node: runs as built (the wasm is emitted with the bundle)', async () => {
    const dir = await project('webpack-node', ['main.mjs', 'required.cjs', 'check.mjs']);
    await webpack(dir, { target: 'node', entry: './main.mjs', output: { filename: 'main.js' } });
    assert.equal(await node(deploy(join(dir, 'dist'), 'webpack-node'), 'main.js'), EXPECTED);
  });

  test('Rollup + node-resolve + commonjs (node): clear error, then runs once the wasm is copied next to the bundle', async () => {
    const dir = await project('rollup-node', ['main.mjs', 'required.cjs', 'check.mjs'], {
      'build-rollup.cjs': `const req = require('module').createRequire(${JSON.stringify(join(root, 'package.json'))});
const { rollup } = req('rollup');
const { nodeResolve } = req('@rollup/plugin-node-resolve');
const commonjs = req('@rollup/plugin-commonjs');
const warnings = [];
rollup({ input: 'main.mjs', external: [/^node:/], onwarn: (w) => warnings.push(w.message),
  plugins: [nodeResolve({ exportConditions: ['node'], preferBuiltins: true }), commonjs()] })
  .then((bundle) => bundle.write({ file: 'dist/app.mjs', format: 'es' }))
  .then(() => { if (warnings.length) { console.error(warnings.join('\\n')); process.exit(1); } });
`,
    });
    await run(process.execPath, ['build-rollup.cjs'], { cwd: dir });
    assertClearNodeError(await nodeFails(deploy(join(dir, 'dist'), 'rollup-node-as-built'), 'app.mjs'));
    copyFileSync(join(dir, 'node_modules', 'fn-calls', 'web', WASM), join(dir, 'dist', WASM)); // the documented step
    assert.equal(await node(deploy(join(dir, 'dist'), 'rollup-node'), 'app.mjs'), EXPECTED);
  });

  test('Vite (browser): runs as built', async () => {
    const dir = await project('vite', ['browser.js', 'check.mjs'], { 'index.html': page('./browser.js') });
    await run(process.execPath, [bin.vite, 'build', '--logLevel', 'warn'], { cwd: dir });
    assert.equal((await inBrowser(join(dir, 'dist'))).result, EXPECTED);
  });

  test('Vite (browser), Web Worker: the worker loads the package and answers', async () => {
    const dir = await project('vite-worker', ['browser-worker.js', 'web-worker.js', 'check.mjs'], { 'index.html': page('./browser-worker.js') });
    await run(process.execPath, [bin.vite, 'build', '--logLevel', 'warn'], { cwd: dir });
    assert.equal((await inBrowser(join(dir, 'dist'))).result, EXPECTED);
  });

  test('webpack 5, target web: runs as built', async () => {
    const dir = await project('webpack-web', ['browser.js', 'check.mjs']);
    await webpack(dir, { target: 'web', entry: './browser.js', output: { filename: 'main.js' } });
    writeFileSync(join(dir, 'dist', 'index.html'), page('main.js', false));
    assert.equal((await inBrowser(join(dir, 'dist'))).result, EXPECTED);
  });

  test('esbuild --platform=browser: clear error as built (iife and esm), runs with --loader:.wasm=file and init(wasmUrl)', async () => {
    const dir = await project('esbuild-browser', ['browser.js', 'browser-url.js', 'check.mjs']);
    for (const format of ['iife', 'esm']) {
      const out = join(dir, `dist-${format}`);
      await esbuild(dir, ['browser.js', '--platform=browser', `--format=${format}`, `--outfile=${join(out, 'app.js')}`]);
      writeFileSync(join(out, 'index.html'), page('app.js', format === 'esm'));
      const { result } = await inBrowser(out);
      assert.match(result, /^ERROR fn-calls: could not load its WebAssembly module fn_calls_bg\.wasm/, `${format}: ${result}`);
      assert.match(result, /--loader:\.wasm=file\), then await init\(wasmUrl\)/, `${format}: ${result}`);
    }
    const out = join(dir, 'dist');
    await esbuild(dir, ['browser-url.js', '--platform=browser', '--loader:.wasm=file', `--outfile=${join(out, 'app.js')}`]);
    writeFileSync(join(out, 'index.html'), page('app.js', false));
    assert.equal((await inBrowser(out)).result, EXPECTED);
  });
});
