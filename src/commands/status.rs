//! `exback status`: one screen with the steps, the breakup, the pace of contact and
//! any nudge, the mood of the last 30 days, and what `exback next` asks next. The
//! text and `--json` are built from the same [`Report`]; docs/json.md describes it.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::cli::StatusArgs;
use crate::journal::{Contact, Mood, Progress};
use crate::pacing::{self, Mode, Pace};
use crate::session::{self, Clock, StepStatus};
use crate::ui::{Tone, style};
use crate::workbook::{PathKind, Step, StepSet, Workbook};
use crate::{mood, session::coaches_contact};

use super::{Context, read_all};

/// Days shown by the mood sparkline.
const MOOD_DAYS: usize = 30;

/// Width of the label column of the text screen.
const LABEL: usize = 10;

/// Everything `exback status` shows.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub now: DateTime<FixedOffset>,
    pub onboarded: bool,
    /// `full`, `limited` (no contact coaching, steps 1–2) or `moving-on`.
    pub path: &'static str,
    /// Which path decides the questions asked: `full`, `no-contact`, `safety` or
    /// `moving-on`.
    pub path_kind: &'static str,
    /// The step an answer paused, if any.
    pub paused: Option<PausedReport>,
    pub steps: StepsReport,
    /// The moving-on steps, while that path is active.
    pub moving_on: Option<StepsReport>,
    pub outcome: Option<OutcomeReport>,
    pub breakup: Option<BreakupReport>,
    pub pacing: PacingReport,
    pub mood: MoodReport,
    pub next: NextReport,
}

#[derive(Debug, Serialize)]
pub(crate) struct PausedReport {
    pub step: StepRef,
    pub at: DateTime<FixedOffset>,
    /// Set when a decisive answer closed the door on the step.
    pub door: Option<DoorReport>,
}

/// A step resting behind a closed door.
#[derive(Debug, Serialize)]
pub(crate) struct DoorReport {
    /// The answer that closed it, as given.
    pub said: String,
    /// The day the user chose to look again, if they chose a pause.
    pub look_again: Option<NaiveDate>,
    /// True while that pause holds: `exback next` asks nothing about it before then.
    pub resting: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepsReport {
    pub done: usize,
    pub total: usize,
    /// The step `exback next` works on, when it is in this set.
    pub current: Option<StepRef>,
    pub completed: Vec<Completed>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepRef {
    /// `seven-steps` or `moving-on`.
    pub set: &'static str,
    pub number: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Completed {
    pub number: u8,
    pub id: String,
    #[serde(rename = "completed_at")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OutcomeReport {
    pub id: &'static str,
    pub label: String,
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BreakupReport {
    pub date: NaiveDate,
    pub days_since: i64,
}

#[derive(Debug, Serialize)]
pub(crate) struct PacingReport {
    /// `coaching`, `together`, `no-contact`, `safety` or `moved-on`.
    pub mode: &'static str,
    /// True when the pace rules apply.
    pub coaching: bool,
    pub contacts_logged: usize,
    /// Contacts of the log the pace leaves out, by why: dated before the breakup,
    /// dated after now, or practical.
    pub contacts_before_breakup: usize,
    pub contacts_after_now: usize,
    pub contacts_practical: usize,
    pub days_since_last_contact: Option<i64>,
    /// The three counts are `null` on the paths without contact coaching.
    pub unanswered_in_a_row: Option<u32>,
    pub contacts_last_7_days: Option<u32>,
    pub started_by_you_last_7_days: Option<u32>,
    pub quiet_days_left: Option<i64>,
    pub nudge: Option<NudgeReport>,
}

#[derive(Debug, Serialize)]
pub(crate) struct NudgeReport {
    pub id: &'static str,
    pub text: String,
    /// The line pointing at `exback draft`.
    pub draft_hint: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct MoodReport {
    /// One score per day, oldest first, ending today; `null` for no check-in.
    pub last_30_days: Vec<Option<u8>>,
    pub sparkline: String,
    pub today: Option<u8>,
    pub streak_days: u32,
    /// Every check-in in the log, and those dated after now (left out of the days).
    pub check_ins_logged: usize,
    pub check_ins_after_now: usize,
    /// True when `exback next` would offer the check-in first.
    pub check_in_due: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct NextReport {
    /// `onboarding`, `question`, `readiness`, `quiet-time`, `closed-door`, `resting` or
    /// `done`.
    pub what: &'static str,
    pub step: Option<StepRef>,
    /// 1-based number of the question, and how many the step has.
    pub question: Option<usize>,
    pub questions: Option<usize>,
    pub prompt: Option<String>,
    pub mood_check_in_first: bool,
    /// For `quiet-time`: the first day after the quiet time, when the step opens.
    pub opens_on: Option<NaiveDate>,
}

pub(crate) fn run(ctx: &Context, args: &StatusArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let contacts = read_all(store.contacts()?)?;
    let moods = read_all(store.moods_newest_first()?)?;
    let report = report(&workbook, &progress, &contacts, &moods, clock.now());
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        super::write_json(&mut out, &report)?;
    } else {
        let width = style::stdout_width(80).max(40);
        for line in render(&report, width) {
            writeln!(
                out,
                "{}{}",
                style::paint(Tone::Heading, &line.label),
                style::paint(line.tone, &line.text)
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The pacing facts and nudge as of `now`, as `status` and `contact` show them.
pub(crate) fn pacing_report(
    workbook: &Workbook,
    progress: &Progress,
    contacts: &[Contact],
    now: DateTime<FixedOffset>,
) -> PacingReport {
    let pace = pace(workbook, progress, contacts, now);
    let limited = pace.mode.limited();
    let f = &pace.facts;
    let breakup = progress.onboarding.as_ref().map(|o| o.breakup_date);
    let left_out = |why| {
        contacts
            .iter()
            .filter(|c| pacing::left_out(c, breakup, now) == Some(why))
            .count()
    };
    PacingReport {
        mode: pace.mode.as_str(),
        coaching: pace.mode == Mode::Coaching,
        contacts_logged: contacts.len(),
        contacts_before_breakup: left_out(pacing::LeftOut::BeforeBreakup),
        contacts_after_now: left_out(pacing::LeftOut::AfterNow),
        contacts_practical: left_out(pacing::LeftOut::Practical),
        days_since_last_contact: f.days_since_last_contact,
        unanswered_in_a_row: (!limited).then_some(f.unanswered_in_a_row),
        contacts_last_7_days: (!limited).then_some(f.contacts_last_7_days),
        started_by_you_last_7_days: (!limited).then_some(f.started_last_7_days),
        quiet_days_left: f.quiet_days_left,
        nudge: pace.nudge.map(|n| NudgeReport {
            id: n.id(),
            text: pacing::render(
                n.template(&workbook.pacing.nudges),
                f,
                &workbook.pacing.rules,
            ),
            draft_hint: workbook.pacing.drafts.hint.clone(),
        }),
    }
}

/// The pace as of `now`.
pub(crate) fn pace(
    workbook: &Workbook,
    progress: &Progress,
    contacts: &[Contact],
    now: DateTime<FixedOffset>,
) -> Pace {
    pacing::assess(
        &workbook.pacing.rules,
        Mode::of(progress),
        progress.onboarding.as_ref().map(|o| o.breakup_date),
        contacts,
        now,
    )
}

fn step_ref(step: &Step) -> StepRef {
    StepRef {
        set: match step.set {
            StepSet::Workbook => "seven-steps",
            StepSet::MovingOn => "moving-on",
        },
        number: step.number,
        id: step.id.clone(),
        title: step.title.clone(),
    }
}

fn steps_report(statuses: &[(&Step, StepStatus)], current: Option<&Step>) -> StepsReport {
    let completed: Vec<Completed> = statuses
        .iter()
        .filter_map(|(s, status)| match status {
            StepStatus::Done(at) => Some(Completed {
                number: s.number,
                id: s.id.clone(),
                at: *at,
            }),
            _ => None,
        })
        .collect();
    StepsReport {
        done: completed.len(),
        total: statuses.len(),
        current: current
            .filter(|c| statuses.iter().any(|(s, _)| s.id == c.id))
            .map(step_ref),
        completed,
    }
}

/// Builds the report; pure apart from its arguments.
pub(crate) fn report(
    workbook: &Workbook,
    progress: &Progress,
    contacts: &[Contact],
    moods: &[Mood],
    now: DateTime<FixedOffset>,
) -> Report {
    let moving_on = session::moving_on_active(workbook, progress);
    let current = session::current_step(workbook, progress);
    let path = session::path(progress);
    let onboarded = progress.onboarding.is_some();
    let days = mood::daily(moods, now.date_naive(), MOOD_DAYS);
    let last_check_in = moods.iter().map(|m| m.at).max();
    let check_in_due = onboarded && mood::due(last_check_in, progress.mood_skipped_at, now);

    let next = next_report(workbook, progress, current, path, check_in_due, now);

    Report {
        now,
        onboarded,
        // One name per path, whatever part of it `next` walks: a no-contact or safety
        // path is `limited` before and after its moving-on steps begin.
        path: if progress.limits_contact() {
            "limited"
        } else if moving_on || !coaches_contact(progress) {
            "moving-on"
        } else {
            "full"
        },
        path_kind: path.as_str(),
        paused: session::paused(workbook, progress).map(|(step, at)| PausedReport {
            step: step_ref(step),
            at,
            door: progress
                .step(&step.id)
                .and_then(|p| p.door.as_ref())
                .map(|d| DoorReport {
                    said: d.said.clone(),
                    look_again: d.look_again,
                    resting: session::resting(d, now.date_naive()),
                }),
        }),
        steps: steps_report(&session::statuses(workbook, progress), current),
        moving_on: moving_on
            .then(|| steps_report(&session::moving_on_statuses(workbook, progress), current)),
        outcome: progress.outcome.as_ref().and_then(|o| {
            workbook.outcomes.get(o.kind.id()).map(|t| OutcomeReport {
                id: o.kind.id(),
                label: t.label.clone(),
                at: o.at,
            })
        }),
        breakup: progress.onboarding.as_ref().map(|o| BreakupReport {
            date: o.breakup_date,
            days_since: (now.date_naive() - o.breakup_date).num_days(),
        }),
        pacing: pacing_report(workbook, progress, contacts, now),
        mood: MoodReport {
            sparkline: mood::sparkline(&days),
            today: days.last().copied().flatten(),
            last_30_days: days,
            streak_days: mood::streak(moods, now.date_naive()),
            check_ins_logged: moods.len(),
            check_ins_after_now: moods.iter().filter(|m| m.at > now).count(),
            check_in_due,
        },
        next,
    }
}

/// What `exback next` asks next.
fn next_report(
    workbook: &Workbook,
    progress: &Progress,
    current: Option<&Step>,
    path: PathKind,
    check_in_due: bool,
    now: DateTime<FixedOffset>,
) -> NextReport {
    // A closed door is asked about before anything else, or rests until its day.
    if let Some((step, door)) = session::closed_door(workbook, progress) {
        let resting = session::resting(door, now.date_naive());
        return NextReport {
            what: if resting { "resting" } else { "closed-door" },
            step: Some(step_ref(step)),
            question: None,
            questions: None,
            prompt: (!resting).then(|| workbook.welcome.closed_door.question.clone()),
            mood_check_in_first: check_in_due && !resting,
            opens_on: None,
        };
    }
    // A step that waits for the quiet time after the breakup asks nothing yet.
    if let Some(step) = current.filter(|s| s.quiet_time.is_some())
        && let Some((_, until)) = session::quiet_time_left(workbook, progress, now)
    {
        return NextReport {
            what: "quiet-time",
            step: Some(step_ref(step)),
            question: None,
            questions: None,
            prompt: None,
            mood_check_in_first: check_in_due,
            opens_on: Some(until),
        };
    }
    if progress.onboarding.is_some() {
        match (current, session::next_prompt(workbook, progress)) {
            (_, Some((step, prompt))) => NextReport {
                what: "question",
                step: Some(step_ref(step)),
                question: step
                    .prompts_on(path)
                    .iter()
                    .position(|p| p.id == prompt.id)
                    .map(|i| i + 1),
                questions: Some(step.prompts_on(path).len()),
                prompt: Some(prompt.text.clone()),
                mood_check_in_first: check_in_due,
                opens_on: None,
            },
            (Some(step), None) => NextReport {
                what: "readiness",
                step: Some(step_ref(step)),
                question: None,
                questions: None,
                prompt: None,
                mood_check_in_first: check_in_due,
                opens_on: None,
            },
            (None, None) => NextReport {
                what: "done",
                step: None,
                question: None,
                questions: None,
                prompt: None,
                mood_check_in_first: check_in_due,
                opens_on: None,
            },
        }
    } else {
        NextReport {
            what: "onboarding",
            step: None,
            question: None,
            questions: None,
            prompt: None,
            mood_check_in_first: false,
            opens_on: None,
        }
    }
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
pub(crate) fn render(r: &Report, width: usize) -> Vec<Line> {
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

    row(&mut out, "Steps", &steps_paragraphs(r), width);

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

    row(&mut out, "Contact", &contact_paragraphs(&r.pacing), width);

    row(&mut out, "Mood", &mood_paragraphs(&r.mood), width);

    row(&mut out, "Next", &next_paragraphs(&r.next), width);
    out
}

/// The Steps row: the bar, the dates, where the user is, and any pause.
fn steps_paragraphs(r: &Report) -> Vec<(Tone, String)> {
    let mut steps = vec![(Tone::Body, bar(&r.steps))];
    if let Some(dates) = done_dates(&r.steps) {
        steps.push((Tone::Dim, dates));
    }
    match (&r.steps.current, r.path) {
        _ if !r.onboarded => steps.push((Tone::Body, "not started yet".into())),
        (Some(c), _) => steps.push((Tone::Body, format!("now: step {}, {}", c.number, c.title))),
        (None, _)
            if r.moving_on.is_some() && r.outcome.as_ref().is_some_and(|o| o.id == "moved-on") =>
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
        let which = match p.step.set {
            "moving-on" => format!("moving-on step {}", p.step.number),
            _ => format!("step {}", p.step.number),
        };
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
    if r.onboarded && r.pacing.mode != "coaching" && r.pacing.mode != "together" {
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
pub(crate) fn contact_paragraphs(p: &PacingReport) -> Vec<(Tone, String)> {
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
                    pacing::days(left)
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

fn next_paragraphs(n: &NextReport) -> Vec<(Tone, String)> {
    let which = |s: &StepRef| match s.set {
        "moving-on" => format!("moving-on step {}", s.number),
        _ => format!("step {}", s.number),
    };
    let what = match (n.what, &n.step) {
        ("onboarding", _) => {
            return vec![(
                Tone::Body,
                "`exback next` starts with five short questions about the breakup".into(),
            )];
        }
        ("question", Some(s)) => format!(
            "asks question {} of {} of {}:",
            n.question.unwrap_or(1),
            n.questions.unwrap_or(1),
            which(s)
        ),
        ("readiness", Some(s)) => format!("asks the readiness check of {}", which(s)),
        ("closed-door", Some(s)) => {
            format!("asks where you'd like to go from here, after {}:", which(s))
        }
        ("quiet-time", Some(s)) => {
            let on = n.opens_on.map(|d| d.to_string()).unwrap_or_default();
            return vec![(
                Tone::Body,
                format!(
                    "{} waits for the quiet time after the breakup; it opens by itself on {on}. Until then: steps 1 and 2, `exback urge`, `exback draft`",
                    which(s)
                ),
            )];
        }
        ("resting", Some(s)) => {
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
