//! Where an answer is written: the [`Store`] type (one per data directory) and every
//! write it makes. Appends go through [`files`] (private files, the lock, fsync'd
//! appends cut back on failure, atomic replaces); [`seal`] and [`keystate`] encrypt a
//! data directory's lines and keep track of its key; [`convert`] turns a whole data
//! directory plain or sealed.

pub(crate) mod convert;
pub(crate) mod copies;
pub(super) mod files;
pub(crate) mod keystate;
pub(crate) mod seal;

use std::io;
use std::path::{Path, PathBuf};

use super::read::view::EntryView;
use super::read::{self, blocks, describe_json_error};
use super::{
    Change, Contact, Entry, JOURNAL, LOCK, Mood, NewEntry, PROGRESS, Progress, StoreError, contact,
    entry, io_err, mood,
};
use super::{Damage, Pending, new_id};

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
        let _ = remove_stale_temp_files(&self.dir, &lock);
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
        if found > u64::from(super::progress::PROGRESS_VERSION) {
            return serde_json::from_value(value).map_err(|_| StoreError::Newer {
                path,
                found: u32::try_from(found).unwrap_or(u32::MAX),
                known: super::progress::PROGRESS_VERSION,
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
            if line_has_id(line, id)
                && read::view::parse(&path, line, place).is_ok_and(|v| v.id == id)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Reads the progress for a command that will change it: a file from a newer
    /// exback is refused here, before anything is asked or saved.
    pub fn writable_progress(&self) -> Result<Progress, StoreError> {
        let progress = self.progress()?;
        if progress.format_version > super::progress::PROGRESS_VERSION {
            return Err(StoreError::Newer {
                path: self.progress_path(),
                found: progress.format_version,
                known: super::progress::PROGRESS_VERSION,
            });
        }
        Ok(progress)
    }

    /// Applies changes to the freshest progress under the lock and saves it atomically.
    /// A damaged or newer progress file is left exactly as it is, and the error says so.
    pub fn update_progress(&self, changes: &[Change]) -> Result<Progress, StoreError> {
        let lock = self.lock()?;
        let mut progress = self.writable_progress()?;
        if progress.format_version < super::progress::PROGRESS_VERSION {
            self.back_up_before_migrating(&progress)?;
            progress.format_version = super::progress::PROGRESS_VERSION;
        }
        for change in changes {
            progress.apply(change);
        }
        self.write_progress(&progress, &lock)?;
        Ok(progress)
    }

    /// Replaces the progress file (pretty JSON, one trailing newline) atomically.
    pub(in crate::journal) fn write_progress(
        &self,
        progress: &Progress,
        lock: &files::Lock,
    ) -> Result<(), StoreError> {
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
        if progress.format_version < super::progress::PROGRESS_VERSION {
            self.back_up_before_migrating(&progress)?;
            progress.format_version = super::progress::PROGRESS_VERSION;
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
        remove_stale_temp_files(&self.dir, &lock)?;
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
            match read::view::parse(&path, line, place) {
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
            let deletion = crate::journal::deletion::Deletion {
                v: 1,
                id: id.to_string(),
                file: JOURNAL.to_string(),
                at: *at,
            };
            let deleted = self.dir.join(crate::journal::deletion::DELETED);
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
            match changed_line(&mut entry, change) {
                Ok(None) => {
                    changed = Some(entry);
                    files::Line::Drop
                }
                Ok(Some(bytes)) => {
                    changed = Some(entry);
                    files::Line::Replace(bytes)
                }
                Err(e) => {
                    encode_error = Some(e);
                    files::Line::Keep
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

impl Store {
    /// Appends one contact to `contacts.jsonl`, durable before this returns.
    pub fn add_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        self.append_record(contact::CONTACTS, contact)
    }

    /// Every logged contact, oldest first (in the order logged), damaged lines reported.
    pub fn contacts(&self) -> Result<read::Forward<Contact>, StoreError> {
        self.oldest_records(contact::CONTACTS)
    }
}

impl Store {
    /// Appends one check-in to `moods.jsonl`, durable before this returns.
    pub fn add_mood(&self, mood: &Mood) -> Result<(), StoreError> {
        self.append_record(mood::MOODS, mood)
    }

    /// Check-ins newest first, damaged lines reported.
    pub fn moods_newest_first(&self) -> Result<read::Backward<Mood>, StoreError> {
        self.newest_records(mood::MOODS)
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
pub(crate) fn read_regular_file(path: &Path) -> io::Result<Vec<u8>> {
    files::read_regular(path)
}

/// What `change` makes of `entry`'s line: `None` to drop it (a deletion), or the
/// changed entry's new line (an edit, which also changes `entry`).
fn changed_line(
    entry: &mut Entry,
    change: &EntryChange,
) -> Result<Option<Vec<u8>>, serde_json::Error> {
    match change {
        EntryChange::Delete { .. } => Ok(None),
        EntryChange::Edit { answer, at } => {
            entry.answer.clone_from(answer);
            entry.value = None;
            entry.edited_at = Some(*at);
            serde_json::to_vec(entry).map(Some)
        }
    }
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
    /// Remove the entry; `at` is when, for the record of deletions ([`crate::journal::deletion::DELETED`]).
    Delete {
        at: chrono::DateTime<chrono::FixedOffset>,
    },
}

/// Temporary files left in `dir` by saves, sorted.
pub(crate) fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(files::TEMP_PREFIX))
        })
        .collect();
    found.sort();
    found
}

/// Removes temporary files left by interrupted saves. Only called under the lock:
/// every save happens under it, so no temp file present then belongs to a live save.
pub(crate) fn remove_stale_temp_files(
    dir: &Path,
    _lock: &files::Lock,
) -> Result<usize, StoreError> {
    let stale = temp_files(dir);
    for temp in &stale {
        std::fs::remove_file(temp).map_err(io_err("remove", temp))?;
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests;
