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

use crate::journal::entry::{ENTRY_VERSION, Entry, kind};
use crate::journal::read::{Item, describe_json_error};
use crate::journal::store::files::{self, Line};
use crate::journal::{JOURNAL, Progress, Store, StoreError, io_err, new_id};

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
    let done = (new.len(), skipped);
    if new.is_empty() {
        return Ok(done);
    }
    let encode = |e: &Entry| serde_json::to_vec(e).map_err(io::Error::other);
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
    // Merge: before each existing entry, the imported ones that are older than it.
    let mut pending = new.iter().peekable();
    let mut failure = None;
    files::rewrite_lines(&path, lock, |_, line| {
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
        files::append_lines(&path, &rest, lock).map_err(io_err("save to", &path))?;
    }
    Ok(done)
}

/// An id `show`, `edit` and `delete` can address: 1 to 64 lowercase hex digits.
fn plain_id(id: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_logs_are_the_validly_named_ones_besides_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "journal.jsonl",
            "moods.jsonl",
            "contacts.jsonl",
            "check-ins.jsonl",
            "Odd Name.jsonl",
            "-dash.jsonl",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let store = Store::open(dir.path());
        assert_eq!(
            other_logs(&store).unwrap(),
            ["check-ins", "contacts", "moods"]
        );
    }

    #[test]
    fn a_missing_data_dir_has_no_other_logs_and_one_that_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("not-yet"));
        assert!(other_logs(&store).unwrap().is_empty());
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let err = other_logs(&Store::open(&file)).unwrap_err();
        assert!(err.to_string().starts_with("cannot read "), "{err}");
    }

    const AT: &str = "2026-11-29T20:15:00+01:00";

    fn entry_line(id: &str, at: &str, answer: &str) -> String {
        format!(r#"{{"v":1,"id":"{id}","at":"{at}","kind":"note","answer":"{answer}"}}"#)
    }

    fn mood_line(id: &str, score: u8) -> String {
        format!(r#"{{"v":1,"id":"{id}","at":"{AT}","score":{score}}}"#)
    }

    fn export(store: &Store) -> (String, Exported) {
        let mut out = Vec::new();
        let done = export_json(store, &mut out).unwrap();
        (String::from_utf8(out).unwrap(), done)
    }

    /// `line` as the export writes it (parsed and written compactly again).
    fn again<T: serde::de::DeserializeOwned + serde::Serialize>(line: &str) -> String {
        json_line(&serde_json::from_str::<T>(line).unwrap()).unwrap()
    }

    #[test]
    fn an_empty_data_dir_exports_an_empty_document() {
        let dir = tempfile::tempdir().unwrap();
        let (text, done) = export(&Store::open(dir.path()));
        assert_eq!(
            text,
            "{\n  \"format\": \"exback-export\",\n  \"version\": 1,\n  \"progress\": null,\n  \
             \"entries\": [],\n  \"logs\": {}\n}\n"
        );
        assert_eq!((done.entries, done.damaged), (0, 0));
    }

    #[test]
    fn the_export_lays_out_progress_entries_and_logs_one_record_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let progress = store.update_progress(&[]).unwrap();
        let e1 = entry_line("aaa", AT, "one");
        let e2 = entry_line("bbb", "2026-11-29T21:15:00+01:00", "two");
        std::fs::write(store.journal_path(), format!("{e1}\n{{nope\n{e2}\n")).unwrap();
        let c1 =
            r#"{"v":1,"id":"c1","at":"2026-11-29T20:15:00+01:00","channel":"text","from":"me"}"#;
        std::fs::write(dir.path().join("contacts.jsonl"), format!("{c1}\n")).unwrap();
        let (m1, m2) = (mood_line("m1", 3), mood_line("m2", 7));
        std::fs::write(dir.path().join("moods.jsonl"), format!("{m1}\n[\n{m2}\n")).unwrap();

        let (text, done) = export(&store);
        let expected = format!(
            "{{\n  \"format\": \"exback-export\",\n  \"version\": 1,\n  \"progress\": {},\n  \
             \"entries\": [\n    {},\n    {}\n  ],\n  \"logs\": {{\n    \"contacts\": [\n      {}\n    ],\n    \
             \"moods\": [\n      {},\n      {}\n    ]\n  }}\n}}\n",
            json_line(&progress).unwrap(),
            again::<Entry>(&e1),
            again::<Entry>(&e2),
            again::<Value>(c1),
            again::<Value>(&m1),
            again::<Value>(&m2),
        );
        assert_eq!(text, expected);
        assert_eq!((done.entries, done.damaged), (2, 2));

        // Imported into an empty data directory and exported again: the same bytes.
        let copy = tempfile::tempdir().unwrap();
        let copy_store = Store::open(copy.path());
        let done = import(&copy_store, text.as_bytes()).unwrap().done;
        assert_eq!(
            (
                done.imported,
                done.skipped,
                done.log_records,
                done.progress_restored
            ),
            (2, 0, 3, true)
        );
        assert_eq!(export(&copy_store).0, text);
    }

    #[test]
    fn an_import_skips_what_is_there_gives_taken_ids_new_ones_and_keeps_time_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let early = entry_line("aaa", "2026-11-01T10:00:00+01:00", "early");
        let late = entry_line("bbb", "2026-11-03T10:00:00+01:00", "late");
        std::fs::write(store.journal_path(), format!("{early}\n{late}\n")).unwrap();
        store
            .add_mood(&serde_json::from_str(&mood_line("m1", 3)).unwrap())
            .unwrap();
        store.update_progress(&[]).unwrap();
        let between = entry_line("aaa", "2026-11-02T10:00:00+01:00", "between");
        let last = entry_line("NOT-HEX", "2026-11-04T10:00:00+01:00", "last");
        let file = format!(
            r#"{{"format":"exback-export","version":1,"progress":{{}},"entries":[{last},{early},{between}],"logs":{{"moods":[{},{}]}}}}"#,
            mood_line("m1", 3),
            mood_line("m2", 5)
        );
        let done = import(&store, file.as_bytes()).unwrap().done;
        assert_eq!(done.source, "exback");
        assert_eq!((done.imported, done.skipped, done.log_records), (2, 1, 1));
        assert!(done.progress_kept && !done.progress_restored);
        let entries: Vec<Entry> = std::fs::read_to_string(store.journal_path())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let answers: Vec<&str> = entries.iter().map(|e| e.answer.as_str()).collect();
        assert_eq!(answers, ["early", "between", "late", "last"]);
        let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 4, "every id is unique");
        assert!(entries.iter().all(|e| plain_id(&e.id)), "{entries:?}");
        assert_eq!(entries[0].id, "aaa");
        let moods = std::fs::read_to_string(dir.path().join("moods.jsonl")).unwrap();
        assert_eq!(moods.lines().count(), 2);
    }

    #[test]
    fn an_import_that_cannot_be_used_says_why_and_imports_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let head = r#"{"format":"exback-export","entries":[],"version":"#;
        let said = |file: String| import(&store, file.as_bytes()).err().unwrap().to_string();
        assert_eq!(
            said(format!("{head}2}}")),
            "this export is format version 2, newer than this exback reads (1); nothing was imported"
        );
        assert_eq!(
            said(format!(r#"{head}1,"logs":{{"journal":[]}}}}"#)),
            "the export names a log \"journal\" that exback does not keep; nothing was imported"
        );
        assert_eq!(
            said(format!(r#"{head}1,"logs":{{"Moods":[]}}}}"#)),
            "the export names a log \"Moods\" that exback does not keep; nothing was imported"
        );
        assert_eq!(
            said(format!(
                r#"{head}1,"logs":{{"moods":[{},{}]}}}}"#,
                mood_line("m1", 3),
                mood_line("m2", 11)
            )),
            "record 2 of \"moods\" is a mood check-in whose score is not between 1 and 10; \
             nothing was imported"
        );
        assert_eq!(
            said(r#"{"entries":[]}"#.into()),
            "this is neither an exback export nor a jrnl JSON export; nothing was imported"
        );
        assert!(!store.journal_path().exists());
        assert!(!dir.path().join("moods.jsonl").exists());
    }

    #[test]
    fn a_jrnl_entry_becomes_a_note_with_its_text_tags_and_star() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let file = r##"{"tags": {}, "entries": [
            {"title": " Hello ", "body": " more words \n", "date": "2026-11-20", "time": "18:30",
             "tags": ["@sad", "#sad", "@", "tired", "@starred"], "starred": true},
            {"title": "Just a title", "body": "  ", "date": "2026-11-21", "time": "09:05",
             "tags": [], "starred": true},
            {"title": "Plain", "date": "2026-11-22", "time": "07:00"}
        ]}"##;
        let done = import(&store, file.as_bytes()).unwrap().done;
        assert_eq!((done.source, done.imported, done.skipped), ("jrnl", 3, 0));
        let entries: Vec<Entry> = std::fs::read_to_string(store.journal_path())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let seen: Vec<(&str, Vec<&str>)> = entries
            .iter()
            .map(|e| {
                (
                    e.answer.as_str(),
                    e.tags.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("Hello\nmore words", vec!["sad", "tired", "starred"]),
                ("Just a title", vec!["starred"]),
                ("Plain", vec![]),
            ]
        );
        assert!(
            entries
                .iter()
                .all(|e| e.kind == "note" && e.extra["imported_from"] == "jrnl")
        );
        // The same file again adds nothing.
        let again = import(&store, file.as_bytes()).unwrap().done;
        assert_eq!((again.imported, again.skipped), (0, 3));
    }

    #[test]
    fn a_jrnl_entry_with_an_unreadable_date_or_time_is_named_by_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let file = |date: &str, time: &str| {
            format!(
                r#"{{"tags": {{}}, "entries": [
                {{"title": "ok", "date": "2026-11-20", "time": "18:30"}},
                {{"title": "bad", "date": "{date}", "time": "{time}"}}]}}"#
            )
        };
        let said = |f: String| import(&store, f.as_bytes()).err().unwrap().to_string();
        assert_eq!(
            said(file("20 Nov", "18:30")),
            "entry 2 has an unreadable date; nothing was imported"
        );
        assert_eq!(
            said(file("2026-11-20", "6pm")),
            "entry 2 has an unreadable time; nothing was imported"
        );
        assert!(!store.journal_path().exists());
    }

    #[test]
    fn an_import_into_a_journal_of_damaged_lines_only_keeps_them_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::write(store.journal_path(), "{damaged\n").unwrap();
        let e = entry_line("aaa", AT, "one");
        let file = format!(r#"{{"format":"exback-export","version":1,"entries":[{e}]}}"#);
        assert_eq!(import(&store, file.as_bytes()).unwrap().done.imported, 1);
        let text = std::fs::read_to_string(store.journal_path()).unwrap();
        assert_eq!(text, format!("{{damaged\n{}\n", again::<Entry>(&e)));
    }

    #[test]
    fn an_imported_entry_at_the_same_moment_as_one_here_goes_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let here = entry_line("aaa", AT, "here");
        let later = entry_line("ccc", "2026-11-30T20:15:00+01:00", "later");
        std::fs::write(store.journal_path(), format!("{here}\n{later}\n")).unwrap();
        let same = entry_line("bbb", AT, "same moment");
        let file = format!(r#"{{"format":"exback-export","version":1,"entries":[{same}]}}"#);
        import(&store, file.as_bytes()).unwrap();
        let text = std::fs::read_to_string(store.journal_path()).unwrap();
        assert_eq!(
            text,
            format!("{here}\n{}\n{later}\n", again::<Entry>(&same))
        );
    }

    #[test]
    fn plain_ids_are_one_to_64_lowercase_hex_digits() {
        assert!(plain_id("0123456789abcdef"));
        assert!(plain_id("a"));
        assert!(plain_id(&"f".repeat(64)));
        assert!(!plain_id(""));
        assert!(!plain_id(&"f".repeat(65)));
        assert!(!plain_id("ABC"));
        assert!(!plain_id("abg"));
        assert!(!plain_id("../x"));
    }
}
