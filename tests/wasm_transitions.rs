//! The status transition exports inside wasm, under Node (wasm-bindgen-test-runner): the same calls a JS user makes,
//! through the real boundary.
#![cfg(target_arch = "wasm32")]

use fn_calls::wasm::transitions::{
    can_transition, check_call_update, check_transition, initial_statuses, is_status, is_terminal,
    next_statuses, statuses, transition_graph, transition_table, validate_history,
    TransitionOptions,
};
use js_sys::{Array, Object, Reflect};
use tsify::Ts;
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

const ALL: [&str; 7] = [
    "delayed",
    "queued",
    "running",
    "success",
    "error",
    "cancelled",
    "timeout",
];

/// The diagram written out by hand: (from, to) pairs allowed in strict; observed adds running → timeout.
const DRAWN: [(&str, &str); 5] = [
    ("delayed", "queued"),
    ("queued", "running"),
    ("running", "success"),
    ("running", "error"),
    ("running", "cancelled"),
];

fn expected(from: &str, to: &str, mode: &str) -> bool {
    DRAWN.contains(&(from, to)) || (mode == "observed" && (from, to) == ("running", "timeout"))
}

fn get(v: impl AsRef<JsValue>, key: &str) -> JsValue {
    Reflect::get(v.as_ref(), &JsValue::from_str(key)).unwrap()
}

fn options(mode: Option<&str>) -> Option<Ts<TransitionOptions>> {
    let o = Object::new();
    if let Some(m) = mode {
        Reflect::set(&o, &"mode".into(), &m.into()).unwrap();
    }
    Some(Ts::new_unchecked(o.into()))
}

fn raw_options(value: JsValue) -> Option<Ts<TransitionOptions>> {
    Some(Ts::new_unchecked(value))
}

fn strings(v: impl AsRef<JsValue>) -> Vec<String> {
    Array::from(v.as_ref())
        .iter()
        .map(|s| s.as_string().unwrap())
        .collect()
}

fn issue_list(v: impl AsRef<JsValue>) -> Vec<(String, String, String)> {
    Array::from(v.as_ref())
        .iter()
        .map(|i| {
            (
                get(&i, "path").as_string().unwrap(),
                get(&i, "code").as_string().unwrap(),
                get(&i, "severity").as_string().unwrap(),
            )
        })
        .collect()
}

fn list(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[wasm_bindgen_test]
fn every_pair_in_both_modes() {
    for mode in ["observed", "strict"] {
        for from in ALL {
            for to in ALL {
                let want = expected(from, to, mode);
                let what = format!("{from} → {to} ({mode})");
                assert_eq!(
                    can_transition(from.into(), to.into(), options(Some(mode))).unwrap(),
                    want,
                    "{what}"
                );
                if mode == "observed" {
                    assert_eq!(
                        can_transition(from.into(), to.into(), None).unwrap(),
                        want,
                        "default: {what}"
                    );
                }
                let check = check_transition(from.into(), to.into(), options(Some(mode))).unwrap();
                let check = check.js_value();
                assert_eq!(get(&check, "ok").as_bool(), Some(want), "{what}");
                if !want {
                    assert!(
                        get(&check, "code")
                            .as_string()
                            .is_some_and(|c| !c.is_empty()),
                        "{what}"
                    );
                    assert!(
                        get(&check, "message")
                            .as_string()
                            .is_some_and(|m| !m.is_empty()),
                        "{what}"
                    );
                } else {
                    assert!(get(&check, "code").is_undefined(), "{what}");
                }
                let next = strings(
                    next_statuses(from.into(), options(Some(mode)))
                        .unwrap()
                        .js_value(),
                );
                assert_eq!(next.iter().any(|s| s == to), want, "next: {what}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn the_table_export_matches_the_answers() {
    let table = transition_table().unwrap();
    let table = table.js_value();
    assert_eq!(strings(get(&table, "statuses")), ALL);
    assert_eq!(strings(get(&table, "modes")), ["observed", "strict"]);
    let allowed: Vec<f64> = Array::from(&get(&table, "allowed"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(allowed.len(), 98);
    for (m, mode) in ["observed", "strict"].into_iter().enumerate() {
        for (f, from) in ALL.into_iter().enumerate() {
            for (t, to) in ALL.into_iter().enumerate() {
                let want = if expected(from, to, mode) { 1.0 } else { 0.0 };
                assert_eq!(allowed[(m * 7 + f) * 7 + t], want, "{from} → {to} ({mode})");
            }
        }
    }
}

#[wasm_bindgen_test]
fn statuses_and_predicates() {
    assert_eq!(strings(statuses().unwrap().js_value()), ALL);
    for s in ALL {
        assert!(is_status(s.into()));
        assert_eq!(
            is_terminal(s.into()),
            ["success", "error", "cancelled", "timeout"].contains(&s),
            "{s}"
        );
    }
    for v in [
        JsValue::from_str(""),
        "Running".into(),
        JsValue::NULL,
        JsValue::UNDEFINED,
        3.into(),
        Object::new().into(),
    ] {
        assert!(!is_status(v.clone()));
        assert!(!is_terminal(v.clone()));
        assert!(!can_transition(v.clone(), "running".into(), None).unwrap());
        assert!(!can_transition("queued".into(), v.clone(), None).unwrap());
        assert_eq!(
            strings(next_statuses(v.clone(), None).unwrap().js_value()),
            Vec::<String>::new()
        );
    }
    for mode in [None, Some("observed"), Some("strict")] {
        assert_eq!(
            strings(initial_statuses(options(mode)).unwrap().js_value()),
            ["delayed", "queued"]
        );
    }
    assert_eq!(
        strings(initial_statuses(None).unwrap().js_value()),
        ["delayed", "queued"]
    );
}

#[wasm_bindgen_test]
fn options_are_read_like_every_other_export() {
    let t = || JsValue::from_str("running");
    let to = || JsValue::from_str("timeout");
    // Missing or undefined mode means observed (null options are None before they reach Rust).
    assert!(can_transition(t(), to(), options(None)).unwrap());
    let undefined_mode = Object::new();
    Reflect::set(&undefined_mode, &"mode".into(), &JsValue::UNDEFINED).unwrap();
    assert!(can_transition(t(), to(), raw_options(undefined_mode.into())).unwrap());
    let extra = Object::new();
    Reflect::set(&extra, &"mode".into(), &"strict".into()).unwrap();
    Reflect::set(&extra, &"other".into(), &1.into()).unwrap();
    // A bad mode, an unknown key or options that are not an object throw a TypeError.
    let null_mode = Object::new();
    Reflect::set(&null_mode, &"mode".into(), &JsValue::NULL).unwrap();
    for bad in [
        options(Some("Strict")),
        options(Some("")),
        raw_options(extra.into()),
        raw_options(null_mode.into()),
        raw_options("strict".into()),
        raw_options(1.into()),
    ] {
        let err = can_transition(t(), to(), bad).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>(), "{err:?}");
    }
    assert!(transition_graph(options(Some("loose"))).is_err());
    assert!(validate_history(Array::new().into(), options(Some("loose"))).is_err());
}

#[wasm_bindgen_test]
fn check_transition_says_why() {
    let refused = |from: &str, to: &str, mode: &str| {
        let r = check_transition(from.into(), to.into(), options(Some(mode))).unwrap();
        let r = r.js_value();
        assert_eq!(get(&r, "ok").as_bool(), Some(false));
        (
            get(&r, "code").as_string().unwrap(),
            get(&r, "message").as_string().unwrap(),
        )
    };
    let (code, message) = refused("queued", "cancelled", "observed");
    assert_eq!(code, "skips_status");
    assert!(
        message.contains("'cancelled' is reachable only from 'running'"),
        "{message}"
    );
    let (code, message) = refused("success", "queued", "strict");
    assert_eq!(code, "from_terminal");
    assert!(message.contains("a retry creates a new call"), "{message}");
    assert_eq!(refused("running", "queued", "observed").0, "goes_back");
    assert_eq!(refused("queued", "queued", "observed").0, "unchanged");
    assert_eq!(
        refused("running", "timeout", "strict").0,
        "undeclared_status"
    );
    assert_eq!(refused("queued", "Running", "observed").0, "unknown_status");
    // Not a string at all: a TypeError, not a result.
    let err = check_transition(JsValue::NULL, "running".into(), None).unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
fn histories() {
    let history = |items: &[&str], mode: &str| {
        let arr: Array = items.iter().map(|s| JsValue::from_str(s)).collect();
        issue_list(
            validate_history(arr.into(), options(Some(mode)))
                .unwrap()
                .js_value(),
        )
    };
    assert_eq!(
        history(&["queued", "running", "success"], "strict"),
        list(&[])
    );
    assert_eq!(history(&["running", "success"], "observed"), list(&[]));
    assert_eq!(
        history(&["running", "success"], "strict"),
        list(&[("/0", "not_initial", "error")])
    );
    assert_eq!(
        history(&["queued", "running", "queued", "running"], "observed"),
        list(&[("/2", "goes_back", "error")])
    );
    assert_eq!(
        history(&["queued", "running", "timeout"], "strict"),
        list(&[("/2", "undeclared_status", "error")])
    );
    assert!(validate_history("queued".into(), None)
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
    let mixed: Array = [JsValue::from_str("queued"), JsValue::from(1)]
        .into_iter()
        .collect();
    assert!(validate_history(mixed.into(), None)
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
}

/// `{"id":…}` of a fixture's inner call, with the id replaced.
fn with_id(text: &str, from: &str, to: &str) -> String {
    text.replace(from, to)
}

#[wasm_bindgen_test]
fn call_updates_from_fixtures() {
    let queued_copy = fixture!("generated-v1-call-full-mq-async.json");
    let success = fixture!("generated-v1-call-get-success.json");
    // The stored call of the same id as the async queue copy: "" → success with every time set.
    let success_same_id = with_id(
        success,
        "01C01TC09K47WGE00000000000",
        "01C01TC09K47WGM00000000000",
    );
    let issues =
        check_call_update(queued_copy.into(), success_same_id.as_str().into(), None).unwrap();
    assert_eq!(issue_list(issues.js_value()), list(&[]));
    // Strict: the empty status of the queue copy is not a declared status.
    let issues = check_call_update(
        queued_copy.into(),
        success_same_id.as_str().into(),
        options(Some("strict")),
    )
    .unwrap();
    assert_eq!(
        issue_list(issues.js_value()),
        list(&[("/status", "undeclared_status", "error")])
    );
    // Different calls.
    let issues = check_call_update(queued_copy.into(), success.into(), None).unwrap();
    assert_eq!(
        issue_list(issues.js_value()),
        list(&[("/id", "id_changed", "error")])
    );
    // A finished call does not move back: a retry is a new call.
    let issues = check_call_update(
        success.into(),
        success.replace("\"success\"", "\"queued\"").as_str().into(),
        None,
    )
    .unwrap();
    let codes = issue_list(issues.js_value());
    assert_eq!(
        codes.first().map(|c| c.1.as_str()),
        Some("from_terminal"),
        "{codes:?}"
    );
    // Objects and bytes are accepted like parseCall takes them.
    let timeout = fixture!("generated-v1-call-get-timeout.json");
    let running = timeout.replace("\"timeout\"", "\"running\"").replace(
        "\"completed_at\":\"2017-11-28T17:22:40.011Z\"",
        "\"completed_at\":\"0001-01-01T00:00:00Z\"",
    );
    let bytes = js_sys::Uint8Array::from(timeout.as_bytes());
    let parsed = js_sys::JSON::parse(&running).unwrap();
    assert_eq!(
        issue_list(
            check_call_update(parsed.clone(), bytes.clone().into(), None)
                .unwrap()
                .js_value()
        ),
        list(&[])
    );
    assert_eq!(
        issue_list(
            check_call_update(parsed, bytes.into(), options(Some("strict")))
                .unwrap()
                .js_value()
        ),
        list(&[("/status", "undeclared_status", "error")])
    );
    // Not a call: a CallValidationError naming the argument.
    let err = check_call_update("{\"id\":1}".into(), success.into(), None).unwrap_err();
    let err: js_sys::Error = err.dyn_into().unwrap();
    assert_eq!(String::from(err.name()), "CallValidationError");
    assert!(
        String::from(err.message()).starts_with("before: "),
        "{:?}",
        err.message()
    );
    assert!(Array::is_array(&get(&err, "issues")));
    let err: js_sys::Error = check_call_update(success.into(), JsValue::UNDEFINED, None)
        .unwrap_err()
        .dyn_into()
        .unwrap();
    assert!(
        String::from(err.message()).starts_with("after: "),
        "{:?}",
        err.message()
    );
}

#[wasm_bindgen_test]
fn the_graph_is_plain_data() {
    let graph = transition_graph(None).unwrap();
    let graph = graph.js_value();
    assert_eq!(get(&graph, "mode").as_string().unwrap(), "observed");
    let nodes = Array::from(&get(&graph, "nodes"));
    assert_eq!(
        nodes
            .iter()
            .map(|n| get(&n, "status").as_string().unwrap())
            .collect::<Vec<_>>(),
        ALL
    );
    let edges = Array::from(&get(&graph, "edges"));
    assert_eq!(edges.length(), 8);
    let first = edges.get(0);
    assert!(
        get(&first, "from").is_null(),
        "a new call's edge starts at null"
    );
    assert!(Reflect::has(&first, &"from".into()).unwrap());
    let last = edges.get(7);
    assert_eq!(
        (
            get(&last, "from").as_string().unwrap(),
            get(&last, "to").as_string().unwrap()
        ),
        ("running".into(), "timeout".into())
    );
    assert_eq!(strings(get(&last, "modes")), ["observed"]);
    assert_eq!(strings(get(&first, "modes")), ["observed", "strict"]);

    let strict = transition_graph(options(Some("strict"))).unwrap();
    assert_eq!(Array::from(&get(strict.js_value(), "nodes")).length(), 6);
    assert_eq!(Array::from(&get(strict.js_value(), "edges")).length(), 7);
}
