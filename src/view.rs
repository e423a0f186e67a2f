//! The projection of a call that the bulk paths share: what a filter tests ([`CallView`]) and what the columnar
//! index and the summary keep besides ([`Row`]: the totals of the two stats metrics).
//!
//! A view borrows from a `Call` ([`CallView::of`], [`Row::of`]) or straight from a record's bytes (the fast lane,
//! `fast_read.rs`), so the filter, the index and the summary need not build a `Call` to do their work. This module
//! depends only on the model; everything that reads or tests calls depends on it, never the other way round.

use crate::datetime::GoTime;
use crate::model::Call;
use crate::status::{CallFormat, CallStatus, CallType};
use std::borrow::Cow;

/// The fields of a call that a filter tests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallView<'a> {
    pub id: Cow<'a, str>,
    pub status: Option<CallStatus>,
    pub app_name: Cow<'a, str>,
    pub fn_id: Cow<'a, str>,
    pub path: Cow<'a, str>,
    pub image: Cow<'a, str>,
    pub method: Cow<'a, str>,
    pub error: Cow<'a, str>,
    pub call_type: Option<CallType>,
    pub format: Option<CallFormat>,
    pub created_at: GoTime,
    pub started_at: GoTime,
    pub completed_at: GoTime,
}

impl<'a> CallView<'a> {
    /// The same view owning its text (to be kept past what it was read from).
    pub fn into_owned(self) -> CallView<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        CallView {
            id: own(self.id),
            status: self.status,
            app_name: own(self.app_name),
            fn_id: own(self.fn_id),
            path: own(self.path),
            image: own(self.image),
            method: own(self.method),
            error: own(self.error),
            call_type: self.call_type,
            format: self.format,
            created_at: self.created_at,
            started_at: self.started_at,
            completed_at: self.completed_at,
        }
    }

    /// The filter fields of a `Call`, borrowed.
    pub fn of(c: &'a Call) -> CallView<'a> {
        CallView {
            id: Cow::Borrowed(&c.id),
            status: c.status,
            app_name: Cow::Borrowed(&c.app_name),
            fn_id: Cow::Borrowed(c.fn_id.as_deref().unwrap_or("")),
            path: Cow::Borrowed(&c.path),
            image: Cow::Borrowed(&c.image),
            method: Cow::Borrowed(&c.method),
            error: Cow::Borrowed(&c.error),
            call_type: c.call_type,
            format: c.format,
            created_at: c.created_at,
            started_at: c.started_at,
            completed_at: c.completed_at,
        }
    }
}

/// What the columnar index keeps of a call: the filter fields, and the totals of the two metrics summaries use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row<'a> {
    pub view: CallView<'a>,
    /// The call's `mem_usage` samples.
    pub mem: MetricAcc,
    /// The call's `cpu_total` samples.
    pub cpu: MetricAcc,
}

impl<'a> Row<'a> {
    /// The row of a `Call`, borrowed.
    pub fn of(c: &'a Call) -> Row<'a> {
        let (mem, cpu) = call_metrics(c);
        Row {
            view: CallView::of(c),
            mem,
            cpu,
        }
    }
}

/// Samples of one metric, added up: what a summary needs of them (so one call's samples can be kept as one value).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MetricAcc {
    pub samples: u64,
    pub peak: u64,
    pub sum: u128,
}

impl MetricAcc {
    pub fn add(&mut self, v: u64) {
        self.samples += 1;
        self.peak = self.peak.max(v);
        self.sum += u128::from(v);
    }

    pub fn merge(&mut self, o: MetricAcc) {
        self.samples += o.samples;
        self.peak = self.peak.max(o.peak);
        self.sum += o.sum;
    }
}

/// The `mem_usage` and `cpu_total` samples of a call, added up.
pub fn call_metrics(c: &Call) -> (MetricAcc, MetricAcc) {
    let (mut mem, mut cpu) = (MetricAcc::default(), MetricAcc::default());
    for stat in &c.stats {
        if let Some(m) = &stat.metrics {
            if let Some(v) = m.get("mem_usage") {
                mem.add(*v);
            }
            if let Some(v) = m.get("cpu_total") {
                cpu.add(*v);
            }
        }
    }
    (mem, cpu)
}
