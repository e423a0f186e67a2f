// Browser entry of fn-calls: the wasm-bindgen ES module, with init() made idempotent (concurrent and repeated
// calls share one instantiation).
import wasmInit, * as wasm from './fn_calls.js';
import { fastTransitions } from './transitions.js';

export * from './fn_calls.js';

const transitions = fastTransitions(wasm);
// Same answers as the wasm export it replaces, from a table read once from Rust (see transitions.js).
export const canTransition = transitions.canTransition;
// The statuses in lifecycle order, from Rust: set once init() has resolved.
export let STATUSES;

let ready;
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input })
      .then((output) => {
        STATUSES = transitions.statuses();
        return output;
      })
      .catch((e) => {
        ready = undefined;
        throw e;
      });
  }
  return ready;
}
