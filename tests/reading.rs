//! Reading back: filters that hold whatever the order of the file, days cut in the
//! reader's time zone, and very long answers read in linear time.

mod common;

use std::time::Instant;

use common::{Env, onboarding_lines};

fn entry(id: &str, at: &str, answer: &str) -> String {
    format!(r#"{{"v":1,"id":"{id}","at":"{at}","kind":"note","answer":"{answer}"}}"#)
}

#[test]
fn date_filters_hold_whatever_the_order_of_the_file() {
    let env = Env::new();
    std::fs::create_dir_all(env.data()).unwrap();
    // File order is not time order: a clock set by hand, or a trip across zones.
    let lines = [
        entry(
            "aaaaaaaaaaa1",
            "2026-11-29T10:00:00+01:00",
            "morning of the 29th",
        ),
        entry("aaaaaaaaaaa2", "2026-11-20T10:00:00+01:00", "the 20th"),
        entry(
            "aaaaaaaaaaa3",
            "2026-11-29T12:00:00+01:00",
            "noon of the 29th",
        ),
        entry("aaaaaaaaaaa4", "2026-11-10T10:00:00+01:00", "the 10th"),
    ];
    std::fs::write(env.file("journal.jsonl"), lines.join("\n") + "\n").unwrap();
    for extra in [&[][..], &["--reverse"], &["--reverse", "-n", "5"]] {
        let mut args = vec!["log", "--short", "--since", "2026-11-29"];
        args.extend_from_slice(extra);
        let out = env.ok(&args, "");
        assert!(
            out.contains("morning of the 29th") && out.contains("noon of the 29th"),
            "{args:?}: {out}"
        );
        assert!(!out.contains("the 20th"), "{args:?}: {out}");
        let mut args = vec!["log", "--short", "--until", "2026-11-15"];
        args.extend_from_slice(extra);
        let out = env.ok(&args, "");
        assert!(out.contains("the 10th"), "{args:?}: {out}");
        assert!(
            !out.contains("29th") && !out.contains("20th"),
            "{args:?}: {out}"
        );
    }
}

/// Kiritimati is UTC+14 all year (written as a POSIX rule: no tz database needed).
const KIRITIMATI: &str = "<+14>-14";

#[test]
fn days_are_the_readers_days_in_log_and_status() {
    let env = Env::new();
    // Written at noon UTC on the 29th by someone whose clock is on UTC...
    env.set_now(Some("2026-11-29T12:00:00+00:00"));
    let utc = |args: &[&str], input: &str| {
        let mut cmd = env.cmd(args);
        cmd.env("TZ", "UTC0");
        let out = common::run_with(cmd, input);
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    utc(
        &["next"],
        &(onboarding_lines(false, false) + common::SKIP_MOOD),
    );
    utc(&["write", "written at noon"], "");
    utc(&["mood", "6"], "");
    utc(
        &["contact", "add", "--channel", "call", "--from", "them"],
        "",
    );
    // ...and read at the same instant in Kiritimati, where it is already the 30th.
    env.set_now(Some("2026-11-30T02:00:00+14:00"));
    let kiri = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("TZ", KIRITIMATI);
        let out = common::run_with(cmd, "");
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        common::squash(&String::from_utf8(out.stdout).unwrap())
    };
    let log = kiri(&["log", "--since", "today"]);
    assert!(log.contains("written at noon"), "{log}");
    assert!(
        log.contains("2026-11-30 02:00"),
        "shown on the reader's clock: {log}"
    );
    let status = kiri(&["status"]);
    assert!(status.contains("today 6/10"), "{status}");
    assert!(!status.contains("no check-in today"), "{status}");
    assert!(status.contains("last contact today"), "{status}");
    assert!(!status.contains("yesterday"), "{status}");
}

/// Central European time, with its summer time rule (POSIX form: no tz database needed).
const CET: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// The reader's offset is remembered a day at a time; the days the clocks change on,
/// each entry keeps its own offset, before and after the change.
#[test]
fn times_on_the_days_the_clocks_change_are_the_readers_own() {
    let env = Env::new();
    env.make_data();
    let lines = [
        entry(
            "aaaaaaaaaaa1",
            "2026-03-28T12:00:00+00:00",
            "the day before spring",
        ),
        entry(
            "aaaaaaaaaaa2",
            "2026-03-29T00:30:00+00:00",
            "before the spring change",
        ),
        entry(
            "aaaaaaaaaaa3",
            "2026-03-29T01:30:00+00:00",
            "after the spring change",
        ),
        entry(
            "aaaaaaaaaaa4",
            "2026-03-29T22:30:00+00:00",
            "late on spring's day",
        ),
        entry(
            "aaaaaaaaaaa5",
            "2026-10-25T00:30:00+00:00",
            "before the autumn change",
        ),
        entry(
            "aaaaaaaaaaa6",
            "2026-10-25T01:30:00+00:00",
            "after the autumn change",
        ),
        entry(
            "aaaaaaaaaaa7",
            "2026-10-26T09:00:00-05:00",
            "the day after autumn",
        ),
    ];
    std::fs::write(env.file("journal.jsonl"), lines.join("\n") + "\n").unwrap();
    let expected = [
        "2026-03-28 13:00 aaaaaaaaaaa1",
        "2026-03-29 01:30 aaaaaaaaaaa2",
        "2026-03-29 03:30 aaaaaaaaaaa3",
        "2026-03-30 00:30 aaaaaaaaaaa4",
        "2026-10-25 02:30 aaaaaaaaaaa5",
        "2026-10-25 02:30 aaaaaaaaaaa6",
        "2026-10-26 15:00 aaaaaaaaaaa7",
    ];
    for args in [
        &["log", "--short", "--reverse"][..],
        &["log", "--short", "-n", "7", "--reverse"],
        &["log", "--reverse"],
    ] {
        let mut cmd = env.cmd(args);
        cmd.env("TZ", CET);
        let out = common::run_with(cmd, "");
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        let out = String::from_utf8(out.stdout).unwrap();
        let mut from = 0;
        for (shown, id) in expected.iter().map(|e| (&e[..16], &e[17..])) {
            let at = from
                + out[from..]
                    .find(id)
                    .unwrap_or_else(|| panic!("{args:?}: {out}"));
            assert!(
                out[..at].ends_with(&format!("{shown} "))
                    || out[..at].ends_with(&format!("{shown} \u{b7} free entry  ")),
                "{args:?}: {id} shown at {shown}: {out}"
            );
            from = at;
        }
    }
}

#[test]
fn a_50_mb_answer_is_read_in_linear_time() {
    let env = Env::new();
    env.ok(&["write", "before the long one"], "");
    let long = "w".repeat(50 << 20);
    let mut bytes = std::fs::read(env.file("journal.jsonl")).unwrap();
    bytes.extend_from_slice(entry("bbbbbbbbbbb1", "2026-11-29T19:00:00+01:00", &long).as_bytes());
    bytes.push(b'\n');
    std::fs::write(env.file("journal.jsonl"), &bytes).unwrap();
    env.ok(&["write", "after the long one"], "");
    for args in [
        &["log", "--short"][..],
        &["log", "-n", "1", "--json"],
        &["log", "--grep", "nothing like this"],
        &["log", "--reverse", "--short"],
        &["log"],
    ] {
        let start = Instant::now();
        let out = env.run(args, "");
        let took = start.elapsed();
        assert!(out.status.success(), "{args:?}");
        // Quadratic reading took about 17 s for 60 MB in a release build.
        assert!(took.as_secs_f64() < 6.0, "{args:?} took {took:?}");
    }
}

/// `log` without `-n` parses its batches of lines on several threads: what it prints,
/// and the warnings about damaged lines, must still come in the order of the file.
#[test]
fn a_journal_of_many_batches_prints_in_order_with_its_damage_in_order() {
    let env = Env::new();
    env.make_data();
    let filler = "a line of about a kilobyte ".repeat(38);
    let damaged = [10, 1500, 2990];
    let mut text = String::new();
    for n in 1..=3000 {
        if damaged.contains(&n) {
            text.push_str("{\"v\":1,\"id\": this line is damaged\n");
            continue;
        }
        let marker = if n % 100 == 0 { " marker" } else { "" };
        let at = format!("2026-11-{:02}T10:{:02}:00+00:00", 1 + n / 1440, n / 60 % 60);
        text.push_str(&entry(
            &format!("{n:012}"),
            &at,
            &format!("{filler}{marker}"),
        ));
        text.push('\n');
    }
    assert!(text.len() > 3 << 20, "more than six batches of lines");
    std::fs::write(env.file("journal.jsonl"), text).unwrap();
    let ids = |out: &str| -> Vec<u32> {
        out.lines()
            .map(|l| l.split_whitespace().nth(2).unwrap().parse().unwrap())
            .collect()
    };
    let kept: Vec<u32> = (1..=3000).filter(|n| !damaged.contains(n)).collect();
    // The line number after each "journal.jsonl:" in the warnings, in order.
    let warned = |stderr: &str| -> Vec<String> {
        stderr
            .split("journal.jsonl:")
            .skip(1)
            .map(|rest| rest.split(':').next().unwrap().to_string())
            .collect()
    };

    let out = env.run(&["log", "--short"], "");
    assert!(out.status.success());
    let newest_first: Vec<u32> = kept.iter().rev().copied().collect();
    assert_eq!(ids(&String::from_utf8_lossy(&out.stdout)), newest_first);
    assert_eq!(warned(&common::stderr(&out)), ["2990", "1500", "10"]);

    let out = env.run(&["log", "--short", "--reverse"], "");
    assert_eq!(ids(&String::from_utf8_lossy(&out.stdout)), kept);
    assert_eq!(warned(&common::stderr(&out)), ["10", "1500", "2990"]);

    let json: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["log", "--json"], "")).unwrap();
    let json_ids: Vec<u32> = json
        .iter()
        .map(|e| e["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(json_ids, newest_first);

    let marked = ids(&env.ok(&["log", "--short", "--grep", "marker"], ""));
    let hundreds = (1..=30)
        .rev()
        .map(|n| n * 100)
        .filter(|n| !damaged.contains(n));
    assert_eq!(marked, hundreds.collect::<Vec<_>>());
    let newest = ids(&env.ok(&["log", "--short", "-n", "3"], ""));
    assert_eq!(newest, [3000, 2999, 2998]);
}

/// `--short` and `--json` name no steps, so they read the journal without the workbook:
/// a content pack with a mistake in it does not keep anyone from their own words.
#[test]
fn short_and_json_need_no_workbook_but_the_full_view_and_step_do() {
    let env = Env::new();
    env.ok(&["write", "words kept whatever the pack says"], "");
    let pack = tempfile::tempdir().unwrap();
    std::fs::write(pack.path().join("welcome.toml"), "this is not = = toml").unwrap();
    let run = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("EXBACK_CONTENT_DIR", pack.path());
        common::run_with(cmd, "")
    };
    for args in [
        &["log", "--short"][..],
        &["log", "--json"],
        &["log", "--short", "--grep", "words"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("words kept"),
            "{args:?}"
        );
    }
    for args in [&["log"][..], &["log", "--short", "--step", "2"]] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?} reads the workbook");
        assert!(
            common::stderr(&out).contains("welcome.toml"),
            "{args:?}: {}",
            common::stderr(&out)
        );
    }
}
