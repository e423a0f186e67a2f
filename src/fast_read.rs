//! The fast lane of the bulk engine: one pass over a record's bytes, no tree and (for strings without escapes) no
//! allocation, answering "this record certainly has no error, and here are the fields a filter looks at".
//!
//! It is deliberately partial. Whenever a record is anything but plainly clean (an unknown or duplicate key, a key
//! in another case, `null`, a value out of range, a lone surrogate, deep nesting…) it answers `None`, and the caller
//! reads the record with the full reader (`read.rs`), which produces the exact issues. So the rules live in one
//! place; this module only has to be right when it says "clean", and a differential test checks exactly that.

use crate::datetime::GoTime;
use crate::issue::Issue;
use crate::read::{check_call, CallFacts, Reporter};
use crate::status::{CallFormat, CallStatus, CallType, Mode};
use std::borrow::Cow;

/// The fields of a clean call that a filter tests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallView<'a> {
    pub id: Cow<'a, str>,
    pub status: Option<CallStatus>,
    pub app_name: Cow<'a, str>,
    pub path: Cow<'a, str>,
    pub image: Cow<'a, str>,
    pub method: Cow<'a, str>,
    pub error: Cow<'a, str>,
    pub call_type: Option<CallType>,
    pub format: Option<CallFormat>,
    pub created_at: GoTime,
    pub started_at: GoTime,
    pub completed_at: GoTime,
}

impl<'a> CallView<'a> {
    /// The filter fields of a `Call`, borrowed.
    pub fn of(c: &'a crate::model::Call) -> CallView<'a> {
        CallView {
            id: Cow::Borrowed(&c.id),
            status: c.status,
            app_name: Cow::Borrowed(&c.app_name),
            path: Cow::Borrowed(&c.path),
            image: Cow::Borrowed(&c.image),
            method: Cow::Borrowed(&c.method),
            error: Cow::Borrowed(&c.error),
            call_type: c.call_type,
            format: c.format,
            created_at: c.created_at,
            started_at: c.started_at,
            completed_at: c.completed_at,
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Str(usize),
    Ignore,
    V2,
    Status,
    Type,
    Format,
    Int32(usize),
    Priority,
    Uint64,
    Env,
    Time(usize),
    Stats,
}

/// Exact key → what its value must be. `Str`/`Time` index the view's slots below.
const KEYS: [(&[u8], Kind); 25] = [
    (b"id", Kind::Str(0)),
    (b"status", Kind::Status),
    (b"app_name", Kind::Str(1)),
    (b"path", Kind::Str(2)),
    (b"image", Kind::Str(3)),
    (b"delay", Kind::Int32(0)),
    (b"type", Kind::Type),
    (b"format", Kind::Format),
    (b"payload", Kind::Ignore),
    (b"url", Kind::Ignore),
    (b"method", Kind::Str(4)),
    (b"priority", Kind::Priority),
    (b"timeout", Kind::Int32(1)),
    (b"idle_timeout", Kind::Int32(2)),
    (b"memory", Kind::Uint64),
    (b"base_env", Kind::Env),
    (b"env_vars", Kind::Env),
    (b"completed_at", Kind::Time(2)),
    (b"created_at", Kind::Time(0)),
    (b"started_at", Kind::Time(1)),
    (b"stats", Kind::Stats),
    (b"error", Kind::Str(5)),
    (b"app_id", Kind::V2),
    (b"fn_id", Kind::V2),
    (b"trigger_id", Kind::V2),
];

/// The keys of one map so far, to spot a repeated one without allocating. Escaped keys and maps of more than
/// 32 keys are left to the full reader.
#[derive(Default)]
struct Keys<'a> {
    seen: [&'a str; 32],
    n: usize,
}

impl<'a> Keys<'a> {
    fn add(&mut self, key: Cow<'a, str>) -> Option<()> {
        let Cow::Borrowed(key) = key else { return None };
        if self.seen.get(..self.n)?.contains(&key) {
            return None;
        }
        *self.seen.get_mut(self.n)? = key;
        self.n += 1;
        Some(())
    }
}

struct Cur<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    /// A string; `None` for anything the full reader should look at (bad escapes, lone surrogates).
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek()? {
                b'"' => {
                    let text = self.s.get(start..self.i)?;
                    self.i += 1;
                    return Some(Cow::Borrowed(text));
                }
                b'\\' => break,
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
        let mut out = String::from(self.s.get(start..self.i)?);
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.s.get(self.i + 1..self.i + 5)?;
                            let v = u32::from_str_radix(hex, 16).ok()?;
                            self.i += 4;
                            if (0xD800..0xE000).contains(&v) {
                                return None; // surrogates: the full reader pairs them or reports them
                            }
                            char::from_u32(v)?
                        }
                        _ => return None,
                    };
                    self.i += 1;
                    out.push(c);
                }
                c if c < 0x20 => return None,
                _ => {
                    let run = self.i;
                    while let Some(c) = self.peek() {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(self.s.get(run..self.i)?);
                }
            }
        }
    }

    /// Plain digits (a leading `-` when `signed`), as JSON writes an integer; `None` for fractions, exponents, leading
    /// zeros and anything else.
    fn integer(&mut self, signed: bool) -> Option<i128> {
        self.ws();
        let neg = signed && self.peek() == Some(b'-');
        if neg {
            self.i += 1;
        }
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        let digits = self.b.get(start..self.i)?;
        if digits.is_empty()
            || digits.len() > 20
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
        {
            return None;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let v = digits
            .iter()
            .fold(0i128, |acc, d| acc * 10 + i128::from(d - b'0'));
        Some(if neg { -v } else { v })
    }

    fn int32(&mut self) -> Option<i32> {
        i32::try_from(self.integer(true)?).ok()
    }

    fn uint64(&mut self) -> Option<u64> {
        u64::try_from(self.integer(false)?).ok()
    }

    /// A date-time; `""` (read as 1970 with a warning) is left to the full reader.
    fn time(&mut self) -> Option<GoTime> {
        let text = self.string()?;
        if text.is_empty() {
            return None;
        }
        GoTime::parse(&text).ok()
    }

    /// An object with unique keys whose values `value` reads (a string map, the metrics).
    fn map(&mut self, value: fn(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let mut keys = Keys::default();
        loop {
            keys.add(self.string()?)?;
            self.eat(b':')?;
            value(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `{}` of strings, keys unique.
    fn env(&mut self) -> Option<()> {
        self.map(|c| c.string().map(|_| ()))
    }

    /// `{name: uint64}`, keys unique.
    fn metrics(&mut self) -> Option<()> {
        self.map(|c| c.uint64().map(|_| ()))
    }

    /// `[{"timestamp": date-time, "metrics": {name: uint64}}, …]` with exactly those keys, once each.
    fn stats(&mut self) -> Option<()> {
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        let mut n = 0;
        loop {
            n += 1;
            if n > crate::read::MAX_STATS {
                return None; // a warning's business: let the full reader see it
            }
            self.eat(b'{')?;
            let (mut ts, mut metrics) = (false, false);
            if self.eat(b'}').is_some() {
                return None;
            }
            loop {
                match &*self.string()? {
                    "timestamp" if !ts => {
                        ts = true;
                        self.eat(b':')?;
                        self.time()?;
                    }
                    "metrics" if !metrics => {
                        metrics = true;
                        self.eat(b':')?;
                        self.metrics()?;
                    }
                    _ => return None,
                }
                self.ws();
                match self.peek()? {
                    b',' => self.i += 1,
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            if !ts || !metrics {
                return None;
            }
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// A clean record: the filter fields, and what the checks between fields need.
struct Clean<'a> {
    view: CallView<'a>,
    present: [&'static str; 25],
    offsets: [(&'static str, usize); 25],
    /// How many of `present` and `offsets` are filled.
    fields: usize,
    /// Where the object starts (after leading whitespace).
    start: usize,
    status_text: Option<Cow<'a, str>>,
    ints: [i32; 3],
    memory: u64,
    v2: bool,
}

/// The filter fields of `record` when it is certainly a call without errors in `mode`; `None` when the full reader
/// must decide (which includes every record that has an error).
pub fn read_clean(record: &[u8], mode: Mode) -> Option<CallView<'_>> {
    read(record, mode).map(|c| c.view)
}

/// Every issue of `record` (warnings only, as it has no error), exactly as the full reader reports them, when the
/// fast lane can read it; `None` when the full reader must.
pub fn validate_clean(record: &[u8], mode: Mode) -> Option<Vec<Issue>> {
    read_clean_with_issues(record, mode).map(|(_, issues)| issues)
}

/// [`read_clean`] and [`validate_clean`] in one pass.
pub fn read_clean_with_issues(record: &[u8], mode: Mode) -> Option<(CallView<'_>, Vec<Issue>)> {
    let c = read(record, mode)?;
    let v = &c.view;
    let facts = CallFacts {
        id: &v.id,
        status: v.status,
        path: &v.path,
        error: &v.error,
        delay: c.ints[0],
        timeout: c.ints[1],
        idle_timeout: c.ints[2],
        memory: c.memory,
        created_at: v.created_at,
        started_at: v.started_at,
        completed_at: v.completed_at,
        v2: c.v2,
    };
    let mut r = Reporter::new(true);
    let n = c.fields;
    check_call(
        &facts,
        c.present.get(..n)?,
        c.offsets.get(..n)?,
        c.status_text.as_deref(),
        c.start,
        &mut r,
    );
    Some((c.view, r.issues))
}

fn read(record: &[u8], mode: Mode) -> Option<Clean<'_>> {
    let s = std::str::from_utf8(record).ok()?;
    let mut c = Cur { s, b: record, i: 0 };
    c.ws();
    let start = c.i;
    c.eat(b'{')?;
    if c.eat(b'}').is_some() {
        return None; // not a call
    }
    let mut view = CallView::default();
    let mut strs: [Cow<str>; 6] = Default::default();
    let mut times = [GoTime::ZERO; 3];
    let mut ints = [0i32; 3];
    let mut memory = 0u64;
    let mut v2 = false;
    let mut seen: u32 = 0;
    let mut status_text: Option<Cow<str>> = None;
    let mut present = [""; 25];
    let mut offsets = [("", 0usize); 25];
    let mut fields = 0;
    loop {
        let key = c.string()?;
        c.eat(b':')?;
        let Some(slot) = KEYS.iter().position(|(k, _)| *k == key.as_bytes()) else {
            return None; // unknown or differently cased key: only the full reader matches it as Go does
        };
        let bit = 1u32 << slot;
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        let (name, kind) = KEYS.get(slot)?;
        let name = std::str::from_utf8(name).ok()?;
        c.ws();
        *present.get_mut(fields)? = name;
        *offsets.get_mut(fields)? = (name, c.i);
        fields += 1;
        match kind {
            Kind::Str(k) => *strs.get_mut(*k)? = c.string()?,
            Kind::Ignore => {
                c.string()?;
            }
            Kind::V2 => {
                c.string()?;
                v2 = true;
            }
            Kind::Status => status_text = Some(c.string()?),
            Kind::Type => {
                let t = c.string()?;
                view.call_type = if t.is_empty() {
                    None
                } else {
                    Some(CallType::parse(&t)?)
                };
            }
            Kind::Format => {
                let t = c.string()?;
                view.format = if t.is_empty() {
                    None
                } else {
                    Some(CallFormat::parse(&t)?)
                };
            }
            Kind::Int32(k) => *ints.get_mut(*k)? = c.int32()?,
            Kind::Priority => {
                if !(0..=2).contains(&c.int32()?) {
                    return None;
                }
            }
            Kind::Uint64 => memory = c.uint64()?,
            Kind::Env => c.env()?,
            Kind::Time(k) => *times.get_mut(*k)? = c.time()?,
            Kind::Stats => c.stats()?,
        }
        c.ws();
        match c.peek()? {
            b',' => c.i += 1,
            b'}' => {
                c.i += 1;
                break;
            }
            _ => return None,
        }
    }
    c.ws();
    if c.i != record.len() {
        return None;
    }
    view.status = match status_text.as_deref().unwrap_or("") {
        "" if mode == Mode::Strict => return None,
        "" => None,
        "timeout" if mode == Mode::Strict => return None,
        other => Some(CallStatus::parse(other)?),
    };
    let [id, app_name, path, image, method, error] = strs;
    view.id = id;
    view.app_name = app_name;
    view.path = path;
    view.image = image;
    view.method = method;
    view.error = error;
    let [created, started, completed] = times;
    view.created_at = created;
    view.started_at = started;
    view.completed_at = completed;
    Some(Clean {
        view,
        present,
        offsets,
        fields,
        start,
        status_text,
        ints,
        memory,
        v2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::call_from_bytes;
    use crate::read::ReadOptions;

    /// When the fast lane says "clean", the full reader agrees and reads the same fields.
    pub fn agrees(record: &[u8], mode: Mode) -> bool {
        let full = call_from_bytes(record, ReadOptions { mode });
        if let Some(issues) = validate_clean(record, mode) {
            if issues != full.issues {
                return false;
            }
        }
        match read_clean(record, mode) {
            None => true,
            Some(v) => {
                let Some(c) = full.call else { return false };
                v.id == c.id
                    && v.status == c.status
                    && v.app_name == c.app_name
                    && v.path == c.path
                    && v.image == c.image
                    && v.method == c.method
                    && v.error == c.error
                    && v.call_type == c.call_type
                    && v.format == c.format
                    && v.created_at == c.created_at
                    && v.started_at == c.started_at
                    && v.completed_at == c.completed_at
            }
        }
    }

    const CLEAN: &str = r#"{"id":"01C01TC09K47WGM00000000000","status":"","app_name":"myapp","path":"/hello","image":"fnproject/hello","type":"async","format":"default","payload":"{\"name\":\"Johnny\"}","url":"http://localhost:8080/r/myapp/hello?a=1\u0026b=2","method":"POST","priority":0,"timeout":30,"idle_timeout":30,"memory":128,"base_env":{"FN_APP_NAME":"myapp"},"env_vars":{"FN_CALL_ID":"x"},"completed_at":"0001-01-01T00:00:00.000Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"0001-01-01T00:00:00.000Z","stats":[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_limit":9223372036854771712,"net_rx":508}}],"error":"a \u0026 b"}"#;

    #[test]
    fn reads_clean_calls() {
        let v = read_clean(CLEAN.as_bytes(), Mode::Observed).unwrap();
        assert_eq!(v.app_name, "myapp");
        assert_eq!(v.error, "a & b");
        assert!(agrees(CLEAN.as_bytes(), Mode::Observed));
        assert!(read_clean(CLEAN.as_bytes(), Mode::Strict).is_none());
    }

    #[test]
    fn every_single_byte_change_is_still_right() {
        // Mutate each position of a clean call in several ways; the fast lane must never call an erroneous
        // record clean, nor read different fields.
        let base = CLEAN.as_bytes();
        for i in 0..base.len() {
            for b in [
                b'0', b'9', b'x', b'"', b'\\', b'-', b'.', b'e', b' ', b'{', b'}', b',', b'n',
                0xff, b'A',
            ] {
                let mut m = base.to_vec();
                m[i] = b;
                assert!(
                    agrees(&m, Mode::Observed),
                    "byte {i} set to {b:?}: {}",
                    String::from_utf8_lossy(&m)
                );
            }
            let mut cut = base.to_vec();
            cut.remove(i);
            assert!(agrees(&cut, Mode::Observed), "byte {i} removed");
        }
    }

    #[test]
    fn leading_whitespace_moves_the_record_offset() {
        // found by fuzzing (read_text): warnings about the whole record point where the object starts
        let text = format!(
            "\r\r  {}",
            r#"{"id":"01CQV6ME18NG8G00GZJ0000001","app_name":"","trigger_id":"","fn_id":"x"}"#
        );
        assert!(agrees(text.as_bytes(), Mode::Observed));
        let issues = validate_clean(text.as_bytes(), Mode::Observed).unwrap();
        assert!(
            issues
                .iter()
                .any(|i| i.code == "missing_key" && i.offset == Some(4)),
            "{issues:?}"
        );
    }

    #[test]
    fn falls_back_for_what_only_the_full_reader_knows() {
        for s in [
            r#"{"ID":"x"}"#,
            r#"{"id":"a","id":"b"}"#,
            r#"{"id":null}"#,
            r#"{"id":"\ud800"}"#,
            r#"{"memory":1e3}"#,
            r#"{"memory":-1}"#,
            r#"{"priority":3}"#,
            r#"{"status":"Success"}"#,
            r#"{"reason":"x"}"#,
            r#"{}"#,
            r#"{"error":{"message":"Timed out"}}"#,
        ] {
            assert!(read_clean(s.as_bytes(), Mode::Observed).is_none(), "{s}");
        }
    }
}
