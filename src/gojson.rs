//! Writing JSON exactly as the Go server's `encoding/json` did (`docs/model.md#go-exact-json`): key order of the struct,
//! `omitempty` rules, sorted map keys, Go's string escapes, no spaces.

use crate::model::{Call, CallLog, Stat};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Go's string encoding of 2017: HTML-safe (`<`, `>`, `&` as `\u003c`…), U+2028/U+2029 escaped, short escapes only
/// for `\n`, `\r`, `\t`, `\"` and `\\`, every other control character as `\u00xx` in lower-case hex.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    // Byte by byte: every byte to escape is ASCII, or 0xE2 starting U+2028/U+2029, so each cut is a char boundary.
    while let Some(&c) = b.get(i) {
        if !matches!(c, 0..=0x1f | b'"' | b'\\' | b'<' | b'>' | b'&' | 0xE2) {
            i += 1;
            continue;
        }
        let (esc, len) = match c {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0xA8)) => ("\\u2028", 3),
                (Some(0x80), Some(0xA9)) => ("\\u2029", 3),
                _ => {
                    i += 1;
                    continue;
                }
            },
            _ => ("", 1), // another control character: \u00xx below
        };
        out.push_str(s.get(run_start..i).unwrap_or_default());
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", c);
        } else {
            out.push_str(esc);
        }
        i += len;
        run_start = i;
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k); // keys are our own ASCII field names
        self.out.push_str("\":");
    }
    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        write_string(self.out, v);
    }
    fn str_omitempty(&mut self, k: &str, v: &str) {
        if !v.is_empty() {
            self.str(k, v);
        }
    }
    fn num_omitempty<T: std::fmt::Display + Default + PartialEq>(&mut self, k: &str, v: T) {
        if v != T::default() {
            self.key(k);
            let _ = write!(self.out, "{v}");
        }
    }
    fn env_omitempty(&mut self, k: &str, m: &BTreeMap<String, String>) {
        if !m.is_empty() {
            self.key(k);
            let mut o = Obj::new(self.out);
            for (mk, mv) in m {
                o.map_key(mk);
                write_string(o.out, mv);
            }
            o.end();
        }
    }
    fn map_key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(self.out, k);
        self.out.push(':');
    }
    fn end(self) {
        self.out.push('}');
    }
}

fn write_stat(out: &mut String, stat: &Stat, js: bool) {
    let mut o = Obj::new(out);
    o.str("timestamp", &stat.timestamp.format());
    o.key("metrics");
    match &stat.metrics {
        None => o.out.push_str("null"),
        Some(m) => {
            let mut mo = Obj::new(o.out);
            for (k, v) in m {
                mo.map_key(k);
                let _ = if js {
                    write!(mo.out, "\"{v}\"")
                } else {
                    write!(mo.out, "{v}")
                };
            }
            mo.end();
        }
    }
    o.end();
}

/// The exact bytes the Go server writes for this call: the v1 model's layout, or the v2 layout when the call has
/// v2 keys (`app_id`, `fn_id`, `trigger_id`, always written there; no `path`).
pub fn write_call(out: &mut String, call: &Call) {
    write_call_as(out, call, false);
}

/// The JSON the JavaScript boundary hands to `JSON.parse` to build a `Call` object fast: the keys and omissions of
/// the `Call` type (v1 order, `path` always, v2 keys last when present) and every `uint64` as a decimal string, which
/// the boundary turns into a `bigint` (JSON.parse would round it).
pub fn write_call_for_js(out: &mut String, call: &Call) {
    write_call_as(out, call, true);
}

fn write_call_as(out: &mut String, call: &Call, js: bool) {
    let v2 = call.is_v2() && !js;
    let mut o = Obj::new(out);
    o.str("id", &call.id);
    o.str("status", call.status.map(|s| s.as_str()).unwrap_or(""));
    if !v2 {
        o.str("app_name", &call.app_name);
        o.str("path", &call.path);
    }
    o.str_omitempty("image", &call.image);
    o.num_omitempty("delay", call.delay);
    o.str_omitempty("type", call.call_type.map(|t| t.as_str()).unwrap_or(""));
    o.str_omitempty("format", call.format.map(|f| f.as_str()).unwrap_or(""));
    o.str_omitempty("payload", &call.payload);
    o.str_omitempty("url", &call.url);
    o.str_omitempty("method", &call.method);
    if let Some(p) = call.priority {
        o.key("priority");
        let _ = write!(o.out, "{p}");
    }
    o.num_omitempty("timeout", call.timeout);
    o.num_omitempty("idle_timeout", call.idle_timeout);
    if js && call.memory != 0 {
        o.key("memory");
        let _ = write!(o.out, "\"{}\"", call.memory);
    } else {
        o.num_omitempty("memory", call.memory);
    }
    o.env_omitempty("base_env", &call.base_env);
    o.env_omitempty("env_vars", &call.env_vars);
    o.str("completed_at", &call.completed_at.format());
    o.str("created_at", &call.created_at.format());
    o.str("started_at", &call.started_at.format());
    if !call.stats.is_empty() {
        o.key("stats");
        o.out.push('[');
        for (i, s) in call.stats.iter().enumerate() {
            if i > 0 {
                o.out.push(',');
            }
            write_stat(o.out, s, js);
        }
        o.out.push(']');
    }
    o.str_omitempty("error", &call.error);
    if js {
        for (k, v) in [
            ("app_id", &call.app_id),
            ("fn_id", &call.fn_id),
            ("trigger_id", &call.trigger_id),
        ] {
            if let Some(v) = v {
                o.str(k, v);
            }
        }
    }
    if v2 {
        o.str("app_id", call.app_id.as_deref().unwrap_or(""));
        o.str("app_name", &call.app_name);
        o.str_omitempty("path", &call.path);
        o.str("trigger_id", call.trigger_id.as_deref().unwrap_or(""));
        o.str("fn_id", call.fn_id.as_deref().unwrap_or(""));
    }
    o.end();
}

pub fn call_to_string(call: &Call) -> String {
    let mut s = String::with_capacity(512);
    write_call(&mut s, call);
    s
}

pub fn call_log_to_string(log: &CallLog) -> String {
    let mut s = String::new();
    let mut o = Obj::new(&mut s);
    o.str("call_id", &log.call_id);
    o.str("log", &log.log);
    o.str("app_name", &log.app_name);
    o.end();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character definition the byte loop must match.
    fn reference(s: &str) -> String {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                }
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn escapes_every_character_as_the_definition_says() {
        // every character up to U+3000 (all of the escapes, U+2027..U+202A, other 0xE2 characters), alone and
        // between multi-byte neighbours, plus characters beyond the BMP
        let mut chars: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        chars.extend(['\u{FFFD}', '\u{1F600}', '\u{10FFFF}']);
        for c in &chars {
            for text in [
                c.to_string(),
                format!("é{c}€"),
                format!("{c}{c}x"),
                format!("\u{2028}{c}\u{2029}"),
            ] {
                let mut out = String::new();
                write_string(&mut out, &text);
                assert_eq!(out, reference(&text), "{:?}", text);
            }
        }
    }

    fn esc(s: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, s);
        out
    }

    #[test]
    fn escapes_like_go_2017() {
        assert_eq!(esc("a&b<c>d"), r#""a\u0026b\u003cc\u003ed""#);
        assert_eq!(esc("\u{2028}\u{2029}"), r#""\u2028\u2029""#);
        assert_eq!(esc("\n\r\t\"\\"), r#""\n\r\t\"\\""#);
        assert_eq!(
            esc("\u{8}\u{c}\u{1}\u{1f}"),
            r#""\u0008\u000c\u0001\u001f""#
        );
        assert_eq!(esc("/\u{7f}é😀"), "\"/\u{7f}é😀\"");
    }
}
