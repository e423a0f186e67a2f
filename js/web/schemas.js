// The error classes and the Standard Schema objects of fn-calls, built on the wasm exports (no rule lives here).
//
// The Rust core throws plain `Error`/`TypeError` objects named "CallValidationError" / "CallFilterError" with an
// `issues` array; the classes below make `instanceof` recognise them (Symbol.hasInstance) and can be constructed by
// callers too. `callSchema` and `filterSchema` implement Standard Schema v1 (https://standardschema.dev), so
// validator-agnostic libraries (tRPC, TanStack Form, Hono, …) accept them. `callSchema` takes call text or bytes as
// well as objects: text keeps every uint64 exact, where `JSON.parse` would already have rounded it.
//
// One source for both entries: the web entry imports this file; scripts/build.sh derives the CommonJS copy for Node.
export function makeSchemas(wasm) {
  const isIssueList = (v) => Array.isArray(v?.issues);

  /** What `parseCall`, `stringifyCall` and the other readers throw: every issue of the input. */
  class CallValidationError extends Error {
    constructor(issues = [], message) {
      super(message ?? summary('call is not valid', issues));
      this.name = 'CallValidationError';
      this.issues = issues;
    }

    static [Symbol.hasInstance](v) {
      return v instanceof Error && v.name === 'CallValidationError' && isIssueList(v);
    }
  }

  /** What the filter functions throw for a filter with an error (a `TypeError`). */
  class CallFilterError extends TypeError {
    constructor(issues = [], message) {
      super(message ?? summary('filter is not valid', issues));
      this.name = 'CallFilterError';
      this.issues = issues;
    }

    static [Symbol.hasInstance](v) {
      return v instanceof Error && v.name === 'CallFilterError' && isIssueList(v);
    }
  }

  function summary(what, issues) {
    const errors = issues.filter((i) => i.severity === 'error');
    return errors.length ? `${what}: ${errors.map((i) => `${i.path || '""'}: ${i.message}`).join('; ')}` : what;
  }

  /** A JSON Pointer as a Standard Schema path: tokens unescaped, array positions as numbers. */
  function pointerPath(pointer) {
    if (!pointer) return undefined;
    return pointer
      .slice(1)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((t) => (/^(0|[1-9]\d*)$/.test(t) ? Number(t) : t));
  }

  const standardIssues = (issues) =>
    issues.filter((i) => i.severity === 'error').map((i) => ({ message: `${i.code}: ${i.message}`, path: pointerPath(i.path) }));

  const callSchema = Object.freeze({
    '~standard': Object.freeze({
      version: 1,
      vendor: 'fn-calls',
      /** Call text, bytes or an object → the Call (warnings do not fail), or its errors. */
      validate(value) {
        let result;
        try {
          result = wasm.safeParseCall(value);
        } catch (e) {
          // not text, bytes or an object at all
          return { issues: [{ message: String(e?.message ?? e) }] };
        }
        return result.success ? { value: result.data } : { issues: standardIssues(result.issues) };
      },
    }),
  });

  const filterSchema = Object.freeze({
    '~standard': Object.freeze({
      version: 1,
      vendor: 'fn-calls',
      /** A CallFilter object → itself when it has no error (warnings do not fail), or its errors. */
      validate(value) {
        let issues;
        try {
          issues = wasm.validateFilter(value);
        } catch (e) {
          return { issues: [{ message: String(e?.message ?? e) }] };
        }
        const errors = standardIssues(issues);
        return errors.length ? { issues: errors } : { value };
      },
    }),
  });

  return { CallValidationError, CallFilterError, callSchema, filterSchema };
}
