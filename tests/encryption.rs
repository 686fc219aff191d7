//! Encryption at rest: every command on an encrypted data directory, the passphrase
//! (wrong, missing, changed), kills during writes and conversions, two writers, damage,
//! and that no answer text ever reaches a file of the data directory.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{Env, answer_lines, onboarding_lines, stderr, workbook};

/// A low scrypt work factor for speed (only the tests set it; see docs/security.md).
const TEST_WORK_FACTOR: &str = "10";
const PASS: &str = "lantern harbour quiet";
/// Words that appear only in answers; none may appear in any file of the data directory.
const SECRETS: &[&str] = &[
    "marmalade",
    "lighthouse",
    "cinnamon",
    "saxophone",
    "answer to",
    "my version",
];

struct Enc {
    env: Env,
    pass_file: PathBuf,
}

impl Enc {
    fn new() -> Self {
        let env = Env::new();
        let pass_file = env.tmp.path().join("pass");
        std::fs::write(&pass_file, format!("{PASS}\nignored second line\n")).unwrap();
        Self { env, pass_file }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.env.cmd(args);
        cmd.env("EXBACK_PASSPHRASE_FILE", &self.pass_file)
            .env_remove("EXBACK_PASSPHRASE_COMMAND")
            .env("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR", TEST_WORK_FACTOR);
        cmd
    }

    fn run(&self, args: &[&str], input: &str) -> Output {
        common::run_with(self.cmd(args), input)
    }

    fn ok(&self, args: &[&str], input: &str) -> String {
        let out = self.run(args, input);
        assert!(
            out.status.success(),
            "exback {args:?} failed: {}\n{}",
            out.status,
            stderr(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A journal with entries, progress, a contact, a mood and a draft, then encrypted.
    fn filled() -> Self {
        let e = Self::new();
        e.ok(&["write", "marmalade on the windowsill"], "");
        e.ok(&["write", "the lighthouse walk"], "");
        let s1 = workbook().step(1).cloned().unwrap();
        e.ok(
            &["next"],
            &(onboarding_lines(false, false) + "y\n" + common::SKIP_MOOD + &answer_lines(&s1, 0)),
        );
        e.ok(
            &[
                "contact",
                "add",
                "--channel",
                "text",
                "--from",
                "them",
                "--felt",
                "6",
                "--note",
                "cinnamon buns",
            ],
            "",
        );
        e.ok(&["mood", "5", "saxophone", "evening"], "");
        e.ok(&["draft", "a cinnamon letter never sent"], "");
        e.ok(&["encrypt"], "");
        e
    }
}

/// Every file in the data directory (temp and damaged files included), with its bytes.
fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn assert_no_plaintext(dir: &Path) {
    for (path, bytes) in all_files(dir) {
        for secret in SECRETS {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret:?} appears in {}",
                path.display()
            );
        }
    }
}

fn ids(e: &Enc) -> Vec<String> {
    e.ok(&["log", "--short"], "")
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect()
}

#[test]
fn every_command_works_on_an_encrypted_directory_and_nothing_is_in_plain_text() {
    let e = Enc::filled();
    let data = e.env.data();
    assert!(data.join("key.age").exists());
    assert_no_plaintext(&data);

    // Reading: every format of log, show, status, steps, mood, contact, draft list.
    let log = e.ok(&["log"], "");
    assert!(log.contains("marmalade on the windowsill") && log.contains("lighthouse walk"));
    assert!(e.ok(&["log", "--short"], "").contains("marmalade"));
    assert!(
        e.ok(&["log", "--json"], "")
            .contains("\"answer\": \"the lighthouse walk\"")
            || e.ok(&["log", "--json"], "")
                .contains("\"answer\":\"the lighthouse walk\"")
    );
    assert!(
        e.ok(&["log", "--format", "markdown"], "")
            .contains("marmalade")
    );
    assert!(
        e.ok(&["log", "--grep", "LIGHTHOUSE", "--short"], "")
            .contains("lighthouse")
    );
    let id = ids(&e)
        .into_iter()
        .find(|id| e.ok(&["show", id], "").contains("marmalade"))
        .expect("the marmalade entry");
    assert!(e.ok(&["show", &id, "--json"], "").contains("marmalade"));
    // Status is read from the sealed files: the breakup date from onboarding, the
    // contact, today's mood, and step 1 answered up to its readiness check.
    let status = e.ok(&["status"], "");
    for shown in [
        "2026-10-18",
        "1 contact in the last 7 days",
        "today 5/10",
        "readiness check of step 1",
    ] {
        assert!(
            status.contains(shown),
            "{shown:?} missing from status:\n{status}"
        );
    }
    assert!(
        e.ok(&["steps", "--json"], "")
            .contains("\"status\": \"current\"")
    );
    assert!(e.ok(&["mood", "--json"], "").contains("\"score\": 5"));
    assert!(e.ok(&["contact", "list"], "").contains("cinnamon buns"));
    assert!(e.ok(&["draft", "list"], "").contains("cinnamon letter"));

    // Writing: write, next (line mode), edit, delete, mood, contact, draft.
    e.ok(&["write", "a saxophone in the rain"], "");
    let s1 = workbook().step(1).cloned().unwrap();
    e.ok(
        &["next", "--step", "1"],
        &(String::from(common::SKIP_MOOD) + &answer_lines(&s1, 0)),
    );
    e.ok(&["edit", &id, "--text", "marmalade, edited"], "");
    assert!(e.ok(&["show", &id], "").contains("marmalade, edited"));
    let gone = ids(&e)
        .into_iter()
        .find(|i| e.ok(&["show", i], "").contains("saxophone in the rain"))
        .unwrap();
    e.ok(&["delete", &gone, "--yes"], "");
    assert!(!e.ok(&["log"], "").contains("saxophone in the rain"));
    e.ok(&["mood", "7", "lighthouse", "morning"], "");
    e.ok(&["contact", "add", "--channel", "call", "--from", "me"], "");
    assert_eq!(e.ok(&["contact", "list"], "").matches("· from").count(), 2);
    assert!(e.ok(&["doctor"], "").contains("Everything is readable"));
    assert_no_plaintext(&data);

    // Export: encrypted by default, plain with --plaintext; the page only with it.
    let sealed = e.env.tmp.path().join("out.age");
    let plain = e.env.tmp.path().join("out.json");
    e.ok(&["export", "-o", sealed.to_str().unwrap()], "");
    let bytes = std::fs::read(&sealed).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    assert!(!bytes.windows(9).any(|w| w == b"marmalade"));
    e.ok(
        &["export", "--plaintext", "-o", plain.to_str().unwrap()],
        "",
    );
    let exported = std::fs::read_to_string(&plain).unwrap();
    for secret in ["marmalade", "saxophone", "cinnamon buns", "cinnamon letter"] {
        assert!(exported.contains(secret), "{secret} is exported");
    }
    let page = e.run(&["export", "--format", "html"], "");
    assert_eq!(page.status.code(), Some(1));
    assert!(stderr(&page).contains("--plaintext"));
    assert!(page.stdout.is_empty());
    let page = e.ok(&["export", "--format", "html", "--plaintext"], "");
    assert!(page.contains("marmalade"));

    // Import both kinds into a fresh encrypted directory.
    let other = Enc::new();
    std::fs::copy(&e.pass_file, &other.pass_file).unwrap();
    other.ok(&["write", "first"], "");
    other.ok(&["encrypt"], "");
    other.ok(&["import", sealed.to_str().unwrap()], "");
    assert!(other.ok(&["log"], "").contains("lighthouse walk"));
    let third = Enc::new();
    third.ok(&["import", plain.to_str().unwrap()], "");
    third.ok(&["import", sealed.to_str().unwrap()], "");
    assert!(third.ok(&["log"], "").contains("lighthouse walk"));
    assert_no_plaintext(&other.env.data());
}

#[test]
fn a_wrong_or_missing_passphrase_exits_1_and_changes_nothing() {
    let e = Enc::filled();
    let before = all_files(&e.env.data());
    std::fs::write(&e.pass_file, "not it\n").unwrap();
    for args in [
        &["log"][..],
        &["write", "more"],
        &["decrypt"],
        &["passphrase"],
        &["export"],
    ] {
        let out = e.run(args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("wrong passphrase"), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    let mut cmd = e.env.cmd(&["log"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE")
        .env_remove("EXBACK_PASSPHRASE_COMMAND");
    let out = common::run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    let text = common::squash(&stderr(&out));
    assert!(text.contains("EXBACK_PASSPHRASE_FILE") && text.contains("EXBACK_PASSPHRASE_COMMAND"));
    // Without the passphrase, doctor still checks the form of every record.
    let mut cmd = e.env.cmd(&["doctor"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE");
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("form of every record"));
    assert_eq!(before, all_files(&e.env.data()));
}

#[test]
fn the_passphrase_can_come_from_a_command() {
    let e = Enc::filled();
    let mut cmd = e.env.cmd(&["log", "--short"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE").env(
        "EXBACK_PASSPHRASE_COMMAND",
        format!("printf '{PASS}\\nx\\n'"),
    );
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("marmalade"));
    let mut cmd = e.env.cmd(&["log"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE")
        .env("EXBACK_PASSPHRASE_COMMAND", "exit 3");
    let out = common::run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("EXBACK_PASSPHRASE_COMMAND failed"));
}

#[test]
fn changing_the_passphrase_rewrites_only_the_key() {
    let e = Enc::filled();
    let data_files = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        all_files(dir)
            .into_iter()
            .filter(|(p, _)| !p.ends_with("key.age"))
            .collect()
    };
    let before = data_files(&e.env.data());
    let new_file = e.env.tmp.path().join("new");
    std::fs::write(&new_file, "a brand new passphrase\n").unwrap();
    let mut cmd = e.cmd(&["passphrase"]);
    cmd.env("EXBACK_NEW_PASSPHRASE_FILE", &new_file);
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(before, data_files(&e.env.data()));
    let old = e.run(&["log"], "");
    assert_eq!(old.status.code(), Some(1));
    assert!(stderr(&old).contains("wrong passphrase"));
    std::fs::copy(&new_file, &e.pass_file).unwrap();
    assert!(e.ok(&["log"], "").contains("marmalade"));
}

#[test]
fn decrypt_gives_back_the_plain_directory() {
    let e = Enc::filled();
    let log = e.ok(&["log", "--json"], "");
    e.ok(&["decrypt"], "");
    assert!(!e.env.file("key.age").exists());
    let journal = std::fs::read_to_string(e.env.file("journal.jsonl")).unwrap();
    assert!(journal.contains("marmalade") && !journal.contains("sealed"));
    let mut cmd = e.env.cmd(&["log", "--json"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE");
    let out = common::run_with(cmd, "");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), log);
}

#[test]
fn a_damaged_sealed_record_costs_only_itself() {
    let e = Enc::filled();
    let path = e.env.file("journal.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let total = lines.len();
    // Flip one base64 character in the middle of the first record.
    let mut chars: Vec<char> = lines[0].chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    lines[0] = chars.into_iter().collect();
    // And move a mood record into the journal: it must not open there.
    let mood = std::fs::read_to_string(e.env.file("moods.jsonl")).unwrap();
    lines.push(mood.lines().next().unwrap().to_string());
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = e.run(&["log", "--short"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(shown.lines().count(), total - 1);
    assert!(shown.contains("lighthouse"));
    let warn = stderr(&out);
    assert!(warn.contains("journal.jsonl:1:1") && warn.contains("does not open"));
    assert!(warn.contains(&format!("journal.jsonl:{}:1", total + 1)));
    let report = e.run(&["doctor"], "");
    assert_eq!(report.status.code(), Some(1));
    // A decrypt refuses rather than lose the line with the key.
    let before = all_files(&e.env.data());
    let out = e.run(&["decrypt"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing was decrypted"));
    assert_eq!(before, all_files(&e.env.data()));
    e.ok(&["doctor", "--repair", "--yes"], "");
    e.ok(&["decrypt"], "");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("lighthouse")
    );
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let e = Enc::filled();
    let spawn = |who: &str| {
        let mut cmds = Vec::new();
        for i in 0..15 {
            let mut c = e.cmd(&["write", &format!("{who} lighthouse {i}")]);
            c.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            cmds.push(c);
        }
        cmds
    };
    let (a, b) = (spawn("alpha"), spawn("beta"));
    let run_all = |cmds: Vec<Command>| {
        std::thread::spawn(move || {
            for mut c in cmds {
                assert!(c.status().unwrap().success());
            }
        })
    };
    let (ta, tb) = (run_all(a), run_all(b));
    ta.join().unwrap();
    tb.join().unwrap();
    let log = e.ok(&["log", "--short"], "");
    for who in ["alpha", "beta"] {
        for i in 0..15 {
            assert!(log.contains(&format!("{who} lighthouse {i}")), "{who} {i}");
        }
    }
    assert_no_plaintext(&e.env.data());
}

/// Kills `cmd` after a random few milliseconds; true when it finished first.
fn run_and_kill(mut cmd: Command, after: Duration) -> bool {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    child.wait().unwrap().success()
}

#[test]
fn kill_9_during_encrypted_writes_loses_nothing_acknowledged() {
    let e = Enc::filled();
    let mut acknowledged = Vec::new();
    for i in 0..60u64 {
        let text = format!("lighthouse note {i}");
        if run_and_kill(
            e.cmd(&["write", &text]),
            Duration::from_micros(i * 997 % 9000),
        ) {
            acknowledged.push(text);
        }
    }
    let log = e.ok(&["log", "--short"], "");
    for text in &acknowledged {
        assert!(
            log.contains(text.as_str()),
            "{text} was acknowledged but is lost"
        );
    }
    assert!(e.ok(&["log"], "").contains("marmalade"));
    assert_no_plaintext(&e.env.data());
}

/// A plain journal of `n` entries, written directly (one process instead of `n`).
fn plain_journal(e: &Enc, n: usize) {
    std::fs::create_dir_all(e.env.data()).unwrap();
    let mut text = String::new();
    for i in 0..n {
        let _ = writeln!(
            text,
            "{{\"v\":1,\"id\":\"{i:012x}\",\"at\":\"2026-11-01T10:{:02}:00+01:00\",\"kind\":\"note\",\"answer\":\"marmalade {i} {}\"}}",
            i % 60,
            "and more words ".repeat(20)
        );
    }
    std::fs::write(e.env.file("journal.jsonl"), text).unwrap();
}

#[test]
fn kill_9_during_encrypt_and_decrypt_leaves_everything_readable_and_a_rerun_finishes() {
    let (mut killed, mut midway) = (0, 0);
    for round in 0..8u64 {
        let e = Enc::new();
        plain_journal(&e, 1500);
        e.ok(&["mood", "4", "cinnamon"], "");
        let expected = e.ok(&["log", "--short"], "");
        let after = Duration::from_millis(2 + round * 4);
        if !run_and_kill(e.cmd(&["encrypt"]), after) {
            killed += 1;
        }
        // Whatever the moment, everything reads back (with the passphrase).
        let out = e.run(&["log", "--short"], "");
        assert!(out.status.success(), "round {round}: {}", stderr(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            expected,
            "round {round}"
        );
        if common::squash(&stderr(&out)).contains("did not finish") {
            midway += 1;
        }
        e.ok(&["encrypt"], "");
        assert_no_plaintext(&e.env.data());
        assert_eq!(e.ok(&["log", "--short"], ""), expected);
        if !run_and_kill(e.cmd(&["decrypt"]), after) {
            killed += 1;
        }
        assert_eq!(e.ok(&["log", "--short"], ""), expected, "round {round}");
        e.ok(&["decrypt"], "");
        assert!(!e.env.file("key.age").exists());
        let mut plain = e.env.cmd(&["log", "--short"]);
        plain.env_remove("EXBACK_PASSPHRASE_FILE");
        assert_eq!(
            String::from_utf8(common::run_with(plain, "").stdout).unwrap(),
            expected
        );
    }
    println!("{killed} conversions killed, {midway} of them between two files");
    assert!(killed > 0, "some conversions must be cut short");
}

#[test]
fn an_unfinished_encryption_is_reported_and_finished_by_running_it_again() {
    let e = Enc::new();
    e.ok(&["write", "marmalade"], "");
    e.ok(&["mood", "4"], "");
    e.ok(&["encrypt"], "");
    // As if encrypt had been killed after sealing the journal but before the moods.
    let key = std::fs::read(e.env.file("key.age")).unwrap();
    let journal = std::fs::read(e.env.file("journal.jsonl")).unwrap();
    e.ok(&["decrypt"], "");
    std::fs::write(e.env.file("key.age"), key).unwrap();
    std::fs::write(e.env.file("journal.jsonl"), journal).unwrap();
    let out = e.run(&["log", "--short"], "");
    assert!(out.status.success());
    assert!(common::squash(&stderr(&out)).contains("did not finish"));
    e.ok(&["encrypt"], "");
    let out = e.run(&["log", "--short"], "");
    assert!(!stderr(&out).contains("did not finish"));
    let moods = std::fs::read_to_string(e.env.file("moods.jsonl")).unwrap();
    assert!(moods.starts_with("{\"v\":1,\"sealed\":"));
}

#[test]
fn the_editor_file_lives_in_a_private_folder_on_tmpfs_and_is_removed() {
    let e = Enc::filled();
    let runtime = e.env.tmp.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    let seen = e.env.tmp.path().join("seen");
    let editor = format!(
        "sh -c 'dirname \"$1\" > {seen}; ls -ld \"$(dirname \"$1\")\" >> {seen}; echo lighthouse edited > \"$1\"' sh",
        seen = seen.display()
    );
    let id = ids(&e)[0].clone();
    let mut cmd = e.cmd(&["edit", &id]);
    cmd.env("EDITOR", editor).env("XDG_RUNTIME_DIR", &runtime);
    let out = common::run_with_tty_stdin(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let seen = std::fs::read_to_string(&seen).unwrap();
    let folder = seen.lines().next().unwrap();
    assert!(folder.starts_with(runtime.to_str().unwrap()), "{seen}");
    assert!(
        seen.lines().nth(1).unwrap().starts_with("drwx------"),
        "{seen}"
    );
    assert!(!Path::new(folder).exists());
    assert!(e.ok(&["show", &id], "").contains("lighthouse edited"));
    assert_no_plaintext(&e.env.data());
}

#[test]
fn on_a_terminal_the_passphrase_is_asked_without_echo_twice_when_it_is_set() {
    use rexpect::session::spawn_command;
    let env = Env::new();
    let plain = env.cmd(&["write", "marmalade at dawn"]);
    assert!(common::run_with(plain, "").status.success());
    let tty = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("TERM", "xterm-256color")
            .env("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR", TEST_WORK_FACTOR)
            .env_remove("EXBACK_PASSPHRASE_FILE")
            .env_remove("EXBACK_PASSPHRASE_COMMAND");
        spawn_command(cmd, Some(30_000)).expect("exback starts in a pty")
    };
    let mut p = tty(&["encrypt"]);
    p.exp_string("Choose a passphrase").unwrap();
    p.send_line("tea kettle").unwrap();
    p.exp_string("Type it again").unwrap();
    p.send_line("tea kettle").unwrap();
    let said = p.exp_eof().unwrap();
    assert!(said.contains("encrypted"), "{said}");
    assert!(
        !said.contains("tea kettle"),
        "the passphrase is not echoed: {said}"
    );
    let mut p = tty(&["log", "--short"]);
    p.exp_string("Passphrase").unwrap();
    p.send_line("tea kettle").unwrap();
    let said = p.exp_eof().unwrap();
    assert!(
        said.contains("marmalade at dawn") && !said.contains("tea kettle"),
        "{said}"
    );
    let mut p = tty(&["log", "--short"]);
    p.exp_string("Passphrase").unwrap();
    p.send_line("coffee pot").unwrap();
    let said = p.exp_eof().unwrap();
    assert!(
        said.contains("wrong passphrase") && !said.contains("marmalade"),
        "{said}"
    );
}

#[test]
fn doctor_says_when_the_key_is_missing() {
    let e = Enc::filled();
    std::fs::remove_file(e.env.file("key.age")).unwrap();
    let mut cmd = e.env.cmd(&["doctor"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE");
    let out = common::run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("key.age") && text.contains("missing"),
        "{text}"
    );
    // Nothing is shown as if it were readable, and nothing was written.
    let out = e.run(&["log", "--short"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).trim().is_empty());
    assert!(stderr(&out).contains("key.age, the key that opens them, is missing"));
    assert_no_plaintext(&e.env.data());
}

/// The bytes of every file of the data directory, by name.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    all_files(dir)
}

#[test]
fn a_missing_key_file_keeps_the_directory_encrypted_and_nothing_is_written() {
    let e = Enc::filled();
    let key = std::fs::read(e.env.file("key.age")).unwrap();
    std::fs::remove_file(e.env.file("key.age")).unwrap();
    let before = snapshot(&e.env.data());
    let attempts: &[&[&str]] = &[
        &["write", "a new line"],
        &["draft", "a new draft"],
        &[
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--felt",
            "5",
        ],
        &["mood", "6"],
        &["log"],
        &["status"],
        &["encrypt"],
        &["decrypt"],
    ];
    for args in attempts {
        let out = e.run(args, "");
        assert_eq!(
            out.status.code(),
            Some(1),
            "exback {args:?}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(
            err.contains("key.age, the key that opens them, is missing")
                && err.trim().lines().count() == 1,
            "exback {args:?}: {err}"
        );
        assert_eq!(
            snapshot(&e.env.data()),
            before,
            "exback {args:?} changed a file"
        );
    }
    assert!(!e.env.file("key.age").exists(), "encrypt made no new key");

    // A dangling link in its place is no key either: refused, nothing written.
    std::os::unix::fs::symlink(e.env.tmp.path().join("nowhere"), e.env.file("key.age")).unwrap();
    let out = e.run(&["write", "through a dangling key"], "");
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_file(e.env.file("key.age")).unwrap();
    assert_eq!(snapshot(&e.env.data()), before);

    // With the key back, everything is there and writing works again, sealed.
    std::fs::write(e.env.file("key.age"), key).unwrap();
    e.ok(&["write", "saxophone again"], "");
    assert!(e.ok(&["log", "--short"], "").contains("saxophone again"));
    assert_no_plaintext(&e.env.data());
}

#[test]
fn a_key_from_another_directory_opens_nothing_and_nothing_is_repaired_with_it() {
    let e = Enc::filled();
    let other = Enc::new();
    other.ok(&["write", "someone else's words"], "");
    other.ok(&["encrypt"], "");
    let own = std::fs::read(e.env.file("key.age")).unwrap();
    std::fs::copy(other.env.file("key.age"), e.env.file("key.age")).unwrap();
    let before = snapshot(&e.env.data());
    for args in [
        &["log"][..],
        &["doctor"],
        &["doctor", "--repair", "--yes"],
        &["write", "a new line"],
        &["decrypt"],
    ] {
        let out = e.run(args, "");
        assert_eq!(out.status.code(), Some(1), "exback {args:?}");
        assert!(
            stderr(&out).contains("key.age opens none of the encrypted records"),
            "exback {args:?}: {}",
            stderr(&out)
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("No entries yet"));
        assert_eq!(
            snapshot(&e.env.data()),
            before,
            "exback {args:?} changed a file"
        );
    }
    std::fs::write(e.env.file("key.age"), own).unwrap();
    assert!(e.ok(&["log", "--short"], "").contains("lighthouse"));
    assert!(e.ok(&["doctor"], "").contains("Everything is readable"));
}

#[test]
fn encrypt_checks_every_file_before_it_saves_a_key() {
    let e = Enc::new();
    e.ok(&["write", "marmalade"], "");
    let elsewhere = e.env.tmp.path().join("moods-elsewhere.jsonl");
    std::fs::write(&elsewhere, "").unwrap();
    std::os::unix::fs::symlink(&elsewhere, e.env.file("moods.jsonl")).unwrap();
    let out = e.run(&["encrypt"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("moods.jsonl"), "{}", stderr(&out));
    assert!(
        !e.env.file("key.age").exists(),
        "no key beside files it cannot seal"
    );
    // Once the link is gone, encrypt and decrypt both work.
    std::fs::remove_file(e.env.file("moods.jsonl")).unwrap();
    e.ok(&["encrypt"], "");
    assert_no_plaintext(&e.env.data());
    e.ok(&["decrypt"], "");
    assert!(e.ok(&["log", "--short"], "").contains("marmalade"));
}

#[test]
fn a_passphrase_command_whose_child_holds_its_output_does_not_hang() {
    let e = Enc::new();
    e.ok(&["write", "marmalade"], "");
    e.ok(&["encrypt"], "");
    // The child's stderr goes elsewhere: the test itself reads exback's to its end.
    for command in [
        format!("echo '{PASS}'; sleep 60 2>/dev/null &"),
        format!("printf '%s' '{PASS}'; sleep 60 2>/dev/null &"),
    ] {
        let mut cmd = e.cmd(&["log", "--short"]);
        cmd.env_remove("EXBACK_PASSPHRASE_FILE")
            .env("EXBACK_PASSPHRASE_COMMAND", &command);
        let started = std::time::Instant::now();
        let out = common::run_with(cmd, "");
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("marmalade"));
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{command} took {:?}",
            started.elapsed()
        );
    }
    let mut cmd = e.cmd(&["log", "--short"]);
    cmd.env_remove("EXBACK_PASSPHRASE_FILE")
        .env("EXBACK_PASSPHRASE_COMMAND", "cat /dev/zero");
    let out = common::run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("larger than 64 KiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_passphrase_file_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;
    let e = Enc::new();
    e.ok(&["write", "marmalade"], "");
    std::fs::set_permissions(&e.pass_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    e.ok(&["encrypt"], "");
    assert!(!stderr(&e.run(&["log"], "")).contains("warning"));
    std::fs::set_permissions(&e.pass_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = e.run(&["log", "--short"], "");
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("can be read by other users (mode 644)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn too_little_memory_for_the_key_derivation_is_a_clear_error() {
    // The real work factor: the test factor needs next to no memory.
    let e = Enc::new();
    e.ok(&["write", "marmalade"], "");
    let mut cmd = e.cmd(&["encrypt"]);
    cmd.env_remove("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR");
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let before = snapshot(&e.env.data());
    for args in [["log", "--short"], ["write", "more"]] {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("ulimit -v 150000 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_exback"))
            .args(args);
        for (k, v) in e.cmd(&[]).get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let out = common::run_with(cmd, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("needs about 144 MB of memory"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(snapshot(&e.env.data()), before);
    }
}

#[test]
fn ctrl_c_or_sigterm_at_the_passphrase_prompt_stops_at_once_with_130() {
    use rexpect::process::{Signal, WaitStatus};
    use rexpect::session::spawn_command;
    let e = Enc::new();
    e.ok(&["write", "marmalade at dawn"], "");
    e.ok(&["encrypt"], "");
    for signal in [None, Some(Signal::SIGTERM)] {
        let mut cmd = e.cmd(&["log", "--short"]);
        cmd.env("TERM", "xterm-256color")
            .env_remove("EXBACK_PASSPHRASE_FILE");
        let mut p = spawn_command(cmd, Some(30_000)).expect("exback starts in a pty");
        p.exp_string("Passphrase").unwrap();
        p.send("half typ").unwrap();
        p.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let start = std::time::Instant::now();
        match signal {
            None => p.send_control('c').unwrap(),
            Some(signal) => p.process_mut().signal(signal).unwrap(),
        }
        let said = p
            .exp_eof()
            .unwrap_or_else(|e| panic!("{signal:?} did not stop the prompt: {e}"));
        let status = p.process().wait().unwrap();
        assert!(
            matches!(status, WaitStatus::Exited(_, 130)),
            "{signal:?}: {status:?}"
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{signal:?}: stopped only after {:?}",
            start.elapsed()
        );
        assert!(said.contains("Everything already saved is kept"), "{said}");
        assert!(!said.contains("half typ"), "no echo: {said}");
    }
}
