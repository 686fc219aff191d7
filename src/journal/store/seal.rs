//! Encryption at rest: the data key, wrapped by a passphrase with age, and the sealed
//! form of a record.
//!
//! A random 32-byte data key is wrapped with age's passphrase (scrypt) recipient and
//! kept as `key.age` in the data directory. Every line of a `.jsonl` file is sealed on
//! its own with XChaCha20-Poly1305 under that key (a fresh random nonce per record, the
//! file name as associated data, so a line moved to another file does not open), and
//! kept as one line `{"v":1,"sealed":"<base64 nonce‖ciphertext>"}`. Appends stay single
//! fsync'd line appends and one damaged line costs only itself. Other files (the
//! progress) are sealed whole in the same form. Readers accept plain and sealed lines
//! alike, which is what makes `encrypt` and `decrypt` safe to cut short.
//!
//! The key is unlocked once per command and kept for the process ([`unlock`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use age::secrecy::SecretString;
use chacha20poly1305::aead::{AeadCore, AeadInPlace, KeyInit, OsRng};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};

/// The wrapped data key's file name in the data directory.
pub(crate) const KEY_FILE: &str = "key.age";

/// What every sealed record starts with; a plain record never does.
const PREFIX: &[u8] = br#"{"v":1,"sealed":""#;
const SUFFIX: &[u8] = br#""}"#;
const NONCE_LEN: usize = 24;
/// Associated data: a version tag and the file name the record belongs to.
const AD_TAG: &[u8] = b"exback-sealed-v1:";

/// The scrypt work factor (log2 of N) used when a passphrase wraps the key. Measured on
/// the 2-core machine exback is developed on: 2^17 unlocks in about 0.5 s (see
/// docs/security.md); 2^18 would be about 1 s there, over the goal on slower or busy laptops.
pub(crate) const WORK_FACTOR: u8 = 17;

/// The highest work factor accepted when unlocking: set explicitly, so that a busy
/// machine (which age would otherwise measure as slow) never refuses exback's own key.
/// 2^20 needs 1 GiB of memory; anything higher was not written by exback.
pub(crate) const MAX_WORK_FACTOR: u8 = WORK_FACTOR + 3;

/// For the test suite only: a lower work factor so that hundreds of unlocks stay fast.
/// Never set it for real data; it only ever lowers the cost of guessing the passphrase.
pub(crate) const TEST_WORK_FACTOR_ENV: &str = "EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR";

/// The unlocked data key of one data directory, and the passphrase that unlocked it
/// (an encrypted export is written with the same passphrase).
pub(crate) struct Unlocked {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
    key: zeroize::Zeroizing<[u8; 32]>,
    passphrase: SecretString,
}

static UNLOCKED: RwLock<Option<Arc<Unlocked>>> = RwLock::new(None);

/// Why the key could not be unlocked or a record could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SealError {
    #[error("wrong passphrase: nothing was changed")]
    WrongPassphrase,
    #[error("key.age is damaged or not an exback key file ({0})")]
    BadKeyFile(String),
    #[error("this data directory is encrypted and has not been unlocked; nothing was written")]
    Locked,
    #[error("could not encrypt ({0})")]
    Encrypt(String),
    #[error(
        "{} holds encrypted records, but key.age, the key that opens them, is missing. \
         Nothing was read or written. Put back key.age from a backup of this folder (or from \
         another device that shares this journal); while these records are here, `exback \
         encrypt` will not make a new key",
        .0.display()
    )]
    KeyMissing(PathBuf),
    #[error(
        "key.age opens none of the encrypted records in {}: it is not the key they were sealed \
         with (perhaps a key.age copied from another folder). Nothing was read, written or \
         repaired. Put back this folder's own key.age, from a backup or from the device where \
         this journal was encrypted",
        .0.display()
    )]
    ForeignKey(PathBuf),
    #[error(
        "key.age asks for a passphrase work factor of 2^{required}, more than exback accepts \
         (2^{MAX_WORK_FACTOR}); it was not made by exback. Nothing was changed"
    )]
    TooCostly { required: u8 },
    #[error(
        "the passphrase's key derivation needs about {needed_mb} MB of memory, and this process \
         may not use that much (see `ulimit -v`). Nothing was read or written"
    )]
    NoMemory { needed_mb: usize },
}

impl Unlocked {
    /// The passphrase that unlocked the key.
    pub(crate) fn passphrase(&self) -> &SecretString {
        &self.passphrase
    }

    /// The data directory this key belongs to.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Seals `plain` for the file `name`.
    pub(crate) fn seal(&self, name: &str, plain: &[u8]) -> Result<Vec<u8>, SealError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut buf = Vec::with_capacity(NONCE_LEN + plain.len() + 16);
        buf.extend_from_slice(&nonce);
        buf.extend_from_slice(plain);
        let mut body = buf.split_off(NONCE_LEN);
        self.cipher
            .encrypt_in_place(&nonce, &ad(name), &mut body)
            .map_err(|_| SealError::Encrypt("the record is too long".into()))?;
        buf.extend_from_slice(&body);
        let mut out = Vec::with_capacity(PREFIX.len() + buf.len() * 4 / 3 + 8);
        out.extend_from_slice(PREFIX);
        base64_simd::STANDARD.encode_append(&buf, &mut out);
        out.extend_from_slice(SUFFIX);
        Ok(out)
    }

    /// Opens a sealed record of the file `name` in `buf` (its contents are dropped, its
    /// memory used): the plain text, which is part of `buf`, or `None` when it does not
    /// open (damaged, sealed under another key, or moved from another file).
    pub(crate) fn open_into<'b>(
        &self,
        name: &str,
        sealed: &[u8],
        buf: &'b mut Vec<u8>,
    ) -> Option<&'b [u8]> {
        buf.clear();
        let body = sealed_body(sealed)?;
        base64_simd::STANDARD.decode_append(body, buf).ok()?;
        if buf.len() < NONCE_LEN + 16 {
            return None;
        }
        // Nonce, text, tag: the text is opened where it lies.
        let (nonce, rest) = buf.split_at_mut(NONCE_LEN);
        let (text, tag) = rest.split_at_mut(rest.len() - 16);
        self.cipher
            .decrypt_in_place_detached(
                XNonce::from_slice(nonce),
                &ad(name),
                text,
                Tag::from_slice(tag),
            )
            .ok()?;
        let end = buf.len() - 16;
        Some(&buf[NONCE_LEN..end])
    }

    /// Opens a sealed record, or `None` (see [`Unlocked::open_into`]).
    pub(crate) fn open(&self, name: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        self.open_into(name, sealed, &mut buf).map(<[u8]>::to_vec)
    }

    /// The data key wrapped with `passphrase` (the contents of `key.age`).
    pub(crate) fn wrap(&self, passphrase: &SecretString) -> Result<Vec<u8>, SealError> {
        wrap_key(&self.key, passphrase)
    }
}

fn ad(name: &str) -> Vec<u8> {
    let mut ad = AD_TAG.to_vec();
    ad.extend_from_slice(name.as_bytes());
    ad
}

/// The base64 part of a sealed record, or `None` when `line` is not one.
fn sealed_body(line: &[u8]) -> Option<&[u8]> {
    line.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)
}

/// What a sealed line that does not open is said to be (no text of it is quoted).
pub(crate) const NOT_OPENED: &str = "is encrypted and does not open with this key (damaged, moved \
     from another file, or the directory is not unlocked)";

/// True when `line` (without its newline) has the form of a sealed record.
pub(crate) fn is_sealed(line: &[u8]) -> bool {
    sealed_body(line.trim_ascii()).is_some_and(|b| !b.contains(&b'"'))
}

/// True when `start`, the first bytes of a record, begin as a sealed record does.
pub(crate) fn starts_sealed(start: &[u8]) -> bool {
    start.starts_with(PREFIX)
}

/// True when `line` (trimmed) begins and ends as a sealed record does: what
/// [`is_sealed`] checks, but for the body (which decoding checks anyway).
pub(crate) fn has_sealed_frame(line: &[u8]) -> bool {
    sealed_body(line).is_some()
}

fn work_factor() -> u8 {
    std::env::var(TEST_WORK_FACTOR_ENV)
        .ok()
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|n| (1..WORK_FACTOR).contains(n))
        .unwrap_or(WORK_FACTOR)
}

fn wrap_key(key: &[u8; 32], passphrase: &SecretString) -> Result<Vec<u8>, SealError> {
    age_encrypt(passphrase, key)
}

/// Encrypts `plain` with age for `passphrase` at exback's work factor, once the memory
/// scrypt needs is known to be there.
fn age_encrypt(passphrase: &SecretString, plain: &[u8]) -> Result<Vec<u8>, SealError> {
    let log_n = work_factor();
    check_memory(log_n)?;
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n);
    age::encrypt(&recipient, plain).map_err(|e| SealError::Encrypt(e.to_string()))
}

/// What every age file starts with (an encrypted export).
pub(crate) const AGE_HEADER: &[u8] = b"age-encryption.org/v1\n";

/// Encrypts a whole file (an export) with age for `passphrase`.
pub(crate) fn encrypt_file(passphrase: &SecretString, plain: &[u8]) -> Result<Vec<u8>, SealError> {
    age_encrypt(passphrase, plain)
}

/// Opens an age file encrypted for `passphrase` (an encrypted export).
pub(crate) fn decrypt_file(passphrase: &SecretString, file: &[u8]) -> Result<Vec<u8>, SealError> {
    age_decrypt(passphrase, file)
}

/// Opens an age file made with a passphrase: the work factor it asks for is checked
/// against [`MAX_WORK_FACTOR`] (not against a measure of how busy the machine is), and
/// the memory scrypt needs is reserved first, so that a low memory limit is a clear
/// error rather than an abort.
fn age_decrypt(passphrase: &SecretString, file: &[u8]) -> Result<Vec<u8>, SealError> {
    if let Some(log_n) = scrypt_work_factor(file) {
        if log_n > MAX_WORK_FACTOR {
            return Err(SealError::TooCostly { required: log_n });
        }
        check_memory(log_n)?;
    }
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    age::decrypt(&identity, file).map_err(|e| match e {
        age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed
        | age::DecryptError::NoMatchingKeys => SealError::WrongPassphrase,
        age::DecryptError::ExcessiveWork { required, .. } => SealError::TooCostly { required },
        other => SealError::BadKeyFile(other.to_string()),
    })
}

/// The scrypt work factor (log2 of N) an age file's header asks for: the last word of
/// its `-> scrypt <salt> <log_n>` line.
fn scrypt_work_factor(file: &[u8]) -> Option<u8> {
    let header_end = memchr::memmem::find(file, b"\n---").unwrap_or(file.len());
    file[..header_end]
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"-> scrypt "))
        .and_then(|args| args.rsplit(|b| *b == b' ').next())
        .and_then(|n| std::str::from_utf8(n).ok())
        .and_then(|n| n.parse().ok())
}

/// What scrypt allocates for work factor `log_n` (128 · r · N bytes, r = 8), and a little
/// for the rest of the process.
fn memory_needed(log_n: u8) -> usize {
    let n = 1u64.checked_shl(log_n.into()).unwrap_or(u64::MAX);
    usize::try_from(n.saturating_mul(1024).saturating_add(16 << 20)).unwrap_or(usize::MAX)
}

/// Reserves (and frees again) the memory scrypt is about to take, so that a process
/// limit shows as [`SealError::NoMemory`] instead of an allocation failure.
fn check_memory(log_n: u8) -> Result<(), SealError> {
    let needed = memory_needed(log_n);
    let mut probe: Vec<u8> = Vec::new();
    probe
        .try_reserve_exact(needed)
        .map_err(|_| SealError::NoMemory {
            needed_mb: needed.div_ceil(1 << 20),
        })
}

/// A new random data key for `dir`, unlocked with `passphrase`; the caller saves
/// [`Unlocked::wrap`] as `key.age` before sealing anything with it.
pub(crate) fn new_key(dir: &Path, passphrase: SecretString) -> Arc<Unlocked> {
    let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
    remember(unlocked(dir, zeroize::Zeroizing::new(key), passphrase))
}

/// Opens the wrapped key `wrapped` (the bytes of `key.age`) with `passphrase`, without
/// making it the process's key: see [`remember`] (and `keystate::unlock`, which checks
/// first that the key belongs to the directory).
pub(crate) fn open_key(
    dir: &Path,
    wrapped: &[u8],
    passphrase: SecretString,
) -> Result<Unlocked, SealError> {
    let plain = zeroize::Zeroizing::new(age_decrypt(&passphrase, wrapped)?);
    let key: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| SealError::BadKeyFile("the key has the wrong length".into()))?;
    Ok(unlocked(dir, zeroize::Zeroizing::new(key), passphrase))
}

/// Opens the wrapped key and makes it the process's key, unchecked.
#[cfg(test)]
pub(crate) fn unwrap_key(
    dir: &Path,
    wrapped: &[u8],
    passphrase: SecretString,
) -> Result<Arc<Unlocked>, SealError> {
    open_key(dir, wrapped, passphrase).map(remember)
}

fn unlocked(dir: &Path, key: zeroize::Zeroizing<[u8; 32]>, passphrase: SecretString) -> Unlocked {
    Unlocked {
        dir: dir.to_path_buf(),
        cipher: XChaCha20Poly1305::new((&*key).into()),
        key,
        passphrase,
    }
}

/// Makes `key` the key of this process ([`current`]).
pub(crate) fn remember(key: Unlocked) -> Arc<Unlocked> {
    let unlocked = Arc::new(key);
    if let Ok(mut slot) = UNLOCKED.write() {
        *slot = Some(Arc::clone(&unlocked));
    }
    unlocked
}

/// The key unlocked in this process, if any.
pub(crate) fn current() -> Option<Arc<Unlocked>> {
    UNLOCKED.read().ok().and_then(|slot| slot.clone())
}

/// Forgets the unlocked key (after `decrypt`, and between tests).
pub(crate) fn forget() {
    if let Ok(mut slot) = UNLOCKED.write() {
        *slot = None;
    }
}

/// True when `a` and `b` name the same folder.
pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// Seals what is written through it for the file `name` of an encrypted directory:
/// each line on its own for a `.jsonl` file (lines already sealed pass unchanged, so a
/// rewrite keeps them byte for byte), or the whole text as one record for any other
/// file. Call [`SealingWriter::finish`] at the end; plain text never reaches `out`.
pub(crate) struct SealingWriter<'a> {
    out: &'a mut dyn std::io::Write,
    key: Arc<Unlocked>,
    name: String,
    per_line: bool,
    pending: Vec<u8>,
}

impl<'a> SealingWriter<'a> {
    pub(crate) fn new(out: &'a mut dyn std::io::Write, key: Arc<Unlocked>, name: &str) -> Self {
        Self {
            out,
            key,
            name: name.to_owned(),
            per_line: std::path::Path::new(name)
                .extension()
                .is_some_and(|x| x == "jsonl"),
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, line: &[u8]) -> std::io::Result<()> {
        if line.trim_ascii().is_empty() {
            return Ok(());
        }
        if is_sealed(line) {
            self.out.write_all(line.trim_ascii())?;
        } else {
            let sealed = self
                .key
                .seal(&self.name, line)
                .map_err(std::io::Error::other)?;
            self.out.write_all(&sealed)?;
        }
        self.out.write_all(b"\n")
    }

    /// Seals and writes what is left.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.emit(&rest)
    }
}

impl std::io::Write for SealingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.per_line {
            // Every whole line is sealed; the bytes after the last newline wait for more.
            let pending = std::mem::take(&mut self.pending);
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', &pending) {
                self.emit(&pending[start..end])?;
                start = end + 1;
            }
            self.pending = pending[start..].to_vec();
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The plain bytes of a whole-file document (the progress) read from `path`: opened
/// when sealed, else as they are.
pub(crate) fn open_document(
    path: &Path,
    bytes: Vec<u8>,
) -> Result<Vec<u8>, crate::journal::StoreError> {
    if !is_sealed(&bytes) {
        return Ok(bytes);
    }
    current()
        .and_then(|key| key.open(&bound_name(path), bytes.trim_ascii()))
        .ok_or_else(|| crate::journal::StoreError::Damaged {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            reason: NOT_OPENED.into(),
        })
}

/// The name of the file a record is bound to (its associated data): the file's own name,
/// or, for a sync tool's conflict copy, the name of the file it is a copy of, so that
/// its records open again once merged back.
pub(crate) fn bound_name(path: &Path) -> String {
    let name = file_name(path);
    // A folded copy kept as `merged-<date>-<time>-<copy's name>`.
    let copy = name
        .strip_prefix("merged-")
        .and_then(|rest| rest.get(16..))
        .unwrap_or(&name);
    super::copies::base_name(copy).to_owned()
}

/// The file's name.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Tests that unlock a key hold this while they use it: the unlocked key is one per
/// process, and test threads would otherwise replace each other's.
/// The data key wrapped like [`Unlocked::wrap`] but at scrypt's lowest useful work
/// factor, so that unit tests which only need a `key.age` stay quick.
#[cfg(test)]
pub(crate) fn wrap_cheaply(key: &Unlocked, passphrase: &SecretString) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(10);
    age::encrypt(&recipient, &*key.key).unwrap_or_default()
}

#[cfg(test)]
pub(crate) fn test_key_guard() -> std::sync::MutexGuard<'static, ()> {
    static GUARD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    GUARD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_record_opens_only_in_its_own_file_and_untouched() {
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("p"));
        let sealed = key.seal("journal.jsonl", br#"{"answer":"hello"}"#).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(5).any(|w| w == b"hello"));
        assert_eq!(
            key.open("journal.jsonl", &sealed).unwrap(),
            br#"{"answer":"hello"}"#
        );
        assert!(key.open("moods.jsonl", &sealed).is_none());
        let mut bad = sealed.clone();
        let i = PREFIX.len() + 40;
        bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
        assert!(key.open("journal.jsonl", &bad).is_none());
        // Two seals of the same text differ (fresh nonce).
        assert_ne!(
            sealed,
            key.seal("journal.jsonl", br#"{"answer":"hello"}"#).unwrap()
        );
    }

    #[test]
    fn the_wrapped_key_opens_with_its_passphrase_only() {
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("right"));
        let mut recipient = age::scrypt::Recipient::new(pass("right"));
        recipient.set_work_factor(10);
        let wrapped = age::encrypt(&recipient, &*key.key).unwrap();
        let sealed = key.seal("a.jsonl", b"{}").unwrap();
        assert!(matches!(
            unwrap_key(dir.path(), &wrapped, pass("wrong")),
            Err(SealError::WrongPassphrase)
        ));
        let again = unwrap_key(dir.path(), &wrapped, pass("right")).unwrap();
        assert_eq!(again.open("a.jsonl", &sealed).unwrap(), b"{}");
    }

    #[test]
    fn plain_records_are_not_taken_for_sealed_ones() {
        assert!(!is_sealed(br#"{"v":1,"id":"abc","answer":"x"}"#));
        assert!(!is_sealed(br#"{"v":1,"sealed":"ab"c"}"#));
        assert!(is_sealed(br#"{"v":1,"sealed":"abcd"}"#));
    }

    #[test]
    fn the_sealing_writer_seals_each_line_and_keeps_sealed_ones() {
        use std::io::Write as _;
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("p"));
        let kept = key.seal("j.jsonl", b"{\"a\":0}").unwrap();
        let mut out = Vec::new();
        let mut w = SealingWriter::new(&mut out, Arc::clone(&key), "j.jsonl");
        w.write_all(b"{\"a\":1}\n{\"a\"").unwrap();
        w.write_all(b":2}\n\n").unwrap();
        w.write_all(&kept).unwrap();
        w.write_all(b"\n{\"a\":3}").unwrap();
        w.finish().unwrap();
        let lines: Vec<&[u8]> = out
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| is_sealed(l)));
        assert_eq!(lines[2], &kept[..]);
        let opened: Vec<Vec<u8>> = lines
            .iter()
            .map(|l| key.open("j.jsonl", l).unwrap())
            .collect();
        assert_eq!(opened[0], b"{\"a\":1}");
        assert_eq!(opened[1], b"{\"a\":2}");
        assert_eq!(opened[3], b"{\"a\":3}");
        // A whole document (not .jsonl) is one record.
        let mut out = Vec::new();
        let mut w = SealingWriter::new(&mut out, Arc::clone(&key), "progress.json");
        w.write_all(b"{\n  \"x\": 1\n}\n").unwrap();
        w.finish().unwrap();
        assert_eq!(memchr::memchr_iter(b'\n', &out).count(), 1);
        assert_eq!(
            key.open("progress.json", out.trim_ascii()).unwrap(),
            b"{\n  \"x\": 1\n}\n"
        );
    }

    #[test]
    fn the_unlocked_key_keeps_its_passphrase_and_is_the_current_one_until_forgotten() {
        use age::secrecy::ExposeSecret as _;
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("quiet harbour"));
        assert_eq!(key.passphrase().expose_secret(), "quiet harbour");
        assert_eq!(key.dir(), dir.path());
        assert!(Arc::ptr_eq(&current().unwrap(), &key));
        forget();
        assert!(current().is_none());
    }

    #[test]
    fn a_json_line_in_the_frame_of_a_record_is_not_sealed_and_does_not_open() {
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("p"));
        let line = br#"{"v":1,"sealed":"abcd","answer":"x"}"#;
        assert!(has_sealed_frame(line));
        assert!(!is_sealed(line));
        assert!(key.open_into("a.jsonl", line, &mut Vec::new()).is_none());
        // A real record opens to exactly its text, inside the buffer it was given.
        let sealed = key.seal("a.jsonl", b"{\"v\":1}").unwrap();
        let mut buf = b"left over".to_vec();
        assert_eq!(
            key.open_into("a.jsonl", &sealed, &mut buf),
            Some(&b"{\"v\":1}"[..])
        );
    }

    #[test]
    fn what_is_not_a_whole_sealed_record_does_not_open() {
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("p"));
        let encode = |bytes: &[u8]| base64_simd::STANDARD.encode_to_string(bytes);
        let framed = |body: &str| [PREFIX, body.as_bytes(), SUFFIX].concat();
        // Not base64; and bodies shorter than a nonce and a tag (10 and 39 bytes).
        assert!(key.open("a.jsonl", &framed("!!!!")).is_none());
        assert!(key.open("a.jsonl", &framed(&encode(&[7u8; 10]))).is_none());
        assert!(key.open("a.jsonl", &framed(&encode(&[7u8; 39]))).is_none());
        // The shortest record there is: an empty text is a nonce and a tag, 40 bytes.
        let empty = key.seal("a.jsonl", b"").unwrap();
        assert_eq!(
            base64_simd::STANDARD
                .decode_to_vec(sealed_body(&empty).unwrap())
                .unwrap()
                .len(),
            40
        );
        assert_eq!(key.open("a.jsonl", &empty).unwrap(), b"");
    }

    #[test]
    fn a_key_wrapped_again_opens_with_the_new_passphrase() {
        let _guard = test_key_guard();
        let dir = tempfile::tempdir().unwrap();
        let key = new_key(dir.path(), pass("old"));
        let sealed = key.seal("a.jsonl", b"{\"v\":1}").unwrap();
        let wrapped = key.wrap(&pass("new")).unwrap();
        assert!(wrapped.starts_with(AGE_HEADER));
        assert!(matches!(
            unwrap_key(dir.path(), &wrapped, pass("old")),
            Err(SealError::WrongPassphrase)
        ));
        let again = unwrap_key(dir.path(), &wrapped, pass("new")).unwrap();
        assert_eq!(again.open("a.jsonl", &sealed).unwrap(), b"{\"v\":1}");
    }

    #[test]
    fn the_work_factor_is_lowered_only_by_the_test_variable() {
        // The suite may run with the variable set; otherwise it is the real factor.
        let expected = std::env::var(TEST_WORK_FACTOR_ENV)
            .ok()
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|n| (1..WORK_FACTOR).contains(n))
            .unwrap_or(WORK_FACTOR);
        assert_eq!(work_factor(), expected);
        if std::env::var_os(TEST_WORK_FACTOR_ENV).is_none() {
            assert_eq!(work_factor(), 17);
        }
    }

    #[test]
    fn an_encrypted_export_opens_with_its_passphrase_only() {
        let plain = b"{\"v\":1,\"answer\":\"the blue kettle\"}\n".repeat(3);
        let file = encrypt_file(&pass("right"), &plain).unwrap();
        assert!(file.starts_with(AGE_HEADER));
        assert!(!file.windows(6).any(|w| w == b"kettle"));
        assert_eq!(decrypt_file(&pass("right"), &file).unwrap(), plain);
        assert!(matches!(
            decrypt_file(&pass("wrong"), &file),
            Err(SealError::WrongPassphrase)
        ));
        assert!(matches!(
            decrypt_file(&pass("right"), b"not an age file"),
            Err(SealError::BadKeyFile(_))
        ));
    }

    #[test]
    fn a_record_is_bound_to_the_file_name_alone() {
        let path = Path::new("/data/exback/journal.jsonl");
        assert_eq!(file_name(path), "journal.jsonl");
        assert_eq!(file_name(Path::new("moods.jsonl")), "moods.jsonl");
        assert_eq!(file_name(Path::new("/")), "");
    }

    #[test]
    fn the_work_factor_is_read_from_the_header_and_too_high_a_one_is_not_called_damage() {
        let file = encrypt_file(&pass("p"), b"key").unwrap();
        assert_eq!(scrypt_work_factor(&file), Some(work_factor()));
        // The same header asking for 2^25: refused before any work, as too costly.
        let text = String::from_utf8_lossy(&file).into_owned();
        let line = text.lines().find(|l| l.starts_with("-> scrypt ")).unwrap();
        let (head, _) = line.rsplit_once(' ').unwrap();
        let costly = text.replacen(line, &format!("{head} 25"), 1).into_bytes();
        assert_eq!(scrypt_work_factor(&costly), Some(25));
        let err = decrypt_file(&pass("p"), &costly).unwrap_err();
        assert!(
            matches!(err, SealError::TooCostly { required: 25 }),
            "{err}"
        );
        assert!(!err.to_string().contains("damaged"));
        // exback's own factor is always accepted, however busy the machine.
        const { assert!(MAX_WORK_FACTOR >= WORK_FACTOR + 2) };
        assert_eq!(scrypt_work_factor(b"not an age file"), None);
    }

    #[test]
    fn the_memory_scrypt_needs_is_reserved_first() {
        assert_eq!(memory_needed(17), 144 << 20);
        assert!(check_memory(10).is_ok());
        let err = check_memory(50).unwrap_err();
        assert!(matches!(err, SealError::NoMemory { .. }), "{err}");
    }
}
