//! Listing and filtering calls the way `GET /v1/apps/{app}/calls` does (`docs/filtering.md#the-servers-semantics`), plus the filters the
//! server's users asked for and never got.
//!
//! A [`CallFilter`] holding only the server's six fields (`app_name`, `path`, `from_time`, `to_time`, `cursor`,
//! `per_page`) selects exactly what that server answers: newest id first, ids below the cursor, `created_at` strictly
//! between the two Unix-second bounds, pages of 30 by default and at most 100, and a `next_cursor` only when the page
//! is full. Every other field is an extension and says so in its documentation.
//!
//! A filter is checked before it is used: a value that cannot mean anything (an unknown status, a range that is
//! empty, a date-time the server would not read) is an error issue, never a silent empty answer.

use crate::datetime::GoTime;
use crate::error_groups::normalize_error;
use crate::glob::Glob;
use crate::id::{base64url_decode, base64url_encode, check_id};
use crate::issue::{pointer, serialize_issues, Issue, IssueCode};
use crate::json::{Node, Value};
use crate::model::{duration_ms, Call};
use crate::projection::{Field, Fields};
use crate::status::{CallFormat, CallStatus, CallType};
use crate::tree::{read_int, read_string, unknown_field, wrong_type, PushAndDefault};
use crate::view::CallView;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::cmp::{Ordering, Reverse};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The server's page size when `per_page` is missing, unparsable or ≤ 0.
pub const DEFAULT_PER_PAGE: usize = 30;
/// The server's largest page.
pub const MAX_PER_PAGE: usize = 100;

/// What to list. Server fields first (`docs/filtering.md#the-servers-semantics`), then extensions, which no Fn server understands: they
/// are applied by `filterCalls` (`filter_calls`) and never written by `filterToQuery` (`filter_to_query`).
///
/// `""`, an absent field and (from JavaScript) `null` or `undefined` all mean "no condition".
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(deny_unknown_fields)]
pub struct CallFilter {
    /// Server. Exact match. In a listing URL it is the `{app}` path segment, never a query parameter.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub app_name: String,
    /// Server (v2 listing, `GET /v2/fns/{fn_id}/calls`). Exact match on the call's `fn_id`; in a v2 listing URL it is
    /// the `{fn_id}` path segment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fn_id: String,
    /// Server. Exact match on the route path (`/hello`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub path: String,
    /// Server. Unix seconds; only calls created strictly after it (`created_at > from_time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub from_time: Option<i64>,
    /// Server. Unix seconds; only calls created strictly before it. `0` is 1970-01-01, not "no bound".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub to_time: Option<i64>,
    /// Server. Only ids below this one, compared as strings: the raw `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub cursor: String,
    /// Server. Page size: missing or ≤ 0 means 30, above 100 means 100 (never an error, as on the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub per_page: Option<i64>,
    /// Extension. One status or several (any of them). In a list, `""` selects calls whose status is empty (the
    /// async queue copy); a bare `""` means no condition, like every other empty field.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "write_statuses"
    )]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "CallStatus | \"\" | Array<CallStatus | \"\">")
    )]
    pub status: Vec<Option<CallStatus>>,
    /// Extension. The error text, exactly (case-sensitive).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: String,
    /// Extension. Text the error must contain (case-sensitive substring).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error_contains: String,
    /// Extension. A glob the whole error text must match, case-sensitive: `*` is any run of characters (also
    /// none), `?` exactly one character, `\` makes the next character literal. Not a regular expression.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error_pattern: String,
    /// Extension. `error`, `error_contains` and `error_pattern` ignore case (Unicode lower case on both sides):
    /// `{ error_contains: "timed", error_ignore_case: true }` finds "Timed out".
    #[serde(default, skip_serializing_if = "is_false")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error_ignore_case: bool,
    /// Extension. An error group: calls whose error text normalises to exactly this message (numbers, ids, hex and
    /// quoted values as placeholders, as `CallIndex.errorGroups()` names its groups, e.g.
    /// `container exit code <num>`). Calls without an error text never match.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error_group: String,
    /// Extension. `sync` or `async`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub call_type: Option<CallType>,
    /// Extension. `default`, `http` or `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub format: Option<CallFormat>,
    /// Extension. The Docker image, exactly.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub image: String,
    /// Extension. The HTTP method, exactly (case-sensitive, as the server stores it: normally upper case).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub method: String,
    /// Extension. Shortest `completed_at − started_at`, in ms, inclusive. Calls without both times never match a
    /// duration bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub min_duration_ms: Option<i64>,
    /// Extension. Longest `completed_at − started_at`, in ms, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub max_duration_ms: Option<i64>,
    /// Extension. RFC 3339 date-time (read as the server reads date-times); only calls created at or after it
    /// (inclusive). Calls whose `created_at` is unset never match.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | Date"))]
    pub created_since: String,
    /// Extension. RFC 3339 date-time; only calls created strictly before it. Calls whose `created_at` is unset
    /// never match.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | Date"))]
    pub created_before: String,
    /// Extension. Every match in one answer: `per_page` is ignored and `next_cursor` is `""`.
    #[serde(default, skip_serializing_if = "is_false")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub all: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn status_text(s: Option<CallStatus>) -> &'static str {
    s.map(CallStatus::as_str).unwrap_or("")
}

fn write_statuses<S: Serializer>(statuses: &[Option<CallStatus>], s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(statuses.len()))?;
    for st in statuses {
        seq.serialize_element(status_text(*st))?;
    }
    seq.end()
}

impl CallFilter {
    /// The page size the server uses for this filter's `per_page`.
    pub fn page_size(&self) -> usize {
        page_size(self.per_page)
    }

    /// Whether any extension field is set (the server would ignore them).
    pub fn has_extensions(&self) -> bool {
        !self.status.is_empty()
            || !self.error.is_empty()
            || !self.error_contains.is_empty()
            || !self.error_pattern.is_empty()
            || self.error_ignore_case
            || !self.error_group.is_empty()
            || self.call_type.is_some()
            || self.format.is_some()
            || !self.image.is_empty()
            || !self.method.is_empty()
            || self.min_duration_ms.is_some()
            || self.max_duration_ms.is_some()
            || !self.created_since.is_empty()
            || !self.created_before.is_empty()
            || self.all
    }
}

/// The server's page size for a `per_page` value (missing or ≤ 0: 30; above 100: 100).
pub(crate) fn page_size(per_page: Option<i64>) -> usize {
    match per_page {
        Some(n) if n > MAX_PER_PAGE as i64 => MAX_PER_PAGE,
        Some(n) if n > 0 => n as usize,
        _ => DEFAULT_PER_PAGE,
    }
}

/// One page of a listing: the calls, newest id first, and the cursor of the next page (`""` when this page is not
/// full, or when `all` was asked).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)
)]
pub struct CallPage {
    pub calls: Vec<Call>,
    pub next_cursor: String,
    /// Input records that could not be read and were left out, as `parseCalls` reports them (with their `index`).
    /// `filter_calls` itself leaves this empty.
    #[serde(serialize_with = "serialize_issues")]
    pub issues: Vec<Issue>,
}

/// A filter ready to test calls: date-times parsed, the pattern compiled. It keeps its own copy of the filter, so
/// one compiled matcher can serve a whole stream.
#[derive(Debug, Clone)]
pub struct Matcher {
    f: CallFilter,
    since: Option<GoTime>,
    before: Option<GoTime>,
    pattern: Option<Glob>,
    /// With `error_ignore_case`: `error` and `error_contains` in lower case (the pattern is compiled from its lower
    /// case too).
    error_lower: String,
    contains_lower: String,
    /// The server's zone, in which it writes `from_time`/`to_time` before comparing them with `created_at` text.
    zone_offset_secs: i32,
}

/// Lower case for matching without case: Unicode's, character by character.
fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Every problem of a filter: errors (it cannot be used) and warnings (it works, maybe not as meant). Paths are JSON
/// Pointers into the filter (`/per_page`).
pub fn validate_filter(f: &CallFilter) -> Vec<Issue> {
    match compile(f) {
        Ok((_, warnings)) => warnings,
        Err(issues) => issues,
    }
}

/// Checks a filter and prepares it for matching one call at a time (paging aside): `Ok` carries the warnings, `Err`
/// every issue when any is an error. [`filter_calls`] and the streaming scanner both start here.
pub fn compile(f: &CallFilter) -> Result<(Matcher, Vec<Issue>), Vec<Issue>> {
    let mut issues = Vec::new();
    match f.per_page {
        Some(n) if f.all => issues.push(Issue::warning(
            IssueCode::PerPageIgnored,
            "/per_page",
            format!("per_page {n} is ignored because all is true: every match is returned"),
        )),
        Some(n) if n <= 0 => issues.push(Issue::warning(
            IssueCode::PerPageDefaulted,
            "/per_page",
            format!("per_page {n} is not positive; the server uses {DEFAULT_PER_PAGE}"),
        )),
        Some(n) if n > MAX_PER_PAGE as i64 => issues.push(Issue::warning(
            IssueCode::PerPageClamped,
            "/per_page",
            format!("per_page {n} is above the server's maximum; it uses {MAX_PER_PAGE}"),
        )),
        _ => {}
    }
    if let (Some(from), Some(to)) = (f.from_time, f.to_time) {
        if to <= from {
            issues.push(Issue::warning(
                IssueCode::EmptyRange,
                "/to_time",
                format!("to_time {to} is not after from_time {from}: no call can match (the server answers an empty list)"),
            ));
        }
    }
    if !f.path.is_empty() && !f.path.starts_with('/') {
        issues.push(Issue::warning(
            IssueCode::PathWithoutSlash,
            "/path",
            format!(
                "route paths start with '/', so '{}' matches no call; did you mean '/{}'?",
                f.path, f.path
            ),
        ));
    }
    if !f.cursor.is_empty() {
        if let Err(why) = check_id(&f.cursor) {
            issues.push(Issue::warning(
                IssueCode::CursorNotId,
                "/cursor",
                format!("{why}; the cursor is compared with ids as a string, so it may select nothing or everything"),
            ));
        } else if f.cursor.bytes().any(|b| b.is_ascii_lowercase()) {
            issues.push(Issue::warning(
                IssueCode::CursorNotId,
                "/cursor",
                "the cursor is lower case; ids are compared as strings, and a lower-case cursor lies above every \
                 upper-case id"
                    .to_string(),
            ));
        }
    }
    if f.method.bytes().any(|b| b.is_ascii_lowercase()) {
        issues.push(Issue::warning(
            IssueCode::MethodCase,
            "/method",
            format!("methods are compared exactly and the server stores them as sent, normally upper case ('{}')", f.method.to_ascii_uppercase()),
        ));
    }
    let mut datetime = |text: &str, key: &str| -> Option<GoTime> {
        if text.is_empty() {
            return None;
        }
        match GoTime::parse(text) {
            Ok(t) => Some(t),
            Err(why) => {
                issues.push(Issue::error(IssueCode::BadDatetime, &pointer("", key), why));
                None
            }
        }
    };
    let since = datetime(&f.created_since, "created_since");
    let before = datetime(&f.created_before, "created_before");
    if let (Some(s), Some(b)) = (since, before) {
        if s.cmp_instant(&b) != Ordering::Less {
            issues.push(Issue::error(
                IssueCode::EmptyRange,
                "/created_before",
                format!(
                    "created_before {} is not after created_since {}: no call can match",
                    f.created_before, f.created_since
                ),
            ));
        }
    }
    if let (Some(min), Some(max)) = (f.min_duration_ms, f.max_duration_ms) {
        if min > max {
            issues.push(Issue::error(
                IssueCode::EmptyRange,
                "/max_duration_ms",
                format!("max_duration_ms {max} is below min_duration_ms {min}: no call can match"),
            ));
        }
    }
    let fold = |s: &str| {
        if f.error_ignore_case {
            lower(s)
        } else {
            s.to_string()
        }
    };
    let pattern = if f.error_pattern.is_empty() {
        None
    } else {
        match Glob::compile(&fold(&f.error_pattern)) {
            Ok(p) => Some(p),
            Err(why) => {
                issues.push(Issue::error(IssueCode::BadPattern, "/error_pattern", why));
                None
            }
        }
    };
    if !f.error.is_empty() {
        if !f.error_contains.is_empty()
            && !fold(&f.error).contains(fold(&f.error_contains).as_str())
        {
            issues.push(Issue::error(
                IssueCode::Contradiction,
                "/error_contains",
                format!(
                    "error must be exactly '{}', which does not contain '{}': no call can match",
                    f.error, f.error_contains
                ),
            ));
        }
        if let Some(p) = &pattern {
            if !p.matches(&fold(&f.error)) {
                issues.push(Issue::error(
                    IssueCode::Contradiction,
                    "/error_pattern",
                    format!(
                        "error must be exactly '{}', which does not match '{}': no call can match",
                        f.error, f.error_pattern
                    ),
                ));
            }
        }
    }
    if issues.iter().any(Issue::is_error) {
        return Err(issues);
    }
    Ok((
        Matcher {
            f: f.clone(),
            since,
            before,
            pattern,
            zone_offset_secs: 0,
            error_lower: if f.error_ignore_case {
                lower(&f.error)
            } else {
                String::new()
            },
            contains_lower: if f.error_ignore_case {
                lower(&f.error_contains)
            } else {
                String::new()
            },
        },
        issues,
    ))
}

impl Matcher {
    /// The same matcher for a server running in another zone (seconds east of UTC; a server's `TZ`).
    pub fn in_zone(mut self, offset_secs: i32) -> Matcher {
        self.zone_offset_secs = offset_secs;
        self
    }

    /// Every condition of the filter except paging (`per_page`, `all`), which needs the whole set. It is the
    /// conjunction of the per-field tests below, which the columnar index (`index.rs`) applies column by column.
    pub fn matches(&self, c: &Call) -> bool {
        self.matches_view(&CallView::of(c))
    }

    /// [`Matcher::matches`] on the fields a filter reads (the bulk engine's fast lane produces only these).
    pub fn matches_view(&self, c: &CallView) -> bool {
        self.id_ok(&c.id)
            && self.app_ok(&c.app_name)
            && self.fn_ok(&c.fn_id)
            && self.path_ok(&c.path)
            && self.status_ok(c.status)
            && self.error_ok(&c.error)
            && self.type_ok(c.call_type)
            && self.format_ok(c.format)
            && self.image_ok(&c.image)
            && self.method_ok(&c.method)
            && self.times_ok(&c.created_at, &c.started_at, &c.completed_at)
    }

    /// The cursor: only ids below it, compared as strings.
    pub fn id_ok(&self, id: &str) -> bool {
        self.f.cursor.is_empty() || id < self.f.cursor.as_str()
    }

    pub fn fn_ok(&self, fn_id: &str) -> bool {
        self.f.fn_id.is_empty() || fn_id == self.f.fn_id
    }

    pub fn app_ok(&self, app_name: &str) -> bool {
        self.f.app_name.is_empty() || app_name == self.f.app_name
    }

    pub fn path_ok(&self, path: &str) -> bool {
        self.f.path.is_empty() || path == self.f.path
    }

    pub fn status_ok(&self, status: Option<CallStatus>) -> bool {
        self.f.status.is_empty() || self.f.status.contains(&status)
    }

    /// `error` (exact), `error_contains`, `error_pattern` (all three without case with `error_ignore_case`) and
    /// `error_group` together.
    pub fn error_ok(&self, error: &str) -> bool {
        let f = &self.f;
        if !f.error_group.is_empty()
            && (error.is_empty() || normalize_error(error) != f.error_group)
        {
            return false;
        }
        if f.error.is_empty() && f.error_contains.is_empty() && self.pattern.is_none() {
            return true;
        }
        if f.error_ignore_case {
            let e = lower(error);
            return (f.error.is_empty() || e == self.error_lower)
                && (f.error_contains.is_empty() || e.contains(self.contains_lower.as_str()))
                && self.pattern.as_ref().is_none_or(|p| p.matches(&e));
        }
        (f.error.is_empty() || error == f.error)
            && (f.error_contains.is_empty() || error.contains(f.error_contains.as_str()))
            && self.pattern.as_ref().is_none_or(|p| p.matches(error))
    }

    pub fn type_ok(&self, t: Option<CallType>) -> bool {
        self.f.call_type.is_none_or(|want| t == Some(want))
    }

    pub fn format_ok(&self, format: Option<CallFormat>) -> bool {
        self.f.format.is_none_or(|want| format == Some(want))
    }

    pub fn image_ok(&self, image: &str) -> bool {
        self.f.image.is_empty() || image == self.f.image
    }

    pub fn method_ok(&self, method: &str) -> bool {
        self.f.method.is_empty() || method == self.f.method
    }

    /// The server's `from_time`/`to_time`, the extension bounds, and durations. The server bounds compare as the
    /// server does: the bound written as a Go date-time in the server's zone (UTC) against the `created_at` text
    /// (docs/filtering.md#the-servers-semantics); the extension bounds compare instants.
    pub fn times_ok(&self, created: &GoTime, started: &GoTime, completed: &GoTime) -> bool {
        let f = &self.f;
        let bound = |t: i64| GoTime {
            unix_secs: t,
            nanos: 0,
            offset_secs: self.zone_offset_secs,
        };
        // A bound at Go's zero time (Unix -62135596800) is no bound: the server's store skips `IsZero()` times.
        let bound_of = |t: Option<i64>| t.filter(|t| !bound(*t).is_zero());
        bound_of(f.from_time).is_none_or(|t| created.cmp_text(&bound(t)) == Ordering::Greater)
            && bound_of(f.to_time).is_none_or(|t| created.cmp_text(&bound(t)) == Ordering::Less)
            && self
                .since
                .is_none_or(|t| !created.is_zero() && created.cmp_instant(&t) != Ordering::Less)
            && self
                .before
                .is_none_or(|t| !created.is_zero() && created.cmp_instant(&t) == Ordering::Less)
            && self.duration_ok(started, completed)
    }

    /// Whether the time conditions are all absent (so `times_ok` is always true).
    pub fn has_time_conditions(&self) -> bool {
        let f = &self.f;
        f.from_time.is_some()
            || f.to_time.is_some()
            || self.since.is_some()
            || self.before.is_some()
            || f.min_duration_ms.is_some()
            || f.max_duration_ms.is_some()
    }

    fn duration_ok(&self, started: &GoTime, completed: &GoTime) -> bool {
        let (min, max) = (self.f.min_duration_ms, self.f.max_duration_ms);
        if min.is_none() && max.is_none() {
            return true;
        }
        duration_ms(started, completed)
            .is_some_and(|d| min.is_none_or(|m| d >= m) && max.is_none_or(|m| d <= m))
    }
}

/// The fields of a call that [`Matcher::matches_view`] and the page order read for this filter: the id always (the
/// order and the cursor), every other field only when the filter has a condition on it. Filtering `Call` objects
/// sends only these across the JavaScript boundary (`projection.rs`).
pub fn fields_read(f: &CallFilter) -> Fields {
    let error = !f.error.is_empty()
        || !f.error_contains.is_empty()
        || !f.error_pattern.is_empty()
        || !f.error_group.is_empty();
    let created = f.from_time.is_some()
        || f.to_time.is_some()
        || !f.created_since.is_empty()
        || !f.created_before.is_empty();
    let duration = f.min_duration_ms.is_some() || f.max_duration_ms.is_some();
    Fields::default()
        .with(Field::Id)
        .with_if(!f.app_name.is_empty(), Field::AppName)
        .with_if(!f.fn_id.is_empty(), Field::FnId)
        .with_if(!f.path.is_empty(), Field::Path)
        .with_if(!f.status.is_empty(), Field::Status)
        .with_if(error, Field::Error)
        .with_if(f.call_type.is_some(), Field::Type)
        .with_if(f.format.is_some(), Field::Format)
        .with_if(!f.image.is_empty(), Field::Image)
        .with_if(!f.method.is_empty(), Field::Method)
        .with_if(created, Field::CreatedAt)
        .with_if(duration, Field::StartedAt)
        .with_if(duration, Field::CompletedAt)
}

/// Which listing endpoint a page is chosen as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Api {
    /// `GET /v1/apps/{app}/calls` (until 0.3.562): raw ids as cursors, `next_cursor` always answered.
    #[default]
    V1,
    /// `GET /v2/fns/{fn_id}/calls` (0.3.552 to 0.3.688): no path and no app, cursors base64url of the id.
    V2,
}

/// How the server that is imitated runs: its API and its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Listing {
    pub api: Api,
    /// The server's offset from UTC in seconds (its `TZ`): it writes `from_time`/`to_time` in it.
    pub zone_offset_secs: i32,
}

/// Selects one page of `calls` as the v1 listing endpoint of a server in UTC does (and applies the extensions).
/// The filter is validated first: when it has errors, they are returned and nothing is listed. Calls with equal
/// ids keep their input order.
pub fn filter_calls(calls: &[Call], filter: &CallFilter) -> Result<CallPage, Vec<Issue>> {
    filter_calls_as(calls, filter, Listing::default())
}

/// [`filter_calls`] as the given endpoint and server zone. For v2 the filter's `cursor` is base64url (as the
/// server's `next_cursor` is), the answer's `next_cursor` too, and `path`/`app_name` are errors: v2 lists per fn.
pub fn filter_calls_as(
    calls: &[Call],
    filter: &CallFilter,
    listing: Listing,
) -> Result<CallPage, Vec<Issue>> {
    let views: Vec<CallView> = calls.iter().map(CallView::of).collect();
    let views: Vec<&CallView> = views.iter().collect();
    let page = page_positions(&views, filter, listing)?;
    Ok(CallPage {
        calls: page
            .positions
            .iter()
            .filter_map(|i| calls.get(*i))
            .cloned()
            .collect(),
        next_cursor: page.next_cursor,
        issues: Vec::new(),
    })
}

/// Which calls a page holds: their positions in the input, in page order, and the page's `next_cursor`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PagePositions {
    pub positions: Vec<usize>,
    pub next_cursor: String,
}

/// [`filter_calls_as`] over the fields a filter tests ([`CallView`]s, which need only the fields [`fields_read`]
/// names): the positions of the page's calls. The one implementation of a listing's selection and order (with
/// [`page_positions_ordered`], which gives the same answer from views already in [`listing_order`]).
pub fn page_positions(
    views: &[&CallView],
    filter: &CallFilter,
    listing: Listing,
) -> Result<PagePositions, Vec<Issue>> {
    let (f, m) = prepare(filter, listing)?;
    let mut selected: Vec<ListingKey> = views
        .iter()
        .enumerate()
        .filter(|(_, c)| m.matches_view(c))
        .map(|(i, _)| listing_key(views, i))
        .collect();
    if !f.all && selected.len() > f.page_size() {
        // Only the page is ordered: the first `size` in order, found in linear time, then sorted.
        selected.select_nth_unstable(f.page_size() - 1);
        selected.truncate(f.page_size());
    }
    selected.sort_unstable();
    let positions = selected.into_iter().map(|(_, i)| i).collect();
    Ok(finish_page(views, positions, &f, listing))
}

/// The positions of `views` in a listing's order: newest id first, equal ids in input order.
pub fn listing_order(views: &[&CallView]) -> Vec<usize> {
    crate::order::descending((0..views.len()).map(|i| id_at(views, i)))
}

/// [`page_positions`] for views whose [`listing_order`] is known: it starts at the cursor and stops at a full page,
/// so a page costs about its own size, not the whole set (paging through calls kept between requests).
pub fn page_positions_ordered(
    views: &[&CallView],
    order: &[usize],
    filter: &CallFilter,
    listing: Listing,
) -> Result<PagePositions, Vec<Issue>> {
    let (f, m) = prepare(filter, listing)?;
    // Ids fall along the order: those the cursor lets through (below it) are a tail.
    let start = if f.cursor.is_empty() {
        0
    } else {
        order.partition_point(|i| id_at(views, *i) >= f.cursor.as_str())
    };
    let size = if f.all { usize::MAX } else { f.page_size() };
    let selected: Vec<usize> = order
        .iter()
        .skip(start)
        .copied()
        .filter(|i| views.get(*i).is_some_and(|v| m.matches_view(v)))
        .take(size)
        .collect();
    Ok(finish_page(views, selected, &f, listing))
}

/// The filter as the endpoint reads it (a v2 cursor decoded), ready to match; errors for what the endpoint refuses.
fn prepare(filter: &CallFilter, listing: Listing) -> Result<(CallFilter, Matcher), Vec<Issue>> {
    let mut f = filter.clone();
    if listing.api == Api::V2 {
        let mut errors = Vec::new();
        for (field, value) in [("path", &f.path), ("app_name", &f.app_name)] {
            if !value.is_empty() {
                errors.push(Issue::error(
                    IssueCode::NotInV2,
                    &format!("/{field}"),
                    format!("the v2 listing (GET /v2/fns/{{fn_id}}/calls) has no {field}: it lists the calls of one fn (fn_id)"),
                ));
            }
        }
        if !f.cursor.is_empty() {
            match base64url_decode(&f.cursor) {
                Some(id) => f.cursor = id,
                None => errors.push(Issue::error(
                    IssueCode::BadCursor,
                    "/cursor",
                    format!("'{}' is not base64url of an id, as v2 cursors are (the v2 server answers 500)", f.cursor),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    let (m, _warnings) = compile(&f)?;
    Ok((f, m.in_zone(listing.zone_offset_secs)))
}

fn id_at<'v>(views: &[&'v CallView], i: usize) -> &'v str {
    views.get(i).map_or("", |v| v.id.as_ref())
}

/// A call's place in a listing: newest id first; equal ids keep their input order (the position breaks the tie, so
/// the order is total). The key type of [`crate::order::descending`], so the page's sort is that same code.
type ListingKey<'v> = (Reverse<&'v str>, usize);

fn listing_key<'v>(views: &[&'v CallView], i: usize) -> ListingKey<'v> {
    (Reverse(id_at(views, i)), i)
}

/// The page of `selected` (in order): `next_cursor` is the last id when the page is full (never with `all`).
fn finish_page(
    views: &[&CallView],
    selected: Vec<usize>,
    f: &CallFilter,
    listing: Listing,
) -> PagePositions {
    let next_cursor = match selected.last() {
        Some(last) if !f.all && selected.len() == f.page_size() => match listing.api {
            Api::V1 => id_at(views, *last).to_string(),
            Api::V2 => base64url_encode(id_at(views, *last)),
        },
        _ => String::new(),
    };
    PagePositions {
        positions: selected,
        next_cursor,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a filter (or options) from a JSON tree, with an issue for every value that cannot be used.

/// Every key of a filter, as written in JSON and JavaScript: the server's six first, then the extensions, in the
/// order of [`CallFilter`]'s fields. The one list of them (JavaScript has it as `filterFields()`).
pub const FILTER_FIELDS: [&str; 22] = [
    "app_name",
    "fn_id",
    "path",
    "from_time",
    "to_time",
    "cursor",
    "per_page",
    "status",
    "error",
    "error_contains",
    "error_pattern",
    "error_ignore_case",
    "error_group",
    "type",
    "format",
    "image",
    "method",
    "min_duration_ms",
    "max_duration_ms",
    "created_since",
    "created_before",
    "all",
];

/// Reads a filter from a JSON tree (an object; `null` is the empty filter). `Ok` carries the warnings; `Err` every
/// issue, errors and warnings, when any is an error.
pub fn filter_from_tree(node: &Node) -> Result<(CallFilter, Vec<Issue>), Vec<Issue>> {
    let mut f = CallFilter::default();
    let mut issues = Vec::new();
    let members = match &node.value {
        Value::Null => return Ok((f, issues)),
        Value::Object(members) => members,
        other => {
            let hint = if matches!(other, Value::String(_)) {
                "; use filterFromQuery for a query string"
            } else {
                ""
            };
            return Err(vec![Issue::error(
                IssueCode::WrongType,
                "",
                format!("a filter is an object, not {}{hint}", other.type_name()),
            )]);
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for m in members {
        let key = m.key.text.as_ref();
        let path = pointer("", key);
        let Some(known) = FILTER_FIELDS.iter().find(|k| **k == key) else {
            issues.push(unknown_field(key, &path, &FILTER_FIELDS, "filter"));
            continue;
        };
        if seen.contains(known) {
            issues.push(Issue::error(
                IssueCode::DuplicateField,
                &path,
                format!("'{key}' is given twice"),
            ));
            continue;
        }
        seen.push(known);
        let v = &m.value;
        if matches!(v.value, Value::Null) {
            continue;
        }
        let text = |issues: &mut Vec<Issue>| read_string(v, &path, issues);
        let int = |issues: &mut Vec<Issue>| read_int(v, &path, issues);
        match key {
            "app_name" => f.app_name = text(&mut issues).unwrap_or_default(),
            "fn_id" => f.fn_id = text(&mut issues).unwrap_or_default(),
            "path" => f.path = text(&mut issues).unwrap_or_default(),
            "cursor" => f.cursor = text(&mut issues).unwrap_or_default(),
            "error" => f.error = text(&mut issues).unwrap_or_default(),
            "error_contains" => f.error_contains = text(&mut issues).unwrap_or_default(),
            "error_pattern" => f.error_pattern = text(&mut issues).unwrap_or_default(),
            "error_group" => f.error_group = text(&mut issues).unwrap_or_default(),
            "image" => f.image = text(&mut issues).unwrap_or_default(),
            "method" => f.method = text(&mut issues).unwrap_or_default(),
            "created_since" => f.created_since = text(&mut issues).unwrap_or_default(),
            "created_before" => f.created_before = text(&mut issues).unwrap_or_default(),
            "from_time" => f.from_time = read_seconds(v, &path, &mut issues),
            "to_time" => f.to_time = read_seconds(v, &path, &mut issues),
            "per_page" => f.per_page = int(&mut issues),
            "min_duration_ms" => f.min_duration_ms = int(&mut issues),
            "max_duration_ms" => f.max_duration_ms = int(&mut issues),
            "all" => match &v.value {
                Value::Bool(b) => f.all = *b,
                other => issues.push(wrong_type(&path, "true or false", other)),
            },
            "error_ignore_case" => match &v.value {
                Value::Bool(b) => f.error_ignore_case = *b,
                other => issues.push(wrong_type(&path, "true or false", other)),
            },
            "type" => {
                f.call_type = text(&mut issues).filter(|s| !s.is_empty()).and_then(|s| {
                    let t = CallType::parse(&s);
                    if t.is_none() {
                        issues.push(Issue::error(
                            IssueCode::UnknownType,
                            &path,
                            format!("'{s}' is not a call type: sync or async"),
                        ));
                    }
                    t
                })
            }
            "format" => {
                f.format = text(&mut issues).filter(|s| !s.is_empty()).and_then(|s| {
                    let t = CallFormat::parse(&s);
                    if t.is_none() {
                        issues.push(Issue::error(
                            IssueCode::UnknownFormat,
                            &path,
                            format!("'{s}' is not a format: default, http or json"),
                        ));
                    }
                    t
                })
            }
            "status" => f.status = read_status_field(v, &path, &mut issues),
            _ => {}
        }
    }
    if issues.iter().any(Issue::is_error) {
        return Err(issues);
    }
    match compile(&f) {
        Ok((_, mut warnings)) => {
            issues.append(&mut warnings);
            Ok((f, issues))
        }
        Err(mut more) => {
            issues.append(&mut more);
            Err(issues)
        }
    }
}

fn read_status_field(v: &Node, path: &str, issues: &mut Vec<Issue>) -> Vec<Option<CallStatus>> {
    let one = |text: &str, path: &str, issues: &mut Vec<Issue>| -> Option<Option<CallStatus>> {
        if text.is_empty() {
            return Some(None);
        }
        match CallStatus::parse(text) {
            Some(s) => Some(Some(s)),
            None => {
                let hint = match CallStatus::parse(&text.to_ascii_lowercase()) {
                    Some(s) => format!("; statuses are lower case: '{}'", s.as_str()),
                    None => String::new(),
                };
                let all: Vec<&str> = CallStatus::ALL.iter().map(|s| s.as_str()).collect();
                issues.push(Issue::error(
                    IssueCode::UnknownStatus,
                    path,
                    format!("'{text}' is not a status ({}){hint}", all.join(", ")),
                ));
                None
            }
        }
    };
    match &v.value {
        Value::String(s) if s.text.is_empty() => Vec::new(),
        Value::String(s) => one(&s.text, path, issues).into_iter().collect(),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let p = pointer(path, &i.to_string());
                match &item.value {
                    Value::String(s) => out.extend(one(&s.text, &p, issues)),
                    other => issues.push(wrong_type(&p, "a status string", other)),
                }
            }
            out
        }
        other => {
            issues.push_and_default(wrong_type(path, "a status or an array of statuses", other))
        }
    }
}

fn read_seconds(v: &Node, path: &str, issues: &mut Vec<Issue>) -> Option<i64> {
    if let Value::String(s) = &v.value {
        issues.push(Issue::error(
            IssueCode::WrongType,
            path,
            format!(
                "expected Unix seconds as a number, found the string '{}'; for a date-time use created_since / \
                 created_before",
                s.text
            ),
        ));
        return None;
    }
    read_int(v, path, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::calls_from_bytes;
    use crate::read::ReadOptions;

    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// A valid id whose time part is `ms` and whose tail is `n`.
    fn id(ms: i64, n: u64) -> String {
        let mut s = String::new();
        for i in (0..10).rev() {
            s.push(ALPHABET[((ms >> (5 * i)) & 31) as usize] as char);
        }
        for i in (0..16).rev() {
            s.push(ALPHABET[((u128::from(n) >> (5 * i)) & 31) as usize] as char);
        }
        s
    }

    fn t(s: &str) -> GoTime {
        GoTime::parse(s).unwrap()
    }

    fn call(i: u64, created: &str) -> Call {
        let c = t(created);
        Call {
            id: id(c.unix_millis(), i),
            status: Some(CallStatus::Success),
            app_name: "myapp".into(),
            path: "/hello".into(),
            created_at: c,
            ..Call::default()
        }
    }

    fn ids(page: &CallPage) -> Vec<&str> {
        page.calls.iter().map(|c| c.id.as_str()).collect()
    }

    fn codes(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.code.as_str()).collect()
    }

    fn tree(json: &str) -> Node<'_> {
        crate::json::parse(json.as_bytes()).unwrap()
    }

    /// Ten calls, one per second from 2017-11-28T17:22:00Z, ids increasing with time.
    fn ten() -> Vec<Call> {
        (0..10)
            .map(|i| call(i, &format!("2017-11-28T17:22:{:02}.000Z", i)))
            .collect()
    }

    const T0: i64 = 1_511_889_720; // 2017-11-28T17:22:00Z

    /// Every row of the semantics table in docs/filtering.md, and its boundary cases: (name, filter, expected
    /// indexes into `ten()` in answer order, expected next_cursor as an index).
    #[test]
    fn semantics_table() {
        let base = ten();
        let f = |json: &str| -> CallFilter { filter_from_tree(&tree(json)).unwrap().0 };
        let cases: Vec<(&str, CallFilter, Vec<usize>, Option<usize>)> = vec![
            (
                "order: id descending, not created_at",
                f("{}"),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            ("app_name exact", f(r#"{"app_name":"myap"}"#), vec![], None),
            (
                "app_name empty = no filter",
                f(r#"{"app_name":""}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            ("path exact", f(r#"{"path":"/hello/"}"#), vec![], None),
            (
                "path match",
                f(r#"{"path":"/hello","app_name":"myapp","per_page":2}"#),
                vec![9, 8],
                Some(8),
            ),
            (
                "cursor exclusive",
                f(&format!(r#"{{"cursor":"{}"}}"#, base[5].id)),
                vec![4, 3, 2, 1, 0],
                None,
            ),
            (
                "per_page default 30",
                f(r#"{"per_page":0}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            (
                "per_page negative -> 30",
                f(r#"{"per_page":-5}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            (
                "per_page full page",
                f(r#"{"per_page":3}"#),
                vec![9, 8, 7],
                Some(7),
            ),
            (
                "per_page exactly all: full page, cursor set",
                f(r#"{"per_page":10}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                Some(0),
            ),
            (
                "per_page above all: not full",
                f(r#"{"per_page":11}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            (
                "from_time exclusive: created exactly at from_time is out",
                f(&format!(r#"{{"from_time":{}}}"#, T0 + 3)),
                vec![9, 8, 7, 6, 5, 4],
                None,
            ),
            (
                "to_time exclusive",
                f(&format!(r#"{{"to_time":{}}}"#, T0 + 3)),
                vec![2, 1, 0],
                None,
            ),
            (
                "from and to",
                f(&format!(
                    r#"{{"from_time":{},"to_time":{}}}"#,
                    T0 + 2,
                    T0 + 5
                )),
                vec![4, 3],
                None,
            ),
            (
                "to_time=0 is 1970, not no bound",
                f(r#"{"to_time":0}"#),
                vec![],
                None,
            ),
            (
                "from_time=0 is 1970",
                f(r#"{"from_time":0}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            (
                "negative from_time",
                f(r#"{"from_time":-100}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
            (
                "all ignores paging",
                f(r#"{"all":true,"per_page":2}"#),
                vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                None,
            ),
        ];
        for (name, filter, want, cursor) in cases {
            let page = filter_calls(&base, &filter).unwrap();
            let want_ids: Vec<&str> = want.iter().map(|i| base[*i].id.as_str()).collect();
            assert_eq!(ids(&page), want_ids, "{name}");
            let want_cursor = cursor.map(|i| base[i].id.clone()).unwrap_or_default();
            assert_eq!(page.next_cursor, want_cursor, "{name}: next_cursor");
        }
    }

    #[test]
    fn per_page_is_clamped_to_100_and_defaults_to_30() {
        let many: Vec<Call> = (0..150)
            .map(|i| call(i, "2017-11-28T17:22:00.000Z"))
            .collect();
        let n = |json: &str| {
            filter_calls(&many, &filter_from_tree(&tree(json)).unwrap().0)
                .unwrap()
                .calls
                .len()
        };
        assert_eq!(n("{}"), 30);
        assert_eq!(n(r#"{"per_page":0}"#), 30);
        assert_eq!(n(r#"{"per_page":101}"#), 100);
        assert_eq!(n(r#"{"per_page":100}"#), 100);
        assert_eq!(n(r#"{"per_page":1}"#), 1);
        assert_eq!(n(r#"{"all":true}"#), 150);
        let (_, warnings) = filter_from_tree(&tree(r#"{"per_page":500}"#)).unwrap();
        assert_eq!(codes(&warnings), ["per_page_clamped"]);
        let (_, warnings) = filter_from_tree(&tree(r#"{"per_page":0}"#)).unwrap();
        assert_eq!(codes(&warnings), ["per_page_defaulted"]);
    }

    #[test]
    fn following_next_cursor_visits_every_call_once_and_ends_on_an_empty_page() {
        let base = ten();
        let mut filter = CallFilter {
            per_page: Some(5),
            ..CallFilter::default()
        };
        let mut pages = Vec::new();
        loop {
            assert!(
                pages.len() < 10,
                "next_cursor still not empty after 10 pages: {pages:?}"
            );
            let page = filter_calls(&base, &filter).unwrap();
            pages.push(page.calls.len());
            if page.next_cursor.is_empty() {
                break;
            }
            filter.cursor = page.next_cursor;
        }
        // 10 calls in pages of 5: the second page is full, so its cursor leads to an empty third page.
        assert_eq!(pages, [5, 5, 0]);
    }

    #[test]
    fn server_bounds_compare_the_text_not_the_instant() {
        // 20:22:03+03:00 is 17:22:03Z, but the server compares its text with bounds written in UTC.
        let c = call(1, "2017-11-28T20:22:03.000+03:00");
        let secs = c.created_at.unix_secs;
        let page = |from: i64, to: i64| {
            filter_calls(
                std::slice::from_ref(&c),
                &CallFilter {
                    from_time: Some(from),
                    to_time: Some(to),
                    ..Default::default()
                },
            )
            .unwrap()
            .calls
            .len()
        };
        assert_eq!(
            page(secs - 1, secs + 1),
            0,
            "the instant is inside, the text is not"
        );
        let wall = secs + 3 * 3600; // 20:22:03Z, the call's wall-clock time written in UTC
        assert_eq!(page(wall - 1, wall + 1), 1);
        assert_eq!(
            page(wall, wall + 1),
            0,
            "'+03:00' sorts before 'Z' at the same wall time"
        );
        assert_eq!(
            page(wall - 1, wall),
            1,
            "… so the call is before the bound of its wall time"
        );
        let utc = call(3, "2017-11-28T17:22:03.000Z");
        let exact = |from: i64, to: i64| {
            filter_calls(
                std::slice::from_ref(&utc),
                &CallFilter {
                    from_time: Some(from),
                    to_time: Some(to),
                    ..Default::default()
                },
            )
            .unwrap()
            .calls
            .len()
        };
        let secs = utc.created_at.unix_secs;
        assert_eq!(exact(secs - 1, secs + 1), 1);
        assert_eq!(exact(secs, secs + 1), 0, "created exactly at from_time");
        assert_eq!(exact(secs - 1, secs), 0, "created exactly at to_time");
        // Digits below the millisecond are not written, so they do not make a call later than the bound.
        let fine = call(4, "2017-11-28T17:22:03.0009Z");
        let f = CallFilter {
            from_time: Some(fine.created_at.unix_secs),
            ..Default::default()
        };
        assert_eq!(filter_calls(&[fine], &f).unwrap().calls.len(), 0);
        // A millisecond after from_time is after it.
        let late = call(2, "2017-11-28T17:22:03.001Z");
        let f = CallFilter {
            from_time: Some(late.created_at.unix_secs),
            ..Default::default()
        };
        assert_eq!(filter_calls(&[late], &f).unwrap().calls.len(), 1);
    }

    #[test]
    fn zero_created_at_follows_the_server_but_not_the_extensions() {
        let mut c = call(1, "2017-11-28T17:22:03.000Z");
        c.created_at = GoTime::ZERO;
        let one = |f: CallFilter| {
            filter_calls(std::slice::from_ref(&c), &f)
                .unwrap()
                .calls
                .len()
        };
        assert_eq!(
            one(CallFilter {
                to_time: Some(0),
                ..Default::default()
            }),
            1,
            "year 1 is before 1970"
        );
        assert_eq!(
            one(CallFilter {
                from_time: Some(0),
                ..Default::default()
            }),
            0
        );
        assert_eq!(
            one(CallFilter {
                created_before: "2017-01-01T00:00:00Z".into(),
                ..Default::default()
            }),
            0
        );
        assert_eq!(
            one(CallFilter {
                created_since: "0001-01-01T00:00:00Z".into(),
                ..Default::default()
            }),
            0
        );
    }

    fn fixture_calls(name: &str) -> Vec<Call> {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(path).unwrap();
        let batch = calls_from_bytes(&bytes, ReadOptions::default());
        assert!(
            batch.issues.iter().all(|i| !i.is_error()),
            "{:?}",
            batch.issues
        );
        batch.calls
    }

    #[test]
    fn extensions() {
        let page = fixture_calls("generated-v1-calls-list-page.json");
        let f = |json: &str| filter_from_tree(&tree(json)).unwrap().0;
        let n = |json: &str| filter_calls(&page, &f(json)).unwrap().calls.len();
        assert_eq!(n("{}"), 2);
        assert_eq!(n(r#"{"status":"error"}"#), 1);
        assert_eq!(n(r#"{"status":["error","timeout"]}"#), 2);
        assert_eq!(n(r#"{"status":[]}"#), 2);
        assert_eq!(n(r#"{"status":""}"#), 2);
        assert_eq!(n(r#"{"status":[""]}"#), 0);
        assert_eq!(n(r#"{"status":"success"}"#), 0);
        assert_eq!(n(r#"{"error":"container exit code 1"}"#), 1);
        assert_eq!(n(r#"{"error":"container exit code"}"#), 0);
        assert_eq!(n(r#"{"error_contains":"exit code"}"#), 1);
        assert_eq!(n(r#"{"error_contains":"Exit"}"#), 0);
        assert_eq!(n(r#"{"error_pattern":"container exit code ?"}"#), 1);
        assert_eq!(n(r#"{"error_pattern":"*exit*"}"#), 1);
        assert_eq!(n(r#"{"error_pattern":"exit*"}"#), 0);
        assert_eq!(
            n(r#"{"error_pattern":"*"}"#),
            2,
            "* matches the empty error too"
        );
        assert_eq!(n(r#"{"status":"error","error_contains":"exit code 1"}"#), 1);
        // without case: contains, exactly and the glob
        assert_eq!(
            n(r#"{"error_contains":"Exit","error_ignore_case":true}"#),
            1
        );
        assert_eq!(
            n(r#"{"error_contains":"EXIT CODE","error_ignore_case":false}"#),
            0
        );
        assert_eq!(
            n(r#"{"error":"Container Exit Code 1","error_ignore_case":true}"#),
            1
        );
        assert_eq!(
            n(r#"{"error_pattern":"CONTAINER *","error_ignore_case":true}"#),
            1
        );
        assert_eq!(n(r#"{"error_pattern":"*","error_ignore_case":true}"#), 2);
        // error groups: the normalised message, never a call without error text
        assert_eq!(n(r#"{"error_group":"container exit code <num>"}"#), 1);
        assert_eq!(n(r#"{"error_group":"container exit code 1"}"#), 0);
        assert_eq!(
            n(r#"{"error_group":"container exit code <num>","status":"timeout"}"#),
            0
        );
        // durations: timeout 30.001 s, error 490 ms
        assert_eq!(n(r#"{"min_duration_ms":490}"#), 2);
        assert_eq!(n(r#"{"min_duration_ms":491}"#), 1);
        assert_eq!(n(r#"{"max_duration_ms":490}"#), 1);
        assert_eq!(n(r#"{"min_duration_ms":30001,"max_duration_ms":30001}"#), 1);
        assert_eq!(
            n(r#"{"created_since":"2017-11-28T17:22:10.007Z"}"#),
            1,
            "since is inclusive"
        );
        assert_eq!(n(r#"{"created_since":"2017-11-28T20:22:10.008+03:00"}"#), 0);
        assert_eq!(
            n(r#"{"created_before":"2017-11-28T17:22:10.007Z"}"#),
            1,
            "before is exclusive"
        );
        assert_eq!(
            n(
                r#"{"created_since":"2017-11-28T17:00:00Z","created_before":"2017-11-28T18:00:00Z"}"#
            ),
            2
        );

        let full = fixture_calls("generated-v1-call-full-mq-async.json");
        let n = |json: &str| filter_calls(&full, &f(json)).unwrap().calls.len();
        let c = &full[0];
        assert_eq!(
            n(r#"{"status":[""]}"#),
            1,
            "the async queue copy has status \"\""
        );
        assert_eq!(
            n(r#"{"type":"async"}"#),
            usize::from(c.call_type == Some(CallType::Async))
        );
        assert_eq!(
            n(r#"{"type":"sync"}"#),
            usize::from(c.call_type == Some(CallType::Sync))
        );
        assert_eq!(n(&format!(r#"{{"image":"{}"}}"#, c.image)), 1);
        assert_eq!(n(r#"{"image":"nope"}"#), 0);
        assert_eq!(n(&format!(r#"{{"method":"{}"}}"#, c.method)), 1);
        assert_eq!(n(r#"{"method":"PATCH"}"#), 0);
        let fmt = c.format.map(CallFormat::as_str).unwrap_or("json");
        assert_eq!(
            n(&format!(r#"{{"format":"{fmt}"}}"#)),
            usize::from(c.format.is_some())
        );
        assert_eq!(
            n(r#"{"min_duration_ms":0}"#),
            0,
            "no duration: never matches a duration bound"
        );
    }

    #[test]
    fn bad_filters_are_issues_not_empty_answers() {
        let errs = |json: &str| -> Vec<String> {
            match filter_from_tree(&tree(json)) {
                Ok((f, w)) => panic!("{json} was accepted: {f:?} {w:?}"),
                Err(issues) => issues
                    .iter()
                    .filter(|i| i.is_error())
                    .map(|i| format!("{} {}", i.code, i.path))
                    .collect(),
            }
        };
        assert_eq!(errs(r#"{"status":"succes"}"#), ["unknown_status /status"]);
        assert_eq!(
            errs(r#"{"status":["error","Timeout"]}"#),
            ["unknown_status /status/1"]
        );
        assert_eq!(errs(r#"{"status":[1]}"#), ["wrong_type /status/0"]);
        assert_eq!(errs(r#"{"type":"batch"}"#), ["unknown_type /type"]);
        assert_eq!(errs(r#"{"format":"xml"}"#), ["unknown_format /format"]);
        assert_eq!(errs(r#"{"per_page":"10"}"#), ["wrong_type /per_page"]);
        assert_eq!(errs(r#"{"per_page":1.5}"#), ["not_integer /per_page"]);
        assert_eq!(
            errs(r#"{"from_time":"1511889720"}"#),
            ["wrong_type /from_time"]
        );
        assert_eq!(
            errs(r#"{"from_time":9007199254740992}"#),
            ["unsafe_integer /from_time"]
        );
        assert_eq!(errs(r#"{"to_time":1e3}"#), ["not_integer /to_time"]);
        assert_eq!(errs(r#"{"appName":"x"}"#), ["unknown_field /appName"]);
        assert_eq!(
            errs(r#"{"app_name":"a","app_name":"b"}"#),
            ["duplicate_field /app_name"]
        );
        assert_eq!(errs(r#"{"all":1}"#), ["wrong_type /all"]);
        assert_eq!(
            errs(r#"{"created_since":"2017-11-28"}"#),
            ["bad_datetime /created_since"]
        );
        assert_eq!(
            errs(r#"{"created_before":"2017-11-28 17:00:00Z"}"#),
            ["bad_datetime /created_before"]
        );
        assert_eq!(
            errs(
                r#"{"created_since":"2017-11-28T18:00:00Z","created_before":"2017-11-28T18:00:00Z"}"#
            ),
            ["empty_range /created_before"]
        );
        assert_eq!(
            errs(r#"{"min_duration_ms":10,"max_duration_ms":9}"#),
            ["empty_range /max_duration_ms"]
        );
        assert_eq!(
            errs(r#"{"error_pattern":"exit \\"}"#),
            ["bad_pattern /error_pattern"]
        );
        assert_eq!(
            errs(r#"{"error":"a","error_contains":"b"}"#),
            ["contradiction /error_contains"]
        );
        assert_eq!(
            errs(r#"{"error":"a","error_pattern":"b*"}"#),
            ["contradiction /error_pattern"]
        );
        // without case, "A" contains "a"; the flag is a boolean
        assert!(filter_from_tree(&tree(
            r#"{"error":"A","error_contains":"a","error_ignore_case":true}"#
        ))
        .is_ok());
        assert_eq!(
            errs(r#"{"error_ignore_case":"yes"}"#),
            ["wrong_type /error_ignore_case"]
        );
        assert_eq!(errs(r#""path=/x""#), ["wrong_type "]);
        assert_eq!(errs("[]"), ["wrong_type "]);
        assert!(
            unknown_field("appName", "/appName", &FILTER_FIELDS, "filter")
                .message
                .contains("'app_name'")
        );
        // Warnings: the filter works, maybe not as meant.
        let warns = |json: &str| codes(&filter_from_tree(&tree(json)).unwrap().1).join(" ");
        assert_eq!(warns(r#"{"from_time":10,"to_time":10}"#), "empty_range");
        assert_eq!(warns(r#"{"path":"hello"}"#), "path_without_slash");
        assert_eq!(
            warns(r#"{"cursor":"MDFDUVY3MlpYRU5HOEcwMEdaSjAwMDAwMFg"}"#),
            "cursor_not_id"
        );
        assert_eq!(
            warns(r#"{"cursor":"01c01tcyeq47wgj00000000000"}"#),
            "cursor_not_id"
        );
        assert_eq!(warns(r#"{"method":"get"}"#), "method_case");
        assert_eq!(warns(r#"{"all":true,"per_page":5}"#), "per_page_ignored");
        assert_eq!(warns(r#"{"app_name":null,"status":null,"all":false}"#), "");
        // Rust callers get the same errors from filter_calls.
        let bad = CallFilter {
            min_duration_ms: Some(2),
            max_duration_ms: Some(1),
            ..Default::default()
        };
        assert_eq!(
            codes(&filter_calls(&[], &bad).unwrap_err()),
            ["empty_range"]
        );
    }

    #[test]
    fn fixtures_through_the_filter() {
        // The generated page: two calls, newest first; a page of 2 is full, so its cursor is the last id.
        let page = fixture_calls("generated-v1-calls-list-page.json");
        let got = filter_calls(
            &page,
            &CallFilter {
                per_page: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(got.next_cursor, "01C01TC2JG47WGG00000000000");
        let next = filter_calls(
            &page,
            &CallFilter {
                per_page: Some(2),
                cursor: got.next_cursor,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(next.calls.is_empty() && next.next_cursor.is_empty());
        // The docs' calls (UUID ids, +03:00 offsets). The server compares text: 15:31:22.691+03:00 sorts after the
        // bound 15:31:22.000Z (Unix 1496417482) although the instant is three hours earlier.
        let docs = fixture_calls("docs-definitions-calls-list.json");
        let n = |f: CallFilter| filter_calls(&docs, &f).unwrap().calls.len();
        assert_eq!(
            n(CallFilter {
                from_time: Some(1_496_417_482),
                ..Default::default()
            }),
            2
        );
        assert_eq!(
            n(CallFilter {
                from_time: Some(1_496_417_483),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            n(CallFilter {
                to_time: Some(1_496_417_490),
                ..Default::default()
            }),
            1
        );
        assert_eq!(
            n(CallFilter {
                to_time: Some(1_496_417_491),
                ..Default::default()
            }),
            2
        );
        for empty in [
            "generated-v1-calls-list-empty-sql.json",
            "generated-v1-calls-list-empty-mock.json",
        ] {
            let calls = fixture_calls(empty);
            let got = filter_calls(&calls, &CallFilter::default()).unwrap();
            assert!(got.calls.is_empty() && got.next_cursor.is_empty());
        }
    }

    /// `FILTER_FIELDS` is the list JavaScript gets: each key in it must be one the reader fills in.
    #[test]
    fn every_listed_field_is_read() {
        for key in FILTER_FIELDS {
            let value = match key {
                "from_time" | "to_time" | "per_page" | "min_duration_ms" | "max_duration_ms" => "5",
                "all" | "error_ignore_case" => "true",
                "status" => r#""error""#,
                "type" => r#""sync""#,
                "format" => r#""json""#,
                "path" => r#""/x""#,
                "cursor" => r#""01C01TCYEQ47WGJ00000000000""#,
                "method" => r#""GET""#,
                "created_since" | "created_before" => r#""2017-11-28T17:22:00Z""#,
                _ => r#""x""#,
            };
            let json = format!("{{\"{key}\":{value}}}");
            let (f, _) = filter_from_tree(&tree(&json)).unwrap();
            assert_ne!(f, CallFilter::default(), "{json} is not read");
        }
    }

    #[test]
    fn serde_shape_matches_the_wire_keys() {
        let f: CallFilter = serde_json_like(r#"{"status":"error","type":"sync"}"#);
        assert_eq!(f.status, vec![Some(CallStatus::Error)]);
        assert_eq!(f.call_type, Some(CallType::Sync));
    }

    /// serde's derive, driven through the JSON tree reader (no serde_json in this crate).
    fn serde_json_like(json: &str) -> CallFilter {
        filter_from_tree(&tree(json)).unwrap().0
    }
}
