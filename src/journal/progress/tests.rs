use super::*;

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-01T10:00:00+01:00").unwrap()
}

#[test]
fn who_ended_it_is_the_option_of_the_same_id_in_the_content_and_in_the_file() {
    let content = crate::workbook::Workbook::embedded().unwrap();
    let options = &content.welcome.onboarding.ended_by_options;
    assert_eq!(options.len(), 4);
    for option in options {
        let ended_by = EndedBy::from_id(&option.id).expect("every option is an answer");
        assert_eq!(ended_by.id(), option.id);
        // progress.json spells it the same way.
        assert_eq!(
            serde_json::to_value(ended_by).unwrap(),
            serde_json::Value::String(option.id.clone())
        );
    }
    assert_eq!(EndedBy::from_id("someone"), None);
}

fn onboarded(no_contact: bool) -> String {
    format!(
        r#"{{"format_version":1,"welcome_seen_at":"2026-11-01T10:00:00+01:00","onboarding":{{"answered_at":"2026-11-01T10:00:00+01:00","breakup_date":"2026-10-01","breakup_said":"a month ago","ended_by":"them","no_contact":{no_contact},"felt_unsafe":false}},"steps":{{"a":{{"answered":["p1"],"completed_at":"2026-11-02T10:00:00+01:00"}},"b":{{"answered":["p1"]}}}},"future":1}}"#
    )
}

#[test]
fn a_stray_byte_after_the_document_costs_nothing() {
    let mut bytes = onboarded(true).into_bytes();
    bytes.extend_from_slice(b"\nx");
    let s = salvage(&bytes);
    assert!(s.progress.limits_contact(), "the no-contact answer is kept");
    assert!(!s.progress.onboarding_unknown);
    assert_eq!(
        s.progress.completed_at("a"),
        Some(at() + chrono::Duration::days(1))
    );
    assert_eq!(s.progress.extra["future"], 1);
    assert!(s.lost.is_empty(), "{:?}", s.lost);
}

#[test]
fn damage_inside_keeps_what_comes_before_it() {
    let text = onboarded(false);
    // A stray byte inside step b: the onboarding and step a come before it.
    let i = text.find(r#""b":"#).unwrap();
    let mut bytes = text.as_bytes().to_vec();
    bytes.insert(i + 5, b'#');
    let s = salvage(&bytes);
    assert!(s.progress.onboarding.is_some());
    assert!(!s.progress.limits_contact());
    assert!(s.progress.completed_at("a").is_some());
    // Cut just inside step b: b is kept, with nothing in it.
    assert_eq!(s.progress.step("b"), Some(&StepProgress::default()));
    assert!(s.lost.contains(&Lost::AfterDamage), "{:?}", s.lost);
}

#[test]
fn lost_onboarding_answers_mean_no_contact_coaching_until_asked_again() {
    let text = onboarded(false);
    let i = text.find("no_contact").unwrap();
    let s = salvage(&text.as_bytes()[..i]);
    assert!(s.progress.onboarding.is_none());
    assert!(s.progress.onboarding_unknown);
    assert!(
        s.progress.limits_contact(),
        "unknown answers never coach contact"
    );
    assert!(
        s.lost.contains(&Lost::Onboarding) || s.lost.contains(&Lost::OnboardingIfGiven),
        "{:?}",
        s.lost
    );
    assert!(s.progress.welcome_seen_at.is_some());
    let mut p = s.progress;
    let o: Onboarding = serde_json::from_value(
        serde_json::from_str::<Value>(&onboarded(false)).unwrap()["onboarding"].clone(),
    )
    .unwrap();
    p.apply(&Change::Onboarded(o));
    assert!(!p.onboarding_unknown && !p.limits_contact());
    // And a bad field on its own costs only itself.
    let bad = onboarded(true).replace(r#""ended_by":"them""#, r#""ended_by":7"#);
    let s = salvage(bad.as_bytes());
    assert!(s.progress.onboarding_unknown && s.progress.limits_contact());
    assert_eq!(s.progress.steps.len(), 2);
}

#[test]
fn quotes_commas_and_brackets_inside_an_answer_do_not_mislead_the_salvage() {
    // What they typed for the date holds every character that means something to
    // JSON outside a string; the damage comes after it, inside step b.
    let text = onboarded(true).replace(
        r#""breakup_said":"a month ago""#,
        r#""breakup_said":"\"about a month, {or} [so] \\ ago""#,
    );
    let i = text.find(r#""b":"#).unwrap();
    let mut bytes = text.as_bytes().to_vec();
    bytes.insert(i + 5, b'#');
    let s = salvage(&bytes);
    let onboarding = s
        .progress
        .onboarding
        .clone()
        .expect("the onboarding answers are kept");
    assert_eq!(
        onboarding.breakup_said,
        r#""about a month, {or} [so] \ ago"#
    );
    assert!(onboarding.no_contact);
    assert!(s.progress.completed_at("a").is_some());
}

#[test]
fn damage_on_a_late_line_of_the_pretty_file_keeps_every_member_before_it() {
    // progress.json is written pretty, one member a line (keys in order): damage in
    // its last member, the time the welcome was seen.
    let value: Value = serde_json::from_str(&onboarded(true)).unwrap();
    let text = serde_json::to_string_pretty(&value)
        .unwrap()
        .replace(r#""welcome_seen_at": "#, r#""welcome_seen_at": #"#);
    assert!(text.lines().count() > 10);
    assert!(
        text.trim_end().ends_with("\"\n}"),
        "the damaged member is last"
    );
    let s = salvage(text.as_bytes());
    assert!(s.progress.onboarding.as_ref().is_some_and(|o| o.no_contact));
    assert_eq!(s.progress.step("b").unwrap().answered, ["p1"]);
    assert!(s.progress.completed_at("a").is_some());
    assert_eq!(s.progress.extra.get("future"), Some(&Value::from(1)));
    assert!(s.progress.welcome_seen_at.is_none());
}

#[test]
fn what_was_lost_names_the_onboarding_answers_once() {
    // Unreadable where they stand: named as lost, once.
    let bad = onboarded(true).replace(r#""ended_by":"them""#, r#""ended_by":7"#);
    let lost = salvage(bad.as_bytes()).lost;
    assert_eq!(lost, [Lost::Onboarding]);
    // Not there at all: they may never have been given, and the words say so.
    let none = onboarded(true).replace("\"onboarding\"", "\"elsewhere\"");
    let lost = salvage(none.as_bytes()).lost;
    assert_eq!(lost, [Lost::OnboardingIfGiven]);
    // Given and read: nothing about them is lost.
    assert!(salvage(onboarded(true).as_bytes()).lost.is_empty());
}

#[test]
fn changes_are_idempotent() {
    let mut p = Progress::default();
    let changes = [
        Change::IntroSeen {
            step_id: "a".into(),
            at: at(),
        },
        Change::Answered {
            step_id: "a".into(),
            prompt_id: "p1".into(),
        },
        Change::Completed {
            step_id: "a".into(),
            at: at(),
        },
    ];
    for c in &changes {
        p.apply(c);
    }
    let once = p.clone();
    for c in &changes {
        p.apply(c);
    }
    assert_eq!(p, once);
    assert_eq!(p.step("a").unwrap().answered, vec!["p1".to_string()]);
    assert_eq!(p.completed_at("a"), Some(at()));
}

#[test]
fn an_outcome_can_be_set_changed_and_cleared_without_touching_steps() {
    let mut p = Progress::default();
    p.apply(&Change::Completed {
        step_id: "a".into(),
        at: at(),
    });
    let outcome = |kind| {
        Change::Outcome(Some(Outcome {
            kind,
            at: at(),
            extra: Map::new(),
        }))
    };
    p.apply(&outcome(OutcomeKind::MovedOn));
    assert!(p.moved_on());
    let saved = serde_json::to_value(&p).unwrap();
    assert_eq!(saved["outcome"]["kind"], "moved-on");
    p.apply(&outcome(OutcomeKind::StillHoping));
    assert!(!p.moved_on());
    assert_eq!(p.outcome_kind(), Some(OutcomeKind::StillHoping));
    p.apply(&Change::Outcome(None));
    assert_eq!(p.outcome_kind(), None);
    assert!(serde_json::to_value(&p).unwrap().get("outcome").is_none());
    assert_eq!(p.completed_at("a"), Some(at()));
}

#[test]
fn outcome_ids_match_the_content() {
    let ids = OutcomeKind::ALL.map(OutcomeKind::id);
    assert_eq!(ids, crate::workbook::OUTCOME_IDS);
    for kind in OutcomeKind::ALL {
        let json = serde_json::to_value(kind).unwrap();
        assert_eq!(json, kind.id());
    }
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let text = r#"{"format_version":1,"steps":{"a":{"answered":["x"],"colour":"blue"}},"future":{"k":[1,2]}}"#;
    let p: Progress = serde_json::from_str(text).unwrap();
    let back = serde_json::to_value(&p).unwrap();
    assert_eq!(back["future"]["k"][1], 2);
    assert_eq!(back["steps"]["a"]["colour"], "blue");
}

#[test]
fn damage_at_the_start_of_a_line_keeps_the_member_that_ends_the_line_before() {
    // The damage is at line 3, column 1: the cut before the comma that ends line 2 keeps
    // `welcome_seen_at`. (Measuring the line's start one byte short, `i - 1`, would cut
    // before that comma is seen and lose it.)
    let bytes = b"{\n  \"welcome_seen_at\": \"2026-11-01T10:00:00+01:00\",\nX\"steps\": {}\n}\n";
    assert_eq!(
        byte_offset(bytes, 3, 1),
        bytes.iter().position(|b| *b == b'X').unwrap()
    );
    let salvaged = salvage(bytes);
    assert_eq!(salvaged.progress.welcome_seen_at, Some(at()));
}
