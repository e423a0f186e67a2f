//! Reading option objects (a filter, summary options) from a parsed JSON tree: the typed reads every such reader
//! shares, each adding an error issue, with a JSON Pointer, for a value it cannot use.

use crate::issue::{Issue, IssueCode, Severity};
use crate::json::{Node, Value};

/// `Number.MAX_SAFE_INTEGER`: integers in options given from JavaScript must stay within ±this.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// Records an issue and gives the default value, so a read can fail in one expression.
pub trait PushAndDefault {
    fn push_and_default<T: Default>(&mut self, issue: Issue) -> T;
}

impl PushAndDefault for Vec<Issue> {
    fn push_and_default<T: Default>(&mut self, issue: Issue) -> T {
        self.push(issue);
        T::default()
    }
}

pub fn wrong_type(path: &str, expected: &str, found: &Value) -> Issue {
    Issue::new(
        Severity::Error,
        IssueCode::WrongType,
        path,
        format!("expected {expected}, found {}", found.type_name()),
    )
}

/// An unknown key, with a suggestion when it is a known one spelt differently (`appName`, `App_Name`).
pub fn unknown_field(key: &str, path: &str, known: &[&str], what: &str) -> Issue {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let hint = match known.iter().find(|k| norm(k) == norm(key)) {
        Some(k) => format!("; did you mean '{k}'?"),
        None => format!("; known keys: {}", known.join(", ")),
    };
    Issue::new(
        Severity::Error,
        IssueCode::UnknownField,
        path,
        format!("'{key}' is not a {what} key{hint}"),
    )
}

pub fn read_string(v: &Node, path: &str, issues: &mut Vec<Issue>) -> Option<String> {
    match &v.value {
        Value::String(s) => Some(s.text.to_string()),
        other => issues.push_and_default(wrong_type(path, "a string", other)),
    }
}

/// An integer within JavaScript's safe range (a JSON number with no fraction or exponent).
pub fn read_int(v: &Node, path: &str, issues: &mut Vec<Issue>) -> Option<i64> {
    let Value::Number(text) = &v.value else {
        return issues.push_and_default(wrong_type(path, "an integer", &v.value));
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return issues.push_and_default(Issue::new(
            Severity::Error,
            IssueCode::NotInteger,
            path,
            format!("{text} is not an integer"),
        ));
    }
    match text.parse::<i64>() {
        Ok(n) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) => Some(n),
        _ => issues.push_and_default(Issue::new(
            Severity::Error,
            IssueCode::UnsafeInteger,
            path,
            format!("{text} is outside ±(2^53 − 1), where JavaScript numbers stop being exact"),
        )),
    }
}
