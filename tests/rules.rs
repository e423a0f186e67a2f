//! One case per validation rule: the input, the mode, and exactly the issues expected (code, severity, path).

use fn_calls::batch::calls_from_bytes;
use fn_calls::gojson::call_to_string;
use fn_calls::issue::Severity;
use fn_calls::read::ReadOptions;
use fn_calls::record::call_from_bytes;
use fn_calls::status::Mode;

/// A clean, Go-written successful call.
const BASE: &str = r#"{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}"#;

/// BASE with `"key":value` replaced (or added before the closing brace when absent, or removed when `value` is None).
fn with(key: &str, value: Option<&str>) -> String {
    let mut v: serde_json_lite::Obj = serde_json_lite::parse(BASE);
    match value {
        Some(val) => v.set(key, val),
        None => v.remove(key),
    }
    v.to_string()
}

/// A tiny ordered object editor for the test (the crate has no JSON value type to lean on).
mod serde_json_lite {
    pub struct Obj(pub Vec<(String, String)>);
    pub fn parse(s: &str) -> Obj {
        let inner = &s[1..s.len() - 1];
        let mut out = Vec::new();
        for part in inner.split(",\"") {
            let part = part.trim_start_matches('"');
            let (k, v) = part.split_once("\":").unwrap();
            out.push((k.to_string(), v.to_string()));
        }
        Obj(out)
    }
    impl Obj {
        pub fn set(&mut self, k: &str, v: &str) {
            match self.0.iter_mut().find(|(key, _)| key == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => self.0.push((k.to_string(), v.to_string())),
            }
        }
        pub fn remove(&mut self, k: &str) {
            self.0.retain(|(key, _)| key != k);
        }
    }
    impl std::fmt::Display for Obj {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            write!(f, "{{{}}}", parts.join(","))
        }
    }
}

fn check(input: &str, mode: Mode, expected: &[(&str, Severity, &str)]) {
    let out = call_from_bytes(input.as_bytes(), ReadOptions { mode });
    let got: Vec<(&str, Severity, &str)> = out
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.severity, i.path.as_str()))
        .collect();
    assert_eq!(got, expected, "input: {input}\nissues: {:#?}", out.issues);
    let has_error = expected.iter().any(|(_, s, _)| *s == Severity::Error);
    assert_eq!(
        out.call.is_none(),
        has_error,
        "a call is returned exactly when there is no error: {input}"
    );
}

use Severity::{Error as E, Warning as W};
const OBS: Mode = Mode::Observed;
const STRICT: Mode = Mode::Strict;

#[test]
fn base_is_clean_in_both_modes() {
    check(BASE, OBS, &[]);
    check(BASE, STRICT, &[]);
}

#[test]
fn json_syntax_rules() {
    check("", OBS, &[("json_syntax", E, "")]);
    check("{\"id\":", OBS, &[("json_syntax", E, "")]);
    check(&format!("\u{feff}{BASE}"), OBS, &[("json_bom", E, "")]);
    check(&format!("{BASE} {{}}"), OBS, &[("json_trailing", E, "")]);
    check(
        &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        OBS,
        &[("json_depth", E, "")],
    );
    check("[1]", OBS, &[("not_object", E, "")]);
    let mut bad_utf8 = BASE.as_bytes().to_vec();
    bad_utf8[60] = 0xff; // inside "myapp"
    let out = call_from_bytes(&bad_utf8, ReadOptions::default());
    assert_eq!(out.issues[0].code, "invalid_utf8");
    assert_eq!(out.issues[0].offset, Some(60));
}

#[test]
fn offsets_point_at_the_value() {
    let input = with("memory", Some("1e3"));
    let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
    let issue = &out.issues[0];
    assert_eq!(issue.code, "not_integer");
    let at = issue.offset.unwrap() as usize;
    assert_eq!(&input[at..at + 3], "1e3");
}

#[test]
fn go_types_and_ranges() {
    check(
        &with("memory", Some("1e3")),
        OBS,
        &[("not_integer", E, "/memory")],
    );
    check(
        &with("timeout", Some("30.0")),
        OBS,
        &[("not_integer", E, "/timeout")],
    );
    check(
        &with("timeout", Some("2147483648")),
        OBS,
        &[("out_of_range", E, "/timeout")],
    );
    check(
        &with("timeout", Some("-2147483649")),
        OBS,
        &[("out_of_range", E, "/timeout")],
    );
    check(
        &with("timeout", Some("\"30\"")),
        OBS,
        &[("wrong_type", E, "/timeout")],
    );
    check(
        &with("memory", Some("-1")),
        OBS,
        &[("out_of_range", E, "/memory")],
    );
    check(
        &with("memory", Some("18446744073709551616")),
        OBS,
        &[("out_of_range", E, "/memory")],
    );
    check(&with("id", Some("42")), OBS, &[("wrong_type", E, "/id")]);
    // Go's edge cases (checked against the real models): unsigned integers refuse `-0` (strconv.ParseUint takes no
    // sign), signed ones read it as 0; `-0.0` is no integer; leading zeros are not JSON.
    for (k, v, code) in [
        ("memory", "-0", "out_of_range"),
        ("tmpfs_size", "-0", "out_of_range"),
        ("memory", "-0.0", "not_integer"),
        ("timeout", "-0.0", "not_integer"),
        ("memory", "01", "json_syntax"),
        ("timeout", "-01", "json_syntax"),
    ] {
        let issues = call_from_bytes(with(k, Some(v)).as_bytes(), ReadOptions::default()).issues;
        assert_eq!(
            issues
                .iter()
                .filter(|i| i.severity == E)
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>(),
            [code],
            "{k}: {v}"
        );
    }
    check(
        &with(
            "stats",
            Some(r#"[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_usage":-0}}]"#),
        ),
        OBS,
        &[("out_of_range", E, "/stats/0/metrics/mem_usage")],
    );
    for k in [
        "timeout",
        "idle_timeout",
        "delay",
        "execution_duration",
        "priority",
    ] {
        let out = call_from_bytes(with(k, Some("-0")).as_bytes(), ReadOptions::default());
        assert!(out.issues.iter().all(|i| i.severity != E), "{k}: -0");
        let call = out.call.unwrap();
        assert_eq!(
            (
                call.timeout,
                call.idle_timeout,
                call.delay,
                call.execution_duration
            ),
            (0, 0, 0, 0)
        );
        assert_eq!(call.priority, (k == "priority").then_some(0));
    }
    // `cpus`: millicores are digits only (Go refuses "+5m"); a CPU count is a float ("-0" is 0, as in Go).
    check(
        &with("cpus", Some(r#""+5m""#)),
        OBS,
        &[("bad_cpus", E, "/cpus")],
    );
    check(
        &with("cpus", Some(r#""-0m""#)),
        OBS,
        &[("bad_cpus", E, "/cpus")],
    );
    check(&with("cpus", Some(r#""-0""#)), OBS, &[]);
    check(
        &with("app_name", Some("null")),
        OBS,
        &[("null_value", W, "/app_name")],
    );
    check(
        &with("base_env", Some("{\"A\":1}")),
        OBS,
        &[("wrong_type", E, "/base_env/A")],
    );
    check(
        &with("base_env", Some("[]")),
        OBS,
        &[("wrong_type", E, "/base_env")],
    );
    check(
        &with("stats", Some("{}")),
        OBS,
        &[("wrong_type", E, "/stats")],
    );
}

#[test]
fn uint64_keeps_every_digit() {
    let input = with(
        "stats",
        Some(
            r#"[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_limit":18446744073709551615,"net_rx":9223372036854771712}}]"#,
        ),
    );
    let input = serde_json_lite::parse(&input).to_string();
    let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
    let call = out.call.unwrap();
    let metrics = call.stats[0].metrics.as_ref().unwrap();
    assert_eq!(metrics["mem_limit"], u64::MAX);
    assert_eq!(metrics["net_rx"], 9_223_372_036_854_771_712);
    assert_eq!(call_to_string(&call), input);
}

#[test]
fn enum_domains() {
    check(
        &with("status", Some("\"done\"")),
        OBS,
        &[("bad_status", E, "/status")],
    );
    check(
        &with("status", Some("\"Success\"")),
        OBS,
        &[("bad_status", E, "/status")],
    );
    check(&with("status", Some("\"timeout\"")), OBS, &[]);
    check(
        &with("status", Some("\"timeout\"")),
        STRICT,
        &[("bad_status", E, "/status")],
    );
    check(
        &with("type", Some("\"batch\"")),
        OBS,
        &[("bad_type", E, "/type")],
    );
    check(
        &with("format", Some("\"cloudevent\"")),
        OBS,
        &[("bad_format", E, "/format")],
    );
    check(
        &with("priority", Some("3")),
        OBS,
        &[("bad_priority", E, "/priority")],
    );
    check(
        &with("priority", Some("-1")),
        OBS,
        &[("bad_priority", E, "/priority")],
    );
    check(&with("priority", Some("0")), OBS, &[]);
    check(&with("priority", Some("null")), OBS, &[]);
}

#[test]
fn date_times() {
    for bad in [
        "\"2017-11-28 17:21:39Z\"",
        "\"2017-11-28\"",
        "\"2017-11-28T17:21:39\"",
        "1511889699",
        "null",
        "\"2017-11-28t17:21:39Z\"",
    ] {
        check(
            &with("created_at", Some(bad)),
            OBS,
            &[("bad_datetime", E, "/created_at")],
        );
    }
    check(
        &with("created_at", Some("\"\"")),
        OBS,
        &[
            ("datetime_empty", W, "/created_at"),
            ("id_time_mismatch", W, "/id"),
        ],
    );
    // the zero value means "not set": a success without completed_at is suspicious
    check(
        &with("completed_at", Some("\"0001-01-01T00:00:00.000Z\"")),
        OBS,
        &[("terminal_without_completed_at", W, "/completed_at")],
    );
    check(
        &with("started_at", Some("\"2017-11-28T17:21:42.000Z\"")),
        OBS,
        &[("time_order", W, "/completed_at")],
    );
    check(
        &with("created_at", Some("\"2017-11-28T20:21:39.123+03:00\"")),
        OBS,
        &[],
    );
}

#[test]
fn ids() {
    check(
        &with("id", Some("\"f5621e8b-725a-4ba9-8323-b8cdc02ce37e\"")),
        OBS,
        &[("id_format", W, "/id")],
    );
    check(
        &with("id", Some("\"01C01TC09K47WGE0000000000U\"")),
        OBS,
        &[("id_format", W, "/id")],
    );
    check(
        &with("id", Some("\"01C01TC09P47WGE00000000000\"")),
        OBS,
        &[("id_time_mismatch", W, "/id")],
    );
    check(
        &with("id", Some("\"01c01tc09k47wge00000000000\"")),
        OBS,
        &[],
    );
}

#[test]
fn status_consistency() {
    let running = with("status", Some("\"running\""));
    check(
        &running,
        OBS,
        &[("running_with_completed_at", W, "/completed_at")],
    );
    let queued = serde_json_lite::parse(&with("status", Some("\"queued\""))).to_string();
    check(
        &queued,
        OBS,
        &[
            ("pending_with_times", W, "/started_at"),
            ("pending_with_times", W, "/completed_at"),
        ],
    );
    check(
        &with("error", Some("\"boom\"")),
        OBS,
        &[("error_without_error_status", W, "/error")],
    );
    check(
        &with("delay", Some("5")),
        OBS,
        &[("delay_without_delayed_status", W, "/delay")],
    );
    let mut o = serde_json_lite::parse(BASE);
    o.set("status", "\"running\"");
    o.set("completed_at", "\"0001-01-01T00:00:00.000Z\"");
    o.set("started_at", "\"0001-01-01T00:00:00.000Z\"");
    check(
        &o.to_string(),
        OBS,
        &[("running_without_started_at", W, "/started_at")],
    );
    check(
        &with("status", Some("\"\"")),
        OBS,
        &[
            ("pending_with_times", W, "/started_at"),
            ("pending_with_times", W, "/completed_at"),
        ],
    );
}

#[test]
fn keys() {
    check(
        &with("reason", Some("\"timeout\"")),
        OBS,
        &[("unknown_key", W, "/reason")],
    );
    let mut o = serde_json_lite::parse(BASE);
    o.0[2].0 = "App_Name".into();
    check(&o.to_string(), OBS, &[("key_case", W, "/App_Name")]);
    // Go folds the Kelvin sign and the long s too
    let mut o = serde_json_lite::parse(BASE);
    o.0[1].0 = "\u{17f}tatus".into();
    check(&o.to_string(), OBS, &[("key_case", W, "/\u{17f}tatus")]);
    let dup = BASE.replacen(
        "\"app_name\":\"myapp\"",
        "\"app_name\":\"a\",\"app_name\":\"myapp\"",
        1,
    );
    check(&dup, OBS, &[("duplicate_key", W, "/app_name")]);
    let out = call_from_bytes(dup.as_bytes(), ReadOptions::default());
    assert_eq!(
        out.call.unwrap().app_name,
        "myapp",
        "the last value wins, as in Go"
    );
    check(&with("path", None), OBS, &[("missing_key", W, "/path")]);
    check(
        &with("path", Some("\"hello\"")),
        OBS,
        &[("path_format", W, "/path")],
    );
    check("{}", OBS, &[("not_a_call", E, "")]);
    check(
        r#"{"error":{"message":"Timed out"}}"#,
        OBS,
        &[("server_error", E, "/error")],
    );
}

#[test]
fn suspicious_ranges_are_warnings_never_rewrites() {
    let input = with("memory", Some("9000"));
    check(&input, OBS, &[("memory_range", W, "/memory")]);
    let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(
        call_to_string(&out.call.unwrap()),
        BASE.replace("\"path\":\"/hello\"", "\"path\":\"/hello\",\"memory\":9000")
    );
    check(
        &with("timeout", Some("-5")),
        OBS,
        &[("negative_duration", W, "/timeout")],
    );
    let many: Vec<String> = (0..241)
        .map(|_| r#"{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{}}"#.to_string())
        .collect();
    check(
        &with("stats", Some(&format!("[{}]", many.join(",")))),
        OBS,
        &[("stats_count", W, "/stats")],
    );
}

#[test]
fn strings_keep_what_go_keeps() {
    check(
        &with("error", Some(r#""\ud800""#)).replace("success", "error"),
        OBS,
        &[("lone_surrogate", W, "/error")],
    );
    let input = with("payload", Some(r#""<a href=\"x\">&amp;</a>\u2028\b\f""#));
    let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(
        call_to_string(&out.call.unwrap()),
        BASE.replace(
            "\"path\":\"/hello\"",
            r#""path":"/hello","payload":"\u003ca href=\"x\"\u003e\u0026amp;\u003c/a\u003e\u2028\u0008\u000c""#
        )
    );
}

#[test]
fn a_bad_record_does_not_hide_the_good_ones() {
    let bad = with("memory", Some("1e3"));
    let ndjson = format!("{BASE}\n{bad}\n\n{BASE}\n{{\"id\":");
    let batch = calls_from_bytes(ndjson.as_bytes(), ReadOptions::default());
    assert_eq!(batch.calls.len(), 2);
    let errors: Vec<_> = batch
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index, i.line))
        .collect();
    assert_eq!(
        errors,
        [
            ("not_integer", Some(1), Some(2)),
            ("truncated", Some(3), Some(5))
        ]
    );
    let off = batch.issues[0].offset.unwrap() as usize;
    assert_eq!(&ndjson[off..off + 3], "1e3");

    let array = format!("[{BASE},{bad},{BASE}, {{\"id\": x]");
    let batch = calls_from_bytes(array.as_bytes(), ReadOptions::default());
    assert_eq!(batch.calls.len(), 2);
    let errors: Vec<_> = batch
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index))
        .collect();
    // The record splitter is the streaming scanner's: the `]` closes the broken record, so the array itself is
    // never closed, which is reported too (as `scanCalls` and `CallStream` report it).
    assert_eq!(
        errors,
        [
            ("not_integer", Some(1)),
            ("json_syntax", Some(3)),
            ("truncated", None)
        ]
    );
}

#[test]
fn v2_calls_read_back_the_same_after_writing() {
    // found by fuzzing (round_trip): a v2 call without trigger_id is written with "trigger_id":"" as Go does, and
    // must read back as the same call
    let input = r#"{"id":"01CQV73V87NG8G00GZJ000000Y","status":"success","completed_at":"2018-09-20T10:06:26.540Z","created_at":"2018-09-20T10:06:26.055Z","started_at":"2018-09-20T10:06:26.061Z","app_id":"01CQV6ME18NG8G00GZJ0000001","app_name":"","fn_id":"01CQV6PHDGNG8G00GZJ0000002"}"#;
    let call = call_from_bytes(input.as_bytes(), ReadOptions::default())
        .call
        .unwrap();
    assert_eq!(call.trigger_id.as_deref(), Some(""));
    let text = call_to_string(&call);
    assert!(
        text.ends_with(r#""trigger_id":"","fn_id":"01CQV6PHDGNG8G00GZJ0000002"}"#),
        "{text}"
    );
    let back = call_from_bytes(text.as_bytes(), ReadOptions::default())
        .call
        .unwrap();
    assert_eq!(back, call);
}

#[test]
fn parse_calls_reports_a_record_past_the_largest_limit_and_reads_the_others() {
    // parseCalls cuts records with the bulk engine's scanner, at its largest limit (64 MiB): the record above it
    // is reported where it is, the calls around it are read.
    let huge = format!("{{\"id\":\"{}\"}}", "a".repeat(64 * 1024 * 1024));
    let input = format!("{BASE}\n{huge}\n{BASE}\n");
    let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(batch.calls.len(), 2);
    let issues: Vec<_> = batch
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index, i.line))
        .collect();
    assert_eq!(issues, [("record_too_large", Some(1), Some(2))]);
    // Above the streaming default (16 MiB), below the largest limit: read.
    let big = BASE.replace(
        "\"path\":\"/hello\"",
        &format!(
            "\"path\":\"/hello\",\"payload\":\"{}\"",
            "x".repeat(20 * 1024 * 1024)
        ),
    );
    let batch = calls_from_bytes(
        format!("{big}\n{BASE}\n").as_bytes(),
        ReadOptions::default(),
    );
    assert_eq!((batch.calls.len(), batch.issues.len()), (2, 0));
    assert_eq!(batch.calls[0].payload.len(), 20 * 1024 * 1024);
}
