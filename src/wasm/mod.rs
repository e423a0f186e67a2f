//! The JavaScript boundary. Every export converts its arguments, calls the core, and converts the result; no rule
//! lives here. Inputs are taken as text, bytes or plain JS values; results go out through tsify (`Ts<T>`), so the
//! generated `.d.ts` describes exactly what is returned.

use crate::batch::{self, CallBatch};
use crate::issue::{Issue, Severity};
use crate::json::{JsonString, Member, Node, Value, MAX_DEPTH};
use crate::model::{Call, CallLog};
use crate::read::ReadOptions;
use crate::status::Mode;
use crate::{gojson, issue};
use js_sys::{Array, BigInt, Date, JsString, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
/** Input accepted by the readers: JSON text, UTF-8 bytes of JSON text, or an already-parsed value. */
export type CallInput = string | Uint8Array | object;
"#;

/// Options of the readers and validators.
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ParseOptions {
    /// `"observed"` (default): what real servers wrote is clean. `"strict"`: the model as declared and drawn.
    #[serde(default)]
    #[tsify(optional)]
    pub mode: Option<Mode>,
}

pub(crate) fn read_options(options: Option<Ts<ParseOptions>>) -> Result<ReadOptions, JsValue> {
    let Some(options) = options else { return Ok(ReadOptions::default()) };
    Ok(ReadOptions { mode: mode_option(&options.js_value())? })
}

/// Reads `{ mode?: "observed" | "strict" }` strictly: an unknown key or value is a `TypeError`, not a silent default.
pub(crate) fn mode_option(options: &JsValue) -> Result<Mode, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Mode::default());
    }
    let Some(obj) = options.dyn_ref::<Object>() else {
        return Err(type_error("options must be an object such as { mode: \"strict\" }"));
    };
    let mut mode = Mode::default();
    for key in Object::keys(obj).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
        match name.as_str() {
            "mode" if value.is_undefined() => {}
            "mode" => {
                mode = value.as_string().as_deref().and_then(Mode::parse).ok_or_else(|| {
                    type_error(&format!("options.mode must be \"observed\" or \"strict\", not {}", describe(&value)))
                })?;
            }
            other => return Err(type_error(&format!("unknown option '{other}': the only option is mode"))),
        }
    }
    Ok(mode)
}

fn describe(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => format!("\"{s}\""),
        None => js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "that value".into()),
    }
}

pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

fn to_js<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    value.into_ts().map_err(|e| JsValue::from(JsError::new(&e.to_string())))
}

/// serde-wasm-bindgen builds map objects by assignment, and assigning `__proto__` sets the prototype instead of
/// adding a key, so such a key would vanish. Put it back as an own data property (cheap: only when present).
pub(crate) fn restore_proto_keys(js_call: &JsValue, call: &Call) {
    const KEY: &str = "__proto__";
    let define = |obj: &JsValue, value: JsValue| {
        let desc = Object::new();
        for (k, v) in [("value", value), ("writable", true.into()), ("enumerable", true.into()), ("configurable", true.into())] {
            let _ = Reflect::set(&desc, &JsValue::from_str(k), &v);
        }
        if let Some(o) = obj.dyn_ref::<Object>() {
            let _ = Object::define_property(o, &JsValue::from_str(KEY), &desc);
        }
    };
    for (name, map) in [("base_env", &call.base_env), ("env_vars", &call.env_vars)] {
        if let Some(v) = map.get(KEY) {
            if let Ok(obj) = Reflect::get(js_call, &JsValue::from_str(name)) {
                define(&obj, JsValue::from_str(v));
            }
        }
    }
    if call.stats.iter().any(|s| s.metrics.as_ref().is_some_and(|m| m.contains_key(KEY))) {
        let Ok(stats) = Reflect::get(js_call, &JsValue::from_str("stats")) else { return };
        for (i, stat) in call.stats.iter().enumerate() {
            if let Some(v) = stat.metrics.as_ref().and_then(|m| m.get(KEY)) {
                let metrics = Reflect::get_u32(&stats, i as u32)
                    .and_then(|s| Reflect::get(&s, &JsValue::from_str("metrics")));
                if let Ok(metrics) = metrics {
                    define(&metrics, BigInt::from(*v).into());
                }
            }
        }
    }
}

fn call_to_js(call: &Call) -> Result<Ts<Call>, JsValue> {
    let js = to_js(call)?;
    restore_proto_keys(&js.js_value(), call);
    Ok(js)
}

fn calls_to_js_fix(js_calls: &JsValue, calls: &[Call]) {
    for (i, call) in calls.iter().enumerate() {
        if let Ok(js) = Reflect::get_u32(js_calls, i as u32) {
            restore_proto_keys(&js, call);
        }
    }
}

pub(crate) fn issues_to_js(issues: &[Issue]) -> JsValue {
    serde_wasm_bindgen::to_value(issues).unwrap_or(JsValue::NULL)
}

/// An `Error` named `CallValidationError` with an `issues` array.
pub(crate) fn validation_error(issues: &[Issue]) -> JsValue {
    let errors: Vec<&Issue> = issues.iter().filter(|i| i.is_error()).collect();
    let first = errors.first().map(|i| {
        let at = if i.path.is_empty() { String::new() } else { format!(" at {}", i.path) };
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
        let mut warnings = Vec::new();
        if !s.is_valid_utf16() {
            warnings.push(Issue::new(
                Severity::Warning,
                "lone_surrogate",
                "",
                "the text contains a lone surrogate, which UTF-8 cannot hold; it was replaced by U+FFFD".into(),
            ));
        }
        let text = String::from(s);
        if warnings.is_empty() {
            return Ok(Input::Bytes(text.into_bytes()));
        }
        // Still read; the warning travels with the tree (offsets no longer match the caller's string).
        return match crate::json::parse(text.as_bytes()) {
            Ok(node) => Ok(Input::Tree(node.into_owned(), warnings)),
            Err(e) => Err(vec![*e]),
        };
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(Input::Bytes(bytes.to_vec()));
    }
    if value.is_undefined() {
        return Err(vec![Issue::new(Severity::Error, "wrong_type", "", "no input was given (undefined)".into())]);
    }
    let mut warnings = Vec::new();
    let node = js_to_node(value, "", 0, &mut warnings).map_err(|e| vec![e])?;
    Ok(Input::Tree(node, warnings))
}

/// Walks a JS value the way `JSON.stringify` sees it (own enumerable keys; `undefined` and functions skipped in
/// objects), but keeps `bigint`s exact, turns `Date`s into their ISO text, and reports what JSON cannot hold.
fn js_to_node(value: &JsValue, path: &str, depth: usize, warnings: &mut Vec<Issue>) -> Result<Node<'static>, Issue> {
    let err = |code: &str, message: String| Issue::new(Severity::Error, code, path, message);
    if depth > MAX_DEPTH {
        return Err(err("json_depth", format!("nesting deeper than {MAX_DEPTH} levels (or a cycle)")));
    }
    let v = if value.is_null() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(f) = value.as_f64() {
        if !f.is_finite() {
            return Err(err("wrong_type", format!("{f} is not a JSON number")));
        }
        if f.fract() == 0.0 && f.abs() < 1e38 {
            if f.abs() > 9_007_199_254_740_991.0 {
                warnings.push(Issue::new(
                    Severity::Warning,
                    "unsafe_integer",
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
        Value::String(JsonString::owned(String::from(s), !s.is_valid_utf16()))
    } else if Array::is_array(value) {
        let arr: &Array = value.unchecked_ref();
        let mut items = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            let p = issue::pointer(path, &i.to_string());
            if item.is_undefined() || item.is_function() || item.is_symbol() {
                items.push(Node { value: Value::Null, offset: 0 });
            } else {
                items.push(js_to_node(&item, &p, depth + 1, warnings)?);
            }
        }
        Value::Array(items)
    } else if let Some(d) = value.dyn_ref::<Date>() {
        if d.get_time().is_nan() {
            return Err(err("bad_datetime", "the Date is invalid".into()));
        }
        Value::String(JsonString::owned(String::from(d.to_iso_string()), false))
    } else if value.is_object() {
        let obj: &Object = value.unchecked_ref();
        let mut members = Vec::new();
        for key in Object::keys(obj).iter() {
            let Some(k) = key.dyn_ref::<JsString>() else { continue };
            let item = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
            if item.is_undefined() || item.is_function() || item.is_symbol() {
                continue;
            }
            let key_text = String::from(k);
            let p = issue::pointer(path, &key_text);
            let node = js_to_node(&item, &p, depth + 1, warnings)?;
            members.push(Member {
                key: JsonString::owned(key_text, !k.is_valid_utf16()),
                key_offset: 0,
                value: node,
            });
        }
        Value::Object(members)
    } else {
        return Err(err("wrong_type", format!("a {} cannot be JSON", value.js_typeof().as_string().unwrap_or_default())));
    };
    Ok(Node { value: v, offset: 0 })
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
        Some(data) => SafeParseResult::Ok(SafeParseSuccess { success: true, data: Box::new(data), warnings: outcome.issues }),
        None => SafeParseResult::Err(SafeParseFailure { success: false, issues: outcome.issues }),
    };
    let js = to_js(&result)?;
    if let SafeParseResult::Ok(ok) = &result {
        if let Ok(data) = Reflect::get(&js.js_value(), &JsValue::from_str("data")) {
            restore_proto_keys(&data, &ok.data);
        }
    }
    Ok(js)
}

/// Every issue of one call, errors and warnings; `[]` when clean.
#[wasm_bindgen(js_name = validateCall)]
pub fn validate_call(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
    options: Option<Ts<ParseOptions>>,
) -> Result<Ts<IssueList>, JsValue> {
    let outcome = read_one_call(&input, read_options(options)?);
    to_js(&IssueList(outcome.issues))
}

/// A list of issues.
#[derive(Serialize, Tsify)]
pub struct IssueList(pub Vec<Issue>);

/// The exact bytes the Go server writes for this call. The call is validated first: a call with errors throws a
/// `CallValidationError` rather than being written wrongly.
#[wasm_bindgen(js_name = stringifyCall)]
pub fn stringify_call(#[wasm_bindgen(unchecked_param_type = "Call | CallInput")] call: JsValue) -> Result<String, JsValue> {
    let outcome = read_one_call(&call, ReadOptions::default());
    match outcome.call {
        Some(call) => Ok(gojson::call_to_string(&call)),
        None => Err(validation_error(&outcome.issues)),
    }
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
            let mut b = CallBatch { issues: warnings, ..CallBatch::default() };
            batch::calls_from_tree(&node, opts, false, &mut b);
            b
        }
        Err(issues) => CallBatch { issues, ..CallBatch::default() },
    };
    let js = to_js(&batch)?;
    if let Ok(calls) = Reflect::get(&js.js_value(), &JsValue::from_str("calls")) {
        calls_to_js_fix(&calls, &batch.calls);
    }
    Ok(js)
}

/// Reads a call log, bare or in its v1/v2 envelope `{"message","log":{…}}`.
#[wasm_bindgen(js_name = parseCallLog)]
pub fn parse_call_log(#[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue) -> Result<Ts<CallLog>, JsValue> {
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
pub fn stringify_call_log(#[wasm_bindgen(unchecked_param_type = "CallLog | CallInput")] log: JsValue) -> Result<String, JsValue> {
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
