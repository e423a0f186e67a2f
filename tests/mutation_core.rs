//! Tests written for mutants of the core modules that survived the rest of the suite in the runs of
//! docs/mutation-testing.md ("Results"): each one fails on the mutant named above it and passes on the code as it
//! is. Only the crate's public API is used.

use fn_calls::error_groups::normalize_error;

// ---- error_groups.rs ------------------------------------------------------------------------------------------

/// `normalize_error`: `i > 0 && at(i - 1)…` (a quote right after a word character is an apostrophe) to `i < 0` or
/// `at(i / 1)`: every quote would open a quoted value, and `can't … 'x'` would read as one quote from `'t` to `x'`.
#[test]
fn an_apostrophe_inside_a_word_does_not_open_a_quoted_value() {
    assert_eq!(
        normalize_error("can't open 'config.yaml'"),
        "can't open '<str>'"
    );
    assert_eq!(
        normalize_error("it's `x` and it's 'y'"),
        "it's `<str>` and it's '<str>'"
    );
}

// ---- transitions.rs -------------------------------------------------------------------------------------------

/// `TransitionCode::as_str` replaced by `""`: the code's name is the issue code it is reported as.
#[test]
fn a_transition_code_is_named_as_its_issue_code() {
    use fn_calls::transitions::TransitionCode as T;
    let all = [
        (T::UnknownStatus, "unknown_status"),
        (T::UndeclaredStatus, "undeclared_status"),
        (T::Unchanged, "unchanged"),
        (T::FromTerminal, "from_terminal"),
        (T::SkipsStatus, "skips_status"),
        (T::GoesBack, "goes_back"),
        (T::IllegalTransition, "illegal_transition"),
        (T::NotInitial, "not_initial"),
        (T::StatusCleared, "status_cleared"),
    ];
    for (code, name) in all {
        assert_eq!(code.as_str(), name);
        assert_eq!(fn_calls::issue::IssueCode::from(code).as_str(), name);
    }
}

/// `check_known`: the guard `!in_mode(s, mode)` made `false`: a status the mode does not declare would be checked as a
/// step (`not_initial` for a first `timeout` in the strict mode) instead of being reported as undeclared, once.
#[test]
fn a_status_the_strict_mode_does_not_declare_is_reported_as_undeclared_in_a_history() {
    use fn_calls::status::Mode;
    use fn_calls::transitions::validate_history;
    let issues = |h: &[&str]| -> Vec<(String, String)> {
        validate_history(h, Mode::Strict)
            .iter()
            .map(|i| (i.code.as_str().to_string(), i.path.clone()))
            .collect()
    };
    let undeclared = |p: &str| ("undeclared_status".to_string(), p.to_string());
    assert_eq!(issues(&["timeout"]), [undeclared("/0")]);
    assert_eq!(
        issues(&["timeout", "timeout"]),
        [undeclared("/0"), undeclared("/1")]
    );
    assert!(validate_history(&["running", "timeout"], Mode::Observed).is_empty());
}

// ---- status.rs ------------------------------------------------------------------------------------------------

/// `CallStatus::is_declared` replaced by `false`: every status but `timeout` is declared by the model.
#[test]
fn every_status_but_timeout_is_declared() {
    use fn_calls::status::CallStatus;
    for s in CallStatus::ALL {
        assert_eq!(s.is_declared(), s != CallStatus::Timeout, "{}", s.as_str());
    }
}

/// `Mode::parse` replaced by `None` or `Some(Default::default())`, or either match arm deleted: the two modes are
/// read by their lower-case names, and nothing else is a mode.
#[test]
fn a_mode_is_read_by_its_name() {
    use fn_calls::status::Mode;
    assert_eq!(Mode::parse("observed"), Some(Mode::Observed));
    assert_eq!(Mode::parse("strict"), Some(Mode::Strict));
    for other in ["", "Strict", "OBSERVED", "strict ", "lenient"] {
        assert_eq!(Mode::parse(other), None, "{other:?}");
    }
}

// ---- model.rs -------------------------------------------------------------------------------------------------

/// `Call::is_v2` replaced by `true`, or either `||` by `&&`: any one of `app_id`, `fn_id`, `trigger_id` makes a call
/// one of the releases since March 2018, and none of them one before.
#[test]
fn any_one_key_of_2018_makes_a_v2_call() {
    use fn_calls::model::Call;
    assert!(!Call::default().is_v2());
    for which in 0..3 {
        let mut c = Call::default();
        let v = Some("01C01TC09K47WGE00000000000".to_string());
        match which {
            0 => c.app_id = v,
            1 => c.fn_id = v,
            _ => c.trigger_id = v,
        }
        assert!(c.is_v2(), "key {which}");
    }
}

/// `Call::layout_generation` replaced by `None` or `Some(Default::default())` (the first generation): it is the
/// generation the call was read in.
#[test]
fn a_call_is_laid_out_in_the_generation_it_was_read_in() {
    use fn_calls::model::Call;
    use fn_calls::read::ReadOptions;
    use fn_calls::record::call_from_bytes;
    let v2 = r#"{"id":"01C01TC09K47WGE00000000000","status":"success","app_id":"01C01TC09K47WGE00000000001","fn_id":"01C01TC09K47WGE00000000002","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:41.002Z"}"#;
    let call = call_from_bytes(v2.as_bytes(), ReadOptions::default())
        .call
        .unwrap();
    assert!(
        call.generation.is_some_and(|g| g > 0),
        "{:?}",
        call.generation
    );
    assert_eq!(call.layout_generation(), call.generation);
    for g in [None, Some(0), Some(3)] {
        let c = Call {
            generation: g,
            ..Call::default()
        };
        assert_eq!(c.layout_generation(), g);
    }
}

// ---- issue.rs -------------------------------------------------------------------------------------------------

/// `PartialEq<str>` and `PartialEq<&str>` for `IssueCode`: `eq` replaced by `true` or `false`, or `==` by `!=`: a
/// code equals its own name and no other text.
#[test]
fn an_issue_code_equals_its_name_only() {
    use fn_calls::issue::IssueCode;
    let code = IssueCode::JsonBom;
    assert!(code == *"json_bom");
    assert!(code != *"json_syntax");
    assert!(code == "json_bom");
    assert!(code != "json_syntax");
    assert!(code != "");
}

// ---- id.rs ----------------------------------------------------------------------------------------------------

/// `check_id`: `id.len() == 36 && …four dashes` to `||`: only 36 characters with four dashes are called a UUID.
#[test]
fn only_thirty_six_characters_with_four_dashes_are_called_a_uuid() {
    use fn_calls::id::check_id;
    assert!(check_id("01234567-89ab-cdef-0123-456789abcdef")
        .unwrap_err()
        .contains("is a UUID"));
    let long = "0".repeat(36);
    assert_eq!(
        check_id(&long).unwrap_err(),
        format!("'{long}' has 36 characters; a call id has 26")
    );
    let dashed = "0-0-0-0-0";
    assert_eq!(
        check_id(dashed).unwrap_err(),
        format!("'{dashed}' has 9 characters; a call id has 26")
    );
}

// ---- schema.rs ------------------------------------------------------------------------------------------------

/// `value_schema`: any match arm deleted (`status`, `type`, `format`, the 32-bit integers, `priority`, `memory`,
/// `tmpfs_size`, `cpus`, the string maps, `headers`, `annotations`, the date-times, `stats`) would leave that key's
/// schema a plain string.
#[test]
fn each_key_of_the_call_schema_has_the_type_go_reads() {
    let schema = fn_calls::schema::call_json_schema();
    let int =
        |min: &str, max: &str| format!(r#"{{"type":"integer","minimum":{min},"maximum":{max}}}"#);
    let string_map =
        r#"{"type":["object","null"],"additionalProperties":{"type":"string"}}"#.to_string();
    let expected: Vec<(&str, String)> = vec![
        ("status", r#"{"enum":["","delayed","queued","running","success","error","cancelled","timeout"]}"#.into()),
        ("type", r#"{"enum":["","sync","async","detached"]}"#.into()),
        ("format", r#"{"enum":["","default","http","json"]}"#.into()),
        ("delay", int("-2147483648", "2147483647")),
        ("timeout", int("-2147483648", "2147483647")),
        ("idle_timeout", int("-2147483648", "2147483647")),
        ("priority", r#"{"type":["integer","null"],"minimum":0,"maximum":2}"#.into()),
        ("memory", int("0", "18446744073709551615")),
        ("tmpfs_size", int("0", "4294967295")),
        ("cpus", r#"{"type":["string","null"],"pattern":"^\\s*([0-9]+m|[0-9]*\\.?[0-9]*)\\s*$"}"#.into()),
        ("base_env", string_map.clone()),
        ("env_vars", string_map.clone()),
        ("config", string_map),
        ("headers", r#"{"type":["object","null"],"additionalProperties":{"type":["array","null"],"items":{"type":["string","null"]}}}"#.into()),
        ("annotations", r#"{"type":["object","null"]}"#.into()),
    ];
    let date_time = r#"{"type":"string","pattern":"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}))?$"}"#;
    let expected = expected.into_iter().chain([
        ("created_at", date_time.to_string()),
        ("started_at", date_time.to_string()),
        ("completed_at", date_time.to_string()),
        ("stats", format!(r#"{{"type":["array","null"],"maxItems":240,"items":{{"type":["object","null"],"properties":{{"timestamp":{date_time},"metrics":"#)),
    ]);
    for (key, value) in expected {
        let want = format!("\"{key}\":{value}");
        assert!(schema.contains(&want), "{want} is not in the schema");
    }
}

// ---- json.rs --------------------------------------------------------------------------------------------------

fn messages(input: &str) -> Vec<String> {
    use fn_calls::read::ReadOptions;
    use fn_calls::record::call_from_bytes;
    call_from_bytes(input.as_bytes(), ReadOptions::default())
        .issues
        .iter()
        .filter(|i| i.code.as_str() == "wrong_type" || i.code.as_str() == "json_syntax")
        .map(|i| i.message.clone())
        .collect()
}

/// `Value::type_name` replaced by `"xyzzy"`: a wrong type names the type found.
#[test]
fn a_wrong_type_names_the_type_found() {
    let id = r#""id":"01C01TC09K47WGE00000000000""#;
    for (value, found) in [
        ("5", "a number"),
        ("true", "a boolean"),
        ("[]", "an array"),
        ("{}", "an object"),
    ] {
        assert_eq!(
            messages(&format!(r#"{{{id},"app_name":{value}}}"#)),
            [format!("expected a string, found {found}")]
        );
    }
    assert_eq!(
        messages(&format!(r#"{{{id},"timeout":"5"}}"#)),
        ["expected a int32 number, found a string"]
    );
}

/// `describe_byte` replaced by `"xyzzy"`: a syntax error names what it found, a character, a byte or the end.
#[test]
fn a_syntax_error_names_what_it_found() {
    assert_eq!(
        messages(r#"{"id":x}"#),
        ["unexpected character 'x': expected a JSON value"]
    );
    assert_eq!(
        messages("{\"id\":\u{1}}"),
        ["unexpected byte 0x01: expected a JSON value"]
    );
    assert_eq!(
        messages(r#"{"id":"#),
        ["unexpected end of input: expected a JSON value"]
    );
    assert_eq!(
        messages("{\"id\":\"a\" \u{1}}"),
        ["unexpected byte 0x01: expected ',' or '}'"]
    );
}

/// `compact` replaced by `()`, `i > 0` to `==`, and in `compact_string` the guard `(c as u32) < 0x20` made `true`
/// or `<=`: a value is written back as compact JSON, commas between members and items, plain text as it is.
#[test]
fn a_value_is_written_back_as_compact_json() {
    use fn_calls::json::{compact, parse};
    let text =
        r#"{ "a" : [1, 2.50, {"b": null}], "c": "x y", "d": true, "e": "\u0041\n", "a": false }"#;
    let mut out = String::new();
    compact(&parse(text.as_bytes()).unwrap(), &mut out);
    assert_eq!(
        out,
        r#"{"a":[1,2.50,{"b":null}],"c":"x y","d":true,"e":"\u0041\n","a":false}"#
    );
}

/// `object`: `depth > MAX_DEPTH` to `>=`: objects nested exactly `MAX_DEPTH` deep are read; one more is too deep.
#[test]
fn objects_nested_to_the_maximum_depth_are_read_and_one_more_is_too_deep() {
    use fn_calls::json::{parse, MAX_DEPTH};
    let nested = |n: usize| format!("{}{}", r#"{"a":"#.repeat(n - 1) + "{}", "}".repeat(n - 1));
    assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
    let err = parse(nested(MAX_DEPTH + 1).as_bytes()).unwrap_err();
    assert_eq!(err.code.as_str(), "json_depth");
}

/// `number`: the `+=` past an exponent's sign to `-=`, which would read `1e+5` as bad JSON; `string`: the escape's
/// position `self.pos - 2` to `/ 2` in the offset of a bad low surrogate escape.
#[test]
fn signed_exponents_are_numbers_and_a_bad_low_surrogate_escape_is_reported_where_it_starts() {
    use fn_calls::json::{compact, parse};
    let mut out = String::new();
    compact(&parse(b"[1e+5,2E-3,4e6]").unwrap(), &mut out);
    assert_eq!(out, "[1e+5,2E-3,4e6]");
    //                 0 1      7
    let err = parse(br#""\ud800\uzzzz""#).unwrap_err();
    assert_eq!(err.offset, Some(7), "{}", err.message);
}
