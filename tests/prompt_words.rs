//! The prompters' own words (the key hints under a question, the line-by-line hints and
//! retry sentences) come from the content pack's `screens.toml`: a pack that rewords
//! them is heard, piped and on a terminal.

mod common;

use std::path::{Path, PathBuf};

use common::{Env, stderr};
use rexpect::session::spawn_command;

/// A copy of the built-in content, with `screens.toml`'s `from` lines replaced by
/// `to` (each must be there).
fn pack_with(env: &Env, changes: &[(&str, &str)]) -> PathBuf {
    let pack = env.content_pack();
    let file = pack.join("screens.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    for (from, to) in changes {
        assert!(text.contains(from), "{from} is in screens.toml");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&file, text).unwrap();
    let check = env.run(&["content", "check", pack.to_str().unwrap()], "");
    assert!(check.status.success(), "{}", stderr(&check));
    pack
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn piped_answers_are_asked_and_refused_with_the_packs_words() {
    let env = Env::new();
    let pack = pack_with(
        &env,
        &[
            ("text = \"(one line)\"", "text = \"(a line of your own)\""),
            ("confirm = \"(y/n)\"", "confirm = \"(yes or no)\""),
            (
                "select_retry = \"choose a number from 1 to {n}\"",
                "select_retry = \"only 1 to {n} are here\"",
            ),
            (
                "confirm_retry = \"answer y or n\"",
                "confirm_retry = \"yes or no, please\"",
            ),
            (
                "retry = \"{why}; try again\"",
                "retry = \"{why} (once more)\"",
            ),
        ],
    );
    let out = env.run(
        &["next", "--content-dir", arg(&pack)],
        "6 weeks ago\n9\n2\nmaybe\ny\nn\nn\n",
    );
    let said = stderr(&out);
    for heard in [
        "Roughly when did the relationship end? (a line of your own)",
        "only 1 to 4 are here (once more)",
        "(yes or no)",
        "yes or no, please (once more)",
    ] {
        assert!(said.contains(heard), "{heard:?} in {said}");
    }
    for gone in ["(one line)", "choose a number", "; try again", "(y/n)"] {
        assert!(!said.contains(gone), "{gone:?} in {said}");
    }
}

#[test]
fn a_terminal_draws_the_packs_key_hints_under_a_question() {
    let env = Env::new();
    let pack = pack_with(
        &env,
        &[
            (
                "text = \"(Enter saves · Alt-Enter or Ctrl-J starts a new line · Ctrl-C stops here)\"",
                "text = \"(Enter keeps it, Ctrl-C ends)\"",
            ),
            (
                "confirm = \"(y or n, then Enter · Esc stops here)\"",
                "confirm = \"(y or n, Enter, Esc)\"",
            ),
            (
                "confirm_retry = \"Type y for yes or n for no, then press Enter.\"",
                "confirm_retry = \"Only y or n, please.\"",
            ),
            ("no = \"no\"", "no = \"not that\""),
        ],
    );
    let mut cmd = env.cmd(&["next", "--content-dir", arg(&pack)]);
    cmd.env("TERM", "xterm-256color");
    let mut p = spawn_command(cmd, Some(30_000)).expect("exback starts in a pty");
    p.exp_string("Roughly when").expect("the date question");
    p.exp_string("(Enter keeps it, Ctrl-C ends)")
        .expect("the pack's keys under it");
    p.send("5 weeks ago\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Who ended it").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("(y or n, Enter, Esc)")
        .expect("the pack's keys under a yes/no question");
    p.send("maybe\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Only y or n, please.").unwrap();
    // The answer as shown once given: the pack's word for no.
    p.send("\x15n\r").unwrap();
    p.flush().unwrap();
    p.exp_string("not that").unwrap();
    p.send_control('c').unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_pager_that_fails_is_named_with_the_packs_words() {
    let env = Env::new();
    let pack = pack_with(
        &env,
        &[(
            "failed = \"(the pager {pager} did not run; here is the text without it)\"",
            "failed = \"(no pager: {pager} failed, so here it is as it is)\"",
        )],
    );
    for i in 1..=60 {
        env.ok(&["write", &format!("entry number {i}")], "");
    }
    let mut cmd = env.cmd(&["log", "--content-dir", arg(&pack)]);
    cmd.env("PAGER", "false");
    let out = common::run_with_tty_stdin(cmd);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("entry number 60"), "{text}");
    assert!(
        text.contains("(no pager: \"false\" failed, so here it is as it is)"),
        "{text}"
    );
    assert!(!text.contains("did not run"), "{text}");
}

/// `delete` asks on the terminal in the pack's words, its key hints too, and a "no"
/// keeps the entry.
#[test]
fn delete_asks_on_a_terminal_with_the_packs_words() {
    let env = Env::new();
    let id = env.ok(&["write", "kept words"], "").trim().to_string();
    let pack = pack_with(
        &env,
        &[
            (
                "question = \"Delete the entry of {date} (“{preview}”)? This cannot be undone\"",
                "question = \"Remove {preview} for good?\"",
            ),
            (
                "confirm = \"(y or n, then Enter · Esc stops here)\"",
                "confirm = \"(y or n, Enter, Esc)\"",
            ),
            (
                "kept = \"Nothing was deleted.\"",
                "kept = \"It is still there.\"",
            ),
        ],
    );
    let mut cmd = env.cmd(&["delete", &id, "--content-dir", arg(&pack)]);
    cmd.env("TERM", "xterm-256color");
    let mut p = spawn_command(cmd, Some(30_000)).expect("exback starts in a pty");
    p.exp_string("Remove kept words for good?")
        .expect("the pack's question");
    p.exp_string("(y or n, Enter, Esc)")
        .expect("the pack's keys under it");
    p.send("n\r").unwrap();
    p.flush().unwrap();
    p.exp_string("It is still there.").unwrap();
    p.exp_eof().unwrap();
    assert!(env.ok(&["log", "--short"], "").contains("kept words"));
}
