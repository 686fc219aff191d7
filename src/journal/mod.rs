//! The store: every file exback keeps in the data directory, what each line of them
//! records, and every way they are written, read back, moved in and out, and repaired.
//!
//! - `journal.jsonl`: one [`Entry`] per line, appended with fsync under the lock.
//! - `progress.json`: the [`Progress`] document, replaced atomically under the lock.
//! - `contacts.jsonl`: one [`Contact`] per line, appended like the journal.
//! - `moods.jsonl`: one [`Mood`] check-in per line, appended like the journal.
//! - `exback.lock`: the lock file, never deleted.
//!
//! Laid out by job, one hop to each:
//!
//! - what a line records: [`entry`], [`contact`], [`mood`], [`progress`], [`tags`];
//! - where it is written: [`store`] (the [`Store`] type, private files, the lock,
//!   appends, atomic replaces, sealing and its key state, converting a data directory);
//! - where it is read back: [`read`] (the line readers and their damage, the block
//!   reader, the scanner that views an entry without building it);
//! - where it moves in and out: [`transfer`] (import and export);
//! - where damage and merged copies are handled: [`repair`] (doctor, folding in the
//!   copies a sync tool or git leaves).
//!
//! Layering: the store sits low in the house. Outside itself it uses only
//! [`crate::interrupt`] (a save holds its guard, a long import checks the flag),
//! [`crate::dates`] (timestamps) and [`crate::limits`] (the size cap on a content file
//! read through [`read_regular_file`]); it knows nothing of the workbook, the flow or
//! the screen. The kinds an entry records, such as [`PromptKind`], are defined here and
//! used from above. Inside, the records use nothing else of the store (a new id comes
//! from [`new_id`], here at the top); `store` and `read` are one layer (the [`Store`]
//! hands out the readers, the readers open files through `store`'s files and seal);
//! `repair` and `transfer` sit on both; nothing in `store` or `read` uses `repair` or
//! `transfer`.
//!
//! See `docs/storage.md` for the guarantees.

pub(crate) mod contact;
pub(crate) mod deletion;
pub(crate) mod entry;
pub(crate) mod mood;
pub(crate) mod progress;
pub(crate) mod read;
pub(crate) mod repair;
pub(crate) mod store;
pub(crate) mod tags;
pub(crate) mod transfer;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};

pub(crate) use contact::{Channel, Contact, Who};
pub(crate) use entry::{Entry, EntryKind, NewEntry, PromptKind};
pub(crate) use mood::Mood;
pub(crate) use progress::{
    Change, Door, EndedBy, Lost, Onboarding, Outcome, OutcomeKind, Pending, Progress, SafetyAnswers,
};
pub(crate) use read::view::EntryView;
pub(crate) use read::{Damage, Item};
pub(crate) use store::files::private_options;
pub(crate) use store::files::replace_unlocked as write_outside_atomically;
pub(crate) use store::{EntryChange, Store, read_regular_file};

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
