//! Mood check-ins over time: whether today's check-in is still due, the day-by-day
//! scores, the sparkline and the streak. Pure: "now" and the check-ins are arguments.
//! A check-in's day is its local date, in the offset it was saved with.

use chrono::{DateTime, Days, FixedOffset, NaiveDate};

use crate::journal::Mood;

/// The sparkline's levels, lowest first.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The sparkline's mark for a day without a check-in.
pub(crate) const GAP: char = '·';

/// True when `exback next` should offer the check-in: nothing was checked in or
/// skipped on today's date.
pub(crate) fn due(
    last_check_in: Option<DateTime<FixedOffset>>,
    last_skipped: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> bool {
    // Days are cut at the reader's midnight: `now` carries the reader's offset.
    let today = now.date_naive();
    ![last_check_in, last_skipped]
        .iter()
        .flatten()
        .any(|at| at.with_timezone(now.offset()).date_naive() == today)
}

/// The score of each of the `count` days ending today, oldest first: the day's
/// check-ins averaged (rounded half up), `None` for a day without one.
pub(crate) fn daily(moods: &[Mood], today: NaiveDate, count: usize) -> Vec<Option<u8>> {
    (0..count)
        .rev()
        .map(|back| {
            let day = today.checked_sub_days(Days::new(back as u64))?;
            let scores: Vec<u32> = moods
                .iter()
                .filter(|m| crate::dates::local_day(&m.at) == day)
                .map(|m| u32::from(m.score.clamp(1, 10)))
                .collect();
            let n = u32::try_from(scores.len()).ok().filter(|n| *n > 0)?;
            let sum: u32 = scores.iter().sum();
            u8::try_from((2 * sum + n) / (2 * n)).ok()
        })
        .collect()
}

/// One character per day: `▁` for 1 up to `█` for 10, [`GAP`] for no check-in.
pub(crate) fn sparkline(days: &[Option<u8>]) -> String {
    days.iter()
        .map(|d| match d {
            Some(score) => {
                let i = (usize::from(score.clamp(&1, &10) - 1) * 7 + 4) / 9;
                LEVELS[i.min(7)]
            }
            None => GAP,
        })
        .collect()
}

/// Days in a row with a check-in, ending today, or ending yesterday while today has
/// none yet (a streak isn't broken before the day is over).
pub(crate) fn streak(moods: &[Mood], today: NaiveDate) -> u32 {
    let checked = |day: NaiveDate| moods.iter().any(|m| crate::dates::local_day(&m.at) == day);
    let mut day = if checked(today) {
        today
    } else {
        match today.pred_opt() {
            Some(d) => d,
            None => return 0,
        }
    };
    let mut n = 0;
    while checked(day) {
        n += 1;
        match day.pred_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn mood(s: &str, score: u8) -> Mood {
        Mood::new(at(s), score, None)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn the_check_in_is_due_once_per_local_day() {
        let now = at("2026-11-29T08:00:00+01:00");
        assert!(due(None, None, now));
        assert!(!due(Some(at("2026-11-29T00:10:00+01:00")), None, now));
        assert!(
            !due(None, Some(at("2026-11-29T07:59:00+01:00")), now),
            "skipped today"
        );
        assert!(due(Some(at("2026-11-28T23:59:00+01:00")), None, now));
        assert!(due(
            Some(at("2026-11-28T10:00:00+01:00")),
            Some(at("2026-11-27T10:00:00+01:00")),
            now
        ));
        // Late evening of the 28th where it was written is already the 29th for the
        // reader (+01:00): the reader's midnight counts.
        assert!(!due(Some(at("2026-11-28T23:30:00-05:00")), None, now));
        assert!(due(Some(at("2026-11-28T17:30:00-05:00")), None, now));
    }

    #[test]
    fn days_are_averaged_and_gaps_stay_gaps() {
        let moods = [
            mood("2026-11-29T09:00:00+01:00", 7),
            mood("2026-11-29T21:00:00+01:00", 8),
            mood("2026-11-27T21:00:00+01:00", 1),
            mood("2026-10-01T21:00:00+01:00", 10),
        ];
        assert_eq!(daily(&moods, today(), 4), [None, Some(1), None, Some(8)]);
        assert_eq!(daily(&moods, today(), 30).len(), 30);
        assert_eq!(daily(&moods, today(), 30)[0], None, "outside the window");
    }

    #[test]
    fn the_sparkline_spans_the_eight_levels_with_a_gap_mark() {
        let days: Vec<Option<u8>> = (1..=10).map(Some).chain([None]).collect();
        assert_eq!(sparkline(&days), "▁▂▃▃▄▅▆▆▇█·");
        assert_eq!(sparkline(&[None; 3]), "···");
    }

    #[test]
    fn the_streak_counts_days_in_a_row_up_to_today_or_yesterday() {
        let moods = [
            mood("2026-11-28T09:00:00+01:00", 5),
            mood("2026-11-27T09:00:00+01:00", 5),
            mood("2026-11-27T19:00:00+01:00", 6),
            mood("2026-11-25T09:00:00+01:00", 5),
        ];
        assert_eq!(
            streak(&moods, today()),
            2,
            "today not yet: yesterday counts"
        );
        let mut with_today = moods.to_vec();
        with_today.push(mood("2026-11-29T09:00:00+01:00", 5));
        assert_eq!(streak(&with_today, today()), 3);
        assert_eq!(streak(&moods[3..], today()), 0);
        assert_eq!(streak(&[], today()), 0);
    }
}
