//! Reading whole inputs of many calls (JSON array, v1 and v2 list envelopes, NDJSON), as bytes or as a tree. A bad
//! record is reported with its position and never hides the good ones.

use crate::filter::CallFilter;
use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{self, Node, Value};
use crate::model::Call;
use crate::read::ReadOptions;
use crate::record::{call_from_tree, decode_v2_cursor};
use crate::scan::{CallScanner, Kept, ScanOptions, MOST_MAX_RECORD_BYTES};
use crate::view::Row;
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
    match scan_whole(bytes, opts, Keep::Calls, &mut |_, _, _| {}) {
        Ok(r) => CallBatch {
            calls: r.calls,
            next_cursor: r.next_cursor,
            issues: r.issues,
        },
        Err(issues) => CallBatch {
            issues,
            ..CallBatch::default()
        },
    }
}

/// [`calls_from_bytes`] for the JavaScript boundary: each call as its place in the input where `JSON.parse` of
/// those bytes gives its `Call` object, else read in full (`scan::Kept`). Same records, same issues.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeptBatch {
    pub kept: Vec<Kept>,
    pub next_cursor: String,
    pub issues: Vec<Issue>,
    /// The input is a JSON array of exactly these calls, each `Kept::Verbatim`, without an error: `JSON.parse` of the
    /// whole input gives them all.
    pub whole: bool,
}

pub fn kept_from_bytes(bytes: &[u8], opts: ReadOptions) -> KeptBatch {
    match scan_whole(bytes, opts, Keep::ForJs, &mut |_, _, _| {}) {
        Ok(r) => KeptBatch {
            whole: r.form == Some(crate::scan::InputForm::Array)
                && r.kept.len() as u64 == r.total
                && r.kept.iter().all(|k| matches!(k, Kept::Verbatim { .. }))
                && !r.issues.iter().any(Issue::is_error),
            kept: r.kept,
            next_cursor: r.next_cursor,
            issues: r.issues,
        },
        Err(issues) => KeptBatch {
            issues,
            ..KeptBatch::default()
        },
    }
}

/// Every call of an input as the row filters and summaries read, with how the boundary builds its object (`kept`,
/// in the same order), the list's cursor, and the errors of the records left out (no warnings: a filter or a
/// summary is not validation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowBatch {
    pub rows: Vec<Row<'static>>,
    pub kept: Vec<Kept>,
    pub next_cursor: String,
    pub issues: Vec<Issue>,
}

pub fn rows_from_bytes(bytes: &[u8], opts: ReadOptions) -> RowBatch {
    let mut rows = Vec::new();
    let mut sink = |row: &Row, _: u64, _: u64| {
        rows.push(Row {
            view: row.view.clone().into_owned(),
            mem: row.mem,
            cpu: row.cpu,
        })
    };
    let read = scan_whole(bytes, opts, Keep::Rows, &mut sink);
    match read {
        Ok(r) => RowBatch {
            rows,
            kept: r.kept,
            next_cursor: r.next_cursor,
            issues: r.issues,
        },
        Err(issues) => RowBatch {
            issues,
            ..RowBatch::default()
        },
    }
}

/// What [`scan_whole`] keeps of each call.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    /// The `Call`, read in full (with warnings).
    Calls,
    /// `Kept` (with warnings).
    ForJs,
    /// `Kept`, and the rows `sink` gets (without warnings).
    Rows,
}

/// Scans a whole input in memory, keeping every call as `keep` says and handing each to `sink`; the issue alone
/// when the input starts with a byte order mark.
fn scan_whole(
    bytes: &[u8],
    opts: ReadOptions,
    keep: Keep,
    sink: &mut dyn FnMut(&Row, u64, u64),
) -> Result<crate::scan::ScanResult, Vec<Issue>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(vec![match json::parse(bytes) {
            Err(issue) => *issue,
            Ok(_) => Issue::new(
                Severity::Error,
                IssueCode::JsonBom,
                "",
                "byte order mark".into(),
            ),
        }]);
    }
    // The input is already in memory, so records are read up to the largest size any reader allows.
    let options = ScanOptions {
        mode: opts.mode,
        warnings: keep != Keep::Rows,
        max_record_bytes: MOST_MAX_RECORD_BYTES,
        ..ScanOptions::default()
    };
    // The empty filter has nothing to refuse; were it ever refused, its issues are the answer.
    let scanner = CallScanner::new(CallFilter::default(), options)?;
    let mut scanner = if keep == Keep::Calls {
        scanner.keeping_calls()
    } else {
        scanner.keeping_for_js()
    };
    scanner.push_with(bytes, sink);
    Ok(scanner.finish_with(sink))
}

/// Turns byte offsets into `text` (ascending) into UTF-16 offsets, the positions a JavaScript string of the same
/// text has: one unit per character, two beyond U+FFFF. `text` must be UTF-8 and each offset a character boundary.
pub fn utf16_offsets(text: &[u8], offsets: &mut [u64]) {
    let (mut byte, mut unit) = (0usize, 0u64);
    for o in offsets.iter_mut() {
        let to = usize::try_from(*o).unwrap_or(usize::MAX).min(text.len());
        if to >= byte {
            let run = text.get(byte..to).unwrap_or_default();
            // every byte but a continuation byte starts a character; a 4-byte one is two units
            unit += run
                .iter()
                .map(|&b| u64::from((b & 0xC0) != 0x80) + u64::from(b >= 0xF0))
                .sum::<u64>();
            byte = to;
        }
        *o = unit;
    }
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
