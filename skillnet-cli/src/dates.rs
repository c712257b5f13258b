//! Dates given on the command line (`export-changelog --since`): a UTC calendar day or unix
//! seconds, turned into unix seconds. A bad date is a usage error (exit 2), like any other flag
//! value clap cannot parse.

use skillnet_core::analysis::{days_from_civil, days_in_month};

/// Parses `YYYY-MM-DD` (the start of that day in UTC) or a whole number of unix seconds.
///
/// # Errors
///
/// A message that quotes `text` and names both accepted forms, for clap to print.
pub fn parse_date(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(seconds);
    }
    let invalid = || format!("`{text}` is not a date: expected YYYY-MM-DD (UTC) or unix seconds");
    let mut parts = text.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(invalid());
    }
    let (year, month, day): (i64, i64, i64) = (y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(format!("`{text}` is not a date: there is no day {day} in month {month} of {year}"));
    }
    Ok(days_from_civil(year, month, day) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillnet_core::analysis::format_utc_timestamp;

    #[test]
    fn days_and_seconds_parse() {
        // Expected values checked against `date -u -d 'YYYY-MM-DD' +%s`.
        #[rustfmt::skip]
        let cases = [
            ("1970-01-01", 0),
            ("2000-02-29", 951_782_400),
            ("2024-02-29", 1_709_164_800),
            ("2026-05-24", 1_779_580_800),
            ("1900-01-01", -2_208_988_800),
            ("1762300000", 1_762_300_000),
            ("-5", -5),
        ];
        for (text, seconds) in cases {
            assert_eq!(parse_date(text), Ok(seconds), "{text}");
        }
    }

    #[test]
    fn every_day_round_trips_through_the_core_formatter() {
        // 1600-01-01 to 2399-12-31: two full 400-year leap cycles.
        for day in -135_140..157_054_i64 {
            let date = &format_utc_timestamp(day * 86_400)[..10];
            assert_eq!(parse_date(date), Ok(day * 86_400), "{date}");
        }
    }

    #[test]
    fn bad_dates_name_the_accepted_forms() {
        for bad in ["", "yesterday", "2026-5-24", "2026/05/24", "24-05-2026", "2026-05-24T00:00:00Z"] {
            let err = parse_date(bad).unwrap_err();
            assert!(err.contains("expected YYYY-MM-DD (UTC) or unix seconds"), "{bad}: {err}");
        }
        assert_eq!(
            parse_date("2025-02-29").unwrap_err(),
            "`2025-02-29` is not a date: there is no day 29 in month 2 of 2025",
        );
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("2026-04-31").is_err());
        assert!(parse_date("2026-04-00").is_err());
    }
}
