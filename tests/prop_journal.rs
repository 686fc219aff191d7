//! Property tests of the store, through the library as the commands use it: any entry
//! comes back as it was written, any bytes in the journal are read without a panic
//! (and without hiding the good lines around them), and any JSON given to `import`
//! either imports or changes nothing.
//!
//! A failure prints the smallest input found and saves its seed in
//! `proptest-regressions/prop_journal.txt`, where the next run tries it first.

mod common;

use common::seen::seen;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, TimeZone};
use exback::testing::journal::read::view;
use exback::testing::journal::read::{self, Place};
use exback::testing::journal::repair::doctor;
use exback::testing::journal::transfer;
use exback::testing::journal::{
    Channel, Contact, Entry, EntryKind, Item, Mood, NewEntry, OutcomeKind, Store, Who,
};
use exback::testing::workbook::PromptKind;
use proptest::prelude::*;
use serde_json::Value;

use common::tree::replace_at;

// ---- generated values ----------------------------------------------------------------

/// Text as people (and pasted messages) write it: anything, or text rich in what JSON
/// has to escape.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zé😀 \"\\\\\n\r\t\u{0}-\u{1f}\u{7f}\u{2028}\u{fffd}/]{0,40}",
    ]
}

/// A moment between 1900 and 2200, to the nanosecond, at any whole-minute offset (as
/// local time zones are today).
fn moment() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        -2_208_988_800_i64..7_258_118_400,
        0u32..1_000_000_000,
        -(23 * 60 + 59)..=(23 * 60 + 59_i32),
    )
        .prop_map(|(secs, nanos, minutes)| {
            let offset = FixedOffset::east_opt(minutes * 60).unwrap();
            offset.timestamp_opt(secs, nanos).unwrap()
        })
}

/// Any JSON value (numbers included), a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("a JSON number", |f| {
            serde_json::Number::from_f64(f).map(Value::Number)
        }),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Object keys: the ones exback and jrnl files use, or anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "format", "version", "progress", "entries", "logs", "tags", "title", "body", "date",
            "time", "starred", "v", "id", "at", "kind", "answer", "step", "step_id", "prompt",
            "value", "contacts", "moods", "score", "channel", "from",
        ])
        .prop_map(str::to_string),
        text(),
    ]
}

fn entry_kind() -> impl Strategy<Value = EntryKind> {
    prop::sample::select(vec![
        EntryKind::Answer,
        EntryKind::Readiness,
        EntryKind::Note,
        EntryKind::Draft,
        EntryKind::Outcome,
    ])
}

fn prompt_kind() -> impl Strategy<Value = PromptKind> {
    prop::sample::select(PromptKind::ALL.to_vec())
}

/// Any entry the store can be asked to save.
fn new_entry() -> impl Strategy<Value = NewEntry> {
    (
        (moment(), entry_kind(), text()),
        (
            proptest::option::of(any::<u8>()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(prompt_kind()),
        ),
        (
            // `"value": null` is how a line says "no value": the same entry as `None`.
            proptest::option::of(json().prop_filter("not null", |v| !v.is_null())),
            prop::collection::vec(text(), 0..4),
            proptest::option::of(prop::sample::select(OutcomeKind::ALL.to_vec())),
            prop::collection::vec(text(), 0..3),
        ),
    )
        .prop_map(
            |(
                (at, kind, answer),
                (step, step_id, prompt_id, prompt, prompt_kind),
                (value, tags, outcome, option_ids),
            )| NewEntry {
                step,
                step_id,
                prompt_id,
                prompt,
                prompt_kind,
                value,
                option_ids,
                tags,
                outcome,
                ..NewEntry::new(at, kind, answer)
            },
        )
}

// ---- helpers -------------------------------------------------------------------------

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Every journal entry, oldest first, and the damaged lines' count.
fn read_forward(store: &Store) -> (Vec<Entry>, usize) {
    let (mut entries, mut damaged) = (Vec::new(), 0);
    for item in store.oldest_first().unwrap() {
        match item.unwrap() {
            Item::Entry(e) => entries.push(*e),
            Item::Damaged(_) => damaged += 1,
        }
    }
    (entries, damaged)
}

/// Reads the journal every way a command does (log's quick views both ways, show's
/// selection, the full records both ways, doctor), asserting only that nothing panics
/// and that every way agrees on the entries that are whole.
fn read_every_way(store: &Store) -> Vec<Entry> {
    let path = store.journal_path();
    let (forward, damaged_forward) = read_forward(store);
    let mut backward = Vec::new();
    for item in store.newest_first().unwrap() {
        if let Item::Entry(e) = item.unwrap() {
            backward.push(*e);
        }
    }
    backward.reverse();
    assert_eq!(forward, backward, "oldest-first and newest-first agree");

    let mut quick = Vec::new();
    let mut lines = store.newest_lines().unwrap();
    while let Some((line, place)) = lines.next_line().unwrap() {
        if let Ok(v) = view::parse(&path, line, place) {
            let _ = v.answer.first_line(60);
            quick.push(seen(&v));
        }
    }
    // Oldest first in blocks, as `log --reverse` reads.
    let mut blocks = store.journal_blocks(false).unwrap();
    let mut quick_forward = 0;
    while let Some(block) = blocks.next_block(Vec::new()).unwrap() {
        block
            .for_each_line(|line, place| {
                if view::parse(&path, line, place).is_ok() {
                    quick_forward += 1;
                }
                Ok::<(), ()>(())
            })
            .unwrap();
    }
    assert_eq!(quick.len(), quick_forward, "quick views agree both ways");
    // Every whole entry has a quick view that agrees with it (show and log must not
    // disagree about what a line says).
    for e in &forward {
        assert!(
            quick.contains(&seen(&e.view())),
            "the quick view of {} agrees with the entry",
            e.id
        );
    }

    let mut selected = store.select_newest(|_| true, usize::MAX, |_| {}).unwrap();
    selected.reverse();
    assert!(selected.iter().all(|e| forward.contains(e)));

    let report = doctor::check(store).unwrap();
    let journal = report.files.iter().find(|f| f.path == path);
    let doctor_sees = match journal.map(|f| &f.health) {
        Some(doctor::Health::Damaged { lines, records }) => {
            assert_eq!(*records, forward.len(), "doctor counts the whole entries");
            lines.len()
        }
        Some(doctor::Health::Fine { records }) => {
            assert_eq!(*records, forward.len(), "doctor counts the whole entries");
            0
        }
        _ => 0,
    };
    assert_eq!(
        doctor_sees, damaged_forward,
        "doctor sees the damaged lines reading sees"
    );
    forward
}

// ---- any entry round-trips ------------------------------------------------------------

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn any_entry_comes_back_exactly_as_it_was_written(
        news in prop::collection::vec(new_entry(), 1..4)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data"));
        let written: Vec<Entry> = news
            .into_iter()
            .map(|n| store.append(n).unwrap())
            .collect();
        let read = read_every_way(&store);
        prop_assert_eq!(&read, &written);
        for e in &written {
            prop_assert_eq!(store.find(&e.id).unwrap(), vec![e.clone()]);
        }
    }
}

// ---- any bytes as a journal line -----------------------------------------------------

/// The entry the store would save for `new` (same fields, a fresh id).
fn saved(new: NewEntry) -> Entry {
    Entry {
        v: exback::testing::journal::entry::ENTRY_VERSION,
        id: exback::testing::journal::new_id(),
        at: new.at,
        kind: new.kind.as_str().to_string(),
        step: new.step,
        step_id: new.step_id,
        prompt_id: new.prompt_id,
        prompt: new.prompt,
        prompt_kind: new.prompt_kind.map(|k| k.as_str().to_string()),
        answer: new.answer,
        value: new.value,
        option_ids: new.option_ids,
        edited_at: None,
        tags: new.tags,
        outcome: new.outcome.map(|o| o.id().to_string()),
        extra: serde_json::Map::new(),
    }
}

/// A valid journal line, as the store writes it.
fn valid_line() -> impl Strategy<Value = Vec<u8>> {
    new_entry().prop_map(|n| serde_json::to_vec(&saved(n)).unwrap())
}

/// One small change to a line: cut it short, or change, insert or remove one byte
/// (often one that matters to JSON).
#[derive(Debug, Clone)]
enum Edit {
    Cut(usize),
    Set(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"\"\\{}[],:0123456789.eE+-tfnu \x00\xff\xc3".to_vec()),
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Remove),
    ]
}

fn apply(mut line: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = line.len().max(1);
        match *e {
            Edit::Cut(i) => line.truncate(i % len),
            Edit::Set(i, b) => {
                if !line.is_empty() {
                    line[i % len] = b;
                }
            }
            Edit::Insert(i, b) => line.insert(i % (line.len() + 1), b),
            Edit::Remove(i) => {
                if !line.is_empty() {
                    line.remove(i % len);
                }
            }
        }
    }
    line
}

fn odd_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        (valid_line(), prop::collection::vec(edit(), 1..4))
            .prop_map(|(line, edits)| apply(line, &edits)),
    ]
}

/// A good entry's line, for the journal around the odd one.
fn good(answer: &str, at: &str) -> (String, Vec<u8>) {
    let at = DateTime::parse_from_rfc3339(at).unwrap();
    let entry = saved(NewEntry::new(at, EntryKind::Note, answer.to_string()));
    let line = serde_json::to_vec(&entry).unwrap();
    (entry.id, line)
}

static AROUND: LazyLock<[(String, Vec<u8>); 2]> = LazyLock::new(|| {
    [
        good("before the odd line", "2026-11-01T09:00:00+01:00"),
        good("after the odd line", "2026-11-02T09:00:00+01:00"),
    ]
});

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_as_a_journal_line_are_read_without_a_panic(line in odd_line()) {
        let path = Path::new("journal.jsonl");
        // The two line readers, on the line alone.
        let quick = view::parse(path, &line, Place::Line(1));
        let full = read::parse::<Entry>(path, &line, Place::Line(1));
        if let Ok(entry) = &full {
            let quick = quick.as_ref().expect("a line the full reader takes has a quick view");
            prop_assert_eq!(seen(quick), seen(&entry.view()));
        }

        // In a journal, between two good lines: both still read, whatever the odd one is.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let [(before_id, before), (after_id, after)] = &*AROUND;
        let mut bytes = before.clone();
        bytes.push(b'\n');
        bytes.extend_from_slice(&line);
        bytes.push(b'\n');
        bytes.extend_from_slice(after);
        bytes.push(b'\n');
        std::fs::write(store.journal_path(), &bytes).unwrap();
        let entries = read_every_way(&store);
        prop_assert!(entries.iter().any(|e| &e.id == before_id));
        prop_assert!(entries.iter().any(|e| &e.id == after_id));
        prop_assert_eq!(store.find(before_id).unwrap().len(), 1);
    }
}

// ---- any JSON as an import -------------------------------------------------------------

/// A data directory with entries, a progress file, contacts and moods, and its export.
struct Base {
    dir: tempfile::TempDir,
    export: Value,
}

static BASE: LazyLock<Base> = LazyLock::new(|| {
    let env = common::Env::new();
    env.ok(
        &["next"],
        &(common::onboarding_lines(false, false) + "my first answer\n"),
    );
    env.ok(&["write", "a free entry", "--tag", "kept"], "");
    env.ok(&["mood", "6", "steady"], "");
    let store = Store::open(&env.data());
    let at = DateTime::parse_from_rfc3339(common::NOW).unwrap();
    store
        .add_contact(&Contact::new(at, Channel::Text, Who::Me))
        .unwrap();
    store.add_mood(&Mood::new(at, 4, None)).unwrap();
    let mut bytes = Vec::new();
    transfer::export_json(&store, &mut bytes).unwrap();
    let export = serde_json::from_slice(&bytes).unwrap();
    Base {
        dir: env.tmp,
        export,
    }
});

/// Every file in `dir` but the lock file, with its text.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "exback.lock"))
        .map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (p, text)
        })
        .collect()
}

/// A copy of the base data directory, to import into.
fn fresh_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for (path, bytes) in snapshot(&BASE.dir.path().join("data")) {
        std::fs::write(copy.path().join(path.file_name().unwrap()), bytes).unwrap();
    }
    copy
}

/// Imports: a real export with one part replaced or removed, a jrnl-shaped document, or
/// any JSON at all.
fn import_doc() -> impl Strategy<Value = Value> {
    let jrnl = (json(), json())
        .prop_map(|(tags, entries)| serde_json::json!({ "tags": tags, "entries": [entries] }));
    // One record of another log (contacts, moods) replaced: checked only after the
    // entries, so a chance to write the entries and then refuse.
    let record = (any::<usize>(), any::<usize>(), json()).prop_map(|(log, i, with)| {
        let mut doc = BASE.export.clone();
        if let Some(Value::Object(logs)) = doc.get_mut("logs") {
            let n = logs.len().max(1);
            if let Some(Value::Array(records)) = logs.values_mut().nth(log % n) {
                let n = records.len().max(1);
                if let Some(r) = records.get_mut(i % n) {
                    *r = with;
                }
            }
        }
        doc
    });
    prop_oneof![
        1 => record,
        3 => (prop::collection::vec(any::<usize>(), 1..6), json(), any::<bool>()).prop_map(
            |(path, with, remove)| {
                let mut doc = BASE.export.clone();
                replace_at(&mut doc, &path, with, remove);
                doc
            }
        ),
        1 => jrnl,
        1 => json(),
    ]
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn any_json_as_an_import_imports_or_changes_nothing(doc in import_doc(), empty in any::<bool>()) {
        // Into an empty data directory everything in the file is new; into a copy of
        // the one exported, most of it is already there.
        let dir = if empty { tempfile::tempdir().unwrap() } else { fresh_copy() };
        let store = Store::open(dir.path());
        let before = snapshot(dir.path());
        let bytes = serde_json::to_vec(&doc).unwrap();
        match transfer::import(&store, &bytes) {
            Ok(_) => {
                read_every_way(&store);
            }
            Err(why) => {
                prop_assert_eq!(
                    snapshot(dir.path()),
                    before,
                    "a refused import ({}) changed nothing",
                    why
                );
            }
        }
    }

    #[test]
    fn any_bytes_as_an_import_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = fresh_copy();
        let store = Store::open(dir.path());
        let before = snapshot(dir.path());
        if transfer::import(&store, &bytes).is_err() {
            prop_assert_eq!(snapshot(dir.path()), before);
        }
    }
}
