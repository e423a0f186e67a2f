export * from './index.js';
import { init } from './index.js';
export default init;
