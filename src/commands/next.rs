//! `exback next`: the guided flow, on the terminal or from piped lines.

use std::io::{self, Write};

use crate::cli::NextArgs;
use crate::interrupt::Exit;
use crate::journal::Progress;
use crate::session::{self, Ended, Flow, FlowError, MoodCheck, Options};
use crate::ui::{PromptError, Tone, style};
use crate::workbook::Workbook;
use crate::workbook::{Naming, fill, step_name};

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
                    style::paint(Tone::Dim, &workbook.screens.next.from_stdin)
                );
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn say_after(workbook: &Workbook, progress: &Progress, ended: Ended) {
    if let Some(text) = after(workbook, progress, ended) {
        let _ = writeln!(
            io::stderr(),
            "{}",
            style::paint_stderr(Tone::Dim, &text, style::width())
        );
    }
}

/// The line said when a session ends, if the content's own words did not say it.
fn after(workbook: &Workbook, progress: &Progress, ended: Ended) -> Option<String> {
    let words = &workbook.screens.next;
    Some(match ended {
        // Onboarding is saved once all four answers are in.
        Ended::Paused if progress.onboarding.is_none() => words.paused_onboarding.clone(),
        Ended::Paused => match session::next_prompt(workbook, progress) {
            Some((step, _)) => {
                let answered = progress.step(&step.id).map_or(0, |s| s.answered.len());
                fill(
                    &words.paused_at,
                    &[
                        ("n", &(answered + 1).to_string()),
                        ("step", &step_name(workbook, step, Naming::Short)),
                    ],
                )
            }
            None => words.paused.clone(),
        },
        Ended::StepDone(_) => match session::current_step(workbook, progress) {
            Some(step) => fill(
                &words.step_done_then,
                &[("step", &step_name(workbook, step, Naming::Sentence))],
            ),
            None => words.step_done.clone(),
        },
        Ended::Onboarded => words.onboarded.clone(),
        Ended::StepClosed(_) => words.step_closed.clone(),
        // The content's own words for the pause and the switch were shown.
        Ended::StepPaused(_)
        | Ended::QuietTime(_)
        | Ended::Switched(_)
        | Ended::NotReady(_)
        | Ended::Revisited(_)
        | Ended::NotOffered(_)
        | Ended::AllDone
        | Ended::MovingOnDone => return None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::journal::{EndedBy, Onboarding};
    use crate::workbook::screens::testing::{MARK, marked};

    fn onboarded() -> Progress {
        let at = DateTime::parse_from_rfc3339("2026-11-29T20:15:00+01:00").unwrap();
        Progress {
            onboarding: Some(Onboarding {
                answered_at: at,
                breakup_date: at.date_naive() - chrono::Days::new(42),
                breakup_said: "6 weeks ago".into(),
                ended_by: EndedBy::Me,
                no_contact: false,
                felt_unsafe: false,
                logistics: false,
                extra: serde_json::Map::new(),
            }),
            ..Progress::default()
        }
    }

    #[test]
    fn the_line_after_a_session_is_read_from_screens_toml() {
        let workbook = marked(&["next"]);
        let plain = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let fresh = Progress::default();
        let on = onboarded();
        let said = |wb: &Workbook, p: &Progress, e: Ended| after(wb, p, e);
        let cases = [
            (&fresh, Ended::Paused),
            (&on, Ended::Paused),
            (&on, Ended::StepDone(1)),
            (&on, Ended::Onboarded),
            (&on, Ended::StepClosed(1)),
        ];
        for (p, ended) in cases {
            let text = said(&workbook, p, ended).unwrap_or_default();
            assert!(text.starts_with(MARK), "{ended:?}: {text:?}");
            assert_eq!(Some(text.replace(MARK, "")), said(&plain, p, ended));
        }
        assert_eq!(
            said(&plain, &on, Ended::Paused).as_deref(),
            Some(
                "Paused. Everything you answered is saved; `exback next` continues with \
                 question 1 of step 1."
            )
        );
        assert_eq!(said(&plain, &on, Ended::AllDone), None);
        assert!(workbook.screens.next.from_stdin.starts_with(MARK));
        assert!(plain.screens.next.from_stdin.ends_with("for the format.)"));
    }
}
