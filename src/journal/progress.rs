//! Where the user stands: onboarding answers and each step's progress (`progress.json`).
//!
//! Progress only changes through [`Change`]s, so the store can replay a change on the
//! freshest copy under the lock and two terminals never undo each other's work.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The progress format this build writes.
pub const PROGRESS_VERSION: u32 = 1;

/// The whole progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Format of the file; 0 for a file written before formats were numbered.
    #[serde(default)]
    pub format_version: u32,
    /// When the welcome text was first shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_seen_at: Option<DateTime<FixedOffset>>,
    /// The onboarding answers, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    /// Progress per step, keyed by the step's stable id.
    #[serde(default)]
    pub steps: BTreeMap<String, StepProgress>,
    /// Fields written by a newer exback: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format_version: PROGRESS_VERSION,
            welcome_seen_at: None,
            onboarding: None,
            steps: BTreeMap::new(),
            extra: Map::new(),
        }
    }
}

/// Who ended the relationship, as answered at onboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    Me,
    Them,
    Both,
    Complicated,
}

impl EndedBy {
    /// In the order of the onboarding options in the content.
    pub const ALL: [EndedBy; 4] = [Self::Me, Self::Them, Self::Both, Self::Complicated];
}

/// The onboarding answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onboarding {
    pub answered_at: DateTime<FixedOffset>,
    /// Roughly when the breakup happened.
    pub breakup_date: NaiveDate,
    /// What the user typed for the date, kept as they said it.
    pub breakup_said: String,
    pub ended_by: EndedBy,
    /// They asked for no contact, or blocked the user.
    pub no_contact: bool,
    /// The user felt unsafe in the relationship.
    pub felt_unsafe: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Onboarding {
    /// True when exback must not coach contact.
    pub fn limits_contact(&self) -> bool {
        self.no_contact || self.felt_unsafe
    }
}

/// One step's progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepProgress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro_seen_at: Option<DateTime<FixedOffset>>,
    /// Prompt ids answered in the current pass through the step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    /// Last time the readiness check did not pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_ready_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<FixedOffset>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One change to progress.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    WelcomeSeen(DateTime<FixedOffset>),
    Onboarded(Onboarding),
    IntroSeen {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    Answered {
        step_id: String,
        prompt_id: String,
    },
    NotReady {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    Completed {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
}

impl Progress {
    /// Applies one change. Applying the same change twice has the same effect as once.
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::WelcomeSeen(at) => {
                self.welcome_seen_at.get_or_insert(*at);
            }
            Change::Onboarded(o) => self.onboarding = Some(o.clone()),
            Change::IntroSeen { step_id, at } => {
                self.step_mut(step_id).intro_seen_at.get_or_insert(*at);
            }
            Change::Answered { step_id, prompt_id } => {
                let step = self.step_mut(step_id);
                if !step.answered.contains(prompt_id) {
                    step.answered.push(prompt_id.clone());
                }
            }
            Change::NotReady { step_id, at } => self.step_mut(step_id).not_ready_at = Some(*at),
            Change::Completed { step_id, at } => {
                self.step_mut(step_id).completed_at.get_or_insert(*at);
            }
        }
    }

    fn step_mut(&mut self, step_id: &str) -> &mut StepProgress {
        self.steps.entry(step_id.to_string()).or_default()
    }

    /// This step's progress, if any.
    pub fn step(&self, step_id: &str) -> Option<&StepProgress> {
        self.steps.get(step_id)
    }

    /// When the step was completed, if it was.
    pub fn completed_at(&self, step_id: &str) -> Option<DateTime<FixedOffset>> {
        self.step(step_id).and_then(|s| s.completed_at)
    }

    /// True when exback must not coach contact (asked at onboarding).
    pub fn limits_contact(&self) -> bool {
        self.onboarding
            .as_ref()
            .is_some_and(Onboarding::limits_contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-01T10:00:00+01:00").unwrap()
    }

    #[test]
    fn changes_are_idempotent() {
        let mut p = Progress::default();
        let changes = [
            Change::IntroSeen {
                step_id: "a".into(),
                at: at(),
            },
            Change::Answered {
                step_id: "a".into(),
                prompt_id: "p1".into(),
            },
            Change::Completed {
                step_id: "a".into(),
                at: at(),
            },
        ];
        for c in &changes {
            p.apply(c);
        }
        let once = p.clone();
        for c in &changes {
            p.apply(c);
        }
        assert_eq!(p, once);
        assert_eq!(p.step("a").unwrap().answered, vec!["p1".to_string()]);
        assert_eq!(p.completed_at("a"), Some(at()));
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let text = r#"{"format_version":1,"steps":{"a":{"answered":["x"],"colour":"blue"}},"future":{"k":[1,2]}}"#;
        let p: Progress = serde_json::from_str(text).unwrap();
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back["future"]["k"][1], 2);
        assert_eq!(back["steps"]["a"]["colour"], "blue");
    }
}
