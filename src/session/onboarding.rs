//! The onboarding questions: the breakup date, who ended it, no contact, safety and
//! practical ties; and the plain word on a limited path.

use super::{Clock, Flow, FlowError, Recorder};
use crate::dates::{self, DateError};
use crate::journal::{Change, EndedBy, Onboarding, SafetyAnswers};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::{fill, labels};

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    pub(super) fn onboard(&mut self) -> Result<(), FlowError> {
        let o = &self.workbook.welcome.onboarding;
        self.show(
            Tone::Heading,
            &self.workbook.welcome.words.onboarding_heading,
        );
        self.show(Tone::Body, &o.intro);
        let today = self.clock.now().date_naive();
        let (breakup_date, breakup_said) = loop {
            let said = self.prompter.text(&Question::with_help(
                &o.breakup_date,
                Some(&o.breakup_date_help),
            ))?;
            match dates::parse_past(&said, today) {
                Ok(date) => break (date, said.trim().to_string()),
                Err(why) => {
                    let words = &self.workbook.welcome.words;
                    let said = said.trim();
                    let text = match why {
                        DateError::Empty => words.date_needed.clone(),
                        DateError::NotADate(_) => fill(&words.not_a_date, &[("said", said)]),
                        DateError::Future => words.date_in_future.clone(),
                    };
                    self.show(Tone::Caution, &text);
                }
            }
        };
        let picked = self
            .prompter
            .select(&Question::new(&o.ended_by), &labels(&o.ended_by_options))?;
        // Matched by the option's id, never its place in the list.
        // `content check` allows only the four known ids: any other is refused, never
        // read as one of them.
        let id = o.ended_by_options.get(picked).map_or("", |c| c.id.as_str());
        let ended_by =
            EndedBy::from_id(id).ok_or_else(|| FlowError::UnknownEndedBy(id.to_string()))?;
        let no_contact = self.prompter.confirm(&Question::new(&o.no_contact))?;
        self.keep_safety_answer(no_contact, false)?;
        let felt_unsafe = self.prompter.confirm(&Question::new(&o.felt_unsafe))?;
        self.keep_safety_answer(no_contact, felt_unsafe)?;
        let logistics = self
            .prompter
            .confirm(&Question::with_help(&o.logistics, Some(&o.logistics_help)))?;
        let onboarding = Onboarding {
            answered_at: self.clock.now(),
            breakup_date,
            breakup_said,
            ended_by,
            no_contact,
            felt_unsafe,
            logistics,
            extra: serde_json::Map::new(),
        };
        self.change(&[Change::Onboarded(onboarding)])?;
        self.show(Tone::Good, &self.workbook.welcome.onboarding.saved);
        if self.progress.limits_contact() {
            self.limited_path_notice();
        }
        Ok(())
    }

    /// Keeps a yes to a safety question the moment it is given: if onboarding stops
    /// before its end, no contact is coached all the same.
    pub(super) fn keep_safety_answer(
        &mut self,
        no_contact: bool,
        felt_unsafe: bool,
    ) -> Result<(), FlowError> {
        if !no_contact && !felt_unsafe {
            return Ok(());
        }
        let change = match self.progress.onboarding.clone() {
            // Onboarding asked again: the new yes counts at once.
            Some(mut o) => {
                o.no_contact |= no_contact;
                o.felt_unsafe |= felt_unsafe;
                Change::Onboarded(o)
            }
            None => Change::SafetyAnswered(SafetyAnswers {
                at: self.clock.now(),
                no_contact,
                felt_unsafe,
                extra: serde_json::Map::new(),
            }),
        };
        self.change(&[change])
    }

    /// Explains, plainly, why contact is not coached, and where to find help.
    pub(super) fn limited_path_notice(&mut self) {
        let w = &self.workbook.welcome;
        let path = if self.progress.safety().1 {
            &w.safety_path
        } else {
            &w.no_contact_path
        };
        self.show(Tone::Heading, &path.title);
        self.show(Tone::Body, &path.text);
        self.support();
    }
}
