//! One transaction per answer: `exback next` killed with -9 at random moments never
//! stores an answer twice, and never marks a question answered without its answer.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use common::{Env, answer_lines, onboarding_lines, readiness_lines, workbook};
use serde_json::Value;

fn records(env: &Env) -> Vec<Value> {
    std::fs::read(env.file("journal.jsonl"))
        .unwrap_or_default()
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .collect()
}

/// The prompts the saved progress counts as answered in `step_id`, read the way exback
/// reads it: pending changes count once the journal holds their entry.
fn answered(env: &Env, step_id: &str) -> (Vec<String>, bool) {
    let Ok(bytes) = std::fs::read(env.file("progress.json")) else {
        return (Vec::new(), false);
    };
    let p: Value = serde_json::from_slice(&bytes).expect("progress.json parses");
    let step = &p["steps"][step_id];
    let mut done = step["completed_at"].is_string();
    let mut ids: Vec<String> = step["answered"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let pending = p["pending"]["entry"].as_str();
    if let Some(entry) = pending
        && records(env).iter().any(|r| r["id"] == entry)
    {
        for change in p["pending"]["changes"].as_array().unwrap() {
            if change["answered"]["step_id"] == step_id {
                let id = change["answered"]["prompt_id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if change["completed"]["step_id"] == step_id {
                done = true;
            }
        }
    }
    (ids, done)
}

#[test]
fn kill_9_during_next_never_stores_an_answer_twice() {
    let mut rng = common::Rng(common::test_seed());
    let wb = workbook();
    let mut env = Env::new();
    let mut prepared = false;
    let (mut killed, mut runs, mut steps_done) = (0, 0, 0);
    while killed < 200 && runs < 3000 {
        if !prepared {
            // Onboarding and the day's mood check-in, once per data directory.
            env.ok(&["next"], &onboarding_lines(false, false));
            env.ok(&["next"], common::SKIP_MOOD);
            prepared = true;
        }
        let current = wb.steps.iter().find(|s| !answered(&env, &s.id).1).cloned();
        let Some(step) = current else {
            // The whole workbook is done: check it, then start again in a new folder.
            check(&env);
            env = Env::new();
            prepared = false;
            continue;
        };
        let (ids, _) = answered(&env, &step.id);
        let input = answer_lines(&step, ids.len()) + &readiness_lines(&step, true) + "n\n";
        runs += 1;
        let mut child = env
            .cmd(&["next"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(input.as_bytes());
        drop(stdin);
        std::thread::sleep(Duration::from_micros(rng.below(60_000)));
        let _ = child.kill();
        if child.wait().unwrap().success() {
            steps_done += 1;
        } else {
            killed += 1;
        }
    }
    println!("{killed} of {runs} runs of `exback next` killed, {steps_done} finished");
    assert!(
        killed >= 200,
        "at least 200 runs are killed ({killed} were)"
    );
    assert!(steps_done > 0, "some runs finish, so the flow moves on");
    check(&env);
}

/// No prompt of any step has two answers, and every prompt marked answered has one.
fn check(env: &Env) {
    let mut count: HashMap<(String, String), usize> = HashMap::new();
    for r in records(env).iter().filter(|r| r["kind"] == "answer") {
        let key = (
            r["step_id"].as_str().unwrap().to_string(),
            r["prompt_id"].as_str().unwrap().to_string(),
        );
        *count.entry(key).or_default() += 1;
    }
    for ((step, prompt), n) in &count {
        assert_eq!(*n, 1, "{step}/{prompt} is stored {n} times");
    }
    for step in &workbook().steps {
        for id in answered(env, &step.id).0 {
            assert!(
                count.contains_key(&(step.id.clone(), id.clone())),
                "{}/{id} is marked answered but its answer is not in the journal",
                step.id
            );
        }
    }
}
