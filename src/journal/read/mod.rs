//! Where an answer is read back: the journal and the other logs without loading them
//! whole, newest first from the end of the file or oldest first from the start.
//! Damaged lines are reported, never dropped silently and never rewritten. [`blocks`]
//! reads the journal in blocks for the fast search, and [`view`] scans a line into an
//! [`view::EntryView`] without building an [`Entry`].

pub(crate) mod blocks;
pub(crate) mod view;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::entry::Entry;

const CHUNK: usize = 64 * 1024;

/// A line of the journal that does not parse as an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column where parsing failed.
    pub column: usize,
    /// What is wrong, without quoting the text itself.
    pub reason: String,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: this line {}",
            self.path.display(),
            self.line,
            self.column,
            self.reason
        )
    }
}

/// What reading one line gave: a record (a journal [`Entry`] unless said otherwise),
/// or the place of a line that does not parse.
#[derive(Debug)]
pub enum Item<T = Entry> {
    Entry(Box<T>),
    Damaged(Damage),
}

/// Describes a JSON error by its category and place only, so that no private text
/// from the file ends up in a message.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Io => "could not be read".into(),
        serde_json::error::Category::Syntax => "is not valid JSON".into(),
        serde_json::error::Category::Data => "is JSON, but not an exback entry".into(),
        serde_json::error::Category::Eof => "is cut short (incomplete JSON)".into(),
    }
}

/// Where a line is: its number when read forwards, its byte offset when read backwards
/// (turned into a line number only if the line turns out to be damaged).
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Line(usize),
    Offset(u64),
}

/// Parses one line, borrowing from it where the record type allows, or says where and
/// why it is damaged.
pub fn parse<'a, T: Deserialize<'a>>(
    path: &Path,
    bytes: &'a [u8],
    place: Place,
) -> Result<T, Damage> {
    // The line sources open sealed lines; one still sealed here did not open.
    if crate::journal::store::seal::is_sealed(bytes) {
        return Err(Damage {
            path: path.to_path_buf(),
            line: match place {
                Place::Line(n) => n,
                Place::Offset(offset) => line_number(path, offset),
            },
            column: 1,
            reason: crate::journal::store::seal::NOT_OPENED.into(),
        });
    }
    serde_json::from_slice::<T>(bytes).map_err(|e| Damage {
        path: path.to_path_buf(),
        line: match place {
            Place::Line(n) => n,
            Place::Offset(offset) => line_number(path, offset),
        },
        column: e.column().max(1),
        reason: describe_json_error(&e),
    })
}

fn to_item<T: DeserializeOwned>(path: &Path, bytes: &[u8], place: Place) -> Item<T> {
    match parse::<T>(path, bytes, place) {
        Ok(record) => Item::Entry(Box::new(record)),
        Err(damage) => Item::Damaged(damage),
    }
}

/// The 1-based number of the line starting at byte `offset` (only needed for damage).
fn line_number(path: &Path, offset: u64) -> usize {
    let count = || -> io::Result<usize> {
        let mut f = crate::journal::store::files::open_read(path)?.take(offset);
        let mut buf = vec![0u8; CHUNK];
        let mut n = 0;
        loop {
            let read = f.read(&mut buf)?;
            if read == 0 {
                return Ok(n + 1);
            }
            n += memchr::memchr_iter(b'\n', &buf[..read]).count();
        }
    };
    count().unwrap_or(0)
}

/// True for the last line of a file, without its newline, that is not a whole JSON
/// value: a save cut short by a crash, never acknowledged. Readers pass over it (a
/// writer may also be halfway through it right now); the next save under the lock
/// moves it aside.
pub(crate) fn is_unfinished(last_line: &[u8]) -> bool {
    let trimmed = last_line.trim_ascii();
    !trimmed.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).is_err()
}

/// The non-blank lines of a file, oldest first, each borrowed until the next call.
pub struct ForwardLines {
    reader: Option<BufReader<File>>,
    line: usize,
    buf: Vec<u8>,
    opener: Opener,
}

/// Opens the sealed lines of one file of an encrypted directory into a buffer, so the
/// parsers and the quick view see plain records whichever form the file holds.
pub(crate) struct Opener {
    key: Option<std::sync::Arc<crate::journal::store::seal::Unlocked>>,
    name: String,
    plain: Vec<u8>,
}

impl Opener {
    pub(crate) fn new(path: &Path) -> Self {
        Self {
            key: crate::journal::store::seal::current(),
            name: crate::journal::store::seal::bound_name(path),
            plain: Vec::new(),
        }
    }

    /// The plain form of `line`: opened into the buffer when it is sealed (and opens),
    /// else the line itself.
    pub(crate) fn plain<'a>(&'a mut self, line: &'a [u8]) -> &'a [u8] {
        // A line with the frame of a sealed record; one with a quote inside the frame
        // does not decode, and is read as it is.
        if let Some(key) = &self.key
            && crate::journal::store::seal::has_sealed_frame(line)
            && let Some(plain) = key.open_into(&self.name, line, &mut self.plain)
        {
            return plain.trim_ascii();
        }
        line
    }
}

impl ForwardLines {
    pub fn open(path: &Path) -> io::Result<Self> {
        let reader = match crate::journal::store::files::open_read(path) {
            Ok(f) => Some(BufReader::with_capacity(CHUNK, f)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(Self {
            reader,
            line: 0,
            buf: Vec::new(),
            opener: Opener::new(path),
        })
    }

    /// The next non-blank line (trimmed) and its place, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(&[u8], Place)>> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(None);
        };
        loop {
            self.buf.clear();
            if reader.read_until(b'\n', &mut self.buf)? == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.buf.last() != Some(&b'\n') && is_unfinished(&self.buf) {
                return Ok(None);
            }
            if !self.buf.trim_ascii().is_empty() {
                let line = self.opener.plain(self.buf.trim_ascii());
                return Ok(Some((line, Place::Line(self.line))));
            }
        }
    }
}

/// The non-blank lines of a file, newest first, read backwards from the end in chunks:
/// the newest few lines cost the same however long the file is.
pub struct BackwardLines {
    file: Option<File>,
    /// File offset where `buf` starts.
    pos: u64,
    buf: Vec<u8>,
    /// `buf[..end]` is still unread; it never includes the newline ending its last line.
    end: usize,
    done: bool,
    /// The file does not end in a newline: its last line may be an unfinished save.
    unterminated: bool,
    /// Reads so far (the tests check that a long line costs few of them).
    reads: usize,
    opener: Opener,
}

impl BackwardLines {
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut this = Self {
            file: None,
            pos: 0,
            buf: Vec::new(),
            end: 0,
            done: false,
            unterminated: false,
            reads: 0,
            opener: Opener::new(path),
        };
        match crate::journal::store::files::open_read(path) {
            Ok(mut f) => {
                this.pos = f.seek(SeekFrom::End(0))?;
                this.file = Some(f);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => this.done = true,
            Err(e) => return Err(e),
        }
        this.fill()?;
        if this.end > 0 && this.buf[this.end - 1] == b'\n' {
            this.end -= 1;
        } else {
            this.unterminated = true;
        }
        Ok(this)
    }

    /// Puts the previous chunk of the file in front of the unread bytes. False at the start.
    fn fill(&mut self) -> io::Result<bool> {
        let Some(file) = self.file.as_mut() else {
            return Ok(false);
        };
        if self.pos == 0 {
            return Ok(false);
        }
        // At least as much as is already held: a long line costs reads that double in
        // size, so reading it stays linear in its length.
        let take = u64::try_from(CHUNK.max(self.end))
            .unwrap_or(u64::MAX)
            .min(self.pos);
        let start = self.pos - take;
        let mut chunk = Vec::with_capacity(usize::try_from(take).unwrap_or(CHUNK) + self.end);
        file.seek(SeekFrom::Start(start))?;
        (&mut *file).take(take).read_to_end(&mut chunk)?;
        if chunk.len() as u64 != take {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while being read",
            ));
        }
        chunk.extend_from_slice(&self.buf[..self.end]);
        self.reads += 1;
        self.end = chunk.len();
        self.buf = chunk;
        self.pos = start;
        Ok(true)
    }

    /// The next non-blank line going backwards (trimmed) and its place, or `None`.
    pub fn next_line(&mut self) -> io::Result<Option<(&[u8], Place)>> {
        loop {
            if self.done {
                return Ok(None);
            }
            let (start, stop) = if let Some(i) = memchr::memrchr(b'\n', &self.buf[..self.end]) {
                let range = (i + 1, self.end);
                self.end = i;
                range
            } else if self.fill()? {
                continue;
            } else {
                self.done = true;
                (0, self.end)
            };
            let line = &self.buf[start..stop];
            if std::mem::take(&mut self.unterminated) && is_unfinished(line) {
                continue;
            }
            if line.trim_ascii().is_empty() {
                continue;
            }
            let offset = self.pos + start as u64;
            let line = self.opener.plain(self.buf[start..stop].trim_ascii());
            return Ok(Some((line, Place::Offset(offset))));
        }
    }
}

/// The records already read, by a hash of their plain bytes, so that a record copied
/// into a file twice (a line duplicated by hand, a sealed line replayed) is read once.
/// Two records with the same id but different bytes are both read: neither is a copy of
/// the other (see docs/storage.md, "Duplicates").
#[derive(Debug, Default)]
pub(crate) struct Seen(std::collections::HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>);

impl Seen {
    /// True the first time these bytes (a trimmed, opened line) are seen.
    pub(crate) fn first(&mut self, plain: &[u8]) -> bool {
        self.0.insert(line_key(plain))
    }
}

/// A 64-bit hash of a whole line, quick enough to take of every line `log` reads (its
/// length is part of it, so two lines that differ only in length never share it).
pub(crate) fn line_key(plain: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(plain);
    h.write_usize(plain.len());
    h.finish()
}

/// A 64-bit hash of a record's id and the length of its line: equal for two copies
/// of one record, and far cheaper than [`line_key`] on a long line. Two lines that share
/// it are then compared byte for byte ([`plain_line_at`]).
pub(crate) fn id_key(id: &str, line_len: usize) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(id.as_bytes());
    h.write_usize(line_len);
    h.finish()
}

/// The line of `path` that starts at byte `offset`, trimmed, and opened if it is a
/// sealed record: what the readers parse.
pub(crate) fn plain_line_at(path: &Path, offset: u64) -> io::Result<Vec<u8>> {
    let mut file = crate::journal::store::files::open_read(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut line = Vec::new();
    BufReader::new(file).read_until(b'\n', &mut line)?;
    let mut opener = Opener::new(path);
    Ok(opener.plain(line.trim_ascii()).to_vec())
}

/// The hasher of [`Seen`]: its keys are hashes already, taken as they are.
#[derive(Debug, Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Where lines come from: a file read forwards or backwards.
pub trait LineSource: Sized {
    fn open(path: &Path) -> io::Result<Self>;
    /// The next non-blank line (trimmed) and its place, or `None` at the end.
    fn next_line(&mut self) -> io::Result<Option<(&[u8], Place)>>;
}

impl LineSource for ForwardLines {
    fn open(path: &Path) -> io::Result<Self> {
        ForwardLines::open(path)
    }
    fn next_line(&mut self) -> io::Result<Option<(&[u8], Place)>> {
        ForwardLines::next_line(self)
    }
}

impl LineSource for BackwardLines {
    fn open(path: &Path) -> io::Result<Self> {
        BackwardLines::open(path)
    }
    fn next_line(&mut self) -> io::Result<Option<(&[u8], Place)>> {
        BackwardLines::next_line(self)
    }
}

/// Owned records of type `T` (a journal [`Entry`] unless said otherwise) from a line
/// source, damaged lines reported in place, a record copied twice read once.
pub struct Records<L, T = Entry> {
    path: PathBuf,
    lines: L,
    seen: Seen,
    record: PhantomData<T>,
}

/// Records oldest first.
pub(crate) type Forward<T = Entry> = Records<ForwardLines, T>;
/// Records newest first.
pub(crate) type Backward<T = Entry> = Records<BackwardLines, T>;

impl<L: LineSource, T> Records<L, T> {
    pub fn open(path: &Path) -> io::Result<Self> {
        Ok(Self {
            path: path.to_path_buf(),
            lines: L::open(path)?,
            seen: Seen::default(),
            record: PhantomData,
        })
    }
}

impl<L: LineSource, T: DeserializeOwned> Iterator for Records<L, T> {
    type Item = io::Result<Item<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            return match self.lines.next_line() {
                Ok(Some((bytes, place))) => match to_item(&self.path, bytes, place) {
                    Item::Entry(_) if !self.seen.first(bytes) => continue,
                    item => Some(Ok(item)),
                },
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn line(id: usize) -> String {
        format!(
            r#"{{"v":1,"id":"{id:04x}","at":"2026-11-01T10:00:00+00:00","kind":"answer","answer":"{}"}}"#,
            "x".repeat(id % 300)
        )
    }

    fn ids(items: impl Iterator<Item = io::Result<Item<Entry>>>) -> Vec<String> {
        items
            .map(|i| match i.unwrap() {
                Item::Entry(e) => e.id,
                Item::Damaged(d) => format!("damaged@{}:{}", d.line, d.column),
            })
            .collect()
    }

    #[test]
    fn backward_is_forward_reversed_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut f = File::create(&path).unwrap();
        for i in 0..2000 {
            writeln!(f, "{}", line(i)).unwrap();
        }
        writeln!(f, "{{not json").unwrap();
        write!(f, "{}", &line(7)[..20]).unwrap();
        drop(f);
        let forward = ids(Forward::<Entry>::open(&path).unwrap());
        let mut backward = ids(Backward::<Entry>::open(&path).unwrap());
        backward.reverse();
        assert_eq!(forward, backward);
        // The last line, cut short without its newline, is an unfinished save: passed over.
        assert_eq!(forward.len(), 2001);
        assert_eq!(forward[2000], "damaged@2001:2");
    }

    #[test]
    fn a_very_long_line_is_read_backwards_in_linear_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut f = File::create(&path).unwrap();
        writeln!(f, "{}", line(1)).unwrap();
        let long = format!(
            r#"{{"v":1,"id":"long","at":"2026-11-01T10:00:00+00:00","kind":"answer","answer":"{}"}}"#,
            "y".repeat(20 << 20)
        );
        writeln!(f, "{long}").unwrap();
        writeln!(f, "{}", line(2)).unwrap();
        drop(f);
        let mut lines = BackwardLines::open(&path).unwrap();
        let mut lens = Vec::new();
        while let Some((l, _)) = lines.next_line().unwrap() {
            lens.push(l.len());
        }
        assert_eq!(lens[1], long.len());
        // Each read at least doubles what is held, so 20 MB take a handful of reads,
        // not one per 64 KiB (which would copy the line hundreds of times).
        assert!(lines.reads < 20, "{} reads", lines.reads);
    }

    #[test]
    fn a_journal_under_64_kib_is_read_backwards_in_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut f = File::create(&path).unwrap();
        let mut size = 0;
        let mut n = 0;
        while size < 60 * 1024 {
            let l = line(n);
            size += l.len() + 1;
            writeln!(f, "{l}").unwrap();
            n += 1;
        }
        drop(f);
        let mut lines = BackwardLines::open(&path).unwrap();
        let mut count = 0;
        while lines.next_line().unwrap().is_some() {
            count += 1;
        }
        assert_eq!(count, n);
        assert_eq!(lines.reads, 1);
    }

    #[test]
    fn damage_is_told_by_place_and_kind_never_by_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let lines = [
            r#"{"secret": words}"#.to_string(),
            r#"{"v":1,"secret":"words"}"#.to_string(),
            r#"{"v":1,"id":"secret words""#.to_string(),
            line(1),
        ];
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let said: Vec<String> = Forward::<Entry>::open(&path)
            .unwrap()
            .filter_map(|item| match item.unwrap() {
                Item::Damaged(d) => Some(d.to_string()),
                Item::Entry(_) => None,
            })
            .collect();
        let at = |n: usize, col: usize, why: &str| {
            format!("{}:{n}:{col}: this line {why}", path.display())
        };
        assert_eq!(
            said,
            [
                at(1, 12, "is not valid JSON"),
                at(2, 24, "is JSON, but not an exback entry"),
                at(3, 26, "is cut short (incomplete JSON)"),
            ]
        );
        assert!(said.iter().all(|s| !s.contains("secret")));
    }

    #[test]
    fn a_damaged_last_line_with_its_newline_is_reported_not_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, format!("{}\n{{not json\n", line(1))).unwrap();
        let backward = ids(Backward::<Entry>::open(&path).unwrap());
        assert_eq!(backward, ["damaged@2:2", "0001"]);
    }

    #[test]
    fn a_journal_that_cannot_be_opened_is_an_error_not_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = Forward::<Entry>::open(dir.path()).err().unwrap();
        assert!(crate::journal::store::files::is_not_regular(&err), "{err}");
        assert!(BackwardLines::open(dir.path()).is_err());
    }

    #[test]
    fn a_missing_journal_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Backward::<Entry>::open(&dir.path().join("none"))
                .unwrap()
                .count(),
            0
        );
        assert_eq!(
            Forward::<Entry>::open(&dir.path().join("none"))
                .unwrap()
                .count(),
            0
        );
    }
}
