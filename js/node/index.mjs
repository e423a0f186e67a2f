// Node's ES module entry: every name of the CommonJS entry, and init() as the default export, as the browser build
// has it, so `import init, { parseCall } from 'fn-calls'; await init();` runs unchanged in Node.
import pkg from './index.js';

export * from './index.js';
export default pkg.init;
