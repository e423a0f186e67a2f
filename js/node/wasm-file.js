'use strict';
// Where the Node build reads its WebAssembly module from. The package ships ONE wasm file, web/fn_calls_bg.wasm,
// shared by the Node and web builds: scripts/build.sh makes wasm-bindgen's Node glue (fn_calls.js) call readWasm()
// instead of reading a copy next to itself.
//
// Installed, this file is node/wasm-file.js and the wasm is ../web/fn_calls_bg.wasm. Bundled into one file by a tool
// that picks this CommonJS entry, __dirname is the bundle's folder: a copy of the wasm next to the bundle is found.
// Anything else fails here, at load, naming the file and the fix, instead of an ENOENT from deep inside the glue.
const fs = require('fs');
const path = require('path');

const FILE = 'fn_calls_bg.wasm';

function readWasm() {
  const tried = [path.join(__dirname, '..', 'web', FILE), path.join(__dirname, FILE)];
  for (const file of tried) {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw e;
    }
  }
  throw missingWasm(tried);
}

function missingWasm(tried) {
  const e = new Error(
    `fn-calls: cannot find its WebAssembly module ${FILE} (looked for ${tried.join(' and ')}). ` +
      `It ships in the package as fn-calls/web/${FILE}. If fn-calls was bundled, copy ` +
      `node_modules/fn-calls/web/${FILE} next to the bundle, or keep fn-calls out of the bundle ` +
      `(esbuild --external:fn-calls, Rollup external: ['fn-calls']). See docs/bundlers.md in the fn-calls repository.`,
  );
  e.code = 'FN_CALLS_WASM_NOT_FOUND';
  return e;
}

module.exports = { readWasm, missingWasm };
