//! The mood chart of the page: an inline SVG with one mark per check-in (its note in a
//! `<title>`), weeks on the time axis, and on the same axis the days a step was
//! finished and the days of contact. Pure: the data and the date span are arguments.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};

use crate::journal::{Contact, Mood, Who};

use super::esc;

/// Drawing area, in SVG units (the SVG scales to the page width).
const WIDTH: f64 = 720.0;
const LEFT: f64 = 74.0;
const RIGHT: f64 = 708.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 196.0;
const AXIS_LABELS: f64 = 214.0;
const STEP_ROW: f64 = 238.0;
const CONTACT_ROW: f64 = 262.0;
const HEIGHT: f64 = 278.0;

/// A step finished on a day in the chart's span.
pub(crate) struct StepMark {
    pub at: NaiveDateTime,
    pub label: String,
}

/// What the chart shows, oldest first, and the days it spans (both ends included).
pub(crate) struct Chart<'a> {
    pub moods: &'a [Mood],
    pub contacts: &'a [Contact],
    pub steps: &'a [StepMark],
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Chart<'_> {
    fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The horizontal place of a moment, in its own local time.
    fn x(&self, at: NaiveDateTime) -> f64 {
        let start = self.from.and_time(chrono::NaiveTime::MIN);
        let seconds = (at - start).num_seconds().clamp(0, self.days() * 86_400);
        LEFT + (RIGHT - LEFT) * ratio(seconds, self.days() * 86_400)
    }

    fn x_of_day(&self, day: NaiveDate) -> f64 {
        self.x(day.and_time(chrono::NaiveTime::MIN))
    }
}

/// `a / b` as a float for values that fit (days and seconds of a chart).
fn ratio(a: i64, b: i64) -> f64 {
    let a = i32::try_from(a).unwrap_or(i32::MAX);
    let b = i32::try_from(b).unwrap_or(i32::MAX).max(1);
    f64::from(a) / f64::from(b)
}

fn y(score: u8) -> f64 {
    BOTTOM - (BOTTOM - TOP) * f64::from(score.clamp(1, 10) - 1) / 9.0
}

/// "29 Nov 2026 20:15".
fn moment(at: NaiveDateTime) -> String {
    at.format("%-d %b %Y %H:%M").to_string()
}

/// The SVG. `summary` becomes its `<desc>`, so a screen reader hears the gist.
pub(crate) fn svg(chart: &Chart<'_>, summary: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">Mood over time</title>\n\
         <desc id=\"chart-desc\">{}</desc>\n",
        esc(summary)
    );
    scale(&mut s);
    weeks(&mut s, chart);
    steps(&mut s, chart);
    contacts(&mut s, chart);
    line(&mut s, chart);
    s.push_str("</svg>");
    s
}

/// Horizontal lines and labels for 1, 5 and 10, and the two rows' names.
fn scale(s: &mut String) {
    for score in [1u8, 5, 10] {
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>\
             <text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{score}</text>",
            y(score),
            LEFT - 8.0,
            y(score) + 4.0
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">steps</text>\
         <text x=\"{0}\" y=\"{2}\" text-anchor=\"end\">contact</text>",
        LEFT - 8.0,
        STEP_ROW + 4.0,
        CONTACT_ROW + 4.0
    );
}

/// A dotted rule at each Monday, labelled as often as the labels fit.
fn weeks(s: &mut String, chart: &Chart<'_>) {
    let mut monday = chart.from;
    while monday.weekday() != Weekday::Mon {
        monday = monday.succ_opt().unwrap_or(monday);
        if monday > chart.to {
            break;
        }
    }
    let mondays: Vec<NaiveDate> = std::iter::successors(Some(monday), |d| {
        d.checked_add_days(Days::new(7)).filter(|d| *d <= chart.to)
    })
    .filter(|d| *d >= chart.from && *d <= chart.to)
    .collect();
    // A label needs about 48 units; skip weeks when they are narrower.
    let week_width = (RIGHT - LEFT) * 7.0 / f64::from(i32::try_from(chart.days()).unwrap_or(1));
    let every = (1..=52usize)
        .find(|n| week_width * f64::from(u32::try_from(*n).unwrap_or(52)) >= 48.0)
        .unwrap_or(52);
    for (i, day) in mondays.iter().enumerate() {
        let x = chart.x_of_day(*day);
        let _ = write!(
            s,
            "<line class=\"week\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{CONTACT_ROW}\"/>"
        );
        if i % every == 0 {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{AXIS_LABELS}\" text-anchor=\"middle\">{}</text>",
                day.format("%-d %b")
            );
        }
        s.push('\n');
    }
}

fn steps(s: &mut String, chart: &Chart<'_>) {
    for mark in chart.steps {
        let x = chart.x(mark.at);
        let _ = writeln!(
            s,
            "<g><line class=\"step-rule\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{0:.1}\"/>\
             <path class=\"step-done\" d=\"M{x:.1} {0:.1}l6 6l-6 6l-6 -6z\"><title>{1}</title></path></g>",
            STEP_ROW - 6.0,
            esc(&format!("{} · {}", moment(mark.at), mark.label))
        );
    }
}

fn contacts(s: &mut String, chart: &Chart<'_>) {
    for c in chart.contacts {
        let at = c.at.naive_local();
        let (class, who) = match c.from {
            Who::Me => ("from-me", "you reached out"),
            Who::Them => ("from-them", "they reached out"),
        };
        let mut title = format!("{} · {who}", moment(at));
        if let Some(felt) = c.felt {
            let _ = write!(title, " · felt {felt}/10");
        }
        let _ = writeln!(
            s,
            "<circle class=\"contact {class}\" cx=\"{:.1}\" cy=\"{CONTACT_ROW}\" r=\"5\"><title>{}</title></circle>",
            chart.x(at),
            esc(&title)
        );
    }
}

/// The line through every check-in, then a mark on each, on top.
fn line(s: &mut String, chart: &Chart<'_>) {
    let points: Vec<String> = chart
        .moods
        .iter()
        .map(|m| format!("{:.1},{:.1}", chart.x(m.at.naive_local()), y(m.score)))
        .collect();
    if points.len() > 1 {
        let _ = writeln!(
            s,
            "<polyline class=\"mood-line\" points=\"{}\"/>",
            points.join(" ")
        );
    }
    for (m, point) in chart.moods.iter().zip(&points) {
        let (cx, cy) = point.split_once(',').unwrap_or(("0", "0"));
        let mut title = format!("{} · {}/10", moment(m.at.naive_local()), m.score);
        if let Some(note) = &m.note {
            let _ = write!(title, " · {note}");
        }
        let _ = writeln!(
            s,
            "<circle class=\"check-in\" cx=\"{cx}\" cy=\"{cy}\" r=\"4.5\"><title>{}</title></circle>",
            esc(&title)
        );
    }
}

/// The chart in words, for screen readers and for anyone who prefers to read it.
pub(crate) fn summary(chart: &Chart<'_>) -> String {
    let moods = chart.moods;
    let mut out = match moods.len() {
        0 => "No mood check-ins".to_string(),
        1 => "One mood check-in".to_string(),
        n => format!("{n} mood check-ins"),
    };
    let _ = write!(
        out,
        " from {} to {}.",
        chart.from.format("%-d %B %Y"),
        chart.to.format("%-d %B %Y")
    );
    if let (Some(low), Some(high)) = (
        moods.iter().min_by_key(|m| m.score),
        moods.iter().max_by_key(|m| m.score),
    ) {
        let day = |m: &Mood| m.at.format("%-d %B").to_string();
        let _ = write!(
            out,
            " The lowest was {}/10 on {}, the highest {}/10 on {}.",
            low.score,
            day(low),
            high.score,
            day(high)
        );
    }
    if moods.len() >= 4 {
        let half = moods.len() / 2;
        let (first, last) = (average(&moods[..half]), average(&moods[half..]));
        let _ = write!(
            out,
            " The earlier half averaged {first:.1}, the later half {last:.1}."
        );
    }
    let steps = chart.steps.len();
    let contacts = chart.contacts.len();
    let steps = plural(steps, "step", "steps");
    let mut first = steps.chars();
    let steps: String = first
        .next()
        .map(|c| c.to_uppercase().chain(first).collect())
        .unwrap_or_default();
    let _ = write!(
        out,
        " {steps} finished and {} in this time are marked on the same axis.",
        plural(contacts, "contact", "contacts")
    );
    out
}

fn average(moods: &[Mood]) -> f64 {
    let sum: u32 = moods.iter().map(|m| u32::from(m.score)).sum();
    f64::from(sum) / f64::from(u32::try_from(moods.len()).unwrap_or(u32::MAX).max(1))
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("one {one}"),
        n => format!("{n} {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn mood(at: &str, score: u8, note: Option<&str>) -> Mood {
        Mood::new(
            DateTime::parse_from_rfc3339(at).unwrap(),
            score,
            note.map(str::to_string),
        )
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_mark_per_check_in_with_its_note_escaped() {
        let moods = [
            mood(
                "2026-11-02T09:00:00+01:00",
                3,
                Some("</title><script>x</script>"),
            ),
            mood("2026-11-02T21:00:00+01:00", 5, None),
            mood("2026-11-20T09:00:00+01:00", 8, Some("sun & a walk")),
        ];
        let chart = Chart {
            moods: &moods,
            contacts: &[],
            steps: &[],
            from: day("2026-11-01"),
            to: day("2026-11-29"),
        };
        let svg = svg(&chart, &summary(&chart));
        assert_eq!(svg.matches("class=\"check-in\"").count(), 3);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;/title&gt;&lt;script&gt;"));
        assert!(svg.contains("sun &amp; a walk"));
        assert_eq!(svg.matches("<polyline").count(), 1);
        // Mondays 2, 9, 16 and 23 November are on the axis.
        assert_eq!(svg.matches("class=\"week\"").count(), 4);
        assert!(svg.contains(">2 Nov</text>"));
    }

    #[test]
    fn places_follow_time_and_score() {
        let chart = Chart {
            moods: &[],
            contacts: &[],
            steps: &[],
            from: day("2026-11-01"),
            to: day("2026-11-10"),
        };
        assert!((chart.x_of_day(day("2026-11-01")) - LEFT).abs() < 1e-9);
        assert!((chart.x_of_day(day("2026-11-11")) - RIGHT).abs() < 1e-9);
        let mid = chart.x_of_day(day("2026-11-06"));
        assert!((mid - f64::midpoint(LEFT, RIGHT)).abs() < 1e-9);
        assert!((y(10) - TOP).abs() < 1e-9 && (y(1) - BOTTOM).abs() < 1e-9);
    }

    #[test]
    fn the_summary_names_the_range_the_extremes_and_the_trend() {
        let moods = [
            mood("2026-11-02T09:00:00+01:00", 3, None),
            mood("2026-11-03T09:00:00+01:00", 4, None),
            mood("2026-11-20T09:00:00+01:00", 7, None),
            mood("2026-11-21T09:00:00+01:00", 8, None),
        ];
        let chart = Chart {
            moods: &moods,
            contacts: &[],
            steps: &[],
            from: day("2026-11-01"),
            to: day("2026-11-29"),
        };
        assert_eq!(
            summary(&chart),
            "4 mood check-ins from 1 November 2026 to 29 November 2026. The lowest was 3/10 on \
             2 November, the highest 8/10 on 21 November. The earlier half averaged 3.5, the \
             later half 7.5. No steps finished and no contacts in this time are marked on the same axis."
        );
    }
}
