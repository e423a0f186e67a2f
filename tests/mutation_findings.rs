//! Tests written for mutants that survived the rest of the suite (docs/mutation-testing.md): each one fails on the
//! mutant named above it and passes on the code as it is. Only the crate's public API is used.

use fn_calls::datetime::GoTime;
use fn_calls::fast_read::{read_clean, read_clean_with_issues};
use fn_calls::filter::{filter_calls, validate_filter, CallFilter};
use fn_calls::read::{ReadOptions, MAX_STATS};
use fn_calls::record::call_from_bytes;
use fn_calls::scan::{scan_calls, CallScanner, ScanOptions, Validate};
use fn_calls::status::Mode;

/// A clean, Go-written successful call.
const BASE: &str = r#"{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}"#;

/// BASE with `"key":value` added before the closing brace.
fn with_member(member: &str) -> String {
    format!("{},{member}}}", &BASE[..BASE.len() - 1])
}

fn codes(issues: &[fn_calls::issue::Issue]) -> Vec<(&str, &str)> {
    issues
        .iter()
        .map(|i| (i.code.as_str(), i.path.as_str()))
        .collect()
}

// ---- datetime.rs: `is_zero` ignoring the fraction ------------------------------------------------------------

#[test]
fn half_a_second_after_the_zero_time_is_not_the_zero_time() {
    for s in ["0001-01-01T00:00:00.500Z", "0001-01-01T00:00:00.000000001Z"] {
        let t = GoTime::parse(s).unwrap();
        assert!(!t.is_zero(), "{s} is not Go's zero time");
    }
    assert!(GoTime::parse("0001-01-01T00:00:00.000Z").unwrap().is_zero());
    // The same through the reader: created_at of the zero time is warned about, half a second later it is not.
    let zero = BASE.replace("2017-11-28T17:21:39.123Z", "0001-01-01T00:00:00Z");
    let out = call_from_bytes(zero.as_bytes(), ReadOptions::default());
    assert!(
        codes(&out.issues).contains(&("created_at_unset", "/created_at")),
        "{:?}",
        out.issues
    );
    let half = BASE.replace("2017-11-28T17:21:39.123Z", "0001-01-01T00:00:00.500Z");
    let out = call_from_bytes(half.as_bytes(), ReadOptions::default());
    assert!(
        !codes(&out.issues).contains(&("created_at_unset", "/created_at")),
        "{:?}",
        out.issues
    );
}

// ---- read.rs: repeated fields found by key text instead of by field ----------------------------------------

#[test]
fn keys_that_differ_only_in_case_are_the_same_field_and_the_last_wins() {
    // Go matches "App_Name" to the field app_name case-insensitively: the two keys fill one field, the last wins.
    for (input, repeated_at, last) in [
        (
            BASE.replace(
                r#""app_name":"myapp""#,
                r#""app_name":"first","App_Name":"myapp""#,
            ),
            "/App_Name",
            "myapp",
        ),
        (
            BASE.replace(
                r#""app_name":"myapp""#,
                r#""APP_NAME":"first","app_name":"myapp""#,
            ),
            "/app_name",
            "myapp",
        ),
    ] {
        let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
        let got = codes(&out.issues);
        assert!(
            got.contains(&("duplicate_key", repeated_at)),
            "{input}: {got:?}"
        );
        assert_eq!(
            got.iter().filter(|(c, _)| *c == "duplicate_key").count(),
            1,
            "{input}: {got:?}"
        );
        assert_eq!(out.call.unwrap().app_name, last, "{input}");
    }
    // Two different fields are not a repetition, whatever their case.
    let two = BASE.replace(r#""path":"/hello""#, r#""PATH":"/hello""#);
    let out = call_from_bytes(two.as_bytes(), ReadOptions::default());
    assert_eq!(codes(&out.issues), [("key_case", "/PATH")]);
}

// ---- fast_read.rs: the stats-count cap off by one ------------------------------------------------------------

fn with_stats(n: usize) -> String {
    let sample = r#"{"timestamp":"2017-11-28T17:21:40.000Z","metrics":{"mem_kb":1}}"#;
    let stats = vec![sample; n].join(",");
    with_member(&format!(r#""stats":[{stats}]"#))
}

#[test]
fn the_fast_lane_reads_up_to_the_stats_cap_and_leaves_one_more_to_the_full_reader() {
    assert_eq!(MAX_STATS, 240);
    for mode in [Mode::Observed, Mode::Strict] {
        let at_cap = with_stats(MAX_STATS);
        let (_, issues) = read_clean_with_issues(at_cap.as_bytes(), mode)
            .expect("240 samples is what the server keeps: the fast lane reads them");
        assert_eq!(
            issues,
            call_from_bytes(at_cap.as_bytes(), ReadOptions { mode }).issues
        );
        let over = with_stats(MAX_STATS + 1);
        assert!(
            read_clean(over.as_bytes(), mode).is_none(),
            "241 samples need a stats_count warning, which only the full reader gives"
        );
    }
    // Through the scanner (fast lane on): the 241st sample is warned about, as the full reader does.
    let input = format!("{}\n{}\n", with_stats(MAX_STATS), with_stats(MAX_STATS + 1));
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions {
            warnings: true,
            ..ScanOptions::default()
        },
    )
    .unwrap();
    assert_eq!(r.indices, [0, 1]);
    let got: Vec<(&str, Option<u64>)> = r
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index))
        .collect();
    assert_eq!(got, [("stats_count", Some(1))]);
}

// ---- scan.rs: the wait for a byte order mark split across chunks ---------------------------------------------

#[test]
fn a_bom_split_across_chunks_is_skipped_and_the_call_after_it_is_read() {
    let input = format!("\u{feff}{BASE}\n{BASE}\n");
    let bytes = input.as_bytes();
    let whole = scan_calls(bytes, CallFilter::default(), ScanOptions::default()).unwrap();
    assert_eq!(whole.indices, [0, 1]);
    assert_eq!(codes(&whole.issues), [("json_bom", "")]);
    // one byte at a time, and every cut inside the BOM
    let mut cuts: Vec<Vec<usize>> = vec![(1..bytes.len()).collect()];
    cuts.extend([vec![1], vec![2], vec![1, 2]]);
    for cut in cuts {
        let mut s = CallScanner::new(CallFilter::default(), ScanOptions::default()).unwrap();
        let mut at = 0;
        for &c in &cut {
            s.push(&bytes[at..c]);
            at = c;
        }
        s.push(&bytes[at..]);
        let r = s.finish();
        assert_eq!(
            (r.indices, r.offsets, r.total, r.issues),
            (
                whole.indices.clone(),
                whole.offsets.clone(),
                whole.total,
                whole.issues.clone()
            ),
            "cut at {:?}",
            &cut[..cut.len().min(4)]
        );
    }
}

// ---- filter.rs: `?` must stand for one character that is there ----------------------------------------------

fn errors_matching(pattern: &str, errors: &[&str]) -> Vec<String> {
    let calls: Vec<_> = errors
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let mut c = call_from_bytes(BASE.as_bytes(), ReadOptions::default())
                .call
                .unwrap();
            c.id = format!("01C01TC09K47WGE0000000000{n}");
            c.error = (*e).to_string();
            c
        })
        .collect();
    let page = filter_calls(
        &calls,
        &CallFilter {
            error_pattern: pattern.to_string(),
            all: true,
            ..CallFilter::default()
        },
    )
    .unwrap();
    let mut got: Vec<String> = page.calls.into_iter().map(|c| c.error).collect();
    got.sort();
    got
}

#[test]
fn a_question_mark_does_not_match_past_the_end_of_the_text() {
    assert_eq!(errors_matching("a?", &["a", "ab", "abc"]), ["ab"]);
    assert_eq!(errors_matching("?", &["", "x", "xy"]), ["x"]);
    assert_eq!(errors_matching("*?", &["", "x", "xy"]), ["x", "xy"]);
    assert_eq!(errors_matching("a*?", &["a", "ab"]), ["ab"]);
    // and the filter check sees the contradiction of an exact error shorter than the pattern
    let issues = validate_filter(&CallFilter {
        error: "a".into(),
        error_pattern: "a?".into(),
        ..CallFilter::default()
    });
    assert_eq!(codes(&issues), [("contradiction", "/error_pattern")]);
}

// ---- query.rs: survivors of `cargo mutants -f src/query.rs` ------------------------------------------------------

fn query_issues(input: &str) -> Vec<(String, String, String)> {
    fn_calls::query::filter_from_query(input)
        .1
        .into_iter()
        .map(|i| (i.code.as_str().to_string(), i.path, i.message))
        .collect()
}

#[test]
fn app_name_in_the_query_is_explained_as_taken_from_the_path() {
    // mutant: the "app_name" arm deleted, so it got the generic "ignores the parameter" message
    let got = query_issues("app_name=x");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str()),
        ("ignored_parameter", "/app_name")
    );
    assert!(got[0].2.contains("from the URL path"), "{got:?}");
}

#[test]
fn only_repeated_server_parameters_are_reported_as_repeated() {
    // mutant: is_server_param always true, so a repeated unknown parameter was reported twice
    let codes = |q: &str| -> Vec<String> { query_issues(q).into_iter().map(|i| i.0).collect() };
    assert_eq!(codes("foo=1&foo=2"), ["ignored_parameter"]);
    assert_eq!(codes("path=/a&path=/b"), ["repeated_parameter"]);
}

#[test]
fn a_plus_in_the_url_path_is_a_plus_and_in_the_query_a_space() {
    // mutant: `+` unescaped as a space in the path too (Go's PathUnescape keeps it)
    let (f, issues) = fn_calls::query::filter_from_query("/v1/apps/a+b/calls?path=/x+y");
    assert_eq!(issues, []);
    assert_eq!((f.app_name.as_str(), f.path.as_str()), ("a+b", "/x y"));
}

#[test]
fn an_epoch_time_with_two_signs_is_not_an_integer() {
    // mutant: `||` -> `&&` in go_parse_int64 let "+-5" through as -5 (Go's ParseInt refuses it). In a query `+` is
    // a space, so the sign is written %2B.
    for bad in ["%2B-5", "-%2B5", "%2B%2B5", "5-", "+5", ""] {
        let (f, issues) = fn_calls::query::filter_from_query(&format!("from_time={bad}"));
        assert_eq!(f.from_time, None, "{bad}");
        if !bad.is_empty() {
            let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
            assert_eq!(codes, ["not_epoch_time"], "{bad}");
        }
    }
    assert_eq!(
        fn_calls::query::filter_from_query("from_time=%2B5")
            .0
            .from_time,
        Some(5)
    );
}

// ---- tree.rs: survivor of `cargo mutants -f src/tree.rs` --------------------------------------------------------

#[test]
fn an_unknown_key_is_matched_to_a_known_one_ignoring_case_dashes_and_underscores_only() {
    // mutant: `*c != '-'` -> `*c == '-'` in the key normaliser, so every key without a dash "meant" the first key
    let known = ["app_name", "path", "per_page"];
    let hint = |key: &str| fn_calls::tree::unknown_field(key, "/x", &known, "filter").message;
    assert!(
        hint("app-name").ends_with("did you mean 'app_name'?"),
        "{}",
        hint("app-name")
    );
    assert!(
        hint("PerPage").ends_with("did you mean 'per_page'?"),
        "{}",
        hint("PerPage")
    );
    assert!(
        hint("bogus").ends_with("known keys: app_name, path, per_page"),
        "{}",
        hint("bogus")
    );
    assert!(
        hint("pa-th_x").ends_with("known keys: app_name, path, per_page"),
        "{}",
        hint("pa-th_x")
    );
}

// ---- read.rs: survivors of `cargo mutants -f src/read.rs` --------------------------------------------------------

#[test]
fn a_null_stats_sample_is_an_empty_one_and_a_number_is_wrong() {
    // mutant: `==` -> `!=` for the null sample, so null became an error and 5 an empty sample
    let out = call_from_bytes(
        with_member(r#""stats":[null]"#).as_bytes(),
        ReadOptions::default(),
    );
    assert_eq!(codes(&out.issues), [("null_value", "/stats/0")]);
    assert_eq!(out.call.unwrap().stats.len(), 1);
    let out = call_from_bytes(
        with_member(r#""stats":[5]"#).as_bytes(),
        ReadOptions::default(),
    );
    assert_eq!(codes(&out.issues), [("wrong_type", "/stats/0")]);
    assert!(out.call.is_none());
}

#[test]
fn a_known_status_that_the_strict_mode_refuses_still_drives_the_checks_between_fields() {
    // mutants: `||` -> `&&` in the two lines that decide whether the status text is used by the checks: an empty
    // status (strict: bad_status) is still a pending one, and 'timeout' (strict: bad_status) still not 'error'.
    let strict = ReadOptions { mode: Mode::Strict };
    let empty = BASE.replace(r#""status":"success""#, r#""status":"""#);
    let got = codes(&call_from_bytes(empty.as_bytes(), strict).issues)
        .into_iter()
        .map(|(c, p)| format!("{c} {p}"))
        .collect::<Vec<_>>();
    assert!(got.contains(&"bad_status /status".to_string()), "{got:?}");
    assert!(
        got.contains(&"pending_with_times /started_at".to_string()),
        "{got:?}"
    );
    let timeout = BASE.replace(
        r#""status":"success""#,
        r#""status":"timeout","error":"Timed out""#,
    );
    let got = codes(&call_from_bytes(timeout.as_bytes(), strict).issues)
        .into_iter()
        .map(|(c, p)| format!("{c} {p}"))
        .collect::<Vec<_>>();
    assert!(got.contains(&"bad_status /status".to_string()), "{got:?}");
    assert!(
        got.contains(&"error_without_error_status /error".to_string()),
        "{got:?}"
    );
}

#[test]
fn the_id_time_may_differ_from_created_at_by_one_millisecond_and_the_warning_points_at_the_id() {
    // mutants: `> 1` -> `>= 1` (one millisecond apart warned about) and `==` -> `!=` in finding a key's offset
    // (the warning pointed at another key)
    let at = |created: &str| {
        let input = BASE.replace("2017-11-28T17:21:39.123Z", created);
        let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
        let found = out.issues.iter().find(|i| i.code == "id_time_mismatch");
        found.map(|i| {
            input[i.offset.unwrap() as usize..]
                .chars()
                .take(28)
                .collect::<String>()
        })
    };
    assert_eq!(at("2017-11-28T17:21:39.123Z"), None);
    assert_eq!(at("2017-11-28T17:21:39.124Z"), None, "1 ms apart");
    assert_eq!(at("2017-11-28T17:21:39.122Z"), None, "1 ms apart");
    assert_eq!(
        at("2017-11-28T17:21:39.125Z").as_deref(),
        Some("\"01C01TC09K47WGE00000000000\"")
    );
    // mutants of millis_to_text: the message names both instants
    let input = BASE.replace("2017-11-28T17:21:39.123Z", "2017-11-28T17:21:41.500Z");
    let out = call_from_bytes(input.as_bytes(), ReadOptions::default());
    let issue = out
        .issues
        .iter()
        .find(|i| i.code == "id_time_mismatch")
        .unwrap();
    assert_eq!(
        issue.message,
        "the id encodes creation at 2017-11-28T17:21:39.123Z but created_at is 2017-11-28T17:21:41.500Z (-2377 ms apart)"
    );
}

#[test]
fn a_call_envelope_with_other_keys_is_not_unwrapped() {
    // mutant: the envelope's "only message and call" guard made true
    let envelope = format!(r#"{{"message":"Successfully loaded call","call":{BASE}}}"#);
    let out = call_from_bytes(envelope.as_bytes(), ReadOptions::default());
    assert_eq!(codes(&out.issues), []);
    assert_eq!(out.call.unwrap().app_name, "myapp");
    let other = format!(r#"{{"message":"Successfully loaded call","call":{BASE},"extra":1}}"#);
    let out = call_from_bytes(other.as_bytes(), ReadOptions::default());
    assert!(out.call.is_none(), "{:?}", out.issues);
    assert_eq!(
        codes(&out.issues),
        [
            ("unknown_key", "/message"),
            ("unknown_key", "/call"),
            ("unknown_key", "/extra"),
            ("not_a_call", "")
        ]
    );
}

// ---- scan.rs: survivors of `cargo mutants -f src/scan.rs` (a third of its mutants) -------------------------------

#[test]
fn a_scanner_hands_out_what_it_found_as_it_goes_and_not_again_at_the_end() {
    // mutants: push not reading (advance -> ()), and take_records / take_ranges / take_issues giving nothing
    let bad = BASE.replace(r#""status":"success""#, r#""status":"exploded""#);
    let first = format!("{BASE}\n{bad}\n");
    let second = format!("{}\n", BASE.replace("myapp", "other"));
    let mut s = CallScanner::new(
        CallFilter::default(),
        ScanOptions {
            emit: true,
            ranges: true,
            ..ScanOptions::default()
        },
    )
    .unwrap();
    s.push(first.as_bytes());
    assert_eq!(s.records_seen(), 2);
    assert_eq!(s.matches_so_far(), 1);
    assert_eq!(s.take_records().len(), 1);
    assert_eq!(
        s.take_ranges(),
        [
            0,
            BASE.len() as u64,
            BASE.len() as u64 + 1,
            first.len() as u64 - 1
        ]
    );
    assert_eq!(codes(&s.take_issues()), [("bad_status", "/status")]);
    let (indices, _) = s.take_matches();
    assert_eq!(indices, [0]);
    s.push(second.as_bytes());
    let r = s.finish();
    assert_eq!(r.indices, [2], "only what was not taken");
    assert_eq!(r.records.len(), 1);
    assert!(r.records[0].contains("\"other\""));
    assert_eq!(r.ranges.len(), 2);
    assert_eq!(r.issues, []);
}

#[test]
fn a_byte_order_mark_cut_short_at_the_end_of_the_input_is_reported() {
    // mutant: `&&` -> `||` in the wait for the rest of a BOM, which then waited at the end of the input as well
    for input in [&b"\xEF\xBB"[..], &b"\xEF"[..]] {
        let r = scan_calls(input, CallFilter::default(), ScanOptions::default()).unwrap();
        assert_eq!(r.indices, [] as [u32; 0]);
        assert!(!r.issues.is_empty(), "{input:?}: {r:?}");
    }
}

fn issue_places(r: &fn_calls::scan::ScanResult) -> Vec<(&str, Option<u64>, Option<u64>)> {
    r.issues
        .iter()
        .map(|i| (i.code.as_str(), i.offset, i.line))
        .collect()
}

#[test]
fn trailing_data_is_reported_where_it_is() {
    // mutants: `+` -> `-` in the offset of data after the first record's line, `+` -> `*` after an array's end
    let ndjson = format!("{BASE} x\n{BASE}\n");
    let r = scan_calls(
        ndjson.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(
        issue_places(&r),
        [("json_trailing", Some(BASE.len() as u64 + 1), Some(1))]
    );
    let array = format!("[{BASE}]\n x");
    let r = scan_calls(
        array.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(
        issue_places(&r),
        [("json_trailing", Some(BASE.len() as u64 + 4), Some(2))]
    );
}

#[test]
fn lines_are_counted_inside_arrays_and_inside_strings() {
    // mutants: `+=` -> `*=` for a line break between records and for one inside a (bad) string
    let bad = BASE.replace(r#""status":"success""#, r#""status":"exploded""#);
    let input = format!("[\n{},\n{bad}\n]\n", BASE.replace("myapp", "my\napp"));
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    let lines: Vec<(&str, Option<u64>)> =
        r.issues.iter().map(|i| (i.code.as_str(), i.line)).collect();
    assert_eq!(lines, [("json_syntax", Some(2)), ("bad_status", Some(4))]);
}

#[test]
fn an_envelope_may_have_objects_after_its_list() {
    // mutant: `==` -> `!=` in leaving the list of an envelope, so a later object was taken for a bad record
    let input = format!(
        r#"{{"calls":[{BASE}],"extra":{{"a":[1]}},"next_cursor":"01C01TC09K47WGE00000000000"}}"#
    );
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(issue_places(&r), []);
    assert_eq!(r.indices, [0]);
    assert_eq!(r.next_cursor, "01C01TC09K47WGE00000000000");
    // and a v2 listing's cursor is decoded from base64url
    let v2 = format!(r#"{{"next_cursor":"MDFDMDFUQzA5SzQ3V0dFMDAwMDAwMDAwMDA","items":[{BASE}]}}"#);
    let r = scan_calls(v2.as_bytes(), CallFilter::default(), ScanOptions::default()).unwrap();
    assert_eq!(r.next_cursor, "01C01TC09K47WGE00000000000");
}

// ---- fast_read.rs: survivors of `cargo mutants -f src/fast_read.rs` (a quarter of its mutants) -------------------

#[test]
fn the_fast_lane_decodes_every_short_escape_itself() {
    // mutants: a deleted arm of the escape decoder (`\/`, `\r`, …) sent such records to the full reader: same
    // result, but the fast lane is there so that it does not have to
    for (escape, decoded) in [
        (r#"\""#, "\""),
        (r"\\", "\\"),
        (r"\/", "/"),
        (r"\b", "\u{8}"),
        (r"\f", "\u{c}"),
        (r"\n", "\n"),
        (r"\r", "\r"),
        (r"\t", "\t"),
        (r"\u0041", "A"),
    ] {
        let input = BASE.replace("myapp", &format!("my{escape}app"));
        let view = read_clean(input.as_bytes(), Mode::Observed)
            .unwrap_or_else(|| panic!("{escape}: the fast lane declined"));
        assert_eq!(view.app_name, format!("my{decoded}app"), "{escape}");
    }
}

#[test]
fn the_fast_lane_leaves_a_repeated_key_to_the_full_reader() {
    // mutant: `<<` -> `>>` in the bit of a seen key, so a repeated key (other than the first in the table) was
    // read as clean, without the duplicate_key warning
    for key in [
        r#""path":"/hello""#,
        r#""status":"success""#,
        r#""app_name":"myapp""#,
    ] {
        let input = with_member(key);
        for mode in [Mode::Observed, Mode::Strict] {
            assert!(read_clean(input.as_bytes(), mode).is_none(), "{key}");
        }
        let r = scan_calls(
            input.as_bytes(),
            CallFilter::default(),
            ScanOptions {
                warnings: true,
                ..ScanOptions::default()
            },
        )
        .unwrap();
        assert_eq!(
            r.issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
            ["duplicate_key"],
            "{key}"
        );
    }
}

// ---- datetime.rs: survivors of `cargo mutants -f src/datetime.rs` (a sixth of its mutants) -----------------------

#[test]
fn a_date_time_that_is_refused_says_why() {
    // mutants: the match arms for a lower-case 't' and for a missing offset deleted, which left the general message
    let why = |s: &str| GoTime::parse(s).unwrap_err();
    assert!(
        why("2017-11-28t17:21:39Z").contains("lower-case 't'"),
        "{}",
        why("2017-11-28t17:21:39Z")
    );
    assert!(why("2017-11-28 17:21:39Z").contains("a space instead of 'T'"));
    assert!(
        why("2017-11-28T17:21:39.5").contains("has no UTC offset"),
        "{}",
        why("2017-11-28T17:21:39.5")
    );
    assert!(why("2017-11-28T17:21:39.5Y").contains("does not end in 'Z'"));
    // mutant: the match arm for a lower-case 'z' deleted
    assert!(
        why("2017-11-28T17:21:39z").contains("lower-case 'z'"),
        "{}",
        why("2017-11-28T17:21:39z")
    );
    // mutants: `&&` -> `||` (either one) in telling a date alone from other short text
    assert!(
        why("2017-11-28").contains("a date alone"),
        "{}",
        why("2017-11-28")
    );
    assert!(why("2017-11-28T17:21Z").starts_with("'2017-11-28T17:21Z' is not a date-time"));
    assert!(why("2017-11-28T17").starts_with("'2017-11-28T17' is not a date-time"));
}

#[test]
fn april_june_september_and_november_have_thirty_days() {
    // mutant: the `4 | 6 | 9 | 11 => 30` arm deleted, so the 31st of those months was read
    for month in [4, 6, 9, 11] {
        assert!(GoTime::parse(&format!("2017-{month:02}-30T00:00:00Z")).is_ok());
        assert!(
            GoTime::parse(&format!("2017-{month:02}-31T00:00:00Z")).is_err(),
            "month {month}"
        );
    }
    for month in [1, 3, 5, 7, 8, 10, 12] {
        assert!(GoTime::parse(&format!("2017-{month:02}-31T00:00:00Z")).is_ok());
    }
    assert!(GoTime::parse("2016-02-29T00:00:00Z").is_ok());
    assert!(GoTime::parse("2017-02-29T00:00:00Z").is_err());
}

// ---- scan.rs: survivors of the second third of its mutants ---------------------------------------------------------

#[test]
fn the_prefilter_reads_an_escape_right_after_another_one() {
    // mutant: `p < next` -> `p <= next`, which skipped a backslash right after an escape: `\t\u0041` holds an "A"
    // that no byte of the record shows, and the record was dropped before it was read
    let record = BASE
        .replace(r#""status":"success""#, r#""status":"error""#)
        .replace(
            r#""path":"/hello""#,
            r#""path":"/hello","error":"\t\u0041""#,
        );
    let filter = CallFilter {
        error_contains: "A".into(),
        ..CallFilter::default()
    };
    for validate in [Validate::All, Validate::Matches] {
        let r = scan_calls(
            record.as_bytes(),
            filter.clone(),
            ScanOptions {
                validate,
                ..ScanOptions::default()
            },
        )
        .unwrap();
        assert_eq!(r.indices, [0], "{validate:?}");
    }
}

#[test]
fn push_filled_is_push() {
    // mutant: push_filled (the wasm boundary's copy-free push) doing nothing
    let input = format!("{BASE}\n{BASE}\n");
    let mut s = CallScanner::new(CallFilter::default(), ScanOptions::default()).unwrap();
    let (a, b) = input.as_bytes().split_at(100);
    s.push_filled(a.len(), |dst| dst.copy_from_slice(a));
    s.push_filled(b.len(), |dst| dst.copy_from_slice(b));
    assert_eq!(s.finish().indices, [0, 1]);
}

#[test]
fn where_a_byte_order_mark_and_the_lines_before_the_first_record_are_counted() {
    // mutants: the BOM's offset `base + pos` -> `base - pos`, and the blank lines before the first record not counted
    let bad = BASE.replace(r#""status":"success""#, r#""status":"exploded""#);
    let input = format!("\n \u{feff}{bad}\n");
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(
        issue_places(&r),
        [
            ("json_bom", Some(2), Some(2)),
            (
                "bad_status",
                Some(input.find("\"exploded\"").unwrap() as u64),
                Some(2)
            )
        ]
    );
    let input = format!("\n\n\n{bad}\n");
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(r.issues[0].line, Some(4));
}

#[test]
fn trailing_data_names_an_array_or_an_envelope() {
    // mutant: `record_depth == 2` -> `!=`, which swapped the two words
    let opts = ScanOptions::default;
    let r = scan_calls(
        format!("[{BASE}] x").as_bytes(),
        CallFilter::default(),
        opts(),
    )
    .unwrap();
    assert!(
        r.issues[0].message.contains("end of the array"),
        "{}",
        r.issues[0].message
    );
    let r = scan_calls(
        format!(r#"{{"calls":[{BASE}]}} x"#).as_bytes(),
        CallFilter::default(),
        opts(),
    )
    .unwrap();
    assert!(
        r.issues[0].message.contains("end of the envelope"),
        "{}",
        r.issues[0].message
    );
}

#[test]
fn a_next_cursor_that_is_not_a_string_gives_no_cursor() {
    // mutant: `depth == 1 && …` -> `||`, which took a string inside the value of next_cursor for the cursor
    let input =
        format!(r#"{{"next_cursor":{{"a":"01C01TC09K47WGE00000000000"}},"calls":[{BASE}]}}"#);
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(r.indices, [0]);
    assert_eq!(r.next_cursor, "");
}

#[test]
fn offsets_up_to_23_59_are_read() {
    // mutant: `oh > 23` -> `oh >= 23` in the general reader, which refused +23:00
    for ok in ["+23:00", "-23:59", "+00:59", "-00:00"] {
        let s = format!("2017-11-28T17:21:39.5{ok}");
        assert!(GoTime::parse(&s).is_ok(), "{s}");
    }
    for bad in ["+24:00", "-23:60"] {
        let s = format!("2017-11-28T17:21:39.5{bad}");
        assert!(
            GoTime::parse(&s).unwrap_err().contains("out of range"),
            "{s}"
        );
    }
}

// ---- scan.rs: survivors of the first third of its mutants -----------------------------------------------------------

#[test]
fn the_prefilter_survives_an_escaped_key_near_the_start_of_a_record() {
    // mutant: `next = p + len` -> `p - len`, which underflowed on `{"\u0069d":…}` (and in a release build skipped
    // every later escape)
    let record = BASE
        .replacen(r#"{"id""#, r#"{"\u0069d""#, 1)
        .replace(r#""app_name":"myapp""#, r#""app_name":"my\u0061pp""#);
    let filter = CallFilter {
        app_name: "myapp".into(),
        ..CallFilter::default()
    };
    let opts = ScanOptions {
        validate: Validate::Matches,
        ..ScanOptions::default()
    };
    assert_eq!(
        scan_calls(record.as_bytes(), filter, opts).unwrap().indices,
        [0]
    );
}

#[test]
fn options_and_push_owned_are_what_they_say() {
    // mutants: options() giving the defaults, push_owned doing nothing
    let opts = ScanOptions {
        emit: true,
        ranges: true,
        warnings: true,
        ..ScanOptions::default()
    };
    let s = CallScanner::new(CallFilter::default(), opts.clone()).unwrap();
    assert_eq!(s.options(), &opts);
    let input = format!("{BASE}\n{BASE}\n");
    let mut s = CallScanner::new(CallFilter::default(), ScanOptions::default()).unwrap();
    s.push_owned(input.as_bytes()[..50].to_vec());
    s.push_owned(input.as_bytes()[50..].to_vec());
    assert_eq!(s.finish().indices, [0, 1]);
}

#[test]
fn a_list_key_inside_a_single_call_does_not_make_an_envelope() {
    // mutant: `… && self.depth == 2` -> `||`: a "calls" (or "items") key at the top, whose list is one level down,
    // started a list of records there
    let input = format!(r#"{{"calls":{{"x":[{BASE}]}}}}"#);
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    // (an envelope whose "calls" is not a list holds no records)
    assert_eq!((r.total, r.indices.len(), r.issues.len()), (0, 0, 0));
    let input = with_member(r#""extra":{"calls":[1]}"#);
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(r.indices, [0]);
    assert_eq!(r.issues, []);
}

#[test]
fn framing_errors_and_cut_off_inputs_are_reported_where_and_as_what_they_are() {
    // mutants: `base + i` -> `base * i` for a framing error, `base + first_start` -> `*` for a cut-off lone object
    // (both wrong once leading bytes were dropped), and `form == Array` -> `!=` in the cut-off list's message
    let input = format!("\n [{BASE} {BASE}]");
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    let second = BASE.len() as u64 + 4;
    assert_eq!(issue_places(&r), [("json_syntax", Some(second), Some(2))]);
    let input = format!("\n\n  {}", &BASE[..40]);
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(issue_places(&r), [("truncated", Some(4), Some(3))]);
    let r = scan_calls(
        format!("[{BASE},").as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert!(
        r.issues
            .iter()
            .any(|i| i.message.contains("before the array is closed")),
        "{:?}",
        r.issues
    );
    let r = scan_calls(
        format!(r#"{{"calls":[{BASE}"#).as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap();
    assert!(
        r.issues
            .iter()
            .any(|i| i.message.contains("before the envelope is closed")),
        "{:?}",
        r.issues
    );
}

#[test]
fn scan_owned_is_scan_calls() {
    // mutant: scan_owned returning an empty result
    let input = format!("{BASE}\n{BASE}\n");
    let owned = fn_calls::scan::scan_owned(
        input.clone().into_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    );
    let borrowed = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    );
    assert_eq!(owned.unwrap(), borrowed.unwrap());
}

#[test]
fn the_fast_lane_leaves_odd_stats_samples_to_the_full_reader() {
    // mutants: the `!ts` or `!metrics` guard made true (a repeated key read as clean) and `!ts || !metrics` -> `&&`
    // (a sample without a timestamp read as clean): the full reader warns about each
    let ts = r#""timestamp":"2017-11-28T17:21:40.000Z""#;
    let metrics = r#""metrics":{"mem_kb":1}"#;
    for sample in [
        format!("{{{ts},{ts},{metrics}}}"),
        format!("{{{ts},{metrics},{metrics}}}"),
        format!("{{{metrics}}}"),
    ] {
        let input = with_member(&format!(r#""stats":[{sample}]"#));
        for mode in [Mode::Observed, Mode::Strict] {
            assert!(read_clean(input.as_bytes(), mode).is_none(), "{sample}");
        }
        let full = call_from_bytes(input.as_bytes(), ReadOptions::default());
        assert!(!full.issues.is_empty(), "{sample}");
    }
}
