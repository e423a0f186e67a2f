//! The readers behind the JavaScript boundary's fast paths: `batch::kept_from_bytes` (each call as its place in the
//! input where `JSON.parse` of it gives its `Call` object), `batch::rows_from_bytes` (the rows filters and summaries
//! read) and `batch::utf16_offsets`. Each must answer as `batch::calls_from_bytes`, the full reading, does.

use fn_calls::batch::{calls_from_bytes, kept_from_bytes, rows_from_bytes, utf16_offsets};
use fn_calls::issue::Issue;
use fn_calls::read::ReadOptions;
use fn_calls::record::call_from_bytes;
use fn_calls::scan::Kept;
use fn_calls::view::Row;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The calls of a list page fixture, each record's text as the server wrote it.
fn records() -> Vec<String> {
    let page = fixture("generated-v1-calls-list-page.json");
    let calls = calls_from_bytes(page.as_bytes(), ReadOptions::default()).calls;
    assert!(calls.len() >= 2, "{}", calls.len());
    calls.iter().map(fn_calls::gojson::call_to_string).collect()
}

/// Every kept call is the call the full reading gives, in the same order.
fn check_kept(input: &str) -> Vec<Kept> {
    let full = calls_from_bytes(input.as_bytes(), ReadOptions::default());
    let kept = kept_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(kept.issues, full.issues, "{input}");
    assert_eq!(kept.next_cursor, full.next_cursor);
    assert_eq!(kept.kept.len(), full.calls.len(), "{input}");
    for (k, call) in kept.kept.iter().zip(&full.calls) {
        match k {
            Kept::Verbatim { start, end } => {
                let record = &input.as_bytes()[*start as usize..*end as usize];
                assert_eq!(
                    call_from_bytes(record, ReadOptions::default())
                        .call
                        .as_ref(),
                    Some(call)
                );
            }
            Kept::Text(text) => {
                // the record with its numbers past 2^53 in quotes
                assert!(text.contains("\"9223372036854771712\""), "{text}");
                let unquoted = text.replace("\"9223372036854771712\"", "9223372036854771712");
                assert_eq!(
                    call_from_bytes(unquoted.as_bytes(), ReadOptions::default())
                        .call
                        .as_ref(),
                    Some(call)
                );
            }
            Kept::Call(c) => assert_eq!(c.as_ref(), call),
        }
    }
    kept.kept
}

#[test]
fn an_array_of_go_written_calls_is_read_whole_by_json_parse() {
    let records = records();
    let array = format!("[{}]", records.join(","));
    let kept = kept_from_bytes(array.as_bytes(), ReadOptions::default());
    assert!(kept.whole, "only Go-written calls, no error");
    assert!(kept.kept.iter().all(|k| matches!(k, Kept::Verbatim { .. })));
    check_kept(&array);
    // the same calls in other forms, or with anything else in the array, are read call by call
    for other in [
        records.join("\n"),
        format!(r#"{{"message":"m","next_cursor":"","calls":{array}}}"#),
        format!("[{},5]", records.join(",")),
        format!(
            "[{},{}]",
            records.join(","),
            records[0].replace("\"status\":\"", "\"status\":\"x")
        ),
        format!(
            "[{}]",
            records
                .iter()
                .map(|r| r.replace(":\"", ": \""))
                .collect::<Vec<_>>()
                .join(",")
        ),
    ] {
        let kept = kept_from_bytes(other.as_bytes(), ReadOptions::default());
        let spaced = other.contains(": \"");
        assert_eq!(kept.whole, spaced, "{other}");
        check_kept(&other);
    }
    // a call the fast lane leaves to the full reader, and one with a number past 2^53
    let odd = records[0].replace("\"app_name\":\"", "\"app_name\":\"\\ud83d\\ude00");
    let big = records[0].replace(
        "\"}",
        "\",\"stats\":[{\"timestamp\":\"2017-11-28T17:21:39.900Z\",\"metrics\":{\"mem_limit\":9223372036854771712}}]}",
    );
    assert_ne!(big, records[0]);
    let array = format!("[{},{odd},{big}]", records[1]);
    let kept = check_kept(&array);
    assert!(matches!(kept[0], Kept::Verbatim { .. }));
    assert!(matches!(kept[1], Kept::Call(_)), "{:?}", kept[1]);
    assert!(matches!(kept[2], Kept::Text(_)), "{:?}", kept[2]);
    assert!(!kept_from_bytes(array.as_bytes(), ReadOptions::default()).whole);
}

#[test]
fn rows_are_the_rows_of_the_calls_and_only_errors_are_kept() {
    let records = records();
    let bad = records[0].replace("\"status\":\"", "\"status\":\"x");
    // the documentation's example call has warnings (its id is not an Fn id)
    let warned = fixture("docs-definitions-call-get.json").replace('\n', "");
    let input = format!("{}\n{bad}\n{warned}\n{}\n", records[0], records[1]);
    let full = calls_from_bytes(input.as_bytes(), ReadOptions::default());
    let rows = rows_from_bytes(input.as_bytes(), ReadOptions::default());
    let errors: Vec<Issue> = full
        .issues
        .iter()
        .filter(|i| i.is_error())
        .cloned()
        .collect();
    assert!(
        !errors.is_empty() && errors.len() < full.issues.len(),
        "{:?}",
        full.issues
    );
    assert_eq!(rows.issues, errors);
    assert_eq!(rows.rows.len(), full.calls.len());
    for (row, call) in rows.rows.iter().zip(&full.calls) {
        assert_eq!(row, &Row::of(call));
    }
    assert_eq!(
        rows.kept,
        kept_from_bytes(input.as_bytes(), ReadOptions::default()).kept
    );
    let envelope = format!(
        r#"{{"message":"m","next_cursor":"01C01TC09K47WGE00000000000","calls":[{}]}}"#,
        records[1]
    );
    assert_eq!(
        rows_from_bytes(envelope.as_bytes(), ReadOptions::default()).next_cursor,
        "01C01TC09K47WGE00000000000"
    );
}

#[test]
fn utf16_offsets_count_as_javascript_does() {
    let text = "a€b😀c\u{7ff}d\u{10000}e";
    let mut byte_offsets: Vec<u64> = text
        .char_indices()
        .map(|(i, _)| i as u64)
        .chain([text.len() as u64])
        .collect();
    let want: Vec<u64> = byte_offsets
        .iter()
        .map(|&b| text[..b as usize].encode_utf16().count() as u64)
        .collect();
    utf16_offsets(text.as_bytes(), &mut byte_offsets);
    assert_eq!(byte_offsets, want);
    // repeated offsets (the boundary's marks for calls built elsewhere) stay repeated
    let mut repeated = vec![1, 1, 4, 4, 9];
    utf16_offsets(text.as_bytes(), &mut repeated);
    assert_eq!(repeated, [1, 1, 2, 2, 5]);
}

#[test]
fn every_reader_of_a_batch_reads_in_the_mode_given() {
    use fn_calls::status::Mode;
    // "timeout" is what real servers write (observed); the model as declared does not have it (strict)
    let input = records().join("\n");
    assert!(input.contains("\"status\":\"timeout\""));
    let strict = ReadOptions { mode: Mode::Strict };
    let full = calls_from_bytes(input.as_bytes(), strict);
    assert!(
        full.issues
            .iter()
            .any(|i| i.is_error() && i.path == "/status"),
        "{:?}",
        full.issues
    );
    assert_eq!(
        kept_from_bytes(input.as_bytes(), strict).issues,
        full.issues
    );
    assert_eq!(
        kept_from_bytes(input.as_bytes(), strict).kept.len(),
        full.calls.len()
    );
    assert_eq!(
        rows_from_bytes(input.as_bytes(), strict).rows.len(),
        full.calls.len()
    );
    assert!(
        full.calls.len()
            < calls_from_bytes(input.as_bytes(), ReadOptions::default())
                .calls
                .len()
    );
}

#[test]
fn a_whole_input_with_a_byte_order_mark_is_refused_by_every_reader() {
    let input = format!("\u{feff}[{}]", records()[0]);
    let full = calls_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(full.issues.len(), 1);
    assert_eq!(full.issues[0].code.as_str(), "json_bom");
    assert!(full.calls.is_empty());
    let kept = kept_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!(
        (kept.issues, kept.kept.len(), kept.whole),
        (full.issues.clone(), 0, false)
    );
    let rows = rows_from_bytes(input.as_bytes(), ReadOptions::default());
    assert_eq!((rows.issues, rows.rows.len()), (full.issues, 0));
}
