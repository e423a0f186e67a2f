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
use crate::view::{CallView, MetricAcc, Row};
use std::borrow::Cow;

#[derive(Clone, Copy)]
enum Kind {
    Str(usize),
    Ignore,
    V2,
    /// `fn_id`: a v2 key the filter reads.
    FnId,
    /// `tmpfs_size`: a uint32.
    Uint32,
    /// `execution_duration`: an int64.
    Int64,
    /// `cpus`: `"<millicores>m"`; other spellings (`"0.1"`) go to the full reader.
    Cpus,
    /// `headers`: `{name: [string, …]}`.
    Headers,
    /// `annotations`: `{key: string or plain number}`; other JSON values go to the full reader.
    Annotations,
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
const KEYS: [(&[u8], Kind); 32] = [
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
    (b"fn_id", Kind::FnId),
    (b"trigger_id", Kind::V2),
    (b"tmpfs_size", Kind::Uint32),
    (b"cpus", Kind::Cpus),
    (b"config", Kind::Env),
    (b"annotations", Kind::Annotations),
    (b"headers", Kind::Headers),
    (b"syslog_url", Kind::Ignore),
    (b"execution_duration", Kind::Int64),
];

/// The first eight bytes of `b` as a little-endian number, zero-padded.
const fn head_of(mut b: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut i = 0;
    while let [first, rest @ ..] = b {
        if i == 8 {
            break;
        }
        v |= (*first as u64) << (8 * i);
        i += 1;
        b = rest;
    }
    v
}

/// Keeps the first `len` bytes of a little-endian word.
#[inline(always)]
fn len_mask(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// Where `key` is in [`KEYS`]: a switch on its first eight bytes, then the rest compared (no key shares its first
/// eight bytes with another).
fn slot_of(key: Str) -> Option<usize> {
    const K0: u64 = head_of(b"id");
    const K1: u64 = head_of(b"status");
    const K2: u64 = head_of(b"app_name");
    const K3: u64 = head_of(b"path");
    const K4: u64 = head_of(b"image");
    const K5: u64 = head_of(b"delay");
    const K6: u64 = head_of(b"type");
    const K7: u64 = head_of(b"format");
    const K8: u64 = head_of(b"payload");
    const K9: u64 = head_of(b"url");
    const K10: u64 = head_of(b"method");
    const K11: u64 = head_of(b"priority");
    const K12: u64 = head_of(b"timeout");
    const K13: u64 = head_of(b"idle_timeout");
    const K14: u64 = head_of(b"memory");
    const K15: u64 = head_of(b"base_env");
    const K16: u64 = head_of(b"env_vars");
    const K17: u64 = head_of(b"completed_at");
    const K18: u64 = head_of(b"created_at");
    const K19: u64 = head_of(b"started_at");
    const K20: u64 = head_of(b"stats");
    const K21: u64 = head_of(b"error");
    const K22: u64 = head_of(b"app_id");
    const K23: u64 = head_of(b"fn_id");
    const K24: u64 = head_of(b"trigger_id");
    const K25: u64 = head_of(b"tmpfs_size");
    const K26: u64 = head_of(b"cpus");
    const K27: u64 = head_of(b"config");
    const K28: u64 = head_of(b"annotations");
    const K29: u64 = head_of(b"headers");
    const K30: u64 = head_of(b"syslog_url");
    const K31: u64 = head_of(b"execution_duration");
    let slot = match key.head {
        K0 => 0,
        K1 => 1,
        K2 => 2,
        K3 => 3,
        K4 => 4,
        K5 => 5,
        K6 => 6,
        K7 => 7,
        K8 => 8,
        K9 => 9,
        K10 => 10,
        K11 => 11,
        K12 => 12,
        K13 => 13,
        K14 => 14,
        K15 => 15,
        K16 => 16,
        K17 => 17,
        K18 => 18,
        K19 => 19,
        K20 => 20,
        K21 => 21,
        K22 => 22,
        K23 => 23,
        K24 => 24,
        K25 => 25,
        K26 => 26,
        K27 => 27,
        K28 => 28,
        K29 => 29,
        K30 => 30,
        K31 => 31,
        _ => return None,
    };
    let (name, _) = KEYS.get(slot)?;
    if key.raw.len() != name.len() {
        return None;
    }
    // the rest of a key longer than one word, compared as bytes
    match (key.raw.get(8..), name.get(8..)) {
        (Some(a), Some(b)) => (a == b).then_some(slot),
        _ => Some(slot),
    }
}

/// The keys of one map so far, to spot a repeated one without allocating. Escaped keys and maps of more than
/// 32 keys are left to the full reader.
#[derive(Default)]
struct Keys<'a> {
    seen: [(u64, &'a [u8]); 32],
    n: usize,
}

impl<'a> Keys<'a> {
    #[inline]
    fn add(&mut self, key: Str<'a>) -> Option<()> {
        if key.escaped {
            return None;
        }
        key.check()?; // a key must be UTF-8 too
        if self
            .seen
            .get(..self.n)?
            .iter()
            .any(|&(head, raw)| head == key.head && raw == key.raw)
        {
            return None;
        }
        *self.seen.get_mut(self.n)? = (key.head, key.raw);
        self.n += 1;
        Some(())
    }
}

/// A string as it stands between its quotes, escapes and all, already checked for bad escapes and control bytes.
#[derive(Clone, Copy)]
struct Str<'a> {
    raw: &'a [u8],
    escaped: bool,
    ascii: bool,
    /// The first eight bytes (zero-padded), to compare short strings as one number.
    head: u64,
}

impl<'a> Str<'a> {
    /// Checks that the string is valid UTF-8 without decoding it (for values nobody looks at).
    fn check(self) -> Option<()> {
        if !self.ascii {
            std::str::from_utf8(self.raw).ok()?;
        }
        Some(())
    }

    /// The raw bytes as text, when no escape needs decoding.
    #[inline(always)]
    fn plain(self) -> Option<&'a str> {
        if self.ascii {
            debug_assert!(self.raw.is_ascii());
            // SAFETY: `ascii` is set only when every byte of `raw` was seen below 0x80 (see `Cur::str` and
            // `plain_run`, tested at every block position natively and in wasm), and ASCII is valid UTF-8.
            Some(unsafe { std::str::from_utf8_unchecked(self.raw) })
        } else {
            std::str::from_utf8(self.raw).ok()
        }
    }

    /// The decoded string.
    fn decode(self) -> Option<Cow<'a, str>> {
        // Escapes are ASCII, so the raw text is valid UTF-8 exactly when the decoded one is, and every `\\` is a
        // character boundary.
        let text = self.plain()?;
        if !self.escaped {
            return Some(Cow::Borrowed(text));
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(p) = memchr::memchr(b'\\', rest.as_bytes()) {
            out.push_str(rest.get(..p)?);
            let c = match rest.as_bytes().get(p + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let v = hex4(rest.as_bytes().get(p + 2..p + 6)?)?;
                    rest = rest.get(p + 6..)?;
                    out.push(char::from_u32(v)?);
                    continue;
                }
                _ => return None,
            };
            out.push(c);
            rest = rest.get(p + 2..)?;
        }
        out.push_str(rest);
        Some(Cow::Owned(out))
    }
}

/// Four hex digits.
#[inline]
fn hex4(h: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &d in h {
        v = v * 16 + char::from(d).to_digit(16)?;
    }
    (h.len() == 4).then_some(v)
}

/// The width of [`plain_run`]'s step: 16 bytes with wasm SIMD, 8 (one `u64`) elsewhere.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BLOCK: usize = 16;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const BLOCK: usize = 8;

/// Inside a string, how many of the `BLOCK` bytes at `i` are plain (not `"`, `\` or a control byte below 0x20), and
/// whether any of those plain bytes is non-ASCII; `None` when fewer than `BLOCK` bytes are left.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn plain_run(b: &[u8], i: usize) -> Option<(usize, bool)> {
    use core::arch::wasm32::{
        u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128, v128_load, v128_or,
    };
    let block = b.get(i..i + BLOCK)?;
    // SAFETY: `block` is 16 readable bytes, and `v128_load` has no alignment requirement.
    let v = unsafe { v128_load(block.as_ptr().cast::<v128>()) };
    let special = v128_or(
        v128_or(
            u8x16_eq(v, u8x16_splat(b'"')),
            u8x16_eq(v, u8x16_splat(b'\\')),
        ),
        u8x16_lt(v, u8x16_splat(0x20)),
    );
    let special = u32::from(u8x16_bitmask(special));
    let at = if special == 0 {
        BLOCK as u32
    } else {
        special.trailing_zeros()
    };
    let high = u32::from(u8x16_bitmask(v)) & ((1u32 << at) - 1);
    Some((at as usize, high != 0))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn plain_run(b: &[u8], i: usize) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let w = u64::from_le_bytes(b.get(i..i + BLOCK)?.try_into().ok()?);
    // The high bit of each byte that is `"`, `\` or below 0x20. Bits above the lowest one may be false alarms
    // (borrows run upwards); the lowest one is exact, and it is the only one used.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let special = zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\\')))
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
    let at = if special == 0 {
        BLOCK
    } else {
        (special.trailing_zeros() / 8) as usize
    };
    let high = w & HIGHS & len_mask(at);
    Some((at, high != 0))
}

struct Cur<'a> {
    b: &'a [u8],
    i: usize,
    /// Whether `JSON.parse` of the record (once `big` is quoted) still gives the very `Call` object the full reader's
    /// gives ([`read_clean_for_js`]): false from the first value where it would not. Cheap enough to track always.
    same: bool,
    /// Where the numbers beyond 2^53 of `uint64`/`int64` fields are (`JSON.parse` would round them).
    big: Vec<(usize, usize)>,
}

/// The largest integer `JSON.parse` reads exactly (2^53): a uint64 or int64 beyond it needs the full reader's text.
const JS_EXACT: u64 = 1 << 53;

impl<'a> Cur<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    /// A string, a block of bytes at a time; `None` for anything the full reader should look at (bad escapes, lone
    /// surrogates, control bytes).
    fn str(&mut self) -> Option<Str<'a>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        let mut high = false;
        loop {
            // whole blocks while they are plain
            while let Some((plain, non_ascii)) = plain_run(self.b, self.i) {
                high |= non_ascii;
                self.i += plain;
                if plain < BLOCK {
                    break;
                }
            }
            let c = self.peek()?;
            match c {
                b'"' => {
                    let raw = self.b.get(start..self.i)?;
                    self.i += 1;
                    let head = match self.b.get(start..start + 8) {
                        Some(w) => u64::from_le_bytes(w.try_into().ok()?) & len_mask(raw.len()),
                        None => head_of(raw),
                    };
                    return Some(Str {
                        raw,
                        escaped,
                        ascii: !high,
                        head,
                    });
                }
                b'\\' => {
                    escaped = true;
                    match self.b.get(self.i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let v = hex4(self.b.get(self.i + 2..self.i + 6)?)?;
                            if (0xD800..0xE000).contains(&v) {
                                return None; // surrogates: the full reader pairs them or reports them
                            }
                            self.i += 6;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                c => {
                    // the tail of the input, shorter than a block
                    high |= c >= 0x80;
                    self.i += 1;
                }
            }
        }
    }

    /// A decoded string.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.str()?.decode()
    }

    /// Plain digits, as JSON writes a non-negative integer, up to `u64::MAX`; `None` for fractions, exponents, leading
    /// zeros, overflow and anything else.
    #[inline(always)]
    fn digits(&mut self) -> Option<u64> {
        let start = self.i;
        let mut v = 0u64;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            let d = u64::from(d - b'0');
            // Nineteen digits always fit; only a twentieth can overflow. (`checked_mul` would cost a 128-bit
            // multiply in wasm32 for every digit.)
            if self.i - start >= 19 && v > (u64::MAX - d) / 10 {
                return None;
            }
            v = v * 10 + d;
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || (n > 1 && self.b.get(start) == Some(&b'0')) {
            return None;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(v)
    }

    fn int32(&mut self) -> Option<i32> {
        self.ws();
        if self.peek() == Some(b'-') {
            self.i += 1;
            let v = self.digits()?;
            return if v == 0 {
                None
            } else {
                i32::try_from(-i64::try_from(v).ok()?).ok()
            };
        }
        i32::try_from(self.digits()?).ok()
    }

    #[inline]
    fn uint64(&mut self) -> Option<u64> {
        self.ws();
        let start = self.i;
        let v = self.digits()?;
        if v > JS_EXACT {
            self.big.push((start, self.i));
        }
        Some(v)
    }

    /// A date-time in one of the common shapes; `""` (read as 1970 with a warning), escaped text and rarer shapes are
    /// left to the full reader.
    #[inline]
    fn time(&mut self) -> Option<GoTime> {
        let s = self.str()?;
        if s.escaped {
            return None;
        }
        let (t, as_written) = GoTime::parse_common_as_written(s.raw)?;
        if !as_written {
            self.same = false; // `JSON.parse` keeps the text; the `Call` has it as Go writes it back
        }
        Some(t)
    }

    /// An object with unique keys whose values `value` reads (a string map, the metrics).
    /// Returns how many entries it has. For `js`, the keys must come in the order the `Call`'s map writes them
    /// (sorted by bytes, as Go sorts them), or the object `JSON.parse` makes would list them in another order.
    #[inline(always)]
    fn map(&mut self, mut value: impl FnMut(&mut Self, Str<'a>) -> Option<()>) -> Option<usize> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(0);
        }
        let mut keys = Keys::default();
        let mut last: (u64, &[u8]) = (0, &[]);
        loop {
            let key = self.str()?;
            keys.add(key)?;
            // the first eight bytes decide most comparisons (byte order is the order of the big-endian word)
            if keys.n > 1
                && (key.head.swap_bytes() < last.0.swap_bytes()
                    || (key.head == last.0 && key.raw <= last.1))
            {
                self.same = false;
            }
            last = (key.head, key.raw);
            self.eat(b':')?;
            value(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(keys.n);
                }
                _ => return None,
            }
        }
    }

    /// `{}` of strings, keys unique; how many.
    fn env(&mut self) -> Option<usize> {
        self.map(|c, _| c.str()?.check())
    }

    /// An int64 as plain digits with an optional `-` (not `-0`, which the full reader judges).
    fn int64(&mut self) -> Option<i64> {
        self.ws();
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let v = self.digits()?;
        if negative && v == 0 {
            return None;
        }
        let out = if negative {
            0i64.checked_sub_unsigned(v)?
        } else {
            i64::try_from(v).ok()?
        };
        if v > JS_EXACT {
            self.big.push((start, self.i));
        }
        Some(out)
    }

    /// `"<digits>m"` within the server's limit, as Go writes `cpus`: the millicores.
    fn cpus(&mut self) -> Option<u64> {
        let s = self.str()?;
        if s.escaped {
            return None;
        }
        let digits = s.raw.strip_suffix(b"m")?;
        if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = digits
            .iter()
            .fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
        if digits.len() > 1 && digits.first() == Some(&b'0') {
            self.same = false; // the `Call` says "100m" where the text says "0100m"
        }
        (v <= 1_024_000).then_some(v)
    }

    /// `{name: [string, …]}`, keys unique (a `null` list or value goes to the full reader); how many.
    fn headers(&mut self) -> Option<usize> {
        self.map(|c, _| {
            c.ws();
            c.eat(b'[')?;
            if c.eat(b']').is_some() {
                return Some(());
            }
            loop {
                c.ws();
                c.str()?.check()?;
                c.ws();
                match c.peek()? {
                    b',' => c.i += 1,
                    b']' => {
                        c.i += 1;
                        return Some(());
                    }
                    _ => return None,
                }
            }
        })
    }

    /// `{key: any JSON value}`, keys unique; values nested deeper than a few levels go to the full reader; how many.
    fn annotations(&mut self) -> Option<usize> {
        self.map(|c, _| c.any(0))
    }

    /// Any well-formed JSON value (strings checked, numbers by JSON's grammar), nested at most 16 deep; anything
    /// else is left to the full reader, which has the errors to say about it.
    fn any(&mut self, depth: usize) -> Option<()> {
        if depth > 16 {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'"' => self.str()?.check(),
            b'{' => {
                self.i += 1;
                self.ws();
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.ws();
                    self.str()?.check()?;
                    self.ws();
                    self.eat(b':')?;
                    self.any(depth + 1)?;
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
            b'[' => {
                self.i += 1;
                self.ws();
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.any(depth + 1)?;
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
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A number by JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        let digits = |c: &mut Self| {
            let start = c.i;
            while matches!(c.peek(), Some(b'0'..=b'9')) {
                c.i += 1;
            }
            c.i - start
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        Some(())
    }

    /// `{name: uint64}`, keys unique; `mem_usage` and `cpu_total` are added to `totals` (what the index keeps).
    fn metrics(&mut self, totals: &mut (MetricAcc, MetricAcc)) -> Option<usize> {
        const MEM: u64 = head_of(b"mem_usage");
        const CPU: u64 = head_of(b"cpu_total");
        self.map(|c, key| {
            let v = c.uint64()?;
            if key.head == MEM && key.raw == b"mem_usage" {
                totals.0.add(v);
            } else if key.head == CPU && key.raw == b"cpu_total" {
                totals.1.add(v);
            }
            Some(())
        })
    }

    /// `[{"timestamp": date-time, "metrics": {name: uint64}}, …]` with exactly those keys, once each.
    fn stats(&mut self, totals: &mut (MetricAcc, MetricAcc)) -> Option<usize> {
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(0);
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
                let key = self.str()?;
                if key.escaped {
                    return None;
                }
                match key.raw {
                    b"timestamp" if !ts => {
                        ts = true;
                        self.eat(b':')?;
                        self.time()?;
                    }
                    b"metrics" if !metrics => {
                        if !ts {
                            self.same = false; // the `Stat` writes its timestamp first
                        }
                        metrics = true;
                        self.eat(b':')?;
                        self.metrics(totals)?;
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
                    return Some(n);
                }
                _ => return None,
            }
        }
    }
}

/// A clean record: the filter fields, and what the checks between fields need.
struct Clean<'a> {
    row: Row<'a>,
    present: [&'static str; 32],
    offsets: [(&'static str, usize); 32],
    /// How many of `present` and `offsets` are filled.
    fields: usize,
    /// Where the object starts (after leading whitespace).
    start: usize,
    status_text: Option<Cow<'a, str>>,
    ints: [i32; 3],
    memory: u64,
    v2: bool,
    /// With `js`: `JSON.parse` of the record (once `big` is quoted) gives exactly the `Call` object of the full
    /// reader (see [`read_clean_for_js`]).
    same: bool,
    big: Vec<(usize, usize)>,
    generation: crate::generation::GenerationId,
}

/// The filter fields of `record` when it is certainly a call without errors in `mode`; `None` when the full reader
/// must decide (which includes every record that has an error).
pub fn read_clean(record: &[u8], mode: Mode) -> Option<CallView<'_>> {
    read(record, mode).map(|c| c.row.view)
}

/// [`read_clean`] plus the metric totals: what the columnar index keeps of a clean call.
pub fn read_clean_row(record: &[u8], mode: Mode) -> Option<Row<'_>> {
    read(record, mode).map(|c| c.row)
}

/// Every issue of `record` (warnings only, as it has no error), exactly as the full reader reports them, when the
/// fast lane can read it; `None` when the full reader must.
pub fn validate_clean(record: &[u8], mode: Mode) -> Option<Vec<Issue>> {
    read_clean_with_issues(record, mode).map(|(_, issues)| issues)
}

/// [`read_clean`] and [`validate_clean`] in one pass.
pub fn read_clean_with_issues(record: &[u8], mode: Mode) -> Option<(Row<'_>, Vec<Issue>)> {
    with_issues(read(record, mode)?)
}

/// How the JavaScript boundary can build a clean record's `Call` object ([`read_clean_for_js`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ForJs {
    /// `JSON.parse` of the record itself, each `uint64`/`int64` then made a `bigint`, is exactly the `Call` object the
    /// boundary makes from the full reader's call (`gojson::write_call_for_js`): the same keys in the same order with
    /// the same values. What a Go server wrote is so, unless it has annotations (a `Call` holds each as its JSON
    /// text) or a number beyond 2^53.
    Verbatim,
    /// As `Verbatim` once each number beyond 2^53 (which `JSON.parse` would round) is quoted: this text.
    Quoted(String),
    /// Only the full reader's call gives the object.
    Differs,
}

/// [`read_clean_with_issues`], and how the boundary can build the call's object: the fast way is `JSON.parse` of
/// the caller's own text.
/// With `warnings` false the issues are not worked out (the answer has none): what a filter or a summary needs.
pub fn read_clean_for_js(
    record: &[u8],
    mode: Mode,
    warnings: bool,
) -> Option<(Row<'_>, Vec<Issue>, ForJs)> {
    let mut c = read_as(record, mode, true)?;
    let form = if !c.same {
        ForJs::Differs
    } else if c.big.is_empty() {
        ForJs::Verbatim
    } else {
        quoted(record, &std::mem::take(&mut c.big)).map_or(ForJs::Differs, ForJs::Quoted)
    };
    let (row, issues) = if warnings {
        with_issues(c)?
    } else {
        (c.row, Vec::new())
    };
    Some((row, issues, form))
}

/// `record` with the numbers at `spans` (in order) in quotes.
fn quoted(record: &[u8], spans: &[(usize, usize)]) -> Option<String> {
    let text = std::str::from_utf8(record).ok()?;
    let mut out = String::with_capacity(text.len() + 2 * spans.len());
    let mut from = 0;
    for &(start, end) in spans {
        out.push_str(text.get(from..start)?);
        out.push('"');
        out.push_str(text.get(start..end)?);
        out.push('"');
        from = end;
    }
    out.push_str(text.get(from..)?);
    Some(out)
}

fn with_issues(c: Clean<'_>) -> Option<(Row<'_>, Vec<Issue>)> {
    let v = &c.row.view;
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
        generation: Some(c.generation),
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
    Some((c.row, r.issues))
}

fn read(record: &[u8], mode: Mode) -> Option<Clean<'_>> {
    read_as(record, mode, false)
}

fn read_as(record: &[u8], mode: Mode, js: bool) -> Option<Clean<'_>> {
    // No UTF-8 check of the whole record: a byte above 0x7F is only valid inside a string, and strings check theirs.
    let mut c = Cur {
        b: record,
        i: 0,
        same: true,
        big: Vec::new(),
    };
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
    let mut present = [""; 32];
    // the same keys as positions in `KEYS`, and as `generation::key_bit`s
    let mut order = [0u8; 32];
    let mut mask = 0u64;
    let tables = tables();
    let mut offsets = [("", 0usize); 32];
    let mut fields = 0;
    let mut totals = (MetricAcc::default(), MetricAcc::default());
    // The keys whose value is set (not Go's zero value: `""`, 0, no entries), by their position in the record.
    let mut set: u32 = 0;
    loop {
        let key = c.str()?;
        if key.escaped {
            return None;
        }
        c.eat(b':')?;
        // unknown or differently cased key: only the full reader matches it as Go does
        let slot = slot_of(key)?;
        let bit = 1u32 << slot;
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        let (_, kind) = KEYS.get(slot)?;
        let name = *tables.names.get(slot)?;
        c.ws();
        *present.get_mut(fields)? = name;
        *order.get_mut(fields)? = slot as u8;
        mask |= tables.bits.get(slot)?;
        *offsets.get_mut(fields)? = (name, c.i);
        fields += 1;
        let is_set = match kind {
            Kind::Str(k) => {
                let v = c.string()?;
                let is_set = !v.is_empty();
                *strs.get_mut(*k)? = v;
                is_set
            }
            Kind::Ignore => {
                let v = c.str()?;
                v.check()?;
                !v.raw.is_empty()
            }
            Kind::V2 => {
                c.str()?.check()?;
                v2 = true;
                true
            }
            Kind::FnId => {
                view.fn_id = c.string()?;
                v2 = true;
                true
            }
            Kind::Uint32 => u32::try_from(c.uint64()?).ok()? != 0,
            Kind::Int64 => c.int64()? != 0,
            Kind::Cpus => c.cpus()? != 0,
            Kind::Headers => c.headers()? != 0,
            Kind::Annotations => {
                let n = c.annotations()?;
                if n != 0 {
                    c.same = false; // a `Call` holds each annotation as its JSON text
                }
                n != 0
            }
            Kind::Status => {
                status_text = Some(c.string()?);
                true
            }
            Kind::Type => {
                let t = c.string()?;
                view.call_type = if t.is_empty() {
                    None
                } else {
                    Some(CallType::parse(&t)?)
                };
                view.call_type.is_some()
            }
            Kind::Format => {
                let t = c.string()?;
                view.format = if t.is_empty() {
                    None
                } else {
                    Some(CallFormat::parse(&t)?)
                };
                view.format.is_some()
            }
            Kind::Int32(k) => {
                let v = c.int32()?;
                *ints.get_mut(*k)? = v;
                v != 0
            }
            Kind::Priority => {
                if !(0..=2).contains(&c.int32()?) {
                    return None;
                }
                true
            }
            Kind::Uint64 => {
                memory = c.uint64()?;
                memory != 0
            }
            Kind::Env => c.env()? != 0,
            Kind::Time(k) => {
                *times.get_mut(*k)? = c.time()?;
                true
            }
            Kind::Stats => c.stats(&mut totals)? != 0,
        };
        if is_set {
            set |= 1 << (fields - 1);
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
    // keys no release wrote together: the full reader warns about them
    let generation = crate::generation::detect_mask(mask)?;
    if js && c.same {
        c.same = same_keys(order.get(..fields)?, set, tables.layouts.get(generation)?);
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
        row: Row {
            view,
            mem: totals.0,
            cpu: totals.1,
        },
        present,
        offsets,
        fields,
        start,
        status_text,
        ints,
        memory,
        v2,
        same: c.same,
        big: c.big,
        generation,
    })
}

/// What the key checks need of `KEYS` and the generations, by position in `KEYS`; computed once.
struct Tables {
    /// Each key's name, and its `generation::key_bit`.
    names: [&'static str; 32],
    bits: [u64; 32],
    /// Each generation's layout: the position in `KEYS` of each of its keys, with the key.
    layouts: Vec<Vec<(u8, crate::generation::Key)>>,
}

fn tables() -> &'static Tables {
    static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let slot = |name: &str| KEYS.iter().position(|(k, _)| *k == name.as_bytes());
        let mut names = [""; 32];
        let mut bits = [0u64; 32];
        for ((n, bit), (name, _)) in names.iter_mut().zip(bits.iter_mut()).zip(KEYS.iter()) {
            *n = std::str::from_utf8(name).unwrap_or_default();
            *bit = crate::generation::key_bit(n).unwrap_or(0);
        }
        let layouts = crate::generation::GENERATIONS
            .iter()
            .map(|g| {
                g.keys
                    .iter()
                    // every layout key is in `KEYS`; one that were not could never be matched
                    .map(|k| (slot(k.name).map_or(u8::MAX, |s| s as u8), *k))
                    .collect()
            })
            .collect();
        Tables {
            names,
            bits,
            layouts,
        }
    })
}

/// Whether `keys` (positions in `KEYS`), in their order, are exactly the keys the `Call` object has: those the
/// generation's `layout` writes for the values set (bit `i` of `set`: the value of `keys[i]`).
fn same_keys(keys: &[u8], set: u32, layout: &[(u8, crate::generation::Key)]) -> bool {
    let mut i = 0;
    for (slot, key) in layout {
        let here = keys.get(i) == Some(slot);
        let is_set = here && set & (1 << i) != 0;
        match (crate::gojson::writes_key(key, is_set), here) {
            (true, true) => i += 1,
            (false, false) => {}
            _ => return false,
        }
    }
    i == keys.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::ReadOptions;
    use crate::record::call_from_bytes;
    use crate::view::call_metrics;

    /// A JavaScript value as `fix` (the boundary) leaves it: `uint64`/`int64` fields made `bigint`.
    #[derive(Debug, PartialEq)]
    enum Js {
        Null,
        Bool(bool),
        /// A number's bits (`-0` is not `0`).
        Num(u64),
        Big(i128),
        /// `BigInt()` of a number with a fraction throws.
        Throws,
        Str(String),
        Arr(Vec<Js>),
        Obj(Vec<(String, Js)>),
    }

    /// What `fix(JSON.parse(text))` gives, for the text of a record (numbers) or of `write_call_for_js` (strings);
    /// `path` leads to `n` (`"*"` for an array item).
    fn js(n: &crate::json::Node, path: &[&str]) -> Js {
        use crate::json::Value;
        let big = matches!(
            path,
            ["memory" | "execution_duration"] | ["stats", "*", "metrics", _]
        );
        match &n.value {
            Value::Null => Js::Null,
            Value::Bool(b) => Js::Bool(*b),
            Value::Number(t) => {
                let f: f64 = t.parse().unwrap();
                if big {
                    if f.fract() == 0.0 {
                        Js::Big(f as i128)
                    } else {
                        Js::Throws
                    }
                } else {
                    Js::Num(f.to_bits())
                }
            }
            Value::String(s) if big => Js::Big(s.text.parse().unwrap()),
            Value::String(s) => Js::Str(s.text.to_string()),
            Value::Array(items) => {
                let inner = [path, &["*"]].concat();
                Js::Arr(items.iter().map(|i| js(i, &inner)).collect())
            }
            Value::Object(members) => {
                // JSON.parse keeps a repeated key where it first stood, with the last value.
                let mut out: Vec<(String, Js)> = Vec::new();
                for m in members {
                    let inner = [path, &[&*m.key.text]].concat();
                    let v = js(&m.value, &inner);
                    match out.iter_mut().find(|(k, _)| *k == m.key.text) {
                        Some(slot) => slot.1 = v,
                        None => out.push((m.key.text.to_string(), v)),
                    }
                }
                Js::Obj(out)
            }
        }
    }

    /// `fix(JSON.parse(text))` is the `Call` object the boundary builds from the full reader's call.
    fn same_object(record: &[u8], call: &crate::model::Call) -> bool {
        let mut text = String::new();
        crate::gojson::write_call_for_js(&mut text, call);
        let ours = crate::json::parse(text.as_bytes()).unwrap();
        let theirs = crate::json::parse(record).unwrap();
        js(&theirs, &[]) == js(&ours, &[])
    }

    /// When the fast lane says "clean", the full reader agrees and reads the same fields; when it says that
    /// `JSON.parse` of the record gives the `Call` object, it does.
    pub fn agrees(record: &[u8], mode: Mode) -> bool {
        let full = call_from_bytes(record, ReadOptions { mode });
        // without warnings: the same answer, no issues
        let quiet = read_clean_for_js(record, mode, false);
        let loud = read_clean_for_js(record, mode, true);
        if quiet.map(|(r, i, f)| (r, i.is_empty(), f)) != loud.clone().map(|(r, _, f)| (r, true, f))
        {
            return false;
        }
        match loud {
            None if read_clean(record, mode).is_some() => return false,
            Some((_, issues, form)) => {
                if issues != full.issues {
                    return false;
                }
                let text = match &form {
                    ForJs::Verbatim => record,
                    ForJs::Quoted(text) => text.as_bytes(),
                    ForJs::Differs => &[],
                };
                if form != ForJs::Differs
                    && !full.call.as_ref().is_some_and(|c| same_object(text, c))
                {
                    return false;
                }
            }
            None => {}
        }
        if let Some(issues) = validate_clean(record, mode) {
            if issues != full.issues {
                return false;
            }
        }
        match read_clean_row(record, mode) {
            None => read_clean(record, mode).is_none(),
            Some(row) => {
                let Some(c) = full.call else { return false };
                if (row.mem, row.cpu) != call_metrics(&c)
                    || Some(&row.view) != read_clean(record, mode).as_ref()
                {
                    return false;
                }
                let v = row.view;
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

    const CLEAN: &str = r#"{"id":"01C01TC09K47WGM00000000000","status":"","app_name":"myapp","path":"/hello","image":"fnproject/hello","type":"async","format":"default","payload":"{\"name\":\"Johnny\"}","url":"http://localhost:8080/r/myapp/hello?a=1\u0026b=2","method":"POST","priority":0,"timeout":30,"idle_timeout":30,"memory":128,"base_env":{"FN_APP_NAME":"myapp"},"env_vars":{"FN_CALL_ID":"x"},"completed_at":"0001-01-01T00:00:00.000Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"0001-01-01T00:00:00.000Z","stats":[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_limit":9223372036854771712,"mem_usage":1048576,"cpu_total":12,"net_rx":508}},{"timestamp":"2017-11-28T17:21:40.000Z","metrics":{"cpu_total":30,"mem_usage":2097152,"cpu_totals":7}}],"error":"a \u0026 b"}"#;

    /// [`CLEAN`] as Go writes it (metrics sorted by name), every number within 2^53 (what `JSON.parse` reads
    /// exactly).
    fn clean_js() -> String {
        CLEAN
            .replace(
                r#"{"mem_limit":9223372036854771712,"mem_usage":1048576,"cpu_total":12,"net_rx":508}"#,
                r#"{"cpu_total":12,"mem_limit":9007199254740992,"mem_usage":1048576,"net_rx":508}"#,
            )
            .replace(
                r#"{"cpu_total":30,"mem_usage":2097152,"cpu_totals":7}"#,
                r#"{"cpu_total":30,"cpu_totals":7,"mem_usage":2097152}"#,
            )
    }

    fn same(record: &str) -> Option<bool> {
        read_clean_for_js(record.as_bytes(), Mode::Observed, true)
            .map(|(_, _, form)| form == ForJs::Verbatim)
    }

    #[test]
    fn records_go_wrote_are_the_objects_json_parse_makes() {
        assert_eq!(same(&clean_js()), Some(true));
        assert!(agrees(clean_js().as_bytes(), Mode::Observed));
        // whitespace and escapes do not change what JSON.parse makes
        let spaced = clean_js()
            .replace(",\"", ", \"")
            .replace("\"app_name\":\"myapp\"", "\"app_name\" : \"my\\u0061pp\"");
        assert_eq!(same(&spaced), Some(true));
        assert!(agrees(spaced.as_bytes(), Mode::Observed));
        // each of these is clean, but the `Call` object differs from what JSON.parse makes of the text
        for (from, to) in [
            ("9007199254740992", "9007199254740993"),
            ("\"memory\":128", "\"memory\":9007199254740993"),
            ("\"created_at\":\"2017-11-28T17:21:39.123Z\"", "\"created_at\":\"2017-11-28T17:21:39.123+00:00\""),
            ("\"created_at\":\"2017-11-28T17:21:39.123Z\"", "\"created_at\":\"2017-11-28T17:21:39.1230Z\""),
            ("{\"timestamp\":\"2017-11-28T17:21:40.000Z\",\"metrics\":{\"cpu_total\":30,\"cpu_totals\":7,\"mem_usage\":2097152}}",
             "{\"metrics\":{\"cpu_total\":30,\"cpu_totals\":7,\"mem_usage\":2097152},\"timestamp\":\"2017-11-28T17:21:40.000Z\"}"),
            ("\"cpu_total\":30,\"cpu_totals\":7,\"mem_usage\":2097152", "\"cpu_totals\":7,\"cpu_total\":30,\"mem_usage\":2097152"),
            ("\"FN_APP_NAME\":\"myapp\"", "\"FN_APP_NAME\":\"myapp\",\"A\":\"b\""),
            ("\"image\":\"fnproject/hello\"", "\"image\":\"\""),
            ("\"timeout\":30", "\"timeout\":0"),
            ("\"memory\":128", "\"memory\":0"),
            ("\"base_env\":{\"FN_APP_NAME\":\"myapp\"}", "\"base_env\":{}"),
            ("\"type\":\"async\"", "\"type\":\"\""),
            ("\"app_name\":\"myapp\",", ""),
            ("\"image\":\"fnproject/hello\",\"type\":\"async\"", "\"type\":\"async\",\"image\":\"fnproject/hello\""),
        ] {
            let r = clean_js().replace(from, to);
            assert_ne!(r, clean_js(), "{to}");
            assert_eq!(same(&r), Some(false), "{to}");
            assert!(agrees(r.as_bytes(), Mode::Observed), "{to}");
        }
        let today = r#"{"id":"01DGYHBS9FHGF4F8PK0M001H4A","status":"success","image":"acme/sms:1.0.3","type":"detached","timeout":30,"idle_timeout":30,"tmpfs_size":64,"memory":128,"cpus":"250m","config":{"DB_URL":"postgres://db"},"headers":{"Content-Type":["application/json"]},"syslog_url":"tcp://logs:514","completed_at":"2019-07-29T17:58:51.761Z","created_at":"2019-07-29T17:58:51.641Z","started_at":"2019-07-29T17:58:51.650Z","execution_duration":-110000000,"app_id":"01CB6WYP9FHGF4F8PK0M00APPS","app_name":"shop","trigger_id":"","fn_id":"01CKAZ399FHGF4F8PK0M000FNS"}"#;
        assert_eq!(same(today), Some(true));
        assert!(agrees(today.as_bytes(), Mode::Observed));
        // an empty value before a key written always: Go leaves the empty one out
        let empty = today.replace("\"syslog_url\":\"tcp://logs:514\"", "\"syslog_url\":\"\"");
        assert_eq!(same(&empty), Some(false));
        // an empty value of a key written always stays
        let no_id = clean_js().replace("01C01TC09K47WGM00000000000", "");
        assert_eq!(same(&no_id), Some(true));
        assert!(agrees(no_id.as_bytes(), Mode::Observed));
        for (from, to) in [
            ("\"cpus\":\"250m\"", "\"cpus\":\"0250m\""),
            ("\"syslog_url\"", "\"annotations\":{\"a\":1},\"syslog_url\""),
            ("-110000000", "-9007199254740993"),
            ("\"trigger_id\":\"\",", ""),
        ] {
            let r = today.replace(from, to);
            assert_ne!(r, today, "{to}");
            assert_eq!(same(&r), Some(false), "{to}");
            assert!(agrees(r.as_bytes(), Mode::Observed), "{to}");
        }
    }

    #[test]
    fn numbers_json_parse_would_round_are_quoted() {
        let form =
            |r: &str| read_clean_for_js(r.as_bytes(), Mode::Observed, true).map(|(_, _, f)| f);
        let big = clean_js()
            .replace("9007199254740992", "9223372036854771712")
            .replace("\"memory\":128", "\"memory\":18446744073709551615");
        let want = big
            .replace("9223372036854771712", "\"9223372036854771712\"")
            .replace("18446744073709551615", "\"18446744073709551615\"");
        assert_eq!(form(&big), Some(ForJs::Quoted(want)));
        assert!(agrees(big.as_bytes(), Mode::Observed));
        // 2^53 itself is exact; the next integer is not
        assert_eq!(form(&clean_js()), Some(ForJs::Verbatim));
        let r = r#"{"id":"01DGYHBS9FHGF4F8PK0M001H4A","status":"success","completed_at":"2019-07-29T17:58:51.761Z","created_at":"2019-07-29T17:58:51.641Z","started_at":"2019-07-29T17:58:51.650Z","execution_duration":DUR,"app_id":"a","app_name":"","trigger_id":"","fn_id":"f"}"#;
        for (d, quoted) in [
            ("-9007199254740992", false),
            ("-9007199254740993", true),
            ("9007199254740993", true),
            ("-9223372036854775808", true),
        ] {
            let rec = r.replace("DUR", d);
            let want = if quoted {
                ForJs::Quoted(r.replace("DUR", &format!("\"{d}\"")))
            } else {
                ForJs::Verbatim
            };
            assert_eq!(form(&rec), Some(want), "{d}");
            assert!(agrees(rec.as_bytes(), Mode::Observed), "{d}");
        }
    }

    /// Each position of `base` set to each of `bytes`, and removed: [`agrees`] holds for every one.
    fn every_byte_changed_agrees(base: &[u8], bytes: &[u8]) {
        for i in 0..base.len() {
            for &b in bytes {
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
    fn every_single_byte_change_keeps_the_object_claim_true() {
        every_byte_changed_agrees(clean_js().as_bytes(), b"09x\"-. },AZ+");
    }

    #[test]
    fn later_generations_agree_with_the_full_reader() {
        let head = r#"{"id":"01DGYHBS9FHGF4F8PK0M001H4A","status":"success","image":"acme/sms:1.0.3","type":"detached","timeout":30,"idle_timeout":30,"tmpfs_size":64,"memory":128,"cpus":"250m","config":{"DB_URL":"postgres://db?a=1\u0026b=2"},"annotations":ANN,"headers":{"Content-Type":["application/json"],"X-Forwarded-For":["10.0.0.1","10.0.0.2"]},"syslog_url":"tcp://logs:514","completed_at":"2019-07-29T17:58:51.761Z","created_at":"2019-07-29T17:58:51.641Z","started_at":"2019-07-29T17:58:51.650Z","execution_duration":DUR,"app_id":"01CB6WYP9FHGF4F8PK0M00APPS","app_name":"shop","trigger_id":"","fn_id":"01CKAZ399FHGF4F8PK0M000FNS"}"#;
        let rec = |ann: &str, dur: &str| head.replace("ANN", ann).replace("DUR", dur);
        let clean = rec(
            r#"{"a":"x","b":{"n":[1,2.50,-1e3,true,false,null,{"c":"\u00e9"}]},"c":12.50}"#,
            "110000000",
        );
        assert!(
            validate_clean(clean.as_bytes(), Mode::Observed).is_some(),
            "a call of today takes the fast lane"
        );
        for ann in [
            r#"{}"#,
            r#"{"a":null}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":-}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":tru}"#,
            r#"{"a":"x","a":"y"}"#,
            r#"{"a":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}"#,
        ] {
            for dur in [
                "1",
                "-1",
                "0",
                "-0",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
            ] {
                let r = rec(ann, dur);
                assert!(agrees(r.as_bytes(), Mode::Observed), "{ann} {dur}");
            }
        }
        for (from, to) in [
            (r#""cpus":"250m""#, r#""cpus":"0.25""#),
            (r#""cpus":"250m""#, r#""cpus":250"#),
            (r#""cpus":"250m""#, r#""cpus":"1024001m""#),
            (r#""cpus":"250m""#, r#""cpus":"m""#),
            (r#""tmpfs_size":64"#, r#""tmpfs_size":4294967296"#),
            (r#""tmpfs_size":64"#, r#""tmpfs_size":-1"#),
            (
                r#""X-Forwarded-For":["10.0.0.1","10.0.0.2"]"#,
                r#""X-Forwarded-For":null"#,
            ),
            (
                r#""X-Forwarded-For":["10.0.0.1","10.0.0.2"]"#,
                r#""X-Forwarded-For":[null]"#,
            ),
            (
                r#""X-Forwarded-For":["10.0.0.1","10.0.0.2"]"#,
                r#""X-Forwarded-For":"10.0.0.1""#,
            ),
            (
                r#""syslog_url":"tcp://logs:514""#,
                r#""syslog_url":"tcp://logs:514","base_env":{"A":"1"}"#,
            ),
            (
                r#""app_name":"shop","#,
                r#""app_name":"shop","path":"/sms","#,
            ),
        ] {
            let r = clean.replace(from, to);
            assert_ne!(r, clean, "{to}");
            assert!(agrees(r.as_bytes(), Mode::Observed), "{to}");
        }
    }

    #[test]
    fn integers_at_the_edges_of_their_types() {
        let rec = |k: &str, v: &str| format!("{{\"{k}\":{v}}}");
        let mem =
            |v: &str| read_clean_with_issues(rec("memory", v).as_bytes(), Mode::Observed).is_some();
        assert!(mem("18446744073709551615"));
        for bad in [
            "18446744073709551616",
            "99999999999999999999",
            "184467440737095516150",
            "01",
            "1.0",
            "1e3",
            "-1",
            "",
        ] {
            assert!(!mem(bad), "{bad}");
        }
        let delay =
            |v: &str| read_clean_with_issues(rec("delay", v).as_bytes(), Mode::Observed).is_some();
        assert!(delay("2147483647") && delay("-2147483648") && delay("0"));
        for bad in ["2147483648", "-2147483649", "-", "--1", "+1"] {
            assert!(!delay(bad), "{bad}");
        }
        for v in [
            "18446744073709551615",
            "18446744073709551616",
            "-0",
            "2147483648",
            "-2147483648",
        ] {
            assert!(
                agrees(rec("memory", v).as_bytes(), Mode::Observed)
                    && agrees(rec("delay", v).as_bytes(), Mode::Observed)
            );
        }
        // Go's edge cases, every integer field: `-0` is refused for the unsigned ones (strconv.ParseUint) and read as
        // 0 by the signed ones; fractions and exponents are refused, leading zeros are a syntax error. Whatever the
        // full reader says, the fast lane never calls a record clean that the full reader flags.
        let stats = |v: &str| {
            format!(
                r#"{{"stats":[{{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{{"mem_usage":{v}}}}}]}}"#
            )
        };
        for v in [
            "-0", "0", "-0.0", "0.0", "1e3", "1.0", "01", "-01", "-1", "+1", "1", "-1e0",
        ] {
            for k in [
                "memory",
                "tmpfs_size",
                "delay",
                "timeout",
                "idle_timeout",
                "priority",
                "execution_duration",
            ] {
                assert!(agrees(rec(k, v).as_bytes(), Mode::Observed), "{k}: {v}");
            }
            assert!(agrees(stats(v).as_bytes(), Mode::Observed), "metrics: {v}");
        }
        assert!(!mem("-0"));
    }

    #[test]
    fn the_key_tables_cover_every_key_and_layout() {
        let t = tables();
        for (i, (k, _)) in KEYS.iter().enumerate() {
            assert_eq!(t.names[i].as_bytes(), *k);
            assert_eq!(Some(t.bits[i]), crate::generation::key_bit(t.names[i]));
        }
        for (g, layout) in crate::generation::GENERATIONS.iter().zip(&t.layouts) {
            let names: Vec<&str> = layout
                .iter()
                .map(|(slot, _)| t.names[*slot as usize])
                .collect();
            let want: Vec<&str> = g.keys.iter().map(|k| k.name).collect();
            assert_eq!(names, want, "{}", g.name);
        }
    }

    #[test]
    fn key_slots_follow_the_table() {
        fn key(k: &[u8]) -> Str<'_> {
            Str {
                raw: k,
                escaped: false,
                ascii: true,
                head: head_of(k),
            }
        }
        for (i, (k, _)) in KEYS.iter().enumerate() {
            assert_eq!(slot_of(key(k)), Some(i), "{}", String::from_utf8_lossy(k));
            let mut longer = k.to_vec();
            longer.push(b'x');
            assert_eq!(slot_of(key(&longer)), None);
            assert_eq!(slot_of(key(&k[..k.len() - 1])), None);
        }
        assert_eq!(slot_of(key(b"ID")), None);
        assert_eq!(slot_of(key(b"reason")), None);
        assert_eq!(slot_of(key(b"idle_timeouu")), None);
        assert_eq!(slot_of(key(b"")), None);
    }

    #[test]
    fn strings_are_scanned_a_word_at_a_time_exactly() {
        // every position of a special byte relative to the 8-byte words, with and without non-ASCII text before it
        for pad in 0..20 {
            for pre in ["", "é", "ab€"] {
                let plain = format!("{{\"app_name\":\"{pre}{}\"}}", "x".repeat(pad));
                let v = read_clean(plain.as_bytes(), Mode::Observed);
                assert_eq!(
                    v.map(|v| v.app_name.into_owned()),
                    Some(format!("{pre}{}", "x".repeat(pad)))
                );
                let escaped = format!("{{\"app_name\":\"{pre}{}\\u0041\\n\"}}", "x".repeat(pad));
                let v = read_clean(escaped.as_bytes(), Mode::Observed);
                assert_eq!(
                    v.map(|v| v.app_name.into_owned()),
                    Some(format!("{pre}{}A\n", "x".repeat(pad)))
                );
                for bad in [&b"\x01"[..], b"\xff", b"\xc3", b"\\x", b"\\ud800"] {
                    let mut rec = format!("{{\"app_name\":\"{pre}{}", "x".repeat(pad)).into_bytes();
                    rec.extend_from_slice(bad);
                    rec.extend_from_slice(b"yyyyyyyyy\"}");
                    assert!(
                        read_clean(&rec, Mode::Observed).is_none(),
                        "{}",
                        String::from_utf8_lossy(&rec)
                    );
                    assert!(agrees(&rec, Mode::Observed));
                    // the same in a value nobody decodes
                    let rec = [&b"{\"payload\""[..], &rec[11..]].concat();
                    assert!(
                        read_clean(&rec, Mode::Observed).is_none(),
                        "{}",
                        String::from_utf8_lossy(&rec)
                    );
                }
            }
        }
    }

    #[test]
    fn rows_total_the_metrics_summaries_use() {
        let row = read_clean_row(CLEAN.as_bytes(), Mode::Observed).unwrap();
        assert_eq!(
            (row.mem.samples, row.mem.peak, row.mem.sum),
            (2, 2097152, 3145728)
        );
        assert_eq!((row.cpu.samples, row.cpu.peak, row.cpu.sum), (2, 30, 42));
    }

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
        every_byte_changed_agrees(CLEAN.as_bytes(), b"09x\"\\-.e {},n\xffA");
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
