//! What a careless or hostile user can do to the data directory: links and pipes in
//! place of data files, saves cut short, a damaged progress file. Each case runs the
//! real binary.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Env, onboarding_lines, stderr};

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

/// Runs `cmd`, killing it (and failing the test) if it takes more than 20 seconds.
fn run_bounded(mut cmd: Command, what: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{what} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn outside(env: &Env) -> std::path::PathBuf {
    env.tmp.path().join("elsewhere")
}

#[test]
fn a_data_file_that_is_a_link_is_never_written_through_nor_read() {
    let cases: [(&str, &[&str]); 6] = [
        ("journal.jsonl", &["write", "a secret"]),
        ("journal.jsonl", &["log"]),
        ("moods.jsonl", &["mood", "5"]),
        ("contacts.jsonl", &["status"]),
        ("progress.json", &["outcome", "moved-on"]),
        ("exback.lock", &["write", "a secret"]),
    ];
    for (name, args) in cases {
        let env = Env::new();
        env.ok(&["write", "already here"], "");
        let target = outside(&env);
        std::fs::write(&target, b"outside\n").unwrap();
        let link = env.file(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let out = env.run(args, "");
        assert_eq!(out.status.code(), Some(1), "{name} {args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(name) && err.contains("symbolic link") && !err.contains("panicked"),
            "{name} {args:?}: {err}"
        );
        assert_eq!(read(&target), b"outside\n", "{name} {args:?}");
        // doctor sees it too, and says what it is.
        let doctor = env.run(&["doctor"], "");
        let text = common::squash(&String::from_utf8_lossy(&doctor.stdout));
        assert_eq!(doctor.status.code(), Some(1), "{name}: {text}");
        assert!(
            text.contains(&format!("✗ {name}")) && text.contains("symbolic link"),
            "{name}: {text}"
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name} {args:?}: the link is left alone"
        );
    }
}

#[test]
fn delete_never_leaves_the_deleted_entry_outside_through_a_link() {
    let env = Env::new();
    let id = env.ok(&["write", "delete me"], "").trim().to_string();
    let target = outside(&env);
    std::fs::rename(env.file("journal.jsonl"), &target).unwrap();
    std::os::unix::fs::symlink(&target, env.file("journal.jsonl")).unwrap();
    let before = read(&target);
    let out = env.run(&["delete", &id, "--yes"], "");
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(read(&target), before);
    assert!(
        std::fs::symlink_metadata(env.file("journal.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_fifo_in_place_of_a_data_file_is_refused_not_waited_on() {
    for name in [
        "journal.jsonl",
        "progress.json",
        "contacts.jsonl",
        "moods.jsonl",
    ] {
        let env = Env::new();
        env.ok(&["write", "already here"], "");
        let path = env.file(name);
        let _ = std::fs::remove_file(&path);
        let made = Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(made.success());
        for args in [
            &["log"][..],
            &["status"],
            &["doctor"],
            &["export"],
            &["write", "x"],
        ] {
            let out = run_bounded(env.cmd(args), &format!("{args:?} with a FIFO {name}"));
            let err = stderr(&out);
            // A command that does not need this file may succeed; none may hang, and
            // every one that touches it says what it is.
            if !out.status.success() && args != ["doctor"] {
                assert!(err.contains("named pipe"), "{name} {args:?}: {err}");
            }
            if args == ["doctor"] {
                assert_eq!(out.status.code(), Some(1), "{name}: doctor reports it");
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(text.contains("named pipe"), "{name}: {text}");
            }
        }
    }
}

#[test]
fn a_save_cut_short_is_set_aside_by_the_next_save_and_is_never_damage() {
    let env = Env::new();
    env.ok(&["write", "first"], "");
    let path = env.file("journal.jsonl");
    let whole = read(&path);
    let torn = br#"{"v":1,"id":"0123456789ab","at":"2026-11-29T20:"#;
    let mut bytes = whole.clone();
    bytes.extend_from_slice(torn);
    std::fs::write(&path, &bytes).unwrap();

    let log = env.run(&["log"], "");
    assert!(log.status.success());
    assert!(
        stderr(&log).is_empty(),
        "no damage warning: {}",
        stderr(&log)
    );
    let doctor = env.run(&["doctor"], "");
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert!(doctor.status.success(), "{text}");
    assert!(text.contains("unfinished save"), "{text}");
    assert_eq!(read(&path), bytes, "reading changes nothing");

    env.ok(&["write", "second"], "");
    let now = read(&path);
    assert!(now.starts_with(&whole), "the whole lines are kept");
    assert_eq!(String::from_utf8_lossy(&now).lines().count(), 2);
    assert!(!now.windows(torn.len()).any(|w| w == torn));
    let aside: Vec<_> = std::fs::read_dir(env.data())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(read(&aside[0].path()), torn, "moved aside, never deleted");
    assert_eq!(common::mode(&aside[0].path()), 0o600);

    // A whole last record that only lacks its newline (typed by hand) is kept.
    let mut bytes = read(&path);
    bytes.extend_from_slice(
        br#"{"v":1,"id":"abcdefabcdef","at":"2026-11-29T10:00:00+01:00","kind":"note","answer":"by hand"}"#,
    );
    std::fs::write(&path, &bytes).unwrap();
    env.ok(&["write", "third"], "");
    let log = env.ok(&["log"], "");
    assert!(log.contains("by hand") && log.contains("third"));
}

/// Onboards with these answers and returns the env.
fn onboarded(no_contact: bool) -> Env {
    let env = Env::new();
    env.ok(
        &["next"],
        &(onboarding_lines(no_contact, false) + common::SKIP_MOOD),
    );
    assert!(env.file("progress.json").exists());
    env
}

fn contact_coached(env: &Env) -> bool {
    !env.ok(&["steps"], "").contains("not offered")
}

#[test]
fn a_stray_byte_in_progress_keeps_the_onboarding_answers() {
    let env = onboarded(true);
    assert!(!contact_coached(&env));
    let path = env.file("progress.json");
    let mut bytes = read(&path);
    bytes.push(b'x');
    std::fs::write(&path, &bytes).unwrap();
    let out = env.run(&["doctor", "--repair", "--yes"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("everything in it was kept"), "{text}");
    let p: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
    assert_eq!(p["onboarding"]["no_contact"], true);
    assert!(!contact_coached(&env), "still no contact coaching");
    assert!(env.run(&["doctor"], "").status.success());
}

#[test]
fn lost_onboarding_answers_are_asked_again_and_never_mean_contact_coaching() {
    for no_contact in [true, false] {
        let env = onboarded(no_contact);
        let path = env.file("progress.json");
        let bytes = read(&path);
        let cut = bytes.windows(10).position(|w| w == b"no_contact").unwrap();
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let out = env.run(&["doctor", "--repair", "--yes"], "");
        assert!(out.status.success(), "{}", stderr(&out));
        let text = common::squash(&String::from_utf8_lossy(&out.stdout));
        assert!(
            text.contains("Could not keep") && text.contains("onboarding answers"),
            "{text}"
        );
        assert!(text.contains("ask the first questions again"), "{text}");
        assert!(
            !contact_coached(&env),
            "no_contact={no_contact}: unknown answers never coach contact"
        );
        // The next run asks the onboarding questions first; once answered, the path
        // follows the new answers.
        let out = env.ok(&["next"], &(onboarding_lines(false, false) + "\n"));
        let _ = out;
        let p: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
        assert_eq!(p["onboarding"]["no_contact"], false);
        assert!(p.get("onboarding_unknown").is_none());
        assert!(contact_coached(&env));
    }
}

#[test]
fn content_export_never_writes_through_a_link_nor_into_the_data_dir() {
    let env = Env::new();
    env.ok(&["write", "already here"], "");
    let pack = env.tmp.path().join("pack");
    env.ok(&["content", "export", pack.to_str().unwrap()], "");
    let name = std::fs::read_dir(&pack)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .unwrap();
    let target = outside(&env);
    std::fs::write(&target, b"outside\n").unwrap();
    std::fs::remove_file(pack.join(&name)).unwrap();
    std::os::unix::fs::symlink(&target, pack.join(&name)).unwrap();
    let out = env.run(
        &["content", "export", "--force", pack.to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("link"), "{}", stderr(&out));
    assert_eq!(read(&target), b"outside\n");

    let journal = read(&env.file("journal.jsonl"));
    for dir in [env.data(), env.data().join("pack"), env.data().join(".")] {
        let out = env.run(&["content", "export", "--force", dir.to_str().unwrap()], "");
        assert_eq!(out.status.code(), Some(1), "{}", dir.display());
        assert!(stderr(&out).contains("data directory"), "{}", stderr(&out));
    }
    assert_eq!(read(&env.file("journal.jsonl")), journal);
    assert!(!env.data().join("pack").exists());
}

#[test]
fn a_fifo_in_a_content_pack_is_refused_not_waited_on() {
    let env = Env::new();
    let pack = env.tmp.path().join("pack");
    env.ok(&["content", "export", pack.to_str().unwrap()], "");
    let made = Command::new("mkfifo")
        .arg(pack.join("zz-extra.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = run_bounded(
        env.cmd(&["content", "check", pack.to_str().unwrap()]),
        "content check with a FIFO",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("zz-extra.toml") && text.contains("pipe"),
        "{text}"
    );
}
