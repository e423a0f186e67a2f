export * from './fn_calls.js';
import type { CallStatus, InitInput, InitOutput, SyncInitInput } from './fn_calls.js';
export { CallValidationError, CallFilterError, callSchema, filterSchema, type StandardSchemaV1 } from './schemas.js';
/** Loads the WebAssembly module once; later and concurrent calls return the same promise. */
export default function init(input?: InitInput | Promise<InitInput>): Promise<InitOutput>;
/** Instantiates the module synchronously from its bytes or a compiled module; later init() calls resolve at once. */
export declare function initSync(module: SyncInitInput): InitOutput;
/** The seven statuses in lifecycle order, read from the Rust core at build time: there before `init()`. */
export declare const STATUSES: readonly CallStatus[];
