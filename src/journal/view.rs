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

use super::entry::Entry;
use super::read::{self, Damage, Place};

/// A JSON string as it stands in the line (escapes and all), or already decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonStr<'a> {
    /// The bytes between the quotes, still escaped; valid UTF-8.
    Raw(&'a str),
    Decoded(Cow<'a, str>),
}

impl<'a> JsonStr<'a> {
    /// The whole text.
    pub fn decode(&self) -> Cow<'a, str> {
        match self {
            Self::Decoded(text) => text.clone(),
            Self::Raw(raw) if !raw.contains('\\') => Cow::Borrowed(raw),
            Self::Raw(raw) => Cow::Owned(unescape(raw)),
        }
    }

    /// The first non-blank line, at most `max_chars` characters of it, decoding no more
    /// of the text than that.
    pub fn first_line(&self, max_chars: usize) -> Cow<'a, str> {
        match self {
            Self::Decoded(text) => {
                let line = text.trim_start().lines().next().unwrap_or_default();
                Cow::Owned(line.trim_end().chars().take(max_chars).collect())
            }
            Self::Raw(raw) => {
                // Walk the raw text: past leading blanks, then up to `max_chars`
                // characters or the first line break, whichever comes first.
                let b = raw.as_bytes();
                // Plain ASCII with no escape near the start: a slice is the answer.
                let head = &b[..b.len().min(max_chars)];
                if head.len() == max_chars
                    && head.first().is_some_and(|c| !c.is_ascii_whitespace())
                    && head.iter().all(|c| c.is_ascii() && *c != b'\\')
                {
                    return Cow::Borrowed(&raw[..max_chars]);
                }
                let mut i = 0;
                loop {
                    match (b.get(i), b.get(i + 1)) {
                        (Some(b' ' | b'\t'), _) => i += 1,
                        (Some(b'\\'), Some(b'n' | b'r' | b't')) => i += 2,
                        _ => break,
                    }
                }
                let start = i;
                let mut count = 0;
                while i < b.len() && count < max_chars {
                    i += match (b[i], b.get(i + 1)) {
                        (b'\\', Some(b'n' | b'r')) => break,
                        (b'\\', Some(b'u')) => 6,
                        (b'\\', _) => 2,
                        (lead, _) if lead < 0x80 => 1,
                        (lead, _) if lead < 0xe0 => 2,
                        (lead, _) if lead < 0xf0 => 3,
                        _ => 4,
                    };
                    count += 1;
                }
                // The walk stopped within `max_chars`, so the slice needs no further cut.
                let slice = raw.get(start..i.min(b.len())).unwrap_or_default();
                if slice.contains('\\') {
                    Cow::Owned(unescape(slice).trim_end().chars().take(max_chars).collect())
                } else {
                    Cow::Borrowed(slice.trim_end())
                }
            }
        }
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
    if let Some(view) = (Scanner {
        bytes: line,
        pos: 0,
    })
    .entry()
    {
        return Ok(view);
    }
    read::parse::<Entry>(path, line, place).map(Entry::into_view)
}

/// True if any byte is below 0x20 (not allowed raw inside a JSON string), eight bytes
/// at a time.
fn has_control_byte(bytes: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte b < 0x20 sets its high bit in (x - 0x20..) while its own high bit is clear.
        if x.wrapping_sub(LOW) & !x & HIGH != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|b| *b < 0x20)
}

/// The fields the view reads; a second occurrence of one of them makes the line invalid.
const KNOWN: [&str; 11] = [
    "v",
    "id",
    "at",
    "kind",
    "answer",
    "step",
    "step_id",
    "prompt",
    "tags",
    "edited_at",
    "outcome",
];

/// A forgiving-nothing scanner for the top-level fields of one JSON object. Every method
/// returns `None` at the first thing it does not expect.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.bytes.get(self.pos) == Some(&b)).then(|| self.pos += 1)
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.pos).copied()
    }

    /// The inside of a string (escapes kept), checked for UTF-8, control characters and
    /// well-formed escapes; the position moves past the closing quote.
    fn raw_string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.pos;
        let mut unicode_escape = false;
        loop {
            let i = memchr::memchr2(b'"', b'\\', &self.bytes[self.pos..])?;
            self.pos += i;
            if self.bytes[self.pos] == b'"' {
                break;
            }
            // An escape: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` or `\uXXXX`.
            match self.bytes.get(self.pos + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 2,
                b'u' => {
                    let hex = self.bytes.get(self.pos + 2..self.pos + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    unicode_escape = true;
                    self.pos += 6;
                }
                _ => return None,
            }
        }
        let raw = &self.bytes[start..self.pos];
        self.pos += 1;
        if has_control_byte(raw) {
            return None;
        }
        let raw = std::str::from_utf8(raw).ok()?;
        // Lone surrogates and the like: let serde_json judge anything with \u escapes.
        if unicode_escape && serde_json::from_str::<String>(&format!("\"{raw}\"")).is_err() {
            return None;
        }
        Some(raw)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        Some(JsonStr::Raw(self.raw_string()?).decode())
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
        self.ws();
        let rest = self.bytes.get(self.pos..self.pos + 4)?;
        (rest == b"null").then(|| self.pos += 4)
    }

    fn number(&mut self) -> Option<u64> {
        self.ws();
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        digits.parse().ok()
    }

    fn time(&mut self) -> Option<DateTime<FixedOffset>> {
        let raw = self.raw_string()?;
        DateTime::parse_from_rfc3339(raw).ok()
    }

    /// Skips any JSON value, checking it with serde_json (these are small: numbers,
    /// the structured `value`, fields from newer versions).
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        if self.bytes.get(self.pos) == Some(&b'"') {
            return self.raw_string().map(|_| ());
        }
        let start = self.pos;
        let mut stream = serde_json::Deserializer::from_slice(&self.bytes[start..])
            .into_iter::<serde::de::IgnoredAny>();
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

    /// The whole line as an entry, or `None` if anything is unexpected.
    fn entry(mut self) -> Option<EntryView<'a>> {
        self.eat(b'{')?;
        let (mut v, mut id, mut at, mut kind, mut answer) = (None, None, None, None, None);
        let mut view_step = None;
        let (mut step_id, mut prompt, mut tags, mut edited_at) = (None, None, Vec::new(), None);
        let mut outcome = None;
        let mut seen = 0u16;
        if self.peek()? != b'}' {
            loop {
                let key = self.raw_string()?;
                if key.contains('\\') {
                    return None;
                }
                if let Some(bit) = KNOWN.iter().position(|k| *k == key) {
                    if seen & (1 << bit) != 0 {
                        return None;
                    }
                    seen |= 1 << bit;
                }
                self.eat(b':')?;
                match key {
                    "v" => v = Some(u32::try_from(self.number()?).ok()?),
                    "id" => id = Some(self.string()?),
                    "at" => at = Some(self.time()?),
                    "kind" => kind = Some(self.string()?),
                    "answer" => answer = Some(JsonStr::Raw(self.raw_string()?)),
                    "step" => {
                        view_step = if self.peek()? == b'n' {
                            self.null().map(|()| None)?
                        } else {
                            Some(u8::try_from(self.number()?).ok()?)
                        };
                    }
                    "step_id" => step_id = self.opt_string().ok()?,
                    "prompt" => prompt = self.opt_string().ok()?,
                    "outcome" => outcome = self.opt_string().ok()?,
                    "tags" => tags = self.tags()?,
                    "edited_at" => {
                        edited_at = if self.peek()? == b'n' {
                            self.null().map(|()| None)?
                        } else {
                            Some(self.time()?)
                        };
                    }
                    _ => self.skip_value()?,
                }
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.eat(b'}')?;
        self.ws();
        if self.pos != self.bytes.len() {
            return None;
        }
        Some(EntryView {
            v: v.unwrap_or(0),
            id: id?,
            at: at?,
            kind: kind?,
            step: view_step,
            step_id,
            prompt,
            answer: answer?,
            tags,
            edited_at,
            outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_view(line: &str) -> Option<EntryView<'static>> {
        serde_json::from_str::<Entry>(line)
            .ok()
            .map(Entry::into_view)
    }

    fn scanned(line: &str) -> Option<EntryView<'_>> {
        Scanner {
            bytes: line.as_bytes(),
            pos: 0,
        }
        .entry()
    }

    /// Where the scanner reads a line, serde_json reads it too, to the same fields.
    fn agree(line: &str) {
        let Some(view) = scanned(line) else { return };
        let by_serde = serde_view(line)
            .unwrap_or_else(|| panic!("scanner accepted what serde rejects: {line}"));
        assert_eq!(view.id, by_serde.id);
        assert_eq!(view.at, by_serde.at);
        assert_eq!(view.kind, by_serde.kind);
        assert_eq!(view.step, by_serde.step);
        assert_eq!(view.step_id, by_serde.step_id);
        assert_eq!(view.prompt, by_serde.prompt);
        assert_eq!(view.answer.decode(), by_serde.answer.decode());
        assert_eq!(view.tags, by_serde.tags);
        assert_eq!(view.edited_at, by_serde.edited_at);
        assert_eq!(view.outcome, by_serde.outcome);
    }

    fn line(answer: &str, extra: &str) -> String {
        let answer = serde_json::to_string(answer).unwrap();
        format!(
            r#"{{"v":1,"id":"0123456789ab","at":"2026-11-20T21:05:00+01:00","kind":"answer","step":2,"step_id":"prepare","prompt_id":"p","prompt":"What \"still\" hurts?","prompt_kind":"long_text","answer":{answer}{extra}}}"#
        )
    }

    #[test]
    fn agrees_with_serde_json_on_written_lines() {
        assert!(
            scanned(&line("plain", "")).is_some(),
            "the scanner reads what exback writes"
        );
        for answer in [
            "plain",
            "",
            "with \"quotes\" and \\ backslash",
            "two\nlines\n",
            "tab\there, bell \u{7}, escape \u{1b}[31m",
            "unicode: café, 日本, 🌧",
            "  \n\n  starts after blank lines",
        ] {
            agree(&line(answer, ""));
            agree(&line(
                answer,
                r#","value":{"template":"A light check-in","n":[1,2,{"x":null}]},"tags":["a","b c"],"edited_at":"2026-11-21T08:00:00Z","future":true"#,
            ));
        }
    }

    #[test]
    fn declines_what_it_does_not_expect_and_serde_decides() {
        let good = line("fine", "");
        for bad in [
            good.replace("\"answer\"", "\"an\\u0073wer\""),
            format!("{good} trailing"),
            good.replace("fine", "bad \\q escape"),
            good.replace("fine", "lone \\ud800 surrogate"),
            good.replace("\"step\":2", "\"step\":2.5"),
            good.replace("\"step\":2", "\"step\":300"),
            good.replace("\"v\":1,", "\"v\":1,\"v\":2,"),
            good.replace(
                "\"at\":\"2026-11-20T21:05:00+01:00\"",
                "\"at\":\"yesterday\"",
            ),
            good.replace("fine", "raw\u{1}control"),
            good[..good.len() - 5].to_string(),
            "[1,2]".to_string(),
            "{}".to_string(),
        ] {
            assert!(scanned(&bad).is_none(), "the scanner declines: {bad}");
            // ... and the line gets serde_json's verdict instead.
            let path = Path::new("journal.jsonl");
            assert_eq!(
                parse(path, bad.as_bytes(), Place::Line(1)).is_ok(),
                serde_view(&bad).is_some(),
                "{bad}"
            );
        }
        // Odd but valid spacing and escaped keys are read through the fallback.
        assert!(
            parse(
                Path::new("j"),
                good.replace(":1,", ": 1 ,").as_bytes(),
                Place::Line(1)
            )
            .is_ok()
        );
    }

    #[test]
    fn control_bytes_are_found_in_any_position() {
        for len in 0..40 {
            let clean = vec![b'a'; len];
            assert!(!has_control_byte(&clean));
            for at in 0..len {
                let mut dirty = clean.clone();
                dirty[at] = 0x1f;
                assert!(has_control_byte(&dirty), "len {len} at {at}");
            }
        }
        assert!(!has_control_byte("café 日本 \u{7f}".as_bytes()));
    }

    #[test]
    fn the_first_line_is_decoded_without_the_rest() {
        let long = format!(
            "Caf\\u00e9 first line\\nsecond line {}",
            "x".repeat(100_000)
        );
        let raw = JsonStr::Raw(&long);
        assert_eq!(raw.first_line(80), "Café first line");
        assert_eq!(raw.first_line(4), "Café");
        let blank_start = JsonStr::Raw("\\n\\n   hello\\nworld");
        assert_eq!(blank_start.first_line(80), "hello");
        let cut_in_escape = format!("{}\\u00e9", "a".repeat(60));
        assert_eq!(
            JsonStr::Raw(&cut_in_escape).first_line(61),
            format!("{}é", "a".repeat(60))
        );
    }
}
