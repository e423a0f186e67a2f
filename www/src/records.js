// Where each record sits in the loaded bytes, so the dashboard can show a record exactly as it was loaded (also one
// the package refused) and highlight its issues in place. Pure byte scanning: no parsing, no validation.

const NL = 0x0a;

function isBlank(bytes, start, end) {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== NL) return false;
  }
  return true;
}

/**
 * NDJSON records: the non-blank lines of bytes[from, to), as the package counts them.
 * Returns {starts, ends, lines, newlines} with absolute byte positions and 1-based line numbers
 * (counted from `firstLine`), plus how many line breaks the range holds.
 */
export function lineSpans(bytes, from = 0, to = bytes.length, firstLine = 1) {
  const starts = [], ends = [], lines = [];
  let line = firstLine, start = from, newlines = 0;
  for (let i = from; i <= to; i++) {
    if (i === to || bytes[i] === NL) {
      let end = i;
      if (end > start && bytes[end - 1] === 0x0d) end--;
      if (!isBlank(bytes, start, end)) {
        starts.push(start);
        ends.push(end);
        lines.push(line);
      }
      if (i < to) {
        newlines++;
        line++;
      }
      start = i + 1;
    }
  }
  return { starts, ends, lines, newlines };
}

function skipWs(bytes, i) {
  while (i < bytes.length) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== NL) break;
    i++;
  }
  return i;
}

function skipString(bytes, i) {
  // bytes[i] is the opening quote
  for (i++; i < bytes.length; i++) {
    if (bytes[i] === 0x5c) i++;
    else if (bytes[i] === 0x22) return i + 1;
  }
  return bytes.length;
}

/** End of the JSON value starting at i (tolerant: stops at the end of input). */
function skipValue(bytes, i) {
  const b = bytes[i];
  if (b === 0x22) return skipString(bytes, i);
  if (b === 0x7b || b === 0x5b) {
    let depth = 0;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 0x22) i = skipString(bytes, i) - 1;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return bytes.length;
  }
  while (i < bytes.length) {
    const c = bytes[i];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === NL || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i;
}

function elementSpans(bytes, i) {
  // bytes[i] is '['
  const starts = [], ends = [];
  i = skipWs(bytes, i + 1);
  if (bytes[i] === 0x5d) return { starts, ends };
  while (i < bytes.length) {
    const end = skipValue(bytes, i);
    starts.push(i);
    ends.push(end);
    i = skipWs(bytes, end);
    if (bytes[i] !== 0x2c) break;
    i = skipWs(bytes, i + 1);
  }
  return { starts, ends };
}

const decoder = new TextDecoder();

/**
 * The records of a whole JSON document: the elements of a top-level array, of an envelope's `calls` (v1) or
 * `items` (v2) array, the `call` of a v1 single-call envelope, or the document itself when it is one object.
 */
export function documentSpans(bytes) {
  let i = skipWs(bytes, 0);
  if (bytes[i] === 0x5b) return elementSpans(bytes, i);
  if (bytes[i] !== 0x7b) return { starts: [], ends: [] };
  const docStart = i;
  i = skipWs(bytes, i + 1);
  while (i < bytes.length && bytes[i] === 0x22) {
    const keyEnd = skipString(bytes, i);
    const key = decoder.decode(bytes.subarray(i + 1, keyEnd - 1));
    i = skipWs(bytes, keyEnd);
    if (bytes[i] !== 0x3a) break;
    i = skipWs(bytes, i + 1);
    if ((key === 'calls' || key === 'items') && bytes[i] === 0x5b) return elementSpans(bytes, i);
    if (key === 'call' && bytes[i] === 0x7b) return { starts: [i], ends: [skipValue(bytes, i)] };
    i = skipWs(bytes, skipValue(bytes, i));
    if (bytes[i] !== 0x2c) break;
    i = skipWs(bytes, i + 1);
  }
  return { starts: [docStart], ends: [skipValue(bytes, docStart)] };
}

/**
 * Whether a stream starting with `head` is NDJSON (one call per line) rather than one JSON document, judged from
 * its first line: a complete object on a line of its own that is not a list envelope.
 * Returns undefined while the first line is not complete yet.
 */
export function looksLikeNdjson(head, complete) {
  const first = skipWs(head, 0);
  if (first >= head.length) return complete ? false : undefined;
  if (head[first] !== 0x7b) return false;
  let nl = head.indexOf(NL, first);
  if (nl < 0) {
    if (!complete) return undefined;
    nl = head.length;
  }
  const line = decoder.decode(head.subarray(first, nl)).trim();
  if (line === '{') return false; // a pretty-printed document
  try {
    const value = JSON.parse(line);
    return !(value && typeof value === 'object' && ('calls' in value || 'items' in value || 'call' in value));
  } catch {
    // A broken first line: NDJSON if another line starts a new object.
    const next = skipWs(head, nl);
    return next < head.length ? head[next] === 0x7b : !complete ? undefined : false;
  }
}
