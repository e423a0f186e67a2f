//! The fields of `Call` objects read back without reading the whole call: what filtering and summarising an array of
//! `Call`s the package made needs (`filterCalls(calls)`, `summarizeCalls(calls)`).
//!
//! A `Call` object the package made holds a call it has read and checked, written as its generation's Go code writes
//! it. Filtering such calls needs only the fields the filter tests, so the JavaScript boundary sends only those, as
//! one text (the *projection*), instead of walking every call's whole object across the boundary. The operation that
//! needs the fields says which ([`crate::filter::fields_read`], [`crate::summary::fields_read`]); [`read_rows`]
//! reads the text back into the rows the bulk paths work on ([`Row`]), and answers `None` for anything a `Call` made
//! by the package cannot hold, so that the caller reads those calls in full instead: the answer is the same either way.
//!
//! The text: for each call, in [`Field`] order, each field asked for, as its text followed by a NUL (`\0`). A field
//! the object does not have is empty (Go leaves empty fields out). A metric ([`Field::MemUsage`], [`Field::CpuTotal`])
//! is the decimal values of that metric in the call's stats samples, in order, joined by `,`, then a NUL.

use crate::datetime::GoTime;
use crate::status::{CallFormat, CallStatus, CallType};
use crate::view::{MetricAcc, Row};
use std::borrow::Cow;

/// A field a projection can carry, in the order the text holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Status,
    AppName,
    FnId,
    Path,
    Image,
    Method,
    Error,
    Type,
    Format,
    CreatedAt,
    StartedAt,
    CompletedAt,
    /// The `mem_usage` values of the call's stats samples.
    MemUsage,
    /// The `cpu_total` values of the call's stats samples.
    CpuTotal,
}

impl Field {
    /// Every field, in the order of the text.
    pub const ALL: [Field; 15] = [
        Field::Id,
        Field::Status,
        Field::AppName,
        Field::FnId,
        Field::Path,
        Field::Image,
        Field::Method,
        Field::Error,
        Field::Type,
        Field::Format,
        Field::CreatedAt,
        Field::StartedAt,
        Field::CompletedAt,
        Field::MemUsage,
        Field::CpuTotal,
    ];

    /// The key of a `Call` object the field is read from; for a metric, its key in each sample's `metrics`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Status => "status",
            Field::AppName => "app_name",
            Field::FnId => "fn_id",
            Field::Path => "path",
            Field::Image => "image",
            Field::Method => "method",
            Field::Error => "error",
            Field::Type => "type",
            Field::Format => "format",
            Field::CreatedAt => "created_at",
            Field::StartedAt => "started_at",
            Field::CompletedAt => "completed_at",
            Field::MemUsage => "mem_usage",
            Field::CpuTotal => "cpu_total",
        }
    }

    /// Whether the field is a stats metric (read from `stats[*].metrics`, a list of unsigned integers).
    pub fn is_metric(self) -> bool {
        matches!(self, Field::MemUsage | Field::CpuTotal)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`Field`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fields(u16);

impl Fields {
    /// Every field.
    pub const ALL: Fields = Fields((1 << Field::ALL.len()) - 1);

    /// The set with `field` too.
    #[must_use]
    pub fn with(self, field: Field) -> Fields {
        Fields(self.0 | field.bit())
    }

    /// The set with `field` when `cond` holds.
    #[must_use]
    pub fn with_if(self, cond: bool, field: Field) -> Fields {
        if cond {
            self.with(field)
        } else {
            self
        }
    }

    pub fn has(self, field: Field) -> bool {
        self.0 & field.bit() != 0
    }

    /// Every field of either set.
    #[must_use]
    pub fn union(self, other: Fields) -> Fields {
        Fields(self.0 | other.0)
    }

    /// The set split into its plain fields and its metrics (the stats samples, which are read afresh each time:
    /// the boundary does not compare them to know they are unchanged).
    pub fn split_metrics(self) -> (Fields, Fields) {
        let metrics = Fields::default()
            .with(Field::MemUsage)
            .with(Field::CpuTotal)
            .0;
        (Fields(self.0 & !metrics), Fields(self.0 & metrics))
    }

    /// Whether every field of `other` is in this set.
    pub fn covers(self, other: Fields) -> bool {
        self.0 & other.0 == other.0
    }

    /// The fields of the set, in the order of the text.
    pub fn list(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.has(*f))
    }
}

/// The rows of `count` calls from a projection of `fields` (the module's documentation gives the text). `None` when
/// the text does not hold exactly `count` calls of those fields, or a value is one a `Call` the package made cannot
/// hold (a status, type or format it does not know, a date-time that does not read, a metric that is not an unsigned
/// 64-bit integer): the caller then reads the calls in full, which reports what is wrong. Fields not asked for are
/// left empty in the rows.
pub fn read_rows(text: &str, fields: Fields, count: usize) -> Option<Vec<Row<'_>>> {
    let asked: Vec<Field> = fields.list().collect();
    let mut values = text.split('\0');
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        let mut row = Row::default();
        for field in &asked {
            set(&mut row, *field, values.next()?)?;
        }
        rows.push(row);
    }
    // Exactly the values asked for: the text ends with the last one's NUL (a value holding a NUL would add a piece).
    match (values.next(), values.next()) {
        (Some(""), None) => Some(rows),
        _ => None,
    }
}

/// Sets one field of a row from its text; `None` when the text is not a value a `Call` the package made holds.
fn set<'a>(row: &mut Row<'a>, field: Field, text: &'a str) -> Option<()> {
    let v = &mut row.view;
    let s = Cow::Borrowed(text);
    match field {
        Field::Id => v.id = s,
        Field::AppName => v.app_name = s,
        Field::FnId => v.fn_id = s,
        Field::Path => v.path = s,
        Field::Image => v.image = s,
        Field::Method => v.method = s,
        Field::Error => v.error = s,
        Field::Status => v.status = enum_value(text, CallStatus::parse)?,
        Field::Type => v.call_type = enum_value(text, CallType::parse)?,
        Field::Format => v.format = enum_value(text, CallFormat::parse)?,
        Field::CreatedAt => v.created_at = time(text)?,
        Field::StartedAt => v.started_at = time(text)?,
        Field::CompletedAt => v.completed_at = time(text)?,
        Field::MemUsage => row.mem = metric(text)?,
        Field::CpuTotal => row.cpu = metric(text)?,
    }
    Some(())
}

/// `""` is no value (Go leaves the field out); anything else must be one of the enum's names.
fn enum_value<T>(text: &str, parse: fn(&str) -> Option<T>) -> Option<Option<T>> {
    if text.is_empty() {
        Some(None)
    } else {
        parse(text).map(Some)
    }
}

/// A `Call`'s date-time text (always written, so never empty).
fn time(text: &str) -> Option<GoTime> {
    if text.is_empty() {
        return None;
    }
    GoTime::parse_common(text.as_bytes()).or_else(|| GoTime::parse(text).ok())
}

/// A metric's samples: decimal `u64`s joined by `,`; `""` is none.
fn metric(text: &str) -> Option<MetricAcc> {
    let mut acc = MetricAcc::default();
    if text.is_empty() {
        return Some(acc);
    }
    for v in text.split(',') {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        acc.add(v.parse().ok()?);
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::MetricAcc;

    #[test]
    fn fields_list_in_text_order() {
        let f = Fields::default()
            .with(Field::CreatedAt)
            .with(Field::Id)
            .with_if(false, Field::Path)
            .with_if(true, Field::CpuTotal);
        let list: Vec<Field> = f.list().collect();
        assert_eq!(list, [Field::Id, Field::CreatedAt, Field::CpuTotal]);
        assert_eq!(Fields::ALL.list().count(), Field::ALL.len());
        // a union of overlapping sets keeps what both have
        let h = Fields::default().with(Field::Id).with(Field::Error);
        assert!(f.union(h).covers(f) && f.union(h).covers(h) && f.union(h).has(Field::Id));
        // a field given twice is still in the set (a set, not a toggle)
        assert!(f.with(Field::Id).has(Field::Id) && f.with_if(true, Field::Id).has(Field::Id));
        assert!(Field::MemUsage.is_metric() && !Field::Id.is_metric());
        let g = Fields::default().with(Field::Path);
        assert!(f.union(g).covers(f) && f.union(g).covers(g) && !f.covers(g));
        assert_eq!(f.union(g).list().count(), 4);
        let (plain, metrics) = f.union(g).with(Field::MemUsage).split_metrics();
        assert_eq!(
            plain.list().collect::<Vec<_>>(),
            [Field::Id, Field::Path, Field::CreatedAt]
        );
        assert_eq!(
            metrics.list().collect::<Vec<_>>(),
            [Field::MemUsage, Field::CpuTotal]
        );
    }

    fn fields(list: &[Field]) -> Fields {
        list.iter().fold(Fields::default(), |f, x| f.with(*x))
    }

    #[test]
    fn reads_each_field_and_leaves_the_rest_empty() {
        let f = fields(&[
            Field::Id,
            Field::Status,
            Field::Type,
            Field::CreatedAt,
            Field::MemUsage,
        ]);
        let text = [
            "01A",
            "error",
            "",
            "2017-11-28T09:51:41.123-07:30",
            "5,18446744073709551615", //
            "01B",
            "",
            "async",
            "0001-01-01T00:00:00.000Z",
            "",
        ]
        .map(|v| format!("{v}\0"))
        .concat();
        let text = text.as_str();
        let rows = read_rows(text, f, 2).unwrap();
        assert_eq!(rows.len(), 2);
        let (a, b) = (&rows[0], &rows[1]);
        assert_eq!(
            (a.view.id.as_ref(), a.view.status, a.view.call_type),
            ("01A", Some(CallStatus::Error), None)
        );
        assert_eq!(
            a.view.created_at,
            GoTime::parse("2017-11-28T09:51:41.123-07:30").unwrap()
        );
        assert_eq!(
            (a.mem.samples, a.mem.peak, a.mem.sum),
            (2, u64::MAX, u128::from(u64::MAX) + 5)
        );
        assert_eq!(
            (b.view.id.as_ref(), b.view.status, b.view.call_type),
            ("01B", None, Some(CallType::Async))
        );
        assert!(b.view.created_at.is_zero());
        assert_eq!(b.mem, MetricAcc::default());
        // fields not asked for stay empty
        assert_eq!(
            (a.view.app_name.as_ref(), a.view.path.as_ref(), a.cpu),
            ("", "", MetricAcc::default())
        );
        assert_eq!(read_rows("", f, 0).map(|r| r.len()), Some(0));
        assert_eq!(
            read_rows("", Fields::default(), 3).map(|r| r.len()),
            Some(3)
        );
    }

    #[test]
    fn anything_a_call_cannot_hold_is_left_to_the_full_reader() {
        let one = |f: Field, v: &str| read_rows(&format!("{v}\0"), fields(&[f]), 1).is_some();
        assert!(one(Field::Status, "running") && one(Field::Status, ""));
        assert!(!one(Field::Status, "Running") && !one(Field::Status, "done"));
        assert!(
            one(Field::Format, "http")
                && !one(Field::Format, "cloudevent")
                && !one(Field::Type, "SYNC")
        );
        assert!(
            one(Field::StartedAt, "2017-11-28T09:51:41Z")
                && one(Field::StartedAt, "2017-11-28T09:51:41.5+00:00")
        );
        assert!(
            !one(Field::StartedAt, "")
                && !one(Field::StartedAt, "yesterday")
                && !one(Field::StartedAt, "2017-02-30T00:00:00Z")
        );
        assert!(one(Field::CpuTotal, "") && one(Field::CpuTotal, "0,7"));
        for bad in [
            "-1",
            "1,",
            ",1",
            "+1",
            "1.5",
            "18446744073709551616",
            "1,,2",
            " 1",
        ] {
            assert!(!one(Field::CpuTotal, bad), "{bad}");
        }
        // any text is a string field's value
        assert!(one(Field::Error, "") && one(Field::Error, "exit,code\n1"));
        // exactly the values asked for: one missing, one too many, a NUL inside a value, no final NUL
        let f = fields(&[Field::Id, Field::Path]);
        assert!(read_rows("a\0/x\0", f, 1).is_some());
        assert!(read_rows("a\0/x\0", f, 2).is_none());
        assert!(read_rows("a\0/x\0b\0", f, 1).is_none());
        assert!(read_rows("a\0/x\0\0", f, 1).is_none());
        assert!(read_rows("a\0/x", f, 1).is_none());
        assert!(read_rows("a\0b\0/x\0", f, 1).is_none());
    }
}
