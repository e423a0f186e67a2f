//! Tests for the mutants of the third round's last runs (docs/mutation-testing.md, "Third round"): the in-diff
//! run of `fast_read.rs` and `scan.rs`, and the in-diff run of the projection of `Call` objects (`projection.rs`,
//! the listing's selection in `filter.rs`). Each fails on the mutant named above it and passes on the code as it is.
//! Only the crate's public API is used.

use fn_calls::fast_read::validate_clean;
use fn_calls::generation::UNION;
use fn_calls::projection::Field;
use fn_calls::read::ReadOptions;
use fn_calls::record::call_from_bytes;
use fn_calls::status::Mode;

/// A clean call of 2018 with one more member, as JSON text.
fn call_with(member: &str) -> String {
    format!(
        r#"{{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z",{member}}}"#
    )
}

fn full_codes(text: &str) -> Vec<String> {
    call_from_bytes(text.as_bytes(), ReadOptions::default())
        .issues
        .iter()
        .map(|i| i.code.as_str().to_string())
        .collect()
}

// ---- fast_read.rs (in-diff since 60531c9) ------------------------------------------------------------------------

/// `Cur::cpus`: `digits.is_empty() || digits.len() > 7 || …` with `||` as `&&` takes `"m"` (no digits) for a clean
/// count of 0, where the full reader reports `bad_cpus`.
#[test]
fn cpus_without_digits_is_not_clean() {
    let text = call_with(r#""cpus":"m""#);
    assert_eq!(validate_clean(text.as_bytes(), Mode::Observed), None);
    assert_eq!(full_codes(&text), ["bad_cpus"]);
    // and with digits, the fast lane agrees with the full reader
    let ok = call_with(r#""cpus":"250m""#);
    assert_eq!(validate_clean(ok.as_bytes(), Mode::Observed), Some(vec![]));
}

/// `Cur::cpus`: `digits.len() > 7` as `== 7` lets 23 zero-padded digits into the count, which overflows (a panic in
/// a debug build, a wrong count in release): such text is left to the full reader, which takes it as 1m.
#[test]
fn cpus_with_more_digits_than_a_count_has_go_to_the_full_reader() {
    let text = call_with(r#""cpus":"00000000000000000000001m""#);
    assert_eq!(validate_clean(text.as_bytes(), Mode::Observed), None);
    assert!(full_codes(&text).is_empty());
}

/// `Cur::any`: `self.any(depth + 1)` as `depth * 1` in an object's members (line 601) or an array's items (line
/// 620) never deepens, so an annotation nested 100,000 levels recurses until the stack is gone: the fast lane must
/// give up at its depth limit and leave it to the full reader, which reports `json_depth`.
#[test]
fn deep_annotations_give_up_at_the_fast_lanes_depth() {
    let n = 100_000;
    let objects = format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    for deep in [objects, arrays] {
        let text = call_with(&format!(r#""annotations":{{"k":{deep}}}"#));
        assert_eq!(validate_clean(text.as_bytes(), Mode::Observed), None);
        assert_eq!(full_codes(&text), ["json_depth"]);
    }
}

// ---- projection.rs -----------------------------------------------------------------------------------------------

/// `Field::key` replaced by `""` or `"xyzzy"`: each field is read from a key of the `Call` object, every key a
/// generation writes, each field its own; the metrics are the two names the summaries add up.
#[test]
fn each_projected_field_is_a_key_of_the_call() {
    let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
    for (f, key) in Field::ALL.iter().zip(&keys) {
        if f.is_metric() {
            assert!(["mem_usage", "cpu_total"].contains(key), "{f:?}");
        } else {
            assert!(UNION.iter().any(|k| k.name == *key), "{f:?}: {key}");
        }
        assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
    }
    assert_eq!(Field::Id.key(), "id");
    assert_eq!(Field::CreatedAt.key(), "created_at");
}

/// `CallView::into_owned` replaced by `Default::default()`: the view kept between filters of the same `Call`
/// objects (the JavaScript boundary keeps the last array's rows) must be the view it was made from.
#[test]
fn an_owned_view_is_the_same_view() {
    use fn_calls::datetime::GoTime;
    use fn_calls::model::Call;
    use fn_calls::status::{CallFormat, CallStatus, CallType};
    use fn_calls::view::CallView;
    let call = Call {
        id: "01C01TC09K47WGE00000000000".into(),
        status: Some(CallStatus::Error),
        app_name: "a".into(),
        fn_id: Some("01FN".into()),
        path: "/p".into(),
        image: "img:1".into(),
        method: "POST".into(),
        error: "timed out".into(),
        call_type: Some(CallType::Async),
        format: Some(CallFormat::Http),
        created_at: GoTime::parse("2017-11-28T17:21:39.123+01:00").unwrap(),
        started_at: GoTime::parse("2017-11-28T17:21:39.125Z").unwrap(),
        completed_at: GoTime::parse("2017-11-28T17:21:41.002Z").unwrap(),
        ..Call::default()
    };
    let view = CallView::of(&call);
    let owned = view.clone().into_owned();
    assert_eq!(owned, view);
    assert_ne!(owned, CallView::default());
}
