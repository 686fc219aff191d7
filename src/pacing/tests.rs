//! The pacing rules with a fixed clock: each nudge fires exactly at its threshold
//! and never a day or a message before.

use chrono::{Days, TimeZone};

use super::*;
use crate::journal::{Change, EndedBy, Onboarding, Outcome};
use crate::workbook::Workbook;

/// The rules as the built-in content sets them; the tests check that they still are.
fn rules() -> PaceRules {
    PaceRules {
        quiet_days: 21,
        max_unanswered: 1,
        min_days_between: 3,
        max_per_week: 2,
        early_days: 14,
        silence_unanswered: 3,
        silence_days: 21,
    }
}

#[test]
fn the_tests_use_the_built_in_rules() {
    assert_eq!(Workbook::embedded().unwrap().pacing.rules, rules());
}

/// The breakup date: day 0.
fn breakup() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

/// Noon (local, +01:00) on day `d` after the breakup, plus `minutes`.
fn at(d: u64, minutes: u32) -> DateTime<FixedOffset> {
    let date = breakup().checked_add_days(Days::new(d)).unwrap();
    let offset = FixedOffset::east_opt(3600).unwrap();
    offset
        .from_local_datetime(&date.and_hms_opt(12, minutes, 0).unwrap())
        .unwrap()
}

/// Late evening of day `d`: "now", after every contact logged that day.
fn evening(d: u64) -> DateTime<FixedOffset> {
    at(d, 0) + chrono::Duration::hours(10)
}

fn contact(d: u64, from: Who, channel: Channel, replied: Option<bool>) -> Contact {
    let mut c = Contact::new(at(d, 0), channel, from);
    c.replied = replied;
    c
}

/// A message from me that had a reply: in pace by itself.
fn answered(d: u64) -> Contact {
    contact(d, Who::Me, Channel::Text, Some(true))
}

fn unanswered(d: u64) -> Contact {
    contact(d, Who::Me, Channel::Text, Some(false))
}

fn nudge(contacts: &[Contact], now: DateTime<FixedOffset>) -> Option<Nudge> {
    assess(&rules(), Mode::Coaching, Some(breakup()), contacts, now).nudge
}

#[test]
fn no_contacts_no_nudge_and_the_days_since_the_breakup() {
    let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &[], evening(5));
    assert_eq!(pace.nudge, None);
    assert_eq!(pace.facts.days_since_breakup, Some(5));
    assert_eq!(pace.facts.days_since_last_contact, None);
    assert_eq!(pace.facts.quiet_days_left, Some(16));
    let later = assess(&rules(), Mode::Coaching, Some(breakup()), &[], evening(21));
    assert_eq!(later.facts.quiet_days_left, None, "the quiet time is over");
    assert_eq!(later.nudge, None, "an empty log is never nudged");
}

#[test]
fn the_quiet_period_nudge_fires_for_a_contact_on_any_day_before_it_ends_and_never_after() {
    for d in 0..40 {
        let got = nudge(&[answered(d)], evening(d));
        let expected = (d < 21).then_some(Nudge::Quiet);
        assert_eq!(got, expected, "a contact from me on day {d}");
    }
    // It speaks only while the quiet time runs.
    assert_eq!(nudge(&[answered(20)], evening(20)), Some(Nudge::Quiet));
    assert_eq!(nudge(&[answered(20)], evening(21)), None);
    // When they reach out, that's their choice.
    let theirs = contact(3, Who::Them, Channel::Text, Some(true));
    assert_eq!(nudge(&[theirs], evening(3)), None);
}

#[test]
fn the_first_unanswered_message_gets_a_quiet_word_the_second_the_pause_and_a_long_silence_its_own()
{
    // Well after the quiet time, spaced a week apart so no other rule applies.
    for n in 0..6u64 {
        let log: Vec<Contact> = (0..n).map(|i| unanswered(30 + 7 * i)).collect();
        let now = evening(30 + 7 * n.saturating_sub(1));
        let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &log, now);
        assert_eq!(pace.facts.unanswered_in_a_row, u32::try_from(n).unwrap());
        // The first of them is 7 × (n − 1) days old at `now`.
        let expected = match n {
            0 => None,
            1 => Some(Nudge::Waiting),
            n if n >= 3 && 7 * (n - 1) >= 21 => Some(Nudge::Silence),
            _ => Some(Nudge::Unanswered),
        };
        assert_eq!(pace.nudge, expected, "{n} unanswered in a row");
    }
}

#[test]
fn a_reply_or_a_contact_from_them_ends_the_unanswered_run() {
    let them = contact(37, Who::Them, Channel::Text, None);
    let log = [unanswered(30), them, unanswered(44)];
    let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &log, evening(44));
    assert_eq!(pace.facts.unanswered_in_a_row, 1);
    assert_eq!(pace.nudge, Some(Nudge::Waiting));

    let log = [unanswered(30), answered(37), unanswered(44)];
    assert_eq!(nudge(&log, evening(44)), Some(Nudge::Waiting));

    // A message with no reply given counts as unanswered; a call with none given does not.
    let no_word = contact(44, Who::Me, Channel::Social, None);
    assert_eq!(
        nudge(&[unanswered(30), no_word], evening(44)),
        Some(Nudge::Unanswered)
    );
    let call = contact(44, Who::Me, Channel::Call, None);
    assert_eq!(nudge(&[unanswered(30), call], evening(44)), None);
}

#[test]
fn the_every_few_days_nudge_fires_for_a_gap_under_three_days_and_never_at_three() {
    for gap in 0..10u64 {
        let log = [answered(40), answered(40 + gap)];
        let got = nudge(&log, evening(40 + gap));
        let expected = (gap < 3).then_some(Nudge::EveryFewDays);
        assert_eq!(got, expected, "two contacts {gap} days apart");
    }
}

#[test]
fn the_every_few_days_nudge_speaks_for_three_days_after_the_contact_then_stops() {
    let log = [answered(40), answered(41)];
    for after in 0..6u64 {
        let expected = (after < 3).then_some(Nudge::EveryFewDays);
        assert_eq!(
            nudge(&log, evening(41 + after)),
            expected,
            "{after} days on"
        );
    }
}

#[test]
fn answering_when_they_reached_out_in_between_is_not_ahead_of_the_pace() {
    let theirs = Contact {
        at: at(41, 0),
        ..contact(41, Who::Them, Channel::Text, Some(true))
    };
    let mut reply = answered(41);
    reply.at = at(41, 30);
    assert_eq!(
        nudge(&[answered(40), theirs, reply.clone()], evening(41)),
        None
    );
    assert_eq!(
        nudge(&[answered(40), reply], evening(41)),
        Some(Nudge::EveryFewDays)
    );
}

#[test]
fn the_weekly_nudge_fires_at_the_third_contact_started_in_seven_days_and_not_the_second() {
    // All on one day: the weekly rule outranks the every-few-days rule.
    for n in 1..7u64 {
        let log: Vec<Contact> = (0..n)
            .map(|i| {
                let mut c = answered(40);
                c.at = at(40, u32::try_from(i).unwrap());
                c
            })
            .collect();
        let got = nudge(&log, evening(40));
        let expected = match n {
            1 => None,
            2 => Some(Nudge::EveryFewDays),
            _ => Some(Nudge::PerWeek),
        };
        assert_eq!(got, expected, "{n} contacts started today");
    }
    // Every three days: three in a week is one too many, until the first leaves the week.
    let log = [answered(40), answered(43), answered(46)];
    assert_eq!(nudge(&log, evening(46)), Some(Nudge::PerWeek));
    assert_eq!(
        nudge(&log[1..], evening(46)),
        None,
        "two in a week is in pace"
    );
    let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &log, evening(47));
    assert_eq!(pace.facts.started_last_7_days, 2);
    assert_eq!(pace.nudge, None, "on day 47 the first is 7 days back");
}

#[test]
fn contacts_from_them_do_not_count_towards_the_weekly_pace() {
    let log = [
        answered(40),
        contact(41, Who::Them, Channel::Call, Some(true)),
        contact(42, Who::Them, Channel::Text, Some(true)),
        answered(43),
    ];
    let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &log, evening(43));
    assert_eq!(pace.facts.contacts_last_7_days, 4);
    assert_eq!(pace.facts.started_last_7_days, 2);
    assert_eq!(pace.nudge, None);
}

#[test]
fn the_early_nudge_fires_for_a_call_or_meeting_i_start_in_the_first_two_weeks_only() {
    for d in 0..20u64 {
        let log = [
            answered(30),
            contact(30 + d, Who::Me, Channel::Call, Some(true)),
        ];
        let got = nudge(&log, evening(30 + d));
        let expected = match d {
            0..=2 => Some(Nudge::EveryFewDays),
            3..=13 => Some(Nudge::EarlyLong),
            _ => None,
        };
        assert_eq!(got, expected, "a call on day {d} after the first contact");
    }
    let meeting = contact(35, Who::Me, Channel::InPerson, Some(true));
    assert_eq!(
        nudge(&[answered(30), meeting], evening(35)),
        Some(Nudge::EarlyLong)
    );
    let text = answered(35);
    assert_eq!(nudge(&[answered(30), text], evening(35)), None);
    let their_call = contact(35, Who::Them, Channel::Call, Some(true));
    assert_eq!(nudge(&[answered(30), their_call], evening(35)), None);
    // It speaks for three days after the call.
    let log = [
        answered(30),
        contact(35, Who::Me, Channel::Call, Some(true)),
    ];
    assert_eq!(nudge(&log, evening(37)), Some(Nudge::EarlyLong));
    assert_eq!(nudge(&log, evening(38)), None);
}

#[test]
fn the_unanswered_nudge_outranks_the_others() {
    let log = [unanswered(10), unanswered(10)];
    assert_eq!(nudge(&log, evening(10)), Some(Nudge::Unanswered));
}

#[test]
fn the_limited_paths_never_pace_and_only_ask_for_respect_for_a_week_after_a_contact() {
    let log = [unanswered(30), unanswered(31), unanswered(31)];
    for (mode, respect) in [
        (Mode::NoContact, Nudge::NoContact),
        (Mode::Safety, Nudge::Safety),
        (Mode::MovedOn, Nudge::MovedOn),
    ] {
        assert!(mode.limited());
        for after in 0..10u64 {
            let pace = assess(&rules(), mode, Some(breakup()), &log, evening(31 + after));
            let expected = (after < 7).then_some(respect);
            assert_eq!(pace.nudge, expected, "{mode:?}, {after} days after");
            assert_eq!(pace.facts.quiet_days_left, None);
        }
        let none = assess(&rules(), mode, Some(breakup()), &[], evening(3));
        assert_eq!(none.nudge, None, "{mode:?} with nothing logged");
        let theirs = [contact(3, Who::Them, Channel::Text, None)];
        let pace = assess(&rules(), mode, Some(breakup()), &theirs, evening(3));
        assert_eq!(pace.nudge, Some(respect), "{mode:?} when they got in touch");
    }
    let together = assess(&rules(), Mode::Together, Some(breakup()), &log, evening(31));
    assert!(!together.mode.limited());
    assert_eq!(together.nudge, None);
    assert_eq!(together.facts.unanswered_in_a_row, 3);
}

#[test]
fn contacts_before_the_breakup_or_after_now_are_left_out() {
    let before = Contact::new(at(0, 0) - chrono::Duration::days(3), Channel::Text, Who::Me);
    let future = unanswered(50);
    let pace = assess(
        &rules(),
        Mode::Coaching,
        Some(breakup()),
        &[before, answered(30), future],
        evening(31),
    );
    assert_eq!(pace.facts.days_since_last_contact, Some(1));
    assert_eq!(pace.facts.contacts_last_7_days, 1);
    assert_eq!(pace.facts.unanswered_in_a_row, 0);
}

fn progress(no_contact: bool, felt_unsafe: bool, outcome: Option<OutcomeKind>) -> Progress {
    let mut p = Progress::default();
    p.apply(&Change::Onboarded(Onboarding {
        answered_at: at(1, 0),
        breakup_date: breakup(),
        breakup_said: "2026-09-01".into(),
        ended_by: EndedBy::Them,
        no_contact,
        felt_unsafe,
        logistics: false,
        extra: serde_json::Map::new(),
    }));
    p.apply(&Change::Outcome(outcome.map(|kind| Outcome {
        kind,
        at: at(2, 0),
        extra: serde_json::Map::new(),
    })));
    p
}

#[test]
fn the_mode_follows_onboarding_then_the_outcome_and_safety_comes_first() {
    assert_eq!(Mode::of(&Progress::default()), Mode::Coaching);
    assert_eq!(Mode::of(&progress(false, false, None)), Mode::Coaching);
    assert_eq!(Mode::of(&progress(true, false, None)), Mode::NoContact);
    assert_eq!(Mode::of(&progress(true, true, None)), Mode::Safety);
    assert_eq!(
        Mode::of(&progress(true, true, Some(OutcomeKind::MovedOn))),
        Mode::Safety
    );
    assert_eq!(
        Mode::of(&progress(false, false, Some(OutcomeKind::MovedOn))),
        Mode::MovedOn
    );
    assert_eq!(
        Mode::of(&progress(false, false, Some(OutcomeKind::BackTogether))),
        Mode::Together
    );
    assert_eq!(
        Mode::of(&progress(false, false, Some(OutcomeKind::StillHoping))),
        Mode::Coaching
    );
    assert_eq!(
        Mode::of(&progress(true, false, Some(OutcomeKind::StillHoping))),
        Mode::NoContact
    );
}

#[test]
fn every_built_in_nudge_renders_with_the_facts_filled_in() {
    let wb = Workbook::embedded().unwrap();
    let log = [unanswered(10), unanswered(11)];
    let pace = assess(&rules(), Mode::Coaching, Some(breakup()), &log, evening(11));
    for n in ALL_NUDGES {
        let text = render(
            n.template(&wb.pacing.nudges),
            &pace.facts,
            &rules(),
            &wb.screens.days,
        );
        assert!(
            !text.contains('{') && !text.contains('}'),
            "{}: {text}",
            n.id()
        );
    }
    let unanswered = render(
        wb.pacing.nudges.unanswered.text.as_str(),
        &pace.facts,
        &rules(),
        &wb.screens.days,
    );
    assert!(unanswered.contains("Your last 2 messages"), "{unanswered}");
    let quiet = render(
        &wb.pacing.nudges.quiet.text,
        &pace.facts,
        &rules(),
        &wb.screens.days,
    );
    assert!(quiet.contains("11 days since the breakup") && quiet.contains("21 days"));
    let gap = render(
        &wb.pacing.nudges.every_few_days.text,
        &pace.facts,
        &rules(),
        &wb.screens.days,
    );
    assert!(gap.contains("were 1 day apart"), "{gap}");
}

#[test]
fn day_counts_read_naturally() {
    let days = &Workbook::embedded().unwrap().screens.days;
    assert_eq!(days.say(-1), "less than a day");
    assert_eq!(days.say(0), "less than a day");
    assert_eq!(days.say(1), "1 day");
    assert_eq!(days.say(2), "2 days");
    assert_eq!(days.say(21), "21 days");
}

#[test]
fn a_long_silence_is_named_exactly_at_its_thresholds() {
    // Three unanswered messages: the first 20 days ago is not yet a long silence.
    let log = [unanswered(40), unanswered(50), unanswered(60)];
    assert_eq!(nudge(&log, evening(60)), Some(Nudge::Unanswered));
    assert_eq!(nudge(&log, evening(61)), Some(Nudge::Silence));
    // Two messages, however long ago, are not "several".
    let two = [unanswered(30), unanswered(60)];
    assert_eq!(nudge(&two, evening(90)), Some(Nudge::Unanswered));
}

#[test]
fn practical_contacts_never_count_towards_the_pace() {
    let mut practical: Vec<Contact> = (30..36).map(unanswered).collect();
    for c in &mut practical {
        c.logistics = true;
    }
    let pace = assess(
        &rules(),
        Mode::Coaching,
        Some(breakup()),
        &practical,
        evening(36),
    );
    assert_eq!(pace.nudge, None);
    assert_eq!(pace.facts.started_last_7_days, 0);
    assert_eq!(pace.facts.days_since_last_contact, None);
    let limited = assess(
        &rules(),
        Mode::NoContact,
        Some(breakup()),
        &practical,
        evening(36),
    );
    assert_eq!(
        limited.nudge, None,
        "practical contact on the no-contact path is expected"
    );
}

/// Every nudge, in the order of its declaration.
const ALL_NUDGES: [Nudge; 10] = [
    Nudge::NoContact,
    Nudge::Safety,
    Nudge::MovedOn,
    Nudge::Unanswered,
    Nudge::Quiet,
    Nudge::PerWeek,
    Nudge::EveryFewDays,
    Nudge::EarlyLong,
    Nudge::Waiting,
    Nudge::Silence,
];

#[test]
fn each_nudge_is_named_and_worded_as_its_table_in_pacing_toml() {
    let file = Workbook::embedded_files()
        .iter()
        .find(|(name, _)| *name == "pacing.toml")
        .unwrap()
        .1;
    let table: toml::Table = file.parse().unwrap();
    let nudges = table["nudges"].as_table().unwrap();
    assert_eq!(nudges.len(), ALL_NUDGES.len(), "one nudge per table");
    let wb = Workbook::embedded().unwrap();
    for nudge in ALL_NUDGES {
        let text = nudges[nudge.id()]["text"].as_str().unwrap();
        assert_eq!(nudge.template(&wb.pacing.nudges), text, "{}", nudge.id());
    }
}

#[test]
fn modes_are_named_as_status_json_says() {
    let names: Vec<String> = [
        Mode::Coaching,
        Mode::Together,
        Mode::NoContact,
        Mode::Safety,
        Mode::MovedOn,
    ]
    .iter()
    .map(|m| {
        serde_json::to_value(m)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    assert_eq!(
        names,
        ["coaching", "together", "no-contact", "safety", "moved-on"]
    );
}

#[test]
fn only_a_contact_from_them_strictly_between_mine_lifts_the_every_few_days_nudge() {
    let theirs = |d: u64, minutes: u32| Contact {
        at: at(d, minutes),
        ..contact(d, Who::Them, Channel::Text, Some(true))
    };
    // Mine are at noon on days 40 and 41. Theirs before both, or at the same moment as
    // either of mine, is not in between: the nudge stays.
    for (when, lifted) in [
        (theirs(39, 0), false),
        (theirs(40, 0), false),
        (theirs(40, 30), true),
        (theirs(41, 0), false),
    ] {
        let mut log = vec![answered(40), answered(41), when.clone()];
        log.sort_by_key(|c| c.at);
        let expected = (!lifted).then_some(Nudge::EveryFewDays);
        assert_eq!(nudge(&log, evening(41)), expected, "theirs at {}", when.at);
    }
}
