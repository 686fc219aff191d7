//! `exback outcome`: record where things stand, with a short closing reflection.
//! "Moved on" switches the workbook to the moving-on path; another outcome, or
//! `--clear`, switches back. The flow engine does the work.

use crate::cli::OutcomeArgs;
use crate::interrupt::Exit;
use crate::session::{Flow, FlowError};
use crate::ui::{PromptError, Tone};
use crate::workbook::fill;

use super::{Context, say, with_prompter};

pub(crate) fn run(ctx: &Context, args: &OutcomeArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let mut store = ctx.store()?;
    let progress = store.progress()?;
    let before = progress.outcome_kind();
    let kind = args.outcome;
    let (result, after) = with_prompter(&workbook.screens, |prompter, _| {
        let mut flow = Flow::new(&workbook, progress, prompter, &mut store, &clock);
        let result = if args.clear {
            flow.clear_outcome().map(|()| None)
        } else {
            flow.record_outcome(kind).map(Some)
        };
        (result, flow.progress().outcome_kind())
    });
    match result {
        Ok(_) => Ok(()),
        Err(FlowError::Prompt(PromptError::Interrupted)) => Err(Exit::interrupted_saying(
            &format!("\n{}", workbook.screens.outcome.interrupted),
        )
        .into()),
        Err(FlowError::Prompt(PromptError::Stopped)) => {
            if after == before && kind.is_none() {
                say(Tone::Dim, &workbook.screens.outcome.unchanged);
            } else if let Some(k) = after {
                say(
                    Tone::Dim,
                    &fill(&workbook.screens.outcome.saved, &[("id", k.id())]),
                );
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
