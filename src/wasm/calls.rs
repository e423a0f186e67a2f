//! The exports about one call, many calls and call logs: read (`parseCall`, `safeParseCall`, `validateCall`,
//! `parseCalls`, `parseCallLog`), write (`stringifyCall`, `stringifyCallLog`), and the model's lists
//! (`filterFields`, `issueCodes`, `generations`, `callGenerations`, `callJsonSchema`). Each converts with
//! the conversions of `mod.rs`, delegates to the core, and converts back.

use super::*;
use crate::batch::CallBatch;
use crate::generation;
use crate::gojson;
use crate::issue::{self, Issue};
use crate::model::{Call, CallLog};
use crate::read::ReadOptions;
use crate::record::{self, CallOutcome};
use js_sys::{Array, JsString, Object, Reflect};
use serde::Serialize;
use tsify::{Ts, Tsify};

/// Options of `stringifyCall`.
#[derive(Debug, Clone, Default, Tsify)]
pub struct StringifyOptions {
    /// Write the call as this generation's Go code does: a generation's name or any release in it (`"0.3.688"`).
    /// Default: the generation the call was read as (its keys tell).
    #[tsify(optional)]
    pub generation: Option<String>,
}

fn read_one_call(input: &JsValue, opts: ReadOptions) -> CallOutcome {
    match read_input(input) {
        Ok(Input::Bytes(bytes)) => record::call_from_bytes(&bytes, opts),
        Ok(Input::Tree(node, mut warnings)) => {
            let mut outcome = record::call_from_tree(&node, opts, false);
            warnings.append(&mut outcome.issues);
            outcome.issues = warnings;
            if outcome.issues.iter().any(Issue::is_error) {
                outcome.call = None;
            }
            outcome
        }
        Err(issues) => CallOutcome { call: None, issues },
    }
}

/// One call read for a `Call` object: text a Go server wrote is built by `JSON.parse` of the text itself (the core
/// says when that gives exactly the call's object); anything else is read in full.
enum OneCall {
    Made(JsValue, Vec<Issue>),
    Read(Box<CallOutcome>),
}

fn read_one_for_js(input: &JsValue, opts: ReadOptions) -> OneCall {
    if let Some(text) = input.dyn_ref::<JsString>() {
        let (utf8, lone) = js_text(text);
        if !lone {
            return made_call(utf8.as_bytes(), opts, || Some(text.clone()))
                .map(|(call, issues)| OneCall::Made(call, issues))
                .unwrap_or_else(|| {
                    OneCall::Read(Box::new(record::call_from_bytes(utf8.as_bytes(), opts)))
                });
        }
    }
    // Bytes: the same, with the text decoded from them only for a call built from its own text.
    if let Some(view) = args::byte_view(input) {
        let bytes = view.to_vec();
        return made_call(&bytes, opts, || utf8_text(&view))
            .map(|(call, issues)| OneCall::Made(call, issues))
            .unwrap_or_else(|| OneCall::Read(Box::new(record::call_from_bytes(&bytes, opts))));
    }
    // A plain object (what `response.json()` gives): the same, through its JSON text (`plain_objects_for_calls`),
    // when that text is a clean call; anything else is read by the object walker, whose words the issues keep.
    if let Some(plain) = plain_objects_for_calls(input) {
        if let Some((call, issues)) = made_call(plain.utf8.as_bytes(), opts, || Some(plain.text)) {
            let mut warnings = plain.warnings;
            warnings.extend(without_places(issues));
            return OneCall::Made(call, warnings);
        }
    }
    OneCall::Read(Box::new(read_one_call(input, opts)))
}

/// The `Call` object of a record the fast lane reads clean, with its issues: `JSON.parse` of the record's own text
/// (`text`, the caller's string; `None` when it cannot be had) or of the JSON with its big numbers quoted. `None`
/// when only the full reader can make it.
fn made_call(
    record: &[u8],
    opts: ReadOptions,
    text: impl FnOnce() -> Option<JsString>,
) -> Option<(JsValue, Vec<Issue>)> {
    use crate::fast_read::ForJs;
    match crate::fast_read::read_clean_for_js(record, opts.mode, true)? {
        (_, issues, ForJs::Verbatim) => Some((call_from_text(&text()?), issues)),
        (_, issues, ForJs::Quoted(json)) => Some((call_from_json(&json), issues)),
        (_, _, ForJs::Differs) => None,
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
    match read_one_for_js(&input, read_options(options)?) {
        OneCall::Made(call, _) => Ok(Ts::new_unchecked(call)),
        OneCall::Read(outcome) => match outcome.call {
            Some(call) => call_to_js(&call),
            None => Err(validation_error(&outcome.issues)),
        },
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
    let (data, issues) = match read_one_for_js(&input, read_options(options)?) {
        OneCall::Made(call, warnings) => (Some(call), warnings),
        OneCall::Read(outcome) => (outcome.call.as_ref().map(call_value), outcome.issues),
    };
    let result = match data {
        Some(data) => safe_success(&data, &issues_to_js(&issues)),
        None => safe_failure(&issues_to_js(&issues)),
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
    let bytes = text_or_bytes(&input); // `None` for a lone surrogate too: read_one_call adds its warning
    if bytes.is_none() {
        if let Some(plain) = plain_objects_for_calls(&input) {
            if let Some(issues) = crate::fast_read::validate_clean(plain.utf8.as_bytes(), opts.mode)
            {
                let mut all = plain.warnings;
                all.extend(without_places(issues));
                return Ok(Ts::new_unchecked(issues_to_js(&all)));
            }
        }
    }
    let outcome = match &bytes {
        Some(bytes) => {
            if let Some(issues) = crate::fast_read::validate_clean(bytes, opts.mode) {
                return Ok(Ts::new_unchecked(issues_to_js(&issues)));
            }
            record::call_from_bytes(bytes, opts)
        }
        None => read_one_call(&input, opts),
    };
    to_js(&IssueList(outcome.issues))
}

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
    let options = options.map_or(JsValue::UNDEFINED, |o| o.js_value());
    let mut generation = None;
    for (_, name) in option_entries(&options, &["generation"], "{ generation: \"0.3.688\" }")? {
        let Some(n) = name.as_string() else {
            return Err(js_sys::TypeError::new(
                "stringifyCall: options.generation must be a string such as \"0.3.688\"",
            )
            .into());
        };
        match generation::by_name(&n) {
            Some(g) => generation = Some(g),
            None => {
                return Err(js_sys::RangeError::new(&format!(
                    "stringifyCall: '{n}' is not an Fn release with call records (0.3.205 or later; see generations())"
                ))
                .into())
            }
        }
    }
    // A plain object or a `Call` is read from its JSON text (`plainJson`: the text reader reads it as the object
    // walker does, and several times faster). A call with errors is read again by the walker, whose words the
    // thrown issues keep; what `plainJson` leaves to the walker goes there directly.
    let from_text = plain_objects_text(&call)
        .map(|utf8| record::call_from_bytes(utf8.as_bytes(), ReadOptions::default()))
        .filter(|outcome| outcome.call.is_some());
    let outcome = from_text.unwrap_or_else(|| read_one_call(&call, ReadOptions::default()));
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
    // Text (the usual input): calls a Go server wrote are built by JSON.parse of their own text.
    if let Some(text) = input.dyn_ref::<JsString>() {
        let (utf8, lone) = js_text(text);
        if !lone {
            let batch = crate::batch::kept_from_bytes(utf8.as_bytes(), opts);
            let calls = kept_value(text, utf8.as_bytes(), &batch);
            return Ok(batch_value(calls, &batch.next_cursor, &batch.issues));
        }
    }
    // UTF-8 bytes (a file read into a Buffer): the same, with the calls built from the text decoded from them.
    if let Some(view) = args::byte_view(&input) {
        if let Some(text) = utf8_text(&view) {
            let bytes = view.to_vec();
            let batch = crate::batch::kept_from_bytes(&bytes, opts);
            let calls = kept_value(&text, &bytes, &batch);
            return Ok(batch_value(calls, &batch.next_cursor, &batch.issues));
        }
    }
    // Plain objects (an array or an envelope from `response.json()`): the same, through their JSON text; a nesting
    // too deep is left for the walker to report as it does.
    if let Some(plain) = plain_objects_for_calls(&input) {
        let batch = crate::batch::kept_from_bytes(plain.utf8.as_bytes(), opts);
        if !batch
            .issues
            .iter()
            .any(|i| i.code == issue::IssueCode::JsonDepth)
        {
            let calls = kept_value(&plain.text, plain.utf8.as_bytes(), &batch);
            let mut issues = plain.warnings;
            issues.extend(without_places(batch.issues));
            return Ok(batch_value(calls, &batch.next_cursor, &issues));
        }
    }
    let batch = read_batch(&input, opts);
    Ok(batch_value(
        calls_value(&batch.calls),
        &batch.next_cursor,
        &batch.issues,
    ))
}

/// `parseCalls`' answer: `{ calls, next_cursor, issues }`.
fn batch_value(calls: JsValue, next_cursor: &str, issues: &[Issue]) -> Ts<CallBatch> {
    Ts::new_unchecked(object(&[
        ("calls", calls),
        ("next_cursor", JsValue::from_str(next_cursor)),
        ("issues", issues_to_js(issues)),
    ]))
}

/// Reads a call log, bare or in its v1/v2 envelope `{"message","log":{…}}`.
#[wasm_bindgen(js_name = parseCallLog)]
pub fn parse_call_log(
    #[wasm_bindgen(unchecked_param_type = "CallInput")] input: JsValue,
) -> Result<Ts<CallLog>, JsValue> {
    let result = match read_input(&input) {
        Ok(Input::Bytes(bytes)) => record::log_from_bytes(&bytes),
        Ok(Input::Tree(node, _)) => record::log_from_tree(&node, false),
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
        Ok(Input::Bytes(bytes)) => record::log_from_bytes(&bytes),
        Ok(Input::Tree(node, _)) => record::log_from_tree(&node, false),
        Err(issues) => Err(issues),
    };
    match result {
        Ok((log, _)) => Ok(gojson::call_log_to_string(&log)),
        Err(issues) => Err(validation_error(&issues)),
    }
}
