//! Moving data in and out: exback's own JSON export (everything in the data directory)
//! and imports from that format or from jrnl's JSON export.
//!
//! The export is deterministic, so exporting, importing into an empty data directory
//! and exporting again gives the same bytes.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::entry::{ENTRY_VERSION, Entry, kind};
use super::files::{self, Line};
use super::read::{Item, describe_json_error};
use super::{JOURNAL, Progress, Store, StoreError, io_err, new_id};

/// The `format` field of an exback export.
pub const EXPORT_FORMAT: &str = "exback-export";
/// The version of the export layout.
pub const EXPORT_VERSION: u32 = 1;

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct Exported {
    pub entries: usize,
    /// Journal lines that do not parse and so could not be exported.
    pub damaged: usize,
}

/// Names of the other append-only logs in the data directory (`contacts` for
/// `contacts.jsonl`, ...), sorted.
fn other_logs(store: &Store) -> Result<Vec<String>, StoreError> {
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

/// Log names are plain lowercase words, so an import can never name a path.
fn valid_log_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !name.starts_with('-')
}

fn json_line(value: &impl serde::Serialize) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
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
                let sep = if done.entries == 0 {
                    "\n    "
                } else {
                    ",\n    "
                };
                out.write_all(sep.as_bytes()).map_err(stdout)?;
                out.write_all(json_line(&entry).map_err(stdout)?.as_bytes())
                    .map_err(stdout)?;
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
                    let sep = if n == 0 { "\n      " } else { ",\n      " };
                    out.write_all(sep.as_bytes()).map_err(stdout)?;
                    out.write_all(json_line(&record).map_err(stdout)?.as_bytes())
                        .map_err(stdout)?;
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

/// An import file that cannot be used; nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}, column {column}: the file {reason}; nothing was imported")]
    Malformed {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("this is neither an exback export nor a jrnl JSON export; nothing was imported")]
    UnknownFormat,
    #[error(
        "this export is format version {0}, newer than this exback reads ({EXPORT_VERSION}); nothing was imported"
    )]
    Newer(u32),
    #[error("{0}; nothing was imported")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Ctrl-C came before anything was written.
    #[error("stopped; nothing was imported")]
    Interrupted,
}

fn malformed(e: &serde_json::Error) -> ImportError {
    ImportError::Malformed {
        line: e.line(),
        column: e.column(),
        reason: describe_json_error(e),
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub source: &'static str,
    pub imported: usize,
    /// Already present (same time and text, or same id).
    pub skipped: usize,
    /// Progress came with the file and was restored (only into a fresh data directory).
    pub progress_restored: bool,
    /// Progress came with the file but this data directory already has its own.
    pub progress_kept: bool,
    /// Records added to other logs.
    pub log_records: usize,
}

#[derive(Deserialize)]
struct ExbackExport {
    format: String,
    version: u32,
    #[serde(default)]
    progress: Option<Progress>,
    entries: Vec<Entry>,
    #[serde(default)]
    logs: BTreeMap<String, Vec<Value>>,
}

#[derive(Deserialize)]
struct JrnlExport {
    #[allow(dead_code)]
    tags: Value,
    entries: Vec<JrnlEntry>,
}

#[derive(Deserialize)]
struct JrnlEntry {
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    time: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

/// Imports `bytes` (an exback export or a jrnl JSON export) into the store.
pub fn import(store: &Store, bytes: &[u8]) -> Result<Imported, ImportError> {
    let probe: Value = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
    let is_exback = probe.get("format").and_then(Value::as_str) == Some(EXPORT_FORMAT);
    let is_jrnl = !is_exback
        && probe.get("entries").is_some_and(Value::is_array)
        && probe.get("tags").is_some();
    drop(probe);
    if is_exback {
        let doc: ExbackExport = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
        if doc.format != EXPORT_FORMAT {
            return Err(ImportError::UnknownFormat);
        }
        if doc.version > EXPORT_VERSION {
            return Err(ImportError::Newer(doc.version));
        }
        if let Some(bad) = doc
            .logs
            .keys()
            .find(|n| !valid_log_name(n) || format!("{n}.jsonl") == JOURNAL)
        {
            return Err(ImportError::Invalid(format!(
                "the export names a log {bad:?} that exback does not keep"
            )));
        }
        // Checked before anything is written: the entries are saved first, and a
        // refusal after them would leave half an import.
        if let Some(name) = doc
            .logs
            .iter()
            .find(|(_, records)| records.iter().any(|r| !r.is_object()))
            .map(|(name, _)| name)
        {
            return Err(ImportError::Invalid(format!(
                "a record of {name:?} is not an object"
            )));
        }
        import_exback(store, doc)
    } else if is_jrnl {
        let doc: JrnlExport = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
        let entries = doc
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| from_jrnl(i, &e))
            .collect::<Result<Vec<_>, _>>()?;
        let mut done = merge_entries(store, entries)?;
        done.source = "jrnl";
        Ok(done)
    } else {
        Err(ImportError::UnknownFormat)
    }
}

fn import_exback(store: &Store, doc: ExbackExport) -> Result<Imported, ImportError> {
    let mut done = merge_entries(store, doc.entries)?;
    done.source = "exback";
    if let Some(progress) = doc.progress {
        if store.progress_path().exists() {
            done.progress_kept = true;
        } else {
            store.restore_progress(&progress)?;
            done.progress_restored = true;
        }
    }
    for (name, records) in doc.logs {
        done.log_records += merge_log(store, &name, records)?;
    }
    Ok(done)
}

/// Turns one jrnl entry into a free entry, keeping its time, tags and star.
fn from_jrnl(index: usize, e: &JrnlEntry) -> Result<Entry, ImportError> {
    let bad =
        |what: &str| ImportError::Invalid(format!("entry {} has an unreadable {what}", index + 1));
    let date = NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let time = NaiveTime::parse_from_str(&e.time, "%H:%M").map_err(|_| bad("time"))?;
    let at = Local
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .ok_or_else(|| bad("time"))?
        .fixed_offset();
    let body = e.body.trim();
    let text = if body.is_empty() {
        e.title.trim().to_string()
    } else {
        format!("{}\n{body}", e.title.trim())
    };
    let mut tags: Vec<String> = Vec::new();
    // Kept even when not one word: an import never drops what the user wrote.
    for tag in e.tags.iter().map(|t| super::tags::bare(t).to_string()) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if e.starred && !tags.iter().any(|t| t == "starred") {
        tags.push("starred".into());
    }
    let mut extra = Map::new();
    extra.insert("imported_from".into(), Value::from("jrnl"));
    Ok(Entry {
        v: ENTRY_VERSION,
        id: new_id(),
        at,
        kind: kind::NOTE.into(),
        step: None,
        step_id: None,
        prompt_id: None,
        prompt: None,
        prompt_kind: None,
        answer: text,
        value: None,
        edited_at: None,
        tags,
        outcome: None,
        extra,
    })
}

/// An entry's identity for spotting duplicates: its moment and its text.
fn key(at: &DateTime<FixedOffset>, text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    at.timestamp_micros().hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

/// Adds the entries that are not there yet, keeping the journal in time order; every
/// existing line, damaged ones included, is kept byte for byte.
fn merge_entries(store: &Store, entries: Vec<Entry>) -> Result<Imported, ImportError> {
    let path = store.journal_path();
    let lock = store.lock()?;
    let mut keys = HashSet::new();
    let mut ids = HashSet::new();
    let mut existing = 0usize;
    for item in store.oldest_first()? {
        if let Item::Entry(e) = item.map_err(io_err("read", &path))? {
            keys.insert(key(&e.at, &e.answer));
            ids.insert(e.id);
            existing += 1;
        }
    }
    let mut done = Imported::default();
    let mut new = Vec::with_capacity(entries.len());
    for mut entry in entries {
        if !keys.insert(key(&entry.at, &entry.answer)) {
            done.skipped += 1;
            continue;
        }
        if !ids.insert(entry.id.clone()) {
            entry.id = new_id();
            ids.insert(entry.id.clone());
        }
        new.push(entry);
    }
    new.sort_by_key(|e| e.at);
    done.imported = new.len();
    // The last moment to stop with nothing changed.
    if crate::interrupt::requested() {
        return Err(ImportError::Interrupted);
    }
    if new.is_empty() {
        return Ok(done);
    }
    let encode = |e: &Entry| serde_json::to_vec(e).map_err(io::Error::other);
    if existing == 0 && !path.exists() {
        files::replace_with(&path, &lock, |out| {
            for e in &new {
                out.write_all(&encode(e)?)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })
        .map_err(io_err("save", &path))?;
        return Ok(done);
    }
    // Merge: before each existing entry, the imported ones that are older than it.
    let mut pending = new.iter().peekable();
    let mut failure = None;
    files::rewrite_lines(&path, &lock, |_, line| {
        let Ok(current) = serde_json::from_slice::<AtOnly>(line) else {
            return Line::Keep;
        };
        let mut bytes = Vec::new();
        while let Some(e) = pending.next_if(|e| e.at < current.at) {
            match encode(e) {
                Ok(b) => {
                    bytes.extend_from_slice(&b);
                    bytes.push(b'\n');
                }
                Err(err) => failure = Some(err),
            }
        }
        if bytes.is_empty() {
            Line::Keep
        } else {
            bytes.extend_from_slice(line);
            Line::Replace(bytes)
        }
    })
    .map_err(io_err("save", &path))?;
    if let Some(e) = failure {
        return Err(io_err("encode an entry for", &path)(e).into());
    }
    let rest: Vec<String> = pending
        .map(json_line)
        .collect::<io::Result<_>>()
        .map_err(io_err("encode an entry for", &path))?;
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    if !rest.is_empty() {
        files::append_lines(&path, &rest, &lock).map_err(io_err("save to", &path))?;
    }
    Ok(done)
}

#[derive(Deserialize)]
struct AtOnly {
    at: DateTime<FixedOffset>,
}

/// Appends the records of another log that are not there yet (same id, or same record).
fn merge_log(store: &Store, name: &str, records: Vec<Value>) -> Result<usize, ImportError> {
    let file = format!("{name}.jsonl");
    let path = store.dir().join(&file);
    let lock = store.lock()?;
    let mut seen = HashSet::new();
    for item in store.oldest_records::<Value>(&file)? {
        if let Item::Entry(record) = item.map_err(io_err("read", &path))? {
            seen.insert(identity(&record));
        }
    }
    let mut lines = Vec::new();
    for record in records {
        if seen.insert(identity(&record)) {
            lines.push(json_line(&record).map_err(io_err("encode a record for", &path))?);
        }
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    if !refs.is_empty() {
        files::append_lines(&path, &refs, &lock).map_err(io_err("save to", &path))?;
    }
    Ok(lines.len())
}

fn identity(record: &Value) -> String {
    match record.get("id").and_then(Value::as_str) {
        Some(id) => format!("id:{id}"),
        None => record.to_string(),
    }
}
