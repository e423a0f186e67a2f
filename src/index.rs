//! The columnar index: calls read once, kept as compact columns (status byte, interned strings, times, metric
//! totals), so filtering, paging and summaries run again and again without rebuilding objects.
//!
//! Filtering applies the same per-field tests as `filterCalls` (`Matcher` in `filter.rs`), but to each distinct
//! string once rather than to each row, and walks the rows in id order so a page stops as soon as it is full.

use crate::datetime::GoTime;
use crate::error_groups::{normalize_error, ErrorGroup, ErrorGrouper};
use crate::filter::{compile, CallFilter};
use crate::issue::Issue;
use crate::scan::{CallScanner, InputForm, ScanOptions, Validate, DEFAULT_MAX_RECORD_BYTES};
use crate::status::{CallFormat, CallStatus, CallType, Mode};
use crate::summary::{summarize_rows, CallSummary, SummaryOptions, SummaryRow};
use crate::view::{MetricAcc, Row};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    pub mode: Mode,
    /// Keep the warnings of the records too (errors are always kept).
    pub warnings: bool,
    /// The largest record indexed (`ScanOptions::max_record_bytes`); a larger one is reported and left out.
    pub max_record_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            mode: Mode::default(),
            warnings: false,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// Distinct strings, each stored once.
#[derive(Default)]
struct Interner {
    strings: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map(|s| &**s).unwrap_or("")
    }

    /// `test` applied to every distinct string once.
    fn flags(&self, test: impl Fn(&str) -> bool) -> Vec<bool> {
        self.strings.iter().map(|s| test(s)).collect()
    }
}

/// A page of the index: positions (rows) and the server's cursor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexPage {
    pub positions: Vec<u32>,
    pub next_cursor: String,
}

pub struct CallIndex {
    mode: Mode,
    strings: Interner,
    ranges: Vec<(u64, u64)>,
    /// All ids, back to back; row `i` is `ids[id_at[i]..id_at[i + 1]]`.
    ids: String,
    id_at: Vec<u32>,
    status: Vec<Option<CallStatus>>,
    app: Vec<u32>,
    fn_id: Vec<u32>,
    path: Vec<u32>,
    image: Vec<u32>,
    method: Vec<u32>,
    error: Vec<u32>,
    call_type: Vec<Option<CallType>>,
    format: Vec<Option<CallFormat>>,
    created: Vec<GoTime>,
    started: Vec<GoTime>,
    completed: Vec<GoTime>,
    /// Row → slot in `metrics`, `u32::MAX` when the call has no `mem_usage`/`cpu_total` samples.
    metric_slot: Vec<u32>,
    metrics: Vec<(MetricAcc, MetricAcc)>,
    /// Rows by id, newest (largest) first; equal ids keep input order, as `filterCalls` does.
    order: Vec<u32>,
    issues: Vec<Issue>,
    /// Every record of the input, good or bad, flat `[start, end)` in input order.
    records: Vec<u64>,
    form: Option<InputForm>,
}

/// Builds a [`CallIndex`] from input fed in pieces, split anywhere (the wasm boundary copies a JS `Uint8Array` a
/// slice at a time, so the input never needs a full copy in wasm memory).
pub struct IndexBuilder {
    index: CallIndex,
    scanner: Option<CallScanner>,
}

impl IndexBuilder {
    pub fn new(options: IndexOptions) -> IndexBuilder {
        let index = CallIndex {
            mode: options.mode,
            strings: Interner::default(),
            ranges: Vec::new(),
            ids: String::new(),
            id_at: vec![0],
            status: Vec::new(),
            app: Vec::new(),
            fn_id: Vec::new(),
            path: Vec::new(),
            image: Vec::new(),
            method: Vec::new(),
            error: Vec::new(),
            call_type: Vec::new(),
            format: Vec::new(),
            created: Vec::new(),
            started: Vec::new(),
            completed: Vec::new(),
            metric_slot: Vec::new(),
            metrics: Vec::new(),
            order: Vec::new(),
            issues: Vec::new(),
            records: Vec::new(),
            form: None,
        };
        let scan_options = ScanOptions {
            mode: options.mode,
            validate: Validate::All,
            warnings: options.warnings,
            emit: false,
            ranges: true,
            summary: None,
            max_record_bytes: options.max_record_bytes,
        };
        // The empty filter has no errors, so the scanner is always made.
        let scanner = CallScanner::new(CallFilter::default(), scan_options).ok();
        IndexBuilder { index, scanner }
    }

    /// The next piece of input.
    pub fn push(&mut self, chunk: &[u8]) {
        self.push_filled(chunk.len(), |dst| dst.copy_from_slice(chunk));
    }

    /// `n` more bytes of input, written by `fill` straight into the scanner's buffer.
    pub fn push_filled(&mut self, n: usize, fill: impl FnOnce(&mut [u8])) {
        let IndexBuilder { index, scanner } = self;
        if let Some(scanner) = scanner {
            scanner.push_filled_with(n, fill, &mut |row, start, end| index.add(row, start, end));
        }
    }

    /// Ends the input: the index, with the issues of the records left out.
    pub fn finish(self) -> CallIndex {
        let IndexBuilder { mut index, scanner } = self;
        if let Some(scanner) = scanner {
            let result = scanner.finish_with(&mut |row, start, end| index.add(row, start, end));
            index.issues = result.issues;
            index.records = result.ranges;
            index.form = result.form;
        }
        // Newest id first; equal ids (a repeated record) keep their input order: the listing sort `filterCalls` uses
        // (the crate's one text sort).
        let order = crate::order::descending((0..index.len()).map(|i| index.id(i)));
        index.order = order
            .into_iter()
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        index
    }
}

impl CallIndex {
    /// Reads every record of `bytes` (NDJSON, array or envelope); bad records are left out and reported.
    pub fn build(bytes: &[u8], options: IndexOptions) -> CallIndex {
        let mut builder = IndexBuilder::new(options);
        builder.push(bytes);
        builder.finish()
    }

    fn add(&mut self, row: &Row, start: u64, end: u64) {
        let c = &row.view;
        self.ranges.push((start, end));
        self.ids.push_str(&c.id);
        self.id_at
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        self.status.push(c.status);
        let app = self.strings.intern(&c.app_name);
        self.app.push(app);
        let fn_id = self.strings.intern(&c.fn_id);
        self.fn_id.push(fn_id);
        let path = self.strings.intern(&c.path);
        self.path.push(path);
        let image = self.strings.intern(&c.image);
        self.image.push(image);
        let method = self.strings.intern(&c.method);
        self.method.push(method);
        let error = self.strings.intern(&c.error);
        self.error.push(error);
        self.call_type.push(c.call_type);
        self.format.push(c.format);
        self.created.push(c.created_at);
        self.started.push(c.started_at);
        self.completed.push(c.completed_at);
        let (mem, cpu) = (row.mem, row.cpu);
        if mem.samples == 0 && cpu.samples == 0 {
            self.metric_slot.push(u32::MAX);
        } else {
            self.metric_slot
                .push(u32::try_from(self.metrics.len()).unwrap_or(u32::MAX));
            self.metrics.push((mem, cpu));
        }
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// What the input was: NDJSON, an array, an envelope or one object (`None` when it held no record).
    pub fn form(&self) -> Option<InputForm> {
        self.form
    }

    /// Records in the input, good and bad (rows are the good ones).
    pub fn records(&self) -> usize {
        self.records.len() / 2
    }

    /// The byte range of record `k` of the input (counting bad records too, as `Issue::index` does), so a record
    /// that was left out can be shown as it was.
    pub fn record_range(&self, k: usize) -> Option<(u64, u64)> {
        let at = k.checked_mul(2)?;
        Some((*self.records.get(at)?, *self.records.get(at + 1)?))
    }

    /// Which record of the input row `i` is (its `Issue::index`).
    pub fn record_of(&self, i: usize) -> Option<usize> {
        let (start, _) = self.range(i)?;
        let (mut lo, mut hi) = (0usize, self.records());
        // Records are in input order and the row's range is its record's: a binary search on the starts.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (s, _) = self.record_range(mid)?;
            if s < start {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.record_range(lo)
            .filter(|(s, _)| *s == start)
            .map(|_| lo)
    }

    /// The byte range of row `i` in the input it was built from.
    pub fn range(&self, i: usize) -> Option<(u64, u64)> {
        self.ranges.get(i).copied()
    }

    #[inline]
    fn id(&self, i: usize) -> &str {
        let (Some(s), Some(e)) = (self.id_at.get(i), self.id_at.get(i + 1)) else {
            return "";
        };
        self.ids.get(*s as usize..*e as usize).unwrap_or("")
    }

    /// Like `filter_calls`: the server's order, cursor and paging (or every match with `all`), and the extensions.
    pub fn filter(&self, f: &CallFilter) -> Result<IndexPage, Vec<Issue>> {
        let (m, _warnings) = compile(f)?;
        let flags =
            |active: bool, test: &dyn Fn(&str) -> bool| active.then(|| self.strings.flags(test));
        let app_ok = flags(!f.app_name.is_empty(), &|s| m.app_ok(s));
        let path_ok = flags(!f.path.is_empty(), &|s| m.path_ok(s));
        let fn_ok = flags(!f.fn_id.is_empty(), &|s| m.fn_ok(s));
        let image_ok = flags(!f.image.is_empty(), &|s| m.image_ok(s));
        let method_ok = flags(!f.method.is_empty(), &|s| m.method_ok(s));
        let error_active = !f.error.is_empty()
            || !f.error_contains.is_empty()
            || !f.error_pattern.is_empty()
            || !f.error_group.is_empty();
        let error_ok = flags(error_active, &|s| m.error_ok(s));
        let check = |flags: &Option<Vec<bool>>, column: &[u32], row: usize| match flags {
            None => true,
            Some(ok) => column
                .get(row)
                .and_then(|id| ok.get(*id as usize))
                .copied()
                .unwrap_or(false),
        };
        let status_active = !f.status.is_empty();
        let times_active = m.has_time_conditions();
        let limit = if f.all { usize::MAX } else { f.page_size() };
        // Rows below the cursor are a suffix of the id order.
        let first = if f.cursor.is_empty() {
            0
        } else {
            self.order
                .partition_point(|r| self.id(*r as usize) >= f.cursor.as_str())
        };
        // status → passes, by discriminant (the last slot: no status), so a row costs one lookup
        let mut status_ok = [true; 8];
        if status_active {
            for st in CallStatus::ALL {
                if let Some(slot) = status_ok.get_mut(st as usize) {
                    *slot = m.status_ok(Some(st));
                }
            }
            status_ok[7] = m.status_ok(None);
        }
        let status_passes = |row: usize| match self.status.get(row) {
            Some(Some(s)) => status_ok.get(*s as usize).copied().unwrap_or(false),
            Some(None) => status_ok[7],
            None => false,
        };
        let mut positions = Vec::new();
        for &r in self.order.get(first..).unwrap_or_default() {
            let row = r as usize;
            let ok = status_passes(row)
                && check(&app_ok, &self.app, row)
                && check(&path_ok, &self.path, row)
                && check(&fn_ok, &self.fn_id, row)
                && check(&error_ok, &self.error, row)
                && check(&image_ok, &self.image, row)
                && check(&method_ok, &self.method, row)
                && (f.call_type.is_none()
                    || self.call_type.get(row).is_some_and(|t| m.type_ok(*t)))
                && (f.format.is_none() || self.format.get(row).is_some_and(|t| m.format_ok(*t)))
                && (!times_active || self.times_ok(&m, row));
            if ok {
                positions.push(r);
                if positions.len() >= limit {
                    break;
                }
            }
        }
        let next_cursor = match positions.last() {
            Some(last) if !f.all && positions.len() == limit => self.id(*last as usize).to_string(),
            _ => String::new(),
        };
        Ok(IndexPage {
            positions,
            next_cursor,
        })
    }

    fn times_ok(&self, m: &crate::filter::Matcher, row: usize) -> bool {
        match (
            self.created.get(row),
            self.started.get(row),
            self.completed.get(row),
        ) {
            (Some(c), Some(s), Some(d)) => m.times_ok(c, s, d),
            _ => false,
        }
    }

    fn row(&self, i: usize) -> Option<SummaryRow<'_>> {
        let (mem, cpu) = match self.metric_slot.get(i) {
            Some(slot) if *slot != u32::MAX => self
                .metrics
                .get(*slot as usize)
                .copied()
                .unwrap_or_default(),
            _ => (MetricAcc::default(), MetricAcc::default()),
        };
        Some(SummaryRow {
            status: *self.status.get(i)?,
            app_name: self.strings.get(*self.app.get(i)?),
            path: self.strings.get(*self.path.get(i)?),
            created_at: *self.created.get(i)?,
            started_at: *self.started.get(i)?,
            completed_at: *self.completed.get(i)?,
            mem,
            cpu,
        })
    }

    /// The table rows at `positions` as a JSON array (the wasm boundary hands it to one `JSON.parse`): for each,
    /// `position`, `id`, `status`, `app_name`, `path`, `image`, `method`, `error`, `created_at` (Go's text),
    /// `created_ms` (Unix milliseconds), `duration_ms` (`null` unless started and completed), and `mem_peak`: the
    /// largest `mem_usage` sample, as a decimal string (it is a uint64), `null` without samples.
    pub fn write_rows(&self, positions: impl Iterator<Item = usize>, out: &mut String) {
        use crate::gojson::write_string;
        use std::fmt::Write;
        out.push('[');
        let mut first = true;
        for i in positions {
            let (Some(created), Some(started), Some(completed)) = (
                self.created.get(i),
                self.started.get(i),
                self.completed.get(i),
            ) else {
                continue;
            };
            if !std::mem::take(&mut first) {
                out.push(',');
            }
            let _ = write!(out, "{{\"position\":{i},\"id\":");
            write_string(out, self.id(i));
            out.push_str(",\"status\":");
            write_string(
                out,
                self.status
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or("", |s| s.as_str()),
            );
            for (key, column) in [
                ("app_name", &self.app),
                ("path", &self.path),
                ("image", &self.image),
                ("method", &self.method),
                ("error", &self.error),
            ] {
                let _ = write!(out, ",\"{key}\":");
                write_string(out, column.get(i).map_or("", |s| self.strings.get(*s)));
            }
            out.push_str(",\"created_at\":\"");
            created.write_to(out);
            let _ = write!(out, "\",\"created_ms\":{}", created.unix_millis());
            match crate::model::duration_ms(started, completed) {
                Some(d) => {
                    let _ = write!(out, ",\"duration_ms\":{d}");
                }
                None => out.push_str(",\"duration_ms\":null"),
            }
            let mem = match self.metric_slot.get(i) {
                Some(slot) if *slot != u32::MAX => self.metrics.get(*slot as usize).map(|m| m.0),
                _ => None,
            };
            match mem.filter(|m| m.samples > 0) {
                Some(m) => {
                    let _ = write!(out, ",\"mem_peak\":\"{}\"}}", m.peak);
                }
                None => out.push_str(",\"mem_peak\":null}"),
            }
        }
        out.push(']');
    }

    /// The error groups (`error_groups.rs`) of the calls at `positions` (every call when `None`), the largest
    /// first. Each distinct error text is normalised once.
    pub fn error_groups(&self, positions: Option<&[u32]>) -> Vec<ErrorGroup> {
        let mut keys: HashMap<u32, String> = HashMap::new();
        let mut grouper = ErrorGrouper::new();
        let all: Vec<u32>;
        let rows = match positions {
            Some(p) => p,
            None => {
                all = (0..u32::try_from(self.len()).unwrap_or(u32::MAX)).collect();
                &all
            }
        };
        for &r in rows {
            let i = r as usize;
            let (Some(error), Some(path), Some(created)) =
                (self.error.get(i), self.path.get(i), self.created.get(i))
            else {
                continue;
            };
            let text = self.strings.get(*error);
            if text.is_empty() {
                continue;
            }
            let key = keys.entry(*error).or_insert_with(|| normalize_error(text));
            grouper.add(text, key, self.strings.get(*path), created, r);
        }
        grouper.finish()
    }

    /// Like `summarize_calls` over the rows at `positions` (every row when `None`).
    pub fn summarize(
        &self,
        o: &SummaryOptions,
        positions: Option<&[u32]>,
    ) -> Result<CallSummary, Vec<Issue>> {
        let rows: Vec<SummaryRow> = match positions {
            Some(p) => p.iter().filter_map(|i| self.row(*i as usize)).collect(),
            None => (0..self.len()).filter_map(|i| self.row(i)).collect(),
        };
        summarize_rows(&rows, o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::calls_from_bytes;
    use crate::filter::{filter_calls, filter_from_tree};
    use crate::json;
    use crate::read::ReadOptions;
    use crate::summary::summarize_calls;

    fn fixture_lines() -> String {
        let base = r#"{"id":"ID","status":"ST","app_name":"APP","path":"PATH","completed_at":"2017-11-28T17:21:4S.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","stats":[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_usage":MEM,"cpu_total":3}}],"error":"ERR"}"#;
        let mut out = Vec::new();
        for i in 0..60u32 {
            let st = ["success", "error", "timeout", "cancelled"][(i % 4) as usize];
            let err = if st == "error" {
                ["container exit code 1", "context canceled"][(i % 2) as usize]
            } else {
                ""
            };
            let line = base
                .replace("ID", &format!("01C01TC{:02}K47WGE00000000000", i % 40))
                .replace("ST", st)
                .replace("APP", ["myapp", "shop", "x"][(i % 3) as usize])
                .replace("PATH", ["/a", "/b"][(i % 2) as usize])
                .replace("4S", &format!("4{}", i % 10))
                .replace("MEM", &(1000 * u64::from(i)).to_string())
                .replace(",\"error\":\"\"", "")
                .replace("ERR", err);
            out.push(line);
        }
        out.push("{\"id\":5}".into());
        out.join("\n")
    }

    fn filter(s: &str) -> CallFilter {
        filter_from_tree(&json::parse(s.as_bytes()).unwrap())
            .unwrap()
            .0
    }

    #[test]
    fn built_in_pieces_is_built_the_same() {
        let input = fixture_lines();
        let whole = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let mut want = String::new();
        whole.write_rows(0..whole.len(), &mut want);
        for step in [1, 3, 7, 64, 1000] {
            let mut b = IndexBuilder::new(IndexOptions::default());
            for piece in input.as_bytes().chunks(step) {
                b.push(piece);
            }
            let index = b.finish();
            let mut got = String::new();
            index.write_rows(0..index.len(), &mut got);
            assert_eq!(got, want, "pieces of {step}");
            assert_eq!(index.issues(), whole.issues());
            assert_eq!(
                (0..index.len()).map(|i| index.range(i)).collect::<Vec<_>>(),
                (0..whole.len()).map(|i| whole.range(i)).collect::<Vec<_>>()
            );
            let all = CallFilter {
                all: true,
                ..CallFilter::default()
            };
            assert_eq!(index.filter(&all).unwrap(), whole.filter(&all).unwrap());
        }
    }

    #[test]
    fn rows_carry_what_a_table_shows() {
        let input = fixture_lines();
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        let mut text = String::new();
        index.write_rows(0..index.len(), &mut text);
        let rows = json::parse(text.as_bytes()).unwrap();
        let json::Value::Array(rows) = &rows.value else {
            panic!("{text}")
        };
        assert_eq!(rows.len(), batch.calls.len());
        let field = |row: &json::Node, key: &str| -> String {
            let json::Value::Object(members) = &row.value else {
                panic!()
            };
            let m = members.iter().find(|m| m.key.text == key).unwrap();
            match &m.value.value {
                json::Value::String(s) => s.text.to_string(),
                json::Value::Null => "null".into(),
                json::Value::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            }
        };
        for (k, (row, call)) in rows.iter().zip(&batch.calls).enumerate() {
            assert_eq!(field(row, "position"), k.to_string());
            assert_eq!(field(row, "id"), call.id);
            assert_eq!(field(row, "status"), call.status.map_or("", |s| s.as_str()));
            assert_eq!(field(row, "app_name"), call.app_name);
            assert_eq!(field(row, "path"), call.path);
            assert_eq!(field(row, "error"), call.error);
            assert_eq!(field(row, "created_at"), call.created_at.format());
            assert_eq!(
                field(row, "created_ms"),
                call.created_at.unix_millis().to_string()
            );
            assert_eq!(
                field(row, "duration_ms"),
                call.duration_ms().map_or("null".into(), |d| d.to_string())
            );
            let peak = crate::view::call_metrics(call).0;
            assert_eq!(
                field(row, "mem_peak"),
                if peak.samples == 0 {
                    "null".into()
                } else {
                    peak.peak.to_string()
                }
            );
        }
        let mut some = String::new();
        index.write_rows([2, 0, 99_999].into_iter(), &mut some);
        assert!(
            some.starts_with("[{\"position\":2,")
                && some.contains("},{\"position\":0,")
                && !some.contains("99999")
        );
    }

    #[test]
    fn equal_ids_keep_their_input_order() {
        let rec = |id: &str, app: &str| {
            format!(
                r#"{{"id":"{id}","status":"success","app_name":"{app}","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:40.002Z"}}"#
            )
        };
        let input = [
            rec("01C01TC20K47WGE00000000001", "a"),
            rec("01C01TC20K47WGE00000000009", "b"),
            rec("01C01TC20K47WGE00000000001", "c"),
            rec("01C01TC20K47WGE00000000009", "d"),
            rec("01C01TC20K47WGE00000000001", "e"),
        ]
        .join("\n");
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let page = index.filter(&filter(r#"{"all":true}"#)).unwrap();
        assert_eq!(page.positions, [1, 3, 0, 2, 4]);
    }

    #[test]
    fn pages_like_filter_calls() {
        let input = fixture_lines();
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        assert_eq!(index.len(), batch.calls.len());
        assert_eq!(index.issues().len(), 1);
        for f in [
            "{}",
            r#"{"per_page":7}"#,
            r#"{"per_page":7,"cursor":"01C01TC20K47WGE00000000000"}"#,
            r#"{"status":["error","timeout"],"app_name":"shop"}"#,
            r#"{"error_contains":"exit","all":true}"#,
            r#"{"error_pattern":"context *","path":"/a"}"#,
            r#"{"error_contains":"EXIT","error_ignore_case":true,"all":true}"#,
            r#"{"error_pattern":"CONTEXT *","error_ignore_case":true}"#,
            r#"{"error_group":"container exit code <num>","all":true}"#,
            r#"{"min_duration_ms":3000,"all":true}"#,
            r#"{"from_time":1511889698,"to_time":1511889700,"all":true}"#,
            r#"{"to_time":0}"#,
        ] {
            let fl = filter(f);
            let expected = filter_calls(&batch.calls, &fl).unwrap();
            let page = index.filter(&fl).unwrap();
            let got: Vec<String> = page
                .positions
                .iter()
                .map(|p| index.id(*p as usize).to_string())
                .collect();
            let want: Vec<String> = expected.calls.iter().map(|c| c.id.clone()).collect();
            assert_eq!(got, want, "{f}");
            assert_eq!(page.next_cursor, expected.next_cursor, "{f}");
        }
    }

    #[test]
    fn error_groups_of_the_index() {
        // the fixture's errors, with more than one exit code
        let input = fixture_lines().replace("context canceled\"}", "container exit code 2\"}");
        let input = input.replacen("container exit code 2\"}", "context canceled\"}", 3);
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        let want = crate::error_groups::group_errors(
            batch
                .calls
                .iter()
                .enumerate()
                .map(|(k, c)| (c.error.as_str(), c.path.as_str(), c.created_at, k as u32)),
        );
        let groups = index.error_groups(None);
        assert_eq!(groups, want);
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["container exit code <num>", "context canceled"]);
        for g in &groups {
            // the filter on the group selects the same calls
            let page = index
                .filter(&filter(&format!(
                    r#"{{"error_group":"{}","all":true}}"#,
                    g.key
                )))
                .unwrap();
            let mut got = page.positions.clone();
            got.sort_unstable();
            assert_eq!(got, g.positions);
        }
        // over some positions only
        let some = index.error_groups(Some(&[1, 2, 3, 5]));
        assert_eq!(some.iter().map(|g| g.count).sum::<u32>(), 2);
    }

    #[test]
    fn summaries_match_summarize_calls() {
        let input = fixture_lines();
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        let o = SummaryOptions {
            group_by: Some(crate::summary::GroupBy::Path),
            bucket_seconds: Some(1),
        };
        assert_eq!(
            index.summarize(&o, None).unwrap(),
            summarize_calls(&batch.calls, &o).unwrap()
        );
        let page = index
            .filter(&filter(r#"{"status":"error","all":true}"#))
            .unwrap();
        let errors: Vec<crate::model::Call> = batch
            .calls
            .iter()
            .filter(|c| c.status == Some(CallStatus::Error))
            .cloned()
            .collect();
        assert_eq!(
            index
                .summarize(&SummaryOptions::default(), Some(&page.positions))
                .unwrap(),
            summarize_calls(&errors, &SummaryOptions::default()).unwrap()
        );
    }
}
