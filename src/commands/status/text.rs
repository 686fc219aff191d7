//! The text screen of `exback status`, drawn from its [`Report`].

use crate::journal::OutcomeKind;
use crate::pacing::{self, Mode};
use crate::ui::{Tone, style};
use crate::workbook::{Naming, Workbook, name_step};

use super::{LABEL, MoodReport, NextReport, NextWhat, PacingReport, Report, StepRef, StepsReport};

/// A step of the report named in the given form.
fn name(workbook: &Workbook, s: &StepRef, naming: Naming) -> String {
    name_step(workbook, s.set, s.number, &s.title, naming)
}

/// "today", "yesterday", "3 days ago".
fn ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One line of the text screen: the label column (or its blank indent), then the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub label: String,
    pub tone: Tone,
    pub text: String,
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.label, self.text)
    }
}

/// A labelled row: the label in the first column, each paragraph wrapped beside it.
fn row(out: &mut Vec<Line>, label: &str, paragraphs: &[(Tone, String)], width: usize) {
    let text_width = width.saturating_sub(LABEL).max(20);
    let mut first = true;
    for (tone, paragraph) in paragraphs {
        for line in style::wrap(paragraph, text_width).lines() {
            let lead = if first {
                format!("{label:<LABEL$}")
            } else {
                " ".repeat(LABEL)
            };
            first = false;
            out.push(Line {
                label: lead,
                tone: *tone,
                text: line.to_string(),
            });
        }
    }
}

fn done_dates(r: &StepsReport) -> Option<String> {
    (!r.completed.is_empty()).then(|| {
        r.completed
            .iter()
            .map(|c| format!("{} ✓ {}", c.number, c.at.format("%Y-%m-%d")))
            .collect::<Vec<_>>()
            .join(" · ")
    })
}

fn bar(r: &StepsReport) -> String {
    crate::ui::bar::steps(
        (1..=r.total).map(|n| r.completed.iter().any(|c| usize::from(c.number) == n)),
    )
}

/// The text screen, line by line, at most `width` columns each.
pub(crate) fn render(r: &Report, workbook: &Workbook, width: usize) -> Vec<Line> {
    let mut out = vec![
        Line {
            label: String::new(),
            tone: Tone::Heading,
            text: format!("exback status · {}", r.now.format("%Y-%m-%d %H:%M")),
        },
        Line {
            label: String::new(),
            tone: Tone::Body,
            text: String::new(),
        },
    ];

    row(&mut out, "Steps", &steps_paragraphs(r, workbook), width);

    if let Some(m) = &r.moving_on {
        let mut lines = vec![(Tone::Body, bar(m))];
        if let Some(dates) = done_dates(m) {
            lines.push((Tone::Dim, dates));
        }
        match &m.current {
            Some(c) => lines.push((Tone::Body, format!("now: {}. {}", c.number, c.title))),
            None => lines.push((Tone::Good, "all done".into())),
        }
        row(&mut out, "Moving on", &lines, width);
    }

    if let Some(o) = &r.outcome {
        let line = format!("{} · since {}", o.label, o.at.format("%Y-%m-%d"));
        row(&mut out, "Outcome", &[(Tone::Body, line)], width);
    }

    if let Some(b) = &r.breakup {
        let line = format!("{} · {}", ago(b.days_since), b.date);
        row(&mut out, "Breakup", &[(Tone::Body, line)], width);
    }

    row(
        &mut out,
        "Contact",
        &contact_paragraphs(&r.pacing, workbook),
        width,
    );

    row(&mut out, "Mood", &mood_paragraphs(&r.mood), width);

    row(&mut out, "Next", &next_paragraphs(&r.next, workbook), width);
    out
}

/// The Steps row: the bar, the dates, where the user is, and any pause.
fn steps_paragraphs(r: &Report, workbook: &Workbook) -> Vec<(Tone, String)> {
    let mut steps = vec![(Tone::Body, bar(&r.steps))];
    if let Some(dates) = done_dates(&r.steps) {
        steps.push((Tone::Dim, dates));
    }
    match (&r.steps.current, r.path) {
        _ if !r.onboarded => steps.push((Tone::Body, "not started yet".into())),
        (Some(c), _) => steps.push((
            Tone::Body,
            format!("now: {}", name(workbook, c, Naming::Sentence)),
        )),
        (None, _)
            if r.moving_on.is_some()
                && r.outcome
                    .as_ref()
                    .is_some_and(|o| o.id == OutcomeKind::MovedOn) =>
        {
            steps.push((
                Tone::Dim,
                "set aside while you walk the moving-on steps".into(),
            ));
        }
        (None, _) if r.steps.done == r.steps.total => {
            steps.push((Tone::Good, "all seven steps done".into()));
        }
        _ => {}
    }
    if let Some(p) = &r.paused {
        let which = name(workbook, &p.step, Naming::Short);
        let text = match &p.door {
            Some(d) => format!(
                "{which} rests since {}, after you said “{}” · {}",
                p.at.format("%Y-%m-%d"),
                d.said,
                match d.look_again {
                    Some(day) if d.resting => format!("paused until {day}, as you chose"),
                    _ => "`exback next` asks where you'd like to go from here".into(),
                }
            ),
            None => format!(
                "{which} paused here on {} · `exback next` takes it up again",
                p.at.format("%Y-%m-%d")
            ),
        };
        steps.push((Tone::Dim, text));
    }
    if r.onboarded && !matches!(r.pacing.mode, Mode::Coaching | Mode::Together) {
        steps.push((
            Tone::Dim,
            "steps 3 to 7 are not offered on your path".into(),
        ));
    }
    steps
}

/// The Mood row: the sparkline, today's score and the streak.
fn mood_paragraphs(m: &MoodReport) -> Vec<(Tone, String)> {
    let mut mood = vec![(Tone::Body, format!("{}  last 30 days", m.sparkline))];
    let today = match m.today {
        Some(n) => format!("today {n}/10"),
        None => "no check-in today".into(),
    };
    mood.push(
        if m.last_30_days.iter().all(Option::is_none) && m.streak_days == 0 {
            let text = if m.check_ins_logged == 0 {
                "no check-ins yet · `exback mood N` adds one (1 to 10)".to_string()
            } else if m.check_ins_after_now > 0 {
                format!(
                    "no check-in in the last 30 days · {} dated after now (is the clock right?)",
                    count(
                        u32::try_from(m.check_ins_after_now).unwrap_or(u32::MAX),
                        "check-in",
                        "check-ins"
                    )
                )
            } else {
                format!(
                    "no check-in in the last 30 days · {} before that",
                    count(
                        u32::try_from(m.check_ins_logged).unwrap_or(u32::MAX),
                        "check-in",
                        "check-ins"
                    )
                )
            };
            (Tone::Dim, text)
        } else {
            (
                Tone::Dim,
                format!("{today} · {} in a row", count(m.streak_days, "day", "days")),
            )
        },
    );
    mood
}

/// What the pace leaves out of the log, and why, when it leaves out any contact.
fn left_out_line(p: &PacingReport) -> Option<String> {
    let n = |k: usize| u32::try_from(k).unwrap_or(u32::MAX);
    let mut why = Vec::new();
    if p.contacts_before_breakup > 0 {
        why.push(format!(
            "{} from before the breakup",
            n(p.contacts_before_breakup)
        ));
    }
    if p.contacts_after_now > 0 {
        why.push(format!(
            "{} dated after now (is the clock right?)",
            n(p.contacts_after_now)
        ));
    }
    if p.contacts_practical > 0 {
        why.push(format!(
            "{} about practical things",
            n(p.contacts_practical)
        ));
    }
    (!why.is_empty()).then(|| format!("left out of the pace: {}", why.join(", ")))
}

/// The pacing summary as paragraphs: the facts, then any nudge and the draft hint.
pub(crate) fn contact_paragraphs(p: &PacingReport, workbook: &Workbook) -> Vec<(Tone, String)> {
    let mut lines = Vec::new();
    let last = p
        .days_since_last_contact
        .map(|d| format!("last contact {}", ago(d)));
    if let (Some(unanswered), Some(week), Some(mine)) = (
        p.unanswered_in_a_row,
        p.contacts_last_7_days,
        p.started_by_you_last_7_days,
    ) {
        if let Some(last) = last {
            lines.push((
                Tone::Body,
                format!(
                    "{last} · {} in a row",
                    count(unanswered, "unanswered message", "unanswered messages")
                ),
            ));
            lines.push((
                Tone::Body,
                format!(
                    "{} in the last 7 days, {mine} by you",
                    count(week, "contact", "contacts")
                ),
            ));
        } else if p.contacts_logged == 0 {
            lines.push((
                Tone::Body,
                "nothing logged yet · `exback contact` writes one down".into(),
            ));
        } else {
            lines.push((
                Tone::Body,
                format!(
                    "{} logged, none that counts for the pace",
                    count(
                        u32::try_from(p.contacts_logged).unwrap_or(u32::MAX),
                        "contact",
                        "contacts"
                    )
                ),
            ));
        }
        if let Some(why) = left_out_line(p) {
            lines.push((Tone::Dim, why));
        }
        if let Some(left) = p.quiet_days_left {
            lines.push((
                Tone::Dim,
                format!(
                    "the quiet time after the breakup has {} to go",
                    workbook.screens.days.say(left)
                ),
            ));
        }
    } else {
        lines.push((
            Tone::Body,
            "exback doesn't coach contact on your path".into(),
        ));
        if let Some(last) = last {
            lines.push((Tone::Body, last));
        }
    }
    if let Some(n) = &p.nudge {
        // The quiet word after a first unanswered message stays quiet: no hint with it.
        if n.id == pacing::Nudge::Waiting.id() {
            lines.push((Tone::Dim, n.text.clone()));
        } else {
            lines.push((Tone::Caution, n.text.clone()));
            lines.push((Tone::Dim, n.draft_hint.clone()));
        }
    }
    lines
}

fn next_paragraphs(n: &NextReport, workbook: &Workbook) -> Vec<(Tone, String)> {
    let which = |s: &StepRef| name(workbook, s, Naming::Short);
    let what = match (n.what, &n.step) {
        (NextWhat::Onboarding, _) => {
            return vec![(
                Tone::Body,
                "`exback next` starts with five short questions about the breakup".into(),
            )];
        }
        (NextWhat::Question, Some(s)) => format!(
            "asks question {} of {} of {}:",
            n.question.unwrap_or(1),
            n.questions.unwrap_or(1),
            which(s)
        ),
        (NextWhat::Readiness, Some(s)) => format!("asks the readiness check of {}", which(s)),
        (NextWhat::ClosedDoor, Some(s)) => {
            format!("asks where you'd like to go from here, after {}:", which(s))
        }
        (NextWhat::QuietTime, Some(s)) => {
            let on = n.opens_on.map(|d| d.to_string()).unwrap_or_default();
            return vec![(
                Tone::Body,
                format!(
                    "{} waits for the quiet time after the breakup; it opens by itself on {on}. Until then: steps 1 and 2, `exback urge`, `exback draft`",
                    which(s)
                ),
            )];
        }
        (NextWhat::Resting, Some(s)) => {
            return vec![(
                Tone::Body,
                format!(
                    "`exback next` asks nothing about {} until the day you chose",
                    which(s)
                ),
            )];
        }
        _ => "has nothing more to ask: every step of your path is done".into(),
    };
    let mut lines = vec![(
        Tone::Body,
        if n.mood_check_in_first {
            format!("`exback next` offers a mood check-in, then {what}")
        } else {
            format!("`exback next` {what}")
        },
    )];
    if let Some(prompt) = &n.prompt {
        lines.push((Tone::Point, format!("“{prompt}”")));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_wrap_beside_the_label_within_the_width() {
        let mut out = Vec::new();
        let long = "word ".repeat(40);
        row(&mut out, "Label", &[(Tone::Body, long)], 40);
        assert!(out.len() > 1);
        assert!(out[0].to_string().starts_with("Label     word"));
        for line in &out {
            let line = line.to_string();
            assert!(console::measure_text_width(&line) <= 40, "{line:?}");
        }
        assert!(out[1].to_string().starts_with("          word"));
    }

    #[test]
    fn days_ago_read_naturally() {
        assert_eq!(ago(0), "today");
        assert_eq!(ago(1), "yesterday");
        assert_eq!(ago(12), "12 days ago");
        assert_eq!(count(1, "day", "days"), "1 day");
        assert_eq!(count(0, "day", "days"), "0 days");
    }
}
