//! Shared helpers for the integration tests: a private data dir per test and the
//! real binary run against it.
// Each test file uses its own part of these helpers, as `pub` items of its `common` module.
#![allow(dead_code, unreachable_pub)]

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use exback::testing::workbook::{PathKind, PromptKind, Step, Workbook};

pub mod seen;
pub mod tree;

/// The time every test runs at unless it says otherwise (`EXBACK_NOW`), so that a
/// test never straddles midnight and the mood check-in is asked predictably.
pub const NOW: &str = "2026-11-29T20:15:00+01:00";

/// The answer that skips the mood check-in `exback next` offers once a day, from the
/// second run on: an empty line.
pub const SKIP_MOOD: &str = "\n";

/// A temporary data directory and the binary pointed at it.
pub struct Env {
    pub tmp: tempfile::TempDir,
    now: Mutex<Option<String>>,
}

impl Env {
    pub fn new() -> Self {
        Self {
            tmp: tempfile::tempdir().expect("temp dir"),
            now: Mutex::new(Some(NOW.to_string())),
        }
    }

    /// Pins the clock of the following runs (RFC 3339), or lets it run with `None`.
    pub fn set_now(&self, now: Option<&str>) {
        *self.now.lock().unwrap() = now.map(str::to_string);
    }

    /// The data directory (not created until exback first saves).
    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.data().join(name)
    }

    /// Makes the data directory as exback would (private, 0700), for a test that writes
    /// its files by hand.
    pub fn make_data(&self) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(self.data()).unwrap();
        std::fs::set_permissions(self.data(), std::fs::Permissions::from_mode(0o700)).unwrap();
        self.data()
    }

    /// A copy of the built-in content folder in `pack` under the temp dir, to change.
    pub fn content_pack(&self) -> PathBuf {
        let pack = self.tmp.path().join("pack");
        std::fs::create_dir_all(&pack).unwrap();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/content")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), pack.join(entry.file_name())).unwrap();
        }
        pack
    }

    /// A command for the real binary with a clean environment around the data dir.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_exback"));
        cmd.args(args)
            .env("EXBACK_DATA_DIR", self.data())
            .env("NO_COLOR", "1")
            .env_remove("EXBACK_CONTENT_DIR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .env("HOME", self.tmp.path())
            // The reader's zone: +01:00 in November, like NOW (no tz database needed).
            .env("TZ", "CET-1CEST,M3.5.0,M10.5.0/3");
        match &*self.now.lock().unwrap() {
            Some(now) => cmd.env("EXBACK_NOW", now),
            None => cmd.env_remove("EXBACK_NOW"),
        };
        cmd
    }

    /// Runs exback with `input` on stdin.
    pub fn run(&self, args: &[&str], input: &str) -> Output {
        run_with(self.cmd(args), input)
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str], input: &str) -> String {
        let out = self.run(args, input);
        assert!(
            out.status.success(),
            "exback {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }
}

pub fn run_with(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exback runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("exback finishes");
    writer.join().expect("stdin writer");
    out
}

/// Standard error with runs of white space folded to one space, so that text wrapped
/// to the terminal width still matches the sentence it came from.
/// Runs with standard input and output on a pseudo-terminal, so that the command takes
/// its terminal path (opening the editor, for example). Both output streams arrive mixed,
/// in `stdout` and again in `stderr`.
pub fn run_with_tty_stdin(cmd: Command) -> Output {
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn in a pty");
    let text = session.exp_eof().expect("finishes");
    let status = session.process().wait().expect("exit status");
    let code = match status {
        rexpect::process::WaitStatus::Exited(_, code) => code,
        _ => 128,
    };
    Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(code << 8),
        stdout: text.clone().into_bytes(),
        stderr: text.into_bytes(),
    }
}

pub fn stderr(out: &Output) -> String {
    squash(&String::from_utf8_lossy(&out.stderr))
}

/// Folds runs of white space to one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn workbook() -> Workbook {
    Workbook::embedded().expect("built-in workbook")
}

/// Onboarding answers as piped lines: a date, who ended it, no-contact, unsafe, and
/// no practical reasons to stay in touch.
pub fn onboarding_lines(no_contact: bool, felt_unsafe: bool) -> String {
    onboarding_lines_on("6 weeks ago", no_contact, felt_unsafe)
}

/// The same onboarding answers with the breakup on a date of the caller's choosing.
pub fn onboarding_lines_on(breakup: &str, no_contact: bool, felt_unsafe: bool) -> String {
    format!("{breakup}\n2\n{}\n{}\nn\n", yn(no_contact), yn(felt_unsafe))
}

/// Every answer to `step` and a readiness check that passes, as piped lines: the step
/// done, up to the question whether to go on.
pub fn step_lines(step: &Step) -> String {
    answer_lines(step, 0) + &readiness_lines(step, true)
}

/// Options (1-based) that no reaction of `p` answers to, so a walk goes straight on.
fn quiet_options(p: &exback::testing::workbook::Prompt) -> Vec<usize> {
    p.options
        .iter()
        .enumerate()
        .filter(|(_, o)| !p.reactions.iter().any(|r| r.options.contains(&o.id)))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The yes/no answer no reaction of `p` answers to.
fn quiet_yes_no(reactions: &[exback::testing::workbook::Reaction]) -> &'static str {
    if reactions.iter().any(|r| r.answer == Some(false)) {
        "y"
    } else {
        "n"
    }
}

/// A score no reaction of `p` answers to.
fn quiet_score(p: &exback::testing::workbook::Prompt) -> u8 {
    (1..=10)
        .rev()
        .find(|n| {
            !p.reactions
                .iter()
                .any(|r| r.range.is_some_and(|[lo, hi]| (lo..=hi).contains(n)))
        })
        .unwrap_or(6)
}

fn yn(b: bool) -> &'static str {
    if b { "y" } else { "n" }
}

/// One piped answer per prompt of `step` from prompt `from`; text answers name the prompt id.
pub fn answer_lines(step: &Step, from: usize) -> String {
    let mut out = String::new();
    for p in &step.prompts_on(PathKind::Full)[from..] {
        match p.kind {
            PromptKind::ShortText | PromptKind::LongText => {
                let _ = writeln!(out, "my answer to {}", p.id);
            }
            PromptKind::YesNo => {
                let _ = writeln!(out, "{}", quiet_yes_no(&p.reactions));
            }
            PromptKind::Choice => {
                let _ = writeln!(out, "{}", quiet_options(p)[0]);
            }
            PromptKind::Scale => {
                let _ = writeln!(out, "{}", quiet_score(p));
            }
            PromptKind::Checklist => {
                // Up to two options that bring no reaction.
                let q = quiet_options(p);
                let picked: Vec<String> = q.iter().take(2).map(ToString::to_string).collect();
                let _ = writeln!(out, "{}", picked.join(","));
            }
            PromptKind::Template => {
                let _ = writeln!(out, "1\nmy version for {}", p.id);
            }
        }
    }
    out
}

/// Readiness answers that pass (or fail on the first check).
pub fn readiness_lines(step: &Step, pass: bool) -> String {
    let mut out = String::new();
    for (i, c) in step.checks_on(PathKind::Full).into_iter().enumerate() {
        let _ = writeln!(
            out,
            "{}",
            yn(if pass || i > 0 { c.expect } else { !c.expect })
        );
    }
    out
}

/// Mode bits of a path (unix).
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

/// Whether a test that needs an outside tool may run: true when the tool is there.
/// Without it the test is skipped with a note, unless `EXBACK_REQUIRE_TOOLS=1` (set by
/// `.ci/run`), where a missing tool fails the test instead of letting it pass untested.
pub fn tool_present(tool: &str, present: bool) -> bool {
    if present {
        return true;
    }
    assert!(
        std::env::var("EXBACK_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "{tool} is missing or does not work here, and EXBACK_REQUIRE_TOOLS=1 says this test must run"
    );
    println!(
        "skipped: {tool} is missing or does not work here (EXBACK_REQUIRE_TOOLS=1 makes this fail)"
    );
    false
}

/// A small deterministic generator, so a failing random test can be repeated from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The seed of a random test: `EXBACK_TEST_SEED` replays one, else the clock picks one.
/// It is printed, so that a failing run can be replayed.
pub fn test_seed() -> u64 {
    let seed = std::env::var("EXBACK_TEST_SEED").map_or_else(
        |_| {
            u64::from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos(),
            )
        },
        |s| {
            s.trim()
                .parse()
                .expect("EXBACK_TEST_SEED is a whole number")
        },
    ) | 1;
    println!("seed {seed} (EXBACK_TEST_SEED={seed} replays this run)");
    seed
}
