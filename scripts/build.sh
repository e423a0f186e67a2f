#!/usr/bin/env bash
# Builds the npm package in pkg/: the Rust crate to wasm, the pinned wasm-bindgen CLI's bindings for Node
# (CommonJS, ready synchronously) and for the web (ES module with init()), and ONE wasm file, pkg/web/fn_calls_bg.wasm
# (one wasm-opt pass), that both read: the web glue fetches it next to itself, the Node glue reads ../web/.
# Installs what it needs: the wasm target, the wasm-bindgen CLI matching Cargo.lock (in .tools/), npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock, or it refuses the module.
want=$(cargo pkgid --locked -p wasm-bindgen | sed 's/.*@//')
have=$("$root/.tools/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "== installing wasm-bindgen-cli $want into .tools/"
  # The CLI's own lock file pins a crate the registry mirror may not serve: try it, then fall back.
  args=(wasm-bindgen-cli --version "=$want" --root "$root/.tools" --debug --config profile.dev.debug=false)
  cargo install --locked "${args[@]}" || cargo install "${args[@]}"
fi
export PATH="$root/.tools/bin:$PATH"

# npm ci when node_modules is missing or older than the lock file (a pull that added a dev dependency).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== cargo build (wasm32, release)"
cargo build --locked --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/fn_calls.wasm

rm -rf pkg/node pkg/web
wasm-bindgen --target nodejs --out-dir pkg/node "$wasm"
wasm-bindgen --target web --out-dir pkg/web "$wasm"
# The Node build requires its inline JS snippets as CommonJS: turn each `export function f` into a CommonJS export.
for snippet in $(find pkg/node/snippets -name '*.js' 2>/dev/null); do
  names=$(sed -n 's/^export function \([A-Za-z0-9_]*\).*/\1/p' "$snippet" | paste -sd, -)
  sed -i 's/^export function /function /' "$snippet"
  echo "module.exports = { $names };" >> "$snippet"
  if grep -qE '^(import|export) ' "$snippet"; then echo "$snippet: only 'export function' snippets can be made CommonJS" >&2; exit 1; fi
done

# The Node glue will instantiate the web build's wasm: both targets must have produced the same module.
if ! cmp -s pkg/node/fn_calls_bg.wasm pkg/web/fn_calls_bg.wasm; then
  echo "wasm-bindgen wrote different wasm for --target nodejs and --target web: the Node build cannot share the web build's file" >&2
  exit 1
fi
rm pkg/node/fn_calls_bg.wasm pkg/node/fn_calls_bg.wasm.d.ts
# `import wasmUrl from 'fn-calls/fn_calls_bg.wasm'` (package.json exports) gives the file's URL with a bundler's file
# loader (esbuild --loader:.wasm=file): typed as that, in place of wasm-bindgen's list of the raw wasm exports.
cat > pkg/web/fn_calls_bg.wasm.d.ts <<'EOF'
// `import wasmUrl from 'fn-calls/fn_calls_bg.wasm'`: the URL of the package's wasm file as a bundler's file loader gives
// it (esbuild --loader:.wasm=file; webpack type: 'asset/resource'), to pass to init(wasmUrl).
declare const wasmUrl: string;
export default wasmUrl;
EOF

echo "== wasm-opt -O3"
# The flags match the features rustc enables by default for wasm32-unknown-unknown.
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg/web/fn_calls_bg.wasm -o pkg/web/fn_calls_bg.wasm

# The web entry: wasm-bindgen's init() plus an idempotent wrapper, initSync(), and the JavaScript parts shared with
# the Node entry (transitions.js, schemas.js).
cp js/web/index.js js/web/index.d.ts pkg/web/
# pkg/ is CommonJS for Node ("type": "commonjs"); the web build is ES modules, and says so for Node and tools.
echo '{ "type": "module", "sideEffects": false }' > pkg/web/package.json
# Shared JavaScript (canTransition's fast path, the error classes and Standard Schema objects): one ES module source
# each, copied for the web and turned into CommonJS for the Node entry (js/node/index.js).
for shared in transitions:fastTransitions schemas:makeSchemas; do
  file=${shared%%:*}
  fn=${shared##*:}
  cp "js/web/$file.js" pkg/web/
  { echo "'use strict';"; sed "s/^export function $fn/function $fn/" "js/web/$file.js"
    echo "module.exports = { $fn };"; } > "pkg/node/$file.js"
  if grep -qE '^(import|export) ' "pkg/node/$file.js"; then echo "js/web/$file.js: only 'export function $fn' can be turned into CommonJS" >&2; exit 1; fi
done
cp js/web/schemas.d.ts pkg/web/
cp js/web/schemas.d.ts pkg/node/
cp js/node/index.js js/node/index.d.ts js/node/index.mjs js/node/index.d.mts js/node/bundler.mjs js/node/wasm-file.js pkg/node/
# Patches to wasm-bindgen's output. Each fails loudly if the output changes shape.
# - web: calling a function before init() would fail deep in the glue ("reading 'parseCall' of undefined"): until the
#   module is instantiated, the glue's `wasm` is a stand-in that throws a clear error.
# - node: the glue reads the one wasm file through wasm-file.js (../web/fn_calls_bg.wasm, or next to a bundle, or a
#   clear error) instead of `${__dirname}/fn_calls_bg.wasm`; and it requires its snippets with plain string literals,
#   not String.raw templates, which bundlers cannot follow (esbuild: "Cannot find module './snippets/…'" at run time).
# - both: a CallIndex or CallStream lives in one module's wasm memory, and a structured clone (postMessage to a
#   worker) would copy only its pointer, meaningless (or worse, someone else's memory) on the other side. Each gets
#   an own property holding a symbol, which cannot be cloned: posting one throws a DataCloneError saying what to do.
node - <<'PATCH'
const fs = require('fs');
const patch = (file, edit) => {
  let src = fs.readFileSync(file, 'utf8');
  const swap = (from, to, count) => {
    const n = src.split(from).length - 1;
    if (n !== count) { console.error(`${file}: expected ${count} of ${JSON.stringify(from)}, found ${n}`); process.exit(1); }
    src = src.split(from).join(to);
  };
  edit(swap, (f) => { src = f(src); }, () => src);
  fs.writeFileSync(file, src);
};
const refuseClone = (swap, map) => {
  for (const name of ['CallIndex', 'CallStream']) {
    swap(`${name}Finalization.register(this, this.__wbg_ptr, this);`,
      `${name}Finalization.register(this, this.__wbg_ptr, this);\n        refuseClone(this, '${name}');`, 1);
  }
  map((src) => `${src}
// A CallIndex or CallStream lives in this module's WebAssembly memory: a clone would carry only its pointer.
function refuseClone(obj, name) {
    Object.defineProperty(obj, 'noClone', { enumerable: true, value: Symbol(\`a \${name} lives in the WebAssembly memory of the thread that made it and cannot be posted or cloned: post the bytes and build a \${name} where it is used\`) });
}
`);
};
patch('pkg/web/fn_calls.js', (swap, map) => {
  swap('let wasmModule, wasmInstance, wasm;',
    "let wasmModule, wasmInstance;\nconst notReady = new Proxy({}, { get() { throw new Error('fn-calls: the WebAssembly module is not loaded yet: call (and await) init() first'); } });\nlet wasm = notReady;", 1);
  swap('if (wasm !== undefined) return wasm;', 'if (wasm !== notReady) return wasm;', 2);
  refuseClone(swap, map);
});
patch('pkg/node/fn_calls.js', (swap, map, text) => {
  refuseClone(swap, map);
  swap("const wasmPath = `${__dirname}/fn_calls_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\nconst wasmModule = new WebAssembly.Module(wasmBytes);",
    "// One wasm file for the Node and web builds (scripts/build.sh): wasm-file.js finds it, or says how to fix it.\nconst wasmModule = new WebAssembly.Module(require('./wasm-file.js').readWasm());", 1);
  map((src) => src.replace(/require\(String\.raw`([^`$\\]*)`\)/g, (_, path) => `require(${JSON.stringify(path)})`));
  const left = text().match(/require\((?!["'])[^)]*\)/g);
  if (left) { console.error(`pkg/node/fn_calls.js: require() of a non-literal left: ${left.join(', ')}`); process.exit(1); }
  if (/__dirname|readFileSync/.test(text())) { console.error('pkg/node/fn_calls.js: still reads a file itself'); process.exit(1); }
});
PATCH
# The JSON Schema of the call (every generation), written by the Rust core: fn-calls/call.schema.json.
# (Its text as written: JSON.parse would round the uint64 and int64 bounds in it.)
node -e 'process.stdout.write(require("./pkg/node/fn_calls.js").callJsonSchema() + "\n")' > pkg/call.schema.json
# The statuses, read from the Rust core (through the Node build), so the web build has STATUSES before init().
node -e 'const s = require("./pkg/node/fn_calls.js").statuses(); process.stdout.write(`// Generated by scripts/build.sh from the Rust core (statuses()).\nexport const BUILT_STATUSES = Object.freeze(${JSON.stringify(s)});\n`)' > pkg/web/statuses.js
# The fn-calls command (pkg/package.json "bin"): plain Node ES modules that load the package as ../node/index.js.
rm -rf pkg/bin && mkdir -p pkg/bin && cp js/cli/*.mjs pkg/bin/ && chmod +x pkg/bin/fn-calls.mjs
# The Fn server client (fn-calls/server), shared by the command and the dashboard: one ES module for Node and browsers.
rm -rf pkg/server && mkdir -p pkg/server && cp js/server/index.mjs js/server/index.d.mts pkg/server/
cp README.md LICENSE CHANGELOG.md pkg/

if [ "$(find pkg -name '*.wasm' | wc -l)" != 1 ]; then echo "pkg/ must hold exactly one .wasm file: $(find pkg -name '*.wasm')" >&2; exit 1; fi
raw=$(wc -c < pkg/web/fn_calls_bg.wasm)
gz=$(gzip -9 -c pkg/web/fn_calls_bg.wasm | wc -c)
echo "== pkg/ built: fn_calls_bg.wasm ${raw} bytes raw, ${gz} bytes gzip -9"
