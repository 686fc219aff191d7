//! Mood check-ins: one [`Mood`] per line of `moods.jsonl`, from `exback mood` and the
//! check-in at the start of `exback next`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::new_id;

/// The log file, beside the journal.
pub(crate) const MOODS: &str = "moods.jsonl";

/// The record format this build writes.
pub(crate) const MOOD_VERSION: u32 = 1;

/// One check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mood {
    /// Format version of this line.
    pub v: u32,
    pub id: String,
    pub at: DateTime<FixedOffset>,
    /// 1 (very low) to 10 (really good).
    pub score: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields written by a newer exback: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Mood {
    /// A new check-in with a fresh id.
    pub fn new(at: DateTime<FixedOffset>, score: u8, note: Option<String>) -> Self {
        Self {
            v: MOOD_VERSION,
            id: new_id(),
            at,
            score,
            note,
            extra: Map::new(),
        }
    }
}
