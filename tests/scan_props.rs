//! Property tests for the bulk engine on random data: for random calls (some bad), random forms, random filters and
//! random chunk splits, `scan` finds exactly the records `filter_calls` keeps from `calls_from_bytes`, in both
//! validation modes, and streaming in chunks changes nothing.

use fn_calls::batch::calls_from_bytes;
use fn_calls::filter::{filter_calls, filter_from_tree, CallFilter};
use fn_calls::index::{CallIndex, IndexOptions};
use fn_calls::json;
use fn_calls::read::ReadOptions;
use fn_calls::record::call_from_bytes;
use fn_calls::scan::{scan_calls, CallScanner, ScanOptions, Validate};

/// xorshift64*: deterministic, dependency-free.
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
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const APPS: [&str; 4] = ["myapp", "shop", "o\\u0074her", "x\\\"y"];
const PATHS: [&str; 4] = ["/hello", "/error", "\\/slow", "/a/b"];
const STATUSES: [&str; 8] = [
    "success",
    "error",
    "timeout",
    "running",
    "queued",
    "",
    "cancelled",
    "delayed",
];
const ERRORS: [&str; 4] = [
    "",
    "container exit code 1",
    "context canceled",
    "Timed out \\u0026 <more>",
];

fn random_call(rng: &mut Rng) -> String {
    let ms = 1_511_889_699_000u64 + rng.below(10_000_000);
    let mut id = String::new();
    for i in 0..10 {
        id.push(ALPHABET[((ms >> (45 - 5 * i)) & 31) as usize] as char);
    }
    for _ in 0..16 {
        id.push(ALPHABET[rng.below(32) as usize] as char);
    }
    let secs = ms / 1000;
    let t = |s: u64| {
        let d =
            chrono::DateTime::from_timestamp(s as i64, ((ms % 1000) * 1_000_000) as u32).unwrap();
        d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    };
    let status = rng.pick(&STATUSES);
    let error = if status == "error" {
        rng.pick(&ERRORS)
    } else {
        ""
    };
    let mut s = format!(
        r#"{{"id":"{id}","status":"{status}","app_name":"{}","path":"{}""#,
        rng.pick(&APPS),
        rng.pick(&PATHS)
    );
    if rng.below(2) == 0 {
        s.push_str(&format!(
            r#","type":"{}","format":"json","method":"POST""#,
            rng.pick(&["sync", "async"])
        ));
    }
    s.push_str(&format!(
        r#","completed_at":"{}","created_at":"{}","started_at":"{}""#,
        t(secs + rng.below(5)),
        t(secs),
        t(secs)
    ));
    if rng.below(3) == 0 {
        // stats samples: the index totals mem_usage and cpu_total, and ignores other metrics
        let mut samples = Vec::new();
        for k in 0..rng.below(4) {
            let mut metrics = vec![format!(r#""mem_usage":{}"#, rng.below(1 << 30))];
            if rng.below(2) == 0 {
                metrics.push(format!(r#""cpu_total":{}"#, rng.below(1000)));
            }
            if rng.below(2) == 0 {
                metrics.insert(0, r#""mem_limit":134217728"#.to_string());
            }
            samples.push(format!(
                r#"{{"timestamp":"{}","metrics":{{{}}}}}"#,
                t(secs + k),
                metrics.join(",")
            ));
        }
        s.push_str(&format!(r#","stats":[{}]"#, samples.join(",")));
    }
    if !error.is_empty() {
        s.push_str(&format!(r#","error":"{error}""#));
    }
    s.push('}');
    match rng.below(12) {
        0 => s.replace("\"status\":\"", "\"status\":\"x"),
        1 => s.replace("\"created_at\":\"", "\"created_at\":\"2017 "),
        _ => s,
    }
}

fn random_filter(rng: &mut Rng) -> CallFilter {
    let mut parts = vec!["\"all\":true".to_string()];
    if rng.below(2) == 0 {
        parts.push(format!(
            "\"app_name\":\"{}\"",
            ["myapp", "shop", "other", "x\\\"y"][rng.below(4) as usize]
        ));
    }
    if rng.below(2) == 0 {
        parts.push(format!(
            "\"path\":\"{}\"",
            ["/hello", "/slow", "/a/b"][rng.below(3) as usize]
        ));
    }
    if rng.below(2) == 0 {
        parts.push(format!(
            "\"status\":[\"{}\",\"{}\"]",
            rng.pick(&STATUSES[..5]),
            rng.pick(&STATUSES)
        ));
    }
    if rng.below(3) == 0 {
        parts.push(format!(
            "\"error_contains\":\"{}\"",
            ["exit", "&", "canceled"][rng.below(3) as usize]
        ));
    }
    if rng.below(4) == 0 {
        parts.push("\"type\":\"async\"".into());
    }
    let text = format!("{{{}}}", parts.join(","));
    filter_from_tree(&json::parse(text.as_bytes()).unwrap())
        .unwrap()
        .0
}

fn wrap(rng: &mut Rng, records: &[String]) -> String {
    match rng.below(4) {
        0 => records.join("\n") + "\n",
        1 => format!("[{}]", records.join(",\n")),
        2 => format!(
            r#"{{"message":"Successfully listed calls","next_cursor":"","calls":[{}]}}"#,
            records.join(",")
        ),
        _ => records.join("\r\n"),
    }
}

#[test]
fn scan_agrees_with_filter_calls_and_ignores_chunking() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..150 {
        let n = rng.below(30) as usize;
        let records: Vec<String> = (0..n).map(|_| random_call(&mut rng)).collect();
        let mut input = wrap(&mut rng, &records);
        let mut n = n;
        if input.ends_with('\n') && rng.below(3) == 0 {
            // NDJSON cut off inside its last record
            let extra = random_call(&mut rng);
            input.push_str(&extra[..extra.len() / 2]);
            n += 1;
        }
        let filter = random_filter(&mut rng);

        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        let mut expected: Vec<String> = filter_calls(&batch.calls, &filter)
            .unwrap()
            .calls
            .into_iter()
            .map(|c| c.id)
            .collect();
        expected.sort();

        let whole = scan_calls(input.as_bytes(), filter.clone(), ScanOptions::default()).unwrap();
        assert_eq!(whole.total as usize, n, "round {round}: {input}");
        let mut found: Vec<String> = whole
            .offsets
            .chunks(2)
            .map(|p| {
                call_from_bytes(
                    &input.as_bytes()[p[0] as usize..p[1] as usize],
                    ReadOptions::default(),
                )
                .call
                .unwrap()
                .id
            })
            .collect();
        found.sort();
        assert_eq!(found, expected, "round {round}: {input}\nfilter {filter:?}");
        // every record parseCalls rejects is reported by the scan too, at the same index
        let mut bad_batch: Vec<u64> = batch
            .issues
            .iter()
            .filter(|i| i.is_error())
            .filter_map(|i| i.index)
            .collect();
        let mut bad_scan: Vec<u64> = whole.issues.iter().filter_map(|i| i.index).collect();
        bad_batch.dedup();
        bad_scan.dedup();
        assert_eq!(bad_scan, bad_batch, "round {round}: {input}");

        // with ranges: one per record, in order; each match's range is its offsets; each bad record's issue lies
        // within its range (or, for a syntax error at the very end, right after it)
        let ranged = scan_calls(
            input.as_bytes(),
            filter.clone(),
            ScanOptions {
                ranges: true,
                ..ScanOptions::default()
            },
        )
        .unwrap();
        assert_eq!(ranged.ranges.len() as u64, 2 * whole.total, "round {round}");
        assert!(
            ranged.ranges.windows(2).all(|w| w[0] <= w[1]),
            "round {round}"
        );
        for (k, i) in whole.indices.iter().enumerate() {
            let i = *i as usize;
            assert_eq!(
                ranged.ranges[2 * i..2 * i + 2],
                whole.offsets[2 * k..2 * k + 2]
            );
        }
        for issue in &whole.issues {
            if let (Some(i), Some(at)) = (issue.index, issue.offset) {
                let (s, e) = (
                    ranged.ranges[2 * i as usize],
                    ranged.ranges[2 * i as usize + 1],
                );
                assert!(
                    s <= at && at <= e,
                    "round {round}: {issue:?} outside {s}..{e}"
                );
            }
        }

        // the fast lane changes nothing: not the matches, not the issues, not what the index is handed
        let rows = |s: CallScanner| {
            let mut rows = Vec::new();
            let mut s = s;
            s.push_with(input.as_bytes(), &mut |r, a, b| {
                rows.push((format!("{r:?}"), a, b))
            });
            let result = s.finish_with(&mut |r, a, b| rows.push((format!("{r:?}"), a, b)));
            (result, rows)
        };
        let options = ScanOptions {
            warnings: true,
            ..ScanOptions::default()
        };
        let with_fast = rows(CallScanner::new(filter.clone(), options.clone()).unwrap());
        let without_fast = rows(
            CallScanner::new(filter.clone(), options)
                .unwrap()
                .without_fast_lane(),
        );
        assert_eq!(
            with_fast, without_fast,
            "round {round}: the fast lane changed the result"
        );

        let fast = scan_calls(
            input.as_bytes(),
            filter.clone(),
            ScanOptions {
                validate: Validate::Matches,
                ..ScanOptions::default()
            },
        )
        .unwrap();
        assert_eq!(
            fast.indices, whole.indices,
            "round {round}: prefilter changed the matches"
        );

        let mut s = CallScanner::new(filter.clone(), ScanOptions::default()).unwrap();
        let bytes = input.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let len = 1 + rng.below(40) as usize;
            let end = (at + len).min(bytes.len());
            s.push(&bytes[at..end]);
            at = end;
        }
        assert_eq!(
            s.finish(),
            whole,
            "round {round}: chunking changed the result"
        );

        // the columnar index pages exactly like filter_calls, following the cursor to the end
        let index = CallIndex::build(input.as_bytes(), IndexOptions::default());
        assert_eq!(index.len(), batch.calls.len(), "round {round}");
        let mut every = filter.clone();
        every.all = true;
        let want_all: Vec<String> = filter_calls(&batch.calls, &every)
            .unwrap()
            .calls
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let got_all: Vec<String> = index
            .filter(&every)
            .unwrap()
            .positions
            .iter()
            .map(|p| batch.calls[*p as usize].id.clone())
            .collect();
        assert_eq!(
            got_all, want_all,
            "round {round}: every match, in the server's order"
        );
        let mut paged = filter.clone();
        paged.all = false;
        paged.per_page = Some(1 + rng.below(5) as i64);
        // Each page before the last holds at least one call and the next starts below its cursor: more pages than
        // calls (+1 for an empty last page) means the cursor does not move forward. Fail rather than loop forever.
        for requests in 1.. {
            assert!(
                requests <= batch.calls.len() + 1,
                "round {round}: next_cursor did not end after {requests} pages over {} calls",
                batch.calls.len()
            );
            let want = filter_calls(&batch.calls, &paged).unwrap();
            let got = index.filter(&paged).unwrap();
            let got_ids: Vec<String> = got
                .positions
                .iter()
                .map(|p| {
                    let (s, e) = index.range(*p as usize).unwrap();
                    call_from_bytes(
                        &input.as_bytes()[s as usize..e as usize],
                        ReadOptions::default(),
                    )
                    .call
                    .unwrap()
                    .id
                })
                .collect();
            let want_ids: Vec<String> = want.calls.iter().map(|c| c.id.clone()).collect();
            assert_eq!(got_ids, want_ids, "round {round}: index page differs");
            assert_eq!(got.next_cursor, want.next_cursor, "round {round}");
            if want.next_cursor.is_empty() {
                break;
            }
            paged.cursor = want.next_cursor;
        }
    }
}

#[test]
fn the_fast_lane_reports_exactly_what_the_full_reader_does() {
    use fn_calls::fast_read::validate_clean;
    use fn_calls::status::Mode;
    let mut rng = Rng(42);
    let mut fast = 0;
    for _ in 0..3000 {
        let mut rec = random_call(&mut rng);
        // sprinkle the warnings the cross-field checks produce
        match rng.below(6) {
            0 => rec = rec.replace("\"status\":\"success\"", "\"status\":\"running\""),
            1 => rec = rec.replacen("\"path\":\"/", "\"path\":\"", 1),
            2 => rec = rec.replace("}", ",\"memory\":9000,\"delay\":5}"),
            3 => rec = rec.replace("\"id\":\"0", "\"id\":\"7"),
            _ => {}
        }
        for mode in [Mode::Observed, Mode::Strict] {
            let full = call_from_bytes(rec.as_bytes(), ReadOptions { mode });
            if let Some(issues) = validate_clean(rec.as_bytes(), mode) {
                fast += 1;
                assert!(full.call.is_some(), "{rec}");
                assert_eq!(issues, full.issues, "{rec}");
            }
        }
    }
    assert!(
        fast > 1000,
        "the fast lane should take most clean records ({fast})"
    );
}
