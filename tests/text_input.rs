//! Where the text of `write`, `draft` and `edit` comes from: the argument, else piped
//! standard input, else the editor, through one path with the same rules for each.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Env, stderr};
use rexpect::process::WaitStatus;

/// An editor that ignores Ctrl-C (as vim and nano do), says when it is open, waits
/// for the test's go-ahead, then writes `text`.
fn patient_editor(env: &Env, text: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let editor = env.tmp.path().join("editor.sh");
    let go = env.tmp.path().join("go");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\ntrap '' INT\necho editor-open\nwhile [ ! -e '{go}' ]; do sleep 0.05; done\n\
             rm -f '{go}'\nprintf '%s\\n' '{text}' > \"$1\"\n",
            go = go.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    (editor, go)
}

/// Ctrl-C pressed while the editor is open belongs to the editor, in all three commands:
/// exback keeps waiting, then saves what was written and exits 0.
#[test]
fn ctrl_c_in_the_editor_is_the_editors_in_write_edit_and_draft() {
    let env = Env::new();
    let id = env.ok(&["write", "first words"], "");
    for (args, text) in [
        (vec!["write"], "written through Ctrl-C"),
        (vec!["draft"], "drafted through Ctrl-C"),
        (vec!["edit", id.trim()], "edited through Ctrl-C"),
    ] {
        let (editor, go) = patient_editor(&env, text);
        let mut cmd: Command = env.cmd(&args);
        cmd.env("TERM", "xterm-256color").env("EDITOR", &editor);
        let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
        p.exp_string("editor-open").unwrap();
        p.send_control('c').unwrap();
        // Give a wrongly delivered Ctrl-C time to stop exback before the editor ends.
        std::thread::sleep(std::time::Duration::from_millis(300));
        std::fs::write(&go, "").unwrap();
        let shown = p.exp_eof().unwrap();
        assert!(
            matches!(p.process().wait().unwrap(), WaitStatus::Exited(_, 0)),
            "exback {args:?} went on after Ctrl-C in the editor: {shown}"
        );
        assert!(!shown.contains("Stopped"), "{shown}");
        let log = env.ok(&["log", "--short"], "");
        assert!(log.contains(text), "exback {args:?} saved the text: {log}");
    }
}

/// Bytes that are not UTF-8, piped into `write` or `draft`: the same clear refusal, and
/// nothing saved.
#[test]
fn invalid_utf8_piped_in_is_refused_the_same_way_by_write_and_draft() {
    let env = Env::new();
    let mut messages = Vec::new();
    for command in ["write", "draft"] {
        let mut child = env
            .cmd(&[command])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"caf\xe9 au lait\n")
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        let message = stderr(&out);
        assert_eq!(
            message.trim(),
            "exback: standard input is not valid UTF-8 text (first bad byte at offset 3); nothing was saved",
            "{command}"
        );
        messages.push(message);
    }
    assert_eq!(messages[0], messages[1]);
    assert!(!env.file("journal.jsonl").exists(), "nothing was saved");
}
