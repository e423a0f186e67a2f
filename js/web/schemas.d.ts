// Types of the error classes and Standard Schema objects (schemas.js), shared by the Node and web entries.
import type { Call, CallFilter, CallInput, Issue } from './fn_calls.js';

/** What `parseCall`, `stringifyCall` and the other readers throw: every issue of the input. */
export declare class CallValidationError extends Error {
  constructor(issues?: Issue[], message?: string);
  name: 'CallValidationError';
  issues: Issue[];
}

/** What the filter functions throw for a filter with an error. */
export declare class CallFilterError extends TypeError {
  constructor(issues?: Issue[], message?: string);
  name: 'CallFilterError';
  issues: Issue[];
}

/** Standard Schema v1 (https://standardschema.dev), the interface validator-agnostic libraries accept. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}
export declare namespace StandardSchemaV1 {
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  type Result<Output> = SuccessResult<Output> | FailureResult;
  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  interface PathSegment {
    readonly key: PropertyKey;
  }
  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
}

/**
 * A call: takes call JSON text or bytes (every uint64 kept exact) or an object, gives the `Call`; errors fail,
 * warnings do not. Paths are the issue's JSON Pointer as keys and array positions.
 */
export declare const callSchema: StandardSchemaV1<CallInput, Call>;
/** A listing filter: gives the filter back when it has no error. */
export declare const filterSchema: StandardSchemaV1<CallFilter, CallFilter>;
