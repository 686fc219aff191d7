//! What the views and filters see of an entry, owned, so that the quick view `log` reads
//! from a line and the view of a fully parsed entry can be compared.

use chrono::{DateTime, FixedOffset};
use exback::testing::journal::EntryView;

#[derive(Debug, PartialEq)]
pub struct Seen {
    pub v: u32,
    pub id: String,
    pub at: DateTime<FixedOffset>,
    pub kind: String,
    pub step: Option<u8>,
    pub step_id: Option<String>,
    pub prompt: Option<String>,
    pub answer: String,
    pub tags: Vec<String>,
    pub edited_at: Option<DateTime<FixedOffset>>,
    pub outcome: Option<String>,
}

pub fn seen(v: &EntryView<'_>) -> Seen {
    Seen {
        v: v.v,
        id: v.id.to_string(),
        at: v.at,
        kind: v.kind.to_string(),
        step: v.step,
        step_id: v.step_id.as_deref().map(str::to_string),
        prompt: v.prompt.as_deref().map(str::to_string),
        answer: v.answer.decode().into_owned(),
        tags: v.tags.iter().map(ToString::to_string).collect(),
        edited_at: v.edited_at,
        outcome: v.outcome.as_deref().map(str::to_string),
    }
}
