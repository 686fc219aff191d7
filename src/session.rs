//! The flow engine: what `exback next` asks, in what order, and what it saves.
//!
//! Pure: it never touches the terminal, the file system or the system clock. It is
//! handed the workbook, the progress, a [`Clock`], a [`Prompter`] and a [`Recorder`],
//! so tests drive it with a fixed clock, scripted answers and an in-memory store.

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use crate::dates;
use crate::journal::entry::kind;
use crate::journal::{Change, EndedBy, NewEntry, Onboarding, Progress, StoreError};
use crate::ui::{PromptError, Prompter, Question, Tone};
use crate::workbook::{LIMITED_STEPS, Prompt, PromptKind, STEP_COUNT, Step, Workbook};

/// Where "now" comes from.
pub trait Clock {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The real clock, in the user's local offset.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Local::now().fixed_offset()
    }
}

/// Where answers and progress go. The store implements it; tests keep them in memory.
pub trait Recorder {
    /// Saves one entry; returns once it is durable.
    fn record(&mut self, entry: NewEntry) -> Result<(), StoreError>;
    /// Applies changes to the saved progress and returns the result.
    fn change(&mut self, changes: &[Change]) -> Result<Progress, StoreError>;
}

impl Recorder for crate::journal::Store {
    fn record(&mut self, entry: NewEntry) -> Result<(), StoreError> {
        self.append(entry).map(|_| ())
    }

    fn change(&mut self, changes: &[Change]) -> Result<Progress, StoreError> {
        self.update_progress(changes)
    }
}

/// Why the flow stopped early.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The request cannot be honoured (e.g. a step that is not open yet).
    #[error("{0}")]
    Refused(String),
}

/// What `exback next` was asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Ask the onboarding questions again.
    pub onboarding: bool,
    /// Work on (or revisit) this step.
    pub step: Option<u8>,
}

/// How a run of the flow ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
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
    /// Every step of the limited path is done.
    LimitedDone,
}

/// A step's place in the user's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Done(DateTime<FixedOffset>),
    Current,
    Ahead,
    NotOffered,
}

/// True when the step is part of the user's path.
pub fn offered(progress: &Progress, step: &Step) -> bool {
    !progress.limits_contact() || step.number <= LIMITED_STEPS
}

/// The step `exback next` works on: the first offered step not yet done.
pub fn current_step<'w>(workbook: &'w Workbook, progress: &Progress) -> Option<&'w Step> {
    workbook
        .steps
        .iter()
        .find(|s| offered(progress, s) && progress.completed_at(&s.id).is_none())
}

/// Every step with its status, in order.
pub fn statuses<'w>(workbook: &'w Workbook, progress: &Progress) -> Vec<(&'w Step, StepStatus)> {
    let current = current_step(workbook, progress).map(|s| s.number);
    workbook
        .steps
        .iter()
        .map(|s| {
            let status = match progress.completed_at(&s.id) {
                Some(at) => StepStatus::Done(at),
                None if !offered(progress, s) => StepStatus::NotOffered,
                None if Some(s.number) == current => StepStatus::Current,
                None => StepStatus::Ahead,
            };
            (s, status)
        })
        .collect()
}

/// A progress bar over the seven steps, e.g. `■■□□□□□ 2 of 7 done`.
pub fn progress_line(workbook: &Workbook, progress: &Progress) -> String {
    let done = workbook
        .steps
        .iter()
        .filter(|s| progress.completed_at(&s.id).is_some())
        .count();
    let bar: String = workbook
        .steps
        .iter()
        .map(|s| {
            if progress.completed_at(&s.id).is_some() {
                '■'
            } else {
                '□'
            }
        })
        .collect();
    format!("{bar} {done} of {STEP_COUNT} done")
}

/// The next prompt `exback next` would ask, if any: (step, prompt).
pub fn next_prompt<'w>(
    workbook: &'w Workbook,
    progress: &Progress,
) -> Option<(&'w Step, &'w Prompt)> {
    let step = current_step(workbook, progress)?;
    let answered = progress
        .step(&step.id)
        .map(|s| s.answered.as_slice())
        .unwrap_or_default();
    step.prompts
        .iter()
        .find(|p| !answered.contains(&p.id))
        .map(|p| (step, p))
}

enum Walked {
    Completed,
    NotReady,
}

/// One run of the guided flow.
pub struct Flow<'a, P: Prompter + ?Sized, R: Recorder, C: Clock> {
    workbook: &'a Workbook,
    progress: Progress,
    prompter: &'a mut P,
    recorder: &'a mut R,
    clock: &'a C,
}

impl<'a, P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'a, P, R, C> {
    pub fn new(
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
        }
    }

    /// The progress as it stands after the run.
    pub fn progress(&self) -> &Progress {
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
    pub fn run(&mut self, options: Options) -> Result<Ended, FlowError> {
        if let Some(n) = options.step {
            self.workbook.numbered(n).map_err(FlowError::Refused)?;
        }
        if self.progress.welcome_seen_at.is_none() {
            let w = &self.workbook.welcome;
            self.show(Tone::Heading, "exback");
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
        if let Some(n) = options.step
            && let Some(ended) = self.jump_to(n)?
        {
            return Ok(ended);
        }
        loop {
            let Some(step) = current_step(self.workbook, &self.progress) else {
                return Ok(self.finished());
            };
            match self.walk(step)? {
                Walked::NotReady => return Ok(Ended::NotReady(step.number)),
                Walked::Completed => {
                    if current_step(self.workbook, &self.progress).is_some()
                        && !self.confirm_continue()?
                    {
                        return Ok(Ended::StepDone(step.number));
                    }
                }
            }
        }
    }

    fn confirm_continue(&mut self) -> Result<bool, FlowError> {
        let Some(next) = current_step(self.workbook, &self.progress) else {
            return Ok(true);
        };
        let question = format!("Continue with step {}, {}, now?", next.number, next.title);
        match self.prompter.confirm(&Question::new(&question)) {
            Ok(yes) => Ok(yes),
            Err(PromptError::Stopped) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Handles `--step N`: revisits a done step; returns `None` to carry on normally.
    fn jump_to(&mut self, n: u8) -> Result<Option<Ended>, FlowError> {
        let workbook = self.workbook;
        let step = workbook.numbered(n).map_err(FlowError::Refused)?;
        if !offered(&self.progress, step) {
            self.limited_path_notice();
            return Ok(Some(Ended::NotOffered(n)));
        }
        if self.progress.completed_at(&step.id).is_some() {
            self.revisit(step)?;
            return Ok(Some(Ended::Revisited(n)));
        }
        match current_step(workbook, &self.progress) {
            Some(current) if current.number == n => Ok(None),
            Some(current) => Err(FlowError::Refused(format!(
                "step {n} opens once step {} ({}) is done; `exback next` continues there",
                current.number, current.title
            ))),
            None => Ok(None),
        }
    }

    fn onboard(&mut self) -> Result<(), FlowError> {
        let o = &self.workbook.welcome.onboarding;
        self.show(Tone::Heading, "Before you start");
        self.show(Tone::Body, &o.intro);
        let today = self.clock.now().date_naive();
        let (breakup_date, breakup_said) = loop {
            let said = self.prompter.text(&Question::with_help(
                &o.breakup_date,
                Some(&o.breakup_date_help),
            ))?;
            match dates::parse_past(&said, today) {
                Ok(date) => break (date, said.trim().to_string()),
                Err(why) => self.show(Tone::Caution, &format!("{why}.")),
            }
        };
        let options: Vec<&str> = o.ended_by_options.iter().map(String::as_str).collect();
        let picked = self
            .prompter
            .select(&Question::new(&o.ended_by), &options)?;
        let ended_by = EndedBy::ALL
            .get(picked)
            .copied()
            .unwrap_or(EndedBy::Complicated);
        let no_contact = self.prompter.confirm(&Question::new(&o.no_contact))?;
        let felt_unsafe = self.prompter.confirm(&Question::new(&o.felt_unsafe))?;
        let onboarding = Onboarding {
            answered_at: self.clock.now(),
            breakup_date,
            breakup_said,
            ended_by,
            no_contact,
            felt_unsafe,
            extra: serde_json::Map::new(),
        };
        self.change(&[Change::Onboarded(onboarding)])?;
        self.show(Tone::Good, &self.workbook.welcome.onboarding.saved);
        if self.progress.limits_contact() {
            self.limited_path_notice();
        }
        Ok(())
    }

    /// Explains, plainly, why contact is not coached, and where to find help.
    fn limited_path_notice(&mut self) {
        let w = &self.workbook.welcome;
        let path = if self
            .progress
            .onboarding
            .as_ref()
            .is_some_and(|o| o.felt_unsafe)
        {
            &w.safety_path
        } else {
            &w.no_contact_path
        };
        self.show(Tone::Heading, &path.title);
        self.show(Tone::Body, &path.text);
        self.show(Tone::Heading, "Where to find help");
        self.show(Tone::Body, &w.support.text);
    }

    fn finished(&mut self) -> Ended {
        let w = &self.workbook.welcome;
        if self.progress.limits_contact() {
            self.show(Tone::Good, &w.limited_path.done);
            self.show(Tone::Heading, "Where to find help");
            self.show(Tone::Body, &w.support.text);
            Ended::LimitedDone
        } else {
            self.show(Tone::Good, &w.closing);
            self.show(Tone::Body, &w.no_promise);
            Ended::AllDone
        }
    }

    fn heading(&mut self, step: &Step, prefix: &str) {
        let title = format!(
            "{prefix}Step {} of {} · {}",
            step.number,
            self.workbook.steps.len(),
            step.title
        );
        self.show(Tone::Heading, &title);
        let line = progress_line(self.workbook, &self.progress);
        self.show(Tone::Dim, &line);
    }

    /// Walks the current step from its first unanswered prompt through its readiness check.
    fn walk(&mut self, step: &Step) -> Result<Walked, FlowError> {
        self.heading(step, "");
        let seen = self
            .progress
            .step(&step.id)
            .and_then(|s| s.intro_seen_at)
            .is_some();
        if !seen {
            self.show(Tone::Body, &step.why);
            for point in &step.guidance {
                self.show(Tone::Point, point);
            }
            self.change(&[Change::IntroSeen {
                step_id: step.id.clone(),
                at: self.clock.now(),
            }])?;
        }
        let total = step.prompts.len();
        let answered_before = self.progress.step(&step.id).map_or(0, |s| s.answered.len());
        if answered_before > 0 && answered_before < total {
            let note =
                format!("Picking up where you left off: {answered_before} of {total} answered.");
            self.show(Tone::Dim, &note);
        }
        for (i, prompt) in step.prompts.iter().enumerate() {
            if self
                .progress
                .step(&step.id)
                .is_some_and(|s| s.answered.contains(&prompt.id))
            {
                continue;
            }
            self.show(Tone::Dim, &format!("Question {} of {total}", i + 1));
            self.ask(step, prompt)?;
            self.change(&[Change::Answered {
                step_id: step.id.clone(),
                prompt_id: prompt.id.clone(),
            }])?;
        }
        self.readiness(step)
    }

    fn readiness(&mut self, step: &Step) -> Result<Walked, FlowError> {
        let r = &step.readiness;
        self.show(Tone::Heading, "Before this step counts as done");
        self.show(Tone::Body, &r.intro);
        let mut passed = true;
        for check in &r.checks {
            let yes = self.prompter.confirm(&Question::new(&check.text))?;
            passed &= yes == check.expect;
            self.recorder.record(NewEntry {
                at: self.clock.now(),
                kind: kind::READINESS,
                step: Some(step.number),
                step_id: Some(step.id.clone()),
                prompt_id: Some(check.id.clone()),
                prompt: Some(check.text.clone()),
                prompt_kind: Some(PromptKind::YesNo.as_str().into()),
                answer: yes_no(yes).into(),
                value: Some(Value::Bool(yes)),
                outcome: None,
            })?;
        }
        let now = self.clock.now();
        if passed {
            self.change(&[Change::Completed {
                step_id: step.id.clone(),
                at: now,
            }])?;
            let done = format!(
                "Step {} is done ({}). {}",
                step.number,
                now.format("%Y-%m-%d"),
                progress_line(self.workbook, &self.progress)
            );
            self.show(Tone::Good, &done);
            Ok(Walked::Completed)
        } else {
            self.change(&[Change::NotReady {
                step_id: step.id.clone(),
                at: now,
            }])?;
            self.show(Tone::Caution, &r.not_ready);
            self.show(Tone::Dim, "Your answers are saved. When you feel ready, `exback next` asks these questions again.");
            Ok(Walked::NotReady)
        }
    }

    fn revisit(&mut self, step: &Step) -> Result<(), FlowError> {
        self.heading(step, "Revisiting · ");
        self.show(
            Tone::Dim,
            "Your earlier answers stay as they are; what you write now is added beside them.",
        );
        let total = step.prompts.len();
        for (i, prompt) in step.prompts.iter().enumerate() {
            self.show(Tone::Dim, &format!("Question {} of {total}", i + 1));
            self.ask(step, prompt)?;
        }
        self.show(
            Tone::Good,
            &format!(
                "Step {} revisited. `exback log --step {}` shows all your answers to it.",
                step.number, step.number
            ),
        );
        Ok(())
    }

    /// Asks one prompt and saves the answer the moment it is given.
    fn ask(&mut self, step: &Step, prompt: &Prompt) -> Result<(), FlowError> {
        let q = Question::with_help(&prompt.text, prompt.help.as_deref());
        let (answer, value) = match prompt.kind {
            PromptKind::ShortText | PromptKind::LongText => {
                (self.non_empty(&q, prompt.kind, None)?, None)
            }
            PromptKind::YesNo => {
                let yes = self.prompter.confirm(&q)?;
                (yes_no(yes).to_string(), Some(Value::Bool(yes)))
            }
            PromptKind::Choice => {
                let options: Vec<&str> = prompt.options.iter().map(String::as_str).collect();
                let i = self.prompter.select(&q, &options)?;
                (
                    options.get(i).copied().unwrap_or_default().to_string(),
                    None,
                )
            }
            PromptKind::Scale => {
                let low = prompt.low.as_deref().unwrap_or("1");
                let high = prompt.high.as_deref().unwrap_or("10");
                let n = self.prompter.scale(&q, low, high)?.clamp(1, 10);
                (format!("{n}/10"), Some(json!(n)))
            }
            PromptKind::Checklist => {
                let options: Vec<&str> = prompt.options.iter().map(String::as_str).collect();
                let picked: Vec<&str> = self
                    .prompter
                    .checklist(&q, &options)?
                    .into_iter()
                    .filter_map(|i| options.get(i).copied())
                    .collect();
                let answer = if picked.is_empty() {
                    "(none of these)".to_string()
                } else {
                    picked
                        .iter()
                        .map(|o| format!("• {o}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                (answer, Some(json!(picked)))
            }
            PromptKind::Template => {
                let labels: Vec<String> = prompt
                    .templates
                    .iter()
                    .map(|t| format!("{}: “{}”", t.label, t.text))
                    .collect();
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                let i = self.prompter.select(&q, &labels)?;
                let template = &prompt.templates[i.min(prompt.templates.len() - 1)];
                let adapt =
                    Question::new("Make it yours: change anything that doesn't sound like you");
                let text = self.non_empty(&adapt, PromptKind::Template, Some(&template.text))?;
                (text, Some(json!({ "template": template.label })))
            }
        };
        self.recorder.record(NewEntry {
            at: self.clock.now(),
            kind: kind::ANSWER,
            step: Some(step.number),
            step_id: Some(step.id.clone()),
            prompt_id: Some(prompt.id.clone()),
            prompt: Some(prompt.text.clone()),
            prompt_kind: Some(prompt.kind.as_str().into()),
            answer,
            value,
            outcome: None,
        })?;
        Ok(())
    }

    /// Asks for text until it is not blank: an empty answer is never saved.
    fn non_empty(
        &mut self,
        q: &Question<'_>,
        kind: PromptKind,
        initial: Option<&str>,
    ) -> Result<String, FlowError> {
        loop {
            let text = match (kind, initial) {
                (_, Some(initial)) => self.prompter.adapt(q, initial)?,
                (PromptKind::LongText, None) => self.prompter.long_text(q)?,
                _ => self.prompter.text(q)?,
            };
            let text = text.trim();
            if !text.is_empty() {
                return Ok(text.to_string());
            }
            self.show(Tone::Caution, "A few words are enough, but this one needs an answer. To stop for now, press Ctrl-C.");
        }
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "Yes" } else { "No" }
}

#[cfg(test)]
mod tests;
