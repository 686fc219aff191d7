//! `exback mood N [NOTE]`: one mood check-in. `exback mood` alone: the last 12 weeks
//! as a chart of braille dots that fits 80 columns, or as JSON with `--json`.

use std::io::Write as _;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Weekday};
use serde::Serialize;

use crate::cli::MoodArgs;
use crate::journal::{Item, Mood, Store};
use crate::session::Clock;
use crate::ui::{Tone, style};
use crate::workbook::{Screens, count, fill};

use super::{Context, read_all, say, warn_damaged};

/// Days the chart covers: 12 weeks, ending today.
const DAYS: usize = 84;

/// Check-ins at most this many days apart are joined by a line.
const JOIN_DAYS: usize = 3;

/// Rows of braille cells: 4 dots each, 2 dots per mood level from 1 to 10.
const ROWS: usize = 5;

pub(crate) fn run(ctx: &Context, args: &MoodArgs) -> anyhow::Result<()> {
    let Some(level) = args.score else {
        return show(ctx, args.json);
    };
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let note = Some(args.note.join(" ").trim().to_string()).filter(|n| !n.is_empty());
    let mood = Mood::new(clock.now(), level, note);
    store.add_mood(&mood)?;
    super::print_line(&mood.id)?;
    // A very low score brings the support block first, gently, as the check-in of
    // `next` does: help before any bookkeeping.
    if workbook
        .welcome
        .mood
        .support_range
        .is_some_and(|[low, high]| (low..=high).contains(&mood.score))
    {
        let mut err = std::io::stderr().lock();
        super::support::write_block(&mut err, &workbook, crate::ui::style::width())?;
    }
    say(
        Tone::Good,
        &crate::workbook::fill(
            &workbook.screens.mood.checked_in,
            &[("score", &mood.score.to_string())],
        ),
    );
    Ok(())
}

/// When the newest check-in was saved, if there is one.
pub(crate) fn last_check_in(store: &Store) -> anyhow::Result<Option<DateTime<FixedOffset>>> {
    for item in store.moods_newest_first()? {
        match item? {
            Item::Entry(mood) => return Ok(Some(mood.at)),
            Item::Damaged(d) => warn_damaged(&d),
        }
    }
    Ok(None)
}

/// The last 12 weeks, as numbers (`--json`, docs/json.md).
#[derive(Debug, Serialize)]
pub(crate) struct Weeks {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One per day, oldest first: the day's check-ins averaged, `null` for none.
    pub days: Vec<Day>,
    pub check_ins: usize,
    pub days_with_check_in: usize,
    /// Over every check-in, to one decimal; `null` when there is none.
    pub average: Option<f64>,
    pub lowest: Option<u8>,
    pub highest: Option<u8>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Day {
    pub date: NaiveDate,
    pub score: Option<u8>,
    pub check_ins: usize,
}

/// The numbers of the 12 weeks ending on `today`.
pub(crate) fn weeks(moods: &[Mood], today: NaiveDate) -> Weeks {
    let scores = crate::mood::daily(moods, today, DAYS);
    let from = today
        .checked_sub_days(Days::new(DAYS as u64 - 1))
        .unwrap_or(today);
    let inside: Vec<&Mood> = moods
        .iter()
        .filter(|m| (from..=today).contains(&m.at.date_naive()))
        .collect();
    let days: Vec<Day> = from
        .iter_days()
        .zip(scores)
        .map(|(date, score)| Day {
            date,
            score,
            check_ins: inside.iter().filter(|m| m.at.date_naive() == date).count(),
        })
        .collect();
    let sum: u32 = inside.iter().map(|m| u32::from(m.score)).sum();
    let count = u32::try_from(inside.len()).unwrap_or(u32::MAX);
    Weeks {
        from,
        to: today,
        days_with_check_in: days.iter().filter(|d| d.score.is_some()).count(),
        days,
        check_ins: inside.len(),
        average: (count > 0).then(|| (f64::from(sum) * 10.0 / f64::from(count)).round() / 10.0),
        lowest: inside.iter().map(|m| m.score).min(),
        highest: inside.iter().map(|m| m.score).max(),
    }
}

fn show(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let screens = ctx.screens()?;
    let today = ctx.clock()?.now().date_naive();
    let store = ctx.store()?;
    let moods = read_all(store.moods_newest_first()?)?;
    let weeks = weeks(&moods, today);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if json {
        writeln!(
            out,
            "{}",
            crate::escapes::json_printable(&serde_json::to_string_pretty(&weeks)?)
        )
    } else if weeks.check_ins == 0 {
        writeln!(
            out,
            "{}",
            style::wrap(&screens.mood_chart.none_yet, style::stdout_width(100))
        )
    } else {
        // The title and the numbers under the chart wrap at word boundaries; the chart's
        // own rows are drawn to a fixed width.
        let width = style::stdout_width(100);
        let lines = chart(&weeks, &screens);
        let last = lines.len().saturating_sub(1);
        lines.iter().enumerate().try_for_each(|(i, line)| match i {
            0 => style::wrap(line, width)
                .lines()
                .try_for_each(|l| writeln!(out, "{}", style::paint(Tone::Heading, l))),
            i if i == last => writeln!(out, "{}", style::wrap(line, width)),
            _ => writeln!(out, "{line}"),
        })
    };
    // A closed pipe (`| head`) ends quietly: see `Exit::of`.
    written.and_then(|()| out.flush())?;
    Ok(())
}

/// The chart's lines: a title, five rows of braille dots (one dot column per day, two
/// dot rows per level, check-ins a few days apart joined), the time axis with every other Monday
/// named, and the numbers in words. At most 48 columns wide, plain text.
pub(crate) fn chart(weeks: &Weeks, screens: &Screens) -> Vec<String> {
    let cells = DAYS.div_ceil(2);
    let dots = plot(weeks);
    let mut lines = vec![fill(
        &screens.mood_chart.title,
        &[
            ("from", &weeks.from.format("%-d %b").to_string()),
            ("to", &weeks.to.format("%-d %b %Y").to_string()),
        ],
    )];
    for (r, row) in dots.iter().enumerate() {
        let label = match r {
            0 => "10 ┤",
            2 => " 5 ┤",
            4 => " 1 ┤",
            _ => "   │",
        };
        let cells: String = row
            .iter()
            .map(|&bits| {
                if bits == 0 {
                    ' '
                } else {
                    char::from_u32(0x2800 + u32::from(bits)).unwrap_or('·')
                }
            })
            .collect();
        lines.push(format!("{label}{}", cells.trim_end()));
    }
    lines.push(format!("   └{}", "─".repeat(cells)));
    lines.push(format!("    {}", axis_labels(weeks, cells)));
    lines.push(words(weeks, screens));
    lines
}

/// The braille cells, `ROWS` rows of `DAYS / 2`: one dot column per day at the day's
/// level, check-ins up to [`JOIN_DAYS`] apart joined by a straight line.
fn plot(weeks: &Weeks) -> Vec<[u8; DAYS.div_ceil(2)]> {
    let mut dots = vec![[0u8; DAYS.div_ceil(2)]; ROWS];
    let row_of = |score: u8| usize::from(10 - score.clamp(1, 10)) * 2 + 1;
    let mut set = |column: usize, from: usize, to: usize| {
        for r in from.min(to)..=from.max(to) {
            dots[r / 4][column / 2] |= braille_bit(column % 2, r % 4);
        }
    };
    let mut previous: Option<(usize, usize)> = None;
    for (i, day) in weeks.days.iter().enumerate() {
        let Some(score) = day.score else {
            continue;
        };
        let row = row_of(score);
        match previous {
            // Check-ins a few days apart are joined by a straight line; a longer gap stays open.
            Some((j, prev)) if i - j <= JOIN_DAYS => {
                let at = |c: usize| {
                    let (c, span) = (c - j, i - j);
                    if row >= prev {
                        prev + (row - prev) * c / span
                    } else {
                        prev - (prev - row) * c / span
                    }
                };
                for c in j + 1..=i {
                    set(c, at(c - 1), at(c));
                }
            }
            _ => set(i, row, row),
        }
        previous = Some((i, row));
    }
    dots
}

/// The bit of a braille cell for dot column `x` (0–1) and dot row `y` (0–3).
fn braille_bit(x: usize, y: usize) -> u8 {
    const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
    BITS[x][y]
}

/// Every other Monday's date, under its cell.
fn axis_labels(weeks: &Weeks, cells: usize) -> String {
    let mut line: Vec<char> = vec![' '; cells + 8];
    let mondays = weeks
        .days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.date.weekday() == Weekday::Mon)
        .step_by(2);
    for (i, day) in mondays {
        let label: Vec<char> = day.date.format("%-d %b").to_string().chars().collect();
        let at = i / 2;
        if at + label.len() <= line.len() {
            line[at..at + label.len()].copy_from_slice(&label);
        }
    }
    line.into_iter().collect::<String>().trim_end().to_string()
}

fn words(weeks: &Weeks, screens: &Screens) -> String {
    let w = &screens.mood_chart;
    let checks = count(weeks.check_ins, &w.check_ins_one, &w.check_ins_many, &[]);
    // Only said with at least one check-in: never "less than a day".
    let days = screens
        .days
        .say(i64::try_from(weeks.days_with_check_in).unwrap_or(i64::MAX));
    match (weeks.average, weeks.lowest, weeks.highest) {
        (Some(avg), Some(low), Some(high)) => fill(
            &w.summary,
            &[
                ("checks", &checks),
                ("days", &days),
                ("average", &format!("{avg:.1}")),
                ("lowest", &low.to_string()),
                ("highest", &high.to_string()),
            ],
        ),
        _ => fill(
            &w.summary_no_scores,
            &[("checks", &checks), ("days", &days)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mood(at: &str, score: u8) -> Mood {
        Mood::new(DateTime::parse_from_rfc3339(at).unwrap(), score, None)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn the_numbers_cover_84_days_ending_today() {
        let moods = [
            mood("2026-11-29T09:00:00+01:00", 7),
            mood("2026-11-29T21:00:00+01:00", 8),
            mood("2026-09-07T09:00:00+01:00", 2),
            mood("2026-09-06T09:00:00+01:00", 10),
        ];
        let w = weeks(&moods, today());
        assert_eq!(w.days.len(), 84);
        assert_eq!(w.from, NaiveDate::from_ymd_opt(2026, 9, 7).unwrap());
        assert_eq!(w.days[0].score, Some(2));
        assert_eq!(w.days[83].score, Some(8), "7 and 8 round half up");
        assert_eq!(w.days[83].check_ins, 2);
        assert_eq!(w.check_ins, 3, "6 September is outside");
        assert_eq!(w.days_with_check_in, 2);
        assert_eq!(w.average, Some(5.7));
        assert_eq!((w.lowest, w.highest), (Some(2), Some(8)));
    }

    #[test]
    fn the_chart_fits_80_columns_and_puts_each_day_at_its_level() {
        let moods = [
            mood("2026-09-07T09:00:00+01:00", 10),
            mood("2026-11-28T09:00:00+01:00", 1),
            mood("2026-11-29T09:00:00+01:00", 1),
        ];
        let lines = chart(
            &weeks(&moods, today()),
            &crate::workbook::Workbook::embedded().unwrap().screens,
        );
        assert_eq!(lines.len(), 9);
        for l in &lines {
            assert!(l.chars().count() <= 80, "{l}");
        }
        // 7 September, level 10: dot row 1 of the top cell, left column.
        assert_eq!(lines[1].chars().nth(4), Some('\u{2802}'));
        // 28 and 29 November, level 1: the last cell of the bottom row, both columns.
        assert_eq!(lines[5].chars().last(), Some('\u{28c0}'));
        assert_eq!(lines[5].chars().count(), 4 + 42);
        assert!(lines[2].trim_end().ends_with('│'), "empty rows stay empty");
        assert!(lines[7].starts_with("    7 Sep"), "{}", lines[7]);
        assert!(lines[7].contains("21 Sep"));
        assert_eq!(
            lines[8],
            "3 check-ins on 3 days · average 4.0 · lowest 1 · highest 10"
        );
    }

    #[test]
    fn close_days_are_joined_and_long_gaps_are_not() {
        let moods = [
            mood("2026-11-26T09:00:00+01:00", 1),
            mood("2026-11-27T09:00:00+01:00", 10),
            mood("2026-11-12T09:00:00+01:00", 10),
        ];
        let lines = chart(
            &weeks(&moods, today()),
            &crate::workbook::Workbook::embedded().unwrap().screens,
        );
        // 27 November (day 81, right column of cell 40) reaches from level 1 up to 10:
        // every row has a dot in that cell.
        for row in &lines[1..=5] {
            let cell = row.chars().nth(4 + 40).unwrap_or(' ');
            assert_ne!(cell, ' ', "{row}");
        }
        // 12 November (day 66, left column of cell 33) is two weeks from the next: one dot.
        assert_eq!(lines[1].chars().nth(4 + 33), Some('\u{2802}'));
        assert_eq!(lines[2].chars().nth(4 + 33), Some(' '));
    }
}
