#!/usr/bin/env bash
# Builds the npm package in pkg/: the Rust crate to wasm, the pinned wasm-bindgen CLI's bindings for Node
# (CommonJS, ready synchronously) and for the web (ES module with init()), one wasm-opt pass shared by both.
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

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/tsc ]; then
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

echo "== wasm-opt -O3"
# The flags match the features rustc enables by default for wasm32-unknown-unknown.
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg/node/fn_calls_bg.wasm -o pkg/node/fn_calls_bg.wasm
cp pkg/node/fn_calls_bg.wasm pkg/web/fn_calls_bg.wasm

# The web entry: wasm-bindgen's init() plus an idempotent wrapper and the hand-kept fast paths.
cp js/web/index.js js/web/index.d.ts pkg/web/
# pkg/ is CommonJS for Node ("type": "commonjs"); the web build is ES modules, and says so for Node and tools.
echo '{ "type": "module", "sideEffects": false }' > pkg/web/package.json
# canTransition's JavaScript fast path: one ES module source, copied for the web and turned into CommonJS for the Node
# entry (js/node/index.js), which pkg/package.json points at.
cp js/web/transitions.js pkg/web/
{ echo "'use strict';"; sed 's/^export function fastTransitions/function fastTransitions/' js/web/transitions.js
  echo 'module.exports = { fastTransitions };'; } > pkg/node/transitions.js
if grep -qE '^(import|export) ' pkg/node/transitions.js; then echo "js/web/transitions.js: only 'export function fastTransitions' can be turned into CommonJS" >&2; exit 1; fi
cp js/node/index.js js/node/index.d.ts pkg/node/
# The fn-calls command (pkg/package.json "bin"): plain Node ES modules that load the package as ../node/index.js.
rm -rf pkg/bin && mkdir -p pkg/bin && cp js/cli/*.mjs pkg/bin/ && chmod +x pkg/bin/fn-calls.mjs
# The Fn server client (fn-calls/server), shared by the command and the dashboard: one ES module for Node and browsers.
rm -rf pkg/server && mkdir -p pkg/server && cp js/server/index.mjs js/server/index.d.mts pkg/server/
cp README.md LICENSE CHANGELOG.md pkg/

raw=$(wc -c < pkg/web/fn_calls_bg.wasm)
gz=$(gzip -9 -c pkg/web/fn_calls_bg.wasm | wc -c)
echo "== pkg/ built: fn_calls_bg.wasm ${raw} bytes raw, ${gz} bytes gzip -9"
