//! The bulk engine: bytes in (NDJSON, a JSON array, or a v1/v2 list envelope, in one piece or in chunks split
//! anywhere), matching records' positions out. Nothing is built for a record that does not match.
//!
//! Two stages per record:
//! 1. a literal prefilter (optional, `Validate::Matches`): a record that lacks the filter's literal values and has
//!    no escape that could spell them cannot match, so it is skipped unread;
//! 2. the full reader (`read.rs`, the same rules as `parseCall`) and the filter (`filter.rs`, the same rules as
//!    `filterCalls`). A bad record is reported with its index, line and offset and never stops the scan.

use crate::fast_read::ForJs;
use crate::filter::{compile, CallFilter, Matcher};
use crate::gojson;
use crate::issue::{Issue, IssueCode, Severity};
use crate::json;
use crate::model::Call;
use crate::read::{read_call, unwrap_envelope, ReadOptions, Reporter};
use crate::record::{cut_off_last_line, decode_v2_cursor};
use crate::status::Mode;
use crate::summary::{CallSummary, SummaryBuilder, SummaryOptions, SummaryRow};
use crate::view::Row;
use memchr::memmem;
use serde::Serialize;
use std::sync::Arc;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Which records are read in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Validate {
    /// Every record: every bad record is reported (the default).
    #[default]
    All,
    /// Only records that could match the filter's literal values: much faster for selective filters, but a bad
    /// record that could not have matched is skipped without a report.
    Matches,
}

/// The default largest record, in bytes (16 MiB): see `ScanOptions::max_record_bytes`.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// The largest `max_record_bytes` allowed: the worst record below it (tiny values, whose JSON tree takes some 35
/// times their text) still fits in the 4 GiB a wasm module can address (`docs/reliability.md#limits`).
pub const MOST_MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// The most issues a scanner holds before they are taken (`take_issues`) or returned (`finish`). Past it, issues are
/// counted, not kept, and one `too_many_issues` error says how many were left out: an input of millions of tiny bad
/// records cannot exhaust wasm memory with its issues (`docs/reliability.md#limits`).
pub const MAX_HELD_ISSUES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct ScanOptions {
    pub mode: Mode,
    pub validate: Validate,
    /// Also report warnings of the records that are read (errors are always reported).
    pub warnings: bool,
    /// Keep each match's Go-exact JSON (for writers such as the command line), to be taken with `take_records`.
    pub emit: bool,
    /// Keep the `[start, end)` byte range of every record, good or bad, matching or not (`ScanResult::ranges`,
    /// `take_ranges`): a record that fails to read can then be shown or cut out of the input.
    pub ranges: bool,
    /// Summarise the matches as `summarize_calls` does (`ScanResult::summary`), without keeping them.
    pub summary: Option<SummaryOptions>,
    /// The largest record kept, in bytes. A record in progress that grows past it is reported (`record_too_large`)
    /// and skipped without keeping its bytes: an NDJSON line up to its newline, a record of an array or envelope up
    /// to its end (the structure is still followed), so the scanner's memory stays bounded on any input.
    pub max_record_bytes: usize,
}

/// What the input turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputForm {
    /// One record per line (the first object whole on its first line).
    Ndjson,
    /// A JSON array of records.
    Array,
    /// A v1 (`calls`) or v2 (`items`) list envelope.
    Envelope,
    /// One object spread over several lines: a call (or a v1 `{"call": …}` envelope) written as a document.
    Object,
}

impl InputForm {
    pub fn as_str(self) -> &'static str {
        match self {
            InputForm::Ndjson => "ndjson",
            InputForm::Array => "array",
            InputForm::Envelope => "envelope",
            InputForm::Object => "object",
        }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            mode: Mode::default(),
            validate: Validate::default(),
            warnings: false,
            emit: false,
            ranges: false,
            summary: None,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// Keys of an envelope that the scanner needs (`calls`, `items`, `next_cursor`) are short: a longer key is none of
/// them and is not kept.
const LONGEST_KEY: usize = 16;

/// The messages of `record_too_large` (`{max}`: the limit), the same wherever the chunks split.
const LINE_TOO_LARGE: &str =
    "this record is larger than the limit of {max} bytes (max_record_bytes): it is skipped up to the end of its line";
const LIST_RECORD_TOO_LARGE: &str =
    "this record is larger than the limit of {max} bytes (max_record_bytes): it is skipped up to its end";

/// What a scan found: matches as record indices (input order) and `[start, end)` byte ranges, the number of records
/// seen, and the issues of bad records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanResult {
    pub indices: Vec<u32>,
    /// Flat `[start0, end0, start1, end1, …]`.
    pub offsets: Vec<u64>,
    pub total: u64,
    pub issues: Vec<Issue>,
    /// The list envelope's cursor (raw id, v2 base64url decoded), `""` when none.
    pub next_cursor: String,
    /// With `emit`: the Go-exact JSON of the matches not yet taken with `take_records`.
    pub records: Vec<String>,
    /// With `ranges`: flat `[start, end)` of every record not yet taken with `take_ranges`, in input order, so the
    /// pair at `2k` is the record with index `k` (counting from the first record not yet taken). A record cut off
    /// by the end of the input ends there.
    pub ranges: Vec<u64>,
    /// With [`CallScanner::keeping_calls`]: every matching call, read in full, in input order.
    pub calls: Vec<Call>,
    /// With [`CallScanner::keeping_for_js`]: every matching call in input order, as its own bytes where `JSON.parse`
    /// of them gives its `Call` object, else read in full.
    pub kept: Vec<Kept>,
    /// With `summary`: the summary of every match (of every input, see `finish_input`), or why there is none (too
    /// many time buckets).
    pub summary: Option<Result<CallSummary, Vec<Issue>>>,
    /// What the input was (`None` when it held nothing, or its first object never ended).
    pub form: Option<InputForm>,
}

/// A call kept for the JavaScript boundary ([`CallScanner::keeping_for_js`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    /// The record at `[start, end)` of the input: `JSON.parse` of those bytes, with each `uint64`/`int64` made a
    /// `bigint`, is exactly its `Call` object (`fast_read::read_clean_for_js`).
    Verbatim { start: u64, end: u64 },
    /// Text `JSON.parse` makes its `Call` object of: the record with its numbers beyond 2^53 quoted.
    Text(String),
    /// Read in full: the boundary writes it for `JSON.parse` (`gojson::write_call_for_js`).
    Call(Box<Call>),
}

/// The literal values a matching record must contain (each group: at least one of its needles).
///
/// Sound because a record without escapes holds every string value verbatim: if no needle of a group occurs, no
/// field can equal (or contain) the filter's value. Escapes are the exception: an escape that decodes to a character
/// of some needle (`\u0073hop`, `\/hello`) could spell a value differently, so such a record is always read.
struct Prefilter {
    groups: Vec<Vec<memmem::Finder<'static>>>,
    /// Every character of every needle's text.
    needle_chars: Vec<char>,
    /// `ascii[c]`: the ASCII character `c` occurs in a needle.
    ascii: [bool; 128],
    /// `short[e]`: the escape `\e` could stand for a needle's character (unknown escapes count as risky).
    short: [bool; 256],
    /// Some needle has a character beyond ASCII.
    non_ascii: bool,
}

impl Prefilter {
    fn new(f: &CallFilter) -> Option<Prefilter> {
        let mut groups: Vec<Vec<Vec<u8>>> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        let quoted = |s: &str| {
            let mut v = Vec::with_capacity(s.len() + 2);
            v.push(b'"');
            v.extend_from_slice(s.as_bytes());
            v.push(b'"');
            v
        };
        // Without case, the error texts' bytes are not needles: "Timed" must find "timed".
        let error = if f.error_ignore_case {
            ""
        } else {
            f.error.as_str()
        };
        for exact in [&f.app_name, &f.path, &f.image, &f.method]
            .into_iter()
            .map(String::as_str)
            .chain([error])
        {
            if !exact.is_empty() {
                groups.push(vec![quoted(exact)]);
                texts.push(exact);
            }
        }
        if !f.error_contains.is_empty() && !f.error_ignore_case {
            groups.push(vec![f.error_contains.as_bytes().to_vec()]);
            texts.push(&f.error_contains);
        }
        // An empty status can also be an absent key, which no needle finds: no prefilter for it.
        if !f.status.is_empty() && f.status.iter().all(Option::is_some) {
            groups.push(
                f.status
                    .iter()
                    .flatten()
                    .map(|s| quoted(s.as_str()))
                    .collect(),
            );
            texts.extend(f.status.iter().flatten().map(|s| s.as_str()));
        }
        for t in [
            f.call_type.map(|t| t.as_str()),
            f.format.map(|t| t.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            groups.push(vec![quoted(t)]);
            texts.push(t);
        }
        if groups.is_empty() {
            return None;
        }
        // Sorted and without repeats (for binary_search), built by insertion: the texts are a few short names, and a
        // general sort here would put a sort of chars in the wasm module for them alone.
        let mut needle_chars: Vec<char> = Vec::new();
        for c in texts.iter().flat_map(|t| t.chars()) {
            if let Err(at) = needle_chars.binary_search(&c) {
                needle_chars.insert(at, c);
            }
        }
        let groups = groups
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|n| memmem::Finder::new(&n).into_owned())
                    .collect()
            })
            .collect();
        let mut ascii = [false; 128];
        for c in needle_chars.iter().filter(|c| c.is_ascii()) {
            if let Some(slot) = ascii.get_mut(*c as usize) {
                *slot = true;
            }
        }
        let mut short = [true; 256];
        for (letter, decoded) in [
            (b'"', '"'),
            (b'\\', '\\'),
            (b'/', '/'),
            (b'b', '\u{8}'),
            (b'f', '\u{c}'),
            (b'n', '\n'),
            (b'r', '\r'),
            (b't', '\t'),
        ] {
            if let Some(slot) = short.get_mut(usize::from(letter)) {
                *slot = needle_chars.contains(&decoded);
            }
        }
        let non_ascii = needle_chars.iter().any(|c| !c.is_ascii());
        Some(Prefilter {
            groups,
            needle_chars,
            ascii,
            short,
            non_ascii,
        })
    }

    /// Whether the escape at `record[at]` (a backslash) could stand for a character of a needle, and its length.
    fn risky_escape(&self, record: &[u8], at: usize) -> (bool, usize) {
        match record.get(at + 1) {
            Some(b'u') => {
                let cp = record.get(at + 2..at + 6).and_then(|h| {
                    h.iter()
                        .try_fold(0u32, |v, d| Some(v * 16 + char::from(*d).to_digit(16)?))
                });
                let risky = match cp {
                    Some(cp) if cp < 128 => self.ascii.get(cp as usize).copied().unwrap_or(true),
                    // half of a character beyond U+FFFF: only safe when every needle is ASCII
                    Some(0xD800..=0xDFFF) => self.non_ascii,
                    Some(cp) => char::from_u32(cp)
                        .is_none_or(|c| self.needle_chars.binary_search(&c).is_ok()),
                    None => true,
                };
                (risky, 6)
            }
            Some(e) => (self.short.get(usize::from(*e)).copied().unwrap_or(true), 2),
            None => (true, 2),
        }
    }

    /// False only when the record certainly cannot match.
    fn may_match(&self, record: &[u8]) -> bool {
        if self
            .groups
            .iter()
            .all(|g| g.iter().any(|f| f.find(record).is_some()))
        {
            return true;
        }
        let mut next = 0; // the first byte not consumed by the previous escape
        for p in memchr::memchr_iter(b'\\', record) {
            if p < next {
                continue; // the second backslash of an escaped backslash
            }
            let (risky, len) = self.risky_escape(record, p);
            if risky {
                return true; // an escape could spell a needle: read it
            }
            next = p + len;
        }
        false
    }
}

/// Where the splitter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Nothing but whitespace (or a BOM) seen yet.
    Start,
    /// The first value is an object: an envelope if it has a `calls`/`items` array, else the first NDJSON record.
    FirstObject,
    Ndjson,
    Array,
    Envelope,
    /// The top-level value is complete; only whitespace may follow.
    Done,
    /// Something followed the complete value: reported once, the rest is not read.
    Rejected,
}

/// Where a list of records is, between its brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListState {
    /// Just after `[`.
    ValueOrClose,
    /// After a record.
    CommaOrClose,
    /// After `,`.
    Value,
}

/// An NDJSON line being dropped up to its newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SkipLine {
    /// A record longer than the limit, starting at this global offset (already counted and reported; its range
    /// ends at the newline).
    Record(u64),
    /// The rest of the first record's line, after its trailing data was reported.
    Rest,
    /// A line longer than the limit with only blanks so far, starting at this global offset: a blank line if the
    /// newline comes first, a record too large as soon as anything else does.
    Blank(u64),
}

/// Cuts a byte stream into records and hands each to the scanner. Holds only the bytes of the record in progress,
/// and at most `max_record_bytes` of it.
pub struct CallScanner {
    /// Compiled once, in `new`; shared with each pass over the buffer while the scanner itself changes.
    matcher: Arc<Matcher>,
    options: ScanOptions,
    prefilter: Option<Arc<Prefilter>>,
    result: ScanResult,
    records: Vec<String>,
    // stream position
    buf: Vec<u8>,
    /// Global offset of `buf[0]`.
    base: u64,
    /// How far into `buf` the structure has been scanned.
    pos: usize,
    /// NDJSON: `buf[pos..scanned]` (the line in progress) holds no newline, so the next search starts at `scanned`
    /// rather than at the line's start again (which made long lines quadratic).
    scanned: usize,
    /// NDJSON: the line being dropped up to its newline.
    skip_line: Option<SkipLine>,
    /// Array or envelope: the record in progress grew past the limit; it was counted and reported, its bytes are
    /// not kept, and this is its global start offset (its range ends where the structure says it ends).
    oversized: Option<u64>,
    /// Bytes the newline search has looked at (tests check it stays linear in the input).
    #[cfg(test)]
    examined: u64,
    /// 1-based line at `pos`.
    line: u64,
    form: Form,
    // structure (arrays and envelopes)
    depth: u32,
    in_string: bool,
    escape: bool,
    /// Start of the record in progress (in `buf`), its line, and whether it is a container.
    record: Option<(usize, u64, bool)>,
    /// Depth at which records sit (1 in an array, 2 inside an envelope's list).
    record_depth: u32,
    /// Envelope bookkeeping while in `FirstObject`/`Envelope`: the depth-1 key being read and the last one.
    key_start: Option<usize>,
    last_key: Vec<u8>,
    expect_key: bool,
    /// A depth-1 `calls`/`items` key was seen (its value may be `null`: an envelope with no records).
    list_key_seen: bool,
    in_list: bool,
    list_state: ListState,
    cursor_start: Option<usize>,
    v2: bool,
    raw_cursor: Option<Vec<u8>>,
    /// The rest of the first record's line is still to come (it must be blank).
    rest_of_first_line: bool,
    /// Where the first object started, while its kind is unknown.
    first_start: usize,
    first_line: u64,
    index: u64,
    /// Use the fast lane (`fast_read.rs`) where it can decide; off when every matching `Call` is needed.
    fast_lane: bool,
    /// Matches already handed out by `take_matches`.
    matches_taken: usize,
    /// Keep every matching `Call` in `ScanResult::calls` (whole-input readers, `batch.rs`).
    keep_calls: bool,
    /// Keep every match in `ScanResult::kept`.
    keep_for_js: bool,
    /// Issues found past `MAX_HELD_ISSUES` and not kept, since the last `take_issues`.
    issues_dropped: u64,
    /// With the `summary` option: every match so far, of every input.
    summary: Option<SummaryBuilder>,
    form_seen: Option<InputForm>,
}

impl CallScanner {
    /// Checks the filter first: a filter with errors is refused with its issues.
    pub fn new(filter: CallFilter, options: ScanOptions) -> Result<CallScanner, Vec<Issue>> {
        let (matcher, _) = compile(&filter)?;
        let prefilter = if options.validate == Validate::Matches {
            Prefilter::new(&filter)
        } else {
            None
        };
        let summary = options.summary.clone().map(SummaryBuilder::new);
        Ok(CallScanner::from_parts(
            Arc::new(matcher),
            options,
            prefilter.map(Arc::new),
            summary,
        ))
    }

    fn from_parts(
        matcher: Arc<Matcher>,
        options: ScanOptions,
        prefilter: Option<Arc<Prefilter>>,
        summary: Option<SummaryBuilder>,
    ) -> CallScanner {
        CallScanner {
            matcher,
            options,
            prefilter,
            result: ScanResult::default(),
            records: Vec::new(),
            buf: Vec::new(),
            base: 0,
            pos: 0,
            scanned: 0,
            skip_line: None,
            oversized: None,
            #[cfg(test)]
            examined: 0,
            line: 1,
            form: Form::Start,
            depth: 0,
            in_string: false,
            escape: false,
            record: None,
            record_depth: 1,
            key_start: None,
            last_key: Vec::new(),
            expect_key: false,
            list_key_seen: false,
            in_list: false,
            list_state: ListState::ValueOrClose,
            cursor_start: None,
            v2: false,
            raw_cursor: None,
            first_start: 0,
            first_line: 1,
            rest_of_first_line: false,
            index: 0,
            fast_lane: true,
            matches_taken: 0,
            keep_calls: false,
            keep_for_js: false,
            issues_dropped: 0,
            summary,
            form_seen: None,
        }
    }

    /// Ends one input and starts the next, as a new scanner with the same filter and options would, but keeping
    /// the summary: with several inputs (files), the summary is of them all. Returns the input's result, as
    /// `finish` would (without the summary; `finish` gives it after the last input).
    pub fn finish_input(&mut self) -> ScanResult {
        let mut next = CallScanner::from_parts(
            Arc::clone(&self.matcher),
            self.options.clone(),
            self.prefilter.clone(),
            None,
        );
        next.fast_lane = self.fast_lane;
        next.keep_calls = self.keep_calls;
        next.keep_for_js = self.keep_for_js;
        let done = std::mem::replace(self, next);
        let (result, summary) = done.finish_parts(&mut |_, _, _| {});
        self.summary = summary;
        result
    }

    /// Reads every record with the full reader, so `push_with`/`finish_with` see a `Call` for each match.
    pub fn without_fast_lane(mut self) -> Self {
        self.fast_lane = false;
        self
    }

    /// Keeps every matching call, read in full, in `ScanResult::calls`: the whole-input reader (`batch.rs`) is this
    /// scanner, so every reader of bytes cuts records the same way. No fast lane: each match needs its `Call`.
    pub fn keeping_calls(mut self) -> Self {
        self.keep_calls = true;
        self.without_fast_lane()
    }

    /// Keeps every match in `ScanResult::kept`: as its place in the input when `JSON.parse` of its bytes gives its
    /// `Call` object (what a Go server wrote, mostly), else read in full. What the JavaScript readers use.
    pub fn keeping_for_js(mut self) -> Self {
        self.keep_for_js = true;
        self
    }

    /// The options the scanner was made with.
    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Bytes received so far.
    pub fn bytes_seen(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Records seen so far.
    pub fn records_seen(&self) -> u64 {
        self.result.total
    }

    /// Matches so far.
    pub fn matches_so_far(&self) -> usize {
        self.matches_taken + self.result.indices.len()
    }

    /// The positions and byte ranges of the matches found since the last call; they are not repeated in `finish`,
    /// so a long stream with a broad filter holds none of them.
    pub fn take_matches(&mut self) -> (Vec<u32>, Vec<u64>) {
        self.matches_taken += self.result.indices.len();
        (
            std::mem::take(&mut self.result.indices),
            std::mem::take(&mut self.result.offsets),
        )
    }

    /// The Go-exact JSON of the matches found since the last call (only with `emit`).
    pub fn take_records(&mut self) -> Vec<String> {
        std::mem::take(&mut self.records)
    }

    /// With `ranges`: the byte ranges of the records completed since the last call (flat `[start, end)`, input
    /// order); they are not repeated in `finish`.
    pub fn take_ranges(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.result.ranges)
    }

    /// Issues found since the last call; they are not repeated in `finish`.
    pub fn take_issues(&mut self) -> Vec<Issue> {
        self.close_dropped();
        std::mem::take(&mut self.result.issues)
    }

    /// Keeps an issue, or counts it when `MAX_HELD_ISSUES` are held already.
    fn report(&mut self, issue: Issue) {
        if self.result.issues.len() < MAX_HELD_ISSUES {
            self.result.issues.push(issue);
        } else {
            self.issues_dropped += 1;
        }
    }

    /// The issue that counts those left out, once they are all known.
    fn close_dropped(&mut self) {
        if self.issues_dropped > 0 {
            let n = std::mem::take(&mut self.issues_dropped);
            self.result.issues.push(Issue::new(
                Severity::Error,
                IssueCode::TooManyIssues,
                "",
                format!(
                    "{n} more issues were found and not kept: at most {MAX_HELD_ISSUES} are held at a time \
                     (a CallStream that takes its issues after each chunk keeps them all)"
                ),
            ));
        }
    }

    /// Feeds the next chunk, split anywhere (even inside a UTF-8 character).
    pub fn push(&mut self, chunk: &[u8]) {
        self.push_with(chunk, &mut |_, _, _| {});
    }

    /// `push`, handing each matching call and its byte range to `sink` (the columnar index is built this way).
    pub fn push_with(&mut self, chunk: &[u8], sink: &mut dyn FnMut(&Row, u64, u64)) {
        self.buf.extend_from_slice(chunk);
        self.advance(sink);
    }

    /// `push` of `n` bytes that `fill` writes straight into the scanner's buffer (the wasm boundary copies a JS
    /// `Uint8Array` this way, without an intermediate copy).
    pub fn push_filled(&mut self, n: usize, fill: impl FnOnce(&mut [u8])) {
        self.push_filled_with(n, fill, &mut |_, _, _| {});
    }

    /// `push_filled`, handing each matching call and its byte range to `sink`.
    pub fn push_filled_with(
        &mut self,
        n: usize,
        fill: impl FnOnce(&mut [u8]),
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) {
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        if let Some(dst) = self.buf.get_mut(old..) {
            fill(dst);
        }
        self.advance(sink);
    }

    /// `push` of a chunk the caller gives away: when nothing is pending, it becomes the buffer without a copy.
    pub fn push_owned(&mut self, chunk: Vec<u8>) {
        if self.buf.is_empty() {
            self.buf = chunk;
        } else {
            self.buf.extend_from_slice(&chunk);
        }
        self.advance(&mut |_, _, _| {});
    }

    fn advance(&mut self, sink: &mut dyn FnMut(&Row, u64, u64)) {
        let m = Arc::clone(&self.matcher);
        self.run(&m, false, sink);
        self.cap_pending();
        self.compact();
    }

    /// Applies the limit to what is kept until the next push: a record in progress past `max_record_bytes` is
    /// reported now and its bytes are dropped from here on; a key or cursor too long to matter is not kept.
    fn cap_pending(&mut self) {
        let max = self.options.max_record_bytes;
        let len = self.buf.len();
        match self.form {
            Form::Array | Form::Envelope => {
                if let (Some((start, line, _)), None) = (self.record, self.oversized) {
                    if len.saturating_sub(start) > max {
                        let at = self.base + start as u64;
                        self.too_large(at, line, LIST_RECORD_TOO_LARGE);
                        self.oversized = Some(at);
                    }
                }
            }
            _ => {}
        }
        if let Some(k) = self.key_start {
            if len.saturating_sub(k) > LONGEST_KEY {
                self.key_start = None;
                self.last_key.clear(); // none of the keys the scanner looks for
            }
        }
        if let Some(c) = self.cursor_start {
            if len.saturating_sub(c) > max {
                self.cursor_start = None;
                self.cursor_too_large(c);
            }
        }
    }

    fn cursor_too_large(&mut self, c: usize) {
        let max = self.options.max_record_bytes;
        let at = self.base + c as u64;
        let line = self.line;
        self.raw_cursor = None;
        self.issue_at(
            IssueCode::RecordTooLarge,
            at,
            Some(line),
            None,
            format!("the envelope's next_cursor is larger than the limit of {max} bytes (max_record_bytes): it is not kept"),
        );
    }

    /// The first object grew past the limit before it was known to be an envelope: it is taken as the first NDJSON
    /// record, too large, and the input is read as NDJSON from the next newline.
    fn first_object_too_large(&mut self) {
        let at = self.base + self.first_start as u64;
        let line = self.first_line;
        self.too_large(at, line, LINE_TOO_LARGE);
        self.form = Form::Ndjson;
        self.skip_line = Some(SkipLine::Record(at));
        self.key_start = None;
        self.cursor_start = None;
        self.in_string = false;
        self.escape = false;
        self.depth = 0;
        self.scanned = self.pos;
    }

    /// Counts a record that is too large and reports it; `message` says what happens to it (`{max}` is the limit).
    fn too_large(&mut self, at: u64, line: u64, message: &str) -> u64 {
        let index = self.count_record();
        let message = message.replace("{max}", &self.options.max_record_bytes.to_string());
        self.issue_at(
            IssueCode::RecordTooLarge,
            at,
            Some(line),
            Some(index),
            message,
        );
        index
    }

    /// Ends the input: reads what is left and returns everything found.
    pub fn finish(self) -> ScanResult {
        self.finish_with(&mut |_, _, _| {})
    }

    /// `finish`, handing the last matches to `sink`.
    pub fn finish_with(self, sink: &mut dyn FnMut(&Row, u64, u64)) -> ScanResult {
        let (mut result, summary) = self.finish_parts(sink);
        result.summary = summary.map(SummaryBuilder::finish);
        result
    }

    /// The input's result, and the summary still to be finished.
    fn finish_parts(
        mut self,
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) -> (ScanResult, Option<SummaryBuilder>) {
        let m = Arc::clone(&self.matcher);
        self.run(&m, true, sink);
        if let Some(raw) = self.raw_cursor.take() {
            let text = match json::parse(&raw).map(|n| n.value) {
                Ok(json::Value::String(s)) => s.text.into_owned(),
                _ => String::new(),
            };
            self.result.next_cursor = if self.v2 && !text.is_empty() {
                decode_v2_cursor(&text).unwrap_or(text)
            } else {
                text
            };
        }
        self.close_dropped();
        self.result.records = std::mem::take(&mut self.records);
        self.result.form = self.form_seen;
        (self.result, self.summary)
    }

    /// Drops the bytes before the record in progress.
    fn compact(&mut self) {
        let keep_from = match (self.form, self.record) {
            (Form::FirstObject, _) => self.first_start,
            (_, Some((start, _, _))) if self.oversized.is_none() => start,
            _ => self.pos,
        };
        // A key or cursor string still being read must stay too (found by fuzzing: a key cut by a chunk boundary).
        let keep_from = [Some(keep_from), self.key_start, self.cursor_start]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(keep_from)
            .min(self.pos)
            .min(self.buf.len());
        if keep_from > 0 {
            self.drop_front(keep_from);
        }
        // Memory a skipped or long record needed goes back once it is no longer needed.
        const FLOOR: usize = 1 << 20;
        if self.buf.capacity() > FLOOR && self.buf.capacity() / 4 > self.buf.len() {
            self.buf.shrink_to((self.buf.len() * 2).max(FLOOR));
        }
    }

    fn drop_front(&mut self, keep_from: usize) {
        self.buf.drain(..keep_from);
        self.base += keep_from as u64;
        self.pos -= keep_from;
        self.scanned = self.scanned.saturating_sub(keep_from);
        self.first_start = self.first_start.saturating_sub(keep_from);
        self.key_start = self.key_start.map(|k| k.saturating_sub(keep_from));
        self.cursor_start = self.cursor_start.map(|k| k.saturating_sub(keep_from));
        if let Some((s, l, c)) = self.record {
            self.record = Some((s.saturating_sub(keep_from), l, c));
        }
    }

    /// Counts a record (good or bad) and, with `ranges`, keeps its byte range. Every record passes here once.
    fn new_record(&mut self, start: u64, end: u64) -> u64 {
        let index = self.count_record();
        self.push_range(start, end);
        index
    }

    /// Counts a record; its range follows with `push_range` before the next record is counted.
    fn count_record(&mut self) -> u64 {
        let index = self.index;
        self.index += 1;
        self.result.total += 1;
        index
    }

    fn push_range(&mut self, start: u64, end: u64) {
        if self.options.ranges {
            self.result.ranges.push(start);
            self.result.ranges.push(end);
        }
    }

    fn issue_at(
        &mut self,
        code: IssueCode,
        offset: u64,
        line: Option<u64>,
        index: Option<u64>,
        message: String,
    ) {
        let mut issue = Issue::new(Severity::Error, code, "", message);
        issue.offset = Some(offset);
        issue.line = line;
        issue.index = index;
        self.report(issue);
    }

    fn run(&mut self, m: &Matcher, last: bool, sink: &mut dyn FnMut(&Row, u64, u64)) {
        loop {
            match self.form {
                Form::Start => {
                    let Some(p) = self
                        .buf
                        .get(self.pos..)
                        .and_then(|r| r.iter().position(|b| !b" \t\r\n".contains(b)))
                    else {
                        self.count_lines_to(self.buf.len());
                        return;
                    };
                    self.count_lines_to(self.pos + p);
                    let rest = self.buf.get(self.pos..).unwrap_or_default();
                    if rest.starts_with(&[0xEF, 0xBB, 0xBF]) {
                        let off = self.base + self.pos as u64;
                        self.issue_at(IssueCode::JsonBom, off, Some(self.line), None, "the input starts with a byte order mark (U+FEFF), which JSON does not allow; it was skipped".into());
                        self.pos += 3;
                        continue;
                    }
                    if !last && rest.len() < 3 && [0xEF, 0xBB, 0xBF].starts_with(rest) {
                        return; // maybe a BOM split across chunks
                    }
                    match rest.first() {
                        Some(b'[') => {
                            self.form_seen = Some(InputForm::Array);
                            self.form = Form::Array;
                            self.record_depth = 1;
                            self.depth = 1;
                            self.list_state = ListState::ValueOrClose;
                            self.pos += 1;
                        }
                        Some(b'{') => {
                            self.form = Form::FirstObject;
                            self.first_start = self.pos;
                            self.first_line = self.line;
                            self.depth = 1;
                            self.expect_key = true;
                            self.pos += 1;
                        }
                        Some(_) => {
                            self.form_seen = Some(InputForm::Ndjson);
                            self.form = Form::Ndjson;
                        }
                        None => return,
                    }
                }
                Form::Ndjson => {
                    self.ndjson(m, last, sink);
                    return;
                }
                Form::Rejected => {
                    self.pos = self.buf.len();
                    return;
                }
                Form::Array | Form::Envelope | Form::FirstObject | Form::Done => {
                    let len = self.buf.len();
                    // The first object is walked no further than the limit (the same wherever the chunks split).
                    let first_limit = self
                        .first_start
                        .saturating_add(self.options.max_record_bytes)
                        .saturating_add(1);
                    let end = if self.form == Form::FirstObject {
                        len.min(first_limit)
                    } else {
                        len
                    };
                    self.structure(m, end, sink);
                    if self.form == Form::Ndjson {
                        continue; // the first object was a record: the rest is NDJSON
                    }
                    if self.form == Form::FirstObject && self.pos >= first_limit {
                        self.first_object_too_large();
                        continue;
                    }
                    if self.pos < len && self.form != Form::Rejected {
                        continue; // the first object became an envelope before the limit: walk the rest
                    }
                    if last {
                        self.end_of_structure();
                    }
                    return;
                }
            }
        }
    }

    #[inline]
    fn count_lines_to(&mut self, to: usize) {
        let from = self.pos.min(to);
        self.line +=
            memchr::memchr_iter(b'\n', self.buf.get(from..to).unwrap_or_default()).count() as u64;
        self.pos = to;
    }

    fn ndjson(&mut self, m: &Matcher, last: bool, sink: &mut dyn FnMut(&Row, u64, u64)) {
        loop {
            // The search resumes where the last one stopped: a long line costs its length once, not once per push.
            let from = self.scanned.max(self.pos).min(self.buf.len());
            let rest = self.buf.get(from..).unwrap_or_default();
            let found = memchr::memchr(b'\n', rest);
            #[cfg(test)]
            {
                self.examined += found.map_or(rest.len(), |p| p + 1) as u64;
            }
            let (line_end, next) = match found {
                Some(p) => (from + p, from + p + 1),
                None if last => (self.buf.len(), self.buf.len()),
                None => {
                    self.scanned = self.buf.len();
                    self.line_in_progress();
                    return;
                }
            };
            let start = self.pos;
            let line = self.line;
            let is_last_unterminated = last && next == line_end;
            let blank = |l: &[u8]| l.iter().position(|b| !b" \t\r".contains(b));
            match self.skip_line.take() {
                Some(SkipLine::Record(at)) => {
                    let end = self.base + line_end as u64;
                    self.push_range(at, end);
                }
                Some(SkipLine::Rest) => {}
                Some(SkipLine::Blank(at)) => {
                    if self.buf.get(start..line_end).and_then(blank).is_some() {
                        let end = self.base + line_end as u64;
                        self.too_large(at, line, LINE_TOO_LARGE);
                        self.push_range(at, end);
                    }
                }
                None if std::mem::take(&mut self.rest_of_first_line) => {
                    // what follows the first record on its own line: only blanks are allowed
                    if let Some(p) = self.buf.get(start..line_end).and_then(blank) {
                        self.trailing_after_first(start + p, line);
                    }
                }
                None => {
                    if self
                        .buf
                        .get(start..line_end)
                        .is_some_and(|l| blank(l).is_some())
                    {
                        self.record_at(m, start, line_end, line, is_last_unterminated, sink);
                    }
                }
            }
            self.pos = next;
            self.scanned = next;
            if next > line_end {
                self.line += 1;
            }
            if next >= self.buf.len() {
                return;
            }
        }
    }

    fn trailing_after_first(&mut self, at: usize, line: u64) {
        let off = self.base + at as u64;
        self.issue_at(
            IssueCode::JsonTrailing,
            off,
            Some(line),
            None,
            "unexpected data after the record on the same line".into(),
        );
    }

    /// An NDJSON line with no newline yet. The rest of the first record's line is checked as it comes; a line
    /// past the limit is reported and then dropped as it comes, up to its newline.
    fn line_in_progress(&mut self) {
        let len = self.buf.len();
        if self.rest_of_first_line {
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            if let Some(p) = rest.iter().position(|b| !b" \t\r".contains(b)) {
                let (at, line) = (self.pos + p, self.line);
                self.trailing_after_first(at, line);
                self.rest_of_first_line = false;
                self.skip_line = Some(SkipLine::Rest);
            }
            self.pos = len; // blanks so far, or dropped
            return;
        }
        let max = self.options.max_record_bytes;
        let start = match self.skip_line {
            None if len.saturating_sub(self.pos) > max => Some(self.base + self.pos as u64),
            Some(SkipLine::Blank(at)) => Some(at),
            _ => None,
        };
        if let Some(at) = start {
            // only blanks so far is not a record yet (a blank line is none)
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            if rest.iter().any(|b| !b" \t\r".contains(b)) {
                let line = self.line;
                self.too_large(at, line, LINE_TOO_LARGE);
                self.skip_line = Some(SkipLine::Record(at));
            } else {
                self.skip_line = Some(SkipLine::Blank(at));
            }
        }
        if self.skip_line.is_some() {
            self.pos = len;
        }
    }

    /// A complete record at `buf[start..end]`: read it, or report it when it is larger than the limit.
    fn record_at(
        &mut self,
        m: &Matcher,
        start: usize,
        end: usize,
        line: u64,
        maybe_truncated: bool,
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) {
        if end.saturating_sub(start) > self.options.max_record_bytes {
            let at = self.base + start as u64;
            let message = if self.form == Form::Ndjson || self.form == Form::FirstObject {
                LINE_TOO_LARGE
            } else {
                LIST_RECORD_TOO_LARGE
            };
            self.too_large(at, line, message);
            self.push_range(at, self.base + end as u64);
            return;
        }
        self.process_range(m, start, end, line, maybe_truncated, sink);
    }

    /// The structural walk for arrays and envelopes: tracks strings and depth, cuts records at `record_depth`.
    fn structure(&mut self, m: &Matcher, end: usize, sink: &mut dyn FnMut(&Row, u64, u64)) {
        while self.pos < end {
            if !self.in_string
                && matches!(self.record, Some((_, _, true)))
                && self.depth > self.record_depth
            {
                self.skim(end);
                if self.pos >= end {
                    break;
                }
            }
            let i = self.pos;
            let Some(&b) = self.buf.get(i) else { break };
            self.pos += 1;
            if self.form == Form::Done && !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                let off = self.base + i as u64;
                let line = self.line;
                let what = if self.record_depth == 2 {
                    "envelope"
                } else {
                    "array"
                };
                self.issue_at(
                    IssueCode::JsonTrailing,
                    off,
                    Some(line),
                    None,
                    format!("unexpected data after the end of the {what}"),
                );
                self.form = Form::Rejected;
                self.pos = end; // nothing after the document is read
                return;
            }
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                    self.string_ended(i);
                } else if b == b'\n' {
                    self.line += 1;
                }
                continue;
            }
            match b {
                b'\n' => {
                    self.line += 1;
                    self.scalar_ends(m, i, sink);
                }
                b' ' | b'\t' | b'\r' => self.scalar_ends(m, i, sink),
                b'"' => {
                    self.value_starts(i, false);
                    self.in_string = true;
                    if self.depth == 1 && matches!(self.form, Form::FirstObject | Form::Envelope) {
                        if self.expect_key {
                            self.key_start = Some(i + 1);
                        } else if self.last_key == b"next_cursor" {
                            self.cursor_start = Some(i);
                        }
                    }
                }
                b'{' | b'[' => {
                    self.value_starts(i, true);
                    self.depth += 1;
                    let top_key_value = (self.form == Form::FirstObject
                        || self.form == Form::Envelope)
                        && self.depth == 2;
                    if top_key_value
                        && b == b'['
                        && (self.last_key == b"calls" || self.last_key == b"items")
                    {
                        self.form = Form::Envelope;
                        self.form_seen = Some(InputForm::Envelope);
                        self.in_list = true;
                        self.list_state = ListState::ValueOrClose;
                        self.record_depth = 2;
                        self.v2 |= self.last_key == b"items";
                    }
                    if self.depth == 1 {
                        self.expect_key = b == b'{';
                    }
                }
                b'}' | b']' => {
                    self.scalar_ends(m, i, sink);
                    if self.in_records() && self.depth == self.record_depth {
                        if b == b'}' {
                            self.framing_error(i, "'}' closes a list of records opened with '['");
                        } else if self.list_state == ListState::Value {
                            self.framing_error(i, "a trailing ',' before ']'");
                        }
                    }
                    self.depth = self.depth.saturating_sub(1);
                    if let Some((start, line, true)) = self.record {
                        if self.depth == self.record_depth {
                            self.record = None;
                            self.record_done(m, start, i + 1, line, sink);
                        }
                    }
                    if self.form == Form::Envelope && self.depth == 1 && b == b']' && self.in_list {
                        self.in_list = false;
                    }
                    if self.depth == 0 {
                        match self.form {
                            Form::FirstObject if self.list_key_seen => {
                                // An envelope whose list is null: no records.
                                self.form = Form::Done;
                                self.form_seen = Some(InputForm::Envelope);
                            }
                            Form::FirstObject => {
                                // A whole object with no list in it: a call, the first of NDJSON.
                                let (start, line) = (self.first_start, self.first_line);
                                self.form_seen = Some(if line == self.line {
                                    InputForm::Ndjson
                                } else {
                                    InputForm::Object
                                });
                                self.record_at(m, start, i + 1, line, false, sink);
                                self.form = Form::Ndjson;
                                self.rest_of_first_line = true;
                                return;
                            }
                            _ => self.form = Form::Done,
                        }
                    }
                }
                b',' => {
                    self.scalar_ends(m, i, sink);
                    if self.in_records() && self.depth == self.record_depth {
                        if self.list_state != ListState::CommaOrClose {
                            self.framing_error(i, "a ',' where a record was expected");
                        }
                        self.list_state = ListState::Value;
                    }
                    if self.depth == 1 {
                        self.expect_key = true;
                    }
                }
                b':' => {
                    if self.depth == 1 {
                        self.expect_key = false;
                    }
                }
                _ => self.value_starts(i, false),
            }
        }
    }

    /// Inside a record's object or array, up to the bracket that closes the record (left to `structure`): only
    /// strings, brackets and line ends matter there, so they are found with the state in locals, strings a run at a
    /// time. Leaves the scanner as `structure`, byte by byte, would.
    fn skim(&mut self, end: usize) {
        let buf = self.buf.get(..end).unwrap_or_default();
        let (mut i, mut depth, mut line) = (self.pos, self.depth, self.line);
        while let Some(&b) = buf.get(i) {
            match b {
                b'"' => {
                    let mut j = i + 1;
                    loop {
                        let rest = buf.get(j..).unwrap_or_default();
                        let Some(p) = memchr::memchr3(b'"', b'\\', b'\n', rest) else {
                            // the string goes on in the next chunk
                            (self.pos, self.depth, self.line, self.in_string) =
                                (end, depth, line, true);
                            return;
                        };
                        let k = j + p;
                        match buf.get(k) {
                            Some(b'"') => {
                                i = k + 1;
                                break;
                            }
                            Some(b'\n') => {
                                line += 1;
                                j = k + 1;
                            }
                            _ if k + 1 >= end => {
                                // a `\` ending the chunk escapes the next chunk's first byte
                                (self.pos, self.depth, self.line) = (end, depth, line);
                                (self.in_string, self.escape) = (true, true);
                                return;
                            }
                            _ => j = k + 2,
                        }
                    }
                }
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' => {
                    if depth <= self.record_depth + 1 {
                        break;
                    }
                    depth -= 1;
                    i += 1;
                }
                b'\n' => {
                    line += 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        (self.pos, self.depth, self.line) = (i, depth, line);
    }

    fn string_ended(&mut self, i: usize) {
        if let Some(k) = self.key_start.take() {
            self.last_key = self.buf.get(k..i).unwrap_or_default().to_vec();
            self.list_key_seen |= self.last_key == b"calls" || self.last_key == b"items";
        }
        if let Some(c) = self.cursor_start.take() {
            if i + 1 - c.min(i) > self.options.max_record_bytes {
                self.cursor_too_large(c);
            } else {
                self.raw_cursor = self.buf.get(c..i + 1).map(<[u8]>::to_vec);
            }
        }
    }

    fn in_records(&self) -> bool {
        match self.form {
            Form::Array => true,
            Form::Envelope => self.in_list,
            _ => false,
        }
    }

    fn value_starts(&mut self, i: usize, container: bool) {
        if self.record.is_none() && self.in_records() && self.depth == self.record_depth {
            if self.list_state == ListState::CommaOrClose {
                self.framing_error(i, "expected ',' or ']' between two records");
            }
            self.list_state = ListState::CommaOrClose;
            self.record = Some((i, self.line, container));
        }
    }

    /// A syntax error in the list around the records (the records themselves are checked by the reader).
    fn framing_error(&mut self, i: usize, message: &str) {
        let off = self.base + i as u64;
        let line = self.line;
        self.issue_at(
            IssueCode::JsonSyntax,
            off,
            Some(line),
            None,
            message.to_string(),
        );
    }

    fn scalar_ends(&mut self, m: &Matcher, i: usize, sink: &mut dyn FnMut(&Row, u64, u64)) {
        if let Some((start, line, false)) = self.record {
            if self.depth == self.record_depth && !self.in_string {
                self.record = None;
                self.record_done(m, start, i, line, sink);
            }
        }
    }

    fn record_done(
        &mut self,
        m: &Matcher,
        start: usize,
        end: usize,
        line: u64,
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) {
        if let Some(at) = self.oversized.take() {
            // already counted and reported when it grew past the limit; its bytes were not kept
            self.push_range(at, self.base + end as u64);
            return;
        }
        self.record_at(m, start, end, line, false, sink);
    }

    /// `process` on `buf[start..end]`, lending the buffer out instead of copying the record.
    fn process_range(
        &mut self,
        m: &Matcher,
        start: usize,
        end: usize,
        line: u64,
        maybe_truncated: bool,
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) {
        let buf = std::mem::take(&mut self.buf);
        self.process(
            m,
            buf.get(start..end).unwrap_or_default(),
            start,
            line,
            maybe_truncated,
            sink,
        );
        self.buf = buf;
    }

    fn end_of_structure(&mut self) {
        let off = self.bytes_seen();
        let line = self.line;
        match self.form {
            Form::Done | Form::Start | Form::Ndjson | Form::Rejected => {}
            Form::FirstObject => {
                let at = self.base + self.first_start as u64;
                let index = self.new_record(at, off);
                self.issue_at(
                    IssueCode::Truncated,
                    at,
                    Some(self.first_line),
                    Some(index),
                    "the input ends inside the first object: was it cut off?".into(),
                );
            }
            Form::Array | Form::Envelope => {
                if let Some(at) = self.oversized.take() {
                    self.record = None;
                    self.push_range(at, off);
                } else if let Some((start, rline, _)) = self.record.take() {
                    let at = self.base + start as u64;
                    let index = self.new_record(at, off);
                    self.issue_at(
                        IssueCode::Truncated,
                        at,
                        Some(rline),
                        Some(index),
                        "the input ends inside this record: was it cut off?".into(),
                    );
                }
                let what = if self.form == Form::Array {
                    "array"
                } else {
                    "envelope"
                };
                self.issue_at(
                    IssueCode::Truncated,
                    off,
                    Some(line),
                    None,
                    format!("the input ends before the {what} is closed"),
                );
            }
        }
    }

    /// One record: prefilter, read, match.
    fn process(
        &mut self,
        m: &Matcher,
        record: &[u8],
        start: usize,
        line: u64,
        maybe_truncated: bool,
        sink: &mut dyn FnMut(&Row, u64, u64),
    ) {
        let offset = self.base + start as u64;
        let index = self.new_record(offset, offset + record.len() as u64);
        if let Some(p) = &self.prefilter {
            if !p.may_match(record) {
                return;
            }
        }
        // The fast lane settles clean records without building anything; whatever it is unsure of (every record
        // with an error among them) goes on to the full reader, which reports exactly.
        if self.fast_lane {
            let mut for_js = None;
            let fast = if self.keep_for_js {
                // only a record JSON.parse can rebuild is settled here; the rest are read in full below
                let mode = self.options.mode;
                match crate::fast_read::read_clean_for_js(record, mode, self.options.warnings) {
                    Some((_, _, ForJs::Differs)) | None => None,
                    Some((row, warnings, form)) => {
                        for_js = Some(form);
                        Some((row, warnings))
                    }
                }
            } else if self.options.warnings {
                crate::fast_read::read_clean_with_issues(record, self.options.mode)
            } else {
                crate::fast_read::read_clean_row(record, self.options.mode).map(|r| (r, Vec::new()))
            };
            if let Some((row, warnings)) = fast {
                for mut issue in warnings {
                    issue.offset = issue.offset.map(|o| o + offset);
                    issue.index = Some(index);
                    issue.line = Some(line);
                    self.report(issue);
                }
                if m.matches_view(&row.view) {
                    self.result
                        .indices
                        .push(u32::try_from(index).unwrap_or(u32::MAX));
                    self.result.offsets.push(offset);
                    self.result.offsets.push(offset + record.len() as u64);
                    if self.options.emit {
                        let full = crate::record::call_from_bytes(
                            record,
                            ReadOptions {
                                mode: self.options.mode,
                            },
                        );
                        if let Some(call) = full.call {
                            self.records.push(gojson::call_to_string(&call));
                        }
                    }
                    if let Some(s) = &mut self.summary {
                        s.add(&SummaryRow::of_row(&row));
                    }
                    sink(&row, offset, offset + record.len() as u64);
                    match for_js {
                        Some(ForJs::Verbatim) => self.result.kept.push(Kept::Verbatim {
                            start: offset,
                            end: offset + record.len() as u64,
                        }),
                        Some(ForJs::Quoted(text)) => self.result.kept.push(Kept::Text(text)),
                        _ => {}
                    }
                }
                return;
            }
        }
        let node = match json::parse(record) {
            Ok(n) => n,
            Err(issue) => {
                let mut issue = *issue;
                let rel = issue.offset.unwrap_or(0);
                if maybe_truncated && rel == record.len() as u64 {
                    cut_off_last_line(&mut issue);
                }
                issue.offset = Some(offset + rel);
                issue.index = Some(index);
                issue.line = Some(line);
                self.report(issue);
                return;
            }
        };
        let inner = unwrap_envelope(&node, "call").unwrap_or(&node);
        let mut r = Reporter::new(true);
        let call = read_call(
            inner,
            ReadOptions {
                mode: self.options.mode,
            },
            &mut r,
        );
        let ok = !r.has_errors();
        for mut issue in r.issues {
            if issue.is_error() || self.options.warnings {
                issue.offset = issue.offset.map(|o| o + offset);
                issue.index = Some(index);
                issue.line = Some(line);
                self.report(issue);
            }
        }
        if ok && m.matches(&call) {
            self.result
                .indices
                .push(u32::try_from(index).unwrap_or(u32::MAX));
            self.result.offsets.push(offset);
            self.result.offsets.push(offset + record.len() as u64);
            if self.options.emit {
                self.records.push(gojson::call_to_string(&call));
            }
            let row = Row::of(&call);
            if let Some(s) = &mut self.summary {
                s.add(&SummaryRow::of_row(&row));
            }
            sink(&row, offset, offset + record.len() as u64);
            if self.keep_calls {
                self.result.calls.push(call);
            } else if self.keep_for_js {
                self.result.kept.push(Kept::Call(Box::new(call)));
            }
        }
    }
}

/// Scans one complete input.
pub fn scan_calls(
    bytes: &[u8],
    filter: CallFilter,
    options: ScanOptions,
) -> Result<ScanResult, Vec<Issue>> {
    let mut s = CallScanner::new(filter, options)?;
    s.push(bytes);
    Ok(s.finish())
}

/// [`scan_calls`] on bytes the caller gives away (no copy).
pub fn scan_owned(
    bytes: Vec<u8>,
    filter: CallFilter,
    options: ScanOptions,
) -> Result<ScanResult, Vec<Issue>> {
    let mut s = CallScanner::new(filter, options)?;
    s.push_owned(bytes);
    Ok(s.finish())
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
