//! `exback next`: the guided flow, on the terminal or from piped lines.

use std::io::{self, Write};

use crate::cli::NextArgs;
use crate::interrupt::Exit;
use crate::journal::Progress;
use crate::session::{self, Ended, Flow, FlowError, MoodCheck, Options};
use crate::ui::{PromptError, Tone, style};
use crate::workbook::Workbook;
use crate::workbook::{Naming, step_name};

use super::{Context, with_prompter};

pub(crate) fn run(ctx: &Context, args: &NextArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let mut store = ctx.store()?;
    let progress = store.writable_progress()?;
    let options = Options {
        onboarding: args.onboarding,
        step: args.step,
        mood: MoodCheck::Offer {
            last: super::mood::last_check_in(&store)?,
        },
    };

    let (result, progress, interactive) =
        with_prompter(&workbook.screens, |prompter, interactive| {
            let mut flow = Flow::new(&workbook, progress, prompter, &mut store, &clock);
            let result = flow.run(options);
            (result, flow.progress().clone(), interactive)
        });
    match result {
        Ok(ended) => {
            say_after(&workbook, &progress, ended);
            Ok(())
        }
        Err(FlowError::Prompt(PromptError::Interrupted)) => Err(Exit::interrupted().into()),
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
        // Onboarding is saved once all four answers are in.
        Ended::Paused if progress.onboarding.is_none() => {
            "Paused before the first five questions were done; `exback next` asks them again.".into()
        }
        Ended::Paused => match session::next_prompt(workbook, progress) {
            Some((step, _)) => {
                let answered = progress.step(&step.id).map_or(0, |s| s.answered.len());
                let which = step_name(workbook, step, Naming::Short);
                format!(
                    "Paused. Everything you answered is saved; `exback next` continues with question {} of {which}.",
                    answered + 1,
                )
            }
            None => "Paused. Everything you answered is saved; `exback next` continues where you stopped.".into(),
        },
        Ended::StepDone(_) => match session::current_step(workbook, progress) {
            Some(step) => format!(
                "Well done. `exback next` starts {}, whenever you are ready.",
                step_name(workbook, step, Naming::Sentence)
            ),
            None => "Well done.".into(),
        },
        Ended::Onboarded => "Saved. `exback next` continues the workbook whenever you are ready.".into(),
        Ended::StepClosed(_) => {
            "Your answers are saved. `exback next` goes on from here whenever you are ready.".into()
        }
        // The content's own words for the pause and the switch were shown.
        Ended::StepPaused(_)
        | Ended::QuietTime(_)
        | Ended::Switched(_)
        | Ended::NotReady(_)
        | Ended::Revisited(_)
        | Ended::NotOffered(_)
        | Ended::AllDone
        | Ended::MovingOnDone => return,
    };
    let _ = writeln!(
        io::stderr(),
        "{}",
        style::paint_stderr(Tone::Dim, &text, style::width())
    );
}
