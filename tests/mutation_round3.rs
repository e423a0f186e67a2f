//! Tests written for mutants of the core modules that survived the rest of the suite in the third round of
//! docs/mutation-testing.md ("Third round"): each one fails on the mutant named above it and passes on the code as it
//! is. Only the crate's public API is used.

use fn_calls::batch::{calls_from_bytes, calls_from_tree, CallBatch};
use fn_calls::json::parse;
use fn_calls::read::ReadOptions;
use fn_calls::status::Mode;

/// A call that every reader accepts, with its id ending in `n`.
fn call(n: u8) -> String {
    format!(
        r#"{{"id":"01C01TC09K47WGE0000000000{n}","status":"success","app_id":"01C01TC09K47WGE00000000001","fn_id":"01C01TC09K47WGE00000000002","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z","completed_at":"2017-11-28T17:21:41.002Z","app_name":"","trigger_id":""}}"#
    )
}

/// A call with one error: its `timeout` is a string.
fn bad() -> String {
    call(9).replacen('{', r#"{"timeout":"5","#, 1)
}

// ---- batch.rs -------------------------------------------------------------------------------------------------

fn from_tree(text: &str, with_offsets: bool) -> CallBatch {
    let node = parse(text.as_bytes()).unwrap();
    let mut batch = CallBatch::default();
    calls_from_tree(&node, ReadOptions::default(), with_offsets, &mut batch);
    batch
}

fn ids(batch: &CallBatch) -> Vec<&str> {
    batch.calls.iter().map(|c| c.id.as_str()).collect()
}

/// Each issue as (code, index, line, path).
fn where_(batch: &CallBatch) -> Vec<(&str, Option<u64>, Option<u64>, &str)> {
    batch
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.index, i.line, i.path.as_str()))
        .collect()
}

/// `calls_from_tree` replaced by `()`, its `Value::Array` arm deleted, `CallBatch::record` or
/// `CallBatch::push_issues` replaced by `()`: an array given as a tree (a JS array) gives its good calls, and each
/// bad one's issues with the record's index and no line.
#[test]
fn a_tree_array_gives_its_good_calls_and_each_bad_one_by_index() {
    let b = from_tree(&format!("[{},{},{}]", call(3), bad(), call(4)), false);
    assert_eq!(
        ids(&b),
        ["01C01TC09K47WGE00000000003", "01C01TC09K47WGE00000000004"]
    );
    assert_eq!(where_(&b), [("wrong_type", Some(1), None, "/timeout")]);
    assert_eq!(b.next_cursor, "");
}

/// `is_list_envelope` replaced by `true`, `(…) && matches!(…)` to `||`, or the `"calls"` test `==` to `!=`, or the
/// match guard `is_list_envelope(node)` made `true`: an object that is one call (here with `null` and array values,
/// and no `calls` or `items` key) is read as that call, not as an empty listing.
#[test]
fn a_tree_object_without_a_list_key_is_one_call() {
    let one = call(5).replacen('{', r#"{"stats":null,"headers":{"A":["b"]},"#, 1);
    let b = from_tree(&one, false);
    assert_eq!(ids(&b), ["01C01TC09K47WGE00000000005"]);
    assert!(b.issues.is_empty(), "{:?}", b.issues);
    let b = from_tree(&one.replacen('{', r#"{"stats":[],"#, 1), false);
    assert_eq!(ids(&b), ["01C01TC09K47WGE00000000005"]);
    // A bad lone call is reported as record 0.
    let b = from_tree(&bad(), false);
    assert!(b.calls.is_empty());
    assert_eq!(where_(&b), [("wrong_type", Some(0), None, "/timeout")]);
}

/// `is_list_envelope` replaced by `false`, its `||` to `&&`, either key test `==` to `!=`, the guard made `false`,
/// the `"calls" | "items"` arm or the `"next_cursor"` arm deleted, `v2`'s `==` to `!=`, `v2 && !empty` to `||`, or
/// its `!` deleted: v1 (`calls`) and v2 (`items`) listings given as trees give their calls, v1's cursor as it is and
/// v2's decoded from base64url.
#[test]
fn tree_listings_give_their_calls_and_their_cursor() {
    // v1: the cursor is the raw id, kept as it is (decoding it as base64url would fail, with a warning).
    let v1 = format!(
        r#"{{"calls":[{},{}],"next_cursor":"01C01TC09K47WGE00000000003"}}"#,
        call(3),
        bad()
    );
    let b = from_tree(&v1, false);
    assert_eq!(ids(&b), ["01C01TC09K47WGE00000000003"]);
    assert_eq!(b.next_cursor, "01C01TC09K47WGE00000000003");
    assert_eq!(where_(&b), [("wrong_type", Some(1), None, "/timeout")]);
    // v2, the list key alone and then with a cursor: base64url of the last id.
    let b = from_tree(&format!(r#"{{"items":[{}]}}"#, call(4)), false);
    assert_eq!(ids(&b), ["01C01TC09K47WGE00000000004"]);
    assert_eq!((b.next_cursor.as_str(), b.issues.len()), ("", 0));
    let v2 = format!(
        r#"{{"items":[{},{}],"next_cursor":"MDFDMDFUQzA5SzQ3V0dFMDAwMDAwMDAwMDU"}}"#,
        call(4),
        call(5)
    );
    let b = from_tree(&v2, false);
    assert_eq!(
        ids(&b),
        ["01C01TC09K47WGE00000000004", "01C01TC09K47WGE00000000005"]
    );
    assert_eq!(b.next_cursor, "01C01TC09K47WGE00000000005");
    assert!(b.issues.is_empty(), "{:?}", b.issues);
    // v2 with an empty cursor (the last page): no cursor, no warning.
    let b = from_tree(r#"{"items":[],"next_cursor":""}"#, false);
    assert_eq!((b.next_cursor.as_str(), b.issues.len()), ("", 0));
    // A v2 cursor that is not base64url of an id is kept, with a warning where it is (offsets asked for).
    let b = from_tree(r#"{"items":null,"next_cursor":"!!"}"#, true);
    assert_eq!(b.next_cursor, "!!");
    assert_eq!(where_(&b), [("bad_cursor", None, None, "/next_cursor")]);
    assert_eq!(b.issues[0].offset, Some(28));
}

/// `calls_from_bytes`: the field `mode` deleted from its scan options: the bytes of a batch are read in the mode
/// asked for (a `timeout` status is an error in the strict mode only).
#[test]
fn a_batch_of_bytes_is_read_in_the_mode_asked_for() {
    let text = format!("[{}]", call(3).replace("success", "timeout"));
    let observed = calls_from_bytes(text.as_bytes(), ReadOptions::default());
    assert_eq!(ids(&observed), ["01C01TC09K47WGE00000000003"]);
    assert!(observed.issues.is_empty(), "{:?}", observed.issues);
    let strict = calls_from_bytes(text.as_bytes(), ReadOptions { mode: Mode::Strict });
    assert!(strict.calls.is_empty());
    assert_eq!(
        where_(&strict),
        [("bad_status", Some(0), Some(1), "/status")]
    );
}

// ---- record.rs ------------------------------------------------------------------------------------------------

/// `decode_v2_cursor`: the arms of `-`, `_` and `=` deleted: a v2 cursor is read as base64url (`-` and `_` are
/// its digits 62 and 63), padded or not. A cursor of an id never has them (ids are digits and capitals), but the
/// decoder is public and a server may hand any text.
#[test]
fn a_v2_cursor_is_base64url_with_its_last_two_digits_and_optional_padding() {
    use fn_calls::record::decode_v2_cursor;
    assert_eq!(decode_v2_cursor("fn5-").as_deref(), Some("~~~"));
    assert_eq!(decode_v2_cursor("Pz8_").as_deref(), Some("???"));
    assert_eq!(decode_v2_cursor("MDE=").as_deref(), Some("01"));
    assert_eq!(decode_v2_cursor("MDE").as_deref(), Some("01"));
    // Standard base64's `+` and `/` are not base64url.
    assert_eq!(decode_v2_cursor("fn5+"), None);
    assert_eq!(decode_v2_cursor("Pz8/"), None);
    // The batch reader hands the decoded cursor on.
    let b = from_tree(r#"{"items":[],"next_cursor":"Pz8_"}"#, false);
    assert_eq!((b.next_cursor.as_str(), b.issues.len()), ("???", 0));
}

// ---- glob.rs --------------------------------------------------------------------------------------------------

/// `Segment::find_end`: `i + e` to `i * e` for a segment between stars with a `?` and more than 64 characters (the
/// one tried at each place): its end is where it starts plus its length.
#[test]
fn a_long_segment_with_a_question_mark_is_found_past_the_start_of_the_rest() {
    use fn_calls::glob::Glob;
    let seg = format!("?{}", "a".repeat(70));
    let g = Glob::compile(&format!("x*{seg}*y")).unwrap();
    let a70 = "a".repeat(70);
    assert!(g.matches(&format!("xzzb{a70}y")));
    assert!(g.matches(&format!("xzzb{a70}zzzy")));
    assert!(g.matches(&format!("xb{a70}y")));
    assert!(!g.matches(&format!("xzzb{}y", "a".repeat(69))));
    // Two long segments one after the other: the second is searched after the end of the first.
    let g = Glob::compile(&format!("*{seg}*{seg}*")).unwrap();
    assert!(g.matches(&format!("zzb{a70}zzb{a70}")));
    assert!(!g.matches(&format!("zzb{a70}")));
}

// ---- generation.rs --------------------------------------------------------------------------------------------

/// `fitting` replaced by `vec![]` or `vec![0]`, its `present & !all == 0` with `!=`, `|` or `^` for `&`, or the `!`
/// deleted; and `key_mask`'s `|` to `^` (a key named twice would cancel itself out): the generations a record fits
/// are those whose layout has every one of its keys.
#[test]
fn a_record_fits_the_generations_whose_layout_has_all_its_keys() {
    use fn_calls::generation::{fitting, key_mask, GENERATIONS};
    let seed = [
        "id",
        "status",
        "app_name",
        "path",
        "completed_at",
        "created_at",
        "started_at",
    ];
    // 0.3.205 to 0.3.388 and 0.3.529, the one release line with both `app_name` and `path` after 2017.
    assert_eq!(fitting(&seed), [0, 1, 2, 3, 8]);
    assert_eq!(
        fitting(&["id", "headers", "path"]),
        [1, 2, 3, 4, 5, 6, 7, 8]
    );
    assert_eq!(fitting(&["execution_duration"]), [12]);
    assert_eq!(fitting(&[]), (0..GENERATIONS.len()).collect::<Vec<_>>());
    // An unknown key is the reader's business, not the layout's.
    assert_eq!(fitting(&["execution_duration", "nope"]), [12]);
    // `base_env` (2017) and `config` (since 0.3.278) were never written together, however often named.
    assert_eq!(fitting(&["base_env", "config"]), Vec::<usize>::new());
    assert_eq!(
        fitting(&["base_env", "base_env", "config"]),
        Vec::<usize>::new()
    );
    assert_eq!(key_mask(&["id", "id"]), key_mask(&["id"]));
    assert_ne!(key_mask(&["id"]), 0);
}

/// `conflicts`: `skip(i + 1)` to `skip(i * 1)`: a key is never paired with itself, even one no generation has.
#[test]
fn a_key_is_not_in_conflict_with_itself() {
    use fn_calls::generation::conflicts;
    assert_eq!(conflicts(&["id", "nope"]), [("id", "nope")]);
    assert_eq!(
        conflicts(&["base_env", "config", "headers"]),
        [("base_env", "config"), ("base_env", "headers")]
    );
}

// ---- summary.rs -----------------------------------------------------------------------------------------------

/// Calls on the given paths, created the given seconds after the epoch.
fn created(calls: &[(&str, i64)]) -> Vec<fn_calls::model::Call> {
    use fn_calls::datetime::GoTime;
    calls
        .iter()
        .map(|&(path, secs)| fn_calls::model::Call {
            path: path.to_string(),
            created_at: GoTime {
                unix_secs: secs,
                nanos: 0,
                offset_secs: 0,
            },
            ..Default::default()
        })
        .collect()
}

fn summarize(
    calls: &[fn_calls::model::Call],
    group_by: Option<fn_calls::summary::GroupBy>,
    bucket_seconds: i64,
) -> Result<fn_calls::summary::CallSummary, Vec<String>> {
    use fn_calls::summary::{summarize_calls, SummaryOptions};
    let o = SummaryOptions {
        group_by,
        bucket_seconds: Some(bucket_seconds),
    };
    summarize_calls(calls, &o).map_err(|e| e.iter().map(|i| i.code.as_str().to_string()).collect())
}

/// `SummaryBuilder::add`: the bucket guard `size > 0` to `>= 0`: a builder given 0-second buckets (its options are
/// checked at `finish`) does not divide by zero, and `finish` says why.
#[test]
fn a_summary_builder_with_zero_second_buckets_refuses_them_at_the_end() {
    use fn_calls::summary::{SummaryBuilder, SummaryOptions, SummaryRow};
    let calls = created(&[("/a", 60)]);
    let mut b = SummaryBuilder::new(SummaryOptions {
        group_by: None,
        bucket_seconds: Some(0),
    });
    b.add(&SummaryRow::of(&calls[0]));
    let codes: Vec<_> = b
        .finish()
        .unwrap_err()
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(codes, ["not_positive"]);
}

/// `SummaryBuilder::add`: `n > MAX_BUCKETS` to `>=` or `==`: exactly `MAX_BUCKETS` buckets are allowed, so the
/// builder must keep their calls (dropping them early would give 10,000 empty buckets).
#[test]
fn exactly_the_most_buckets_keep_their_calls() {
    use fn_calls::summary::MAX_BUCKETS;
    let last = MAX_BUCKETS as i64 - 1;
    let s = summarize(&created(&[("/a", 0), ("/a", last)]), None, 1).unwrap();
    let buckets = s.buckets.unwrap();
    assert_eq!(buckets.len(), MAX_BUCKETS);
    assert_eq!(buckets[0].stats.count, 1);
    assert_eq!(buckets[MAX_BUCKETS - 1].stats.count, 1);
    assert_eq!(s.unbucketed, Some(0));
    // One more second is one bucket too many.
    let err = summarize(&created(&[("/a", 0), ("/a", last + 1)]), None, 1).unwrap_err();
    assert_eq!(err, ["too_many_buckets"]);
}

/// `bucket_counts`: `groups.len() + 1` to `* 1` (the total is a series too), and in `SummaryBuilder::add` `cells >
/// MAX_BUCKET_CELLS` to `>=` or `==`: exactly `MAX_BUCKET_CELLS` buckets over the total and the groups are allowed
/// and keep their calls; one group more is too many.
#[test]
fn the_cells_of_buckets_count_the_total_and_every_group() {
    use fn_calls::summary::{GroupBy, MAX_BUCKETS, MAX_BUCKET_CELLS};
    let last = MAX_BUCKETS as i64 - 1;
    let groups = MAX_BUCKET_CELLS / MAX_BUCKETS - 1; // 19 groups and the total: exactly the most cells
    let paths: Vec<String> = (0..=groups).map(|g| format!("/{g:02}")).collect();
    let mut calls: Vec<(&str, i64)> = paths.iter().take(groups).map(|p| (p.as_str(), 0)).collect();
    calls.push((paths[0].as_str(), last));
    let s = summarize(&created(&calls), Some(GroupBy::Path), 1).unwrap();
    let buckets = s.buckets.unwrap();
    assert_eq!(buckets.len(), MAX_BUCKETS);
    assert_eq!(
        (buckets[0].stats.count, buckets[MAX_BUCKETS - 1].stats.count),
        (groups as u32, 1)
    );
    let g = s.groups.unwrap();
    assert_eq!(g.len(), groups);
    assert_eq!(g[0].buckets.as_ref().unwrap()[0].stats.count, 1);
    // A twentieth group: 10,000 × 21 cells.
    calls.push((paths[groups].as_str(), 0));
    let err = summarize(&created(&calls), Some(GroupBy::Path), 1).unwrap_err();
    assert_eq!(err, ["too_many_buckets"]);
}

// ---- index.rs -------------------------------------------------------------------------------------------------

/// `CallIndex::add`: `mem.samples == 0 && cpu.samples == 0` (a row without metrics gets no slot) to `||`, or either
/// `==` to `!=`: a call with only `mem_usage` samples, or only `cpu_total` ones, keeps them in the index's summary
/// and its table row.
#[test]
fn the_index_keeps_the_metrics_of_calls_with_only_one_of_them() {
    use fn_calls::index::{CallIndex, IndexOptions};
    use fn_calls::summary::{summarize_calls, SummaryOptions};
    let stat = |m: &str| format!(r#"{{"timestamp":"2017-11-28T17:21:40Z","metrics":{{{m}}}}}"#);
    let with = |n: u8, stats: &[String]| {
        call(n).replacen('{', &format!(r#"{{"stats":[{}],"#, stats.join(",")), 1)
    };
    let lines = [
        with(
            3,
            &[stat(r#""mem_usage":1000"#), stat(r#""mem_usage":3000"#)],
        ),
        with(4, &[stat(r#""cpu_total":7"#)]),
        with(5, &[]),
        with(6, &[stat(r#""mem_usage":500,"cpu_total":9"#)]),
    ]
    .join("\n");
    let index = CallIndex::build(lines.as_bytes(), IndexOptions::default());
    assert_eq!(index.len(), 4);
    let o = SummaryOptions::default();
    let got = index.summarize(&o, None).unwrap();
    let batch = calls_from_bytes(lines.as_bytes(), ReadOptions::default());
    assert_eq!(got, summarize_calls(&batch.calls, &o).unwrap());
    let mem = got.total.mem_usage.unwrap();
    let cpu = got.total.cpu_total.unwrap();
    assert_eq!((mem.samples, mem.peak), (3, 3000));
    assert_eq!((cpu.samples, cpu.peak), (2, 9));
    // Each call on its own.
    let one = |p: u32| index.summarize(&o, Some(&[p])).unwrap().total;
    let by_id: Vec<u32> = (0..4)
        .map(|n| {
            (0..4u32)
                .find(|&p| index.record_of(p as usize) == Some(n))
                .unwrap()
        })
        .collect();
    assert_eq!(one(by_id[0]).mem_usage.map(|m| m.samples), Some(2));
    assert_eq!(one(by_id[1]).cpu_total.map(|m| m.samples), Some(1));
    assert_eq!(one(by_id[1]).mem_usage, None);
    assert_eq!(one(by_id[2]).mem_usage, None);
    // `write_rows`: `m.samples > 0` to `>=`: the table's `mem_peak` is null without `mem_usage` samples, even when
    // the call has `cpu_total` ones.
    let peak = |p: u32| {
        let mut out = String::new();
        index.write_rows([p as usize].into_iter(), &mut out);
        let at = out.find(r#""mem_peak":"#).unwrap();
        out[at..].to_string()
    };
    assert_eq!(peak(by_id[0]), r#""mem_peak":"3000"}]"#);
    assert_eq!(peak(by_id[1]), r#""mem_peak":null}]"#);
    assert_eq!(peak(by_id[2]), r#""mem_peak":null}]"#);
    assert_eq!(peak(by_id[3]), r#""mem_peak":"500"}]"#);
}

/// `CallIndex::is_empty` replaced by `true` or `false`, and `CallIndex::mode` by the default mode: an index says
/// whether it has rows, and the mode it was read in.
#[test]
fn an_index_says_whether_it_has_rows_and_its_mode() {
    use fn_calls::index::{CallIndex, IndexOptions};
    let strict = IndexOptions {
        mode: Mode::Strict,
        ..IndexOptions::default()
    };
    let empty = CallIndex::build(b"", strict);
    assert!(empty.is_empty());
    assert_eq!(empty.mode(), Mode::Strict);
    let one = CallIndex::build(call(3).as_bytes(), IndexOptions::default());
    assert!(!one.is_empty());
    assert_eq!(one.mode(), Mode::Observed);
    // Only bad records: no rows, one issue.
    let bad = CallIndex::build(bad().as_bytes(), IndexOptions::default());
    assert!(bad.is_empty());
    assert_eq!((bad.records(), bad.issues().len()), (1, 1));
}

/// `CallIndex::filter`: the `!` of `!f.path.is_empty()`, `!f.fn_id…`, `!f.image…` or `!f.error…` deleted (the
/// condition would be skipped when given), and `f.format.is_none() || …` to `&&` (a `format` condition would match
/// nothing); and in `Matcher::has_time_conditions` an `||` to `&&` (`created_since` alone would not count): the index
/// filters by each of them (and by method and type) as `filter_calls` does.
#[test]
fn the_index_filters_by_path_fn_image_error_format_method_and_type() {
    use fn_calls::filter::{filter_calls, CallFilter};
    use fn_calls::index::{CallIndex, IndexOptions};
    use fn_calls::status::{CallFormat, CallType};
    let fields = [
        (
            3,
            r#""path":"/a","image":"img:1","method":"GET","type":"sync","format":"http","error":"boom""#,
        ),
        (
            4,
            r#""path":"/b","image":"img:2","method":"POST","type":"async","format":"json","error":"boom!""#,
        ),
        (
            5,
            r#""path":"/a","image":"img:2","method":"POST","type":"sync","format":"json","error":"boom""#,
        ),
        (
            6,
            r#""path":"/b","image":"img:1","method":"GET","type":"async""#,
        ),
    ];
    let mut lines: Vec<String> = fields
        .iter()
        .map(|&(n, f)| call(n).replacen('{', &format!("{{{f},"), 1))
        .collect();
    // The fourth call has its own fn_id.
    lines[3] = lines[3].replace("00000000002", "00000000007");
    let lines = lines.join("\n");
    let index = CallIndex::build(lines.as_bytes(), IndexOptions::default());
    assert!(index.issues().is_empty(), "{:?}", index.issues());
    let calls = calls_from_bytes(lines.as_bytes(), ReadOptions::default()).calls;
    let ids = |f: CallFilter| -> (Vec<String>, Vec<String>) {
        let f = CallFilter { all: true, ..f };
        let page = index.filter(&f).unwrap();
        // Every record is good, so record k is calls[k].
        let got = page
            .positions
            .iter()
            .map(|&p| calls[index.record_of(p as usize).unwrap()].id.clone())
            .collect();
        let want = filter_calls(&calls, &f)
            .unwrap()
            .calls
            .iter()
            .map(|c| c.id.clone())
            .collect();
        (got, want)
    };
    let id = |n: u8| format!("01C01TC09K47WGE0000000000{n}");
    for (f, want) in [
        (
            CallFilter {
                path: "/a".into(),
                ..Default::default()
            },
            vec![id(5), id(3)],
        ),
        (
            CallFilter {
                image: "img:1".into(),
                ..Default::default()
            },
            vec![id(6), id(3)],
        ),
        (
            CallFilter {
                method: "POST".into(),
                ..Default::default()
            },
            vec![id(5), id(4)],
        ),
        (
            CallFilter {
                fn_id: "01C01TC09K47WGE00000000007".into(),
                ..Default::default()
            },
            vec![id(6)],
        ),
        (
            CallFilter {
                format: Some(CallFormat::Json),
                ..Default::default()
            },
            vec![id(5), id(4)],
        ),
        (
            CallFilter {
                error: "boom".into(),
                ..Default::default()
            },
            vec![id(5), id(3)],
        ),
        (
            CallFilter {
                created_since: "2018-01-01T00:00:00Z".into(),
                ..Default::default()
            },
            vec![],
        ),
        (
            CallFilter {
                call_type: Some(CallType::Async),
                ..Default::default()
            },
            vec![id(6), id(4)],
        ),
    ] {
        let (got, from_calls) = ids(f.clone());
        assert_eq!(from_calls, want, "{f:?}");
        assert_eq!(got, want, "{f:?}");
    }
}

// ---- error_groups.rs ------------------------------------------------------------------------------------------

/// `normalize_error`: the search for the closing quote from `i + 1` to from `i - 1` or `i * 1` (the opening quote
/// would close itself), and `!at(j + 1)…` to `at(j * 1)` (a quote followed by a word character, an apostrophe,
/// would close the value): a quoted value, empty or holding an apostrophe or a space, becomes one `<str>`.
#[test]
fn a_quoted_value_ends_at_its_closing_quote() {
    use fn_calls::error_groups::normalize_error;
    assert_eq!(
        normalize_error(r#"empty: "" here"#),
        r#"empty: "<str>" here"#
    );
    assert_eq!(normalize_error(r#"say " hello" now"#), r#"say "<str>" now"#);
    assert_eq!(normalize_error("'don't go' now"), "'<str>' now");
    assert_eq!(normalize_error("`a`b` c"), "`<str>` c");
}

/// `normalize_error`: `!ascii_alnum_at(i + 36)` to `i * 36` (a UUID at the very start would not be one); in the
/// decimal part, `at(i) == Some('.') && digit_at(i + 1)` to `||` (a space or a dash and a number would be swallowed
/// as decimals) or `digit_at(i - 1)` (a full stop after a number would be).
#[test]
fn a_uuid_at_the_start_and_the_characters_around_numbers_are_kept_apart() {
    use fn_calls::error_groups::normalize_error;
    assert_eq!(
        normalize_error("0123abcd-0000-1111-2222-333344445555 failed"),
        "<id> failed"
    );
    assert_eq!(normalize_error("exit 1 2"), "exit <num> <num>");
    assert_eq!(normalize_error("range 1-2"), "range <num>-<num>");
    assert_eq!(normalize_error("exit 1."), "exit <num>.");
    assert_eq!(normalize_error("exit 1.-"), "exit <num>.-");
    assert_eq!(normalize_error("took 1.5 s"), "took <num> s");
}

/// `classify`: `!t.is_empty() && all hex digits` to `||` (`0x` alone, or `0x` and letters, would be hex); and
/// `is_crockford` replaced by `true` or `false`, its `||` to `&&`, its `&&` to `||` or its `!` deleted: a word of
/// 26 upper-case Crockford characters is an id, the same in lower case is hex.
#[test]
fn hex_needs_digits_after_0x_and_an_id_is_upper_case_crockford() {
    use fn_calls::error_groups::normalize_error;
    assert_eq!(normalize_error("at 0x1F"), "at <hex>");
    assert_eq!(normalize_error("at 0x"), "at <num>x");
    assert_eq!(normalize_error("at 0xZZ"), "at <num>xZZ");
    assert_eq!(
        normalize_error("call 0123456789ABCDEF0123456789"),
        "call <id>"
    );
    assert_eq!(
        normalize_error("call 01C01TC09K47WGE00000000000"),
        "call <id>"
    );
    assert_eq!(
        normalize_error("call 0123456789abcdef0123456789"),
        "call <hex>"
    );
}

/// `bump`: `*n += 1` to `*= 1` (every text and path would count once): a group's example is its most frequent error
/// text and its paths come most frequent first, not first seen.
#[test]
fn a_group_names_its_most_frequent_text_and_path_first() {
    use fn_calls::datetime::GoTime;
    use fn_calls::error_groups::group_errors;
    let t = GoTime::ZERO;
    let groups = group_errors([
        ("exit 1", "/a", t, 0),
        ("exit 2", "/b", t, 1),
        ("exit 2", "/b", t, 2),
    ]);
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        (g.key.as_str(), g.example.as_str()),
        ("exit <num>", "exit 2")
    );
    assert_eq!((g.count, g.messages), (3, 2));
    assert_eq!(g.paths, ["/b", "/a"]);
    assert_eq!(g.positions, [0, 1, 2]);
}

// ---- filter.rs ------------------------------------------------------------------------------------------------

/// `CallFilter::has_extensions` replaced by `true` or `false`, or an `||` to `&&`: each extension field alone makes
/// a filter one the server would not apply in full; the server's own fields do not.
#[test]
fn each_extension_field_alone_is_an_extension() {
    use fn_calls::filter::CallFilter;
    use fn_calls::status::{CallFormat, CallStatus, CallType};
    let d = CallFilter::default;
    assert!(!d().has_extensions());
    let server = CallFilter {
        app_name: "a".into(),
        fn_id: "f".into(),
        path: "/p".into(),
        from_time: Some(1),
        to_time: Some(2),
        cursor: "c".into(),
        per_page: Some(5),
        ..d()
    };
    assert!(!server.has_extensions());
    let each = [
        CallFilter {
            status: vec![Some(CallStatus::Error)],
            ..d()
        },
        CallFilter {
            error: "e".into(),
            ..d()
        },
        CallFilter {
            error_contains: "e".into(),
            ..d()
        },
        CallFilter {
            error_pattern: "e*".into(),
            ..d()
        },
        CallFilter {
            error_ignore_case: true,
            ..d()
        },
        CallFilter {
            error_group: "e <num>".into(),
            ..d()
        },
        CallFilter {
            call_type: Some(CallType::Sync),
            ..d()
        },
        CallFilter {
            format: Some(CallFormat::Http),
            ..d()
        },
        CallFilter {
            image: "i".into(),
            ..d()
        },
        CallFilter {
            method: "GET".into(),
            ..d()
        },
        CallFilter {
            min_duration_ms: Some(0),
            ..d()
        },
        CallFilter {
            max_duration_ms: Some(0),
            ..d()
        },
        CallFilter {
            created_since: "2017-01-01T00:00:00Z".into(),
            ..d()
        },
        CallFilter {
            created_before: "2017-01-01T00:00:00Z".into(),
            ..d()
        },
        CallFilter { all: true, ..d() },
    ];
    for f in each {
        assert!(f.has_extensions(), "{f:?}");
    }
}

/// `compile`: the guard `n > MAX_PER_PAGE` made `true` or `>=`: a `per_page` from 1 to 100 is used as it is, with no
/// warning; only above 100 is it clamped.
#[test]
fn per_page_up_to_the_maximum_is_used_without_a_warning() {
    use fn_calls::filter::{compile, CallFilter};
    let warnings = |n: i64| -> Vec<String> {
        let f = CallFilter {
            per_page: Some(n),
            ..CallFilter::default()
        };
        assert_eq!(f.page_size(), n.clamp(1, 100) as usize);
        match compile(&f) {
            Ok((_, w)) => w.iter().map(|i| i.code.as_str().to_string()).collect(),
            Err(e) => panic!("{e:?}"),
        }
    };
    assert!(warnings(1).is_empty());
    assert!(warnings(50).is_empty());
    assert!(warnings(100).is_empty());
    assert_eq!(warnings(101), ["per_page_clamped"]);
}

/// `Matcher::error_ok`: `e == self.error_lower` to `!=`: `error` with `error_ignore_case` is the whole text in any
/// case, not any other text.
#[test]
fn an_exact_error_ignoring_case_matches_the_same_text_in_any_case_only() {
    use fn_calls::filter::{filter_calls, CallFilter};
    let lines: Vec<String> = [(3, "boom"), (4, "BOOM"), (5, "boom!"), (6, "bang")]
        .iter()
        .map(|&(n, e)| call(n).replacen('{', &format!(r#"{{"error":"{e}","#), 1))
        .collect();
    let calls = calls_from_bytes(lines.join("\n").as_bytes(), ReadOptions::default()).calls;
    assert_eq!(calls.len(), 4);
    let f = CallFilter {
        error: "Boom".into(),
        error_ignore_case: true,
        all: true,
        ..CallFilter::default()
    };
    let errors: Vec<String> = filter_calls(&calls, &f)
        .unwrap()
        .calls
        .iter()
        .map(|c| c.error.clone())
        .collect();
    assert_eq!(errors, ["BOOM", "boom"]);
}

/// `filter_calls_as` on v2: the `!` deleted in `!value.is_empty()` (an empty `path` would be refused and a given one
/// let through), in `!f.cursor.is_empty()` (the cursor would not be decoded) and in `!errors.is_empty()` (the
/// refusals would be dropped): v2 refuses `path` and `app_name`, and reads its cursor as base64url of an id.
#[test]
fn a_v2_listing_refuses_path_and_app_name_and_decodes_its_cursor() {
    use fn_calls::filter::{filter_calls_as, Api, CallFilter, Listing};
    let lines = [call(3), call(4), call(5)].join("\n");
    let calls = calls_from_bytes(lines.as_bytes(), ReadOptions::default()).calls;
    let v2 = Listing {
        api: Api::V2,
        zone_offset_secs: 0,
    };
    let ids = |f: &CallFilter| -> Vec<String> {
        filter_calls_as(&calls, f, v2)
            .unwrap()
            .calls
            .iter()
            .map(|c| c.id.clone())
            .collect()
    };
    assert_eq!(ids(&CallFilter::default()).len(), 3);
    // base64url of 01C01TC09K47WGE00000000005: only the ids below it.
    let below_5 = CallFilter {
        cursor: "MDFDMDFUQzA5SzQ3V0dFMDAwMDAwMDAwMDU".into(),
        ..CallFilter::default()
    };
    assert_eq!(
        ids(&below_5),
        ["01C01TC09K47WGE00000000004", "01C01TC09K47WGE00000000003"]
    );
    for (f, path) in [
        (
            CallFilter {
                path: "/a".into(),
                ..CallFilter::default()
            },
            "/path",
        ),
        (
            CallFilter {
                app_name: "app".into(),
                ..CallFilter::default()
            },
            "/app_name",
        ),
    ] {
        let err = filter_calls_as(&calls, &f, v2).unwrap_err();
        let got: Vec<_> = err
            .iter()
            .map(|i| (i.code.as_str(), i.path.as_str()))
            .collect();
        assert_eq!(got, [("not_in_v2", path)]);
    }
}
