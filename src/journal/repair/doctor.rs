//! `exback doctor`'s checks and repairs of the data directory. Checking never writes;
//! repairing moves damaged parts aside to `damaged-<time>-<file>` and keeps the rest.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::journal::read::describe_json_error;
use crate::journal::store::files::{self, Line};
use crate::journal::store::{remove_stale_temp_files, temp_files};
use crate::journal::{PROGRESS, Store, StoreError, io_err};

/// The state of one data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Missing,
    /// Readable; `records` is the number of records (1 for a document).
    Fine {
        records: usize,
    },
    /// Some lines (or the whole document) do not parse; the rest is readable.
    Damaged {
        records: usize,
        lines: Vec<(usize, String)>,
    },
    /// Written by a newer exback: readable where possible, never changed here.
    Newer {
        found: u32,
    },
    /// Cannot be opened or read at all (permission, a link, a FIFO...): why, in words.
    Unreadable(String),
}

/// One file's report.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub health: Health,
    /// Bytes at the end of the file left by a save cut short (never acknowledged);
    /// the next save moves them aside.
    pub unfinished: usize,
    /// Records held more than once, and ids held by different records.
    pub duplicates: Duplicates,
}

/// The records of one log that share an id (docs/storage.md, "Duplicates").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duplicates {
    /// Lines that hold, byte for byte once opened, a record an earlier line holds:
    /// (the copy's line, the first line). Every reader reads such a record once;
    /// `--repair` moves the copies aside.
    pub copies: Vec<(usize, usize)>,
    /// Ids that different records hold: the id and the first line of each record.
    /// Readers show each record; `--repair` gives each but the first a new id.
    pub shared: Vec<(String, Vec<usize>)>,
}

impl Duplicates {
    pub fn is_empty(&self) -> bool {
        self.copies.is_empty() && self.shared.is_empty()
    }
}

/// Everything `doctor` found.
#[derive(Debug, Clone)]
pub struct Report {
    pub files: Vec<FileReport>,
    /// Temporary files left by an interrupted save (ignored by every other command).
    pub temp_files: Vec<PathBuf>,
    /// The data directory can be read by other users.
    pub open_to_others: bool,
    /// Files of bytes set aside beside the data (`damaged-…`, `merged-…`), oldest first.
    pub set_aside: Vec<SetAside>,
}

/// A file of bytes exback set aside and never deletes: damaged or unfinished lines,
/// extra copies of records, a damaged progress file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub path: PathBuf,
    pub bytes: u64,
    /// When it was last written, if the system says.
    pub written: Option<std::time::SystemTime>,
}

/// The names of the files that hold bytes set aside.
const SET_ASIDE_PREFIXES: [&str; 2] = ["damaged-", "merged-"];

/// The set-aside files of `dir`, oldest first (by name: the time is in it).
fn set_aside_files(dir: &Path) -> Vec<SetAside> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<SetAside> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            SET_ASIDE_PREFIXES.iter().any(|p| name.starts_with(p))
        })
        .map(|e| {
            // Without following a link: what is listed is what is there.
            let meta = std::fs::symlink_metadata(e.path()).ok();
            SetAside {
                path: e.path(),
                bytes: meta.as_ref().map_or(0, std::fs::Metadata::len),
                written: meta.and_then(|m| m.modified().ok()),
            }
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

impl Report {
    /// Number of damaged files.
    pub fn damaged(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.health, Health::Damaged { .. }))
            .count()
    }

    /// Number of files that cannot be read at all (repair cannot help with these).
    pub fn unreadable(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.health, Health::Unreadable(_)))
            .count()
    }

    /// Number of files holding a record twice, or an id on different records.
    pub fn duplicated(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.duplicates.is_empty())
            .count()
    }

    /// Number of files ending in an unfinished save.
    pub fn unfinished(&self) -> usize {
        self.files.iter().filter(|f| f.unfinished > 0).count()
    }
}

/// What a repair did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Repaired {
    /// Files written with the damaged parts: (aside file, number of lines or 1 for a document).
    /// The file written with the damaged parts, and how many lines (`None`: a whole file).
    pub moved_aside: Vec<(PathBuf, Option<usize>)>,
    pub temp_files_removed: usize,
    /// A damaged progress file was rebuilt from what parsed: what could not be kept.
    pub progress_lost: Option<Vec<crate::journal::Lost>>,
    /// The onboarding answers are unknown now and will be asked again.
    pub onboarding_again: bool,
    /// Logs whose extra copies of records were moved aside, or whose records sharing
    /// an id were given ids of their own: the aside file (holding the copies and the
    /// renamed records as they were), how many copies, how many records renamed.
    pub duplicates: Vec<(PathBuf, usize, usize)>,
}

fn jsonl_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .filter(|p| {
                !SET_ASIDE_PREFIXES
                    .iter()
                    .any(|prefix| file_name(p).starts_with(prefix))
                    && !file_name(p).starts_with(files::TEMP_PREFIX)
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_err("read", dir)(e)),
    };
    files.sort();
    Ok(files)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Classifies one line of a JSONL file: `Ok(newer)` or `Err(reason)`.
fn check_line(name: &str, line: &[u8]) -> Result<bool, (usize, String)> {
    // A sealed record: its form is all that can be checked without the passphrase;
    // with it, it must open and hold a good record.
    if crate::journal::store::seal::is_sealed(line) {
        let Some(key) = crate::journal::store::seal::current() else {
            return Ok(false);
        };
        let plain = key
            .open(name, line)
            .ok_or_else(|| (1, crate::journal::store::seal::NOT_OPENED.to_string()))?;
        return check_line(name, plain.trim_ascii());
    }
    let fail = |e: &serde_json::Error| (e.column().max(1), describe_json_error(e));
    let value: Value = serde_json::from_slice(line).map_err(|e| fail(&e))?;
    let newer = crate::journal::store::check_record(name, value).map_err(|reason| (1, reason))?;
    if !newer {
        read_as_readers_do(name, line).map_err(|e| fail(&e))?;
    }
    Ok(newer)
}

/// Parses a record of a log exback reads straight from its bytes, as every reader
/// does: what parses as a `Value` first may still not be a record to them (a field
/// given twice, which a `Value` keeps only the last of).
fn read_as_readers_do(name: &str, line: &[u8]) -> Result<(), serde_json::Error> {
    match name {
        crate::journal::JOURNAL => serde_json::from_slice::<crate::journal::Entry>(line).map(drop),
        crate::journal::contact::CONTACTS => {
            serde_json::from_slice::<crate::journal::Contact>(line).map(drop)
        }
        crate::journal::mood::MOODS => {
            serde_json::from_slice::<crate::journal::Mood>(line).map(drop)
        }
        _ => Ok(()),
    }
}

/// Why a data file cannot be read, in words (permission, link, FIFO...).
fn unreadable(e: &std::io::Error) -> String {
    if files::is_not_regular(e) {
        e.to_string()
    } else if e.kind() == std::io::ErrorKind::PermissionDenied {
        "cannot read (permission): exback needs to read and write its own files (`chmod 600` it)"
            .into()
    } else {
        format!("cannot read: {e}")
    }
}

fn check_jsonl(path: &Path) -> (Health, usize, Duplicates) {
    let name = file_name(path);
    let text = match files::read_all(path) {
        Ok(t) => t,
        Err(e) => return (Health::Unreadable(unreadable(&e)), 0, Duplicates::default()),
    };
    let (text, unfinished) = split_unfinished(&text);
    let mut records = 0;
    let mut damaged = Vec::new();
    let mut ids = Ids::default();
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if line.trim_ascii().is_empty() {
            continue;
        }
        match check_line(&name, line.trim_ascii()) {
            Ok(_) => {
                records += 1;
                ids.add(&name, i + 1, line.trim_ascii());
            }
            Err((column, reason)) => damaged.push((i + 1, format!("column {column}: it {reason}"))),
        }
    }
    let health = if damaged.is_empty() {
        Health::Fine { records }
    } else {
        Health::Damaged {
            records,
            lines: damaged,
        }
    };
    (health, unfinished, ids.duplicates())
}

/// The ids of a log's good records, as they are read, to find the records held twice
/// and the ids held by different records.
#[derive(Default)]
struct Ids {
    /// Each id: the different records holding it, as (hash of the opened line, the
    /// first line holding it), in the order they came.
    seen: std::collections::HashMap<String, Vec<(u64, usize)>>,
    order: Vec<String>,
    copies: Vec<(usize, usize)>,
}

impl Ids {
    /// Notes the good record on line `number` (sealed or not).
    fn add(&mut self, name: &str, number: usize, line: &[u8]) {
        #[derive(serde::Deserialize)]
        struct Id {
            id: String,
        }
        let opened;
        let plain = match crate::journal::store::seal::current() {
            Some(key) if crate::journal::store::seal::is_sealed(line) => match key.open(name, line)
            {
                Some(plain) => {
                    opened = plain;
                    opened.trim_ascii()
                }
                None => return,
            },
            _ => line,
        };
        let Ok(Id { id }) = serde_json::from_slice::<Id>(plain) else {
            return;
        };
        let key = crate::journal::read::line_key(plain);
        let records = self.seen.entry(id).or_insert_with_key(|id| {
            self.order.push(id.clone());
            Vec::new()
        });
        match records.iter().find(|(k, _)| *k == key) {
            Some(&(_, first)) => self.copies.push((number, first)),
            None => records.push((key, number)),
        }
    }

    fn duplicates(mut self) -> Duplicates {
        let shared = self
            .order
            .iter()
            .filter_map(|id| {
                let records = self.seen.remove(id)?;
                (records.len() > 1)
                    .then(|| (id.clone(), records.iter().map(|(_, line)| *line).collect()))
            })
            .collect();
        Duplicates {
            copies: self.copies,
            shared,
        }
    }
}

/// Splits off the unfinished last save of a file (see [`crate::journal::read::is_unfinished`]):
/// the text to check and the number of bytes after it.
fn split_unfinished(text: &[u8]) -> (&[u8], usize) {
    if text.last() == Some(&b'\n') {
        return (text, 0);
    }
    let start = memchr::memrchr(b'\n', text).map_or(0, |i| i + 1);
    if crate::journal::read::is_unfinished(&text[start..]) {
        (&text[..start], text.len() - start)
    } else {
        (text, 0)
    }
}

fn check_progress(store: &Store) -> Health {
    if crate::journal::store::seal::current().is_none()
        && files::read_all(&store.progress_path())
            .is_ok_and(|b| crate::journal::store::seal::is_sealed(&b))
    {
        return Health::Fine { records: 1 };
    }
    match store.writable_progress() {
        Ok(_) if !store.progress_path().exists() => Health::Missing,
        Ok(_) => Health::Fine { records: 1 },
        Err(StoreError::Newer { found, .. }) => Health::Newer { found },
        Err(StoreError::Damaged {
            line,
            column,
            reason,
            ..
        }) => Health::Damaged {
            records: 0,
            lines: vec![(line, format!("column {column}: it {reason}"))],
        },
        Err(StoreError::Io { error, .. }) => Health::Unreadable(unreadable(&error)),
    }
}

/// Checks every file in the data directory. Writes nothing.
pub fn check(store: &Store) -> Result<Report, StoreError> {
    let mut files = vec![FileReport {
        path: store.progress_path(),
        health: check_progress(store),
        unfinished: 0,
        duplicates: Duplicates::default(),
    }];
    let journal = store.journal_path();
    let mut logs = jsonl_files(store.dir())?;
    if !logs.contains(&journal) {
        files.push(FileReport {
            path: journal,
            health: Health::Missing,
            unfinished: 0,
            duplicates: Duplicates::default(),
        });
    }
    for path in logs.drain(..) {
        let (health, unfinished, duplicates) = check_jsonl(&path);
        files.push(FileReport {
            path,
            health,
            unfinished,
            duplicates,
        });
    }
    // The lock file holds nothing, but every save opens it: one that is a link or a
    // pipe stops every save, so it is shown here too (only when it is wrong).
    let lock = store.dir().join(crate::journal::LOCK);
    if std::fs::symlink_metadata(&lock).is_ok()
        && let Err(e) = files::open_read(&lock)
    {
        files.push(FileReport {
            path: lock,
            health: Health::Unreadable(unreadable(&e)),
            unfinished: 0,
            duplicates: Duplicates::default(),
        });
    }
    Ok(Report {
        files,
        temp_files: temp_files(store.dir()),
        open_to_others: store.readable_by_others(),
        set_aside: set_aside_files(store.dir()),
    })
}

/// Moves every damaged line (and a damaged progress file) aside, keeps everything else,
/// and removes temporary files left by interrupted saves. Runs under the lock.
pub(crate) fn repair(store: &Store, now: DateTime<FixedOffset>) -> Result<Repaired, StoreError> {
    let lock = store.lock_only()?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut done = Repaired {
        temp_files_removed: remove_stale_temp_files(store.dir(), &lock)?,
        ..Repaired::default()
    };

    if matches!(check_progress(store), Health::Damaged { .. }) {
        let path = store.progress_path();
        let bytes = files::read_all(&path).map_err(io_err("read", &path))?;
        let aside =
            files::create_aside(store.dir(), &format!("damaged-{stamp}-{PROGRESS}"), &bytes)
                .map_err(io_err("move aside", &path))?;
        // What parses is written back; the original stays whole in the aside file.
        let salvaged = crate::journal::progress::salvage(&bytes);
        store.write_progress(&salvaged.progress, &lock)?;
        done.moved_aside.push((aside, None));
        done.progress_lost = Some(salvaged.lost);
        done.onboarding_again = salvaged.progress.onboarding_unknown;
    }

    for path in jsonl_files(store.dir())? {
        if let Some(aside) =
            files::set_aside_unfinished(&path, &lock).map_err(io_err("repair", &path))?
        {
            done.moved_aside.push((aside, Some(1)));
        }
        if !matches!(check_jsonl(&path).0, Health::Damaged { .. }) {
            continue;
        }
        // First the damaged lines are copied aside, then the file is rewritten without
        // them: if either step fails, nothing has been lost.
        let name = file_name(&path);
        let text = files::read_all(&path).map_err(io_err("read", &path))?;
        let mut damaged: Vec<u8> = Vec::new();
        let mut numbers = std::collections::HashSet::new();
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            if !line.trim_ascii().is_empty() && check_line(&name, line.trim_ascii()).is_err() {
                damaged.extend_from_slice(line);
                damaged.push(b'\n');
                numbers.insert(i + 1);
            }
        }
        let aside = files::create_aside(
            store.dir(),
            &format!("damaged-{stamp}-{}", file_name(&path)),
            &damaged,
        )
        .map_err(io_err("move damaged lines aside from", &path))?;
        files::rewrite_lines(&path, &lock, |n, _| {
            if numbers.contains(&n) {
                Line::Drop
            } else {
                Line::Keep
            }
        })
        .map_err(io_err("repair", &path))?;
        done.moved_aside.push((aside, Some(numbers.len())));
    }
    for path in jsonl_files(store.dir())? {
        if let Some(repaired) = repair_duplicates(store, &path, &lock, &stamp.to_string())? {
            done.duplicates.push(repaired);
        }
    }
    Ok(done)
}

/// Moves the extra copies of records in the log `path` aside, and gives each record
/// that shares its id with a different, earlier one a new id. The lines as they were
/// are first written to `damaged-<time>-<name>`, then the log is rewritten without the
/// copies: if either step fails, nothing has been lost. Runs under the lock.
fn repair_duplicates(
    store: &Store,
    path: &Path,
    lock: &files::Lock,
    stamp: &str,
) -> Result<Option<(PathBuf, usize, usize)>, StoreError> {
    let (_, _, duplicates) = check_jsonl(path);
    if duplicates.is_empty() {
        return Ok(None);
    }
    let copies: std::collections::HashSet<usize> =
        duplicates.copies.iter().map(|(line, _)| *line).collect();
    // Every record but the first under a shared id; its copies go as copies.
    let renamed: std::collections::HashSet<usize> = duplicates
        .shared
        .iter()
        .flat_map(|(_, lines)| lines.iter().skip(1).copied())
        .collect();
    let name = file_name(path);
    let text = files::read_all(path).map_err(io_err("read", path))?;
    let mut aside = Vec::new();
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if copies.contains(&(i + 1)) || renamed.contains(&(i + 1)) {
            aside.extend_from_slice(line);
            aside.push(b'\n');
        }
    }
    let aside = files::create_aside(store.dir(), &format!("damaged-{stamp}-{name}"), &aside)
        .map_err(io_err("move copied records aside from", path))?;
    let mut failed = None;
    files::rewrite_lines(path, lock, |n, line| {
        if copies.contains(&n) {
            return Line::Drop;
        }
        if !renamed.contains(&n) {
            return Line::Keep;
        }
        match with_new_id(&name, line.trim_ascii()) {
            Ok(bytes) => Line::Replace(bytes),
            Err(e) => {
                failed = Some(e);
                Line::Keep
            }
        }
    })
    .map_err(io_err("repair", path))?;
    if let Some(e) = failed {
        return Err(io_err("give a new id to a record of", path)(
            std::io::Error::other(e),
        ));
    }
    Ok(Some((aside, copies.len(), renamed.len())))
}

/// The record on `line` (opened) with a fresh id, every other field as it was. A
/// journal entry keeps its fields in the order exback writes them.
fn with_new_id(name: &str, line: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    if name == crate::journal::JOURNAL {
        let mut entry: crate::journal::Entry = serde_json::from_slice(line)?;
        entry.id = crate::journal::new_id();
        return serde_json::to_vec(&entry);
    }
    let mut record: serde_json::Map<String, Value> = serde_json::from_slice(line)?;
    record.insert("id".into(), Value::String(crate::journal::new_id()));
    serde_json::to_vec(&record)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        r#"{"v":1,"id":"abc","at":"2026-11-29T20:15:00+01:00","kind":"note","answer":"x"}"#;
    /// What a save cut short leaves at the end of a log: part of a record, no newline.
    const CUT: &str = r#"{"v":1,"id":"cut","at":"2026-11"#;

    /// Each file's name, health and unfinished bytes, in the report's order.
    fn summary(report: &Report) -> Vec<(String, Health, usize)> {
        report
            .files
            .iter()
            .map(|f| (file_name(&f.path), f.health.clone(), f.unfinished))
            .collect()
    }

    fn is_damaged(health: &Health, records: usize, line: usize) -> bool {
        matches!(health, Health::Damaged { records: r, lines } if *r == records && lines.len() == 1 && lines[0].0 == line)
    }

    #[test]
    fn a_healthy_data_dir_reports_nothing_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::write(store.journal_path(), format!("{GOOD}\n{GOOD}\n")).unwrap();
        let report = check(&store).unwrap();
        assert_eq!(
            summary(&report),
            [
                ("progress.json".to_string(), Health::Missing, 0),
                ("journal.jsonl".to_string(), Health::Fine { records: 2 }, 0),
            ]
        );
        assert_eq!(
            (report.damaged(), report.unreadable(), report.unfinished()),
            (0, 0, 0)
        );
        store.update_progress(&[]).unwrap();
        let report = check(&store).unwrap();
        assert_eq!(report.files[0].health, Health::Fine { records: 1 });
    }

    #[test]
    fn check_counts_damaged_unreadable_and_unfinished_files_and_skips_set_aside_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let path = |name: &str| dir.path().join(name);
        std::fs::write(
            store.journal_path(),
            format!("{GOOD}\n{{nope\n\n{GOOD}\n{CUT}"),
        )
        .unwrap();
        std::fs::write(path("contacts.jsonl"), format!("[1]\n{CUT}")).unwrap();
        std::os::unix::fs::symlink(path("elsewhere"), path("moods.jsonl")).unwrap();
        std::os::unix::fs::symlink(path("elsewhere"), path("exback.lock")).unwrap();
        // Damage already moved aside and a temp file are not logs to check.
        std::fs::write(path("damaged-20261129-201500-journal.jsonl"), "{nope\n").unwrap();
        std::fs::write(path(".tmp-journal.jsonl.1.2.jsonl"), "{nope\n").unwrap();
        std::fs::write(path("notes.txt"), "{nope\n").unwrap();

        let report = check(&store).unwrap();
        let files = summary(&report);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "progress.json",
                "contacts.jsonl",
                "journal.jsonl",
                "moods.jsonl",
                "exback.lock"
            ]
        );
        assert_eq!(files[0].1, Health::Missing);
        assert!(is_damaged(&files[1].1, 0, 1), "{:?}", files[1]);
        assert_eq!(files[1].2, CUT.len());
        // Line 2 is damaged; the blank line 3 is neither a record nor damage.
        assert!(is_damaged(&files[2].1, 2, 2), "{:?}", files[2]);
        assert_eq!(files[2].2, CUT.len());
        assert!(
            matches!(files[3].1, Health::Unreadable(_)),
            "{:?}",
            files[3]
        );
        assert!(
            matches!(files[4].1, Health::Unreadable(_)),
            "{:?}",
            files[4]
        );
        assert_eq!(
            (report.damaged(), report.unreadable(), report.unfinished()),
            (2, 2, 2)
        );
        assert_eq!(report.temp_files, [path(".tmp-journal.jsonl.1.2.jsonl")]);
    }

    #[test]
    fn a_missing_data_dir_is_empty_and_one_that_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("not-yet"));
        let report = check(&store).unwrap();
        assert_eq!(
            summary(&report),
            [
                ("progress.json".to_string(), Health::Missing, 0),
                ("journal.jsonl".to_string(), Health::Missing, 0),
            ]
        );
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let err = check(&Store::open(&file)).unwrap_err();
        assert!(err.to_string().starts_with("cannot read "), "{err}");
    }

    #[test]
    fn repair_moves_exactly_the_damaged_lines_aside_and_removes_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let path = |name: &str| dir.path().join(name);
        let other = GOOD.replace("abc", "def");
        std::fs::write(
            store.journal_path(),
            format!("{GOOD}\n{{nope\n\n[1]\n{other}\n"),
        )
        .unwrap();
        std::fs::write(path("moods.jsonl"), "").unwrap();
        std::fs::write(path(".tmp-progress.json.1.1"), "{").unwrap();
        std::fs::write(path(".tmp-journal.jsonl.1.2"), "{").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap();

        let done = repair(&store, now).unwrap();
        assert_eq!(done.temp_files_removed, 2);
        assert!(temp_files(dir.path()).is_empty());
        let aside = path("damaged-20261129-201500-journal.jsonl");
        assert_eq!(done.moved_aside, [(aside.clone(), Some(2))]);
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "{nope\n[1]\n");
        let kept = std::fs::read_to_string(store.journal_path()).unwrap();
        let kept: Vec<&str> = kept.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(kept, [GOOD, other.as_str()]);
        assert_eq!(std::fs::read(path("moods.jsonl")).unwrap(), b"");
        assert!(done.progress_lost.is_none());
    }

    #[test]
    fn a_log_that_is_a_link_is_reported_as_a_link_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::write(dir.path().join("elsewhere"), format!("{GOOD}\n")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), store.journal_path()).unwrap();
        let report = check(&store).unwrap();
        let journal = &report.files[1];
        assert_eq!(journal.path, store.journal_path());
        assert!(
            matches!(&journal.health, Health::Unreadable(why)
                if why.starts_with("it is a symbolic link; exback keeps its data only in regular files")),
            "{journal:?}"
        );
    }

    #[test]
    fn only_a_cut_short_last_line_counts_as_unfinished() {
        let good = format!("{GOOD}\n");
        assert_eq!(split_unfinished(good.as_bytes()), (good.as_bytes(), 0));
        let cut = format!("{GOOD}\n{CUT}");
        assert_eq!(
            split_unfinished(cut.as_bytes()),
            (good.as_bytes(), CUT.len())
        );
        assert_eq!(split_unfinished(CUT.as_bytes()), (&b""[..], CUT.len()));
        let whole_last = format!("{GOOD}\n{GOOD}");
        assert_eq!(
            split_unfinished(whole_last.as_bytes()),
            (whole_last.as_bytes(), 0)
        );
    }

    #[test]
    fn an_unreadable_file_says_why_not_that_it_is_damaged() {
        let denied = unreadable(&std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert!(denied.starts_with("cannot read (permission)"), "{denied}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, b"{}\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
            // Root reads it anyway; everyone else gets the permission message.
            if let (Health::Unreadable(why), _, _) = check_jsonl(&path) {
                assert!(why.starts_with("cannot read (permission)"), "{why}");
            }
        }
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &path).unwrap();
        let (health, _, _) = check_jsonl(&path);
        assert!(
            matches!(&health, Health::Unreadable(why) if why.contains("symbolic link")),
            "{health:?}"
        );
    }
}
