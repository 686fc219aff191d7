//! Asking one prompt of a step: the question by its kind, the answer as a person reads
//! it (in the content's words) and as data, and the entry saved with its marks.

use serde_json::{Value, json};

use super::{Clock, Flow, FlowError, Recorder, Walked};
use crate::journal::{Change, EntryKind, NewEntry};
use crate::ui::{Prompter, Question, Tone};
use crate::workbook::{Choice, Prompt, PromptKind, Step, Workbook, fill, labels, numbered};

impl<P: Prompter + ?Sized, R: Recorder, C: Clock> Flow<'_, P, R, C> {
    /// Asks one prompt of a step, saves the answer the moment it is given together with
    /// the progress `changes` it makes (one transaction), and acts on it as the content
    /// says (`Walked::Completed`: go on).
    pub(super) fn ask(
        &mut self,
        step: &Step,
        prompt: &Prompt,
        changes: &[Change],
    ) -> Result<Walked, FlowError> {
        let given = self.answer(prompt)?;
        let entry = NewEntry {
            step: numbered(step),
            step_id: Some(step.id.clone()),
            prompt_id: Some(prompt.id.clone()),
            prompt: Some(prompt.text.clone()),
            prompt_kind: Some(prompt.kind),
            value: given.value.clone(),
            option_ids: given.option_ids.clone(),
            ..NewEntry::new(self.clock.now(), EntryKind::Answer, given.text.clone())
        };
        self.progress = self.recorder.record_with(entry, changes)?;
        let reacted = self.react(Some(step), &prompt.reactions, &given)?;
        if matches!(reacted, Walked::Closed) {
            self.close_door(step, prompt, &given.text)?;
        }
        Ok(reacted)
    }

    /// Asks one prompt: the answer as a person reads it, and as data where it has a shape.
    pub(super) fn answer(&mut self, prompt: &Prompt) -> Result<Given, FlowError> {
        let q = Question::with_help(&prompt.text, prompt.help.as_deref());
        let words = &self.workbook.welcome.words;
        let given = match prompt.kind {
            PromptKind::ShortText | PromptKind::LongText => {
                Given::text(self.non_empty(&q, prompt.kind, None)?)
            }
            PromptKind::YesNo => {
                let yes = self.prompter.confirm(&q)?;
                Given {
                    value: Some(Value::Bool(yes)),
                    yes: Some(yes),
                    ..Given::text(yes_no(self.workbook, yes).to_string())
                }
            }
            PromptKind::Choice => {
                let i = self.prompter.select(&q, &labels(&prompt.options))?;
                let picked = &prompt.options[i.min(prompt.options.len() - 1)];
                Given {
                    option_ids: vec![picked.id.clone()],
                    ..Given::text(picked.label.clone())
                }
            }
            PromptKind::Scale => {
                let low = prompt.low.as_deref().unwrap_or("1");
                let high = prompt.high.as_deref().unwrap_or("10");
                let n = self.prompter.scale(&q, low, high)?.clamp(1, 10);
                Given {
                    value: Some(json!(n)),
                    score: Some(n),
                    ..Given::text(fill(&words.scale_answer, &[("n", &n.to_string())]))
                }
            }
            PromptKind::Checklist => {
                let picked: Vec<&Choice> = self
                    .prompter
                    .checklist(&q, &labels(&prompt.options))?
                    .into_iter()
                    .filter_map(|i| prompt.options.get(i))
                    .collect();
                let answer = if picked.is_empty() {
                    words.none_of_these.clone()
                } else {
                    picked
                        .iter()
                        .map(|o| fill(&words.picked, &[("label", &o.label)]))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                Given {
                    value: Some(json!(picked.iter().map(|o| &o.label).collect::<Vec<_>>())),
                    option_ids: picked.iter().map(|o| o.id.clone()).collect(),
                    ..Given::text(answer)
                }
            }
            PromptKind::Template => {
                // The texts are shown in full first, so the list to choose from stays short.
                for t in &prompt.templates {
                    let shown = fill(
                        &words.template_shown,
                        &[("label", &t.label), ("text", &t.text)],
                    );
                    self.show(Tone::Point, &shown);
                }
                let labels: Vec<&str> = prompt.templates.iter().map(|t| t.label.as_str()).collect();
                let i = self.prompter.select(&q, &labels)?;
                let template = &prompt.templates[i.min(prompt.templates.len() - 1)];
                let adapt = Question::new(&words.make_it_yours);
                let text = self.non_empty(&adapt, PromptKind::Template, Some(&template.text))?;
                Given {
                    value: Some(json!({ "template": template.id, "label": template.label })),
                    ..Given::text(text)
                }
            }
        };
        Ok(given)
    }

    /// Asks for text until it is not blank: an empty answer is never saved.
    pub(super) fn non_empty(
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
            self.show(Tone::Caution, &self.workbook.welcome.words.needs_an_answer);
        }
    }
}

/// An answer as given: as a person reads it, as data where it has a shape, and the
/// ids of the options picked.
#[derive(Debug, Clone, Default)]
pub(super) struct Given {
    pub(super) text: String,
    pub(super) value: Option<Value>,
    pub(super) option_ids: Vec<String>,
    /// A yes/no answer, for reactions.
    pub(super) yes: Option<bool>,
    /// A scale answer, for reactions.
    pub(super) score: Option<u8>,
}

impl Given {
    pub(super) fn text(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }
}

/// A yes/no answer as the journal keeps it to read, in the content's words.
pub(super) fn yes_no(workbook: &Workbook, yes: bool) -> &str {
    let w = &workbook.welcome.words;
    if yes { &w.yes } else { &w.no }
}
