//! `exback steps`: the seven steps with their status.

use std::io::{self, Write};

use serde_json::json;

use crate::cli::StepsArgs;
use crate::session::{self, StepStatus};
use crate::ui::{Tone, style};
use crate::workbook::Step;

use super::Context;

pub fn run(ctx: &Context, args: &StepsArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let statuses = session::statuses(&workbook, &progress);
    let mut out = io::stdout().lock();

    let moving_on = session::moving_on_active(&workbook, &progress);
    if args.json {
        let list = |statuses: &[(&Step, StepStatus)]| -> Vec<serde_json::Value> {
            statuses
                .iter()
                .map(|(step, status)| {
                    let (name, completed_at) = match status {
                        StepStatus::Done(at) => ("done", Some(at.to_rfc3339())),
                        StepStatus::Current => ("current", None),
                        StepStatus::Ahead => ("ahead", None),
                        StepStatus::NotOffered => ("not_offered", None),
                    };
                    json!({
                        "number": step.number,
                        "id": step.id,
                        "title": step.title,
                        "status": name,
                        "completed_at": completed_at,
                    })
                })
                .collect()
        };
        let doc = json!({
            "limited_path": progress.limits_contact(),
            "moving_on_active": moving_on,
            "steps": list(&statuses),
            "moving_on": list(&session::moving_on_statuses(&workbook, &progress)),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }

    if moving_on {
        writeln!(
            out,
            "{}",
            style::paint(
                Tone::Dim,
                &format!(
                    "{} · {}",
                    workbook.moving_on.title,
                    session::moving_on_line(&workbook, &progress)
                )
            )
        )?;
        write_list(&mut out, &session::moving_on_statuses(&workbook, &progress))?;
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style::paint(
                Tone::Dim,
                &format!(
                    "The seven steps · {}",
                    session::progress_line(&workbook, &progress)
                )
            )
        )?;
    } else {
        writeln!(
            out,
            "{}",
            style::paint(Tone::Dim, &session::progress_line(&workbook, &progress))
        )?;
    }
    write_list(&mut out, &statuses)?;
    if progress.moved_on() && !progress.limits_contact() {
        writeln!(
            out,
            "{}",
            note(
                "You've recorded that it's over, so steps 3 to 7, about contact, are not \
                 offered. `exback outcome` changes where things stand."
            )
        )?;
    } else if progress.limits_contact() {
        writeln!(
            out,
            "{}",
            note(
                "Steps 3 to 7 are about contact, which exback does not coach on your path; \
                 after steps 1 and 2 come a few moving-on steps of your own. \
                 `exback next --onboarding` changes your first answers."
            )
        )?;
    } else if progress.onboarding.is_none() {
        writeln!(
            out,
            "{}",
            style::paint(Tone::Dim, "Start with `exback next`.")
        )?;
    }
    Ok(())
}

fn write_list(out: &mut impl Write, statuses: &[(&Step, StepStatus)]) -> io::Result<()> {
    for (step, status) in statuses {
        let (mark, label, tone) = match status {
            StepStatus::Done(at) => ("✓", format!("done {}", at.format("%Y-%m-%d")), Tone::Good),
            StepStatus::Current => ("→", "current".to_string(), Tone::Heading),
            StepStatus::Ahead => (" ", "ahead".to_string(), Tone::Body),
            StepStatus::NotOffered => ("·", "not offered".to_string(), Tone::Dim),
        };
        let line = format!("{mark} {}. {:<40} {label}", step.number, step.title);
        writeln!(out, "{}", style::paint(tone, &line))?;
    }
    Ok(())
}

/// A dim note under the list, wrapped to the terminal (or 80 columns when piped).
fn note(text: &str) -> String {
    let term = console::Term::stdout();
    let width = if term.is_term() {
        usize::from(term.size().1).clamp(30, 100)
    } else {
        80
    };
    style::wrap(text, width)
        .lines()
        .map(|l| style::paint(Tone::Dim, l))
        .collect::<Vec<_>>()
        .join("\n")
}
