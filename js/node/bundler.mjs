// Node entry for bundlers: the "module" condition under "node" in package.json, which webpack, esbuild, Rollup and
// Vite (SSR) read and Node itself does not. Plain Node loads index.js / index.mjs instead.
//
// It is the web build's ES modules, instantiated synchronously from the package's one wasm file while this module
// loads, so a bundle for Node is ready at import, like plain Node, and `require` and `import` in a bundle share one
// instance. No CommonJS `require` (esbuild's ESM output cannot run one), no __dirname-relative path to the package
// (a bundle runs from elsewhere).
//
// Where the wasm is found, in order:
// 1. ../web/fn_calls_bg.wasm relative to import.meta.url, written as the literal URL pattern webpack (and Vite) know,
//    so they emit the file with the bundle and rewrite the URL; unbundled, it is the package's own file.
// 2. fn_calls_bg.wasm next to the bundle (import.meta.url of an ESM bundle, __dirname of a CommonJS one): esbuild and
//    Rollup do not copy it; docs/bundlers.md says to copy it there.
// Otherwise this throws at load, naming the file and the fix.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import init, { initSync } from '../web/index.js';

export * from '../web/index.js';
export { init, init as default };

const FILE = 'fn_calls_bg.wasm';

function places() {
  const found = [];
  const add = (place) => {
    try {
      const p = place();
      if (p) found.push(p instanceof URL || String(p).startsWith('file:') ? fileURLToPath(p) : String(p));
    } catch {
      // import.meta.url is empty in a CommonJS bundle; __dirname does not exist in an ES module one
    }
  };
  add(() => new URL('../web/fn_calls_bg.wasm', import.meta.url));
  // Not a literal URL pattern, which webpack would take for a file to resolve at build time; and not read under webpack
  // at all, which writes import.meta.url as this file's absolute path on the build machine into the bundle.
  const here = typeof __webpack_require__ === 'function' ? undefined : import.meta.url;
  if (here) add(() => new URL(FILE, here));
  add(() => typeof __dirname === 'string' && `${__dirname}/${FILE}`);
  return [...new Set(found)];
}

function readWasm() {
  const tried = places();
  for (const file of tried) {
    try {
      return readFileSync(file);
    } catch (e) {
      if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw e;
    }
  }
  const e = new Error(
    `fn-calls: cannot find its WebAssembly module ${FILE} (looked for ${tried.join(' and ') || 'it next to the bundle'}). ` +
      `It ships in the package as fn-calls/web/${FILE}. esbuild and Rollup do not copy it into a bundle: copy ` +
      `node_modules/fn-calls/web/${FILE} next to the bundle, or keep fn-calls out of the bundle ` +
      `(esbuild --external:fn-calls, Rollup external: ['fn-calls']). See docs/bundlers.md in the fn-calls repository.`,
  );
  e.code = 'FN_CALLS_WASM_NOT_FOUND';
  throw e;
}

initSync(readWasm());
