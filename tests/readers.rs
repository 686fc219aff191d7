//! One record, one meaning, for every command that reads: a record copied twice into a
//! file, records that share an id, what `doctor` says about the files set aside beside
//! the data, counts that `status` and `contact add` agree on, and a search that finds
//! text however another tool escaped it. Each case runs the real binary.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{Env, stderr};

/// A low scrypt work factor for speed (only the tests set it; see docs/security.md).
const TEST_WORK_FACTOR: &str = "10";

fn lines(env: &Env, name: &str) -> Vec<String> {
    std::fs::read_to_string(env.file(name))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn append(env: &Env, name: &str, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(env.file(name))
        .unwrap();
    writeln!(f, "{line}").unwrap();
}

/// The id in a journal line.
fn id_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["id"].as_str().unwrap().to_string()
}

/// The files named `damaged-…` in the data directory.
fn set_aside(env: &Env) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(env.data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("damaged-"))
        })
        .collect();
    found.sort();
    found
}

fn stdout(out: &Output) -> String {
    common::squash(&String::from_utf8_lossy(&out.stdout))
}

/// The `log --short` lines that name `id`.
fn listed(env: &Env, id: &str) -> usize {
    env.ok(&["log", "--short"], "")
        .lines()
        .filter(|l| l.contains(id))
        .count()
}

// ---- item: a record copied twice is one entry -----------------------------------------

#[test]
fn a_record_copied_twice_is_one_entry_to_every_reader_and_doctor_sets_the_copy_aside() {
    let env = Env::new();
    env.ok(&["write", "the first entry"], "");
    env.ok(&["write", "the second entry"], "");
    let first = lines(&env, "journal.jsonl")[0].clone();
    let id = id_of(&first);
    append(&env, "journal.jsonl", &first);

    // Listed once, both ways and with -n; shown by its whole id; exported once.
    assert_eq!(listed(&env, &id), 1);
    let reverse = env.ok(&["log", "--short", "--reverse"], "");
    assert_eq!(reverse.lines().filter(|l| l.contains(&id)).count(), 1);
    let newest = env.ok(&["log", "--short", "-n", "5"], "");
    assert_eq!(newest.lines().filter(|l| l.contains(&id)).count(), 1);
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["log", "--json"], "")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2, "{json}");
    assert!(env.ok(&["show", &id], "").contains("the first entry"));
    let export: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"], "")).unwrap();
    assert_eq!(export["entries"].as_array().unwrap().len(), 2);

    // doctor says so, and changes nothing until asked.
    let report = env.run(&["doctor"], "");
    let text = stdout(&report);
    assert_eq!(report.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "1 extra copy of records held on earlier lines (read once everywhere): line 3"
        ),
        "{text}"
    );
    assert!(!text.contains("Everything is readable"), "{text}");
    assert_eq!(lines(&env, "journal.jsonl").len(), 3);

    // --repair moves the copy aside (its bytes kept) and leaves the rest as it was.
    let repaired = stdout(&env.run(&["doctor", "--repair", "--yes"], ""));
    assert!(repaired.contains("Moved 1 extra copy aside"), "{repaired}");
    let aside = set_aside(&env);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read_to_string(&aside[0]).unwrap(),
        first.clone() + "\n"
    );
    assert_eq!(lines(&env, "journal.jsonl").len(), 2);
    assert_eq!(lines(&env, "journal.jsonl")[0], first);
    assert!(env.ok(&["doctor"], "").contains("Everything is readable"));
}

#[test]
fn a_record_copied_twice_is_edited_and_deleted_as_one() {
    let env = Env::new();
    env.ok(&["write", "words to change"], "");
    let first = lines(&env, "journal.jsonl")[0].clone();
    let id = id_of(&first);
    append(&env, "journal.jsonl", &first);
    env.ok(&["edit", &id, "--text", "changed words"], "");
    // The copy goes with the record it copies: no old text comes back.
    let after = lines(&env, "journal.jsonl");
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].contains("changed words"));
    assert_eq!(listed(&env, &id), 1);

    append(&env, "journal.jsonl", &after[0]);
    let out = env.run(&["delete", &id, "--yes"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(lines(&env, "journal.jsonl").is_empty());
    assert_eq!(listed(&env, &id), 0);
}

#[test]
fn different_records_sharing_an_id_are_each_read_and_doctor_gives_them_ids_of_their_own() {
    let env = Env::new();
    env.ok(&["write", "the original"], "");
    let first = lines(&env, "journal.jsonl")[0].clone();
    let id = id_of(&first);
    let other = first.replace("the original", "another text");
    append(&env, "journal.jsonl", &other);

    // Both are listed; neither is hidden.
    let log = env.ok(&["log", "--short"], "");
    assert!(
        log.contains("the original") && log.contains("another text"),
        "{log}"
    );
    // A whole id that two different records hold cannot pick one: said so, with the way out.
    for args in [
        vec!["show", id.as_str()],
        vec!["delete", id.as_str(), "--yes"],
        vec!["edit", id.as_str(), "--text", "x"],
    ] {
        let out = env.run(&args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = stderr(&out);
        assert!(
            said.contains(&format!("2 different entries share the id {id}"))
                && said.contains("exback doctor --repair"),
            "{args:?}: {said}"
        );
    }
    assert_eq!(lines(&env, "journal.jsonl"), [first.clone(), other.clone()]);

    let text = stdout(&env.run(&["doctor"], ""));
    assert!(
        text.contains(&format!(
            "id {id} is held by 2 different records (each is read): line 1, 2"
        )),
        "{text}"
    );
    let repaired = stdout(&env.run(&["doctor", "--repair", "--yes"], ""));
    assert!(
        repaired.contains("Gave 1 record sharing an id a new id"),
        "{repaired}"
    );
    let after = lines(&env, "journal.jsonl");
    assert_eq!(after[0], first);
    let new_id = id_of(&after[1]);
    assert_ne!(new_id, id);
    assert_eq!(after[1], other.replace(&id, &new_id));
    // The record as it was is kept aside; each one now has an id of its own.
    let aside = set_aside(&env);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), other + "\n");
    assert!(env.ok(&["show", &id], "").contains("the original"));
    assert!(env.ok(&["show", &new_id], "").contains("another text"));
}

/// A command with the passphrase given by file, for an encrypted directory.
fn sealed(env: &Env, args: &[&str]) -> Command {
    let pass = env.tmp.path().join("pass");
    std::fs::write(&pass, "lantern harbour quiet\n").unwrap();
    let mut cmd = env.cmd(args);
    cmd.env("EXBACK_PASSPHRASE_FILE", &pass)
        .env_remove("EXBACK_PASSPHRASE_COMMAND")
        .env("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR", TEST_WORK_FACTOR);
    cmd
}

fn sealed_ok(env: &Env, args: &[&str]) -> String {
    let out = common::run_with(sealed(env, args), "");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_replayed_sealed_line_is_one_entry_and_can_be_deleted() {
    let env = Env::new();
    sealed_ok(&env, &["write", "kept under lock"]);
    sealed_ok(&env, &["encrypt"]);
    let line = lines(&env, "journal.jsonl")[0].clone();
    assert!(line.contains("\"sealed\""), "{line}");
    append(&env, "journal.jsonl", &line);
    let log = sealed_ok(&env, &["log", "--short"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    let id = log.split_whitespace().nth(2).unwrap().to_string();
    assert!(sealed_ok(&env, &["show", &id]).contains("kept under lock"));

    let out = common::run_with(sealed(&env, &["doctor"]), "");
    let text = stdout(&out);
    assert!(text.contains("1 extra copy of records"), "{text}");

    let out = common::run_with(sealed(&env, &["delete", &id, "--yes"]), "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(lines(&env, "journal.jsonl").is_empty());
}

// ---- item: one reader, one meaning ---------------------------------------------------------

#[test]
fn a_line_log_lists_is_one_show_finds_and_doctor_calls_readable() {
    let env = Env::new();
    env.ok(&["write", "a good entry"], "");
    let good = lines(&env, "journal.jsonl")[0].clone();
    let no_version = r#"{"id":"aaaaaaaaaaaa","at":"2026-11-29T20:00:00+01:00","kind":"note","answer":"no version"}"#;
    let ids_as_text = r#"{"v":1,"id":"bbbbbbbbbbbb","at":"2026-11-29T20:01:00+01:00","kind":"note","answer":"ids as text","option_ids":"x"}"#;
    append(&env, "journal.jsonl", no_version);
    append(&env, "journal.jsonl", ids_as_text);

    let out = env.run(&["log", "--short"], "");
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(listed.contains("a good entry"), "{listed}");
    for (id, line) in [("aaaaaaaaaaaa", 2), ("bbbbbbbbbbbb", 3)] {
        assert!(
            !listed.contains(id),
            "log does not list what show cannot find: {listed}"
        );
        assert!(
            stderr(&out).contains(&format!("journal.jsonl:{line}:")),
            "log warns about line {line}: {}",
            stderr(&out)
        );
        let show = env.run(&["show", id], "");
        assert_eq!(show.status.code(), Some(1));
    }
    let report = stdout(&env.run(&["doctor"], ""));
    assert!(report.contains("2 lines damaged, 1 readable"), "{report}");
    assert_eq!(lines(&env, "journal.jsonl")[0], good);
}

// ---- item: doctor lists what was set aside -------------------------------------------------

#[test]
fn doctor_lists_every_file_set_aside_with_its_size_date_and_how_to_look_at_it() {
    let env = Env::new();
    env.ok(&["write", "before the crash"], "");
    let torn = r#"{"v":1,"id":"cut","at":"2026-11"#;
    std::fs::write(
        env.file("journal.jsonl"),
        std::fs::read_to_string(env.file("journal.jsonl")).unwrap() + torn,
    )
    .unwrap();
    // The next save sets the torn tail aside.
    env.ok(&["write", "after the crash"], "");
    let aside = set_aside(&env);
    assert_eq!(aside.len(), 1, "{aside:?}");
    // Its date is shown in the reader's zone (+01:00 in November in these tests).
    let written = chrono::DateTime::parse_from_rfc3339("2026-11-29T19:15:00Z").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&aside[0])
        .unwrap()
        .set_modified(written.into())
        .unwrap();
    // One left by an older tool, by another name.
    std::fs::write(env.file("merged-20261101-journal.jsonl"), "{}\n").unwrap();

    let out = env.run(&["doctor"], "");
    assert!(out.status.success());
    let text = stdout(&out);
    let name = aside[0].file_name().unwrap().to_string_lossy().into_owned();
    let date = "2026-11-29 20:15";
    assert!(
        text.contains("Set aside beside your data (exback never deletes these files):"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{name} {} bytes, {date}", torn.len())),
        "{text}"
    );
    assert!(
        text.contains("merged-20261101-journal.jsonl 3 bytes,"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Look at one with `less {}/NAME`",
            env.data().display()
        )),
        "{text}"
    );
    assert!(text.contains("Everything is readable."), "{text}");
}

// ---- item: counts and searches that agree ----------------------------------------------------

/// Onboarded with the breakup on 2026-10-18 (six weeks before `common::NOW`).
fn onboarded() -> Env {
    let env = Env::new();
    env.ok(&["next"], &common::onboarding_lines(false, false));
    env
}

fn status_json(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["status", "--json"], "")).unwrap()
}

#[test]
fn a_contact_before_the_breakup_is_counted_and_said_to_be_left_out_of_the_pace() {
    let env = onboarded();
    env.ok(
        &[
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--at",
            "2026-10-01",
        ],
        "",
    );
    let status = common::squash(&env.ok(&["status"], ""));
    let json = status_json(&env);
    assert_eq!(json["pacing"]["contacts_logged"], 1);
    assert_eq!(json["pacing"]["contacts_before_breakup"], 1);
    let out = env.run(
        &[
            "contact",
            "add",
            "--channel",
            "call",
            "--from",
            "them",
            "--at",
            "2026-10-02",
        ],
        "",
    );
    let said = common::squash(&String::from_utf8_lossy(&out.stdout))
        + " "
        + &common::squash(&String::from_utf8_lossy(&out.stderr));
    for text in [&status, &said] {
        assert!(!text.contains("nothing logged yet"), "{text}");
    }
    assert!(
        status.contains("1 contact logged, none that counts for the pace")
            && status.contains("left out of the pace: 1 from before the breakup"),
        "{status}"
    );
    assert!(
        said.contains("2 contacts logged, none that counts for the pace")
            && said.contains("left out of the pace: 2 from before the breakup"),
        "{said}"
    );
}

#[test]
fn a_contact_and_a_check_in_dated_after_now_are_counted_and_the_clock_questioned() {
    let env = onboarded();
    env.set_now(Some("2026-12-05T10:00:00+01:00"));
    env.ok(&["contact", "add", "--channel", "text", "--from", "me"], "");
    env.ok(&["mood", "6"], "");
    // The clock is set back.
    env.set_now(Some(common::NOW));
    let status = common::squash(&env.ok(&["status"], ""));
    let json = status_json(&env);
    assert_eq!(json["pacing"]["contacts_logged"], 1);
    assert_eq!(json["pacing"]["contacts_after_now"], 1);
    assert_eq!(json["mood"]["check_ins_logged"], 1);
    assert_eq!(json["mood"]["check_ins_after_now"], 1);
    assert!(!status.contains("nothing logged yet"), "{status}");
    assert!(!status.contains("no check-ins yet"), "{status}");
    assert!(
        status.contains("left out of the pace: 1 dated after now (is the clock right?)"),
        "{status}"
    );
    assert!(
        status.contains(
            "no check-in in the last 30 days · 1 check-in dated after now (is the clock right?)"
        ),
        "{status}"
    );
}

#[test]
fn grep_finds_a_slash_however_it_was_stored() {
    let env = Env::new();
    env.make_data();
    std::fs::write(
        env.file("journal.jsonl"),
        concat!(
            r#"{"v":1,"id":"aaaaaaaaaaaa","at":"2026-11-20T10:00:00+01:00","kind":"note","answer":"either\/or, as another tool wrote it"}"#,
            "\n",
            r#"{"v":1,"id":"bbbbbbbbbbbb","at":"2026-11-21T10:00:00+01:00","kind":"note","answer":"either/or, as exback writes it"}"#,
            "\n",
        ),
    )
    .unwrap();
    for args in [
        vec!["log", "--short", "--grep", "either/or"],
        vec!["log", "--short", "--grep", "Either/Or", "-n", "5"],
    ] {
        let found = env.ok(&args, "");
        assert!(
            found.contains("aaaaaaaaaaaa") && found.contains("bbbbbbbbbbbb"),
            "{args:?}: {found}"
        );
    }
}

// ---- item: smaller messages and imports -----------------------------------------------------

#[test]
fn an_encrypted_export_says_what_opens_it_for_its_format() {
    let env = Env::new();
    sealed_ok(&env, &["write", "kept under lock"]);
    sealed_ok(&env, &["encrypt"]);
    for (format, file, says) in [
        ("json", "backup.age", "`exback import` reads it"),
        ("markdown", "journal.md.age", "`age -d "),
    ] {
        let path = env.tmp.path().join(file);
        let out = common::run_with(
            sealed(
                &env,
                &["export", "--format", format, "-o", path.to_str().unwrap()],
            ),
            "",
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let said = stderr(&out);
        assert!(said.contains(says), "{format}: {said}");
        if format == "markdown" {
            assert!(!said.contains("exback import"), "{said}");
            assert!(said.contains(&format!("`age -d {}` opens it to read", path.display())));
        }
    }
}

#[test]
fn a_content_pack_file_that_is_not_a_regular_file_gets_advice_for_a_pack() {
    let env = Env::new();
    let pack = env.content_pack();
    let one = pack.join("02-prepare.toml");
    std::fs::remove_file(&one).unwrap();
    std::fs::create_dir(&one).unwrap();
    let out = env.run(&["--content-dir", pack.to_str().unwrap(), "steps"], "");
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("02-prepare.toml: cannot read: it is a folder; exback reads a content pack only from regular files"),
        "{said}"
    );
    assert!(said.contains("--content-dir"), "{said}");
    assert!(!said.contains("data directory"), "{said}");
}

#[test]
fn an_empty_jrnl_entry_is_left_out_and_counted() {
    let env = Env::new();
    let jrnl = serde_json::json!({
        "tags": {},
        "entries": [
            {"title": "A real entry.", "body": "", "date": "2021-03-02", "time": "09:15", "tags": [], "starred": false},
            {"title": "", "body": "", "date": "2021-03-03", "time": "10:00", "tags": [], "starred": false},
            {"title": "  ", "body": "\n\n", "date": "2021-03-04", "time": "11:00", "tags": ["@x"], "starred": true},
        ]
    });
    let out = env.run(&["import", "-"], &jrnl.to_string());
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Imported 1 entry from"), "{said}");
    assert!(
        said.contains("Left out 2 entries with no text (a blank entry is never saved)."),
        "{said}"
    );
    let all: serde_json::Value = serde_json::from_str(&env.ok(&["log", "--json"], "")).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["answer"], "A real entry.");
}

/// The words `contact`, `doctor`, `export`, `import` and `content check` say come from
/// the content pack in use, like the steps: a pack that rewords them is heard.
#[test]
fn the_commands_that_keep_the_journal_say_the_words_of_the_content_pack() {
    let env = Env::new();
    let pack = env.content_pack();
    let screens = pack.join("screens.toml");
    let mut text = std::fs::read_to_string(&screens).unwrap();
    for (from, to) in [
        (
            "logged_from_you = \"Logged:",
            "logged_from_you = \"Written down:",
        ),
        // The one of [contact], after its logged lines ([page] has its own).
        (
            "never sends anything.\"\nchannel_text = \"a message\"",
            "never sends anything.\"\nchannel_text = \"a text\"",
        ),
        (
            "none_logged = \"No contacts logged yet.",
            "none_logged = \"Nothing here yet.",
        ),
        (
            "all_readable = \"Everything is readable.\"",
            "all_readable = \"It all reads.\"",
        ),
        ("plain = \"Exported to", "plain = \"Written to"),
        (
            "imported = \"Imported {n} entries",
            "imported = \"Brought in {n} entries",
        ),
        (
            "valid = \"{dir}: a valid workbook",
            "valid = \"{dir}: a good workbook",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&screens, text).unwrap();
    let with_pack = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("EXBACK_CONTENT_DIR", &pack);
        common::run_with(cmd, "")
    };

    let out = with_pack(&["contact", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Nothing here yet."),
        "{}",
        stderr(&out)
    );
    let out = with_pack(&["contact", "add", "--channel", "text", "--from", "me"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Written down: a text from you, 2026-11-29 20:15."),
        "{}",
        stderr(&out)
    );
    let out = with_pack(&["doctor"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("It all reads."), "{said}");
    assert!(!said.contains("Everything is readable."), "{said}");

    let file = env.tmp.path().join("export.json");
    let out = with_pack(&["export", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(&format!(
            "Written to {} (readable by you only).",
            file.display()
        )),
        "{said}"
    );
    let out = with_pack(&["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Brought in 0 entries from "), "{said}");
    let out = with_pack(&["content", "check", pack.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!("{}: a good workbook: 7 steps", pack.display())),
        "{said}"
    );
}
