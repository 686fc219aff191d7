//! The only code that writes to the data directory: private creation, the lock,
//! fsync'd appends and atomic replacement; and the one way data files are opened.
//!
//! Every data file is opened without following a symbolic link (`O_NOFOLLOW`) and
//! without waiting on a FIFO (`O_NONBLOCK`), then checked with `fstat`: it must be a
//! regular file owned by the user running exback. Anything else is refused with a
//! message saying what it is, so exback never writes a journal through a link to
//! somewhere else and never hangs on a pipe.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` (and parents) readable by the owner only, if it does not exist yet.
pub(in crate::journal) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// True when people other than the owner may read or enter `dir`.
pub(in crate::journal) fn readable_by_others(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// Options that create a file readable by its owner only (0600): every private file
/// exback makes is opened this way (the data files, the editor's file, exports).
pub(crate) fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    options.mode(0o600);
    options
}

/// What a file turned out to be, when it is not a regular file (of this user, for a
/// data file), and whether it is a file of a content pack, which the advice differs for.
#[derive(Debug)]
pub(in crate::journal) struct NotRegular {
    what: &'static str,
    in_pack: bool,
}

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.in_pack {
            write!(
                f,
                "it is {}; exback reads a content pack only from regular files (put a regular \
                 file in its place, or choose another folder with --content-dir)",
                self.what
            )
        } else {
            write!(
                f,
                "it is {}; exback keeps its data only in regular files of its own and leaves \
                 this one alone (move it out of the data directory)",
                self.what
            )
        }
    }
}

impl std::error::Error for NotRegular {}

fn not_regular(what: &'static str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        NotRegular {
            what,
            in_pack: false,
        },
    )
}

/// True when `e` says a data file is a link, a FIFO, a folder or someone else's.
pub(in crate::journal) fn is_not_regular(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(<dyn std::error::Error + Send + Sync>::is::<NotRegular>)
}

/// Opens a data file with `options`, never through a symbolic link and never blocking
/// on a FIFO, and refuses anything but a regular file owned by this user.
fn open_checked(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = match options.open(path) {
        Ok(f) => f,
        // ELOOP is what O_NOFOLLOW gives for a link.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(not_regular("a symbolic link"));
        }
        Err(e) => return Err(e),
    };
    check_regular(&file.metadata()?)?;
    Ok(file)
}

/// Refuses what is not a regular file owned by the user running exback.
fn check_regular(meta: &fs::Metadata) -> io::Result<()> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(not_regular("a folder"));
    }
    if kind.is_symlink() {
        return Err(not_regular("a symbolic link"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        if kind.is_fifo() {
            return Err(not_regular("a named pipe (FIFO)"));
        }
        if kind.is_socket() {
            return Err(not_regular("a socket"));
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Err(not_regular("a device"));
        }
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Err(not_regular("owned by another user"));
        }
    }
    if !kind.is_file() {
        return Err(not_regular("not a regular file"));
    }
    Ok(())
}

/// Reads a file that is not in the data directory (a content pack) and may be anyone's
/// or a link, but must be a regular file: a FIFO or a device is refused, never waited on,
/// and a file larger than [`crate::limits::CONTENT_FILE`] is refused from its size.
pub(in crate::journal) fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NONBLOCK);
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            NotRegular {
                what: if meta.is_dir() {
                    "a folder"
                } else {
                    "not a regular file (a pipe or a device)"
                },
                in_pack: true,
            },
        ));
    }
    if meta.len() > crate::limits::CONTENT_FILE.bytes {
        return Err(crate::limits::too_large(crate::limits::CONTENT_FILE));
    }
    crate::limits::read(&mut file, crate::limits::CONTENT_FILE)
}

/// Opens a data file for reading (see [`open_checked`]).
pub(in crate::journal) fn open_read(path: &Path) -> io::Result<File> {
    open_checked(path, OpenOptions::new().read(true))
}

/// Reads a whole data file (see [`open_checked`]).
pub(in crate::journal) fn read_all(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_read(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

thread_local! {
    /// True while this thread holds the save guard through a [`Saving`].
    static SAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Ctrl-C waits while this lives (see [`crate::interrupt::save_guard`]). Taken again
/// on the same thread it is a no-op, so one save made of several writes (an import)
/// can hold it across all of them.
pub(in crate::journal) struct Saving(Option<std::sync::MutexGuard<'static, ()>>);

/// Holds off Ctrl-C until the returned value is dropped.
pub(in crate::journal) fn saving() -> Saving {
    if SAVING.get() {
        return Saving(None);
    }
    let guard = crate::interrupt::save_guard();
    SAVING.set(true);
    Saving(Some(guard))
}

impl Drop for Saving {
    fn drop(&mut self) {
        if self.0.is_some() {
            SAVING.set(false);
        }
    }
}

/// Holds the exclusive lock on the data directory's lock file until dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Takes the exclusive lock on `path`, creating the file (never deleted) if needed.
/// Blocks until any other exback process lets go.
pub(in crate::journal) fn lock(path: &Path) -> io::Result<Lock> {
    let file = open_checked(
        path,
        private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )?;
    file.lock()?;
    Ok(Lock { file })
}

/// Appends one line to `path` and fsyncs it. If the file ends in a line without its
/// newline that is not a whole record (a crash mid-append: never acknowledged), those
/// bytes are first copied to a `damaged-…` file beside it and the file is cut back to
/// its last whole line, so a crash never leaves damage in the middle of a file. If the
/// write or the fsync fails, the file is cut back to its old length, so a failed save
/// leaves no trace.
pub(in crate::journal) fn append_line(path: &Path, line: &str, lock: &Lock) -> io::Result<()> {
    append_lines(path, &[line], lock)
}

/// Appends several lines in one write and one fsync, with the same guarantees as
/// [`append_line`]: all of them are saved, or none.
pub(in crate::journal) fn append_lines(
    path: &Path,
    lines: &[&str],
    _lock: &Lock,
) -> io::Result<()> {
    debug_assert!(lines.iter().all(|l| !l.contains('\n')));
    let _saving = saving();
    let existed = path.exists();
    let mut file = open_checked(path, private_options().read(true).write(true).create(true))?;
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 1);
    let mut len = file.metadata()?.len();
    if let Some(tail) = unfinished_tail(&mut file, len)? {
        if crate::journal::read::is_unfinished(&tail.bytes) {
            set_aside_tail(path, &file, &tail)?;
            len = tail.start;
        } else if !tail.bytes.trim_ascii().is_empty() {
            // A whole record that only lacks its newline (written by hand): keep it.
            buf.push(b'\n');
        }
    }
    // In an encrypted directory each line is sealed on its own: still one line, one write.
    let sealer = super::keystate::sealer_for(path).map_err(io::Error::other)?;
    for line in lines {
        match &sealer {
            Some(key) if !super::seal::is_sealed(line.as_bytes()) => buf.extend_from_slice(
                &key.seal(&super::seal::bound_name(path), line.as_bytes())
                    .map_err(io::Error::other)?,
            ),
            _ => buf.extend_from_slice(line.as_bytes()),
        }
        buf.push(b'\n');
    }
    file.seek(SeekFrom::Start(len))?;
    if let Err(e) = file.write_all(&buf).and_then(|()| file.sync_data()) {
        let _ = file.set_len(len);
        return Err(e);
    }
    if !existed {
        sync_dir(path)?;
    }
    Ok(())
}

/// The bytes after the last newline of a file, when it does not end in one.
pub(in crate::journal) struct Tail {
    /// Offset where the unfinished line starts.
    pub start: u64,
    pub bytes: Vec<u8>,
}

/// Finds the unfinished last line of a `len`-byte file, reading backwards in chunks.
pub(in crate::journal) fn unfinished_tail(file: &mut File, len: u64) -> io::Result<Option<Tail>> {
    const STEP: u64 = 64 * 1024;
    if len == 0 {
        return Ok(None);
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(None);
    }
    let mut end = len;
    let mut start = 0;
    while end > 0 {
        let from = end.saturating_sub(STEP);
        let mut chunk = vec![0u8; usize::try_from(end - from).unwrap_or(0)];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut chunk)?;
        if let Some(i) = memchr::memrchr(b'\n', &chunk) {
            start = from + i as u64 + 1;
            break;
        }
        end = from;
    }
    let mut bytes = vec![0u8; usize::try_from(len - start).unwrap_or(0)];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut bytes)?;
    Ok(Some(Tail { start, bytes }))
}

/// Under the lock, moves an unfinished last line of `path` aside (see
/// [`append_lines`]) and returns where it went; `None` if there was none.
pub(in crate::journal) fn set_aside_unfinished(
    path: &Path,
    _lock: &Lock,
) -> io::Result<Option<PathBuf>> {
    let _saving = saving();
    let mut file = open_checked(path, OpenOptions::new().read(true).write(true))?;
    let len = file.metadata()?.len();
    match unfinished_tail(&mut file, len)? {
        Some(tail) if crate::journal::read::is_unfinished(&tail.bytes) => {
            set_aside_tail(path, &file, &tail).map(Some)
        }
        _ => Ok(None),
    }
}

/// Copies a torn tail to `damaged-<time>-<name>` beside `path` (never deleted), then
/// cuts the file back to where the tail starts.
fn set_aside_tail(path: &Path, file: &File, tail: &Tail) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let aside = create_aside_unguarded(dir, &format!("damaged-{stamp}-{name}"), &tail.bytes)?;
    file.set_len(tail.start)?;
    file.sync_data()?;
    Ok(aside)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The prefix every temporary file starts with; readers ignore such files.
pub(in crate::journal) const TEMP_PREFIX: &str = ".tmp-";

/// Replaces `path` with what `write` produces, atomically: the output goes to a private
/// temp file in the same directory, which is fsynced, renamed over the old file, and the
/// directory fsynced. A crash or an error at any moment leaves either the old file or
/// the new one, never a mix, and no temp file on error.
pub(in crate::journal) fn replace_with(
    path: &Path,
    _lock: &Lock,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // In an encrypted directory what is written is sealed before it reaches the temp file.
    match super::keystate::sealer_for(path).map_err(io::Error::other)? {
        None => replace_unlocked(path, write),
        Some(key) => replace_unlocked(path, |out| {
            let mut sealing =
                super::seal::SealingWriter::new(out, key, &super::seal::bound_name(path));
            write(&mut sealing)?;
            sealing.finish()
        }),
    }
}

/// Replaces `path` with exactly the bytes `write` produces, sealed or not (only
/// `decrypt`, which turns sealed files back into plain ones, needs this).
pub(in crate::journal) fn replace_raw(
    path: &Path,
    _lock: &Lock,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    replace_unlocked(path, write)
}

/// Replaces `path` outside the data directory (an export the user asked for) the same
/// way as [`replace_with`]: private temp file beside it, fsync, rename, fsync the folder.
/// The result is readable by its owner only, whatever the old file's mode was, and a
/// failure leaves the old file as it was. No lock: the file is not exback's to share.
pub(crate) fn replace_unlocked(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = temp_path(dir, path);
    let _saving = saving();
    let result = (|| {
        let file = private_options().write(true).create_new(true).open(&temp)?;
        let mut out = io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        sync_dir(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Replaces `path` with `bytes` atomically (see [`replace_with`]).
pub(in crate::journal) fn replace(path: &Path, bytes: &[u8], lock: &Lock) -> io::Result<()> {
    replace_with(path, lock, |out| out.write_all(bytes))
}

/// What to do with one line when rewriting a file.
pub(in crate::journal) enum Line {
    Keep,
    Drop,
    Replace(Vec<u8>),
}

/// Rewrites the line-oriented file `path` through `decide` (given the 1-based line number
/// and the line without its newline), atomically (see [`replace_with`]). Kept lines are
/// copied byte for byte.
pub(in crate::journal) fn rewrite_lines(
    path: &Path,
    lock: &Lock,
    mut decide: impl FnMut(usize, &[u8]) -> Line,
) -> io::Result<()> {
    use std::io::BufRead;
    let mut reader = io::BufReader::new(open_read(path)?);
    // `decide` sees sealed lines opened; kept ones are still copied as they are.
    let key = super::seal::current();
    let name = super::seal::bound_name(path);
    let mut plain = Vec::new();
    replace_with(path, lock, |out| {
        let mut buf = Vec::new();
        let mut number = 0;
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            number += 1;
            let mut content = buf.strip_suffix(b"\n").unwrap_or(&buf);
            if let Some(key) = &key
                && super::seal::is_sealed(content)
                && let Some(opened) = key.open_into(&name, content.trim_ascii(), &mut plain)
            {
                content = opened;
            }
            match decide(number, content) {
                Line::Keep => out.write_all(&buf)?,
                Line::Drop => {}
                Line::Replace(bytes) => {
                    out.write_all(&bytes)?;
                    out.write_all(b"\n")?;
                }
            }
        }
    })
}

fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        "{TEMP_PREFIX}{name}.{}.{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Removes `path` and fsyncs its directory, so the removal survives a crash.
pub(in crate::journal) fn remove(path: &Path) -> io::Result<()> {
    let _saving = saving();
    fs::remove_file(path)?;
    sync_dir(path)
}

/// Writes `bytes` to a new private file `name` in `dir`, never replacing anything:
/// if the name is taken, `.1`, `.2`, … is added. Returns the path written.
pub(in crate::journal) fn create_aside(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> io::Result<PathBuf> {
    let _saving = saving();
    create_aside_unguarded(dir, name, bytes)
}

/// Moves `path` to a new name `name` in `dir`, never over another file (`.1`, `.2`, … is
/// added if the name is taken), and makes the move durable. Returns the new path.
pub(in crate::journal) fn rename_aside(path: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    let _saving = saving();
    for n in 0u32.. {
        let to = if n == 0 {
            dir.join(name)
        } else {
            dir.join(format!("{name}.{n}"))
        };
        // A link never replaces anything; where links are not to be had (some sync
        // folders' file systems), a rename after a look, under the lock.
        match fs::hard_link(path, &to) {
            Ok(()) => fs::remove_file(path)?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if to.symlink_metadata().is_ok() => continue,
            Err(_) => fs::rename(path, &to)?,
        }
        sync_dir(&to)?;
        return Ok(to);
    }
    Err(io::Error::other("no free file name"))
}

/// [`create_aside`] for callers that already hold the save guard.
fn create_aside_unguarded(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    for n in 0u32.. {
        let path = if n == 0 {
            dir.join(name)
        } else {
            dir.join(format!("{name}.{n}"))
        };
        let mut file = match private_options().write(true).create_new(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        file.write_all(bytes)?;
        file.sync_all()?;
        sync_dir(&path)?;
        return Ok(path);
    }
    Err(io::Error::other("no free file name"))
}

fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?
        .sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"v":1,"id":"abc"}"#;

    /// The files named `damaged-…` in `dir`, with what each holds.
    fn set_aside(dir: &Path) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("damaged-")
            })
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read_to_string(&p).unwrap())
            })
            .collect();
        found.sort();
        found
    }

    /// Appends `line` to a file that holds `before`, under the lock; what the file holds
    /// after, and what was set aside (the part of each aside file's name after its time).
    fn append_to(before: &str, line: &str) -> (String, Vec<(String, String)>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        fs::write(&path, before).unwrap();
        let lock = lock(&dir.path().join("exback.lock")).unwrap();
        append_line(&path, line, &lock).unwrap();
        let aside = set_aside(dir.path())
            .into_iter()
            .map(|(name, text)| (name.rsplit('-').next().unwrap().to_string(), text))
            .collect();
        (fs::read_to_string(&path).unwrap(), aside)
    }

    #[test]
    fn an_append_after_a_cut_short_save_sets_the_torn_tail_aside_first() {
        let torn = r#"{"v":1,"id":"to"#;
        let (after, aside) = append_to(&format!("{GOOD}\n{torn}"), "{}");
        assert_eq!(after, format!("{GOOD}\n{{}}\n"));
        assert_eq!(aside, [("journal.jsonl".to_string(), torn.to_string())]);
    }

    #[test]
    fn a_file_that_is_only_a_torn_line_is_set_aside_whole() {
        let torn = r#"{"v":1,"id":"to"#;
        let (after, aside) = append_to(torn, "{}");
        assert_eq!(after, "{}\n");
        assert_eq!(aside, [("journal.jsonl".to_string(), torn.to_string())]);
    }

    #[test]
    fn a_torn_tail_longer_than_one_read_is_set_aside_whole() {
        let torn = format!(r#"{{"v":1,"answer":"{}"#, "x".repeat(200_000));
        let (after, aside) = append_to(&format!("{GOOD}\n{torn}"), "{}");
        assert_eq!(after, format!("{GOOD}\n{{}}\n"));
        assert_eq!(aside, [("journal.jsonl".to_string(), torn)]);
    }

    #[test]
    fn a_whole_last_record_without_its_newline_is_kept_and_the_new_line_goes_after_it() {
        let (after, aside) = append_to(GOOD, "{}");
        assert_eq!(after, format!("{GOOD}\n{{}}\n"));
        assert!(aside.is_empty());
        // Trailing blanks are neither a record nor damage: nothing is added for them.
        let (after, aside) = append_to(&format!("{GOOD}\n  "), "{}");
        assert_eq!(after, format!("{GOOD}\n  {{}}\n"));
        assert!(aside.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_as_a_device() {
        let err = read_all(Path::new("/dev/null")).unwrap_err();
        assert!(is_not_regular(&err));
        assert!(err.to_string().starts_with("it is a device;"), "{err}");
    }

    #[test]
    fn in_an_encrypted_dir_a_plain_line_is_sealed_and_a_sealed_one_kept_as_it_is() {
        use super::super::seal;
        // Unit tests that unlock a key hold this guard, so none replaces this one's key.
        let _guard = seal::test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        fs::write(dir.path().join(seal::KEY_FILE), "a wrapped key").unwrap();
        let lock = lock(&dir.path().join("exback.lock")).unwrap();
        let key = seal::new_key(dir.path(), "p".to_owned().into());
        let sealed = String::from_utf8(key.seal("journal.jsonl", b"{}").unwrap()).unwrap();
        append_lines(&path, &[GOOD, &sealed], &lock).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(seal::is_sealed(lines[0].as_bytes()), "{text}");
        assert_eq!(
            key.open("journal.jsonl", lines[0].as_bytes()).unwrap(),
            GOOD.as_bytes()
        );
        assert_eq!(lines[1], sealed);
    }

    #[test]
    fn a_torn_last_line_is_moved_aside_and_anything_else_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("moods.jsonl");
        let lock = lock(&dir.path().join("exback.lock")).unwrap();
        let torn = r#"{"v":1,"sco"#;
        fs::write(&path, format!("{GOOD}\n{torn}")).unwrap();
        let aside = set_aside_unfinished(&path, &lock).unwrap().unwrap();
        let name = aside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("damaged-") && name.ends_with("-moods.jsonl"),
            "{name}"
        );
        assert_eq!(fs::read_to_string(&aside).unwrap(), torn);
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{GOOD}\n"));
        // A whole record without its newline, and a file ending in one, stay as they are.
        for kept in [format!("{GOOD}\n{GOOD}"), format!("{GOOD}\n")] {
            fs::write(&path, &kept).unwrap();
            assert_eq!(set_aside_unfinished(&path, &lock).unwrap(), None);
            assert_eq!(fs::read_to_string(&path).unwrap(), kept);
        }
        assert_eq!(set_aside(dir.path()).len(), 1);
    }

    #[test]
    fn rewrite_lines_numbers_lines_from_one_and_keeps_the_rest_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let lock = lock(&dir.path().join("exback.lock")).unwrap();
        fs::write(&path, "one\ntwo  \n\nthree\nfour").unwrap();
        let mut seen = Vec::new();
        rewrite_lines(&path, &lock, |n, line| {
            seen.push((n, String::from_utf8(line.to_vec()).unwrap()));
            match n {
                2 => Line::Drop,
                4 => Line::Replace(b"THREE".to_vec()),
                _ => Line::Keep,
            }
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (1, "one".to_string()),
                (2, "two  ".to_string()),
                (3, String::new()),
                (4, "three".to_string()),
                (5, "four".to_string()),
            ]
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\n\nTHREE\nfour");
    }

    #[test]
    fn replace_raw_writes_exactly_what_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        let lock = lock(&dir.path().join("exback.lock")).unwrap();
        fs::write(&path, "old").unwrap();
        replace_raw(&path, &lock, |out| out.write_all(b"new\n")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
    }

    #[test]
    fn remove_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.age");
        fs::write(&path, "k").unwrap();
        remove(&path).unwrap();
        assert!(!path.exists());
        assert!(remove(&path).is_err(), "nothing left to remove");
    }

    #[test]
    fn create_aside_never_replaces_a_file_and_numbers_the_next_ones() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<PathBuf> = (0..3)
            .map(|i| create_aside(dir.path(), "damaged-x", format!("{i}").as_bytes()).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                dir.path().join("damaged-x"),
                dir.path().join("damaged-x.1"),
                dir.path().join("damaged-x.2"),
            ]
        );
        for (i, path) in names.iter().enumerate() {
            assert_eq!(fs::read_to_string(path).unwrap(), i.to_string());
        }
        // A folder that is not there is an error, not a search for a free name.
        let err = create_aside(&dir.path().join("gone"), "damaged-x", b"").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn the_save_guard_is_let_go_when_a_save_ends_and_taken_by_the_next() {
        let first = saving();
        assert!(first.0.is_some());
        assert!(saving().0.is_none(), "taken again within a save: no-op");
        drop(first);
        assert!(saving().0.is_some());
    }
}
