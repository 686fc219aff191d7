//! Reactions: what the flow does when an answer matches a reaction declared in the
//! content (a text, the support block, a path switch offered as a yes/no, a pause or
//! an end to the step), and the support block itself.

use serde_json::Map;

use super::{Clock, Flow, FlowError, Given, Recorder, Walked};
use crate::journal::{Change, Outcome, OutcomeKind};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::{PathKind, Reaction, Step, Then, Workbook, fill};

impl Reaction {
    /// True when `given` is the answer this reaction waits for.
    fn matches(&self, given: &Given) -> bool {
        let picked =
            !self.options.is_empty() && given.option_ids.iter().any(|id| self.options.contains(id));
        let in_range = matches!((self.range, given.score), (Some([low, high]), Some(n)) if (low..=high).contains(&n));
        let said = self.answer.is_some() && self.answer == given.yes;
        picked || in_range || said
    }
}

/// The support block as lines to show: the text, then each resource with its
/// country, then when the list was last checked.
pub(crate) fn support_lines(workbook: &Workbook) -> Vec<(Tone, String)> {
    support_lines_for(workbook, false)
}

/// The support block; with `safety_first` (the safety path), the services that help
/// people plan for their safety come first.
pub(crate) fn support_lines_for(workbook: &Workbook, safety_first: bool) -> Vec<(Tone, String)> {
    let s = &workbook.welcome.support;
    let mut lines = vec![
        (Tone::Heading, s.title.clone()),
        (Tone::Body, s.text.clone()),
    ];
    let mut resources: Vec<_> = s.resources.iter().collect();
    if safety_first {
        // A stable sort: each group keeps the order the content gives it.
        resources.sort_by_key(|r| !r.safety_planning);
    }
    for r in resources {
        lines.push((
            Tone::Point,
            format!("{} · {}: {}", r.country, r.name, r.contact),
        ));
    }
    if let Some(note) = &s.note {
        lines.push((Tone::Dim, note.clone()));
    }
    if let Some(reviewed) = &s.reviewed
        && !s.resources.is_empty()
    {
        let words = &workbook.welcome.words;
        lines.push((
            Tone::Dim,
            fill(&words.support_reviewed, &[("date", reviewed)]),
        ));
    }
    lines
}

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    /// Shows the support block, at most once per run: help offered again and again
    /// would read as pressure.
    pub(crate) fn support(&mut self) {
        if self.support_shown {
            return;
        }
        self.support_shown = true;
        let safety_first = super::path(&self.progress) == PathKind::Safety;
        for (tone, line) in support_lines_for(self.workbook, safety_first) {
            self.show(tone, &line);
        }
    }

    /// Acts on the reactions `given` matches, in the order written. `step` is the
    /// step being walked (none for an outcome's reflection).
    pub(super) fn react(
        &mut self,
        step: Option<&Step>,
        reactions: &[Reaction],
        given: &Given,
    ) -> Result<Walked, FlowError> {
        for reaction in reactions.iter().filter(|r| r.matches(given)) {
            if let Some(text) = &reaction.text {
                self.show(Tone::Body, text);
            }
            if reaction.support {
                self.support();
            }
            let closes = reaction.then == Some(Then::Close);
            if let Some(path) = reaction.switch
                && self.offer_switch(path, reaction.ask, !closes)?
            {
                return Ok(Walked::Switched(path));
            }
            match (reaction.then, step) {
                // The caller, which knows the prompt, closes the door.
                (Some(Then::Close), Some(_)) => return Ok(Walked::Closed),
                (Some(Then::Pause), Some(step)) => {
                    self.change(&[Change::Paused {
                        step_id: step.id.clone(),
                        at: self.clock.now(),
                    }])?;
                    self.show(Tone::Dim, &self.workbook.welcome.switch.paused);
                    return Ok(Walked::Paused);
                }
                (Some(Then::End), Some(_)) => return Ok(Walked::Ended),
                (Some(Then::OfferStop), Some(_)) if self.offer_stop()? => {
                    return Ok(Walked::Ended);
                }
                _ => {}
            }
        }
        Ok(Walked::Completed)
    }

    /// After the hardest answers: offers to stop here for today; true when the user
    /// stops (Esc counts as stopping).
    pub(super) fn offer_stop(&mut self) -> Result<bool, FlowError> {
        let w = &self.workbook.welcome.switch;
        let stop = match self.prompter.confirm(&Question::new(&w.stop_offer)) {
            Ok(yes) => yes,
            Err(crate::ui::PromptError::Stopped) => true,
            Err(e) => return Err(e.into()),
        };
        if stop {
            self.show(Tone::Body, &w.stopped);
        }
        Ok(stop)
    }

    /// Offers a path switch (or, with `ask` false, makes it: the answer itself was the
    /// decision); true when the switch was made. `say_declined`: a declined offer is
    /// answered with the switch's own words (a closed door has its own).
    pub(super) fn offer_switch(
        &mut self,
        path: PathKind,
        ask: bool,
        say_declined: bool,
    ) -> Result<bool, FlowError> {
        let words = match path {
            PathKind::NoContact => &self.workbook.welcome.switch.no_contact,
            _ => &self.workbook.welcome.switch.moving_on,
        };
        let accepted = !ask || self.prompter.confirm(&Question::new(&words.offer))?;
        if !accepted {
            if say_declined {
                self.show(Tone::Body, &words.declined);
            }
            return Ok(false);
        }
        match path {
            PathKind::NoContact => {
                // The same path onboarding's "no contact" answer leads to.
                if let Some(mut onboarding) = self.progress.onboarding.clone() {
                    onboarding.no_contact = true;
                    self.change(&[Change::Onboarded(onboarding)])?;
                }
            }
            _ => {
                self.change(&[Change::Outcome(Some(Outcome {
                    kind: OutcomeKind::MovedOn,
                    at: self.clock.now(),
                    extra: Map::new(),
                }))])?;
            }
        }
        self.show(Tone::Good, &words.done);
        Ok(true)
    }
}
