use super::*;
use crate::journal::progress::{EndedBy, Onboarding, Outcome, StepProgress};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn rec(id: &str, at: &str, answer: &str) -> String {
    format!(r#"{{"v":1,"id":"{id}","at":"{at}","kind":"note","answer":"{answer}"}}"#)
}

fn ids(bytes: &[u8]) -> Vec<String> {
    lines(bytes)
        .map(|l| serde_json::from_slice::<Probe>(l).unwrap().id.unwrap())
        .collect()
}

const T1: &str = "2026-12-01T10:00:00+01:00";
const T2: &str = "2026-12-02T10:00:00+01:00";
const T3: &str = "2026-12-03T10:00:00+00:00";
const T4: &str = "2026-12-04T10:00:00+01:00";

#[test]
fn a_log_merge_is_the_union_by_id_with_the_other_sides_records_in_time_order() {
    let main = format!("{}\n{}\n", rec("a", T1, "one"), rec("c", T3, "three"));
    let other = format!(
        "{}\n{}\n{}\n",
        rec("a", T1, "one"),
        rec("b", T2, "two"),
        rec("d", T4, "four")
    );
    let merged = merge_log(
        "journal.jsonl",
        main.as_bytes(),
        &[other.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert_eq!(ids(&merged.bytes), ["a", "b", "c", "d"]);
    assert_eq!(
        (
            merged.added,
            merged.updated,
            merged.removed,
            merged.unreadable
        ),
        (2, 0, 0, 0)
    );
    // This side's lines are kept byte for byte.
    assert!(
        merged
            .bytes
            .starts_with(format!("{}\n", rec("a", T1, "one")).as_bytes())
    );
    // Merging again changes nothing: the merge is idempotent.
    let again = merge_log(
        "journal.jsonl",
        &merged.bytes,
        &[other.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert_eq!(again.bytes, merged.bytes);
    assert_eq!((again.added, again.updated), (0, 0));
    // And the same whichever side it runs on.
    let other_way = merge_log(
        "journal.jsonl",
        other.as_bytes(),
        &[main.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert_eq!(ids(&other_way.bytes), ["a", "b", "c", "d"]);
}

#[test]
fn the_later_change_wins_and_a_deletion_holds() {
    let edited = |answer: &str, when: &str| {
        format!(
            r#"{{"v":1,"id":"a","at":"{T1}","kind":"note","answer":"{answer}","edited_at":"{when}"}}"#
        )
    };
    let main = format!("{}\n{}\n", edited("mine", T2), rec("b", T2, "two"));
    let newer = format!("{}\n", edited("theirs", T3));
    let merged = merge_log(
        "journal.jsonl",
        main.as_bytes(),
        &[newer.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert!(String::from_utf8_lossy(&merged.bytes).contains("theirs"));
    assert_eq!(merged.updated, 1);
    let older = format!("{}\n", rec("a", T1, "original"));
    let merged = merge_log(
        "journal.jsonl",
        main.as_bytes(),
        &[older.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert_eq!(
        merged.bytes,
        main.as_bytes(),
        "an older version changes nothing"
    );

    let deleted: HashSet<String> = ["b".to_string()].into();
    let other = format!("{}\n", rec("b", T2, "two"));
    let merged = merge_log(
        "journal.jsonl",
        main.as_bytes(),
        &[other.as_bytes()],
        &deleted,
        None,
    );
    assert_eq!(ids(&merged.bytes), ["a"]);
    assert_eq!((merged.added, merged.removed), (0, 1));
}

#[test]
fn lines_that_cannot_be_read_are_counted_and_this_sides_are_kept_in_place() {
    let main = format!(
        "{}\nnot json at all\n{}\n",
        rec("a", T1, "one"),
        rec("c", T3, "c")
    );
    let other = format!("{{\"v\":1,\"id\":\n{}\n", rec("b", T2, "two"));
    let merged = merge_log(
        "journal.jsonl",
        main.as_bytes(),
        &[other.as_bytes()],
        &HashSet::new(),
        None,
    );
    assert_eq!(merged.unreadable, 1);
    let text = String::from_utf8(merged.bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "not json at all");
    assert_eq!(lines.len(), 4);
}

#[test]
fn sealed_records_merge_under_the_shared_key() {
    let _guard = seal::test_key_guard();
    let dir = tempfile::tempdir().unwrap();
    let key = seal::new_key(dir.path(), age::secrecy::SecretString::from("p".to_owned()));
    seal::forget();
    let sealed = |r: &str| {
        let mut l = key.seal("journal.jsonl", r.as_bytes()).unwrap();
        l.push(b'\n');
        l
    };
    let main = [sealed(&rec("a", T1, "one")), sealed(&rec("c", T3, "three"))].concat();
    let other = [sealed(&rec("a", T1, "one")), sealed(&rec("b", T2, "two"))].concat();
    let merged = merge_log(
        "journal.jsonl",
        &main,
        &[&other],
        &HashSet::new(),
        Some(&key),
    );
    assert_eq!(merged.added, 1);
    let opened: Vec<String> = lines(&merged.bytes)
        .map(|l| String::from_utf8(key.open("journal.jsonl", l).unwrap()).unwrap())
        .collect();
    assert!(opened[1].contains("\"b\""), "{opened:?}");
    // Without the key nothing of the other side can be read, and nothing is lost.
    let blind = merge_log("journal.jsonl", &main, &[&other], &HashSet::new(), None);
    assert_eq!((blind.added, blind.unreadable), (0, 2));
    assert_eq!(blind.bytes, main);
}

fn onboarding(at: &str, no_contact: bool, felt_unsafe: bool) -> Onboarding {
    Onboarding {
        answered_at: t(at),
        breakup_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        breakup_said: "2026-10-01".into(),
        ended_by: EndedBy::Them,
        no_contact,
        felt_unsafe,
        logistics: false,
        extra: serde_json::Map::new(),
    }
}

#[test]
fn progress_merges_field_by_field_and_keeps_the_most_protective_choice() {
    let mut mine = Progress {
        onboarding: Some(onboarding(T2, true, false)),
        welcome_seen_at: Some(t(T2)),
        ..Progress::default()
    };
    mine.steps.insert(
        "understand".into(),
        StepProgress {
            answered: vec!["what-happened".into()],
            ..StepProgress::default()
        },
    );
    let mut theirs = Progress {
        onboarding: Some(onboarding(T3, false, true)),
        welcome_seen_at: Some(t(T1)),
        outcome: Some(Outcome {
            kind: OutcomeKind::MovedOn,
            at: t(T1),
            extra: serde_json::Map::new(),
        }),
        ..Progress::default()
    };
    theirs.steps.insert(
        "understand".into(),
        StepProgress {
            answered: vec!["reasons".into()],
            completed_at: Some(t(T3)),
            paused_at: Some(t(T2)),
            ..StepProgress::default()
        },
    );
    mine.outcome = Some(Outcome {
        kind: OutcomeKind::StillHoping,
        at: t(T4),
        extra: serde_json::Map::new(),
    });
    merge_progress(&mut mine, theirs);
    let o = mine.onboarding.as_ref().unwrap();
    assert!(
        o.no_contact && o.felt_unsafe,
        "a no-contact or unsafe answer on either side holds"
    );
    assert_eq!(
        o.answered_at,
        t(T3),
        "otherwise the later onboarding counts"
    );
    assert_eq!(mine.welcome_seen_at, Some(t(T1)));
    let step = &mine.steps["understand"];
    assert_eq!(step.answered, ["what-happened", "reasons"]);
    assert_eq!(
        step.completed_at,
        Some(t(T3)),
        "finished on either side is finished"
    );
    assert_eq!(step.paused_at, Some(t(T2)), "a pause on either side holds");
    assert_eq!(
        mine.outcome_kind(),
        Some(OutcomeKind::MovedOn),
        "moved on holds"
    );
}

#[test]
fn a_closed_door_and_a_safety_answer_on_either_side_hold() {
    use crate::journal::progress::{Door, SafetyAnswers};
    let mut mine = Progress {
        onboarding: Some(onboarding(T2, false, false)),
        ..Progress::default()
    };
    mine.steps
        .insert("conversation".into(), StepProgress::default());
    let mut theirs = Progress {
        safety_answers: Some(SafetyAnswers {
            at: t(T3),
            no_contact: true,
            felt_unsafe: false,
            extra: serde_json::Map::new(),
        }),
        ..Progress::default()
    };
    theirs.steps.insert(
        "conversation".into(),
        StepProgress {
            door: Some(Door {
                prompt_id: "their-answer".into(),
                said: "They said no".into(),
                at: t(T3),
                look_again: None,
                extra: serde_json::Map::new(),
            }),
            ..StepProgress::default()
        },
    );
    merge_progress(&mut mine, theirs);
    assert!(mine.onboarding.as_ref().unwrap().no_contact);
    assert!(mine.limits_contact());
    assert_eq!(
        mine.steps["conversation"].door.as_ref().unwrap().said,
        "They said no"
    );
}
