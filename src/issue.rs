//! The one shape every problem is reported in: severity, a stable code, a JSON Pointer and a sentence.

use serde::Serialize;
use tsify::Tsify;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The JSON cannot be this model: Go's decoder would refuse it, or a declared domain is violated.
    Error,
    /// Go would accept it, but it contradicts the model's comments or what servers do.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Issue {
    pub severity: Severity,
    /// Stable, machine-readable name of the rule (see the README's table).
    pub code: String,
    /// JSON Pointer (RFC 6901) to the offending value, relative to the record; `""` is the record itself.
    pub path: String,
    /// A sentence a person understands.
    pub message: String,
    /// Byte offset in the input, when the input was text or bytes.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[tsify(optional, type = "number")]
    pub offset: Option<u64>,
    /// Position of the record in a batch (0-based).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[tsify(optional, type = "number")]
    pub index: Option<u64>,
    /// 1-based line of the record, for NDJSON and multi-line input.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_number")]
    #[tsify(optional, type = "number")]
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
    pub fn new(severity: Severity, code: &str, path: &str, message: String) -> Issue {
        Issue {
            severity,
            code: code.to_string(),
            path: path.to_string(),
            message,
            offset: None,
            index: None,
            line: None,
        }
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
            code: &i.code,
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

    #[test]
    fn pointer_escapes_tokens() {
        assert_eq!(pointer("", "stats"), "/stats");
        assert_eq!(pointer("/env_vars", "a/b~c"), "/env_vars/a~1b~0c");
    }
}
