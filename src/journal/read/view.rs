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
pub fn nth_char_start(text: &str, n: usize) -> Option<usize> {
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

/// The scanner's reading of a line exactly as exback writes it: valid UTF-8 and no byte
/// below 0x20 anywhere (serde_json escapes them inside strings and writes no whitespace
/// between values). Anything else, JSON's tabs and line breaks between values included,
/// is left to serde_json. Both checks look at the whole line once, many bytes at a time,
/// so that the scanner only has to find quotes and backslashes.
fn scan(line: &[u8]) -> Option<EntryView<'_>> {
    if has_control_byte(line) {
        return None;
    }
    let text = simdutf8::basic::from_utf8(line).ok()?;
    Scanner { text, pos: 0 }.entry()
}

/// True if any byte is below 0x20 (not allowed raw inside a JSON string), eight bytes
/// at a time and with no early exit, which the compiler turns into vector code (and
/// which stays quick in a debug build, where a loop over single bytes does not).
fn has_control_byte(bytes: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let found = (&mut words).fold(0, |found, chunk| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte b < 0x20 sets its high bit in (x - 0x20..) while its own high bit is
        // clear; a borrow can only start at such a byte, so there are no false alarms.
        found | (x.wrapping_sub(LOW) & !x & HIGH)
    });
    found != 0 || words.remainder().iter().any(|b| *b < 0x20)
}

/// The first quote or backslash in the first 16 bytes of `bytes`, looked for eight
/// bytes at a time; or how many bytes were looked at without finding one. Keys, ids
/// and the stretches between escapes are mostly this short: this finds their end before
/// a vector search would have got going.
fn quote_or_backslash_near(bytes: &[u8]) -> Result<usize, usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each zero byte of x; bits above the first zero byte may be set
    // wrongly (a borrow), the lowest one never is.
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    for (k, chunk) in bytes.chunks_exact(8).take(2).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let found = zeros(x ^ (ONES * u64::from(b'"'))) | zeros(x ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return Ok(k * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    Err(bytes.len().min(16) / 8 * 8)
}

/// The fields of an [`Entry`]: the scanner checks each one as the parser would (a
/// second occurrence of one of them makes the line invalid to both), and reads those
/// the view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    V,
    Id,
    At,
    Kind,
    Answer,
    Step,
    StepId,
    Prompt,
    Tags,
    EditedAt,
    Outcome,
    PromptId,
    PromptKind,
    Value,
    OptionIds,
}

/// The keys of the fields of an entry, quoted and with their colon, in the order
/// exback writes them.
const WRITTEN: [(&str, Field); 15] = [
    ("\"v\":", Field::V),
    ("\"id\":", Field::Id),
    ("\"at\":", Field::At),
    ("\"kind\":", Field::Kind),
    ("\"step\":", Field::Step),
    ("\"step_id\":", Field::StepId),
    ("\"prompt_id\":", Field::PromptId),
    ("\"prompt\":", Field::Prompt),
    ("\"prompt_kind\":", Field::PromptKind),
    ("\"answer\":", Field::Answer),
    ("\"value\":", Field::Value),
    ("\"option_ids\":", Field::OptionIds),
    ("\"edited_at\":", Field::EditedAt),
    ("\"tags\":", Field::Tags),
    ("\"outcome\":", Field::Outcome),
];

impl Field {
    /// The field a key names, the most frequent first; `None` for a key the entry
    /// keeps as it is (from a newer exback).
    fn of(key: &str) -> Option<Self> {
        Some(match key {
            "v" => Self::V,
            "id" => Self::Id,
            "at" => Self::At,
            "kind" => Self::Kind,
            "answer" => Self::Answer,
            "step" => Self::Step,
            "step_id" => Self::StepId,
            "prompt" => Self::Prompt,
            "tags" => Self::Tags,
            "edited_at" => Self::EditedAt,
            "outcome" => Self::Outcome,
            "prompt_id" => Self::PromptId,
            "prompt_kind" => Self::PromptKind,
            "value" => Self::Value,
            "option_ids" => Self::OptionIds,
            _ => return None,
        })
    }
}

/// A JSON value checked as serde_json reads it into a `serde_json::Value` (numbers in
/// range, strings with whole surrogate pairs), without building it.
struct Checked;

impl Checked {
    /// Nesting past this is left to the parser: its limit counts from the line.
    const DEEPEST: usize = 100;
}

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(Depth(0), de).map(|()| Checked)
    }
}

/// [`Checked`] at a depth of nesting.
struct Depth(usize);

impl<'de> serde::de::DeserializeSeed<'de> for Depth {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Depth {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.0 >= Checked::DEEPEST {
            return Err(serde::de::Error::custom(
                "nested deeper than the scanner goes",
            ));
        }
        while seq.next_element_seed(Depth(self.0 + 1))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.0 >= Checked::DEEPEST {
            return Err(serde::de::Error::custom(
                "nested deeper than the scanner goes",
            ));
        }
        while map.next_key_seed(Depth(self.0 + 1))?.is_some() {
            map.next_value_seed(Depth(self.0 + 1))?;
        }
        Ok(())
    }
}

/// A forgiving-nothing scanner for the top-level fields of one JSON object, over a line
/// that [`scan`] has checked. Every method returns `None` at the first thing it does not
/// expect.
struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// The byte at the position. There is no whitespace to skip: [`scan`] sends any line
    /// with a tab or a line break to serde_json, and exback writes no spaces between values.
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// The inside of a string (escapes kept), checked for well-formed escapes; the
    /// position moves past the closing quote.
    fn raw_string(&mut self) -> Option<&'a str> {
        self.raw_string_and_escapes().map(|(raw, _)| raw)
    }

    /// [`Scanner::raw_string`], and the escapes the string holds.
    fn raw_string_and_escapes(&mut self) -> Option<(&'a str, Escapes)> {
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut escapes = Escapes::None;
        loop {
            let rest = &bytes[self.pos..];
            let i = match quote_or_backslash_near(rest) {
                Ok(i) => i,
                Err(looked) => looked + memchr::memchr2(b'"', b'\\', &rest[looked..])?,
            };
            self.pos += i;
            if bytes[self.pos] == b'"' {
                break;
            }
            if escapes == Escapes::None {
                escapes = Escapes::Short;
            }
            // An escape: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` or `\uXXXX`.
            match bytes.get(self.pos + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 2,
                b'u' => {
                    let hex = bytes.get(self.pos + 2..self.pos + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    escapes = Escapes::Unicode;
                    self.pos += 6;
                }
                _ => return None,
            }
        }
        // Both ends are ASCII quotes, so the slice falls on character boundaries.
        let raw = self.text.get(start..self.pos)?;
        self.pos += 1;
        // Lone surrogates and the like: let serde_json judge anything with \u escapes.
        if escapes == Escapes::Unicode
            && serde_json::from_str::<String>(&format!("\"{raw}\"")).is_err()
        {
            return None;
        }
        Some((raw, escapes))
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        match self.raw_string_and_escapes()? {
            (raw, Escapes::None) => Some(Cow::Borrowed(raw)),
            (raw, _) => Some(Cow::Owned(unescape(raw))),
        }
    }

    /// A string or `null`; `Err(())` when it is neither.
    fn opt_string(&mut self) -> Result<Option<Cow<'a, str>>, ()> {
        if self.peek() == Some(b'n') {
            self.null().ok_or(()).map(|()| None)
        } else {
            self.string().ok_or(()).map(Some)
        }
    }

    fn null(&mut self) -> Option<()> {
        let rest = self.text.as_bytes().get(self.pos..self.pos + 4)?;
        (rest == b"null").then(|| self.pos += 4)
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.text[start..self.pos];
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        digits.parse().ok()
    }

    fn time(&mut self) -> Option<DateTime<FixedOffset>> {
        crate::dates::parse_rfc3339(self.raw_string()?)
    }

    /// Skips any JSON value, checking it with serde_json as the parser reads it into a
    /// `serde_json::Value` (these are small: numbers, the structured `value`, fields
    /// from newer versions): a number too large for a float or a lone surrogate in a
    /// string is refused here as it is there. A value nested deeper than
    /// [`Checked::DEEPEST`] is left to the parser, whose limit counts from the line.
    fn skip_value(&mut self) -> Option<()> {
        if self.peek()? == b'"' {
            return self.raw_string().map(|_| ());
        }
        let start = self.pos;
        let mut stream =
            serde_json::Deserializer::from_str(&self.text[start..]).into_iter::<Checked>();
        stream.next()?.ok()?;
        self.pos = start + stream.byte_offset();
        Some(())
    }

    fn tags(&mut self) -> Option<Vec<Cow<'a, str>>> {
        let mut tags = Vec::new();
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(tags);
        }
        loop {
            tags.push(self.string()?);
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(tags);
                }
                _ => return None,
            }
        }
    }

    /// The key at the position when it is one of [`WRITTEN`] at or after `expect`
    /// (exback writes its fields in that order), with the position moved past its
    /// colon; else `None`, the position unmoved, for the general reading of a key.
    fn written_key(&mut self, expect: &mut usize) -> Option<Field> {
        let rest = &self.text.as_bytes()[self.pos..];
        let (i, (key, field)) = WRITTEN
            .iter()
            .enumerate()
            .skip(*expect)
            .find(|(_, (key, _))| rest.starts_with(key.as_bytes()))?;
        self.pos += key.len() - 1;
        *expect = i + 1;
        Some(*field)
    }

    /// The whole line as an entry, or `None` if anything is unexpected.
    fn entry(mut self) -> Option<EntryView<'a>> {
        self.eat(b'{')?;
        let mut fields = Fields::default();
        let mut seen = 0u16;
        let mut expect = 0;
        if self.peek()? != b'}' {
            loop {
                let field = self.key(&mut expect, &mut seen).ok()?;
                self.eat(b':')?;
                self.value(field, &mut fields)?;
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.eat(b'}')?;
        if self.pos != self.text.len() {
            return None;
        }
        fields.view()
    }

    /// The next key: a known field (`Ok(Some(_))`), an unknown one (`Ok(None)`), or
    /// `Err` for a key that is escaped, not a string, or repeats a field already seen.
    fn key(&mut self, expect: &mut usize, seen: &mut u16) -> Result<Option<Field>, ()> {
        let field = if let Some(field) = self.written_key(expect) {
            Some(field)
        } else {
            let (key, escapes) = self.raw_string_and_escapes().ok_or(())?;
            if escapes != Escapes::None {
                return Err(());
            }
            Field::of(key)
        };
        if let Some(field) = field {
            let bit = 1u16 << field as u16;
            if *seen & bit != 0 {
                return Err(());
            }
            *seen |= bit;
        }
        Ok(field)
    }

    /// Reads the value of `field` into `fields`; `None` if it is not what the parser
    /// would accept there.
    fn value(&mut self, field: Option<Field>, fields: &mut Fields<'a>) -> Option<()> {
        match field {
            Some(Field::V) => fields.v = Some(u32::try_from(self.number()?).ok()?),
            Some(Field::Id) => fields.id = Some(self.string()?),
            Some(Field::At) => fields.at = Some(self.time()?),
            Some(Field::Kind) => fields.kind = Some(self.string()?),
            Some(Field::Answer) => {
                let (text, escapes) = self.raw_string_and_escapes()?;
                fields.answer = Some(JsonStr::Raw { text, escapes });
            }
            Some(Field::Step) => {
                fields.step = if self.peek()? == b'n' {
                    self.null().map(|()| None)?
                } else {
                    Some(u8::try_from(self.number()?).ok()?)
                };
            }
            Some(Field::StepId) => fields.step_id = self.opt_string().ok()?,
            Some(Field::Prompt) => fields.prompt = self.opt_string().ok()?,
            Some(Field::Outcome) => fields.outcome = self.opt_string().ok()?,
            Some(Field::Tags) => fields.tags = self.tags()?,
            // Checked as the parser checks them; the view does not hold them.
            Some(Field::PromptId | Field::PromptKind) => {
                self.opt_string().ok()?;
            }
            Some(Field::OptionIds) => {
                self.tags()?;
            }
            Some(Field::EditedAt) => {
                fields.edited_at = if self.peek()? == b'n' {
                    self.null().map(|()| None)?
                } else {
                    Some(self.time()?)
                };
            }
            // `value`, and fields from a newer exback: any JSON a `Value` holds.
            Some(Field::Value) | None => self.skip_value()?,
        }
        Some(())
    }
}

/// The fields of a line as the scanner meets them, before it knows the required ones
/// are all there.
#[derive(Default)]
struct Fields<'a> {
    v: Option<u32>,
    id: Option<Cow<'a, str>>,
    at: Option<DateTime<FixedOffset>>,
    kind: Option<Cow<'a, str>>,
    step: Option<u8>,
    step_id: Option<Cow<'a, str>>,
    prompt: Option<Cow<'a, str>>,
    answer: Option<JsonStr<'a>>,
    tags: Vec<Cow<'a, str>>,
    edited_at: Option<DateTime<FixedOffset>>,
    outcome: Option<Cow<'a, str>>,
}

impl<'a> Fields<'a> {
    /// The entry, or `None` when a required field is missing.
    fn view(self) -> Option<EntryView<'a>> {
        Some(EntryView {
            v: self.v?,
            id: self.id?,
            at: self.at?,
            kind: self.kind?,
            step: self.step,
            step_id: self.step_id,
            prompt: self.prompt,
            answer: self.answer?,
            tags: self.tags,
            edited_at: self.edited_at,
            outcome: self.outcome,
        })
    }
}

#[cfg(test)]
mod tests;
