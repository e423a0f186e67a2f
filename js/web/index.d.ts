export * from './fn_calls.js';
import type { InitInput, InitOutput } from './fn_calls.js';
/** Loads the WebAssembly module once; later and concurrent calls return the same promise. */
export default function init(input?: InitInput | Promise<InitInput>): Promise<InitOutput>;
