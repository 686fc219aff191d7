//! Dates as people type them: `2026-10-14`, `2026-10`, `today`, `yesterday`,
//! `3 weeks ago`, `10d`. Pure: "today" is an argument.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Parses a date on or before `today`.
pub fn parse_past(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = parse(input, today)?;
    if date > today {
        return Err("that date is in the future".into());
    }
    Ok(date)
}

/// Parses a date, past or future (`today`, `yesterday`, `7d`, `2026-10-14`, ...).
pub fn parse(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let lower = input.trim().to_ascii_lowercase();
    // "about 3 weeks ago", "roughly 2026-10": the rough words add nothing to the date.
    let s = ["about ", "around ", "roughly ", "approximately ", "~"]
        .iter()
        .fold(lower.as_str(), |s, w| s.strip_prefix(w).unwrap_or(s))
        .trim()
        .to_string();
    let date = match s.as_str() {
        "" => return Err("a date is needed".into()),
        "today" => Some(today),
        "yesterday" => today.checked_sub_days(Days::new(1)),
        _ => None,
    };
    let date = match date {
        Some(d) => d,
        None => parse_absolute(&s).or_else(|| parse_relative(&s, today)).ok_or_else(|| {
            format!("{:?} is not a date exback understands (try 2026-10-14, 2026-10, 3 weeks ago or yesterday)", input.trim())
        })?,
    };
    Ok(date)
}

fn parse_absolute(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        let (y, m) = s.split_once('-')?;
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
    })
}

fn parse_relative(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.strip_suffix(" ago").unwrap_or(s).trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = s.split_at(split);
    let n: u32 = number.parse().ok()?;
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
    }

    #[test]
    fn refuses_the_future_and_nonsense() {
        assert!(
            parse_past("2027-01-01", today())
                .unwrap_err()
                .contains("future")
        );
        assert!(
            parse_past("soon", today())
                .unwrap_err()
                .contains("not a date")
        );
        assert!(parse_past("", today()).is_err());
        assert!(parse_past("99999999999 days ago", today()).is_err());
    }
}
