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
