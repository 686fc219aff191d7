//! The most exback reads from any one input, and the reading that holds to it.
//!
//! Every input handed to exback (a file to import, piped text, the file the editor
//! saved, a passphrase file or command, a content pack) is read with a stated limit, far
//! above anything a real journal holds, so that a mistaken or hostile input
//! (`exback import /dev/zero`, `yes | exback write`, a sparse file of a terabyte) ends at
//! once with a clear message and nothing written, instead of filling the memory. A
//! regular file is measured before a byte of it is read; anything else is read in
//! chunks up to one byte past its limit; Ctrl-C (and SIGTERM) is looked at between
//! chunks, and a read that blocks (a FIFO, a terminal) waits in a helper thread
//! ([`stdin::watched`]) so that it cannot hide it.
//!
//! The limits (docs/storage.md, "Size limits"):
//! - [`IMPORT`], 256 MiB: an export holds every entry once, as JSON. A heavy user writing
//!   ten long answers a day for ten years makes an export of about 70 MB; the import
//!   holds the file and what it parses to in memory at once, so the limit also keeps an
//!   import within the memory of a small machine.
//! - [`ANSWER`], 16 MiB: one answer or entry (`write`, `draft`, a piped answer of
//!   `next`, the file the editor saved). A novel is about 1 MB of text.
//! - [`PASSPHRASE`], 64 KiB: the passphrase file, or what the passphrase command
//!   prints; only its first line is used.
//! - [`CONTENT_FILE`], 4 MiB: one file of a content pack; the built-in steps are about
//!   10 KB each.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub(crate) mod stdin;

use crate::interrupt;

/// The most exback reads from one kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    pub(crate) bytes: u64,
    /// What the limit is for, as the message names it ("an import").
    pub(crate) what: &'static str,
}

/// One file to import (`exback import`), or the standard input of `import -`.
pub(crate) const IMPORT: Limit = Limit {
    bytes: 256 << 20,
    what: "an import",
};

/// One answer or entry: the text of `write` and `draft`, a piped answer, the editor's file.
pub(crate) const ANSWER: Limit = Limit {
    bytes: 16 << 20,
    what: "one answer",
};

/// A passphrase file, or what a passphrase command prints.
pub(crate) const PASSPHRASE: Limit = Limit {
    bytes: 64 << 10,
    what: "a passphrase file or command",
};

/// One file of a content pack.
pub(crate) const CONTENT_FILE: Limit = Limit {
    bytes: 4 << 20,
    what: "one content file",
};

/// How much is read at once between two looks at the Ctrl-C flag.
const CHUNK: usize = 64 * 1024;

/// An input past its [`Limit`].
#[derive(Debug, thiserror::Error)]
#[error("it is larger than {}, the most exback reads for {}", size(self.0.bytes), self.0.what)]
pub(crate) struct TooLarge(pub(crate) Limit);

/// The io error for an input past `limit` (its kind is `InvalidData`).
pub(crate) fn too_large(limit: Limit) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, TooLarge(limit))
}

/// True when `error` is an input refused for its size.
#[cfg(test)]
pub(crate) fn is_too_large(error: &io::Error) -> bool {
    matches!(error.get_ref(), Some(inner) if inner.is::<TooLarge>())
}

/// A size as people read it: "256 MiB", "64 KiB", "100 bytes".
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads `input` to its end, refusing it once it passes `limit` (having read one byte
/// past it, no more), and giving up once Ctrl-C was pressed (an error that
/// [`stdin::is_interrupted`] recognises).
pub(crate) fn read(input: &mut impl Read, limit: Limit) -> io::Result<Vec<u8>> {
    read_hinted(input, limit, 0)
}

/// [`read`], with room made at once for the `expected` bytes of a file measured first.
fn read_hinted(input: &mut impl Read, limit: Limit, expected: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(limit.bytes)).unwrap_or(0));
    let mut chunk = vec![0; CHUNK];
    loop {
        if interrupt::requested() {
            return Err(stdin::interrupted());
        }
        let n = match input.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Room grows by doubling, but never past the limit and one chunk: a refused
        // input costs no more memory than the limit itself.
        let needed = bytes.len() + n;
        if needed > bytes.capacity() {
            let most = usize::try_from(limit.bytes).map_or(usize::MAX, |b| b.saturating_add(CHUNK));
            let room = bytes.capacity().saturating_mul(2).min(most).max(needed);
            bytes.reserve_exact(room - bytes.len());
        }
        bytes.extend_from_slice(&chunk[..n]);
        if bytes.len() as u64 > limit.bytes {
            return Err(too_large(limit));
        }
    }
}

/// Reads the file at `path` (links followed) to its end within `limit`: a regular file
/// larger than the limit is refused from its size, before any of it is read; anything
/// else (a FIFO, `/dev/zero`, a terminal) is opened and read in a helper thread, so
/// that Ctrl-C ends the wait even when a read blocks.
pub(crate) fn read_path(path: &Path, limit: Limit) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder",
        ));
    }
    let expected = if meta.is_file() { meta.len() } else { 0 };
    if expected > limit.bytes {
        return Err(too_large(limit));
    }
    let opening = Opening {
        path: path.to_path_buf(),
        file: None,
    };
    read_hinted(&mut stdin::watched(Box::new(opening)), limit, expected)
}

/// A file opened at its first read, so that an open that blocks (a FIFO without a
/// writer) happens in the helper thread too.
struct Opening {
    path: PathBuf,
    file: Option<File>,
}

impl Read for Opening {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(File::open(&self.path)?),
        };
        file.read(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        bytes: 100,
        what: "a test",
    };

    #[test]
    fn an_input_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let at = [b'x'; 100];
        assert_eq!(read(&mut &at[..], SMALL).unwrap(), at);

        let over = [b'x'; 101];
        let error = read(&mut &over[..], SMALL).unwrap_err();
        assert!(is_too_large(&error));
        assert_eq!(
            error.to_string(),
            "it is larger than 100 bytes, the most exback reads for a test"
        );
    }

    #[test]
    fn an_endless_input_is_refused_after_one_chunk_past_the_limit() {
        /// Counts what was taken from an endless source.
        struct Endless(u64);
        impl Read for Endless {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                self.0 += out.len() as u64;
                out.fill(0);
                Ok(out.len())
            }
        }
        let mut endless = Endless(0);
        let error = read(&mut endless, SMALL).unwrap_err();
        assert!(is_too_large(&error));
        assert!(endless.0 <= CHUNK as u64, "read {} bytes", endless.0);
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_by_its_size_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let file = File::create(&path).unwrap();
        file.set_len(101).unwrap();
        // Unreadable: only its size can have refused it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
        let error = read_path(&path, SMALL).unwrap_err();
        assert!(is_too_large(&error), "{error}");

        let small = dir.path().join("small");
        std::fs::write(&small, "text").unwrap();
        assert_eq!(read_path(&small, SMALL).unwrap(), b"text");
        let exact = dir.path().join("exact");
        std::fs::write(&exact, [b'x'; 100]).unwrap();
        assert_eq!(
            read_path(&exact, SMALL).unwrap().len(),
            100,
            "at the limit is read"
        );
        assert!(!is_too_large(&read_path(dir.path(), SMALL).unwrap_err()));
    }

    /// A source that gives `data` at most `step` bytes a read, counting what it gave.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
        given: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = out.len().min(self.step).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            self.given += n;
            Ok(n)
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any input, in any size of reads, under any limit: read whole when it fits,
        /// else refused having taken at most one chunk past the limit.
        #[test]
        fn any_input_is_read_whole_or_refused_within_a_chunk_of_its_limit(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200_000),
            bytes in 0u64..200_000,
            step in 1usize..100_000,
        ) {
            let limit = Limit { bytes, what: "a test" };
            let mut source = Trickle { data: &data, step, given: 0 };
            match read(&mut source, limit) {
                Ok(read) => {
                    proptest::prop_assert!(data.len() as u64 <= bytes);
                    proptest::prop_assert_eq!(read, data);
                }
                Err(e) => {
                    proptest::prop_assert!(is_too_large(&e), "{}", e);
                    proptest::prop_assert!(data.len() as u64 > bytes);
                    proptest::prop_assert!(source.given as u64 <= bytes + CHUNK as u64);
                }
            }
        }
    }

    #[test]
    fn sizes_are_said_in_their_largest_whole_unit() {
        assert_eq!(size(IMPORT.bytes), "256 MiB");
        assert_eq!(size(ANSWER.bytes), "16 MiB");
        assert_eq!(size(PASSPHRASE.bytes), "64 KiB");
        assert_eq!(size(1000), "1000 bytes");
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(1536 << 10), "1536 KiB");
        assert_eq!(size((3 << 20) + 1), "3145729 bytes");
    }

    #[test]
    fn a_read_cut_short_by_a_signal_is_tried_again_and_any_other_error_ends_it() {
        /// Fails once with `kind`, then gives `data`.
        struct FailsOnce(Option<io::ErrorKind>, &'static [u8]);
        impl Read for FailsOnce {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if let Some(kind) = self.0.take() {
                    return Err(io::Error::from(kind));
                }
                let n = out.len().min(self.1.len());
                out[..n].copy_from_slice(&self.1[..n]);
                self.1 = &self.1[n..];
                Ok(n)
            }
        }
        let mut interrupted = FailsOnce(Some(io::ErrorKind::Interrupted), b"kept");
        assert_eq!(read(&mut interrupted, SMALL).unwrap(), b"kept");
        let mut broken = FailsOnce(Some(io::ErrorKind::BrokenPipe), b"never");
        let error = read(&mut broken, SMALL).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn what_is_read_never_holds_more_room_than_the_limit_and_one_chunk() {
        let limit = Limit {
            bytes: 300_000,
            what: "a test",
        };
        let most = 300_000 + CHUNK;
        for len in [300_000, 300_001, 1, CHUNK, CHUNK + 1, 200_000] {
            let data = vec![7u8; len];
            for step in [CHUNK, 1000, 70_000] {
                let mut source = Trickle {
                    data: &data,
                    step,
                    given: 0,
                };
                match read(&mut source, limit) {
                    Ok(bytes) => {
                        assert_eq!(bytes, data);
                        assert!(
                            bytes.capacity() <= most,
                            "{len} in steps of {step}: room for {}",
                            bytes.capacity()
                        );
                    }
                    Err(e) => assert!(is_too_large(&e) && len > 300_000),
                }
            }
        }
        // A file measured first gets its room at once, and no more.
        let data = vec![1u8; 250_000];
        let bytes = read_hinted(&mut &data[..], limit, 250_000).unwrap();
        assert_eq!(bytes, data);
        assert!(bytes.capacity() <= 250_000 + CHUNK, "{}", bytes.capacity());
    }
}
