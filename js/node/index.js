'use strict';
// Node entry of fn-calls: wasm-bindgen's CommonJS module (ready synchronously), plus STATUSES and a canTransition
// answered in JavaScript from the table the Rust core exports (see transitions.js), the error classes and the
// Standard Schema objects (schemas.js), and init()/initSync() that do nothing, so code written for the browser build
// (`await init()` first) runs unchanged in Node, SSR and test runners. The object literal below keeps the shape
// Node's CommonJS lexer understands, so `import { parseCall } from 'fn-calls'` finds every name.
const { fastTransitions } = require('./transitions.js');
const { makeSchemas } = require('./schemas.js');

const transitions = fastTransitions(require('./fn_calls.js'));
const canTransition = transitions.canTransition;
const STATUSES = transitions.statuses();
const { CallValidationError, CallFilterError, callSchema, filterSchema } = makeSchemas(require('./fn_calls.js'));

/** The module is ready when `require` returns: resolves at once (the browser build loads the wasm here). */
function init() {
  return Promise.resolve();
}

/** Nothing to do in Node (the browser build instantiates the wasm here). */
function initSync() {}

module.exports = {
  ...require('./fn_calls.js'),
  canTransition,
  STATUSES,
  CallValidationError,
  CallFilterError,
  callSchema,
  filterSchema,
  init,
  initSync,
  default: init,
};
// `import init from 'fn-calls'` in TypeScript's or a bundler's CommonJS output reads `.default` when this is set.
Object.defineProperty(module.exports, '__esModule', { value: true });
