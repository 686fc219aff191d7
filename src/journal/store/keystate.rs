//! Whether a data directory is encrypted, and whether a key belongs to it.
//!
//! A directory is encrypted when it holds `key.age` **or** sealed records: a missing key
//! file never turns encryption off. Without its key nothing is written there (plain
//! text beside sealed lines would be a leak, and a new key would split the journal
//! under two keys). A key that opens none of the sealed records is not this
//! directory's key (a `key.age` copied from another folder): nothing is read, written or
//! repaired with it. See docs/security.md.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::SecretString;

use super::seal::{self, KEY_FILE, SealError, Unlocked};

/// How much of a file's end is read to find its last record.
const TAIL: u64 = 256 * 1024;
/// How much of a file's start is read to find its first record.
const HEAD: usize = 256 * 1024;

/// Whether a data directory is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyState {
    /// No `key.age` and no sealed record: plain text.
    Plain,
    /// `key.age` is there (whether it opens is the passphrase's business).
    Keyed,
    /// Sealed records, but no `key.age`: nothing can be opened or written.
    Missing,
}

/// The state of `dir` (see [`KeyState`]). Cheap: a directory listing, and the first and
/// last record of each data file when there is no key file.
pub(crate) fn state(dir: &Path) -> KeyState {
    if dir.join(KEY_FILE).symlink_metadata().is_ok() {
        KeyState::Keyed
    } else if record_files(dir).iter().any(|p| {
        open(p)
            .and_then(|mut f| sealed_edge(&mut f))
            .unwrap_or(false)
    }) {
        KeyState::Missing
    } else {
        KeyState::Plain
    }
}

/// How far back the start of a file's last record is looked for: past the longest record
/// exback writes (one answer, sealed and in base64), so that no real record hides.
const LAST_RECORD_REACH: u64 = 64 << 20;

/// True when the first or the last record of `file` is sealed. Only the start of each
/// record is read (a sealed record says so in its first bytes), so a long record costs
/// no more than a short one.
fn sealed_edge(file: &mut File) -> io::Result<bool> {
    const BLOCK: u64 = 4096;
    let mut head = Vec::with_capacity(4096);
    file.take(BLOCK).read_to_end(&mut head)?;
    if seal::starts_sealed(head.trim_ascii_start()) {
        return Ok(true);
    }
    // Back from the end: past trailing blanks, to the line break before the last record.
    let len = file.metadata()?.len();
    let mut end = len;
    let mut seen_text = false;
    let mut buf = vec![0u8; 4096];
    while end > 0 && len - end < LAST_RECORD_REACH {
        let start = end.saturating_sub(BLOCK);
        let chunk = &mut buf[..usize::try_from(end - start).unwrap_or(0)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        for (i, b) in chunk.iter().enumerate().rev() {
            if !b.is_ascii_whitespace() {
                seen_text = true;
            } else if *b == b'\n' && seen_text {
                return record_starts_sealed(file, start + i as u64 + 1);
            }
        }
        end = start;
    }
    // One record only, already looked at from the start (or too long to reach).
    Ok(false)
}

fn record_starts_sealed(file: &mut File, at: u64) -> io::Result<bool> {
    let mut start = Vec::with_capacity(64);
    file.seek(SeekFrom::Start(at))?;
    file.take(64).read_to_end(&mut start)?;
    Ok(seal::starts_sealed(start.trim_ascii_start()))
}

/// The error for a directory whose key file is missing.
pub(crate) fn missing(dir: &Path) -> SealError {
    SealError::KeyMissing(dir.to_path_buf())
}

/// True when `name` is a file of set-aside bytes (`damaged-…`, `merged-…`): what does not
/// open there is kept as it is and says nothing about the directory's key.
pub(crate) fn is_aside(name: &str) -> bool {
    name.starts_with("damaged-") || name.starts_with("merged-")
}

/// The files of `dir` that hold records: regular files that are not the key, the lock,
/// dot files (temp files, `.gitignore`) or set-aside bytes, sorted by name.
pub(crate) fn record_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = seal::file_name(p);
            name != KEY_FILE
                && name != crate::journal::LOCK
                && !name.starts_with('.')
                && !is_aside(&name)
        })
        .collect();
    found.sort();
    found
}

/// The first and the last sealed record of each record file of `dir`, with its file name.
fn samples(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for path in record_files(dir) {
        let Ok(mut file) = open(&path) else { continue };
        let name = seal::bound_name(&path);
        for line in edge_lines(&mut file)
            .unwrap_or_default()
            .into_iter()
            .flatten()
        {
            if seal::is_sealed(&line) && !found.iter().any(|(_, l)| *l == line) {
                found.push((name.clone(), line));
            }
        }
    }
    found
}

fn open(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::other("not a regular file"))
    }
}

/// The first and the last non-blank line of `file` (each trimmed), as far as they are
/// within its first and last quarter megabyte.
fn edge_lines(file: &mut File) -> io::Result<[Option<Vec<u8>>; 2]> {
    let len = file.metadata()?.len();
    let mut head = Vec::with_capacity(HEAD.min(usize::try_from(len).unwrap_or(HEAD)));
    file.take(HEAD as u64).read_to_end(&mut head)?;
    let first = head
        .split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty())
        .map(<[u8]>::to_vec);
    let start = len.saturating_sub(TAIL);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.take(TAIL).read_to_end(&mut tail)?;
    let mut lines: Vec<&[u8]> = tail.split(|b| *b == b'\n').collect();
    if start > 0 && lines.len() > 1 {
        // The first piece may be the end of a longer line.
        lines.remove(0);
    }
    let last = lines
        .into_iter()
        .rev()
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty())
        .map(<[u8]>::to_vec);
    Ok([first, last])
}

/// Checks that `key` opens at least one sealed record of `dir` (or that there is none).
/// The first and last records of each file are tried first; only when none of them
/// opens is every line tried, so that a few damaged lines never make a key look foreign.
pub(crate) fn check_belongs(dir: &Path, key: &Unlocked) -> Result<(), SealError> {
    let samples = samples(dir);
    if samples.is_empty()
        || samples
            .iter()
            .any(|(name, line)| key.open(name, line).is_some())
    {
        return Ok(());
    }
    let mut seen_sealed = false;
    let mut buf = Vec::new();
    for path in record_files(dir) {
        let name = seal::bound_name(&path);
        let mut bytes = Vec::new();
        if open(&path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .is_err()
        {
            continue;
        }
        for line in bytes.split(|b| *b == b'\n').map(<[u8]>::trim_ascii) {
            if seal::is_sealed(line) {
                seen_sealed = true;
                if key.open_into(&name, line, &mut buf).is_some() {
                    return Ok(());
                }
            }
        }
    }
    if seen_sealed {
        Err(SealError::ForeignKey(dir.to_path_buf()))
    } else {
        Ok(())
    }
}

/// The key to seal what is written to `path` with: `None` when its directory is plain;
/// an error when it is encrypted and its key was not unlocked (or is missing), so that
/// nothing is ever written there in plain text.
pub(crate) fn sealer_for(path: &Path) -> Result<Option<Arc<Unlocked>>, SealError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    match state(dir) {
        KeyState::Plain => Ok(None),
        KeyState::Missing => Err(missing(dir)),
        KeyState::Keyed => match seal::current() {
            Some(u) if seal::same_dir(u.dir(), dir) => Ok(Some(u)),
            _ => Err(SealError::Locked),
        },
    }
}

/// Opens `dir`'s wrapped key with `passphrase` and makes it the process's key, once it is
/// known to belong to the directory ([`check_belongs`]).
pub(crate) fn unlock(
    dir: &Path,
    wrapped: &[u8],
    passphrase: SecretString,
) -> Result<Arc<Unlocked>, SealError> {
    let key = seal::open_key(dir, wrapped, passphrase)?;
    check_belongs(dir, &key)?;
    Ok(seal::remember(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn only_the_key_of_its_own_directory_seals_an_encrypted_file() {
        let _guard = seal::test_key_guard();
        let plain = tempfile::tempdir().unwrap();
        let mine = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(mine.path().join(KEY_FILE), b"age").unwrap();
        std::fs::write(other.path().join(KEY_FILE), b"age").unwrap();
        assert_eq!(state(mine.path()), KeyState::Keyed);
        assert_eq!(state(plain.path()), KeyState::Plain);
        let key = seal::new_key(mine.path(), SecretString::from("p".to_owned()));
        assert!(
            sealer_for(&plain.path().join("journal.jsonl"))
                .unwrap()
                .is_none()
        );
        let found = sealer_for(&mine.path().join("journal.jsonl"))
            .unwrap()
            .unwrap();
        assert!(Arc::ptr_eq(&found, &key));
        // The same folder named another way.
        std::fs::create_dir(mine.path().join("sub")).unwrap();
        let roundabout = mine.path().join("sub").join("..").join("journal.jsonl");
        let found = sealer_for(&roundabout).unwrap().unwrap();
        assert!(Arc::ptr_eq(&found, &key));
        assert!(matches!(
            sealer_for(&other.path().join("journal.jsonl")),
            Err(SealError::Locked)
        ));
        seal::forget();
        assert!(matches!(
            sealer_for(&mine.path().join("journal.jsonl")),
            Err(SealError::Locked)
        ));
    }

    fn pass(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn sealed_records_without_a_key_file_are_a_missing_key() {
        let _guard = seal::test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, bytes: &[u8]| fs::write(dir.path().join(name), bytes).unwrap();
        let key = seal::new_key(dir.path(), pass("p"));
        let sealed = key.seal("journal.jsonl", b"{\"v\":1}").unwrap();
        seal::forget();
        put("journal.jsonl", b"{\"v\":1,\"id\":\"a\"}\n");
        assert_eq!(state(dir.path()), KeyState::Plain);
        // Sealed lines in set-aside and temp files say nothing about the key.
        put(
            "damaged-20261129-journal.jsonl",
            &[&sealed[..], b"\n"].concat(),
        );
        put(
            "merged-20261129-journal.jsonl",
            &[&sealed[..], b"\n"].concat(),
        );
        put(".tmp-journal.jsonl.1", &sealed);
        assert_eq!(state(dir.path()), KeyState::Plain);
        // A sealed last line (a plain line written after it lost its key stays found).
        let mut journal = b"{\"v\":1,\"id\":\"a\"}\n".to_vec();
        journal.extend_from_slice(&sealed);
        journal.push(b'\n');
        put("journal.jsonl", &journal);
        assert_eq!(state(dir.path()), KeyState::Missing);
        // A sealed first line, then plain text appended without the key.
        let mut journal = sealed.clone();
        journal.extend_from_slice(b"\n\n{\"v\":1,\"id\":\"b\"}\n");
        put("journal.jsonl", &journal);
        assert_eq!(state(dir.path()), KeyState::Missing);
        assert!(matches!(
            sealer_for(&dir.path().join("journal.jsonl")),
            Err(SealError::KeyMissing(_))
        ));
        // A sealed progress (one record for the whole file).
        put("journal.jsonl", b"");
        put("progress.json", &sealed);
        assert_eq!(state(dir.path()), KeyState::Missing);
        // Any key.age, even a dangling link, makes it keyed (and unlocking says why not).
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join(KEY_FILE)).unwrap();
        assert_eq!(state(dir.path()), KeyState::Keyed);
    }

    #[test]
    fn the_last_record_is_found_past_a_long_line() {
        let _guard = seal::test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = seal::new_key(dir.path(), pass("p"));
        let sealed = key.seal("journal.jsonl", b"{\"v\":1}").unwrap();
        seal::forget();
        // A plain first line longer than what is read of the start, then a sealed one.
        let mut journal =
            format!("{{\"v\":1,\"answer\":\"{}\"}}\n", "x".repeat(600_000)).into_bytes();
        journal.extend_from_slice(&sealed);
        journal.push(b'\n');
        fs::write(dir.path().join("journal.jsonl"), &journal).unwrap();
        assert_eq!(state(dir.path()), KeyState::Missing);
    }

    #[test]
    fn a_key_belongs_when_any_record_opens_and_is_foreign_when_none_does() {
        let _guard = seal::test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let key = seal::new_key(dir.path(), pass("p"));
        let foreign = seal::new_key(other.path(), pass("p"));
        let wrapped = seal::wrap_cheaply(&key, &pass("p"));
        let foreign_wrapped = seal::wrap_cheaply(&foreign, &pass("p"));
        seal::forget();
        assert!(
            check_belongs(dir.path(), &key).is_ok(),
            "no records: nothing to say"
        );
        let line = |k: &Unlocked, text: &str| {
            let mut l = k.seal("journal.jsonl", text.as_bytes()).unwrap();
            l.push(b'\n');
            l
        };
        // First and last records damaged (sealed by another key), one good in between:
        // a few damaged lines never make the key foreign.
        let journal = [
            line(&foreign, "{}"),
            line(&key, "{\"v\":1}"),
            line(&foreign, "{}"),
        ]
        .concat();
        fs::write(dir.path().join("journal.jsonl"), &journal).unwrap();
        fs::write(dir.path().join(KEY_FILE), &wrapped).unwrap();
        assert!(check_belongs(dir.path(), &key).is_ok());
        assert!(
            check_belongs(dir.path(), &foreign).is_ok(),
            "it opens a record here, so it is no stranger"
        );
        let only_foreign = [line(&key, "{}"), line(&key, "{}")].concat();
        fs::write(dir.path().join("journal.jsonl"), &only_foreign).unwrap();
        assert!(matches!(
            check_belongs(dir.path(), &foreign),
            Err(SealError::ForeignKey(_))
        ));
        // Unlocking with another folder's key.age refuses and leaves no key unlocked.
        assert!(matches!(
            unlock(dir.path(), &foreign_wrapped, pass("p")),
            Err(SealError::ForeignKey(_))
        ));
        assert!(seal::current().is_none());
        let unlocked = unlock(dir.path(), &wrapped, pass("p")).unwrap();
        assert!(Arc::ptr_eq(&seal::current().unwrap(), &unlocked));
        seal::forget();
    }

    #[test]
    fn the_samples_are_the_first_and_last_sealed_records_of_each_file() {
        let _guard = seal::test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = seal::new_key(dir.path(), pass("p"));
        seal::forget();
        let sealed = |text: &str| key.seal("journal.jsonl", text.as_bytes()).unwrap();
        let (first, middle, last) = (
            sealed("{\"a\":1}"),
            sealed("{\"a\":2}"),
            sealed("{\"a\":3}"),
        );
        let mut journal = b"\n  \n".to_vec();
        for line in [&first, &middle, &last] {
            journal.extend_from_slice(line);
            journal.push(b'\n');
        }
        journal.extend_from_slice(b"\n \n");
        fs::write(dir.path().join("journal.jsonl"), &journal).unwrap();
        let found: Vec<Vec<u8>> = samples(dir.path())
            .into_iter()
            .map(|(n, l)| {
                assert_eq!(n, "journal.jsonl");
                l
            })
            .collect();
        assert_eq!(
            found,
            [first.clone(), last.clone()],
            "blanks around them are passed over"
        );
        // Past a plain record longer than what is read of either end, the last one is
        // still found whole, and the cut piece at the start of the tail is never taken.
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(600_000));
        let journal = [long.as_bytes(), b"\n", &last, b"\n"].concat();
        fs::write(dir.path().join("journal.jsonl"), &journal).unwrap();
        let found: Vec<Vec<u8>> = samples(dir.path()).into_iter().map(|(_, l)| l).collect();
        assert_eq!(found, std::slice::from_ref(&last));
        let journal = [&first[..], b"\n", long.as_bytes(), b"\n"].concat();
        fs::write(dir.path().join("journal.jsonl"), &journal).unwrap();
        let found: Vec<Vec<u8>> = samples(dir.path()).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            found,
            [first],
            "a piece of the long plain record is no sample"
        );
    }
}
