//! Any bytes through every reader: no panic, and the fast lane agrees with the full reader whenever it answers
//! (issues, the fields filters test, and the metric totals the index keeps).
#![no_main]
use fn_calls::batch::calls_from_bytes;
use fn_calls::record::{call_from_bytes, log_from_bytes};
use fn_calls::fast_read::{read_clean_row, validate_clean};
use fn_calls::read::ReadOptions;
use fn_calls::status::Mode;
use fn_calls::view::Row;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mode in [Mode::Observed, Mode::Strict] {
        let full = call_from_bytes(data, ReadOptions { mode });
        if let Some(issues) = validate_clean(data, mode) {
            assert!(full.call.is_some(), "the fast lane called a record with errors clean");
            assert_eq!(issues, full.issues, "the fast lane reported different issues");
        }
        if let Some(row) = read_clean_row(data, mode) {
            let call = full.call.as_ref().expect("the fast lane read a record with errors");
            assert_eq!(row, Row::of(call), "the fast lane read different fields or metric totals");
        }
    }
    let _ = calls_from_bytes(data, ReadOptions::default());
    let _ = log_from_bytes(data);
});
