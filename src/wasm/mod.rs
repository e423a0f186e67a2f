//! The JavaScript boundary. Every export converts its arguments, calls the core, and converts the result; no rule
//! lives here. Inputs are taken as text, bytes or plain JS values; results go out through tsify (`Ts<T>`), so the
//! generated `.d.ts` describes exactly what is returned.

use crate::batch::{self, CallBatch};
use crate::generation;
use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{JsonString, Member, Node, Value, MAX_DEPTH};
use crate::model::{Call, CallLog};
use crate::read::ReadOptions;
use crate::status::Mode;
use crate::{gojson, issue};
use js_sys::{Array, BigInt, Date, JsString, Object, Reflect, Uint8Array};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod args;
mod filter;
mod scan;
pub mod transitions;

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

/// Options of `stringifyCall`.
#[derive(Debug, Clone, Default, Tsify)]
pub struct StringifyOptions {
    /// Write the call as this generation's Go code does: a generation's name or any release in it (`"0.3.688"`).
    /// Default: the generation the call was read as (its keys tell).
    #[tsify(optional)]
    pub generation: Option<String>,
}

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

/// Reads `{ mode?: "observed" | "strict" }` strictly: an unknown key or value is a `TypeError`, not a silent default.
pub(crate) fn mode_option(options: &JsValue) -> Result<Mode, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Mode::default());
    }
    let Some(obj) = options.dyn_ref::<Object>() else {
        return Err(type_error(
            "options must be an object such as { mode: \"strict\" }",
        ));
    };
    let mut mode = Mode::default();
    for key in Object::keys(obj).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
        match name.as_str() {
            "mode" if value.is_undefined() => {}
            "mode" => {
                mode = value
                    .as_string()
                    .as_deref()
                    .and_then(Mode::parse)
                    .ok_or_else(|| {
                        type_error(&format!(
                            "options.mode must be \"observed\" or \"strict\", not {}",
                            describe(&value)
                        ))
                    })?;
            }
            other => {
                return Err(type_error(&format!(
                    "unknown option '{other}': the only option is mode"
                )))
            }
        }
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

fn to_js<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    value
        .into_ts()
        .map_err(|e| JsValue::from(JsError::new(&e.to_string())))
}

// Building `Call` objects: JSON.parse on JSON the core writes (uint64 as strings), then each uint64 made a
// bigint. Several times faster than building the objects property by property across the boundary, and
// JSON.parse keeps a `__proto__` key as an own property.
#[wasm_bindgen(inline_js = r#"
function fix(c) {
  if (c.memory !== undefined) c.memory = BigInt(c.memory);
  if (c.execution_duration !== undefined) c.execution_duration = BigInt(c.execution_duration);
  const stats = c.stats;
  if (stats !== undefined) {
    for (const s of stats) {
      const m = s.metrics;
      if (m !== null) for (const k of Object.keys(m)) m[k] = BigInt(m[k]);
    }
  }
  return c;
}
export function callFromJson(text) { return fix(JSON.parse(text)); }
export function callsFromJson(text) { const calls = JSON.parse(text); for (const c of calls) fix(c); return calls; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = callFromJson)]
    fn call_from_json(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = callsFromJson)]
    fn calls_from_json(text: &str) -> JsValue;
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

fn call_to_js(call: &Call) -> Result<Ts<Call>, JsValue> {
    Ok(Ts::new_unchecked(call_value(call)))
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
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

/// What a reader was given.
pub(crate) enum Input {
    Bytes(Vec<u8>),
    /// A JS value, walked into the same tree the text reader builds; `warnings` are about the conversion itself.
    Tree(Node<'static>, Vec<Issue>),
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
fn js_to_node(
    value: &JsValue,
    path: &str,
    depth: usize,
    warnings: &mut Vec<Issue>,
) -> Result<Node<'static>, Issue> {
    let err = |code: IssueCode, message: String| Issue::new(Severity::Error, code, path, message);
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
                format!("{f} is not a JSON number"),
            ));
        }
        if f.fract() == 0.0 && f.abs() < 1e38 {
            if f.abs() > 9_007_199_254_740_991.0 {
                warnings.push(Issue::new(
                    Severity::Warning,
                    IssueCode::UnsafeInteger,
                    path,
                    format!("{} is above 2^53 − 1, so JavaScript may already have rounded it; pass a bigint", f as i128),
                ));
            }
            Value::Number(format!("{}", f as i128).into())
        } else {
            Value::Number(format!("{f}").into())
        }
    } else if value.is_bigint() {
        let b: &BigInt = value.unchecked_ref();
        Value::Number(b.to_string(10).map(String::from).unwrap_or_default().into())
    } else if let Some(s) = value.dyn_ref::<JsString>() {
        let (text, lone) = js_text(s);
        Value::String(JsonString::owned(text, lone))
    } else if Array::is_array(value) {
        let arr: &Array = value.unchecked_ref();
        let mut items = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            let p = issue::pointer(path, &i.to_string());
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
        for key in Object::keys(obj).iter() {
            let Some(k) = key.dyn_ref::<JsString>() else {
                continue;
            };
            let item = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
            if item.is_undefined() || item.is_function() || item.is_symbol() {
                continue;
            }
            let (key_text, key_lone) = js_text(k);
            let p = issue::pointer(path, &key_text);
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

fn read_one_call(input: &JsValue, opts: ReadOptions) -> batch::CallOutcome {
    match read_input(input) {
        Ok(Input::Bytes(bytes)) => batch::call_from_bytes(&bytes, opts),
        Ok(Input::Tree(node, mut warnings)) => {
            let mut outcome = batch::call_from_tree(&node, opts, false);
            warnings.append(&mut outcome.issues);
            outcome.issues = warnings;
            if outcome.issues.iter().any(Issue::is_error) {
                outcome.call = None;
            }
            outcome
        }
        Err(issues) => batch::CallOutcome { call: None, issues },
    }
}

/// Every key a `CallFilter` has, as written in JSON: the server's six (`app_name`, `path`, `from_time`, `to_time`,
/// `cursor`, `per_page`) first, then the extensions. The Rust core's own list, the one the filter reader checks keys
/// against.
#[wasm_bindgen(js_name = filterFields, unchecked_return_type = "Array<keyof CallFilter>")]
pub fn filter_fields() -> Array {
    crate::filter::FILTER_FIELDS
        .iter()
        .map(|f| JsValue::from_str(f))
        .collect()
}

/// Every issue code the package can report, as written in `Issue.code` (docs/issue-codes.md says who reports each
/// and why). The list is the Rust core's own, so a new code appears here as soon as it exists.
#[wasm_bindgen(js_name = issueCodes, unchecked_return_type = "IssueCode[]")]
pub fn issue_codes() -> Array {
    issue::IssueCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}

/// Reads one call (JSON text, UTF-8 bytes, a parsed object, or the v1 envelope `{"message","call"}`).
/// Throws a `CallValidationError` listing every issue when the call has errors; warnings do not throw.
#[wasm_bindgen(js_name = parseCall)]
pub fn parse_call(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
    options: Option<Ts<ParseOptions>>,
) -> Result<Ts<Call>, JsValue> {
    let outcome = read_one_call(&input, read_options(options)?);
    match outcome.call {
        Some(call) => call_to_js(&call),
        None => Err(validation_error(&outcome.issues)),
    }
}

/// `parseCall` without throwing: `{ success: true, data, warnings }` or `{ success: false, issues }`.
#[derive(Serialize, Tsify)]
#[serde(untagged)]
#[tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)]
pub enum SafeParseResult {
    Ok(SafeParseSuccess),
    Err(SafeParseFailure),
}

#[derive(Serialize, Tsify)]
pub struct SafeParseSuccess {
    #[tsify(type = "true")]
    pub success: bool,
    pub data: Box<Call>,
    pub warnings: Vec<Issue>,
}

#[derive(Serialize, Tsify)]
pub struct SafeParseFailure {
    #[tsify(type = "false")]
    pub success: bool,
    /// Every issue, errors and warnings.
    pub issues: Vec<Issue>,
}

#[wasm_bindgen(js_name = safeParseCall)]
pub fn safe_parse_call(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
    options: Option<Ts<ParseOptions>>,
) -> Result<Ts<SafeParseResult>, JsValue> {
    let outcome = read_one_call(&input, read_options(options)?);
    let result = match outcome.call {
        Some(data) => object(&[
            ("success", JsValue::TRUE),
            ("data", call_value(&data)),
            ("warnings", issues_to_js(&outcome.issues)),
        ]),
        None => object(&[
            ("success", JsValue::FALSE),
            ("issues", issues_to_js(&outcome.issues)),
        ]),
    };
    Ok(Ts::new_unchecked(result))
}

/// Every issue of one call, errors and warnings; `[]` when clean.
#[wasm_bindgen(js_name = validateCall)]
pub fn validate_call(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
    options: Option<Ts<ParseOptions>>,
) -> Result<Ts<IssueList>, JsValue> {
    let opts = read_options(options)?;
    // Text and bytes of a plainly clean call take the fast lane (same issues, no tree, no Call); the rest go to the
    // full reader without converting the input again.
    let bytes = if let Some(s) = input.dyn_ref::<JsString>() {
        match js_text(s) {
            (text, false) => Some(text.into_bytes()),
            (_, true) => None, // a lone surrogate: read_one_call adds its warning
        }
    } else {
        args::byte_view(&input).map(|b| b.to_vec())
    };
    let outcome = match &bytes {
        Some(bytes) => {
            if let Some(issues) = crate::fast_read::validate_clean(bytes, opts.mode) {
                return Ok(Ts::new_unchecked(issues_to_js(&issues)));
            }
            batch::call_from_bytes(bytes, opts)
        }
        None => read_one_call(&input, opts),
    };
    to_js(&IssueList(outcome.issues))
}

/// A list of issues.
#[derive(Serialize, Tsify)]
pub struct IssueList(pub Vec<Issue>);

/// The exact bytes the Go server writes for this call. The call is validated first: a call with errors throws a
/// `CallValidationError` rather than being written wrongly.
#[wasm_bindgen(typescript_custom_section)]
const TS_GENERATIONS: &'static str = r#"
/** One generation of the call's JSON: the releases whose Go code wrote calls with one layout. */
export interface CallGeneration {
    /** The first release with this layout, which names the generation ("0.3.563"). */
    name: string;
    /** The last release with it; null: every release since. */
    last: string | null;
    /** Date of the first release, YYYY-MM-DD. */
    since: string;
    /** What changed from the generation before. */
    change: string;
    /** How servers of these releases listed calls: "v1", "v1, v2", "v2" or "none". */
    listing: string;
    /** The keys in the order Go writes them. */
    keys: string[];
    /** The keys Go writes even when empty. */
    always: string[];
}
"#;

/// Writes a call exactly as the Go code of its generation does: by default the generation it was read as (its
/// keys tell), or the one `options.generation` names (a generation's name or any release in it). Throws a
/// `CallValidationError` when the call has errors, and a `RangeError` for an unknown generation.
#[wasm_bindgen(js_name = stringifyCall)]
pub fn stringify_call(
    #[wasm_bindgen(unchecked_param_type = "Call | CallInput")] call: JsValue,
    options: Option<Ts<StringifyOptions>>,
) -> Result<String, JsValue> {
    let generation = match options {
        None => None,
        Some(options) => {
            let options = options.js_value();
            let name = Reflect::get(&options, &JsValue::from_str("generation"))
                .unwrap_or(JsValue::UNDEFINED);
            match name.as_string() {
                None if name.is_undefined() => None,
                None => return Err(js_sys::TypeError::new("stringifyCall: options.generation must be a string such as \"0.3.688\"").into()),
                Some(n) => match generation::by_name(&n) {
                    Some(g) => Some(g),
                    None => {
                        return Err(js_sys::RangeError::new(&format!(
                            "stringifyCall: '{n}' is not an Fn release with call records (0.3.205 or later; see generations())"
                        ))
                        .into())
                    }
                },
            }
        }
    };
    let outcome = read_one_call(&call, ReadOptions::default());
    match outcome.call {
        Some(call) => {
            let mut out = String::with_capacity(512);
            match generation {
                Some(g) => gojson::write_call_in(&mut out, &call, g),
                None => gojson::write_call(&mut out, &call),
            }
            Ok(out)
        }
        None => Err(validation_error(&outcome.issues)),
    }
}

/// A JSON Schema (2020-12) of the call, as JSON text: the root accepts any generation, `$defs` has one strict schema
/// per generation (`docs/generations.md`). The package ships it as `fn-calls/call.schema.json` too.
#[wasm_bindgen(js_name = callJsonSchema)]
pub fn call_json_schema() -> String {
    crate::schema::call_json_schema()
}

/// Every generation of the call's JSON, oldest first (`docs/generations.md`).
#[wasm_bindgen(js_name = generations, unchecked_return_type = "CallGeneration[]")]
pub fn generations() -> JsValue {
    let list = Array::new();
    for g in &generation::GENERATIONS {
        let o = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
        };
        set("name", JsValue::from_str(g.name));
        set("last", g.last.map_or(JsValue::NULL, JsValue::from_str));
        set("since", JsValue::from_str(g.since));
        set("change", JsValue::from_str(g.change));
        set("listing", JsValue::from_str(g.listing));
        let keys = Array::new();
        let always = Array::new();
        for k in g.keys {
            keys.push(&JsValue::from_str(k.name));
            if k.always {
                always.push(&JsValue::from_str(k.name));
            }
        }
        set("keys", keys.into());
        set("always", always.into());
        list.push(&o);
    }
    list.into()
}

/// The generations a call fits (their names, oldest first): those whose layout has every key it has. The first
/// is the one it is written as by default when its always-written keys are all there. `[]` for a call mixing
/// generations. Throws a `CallValidationError` when the input is not a call.
#[wasm_bindgen(js_name = callGenerations)]
pub fn call_generations(
    #[wasm_bindgen(unchecked_param_type = "Call | CallInput")] call: JsValue,
) -> Result<Vec<String>, JsValue> {
    let outcome = read_one_call(&call, ReadOptions::default());
    let Some(call) = outcome.call else {
        return Err(validation_error(&outcome.issues));
    };
    let keys = gojson::present_keys(&call);
    let mut fit: Vec<usize> = generation::fitting(&keys);
    // The generation the call was read as comes first.
    if let Some(g) = call.generation {
        fit.retain(|x| *x != g);
        fit.insert(0, g);
    }
    Ok(fit
        .into_iter()
        .filter_map(|g| generation::GENERATIONS.get(g).map(|g| g.name.to_string()))
        .collect())
}

/// Many calls: a JSON array, the v1 list envelope, the v2 list envelope (cursor decoded to the raw id), or NDJSON,
/// as text or bytes (or an already-parsed array or envelope). Bad records are reported in `issues` with their
/// `index` (and `line` for NDJSON) and left out of `calls`; the good ones are all returned.
#[wasm_bindgen(js_name = parseCalls)]
pub fn parse_calls(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
    options: Option<Ts<ParseOptions>>,
) -> Result<Ts<CallBatch>, JsValue> {
    let opts = read_options(options)?;
    let batch = match read_input(&input) {
        Ok(Input::Bytes(bytes)) => batch::calls_from_bytes(&bytes, opts),
        Ok(Input::Tree(node, warnings)) => {
            let mut b = CallBatch {
                issues: warnings,
                ..CallBatch::default()
            };
            batch::calls_from_tree(&node, opts, false, &mut b);
            b
        }
        Err(issues) => CallBatch {
            issues,
            ..CallBatch::default()
        },
    };
    Ok(Ts::new_unchecked(object(&[
        ("calls", calls_value(&batch.calls)),
        ("next_cursor", JsValue::from_str(&batch.next_cursor)),
        ("issues", issues_to_js(&batch.issues)),
    ])))
}

/// Reads a call log, bare or in its v1/v2 envelope `{"message","log":{…}}`.
#[wasm_bindgen(js_name = parseCallLog)]
pub fn parse_call_log(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
) -> Result<Ts<CallLog>, JsValue> {
    let result = match read_input(&input) {
        Ok(Input::Bytes(bytes)) => batch::log_from_bytes(&bytes),
        Ok(Input::Tree(node, _)) => batch::log_from_tree(&node, false),
        Err(issues) => Err(issues),
    };
    match result {
        Ok((log, _warnings)) => to_js(&log),
        Err(issues) => Err(validation_error(&issues)),
    }
}

/// The exact bytes the Go server writes for a call log.
#[wasm_bindgen(js_name = stringifyCallLog)]
pub fn stringify_call_log(
    #[wasm_bindgen(unchecked_param_type = "CallLog | CallInput")] log: JsValue,
) -> Result<String, JsValue> {
    let result = match read_input(&log) {
        Ok(Input::Bytes(bytes)) => batch::log_from_bytes(&bytes),
        Ok(Input::Tree(node, _)) => batch::log_from_tree(&node, false),
        Err(issues) => Err(issues),
    };
    match result {
        Ok((log, _)) => Ok(gojson::call_log_to_string(&log)),
        Err(issues) => Err(validation_error(&issues)),
    }
}
