//! Merging: a data file and the conflict copies a sync tool left beside it, or two
//! versions of it that git brings together, become one file by each kind's own rule
//! (docs/sync.md):
//!
//! - logs (`journal.jsonl`, `contacts.jsonl`, `moods.jsonl`, `deleted.jsonl`): the union
//!   by id. Of two versions of one record, the one changed later wins (`edited_at`, else
//!   `at`); a record deleted on either side (its id in `deleted.jsonl`) stays deleted.
//!   The file's own lines are kept byte for byte and in their order; records from the
//!   other side are put in among them by time.
//! - `progress.json`: field by field ([`merge_progress`]).
//!
//! Folding ([`fold`]) does this for every copy in the data directory under the lock:
//! the merged file is saved atomically first, and only then is the copy renamed to
//! `merged-<time>-<its name>`, so a crash at any moment loses nothing and running again
//! finishes the work without doubling anything. Lines of a copy that cannot be read
//! (damaged, or sealed under another key) stay in that `merged-…` file.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::journal::deletion::{DELETED, Deletion};
use crate::journal::progress::{OutcomeKind, Progress};
use crate::journal::store::copies::{self, Tool};
use crate::journal::store::files;
use crate::journal::store::seal::{self, Unlocked};
use crate::journal::{Store, StoreError, io_err};

/// What folding one copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The copy's file name.
    pub copy: String,
    /// The data file it was merged into.
    pub into: &'static str,
    pub tool: Tool,
    /// Records the main file did not have.
    pub added: usize,
    /// Records replaced by a later change from the copy.
    pub updated: usize,
    /// Lines of the copy that could not be read; they stay in `aside`.
    pub unreadable: usize,
    /// Where the copy is now (`None` in a dry run).
    pub aside: Option<PathBuf>,
}

/// Why the copies were not merged.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FoldError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{} and {} differ: the passphrase was changed on one device, or each device made its \
         own key. Nothing was merged and nothing was removed. Keep the key.age whose \
         passphrase you use on every device, move the other one out of the data directory, \
         and run exback again",
        .main.display(),
        .copy.display()
    )]
    KeyConflict { main: PathBuf, copy: PathBuf },
}

/// The conflict copies in `dir`, with the file each is a copy of, sorted by name.
pub(crate) fn find_copies(dir: &Path) -> Vec<(PathBuf, &'static str, Tool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            copies::copy_of(&name).map(|(base, tool)| (e.path(), base, tool))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Merges every conflict copy in the store's directory into its file (see the module
/// documentation), or with `dry_run` only works out what that would do. Sealed records
/// are opened with the process's key ([`seal::current`]); without it they count as
/// unreadable. A `key.age` copy that differs from `key.age` stops everything first.
pub(crate) fn fold(store: &Store, dry_run: bool) -> Result<Vec<Folded>, FoldError> {
    let found = find_copies(store.dir());
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let lock = if dry_run { None } else { Some(store.lock()?) };
    // Found again under the lock: another exback may have folded them meanwhile.
    let found = if dry_run {
        found
    } else {
        find_copies(store.dir())
    };
    let key = seal::current();
    let mut done = Vec::new();
    let mut deletions_added = false;
    // Keys first (a conflict stops everything), then deletions (they rule the logs), then
    // the logs, and the progress last (its pending changes look for journal entries).
    let order = [
        "key.age",
        DELETED,
        "journal.jsonl",
        "contacts.jsonl",
        "moods.jsonl",
        "progress.json",
    ];
    for base in order {
        for (path, _, tool) in found.iter().filter(|(_, b, _)| *b == base) {
            let folded = fold_copy(store, path, base, *tool, key.as_deref(), lock.as_ref())?;
            deletions_added |= base == DELETED && folded.added > 0;
            done.push(folded);
        }
    }
    // Deletions made on the other device also reach a journal that has no copy.
    if deletions_added
        && let Some(lock) = &lock
        && !found.iter().any(|(_, b, _)| *b == "journal.jsonl")
    {
        fold_log(store, "journal.jsonl", &[], key.as_deref(), Some(lock))?;
    }
    Ok(done)
}

/// Folds one copy of `base` into it (only works out what that would do without the
/// lock), then moves the copy aside.
fn fold_copy(
    store: &Store,
    path: &Path,
    base: &'static str,
    tool: Tool,
    key: Option<&Unlocked>,
    lock: Option<&files::Lock>,
) -> Result<Folded, FoldError> {
    let main = store.dir().join(base);
    let mut folded = Folded {
        copy: seal::file_name(path),
        into: base,
        tool,
        added: 0,
        updated: 0,
        unreadable: 0,
        aside: None,
    };
    let copy_bytes = files::read_all(path).map_err(io_err("read", path))?;
    match base {
        "key.age" => {
            let mine = files::read_all(&main).ok();
            if mine.as_deref() != Some(copy_bytes.as_slice()) {
                return Err(FoldError::KeyConflict {
                    main,
                    copy: path.to_path_buf(),
                });
            }
        }
        "progress.json" => fold_progress(store, path, &copy_bytes, lock, &mut folded)?,
        _ => {
            let merged = fold_log(store, base, &[&copy_bytes], key, lock)?;
            folded.added = merged.added;
            folded.updated = merged.updated;
            folded.unreadable = merged.unreadable;
        }
    }
    if let Some(lock) = lock {
        folded.aside = Some(move_aside(path, lock)?);
    }
    Ok(folded)
}

/// Renames a folded copy to `merged-<time>-<name>` (never over another file), and makes
/// the rename durable.
fn move_aside(path: &Path, _lock: &files::Lock) -> Result<PathBuf, StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let name = format!("merged-{stamp}-{}", seal::file_name(path));
    files::rename_aside(path, dir, &name).map_err(io_err("move aside", path))
}

/// Merges `copies` into the log `name` of the store, deletions applied, and (with the
/// lock) saves the result when anything changed; without the lock, only works it out.
fn fold_log(
    store: &Store,
    name: &str,
    copies: &[&[u8]],
    key: Option<&Unlocked>,
    lock: Option<&files::Lock>,
) -> Result<LogMerge, StoreError> {
    let main = &store.dir().join(name);
    if let Some(lock) = lock
        && main.exists()
    {
        files::set_aside_unfinished(main, lock).map_err(io_err("repair", main))?;
    }
    let mine = match files::read_all(main) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_err("read", main)(e)),
    };
    let deleted = if name == DELETED {
        HashSet::new()
    } else {
        deleted_ids(store, name, key)?
    };
    let merged = merge_log(name, &mine, copies, &deleted, key);
    if let Some(lock) = lock
        && (merged.added > 0 || merged.updated > 0 || merged.removed > 0)
    {
        files::replace_with(main, lock, |out| out.write_all(&merged.bytes))
            .map_err(io_err("merge into", main))?;
    }
    Ok(merged)
}

/// The ids deleted from the file `name`, as [`DELETED`] remembers them.
fn deleted_ids(
    store: &Store,
    name: &str,
    key: Option<&Unlocked>,
) -> Result<HashSet<String>, StoreError> {
    deleted_in(&store.dir().join(DELETED), name, key)
}

/// The ids deleted from the file `name`, as the deletions file at `path` remembers them
/// (none when there is no such file).
pub(crate) fn deleted_in(
    path: &Path,
    name: &str,
    key: Option<&Unlocked>,
) -> Result<HashSet<String>, StoreError> {
    match files::read_all(path) {
        Ok(bytes) => Ok(deleted_in_bytes(&bytes, name, key)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(io_err("read", path)(e)),
    }
}

/// The ids deleted from the file `name`, in the bytes of a deletions file.
pub(crate) fn deleted_in_bytes(
    bytes: &[u8],
    name: &str,
    key: Option<&Unlocked>,
) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut buf = Vec::new();
    for line in lines(bytes) {
        let plain = match (seal::is_sealed(line), key) {
            (false, _) => line,
            (true, Some(key)) => match key.open_into(DELETED, line, &mut buf) {
                Some(p) => p,
                None => continue,
            },
            (true, None) => continue,
        };
        if let Ok(d) = serde_json::from_slice::<Deletion>(plain)
            && d.file == name
        {
            ids.insert(d.id);
        }
    }
    ids
}

/// Two versions of the log file `name` merged into one (see the module documentation):
/// what git's merge driver writes.
pub(crate) fn merge_bytes(
    name: &str,
    ours: &[u8],
    theirs: &[u8],
    deleted: &HashSet<String>,
    key: Option<&Unlocked>,
) -> Vec<u8> {
    merge_log(name, ours, &[theirs], deleted, key).bytes
}

/// Removes from the journal every entry that [`DELETED`] names (deletions that arrived
/// from another device, by git or a sync tool), under the lock. Returns how many.
pub(crate) fn apply_deletions(store: &Store) -> Result<usize, StoreError> {
    let key = seal::current();
    let deleted = deleted_ids(store, "journal.jsonl", key.as_deref())?;
    if deleted.is_empty() {
        return Ok(0);
    }
    let lock = store.lock()?;
    Ok(fold_log(store, "journal.jsonl", &[], key.as_deref(), Some(&lock))?.removed)
}

/// What a log merge made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogMerge {
    /// The merged file, every line ending in a newline.
    pub bytes: Vec<u8>,
    pub added: usize,
    pub updated: usize,
    /// Records of the main file dropped because they were deleted elsewhere.
    pub removed: usize,
    /// Lines of the other versions that could not be read.
    pub unreadable: usize,
}

/// The fields of a record a merge looks at.
#[derive(Deserialize)]
struct Probe {
    id: Option<String>,
    at: Option<DateTime<FixedOffset>>,
    edited_at: Option<DateTime<FixedOffset>>,
}

/// One record as stored, with what the merge needs of it.
struct Record<'a> {
    stored: &'a [u8],
    id: Option<String>,
    at: Option<DateTime<FixedOffset>>,
    changed: Option<DateTime<FixedOffset>>,
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty())
}

fn records<'a>(name: &str, bytes: &'a [u8], key: Option<&Unlocked>) -> Vec<Record<'a>> {
    let mut buf = Vec::new();
    lines(bytes)
        .map(|stored| {
            let plain = if seal::is_sealed(stored) {
                key.and_then(|k| k.open_into(name, stored, &mut buf))
            } else {
                Some(stored)
            };
            let probe = plain.and_then(|p| serde_json::from_slice::<Probe>(p).ok());
            match probe {
                Some(p) => Record {
                    stored,
                    changed: p.edited_at.or(p.at),
                    at: p.at,
                    id: p.id.filter(|id| !id.is_empty()),
                },
                None => Record {
                    stored,
                    id: None,
                    at: None,
                    changed: None,
                },
            }
        })
        .collect()
}

/// Merges `others` into `main`, two versions of the log file `name` (see the module
/// documentation). `deleted` holds the ids that stay deleted.
pub(in crate::journal) fn merge_log(
    name: &str,
    main: &[u8],
    others: &[&[u8]],
    deleted: &HashSet<String>,
    key: Option<&Unlocked>,
) -> LogMerge {
    let mut mine = records(name, main, key);
    let before = mine.len();
    mine.retain(|r| r.id.as_ref().is_none_or(|id| !deleted.contains(id)));
    let removed = before - mine.len();
    let mut index: HashMap<String, Place> = mine
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.id.clone().map(|id| (id, Place::Main(i))))
        .rev()
        .collect();
    let mut new: Vec<Record<'_>> = Vec::new();
    let (mut updated, mut unreadable) = (0, 0);
    for other in others {
        for record in records(name, other, key) {
            let Some(id) = record.id.clone() else {
                unreadable += 1;
                continue;
            };
            if deleted.contains(&id) {
                continue;
            }
            let slot = match index.get(&id) {
                None => {
                    index.insert(id, Place::New(new.len()));
                    new.push(record);
                    continue;
                }
                Some(Place::Main(i)) => &mut mine[*i],
                Some(Place::New(i)) => &mut new[*i],
            };
            if record.changed > slot.changed && record.stored != slot.stored {
                if matches!(index.get(&id), Some(Place::Main(_))) {
                    updated += 1;
                }
                *slot = record;
            }
        }
    }
    let added = new.len();
    // The other side's records go in among this file's by time, each before the first
    // record of this file that is later than it; this file's order is kept as it is.
    new.sort_by_key(|r| r.at);
    let mut out =
        Vec::with_capacity(main.len() + new.iter().map(|r| r.stored.len() + 1).sum::<usize>());
    let mut pending = new.into_iter().peekable();
    for record in &mine {
        if let Some(at) = record.at {
            while let Some(next) = pending.next_if(|n| n.at.is_none_or(|t| t < at)) {
                out.extend_from_slice(next.stored);
                out.push(b'\n');
            }
        }
        out.extend_from_slice(record.stored);
        out.push(b'\n');
    }
    for record in pending {
        out.extend_from_slice(record.stored);
        out.push(b'\n');
    }
    LogMerge {
        bytes: out,
        added,
        updated,
        removed,
        unreadable,
    }
}

#[derive(Clone, Copy)]
enum Place {
    Main(usize),
    New(usize),
}

fn fold_progress(
    store: &Store,
    path: &Path,
    copy: &[u8],
    lock: Option<&files::Lock>,
    folded: &mut Folded,
) -> Result<(), StoreError> {
    let theirs = seal::open_document(path, copy.to_vec())
        .ok()
        .and_then(|plain| serde_json::from_slice::<Progress>(&plain).ok());
    let Some(mut theirs) = theirs else {
        folded.unreadable = 1;
        return Ok(());
    };
    // Their answer in flight counts if its entry reached the journal.
    if let Some(pending) = theirs.pending.take()
        && !store.find(&pending.entry)?.is_empty()
    {
        for change in &pending.changes {
            theirs.apply(change);
        }
    }
    folded.updated = 1;
    if let Some(lock) = lock {
        let mut mine = store.writable_progress()?;
        merge_progress(&mut mine, theirs);
        store.write_progress(&mine, lock)?;
    }
    Ok(())
}

/// Merges `theirs` into `mine`, field by field: what was seen or finished on either
/// side counts from its earliest time; answers in progress are the union; of two
/// onboardings the later counts, but a "they asked for no contact" or "I felt unsafe"
/// on either side holds; a pause on either side holds; of two outcomes the later
/// counts, but "moved on" on either side holds; a door closed on either side (a declined
/// offer after "they said no") stays closed. Nothing either side saved is dropped:
/// fields only one side knows are kept.
pub(crate) fn merge_progress(mine: &mut Progress, theirs: Progress) {
    mine.welcome_seen_at = earliest(mine.welcome_seen_at, theirs.welcome_seen_at);
    let unknown = mine.onboarding_unknown || theirs.onboarding_unknown;
    mine.onboarding = match (mine.onboarding.take(), theirs.onboarding) {
        (Some(a), Some(b)) => {
            let (no_contact, unsafe_) =
                (a.no_contact || b.no_contact, a.felt_unsafe || b.felt_unsafe);
            let mut later = if b.answered_at > a.answered_at { b } else { a };
            later.no_contact = no_contact;
            later.felt_unsafe = unsafe_;
            Some(later)
        }
        (a, b) => a.or(b),
    };
    mine.onboarding_unknown = unknown && mine.onboarding.is_none();
    // A safety answer kept before onboarding was finished, on either side, holds.
    let safety = match (mine.safety_answers.take(), theirs.safety_answers) {
        (Some(mut a), Some(b)) => {
            a.no_contact |= b.no_contact;
            a.felt_unsafe |= b.felt_unsafe;
            a.at = a.at.min(b.at);
            Some(a)
        }
        (a, b) => a.or(b),
    };
    match (&mut mine.onboarding, safety) {
        (Some(o), Some(s)) => {
            o.no_contact |= s.no_contact;
            o.felt_unsafe |= s.felt_unsafe;
        }
        (None, s) => mine.safety_answers = s,
        (Some(_), None) => {}
    }
    for (id, step) in theirs.steps {
        let ours = mine.steps.entry(id).or_default();
        ours.intro_seen_at = earliest(ours.intro_seen_at, step.intro_seen_at);
        for prompt in step.answered {
            if !ours.answered.contains(&prompt) {
                ours.answered.push(prompt);
            }
        }
        ours.not_ready_at = ours.not_ready_at.max(step.not_ready_at);
        ours.completed_at = earliest(ours.completed_at, step.completed_at);
        ours.paused_at = ours.paused_at.max(step.paused_at);
        // A door closed on either side stays closed until the person opens it again.
        ours.door = match (ours.door.take(), step.door) {
            (Some(a), Some(b)) => Some(if b.at > a.at { b } else { a }),
            (a, b) => a.or(b),
        };
        // The checks of a round still open on either side; a finished step has none.
        for (check, yes) in step.checked {
            ours.checked.entry(check).or_insert(yes);
        }
        if ours.completed_at.is_some() {
            ours.checked.clear();
        }
        for (k, v) in step.extra {
            ours.extra.entry(k).or_insert(v);
        }
    }
    mine.outcome = match (mine.outcome.take(), theirs.outcome) {
        (Some(a), Some(b)) => {
            let moved_on = |o: &crate::journal::progress::Outcome| o.kind == OutcomeKind::MovedOn;
            Some(match (moved_on(&a), moved_on(&b)) {
                (true, false) => a,
                (false, true) => b,
                _ if b.at > a.at => b,
                _ => a,
            })
        }
        (a, b) => a.or(b),
    };
    mine.mood_skipped_at = mine.mood_skipped_at.max(theirs.mood_skipped_at);
    for (k, v) in theirs.extra {
        mine.extra.entry(k).or_insert(v);
    }
}

fn earliest(
    a: Option<DateTime<FixedOffset>>,
    b: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
