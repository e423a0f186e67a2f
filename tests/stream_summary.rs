//! The streaming paths' answers that need no second pass in JavaScript: the scanner's summary (the same as
//! `summarize_calls` over the matching calls, across chunks and inputs), the input's form, and every record's byte
//! range kept by the columnar index.

use fn_calls::batch::calls_from_bytes;
use fn_calls::filter::{filter_calls, filter_from_tree, CallFilter};
use fn_calls::index::{CallIndex, IndexOptions};
use fn_calls::json;
use fn_calls::read::ReadOptions;
use fn_calls::scan::{scan_calls, CallScanner, InputForm, ScanOptions};
use fn_calls::summary::{summarize_calls, GroupBy, SummaryOptions};

/// `n` calls over several paths, apps, statuses and hours, some with stats samples (one above 2^53), and a bad one.
fn lines(n: u32) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let status = ["success", "error", "timeout", "cancelled", "running", ""][(i % 6) as usize];
        let created = format!(
            "2017-11-28T{:02}:{:02}:39.{:03}Z",
            10 + i % 7,
            i % 60,
            i % 1000
        );
        let started = format!(
            "2017-11-28T{:02}:{:02}:40.{:03}Z",
            10 + i % 7,
            i % 60,
            (i * 7) % 1000
        );
        let completed = if i % 5 == 0 {
            "0001-01-01T00:00:00Z".to_string()
        } else {
            format!(
                "2017-11-28T{:02}:{:02}:4{}.002Z",
                10 + i % 7,
                i % 60,
                1 + i % 9
            )
        };
        let stats = match i % 4 {
            0 => String::new(),
            1 => r#","stats":[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_usage":9007199254740993,"cpu_total":3}}]"#.to_string(),
            _ => format!(r#","stats":[{{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{{"mem_usage":{}}}}}]"#, 1000 + i),
        };
        out.push(format!(
            r#"{{"id":"01C01TC{:02}K47WGE00000000000","status":"{status}","app_name":"app{}","path":"/p{}","completed_at":"{completed}","created_at":"{created}","started_at":"{started}"{stats}}}"#,
            i % 90,
            i % 3,
            i % 4
        ));
        if i == 7 {
            out.push(r#"{"id":"01C01TC09K47WGE00000000000","memory":1e3}"#.to_string());
        }
    }
    out
}

fn filter(json: &str) -> CallFilter {
    filter_from_tree(&json::parse(json.as_bytes()).unwrap())
        .unwrap()
        .0
}

fn with_summary(o: &SummaryOptions) -> ScanOptions {
    ScanOptions {
        summary: Some(o.clone()),
        ..ScanOptions::default()
    }
}

#[test]
fn the_stream_summary_is_summarize_calls_of_the_matches() {
    let text = lines(300).join("\n") + "\n";
    let all = calls_from_bytes(text.as_bytes(), ReadOptions::default()).calls;
    for f in [
        "{}",
        r#"{"status":["error","timeout"]}"#,
        r#"{"app_name":"app1"}"#,
    ] {
        let matching = filter_calls(
            &all,
            &filter(&format!(r#"{},"all":true}}"#, &f[..f.len() - 1]).replace("{,", "{")),
        )
        .unwrap()
        .calls;
        for o in [
            SummaryOptions::default(),
            SummaryOptions {
                group_by: Some(GroupBy::Path),
                bucket_seconds: None,
            },
            SummaryOptions {
                group_by: Some(GroupBy::Status),
                bucket_seconds: Some(600),
            },
            SummaryOptions {
                group_by: None,
                bucket_seconds: Some(3600),
            },
        ] {
            let want = summarize_calls(&matching, &o).unwrap();
            // in one piece, and in chunks split anywhere
            let whole = scan_calls(text.as_bytes(), filter(f), with_summary(&o)).unwrap();
            assert_eq!(whole.summary, Some(Ok(want.clone())), "{f} {o:?}");
            let mut s = CallScanner::new(filter(f), with_summary(&o)).unwrap();
            for part in text.as_bytes().chunks(97) {
                s.push(part);
            }
            assert_eq!(s.finish().summary, Some(Ok(want)), "{f} {o:?}");
        }
    }
    // without the option, no summary
    assert_eq!(
        scan_calls(
            text.as_bytes(),
            CallFilter::default(),
            ScanOptions::default()
        )
        .unwrap()
        .summary,
        None
    );
}

#[test]
fn one_summary_over_several_inputs() {
    let calls = lines(120);
    let (first, second) = calls.split_at(50);
    let ndjson = first.join("\n"); // the last line has no newline: still counted
    let array = format!("[{{\"id\":\"x\",\"memory\":1e3}},\n{}]", second.join(",\n"));
    let o = SummaryOptions {
        group_by: Some(GroupBy::AppName),
        bucket_seconds: Some(60),
    };
    let mut s = CallScanner::new(CallFilter::default(), with_summary(&o)).unwrap();
    s.push(ndjson.as_bytes());
    let one = s.finish_input();
    assert_eq!(
        (one.total, one.form, one.summary),
        (50, Some(InputForm::Ndjson), None)
    );
    assert_eq!(one.issues.len(), 1);
    assert_eq!(one.issues[0].index, Some(8));
    s.push(array.as_bytes());
    let two = s.finish_input();
    // the second input is counted from its own start
    assert_eq!(
        (two.total, two.form, two.issues.len()),
        (72, Some(InputForm::Array), 1)
    );
    assert_eq!(two.issues[0].index, Some(0));
    let last = s.finish();
    assert_eq!(last.total, 0);
    let mut both = calls_from_bytes(ndjson.as_bytes(), ReadOptions::default()).calls;
    both.extend(calls_from_bytes(array.as_bytes(), ReadOptions::default()).calls);
    assert_eq!(last.summary, Some(Ok(summarize_calls(&both, &o).unwrap())));
}

#[test]
fn too_many_buckets_in_a_stream() {
    let text = lines(40).join("\n") + "\n";
    let o = SummaryOptions {
        group_by: Some(GroupBy::Path),
        bucket_seconds: Some(1),
    };
    let all = calls_from_bytes(text.as_bytes(), ReadOptions::default()).calls;
    let want = summarize_calls(&all, &o).unwrap_err();
    assert_eq!(want[0].code, "too_many_buckets");
    let got = scan_calls(text.as_bytes(), CallFilter::default(), with_summary(&o)).unwrap();
    assert_eq!(
        got.summary,
        Some(Err(want)),
        "the same issue, message and all"
    );
}

#[test]
fn the_input_form() {
    let calls = lines(3);
    let form = |text: &str| {
        scan_calls(
            text.as_bytes(),
            CallFilter::default(),
            ScanOptions::default(),
        )
        .unwrap()
        .form
    };
    assert_eq!(form(&calls.join("\n")), Some(InputForm::Ndjson));
    assert_eq!(
        form(&calls[0]),
        Some(InputForm::Ndjson),
        "one call on one line"
    );
    assert_eq!(
        form(&format!("[{}]", calls.join(","))),
        Some(InputForm::Array)
    );
    assert_eq!(
        form(&format!(
            r#"{{"next_cursor":"","calls":[{}]}}"#,
            calls.join(",")
        )),
        Some(InputForm::Envelope)
    );
    assert_eq!(
        form(&format!(r#"{{"items":[{}]}}"#, calls.join(","))),
        Some(InputForm::Envelope)
    );
    assert_eq!(
        form(r#"{"message":"m","calls":null}"#),
        Some(InputForm::Envelope)
    );
    assert_eq!(
        form(&calls[0].replacen(",", ",\n  ", 3)),
        Some(InputForm::Object),
        "a pretty-printed call"
    );
    assert_eq!(form(" \n "), None);
    assert_eq!(form("{\"id\":"), None, "the first object never ends");
}

#[test]
fn the_index_keeps_every_record_range() {
    let calls = lines(10);
    for text in [
        calls.join("\r\n") + "\n\n",
        format!(r#"{{"calls":[{}], "next_cursor":""}}"#, calls.join(" ,\n")),
    ] {
        let index = CallIndex::build(text.as_bytes(), IndexOptions::default());
        assert_eq!(index.records(), 11);
        assert_eq!(index.len(), 10);
        let bad = index.record_range(8).unwrap();
        assert_eq!(
            text[bad.0 as usize..bad.1 as usize].trim_end(),
            r#"{"id":"01C01TC09K47WGE00000000000","memory":1e3}"#
        );
        assert_eq!(index.issues()[0].index, Some(8));
        assert_eq!(index.record_range(11), None);
        for (row, record) in [(0, 0), (7, 7), (8, 9), (9, 10)] {
            assert_eq!(index.record_of(row), Some(record));
            assert_eq!(index.range(row), index.record_range(record));
        }
        assert_eq!(index.record_of(10), None);
    }
    let index = CallIndex::build(b"[]", IndexOptions::default());
    assert_eq!((index.records(), index.form()), (0, Some(InputForm::Array)));
}
