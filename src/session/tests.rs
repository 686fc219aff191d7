//! The flow engine, driven with a fixed clock, scripted answers and an in-memory store.

use std::collections::VecDeque;

use chrono::{DateTime, FixedOffset};

use super::*;
use serde_json::{Value, json};

use crate::journal::{EndedBy, EntryKind, Onboarding, OutcomeKind, Progress};
use crate::ui::{Answer, Question};
use crate::workbook::PromptKind;
use crate::workbook::Workbook;

#[derive(Debug, Clone)]
enum Say {
    /// Skips an optional scale.
    Skip,
    Text(&'static str),
    Yes(bool),
    Pick(usize),
    /// Answers a list with an index one past its end: a prompter that breaks its word.
    PickPastEnd,
    Scale(u8),
    Ticks(Vec<usize>),
    Keep,
    Stop,
    CtrlC,
}

/// Answers from a script; panics on any prompt the script did not expect, and when
/// dropped with answers left over.
struct Script {
    answers: VecDeque<Say>,
    asked: Vec<String>,
    /// The kind of input each question of `asked` was given in ("text", "long text"...).
    inputs: Vec<&'static str>,
    shown: Vec<(Tone, String)>,
}

impl Script {
    fn new(answers: impl IntoIterator<Item = Say>) -> Self {
        Self {
            answers: answers.into_iter().collect(),
            asked: Vec::new(),
            inputs: Vec::new(),
            shown: Vec::new(),
        }
    }

    fn next(&mut self, q: &Question<'_>, kind: &'static str) -> Say {
        self.asked.push(q.text.to_string());
        self.inputs.push(kind);
        let say = self
            .answers
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected {kind} prompt: {:?}", q.text));
        match say {
            Say::Stop => Say::Stop,
            Say::CtrlC => Say::CtrlC,
            other => other,
        }
    }

    fn shown_text(&self) -> String {
        self.shown
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A script with answers left over was written for questions the flow no longer asks:
/// the test fails rather than pass without checking them.
impl Drop for Script {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            assert!(
                self.answers.is_empty(),
                "the flow ended with scripted answers unused: {:?}",
                self.answers
            );
        }
    }
}

#[test]
#[should_panic(expected = "scripted answers unused")]
fn a_script_with_answers_left_over_fails_its_test() {
    drop(Script::new([Say::Keep]));
}

fn ends<T>(say: &Say) -> Option<Answer<T>> {
    match say {
        Say::Stop => Some(Err(PromptError::Stopped)),
        Say::CtrlC => Some(Err(PromptError::Interrupted)),
        _ => None,
    }
}

impl Prompter for Script {
    fn show(&mut self, tone: Tone, text: &str) {
        self.shown.push((tone, text.to_string()));
    }
    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        match self.next(q, "text") {
            Say::Text(t) => Ok(t.to_string()),
            s => ends(&s).unwrap_or_else(|| panic!("text prompt {:?} got {s:?}", q.text)),
        }
    }
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        match self.next(q, "long text") {
            Say::Text(t) => Ok(t.to_string()),
            s => ends(&s).unwrap_or_else(|| panic!("long text prompt {:?} got {s:?}", q.text)),
        }
    }
    fn confirm(&mut self, q: &Question<'_>) -> Answer<bool> {
        match self.next(q, "yes/no") {
            Say::Yes(b) => Ok(b),
            s => ends(&s).unwrap_or_else(|| panic!("yes/no prompt {:?} got {s:?}", q.text)),
        }
    }
    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        match self.next(q, "select") {
            Say::Pick(i) => {
                assert!(i < options.len());
                Ok(i)
            }
            Say::PickPastEnd => Ok(options.len()),
            s => ends(&s).unwrap_or_else(|| panic!("select prompt {:?} got {s:?}", q.text)),
        }
    }
    fn scale(&mut self, q: &Question<'_>, _: &str, _: &str) -> Answer<u8> {
        match self.next(q, "scale") {
            Say::Scale(n) => Ok(n),
            s => ends(&s).unwrap_or_else(|| panic!("scale prompt {:?} got {s:?}", q.text)),
        }
    }
    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        _: &str,
        _: &str,
        _: &str,
    ) -> Answer<Option<u8>> {
        match self.next(q, "optional scale") {
            Say::Scale(n) => Ok(Some(n)),
            Say::Skip => Ok(None),
            s => ends(&s).unwrap_or_else(|| panic!("optional scale {:?} got {s:?}", q.text)),
        }
    }
    fn checklist(&mut self, q: &Question<'_>, _: &[&str]) -> Answer<Vec<usize>> {
        match self.next(q, "checklist") {
            Say::Ticks(t) => Ok(t),
            s => ends(&s).unwrap_or_else(|| panic!("checklist prompt {:?} got {s:?}", q.text)),
        }
    }
    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        match self.next(q, "adapt") {
            Say::Keep => Ok(initial.to_string()),
            Say::Text(t) => Ok(t.to_string()),
            s => ends(&s).unwrap_or_else(|| panic!("adapt prompt {:?} got {s:?}", q.text)),
        }
    }
}

/// Keeps entries, check-ins and progress in memory, applying changes as the store would.
#[derive(Default)]
struct Memory {
    entries: Vec<NewEntry>,
    /// The progress changes each entry of `entries` was saved with, in one transaction.
    marks: Vec<Vec<Change>>,
    moods: Vec<(DateTime<FixedOffset>, u8, Option<String>)>,
    progress: Progress,
}

impl Recorder for Memory {
    fn record_with(&mut self, entry: NewEntry, changes: &[Change]) -> Result<Progress, StoreError> {
        self.entries.push(entry);
        self.marks.push(changes.to_vec());
        self.change(changes)
    }
    fn record_mood(
        &mut self,
        at: DateTime<FixedOffset>,
        score: u8,
        note: Option<String>,
    ) -> Result<(), StoreError> {
        self.moods.push((at, score, note));
        Ok(())
    }
    fn change(&mut self, changes: &[Change]) -> Result<Progress, StoreError> {
        for c in changes {
            self.progress.apply(c);
        }
        Ok(self.progress.clone())
    }
}

struct Fixed(DateTime<FixedOffset>);

impl Clock for Fixed {
    fn now(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

fn clock() -> Fixed {
    Fixed(DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap())
}

fn workbook() -> Workbook {
    Workbook::embedded().expect("the built-in workbook is valid")
}

fn onboarding(no_contact: bool, unsafe_: bool) -> Vec<Say> {
    vec![
        Say::Text("6 weeks ago"),
        Say::Pick(1),
        Say::Yes(no_contact),
        Say::Yes(unsafe_),
        Say::Yes(false), // no practical reasons to stay in touch
    ]
}

/// Option indexes no reaction of `p` answers to, last first.
fn quiet_options(p: &Prompt) -> Vec<usize> {
    (0..p.options.len())
        .rev()
        .filter(|i| {
            !p.reactions
                .iter()
                .any(|r| r.options.contains(&p.options[*i].id))
        })
        .collect()
}

/// A valid answer to each prompt of `step` on the full path, from prompt index
/// `from` on, that no reaction answers to.
fn answers(step: &Step, from: usize) -> Vec<Say> {
    let mut out = Vec::new();
    for p in &step.prompts_on(PathKind::Full)[from..] {
        match p.kind {
            PromptKind::ShortText | PromptKind::LongText => out.push(Say::Text("Honest.")),
            PromptKind::YesNo => out.push(Say::Yes(
                p.reactions.iter().any(|r| r.answer == Some(false)),
            )),
            PromptKind::Choice => out.push(Say::Pick(quiet_options(p)[0])),
            PromptKind::Scale => out.push(Say::Scale(7)),
            PromptKind::Checklist => {
                let mut q = quiet_options(p);
                q.truncate(2);
                q.reverse();
                out.push(Say::Ticks(q));
            }
            PromptKind::Template => out.extend([Say::Pick(0), Say::Keep]),
        }
    }
    out
}

fn readiness(step: &Step, pass: bool) -> Vec<Say> {
    step.checks_on(PathKind::Full)
        .into_iter()
        .enumerate()
        .map(|(i, c)| Say::Yes(if pass || i > 0 { c.expect } else { !c.expect }))
        .collect()
}

fn run(
    progress: Progress,
    memory: &mut Memory,
    script: &mut Script,
    options: Options,
) -> Result<Ended, FlowError> {
    let wb = workbook();
    memory.progress = progress.clone();
    let clock = clock();
    let mut flow = Flow::new(&wb, progress, script, memory, &clock);
    flow.run(options)
}

#[test]
fn a_first_run_onboards_then_walks_step_one_to_done() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut say = onboarding(false, false);
    say.extend(answers(step1, 0));
    say.extend(readiness(step1, true));
    say.push(Say::Yes(false)); // not continuing to step 2 now
    let mut script = Script::new(say);
    let mut memory = Memory::default();

    let ended = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap();

    assert_eq!(ended, Ended::StepDone(1));
    assert!(script.answers.is_empty());
    let p = &memory.progress;
    let o = p.onboarding.as_ref().unwrap();
    assert_eq!(o.breakup_date.to_string(), "2026-10-18");
    assert_eq!(o.ended_by, EndedBy::Them);
    assert_eq!(p.completed_at("understand"), Some(clock().0));
    assert!(p.welcome_seen_at.is_some());
    let answers: Vec<_> = memory
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Answer)
        .collect();
    assert_eq!(answers.len(), full(step1).len());
    for (entry, prompt) in answers.iter().zip(&full(step1)) {
        assert_eq!(entry.prompt_id.as_deref(), Some(prompt.id.as_str()));
        assert_eq!(entry.prompt.as_deref(), Some(prompt.text.as_str()));
        assert_eq!(entry.prompt_kind, Some(prompt.kind));
        assert_eq!(entry.step, Some(1));
        assert_eq!(entry.at, clock().0);
        assert!(!entry.answer.is_empty());
    }
    let checks = memory
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Readiness)
        .count();
    assert_eq!(checks, step1.checks_on(PathKind::Full).len());
    assert!(script.shown_text().contains(&wb.welcome.no_promise));
    assert!(script.shown_text().contains(&step1.why));
}

#[test]
fn stopping_mid_step_keeps_answers_and_the_next_run_resumes_at_the_first_unanswered_prompt() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let mut memory = Memory::default();
    memory.progress.apply(&Change::Completed {
        step_id: "understand".into(),
        at: clock().0,
    });
    let mut progress = memory.progress.clone();
    progress.onboarding = Some(Onboarding {
        answered_at: clock().0,
        breakup_date: clock().0.date_naive() - chrono::Days::new(42),
        breakup_said: "6 weeks ago".into(),
        ended_by: EndedBy::Both,
        no_contact: false,
        felt_unsafe: false,
        logistics: false,
        extra: serde_json::Map::new(),
    });
    progress.welcome_seen_at = Some(clock().0);

    let mut say = answers(step2, 0);
    say.truncate(2);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let err = run(progress, &mut memory, &mut script, Options::default()).unwrap_err();
    assert!(matches!(err, FlowError::Prompt(PromptError::Stopped)));
    assert_eq!(memory.entries.len(), 2);
    assert_eq!(memory.progress.step("prepare").unwrap().answered.len(), 2);
    assert_eq!(
        next_prompt(&wb, &memory.progress).unwrap().1.id,
        full(step2)[2].id
    );

    let mut say = answers(step2, 2);
    say.extend(readiness(step2, true));
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(2));
    assert_eq!(
        script.asked[0],
        full(step2)[2].text,
        "resumes at the third prompt"
    );
    assert!(
        !script.shown_text().contains(&step2.why),
        "the intro is shown only once"
    );
    let resumed = format!(
        "Picking up where you left off: 2 of {} answered.",
        full(step2).len()
    );
    assert!(script.shown_text().contains(&resumed));
    let prompt_ids: Vec<_> = memory
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Answer)
        .map(|e| e.prompt_id.clone().unwrap())
        .collect();
    let expected: Vec<_> = full(step2).iter().map(|p| p.id.clone()).collect();
    assert_eq!(
        prompt_ids, expected,
        "every prompt answered exactly once, in order"
    );
}

fn onboarded(no_contact: bool, felt_unsafe: bool) -> Progress {
    Progress {
        welcome_seen_at: Some(clock().0),
        onboarding: Some(Onboarding {
            answered_at: clock().0,
            // Six weeks before: the quiet time after the breakup is over.
            breakup_date: clock().0.date_naive() - chrono::Days::new(42),
            breakup_said: "6 weeks ago".into(),
            ended_by: EndedBy::Me,
            no_contact,
            felt_unsafe,
            logistics: false,
            extra: serde_json::Map::new(),
        }),
        ..Progress::default()
    }
}

#[test]
fn a_failed_readiness_check_keeps_the_user_on_the_step_and_asks_it_again_next_time() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut memory = Memory::default();
    let mut say = answers(step1, 0);
    say.extend(readiness(step1, false));
    let mut script = Script::new(say);
    let ended = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap();
    assert_eq!(ended, Ended::NotReady(1));
    assert_eq!(memory.progress.completed_at("understand"), None);
    assert!(
        memory
            .progress
            .step("understand")
            .unwrap()
            .not_ready_at
            .is_some()
    );
    assert!(script.shown_text().contains(&step1.readiness.not_ready));

    // Next time: straight to the readiness check, no prompts again.
    let mut say = readiness(step1, true);
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    assert_eq!(script.asked[0], step1.readiness.checks[0].text);
}

/// Whether `change` is the mark that saving `entry` must carry: "answered" for an
/// answer, "checked" with its answer (or the round's result) for a readiness check.
fn marks(change: &Change, entry: &NewEntry) -> bool {
    let step = entry.step_id.as_deref();
    let id = entry.prompt_id.as_deref();
    match (entry.kind, change) {
        (EntryKind::Answer, Change::Answered { step_id, prompt_id }) => {
            step == Some(step_id.as_str()) && id == Some(prompt_id.as_str())
        }
        (
            EntryKind::Readiness,
            Change::Checked {
                step_id,
                check_id,
                yes,
            },
        ) => {
            step == Some(step_id.as_str())
                && id == Some(check_id.as_str())
                && entry.value == Some(Value::Bool(*yes))
        }
        (
            EntryKind::Readiness,
            Change::Completed { step_id, .. } | Change::NotReady { step_id, .. },
        ) => step == Some(step_id.as_str()),
        _ => false,
    }
}

#[test]
fn every_answer_and_readiness_check_is_saved_in_one_transaction_with_its_mark() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let checks = step1.checks_on(PathKind::Full);
    assert!(
        checks.len() >= 2,
        "step 1 has more than one readiness check"
    );
    let mut say = answers(step1, 0);
    say.extend(readiness(step1, true));
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap();
    assert_eq!(ended, Ended::StepDone(1));

    let saved: Vec<_> = memory.entries.iter().zip(&memory.marks).collect();
    assert_eq!(saved.len(), full(step1).len() + checks.len());
    for (entry, changes) in &saved {
        assert!(
            changes.iter().any(|c| marks(c, entry)),
            "{:?} {:?} was saved without its mark (with {changes:?})",
            entry.kind,
            entry.prompt_id
        );
    }
    // The last check carries the round's result, and the round's marks are cleared.
    let (last, result) = saved.last().unwrap();
    assert_eq!(
        last.prompt_id.as_deref(),
        Some(checks[checks.len() - 1].id.as_str())
    );
    assert!(matches!(result[..], [Change::Completed { .. }]));
    assert!(
        memory
            .progress
            .step("understand")
            .unwrap()
            .checked
            .is_empty()
    );
}

/// Walks step 1 up to its readiness round, answers the first check with `first`, and is
/// cut short (Ctrl-C, as a crash would) at the second: the saved state of a kill between
/// the two saves.
fn cut_short_after_the_first_check(memory: &mut Memory, first: bool) {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut say = answers(step1, 0);
    say.push(Say::Yes(first));
    say.push(Say::CtrlC);
    let mut script = Script::new(say);
    let ended = run(
        onboarded(false, false),
        memory,
        &mut script,
        Options::default(),
    );
    assert!(matches!(
        ended,
        Err(FlowError::Prompt(PromptError::Interrupted))
    ));
}

/// How often each readiness check of `step_id` is in the journal.
fn readiness_saved(memory: &Memory, step_id: &str) -> Vec<(String, usize)> {
    let mut count: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for e in &memory.entries {
        if e.kind == EntryKind::Readiness && e.step_id.as_deref() == Some(step_id) {
            *count.entry(e.prompt_id.clone().unwrap()).or_default() += 1;
        }
    }
    count.into_iter().collect()
}

#[test]
fn a_readiness_round_cut_short_goes_on_from_its_first_unanswered_check() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let checks = step1.checks_on(PathKind::Full);
    let mut memory = Memory::default();
    cut_short_after_the_first_check(&mut memory, checks[0].expect);

    let mut say: Vec<Say> = checks[1..].iter().map(|c| Say::Yes(c.expect)).collect();
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();

    assert_eq!(ended, Ended::StepDone(1));
    assert!(
        !script.asked.contains(&checks[0].text),
        "the check already answered is not asked again"
    );
    let once: Vec<_> = checks.iter().map(|c| (c.id.clone(), 1)).collect();
    assert_eq!(readiness_saved(&memory, "understand"), {
        let mut once = once;
        once.sort();
        once
    });
}

#[test]
fn an_answer_saved_before_a_round_was_cut_short_still_decides_its_result() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let checks = step1.checks_on(PathKind::Full);
    let mut memory = Memory::default();
    cut_short_after_the_first_check(&mut memory, !checks[0].expect);

    let say: Vec<Say> = checks[1..].iter().map(|c| Say::Yes(c.expect)).collect();
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();

    assert_eq!(ended, Ended::NotReady(1));
    let step = memory.progress.step("understand").unwrap();
    assert!(step.completed_at.is_none() && step.not_ready_at.is_some());
    assert!(step.checked.is_empty(), "the next round asks every check");
}

#[test]
fn continuing_goes_straight_into_the_next_step() {
    let wb = workbook();
    let (s1, s2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    let mut say = answers(s1, 0);
    say.extend(readiness(s1, true));
    say.push(Say::Yes(true));
    say.push(answers(s2, 0).remove(0));
    say.push(Say::CtrlC);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let err = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FlowError::Prompt(PromptError::Interrupted)));
    let last = memory.entries.last().unwrap();
    assert_eq!(last.prompt_id.as_deref(), Some(full(s2)[0].id.as_str()));
    assert_eq!(last.step, Some(2));
    assert_eq!(memory.progress.step("prepare").unwrap().answered.len(), 1);
}

#[test]
fn revisiting_a_done_step_adds_new_entries_and_keeps_progress() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut progress = onboarded(false, false);
    for p in &full(step1) {
        progress.apply(&Change::Answered {
            step_id: "understand".into(),
            prompt_id: p.id.clone(),
        });
    }
    progress.apply(&Change::Completed {
        step_id: "understand".into(),
        at: clock().0,
    });
    let before = progress.clone();
    let mut script = Script::new(answers(step1, 0));
    let mut memory = Memory::default();
    let ended = run(
        progress,
        &mut memory,
        &mut script,
        Options {
            step: Some(1),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(ended, Ended::Revisited(1));
    assert_eq!(memory.entries.len(), full(step1).len());
    assert_eq!(memory.progress, before);
}

#[test]
fn steps_ahead_and_unknown_steps_are_refused_with_a_reason() {
    let mut script = Script::new([]);
    let mut memory = Memory::default();
    let err = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options {
            step: Some(5),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("step 5 opens once step 1"),
        "{err}"
    );
    let err = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options {
            step: Some(9),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("there is no step 9"), "{err}");
    assert!(memory.entries.is_empty());
}

fn both_steps_done(mut p: Progress) -> Progress {
    p.apply(&Change::Completed {
        step_id: "understand".into(),
        at: clock().0,
    });
    p.apply(&Change::Completed {
        step_id: "prepare".into(),
        at: clock().0,
    });
    p
}

#[test]
fn no_contact_means_no_contact_coaching() {
    let wb = workbook();
    let mut say = onboarding(true, false);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    let shown = script.shown_text();
    assert!(shown.contains(&wb.welcome.no_contact_path.text));
    assert!(shown.contains(&wb.welcome.support.text));
    assert!(!shown.contains(&wb.welcome.safety_path.text));

    let progress = both_steps_done(memory.progress.clone());
    let st = statuses(&wb, &progress);
    assert!(st[2..].iter().all(|(_, s)| *s == StepStatus::NotOffered));
    assert!(moving_on_active(&wb, &progress));
    assert_eq!(current_step(&wb, &progress).unwrap().id, "grief");

    // After steps 1 and 2 the flow goes on into the moving-on steps, never step 3.
    let mut script = Script::new([Say::Stop]);
    let err = run(
        progress.clone(),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FlowError::Prompt(PromptError::Stopped)));
    assert!(script.shown_text().contains(&wb.welcome.limited_path.done));
    assert!(!script.shown_text().contains(&wb.step(3).unwrap().why));
    assert_eq!(
        script.asked,
        [wb.moving_on.steps[0].prompts[0].text.clone()]
    );

    let mut script = Script::new([]);
    let ended = run(
        progress,
        &mut memory,
        &mut script,
        Options {
            step: Some(3),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(ended, Ended::NotOffered(3));
    assert!(script.asked.is_empty(), "nothing about contact is asked");
}

#[test]
fn feeling_unsafe_shows_the_safety_path_and_support() {
    let wb = workbook();
    let mut say = onboarding(false, true);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    let shown = script.shown_text();
    assert!(shown.contains(&wb.welcome.safety_path.text));
    assert!(shown.contains(&wb.welcome.support.text));
    assert!(memory.progress.limits_contact());
    let st = statuses(&wb, &memory.progress);
    assert_eq!(st[0].1, StepStatus::Current);
    assert_eq!(st[1].1, StepStatus::Ahead);
    assert_eq!(st[2].1, StepStatus::NotOffered);
}

#[test]
fn changing_onboarding_can_reopen_the_full_path() {
    let wb = workbook();
    let progress = both_steps_done(onboarded(true, false));
    let mut say = onboarding(false, false);
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(
        progress,
        &mut memory,
        &mut script,
        Options {
            onboarding: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(ended, Ended::Onboarded);
    assert_eq!(current_step(&wb, &memory.progress).unwrap().number, 3);
}

#[test]
fn blank_answers_and_unreadable_dates_are_asked_again_never_saved() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut say = vec![Say::Text("someday"), Say::Text("2099-01-01")];
    say.extend(onboarding(false, false));
    assert!(matches!(
        full(step1)[0].kind,
        PromptKind::LongText | PromptKind::ShortText
    ));
    say.extend([
        Say::Text("   "),
        Say::Text(""),
        Say::Text("Real words."),
        Say::Stop,
    ]);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    assert_eq!(memory.entries.len(), 1);
    assert_eq!(memory.entries[0].answer, "Real words.");
    let shown = script.shown_text();
    assert!(shown.contains("not a date exback understands"));
    assert!(shown.contains("in the future"));
    assert!(shown.contains("needs an answer"));
}

#[test]
fn a_template_answer_keeps_the_adapted_text_and_names_the_template() {
    let wb = workbook();
    let step3 = wb.step(3).unwrap();
    let index = step3
        .prompts
        .iter()
        .position(|p| p.kind == PromptKind::Template)
        .unwrap();
    let mut progress = both_steps_done(onboarded(false, false));
    for p in &step3.prompts[..index] {
        progress.apply(&Change::Answered {
            step_id: step3.id.clone(),
            prompt_id: p.id.clone(),
        });
    }
    progress.apply(&Change::IntroSeen {
        step_id: step3.id.clone(),
        at: clock().0,
    });
    let mut script = Script::new([
        Say::Pick(1),
        Say::Text("Hi, it's me. No need to reply."),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    let entry = &memory.entries[0];
    assert_eq!(entry.answer, "Hi, it's me. No need to reply.");
    assert_eq!(entry.prompt_kind, Some(PromptKind::Template));
    let picked = &step3.prompts[index].templates[1];
    assert_eq!(
        entry.value,
        Some(json!({ "template": picked.id, "label": picked.label }))
    );
    assert_ne!(picked.id, picked.label);
    // Every template is shown in full before the choice.
    for t in &step3.prompts[index].templates {
        assert!(
            script.shown_text().contains(&t.text),
            "{} is shown",
            t.label
        );
    }
}

#[test]
fn finishing_every_step_shows_the_closing_and_no_promise() {
    let wb = workbook();
    let mut progress = onboarded(false, false);
    for s in &wb.steps {
        progress.apply(&Change::Completed {
            step_id: s.id.clone(),
            at: clock().0,
        });
    }
    let mut script = Script::new([]);
    let mut memory = Memory::default();
    assert_eq!(
        run(progress, &mut memory, &mut script, Options::default()).unwrap(),
        Ended::AllDone
    );
    assert!(script.shown_text().contains(&wb.welcome.closing));
    assert!(script.shown_text().contains(&wb.welcome.no_promise));
}

fn offer(last: Option<&str>) -> Options {
    Options {
        mood: MoodCheck::Offer {
            last: last.map(|s| DateTime::parse_from_rfc3339(s).unwrap()),
        },
        ..Options::default()
    }
}

#[test]
fn the_mood_check_in_is_never_asked_on_the_first_run() {
    let wb = workbook();
    let mut say = onboarding(false, false);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(Progress::default(), &mut memory, &mut script, offer(None));
    assert!(!script.asked.contains(&wb.welcome.mood.question));
    assert_eq!(script.asked[5], wb.step(1).unwrap().prompts[0].text);
    assert!(memory.moods.is_empty());
    assert_eq!(memory.progress.mood_skipped_at, None);
}

#[test]
fn the_mood_check_in_comes_first_once_onboarded_and_saves_score_and_note() {
    let wb = workbook();
    let mut script = Script::new([Say::Scale(6), Say::Text("  tired  "), Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        offer(None),
    );
    assert_eq!(script.asked[0], wb.welcome.mood.question);
    assert_eq!(script.asked[1], wb.welcome.mood.note);
    assert_eq!(script.asked[2], wb.step(1).unwrap().prompts[0].text);
    assert_eq!(memory.moods, [(clock().0, 6, Some("tired".to_string()))]);
    assert!(script.shown_text().contains(&wb.welcome.mood.saved));

    // An empty note is no note.
    let mut script = Script::new([Say::Scale(3), Say::Text(""), Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        offer(None),
    );
    assert_eq!(memory.moods, [(clock().0, 3, None)]);
}

#[test]
fn the_mood_check_in_is_offered_at_most_once_a_day() {
    let wb = workbook();
    let first_prompt = wb.step(1).unwrap().prompts[0].text.clone();
    for (last, asked) in [
        (Some("2026-11-29T00:05:00+01:00"), false),
        (Some("2026-11-29T20:14:00+01:00"), false),
        (Some("2026-11-28T23:59:00+01:00"), true),
        (Some("2026-10-01T12:00:00+01:00"), true),
        (None, true),
    ] {
        let say = if asked {
            vec![Say::Skip, Say::Stop]
        } else {
            vec![Say::Stop]
        };
        let mut script = Script::new(say);
        let mut memory = Memory::default();
        let _ = run(
            onboarded(false, false),
            &mut memory,
            &mut script,
            offer(last),
        );
        assert_eq!(
            script.asked[0] == wb.welcome.mood.question,
            asked,
            "last check-in {last:?}"
        );
        assert_eq!(script.asked.last(), Some(&first_prompt));
    }
    // Off unless the caller offers it.
    let mut script = Script::new([Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Options::default(),
    );
    assert_eq!(script.asked, [first_prompt]);
}

#[test]
fn skipping_the_mood_check_in_counts_for_the_day() {
    let wb = workbook();
    let mut script = Script::new([Say::Skip, Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        offer(None),
    );
    assert_eq!(memory.progress.mood_skipped_at, Some(clock().0));
    assert!(memory.moods.is_empty());
    assert!(!script.shown_text().contains(&wb.welcome.mood.saved));
    assert!(script.shown_text().contains("Skipped for today."));

    let mut script = Script::new([Say::Stop]);
    let progress = memory.progress.clone();
    let _ = run(progress, &mut memory, &mut script, offer(None));
    assert_ne!(script.asked[0], wb.welcome.mood.question, "not again today");
}

#[test]
fn stopping_at_the_mood_note_keeps_the_score() {
    let mut script = Script::new([Say::Scale(8), Say::Stop]);
    let mut memory = Memory::default();
    let err = run(
        onboarded(false, false),
        &mut memory,
        &mut script,
        offer(None),
    )
    .unwrap_err();
    assert!(matches!(err, FlowError::Prompt(PromptError::Stopped)));
    assert_eq!(memory.moods, [(clock().0, 8, None)]);
}

#[test]
fn a_refused_step_is_refused_before_the_mood_check_in() {
    let mut script = Script::new([]);
    let mut memory = Memory::default();
    let options = Options {
        step: Some(5),
        ..offer(None)
    };
    let err = run(onboarded(false, false), &mut memory, &mut script, options).unwrap_err();
    assert!(
        err.to_string().contains("step 5 opens once step 1"),
        "{err}"
    );
    assert!(script.asked.is_empty());
}

fn complete(p: &mut Progress, steps: &[Step]) {
    for s in steps {
        p.apply(&Change::Completed {
            step_id: s.id.clone(),
            at: clock().0,
        });
    }
}

#[test]
fn finishing_step_two_on_the_limited_path_leads_into_moving_on_before_asking_to_go_on() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let mut progress = onboarded(true, false);
    complete(&mut progress, &wb.steps[..1]);
    let mut say = answers(step2, 0);
    say.extend(readiness(step2, true));
    say.push(Say::Yes(true));
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    let shown = script.shown_text();
    assert_eq!(
        shown.matches(wb.welcome.limited_path.done.as_str()).count(),
        1,
        "shown once, though the step is walked right after"
    );
    let continue_at = script
        .asked
        .iter()
        .position(|q| q.starts_with("Continue with moving-on step 1"))
        .unwrap();
    assert_eq!(
        script.asked[continue_at + 1],
        wb.moving_on.steps[0].prompts[0].text
    );
}

#[test]
fn on_the_limited_path_the_moving_on_steps_follow_steps_one_and_two() {
    let wb = workbook();
    let grief = &wb.moving_on.steps[0];
    let progress = both_steps_done(onboarded(false, true));
    let mut say = answers(grief, 0);
    say.push(Say::Yes(false)); // not going on to the next moving-on step now
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    let shown = script.shown_text();
    assert!(shown.contains(&wb.welcome.limited_path.done));
    assert!(
        shown.contains("Moving on · 1 of 3 · Let yourself grieve"),
        "{shown}"
    );
    assert!(shown.contains("■□□ 1 of 3 done"), "{shown}");
    assert!(
        !shown.contains("Before this step counts as done"),
        "no readiness check"
    );
    assert_eq!(
        script.asked.last().unwrap(),
        "Continue with moving-on step 2, Keep what you learned?"
    );
    assert_eq!(memory.entries.len(), grief.prompts.len());
    for e in &memory.entries {
        assert_eq!(e.step, None, "moving-on entries have no step number");
        assert_eq!(e.step_id.as_deref(), Some("grief"));
    }
    assert!(memory.progress.completed_at("grief").is_some());
    assert_eq!(current_step(&wb, &memory.progress).unwrap().id, "lessons");

    // With every moving-on step done, the path closes kindly.
    let mut progress = memory.progress.clone();
    complete(&mut progress, &wb.moving_on.steps);
    let mut script = Script::new([]);
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::MovingOnDone);
    assert!(script.shown_text().contains(&wb.moving_on.closing));
    assert!(script.shown_text().contains(&wb.welcome.support.text));
}

fn outcome_answers(wb: &Workbook, id: &str) -> Vec<Say> {
    let mut say = Vec::new();
    for p in &wb.outcomes.get(id).unwrap().prompts {
        say.push(match p.kind {
            PromptKind::Scale => Say::Scale(4),
            _ => Say::Text("Because it is."),
        });
    }
    say
}

fn record(
    progress: Progress,
    memory: &mut Memory,
    script: &mut Script,
    kind: Option<OutcomeKind>,
) -> Result<OutcomeKind, FlowError> {
    let wb = workbook();
    memory.progress = progress.clone();
    let clock = clock();
    let mut flow = Flow::new(&wb, progress, script, memory, &clock);
    flow.record_outcome(kind)
}

#[test]
fn moved_on_switches_to_the_moving_on_path_and_another_outcome_switches_back() {
    let wb = workbook();
    let mut progress = onboarded(false, false);
    complete(&mut progress, &wb.steps[..3]);
    assert_eq!(current_step(&wb, &progress).unwrap().number, 4);

    // Asked, not given: the fourth choice is "moved on".
    let mut say = vec![Say::Pick(3)];
    say.extend(outcome_answers(&wb, "moved-on"));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let kind = record(progress, &mut memory, &mut script, None).unwrap();
    assert_eq!(kind, OutcomeKind::MovedOn);
    assert!(memory.progress.moved_on());
    let shown = script.shown_text();
    assert!(shown.contains(&wb.outcomes.to_moving_on));
    assert!(shown.contains(&wb.outcomes.get("moved-on").unwrap().closing));
    let reflections: Vec<_> = memory
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Outcome)
        .collect();
    assert_eq!(
        reflections.len(),
        wb.outcomes.get("moved-on").unwrap().prompts.len()
    );
    assert!(
        reflections
            .iter()
            .all(|e| e.outcome == Some(OutcomeKind::MovedOn))
    );
    assert_eq!(current_step(&wb, &memory.progress).unwrap().id, "grief");
    let st = statuses(&wb, &memory.progress);
    assert!(matches!(st[2].1, StepStatus::Done(_)), "done stays done");
    assert_eq!(st[3].1, StepStatus::NotOffered, "no contact coaching");

    // `next` now walks the moving-on steps, starting with their own introduction.
    let mut say = answers(&wb.moving_on.steps[0], 0);
    say.truncate(2);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert!(script.shown_text().contains(&wb.moving_on.intro));
    assert_eq!(memory.progress.step("grief").unwrap().answered.len(), 2);

    // A step about contact is not offered, and says why.
    let mut script = Script::new([]);
    let progress = memory.progress.clone();
    let options = Options {
        step: Some(4),
        ..Options::default()
    };
    let ended = run(progress, &mut memory, &mut script, options).unwrap();
    assert_eq!(ended, Ended::NotOffered(4));
    assert!(script.shown_text().contains(&wb.outcomes.contact_closed));

    // Still hoping: back to step 4, nothing discarded.
    let mut script = Script::new(outcome_answers(&wb, "still-hoping"));
    let progress = memory.progress.clone();
    record(
        progress,
        &mut memory,
        &mut script,
        Some(OutcomeKind::StillHoping),
    )
    .unwrap();
    assert!(
        script
            .shown_text()
            .contains(&wb.outcomes.back_from_moving_on)
    );
    assert_eq!(current_step(&wb, &memory.progress).unwrap().number, 4);
    assert_eq!(memory.progress.step("grief").unwrap().answered.len(), 2);
    assert!(memory.progress.completed_at("contact").is_some());
    assert_eq!(
        memory.progress.outcome_kind(),
        Some(OutcomeKind::StillHoping)
    );
}

#[test]
fn clearing_the_outcome_switches_back_too() {
    let wb = workbook();
    let mut progress = onboarded(false, false);
    progress.apply(&Change::Outcome(Some(crate::journal::Outcome {
        kind: OutcomeKind::MovedOn,
        at: clock().0,
        extra: serde_json::Map::new(),
    })));
    assert_eq!(current_step(&wb, &progress).unwrap().id, "grief");
    let mut script = Script::new([]);
    let mut memory = Memory {
        progress: progress.clone(),
        ..Memory::default()
    };
    let clock = clock();
    let mut flow = Flow::new(&wb, progress, &mut script, &mut memory, &clock);
    flow.clear_outcome().unwrap();
    assert_eq!(memory.progress.outcome, None);
    assert_eq!(current_step(&wb, &memory.progress).unwrap().number, 1);
    assert!(
        script
            .shown_text()
            .contains(&wb.outcomes.back_from_moving_on)
    );
}

#[test]
fn on_the_limited_path_another_outcome_keeps_the_moving_on_steps() {
    let wb = workbook();
    let progress = both_steps_done(onboarded(true, false));
    let mut script = Script::new(outcome_answers(&wb, "friends"));
    let mut memory = Memory::default();
    record(
        progress,
        &mut memory,
        &mut script,
        Some(OutcomeKind::Friends),
    )
    .unwrap();
    assert!(moving_on_active(&wb, &memory.progress));
    assert!(
        !script
            .shown_text()
            .contains(&wb.outcomes.back_from_moving_on)
    );
    assert!(!script.shown_text().contains(&wb.outcomes.to_moving_on));
}

#[test]
fn after_moved_on_steps_one_and_two_can_still_be_walked_on_request() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut progress = onboarded(false, false);
    progress.apply(&Change::Outcome(Some(crate::journal::Outcome {
        kind: OutcomeKind::MovedOn,
        at: clock().0,
        extra: serde_json::Map::new(),
    })));
    let mut say = answers(step1, 0);
    say.extend(readiness(step1, true));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let options = Options {
        step: Some(1),
        ..Options::default()
    };
    let ended = run(progress, &mut memory, &mut script, options).unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    assert!(memory.progress.completed_at("understand").is_some());
    assert_eq!(current_step(&wb, &memory.progress).unwrap().id, "grief");
}

#[test]
fn stopping_in_the_reflection_keeps_the_outcome() {
    let mut script = Script::new([Say::Stop]);
    let mut memory = Memory::default();
    let err = record(
        onboarded(false, false),
        &mut memory,
        &mut script,
        Some(OutcomeKind::BackTogether),
    )
    .unwrap_err();
    assert!(matches!(err, FlowError::Prompt(PromptError::Stopped)));
    assert_eq!(
        memory.progress.outcome_kind(),
        Some(OutcomeKind::BackTogether)
    );
    assert!(memory.entries.is_empty());
}

#[test]
fn who_ended_it_is_matched_by_option_id_not_place() {
    let mut wb = workbook();
    // A content pack that reorders the options: "They did" comes first now.
    wb.welcome.onboarding.ended_by_options.reverse();
    let them = wb
        .welcome
        .onboarding
        .ended_by_options
        .iter()
        .position(|c| c.id == "them")
        .unwrap();
    let mut script = Script::new([
        Say::Text("6 weeks ago"),
        Say::Pick(them),
        Say::Yes(false),
        Say::Yes(false),
        Say::Yes(false),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let clock = clock();
    let mut flow = Flow::new(&wb, Progress::default(), &mut script, &mut memory, &clock);
    let _ = flow.run(Options::default());
    let o = memory.progress.onboarding.as_ref().unwrap();
    assert_eq!(o.ended_by, EndedBy::Them);
}

#[test]
fn choice_and_checklist_answers_keep_their_option_ids() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut memory = Memory::default();
    let mut say = onboarding(false, false);
    say.extend(answers(step1, 0));
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    for (entry, prompt) in memory.entries.iter().zip(&full(step1)) {
        match prompt.kind {
            PromptKind::Checklist => {
                let mut picked = quiet_options(prompt);
                picked.truncate(2);
                picked.reverse();
                let ids: Vec<&str> = picked
                    .iter()
                    .map(|i| prompt.options[*i].id.as_str())
                    .collect();
                assert_eq!(entry.option_ids, ids);
                assert!(entry.answer.contains(&prompt.options[picked[0]].label));
            }
            PromptKind::Choice => {
                let picked = &prompt.options[quiet_options(prompt)[0]];
                assert_eq!(entry.option_ids, std::slice::from_ref(&picked.id));
                assert_eq!(entry.answer, picked.label);
            }
            _ => assert!(entry.option_ids.is_empty()),
        }
    }
}

/// The prompts of `step` on the full path.
fn full(step: &Step) -> Vec<Prompt> {
    step.prompts_on(PathKind::Full)
        .into_iter()
        .cloned()
        .collect()
}

/// Onboarded on the full path with every step before `n` done (intros seen).
fn at_step(n: u8) -> Progress {
    let wb = workbook();
    let mut p = onboarded(false, false);
    for step in wb.steps.iter().filter(|s| s.number < n) {
        p.apply(&Change::Completed {
            step_id: step.id.clone(),
            at: clock().0,
        });
    }
    p
}

fn index_of(p: &Prompt, option: &str) -> usize {
    p.options.iter().position(|o| o.id == option).unwrap()
}

#[test]
fn a_yes_to_asked_for_space_switches_to_the_no_contact_path_before_any_contact_advice() {
    let wb = workbook();
    for n in [3, 4] {
        let step = wb.step(n).unwrap();
        // Yes, then "not now" to beginning the new path.
        let mut script = Script::new([Say::Yes(true), Say::Yes(false)]);
        let mut memory = Memory::default();
        let ended = run(at_step(n), &mut memory, &mut script, Options::default()).unwrap();
        assert_eq!(ended, Ended::Switched(PathKind::NoContact), "step {n}");
        assert!(memory.progress.onboarding.as_ref().unwrap().no_contact);
        assert!(!coaches_contact(&memory.progress));
        let shown = script.shown_text();
        assert!(
            shown.contains(&wb.welcome.switch.no_contact.done),
            "{shown}"
        );
        assert!(shown.contains("exback next --onboarding"));
        assert!(!shown.contains(&step.why), "asked before the step's advice");
        assert_eq!(
            memory.entries[0].prompt_id.as_deref(),
            Some("asked-for-space")
        );
        assert!(!offered(&memory.progress, step));
    }
}

#[test]
fn in_steps_five_to_seven_they_asked_for_space_or_blocked_switches_without_asking() {
    let wb = workbook();
    for (n, option) in [(5, "asked-for-space"), (6, "blocked"), (7, "blocked")] {
        let since = wb.step(n).unwrap().prompt("since-then").unwrap();
        let mut script = Script::new([Say::Pick(index_of(since, option)), Say::Yes(false)]);
        let mut memory = Memory::default();
        let ended = run(at_step(n), &mut memory, &mut script, Options::default()).unwrap();
        assert_eq!(ended, Ended::Switched(PathKind::NoContact), "step {n}");
        assert_eq!(memory.entries[0].option_ids, [option]);
    }
}

#[test]
fn in_steps_five_to_seven_a_no_offers_moving_on_and_accepting_switches_with_the_outcome() {
    let wb = workbook();
    for (n, option) in [(5, "said-no"), (6, "want-to-move-on"), (7, "someone-new")] {
        let since = wb.step(n).unwrap().prompt("since-then").unwrap();
        let mut script = Script::new([
            Say::Pick(index_of(since, option)),
            Say::Yes(true),
            Say::Yes(false),
        ]);
        let mut memory = Memory::default();
        let ended = run(at_step(n), &mut memory, &mut script, Options::default()).unwrap();
        assert_eq!(ended, Ended::Switched(PathKind::MovingOn), "step {n}");
        assert!(memory.progress.moved_on());
        assert_eq!(script.asked[1], wb.welcome.switch.moving_on.offer);
        assert!(moving_on_active(&wb, &memory.progress));
        assert!(
            script
                .shown_text()
                .contains(&wb.welcome.switch.moving_on.done)
        );
    }
}

/// One run at `now` (RFC 3339) instead of the usual clock.
fn run_at(
    now: &str,
    progress: Progress,
    memory: &mut Memory,
    script: &mut Script,
) -> Result<Ended, FlowError> {
    let wb = workbook();
    memory.progress = progress.clone();
    let clock = Fixed(DateTime::parse_from_rfc3339(now).unwrap());
    let mut flow = Flow::new(&wb, progress, script, memory, &clock);
    flow.run(Options::default())
}

fn door_option(wb: &Workbook, id: &str) -> usize {
    wb.welcome
        .closed_door
        .options
        .iter()
        .position(|o| o.id == id)
        .unwrap()
}

#[test]
fn declining_moving_on_after_they_said_no_closes_the_door_and_the_next_run_asks_a_real_choice() {
    let wb = workbook();
    let d = &wb.welcome.closed_door;
    for (n, option) in [(5, "said-no"), (6, "want-to-move-on"), (7, "someone-new")] {
        let step = wb.step(n).unwrap();
        let since = step.prompt("since-then").unwrap();
        let mut script = Script::new([Say::Pick(index_of(since, option)), Say::Yes(false)]);
        let mut memory = Memory::default();
        let ended = run(at_step(n), &mut memory, &mut script, Options::default()).unwrap();
        assert_eq!(ended, Ended::StepPaused(n), "step {n}");
        assert!(!memory.progress.moved_on(), "a no is never pushed on");
        let shown = script.shown_text();
        assert!(shown.contains(&d.declined), "{shown}");
        assert!(
            !shown.contains("once more"),
            "no promise to ask the same question: {shown}"
        );
        assert!(
            !shown.contains(&wb.welcome.switch.moving_on.declined),
            "{shown}"
        );
        let door = memory
            .progress
            .step(&step.id)
            .unwrap()
            .door
            .clone()
            .unwrap();
        assert_eq!(door.said, since.options[index_of(since, option)].label);
        assert!(paused(&wb, &memory.progress).is_some_and(|(s, _)| s.id == step.id));

        // The next run never goes straight back into the step: it asks a real choice,
        // and "None of these" is not among the answers.
        let progress = memory.progress.clone();
        let mut script = Script::new([Say::Stop]);
        let mut again = Memory::default();
        let _ = run(progress, &mut again, &mut script, Options::default());
        assert_eq!(script.asked, std::slice::from_ref(&d.question), "step {n}");
        assert!(script.shown_text().contains(&door.said));
        assert!(
            closed_door(&wb, &again.progress).is_some(),
            "stopping keeps the door"
        );
    }
}

#[test]
fn at_a_closed_door_going_on_is_recorded_in_the_users_words_and_the_step_goes_on() {
    let wb = workbook();
    let d = &wb.welcome.closed_door;
    let step5 = wb.step(5).unwrap();
    let since = step5.prompt("since-then").unwrap();
    let mut script = Script::new([Say::Pick(index_of(since, "said-no")), Say::Yes(false)]);
    let mut memory = Memory::default();
    run(at_step(5), &mut memory, &mut script, Options::default()).unwrap();

    let mut script = Script::new([
        Say::Pick(door_option(&wb, "continue")),
        Say::Text("They said not now, not never. I want to be a friend."),
        Say::Stop,
    ]);
    let mut again = Memory::default();
    let ended = run(
        memory.progress.clone(),
        &mut again,
        &mut script,
        Options::default(),
    );
    assert!(matches!(
        ended,
        Err(FlowError::Prompt(PromptError::Stopped))
    ));
    assert_eq!(script.asked[1], d.why_continue);
    // Then the step goes on after the question that closed the door.
    assert_eq!(script.asked[2], full(step5)[1].text);
    let why = again
        .entries
        .iter()
        .find(|e| e.prompt_id.as_deref() == Some("closed-door-why"))
        .unwrap();
    assert!(why.answer.contains("not now, not never"));
    assert_eq!(again.entries[0].option_ids, ["continue"]);
    assert!(closed_door(&wb, &again.progress).is_none());
    assert!(paused(&wb, &again.progress).is_none());
    assert!(script.shown_text().contains(&d.continued));
}

#[test]
fn at_a_closed_door_a_pause_holds_until_its_day_and_then_the_choice_comes_back() {
    let wb = workbook();
    let d = &wb.welcome.closed_door;
    let step6 = wb.step(6).unwrap();
    let since = step6.prompt("since-then").unwrap();
    let mut script = Script::new([Say::Pick(index_of(since, "someone-new")), Say::Yes(false)]);
    let mut memory = Memory::default();
    run(at_step(6), &mut memory, &mut script, Options::default()).unwrap();

    let week = d
        .look_again_options
        .iter()
        .position(|l| l.days == 7)
        .unwrap();
    let mut script = Script::new([Say::Pick(door_option(&wb, "pause")), Say::Pick(week)]);
    let mut paused_now = Memory::default();
    let ended = run(
        memory.progress.clone(),
        &mut paused_now,
        &mut script,
        Options::default(),
    );
    assert_eq!(ended.unwrap(), Ended::StepPaused(6));
    assert!(
        script.shown_text().contains("2026-12-06"),
        "{}",
        script.shown_text()
    );

    // Before the day: nothing is asked at all, only where things stand.
    let mut script = Script::new([]);
    let ended = run_at(
        "2026-12-05T21:00:00+01:00",
        paused_now.progress.clone(),
        &mut Memory::default(),
        &mut script,
    );
    assert_eq!(ended.unwrap(), Ended::StepPaused(6));
    assert!(script.shown_text().contains("resting until 2026-12-06"));

    // On the day: the choice comes back.
    let mut script = Script::new([Say::Stop]);
    let _ = run_at(
        "2026-12-06T09:00:00+01:00",
        paused_now.progress.clone(),
        &mut Memory::default(),
        &mut script,
    );
    assert_eq!(script.asked, std::slice::from_ref(&d.question));
}

#[test]
fn at_a_closed_door_the_moving_on_steps_can_begin_now_or_not_now() {
    let wb = workbook();
    let step7 = wb.step(7).unwrap();
    let since = step7.prompt("since-then").unwrap();
    let mut script = Script::new([Say::Pick(index_of(since, "said-no")), Say::Yes(false)]);
    let mut memory = Memory::default();
    run(at_step(7), &mut memory, &mut script, Options::default()).unwrap();

    let grief = &wb.moving_on.steps[0];
    let mut script = Script::new([
        Say::Pick(door_option(&wb, "moving-on")),
        Say::Yes(true),
        Say::Stop,
    ]);
    let mut now = Memory::default();
    let _ = run(
        memory.progress.clone(),
        &mut now,
        &mut script,
        Options::default(),
    );
    assert!(now.progress.moved_on());
    assert!(closed_door(&wb, &now.progress).is_none());
    assert!(script.asked[1].contains(&grief.title), "{:?}", script.asked);
    assert_eq!(script.asked[2], grief.prompts[0].text);

    let mut script = Script::new([Say::Pick(door_option(&wb, "moving-on")), Say::Yes(false)]);
    let ended = run(
        memory.progress.clone(),
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert_eq!(ended.unwrap(), Ended::Switched(PathKind::MovingOn));
}

#[test]
fn after_a_switch_the_new_path_can_begin_at_once() {
    let wb = workbook();
    let step5 = wb.step(5).unwrap();
    let since = step5.prompt("since-then").unwrap();
    let grief = &wb.moving_on.steps[0];
    let mut script = Script::new([
        Say::Pick(index_of(since, "want-to-move-on")),
        Say::Yes(true),
        Say::Yes(true),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let _ = run(at_step(5), &mut memory, &mut script, Options::default());
    assert!(script.asked[2].contains(&grief.title), "{:?}", script.asked);
    assert_eq!(script.asked[3], grief.prompts[0].text);
}

#[test]
fn deciding_to_move_on_in_step_two_offers_the_moving_on_path() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let stand = step2.prompt("where-you-stand").unwrap();
    let before: Vec<Say> = answers(step2, 0)
        .into_iter()
        .take(full(step2).len() - 1)
        .collect();
    let mut say = before.clone();
    say.extend([
        Say::Pick(index_of(stand, "decided-to-move-on")),
        Say::Yes(true),
        Say::Yes(false),
    ]);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(at_step(2), &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::Switched(PathKind::MovingOn));
    assert!(memory.progress.moved_on());

    // Declined: the decision still counts. The step rests behind a closed door:
    // no readiness check, no "Continue with step 3?", nothing about contact.
    let mut say = before;
    say.extend([
        Say::Pick(index_of(stand, "decided-to-move-on")),
        Say::Yes(false),
    ]);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(at_step(2), &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepPaused(2));
    assert!(!memory.progress.moved_on());
    assert!(!script.asked.iter().any(|q| q.contains("Continue with")));
    assert!(closed_door(&wb, &memory.progress).is_some_and(|(s, _)| s.id == step2.id));
}

#[test]
fn not_sure_about_getting_in_touch_pauses_step_three_and_says_why_that_is_good() {
    let wb = workbook();
    let step3 = wb.step(3).unwrap();
    let channel = step3.prompt("channel").unwrap();
    let position = full(step3).iter().position(|p| p.id == "channel").unwrap();
    let mut say: Vec<Say> = answers(step3, 0).into_iter().take(position).collect();
    say.push(Say::Pick(index_of(channel, "not-sure-yet")));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(at_step(3), &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepPaused(3));
    let reaction = channel.reactions[0].text.as_deref().unwrap();
    let shown = script.shown_text();
    assert!(
        shown.contains(reaction) && shown.contains("exback write"),
        "{shown}"
    );
    assert!(
        !script.asked.iter().any(|q| q.contains("starting point")),
        "no templates after not sure"
    );
}

#[test]
fn the_hardest_end_of_a_scale_brings_the_support_block_once_a_run() {
    let wb = workbook();
    let support = &wb.welcome.support.title;
    // Step 2's "how are you holding up", answered 1, after a mood check-in of 1.
    let step2 = wb.step(2).unwrap();
    // The check-in at 1 offers to stop for today: not now.
    let mut say = vec![Say::Scale(1), Say::Text(""), Say::Yes(false)];
    let mut walk = answers(step2, 0);
    walk[1] = Say::Scale(1);
    say.extend(walk.into_iter().take(2));
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(at_step(2), &mut memory, &mut script, offer(None));
    let shown = script.shown_text();
    assert_eq!(shown.matches(support.as_str()).count(), 1, "{shown}");
    assert!(shown.contains(&wb.welcome.support.resources[0].contact));
    let heavy = full(step2)[1].reactions[0].text.clone().unwrap();
    assert!(shown.contains(&heavy), "the gentle word is shown even so");

    // Step 4's urge scale at its hardest points at `exback urge`, with the block.
    let step4 = wb.step(4).unwrap();
    let mut say = answers(step4, 0);
    say.truncate(1);
    say.extend([Say::Scale(2), Say::Stop]);
    let mut script = Script::new(say);
    let _ = run(
        at_step(4),
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    let shown = script.shown_text();
    assert!(
        shown.contains("exback urge") && shown.contains(support.as_str()),
        "{shown}"
    );

    // A 3 is not the hardest end: no block.
    let mut script = Script::new([Say::Scale(3), Say::Text(""), Say::Stop]);
    let _ = run(at_step(2), &mut Memory::default(), &mut script, offer(None));
    assert!(!script.shown_text().contains(support.as_str()));
}

#[test]
fn barely_holding_up_in_the_moved_on_reflection_brings_the_support_block() {
    let wb = workbook();
    let moved_on = wb.outcomes.get("moved-on").unwrap();
    let mut say = Vec::new();
    for p in &moved_on.prompts {
        say.push(match p.kind {
            PromptKind::Scale => Say::Scale(1),
            _ => Say::Text("Slowly."),
        });
    }
    let mut script = Script::new(say);
    let mut memory = Memory {
        progress: at_step(3),
        ..Memory::default()
    };
    let clock = clock();
    let mut flow = Flow::new(&wb, at_step(3), &mut script, &mut memory, &clock);
    flow.record_outcome(Some(OutcomeKind::MovedOn)).unwrap();
    assert!(script.shown_text().contains(&wb.welcome.support.title));
}

#[test]
fn each_path_has_its_own_list_of_prompts_and_checks() {
    let wb = workbook();
    let ids = |step: &Step, path: PathKind| -> Vec<String> {
        step.prompts_on(path).iter().map(|p| p.id.clone()).collect()
    };
    let checks = |step: &Step, path: PathKind| -> Vec<String> {
        step.checks_on(path).iter().map(|c| c.id.clone()).collect()
    };
    let step1 = wb.step(1).unwrap();
    assert_eq!(
        ids(step1, PathKind::Full),
        [
            "what-happened",
            "reasons",
            "main-reason",
            "my-part",
            "pattern",
            "their-view",
            "how-clear",
            "changes"
        ]
    );
    assert_eq!(ids(step1, PathKind::NoContact), ids(step1, PathKind::Full));
    assert_eq!(
        ids(step1, PathKind::Safety),
        [
            "what-happened",
            "reasons",
            "main-reason",
            "early-signs",
            "what-helped",
            "how-clear",
            "hold-on-to"
        ]
    );
    assert_eq!(checks(step1, PathKind::Full), ["differently", "their-side"]);
    assert_eq!(
        checks(step1, PathKind::Safety),
        ["kind-to-yourself", "safe-now"]
    );
    let step2 = wb.step(2).unwrap();
    assert_eq!(
        ids(step2, PathKind::Full),
        [
            "feelings",
            "how-heavy",
            "still-hurting",
            "letting-go",
            "self-care",
            "needs-and-limits",
            "healthy-future",
            "where-you-stand"
        ]
    );
    assert_eq!(
        ids(step2, PathKind::Safety),
        [
            "feelings",
            "how-heavy",
            "still-hurting",
            "setting-down",
            "self-care",
            "needs-and-limits",
            "safe-future",
            "where-you-stand"
        ]
    );
    // On the no-contact path, the picture of a good year leaves the ex out.
    let no_contact = ids(step2, PathKind::NoContact);
    assert!(
        no_contact.contains(&"good-year".to_string()),
        "{no_contact:?}"
    );
    assert!(!no_contact.contains(&"healthy-future".to_string()));
    // Nothing on the safety path weighs the person's part or asks for the ex's view.
    for step in [step1, step2] {
        for p in step.prompts_on(PathKind::Safety) {
            for phrase in [
                "fell short",
                "your ex explained",
                "forgive",
                "made things harder",
            ] {
                assert!(!p.text.contains(phrase), "{}: {}", p.id, p.text);
            }
        }
    }
}

#[test]
fn the_safety_path_walks_its_own_prompts() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut say = Vec::new();
    for p in step1.prompts_on(PathKind::Safety) {
        say.push(match p.kind {
            PromptKind::Checklist => Say::Ticks(vec![0]),
            PromptKind::Choice => Say::Pick(0),
            PromptKind::Scale => Say::Scale(5),
            _ => Say::Text("Honest."),
        });
    }
    say.extend(
        step1
            .checks_on(PathKind::Safety)
            .iter()
            .map(|c| Say::Yes(c.expect)),
    );
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(
        onboarded(false, true),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    let asked = script.asked.join("\n");
    assert!(asked.contains("what told you that something wasn't right"));
    assert!(!asked.contains("what did you do, or not do"));
}

#[test]
fn not_knowing_who_to_turn_to_on_the_safety_path_brings_the_support_block() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut progress = onboarded(false, true);
    for p in step1.prompts_on(PathKind::Safety) {
        progress.apply(&Change::Answered {
            step_id: step1.id.clone(),
            prompt_id: p.id.clone(),
        });
    }
    progress.apply(&Change::IntroSeen {
        step_id: step1.id.clone(),
        at: clock().0,
    });
    // The first safety check passes; "who could you turn to" is answered no. The
    // step goes on all the same: self-care is never held back on this path.
    let mut script = Script::new([Say::Yes(true), Say::Yes(false), Say::Yes(false)]);
    let mut memory = Memory::default();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    assert!(memory.progress.completed_at(&step1.id).is_some());
    let shown = script.shown_text();
    assert!(shown.contains(&wb.welcome.support.title), "{shown}");
    assert!(shown.contains(&wb.welcome.limited_path.not_yet), "{shown}");
    assert!(!shown.contains(&step1.readiness.not_ready), "{shown}");
}

#[test]
fn on_the_no_contact_path_a_readiness_no_never_locks_self_care() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let mut progress = onboarded(true, false);
    complete(&mut progress, &wb.steps[..1]);
    progress = answered_before(progress, step2, PathKind::NoContact, None);
    // "Can you get through without your mood depending on them?" No.
    let checks = step2.checks_on(PathKind::NoContact);
    let say: Vec<Say> = checks
        .iter()
        .map(|c| {
            Say::Yes(if c.id == "steadier" {
                !c.expect
            } else {
                c.expect
            })
        })
        .chain([Say::Yes(false)])
        .collect();
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(2));
    assert!(memory.progress.completed_at(&step2.id).is_some());
    // "Let yourself grieve" is what comes next, not a locked step 2.
    assert_eq!(
        current_step(&wb, &memory.progress).map(|s| s.id.as_str()),
        Some("grief")
    );
    let shown = script.shown_text();
    assert!(shown.contains(&wb.welcome.limited_path.not_yet), "{shown}");
    assert!(shown.contains(&wb.welcome.support.title), "{shown}");
    assert!(
        !shown.contains(&wb.welcome.words.not_ready_saved),
        "{shown}"
    );

    // On the full path the same "no" still keeps the step open.
    let mut progress = at_step(2);
    progress = answered_before(progress, step2, PathKind::Full, None);
    let say: Vec<Say> = step2
        .checks_on(PathKind::Full)
        .iter()
        .map(|c| {
            Say::Yes(if c.id == "steadier" {
                !c.expect
            } else {
                c.expect
            })
        })
        .collect();
    let mut script = Script::new(say);
    let ended = run(
        progress,
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert_eq!(ended.unwrap(), Ended::NotReady(2));
}

/// `progress` with the prompts of `step` on `path` before `upto` answered (all of
/// them when `upto` is `None`) and the step's introduction seen.
fn answered_before(
    mut progress: Progress,
    step: &Step,
    path: PathKind,
    upto: Option<&str>,
) -> Progress {
    for p in step
        .prompts_on(path)
        .into_iter()
        .take_while(|p| Some(p.id.as_str()) != upto)
    {
        progress.apply(&Change::Answered {
            step_id: step.id.clone(),
            prompt_id: p.id.clone(),
        });
    }
    progress.apply(&Change::IntroSeen {
        step_id: step.id.clone(),
        at: clock().0,
    });
    progress
}

/// The "Question n of total" lines shown, in order.
fn question_lines(script: &Script) -> Vec<&str> {
    script
        .shown
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| t.starts_with("Question "))
        .collect()
}

#[test]
fn each_kind_of_answer_is_saved_as_words_and_as_data_where_it_has_a_shape() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let mut say = answers(step1, 0);
    say.push(Say::Stop); // at the readiness check
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(at_step(1), &mut memory, &mut script, Options::default());
    let entry = |id: &str| {
        memory
            .entries
            .iter()
            .find(|e| e.prompt_id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} is saved"))
    };

    // Words only, in a box as long as the content asks for.
    for prompt in full(step1) {
        let asked_in = script.inputs[script.asked.iter().position(|q| *q == prompt.text).unwrap()];
        match prompt.kind {
            PromptKind::LongText => assert_eq!(asked_in, "long text", "{}", prompt.id),
            PromptKind::ShortText => assert_eq!(asked_in, "text", "{}", prompt.id),
            _ => {}
        }
    }
    assert_eq!(entry("what-happened").answer, "Honest.");
    assert_eq!(entry("what-happened").value, None);
    assert_eq!(entry("main-reason").value, None);

    // A checklist keeps the labels ticked, in order.
    let reasons = entry("reasons");
    let options = &step1.prompt("reasons").unwrap().options;
    let ticked: Vec<&str> = reasons
        .option_ids
        .iter()
        .map(|id| options.iter().find(|o| o.id == *id).unwrap().label.as_str())
        .collect();
    assert_eq!(ticked.len(), 2);
    assert_eq!(reasons.value, Some(json!(ticked)));

    // A scale keeps the number.
    let how_clear = entry("how-clear");
    assert_eq!(how_clear.answer, "7/10");
    assert_eq!(how_clear.value, Some(json!(7)));
}

#[test]
fn a_yes_no_answer_is_saved_as_a_word_and_as_true_or_false() {
    // Step 3 opens with "did they ask for space?"; a no goes on with the step.
    let mut script = Script::new([Say::Yes(false), Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(at_step(3), &mut memory, &mut script, Options::default());
    let entry = &memory.entries[0];
    assert_eq!(entry.prompt_id.as_deref(), Some("asked-for-space"));
    assert_eq!(entry.prompt_kind, Some(PromptKind::YesNo));
    assert_eq!(entry.answer, "No");
    assert_eq!(entry.value, Some(Value::Bool(false)));
}

#[test]
fn each_readiness_answer_is_saved_with_its_step_and_check() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let progress = answered_before(at_step(1), step1, PathKind::Full, None);
    let mut say = readiness(step1, true);
    say.push(Say::Yes(false)); // not going on to step 2 now
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    let expected: Vec<NewEntry> = step1
        .checks_on(PathKind::Full)
        .into_iter()
        .map(|c| {
            assert!(c.expect, "this test answers yes to each check");
            NewEntry {
                step: Some(1),
                step_id: Some("understand".into()),
                prompt_id: Some(c.id.clone()),
                prompt: Some(c.text.clone()),
                prompt_kind: Some(PromptKind::YesNo),
                value: Some(Value::Bool(true)),
                ..NewEntry::new(clock().0, EntryKind::Readiness, "Yes".into())
            }
        })
        .collect();
    assert_eq!(memory.entries, expected);
}

#[test]
fn a_no_to_the_last_readiness_check_alone_leaves_the_step_open() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let checks = step1.checks_on(PathKind::Full);
    assert!(checks.len() > 1);
    let progress = answered_before(at_step(1), step1, PathKind::Full, None);
    let mut say: Vec<Say> = checks.iter().map(|c| Say::Yes(c.expect)).collect();
    say.pop();
    say.push(Say::Yes(!checks.last().unwrap().expect));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(progress, &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::NotReady(1));
    assert_eq!(memory.progress.completed_at("understand"), None);
    assert_eq!(
        memory.progress.step("understand").unwrap().not_ready_at,
        Some(clock().0)
    );
    assert_eq!(
        current_step(&wb, &memory.progress).unwrap().id,
        "understand"
    );
    assert!(script.shown_text().contains(&step1.readiness.not_ready));
    assert_eq!(memory.entries.last().unwrap().answer, "No");
}

#[test]
fn questions_are_counted_from_one_and_a_resumed_step_counts_on() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let total = full(step1).len();
    let mut say = answers(step1, 0);
    say.truncate(2);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(at_step(1), &mut memory, &mut script, Options::default());
    assert_eq!(
        question_lines(&script),
        (1..=3)
            .map(|n| format!("Question {n} of {total}"))
            .collect::<Vec<_>>()
    );

    let mut say = answers(step1, 2);
    say.truncate(1);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert_eq!(
        question_lines(&script),
        [
            format!("Question 3 of {total}"),
            format!("Question 4 of {total}")
        ]
    );
}

#[test]
fn revisiting_counts_its_questions_from_one() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let total = full(step1).len();
    let mut progress = answered_before(at_step(1), step1, PathKind::Full, None);
    complete(&mut progress, &wb.steps[..1]);
    let mut say = answers(step1, 0);
    say.truncate(1);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let options = Options {
        step: Some(1),
        ..Options::default()
    };
    let _ = run(progress, &mut Memory::default(), &mut script, options);
    assert_eq!(
        question_lines(&script),
        [
            format!("Question 1 of {total}"),
            format!("Question 2 of {total}")
        ]
    );
}

#[test]
fn the_picking_up_note_is_only_for_a_step_left_part_way() {
    let wb = workbook();
    let step1 = wb.step(1).unwrap();
    let picking_up = "Picking up where you left off";

    // A step begun afresh.
    let mut script = Script::new([Say::Stop]);
    let _ = run(
        at_step(1),
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert!(!script.shown_text().contains(picking_up));

    // Part way.
    let progress = answered_before(at_step(1), step1, PathKind::Full, Some("my-part"));
    let mut script = Script::new([Say::Stop]);
    let _ = run(
        progress,
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    let total = full(step1).len();
    assert!(
        script
            .shown_text()
            .contains(&format!("{picking_up}: 3 of {total} answered."))
    );

    // Every question answered, the readiness check still to pass: straight to it.
    let progress = answered_before(at_step(1), step1, PathKind::Full, None);
    let mut script = Script::new([Say::Stop]);
    let _ = run(
        progress,
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert!(!script.shown_text().contains(picking_up));
    assert_eq!(script.asked, [step1.readiness.checks[0].text.clone()]);
}

#[test]
fn keeping_a_template_as_it_is_saves_its_text() {
    let wb = workbook();
    let step3 = wb.step(3).unwrap();
    let prompt = step3.prompt("first-message").unwrap();
    let progress = answered_before(at_step(3), step3, PathKind::Full, Some("first-message"));
    let mut script = Script::new([Say::Pick(0), Say::Keep, Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert_eq!(script.inputs[..2], ["select", "adapt"]);
    let entry = &memory.entries[0];
    assert_eq!(entry.answer, prompt.templates[0].text);
    assert_eq!(
        entry.value,
        Some(json!({ "template": prompt.templates[0].id, "label": prompt.templates[0].label }))
    );
}

#[test]
fn a_pick_past_the_end_of_a_list_takes_its_last_option_rather_than_failing() {
    let wb = workbook();

    let step1 = wb.step(1).unwrap();
    let pattern = step1.prompt("pattern").unwrap();
    let progress = answered_before(at_step(1), step1, PathKind::Full, Some("pattern"));
    let mut script = Script::new([Say::PickPastEnd, Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    let last = pattern.options.last().unwrap();
    assert_eq!(memory.entries[0].option_ids, std::slice::from_ref(&last.id));
    assert_eq!(memory.entries[0].answer, last.label);

    let step3 = wb.step(3).unwrap();
    let message = step3.prompt("first-message").unwrap();
    let progress = answered_before(at_step(3), step3, PathKind::Full, Some("first-message"));
    let mut script = Script::new([Say::PickPastEnd, Say::Keep, Say::Stop]);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert_eq!(
        memory.entries[0].answer,
        message.templates.last().unwrap().text
    );
}

#[test]
fn the_path_follows_onboarding_then_the_outcome_with_safety_first() {
    let moved_on = |mut p: Progress| {
        p.apply(&Change::Outcome(Some(crate::journal::Outcome {
            kind: OutcomeKind::MovedOn,
            at: clock().0,
            extra: serde_json::Map::new(),
        })));
        p
    };
    assert_eq!(path(&Progress::default()), PathKind::Full);
    assert_eq!(path(&onboarded(false, false)), PathKind::Full);
    assert_eq!(path(&onboarded(true, false)), PathKind::NoContact);
    assert_eq!(path(&onboarded(true, true)), PathKind::Safety);
    assert_eq!(path(&onboarded(false, true)), PathKind::Safety);
    assert_eq!(path(&moved_on(onboarded(false, false))), PathKind::MovingOn);
    assert_eq!(path(&moved_on(onboarded(true, false))), PathKind::NoContact);
    assert_eq!(path(&moved_on(onboarded(false, true))), PathKind::Safety);

    // The no-contact path asks its own picture of a good year in step 2.
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let mut progress = onboarded(true, false);
    complete(&mut progress, &wb.steps[..1]);
    let progress = answered_before(progress, step2, PathKind::NoContact, Some("good-year"));
    let mut script = Script::new([Say::Stop]);
    let _ = run(
        progress,
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert_eq!(
        script.asked,
        [step2.prompt("good-year").unwrap().text.clone()]
    );
}

#[test]
fn the_moving_on_introduction_is_not_shown_again_once_a_moving_on_step_was_begun() {
    let wb = workbook();
    let grief = &wb.moving_on.steps[0];
    let mut progress = onboarded(false, false);
    progress.apply(&Change::Outcome(Some(crate::journal::Outcome {
        kind: OutcomeKind::MovedOn,
        at: clock().0,
        extra: serde_json::Map::new(),
    })));
    let mut say = answers(grief, 0);
    say.truncate(1);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert!(script.shown_text().contains(&wb.moving_on.intro));

    // The next run picks the step up without the introduction.
    let mut say = answers(grief, 1);
    say.truncate(1);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let progress = memory.progress.clone();
    let _ = run(progress, &mut memory, &mut script, Options::default());
    assert_eq!(script.asked[0], grief.prompts[1].text);
    assert!(!script.shown_text().contains(&wb.moving_on.intro));
}

/// Walks `step` from its first question to done: every question answered, every
/// readiness check passed, and no to going straight on. The script is handed back to be
/// read.
fn walk_to_done(step: &Step, progress: Progress) -> (Result<Ended, FlowError>, Script) {
    let mut say = answers(step, 0);
    say.extend(readiness(step, true));
    say.push(Say::Yes(false));
    let mut script = Script::new(say);
    let ended = run(
        progress,
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    (ended, script)
}

#[test]
fn the_way_onto_moving_on_is_shown_after_a_step_only_when_a_moving_on_step_comes_next() {
    let wb = workbook();

    // Full path: step 2 comes next, so nothing is said about moving on.
    let step1 = wb.step(1).unwrap();
    let (ended, script) = walk_to_done(step1, at_step(1));
    let ended = ended.unwrap();
    assert_eq!(ended, Ended::StepDone(1));
    assert!(!script.shown_text().contains(&wb.moving_on.intro));
    assert!(!script.shown_text().contains(&wb.welcome.limited_path.done));

    // Limited path: the moving-on steps come next; the way there is shown even when
    // the user stops before walking them.
    let step2 = wb.step(2).unwrap();
    let mut progress = onboarded(true, false);
    complete(&mut progress, &wb.steps[..1]);
    let (ended, script) = walk_to_done(step2, progress);
    let ended = ended.unwrap();
    assert_eq!(ended, Ended::StepDone(2));
    assert!(script.shown_text().contains(&wb.welcome.limited_path.done));
}

#[test]
fn finishing_a_step_says_so_with_its_date_and_the_bar_of_seven() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let (_, script) = walk_to_done(step2, at_step(2));
    let shown = script.shown_text();
    assert!(shown.contains("Step 2 of 7 · "), "{shown}");
    assert!(shown.contains("■□□□□□□ 1 of 7 done"), "{shown}");
    assert!(
        shown.contains("Step 2 is done (2026-11-29). ■■□□□□□ 2 of 7 done"),
        "{shown}"
    );
}

#[test]
fn asking_for_the_current_step_by_number_walks_it_as_next_would() {
    let wb = workbook();
    let step2 = wb.step(2).unwrap();
    let mut say = answers(step2, 0);
    say.truncate(1);
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let options = Options {
        step: Some(2),
        ..Options::default()
    };
    let err = run(at_step(2), &mut memory, &mut script, options).unwrap_err();
    assert!(
        matches!(err, FlowError::Prompt(PromptError::Stopped)),
        "{err}"
    );
    assert_eq!(script.asked[0], full(step2)[0].text);
    assert_eq!(memory.progress.step("prepare").unwrap().answered.len(), 1);
}

#[test]
fn each_status_reads_as_a_word_and_a_done_step_carries_its_date() {
    let wb = workbook();
    let words = |st: Vec<(&Step, StepStatus)>| -> Vec<(&'static str, String)> {
        st.into_iter()
            .map(|(_, s)| (s.id(), s.label(&wb)))
            .collect()
    };
    let done = || ("done", "done 2026-11-29".to_string());
    let ahead = || ("ahead", "ahead".to_string());
    let current = || ("current", "current".to_string());
    let not_offered = || ("not_offered", "not offered".to_string());

    assert_eq!(
        words(statuses(&wb, &at_step(3))),
        [
            done(),
            done(),
            current(),
            ahead(),
            ahead(),
            ahead(),
            ahead()
        ]
    );
    // Moving on is not the way yet: its steps lie ahead.
    assert_eq!(
        words(moving_on_statuses(&wb, &at_step(3))),
        [ahead(), ahead(), ahead()]
    );

    // On the no-contact path, after steps 1 and 2 and the first moving-on step.
    let mut progress = both_steps_done(onboarded(true, false));
    complete(&mut progress, &wb.moving_on.steps[..1]);
    assert_eq!(
        words(statuses(&wb, &progress)),
        [
            done(),
            done(),
            not_offered(),
            not_offered(),
            not_offered(),
            not_offered(),
            not_offered()
        ]
    );
    assert_eq!(
        words(moving_on_statuses(&wb, &progress)),
        [done(), current(), ahead()]
    );
}

#[test]
fn the_flow_hands_back_the_progress_it_saved() {
    let wb = workbook();
    let mut script = Script::new(outcome_answers(&wb, "friends"));
    let mut memory = Memory {
        progress: at_step(3),
        ..Memory::default()
    };
    let clock = clock();
    let mut flow = Flow::new(&wb, at_step(3), &mut script, &mut memory, &clock);
    flow.record_outcome(Some(OutcomeKind::Friends)).unwrap();
    let after = flow.progress().clone();
    assert_eq!(after.outcome_kind(), Some(OutcomeKind::Friends));
    assert_eq!(after, memory.progress);
}

#[test]
fn a_wall_clock_time_is_read_in_the_clocks_own_offset() {
    let naive = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(8, 30, 0)
        .unwrap();
    assert_eq!(
        clock().local(naive),
        Some(DateTime::parse_from_rfc3339("2026-11-30T08:30:00+01:00").unwrap())
    );
}

#[test]
fn each_reflection_answer_is_saved_with_its_question_and_the_outcome() {
    let mut wb = workbook();
    // A content pack may ask a choice in a reflection too: it keeps its option ids.
    let pattern = wb.step(1).unwrap().prompt("pattern").unwrap().clone();
    let friends = wb
        .outcomes
        .outcomes
        .iter_mut()
        .find(|o| o.id == "friends")
        .unwrap();
    friends.prompts.push(pattern);
    let prompts = friends.prompts.clone();
    let mut say: Vec<Say> = prompts[..prompts.len() - 1]
        .iter()
        .map(|_| Say::Text("Slowly."))
        .collect();
    say.push(Say::Pick(1));
    let mut script = Script::new(say);
    let mut memory = Memory {
        progress: at_step(3),
        ..Memory::default()
    };
    let clock = clock();
    let mut flow = Flow::new(&wb, at_step(3), &mut script, &mut memory, &clock);
    flow.record_outcome(Some(OutcomeKind::Friends)).unwrap();
    let expected: Vec<NewEntry> = prompts
        .iter()
        .map(|p| {
            let (answer, option_ids) = match p.kind {
                PromptKind::Choice => (p.options[1].label.clone(), vec![p.options[1].id.clone()]),
                _ => ("Slowly.".to_string(), Vec::new()),
            };
            NewEntry {
                prompt_id: Some(p.id.clone()),
                prompt: Some(p.text.clone()),
                prompt_kind: Some(p.kind),
                option_ids,
                outcome: Some(OutcomeKind::Friends),
                ..NewEntry::new(clock.0, EntryKind::Outcome, answer)
            }
        })
        .collect();
    assert_eq!(memory.entries, expected);

    // A scale in a reflection keeps its number.
    let mut script = Script::new(outcome_answers(&workbook(), "moved-on"));
    let mut memory = Memory::default();
    record(
        at_step(3),
        &mut memory,
        &mut script,
        Some(OutcomeKind::MovedOn),
    )
    .unwrap();
    let scale = memory
        .entries
        .iter()
        .find(|e| e.prompt_kind == Some(PromptKind::Scale))
        .unwrap();
    assert_eq!(scale.prompt_id.as_deref(), Some("moved-on-today"));
    assert_eq!(scale.answer, "4/10");
    assert_eq!(scale.value, Some(json!(4)));
}

#[test]
fn the_support_block_says_when_its_list_was_reviewed_only_when_it_has_one() {
    let mut wb = workbook();
    let support = wb.welcome.support.clone();
    let lines: Vec<String> = support_lines(&wb).into_iter().map(|(_, l)| l).collect();
    let reviewed = format!("Reviewed {}.", support.reviewed.as_deref().unwrap());
    assert_eq!(lines.first(), Some(&support.title));
    assert_eq!(lines.last(), Some(&reviewed));
    assert_eq!(lines.len(), 2 + support.resources.len() + 2);

    // With no resources listed there is nothing to have reviewed.
    wb.welcome.support.resources.clear();
    let lines: Vec<String> = support_lines(&wb).into_iter().map(|(_, l)| l).collect();
    assert!(!lines.contains(&reviewed), "{lines:?}");
    assert_eq!(lines.last(), support.note.as_ref());
}

#[test]
fn an_answer_that_ends_the_step_for_now_counts_and_the_next_run_goes_on_after_it() {
    let mut wb = workbook();
    let step1 = wb.steps.iter_mut().find(|s| s.number == 1).unwrap();
    let pattern = step1
        .prompts
        .iter_mut()
        .find(|p| p.id == "pattern")
        .unwrap();
    pattern.reactions.push(crate::workbook::Reaction {
        options: vec![pattern.options[0].id.clone()],
        text: Some("That's enough for today.".into()),
        then: Some(crate::workbook::Then::End),
        ..crate::workbook::Reaction::default()
    });
    let step1 = wb.step(1).unwrap();
    let progress = answered_before(at_step(1), step1, PathKind::Full, Some("pattern"));
    let mut script = Script::new([Say::Pick(0)]);
    let mut memory = Memory {
        progress: progress.clone(),
        ..Memory::default()
    };
    let clock = clock();
    let ended = Flow::new(&wb, progress, &mut script, &mut memory, &clock)
        .run(Options::default())
        .unwrap();
    assert_eq!(ended, Ended::StepClosed(1));
    assert!(script.shown_text().contains("That's enough for today."));
    assert_eq!(memory.entries.len(), 1);
    assert!(paused(&wb, &memory.progress).is_none(), "ended, not paused");
    assert_eq!(
        next_prompt(&wb, &memory.progress).unwrap().1.id,
        "their-view"
    );
}

#[test]
fn a_yes_to_a_safety_question_is_kept_even_if_onboarding_stops_there() {
    // "They blocked me", then onboarding stops before its end.
    let mut script = Script::new([
        Say::Text("yesterday"),
        Say::Pick(1),
        Say::Yes(true),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let ended = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    assert!(matches!(
        ended,
        Err(FlowError::Prompt(PromptError::Stopped))
    ));
    let p = &memory.progress;
    assert!(
        p.onboarding.is_none(),
        "onboarding is asked again next time"
    );
    assert!(p.limits_contact() && !coaches_contact(p));
    assert_eq!(path(p), PathKind::NoContact);

    // "I felt unsafe", then onboarding stops at the last question.
    let mut script = Script::new([
        Say::Text("yesterday"),
        Say::Pick(1),
        Say::Yes(false),
        Say::Yes(true),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    assert_eq!(path(&memory.progress), PathKind::Safety);

    // The next run asks onboarding again; the whole answers replace the early ones.
    let mut script = Script::new(onboarding(false, true).into_iter().chain([Say::Stop]));
    let mut again = Memory::default();
    let _ = run(
        memory.progress.clone(),
        &mut again,
        &mut script,
        Options::default(),
    );
    assert!(again.progress.safety_answers.is_none());
    assert_eq!(path(&again.progress), PathKind::Safety);

    // A no is not saved early: nothing is decided until onboarding ends.
    let mut script = Script::new([
        Say::Text("yesterday"),
        Say::Pick(1),
        Say::Yes(false),
        Say::Stop,
    ]);
    let mut memory = Memory::default();
    let _ = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    );
    assert_eq!(
        memory.progress,
        Progress {
            welcome_seen_at: memory.progress.welcome_seen_at,
            ..Progress::default()
        }
    );
}

#[test]
fn with_the_breakup_yesterday_step_three_waits_for_the_quiet_time_then_opens_by_itself() {
    let wb = workbook();
    let (step1, step2, step3) = (
        wb.step(1).unwrap(),
        wb.step(2).unwrap(),
        wb.step(3).unwrap(),
    );
    // Onboarding with the breakup yesterday, steps 1 and 2 walked and done in one run.
    let mut say = vec![
        Say::Text("yesterday"),
        Say::Pick(1),
        Say::Yes(false),
        Say::Yes(false),
        Say::Yes(false),
    ];
    say.extend(answers(step1, 0));
    say.extend(readiness(step1, true));
    say.push(Say::Yes(true));
    say.extend(answers(step2, 0));
    say.extend(readiness(step2, true));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(
        Progress::default(),
        &mut memory,
        &mut script,
        Options::default(),
    )
    .unwrap();
    assert_eq!(ended, Ended::QuietTime(3));
    assert!(
        !script
            .asked
            .iter()
            .any(|q| q.contains("Continue with step 3")),
        "{:?}",
        script.asked
    );
    let shown = script.shown_text();
    // 2026-11-28 plus 21 quiet days.
    assert!(shown.contains("20 days more, until 2026-12-19"), "{shown}");
    assert!(
        shown.contains("exback urge") && shown.contains("exback draft"),
        "{shown}"
    );
    assert!(
        !shown.contains(&step3.why),
        "none of the step's advice about contact"
    );

    // Asked for by number, or the next day: still nothing about contact.
    let progress = memory.progress.clone();
    for (now, options) in [
        (
            "2026-11-29T22:00:00+01:00",
            Options {
                step: Some(3),
                ..Options::default()
            },
        ),
        ("2026-12-18T22:00:00+01:00", Options::default()),
    ] {
        let mut script = Script::new([]);
        memory.progress = progress.clone();
        let clock = Fixed(DateTime::parse_from_rfc3339(now).unwrap());
        let ended = Flow::new(&wb, progress.clone(), &mut script, &mut memory, &clock)
            .run(options)
            .unwrap();
        assert_eq!(ended, Ended::QuietTime(3), "{now}");
        assert!(script.asked.is_empty());
    }

    // Once the days have passed, the step opens by itself.
    let mut script = Script::new([Say::Stop]);
    let _ = run_at(
        "2026-12-19T09:00:00+01:00",
        progress,
        &mut Memory::default(),
        &mut script,
    );
    assert_eq!(script.asked, std::slice::from_ref(&full(step3)[0].text));
}

#[test]
fn the_hardest_answers_offer_to_stop_for_today_with_help_first() {
    let wb = workbook();
    let w = &wb.welcome.switch;
    let step2 = wb.step(2).unwrap();
    // "How are you holding up today?" at 1: a kind word, help, then the offer.
    let mut say = answers(step2, 0);
    say.truncate(1);
    say.extend([Say::Scale(1), Say::Yes(true)]);
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let ended = run(at_step(2), &mut memory, &mut script, Options::default()).unwrap();
    assert_eq!(ended, Ended::StepClosed(2));
    assert_eq!(script.asked.last(), Some(&w.stop_offer));
    let shown = script.shown_text();
    let help = shown.find(&wb.welcome.support.title).unwrap();
    assert!(help < shown.find(&w.stopped).unwrap(), "{shown}");
    // The answer counts; the next run goes on at the next question.
    assert_eq!(
        next_prompt(&wb, &memory.progress).unwrap().1.id,
        full(step2)[2].id
    );

    // Going on is fine too: the next question follows.
    let mut say = answers(step2, 0);
    say.truncate(1);
    say.extend([Say::Scale(2), Say::Yes(false), Say::Stop]);
    let mut script = Script::new(say);
    let _ = run(
        at_step(2),
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    assert_eq!(script.asked.last(), Some(&full(step2)[2].text));

    // A mood check-in of 1 at the start of `exback next`: help, then the same offer.
    let mut script = Script::new([Say::Scale(1), Say::Text(""), Say::Yes(true)]);
    let ended = run(at_step(2), &mut Memory::default(), &mut script, offer(None)).unwrap();
    assert_eq!(ended, Ended::Paused);
    assert!(script.shown_text().contains(&wb.welcome.support.title));
}

#[test]
fn the_safety_path_has_its_own_words_without_fairness_to_them_or_forgiveness() {
    let wb = workbook();
    let (step1, step2) = (wb.step(1).unwrap(), wb.step(2).unwrap());
    // Step 1 on the safety path: its own why and guidance, and "control or fear" among
    // the reasons, which brings help at once.
    let mut say = Vec::new();
    for p in step1.prompts_on(PathKind::Safety) {
        say.push(match p.kind {
            PromptKind::Checklist => Say::Ticks(vec![index_of(p, "control-or-fear")]),
            PromptKind::Choice => Say::Pick(0),
            PromptKind::Scale => Say::Scale(5),
            _ => Say::Text("Honest."),
        });
        if p.id == "reasons" {
            break;
        }
    }
    say.push(Say::Stop);
    let mut script = Script::new(say);
    let _ = run(
        onboarded(false, true),
        &mut Memory::default(),
        &mut script,
        Options::default(),
    );
    let shown = script.shown_text();
    let safety = step1.safety.as_ref().unwrap();
    assert!(shown.contains(&safety.why), "{shown}");
    for word in ["what each of you needed", "their side too", "Forgiving"] {
        assert!(!shown.contains(word), "{word}: {shown}");
    }
    assert!(shown.contains(&wb.welcome.support.title));
    // Services that help plan for safety come first in the block on this path: every
    // one of them before every other line.
    let place = |r: &crate::workbook::Resource| {
        shown
            .find(&format!("{} · {}: {}", r.country, r.name, r.contact))
            .unwrap()
    };
    let (planning, others): (Vec<_>, Vec<_>) = wb
        .welcome
        .support
        .resources
        .iter()
        .partition(|r| r.safety_planning);
    assert!(!planning.is_empty());
    let last_planning = planning.iter().map(|r| place(r)).max().unwrap();
    let first_other = others.iter().map(|r| place(r)).min().unwrap();
    assert!(last_planning < first_other, "{shown}");

    // Step 2: no forgiveness talk in its words either.
    let (why, guidance) = step2.words_on(PathKind::Safety);
    assert!(!why.contains("forgiv") && guidance.iter().all(|g| !g.contains("Forgiv")));

    // The moving-on step about what was learned: no fairness to them, no "good parts".
    let lessons = wb
        .moving_on
        .steps
        .iter()
        .find(|s| s.id == "lessons")
        .unwrap();
    let (why, guidance) = lessons.words_on(PathKind::Safety);
    assert!(
        guidance
            .iter()
            .all(|g| !g.contains("fair") && !g.contains("good parts"))
    );
    assert!(!why.contains("fault") || why.contains("without any of it being your fault"));
    let asked: Vec<&str> = lessons
        .prompts_on(PathKind::Safety)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert!(
        !asked.contains(&"good-parts") && asked.contains(&"deserve"),
        "{asked:?}"
    );
}

#[test]
fn answers_are_said_in_the_contents_words() {
    let mut wb = workbook();
    let w = &mut wb.welcome.words;
    w.yes = "Ja".into();
    w.scale_answer = "{n} von 10".into();
    w.none_of_these = "(nichts davon)".into();
    w.picked = "- {label}".into();
    w.template_shown = "{label} = {text}".into();
    let of_kind = |kind: PromptKind| {
        wb.steps
            .iter()
            .flat_map(|s| &s.prompts)
            .find(|p| p.kind == kind)
            .expect("the built-in workbook asks every kind")
            .clone()
    };
    let (yes_no, scale, checklist, template) = (
        of_kind(PromptKind::YesNo),
        of_kind(PromptKind::Scale),
        of_kind(PromptKind::Checklist),
        of_kind(PromptKind::Template),
    );
    let mut script = Script::new([
        Say::Yes(true),
        Say::Scale(4),
        Say::Ticks(vec![]),
        Say::Ticks(vec![0]),
        Say::Pick(0),
        Say::Keep,
    ]);
    let mut memory = Memory::default();
    let clock = clock();
    let mut flow = Flow::new(
        &wb,
        onboarded(false, false),
        &mut script,
        &mut memory,
        &clock,
    );
    assert_eq!(flow.answer(&yes_no).unwrap().text, "Ja");
    assert_eq!(flow.answer(&scale).unwrap().text, "4 von 10");
    assert_eq!(flow.answer(&checklist).unwrap().text, "(nichts davon)");
    assert_eq!(
        flow.answer(&checklist).unwrap().text,
        format!("- {}", checklist.options[0].label)
    );
    flow.answer(&template).unwrap();
    let t = &template.templates[0];
    assert!(
        script
            .shown
            .iter()
            .any(|(_, line)| *line == format!("{} = {}", t.label, t.text)),
        "{:?}",
        script.shown
    );
}

#[test]
fn step_names_statuses_and_the_support_block_are_said_in_the_contents_words() {
    let mut wb = workbook();
    let w = &mut wb.welcome.words;
    w.step_name = "Schritt {n} ({title})".into();
    w.not_open_yet = "erst {current}, dann {asked}".into();
    w.status_current = "jetzt".into();
    w.support_reviewed = "Geprüft am {date}.".into();
    let mut script = Script::new([]);
    let mut memory = Memory::default();
    let clock = clock();
    let err = Flow::new(
        &wb,
        onboarded(false, false),
        &mut script,
        &mut memory,
        &clock,
    )
    .run(Options {
        step: Some(5),
        ..Options::default()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("erst Schritt 1 ({}), dann 5", wb.steps[0].title)
    );
    let status = statuses(&wb, &onboarded(false, false))[0].1;
    assert_eq!(status.label(&wb), "jetzt");
    let reviewed = support_lines(&wb);
    assert!(
        reviewed
            .iter()
            .any(|(_, line)| line.starts_with("Geprüft am 20")),
        "{reviewed:?}"
    );
}

#[test]
fn onboarding_says_date_errors_in_the_contents_words_and_refuses_an_unknown_ended_by() {
    let mut wb = workbook();
    let w = &mut wb.welcome.words;
    w.date_needed = "Ein Datum, bitte.".into();
    w.not_a_date = "»{said}« ist kein Datum.".into();
    w.date_in_future = "Das liegt in der Zukunft.".into();
    wb.welcome.onboarding.ended_by_options[1].id = "nobody".into();
    let mut say = vec![Say::Text(""), Say::Text("  bald "), Say::Text("2099-01-01")];
    say.extend(onboarding(false, false).into_iter().take(2));
    let mut script = Script::new(say);
    let mut memory = Memory::default();
    let clock = clock();
    let err = Flow::new(&wb, Progress::default(), &mut script, &mut memory, &clock)
        .run(Options::default())
        .unwrap_err();
    assert!(
        matches!(&err, FlowError::UnknownEndedBy(id) if id == "nobody"),
        "{err}"
    );
    assert!(memory.progress.onboarding.is_none());
    let cautions: Vec<&str> = script
        .shown
        .iter()
        .filter(|(tone, _)| *tone == Tone::Caution)
        .map(|(_, line)| line.as_str())
        .collect();
    assert_eq!(
        cautions,
        [
            "Ein Datum, bitte.",
            "»bald« ist kein Datum.",
            "Das liegt in der Zukunft."
        ]
    );
}
