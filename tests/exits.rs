//! How a command ends: the exit code comes back from `run` to `main`, a closed standard
//! output ends quietly, and Ctrl-C ends with 130 and says so, wherever the work was.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use common::Env;
use exback::Exit;

/// `run` returns Ctrl-C as an `Exit` of 130 instead of ending the process, so that the
/// caller (and here a test) decides; an import stopped this way changes nothing.
#[test]
fn run_returns_the_exit_code_of_ctrl_c_to_its_caller() {
    let env = Env::new();
    env.ok(&["write", "already here"], "");
    let before = std::fs::read(env.file("journal.jsonl")).unwrap();
    let file = env.tmp.path().join("jrnl.json");
    std::fs::write(
        &file,
        r#"{"tags": {}, "entries": [{"title": "imported", "body": "", "date": "2026-11-01", "time": "09:00", "tags": [], "starred": false}]}"#,
    )
    .unwrap();
    let data = env.data();
    let cli = |args: &[&str]| {
        let mut argv = vec!["exback", "--data-dir", data.to_str().unwrap()];
        argv.extend_from_slice(args);
        exback::cli::Cli::parse_from(argv)
    };

    // Not interrupted: the import runs and `run` says nothing went wrong.
    let dry = env.tmp.path().join("empty.json");
    std::fs::write(&dry, r#"{"tags": {}, "entries": []}"#).unwrap();
    exback::run(cli(&["import", dry.to_str().unwrap()])).expect("an empty import succeeds");

    exback::interrupt::request();
    let error = exback::run(cli(&["import", file.to_str().unwrap()]))
        .expect_err("Ctrl-C comes back as an error");
    let exit = Exit::of(&error);
    assert_eq!(exit.code, 130);
    assert_eq!(
        exit.message.as_deref().map(str::trim),
        Some("Stopped. Everything already saved is kept.")
    );
    assert_eq!(
        std::fs::read(env.file("journal.jsonl")).unwrap(),
        before,
        "nothing was imported"
    );
}

/// Runs `args` with standard output a pipe whose reading end is already closed, as
/// `exback ARGS | head -c1` is once head has its byte.
fn with_closed_stdout(env: &Env, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    env.cmd(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_standard_output_ends_every_command_quietly() {
    let env = Env::new();
    let id = env.ok(&["write", "an entry to print"], "");
    env.ok(&["draft", "a draft to list"], "");
    env.ok(&["mood", "5"], "");
    for args in [
        &["export"][..],
        &["export", "--format", "markdown"],
        &["export", "--format", "html"],
        &["mood"],
        &["man"],
        &["completions", "bash"],
        &["log"],
        &["log", "--short"],
        &["log", "--json"],
        &["show", id.trim()],
        &["steps"],
        &["status"],
        &["draft", "list"],
        &["write", "saved, though its id cannot be printed"],
    ] {
        let out = with_closed_stdout(&env, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "exback {args:?} with stdout closed: {stderr}"
        );
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
            "exback {args:?} says nothing about the closed pipe: {stderr}"
        );
    }
    let log = env.ok(&["log", "--short"], "");
    assert!(log.contains("saved, though its id"), "{log}");
}

/// Ctrl-C while `next` waits for a piped line: the prompt cannot see the flag while it
/// is blocked reading, so the handler stops the process itself after a grace period,
/// with the same code and words.
#[test]
fn ctrl_c_while_waiting_for_piped_input_still_stops_with_130() {
    let env = Env::new();
    let mut child = env
        .cmd(&["next"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first question, so that the handler is installed and the read begun.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("? ") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "a question is asked"
        );
    }
    // Held open until exback has ended (`wait` would close it, and the end of input
    // would let the prompt return).
    let stdin = child.stdin.take();
    let start = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(
        rest.contains("Stopped. Everything already saved is kept."),
        "{rest}"
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    drop(stdin);
}
