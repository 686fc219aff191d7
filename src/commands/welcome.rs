//! `exback` with no subcommand: a short welcome pointing at `exback next`.

use std::io::{self, Write};

use crate::session;
use crate::ui::{Tone, style};
use crate::workbook::{Naming, fill, step_name};

use super::Context;

pub(crate) fn run(ctx: &Context) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let words = &workbook.screens.welcome;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", style::paint(Tone::Heading, &words.heading))?;
    let where_you_are = match session::next_prompt(&workbook, &progress) {
        _ if progress.onboarding.is_none() => words.not_started.clone(),
        Some((step, _)) => fill(
            &words.on_step,
            &[("step", &step_name(&workbook, step, Naming::Counted))],
        ),
        None => match session::current_step(&workbook, &progress) {
            Some(step) => fill(
                &words.at_readiness,
                &[("step", &step_name(&workbook, step, Naming::Sentence))],
            ),
            None => words.finished.clone(),
        },
    };
    writeln!(out, "{}", crate::escapes::printable(&where_you_are))?;
    writeln!(out)?;
    for (name, what) in crate::cli::EVERYDAY {
        writeln!(out, "{}", crate::cli::command_line(name, what))?;
    }
    writeln!(out, "{}", crate::cli::command_line("--help", &words.help))?;
    Ok(())
}
