//! Error groups: the error texts of calls that differ only in the values written into them (an exit code, a call
//! id, a container hash, a quoted name) read as one message, so one cause is one group. The dashboard's Top errors
//! panel and its `error_group` filter come from here (`CallIndex::error_groups`, `CallFilter::error_group`).
//!
//! [`normalize_error`] replaces, left to right:
//!
//! - a quoted value (`"…"`, `'…'` or `` `…` ``, the quote not inside a word, so `can't` stays) by `"<str>"`, keeping
//!   the quote characters;
//! - a UUID (`8-4-4-4-12` hex digits) and a 26-character call id (Crockford base32, with a digit) by `<id>`;
//! - `0x` and hex digits, and a run of 8 or more hex digits holding a digit, by `<hex>`;
//! - a number (digits, with a decimal part) by `<num>`; a number with a short unit glued to it (`30s`, `6MB`, `512KiB`,
//!   three letters at most) by `<num>` and the unit;
//! - any other word of 16 or more letters and digits holding both (a random token) by `<id>`;
//!
//! and writes every run of white space as one space, trimmed. Case is kept: `Timed out` and `timed out` are two
//! messages.

use crate::datetime::GoTime;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The message of an error text with its values replaced by placeholders (see the module's documentation).
pub fn normalize_error(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let ascii_alnum_at = |i: usize| at(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let digit_at = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = at(i) {
        let after_word = i > 0 && at(i - 1).is_some_and(word);
        if c.is_whitespace() {
            while at(i).is_some_and(char::is_whitespace) {
                i += 1;
            }
            if !out.is_empty() && i < chars.len() {
                out.push(' ');
            }
            continue;
        }
        if matches!(c, '"' | '\'' | '`') && !after_word {
            // the closing quote: the same character, not followed by a word character
            let close =
                (i + 1..chars.len()).find(|&j| at(j) == Some(c) && !at(j + 1).is_some_and(word));
            if let Some(j) = close {
                out.push(c);
                out.push_str("<str>");
                out.push(c);
                i = j + 1;
                continue;
            }
        }
        if c.is_ascii_alphanumeric() && !(i > 0 && ascii_alnum_at(i - 1)) {
            if is_uuid(chars.get(i..).unwrap_or_default()) && !ascii_alnum_at(i + 36) {
                out.push_str("<id>");
                i += 36;
                continue;
            }
            let start = i;
            while ascii_alnum_at(i) {
                i += 1;
            }
            let token: String = chars.get(start..i).unwrap_or_default().iter().collect();
            if token.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str("<num>");
                // a decimal part: 1.5, and a version's further parts
                while at(i) == Some('.') && digit_at(i + 1) {
                    let mut j = i + 1;
                    while digit_at(j) {
                        j += 1;
                    }
                    if at(j).is_some_and(|n| n.is_ascii_alphabetic()) {
                        break;
                    }
                    i = j;
                }
                continue;
            }
            out.push_str(&classify(&token));
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A word of ASCII letters and digits (not all digits) with its placeholder, or itself.
fn classify(token: &str) -> String {
    let b = token.as_bytes();
    let has_digit = b.iter().any(u8::is_ascii_digit);
    let has_alpha = b.iter().any(u8::is_ascii_alphabetic);
    let hex_tail = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))
        .filter(|t| !t.is_empty() && t.bytes().all(|c| c.is_ascii_hexdigit()));
    if hex_tail.is_some() {
        return "<hex>".into();
    }
    if b.len() == 26 && has_digit && b.iter().all(|c| is_crockford(*c)) {
        return "<id>".into();
    }
    if b.len() >= 8 && has_digit && b.iter().all(u8::is_ascii_hexdigit) {
        return "<hex>".into();
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let unit = token.get(digits..).unwrap_or_default();
    if digits > 0 && unit.len() <= 3 && unit.bytes().all(|c| c.is_ascii_alphabetic()) {
        return format!("<num>{unit}");
    }
    if b.len() >= 16 && has_digit && has_alpha {
        return "<id>".into();
    }
    token.to_string()
}

/// Upper-case Crockford base32, the alphabet of call ids (no I, L, O, U).
fn is_crockford(c: u8) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, b'I' | b'L' | b'O' | b'U'))
}

fn is_uuid(chars: &[char]) -> bool {
    const DASHES: [usize; 4] = [8, 13, 18, 23];
    chars.len() >= 36
        && chars.iter().take(36).enumerate().all(|(k, c)| {
            if DASHES.contains(&k) {
                *c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// One group: every call whose error text normalises to `key`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorGroup {
    /// The normalised message ([`normalize_error`]).
    pub key: String,
    /// The group's most frequent error text (the first seen among equals).
    pub example: String,
    /// Calls in the group.
    pub count: u32,
    /// Distinct error texts in the group.
    pub messages: u32,
    /// The earliest and latest `created_at` of its calls (unset times aside), as Go writes them.
    pub first_created_at: Option<String>,
    pub last_created_at: Option<String>,
    /// The paths of its calls, the most frequent first.
    pub paths: Vec<String>,
    /// The positions of its calls, in the order they were added.
    pub positions: Vec<u32>,
}

#[derive(Default)]
struct Acc {
    key: String,
    count: u32,
    texts: Vec<(String, u32)>,
    first: Option<GoTime>,
    last: Option<GoTime>,
    paths: Vec<(String, u32)>,
    positions: Vec<u32>,
}

fn bump(list: &mut Vec<(String, u32)>, s: &str) {
    match list.iter_mut().find(|(t, _)| t == s) {
        Some((_, n)) => *n += 1,
        None => list.push((s.to_string(), 1)),
    }
}

/// The most frequent first, the first seen among equals.
fn by_count(list: Vec<(String, u32)>) -> Vec<String> {
    // Each entry goes after every entry counted at least as often, so equal counts keep first-seen order. Insertion
    // rather than a library sort: `bump` already builds the list in time quadratic in its length, and a stable sort
    // instantiated for these pairs would be 4 KB of the wasm module.
    let mut sorted: Vec<(String, u32)> = Vec::with_capacity(list.len());
    for item in list {
        let at = sorted.partition_point(|t| t.1 >= item.1);
        sorted.insert(at, item);
    }
    sorted.into_iter().map(|(s, _)| s).collect()
}

/// Collects calls into error groups. Calls without an error text are not added.
#[derive(Default)]
pub struct ErrorGrouper {
    groups: Vec<Acc>,
    slot: HashMap<String, usize>,
}

impl ErrorGrouper {
    pub fn new() -> ErrorGrouper {
        ErrorGrouper::default()
    }

    /// One call: its error text, the key of that text (`normalize_error(error)`, which a caller may have kept from
    /// an earlier call with the same text), its path, `created_at` and position.
    pub fn add(&mut self, error: &str, key: &str, path: &str, created: &GoTime, position: u32) {
        if error.is_empty() {
            return;
        }
        let slot = match self.slot.get(key) {
            Some(s) => *s,
            None => {
                self.groups.push(Acc {
                    key: key.to_string(),
                    ..Acc::default()
                });
                self.slot.insert(key.to_string(), self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        let Some(g) = self.groups.get_mut(slot) else {
            return;
        };
        g.count += 1;
        bump(&mut g.texts, error);
        bump(&mut g.paths, path);
        g.positions.push(position);
        if !created.is_zero() {
            if g.first
                .is_none_or(|f| created.cmp_instant(&f) == Ordering::Less)
            {
                g.first = Some(*created);
            }
            if g.last
                .is_none_or(|l| created.cmp_instant(&l) == Ordering::Greater)
            {
                g.last = Some(*created);
            }
        }
    }

    /// The groups, the largest first (equal counts: by key).
    pub fn finish(self) -> Vec<ErrorGroup> {
        let mut out: Vec<ErrorGroup> = self
            .groups
            .into_iter()
            .map(|g| {
                let messages = u32::try_from(g.texts.len()).unwrap_or(u32::MAX);
                ErrorGroup {
                    example: by_count(g.texts).into_iter().next().unwrap_or_default(),
                    key: g.key,
                    count: g.count,
                    messages,
                    first_created_at: g.first.map(|t| t.format()),
                    last_created_at: g.last.map(|t| t.format()),
                    paths: by_count(g.paths),
                    positions: g.positions,
                }
            })
            .collect();
        // Keys are unique, so the order is total and an unstable sort (the smaller code) gives the same list.
        out.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        out
    }
}

/// Groups calls given as `(error, path, created_at, position)`; see [`ErrorGrouper`].
pub fn group_errors<'a>(
    calls: impl IntoIterator<Item = (&'a str, &'a str, GoTime, u32)>,
) -> Vec<ErrorGroup> {
    let mut grouper = ErrorGrouper::new();
    let mut keys: HashMap<&str, String> = HashMap::new();
    for (error, path, created, position) in calls {
        if error.is_empty() {
            continue;
        }
        let key = keys.entry(error).or_insert_with(|| normalize_error(error));
        grouper.add(error, key, path, &created, position);
    }
    grouper.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_placeholders() {
        for (text, want) in [
            ("container exit code 1", "container exit code <num>"),
            ("container exit code 137", "container exit code <num>"),
            (
                "function response too large: exceeds 6MB",
                "function response too large: exceeds <num>MB",
            ),
            ("timed out after 30s", "timed out after <num>s"),
            ("took 1.25 s", "took <num> s"),
            ("Timed out", "Timed out"),
            ("context canceled", "context canceled"),
            ("app \"shop\" not found", "app \"<str>\" not found"),
            ("fn 'checkout' not found", "fn '<str>' not found"),
            ("can't reach `db-1`", "can't reach `<str>`"),
            ("don't panic, it's fine", "don't panic, it's fine"),
            ("call 01C01TC09K47WGE00000000000 failed", "call <id> failed"),
            (
                "request 123e4567-e89b-12d3-a456-426614174000 lost",
                "request <id> lost",
            ),
            ("container 4f3a9c0e2b1d failed", "container <hex> failed"),
            ("bad address 0xDEADBEEF", "bad address <hex>"),
            ("token a8Zk2PqL9xV3mN7bQ1 expired", "token <id> expired"),
            ("  too   many\n spaces ", "too many spaces"),
            ("HTTP2 stream 7 reset", "HTTP2 stream <num> reset"),
            ("v1.2.3 is old", "v1.<num> is old"),
            ("port -1", "port -<num>"),
            ("", ""),
        ] {
            assert_eq!(normalize_error(text), want, "{text:?}");
        }
        // a call id needs a digit: a word of 26 letters is a word
        assert_eq!(
            normalize_error("ABCDEFGHJKMNPQRSTVWXYZABCD"),
            "ABCDEFGHJKMNPQRSTVWXYZABCD"
        );
        // an unclosed quote is text
        assert_eq!(normalize_error("bad \"quote"), "bad \"quote");
        // non-ASCII text is kept
        assert_eq!(normalize_error("échec 42 fois"), "échec <num> fois");
    }

    #[test]
    fn one_cause_is_one_group() {
        let t = |s: &str| GoTime::parse(s).unwrap();
        let calls = [
            ("container exit code 1", "/a", t("2018-06-12T10:00:00Z"), 0),
            ("", "/a", t("2018-06-12T10:00:01Z"), 1),
            (
                "container exit code 137",
                "/b",
                t("2018-06-12T09:00:00Z"),
                2,
            ),
            ("context canceled", "/b", t("2018-06-12T11:00:00Z"), 3),
            (
                "container exit code 1",
                "/b",
                t("2018-06-12T12:00:00+03:00"),
                4,
            ),
            ("container exit code 2", "/a", GoTime::default(), 5),
        ];
        let groups = group_errors(calls.iter().map(|(e, p, c, i)| (*e, *p, *c, *i)));
        assert_eq!(groups.len(), 2);
        let g = &groups[0];
        assert_eq!(g.key, "container exit code <num>");
        assert_eq!(g.count, 4);
        assert_eq!(g.messages, 3);
        assert_eq!(g.example, "container exit code 1");
        assert_eq!(g.positions, vec![0, 2, 4, 5]);
        assert_eq!(g.paths, vec!["/a".to_string(), "/b".to_string()]);
        // instants compared, the unset time left out
        assert_eq!(
            g.first_created_at.as_deref(),
            Some("2018-06-12T09:00:00.000Z")
        );
        assert_eq!(
            g.last_created_at.as_deref(),
            Some("2018-06-12T10:00:00.000Z")
        );
        assert_eq!(groups[1].key, "context canceled");
        assert_eq!(groups[1].count, 1);
    }

    #[test]
    fn by_count_is_most_frequent_first_and_first_seen_among_equals() {
        let list = |pairs: &[(&str, u32)]| {
            pairs
                .iter()
                .map(|(s, n)| (s.to_string(), *n))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by_count(list(&[("x", 1), ("y", 2), ("z", 1), ("w", 2), ("v", 3)])),
            ["v", "y", "w", "x", "z"]
        );
        assert!(by_count(Vec::new()).is_empty());
        // The same order as a stable sort by count, descending, over many ties.
        let many: Vec<(String, u32)> = (0..500u32)
            .map(|i| (format!("p{i}"), (i * 7919) % 13))
            .collect();
        let mut want = many.clone();
        want.sort_by_key(|t| std::cmp::Reverse(t.1));
        assert_eq!(
            by_count(many),
            want.into_iter().map(|(s, _)| s).collect::<Vec<_>>()
        );
    }

    #[test]
    fn equal_counts_sort_by_key() {
        let z = GoTime::default();
        let groups = group_errors([("b", "/", z, 0), ("a", "/", z, 1)]);
        assert_eq!(
            groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
