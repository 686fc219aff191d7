//! The export: everything in the data directory as one deterministic JSON document.

use std::io::{self, Write};

use serde_json::Value;

use crate::journal::read::Item;
use crate::journal::{JOURNAL, Store, StoreError, io_err};

use super::{EXPORT_FORMAT, EXPORT_VERSION, json_line, valid_log_name};

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct Exported {
    pub entries: usize,
    /// Journal lines that do not parse and so could not be exported.
    pub damaged: usize,
}

/// Names of the other append-only logs in the data directory (`contacts` for
/// `contacts.jsonl`, ...), sorted.
pub(super) fn other_logs(store: &Store) -> Result<Vec<String>, StoreError> {
    let mut names: Vec<String> = match std::fs::read_dir(store.dir()) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter_map(|n| n.strip_suffix(".jsonl").map(str::to_string))
            .filter(|n| valid_log_name(n) && format!("{n}.jsonl") != JOURNAL)
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_err("read", store.dir())(e)),
    };
    names.sort();
    Ok(names)
}

/// Writes everything as exback's JSON export: the progress, every journal entry (oldest
/// first, one per line) and every other log.
pub fn export_json(store: &Store, out: &mut dyn Write) -> Result<Exported, StoreError> {
    let stdout = |e: io::Error| StoreError::Io {
        action: "write the export to",
        path: "the output".into(),
        error: e,
    };
    let progress = if store.progress_path().exists() {
        Some(store.progress()?)
    } else {
        None
    };
    let mut done = Exported::default();
    let head = format!(
        "{{\n  \"format\": \"{EXPORT_FORMAT}\",\n  \"version\": {EXPORT_VERSION},\n  \"progress\": {},\n  \"entries\": [",
        json_line(&progress).map_err(stdout)?
    );
    out.write_all(head.as_bytes()).map_err(stdout)?;
    let journal = store.journal_path();
    for item in store.oldest_first()? {
        match item.map_err(io_err("read", &journal))? {
            Item::Entry(entry) => {
                write_element(out, done.entries == 0, "    ", &entry).map_err(stdout)?;
                done.entries += 1;
            }
            Item::Damaged(_) => done.damaged += 1,
        }
    }
    out.write_all(if done.entries == 0 {
        b"],\n  \"logs\": {"
    } else {
        b"\n  ],\n  \"logs\": {"
    })
    .map_err(stdout)?;
    let logs = other_logs(store)?;
    for (i, name) in logs.iter().enumerate() {
        let path = store.dir().join(format!("{name}.jsonl"));
        let sep = if i == 0 { "\n" } else { ",\n" };
        out.write_all(format!("{sep}    {}: [", json_line(name).map_err(stdout)?).as_bytes())
            .map_err(stdout)?;
        let mut n = 0;
        for item in store.oldest_records::<Value>(&format!("{name}.jsonl"))? {
            match item.map_err(io_err("read", &path))? {
                Item::Entry(record) => {
                    write_element(out, n == 0, "      ", &record).map_err(stdout)?;
                    n += 1;
                }
                Item::Damaged(_) => done.damaged += 1,
            }
        }
        out.write_all(if n == 0 { b"]" } else { b"\n    ]" })
            .map_err(stdout)?;
    }
    let has_logs = !logs.is_empty();
    out.write_all(if has_logs { b"\n  }\n}\n" } else { b"}\n}\n" })
        .map_err(stdout)?;
    Ok(done)
}

/// Writes `value` on a line of its own as the next element of a JSON array, after the
/// comma that separates it from the one before (none before the `first`).
fn write_element(
    out: &mut dyn Write,
    first: bool,
    indent: &str,
    value: &impl serde::Serialize,
) -> io::Result<()> {
    let sep = if first { "\n" } else { ",\n" };
    out.write_all(sep.as_bytes())?;
    out.write_all(indent.as_bytes())?;
    out.write_all(json_line(value)?.as_bytes())
}
