//! Characters that must never drive a terminal, and how exback shows them instead: the
//! one rule ([`is_unsafe`]) that the terminal output ([`printable`]), the JSON output
//! ([`json_printable`]) and `content check` all follow. Text that came from a file, the
//! journal or a content pack is shown, never obeyed.

/// True for a character that must never reach a terminal as it is: C0 controls other
/// than line feed and tab, DEL, the C1 controls (U+0080 to U+009F, which terminals may
/// read as the start of an escape sequence), the bidirectional controls that reorder
/// what is shown (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) and the
/// line and paragraph separators (U+2028, U+2029). Joiners and variation selectors are
/// ordinary text and pass.
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// True when `bytes` may hold a character [`is_unsafe`] calls unsafe: every such character starts with a byte below 0x20, 0x7f, 0xc2 (U+0080 to
/// U+00BF), 0xd8 (U+061C) or 0xe2 (U+2000 to U+2FFF). A cheap test that settles the
/// common case; blocks without an early exit inside let the compiler test many bytes
/// at a time.
fn may_hold_unsafe(bytes: &[u8]) -> bool {
    let odd =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2);
    bytes
        .chunks(256)
        .any(|block| block.iter().fold(0u8, |n, &b| n | u8::from(odd(b))) != 0)
}

/// Text from a file, the journal or a content pack made safe to print: the one
/// sanitiser for everything exback writes to a terminal. Line feeds and tabs stay;
/// every other character [`is_unsafe`] calls unsafe is shown, never obeyed: C0
/// controls in caret notation (`^[` for ESC), DEL as `^?`, the others as a visible
/// placeholder such as `<U+202E>`. Text without such characters comes back unchanged.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !may_hold_unsafe(text.as_bytes()) || !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        match u8::try_from(u32::from(c)) {
            Ok(b) if b < 0x20 => {
                out.push('^');
                out.push(char::from(b + 0x40));
            }
            Ok(0x7f) => out.push_str("^?"),
            _ => {
                use std::fmt::Write as _;
                let _ = write!(out, "<U+{:04X}>", u32::from(c));
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON text (a document or one stored record) made safe to print, its meaning
/// unchanged: every character [`is_unsafe`] calls unsafe is written as a `\uXXXX`
/// escape (serde_json escapes only the C0 controls, never C1 or bidi controls), except
/// a carriage return between values, which is JSON's white space. Everything else is
/// left byte for byte, so valid JSON parses back to exactly the same values.
pub(crate) fn json_printable(json: &str) -> std::borrow::Cow<'_, str> {
    if !may_hold_unsafe(json.as_bytes()) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    let (mut in_string, mut escaped, mut changed) = (false, false, false);
    for c in json.chars() {
        // A carriage return between values is JSON's white space; in a string it is
        // escaped like any other control.
        if is_unsafe(c) && (in_string || c != '\r') {
            use std::fmt::Write as _;
            // A character that follows a backslash is an escape's own (an invalid
            // one); it is written escaped all the same, never raw.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
            escaped = false;
            changed = true;
            continue;
        }
        out.push(c);
        if escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            printable("\u{1b}[31mred\u{7}\u{7f}\u{9b}"),
            "^[[31mred^G^?<U+009B>"
        );
        assert_eq!(
            printable("\u{1b}]52;c;aGVsbG8=\u{7} \u{202e}abc\u{2066}\r\u{0}"),
            "^[]52;c;aGVsbG8=^G <U+202E>abc<U+2066>^M^@"
        );
        assert_eq!(
            printable("\u{85}\u{80}\u{9f}\u{61c}\u{200e}\u{200f}\u{2028}\u{2029}"),
            "<U+0085><U+0080><U+009F><U+061C><U+200E><U+200F><U+2028><U+2029>"
        );
        // Joiners, variation selectors and ordinary punctuation near the unsafe
        // characters are text: a family emoji stays one.
        for text in [
            "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
            "\u{2764}\u{fe0f} · “quoted” — ok… \u{a0}£ \u{2030}\u{2065}\u{202f}",
        ] {
            assert_eq!(printable(text), text);
        }
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_keeps_the_rest() {
        let text =
            "esc \u{1b}]52;c;aGVsbG8=\u{7} c1 \u{9b}2J bidi \u{202e} ls \u{2028} ok é\u{200d}";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "answer": text })).unwrap();
        assert!(json.contains('\u{9b}'), "serde_json leaves C1 raw");
        let safe = json_printable(&json);
        assert_eq!(
            safe,
            "{\n  \"answer\": \"esc \\u001b]52;c;aGVsbG8=\\u0007 c1 \\u009b2J bidi \\u202e ls \\u2028 ok é\u{200d}\"\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["answer"], text);
        // A document without them is returned as it is.
        let plain = "{\"a\": [1, \"b · c\"]}\r\n";
        assert!(matches!(
            json_printable(plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Any text, with the unsafe characters and their near neighbours well represented.
    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let risky = proptest::sample::select(vec![
            '\u{0}',
            '\u{7}',
            '\t',
            '\n',
            '\r',
            '\u{1b}',
            '\u{1f}',
            ' ',
            '"',
            '\\',
            '~',
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{9b}',
            '\u{9f}',
            '\u{a0}',
            '·',
            '\u{61b}',
            '\u{61c}',
            '\u{61d}',
            '\u{200b}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{2010}',
            '\u{2027}',
            '\u{2028}',
            '\u{2029}',
            '\u{202a}',
            '\u{202e}',
            '\u{202f}',
            '\u{2065}',
            '\u{2066}',
            '\u{2069}',
            '\u{206a}',
            '\u{fe0f}',
            '\u{1f468}',
        ]);
        proptest::collection::vec(prop_oneof![risky, any::<char>()], 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// Printable text holds no unsafe character, and text without any is unchanged.
        #[test]
        fn printable_text_never_holds_an_unsafe_character(text in any_text()) {
            let shown = printable(&text);
            proptest::prop_assert!(!shown.chars().any(is_unsafe), "{:?} -> {:?}", text, shown);
            if !text.chars().any(is_unsafe) {
                proptest::prop_assert_eq!(&*shown, &*text);
            }
            proptest::prop_assert_eq!(&*printable(&shown), &*shown, "shown once is shown for good");
        }

        /// Escaped JSON holds no unsafe character and reads back as the same strings;
        /// JSON without any is unchanged.
        #[test]
        fn escaped_json_reads_back_the_same(text in any_text(), key in any_text()) {
            let value = serde_json::json!({ key.clone(): [text.clone(), { "k": text.clone() }] });
            for json in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                let safe = json_printable(&json);
                proptest::prop_assert!(!safe.chars().any(is_unsafe), "{:?}", safe);
                let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
                proptest::prop_assert_eq!(&back, &value);
                if !json.chars().any(is_unsafe) {
                    proptest::prop_assert_eq!(&*safe, &*json);
                }
            }
        }
    }

    /// A damaged record is JSON no longer: what lies outside its strings, and a raw
    /// carriage return inside one, are escaped all the same.
    #[test]
    fn damaged_json_never_reaches_the_terminal_raw() {
        let outside = json_printable("{\u{1b}[2J\"a\":1}");
        assert!(!outside.contains('\u{1b}'), "{outside}");
        let inside = json_printable("{\"a\":\"x\ry\"}\r\n");
        assert_eq!(inside, "{\"a\":\"x\\u000dy\"}\r\n");
        let after = json_printable("{\"a\":\"x\"}\u{9b}");
        assert_eq!(after, "{\"a\":\"x\"}\\u009b");
    }
}
