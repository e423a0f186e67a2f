//! Reading whole inputs: one call (bare or in its v1 envelope), many calls (JSON array, v1 and v2 list envelopes,
//! NDJSON), and call logs. A bad record is reported with its position and never hides the good ones.

use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{self, Node, Value};
use crate::model::{Call, CallLog};
use crate::read::{read_call, read_call_log, unwrap_envelope, ReadOptions, Reporter};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One call read from some input: the call when there was no error, and every issue.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    pub call: Option<Call>,
    pub issues: Vec<Issue>,
}

/// Reads a tree that holds one call, bare or as `{"message":…,"call":{…}}`.
pub fn call_from_tree(node: &Node, opts: ReadOptions, with_offsets: bool) -> CallOutcome {
    let mut r = Reporter::new(with_offsets);
    let inner = unwrap_envelope(node, "call").unwrap_or(node);
    let call = read_call(inner, opts, &mut r);
    let ok = !r.has_errors();
    CallOutcome {
        call: ok.then_some(call),
        issues: r.issues,
    }
}

/// Reads one call from JSON text given as bytes.
pub fn call_from_bytes(bytes: &[u8], opts: ReadOptions) -> CallOutcome {
    match json::parse(bytes) {
        Ok(node) => call_from_tree(&node, opts, true),
        Err(issue) => CallOutcome {
            call: None,
            issues: vec![*issue],
        },
    }
}

/// A call log, bare or in its v1/v2 envelope `{"message":…,"log":{…}}`.
pub fn log_from_tree(node: &Node, with_offsets: bool) -> Result<(CallLog, Vec<Issue>), Vec<Issue>> {
    let mut r = Reporter::new(with_offsets);
    let inner = unwrap_envelope(node, "log").unwrap_or(node);
    let log = read_call_log(inner, &mut r);
    if r.has_errors() {
        Err(r.issues)
    } else {
        Ok((log, r.issues))
    }
}

pub fn log_from_bytes(bytes: &[u8]) -> Result<(CallLog, Vec<Issue>), Vec<Issue>> {
    match json::parse(bytes) {
        Ok(node) => log_from_tree(&node, true),
        Err(issue) => Err(vec![*issue]),
    }
}

/// Many calls: the good ones, the listing's cursor (raw id; `""` when none), and every issue with its record's index.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)
)]
pub struct CallBatch {
    pub calls: Vec<Call>,
    pub next_cursor: String,
    pub issues: Vec<Issue>,
}

impl CallBatch {
    fn record(
        &mut self,
        node: &Node,
        index: usize,
        line: Option<usize>,
        opts: ReadOptions,
        with_offsets: bool,
    ) {
        let outcome = call_from_tree(node, opts, with_offsets);
        self.push_issues(outcome.issues, index, line);
        if let Some(call) = outcome.call {
            self.calls.push(call);
        }
    }

    fn push_issues(&mut self, issues: Vec<Issue>, index: usize, line: Option<usize>) {
        for mut issue in issues {
            issue.index = Some(index as u64);
            issue.line = line.map(|l| l as u64);
            self.issues.push(issue);
        }
    }
}

/// The forms a batch may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchForm {
    Array,
    Envelope,
    Ndjson,
    Single,
}

/// Decides the form without reading every record: a leading `[` is an array; text whose first line is a complete
/// JSON value followed by more lines is NDJSON; anything else is one JSON document (an envelope or one call).
pub fn detect_form(bytes: &[u8]) -> BatchForm {
    let start = json::skip_ws(bytes, 0);
    if bytes.get(start) == Some(&b'[') {
        return BatchForm::Array;
    }
    let mut lines = bytes
        .split(|b| *b == b'\n')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()));
    let first = lines.next();
    let has_more = lines.next().is_some();
    if has_more {
        // A record that parses on its own line, or any of the first few lines doing so, marks NDJSON; a
        // pretty-printed document has no line that is a whole object.
        let standalone = |l: &[u8]| {
            matches!(
                json::parse(l),
                Ok(Node {
                    value: Value::Object(_),
                    ..
                })
            )
        };
        let sample = bytes
            .split(|b| *b == b'\n')
            .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
            .take(8);
        if first.is_some_and(standalone) || sample.filter(|l| standalone(l)).count() >= 1 {
            return BatchForm::Ndjson;
        }
    }
    match json::parse(bytes) {
        Ok(node) if is_list_envelope(&node) => BatchForm::Envelope,
        _ => BatchForm::Single,
    }
}

fn is_list_envelope(node: &Node) -> bool {
    let Value::Object(members) = &node.value else {
        return false;
    };
    members.iter().any(|m| {
        (m.key.text == "calls" || m.key.text == "items")
            && matches!(m.value.value, Value::Array(_) | Value::Null)
    })
}

/// Reads every record of a batch given as bytes.
pub fn calls_from_bytes(bytes: &[u8], opts: ReadOptions) -> CallBatch {
    let mut batch = CallBatch::default();
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        batch.issues.push(match json::parse(bytes) {
            Err(issue) => *issue,
            Ok(_) => Issue::new(
                Severity::Error,
                IssueCode::JsonBom,
                "",
                "byte order mark".into(),
            ),
        });
        return batch;
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return batch; // an empty input is an empty NDJSON stream: no records, nothing wrong
    }
    match detect_form(bytes) {
        BatchForm::Array => read_array(bytes, opts, &mut batch),
        BatchForm::Ndjson => read_ndjson(bytes, opts, &mut batch),
        BatchForm::Envelope | BatchForm::Single => match json::parse(bytes) {
            Ok(node) => calls_from_tree(&node, opts, true, &mut batch),
            Err(issue) => batch.issues.push(*issue),
        },
    }
    batch
}

/// Reads a batch that is already a tree (a JS array or envelope object, or one call).
pub fn calls_from_tree(node: &Node, opts: ReadOptions, with_offsets: bool, batch: &mut CallBatch) {
    match &node.value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                batch.record(item, i, None, opts, with_offsets);
            }
        }
        Value::Object(members) if is_list_envelope(node) => {
            let v2 = members.iter().any(|m| m.key.text == "items");
            for m in members {
                match (&*m.key.text, &m.value.value) {
                    ("calls" | "items", Value::Array(items)) => {
                        for (i, item) in items.iter().enumerate() {
                            batch.record(item, i, None, opts, with_offsets);
                        }
                    }
                    ("next_cursor", Value::String(s)) => {
                        batch.next_cursor = if v2 && !s.text.is_empty() {
                            match decode_v2_cursor(&s.text) {
                                Some(id) => id,
                                None => {
                                    let mut issue = Issue::new(
                                        Severity::Warning,
                                        IssueCode::BadCursor,
                                        "/next_cursor",
                                        format!("the v2 next_cursor '{}' is not base64url of an id; it is kept as it is", s.text),
                                    );
                                    if with_offsets {
                                        issue.offset = Some(m.value.offset as u64);
                                    }
                                    batch.issues.push(issue);
                                    s.text.to_string()
                                }
                            }
                        } else {
                            s.text.to_string()
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => batch.record(node, 0, None, opts, with_offsets),
    }
}

fn read_array(bytes: &[u8], opts: ReadOptions, batch: &mut CallBatch) {
    let mut pos = json::skip_ws(bytes, 0) + 1; // after '['
    let mut index = 0;
    pos = json::skip_ws(bytes, pos);
    if bytes.get(pos) == Some(&b']') {
        return finish_top(bytes, pos + 1, batch);
    }
    loop {
        match json::parse_at(bytes, pos) {
            Ok((node, end)) => {
                batch.record(&node, index, None, opts, true);
                index += 1;
                pos = json::skip_ws(bytes, end);
                match bytes.get(pos) {
                    Some(b',') => pos += 1,
                    Some(b']') => return finish_top(bytes, pos + 1, batch),
                    other => {
                        let what = other
                            .map(|b| format!("'{}'", *b as char))
                            .unwrap_or_else(|| "the end of input".into());
                        let mut issue = Issue::new(
                            Severity::Error,
                            IssueCode::JsonSyntax,
                            "",
                            format!("expected ',' or ']' after record {} but found {what}; the records after it are not read", index - 1),
                        );
                        issue.offset = Some(pos as u64);
                        issue.index = Some(index as u64);
                        batch.issues.push(issue);
                        return;
                    }
                }
            }
            Err(mut issue) => {
                issue.index = Some(index as u64);
                issue
                    .message
                    .push_str("; the records after it are not read");
                batch.issues.push(*issue);
                return;
            }
        }
    }
}

fn finish_top(bytes: &[u8], pos: usize, batch: &mut CallBatch) {
    let end = json::skip_ws(bytes, pos);
    if end < bytes.len() {
        let mut issue = Issue::new(
            Severity::Error,
            IssueCode::JsonTrailing,
            "",
            "unexpected data after the end of the array".into(),
        );
        issue.offset = Some(end as u64);
        batch.issues.push(issue);
    }
}

fn read_ndjson(bytes: &[u8], opts: ReadOptions, batch: &mut CallBatch) {
    let mut start = 0;
    let mut line = 1;
    let mut index = 0;
    while start <= bytes.len() {
        let end = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
            .map(|p| start + p);
        let line_end = end.unwrap_or(bytes.len());
        let text = bytes.get(start..line_end).unwrap_or_default();
        if text.iter().any(|b| !b.is_ascii_whitespace()) {
            match json::parse(text) {
                Ok(node) => {
                    let before = batch.issues.len();
                    batch.record(&node, index, Some(line), opts, true);
                    for issue in batch.issues.iter_mut().skip(before) {
                        issue.offset = issue.offset.map(|o| o + start as u64);
                    }
                }
                Err(mut issue) => {
                    issue.offset = issue.offset.map(|o| o + start as u64);
                    let at_end = issue.offset == Some((start + text.len()) as u64);
                    if end.is_none() && at_end {
                        cut_off_last_line(&mut issue);
                    }
                    batch.push_issues(vec![*issue], index, Some(line));
                }
            }
            index += 1;
        }
        match end {
            Some(e) => {
                start = e + 1;
                line += 1;
            }
            None => break,
        }
    }
}

/// A syntax error at the very end of the last line when that line has no newline: the input was most likely cut
/// off, and the issue says so (`truncated`). Both NDJSON readers (here and the streaming scanner) use it.
pub(crate) fn cut_off_last_line(issue: &mut Issue) {
    if issue.code == IssueCode::JsonSyntax {
        issue.code = IssueCode::Truncated;
        issue.message = format!(
            "the last line is incomplete ({}): was the input cut off?",
            issue.message
        );
    }
}

/// v2 list cursors are the last id in unpadded base64url.
pub fn decode_v2_cursor(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_v2_cursor() {
        assert_eq!(
            decode_v2_cursor("MDFDUVY3MlpYRU5HOEcwMEdaSjAwMDAwMFg").as_deref(),
            Some("01CQV72ZXENG8G00GZJ000000X")
        );
        assert_eq!(decode_v2_cursor("!!"), None);
    }

    #[test]
    fn detects_forms() {
        assert_eq!(detect_form(b" [ ]"), BatchForm::Array);
        assert_eq!(detect_form(b"{\"a\":1}\n{\"a\":2}\n"), BatchForm::Ndjson);
        assert_eq!(detect_form(b"{bad\n{\"a\":2}\n"), BatchForm::Ndjson);
        assert_eq!(detect_form(b"{\n  \"calls\": []\n}"), BatchForm::Envelope);
        assert_eq!(detect_form(b"{\"id\":\"x\"}"), BatchForm::Single);
    }
}
