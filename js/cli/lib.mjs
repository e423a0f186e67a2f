// The package, loaded relatively: inside the published package this directory is `bin/`, next to `node/`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function load(path) {
  try {
    return require(path);
  } catch (e) {
    process.stderr.write(`fn-calls: cannot load the package's ${path.slice(3)} next to this command: ${e.message.split('\n')[0]}\n`);
    process.exit(2);
  }
}

/** The package's Node entry (CommonJS, ready synchronously). */
export const fc = load('../node/index.js');
export const VERSION = load('../package.json').version;

/**
 * Frees a CallStream or CallIndex in a `finally`. If the object is broken (a trap inside wasm left it borrowed),
 * `free()` throws too; that error must not replace the one that led here, which says what went wrong.
 */
export function freeAfter(obj) {
  try {
    obj.free();
  } catch {
    // the error already on its way out is the one to show
  }
}

/** A user error: bad usage or unreadable input. The command prints its message (no stack) and exits 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}
