use super::*;
use std::collections::HashSet;

use serde_json::Value;

use super::export::{Exported, other_logs};
use super::import::plain_id;
use crate::journal::Store;
use crate::journal::entry::Entry;

#[test]
fn the_other_logs_are_the_validly_named_ones_besides_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "journal.jsonl",
        "moods.jsonl",
        "contacts.jsonl",
        "check-ins.jsonl",
        "Odd Name.jsonl",
        "-dash.jsonl",
        "notes.txt",
    ] {
        std::fs::write(dir.path().join(name), "").unwrap();
    }
    let store = Store::open(dir.path());
    assert_eq!(
        other_logs(&store).unwrap(),
        ["check-ins", "contacts", "moods"]
    );
}

#[test]
fn a_missing_data_dir_has_no_other_logs_and_one_that_is_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("not-yet"));
    assert!(other_logs(&store).unwrap().is_empty());
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = other_logs(&Store::open(&file)).unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
}

const AT: &str = "2026-11-29T20:15:00+01:00";

fn entry_line(id: &str, at: &str, answer: &str) -> String {
    format!(r#"{{"v":1,"id":"{id}","at":"{at}","kind":"note","answer":"{answer}"}}"#)
}

fn mood_line(id: &str, score: u8) -> String {
    format!(r#"{{"v":1,"id":"{id}","at":"{AT}","score":{score}}}"#)
}

fn export(store: &Store) -> (String, Exported) {
    let mut out = Vec::new();
    let done = export_json(store, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), done)
}

/// `line` as the export writes it (parsed and written compactly again).
fn again<T: serde::de::DeserializeOwned + serde::Serialize>(line: &str) -> String {
    json_line(&serde_json::from_str::<T>(line).unwrap()).unwrap()
}

#[test]
fn an_empty_data_dir_exports_an_empty_document() {
    let dir = tempfile::tempdir().unwrap();
    let (text, done) = export(&Store::open(dir.path()));
    assert_eq!(
        text,
        "{\n  \"format\": \"exback-export\",\n  \"version\": 1,\n  \"progress\": null,\n  \
         \"entries\": [],\n  \"logs\": {}\n}\n"
    );
    assert_eq!((done.entries, done.damaged), (0, 0));
}

#[test]
fn the_export_lays_out_progress_entries_and_logs_one_record_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let progress = store.update_progress(&[]).unwrap();
    let e1 = entry_line("aaa", AT, "one");
    let e2 = entry_line("bbb", "2026-11-29T21:15:00+01:00", "two");
    std::fs::write(store.journal_path(), format!("{e1}\n{{nope\n{e2}\n")).unwrap();
    let c1 = r#"{"v":1,"id":"c1","at":"2026-11-29T20:15:00+01:00","channel":"text","from":"me"}"#;
    std::fs::write(dir.path().join("contacts.jsonl"), format!("{c1}\n")).unwrap();
    let (m1, m2) = (mood_line("m1", 3), mood_line("m2", 7));
    std::fs::write(dir.path().join("moods.jsonl"), format!("{m1}\n[\n{m2}\n")).unwrap();

    let (text, done) = export(&store);
    let expected = format!(
        "{{\n  \"format\": \"exback-export\",\n  \"version\": 1,\n  \"progress\": {},\n  \
         \"entries\": [\n    {},\n    {}\n  ],\n  \"logs\": {{\n    \"contacts\": [\n      {}\n    ],\n    \
         \"moods\": [\n      {},\n      {}\n    ]\n  }}\n}}\n",
        json_line(&progress).unwrap(),
        again::<Entry>(&e1),
        again::<Entry>(&e2),
        again::<Value>(c1),
        again::<Value>(&m1),
        again::<Value>(&m2),
    );
    assert_eq!(text, expected);
    assert_eq!((done.entries, done.damaged), (2, 2));

    // Imported into an empty data directory and exported again: the same bytes.
    let copy = tempfile::tempdir().unwrap();
    let copy_store = Store::open(copy.path());
    let done = import(&copy_store, text.as_bytes()).unwrap().done;
    assert_eq!(
        (
            done.imported,
            done.skipped,
            done.log_records,
            done.progress_restored
        ),
        (2, 0, 3, true)
    );
    assert_eq!(export(&copy_store).0, text);
}

#[test]
fn an_import_skips_what_is_there_gives_taken_ids_new_ones_and_keeps_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let early = entry_line("aaa", "2026-11-01T10:00:00+01:00", "early");
    let late = entry_line("bbb", "2026-11-03T10:00:00+01:00", "late");
    std::fs::write(store.journal_path(), format!("{early}\n{late}\n")).unwrap();
    store
        .add_mood(&serde_json::from_str(&mood_line("m1", 3)).unwrap())
        .unwrap();
    store.update_progress(&[]).unwrap();
    let between = entry_line("aaa", "2026-11-02T10:00:00+01:00", "between");
    let last = entry_line("NOT-HEX", "2026-11-04T10:00:00+01:00", "last");
    let file = format!(
        r#"{{"format":"exback-export","version":1,"progress":{{}},"entries":[{last},{early},{between}],"logs":{{"moods":[{},{}]}}}}"#,
        mood_line("m1", 3),
        mood_line("m2", 5)
    );
    let done = import(&store, file.as_bytes()).unwrap().done;
    assert_eq!(done.source, "exback");
    assert_eq!((done.imported, done.skipped, done.log_records), (2, 1, 1));
    assert!(done.progress_kept && !done.progress_restored);
    let entries: Vec<Entry> = std::fs::read_to_string(store.journal_path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let answers: Vec<&str> = entries.iter().map(|e| e.answer.as_str()).collect();
    assert_eq!(answers, ["early", "between", "late", "last"]);
    let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "every id is unique");
    assert!(entries.iter().all(|e| plain_id(&e.id)), "{entries:?}");
    assert_eq!(entries[0].id, "aaa");
    let moods = std::fs::read_to_string(dir.path().join("moods.jsonl")).unwrap();
    assert_eq!(moods.lines().count(), 2);
}

#[test]
fn an_import_that_cannot_be_used_says_why_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let head = r#"{"format":"exback-export","entries":[],"version":"#;
    let said = |file: String| import(&store, file.as_bytes()).err().unwrap().to_string();
    assert_eq!(
        said(format!("{head}2}}")),
        "this export is format version 2, newer than this exback reads (1); nothing was imported"
    );
    assert_eq!(
        said(format!(r#"{head}1,"logs":{{"journal":[]}}}}"#)),
        "the export names a log \"journal\" that exback does not keep; nothing was imported"
    );
    assert_eq!(
        said(format!(r#"{head}1,"logs":{{"Moods":[]}}}}"#)),
        "the export names a log \"Moods\" that exback does not keep; nothing was imported"
    );
    assert_eq!(
        said(format!(
            r#"{head}1,"logs":{{"moods":[{},{}]}}}}"#,
            mood_line("m1", 3),
            mood_line("m2", 11)
        )),
        "record 2 of \"moods\" is a mood check-in whose score is not between 1 and 10; \
         nothing was imported"
    );
    assert_eq!(
        said(r#"{"entries":[]}"#.into()),
        "this is neither an exback export nor a jrnl JSON export; nothing was imported"
    );
    assert!(!store.journal_path().exists());
    assert!(!dir.path().join("moods.jsonl").exists());
}

#[test]
fn a_jrnl_entry_becomes_a_note_with_its_text_tags_and_star() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let file = r##"{"tags": {}, "entries": [
        {"title": " Hello ", "body": " more words \n", "date": "2026-11-20", "time": "18:30",
         "tags": ["@sad", "#sad", "@", "tired", "@starred"], "starred": true},
        {"title": "Just a title", "body": "  ", "date": "2026-11-21", "time": "09:05",
         "tags": [], "starred": true},
        {"title": "Plain", "date": "2026-11-22", "time": "07:00"}
    ]}"##;
    let done = import(&store, file.as_bytes()).unwrap().done;
    assert_eq!((done.source, done.imported, done.skipped), ("jrnl", 3, 0));
    let entries: Vec<Entry> = std::fs::read_to_string(store.journal_path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(&str, Vec<&str>)> = entries
        .iter()
        .map(|e| {
            (
                e.answer.as_str(),
                e.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Hello\nmore words", vec!["sad", "tired", "starred"]),
            ("Just a title", vec!["starred"]),
            ("Plain", vec![]),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.kind == "note" && e.extra["imported_from"] == "jrnl")
    );
    // The same file again adds nothing.
    let again = import(&store, file.as_bytes()).unwrap().done;
    assert_eq!((again.imported, again.skipped), (0, 3));
}

#[test]
fn a_jrnl_entry_with_an_unreadable_date_or_time_is_named_by_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let file = |date: &str, time: &str| {
        format!(
            r#"{{"tags": {{}}, "entries": [
            {{"title": "ok", "date": "2026-11-20", "time": "18:30"}},
            {{"title": "bad", "date": "{date}", "time": "{time}"}}]}}"#
        )
    };
    let said = |f: String| import(&store, f.as_bytes()).err().unwrap().to_string();
    assert_eq!(
        said(file("20 Nov", "18:30")),
        "entry 2 has an unreadable date; nothing was imported"
    );
    assert_eq!(
        said(file("2026-11-20", "6pm")),
        "entry 2 has an unreadable time; nothing was imported"
    );
    assert!(!store.journal_path().exists());
}

#[test]
fn an_import_into_a_journal_of_damaged_lines_only_keeps_them_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    std::fs::write(store.journal_path(), "{damaged\n").unwrap();
    let e = entry_line("aaa", AT, "one");
    let file = format!(r#"{{"format":"exback-export","version":1,"entries":[{e}]}}"#);
    assert_eq!(import(&store, file.as_bytes()).unwrap().done.imported, 1);
    let text = std::fs::read_to_string(store.journal_path()).unwrap();
    assert_eq!(text, format!("{{damaged\n{}\n", again::<Entry>(&e)));
}

#[test]
fn an_imported_entry_at_the_same_moment_as_one_here_goes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let here = entry_line("aaa", AT, "here");
    let later = entry_line("ccc", "2026-11-30T20:15:00+01:00", "later");
    std::fs::write(store.journal_path(), format!("{here}\n{later}\n")).unwrap();
    let same = entry_line("bbb", AT, "same moment");
    let file = format!(r#"{{"format":"exback-export","version":1,"entries":[{same}]}}"#);
    import(&store, file.as_bytes()).unwrap();
    let text = std::fs::read_to_string(store.journal_path()).unwrap();
    assert_eq!(
        text,
        format!("{here}\n{}\n{later}\n", again::<Entry>(&same))
    );
}

#[test]
fn plain_ids_are_one_to_64_lowercase_hex_digits() {
    assert!(plain_id("0123456789abcdef"));
    assert!(plain_id("a"));
    assert!(plain_id(&"f".repeat(64)));
    assert!(!plain_id(""));
    assert!(!plain_id(&"f".repeat(65)));
    assert!(!plain_id("ABC"));
    assert!(!plain_id("abg"));
    assert!(!plain_id("../x"));
}
