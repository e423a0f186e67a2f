// Browser entry of fn-calls: the wasm-bindgen ES module, with init() made idempotent (concurrent and repeated
// calls share one instantiation), initSync(), STATUSES before either, the error classes and the Standard Schema objects.
// Calling a function before init() throws "call init() first" (scripts/build.sh patches the generated module).
import wasmInit, { initSync as wasmInitSync } from './fn_calls.js';
import * as wasm from './fn_calls.js';
import { fastTransitions } from './transitions.js';
import { makeSchemas } from './schemas.js';
import { BUILT_STATUSES } from './statuses.js';

export * from './fn_calls.js';
export const { CallValidationError, CallFilterError, callSchema, filterSchema } = makeSchemas(wasm);

const transitions = fastTransitions(wasm);
// Same answers as the wasm export it replaces, from a table read once from Rust (see transitions.js).
export const canTransition = transitions.canTransition;
// The statuses in lifecycle order, from Rust: written into statuses.js by the build, so they are there before init().
export const STATUSES = BUILT_STATUSES;

let ready;
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input })
      .catch((e) => {
        ready = undefined;
        throw loadError(e, input);
      });
  }
  return ready;
}

// init() without an argument fetches fn_calls_bg.wasm by a URL relative to the glue's import.meta.url: Vite and webpack
// copy that file into the build and rewrite the URL; esbuild does not (a 404, or an invalid URL when import.meta is
// empty). The error names the file and the one step that fixes it instead of a bare fetch or URL error.
const WASM = 'fn_calls_bg.wasm';
function loadError(cause, input) {
  const why = cause?.message ?? String(cause);
  let message;
  if (input === undefined || typeof input === 'string' || input instanceof URL) {
    const from = input === undefined ? 'its default URL (next to fn-calls/web/fn_calls.js)' : String(input);
    message =
      `fn-calls: could not load its WebAssembly module ${WASM} from ${from}: ${why}. ` +
      `Vite and webpack copy the file by themselves; with esbuild, import its URL and pass it to init(): ` +
      `import wasmUrl from 'fn-calls/${WASM}' (build with --loader:.wasm=file), then await init(wasmUrl). ` +
      `Elsewhere, serve node_modules/fn-calls/web/${WASM} and pass its URL to init(). ` +
      `See docs/bundlers.md in the fn-calls repository.`;
  } else {
    message = `fn-calls: could not instantiate its WebAssembly module ${WASM} from what was passed to init(): ${why}`;
  }
  const e = new Error(message, { cause });
  e.code = 'FN_CALLS_WASM_NOT_LOADED';
  return e;
}

/** Instantiates the module synchronously from its bytes or a compiled WebAssembly.Module (small modules only in some browsers). */
export function initSync(module) {
  const output = wasmInitSync(module === undefined ? undefined : { module });
  ready ??= Promise.resolve(output);
  return output;
}
