//! The filtering, listing-query and summary exports: convert, delegate to `crate::filter` / `crate::summary`,
//! convert back.
//!
//! Calls are taken as an array of `Call`s or anything `parseCalls` reads; records that cannot be read are left out
//! and their errors returned in `issues`. A filter with an error throws a `CallFilterError` (a `TypeError` whose
//! message lists every error and whose `issues` holds them, warnings included) from every function that takes a
//! filter, so a typo never quietly selects nothing; `validateFilter` returns the same issues without throwing, plus
//! the warnings. Bad summary options throw a `CallSummaryError` the same way.

use super::{
    calls_value, filter_error, issues_to_js, js_of, kept_calls_value, made_rows, option_entries,
    plain_objects_text, read_batch, read_filter, read_summary_options, summary_error,
    text_or_bytes, to_js, type_error, without_places, IssueList,
};
use crate::batch::{CallBatch, RowBatch};
use crate::filter::{self, CallFilter, CallPage};
use crate::issue::IssueCode;
use crate::issue::{serialize_issues, Issue};
use crate::query;
use crate::read::ReadOptions;
use crate::summary::{self, CallSummary, SummaryOptions, SummaryRow};
use crate::view::CallView;
use js_sys::{Array, JsString, Object, Reflect};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_FILTER: &'static str = r#"
/** What every function taking a `CallFilter` throws when the filter has errors: a `TypeError` named
 * `"CallFilterError"` whose message lists the errors; `issues` has them all, warnings included. */
export interface CallFilterError extends TypeError {
  name: "CallFilterError";
  issues: Issue[];
}
/** What `summarizeCalls` throws for bad options (or too many time buckets). */
export interface CallSummaryError extends TypeError {
  name: "CallSummaryError";
  issues: Issue[];
}
/** Calls to filter or summarise: an array of `Call`s, or anything `parseCalls` reads. */
export type CallsInput = Call[] | CallInput;
"#;

/// Which server to answer as. The fields declare the TypeScript type; the options are read from the JS value
/// (`listing_options`), so a wrong value gets a clear error instead of a serde message.
#[derive(Debug, Clone, Default, Tsify)]
#[allow(dead_code)]
pub struct ListingOptions {
    /// `"v1"` (default): `GET /v1/apps/{app}/calls`. `"v2"`: `GET /v2/fns/{fn_id}/calls` — `fn_id`, base64url
    /// cursors in and out, no `path` and no `app_name`.
    #[tsify(optional, type = "\"v1\" | \"v2\"")]
    pub api: Option<String>,
    /// The server's zone, as the offset it writes: `"Z"` (default, a server with `TZ=UTC`), `"+01:00"`, `"-05:00"`.
    /// The server writes `from_time`/`to_time` in it before comparing them with the `created_at` text.
    #[tsify(optional)]
    pub zone: Option<String>,
}

/// `ListingOptions` from JS: `{ api?: "v1" | "v2", zone?: "Z" | "±hh:mm" }`.
fn listing_options(options: &JsValue) -> Result<filter::Listing, JsValue> {
    let mut listing = filter::Listing::default();
    for (name, value) in option_entries(options, &["api", "zone"], "{ api: 'v2' }")? {
        if name == "api" {
            listing.api = match value.as_string().as_deref() {
                Some("v1") => filter::Api::V1,
                Some("v2") => filter::Api::V2,
                _ => return Err(type_error("options.api must be 'v1' or 'v2'")),
            };
        } else {
            let text = value.as_string().unwrap_or_default();
            listing.zone_offset_secs = zone_offset(&text).ok_or_else(|| {
                type_error(&format!(
                    "options.zone must be 'Z' or an offset like '+01:00', not {text:?}"
                ))
            })?;
        }
    }
    Ok(listing)
}

/// `Z`/`UTC` → 0, `±hh:mm` → seconds east of UTC.
fn zone_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "UTC" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Calls to filter or summarise, read: text and bytes as rows (the fast lane's, no `Call` built), with the input
/// kept to build the few calls an answer holds; anything else as `Call`s. Filtering is not validation: only the
/// errors that kept records out are worth returning.
enum CallsRead {
    Rows(Vec<u8>, RowBatch),
    Calls(CallBatch),
}

fn read_calls(input: &JsValue) -> CallsRead {
    let opts = ReadOptions::default();
    if let Some(bytes) = text_or_bytes(input) {
        let batch = crate::batch::rows_from_bytes(&bytes, opts);
        return CallsRead::Rows(bytes, batch);
    }
    // Plain objects go the same way through their JSON text, which reads as the objects do: an issue has no place
    // in that text (no offset, no line), and a nesting too deep is left for the walker to report as it does.
    if let Some(text) = plain_objects_text(input) {
        let mut batch = crate::batch::rows_from_bytes(text.as_bytes(), opts);
        if !batch.issues.iter().any(|i| i.code == IssueCode::JsonDepth) {
            batch.issues = without_places(batch.issues);
            return CallsRead::Rows(text.into_bytes(), batch);
        }
    }
    let mut batch = read_batch(input, opts);
    batch.issues.retain(Issue::is_error);
    CallsRead::Calls(batch)
}

/// One page of `calls`, exactly as `GET /v1/apps/{app}/calls` would answer for the server's fields (newest id
/// first; `next_cursor` is the last id when the page is full, else `""`), with the extensions applied too. Without
/// a filter: the first 30. `issues` lists the errors of input records that could not be read (they are left out).
/// With `{ api: 'v2' }`, as `GET /v2/fns/{fn_id}/calls` answers: `fn_id` selects the fn, the cursor in and the
/// `next_cursor` out are base64url, and `path`/`app_name` are errors. `{ zone: '+01:00' }` answers as a server in
/// that zone (it writes `from_time`/`to_time` in its zone and compares text). Throws a `CallFilterError` when the
/// filter has an error.
#[wasm_bindgen(js_name = filterCalls)]
pub fn filter_calls(
    #[wasm_bindgen(unchecked_param_type = "CallsInput")] calls: JsValue,
    filter: Option<Ts<CallFilter>>,
    options: Option<Ts<ListingOptions>>,
) -> Result<Ts<CallPage>, JsValue> {
    let listing = listing_options(&js_of(options))?;
    let (f, _) = read_filter(&js_of(filter)).map_err(|i| filter_error(&i))?;
    // `Call`s this module made: only the fields the filter tests cross the boundary, and the page holds the very
    // objects given (the same calls the full read would give back).
    let fields = filter::fields_read(&f);
    if let Some((arr, made)) = made_rows(&calls, fields, true) {
        let views: Vec<&CallView> = made.rows.iter().map(|r| &r.view).collect();
        let page = filter::page_positions_ordered(&views, &made.order, &f, listing)
            .map_err(|i| filter_error(&i))?;
        let out: Array = page.positions.iter().map(|i| arr.get(*i as u32)).collect();
        return Ok(page_object(&out, &page.next_cursor, &Array::new()));
    }
    match read_calls(&calls) {
        CallsRead::Rows(bytes, batch) => {
            let views: Vec<&CallView> = batch.rows.iter().map(|r| &r.view).collect();
            let page = filter::page_positions(&views, &f, listing).map_err(|i| filter_error(&i))?;
            Ok(page_object(
                &kept_calls_value(&bytes, &batch.kept, &page.positions),
                &page.next_cursor,
                &issues_to_js(&batch.issues),
            ))
        }
        CallsRead::Calls(batch) => {
            let page =
                filter::filter_calls_as(&batch.calls, &f, listing).map_err(|i| filter_error(&i))?;
            Ok(page_object(
                &calls_value(&page.calls),
                &page.next_cursor,
                &issues_to_js(&batch.issues),
            ))
        }
    }
}

/// `{ calls, next_cursor, issues }`.
fn page_object(calls: &JsValue, next_cursor: &str, issues: &JsValue) -> Ts<CallPage> {
    let o = Object::new();
    let _ = Reflect::set(&o, &"calls".into(), calls);
    let _ = Reflect::set(&o, &"next_cursor".into(), &JsValue::from_str(next_cursor));
    let _ = Reflect::set(&o, &"issues".into(), issues);
    Ts::new_unchecked(o.into())
}

/// Every issue of a filter, errors and warnings (`[]` when clean), without throwing. Warnings mark filters that work
/// but may not do what was meant: `per_page` out of range, a path without `/`, a cursor that is not an id, …
#[wasm_bindgen(js_name = validateFilter)]
pub fn validate_filter(filter: Ts<CallFilter>) -> Result<Ts<IssueList>, JsValue> {
    let issues = match read_filter(&filter.js_value()) {
        Ok((_, warnings)) => warnings,
        Err(issues) => issues,
    };
    to_js(&IssueList(issues))
}

/// The query string (no leading `?`) of `GET /v1/apps/{app}/calls` for the filter's server fields (`cursor`,
/// `from_time`, `path`, `per_page`, `to_time`, sorted and escaped as Go's `url.Values.Encode`). `app_name` goes in
/// the path (see `listCallsUrl`); extensions are not server parameters and are not written. Throws a
/// `CallFilterError` when the filter has an error. With `{ api: 'v2' }`: the query of `GET /v2/fns/{fn_id}/calls`
/// (`cursor` as given, base64url; `from_time`, `per_page`, `to_time`); `path` and `app_name` are errors there.
#[wasm_bindgen(js_name = filterToQuery)]
pub fn filter_to_query(
    filter: Ts<CallFilter>,
    options: Option<Ts<ListingOptions>>,
) -> Result<String, JsValue> {
    let listing = listing_options(&js_of(options))?;
    let (f, _) = read_filter(&filter.js_value()).map_err(|i| filter_error(&i))?;
    match listing.api {
        filter::Api::V1 => Ok(query::filter_to_query(&f)),
        filter::Api::V2 => query::filter_to_query_v2(&f).map_err(|i| filter_error(&i)),
    }
}

/// The part of `filter` a server applies itself, to ask it with (`path`, `from_time`, `to_time`, `cursor`): the
/// date-time bounds `created_since`/`created_before` become whole seconds the server compares exclusively, widened so
/// that the server sends at least every call the filter keeps; apply the whole filter to what it sends. Throws a
/// `CallFilterError` when the filter has an error.
#[wasm_bindgen(js_name = serverFilter)]
pub fn server_filter(filter: Ts<CallFilter>) -> Result<Ts<CallFilter>, JsValue> {
    let (f, _) = read_filter(&filter.js_value()).map_err(|i| filter_error(&i))?;
    to_js(&query::server_filter(&f))
}

/// What `filterFromQuery` answers: the filter the server would use, and what reading the query found.
#[derive(Serialize, Tsify)]
pub struct QueryFilter {
    pub filter: CallFilter,
    /// `not_epoch_time` (an error: the server answers 400 with exactly this message) and warnings for parameters
    /// the server ignores, repeats and bad escapes.
    #[serde(serialize_with = "serialize_issues")]
    pub issues: Vec<Issue>,
}

/// Reads a listing query string (`?path=/x&per_page=10`, without `?`, or a whole listing URL, whose `{app}` becomes
/// `app_name`) exactly as the server does: a non-integer `from_time` / `to_time` is an error issue carrying the
/// server's message (`from_time is not an epoch time`); a bad `per_page` is silently 30 (above 100: 100). Never
/// throws for a bad query. (`URL` and `URLSearchParams` objects are also read, through their text.)
#[wasm_bindgen(js_name = filterFromQuery)]
pub fn filter_from_query(
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
) -> Result<Ts<QueryFilter>, JsValue> {
    let text = match query.dyn_ref::<JsString>() {
        Some(s) => String::from(s),
        None if query.is_object() => String::from(query.unchecked_ref::<Object>().to_string()),
        None => {
            return Err(type_error(
                "filterFromQuery takes a query string, a URL or URLSearchParams",
            ))
        }
    };
    let (filter, issues) = query::filter_from_query(&text);
    to_js(&QueryFilter { filter, issues })
}

/// `{base}/v1/apps/{app}/calls?{query}`: `app` may be `""` to use the filter's `app_name` (they must agree when both
/// are given); a base already ending in `/v1` gets no second one. Throws a `CallFilterError` when the filter has an
/// error or there is no app.
/// With `{ api: 'v2' }`: `{base}/v2/fns/{fn_id}/calls?{query}`, the second argument (or the filter's `fn_id`)
/// naming the fn.
#[wasm_bindgen(js_name = listCallsUrl)]
pub fn list_calls_url(
    base: &str,
    app: &str,
    filter: Option<Ts<CallFilter>>,
    options: Option<Ts<ListingOptions>>,
) -> Result<String, JsValue> {
    let listing = listing_options(&js_of(options))?;
    let (f, _) = read_filter(&js_of(filter)).map_err(|i| filter_error(&i))?;
    match listing.api {
        filter::Api::V1 => query::list_calls_url(base, app, &f),
        filter::Api::V2 => query::list_calls_url_v2(base, app, &f),
    }
    .map_err(|i| filter_error(&i))
}

/// Totals by status, error rate, duration and queue-wait percentiles (nearest-rank, in ms), and peak / mean
/// `mem_usage` and `cpu_total` over the stats samples; optionally per path, app or status (`group_by`) and per time
/// bucket (`bucket_seconds`). Peaks are exact `bigint`s, means and milliseconds are `number`s. `issues` lists the
/// errors of input records that could not be read. Throws a `CallSummaryError` for bad options.
#[wasm_bindgen(js_name = summarizeCalls)]
pub fn summarize_calls(
    #[wasm_bindgen(unchecked_param_type = "CallsInput")] calls: JsValue,
    options: Option<Ts<SummaryOptions>>,
) -> Result<Ts<CallSummary>, JsValue> {
    let opts = read_summary_options(&js_of(options))?;
    // `Call`s this module made: only the fields the summary reads cross the boundary.
    // The plain fields are kept like a filter's (a dashboard filters and summarises the same calls); the stats
    // samples are read each time.
    let (plain, metrics) = summary::fields_read(&opts).split_metrics();
    if let Some((_, made)) = made_rows(&calls, plain, true) {
        if let Some((_, samples)) = made_rows(&calls, metrics, false) {
            let rows: Vec<SummaryRow> = made
                .rows
                .iter()
                .zip(&samples.rows)
                .map(|(r, m)| SummaryRow {
                    mem: m.mem,
                    cpu: m.cpu,
                    ..SummaryRow::of_row(r)
                })
                .collect();
            return to_js(&summary::summarize_rows(&rows, &opts).map_err(|i| summary_error(&i))?);
        }
    }
    let (mut result, issues) = match read_calls(&calls) {
        CallsRead::Rows(_, batch) => {
            let rows: Vec<SummaryRow> = batch.rows.iter().map(SummaryRow::of_row).collect();
            let result = summary::summarize_rows(&rows, &opts).map_err(|i| summary_error(&i))?;
            (result, batch.issues)
        }
        CallsRead::Calls(batch) => {
            let result =
                summary::summarize_calls(&batch.calls, &opts).map_err(|i| summary_error(&i))?;
            (result, batch.issues)
        }
    };
    result.issues = issues;
    to_js(&result)
}
