//! The checks of a step file and of the moving-on steps: prompts, their reactions and
//! switches, and the readiness checks.

use std::collections::HashSet;

use super::{
    Checker, MovingOnFile, check_decline_path, check_scale_direction, placeholders, valid_id,
    welcome::check_choices,
};
use crate::workbook::{
    MovingOn, PathKind, Prompt, PromptKind, QUIET_TIME_PLACEHOLDERS, Reaction, Step, StepSet, Then,
};

pub(super) fn check_step(step: &Step, c: &mut Checker<'_>) {
    c.version(step.format_version);
    check_step_body(step, c);
    check_readiness(step, c);
}

/// Everything about a step but its version and readiness check.
fn check_step_body(step: &Step, c: &mut Checker<'_>) {
    if !valid_id(&step.id) {
        c.problem(
            "id",
            format!(
                "step id {:?} must be lowercase letters, digits and '-'",
                step.id
            ),
        );
    }
    c.non_empty(&step.title, "title", "title");
    c.non_empty(&step.summary, "summary", "summary");
    c.non_empty(&step.why, "why", "why");
    if step.guidance.is_empty() || step.guidance.iter().any(|g| g.trim().is_empty()) {
        c.problem("guidance", "guidance needs at least one non-empty point");
    }
    if let Some(safety) = &step.safety {
        c.non_empty(&safety.why, "[safety] why", "[safety]");
        if safety.guidance.is_empty() || safety.guidance.iter().any(|g| g.trim().is_empty()) {
            c.problem(
                "[safety]",
                "[safety] guidance needs at least one non-empty point",
            );
        }
    }
    if let Some(quiet) = &step.quiet_time {
        c.non_empty(quiet, "quiet_time", "quiet_time");
        for used in placeholders(quiet) {
            if !QUIET_TIME_PLACEHOLDERS.contains(&used) {
                c.problem(
                    "quiet_time",
                    format!(
                        "quiet_time uses {{{used}}}, which exback does not fill in; it knows {{days_left}}, {{date}}, {{quiet_days}}"
                    ),
                );
            }
        }
    }
    for path in PATHS {
        let n = step.prompts_on(path).len();
        if !(4..=8).contains(&n) {
            c.problem(
                "[[prompts]]",
                format!(
                    "a step has 4 to 8 prompts on each path; this one has {n} on the {} path",
                    path.as_str()
                ),
            );
        }
    }
    check_prompts(&step.prompts, c);
    check_decline_path(&step.prompts, c);
}

pub(super) fn check_prompts(prompts: &[Prompt], c: &mut Checker<'_>) {
    let mut ids = HashSet::new();
    for p in prompts {
        let near = format!("\"{}\"", p.id);
        if !valid_id(&p.id) {
            c.problem(
                &near,
                format!(
                    "prompt id {:?} must be lowercase letters, digits and '-'",
                    p.id
                ),
            );
        }
        if !ids.insert(p.id.as_str()) {
            c.problem(&near, format!("prompt id {:?} is used twice", p.id));
        }
        c.non_empty(&p.text, &format!("text of prompt {:?}", p.id), &near);
        if p.help.as_deref().is_some_and(|h| h.trim().is_empty()) {
            c.problem(&near, format!("help of prompt {:?} is empty", p.id));
        }
        match p.kind {
            PromptKind::Choice | PromptKind::Checklist => {
                check_choices(&p.options, &near, &format!("prompt {:?}", p.id), None, c);
            }
            PromptKind::Scale => {
                if p.low.as_deref().is_none_or(|s| s.trim().is_empty())
                    || p.high.as_deref().is_none_or(|s| s.trim().is_empty())
                {
                    c.problem(
                        &near,
                        format!("scale prompt {:?} needs `low` and `high`", p.id),
                    );
                }
            }
            PromptKind::Template => {
                if p.templates.is_empty()
                    || p.templates
                        .iter()
                        .any(|t| t.label.trim().is_empty() || t.text.trim().is_empty())
                {
                    c.problem(
                        &near,
                        format!(
                            "template prompt {:?} needs templates with a label and text",
                            p.id
                        ),
                    );
                }
                let mut ids = HashSet::new();
                for t in &p.templates {
                    if !valid_id(&t.id) || !ids.insert(t.id.as_str()) {
                        c.problem(
                            &near,
                            format!(
                                "template prompt {:?}: template id {:?} must be lowercase letters, digits and '-', each once",
                                p.id, t.id
                            ),
                        );
                    }
                }
            }
            PromptKind::ShortText | PromptKind::LongText | PromptKind::YesNo => {}
        }
        check_scale_direction(p, c);
        for reaction in &p.reactions {
            check_reaction(reaction, Some(p), &format!("id = \"{}\"", p.id), c);
        }
    }
}

/// A reaction must match something the prompt can answer, and do something.
fn check_reaction(r: &Reaction, prompt: Option<&Prompt>, anchor: &str, c: &mut Checker<'_>) {
    let whose = prompt.map_or_else(
        || "a readiness check".to_string(),
        |p| format!("prompt {:?}", p.id),
    );
    let matchers = usize::from(!r.options.is_empty())
        + usize::from(r.range.is_some())
        + usize::from(r.answer.is_some());
    if matchers != 1 {
        c.problem_after(
            anchor,
            "[[",
            format!("a reaction of {whose} needs exactly one of `options`, `range` or `answer`"),
        );
    }
    check_matches(r, prompt, &whose, anchor, c);
    if r.text.is_none() && !r.support && r.switch.is_none() && r.then.is_none() {
        c.problem_after(
            anchor,
            "reactions",
            format!("a reaction of {whose} does nothing: give it a `text`, `support`, `switch` or `then`"),
        );
    }
    if r.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
        c.problem_after(
            anchor,
            "text",
            format!("a reaction of {whose} has an empty text"),
        );
    }
    check_switch(r, &whose, anchor, c);
}

/// What a reaction matches suits its prompt's kind: options of a choice or checklist,
/// a range of a scale, an answer of a yes/no question.
fn check_matches(
    r: &Reaction,
    prompt: Option<&Prompt>,
    whose: &str,
    anchor: &str,
    c: &mut Checker<'_>,
) {
    let kind = prompt.map_or(PromptKind::YesNo, |p| p.kind);
    match kind {
        PromptKind::Choice | PromptKind::Checklist => {
            if r.range.is_some() || r.answer.is_some() {
                c.problem_after(
                    anchor,
                    "reactions",
                    format!("{whose} is a {}: its reactions match `options`", kind.as_str()),
                );
            }
            let known: Vec<&str> = prompt
                .map(|p| p.options.iter().map(|o| o.id.as_str()).collect())
                .unwrap_or_default();
            for id in &r.options {
                if !known.contains(&id.as_str()) {
                    c.problem_after(
                        anchor,
                        &format!("\"{id}\""),
                        format!(
                            "a reaction of {whose} names option {id:?}, which it does not have; its options are {}",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        PromptKind::Scale => match r.range {
            Some([low, high]) if (1..=10).contains(&low) && (low..=10).contains(&high) => {}
            Some([low, high]) => c.problem_after(
                anchor,
                "range",
                format!(
                    "a reaction of {whose} has range [{low}, {high}]; a range goes from 1 to 10, lowest first"
                ),
            ),
            None => c.problem_after(
                anchor,
                "reactions",
                format!("{whose} is a scale: its reactions match a `range`"),
            ),
        },
        PromptKind::YesNo => {
            if r.answer.is_none() {
                c.problem_after(
                    anchor,
                    "reactions",
                    format!("{whose} is a yes/no question: its reactions match an `answer`"),
                );
            }
        }
        PromptKind::ShortText | PromptKind::LongText | PromptKind::Template => c.problem_after(
            anchor,
            "reactions",
            format!("{whose} is a {}: only choices, checklists, scales and yes/no questions react", kind.as_str()),
        ),
    }
}

/// A switch goes to a path a reaction can lead to; a closed door offers the moving-on
/// steps.
fn check_switch(r: &Reaction, whose: &str, anchor: &str, c: &mut Checker<'_>) {
    if r.then == Some(Then::Close) && (r.switch != Some(PathKind::MovingOn) || !r.ask) {
        c.problem_after(
            anchor,
            "then",
            format!(
                "a reaction of {whose} closes the door (`then = \"close\"`) without offering the moving-on steps; give it `switch = \"moving-on\"`"
            ),
        );
    }
    if let Some(path) = r.switch
        && !matches!(path, PathKind::NoContact | PathKind::MovingOn)
    {
        c.problem_after(
            anchor,
            "switch",
            format!(
                "a reaction of {whose} switches to {:?}; it can switch to \"no-contact\" or \"moving-on\"",
                path.as_str()
            ),
        );
    }
}

fn check_readiness(step: &Step, c: &mut Checker<'_>) {
    let r = &step.readiness;
    c.non_empty(&r.intro, "readiness intro", "[readiness]");
    c.non_empty(&r.not_ready, "readiness not_ready", "not_ready");
    if r.checks.is_empty() {
        c.problem(
            "[readiness]",
            "readiness has 1 to 4 checks; this one has none",
        );
    }
    let mut check_ids = HashSet::new();
    for check in &r.checks {
        let near = format!("\"{}\"", check.id);
        if !valid_id(&check.id) || !check_ids.insert(check.id.as_str()) {
            c.problem(
                &near,
                format!("readiness check id {:?} is invalid or used twice", check.id),
            );
        }
        c.non_empty(
            &check.text,
            &format!("text of readiness check {:?}", check.id),
            &near,
        );
        for reaction in &check.reactions {
            check_reaction(reaction, None, &format!("id = \"{}\"", check.id), c);
        }
    }
    for path in PATHS {
        let n = step.checks_on(path).len();
        if n > 4 || (n == 0 && !r.checks.is_empty()) {
            c.problem(
                "[readiness]",
                format!(
                    "on the {} path, readiness has {n} checks; it has 1 to 4",
                    path.as_str()
                ),
            );
        }
    }
}

/// The paths a prompt or check may be written for.
const PATHS: [PathKind; 4] = [
    PathKind::Full,
    PathKind::NoContact,
    PathKind::Safety,
    PathKind::MovingOn,
];

/// Turns `moving-on.toml` into steps numbered in order, checking each like a step file.
pub(super) fn moving_on_path(file: MovingOnFile, c: &mut Checker<'_>) -> MovingOn {
    c.version(file.format_version);
    c.non_empty(&file.title, "title", "title");
    c.non_empty(&file.intro, "intro", "intro");
    c.non_empty(&file.closing, "closing", "closing");
    if !(1..=6).contains(&file.steps.len()) {
        c.problem(
            "[[steps]]",
            format!(
                "the moving-on path has 1 to 6 steps; this one has {}",
                file.steps.len()
            ),
        );
    }
    let mut steps = Vec::new();
    for (i, s) in file.steps.into_iter().enumerate() {
        let has_readiness = s.readiness.is_some();
        let step = Step {
            format_version: file.format_version,
            number: u8::try_from(i + 1).unwrap_or(u8::MAX),
            set: StepSet::MovingOn,
            id: s.id,
            title: s.title,
            summary: s.summary,
            why: s.why,
            guidance: s.guidance,
            quiet_time: None,
            safety: s.safety,
            prompts: s.prompts,
            readiness: s.readiness.unwrap_or_default(),
        };
        check_step_body(&step, c);
        if has_readiness {
            check_readiness(&step, c);
        }
        steps.push(step);
    }
    MovingOn {
        title: file.title,
        intro: file.intro,
        closing: file.closing,
        steps,
    }
}
