//! Reading entries back at speed: a view of one journal line that decodes only what is
//! looked at.
//!
//! `exback log` reads every line of a journal that may hold years of writing. Decoding
//! each answer in full (unescaping, allocating) costs far more than reading the file, so
//! the view keeps the answer as its raw JSON text and decodes it on demand: all of it for
//! the full views and `--grep`, only the first line for `--short`. The line is scanned
//! for its top-level fields; anything the scanner does not expect sends the line through
//! serde_json instead, which either reads it or says exactly where it is damaged.

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::journal::entry::Entry;
use crate::journal::read::{self, Damage, Place};

mod scan;

use scan::scan;

/// A JSON string as it stands in the line (escapes and all), or already decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonStr<'a> {
    /// The bytes between the quotes, still escaped; valid UTF-8.
    Raw {
        text: &'a str,
        escapes: Escapes,
    },
    Decoded(Cow<'a, str>),
}

/// The escapes a raw JSON string holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// None: the text is what it says.
    None,
    /// Only the short ones (`\n`, `\"`, …): every character outside them is itself.
    Short,
    /// At least one `\uXXXX`, which can stand for any character.
    Unicode,
}

impl<'a> JsonStr<'a> {
    /// A raw string, its escapes found by looking (the scanner knows them already;
    /// `\\u` counts as a `\u` here, which errs on the safe side).
    pub fn raw(text: &'a str) -> Self {
        let escapes = if !text.contains('\\') {
            Escapes::None
        } else if text.contains("\\u") {
            Escapes::Unicode
        } else {
            Escapes::Short
        };
        Self::Raw { text, escapes }
    }

    /// The whole text.
    pub fn decode(&self) -> Cow<'a, str> {
        match self {
            Self::Decoded(text) => text.clone(),
            Self::Raw {
                text,
                escapes: Escapes::None,
            } => Cow::Borrowed(text),
            Self::Raw { text, .. } => Cow::Owned(unescape(text)),
        }
    }

    /// The first non-blank line, at most `max_chars` characters of it, decoding no more
    /// of the text than that.
    pub fn first_line(&self, max_chars: usize) -> Cow<'a, str> {
        self.first_line_counted(max_chars).0
    }

    /// The first `n` bytes of a raw text when they are printable ASCII with no escape
    /// among them: then they are its first `n` characters as shown, and nothing in them
    /// needs decoding or making visible. `None` otherwise (or when it is shorter).
    pub fn plain_ascii_head(&self, n: usize) -> Option<&'a str> {
        let Self::Raw { text, .. } = self else {
            return None;
        };
        let head = text.get(..n)?;
        // Bitwise, with no early exit, so that the compiler tests many bytes at once.
        let odd = head.bytes().fold(0u8, |odd, b| {
            odd | u8::from(b < 0x20) | u8::from(b > 0x7e) | u8::from(b == b'\\')
        });
        (odd == 0).then_some(head)
    }

    /// [`JsonStr::first_line`], and how many characters it has.
    pub fn first_line_counted(&self, max_chars: usize) -> (Cow<'a, str>, usize) {
        match self {
            Self::Decoded(text) => {
                let line = text.trim_start().lines().next().unwrap_or_default();
                let line: String = line.trim_end().chars().take(max_chars).collect();
                let chars = line.chars().count();
                (Cow::Owned(line), chars)
            }
            Self::Raw { text, .. } => first_line_of_raw(text, max_chars),
        }
    }
}

/// [`JsonStr::first_line`] of a raw string, in one pass: runs of plain text are taken
/// as they stand (borrowed, when no escape comes before the cut), escapes are decoded
/// one at a time, and nothing past the first line break or `max_chars` is looked at.
fn first_line_of_raw(raw: &str, max_chars: usize) -> (Cow<'_, str>, usize) {
    let b = raw.as_bytes();
    // Past leading blanks: spaces, tabs and line breaks, plain or escaped.
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let (c, len) = if c == b'\\' {
            escape_at(&b[i..])
        } else {
            (char::from(c), 1)
        };
        if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            break;
        }
        i += len;
    }
    let start = i;
    let mut decoded: Option<String> = None;
    let mut count = 0;
    while count < max_chars {
        // A run of plain text, up to the next escape.
        let end = memchr::memchr(b'\\', &b[i..]).map_or(b.len(), |j| i + j);
        let run = &raw[i..end];
        let (take, chars) = match char_start_or_count(run, max_chars - count) {
            Ok(cut) => (&run[..cut], max_chars - count),
            Err(chars) => (run, chars),
        };
        if let Some(text) = &mut decoded {
            text.push_str(take);
        }
        count += chars;
        if take.len() < run.len() || end == b.len() {
            i += take.len();
            break;
        }
        i = end;
        if count == max_chars {
            break;
        }
        // The escape at `end`: a line break ends the first line.
        let (c, len) = escape_at(&b[end..]);
        if c == '\n' || c == '\r' {
            break;
        }
        decoded
            .get_or_insert_with(|| {
                // Room for the rest of the cut without growing, in most texts.
                let mut text = String::with_capacity(end - start + 2 * (max_chars - count));
                text.push_str(&raw[start..end]);
                text
            })
            .push(c);
        count += 1;
        i = end + len;
    }
    // Blanks at the end of the line go; blanks where the cut falls inside it stay.
    let line_ends = line_ends_at(&raw[i..]);
    let mut text = decoded.map_or(Cow::Borrowed(&raw[start..i]), Cow::Owned);
    if line_ends {
        let kept = text.trim_end().len();
        count -= text[kept..].chars().count();
        match &mut text {
            Cow::Borrowed(line) => *line = &line[..kept],
            Cow::Owned(line) => line.truncate(kept),
        }
    }
    (text, count)
}

/// True when nothing but blanks comes before the end of the text or its next line break
/// (`rest` is raw, escapes and all).
fn line_ends_at(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (c, len) = if b[i] == b'\\' {
            escape_at(&b[i..])
        } else {
            let c = rest[i..].chars().next().unwrap_or('\u{fffd}');
            (c, c.len_utf8())
        };
        match c {
            '\n' | '\r' => return true,
            c if c.is_whitespace() => i += len,
            _ => return false,
        }
    }
    true
}

/// The byte offset where character number `n` (0-based) of `text` starts, if it has
/// that many. Characters start at every byte that is not a continuation byte
/// (`10xxxxxx`); those are counted a block at a time, and only the block that holds the
/// answer is walked.
pub(crate) fn nth_char_start(text: &str, n: usize) -> Option<usize> {
    char_start_or_count(text, n).ok()
}

/// [`nth_char_start`], or when `text` has no character number `n`, how many it has.
fn char_start_or_count(text: &str, n: usize) -> Result<usize, usize> {
    let is_start = |b: u8| b & 0xc0 != 0x80;
    let mut seen = 0;
    for (k, block) in text.as_bytes().chunks(32).enumerate() {
        let ascii = block.is_ascii();
        let starts = if ascii {
            block.len()
        } else {
            usize::from(block.iter().fold(0u8, |c, &b| c + u8::from(is_start(b))))
        };
        if seen + starts > n {
            if ascii {
                return Ok(k * 32 + n - seen);
            }
            let within = block
                .iter()
                .enumerate()
                .filter(|(_, b)| is_start(**b))
                .nth(n - seen)
                .map_or(block.len(), |(j, _)| j);
            return Ok(k * 32 + within);
        }
        seen += starts;
    }
    Err(seen)
}

/// The character of the escape at the start of `b` (`\n`, `\"`, `\uXXXX`, a surrogate
/// pair of two `\u`…) and how many bytes it takes. The scanner has already had every
/// escape checked; anything else becomes U+FFFD.
fn escape_at(b: &[u8]) -> (char, usize) {
    let hex = |at: usize| {
        b.get(at..at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match b.get(1) {
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'u') => match hex(2) {
            Some(high @ 0xd800..=0xdbff) => match (b.get(6..8), hex(8)) {
                (Some(br"\u"), Some(low @ 0xdc00..=0xdfff)) => (
                    char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00))
                        .unwrap_or('\u{fffd}'),
                    12,
                ),
                _ => ('\u{fffd}', 6),
            },
            Some(code) => (char::from_u32(code).unwrap_or('\u{fffd}'), 6),
            None => ('\u{fffd}', 2),
        },
        Some(other) => (char::from(*other), 2),
        None => ('\u{fffd}', 1),
    }
}

/// Unescapes the inside of a JSON string that is known to be valid.
fn unescape(raw: &str) -> String {
    let quoted = format!("\"{raw}\"");
    serde_json::from_str::<String>(&quoted).unwrap_or_else(|_| raw.to_string())
}

/// A journal entry as `log` sees it: the fields the views and filters need, borrowed
/// from the line where possible. Unknown fields are skipped here (they stay in the file).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryView<'a> {
    pub v: u32,
    pub id: Cow<'a, str>,
    pub at: DateTime<FixedOffset>,
    pub kind: Cow<'a, str>,
    pub step: Option<u8>,
    pub step_id: Option<Cow<'a, str>>,
    pub prompt: Option<Cow<'a, str>>,
    pub answer: JsonStr<'a>,
    pub tags: Vec<Cow<'a, str>>,
    pub edited_at: Option<DateTime<FixedOffset>>,
    /// For `outcome` entries: which outcome.
    pub outcome: Option<Cow<'a, str>>,
}

impl Entry {
    /// The entry as the views and filters see it.
    pub fn view(&self) -> EntryView<'_> {
        EntryView {
            v: self.v,
            id: Cow::Borrowed(&self.id),
            at: self.at,
            kind: Cow::Borrowed(&self.kind),
            step: self.step,
            step_id: self.step_id.as_deref().map(Cow::Borrowed),
            prompt: self.prompt.as_deref().map(Cow::Borrowed),
            answer: JsonStr::Decoded(Cow::Borrowed(&self.answer)),
            tags: self
                .tags
                .iter()
                .map(|t| Cow::Borrowed(t.as_str()))
                .collect(),
            edited_at: self.edited_at,
            outcome: self.outcome.as_deref().map(Cow::Borrowed),
        }
    }

    fn into_view(self) -> EntryView<'static> {
        EntryView {
            v: self.v,
            id: Cow::Owned(self.id),
            at: self.at,
            kind: Cow::Owned(self.kind),
            step: self.step,
            step_id: self.step_id.map(Cow::Owned),
            prompt: self.prompt.map(Cow::Owned),
            answer: JsonStr::Decoded(Cow::Owned(self.answer)),
            tags: self.tags.into_iter().map(Cow::Owned).collect(),
            edited_at: self.edited_at,
            outcome: self.outcome.map(Cow::Owned),
        }
    }
}

/// Reads one journal line as a view, or says where and why it is damaged.
pub fn parse<'a>(path: &Path, line: &'a [u8], place: Place) -> Result<EntryView<'a>, Damage> {
    if let Some(view) = scan(line) {
        return Ok(view);
    }
    read::parse::<Entry>(path, line, place).map(Entry::into_view)
}

#[cfg(test)]
mod tests;
