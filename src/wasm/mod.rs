//! The JavaScript boundary: convert, delegate to the core, convert back; no rule lives here. This file holds every
//! conversion (input readers for text, bytes and JS values walked into the core's JSON tree, option readers, `Call`
//! objects out, issues out, and the errors thrown); the modules below are the exports, grouped as the docs group
//! them, and only convert with these, delegate and convert back. Results go out through tsify (`Ts<T>`), so the
//! generated `.d.ts` describes exactly what is returned.

use crate::batch::CallBatch;
use crate::filter::CallFilter;
use crate::issue;
use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{JsonString, Member, Node, Value, MAX_DEPTH};
use crate::model::Call;
use crate::projection::Fields;
use crate::read::ReadOptions;
use crate::status::Mode;
use crate::summary;
use crate::view::Row;
use js_sys::{Array, BigInt, Date, JsString, Object, Reflect, Uint8Array};
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod args;
pub mod calls;
mod filter;
mod scan;
pub mod transitions;

pub use calls::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_EXTRA: &'static str = r#"
/** What `parseCall` and `stringifyCall` throw: an `Error` named `"CallValidationError"` carrying every issue. */
export interface CallValidationError extends Error {
  name: "CallValidationError";
  issues: Issue[];
}
/** Input accepted by the readers: JSON text, UTF-8 bytes of JSON text (a `Uint8Array`, `ArrayBuffer` or `DataView`), or an already-parsed value. */
export type CallInput = string | Uint8Array | ArrayBuffer | DataView | object;
"#;

/// Options of the readers and validators.
#[derive(Debug, Clone, Default, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ParseOptions {
    /// `"observed"` (default): what real servers wrote is clean. `"strict"`: the model as declared and drawn.
    #[serde(default)]
    #[tsify(optional)]
    pub mode: Option<Mode>,
}

pub(crate) fn read_options(options: Option<Ts<ParseOptions>>) -> Result<ReadOptions, JsValue> {
    let Some(options) = options else {
        return Ok(ReadOptions::default());
    };
    Ok(ReadOptions {
        mode: mode_option(&options.js_value())?,
    })
}

/// The one way the boundary reads a plain options object (`{ mode }`, the scan options, `ListingOptions`,
/// `StringifyOptions`): its own keys with a defined value, in order, each checked against `known`. `undefined` and
/// `null` are no options. Anything but an object, or an unknown key, is a `TypeError` (never a silent default).
/// Options that are data with issues of their own (a filter, summary options) go through the tree reader instead.
pub(crate) fn option_entries(
    options: &JsValue,
    known: &[&str],
    example: &str,
) -> Result<Vec<(String, JsValue)>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() || Array::is_array(options) {
        return Err(type_error(&format!(
            "options must be an object such as {example}"
        )));
    }
    let obj: &Object = options.unchecked_ref();
    let mut out = Vec::new();
    // What a getter or proxy throws is rethrown as it is, never read as "not given".
    for key in object_keys(obj)?.iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(obj, &key)?;
        if value.is_undefined() {
            continue;
        }
        if !known.contains(&name.as_str()) {
            return Err(type_error(&match known {
                [only] => format!("unknown option '{name}': the only option is {only}"),
                _ => format!(
                    "unknown option '{name}': the options are {}",
                    known.join(", ")
                ),
            }));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// `options.mode`: `"observed"` or `"strict"`.
pub(crate) fn mode_value(value: &JsValue) -> Result<Mode, JsValue> {
    value
        .as_string()
        .as_deref()
        .and_then(Mode::parse)
        .ok_or_else(|| {
            type_error(&format!(
                "options.mode must be \"observed\" or \"strict\", not {}",
                describe(value)
            ))
        })
}

/// Reads `{ mode?: "observed" | "strict" }` strictly: an unknown key or value is a `TypeError`, not a silent default.
pub(crate) fn mode_option(options: &JsValue) -> Result<Mode, JsValue> {
    let mut mode = Mode::default();
    for (_, value) in option_entries(options, &["mode"], "{ mode: \"strict\" }")? {
        mode = mode_value(&value)?;
    }
    Ok(mode)
}

pub(crate) fn describe(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => format!("\"{s}\""),
        None => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "that value".into()),
    }
}

pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

pub(crate) fn to_js<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    value
        .into_ts()
        .map_err(|e| JsValue::from(JsError::new(&e.to_string())))
}

// Building `Call` objects: JSON.parse of the caller's own text where the core found that it gives the call's object
// (`fast_read::read_clean_for_js`), else of JSON the core writes (uint64 as strings); then each uint64 made a
// bigint. Several times faster than building the objects property by property across the boundary, and
// JSON.parse keeps a `__proto__` key as an own property.
//
// Every `Call` object made here is marked: filtering or summarising an array of them sends only the fields the
// operation reads (`projectCalls`, read back by `projection.rs`), not each whole object. A copy (`{...c}`) or an
// object made elsewhere is not marked: it is written as JSON text (`plainJson`) and read as text is.
#[wasm_bindgen(inline_js = r#"
// A private field marks each Call made here: invisible to the caller (no key, not copied by a spread), and
// stamped and tested faster than a WeakSet.
class Stamp { constructor(c) { return c; } }
class Made extends Stamp { #made; static add(c) { new Made(c); } static has(c) { return #made in c; } }
const isMade = (c) => typeof c === 'object' && c !== null && Made.has(c);
function fix(c) {
  Made.add(c);
  if (c.memory !== undefined) c.memory = BigInt(c.memory);
  if (c.execution_duration !== undefined) c.execution_duration = BigInt(c.execution_duration);
  const stats = c.stats;
  if (stats !== undefined) {
    for (const s of stats) {
      const m = s.metrics;
      if (m !== null) for (const k in m) m[k] = BigInt(m[k]);
    }
  }
  return c;
}
export function callFromJson(text) { return fix(JSON.parse(text)); }
export function callFromText(text) { return fix(JSON.parse(text)); }
// safeParseCall's answers, made here: their keys would otherwise cross from wasm memory as text on every call.
export function safeSuccess(data, warnings) { return { success: true, data, warnings }; }
export function safeFailure(issues) { return { success: false, issues }; }
// The text of UTF-8 bytes, exactly (a BOM kept), or null when they are not UTF-8 or are shared memory (another
// thread may change it between the reads in wasm and this one).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function utf8Text(bytes) {
  if (typeof SharedArrayBuffer === 'function' && bytes.buffer instanceof SharedArrayBuffer) return null;
  try { return utf8.decode(bytes); } catch { return null; }
}
// Calls given as plain objects, as JSON text the text reader reads exactly as the object walker (`js_to_node`) reads
// the objects, or null where only the walker can say what it reads (a toJSON, an invalid Date, a boxed primitive, a
// number JSON.stringify spells otherwise, text holding the marker below, a getter or proxy that throws, a cycle).
// Integers beyond 2^53 (bigints, and numbers as the walker writes them) are written exactly: JSON.stringify cannot,
// so each is a marker string first, replaced by its digits after.
const MARK = '\u0000\u0001';
const DATE_TO_JSON = Date.prototype.toJSON;
export function plainJson(value, unsafe) {
  // First a look at every value (cheaper than a replacer): what JSON.stringify alone would write differently.
  const seen = { big: false, rounded: [], paths: unsafe };
  try {
    if (!survey(value, '', [], 0, seen)) return null;
  } catch {
    return null; // a getter or proxy that throws
  }
  if (seen.big) return replacedJson(value);
  let text;
  try { text = JSON.stringify(value); } catch { return null; }
  if (typeof text !== 'string') return null;
  return seen.rounded.length === 0 ? text : exactIntegers(text, seen.rounded) ?? replacedJson(value);
}
// Whether JSON.stringify(v) reads as the walker reads v (false: only the walker can say). Notes in `seen` the bigints
// (JSON.stringify cannot write them), the integers past 2^53 − 1 it writes rounded, and with `seen.paths` each integer
// past 2^53 − 1 with its JSON Pointer, in the walker's order.
function survey(v, k, keys, depth, seen) {
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) return false;
      if (!Number.isInteger(v)) return !String(v).includes('e');
      if (Math.abs(v) > 9007199254740991) {
        if (Math.abs(v) >= 1e38) return false; // the walker writes those as JavaScript spells them
        if (Math.abs(v) !== 9007199254740992) seen.rounded.push(v);
        if (seen.paths !== undefined) seen.paths.push(pointer(keys), v);
      }
      return true;
    case 'bigint':
      seen.big = true;
      return typeof v.toJSON !== 'function'; // a BigInt.prototype.toJSON would write it as it likes
    case 'object': {
      if (v === null) return true;
      if (depth > 128) return false; // the text reader refuses it; the walker reports it (a cycle too)
      const p = Object.getPrototypeOf(v);
      // a valid Date reads as its ISO text both ways; another class instance or a boxed value only by the walker
      if (p !== Object.prototype && p !== Array.prototype && p !== null) {
        return v instanceof Date && v.toJSON === DATE_TO_JSON && !Number.isNaN(v.getTime());
      }
      if (typeof v.toJSON === 'function') return false;
      // in an object an annotation that is a string is its JSON text (as a Call holds it), in text it is a string
      if (k === 'annotations') for (const a in v) if (typeof v[a] === 'string') return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          keys.push(i);
          const ok = survey(v[i], '', keys, depth + 1, seen);
          keys.pop();
          if (!ok) return false;
        }
        return true;
      }
      for (const key of Object.keys(v)) {
        keys.push(key);
        const ok = survey(v[key], key, keys, depth + 1, seen);
        keys.pop();
        if (!ok) return false;
      }
      return true;
    }
    default:
      return true;
  }
}
function pointer(keys) {
  let path = '';
  for (const k of keys) path += `/${typeof k === 'number' ? k : k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return path;
}
// `text` (JSON.stringify's) with each integer past 2^53 it wrote rounded written exactly, or null when that cannot be
// done safely and quickly: the same token also inside a string, or many different such numbers (each is looked for
// through the whole text).
function exactIntegers(text, rounded) {
  const want = new Map();
  for (const v of rounded) {
    const spelt = String(v); // as JSON.stringify writes it: digits, or 1e+21 and up with an exponent
    const w = want.get(spelt);
    if (w === undefined) want.set(spelt, { digits: BigInt(v).toString(), count: 1 });
    else w.count += 1;
  }
  if (want.size > 8) return null;
  const at = [];
  for (const [spelt, w] of want) {
    let found = 0;
    for (let i = text.indexOf(spelt); i >= 0; i = text.indexOf(spelt, i + spelt.length)) {
      const before = text.charCodeAt(i - 1), after = text.charCodeAt(i + spelt.length);
      // a whole number token: after ':' ',' or '[', before ',' ']' or '}' (JSON.stringify writes no spaces)
      if ((before === 58 || before === 44 || before === 91) && (after === 44 || after === 93 || after === 125)) {
        at.push([i, spelt.length, w.digits]);
        found += 1;
      }
    }
    if (found !== w.count) return null;
  }
  at.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [i, length, digits] of at) {
    out += text.slice(from, i) + digits;
    from = i + length;
  }
  return out + text.slice(from);
}
// The slower way, for values with bigints (or rounded integers the way above cannot write): JSON.stringify with a
// replacer that writes each bigint and each integer past 2^53 as a marker string, replaced by its digits after. The
// survey has found nothing else to decline; text holding the marker is declined here.
function replacedJson(value) {
  const exact = [];
  let walk = false;
  const mark = (digits) => { exact.push(digits); return MARK + (exact.length - 1); };
  function replacer(k, v) {
    if (walk) return undefined;
    if (k.includes('\u0001')) walk = true;
    switch (typeof v) {
      case 'string':
        if (v.includes('\u0001')) walk = true;
        break;
      case 'number':
        if (Number.isInteger(v) && Math.abs(v) > 9007199254740992) return mark(BigInt(v).toString());
        break;
      case 'bigint':
        return v >= -9007199254740992n && v <= 9007199254740992n ? Number(v) : mark(v.toString());
      default:
    }
    return v;
  }
  let text;
  try { text = JSON.stringify(value, replacer); } catch { return null; }
  if (walk || typeof text !== 'string') return null;
  return exact.length === 0 ? text : text.replace(/"\\u0000\\u0001(\d+)"/g, (_, i) => exact[i]);
}
export function callsFromJson(text) { const calls = JSON.parse(text); for (const c of calls) fix(c); return calls; }
// The calls of a batch: plan[2i]..plan[2i+1] is call i's own text in `text` (the core found JSON.parse of it gives
// its Call object), or, where the two are equal, the next call of `rest` (JSON the core wrote).
// `whole`: the text is a JSON array of exactly these calls, each as its own text; one JSON.parse builds them all.
export function callsFromParts(text, plan, rest, whole) {
  const n = plan.length >> 1;
  if (whole) {
    const calls = JSON.parse(text);
    if (Array.isArray(calls) && calls.length === n) {
      for (const c of calls) fix(c);
      return calls;
    }
  }
  const others = JSON.parse(rest);
  const calls = new Array(n);
  for (let i = 0, j = 0; i < n; i++) {
    const start = plan[2 * i], end = plan[2 * i + 1];
    calls[i] = fix(start === end ? others[j++] : JSON.parse(text.slice(start, end)));
  }
  return calls;
}
const kept = new WeakMap();
// Each key is read with its name written out: calls of several generations have many shapes, and reading a property
// by a computed name is several times slower on them (a megamorphic keyed load).
function column(calls, key) {
  const n = calls.length;
  const out = new Array(n);
  switch (key) {
    case 'id': for (let i = 0; i < n; i++) out[i] = calls[i].id; break;
    case 'status': for (let i = 0; i < n; i++) out[i] = calls[i].status; break;
    case 'app_name': for (let i = 0; i < n; i++) out[i] = calls[i].app_name; break;
    case 'fn_id': for (let i = 0; i < n; i++) out[i] = calls[i].fn_id; break;
    case 'path': for (let i = 0; i < n; i++) out[i] = calls[i].path; break;
    case 'image': for (let i = 0; i < n; i++) out[i] = calls[i].image; break;
    case 'method': for (let i = 0; i < n; i++) out[i] = calls[i].method; break;
    case 'error': for (let i = 0; i < n; i++) out[i] = calls[i].error; break;
    case 'type': for (let i = 0; i < n; i++) out[i] = calls[i].type; break;
    case 'format': for (let i = 0; i < n; i++) out[i] = calls[i].format; break;
    case 'created_at': for (let i = 0; i < n; i++) out[i] = calls[i].created_at; break;
    case 'started_at': for (let i = 0; i < n; i++) out[i] = calls[i].started_at; break;
    case 'completed_at': for (let i = 0; i < n; i++) out[i] = calls[i].completed_at; break;
    default: for (let i = 0; i < n; i++) out[i] = calls[i][key];
  }
  return out;
}
function same(calls, key, was) {
  const n = calls.length;
  switch (key) {
    case 'id': for (let i = 0; i < n; i++) if (calls[i].id !== was[i]) return false; return true;
    case 'status': for (let i = 0; i < n; i++) if (calls[i].status !== was[i]) return false; return true;
    case 'app_name': for (let i = 0; i < n; i++) if (calls[i].app_name !== was[i]) return false; return true;
    case 'fn_id': for (let i = 0; i < n; i++) if (calls[i].fn_id !== was[i]) return false; return true;
    case 'path': for (let i = 0; i < n; i++) if (calls[i].path !== was[i]) return false; return true;
    case 'image': for (let i = 0; i < n; i++) if (calls[i].image !== was[i]) return false; return true;
    case 'method': for (let i = 0; i < n; i++) if (calls[i].method !== was[i]) return false; return true;
    case 'error': for (let i = 0; i < n; i++) if (calls[i].error !== was[i]) return false; return true;
    case 'type': for (let i = 0; i < n; i++) if (calls[i].type !== was[i]) return false; return true;
    case 'format': for (let i = 0; i < n; i++) if (calls[i].format !== was[i]) return false; return true;
    case 'created_at': for (let i = 0; i < n; i++) if (calls[i].created_at !== was[i]) return false; return true;
    case 'started_at': for (let i = 0; i < n; i++) if (calls[i].started_at !== was[i]) return false; return true;
    case 'completed_at': for (let i = 0; i < n; i++) if (calls[i].completed_at !== was[i]) return false; return true;
    default: for (let i = 0; i < n; i++) if (calls[i][key] !== was[i]) return false; return true;
  }
}
export function keptStamp(calls, keys) {
  const k = kept.get(calls);
  if (k === undefined || k.items.length !== calls.length) return 0;
  const items = k.items;
  for (let i = 0; i < calls.length; i++) if (calls[i] !== items[i]) return 0;
  for (const key of keys) {
    const j = k.keys.indexOf(key);
    if (j < 0 || !same(items, key, k.values[j])) return 0;
  }
  return k.stamp;
}
export function projectCalls(calls, keys, metrics, stamp) {
  const n = calls.length;
  for (let i = 0; i < n; i++) if (!isMade(calls[i])) return null;
  const values = keys.map((key) => column(calls, key));
  const none = '\0'.repeat(metrics.length);
  for (const col of values) for (let i = 0; i < n; i++) if (typeof col[i] !== 'string' && col[i] !== undefined) return null;
  let s = '';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < values.length; j++) {
      const v = values[j][i];
      s += v === undefined ? '\0' : v + '\0';
    }
    if (metrics.length === 0) continue;
    const stats = calls[i].stats;
    if (stats === undefined) {
      s += none;
      continue;
    }
    if (!Array.isArray(stats)) return null;
    for (let j = 0; j < metrics.length; j++) {
      let sep = '';
      for (const st of stats) {
        if (st === null || typeof st !== 'object') return null;
        const m = st.metrics;
        if (m === null) continue;
        if (typeof m !== 'object') return null;
        const v = m[metrics[j]];
        if (v === undefined) continue;
        if (typeof v !== 'bigint') return null;
        s += sep + v;
        sep = ',';
      }
      s += '\0';
    }
  }
  if (stamp !== 0) kept.set(calls, { stamp, keys, items: calls.slice(), values });
  return s;
}
"#)]
extern "C" {
    /// The projection (`projection.rs`) of `calls` for the `Call` keys `keys` and the stats metrics `metrics`, or
    /// `null` when a call was not made here or a value is not what a `Call` made here holds. With a `stamp` other
    /// than 0, remembers the calls and the values read, under that stamp, for `keptStamp`.
    #[wasm_bindgen(js_name = projectCalls)]
    fn project_calls(calls: &Array, keys: &Array, metrics: &Array, stamp: u32) -> JsValue;
    /// The stamp `projectCalls` remembered `calls` under, if the array still holds the same objects and they still
    /// hold the same values for `keys` (each one of the keys read then); else 0.
    #[wasm_bindgen(js_name = keptStamp)]
    fn kept_stamp(calls: &Array, keys: &Array) -> u32;
    #[wasm_bindgen(js_name = callFromJson)]
    pub(crate) fn call_from_json(text: &str) -> JsValue;
    /// `callFromJson` of the caller's own string (not copied through wasm memory).
    #[wasm_bindgen(js_name = callFromText)]
    pub(crate) fn call_from_text(text: &JsString) -> JsValue;
    /// `{ success: true, data, warnings }`.
    #[wasm_bindgen(js_name = safeSuccess)]
    pub(crate) fn safe_success(data: &JsValue, warnings: &JsValue) -> JsValue;
    /// `{ success: false, issues }`.
    #[wasm_bindgen(js_name = safeFailure)]
    pub(crate) fn safe_failure(issues: &JsValue) -> JsValue;
    /// The text of a byte view, or `null` when it is not UTF-8 or is a view of shared memory.
    #[wasm_bindgen(js_name = utf8Text)]
    pub(crate) fn utf8_text(bytes: &Uint8Array) -> Option<JsString>;
    /// With `unsafe`: each integer past 2^53 − 1 in `value` is pushed there as its JSON Pointer and the number.
    #[wasm_bindgen(js_name = plainJson)]
    fn plain_json(value: &JsValue, unsafe_integers: Option<&Array>) -> JsValue;
    #[wasm_bindgen(js_name = callsFromJson)]
    fn calls_from_json(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = callsFromParts)]
    fn calls_from_parts(text: &JsString, plan: &[u32], rest: &str, whole: bool) -> JsValue;
}

/// The rows of the last array of `Call`s filtered, kept so that paging through the same array (a cursor loop, a
/// stand-in server answering requests) does not read its calls again: one array's at a time, so the memory they take
/// is bounded by the largest array filtered.
struct Kept {
    stamp: u32,
    fields: Fields,
    rows: Rc<MadeRows>,
}

/// Rows read from `Call` objects, and for kept rows their listing order (`filter::listing_order`).
pub(crate) struct MadeRows {
    pub rows: Vec<Row<'static>>,
    pub order: Vec<usize>,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
    static LAST_STAMP: Cell<u32> = const { Cell::new(0) };
}

/// The keys and the metric names of `fields`, as `projectCalls` takes them.
fn field_keys(fields: Fields) -> (Array, Array) {
    let (keys, metrics) = (Array::new(), Array::new());
    for field in fields.list() {
        let target = if field.is_metric() { &metrics } else { &keys };
        target.push(&JsValue::from_str(field.key()));
    }
    (keys, metrics)
}

/// The rows of an array of `Call`s this module made, with at least `fields` read (`projection.rs`); `None` when the
/// input is not such an array, so the caller reads it in full. With `keep` (never with a metric: the stats samples
/// are not compared), the rows are kept for the next call with the same array, which gets them back as long as the
/// array holds the same objects with the same values in the fields it reads.
pub(crate) fn made_rows(
    calls: &JsValue,
    fields: Fields,
    keep: bool,
) -> Option<(Array, Rc<MadeRows>)> {
    let arr = calls.dyn_ref::<Array>()?;
    let mut read = fields;
    if keep {
        let kept = KEPT.with(|k| {
            k.borrow()
                .as_ref()
                .map(|k| (k.stamp, k.fields, Rc::clone(&k.rows)))
        });
        if let Some((stamp, kept_fields, rows)) = kept {
            if kept_fields.covers(fields) && kept_stamp(arr, &field_keys(fields).0) == stamp {
                return Some((arr.clone(), rows));
            }
            if kept_stamp(arr, &Array::new()) == stamp {
                read = read.union(kept_fields); // the same calls, another filter: keep both filters' fields
            }
        }
    }
    let stamp = if keep {
        let s = LAST_STAMP.with(|c| c.get()).wrapping_add(1).max(1);
        LAST_STAMP.with(|c| c.set(s));
        s
    } else {
        0
    };
    let (keys, metrics) = field_keys(read);
    let text = project_calls(arr, &keys, &metrics, stamp);
    // TextEncoder's encodeInto (`js_text`) reads a long concatenated string much faster than wasm-bindgen's own
    // string passing. A lone surrogate would be read as U+FFFD: leave such calls to the full reader.
    let text = match js_text(text.dyn_ref::<JsString>()?) {
        (text, false) => text,
        (_, true) => return None,
    };
    let rows: Vec<Row<'static>> = crate::projection::read_rows(&text, read, arr.length() as usize)?
        .into_iter()
        .map(|r| Row {
            view: r.view.into_owned(),
            mem: r.mem,
            cpu: r.cpu,
        })
        .collect();
    let order = if keep {
        let views: Vec<&crate::view::CallView> = rows.iter().map(|r| &r.view).collect();
        crate::filter::listing_order(&views)
    } else {
        Vec::new()
    };
    let rows = Rc::new(MadeRows { rows, order });
    if keep {
        KEPT.with(|k| {
            *k.borrow_mut() = Some(Kept {
                stamp,
                fields: read,
                rows: Rc::clone(&rows),
            })
        });
    }
    Some((arr.clone(), rows))
}

/// One `Call` as a JS object.
pub(crate) fn call_value(call: &Call) -> JsValue {
    let mut text = String::with_capacity(1024);
    crate::gojson::write_call_for_js(&mut text, call);
    call_from_json(&text)
}

/// Many `Call`s as a JS array.
pub(crate) fn calls_value<'c>(calls: impl IntoIterator<Item = &'c Call>) -> JsValue {
    let mut text = String::from("[");
    for (i, call) in calls.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        crate::gojson::write_call_for_js(&mut text, call);
    }
    text.push(']');
    calls_from_json(&text)
}

/// The calls of a batch read from the JS string `text` (whose UTF-8 is `bytes`) as a JS array: each verbatim one
/// by `JSON.parse` of its own slice of `text`, the others from the JSON the core writes.
pub(crate) fn kept_value(
    text: &JsString,
    bytes: &[u8],
    batch: &crate::batch::KeptBatch,
) -> JsValue {
    use crate::scan::Kept;
    let kept = &batch.kept;
    let mut plan: Vec<u64> = Vec::with_capacity(kept.len() * 2);
    let mut rest = String::from("[");
    for k in kept {
        if let Kept::Verbatim { start, end } = k {
            plan.extend([*start, *end]);
            continue;
        }
        if rest.len() > 1 {
            rest.push(',');
        }
        match k {
            Kept::Text(json) => rest.push_str(json),
            Kept::Call(call) => crate::gojson::write_call_for_js(&mut rest, call),
            Kept::Verbatim { .. } => {}
        }
        // an empty span marks "the next of the others" (no record is empty)
        let at = plan.last().copied().unwrap_or(0);
        plan.extend([at, at]);
    }
    rest.push(']');
    if !bytes.is_ascii() {
        crate::batch::utf16_offsets(bytes, &mut plan);
    }
    // A JS string is shorter than 2^32 units.
    let plan: Vec<u32> = plan
        .into_iter()
        .map(|o| u32::try_from(o).unwrap_or(u32::MAX))
        .collect();
    calls_from_parts(text, &plan, &rest, batch.whole)
}

/// The calls at `positions` of `kept` (read from `bytes`) as a JS array of `Call`s: each record's own text where
/// `JSON.parse` of it gives its object, else the JSON the core writes.
pub(crate) fn kept_calls_value(
    bytes: &[u8],
    kept: &[crate::scan::Kept],
    positions: &[usize],
) -> JsValue {
    use crate::scan::Kept;
    let mut text = String::from("[");
    for (n, k) in positions.iter().filter_map(|p| kept.get(*p)).enumerate() {
        if n > 0 {
            text.push(',');
        }
        match k {
            Kept::Verbatim { start, end } => {
                let range = usize::try_from(*start).unwrap_or(usize::MAX)
                    ..usize::try_from(*end).unwrap_or(0);
                // a clean record is UTF-8 (the fast lane checked each string), so nothing is replaced
                text.push_str(&String::from_utf8_lossy(
                    bytes.get(range).unwrap_or_default(),
                ));
            }
            Kept::Text(json) => text.push_str(json),
            Kept::Call(call) => crate::gojson::write_call_for_js(&mut text, call),
        }
    }
    text.push(']');
    calls_from_json(&text)
}

pub(crate) fn call_to_js(call: &Call) -> Result<Ts<Call>, JsValue> {
    Ok(Ts::new_unchecked(call_value(call)))
}

pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

pub(crate) fn issues_to_js(issues: &[Issue]) -> JsValue {
    serde_wasm_bindgen::to_value(issues).unwrap_or(JsValue::NULL)
}

/// An `Error` named `CallValidationError` with an `issues` array.
pub(crate) fn validation_error(issues: &[Issue]) -> JsValue {
    let errors: Vec<&Issue> = issues.iter().filter(|i| i.is_error()).collect();
    let first = errors.first().map(|i| {
        let at = if i.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", i.path)
        };
        format!("{}{at}: {}", i.code, i.message)
    });
    let message = match (errors.len(), first) {
        (1, Some(f)) => format!("invalid call: {f}"),
        (n, Some(f)) => format!("invalid call: {n} errors; first {f}"),
        (_, None) => "invalid call".to_string(),
    };
    let err = js_sys::Error::new(&message);
    err.set_name("CallValidationError");
    let _ = Reflect::set(&err, &JsValue::from_str("issues"), &issues_to_js(issues));
    err.into()
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a proxy's `ownKeys` trap throws.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub(crate) fn object_keys(obj: &Object) -> Result<Array, JsValue>;
}

/// The text of a thrown value: an `Error`'s message, else the value itself.
fn thrown_text(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => describe(e),
    }
}

/// What a reader was given.
pub(crate) enum Input {
    Bytes(Vec<u8>),
    /// A JS value, walked into the same tree the text reader builds; `warnings` are about the conversion itself.
    Tree(Node<'static>, Vec<Issue>),
}

/// The UTF-8 of text, or the bytes given (a `Uint8Array`, `ArrayBuffer` or `DataView`); `None` for anything else,
/// and for text with a lone surrogate, which `read_input` reads with its warning.
pub(crate) fn text_or_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        return match js_text(s) {
            (text, false) => Some(text.into_bytes()),
            (_, true) => None,
        };
    }
    args::byte_view(value).map(|b| b.to_vec())
}

/// Plain objects (an array of calls, a list envelope, one call) as the UTF-8 of JSON text that the text reader reads as the
/// object walker reads the objects (`plainJson`); `None` when only the walker can read them.
pub(crate) fn plain_objects_text(value: &JsValue) -> Option<String> {
    plain_json_text(value, None).map(|(_, utf8)| utf8)
}

/// `plainJson` of plain objects as the JS string and its UTF-8 (`unsafe_integers` as `plainJson` takes it); `None`
/// for anything but plain objects, and where only the walker can read them.
fn plain_json_text(value: &JsValue, unsafe_integers: Option<&Array>) -> Option<(JsString, String)> {
    if !value.is_object() || args::byte_view(value).is_some() {
        return None;
    }
    let text: JsString = plain_json(value, unsafe_integers).dyn_into().ok()?;
    match js_text(&text) {
        (utf8, false) => Some((text, utf8)),
        (_, true) => None,
    }
}

/// Plain objects as JSON text the text reader reads as the walker reads them (`plain_objects_text`), for building
/// `Call`s from it: the text as the JS string and as UTF-8, and the warnings the walker gives before any reader's
/// (an integer past 2^53 − 1 that JavaScript may have rounded, in the walker's words and order).
pub(crate) struct PlainText {
    pub text: JsString,
    pub utf8: String,
    pub warnings: Vec<Issue>,
}

pub(crate) fn plain_objects_for_calls(value: &JsValue) -> Option<PlainText> {
    let found = Array::new();
    let (text, utf8) = plain_json_text(value, Some(&found))?;
    let found: Vec<JsValue> = found.to_vec();
    let warnings = found
        .chunks_exact(2)
        .filter_map(|pair| match pair {
            [path, number] => Some(unsafe_integer(&path.as_string()?, number.as_f64()?)),
            _ => None,
        })
        .collect();
    Some(PlainText {
        text,
        utf8,
        warnings,
    })
}

/// Issues of a reader of the JSON text of plain objects: they have no place in the caller's input.
pub(crate) fn without_places(mut issues: Vec<Issue>) -> Vec<Issue> {
    for issue in &mut issues {
        (issue.offset, issue.line) = (None, None);
    }
    issues
}

/// The walker's warning for an integer past 2^53 − 1 (a number, not a `bigint`) at `path`.
fn unsafe_integer(path: &str, f: f64) -> Issue {
    Issue::new(
        Severity::Warning,
        IssueCode::UnsafeInteger,
        path,
        format!(
            "{} is above 2^53 − 1, so JavaScript may already have rounded it; pass a bigint",
            f as i128
        ),
    )
}

pub(crate) fn read_input(value: &JsValue) -> Result<Input, Vec<Issue>> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        let (text, lone) = js_text(s);
        let mut warnings = Vec::new();
        if lone {
            warnings.push(Issue::new(
                Severity::Warning,
                IssueCode::LoneSurrogate,
                "",
                "the text contains a lone surrogate, which UTF-8 cannot hold; it was replaced by U+FFFD".into(),
            ));
        }
        if warnings.is_empty() {
            return Ok(Input::Bytes(text.into_bytes()));
        }
        // Still read; the warning travels with the tree (offsets no longer match the caller's string).
        return match crate::json::parse(text.as_bytes()) {
            Ok(node) => Ok(Input::Tree(node.into_owned(), warnings)),
            Err(e) => Err(vec![*e]),
        };
    }
    if let Some(bytes) = args::byte_view(value) {
        return Ok(Input::Bytes(bytes.to_vec()));
    }
    if value.is_undefined() {
        return Err(vec![Issue::new(
            Severity::Error,
            IssueCode::WrongType,
            "",
            "no input was given (undefined)".into(),
        )]);
    }
    let mut warnings = Vec::new();
    let node = js_to_node(value, "", 0, &mut warnings).map_err(|e| vec![e])?;
    Ok(Input::Tree(node, warnings))
}

// TextEncoder.encodeInto writes a JS string's UTF-8 straight into wasm memory. wasm-bindgen's own string passing
// copies it character by character in JS first, which cost more than reading the call.
#[wasm_bindgen(inline_js = r#"
const encoder = new TextEncoder();
let read = 0;
export function encodeInto(text, view) { const r = encoder.encodeInto(text, view); read = r.read; return r.written; }
export function lastRead() { return read; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(text: &JsString, view: &Uint8Array) -> u32;
    #[wasm_bindgen(js_name = lastRead)]
    fn last_read() -> u32;
}

/// A JS string as UTF-8, and whether it held a lone surrogate (which the conversion turns into U+FFFD). The
/// character-by-character validity check is costly across the boundary, so it runs only when U+FFFD shows up.
pub(crate) fn js_text(s: &JsString) -> (String, bool) {
    let units = s.length() as usize;
    // One UTF-16 unit is 1 byte of UTF-8 when ASCII, at most 3: start with the ASCII size, grow for the rest.
    let mut buf: Vec<u8> = Vec::with_capacity(units);
    let mut read = 0usize;
    let mut rest = s.clone();
    while read < units {
        let len = buf.len();
        let spare = buf.capacity() - len;
        // SAFETY: the view covers exactly the vector's spare capacity; it is used only by `encode_into`, which
        // neither allocates in wasm nor calls back into it (so memory cannot grow and move meanwhile), and
        // `set_len` covers only the bytes TextEncoder wrote, which are initialised UTF-8.
        let written = unsafe {
            let view = Uint8Array::view_mut_raw(buf.as_mut_ptr().add(len), spare);
            let written = (encode_into(&rest, &view) as usize).min(spare);
            buf.set_len(len + written);
            written
        };
        let step = last_read() as usize;
        if step == 0 && written == 0 && spare >= 4 {
            break; // no progress with room for any character: never loop forever
        }
        read += step;
        if read < units {
            rest = s.slice(read as u32, units as u32);
            buf.reserve((units - read) * 3);
        }
    }
    let text = String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    // U+FFFD is EF BF BD in UTF-8: look for its first byte with memchr (a `str::contains` costs more than the read).
    let b = text.as_bytes();
    let replaced =
        memchr::memchr_iter(0xEF, b).any(|p| b.get(p..p + 3) == Some(&[0xEF, 0xBF, 0xBD][..]));
    let lone = replaced && !s.is_valid_utf16();
    (text, lone)
}

/// Walks a JS value the way `JSON.stringify` sees it (own enumerable keys; `undefined` and functions skipped in
/// objects), but keeps `bigint`s exact, turns `Date`s into their ISO text, and reports what JSON cannot hold.
pub(crate) fn js_to_node(
    value: &JsValue,
    path: &str,
    depth: usize,
    warnings: &mut Vec<Issue>,
) -> Result<Node<'static>, Issue> {
    let err = |code: IssueCode, message: String| Issue::new(Severity::Error, code, path, message);
    let threw = |p: &str, e: &JsValue| {
        Issue::new(
            Severity::Error,
            IssueCode::JsException,
            p,
            format!("reading this value threw: {}", thrown_text(e)),
        )
    };
    if depth > MAX_DEPTH {
        return Err(err(
            IssueCode::JsonDepth,
            format!("nesting deeper than {MAX_DEPTH} levels (or a cycle)"),
        ));
    }
    let v = if value.is_null() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(f) = value.as_f64() {
        if !f.is_finite() {
            return Err(err(
                IssueCode::WrongType,
                format!("{} is not a JSON number", args::number_text(f)),
            ));
        }
        if f.fract() == 0.0 && f.abs() < 1e38 {
            if f.abs() > 9_007_199_254_740_991.0 {
                warnings.push(unsafe_integer(path, f));
            }
            Value::Number(format!("{}", f as i128).into())
        } else {
            Value::Number(args::number_text(f).into())
        }
    } else if value.is_bigint() {
        let b: &BigInt = value.unchecked_ref();
        Value::Number(b.to_string(10).map(String::from).unwrap_or_default().into())
    } else if let Some(s) = value.dyn_ref::<JsString>() {
        let (text, lone) = js_text(s);
        Value::String(JsonString::owned(text, lone))
    } else if Array::is_array(value) {
        let arr: &Array = value.unchecked_ref();
        let len = arr.length();
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len {
            let p = issue::pointer(path, &i.to_string());
            let item = Reflect::get_u32(arr, i).map_err(|e| threw(&p, &e))?;
            if item.is_undefined() || item.is_function() || item.is_symbol() {
                items.push(Node {
                    value: Value::Null,
                    offset: 0,
                });
            } else {
                items.push(js_to_node(&item, &p, depth + 1, warnings)?);
            }
        }
        Value::Array(items)
    } else if let Some(d) = value.dyn_ref::<Date>() {
        if d.get_time().is_nan() {
            return Err(err(IssueCode::BadDatetime, "the Date is invalid".into()));
        }
        Value::String(JsonString::owned(String::from(d.to_iso_string()), false))
    } else if value.is_object() {
        let obj: &Object = value.unchecked_ref();
        let mut members = Vec::new();
        let keys = object_keys(obj).map_err(|e| threw(path, &e))?;
        for key in keys.iter() {
            let Some(k) = key.dyn_ref::<JsString>() else {
                continue;
            };
            let (key_text, key_lone) = js_text(k);
            let p = issue::pointer(path, &key_text);
            // A getter that throws is an error at its path: skipping it would drop what it holds (a filter's
            // condition, a call's field) without a word.
            let item = Reflect::get(obj, &key).map_err(|e| threw(&p, &e))?;
            if item.is_undefined() || item.is_function() || item.is_symbol() {
                continue;
            }
            let node = js_to_node(&item, &p, depth + 1, warnings)?;
            members.push(Member {
                key: JsonString::owned(key_text, key_lone),
                key_offset: 0,
                value: node,
            });
        }
        Value::Object(members)
    } else {
        return Err(err(
            IssueCode::WrongType,
            format!(
                "a {} cannot be JSON",
                value.js_typeof().as_string().unwrap_or_default()
            ),
        ));
    };
    Ok(Node {
        value: v,
        offset: 0,
    })
}

/// Many calls from any input (`parseCalls`, and the calls handed to `filterCalls` and `summarizeCalls`): text and
/// bytes through the record splitter, a JS array or envelope through the tree reader; conversion issues first.
pub(crate) fn read_batch(input: &JsValue, opts: ReadOptions) -> CallBatch {
    match read_input(input) {
        Ok(Input::Bytes(bytes)) => crate::batch::calls_from_bytes(&bytes, opts),
        Ok(Input::Tree(node, warnings)) => {
            let mut b = CallBatch {
                issues: warnings,
                ..CallBatch::default()
            };
            crate::batch::calls_from_tree(&node, opts, false, &mut b);
            b
        }
        Err(issues) => CallBatch {
            issues,
            ..CallBatch::default()
        },
    }
}

/// A list of issues.
#[derive(Serialize, Tsify)]
pub struct IssueList(pub Vec<Issue>);

/// A `TypeError` named `name` listing every error, with all `issues` attached.
fn issues_error(name: &str, what: &str, issues: &[Issue]) -> JsValue {
    let list: Vec<String> = issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| {
            let at = if i.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", i.path)
            };
            format!("{}{at}: {}", i.code, i.message)
        })
        .collect();
    let err = js_sys::TypeError::new(&format!("invalid {what}: {}", list.join("; ")));
    err.set_name(name);
    let _ = Reflect::set(&err, &JsValue::from_str("issues"), &issues_to_js(issues));
    err.into()
}

/// The `CallFilterError` every function taking a filter throws.
pub(crate) fn filter_error(issues: &[Issue]) -> JsValue {
    issues_error("CallFilterError", "filter", issues)
}

/// The `CallSummaryError` of bad summary options.
pub(crate) fn summary_error(issues: &[Issue]) -> JsValue {
    issues_error("CallSummaryError", "summary options", issues)
}

/// What a value is, for an error message: `null`, or its `typeof`.
pub(crate) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// An optional tsify-typed argument as the plain JS value (`undefined` when absent).
pub(crate) fn js_of<T: Tsify>(v: Option<Ts<T>>) -> JsValue {
    v.map(|t| t.js_value()).unwrap_or(JsValue::UNDEFINED)
}

/// Byte offsets as a `Float64Array` (exact up to 2^53).
pub(crate) fn float64_array(values: &[u64]) -> JsValue {
    let floats: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    js_sys::Float64Array::from(floats.as_slice()).into()
}

/// A JS object (or nothing) as a tree. Text and bytes are refused: a filter is an object, and a query string has
/// its own reader.
fn object_tree(value: &JsValue, what: &str) -> Result<(Node<'static>, Vec<Issue>), Vec<Issue>> {
    if value.is_undefined() || value.is_null() {
        return Ok((
            Node {
                value: Value::Null,
                offset: 0,
            },
            Vec::new(),
        ));
    }
    if value.is_string() || args::byte_view(value).is_some() {
        let hint = if value.is_string() && what == "filter" {
            "; use filterFromQuery for a query string"
        } else {
            ""
        };
        return Err(vec![Issue::new(
            Severity::Error,
            IssueCode::WrongType,
            "",
            format!("a {what} is an object, not text{hint}"),
        )]);
    }
    match read_input(value)? {
        // The core reports numbers beyond 2^53 as errors itself; the conversion's warning would repeat it.
        Input::Tree(node, warnings) => Ok((
            node,
            warnings
                .into_iter()
                .filter(|w| w.code != IssueCode::UnsafeInteger)
                .collect(),
        )),
        Input::Bytes(_) => Err(vec![Issue::new(
            Severity::Error,
            IssueCode::WrongType,
            "",
            format!("a {what} is an object"),
        )]),
    }
}

/// The filter, and its warnings; every issue when it has an error.
pub(crate) fn read_filter(value: &JsValue) -> Result<(CallFilter, Vec<Issue>), Vec<Issue>> {
    let (node, mut conversion) = object_tree(value, "filter")?;
    match crate::filter::filter_from_tree(&node) {
        Ok((f, mut warnings)) => {
            conversion.append(&mut warnings);
            Ok((f, conversion))
        }
        Err(mut issues) => {
            conversion.append(&mut issues);
            Err(conversion)
        }
    }
}

/// Summary options from JS (`undefined`/`null`: none); a `CallSummaryError` when they are bad.
pub(crate) fn read_summary_options(options: &JsValue) -> Result<summary::SummaryOptions, JsValue> {
    let (node, _) = object_tree(options, "summary options").map_err(|i| summary_error(&i))?;
    summary::summary_options_from_tree(&node).map_err(|i| summary_error(&i))
}
