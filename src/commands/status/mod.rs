//! `exback status`: one screen with the steps, the breakup, the pace of contact and
//! any nudge, the mood of the last 30 days, and what `exback next` asks next. The
//! text and `--json` are built from the same [`Report`]; docs/json.md describes it.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::cli::StatusArgs;
use crate::journal::{Contact, Mood, OutcomeKind, Progress};
use crate::pacing::{self, Mode, Pace};
use crate::session::{self, Clock, StepStatus};
use crate::ui::{Tone, style};
use crate::workbook::{PathKind, Step, StepSet, Workbook};
use crate::{mood, session::coaches_contact};

use super::{Context, read_all};

mod text;

pub(crate) use text::contact_paragraphs;
use text::render;

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
    pub path: ReportPath,
    /// Which path decides the questions asked: `full`, `no-contact`, `safety` or
    /// `moving-on`.
    #[serde(serialize_with = "path_kind_id")]
    pub path_kind: PathKind,
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

/// The path as the status names it: one name per path, whatever part of it `next`
/// walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ReportPath {
    Full,
    /// No contact coaching, steps 1–2 (and the moving-on steps after them).
    Limited,
    MovingOn,
}

/// What `exback next` asks next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum NextWhat {
    Onboarding,
    Question,
    Readiness,
    QuietTime,
    ClosedDoor,
    Resting,
    Done,
}

/// A path kind by the name the content and `--json` use.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde hands the field by reference
fn path_kind_id<S: serde::Serializer>(kind: &PathKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// A set of steps by its `--json` name: `seven-steps` or `moving-on`.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde hands the field by reference
fn set_id<S: serde::Serializer>(set: &StepSet, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match set {
        StepSet::Workbook => "seven-steps",
        StepSet::MovingOn => "moving-on",
    })
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
    #[serde(serialize_with = "set_id")]
    pub set: StepSet,
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
    pub id: OutcomeKind,
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
    pub mode: Mode,
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
    pub what: NextWhat,
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
        for line in render(&report, &workbook, width) {
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
        mode: pace.mode,
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
                &workbook.screens.days,
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
        set: step.set,
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
            ReportPath::Limited
        } else if moving_on || !coaches_contact(progress) {
            ReportPath::MovingOn
        } else {
            ReportPath::Full
        },
        path_kind: path,
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
                id: o.kind,
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
            what: if resting {
                NextWhat::Resting
            } else {
                NextWhat::ClosedDoor
            },
            step: Some(step_ref(step)),
            prompt: (!resting).then(|| workbook.welcome.closed_door.question.clone()),
            mood_check_in_first: check_in_due && !resting,
            ..NextReport::none()
        };
    }
    // A step that waits for the quiet time after the breakup asks nothing yet.
    if let Some(step) = current.filter(|s| s.quiet_time.is_some())
        && let Some((_, until)) = session::quiet_time_left(workbook, progress, now)
    {
        return NextReport {
            what: NextWhat::QuietTime,
            step: Some(step_ref(step)),
            mood_check_in_first: check_in_due,
            opens_on: Some(until),
            ..NextReport::none()
        };
    }
    if progress.onboarding.is_some() {
        match (current, session::next_prompt(workbook, progress)) {
            (_, Some((step, prompt))) => NextReport {
                what: NextWhat::Question,
                step: Some(step_ref(step)),
                question: step
                    .prompts_on(path)
                    .iter()
                    .position(|p| p.id == prompt.id)
                    .map(|i| i + 1),
                questions: Some(step.prompts_on(path).len()),
                prompt: Some(prompt.text.clone()),
                mood_check_in_first: check_in_due,
                ..NextReport::none()
            },
            (Some(step), None) => NextReport {
                what: NextWhat::Readiness,
                step: Some(step_ref(step)),
                mood_check_in_first: check_in_due,
                ..NextReport::none()
            },
            (None, None) => NextReport {
                what: NextWhat::Done,
                step: None,
                mood_check_in_first: check_in_due,
                ..NextReport::none()
            },
        }
    } else {
        NextReport {
            what: NextWhat::Onboarding,
            step: None,
            mood_check_in_first: false,
            ..NextReport::none()
        }
    }
}

impl NextReport {
    /// A report with nothing asked yet, for the fields a case leaves out.
    fn none() -> Self {
        Self {
            what: NextWhat::Done,
            step: None,
            question: None,
            questions: None,
            prompt: None,
            mood_check_in_first: false,
            opens_on: None,
        }
    }
}
