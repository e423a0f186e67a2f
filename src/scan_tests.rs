//! The scanner's unit tests (`scan.rs`), kept apart so that the scanner itself reads in one file of its own size.

use super::*;
use crate::batch::calls_from_bytes;
use crate::filter::filter_calls;

const A: &str = r#"{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}"#;
const B: &str = r#"{"id":"01C01TC2JG47WGG00000000000","status":"error","app_name":"other","path":"/error","completed_at":"2017-11-28T17:21:41.950Z","created_at":"2017-11-28T17:21:41.456Z","started_at":"2017-11-28T17:21:41.460Z","error":"container exit code 1"}"#;

fn filter(json: &str) -> CallFilter {
    let node = json::parse(json.as_bytes()).unwrap();
    crate::filter::filter_from_tree(&node).unwrap().0
}

fn opts(validate: Validate) -> ScanOptions {
    ScanOptions {
        validate,
        ..ScanOptions::default()
    }
}

#[test]
fn forms_give_the_same_matches() {
    let f = filter(r#"{"app_name":"other"}"#);
    let inputs = [
        format!("{A}\n{B}\n"),
        format!("[{A},{B}]"),
        format!("[\n  {A},\n  {B}\n]\n"),
        format!(r#"{{"message":"Successfully listed calls","next_cursor":"x","calls":[{A},{B}]}}"#),
        format!(r#"{{"next_cursor":"MDFDUVY3MlpYRU5HOEcwMEdaSjAwMDAwMFg","items":[{A},{B}]}}"#),
    ];
    for input in &inputs {
        let r = scan_calls(input.as_bytes(), f.clone(), opts(Validate::All)).unwrap();
        assert_eq!(r.indices, [1], "{input}");
        assert_eq!(r.total, 2, "{input}");
        assert!(r.issues.is_empty(), "{input}: {:?}", r.issues);
        let (s, e) = (r.offsets[0] as usize, r.offsets[1] as usize);
        assert_eq!(&input[s..e], B);
    }
    let r = scan_calls(inputs[4].as_bytes(), f.clone(), opts(Validate::All)).unwrap();
    assert_eq!(r.next_cursor, "01CQV72ZXENG8G00GZJ000000X");
    let r = scan_calls(inputs[3].as_bytes(), f.clone(), opts(Validate::All)).unwrap();
    assert_eq!(r.next_cursor, "x");
    let r = scan_calls(
        br#"{"message":"m","next_cursor":"","calls":null}"#,
        f,
        opts(Validate::All),
    )
    .unwrap();
    assert_eq!((r.total, r.issues.len()), (0, 0));
}

#[test]
fn every_record_has_its_byte_range_good_or_bad() {
    let bad = A.replace("\"path\":\"/hello\"", "\"path\":\"/hello\",\"memory\":1e3");
    fn ranges(input: &str, validate: Validate, chunk: usize) -> Vec<&str> {
        let mut s = CallScanner::new(
            filter(r#"{"app_name":"other"}"#),
            ScanOptions {
                validate,
                ranges: true,
                ..ScanOptions::default()
            },
        )
        .unwrap();
        let mut got = Vec::new();
        for part in input.as_bytes().chunks(chunk) {
            s.push(part);
            got.extend(s.take_ranges());
        }
        let r = s.finish();
        got.extend(&r.ranges);
        let texts: Vec<&str> = got
            .chunks(2)
            .map(|p| &input[p[0] as usize..p[1] as usize])
            .collect();
        assert_eq!(texts.len() as u64, r.total, "{input}");
        texts
    }
    for chunk in [1, 7, 1000] {
        // NDJSON: blank lines are not records; a bad record and a cut-off last line have ranges too
        let input = format!("{A}\n{bad}\n\n{{\"id\":\n{B}\n{{\"id\":\"x");
        for validate in [Validate::All, Validate::Matches] {
            assert_eq!(
                ranges(&input, validate, chunk),
                [A, bad.as_str(), "{\"id\":", B, "{\"id\":\"x"]
            );
        }
        let input = format!("[{A}, 12,\n{bad}]");
        assert_eq!(
            ranges(&input, Validate::All, chunk),
            [A, "12", bad.as_str()]
        );
        let input = format!(r#"{{"next_cursor":"","calls":[{A},{B}]}}"#);
        assert_eq!(ranges(&input, Validate::All, chunk), [A, B]);
        // cut off inside a record: the range runs to the end of the input
        let input = format!("[{A},{{\"id\":\"01C");
        assert_eq!(ranges(&input, Validate::All, chunk), [A, "{\"id\":\"01C"]);
        let input = "{\"id\":\"01C".to_string();
        assert_eq!(ranges(&input, Validate::All, chunk), ["{\"id\":\"01C"]);
    }
    // off by default
    let r = scan_calls(A.as_bytes(), CallFilter::default(), opts(Validate::All)).unwrap();
    assert!(r.ranges.is_empty());
}

#[test]
fn bad_records_are_reported_and_skipped() {
    let bad = A.replace("\"path\":\"/hello\"", "\"path\":\"/hello\",\"memory\":1e3");
    let input = format!("{A}\n{bad}\n\n{{\"id\":\n{B}\n{{\"id\":\"x");
    let r = scan_calls(input.as_bytes(), CallFilter::default(), opts(Validate::All)).unwrap();
    assert_eq!(r.indices, [0, 3]);
    assert_eq!(r.total, 5);
    let got: Vec<_> = r
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index, i.line))
        .collect();
    assert_eq!(
        got,
        [
            ("not_integer", Some(1), Some(2)),
            ("json_syntax", Some(2), Some(4)),
            ("truncated", Some(4), Some(6))
        ]
    );
    let at = r.issues[0].offset.unwrap() as usize;
    assert_eq!(&input[at..at + 3], "1e3");
}

#[test]
fn prefilter_only_skips_what_cannot_match() {
    // the app name spelled with an escape must still be found
    let escaped = B.replace("\"app_name\":\"other\"", "\"app_name\":\"oth\\u0065r\"");
    let slash = B.replace("\"path\":\"/error\"", "\"path\":\"\\/error\"");
    let input = format!("{A}\n{escaped}\n{slash}\n{B}\n");
    for f in [
        r#"{"app_name":"other"}"#,
        r#"{"path":"/error","status":"error"}"#,
        r#"{"error_contains":"exit code"}"#,
    ] {
        let all = scan_calls(input.as_bytes(), filter(f), opts(Validate::All)).unwrap();
        let fast = scan_calls(input.as_bytes(), filter(f), opts(Validate::Matches)).unwrap();
        assert_eq!(all.indices, [1, 2, 3], "{f}");
        assert_eq!(fast.indices, all.indices, "{f}");
    }
}

#[test]
fn escapes_that_spell_a_needle_are_read_and_others_are_not() {
    let p = Prefilter::new(&filter(r#"{"app_name":"a&b/c"}"#)).unwrap();
    assert!(
        p.may_match(br#"{"app_name":"a\u0026b\/c"}"#),
        "an escaped & and / spell it"
    );
    assert!(p.may_match(br#"{"app_name":"a&b/c"}"#));
    assert!(
        !p.may_match(br#"{"app_name":"x","payload":"{\"k\":1}"}"#),
        "an escaped quote cannot spell it"
    );
    assert!(
        p.may_match(br#"{"app_name":"\u0061&b/c"}"#),
        "an escaped letter of the needle"
    );
    assert!(
        !p.may_match(br#"{"app_name":"\u00e9"}"#),
        "a character not in the needle"
    );
    assert!(
        !p.may_match(br#"{"app_name":"\ud83d\ude00"}"#),
        "surrogates are safe for ASCII needles"
    );
    assert!(
        p.may_match(br#"{"app_name":"\q"}"#),
        "an unknown escape is read (and reported)"
    );
    let p = Prefilter::new(&filter("{\"app_name\":\"\u{1F600}\"}")).unwrap();
    assert!(
        p.may_match(br#"{"app_name":"\ud83d\ude00"}"#),
        "surrogates may spell a non-ASCII needle"
    );
}

#[test]
fn records_written_over_many_lines_keep_their_lines_however_cut() {
    // pretty-printed records (line ends inside them, outside and inside strings' escapes, nested brackets), then a
    // bad record: its issue names the line it starts on, whatever the chunks
    let pretty = A.replace(",\"", ",\n    \"").replace(
        r#""path":"/hello""#,
        r#""path":"/he\\llo\"]}{[",
 "base_env":{"K":"[{\\\"x"
}"#,
    );
    let bad = B.replace("\"status\":\"error\"", "\"status\":\"done\"");
    // a line end inside a string (not JSON: that record is an error too), right before its closing quote
    let broken = A.replace("\"path\":\"/hello\"", "\"path\":\"/he\nllo\n\"");
    let input = format!("[\n{pretty},\n{pretty} ,\n{broken},\n{bad}\n]\n");
    let bad_line = input[..input.find(&bad).unwrap()].matches('\n').count() as u64 + 1;
    let whole = scan_calls(input.as_bytes(), CallFilter::default(), opts(Validate::All)).unwrap();
    assert_eq!(whole.total, 4, "{input}");
    let broken_line = input[..input.find(&broken).unwrap()].matches('\n').count() as u64 + 1;
    let lines: Vec<Option<u64>> = whole
        .issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| i.line)
        .collect();
    assert_eq!(
        lines,
        [Some(broken_line), Some(bad_line)],
        "{:?}",
        whole.issues
    );
    for size in 1..=48 {
        let mut s = CallScanner::new(CallFilter::default(), opts(Validate::All)).unwrap();
        for chunk in input.as_bytes().chunks(size) {
            s.push(chunk);
        }
        assert_eq!(s.finish(), whole, "chunks of {size}");
    }
}

#[test]
fn chunk_splits_do_not_change_anything() {
    let bad = A.replace("\"status\":\"success\"", "\"status\":\"done\"");
    let input = format!(
        "{{\"message\":\"m\",\"next_cursor\":\"c\",\"calls\":[{A},\n{bad}, {B} ,{A}, 5, \"s\",[1]]}}\n"
    );
    let f = filter(r#"{"status":["success","error"]}"#);
    let whole = scan_calls(input.as_bytes(), f.clone(), opts(Validate::All)).unwrap();
    assert_eq!(whole.indices, [0, 2, 3]);
    assert_eq!(whole.total, 7);
    for size in [1, 2, 3, 7, 64, 1000] {
        let mut s = CallScanner::new(f.clone(), opts(Validate::All)).unwrap();
        for chunk in input.as_bytes().chunks(size) {
            s.push(chunk);
        }
        assert_eq!(s.finish(), whole, "chunks of {size}");
        // taking the matches as they come hands out the same ones, once each
        let mut s = CallScanner::new(f.clone(), opts(Validate::All)).unwrap();
        let (mut indices, mut offsets) = (Vec::new(), Vec::new());
        for chunk in input.as_bytes().chunks(size) {
            s.push(chunk);
            let (i, o) = s.take_matches();
            indices.extend(i);
            offsets.extend(o);
            assert_eq!(s.matches_so_far(), indices.len());
        }
        let rest = s.finish();
        indices.extend(&rest.indices);
        offsets.extend(&rest.offsets);
        assert_eq!(
            (indices, offsets),
            (whole.indices.clone(), whole.offsets.clone()),
            "chunks of {size}"
        );
        assert_eq!(rest.total, whole.total);
    }
}

#[test]
fn agrees_with_filter_calls_over_parse_calls() {
    let mut lines = Vec::new();
    for i in 0..50u32 {
        let rec = if i % 3 == 0 {
            B.to_string()
        } else {
            A.to_string()
        };
        let rec = rec.replace(
            "01C01TC",
            &format!("01C01T{}", (b'A' + (i % 20) as u8) as char),
        );
        lines.push(rec);
    }
    let input = lines.join("\n");
    for f in [
        r#"{"status":"error"}"#,
        r#"{"app_name":"myapp","all":true}"#,
        "{}",
    ] {
        let mut fl = filter(f);
        fl.all = true;
        let batch = calls_from_bytes(input.as_bytes(), ReadOptions::default());
        let page = filter_calls(&batch.calls, &fl).unwrap();
        let r = scan_calls(input.as_bytes(), fl, opts(Validate::Matches)).unwrap();
        let mut ids: Vec<String> = r
            .offsets
            .chunks(2)
            .map(|p| {
                let rec = &input.as_bytes()[p[0] as usize..p[1] as usize];
                crate::record::call_from_bytes(rec, ReadOptions::default())
                    .call
                    .unwrap()
                    .id
            })
            .collect();
        ids.sort_by(|a, b| b.cmp(a));
        let expected: Vec<String> = page.calls.iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids, expected, "{f}");
    }
}

#[test]
fn a_key_cut_by_a_chunk_boundary_is_kept_whole() {
    // found by fuzzing (scan_chunks): the envelope's "calls" key split across chunks
    let input =
        format!("{{\n  \"message\": \"m\",\n  \"next_cursor\": \"c\",\n  \"calls\": [\n{A},{B}]}}");
    let whole = scan_calls(input.as_bytes(), CallFilter::default(), opts(Validate::All)).unwrap();
    assert_eq!((whole.total, whole.issues.len()), (2, 0));
    assert_eq!(whole.next_cursor, "c");
    for size in 1..12 {
        let mut s = CallScanner::new(CallFilter::default(), opts(Validate::All)).unwrap();
        for chunk in input.as_bytes().chunks(size) {
            s.push(chunk);
        }
        assert_eq!(s.finish(), whole, "chunks of {size}");
    }
}

#[test]
fn list_punctuation_is_checked() {
    for bad in [
        format!("[{A},]"),
        format!("[{A} {B}]"),
        format!("[,{A}]"),
        format!("[{A},,{B}]"),
        format!("[{A}}}"),
    ] {
        let r = scan_calls(bad.as_bytes(), CallFilter::default(), opts(Validate::All)).unwrap();
        assert!(
            r.issues.iter().any(|i| i.code == "json_syntax"),
            "{bad}: {:?}",
            r.issues
        );
    }
    let r = scan_calls(
        format!("[ {A} , {B} ]").as_bytes(),
        CallFilter::default(),
        opts(Validate::All),
    )
    .unwrap();
    assert!(r.issues.is_empty(), "{:?}", r.issues);
}

#[test]
fn truncated_and_trailing_input() {
    let r = scan_calls(
        format!("[{A},{B}").as_bytes(),
        CallFilter::default(),
        opts(Validate::All),
    )
    .unwrap();
    assert_eq!(r.indices, [0, 1]);
    assert_eq!(
        r.issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ["truncated"]
    );
    let r = scan_calls(
        format!("[{A},{}", &B[..40]).as_bytes(),
        CallFilter::default(),
        opts(Validate::All),
    )
    .unwrap();
    assert_eq!(r.indices, [0]);
    assert_eq!(r.total, 2);
    assert_eq!(
        r.issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ["truncated", "truncated"]
    );
    let r = scan_calls(
        format!("[{A}] x").as_bytes(),
        CallFilter::default(),
        opts(Validate::All),
    )
    .unwrap();
    assert_eq!(r.indices, [0]);
    assert_eq!(r.issues[0].code, "json_trailing");
    let r = scan_calls(b"", CallFilter::default(), opts(Validate::All)).unwrap();
    assert_eq!((r.total, r.issues.len()), (0, 0));
    let r = scan_calls(
        format!("\u{feff}{A}").as_bytes(),
        CallFilter::default(),
        opts(Validate::All),
    )
    .unwrap();
    assert_eq!(r.indices, [0]);
    assert_eq!(r.issues[0].code, "json_bom");
}

fn limited(max: usize) -> ScanOptions {
    ScanOptions {
        max_record_bytes: max,
        ranges: true,
        ..ScanOptions::default()
    }
}

/// Feeds `input` in chunks of `size` and checks after each push that the scanner keeps at most the limit plus
/// one chunk; returns the result with every issue and range taken along the way.
fn scan_bounded(input: &[u8], options: ScanOptions, size: usize) -> ScanResult {
    let max = options.max_record_bytes;
    let mut s = CallScanner::new(CallFilter::default(), options).unwrap();
    let (mut issues, mut ranges, mut indices) = (Vec::new(), Vec::new(), Vec::new());
    for chunk in input.chunks(size) {
        s.push(chunk);
        assert!(
            s.buf.len() <= max + size + 2,
            "kept {} bytes (limit {max}, chunks of {size})",
            s.buf.len()
        );
        issues.extend(s.take_issues());
        ranges.extend(s.take_ranges());
        indices.extend(s.take_matches().0);
    }
    let mut r = s.finish();
    issues.append(&mut r.issues);
    ranges.append(&mut r.ranges);
    indices.append(&mut r.indices);
    r.issues = issues;
    r.ranges = ranges;
    r.indices = indices;
    r.offsets.clear();
    r
}

/// An issue's code, index, line and offset.
type Place<'a> = (&'a str, Option<u64>, Option<u64>, Option<u64>);

fn codes(r: &ScanResult) -> Vec<Place<'_>> {
    r.issues
        .iter()
        .map(|i| (i.code.as_str(), i.index, i.line, i.offset))
        .collect()
}

#[test]
fn a_long_ndjson_line_is_searched_once_not_once_per_push() {
    // 2 MB of NUL bytes (no newline) in 1 KB chunks, then a call: the newline search looks at each byte about
    // once. Searching the line in progress from its start on every push looked at ~2 GB.
    let mut input = vec![0u8; 2 << 20];
    input.push(b'\n');
    input.extend_from_slice(A.as_bytes());
    for max in [DEFAULT_MAX_RECORD_BYTES, 1000] {
        let mut s = CallScanner::new(CallFilter::default(), limited(max)).unwrap();
        for chunk in input.chunks(1024) {
            s.push(chunk);
        }
        let examined = s.examined;
        let r = s.finish();
        // every byte once: the line's bytes and its newline, then the last line's
        assert_eq!(
            examined,
            input.len() as u64,
            "examined {examined} bytes of {}",
            input.len()
        );
        assert_eq!((r.total, r.indices.as_slice()), (2, &[1u32][..]));
    }
}

#[test]
fn an_ndjson_line_past_the_limit_is_reported_and_skipped_to_its_newline() {
    let big = "x".repeat(300);
    let input = format!("{A}\n{big}\n\n{B}\n{}", "\0".repeat(5000));
    let max = A.len().max(B.len()) + 10;
    let b_at = (A.len() + 1 + big.len() + 2) as u64;
    let end_at = b_at + B.len() as u64 + 1;
    for size in [1, 7, 64, 1000, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(max), size);
        assert_eq!(r.indices, [0, 2], "chunks of {size}");
        assert_eq!(r.total, 4);
        assert_eq!(
            codes(&r),
            [
                (
                    "record_too_large",
                    Some(1),
                    Some(2),
                    Some(A.len() as u64 + 1)
                ),
                ("record_too_large", Some(3), Some(5), Some(end_at)),
            ],
            "chunks of {size}"
        );
        assert!(r.issues[0]
            .message
            .contains(&format!("limit of {max} bytes")));
        let a_end = A.len() as u64;
        assert_eq!(
            r.ranges,
            [
                0,
                a_end,
                a_end + 1,
                a_end + 1 + big.len() as u64,
                b_at,
                b_at + B.len() as u64,
                end_at,
                input.len() as u64
            ],
            "chunks of {size}"
        );
    }
}

#[test]
fn a_long_blank_line_is_no_record_however_it_is_cut() {
    let spaces = " ".repeat(5000);
    let input = format!("{A}\n{spaces}\n{spaces}x\n{B}\n");
    let at = (A.len() + 1 + spaces.len() + 1) as u64;
    for size in [1, 100, 4096, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!((r.total, r.indices.as_slice()), (3, &[0u32, 2][..]));
        assert_eq!(
            codes(&r),
            [("record_too_large", Some(1), Some(3), Some(at))],
            "chunks of {size}"
        );
        assert_eq!(r.ranges[2..4], [at, at + spaces.len() as u64 + 1]);
    }
}

#[test]
fn calls_then_a_flood_of_nul_bytes_keep_memory_flat_and_give_it_back() {
    // what a crashed log file leaves: good lines, then NUL bytes with no newline
    let mut input = format!("{A}\n").repeat(15).into_bytes();
    input.extend(std::iter::repeat_n(0u8, 3 << 20));
    let mut s = CallScanner::new(CallFilter::default(), limited(64 << 10)).unwrap();
    for chunk in input.chunks(64 << 10) {
        s.push(chunk);
        assert!(s.buf.len() <= 2 * (64 << 10));
    }
    assert!(s.buf.capacity() <= 1 << 20, "{}", s.buf.capacity());
    let r = s.finish();
    assert_eq!((r.total, r.indices.len()), (16, 15));
    assert_eq!(
        codes(&r),
        [(
            "record_too_large",
            Some(15),
            Some(16),
            Some(15 * (A.len() as u64 + 1))
        )]
    );
}

#[test]
fn a_long_line_after_the_first_record_is_checked_as_it_comes() {
    let input = format!("{A} {}\n{B}\n", "\0".repeat(5000));
    for size in [1, 100, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!((r.total, r.indices.as_slice()), (2, &[0u32, 1][..]));
        assert_eq!(
            codes(&r),
            [("json_trailing", None, Some(1), Some(A.len() as u64 + 1))],
            "chunks of {size}"
        );
    }
}

#[test]
fn a_record_of_a_list_past_the_limit_is_skipped_to_its_end() {
    let max = A.len().max(B.len()) + 10;
    let long_string = format!("\"{}\"", "s".repeat(400));
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let wide = format!(
        "{{\"id\":\"{}\",\"x\":[{}]}}",
        "z".repeat(50),
        "1,".repeat(200) + "1"
    );
    for (input, skipped) in [
        (
            format!("[{A},{long_string},{deep}, {wide} ,{B}]"),
            vec![&long_string, &deep, &wide],
        ),
        (
            format!(r#"{{"message":"m","next_cursor":"c","calls":[{A},{deep},{B}]}}"#),
            vec![&deep],
        ),
        (
            format!(r#"{{"items":[{A},{wide},{B}],"next_cursor":""}}"#),
            vec![&wide],
        ),
    ] {
        for size in [1, 5, 64, input.len()] {
            let r = scan_bounded(input.as_bytes(), limited(max), size);
            let n = skipped.len() as u32;
            assert_eq!(r.indices, [0, n + 1], "{input}, chunks of {size}");
            assert_eq!(r.total, u64::from(n) + 2);
            let mut expected = Vec::new();
            for (k, text) in skipped.iter().enumerate() {
                let at = input.find(text.as_str()).unwrap() as u64;
                expected.push(("record_too_large", Some(k as u64 + 1), Some(1), Some(at)));
            }
            assert_eq!(codes(&r), expected, "{input}, chunks of {size}");
            let texts: Vec<&str> = r
                .ranges
                .chunks(2)
                .map(|p| &input[p[0] as usize..p[1] as usize])
                .collect();
            let mut want = vec![A];
            want.extend(skipped.iter().map(|t| t.as_str()));
            want.push(B);
            assert_eq!(texts, want, "chunks of {size}");
            if input.contains("\"c\"") {
                assert_eq!(r.next_cursor, "c");
            }
        }
    }
}

#[test]
fn an_endless_record_in_a_list_is_reported_once() {
    let input = format!("[{A},{}", "[".repeat(5000));
    for size in [1, 64, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!((r.total, r.indices.as_slice()), (2, &[0u32][..]));
        assert_eq!(
            codes(&r),
            [
                (
                    "record_too_large",
                    Some(1),
                    Some(1),
                    Some(A.len() as u64 + 2)
                ),
                ("truncated", None, Some(1), Some(input.len() as u64))
            ],
            "chunks of {size}"
        );
        assert_eq!(r.ranges[2..], [A.len() as u64 + 2, input.len() as u64]);
    }
}

#[test]
fn a_first_object_past_the_limit_is_taken_as_a_record_and_skipped_to_the_newline() {
    let big = format!("{{\"payload\":\"{}\"}}", "p".repeat(3000));
    let input = format!("{big} trailing\n{A}\n");
    for size in [1, 64, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!((r.total, r.indices.as_slice()), (2, &[1u32][..]));
        assert_eq!(
            codes(&r),
            [("record_too_large", Some(0), Some(1), Some(0))],
            "chunks of {size}"
        );
        let line_end = (big.len() + " trailing".len()) as u64;
        assert_eq!(r.ranges[..2], [0, line_end]);
    }
    // an envelope whose list starts within the limit is an envelope, however long the list
    let input = format!(r#"{{"next_cursor":"c","calls":[{A},{B},{A},{B}]}}"#);
    let r = scan_bounded(input.as_bytes(), limited(A.len() + 100), 7);
    assert_eq!(
        (r.total, r.issues.len(), r.next_cursor.as_str()),
        (4, 0, "c")
    );
}

#[test]
fn long_envelope_keys_and_cursors_are_not_kept() {
    let key = "k".repeat(5000);
    let cursor = "c".repeat(5000);
    let input = format!(
        r#"{{"calls":[{A}],"{key}":"v","next_cursor":"{cursor}","x":{{"next_cursor":"no"}}}}"#
    );
    for size in [1, 64, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!(
            (r.total, r.next_cursor.as_str()),
            (1, ""),
            "chunks of {size}"
        );
        let at = input.find(&cursor).unwrap() as u64 - 1;
        assert_eq!(codes(&r), [("record_too_large", None, Some(1), Some(at))]);
    }
    let input = format!(r#"{{"calls":[{A}],"{key}":"v","next_cursor":"short"}}"#);
    let r = scan_bounded(input.as_bytes(), limited(1000), 7);
    assert_eq!((r.next_cursor.as_str(), r.issues.len()), ("short", 0));
}

#[test]
fn issues_past_the_held_limit_are_counted_in_one_issue_and_taking_them_keeps_them_all() {
    // 150,001 records that are not objects: one issue each.
    let n = MAX_HELD_ISSUES + 50_001;
    let mut input = String::from("[0");
    input.push_str(&",0".repeat(n - 1));
    input.push(']');
    let r = scan_calls(
        input.as_bytes(),
        CallFilter::default(),
        ScanOptions::default(),
    )
    .unwrap_or_default();
    assert_eq!(r.total, n as u64);
    assert_eq!(r.issues.len(), MAX_HELD_ISSUES + 1);
    let last = r.issues.last().map(|i| (i.code, i.message.clone()));
    assert!(
        matches!(&last, Some((IssueCode::TooManyIssues, m)) if m.starts_with("50001 more issues")),
        "{last:?}"
    );
    // Taken as they come, none is left out.
    let mut s = CallScanner::new(CallFilter::default(), ScanOptions::default())
        .unwrap_or_else(|_| unreachable!());
    let mut kept = 0;
    for chunk in input.as_bytes().chunks(64 * 1024) {
        s.push(chunk);
        kept += s.take_issues().len();
    }
    let rest = s.finish();
    kept += rest.issues.len();
    assert_eq!(kept, n);
    assert!(rest
        .issues
        .iter()
        .all(|i| i.code != IssueCode::TooManyIssues));
}

/// The first object past the limit is reported at its own offset and line, after blank lines and spaces (a
/// mutant placing it at `base - first_start` or `base * first_start` reported it at the input's start).
#[test]
fn a_first_object_past_the_limit_is_reported_where_it_starts() {
    let big = format!("{{\"payload\":\"{}\"}}", "p".repeat(3000));
    let input = format!("  \n {big}\n{A}\n");
    for size in [1, 64, input.len()] {
        let r = scan_bounded(input.as_bytes(), limited(1000), size);
        assert_eq!(
            codes(&r),
            [("record_too_large", Some(0), Some(2), Some(4))],
            "chunks of {size}"
        );
        assert_eq!((r.total, r.indices.as_slice()), (2, &[1u32][..]));
    }
}

/// The names the input forms are reported by (`ScanResult`'s `form` in JavaScript, docs/bulk.md).
#[test]
fn input_forms_are_named_as_documented() {
    let names = [
        InputForm::Ndjson,
        InputForm::Array,
        InputForm::Envelope,
        InputForm::Object,
    ]
    .map(InputForm::as_str);
    assert_eq!(names, ["ndjson", "array", "envelope", "object"]);
}

/// The default largest record is 16 MiB, as `ScanOptions::max_record_bytes` documents.
#[test]
fn the_default_record_limit_is_16_mib() {
    assert_eq!(ScanOptions::default().max_record_bytes, 16 * 1024 * 1024);
    assert_eq!(DEFAULT_MAX_RECORD_BYTES, 16_777_216);
}

/// A record of exactly `max_record_bytes` is kept and one byte less of limit makes it too large, with the message of
/// its form: an NDJSON line (whole, byte by byte, or split right after its last byte, before its newline, where the
/// line in progress holds exactly the limit) and a record of an array.
#[test]
fn a_record_of_exactly_the_limit_is_kept() {
    let max = A.len();
    let ndjson = format!("{A}\n{A}\n");
    let array = format!("[{A},{A}]");
    for (input, split, end) in [
        (&ndjson, max, "up to the end of its line"),
        (&array, max + 1, "up to its end"),
    ] {
        for size in [input.len(), 1, split] {
            let r = scan_bounded(input.as_bytes(), limited(max), size);
            assert_eq!(
                (r.total, r.indices.as_slice(), r.issues.len()),
                (2, &[0u32, 1][..], 0),
                "{input} in {size}"
            );
            let r = scan_bounded(input.as_bytes(), limited(max - 1), size);
            assert_eq!(r.indices, [] as [u32; 0], "{input} in {size}");
            assert_eq!(r.issues.len(), 2, "{input} in {size}");
            for issue in &r.issues {
                assert_eq!(issue.code, "record_too_large");
                assert!(issue.message.ends_with(end), "{}", issue.message);
            }
        }
    }
}

/// An envelope's `next_cursor` as long as the limit allows is kept; one byte more is not (`record_too_large`).
#[test]
fn a_cursor_of_exactly_the_limit_is_kept() {
    let cursor = "c".repeat(A.len() + 10);
    let input = format!(r#"{{"calls":[{A}],"next_cursor":"{cursor}"}}"#);
    // the limit counts the cursor with its two quotes
    let counted = cursor.len() + 2;
    for size in [input.len(), 1, 7] {
        let r = scan_bounded(input.as_bytes(), limited(counted), size);
        assert_eq!(
            (r.next_cursor.as_str(), r.issues.len()),
            (cursor.as_str(), 0),
            "chunks of {size}"
        );
        let r = scan_bounded(input.as_bytes(), limited(counted - 1), size);
        assert_eq!(r.next_cursor, "", "chunks of {size}");
        assert_eq!(
            codes(&r).first().map(|c| c.0),
            Some("record_too_large"),
            "chunks of {size}"
        );
    }
}
