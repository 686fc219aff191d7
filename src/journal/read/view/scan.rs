//! The fast path of [`super::parse`]: a scanner of the top-level fields of a line as
//! exback writes it, which gives up (for serde_json to decide) on anything else.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use super::{EntryView, Escapes, JsonStr, unescape};

/// The scanner's reading of a line exactly as exback writes it: valid UTF-8 and no byte
/// below 0x20 anywhere (serde_json escapes them inside strings and writes no whitespace
/// between values). Anything else, JSON's tabs and line breaks between values included,
/// is left to serde_json. Both checks look at the whole line once, many bytes at a time,
/// so that the scanner only has to find quotes and backslashes.
pub(super) fn scan(line: &[u8]) -> Option<EntryView<'_>> {
    if has_control_byte(line) {
        return None;
    }
    let text = simdutf8::basic::from_utf8(line).ok()?;
    Scanner { text, pos: 0 }.entry()
}

/// True if any byte is below 0x20 (not allowed raw inside a JSON string), eight bytes
/// at a time and with no early exit, which the compiler turns into vector code (and
/// which stays quick in a debug build, where a loop over single bytes does not).
pub(super) fn has_control_byte(bytes: &[u8]) -> bool {
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
pub(super) fn quote_or_backslash_near(bytes: &[u8]) -> Result<usize, usize> {
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
