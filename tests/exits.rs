//! How a command ends: the exit code comes back from `run` to `main`, a closed standard
//! output ends quietly, and Ctrl-C ends with 130 and says so, wherever the work was.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use common::{Env, stderr};
use exback::testing::Exit;

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
        exback::testing::cli::Cli::parse_from(argv)
    };

    // Not interrupted: the import runs and `run` says nothing went wrong.
    let dry = env.tmp.path().join("empty.json");
    std::fs::write(&dry, r#"{"tags": {}, "entries": []}"#).unwrap();
    exback::testing::run(cli(&["import", dry.to_str().unwrap()]))
        .expect("an empty import succeeds");

    exback::testing::interrupt::request();
    let error = exback::testing::run(cli(&["import", file.to_str().unwrap()]))
        .expect_err("Ctrl-C comes back as an error");
    let exit = Exit::of(&error);
    assert_eq!(exit.code, 130);
    assert_eq!(
        exit.message.as_deref().map(str::trim),
        Some("Stopped. Nothing was imported.")
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

/// Starts `cmd` with standard input a pipe that stays open (`input` written to it
/// first), waits until it is blocked reading it, presses Ctrl-C, and returns how it
/// ended: within 30 s, or the test fails (a read that misses Ctrl-C waits for ever).
fn ctrl_c_while_reading_held_stdin(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Held open until the end (`wait` would close it, and the end of input would let
    // the read return).
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    wait_for_stdin_reader(child.id());
    send_ctrl_c(child.id());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still waiting for input 30 s after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    // What it said is short: it fits in the pipes, so reading after the end is safe.
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    Output {
        status,
        stdout,
        stderr,
    }
}

/// Waits until process `pid` has started the thread that reads standard input for it
/// (named `stdin`), which also means its Ctrl-C handler is installed.
fn wait_for_stdin_reader(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap();
        if tasks.flatten().any(|task| {
            std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == "stdin")
        }) {
            return;
        }
        assert!(Instant::now() < deadline, "exback never read its input");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send_ctrl_c(pid: u32) {
    let sent = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Ctrl-C while `next` waits for a piped line that never comes (the writer keeps the
/// pipe open): the prompt sees the flag while it waits, and `main` ends with 130 and the
/// usual words.
#[test]
fn ctrl_c_while_waiting_for_piped_input_still_stops_with_130() {
    let env = Env::new();
    let out = ctrl_c_while_reading_held_stdin(env.cmd(&["next"]), b"");
    let said = stderr(&out);
    assert!(said.contains("? "), "a question was asked: {said}");
    assert_eq!(out.status.code(), Some(130), "{said}");
    assert!(
        said.contains("Stopped. Everything already saved is kept."),
        "{said}"
    );
}

/// Ctrl-C while `write`, `draft` or `import -` waits for the rest of piped text: each
/// stops with 130, says that nothing was kept, and keeps nothing of the half it had.
#[test]
fn ctrl_c_while_piped_text_is_still_coming_saves_nothing() {
    let env = Env::new();
    env.ok(&["write", "already here"], "");
    let before = std::fs::read(env.file("journal.jsonl")).unwrap();
    for (args, said_at_the_end) in [
        (&["write"][..], "Stopped. Nothing was saved."),
        (&["draft"], "Stopped. Nothing was saved."),
        (&["import", "-"], "Stopped. Nothing was imported."),
    ] {
        let out = ctrl_c_while_reading_held_stdin(env.cmd(args), b"half a thou");
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(130), "exback {args:?}: {said}");
        assert!(said.contains(said_at_the_end), "exback {args:?}: {said}");
    }
    assert_eq!(std::fs::read(env.file("journal.jsonl")).unwrap(), before);
    let drafts = env.ok(&["draft", "list"], "");
    assert!(!drafts.contains("half a thou"), "{drafts}");
}

/// Set in the copy of this test binary that the next test starts: the data directory
/// its in-process `run` uses.
const IN_PROCESS_DATA: &str = "EXBACK_TEST_IN_PROCESS_DATA";

/// Ctrl-C while `next` waits on a held pipe comes back from `exback::testing::run` to its caller
/// as the 130 `Exit`, in the same process: nothing in the library ends the process, so
/// destructors run and `main` decides. The test starts a copy of its own binary, whose
/// standard input is the held pipe, to call `run` there; that copy reports what `run`
/// returned, which it could not do if the library had called `process::exit`.
#[test]
fn run_returns_ctrl_c_during_a_piped_read_to_its_caller() {
    const NAME: &str = "run_returns_ctrl_c_during_a_piped_read_to_its_caller";
    if let Some(data) = std::env::var_os(IN_PROCESS_DATA) {
        let cli = exback::testing::cli::Cli::parse_from([
            "exback".as_ref(),
            "--data-dir".as_ref(),
            data.as_os_str(),
            "next".as_ref(),
        ]);
        let exit = Exit::of(&exback::testing::run(cli).expect_err("Ctrl-C comes back as an error"));
        println!("run returned {} saying {:?}", exit.code, exit.message);
        return;
    }

    let env = Env::new();
    let mut copy = Command::new(std::env::current_exe().unwrap());
    copy.args([NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(IN_PROCESS_DATA, env.data())
        .env("EXBACK_NOW", common::NOW)
        .env("NO_COLOR", "1")
        .env("HOME", env.tmp.path());
    let out = ctrl_c_while_reading_held_stdin(copy, b"");
    let (said, reported) = (stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert!(said.contains("? "), "a question was asked: {said}");
    assert!(
        reported.contains(&format!(
            "run returned 130 saying {:?}",
            Some("\nStopped. Everything already saved is kept.")
        )),
        "stdout: {reported}\nstderr: {said}"
    );
    assert_eq!(out.status.code(), Some(0), "{reported}{said}");
}
