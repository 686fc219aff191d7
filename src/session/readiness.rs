//! A step's readiness check, and what follows it: the step marked done (or not yet),
//! and a completed step walked again.

use serde_json::Value;

use super::answer::yes_no;
use super::{
    Clock, Flow, FlowError, Given, Recorder, Walked, coaches_contact, moving_on_line, path,
    progress_line,
};
use crate::journal::{Change, EntryKind, NewEntry};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::{Check, PromptKind, Step, StepSet, fill, numbered};

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    pub(super) fn readiness(&mut self, step: &Step) -> Result<Walked, FlowError> {
        let r = &step.readiness;
        let checks = step.checks_on(path(&self.progress));
        if checks.is_empty() {
            self.complete(step)?;
            return Ok(Walked::Completed);
        }
        let words = &self.workbook.welcome.words;
        self.show(Tone::Heading, &words.readiness_heading);
        self.show(Tone::Body, &r.intro);
        // On the paths without contact coaching, these steps are self-care: a "no"
        // brings a kind word and help, never a locked door.
        let holds = coaches_contact(&self.progress);
        // A round cut short (Ctrl-C, a crash, a reaction that ended the run) goes on
        // from its first unanswered check: the answers already saved still count.
        let done = self
            .progress
            .step(&step.id)
            .map(|s| s.checked.clone())
            .unwrap_or_default();
        let mut passed = checks
            .iter()
            .filter_map(|c| done.get(&c.id).map(|yes| *yes == c.expect))
            .all(|ok| ok);
        let open: Vec<_> = checks
            .into_iter()
            .filter(|c| !done.contains_key(&c.id))
            .collect();
        if open.is_empty() && !passed && holds {
            // Every check was answered but the result was never saved (the content
            // changed under a round cut short): the result is saved now.
            self.change(&[Change::NotReady {
                step_id: step.id.clone(),
                at: self.clock.now(),
            }])?;
        }
        let last = open.len().saturating_sub(1);
        for (i, check) in open.into_iter().enumerate() {
            let yes = self.prompter.confirm(&Question::new(&check.text))?;
            passed &= yes == check.expect;
            // The last answer carries the round's result.
            let result = (i == last).then_some(passed || !holds);
            self.record_check(step, check, yes, result)?;
            let given = Given {
                yes: Some(yes),
                ..Given::default()
            };
            let reacted = self.react(Some(step), &check.reactions, &given)?;
            // A check whose answer paused the step is asked again when it is taken up.
            if matches!(reacted, Walked::Paused) && i < last {
                self.change(&[Change::Unchecked {
                    step_id: step.id.clone(),
                    check_id: check.id.clone(),
                }])?;
            }
            if !matches!(reacted, Walked::Completed) {
                return Ok(reacted);
            }
        }
        if passed {
            self.complete(step)?;
            Ok(Walked::Completed)
        } else if !holds {
            self.show(Tone::Body, &self.workbook.welcome.limited_path.not_yet);
            self.support();
            self.complete(step)?;
            Ok(Walked::Completed)
        } else {
            self.show(Tone::Caution, &r.not_ready);
            self.show(Tone::Dim, &words.not_ready_saved);
            Ok(Walked::NotReady)
        }
    }

    /// Saves one answer of a readiness check with its mark, as one transaction: the
    /// last answer (`result` is set) with the round's result instead, so that a crash
    /// can never keep an answer and lose its mark (and ask it again).
    fn record_check(
        &mut self,
        step: &Step,
        check: &Check,
        yes: bool,
        result: Option<bool>,
    ) -> Result<(), FlowError> {
        let entry = NewEntry {
            step: numbered(step),
            step_id: Some(step.id.clone()),
            prompt_id: Some(check.id.clone()),
            prompt: Some(check.text.clone()),
            prompt_kind: Some(PromptKind::YesNo),
            value: Some(Value::Bool(yes)),
            ..NewEntry::new(
                self.clock.now(),
                EntryKind::Readiness,
                yes_no(self.workbook, yes).into(),
            )
        };
        let step_id = step.id.clone();
        let mark = match result {
            None => Change::Checked {
                step_id,
                check_id: check.id.clone(),
                yes,
            },
            Some(true) => Change::Completed {
                step_id,
                at: self.clock.now(),
            },
            Some(false) => Change::NotReady {
                step_id,
                at: self.clock.now(),
            },
        };
        self.progress = self.recorder.record_with(entry, &[mark])?;
        Ok(())
    }

    /// Marks the step done (unless its readiness check's last answer already did) and
    /// says so.
    pub(super) fn complete(&mut self, step: &Step) -> Result<(), FlowError> {
        let now = if let Some(at) = self.progress.completed_at(&step.id) {
            at
        } else {
            let now = self.clock.now();
            self.change(&[Change::Completed {
                step_id: step.id.clone(),
                at: now,
            }])?;
            now
        };
        let date = now.format("%Y-%m-%d").to_string();
        let words = &self.workbook.welcome.words;
        let done = match step.set {
            StepSet::Workbook => fill(
                &words.step_done,
                &[
                    ("n", &step.number.to_string()),
                    ("date", &date),
                    ("bar", &progress_line(self.workbook, &self.progress)),
                ],
            ),
            StepSet::MovingOn => fill(
                &words.moving_on_step_done,
                &[
                    ("title", &step.title),
                    ("date", &date),
                    ("bar", &moving_on_line(self.workbook, &self.progress)),
                ],
            ),
        };
        self.show(Tone::Good, &done);
        Ok(())
    }

    pub(super) fn revisit(&mut self, step: &Step) -> Result<Walked, FlowError> {
        let words = &self.workbook.welcome.words;
        self.heading(step, true);
        self.show(Tone::Dim, &words.revisit_intro);
        let prompts = step.prompts_on(path(&self.progress));
        let total = prompts.len();
        for (i, prompt) in prompts.into_iter().enumerate() {
            self.question_number(i + 1, total);
            let reacted = self.ask(step, prompt, &[])?;
            if !matches!(reacted, Walked::Completed) {
                return Ok(reacted);
            }
        }
        let revisited = fill(&words.revisited, &[("n", &step.number.to_string())]);
        self.show(Tone::Good, &revisited);
        Ok(Walked::Completed)
    }
}
