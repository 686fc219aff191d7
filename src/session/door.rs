//! Closed doors: a decisive answer ("they said no", "I've decided to move on") whose
//! offer of the moving-on steps was declined. The step rests; the next `exback next`
//! asks where to go from here (the moving-on steps, a pause with a day to look again,
//! or going on, in the user's own words) and never walks straight back into the step.

use chrono::{Days, NaiveDate};
use serde_json::Map;

use super::{Clock, Ended, Flow, FlowError, Recorder, current_step};
use crate::journal::{Change, Door, EntryKind, NewEntry, Progress};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::{Naming, numbered, step_name};
use crate::workbook::{PathKind, Prompt, PromptKind, Step, Workbook, fill, labels};

/// The prompt id the choice at a closed door is saved under.
const CHOICE_ID: &str = "closed-door";
/// The prompt id of the user's own words for going on.
const WHY_ID: &str = "closed-door-why";

/// The step resting behind a closed door, if any, with the door.
pub(crate) fn closed_door<'w, 'p>(
    workbook: &'w Workbook,
    progress: &'p Progress,
) -> Option<(&'w Step, &'p Door)> {
    workbook
        .steps
        .iter()
        .chain(&workbook.moving_on.steps)
        .find_map(|s| Some((s, progress.step(&s.id)?.door.as_ref()?)))
}

/// True while a chosen pause holds on `today`: `exback next` only says so.
pub(crate) fn resting(door: &Door, today: NaiveDate) -> bool {
    door.look_again.is_some_and(|day| today < day)
}

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    /// Closes the door behind the answer `said` to `prompt`, and says so.
    pub(super) fn close_door(
        &mut self,
        step: &Step,
        prompt: &Prompt,
        said: &str,
    ) -> Result<(), FlowError> {
        self.change(&[Change::DoorClosed {
            step_id: step.id.clone(),
            door: Door {
                prompt_id: prompt.id.clone(),
                said: said.to_string(),
                at: self.clock.now(),
                look_again: None,
                extra: Map::new(),
            },
        }])?;
        self.show(Tone::Body, &self.workbook.welcome.closed_door.declined);
        Ok(())
    }

    /// Asks where to go from a closed door, if there is one: `None` lets the run go
    /// on (the user chose to), `Some` ends it. `asked`: the step was asked for by
    /// number, so a chosen pause gives way.
    pub(super) fn at_closed_door(&mut self, asked: bool) -> Result<Option<Ended>, FlowError> {
        let workbook = self.workbook;
        let Some((step, door)) = closed_door(workbook, &self.progress) else {
            return Ok(None);
        };
        let door = door.clone();
        let d = &workbook.welcome.closed_door;
        let today = self.clock.now().date_naive();
        if let Some(day) = door.look_again.filter(|_| resting(&door, today) && !asked) {
            let text = fill(
                &d.still_resting,
                &[
                    ("step", &step_name(self.workbook, step, Naming::Sentence)),
                    ("date", &day.format("%Y-%m-%d").to_string()),
                    ("n", &step.number.to_string()),
                ],
            );
            self.show(Tone::Body, &text);
            return Ok(Some(Ended::StepPaused(step.number)));
        }
        self.heading(step, false);
        let reminder = fill(
            &d.reminder,
            &[
                ("step", &step_name(self.workbook, step, Naming::Sentence)),
                ("said", &door.said),
            ],
        );
        self.show(Tone::Body, &reminder);
        let q = Question::with_help(&d.question, Some(&d.help));
        let i = self.prompter.select(&q, &labels(&d.options))?;
        let picked = &d.options[i.min(d.options.len() - 1)];
        // The choice is saved on its own: what it leads to is saved with the answer that
        // follows it (a date, a reason), and a run cut short in between asks it again.
        self.progress = self.recorder.record_with(
            NewEntry {
                step: numbered(step),
                step_id: Some(step.id.clone()),
                prompt_id: Some(CHOICE_ID.into()),
                prompt: Some(d.question.clone()),
                prompt_kind: Some(PromptKind::Choice),
                option_ids: vec![picked.id.clone()],
                ..NewEntry::new(self.clock.now(), EntryKind::Answer, picked.label.clone())
            },
            &[],
        )?;
        let opened = Change::DoorOpened {
            step_id: step.id.clone(),
        };
        match picked.id.as_str() {
            "moving-on" => {
                self.offer_switch(PathKind::MovingOn, false, false)?;
                self.change(&[opened])?;
                if self.begin_now()? {
                    Ok(None)
                } else {
                    Ok(Some(Ended::Switched(PathKind::MovingOn)))
                }
            }
            "pause" => self.look_again(step, today).map(Some),
            _ => {
                self.continue_past(step, opened)?;
                Ok(None)
            }
        }
    }

    /// A closed door paused: asks when to look again, and rests the step until then.
    fn look_again(&mut self, step: &Step, today: NaiveDate) -> Result<Ended, FlowError> {
        let d = &self.workbook.welcome.closed_door;
        let choices: Vec<&str> = d
            .look_again_options
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        let i = self
            .prompter
            .select(&Question::new(&d.look_again), &choices)?;
        let days = d.look_again_options[i.min(choices.len() - 1)].days;
        let on = today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(today);
        self.change(&[Change::LookAgain {
            step_id: step.id.clone(),
            on,
        }])?;
        let text = fill(&d.resting, &[("date", &on.format("%Y-%m-%d").to_string())]);
        self.show(Tone::Body, &text);
        Ok(Ended::StepPaused(step.number))
    }

    /// Going on past a closed door: asks why, in the user's own words, and saves it
    /// with the door opened.
    fn continue_past(&mut self, step: &Step, opened: Change) -> Result<(), FlowError> {
        let d = &self.workbook.welcome.closed_door;
        let q = Question::with_help(&d.why_continue, Some(&d.why_continue_help));
        let why = self.non_empty(&q, PromptKind::LongText, None)?;
        let entry = NewEntry {
            step: numbered(step),
            step_id: Some(step.id.clone()),
            prompt_id: Some(WHY_ID.into()),
            prompt: Some(d.why_continue.clone()),
            prompt_kind: Some(PromptKind::LongText),
            ..NewEntry::new(self.clock.now(), EntryKind::Answer, why)
        };
        self.progress = self.recorder.record_with(entry, &[opened])?;
        self.show(Tone::Body, &d.continued);
        Ok(())
    }

    /// After a path switch: offers to begin the new path's first step now. "Not now"
    /// (or stopping here) is a full answer.
    pub(super) fn begin_now(&mut self) -> Result<bool, FlowError> {
        let Some(next) = current_step(self.workbook, &self.progress) else {
            return Ok(false);
        };
        let question = fill(
            &self.workbook.welcome.switch.begin,
            &[("step", &step_name(self.workbook, next, Naming::Sentence))],
        );
        match self.prompter.confirm(&Question::new(&question)) {
            Ok(yes) => Ok(yes),
            Err(crate::ui::PromptError::Stopped) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}
