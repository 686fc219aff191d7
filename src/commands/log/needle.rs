//! `log --grep`: what it looks for, worked out once, and the looking, which for most
//! answers happens in the text as stored, without decoding it.

use crate::journal::read::view::{Escapes, JsonStr};

/// The text `--grep` looks for, lowercased, with what makes looking for it quick.
#[derive(Debug, Clone)]
pub(crate) struct Needle {
    text: String,
    /// ASCII: a match can be found byte by byte, ignoring ASCII case.
    ascii: bool,
    /// No quote, backslash, slash or control character: a match in a text always shows
    /// in its stored (escaped) form too. (JSON lets a slash be stored as `\/`, as some
    /// tools write it.)
    plain: bool,
    /// Holds an `i` or a `k`: the only letters that İ and the Kelvin sign, from outside
    /// ASCII, lowercase into.
    folds_in: bool,
    /// A vector search for the needle, built once.
    finder: memchr::memmem::Finder<'static>,
}

thread_local! {
    /// A text with its ASCII letters lowercased, made again for each text looked in.
    static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Needle {
    /// The needle for `--grep TEXT`; `None` when there is nothing to look for.
    pub(crate) fn new(text: &str) -> Option<Self> {
        let text = text.to_lowercase();
        if text.is_empty() {
            return None;
        }
        Some(Self {
            ascii: text.is_ascii(),
            plain: !text.contains(|c: char| matches!(c, '"' | '\\' | '/') || c.is_control()),
            folds_in: text.contains(['i', 'k']),
            finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
            text,
        })
    }

    /// True when the answer contains the needle, ignoring case. The answer is looked at
    /// as stored first: with no `\u` escape in it and a plain needle, a match in the
    /// text always shows in the stored form too, so most answers are ruled out without
    /// decoding them. A match there is confirmed on the decoded text (an escape such as
    /// `\n` can look like part of a word).
    pub(crate) fn in_answer(&self, answer: &JsonStr<'_>) -> bool {
        if let JsonStr::Raw { text, escapes } = answer
            && *escapes != Escapes::Unicode
            && self.plain
            && !self.in_text(text)
        {
            return false;
        }
        self.in_text(&answer.decode())
    }

    /// `hay.to_lowercase().contains(needle)`, without lowercasing `hay` when the needle
    /// is ASCII. Only two characters lowercase into ASCII from outside it (İ and the
    /// Kelvin sign); a text holding either, when the needle holds what they become,
    /// takes the long way.
    pub(crate) fn in_text(&self, hay: &str) -> bool {
        // İ is C4 B0 and the Kelvin sign E2 84 AA in UTF-8.
        let special = |h: &[u8]| {
            memchr::memchr2_iter(0xc4, 0xe2, h).any(|i| {
                h.get(i..i + 2) == Some(&[0xc4, 0xb0][..])
                    || h.get(i..i + 3) == Some(&[0xe2, 0x84, 0xaa][..])
            })
        };
        if !self.ascii || (self.folds_in && special(hay.as_bytes())) {
            return hay.to_lowercase().contains(&self.text);
        }
        // ASCII lowercasing keeps every byte in its place, and the needle is lowercase:
        // a match ignoring ASCII case is a match in the lowercased copy.
        LOWERED.with_borrow_mut(|lowered| {
            lowered.clear();
            lowered.extend_from_slice(hay.as_bytes());
            lowered.make_ascii_lowercase();
            self.finder.find(lowered).is_some()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_the_way_lowercasing_does() {
        for (hay, needle, expected) in [
            ("The Silence on Sundays", "silence", true),
            ("THE SILENCE", "e si", true),
            ("no match here", "silence", false),
            ("Kelvin \u{212a}elvin", "kelvin", true),
            ("\u{212a}", "k", true),
            ("\u{130}stanbul", "i", true),
            ("\u{130}stanbul", "stan", true),
            ("\u{130}STANBUL \u{212a}", "bul", true),
            ("café au lait", "fé au", true),
            ("CAFÉ", "café", true),
            ("", "x", false),
            ("x", "X", true),
        ] {
            let needle = Needle::new(needle).unwrap();
            assert_eq!(
                needle.in_text(hay),
                hay.to_lowercase().contains(&needle.text),
                "{hay:?} {needle:?}"
            );
            assert_eq!(needle.in_text(hay), expected, "{hay:?} {needle:?}");
        }
        assert!(Needle::new("").is_none(), "nothing to look for");
    }

    #[test]
    fn what_makes_looking_quick_is_worked_out_once() {
        let needle = Needle::new("Quiet Kitchen").unwrap();
        assert_eq!(needle.text, "quiet kitchen");
        assert!(needle.ascii && needle.plain && needle.folds_in);
        assert_eq!(needle.finder.needle(), b"quiet kitchen");
        let needle = Needle::new("say \"hi\"").unwrap();
        assert!(!needle.plain);
        assert!(!Needle::new("café").unwrap().ascii);
        assert!(!Needle::new("sundays").unwrap().folds_in);
    }

    #[test]
    fn an_answer_is_ruled_out_as_stored_only_when_that_is_safe() {
        let grep =
            |raw: &str, needle: &str| Needle::new(needle).unwrap().in_answer(&JsonStr::raw(raw));
        assert!(grep("line one\\nfoo", "foo"));
        assert!(
            !grep("line one\\nfoo", "nfoo"),
            "an escape is not part of a word"
        );
        assert!(grep("say \\\"hi\\\"", "\"hi\""));
        assert!(
            grep("either\\/or", "either/or"),
            "a slash stored as `\\/` is a slash"
        );
        assert!(grep("either/or", "either/or"));
        assert!(
            grep("\\u0041pple", "apple"),
            "a \\u escape matches what it stands for"
        );
        assert!(grep("\\u00e9t\\u00e9", "été"));
        assert!(!grep("plain text", "apple"));
    }

    proptest::proptest! {
        /// Any needle in any text: found exactly when lowercasing both would find it.
        #[test]
        fn found_exactly_when_lowercasing_finds_it(
            hay in proptest::collection::vec(
                proptest::sample::select(vec!['a', 'B', 'i', 'K', 'q', ' ', 'é', 'É', '\u{130}', '\u{212a}', '"']),
                0..20,
            ),
            needle in proptest::collection::vec(
                proptest::sample::select(vec!['a', 'b', 'i', 'k', 'q', ' ', 'é', '"']),
                1..4,
            ),
        ) {
            let hay: String = hay.into_iter().collect();
            let needle: String = needle.into_iter().collect();
            let found = Needle::new(&needle).unwrap().in_text(&hay);
            proptest::prop_assert_eq!(found, hay.to_lowercase().contains(&needle), "{:?} {:?}", hay, needle);
        }
    }
}
