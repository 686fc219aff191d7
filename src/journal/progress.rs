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
    /// Where things stand, once recorded with `exback outcome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The last time the mood check-in of `exback next` was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mood_skipped_at: Option<DateTime<FixedOffset>>,
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
            outcome: None,
            mood_skipped_at: None,
            extra: Map::new(),
        }
    }
}

/// Where things stand with the ex, as the user last recorded it (also `exback outcome`'s
/// argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    BackTogether,
    Friends,
    StillHoping,
    MovedOn,
}

impl OutcomeKind {
    /// In the order of the content's outcome ids.
    pub const ALL: [OutcomeKind; 4] = [
        Self::BackTogether,
        Self::Friends,
        Self::StillHoping,
        Self::MovedOn,
    ];

    /// The id used in the content, on the command line and in saved data.
    pub fn id(self) -> &'static str {
        match self {
            Self::BackTogether => "back-together",
            Self::Friends => "friends",
            Self::StillHoping => "still-hoping",
            Self::MovedOn => "moved-on",
        }
    }
}

/// The recorded outcome and when it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Records where things stand; `None` clears it. Step progress is never touched.
    Outcome(Option<Outcome>),
    /// The mood check-in was offered and skipped.
    MoodSkipped(DateTime<FixedOffset>),
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
            Change::Outcome(outcome) => self.outcome.clone_from(outcome),
            Change::MoodSkipped(at) => self.mood_skipped_at = Some(*at),
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

    /// The recorded outcome, if any.
    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        self.outcome.as_ref().map(|o| o.kind)
    }

    /// True when the user recorded that it's over and they are moving on.
    pub fn moved_on(&self) -> bool {
        self.outcome_kind() == Some(OutcomeKind::MovedOn)
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
    fn an_outcome_can_be_set_changed_and_cleared_without_touching_steps() {
        let mut p = Progress::default();
        p.apply(&Change::Completed {
            step_id: "a".into(),
            at: at(),
        });
        let outcome = |kind| {
            Change::Outcome(Some(Outcome {
                kind,
                at: at(),
                extra: Map::new(),
            }))
        };
        p.apply(&outcome(OutcomeKind::MovedOn));
        assert!(p.moved_on());
        let saved = serde_json::to_value(&p).unwrap();
        assert_eq!(saved["outcome"]["kind"], "moved-on");
        p.apply(&outcome(OutcomeKind::StillHoping));
        assert!(!p.moved_on());
        assert_eq!(p.outcome_kind(), Some(OutcomeKind::StillHoping));
        p.apply(&Change::Outcome(None));
        assert_eq!(p.outcome_kind(), None);
        assert!(serde_json::to_value(&p).unwrap().get("outcome").is_none());
        assert_eq!(p.completed_at("a"), Some(at()));
    }

    #[test]
    fn outcome_ids_match_the_content() {
        let ids = OutcomeKind::ALL.map(OutcomeKind::id);
        assert_eq!(ids, crate::workbook::OUTCOME_IDS);
        for kind in OutcomeKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.id());
        }
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
