//! `exback urge`: for the moment the user wants to contact them right now. How strong
//! the pull is, what they want to say (kept as an unsent draft), what their own log
//! says about the pace, a few things to do for the next 20 minutes, and how it feels
//! after. It never says "send", and nothing is sent anywhere.

use std::time::Duration;

use serde_json::json;

use crate::interrupt::Exit;
use crate::journal::{Contact, EntryKind, NewEntry, Progress, Store};
use crate::pacing::{self, Mode, Nudge};
use crate::session::{Clock, support_lines_for};
use crate::ui::{PromptError, Prompter, Question, Tone};
use crate::workbook::{Workbook, fill};

use super::{Context, read_all, say, with_prompter};

/// The tag on what `urge` saves, so `exback log --tag urge` finds it.
const TAG: &str = "urge";

pub(crate) fn run(ctx: &Context) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let contacts = read_all(store.contacts()?)?;
    with_prompter(&workbook.screens, |p, interactive| {
        match moment(
            p,
            &workbook,
            &store,
            &progress,
            &contacts,
            &clock,
            interactive,
        ) {
            Ok(()) => Ok(()),
            Err(Stop::Prompt(PromptError::Stopped)) => {
                say(Tone::Dim, &workbook.screens.urge.stopped);
                Ok(())
            }
            Err(Stop::Prompt(PromptError::Interrupted)) => Err(Exit::interrupted_saying(&format!(
                "\n{}",
                workbook.screens.urge.stopped
            ))
            .into()),
            Err(Stop::Prompt(e)) => Err(e.into()),
            Err(Stop::Other(e)) => Err(e),
        }
    })
}

enum Stop {
    Prompt(PromptError),
    Other(anyhow::Error),
}

impl From<PromptError> for Stop {
    fn from(e: PromptError) -> Self {
        Self::Prompt(e)
    }
}

impl From<crate::journal::StoreError> for Stop {
    fn from(e: crate::journal::StoreError) -> Self {
        Self::Other(e.into())
    }
}

fn moment(
    p: &mut dyn Prompter,
    workbook: &Workbook,
    store: &Store,
    progress: &Progress,
    contacts: &[Contact],
    clock: &dyn Clock,
    interactive: bool,
) -> Result<(), Stop> {
    let u = &workbook.pacing.urge;
    let hardest = |n: u8| {
        u.support_range
            .is_some_and(|[low, high]| (low..=high).contains(&n))
    };
    p.show(Tone::Heading, &u.title);
    p.show(Tone::Body, &u.intro);
    let before = p
        .scale(
            &Question::new(&u.strength),
            &u.strength_low,
            &u.strength_high,
        )?
        .clamp(1, 10);
    if hardest(before) {
        for (tone, line) in support_lines_for(workbook, progress.safety().1) {
            p.show(tone, &line);
        }
    }
    let words = p.long_text(&Question::with_help(&u.say, Some(&u.say_help)))?;
    if !words.trim().is_empty() {
        store.append(NewEntry {
            tags: vec![TAG.into()],
            ..NewEntry::new(clock.now(), EntryKind::Draft, words.trim().to_string())
        })?;
        p.show(Tone::Good, &u.kept);
    }
    p.show(Tone::Heading, &u.pace);
    for (tone, line) in pace_lines(workbook, progress, contacts, clock) {
        p.show(tone, &line);
    }
    p.show(Tone::Body, &u.instead_intro);
    for idea in &u.instead {
        p.show(Tone::Point, idea);
    }
    // A real pause before "and now?": on a terminal only, so that a piped or
    // scripted run never waits on it.
    if interactive && p.confirm(&Question::new(&u.pause_offer))? {
        let minutes = u64::from(u.pause_minutes.clamp(1, 10));
        crate::ui::countdown::run(Duration::from_secs(minutes * 60), &u.pause_hint)
            .map_err(|e| Stop::Prompt(PromptError::Io(e)))?;
    }
    let after = p
        .scale(&Question::new(&u.after), &u.after_low, &u.after_high)?
        .clamp(1, 10);
    // Still at the hardest after the pause: help, unless it was just shown.
    if hardest(after) && !hardest(before) {
        for (tone, line) in support_lines_for(workbook, progress.safety().1) {
            p.show(tone, &line);
        }
    }
    store.append(NewEntry {
        tags: vec![TAG.into()],
        value: Some(json!({ "before": before, "after": after })),
        ..NewEntry::new(
            clock.now(),
            EntryKind::Note,
            fill(
                &workbook.screens.urge.record,
                &[
                    ("before", &before.to_string()),
                    ("after", &after.to_string()),
                ],
            ),
        )
    })?;
    p.show(Tone::Good, &u.closing);
    Ok(())
}

/// What the pace says now: the facts from the contact log, or, on the paths without
/// contact coaching, the words about respecting their wish. Never the draft hint,
/// never a suggestion to reach out.
fn pace_lines(
    workbook: &Workbook,
    progress: &Progress,
    contacts: &[Contact],
    clock: &dyn Clock,
) -> Vec<(Tone, String)> {
    let now = clock.now();
    let pace = super::status::pace(workbook, progress, contacts, now);
    let respect = match pace.mode {
        Mode::NoContact => Some(Nudge::NoContact),
        Mode::Safety => Some(Nudge::Safety),
        Mode::MovedOn => Some(Nudge::MovedOn),
        Mode::Coaching | Mode::Together => None,
    };
    if let Some(nudge) = respect {
        let text = pacing::render(
            nudge.template(&workbook.pacing.nudges),
            &pace.facts,
            &workbook.pacing.rules,
            &workbook.screens.days,
        );
        return vec![(Tone::Body, text)];
    }
    let mut report = super::status::pacing_report(workbook, progress, contacts, now);
    // The draft hint is left out here: what they wanted to say was just kept.
    let nudge = report.nudge.take();
    let mut lines = super::status::contact_paragraphs(&report, workbook);
    if let Some(n) = nudge {
        lines.push((Tone::Caution, n.text));
    }
    lines
}
