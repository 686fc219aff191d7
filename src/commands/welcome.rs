//! `exback` with no subcommand: a short welcome pointing at `exback next`.

use std::io::{self, Write};

use crate::session;
use crate::ui::{Tone, style};
use crate::workbook::StepSet;

use super::Context;

pub fn run(ctx: &Context) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}",
        style::paint(
            Tone::Heading,
            "exback: a guided workbook for after a breakup"
        )
    )?;
    let where_you_are = match session::next_prompt(&workbook, &progress) {
        _ if progress.onboarding.is_none() => "You have not started yet.".to_string(),
        Some((step, _)) if step.set == StepSet::MovingOn => format!(
            "You are on moving-on step {} of {}: {}.",
            step.number,
            workbook.moving_on.steps.len(),
            step.title
        ),
        Some((step, _)) => format!(
            "You are on step {} of {}: {}.",
            step.number,
            workbook.steps.len(),
            step.title
        ),
        None => match session::current_step(&workbook, &progress) {
            Some(step) => format!(
                "You are at the readiness check of {}.",
                session::step_name(step)
            ),
            None => "You have finished your path through the workbook.".to_string(),
        },
    };
    writeln!(out, "{where_you_are}")?;
    writeln!(out)?;
    writeln!(out, "  exback next      continue where you left off")?;
    writeln!(
        out,
        "  exback status    one screen: steps, pace, mood, what comes next"
    )?;
    writeln!(out, "  exback steps     the steps and where you are")?;
    writeln!(
        out,
        "  exback contact   write down a contact with your ex (nothing is sent)"
    )?;
    writeln!(
        out,
        "  exback draft     keep a message you want to send, unsent"
    )?;
    writeln!(
        out,
        "  exback mood N    check in with how you feel, 1 to 10"
    )?;
    writeln!(out, "  exback outcome   record where things stand")?;
    writeln!(out, "  exback log       read back what you wrote")?;
    writeln!(
        out,
        "  exback write     a free journal entry, outside the questions"
    )?;
    writeln!(out, "  exback --help    everything else")?;
    Ok(())
}
