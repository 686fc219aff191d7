//! Between the steps, through the real binary with a pinned clock: the contact log
//! and its pacing, unsent drafts, mood check-ins, `exback status` and the outcome.

mod common;

use std::fmt::Write as _;
use std::process::Output;

use common::{
    Env, SKIP_MOOD, answer_lines, mode, onboarding_lines_on, squash, stderr, step_lines, workbook,
};
use serde_json::Value;

/// Runs at a given moment (RFC 3339).
fn at(env: &Env, now: &str, args: &[&str], input: &str) -> Output {
    env.set_now(Some(now));
    env.run(args, input)
}

/// Runs at a given moment and asserts success; returns stdout.
fn ok_at(env: &Env, now: &str, args: &[&str], input: &str) -> String {
    env.set_now(Some(now));
    env.ok(args, input)
}

/// A new data directory with onboarding only, done at 09:00 on 29 November: the breakup
/// date, "they did", no-contact, unsafe; then the input ends.
fn onboarded(breakup: &str, no_contact: bool, felt_unsafe: bool) -> Env {
    let env = Env::new();
    let input = onboarding_lines_on(breakup, no_contact, felt_unsafe);
    ok_at(&env, "2026-11-29T09:00:00+01:00", &["next"], &input);
    env
}

/// `exback contact add` at a given moment (RFC 3339), its flags written as one line
/// and split at the spaces, so that no value among them may hold a space.
fn contact_add(env: &Env, now: &str, flags: &str) -> Output {
    let mut args = vec!["contact", "add"];
    args.extend(flags.split_whitespace());
    at(env, now, &args, "")
}

fn lines_of(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn is_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn contact_add_logs_one_contact_and_list_reads_them_back_newest_first() {
    let env = Env::new();
    let id = ok_at(
        &env,
        "2026-11-29T20:15:00+01:00",
        &[
            "contact",
            "add",
            "--channel",
            "in-person",
            "--from",
            "them",
            "--replied",
            "yes",
            "--felt",
            "8",
            "--note",
            "Coffee by the river",
            "--at",
            "2026-11-20 18:30",
        ],
        "",
    );
    assert!(is_id(id.trim()), "{id:?}");
    let out = contact_add(
        &env,
        "2026-11-29T20:15:00+01:00",
        "--channel text --from me --at 2026-11-22",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = lines_of(&env.file("contacts.jsonl"));
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0]["v"], 1);
    assert_eq!(saved[0]["id"], id.trim());
    assert_eq!(saved[0]["at"], "2026-11-20T18:30:00+01:00");
    assert_eq!(saved[0]["channel"], "in-person");
    assert_eq!(saved[0]["from"], "them");
    assert_eq!(saved[0]["replied"], true);
    assert_eq!(saved[0]["felt"], 8);
    assert_eq!(saved[0]["note"], "Coffee by the river");
    assert_eq!(
        saved[1]["at"], "2026-11-22T12:00:00+01:00",
        "a day alone is midday"
    );
    assert!(saved[1].get("replied").is_none(), "not given, not stored");
    assert_eq!(mode(&env.file("contacts.jsonl")), 0o600);

    let list = env.ok(&["contact", "list"], "");
    let newest = list.find("2026-11-22 12:00  text · from you").expect(&list);
    let older = list
        .find("2026-11-20 18:30  in-person · from them · you responded · felt 8/10")
        .expect(&list);
    assert!(newest < older, "newest first:\n{list}");
    assert!(list.contains("    Coffee by the river"));

    let listed = json(&env.ok(&["contact", "list", "--json", "-n", "1"], ""));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["at"], "2026-11-22T12:00:00+01:00");
}

#[test]
fn bad_contact_input_is_one_line_and_exit_1_and_usage_errors_exit_2_and_nothing_is_written() {
    let env = Env::new();
    for (at_value, says) in [
        ("last tuesday", "is not a time exback understands"),
        ("2026-11-30 09:00", "in the future"),
        ("2026-02-30", "is not a time exback understands"),
    ] {
        let out = at(
            &env,
            "2026-11-29T20:15:00+01:00",
            &[
                "contact",
                "add",
                "--channel",
                "text",
                "--from",
                "me",
                "--at",
                at_value,
            ],
            "",
        );
        assert_eq!(out.status.code(), Some(1), "{at_value}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.starts_with("exback: --at: ") && err.contains(says),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    for args in [
        vec!["contact", "add", "--channel", "fax", "--from", "me"],
        vec!["contact", "add", "--channel", "text"],
        vec![
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--felt",
            "11",
        ],
        vec![
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--replied",
            "maybe",
        ],
        vec!["mood", "0"],
        vec!["mood", "ten"],
        vec!["outcome", "maybe"],
        vec!["outcome", "moved-on", "--clear"],
    ] {
        let out = env.run(&args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?} is a usage error");
    }
    assert!(!env.file("contacts.jsonl").exists());
    assert!(!env.file("moods.jsonl").exists());
    assert!(!env.file("progress.json").exists());

    // A damaged progress file stops `contact add` before anything is saved.
    std::fs::create_dir_all(env.data()).unwrap();
    std::fs::write(env.file("progress.json"), "{\"format_version\": 1,").unwrap();
    let out = env.run(&["contact", "add", "--channel", "text", "--from", "me"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no id printed");
    assert!(stderr(&out).contains("progress.json is damaged"));
    assert!(!env.file("contacts.jsonl").exists());
    assert_eq!(
        std::fs::read_to_string(env.file("progress.json")).unwrap(),
        "{\"format_version\": 1,"
    );
}

#[test]
fn a_second_unanswered_message_brings_the_pause_nudge_and_the_first_does_not() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    let pause = squash(
        &wb.pacing
            .nudges
            .unanswered
            .text
            .replace("{unanswered}", "2"),
    );

    let out = contact_add(
        &env,
        "2026-11-29T10:00:00+01:00",
        "--channel text --from me --replied no",
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("42 days since the breakup"), "{err}");
    assert!(
        err.contains("last contact today · 1 unanswered message in a row"),
        "{err}"
    );
    assert!(
        err.contains("1 contact in the last 7 days, 1 by you"),
        "{err}"
    );
    assert!(err.contains("exback never sends anything"), "{err}");
    assert!(!err.contains("haven't had a reply"), "no pause yet: {err}");
    assert!(
        err.contains(&squash(&wb.pacing.nudges.waiting.text)),
        "a quiet word for the first unanswered message: {err}"
    );
    assert!(!err.contains(&squash(&wb.pacing.drafts.hint)));

    let out = contact_add(
        &env,
        "2026-11-29T11:00:00+01:00",
        "--channel social --from me",
    );
    let err = stderr(&out);
    assert!(err.contains("2 unanswered messages in a row"), "{err}");
    assert!(err.contains(&pause), "{err}");
    assert!(err.contains(&squash(&wb.pacing.drafts.hint)), "{err}");

    // When they reach out, the run ends, and so does the nudge.
    let out = contact_add(
        &env,
        "2026-11-29T12:00:00+01:00",
        "--channel text --from them",
    );
    let err = stderr(&out);
    assert!(err.contains("0 unanswered messages in a row"), "{err}");
    assert!(!err.contains("haven't had a reply"), "{err}");
}

#[test]
fn a_contact_in_the_quiet_time_after_the_breakup_gets_the_quiet_nudge() {
    let env = onboarded("2026-11-19", false, false);
    let wb = workbook();
    let status = env.ok(&["status"], "");
    assert!(
        squash(&status).contains("the quiet time after the breakup has 11 days to go"),
        "{status}"
    );
    let out = contact_add(
        &env,
        "2026-11-29T10:00:00+01:00",
        "--channel call --from me --replied yes",
    );
    let err = stderr(&out);
    assert!(
        err.contains("It has been 10 days since the breakup"),
        "{err}"
    );
    assert!(err.contains("about 21 days"), "{err}");
    let quiet_start: String = wb.pacing.nudges.quiet.text.chars().take(12).collect();
    assert!(err.contains(&quiet_start), "{err}");
}

#[test]
fn no_contact_and_safety_paths_log_contacts_without_any_coaching() {
    let wb = workbook();
    for (no_contact, felt_unsafe, nudge, text) in [
        (true, false, "no_contact", &wb.pacing.nudges.no_contact.text),
        (false, true, "safety", &wb.pacing.nudges.safety.text),
    ] {
        let env = onboarded("2026-11-19", no_contact, felt_unsafe);
        for hour in ["10", "11", "12"] {
            let out = contact_add(
                &env,
                &format!("2026-11-29T{hour}:00:00+01:00"),
                "--channel text --from me --replied no",
            );
            assert!(out.status.success());
            let err = stderr(&out);
            assert!(err.contains(&squash(text)), "{nudge}: {err}");
            for coaching in [
                "unanswered",
                "in the last 7 days",
                "quiet time",
                "haven't had a reply",
            ] {
                assert!(!err.contains(coaching), "{nudge}: {coaching:?} in {err}");
            }
        }
        assert_eq!(
            lines_of(&env.file("contacts.jsonl")).len(),
            3,
            "logging still works"
        );
        let report = json(&env.ok(&["status", "--json"], ""));
        let p = &report["pacing"];
        assert_eq!(p["coaching"], false);
        assert_eq!(p["mode"], if felt_unsafe { "safety" } else { "no-contact" });
        assert_eq!(p["unanswered_in_a_row"], Value::Null);
        assert_eq!(p["contacts_last_7_days"], Value::Null);
        assert_eq!(p["quiet_days_left"], Value::Null);
        assert_eq!(p["nudge"]["id"], nudge);
        assert_eq!(p["days_since_last_contact"], 0);
    }
}

#[test]
fn the_interactive_contact_reads_piped_answers_and_offers_a_draft_when_nudged() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    // when (now), text, I did, no reply, felt 3, no note.
    let one = "\n1\n1\nn\n3\n\n";
    let out = at(&env, "2026-11-29T10:00:00+01:00", &["contact"], one);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&squash(&wb.pacing.questions.intro)), "{err}");
    assert!(
        !err.contains(&wb.pacing.drafts.offer),
        "no nudge, no offer: {err}"
    );
    assert!(
        !err.contains(&wb.welcome.support.title),
        "a 3 brings no help block: {err}"
    );

    // A day given by hand; a social message; then yes to the draft, and its text.
    let two = "yesterday\n2026-11-29 10:30\n3\n1\nn\n2\nfelt silly\ny\nI miss our Sunday walks.\n";
    let out = at(&env, "2026-11-29T11:00:00+01:00", &["contact"], two);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("is not a time exback understands"), "{err}");
    assert!(
        err.contains(&wb.welcome.support.title),
        "a 2 brings the help block: {err}"
    );
    assert!(err.contains(&squash(&wb.pacing.drafts.offer)), "{err}");
    assert!(err.contains("Kept as an unsent draft"), "{err}");
    let contacts = lines_of(&env.file("contacts.jsonl"));
    assert_eq!(contacts[1]["at"], "2026-11-29T10:30:00+01:00");
    assert_eq!(contacts[1]["channel"], "social");
    assert_eq!(contacts[1]["replied"], false);
    assert_eq!(contacts[1]["felt"], 2);
    assert_eq!(contacts[1]["note"], "felt silly");

    let drafts = json(&env.ok(&["draft", "list", "--json"], ""));
    assert_eq!(drafts[0]["text"], "I miss our Sunday walks.");
    let log = env.ok(&["log", "-n", "1"], "");
    assert!(log.contains("· unsent draft"), "{log}");
    assert!(log.contains("I miss our Sunday walks."), "{log}");

    // Stopping before the end logs nothing.
    let out = at(&env, "2026-11-29T12:00:00+01:00", &["contact"], "\n1\n");
    assert!(out.status.success());
    assert!(stderr(&out).contains("Nothing was logged"));
    assert_eq!(lines_of(&env.file("contacts.jsonl")).len(), 2);
}

#[test]
fn a_contact_logged_just_now_counts_at_once_with_the_real_clock() {
    let env = Env::new();
    env.set_now(None);
    env.ok(&["next"], "6 weeks ago\n2\nn\nn\nn\n");
    // when (now), text, I did, no reply, felt 5, a note.
    let out = env.run(&["contact"], "\n1\n1\nn\n5\njust a hello\n");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("last contact today · 1 unanswered message in a row"),
        "{err}"
    );
    assert!(!err.contains("nothing logged yet"), "{err}");
}

#[test]
fn a_draft_comes_from_the_arguments_or_standard_input_and_is_never_empty() {
    let env = Env::new();
    let id = env.ok(
        &["draft", "I", "keep", "thinking", "about", "the", "lake."],
        "",
    );
    assert!(is_id(id.trim()), "{id:?}");
    let id2 = env.ok(&["draft"], "From a pipe,\nover two lines.\n");
    assert!(is_id(id2.trim()));
    let drafts = json(&env.ok(&["draft", "list", "--json"], ""));
    assert_eq!(drafts[0]["id"], id2.trim(), "newest first");
    assert_eq!(drafts[0]["text"], "From a pipe,\nover two lines.");
    assert_eq!(drafts[1]["text"], "I keep thinking about the lake.");
    let journal = lines_of(&env.file("journal.jsonl"));
    assert!(journal.iter().all(|e| e["kind"] == "draft" && e["v"] == 1));
    let text = env.ok(&["draft", "list", "-n", "1"], "");
    assert!(text.contains("unsent draft") && text.contains("over two lines."));
    assert!(!text.contains("the lake"), "-n 1 shows one");

    let out = env.run(&["draft"], "  \n\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the draft is empty, so nothing was saved"));
    assert_eq!(lines_of(&env.file("journal.jsonl")).len(), 2);
    let none = Env::new();
    let out = none.run(&["draft", "list"], "");
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(stderr(&out).contains("No drafts yet"));
}

#[test]
fn mood_check_ins_are_saved_and_next_offers_one_at_most_once_a_day() {
    let env = Env::new();
    let wb = workbook();
    let s1 = wb.step(1).unwrap();
    let question = squash(&wb.welcome.mood.question);

    // The first run is onboarding: no check-in, even though none was given today.
    let out = at(
        &env,
        "2026-11-28T09:00:00+01:00",
        &["next"],
        &onboarding_lines_on("2026-10-18", false, false),
    );
    assert!(!stderr(&out).contains(&question));

    let id = ok_at(
        &env,
        "2026-11-28T10:00:00+01:00",
        &["mood", "6", "slept", "well"],
        "",
    );
    assert!(is_id(id.trim()));
    // Checked in today already: `next` goes straight to the step.
    let out = at(
        &env,
        "2026-11-28T11:00:00+01:00",
        &["next"],
        "First answer.\n",
    );
    let err = stderr(&out);
    assert!(!err.contains(&question), "{err}");
    assert!(err.contains("continues with question 2 of step 1"), "{err}");

    // The next day it is offered first; a number and a note are saved.
    let answer = |i: usize| {
        let from = answer_lines(s1, i);
        from[..from.len() - answer_lines(s1, i + 1).len()].to_string()
    };
    let out = at(
        &env,
        "2026-11-29T08:00:00+01:00",
        &["next"],
        &("4\ntired\n".to_string() + &answer(1)),
    );
    let err = stderr(&out);
    assert!(err.find(&question).unwrap() < err.find(&squash(&s1.prompts[1].text)).unwrap());
    assert!(err.contains(&squash(&wb.welcome.mood.saved)), "{err}");
    // Later the same day: not again.
    let out = at(&env, "2026-11-29T20:00:00+01:00", &["next"], "");
    assert!(!stderr(&out).contains(&question));
    // The day after, skipped with an empty line, and then not again that day.
    let out = at(
        &env,
        "2026-11-30T08:00:00+01:00",
        &["next"],
        &(SKIP_MOOD.to_string() + &answer(2)),
    );
    assert!(stderr(&out).contains(&question));
    let out = at(&env, "2026-11-30T09:00:00+01:00", &["next"], "");
    assert!(!stderr(&out).contains(&question));

    let moods = lines_of(&env.file("moods.jsonl"));
    assert_eq!(moods.len(), 2, "a skip is not a check-in");
    assert_eq!(moods[0]["score"], 6);
    assert_eq!(moods[0]["note"], "slept well");
    assert_eq!(moods[1]["score"], 4);
    assert_eq!(moods[1]["note"], "tired");
    assert_eq!(moods[1]["at"], "2026-11-29T08:00:00+01:00");
    // Every answer went to the prompt it was meant for, none to the check-in.
    let journal = lines_of(&env.file("journal.jsonl"));
    let ids: Vec<&str> = journal
        .iter()
        .map(|e| e["prompt_id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = s1.prompts[..3].iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(journal[0]["answer"], "First answer.");
}

/// The scenario of the status snapshot: step 1 done on 1 November, three contacts
/// of which the last two are unanswered, and four days of check-ins.
fn snapshot_scenario(env: &Env) {
    let s1 = workbook().step(1).cloned().unwrap();
    let input = onboarding_lines_on("2026-10-18", false, false) + &step_lines(&s1) + "n\n";
    ok_at(env, "2026-11-01T09:00:00+01:00", &["next"], &input);
    for (now, flags) in [
        (
            "2026-11-25T18:00:00+01:00",
            "--channel text --from me --replied yes",
        ),
        ("2026-11-27T19:30:00+01:00", "--channel text --from me"),
        (
            "2026-11-28T20:00:00+01:00",
            "--channel social --from me --replied no",
        ),
    ] {
        let out = contact_add(env, now, flags);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for (day, score) in [("26", "5"), ("27", "3"), ("28", "6"), ("29", "7")] {
        ok_at(
            env,
            &format!("2026-11-{day}T08:00:00+01:00"),
            &["mood", score],
            "",
        );
    }
    env.set_now(Some("2026-11-29T20:15:00+01:00"));
}

#[test]
fn status_at_80_columns_is_this_screen() {
    let env = Env::new();
    snapshot_scenario(&env);
    let mut cmd = env.cmd(&["status"]);
    // Plain when piped, even with colour not turned off.
    cmd.env_remove("NO_COLOR");
    let out = common::run_with(cmd, "");
    assert!(out.status.success());
    let screen = String::from_utf8(out.stdout).unwrap();
    let mut expected = String::new();
    for line in [
        "exback status · 2026-11-29 20:15",
        "",
        "Steps     ■□□□□□□ 1 of 7 done",
        "          1 ✓ 2026-11-01",
        "          now: step 2, Prepare yourself emotionally",
        "Breakup   42 days ago · 2026-10-18",
        "Contact   last contact yesterday · 2 unanswered messages in a row",
        "          3 contacts in the last 7 days, 3 by you",
        "          Your last 2 messages haven't had a reply yet. For now, the silence is",
        "          their answer, and another message would only add weight to it. This is",
        "          a good moment to pause. If there's something you want to say, write it",
        "          as an unsent draft and keep it here.",
        "          When the pull to write to them is strong, `exback urge` helps you",
        "          through the moment, and `exback draft` keeps your words here, unsent.",
        "Mood      ··························▄▃▅▆ last 30 days",
        "          today 7/10 · 4 days in a row",
        "Next      `exback next` asks question 1 of 8 of step 2:",
        "          “Which feelings are with you most these days?”",
    ] {
        let _ = writeln!(expected, "{line}");
    }
    assert_eq!(screen, expected);
    for line in screen.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
        assert!(!line.contains('\x1b'), "no colour when piped: {line:?}");
    }
}

#[test]
fn status_json_has_the_same_facts() {
    let env = Env::new();
    snapshot_scenario(&env);
    let r = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(r["now"], "2026-11-29T20:15:00+01:00");
    assert_eq!(r["onboarded"], true);
    assert_eq!(r["path"], "full");
    assert_eq!(r["steps"]["done"], 1);
    assert_eq!(r["steps"]["total"], 7);
    assert_eq!(r["steps"]["current"]["number"], 2);
    assert_eq!(
        r["steps"]["completed"][0]["completed_at"],
        "2026-11-01T09:00:00+01:00"
    );
    assert_eq!(r["moving_on"], Value::Null);
    assert_eq!(r["outcome"], Value::Null);
    assert_eq!(r["breakup"]["date"], "2026-10-18");
    assert_eq!(r["breakup"]["days_since"], 42);
    let p = &r["pacing"];
    assert_eq!(p["mode"], "coaching");
    assert_eq!(p["coaching"], true);
    assert_eq!(p["contacts_logged"], 3);
    assert_eq!(p["days_since_last_contact"], 1);
    assert_eq!(p["unanswered_in_a_row"], 2);
    assert_eq!(p["contacts_last_7_days"], 3);
    assert_eq!(p["started_by_you_last_7_days"], 3);
    assert_eq!(p["quiet_days_left"], Value::Null);
    assert_eq!(p["nudge"]["id"], "unanswered");
    assert!(
        p["nudge"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Your last 2 messages")
    );
    let m = &r["mood"];
    let days = m["last_30_days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[26..], [5, 3, 6, 7].map(Value::from));
    assert!(days[..26].iter().all(Value::is_null));
    assert_eq!(m["sparkline"], "··························▄▃▅▆");
    assert_eq!(m["today"], 7);
    assert_eq!(m["streak_days"], 4);
    assert_eq!(m["check_in_due"], false);
    let n = &r["next"];
    assert_eq!(n["what"], "question");
    assert_eq!(n["step"]["id"], "prepare");
    assert_eq!(n["question"], 1);
    assert_eq!(n["questions"], 8);
    assert_eq!(
        n["prompt"],
        workbook().step(2).unwrap().prompts[0].text.as_str()
    );
    assert_eq!(n["mood_check_in_first"], false);
}

#[test]
fn status_before_anything_points_at_next() {
    let env = Env::new();
    let screen = env.ok(&["status"], "");
    assert!(screen.contains("not started yet"), "{screen}");
    assert!(screen.contains("`exback next` starts with five short questions"));
    assert!(screen.contains("no check-ins yet"));
    let r = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(r["onboarded"], false);
    assert_eq!(r["next"]["what"], "onboarding");
    assert_eq!(r["breakup"], Value::Null);
}

/// One line per prompt of an outcome's reflection.
fn reflection_lines(id: &str) -> String {
    let wb = workbook();
    let mut out = String::new();
    for p in &wb.outcomes.get(id).unwrap().prompts {
        let line = if p.kind == exback::testing::workbook::PromptKind::Scale {
            "5".to_string()
        } else {
            format!("reflecting on {}", p.id)
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Step 1 done on 20 November, then "moved on" recorded on 29 November.
fn moved_on_after_step_one(env: &Env) -> Output {
    let wb = workbook();
    let s1 = wb.step(1).unwrap();
    let input = onboarding_lines_on("2026-10-18", false, false) + &step_lines(s1) + "n\n";
    ok_at(env, "2026-11-20T09:00:00+01:00", &["next"], &input);
    at(
        env,
        "2026-11-29T09:00:00+01:00",
        &["outcome", "moved-on"],
        &reflection_lines("moved-on"),
    )
}

#[test]
fn moved_on_switches_to_the_moving_on_steps_and_ends_contact_coaching() {
    let env = Env::new();
    let wb = workbook();
    let out = moved_on_after_step_one(&env);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&squash(&wb.outcomes.to_moving_on)), "{err}");
    assert!(err.contains(&squash(&wb.outcomes.get("moved-on").unwrap().closing)));
    let progress = json(&std::fs::read_to_string(env.file("progress.json")).unwrap());
    assert_eq!(progress["outcome"]["kind"], "moved-on");
    assert_eq!(progress["outcome"]["at"], "2026-11-29T09:00:00+01:00");

    let steps = env.ok(&["steps"], "");
    assert!(steps.starts_with("Moving on · □□□ 0 of 3 done"), "{steps}");
    assert!(steps.contains("→ 1. Let yourself grieve"), "{steps}");
    assert!(
        steps.contains("✓ 1. Understand why the breakup happened"),
        "{steps}"
    );
    assert!(
        steps.contains("· 3. Re-establish contact the right way"),
        "{steps}"
    );
    let steps_json = json(&env.ok(&["steps", "--json"], ""));
    assert_eq!(steps_json["moving_on_active"], true);
    assert_eq!(steps_json["moving_on"][0]["status"], "current");
    assert_eq!(steps_json["steps"][1]["status"], "ahead");

    // `next` walks the moving-on steps; the entries carry their step id.
    let grief = &wb.moving_on.steps[0];
    let out = at(
        &env,
        "2026-11-29T10:00:00+01:00",
        &["next"],
        &(SKIP_MOOD.to_string() + &answer_lines(grief, 0) + "n\n"),
    );
    let err = stderr(&out);
    assert!(err.contains(&squash(&wb.moving_on.intro)), "{err}");
    assert!(
        err.contains("Moving on · 1 of 3 · Let yourself grieve"),
        "{err}"
    );
    assert!(
        err.contains("starts moving-on step 2, Keep what you learned"),
        "{err}"
    );
    let log = env.ok(&["log", "-n", "1"], "");
    assert!(log.contains("· Moving on · Let yourself grieve"), "{log}");
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["path"], "moving-on");
    assert_eq!(status["moving_on"]["done"], 1);
    assert_eq!(status["pacing"]["mode"], "moved-on");
    assert_eq!(status["next"]["step"]["set"], "moving-on");

    // Contact is still logged, with the respect-their-choice nudge only.
    let out = contact_add(
        &env,
        "2026-11-29T11:00:00+01:00",
        "--channel text --from me",
    );
    assert!(stderr(&out).contains(&squash(&wb.pacing.nudges.moved_on.text)));
    let out = at(
        &env,
        "2026-11-29T11:00:00+01:00",
        &["next", "--step", "3"],
        "",
    );
    assert!(out.status.success());
    assert!(stderr(&out).contains(&squash(&wb.outcomes.contact_closed)));
}

#[test]
fn another_outcome_switches_back_to_the_seven_steps_keeping_everything() {
    let env = Env::new();
    let wb = workbook();
    assert!(moved_on_after_step_one(&env).status.success());
    let grief = &wb.moving_on.steps[0];
    let two_answers = answer_lines(grief, 0)
        [..answer_lines(grief, 0).len() - answer_lines(grief, 2).len()]
        .to_string();
    at(
        &env,
        "2026-11-29T10:00:00+01:00",
        &["next"],
        &(SKIP_MOOD.to_string() + &two_answers),
    );

    let out = at(
        &env,
        "2026-11-30T09:00:00+01:00",
        &["outcome", "still-hoping"],
        &reflection_lines("still-hoping"),
    );
    assert!(stderr(&out).contains(&squash(&wb.outcomes.back_from_moving_on)));
    let steps = env.ok(&["steps"], "");
    assert!(
        steps.contains("→ 2. Prepare yourself emotionally"),
        "{steps}"
    );
    assert!(!steps.contains("not offered"), "{steps}");
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["path"], "full");
    assert_eq!(status["outcome"]["id"], "still-hoping");
    assert_eq!(status["pacing"]["coaching"], true);
    let progress = json(&std::fs::read_to_string(env.file("progress.json")).unwrap());
    assert_eq!(
        progress["steps"]["grief"]["answered"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(progress["steps"]["understand"]["completed_at"].is_string());

    let journal = lines_of(&env.file("journal.jsonl"));
    let reflections: Vec<&Value> = journal.iter().filter(|e| e["kind"] == "outcome").collect();
    assert_eq!(
        reflections.len(),
        wb.outcomes.get("moved-on").unwrap().prompts.len()
            + wb.outcomes.get("still-hoping").unwrap().prompts.len()
    );
    assert_eq!(reflections[0]["outcome"], "moved-on");
    assert_eq!(reflections.last().unwrap()["outcome"], "still-hoping");
    let log = env.ok(&["log", "-n", "1"], "");
    assert!(log.contains("· outcome: I'm still hoping"), "{log}");

    // Moved on again, then cleared: the seven steps, as if none had been recorded.
    ok_at(
        &env,
        "2026-11-30T10:00:00+01:00",
        &["outcome", "moved-on"],
        &reflection_lines("moved-on"),
    );
    let out = at(
        &env,
        "2026-11-30T11:00:00+01:00",
        &["outcome", "--clear"],
        "",
    );
    assert!(stderr(&out).contains(&squash(&wb.outcomes.back_from_moving_on)));
    let progress = json(&std::fs::read_to_string(env.file("progress.json")).unwrap());
    assert!(progress.get("outcome").is_none());
    assert!(
        env.ok(&["steps"], "")
            .contains("→ 2. Prepare yourself emotionally")
    );
}

#[test]
fn the_outcome_can_be_chosen_from_the_list_and_stopping_early_changes_nothing() {
    let env = onboarded("2026-10-18", false, false);
    let out = env.run(&["outcome"], "");
    assert!(out.status.success());
    assert!(stderr(&out).contains("Nothing was changed"));
    assert!(
        json(&std::fs::read_to_string(env.file("progress.json")).unwrap())
            .get("outcome")
            .is_none()
    );

    let out = env.run(
        &["outcome"],
        &("2\n".to_string() + &reflection_lines("friends")),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["outcome"]["id"], "friends");
    assert_eq!(status["path"], "full");

    // Given on the command line, then stopped in the reflection: the outcome stays.
    let out = env.run(&["outcome", "back-together"], "");
    assert!(out.status.success());
    assert!(stderr(&out).contains("`exback outcome back-together` asks the reflection again"));
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["outcome"]["id"], "back-together");
    assert_eq!(status["pacing"]["mode"], "together");
    assert_eq!(status["pacing"]["coaching"], false);
}

#[test]
fn on_the_no_contact_path_next_goes_on_into_the_moving_on_steps() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    let input = onboarding_lines_on("2026-10-18", true, false)
        + &step_lines(s1)
        + "y\n"
        + &step_lines(s2)
        + "y\n"
        + &answer_lines(&wb.moving_on.steps[0], 0);
    let out = at(&env, "2026-11-29T09:00:00+01:00", &["next"], &input);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let done = err
        .find(&squash(&wb.welcome.limited_path.done))
        .expect(&err);
    let next = err
        .find("Continue with moving-on step 1, Let yourself grieve")
        .unwrap();
    assert!(done < next, "the way on is explained before the question");
    assert!(!err.contains(&squash(&wb.step(3).unwrap().why)));
    let status = json(&env.ok(&["status", "--json"], ""));
    // The path keeps its name once its moving-on steps begin.
    assert_eq!(status["path"], "limited");
    assert_eq!(status["path_kind"], "no-contact");
    assert_eq!(status["moving_on"]["done"], 1);
    assert_eq!(status["pacing"]["mode"], "no-contact");
}

#[test]
fn help_lists_the_new_commands() {
    let env = Env::new();
    let help = env.ok(&["--help"], "");
    for needle in ["contact", "draft", "mood", "status", "outcome", "EDITOR"] {
        assert!(help.contains(needle), "help mentions {needle}");
    }
    let contact = env.ok(&["contact", "--help"], "");
    assert!(contact.contains("never sends anything"), "{contact}");
    let bare = env.ok(&[], "");
    assert!(bare.contains("exback status"), "{bare}");
}

#[test]
fn urge_works_with_piped_answers_keeps_an_unsent_draft_and_never_says_send() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    let out = contact_add(
        &env,
        "2026-11-29T10:00:00+01:00",
        "--channel text --from me --replied no",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // How strong (2: near the hardest end), what to say, how it feels after.
    let out = at(
        &env,
        "2026-11-29T23:40:00+01:00",
        &["urge"],
        "2\nI just want to hear your voice.\n6\n",
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&squash(&wb.pacing.urge.kept)), "{err}");
    assert!(
        err.contains("1 unanswered message in a row"),
        "the pace from the log: {err}"
    );
    assert!(err.contains(&squash(&wb.pacing.urge.instead[0])), "{err}");
    assert!(
        err.contains(&wb.welcome.support.title),
        "2 brings the support block: {err}"
    );
    assert!(err.contains(&squash(&wb.pacing.urge.closing)), "{err}");
    assert!(
        !err.to_lowercase().contains("send"),
        "never says send: {err}"
    );

    let drafts = json(&env.ok(&["draft", "list", "--json"], ""));
    assert_eq!(drafts[0]["text"], "I just want to hear your voice.");
    let notes = json(&env.ok(&["log", "--tag", "urge", "--json"], ""));
    let before_after = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "note")
        .unwrap();
    assert_eq!(before_after["value"]["before"], 2);
    assert_eq!(before_after["value"]["after"], 6);

    // On the no-contact path the pace is the respect wording.
    let env = onboarded("2026-10-18", true, false);
    let out = at(&env, "2026-11-29T23:40:00+01:00", &["urge"], "7\n\n8\n");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&squash(&wb.pacing.nudges.no_contact.text)),
        "{err}"
    );
    assert!(
        !err.contains(&wb.welcome.support.title),
        "7 is not the hardest end"
    );
    assert!(!err.to_lowercase().contains("send"), "{err}");
}

#[test]
fn support_prints_the_block_with_countries_and_its_review_date_and_as_json() {
    let env = Env::new();
    let wb = workbook();
    let text = env.ok(&["support"], "");
    let flat = squash(&text);
    assert!(flat.contains(&wb.welcome.support.title));
    for r in &wb.welcome.support.resources {
        assert!(
            flat.contains(&squash(&format!("{} · {}", r.country, r.name))),
            "{flat}"
        );
        assert!(flat.contains(&squash(&r.contact)), "{flat}");
    }
    let reviewed = wb.welcome.support.reviewed.clone().unwrap();
    assert!(flat.contains(&format!("Reviewed {reviewed}.")), "{flat}");

    let doc = json(&env.ok(&["support", "--json"], ""));
    assert_eq!(doc["reviewed"], reviewed.as_str());
    assert_eq!(
        doc["resources"].as_array().unwrap().len(),
        wb.welcome.support.resources.len()
    );
    assert_eq!(doc["resources"][0]["country"], "International");
    assert!(doc["text"].as_str().unwrap().contains("emergency number"));
}

#[test]
fn logistics_contacts_never_count_towards_the_pace_and_get_their_own_word() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    let practical_word = squash(&wb.pacing.notes.practical_unanswered);
    for hour in ["10", "11", "12", "13"] {
        let out = contact_add(
            &env,
            &format!("2026-11-29T{hour}:00:00+01:00"),
            "--channel text --from me --replied no --logistics",
        );
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(&squash(&wb.pacing.notes.logistics)), "{err}");
        assert!(!err.contains("haven't had a reply"), "{err}");
        // A run of unanswered practical messages gets a word, from the third on.
        assert_eq!(
            err.contains(&practical_word),
            hour >= "12",
            "at {hour}: {err}"
        );
    }
    // An answer ends the run.
    contact_add(
        &env,
        "2026-11-29T14:00:00+01:00",
        "--channel text --from them --logistics",
    );
    let out = contact_add(
        &env,
        "2026-11-29T15:00:00+01:00",
        "--channel text --from me --replied yes --logistics",
    );
    assert!(!stderr(&out).contains(&practical_word), "{}", stderr(&out));
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["pacing"]["unanswered_in_a_row"], 0);
    assert_eq!(status["pacing"]["nudge"], Value::Null);
    let list = json(&env.ok(&["contact", "list", "--json"], ""));
    assert_eq!(list[0]["logistics"], true);

    // On the no-contact path: expected, with a word on keeping it practical.
    let env = onboarded("2026-10-18", true, false);
    let out = contact_add(
        &env,
        "2026-11-29T10:00:00+01:00",
        "--channel call --from them --logistics",
    );
    let err = stderr(&out);
    assert!(
        err.contains(&squash(&wb.pacing.notes.logistics_limited)),
        "{err}"
    );
    assert!(
        !err.contains(&squash(&wb.pacing.nudges.no_contact.text)),
        "{err}"
    );
    let status = json(&env.ok(&["status", "--json"], ""));
    assert_eq!(status["pacing"]["nudge"], Value::Null);
}

#[test]
fn a_contact_before_step_three_is_done_gets_a_note_never_a_block() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    let out = contact_add(
        &env,
        "2026-11-29T10:00:00+01:00",
        "--channel text --from me --replied yes",
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&squash(&wb.pacing.notes.before_step_three)),
        "{err}"
    );
    assert_eq!(
        json(&env.ok(&["contact", "list", "--json"], ""))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Said once: the next contact is logged without it.
    let out = contact_add(
        &env,
        "2026-12-03T10:00:00+01:00",
        "--channel text --from me --replied yes",
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains(&squash(&wb.pacing.notes.before_step_three)),
        "{err}"
    );
}

#[test]
fn content_check_reports_broken_reactions_with_file_and_line() {
    let env = Env::new();
    let pack = env.tmp.path().join("pack");
    env.ok(&["content", "export", pack.to_str().unwrap()], "");
    let step3 = pack.join("03-contact.toml");
    let text = std::fs::read_to_string(&step3).unwrap();
    let text = text.replacen(
        "options = [\"not-sure-yet\"]",
        "options = [\"not-sure\"]",
        1,
    );
    std::fs::write(&step3, text).unwrap();
    let step2 = pack.join("02-prepare.toml");
    let text = std::fs::read_to_string(&step2).unwrap();
    let text = text.replacen("range = [1, 2]", "range = [9, 12]", 1);
    std::fs::write(&step2, text.clone()).unwrap();
    let out = env.run(&["content", "check", pack.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let line_of = |file: &str, needle: &str| {
        std::fs::read_to_string(pack.join(file))
            .unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    let bad_option = format!(
        "03-contact.toml:{}:",
        line_of("03-contact.toml", "\"not-sure\"]")
    );
    assert!(
        err.contains(&bad_option) && err.contains("\"not-sure\""),
        "{err}"
    );
    let bad_range = format!(
        "02-prepare.toml:{}:",
        line_of("02-prepare.toml", "range = [9, 12]")
    );
    assert!(err.contains(&bad_range) && err.contains("[9, 12]"), "{err}");
}

/// A contact that left someone feeling awful (the lowest scores) brings the help block
/// straight away, before any talk of pace, however it was logged.
#[test]
fn a_contact_that_left_them_feeling_awful_brings_help_at_once() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    let support = &wb.welcome.support;
    let [low, high] = wb.pacing.questions.felt_support_range.unwrap();
    for (felt, logistics, helped) in [
        (low, "", true),
        (high, " --logistics", true),
        (high + 1, "", false),
        (10, "", false),
    ] {
        let flags = format!("--channel call --from them --felt {felt}{logistics}");
        let out = contact_add(&env, "2026-11-29T10:00:00+01:00", &flags);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert_eq!(err.contains(&support.title), helped, "felt {felt}: {err}");
        if helped {
            let help = err.find(&support.title).unwrap();
            assert!(
                help < err.find("since the breakup").unwrap_or(usize::MAX),
                "{err}"
            );
            assert!(err.contains(&support.resources[0].contact), "{err}");
        }
    }
}

#[test]
fn with_the_breakup_yesterday_step_three_offers_no_contact_until_the_quiet_time_is_over() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2, s3) = (
        wb.step(1).unwrap(),
        wb.step(2).unwrap(),
        wb.step(3).unwrap(),
    );
    // Breakup yesterday; steps 1 and 2 in one run, then lines that would answer step 3.
    let input = onboarding_lines_on("yesterday", false, false)
        + &step_lines(s1)
        + "y\n"
        + &step_lines(s2)
        + "y\n"
        + &answer_lines(s3, 0);
    let out = at(&env, "2026-11-29T20:15:00+01:00", &["next"], &input);
    let err = squash(&stderr(&out));
    assert!(out.status.success(), "{err}");
    assert!(err.contains("20 days more, until 2026-12-19"), "{err}");
    assert!(
        err.contains("exback urge") && err.contains("exback draft"),
        "{err}"
    );
    assert!(!err.contains("Continue with step 3"), "{err}");
    assert!(!err.contains(&squash(&s3.prompts[1].text)), "{err}");
    assert!(
        !err.contains("Pick a starting point"),
        "no templates: {err}"
    );

    let status = json(&ok_at(
        &env,
        "2026-12-01T10:00:00+01:00",
        &["status", "--json"],
        "",
    ));
    assert_eq!(status["next"]["what"], "quiet-time", "{status}");
    assert_eq!(status["next"]["opens_on"], "2026-12-19");
    assert_eq!(status["next"]["step"]["number"], 3);

    // A draft is possible any time.
    ok_at(
        &env,
        "2026-12-01T10:00:00+01:00",
        &["draft", "I miss you."],
        "",
    );

    // Once the days have passed, step 3 opens by itself.
    let out = at(&env, "2026-12-19T10:00:00+01:00", &["next"], SKIP_MOOD);
    let err = squash(&stderr(&out));
    assert!(err.contains(&squash(&s3.prompts[0].text)), "{err}");
}

#[test]
fn urge_after_a_pause_still_at_the_hardest_brings_the_support_block_and_pipes_never_wait() {
    let env = onboarded("2026-10-18", false, false);
    let wb = workbook();
    // 6 at first (no help yet), nothing to say, and 1 after the pause. A piped run is
    // never offered the countdown, so these three lines answer everything.
    let started = std::time::Instant::now();
    let out = at(&env, "2026-11-29T23:40:00+01:00", &["urge"], "6\n\n1\n");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let after = err.find(&squash(&wb.pacing.urge.after)).unwrap();
    let help = err.find(&wb.welcome.support.title).expect(&err);
    assert!(after < help, "the help follows the after-check: {err}");
    assert!(!err.contains(&squash(&wb.pacing.urge.pause_offer)), "{err}");
}

/// A mood at the hardest end (1 or 2) brings the support block before "Checked in";
/// any other score does not.
#[test]
fn a_mood_of_one_or_two_shows_help_before_checked_in() {
    let env = Env::new();
    let wb = workbook();
    let title = wb.welcome.support.title.as_str();
    for (args, helped) in [
        (&["mood", "1", "a", "bad", "night"][..], true),
        (&["mood", "2"][..], true),
        (&["mood", "3"][..], false),
        (&["mood", "4"][..], false),
    ] {
        let out = env.run(args, "");
        let err = stderr(&out);
        assert!(out.status.success(), "{args:?}: {err}");
        let checked = err.find("Checked in").expect(&err);
        match err.find(title) {
            Some(help) => assert!(
                helped && help < checked,
                "{args:?}: help only for 1 and 2, before \"Checked in\": {err}"
            ),
            None => assert!(!helped, "{args:?} must bring the support block: {err}"),
        }
    }
}
