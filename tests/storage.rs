//! Never lose a word: kills, concurrency, damage, injected failures, privacy and odd
//! input, all against the real binary.

mod common;

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Env, answer_lines, onboarding_lines, readiness_lines, run_with, stderr, workbook};

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

/// Every non-blank line of a JSONL file parses as a JSON object.
fn all_lines_parse(path: &Path) -> bool {
    read(path)
        .split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .all(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok_and(|v| v.is_object()))
}

/// EXBACK_TEST_KILLS raises the number of kills for a long run by hand (CI keeps the
/// default, 200); EXBACK_TEST_SEED replays a run (see `common::test_seed`).
fn kills() -> usize {
    std::env::var("EXBACK_TEST_KILLS").map_or(200, |s| {
        s.trim()
            .parse()
            .expect("EXBACK_TEST_KILLS is a whole number")
    })
}

/// The contents of every `damaged-…` file in the data directory (each private).
fn set_aside(env: &Env) -> Vec<Vec<u8>> {
    let mut found: Vec<Vec<u8>> = std::fs::read_dir(env.data())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("damaged-"))
        .inspect(|e| assert_eq!(common::mode(&e.path()), 0o600))
        .map(|e| read(&e.path()))
        .collect();
    found.sort();
    found
}

#[test]
fn kill_9_at_random_moments_never_loses_an_acknowledged_entry() {
    let env = Env::new();
    let kills = kills();
    let seed = common::test_seed();
    let mut rng = common::Rng(seed);
    let s1 = workbook().step(1).cloned().unwrap();
    let mut acknowledged = Vec::new();
    let (mut killed, mut progress_runs) = (0, 0);
    let mut i = 0;
    while killed < kills && i < kills * 10 {
        i += 1;
        let mut cmd = if i % 4 == 3 {
            // Progress rewrites too: onboarding again plus the first answers of step 1.
            progress_runs += 1;
            let mut c = env.cmd(&["next", "--onboarding"]);
            c.stdin(std::process::Stdio::piped());
            c
        } else {
            let mut c = env.cmd(&["write", &format!("entry number {i}")]);
            c.stdin(std::process::Stdio::null());
            c
        };
        let mut child = cmd
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let input =
                onboarding_lines(false, false) + "y\n" + common::SKIP_MOOD + &answer_lines(&s1, 0);
            let _ = stdin.write_all(input.as_bytes());
        }
        std::thread::sleep(Duration::from_micros(rng.below(4000)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            if i % 4 != 3 {
                acknowledged.push(format!("entry number {i}"));
            }
        } else {
            killed += 1;
        }
    }
    println!(
        "{killed} of {i} runs killed, {} writes acknowledged, {progress_runs} progress runs",
        acknowledged.len()
    );
    assert!(
        killed >= kills,
        "at least {kills} runs are killed before they finish ({killed} were)"
    );
    assert!(
        !acknowledged.is_empty(),
        "some runs finish, so there is something to check"
    );

    // Straight after the kills, a save cut short may end the journal; it is never
    // damage: doctor finds nothing wrong and reads do not warn.
    let torn_at_end = read(&env.file("journal.jsonl"))
        .last()
        .is_some_and(|b| *b != b'\n');
    let doctor = env.run(&["doctor"], "");
    assert!(
        doctor.status.success(),
        "seed {seed}: doctor finds nothing damaged right after the kills: {}",
        String::from_utf8_lossy(&doctor.stdout)
    );
    assert!(
        stderr(&env.run(&["log", "-n", "1"], "")).is_empty(),
        "seed {seed}: log does not warn"
    );
    // The next save sets any such tail aside, so every line of the journal parses.
    env.ok(&["write", "after the kills"], "");
    println!(
        "torn tails set aside: {} (one left at the end: {torn_at_end})",
        set_aside(&env).len()
    );
    let journal = env.file("journal.jsonl");
    assert!(
        all_lines_parse(&journal),
        "seed {seed}: every journal line parses"
    );
    if env.file("progress.json").exists() {
        let p: serde_json::Value = serde_json::from_slice(&read(&env.file("progress.json")))
            .expect("progress.json parses");
        assert_eq!(p["format_version"], 1);
    }
    let texts: HashSet<String> = read(&journal)
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .filter_map(|v| v["answer"].as_str().map(str::to_string))
        .collect();
    for text in &acknowledged {
        assert!(texts.contains(text), "acknowledged entry {text:?} survived");
    }
    let doctor = env.run(&["doctor"], "");
    assert!(
        doctor.status.success(),
        "doctor finds nothing damaged: {}",
        String::from_utf8_lossy(&doctor.stdout)
    );
}

#[test]
fn two_writers_and_two_progress_updaters_at_once_lose_nothing() {
    let env = Env::new();
    let wb = workbook();
    env.ok(&["next"], &onboarding_lines(false, false));
    std::thread::scope(|scope| {
        for writer in ["A", "B"] {
            let env = &env;
            scope.spawn(move || {
                for i in 0..200 {
                    let out = env.run(&["write", "--tag", writer, &format!("{writer}-{i}")], "");
                    assert!(out.status.success(), "{}", stderr(&out));
                }
            });
        }
        // One process walks steps 1 to 3 (a progress update per answer) ...
        let walker = scope.spawn(|| {
            let mut input = common::SKIP_MOOD.to_string();
            for n in 1..=3 {
                let step = wb.step(n).unwrap();
                input += &answer_lines(step, 0);
                input += &readiness_lines(step, true);
                input += if n < 3 { "y\n" } else { "n\n" };
            }
            let out = env.run(&["next"], &input);
            assert!(out.status.success(), "{}", stderr(&out));
        });
        // ... while another keeps rewriting the onboarding answers.
        for _ in 0..20 {
            let out = env.run(
                &["next", "--onboarding"],
                &(onboarding_lines(false, false) + "n\n"),
            );
            assert!(out.status.success(), "{}", stderr(&out));
        }
        walker.join().unwrap();
    });

    let journal = read(&env.file("journal.jsonl"));
    let entries: Vec<serde_json::Value> = journal
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let notes: HashSet<&str> = entries
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["answer"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes.len(),
        400,
        "all 400 free entries are there, once each"
    );
    let progress: serde_json::Value =
        serde_json::from_slice(&read(&env.file("progress.json"))).unwrap();
    for n in 1..=3u8 {
        let step = wb.step(n).unwrap();
        let p = &progress["steps"][&step.id];
        assert!(p["completed_at"].is_string(), "step {n} stays completed");
        assert_eq!(
            p["answered"].as_array().unwrap().len(),
            step.prompts_on(exback::testing::workbook::PathKind::Full)
                .len(),
            "no answered prompt lost in step {n}"
        );
    }
    assert!(progress["onboarding"].is_object());
}

/// A data dir with a few entries and onboarding done; returns the entry texts.
fn seeded(env: &Env) -> Vec<&'static str> {
    env.ok(
        &["next"],
        &(onboarding_lines(false, false) + "What happened, in short.\n"),
    );
    let texts = vec![
        "the first free entry",
        "the second free entry",
        "the third free entry",
    ];
    for t in &texts {
        env.ok(&["write", t], "");
    }
    texts
}

fn commands() -> Vec<(Vec<&'static str>, &'static str)> {
    vec![
        (vec!["log"], ""),
        (vec!["log", "-n", "2"], ""),
        (vec!["steps"], ""),
        (vec![], ""),
        (vec!["doctor"], ""),
        (vec!["write", "written after the damage"], ""),
        (vec!["next"], "an answer given after the damage\n"),
    ]
}

type Damage = fn(&mut Vec<u8>);

/// Ways a journal gets damaged, by name.
fn damages() -> [(&'static str, Damage); 4] {
    [
        ("truncated mid-line", |j| {
            let n = j.len();
            j.truncate(n - 15);
        }),
        ("byte flipped", |j| {
            let i = j.iter().position(|b| *b == b'"').unwrap() + 40;
            j[i] = 0xff;
        }),
        ("invalid JSON line", |j| {
            let i = j.iter().position(|b| *b == b'\n').unwrap() + 1;
            j.splice(i..i, b"{\"v\":1,\"id\":oops\n".iter().copied());
        }),
        ("entry from a newer exback", |j| {
            j.extend_from_slice(b"{\"v\":9,\"id\":\"fffffffffff9\",\"at\":\"2026-11-01T10:00:00+00:00\",\"kind\":\"voice\",\"answer\":\"from the future\",\"audio\":\"x.ogg\"}\n");
        }),
    ]
}

#[test]
fn damaged_journals_are_never_rewritten_and_intact_entries_stay_readable() {
    for (name, damage) in damages() {
        let env = Env::new();
        let texts = seeded(&env);
        let path = env.file("journal.jsonl");
        let mut bytes = read(&path);
        damage(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        // A file that ends without its newline ends in a save cut short: the first
        // save under the lock moves those bytes aside whole and cuts the file back.
        let torn = name == "truncated mid-line";
        let kept = if torn {
            bytes.iter().rposition(|b| *b == b'\n').unwrap() + 1
        } else {
            bytes.len()
        };
        let before = hash(&bytes[..kept]);
        for (args, input) in commands() {
            let out = env.run(&args, input);
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("panicked"),
                "{name}: exback {args:?} panicked"
            );
            let now = read(&path);
            assert!(
                now.len() >= kept,
                "{name}: exback {args:?} shortened the journal"
            );
            assert_eq!(
                hash(&now[..kept]),
                before,
                "{name}: exback {args:?} changed the damaged bytes"
            );
        }
        let aside = set_aside(&env);
        if torn {
            assert_eq!(
                aside,
                vec![bytes[kept..].to_vec()],
                "{name}: the torn tail is kept aside, byte for byte"
            );
        } else {
            assert!(
                aside.is_empty(),
                "{name}: nothing is moved aside without doctor"
            );
        }
        let log = String::from_utf8(env.run(&["log"], "").stdout).unwrap();
        // Truncation cuts into the newest entry; every other one is intact.
        let intact = if name == "truncated mid-line" {
            &texts[..2]
        } else {
            &texts[..]
        };
        for t in intact {
            assert!(log.contains(t), "{name}: intact entry {t:?} is still shown");
        }
        assert!(
            log.contains("written after the damage"),
            "{name}: new entries after damage are readable"
        );
        if torn {
            let doctor = env.run(&["doctor"], "");
            assert!(
                doctor.status.success(),
                "a torn tail, once set aside, is not damage"
            );
            assert!(
                stderr(&env.run(&["log"], "")).is_empty(),
                "and reads do not warn"
            );
        } else if name == "entry from a newer exback" {
            assert!(log.contains("from the future"));
            let doctor = env.run(&["doctor"], "");
            assert!(doctor.status.success(), "a newer entry is not damage");
        } else {
            let doctor = env.run(&["doctor"], "");
            assert_eq!(
                doctor.status.code(),
                Some(1),
                "{name}: doctor reports the damage"
            );
            let warn = stderr(&env.run(&["log"], ""));
            assert!(
                warn.contains("journal.jsonl:") && warn.contains("exback doctor"),
                "{name}: {warn}"
            );
        }
    }
}

#[test]
fn a_damaged_or_newer_progress_file_is_left_exactly_as_it_is() {
    let cases: [(&str, &[u8]); 3] = [
        ("truncated", b"{\"format_version\":1,\"onboarding\":{\"answered_at\":\"2026"),
        ("invalid", b"format_version = 1\n"),
        ("newer", b"{\"format_version\":7,\"steps\":{},\"onboarding\":{\"answered_at\":\"2026-11-01T10:00:00+00:00\",\"breakup_date\":\"2026-10-01\",\"breakup_said\":\"x\",\"ended_by\":\"me\",\"no_contact\":false,\"felt_unsafe\":false}}"),
    ];
    for (name, content) in cases {
        let env = Env::new();
        seeded(&env);
        std::fs::write(env.file("progress.json"), content).unwrap();
        for (args, input) in commands() {
            let out = env.run(&args, input);
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("panicked"),
                "{name}: {args:?}"
            );
            assert_eq!(
                read(&env.file("progress.json")),
                content,
                "{name}: exback {args:?} changed progress.json"
            );
        }
        let out = env.run(&["next"], "an answer\n");
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = stderr(&out);
        let expected = if name == "newer" {
            "newer exback"
        } else {
            "is damaged"
        };
        assert!(
            err.contains(expected) && err.contains("progress.json"),
            "{name}: {err}"
        );
        assert!(
            env.ok(&["log"], "").contains("the third free entry"),
            "{name}: the journal stays readable"
        );
        if name == "newer" {
            assert!(
                env.ok(&["steps"], "").contains("→ 1."),
                "a newer file is still shown, read-only"
            );
        }
    }
}

#[test]
fn doctor_repair_moves_damage_aside_byte_for_byte_and_keeps_the_rest() {
    let env = Env::new();
    seeded(&env);
    let path = env.file("journal.jsonl");
    let mut bytes = read(&path);
    bytes.extend_from_slice(b"{\"broken\": \n");
    bytes.extend_from_slice(b"{\"v\":1,\"id\":\"abc\",\"at\":\"2026-11-01T10:00:00+00:00\",\"kind\":\"note\",\"answer\":\"kept after\"}\n");
    bytes.extend_from_slice(b"half a line");
    std::fs::write(&path, &bytes).unwrap();
    std::fs::write(
        env.data().join(".tmp-progress.json.999.0"),
        b"left by a crash",
    )
    .unwrap();

    let out = env.run(&["doctor", "--repair"], "");
    assert_eq!(
        out.status.code(),
        Some(1),
        "without a terminal, --repair needs --yes"
    );
    assert_eq!(read(&path), bytes);

    let out = env.run(&["doctor", "--repair", "--yes"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let aside = set_aside(&env);
    // The unfinished last save and the damaged line, each in its own file.
    assert_eq!(
        aside,
        vec![b"half a line".to_vec(), b"{\"broken\": \n".to_vec()]
    );
    assert!(!env.data().join(".tmp-progress.json.999.0").exists());
    let log = env.ok(&["log"], "");
    assert!(log.contains("kept after") && log.contains("the first free entry"));
    assert!(env.run(&["doctor"], "").status.success());
}

fn strace_available() -> bool {
    let ok = Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    common::tool_present("strace", ok)
}

fn under_strace(env: &Env, strace: &[&str], args: &[&str], input: &str) -> std::process::Output {
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-o", "/dev/null"])
        .args(strace)
        .arg(env!("CARGO_BIN_EXE_exback"))
        .args(args);
    let inner = env.cmd(args);
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    run_with(cmd, input)
}

#[test]
fn injected_write_fsync_and_rename_failures_keep_the_old_data_and_say_so() {
    if !strace_available() {
        return;
    }
    let env = Env::new();
    seeded(&env);
    let journal = env.file("journal.jsonl");
    let jpath = journal.to_str().unwrap();
    let cases: [(&[&str], &str); 2] = [
        (
            &[
                "-P",
                jpath,
                "-e",
                "trace=write",
                "-e",
                "inject=write:error=ENOSPC",
            ],
            "No space left on device",
        ),
        (
            &[
                "-P",
                jpath,
                "-e",
                "trace=fsync,fdatasync",
                "-e",
                "inject=fsync,fdatasync:error=EIO",
            ],
            "Input/output error",
        ),
    ];
    for (strace, says) in cases {
        let before = read(&journal);
        let out = under_strace(&env, strace, &["write", "this must not half-exist"], "");
        assert_eq!(out.status.code(), Some(1), "{says}");
        let err = stderr(&out);
        assert!(err.contains(says) && err.contains("journal.jsonl"), "{err}");
        assert!(
            !err.contains("this must not half-exist"),
            "answer text never appears in errors"
        );
        assert_eq!(
            read(&journal),
            before,
            "the journal is exactly as before ({says})"
        );
    }

    let progress = env.file("progress.json");
    let before = read(&progress);
    let out = under_strace(
        &env,
        &[
            "-e",
            "trace=rename,renameat,renameat2",
            "-e",
            "inject=rename,renameat,renameat2:error=EXDEV",
        ],
        &["next", "--onboarding"],
        &(onboarding_lines(true, false) + "n\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Invalid cross-device link")
            && stderr(&out).contains("progress.json")
    );
    assert_eq!(
        read(&progress),
        before,
        "progress.json is exactly as before"
    );
    let leftovers: Vec<_> = std::fs::read_dir(env.data())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file is left behind");
}

#[test]
fn the_first_save_to_a_new_file_fsyncs_the_data_dir_so_the_file_survives_a_crash() {
    if !strace_available() {
        return;
    }
    let env = Env::new();
    let traced = tempfile::tempdir().unwrap();
    let log = traced.path().join("strace.log");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-y", "-e", "trace=fsync,fdatasync", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_exback"))
        .args(["write", "a first note"]);
    for (k, v) in env.cmd(&[]).get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let data = std::fs::canonicalize(env.data()).unwrap();
    let calls = std::fs::read_to_string(&log).unwrap();
    let dir_synced = format!("<{}>)", data.display());
    assert!(
        calls
            .lines()
            .any(|l| l.contains("fsync(") && l.contains(&dir_synced)),
        "no fsync of {} in:\n{calls}",
        data.display()
    );
}

#[test]
fn an_older_progress_format_is_migrated_and_the_original_kept() {
    let env = Env::new();
    std::fs::create_dir_all(env.data()).unwrap();
    let old = br#"{"steps":{},"onboarding":{"answered_at":"2026-11-01T10:00:00+00:00","breakup_date":"2026-10-01","breakup_said":"early October","ended_by":"me","no_contact":false,"felt_unsafe":false}}"#;
    std::fs::write(env.file("progress.json"), old).unwrap();
    env.ok(&["next"], "A first answer.\n");
    assert_eq!(read(&env.file("progress.json.v0-backup")), old.to_vec());
    let now: serde_json::Value = serde_json::from_slice(&read(&env.file("progress.json"))).unwrap();
    assert_eq!(now["format_version"], 1);
    assert_eq!(now["onboarding"]["breakup_said"], "early October");
}

#[test]
fn unknown_fields_survive_every_rewrite() {
    let env = Env::new();
    seeded(&env);
    let path = env.file("progress.json");
    let mut p: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
    p["garden"] = serde_json::json!({"planted": ["basil"]});
    std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
    env.ok(&["next"], "Another answer.\n");
    let p: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
    assert_eq!(p["garden"]["planted"][0], "basil");
}

#[test]
fn no_home_an_unusable_data_dir_and_odd_input_get_clear_errors() {
    let env = Env::new();
    // No HOME, no XDG, no override.
    let mut cmd = env.cmd(&["write", "hello"]);
    cmd.env_remove("HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("EXBACK_DATA_DIR");
    let out = run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--data-dir") && err.contains("EXBACK_DATA_DIR"),
        "{err}"
    );

    // A data dir that cannot be created (its parent is a file).
    let blocker = env.tmp.path().join("a-file");
    std::fs::write(&blocker, b"").unwrap();
    let mut cmd = env.cmd(&["write", "hello"]);
    cmd.env("EXBACK_DATA_DIR", blocker.join("data"));
    let out = run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("a-file/data") && err.contains("--data-dir"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // Invalid UTF-8 on stdin: see tests/text_input.rs.
    // Empty text is refused; a 1 MB answer and control characters are kept exactly.
    assert_eq!(env.run(&["write"], "   \n").status.code(), Some(1));
    let big = "x".repeat(1 << 20);
    env.ok(&["write"], &big);
    env.ok(&["write", "bell\u{7} and escape \u{1b}[31m"], "");
    let journal = String::from_utf8(read(&env.file("journal.jsonl"))).unwrap();
    assert!(journal.contains(&big));
    let log = env.ok(&["log", "-n", "1"], "");
    assert!(
        log.contains("bell^G and escape ^[[31m"),
        "control characters are shown, not obeyed: {log}"
    );
    assert!(!log.contains('\u{1b}'));
}

#[test]
fn a_data_dir_open_to_others_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(&["write", "private"], "");
    std::fs::set_permissions(env.data(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env.run(&["log"], "");
    assert!(out.status.success());
    assert!(stderr(&out).contains("can be read by other users"));
}

#[test]
fn a_missing_or_malformed_content_file_is_named_with_its_line() {
    let env = Env::new();
    let content = env.content_pack();
    std::fs::remove_file(content.join("07-friends.toml")).unwrap();
    let broken = content.join("02-prepare.toml");
    let text = std::fs::read_to_string(&broken)
        .unwrap()
        .replacen("title = ", "title = = ", 1);
    std::fs::write(&broken, text).unwrap();

    let mut cmd = env.cmd(&["next"]);
    cmd.env("EXBACK_CONTENT_DIR", &content);
    let out = run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("02-prepare.toml:"), "{err}");
    assert!(err.contains("expected step files numbered 1 to 7"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(
        !env.file("progress.json").exists(),
        "nothing is written with a broken workbook"
    );

    let mut cmd = env.cmd(&["steps"]);
    cmd.env("EXBACK_CONTENT_DIR", env.tmp.path().join("nowhere"));
    let out = run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nowhere") && stderr(&out).contains("cannot read the folder"));
}
