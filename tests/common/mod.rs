//! Behaviour of the wasm exports, run inside wasm: under Node (`tests/wasm_node.rs`) and in Chromium
//! (`tests/wasm_browser.rs`). Same calls a JS user makes, through the real boundary.

use fn_calls::wasm::{parse_call, parse_calls, safe_parse_call, stringify_call, validate_call};
use js_sys::{Array, BigInt, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}

const BASE: &str = r#"{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}"#;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn issue_codes(issues: &JsValue) -> Vec<String> {
    Array::from(issues)
        .iter()
        .map(|i| get(&i, "code").as_string().unwrap())
        .collect()
}

fn strict() -> Option<tsify::Ts<fn_calls::wasm::ParseOptions>> {
    let o = Object::new();
    Reflect::set(&o, &"mode".into(), &"strict".into()).unwrap();
    Some(tsify::Ts::new_unchecked(o.into()))
}

#[wasm_bindgen_test]
fn go_written_calls_round_trip() {
    for text in [
        fixture!("generated-v1-call-full-mq-async.json"),
        fixture!("generated-v2-fn-call-get.json"),
    ] {
        let call = parse_call(text.into(), None).unwrap();
        assert_eq!(stringify_call(call.js_value(), None).unwrap(), text);
    }
    let page = fixture!("generated-v1-calls-list-page.json");
    let batch = parse_calls(page.into(), None).unwrap().js_value();
    assert_eq!(
        get(&batch, "next_cursor").as_string().unwrap(),
        "01C01TCYEQ47WGJ00000000000"
    );
    for call in Array::from(&get(&batch, "calls")).iter() {
        assert!(page.contains(&stringify_call(call, None).unwrap()));
    }
}

#[wasm_bindgen_test]
fn uint64_is_bigint_and_exact() {
    let text = BASE.replace(
        "\"path\":\"/hello\"",
        "\"path\":\"/hello\",\"memory\":18446744073709551615",
    );
    let call = parse_call(text.as_str().into(), None).unwrap().js_value();
    let memory = get(&call, "memory");
    assert!(memory.is_bigint());
    assert_eq!(
        BigInt::from(memory).to_string(10).unwrap(),
        "18446744073709551615"
    );
    assert_eq!(stringify_call(call, None).unwrap(), text);
}

#[wasm_bindgen_test]
fn bytes_objects_and_text_agree() {
    let bytes = Uint8Array::from(BASE.as_bytes());
    let a = stringify_call(parse_call(bytes.into(), None).unwrap().js_value(), None).unwrap();
    let obj = js_sys::JSON::parse(BASE).unwrap();
    let b = stringify_call(parse_call(obj, None).unwrap().js_value(), None).unwrap();
    assert_eq!(a, BASE);
    assert_eq!(b, BASE);
}

#[wasm_bindgen_test]
fn errors_are_thrown_with_issues_and_the_module_keeps_working() {
    let bad = BASE.replace("\"path\":\"/hello\"", "\"path\":\"/hello\",\"memory\":1e3");
    let err = parse_call(bad.as_str().into(), None).err().unwrap();
    assert_eq!(
        get(&err, "name").as_string().unwrap(),
        "CallValidationError"
    );
    assert_eq!(issue_codes(&get(&err, "issues")), ["not_integer"]);
    let deep = "[".repeat(100_000);
    for input in ["", "{", deep.as_str(), "\u{feff}{}", "null"] {
        let issues = validate_call(input.into(), None).unwrap().js_value();
        assert!(!issue_codes(&issues).is_empty(), "{input:.10}");
    }
    assert!(issue_codes(&validate_call(BASE.into(), None).unwrap().js_value()).is_empty());
}

#[wasm_bindgen_test]
fn modes() {
    let timeout = fixture!("generated-v1-call-get-timeout.json");
    assert!(issue_codes(&validate_call(timeout.into(), None).unwrap().js_value()).is_empty());
    assert_eq!(
        issue_codes(&validate_call(timeout.into(), strict()).unwrap().js_value()),
        ["bad_status"]
    );
    let r = safe_parse_call(timeout.into(), strict())
        .unwrap()
        .js_value();
    assert_eq!(get(&r, "success").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn proto_keys_stay_data() {
    let text = BASE.replace(
        "\"path\":\"/hello\"",
        "\"path\":\"/hello\",\"env_vars\":{\"__proto__\":\"x\"}",
    );
    let call = parse_call(text.as_str().into(), None).unwrap().js_value();
    let env = get(&call, "env_vars");
    let keys = Object::keys(env.unchecked_ref::<Object>());
    assert_eq!(keys.length(), 1);
    assert_eq!(stringify_call(call, None).unwrap(), text);
}

/// The fast lane scans strings 16 bytes at a time with wasm SIMD (8 natively): a special byte at every position of
/// a block, after ASCII or non-ASCII text, must be seen exactly as the full reader sees it.
#[wasm_bindgen_test]
fn fast_lane_blocks_agree_with_the_full_reader() {
    use fn_calls::fast_read::read_clean;
    use fn_calls::record::call_from_bytes;
    use fn_calls::status::Mode;
    let agree = |rec: &[u8]| {
        let full = call_from_bytes(rec, Default::default());
        match read_clean(rec, Mode::Observed) {
            None => true,
            Some(v) => full
                .call
                .is_some_and(|c| c.app_name == v.app_name && c.error == v.error),
        }
    };
    for pad in 0..40 {
        for pre in ["", "é", "ab€", "\u{1F600}"] {
            let body = format!("{pre}{}", "x".repeat(pad));
            let plain = format!(r#"{{"app_name":"{body}","error":"{body}\u0041"}}"#);
            let v = read_clean(plain.as_bytes(), Mode::Observed).expect("clean");
            assert_eq!(v.app_name, body);
            assert_eq!(v.error, format!("{body}A"));
            for bad in [
                &b"\x01"[..],
                b"\xff",
                b"\xc3",
                b"\xe2\x82",
                b"\\x",
                b"\\ud800",
                b"\x1f",
            ] {
                for key in ["app_name", "payload"] {
                    let mut rec = format!(r#"{{"{key}":"{body}"#).into_bytes();
                    rec.extend_from_slice(bad);
                    rec.extend_from_slice(b"yyyyyyyyyyyyyyyyy\"}");
                    assert!(
                        read_clean(&rec, Mode::Observed).is_none(),
                        "{}",
                        String::from_utf8_lossy(&rec)
                    );
                    assert!(agree(&rec));
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn the_core_lists_its_issue_codes_and_filter_fields() {
    use fn_calls::wasm::{filter_fields, issue_codes as listed_codes};
    let codes: Vec<String> = listed_codes()
        .iter()
        .map(|c| c.as_string().unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), codes.len(), "no code twice");
    let batch = parse_calls("{\"id\":".into(), None).unwrap().js_value();
    let one = safe_parse_call("[1]".into(), None).unwrap().js_value();
    let warned = BASE.replace("/hello", "hello");
    let warnings = validate_call(warned.as_str().into(), None)
        .unwrap()
        .js_value();
    for reported in [
        issue_codes_of(&batch),
        issue_codes_of(&one),
        issue_codes(&warnings),
    ] {
        for code in reported {
            assert!(codes.contains(&code), "{code} is reported but not listed");
        }
    }
    for code in [
        "json_syntax",
        "truncated",
        "unknown_status",
        "status_cleared",
        "too_many_buckets",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code}");
    }
    let fields: Vec<String> = filter_fields()
        .iter()
        .map(|f| f.as_string().unwrap())
        .collect();
    assert_eq!(fields.len(), 22);
    assert_eq!(
        &fields[..7],
        [
            "app_name",
            "fn_id",
            "path",
            "from_time",
            "to_time",
            "cursor",
            "per_page"
        ]
    );
    assert!(fields.iter().any(|f| f == "type") && fields.iter().any(|f| f == "all"));
}

fn issue_codes_of(batch: &JsValue) -> Vec<String> {
    issue_codes(&get(batch, "issues"))
}
