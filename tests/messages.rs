//! Messages for odd situations: a pager that fails, a data directory that is a file,
//! no home to guess from, and temp files left by a killed save.

mod common;

use common::{Env, stderr};

#[test]
fn a_pager_that_fails_never_swallows_the_output() {
    for pager in ["false", "exback-no-such-pager"] {
        let env = Env::new();
        for i in 1..=60 {
            env.ok(&["write", &format!("entry number {i}")], "");
        }
        let mut cmd = env.cmd(&["log"]);
        cmd.env("PAGER", pager);
        let out = common::run_with_tty_stdin(cmd);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{pager}: {text}");
        assert!(
            text.contains("entry number 1\r") && text.contains("entry number 60"),
            "{pager}: every entry is shown: {text}"
        );
        assert!(
            text.contains("did not run"),
            "{pager}: and says why: {text}"
        );
    }
}

#[test]
fn a_data_dir_that_is_a_file_is_named_as_a_file() {
    let env = Env::new();
    let file = env.tmp.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    for (flag, via_env) in [(false, true), (true, false)] {
        let with_flag = ["--data-dir", file.to_str().unwrap(), "log"];
        let mut cmd = env.cmd(if flag { &with_flag[..] } else { &["log"][..] });
        if via_env {
            cmd.env("EXBACK_DATA_DIR", &file);
        }
        let out = common::run_with(cmd, "");
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        let source = if flag {
            "--data-dir"
        } else {
            "EXBACK_DATA_DIR"
        };
        assert!(
            err.contains(source) && err.contains("is a file, not a folder"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn no_home_and_a_relative_xdg_data_home_is_refused() {
    let env = Env::new();
    let mut cmd = env.cmd(&["write", "where does this go"]);
    cmd.env_remove("EXBACK_DATA_DIR")
        .env_remove("HOME")
        .env("XDG_DATA_HOME", "relative/share")
        .current_dir(env.tmp.path());
    let out = common::run_with(cmd, "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("XDG_DATA_HOME") && err.contains("--data-dir"),
        "{err}"
    );
    assert!(!env.tmp.path().join("relative").exists());
}

#[test]
fn temp_files_left_by_a_killed_save_go_with_the_next_save() {
    let env = Env::new();
    env.ok(&["write", "first"], "");
    let stale = env.data().join(".tmp-journal.jsonl.4242.0");
    std::fs::write(&stale, b"left by a killed import").unwrap();
    env.ok(&["log"], "");
    assert!(stale.exists(), "reading touches nothing");
    env.ok(&["write", "second"], "");
    assert!(!stale.exists(), "the next save removes it");
    let doctor = env.ok(&["doctor"], "");
    assert!(!doctor.contains("temporary"), "{doctor}");
}
