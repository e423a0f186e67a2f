//! More tests written for mutants of the core modules that survived the rest of the suite in the third round of
//! docs/mutation-testing.md ("Third round"), after those of `tests/mutation_round3.rs`: each one fails on the mutant
//! named above it and passes on the code as it is. Only the crate's public API is used.

use fn_calls::id::{base64url_decode, base64url_encode};
use fn_calls::json::{line_of, parse, skip_ws, Value};

// ---- id.rs (in-diff since b2954bd) ----------------------------------------------------------------------------

/// Go's `base64.RawURLEncoding` of the RFC 4648 test texts, and of texts that use the last two digits (`-`, `_`).
const VECTORS: [(&str, &str); 10] = [
    ("", ""),
    ("f", "Zg"),
    ("fo", "Zm8"),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg"),
    ("fooba", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy"),
    ("~~~", "fn5-"),
    ("???", "Pz8_"),
    (
        "01C01TC09K47WGE00000000005",
        "MDFDMDFUQzA5SzQ3V0dFMDAwMDAwMDAwMDU",
    ),
];

/// `base64url_encode`: its result replaced by `""` or `"xyzzy"`; in the packing of three bytes into 24 bits, `|`
/// to `&` or `^`, `<<` to `>>`, and `16 - 8 * i` to `16 + 8 * i`, `16 / 8 * i`, `16 - 8 + i` or `16 - 8 / i`; in
/// the unpacking of 6-bit digits, `& 63` to `| 63` or `^ 63`, `>>` to `<<`, and `18 - 6 * i` changed the same
/// ways: each gives other digits for one of these texts (a v2 listing writes its `next_cursor` with it).
#[test]
fn base64url_encode_writes_what_go_writes() {
    for (text, b64) in VECTORS {
        assert_eq!(base64url_encode(text), b64, "{text:?}");
    }
    // Every byte value in every place of a group of three.
    let all: String = (1u32..0x800).filter_map(char::from_u32).collect();
    let back = base64url_decode(&base64url_encode(&all));
    assert_eq!(back.as_deref(), Some(all.as_str()));
}

/// `base64url_decode`: its result replaced by `None`, `Some("")` or `Some("xyzzy")`; `s.len() % 4 == 1` to `!=`,
/// `/ 4` or `+ 4` (a length of 4n + 1 whose last digit is `A` has no stray bits: only the length refuses it); the alphabet's `x == c` to `!=`; `(acc << 6) | v` to `&`, `^` or `>> 6`; `bits += 6` to `-=`
/// or `*=`; `bits >= 8` to `<`; `bits -= 8` to `+=` or `/=`; `acc >> bits` to `<<`; `acc &= (1 << bits) - 1` to
/// `|=`, `+ 1`, `/ 1` or `>>`; `acc != 0` to `==`: each decodes one of these texts wrongly, or takes one that Go
/// refuses (a length of 4n + 1, stray bits, `=`, standard base64's `+` and `/`, bytes that are not UTF-8).
#[test]
fn base64url_decode_reads_what_go_reads_and_refuses_the_rest() {
    for (text, b64) in VECTORS {
        assert_eq!(base64url_decode(b64).as_deref(), Some(text), "{b64:?}");
    }
    for bad in [
        "Z", "A", "Zm9vY", "Zm9vA", "Zh", "Zm9", "Zm8=", "fn5+", "Pz8/", "Zm 9", "_w", "_-8",
    ] {
        assert_eq!(base64url_decode(bad), None, "{bad:?}");
    }
    // A v2 listing reads its cursor with it, and writes its next cursor with the encoder.
    use fn_calls::batch::calls_from_bytes;
    use fn_calls::filter::{filter_calls_as, Api, CallFilter, Listing};
    use fn_calls::read::ReadOptions;
    let lines: Vec<String> = (3..6)
        .map(|n| format!(r#"{{"id":"01C01TC09K47WGE0000000000{n}","status":"success","app_id":"01C01TC09K47WGE00000000001","fn_id":"01C01TC09K47WGE00000000002","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:41.002Z","app_name":"","trigger_id":""}}"#))
        .collect();
    let calls = calls_from_bytes(lines.join("\n").as_bytes(), ReadOptions::default()).calls;
    let v2 = Listing {
        api: Api::V2,
        zone_offset_secs: 0,
    };
    let f = CallFilter {
        cursor: base64url_encode("01C01TC09K47WGE00000000005"),
        per_page: Some(1),
        ..CallFilter::default()
    };
    let page = filter_calls_as(&calls, &f, v2).unwrap();
    let got: Vec<&str> = page.calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got, ["01C01TC09K47WGE00000000004"]);
    assert_eq!(page.next_cursor, "MDFDMDFUQzA5SzQ3V0dFMDAwMDAwMDAwMDQ");
}

// ---- json.rs --------------------------------------------------------------------------------------------------

fn string_of(text: &str) -> fn_calls::json::JsonString<'static> {
    match parse(text.as_bytes()).unwrap().into_owned().value {
        Value::String(s) => s,
        other => panic!("not a string: {other:?}"),
    }
}

/// `Node::into_owned`: the field `raw` deleted (so it would come from `JsonString::owned`, `None`): an owned string
/// with escapes keeps its source as written, which the writers of raw JSON values need.
#[test]
fn an_owned_string_keeps_its_escapes_as_written() {
    let s = string_of(r#""a\u0041\/""#);
    assert_eq!(
        (s.text.as_ref(), s.raw.as_deref()),
        ("aA/", Some(r#"a\u0041\/"#))
    );
}

/// `Parser::string`: `b < 0x20` to `<=` in the fast path: a space would end the run of plain bytes and send the
/// string to the slow path, which keeps a `raw` source for a string without escapes.
#[test]
fn a_string_with_a_space_and_no_escape_has_no_raw_source() {
    let s = string_of(r#""a b c""#);
    assert_eq!((s.text.as_ref(), s.raw.as_deref()), ("a b c", None));
}

/// `Parser::string`: `run_start + e.valid_up_to()` to `-` or `*` in the slow path: bytes that are not UTF-8 after
/// an escape are reported at their own offset.
#[test]
fn bad_utf8_after_an_escape_is_reported_where_it_is() {
    let text = b"[\"\\nabc\xff\"]";
    let issue = parse(text).unwrap_err();
    assert_eq!(
        (issue.code.as_str(), issue.offset),
        ("invalid_utf8", Some(7))
    );
}

/// `skip_ws`: its result replaced by 0 or 1, or `pos += 1` to `-=` or `*=` (the last two loop for ever or
/// overflow): it answers the offset of the first byte that is not JSON whitespace.
#[test]
fn skip_ws_answers_the_first_byte_after_the_whitespace() {
    assert_eq!(skip_ws(b" \t\r\n x", 0), 5);
    assert_eq!(skip_ws(b"x  y", 1), 3);
    assert_eq!(skip_ws(b"xy", 1), 1);
    assert_eq!(skip_ws(b"   ", 0), 3);
}

/// `line_of`: `**b == b'\n'` to `!=`: the line of an offset counts the newlines before it, not the other bytes.
#[test]
fn line_of_counts_the_newlines_before_the_offset() {
    assert_eq!(line_of(b"ab\ncd\nef", 0), 1);
    assert_eq!(line_of(b"ab\ncd\nef", 3), 2);
    assert_eq!(line_of(b"ab\ncd\nef", 7), 3);
    assert_eq!(line_of(b"abcdef", 5), 1);
}

/// `compact_string`: the guard `(c as u32) < 0x20` made `false`: a string without a source (built in code, as the
/// wasm boundary builds one from a JS string) has its other control characters written as `\u00XX`, as
/// `JSON.stringify` writes them, not raw (which would not be JSON).
#[test]
fn compact_escapes_the_control_characters_of_a_string_built_in_code() {
    use fn_calls::json::{compact, JsonString, Node};
    let node = Node {
        value: Value::String(JsonString::owned("a\u{1}\u{1f}\n b".into(), false)),
        offset: 0,
    };
    let mut out = String::new();
    compact(&node, &mut out);
    assert_eq!(out, r#""a\u0001\u001f\n b""#);
}

// ---- query.rs (in-diff since 60531c9) -------------------------------------------------------------------------

/// `server_filter`: the field `to_time` deleted (so it would be the default, none): a `to_time` given is asked of
/// the server as it is, as `from_time` is.
#[test]
fn the_server_filter_keeps_the_to_time_given() {
    use fn_calls::filter::CallFilter;
    use fn_calls::query::server_filter;
    let f = CallFilter {
        from_time: Some(1_511_889_000),
        to_time: Some(1_511_890_000),
        ..CallFilter::default()
    };
    let s = server_filter(&f);
    assert_eq!(
        (s.from_time, s.to_time),
        (Some(1_511_889_000), Some(1_511_890_000))
    );
}

/// `filter_to_query_v2` replaced by `Ok("")` or `Ok("xyzzy")`: a v2 query writes the cursor, the times and the page
/// size, keys sorted, and leaves out what v2 does not take as a parameter. The fields given to its filter deleted
/// (`cursor`, `from_time`, `per_page`, `to_time`): each is written.
#[test]
fn a_v2_query_writes_cursor_times_and_page_size() {
    use fn_calls::filter::CallFilter;
    use fn_calls::query::filter_to_query_v2;
    let f = CallFilter {
        cursor: "MDE".into(),
        from_time: Some(10),
        to_time: Some(20),
        per_page: Some(5),
        fn_id: "01C01TC09K47WGE00000000002".into(),
        ..CallFilter::default()
    };
    assert_eq!(
        filter_to_query_v2(&f).unwrap(),
        "cursor=MDE&from_time=10&per_page=5&to_time=20"
    );
    assert_eq!(filter_to_query_v2(&CallFilter::default()).unwrap(), "");
    // `not_in_v2` replaced by `Ok(())`, or its `!` deleted: `path` and `app_name` are refused, each at its pointer.
    let both = CallFilter {
        path: "/a".into(),
        app_name: "app".into(),
        ..CallFilter::default()
    };
    let got: Vec<(String, String)> = filter_to_query_v2(&both)
        .unwrap_err()
        .iter()
        .map(|i| (i.code.as_str().to_string(), i.path.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("not_in_v2".to_string(), "/path".to_string()),
            ("not_in_v2".to_string(), "/app_name".to_string())
        ]
    );
}

// ---- gojson.rs (survivors of the second round's shard 0/4, lines of b2954bd) ------------------------------------

/// `write_compact`: the arms of `\\` (an escaped quote would end the string), `"` (the string would never end, and
/// the whitespace after it would stay) and `&` deleted, and the offsets of the bytes after 0xE2: Go's `json.Compact`
/// with HTML escaping drops the whitespace outside strings and escapes `<`, `>`, `&`, U+2028 and U+2029 inside them.
#[test]
fn compact_raw_json_as_go_marshals_a_raw_message() {
    use fn_calls::gojson::write_compact;
    let raw = "{ \"a\" : \"x<y>&z\u{2028}\u{2029}\u{2020}\\\"<\", \"b\\\\\": [1, 2] }";
    let mut out = String::new();
    write_compact(&mut out, raw);
    assert_eq!(
        out,
        "{\"a\":\"x\\u003cy\\u003e\\u0026z\\u2028\\u2029\u{2020}\\\"\\u003c\",\"b\\\\\":[1,2]}"
    );
}

/// `call_log_to_string` replaced by `String::new()`: a call's log is written as the server writes it.
#[test]
fn a_call_log_is_written_as_go_writes_it() {
    use fn_calls::gojson::call_log_to_string;
    use fn_calls::model::CallLog;
    let log = CallLog {
        call_id: "01C01TC09K47WGE00000000005".into(),
        log: "hello <world>\n".into(),
        app_name: "app".into(),
    };
    assert_eq!(
        call_log_to_string(&log),
        r#"{"call_id":"01C01TC09K47WGE00000000005","log":"hello \u003cworld\u003e\n","app_name":"app"}"#
    );
}

/// `list_calls_url_v2`: a v2 listing URL takes the fn from the argument or the filter, refuses neither or two that
/// differ, adds `/v2` unless the base ends with it, and writes `?` only before a query.
#[test]
fn a_v2_listing_url_names_its_fn_and_its_query() {
    use fn_calls::filter::CallFilter;
    use fn_calls::query::list_calls_url_v2;
    let fn_id = "01C01TC09K47WGE00000000002";
    let none = CallFilter::default();
    assert_eq!(
        list_calls_url_v2("http://h:8080/", fn_id, &none).unwrap(),
        format!("http://h:8080/v2/fns/{fn_id}/calls")
    );
    let f = CallFilter {
        fn_id: fn_id.into(),
        per_page: Some(5),
        ..CallFilter::default()
    };
    assert_eq!(
        list_calls_url_v2("http://h/v2", "", &f).unwrap(),
        format!("http://h/v2/fns/{fn_id}/calls?per_page=5")
    );
    assert_eq!(
        list_calls_url_v2("http://h", fn_id, &f).unwrap(),
        format!("http://h/v2/fns/{fn_id}/calls?per_page=5")
    );
    let codes = |r: Result<String, Vec<fn_calls::issue::Issue>>| -> Vec<(String, String)> {
        r.unwrap_err()
            .iter()
            .map(|i| (i.code.as_str().to_string(), i.path.clone()))
            .collect()
    };
    assert_eq!(
        codes(list_calls_url_v2("http://h", "", &none)),
        [("missing_app".to_string(), "/fn_id".to_string())]
    );
    assert_eq!(
        codes(list_calls_url_v2(
            "http://h",
            "01C01TC09K47WGE00000000003",
            &f
        )),
        [("app_name_mismatch".to_string(), "/fn_id".to_string())]
    );
}

/// `layout_of` and `present_keys` for a call built in code (each `||` of the later fields to `&&`, a `!` deleted,
/// `!= 0` to `== 0`, `present_keys` made constant), `write_call_as` (the `delay` arm deleted, the
/// `execution_duration` guard, `i > 0` before a header's next value or the next stat) and `write_call_for_js`
/// replaced by `()`: a call built in code is written in the 2017 model's layout unless one later field puts it in
/// the generation that field fits; the JS form writes 64-bit integers as strings and annotations as their JSON
/// text; an `execution_duration` of 0 is left out.
#[test]
fn a_call_built_in_code_is_written_in_the_layout_its_fields_fit() {
    use fn_calls::gojson::{call_to_string, write_call_for_js};
    use fn_calls::model::Call;
    let t = r#""completed_at":"0001-01-01T00:00:00.000Z","created_at":"0001-01-01T00:00:00.000Z","started_at":"0001-01-01T00:00:00.000Z""#;
    let base = Call {
        id: "X".into(),
        ..Call::default()
    };
    let with = |f: &dyn Fn(&mut Call)| {
        let mut c = base.clone();
        f(&mut c);
        c
    };
    let js = |c: &Call| {
        let mut s = String::new();
        write_call_for_js(&mut s, c);
        s
    };
    let first =
        |extra: &str| format!(r#"{{"id":"X","status":"","app_name":"","path":"",{extra}{t}}}"#);
    let cases = [
        (base.clone(), first("")),
        (
            with(&|c| drop(c.config.insert("A".into(), "b".into()))),
            first(r#""config":{"A":"b"},"#),
        ),
        (
            with(&|c| {
                c.headers
                    .insert("H".into(), Some(vec!["v".into(), "w".into()]));
                c.headers.insert("N".into(), None);
            }),
            first(r#""headers":{"H":["v","w"],"N":null},"#),
        ),
        (
            with(&|c| drop(c.annotations.insert("k".into(), "{\"a\": 1}".into()))),
            first(r#""annotations":{"k":{"a":1}},"#),
        ),
        (with(&|c| c.cpus = 100), first(r#""cpus":"100m","#)),
        (with(&|c| c.delay = 3), first(r#""delay":3,"#)),
        (
            with(&|c| c.syslog_url = "tcp://x".into()),
            format!(r#"{{"id":"X","status":"","path":"","syslog_url":"tcp://x",{t},"app_id":""}}"#),
        ),
        (
            with(&|c| c.tmpfs_size = 5),
            format!(r#"{{"id":"X","status":"","path":"","tmpfs_size":5,{t},"app_id":""}}"#),
        ),
        (
            with(&|c| c.execution_duration = 7),
            format!(
                r#"{{"id":"X","status":"",{t},"execution_duration":7,"app_id":"","app_name":"","trigger_id":"","fn_id":""}}"#
            ),
        ),
        (
            with(&|c| c.fn_id = Some("F".into())),
            format!(
                r#"{{"id":"X","status":"","path":"",{t},"app_id":"","trigger_id":"","fn_id":"F"}}"#
            ),
        ),
    ];
    for (call, want) in &cases {
        assert_eq!(&call_to_string(call), want);
    }
    // The JS form: the same keys, 64-bit integers as strings, annotations as their text.
    let big = with(&|c| {
        c.memory = 9_007_199_254_740_993;
        c.annotations.insert("k".into(), "{\"a\": 1}".into());
    });
    assert_eq!(
        js(&big),
        first(r#""memory":"9007199254740993","annotations":{"k":"{\"a\": 1}"},"#)
    );
    assert!(js(&with(&|c| c.execution_duration = 7)).contains(r#""execution_duration":"7""#));
    // Stats, comma-separated; metrics as numbers, or as strings in the JS form.
    let stat = |m: Option<u64>| fn_calls::model::Stat {
        timestamp: Default::default(),
        metrics: m.map(|v| [("cpu_user".to_string(), v)].into_iter().collect()),
    };
    let stats = with(&|c| c.stats = vec![stat(Some(9_007_199_254_740_993)), stat(None)]);
    let z = "0001-01-01T00:00:00.000Z";
    let want = format!(
        r#""stats":[{{"timestamp":"{z}","metrics":{{"cpu_user":9007199254740993}}}},{{"timestamp":"{z}","metrics":null}}]"#
    );
    assert!(
        call_to_string(&stats).contains(&want),
        "{}",
        call_to_string(&stats)
    );
    assert!(
        js(&stats).contains(r#""metrics":{"cpu_user":"9007199254740993"}},{"#),
        "{}",
        js(&stats)
    );
    // A mix no generation has (`path` left v2, `execution_duration` came later) is written with every key any
    // generation has, each left out when empty: no `app_id` for a call without one.
    let mix = with(&|c| {
        c.path = "/p".into();
        c.execution_duration = 7;
    });
    let s = call_to_string(&mix);
    assert!(s.contains(r#""path":"/p""#) && !s.contains("app_id"), "{s}");
    // An execution_duration of 0 is left out in every generation that has the field (Go's omitempty).
    for g in 0..fn_calls::generation::GENERATIONS.len() {
        let mut s = String::new();
        fn_calls::gojson::write_call_in(&mut s, &base, g);
        assert!(!s.contains("execution_duration"), "{g}: {s}");
    }
    let mut s = String::new();
    fn_calls::gojson::write_call_in(&mut s, &with(&|c| c.execution_duration = 7), 12);
    assert!(s.contains(r#""execution_duration":7"#), "{s}");
}

// ---- read.rs (in-diff since 60531c9) --------------------------------------------------------------------------

/// A call with one more member before the others.
fn call_with(member: &str) -> String {
    format!(
        r#"{{{member},"id":"01C01TC09K47WGE00000000005","status":"success","app_id":"01C01TC09K47WGE00000000001","fn_id":"01C01TC09K47WGE00000000002","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:41.002Z","app_name":"","trigger_id":""}}"#
    )
}

/// `read_i64` replaced by `None` or `Some(0)`: `execution_duration` (int64) is read as written, negative or not.
#[test]
fn execution_duration_is_read_as_written() {
    use fn_calls::batch::calls_from_bytes;
    use fn_calls::read::ReadOptions;
    for (text, want) in [
        ("123456789012", 123_456_789_012i64),
        ("-5", -5),
        ("9223372036854775807", i64::MAX),
    ] {
        let b = calls_from_bytes(
            call_with(&format!(r#""execution_duration":{text}"#)).as_bytes(),
            ReadOptions::default(),
        );
        let got: Vec<i64> = b.calls.iter().map(|c| c.execution_duration).collect();
        assert_eq!(got, [want], "{text}: {:?}", b.issues);
    }
}

/// `read_cpus`: `MAX_MILLICPUS / 1000` to `%` (no CPU count but 0 would be taken) or `*` (far more than 1024 CPUs
/// would): a CPU count is taken up to 1024 CPUs and refused above.
#[test]
fn cpus_as_a_count_of_cpus_is_taken_up_to_1024() {
    use fn_calls::batch::calls_from_bytes;
    use fn_calls::read::ReadOptions;
    let read = |cpus: &str| {
        let b = calls_from_bytes(
            call_with(&format!(r#""cpus":"{cpus}""#)).as_bytes(),
            ReadOptions::default(),
        );
        let codes: Vec<&str> = b.issues.iter().map(|i| i.code.as_str()).collect();
        (b.calls.first().map(|c| c.cpus), codes.contains(&"bad_cpus"))
    };
    assert_eq!(read("0.5"), (Some(500), false));
    assert_eq!(read("1024"), (Some(1_024_000), false));
    assert!(read("1024.5").1);
    assert!(read("2000").1);
}

fn read_tree(member: &str, with_offsets: bool) -> fn_calls::batch::CallBatch {
    use fn_calls::batch::{calls_from_tree, CallBatch};
    use fn_calls::read::ReadOptions;
    let text = format!("[{}]", call_with(member));
    let node = parse(text.as_bytes()).unwrap();
    let mut batch = CallBatch::default();
    calls_from_tree(&node, ReadOptions::default(), with_offsets, &mut batch);
    batch
}

/// `read_annotations` replaced by `None` or a constant map, its `!` of `!r.with_offsets` deleted, and its arm for a
/// string in a JS object deleted: annotations are read into a map of compact JSON texts; in a JS object (no
/// offsets) a string is the annotation's JSON text, in JSON text it is a JSON string.
#[test]
fn annotations_are_read_as_compact_json_texts() {
    let member = r#""annotations":{"a":"{\"x\": 1}","n":{"y": [1, 2]}}"#;
    let js = read_tree(member, false);
    let got: Vec<(String, String)> = js.calls[0]
        .annotations
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("a".to_string(), r#"{"x":1}"#.to_string()),
            ("n".to_string(), r#"{"y":[1,2]}"#.to_string())
        ],
        "{:?}",
        js.issues
    );
    let text = read_tree(member, true);
    assert_eq!(
        text.calls[0].annotations.get("a").map(String::as_str),
        Some(r#""{\"x\": 1}""#)
    );
}

/// `read_headers` replaced by `None` or a constant map: headers are read as lists of strings, `null` kept.
#[test]
fn headers_are_read_as_lists_of_strings() {
    for with_offsets in [false, true] {
        let b = read_tree(
            r#""headers":{"Accept":["a","b"],"X-Nil":null}"#,
            with_offsets,
        );
        let got: Vec<(String, Option<Vec<String>>)> = b.calls[0]
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Accept".to_string(),
                    Some(vec!["a".to_string(), "b".to_string()])
                ),
                ("X-Nil".to_string(), None)
            ],
            "{:?}",
            b.issues
        );
    }
}

/// `read_call`: `k.name == key && k.always` to `||`: a record of a release with `app_id` but no `fn_id` or
/// `trigger_id` is read with those two absent, not empty.
#[test]
fn a_record_with_app_id_alone_has_no_fn_id_or_trigger_id() {
    use fn_calls::batch::calls_from_bytes;
    use fn_calls::read::ReadOptions;
    let text = r#"{"id":"01C01TC09K47WGE00000000005","status":"success","path":"/p","cpus":"100m","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:41.002Z","app_id":"01C01TC09K47WGE00000000001"}"#;
    for with_offsets in [false, true] {
        let node = parse(text.as_bytes()).unwrap();
        let mut b = fn_calls::batch::CallBatch::default();
        fn_calls::batch::calls_from_tree(&node, ReadOptions::default(), with_offsets, &mut b);
        let c = &b.calls[0];
        assert_eq!(
            (
                c.app_id.as_deref(),
                c.fn_id.as_deref(),
                c.trigger_id.as_deref()
            ),
            (Some("01C01TC09K47WGE00000000001"), None, None),
            "{:?}",
            b.issues
        );
    }
    let c = &calls_from_bytes(text.as_bytes(), ReadOptions::default()).calls[0];
    assert_eq!((c.fn_id.as_deref(), c.trigger_id.as_deref()), (None, None));
}

/// `fn_cli_keys` replaced by `None`, or `*k == m.key.text` to `!=` where a key is renamed: the `fn` command's output
/// of a call (camelCase keys) is read with its keys taken as the server's.
#[test]
fn the_fn_commands_camel_case_keys_are_read_as_the_servers() {
    let text = r#"{"id":"01C01TC09K47WGE00000000005","status":"success","appId":"01C01TC09K47WGE00000000001","fnId":"01C01TC09K47WGE00000000002","createdAt":"2017-11-28T17:21:39.123Z","startedAt":"2017-11-28T17:21:39.125Z","completedAt":"2017-11-28T17:21:41.002Z","errorReason":"boom"}"#;
    for with_offsets in [false, true] {
        let node = parse(text.as_bytes()).unwrap();
        let mut b = fn_calls::batch::CallBatch::default();
        fn_calls::batch::calls_from_tree(
            &node,
            fn_calls::read::ReadOptions::default(),
            with_offsets,
            &mut b,
        );
        let c = &b.calls[0];
        assert_eq!(
            (
                c.app_id.as_deref(),
                c.fn_id.as_deref(),
                c.completed_at.format(),
                c.error.as_str()
            ),
            (
                Some("01C01TC09K47WGE00000000001"),
                Some("01C01TC09K47WGE00000000002"),
                "2017-11-28T17:21:41.002Z".to_string(),
                "boom"
            ),
            "{:?}",
            b.issues
        );
    }
}
