//! `exback next`: the guided flow, on the terminal or from piped lines.

use std::io::{self, Write};

use crate::cli::NextArgs;
use crate::interrupt;
use crate::journal::Progress;
use crate::session::{self, Ended, Flow, FlowError, Options, SystemClock};
use crate::ui::lines::LinePrompter;
use crate::ui::terminal::{self, TerminalPrompter};
use crate::ui::{PromptError, Prompter, Tone, style};
use crate::workbook::Workbook;

use super::Context;

pub fn run(ctx: &Context, args: &NextArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let mut store = ctx.store()?;
    let progress = store.writable_progress()?;
    let options = Options {
        onboarding: args.onboarding,
        step: args.step,
    };
    let interactive = terminal::is_interactive();

    let mut terminal_prompter;
    let mut line_prompter;
    let prompter: &mut dyn Prompter = if interactive {
        terminal_prompter = TerminalPrompter::default();
        &mut terminal_prompter
    } else {
        line_prompter = LinePrompter::new(io::stdin().lock(), Box::new(io::stderr()));
        &mut line_prompter
    };

    let mut flow = Flow::new(&workbook, progress, prompter, &mut store, &SystemClock);
    let result = flow.run(options);
    let progress = flow.progress().clone();
    match result {
        Ok(ended) => {
            say_after(&workbook, &progress, ended);
            Ok(())
        }
        Err(FlowError::Prompt(PromptError::Interrupted)) => interrupt::stop(""),
        Err(FlowError::Prompt(PromptError::Stopped)) => {
            say_after(&workbook, &progress, Ended::Paused);
            if !interactive {
                eprintln!(
                    "{}",
                    style::paint(
                        Tone::Dim,
                        "(Answers are read from standard input, one line per question. \
                         Run `exback next` in a terminal, or see `exback next --help` for the format.)"
                    )
                );
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn say_after(workbook: &Workbook, progress: &Progress, ended: Ended) {
    let text = match ended {
        Ended::Paused => match session::next_prompt(workbook, progress) {
            Some((step, _)) => {
                let answered = progress.step(&step.id).map_or(0, |s| s.answered.len());
                format!(
                    "Paused. Everything you answered is saved; `exback next` continues with question {} of step {}.",
                    answered + 1,
                    step.number
                )
            }
            None => "Paused. Everything you answered is saved; `exback next` continues where you stopped.".into(),
        },
        Ended::StepDone(_) => match session::current_step(workbook, progress) {
            Some(step) => format!("Well done. `exback next` starts step {}, {}, whenever you are ready.", step.number, step.title),
            None => "Well done.".into(),
        },
        Ended::Onboarded => "Saved. `exback next` continues the workbook whenever you are ready.".into(),
        Ended::NotReady(_)
        | Ended::Revisited(_)
        | Ended::NotOffered(_)
        | Ended::AllDone
        | Ended::LimitedDone => return,
    };
    let _ = writeln!(
        io::stderr(),
        "{}",
        style::paint_stderr(Tone::Dim, &text, style::width())
    );
}
