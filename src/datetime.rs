//! Date-times as the Go server reads and writes them (`docs/model.md#date-times`).
//!
//! Reading accepts RFC 3339 with an upper-case `T`, any number of fractional digits, and `Z` or `±hh:mm`; the empty
//! string is 1970-01-01T00:00:00Z. Writing is Go's `2006-01-02T15:04:05.000Z07:00`: three fractional digits,
//! truncated, in the time's own offset.

use std::cmp::Ordering;

/// Unix seconds of Go's zero time, 0001-01-01T00:00:00Z, which the model uses for "not set".
const ZERO_UNIX: i64 = -62_135_596_800;

/// An instant plus the UTC offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoTime {
    pub unix_secs: i64,
    pub nanos: u32,
    pub offset_secs: i32,
}

impl Default for GoTime {
    fn default() -> Self {
        GoTime::ZERO
    }
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`); it runs once per
/// date-time read, so it avoids a calendar library's general machinery.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl GoTime {
    pub const ZERO: GoTime = GoTime {
        unix_secs: ZERO_UNIX,
        nanos: 0,
        offset_secs: 0,
    };

    /// Go's `IsZero`: the zero instant, whatever the offset.
    pub fn is_zero(&self) -> bool {
        self.unix_secs == ZERO_UNIX && self.nanos == 0
    }

    /// Whole milliseconds since the Unix epoch (floor).
    pub fn unix_millis(&self) -> i64 {
        self.unix_secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// Orders instants, ignoring the offset they were written in.
    pub fn cmp_instant(&self, other: &GoTime) -> Ordering {
        (self.unix_secs, self.nanos).cmp(&(other.unix_secs, other.nanos))
    }

    /// Orders two date-times as the byte-wise comparison of their Go text does. The server compares `from_time` /
    /// `to_time` this way against the stored `created_at` text (docs/filtering.md#the-servers-semantics), so a call
    /// written with another offset is placed by its text, not its instant.
    pub fn cmp_text(&self, other: &GoTime) -> Ordering {
        match (self.text_key(), other.text_key()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.format().cmp(&other.format()),
        }
    }

    /// A key that orders like Go's text, for years 0000–9999 (where the text is fixed width): local time in
    /// milliseconds, then the zone suffix as the bytes order it (`+hh:mm` < `-hh:mm` < `Z`).
    fn text_key(&self) -> Option<(i64, u32)> {
        const YEAR_0: i64 = -62_167_219_200; // 0000-01-01T00:00:00 as Unix seconds
        const YEAR_10000: i64 = 253_402_300_800;
        let local = self.unix_secs.checked_add(i64::from(self.offset_secs))?;
        if !(YEAR_0..YEAR_10000).contains(&local) {
            return None;
        }
        let ms = local * 1000 + i64::from(self.nanos / 1_000_000);
        let minutes = self.offset_secs.unsigned_abs() / 60;
        let zone = match self.offset_secs {
            0 => u32::MAX,
            o if o < 0 => (1 << 20) + minutes,
            _ => minutes,
        };
        Some((ms, zone))
    }

    /// The common shapes only (`YYYY-MM-DDTHH:MM:SS`, an optional fraction, `Z` or `±hh:mm`), without building an
    /// error: `Some` exactly when [`GoTime::parse`] would succeed with the same value, `None` for anything else
    /// (including valid but unusual text, which `parse` then reads). The bulk engine's fast lane uses it.
    pub fn parse_common(b: &[u8]) -> Option<GoTime> {
        Self::parse_common_as_written(b).map(|(t, _)| t)
    }

    /// [`GoTime::parse_common`], and whether the text is exactly what [`GoTime::format`] writes for the time:
    /// three fraction digits, and `Z` for a zero offset.
    pub fn parse_common_as_written(b: &[u8]) -> Option<(GoTime, bool)> {
        let head: &[u8; 19] = b.get(..19)?.try_into().ok()?;
        // the zero time, which most calls carry for started_at or completed_at, by two word compares
        let word = |w: &[u8]| -> Option<u64> { Some(u64::from_le_bytes(w.try_into().ok()?)) };
        if word(&head[..8])? == u64::from_le_bytes(*b"0001-01-")
            && word(b.get(8..16)?)? == u64::from_le_bytes(*b"01T00:00")
            && (b.get(16..) == Some(b":00.000Z") || b.get(16..) == Some(b":00Z"))
        {
            return Some((GoTime::ZERO, b.len() == 24));
        }
        let d = |c: u8| -> Option<u32> {
            let v = c.wrapping_sub(b'0');
            (v < 10).then_some(u32::from(v))
        };
        let d2 = |hi: u8, lo: u8| -> Option<u32> { Some(d(hi)? * 10 + d(lo)?) };
        if head[4] != b'-'
            || head[7] != b'-'
            || head[10] != b'T'
            || head[13] != b':'
            || head[16] != b':'
        {
            return None;
        }
        let year = d2(head[0], head[1])? * 100 + d2(head[2], head[3])?;
        let (month, day) = (d2(head[5], head[6])?, d2(head[8], head[9])?);
        let (hour, minute, second) = (
            d2(head[11], head[12])?,
            d2(head[14], head[15])?,
            d2(head[17], head[18])?,
        );
        let d = |i: usize| d(*b.get(i)?);
        let d2 = |i: usize| -> Option<u32> { Some(d(i)? * 10 + d(i + 1)?) };
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut scale = 100_000_000u32;
            let start = i;
            while let Some(v) = d(i) {
                nanos += v * scale;
                scale /= 10;
                i += 1;
                if i - start > 9 {
                    return None; // more digits than Go keeps: the general reader truncates them
                }
            }
            if i == start {
                return None;
            }
        }
        let fraction_digits = i.saturating_sub(20);
        let offset_secs = match (b.get(i)?, b.len() - i) {
            (b'Z', 1) => 0,
            (sign @ (b'+' | b'-'), 6) if b.get(i + 3) == Some(&b':') => {
                let (oh, om) = (d2(i + 1)?, d2(i + 4)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let v = (oh * 3600 + om * 60) as i32;
                if *sign == b'-' {
                    -v
                } else {
                    v
                }
            }
            _ => return None,
        };
        if hour > 23
            || minute > 59
            || second > 59
            || month == 0
            || month > 12
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        let as_written = fraction_digits == 3 && (offset_secs != 0 || b.get(i) == Some(&b'Z'));
        Some((
            GoTime::from_parts([year, month, day, hour, minute, second], nanos, offset_secs),
            as_written,
        ))
    }

    /// Parses like the Go server. Errors are a sentence saying what is wrong.
    pub fn parse(s: &str) -> Result<GoTime, String> {
        if s.is_empty() {
            return Ok(GoTime {
                unix_secs: 0,
                nanos: 0,
                offset_secs: 0,
            });
        }
        let b = s.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(range)?;
            if part.iter().all(u8::is_ascii_digit) {
                part.iter().try_fold(0u32, |acc, d| {
                    acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
                })
            } else {
                None
            }
        };
        let shape = "expected an RFC 3339 date-time like 2017-11-28T17:21:39.123Z";
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        if b.len() < 20 || !at(4, b'-') || !at(7, b'-') || !at(13, b':') || !at(16, b':') {
            if b.len() == 10 && at(4, b'-') && at(7, b'-') {
                return Err(format!("a date alone is not a date-time: {shape}"));
            }
            return Err(format!("'{s}' is not a date-time: {shape}"));
        }
        match b.get(10) {
            Some(b'T') => {}
            Some(b't') => {
                return Err(format!(
                    "lower-case 't' is not accepted by the server: {shape}"
                ))
            }
            Some(b' ') => {
                return Err(format!(
                    "a space instead of 'T' is not accepted by the server: {shape}"
                ))
            }
            _ => return Err(format!("'{s}' is not a date-time: {shape}")),
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ) else {
            return Err(format!("'{s}' is not a date-time: {shape}"));
        };
        let mut i = 19;
        let mut nanos = 0u32;
        if at(i, b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(format!(
                    "a decimal point must be followed by digits: {shape}"
                ));
            }
            // Go keeps nine digits and drops the rest.
            let digits = b.get(start..i.min(start + 9)).unwrap_or_default();
            let mut scale = 100_000_000u32;
            for d in digits {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
            }
        }
        let offset_secs: i32 = match b.get(i) {
            Some(b'Z') if i + 1 == b.len() => 0,
            Some(b'z') => {
                return Err(format!(
                    "lower-case 'z' is not accepted by the server: {shape}"
                ))
            }
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && at(i + 3, b':') => {
                let (Some(oh), Some(om)) = (num(i + 1..i + 3), num(i + 4..i + 6)) else {
                    return Err(format!("the UTC offset in '{s}' is not ±hh:mm"));
                };
                if oh > 23 || om > 59 {
                    return Err(format!("the UTC offset in '{s}' is out of range"));
                }
                let v = (oh * 3600 + om * 60) as i32;
                if *sign == b'-' {
                    -v
                } else {
                    v
                }
            }
            None => {
                return Err(format!(
                    "'{s}' has no UTC offset ('Z' or ±hh:mm); the server requires one"
                ))
            }
            _ => {
                return Err(format!(
                    "'{s}' does not end in 'Z' or a ±hh:mm offset: {shape}"
                ))
            }
        };
        if hour > 23 || minute > 59 || second > 59 {
            return Err(format!("the time of day in '{s}' is out of range"));
        }
        if month == 0 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return Err(format!("'{s}' is not a real calendar date"));
        }
        Ok(GoTime::from_parts(
            [year, month, day, hour, minute, second],
            nanos,
            offset_secs,
        ))
    }

    /// The instant of a checked local date and time of day, written at `offset_secs` from UTC.
    fn from_parts(
        [year, month, day, hour, minute, second]: [u32; 6],
        nanos: u32,
        offset_secs: i32,
    ) -> GoTime {
        let days = days_from_civil(i64::from(year), month, day);
        let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        GoTime {
            unix_secs: local - i64::from(offset_secs),
            nanos,
            offset_secs,
        }
    }

    /// Go's `2006-01-02T15:04:05.000Z07:00`.
    pub fn format(&self) -> String {
        let mut s = String::with_capacity(29);
        self.write_to(&mut s);
        s
    }

    /// [`GoTime::format`], appended to `out` without building a formatter (the writers call it for every
    /// date-time, stats samples included).
    pub fn write_to(&self, out: &mut String) {
        let local = self.unix_secs + i64::from(self.offset_secs);
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let Ok(year) = u32::try_from(year) else {
            return out.push_str(&self.format_general());
        };
        if year > 9999 {
            return out.push_str(&self.format_general());
        }
        let secs = local.rem_euclid(86_400) as u32;
        let mut b = *b"0000-00-00T00:00:00.000";
        let mut put = |at: usize, v: u32, width: usize| {
            let mut v = v;
            for k in (at..at + width).rev() {
                if let Some(slot) = b.get_mut(k) {
                    *slot = b'0' + (v % 10) as u8;
                }
                v /= 10;
            }
        };
        put(0, year, 4);
        put(5, month, 2);
        put(8, day, 2);
        put(11, secs / 3600, 2);
        put(14, secs / 60 % 60, 2);
        put(17, secs % 60, 2);
        put(20, self.nanos / 1_000_000, 3);
        out.extend(b.iter().map(|&c| char::from(c)));
        if self.offset_secs == 0 {
            out.push('Z');
        } else {
            let abs = self.offset_secs.unsigned_abs();
            let (h, m) = (abs / 3600, (abs / 60) % 60);
            out.push(if self.offset_secs < 0 { '-' } else { '+' });
            for v in [h / 10, h % 10] {
                out.push(char::from(b'0' + (v % 10) as u8));
            }
            out.push(':');
            for v in [m / 10, m % 10] {
                out.push(char::from(b'0' + (v % 10) as u8));
            }
        }
    }

    /// The general (slower) formatting, for years outside 0000–9999, as Go's `Format` writes them: at least four
    /// digits, a `-` before a negative year, no `+` before a fifth digit (`10000-01-01T00:00:00.000Z`).
    fn format_general(&self) -> String {
        use std::fmt::Write as _;
        let local = self.unix_secs.saturating_add(i64::from(self.offset_secs));
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        let mut s = String::with_capacity(32);
        if year < 0 {
            s.push('-');
        }
        let _ = write!(
            s,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}",
            year.unsigned_abs(),
            month,
            day,
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            self.nanos / 1_000_000
        );
        if self.offset_secs == 0 {
            s.push('Z');
        } else {
            let sign = if self.offset_secs < 0 { '-' } else { '+' };
            let abs = self.offset_secs.unsigned_abs();
            let _ = write!(s, "{sign}{:02}:{:02}", abs / 3600, (abs / 60) % 60);
        }
        s
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
#[inline]
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_general_formatter_across_the_calendar() {
        // every day of years 0000-0003 and 1968-2104 and 9996-9999, at several times of day and offsets
        let mut checked = 0;
        for (from, to) in [(0, 4), (1968, 2105), (9996, 10_000)] {
            let start = days_from_civil(from, 1, 1);
            let end = days_from_civil(to, 1, 1);
            for day in start..end {
                for (k, offset) in [0, 3 * 3600, -(12 * 3600 + 30 * 60), 14 * 3600, -60]
                    .into_iter()
                    .enumerate()
                {
                    let secs = (k as i64 * 20_011) % 86_400;
                    let t = GoTime {
                        unix_secs: day * 86_400 + secs - i64::from(offset),
                        nanos: (k as u32 * 123_456_789) % 1_000_000_000,
                        offset_secs: offset,
                    };
                    let want = t.format_general();
                    assert_eq!(t.format(), want);
                    assert_eq!(
                        GoTime::parse(&want),
                        Ok(GoTime {
                            nanos: t.nanos / 1_000_000 * 1_000_000,
                            ..t
                        })
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 250_000);
        // outside 0000-9999 the general formatter answers
        let far = GoTime {
            unix_secs: days_from_civil(10_000, 1, 1) * 86_400,
            nanos: 0,
            offset_secs: 0,
        };
        assert_eq!(far.format(), far.format_general());
    }

    #[test]
    fn the_common_shapes_read_exactly_as_the_general_reader() {
        let bases = [
            "2017-11-28T17:21:39.123Z",
            "2018-06-12T20:59:59.715+03:00",
            "2016-02-29T23:59:59-12:30",
            "0001-01-01T00:00:00.000Z",
            "0001-01-01T00:00:00Z",
            "2017-11-28T17:21:39.123456789Z",
            "2017-11-28T17:21:39.1234567891Z",
            "1999-12-31T00:00:00.5+00:00",
            "2018-06-12T20:59:59.000-00:00",
            "2018-06-12T20:59:59.120+00:01",
        ];
        let (mut n, mut written) = (0, 0);
        for base in bases {
            let b = base.as_bytes();
            let mut variants = vec![b.to_vec()];
            for i in 0..b.len() {
                for c in b"0123456789-+:.TtZz x" {
                    let mut m = b.to_vec();
                    m[i] = *c;
                    variants.push(m);
                }
                let mut cut = b.to_vec();
                cut.remove(i);
                variants.push(cut);
            }
            for v in variants {
                let text = String::from_utf8(v.clone()).unwrap();
                match GoTime::parse_common_as_written(&v) {
                    Some((t, as_written)) => {
                        n += 1;
                        assert_eq!(GoTime::parse(&text), Ok(t), "{text}");
                        assert_eq!(as_written, t.format() == text, "{text}");
                        written += usize::from(as_written);
                    }
                    // only text the general reader rejects, or rare shapes, may fall through
                    None => assert!(
                        GoTime::parse(&text).is_err() || text.len() > 29 || text.contains("z"),
                        "{text}"
                    ),
                }
            }
        }
        assert!(n > 100, "{n}");
        assert!(written > 50, "{written}");
    }

    fn rt(s: &str) -> String {
        GoTime::parse(s).unwrap().format()
    }

    #[test]
    fn writes_like_go() {
        assert_eq!(rt("2017-11-28T17:21:39.123Z"), "2017-11-28T17:21:39.123Z");
        assert_eq!(
            rt("2017-06-02T15:31:30.887+03:00"),
            "2017-06-02T15:31:30.887+03:00"
        );
        assert_eq!(
            rt("2017-06-02T15:31:30-07:30"),
            "2017-06-02T15:31:30.000-07:30"
        );
        // truncated, not rounded
        assert_eq!(
            rt("2017-11-28T17:21:39.123999999999Z"),
            "2017-11-28T17:21:39.123Z"
        );
        assert_eq!(rt("2017-11-28T17:21:39.9999Z"), "2017-11-28T17:21:39.999Z");
        assert_eq!(rt("2017-11-28T17:21:39+00:00"), "2017-11-28T17:21:39.000Z");
        assert_eq!(rt("0001-01-01T00:00:00.000Z"), "0001-01-01T00:00:00.000Z");
        assert_eq!(rt(""), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn zero_means_unset() {
        assert!(GoTime::parse("0001-01-01T00:00:00Z").unwrap().is_zero());
        assert!(GoTime::default().is_zero());
        assert!(!GoTime::parse("").unwrap().is_zero());
    }

    #[test]
    fn writes_years_outside_four_digits_as_go_does() {
        let at = |unix_secs: i64, offset_secs: i32| GoTime {
            unix_secs,
            nanos: 5_000_000,
            offset_secs,
        };
        // 253402300800 is 10000-01-01T00:00:00Z; Go writes the fifth digit with no sign.
        assert_eq!(at(253_402_300_800, 0).format(), "10000-01-01T00:00:00.005Z");
        assert_eq!(
            at(253_402_300_799, 3600).format(),
            "10000-01-01T00:59:59.005+01:00"
        );
        // Year 0 and before: four digits, and a minus sign before negative years.
        assert_eq!(at(-62_167_219_200, 0).format(), "0000-01-01T00:00:00.005Z");
        assert_eq!(at(-62_167_219_201, 0).format(), "-0001-12-31T23:59:59.005Z");
    }

    #[test]
    fn compares_text_as_go_writes_it() {
        let t = |s: &str| GoTime::parse(s).unwrap();
        let texts = [
            "0000-01-01T00:00:00.000Z",
            "0001-01-01T00:00:00.000Z",
            "2017-11-28T17:21:39.000+03:00",
            "2017-11-28T17:21:39.000+10:30",
            "2017-11-28T17:21:39.000-00:30",
            "2017-11-28T17:21:39.000-05:00",
            "2017-11-28T17:21:39.000Z",
            "2017-11-28T17:21:39.001+01:00",
            "2017-11-28T17:21:40.000Z",
            "9999-12-31T23:59:59.999Z",
            "9999-12-31T23:59:59.999+01:00",
        ];
        for a in texts {
            for b in texts {
                let (x, y) = (t(a), t(b));
                assert_eq!(x.cmp_text(&y), x.format().cmp(&y.format()), "{a} vs {b}");
            }
        }
        // Sub-millisecond digits are not written, so they do not order.
        let fine = t("2017-11-28T17:21:39.0009Z");
        assert_eq!(fine.cmp_text(&t("2017-11-28T17:21:39Z")), Ordering::Equal);
        assert_eq!(
            fine.cmp_instant(&t("2017-11-28T17:21:39Z")),
            Ordering::Greater
        );
        // The same instant, written in two zones, orders by its text.
        assert_eq!(
            t("2017-11-28T20:21:39+03:00").cmp_text(&t("2017-11-28T18:00:00Z")),
            Ordering::Greater
        );
    }

    #[test]
    fn compares_instants_across_offsets() {
        let a = GoTime::parse("2017-06-02T15:31:30.000+03:00").unwrap();
        let b = GoTime::parse("2017-06-02T12:31:30.000Z").unwrap();
        assert_eq!(a.cmp_instant(&b), Ordering::Equal);
        assert_eq!(a.unix_secs, 1_496_406_690);
    }

    #[test]
    fn civil_days_agree_with_chrono_for_every_day_of_four_centuries() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
        let end = chrono::NaiveDate::from_ymd_opt(2201, 1, 1).unwrap();
        while d < end {
            use chrono::Datelike;
            let want = d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() / 86_400;
            assert_eq!(
                days_from_civil(i64::from(d.year()), d.month(), d.day()),
                want,
                "{d}"
            );
            d = d.succ_opt().unwrap();
        }
        assert_eq!(
            GoTime::parse("0001-01-01T00:00:00Z").unwrap().unix_secs,
            ZERO_UNIX
        );
        assert!(GoTime::parse("2016-02-29T00:00:00Z").is_ok());
        assert!(GoTime::parse("2017-02-29T00:00:00Z").is_err());
        assert!(GoTime::parse("1900-02-29T00:00:00Z").is_err());
        assert!(GoTime::parse("2000-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn rejects_what_the_server_rejects() {
        for bad in [
            "2017-11-28t17:21:39Z",
            "2017-11-28 17:21:39Z",
            "2017-11-28T17:21:39z",
            "2017-11-28",
            "2017-11-28T17:21:39",
            "1511889699",
            "2017-02-30T00:00:00Z",
            "2017-11-28T24:00:00Z",
            "2017-11-28T17:21:39.Z",
            "2017-11-28T17:21:39+0300",
            "2017-11-28T17:21:39+24:00",
            "2017-11-28T17:21:39Zjunk",
        ] {
            assert!(GoTime::parse(bad).is_err(), "{bad}");
        }
    }
}
