//! A JSON reader that keeps what a validator needs and `JSON.parse` throws away: the byte offset of every value,
//! numbers as their exact source text (so `1e3` and integers above 2^53 can be judged), and every member of an
//! object in order, duplicates included.
//!
//! It is recursive with a fixed depth limit, so hostile nesting ends in an issue, not a stack overflow.

use crate::issue::{Issue, IssueCode, Severity};
use std::borrow::Cow;

/// Deepest nesting accepted. A call needs 5 levels (envelope, call, stats, sample, metrics); unknown keys may hold
/// more, and 128 keeps the recursion far inside the wasm stack even in debug builds (Go allows 10,000).
pub const MAX_DEPTH: usize = 128;

/// A JSON value. Strings and numbers borrow from the input when they can (no escapes), so reading a record
/// allocates little more than its containers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written; the grammar has been checked.
    Number(Cow<'a, str>),
    String(JsonString<'a>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// A decoded string, and whether decoding had to replace an escaped lone surrogate with U+FFFD (as Go does).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonString<'a> {
    pub text: Cow<'a, str>,
    pub lone_surrogate: bool,
    /// The source between the quotes, when it had escapes (so it differs from `text`): raw JSON values such as
    /// annotations are written back with the escapes as written, as Go's `json.RawMessage` keeps them.
    pub raw: Option<Cow<'a, str>>,
}

impl JsonString<'_> {
    pub fn owned(text: String, lone_surrogate: bool) -> JsonString<'static> {
        JsonString {
            text: Cow::Owned(text),
            lone_surrogate,
            raw: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    /// Byte offset of the value's first character in the input.
    pub offset: usize,
}

impl Node<'_> {
    /// The same tree with nothing borrowed from the input.
    pub fn into_owned(self) -> Node<'static> {
        let own = |s: JsonString| JsonString {
            raw: s.raw.map(|r| Cow::Owned(r.into_owned())),
            ..JsonString::owned(s.text.into_owned(), s.lone_surrogate)
        };
        let value = match self.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(Cow::Owned(n.into_owned())),
            Value::String(s) => Value::String(own(s)),
            Value::Array(items) => Value::Array(items.into_iter().map(Node::into_owned).collect()),
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .map(|m| Member {
                        key: own(m.key),
                        key_offset: m.key_offset,
                        value: m.value.into_owned(),
                    })
                    .collect(),
            ),
        };
        Node {
            value,
            offset: self.offset,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: JsonString<'a>,
    pub key_offset: usize,
    pub value: Node<'a>,
}

impl Value<'_> {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Parses one complete JSON text. On failure returns one error issue (a syntax error ends reading: what follows it
/// cannot be trusted), with the byte offset where it was found.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, Box<Issue>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(syntax(
            IssueCode::JsonBom,
            0,
            "the input starts with a byte order mark (U+FEFF), which JSON does not allow",
        ));
    }
    let mut p = Parser { bytes, pos: 0 };
    p.skip_ws();
    if p.pos >= bytes.len() {
        return Err(syntax(
            IssueCode::JsonSyntax,
            p.pos,
            "the input is empty: expected a JSON value",
        ));
    }
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < bytes.len() {
        return Err(syntax(
            IssueCode::JsonTrailing,
            p.pos,
            &format!(
                "unexpected {} after the end of the JSON value",
                describe_byte(bytes, p.pos)
            ),
        ));
    }
    Ok(node)
}

#[cold]
fn syntax(code: IssueCode, offset: usize, message: &str) -> Box<Issue> {
    let mut issue = Issue::new(Severity::Error, code, "", message.to_string());
    issue.offset = Some(offset as u64);
    Box::new(issue)
}

fn describe_byte(bytes: &[u8], pos: usize) -> String {
    match bytes.get(pos) {
        None => "end of input".to_string(),
        Some(b) if b.is_ascii_graphic() => format!("character '{}'", *b as char),
        Some(b) => format!("byte 0x{b:02x}"),
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    // (see `string` for the borrowed fast path)
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    #[cold]
    fn unexpected(&self, expected: &str) -> Box<Issue> {
        syntax(
            IssueCode::JsonSyntax,
            self.pos,
            &format!(
                "unexpected {}: expected {expected}",
                describe_byte(self.bytes, self.pos)
            ),
        )
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Box<Issue>> {
        let offset = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node { value, offset })
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, Box<Issue>> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.unexpected(&format!("'{word}'")))
        }
    }

    fn number(&mut self) -> Result<Value<'a>, Box<Issue>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        // The grammar above only admits ASCII, so this cannot fail; stay panic-free anyway.
        let text = std::str::from_utf8(self.bytes.get(start..self.pos).unwrap_or_default())
            .unwrap_or_default();
        Ok(Value::Number(Cow::Borrowed(text)))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, Box<Issue>> {
        if depth > MAX_DEPTH {
            return Err(syntax(
                IssueCode::JsonDepth,
                self.pos,
                &format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, Box<Issue>> {
        if depth > MAX_DEPTH {
            return Err(syntax(
                IssueCode::JsonDepth,
                self.pos,
                &format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_offset = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_offset,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    fn string(&mut self) -> Result<JsonString<'a>, Box<Issue>> {
        self.pos += 1; // opening quote
                       // Fast path: no escape before the closing quote, so the text is borrowed as it is.
        let start = self.pos;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        if self.bytes.get(end) == Some(&b'"') {
            let run = self.bytes.get(start..end).unwrap_or_default();
            return match std::str::from_utf8(run) {
                Ok(text) => {
                    self.pos = end + 1;
                    Ok(JsonString {
                        text: Cow::Borrowed(text),
                        lone_surrogate: false,
                        raw: None,
                    })
                }
                Err(e) => Err(syntax(
                    IssueCode::InvalidUtf8,
                    start + e.valid_up_to(),
                    "the bytes are not valid UTF-8 (JSON text must be UTF-8)",
                )),
            };
        }
        let mut out = String::new();
        let mut lone_surrogate = false;
        loop {
            // Copy the longest run of plain bytes at once.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            if self.pos > run_start {
                let run = self.bytes.get(run_start..self.pos).unwrap_or_default();
                match std::str::from_utf8(run) {
                    Ok(s) => out.push_str(s),
                    Err(e) => {
                        return Err(syntax(
                            IssueCode::InvalidUtf8,
                            run_start + e.valid_up_to(),
                            "the bytes are not valid UTF-8 (JSON text must be UTF-8)",
                        ));
                    }
                }
            }
            match self.peek() {
                Some(b'"') => {
                    let raw = self
                        .bytes
                        .get(start..self.pos)
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .map(Cow::Borrowed);
                    self.pos += 1;
                    return Ok(JsonString {
                        text: Cow::Owned(out),
                        lone_surrogate,
                        raw,
                    });
                }
                Some(b'\\') => {
                    let esc_at = self.pos;
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4(esc_at)?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by an escaped low one.
                                if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    let save = self.pos;
                                    self.pos += 2;
                                    let lo = self.hex4(self.pos - 2)?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    } else {
                                        self.pos = save;
                                        None
                                    }
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            let c = c.unwrap_or_else(|| {
                                lone_surrogate = true;
                                '\u{FFFD}'
                            });
                            out.push(c);
                            continue;
                        }
                        _ => {
                            return Err(syntax(
                                IssueCode::JsonSyntax,
                                esc_at,
                                &format!(
                                    "invalid escape '\\{}' in a string",
                                    describe_byte(self.bytes, self.pos)
                                ),
                            ))
                        }
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(syntax(
                        IssueCode::JsonSyntax,
                        self.pos,
                        "a control character (below U+0020) must be escaped inside a string",
                    ))
                }
                None => {
                    return Err(syntax(
                        IssueCode::JsonSyntax,
                        self.pos,
                        "the input ends inside a string",
                    ))
                }
            }
        }
    }

    fn hex4(&mut self, esc_at: usize) -> Result<u32, Box<Issue>> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    return Err(syntax(
                        IssueCode::JsonSyntax,
                        esc_at,
                        "a \\u escape needs four hexadecimal digits",
                    ))
                }
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }
}

/// Parses one JSON value starting at `pos` (leading whitespace allowed) and returns it with the position just
/// after it. Used to read the records of an array one at a time, so a syntax error late in a batch does not hide
/// the records before it.
pub fn parse_at(bytes: &[u8], pos: usize) -> Result<(Node<'_>, usize), Box<Issue>> {
    let mut p = Parser { bytes, pos };
    p.skip_ws();
    let node = p.value(1)?;
    Ok((node, p.pos))
}

/// Skips JSON whitespace from `pos`.
pub fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// The 1-based line of a byte offset, for messages about NDJSON and multi-line input.
pub fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes.iter().take(offset).filter(|b| **b == b'\n').count()
}

/// A value as compact JSON: numbers as written, strings with their escapes as written (Go's `json.Compact` of the
/// source, before the HTML escaping the writer adds), members in order, duplicates included.
pub fn compact(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => compact_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact_string(&m.key, out);
                out.push(':');
                compact(&m.value, out);
            }
            out.push('}');
        }
    }
}

fn compact_string(s: &JsonString, out: &mut String) {
    out.push('"');
    match &s.raw {
        Some(raw) => out.push_str(raw),
        None => {
            // No escapes in the source (or a JS string): escape what JSON requires, as JSON.stringify does.
            for c in s.text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 => {
                        let _ =
                            std::fmt::Write::write_fmt(out, format_args!("\\u{:04x}", c as u32));
                    }
                    c => out.push(c),
                }
            }
        }
    }
    out.push('"');
}

/// A finite number's shortest digits, given in exponent form (`1.5e-7`, `1e+21`, JavaScript's `String(n)`) or
/// plain (`0.25`), written out in full without an exponent (`0.00000015`, `1000000000000000000000`): the text Rust's
/// `Display` of an `f64` writes, without linking its float formatting into the wasm module. Anything that is not
/// digits with an optional point, sign and exponent comes back unchanged.
pub fn plain_decimal(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let Some((mantissa, exponent)) = unsigned.split_once(['e', 'E']) else {
        return text.to_string();
    };
    let Ok(exponent) = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse::<i32>()
    else {
        return text.to_string();
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let digits = digits.trim_start_matches('0');
    let point = int_part.len() as i64 - (int_part.len() + frac_part.len() - digits.len()) as i64
        + exponent as i64;
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return format!("{sign}0");
    }
    let len = digits.len() as i64;
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(digits);
    } else if point >= len {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (point - len) as usize));
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Node<'_> {
        parse(s.as_bytes()).unwrap()
    }
    fn err(s: &[u8]) -> Issue {
        *parse(s).unwrap_err()
    }

    #[test]
    fn keeps_number_text_and_offsets() {
        let n = ok(r#" {"a": 18446744073709551615, "b": 1e3}"#);
        let Value::Object(m) = n.value else { panic!() };
        assert_eq!(n.offset, 1);
        assert_eq!(
            m[0].value.value,
            Value::Number("18446744073709551615".into())
        );
        assert!(matches!(&m[0].key.text, Cow::Borrowed("a")));
        assert_eq!(m[0].value.offset, 7);
        assert_eq!(m[1].value.value, Value::Number("1e3".into()));
    }

    #[test]
    fn keeps_duplicate_keys_in_order() {
        let Value::Object(m) = ok(r#"{"a":1,"a":2}"#).value else {
            panic!()
        };
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].value.value, Value::Number("2".into()));
    }

    #[test]
    fn decodes_escapes_and_surrogates() {
        let Value::String(s) = ok(r#""\u0061\n\ud83d\ude00\u00e9""#).value else {
            panic!()
        };
        assert_eq!(s.text, "a\n😀é");
        assert!(!s.lone_surrogate);
        let Value::String(s) = ok(r#""x\ud800y""#).value else {
            panic!()
        };
        assert_eq!(s.text, "x\u{FFFD}y");
        assert!(s.lone_surrogate);
    }

    #[test]
    fn rejects_what_json_does_not_allow() {
        assert_eq!(err(b"").code, "json_syntax");
        assert_eq!(err(b"\xEF\xBB\xBF{}").code, "json_bom");
        assert_eq!(err(b"{} x").code, "json_trailing");
        assert_eq!(err(b"{} x").offset, Some(3));
        assert_eq!(err(b"\"\xff\"").code, "invalid_utf8");
        assert_eq!(err(b"\"a\x01\"").code, "json_syntax");
        assert_eq!(err(b"01").code, "json_trailing");
        assert_eq!(err(b"1.").code, "json_syntax");
        assert_eq!(err(b"{\"a\" 1}").code, "json_syntax");
        assert_eq!(err(b"[1,]").code, "json_syntax");
        assert_eq!(err(b"{\"a\":1,}").code, "json_syntax");
        assert_eq!(err(b"NaN").code, "json_syntax");
        assert_eq!(err(b"\"\\x\"").code, "json_syntax");
        assert_eq!(err(b"\"abc").code, "json_syntax");
    }

    #[test]
    fn deep_nesting_is_an_issue_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(deep.as_bytes()).code, "json_depth");
        let ok_depth = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok_depth.as_bytes()).is_ok());
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of(b"a\nb\nc", 4), 3);
        assert_eq!(line_of(b"abc", 0), 1);
    }
    #[test]
    fn plain_decimal_writes_what_display_writes() {
        let mut values = vec![
            0.1,
            0.5,
            1.5,
            2.0,
            1e-7,
            1.5e-7,
            1e21,
            1e22,
            1.7976931348623157e308,
            5e-324,
            2.2250738585072014e-308,
            123.456,
            1e38,
            1.7e38,
            9007199254740993.0,
            0.000001,
            1e-6,
            12345678901234567890.0,
            3.0e-5,
            4.35,
        ];
        // Spread over the whole range, in both signs (a fixed walk, not a random one).
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                values.push(f);
            }
        }
        for f in values {
            for f in [f, -f] {
                let want = format!("{f}");
                // Rust's exponent form (`1.5e-7`) and JavaScript's (`1.5e+21`, with a plus sign).
                let exp = format!("{f:e}");
                assert_eq!(plain_decimal(&exp), want, "{exp}");
                let js = if exp.contains("e-") {
                    exp.clone()
                } else {
                    exp.replace('e', "e+")
                };
                assert_eq!(plain_decimal(&js), want, "{js}");
            }
        }
        assert_eq!(plain_decimal("0.25"), "0.25");
        assert_eq!(plain_decimal("-12"), "-12");
        assert_eq!(plain_decimal("0e+5"), "0");
        assert_eq!(plain_decimal("NaN"), "NaN");
        assert_eq!(plain_decimal("Infinity"), "Infinity");
        assert_eq!(plain_decimal("1ex"), "1ex");
        assert_eq!(plain_decimal("ae5"), "ae5");
    }
}
