export * from './fn_calls.js';
import type { CallStatus } from './fn_calls.js';
export { CallValidationError, CallFilterError, callSchema, filterSchema, type StandardSchemaV1 } from './schemas.js';
/** The seven statuses in lifecycle order, read from the Rust core when the package loads. */
export declare const STATUSES: readonly CallStatus[];
/** Resolves at once: Node loads the module synchronously. The browser build loads the wasm here. */
export declare function init(input?: unknown): Promise<void>;
export default init;
/** Does nothing in Node. The browser build instantiates the wasm here. */
export declare function initSync(module?: unknown): void;
