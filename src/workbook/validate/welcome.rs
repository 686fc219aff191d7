//! The checks of `00-welcome.toml`: the welcome, onboarding, closed door, sentences,
//! choices and support.

use std::collections::HashSet;

use super::{Checker, pacing::check_range, placeholders, unknown_placeholder, valid_id};
use crate::workbook::{Choice, DOOR_IDS, Support, Welcome};

pub(super) fn check_welcome(w: &Welcome, c: &mut Checker<'_>) {
    c.version(w.format_version);
    let o = &w.onboarding;
    for (value, what) in [
        (&w.welcome, "welcome"),
        (&w.closing, "closing"),
        (&w.no_promise, "no_promise"),
        (&o.intro, "intro"),
        (&o.breakup_date, "breakup_date"),
        (&o.breakup_date_help, "breakup_date_help"),
        (&o.ended_by, "ended_by"),
        (&o.no_contact, "no_contact"),
        (&o.felt_unsafe, "unsafe"),
        (&o.logistics, "logistics"),
        (&o.logistics_help, "logistics_help"),
        (&o.saved, "saved"),
        (&w.no_contact_path.title, "title"),
        (&w.no_contact_path.text, "text"),
        (&w.safety_path.title, "title"),
        (&w.safety_path.text, "text"),
        (&w.support.title, "title"),
        (&w.support.text, "text"),
        (&w.switch.no_contact.offer, "offer"),
        (&w.switch.no_contact.done, "done"),
        (&w.switch.no_contact.declined, "declined"),
        (&w.switch.moving_on.offer, "offer"),
        (&w.switch.moving_on.done, "done"),
        (&w.switch.moving_on.declined, "declined"),
        (&w.switch.paused, "paused"),
        (&w.switch.begin, "begin"),
        (&w.switch.stop_offer, "stop_offer"),
        (&w.switch.stopped, "stopped"),
        (&w.limited_path.done, "done"),
        (&w.limited_path.not_yet, "not_yet"),
        (&w.mood.question, "question"),
        (&w.mood.low, "low"),
        (&w.mood.high, "high"),
        (&w.mood.skip, "skip"),
        (&w.mood.note, "note"),
        (&w.mood.note_help, "note_help"),
        (&w.mood.saved, "saved"),
    ] {
        c.non_empty(value, what, what);
    }
    check_support(&w.support, c);
    check_range(w.mood.support_range, "[mood]", "support_range", c);
    check_sentences(&w.words.all(), c);
    check_closed_door(w, c);
    check_choices(
        &o.ended_by_options,
        "ended_by_options",
        "ended_by_options",
        Some(&ENDED_BY_IDS),
        c,
    );
}

/// Sentences `(text, name, placeholders allowed)`: none empty, none using a
/// placeholder exback does not fill in there.
fn check_sentences(
    sentences: &[(&str, &'static str, &'static [&'static str])],
    c: &mut Checker<'_>,
) {
    for &(value, name, allowed) in sentences {
        c.non_empty(value, name, name);
        for used in placeholders(value) {
            if !allowed.contains(&used) {
                c.problem(name, unknown_placeholder(name, used, allowed));
            }
        }
    }
}

/// The closed door's words, its three choices (each id once) and its pauses.
fn check_closed_door(w: &Welcome, c: &mut Checker<'_>) {
    let d = &w.closed_door;
    check_sentences(&d.all(), c);
    c.non_empty(
        &d.why_continue_help,
        "why_continue_help",
        "why_continue_help",
    );
    check_choices(
        &d.options,
        "options",
        "[closed_door] options",
        Some(&DOOR_IDS),
        c,
    );
    for id in DOOR_IDS {
        if !d.options.iter().any(|o| o.id == id) {
            c.problem(
                "[closed_door]",
                format!("[closed_door] options need the option {id:?}: exback offers all three"),
            );
        }
    }
    if d.look_again_options.is_empty()
        || d.look_again_options
            .iter()
            .any(|l| l.label.trim().is_empty() || !(1..=365).contains(&l.days))
    {
        c.problem(
            "look_again_options",
            "[closed_door] look_again_options needs at least one option, each with a label and 1 to 365 days",
        );
    }
}

/// The option ids onboarding's "who ended it" is matched by.
pub(super) const ENDED_BY_IDS: [&str; 4] = ["me", "them", "both", "complicated"];

/// At least two options, each with a valid, unique id and a label; with `known`, every
/// id one of those (exback matches the answer by id).
pub(super) fn check_choices(
    options: &[Choice],
    near: &str,
    what: &str,
    known: Option<&[&str]>,
    c: &mut Checker<'_>,
) {
    if options.len() < 2 || options.iter().any(|o| o.label.trim().is_empty()) {
        c.problem(
            near,
            format!("{what} needs at least two options with a label"),
        );
    }
    let mut ids = HashSet::new();
    for o in options {
        if !valid_id(&o.id) {
            c.problem(
                near,
                format!(
                    "{what}: option id {:?} must be lowercase letters, digits and '-'",
                    o.id
                ),
            );
        } else if !ids.insert(o.id.as_str()) {
            c.problem(near, format!("{what}: option id {:?} is used twice", o.id));
        } else if let Some(known) = known
            && !known.contains(&o.id.as_str())
        {
            c.problem(
                near,
                format!(
                    "{what}: unknown option id {:?}; the ids are {}",
                    o.id,
                    known.join(", ")
                ),
            );
        }
    }
}

/// Crisis resources are facts someone checked: each names its country, and the
/// date of the check is kept.
fn check_support(support: &Support, c: &mut Checker<'_>) {
    let reviewed_ok = support.reviewed.as_deref().is_some_and(|r| {
        r.len() == 7
            && r.as_bytes()[4] == b'-'
            && r[..4].bytes().all(|b| b.is_ascii_digit())
            && matches!(r[5..].parse::<u8>(), Ok(1..=12))
    });
    if (support.reviewed.is_some() || !support.resources.is_empty()) && !reviewed_ok {
        c.problem(
            "reviewed",
            "support needs `reviewed = \"YYYY-MM\"`, the month its resources were last checked",
        );
    }
    for res in &support.resources {
        for (value, what) in [
            (&res.country, "country"),
            (&res.name, "name"),
            (&res.contact, "contact"),
        ] {
            c.non_empty(
                value,
                &format!("the {what} of a support resource"),
                "[[support.resources]]",
            );
        }
    }
    if support.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        c.problem("note", "the support note is empty");
    }
}
