//! Reading one call (or call log) from a parsed JSON tree, with every check of `docs/model.md`.
//!
//! Reading never stops at the first problem: it fills a `Call` the way Go's decoder would and records every issue
//! on the way. Errors are what Go would refuse or a declared domain violated; warnings are what Go accepts but the
//! model's comments or the servers' habits contradict (`docs/model.md#errors-and-warnings`).

use crate::datetime::GoTime;
use crate::generation;
use crate::id::{check_id, id_time_millis};
use crate::issue::{pointer, Issue, IssueCode, Severity};
use crate::json::{JsonString, Member, Node, Value};
use crate::model::{Call, CallLog, Stat};
use crate::status::{CallFormat, CallStatus, CallType, Mode};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Where a value sits, as a chain of borrowed tokens: rendered to a JSON Pointer only when an issue is reported,
/// so reading a clean record builds no path strings.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

pub static ROOT: Path<'static> = Path::Root;

/// The path of a top-level key.
pub fn top(name: &'static str) -> Path<'static> {
    Path::Key(&ROOT, name)
}

impl Path<'_> {
    pub fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => pointer(&parent.render(), key),
            Path::Index(parent, i) => pointer(&parent.render(), &i.to_string()),
        }
    }
}

/// The server keeps at most this many stats samples per call.
pub const MAX_STATS: usize = 240;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub mode: Mode,
}

/// Collects issues for one record.
pub struct Reporter {
    pub issues: Vec<Issue>,
    /// Offsets are only meaningful when the input was text or bytes.
    pub with_offsets: bool,
}

impl Reporter {
    pub fn new(with_offsets: bool) -> Self {
        Reporter {
            issues: Vec::new(),
            with_offsets,
        }
    }

    pub fn add(
        &mut self,
        severity: Severity,
        code: IssueCode,
        path: &Path,
        offset: usize,
        message: String,
    ) {
        let mut issue = Issue::new(severity, code, &path.render(), message);
        if self.with_offsets {
            issue.offset = Some(offset as u64);
        }
        self.issues.push(issue);
    }

    pub fn error(&mut self, code: IssueCode, path: &Path, offset: usize, message: String) {
        self.add(Severity::Error, code, path, offset, message);
    }

    pub fn warn(&mut self, code: IssueCode, path: &Path, offset: usize, message: String) {
        self.add(Severity::Warning, code, path, offset, message);
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Id,
    Status,
    AppName,
    Path,
    Image,
    Delay,
    Type,
    Format,
    Payload,
    Url,
    Method,
    Priority,
    Timeout,
    IdleTimeout,
    Memory,
    BaseEnv,
    EnvVars,
    CompletedAt,
    CreatedAt,
    StartedAt,
    Stats,
    Error,
    AppId,
    FnId,
    TriggerId,
    TmpfsSize,
    Cpus,
    Config,
    Annotations,
    Headers,
    SyslogUrl,
    ExecutionDuration,
}

const CALL_FIELDS: [(&str, Field); 32] = [
    ("id", Field::Id),
    ("status", Field::Status),
    ("app_name", Field::AppName),
    ("path", Field::Path),
    ("image", Field::Image),
    ("delay", Field::Delay),
    ("type", Field::Type),
    ("format", Field::Format),
    ("payload", Field::Payload),
    ("url", Field::Url),
    ("method", Field::Method),
    ("priority", Field::Priority),
    ("timeout", Field::Timeout),
    ("idle_timeout", Field::IdleTimeout),
    ("memory", Field::Memory),
    ("base_env", Field::BaseEnv),
    ("env_vars", Field::EnvVars),
    ("completed_at", Field::CompletedAt),
    ("created_at", Field::CreatedAt),
    ("started_at", Field::StartedAt),
    ("stats", Field::Stats),
    ("error", Field::Error),
    ("app_id", Field::AppId),
    ("fn_id", Field::FnId),
    ("trigger_id", Field::TriggerId),
    ("tmpfs_size", Field::TmpfsSize),
    ("cpus", Field::Cpus),
    ("config", Field::Config),
    ("annotations", Field::Annotations),
    ("headers", Field::Headers),
    ("syslog_url", Field::SyslogUrl),
    ("execution_duration", Field::ExecutionDuration),
];

/// Go's case-insensitive key match (`encoding/json` uses Unicode simple folding, under which the Kelvin sign
/// folds to `k` and the long s to `s`; every field name here is lower-case ASCII).
pub fn fold_eq(key: &str, name: &str) -> bool {
    let mut k = key.chars().map(|c| match c {
        '\u{212A}' => 'k',
        '\u{017F}' => 's',
        c => c.to_ascii_lowercase(),
    });
    let mut n = name.chars();
    loop {
        match (k.next(), n.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// Matches the members of an object to a field table the way Go does: exact name first, then case-insensitively.
/// Unknown keys, case-only matches and repeated fields are warned about; the last value wins, as in Go.
fn match_members<'n, 'a, F: Copy + PartialEq>(
    members: &'n [Member<'a>],
    table: &[(&'static str, F)],
    known_extra: &[&str],
    base: &Path,
    r: &mut Reporter,
) -> Vec<(F, &'static str, &'n Node<'a>)> {
    let mut seen: Vec<(F, &str)> = Vec::new();
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        let key: &str = &m.key.text;
        let kpath = Path::Key(base, key);
        if m.key.lone_surrogate {
            r.warn(
                IssueCode::LoneSurrogate,
                &kpath,
                m.key_offset,
                "the key contains an escaped lone surrogate; it was replaced by U+FFFD as Go does"
                    .to_string(),
            );
        }
        let exact = table.iter().find(|(n, _)| *n == key);
        let found = exact.or_else(|| table.iter().find(|(n, _)| fold_eq(key, n)));
        let Some((name, field)) = found else {
            if !known_extra.contains(&key) {
                r.warn(
                    IssueCode::UnknownKey,
                    &kpath,
                    m.key_offset,
                    format!("'{key}' is not a key of this model; Go ignores it and it is lost when the call is written again"),
                );
            }
            continue;
        };
        if exact.is_none() {
            r.warn(
                IssueCode::KeyCase,
                &kpath,
                m.key_offset,
                format!("'{key}' differs from the key '{name}' only in case; Go accepts it, the server never writes it"),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(f, _)| f == field) {
            r.warn(
                IssueCode::DuplicateKey,
                &kpath,
                m.key_offset,
                format!("'{name}' is given more than once (first as '{first}'); the last value is used, as in Go and JSON.parse"),
            );
        } else {
            seen.push((*field, key));
        }
        out.push((*field, *name, &m.value));
    }
    out
}

fn lone_surrogate_check(s: &JsonString, path: &Path, offset: usize, r: &mut Reporter) {
    if s.lone_surrogate {
        r.warn(
            IssueCode::LoneSurrogate,
            path,
            offset,
            "the string contains an escaped lone surrogate (\\ud800–\\udfff alone); it was replaced by U+FFFD as Go does"
                .to_string(),
        );
    }
}

/// A string field: Go leaves the field unchanged for `null`.
fn read_string(node: &Node, path: &Path, r: &mut Reporter) -> Option<String> {
    match &node.value {
        Value::String(s) => {
            lone_surrogate_check(s, path, node.offset, r);
            Some(s.text.to_string())
        }
        Value::Null => {
            r.warn(
                IssueCode::NullValue,
                path,
                node.offset,
                "null here is ignored by Go, which keeps the field empty".to_string(),
            );
            None
        }
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!("expected a string, found {}", other.type_name()),
            );
            None
        }
    }
}

enum IntError {
    NotInteger,
    OutOfRange,
}

/// The integer a JSON number's text denotes, if Go would read it as an integer at all.
fn integer_text(text: &str) -> Result<i128, IntError> {
    if text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return Err(IntError::NotInteger);
    }
    if text.len() > 30 {
        return Err(IntError::OutOfRange);
    }
    text.parse::<i128>().map_err(|_| IntError::OutOfRange)
}

fn read_integer(
    node: &Node,
    path: &Path,
    go_type: &str,
    min: i128,
    max: i128,
    r: &mut Reporter,
) -> Option<i128> {
    match &node.value {
        // Go's unsigned integers (`strconv.ParseUint`) take no sign at all: `-0` is refused like `-1`, while the
        // signed ones read `-0` as 0.
        Value::Number(text) if min == 0 && text.starts_with('-') && integer_text(text).is_ok() => {
            r.error(
                IssueCode::OutOfRange,
                path,
                node.offset,
                format!(
                    "{text} does not fit Go's {go_type}, which takes no minus sign, not even on 0"
                ),
            );
            None
        }
        Value::Number(text) => match integer_text(text) {
            Ok(v) if v >= min && v <= max => Some(v),
            Ok(_) | Err(IntError::OutOfRange) => {
                r.error(
                    IssueCode::OutOfRange,
                    path,
                    node.offset,
                    format!("{text} does not fit Go's {go_type} ({min} to {max})"),
                );
                None
            }
            Err(IntError::NotInteger) => {
                r.error(
                    IssueCode::NotInteger,
                    path,
                    node.offset,
                    format!("{text} is not an integer to Go ({go_type} takes digits only: no fraction, no exponent)"),
                );
                None
            }
        },
        Value::Null => {
            r.warn(
                IssueCode::NullValue,
                path,
                node.offset,
                "null here is ignored by Go, which keeps the field at 0".to_string(),
            );
            None
        }
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!("expected a {go_type} number, found {}", other.type_name()),
            );
            None
        }
    }
}

fn read_i32(node: &Node, path: &Path, r: &mut Reporter) -> Option<i32> {
    read_integer(
        node,
        path,
        "int32",
        i128::from(i32::MIN),
        i128::from(i32::MAX),
        r,
    )
    .and_then(|v| i32::try_from(v).ok())
}

fn read_u64(node: &Node, path: &Path, r: &mut Reporter) -> Option<u64> {
    read_integer(node, path, "uint64", 0, i128::from(u64::MAX), r)
        .and_then(|v| u64::try_from(v).ok())
}

fn read_u32(node: &Node, path: &Path, r: &mut Reporter) -> Option<u32> {
    read_integer(node, path, "uint32", 0, i128::from(u32::MAX), r)
        .and_then(|v| u32::try_from(v).ok())
}

fn read_i64(node: &Node, path: &Path, r: &mut Reporter) -> Option<i64> {
    read_integer(
        node,
        path,
        "int64",
        i128::from(i64::MIN),
        i128::from(i64::MAX),
        r,
    )
    .and_then(|v| i64::try_from(v).ok())
}

/// The largest CPU limit the server accepts, in millicores (1024 CPUs).
const MAX_MILLICPUS: u64 = 1_024_000;

/// `cpus` as Go's `MilliCPUs` reads it: a string, `"100m"` (millicores) or `"0.1"` (CPUs), at most 1024 CPUs;
/// `null` and `""` are 0. A number is refused (Go's reader answers "Invalid JSON" and drops the whole call).
fn read_cpus(node: &Node, path: &Path, r: &mut Reporter) -> Option<u64> {
    let text = match &node.value {
        Value::Null => return Some(0),
        Value::String(s) => s.text.trim().to_string(),
        other => {
            r.error(
                IssueCode::BadCpus,
                path,
                node.offset,
                format!(
                    "cpus must be a string like \"100m\" or \"0.1\", found {}",
                    other.type_name()
                ),
            );
            return None;
        }
    };
    if text.is_empty() {
        return Some(0);
    }
    let milli = if let Some(m) = text.strip_suffix('m') {
        // Go's `strconv.ParseUint`: digits only (Rust's parser would also take a leading `+`).
        Some(m)
            .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|m| m.parse::<u64>().ok())
            .filter(|v| *v <= MAX_MILLICPUS)
    } else {
        millicpus_of_decimal(&text)
    };
    if milli.is_none() {
        r.error(
            IssueCode::BadCpus,
            path,
            node.offset,
            format!("'{text}' is not a CPU limit: expected millicores like \"100m\" or CPUs like \"0.1\", at most 1024 CPUs"),
        );
    }
    milli
}

/// CPUs written as a decimal (`"0.1"`, `"2"`, `"1.5e-1"`): what Go's `strconv.ParseFloat` then `uint64(f * 1000)`
/// give, within 0 to 1024 CPUs; `None` for anything else (`inf`, `nan`, a bad number, out of range).
///
/// The answer is the float one exactly (the text rounded to the nearest `f64`, times 1000 rounded again, the
/// fraction dropped), but worked out on the decimal digits: a float parser would add some 16 KB of code and tables
/// to the wasm module for this one field. Both roundings only ever move the answer to a neighbour of
/// `floor(text × 1000)`, so the digits give that, and an exact comparison with the rounding boundary of each
/// neighbour settles it.
fn millicpus_of_decimal(text: &str) -> Option<u64> {
    let (negative, digits, point) = decimal_digits(text)?;
    if digits.is_empty() {
        return Some(0); // zero, either sign
    }
    if negative {
        // Only a value that rounds to -0.0 (at most half the smallest subnormal, 2^-1075) is in range.
        return (cmp_decimal(&digits, point, 1, -1075) != Ordering::Greater).then_some(0);
    }
    if point > 5 {
        return None; // 10^5 or more
    }
    // In range when it rounds to at most 1024.0: up to the midpoint of 1024 and the next float, a tie going to
    // 1024 (its mantissa is even).
    let top = 1024f64;
    let (m, e) = midpoint(top, top.next_up());
    if cmp_decimal(&digits, point, m, e) == Ordering::Greater {
        return None;
    }
    // floor(text × 1000) from the digits: the first `point + 3` of them.
    let whole = usize::try_from(point + 3).unwrap_or(0);
    let floor = digits
        .iter()
        .chain(std::iter::repeat(&0))
        .take(whole)
        .fold(0u64, |n, d| n * 10 + u64::from(*d));
    // The largest k near it for which the rounded text times 1000 reaches k.
    (floor.saturating_sub(1)..=floor + 2)
        .rev()
        .find(|k| *k == 0 || reaches(&digits, point, *k))
}

/// Whether `f64(text) * 1000.0 >= k`: the text is at least the rounding boundary below the smallest float that
/// does (above it, or on it with that float's mantissa even).
fn reaches(digits: &[u8], point: i64, k: u64) -> bool {
    let goal = k as f64;
    let mut y = goal / 1000.0;
    while y > 0.0 && y.next_down() * 1000.0 >= goal {
        y = y.next_down();
    }
    while y * 1000.0 < goal {
        y = y.next_up();
    }
    let (m, e) = midpoint(y.next_down(), y);
    match cmp_decimal(digits, point, m, e) {
        Ordering::Greater => true,
        Ordering::Equal => y.to_bits() & 1 == 0,
        Ordering::Less => false,
    }
}

/// A decimal's sign, significant digits (no leading or trailing zeros; empty for zero) and the place of its point
/// (the value is `0.d1d2… × 10^point`), in the grammar Rust's and Go's float parsers share for plain decimals:
/// an optional sign, digits with an optional point (at least one digit), an optional exponent. `None` for anything
/// else, `inf` and `nan` included (neither is a CPU count).
fn decimal_digits(text: &str) -> Option<(bool, Vec<u8>, i64)> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, bytes),
    };
    let (mantissa, exponent) = match rest.iter().position(|b| *b == b'e' || *b == b'E') {
        Some(i) => (rest.get(..i)?, Some(rest.get(i + 1..)?)),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.iter().position(|b| *b == b'.') {
        Some(i) => (mantissa.get(..i)?, mantissa.get(i + 1..)?),
        None => (mantissa, &[][..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(e) = exponent {
        let (sign, e) = match e.split_first() {
            Some((b'-', r)) => (-1, r),
            Some((b'+', r)) => (1, r),
            _ => (1, e),
        };
        if e.is_empty() || !all_digits(e) {
            return None;
        }
        // Past a billion the value is 0 or out of range whatever the digits: saturate.
        exp = sign
            * e.iter().fold(0i64, |n, d| {
                (n * 10 + i64::from(d - b'0')).min(1_000_000_000)
            });
    }
    let leading = int.iter().take_while(|d| **d == b'0').count();
    let mut point = (int.len() - leading) as i64 + exp;
    let mut digits: Vec<u8> = int.get(leading..)?.iter().map(|d| d - b'0').collect();
    if digits.is_empty() {
        let zeros = frac.iter().take_while(|d| **d == b'0').count();
        point -= zeros as i64;
        digits.extend(frac.get(zeros..)?.iter().map(|d| d - b'0'));
    } else {
        digits.extend(frac.iter().map(|d| d - b'0'));
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    Some((negative, digits, point))
}

/// The exact midpoint of two adjacent positive floats `a < b`, as `m × 2^e`.
fn midpoint(a: f64, b: f64) -> (u128, i64) {
    let parts = |f: f64| {
        let bits = f.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = u128::from(bits & ((1 << 52) - 1));
        if exp == 0 {
            (frac, -1074)
        } else {
            (frac | 1 << 52, exp - 1075)
        }
    };
    let ((ma, ea), (mb, eb)) = (parts(a), parts(b));
    let e = ea.min(eb);
    let sum = (ma << (ea - e)) + (mb << (eb - e));
    (sum, e - 1)
}

/// Compares the decimal `0.digits × 10^point` (significant digits, no trailing zero) with `m × 2^e`, exactly: the
/// dyadic number's decimal digits are worked out (`m × 5^-e / 10^-e` for a negative `e`).
fn cmp_decimal(digits: &[u8], point: i64, m: u128, e: i64) -> Ordering {
    // Little-endian limbs of nine decimal digits.
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = Vec::new();
    let mut rest = m;
    while rest > 0 {
        limbs.push((rest % u128::from(BASE)) as u64);
        rest /= u128::from(BASE);
    }
    let times = |limbs: &mut Vec<u64>, by: u64| {
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let v = *limb * by + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    };
    for _ in 0..e.unsigned_abs() {
        times(&mut limbs, if e < 0 { 5 } else { 2 });
    }
    let mut other: Vec<u8> = Vec::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        let text = if i == 0 {
            limb.to_string()
        } else {
            format!("{limb:09}")
        };
        other.extend(text.bytes().map(|b| b - b'0'));
    }
    let other_point = other.len() as i64 + e.min(0);
    while other.last() == Some(&0) {
        other.pop();
    }
    match (digits.is_empty(), other.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    point.cmp(&other_point).then_with(|| digits.cmp(&other))
}

/// `annotations`: each value any JSON, kept as its compact text. In a JavaScript object each value is that text
/// (what the package hands out); a value that is not a string there is taken as the JSON value itself.
fn read_annotations(
    node: &Node,
    path: &Path,
    r: &mut Reporter,
) -> Option<BTreeMap<String, String>> {
    let members = match &node.value {
        Value::Object(members) => members,
        Value::Null => return Some(BTreeMap::new()),
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!(
                    "expected an object of annotations, found {}",
                    other.type_name()
                ),
            );
            return None;
        }
    };
    // Offsets exist only for text and bytes; without them the input was a JavaScript object.
    let from_object = !r.with_offsets;
    let mut map = BTreeMap::new();
    for m in members {
        let p = Path::Key(path, &m.key.text);
        lone_surrogate_check(&m.key, &p, m.key_offset, r);
        let mut text = String::new();
        match (&m.value.value, from_object) {
            (Value::String(s), true) => match crate::json::parse(s.text.as_bytes()) {
                Ok(inner) => crate::json::compact(&inner, &mut text),
                Err(_) => {
                    r.error(
                        IssueCode::BadAnnotation,
                        &p,
                        m.value.offset,
                        format!("in a call object an annotation is its JSON text: {:?} is not JSON (for the string, write {:?})", s.text, format!("\"{}\"", s.text)),
                    );
                    continue;
                }
            },
            _ => crate::json::compact(&m.value, &mut text),
        }
        map.insert(m.key.text.to_string(), text);
    }
    Some(map)
}

/// `headers`: Go's `http.Header`, each name to a list of strings (`null` for a nil list).
fn read_headers(
    node: &Node,
    path: &Path,
    r: &mut Reporter,
) -> Option<BTreeMap<String, Option<Vec<String>>>> {
    let members = match &node.value {
        Value::Object(members) => members,
        Value::Null => return Some(BTreeMap::new()),
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!(
                    "expected an object of header lists, found {}",
                    other.type_name()
                ),
            );
            return None;
        }
    };
    let mut map = BTreeMap::new();
    for m in members {
        let p = Path::Key(path, &m.key.text);
        lone_surrogate_check(&m.key, &p, m.key_offset, r);
        let values = match &m.value.value {
            Value::Null => None,
            Value::Array(items) => {
                let mut vs = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let ip = Path::Index(&p, i);
                    match &item.value {
                        Value::String(s) => {
                            lone_surrogate_check(s, &ip, item.offset, r);
                            vs.push(s.text.to_string());
                        }
                        Value::Null => vs.push(String::new()),
                        other => {
                            r.error(
                                IssueCode::WrongType,
                                &ip,
                                item.offset,
                                format!("expected a string, found {}", other.type_name()),
                            );
                        }
                    }
                }
                Some(vs)
            }
            other => {
                r.error(
                    IssueCode::WrongType,
                    &p,
                    m.value.offset,
                    format!("expected a list of strings, found {}", other.type_name()),
                );
                continue;
            }
        };
        map.insert(m.key.text.to_string(), values);
    }
    Some(map)
}

fn read_time(node: &Node, path: &Path, r: &mut Reporter) -> Option<GoTime> {
    match &node.value {
        Value::String(s) => {
            if s.text.is_empty() {
                r.warn(
                    IssueCode::DatetimeEmpty,
                    path,
                    node.offset,
                    "an empty date-time is read by the server as 1970-01-01T00:00:00Z".to_string(),
                );
            }
            match GoTime::parse(&s.text) {
                Ok(t) => Some(t),
                Err(msg) => {
                    r.error(IssueCode::BadDatetime, path, node.offset, msg);
                    None
                }
            }
        }
        Value::Null => {
            r.error(
                IssueCode::BadDatetime,
                path,
                node.offset,
                "null is not a date-time; the server rejects it (write 0001-01-01T00:00:00.000Z for \"not set\")".to_string(),
            );
            None
        }
        other => {
            r.error(
                IssueCode::BadDatetime,
                path,
                node.offset,
                format!(
                    "expected an RFC 3339 date-time string, found {}",
                    other.type_name()
                ),
            );
            None
        }
    }
}

fn read_env(node: &Node, path: &Path, r: &mut Reporter) -> Option<BTreeMap<String, String>> {
    match &node.value {
        Value::Object(members) => {
            let mut map = BTreeMap::new();
            for m in members {
                let p = Path::Key(path, &m.key.text);
                lone_surrogate_check(&m.key, &p, m.key_offset, r);
                if map.contains_key(&*m.key.text) {
                    r.warn(
                        IssueCode::DuplicateKey,
                        &p,
                        m.key_offset,
                        format!(
                            "'{}' is given more than once; the last value is used",
                            m.key.text
                        ),
                    );
                }
                let value = match &m.value.value {
                    Value::String(s) => {
                        lone_surrogate_check(s, &p, m.value.offset, r);
                        s.text.to_string()
                    }
                    Value::Null => {
                        r.warn(
                            IssueCode::NullValue,
                            &p,
                            m.value.offset,
                            "null in a string map is read by Go as \"\"".to_string(),
                        );
                        String::new()
                    }
                    other => {
                        r.error(
                            IssueCode::WrongType,
                            &p,
                            m.value.offset,
                            format!("expected a string, found {}", other.type_name()),
                        );
                        continue;
                    }
                };
                map.insert(m.key.text.to_string(), value);
            }
            Some(map)
        }
        Value::Null => Some(BTreeMap::new()),
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!("expected an object of strings, found {}", other.type_name()),
            );
            None
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum StatField {
    Timestamp,
    Metrics,
}

fn read_stat(node: &Node, path: &Path, r: &mut Reporter) -> Option<Stat> {
    let Value::Object(members) = &node.value else {
        if node.value == Value::Null {
            // Go decodes null into a zero Stat.
            r.warn(
                IssueCode::NullValue,
                path,
                node.offset,
                "a null stats sample is read by Go as an empty one".to_string(),
            );
            return Some(Stat::default());
        }
        r.error(
            IssueCode::WrongType,
            path,
            node.offset,
            format!(
                "expected a stats sample object, found {}",
                node.value.type_name()
            ),
        );
        return None;
    };
    let mut stat = Stat::default();
    let table = [
        ("timestamp", StatField::Timestamp),
        ("metrics", StatField::Metrics),
    ];
    let mut has_timestamp = false;
    for (field, name, v) in match_members(members, &table, &[], path, r) {
        let p = Path::Key(path, name);
        match field {
            StatField::Timestamp => {
                has_timestamp = true;
                if let Some(t) = read_time(v, &p, r) {
                    stat.timestamp = t;
                }
            }
            StatField::Metrics => match &v.value {
                Value::Null => stat.metrics = None,
                Value::Object(ms) => {
                    let mut map = BTreeMap::new();
                    for m in ms {
                        let mp = Path::Key(&p, &m.key.text);
                        lone_surrogate_check(&m.key, &mp, m.key_offset, r);
                        if map.contains_key(&*m.key.text) {
                            r.warn(
                                IssueCode::DuplicateKey,
                                &mp,
                                m.key_offset,
                                format!(
                                    "'{}' is given more than once; the last value is used",
                                    m.key.text
                                ),
                            );
                        }
                        if m.value.value == Value::Null {
                            r.warn(
                                IssueCode::NullValue,
                                &mp,
                                m.value.offset,
                                "null in a metrics map is read by Go as 0".to_string(),
                            );
                            map.insert(m.key.text.to_string(), 0);
                        } else if let Some(n) = read_u64(&m.value, &mp, r) {
                            map.insert(m.key.text.to_string(), n);
                        }
                    }
                    stat.metrics = Some(map);
                }
                other => {
                    r.error(
                        IssueCode::WrongType,
                        &p,
                        v.offset,
                        format!("expected an object of numbers, found {}", other.type_name()),
                    );
                }
            },
        }
    }
    if !has_timestamp {
        r.warn(
            IssueCode::MissingKey,
            &Path::Key(path, "timestamp"),
            node.offset,
            "the sample has no timestamp".to_string(),
        );
    }
    Some(stat)
}

fn read_stats(node: &Node, path: &Path, r: &mut Reporter) -> Option<Vec<Stat>> {
    match &node.value {
        Value::Array(items) => {
            if items.len() > MAX_STATS {
                r.warn(
                    IssueCode::StatsCount,
                    path,
                    node.offset,
                    format!(
                        "{} stats samples; the server keeps at most {MAX_STATS} per call",
                        items.len()
                    ),
                );
            }
            let mut stats = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = read_stat(item, &Path::Index(path, i), r) {
                    stats.push(s);
                }
            }
            Some(stats)
        }
        Value::Null => Some(Vec::new()),
        other => {
            r.error(
                IssueCode::WrongType,
                path,
                node.offset,
                format!(
                    "expected an array of stats samples, found {}",
                    other.type_name()
                ),
            );
            None
        }
    }
}

fn enum_domain<T>(
    node: &Node,
    path: &Path,
    r: &mut Reporter,
    code: IssueCode,
    what: &str,
    allowed: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Option<T>> {
    let s = read_string(node, path, r)?;
    if s.is_empty() {
        return Some(None);
    }
    match parse(&s) {
        Some(v) => Some(Some(v)),
        None => {
            r.error(
                code,
                path,
                node.offset,
                format!("'{s}' is not a {what}: expected {allowed}"),
            );
            None
        }
    }
}

/// Reads one call object. `node` must be the call itself (envelopes are unwrapped by the caller). Returns the call
/// as Go would have read it; it is only trustworthy when no error issue was added.
pub fn read_call(node: &Node, opts: ReadOptions, r: &mut Reporter) -> Call {
    let mut call = Call::default();
    let Value::Object(members) = &node.value else {
        r.error(
            IssueCode::NotObject,
            &ROOT,
            node.offset,
            format!(
                "a call must be a JSON object, found {}",
                node.value.type_name()
            ),
        );
        return call;
    };
    if let Some(message) = server_error_message(members) {
        r.error(
            IssueCode::ServerError,
            &top("error"),
            node.offset,
            format!("this is the server's error answer, not a call: \"{message}\""),
        );
        return call;
    }
    // The old `fn` command's `--output json` (`fn list calls`, until 2019): its own camelCase keys. Read as the
    // call they describe, with a warning that this is not the server's JSON.
    let translated;
    let members: &[Member] = match fn_cli_keys(members) {
        None => members,
        Some(renamed) => {
            r.warn(
                IssueCode::FnCliOutput,
                &ROOT,
                node.offset,
                "this is the output of the fn command (fn list calls --output json: appId, createdAt, errorReason…), not the server's JSON; it is read as the call it describes".to_string(),
            );
            translated = renamed;
            &translated
        }
    };
    let mut present: Vec<Field> = Vec::new();
    let mut offsets: Vec<(&'static str, usize)> = Vec::with_capacity(members.len());
    let mut status_text: Option<String> = None;
    for (field, name, v) in match_members(members, &CALL_FIELDS, &[], &ROOT, r) {
        let p = Path::Key(&ROOT, name);
        present.push(field);
        offsets.push((name, v.offset));
        let s = &mut call;
        match field {
            Field::Id => set(&mut s.id, read_string(v, &p, r)),
            Field::AppName => set(&mut s.app_name, read_string(v, &p, r)),
            Field::Path => set(&mut s.path, read_string(v, &p, r)),
            Field::Image => set(&mut s.image, read_string(v, &p, r)),
            Field::Payload => set(&mut s.payload, read_string(v, &p, r)),
            Field::Url => set(&mut s.url, read_string(v, &p, r)),
            Field::Method => set(&mut s.method, read_string(v, &p, r)),
            Field::Error => set(&mut s.error, read_string(v, &p, r)),
            Field::AppId => s.app_id = Some(read_string(v, &p, r).unwrap_or_default()),
            Field::FnId => s.fn_id = Some(read_string(v, &p, r).unwrap_or_default()),
            Field::TriggerId => s.trigger_id = Some(read_string(v, &p, r).unwrap_or_default()),
            Field::TmpfsSize => set(&mut s.tmpfs_size, read_u32(v, &p, r)),
            Field::Cpus => set(&mut s.cpus, read_cpus(v, &p, r)),
            Field::Config => set(&mut s.config, read_env(v, &p, r)),
            Field::Annotations => set(&mut s.annotations, read_annotations(v, &p, r)),
            Field::Headers => set(&mut s.headers, read_headers(v, &p, r)),
            Field::SyslogUrl => set(&mut s.syslog_url, read_string(v, &p, r)),
            Field::ExecutionDuration => set(&mut s.execution_duration, read_i64(v, &p, r)),
            Field::Delay => set(&mut s.delay, read_i32(v, &p, r)),
            Field::Timeout => set(&mut s.timeout, read_i32(v, &p, r)),
            Field::IdleTimeout => set(&mut s.idle_timeout, read_i32(v, &p, r)),
            Field::Memory => set(&mut s.memory, read_u64(v, &p, r)),
            Field::Priority => {
                if v.value == Value::Null {
                    s.priority = None; // a nil pointer
                } else if let Some(n) = read_i32(v, &p, r) {
                    if !(0..=2).contains(&n) {
                        r.error(
                            IssueCode::BadPriority,
                            &p,
                            v.offset,
                            format!("priority {n} is outside the declared 0, 1, 2"),
                        );
                    }
                    s.priority = Some(n);
                }
            }
            Field::BaseEnv => set(&mut s.base_env, read_env(v, &p, r)),
            Field::EnvVars => set(&mut s.env_vars, read_env(v, &p, r)),
            Field::CompletedAt => set(&mut s.completed_at, read_time(v, &p, r)),
            Field::CreatedAt => set(&mut s.created_at, read_time(v, &p, r)),
            Field::StartedAt => set(&mut s.started_at, read_time(v, &p, r)),
            Field::Stats => set(&mut s.stats, read_stats(v, &p, r)),
            Field::Type => {
                if let Some(t) = enum_domain(
                    v,
                    &p,
                    r,
                    IssueCode::BadType,
                    "call type",
                    "\"sync\", \"async\", \"detached\" or \"\"",
                    CallType::parse,
                ) {
                    s.call_type = t;
                }
            }
            Field::Format => {
                if let Some(f) = enum_domain(
                    v,
                    &p,
                    r,
                    IssueCode::BadFormat,
                    "call format",
                    "\"default\", \"http\", \"json\" or \"\"",
                    CallFormat::parse,
                ) {
                    s.format = f;
                }
            }
            Field::Status => {
                if let Some(text) = read_string(v, &p, r) {
                    // Consistency checks use the status only when it is a known one (or "").
                    let before = r.issues.len();
                    read_status(&text, v.offset, opts.mode, r, &mut s.status);
                    let known = text.is_empty() || CallStatus::parse(&text).is_some();
                    status_text = (known || r.issues.len() == before).then_some(text);
                }
            }
        }
    }
    if present.is_empty() {
        let keys: Vec<&str> = members.iter().take(4).map(|m| &*m.key.text).collect();
        r.error(
            IssueCode::NotACall,
            &ROOT,
            node.offset,
            if keys.is_empty() {
                "the object is empty: none of a call's keys (id, status, app_name, …) is present"
                    .to_string()
            } else {
                format!(
                    "none of a call's keys (id, status, app_name, …) is present; found {}",
                    keys.join(", ")
                )
            },
        );
        return call;
    }
    let mut names: Vec<&'static str> = present
        .iter()
        .filter_map(|f| CALL_FIELDS.iter().find(|(_, g)| g == f).map(|(n, _)| *n))
        .collect();
    names.dedup();
    call.generation = generation::detect(&names);
    match call.generation.and_then(|g| generation::GENERATIONS.get(g)) {
        Some(g) => {
            // A record of the releases with app_id, fn_id and trigger_id reads as Go reads it: the ones it lacks
            // are empty (and written so), so writing and reading again gives the same call.
            if call.is_v2() {
                for (key, slot) in [
                    ("app_id", &mut call.app_id),
                    ("fn_id", &mut call.fn_id),
                    ("trigger_id", &mut call.trigger_id),
                ] {
                    if g.keys.iter().any(|k| k.name == key && k.always) {
                        slot.get_or_insert_with(String::new);
                    }
                }
            }
        }
        None => {
            let pairs: Vec<String> = generation::conflicts(&names)
                .iter()
                .map(|(a, b)| format!("{a} with {b}"))
                .collect();
            r.warn(
                IssueCode::MixedGenerations,
                &ROOT,
                node.offset,
                format!(
                    "no Fn release wrote these keys together ({}); the call is read, and written with every key it has",
                    pairs.join(", ")
                ),
            );
        }
    }
    check_call(
        &CallFacts::of(&call),
        &names,
        &offsets,
        status_text.as_deref(),
        node.offset,
        r,
    );
    call
}

/// The keys of the `fn` command's JSON output of a call, and the server's keys they stand for.
const FN_CLI_KEYS: [(&str, &str); 6] = [
    ("appId", "app_id"),
    ("fnId", "fn_id"),
    ("createdAt", "created_at"),
    ("startedAt", "started_at"),
    ("completedAt", "completed_at"),
    ("errorReason", "error"),
];

/// The members with the `fn` command's keys renamed to the server's, when the object is that command's output
/// (it has one of its camelCase keys and none of the server's snake_case date-times).
fn fn_cli_keys<'a>(members: &[Member<'a>]) -> Option<Vec<Member<'a>>> {
    let cli = members
        .iter()
        .any(|m| FN_CLI_KEYS.iter().any(|(k, _)| *k == m.key.text));
    let server = members
        .iter()
        .any(|m| matches!(&*m.key.text, "created_at" | "started_at" | "completed_at"));
    if !cli || server {
        return None;
    }
    Some(
        members
            .iter()
            .map(|m| {
                let mut m = m.clone();
                if let Some((_, to)) = FN_CLI_KEYS.iter().find(|(k, _)| *k == m.key.text) {
                    m.key = JsonString::owned((*to).to_string(), false);
                }
                m
            })
            .collect(),
    )
}

/// The server's error body `{"error":{"message":"…"}}`, which is easy to mistake for a call (`error` is a call key).
fn server_error_message(members: &[Member]) -> Option<String> {
    let [only] = members else { return None };
    if only.key.text != "error" {
        return None;
    }
    let Value::Object(inner) = &only.value.value else {
        return None;
    };
    inner
        .iter()
        .find_map(|m| match (&*m.key.text, &m.value.value) {
            ("message", Value::String(s)) => Some(s.text.to_string()),
            _ => None,
        })
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

fn read_status(
    text: &str,
    offset: usize,
    mode: Mode,
    r: &mut Reporter,
    slot: &mut Option<CallStatus>,
) {
    let declared = "delayed, queued, running, success, error or cancelled";
    if text.is_empty() {
        *slot = None;
        if mode == Mode::Strict {
            r.error(
                IssueCode::BadStatus,
                &top("status"),
                offset,
                format!("an empty status is not one of the declared statuses ({declared}); the observed mode accepts it, as the async queue copy of a call has it"),
            );
        }
        return;
    }
    match CallStatus::parse(text) {
        Some(CallStatus::Timeout) if mode == Mode::Strict => {
            *slot = Some(CallStatus::Timeout);
            r.error(
                IssueCode::BadStatus,
                &top("status"),
                offset,
                format!("'timeout' is written by real servers but is not a declared status ({declared}); the observed mode accepts it"),
            );
        }
        Some(st) => *slot = Some(st),
        None => {
            let hint = if CallStatus::parse(&text.to_ascii_lowercase()).is_some() {
                " (statuses are lower case)"
            } else {
                ""
            };
            r.error(
                IssueCode::BadStatus,
                &top("status"),
                offset,
                format!("'{text}' is not a call status{hint}: expected {declared}, or timeout as real servers write"),
            );
        }
    }
}

/// What the checks between fields need of a call (from a `Call`, or from the bulk engine's fast lane).
#[derive(Debug, Clone, Copy)]
pub struct CallFacts<'a> {
    pub id: &'a str,
    pub status: Option<CallStatus>,
    pub path: &'a str,
    pub error: &'a str,
    pub delay: i32,
    pub timeout: i32,
    pub idle_timeout: i32,
    pub memory: u64,
    pub created_at: GoTime,
    pub started_at: GoTime,
    pub completed_at: GoTime,
    pub v2: bool,
    /// The generation its keys tell (`generation::detect` of the keys present).
    pub generation: Option<generation::GenerationId>,
}

impl<'a> CallFacts<'a> {
    pub fn of(c: &'a Call) -> CallFacts<'a> {
        CallFacts {
            id: &c.id,
            status: c.status,
            path: &c.path,
            error: &c.error,
            delay: c.delay,
            timeout: c.timeout,
            idle_timeout: c.idle_timeout,
            memory: c.memory,
            created_at: c.created_at,
            started_at: c.started_at,
            completed_at: c.completed_at,
            v2: c.is_v2(),
            generation: c.generation,
        }
    }
}

/// Checks between fields: all warnings, since Go accepts each field alone.
pub fn check_call(
    call: &CallFacts,
    present: &[&str],
    offsets: &[(&'static str, usize)],
    status_text: Option<&str>,
    record_offset: usize,
    r: &mut Reporter,
) {
    // Which of the keys the checks ask about are present, found in one pass over `present`.
    let tracked = |name: &str| -> u16 {
        match name {
            "id" => 1,
            "status" => 2,
            "app_name" => 4,
            "completed_at" => 8,
            "created_at" => 16,
            "started_at" => 32,
            "path" => 64,
            "app_id" => 128,
            "trigger_id" => 256,
            "fn_id" => 512,
            _ => 0,
        }
    };
    let mask = present.iter().fold(0u16, |m, p| m | tracked(p));
    let has = |name: &str| mask & tracked(name) != 0;
    let at = |name: &str| {
        offsets
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, o)| *o)
            .unwrap_or(record_offset)
    };
    // The keys the Go code of the record's generation always writes (for a record mixing generations, the keys
    // every generation writes).
    const EVERY_GENERATION: [&str; 5] =
        ["id", "status", "completed_at", "created_at", "started_at"];
    let generation = call.generation.and_then(|g| generation::GENERATIONS.get(g));
    let required = generation
        .map(|g| g.keys)
        .unwrap_or_default()
        .iter()
        .filter(|k| k.always)
        .map(|k| k.name)
        .chain(
            EVERY_GENERATION
                .iter()
                .copied()
                .filter(|_| generation.is_none()),
        );
    for name in required {
        if !has(name) {
            r.warn(
                IssueCode::MissingKey,
                &Path::Key(&ROOT, name),
                record_offset,
                format!("the call has no '{name}'; Go reads it as the zero value, and the server always writes it"),
            );
        }
    }

    let id_already_bad = r.issues.iter().any(|i| i.path == "/id");
    if has("id") && !id_already_bad {
        if let Err(msg) = check_id(call.id) {
            r.warn(IssueCode::IdFormat, &top("id"), at("id"), msg);
        } else if let Some(ms) = id_time_millis(call.id) {
            if !call.created_at.is_zero() {
                let created = call.created_at.unix_millis();
                if (ms - created).abs() > 1 {
                    r.warn(
                        IssueCode::IdTimeMismatch,
                        &top("id"),
                        at("id"),
                        format!(
                            "the id encodes creation at {} but created_at is {} ({} ms apart)",
                            millis_to_text(ms),
                            call.created_at.format(),
                            ms - created
                        ),
                    );
                }
            }
        }
    }

    if has("path") && !call.path.is_empty() && !call.path.starts_with('/') {
        r.warn(
            IssueCode::PathFormat,
            &top("path"),
            at("path"),
            format!("route path '{}' does not start with '/'", call.path),
        );
    }

    // Ranges the wire allows but the server never produces.
    if call.memory != 0 && !(1..=8191).contains(&call.memory) {
        r.warn(
            IssueCode::MemoryRange,
            &top("memory"),
            at("memory"),
            format!(
                "memory {} MB is outside the 1–8191 MB the server allows",
                call.memory
            ),
        );
    }
    for (name, v) in [
        ("delay", call.delay),
        ("timeout", call.timeout),
        ("idle_timeout", call.idle_timeout),
    ] {
        if v < 0 {
            r.warn(
                IssueCode::NegativeDuration,
                &Path::Key(&ROOT, name),
                at(name),
                format!("{name} is {v} seconds; it should not be negative"),
            );
        }
    }

    // Time order, on instants (offsets may differ).
    let times = [
        ("created_at", call.created_at),
        ("started_at", call.started_at),
        ("completed_at", call.completed_at),
    ];
    for (i, (a_name, a)) in times.iter().enumerate() {
        for (b_name, b) in times.iter().skip(i + 1) {
            if !a.is_zero() && !b.is_zero() && a.cmp_instant(b) == Ordering::Greater {
                r.warn(
                    IssueCode::TimeOrder,
                    &Path::Key(&ROOT, b_name),
                    at(b_name),
                    format!(
                        "{b_name} ({}) is before {a_name} ({})",
                        b.format(),
                        a.format()
                    ),
                );
            }
        }
    }
    let created_bad = r.issues.iter().any(|i| i.path == "/created_at");
    if has("created_at") && call.created_at.is_zero() && !created_bad {
        r.warn(
            IssueCode::CreatedAtUnset,
            &top("created_at"),
            at("created_at"),
            "created_at is the zero time; every stored call has a creation time".to_string(),
        );
    }

    // Status consistency.
    let status = call.status;
    if let Some(st) = status {
        if st.is_terminal() && call.completed_at.is_zero() {
            r.warn(
                IssueCode::TerminalWithoutCompletedAt,
                &top("completed_at"),
                at("completed_at"),
                format!(
                    "the call is '{}', a final status, but completed_at is not set",
                    st.as_str()
                ),
            );
        }
        if st == CallStatus::Running {
            if call.started_at.is_zero() {
                r.warn(
                    IssueCode::RunningWithoutStartedAt,
                    &top("started_at"),
                    at("started_at"),
                    "a running call should have started_at set".to_string(),
                );
            }
            if !call.completed_at.is_zero() {
                r.warn(
                    IssueCode::RunningWithCompletedAt,
                    &top("completed_at"),
                    at("completed_at"),
                    "a running call has not completed, but completed_at is set".to_string(),
                );
            }
        }
    }
    let pending = matches!(
        status,
        None | Some(CallStatus::Delayed) | Some(CallStatus::Queued)
    );
    if pending && status_text.is_some() {
        for (name, t) in [
            ("started_at", call.started_at),
            ("completed_at", call.completed_at),
        ] {
            if !t.is_zero() {
                r.warn(
                    IssueCode::PendingWithTimes,
                    &Path::Key(&ROOT, name),
                    at(name),
                    format!(
                        "the call has not started (status '{}') but {name} is set",
                        status_text.unwrap_or_default()
                    ),
                );
            }
        }
    }
    if !call.error.is_empty() && status != Some(CallStatus::Error) && status_text.is_some() {
        r.warn(
                IssueCode::ErrorWithoutErrorStatus,
                &top("error"),
            at("error"),
            format!(
                "error text is set but the status is '{}'; the model sets it only for status 'error'",
                status_text.unwrap_or_default()
            ),
        );
    }
    if call.delay > 0 && status != Some(CallStatus::Delayed) && status_text.is_some() {
        r.warn(
            IssueCode::DelayWithoutDelayedStatus,
            &top("delay"),
            at("delay"),
            format!(
                "delay is {} s but the status is '{}', not 'delayed'",
                call.delay,
                status_text.unwrap_or_default()
            ),
        );
    }
}

fn millis_to_text(ms: i64) -> String {
    let t = GoTime {
        unix_secs: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) as u32) * 1_000_000,
        offset_secs: 0,
    };
    t.format()
}

/// Reads a call log object `{"call_id", "log", "app_name"}`.
pub fn read_call_log(node: &Node, r: &mut Reporter) -> CallLog {
    let mut log = CallLog::default();
    let Value::Object(members) = &node.value else {
        r.error(
            IssueCode::NotObject,
            &ROOT,
            node.offset,
            format!(
                "a call log must be a JSON object, found {}",
                node.value.type_name()
            ),
        );
        return log;
    };
    #[derive(Clone, Copy, PartialEq)]
    enum L {
        CallId,
        Log,
        AppName,
    }
    let table = [
        ("call_id", L::CallId),
        ("log", L::Log),
        ("app_name", L::AppName),
    ];
    let mut has_id = false;
    for (f, name, v) in match_members(members, &table, &[], &ROOT, r) {
        let p = Path::Key(&ROOT, name);
        match f {
            L::CallId => {
                has_id = true;
                set(&mut log.call_id, read_string(v, &p, r));
            }
            L::Log => set(&mut log.log, read_string(v, &p, r)),
            L::AppName => set(&mut log.app_name, read_string(v, &p, r)),
        }
    }
    if !has_id {
        r.warn(
            IssueCode::MissingKey,
            &top("call_id"),
            node.offset,
            "the log has no 'call_id'".to_string(),
        );
    }
    log
}

/// If `node` is a one-call envelope (`{"message": …, "call": {…}}`), the call inside it.
pub fn unwrap_envelope<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    let Value::Object(members) = &node.value else {
        return None;
    };
    let inner = members.iter().rev().find(|m| m.key.text == key)?;
    let only_envelope_keys = members
        .iter()
        .all(|m| m.key.text == key || m.key.text == "message");
    match inner.value.value {
        Value::Object(_) if only_envelope_keys => Some(&inner.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::millicpus_of_decimal;

    /// What Go (and Rust's float parser) give: the text as the nearest float, times 1000, the fraction dropped.
    fn by_float(text: &str) -> Option<u64> {
        text.parse::<f64>()
            .ok()
            .filter(|f| (0.0..=1024.0).contains(f))
            .map(|f| (f * 1000.0) as u64)
    }

    #[test]
    fn millicpus_are_what_the_float_gives() {
        let mut texts: Vec<String> = [
            "0", "-0", "+0", "0.0", "-0.000", "1", "0.1", "0.5", "2", "1024", "1024.0", "1024.0000000000001",
            "1024.00000000000011368683772161602973937988281250", "1024.0000000000001136868377216160297393798828125",
            "1024.0000000000001136868377216160297393798828126", "1024.01", "1025", "0.0005", "0.001", "0.0009999999999999999",
            "0.00099999999999999999999", "0.0029999999999999999", "0.003", "0.0030000000000000001", "4.35", "0.07",
            "1e3", "1e-3", "1E2", "1.5e-1", "1.e2", ".5", "5.", "+.5e1", "1e", "e1", ".", "", "-", "+", "--1", "+-1",
            "1e+", "1.2.3", "1_0", "0x10", "inf", "-inf", "infinity", "NaN", "nan", "1e400", "1e-400", "-1e-400",
            "-1e-5", "-0.0", "100m", " 1", "1 ", "1e-1000000000000000000000", "1e1000000000000000000000",
            "-2.4703282292062327e-324", "-2.4703282292062328e-324", "-2.47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067483519861213637720068356233952224658022018427413520016453015136413726891004051101839349843765186993283457010523451437526154462262046262060403613302546547883016346855520040218869045888808779706025745926466262627398093094726587326624097327649478614574138826398766849599920617931549286225063637018463891625318227744049316738917131548993227227217102026837154148211306573048549136405130713419093536609306849548302513716458193813025823659004303002054587866659315011447958493669931958413376935007908547612958829017227098628993232096126622637838005116810124466416149802649217013811908223609810474567497911082616126866718849283419813127093413726736069869521326117148498227316131838052614232566212306151617307405011227208493939112119541962702015218049548751022002946536432838922810128124545813097024405021624016768213601346466779413281009006829286926913019452519149484436869218566818015498993339419548998138625127047520024521584706722322211498839386406011525484296098738208093474916129567698640163512669883616012513811616849298036736357917004946584309547313216849616089040519099716931104932828522232014211542700209432130096864019015828106993451316689050093024722513099612287013049779346025436339489829649014111626127117008115516811011823516919917102812131102102610310814519407311112301116920109129111919315121213214414410318211910415211810020818311411716116114111510511010311811711611511411311211111010910810710610510410310210110099",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every millicore boundary's neighbourhood, in several spellings, and random decimals of many lengths.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for k in (0..=1_024_000u64)
            .step_by(241)
            .chain([1, 2, 3, 7, 999, 1000, 1001, 1_023_999, 1_024_000])
        {
            let f = k as f64 / 1000.0;
            for g in [f.next_down(), f, f.next_up()] {
                texts.push(format!("{g}"));
                texts.push(format!("{g:e}"));
                texts.push(format!("{g:.25}"));
                texts.push(format!("{g:.17}"));
            }
            texts.push(format!("{}.{:03}", k / 1000, k % 1000));
            texts.push(format!("{}.{:03}0000000000000001", k / 1000, k % 1000));
            texts.push(format!("{}.{:03}", k / 1000, k % 1000).replace('.', "") + "e-3");
            if k > 0 {
                texts.push(
                    format!("{}.{:03}", (k - 1) / 1000, (k - 1) % 1000) + "99999999999999999999",
                );
                texts.push(format!("{}.{:03}", (k - 1) / 1000, (k - 1) % 1000) + "9999999999999");
            }
        }
        for _ in 0..20_000 {
            let r = next();
            let digits = 1 + (r % 30) as usize;
            let mut t: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let at = (next() % (digits as u64 + 1)) as usize;
            t.insert(at, '.');
            if r & 1 << 40 != 0 {
                t = format!("{t}e{}", (next() % 12) as i64 - 6);
            }
            if r & 1 << 41 != 0 {
                t = format!("-{t}");
            }
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(millicpus_of_decimal(t), by_float(t), "{t:?}");
        }
    }
}
