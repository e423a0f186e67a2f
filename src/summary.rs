//! Numbers that summarise a set of calls: counts by status, error rate, duration and queue-wait percentiles, and the
//! `mem_usage` / `cpu_total` stats samples; optionally per path, app or status, and per time bucket for charts.
//!
//! The server never offered these (users of the server asked for per-path statistics over a window). Unset
//! date-times (`0001-01-01T00:00:00Z`) are never taken for real ones: a call without `started_at` has no duration
//! and no queue wait, and a call without `created_at` falls in no time bucket.

use crate::datetime::GoTime;
use crate::issue::{pointer, serialize_issues, Issue, IssueCode, Severity};
use crate::json::{Node, Value};
use crate::model::{duration_ms, Call};
use crate::projection::{Field, Fields};
use crate::status::CallStatus;
use crate::tree::{read_int, read_string, unknown_field, wrong_type};
use crate::view::{call_metrics, MetricAcc, Row};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Most buckets in one series: 10,000 is a week of minutes, or a year of hours.
pub const MAX_BUCKETS: usize = 10_000;
/// Most buckets over all series (the total and every group) together.
pub const MAX_BUCKET_CELLS: usize = 200_000;

/// What to group calls by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Path,
    AppName,
    /// The status text; `""` for calls whose status is empty.
    Status,
}

impl GroupBy {
    const NAMES: [(&'static str, GroupBy); 3] = [
        ("path", GroupBy::Path),
        ("app_name", GroupBy::AppName),
        ("status", GroupBy::Status),
    ];

    fn key<'a>(self, c: &SummaryRow<'a>) -> &'a str {
        match self {
            GroupBy::Path => c.path,
            GroupBy::AppName => c.app_name,
            GroupBy::Status => c.status.map(CallStatus::as_str).unwrap_or(""),
        }
    }
}

/// How to summarise.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(deny_unknown_fields)]
pub struct SummaryOptions {
    /// Also summarise each path, app or status on its own (`groups`, sorted by key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub group_by: Option<GroupBy>,
    /// Also summarise each time bucket of this many seconds (`buckets`), by `created_at`. Buckets are aligned to
    /// the Unix epoch (3600 gives whole UTC hours) and contiguous from the first call's bucket to the last one's,
    /// empty ones included, so they can be charted directly; at most 10,000 of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub bucket_seconds: Option<i64>,
}

/// How many calls have each status. `""` counts calls whose status is empty (the async queue copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct StatusCounts {
    pub delayed: u32,
    pub queued: u32,
    pub running: u32,
    pub success: u32,
    pub error: u32,
    pub cancelled: u32,
    pub timeout: u32,
    #[serde(rename = "")]
    pub empty: u32,
}

impl StatusCounts {
    fn add(&mut self, s: Option<CallStatus>) {
        let slot = match s {
            None => &mut self.empty,
            Some(CallStatus::Delayed) => &mut self.delayed,
            Some(CallStatus::Queued) => &mut self.queued,
            Some(CallStatus::Running) => &mut self.running,
            Some(CallStatus::Success) => &mut self.success,
            Some(CallStatus::Error) => &mut self.error,
            Some(CallStatus::Cancelled) => &mut self.cancelled,
            Some(CallStatus::Timeout) => &mut self.timeout,
        };
        *slot = slot.saturating_add(1);
    }
}

/// A distribution of milliseconds. Percentiles are nearest-rank: the `p`th percentile of `n` sorted values is the
/// value at rank ⌈p·n/100⌉ (1-based), always one of the observed values. All are plain `number`s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Percentiles {
    /// How many calls had both date-times.
    pub count: u32,
    pub min: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

/// One metric over every stats sample that has it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct MetricSummary {
    /// How many samples had the metric.
    pub samples: u32,
    /// The largest sample, exact (`uint64`, so a `bigint` in JavaScript).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "bigint"))]
    pub peak: u64,
    /// The mean of the samples, a `number`: exact sum, then one division, so it is rounded to double precision
    /// (exact below 2^53).
    pub mean: f64,
}

/// The numbers for one set of calls. `null` where nothing could be measured.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct CallStats {
    pub count: u32,
    pub by_status: StatusCounts,
    /// Failed calls (`error` or `timeout`) over finished ones (`success`, `error`, `cancelled`, `timeout`).
    pub error_rate: Option<f64>,
    /// `completed_at − started_at`, for calls that have both.
    pub duration_ms: Option<Percentiles>,
    /// `started_at − created_at`: how long calls waited before they ran, for calls that have both.
    pub queue_wait_ms: Option<Percentiles>,
    /// The `mem_usage` samples (bytes).
    pub mem_usage: Option<MetricSummary>,
    /// The `cpu_total` samples (percent).
    pub cpu_total: Option<MetricSummary>,
    /// The earliest set `created_at`, as the server wrote it.
    pub first_created_at: Option<String>,
    /// The latest set `created_at`.
    pub last_created_at: Option<String>,
}

/// One time bucket: calls created in `[start, end)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct TimeBucket {
    pub start: String,
    pub end: String,
    pub stats: CallStats,
}

/// The calls that share one path, app or status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct GroupSummary {
    pub key: String,
    pub stats: CallStats,
    /// With `bucket_seconds`: this group's buckets, over the same range as the total's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub buckets: Option<Vec<TimeBucket>>,
}

/// What `summarizeCalls` (`summarize_calls`) answers.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)
)]
pub struct CallSummary {
    pub total: CallStats,
    /// With `group_by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub groups: Option<Vec<GroupSummary>>,
    /// With `bucket_seconds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub buckets: Option<Vec<TimeBucket>>,
    /// With `bucket_seconds`: calls whose `created_at` is unset, counted in `total` and `groups` but in no bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub unbucketed: Option<u32>,
    /// Input records that could not be read and were left out (filled by the JavaScript boundary).
    #[serde(serialize_with = "serialize_issues")]
    pub issues: Vec<Issue>,
}

fn metric_summary(m: MetricAcc) -> Option<MetricSummary> {
    (m.samples > 0).then(|| MetricSummary {
        samples: count(m.samples),
        peak: m.peak,
        mean: m.sum as f64 / m.samples as f64,
    })
}

#[derive(Default, Clone)]
struct Acc {
    count: u64,
    statuses: StatusCounts,
    durations: Vec<i64>,
    waits: Vec<i64>,
    mem: MetricAcc,
    cpu: MetricAcc,
    first: Option<GoTime>,
    last: Option<GoTime>,
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a summary needs of one call. The columnar index builds these without a `Call`.
#[derive(Debug, Clone, Copy)]
pub struct SummaryRow<'a> {
    pub status: Option<CallStatus>,
    pub app_name: &'a str,
    pub path: &'a str,
    pub created_at: GoTime,
    pub started_at: GoTime,
    pub completed_at: GoTime,
    /// The call's `mem_usage` samples.
    pub mem: MetricAcc,
    /// The call's `cpu_total` samples.
    pub cpu: MetricAcc,
}

impl<'a> SummaryRow<'a> {
    pub fn of(c: &'a Call) -> SummaryRow<'a> {
        let (mem, cpu) = call_metrics(c);
        SummaryRow {
            status: c.status,
            app_name: &c.app_name,
            path: &c.path,
            created_at: c.created_at,
            started_at: c.started_at,
            completed_at: c.completed_at,
            mem,
            cpu,
        }
    }

    /// The summary's part of a bulk row (the scanner's fast lane and the full reader both give these).
    pub fn of_row(r: &'a Row<'a>) -> SummaryRow<'a> {
        SummaryRow {
            status: r.view.status,
            app_name: &r.view.app_name,
            path: &r.view.path,
            created_at: r.view.created_at,
            started_at: r.view.started_at,
            completed_at: r.view.completed_at,
            mem: r.mem,
            cpu: r.cpu,
        }
    }
}

impl Acc {
    fn add(&mut self, c: &SummaryRow) {
        self.count += 1;
        self.statuses.add(c.status);
        if let Some(d) = duration_ms(&c.started_at, &c.completed_at) {
            self.durations.push(d);
        }
        if !c.created_at.is_zero() && !c.started_at.is_zero() {
            self.waits
                .push(c.started_at.unix_millis() - c.created_at.unix_millis());
            // unix_millis saturates, so the difference of two real date-times cannot overflow
        }
        self.mem.merge(c.mem);
        self.cpu.merge(c.cpu);
        if !c.created_at.is_zero() {
            let t = c.created_at;
            if self
                .first
                .is_none_or(|f| t.cmp_instant(&f) == Ordering::Less)
            {
                self.first = Some(t);
            }
            if self
                .last
                .is_none_or(|l| t.cmp_instant(&l) == Ordering::Greater)
            {
                self.last = Some(t);
            }
        }
    }

    fn finish(self) -> CallStats {
        let s = self.statuses;
        let failed = u64::from(s.error) + u64::from(s.timeout);
        let finished = failed + u64::from(s.success) + u64::from(s.cancelled);
        CallStats {
            count: count(self.count),
            by_status: s,
            error_rate: (finished > 0).then(|| failed as f64 / finished as f64),
            duration_ms: percentiles(self.durations),
            queue_wait_ms: percentiles(self.waits),
            mem_usage: metric_summary(self.mem),
            cpu_total: metric_summary(self.cpu),
            first_created_at: self.first.map(|t| t.format()),
            last_created_at: self.last.map(|t| t.format()),
        }
    }
}

/// Nearest-rank percentiles of `values` (see [`Percentiles`]).
fn percentiles(mut values: Vec<i64>) -> Option<Percentiles> {
    values.sort_unstable();
    let n = values.len();
    let at = |p: usize| -> f64 {
        let rank = (p * n).div_ceil(100).max(1);
        values.get(rank - 1).copied().unwrap_or_default() as f64
    };
    let (min, max) = (values.first().copied()?, values.last().copied()?);
    let sum: i128 = values.iter().map(|v| i128::from(*v)).sum();
    Some(Percentiles {
        count: count(n as u64),
        min: min as f64,
        p50: at(50),
        p90: at(90),
        p99: at(99),
        max: max as f64,
        mean: sum as f64 / n as f64,
    })
}

/// Every problem of the options; any issue here is an error.
pub fn validate_summary_options(o: &SummaryOptions) -> Vec<Issue> {
    match o.bucket_seconds {
        Some(s) if s <= 0 => vec![Issue::new(
            Severity::Error,
            IssueCode::NotPositive,
            "/bucket_seconds",
            format!("bucket_seconds must be a positive number of seconds, not {s}"),
        )],
        _ => Vec::new(),
    }
}

/// Summarises `calls` (in any order). Errors: bad options, or more buckets than [`MAX_BUCKETS`] /
/// [`MAX_BUCKET_CELLS`] (code `too_many_buckets`).
pub fn summarize_calls(calls: &[Call], o: &SummaryOptions) -> Result<CallSummary, Vec<Issue>> {
    let rows: Vec<SummaryRow> = calls.iter().map(SummaryRow::of).collect();
    summarize_rows(&rows, o)
}

/// The fields of a call a summary reads ([`SummaryRow`]): the status, the three date-times and the two metrics, and
/// the app name or path when the calls are grouped by it. Summarising `Call` objects sends only these across the
/// JavaScript boundary (`projection.rs`).
pub fn fields_read(o: &SummaryOptions) -> Fields {
    Fields::default()
        .with(Field::Status)
        .with(Field::CreatedAt)
        .with(Field::StartedAt)
        .with(Field::CompletedAt)
        .with(Field::MemUsage)
        .with(Field::CpuTotal)
        .with_if(o.group_by == Some(GroupBy::AppName), Field::AppName)
        .with_if(o.group_by == Some(GroupBy::Path), Field::Path)
}

/// [`summarize_calls`] over rows (from calls, or from the columnar index).
pub fn summarize_rows(calls: &[SummaryRow], o: &SummaryOptions) -> Result<CallSummary, Vec<Issue>> {
    let issues = validate_summary_options(o);
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut builder = SummaryBuilder::new(o.clone());
    for c in calls {
        builder.add(c);
    }
    builder.finish()
}

/// One series being summarised: the calls of the total or of one group, and those of each of its time buckets
/// (by bucket number, only the buckets that hold a call).
#[derive(Default)]
struct Series {
    acc: Acc,
    buckets: HashMap<i64, Acc>,
}

/// A summary fed one call at a time, in input order, for inputs that are never held whole (`CallStream`'s `summary`
/// option): [`finish`](SummaryBuilder::finish) gives exactly what [`summarize_calls`] gives for the same calls.
///
/// Memory: what is added up takes a fixed size, but exact nearest-rank percentiles need every value, so each series
/// (the total, and the call's group with `group_by`; again per time bucket with `bucket_seconds`) keeps the call's
/// duration and queue wait as two 8-byte integers. Once the time buckets would be too many, they are no longer
/// kept and [`finish`](SummaryBuilder::finish) answers `too_many_buckets`.
pub struct SummaryBuilder {
    options: SummaryOptions,
    total: Series,
    groups: BTreeMap<String, Series>,
    /// The first and last bucket numbers of the calls seen (`lo > hi`: none yet).
    lo: i64,
    hi: i64,
    /// The buckets would be too many: they are no longer kept.
    too_many: bool,
}

impl SummaryBuilder {
    /// Options are checked by [`finish`](SummaryBuilder::finish) (or beforehand, with [`validate_summary_options`]).
    pub fn new(options: SummaryOptions) -> SummaryBuilder {
        SummaryBuilder {
            options,
            total: Series::default(),
            groups: BTreeMap::new(),
            lo: i64::MAX,
            hi: i64::MIN,
            too_many: false,
        }
    }

    /// Buckets per series from the first call's bucket to the last one's, and in all series together.
    fn bucket_counts(&self) -> (usize, usize) {
        let n = if self.lo > self.hi {
            0
        } else {
            usize::try_from(i128::from(self.hi) - i128::from(self.lo) + 1).unwrap_or(usize::MAX)
        };
        (n, n.saturating_mul(self.groups.len() + 1))
    }

    /// Adds one call.
    pub fn add(&mut self, c: &SummaryRow) {
        let bucket = match self.options.bucket_seconds {
            Some(size) if size > 0 && !c.created_at.is_zero() => {
                Some(c.created_at.unix_secs.div_euclid(size))
            }
            _ => None,
        };
        if let Some(i) = bucket {
            self.lo = self.lo.min(i);
            self.hi = self.hi.max(i);
        }
        self.total.acc.add(c);
        let group = match self.options.group_by {
            Some(g) => {
                let key = g.key(c);
                if !self.groups.contains_key(key) {
                    self.groups.insert(key.to_string(), Series::default());
                }
                self.groups.get_mut(key)
            }
            None => None,
        };
        if let Some(g) = group {
            g.acc.add(c);
        }
        let Some(i) = bucket else { return };
        if !self.too_many {
            let (n, cells) = self.bucket_counts();
            if n > MAX_BUCKETS || cells > MAX_BUCKET_CELLS {
                // Too many already: they can only grow, so the answer will be `too_many_buckets`.
                self.too_many = true;
                self.total.buckets = HashMap::new();
                for g in self.groups.values_mut() {
                    g.buckets = HashMap::new();
                }
            }
        }
        if self.too_many {
            return;
        }
        self.total.buckets.entry(i).or_default().add(c);
        if let Some(g) = self.options.group_by {
            if let Some(series) = self.groups.get_mut(g.key(c)) {
                series.buckets.entry(i).or_default().add(c);
            }
        }
    }

    /// The summary of the calls added. Errors: bad options, or too many time buckets (`too_many_buckets`).
    pub fn finish(self) -> Result<CallSummary, Vec<Issue>> {
        let issues = validate_summary_options(&self.options);
        if !issues.is_empty() {
            return Err(issues);
        }
        let mut summary = CallSummary::default();
        let (n, cells) = self.bucket_counts();
        let SummaryBuilder {
            options: o,
            total,
            groups,
            lo,
            ..
        } = self;
        if let Some(size) = o.bucket_seconds {
            if n > MAX_BUCKETS || cells > MAX_BUCKET_CELLS {
                return Err(vec![Issue::new(
                    Severity::Error,
                    IssueCode::TooManyBuckets,
                    "/bucket_seconds",
                    format!(
                        "{size}-second buckets from the first call to the last would be {n} per series ({cells} in all); at \
                         most {MAX_BUCKETS} per series and {MAX_BUCKET_CELLS} in all: choose larger buckets or fewer calls"
                    ),
                )]);
            }
        }
        // With buckets: contiguous from the first call's bucket to the last one's, empty ones included.
        let series = |mut kept: HashMap<i64, Acc>| -> Option<Vec<TimeBucket>> {
            let size = o.bucket_seconds?;
            let buckets = (0i64..)
                .take(n)
                .map(|k| {
                    let number = lo.saturating_add(k);
                    let start = number.saturating_mul(size);
                    TimeBucket {
                        start: utc(start),
                        end: utc(start.saturating_add(size)),
                        stats: kept.remove(&number).unwrap_or_default().finish(),
                    }
                })
                .collect();
            Some(buckets)
        };
        if o.bucket_seconds.is_some() {
            summary.unbucketed = Some(count(
                total.acc.count - total.buckets.values().map(|b| b.count).sum::<u64>(),
            ));
        }
        summary.buckets = series(total.buckets);
        if o.group_by.is_some() {
            summary.groups = Some(
                groups
                    .into_iter()
                    .map(|(key, g)| GroupSummary {
                        key,
                        stats: g.acc.finish(),
                        buckets: series(g.buckets),
                    })
                    .collect(),
            );
        }
        summary.total = total.acc.finish();
        Ok(summary)
    }
}

fn utc(unix_secs: i64) -> String {
    GoTime {
        unix_secs,
        nanos: 0,
        offset_secs: 0,
    }
    .format()
}

/// Reads options from a JSON tree (an object; `null` means none). Every issue is an error.
pub fn summary_options_from_tree(node: &Node) -> Result<SummaryOptions, Vec<Issue>> {
    const KEYS: [&str; 2] = ["group_by", "bucket_seconds"];
    let mut o = SummaryOptions::default();
    let mut issues = Vec::new();
    let members = match &node.value {
        Value::Null => return Ok(o),
        Value::Object(m) => m,
        other => return Err(vec![wrong_type("", "an options object", other)]),
    };
    for m in members {
        let key = m.key.text.as_ref();
        let path = pointer("", key);
        if matches!(m.value.value, Value::Null) && KEYS.contains(&key) {
            continue;
        }
        match key {
            "group_by" => {
                if let Some(s) = read_string(&m.value, &path, &mut issues) {
                    match GroupBy::NAMES.iter().find(|(n, _)| *n == s) {
                        Some((_, g)) => o.group_by = Some(*g),
                        None => issues.push(Issue::new(
                            Severity::Error,
                            IssueCode::UnknownGroupBy,
                            &path,
                            format!("'{s}' cannot be grouped by: path, app_name or status"),
                        )),
                    }
                }
            }
            "bucket_seconds" => o.bucket_seconds = read_int(&m.value, &path, &mut issues),
            _ => issues.push(unknown_field(key, &path, &KEYS, "summary option")),
        }
    }
    issues.extend(validate_summary_options(&o));
    if issues.is_empty() {
        Ok(o)
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::calls_from_bytes;
    use crate::model::Stat;
    use crate::read::ReadOptions;

    fn t(s: &str) -> GoTime {
        GoTime::parse(s).unwrap()
    }

    fn call(
        path: &str,
        status: Option<CallStatus>,
        created: &str,
        wait_ms: i64,
        dur_ms: i64,
    ) -> Call {
        let c = t(created);
        let ms = |m: i64| GoTime {
            unix_secs: m.div_euclid(1000),
            nanos: (m.rem_euclid(1000) * 1_000_000) as u32,
            offset_secs: 0,
        };
        let started = c.unix_millis() + wait_ms;
        Call {
            id: "x".into(),
            status,
            app_name: "myapp".into(),
            path: path.into(),
            created_at: c,
            started_at: ms(started),
            completed_at: ms(started + dur_ms),
            ..Call::default()
        }
    }

    fn sample(mem: u64, cpu: u64) -> Stat {
        Stat {
            timestamp: GoTime::ZERO,
            metrics: Some(
                [
                    ("mem_usage".to_string(), mem),
                    ("cpu_total".to_string(), cpu),
                ]
                .into(),
            ),
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        let p = percentiles((1..=100).rev().collect()).unwrap();
        assert_eq!(
            (p.count, p.min, p.p50, p.p90, p.p99, p.max, p.mean),
            (100, 1.0, 50.0, 90.0, 99.0, 100.0, 50.5)
        );
        let p = percentiles(vec![7]).unwrap();
        assert_eq!((p.p50, p.p90, p.p99, p.max), (7.0, 7.0, 7.0, 7.0));
        // 10 values: p50 is rank 5, p90 rank 9, p99 rank 10
        let p = percentiles((1..=10).map(|v| v * 10).collect()).unwrap();
        assert_eq!((p.p50, p.p90, p.p99), (50.0, 90.0, 100.0));
        let p = percentiles(vec![3, 1]).unwrap();
        assert_eq!((p.p50, p.p90), (1.0, 3.0));
        assert_eq!(percentiles(vec![]), None);
    }

    #[test]
    fn totals_rates_and_metrics() {
        let s = Some(CallStatus::Success);
        let mut calls = vec![
            call("/a", s, "2017-11-28T17:00:00.000Z", 5, 100),
            call(
                "/a",
                Some(CallStatus::Error),
                "2017-11-28T17:00:30.000Z",
                15,
                300,
            ),
            call(
                "/b",
                Some(CallStatus::Timeout),
                "2017-11-28T17:01:10.000+03:00",
                10,
                200,
            ),
            call("/b", s, "2017-11-28T17:02:00.000Z", 0, 400),
        ];
        // A queued copy: no start, no completion, empty status.
        let mut queued = call("/b", None, "2017-11-28T17:03:00.000Z", 0, 0);
        queued.started_at = GoTime::ZERO;
        queued.completed_at = GoTime::ZERO;
        calls.push(queued);
        // A record with no created_at: it has a duration but no queue wait, and sets no first/last.
        let mut undated = call(
            "/b",
            Some(CallStatus::Running),
            "2017-11-28T17:04:00.000Z",
            0,
            0,
        );
        undated.created_at = GoTime::ZERO;
        undated.completed_at = GoTime::ZERO;
        calls.push(undated);
        calls[0].stats = vec![sample(10, 1), sample(30, 3)];
        calls[1].stats = vec![
            sample(9_223_372_036_854_775_807, 50),
            Stat {
                timestamp: GoTime::ZERO,
                metrics: None,
            },
        ];
        calls[2].stats = vec![Stat {
            timestamp: GoTime::ZERO,
            metrics: Some([("net_rx".to_string(), 1u64)].into()),
        }];

        let sum = summarize_calls(&calls, &SummaryOptions::default()).unwrap();
        let st = &sum.total;
        assert_eq!(st.count, 6);
        assert_eq!(
            (
                st.by_status.success,
                st.by_status.error,
                st.by_status.timeout,
                st.by_status.empty,
                st.by_status.running
            ),
            (2, 1, 1, 1, 1)
        );
        assert_eq!(
            st.error_rate,
            Some(0.5),
            "error + timeout over the four finished calls"
        );
        let d = st.duration_ms.unwrap();
        assert_eq!(
            (d.count, d.min, d.p50, d.p90, d.max, d.mean),
            (4, 100.0, 200.0, 400.0, 400.0, 250.0)
        );
        let w = st.queue_wait_ms.unwrap();
        assert_eq!(
            (w.count, w.min, w.max),
            (4, 0.0, 15.0),
            "the undated call has no wait; the queued one has no start"
        );
        let mem = st.mem_usage.unwrap();
        assert_eq!(
            (mem.samples, mem.peak),
            (3, 9_223_372_036_854_775_807),
            "peak stays exact above 2^53"
        );
        assert_eq!(mem.mean, (10.0 + 30.0 + 9_223_372_036_854_775_807.0) / 3.0);
        let cpu = st.cpu_total.unwrap();
        assert_eq!((cpu.samples, cpu.peak, cpu.mean), (3, 50, 18.0));
        // 17:01:10+03:00 is 14:01:10Z: the earliest.
        assert_eq!(
            st.first_created_at.as_deref(),
            Some("2017-11-28T17:01:10.000+03:00")
        );
        assert_eq!(
            st.last_created_at.as_deref(),
            Some("2017-11-28T17:03:00.000Z")
        );
        assert!(sum.groups.is_none() && sum.buckets.is_none() && sum.unbucketed.is_none());
    }

    #[test]
    fn empty_input_and_nothing_measurable() {
        let sum = summarize_calls(
            &[],
            &SummaryOptions {
                group_by: Some(GroupBy::Path),
                bucket_seconds: Some(60),
            },
        )
        .unwrap();
        assert_eq!(sum.total, CallStats::default());
        assert_eq!(sum.groups, Some(vec![]));
        assert_eq!(sum.buckets, Some(vec![]));
        assert_eq!(sum.unbucketed, Some(0));
        let mut running = call(
            "/a",
            Some(CallStatus::Running),
            "2017-11-28T17:00:00Z",
            0,
            0,
        );
        running.started_at = GoTime::ZERO;
        running.completed_at = GoTime::ZERO;
        let sum = summarize_calls(&[running], &SummaryOptions::default()).unwrap();
        assert_eq!(
            (sum.total.count, sum.total.error_rate, sum.total.duration_ms),
            (1, None, None)
        );
    }

    #[test]
    fn groups_and_buckets() {
        let s = Some(CallStatus::Success);
        let calls = vec![
            call("/b", s, "2017-11-28T17:00:59.999Z", 0, 10),
            call("/a", s, "2017-11-28T17:00:00.000Z", 0, 20),
            call(
                "/a",
                Some(CallStatus::Error),
                "2017-11-28T17:03:00.000Z",
                0,
                30,
            ),
            call("/a", s, "2017-11-28T20:03:30.000+03:00", 0, 40),
        ];
        let by = |g: GroupBy| {
            summarize_calls(
                &calls,
                &SummaryOptions {
                    group_by: Some(g),
                    bucket_seconds: None,
                },
            )
            .unwrap()
        };
        let keys = |s: &CallSummary| {
            s.groups
                .as_ref()
                .unwrap()
                .iter()
                .map(|g| (g.key.clone(), g.stats.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(&by(GroupBy::Path)),
            [("/a".to_string(), 3), ("/b".to_string(), 1)]
        );
        assert_eq!(keys(&by(GroupBy::AppName)), [("myapp".to_string(), 4)]);
        assert_eq!(
            keys(&by(GroupBy::Status)),
            [("error".to_string(), 1), ("success".to_string(), 3)]
        );
        let a = &by(GroupBy::Path).groups.unwrap()[0];
        assert_eq!(a.stats.duration_ms.unwrap().p50, 30.0);
        assert!(a.buckets.is_none());

        let sum = summarize_calls(
            &calls,
            &SummaryOptions {
                group_by: Some(GroupBy::Path),
                bucket_seconds: Some(60),
            },
        )
        .unwrap();
        let b = sum.buckets.as_ref().unwrap();
        let shape: Vec<(&str, &str, u32)> = b
            .iter()
            .map(|b| (b.start.as_str(), b.end.as_str(), b.stats.count))
            .collect();
        assert_eq!(
            shape,
            [
                ("2017-11-28T17:00:00.000Z", "2017-11-28T17:01:00.000Z", 2),
                ("2017-11-28T17:01:00.000Z", "2017-11-28T17:02:00.000Z", 0),
                ("2017-11-28T17:02:00.000Z", "2017-11-28T17:03:00.000Z", 0),
                ("2017-11-28T17:03:00.000Z", "2017-11-28T17:04:00.000Z", 2),
            ]
        );
        assert_eq!(sum.unbucketed, Some(0));
        let groups = sum.groups.unwrap();
        let counts = |g: &GroupSummary| {
            g.buckets
                .as_ref()
                .unwrap()
                .iter()
                .map(|b| b.stats.count)
                .collect::<Vec<_>>()
        };
        assert_eq!(counts(&groups[0]), [1, 0, 0, 2]);
        assert_eq!(
            counts(&groups[1]),
            [1, 0, 0, 0],
            "every series covers the same range"
        );
    }

    #[test]
    fn buckets_skip_unset_created_at_and_negative_times_floor() {
        let mut undated = call("/a", None, "2017-11-28T17:00:00Z", 0, 0);
        undated.created_at = GoTime::ZERO;
        let old = call("/a", None, "1969-12-31T23:59:30.500Z", 0, 0);
        let sum = summarize_calls(
            &[undated, old],
            &SummaryOptions {
                group_by: None,
                bucket_seconds: Some(60),
            },
        )
        .unwrap();
        assert_eq!(sum.unbucketed, Some(1));
        let b = sum.buckets.unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].start, "1969-12-31T23:59:00.000Z");
        assert_eq!(sum.total.count, 2);
    }

    #[test]
    fn bad_options_and_too_many_buckets() {
        let codes = |r: Result<CallSummary, Vec<Issue>>| {
            r.unwrap_err().iter().map(|i| i.code).collect::<Vec<_>>()
        };
        let calls = [
            call("/a", None, "2017-01-01T00:00:00Z", 0, 0),
            call("/a", None, "2017-12-31T00:00:00Z", 0, 0),
        ];
        assert_eq!(
            codes(summarize_calls(
                &calls,
                &SummaryOptions {
                    group_by: None,
                    bucket_seconds: Some(0)
                }
            )),
            ["not_positive"]
        );
        assert_eq!(
            codes(summarize_calls(
                &calls,
                &SummaryOptions {
                    group_by: None,
                    bucket_seconds: Some(60)
                }
            )),
            ["too_many_buckets"]
        );
        assert!(summarize_calls(
            &calls,
            &SummaryOptions {
                group_by: None,
                bucket_seconds: Some(3600)
            }
        )
        .is_ok());
        fn tree(s: &str) -> Node<'_> {
            crate::json::parse(s.as_bytes()).unwrap()
        }
        let errs = |s: &str| {
            summary_options_from_tree(&tree(s))
                .unwrap_err()
                .iter()
                .map(|i| format!("{} {}", i.code, i.path))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            errs(r#"{"group_by":"route"}"#),
            ["unknown_group_by /group_by"]
        );
        assert_eq!(errs(r#"{"groupBy":"path"}"#), ["unknown_field /groupBy"]);
        assert_eq!(
            errs(r#"{"bucket_seconds":-1}"#),
            ["not_positive /bucket_seconds"]
        );
        assert_eq!(
            errs(r#"{"bucket_seconds":1.5}"#),
            ["not_integer /bucket_seconds"]
        );
        assert_eq!(errs(r#"[]"#), ["wrong_type "]);
        assert_eq!(
            summary_options_from_tree(&tree(r#"{"group_by":"app_name","bucket_seconds":60}"#))
                .unwrap(),
            SummaryOptions {
                group_by: Some(GroupBy::AppName),
                bucket_seconds: Some(60)
            }
        );
    }

    #[test]
    fn fixture_page_per_path() {
        let bytes = std::fs::read(format!(
            "{}/tests/fixtures/generated-v1-calls-list-page.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let calls = calls_from_bytes(&bytes, ReadOptions::default()).calls;
        let sum = summarize_calls(
            &calls,
            &SummaryOptions {
                group_by: Some(GroupBy::Path),
                bucket_seconds: None,
            },
        )
        .unwrap();
        assert_eq!(sum.total.error_rate, Some(1.0));
        let groups = sum.groups.unwrap();
        assert_eq!(
            groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["/error", "/slow"]
        );
        assert_eq!(groups[0].stats.duration_ms.unwrap().max, 490.0);
        assert_eq!(groups[1].stats.duration_ms.unwrap().max, 30001.0);
        assert_eq!(groups[1].stats.queue_wait_ms.unwrap().max, 3.0);
    }
}
