//! One journal entry: a line of `journal.jsonl`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::OutcomeKind;

/// The entry format this build writes.
pub const ENTRY_VERSION: u32 = 1;

/// Entry kinds this build writes. Other kinds from newer versions are kept and shown.
pub(crate) mod kind {
    /// An answer to a step's reflection prompt.
    pub(crate) const ANSWER: &str = "answer";
    /// An answer to a step's readiness check.
    pub(crate) const READINESS: &str = "readiness";
    /// A free entry written with `exback write` (or imported).
    pub(crate) const NOTE: &str = "note";
    /// A message the user wanted to send and kept instead (`exback draft`).
    pub(crate) const DRAFT: &str = "draft";
    /// An answer to the closing reflection of an outcome (`exback outcome`).
    pub(crate) const OUTCOME: &str = "outcome";
}

/// What sort of entry is being saved. Saved entries keep the kind as a string
/// ([`Entry::kind`]), so kinds written by a newer exback are kept and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Answer,
    Readiness,
    Note,
    Draft,
    Outcome,
}

impl EntryKind {
    /// The name saved in the journal (one of the [`kind`] constants).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answer => kind::ANSWER,
            Self::Readiness => kind::READINESS,
            Self::Note => kind::NOTE,
            Self::Draft => kind::DRAFT,
            Self::Outcome => kind::OUTCOME,
        }
    }
}

/// A saved entry, as stored on one line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Format version of this line.
    pub v: u32,
    /// Stable id, lowercase hex; commands accept a unique prefix.
    pub id: String,
    /// When the answer was given, in the user's local offset.
    pub at: DateTime<FixedOffset>,
    /// What sort of entry this is (see [`kind`]).
    pub kind: String,
    /// Step number (1–7) at the time of writing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    /// Stable step id from the workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// Stable prompt (or readiness check) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
    /// The prompt's text as it was asked, so the entry stays readable if the content changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The prompt's kind (`short_text`, `long_text`, `yes_no`, `choice`, `scale`, `checklist`, `template`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_kind: Option<String>,
    /// The answer as a person reads it.
    pub answer: String,
    /// The answer as data, for kinds that are not plain text (bool, number, list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// For a choice or checklist: the ids of the options picked, which keep their
    /// meaning when a content pack rewords or reorders the options. Entries saved
    /// before options had ids have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_ids: Vec<String>,
    /// When the answer was last changed with `exback edit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<FixedOffset>>,
    /// Tags given by the user (free entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// For `outcome` entries: the outcome reflected on (`back-together`, `friends`,
    /// `still-hoping`, `moved-on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Fields written by a newer exback: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What sort of answer a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    ShortText,
    LongText,
    YesNo,
    Choice,
    Scale,
    Checklist,
    Template,
}

impl PromptKind {
    /// Every kind, in the order the content format documents them.
    pub const ALL: [Self; 7] = [
        Self::ShortText,
        Self::LongText,
        Self::YesNo,
        Self::Choice,
        Self::Scale,
        Self::Checklist,
        Self::Template,
    ];

    /// The name used in content files and in saved entries.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::YesNo => "yes_no",
            Self::Choice => "choice",
            Self::Scale => "scale",
            Self::Checklist => "checklist",
            Self::Template => "template",
        }
    }
}

/// An entry about to be saved; the store gives it an id and a format version.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub at: DateTime<FixedOffset>,
    pub kind: EntryKind,
    pub step: Option<u8>,
    pub step_id: Option<String>,
    pub prompt_id: Option<String>,
    pub prompt: Option<String>,
    pub prompt_kind: Option<PromptKind>,
    pub answer: String,
    pub value: Option<Value>,
    pub option_ids: Vec<String>,
    pub tags: Vec<String>,
    pub outcome: Option<OutcomeKind>,
}

impl NewEntry {
    /// An entry of `kind` with just a time and an answer; set the other fields as needed.
    pub fn new(at: DateTime<FixedOffset>, kind: EntryKind, answer: String) -> Self {
        Self {
            at,
            kind,
            step: None,
            step_id: None,
            prompt_id: None,
            prompt: None,
            prompt_kind: None,
            answer,
            value: None,
            option_ids: Vec::new(),
            tags: Vec::new(),
            outcome: None,
        }
    }

    pub(crate) fn into_entry(self, id: String) -> Entry {
        Entry {
            v: ENTRY_VERSION,
            id,
            at: self.at,
            kind: self.kind.as_str().to_string(),
            step: self.step,
            step_id: self.step_id,
            prompt_id: self.prompt_id,
            prompt: self.prompt,
            prompt_kind: self.prompt_kind.map(|k| k.as_str().to_string()),
            answer: self.answer,
            value: self.value,
            option_ids: self.option_ids,
            edited_at: None,
            tags: self.tags,
            outcome: self.outcome.map(|o| o.id().to_string()),
            extra: Map::new(),
        }
    }
}
