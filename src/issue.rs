//! The one shape every problem is reported in: severity, a stable code, a JSON Pointer and a sentence.

use serde::Serialize;
use std::fmt;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The JSON cannot be this model: Go's decoder would refuse it, or a declared domain is violated.
    Error,
    /// Go would accept it, but it contradicts the model's comments or what servers do.
    Warning,
}

/// Defines [`IssueCode`] from one list: the enum, the string each code is written as (in serde's output too), and
/// [`IssueCode::ALL`].
macro_rules! issue_codes {
    ($($(#[$doc:meta])* $name:ident = $text:literal,)*) => {
        /// Every issue code, the stable machine-readable name of a rule, written as a snake_case string
        /// (`json_syntax`): the same in Rust, in JSON and in JavaScript (`issueCodes()`, TypeScript's `IssueCode`).
        /// docs/issue-codes.md says who reports each and why.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(target_arch = "wasm32", derive(Tsify))]
        pub enum IssueCode {
            $($(#[$doc])* #[serde(rename = $text)] $name,)*
        }

        impl IssueCode {
            /// Every code, in the order of docs/issue-codes.md.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$name,)*];

            /// The code as it is written in every issue.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(IssueCode::$name => $text,)*
                }
            }
        }
    };
}

issue_codes! {
    /// Error (call, batch): not JSON (the offset says where).
    JsonSyntax = "json_syntax",
    /// Error (call, batch): a leading byte order mark, which JSON (and Go) do not allow.
    JsonBom = "json_bom",
    /// Error (call, batch): data after the end of the JSON value, or a list of records that is not closed properly.
    JsonTrailing = "json_trailing",
    /// Error (call): nested deeper than 128 levels (Go allows 10,000; no call needs more than 6); also a cycle in an
    /// object handed in.
    JsonDepth = "json_depth",
    /// Error (call): the bytes are not UTF-8.
    InvalidUtf8 = "invalid_utf8",
    /// Error (batch): the input (or the last NDJSON line) ends in the middle of a record.
    Truncated = "truncated",
    /// Error (batch): a record larger than the bulk engine's limit (`max_record_bytes`, 16 MiB by default); it is
    /// skipped without being kept (an NDJSON line up to its newline, a record of an array or envelope up to its end).
    RecordTooLarge = "record_too_large",
    /// Error (batch): more issues than the bulk engine holds at a time (`MAX_HELD_ISSUES`); the rest are counted in
    /// its message, not kept.
    TooManyIssues = "too_many_issues",
    /// Error (call): a call must be a JSON object.
    NotObject = "not_object",
    /// Error (call): an object with none of a call's keys (an async `{"call_id"}` answer, the agent's stats…).
    NotACall = "not_a_call",
    /// Error (call): the server's error body `{"error":{"message":…}}`, not a call.
    ServerError = "server_error",
    /// Error (call): a value of the wrong JSON type (a number for a string, an array for a map…), or a JavaScript value
    /// JSON cannot hold. Error (filters, summary options): a field of the wrong JSON type (`per_page: "10"`,
    /// `from_time: "1511889720"`, `all: 1`); a filter or options that are not an object (a query string goes to
    /// `filterFromQuery`).
    WrongType = "wrong_type",
    /// Error (call): `1e3`, `30.0`: Go's integer types take digits only. Error (filters, summary options): `1.5` where
    /// an integer is needed.
    NotInteger = "not_integer",
    /// Error (call): outside the Go type: `int32` for `delay`/`timeout`/`idle_timeout`/`priority`, `uint64` for
    /// `memory` and metrics.
    OutOfRange = "out_of_range",
    /// Error (call): not a status; in `strict` mode also `timeout` and `""`.
    BadStatus = "bad_status",
    /// Error (call): `type` other than `sync`, `async`, `detached` (from 0.3.613), `""`.
    BadType = "bad_type",
    /// Error (call): `format` other than `default`, `http`, `json`, `""`.
    BadFormat = "bad_format",
    /// Error (call): `priority` other than 0, 1, 2.
    BadPriority = "bad_priority",
    /// Error (call): `cpus` that Go's reader refuses: not a string, not `"100m"` or `"0.1"`, or above 1024 CPUs.
    BadCpus = "bad_cpus",
    /// Error (call): in a call object, an annotation value that is not JSON text.
    BadAnnotation = "bad_annotation",
    /// Error (call): not an RFC 3339 date-time as the server reads it (lower-case `t`/`z`, a space, a date alone, no
    /// offset, a number, `null`), or an invalid `Date` handed in. Error (filters): `created_since` / `created_before`
    /// the server would not read as a date-time.
    BadDatetime = "bad_datetime",
    /// Warning (call): a key the model does not have (Go ignores it; it is lost when the call is written again).
    UnknownKey = "unknown_key",
    /// Warning (call): the `fn` command's own JSON (`fn list calls --output json`: `appId`, `createdAt`,
    /// `errorReason`…), read as the call it describes; not the server's JSON.
    FnCliOutput = "fn_cli_output",
    /// Warning (call): keys that no Fn release wrote together (`base_env` with `config`, `path` with
    /// `execution_duration`…); the call is read, and written with every key it has.
    MixedGenerations = "mixed_generations",
    /// Warning (call): a key matched only case-insensitively, as Go does (`App_Name`, even `ſtatus` with a long s).
    KeyCase = "key_case",
    /// Warning (call): a key given twice; the last value is used, as in Go and `JSON.parse`.
    DuplicateKey = "duplicate_key",
    /// Warning (call): `null` where Go ignores it (string and number fields keep their zero value).
    NullValue = "null_value",
    /// Warning (call): an escaped lone surrogate (`\ud800`) or one in a JS string; replaced by U+FFFD as Go does.
    LoneSurrogate = "lone_surrogate",
    /// Warning (call): a JS `number` above 2^53 − 1 handed in: it may already have been rounded; pass a `bigint`. Error
    /// (filters, summary options): an integer beyond ±(2^53 − 1).
    UnsafeInteger = "unsafe_integer",
    /// Error (call, filters, summary options): reading a JS value handed in threw (a getter, a proxy); the path names
    /// the property, the message carries the exception's.
    JsException = "js_exception",
    /// Warning (call): a key the server always writes is absent (`id`, `status`, `app_name`, `path` (v1), the three
    /// date-times, a sample's `timestamp`).
    MissingKey = "missing_key",
    /// Warning (call): the id is not 26 characters of the server's base32 (old docs show UUIDs).
    IdFormat = "id_format",
    /// Warning (call): the id's embedded creation time is more than 1 ms from `created_at`.
    IdTimeMismatch = "id_time_mismatch",
    /// Warning (call): the route path does not start with `/`.
    PathFormat = "path_format",
    /// Warning (call): `""` as a date-time: the server reads it as 1970-01-01T00:00:00Z.
    DatetimeEmpty = "datetime_empty",
    /// Warning (call): `created_at` is the zero time.
    CreatedAtUnset = "created_at_unset",
    /// Warning (call): `created_at` ≤ `started_at` ≤ `completed_at` does not hold (compared as instants). Warning
    /// (checkCallUpdate): a time newly set is earlier than one before it in the lifecycle (`created_at` ≤ `started_at`
    /// ≤ `completed_at`).
    TimeOrder = "time_order",
    /// Warning (call): `success`/`error`/`cancelled`/`timeout` without `completed_at`.
    TerminalWithoutCompletedAt = "terminal_without_completed_at",
    /// Warning (call): a running call without `started_at`.
    RunningWithoutStartedAt = "running_without_started_at",
    /// Warning (call): a running call with `completed_at`.
    RunningWithCompletedAt = "running_with_completed_at",
    /// Warning (call): a `delayed`/`queued`/`""` call with `started_at` or `completed_at` set.
    PendingWithTimes = "pending_with_times",
    /// Warning (call): `error` text on a call whose status is not `error`. Warning (checkCallUpdate): `error` text is
    /// set but the status is not `error`.
    ErrorWithoutErrorStatus = "error_without_error_status",
    /// Warning (call): `delay` set on a call whose status is not `delayed`.
    DelayWithoutDelayedStatus = "delay_without_delayed_status",
    /// Warning (call): memory outside the server's 1–8191 MB (still written back unchanged).
    MemoryRange = "memory_range",
    /// Warning (call): a negative `delay`, `timeout` or `idle_timeout`.
    NegativeDuration = "negative_duration",
    /// Warning (call): more than 240 stats samples (the server keeps at most 240).
    StatsCount = "stats_count",
    /// Warning (parseCalls): a v2 `next_cursor` that is not base64url; kept as it is. Error (filterCalls as v2): a
    /// cursor that is not base64url of an id (the v2 server answers 500).
    BadCursor = "bad_cursor",
    /// Error (filters as v2): `path` or `app_name`, which the v2 listing does not have (it lists one fn's calls).
    NotInV2 = "not_in_v2",
    /// Error (checkTransition, validateHistory): not one of the seven statuses (the message says when only the case is
    /// wrong). Error (filters): a `status` outside the model's domain (`"succes"`, `"Timeout"`).
    UnknownStatus = "unknown_status",
    /// Error (checkTransition, validateHistory, checkCallUpdate): strict mode: `timeout`, or the empty status, is not a
    /// declared status.
    UndeclaredStatus = "undeclared_status",
    /// Error (checkTransition): `from` and `to` are the same: nothing moved (a repeat is fine in histories and
    /// updates).
    Unchanged = "unchanged",
    /// Error (checkTransition, validateHistory, checkCallUpdate): `from` is final; a retry creates a new call rather
    /// than moving a finished one.
    FromTerminal = "from_terminal",
    /// Error (checkTransition, validateHistory, checkCallUpdate): `to` comes later but not directly, e.g. `cancelled`
    /// is reachable only from `running`.
    SkipsStatus = "skips_status",
    /// Error (checkTransition, validateHistory, checkCallUpdate): `to` comes before `from`; statuses never return.
    GoesBack = "goes_back",
    /// Error (checkTransition, validateHistory, checkCallUpdate): any other pair that is not an edge (none with today's
    /// diagram).
    IllegalTransition = "illegal_transition",
    /// Error (validateHistory): strict mode: the history starts where a new call cannot (`running`, a final status).
    NotInitial = "not_initial",
    /// Error (validateHistory, checkCallUpdate): the status went back to `""` after having one.
    StatusCleared = "status_cleared",
    /// Error (checkCallUpdate): the snapshots have different ids; nothing else is compared.
    IdChanged = "id_changed",
    /// Error (checkCallUpdate): `created_at`, `started_at` or `completed_at` was set and then changed or cleared: a
    /// time is set once (the same instant in another offset is not a change).
    TimeChanged = "time_changed",
    /// Warning (checkCallUpdate): the call entered a final status but `completed_at` is not set.
    CompletedAtNotSet = "completed_at_not_set",
    /// Warning (checkCallUpdate): `completed_at` was set while the call is not in a final status.
    CompletedAtNotFinal = "completed_at_not_final",
    /// Error (filters, summary options): a key the filter or options do not have (`appName` → "did you mean
    /// 'app_name'?").
    UnknownField = "unknown_field",
    /// Error (filters): a key given twice (JSON text only).
    DuplicateField = "duplicate_field",
    /// Error (filters): a `type` other than `sync`, `async` (`"batch"`).
    UnknownType = "unknown_type",
    /// Error (filters): a `format` other than `default`, `http`, `json` (`"xml"`).
    UnknownFormat = "unknown_format",
    /// Error (filters): `min_duration_ms > max_duration_ms`, or `created_before` not after `created_since`. Warning
    /// (filters): `to_time ≤ from_time`: the server answers an empty list, and so does `filterCalls`.
    EmptyRange = "empty_range",
    /// Error (filters): `error_pattern` ending in a lone `\`.
    BadPattern = "bad_pattern",
    /// Error (filters): `error` given exactly, together with an `error_contains` / `error_pattern` it does not satisfy.
    Contradiction = "contradiction",
    /// Warning (filters): `per_page` ≤ 0 (30 is used).
    PerPageDefaulted = "per_page_defaulted",
    /// Warning (filters): `per_page` > 100 (100 is used).
    PerPageClamped = "per_page_clamped",
    /// Warning (filters): `per_page` together with `all: true`.
    PerPageIgnored = "per_page_ignored",
    /// Warning (filters): a `path` not starting with `/` matches no route.
    PathWithoutSlash = "path_without_slash",
    /// Warning (filters): a cursor that is not an id (a v2 base64 cursor, lower case): string comparison may select
    /// nothing or everything.
    CursorNotId = "cursor_not_id",
    /// Warning (filters): a `method` with lower-case letters.
    MethodCase = "method_case",
    /// Error (listCallsUrl): no app: neither the `app` argument nor the filter's `app_name`.
    MissingApp = "missing_app",
    /// Error (listCallsUrl): the `app` argument and the filter's `app_name` differ.
    AppNameMismatch = "app_name_mismatch",
    /// Error (filterFromQuery): `from_time` / `to_time` is not an integer: the server answers HTTP 400 with exactly
    /// this message (`from_time is not an epoch time`).
    NotEpochTime = "not_epoch_time",
    /// Warning (filterFromQuery): `from_time` / `to_time` beyond ±(2^53 − 1), clamped (no date-time lies between, so
    /// the answer is the same).
    TimeClamped = "time_clamped",
    /// Warning (filterFromQuery): a pair with a bad `%` escape, which the server drops.
    BadEscape = "bad_escape",
    /// Warning (filterFromQuery): a parameter given twice; the server uses the first value.
    RepeatedParameter = "repeated_parameter",
    /// Warning (filterFromQuery): a parameter the server ignores, `app_name` included (the app is in the URL path).
    IgnoredParameter = "ignored_parameter",
    /// Warning (filterFromQuery): a URL that is not `/v1/apps/{app}/calls`, so no `app_name` was taken from it.
    NotListingUrl = "not_listing_url",
    /// Error (summarizeCalls, CallIndex.summarize): `bucket_seconds` is not a positive number of seconds.
    NotPositive = "not_positive",
    /// Error (summarizeCalls, CallIndex.summarize): `group_by` other than `path`, `app_name`, `status`.
    UnknownGroupBy = "unknown_group_by",
    /// Error (summarizeCalls, CallIndex.summarize): more than 10,000 time buckets per series, or 200,000 in all.
    TooManyBuckets = "too_many_buckets",
}

impl IssueCode {
    /// The code written as `text`, if it is one.
    pub fn parse(text: &str) -> Option<IssueCode> {
        IssueCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for IssueCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for IssueCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Issue {
    pub severity: Severity,
    /// Stable, machine-readable name of the rule (docs/issue-codes.md).
    pub code: IssueCode,
    /// JSON Pointer (RFC 6901) to the offending value, relative to the record; `""` is the record itself.
    pub path: String,
    /// A sentence a person understands.
    pub message: String,
    /// Byte offset in the input, when the input was text or bytes.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number"))]
    pub offset: Option<u64>,
    /// Position of the record in a batch (0-based).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number"))]
    pub index: Option<u64>,
    /// 1-based line of the record, for NDJSON and multi-line input.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number"))]
    pub line: Option<u64>,
}

/// Positions are plain JS numbers even inside results that carry `bigint`s (exact up to 2^53 bytes, so a stream
/// far beyond 4 GiB still gets exact offsets).
fn as_number<S: serde::Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.serialize_f64(*n as f64),
        None => s.serialize_none(),
    }
}

impl Issue {
    pub fn new(severity: Severity, code: IssueCode, path: &str, message: String) -> Issue {
        Issue {
            severity,
            code,
            path: path.to_string(),
            message,
            offset: None,
            index: None,
            line: None,
        }
    }

    /// An error at `path` (a JSON Pointer).
    pub fn error(code: IssueCode, path: &str, message: String) -> Issue {
        Issue::new(Severity::Error, code, path, message)
    }

    /// A warning at `path` (a JSON Pointer).
    pub fn warning(code: IssueCode, path: &str, message: String) -> Issue {
        Issue::new(Severity::Warning, code, path, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Writes issues with their positions as plain numbers, whatever the serializer does with `usize` (with bigints
/// enabled for the `uint64` values of a call, serde-wasm-bindgen would write every `usize` as a `bigint`).
pub fn serialize_issues<S: serde::Serializer>(issues: &[Issue], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Plain<'a> {
        severity: Severity,
        code: &'a str,
        path: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        offset: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<f64>,
    }
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(issues.len()))?;
    for i in issues {
        seq.serialize_element(&Plain {
            severity: i.severity,
            code: i.code.as_str(),
            path: &i.path,
            message: &i.message,
            offset: i.offset.map(|v| v as f64),
            index: i.index.map(|v| v as f64),
            line: i.line.map(|v| v as f64),
        })?;
    }
    seq.end()
}

/// Appends one reference token to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    for c in token.chars() {
        match c {
            '~' => s.push_str("~0"),
            '/' => s.push_str("~1"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde writes each code as its variant name in snake_case; that must be exactly `as_str`, or the wire and
    /// the list exported to JavaScript would disagree.
    #[test]
    fn codes_are_written_as_listed() {
        let mut seen = std::collections::HashSet::new();
        for &code in IssueCode::ALL {
            let mut snake = String::new();
            for (i, c) in format!("{code:?}").chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            assert_eq!(snake, code.as_str());
            assert_eq!(IssueCode::parse(code.as_str()), Some(code));
            assert!(seen.insert(code), "{code} listed twice");
        }
        assert_eq!(IssueCode::parse("nope"), None);
    }

    #[test]
    fn pointer_escapes_tokens() {
        assert_eq!(pointer("", "stats"), "/stats");
        assert_eq!(pointer("/env_vars", "a/b~c"), "/env_vars/a~1b~0c");
    }
}
