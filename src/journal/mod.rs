//! The store: every file exback keeps in the data directory, and every write to it.
//!
//! - `journal.jsonl`: one [`Entry`] per line, appended with fsync under the lock.
//! - `progress.json`: the [`Progress`] document, replaced atomically under the lock.
//! - `contacts.jsonl`: one [`Contact`] per line, appended like the journal.
//! - `moods.jsonl`: one [`Mood`] check-in per line, appended like the journal.
//! - `exback.lock`: the lock file, never deleted.
//!
//! See `docs/storage.md` for the guarantees.

pub mod blocks;
pub mod contact;
pub mod convert;
pub mod copies;
pub mod doctor;
pub mod entry;
mod files;
pub mod keystate;
pub mod merge;
pub mod mood;
pub mod progress;
pub mod read;
pub mod seal;
pub mod tags;
pub mod transfer;
pub mod view;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};

pub use contact::{Channel, Contact, Who};
pub use entry::{Entry, EntryKind, NewEntry};
pub use files::private_options;
pub use files::replace_unlocked as write_outside_atomically;
pub use mood::Mood;
pub use progress::{
    Change, Door, EndedBy, Onboarding, Outcome, OutcomeKind, Pending, Progress, SafetyAnswers,
};
pub use read::{Damage, Item};
pub use view::EntryView;

use read::describe_json_error;

const JOURNAL: &str = "journal.jsonl";
const PROGRESS: &str = "progress.json";
const LOCK: &str = "exback.lock";

/// Something went wrong with the data directory. Messages name files, never answer text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {error}{}", path.display(), hint(action, error))]
    Io {
        action: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    #[error(
        "{} is damaged (line {line}, column {column}: it {reason}); exback will not overwrite it. \
         Your other data is untouched; `exback doctor` explains and can move the damage aside",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error(
        "{} was written by a newer exback (format {found}; this one knows {known}); it is read-only here. \
         Update exback to change it",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: u32,
        known: u32,
    },
}

/// What would help, where something would: another folder when the data directory
/// itself cannot be used, permissions when one of its files cannot, space when the disk
/// is full. Nothing for the export's output, which is not in the data directory.
fn hint(action: &str, e: &io::Error) -> &'static str {
    use io::ErrorKind::{NotADirectory, PermissionDenied, ReadOnlyFilesystem, StorageFull};
    const OTHER_FOLDER: &str = " (choose another folder with --data-dir DIR or EXBACK_DATA_DIR)";
    let whole_dir = matches!(action, "create the data directory" | "lock");
    match e.kind() {
        _ if action.starts_with("write the export") => "",
        PermissionDenied if whole_dir => OTHER_FOLDER,
        PermissionDenied => {
            " (exback needs to read and write its own files: check that they are yours, \
             with `ls -l` and `chmod 600`)"
        }
        ReadOnlyFilesystem | NotADirectory => OTHER_FOLDER,
        StorageFull => " (the disk is full: free some space, then try again)",
        _ => "",
    }
}

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |error| StoreError::Io {
        action,
        path: path.to_path_buf(),
        error,
    }
}

/// The data directory and everything in it.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store in `dir`. Nothing is created until the first save, which creates the
    /// directory readable by its owner only.
    pub fn open(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when people other than the owner can read the data directory.
    pub fn readable_by_others(&self) -> bool {
        files::readable_by_others(&self.dir)
    }

    /// Path of the journal file.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join(JOURNAL)
    }

    /// Path of the progress file.
    pub fn progress_path(&self) -> PathBuf {
        self.dir.join(PROGRESS)
    }

    /// Takes the lock for a save. Temp files left by a save that was killed are removed
    /// here: every save happens under the lock, so none present now is in use.
    pub(crate) fn lock(&self) -> Result<files::Lock, StoreError> {
        let lock = self.lock_only()?;
        // Harmless if it fails: readers ignore temp files, and doctor reports them.
        let _ = doctor::remove_stale_temp_files(&self.dir, &lock);
        Ok(lock)
    }

    /// Takes the lock without tidying anything (doctor counts what it tidies).
    pub(crate) fn lock_only(&self) -> Result<files::Lock, StoreError> {
        files::create_private_dir(&self.dir)
            .map_err(io_err("create the data directory", &self.dir))?;
        let path = self.dir.join(LOCK);
        files::lock(&path).map_err(io_err("lock", &path))
    }

    /// Reads the progress; a missing file is a fresh start. A file from a newer exback
    /// is read as far as it can be (see [`Store::writable_progress`] before changing it).
    pub fn progress(&self) -> Result<Progress, StoreError> {
        let path = self.progress_path();
        let bytes = match files::read_all(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => return Err(io_err("read", &path)(e)),
        };
        let bytes = seal::open_document(&path, bytes)?;
        let damaged = |e: &serde_json::Error| StoreError::Damaged {
            path: path.clone(),
            line: e.line(),
            column: e.column(),
            reason: describe_json_error(e),
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| damaged(&e))?;
        let found = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if found > u64::from(progress::PROGRESS_VERSION) {
            return serde_json::from_value(value).map_err(|_| StoreError::Newer {
                path,
                found: u32::try_from(found).unwrap_or(u32::MAX),
                known: progress::PROGRESS_VERSION,
            });
        }
        let mut progress: Progress = serde_json::from_slice(&bytes).map_err(|e| damaged(&e))?;
        self.settle(&mut progress)?;
        Ok(progress)
    }

    /// Settles the changes waiting for a journal entry: applied if the journal holds
    /// the entry, dropped if it does not (the save was cut short before the entry was
    /// written, so nothing the user saw saved depends on them).
    fn settle(&self, progress: &mut Progress) -> Result<(), StoreError> {
        let Some(pending) = progress.pending.take() else {
            return Ok(());
        };
        if self.journal_has(&pending.entry)? {
            for change in &pending.changes {
                progress.apply(change);
            }
        }
        Ok(())
    }

    /// True when the journal has an entry with exactly this id. It is looked for from
    /// the newest line back: the entry a pending change waits for is nearly always last.
    fn journal_has(&self, id: &str) -> Result<bool, StoreError> {
        let path = self.journal_path();
        let mut lines = match read::BackwardLines::open(&path) {
            Ok(lines) => lines,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io_err("read", &path)(e)),
        };
        while let Some((line, place)) = lines.next_line().map_err(io_err("read", &path))? {
            if line_has_id(line, id) && view::parse(&path, line, place).is_ok_and(|v| v.id == id) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Reads the progress for a command that will change it: a file from a newer
    /// exback is refused here, before anything is asked or saved.
    pub fn writable_progress(&self) -> Result<Progress, StoreError> {
        let progress = self.progress()?;
        if progress.format_version > progress::PROGRESS_VERSION {
            return Err(StoreError::Newer {
                path: self.progress_path(),
                found: progress.format_version,
                known: progress::PROGRESS_VERSION,
            });
        }
        Ok(progress)
    }

    /// Applies changes to the freshest progress under the lock and saves it atomically.
    /// A damaged or newer progress file is left exactly as it is, and the error says so.
    pub fn update_progress(&self, changes: &[Change]) -> Result<Progress, StoreError> {
        let lock = self.lock()?;
        let mut progress = self.writable_progress()?;
        if progress.format_version < progress::PROGRESS_VERSION {
            self.back_up_before_migrating(&progress)?;
            progress.format_version = progress::PROGRESS_VERSION;
        }
        for change in changes {
            progress.apply(change);
        }
        self.write_progress(&progress, &lock)?;
        Ok(progress)
    }

    /// Replaces the progress file (pretty JSON, one trailing newline) atomically.
    fn write_progress(&self, progress: &Progress, lock: &files::Lock) -> Result<(), StoreError> {
        let path = self.progress_path();
        let mut bytes = serde_json::to_vec_pretty(progress)
            .map_err(|e| io_err("encode", &path)(io::Error::other(e)))?;
        bytes.push(b'\n');
        files::replace(&path, &bytes, lock).map_err(io_err("save", &path))
    }

    /// Keeps the original of an older-format progress file beside it before it is
    /// rewritten in the current format.
    fn back_up_before_migrating(&self, old: &Progress) -> Result<(), StoreError> {
        let path = self.progress_path();
        let bytes = files::read_all(&path).map_err(io_err("read", &path))?;
        let name = format!("{PROGRESS}.v{}-backup", old.format_version);
        files::create_aside(&self.dir, &name, &bytes).map_err(io_err("back up", &path))?;
        Ok(())
    }

    /// Saves one entry and the progress changes it makes (an answer and its "answered"
    /// mark) as one transaction, under one lock: the changes are first saved as pending
    /// on that entry, then the entry is appended. A crash before the append leaves
    /// neither; a crash after it leaves both, since the pending changes count as soon
    /// as the entry is in the journal. Returns the saved entry and the progress after.
    pub fn append_with(
        &self,
        new: NewEntry,
        changes: &[Change],
    ) -> Result<(Entry, Progress), StoreError> {
        let lock = self.lock()?;
        let mut progress = self.writable_progress()?;
        if progress.format_version < progress::PROGRESS_VERSION {
            self.back_up_before_migrating(&progress)?;
            progress.format_version = progress::PROGRESS_VERSION;
        }
        let entry = new.into_entry(new_id());
        let path = self.journal_path();
        let line = serde_json::to_string(&entry).map_err(|e| StoreError::Io {
            action: "encode a record for",
            path: path.clone(),
            error: io::Error::other(e),
        })?;
        progress.pending = Some(Pending {
            entry: entry.id.clone(),
            changes: changes.to_vec(),
        });
        doctor::remove_stale_temp_files(&self.dir, &lock)?;
        self.write_progress(&progress, &lock)?;
        files::append_line(&path, &line, &lock).map_err(io_err("save to", &path))?;
        self.settle(&mut progress)?;
        Ok((entry, progress))
    }

    /// Saves one entry to the journal: appended and fsynced before this returns.
    pub fn append(&self, new: NewEntry) -> Result<Entry, StoreError> {
        let entry = new.into_entry(new_id());
        self.append_record(JOURNAL, &entry)?;
        Ok(entry)
    }

    /// Appends one JSON record to the log file `name` in the data directory (created
    /// private if needed), under the lock, fsynced before this returns.
    pub fn append_record<T: serde::Serialize>(
        &self,
        name: &str,
        record: &T,
    ) -> Result<(), StoreError> {
        let path = self.dir.join(name);
        let line = serde_json::to_string(record).map_err(|e| StoreError::Io {
            action: "encode a record for",
            path: path.clone(),
            error: io::Error::other(e),
        })?;
        let lock = self.lock()?;
        files::append_line(&path, &line, &lock).map_err(io_err("save to", &path))
    }

    /// Records of the log file `name`, newest first, damaged lines reported in place.
    pub fn newest_records<T>(&self, name: &str) -> Result<read::Backward<T>, StoreError> {
        let path = self.dir.join(name);
        read::Backward::open(&path).map_err(io_err("read", &path))
    }

    /// Records of the log file `name`, oldest first, damaged lines reported in place.
    pub fn oldest_records<T>(&self, name: &str) -> Result<read::Forward<T>, StoreError> {
        let path = self.dir.join(name);
        read::Forward::open(&path).map_err(io_err("read", &path))
    }

    /// The journal entries whose id starts with `prefix` (damaged lines are skipped).
    /// An entry whose whole id is `prefix` is the one meant, even if other ids start
    /// with it: a full id always addresses its entry.
    pub fn find(&self, prefix: &str) -> Result<Vec<Entry>, StoreError> {
        let found = self.select_newest(|view| view.id.starts_with(prefix), usize::MAX, |_| {})?;
        if found.iter().any(|e| e.id == prefix) {
            return Ok(found.into_iter().filter(|e| e.id == prefix).collect());
        }
        Ok(found)
    }

    /// The newest `limit` journal entries that `keep` picks. Every line is looked at
    /// through its quick view; only the picked ones are read in full. Damaged lines
    /// go to `damaged`.
    pub fn select_newest(
        &self,
        mut keep: impl FnMut(&EntryView<'_>) -> bool,
        limit: usize,
        mut damaged: impl FnMut(&Damage),
    ) -> Result<Vec<Entry>, StoreError> {
        let path = self.journal_path();
        let mut lines = self.newest_lines()?;
        let mut picked = Vec::new();
        let mut seen = read::Seen::default();
        while picked.len() < limit {
            let Some((line, place)) = lines.next_line().map_err(io_err("read", &path))? else {
                break;
            };
            match view::parse(&path, line, place) {
                // A copy of a record already read is that record (docs/storage.md).
                Ok(v) if keep(&v) && seen.first(line) => {
                    match read::parse::<Entry>(&path, line, place) {
                        Ok(entry) => picked.push(entry),
                        Err(d) => damaged(&d),
                    }
                }
                Ok(_) => {}
                Err(d) => damaged(&d),
            }
        }
        Ok(picked)
    }

    /// Edits or deletes the one entry with exactly this id, under the lock: the first
    /// line that holds it, and every copy of that line (byte for byte the same record,
    /// which readers read as the same entry) goes with it. Every other line of the
    /// journal, damaged ones and other records sharing the id included, is kept byte
    /// for byte.
    pub fn change_entry(
        &self,
        id: &str,
        change: &EntryChange,
    ) -> Result<Option<Entry>, StoreError> {
        let path = self.journal_path();
        let lock = self.lock()?;
        if let EntryChange::Delete { at } = change {
            // Remembered first, so that a merge with another device's copy of the journal
            // never brings the entry back (docs/sync.md).
            let deletion = merge::Deletion {
                v: 1,
                id: id.to_string(),
                file: JOURNAL.to_string(),
                at: *at,
            };
            let deleted = self.dir.join(merge::DELETED);
            let line = serde_json::to_string(&deletion)
                .map_err(|e| io_err("encode a record for", &deleted)(io::Error::other(e)))?;
            files::append_line(&deleted, &line, &lock).map_err(io_err("save to", &deleted))?;
        }
        let mut changed = None;
        let mut encode_error = None;
        let mut first: Option<Vec<u8>> = None;
        files::rewrite_lines(&path, &lock, |_, line| {
            if !line_has_id(line, id) {
                return files::Line::Keep;
            }
            if let Some(first) = &first {
                return if line.trim_ascii() == first.as_slice() {
                    files::Line::Drop
                } else {
                    files::Line::Keep
                };
            }
            let Ok(mut entry) = serde_json::from_slice::<Entry>(line) else {
                return files::Line::Keep;
            };
            if entry.id != id || entry.v > entry::ENTRY_VERSION {
                return files::Line::Keep;
            }
            first = Some(line.trim_ascii().to_vec());
            match change {
                EntryChange::Delete { .. } => {
                    changed = Some(entry);
                    files::Line::Drop
                }
                EntryChange::Edit { answer, at } => {
                    entry.answer.clone_from(answer);
                    entry.value = None;
                    entry.edited_at = Some(*at);
                    match serde_json::to_vec(&entry) {
                        Ok(bytes) => {
                            changed = Some(entry);
                            files::Line::Replace(bytes)
                        }
                        Err(e) => {
                            encode_error = Some(e);
                            files::Line::Keep
                        }
                    }
                }
            }
        })
        .map_err(io_err("save", &path))?;
        if let Some(e) = encode_error {
            return Err(StoreError::Io {
                action: "encode an entry for",
                path,
                error: io::Error::other(e),
            });
        }
        Ok(changed)
    }

    /// The journal in blocks of whole lines, newest first or oldest first, for parsing
    /// on several threads (see [`blocks::Block::for_each_line`]).
    pub fn journal_blocks(&self, newest_first: bool) -> Result<blocks::Blocks, StoreError> {
        let path = self.journal_path();
        blocks::Blocks::open(&path, newest_first).map_err(io_err("read", &path))
    }

    /// Journal lines newest first, to be parsed in place (see [`read::parse`]).
    pub fn newest_lines(&self) -> Result<read::BackwardLines, StoreError> {
        let path = self.journal_path();
        read::BackwardLines::open(&path).map_err(io_err("read", &path))
    }

    /// Journal entries newest first, damaged lines reported in place.
    pub fn newest_first(&self) -> Result<read::Backward, StoreError> {
        self.newest_records(JOURNAL)
    }

    /// Journal entries oldest first, damaged lines reported in place.
    pub fn oldest_first(&self) -> Result<read::Forward, StoreError> {
        self.oldest_records(JOURNAL)
    }
}

/// Checks one record of the log file `file` (already parsed as JSON) the way exback
/// would read it: `Ok(true)` for a record from a newer exback (kept, not checked),
/// `Ok(false)` for a good one, `Err(reason)` for one exback cannot use. Doctor and
/// import both use it, so import never takes in what doctor would call damaged.
pub(crate) fn check_record(file: &str, value: serde_json::Value) -> Result<bool, String> {
    use serde_json::Value;
    if !value.is_object() {
        return Err("is JSON, but not a record".into());
    }
    let version = value.get("v").and_then(Value::as_u64).unwrap_or(0);
    let bad = |e: &serde_json::Error| describe_json_error(e);
    let out_of_scale = |n: Option<u8>| n.is_some_and(|n| !(1..=10).contains(&n));
    match file {
        JOURNAL if version <= u64::from(entry::ENTRY_VERSION) => {
            serde_json::from_value::<Entry>(value).map_err(|e| bad(&e))?;
        }
        contact::CONTACTS if version <= u64::from(contact::CONTACT_VERSION) => {
            let c = serde_json::from_value::<Contact>(value).map_err(|e| bad(&e))?;
            if out_of_scale(c.felt) {
                return Err("is a contact whose feeling is not between 1 and 10".into());
            }
        }
        mood::MOODS if version <= u64::from(mood::MOOD_VERSION) => {
            let m = serde_json::from_value::<Mood>(value).map_err(|e| bad(&e))?;
            if out_of_scale(Some(m.score)) {
                return Err("is a mood check-in whose score is not between 1 and 10".into());
            }
        }
        JOURNAL | contact::CONTACTS | mood::MOODS => return Ok(true),
        _ => return Ok(version > u64::from(entry::ENTRY_VERSION)),
    }
    Ok(false)
}

/// Reads a file from outside the data directory (a content pack): links are followed,
/// but anything other than a regular file is refused rather than waited on.
pub fn read_regular_file(path: &Path) -> io::Result<Vec<u8>> {
    files::read_regular(path)
}

/// A cheap test before parsing: does this line mention the id at all?
fn line_has_id(line: &[u8], id: &str) -> bool {
    !id.is_empty() && line.windows(id.len()).any(|w| w == id.as_bytes())
}

/// What `change_entry` does to an entry.
#[derive(Debug, Clone)]
pub enum EntryChange {
    /// Replace the answer text (the structured value goes: it no longer matches).
    Edit {
        answer: String,
        at: chrono::DateTime<chrono::FixedOffset>,
    },
    /// Remove the entry; `at` is when, for the record of deletions ([`merge::DELETED`]).
    Delete {
        at: chrono::DateTime<chrono::FixedOffset>,
    },
}

/// A new record id: 12 hex digits, unique in practice (time, process and a random key).
pub fn new_id() -> String {
    let mut h = RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.write_u128(now.as_nanos());
    h.write_u32(std::process::id());
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(step: &str, prompt: &str) -> Change {
        Change::Answered {
            step_id: step.into(),
            prompt_id: prompt.into(),
        }
    }

    fn at() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap()
    }

    #[test]
    fn an_answer_and_its_mark_are_saved_together() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let new = NewEntry::new(at(), EntryKind::Answer, "words".into());
        let (entry, progress) = store
            .append_with(new, &[answered("understand", "what-happened")])
            .unwrap();
        assert_eq!(
            progress.step("understand").unwrap().answered,
            ["what-happened"]
        );
        assert!(progress.pending.is_none());
        // On disk the mark still waits for its entry, and counts because it is there.
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
        assert_eq!(raw["pending"]["entry"], entry.id.as_str());
        assert_eq!(store.progress().unwrap(), progress);
        // The next change settles it for good.
        let after = store.update_progress(&[Change::MoodSkipped(at())]).unwrap();
        assert_eq!(
            after.step("understand").unwrap().answered,
            ["what-happened"]
        );
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
        assert!(raw.get("pending").is_none());
    }

    #[test]
    fn a_mark_whose_entry_never_reached_the_journal_is_dropped() {
        // What a crash between the two writes leaves: the mark, but no entry.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        store
            .append(NewEntry::new(at(), EntryKind::Note, "a note".into()))
            .unwrap();
        write_a_pending_mark(&store);
        let read = store.progress().unwrap();
        assert!(
            read.step("understand").is_none(),
            "the question is asked again"
        );
        assert!(read.pending.is_none());
        let written = store.update_progress(&[]).unwrap();
        assert!(written.step("understand").is_none());
    }

    #[test]
    fn the_data_dir_hint_comes_only_where_another_folder_helps() {
        use io::ErrorKind::{PermissionDenied, StorageFull};
        let e = |k| io::Error::from(k);
        assert!(hint("lock", &e(PermissionDenied)).contains("--data-dir"));
        assert!(hint("create the data directory", &e(PermissionDenied)).contains("--data-dir"));
        let file = hint("read", &e(PermissionDenied));
        assert!(file.contains("chmod 600") && !file.contains("--data-dir"));
        assert!(hint("save to", &e(StorageFull)).contains("disk is full"));
        assert!(!hint("save to", &e(StorageFull)).contains("--data-dir"));
        assert_eq!(hint("write the export to", &e(PermissionDenied)), "");
        assert_eq!(hint("write the export to", &e(StorageFull)), "");
    }

    #[test]
    fn a_read_only_or_misplaced_data_dir_suggests_another_folder() {
        use io::ErrorKind::{NotADirectory, ReadOnlyFilesystem};
        for kind in [ReadOnlyFilesystem, NotADirectory] {
            let said = hint("save to", &io::Error::from(kind));
            assert!(said.contains("--data-dir"), "{kind:?}: {said}");
        }
    }

    /// One journal line as exback writes it, with a chosen id and format version.
    fn entry_line(id: &str, v: u32, kind: &str, answer: &str) -> String {
        format!(
            r#"{{"v":{v},"id":"{id}","at":"2026-11-29T20:15:00+01:00","kind":"{kind}","answer":"{answer}"}}"#
        )
    }

    fn write_journal(store: &Store, lines: &[String]) {
        std::fs::write(store.journal_path(), lines.join("\n") + "\n").unwrap();
    }

    fn ids(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[cfg(unix)]
    #[test]
    fn a_data_dir_open_to_others_is_noticed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(!store.readable_by_others());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(store.readable_by_others());
    }

    #[test]
    fn a_progress_file_that_cannot_be_read_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::create_dir(store.progress_path()).unwrap();
        let err = store.progress().unwrap_err().to_string();
        assert!(err.starts_with("cannot read "), "{err}");
        assert!(
            err.contains(": it is a folder; exback keeps its data"),
            "{err}"
        );
    }

    #[test]
    fn a_progress_file_from_a_newer_exback_that_does_not_parse_is_newer_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        std::fs::write(
            store.progress_path(),
            r#"{"format_version": 2, "steps": "a shape this exback does not know"}"#,
        )
        .unwrap();
        let err = store.progress().unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Newer {
                    found: 2,
                    known: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    /// Saves progress whose one mark is pending on an entry that is not written.
    fn write_a_pending_mark(store: &Store) {
        let progress = Progress {
            pending: Some(Pending {
                entry: "0123456789ab".into(),
                changes: vec![answered("understand", "what-happened")],
            }),
            ..Progress::default()
        };
        std::fs::write(
            store.progress_path(),
            serde_json::to_vec(&progress).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn a_pending_mark_with_no_journal_at_all_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        write_a_pending_mark(&store);
        let read = store.progress().unwrap();
        assert!(read.step("understand").is_none());
        assert!(read.pending.is_none());
    }

    #[test]
    fn a_pending_mark_is_not_settled_when_the_journal_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        write_a_pending_mark(&store);
        std::fs::create_dir(store.journal_path()).unwrap();
        let err = store.progress().unwrap_err();
        assert!(err.to_string().contains("journal.jsonl"), "{err}");
    }

    #[test]
    fn a_mark_counts_only_for_the_entry_with_that_id_not_one_quoting_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        // The awaited id appears in another entry's answer, and nowhere as an id.
        write_journal(
            &store,
            &[entry_line("aaaaaaaaaaaa", 1, "note", "see 0123456789ab")],
        );
        write_a_pending_mark(&store);
        assert!(store.progress().unwrap().step("understand").is_none());
    }

    #[test]
    fn an_older_progress_file_is_kept_aside_once_then_rewritten_in_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let old = br#"{"format_version": 0}"#;
        std::fs::write(store.progress_path(), old).unwrap();
        let after = store.update_progress(&[Change::MoodSkipped(at())]).unwrap();
        assert_eq!(after.format_version, progress::PROGRESS_VERSION);
        let backup = dir.path().join("progress.json.v0-backup");
        assert_eq!(std::fs::read(&backup).unwrap(), old);
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
        assert_eq!(raw["format_version"], 1);
        // A file already in the current format is not backed up again.
        store.update_progress(&[]).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("backup"))
            .collect();
        assert_eq!(names, ["progress.json.v0-backup"]);
    }

    #[test]
    fn saving_an_answer_over_an_older_progress_file_keeps_the_original_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let old = br#"{"format_version": 0}"#;
        std::fs::write(store.progress_path(), old).unwrap();
        let new = NewEntry::new(at(), EntryKind::Answer, "words".into());
        let (_, progress) = store
            .append_with(new, &[answered("understand", "what-happened")])
            .unwrap();
        assert_eq!(progress.format_version, progress::PROGRESS_VERSION);
        let backup = dir.path().join("progress.json.v0-backup");
        assert_eq!(std::fs::read(&backup).unwrap(), old);
    }

    #[test]
    fn a_newer_progress_file_is_refused_for_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let newer = br#"{"format_version": 2}"#;
        std::fs::write(store.progress_path(), newer).unwrap();
        assert!(store.progress().is_ok(), "still readable");
        let err = store.update_progress(&[]).unwrap_err();
        assert!(matches!(err, StoreError::Newer { found: 2, .. }), "{err}");
        assert_eq!(std::fs::read(store.progress_path()).unwrap(), newer);
    }

    #[test]
    fn a_record_appended_to_a_log_can_be_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let mood = Mood::new(at(), 4, Some("tired".into()));
        store.add_mood(&mood).unwrap();
        let read: Vec<Item<Mood>> = store
            .moods_newest_first()
            .unwrap()
            .collect::<io::Result<_>>()
            .unwrap();
        assert_eq!(read.len(), 1, "{read:?}");
        assert!(
            matches!(&read[0], Item::Entry(m) if **m == mood),
            "{read:?}"
        );
    }

    #[test]
    fn find_takes_a_prefix_but_a_whole_id_means_that_entry_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        write_journal(
            &store,
            &[
                entry_line("abc", 1, "note", "one"),
                entry_line("abcdef", 1, "note", "two"),
                entry_line("xyz", 1, "note", "three"),
            ],
        );
        assert_eq!(ids(&store.find("ab").unwrap()), ["abcdef", "abc"]);
        assert_eq!(ids(&store.find("abc").unwrap()), ["abc"]);
        assert_eq!(ids(&store.find("abcd").unwrap()), ["abcdef"]);
        assert!(store.find("q").unwrap().is_empty());
    }

    #[test]
    fn select_newest_picks_the_newest_kept_entries_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        write_journal(
            &store,
            &[
                entry_line("n1", 1, "note", "first"),
                entry_line("a1", 1, "answer", "an answer"),
                "{not json".to_string(),
                entry_line("n2", 1, "note", "second"),
                entry_line("n3", 1, "note", "third"),
            ],
        );
        let notes = |v: &EntryView<'_>| v.kind == "note";
        let mut damaged = Vec::new();
        let two = store
            .select_newest(notes, 2, |d| damaged.push(d.line))
            .unwrap();
        assert_eq!(ids(&two), ["n3", "n2"]);
        assert!(damaged.is_empty(), "stopped before the damaged line");
        let all = store
            .select_newest(notes, usize::MAX, |d| damaged.push(d.line))
            .unwrap();
        assert_eq!(ids(&all), ["n3", "n2", "n1"]);
        assert_eq!(damaged, [3]);
        assert!(store.select_newest(notes, 0, |_| {}).unwrap().is_empty());
    }

    #[test]
    fn deleting_an_entry_drops_its_line_and_keeps_every_other_byte() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let lines = [
            entry_line("abcdef", 1, "note", "mentions abc"),
            "{damaged abc".to_string(),
            entry_line("abc", 1, "note", "the one"),
            entry_line("xyz", 1, "note", "another"),
        ];
        write_journal(&store, &lines);
        let gone = store
            .change_entry("abc", &EntryChange::Delete { at: at() })
            .unwrap();
        assert_eq!(gone.map(|e| e.answer), Some("the one".to_string()));
        let left = std::fs::read_to_string(store.journal_path()).unwrap();
        assert_eq!(left, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]));
    }

    #[test]
    fn editing_changes_only_the_first_entry_with_that_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let lines = [
            entry_line("abc", 1, "note", "first"),
            entry_line("abc", 1, "note", "copy"),
        ];
        write_journal(&store, &lines);
        let edit = EntryChange::Edit {
            answer: "rewritten".into(),
            at: at(),
        };
        let edited = store.change_entry("abc", &edit).unwrap().unwrap();
        assert_eq!(edited.answer, "rewritten");
        assert_eq!(edited.edited_at, Some(at()));
        let left = std::fs::read_to_string(store.journal_path()).unwrap();
        let left: Vec<&str> = left.lines().collect();
        assert_eq!(left[1], lines[1]);
        let first: Entry = serde_json::from_str(left[0]).unwrap();
        assert_eq!(first, edited);
    }

    #[test]
    fn an_entry_from_a_newer_exback_is_never_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let lines = [entry_line("abc", 2, "note", "from the future")];
        write_journal(&store, &lines);
        assert!(
            store
                .change_entry("abc", &EntryChange::Delete { at: at() })
                .unwrap()
                .is_none()
        );
        let left = std::fs::read_to_string(store.journal_path()).unwrap();
        assert_eq!(left, format!("{}\n", lines[0]));
    }

    #[test]
    fn check_record_sorts_good_newer_and_unusable_records() {
        use serde_json::json;
        let entry = |v: u32| {
            serde_json::from_str::<serde_json::Value>(&entry_line("e", v, "note", "x")).unwrap()
        };
        let at = "2026-11-29T20:15:00+01:00";
        let contact = |v: u32, felt: u8| json!({"v": v, "id": "c", "at": at, "channel": "text", "from": "me", "felt": felt});
        let mood = |v: u32, score: u8| json!({"v": v, "id": "m", "at": at, "score": score});

        assert_eq!(
            check_record(JOURNAL, json!([1, 2])).unwrap_err(),
            "is JSON, but not a record"
        );
        assert_eq!(check_record(JOURNAL, entry(1)), Ok(false));
        assert!(check_record(JOURNAL, json!({"v": 1, "id": "e"})).is_err());
        assert_eq!(check_record(JOURNAL, json!({"v": 2, "id": "e"})), Ok(true));

        assert_eq!(check_record(contact::CONTACTS, contact(1, 5)), Ok(false));
        assert_eq!(
            check_record(contact::CONTACTS, contact(1, 11)).unwrap_err(),
            "is a contact whose feeling is not between 1 and 10"
        );
        assert_eq!(check_record(contact::CONTACTS, json!({"v": 2})), Ok(true));

        assert_eq!(check_record(mood::MOODS, mood(1, 10)), Ok(false));
        assert_eq!(
            check_record(mood::MOODS, mood(1, 0)).unwrap_err(),
            "is a mood check-in whose score is not between 1 and 10"
        );
        assert_eq!(check_record(mood::MOODS, json!({"v": 2})), Ok(true));

        // A log this exback does not know: only its version is looked at.
        assert_eq!(check_record("notes.jsonl", json!({"v": 1})), Ok(false));
        assert_eq!(check_record("notes.jsonl", json!({"v": 2})), Ok(true));
    }

    #[test]
    fn read_regular_file_reads_a_file_and_refuses_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack.toml");
        std::fs::write(&path, "title = 'x'\n").unwrap();
        assert_eq!(read_regular_file(&path).unwrap(), b"title = 'x'\n");
        assert!(read_regular_file(dir.path()).is_err());
    }

    #[test]
    fn line_has_id_looks_for_the_id_and_never_matches_an_empty_one() {
        assert!(line_has_id(br#"{"id":"abc"}"#, "abc"));
        assert!(!line_has_id(br#"{"id":"abd"}"#, "abc"));
        assert!(!line_has_id(br#"{"id":"abc"}"#, ""));
    }

    #[cfg(unix)]
    #[test]
    fn the_first_save_creates_the_data_dir_for_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new").join("exback");
        let store = Store::open(&data);
        store
            .append(NewEntry::new(at(), EntryKind::Note, "a note".into()))
            .unwrap();
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        assert!(!store.readable_by_others());
    }

    #[test]
    fn each_kind_of_entry_is_saved_under_its_documented_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let kinds = [
            (EntryKind::Answer, "answer"),
            (EntryKind::Readiness, "readiness"),
            (EntryKind::Note, "note"),
            (EntryKind::Draft, "draft"),
            (EntryKind::Outcome, "outcome"),
        ];
        for (kind, name) in kinds {
            let saved = store
                .append(NewEntry::new(at(), kind, "words".into()))
                .unwrap();
            assert_eq!(saved.kind, name);
        }
        let text = std::fs::read_to_string(store.journal_path()).unwrap();
        let on_disk: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<Entry>(l).unwrap().kind)
            .collect();
        assert_eq!(on_disk, kinds.map(|(_, name)| name));
    }

    #[test]
    fn ids_are_twelve_hex_digits_and_differ() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
