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

use super::keystate::{self, KeyState};
use super::seal::{self, KEY_FILE, SealError, Unlocked};
use super::{Store, files};
use crate::journal::{LOCK, StoreError, io_err};

/// Why a conversion stopped; what was done before it stays done and readable.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConvertError {
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
pub(crate) fn read_wrapped_key(dir: &Path) -> Result<Vec<u8>, StoreError> {
    let path = dir.join(KEY_FILE);
    files::read_all(&path).map_err(io_err("read", &path))
}

/// The files that hold data, each to be converted: everything in the directory but the
/// key, the lock, temp files and other dot files.
fn data_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err("read", dir))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            let name = seal::file_name(p);
            // Dot files (`.gitignore`, `.gitattributes`, temp files) are not exback's records.
            name != KEY_FILE && name != LOCK && !name.starts_with('.')
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
pub(crate) fn encrypt(store: &Store, wrapped: Option<&[u8]>) -> Result<usize, ConvertError> {
    let lock = store.lock()?;
    let key_path = store.dir().join(KEY_FILE);
    // Every file must be one exback can rewrite (not a link, a FIFO or someone else's)
    // before the key is saved: a key beside files that cannot be sealed would leave the
    // directory half encrypted and stuck.
    for path in data_files(store.dir())? {
        files::open_read(&path).map_err(io_err("encrypt", &path))?;
    }
    if let Some(wrapped) = wrapped {
        files::replace_raw(&key_path, &lock, |out| out.write_all(wrapped))
            .map_err(io_err("save", &key_path))?;
    }
    // A torn last line (a save killed mid-write) is moved aside first, as the next save
    // would do, so that it is not sealed as if it were a record.
    for path in data_files(store.dir())?.iter().filter(|p| is_log(p)) {
        if !keystate::is_aside(&seal::file_name(path)) {
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
pub(crate) fn decrypt(store: &Store, key: &Arc<Unlocked>) -> Result<usize, ConvertError> {
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
    let name = seal::bound_name(path);
    let keep_damaged = keystate::is_aside(&seal::file_name(path));
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
pub(crate) fn change_passphrase(store: &Store, wrapped: &[u8]) -> Result<(), ConvertError> {
    let lock = store.lock()?;
    let key_path = store.dir().join(KEY_FILE);
    files::replace_raw(&key_path, &lock, |out| out.write_all(wrapped))
        .map_err(io_err("save", &key_path))?;
    Ok(())
}

/// True when the directory holds a key but a data file still starts with a plain
/// record: an `encrypt` or `decrypt` was cut short.
pub(crate) fn unfinished(dir: &Path) -> bool {
    if keystate::state(dir) != KeyState::Keyed {
        return false;
    }
    let Ok(found) = data_files(dir) else {
        return false;
    };
    found
        .iter()
        .filter(|p| {
            let name = seal::file_name(p);
            !keystate::is_aside(&name) && (is_log(p) || name == crate::journal::PROGRESS)
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

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::SecretString;
    use std::collections::BTreeMap;
    use std::fs;

    const JOURNAL: &str = "{\"v\":1,\"id\":\"a1\",\"answer\":\"I miss the mornings\"}\n\
                           {\"v\":1,\"id\":\"a2\",\"answer\":\"the blue kettle\"}\n\
                           {\"v\":1,\"id\":\"a3\",\"answer\":\"our last walk\"}\n";
    const MOODS: &str = "{\"v\":1,\"score\":3,\"note\":\"heavy sunday\"}\n\
                         {\"v\":1,\"score\":5,\"note\":\"lighter today\"}\n";
    const PROGRESS: &str = "{\n  \"v\": 1,\n  \"name\": \"Robin\"\n}\n";
    /// Words of the records above that must never be found in an encrypted file.
    const SECRETS: [&str; 7] = [
        "mornings", "kettle", "walk", "heavy", "lighter", "Robin", "answer",
    ];

    fn pass(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    /// A plain data directory, its store and a new key (unlocked for it) with its
    /// wrapped form. The guard keeps other tests from unlocking another key meanwhile.
    struct Fixture {
        _guard: std::sync::MutexGuard<'static, ()>,
        dir: tempfile::TempDir,
        store: Store,
        key: Arc<Unlocked>,
        wrapped: Vec<u8>,
    }

    impl Fixture {
        fn new() -> Self {
            let guard = seal::test_key_guard();
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path());
            let key = seal::new_key(dir.path(), pass("quiet harbour"));
            let wrapped = seal::wrap_cheaply(&key, &pass("quiet harbour"));
            Self {
                _guard: guard,
                dir,
                store,
                key,
                wrapped,
            }
        }

        fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        fn write(&self, name: &str, bytes: &[u8]) {
            fs::write(self.path(name), bytes).unwrap();
        }

        fn read(&self, name: &str) -> Vec<u8> {
            fs::read(self.path(name)).unwrap()
        }

        /// The journal, the moods and the progress in plain text, and a folder.
        fn plain_files(&self) {
            self.write("journal.jsonl", JOURNAL.as_bytes());
            self.write("moods.jsonl", MOODS.as_bytes());
            self.write("progress.json", PROGRESS.as_bytes());
            fs::create_dir(self.path("old")).unwrap();
            self.write("old/journal.jsonl", JOURNAL.as_bytes());
        }

        /// Every file of the directory (not in folders) and its bytes.
        fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
            fs::read_dir(self.dir.path())
                .unwrap()
                .map(Result::unwrap)
                .filter(|e| e.file_type().unwrap().is_file())
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, fs::read(e.path()).unwrap())
                })
                .collect()
        }

        /// Seals each line of `plain` for the file `name`, one sealed record a line.
        fn sealed_lines(&self, name: &str, plain: &str) -> Vec<u8> {
            let mut out = Vec::new();
            for line in plain.lines() {
                out.extend_from_slice(&self.key.seal(name, line.as_bytes()).unwrap());
                out.push(b'\n');
            }
            out
        }
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    fn assert_no_plain_text(bytes: &[u8]) {
        for word in SECRETS {
            assert!(!contains(bytes, word), "{word:?} is readable");
        }
    }

    /// The records of a sealed `.jsonl` file, each opened for `name`.
    fn opened_lines(key: &Unlocked, name: &str, bytes: &[u8]) -> Vec<String> {
        bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                assert!(seal::is_sealed(l), "a plain line in {name}");
                String::from_utf8(key.open(name, l).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn encrypt_seals_every_data_file_and_decrypt_restores_them_byte_for_byte() {
        let f = Fixture::new();
        f.plain_files();
        assert_eq!(keystate::state(f.dir.path()), KeyState::Plain);
        assert!(
            !unfinished(f.dir.path()),
            "a plain directory is not unfinished"
        );

        let sealed = encrypt(&f.store, Some(&f.wrapped)).unwrap();
        assert_eq!(sealed, 3, "journal, moods and progress");
        assert_eq!(f.read(KEY_FILE), f.wrapped);
        assert_eq!(read_wrapped_key(f.dir.path()).unwrap(), f.wrapped);
        for (name, bytes) in f.snapshot() {
            assert_no_plain_text(&bytes);
            assert!(
                !contains(&bytes, "\"v\":1,\"id\""),
                "{name} has a plain record"
            );
        }
        let journal = f.read("journal.jsonl");
        assert_eq!(
            opened_lines(&f.key, "journal.jsonl", &journal),
            JOURNAL.lines().collect::<Vec<_>>()
        );
        assert_eq!(
            opened_lines(&f.key, "moods.jsonl", &f.read("moods.jsonl")),
            MOODS.lines().collect::<Vec<_>>()
        );
        let progress = f.read("progress.json");
        assert_eq!(memchr::memchr_iter(b'\n', &progress).count(), 1);
        assert_eq!(
            f.key.open("progress.json", progress.trim_ascii()).unwrap(),
            PROGRESS.as_bytes()
        );
        // A folder is not data: what is in it stays as it was.
        assert_eq!(f.read("old/journal.jsonl"), JOURNAL.as_bytes());
        assert_eq!(keystate::state(f.dir.path()), KeyState::Keyed);
        assert!(!unfinished(f.dir.path()));

        // Running it again finds nothing left to do and changes nothing.
        let before = f.snapshot();
        assert_eq!(encrypt(&f.store, None).unwrap(), 0);
        assert_eq!(f.snapshot(), before);

        let opened = decrypt(&f.store, &f.key).unwrap();
        assert_eq!(opened, 3);
        assert_eq!(f.read("journal.jsonl"), JOURNAL.as_bytes());
        assert_eq!(f.read("moods.jsonl"), MOODS.as_bytes());
        assert_eq!(f.read("progress.json"), PROGRESS.as_bytes());
        assert_eq!(f.read("old/journal.jsonl"), JOURNAL.as_bytes());
        assert!(!f.path(KEY_FILE).exists());
        assert!(seal::current().is_none(), "the key is forgotten");
        assert_eq!(keystate::state(f.dir.path()), KeyState::Plain);
        assert!(!unfinished(f.dir.path()));
    }

    #[test]
    fn an_interrupted_encryption_is_reported_and_finished_by_running_again() {
        // What a cut-short `encrypt` leaves: key.age and the journal sealed, the rest plain.
        let f = Fixture::new();
        f.plain_files();
        f.write(KEY_FILE, &f.wrapped);
        let journal = f.sealed_lines("journal.jsonl", JOURNAL);
        f.write("journal.jsonl", &journal);
        assert!(unfinished(f.dir.path()));

        assert_eq!(encrypt(&f.store, None).unwrap(), 2, "moods and progress");
        assert!(!unfinished(f.dir.path()));
        assert_eq!(
            f.read("journal.jsonl"),
            journal,
            "sealed records stay as they are"
        );
        assert_eq!(f.read(KEY_FILE), f.wrapped);
        assert_no_plain_text(&f.read("moods.jsonl"));
        assert_no_plain_text(&f.read("progress.json"));
        assert_eq!(
            opened_lines(&f.key, "moods.jsonl", &f.read("moods.jsonl")),
            MOODS.lines().collect::<Vec<_>>()
        );
        assert_eq!(decrypt(&f.store, &f.key).unwrap(), 3);
        assert_eq!(f.read("moods.jsonl"), MOODS.as_bytes());
        assert_eq!(f.read("progress.json"), PROGRESS.as_bytes());
    }

    #[test]
    fn encrypt_moves_a_torn_last_line_aside_before_sealing() {
        let f = Fixture::new();
        let torn = "{\"v\":1,\"id\":\"a4\",\"answer\":\"half a sen";
        f.write("journal.jsonl", format!("{JOURNAL}{torn}").as_bytes());
        assert_eq!(encrypt(&f.store, Some(&f.wrapped)).unwrap(), 2);
        assert_eq!(
            opened_lines(&f.key, "journal.jsonl", &f.read("journal.jsonl")),
            JOURNAL.lines().collect::<Vec<_>>(),
            "the torn line is not sealed as a record"
        );
        let aside: Vec<_> = f
            .snapshot()
            .into_iter()
            .filter(|(name, _)| name.starts_with("damaged-"))
            .collect();
        assert_eq!(aside.len(), 1);
        let (name, bytes) = &aside[0];
        assert_no_plain_text(bytes);
        assert_eq!(opened_lines(&f.key, name, bytes), [torn]);
    }

    #[test]
    fn a_record_that_does_not_open_stops_decrypt_and_changes_nothing() {
        let f = Fixture::new();
        f.plain_files();
        encrypt(&f.store, Some(&f.wrapped)).unwrap();
        // The second record of the journal is one moved from the moods.
        let mut lines: Vec<Vec<u8>> = f
            .read("journal.jsonl")
            .split(|b| *b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        lines[1] = f.key.seal("moods.jsonl", b"{\"v\":1}").unwrap();
        f.write("journal.jsonl", &lines.join(&b'\n'));
        let before = f.snapshot();
        let err = decrypt(&f.store, &f.key).unwrap_err();
        match &err {
            ConvertError::DoesNotOpen { path, line } => {
                assert_eq!(path, &f.path("journal.jsonl"));
                assert_eq!(*line, 2);
            }
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("journal.jsonl, line 2"));
        assert_eq!(f.snapshot(), before, "nothing was decrypted");
        assert!(f.path(KEY_FILE).exists());

        // A whole document that does not open stops it too (it is line 1).
        f.write("journal.jsonl", &f.sealed_lines("journal.jsonl", JOURNAL));
        let moved = f.key.seal("journal.jsonl", PROGRESS.as_bytes()).unwrap();
        f.write("progress.json", &moved);
        let before = f.snapshot();
        match decrypt(&f.store, &f.key).unwrap_err() {
            ConvertError::DoesNotOpen { path, line } => {
                assert_eq!(path, f.path("progress.json"));
                assert_eq!(line, 1);
            }
            other => panic!("{other}"),
        }
        assert_eq!(f.snapshot(), before);
    }

    #[test]
    fn damaged_files_keep_what_does_not_open_and_plain_lines_pass_through() {
        let f = Fixture::new();
        f.write(KEY_FILE, &f.wrapped);
        // A line doctor moved aside keeps the journal's seal; one sealed by `encrypt`
        // under the damaged file's own name opens.
        let from_journal = f.key.seal("journal.jsonl", b"{\"v\":1}").unwrap();
        let own_name = "damaged-20261129-201500-journal.jsonl";
        let own = f.key.seal(own_name, b"{\"v\":1,\"id\":\"a5\"}").unwrap();
        let mut damaged = from_journal.clone();
        damaged.push(b'\n');
        damaged.extend_from_slice(&own);
        damaged.push(b'\n');
        f.write(own_name, &damaged);
        let backup = f.key.seal("progress.json", PROGRESS.as_bytes()).unwrap();
        f.write("damaged-20261129-201500-progress.json", &backup);
        // A journal with a plain record and a sealed one, as readers accept.
        let (first, rest) = JOURNAL.split_once('\n').unwrap();
        let mut journal = format!("{first}\n").into_bytes();
        journal.extend_from_slice(&f.sealed_lines("journal.jsonl", rest));
        f.write("journal.jsonl", &journal);

        assert_eq!(decrypt(&f.store, &f.key).unwrap(), 2);
        assert_eq!(f.read("journal.jsonl"), JOURNAL.as_bytes());
        let mut expected = from_journal;
        expected.extend_from_slice(b"\n{\"v\":1,\"id\":\"a5\"}\n");
        assert_eq!(f.read(own_name), expected);
        assert_eq!(f.read("damaged-20261129-201500-progress.json"), backup);
        assert!(!f.path(KEY_FILE).exists());
    }

    #[test]
    fn a_new_passphrase_replaces_only_the_key_file() {
        let f = Fixture::new();
        f.plain_files();
        encrypt(&f.store, Some(&f.wrapped)).unwrap();
        let before = f.snapshot();
        let rewrapped = seal::wrap_cheaply(&f.key, &pass("new tide"));
        change_passphrase(&f.store, &rewrapped).unwrap();
        let after = f.snapshot();
        assert_eq!(after[KEY_FILE], rewrapped);
        for (name, bytes) in &before {
            if name != KEY_FILE {
                assert_eq!(&after[name], bytes, "{name} was touched");
            }
        }
        let key = seal::unwrap_key(f.dir.path(), &f.read(KEY_FILE), pass("new tide")).unwrap();
        assert_eq!(
            opened_lines(&key, "journal.jsonl", &f.read("journal.jsonl")),
            JOURNAL.lines().collect::<Vec<_>>()
        );
    }

    /// A record of the sealed form (what `unfinished` looks at).
    const SEALED: &str = "{\"v\":1,\"sealed\":\"AAAA\"}";

    #[test]
    fn unfinished_looks_at_the_first_whole_record_of_each_journal_and_the_progress() {
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
        put("journal.jsonl", "{\"v\":1,\"id\":\"a1\"}\n");
        assert!(!unfinished(dir.path()), "plain, and no key: not encrypted");

        put(KEY_FILE, "age");
        put("journal.jsonl", &format!("\n{SEALED}\n{SEALED}\n"));
        put("progress.json", &format!("{SEALED}\n"));
        assert!(!unfinished(dir.path()));
        // Not counted: damaged-* files, a torn line, a non-data file, a folder.
        put("damaged-20261129-journal.jsonl", "{\"v\":1}\n");
        put("contacts.jsonl", "{\"v\":1,\"who\":\"R");
        put("exback.lock", "{\"v\":1}\n");
        fs::create_dir(dir.path().join("old.jsonl")).unwrap();
        assert!(!unfinished(dir.path()));

        put("progress.json", "{\"v\":1}\n");
        assert!(unfinished(dir.path()), "a plain progress");
        put("progress.json", &format!("{SEALED}\n"));
        put("moods.jsonl", &format!("{{\"v\":1}}\n{SEALED}\n"));
        assert!(unfinished(dir.path()), "a plain first record");
    }
}
