export * from './fn_calls.js';
import type { CallStatus } from './fn_calls.js';
/** The seven statuses in lifecycle order, read from the Rust core when the package loads. */
export declare const STATUSES: readonly CallStatus[];
