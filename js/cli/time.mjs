// Go date-times (docs/model.md, "Date-times") as Unix milliseconds, without Date's quirks (years below 100, local time).

const RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|([+-])(\d\d):(\d\d))$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y, m, d) {
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Whole milliseconds since the Unix epoch (floor, as the package's summaries count them) of an RFC 3339 date-time
 * as the server reads it; `NaN` when it is not one. `""` is 1970-01-01, as the server reads it.
 */
export function unixMillis(s) {
  if (s === '') return 0;
  const m = RE.exec(s);
  if (!m) return NaN;
  let secs = daysFromCivil(+m[1], +m[2], +m[3]) * 86400 + +m[4] * 3600 + +m[5] * 60 + +m[6];
  if (m[8]) secs -= (m[8] === '-' ? -1 : 1) * (+m[9] * 3600 + +m[10] * 60);
  const ms = m[7] ? +(m[7] + '00').slice(0, 3) : 0;
  return secs * 1000 + ms;
}

/** `0001-01-01T00:00:00Z`, Go's zero time: "not set". */
export const ZERO_MS = unixMillis('0001-01-01T00:00:00Z');
