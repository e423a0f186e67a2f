//! Writing JSON exactly as the Go server's `encoding/json` did (`docs/model.md#go-exact-json`): key order of the struct,
//! `omitempty` rules, sorted map keys, Go's string escapes, no spaces.

use crate::generation::{self, GenerationId, Key, FIRST, GENERATIONS, UNION};
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
    fn str_or_omit(&mut self, k: &str, v: &str, always: bool) {
        if always {
            self.str(k, v);
        } else {
            self.str_omitempty(k, v);
        }
    }
    fn opt_str(&mut self, k: &str, v: Option<&str>, always: bool) {
        match v {
            Some(v) => self.str(k, v),
            None if always => self.str(k, ""),
            None => {}
        }
    }
    fn big_omitempty<T: std::fmt::Display + Default + PartialEq>(
        &mut self,
        k: &str,
        v: T,
        js: bool,
    ) {
        if v != T::default() {
            self.key(k);
            let _ = if js {
                write!(self.out, "\"{v}\"")
            } else {
                write!(self.out, "{v}")
            };
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

/// The exact bytes the Go server writes for this call, in its generation's layout (`docs/generations.md`): the
/// generation it was read as, or the one inferred from its fields for a call built in code.
pub fn write_call(out: &mut String, call: &Call) {
    write_call_as(out, call, layout_of(call), false);
}

/// [`write_call`] in the layout of the given generation. Fields that generation does not have are not written.
pub fn write_call_in(out: &mut String, call: &Call, generation: GenerationId) {
    let keys = GENERATIONS.get(generation).map_or(UNION, |g| g.keys);
    write_call_as(out, call, keys, false);
}

/// The JSON the JavaScript boundary hands to `JSON.parse` to build a `Call` object fast: the keys of the call's
/// generation (so the object has the keys its Go code writes), every `uint64`/`int64` as a decimal string, which the
/// boundary turns into a `bigint` (JSON.parse would round it), and each annotation as its JSON text in a string.
pub fn write_call_for_js(out: &mut String, call: &Call) {
    write_call_as(out, call, layout_of(call), true);
}

/// The layout a call is written in: its generation's, or, for a call built in code, the 2017 model's unless it has
/// a later field, then the generation its fields fit (every key any generation has, for a mix).
pub fn layout_of(call: &Call) -> &'static [Key] {
    if let Some(g) = call.generation {
        return GENERATIONS.get(g).map_or(UNION, |g| g.keys);
    }
    let later = call.is_v2()
        || !call.config.is_empty()
        || !call.headers.is_empty()
        || !call.annotations.is_empty()
        || call.cpus != 0
        || !call.syslog_url.is_empty()
        || call.tmpfs_size != 0
        || call.execution_duration != 0;
    if !later {
        return GENERATIONS.get(FIRST).map_or(UNION, |g| g.keys);
    }
    let keys = present_keys(call);
    match generation::detect(&keys) {
        Some(g) => GENERATIONS.get(g).map_or(UNION, |g| g.keys),
        None => UNION,
    }
}

/// Whether Go writes `key` of a call whose value for it is `set` (not the zero value: `""`, 0, no entries, `nil`;
/// as [`present_keys`] lists them): the five keys every generation writes always, `app_name`, `path` and the v2 ids
/// when the layout writes them even empty, every other key only when set. [`write_call_as`] follows exactly this (a
/// test checks), and the fast lane uses it to tell whether a record already has the keys its `Call` would have.
pub fn writes_key(key: &Key, set: bool) -> bool {
    match key.name {
        "id" | "status" | "completed_at" | "created_at" | "started_at" => true,
        "app_name" | "path" | "app_id" | "trigger_id" | "fn_id" => set || key.always,
        _ => set,
    }
}

/// The keys a call has a value for (and those every generation writes).
pub fn present_keys(call: &Call) -> Vec<&'static str> {
    let mut keys = vec!["id", "status", "completed_at", "created_at", "started_at"];
    let mut add = |cond: bool, k: &'static str| {
        if cond {
            keys.push(k);
        }
    };
    add(!call.app_name.is_empty(), "app_name");
    add(!call.path.is_empty(), "path");
    add(!call.image.is_empty(), "image");
    add(call.delay != 0, "delay");
    add(call.call_type.is_some(), "type");
    add(call.format.is_some(), "format");
    add(!call.payload.is_empty(), "payload");
    add(!call.url.is_empty(), "url");
    add(!call.method.is_empty(), "method");
    add(call.priority.is_some(), "priority");
    add(call.timeout != 0, "timeout");
    add(call.idle_timeout != 0, "idle_timeout");
    add(call.tmpfs_size != 0, "tmpfs_size");
    add(call.memory != 0, "memory");
    add(call.cpus != 0, "cpus");
    add(!call.base_env.is_empty(), "base_env");
    add(!call.env_vars.is_empty(), "env_vars");
    add(!call.config.is_empty(), "config");
    add(!call.annotations.is_empty(), "annotations");
    add(!call.headers.is_empty(), "headers");
    add(!call.syslog_url.is_empty(), "syslog_url");
    add(call.execution_duration != 0, "execution_duration");
    add(!call.stats.is_empty(), "stats");
    add(!call.error.is_empty(), "error");
    add(call.app_id.is_some(), "app_id");
    add(call.fn_id.is_some(), "fn_id");
    add(call.trigger_id.is_some(), "trigger_id");
    keys
}

fn write_call_as(out: &mut String, call: &Call, layout: &[Key], js: bool) {
    let mut o = Obj::new(out);
    for key in layout {
        let always = key.always;
        match key.name {
            "id" => o.str("id", &call.id),
            "status" => o.str("status", call.status.map(|s| s.as_str()).unwrap_or("")),
            "app_name" => o.str_or_omit("app_name", &call.app_name, always),
            "path" => o.str_or_omit("path", &call.path, always),
            "image" => o.str_omitempty("image", &call.image),
            "delay" => o.num_omitempty("delay", call.delay),
            "type" => o.str_omitempty("type", call.call_type.map(|t| t.as_str()).unwrap_or("")),
            "format" => o.str_omitempty("format", call.format.map(|f| f.as_str()).unwrap_or("")),
            "payload" => o.str_omitempty("payload", &call.payload),
            "url" => o.str_omitempty("url", &call.url),
            "method" => o.str_omitempty("method", &call.method),
            "priority" => {
                if let Some(p) = call.priority {
                    o.key("priority");
                    let _ = write!(o.out, "{p}");
                }
            }
            "timeout" => o.num_omitempty("timeout", call.timeout),
            "idle_timeout" => o.num_omitempty("idle_timeout", call.idle_timeout),
            "tmpfs_size" => o.num_omitempty("tmpfs_size", call.tmpfs_size),
            "memory" => o.big_omitempty("memory", call.memory, js),
            "cpus" if call.cpus != 0 => {
                o.key("cpus");
                let _ = write!(o.out, "\"{}m\"", call.cpus);
            }
            "base_env" => o.env_omitempty("base_env", &call.base_env),
            "env_vars" => o.env_omitempty("env_vars", &call.env_vars),
            "config" => o.env_omitempty("config", &call.config),
            "annotations" if !call.annotations.is_empty() => {
                o.key("annotations");
                let mut m = Obj::new(o.out);
                for (k, raw) in &call.annotations {
                    m.map_key(k);
                    if js {
                        write_string(m.out, raw);
                    } else {
                        write_compact(m.out, raw);
                    }
                }
                m.end();
            }
            "headers" if !call.headers.is_empty() => {
                o.key("headers");
                let mut m = Obj::new(o.out);
                for (k, values) in &call.headers {
                    m.map_key(k);
                    match values {
                        None => m.out.push_str("null"),
                        Some(vs) => {
                            m.out.push('[');
                            for (i, v) in vs.iter().enumerate() {
                                if i > 0 {
                                    m.out.push(',');
                                }
                                write_string(m.out, v);
                            }
                            m.out.push(']');
                        }
                    }
                }
                m.end();
            }
            "syslog_url" => o.str_omitempty("syslog_url", &call.syslog_url),
            "completed_at" => o.str("completed_at", &call.completed_at.format()),
            "created_at" => o.str("created_at", &call.created_at.format()),
            "started_at" => o.str("started_at", &call.started_at.format()),
            "execution_duration" if call.execution_duration != 0 => {
                o.key("execution_duration");
                let _ = if js {
                    write!(o.out, "\"{}\"", call.execution_duration)
                } else {
                    write!(o.out, "{}", call.execution_duration)
                };
            }
            "stats" if !call.stats.is_empty() => {
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
            "error" => o.str_omitempty("error", &call.error),
            "app_id" => o.opt_str("app_id", call.app_id.as_deref(), always),
            "trigger_id" => o.opt_str("trigger_id", call.trigger_id.as_deref(), always),
            "fn_id" => o.opt_str("fn_id", call.fn_id.as_deref(), always),
            _ => {}
        }
    }
    o.end();
}

/// Go's `json.Compact` with HTML escaping, as `encoding/json` applies it to a raw value it marshals: whitespace
/// outside strings dropped, `<`, `>`, `&`, U+2028 and U+2029 escaped, everything else (other escapes, number
/// spellings) kept as written. `raw` must be valid JSON.
pub fn write_compact(out: &mut String, raw: &str) {
    let b = raw.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    let mut run_start = 0;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let replacement: Option<(&str, usize)> = if in_string {
            if escaped {
                escaped = false;
                None
            } else {
                match c {
                    b'\\' => {
                        escaped = true;
                        None
                    }
                    b'"' => {
                        in_string = false;
                        None
                    }
                    b'<' => Some(("\\u003c", 1)),
                    b'>' => Some(("\\u003e", 1)),
                    b'&' => Some(("\\u0026", 1)),
                    0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                        (Some(0x80), Some(0xA8)) => Some(("\\u2028", 3)),
                        (Some(0x80), Some(0xA9)) => Some(("\\u2029", 3)),
                        _ => None,
                    },
                    _ => None,
                }
            }
        } else {
            match c {
                b'"' => {
                    in_string = true;
                    None
                }
                b' ' | b'\t' | b'\n' | b'\r' => Some(("", 1)),
                _ => None,
            }
        };
        if let Some((text, len)) = replacement {
            out.push_str(raw.get(run_start..i).unwrap_or_default());
            out.push_str(text);
            i += len;
            run_start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(raw.get(run_start..).unwrap_or_default());
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
    fn writes_key_is_the_rule_the_writer_follows() {
        // every generation, with each field set or left empty at random: the keys written are the layout's keys
        // that `writes_key` names, in order
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..4000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let on = |bit: u32| seed >> bit & 1 == 1;
            let text = |bit: u32| {
                if on(bit) {
                    "x".to_string()
                } else {
                    String::new()
                }
            };
            let map = |bit: u32| {
                let mut m = BTreeMap::new();
                if on(bit) {
                    m.insert("k".to_string(), "v".to_string());
                }
                m
            };
            let call = Call {
                id: text(0),
                app_name: text(1),
                path: text(2),
                image: text(3),
                delay: i32::from(on(4)),
                call_type: on(5).then_some(crate::status::CallType::Sync),
                format: on(6).then_some(crate::status::CallFormat::Http),
                payload: text(7),
                url: text(8),
                method: text(9),
                priority: on(10).then_some(0),
                timeout: i32::from(on(11)),
                idle_timeout: i32::from(on(12)),
                tmpfs_size: u32::from(on(13)),
                memory: u64::from(on(14)),
                cpus: u64::from(on(15)) * 100,
                base_env: map(16),
                env_vars: map(17),
                config: map(18),
                annotations: map(19).into_keys().map(|k| (k, "1".to_string())).collect(),
                headers: map(20)
                    .into_iter()
                    .map(|(k, v)| (k, Some(vec![v])))
                    .collect(),
                syslog_url: text(21),
                execution_duration: i64::from(on(22)),
                stats: if on(23) {
                    vec![Stat::default()]
                } else {
                    Vec::new()
                },
                error: text(24),
                app_id: on(25).then(|| text(26)),
                fn_id: on(27).then(|| text(28)),
                trigger_id: on(29).then(|| text(30)),
                generation: Some(round % GENERATIONS.len()),
                ..Call::default()
            };
            let present = present_keys(&call);
            let layout = layout_of(&call);
            let planned: Vec<&str> = layout
                .iter()
                .filter(|k| writes_key(k, present.contains(&k.name)))
                .map(|k| k.name)
                .collect();
            let mut out = String::new();
            write_call(&mut out, &call);
            let node = crate::json::parse(out.as_bytes()).unwrap();
            let crate::json::Value::Object(members) = node.value else {
                panic!("{out}")
            };
            let written: Vec<&str> = members.iter().map(|m| &*m.key.text).collect();
            assert_eq!(written, planned, "{out}");
        }
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
