//! Reading back and moving data: free entries, every log filter and format, show, edit,
//! delete, export and import, through the real binary.

mod common;

use std::collections::BTreeSet;

use common::{Env, mode, stderr};
use serde_json::{Value, json};

/// The fixture: eight entries across steps, kinds, tags and two time zones.
fn fixture() -> Vec<Value> {
    let e = |id: &str,
             at: &str,
             kind: &str,
             step: Option<u8>,
             prompt: Option<&str>,
             answer: &str,
             tags: &[&str]| {
        let step_id = step.map(|n| ["understand", "prepare", "contact"][usize::from(n) - 1]);
        let mut v = json!({"v": 1, "id": id, "at": at, "kind": kind, "answer": answer});
        if let Some(n) = step {
            v["step"] = json!(n);
            v["step_id"] = json!(step_id);
        }
        if let Some(p) = prompt {
            v["prompt"] = json!(p);
        }
        if !tags.is_empty() {
            v["tags"] = json!(tags);
        }
        v
    };
    vec![
        e(
            "a00000000001",
            "2026-10-01T09:00:00+02:00",
            "answer",
            Some(1),
            Some("What happened?"),
            "We stopped talking.",
            &[],
        ),
        e(
            "a00000000002",
            "2026-10-05T21:30:00+02:00",
            "note",
            None,
            None,
            "Coffee with Sam helped.",
            &["friends"],
        ),
        e(
            "a00000000003",
            "2026-10-12T08:15:00+02:00",
            "answer",
            Some(2),
            Some("What still hurts?"),
            "The silence on Sundays.",
            &[],
        ),
        e(
            "a00000000004",
            "2026-10-20T23:50:00+02:00",
            "note",
            Some(2),
            None,
            "Angry today, wrote it out.",
            &["anger"],
        ),
        e(
            "a00000000005",
            "2026-11-02T07:00:00+01:00",
            "readiness",
            Some(2),
            Some("Have you let yourself grieve?"),
            "Yes",
            &[],
        ),
        e(
            "b00000000006",
            "2026-11-10T19:00:00+01:00",
            "note",
            None,
            None,
            "Saw an old photo; it was okay.",
            &["photo", "friends"],
        ),
        e(
            "b00000000007",
            "2026-11-20T12:00:00+01:00",
            "answer",
            Some(3),
            Some("Why now? What is the coffee for?"),
            "To say hello, expecting nothing.\nSecond line.",
            &[],
        ),
        e(
            "b00000000008",
            "2026-11-25T10:00:00+01:00",
            "note",
            None,
            None,
            "Coffee alone, quiet.",
            &["starred"],
        ),
    ]
}

fn export_doc(entries: &[Value]) -> String {
    json!({"format": "exback-export", "version": 1, "progress": null, "entries": entries, "logs": {}}).to_string()
}

/// A data dir holding the fixture.
fn loaded() -> Env {
    let env = Env::new();
    let file = env.tmp.path().join("fixture.json");
    std::fs::write(&file, export_doc(&fixture())).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()], "");
    assert!(out.contains("Imported 8 entries"), "{out}");
    env
}

fn ids(json_out: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json_out).expect("log --json is JSON");
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// One filter, as command-line words and as a predicate on fixture entries.
struct Case {
    args: &'static [&'static str],
    keep: fn(&Value) -> bool,
}

fn date(e: &Value) -> String {
    e["at"].as_str().unwrap()[..10].to_string()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            args: &["--since", "2026-10-12"],
            keep: |e| date(e).as_str() >= "2026-10-12",
        },
        Case {
            args: &["--until", "2026-11-02"],
            keep: |e| date(e).as_str() <= "2026-11-02",
        },
        Case {
            args: &["--grep", "COFFEE"],
            keep: |e| {
                let text = format!("{} {}", e["answer"], e["prompt"]).to_lowercase();
                text.contains("coffee")
            },
        },
        Case {
            args: &["--step", "2"],
            keep: |e| e["step"] == 2,
        },
        Case {
            args: &["--tag", "friends"],
            keep: |e| {
                e["tags"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("friends")))
            },
        },
    ]
}

/// What `log` should print for these filters, newest first, before -n and --reverse.
fn expected(keep: &[fn(&Value) -> bool]) -> Vec<String> {
    let mut out: Vec<String> = fixture()
        .iter()
        .filter(|e| keep.iter().all(|k| k(e)))
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    out.reverse();
    out
}

#[test]
fn every_filter_alone_and_every_pair_of_filters() {
    let env = loaded();
    let cases = cases();
    let run = |args: Vec<&str>| ids(&env.ok(&[&["log", "--json"][..], &args].concat(), ""));
    // Alone, with -n 2, and with --reverse.
    for c in &cases {
        let want = expected(&[c.keep]);
        assert!(
            !want.is_empty() && want.len() < 8,
            "{:?} selects something, not everything",
            c.args
        );
        assert_eq!(run(c.args.to_vec()), want, "{:?}", c.args);
        let mut limited = c.args.to_vec();
        limited.extend(["-n", "2"]);
        assert_eq!(
            run(limited),
            want.iter().take(2).cloned().collect::<Vec<_>>(),
            "{:?} -n 2",
            c.args
        );
        let mut reversed = c.args.to_vec();
        reversed.push("--reverse");
        let mut oldest_first = want.clone();
        oldest_first.reverse();
        assert_eq!(run(reversed), oldest_first, "{:?} --reverse", c.args);
    }
    // Every pair.
    for (i, a) in cases.iter().enumerate() {
        for b in &cases[i + 1..] {
            let args = [a.args, b.args].concat();
            assert_eq!(run(args.clone()), expected(&[a.keep, b.keep]), "{args:?}");
        }
    }
    // -n with --reverse: the newest N, printed oldest first.
    assert_eq!(
        run(vec!["-n", "3", "--reverse"]),
        vec!["b00000000006", "b00000000007", "b00000000008"]
    );
    assert_eq!(run(vec!["-n", "0"]), Vec::<String>::new());
    // Two tags: entries with both.
    assert_eq!(
        run(vec!["--tag", "friends", "--tag", "photo"]),
        vec!["b00000000006"]
    );
}

#[test]
fn the_human_view_matches_its_snapshot() {
    let env = loaded();
    let out = env.ok(&["log"], "");
    snapshot("log_human.txt", &out);
    assert!(!out.contains('\u{1b}'), "no escape codes when piped");
    let out = env.ok(&["log", "--color", "always", "-n", "1"], "");
    assert!(out.contains('\u{1b}'), "--color always forces colour");
}

#[test]
fn the_markdown_view_matches_its_snapshot() {
    let env = loaded();
    snapshot(
        "log_markdown.md",
        &env.ok(&["log", "--format", "markdown", "--reverse"], ""),
    );
}

#[test]
fn short_is_one_line_per_entry_and_json_is_the_stored_entries() {
    let env = loaded();
    let short = env.ok(&["log", "--short"], "");
    assert_eq!(short.lines().count(), 8);
    assert_eq!(
        short.lines().next().unwrap(),
        "2026-11-25 10:00 b00000000008    Coffee alone, quiet."
    );
    assert!(
        short.contains("2026-11-20 12:00 b00000000007 s3 To say hello, expecting nothing."),
        "{short}"
    );
    assert_eq!(env.ok(&["log", "--format", "short"], ""), short);
    let json: Value = serde_json::from_str(&env.ok(&["log", "--json", "--reverse"], "")).unwrap();
    assert_eq!(
        json,
        Value::Array(fixture()),
        "--json gives the entries exactly as stored"
    );
    assert_eq!(
        env.ok(&["log", "--format", "json", "--reverse"], ""),
        env.ok(&["log", "--json", "--reverse"], "")
    );
}

/// Compares `actual` with `tests/snapshots/NAME`; `EXBACK_UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("EXBACK_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("snapshot {} is missing", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

#[test]
fn write_takes_text_from_the_argument_stdin_or_the_editor() {
    let env = loaded();
    let id = env.ok(
        &[
            "write",
            "--step",
            "2",
            "--tag",
            "walk",
            "--tag",
            "#evening",
            "A long walk.",
        ],
        "",
    );
    let id = id.trim();
    assert_eq!(id.len(), 12);
    let shown: Value = serde_json::from_str(&env.ok(&["show", id, "--json"], "")).unwrap();
    assert_eq!(shown["answer"], "A long walk.");
    assert_eq!(shown["step"], 2);
    assert_eq!(shown["step_id"], "prepare");
    assert_eq!(shown["tags"], json!(["walk", "evening"]));
    assert_eq!(shown["kind"], "note");

    let piped = env.ok(&["write"], "From a pipe,\nover two lines.\n");
    assert!(
        env.ok(&["show", piped.trim(), "--json"], "")
            .contains("From a pipe,\\nover two lines.")
    );

    // The editor: a script that writes into the file it is given.
    let script = env.tmp.path().join("fake-editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'Written in the editor.\\n' >> \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut cmd = env.cmd(&["write"]);
    cmd.env("EDITOR", &script).env_remove("VISUAL");
    let out = common::run_with_tty_stdin(cmd);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = String::from_utf8(out.stdout).unwrap();
    let shown: Value = serde_json::from_str(&env.ok(&["show", id.trim(), "--json"], "")).unwrap();
    assert_eq!(
        shown["answer"], "Written in the editor.",
        "the comment header is stripped"
    );

    assert_eq!(
        env.run(&["write", "--step", "9", "x"], "").status.code(),
        Some(1)
    );
    assert_eq!(
        env.run(&["write", "--tag", "two words", "x"], "")
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn show_edit_and_delete_find_entries_by_id_prefix() {
    let env = loaded();
    let shown = env.ok(&["show", "b00000000007"], "");
    assert!(
        shown.contains("Step 3 · Re-establish contact the right way")
            && shown.contains("Second line."),
        "{shown}"
    );

    // Prefixes: unique works, ambiguous and unknown are clear errors.
    assert!(
        env.ok(&["show", "b00000000008"], "")
            .contains("Coffee alone")
    );
    let out = env.run(&["show", "b0"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("3 entries have ids starting with b0"));
    let out = env.run(&["show", "ffff"], "");
    assert!(stderr(&out).contains("no entry has an id starting with ffff"));
    let out = env.run(&["show", "not-an-id"], "");
    assert!(stderr(&out).contains("is not an entry id"));

    let before = std::fs::read(env.file("journal.jsonl")).unwrap();
    env.ok(
        &[
            "edit",
            "a00000000003",
            "--text",
            "The silence on Sundays, and Mondays.",
        ],
        "",
    );
    let shown: Value =
        serde_json::from_str(&env.ok(&["show", "a00000000003", "--json"], "")).unwrap();
    assert_eq!(shown["answer"], "The silence on Sundays, and Mondays.");
    assert!(shown["edited_at"].is_string());
    assert_eq!(
        shown["prompt"], "What still hurts?",
        "the rest of the entry is kept"
    );
    let after = std::fs::read(env.file("journal.jsonl")).unwrap();
    let (b, a): (Vec<&[u8]>, Vec<&[u8]>) = (
        before.split(|c| *c == b'\n').collect(),
        after.split(|c| *c == b'\n').collect(),
    );
    assert_eq!(b.len(), a.len());
    let changed: Vec<usize> = (0..b.len()).filter(|i| b[*i] != a[*i]).collect();
    assert_eq!(changed, vec![2], "only the edited line changed");
    assert_eq!(
        env.run(&["edit", "a00000000003", "--text", "  "], "")
            .status
            .code(),
        Some(1)
    );

    // Delete: refuses without a terminal unless --yes, then touches nothing else.
    let out = env.run(&["delete", "a00000000004"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--yes"));
    let before = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    env.ok(&["delete", "a00000000004", "--yes"], "");
    let after = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let removed: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|m| m == *l))
        .collect();
    assert_eq!(removed.len(), 1);
    assert!(removed[0].contains("a00000000004"));
    assert_eq!(after.lines().count(), 7);
    assert_eq!(
        env.run(&["show", "a00000000004"], "").status.code(),
        Some(1)
    );
}

#[test]
fn export_then_import_into_an_empty_dir_gives_the_same_bytes() {
    let env = loaded();
    env.ok(
        &["next"],
        &(common::onboarding_lines(false, false) + "An answer to the first question.\n"),
    );
    let a = env.ok(&["export"], "");
    let file = env.tmp.path().join("a.json");
    std::fs::write(&file, &a).unwrap();

    let other = Env::new();
    let out = other.ok(&["import", file.to_str().unwrap()], "");
    assert!(
        out.contains("Imported 9 entries") && out.contains("Restored your progress"),
        "{out}"
    );
    assert_eq!(other.ok(&["export"], ""), a, "byte-identical round trip");

    // Again: everything is already there.
    let out = other.ok(&["import", file.to_str().unwrap()], "");
    assert!(
        out.contains("Imported 0 entries") && out.contains("skipped 9 already present"),
        "{out}"
    );
    assert!(out.contains("Kept the progress already here"));

    // To a file: private from birth.
    let target = env.tmp.path().join("backup.json");
    env.ok(&["export", "-o", target.to_str().unwrap()], "");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), a);

    let md = env.ok(&["export", "--format", "markdown"], "");
    assert!(md.starts_with("# exback journal"));
    assert!(
        md.contains("Who ended it: They did")
            && md.contains("1. Understand why the breakup happened (current)")
    );
    assert!(md.contains("Coffee alone, quiet."));
}

#[test]
fn jrnl_exports_come_in_as_free_entries_with_time_tags_and_star() {
    let env = loaded();
    let jrnl = json!({
        "tags": {"@walk": 1, "@work": 1},
        "entries": [
            {"title": "Long walk by the river.", "body": "Felt steadier.", "date": "2021-03-02", "time": "09:15", "tags": ["@walk"], "starred": true},
            {"title": "Busy day.", "body": "", "date": "2021-03-03", "time": "18:40", "tags": ["@work"], "starred": false},
        ]
    });
    let file = env.tmp.path().join("jrnl.json");
    std::fs::write(&file, jrnl.to_string()).unwrap();
    let mut cmd = env.cmd(&["import", file.to_str().unwrap()]);
    cmd.env("TZ", "UTC");
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Imported 2 entries from")
            && String::from_utf8_lossy(&out.stdout).contains("(jrnl export)")
    );

    let all: Value = serde_json::from_str(&env.ok(&["log", "--json", "--reverse"], "")).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 10);
    let walk = &all[0];
    assert_eq!(
        walk["at"], "2021-03-02T09:15:00Z",
        "oldest first: imported entries keep their time"
    );
    assert_eq!(walk["answer"], "Long walk by the river.\nFelt steadier.");
    assert_eq!(walk["tags"], json!(["walk", "starred"]));
    assert_eq!(walk["kind"], "note");
    assert_eq!(all[1]["answer"], "Busy day.");
    assert_eq!(all[1]["tags"], json!(["work"]));
    let tagged: BTreeSet<String> = ids(&env.ok(&["log", "--json", "--tag", "starred"], ""))
        .into_iter()
        .collect();
    assert_eq!(
        tagged.len(),
        2,
        "the starred jrnl entry and the fixture's starred entry"
    );

    // Importing the same file again skips both.
    let mut cmd = env.cmd(&["import", "-"]);
    cmd.env("TZ", "UTC");
    let out = common::run_with(cmd, &jrnl.to_string());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Imported 0 entries")
            && String::from_utf8_lossy(&out.stdout).contains("skipped 2")
    );
}

#[test]
fn a_malformed_or_foreign_file_imports_nothing_and_says_where() {
    let env = loaded();
    let before = std::fs::read(env.file("journal.jsonl")).unwrap();
    let good = export_doc(&[
        json!({"v": 1, "id": "c00000000001", "at": "2026-11-01T10:00:00Z", "kind": "note", "answer": "secret words"}),
    ]);
    let broken = format!("{}\n{}", &good[..40], "  \"oops\": ");
    for (content, says) in [
        (broken.as_str(), "line 2, column"),
        (
            "{\"format\": \"exback-export\", \"version\": 1, \"entries\": [{\"id\": 3}]}",
            "line 1, column",
        ),
        (
            "{\"hello\": \"world\"}",
            "neither an exback export nor a jrnl JSON export",
        ),
        (
            "{\"format\": \"exback-export\", \"version\": 9, \"entries\": []}",
            "format version 9",
        ),
    ] {
        let out = env.run(&["import", "-"], content);
        assert_eq!(out.status.code(), Some(1), "{content}");
        let err = stderr(&out);
        assert!(
            err.contains(says) && err.contains("nothing was imported"),
            "{err}"
        );
        assert!(!err.contains("secret words"));
        assert_eq!(
            std::fs::read(env.file("journal.jsonl")).unwrap(),
            before,
            "nothing changed"
        );
    }
    let out = env.run(&["import", "/no/such/file.json"], "");
    assert!(stderr(&out).contains("cannot read /no/such/file.json"));
}

#[test]
fn imported_entries_are_merged_in_time_order() {
    let env = loaded();
    let older = export_doc(&[
        json!({"v": 1, "id": "c00000000009", "at": "2026-10-10T10:00:00+02:00", "kind": "note", "answer": "A late-found note."}),
    ]);
    env.ok(&["import", "-"], &older);
    let in_order = ids(&env.ok(&["log", "--json", "--reverse"], ""));
    let pos = in_order.iter().position(|i| i == "c00000000009").unwrap();
    assert_eq!(in_order[pos - 1], "a00000000002");
    assert_eq!(in_order[pos + 1], "a00000000003");
    // And --since can stop early without missing it.
    assert!(
        ids(&env.ok(
            &[
                "log",
                "--json",
                "--since",
                "2026-10-10",
                "--until",
                "2026-10-10"
            ],
            ""
        ))
        .contains(&"c00000000009".to_string())
    );
}

/// `edit` and `delete` say what they did, in the words of `screens.toml`: the built-in
/// ones, or a content folder's own.
#[test]
fn edit_and_delete_say_what_they_did_in_the_contents_words() {
    let env = Env::new();
    let id = env.ok(&["write", "first words"], "").trim().to_string();
    let out = env.run(&["edit", &id, "--text", "first words"], "");
    assert!(out.status.success());
    assert_eq!(stderr(&out).trim(), "No change.");

    let seen = env.tmp.path().join("seen");
    let mut cmd = env.cmd(&["edit", &id]);
    cmd.env(
        "EDITOR",
        format!(
            "sh -c 'cp \"$1\" {seen}; echo second words > \"$1\"' sh",
            seen = seen.display()
        ),
    );
    let out = common::run_with_tty_stdin(cmd);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("Saved the new text of {id}.")),
        "{}",
        stderr(&out)
    );
    let header = std::fs::read_to_string(&seen).unwrap();
    assert!(
        header.contains(&format!("Editing entry {id} from 2026-")),
        "{header}"
    );
    assert!(
        header.contains("\n# (Lines starting with # are not saved. Save and close the editor when done.)\n\nfirst words"),
        "{header}"
    );

    // A content folder's own words are the ones said.
    let content = env.tmp.path().join("content");
    env.ok(&["content", "export", content.to_str().unwrap()], "");
    let screens = content.join("screens.toml");
    let text = std::fs::read_to_string(&screens).unwrap();
    let text = text.replace(
        "unchanged = \"No change.\"",
        "unchanged = \"The text is as it was.\"",
    );
    std::fs::write(&screens, text).unwrap();
    let mut cmd = env.cmd(&["edit", &id, "--text", "second words"]);
    cmd.env("EXBACK_CONTENT_DIR", &content);
    let out = common::run_with(cmd, "");
    assert_eq!(stderr(&out).trim(), "The text is as it was.");

    let out = env.run(&["delete", &id, "--yes"], "");
    assert!(out.status.success());
    assert_eq!(stderr(&out).trim(), format!("Deleted {id}."));
}

/// The commands that keep the journal work whatever the content pack holds: with a
/// pack that cannot be loaded, `doctor` and `log --short` (which names no step) say
/// their lines in the built-in words, `write` with its text saves it, and a command
/// that needs the pack's words says what is wrong with it.
#[test]
fn a_broken_content_pack_never_stops_doctor_or_log() {
    let env = Env::new();
    let content = env.tmp.path().join("content");
    env.ok(&["content", "export", content.to_str().unwrap()], "");
    std::fs::write(content.join("screens.toml"), "format_version = 1\n").unwrap();
    let with_pack = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("EXBACK_CONTENT_DIR", &content);
        common::run_with(cmd, "")
    };
    let out = with_pack(&["doctor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Everything is readable."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = with_pack(&["log", "--short"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("No entries yet."), "{}", stderr(&out));
    // A text given as an argument is saved without reading any content...
    let out = with_pack(&["write", "a line"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    assert!(saved.contains("a line"));
    // ... and a command that says the pack's words names what is wrong, writing nothing.
    let out = with_pack(&["draft", "unsent words"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("screens.toml"), "{}", stderr(&out));
    let after = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    assert_eq!(after, saved, "nothing was written");
}
