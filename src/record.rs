//! Reading one record: a call (bare or in its v1 envelope) or a call log, from bytes or from a tree; and the two
//! helpers every record reader shares (a cut-off last line, the v2 cursor). Whole inputs with many records are
//! `batch.rs`, built on the one record splitter, `scan.rs`.

use crate::issue::{Issue, IssueCode};
use crate::json::{self, Node};
use crate::model::{Call, CallLog};
use crate::read::{read_call, read_call_log, unwrap_envelope, ReadOptions, Reporter};

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
}
