use super::scan::{has_control_byte, quote_or_backslash_near};
use super::*;

fn serde_view(line: &str) -> Option<EntryView<'static>> {
    serde_json::from_str::<Entry>(line)
        .ok()
        .map(Entry::into_view)
}

fn scanned(line: &str) -> Option<EntryView<'_>> {
    scan(line.as_bytes())
}

/// Where the scanner reads a line, serde_json reads it too, to the same fields.
fn agree(line: &str) {
    let view = scanned(line).unwrap_or_else(|| panic!("the scanner reads {line}"));
    let by_serde =
        serde_view(line).unwrap_or_else(|| panic!("scanner accepted what serde rejects: {line}"));
    assert_eq!(view.v, by_serde.v);
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
    // Every kind of field the scanner reads for itself: nulls, numbers of one and
    // more digits, no tags and tags with escapes, a string where a newer field is.
    let good = line("fine", "");
    for variant in [
        good.replace(
            "\"step\":2,\"step_id\":\"prepare\"",
            "\"step\":null,\"step_id\":null",
        ),
        good.replace(
            "\"prompt\":\"What \\\"still\\\" hurts?\"",
            "\"prompt\":null",
        ),
        good.replace("\"step\":2", "\"step\":0"),
        good.replace("\"step\":2", "\"step\":10"),
        good.replace("\"v\":1", "\"v\":0"),
        line("x", r#","tags":[],"edited_at":null,"outcome":null"#),
        line("x", r#","tags":["one"],"outcome":"moved-on""#),
        line(
            "x",
            r#","tags":["t\"q","\u00e9t\u00e9"],"later":"a \"string\"""#,
        ),
        line(
            "caf\u{e9} \u{1f327}",
            r#","later":[1,{"a":[null,true]}],"n":-1.5e3"#,
        ),
    ] {
        assert_ne!(variant, good, "each variant changes the line");
        agree(&variant);
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
        good.replace("\"step\":2", "\"step\":02"),
        good.replace("\"v\":1", "\"v\":01"),
        good.replace("\"step\":2", "\"step\":nul"),
        good.replace("\"step\":2", "\"step\":\"2\""),
        good.replace("\"step\":2", "\"step\":300"),
        good.replace("\"v\":1,", "\"v\":1,\"v\":2,"),
        good.replace("\"kind\"", "\"id\":\"0123456789ac\",\"kind\""),
        good.replace("\"answer\"", "\"outcome\":null,\"outcome\":null,\"answer\""),
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
    // Two in the same place of different words do not hide each other.
    let mut twice = vec![b'a'; 32];
    twice[3] = 0x01;
    twice[11] = 0x01;
    assert!(has_control_byte(&twice));
    // Every byte value, in every position of a word and of the tail.
    for b in 0..=255u8 {
        for at in 0..19 {
            let mut bytes = vec![b' '; 19];
            bytes[at] = b;
            assert_eq!(has_control_byte(&bytes), b < 0x20, "{b:#x} at {at}");
        }
    }
}

#[test]
fn the_first_line_is_decoded_without_the_rest() {
    let long = format!(
        "Caf\\u00e9 first line\\nsecond line {}",
        "x".repeat(100_000)
    );
    let raw = JsonStr::raw(&long);
    assert_eq!(raw.first_line(80), "Café first line");
    assert_eq!(raw.first_line(4), "Café");
    let blank_start = JsonStr::raw("\\n\\n   hello\\nworld");
    assert_eq!(blank_start.first_line(80), "hello");
    // A cut inside the line keeps the blank it falls after, decoded or not: the
    // line goes on. Blanks at the line's own end go.
    assert_eq!(JsonStr::raw("a\\\"b c").first_line(4), "a\"b ");
    assert_eq!(JsonStr::raw("ab c").first_line(3), "ab ");
    assert_eq!(JsonStr::raw("a\\\"b  \\nc").first_line(6), "a\"b");
    assert_eq!(JsonStr::raw("ab  ").first_line(3), "ab");
    let cut_in_escape = format!("{}\\u00e9", "a".repeat(60));
    assert_eq!(
        JsonStr::raw(&cut_in_escape).first_line(61),
        format!("{}é", "a".repeat(60))
    );
}

/// Writes `text` as the inside of a JSON string, escaping each character the way
/// its flag says: plainly where JSON allows, as `\uXXXX` (a surrogate pair above
/// U+FFFF) where the flag is set.
fn encode(text: &[(char, bool)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for &(c, as_unicode) in text {
        match c {
            '"' if !as_unicode => out.push_str("\\\""),
            '\\' if !as_unicode => out.push_str("\\\\"),
            '\n' if !as_unicode => out.push_str("\\n"),
            '\r' if !as_unicode => out.push_str("\\r"),
            '\t' if !as_unicode => out.push_str("\\t"),
            c if as_unicode || u32::from(c) < 0x20 => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_nth_character_is_found_across_blocks() {
    for text in [
        "",
        "a",
        "café",
        &"é".repeat(40),
        &"ab日🌧".repeat(30),
        &"x".repeat(100),
    ] {
        let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        for n in 0..starts.len() + 3 {
            assert_eq!(
                nth_char_start(text, n),
                starts.get(n).copied(),
                "{text:?} {n}"
            );
        }
    }
}

proptest::proptest! {
    /// The word-at-a-time search finds what a byte-by-byte one finds, in the whole
    /// words it looks at (bytes just above a quote or a backslash included, where a
    /// borrow could mislead it).
    #[test]
    fn the_near_search_finds_the_first_quote_or_backslash(
        bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'"', b'#', b'\\', b']', b'!', b'a', 0, 1, 0xff]),
            0..24,
        ),
    ) {
        let looked = bytes.len().min(16) / 8 * 8;
        let expected = bytes[..looked]
            .iter()
            .position(|b| *b == b'"' || *b == b'\\')
            .ok_or(looked);
        proptest::prop_assert_eq!(quote_or_backslash_near(&bytes), expected);
    }
}

proptest::proptest! {
    /// The one-pass walk gives what decoding the whole answer and then cutting it
    /// gives: past leading blanks, up to the first line break, the line's own
    /// trailing blanks trimmed, then `max` characters.
    #[test]
    fn the_first_line_is_what_decoding_all_of_it_would_show(
        text in proptest::collection::vec(
            (proptest::sample::select(vec![
                'a', 'b', ' ', '\t', '\n', '\r', '"', '\\', '/', 'é', '日', '🌧', '\u{1}', '\u{8}', '\u{c}', '\u{3000}',
            ]), proptest::bool::weighted(0.2)),
            0..40,
        ),
        max in 0usize..30,
    ) {
        let raw = encode(&text);
        let decoded: String = text.iter().map(|(c, _)| *c).collect();
        let line = decoded
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .split(['\n', '\r'])
            .next()
            .unwrap_or_default();
        let expected: String = line.trim_end().chars().take(max).collect();
        proptest::prop_assert!(scan(self::line(&decoded, "").as_bytes()).is_some());
        let (line, chars) = JsonStr::raw(&raw).first_line_counted(max);
        proptest::prop_assert_eq!(chars, expected.chars().count(), "raw {:?}", raw);
        proptest::prop_assert_eq!(line, expected, "raw {:?}", raw);
    }
}

/// Every field of an entry, as `(key, value)` in the order exback writes them.
const FIELDS: [(&str, &str); 15] = [
    ("v", "1"),
    ("id", "\"0123456789ab\""),
    ("at", "\"2026-11-20T21:05:00+01:00\""),
    ("kind", "\"answer\""),
    ("step", "2"),
    ("step_id", "\"prepare\""),
    ("prompt_id", "\"p\""),
    ("prompt", "\"What still hurts?\""),
    ("prompt_kind", "\"checklist\""),
    ("answer", "\"the quiet\""),
    ("value", "[\"a\"]"),
    ("option_ids", "[\"a\"]"),
    ("tags", "[\"sunday\"]"),
    ("edited_at", "\"2026-11-21T08:00:00Z\""),
    ("outcome", "\"friends\""),
];

fn object(fields: &[(&str, &str)]) -> String {
    let members: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", members.join(","))
}

/// Keys in another order than exback writes them are each still known: the scanner
/// reads them to the same fields as serde_json, and a key given twice is refused by
/// both, whatever its place.
#[test]
fn agrees_with_serde_json_whatever_the_order_of_the_keys() {
    let mut reversed = FIELDS;
    reversed.reverse();
    agree(&object(&reversed));
    let mut rotated = FIELDS;
    rotated.rotate_left(7);
    agree(&object(&rotated));
    for (i, field) in reversed.iter().enumerate() {
        let mut twice = reversed.to_vec();
        twice.insert(i + 1, *field);
        let line = object(&twice);
        assert!(serde_view(&line).is_none(), "serde refuses {line}");
        assert!(scanned(&line).is_none(), "the scanner refuses {line}");
    }
}
