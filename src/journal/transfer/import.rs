//! The import: exback's own export or jrnl's JSON export, checked whole, planned, then
//! merged into the data directory so that nothing already there is duplicated.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::journal::entry::{ENTRY_VERSION, Entry, kind};
use crate::journal::read::{Item, describe_json_error};
use crate::journal::store::files::{self, Line};
use crate::journal::{JOURNAL, Progress, Store, StoreError, io_err, new_id};

use super::{EXPORT_FORMAT, EXPORT_VERSION, json_line, valid_log_name};

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
    /// Writing failed part of the way through: what was written stays.
    #[error(
        "{error}. Already imported: {} entr{}, {} other record(s){}; importing the file again adds \
         the rest and skips what is already here",
        done.imported,
        if done.imported == 1 { "y" } else { "ies" },
        done.log_records,
        if done.progress_restored { ", your progress" } else { "" }
    )]
    Partly {
        done: Box<Imported>,
        error: StoreError,
    },
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
#[allow(clippy::struct_field_names)] // read as `done.imported`, next to `done.skipped`
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
    /// jrnl entries at a local time skipped by daylight saving, and where they went.
    pub shifted: Vec<Shifted>,
    /// jrnl entries with no text at all (title and body blank), not imported: a blank
    /// entry is never saved.
    pub empty: usize,
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

/// A finished import. Ctrl-C is held off until this is dropped, so that the caller
/// can say what was imported before a Ctrl-C pressed meanwhile takes effect.
pub struct Committed {
    pub done: Imported,
    _saving: files::Saving,
}

/// Everything an import will write, checked in full before the first write.
struct Plan {
    source: &'static str,
    entries: Vec<Entry>,
    progress: Option<Progress>,
    logs: BTreeMap<String, Vec<Value>>,
    shifted: Vec<Shifted>,
    /// Entries of the file with no text, left out.
    empty: usize,
}

/// Imports `bytes` (an exback export or a jrnl JSON export) into the store, all or
/// nothing: every entry, progress and log record is checked before anything is
/// written, and the writes happen under one lock with Ctrl-C held off.
pub fn import(store: &Store, bytes: &[u8]) -> Result<Committed, ImportError> {
    let plan = plan(bytes)?;
    let saving = files::saving();
    // The last moment to stop with nothing changed; from here on, Ctrl-C waits.
    if crate::interrupt::requested() {
        return Err(ImportError::Interrupted);
    }
    let lock = store.lock()?;
    let mut done = Imported {
        source: plan.source,
        shifted: plan.shifted,
        empty: plan.empty,
        ..Imported::default()
    };
    let partly = |done: &Imported, error: StoreError| ImportError::Partly {
        done: Box::new(done.clone()),
        error,
    };
    let (imported, skipped) = merge_entries(store, &lock, plan.entries)?;
    done.imported = imported;
    done.skipped = skipped;
    if let Some(progress) = plan.progress {
        if store.progress_path().exists() {
            done.progress_kept = true;
        } else {
            store
                .write_progress(&progress, &lock)
                .map_err(|e| partly(&done, e))?;
            done.progress_restored = true;
        }
    }
    for (name, records) in plan.logs {
        done.log_records +=
            merge_log(store, &lock, &name, records).map_err(|e| partly(&done, e))?;
    }
    Ok(Committed {
        done,
        _saving: saving,
    })
}

/// Reads and checks the whole file; nothing is written here.
fn plan(bytes: &[u8]) -> Result<Plan, ImportError> {
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
        for (name, records) in &doc.logs {
            if !valid_log_name(name) || format!("{name}.jsonl") == JOURNAL {
                return Err(ImportError::Invalid(format!(
                    "the export names a log {name:?} that exback does not keep"
                )));
            }
            let file = format!("{name}.jsonl");
            for (i, record) in records.iter().enumerate() {
                crate::journal::store::check_record(&file, record.clone()).map_err(|reason| {
                    ImportError::Invalid(format!("record {} of {name:?} {reason}", i + 1))
                })?;
            }
        }
        Ok(Plan {
            source: "exback",
            entries: doc.entries,
            progress: doc.progress,
            logs: doc.logs,
            shifted: Vec::new(),
            empty: 0,
        })
    } else if is_jrnl {
        let doc: JrnlExport = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
        let mut shifted = Vec::new();
        let total = doc.entries.len();
        let entries = doc
            .entries
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| from_jrnl(i, &e, &mut shifted).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Plan {
            source: "jrnl",
            empty: total - entries.len(),
            entries,
            progress: None,
            logs: BTreeMap::new(),
            shifted,
        })
    } else {
        Err(ImportError::UnknownFormat)
    }
}

/// A jrnl entry whose local time does not exist on this clock (skipped by daylight
/// saving), saved at the later instant that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shifted {
    /// 1-based position in the file.
    pub entry: usize,
    /// The time as written, `YYYY-MM-DD HH:MM`.
    pub written: String,
    /// The time saved, in the same form.
    pub saved: String,
}

/// The instant a wall-clock time means here. A time skipped by daylight saving is read
/// with the offset from before the jump, which lands as far past the jump as the time
/// was past its start (02:30 becomes 03:30): the later valid instant, as git and most
/// calendars do. `None` only if no offset around it can be found.
fn local_instant(naive: chrono::NaiveDateTime) -> Option<(DateTime<FixedOffset>, bool)> {
    use chrono::LocalResult;
    match Local.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some((t.fixed_offset(), false)),
        LocalResult::None => {
            let before = Local
                .from_local_datetime(&(naive - chrono::Duration::hours(6)))
                .earliest()?;
            let offset = *before.offset();
            let utc = naive
                - chrono::Duration::seconds(i64::from(
                    chrono::Offset::fix(&offset).local_minus_utc(),
                ));
            let at = chrono::Utc.from_utc_datetime(&utc).with_timezone(&Local);
            Some((at.fixed_offset(), true))
        }
    }
}

/// Turns one jrnl entry into a free entry, keeping its time, tags and star; `None` for
/// an entry with no text (its date and time are still checked).
fn from_jrnl(
    index: usize,
    e: &JrnlEntry,
    shifted: &mut Vec<Shifted>,
) -> Result<Option<Entry>, ImportError> {
    let bad =
        |what: &str| ImportError::Invalid(format!("entry {} has an unreadable {what}", index + 1));
    let date = NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let time = NaiveTime::parse_from_str(&e.time, "%H:%M").map_err(|_| bad("time"))?;
    let (at, moved) = local_instant(date.and_time(time)).ok_or_else(|| bad("time"))?;
    if e.title.trim().is_empty() && e.body.trim().is_empty() {
        return Ok(None);
    }
    if moved {
        shifted.push(Shifted {
            entry: index + 1,
            written: format!("{} {}", e.date, e.time),
            saved: at.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    let body = e.body.trim();
    let text = if body.is_empty() {
        e.title.trim().to_string()
    } else {
        format!("{}\n{body}", e.title.trim())
    };
    // A set beside the list keeps the first spelling of each tag, in order, in one pass.
    let mut seen = HashSet::new();
    let mut tags: Vec<String> = Vec::new();
    // Kept even when not one word: an import never drops what the user wrote.
    for tag in e.tags.iter().map(|t| crate::journal::tags::bare(t)) {
        if !tag.is_empty() && seen.insert(tag) {
            tags.push(tag.to_string());
        }
    }
    if e.starred && !seen.contains("starred") {
        tags.push("starred".into());
    }
    let mut extra = Map::new();
    extra.insert("imported_from".into(), Value::from("jrnl"));
    Ok(Some(Entry {
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
        option_ids: Vec::new(),
        edited_at: None,
        tags,
        outcome: None,
        extra,
    }))
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
fn merge_entries(
    store: &Store,
    lock: &files::Lock,
    entries: Vec<Entry>,
) -> Result<(usize, usize), ImportError> {
    let path = store.journal_path();
    let (new, skipped, existing) = entries_to_add(store, entries)?;
    let done = (new.len(), skipped);
    if new.is_empty() {
        return Ok(done);
    }
    if existing == 0 && !path.exists() {
        files::replace_with(&path, lock, |out| {
            for e in &new {
                out.write_all(&encode(e)?)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })
        .map_err(io_err("save", &path))?;
        return Ok(done);
    }
    insert_in_time_order(&path, lock, &new)?;
    Ok(done)
}

/// The entries not in the journal yet, in time order, each with an id of its own; how
/// many were skipped as already there; how many entries the journal has.
fn entries_to_add(
    store: &Store,
    entries: Vec<Entry>,
) -> Result<(Vec<Entry>, usize, usize), ImportError> {
    let path = store.journal_path();
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
    let mut skipped = 0;
    let mut new = Vec::with_capacity(entries.len());
    for mut entry in entries {
        if !keys.insert(key(&entry.at, &entry.answer)) {
            skipped += 1;
            continue;
        }
        // Ids stay unique: one that is taken (or not a plain id) gets a fresh one.
        while !plain_id(&entry.id) || !ids.insert(entry.id.clone()) {
            entry.id = new_id();
        }
        new.push(entry);
    }
    new.sort_by_key(|e| e.at);
    Ok((new, skipped, existing))
}

fn encode(e: &Entry) -> io::Result<Vec<u8>> {
    serde_json::to_vec(e).map_err(io::Error::other)
}

/// Merges `new` (in time order) into the journal at `path`: before each existing entry,
/// the imported ones that are older than it; the rest at the end.
fn insert_in_time_order(path: &Path, lock: &files::Lock, new: &[Entry]) -> Result<(), ImportError> {
    let mut pending = new.iter().peekable();
    let mut failure = None;
    files::rewrite_lines(path, lock, |_, line| {
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
    .map_err(io_err("save", path))?;
    if let Some(e) = failure {
        return Err(io_err("encode an entry for", path)(e).into());
    }
    let rest: Vec<String> = pending
        .map(json_line)
        .collect::<io::Result<_>>()
        .map_err(io_err("encode an entry for", path))?;
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    if !rest.is_empty() {
        files::append_lines(path, &rest, lock).map_err(io_err("save to", path))?;
    }
    Ok(())
}

/// An id `show`, `edit` and `delete` can address: 1 to 64 lowercase hex digits.
pub(super) fn plain_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[derive(Deserialize)]
struct AtOnly {
    at: DateTime<FixedOffset>,
}

/// Appends the records of another log that are not there yet (same id, or same record).
/// The records were checked before the import began.
fn merge_log(
    store: &Store,
    lock: &files::Lock,
    name: &str,
    records: Vec<Value>,
) -> Result<usize, StoreError> {
    let file = format!("{name}.jsonl");
    let path = store.dir().join(&file);
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
        files::append_lines(&path, &refs, lock).map_err(io_err("save to", &path))?;
    }
    Ok(lines.len())
}

fn identity(record: &Value) -> String {
    match record.get("id").and_then(Value::as_str) {
        Some(id) => format!("id:{id}"),
        None => record.to_string(),
    }
}
