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
        throw e;
      });
  }
  return ready;
}

/** Instantiates the module synchronously from its bytes or a compiled WebAssembly.Module (small modules only in some browsers). */
export function initSync(module) {
  const output = wasmInitSync(module === undefined ? undefined : { module });
  ready ??= Promise.resolve(output);
  return output;
}
