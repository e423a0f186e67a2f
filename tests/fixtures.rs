//! Every payload in the shared fixtures gives the expected result, and every call the Go server wrote is written
//! back byte for byte.

use fn_calls::batch::calls_from_bytes;
use fn_calls::gojson::call_to_string;
use fn_calls::read::ReadOptions;
use fn_calls::record::{call_from_bytes, log_from_bytes};
use fn_calls::status::Mode;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn observed() -> ReadOptions {
    ReadOptions {
        mode: Mode::Observed,
    }
}

fn strict() -> ReadOptions {
    ReadOptions { mode: Mode::Strict }
}

fn codes(issues: &[fn_calls::issue::Issue]) -> Vec<&str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

/// The text of the `"call":{…}` member of a v1 envelope, exactly as the server wrote it.
fn inner_call(text: &str) -> &str {
    let start = text.find("\"call\":").unwrap() + "\"call\":".len();
    &text[start..text.len() - 1]
}

#[test]
fn go_written_single_calls_are_clean_and_round_trip() {
    for name in [
        "generated-v1-call-get-success.json",
        "generated-v1-call-get-error.json",
        "generated-v1-call-get-timeout.json",
    ] {
        let bytes = fixture(name);
        let out = call_from_bytes(&bytes, observed());
        assert_eq!(codes(&out.issues), Vec::<&str>::new(), "{name}");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            call_to_string(&out.call.unwrap()),
            inner_call(&text),
            "{name}"
        );
    }
    for name in [
        "generated-v1-call-full-mq-async.json",
        "generated-v2-fn-call-get.json",
    ] {
        let bytes = fixture(name);
        let out = call_from_bytes(&bytes, observed());
        assert_eq!(codes(&out.issues), Vec::<&str>::new(), "{name}");
        assert_eq!(
            call_to_string(&out.call.unwrap()).as_bytes(),
            &bytes[..],
            "{name}"
        );
    }
}

#[test]
fn the_queue_copy_keeps_its_quirks() {
    let out = call_from_bytes(&fixture("generated-v1-call-full-mq-async.json"), observed());
    let call = out.call.unwrap();
    assert_eq!(call.status, None);
    assert_eq!(call.priority, Some(0));
    assert!(call.started_at.is_zero() && call.completed_at.is_zero());
    assert_eq!(call.url, "http://localhost:8080/r/myapp/hello?a=1&b=2");
    assert_eq!(call.memory, 128);
}

#[test]
fn strict_mode_refuses_what_only_servers_did() {
    let out = call_from_bytes(&fixture("generated-v1-call-get-timeout.json"), strict());
    assert!(out.call.is_none());
    assert_eq!(codes(&out.issues), ["bad_status"]);
    let out = call_from_bytes(&fixture("generated-v1-call-full-mq-async.json"), strict());
    assert_eq!(codes(&out.issues), ["bad_status"]);
    let out = call_from_bytes(&fixture("generated-v1-call-get-success.json"), strict());
    assert!(out.call.is_some() && out.issues.is_empty());
}

#[test]
fn documentation_examples_parse_with_id_warnings() {
    let out = call_from_bytes(&fixture("docs-definitions-call-get.json"), observed());
    assert_eq!(codes(&out.issues), ["id_format"]);
    let call = out.call.unwrap();
    assert_eq!(call.created_at.format(), "2017-06-02T15:31:30.597+03:00");
    assert_eq!(call.duration_ms(), Some(290));

    let batch = calls_from_bytes(&fixture("docs-definitions-calls-list.json"), observed());
    assert_eq!(batch.calls.len(), 2);
    assert_eq!(codes(&batch.issues), ["id_format", "id_format"]);
    assert_eq!(batch.issues[1].index, Some(1));
    assert_eq!(batch.next_cursor, "");
}

#[test]
fn v1_list_pages() {
    let bytes = fixture("generated-v1-calls-list-page.json");
    let batch = calls_from_bytes(&bytes, observed());
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    assert_eq!(batch.next_cursor, "01C01TCYEQ47WGJ00000000000");
    let text = String::from_utf8(bytes).unwrap();
    for call in &batch.calls {
        assert!(
            text.contains(&call_to_string(call)),
            "{} not written back exactly",
            call.id
        );
    }
    for name in [
        "generated-v1-calls-list-empty-sql.json",
        "generated-v1-calls-list-empty-mock.json",
    ] {
        let batch = calls_from_bytes(&fixture(name), observed());
        assert!(batch.calls.is_empty() && batch.issues.is_empty(), "{name}");
        assert_eq!(batch.next_cursor, "");
    }
}

#[test]
fn v2_list_decodes_the_cursor_and_round_trips() {
    let bytes = fixture("generated-v2-fn-calls-list.json");
    let batch = calls_from_bytes(&bytes, observed());
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    assert_eq!(batch.next_cursor, "01CQV72ZXENG8G00GZJ000000X");
    assert_eq!(batch.calls.len(), 2);
    let text = String::from_utf8(bytes).unwrap();
    for call in &batch.calls {
        assert!(text.contains(&call_to_string(call)));
        assert_eq!(call.path, "");
        assert_eq!(call.trigger_id.as_deref(), Some(""));
    }
}

#[test]
fn logs_in_both_envelopes() {
    let (log, warnings) = log_from_bytes(&fixture("generated-v1-call-log.json")).unwrap();
    assert_eq!(log.call_id, "01C01TC09K47WGE00000000000");
    assert_eq!(log.log, "hello from stderr\n");
    assert_eq!(log.app_name, "myapp");
    assert!(warnings.is_empty());
    let (log, _) = log_from_bytes(&fixture("issue-cli430-call-log-2018-09.json")).unwrap();
    assert_eq!(log.call_id, "01CQV73V87NG8G00GZJ000000Y");
    assert!(log.log.starts_with("header: Fnproject-Stageid true 2\n"));
    assert_eq!(log.app_name, "");
}

#[test]
fn payloads_that_are_not_calls_say_so() {
    for (name, code) in [
        ("generated-v1-error-from_time.json", "server_error"),
        ("issue-fn293-sync-timeout-504.json", "server_error"),
        ("generated-async-accepted.json", "not_a_call"),
        ("issue-pr334-agent-stats-endpoint.json", "not_a_call"),
        ("generated-v1-call-log.json", "not_a_call"),
    ] {
        let out = call_from_bytes(&fixture(name), observed());
        assert!(out.call.is_none(), "{name}");
        assert!(
            codes(&out.issues).contains(&code),
            "{name}: {:?}",
            out.issues
        );
    }
    let out = call_from_bytes(&fixture("generated-v1-error-from_time.json"), observed());
    assert!(out.issues[0]
        .message
        .contains("from_time is not an epoch time"));
}
