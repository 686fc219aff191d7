//! The flow engine: what `exback next` asks, in what order, and what it saves; the
//! mood check-in at its start; the moving-on path; and `exback outcome`.
//!
//! Pure: it never touches the terminal or the file system, and "now" comes from a
//! [`Clock`]. It is handed the workbook, the progress, a [`Clock`], a [`Prompter`] and
//! a [`Recorder`], so tests drive it with a fixed clock, scripted answers and an
//! in-memory store.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

use crate::journal::{Change, NewEntry, Progress, StoreError};
use crate::mood;
use crate::ui::{PromptError, Prompter, Question, Tone};
use crate::workbook::{
    LIMITED_STEPS, Naming, NoSuchStep, PathKind, Prompt, Step, StepSet, Workbook, fill, step_name,
};

/// Where "now" comes from.
pub(crate) trait Clock {
    fn now(&self) -> DateTime<FixedOffset>;

    /// A wall-clock time as the user means it, in their local offset.
    fn local(&self, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        self.now().offset().from_local_datetime(&naive).single()
    }
}

/// Where answers, check-ins and progress go. The store implements it; tests keep
/// them in memory.
///
/// Every entry is saved through [`Recorder::record_with`], with the progress changes it
/// makes: there is no way to save an answer and its mark as two separate writes.
pub(crate) trait Recorder {
    /// Applies changes to the saved progress and returns the result.
    fn change(&mut self, changes: &[Change]) -> Result<Progress, StoreError>;
    /// Saves one entry together with the progress changes it makes (none for an
    /// answer that marks nothing, such as a revisit), as one transaction that is
    /// durable when this returns: after a crash at any moment, both are saved or
    /// neither is, so an answer is never saved without its mark (and asked, and
    /// stored, twice). Returns the progress after.
    fn record_with(&mut self, entry: NewEntry, changes: &[Change]) -> Result<Progress, StoreError>;
    /// Saves one mood check-in; returns once it is durable.
    fn record_mood(
        &mut self,
        at: DateTime<FixedOffset>,
        score: u8,
        note: Option<String>,
    ) -> Result<(), StoreError>;
}

/// Why the flow stopped early.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FlowError {
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    NoSuchStep(#[from] NoSuchStep),
    /// `--step N` for a step that opens later, in the content's words.
    #[error("{0}")]
    NotOpenYet(String),
    /// The content's answer to who ended it has an id exback does not know.
    #[error(
        "the workbook's answer {0:?} to who ended it is not one exback knows (me, them, both, complicated)"
    )]
    UnknownEndedBy(String),
    /// The content has no words for an outcome.
    #[error("the workbook has no words for the outcome {0}")]
    UnknownOutcome(&'static str),
}

/// What `exback next` was asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// Ask the onboarding questions again.
    pub onboarding: bool,
    /// Work on (or revisit) this step.
    pub step: Option<u8>,
    /// Whether to offer the mood check-in.
    pub mood: MoodCheck,
}

/// The mood check-in at the start of `exback next`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) enum MoodCheck {
    /// Not offered.
    #[default]
    Off,
    /// Offered if nothing was checked in or skipped today, and only once onboarding
    /// was done before this run. `last` is the newest saved check-in.
    Offer { last: Option<DateTime<FixedOffset>> },
}

/// How a run of the flow ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The user stopped for now (Esc or end of input); answers so far are saved.
    Paused,
    /// The readiness check of this step did not pass yet.
    NotReady(u8),
    /// This step was completed and the user chose not to go on now.
    StepDone(u8),
    /// A completed step was walked again.
    Revisited(u8),
    /// Onboarding was changed and the user chose not to go on now.
    Onboarded,
    /// The step asked for is not offered on this path.
    NotOffered(u8),
    /// Every step of the full path is done.
    AllDone,
    /// Every step of the moving-on path is done.
    MovingOnDone,
    /// An answer paused this step; `exback next` asks that question again.
    StepPaused(u8),
    /// An answer ended this step for now; `exback next` goes on from there.
    StepClosed(u8),
    /// An answer switched the path.
    Switched(PathKind),
    /// The step waits for the quiet time after the breakup to pass.
    QuietTime(u8),
}

/// A step's place in the user's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepStatus {
    Done(DateTime<FixedOffset>),
    Current,
    Ahead,
    NotOffered,
}

impl StepStatus {
    /// The status as JSON names it: `done`, `current`, `ahead`, `not_offered`.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Self::Done(_) => "done",
            Self::Current => "current",
            Self::Ahead => "ahead",
            Self::NotOffered => "not_offered",
        }
    }

    /// The status as lists show it, in the content's words, with the date a step was
    /// done: `done 2026-11-29`, `current`, `ahead`, `not offered`.
    pub(crate) fn label(self, workbook: &Workbook) -> String {
        let w = &workbook.welcome.words;
        match self {
            Self::Done(at) => fill(
                &w.status_done,
                &[("date", &at.format("%Y-%m-%d").to_string())],
            ),
            Self::Current => w.status_current.clone(),
            Self::Ahead => w.status_ahead.clone(),
            Self::NotOffered => w.status_not_offered.clone(),
        }
    }
}

/// True unless onboarding asked for no contact coaching, or the outcome is "moved on".
pub(crate) fn coaches_contact(progress: &Progress) -> bool {
    !progress.limits_contact() && !progress.moved_on()
}

/// True when the step is part of the user's path. On the paths without contact
/// coaching, steps 1 and 2 stay open; the moving-on steps are always open.
pub(crate) fn offered(progress: &Progress, step: &Step) -> bool {
    step.set == StepSet::MovingOn || coaches_contact(progress) || step.number <= LIMITED_STEPS
}

/// True when `exback next` walks the moving-on steps: after steps 1 and 2 on the
/// limited path, or as soon as the outcome is "moved on".
pub(crate) fn moving_on_active(workbook: &Workbook, progress: &Progress) -> bool {
    progress.moved_on()
        || (progress.limits_contact()
            && workbook
                .steps
                .iter()
                .filter(|s| s.number <= LIMITED_STEPS)
                .all(|s| progress.completed_at(&s.id).is_some()))
}

/// The step `exback next` works on: the first offered step not yet done, on the
/// moving-on path when it is active.
pub(crate) fn current_step<'w>(workbook: &'w Workbook, progress: &Progress) -> Option<&'w Step> {
    if moving_on_active(workbook, progress) {
        workbook
            .moving_on
            .steps
            .iter()
            .find(|s| progress.completed_at(&s.id).is_none())
    } else {
        workbook
            .steps
            .iter()
            .find(|s| offered(progress, s) && progress.completed_at(&s.id).is_none())
    }
}

fn statuses_of<'w>(
    steps: &'w [Step],
    workbook: &Workbook,
    progress: &Progress,
) -> Vec<(&'w Step, StepStatus)> {
    let current = current_step(workbook, progress).map(|s| s.id.as_str());
    steps
        .iter()
        .map(|s| {
            let status = match progress.completed_at(&s.id) {
                Some(at) => StepStatus::Done(at),
                None if !offered(progress, s) => StepStatus::NotOffered,
                None if Some(s.id.as_str()) == current => StepStatus::Current,
                None => StepStatus::Ahead,
            };
            (s, status)
        })
        .collect()
}

/// Every one of the seven steps with its status, in order.
pub(crate) fn statuses<'w>(
    workbook: &'w Workbook,
    progress: &Progress,
) -> Vec<(&'w Step, StepStatus)> {
    statuses_of(&workbook.steps, workbook, progress)
}

/// Every moving-on step with its status, in order.
pub(crate) fn moving_on_statuses<'w>(
    workbook: &'w Workbook,
    progress: &Progress,
) -> Vec<(&'w Step, StepStatus)> {
    statuses_of(&workbook.moving_on.steps, workbook, progress)
}

fn bar(steps: &[Step], progress: &Progress, workbook: &Workbook) -> String {
    crate::ui::bar::steps(
        steps.iter().map(|s| progress.completed_at(&s.id).is_some()),
        &workbook.screens,
    )
}

/// A progress bar over the seven steps, e.g. `■■□□□□□ 2 of 7 done`.
pub(crate) fn progress_line(workbook: &Workbook, progress: &Progress) -> String {
    bar(&workbook.steps, progress, workbook)
}

/// A progress bar over the moving-on steps, e.g. `■□□ 1 of 3 done`.
pub(crate) fn moving_on_line(workbook: &Workbook, progress: &Progress) -> String {
    bar(&workbook.moving_on.steps, progress, workbook)
}

/// The next prompt `exback next` would ask, if any: (step, prompt).
pub(crate) fn next_prompt<'w>(
    workbook: &'w Workbook,
    progress: &Progress,
) -> Option<(&'w Step, &'w Prompt)> {
    let step = current_step(workbook, progress)?;
    let answered = progress
        .step(&step.id)
        .map(|s| s.answered.as_slice())
        .unwrap_or_default();
    step.prompts_on(path(progress))
        .into_iter()
        .find(|p| !answered.contains(&p.id))
        .map(|p| (step, p))
}

/// The path the user is on, which decides the prompts and checks asked: a safety
/// concern outranks everything else.
pub(crate) fn path(progress: &Progress) -> PathKind {
    match progress.safety() {
        (_, true) => PathKind::Safety,
        (true, _) => PathKind::NoContact,
        _ if progress.moved_on() => PathKind::MovingOn,
        _ => PathKind::Full,
    }
}

/// While the quiet time after the breakup runs (`pacing.toml`'s `quiet_days`), on a
/// path with contact coaching: the days left, and the first day after it.
pub(crate) fn quiet_time_left(
    workbook: &Workbook,
    progress: &Progress,
    now: DateTime<FixedOffset>,
) -> Option<(i64, chrono::NaiveDate)> {
    if !coaches_contact(progress) {
        return None;
    }
    let breakup = progress.onboarding.as_ref()?.breakup_date;
    let quiet = workbook.pacing.rules.quiet_days;
    let until = breakup.checked_add_days(chrono::Days::new(u64::from(quiet)))?;
    let left = (until - now.date_naive()).num_days();
    (left > 0).then_some((left, until))
}

/// The step an answer paused, if any: `(step, when)`.
pub(crate) fn paused<'w>(
    workbook: &'w Workbook,
    progress: &Progress,
) -> Option<(&'w Step, DateTime<FixedOffset>)> {
    workbook
        .steps
        .iter()
        .chain(&workbook.moving_on.steps)
        .find_map(|s| Some((s, progress.step(&s.id)?.paused_at?)))
}

enum Walked {
    Completed,
    NotReady,
    /// A reaction paused the step.
    Paused,
    /// A reaction ended the step for this run.
    Ended,
    /// A reaction switched the path.
    Switched(PathKind),
    /// A decisive answer's offer was declined: the step rests behind a closed door.
    Closed,
    /// The step waits for the quiet time after the breakup.
    Waiting,
}

impl Walked {
    /// How a run that walked step `n` ends, or `None` when a completed step lets the
    /// run go on.
    fn ended(self, n: u8) -> Option<Ended> {
        match self {
            Self::Completed => None,
            Self::NotReady => Some(Ended::NotReady(n)),
            Self::Paused | Self::Closed => Some(Ended::StepPaused(n)),
            Self::Waiting => Some(Ended::QuietTime(n)),
            Self::Ended => Some(Ended::StepClosed(n)),
            Self::Switched(path) => Some(Ended::Switched(path)),
        }
    }
}

/// What `--step N` leads to, decided before anything is asked.
enum Jump<'w> {
    /// The step is not on the user's path.
    NotOffered,
    /// The step is done: walk it again, adding answers.
    Revisit(&'w Step),
    /// The step is open but the flow is elsewhere (on the moving-on path): walk it once.
    Walk(&'w Step),
    /// The step is the current one: carry on as usual.
    Continue,
}

/// One run of the guided flow.
pub(crate) struct Flow<'a, P: Prompter + ?Sized, R: Recorder, C: Clock> {
    workbook: &'a Workbook,
    progress: Progress,
    prompter: &'a mut P,
    recorder: &'a mut R,
    clock: &'a C,
    /// The way onto the moving-on path was shown in this run.
    moving_on_introduced: bool,
    /// The support block was shown in this run (it is shown at most once).
    support_shown: bool,
}

impl<'a, P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'a, P, R, C> {
    pub(crate) fn new(
        workbook: &'a Workbook,
        progress: Progress,
        prompter: &'a mut P,
        recorder: &'a mut R,
        clock: &'a C,
    ) -> Self {
        Self {
            workbook,
            progress,
            prompter,
            recorder,
            clock,
            moving_on_introduced: false,
            support_shown: false,
        }
    }

    /// The progress as it stands after the run.
    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    fn change(&mut self, changes: &[Change]) -> Result<(), FlowError> {
        self.progress = self.recorder.change(changes)?;
        Ok(())
    }

    fn show(&mut self, tone: Tone, text: &str) {
        self.prompter.show(tone, text);
    }

    /// Runs `exback next`.
    pub(crate) fn run(&mut self, options: Options) -> Result<Ended, FlowError> {
        if let Some(n) = options.step {
            self.workbook.numbered(n)?;
        }
        if self.progress.welcome_seen_at.is_none() {
            let w = &self.workbook.welcome;
            self.show(Tone::Heading, &w.words.welcome_heading);
            self.show(Tone::Body, &w.welcome);
            self.show(Tone::Body, &w.no_promise);
            self.change(&[Change::WelcomeSeen(self.clock.now())])?;
        }
        let had_onboarding = self.progress.onboarding.is_some();
        if !had_onboarding || options.onboarding {
            self.onboard()?;
            if had_onboarding && !self.confirm_continue()? {
                return Ok(Ended::Onboarded);
            }
        }
        let jump = match options.step {
            Some(n) => Some((n, self.plan_jump(n)?)),
            None => None,
        };
        if let Some((n, Jump::NotOffered)) = jump {
            self.not_offered_notice();
            return Ok(Ended::NotOffered(n));
        }
        // Never on the first run: onboarding is the first thing exback asks.
        if let MoodCheck::Offer { last } = options.mood
            && had_onboarding
            && self.check_in(last)?
        {
            return Ok(Ended::Paused);
        }
        match jump {
            Some((n, Jump::Revisit(step))) => {
                return Ok(self.revisit(step)?.ended(n).unwrap_or(Ended::Revisited(n)));
            }
            Some((n, Jump::Walk(step))) => {
                return Ok(self.walk(step)?.ended(n).unwrap_or(Ended::StepDone(n)));
            }
            Some((_, Jump::Continue | Jump::NotOffered)) | None => {}
        }
        // A closed door is asked about before any step is taken up again.
        if let Some(ended) = self.at_closed_door(jump.is_some())? {
            return Ok(ended);
        }
        self.walk_on()
    }

    /// Walks the current step, and the next ones while the user wants to go on.
    fn walk_on(&mut self) -> Result<Ended, FlowError> {
        loop {
            let Some(step) = current_step(self.workbook, &self.progress) else {
                return Ok(self.finished());
            };
            match self.walk(step)? {
                // A new path: its first step is offered, and "not now" ends the run.
                Walked::Switched(path) => {
                    if self.begin_now()? {
                        continue;
                    }
                    return Ok(Ended::Switched(path));
                }
                walked => {
                    if let Some(ended) = walked.ended(step.number) {
                        return Ok(ended);
                    }
                }
            }
            if let Some(next) = current_step(self.workbook, &self.progress)
                && next.set == StepSet::MovingOn
            {
                self.moving_on_intro();
            }
            // A step that waits for the quiet time says so at once, without asking
            // whether to go on into it.
            if let Some(next) = current_step(self.workbook, &self.progress)
                && self.quiet_time(next)
            {
                return Ok(Ended::QuietTime(next.number));
            }
            if current_step(self.workbook, &self.progress).is_some() && !self.confirm_continue()? {
                return Ok(Ended::StepDone(step.number));
            }
        }
    }

    /// Offers the day's mood check-in, unless it was given or skipped today; true when
    /// a very low score led the user to stop for today.
    fn check_in(&mut self, last: Option<DateTime<FixedOffset>>) -> Result<bool, FlowError> {
        let now = self.clock.now();
        if !mood::due(last, self.progress.mood_skipped_at, now) {
            return Ok(false);
        }
        let m = &self.workbook.welcome.mood;
        let picked =
            self.prompter
                .optional_scale(&Question::new(&m.question), &m.low, &m.high, &m.skip)?;
        let Some(score) = picked else {
            self.change(&[Change::MoodSkipped(now)])?;
            self.show(Tone::Dim, &self.workbook.welcome.words.mood_skipped);
            return Ok(false);
        };
        // The score is kept even if the user stops at the note.
        let note = self
            .prompter
            .text(&Question::with_help(&m.note, Some(&m.note_help)));
        let (text, stopped) = match note {
            Ok(t) => (Some(t.trim().to_string()).filter(|t| !t.is_empty()), None),
            Err(e) => (None, Some(e)),
        };
        self.recorder.record_mood(now, score, text)?;
        if let Some(e) = stopped {
            return Err(e.into());
        }
        self.show(Tone::Good, &m.saved);
        if m.support_range
            .is_some_and(|[low, high]| (low..=high).contains(&score))
        {
            self.support();
            return self.offer_stop();
        }
        Ok(false)
    }

    fn confirm_continue(&mut self) -> Result<bool, FlowError> {
        let Some(next) = current_step(self.workbook, &self.progress) else {
            return Ok(true);
        };
        let question = fill(
            &self.workbook.welcome.words.continue_with,
            &[("step", &step_name(self.workbook, next, Naming::Sentence))],
        );
        match self.prompter.confirm(&Question::new(&question)) {
            Ok(yes) => Ok(yes),
            Err(PromptError::Stopped) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Decides what `--step N` leads to, without asking anything yet.
    fn plan_jump(&self, n: u8) -> Result<Jump<'a>, FlowError> {
        let workbook = self.workbook;
        let step = workbook.numbered(n)?;
        if !offered(&self.progress, step) {
            return Ok(Jump::NotOffered);
        }
        if self.progress.completed_at(&step.id).is_some() {
            return Ok(Jump::Revisit(step));
        }
        match current_step(workbook, &self.progress) {
            Some(current) if current.id == step.id => Ok(Jump::Continue),
            Some(current) if current.set == StepSet::MovingOn => Ok(Jump::Walk(step)),
            Some(current) => Err(FlowError::NotOpenYet(fill(
                &workbook.welcome.words.not_open_yet,
                &[
                    ("asked", &n.to_string()),
                    ("current", &step_name(workbook, current, Naming::Sentence)),
                ],
            ))),
            None => Ok(Jump::Continue),
        }
    }

    /// Why a step about contact is not offered.
    fn not_offered_notice(&mut self) {
        if self.progress.limits_contact() {
            self.limited_path_notice();
        } else {
            let w = self.workbook;
            self.show(Tone::Heading, &w.moving_on.title);
            self.show(Tone::Body, &w.outcomes.contact_closed);
        }
    }

    fn finished(&mut self) -> Ended {
        let w = &self.workbook.welcome;
        if moving_on_active(self.workbook, &self.progress) {
            self.show(Tone::Good, &self.workbook.moving_on.closing);
            self.support();
            Ended::MovingOnDone
        } else {
            self.show(Tone::Good, &w.closing);
            self.show(Tone::Body, &w.no_promise);
            Ended::AllDone
        }
    }

    fn heading(&mut self, step: &Step, revisiting: bool) {
        let w = self.workbook;
        let (title, line) = match step.set {
            StepSet::Workbook => (
                fill(
                    &w.welcome.words.step_heading,
                    &[
                        ("n", &step.number.to_string()),
                        ("total", &w.steps.len().to_string()),
                        ("title", &step.title),
                    ],
                ),
                progress_line(w, &self.progress),
            ),
            StepSet::MovingOn => (
                fill(
                    &w.welcome.words.moving_on_heading,
                    &[
                        ("path", &w.moving_on.title),
                        ("n", &step.number.to_string()),
                        ("total", &w.moving_on.steps.len().to_string()),
                        ("title", &step.title),
                    ],
                ),
                moving_on_line(w, &self.progress),
            ),
        };
        let title = if revisiting {
            fill(&w.welcome.words.revisiting, &[("title", &title)])
        } else {
            title
        };
        self.show(Tone::Heading, &title);
        self.show(Tone::Dim, &line);
    }

    /// True once any moving-on step was begun.
    fn moving_on_begun(&self) -> bool {
        self.workbook.moving_on.steps.iter().any(|s| {
            self.progress
                .step(&s.id)
                .is_some_and(|p| p.intro_seen_at.is_some() || p.completed_at.is_some())
        })
    }

    /// The words that lead from the seven steps onto the moving-on path, shown once:
    /// before the first moving-on step is begun, and once per run.
    fn moving_on_intro(&mut self) {
        if self.moving_on_introduced || self.moving_on_begun() {
            return;
        }
        self.moving_on_introduced = true;
        let w = self.workbook;
        let limited_done = w
            .steps
            .iter()
            .filter(|s| s.number <= LIMITED_STEPS)
            .all(|s| self.progress.completed_at(&s.id).is_some());
        if self.progress.limits_contact() && limited_done {
            self.show(Tone::Good, &w.welcome.limited_path.done);
        } else {
            self.show(Tone::Heading, &w.moving_on.title);
            self.show(Tone::Body, &w.moving_on.intro);
        }
    }

    fn question_number(&mut self, n: usize, total: usize) {
        let line = fill(
            &self.workbook.welcome.words.question_of,
            &[("n", &n.to_string()), ("total", &total.to_string())],
        );
        self.show(Tone::Dim, &line);
    }

    /// Says why `step` waits for the quiet time after the breakup, if it does: true
    /// when it waits.
    fn quiet_time(&mut self, step: &Step) -> bool {
        let Some((text, (left, until))) = step.quiet_time.as_deref().zip(quiet_time_left(
            self.workbook,
            &self.progress,
            self.clock.now(),
        )) else {
            return false;
        };
        self.heading(step, false);
        let text = fill(
            text,
            &[
                ("days_left", &self.workbook.screens.days.say(left)),
                ("date", &until.format("%Y-%m-%d").to_string()),
                (
                    "quiet_days",
                    &self
                        .workbook
                        .screens
                        .days
                        .say(i64::from(self.workbook.pacing.rules.quiet_days)),
                ),
            ],
        );
        self.show(Tone::Body, &text);
        true
    }

    /// Walks the current step from its first unanswered prompt through its readiness check.
    fn walk(&mut self, step: &Step) -> Result<Walked, FlowError> {
        if self.quiet_time(step) {
            return Ok(Walked::Waiting);
        }
        if step.set == StepSet::MovingOn {
            self.moving_on_intro();
        }
        self.heading(step, false);
        if self
            .progress
            .step(&step.id)
            .is_some_and(|s| s.paused_at.is_some())
        {
            self.change(&[Change::Resumed {
                step_id: step.id.clone(),
            }])?;
        }
        let prompts = step.prompts_on(path(&self.progress));
        let total = prompts.len();
        let answered_before = prompts.iter().filter(|p| self.answered(step, p)).count();
        if answered_before > 0 && answered_before < total {
            let note = fill(
                &self.workbook.welcome.words.picking_up,
                &[
                    ("answered", &answered_before.to_string()),
                    ("total", &total.to_string()),
                ],
            );
            self.show(Tone::Dim, &note);
        }
        for (i, prompt) in prompts.into_iter().enumerate() {
            if self.answered(step, prompt) {
                continue;
            }
            // A question that must come before the step's advice (whether they asked
            // for space) is asked before the intro is shown.
            if !prompt.before_intro {
                self.intro(step)?;
            }
            self.question_number(i + 1, total);
            let answered = [Change::Answered {
                step_id: step.id.clone(),
                prompt_id: prompt.id.clone(),
            }];
            let reacted = self.ask(step, prompt, &answered)?;
            // A paused question is asked again next time; any other answer counts.
            if matches!(reacted, Walked::Paused) {
                self.change(&[Change::Unanswered {
                    step_id: step.id.clone(),
                    prompt_id: prompt.id.clone(),
                }])?;
            }
            if !matches!(reacted, Walked::Completed) {
                return Ok(reacted);
            }
        }
        self.intro(step)?;
        self.readiness(step)
    }

    /// Shows the step's why and guidance, once.
    fn intro(&mut self, step: &Step) -> Result<(), FlowError> {
        let seen = self
            .progress
            .step(&step.id)
            .and_then(|s| s.intro_seen_at)
            .is_some();
        if !seen {
            let (why, guidance) = step.words_on(path(&self.progress));
            self.show(Tone::Body, why);
            for point in guidance {
                self.show(Tone::Point, point);
            }
            self.change(&[Change::IntroSeen {
                step_id: step.id.clone(),
                at: self.clock.now(),
            }])?;
        }
        Ok(())
    }

    fn answered(&self, step: &Step, prompt: &Prompt) -> bool {
        self.progress
            .step(&step.id)
            .is_some_and(|s| s.answered.contains(&prompt.id))
    }
}

mod answer;
mod door;
mod onboarding;
mod outcome;
mod react;
mod readiness;

use answer::Given;

pub(crate) use door::{closed_door, resting};

pub(crate) use react::{support_lines, support_lines_for};

#[cfg(test)]
mod tests;
