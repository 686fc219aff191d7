//! Bounded input (docs/storage.md, "Size limits"): every input exback reads has a
//! stated limit, is refused past it with one line, a non-zero exit and nothing written,
//! and Ctrl-C or SIGTERM ends a read at once, even one that waits for data.

mod common;

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Env, stderr};

/// Waits for `child` at most `within`; a child still running then is killed and the
/// test fails. Returns its output and how long it took.
fn finish(mut child: Child, within: Duration, what: &str) -> (Output, Duration) {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still runs after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = start.elapsed();
    (child.wait_with_output().unwrap(), took)
}

/// `cmd` run through `sh` with its address space limited to `mib` MiB (`ulimit -v`): an
/// input read whole into memory then fails with an allocation error, not the limit's
/// message.
fn in_memory_of(mib: u64, cmd: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib * 1024))
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    sh
}

fn spawn(mut cmd: Command, stdin: Stdio) -> Child {
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exback runs")
}

/// The refusal: exit 1 and one line on standard error that names the limit.
fn assert_refused(out: &Output, limit: &str, what: &str) {
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {text}");
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "{what}: one line: {text}"
    );
    assert!(
        text.starts_with("exback: ") && text.contains(&format!("larger than {limit}")),
        "{what}: {text}"
    );
}

#[test]
fn importing_dev_zero_ends_with_the_limit_in_seconds_and_bounded_memory() {
    let env = Env::new();
    // The import limit is 256 MiB; 640 MiB of address space holds it and exback, and
    // an unbounded read runs out of it.
    let cmd = in_memory_of(640, &env.cmd(&["import", "/dev/zero"]));
    let (out, took) = finish(
        spawn(cmd, Stdio::null()),
        Duration::from_secs(30),
        "import /dev/zero",
    );
    assert_refused(&out, "256 MiB", "import /dev/zero");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert!(!env.file("journal.jsonl").exists());
}

#[test]
fn a_sparse_file_larger_than_the_import_limit_is_refused_from_its_size() {
    let env = Env::new();
    env.ok(&["write", "already here"], "");
    let journal = std::fs::read(env.file("journal.jsonl")).unwrap();
    let sparse = env.tmp.path().join("sparse.json");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    // 1 GiB read whole cannot fit in 320 MiB of address space: only its size can
    // have refused it.
    let cmd = in_memory_of(320, &env.cmd(&["import", sparse.to_str().unwrap()]));
    let (out, took) = finish(
        spawn(cmd, Stdio::null()),
        Duration::from_secs(30),
        "import of a sparse file",
    );
    assert_refused(&out, "256 MiB", "import of a 1 GiB sparse file");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(std::fs::read(env.file("journal.jsonl")).unwrap(), journal);
}

/// Sends `signal` to the running `child`.
fn signal(child: &Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_child(child);
    rustix::process::kill_process(pid, signal).expect("the signal is sent");
}

#[test]
fn sigterm_or_ctrl_c_ends_an_import_waiting_on_a_fifo_at_once() {
    use rustix::process::Signal;
    let env = Env::new();
    let made = Command::new("mkfifo")
        .arg(env.tmp.path().join("fifo"))
        .status();
    if !common::tool_present("mkfifo", made.is_ok_and(|s| s.success())) {
        return;
    }
    let fifo = env.tmp.path().join("fifo");
    for (sig, writer_open) in [
        (Signal::TERM, true),
        (Signal::INT, true),
        (Signal::TERM, false),
    ] {
        // With a writer that never writes, exback waits in a read; without one, in
        // opening the FIFO.
        let writer = writer_open.then(|| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&fifo)
                .unwrap()
        });
        let what = format!("import of a FIFO ({sig:?}, writer open: {writer_open})");
        let mut child = spawn(env.cmd(&["import", fifo.to_str().unwrap()]), Stdio::null());
        std::thread::sleep(Duration::from_millis(400));
        assert!(child.try_wait().unwrap().is_none(), "{what}: still waiting");
        signal(&child, sig);
        let (out, took) = finish(child, Duration::from_secs(10), &what);
        assert_eq!(out.status.code(), Some(130), "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains("Nothing was imported"), "{what}");
        assert!(took < Duration::from_secs(2), "{what} took {took:?}");
        assert!(!env.file("journal.jsonl").exists(), "{what}");
        drop(writer);
    }
}

/// Runs `args` with `yes` (an endless stream of "y" lines) on standard input.
fn with_yes_piped(env: &Env, args: &[&str]) -> (Output, Duration) {
    let mut child = spawn(env.cmd(args), Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block = "y\n".repeat(32 * 1024);
        // Ends when exback stops reading (a broken pipe).
        while stdin.write_all(block.as_bytes()).is_ok() {}
    });
    let done = finish(
        child,
        Duration::from_secs(60),
        &format!("yes | exback {args:?}"),
    );
    writer.join().unwrap();
    done
}

#[test]
fn yes_piped_into_write_draft_or_import_is_refused_past_its_limit() {
    for (args, limit) in [
        (&["write"][..], "16 MiB"),
        (&["draft"], "16 MiB"),
        (&["import", "-"], "256 MiB"),
    ] {
        let env = Env::new();
        env.ok(&["write", "already here"], "");
        let journal = std::fs::read(env.file("journal.jsonl")).unwrap();
        let (out, took) = with_yes_piped(&env, args);
        assert_refused(&out, limit, &format!("yes | exback {args:?}"));
        assert!(took < Duration::from_secs(30), "{args:?} took {took:?}");
        assert_eq!(
            std::fs::read(env.file("journal.jsonl")).unwrap(),
            journal,
            "{args:?}"
        );
    }
}

#[test]
fn a_piped_answer_longer_than_one_answer_is_refused() {
    let env = Env::new();
    let mut child = spawn(env.cmd(&["next"]), Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    // The first question of the first run takes one line: this one never ends.
    let writer = std::thread::spawn(move || {
        let block = "a".repeat(64 * 1024);
        while stdin.write_all(block.as_bytes()).is_ok() {}
    });
    let (out, _) = finish(child, Duration::from_secs(60), "an endless answer to next");
    writer.join().unwrap();
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("larger than 16 MiB"), "{text}");
    assert!(!env.file("journal.jsonl").exists());
}

#[test]
fn a_passphrase_command_or_file_past_its_limit_is_refused() {
    let env = Env::new();
    env.ok(&["write", "already here"], "");
    let mut cmd = env.cmd(&["encrypt"]);
    cmd.env("EXBACK_PASSPHRASE_COMMAND", "yes a-very-long-passphrase")
        .env_remove("EXBACK_PASSPHRASE_FILE");
    let (out, _) = finish(
        spawn(cmd, Stdio::null()),
        Duration::from_secs(30),
        "an endless passphrase command",
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("EXBACK_PASSPHRASE_COMMAND") && text.contains("larger than 64 KiB"),
        "{text}"
    );
    assert!(!env.file("key.age").exists());

    let file = env.tmp.path().join("pass");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(1 << 20)
        .unwrap();
    let mut cmd = env.cmd(&["encrypt"]);
    cmd.env("EXBACK_PASSPHRASE_FILE", &file)
        .env_remove("EXBACK_PASSPHRASE_COMMAND");
    let (out, _) = finish(
        spawn(cmd, Stdio::null()),
        Duration::from_secs(30),
        "a huge passphrase file",
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("EXBACK_PASSPHRASE_FILE") && text.contains("larger than 64 KiB"),
        "{text}"
    );
    assert!(!env.file("key.age").exists());
}

#[test]
fn a_content_file_past_its_limit_is_refused_from_its_size() {
    let env = Env::new();
    let pack = env.tmp.path().join("pack");
    env.ok(&["content", "export", pack.to_str().unwrap()], "");
    std::fs::File::create(pack.join("zz-huge.toml"))
        .unwrap()
        .set_len(5 << 20)
        .unwrap();
    let (out, _) = finish(
        spawn(
            env.cmd(&["content", "check", pack.to_str().unwrap()]),
            Stdio::null(),
        ),
        Duration::from_secs(30),
        "content check",
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("zz-huge.toml") && text.contains("larger than 4 MiB"),
        "{text}"
    );
}

#[test]
fn the_help_states_the_limits() {
    let env = Env::new();
    let help = common::squash(&env.ok(&["--help"], ""));
    for limit in [
        "an import 256 MiB",
        "one answer or entry 16 MiB",
        "a passphrase file or command 64 KiB",
        "one content file 4 MiB",
    ] {
        assert!(help.contains(limit), "--help says {limit}: {help}");
    }
    let import = common::squash(&env.ok(&["import", "--help"], ""));
    assert!(
        import.contains("larger than 256 MiB is refused"),
        "{import}"
    );
    for command in ["write", "draft"] {
        let text = common::squash(&env.ok(&[command, "--help"], ""));
        assert!(
            text.contains("larger than 16 MiB is refused"),
            "{command}: {text}"
        );
    }
}

#[test]
fn an_editor_file_past_one_answer_is_refused_from_its_size() {
    let env = Env::new();
    let present = Command::new("truncate").arg("--version").output();
    if !common::tool_present("truncate", present.is_ok_and(|o| o.status.success())) {
        return;
    }
    // The "editor" leaves a sparse file of 17 MiB: only its size can refuse it in time.
    let mut cmd = env.cmd(&["write"]);
    cmd.env("EDITOR", "truncate -s 17M");
    let out = common::run_with_tty_stdin(cmd);
    let text = common::squash(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("what the editor saved") && text.contains("larger than 16 MiB"),
        "{text}"
    );
    assert!(!env.file("journal.jsonl").exists());
}
