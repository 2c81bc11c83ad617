//! Timestamps of log lines -> epoch milliseconds (UTC).
//!
//! Syslog's traditional `Mmm dd HH:MM:SS` has no year; [`YearRule`] decides
//! it per line without state, so chunks of one file can be parsed in
//! parallel and a December -> January rollover still lands in the right year.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` of an epoch-ms timestamp.
pub fn date_string(ts_ms: i64) -> String {
    let (y, m, d) = civil_from_days(ts_ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// How a year-less timestamp gets its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRule {
    /// `--year Y`: the file starts in year Y in month `first_month`; a line
    /// whose month is earlier than that belongs to Y + 1 (rollover).
    StartsIn { year: i32, first_month: u32 },
    /// From the file's mtime: the latest date not after the reference day
    /// (plus one day of slack for clock skew), i.e. lines after the mtime's
    /// month/day belong to the previous year.
    EndsBy { year: i32, month: u32, day: u32 },
}

impl YearRule {
    pub fn year_for(self, month: u32, day: u32) -> i32 {
        match self {
            YearRule::StartsIn { year, first_month } => {
                if month < first_month {
                    year + 1
                } else {
                    year
                }
            }
            YearRule::EndsBy {
                year,
                month: rm,
                day: rd,
            } => {
                if (month, day) > (rm, rd + 1) {
                    year - 1
                } else {
                    year
                }
            }
        }
    }
}

impl Default for YearRule {
    fn default() -> Self {
        YearRule::StartsIn {
            year: 1970,
            first_month: 1,
        }
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

pub fn month_number(s: &[u8]) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| &m[..] == s)
        .map(|i| i as u32 + 1)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (c - b'0') as u32;
    }
    Some(n)
}

fn hms(b: &[u8]) -> Option<i64> {
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h * 3600 + m * 60 + s) as i64)
}

/// Month and day of a traditional syslog stamp `Mmm dd HH:MM:SS` at the
/// start of `line` (day space- or zero-padded), without needing the year.
pub fn syslog_month_day(line: &[u8]) -> Option<(u32, u32)> {
    if line.len() < 15 || line[3] != b' ' {
        return None;
    }
    let month = month_number(&line[0..3])?;
    let day = if line[4] == b' ' {
        digits(&line[5..6])?
    } else {
        digits(&line[4..6])?
    };
    Some((month, day))
}

/// Length of a traditional syslog stamp, `Mmm dd HH:MM:SS`.
pub const SYSLOG_STAMP_LEN: usize = 15;

/// Parse `Mmm dd HH:MM:SS` at the start of `line`: (epoch ms, bytes used).
pub fn parse_syslog(line: &[u8], rule: YearRule, tz_offset_s: i64) -> Option<(i64, usize)> {
    let (month, day) = syslog_month_day(line)?;
    if line[6] != b' ' || !(1..=31).contains(&day) {
        return None;
    }
    let secs = hms(&line[7..15])?;
    let year = rule.year_for(month, day) as i64;
    let days = days_from_civil(year, month, day);
    Some((
        (days * 86_400 + secs - tz_offset_s) * 1000,
        SYSLOG_STAMP_LEN,
    ))
}

/// Parse an RFC 3339 / ISO 8601 stamp at the start of `line`
/// (`2024-03-03T10:15:01[.ffffff](Z|±hh:mm|±hhmm)`, space or `T`):
/// (epoch ms, bytes used). Without a zone, `default_offset_s` applies.
pub fn parse_rfc3339(line: &[u8], default_offset_s: i64) -> Option<(i64, usize)> {
    let (naive, used, offset) = parse_rfc3339_parts(line)?;
    Some((naive - offset.unwrap_or(default_offset_s) * 1000, used))
}

/// Like [`parse_rfc3339`], but leaves a missing zone to the caller:
/// (local time as epoch ms, bytes used, the zone's offset if written).
pub fn parse_rfc3339_parts(line: &[u8]) -> Option<(i64, usize, Option<i64>)> {
    if line.len() < 19 || line[4] != b'-' || line[7] != b'-' || !matches!(line[10], b'T' | b' ') {
        return None;
    }
    let y = digits(&line[0..4])? as i64;
    let mo = digits(&line[5..7])?;
    let d = digits(&line[8..10])?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let secs = hms(&line[11..19])?;
    let mut i = 19;
    let mut ms = 0i64;
    if i < line.len() && (line[i] == b'.' || line[i] == b',') {
        i += 1;
        let start = i;
        while i < line.len() && line[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &line[start..i];
        for (k, &c) in frac.iter().take(3).enumerate() {
            ms += (c - b'0') as i64 * [100, 10, 1][k];
        }
    }
    let mut offset = None;
    if i < line.len() {
        match line[i] {
            b'Z' | b'z' => {
                offset = Some(0);
                i += 1;
            }
            b'+' | b'-' if line.len() >= i + 5 => {
                let sign = if line[i] == b'-' { -1 } else { 1 };
                let hh = digits(&line[i + 1..i + 3])? as i64;
                let (mm, used) = if line[i + 3] == b':' {
                    (digits(line.get(i + 4..i + 6)?)? as i64, 6)
                } else {
                    (digits(&line[i + 3..i + 5])? as i64, 5)
                };
                offset = Some(sign * (hh * 3600 + mm * 60));
                i += used;
            }
            _ => {}
        }
    }
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + secs) * 1000 + ms, i, offset))
}

/// Local wall-clock time (epoch ms as if UTC) -> UTC epoch ms in a named
/// zone, DST included. A time that falls in a spring-forward gap moves
/// forward; one that occurs twice (fall back) takes the first occurrence,
/// as most tools do.
pub fn zone_to_utc_ms(tz: &jiff::tz::TimeZone, local_ms: i64) -> i64 {
    let secs = local_ms.div_euclid(1000);
    let ms = local_ms.rem_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let civil = jiff::civil::DateTime::new(
        y as i16,
        m as i8,
        d as i8,
        (sod / 3600) as i8,
        (sod / 60 % 60) as i8,
        (sod % 60) as i8,
        0,
    );
    match civil.map(|c| tz.to_ambiguous_timestamp(c).compatible()) {
        Ok(Ok(ts)) => ts.as_second() * 1000 + ms,
        _ => local_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-1000i64, 0, 1, 59, 365, 10_957, 19_783, 20_000, 40_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2024, 3, 1), 19_783);
        assert_eq!(date_string(1_709_251_200_000), "2024-03-01");
    }

    #[test]
    fn syslog_space_and_zero_padded_day() {
        let rule = YearRule::StartsIn {
            year: 2024,
            first_month: 3,
        };
        let a = parse_syslog(b"Mar  3 10:15:01 mx1", rule, 0).unwrap();
        let b = parse_syslog(b"Mar 03 10:15:01 mx1", rule, 0).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.0, (days_from_civil(2024, 3, 3) * 86_400 + 36_901) * 1000);
        assert!(parse_syslog(b"Foo  3 10:15:01 mx1", rule, 0).is_none());
        assert!(parse_syslog(b"Mar  3 25:15:01 mx1", rule, 0).is_none());
        assert!(parse_syslog(b"Mar", rule, 0).is_none());
    }

    #[test]
    fn year_rollover_with_explicit_year() {
        let rule = YearRule::StartsIn {
            year: 2023,
            first_month: 12,
        };
        let dec = parse_syslog(b"Dec 31 23:59:59 h", rule, 0).unwrap().0;
        let jan = parse_syslog(b"Jan  1 00:00:01 h", rule, 0).unwrap().0;
        assert_eq!(jan - dec, 2000);
        assert_eq!(date_string(jan), "2024-01-01");
    }

    #[test]
    fn year_rollover_from_mtime() {
        // File modified on 2024-01-02: December lines belong to 2023.
        let rule = YearRule::EndsBy {
            year: 2024,
            month: 1,
            day: 2,
        };
        let dec = parse_syslog(b"Dec 31 23:00:00 h", rule, 0).unwrap().0;
        assert_eq!(date_string(dec), "2023-12-31");
        let jan = parse_syslog(b"Jan  2 08:00:00 h", rule, 0).unwrap().0;
        assert_eq!(date_string(jan), "2024-01-02");
    }

    #[test]
    fn named_zone_follows_dst() {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let local =
            |y: i64, m: u32, d: u32, h: i64| (days_from_civil(y, m, d) * 86_400 + h * 3600) * 1000;
        // winter: UTC+1, summer: UTC+2 (change on 2024-03-31 at 02:00)
        assert_eq!(
            zone_to_utc_ms(&tz, local(2024, 3, 30, 12)),
            local(2024, 3, 30, 11)
        );
        assert_eq!(
            zone_to_utc_ms(&tz, local(2024, 3, 31, 12)),
            local(2024, 3, 31, 10)
        );
        // 02:30 does not exist that night: moved forward to 03:30 (01:30 UTC)
        assert_eq!(
            zone_to_utc_ms(&tz, local(2024, 3, 31, 2) + 1_800_000),
            local(2024, 3, 31, 1) + 1_800_000
        );
        // 02:30 on 2024-10-27 happens twice: the first (summer) one
        assert_eq!(
            zone_to_utc_ms(&tz, local(2024, 10, 27, 2) + 1_800_000),
            local(2024, 10, 27, 0) + 1_800_000
        );
    }

    #[test]
    fn rfc3339_forms() {
        let base = (days_from_civil(2024, 3, 3) * 86_400 + 36_901) * 1000;
        assert_eq!(
            parse_rfc3339(b"2024-03-03T10:15:01Z x", 0),
            Some((base, 20))
        );
        assert_eq!(
            parse_rfc3339(b"2024-03-03T10:15:01.250+00:00 x", 0),
            Some((base + 250, 29))
        );
        assert_eq!(
            parse_rfc3339(b"2024-03-03T11:15:01.123456+01:00 x", 0)
                .unwrap()
                .0,
            base + 123
        );
        assert_eq!(parse_rfc3339(b"2024-03-03 10:15:01 x", 0).unwrap().0, base);
        assert_eq!(
            parse_rfc3339(b"2024-03-03T05:15:01-0500 x", 0).unwrap().0,
            base
        );
        assert!(parse_rfc3339(b"2024-13-03T10:15:01Z", 0).is_none());
        assert!(parse_rfc3339(b"2024-03-03T10:15:01+0", 0).is_some());
    }
}
