//! The bulk engine's JavaScript surface: `scanCalls`, `CallStream` and `CallIndex`. Bytes go in as one copy into
//! wasm memory; results come out as typed arrays, so no JS object is made for a record the caller does not ask for.

use super::args::{bound_arg, bytes_arg, max_record_bytes_arg, position_arg, positions_arg};
use super::{
    call_value, calls_value, filter_error, float64_array, issues_to_js, js_of, mode_value,
    option_entries, read_filter, read_summary_options, summary_error, type_error, validation_error,
};
use crate::filter::CallFilter;
use crate::index::{CallIndex as CoreIndex, IndexBuilder, IndexOptions};
use crate::model::Call;
use crate::scan::{CallScanner, InputForm, ScanOptions as CoreScanOptions, ScanResult, Validate};
use crate::status::Mode;
use crate::summary::{CallSummary, SummaryOptions};
use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use tsify::Ts;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// Rows come as one JSON text; `mem_peak` (a uint64) travels as a string and becomes a bigint here.
#[wasm_bindgen(inline_js = r#"
export function rowsFromJson(text) {
  const rows = JSON.parse(text);
  for (const r of rows) if (r.mem_peak !== null) r.mem_peak = BigInt(r.mem_peak);
  return rows;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = rowsFromJson)]
    fn rows_from_json(text: &str) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SCAN: &'static str = r#"
/** What a scan found. */
export interface ScanResult {
  /** Positions (0-based, input order) of the matching records. */
  indices: Uint32Array;
  /** `[start, end)` byte offsets of each match, flat: `offsets[2*k]`, `offsets[2*k+1]` for `indices[k]`. */
  offsets: Float64Array;
  /** Records seen, good and bad. */
  total: number;
  /** Errors of the bad records (skipped), with `index`, `line` and `offset`; warnings too if asked for. */
  issues: Issue[];
  /** The list envelope's `next_cursor` (raw id; the v2 base64url decoded), `""` when none. */
  next_cursor: string;
  /** `CallStream` with `records: true`: the Go-exact JSON of the matches not yet taken (the last line's among them). */
  records?: string[];
  /** With `ranges: true`: `[start, end)` byte offsets of every record, good or bad, matching or not, flat and in input
   * order: `ranges[2*i]`, `ranges[2*i+1]` for the record with index `i` (as in `Issue.index`). For `CallStream`, only
   * the records not yet taken with `takeRanges()`. A record cut off by the end of the input ends there. */
  ranges?: Float64Array;
  /** With the `summary` option: `summarizeCalls` of the matches (for `CallStream`, of every input: see
   * `finishInput()`), computed as they stream by; its `issues` is empty (the records' issues are in `issues`). Only
   * in `finish()`'s result. */
  summary?: CallSummary;
  /** What the input was: `"ndjson"` (one record per line), `"array"`, `"envelope"` (a v1 or v2 list) or
   * `"object"` (one call written over several lines); `null` when it held nothing or its first object never ended. */
  form: InputForm | null;
}
/** What an input turned out to be (`ScanResult.form`, `CallIndex.form`). */
export type InputForm = "ndjson" | "array" | "envelope" | "object";
/** Matches handed out by `CallStream.takeMatches()`: positions and flat `[start, end)` byte ranges, as in `ScanResult`. */
export interface StreamMatches {
  indices: Uint32Array;
  offsets: Float64Array;
}
/** One error group of `CallIndex.errorGroups()`: the calls whose error texts differ only in the values written into
 * them (numbers, ids, hex, quoted values), so one cause is one group. */
export interface ErrorGroup {
  /** The normalised message, with placeholders (`container exit code <num>`): the value of the `error_group` filter. */
  key: string;
  /** The group's most frequent error text. */
  example: string;
  /** Calls in the group. */
  count: number;
  /** Distinct error texts in the group. */
  messages: number;
  /** The earliest and latest `created_at` of its calls, as Go writes them; `null` when none is set. */
  first_created_at: string | null;
  last_created_at: string | null;
  /** Its calls' paths, the most frequent first. */
  paths: string[];
  /** Positions of its calls in the index (for `get`, `summarize`, `rows`). */
  positions: Uint32Array;
}
/** What a table shows of a call: `CallIndex.rows()`, read from the index's columns without building the `Call`. */
export interface CallRow {
  /** Position in the index (for `get`). */
  position: number;
  id: string;
  status: CallStatus | "";
  app_name: string;
  path: string;
  image: string;
  method: string;
  error: string;
  /** Go's text of `created_at`. */
  created_at: string;
  /** `created_at` in Unix milliseconds. */
  created_ms: number;
  /** `completed_at - started_at` in ms when both are set, else `null`. */
  duration_ms: number | null;
  /** The largest `mem_usage` of the call's stats samples, `null` without samples. */
  mem_peak: bigint | null;
}
/** One page of a `CallIndex`: positions in the index (use `get`), and the server's `next_cursor`. */
export interface IndexPage {
  positions: Uint32Array;
  next_cursor: string;
}
"#;

/// Options of `scanCalls`, `CallStream` and `CallIndex`. (Read strictly by `option_entries`, so an unknown key or a bad value is
/// a `TypeError`; this type only gives them their TypeScript declaration.)
#[derive(Debug, Clone, Default, Tsify)]
pub struct ScanOptions {
    /// `"observed"` (default) or `"strict"`, as for `parseCall`.
    #[tsify(optional)]
    pub mode: Option<Mode>,
    /// `"all"` (default): every record is read in full and every bad record is reported. `"matches"`: a literal
    /// prefilter skips records that cannot match the filter without reading them: much faster for selective
    /// filters, but a bad record that could not have matched is not reported.
    #[tsify(optional)]
    pub validate: Option<Validate>,
    /// Also report the warnings of the records read (errors are always reported). Default `false`.
    #[tsify(optional)]
    pub warnings: Option<bool>,
    /// `CallStream` only: keep each match's Go-exact JSON for `takeRecords()`. Default `false`.
    #[tsify(optional)]
    pub records: Option<bool>,
    /// `scanCalls` and `CallStream`: also return every record's byte range, good or bad (`ranges` in the result,
    /// `takeRanges()`), so a bad record can be shown or cut out of the input. Default `false`.
    #[tsify(optional)]
    pub ranges: Option<bool>,
    /// `scanCalls` and `CallStream`: also summarise the matches as `summarizeCalls` does (`summary` in the result of
    /// `finish()`), without keeping them: the same options (`{}` for the totals only).
    #[tsify(optional)]
    pub summary: Option<SummaryOptions>,
    /// The largest record read, in bytes (default 16 MiB = 16777216; from 1 to 64 MiB = 67108864). A larger record is reported
    /// as `record_too_large` and skipped without keeping its bytes (an NDJSON line up to its newline, a record of an
    /// array or envelope up to its end), so memory stays bounded on any input.
    #[tsify(optional)]
    pub max_record_bytes: Option<u32>,
}

/// Reads the options; `records` only where `allow_records` (`CallStream`), `ranges` only where `allow_ranges`.
fn scan_options(
    options: &JsValue,
    allow_records: bool,
    allow_ranges: bool,
) -> Result<CoreScanOptions, JsValue> {
    let mut known = vec!["mode", "validate", "warnings"];
    if allow_records {
        known.push("records");
    }
    if allow_ranges {
        known.extend(["ranges", "summary"]);
    }
    known.push("max_record_bytes");
    let mut out = CoreScanOptions::default();
    let flag = |v: &JsValue, name: &str| {
        v.as_bool()
            .ok_or_else(|| type_error(&format!("options.{name} must be true or false")))
    };
    for (name, value) in option_entries(options, &known, "{ validate: \"matches\" }")? {
        match name.as_str() {
            "mode" => out.mode = mode_value(&value)?,
            "validate" => {
                out.validate = match value.as_string().as_deref() {
                    Some("all") => Validate::All,
                    Some("matches") => Validate::Matches,
                    _ => {
                        return Err(type_error(
                            "options.validate must be \"all\" or \"matches\"",
                        ))
                    }
                }
            }
            "warnings" => out.warnings = flag(&value, "warnings")?,
            "records" => out.emit = flag(&value, "records")?,
            "ranges" => out.ranges = flag(&value, "ranges")?,
            "max_record_bytes" => out.max_record_bytes = max_record_bytes_arg(&value)?,
            _ => {
                // "summary", the only other known key: summary options, read by the tree reader
                if !value.is_null() {
                    out.summary = Some(read_summary_options(&value)?);
                }
            }
        }
    }
    Ok(out)
}

fn filter_arg(filter: &JsValue) -> Result<CallFilter, JsValue> {
    read_filter(filter)
        .map(|(f, _)| f)
        .map_err(|issues| filter_error(&issues))
}

fn result_to_js(r: &ScanResult, with_ranges: bool) -> Result<JsValue, JsValue> {
    let o = Object::new();
    let offsets: Vec<f64> = r.offsets.iter().map(|o| *o as f64).collect();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    };
    set("indices", &Uint32Array::from(r.indices.as_slice()).into());
    set("offsets", &Float64Array::from(offsets.as_slice()).into());
    set("total", &JsValue::from_f64(r.total as f64));
    set("issues", &issues_to_js(&r.issues));
    set("next_cursor", &JsValue::from_str(&r.next_cursor));
    if !r.records.is_empty() {
        let records: Array = r.records.iter().map(|t| JsValue::from_str(t)).collect();
        set("records", &records.into());
    }
    if with_ranges {
        set("ranges", &float64_array(&r.ranges));
    }
    match &r.summary {
        Some(Ok(summary)) => set("summary", &summary_js(summary)?),
        Some(Err(issues)) => return Err(summary_error(issues)),
        None => {}
    }
    set("form", &form_js(r.form));
    Ok(o.into())
}

fn summary_js(summary: &CallSummary) -> Result<JsValue, JsValue> {
    summary
        .clone()
        .into_ts()
        .map(|t| t.js_value())
        .map_err(|e| JsValue::from(JsError::new(&e.to_string())))
}

fn form_js(form: Option<InputForm>) -> JsValue {
    form.map_or(JsValue::NULL, |f| JsValue::from_str(f.as_str()))
}

/// Scans NDJSON, a JSON array or a v1/v2 list envelope held in `bytes` and returns every record matching `filter`
/// (all matches, input order; the filter's paging fields `cursor` still applies, `per_page` does not). Bad records
/// are reported and skipped. Throws a `CallFilterError` for a bad filter and a `TypeError` for bad options.
#[wasm_bindgen(js_name = scanCalls, unchecked_return_type = "ScanResult")]
pub fn scan_calls(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | DataView")] bytes: JsValue,
    filter: Option<Ts<CallFilter>>,
    options: Option<Ts<ScanOptions>>,
) -> Result<JsValue, JsValue> {
    let bytes = &bytes_arg(&bytes, "scanCalls: bytes")?;
    let filter = filter_arg(&js_of(filter))?;
    let options = scan_options(&js_of(options), false, true)?;
    let with_ranges = options.ranges;
    let mut scanner = CallScanner::new(filter, options).map_err(|issues| filter_error(&issues))?;
    for_each_slice(bytes, |n, part| {
        scanner.push_filled(n, |dst| part.copy_to(dst))
    });
    result_to_js(&scanner.finish(), with_ranges)
}

/// How much of an input is copied into wasm at a time.
const SCAN_SLICE: u32 = 256 * 1024;

/// Hands `bytes` to `f` a slice at a time (its length and a view of it), for copying into wasm. Each slice is read
/// while it is still in the CPU cache, which is faster than copying the whole input first, and the input never
/// needs a full-size copy in wasm memory.
fn for_each_slice(bytes: &Uint8Array, mut f: impl FnMut(usize, Uint8Array)) {
    let len = bytes.length();
    let mut at = 0u32;
    while at < len {
        let end = at.saturating_add(SCAN_SLICE).min(len);
        f((end - at) as usize, bytes.subarray(at, end));
        at = end;
    }
}

/// A scan fed in chunks, for inputs larger than memory or than a JS string can hold. `push` chunks split anywhere
/// (even inside a UTF-8 character), then `finish()`: the same result as one `scanCalls` over the concatenation.
/// Holds only the record in progress. Free it with `free()`, `using`, or let the finalizer do it.
#[wasm_bindgen]
pub struct CallStream {
    inner: Option<CallScanner>,
}

#[wasm_bindgen]
impl CallStream {
    #[wasm_bindgen(constructor)]
    pub fn new(
        filter: Option<Ts<CallFilter>>,
        options: Option<Ts<ScanOptions>>,
    ) -> Result<CallStream, JsValue> {
        let filter = filter_arg(&js_of(filter))?;
        let options = scan_options(&js_of(options), true, true)?;
        let inner = CallScanner::new(filter, options).map_err(|issues| filter_error(&issues))?;
        Ok(CallStream { inner: Some(inner) })
    }

    fn scanner(&mut self) -> Result<&mut CallScanner, JsValue> {
        self.inner
            .as_mut()
            .ok_or_else(|| type_error("this CallStream is finished"))
    }

    /// Feeds the next chunk: a `Uint8Array` (a Node `Buffer` is one), an `ArrayBuffer` or a `DataView`; anything
    /// else throws a `TypeError`.
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | DataView")]
        chunk: JsValue,
    ) -> Result<(), JsValue> {
        let chunk = bytes_arg(&chunk, "CallStream.push: chunk")?;
        let scanner = self.scanner()?;
        // A slice at a time, so a huge chunk never needs a full-size copy in wasm memory on top of the record limit.
        for_each_slice(&chunk, |n, part| {
            scanner.push_filled(n, |dst| part.copy_to(dst))
        });
        Ok(())
    }

    /// Bytes pushed so far: a progress figure to show.
    #[wasm_bindgen(getter, js_name = bytesSeen)]
    pub fn bytes_seen(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |s| s.bytes_seen() as f64)
    }

    /// Records completed so far.
    #[wasm_bindgen(getter, js_name = recordsSeen)]
    pub fn records_seen(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |s| s.records_seen() as f64)
    }

    /// Matches so far.
    #[wasm_bindgen(getter, js_name = matchCount)]
    pub fn match_count(&self) -> f64 {
        self.inner
            .as_ref()
            .map_or(0.0, |s| s.matches_so_far() as f64)
    }

    /// The Go-exact JSON of each match found since the last call (only with `{ records: true }`), so a writer can
    /// stream matches out without keeping the input.
    #[wasm_bindgen(js_name = takeRecords)]
    pub fn take_records(&mut self) -> Result<Vec<String>, JsValue> {
        Ok(self.scanner()?.take_records())
    }

    /// The matches found since the last call, `{ indices, offsets }` as in `ScanResult`; they are not repeated by
    /// `finish()`. Taking them as you go keeps memory flat however many records match.
    #[wasm_bindgen(js_name = takeMatches, unchecked_return_type = "StreamMatches")]
    pub fn take_matches(&mut self) -> Result<JsValue, JsValue> {
        let (indices, offsets) = self.scanner()?.take_matches();
        let offsets: Vec<f64> = offsets.iter().map(|o| *o as f64).collect();
        let o = Object::new();
        let _ = Reflect::set(
            &o,
            &"indices".into(),
            &Uint32Array::from(indices.as_slice()).into(),
        );
        let _ = Reflect::set(
            &o,
            &"offsets".into(),
            &Float64Array::from(offsets.as_slice()).into(),
        );
        Ok(o.into())
    }

    /// With `{ ranges: true }`: the byte ranges of the records completed since the last call, flat `[start, end)` in
    /// input order (the first pair is the first record not taken before); they are not repeated by `finish()`.
    #[wasm_bindgen(js_name = takeRanges)]
    pub fn take_ranges(&mut self) -> Result<Float64Array, JsValue> {
        let ranges = self.scanner()?.take_ranges();
        Ok(float64_array(&ranges).unchecked_into())
    }

    /// The issues found since the last call; they are not repeated by `finish()`.
    #[wasm_bindgen(js_name = takeIssues, unchecked_return_type = "Issue[]")]
    pub fn take_issues(&mut self) -> Result<JsValue, JsValue> {
        Ok(issues_to_js(&self.scanner()?.take_issues()))
    }

    /// Ends the input and returns the whole result. The stream cannot be used afterwards.
    #[wasm_bindgen(unchecked_return_type = "ScanResult")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let scanner = self
            .inner
            .take()
            .ok_or_else(|| type_error("this CallStream is finished"))?;
        let with_ranges = scanner.options().ranges;
        result_to_js(&scanner.finish(), with_ranges)
    }

    /// Ends one input (a file of several) and returns its result as `finish()` would (issues counted from its
    /// start, its last NDJSON line read, its records not yet taken), then takes the next input on the same stream:
    /// same filter and options, and with `summary`, one summary of every input, given by `finish()`.
    #[wasm_bindgen(js_name = finishInput, unchecked_return_type = "ScanResult")]
    pub fn finish_input(&mut self) -> Result<JsValue, JsValue> {
        let scanner = self.scanner()?;
        let with_ranges = scanner.options().ranges;
        let result = scanner.finish_input();
        result_to_js(&result, with_ranges)
    }
}

/// Calls indexed once inside wasm, in compact columns (status, app, path, times, ids, metric sums), for repeated
/// filtering, paging and summaries without rebuilding JS objects. `get`/`slice` build `Call` objects only for what
/// is asked. Keeps a reference to the input bytes (not a copy) to build them.
#[wasm_bindgen]
pub struct CallIndex {
    core: CoreIndex,
    bytes: Uint8Array,
}

#[wasm_bindgen]
impl CallIndex {
    /// Indexes NDJSON, a JSON array or a v1/v2 list envelope. Bad records are left out and listed in `issues`.
    /// Do not modify `bytes` afterwards: `get` reads calls back from it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | DataView")]
        bytes: JsValue,
        options: Option<Ts<ScanOptions>>,
    ) -> Result<CallIndex, JsValue> {
        let bytes = bytes_arg(&bytes, "new CallIndex: bytes")?;
        let o = scan_options(&js_of(options), false, false)?;
        let mut builder = IndexBuilder::new(IndexOptions {
            mode: o.mode,
            warnings: o.warnings,
            max_record_bytes: o.max_record_bytes,
        });
        for_each_slice(&bytes, |n, part| {
            builder.push_filled(n, |dst| part.copy_to(dst))
        });
        Ok(CallIndex {
            core: builder.finish(),
            bytes,
        })
    }

    /// Calls in the index.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.core.len() as u32
    }

    /// Issues of the records left out (and warnings if asked for).
    #[wasm_bindgen(getter, unchecked_return_type = "Issue[]")]
    pub fn issues(&self) -> JsValue {
        issues_to_js(self.core.issues())
    }

    /// Selects like `filterCalls`: server semantics (newest id first, `cursor`, `per_page`, `next_cursor`) unless
    /// `all: true`. Returns positions to pass to `get`.
    #[wasm_bindgen(unchecked_return_type = "IndexPage")]
    pub fn filter(&self, filter: Option<Ts<CallFilter>>) -> Result<JsValue, JsValue> {
        let filter = filter_arg(&js_of(filter))?;
        let page = self
            .core
            .filter(&filter)
            .map_err(|issues| filter_error(&issues))?;
        let o = Object::new();
        let _ = Reflect::set(
            &o,
            &"positions".into(),
            &Uint32Array::from(page.positions.as_slice()).into(),
        );
        let _ = Reflect::set(
            &o,
            &"next_cursor".into(),
            &JsValue::from_str(&page.next_cursor),
        );
        Ok(o.into())
    }

    /// Like `summarizeCalls` over the calls at `positions` (all calls when omitted; each position at most once,
    /// else a `RangeError`).
    #[wasm_bindgen(unchecked_return_type = "CallSummary")]
    pub fn summarize(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SummaryOptions | null")] options: Option<
            Ts<SummaryOptions>,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint32Array | number[] | null")] positions: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let opts = read_summary_options(&js_of(options))?;
        let positions = positions_arg(
            positions.as_ref(),
            self.core.len(),
            "CallIndex.summarize: positions",
        )?;
        let summary = self
            .core
            .summarize(&opts, positions.as_deref())
            .map_err(|issues| summary_error(&issues))?;
        summary
            .into_ts()
            .map(|t| t.js_value())
            .map_err(|e| JsValue::from(JsError::new(&e.to_string())))
    }

    /// The call at position `i` (a whole number, 0 ≤ i < length, else a `RangeError`), as `parseCall` returns it.
    #[wasm_bindgen(unchecked_return_type = "Call")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: JsValue,
    ) -> Result<JsValue, JsValue> {
        let i = position_arg(&i, self.core.len(), "CallIndex.get: i")?;
        let call = self.read(i)?;
        call_js(&call)
    }

    /// The calls at positions `start..end` (whole numbers ≥ 0, clamped to `length`).
    #[wasm_bindgen(unchecked_return_type = "Call[]")]
    pub fn slice(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] end: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let len = self.core.len();
        let end = bound_arg(end.as_ref(), len, len, "CallIndex.slice: end")?;
        let start = bound_arg(Some(&start), len, 0, "CallIndex.slice: start")?.min(end);
        let calls = (start..end)
            .map(|i| self.read(i))
            .collect::<Result<Vec<Call>, JsValue>>()?;
        Ok(calls_value(&calls)) // one JSON.parse for the whole slice
    }

    /// Table rows for positions `start..end` (whole numbers ≥ 0, clamped to `length`), read from the columns:
    /// several times faster than `slice` when a table needs only these fields.
    #[wasm_bindgen(unchecked_return_type = "CallRow[]")]
    pub fn rows(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] start: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] end: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let len = self.core.len();
        let end = bound_arg(end.as_ref(), len, len, "CallIndex.rows: end")?;
        let start = bound_arg(start.as_ref(), len, 0, "CallIndex.rows: start")?.min(end);
        let mut text = String::with_capacity((end - start) * 256);
        self.core.write_rows(start..end, &mut text);
        Ok(rows_from_json(&text))
    }

    /// The error groups of the calls at `positions` (all calls when omitted), the largest first: error texts that
    /// differ only in numbers, ids, hex or quoted values are one group. Calls without an error text are in none.
    #[wasm_bindgen(js_name = errorGroups, unchecked_return_type = "ErrorGroup[]")]
    pub fn error_groups(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint32Array | number[] | null")] positions: Option<
            JsValue,
        >,
    ) -> Result<Array, JsValue> {
        let positions = positions_arg(
            positions.as_ref(),
            self.core.len(),
            "CallIndex.errorGroups: positions",
        )?;
        let out = Array::new();
        for g in self.core.error_groups(positions.as_deref()) {
            let o = Object::new();
            let text = |s: &str| JsValue::from_str(s);
            let time = |t: &Option<String>| t.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            let _ = Reflect::set(&o, &"key".into(), &text(&g.key));
            let _ = Reflect::set(&o, &"example".into(), &text(&g.example));
            let _ = Reflect::set(&o, &"count".into(), &JsValue::from(g.count));
            let _ = Reflect::set(&o, &"messages".into(), &JsValue::from(g.messages));
            let _ = Reflect::set(&o, &"first_created_at".into(), &time(&g.first_created_at));
            let _ = Reflect::set(&o, &"last_created_at".into(), &time(&g.last_created_at));
            let paths: Array = g.paths.iter().map(|p| text(p)).collect();
            let _ = Reflect::set(&o, &"paths".into(), &paths.into());
            let _ = Reflect::set(
                &o,
                &"positions".into(),
                &Uint32Array::from(g.positions.as_slice()).into(),
            );
            out.push(&o);
        }
        Ok(out)
    }

    /// What the input was (`ScanResult.form`): `null` when it held nothing.
    #[wasm_bindgen(getter, unchecked_return_type = "InputForm | null")]
    pub fn form(&self) -> JsValue {
        form_js(self.core.form())
    }

    /// Records in the input, good and bad (`length` counts the good ones).
    #[wasm_bindgen(getter)]
    pub fn records(&self) -> u32 {
        u32::try_from(self.core.records()).unwrap_or(u32::MAX)
    }

    /// The `[start, end)` byte range of record `k` of the input (0 ≤ k < records), good or bad: `k` is an issue's
    /// `index`, so a record that was left out can be shown as it was.
    #[wasm_bindgen(js_name = recordRange)]
    pub fn record_range(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] k: JsValue,
    ) -> Result<Vec<f64>, JsValue> {
        let k = position_arg(&k, self.core.records(), "CallIndex.recordRange: k")?;
        let (s, e) = self
            .core
            .record_range(k)
            .ok_or_else(|| range_error(k, self.core.records()))?;
        Ok(vec![s as f64, e as f64])
    }

    /// Which record of the input (its index, as in `Issue.index` and `recordRange`) the call at position `i` is.
    #[wasm_bindgen(js_name = recordOf)]
    pub fn record_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: JsValue,
    ) -> Result<u32, JsValue> {
        let i = position_arg(&i, self.core.len(), "CallIndex.recordOf: i")?;
        self.core
            .record_of(i)
            .map(|k| u32::try_from(k).unwrap_or(u32::MAX))
            .ok_or_else(|| range_error(i, self.core.len()))
    }

    /// The `[start, end)` byte range of the call at position `i` (as for `get`) in the input.
    pub fn range(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: JsValue,
    ) -> Result<Vec<f64>, JsValue> {
        let i = position_arg(&i, self.core.len(), "CallIndex.range: i")?;
        let (s, e) = self
            .core
            .range(i)
            .ok_or_else(|| range_error(i, self.core.len()))?;
        Ok(vec![s as f64, e as f64])
    }

    fn read(&self, i: usize) -> Result<Call, JsValue> {
        let (s, e) = self
            .core
            .range(i)
            .ok_or_else(|| range_error(i, self.core.len()))?;
        let bytes = self.bytes.subarray(s as u32, e as u32).to_vec();
        let outcome = crate::record::call_from_bytes(
            &bytes,
            crate::read::ReadOptions {
                mode: self.core.mode(),
            },
        );
        outcome
            .call
            .ok_or_else(|| validation_error(&outcome.issues))
    }
}

fn call_js(call: &Call) -> Result<JsValue, JsValue> {
    Ok(call_value(call))
}

fn range_error(i: usize, len: usize) -> JsValue {
    js_sys::RangeError::new(&format!("position {i} is outside the index (length {len})")).into()
}
