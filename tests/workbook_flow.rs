//! The guided path end to end through the real binary, answers piped on stdin.

mod common;

use common::{
    Env, SKIP_MOOD, answer_lines, mode, onboarding_lines, readiness_lines, squash, stderr, workbook,
};
use exback::testing::workbook::PathKind;

#[test]
fn onboarding_and_step_one_then_pausing_in_step_two_and_resuming_exactly_there() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());

    // Onboarding, all of step 1, readiness passes, "continue?" yes, then two answers of step 2.
    let mut input = onboarding_lines(false, false);
    input += &answer_lines(s1, 0);
    input += &readiness_lines(s1, true);
    input += "y\n";
    // The lines answering step 2's first two prompts.
    let step2_all = answer_lines(s2, 0);
    let first_two = step2_all.strip_suffix(&answer_lines(s2, 2)).unwrap();
    input += first_two;
    let out = env.run(&["next"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("Step 1 of 7"), "{err}");
    assert!(err.contains("Step 1 is done"), "{err}");
    assert!(err.contains("Step 2 of 7"), "{err}");
    assert!(err.contains("continues with question 3 of step 2"), "{err}");

    let steps = env.ok(&["steps"], "");
    assert!(
        steps.contains("✓ 1. Understand why the breakup happened"),
        "{steps}"
    );
    assert!(steps.contains("→ 2."), "{steps}");
    assert!(steps.contains("■□□□□□□ 1 of 7 done"), "{steps}");

    // Resume (after skipping the day's mood check-in): the first question asked is
    // step 2's third prompt.
    let out = env.run(&["next"], &(SKIP_MOOD.to_string() + &answer_lines(s2, 2)));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let third = err
        .find(&squash(&s2.prompts_on(PathKind::Full)[2].text))
        .expect("third prompt asked");
    assert!(
        !err[..third].contains(&squash(&s2.prompts_on(PathKind::Full)[1].text)),
        "the second prompt is not asked again"
    );
    assert!(
        err.contains(&format!(
            "Picking up where you left off: 2 of {}",
            s2.prompts_on(PathKind::Full).len()
        )),
        "{err}"
    );

    // Every text answer given is in the log.
    let log = squash(&env.ok(&["log"], ""));
    for step in [s1, s2] {
        for p in step.prompts_on(PathKind::Full) {
            assert!(log.contains(&squash(&p.text)), "log shows prompt {}", p.id);
            if matches!(
                p.kind,
                exback::testing::workbook::PromptKind::LongText
                    | exback::testing::workbook::PromptKind::ShortText
            ) {
                assert!(
                    log.contains(&format!("my answer to {}", p.id)),
                    "log shows the answer to {}",
                    p.id
                );
            }
        }
    }
    // Newest first: a step 2 answer comes before any step 1 answer.
    let newest_s2 = log
        .find(&squash(&s2.prompts_on(PathKind::Full).last().unwrap().text))
        .unwrap();
    assert!(
        newest_s2
            < log
                .find(&squash(&s1.prompts_on(PathKind::Full)[0].text))
                .unwrap()
    );
}

#[test]
fn log_filters_by_step_and_limits_the_count() {
    let env = Env::new();
    let wb = workbook();
    let s1 = wb.step(1).unwrap();
    let input =
        onboarding_lines(false, false) + &answer_lines(s1, 0) + &readiness_lines(s1, true) + "n\n";
    env.ok(&["next"], &input);

    let two = squash(&env.ok(&["log", "-n", "2"], ""));
    assert_eq!(two.matches("· Step 1 ·").count(), 2, "{two}");
    let last_check = squash(&s1.checks_on(PathKind::Full).last().unwrap().text);
    assert!(
        two.contains(&last_check),
        "the newest entry is the last readiness answer"
    );

    assert!(
        squash(&env.ok(&["log", "--step", "1"], ""))
            .contains(&squash(&s1.prompts_on(PathKind::Full)[0].text))
    );
    let out = env.run(&["log", "--step", "2"], "");
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("No entries match."));
}

#[test]
fn a_failed_readiness_check_keeps_the_step_open() {
    let env = Env::new();
    let s1 = workbook().step(1).cloned().unwrap();
    let input =
        onboarding_lines(false, false) + &answer_lines(&s1, 0) + &readiness_lines(&s1, false);
    let out = env.run(&["next"], &input);
    assert!(out.status.success());
    assert!(stderr(&out).contains(&squash(&s1.readiness.not_ready)));
    assert!(env.ok(&["steps"], "").contains("→ 1."));

    // The next run goes straight to the readiness questions.
    let out = env.run(
        &["next"],
        &(SKIP_MOOD.to_string() + &readiness_lines(&s1, true) + "n\n"),
    );
    let err = stderr(&out);
    assert!(err.contains("Step 1 is done"), "{err}");
    assert!(!err.contains(&squash(&s1.prompts_on(PathKind::Full)[0].text)));
}

#[test]
fn no_contact_keeps_steps_one_and_two_and_offers_nothing_about_contact() {
    let env = Env::new();
    let wb = workbook();
    let out = env.run(&["next"], &onboarding_lines(true, false));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&wb.welcome.no_contact_path.title));
    assert!(err.contains("Where to find help"));

    let steps = env.ok(&["steps"], "");
    for n in 3..=7 {
        assert!(
            steps.contains(&format!("· {n}. ")),
            "step {n} not offered: {steps}"
        );
    }
    assert!(steps.contains("not offered"));

    let out = env.run(&["next", "--step", "3"], "");
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&wb.welcome.no_contact_path.title), "{err}");
    assert!(!err.contains(&squash(&wb.step(3).unwrap().prompts[0].text)));

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["steps", "--json"], "")).unwrap();
    assert_eq!(json["limited_path"], true);
    assert_eq!(json["steps"][2]["status"], "not_offered");
    assert_eq!(json["steps"][0]["status"], "current");
}

#[test]
fn revisiting_a_done_step_adds_entries_and_keeps_the_old_ones() {
    let env = Env::new();
    let s1 = workbook().step(1).cloned().unwrap();
    let input = onboarding_lines(false, false)
        + &answer_lines(&s1, 0)
        + &readiness_lines(&s1, true)
        + "n\n";
    env.ok(&["next"], &input);
    let before = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();

    let revisit = SKIP_MOOD.to_string() + &answer_lines(&s1, 0).replace("my answer", "second look");
    let out = env.run(&["next", "--step", "1"], &revisit);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    assert!(after.starts_with(&before), "old entries are untouched");
    let log = env.ok(&["log", "--step", "1"], "");
    assert!(log.contains("second look to"));
    assert!(log.contains("my answer to"));
    assert!(env.ok(&["steps"], "").contains("✓ 1."));
}

#[test]
fn unknown_or_unopened_steps_get_a_one_line_error() {
    let env = Env::new();
    env.ok(&["next"], &onboarding_lines(false, false));
    for (args, says) in [
        (vec!["next", "--step", "9"], "there is no step 9"),
        (vec!["next", "--step", "4"], "step 4 opens once step 1"),
        (vec!["log", "--step", "0"], "there is no step 0"),
    ] {
        let out = env.run(&args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.starts_with("exback: ") && err.contains(says),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    let out = env.run(&["next", "--step", "x"], "");
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn empty_input_stops_kindly_and_saves_nothing_but_progress() {
    let env = Env::new();
    let out = env.run(&["next"], "");
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("one line per question"), "{err}");
    assert!(!err.to_lowercase().contains("not a terminal"));
    assert!(!env.file("journal.jsonl").exists());
    // Stopping inside onboarding says the four questions come again, not a step's.
    let out = env.run(&["next"], "3 weeks ago\n");
    let err = stderr(&out);
    assert!(
        err.contains("first five questions were done; `exback next` asks them again"),
        "{err}"
    );
    assert!(!err.contains("question 1 of step 1"), "{err}");
    // An empty journal says how to begin; a filter that matches nothing says so.
    assert!(stderr(&env.run(&["log"], "")).contains("No entries yet."));
    assert!(stderr(&env.run(&["log", "--grep", "x"], "")).contains("No entries match."));
}

#[test]
fn the_data_directory_and_files_are_private_from_birth() {
    let env = Env::new();
    let s1 = workbook().step(1).cloned().unwrap();
    env.ok(
        &["next"],
        &(onboarding_lines(false, false) + &answer_lines(&s1, 0)[..20] + "\n"),
    );
    assert_eq!(mode(&env.data()), 0o700);
    for f in ["journal.jsonl", "progress.json", "exback.lock"] {
        assert_eq!(mode(&env.file(f)), 0o600, "{f}");
    }
}

#[test]
fn each_entry_carries_id_time_step_prompt_kind_and_answer() {
    let env = Env::new();
    let s1 = workbook().step(1).cloned().unwrap();
    env.ok(
        &["next"],
        &(onboarding_lines(false, false) + "It just ended.\n"),
    );
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let entry: serde_json::Value = serde_json::from_str(journal.lines().next().unwrap()).unwrap();
    assert_eq!(entry["v"], 1);
    assert_eq!(entry["step"], 1);
    assert_eq!(
        entry["prompt_id"],
        s1.prompts_on(PathKind::Full)[0].id.as_str()
    );
    assert_eq!(
        entry["prompt"],
        s1.prompts_on(PathKind::Full)[0].text.as_str()
    );
    assert_eq!(
        entry["prompt_kind"],
        s1.prompts_on(PathKind::Full)[0].kind.as_str()
    );
    assert_eq!(entry["answer"], "It just ended.");
    assert_eq!(entry["id"].as_str().unwrap().len(), 12);
    chrono::DateTime::parse_from_rfc3339(entry["at"].as_str().unwrap()).unwrap();
    let progress: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.file("progress.json")).unwrap()).unwrap();
    assert_eq!(progress["format_version"], 1);
    assert_eq!(progress["onboarding"]["ended_by"], "them");
}

#[test]
fn onboarding_can_be_changed_later() {
    let env = Env::new();
    env.ok(&["next"], &onboarding_lines(true, false));
    assert!(env.ok(&["steps"], "").contains("not offered"));
    let out = env.run(
        &["next", "--onboarding"],
        &(onboarding_lines(false, false) + "n\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!env.ok(&["steps"], "").contains("not offered"));
}

#[test]
fn a_damaged_progress_file_is_reported_and_left_exactly_as_it_was() {
    let env = Env::new();
    env.ok(&["next"], &onboarding_lines(false, false));
    let damaged = b"{\"format_version\": 1, \"steps\": {\"understand\"".to_vec();
    std::fs::write(env.file("progress.json"), &damaged).unwrap();
    let out = env.run(&["next"], "an answer\n");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("progress.json is damaged") && err.contains("will not overwrite it"),
        "{err}"
    );
    assert_eq!(std::fs::read(env.file("progress.json")).unwrap(), damaged);
}

#[test]
fn bare_exback_points_at_next_and_help_shows_examples_and_environment() {
    let env = Env::new();
    let out = env.ok(&[], "");
    assert!(out.contains("exback next"), "{out}");
    assert!(out.contains("You have not started yet."));
    let help = env.ok(&["--help"], "");
    for needle in [
        "EXBACK_DATA_DIR",
        "NO_COLOR",
        "Examples:",
        "exback next",
        "130",
    ] {
        assert!(help.contains(needle), "help mentions {needle}");
    }
    let next_help = env.ok(&["next", "--help"], "");
    assert!(next_help.contains("one line per question"));
}

#[test]
fn not_sure_in_step_three_pauses_it_and_status_and_steps_show_the_pause() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2, s3) = (
        wb.step(1).unwrap(),
        wb.step(2).unwrap(),
        wb.step(3).unwrap(),
    );
    let channel = s3.prompt("channel").unwrap();
    let not_sure = channel
        .options
        .iter()
        .position(|o| o.id == "not-sure-yet")
        .unwrap()
        + 1;
    let position = s3
        .prompts_on(PathKind::Full)
        .iter()
        .position(|p| p.id == "channel")
        .unwrap();
    let mut before = String::new();
    for line in answer_lines(s3, 0).lines().take(position) {
        before.push_str(line);
        before.push('\n');
    }
    let input = onboarding_lines(false, false)
        + &answer_lines(s1, 0)
        + &readiness_lines(s1, true)
        + "y\n"
        + &answer_lines(s2, 0)
        + &readiness_lines(s2, true)
        + "y\n"
        + &before
        + &format!("{not_sure}\n");
    let out = env.run(&["next"], &input);
    let err = squash(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&squash(&wb.welcome.switch.paused)), "{err}");

    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json"], "")).unwrap();
    assert_eq!(status["paused"]["step"]["number"], 3, "{status}");
    assert_eq!(status["path_kind"], "full");
    assert_eq!(
        status["next"]["prompt"],
        channel.text.as_str(),
        "asked again next time"
    );
    let steps: serde_json::Value = serde_json::from_str(&env.ok(&["steps", "--json"], "")).unwrap();
    assert!(steps["steps"][2]["paused_at"].is_string(), "{steps}");
    assert!(env.ok(&["steps"], "").contains("is paused since"));
}

#[test]
fn a_declined_offer_after_a_decision_closes_the_door_and_status_shows_it_until_a_choice() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    let stand = s2.prompt("where-you-stand").unwrap();
    let decided = stand
        .options
        .iter()
        .position(|o| o.id == "decided-to-move-on")
        .unwrap()
        + 1;
    let last = s2.prompts_on(PathKind::Full).len() - 1;
    let mut before = String::new();
    for line in answer_lines(s2, 0).lines().take(last) {
        before.push_str(line);
        before.push('\n');
    }
    // "I've decided to move on", then no to the moving-on steps; more lines follow,
    // and none of them may be read as answers to step 3.
    let input = onboarding_lines(false, false)
        + &answer_lines(s1, 0)
        + &readiness_lines(s1, true)
        + "y\n"
        + &before
        + &format!("{decided}\nn\n")
        + "y\ny\ny\ny\n";
    let out = env.run(&["next"], &input);
    let err = squash(&stderr(&out));
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&squash(&wb.welcome.closed_door.declined)),
        "{err}"
    );
    assert!(!err.contains("Continue with step 3"), "{err}");
    assert!(!err.contains("Why do you want to get in touch"), "{err}");

    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json"], "")).unwrap();
    assert_eq!(status["paused"]["step"]["number"], 2, "{status}");
    assert_eq!(
        status["paused"]["door"]["said"],
        stand.options[decided - 1].label.as_str()
    );
    assert_eq!(status["paused"]["door"]["resting"], false);
    assert_eq!(status["next"]["what"], "closed-door");
    assert_eq!(
        status["next"]["prompt"],
        wb.welcome.closed_door.question.as_str()
    );
    let text = squash(&env.ok(&["status"], ""));
    assert!(text.contains("step 2 rests since"), "{text}");
    assert!(
        text.contains("asks where you'd like to go from here"),
        "{text}"
    );

    // The next run asks where to go: a pause of a week, shown by status.
    let d = &wb.welcome.closed_door;
    let pause = d.options.iter().position(|o| o.id == "pause").unwrap() + 1;
    let out = env.run(&["next"], &format!("{SKIP_MOOD}{pause}\n1\n"));
    let err = squash(&stderr(&out));
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&squash(&d.question)), "{err}");
    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json"], "")).unwrap();
    assert_eq!(
        status["paused"]["door"]["look_again"], "2026-12-06",
        "{status}"
    );
    assert_eq!(status["paused"]["door"]["resting"], true);
    assert_eq!(status["next"]["what"], "resting");
    assert!(squash(&env.ok(&["status"], "")).contains("paused until 2026-12-06"));
}

#[test]
fn blocked_is_kept_when_onboarding_stops_right_after_it() {
    let env = Env::new();
    // The date, who ended it, "yes, they blocked me", and then the input ends.
    let out = env.run(&["next"], "yesterday\n2\ny\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json"], "")).unwrap();
    assert_eq!(status["path_kind"], "no-contact", "{status}");
    assert_eq!(status["pacing"]["mode"], "no-contact");
    assert_eq!(status["pacing"]["coaching"], false);
    assert_eq!(status["next"]["what"], "onboarding");
}
