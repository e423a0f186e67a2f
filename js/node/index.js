'use strict';
// Node entry of fn-calls: wasm-bindgen's CommonJS module (ready synchronously), plus STATUSES and a canTransition
// answered in JavaScript from the table the Rust core exports (see transitions.js). The object literal below keeps
// the shape Node's CommonJS lexer understands, so `import { parseCall } from 'fn-calls'` finds every name.
const { fastTransitions } = require('./transitions.js');

const transitions = fastTransitions(require('./fn_calls.js'));
const canTransition = transitions.canTransition;
const STATUSES = transitions.statuses();

module.exports = { ...require('./fn_calls.js'), canTransition, STATUSES };
