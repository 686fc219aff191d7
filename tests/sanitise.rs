//! Stored text and content-pack text never drive the terminal: every surface that prints
//! them shows control and bidi characters as visible placeholders, `--json` escapes them,
//! and a content pack that holds them is refused with its file and line.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::Env;

/// What a hostile record might hold: an OSC 52 clipboard write, a clear-screen, a DCS
/// string, a C1 CSI (U+009B), a right-to-left override and a line separator.
const HOSTILE: &str =
    "\u{1b}]52;c;aGVsbG8=\u{7} \u{1b}[2J \u{1b}P1$r\u{1b}\\ \u{9b}31m \u{202e}evil\u{2028}end";

/// True for a character that must never reach the terminal as it is (kept apart from
/// the code under test on purpose: the classes as the rule states them).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Both output streams hold no unsafe character (NO_COLOR is set, so exback's own
/// output has no escape sequence either).
#[track_caller]
fn assert_inert(out: &Output, what: &str) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text.chars().filter(|c| is_unsafe(*c)).collect();
        assert!(
            bad.is_empty(),
            "{what}: {name} holds {bad:?}:\n{}",
            text.escape_debug()
        );
    }
}

/// The hostile text as exback shows it.
#[track_caller]
fn assert_shown(text: &str, what: &str) {
    for shown in ["^[]52;c;aGVsbG8=^G", "^[[2J", "<U+009B>31m", "<U+202E>evil"] {
        assert!(
            text.contains(shown),
            "{what}: {shown:?} is not shown in:\n{}",
            text.escape_debug()
        );
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A journal with hostile text in every field that is printed: an entry of an unknown
/// kind with an unknown step id, an outcome with an unknown value, a draft; and a
/// contact with a hostile note.
fn hostile_env() -> Env {
    let env = Env::new();
    env.make_data();
    let h = json(HOSTILE);
    let journal = [
        format!(
            r#"{{"v":1,"id":"aaaaaaaaaaaa","at":"2026-11-20T12:00:00+01:00","kind":{h},"step_id":{h},"prompt":{h},"answer":{h},"tags":["calm"]}}"#
        ),
        format!(
            r#"{{"v":1,"id":"bbbbbbbbbbbb","at":"2026-11-21T12:00:00+01:00","kind":"outcome","outcome":{h},"answer":"over"}}"#
        ),
        format!(
            r#"{{"v":1,"id":"cccccccccccc","at":"2026-11-22T12:00:00+01:00","kind":"draft","answer":{h}}}"#
        ),
    ];
    std::fs::write(env.file("journal.jsonl"), journal.join("\n") + "\n").unwrap();
    let contact = format!(
        r#"{{"v":1,"id":"dddddddddddd","at":"2026-11-23T12:00:00+01:00","channel":"text","from":"me","note":{h}}}"#
    );
    std::fs::write(env.file("contacts.jsonl"), contact + "\n").unwrap();
    env
}

#[test]
fn log_show_and_draft_list_show_stored_controls_as_placeholders() {
    let env = hostile_env();
    for args in [
        &["log"][..],
        &["log", "--format", "markdown"],
        &["log", "--short"],
        &["log", "-n", "2"],
        &["show", "aaaa"],
        &["show", "bbbb"],
        &["draft", "list"],
        &["export", "--format", "markdown"],
    ] {
        let out = env.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        assert_inert(&out, &format!("{args:?}"));
    }
    let human = env.ok(&["log"], "");
    assert_shown(&human, "log");
    // The header: an unknown kind and step id, and an unknown outcome value.
    let header = human
        .lines()
        .find(|l| l.contains("aaaaaaaaaaaa"))
        .expect("the header of the entry");
    assert_shown(header, "log's header");
    assert!(
        human
            .lines()
            .any(|l| l.contains("bbbbbbbbbbbb") && l.contains("outcome: ^[]52;c;aGVsbG8=^G")),
        "{human}"
    );
    let markdown = env.ok(&["log", "--format", "markdown"], "");
    let heading = markdown
        .lines()
        .find(|l| l.starts_with("## ") && l.contains("<U+202E>"))
        .unwrap_or_else(|| panic!("a markdown header with the placeholders:\n{markdown}"));
    assert_shown(heading, "markdown header");
    assert_shown(&env.ok(&["show", "aaaa"], ""), "show");
    assert_shown(&env.ok(&["draft", "list"], ""), "draft list");
}

#[test]
fn contact_list_shows_a_stored_note_with_placeholders() {
    let env = hostile_env();
    let out = env.run(&["contact", "list"], "");
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_inert(&out, "contact list");
    assert_shown(&String::from_utf8_lossy(&out.stdout), "contact list");
}

/// Where the stored texts are in one command's JSON.
type TextsOf = fn(&serde_json::Value) -> Vec<String>;

/// The `--json` outputs escape every control and bidi character and still read back as
/// exactly the stored text.
#[test]
fn json_outputs_escape_controls_and_read_back_the_same() {
    let env = hostile_env();
    let cases: [(&[&str], TextsOf); 4] = [
        (&["log", "--json"], |v| {
            let all = v.as_array().unwrap();
            let a = all.iter().find(|e| e["id"] == "aaaaaaaaaaaa").unwrap();
            let b = all.iter().find(|e| e["id"] == "bbbbbbbbbbbb").unwrap();
            ["kind", "step_id", "prompt", "answer"]
                .iter()
                .map(|k| a[k].as_str().unwrap().to_string())
                .chain([b["outcome"].as_str().unwrap().to_string()])
                .collect()
        }),
        (&["show", "aaaa", "--json"], |v| {
            vec![v["answer"].as_str().unwrap().to_string()]
        }),
        (&["contact", "list", "--json"], |v| {
            vec![v[0]["note"].as_str().unwrap().to_string()]
        }),
        (&["draft", "list", "--json"], |v| {
            vec![v[0]["text"].as_str().unwrap().to_string()]
        }),
    ];
    for (args, texts) in cases {
        let out = env.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        assert_inert(&out, &format!("{args:?}"));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.contains(r"\u009b") && stdout.contains(r"\u202e") && stdout.contains(r"\u2028"),
            "{args:?}: {stdout}"
        );
        let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
        for text in texts(&value) {
            assert_eq!(text, HOSTILE, "{args:?}");
        }
    }
}

/// The built-in content, exported to a folder the test can change.
fn pack(env: &Env) -> PathBuf {
    let dir = env.tmp.path().join("pack");
    env.ok(&["content", "export", dir.to_str().unwrap()], "");
    dir
}

/// Replaces `from` (which must be there) by `to` in a file of the pack, and gives the
/// line it is on.
fn change(pack: &Path, file: &str, from: &str, to: &str) -> usize {
    let path = pack.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} in {file}"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    text[..at].matches('\n').count() + 1
}

#[test]
fn content_check_refuses_control_and_bidi_characters_with_file_and_line() {
    let env = Env::new();
    let dir = pack(&env);
    let pack_arg = dir.to_str().unwrap();
    env.ok(&["content", "check", pack_arg], "");
    // Raw in the file (TOML allows C1 and bidi characters as they are), and escaped
    // (TOML's \u escape): both are refused.
    let title = change(
        &dir,
        "01-understand.toml",
        "title = \"Understand why the breakup happened\"",
        "title = \"Understand\u{9b}2J why \u{202e}the breakup happened\"",
    );
    let guidance = change(
        &dir,
        "01-understand.toml",
        "\"Be honest rather than harsh.",
        "\"Be \\u001b]52;c;aGVsbG8=\\u0007honest rather than harsh.",
    );
    let support = change(
        &dir,
        "00-welcome.toml",
        "title = \"Where to find help\"",
        "title = \"Where to find \\u2066help\"",
    );
    let out = env.run(&["content", "check", pack_arg], "");
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    assert_inert(&out, "content check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (file, line, what) in [
        ("01-understand.toml", title, "U+009B"),
        ("01-understand.toml", title, "U+202E"),
        ("01-understand.toml", guidance, "U+001B"),
        ("00-welcome.toml", support, "U+2066"),
    ] {
        let at = format!("{file}:{line}: ");
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(what)),
            "{at} {what} in:\n{stdout}"
        );
    }
}

/// Every command that shows content-pack text refuses such a pack the way `content
/// check` does, and never shows its text raw meanwhile.
#[test]
fn a_pack_with_control_characters_is_refused_by_every_command_that_shows_it() {
    let env = Env::new();
    let dir = pack(&env);
    let pack_arg = dir.to_str().unwrap();
    let line = change(
        &dir,
        "01-understand.toml",
        "title = \"Understand why the breakup happened\"",
        "title = \"Understand\\u001b]52;c;aGVsbG8=\\u0007 \u{9b}2J why \u{202e}the breakup happened\"",
    );
    change(
        &dir,
        "00-welcome.toml",
        "title = \"Where to find help\"",
        "title = \"Where to find \u{202e}help\"",
    );
    env.ok(
        &["write", "a free entry, so that log has something to show"],
        "",
    );
    for args in [
        &["steps"][..],
        &["steps", "--json"],
        &["support"],
        &["support", "--json"],
        &["status"],
        &["status", "--json"],
        &["next"],
        &["log"],
        &["log", "--format", "markdown"],
        &[],
    ] {
        let mut cmd = env.cmd(args);
        cmd.args(["--content-dir", pack_arg]);
        let out = common::run_with(cmd, &common::onboarding_lines(false, false));
        assert_inert(&out, &format!("{args:?}"));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            common::stderr(&out)
        );
        assert!(
            common::stderr(&out).contains(&format!("01-understand.toml:{line}: ")),
            "{args:?}: {}",
            common::stderr(&out)
        );
    }
}
