//! Standard input, read so that Ctrl-C can end the wait: the answers of the line
//! prompter and the piped text of `write`, `draft` and `import -` all come through here.
//!
//! A read from a pipe that stays open blocks until the other end writes or closes it,
//! and a thread blocked there never sees the Ctrl-C flag. So one helper thread does the
//! blocking reads, and a reader waits for each chunk in short slices, checking
//! [`interrupt::requested`] between them; on Ctrl-C it gives up with an error that
//! [`is_interrupted`] recognises, and the command returns its `Exit` to `main`. The
//! helper stays blocked in its read and ends with the process.
//!
//! The helper reads only when a reader asks for a chunk, so nothing is taken from
//! standard input that no one wanted (a terminal stays free for the editor), and the
//! chunk a reader fetched but did not use waits in the shared buffer for the next
//! reader, as the standard library's own buffer would keep it.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use crate::interrupt;

/// How long a reader waits for its chunk before it looks at the Ctrl-C flag again.
const SLICE: Duration = Duration::from_millis(25);

/// The most the helper reads at once.
const CHUNK: usize = 64 * 1024;

/// Standard input, read through the helper thread, locked for one reader at a time
/// (the prompter, or a command reading all of it).
pub(crate) fn stdin() -> Input<'static> {
    static STDIN: OnceLock<Mutex<Feed>> = OnceLock::new();
    Input(
        STDIN
            .get_or_init(|| Mutex::new(Feed::new(Box::new(io::stdin()))))
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    )
}

/// True when `error` is a read given up because Ctrl-C was pressed.
pub(crate) fn is_interrupted(error: &io::Error) -> bool {
    matches!(error.get_ref(), Some(inner) if inner.is::<CtrlC>())
}

/// The error a read gives up with once Ctrl-C was pressed (see [`is_interrupted`]).
pub(crate) fn interrupted() -> io::Error {
    io::Error::other(CtrlC)
}

/// `source` read through a helper thread of its own, as standard input is: a read
/// that blocks (a FIFO, a terminal) then gives up on Ctrl-C. See
/// [`crate::limits::read_path`].
pub(crate) fn watched(source: Box<dyn Read + Send>) -> Watched {
    Watched(Mutex::new(Feed::new(source)))
}

/// A source of its own read through a helper thread (see [`watched`]).
pub(crate) struct Watched(Mutex<Feed>);

impl Read for Watched {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        Input(self.0.lock().unwrap_or_else(PoisonError::into_inner)).read(out)
    }
}

/// Why a read gave up. Its kind is `Other`, not `Interrupted`: the standard library
/// retries a read that failed with `Interrupted`, which would wait on regardless.
#[derive(Debug, thiserror::Error)]
#[error("Ctrl-C was pressed while waiting for standard input")]
struct CtrlC;

/// One source, its helper thread, and what was fetched but not yet used.
struct Feed {
    /// The source until the helper thread is started (at the first read) and takes it.
    source: Option<Box<dyn Read + Send>>,
    helper: Option<Helper>,
    /// A chunk was asked for and has not come yet (the reader that asked gave up).
    asked: bool,
    buf: Vec<u8>,
    pos: usize,
}

struct Helper {
    ask: Sender<()>,
    chunks: Receiver<io::Result<Vec<u8>>>,
}

impl Feed {
    fn new(source: Box<dyn Read + Send>) -> Self {
        Self {
            source: Some(source),
            helper: None,
            asked: false,
            buf: Vec::new(),
            pos: 0,
        }
    }

    /// The next chunk from the source: empty at the end of the input (which a terminal
    /// may follow with more, as a plain read would see).
    fn next_chunk(&mut self) -> io::Result<Vec<u8>> {
        if let Some(source) = self.source.take() {
            self.helper = Some(Helper::start(source)?);
        }
        let Some(helper) = &self.helper else {
            return Ok(Vec::new());
        };
        if !self.asked {
            if helper.ask.send(()).is_err() {
                return Ok(Vec::new());
            }
            self.asked = true;
        }
        loop {
            match helper.chunks.recv_timeout(SLICE) {
                Ok(chunk) => {
                    self.asked = false;
                    return chunk;
                }
                Err(RecvTimeoutError::Timeout) => {
                    if interrupt::requested() {
                        return Err(interrupted());
                    }
                }
                // The helper is gone (it cannot fail before it answers, but if it
                // did, there is nothing more to read).
                Err(RecvTimeoutError::Disconnected) => {
                    self.asked = false;
                    return Ok(Vec::new());
                }
            }
        }
    }
}

impl Helper {
    fn start(mut source: Box<dyn Read + Send>) -> io::Result<Self> {
        let (ask, asks) = mpsc::channel::<()>();
        let (send, chunks) = mpsc::channel();
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                while asks.recv().is_ok() {
                    if send.send(read_chunk(&mut source)).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Self { ask, chunks })
    }
}

/// One chunk of `source`, read again when a signal interrupts the read.
fn read_chunk(source: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut chunk = vec![0; CHUNK];
    let read = loop {
        match source.read(&mut chunk) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            read => break read,
        }
    };
    read.map(|n| {
        chunk.truncate(n);
        chunk
    })
}

/// Standard input locked for one reader: buffered reading that gives up on Ctrl-C (see
/// [`is_interrupted`]).
pub(crate) struct Input<'a>(MutexGuard<'a, Feed>);

impl BufRead for Input<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let feed = &mut *self.0;
        if feed.pos >= feed.buf.len() {
            feed.buf = feed.next_chunk()?;
            feed.pos = 0;
        }
        Ok(&feed.buf[feed.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.0.pos = (self.0.pos + amount).min(self.0.buf.len());
    }
}

impl Read for Input<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source that counts how often it was read, giving `data` a few bytes at a time.
    struct Counted {
        data: io::Cursor<Vec<u8>>,
        reads: Arc<AtomicUsize>,
    }

    impl Read for Counted {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let n = out.len().min(3);
            self.data.read(&mut out[..n])
        }
    }

    fn feed(data: &[u8]) -> (Mutex<Feed>, Arc<AtomicUsize>) {
        let reads = Arc::new(AtomicUsize::new(0));
        let source = Counted {
            data: io::Cursor::new(data.to_vec()),
            reads: Arc::clone(&reads),
        };
        (Mutex::new(Feed::new(Box::new(source))), reads)
    }

    fn lock(feed: &Mutex<Feed>) -> Input<'_> {
        Input(feed.lock().unwrap())
    }

    #[test]
    fn lines_come_whole_across_chunks_and_readers_and_the_end_repeats() {
        let (feed, reads) = feed(b"first line\nsecond\r\nlast");
        assert_eq!(reads.load(Ordering::SeqCst), 0, "nothing is read unasked");

        let mut line = Vec::new();
        lock(&feed).read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"first line\n");
        let after_one_line = reads.load(Ordering::SeqCst);

        // A second reader goes on where the first stopped, with what it had fetched.
        let mut rest = String::new();
        lock(&feed).read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "second\r\nlast");
        assert!(reads.load(Ordering::SeqCst) > after_one_line);

        // The end of the input, then the end again (a terminal's Ctrl-D is read anew).
        line.clear();
        assert_eq!(lock(&feed).read_until(b'\n', &mut line).unwrap(), 0);
        assert_eq!(lock(&feed).read_until(b'\n', &mut line).unwrap(), 0);
    }

    #[test]
    fn read_errors_of_the_source_reach_the_reader() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "gone"))
            }
        }
        let feed = Mutex::new(Feed::new(Box::new(Failing)));
        let error = lock(&feed).read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
        assert!(!is_interrupted(&error));
    }
}
