//! One deleted entry: a line of `deleted.jsonl`, kept so that a merge never brings
//! a deleted record back.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

/// The file that remembers deleted entries, so that a merge never brings one back.
pub(crate) const DELETED: &str = "deleted.jsonl";

/// One deletion, as kept in [`DELETED`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub(crate) struct Deletion {
    pub v: u32,
    /// The id of the deleted record.
    pub id: String,
    /// The file it was deleted from.
    pub file: String,
    pub at: DateTime<FixedOffset>,
}
