//! Dates as people type them: `2026-10-14`, `2026-10`, `today`, `yesterday`,
//! `3 weeks ago`, `10d`; and moments for `--at`. Pure: "today" and "now" are arguments.

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime};

/// `at` as the reader's clock shows it: in the local time zone (`TZ`), whatever offset
/// it was written with. Every date and time exback shows or filters by goes through
/// here, so that "today" is the reader's today after a flight or a clock change.
///
/// `log` shows thousands of entries, so the offset is remembered for one UTC day at a
/// time, on each thread: when the zone has the same offset at the day's first and last
/// second, it has it all day (no zone changes its clocks twice within a day). A day
/// with a change in it is looked up entry by entry.
pub(crate) fn local(at: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match local_offset(at.timestamp()) {
        Some(offset) => at.with_timezone(&offset),
        None => at.with_timezone(&chrono::Local).fixed_offset(),
    }
}

thread_local! {
    /// The UTC day (days since 1970) last looked up, and the offset it has throughout.
    static DAY_OFFSET: std::cell::Cell<Option<(i64, FixedOffset)>> =
        const { std::cell::Cell::new(None) };
}

/// The reader's offset at `secs` (seconds since 1970), if the whole UTC day around it
/// has one offset; `None` for a day with a change in it, or a moment out of range.
fn local_offset(secs: i64) -> Option<FixedOffset> {
    use chrono::{Offset, TimeZone};
    const DAY: i64 = 86_400;
    let day = secs.div_euclid(DAY);
    if let Some((cached, offset)) = DAY_OFFSET.get()
        && cached == day
    {
        return Some(offset);
    }
    let offset_at = |secs: i64| {
        let utc = DateTime::from_timestamp(secs, 0)?.naive_utc();
        Some(chrono::Local.offset_from_utc_datetime(&utc).fix())
    };
    let first = offset_at(day.checked_mul(DAY)?)?;
    let last = offset_at(day.checked_mul(DAY)?.checked_add(DAY - 1)?)?;
    if first != last {
        return None;
    }
    DAY_OFFSET.set(Some((day, first)));
    Some(first)
}

/// Reads an RFC 3339 moment exactly as [`DateTime::parse_from_rfc3339`] does, quickly
/// for the forms exback writes (`2026-11-29T21:05:00.123456789Z`, or with whole seconds
/// and an offset such as `+01:00`); anything else is left to chrono.
pub(crate) fn parse_rfc3339(s: &str) -> Option<DateTime<FixedOffset>> {
    quick_rfc3339(s.as_bytes()).or_else(|| DateTime::parse_from_rfc3339(s).ok())
}

/// `YYYY-MM-DDTHH:MM:SS`, then a fraction of one to nine digits or none, then `Z` or
/// `±HH:MM`, with every field in its everyday range; else `None`.
fn quick_rfc3339(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    // The fraction, as nanoseconds.
    let (nanos, zone) = match b[19] {
        b'.' => {
            let digits = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            let scale = 10u32.pow(u32::try_from(9 - digits).ok()?);
            (number(&b[20..20 + digits])? * scale, &b[20 + digits..])
        }
        _ => (0, &b[19..]),
    };
    let offset = match zone {
        b"Z" => FixedOffset::east_opt(0)?,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            FixedOffset::east_opt(if *sign == b'-' { -seconds } else { seconds })?
        }
        _ => return None,
    };
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)?;
    // A leap second (:60) is chrono's to read.
    let time = NaiveTime::from_hms_nano_opt(
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
        nanos,
    )?;
    date.and_time(time).and_local_timezone(offset).single()
}

/// The reader's calendar day of `at` (see [`local`]).
pub(crate) fn local_day(at: &DateTime<FixedOffset>) -> NaiveDate {
    local(at).date_naive()
}

/// Parses a moment on or before `now`: RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`
/// (a day alone means midday, or now if that is later than now). `local` turns a
/// wall-clock time into the user's local time.
pub fn parse_moment(
    input: &str,
    now: DateTime<FixedOffset>,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<DateTime<FixedOffset>, String> {
    let s = input.trim();
    let not_a_time = || {
        format!(
            "{s:?} is not a time exback understands (try 2026-11-28 18:30, 2026-11-28 or 2026-11-28T18:30:00+01:00)"
        )
    };
    let at = if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        at
    } else if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
    {
        local(naive).ok_or_else(|| format!("{s:?} does not exist in your local time"))?
    } else if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if day > now.date_naive() {
            return Err("that time is in the future".into());
        }
        let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
        let at = local(noon).ok_or_else(not_a_time)?;
        at.min(now)
    } else {
        return Err(not_a_time());
    };
    if at > now {
        return Err("that time is in the future".into());
    }
    Ok(at)
}

/// Why a typed date was refused. `Display` is the plain message for a command-line
/// flag; a question asked in the flow says it in the content's words instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was typed.
    #[error("a date is needed")]
    Empty,
    /// Not a date exback reads; the text as typed, trimmed.
    #[error(
        "{0:?} is not a date exback understands (try 2026-10-14, 2026-10, 3 weeks ago or yesterday)"
    )]
    NotADate(String),
    /// A date after today where only a past one will do.
    #[error("that date is in the future")]
    Future,
}

/// Parses a date on or before `today`.
pub fn parse_past(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let date = parse(input, today)?;
    if date > today {
        return Err(DateError::Future);
    }
    Ok(date)
}

/// Parses a date, past or future (`today`, `yesterday`, `7d`, `2026-10-14`, ...).
pub fn parse(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let lower = input.trim().to_ascii_lowercase();
    // "about 3 weeks ago", "roughly 2026-10": the rough words add nothing to the date.
    let s = ["about ", "around ", "roughly ", "approximately ", "~"]
        .iter()
        .fold(lower.as_str(), |s, w| s.strip_prefix(w).unwrap_or(s))
        .trim()
        .to_string();
    let date = match s.as_str() {
        "" => return Err(DateError::Empty),
        "today" => Some(today),
        "yesterday" => today.checked_sub_days(Days::new(1)),
        _ => None,
    };
    let date = match date {
        Some(d) => d,
        None => parse_absolute(&s)
            .or_else(|| parse_relative(&s, today))
            .ok_or_else(|| DateError::NotADate(input.trim().to_string()))?,
    };
    Ok(date)
}

fn parse_absolute(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        let (y, m) = s.split_once('-')?;
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
    })
}

/// Counts written as words, longest first where one starts another.
const WORDS: [(&str, u32); 16] = [
    ("a couple of ", 2),
    ("a few ", 3),
    ("an ", 1),
    ("a ", 1),
    ("one ", 1),
    ("two ", 2),
    ("three ", 3),
    ("four ", 4),
    ("five ", 5),
    ("six ", 6),
    ("seven ", 7),
    ("eight ", 8),
    ("nine ", 9),
    ("ten ", 10),
    ("eleven ", 11),
    ("twelve ", 12),
];

/// A count as people write it: digits, or a word up to twelve ("a", "a couple of",
/// "a few" included). Returns the count and the rest of the text.
fn count(s: &str) -> Option<(u32, &str)> {
    if let Some(split) = s.find(|c: char| !c.is_ascii_digit())
        && split > 0
    {
        return Some((s[..split].parse().ok()?, &s[split..]));
    }
    WORDS
        .iter()
        .find_map(|(word, n)| s.strip_prefix(word).map(|rest| (*n, rest)))
}

fn parse_relative(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.strip_suffix(" ago").unwrap_or(s).trim();
    // "last week", "last month", "last year": one of them ago.
    let s = s
        .strip_prefix("last ")
        .map_or_else(|| s.to_string(), |unit| format!("1 {unit}"));
    let (n, unit) = count(&s)?;
    let unit = unit.trim().trim_end_matches('s');
    match unit {
        "d" | "day" => today.checked_sub_days(Days::new(u64::from(n))),
        "w" | "week" => today.checked_sub_days(Days::new(u64::from(n) * 7)),
        "m" | "month" => today.checked_sub_months(Months::new(n)),
        "y" | "year" => today.checked_sub_months(Months::new(n.checked_mul(12)?)),
        _ => None,
    }
    .filter(|d| d.year() > 1900)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn relative_dates_stop_after_1900() {
        assert_eq!(parse("125 years ago", today()), Ok(d("1901-11-29")));
        assert!(
            parse("126 years ago", today()).is_err(),
            "1900 is too far back"
        );
    }

    #[test]
    fn an_empty_answer_is_asked_for_a_date_not_told_it_is_not_one() {
        assert_eq!(parse("  ", today()).unwrap_err(), DateError::Empty);
    }

    #[test]
    fn understands_the_usual_forms() {
        assert_eq!(parse_past("2026-10-14", today()), Ok(d("2026-10-14")));
        assert_eq!(parse_past("2026-10", today()), Ok(d("2026-10-01")));
        assert_eq!(parse_past("Today", today()), Ok(today()));
        assert_eq!(parse_past("yesterday", today()), Ok(d("2026-11-28")));
        assert_eq!(parse_past("3 weeks ago", today()), Ok(d("2026-11-08")));
        assert_eq!(parse_past("10d", today()), Ok(d("2026-11-19")));
        assert_eq!(parse_past("2 months ago", today()), Ok(d("2026-09-29")));
        assert_eq!(parse_past("1 year ago", today()), Ok(d("2025-11-29")));
        assert_eq!(
            parse_past("about 6 weeks ago", today()),
            Ok(d("2026-10-18"))
        );
        assert_eq!(parse_past("roughly 2026-10", today()), Ok(d("2026-10-01")));
        assert_eq!(
            parse_past("about five weeks ago", today()),
            Ok(d("2026-10-25"))
        );
        assert_eq!(parse_past("a month ago", today()), Ok(d("2026-10-29")));
        assert_eq!(
            parse_past("a couple of weeks ago", today()),
            Ok(d("2026-11-15"))
        );
        assert_eq!(parse_past("a few days ago", today()), Ok(d("2026-11-26")));
        assert_eq!(parse_past("last week", today()), Ok(d("2026-11-22")));
        assert_eq!(parse_past("last year", today()), Ok(d("2025-11-29")));
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-29T10:15:00+01:00").unwrap()
    }

    fn moment(s: &str) -> Result<String, String> {
        let offset = *now().offset();
        parse_moment(s, now(), |n| n.and_local_timezone(offset).single()).map(|t| t.to_rfc3339())
    }

    #[test]
    fn moments_in_the_three_forms() {
        assert_eq!(
            moment("2026-11-28T18:30:00-05:00"),
            Ok("2026-11-28T18:30:00-05:00".into())
        );
        assert_eq!(
            moment("2026-11-28 18:30"),
            Ok("2026-11-28T18:30:00+01:00".into())
        );
        assert_eq!(
            moment(" 2026-11-28T18:30 "),
            Ok("2026-11-28T18:30:00+01:00".into())
        );
        assert_eq!(moment("2026-11-28"), Ok("2026-11-28T12:00:00+01:00".into()));
        assert_eq!(
            moment("2026-11-29"),
            Ok(now().to_rfc3339()),
            "today before midday means now"
        );
    }

    #[test]
    fn moments_in_the_future_or_unreadable_are_refused() {
        assert!(moment("2026-11-29 10:16").unwrap_err().contains("future"));
        assert!(moment("2026-11-30").unwrap_err().contains("future"));
        assert!(
            moment("2026-12-01T00:00:00Z")
                .unwrap_err()
                .contains("future")
        );
        assert!(moment("last tuesday").unwrap_err().contains("not a time"));
        assert!(moment("2026-13-01").unwrap_err().contains("not a time"));
        assert!(moment("").unwrap_err().contains("not a time"));
    }

    #[test]
    fn refuses_the_future_and_nonsense() {
        assert_eq!(
            parse_past("2027-01-01", today()).unwrap_err(),
            DateError::Future
        );
        assert_eq!(
            parse_past("soon", today()).unwrap_err(),
            DateError::NotADate("soon".into())
        );
        assert!(
            DateError::NotADate("soon".into())
                .to_string()
                .starts_with("\"soon\" is not a date")
        );
        assert!(parse_past("", today()).is_err());
        assert!(parse_past("99999999999 days ago", today()).is_err());
    }

    /// chrono's reading, with the offset (two moments with different offsets are equal
    /// to chrono's `==`).
    fn chrono_reads(s: &str) -> Option<(DateTime<FixedOffset>, i32)> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| (d, d.offset().local_minus_utc()))
    }

    #[test]
    fn the_quick_rfc3339_reading_is_chronos() {
        for s in [
            "2026-11-29T21:05:00+01:00",
            "2026-11-29T21:05:00-09:30",
            "2024-02-29T00:00:00+00:00",
            "2023-02-29T00:00:00+00:00",
            "2026-11-29T24:00:00+00:00",
            "2026-11-29T23:59:60+00:00",
            "2026-11-29T21:05:00+24:00",
            "2026-11-29T21:05:00+01:60",
            "2026-11-29t21:05:00+01:00",
            "2026-11-29 21:05:00+01:00",
            "2026-11-29T21:05:00.5+01:00",
            "2026-11-29T21:05:00Z",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2026-1a-29T21:05:00+01:00",
            "2026-11-29T21:05:00*01:00",
            "2026-11-30T01:43:35.240620060Z",
            "2026-11-30T01:43:35.2Z",
            "2026-11-30T01:43:35.123456789+05:30",
            "2026-11-30T01:43:35.1234567891Z",
            "2026-11-30T01:43:35.Z",
            "2026-11-30T01:43:35z",
            "2026-11-30T01:43:35.5-00:00",
        ] {
            assert_eq!(
                parse_rfc3339(s).map(|d| (d, d.offset().local_minus_utc())),
                chrono_reads(s),
                "{s}"
            );
        }
        assert!(quick_rfc3339(b"2026-11-29T21:05:00+01:00").is_some());
        assert!(quick_rfc3339(b"2026-11-30T01:43:35.240620060Z").is_some());
        assert!(quick_rfc3339(b"2026-11-29T21:05:00z").is_none());
    }

    proptest::proptest! {
        /// Moments as exback writes them from the system clock, fraction and `Z`, with
        /// digits and the ending drawn at random, read as chrono reads them.
        #[test]
        fn any_moment_with_a_fraction_reads_as_chrono_reads_it(
            digits in proptest::collection::vec(proptest::sample::select(vec!['0', '1', '2', '5', '9']), 14),
            fraction in proptest::collection::vec(proptest::sample::select(vec!['0', '3', '9']), 0..11),
            end in proptest::sample::select(vec!["Z", "z", "+01:00", "-23:59", "+24:00", ""]),
        ) {
            let d: String = digits.iter().collect();
            let fraction: String = fraction.iter().collect();
            let s = format!(
                "{}-{}-{}T{}:{}:{}.{fraction}{end}",
                &d[0..4], &d[4..6], &d[6..8], &d[8..10], &d[10..12], &d[12..14]
            );
            proptest::prop_assert_eq!(
                parse_rfc3339(&s).map(|d| (d, d.offset().local_minus_utc())),
                chrono_reads(&s),
                "{}", s
            );
        }

        /// Any string of the written form's shape, every digit and separator drawn at
        /// random, reads as chrono reads it.
        #[test]
        fn any_moment_of_the_written_shape_reads_as_chrono_reads_it(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    '0', '1', '2', '3', '5', '9', '-', ':', 'T', '+', 'Z', '.', ' ',
                ]),
                25,
            ),
            keep in proptest::collection::vec(proptest::bool::weighted(0.9), 25),
        ) {
            // Mostly the written form, with a few places drawn at random.
            let form: Vec<char> = "2026-11-29T21:05:00+01:00".chars().collect();
            let s: String = (0..25)
                .map(|i| if keep[i] && !form[i].is_ascii_digit() { form[i] } else { chars[i] })
                .collect();
            proptest::prop_assert_eq!(
                parse_rfc3339(&s).map(|d| (d, d.offset().local_minus_utc())),
                chrono_reads(&s),
                "{}", s
            );
        }
    }
}
