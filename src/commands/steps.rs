//! `exback steps`: the seven steps with their status.

use std::io::{self, Write};

use serde_json::json;

use crate::cli::StepsArgs;
use crate::journal::Progress;
use crate::session::{self, StepStatus};
use crate::ui::{Tone, style};
use crate::workbook::{Naming, Step, Workbook, fill, step_name};

use super::Context;

pub(crate) fn run(ctx: &Context, args: &StepsArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let statuses = session::statuses(&workbook, &progress);
    let mut out = io::stdout().lock();

    let moving_on = session::moving_on_active(&workbook, &progress);
    let moving_on_statuses = session::moving_on_statuses(&workbook, &progress);
    if args.json {
        return write_json(&mut out, &workbook, &progress);
    }
    let words = &workbook.screens.steps;
    let seven = session::progress_line(&workbook, &progress);
    if moving_on {
        let line = session::moving_on_line(&workbook, &progress);
        writeln!(
            out,
            "{}",
            note(&fill(
                &words.moving_on_heading,
                &[("progress", &line), ("title", &workbook.moving_on.title)],
            ))
        )?;
        write_list(&mut out, &workbook, &moving_on_statuses)?;
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            note(&fill(&words.seven_heading, &[("progress", &seven)]))
        )?;
    } else {
        writeln!(out, "{}", note(&seven))?;
    }
    write_list(&mut out, &workbook, &statuses)?;
    if let Some((step, at)) = session::paused(&workbook, &progress) {
        writeln!(
            out,
            "{}",
            note(&fill(
                &words.paused,
                &[
                    ("date", &at.format("%Y-%m-%d").to_string()),
                    (
                        "step",
                        &capitalised(&step_name(&workbook, step, Naming::Sentence)),
                    ),
                ],
            ))
        )?;
    }
    if progress.moved_on() && !progress.limits_contact() {
        writeln!(out, "{}", note(&words.moved_on))?;
    } else if progress.limits_contact() {
        writeln!(out, "{}", note(&words.limited))?;
    } else if progress.onboarding.is_none() {
        writeln!(out, "{}", note(&words.start))?;
    }
    Ok(())
}

/// `steps --json`: docs/json.md describes it.
fn write_json(
    out: &mut impl Write,
    workbook: &Workbook,
    progress: &Progress,
) -> anyhow::Result<()> {
    let list = |statuses: &[(&Step, StepStatus)]| -> Vec<serde_json::Value> {
        statuses
            .iter()
            .map(|(step, status)| {
                let completed_at = match status {
                    StepStatus::Done(at) => Some(at.to_rfc3339()),
                    _ => None,
                };
                let paused_at = progress
                    .step(&step.id)
                    .and_then(|p| p.paused_at)
                    .map(|at| at.to_rfc3339());
                json!({
                    "number": step.number,
                    "id": step.id,
                    "title": step.title,
                    // JSON spells it with an underscore, as docs/json.md says.
                    "status": status.id(),
                    "completed_at": completed_at,
                    "paused_at": paused_at,
                })
            })
            .collect()
    };
    let doc = json!({
        "limited_path": progress.limits_contact(),
        "path": session::path(progress).as_str(),
        "moving_on_active": session::moving_on_active(workbook, progress),
        "steps": list(&session::statuses(workbook, progress)),
        "moving_on": list(&session::moving_on_statuses(workbook, progress)),
    });
    super::write_json(out, &doc)
}

fn write_list(
    out: &mut impl Write,
    workbook: &Workbook,
    statuses: &[(&Step, StepStatus)],
) -> io::Result<()> {
    for (step, status) in statuses {
        let (mark, tone) = match status {
            StepStatus::Done(_) => ("✓", Tone::Good),
            StepStatus::Current => ("→", Tone::Heading),
            StepStatus::Ahead => (" ", Tone::Body),
            StepStatus::NotOffered => ("·", Tone::Dim),
        };
        let line = format!(
            "{mark} {}. {:<40} {}",
            step.number,
            step.title,
            status.label(workbook)
        );
        writeln!(out, "{}", style::paint(tone, &line))?;
    }
    Ok(())
}

/// The text with its first letter in capitals, to start a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A dim line or note, wrapped to the terminal (or 80 columns when piped).
fn note(text: &str) -> String {
    style::wrap(text, style::stdout_width(100))
        .lines()
        .map(|l| style::paint(Tone::Dim, l))
        .collect::<Vec<_>>()
        .join("\n")
}
