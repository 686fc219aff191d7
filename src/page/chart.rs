//! The mood chart of the page: an inline SVG with one mark per check-in (its note in a
//! `<title>`), weeks on the time axis, and on the same axis the days a step was
//! finished and the days of contact. Pure: the data and the date span are arguments.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};

use crate::journal::{Contact, Mood, Who};
use crate::workbook::{Screens, fill};

use super::{count, esc};

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

/// A step finished on a day in the chart's span, and its heading.
pub(crate) struct StepMark {
    pub at: NaiveDateTime,
    pub step: String,
}

/// What the chart shows, oldest first, and the days it spans (both ends included), in
/// the words of `[page_chart]`.
pub(crate) struct Chart<'a> {
    pub words: &'a Screens,
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
         aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">{}</title>\n\
         <desc id=\"chart-desc\">{}</desc>\n",
        esc(&chart.words.page_chart.title),
        esc(summary)
    );
    scale(&mut s, chart);
    weeks(&mut s, chart);
    steps(&mut s, chart);
    contacts(&mut s, chart);
    line(&mut s, chart);
    s.push_str("</svg>");
    s
}

/// Horizontal lines and labels for 1, 5 and 10, and the two rows' names.
fn scale(s: &mut String, chart: &Chart<'_>) {
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
        "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{3}</text>\
         <text x=\"{0}\" y=\"{2}\" text-anchor=\"end\">{4}</text>",
        LEFT - 8.0,
        STEP_ROW + 4.0,
        CONTACT_ROW + 4.0,
        esc(&chart.words.page_chart.steps_row),
        esc(&chart.words.page_chart.contact_row)
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
            esc(&fill(
                &chart.words.page_chart.step_mark,
                &[("when", &moment(mark.at)), ("step", &mark.step)]
            ))
        );
    }
}

fn contacts(s: &mut String, chart: &Chart<'_>) {
    let w = &chart.words.page_chart;
    for c in chart.contacts {
        let at = c.at.naive_local();
        let (class, who) = match c.from {
            Who::Me => ("from-me", &w.from_me),
            Who::Them => ("from-them", &w.from_them),
        };
        let when = moment(at);
        let title = match c.felt {
            Some(felt) => fill(
                &w.contact_mark_felt,
                &[("when", &when), ("who", who), ("felt", &felt.to_string())],
            ),
            None => fill(&w.contact_mark, &[("when", &when), ("who", who)]),
        };
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
        let w = &chart.words.page_chart;
        let (when, score) = (moment(m.at.naive_local()), m.score.to_string());
        let title = match &m.note {
            Some(note) => fill(
                &w.check_in_mark_note,
                &[("when", &when), ("score", &score), ("note", note)],
            ),
            None => fill(&w.check_in_mark, &[("when", &when), ("score", &score)]),
        };
        let _ = writeln!(
            s,
            "<circle class=\"check-in\" cx=\"{cx}\" cy=\"{cy}\" r=\"4.5\"><title>{}</title></circle>",
            esc(&title)
        );
    }
}

/// The chart in words, for screen readers and for anyone who prefers to read it.
/// Its sentences are joined by a space.
pub(crate) fn summary(chart: &Chart<'_>) -> String {
    let (w, page) = (&chart.words.page_chart, &chart.words.page);
    let moods = chart.moods;
    let from = chart.from.format("%-d %B %Y").to_string();
    let to = chart.to.format("%-d %B %Y").to_string();
    let span = [("from", from.as_str()), ("to", to.as_str())];
    let mut out = match moods.len() {
        0 => fill(&w.summary_none, &span),
        1 => fill(&w.summary_one, &span),
        n => fill(&w.summary_many, &[("n", &n.to_string()), span[0], span[1]]),
    };
    if let (Some(low), Some(high)) = (
        moods.iter().min_by_key(|m| m.score),
        moods.iter().max_by_key(|m| m.score),
    ) {
        let day = |m: &Mood| m.at.format("%-d %B").to_string();
        out.push(' ');
        out.push_str(&fill(
            &w.summary_range,
            &[
                ("low", &low.score.to_string()),
                ("low_day", &day(low)),
                ("high", &high.score.to_string()),
                ("high_day", &day(high)),
            ],
        ));
    }
    if moods.len() >= 4 {
        let half = moods.len() / 2;
        let (first, last) = (average(&moods[..half]), average(&moods[half..]));
        out.push(' ');
        out.push_str(&fill(
            &w.summary_trend,
            &[
                ("earlier", &format!("{first:.1}")),
                ("later", &format!("{last:.1}")),
            ],
        ));
    }
    let steps = count(
        chart.steps.len(),
        [&w.steps_none, &w.steps_one, &w.steps_many],
    );
    let contacts = count(
        chart.contacts.len(),
        [&page.contacts_none, &page.contacts_one, &page.contacts_many],
    );
    out.push(' ');
    out.push_str(&fill(
        &w.summary_marks,
        &[("steps", &steps), ("contacts", &contacts)],
    ));
    out
}

fn average(moods: &[Mood]) -> f64 {
    let sum: u32 = moods.iter().map(|m| u32::from(m.score)).sum();
    f64::from(sum) / f64::from(u32::try_from(moods.len()).unwrap_or(u32::MAX).max(1))
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

    fn words() -> Screens {
        crate::workbook::Workbook::embedded().unwrap().screens
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
            words: &words(),
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
            words: &words(),
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
            words: &words(),
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
