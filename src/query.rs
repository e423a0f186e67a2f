//! The listing endpoint's query strings and URLs (`GET /v1/apps/{app}/calls`): writing a filter's server fields as
//! Go's `url.Values.Encode` does, and reading a query string (or a whole listing URL) as the server of late 2017 read
//! it, with Go's escaping and integer parsing. The filter itself, and what its fields mean, is `filter.rs`.

use crate::datetime::GoTime;
use crate::filter::{page_size, CallFilter};
use crate::issue::{pointer, Issue, IssueCode};
use crate::tree::MAX_SAFE_INTEGER;

/// The part of a filter a server applies itself, to ask it with: `path`, `from_time`, `to_time` and `cursor` (the
/// app or fn goes in the URL). The extension bounds `created_since` (inclusive) and `created_before` (exclusive)
/// compare instants; the server compares whole seconds, exclusively, so they are widened to `from_time = floor(t) −
/// 1` and `to_time = floor(t) + 1` (the tighter of that and a `from_time`/`to_time` already given). The server then
/// sends at least every call the filter keeps, and the whole filter is applied to what it sends.
pub fn server_filter(f: &CallFilter) -> CallFilter {
    let secs = |text: &str| {
        if text.is_empty() {
            return None;
        }
        GoTime::parse(text).ok().map(|t| t.unix_secs)
    };
    let mut out = CallFilter {
        path: f.path.clone(),
        from_time: f.from_time,
        to_time: f.to_time,
        cursor: f.cursor.clone(),
        ..CallFilter::default()
    };
    if let Some(s) = secs(&f.created_since) {
        let bound = s.saturating_sub(1);
        out.from_time = Some(out.from_time.map_or(bound, |b| b.max(bound)));
    }
    if let Some(s) = secs(&f.created_before) {
        let bound = s.saturating_add(1);
        out.to_time = Some(out.to_time.map_or(bound, |b| b.min(bound)));
    }
    out
}

/// The query string (no leading `?`) for the server's fields, keys sorted as Go's `url.Values.Encode` writes them.
/// `app_name` belongs in the URL path and the extensions are not server parameters, so neither is written. `""` when
/// nothing is to be sent.
pub fn filter_to_query(f: &CallFilter) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !f.cursor.is_empty() {
        pairs.push(("cursor", f.cursor.clone()));
    }
    if let Some(t) = f.from_time {
        pairs.push(("from_time", t.to_string()));
    }
    if !f.path.is_empty() {
        pairs.push(("path", f.path.clone()));
    }
    if let Some(n) = f.per_page {
        pairs.push(("per_page", n.to_string()));
    }
    if let Some(t) = f.to_time {
        pairs.push(("to_time", t.to_string()));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", escape(v, true)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `{base}/v1/apps/{app}/calls?{query}`. `app` may be `""` to take the filter's `app_name`; when both are given
/// they must agree. A base that already ends in `/v1` is not given a second one; trailing slashes are dropped.
pub fn list_calls_url(base: &str, app: &str, f: &CallFilter) -> Result<String, Vec<Issue>> {
    let app = match (app.is_empty(), f.app_name.is_empty()) {
        (true, true) => {
            return Err(vec![Issue::error(
                IssueCode::MissingApp,
                "/app_name",
                "no app: give it as the app argument or as the filter's app_name".to_string(),
            )])
        }
        (true, false) => f.app_name.as_str(),
        (false, false) if app != f.app_name => {
            return Err(vec![Issue::error(
                IssueCode::AppNameMismatch,
                "/app_name",
                format!(
                    "the app argument '{app}' and the filter's app_name '{}' differ",
                    f.app_name
                ),
            )])
        }
        _ => app,
    };
    let base = base.trim_end_matches('/');
    let v1 = if base.ends_with("/v1") { "" } else { "/v1" };
    let query = filter_to_query(f);
    let sep = if query.is_empty() { "" } else { "?" };
    Ok(format!(
        "{base}{v1}/apps/{}/calls{sep}{query}",
        escape(app, false)
    ))
}

/// Percent-encodes everything but `A-Z a-z 0-9 - _ . ~`; in a query, a space is `+` (Go's `QueryEscape`).
fn escape(s: &str, query: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' if query => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads a query string as the server of late 2017 does, into a filter and the issues of that reading.
///
/// Accepts `?a=b&…`, `a=b&…`, or a whole URL or path of the listing endpoint (`http://host/v1/apps/myapp/calls?…`),
/// from which `app_name` is taken. Pairs are split on `&` and `;` and unescaped as Go's `url.ParseQuery` did before
/// Go 1.17 (a pair with a bad `%` escape is dropped); the first value of a key counts. `from_time` / `to_time` that
/// are not integers give the server's own 400 message as an error issue (code `not_epoch_time`); `per_page` is read
/// with `strconv.Atoi` and silently defaulted or clamped, as the server does. Parameters the server ignores are
/// reported as warnings and ignored.
pub fn filter_from_query(input: &str) -> (CallFilter, Vec<Issue>) {
    let mut f = CallFilter::default();
    let mut issues = Vec::new();
    let input = input.split('#').next().unwrap_or_default();
    let (location, query) = match input.split_once('?') {
        Some((l, q)) => (l, q),
        None if input.starts_with('/') || input.contains("://") => (input, ""),
        None => ("", input),
    };
    if !location.is_empty() {
        match app_from_location(location) {
            Some(app) => f.app_name = app,
            None => issues.push(Issue::warning(
                IssueCode::NotListingUrl,
                "/app_name",
                format!("'{location}' is not a /v1/apps/{{app}}/calls URL, so no app_name was taken from it"),
            )),
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for piece in query.split(['&', ';']).filter(|p| !p.is_empty()) {
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        let (Some(key), Some(value)) = (unescape(k, true), unescape(v, true)) else {
            issues.push(Issue::warning(
                IssueCode::BadEscape,
                "",
                format!("'{piece}' has a bad %-escape; the server drops this pair"),
            ));
            continue;
        };
        let path = pointer("", &key);
        if seen.contains(&key) {
            if is_server_param(&key) {
                issues.push(Issue::warning(
                    IssueCode::RepeatedParameter,
                    &path,
                    format!("'{key}' is repeated; the server uses the first value"),
                ));
            }
            continue;
        }
        seen.push(key.clone());
        match key.as_str() {
            "path" => f.path = value,
            "cursor" => f.cursor = value,
            "per_page" => f.per_page = Some(page_size(Some(go_atoi(&value))) as i64),
            "from_time" | "to_time" => {
                if value.is_empty() {
                    continue;
                }
                let Some(secs) = go_parse_int64(&value) else {
                    issues.push(Issue::error(IssueCode::NotEpochTime, &path, format!("{key} is not an epoch time")));
                    continue;
                };
                let clamped = secs.clamp(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER);
                if clamped != secs {
                    issues.push(Issue::warning(
                        IssueCode::TimeClamped,
                        &path,
                        format!("{key} {secs} is beyond ±(2^53 − 1) and was clamped to {clamped}; no date-time lies between"),
                    ));
                }
                if key == "from_time" {
                    f.from_time = Some(clamped);
                } else {
                    f.to_time = Some(clamped);
                }
            }
            "app_name" => issues.push(Issue::warning(
                IssueCode::IgnoredParameter,
                &path,
                "the server takes the app from the URL path (/v1/apps/{app}/calls) and ignores app_name in the query"
                    .to_string(),
            )),
            _ => issues.push(Issue::warning(IssueCode::IgnoredParameter, &path, format!("the server ignores the parameter '{key}'"))),
        }
    }
    (f, issues)
}

fn is_server_param(key: &str) -> bool {
    matches!(
        key,
        "path" | "cursor" | "per_page" | "from_time" | "to_time"
    )
}

fn app_from_location(location: &str) -> Option<String> {
    let (_, rest) = location.rsplit_once("/apps/")?;
    let (app, tail) = rest.split_once('/')?;
    if app.is_empty() || tail.trim_end_matches('/') != "calls" {
        return None;
    }
    unescape(app, false)
}

/// Go's `unescape`: `%XX` with two hex digits, and in a query `+` is a space. `None` on a bad escape.
fn unescape(s: &str, query: bool) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = bytes.next().and_then(|c| char::from(c).to_digit(16))?;
                let lo = bytes.next().and_then(|c| char::from(c).to_digit(16))?;
                out.push((hi * 16 + lo) as u8);
            }
            b'+' if query => out.push(b' '),
            b => out.push(b),
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// `strconv.ParseInt(s, 10, 64)`: optional sign, then ASCII digits only; out of range is an error.
fn go_parse_int64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    s.parse::<i64>().ok()
}

/// `strconv.Atoi` with the error ignored, as the server reads `per_page`: a syntax error gives 0, and out of range
/// gives the nearest 64-bit limit (so a huge `per_page` is clamped to 100, a hugely negative one defaulted to 30).
fn go_atoi(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    go_parse_int64(s).unwrap_or(if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// The query of a v2 listing (`GET /v2/fns/{fn_id}/calls`): `cursor` (base64url, written as given), `from_time`,
/// `per_page`, `to_time`. `path` and `app_name` are errors: v2 lists one fn's calls.
pub fn filter_to_query_v2(f: &CallFilter) -> Result<String, Vec<Issue>> {
    not_in_v2(f)?;
    let v2 = CallFilter {
        cursor: f.cursor.clone(),
        from_time: f.from_time,
        per_page: f.per_page,
        to_time: f.to_time,
        ..CallFilter::default()
    };
    Ok(filter_to_query(&v2))
}

/// A v2 listing URL: `{base}/v2/fns/{fn_id}/calls?…`, the fn from the argument or the filter's `fn_id`.
pub fn list_calls_url_v2(base: &str, fn_id: &str, f: &CallFilter) -> Result<String, Vec<Issue>> {
    let fn_id = match (fn_id.is_empty(), f.fn_id.is_empty()) {
        (true, true) => {
            return Err(vec![Issue::error(
                IssueCode::MissingApp,
                "/fn_id",
                "no fn: give its id as the second argument or as the filter's fn_id (v2 lists one fn's calls)"
                    .to_string(),
            )])
        }
        (true, false) => f.fn_id.as_str(),
        (false, false) if fn_id != f.fn_id => {
            return Err(vec![Issue::error(
                IssueCode::AppNameMismatch,
                "/fn_id",
                format!("the fn argument '{fn_id}' and the filter's fn_id '{}' differ", f.fn_id),
            )])
        }
        _ => fn_id,
    };
    let query = filter_to_query_v2(f)?;
    let base = base.trim_end_matches('/');
    let v2 = if base.ends_with("/v2") { "" } else { "/v2" };
    let sep = if query.is_empty() { "" } else { "?" };
    Ok(format!(
        "{base}{v2}/fns/{}/calls{sep}{query}",
        escape(fn_id, false)
    ))
}

fn not_in_v2(f: &CallFilter) -> Result<(), Vec<Issue>> {
    let errors: Vec<Issue> = [("path", &f.path), ("app_name", &f.app_name)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(field, _)| {
            Issue::error(
                IssueCode::NotInV2,
                &format!("/{field}"),
                format!("the v2 listing (GET /v2/fns/{{fn_id}}/calls) has no {field}: it lists the calls of one fn (fn_id)"),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::CallStatus;

    #[test]
    fn server_filter_widens_date_time_bounds_to_the_servers_exclusive_seconds() {
        let f = CallFilter {
            app_name: "shop".into(),
            path: "/hello".into(),
            cursor: "01C".into(),
            status: vec![Some(CallStatus::Error)],
            created_since: "2018-01-01T10:00:00.500+01:00".into(),
            created_before: "2018-01-01T09:00:01Z".into(),
            ..CallFilter::default()
        };
        let s = server_filter(&f);
        // 09:00:00.5Z is 1514797200.5: the server keeps created_at > 1514797199; before 09:00:01Z: < 1514797202.
        assert_eq!(
            s,
            CallFilter {
                path: "/hello".into(),
                cursor: "01C".into(),
                from_time: Some(1_514_797_199),
                to_time: Some(1_514_797_202),
                ..CallFilter::default()
            }
        );
        // A server bound already given stays when it is the tighter one; the looser one is replaced.
        let both = CallFilter {
            from_time: Some(1_514_797_199 + 5),
            to_time: Some(1_514_797_202 + 5),
            ..f.clone()
        };
        let s = server_filter(&both);
        assert_eq!(
            (s.from_time, s.to_time),
            (Some(1_514_797_204), Some(1_514_797_202))
        );
        // Before 1970 and at Go's zero time the seconds are negative, and still floor.
        let old = CallFilter {
            created_since: "1969-12-31T23:59:59.900Z".into(),
            ..CallFilter::default()
        };
        assert_eq!(server_filter(&old).from_time, Some(-2));
        assert_eq!(server_filter(&CallFilter::default()), CallFilter::default());
    }

    fn codes(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn query_round_trip_and_encoding() {
        let f = CallFilter {
            app_name: "myapp".into(),
            path: "/hello world/ü&x".into(),
            from_time: Some(-5),
            to_time: Some(0),
            cursor: "01C01TCYEQ47WGJ00000000000".into(),
            per_page: Some(50),
            status: vec![Some(CallStatus::Error)],
            ..Default::default()
        };
        let q = filter_to_query(&f);
        assert_eq!(q, "cursor=01C01TCYEQ47WGJ00000000000&from_time=-5&path=%2Fhello+world%2F%C3%BC%26x&per_page=50&to_time=0");
        let (back, issues) = filter_from_query(&q);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            back,
            CallFilter {
                app_name: String::new(),
                status: vec![],
                ..f.clone()
            }
        );
        assert_eq!(filter_to_query(&CallFilter::default()), "");
        assert_eq!(
            list_calls_url("http://localhost:8080/", "", &f).unwrap(),
            format!("http://localhost:8080/v1/apps/myapp/calls?{q}")
        );
        assert_eq!(
            list_calls_url("http://h/v1", "my app", &CallFilter::default()).unwrap(),
            "http://h/v1/apps/my%20app/calls"
        );
        assert_eq!(
            codes(&list_calls_url("", "", &CallFilter::default()).unwrap_err()),
            ["missing_app"]
        );
        assert_eq!(
            codes(&list_calls_url("", "other", &f).unwrap_err()),
            ["app_name_mismatch"]
        );
        assert_eq!(
            list_calls_url("", "myapp", &f).unwrap(),
            format!("/v1/apps/myapp/calls?{q}")
        );
    }

    #[test]
    fn query_is_read_like_the_server() {
        let read = |q: &str| filter_from_query(q);
        // per_page: strconv.Atoi, errors ignored, then defaulted / clamped.
        for (q, want) in [
            ("per_page=10", 10),
            ("per_page=+10", 30), // '+' is a space in a query: Atoi(" 10") fails
            ("per_page=%2B10", 10),
            ("per_page=abc", 30),
            ("per_page=", 30),
            ("per_page=0", 30),
            ("per_page=-1", 30),
            ("per_page=101", 100),
            ("per_page=1.5", 30),
            ("per_page= 5", 30),
            ("per_page=99999999999999999999", 100),
            ("per_page=-99999999999999999999", 30),
        ] {
            let (f, issues) = read(q);
            assert_eq!(f.per_page, Some(want), "{q}");
            assert!(issues.is_empty(), "{q}: bad per_page is silent");
        }
        assert_eq!(read("").0.per_page, None);
        // times: strconv.ParseInt, then the server's 400 message
        let (f, issues) = read("?from_time=1511889720&to_time=-1");
        assert_eq!((f.from_time, f.to_time), (Some(1_511_889_720), Some(-1)));
        assert!(issues.is_empty());
        for bad in [
            "abc",
            "1.5",
            "1e9",
            " 1",
            "2017-11-28T17:22:00Z",
            "99999999999999999999",
        ] {
            let (f, issues) = read(&format!("from_time={bad}"));
            assert_eq!(f.from_time, None);
            assert_eq!(issues.len(), 1);
            assert_eq!(
                (issues[0].code.as_str(), issues[0].message.as_str()),
                ("not_epoch_time", "from_time is not an epoch time")
            );
            assert_eq!(issues[0].path, "/from_time");
            assert!(issues[0].is_error());
        }
        let (_, issues) = read("to_time=x");
        assert_eq!(issues[0].message, "to_time is not an epoch time");
        assert_eq!(
            read("from_time=&to_time=").0,
            CallFilter::default(),
            "empty means no bound"
        );
        let (f, issues) = read("from_time=9223372036854775807");
        assert_eq!(
            (f.from_time, codes(&issues)),
            (Some(MAX_SAFE_INTEGER), vec!["time_clamped"])
        );
        // url.ParseQuery of Go 1.9: & and ; separate, + is a space, first value wins, bad escapes dropped.
        let (f, issues) =
            read("path=%2Fa+b;cursor=X&path=/second&per_page=%zz&status=error&app_name=x");
        assert_eq!(
            (f.path.as_str(), f.cursor.as_str(), f.per_page),
            ("/a b", "X", None)
        );
        assert_eq!(
            codes(&issues),
            [
                "repeated_parameter",
                "bad_escape",
                "ignored_parameter",
                "ignored_parameter"
            ]
        );
        // a whole URL gives the app
        let (f, issues) = read("https://fn.example.com/v1/apps/my%2Dapp/calls?per_page=2#frag");
        assert_eq!((f.app_name.as_str(), f.per_page), ("my-app", Some(2)));
        assert!(issues.is_empty());
        assert_eq!(read("/v1/apps/a/calls/").0.app_name, "a");
        assert_eq!(
            codes(&read("/v1/apps/a/routes?x").1),
            ["not_listing_url", "ignored_parameter"]
        );
    }
}
