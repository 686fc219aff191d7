//! One reader, one meaning: the quick line scanner behind `log` (`view::parse`) and the
//! entry parser behind `show`, `edit`, `export` and `doctor` (`read::parse::<Entry>`)
//! take exactly the same lines, and read the same fields from them. Checked both ways
//! over generated journal lines (every field present, missing, of another type,
//! repeated, or odd in a way JSON allows) and over arbitrary bytes; `doctor` is checked
//! to call a line damaged exactly when the parser refuses it.
//!
//! A failure prints the smallest input found and saves its seed in
//! `tests/prop_readers.proptest-regressions`, where the next run tries it first.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::seen::seen;
use exback::testing::journal::read::view;
use exback::testing::journal::read::{self, Place};
use exback::testing::journal::repair::doctor;
use exback::testing::journal::{Entry, Store};
use proptest::prelude::*;

// ---- generated lines ------------------------------------------------------------------

/// JSON texts of every type, and the odd ones JSON's grammar allows but a reader may
/// not: numbers out of range, a lone surrogate, nesting past the parser's limit.
fn any_token() -> impl Strategy<Value = String> {
    let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
    prop_oneof![
        prop::sample::select(vec![
            "null".to_string(),
            "true".into(),
            "false".into(),
            "0".into(),
            "1".into(),
            "2".into(),
            "255".into(),
            "256".into(),
            "-1".into(),
            "-0".into(),
            "1.0".into(),
            "1e2".into(),
            "1e400".into(),
            "-1e400".into(),
            "4294967296".into(),
            "18446744073709551616".into(),
            "[]".into(),
            "[\"a\"]".into(),
            "[\"a\",1]".into(),
            "[[\"x\"]]".into(),
            "{}".into(),
            "{\"a\":1}".into(),
            "{\"a\":1e400}".into(),
            "{\"a\":\"\\ud800\"}".into(),
            "[\"\\udc00x\"]".into(),
            "{\"a\":1,\"a\":2}".into(),
            "\"\\ud800\"".into(),
            "\"\\ud83d\\ude00\"".into(),
            "\"a\\/b\"".into(),
            "\"x\"".into(),
            "\"\"".into(),
        ]),
        (1usize..140).prop_map(deep),
        string(),
        time(),
    ]
}

/// A JSON string, escaped as serde_json writes it or with `\u` escapes.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9 é日😀\"\\\\/\n\t\u{1}]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        "[a-z0-9 é]{0,6}".prop_map(|s| {
            let escaped = s.encode_utf16().fold(String::new(), |mut out, u| {
                let _ = write!(out, "\\u{u:04x}");
                out
            });
            format!("\"{escaped}\"")
        }),
    ]
}

/// A time as exback writes it, and shapes near it that one parser or another may take.
fn time() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "2026-11-20T21:05:00+01:00",
        "2026-11-20T21:05:00Z",
        "2026-11-20T21:05:00z",
        "2026-11-20t21:05:00Z",
        "2026-11-20 21:05:00+01:00",
        "2026-11-20T21:05:00.5+01:00",
        "2026-11-20T21:05:00.123456789-05:30",
        "2026-11-20T21:05:00.1234567891Z",
        "2026-11-20T21:05:00+0100",
        "2026-11-20T21:05:00+01",
        "2026-11-20T21:05:00",
        "2026-11-20T21:05:60Z",
        "2026-11-20T24:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-20T21:05Z",
        "+2026-11-20T21:05:00Z",
        "12026-11-20T21:05:00Z",
        "2026-11-20T21:05:00+24:00",
        "2026-11-20T21:05:00-00:00",
        "yesterday",
    ])
    .prop_map(|t| format!("\"{t}\""))
}

/// A value of the right type for the field `key` (a time may still be one of the odd
/// shapes near the written one).
fn good_value(key: &'static str) -> BoxedStrategy<String> {
    match key {
        "v" => prop::sample::select(vec!["1", "0", "2"])
            .prop_map(str::to_string)
            .boxed(),
        "step" => prop_oneof![
            (0u8..=9).prop_map(|n| n.to_string()),
            Just("null".to_string())
        ]
        .boxed(),
        "at" | "edited_at" => time().boxed(),
        "tags" | "option_ids" => prop::collection::vec(string(), 0..3)
            .prop_map(|items| format!("[{}]", items.join(",")))
            .boxed(),
        "value" | "future" => any_token().boxed(),
        _ => string().boxed(),
    }
}

const FIELDS: [&str; 16] = [
    "v",
    "id",
    "at",
    "kind",
    "step",
    "step_id",
    "prompt_id",
    "prompt",
    "prompt_kind",
    "answer",
    "value",
    "option_ids",
    "edited_at",
    "tags",
    "outcome",
    "future",
];

/// A change to one field of a line.
#[derive(Debug, Clone)]
enum Change {
    /// Left out.
    Drop,
    /// Any JSON text in its place.
    Value(String),
    /// Given twice.
    Twice,
    /// Its key written with a `\u` escape: the same key to a JSON parser.
    EscapedKey,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        1 => Just(Change::Drop),
        3 => any_token().prop_map(Change::Value),
        1 => Just(Change::Twice),
        1 => Just(Change::EscapedKey),
    ]
}

/// A whole line: every field with a value of its type (the optional ones present or
/// not), then up to three fields changed; the fields in exback's order or shuffled,
/// compact as exback writes, or with spaces JSON allows.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let fields: Vec<_> = FIELDS
        .iter()
        .map(|&key| {
            let required = matches!(key, "v" | "id" | "at" | "kind" | "answer");
            let present = if required { 1.0 } else { 0.5 };
            (proptest::bool::weighted(present), good_value(key))
        })
        .collect();
    let changes = prop::collection::vec((0..FIELDS.len(), change()), 0..4);
    (fields, changes, any::<bool>(), any::<bool>(), any::<u64>()).prop_map(
        |(fields, changes, shuffle, spaced, seed)| {
            let mut pairs: Vec<(String, String)> = Vec::new();
            for (i, (present, value)) in fields.into_iter().enumerate() {
                let key = FIELDS[i];
                let mut field = vec![(format!("\"{key}\""), value)];
                for (_, change) in changes.iter().filter(|(at, _)| *at == i) {
                    match change {
                        Change::Drop => field.clear(),
                        Change::Value(v) => {
                            for f in &mut field {
                                f.1.clone_from(v);
                            }
                        }
                        Change::Twice => field.extend(field.clone()),
                        Change::EscapedKey => {
                            let first = u32::from(key.as_bytes()[0]);
                            let escaped = format!("\"\\u{first:04x}{}\"", &key[1..]);
                            for f in &mut field {
                                f.0.clone_from(&escaped);
                            }
                        }
                    }
                }
                if present || changes.iter().any(|(at, _)| *at == i) {
                    pairs.extend(field);
                }
            }
            if shuffle {
                // A fixed permutation from the seed, so that shrinking stays stable.
                let mut s = seed | 1;
                for i in (1..pairs.len()).rev() {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    pairs.swap(i, usize::try_from(s % (i as u64 + 1)).unwrap());
                }
            }
            let sep = if spaced { ", " } else { "," };
            let colon = if spaced { ": " } else { ":" };
            let body: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{k}{colon}{v}"))
                .collect();
            format!("{{{}}}", body.join(sep)).into_bytes()
        },
    )
}

/// One small change to a good line: a byte set, inserted or removed, or a cut.
fn mangled() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"\"\\{}[],:0123456789.eE+-tfnu \x00\x1f\xff\xc3".to_vec()),
    ];
    (
        line(),
        prop::collection::vec((0u8..4, any::<usize>(), byte), 1..4),
    )
        .prop_map(|(mut line, edits)| {
            for (kind, at, b) in edits {
                let len = line.len().max(1);
                match kind {
                    0 => line.truncate(at % len),
                    1 if !line.is_empty() => line[at % len] = b,
                    2 => line.insert(at % (line.len() + 1), b),
                    _ if !line.is_empty() => {
                        line.remove(at % len);
                    }
                    _ => {}
                }
            }
            line
        })
}

// ---- the properties ---------------------------------------------------------------------

/// Both readers take `line`, or neither does; where both do, they read the same.
fn readers_agree(line: &[u8]) -> Result<bool, TestCaseError> {
    let path = Path::new("journal.jsonl");
    let quick = view::parse(path, line, Place::Line(1));
    let full = read::parse::<Entry>(path, line, Place::Line(1));
    let text = String::from_utf8_lossy(line);
    match (&quick, &full) {
        (Ok(quick), Ok(entry)) => prop_assert_eq!(seen(quick), seen(&entry.view()), "{}", text),
        (Err(quick), Err(full)) => {
            prop_assert_eq!(quick, full, "the same damage is reported: {}", text);
        }
        (Ok(_), Err(e)) => {
            return Err(TestCaseError::fail(format!(
                "log lists a line show cannot read ({e}): {text}"
            )));
        }
        (Err(e), Ok(_)) => {
            return Err(TestCaseError::fail(format!(
                "show reads a line log calls damaged ({e}): {text}"
            )));
        }
    }
    Ok(full.is_ok())
}

/// `doctor` calls the line damaged exactly when the parser refuses it (a line from a
/// newer exback, `v` above this one's, is left unchecked, as it is kept unchanged).
fn doctor_agrees(line: &[u8], parsed: bool) -> Result<(), TestCaseError> {
    let newer = serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|v| v.get("v").and_then(serde_json::Value::as_u64))
        .is_some_and(|v| v > u64::from(exback::testing::journal::entry::ENTRY_VERSION));
    if newer || line.trim_ascii().is_empty() || line.contains(&b'\n') {
        return Ok(());
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let mut bytes = line.to_vec();
    bytes.push(b'\n');
    std::fs::write(store.journal_path(), &bytes).unwrap();
    let report = doctor::check(&store).unwrap();
    let journal = report
        .files
        .iter()
        .find(|f| f.path == store.journal_path())
        .unwrap();
    let damaged = matches!(journal.health, doctor::Health::Damaged { .. });
    prop_assert_eq!(
        damaged,
        !parsed,
        "doctor and the readers agree: {}",
        String::from_utf8_lossy(line)
    );
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(2048))]

    /// The differential test: generated lines, near and far from what exback writes.
    #[test]
    fn the_scanner_and_the_parser_take_the_same_lines(line in line()) {
        let parsed = readers_agree(&line)?;
        if line.len() < 2000 {
            doctor_agrees(&line, parsed)?;
        }
    }

    /// The same on good lines with a byte or two changed.
    #[test]
    fn the_scanner_and_the_parser_agree_on_mangled_lines(line in mangled()) {
        readers_agree(&line)?;
    }

    /// And on arbitrary bytes, as a fuzzer would give them.
    #[test]
    fn the_scanner_and_the_parser_agree_on_any_bytes(
        line in prop::collection::vec(any::<u8>(), 0..120),
    ) {
        readers_agree(&line)?;
    }
}

#[test]
fn the_lines_of_the_issue_are_read_alike_everywhere() {
    let good = r#"{"v":1,"id":"0123456789ab","at":"2026-11-20T21:05:00+01:00","kind":"note","answer":"x"}"#;
    for line in [
        good.replace(r#""v":1,"#, ""),
        good.replace(r#""answer""#, r#""option_ids":"one","answer""#),
        good.replace(r#""answer""#, r#""prompt_id":3,"answer""#),
        good.replace(r#""answer""#, r#""prompt_kind":["a"],"answer""#),
        good.replace(r#""answer""#, r#""prompt_id":"a","prompt_id":"b","answer""#),
        good.replace(r#""answer""#, r#""value":1e400,"answer""#),
        good.replace(r#""answer""#, r#""future":{"a":"\ud800"},"answer""#),
    ] {
        let parsed = readers_agree(line.as_bytes()).unwrap();
        assert!(!parsed, "{line}");
        doctor_agrees(line.as_bytes(), parsed).unwrap();
    }
    assert!(readers_agree(good.as_bytes()).unwrap());
}
