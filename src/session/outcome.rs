//! `exback outcome` in the flow engine: recording where things stand, switching the
//! workbook onto the moving-on path or back, and the closing reflection.

use serde_json::Map;

use super::{Clock, Flow, FlowError, Recorder, moving_on_active};
use crate::journal::{Change, EntryKind, NewEntry, Outcome, OutcomeKind};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::fill;

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    /// Records where things stand (asking which, when `kind` is `None`), says whether
    /// that changes the path, then asks the outcome's closing reflection, saving each
    /// answer as it is given. Step progress is never discarded.
    pub(crate) fn record_outcome(
        &mut self,
        kind: Option<OutcomeKind>,
    ) -> Result<OutcomeKind, FlowError> {
        let workbook = self.workbook;
        let outcomes = &workbook.outcomes;
        let kind = if let Some(k) = kind {
            k
        } else {
            self.ask_outcome()?
        };
        let text = outcomes
            .get(kind.id())
            .ok_or(FlowError::UnknownOutcome(kind.id()))?;
        let was_moving_on = moving_on_active(workbook, &self.progress);
        self.change(&[Change::Outcome(Some(Outcome {
            kind,
            at: self.clock.now(),
            extra: Map::new(),
        }))])?;
        let words = &workbook.welcome.words;
        self.show(
            Tone::Good,
            &fill(&words.outcome_saved, &[("label", &text.label)]),
        );
        self.path_change_notice(was_moving_on);

        self.show(Tone::Heading, &words.reflection_heading);
        self.show(Tone::Dim, &outcomes.reflection);
        for prompt in &text.prompts {
            let given = self.answer(prompt)?;
            self.progress = self.recorder.record_with(
                NewEntry {
                    prompt_id: Some(prompt.id.clone()),
                    prompt: Some(prompt.text.clone()),
                    prompt_kind: Some(prompt.kind),
                    value: given.value.clone(),
                    option_ids: given.option_ids.clone(),
                    outcome: Some(kind),
                    ..NewEntry::new(self.clock.now(), EntryKind::Outcome, given.text.clone())
                },
                &[],
            )?;
            // Only texts and the support block apply outside a step.
            self.react(None, &prompt.reactions, &given)?;
        }
        self.show(Tone::Body, &text.closing);
        Ok(kind)
    }

    /// Asks where things stand, showing what was recorded so far.
    fn ask_outcome(&mut self) -> Result<OutcomeKind, FlowError> {
        let outcomes = &self.workbook.outcomes;
        if let Some(current) = &self.progress.outcome
            && let Some(text) = outcomes.get(current.kind.id())
        {
            let since = fill(
                &self.workbook.welcome.words.outcome_so_far,
                &[
                    ("label", &text.label),
                    ("date", &current.at.format("%Y-%m-%d").to_string()),
                ],
            );
            self.show(Tone::Dim, &since);
        }
        let labels: Vec<&str> = outcomes.outcomes.iter().map(|o| o.label.as_str()).collect();
        let q = Question::with_help(&outcomes.question, Some(&outcomes.help));
        let i = self.prompter.select(&q, &labels)?;
        let id = outcomes.outcomes.get(i).map(|o| o.id.as_str());
        OutcomeKind::ALL
            .into_iter()
            .find(|k| Some(k.id()) == id)
            .ok_or(FlowError::UnknownOutcome("?"))
    }

    /// Clears the recorded outcome, as if none had been recorded.
    pub(crate) fn clear_outcome(&mut self) -> Result<(), FlowError> {
        let was_moving_on = moving_on_active(self.workbook, &self.progress);
        self.change(&[Change::Outcome(None)])?;
        self.show(Tone::Good, &self.workbook.welcome.words.outcome_cleared);
        self.path_change_notice(was_moving_on);
        Ok(())
    }

    fn path_change_notice(&mut self, was_moving_on: bool) {
        let outcomes = &self.workbook.outcomes;
        match (
            was_moving_on,
            moving_on_active(self.workbook, &self.progress),
        ) {
            (false, true) => self.show(Tone::Body, &outcomes.to_moving_on),
            (true, false) => self.show(Tone::Body, &outcomes.back_from_moving_on),
            _ => {}
        }
    }
}
