// canTransition without crossing into wasm. The table is read once from the Rust core (`transitionTable()`), so
// nothing here is hand-copied: statuses, modes and edges all come from Rust. A call then costs two property reads
// instead of two string copies into wasm. Options it cannot judge exactly like Rust (anything but a plain
// object with at most a valid `mode`) go to the wasm export, so both paths answer and throw alike.
//
// One source for both entries: the web entry imports this file; scripts/build.sh derives the CommonJS copy for Node.
export function fastTransitions(wasm) {
  let statuses;
  let rows;
  let modeIndex;

  // Lazy, because the web build has no wasm until init() resolves. rows[mode][from][to] is true where the table allows
  // the step: two property reads on small objects without prototypes (a status name cannot hit an inherited key).
  function load() {
    const table = wasm.transitionTable();
    statuses = Object.freeze(table.statuses.slice());
    const size = statuses.length;
    rows = table.modes.map((_, m) => {
      const byFrom = Object.create(null);
      statuses.forEach((from, f) => {
        const row = Object.create(null);
        statuses.forEach((to, t) => {
          if (table.allowed[(m * size + f) * size + t] === 1) row[to] = true;
        });
        byFrom[from] = row;
      });
      return byFrom;
    });
    modeIndex = new Map(table.modes.map((m, i) => [m, i]));
    return statuses;
  }

  // The mode's row block in the table (modes[0] is the default), or -1 to let wasm decide (and throw). Answers only
  // what it can answer exactly as Rust's option reading does: null/undefined options, or a plain object whose only
  // own key is `mode`, set to undefined or to a mode's name.
  function modeOf(options) {
    if (options === undefined || options === null) return 0;
    if (typeof options !== 'object' || Object.getPrototypeOf(options) !== Object.prototype) return -1;
    let m = 0;
    for (const key in options) {
      if (key !== 'mode' || !Object.hasOwn(options, key)) return -1;
      const mode = options.mode;
      if (mode !== undefined) {
        m = modeIndex.get(mode);
        if (m === undefined) return -1;
      }
    }
    return m;
  }

  function canTransition(from, to, options) {
    if (rows === undefined) load();
    const m = options === undefined ? 0 : modeOf(options);
    if (m < 0) return wasm.canTransition(from, to, options);
    if (typeof from !== 'string' || typeof to !== 'string') return false; // not a status (no string coercion)
    const row = rows[m][from];
    return row !== undefined && row[to] === true;
  }

  return {
    canTransition,
    /** The statuses in lifecycle order, frozen (loads the table on first use). */
    statuses: () => statuses ?? load(),
  };
}
