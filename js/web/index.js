// Browser entry of fn-calls: the wasm-bindgen ES module, with init() made idempotent (concurrent and repeated
// calls share one instantiation).
import wasmInit from './fn_calls.js';

export * from './fn_calls.js';

let ready;
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input }).catch((e) => {
      ready = undefined;
      throw e;
    });
  }
  return ready;
}
