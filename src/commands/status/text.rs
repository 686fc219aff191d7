//! The text screen of `exback status`, drawn from its [`Report`].

use crate::journal::OutcomeKind;
use crate::pacing::{self, Mode};
use crate::ui::{Tone, style};
use crate::workbook::{Naming, Workbook, count, fill, name_step};

use super::{LABEL, MoodReport, NextReport, NextWhat, PacingReport, Report, StepRef, StepsReport};

/// A step of the report named in the given form.
fn name(workbook: &Workbook, s: &StepRef, naming: Naming) -> String {
    name_step(workbook, s.set, s.number, &s.title, naming)
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

fn done_dates(r: &StepsReport, workbook: &Workbook) -> Option<String> {
    (!r.completed.is_empty()).then(|| {
        r.completed
            .iter()
            .map(|c| {
                fill(
                    &workbook.screens.status.done_on,
                    &[
                        ("n", &c.number.to_string()),
                        ("date", &c.at.format("%Y-%m-%d").to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    })
}

fn bar(r: &StepsReport, workbook: &Workbook) -> String {
    crate::ui::bar::steps(
        (1..=r.total).map(|n| r.completed.iter().any(|c| usize::from(c.number) == n)),
        &workbook.screens,
    )
}

/// The text screen, line by line, at most `width` columns each.
pub(crate) fn render(r: &Report, workbook: &Workbook, width: usize) -> Vec<Line> {
    let words = &workbook.screens.status;
    let mut out = vec![
        Line {
            label: String::new(),
            tone: Tone::Heading,
            text: fill(
                &words.heading,
                &[("now", &r.now.format("%Y-%m-%d %H:%M").to_string())],
            ),
        },
        Line {
            label: String::new(),
            tone: Tone::Body,
            text: String::new(),
        },
    ];

    row(
        &mut out,
        &words.label_steps,
        &steps_paragraphs(r, workbook),
        width,
    );

    if let Some(m) = &r.moving_on {
        row(
            &mut out,
            &words.label_moving_on,
            &moving_on_paragraphs(m, workbook),
            width,
        );
    }

    if let Some(o) = &r.outcome {
        let line = fill(
            &words.outcome,
            &[
                ("date", &o.at.format("%Y-%m-%d").to_string()),
                ("label", &o.label),
            ],
        );
        row(&mut out, &words.label_outcome, &[(Tone::Body, line)], width);
    }

    if let Some(b) = &r.breakup {
        let line = fill(
            &words.breakup,
            &[
                ("ago", &workbook.screens.ago.say(b.days_since)),
                ("date", &b.date.to_string()),
            ],
        );
        row(&mut out, &words.label_breakup, &[(Tone::Body, line)], width);
    }

    row(
        &mut out,
        &words.label_contact,
        &contact_paragraphs(&r.pacing, workbook),
        width,
    );

    row(
        &mut out,
        &words.label_mood,
        &mood_paragraphs(&r.mood, workbook),
        width,
    );

    row(
        &mut out,
        &words.label_next,
        &next_paragraphs(&r.next, workbook),
        width,
    );
    out
}

/// The Moving on row: the bar, the dates, and the step the user is on.
fn moving_on_paragraphs(m: &StepsReport, workbook: &Workbook) -> Vec<(Tone, String)> {
    let words = &workbook.screens.status;
    let mut lines = vec![(Tone::Body, bar(m, workbook))];
    if let Some(dates) = done_dates(m, workbook) {
        lines.push((Tone::Dim, dates));
    }
    match &m.current {
        Some(c) => lines.push((
            Tone::Body,
            fill(
                &words.moving_on_now,
                &[("n", &c.number.to_string()), ("title", &c.title)],
            ),
        )),
        None => lines.push((Tone::Good, words.moving_on_done.clone())),
    }
    lines
}

/// The Steps row: the bar, the dates, where the user is, and any pause.
fn steps_paragraphs(r: &Report, workbook: &Workbook) -> Vec<(Tone, String)> {
    let words = &workbook.screens.status;
    let mut steps = vec![(Tone::Body, bar(&r.steps, workbook))];
    if let Some(dates) = done_dates(&r.steps, workbook) {
        steps.push((Tone::Dim, dates));
    }
    match (&r.steps.current, r.path) {
        _ if !r.onboarded => steps.push((Tone::Body, words.not_started.clone())),
        (Some(c), _) => steps.push((
            Tone::Body,
            fill(
                &words.now_on,
                &[("step", &name(workbook, c, Naming::Sentence))],
            ),
        )),
        (None, _)
            if r.moving_on.is_some()
                && r.outcome
                    .as_ref()
                    .is_some_and(|o| o.id == OutcomeKind::MovedOn) =>
        {
            steps.push((Tone::Dim, words.set_aside.clone()));
        }
        (None, _) if r.steps.done == r.steps.total => {
            steps.push((Tone::Good, words.all_done.clone()));
        }
        _ => {}
    }
    if let Some(p) = &r.paused {
        let which = name(workbook, &p.step, Naming::Short);
        let since = p.at.format("%Y-%m-%d").to_string();
        // The answer they gave is filled in last, so that nothing in it is read as a
        // placeholder.
        let text = match &p.door {
            Some(d) => match d.look_again {
                Some(day) if d.resting => fill(
                    &words.door_resting,
                    &[
                        ("step", &which),
                        ("since", &since),
                        ("until", &day.to_string()),
                        ("said", &d.said),
                    ],
                ),
                _ => fill(
                    &words.door_open,
                    &[("step", &which), ("since", &since), ("said", &d.said)],
                ),
            },
            None => fill(&words.paused, &[("step", &which), ("date", &since)]),
        };
        steps.push((Tone::Dim, text));
    }
    if r.onboarded && !matches!(r.pacing.mode, Mode::Coaching | Mode::Together) {
        steps.push((Tone::Dim, words.not_offered.clone()));
    }
    steps
}

/// A count of a report as the `u32` the sentences take.
fn n(k: usize) -> u32 {
    u32::try_from(k).unwrap_or(u32::MAX)
}

/// The Mood row: the sparkline, today's score and the streak.
fn mood_paragraphs(m: &MoodReport, workbook: &Workbook) -> Vec<(Tone, String)> {
    let words = &workbook.screens.status_mood;
    let mut mood = vec![(
        Tone::Body,
        fill(&words.sparkline, &[("sparkline", &m.sparkline)]),
    )];
    let today = match m.today {
        Some(score) => fill(&words.today, &[("score", &score.to_string())]),
        None => words.no_check_in_today.clone(),
    };
    mood.push(
        if m.last_30_days.iter().all(Option::is_none) && m.streak_days == 0 {
            let text = if m.check_ins_logged == 0 {
                words.none_yet.clone()
            } else if m.check_ins_after_now > 0 {
                count(
                    n(m.check_ins_after_now),
                    &words.none_lately_after_now_one,
                    &words.none_lately_after_now_many,
                    &[],
                )
            } else {
                count(
                    n(m.check_ins_logged),
                    &words.none_lately_one,
                    &words.none_lately_many,
                    &[],
                )
            };
            (Tone::Dim, text)
        } else {
            (
                Tone::Dim,
                count(
                    m.streak_days,
                    &words.streak_one,
                    &words.streak_many,
                    &[("today", &today)],
                ),
            )
        },
    );
    mood
}

/// What the pace leaves out of the log, and why, when it leaves out any contact.
fn left_out_line(p: &PacingReport, workbook: &Workbook) -> Option<String> {
    let words = &workbook.screens.status_contact;
    let mut why = Vec::new();
    for (k, sentence) in [
        (p.contacts_before_breakup, &words.left_out_before_breakup),
        (p.contacts_after_now, &words.left_out_after_now),
        (p.contacts_practical, &words.left_out_practical),
    ] {
        if k > 0 {
            why.push(fill(sentence, &[("n", &n(k).to_string())]));
        }
    }
    (!why.is_empty()).then(|| fill(&words.left_out, &[("reasons", &why.join(", "))]))
}

/// The pacing summary as paragraphs: the facts, then any nudge and the draft hint.
pub(crate) fn contact_paragraphs(p: &PacingReport, workbook: &Workbook) -> Vec<(Tone, String)> {
    let words = &workbook.screens.status_contact;
    let mut lines = Vec::new();
    let last = p.days_since_last_contact.map(|d| {
        fill(
            &words.last_contact,
            &[("ago", &workbook.screens.ago.say(d))],
        )
    });
    if let (Some(unanswered), Some(week), Some(mine)) = (
        p.unanswered_in_a_row,
        p.contacts_last_7_days,
        p.started_by_you_last_7_days,
    ) {
        if let Some(last) = last {
            lines.push((
                Tone::Body,
                count(
                    unanswered,
                    &words.unanswered_one,
                    &words.unanswered_many,
                    &[("last", &last)],
                ),
            ));
            lines.push((
                Tone::Body,
                count(
                    week,
                    &words.week_one,
                    &words.week_many,
                    &[("mine", &mine.to_string())],
                ),
            ));
        } else if p.contacts_logged == 0 {
            lines.push((Tone::Body, words.nothing_logged.clone()));
        } else {
            lines.push((
                Tone::Body,
                count(
                    n(p.contacts_logged),
                    &words.none_counts_one,
                    &words.none_counts_many,
                    &[],
                ),
            ));
        }
        if let Some(why) = left_out_line(p, workbook) {
            lines.push((Tone::Dim, why));
        }
        if let Some(left) = p.quiet_days_left {
            lines.push((
                Tone::Dim,
                fill(
                    &words.quiet_time_left,
                    &[("days", &workbook.screens.days.say(left))],
                ),
            ));
        }
    } else {
        lines.push((Tone::Body, words.not_coached.clone()));
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
    let words = &workbook.screens.status_next;
    let which = |s: &StepRef| name(workbook, s, Naming::Short);
    // Each sentence comes with and without the mood check-in offered first.
    let pick = |plain: &String, after_check_in: &String| {
        if n.mood_check_in_first {
            after_check_in.clone()
        } else {
            plain.clone()
        }
    };
    let text = match (n.what, &n.step) {
        (NextWhat::Onboarding, _) => {
            return vec![(Tone::Body, words.onboarding.clone())];
        }
        (NextWhat::Question, Some(s)) => fill(
            &pick(&words.question, &words.question_after_check_in),
            &[
                ("n", &n.question.unwrap_or(1).to_string()),
                ("total", &n.questions.unwrap_or(1).to_string()),
                ("step", &which(s)),
            ],
        ),
        (NextWhat::Readiness, Some(s)) => fill(
            &pick(&words.readiness, &words.readiness_after_check_in),
            &[("step", &which(s))],
        ),
        (NextWhat::ClosedDoor, Some(s)) => fill(
            &pick(&words.closed_door, &words.closed_door_after_check_in),
            &[("step", &which(s))],
        ),
        (NextWhat::QuietTime, Some(s)) => {
            let on = n.opens_on.map(|d| d.to_string()).unwrap_or_default();
            return vec![(
                Tone::Body,
                fill(&words.quiet_time, &[("date", &on), ("step", &which(s))]),
            )];
        }
        (NextWhat::Resting, Some(s)) => {
            return vec![(Tone::Body, fill(&words.resting, &[("step", &which(s))]))];
        }
        _ => pick(&words.done, &words.done_after_check_in),
    };
    let mut lines = vec![(Tone::Body, text)];
    if let Some(prompt) = &n.prompt {
        lines.push((Tone::Point, fill(&words.prompt, &[("prompt", prompt)])));
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

    use chrono::{DateTime, NaiveDate};

    use crate::journal::OutcomeKind;
    use crate::workbook::PathKind;
    use crate::workbook::StepSet;
    use crate::workbook::screens::testing::{MARK, marked};

    use super::super::{
        BreakupReport, Completed, DoorReport, OutcomeReport, PausedReport, ReportPath,
    };

    fn step(set: StepSet, number: u8) -> StepRef {
        StepRef {
            set,
            number,
            id: format!("s{number}"),
            title: format!("Title {number}"),
        }
    }

    /// A report that walks most rows: a paused step, the moving-on steps, an outcome,
    /// the breakup, counted contacts, a mood streak and a question next.
    fn full_report() -> Report {
        let at = DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let steps = |set, done, current: Option<u8>| StepsReport {
            done,
            total: 7,
            current: current.map(|n| step(set, n)),
            completed: (1..=u8::try_from(done).unwrap())
                .map(|number| Completed {
                    number,
                    id: format!("s{number}"),
                    at,
                })
                .collect(),
        };
        Report {
            now: at,
            onboarded: true,
            path: ReportPath::Full,
            path_kind: PathKind::Full,
            paused: Some(PausedReport {
                step: step(StepSet::Workbook, 2),
                at,
                door: Some(DoorReport {
                    said: "{n} not now".into(),
                    look_again: Some(day),
                    resting: true,
                }),
            }),
            steps: steps(StepSet::Workbook, 2, Some(3)),
            moving_on: Some(steps(StepSet::MovingOn, 1, None)),
            outcome: Some(OutcomeReport {
                id: OutcomeKind::StillHoping,
                label: "Still hoping".into(),
                at,
            }),
            breakup: Some(BreakupReport {
                date: day,
                days_since: 12,
            }),
            pacing: PacingReport {
                mode: Mode::Coaching,
                coaching: true,
                contacts_logged: 4,
                contacts_before_breakup: 1,
                contacts_after_now: 1,
                contacts_practical: 1,
                days_since_last_contact: Some(3),
                unanswered_in_a_row: Some(2),
                contacts_last_7_days: Some(1),
                started_by_you_last_7_days: Some(1),
                quiet_days_left: Some(9),
                nudge: None,
            },
            mood: MoodReport {
                last_30_days: vec![Some(6)],
                sparkline: "▅".into(),
                today: Some(6),
                streak_days: 3,
                check_ins_logged: 3,
                check_ins_after_now: 0,
                check_in_due: true,
            },
            next: NextReport {
                what: NextWhat::Question,
                step: Some(step(StepSet::Workbook, 3)),
                question: Some(2),
                questions: Some(5),
                prompt: Some("What do you miss?".into()),
                mood_check_in_first: true,
                opens_on: None,
            },
        }
    }

    /// The texts of the screen that are not a progress bar.
    fn sentences(r: &Report, workbook: &Workbook) -> Vec<String> {
        let bars = [
            Some(bar(&r.steps, workbook)),
            r.moving_on.as_ref().map(|m| bar(m, workbook)),
        ];
        render(r, workbook, 400)
            .into_iter()
            .map(|l| l.text)
            .filter(|t| !t.is_empty() && !bars.contains(&Some(t.clone())))
            .collect()
    }

    #[test]
    fn every_line_and_label_of_the_screen_is_read_from_screens_toml() {
        let sections = [
            "status",
            "status_contact",
            "status_mood",
            "status_next",
            "ago",
        ];
        let workbook = marked(&sections);
        let plain = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut r = full_report();
        let mut seen = Vec::new();
        let mut check = |r: &Report| {
            for line in render(r, &workbook, 400) {
                assert!(
                    line.label.trim().is_empty() || line.label.starts_with(MARK),
                    "{line:?}"
                );
            }
            for text in sentences(r, &workbook) {
                assert!(text.starts_with(MARK), "{text:?} is not from screens.toml");
                seen.push(text);
            }
        };
        check(&r);
        r.next.mood_check_in_first = false;
        r.paused.as_mut().unwrap().door.as_mut().unwrap().resting = false;
        r.pacing.unanswered_in_a_row = Some(1);
        r.pacing.contacts_last_7_days = Some(3);
        r.mood.streak_days = 1;
        check(&r);
        r.next.what = NextWhat::Readiness;
        r.paused.as_mut().unwrap().door = None;
        r.pacing.days_since_last_contact = None;
        r.mood = MoodReport {
            last_30_days: vec![None],
            sparkline: " ".into(),
            today: None,
            streak_days: 0,
            check_ins_logged: 2,
            check_ins_after_now: 2,
            check_in_due: false,
        };
        check(&r);
        r.next.what = NextWhat::ClosedDoor;
        r.pacing.contacts_logged = 1;
        r.pacing.contacts_after_now = 0;
        r.mood.check_ins_after_now = 0;
        r.mood.check_ins_logged = 1;
        check(&r);
        for what in [NextWhat::QuietTime, NextWhat::Resting, NextWhat::Onboarding] {
            r.next.what = what;
            check(&r);
        }
        r.onboarded = false;
        r.pacing.unanswered_in_a_row = None;
        r.mood.check_ins_logged = 0;
        check(&r);
        assert!(seen.len() > 40, "{seen:?}");
        // Behaviour unchanged: the built-in words give the same screen, mark removed.
        let r = full_report();
        let unmarked: Vec<String> = sentences(&r, &workbook)
            .iter()
            .map(|t| t.replace(MARK, ""))
            .collect();
        assert_eq!(unmarked, sentences(&r, &plain));
        assert!(
            sentences(&r, &plain).contains(
                &"step 2 rests since 2026-11-29, after you said “{n} not now” · \
                  paused until 2026-12-05, as you chose"
                    .to_string()
            ),
            "{:?}",
            sentences(&r, &plain)
        );
    }

    #[test]
    fn days_ago_read_naturally() {
        let workbook = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let ago = |d| workbook.screens.ago.say(d);
        assert_eq!(ago(0), "today");
        assert_eq!(ago(1), "yesterday");
        assert_eq!(ago(12), "12 days ago");
        let streak = &workbook.screens.status_mood;
        let days = |n| {
            count(
                n,
                &streak.streak_one,
                &streak.streak_many,
                &[("today", "t")],
            )
        };
        assert_eq!(days(1), "t · 1 day in a row");
        assert_eq!(days(0), "t · 0 days in a row");
    }
}
