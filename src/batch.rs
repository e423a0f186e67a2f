//! Reading whole inputs of many calls (JSON array, v1 and v2 list envelopes, NDJSON), as bytes or as a tree. A bad
//! record is reported with its position and never hides the good ones.

use crate::filter::CallFilter;
use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{self, Node, Value};
use crate::model::Call;
use crate::read::ReadOptions;
use crate::record::{call_from_tree, decode_v2_cursor};
use crate::scan::{CallScanner, ScanOptions, MOST_MAX_RECORD_BYTES};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

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

fn is_list_envelope(node: &Node) -> bool {
    let Value::Object(members) = &node.value else {
        return false;
    };
    members.iter().any(|m| {
        (m.key.text == "calls" || m.key.text == "items")
            && matches!(m.value.value, Value::Array(_) | Value::Null)
    })
}

/// Reads every record of a batch given as bytes. The records are cut out by the one record splitter, `scan.rs` (which
/// also finds the form: array, list envelope, NDJSON or one call), each read in full; only the byte order mark is
/// decided here, because a whole document with one is refused as Go refuses it, where a stream skips it. A record
/// larger than `MOST_MAX_RECORD_BYTES` is reported as `record_too_large`, as the bulk engine reports it.
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
    // The input is already in memory, so records are read up to the largest size any reader allows.
    let options = ScanOptions {
        mode: opts.mode,
        warnings: true,
        max_record_bytes: MOST_MAX_RECORD_BYTES,
        ..ScanOptions::default()
    };
    match CallScanner::new(CallFilter::default(), options) {
        Ok(scanner) => {
            let mut scanner = scanner.keeping_calls();
            scanner.push(bytes);
            let result = scanner.finish();
            batch.calls = result.calls;
            batch.next_cursor = result.next_cursor;
            batch.issues = result.issues;
        }
        // The empty filter has nothing to refuse; were it ever refused, its issues are the answer.
        Err(issues) => batch.issues = issues,
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
