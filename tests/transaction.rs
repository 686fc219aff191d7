//! One transaction per answer: `exback next` killed with -9 at random moments never
//! stores a record of any kind twice (an answer, a readiness check), and never marks a
//! question or a check answered without its record.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use common::{Env, answer_lines, onboarding_lines, workbook};
use exback::testing::workbook::PathKind;
use serde_json::Value;

fn records(env: &Env) -> Vec<Value> {
    std::fs::read(env.file("journal.jsonl"))
        .unwrap_or_default()
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .collect()
}

/// What the saved progress counts as done in one step, read the way exback reads it:
/// pending changes count once the journal holds their entry.
#[derive(Default)]
struct Marked {
    /// Prompts answered.
    answered: Vec<String>,
    /// Readiness checks answered in the current round.
    checked: Vec<String>,
    done: bool,
}

fn push_new(ids: &mut Vec<String>, id: &Value) {
    let id = id.as_str().expect("an id is a string").to_string();
    if !ids.contains(&id) {
        ids.push(id);
    }
}

fn marked(env: &Env, step_id: &str) -> Marked {
    let Ok(bytes) = std::fs::read(env.file("progress.json")) else {
        return Marked::default();
    };
    let p: Value = serde_json::from_slice(&bytes).expect("progress.json parses");
    let step = &p["steps"][step_id];
    let mut m = Marked {
        done: step["completed_at"].is_string(),
        ..Marked::default()
    };
    for id in step["answered"].as_array().into_iter().flatten() {
        push_new(&mut m.answered, id);
    }
    for id in step["checked"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        push_new(&mut m.checked, &Value::from(id.as_str()));
    }
    let pending = p["pending"]["entry"].as_str();
    if let Some(entry) = pending
        && records(env).iter().any(|r| r["id"] == entry)
    {
        for change in p["pending"]["changes"].as_array().unwrap() {
            if change["answered"]["step_id"] == step_id {
                push_new(&mut m.answered, &change["answered"]["prompt_id"]);
            }
            if change["checked"]["step_id"] == step_id {
                push_new(&mut m.checked, &change["checked"]["check_id"]);
            }
            if change["completed"]["step_id"] == step_id {
                m.done = true;
                m.checked.clear();
            }
        }
    }
    m
}

#[test]
fn kill_9_during_next_never_stores_a_record_twice() {
    let mut rng = common::Rng(common::test_seed());
    let wb = workbook();
    let mut env = Env::new();
    let mut prepared = false;
    let (mut killed, mut runs, mut steps_done) = (0, 0, 0);
    // How long a whole run takes here, measured on every tenth run (which is left to
    // finish): the kills are spread over that time and a little more, however busy the
    // machine is.
    let mut whole = Duration::from_millis(60);
    let mut reached_readiness = false;
    while killed < 200 && runs < 3000 {
        if !prepared {
            // Onboarding and the day's mood check-in, once per data directory.
            env.ok(&["next"], &onboarding_lines(false, false));
            env.ok(&["next"], common::SKIP_MOOD);
            prepared = true;
        }
        let current = wb.steps.iter().find(|s| !marked(&env, &s.id).done).cloned();
        let Some(step) = current else {
            // The whole workbook is done: check it, then start again in a new folder.
            reached_readiness |= check(&env);
            env = Env::new();
            prepared = false;
            continue;
        };
        let m = marked(&env, &step.id);
        // The answers still to give: the unanswered prompts, then the checks of the
        // readiness round not yet answered (all passing), then "not now" to step N+1.
        let mut input = answer_lines(&step, m.answered.len());
        for check in step.checks_on(PathKind::Full) {
            if !m.checked.contains(&check.id) {
                input += if check.expect { "y\n" } else { "n\n" };
            }
        }
        input += "n\n";
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
        let left_to_finish = runs % 10 == 1;
        let started = std::time::Instant::now();
        if !left_to_finish {
            let spread = u64::try_from(whole.as_micros() * 5 / 4).unwrap_or(u64::MAX);
            std::thread::sleep(Duration::from_micros(rng.below(spread.max(1))));
            let _ = child.kill();
        }
        if child.wait().unwrap().success() {
            steps_done += 1;
            if left_to_finish {
                whole = started.elapsed();
            }
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
    // The last folder may have been begun just now; the runs as a whole must have
    // reached readiness checks somewhere.
    reached_readiness |= check(&env);
    assert!(reached_readiness, "the runs reach readiness checks");
}

/// No record of any kind is stored twice (every answer, every readiness check), and
/// every prompt or check marked answered has its record. True when the folder holds a
/// readiness check.
fn check(env: &Env) -> bool {
    let mut count: HashMap<(String, String, String), usize> = HashMap::new();
    for r in records(env) {
        let field = |name: &str| r[name].as_str().unwrap_or("-").to_string();
        *count
            .entry((field("kind"), field("step_id"), field("prompt_id")))
            .or_default() += 1;
    }
    for ((kind, step, prompt), n) in &count {
        assert_eq!(*n, 1, "{kind} {step}/{prompt} is stored {n} times");
    }
    for step in &workbook().steps {
        let m = marked(env, &step.id);
        for (kind, ids) in [("answer", m.answered), ("readiness", m.checked)] {
            for id in ids {
                assert!(
                    count.contains_key(&(kind.to_string(), step.id.clone(), id.clone())),
                    "{}/{id} is marked answered but its {kind} record is not in the journal",
                    step.id
                );
            }
        }
    }
    count.keys().any(|(kind, _, _)| kind == "readiness")
}
