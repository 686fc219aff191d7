//! The store: every file exback keeps in the data directory, and every write to it.
//!
//! - `journal.jsonl`: one [`Entry`] per line, appended with fsync under the lock.
//! - `progress.json`: the [`Progress`] document, replaced atomically under the lock.
//! - `contacts.jsonl`: one [`Contact`] per line, appended like the journal.
//! - `moods.jsonl`: one [`Mood`] check-in per line, appended like the journal.
//! - `exback.lock`: the lock file, never deleted.
//!
//! See `docs/storage.md` for the guarantees.

pub mod contact;
pub mod entry;
mod files;
pub mod mood;
pub mod progress;
pub mod read;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};

pub use contact::{Channel, Contact, Who};
pub use entry::{Entry, NewEntry};
pub use mood::Mood;
pub use progress::{Change, EndedBy, Onboarding, Outcome, OutcomeKind, Progress, StepProgress};
pub use read::{Damage, Item};

use read::describe_json_error;

const JOURNAL: &str = "journal.jsonl";
const PROGRESS: &str = "progress.json";
const LOCK: &str = "exback.lock";

/// Something went wrong with the data directory. Messages name files, never answer text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error(
        "{} is damaged (line {line}, column {column}: it {reason}); exback will not overwrite it. \
         Your other data is untouched",
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

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
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

    fn lock(&self) -> Result<files::Lock, StoreError> {
        files::create_private_dir(&self.dir)
            .map_err(io_err("create the data directory", &self.dir))?;
        let path = self.dir.join(LOCK);
        files::lock(&path).map_err(io_err("lock", &path))
    }

    /// Reads the progress; a missing file is a fresh start.
    pub fn progress(&self) -> Result<Progress, StoreError> {
        let path = self.progress_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => return Err(io_err("read", &path)(e)),
        };
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
            return Err(StoreError::Newer {
                path,
                found: u32::try_from(found).unwrap_or(u32::MAX),
                known: progress::PROGRESS_VERSION,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| damaged(&e))
    }

    /// Applies changes to the freshest progress under the lock and saves it atomically.
    /// A damaged or newer progress file is left exactly as it is, and the error says so.
    pub fn update_progress(&self, changes: &[Change]) -> Result<Progress, StoreError> {
        let lock = self.lock()?;
        let mut progress = self.progress()?;
        for change in changes {
            progress.apply(change);
        }
        let mut bytes = serde_json::to_vec_pretty(&progress).map_err(|e| StoreError::Io {
            action: "encode",
            path: self.progress_path(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        let path = self.progress_path();
        files::replace(&path, &bytes, &lock).map_err(io_err("save", &path))?;
        Ok(progress)
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
            source: io::Error::other(e),
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

    /// Journal entries newest first, damaged lines reported in place.
    pub fn newest_first(&self) -> Result<read::Backward, StoreError> {
        self.newest_records(JOURNAL)
    }

    /// Journal entries oldest first, damaged lines reported in place.
    pub fn oldest_first(&self) -> Result<read::Forward, StoreError> {
        self.oldest_records(JOURNAL)
    }
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

    #[test]
    fn ids_are_twelve_hex_digits_and_differ() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
