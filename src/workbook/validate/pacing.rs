//! The checks of `pacing.toml` and `outcome.toml`: the words of `exback urge`, the
//! pace rules and nudges, and the outcomes.

use std::collections::HashSet;

use super::{Checker, placeholders, steps::check_prompts, welcome::check_choices};
use crate::workbook::{
    NUDGE_PLACEHOLDERS, Nudges, OUTCOME_IDS, Outcomes, PaceRules, Pacing, UrgeText,
};

/// The option ids of the contact channel question.
const CHANNEL_IDS: [&str; 5] = ["text", "call", "social", "in-person", "other"];
/// The option ids of "who reached out".
const FROM_IDS: [&str; 2] = ["me", "them"];

/// The words of `exback urge`: all there, and none saying "send".
fn check_urge(u: &UrgeText, c: &mut Checker<'_>) {
    for (value, what) in [
        (&u.title, "title"),
        (&u.intro, "intro"),
        (&u.strength, "strength"),
        (&u.strength_low, "strength_low"),
        (&u.strength_high, "strength_high"),
        (&u.say, "say"),
        (&u.say_help, "say_help"),
        (&u.kept, "kept"),
        (&u.pace, "pace"),
        (&u.instead_intro, "instead_intro"),
        (&u.after, "after"),
        (&u.after_low, "after_low"),
        (&u.after_high, "after_high"),
        (&u.closing, "closing"),
        (&u.pause_offer, "pause_offer"),
        (&u.pause_hint, "pause_hint"),
    ] {
        c.non_empty(value, what, what);
        // `exback urge` is for the moment of wanting to reach out: it never says "send".
        if value.to_lowercase().contains("send") {
            c.problem(
                what,
                format!("urge.{what} says \"send\"; `exback urge` never does"),
            );
        }
    }
    if u.instead.is_empty() || u.instead.iter().any(|i| i.trim().is_empty()) {
        c.problem(
            "instead =",
            "urge.instead needs at least one non-empty idea",
        );
    }
    if u.instead.iter().any(|i| i.to_lowercase().contains("send")) {
        c.problem(
            "instead =",
            "urge.instead says \"send\"; `exback urge` never does",
        );
    }
    check_range(u.support_range, "[urge]", "support_range", c);
    if !(1..=10).contains(&u.pause_minutes) {
        c.problem(
            "pause_minutes",
            format!(
                "urge.pause_minutes is {}; a pause lasts 1 to 10 minutes",
                u.pause_minutes
            ),
        );
    }
}

/// A range of scores on a 1–10 scale, `key` in the `table`: both ends on the scale,
/// lowest first.
pub(super) fn check_range(range: Option<[u8; 2]>, table: &str, key: &str, c: &mut Checker<'_>) {
    if let Some([low, high]) = range
        && !((1..=10).contains(&low) && (low..=10).contains(&high))
    {
        c.problem_after(
            table,
            key,
            format!("{key} is [{low}, {high}]; a range goes from 1 to 10, lowest first"),
        );
    }
}

pub(super) fn check_pacing(pacing: &Pacing, c: &mut Checker<'_>) {
    c.version(pacing.format_version);
    check_rules(&pacing.rules, c);
    let q = &pacing.questions;
    let drafts = &pacing.drafts;
    for (value, what) in [
        (&q.intro, "intro"),
        (&q.when, "when"),
        (&q.when_help, "when_help"),
        (&q.channel, "channel"),
        (&q.from, "from"),
        (&q.replied_mine, "replied_mine"),
        (&q.replied_theirs, "replied_theirs"),
        (&q.felt, "felt"),
        (&q.felt_low, "felt_low"),
        (&q.felt_high, "felt_high"),
        (&q.note, "note"),
        (&q.note_help, "note_help"),
        (&drafts.hint, "hint"),
        (&drafts.offer, "offer"),
        (&drafts.question, "question"),
        (&pacing.notes.logistics, "logistics"),
        (&pacing.notes.logistics_limited, "logistics_limited"),
        (&pacing.notes.before_step_three, "before_step_three"),
        (&pacing.notes.practical_unanswered, "practical_unanswered"),
        (&pacing.notes.logistics_question, "logistics_question"),
    ] {
        c.non_empty(value, what, what);
    }
    check_range(q.felt_support_range, "[questions]", "felt_support_range", c);
    check_urge(&pacing.urge, c);
    check_choices(
        &q.channel_options,
        "channel_options",
        "channel_options",
        Some(&CHANNEL_IDS),
        c,
    );
    check_choices(
        &q.from_options,
        "from_options",
        "from_options",
        Some(&FROM_IDS),
        c,
    );
    check_nudges(&pacing.nudges, c);
}

/// Each pace rule lies in its range.
fn check_rules(rules: &PaceRules, c: &mut Checker<'_>) {
    for (value, name, range) in [
        (rules.quiet_days, "quiet_days", 0..=365),
        (rules.max_unanswered, "max_unanswered", 1..=10),
        (rules.min_days_between, "min_days_between", 1..=30),
        (rules.max_per_week, "max_per_week", 1..=14),
        (rules.early_days, "early_days", 1..=120),
        (rules.silence_unanswered, "silence_unanswered", 2..=20),
        (rules.silence_days, "silence_days", 1..=365),
    ] {
        if !range.contains(&value) {
            c.problem(
                name,
                format!(
                    "{name} is {value}; it must be from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
        }
    }
}

/// Every nudge has a text, using only the placeholders exback fills in.
fn check_nudges(nudges: &Nudges, c: &mut Checker<'_>) {
    for (nudge, name) in [
        (&nudges.no_contact, "no_contact"),
        (&nudges.safety, "safety"),
        (&nudges.moved_on, "moved_on"),
        (&nudges.unanswered, "unanswered"),
        (&nudges.quiet, "quiet"),
        (&nudges.per_week, "per_week"),
        (&nudges.every_few_days, "every_few_days"),
        (&nudges.early_long, "early_long"),
        (&nudges.waiting, "waiting"),
        (&nudges.silence, "silence"),
    ] {
        let near = format!("[nudges.{name}]");
        c.non_empty(&nudge.text, &format!("the text of nudge {name}"), &near);
        for used in placeholders(&nudge.text) {
            if !NUDGE_PLACEHOLDERS.contains(&used) {
                c.problem(
                    &near,
                    format!(
                        "nudge {name} uses {{{used}}}, which exback does not know; the placeholders are {}",
                        NUDGE_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                    ),
                );
            }
        }
    }
}

pub(super) fn check_outcomes(o: &Outcomes, c: &mut Checker<'_>) {
    c.version(o.format_version);
    c.non_empty(&o.question, "question", "question");
    c.non_empty(&o.help, "help", "help");
    c.non_empty(&o.reflection, "reflection", "reflection");
    c.non_empty(&o.to_moving_on, "to_moving_on", "to_moving_on");
    c.non_empty(
        &o.back_from_moving_on,
        "back_from_moving_on",
        "back_from_moving_on",
    );
    c.non_empty(&o.contact_closed, "contact_closed", "contact_closed");
    for id in OUTCOME_IDS {
        let count = o.outcomes.iter().filter(|x| x.id == id).count();
        if count != 1 {
            c.problem(
                "[[outcomes]]",
                format!("outcome {id:?} must be there exactly once; found {count}"),
            );
        }
    }
    let mut prompt_ids = HashSet::new();
    for outcome in &o.outcomes {
        let near = format!("\"{}\"", outcome.id);
        if !OUTCOME_IDS.contains(&outcome.id.as_str()) {
            c.problem(
                &near,
                format!(
                    "unknown outcome {:?}; the outcomes are {}",
                    outcome.id,
                    OUTCOME_IDS.join(", ")
                ),
            );
        }
        c.non_empty(
            &outcome.label,
            &format!("label of outcome {:?}", outcome.id),
            &near,
        );
        c.non_empty(
            &outcome.closing,
            &format!("closing of outcome {:?}", outcome.id),
            &near,
        );
        if !(1..=3).contains(&outcome.prompts.len()) {
            c.problem(
                &near,
                format!(
                    "outcome {:?} has 1 to 3 reflection prompts; it has {}",
                    outcome.id,
                    outcome.prompts.len()
                ),
            );
        }
        check_prompts(&outcome.prompts, c);
        for p in &outcome.prompts {
            if !prompt_ids.insert(p.id.as_str()) {
                c.problem(
                    &format!("\"{}\"", p.id),
                    format!("prompt id {:?} is used by more than one outcome", p.id),
                );
            }
        }
    }
}
