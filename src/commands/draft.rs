//! `exback draft [TEXT]`: a message the user wants to send but keeps instead, saved
//! as a journal entry of kind `draft`; `exback draft list` reads them back.

use std::io::{self, Write};

use serde_json::json;

use crate::cli::{DraftArgs, DraftCommand, ListArgs};
use crate::journal::entry::kind;
use crate::journal::{EntryKind, NewEntry};
use crate::session::Clock;
use crate::ui::Tone;

use super::{Context, say, warn_damaged};

pub(crate) fn run(ctx: &Context, args: &DraftArgs) -> anyhow::Result<()> {
    if let Some(DraftCommand::List(list)) = &args.command {
        return show_list(ctx, list);
    }
    let screens = ctx.screens()?;
    let words = &screens.draft_saving;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let argument = (!args.text.is_empty()).then(|| args.text.join(" "));
    let text = super::text_from(argument, || {
        Ok(super::TextWords {
            header: words.editor_header.clone(),
            note: screens.keys.editor_note.clone(),
            stopped: words.stopped.clone(),
        })
    })?;
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("the draft is empty, so nothing was saved");
    }
    let entry = store.append(NewEntry::new(
        clock.now(),
        EntryKind::Draft,
        text.to_string(),
    ))?;
    super::print_line(&entry.id)?;
    say(Tone::Good, &words.kept);
    Ok(())
}

fn show_list(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let drafts = store.select_newest(
        |view| view.kind == kind::DRAFT,
        args.limit.unwrap_or(usize::MAX),
        warn_damaged,
    )?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let list: Vec<_> = drafts
            .iter()
            .map(|d| json!({ "id": d.id, "at": d.at, "text": d.answer }))
            .collect();
        super::write_json(&mut out, &list)?;
    } else {
        for (i, draft) in drafts.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            crate::ui::render::human(
                &mut out,
                &workbook,
                &draft.view(),
                crate::ui::style::stdout_width(100),
            )?;
        }
    }
    out.flush()?;
    if drafts.is_empty() && !args.json {
        say(Tone::Dim, &workbook.screens.draft.none);
    }
    Ok(())
}
