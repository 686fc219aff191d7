//! The journal read in large blocks of whole lines, for a reader that parses the lines
//! on several threads (`log` without `-n`). Each block is read straight into a buffer
//! the caller hands in, so a byte is copied once on its way from the file; only the
//! piece of a line cut by a block's edge is copied again, into the next block. The
//! lines of a block come out exactly as [`ForwardLines`](super::ForwardLines)
//! and [`BackwardLines`](super::BackwardLines) give them: trimmed, blank ones
//! passed over, and an unfinished save at the end of the file left out.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::{Place, is_unfinished};

/// About this many bytes are read at a time: large enough that handing a block to
/// another thread costs nothing next to parsing it, small enough that memory stays low.
pub(crate) const BLOCK_BYTES: usize = 512 * 1024;

/// Whole lines of the journal, as read: `bytes[start..]`.
#[derive(Debug, Default)]
pub struct Block {
    pub bytes: Vec<u8>,
    start: usize,
    /// Where `bytes[start]` is in the file.
    offset: u64,
    /// Read from the end of the file towards its start: the lines go newest first, and
    /// each one's place is its offset.
    backward: bool,
    /// The last line is the file's last and has no newline: an unfinished save, if it
    /// is not a whole JSON value.
    unterminated: bool,
}

impl Block {
    /// Read from the end of the file towards its start.
    pub fn is_backward(&self) -> bool {
        self.backward
    }

    /// Where `line`, one of the lines [`Block::for_each_line`] gave, starts in the file.
    pub fn offset_of(&self, line: &[u8]) -> u64 {
        let base = self.bytes[self.start..].as_ptr() as usize;
        self.offset + (line.as_ptr() as usize).saturating_sub(base) as u64
    }

    /// Calls `each` with the block's non-blank lines, trimmed, in reading order, and
    /// each one's place: going forwards its number counted from the block's start,
    /// going backwards its offset in the file. Gives back how many newlines the block
    /// holds (the next block's lines are numbered from that many more).
    pub fn for_each_line<E>(
        &self,
        mut each: impl FnMut(&[u8], Place) -> Result<(), E>,
    ) -> Result<usize, E> {
        let text = &self.bytes[self.start..];
        let mut ends = memchr::memchr_iter(b'\n', text);
        let mut take = |start: usize, end: usize, number: usize| {
            let line = &text[start..end];
            // Only the piece after the last newline can be an unfinished save.
            if end == text.len() && self.unterminated && is_unfinished(line) {
                return Ok(());
            }
            let line = line.trim_ascii();
            if line.is_empty() {
                return Ok(());
            }
            each(
                line,
                if self.backward {
                    Place::Offset(self.offset + start as u64)
                } else {
                    Place::Line(number)
                },
            )
        };
        let mut newlines = 0;
        if self.backward {
            let mut end = text.len();
            while let Some(newline) = ends.next_back() {
                take(newline + 1, end, 0)?;
                end = newline;
                newlines += 1;
            }
            take(0, end, 0)?;
        } else {
            let mut start = 0;
            for end in ends {
                newlines += 1;
                take(start, end, newlines)?;
                start = end + 1;
            }
            take(start, text.len(), newlines + 1)?;
        }
        Ok(newlines)
    }
}

/// Reads a journal in [`Block`]s, oldest lines first or newest first.
#[derive(Debug)]
pub struct Blocks {
    file: Option<File>,
    /// How much to read at a time ([`BLOCK_BYTES`], smaller in tests).
    size: usize,
    backward: bool,
    /// Going forwards, where the next read starts; going backwards, where the bytes
    /// read so far start.
    pos: u64,
    /// The part of a line that the last read cut: going forwards its start, to go in
    /// front of the next block; going backwards its end with its newline, to go after.
    carry: Vec<u8>,
    /// Going backwards, until the first block is out: the file does not end with a
    /// newline.
    unterminated: bool,
    done: bool,
}

impl Blocks {
    /// Opens `path` for reading in blocks; a missing file has none.
    pub fn open(path: &Path, backward: bool) -> io::Result<Self> {
        let mut this = Self {
            file: None,
            size: BLOCK_BYTES,
            backward,
            pos: 0,
            carry: Vec::new(),
            unterminated: false,
            done: false,
        };
        match crate::journal::store::files::open_read(path) {
            Ok(mut file) => {
                if backward {
                    this.pos = file.seek(SeekFrom::End(0))?;
                    if this.pos > 0 {
                        let mut last = [0u8];
                        file.seek(SeekFrom::End(-1))?;
                        file.read_exact(&mut last)?;
                        this.unterminated = last[0] != b'\n';
                    }
                }
                this.file = Some(file);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => this.done = true,
            Err(e) => return Err(e),
        }
        Ok(this)
    }

    /// The next block, read into `buf` (its contents are dropped, its memory used), or
    /// `None` after the last.
    pub fn next_block(&mut self, buf: Vec<u8>) -> io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        if self.backward {
            self.next_backward(buf)
        } else {
            self.next_forward(buf)
        }
    }

    fn next_forward(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Block>> {
        let Some(file) = self.file.as_mut() else {
            return Ok(None);
        };
        buf.clear();
        buf.append(&mut self.carry);
        let offset = self.pos - buf.len() as u64;
        loop {
            // At least as much as is already held: a very long line costs reads that
            // double in size, so reading it stays linear in its length.
            let want = self.size.max(buf.len());
            buf.reserve(want);
            let read = (&mut *file).take(want as u64).read_to_end(&mut buf)?;
            self.pos += read as u64;
            if read < want {
                // The end of the file (as it is now: a writer may add to it later).
                self.done = true;
                if buf.is_empty() {
                    return Ok(None);
                }
                let unterminated = buf.last() != Some(&b'\n');
                return Ok(Some(Block {
                    bytes: buf,
                    start: 0,
                    offset,
                    backward: false,
                    unterminated,
                }));
            }
            let fresh = buf.len() - read;
            if let Some(newline) = memchr::memrchr(b'\n', &buf[fresh..]) {
                self.carry.extend_from_slice(&buf[fresh + newline + 1..]);
                buf.truncate(fresh + newline + 1);
                return Ok(Some(Block {
                    bytes: buf,
                    start: 0,
                    offset,
                    backward: false,
                    unterminated: false,
                }));
            }
        }
    }

    fn next_backward(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Block>> {
        let Some(file) = self.file.as_mut() else {
            return Ok(None);
        };
        loop {
            let unterminated = std::mem::take(&mut self.unterminated);
            if self.pos == 0 {
                // An empty file.
                self.done = true;
                return Ok(None);
            }
            let want = u64::try_from(self.size.max(self.carry.len()))
                .unwrap_or(u64::MAX)
                .min(self.pos);
            let start = self.pos - want;
            buf.clear();
            buf.reserve(usize::try_from(want).unwrap_or(0) + self.carry.len());
            file.seek(SeekFrom::Start(start))?;
            let read = (&mut *file).take(want).read_to_end(&mut buf)?;
            if read as u64 != want {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file shrank while being read",
                ));
            }
            buf.append(&mut self.carry);
            self.pos = start;
            // The bytes before the first newline belong to a line that starts further
            // back; at the start of the file there is none.
            let first = if start == 0 {
                Some(0)
            } else {
                memchr::memchr(b'\n', &buf[..read]).map(|newline| newline + 1)
            };
            if let Some(first) = first {
                self.carry.extend_from_slice(&buf[..first]);
                if start == 0 {
                    self.done = true;
                }
                return Ok(Some(Block {
                    bytes: buf,
                    start: first,
                    offset: start + first as u64,
                    backward: true,
                    unterminated,
                }));
            }
            // No line starts in what was read: read further back, keeping it all.
            self.unterminated = unterminated;
            std::mem::swap(&mut buf, &mut self.carry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::read::{BackwardLines, ForwardLines};

    /// A place as a comparable pair: (false, line number) or (true, offset).
    fn place(place: Place) -> (bool, u64) {
        match place {
            Place::Line(n) => (false, n as u64),
            Place::Offset(offset) => (true, offset),
        }
    }

    /// Every line the blocks give, with forward line numbers made whole the way `log`
    /// makes them (adding the newlines of the blocks before).
    fn through_blocks(path: &Path, backward: bool, size: usize) -> Vec<(Vec<u8>, (bool, u64))> {
        let mut blocks = Blocks::open(path, backward).unwrap();
        blocks.size = size;
        let mut lines = Vec::new();
        let mut before = 0;
        let mut buf = Vec::new();
        while let Some(block) = blocks.next_block(std::mem::take(&mut buf)).unwrap() {
            let newlines = block
                .for_each_line(|line, at| {
                    let (by_offset, n) = place(at);
                    let n = if by_offset { n } else { n + before };
                    lines.push((line.to_vec(), (by_offset, n)));
                    Ok::<(), ()>(())
                })
                .unwrap();
            before += newlines as u64;
            buf = block.bytes;
        }
        lines
    }

    /// The same, through the line-at-a-time readers.
    fn through_lines(path: &Path, backward: bool) -> Vec<(Vec<u8>, (bool, u64))> {
        let mut lines = Vec::new();
        if backward {
            let mut source = BackwardLines::open(path).unwrap();
            while let Some((line, at)) = source.next_line().unwrap() {
                lines.push((line.to_vec(), place(at)));
            }
        } else {
            let mut source = ForwardLines::open(path).unwrap();
            while let Some((line, at)) = source.next_line().unwrap() {
                lines.push((line.to_vec(), place(at)));
            }
        }
        lines
    }

    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    #[test]
    fn blocks_give_the_lines_the_line_readers_give_in_both_directions() {
        let mut text = String::new();
        for i in 0..300 {
            let answer = "x".repeat(i % 37);
            text.push_str(r#"{"v":1,"id":""#);
            text.push_str(&i.to_string());
            text.push_str(r#"","answer":""#);
            text.push_str(&answer);
            text.push_str("\"}\n");
            if i % 50 == 0 {
                text.push_str("  \n\n{not json\n");
            }
        }
        text.push_str("{\"v\":1,\"cut");
        let (_dir, path) = file_with(text.as_bytes());
        for backward in [false, true] {
            let expected = through_lines(&path, backward);
            assert_eq!(expected.len(), 300 + 6, "the cut tail is left out");
            for size in [1, 7, 64, 1000, BLOCK_BYTES] {
                assert_eq!(
                    through_blocks(&path, backward, size),
                    expected,
                    "backward {backward}, blocks of {size}"
                );
            }
        }
    }

    #[test]
    fn a_whole_last_line_without_its_newline_is_read_and_a_damaged_one_with_it_too() {
        for (text, lines) in [
            (&b"{\"a\":1}\n{\"b\":2}"[..], 2),
            (b"{\"a\":1}\n{not json\n", 2),
            (b"{\"a\":1}\n{not json", 1),
            (b"\n\n   \n", 0),
            (b"", 0),
        ] {
            let (_dir, path) = file_with(text);
            for backward in [false, true] {
                let got = through_blocks(&path, backward, 4);
                assert_eq!(got.len(), lines, "{text:?} backward {backward}");
                assert_eq!(got, through_lines(&path, backward));
            }
        }
    }

    #[test]
    fn a_missing_journal_has_no_blocks_and_a_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        for backward in [false, true] {
            let mut blocks = Blocks::open(&dir.path().join("none"), backward).unwrap();
            assert!(blocks.next_block(Vec::new()).unwrap().is_none());
            assert!(Blocks::open(dir.path(), backward).is_err());
        }
    }

    #[test]
    fn a_long_line_is_read_in_few_reads_and_blocks_end_on_whole_lines() {
        let long = format!("{{\"answer\":\"{}\"}}", "y".repeat(1 << 20));
        let text = format!("{{\"a\":1}}\n{long}\n{{\"b\":2}}\n");
        let (_dir, path) = file_with(text.as_bytes());
        for backward in [false, true] {
            let mut blocks = Blocks::open(&path, backward).unwrap();
            blocks.size = 1024;
            let mut sizes = Vec::new();
            while let Some(block) = blocks.next_block(Vec::new()).unwrap() {
                let whole = &block.bytes[block.start..];
                assert!(whole.is_empty() || whole.ends_with(b"\n"), "{backward}");
                sizes.push(whole.len());
            }
            // The megabyte line comes whole in one block, after reads that double.
            assert!(sizes.contains(&(long.len() + 1)) || sizes.iter().any(|s| *s > long.len()));
            assert!(sizes.len() <= 4, "backward {backward}: {sizes:?}");
        }
    }

    proptest::proptest! {
        /// Any mix of entries, blank lines, damage and a cut tail, read in blocks of
        /// any size, gives the lines and places the line readers give.
        #[test]
        fn blocks_of_any_size_agree_with_the_line_readers(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{\"v\":1}", "{\"answer\":\"a\\nb\"}", "", "  ", "\r", "{cut", "{}",
                ]),
                0..30,
            ),
            ends_with_newline in proptest::bool::ANY,
            size in 1usize..40,
        ) {
            let mut text = pieces.join("\n");
            if ends_with_newline {
                text.push('\n');
            }
            let (_dir, path) = file_with(text.as_bytes());
            for backward in [false, true] {
                proptest::prop_assert_eq!(
                    through_blocks(&path, backward, size),
                    through_lines(&path, backward),
                    "{:?}, backward {}", text, backward
                );
            }
        }
    }
}
