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
