//! The real dialoguer prompts in a pseudo-terminal: a whole step answered by key
//! presses, and Ctrl-C in the middle of a step.

mod common;

use std::process::Command;

use common::{Env, onboarding_lines, squash, step_lines, workbook};
use exback::testing::workbook::{PathKind, PromptKind, Step};
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 30_000;

fn spawn(env: &Env, args: &[&str]) -> PtySession {
    let mut cmd: Command = env.cmd(args);
    cmd.env("TERM", "xterm-256color");
    spawn_command(cmd, Some(TIMEOUT_MS)).expect("exback starts in a pty")
}

/// The start of a prompt's text: enough to be unique, short enough not to be wrapped.
fn head(text: &str) -> String {
    text.chars().take(30).collect()
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).expect("send keys");
    p.flush().expect("flush");
}

/// Runs `exback next` with `piped` answers, then again in a pty. The second run of the
/// day offers the mood check-in first; Esc skips it.
fn next_again(env: &Env, piped: &str) -> PtySession {
    env.ok(&["next"], piped);
    let mut p = spawn(env, &["next"]);
    p.exp_string("how are you feeling today").unwrap();
    send(&mut p, "\x1b");
    p
}

/// Answers one prompt with real key presses; text answers name the prompt id.
fn answer(p: &mut PtySession, step: &Step, index: usize) {
    let prompt = step.prompts_on(PathKind::Full)[index];
    p.exp_string(&head(&prompt.text))
        .unwrap_or_else(|e| panic!("prompt {}: {e}", prompt.id));
    match prompt.kind {
        PromptKind::ShortText | PromptKind::LongText => {
            send(p, &format!("typed answer to {}\r", prompt.id));
        }
        PromptKind::YesNo => send(p, "y\r"),
        PromptKind::Choice => send(p, "\r"),
        // A scale has no default: a number is typed, then Enter.
        PromptKind::Scale => send(p, "5\r"),
        PromptKind::Checklist => send(p, " \r"),
        PromptKind::Template => {
            send(p, "\r");
            p.exp_string("Make it yours").expect("adapt prompt");
            send(p, " (my words)\r");
        }
    }
}

fn readiness(p: &mut PtySession, step: &Step) {
    for check in step.checks_on(PathKind::Full) {
        p.exp_string(&head(&check.text))
            .expect("readiness question");
        send(p, if check.expect { "y\r" } else { "n\r" });
    }
}

#[test]
fn onboarding_and_a_whole_step_through_the_real_prompts() {
    let env = Env::new();
    let s1 = workbook().step(1).cloned().unwrap();
    let mut p = spawn(&env, &["next"]);
    p.exp_string("Roughly when").expect("date question");
    send(&mut p, "5 weeks ago\r");
    p.exp_string("Who ended it").unwrap();
    send(&mut p, "\x1b[B\r"); // down once: "They did"
    p.exp_string("Did they ask you not to contact").unwrap();
    send(&mut p, "n\r");
    p.exp_string("Did you ever feel unsafe").unwrap();
    send(&mut p, "n\r");
    p.exp_string("practical things").unwrap();
    send(&mut p, "n\r");
    p.exp_string("Step 1 of 7").unwrap();
    for i in 0..s1.prompts_on(PathKind::Full).len() {
        answer(&mut p, &s1, i);
    }
    readiness(&mut p, &s1);
    p.exp_string("Step 1 is done").unwrap();
    p.exp_string("Continue with step 2").unwrap();
    send(&mut p, "n\r");
    p.exp_string("Well done.").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));

    let log = squash(&env.ok(&["log", "--step", "1"], ""));
    for prompt in s1.prompts_on(PathKind::Full) {
        if matches!(prompt.kind, PromptKind::ShortText | PromptKind::LongText) {
            assert!(
                log.contains(&format!("typed answer to {}", prompt.id)),
                "{} missing from log",
                prompt.id
            );
        }
    }
    let progress = std::fs::read_to_string(env.file("progress.json")).unwrap();
    assert!(progress.contains("\"ended_by\": \"them\""));
    assert!(env.ok(&["steps"], "").contains("✓ 1."));
}

#[test]
fn ctrl_c_mid_step_exits_130_keeps_every_answer_and_resumes_at_the_next_question() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    let mut p = next_again(
        &env,
        &(onboarding_lines(false, false) + &step_lines(s1) + "n\n"),
    );
    p.exp_string("Step 2 of 7").unwrap();
    answer(&mut p, s2, 0);
    answer(&mut p, s2, 1);
    answer(&mut p, s2, 2);
    p.exp_string(&head(&s2.prompts_on(PathKind::Full)[3].text))
        .unwrap();
    send(&mut p, "half a thought that is not");
    p.send_control('c').unwrap();
    p.exp_string("Stopped.").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 130)
    ));

    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let step2: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|e: &serde_json::Value| e["step"] == 2)
        .collect();
    let ids: Vec<&str> = step2
        .iter()
        .map(|e| e["prompt_id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = s2.prompts_on(PathKind::Full)[..3]
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(
        ids, expected,
        "the three answers given are saved, the half-typed one is not"
    );
    assert!(!journal.contains("half a thought"));

    // Ctrl-C on a list (cursor hidden) also leaves the terminal usable. The mood
    // check-in was skipped today already, so it is not offered again.
    let mut p = spawn(&env, &["next"]);
    let before = p.exp_string("Picking up where you left off: 3 of").unwrap();
    assert!(!before.contains("how are you feeling"));
    answer(&mut p, s2, 3);
    let offset = s2
        .prompts_on(PathKind::Full)
        .into_iter()
        .skip(4)
        .position(|x| {
            matches!(
                x.kind,
                PromptKind::Choice | PromptKind::Scale | PromptKind::Checklist
            )
        })
        .expect("step 2 has a list question after its fourth, to press Ctrl-C on");
    for i in 4..4 + offset {
        answer(&mut p, s2, i);
    }
    p.exp_string(&head(&s2.prompts_on(PathKind::Full)[4 + offset].text))
        .unwrap();
    p.send_control('c').unwrap();
    let shown = p.exp_string("Stopped.").unwrap();
    assert!(
        shown.contains("\x1b[?25h"),
        "cursor shown again after Ctrl-C"
    );
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 130)
    ));
    let json = env.ok(&["steps", "--json"], "");
    assert!(json.contains("\"current\""));
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let fourth = format!("\"prompt_id\":\"{}\"", s2.prompts_on(PathKind::Full)[3].id);
    assert_eq!(
        journal.matches(&fourth).count(),
        1,
        "the resumed answer is saved once"
    );
}

#[test]
fn draft_opens_the_editor_on_a_private_temporary_file_and_removes_it_afterwards() {
    use std::os::unix::fs::PermissionsExt;

    let env = Env::new();
    let editor = env.tmp.path().join("editor.sh");
    let seen = env.tmp.path().join("seen");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nstat -c %a \"$1\" > '{seen}.mode'\nprintf '%s' \"$1\" > '{seen}.path'\n\
             printf 'Words I will keep.\\n' > \"$1\"\n",
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();

    let mut cmd: Command = env.cmd(&["draft"]);
    cmd.env("TERM", "xterm-256color").env("EDITOR", &editor);
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("exback starts in a pty");
    p.exp_string("Kept as an unsent draft").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
    let mode = std::fs::read_to_string(seen.with_extension("mode")).unwrap();
    assert_eq!(mode.trim(), "600", "the temporary file is private");
    let path = std::fs::read_to_string(seen.with_extension("path")).unwrap();
    assert!(
        !std::path::Path::new(&path).exists(),
        "the temporary file is removed"
    );
    let log = env.ok(&["draft", "list"], "");
    assert!(log.contains("Words I will keep."), "{log}");

    // Without VISUAL or EDITOR, it says what to do instead, and saves nothing.
    let mut p = spawn(&env, &["draft"]);
    p.exp_string("set VISUAL or EDITOR").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 1)
    ));
    assert_eq!(
        env.ok(&["draft", "list", "--json"], "")
            .matches("\"id\"")
            .count(),
        1
    );
}

#[test]
fn a_yes_to_asked_for_space_switches_to_the_no_contact_path_in_a_terminal() {
    let env = Env::new();
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    let mut p = next_again(
        &env,
        &(onboarding_lines(false, false) + &step_lines(s1) + "y\n" + &step_lines(s2) + "n\n"),
    );
    p.exp_string("Step 3 of 7").unwrap();
    let consent = wb.step(3).unwrap().prompt("asked-for-space").unwrap();
    p.exp_string(&head(&consent.text)).unwrap();
    send(&mut p, "y\r");
    let said = p.exp_string("exback next --onboarding").unwrap();
    assert!(said.contains("that is their answer"), "{said}");
    assert!(
        !said.contains(&head(&wb.step(3).unwrap().why)),
        "asked before any contact advice"
    );
    // The new path is offered at once; "not now" ends the run.
    p.exp_string("Would you like to begin").unwrap();
    send(&mut p, "n\r");
    p.exp_eof().unwrap();
    let status = env.ok(&["status", "--json"], "");
    assert!(status.contains("\"path_kind\": \"no-contact\""), "{status}");
    assert!(status.contains("\"coaching\": false"), "{status}");
}

#[test]
fn urge_on_a_terminal_offers_a_quiet_countdown_that_any_key_ends() {
    let env = Env::new();
    let u = workbook().pacing.urge;
    let mut p = spawn(&env, &["urge"]);
    p.exp_string(&head(&u.strength)).unwrap();
    send(&mut p, "5\r");
    p.exp_string(&head(&u.say)).unwrap();
    send(&mut p, "\r");
    p.exp_string(&head(&u.pause_offer)).unwrap();
    send(&mut p, "y\r");
    // The countdown starts at the full length and says how to end it.
    p.exp_string(&format!("{}:00", u.pause_minutes)).unwrap();
    p.exp_string("any key ends it").unwrap();
    send(&mut p, "x");
    p.exp_string(&head(&u.after)).unwrap();
    send(&mut p, "6\r");
    p.exp_string(&head(&u.closing)).unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
}
