//! The bulk scanner on any bytes, fed whole and in chunks whose sizes come from the input: no panic, the same
//! result however it is cut, and the prefilter never drops a match.
#![no_main]
use fn_calls::filter::CallFilter;
use fn_calls::scan::{scan_calls, CallScanner, ScanOptions, Validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, input)) = data.split_first() else { return };
    let filter = CallFilter { app_name: "myapp".into(), ..CallFilter::default() };
    let Ok(whole) = scan_calls(input, filter.clone(), ScanOptions::default()) else { return };
    let fast = scan_calls(input, filter.clone(), ScanOptions { validate: Validate::Matches, ..ScanOptions::default() });
    assert_eq!(fast.map(|r| r.indices).unwrap_or_default(), whole.indices);
    let Ok(mut s) = CallScanner::new(filter, ScanOptions::default()) else { return };
    let size = usize::from(cut % 17) + 1;
    for chunk in input.chunks(size) {
        s.push(chunk);
    }
    assert_eq!(s.finish(), whole, "chunks of {size} changed the result");
});
