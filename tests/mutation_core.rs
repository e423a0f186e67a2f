//! Tests written for mutants of the core modules that survived the rest of the suite in the runs of
//! docs/mutation-testing.md ("Results"): each one fails on the mutant named above it and passes on the code as it
//! is. Only the crate's public API is used.

use fn_calls::error_groups::normalize_error;

// ---- error_groups.rs ------------------------------------------------------------------------------------------

/// `normalize_error`: `i > 0 && at(i - 1)…` (a quote right after a word character is an apostrophe) to `i < 0` or
/// `at(i / 1)`: every quote would open a quoted value, and `can't … 'x'` would read as one quote from `'t` to `x'`.
#[test]
fn an_apostrophe_inside_a_word_does_not_open_a_quoted_value() {
    assert_eq!(normalize_error("can't open 'config.yaml'"), "can't open '<str>'");
    assert_eq!(normalize_error("it's `x` and it's 'y'"), "it's `<str>` and it's '<str>'");
}
