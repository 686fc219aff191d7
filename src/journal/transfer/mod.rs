//! Moving data in and out: exback's own JSON export (everything in the data directory)
//! and imports from that format or from jrnl's JSON export.
//!
//! The export is deterministic, so exporting, importing into an empty data directory
//! and exporting again gives the same bytes.

use std::io;

mod export;
mod import;

pub use export::export_json;
pub use import::import;
pub(crate) use import::{ImportError, Imported};

/// The `format` field of an exback export.
pub(crate) const EXPORT_FORMAT: &str = "exback-export";
/// The version of the export layout.
pub(crate) const EXPORT_VERSION: u32 = 1;

/// Log names are plain lowercase words, so an import can never name a path.
fn valid_log_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !name.starts_with('-')
}

/// One record as one line of JSON.
fn json_line(value: &impl serde::Serialize) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
}

#[cfg(test)]
mod tests;
