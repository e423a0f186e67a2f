//! Property test: `filter_calls` against a deliberately naive reading of docs/filtering.md, on random calls and
//! random filters; and paging through `next_cursor` partitions the matches.

use fn_calls::datetime::GoTime;
use fn_calls::filter::{
    fields_read, filter_calls, filter_calls_as, listing_order, page_positions,
    page_positions_ordered, Api, CallFilter, Listing,
};
use fn_calls::model::{Call, Stat};
use fn_calls::projection::{read_rows, Field, Fields};
use fn_calls::status::{CallFormat, CallStatus, CallType};
use fn_calls::summary::{self, GroupBy, SummaryOptions, SummaryRow};
use fn_calls::view::CallView;
use std::cmp::Ordering;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A valid id whose time part is `ms` and whose tail is `n`.
fn id(ms: i64, n: u64) -> String {
    let mut s = String::new();
    for i in (0..10).rev() {
        s.push(ALPHABET[((ms >> (5 * i)) & 31) as usize] as char);
    }
    for i in (0..16).rev() {
        s.push(ALPHABET[((u128::from(n) >> (5 * i)) & 31) as usize] as char);
    }
    s
}

fn t(s: &str) -> GoTime {
    GoTime::parse(s).unwrap()
}

/// xorshift64*: small, deterministic, good enough to shake out disagreements.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const BASE: i64 = 1_511_889_700;

fn random_call(r: &mut Rng, n: u64) -> Call {
    let secs = BASE + r.below(40) as i64;
    let nanos = *r.pick(&[0u32, 1, 500_000_000, 999_999_999]);
    let offset = *r.pick(&[0i32, 3 * 3600, -7 * 3600 - 1800]);
    let created = if r.chance(15) {
        GoTime::ZERO
    } else {
        GoTime {
            unix_secs: secs,
            nanos,
            offset_secs: offset,
        }
    };
    let started = if r.chance(5) {
        GoTime::ZERO
    } else {
        GoTime {
            unix_secs: secs + r.below(2) as i64,
            nanos: r.below(1000) as u32 * 1_000_000,
            offset_secs: 0,
        }
    };
    let completed = if r.chance(5) {
        GoTime::ZERO
    } else {
        GoTime {
            unix_secs: started.unix_secs + r.below(3) as i64,
            nanos: r.below(1000) as u32 * 1_000_000,
            offset_secs: 0,
        }
    };
    // Ids: mostly in time order, sometimes a duplicate or an out-of-order one.
    let id_ms = if r.chance(6) {
        (BASE + r.below(40) as i64) * 1000
    } else {
        secs * 1000
    };
    let statuses = [
        None,
        Some(CallStatus::Success),
        Some(CallStatus::Error),
        Some(CallStatus::Timeout),
        Some(CallStatus::Running),
    ];
    Call {
        id: id(id_ms, if r.chance(10) { 7 } else { n }),
        status: *r.pick(&statuses),
        app_name: r.pick(&["a", "b", ""]).to_string(),
        path: r.pick(&["/x", "/y", "/x/y"]).to_string(),
        image: r.pick(&["", "img:1", "img:2"]).to_string(),
        call_type: *r.pick(&[None, Some(CallType::Sync), Some(CallType::Async)]),
        format: *r.pick(&[None, Some(CallFormat::Default), Some(CallFormat::Http)]),
        method: r.pick(&["", "GET", "POST"]).to_string(),
        created_at: created,
        started_at: started,
        completed_at: completed,
        error: r
            .pick(&[
                "",
                "",
                "container exit code 1",
                "container exit code 137",
                "context canceled",
                "timed out",
            ])
            .to_string(),
        ..Call::default()
    }
}

fn random_filter(r: &mut Rng, calls: &[Call]) -> CallFilter {
    let mut f = CallFilter::default();
    let time = |r: &mut Rng| BASE - 1 + r.below(42) as i64;
    if r.chance(3) {
        f.app_name = r.pick(&["a", "b", "c"]).to_string();
    }
    if r.chance(3) {
        f.path = r.pick(&["/x", "/y", "/z"]).to_string();
    }
    if r.chance(3) {
        f.from_time = Some(time(r));
    }
    if r.chance(3) {
        f.to_time = Some(time(r));
    }
    if r.chance(3) && !calls.is_empty() {
        f.cursor = r.pick(calls).id.clone();
    }
    if r.chance(2) {
        f.per_page = Some(r.below(20) as i64 - 3);
    }
    if r.chance(3) {
        let statuses = [
            None,
            Some(CallStatus::Success),
            Some(CallStatus::Error),
            Some(CallStatus::Timeout),
        ];
        f.status = (0..1 + r.below(2)).map(|_| *r.pick(&statuses)).collect();
    }
    match r.below(6) {
        0 => f.error = r.pick(&["container exit code 1", "timed out"]).to_string(),
        1 => f.error_contains = r.pick(&["exit", "code 1", "c"]).to_string(),
        2 => f.error_pattern = r.pick(&["*exit code ?", "c*", "*e*d*", "?"]).to_string(),
        _ => {}
    }
    if r.chance(4) {
        f.call_type = *r.pick(&[Some(CallType::Sync), Some(CallType::Async)]);
    }
    if r.chance(4) {
        f.format = *r.pick(&[Some(CallFormat::Default), Some(CallFormat::Json)]);
    }
    if r.chance(4) {
        f.image = r.pick(&["img:1", "img:2"]).to_string();
    }
    if r.chance(4) {
        f.method = r.pick(&["GET", "POST"]).to_string();
    }
    if r.chance(4) {
        f.min_duration_ms = Some(r.below(2000) as i64);
    }
    if r.chance(4) {
        f.max_duration_ms = Some(f.min_duration_ms.unwrap_or(0) + r.below(3000) as i64);
    }
    if r.chance(4) {
        f.created_since = GoTime {
            unix_secs: time(r),
            nanos: 0,
            offset_secs: 3600,
        }
        .format();
    }
    if r.chance(4) {
        f.created_before = GoTime {
            unix_secs: time(r),
            nanos: 500_000_000,
            offset_secs: 0,
        }
        .format();
        if !f.created_since.is_empty()
            && t(&f.created_before).cmp_instant(&t(&f.created_since)) != Ordering::Greater
        {
            f.created_before = String::new();
        }
    }
    f.all = r.chance(8);
    f
}

/// The naive reading: nanoseconds as i128, a hand-written wildcard matcher, the documented sentences one by one.
fn naive<'c>(calls: &'c [Call], f: &CallFilter) -> (Vec<&'c Call>, String) {
    let nanos = |t: &GoTime| i128::from(t.unix_secs) * 1_000_000_000 + i128::from(t.nanos);
    fn wild(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| wild(rest, &t[i..])),
            Some(('?', rest)) => !t.is_empty() && wild(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && wild(rest, &t[1..]),
        }
    }
    let mut out: Vec<&Call> = Vec::new();
    for c in calls {
        if !f.app_name.is_empty() && c.app_name != f.app_name {
            continue;
        }
        if !f.path.is_empty() && c.path != f.path {
            continue;
        }
        if !f.cursor.is_empty() && c.id >= f.cursor {
            continue;
        }
        // The server writes the bound in its zone (UTC) as Go does and compares the stored text.
        let text = |t: i64| {
            GoTime {
                unix_secs: t,
                nanos: 0,
                offset_secs: 0,
            }
            .format()
        };
        if let Some(from) = f.from_time {
            if c.created_at.format() <= text(from) {
                continue;
            }
        }
        if let Some(to) = f.to_time {
            if c.created_at.format() >= text(to) {
                continue;
            }
        }
        if !f.status.is_empty()
            && !f
                .status
                .iter()
                .any(|s| s.map(CallStatus::as_str) == c.status.map(CallStatus::as_str))
        {
            continue;
        }
        if !f.error.is_empty() && c.error != f.error {
            continue;
        }
        if !f.error_contains.is_empty() && !c.error.contains(&f.error_contains) {
            continue;
        }
        if !f.error_pattern.is_empty() {
            let p: Vec<char> = f.error_pattern.chars().collect();
            let t: Vec<char> = c.error.chars().collect();
            if !wild(&p, &t) {
                continue;
            }
        }
        if f.call_type.is_some() && c.call_type != f.call_type {
            continue;
        }
        if f.format.is_some() && c.format != f.format {
            continue;
        }
        if !f.image.is_empty() && c.image != f.image {
            continue;
        }
        if !f.method.is_empty() && c.method != f.method {
            continue;
        }
        if f.min_duration_ms.is_some() || f.max_duration_ms.is_some() {
            if c.started_at.is_zero() || c.completed_at.is_zero() {
                continue;
            }
            let ms = |t: &GoTime| nanos(t).div_euclid(1_000_000);
            let d = ms(&c.completed_at) - ms(&c.started_at);
            if f.min_duration_ms.is_some_and(|m| d < i128::from(m))
                || f.max_duration_ms.is_some_and(|m| d > i128::from(m))
            {
                continue;
            }
        }
        if !f.created_since.is_empty()
            && (c.created_at.is_zero() || nanos(&c.created_at) < nanos(&t(&f.created_since)))
        {
            continue;
        }
        if !f.created_before.is_empty()
            && (c.created_at.is_zero() || nanos(&c.created_at) >= nanos(&t(&f.created_before)))
        {
            continue;
        }
        out.push(c);
    }
    // newest id first; equal ids keep input order (a stable sort on the reversed comparison)
    out.sort_by(|a, b| b.id.cmp(&a.id));
    if f.all {
        return (out, String::new());
    }
    let per_page = match f.per_page {
        None => 30,
        Some(n) if n <= 0 => 30,
        Some(n) if n > 100 => 100,
        Some(n) => n as usize,
    };
    let page: Vec<&Call> = out.into_iter().take(per_page).collect();
    let cursor = if page.len() == per_page {
        page.last().map(|c| c.id.clone()).unwrap_or_default()
    } else {
        String::new()
    };
    (page, cursor)
}

#[test]
fn agrees_with_a_naive_reference() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut nonempty = 0;
    for round in 0..3000 {
        let calls: Vec<Call> = (0..r.below(60)).map(|n| random_call(&mut r, n)).collect();
        let f = random_filter(&mut r, &calls);
        let got = filter_calls(&calls, &f)
            .unwrap_or_else(|e| panic!("round {round}: {f:?} rejected: {e:?}"));
        let (want, want_cursor) = naive(&calls, &f);
        // Whole calls, so that calls with equal ids must come back in input order.
        assert_eq!(
            got.calls.iter().collect::<Vec<_>>(),
            want,
            "round {round}: {f:?}"
        );
        assert_eq!(got.next_cursor, want_cursor, "round {round}: {f:?}");
        if !want.is_empty() {
            nonempty += 1;
        }
    }
    assert!(
        nonempty > 600,
        "the generator should produce matches often enough ({nonempty})"
    );
}

#[test]
fn paging_with_unique_ids_partitions_the_matches() {
    let mut r = Rng(42);
    for _ in 0..300 {
        let calls: Vec<Call> = (0..r.below(80))
            .map(|n| {
                let mut c = random_call(&mut r, n);
                c.id = id(BASE * 1000 + r.below(1_000_000) as i64, n);
                c
            })
            .collect();
        let mut f = random_filter(&mut r, &calls);
        f.cursor.clear();
        f.all = true;
        let everything = filter_calls(&calls, &f).unwrap().calls;
        f.all = false;
        f.per_page = Some(1 + r.below(12) as i64);
        let mut pages = Vec::new();
        // Every page but the last holds at least one call, so more pages than calls (+1 for an empty last page)
        // means the cursor does not move forward: fail rather than loop forever.
        for requests in 1.. {
            assert!(
                requests <= calls.len() + 1,
                "next_cursor did not end after {requests} pages of {:?} over {} calls: {f:?}",
                f.per_page,
                calls.len()
            );
            let page = filter_calls(&calls, &f).unwrap();
            pages.extend(page.calls);
            if page.next_cursor.is_empty() {
                break;
            }
            f.cursor = page.next_cursor;
        }
        assert_eq!(pages, everything);
    }
}

/// The call as a `Call` object holds it: its date-times are the text Go writes (whole milliseconds).
fn as_in_js(mut c: Call) -> Call {
    for t in [&mut c.created_at, &mut c.started_at, &mut c.completed_at] {
        *t = GoTime::parse(&t.format()).unwrap();
    }
    c
}

/// The projection text of `calls` for `fields`, as the JavaScript boundary writes it from `Call` objects
/// (`projection.rs`): each field's text and a NUL; a metric as its samples' values joined by `,`.
fn projection_text(calls: &[Call], fields: Fields) -> String {
    let mut s = String::new();
    for c in calls {
        for field in fields.list() {
            let metric = |name: &str| -> String {
                let values: Vec<String> = c
                    .stats
                    .iter()
                    .filter_map(|st| st.metrics.as_ref()?.get(name).map(u64::to_string))
                    .collect();
                values.join(",")
            };
            let text = match field {
                Field::Id => c.id.clone(),
                Field::Status => c.status.map(|s| s.as_str()).unwrap_or("").into(),
                Field::AppName => c.app_name.clone(),
                Field::FnId => c.fn_id.clone().unwrap_or_default(),
                Field::Path => c.path.clone(),
                Field::Image => c.image.clone(),
                Field::Method => c.method.clone(),
                Field::Error => c.error.clone(),
                Field::Type => c.call_type.map(|t| t.as_str()).unwrap_or("").into(),
                Field::Format => c.format.map(|f| f.as_str()).unwrap_or("").into(),
                Field::CreatedAt => c.created_at.format(),
                Field::StartedAt => c.started_at.format(),
                Field::CompletedAt => c.completed_at.format(),
                Field::MemUsage => metric("mem_usage"),
                Field::CpuTotal => metric("cpu_total"),
            };
            s.push_str(&text);
            s.push('\0');
        }
    }
    s
}

/// Filtering `Call` objects the package made reads only the fields `fields_read` names (the others arrive empty),
/// and pages through kept rows in their listing order: both must give exactly what `filter_calls` gives.
#[test]
fn the_fields_a_filter_reads_are_enough() {
    let mut r = Rng(0x005E_EDF1_E1D5);
    let mut nonempty = 0;
    for round in 0..3000 {
        let calls: Vec<Call> = (0..r.below(60))
            .map(|n| {
                let mut c = as_in_js(random_call(&mut r, n));
                c.fn_id = r
                    .pick(&[None, Some("01FN"), Some("02FN")])
                    .map(String::from);
                c
            })
            .collect();
        let mut f = random_filter(&mut r, &calls);
        if r.chance(5) {
            f.fn_id = r.pick(&["01FN", "02FN"]).to_string();
        }
        if r.chance(6) {
            f.error_group = "container exit code <num>".into();
            f.error_ignore_case = r.chance(2);
        }
        let want = filter_calls(&calls, &f).unwrap_or_else(|e| panic!("round {round}: {e:?}"));
        let fields = fields_read(&f);
        let text = projection_text(&calls, fields);
        let rows = read_rows(&text, fields, calls.len())
            .unwrap_or_else(|| panic!("round {round}: the projection did not read: {text:?}"));
        let views: Vec<&CallView> = rows.iter().map(|r| &r.view).collect();
        for (name, page) in [
            (
                "page_positions",
                page_positions(&views, &f, Listing::default()),
            ),
            (
                "page_positions_ordered",
                page_positions_ordered(&views, &listing_order(&views), &f, Listing::default()),
            ),
        ] {
            let page = page.unwrap();
            let got: Vec<&Call> = page.positions.iter().map(|i| &calls[*i]).collect();
            assert_eq!(
                got,
                want.calls.iter().collect::<Vec<_>>(),
                "round {round}, {name}: {f:?} with {fields:?}"
            );
            assert_eq!(
                page.next_cursor, want.next_cursor,
                "round {round}, {name}: {f:?}"
            );
        }
        nonempty += usize::from(!want.calls.is_empty());
    }
    assert!(
        nonempty > 600,
        "the generator should produce matches often enough ({nonempty})"
    );
}

/// The same for v2 listings: cursors base64url in and out, and the errors for `path` / `app_name` alike.
#[test]
fn ordered_pages_agree_for_v2_listings() {
    let mut r = Rng(77);
    let v2 = Listing {
        api: Api::V2,
        zone_offset_secs: 3600,
    };
    for round in 0..500 {
        let calls: Vec<Call> = (0..r.below(40)).map(|n| random_call(&mut r, n)).collect();
        let mut f = random_filter(&mut r, &calls);
        if !f.cursor.is_empty() && r.chance(2) {
            f.cursor = fn_calls::id::base64url_encode(&f.cursor);
        }
        let views: Vec<CallView> = calls.iter().map(CallView::of).collect();
        let views: Vec<&CallView> = views.iter().collect();
        let want = filter_calls_as(&calls, &f, v2).map(|p| (p.calls, p.next_cursor));
        let got = page_positions_ordered(&views, &listing_order(&views), &f, v2).map(|p| {
            (
                p.positions
                    .iter()
                    .map(|i| calls[*i].clone())
                    .collect::<Vec<_>>(),
                p.next_cursor,
            )
        });
        assert_eq!(got, want, "round {round}: {f:?}");
    }
}

/// Summarising `Call` objects the package made reads only the fields `summary::fields_read` names.
#[test]
fn the_fields_a_summary_reads_are_enough() {
    let mut r = Rng(9);
    for round in 0..300 {
        let calls: Vec<Call> = (0..r.below(50))
            .map(|n| {
                let mut c = as_in_js(random_call(&mut r, n));
                for _ in 0..r.below(4) {
                    let metrics = (!r.chance(4)).then(|| {
                        let mut m = std::collections::BTreeMap::new();
                        if !r.chance(3) {
                            m.insert("mem_usage".to_string(), r.next() >> r.below(64));
                        }
                        if !r.chance(3) {
                            m.insert("cpu_total".to_string(), r.below(1_000_000));
                        }
                        m.insert("net_rx".to_string(), 5);
                        m
                    });
                    c.stats.push(Stat {
                        timestamp: c.created_at,
                        metrics,
                    });
                }
                c
            })
            .collect();
        let options = SummaryOptions {
            group_by: *r.pick(&[
                None,
                Some(GroupBy::Path),
                Some(GroupBy::AppName),
                Some(GroupBy::Status),
            ]),
            bucket_seconds: r.chance(2).then(|| 1 + r.below(20) as i64),
        };
        let fields = summary::fields_read(&options);
        let text = projection_text(&calls, fields);
        let rows = read_rows(&text, fields, calls.len()).unwrap();
        let rows: Vec<SummaryRow> = rows.iter().map(SummaryRow::of_row).collect();
        assert_eq!(
            summary::summarize_rows(&rows, &options),
            summary::summarize_calls(&calls, &options),
            "round {round}: {options:?}"
        );
    }
}
