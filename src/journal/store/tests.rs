use super::*;
use crate::journal::{EntryKind, Item, hint, progress};

fn answered(step: &str, prompt: &str) -> Change {
    Change::Answered {
        step_id: step.into(),
        prompt_id: prompt.into(),
    }
}

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap()
}

#[test]
fn an_answer_and_its_mark_are_saved_together() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let new = NewEntry::new(at(), EntryKind::Answer, "words".into());
    let (entry, progress) = store
        .append_with(new, &[answered("understand", "what-happened")])
        .unwrap();
    assert_eq!(
        progress.step("understand").unwrap().answered,
        ["what-happened"]
    );
    assert!(progress.pending.is_none());
    // On disk the mark still waits for its entry, and counts because it is there.
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
    assert_eq!(raw["pending"]["entry"], entry.id.as_str());
    assert_eq!(store.progress().unwrap(), progress);
    // The next change settles it for good.
    let after = store.update_progress(&[Change::MoodSkipped(at())]).unwrap();
    assert_eq!(
        after.step("understand").unwrap().answered,
        ["what-happened"]
    );
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
    assert!(raw.get("pending").is_none());
}

#[test]
fn a_mark_whose_entry_never_reached_the_journal_is_dropped() {
    // What a crash between the two writes leaves: the mark, but no entry.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    store
        .append(NewEntry::new(at(), EntryKind::Note, "a note".into()))
        .unwrap();
    write_a_pending_mark(&store);
    let read = store.progress().unwrap();
    assert!(
        read.step("understand").is_none(),
        "the question is asked again"
    );
    assert!(read.pending.is_none());
    let written = store.update_progress(&[]).unwrap();
    assert!(written.step("understand").is_none());
}

#[test]
fn the_data_dir_hint_comes_only_where_another_folder_helps() {
    use io::ErrorKind::{PermissionDenied, StorageFull};
    let e = |k| io::Error::from(k);
    assert!(hint("lock", &e(PermissionDenied)).contains("--data-dir"));
    assert!(hint("create the data directory", &e(PermissionDenied)).contains("--data-dir"));
    let file = hint("read", &e(PermissionDenied));
    assert!(file.contains("chmod 600") && !file.contains("--data-dir"));
    assert!(hint("save to", &e(StorageFull)).contains("disk is full"));
    assert!(!hint("save to", &e(StorageFull)).contains("--data-dir"));
    assert_eq!(hint("write the export to", &e(PermissionDenied)), "");
    assert_eq!(hint("write the export to", &e(StorageFull)), "");
}

#[test]
fn a_read_only_or_misplaced_data_dir_suggests_another_folder() {
    use io::ErrorKind::{NotADirectory, ReadOnlyFilesystem};
    for kind in [ReadOnlyFilesystem, NotADirectory] {
        let said = hint("save to", &io::Error::from(kind));
        assert!(said.contains("--data-dir"), "{kind:?}: {said}");
    }
}

/// One journal line as exback writes it, with a chosen id and format version.
fn entry_line(id: &str, v: u32, kind: &str, answer: &str) -> String {
    format!(
        r#"{{"v":{v},"id":"{id}","at":"2026-11-29T20:15:00+01:00","kind":"{kind}","answer":"{answer}"}}"#
    )
}

fn write_journal(store: &Store, lines: &[String]) {
    std::fs::write(store.journal_path(), lines.join("\n") + "\n").unwrap();
}

fn ids(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

#[cfg(unix)]
#[test]
fn a_data_dir_open_to_others_is_noticed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(!store.readable_by_others());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(store.readable_by_others());
}

#[test]
fn a_progress_file_that_cannot_be_read_is_an_error_not_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    std::fs::create_dir(store.progress_path()).unwrap();
    let err = store.progress().unwrap_err().to_string();
    assert!(err.starts_with("cannot read "), "{err}");
    assert!(
        err.contains(": it is a folder; exback keeps its data"),
        "{err}"
    );
}

#[test]
fn a_progress_file_from_a_newer_exback_that_does_not_parse_is_newer_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    std::fs::write(
        store.progress_path(),
        r#"{"format_version": 2, "steps": "a shape this exback does not know"}"#,
    )
    .unwrap();
    let err = store.progress().unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Newer {
                found: 2,
                known: 1,
                ..
            }
        ),
        "{err}"
    );
}

/// Saves progress whose one mark is pending on an entry that is not written.
fn write_a_pending_mark(store: &Store) {
    let progress = Progress {
        pending: Some(Pending {
            entry: "0123456789ab".into(),
            changes: vec![answered("understand", "what-happened")],
        }),
        ..Progress::default()
    };
    std::fs::write(
        store.progress_path(),
        serde_json::to_vec(&progress).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_pending_mark_with_no_journal_at_all_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    write_a_pending_mark(&store);
    let read = store.progress().unwrap();
    assert!(read.step("understand").is_none());
    assert!(read.pending.is_none());
}

#[test]
fn a_pending_mark_is_not_settled_when_the_journal_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    write_a_pending_mark(&store);
    std::fs::create_dir(store.journal_path()).unwrap();
    let err = store.progress().unwrap_err();
    assert!(err.to_string().contains("journal.jsonl"), "{err}");
}

#[test]
fn a_mark_counts_only_for_the_entry_with_that_id_not_one_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    // The awaited id appears in another entry's answer, and nowhere as an id.
    write_journal(
        &store,
        &[entry_line("aaaaaaaaaaaa", 1, "note", "see 0123456789ab")],
    );
    write_a_pending_mark(&store);
    assert!(store.progress().unwrap().step("understand").is_none());
}

#[test]
fn an_older_progress_file_is_kept_aside_once_then_rewritten_in_the_current_format() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let old = br#"{"format_version": 0}"#;
    std::fs::write(store.progress_path(), old).unwrap();
    let after = store.update_progress(&[Change::MoodSkipped(at())]).unwrap();
    assert_eq!(after.format_version, progress::PROGRESS_VERSION);
    let backup = dir.path().join("progress.json.v0-backup");
    assert_eq!(std::fs::read(&backup).unwrap(), old);
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.progress_path()).unwrap()).unwrap();
    assert_eq!(raw["format_version"], 1);
    // A file already in the current format is not backed up again.
    store.update_progress(&[]).unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("backup"))
        .collect();
    assert_eq!(names, ["progress.json.v0-backup"]);
}

#[test]
fn saving_an_answer_over_an_older_progress_file_keeps_the_original_aside() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let old = br#"{"format_version": 0}"#;
    std::fs::write(store.progress_path(), old).unwrap();
    let new = NewEntry::new(at(), EntryKind::Answer, "words".into());
    let (_, progress) = store
        .append_with(new, &[answered("understand", "what-happened")])
        .unwrap();
    assert_eq!(progress.format_version, progress::PROGRESS_VERSION);
    let backup = dir.path().join("progress.json.v0-backup");
    assert_eq!(std::fs::read(&backup).unwrap(), old);
}

#[test]
fn a_newer_progress_file_is_refused_for_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let newer = br#"{"format_version": 2}"#;
    std::fs::write(store.progress_path(), newer).unwrap();
    assert!(store.progress().is_ok(), "still readable");
    let err = store.update_progress(&[]).unwrap_err();
    assert!(matches!(err, StoreError::Newer { found: 2, .. }), "{err}");
    assert_eq!(std::fs::read(store.progress_path()).unwrap(), newer);
}

#[test]
fn a_record_appended_to_a_log_can_be_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let mood = Mood::new(at(), 4, Some("tired".into()));
    store.add_mood(&mood).unwrap();
    let read: Vec<Item<Mood>> = store
        .moods_newest_first()
        .unwrap()
        .collect::<io::Result<_>>()
        .unwrap();
    assert_eq!(read.len(), 1, "{read:?}");
    assert!(
        matches!(&read[0], Item::Entry(m) if **m == mood),
        "{read:?}"
    );
}

#[test]
fn find_takes_a_prefix_but_a_whole_id_means_that_entry_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    write_journal(
        &store,
        &[
            entry_line("abc", 1, "note", "one"),
            entry_line("abcdef", 1, "note", "two"),
            entry_line("xyz", 1, "note", "three"),
        ],
    );
    assert_eq!(ids(&store.find("ab").unwrap()), ["abcdef", "abc"]);
    assert_eq!(ids(&store.find("abc").unwrap()), ["abc"]);
    assert_eq!(ids(&store.find("abcd").unwrap()), ["abcdef"]);
    assert!(store.find("q").unwrap().is_empty());
}

#[test]
fn select_newest_picks_the_newest_kept_entries_up_to_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    write_journal(
        &store,
        &[
            entry_line("n1", 1, "note", "first"),
            entry_line("a1", 1, "answer", "an answer"),
            "{not json".to_string(),
            entry_line("n2", 1, "note", "second"),
            entry_line("n3", 1, "note", "third"),
        ],
    );
    let notes = |v: &EntryView<'_>| v.kind == "note";
    let mut damaged = Vec::new();
    let two = store
        .select_newest(notes, 2, |d| damaged.push(d.line))
        .unwrap();
    assert_eq!(ids(&two), ["n3", "n2"]);
    assert!(damaged.is_empty(), "stopped before the damaged line");
    let all = store
        .select_newest(notes, usize::MAX, |d| damaged.push(d.line))
        .unwrap();
    assert_eq!(ids(&all), ["n3", "n2", "n1"]);
    assert_eq!(damaged, [3]);
    assert!(store.select_newest(notes, 0, |_| {}).unwrap().is_empty());
}

#[test]
fn deleting_an_entry_drops_its_line_and_keeps_every_other_byte() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let lines = [
        entry_line("abcdef", 1, "note", "mentions abc"),
        "{damaged abc".to_string(),
        entry_line("abc", 1, "note", "the one"),
        entry_line("xyz", 1, "note", "another"),
    ];
    write_journal(&store, &lines);
    let gone = store
        .change_entry("abc", &EntryChange::Delete { at: at() })
        .unwrap();
    assert_eq!(gone.map(|e| e.answer), Some("the one".to_string()));
    let left = std::fs::read_to_string(store.journal_path()).unwrap();
    assert_eq!(left, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]));
}

#[test]
fn editing_changes_only_the_first_entry_with_that_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let lines = [
        entry_line("abc", 1, "note", "first"),
        entry_line("abc", 1, "note", "copy"),
    ];
    write_journal(&store, &lines);
    let edit = EntryChange::Edit {
        answer: "rewritten".into(),
        at: at(),
    };
    let edited = store.change_entry("abc", &edit).unwrap().unwrap();
    assert_eq!(edited.answer, "rewritten");
    assert_eq!(edited.edited_at, Some(at()));
    let left = std::fs::read_to_string(store.journal_path()).unwrap();
    let left: Vec<&str> = left.lines().collect();
    assert_eq!(left[1], lines[1]);
    let first: Entry = serde_json::from_str(left[0]).unwrap();
    assert_eq!(first, edited);
}

#[test]
fn an_entry_from_a_newer_exback_is_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let lines = [entry_line("abc", 2, "note", "from the future")];
    write_journal(&store, &lines);
    assert!(
        store
            .change_entry("abc", &EntryChange::Delete { at: at() })
            .unwrap()
            .is_none()
    );
    let left = std::fs::read_to_string(store.journal_path()).unwrap();
    assert_eq!(left, format!("{}\n", lines[0]));
}

#[test]
fn check_record_sorts_good_newer_and_unusable_records() {
    use serde_json::json;
    let entry = |v: u32| {
        serde_json::from_str::<serde_json::Value>(&entry_line("e", v, "note", "x")).unwrap()
    };
    let at = "2026-11-29T20:15:00+01:00";
    let contact = |v: u32, felt: u8| json!({"v": v, "id": "c", "at": at, "channel": "text", "from": "me", "felt": felt});
    let mood = |v: u32, score: u8| json!({"v": v, "id": "m", "at": at, "score": score});

    assert_eq!(
        check_record(JOURNAL, json!([1, 2])).unwrap_err(),
        "is JSON, but not a record"
    );
    assert_eq!(check_record(JOURNAL, entry(1)), Ok(false));
    assert!(check_record(JOURNAL, json!({"v": 1, "id": "e"})).is_err());
    assert_eq!(check_record(JOURNAL, json!({"v": 2, "id": "e"})), Ok(true));

    assert_eq!(check_record(contact::CONTACTS, contact(1, 5)), Ok(false));
    assert_eq!(
        check_record(contact::CONTACTS, contact(1, 11)).unwrap_err(),
        "is a contact whose feeling is not between 1 and 10"
    );
    assert_eq!(check_record(contact::CONTACTS, json!({"v": 2})), Ok(true));

    assert_eq!(check_record(mood::MOODS, mood(1, 10)), Ok(false));
    assert_eq!(
        check_record(mood::MOODS, mood(1, 0)).unwrap_err(),
        "is a mood check-in whose score is not between 1 and 10"
    );
    assert_eq!(check_record(mood::MOODS, json!({"v": 2})), Ok(true));

    // A log this exback does not know: only its version is looked at.
    assert_eq!(check_record("notes.jsonl", json!({"v": 1})), Ok(false));
    assert_eq!(check_record("notes.jsonl", json!({"v": 2})), Ok(true));
}

#[test]
fn read_regular_file_reads_a_file_and_refuses_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.toml");
    std::fs::write(&path, "title = 'x'\n").unwrap();
    assert_eq!(read_regular_file(&path).unwrap(), b"title = 'x'\n");
    assert!(read_regular_file(dir.path()).is_err());
}

#[test]
fn line_has_id_looks_for_the_id_and_never_matches_an_empty_one() {
    assert!(line_has_id(br#"{"id":"abc"}"#, "abc"));
    assert!(!line_has_id(br#"{"id":"abd"}"#, "abc"));
    assert!(!line_has_id(br#"{"id":"abc"}"#, ""));
}

#[cfg(unix)]
#[test]
fn the_first_save_creates_the_data_dir_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new").join("exback");
    let store = Store::open(&data);
    store
        .append(NewEntry::new(at(), EntryKind::Note, "a note".into()))
        .unwrap();
    let mode = std::fs::metadata(&data).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    assert!(!store.readable_by_others());
}

#[test]
fn each_kind_of_entry_is_saved_under_its_documented_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let kinds = [
        (EntryKind::Answer, "answer"),
        (EntryKind::Readiness, "readiness"),
        (EntryKind::Note, "note"),
        (EntryKind::Draft, "draft"),
        (EntryKind::Outcome, "outcome"),
    ];
    for (kind, name) in kinds {
        let saved = store
            .append(NewEntry::new(at(), kind, "words".into()))
            .unwrap();
        assert_eq!(saved.kind, name);
    }
    let text = std::fs::read_to_string(store.journal_path()).unwrap();
    let on_disk: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<Entry>(l).unwrap().kind)
        .collect();
    assert_eq!(on_disk, kinds.map(|(_, name)| name));
}

#[test]
fn ids_are_twelve_hex_digits_and_differ() {
    let a = new_id();
    let b = new_id();
    assert_eq!(a.len(), 12);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}
