//! Turning a data directory into its encrypted form and back, and changing the
//! passphrase. Each file is replaced atomically on its own, and readers accept plain and
//! sealed records alike, so a conversion cut short at any moment leaves every file
//! readable and running the command again finishes it.
//!
//! Order matters: `encrypt` saves `key.age` before sealing anything (a sealed file is
//! never without its key); `decrypt` opens every file first and removes `key.age` last.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::seal::{self, KEY_FILE, SealError, Unlocked};
use super::{LOCK, Store, StoreError, files, io_err};

/// Why a conversion stopped; what was done before it stays done and readable.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error(
        "{}, line {line}, is encrypted and does not open (damaged, or moved from another file); \
         nothing was decrypted and the directory stays encrypted. `exback doctor --repair` \
         can move the damaged line aside first",
        path.display()
    )]
    DoesNotOpen { path: PathBuf, line: usize },
}

/// The wrapped key of `dir` (`key.age`), read like every data file.
pub fn read_wrapped_key(dir: &Path) -> Result<Vec<u8>, StoreError> {
    let path = dir.join(KEY_FILE);
    files::read_all(&path).map_err(io_err("read", &path))
}

/// The files that hold data, each to be converted: everything in the directory but the
/// key, the lock and temp files.
fn data_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err("read", dir))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            let name = seal::file_name(p);
            name != KEY_FILE && name != LOCK && !name.starts_with(files::TEMP_PREFIX)
        })
        .collect();
    found.sort();
    Ok(found)
}

fn is_log(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "jsonl")
}

/// Encrypts the directory with the unlocked key ([`seal::current`]). `wrapped` is the new `key.age` when the directory
/// is not encrypted yet (saved first); `None` finishes an encryption that was cut short.
/// Returns how many files were sealed.
pub fn encrypt(store: &Store, wrapped: Option<&[u8]>) -> Result<usize, ConvertError> {
    let lock = store.lock()?;
    let key_path = store.dir().join(KEY_FILE);
    if let Some(wrapped) = wrapped {
        files::replace_raw(&key_path, &lock, |out| out.write_all(wrapped))
            .map_err(io_err("save", &key_path))?;
    }
    // A torn last line (a save killed mid-write) is moved aside first, as the next save
    // would do, so that it is not sealed as if it were a record.
    for path in data_files(store.dir())?.iter().filter(|p| is_log(p)) {
        if !seal::file_name(path).starts_with("damaged-") {
            files::set_aside_unfinished(path, &lock).map_err(io_err("repair", path))?;
        }
    }
    let mut sealed = 0;
    for path in data_files(store.dir())? {
        let bytes = files::read_all(&path).map_err(io_err("read", &path))?;
        if fully_sealed(&path, &bytes) {
            continue;
        }
        // replace_with seals what is written, now that key.age is there.
        files::replace_with(&path, &lock, |out| out.write_all(&bytes))
            .map_err(io_err("encrypt", &path))?;
        sealed += 1;
    }
    Ok(sealed)
}

/// True when every record of the file is sealed already.
fn fully_sealed(path: &Path, bytes: &[u8]) -> bool {
    if is_log(path) {
        bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
            .all(seal::is_sealed)
    } else {
        bytes.trim_ascii().is_empty() || seal::is_sealed(bytes)
    }
}

/// Decrypts the directory: every file is replaced with its plain form, then `key.age`
/// is removed. Returns how many files were opened.
pub fn decrypt(store: &Store, key: &Arc<Unlocked>) -> Result<usize, ConvertError> {
    let lock = store.lock()?;
    // Everything must open before anything is turned back: a record that does not open
    // would be lost with the key. (Files of damaged bytes keep what does not open.)
    for path in data_files(store.dir())? {
        let bytes = files::read_all(&path).map_err(io_err("read", &path))?;
        plain_form(&path, &bytes, key)?;
    }
    let mut opened = 0;
    for path in data_files(store.dir())? {
        let bytes = files::read_all(&path).map_err(io_err("read", &path))?;
        let Some(plain) = plain_form(&path, &bytes, key)? else {
            continue;
        };
        files::replace_raw(&path, &lock, |out| out.write_all(&plain))
            .map_err(io_err("decrypt", &path))?;
        opened += 1;
    }
    let key_path = store.dir().join(KEY_FILE);
    files::remove(&key_path).map_err(io_err("remove", &key_path))?;
    seal::forget();
    Ok(opened)
}

/// The plain form of a file's `bytes`, or `None` when nothing in it is sealed.
fn plain_form(path: &Path, bytes: &[u8], key: &Unlocked) -> Result<Option<Vec<u8>>, ConvertError> {
    let name = seal::file_name(path);
    let keep_damaged = name.starts_with("damaged-");
    let does_not_open = |line| ConvertError::DoesNotOpen {
        path: path.to_path_buf(),
        line,
    };
    if !is_log(path) {
        if !seal::is_sealed(bytes) {
            return Ok(None);
        }
        return match key.open(&name, bytes.trim_ascii()) {
            Some(plain) => Ok(Some(plain)),
            None if keep_damaged => Ok(None),
            None => Err(does_not_open(1)),
        };
    }
    if !bytes.split(|b| *b == b'\n').any(seal::is_sealed) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if !seal::is_sealed(body) {
            out.extend_from_slice(line);
            continue;
        }
        match key.open(&name, body.trim_ascii()) {
            Some(plain) => {
                out.extend_from_slice(&plain);
                out.push(b'\n');
            }
            None if keep_damaged => out.extend_from_slice(line),
            None => return Err(does_not_open(i + 1)),
        }
    }
    Ok(Some(out))
}

/// Wraps the unlocked key with a new passphrase and replaces `key.age`: the data files
/// are not touched.
pub fn change_passphrase(store: &Store, wrapped: &[u8]) -> Result<(), ConvertError> {
    let lock = store.lock()?;
    let key_path = store.dir().join(KEY_FILE);
    files::replace_raw(&key_path, &lock, |out| out.write_all(wrapped))
        .map_err(io_err("save", &key_path))?;
    Ok(())
}

/// True when the directory holds a key but a data file still starts with a plain
/// record: an `encrypt` or `decrypt` was cut short.
pub fn unfinished(dir: &Path) -> bool {
    if !seal::is_encrypted(dir) {
        return false;
    }
    let Ok(found) = data_files(dir) else {
        return false;
    };
    found
        .iter()
        .filter(|p| {
            let name = seal::file_name(p);
            !name.starts_with("damaged-") && (is_log(p) || name == super::PROGRESS)
        })
        .any(|p| first_line_plain(p).unwrap_or(false))
}

fn first_line_plain(path: &Path) -> io::Result<bool> {
    use std::io::BufRead as _;
    let mut reader = io::BufReader::new(files::open_read(path)?);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 || line.last() != Some(&b'\n') {
            return Ok(false);
        }
        if !line.trim_ascii().is_empty() {
            return Ok(!seal::is_sealed(&line));
        }
    }
}

/// True when some data file holds a sealed record (whatever `key.age` says).
pub fn has_sealed_records(dir: &Path) -> bool {
    data_files(dir).is_ok_and(|found| {
        found.iter().any(|p| {
            files::read_all(p).is_ok_and(|b| b.split(|c| *c == b'\n').any(seal::is_sealed))
        })
    })
}
