//! The only code that writes to the data directory: private creation, the lock,
//! fsync'd appends and atomic replacement.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` (and parents) readable by the owner only, if it does not exist yet.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// True when people other than the owner may read or enter `dir`.
pub fn readable_by_others(dir: &Path) -> bool {
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
pub fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    options.mode(0o600);
    options
}

/// Holds the exclusive lock on the data directory's lock file until dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Takes the exclusive lock on `path`, creating the file (never deleted) if needed.
/// Blocks until any other exback process lets go.
pub fn lock(path: &Path) -> io::Result<Lock> {
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    file.lock()?;
    Ok(Lock { file })
}

/// Appends one line to `path` and fsyncs it. If the file's last line was cut short
/// (a crash mid-append), a newline is written first so the new line stays whole and
/// the damaged bytes stay exactly as they were. If the write or the fsync fails, the
/// file is cut back to its old length, so a failed save leaves no trace.
pub fn append_line(path: &Path, line: &str, lock: &Lock) -> io::Result<()> {
    append_lines(path, &[line], lock)
}

/// Appends several lines in one write and one fsync, with the same guarantees as
/// [`append_line`]: all of them are saved, or none.
pub fn append_lines(path: &Path, lines: &[&str], _lock: &Lock) -> io::Result<()> {
    debug_assert!(lines.iter().all(|l| !l.contains('\n')));
    let _saving = crate::interrupt::save_guard();
    let existed = path.exists();
    let mut file = private_options()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 1);
    let len = file.metadata()?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            buf.push(b'\n');
        }
    }
    for line in lines {
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
    }
    if let Err(e) = file.write_all(&buf).and_then(|()| file.sync_data()) {
        let _ = file.set_len(len);
        return Err(e);
    }
    if !existed {
        sync_dir(path)?;
    }
    Ok(())
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The prefix every temporary file starts with; readers ignore such files.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Replaces `path` with what `write` produces, atomically: the output goes to a private
/// temp file in the same directory, which is fsynced, renamed over the old file, and the
/// directory fsynced. A crash or an error at any moment leaves either the old file or
/// the new one, never a mix, and no temp file on error.
pub fn replace_with(
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
pub fn replace_unlocked(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = temp_path(dir, path);
    let _saving = crate::interrupt::save_guard();
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
pub fn replace(path: &Path, bytes: &[u8], lock: &Lock) -> io::Result<()> {
    replace_with(path, lock, |out| out.write_all(bytes))
}

/// What to do with one line when rewriting a file.
pub enum Line {
    Keep,
    Drop,
    Replace(Vec<u8>),
}

/// Rewrites the line-oriented file `path` through `decide` (given the 1-based line number
/// and the line without its newline), atomically (see [`replace_with`]). Kept lines are
/// copied byte for byte.
pub fn rewrite_lines(
    path: &Path,
    lock: &Lock,
    mut decide: impl FnMut(usize, &[u8]) -> Line,
) -> io::Result<()> {
    use std::io::BufRead;
    let mut reader = io::BufReader::new(File::open(path)?);
    replace_with(path, lock, |out| {
        let mut buf = Vec::new();
        let mut number = 0;
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            number += 1;
            let content = buf.strip_suffix(b"\n").unwrap_or(&buf);
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

/// Writes `bytes` to a new private file `name` in `dir`, never replacing anything:
/// if the name is taken, `.1`, `.2`, … is added. Returns the path written.
pub fn create_aside(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let _saving = crate::interrupt::save_guard();
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
