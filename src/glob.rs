//! The `error_pattern` glob: `*` is any run of characters (also none), `?` exactly one character (a Unicode scalar
//! value), `\` makes the next character literal; the whole text must match.
//!
//! Matching is linear in the text for a fixed pattern. The stars cut the pattern into segments of fixed length
//! (in characters): the first must match at the start of the text, the last at its end, and each one in between is
//! found at its leftmost place after the previous one (taking the leftmost place never loses a match, since the
//! stars around it absorb anything). A segment without `?` is found by a substring search (`memchr::memmem`); one
//! with `?` of up to 64 characters by a bit-parallel scan (Shift-And), one character at a time. Only a segment with
//! `?` longer than 64 characters is tried at each place, in time proportional to the text times its length.

use memchr::memmem;

/// One character of a segment.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    One,
    Lit(char),
}

/// A run of the pattern between two stars (or an end): a fixed number of characters.
#[derive(Debug, Clone)]
struct Segment {
    toks: Vec<Tok>,
    /// The segment as text when it has no `?`.
    literal: Option<String>,
    /// Finds `literal` (middle segments without `?`).
    finder: Option<memmem::Finder<'static>>,
    /// Middle segments with `?` and at most 64 characters: the Shift-And masks.
    shift_and: Option<ShiftAnd>,
}

/// Bit `i` of a character's mask says the segment's `i`-th character accepts it.
#[derive(Debug, Clone)]
struct ShiftAnd {
    /// The `?` positions: they accept every character.
    any: u64,
    ascii: [u64; 128],
    /// Other characters of the segment, sorted, with their masks.
    other: Vec<(char, u64)>,
    /// The bit of the last character.
    last: u64,
}

impl ShiftAnd {
    fn new(toks: &[Tok]) -> Option<ShiftAnd> {
        if toks.is_empty() || toks.len() > 64 {
            return None;
        }
        let mut s = ShiftAnd {
            any: 0,
            ascii: [0; 128],
            other: Vec::new(),
            last: 1u64 << (toks.len() - 1),
        };
        for (i, t) in toks.iter().enumerate() {
            let bit = 1u64 << i;
            match *t {
                Tok::One => s.any |= bit,
                Tok::Lit(c) => match s.ascii.get_mut(c as usize) {
                    Some(m) => *m |= bit,
                    None => match s.other.binary_search_by(|(o, _)| o.cmp(&c)) {
                        Ok(k) => {
                            if let Some((_, m)) = s.other.get_mut(k) {
                                *m |= bit;
                            }
                        }
                        Err(k) => s.other.insert(k, (c, bit)),
                    },
                },
            }
        }
        Some(s)
    }

    fn mask(&self, c: char) -> u64 {
        let lit = match self.ascii.get(c as usize) {
            Some(&m) => m,
            None => self
                .other
                .binary_search_by(|(o, _)| o.cmp(&c))
                .ok()
                .and_then(|k| self.other.get(k))
                .map_or(0, |&(_, m)| m),
        };
        self.any | lit
    }

    /// The end (in bytes) of the leftmost match in `text`.
    fn find_end(&self, text: &str) -> Option<usize> {
        let mut d = 0u64;
        for (i, c) in text.char_indices() {
            d = ((d << 1) | 1) & self.mask(c);
            if d & self.last != 0 {
                return Some(i + c.len_utf8());
            }
        }
        None
    }
}

impl Segment {
    fn new(toks: Vec<Tok>, middle: bool) -> Segment {
        let literal = toks
            .iter()
            .map(|t| match *t {
                Tok::Lit(c) => Some(c),
                Tok::One => None,
            })
            .collect::<Option<String>>();
        let finder = match &literal {
            Some(l) if middle => Some(memmem::Finder::new(l.as_bytes()).into_owned()),
            _ => None,
        };
        let shift_and = if middle && literal.is_none() {
            ShiftAnd::new(&toks)
        } else {
            None
        };
        Segment {
            toks,
            literal,
            finder,
            shift_and,
        }
    }

    /// The end (in bytes) of the segment matched at the start of `text`.
    fn at_start(&self, text: &str) -> Option<usize> {
        if let Some(l) = &self.literal {
            return text.starts_with(l.as_str()).then_some(l.len());
        }
        let mut chars = text.char_indices();
        let mut end = 0;
        for t in &self.toks {
            let (i, c) = chars.next()?;
            if let Tok::Lit(want) = *t {
                if c != want {
                    return None;
                }
            }
            end = i + c.len_utf8();
        }
        Some(end)
    }

    /// The start (in bytes) of the segment matched at the end of `text`.
    fn at_end(&self, text: &str) -> Option<usize> {
        if let Some(l) = &self.literal {
            return text.ends_with(l.as_str()).then(|| text.len() - l.len());
        }
        let mut chars = text.char_indices().rev();
        let mut start = text.len();
        for t in self.toks.iter().rev() {
            let (i, c) = chars.next()?;
            if let Tok::Lit(want) = *t {
                if c != want {
                    return None;
                }
            }
            start = i;
        }
        Some(start)
    }

    /// The end (in bytes) of the leftmost match in `text`.
    fn find_end(&self, text: &str) -> Option<usize> {
        if let (Some(f), Some(l)) = (&self.finder, &self.literal) {
            return f.find(text.as_bytes()).map(|i| i + l.len());
        }
        if let Some(s) = &self.shift_and {
            return s.find_end(text);
        }
        // A long segment with `?`: tried at each character.
        text.char_indices().find_map(|(i, _)| {
            text.get(i..)
                .and_then(|rest| self.at_start(rest))
                .map(|e| i + e)
        })
    }
}

/// A compiled `error_pattern`.
#[derive(Debug, Clone)]
pub struct Glob {
    /// Without a star: the one segment, which must be the whole text.
    first: Segment,
    /// With stars: the segments between them (none empty), and the one after the last star.
    middle: Vec<Segment>,
    last: Option<Segment>,
}

impl Glob {
    /// The pattern compiled, or why it cannot be (a lone `\` at the end).
    pub fn compile(pattern: &str) -> Result<Glob, String> {
        let mut parts: Vec<Vec<Tok>> = vec![Vec::new()];
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let tok = match c {
                '*' => {
                    parts.push(Vec::new());
                    continue;
                }
                '?' => Tok::One,
                '\\' => match chars.next() {
                    Some(n) => Tok::Lit(n),
                    None => {
                        return Err(format!(
                        "the pattern '{pattern}' ends in a lone '\\'; write '\\\\' for a backslash"
                    ))
                    }
                },
                c => Tok::Lit(c),
            };
            if let Some(p) = parts.last_mut() {
                p.push(tok);
            }
        }
        let mut parts = parts.into_iter();
        let first = Segment::new(parts.next().unwrap_or_default(), false);
        let last = parts.next_back().map(|p| Segment::new(p, false));
        let middle = parts
            .filter(|p| !p.is_empty())
            .map(|p| Segment::new(p, true))
            .collect();
        Ok(Glob {
            first,
            middle,
            last,
        })
    }

    /// Whether the whole `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let Some(start) = self.first.at_start(text) else {
            return false;
        };
        let Some(last) = &self.last else {
            return start == text.len();
        };
        let Some(end) = last.at_end(text) else {
            return false;
        };
        let Some(mut rest) = text.get(start..end) else {
            return false; // the first and the last segments overlap
        };
        for seg in &self.middle {
            match seg.find_end(rest).and_then(|e| rest.get(e..)) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Glob::compile(p).unwrap().matches(t)
    }

    /// The definition, by recursion on characters: exponential, for short cases only.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|k| reference(rest, &t[k..])),
            Some(('?', rest)) => !t.is_empty() && reference(rest, &t[1..]),
            Some(('\\', rest)) => match (rest.split_first(), t.split_first()) {
                (Some((a, rest)), Some((b, t))) => a == b && reference(rest, t),
                _ => false,
            },
            Some((a, rest)) => t.first() == Some(a) && reference(rest, &t[1..]),
        }
    }

    #[test]
    fn cases() {
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*", ""));
        assert!(m("**", "abc"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("??", "é!"));
        assert!(!m("a?", "a"));
        assert!(m("a?", "ab"));
        assert!(!m("a?", "abc"));
        assert!(m(r"\*x\?", "*x?"));
        assert!(!m(r"\*x", "ax"));
        assert!(m(r"a\\", "a\\"));
        assert!(m("*a*a*a*a*a*b", &format!("{}b", "a".repeat(50))));
        assert!(!m("*a*a*a*a*a*b", &"a".repeat(50)));
        // the first and the last segments may not share characters
        assert!(!m("ab*ba", "aba"));
        assert!(m("ab*ba", "abba"));
        assert!(!m("a*?*a", "aa"));
        assert!(m("a*?*a", "aéa"));
        // a middle segment with `?`, and a long one (over 64 characters)
        assert!(m("*x?z*", "aaxyyxézbb"));
        let long = format!("{}?b", "a".repeat(70));
        assert!(m(&format!("*{long}*"), &format!("c{}éb", "a".repeat(70))));
        assert!(!m(&format!("*{long}*"), &format!("c{}b", "a".repeat(70))));
        assert!(Glob::compile("ab\\").is_err());
    }

    #[test]
    fn agrees_with_the_definition() {
        // Every pattern and text over a small alphabet, up to a few characters (a deterministic enumeration).
        let pat_alpha = ['a', 'é', '*', '?'];
        let text_alpha = ['a', 'é', 'b'];
        let words = |alpha: &[char], max: usize| {
            let mut all: Vec<Vec<char>> = vec![Vec::new()];
            let mut last: Vec<Vec<char>> = vec![Vec::new()];
            for _ in 0..max {
                last = last
                    .iter()
                    .flat_map(|w| {
                        alpha.iter().map(move |&c| {
                            let mut w = w.clone();
                            w.push(c);
                            w
                        })
                    })
                    .collect();
                all.extend(last.iter().cloned());
            }
            all
        };
        let patterns = words(&pat_alpha, 5);
        let texts = words(&text_alpha, 5);
        for p in &patterns {
            let ps: String = p.iter().collect();
            let g = Glob::compile(&ps).unwrap();
            for t in &texts {
                let ts: String = t.iter().collect();
                assert_eq!(g.matches(&ts), reference(p, t), "{ps:?} on {ts:?}");
            }
        }
    }

    #[test]
    fn many_as_then_b_over_big_texts_finishes() {
        // The pattern the old backtracking matcher spent O(text × pattern) on: now a few linear passes.
        let p = format!("*{}b", "a".repeat(5000));
        let g = Glob::compile(&p).unwrap();
        let text = "a".repeat(100_000);
        for _ in 0..20 {
            assert!(!g.matches(&text));
        }
        assert!(g.matches(&format!("{text}b")));
        let stars = format!("*{}*b", "a*".repeat(2500));
        let g = Glob::compile(&stars).unwrap();
        assert!(!g.matches(&text));
        let q = format!("*{}?b*", "a".repeat(60));
        assert!(!Glob::compile(&q).unwrap().matches(&text));
    }
}
