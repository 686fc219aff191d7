//! Reading the journal without loading it whole: newest first from the end of the
//! file, or oldest first from the start. Damaged lines are reported, never dropped
//! silently and never rewritten.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use std::marker::PhantomData;

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
pub fn describe_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Io => "could not be read".into(),
        serde_json::error::Category::Syntax => "is not valid JSON".into(),
        serde_json::error::Category::Data => "is JSON, but not an exback entry".into(),
        serde_json::error::Category::Eof => "is cut short (incomplete JSON)".into(),
    }
}

fn parse_line<T: DeserializeOwned>(path: &Path, bytes: &[u8], line: usize) -> Item<T> {
    match serde_json::from_slice::<T>(bytes) {
        Ok(entry) => Item::Entry(Box::new(entry)),
        Err(e) => Item::Damaged(Damage {
            path: path.to_path_buf(),
            line,
            column: e.column().max(1),
            reason: describe_json_error(&e),
        }),
    }
}

/// Records oldest first, with line numbers.
pub struct Forward<T = Entry> {
    path: PathBuf,
    reader: Option<BufReader<File>>,
    line: usize,
    buf: Vec<u8>,
    record: PhantomData<T>,
}

impl<T> Forward<T> {
    pub fn open(path: &Path) -> io::Result<Self> {
        let reader = match File::open(path) {
            Ok(f) => Some(BufReader::with_capacity(CHUNK, f)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            line: 0,
            buf: Vec::new(),
            record: PhantomData,
        })
    }
}

impl<T: DeserializeOwned> Iterator for Forward<T> {
    type Item = io::Result<Item<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = self.reader.as_mut()?;
        loop {
            self.buf.clear();
            match reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {
                    self.line += 1;
                    let trimmed = self.buf.trim_ascii();
                    if trimmed.is_empty() {
                        continue;
                    }
                    return Some(Ok(parse_line(&self.path, trimmed, self.line)));
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Entries newest first, read backwards from the end in chunks: the newest few
/// entries cost the same however long the journal is.
pub struct Backward<T = Entry> {
    record: PhantomData<T>,
    path: PathBuf,
    file: Option<File>,
    /// File offset where `buf` starts.
    pos: u64,
    /// Unread bytes `[pos, pos + buf.len())`, without the newline ending the last of them.
    buf: Vec<u8>,
    done: bool,
}

impl<T> Backward<T> {
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Self {
                    record: PhantomData,
                    path: path.to_path_buf(),
                    file: None,
                    pos: 0,
                    buf: Vec::new(),
                    done: true,
                });
            }
            Err(e) => return Err(e),
        };
        let len = file.seek(SeekFrom::End(0))?;
        let mut this = Self {
            record: PhantomData,
            path: path.to_path_buf(),
            file: Some(file),
            pos: len,
            buf: Vec::new(),
            done: false,
        };
        this.fill()?;
        if this.buf.last() == Some(&b'\n') {
            this.buf.pop();
        }
        Ok(this)
    }

    /// Prepends the previous chunk of the file to `buf`. False at the start of the file.
    fn fill(&mut self) -> io::Result<bool> {
        let Some(file) = self.file.as_mut() else {
            return Ok(false);
        };
        if self.pos == 0 {
            return Ok(false);
        }
        let take = u64::try_from(CHUNK).unwrap_or(u64::MAX).min(self.pos);
        let start = self.pos - take;
        let mut chunk = vec![0u8; usize::try_from(take).unwrap_or(CHUNK)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&self.buf);
        self.buf = chunk;
        self.pos = start;
        Ok(true)
    }

    /// The 1-based line number of the line starting at `offset` (only needed for damage).
    fn line_number(&self, offset: u64) -> usize {
        let count = || -> io::Result<usize> {
            let mut f = File::open(&self.path)?.take(offset);
            let mut buf = vec![0u8; CHUNK];
            let mut n = 0;
            loop {
                let read = f.read(&mut buf)?;
                if read == 0 {
                    return Ok(n + 1);
                }
                n += buf[..read].split(|b| *b == b'\n').count() - 1;
            }
        };
        count().unwrap_or(0)
    }
}

impl<T: DeserializeOwned> Iterator for Backward<T> {
    type Item = io::Result<Item<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let (line, offset) = if let Some(i) = self.buf.iter().rposition(|b| *b == b'\n') {
                let line = self.buf.split_off(i + 1);
                self.buf.pop();
                (line, self.pos + i as u64 + 1)
            } else {
                match self.fill() {
                    Ok(true) => continue,
                    Ok(false) => {
                        self.done = true;
                        (std::mem::take(&mut self.buf), 0)
                    }
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            };
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            return Some(Ok(match parse_line(&self.path, trimmed, 0) {
                Item::Damaged(mut d) => {
                    d.line = self.line_number(offset);
                    Item::Damaged(d)
                }
                item @ Item::Entry(_) => item,
            }));
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
        assert_eq!(forward.len(), 2002);
        assert_eq!(forward[2000], "damaged@2001:2");
        assert!(forward[2001].starts_with("damaged@2002:"));
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
