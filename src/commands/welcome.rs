//! `exback` with no subcommand: a short welcome pointing at `exback next`.

use std::io::{self, Write};

use crate::session;
use crate::ui::{Tone, style};
use crate::workbook::{Naming, step_name};

use super::Context;

pub(crate) fn run(ctx: &Context) -> anyhow::Result<()> {
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
        Some((step, _)) => format!(
            "You are on {}.",
            step_name(&workbook, step, Naming::Counted)
        ),
        None => match session::current_step(&workbook, &progress) {
            Some(step) => format!(
                "You are at the readiness check of {}.",
                step_name(&workbook, step, Naming::Sentence)
            ),
            None => "You have finished your path through the workbook.".to_string(),
        },
    };
    writeln!(out, "{}", style::printable(&where_you_are))?;
    writeln!(out)?;
    for (name, what) in crate::cli::EVERYDAY {
        writeln!(out, "{}", crate::cli::command_line(name, what))?;
    }
    writeln!(
        out,
        "{}",
        crate::cli::command_line("--help", "everything else")
    )?;
    Ok(())
}
