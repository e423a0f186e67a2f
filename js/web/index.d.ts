export * from './fn_calls.js';
import type { CallStatus, InitInput, InitOutput } from './fn_calls.js';
/** Loads the WebAssembly module once; later and concurrent calls return the same promise. */
export default function init(input?: InitInput | Promise<InitInput>): Promise<InitOutput>;
/** The seven statuses in lifecycle order, read from the Rust core; set once `init()` has resolved. */
export declare let STATUSES: readonly CallStatus[];
