//! `exback edit ID`: change an entry's text, in the editor or with `--text`.

use std::fmt::Write as _;

use crate::cli::EditArgs;
use crate::journal::EntryChange;
use crate::session::Clock;
use crate::ui::editor;
use crate::workbook::fill;

use super::{Context, find_changeable_entry};

pub(crate) fn run(ctx: &Context, args: &EditArgs) -> anyhow::Result<()> {
    let screens = ctx.screens()?;
    let words = &screens.edit;
    let store = ctx.store()?;
    let entry = find_changeable_entry(&store, &args.id)?;
    let text = if let Some(text) = &args.text {
        text.clone()
    } else {
        let date = crate::dates::local(&entry.at).format("%Y-%m-%d %H:%M");
        let mut header = fill(
            &words.editor_header,
            &[("id", &entry.id), ("date", &date.to_string())],
        );
        if let Some(prompt) = &entry.prompt {
            let _ = write!(header, "\n{prompt}");
        }
        editor::edit(&header, &screens.keys.editor_note, &entry.answer)?
    };
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!(
            "the new text is empty, so nothing was changed (`exback delete {}` removes an entry)",
            entry.id
        );
    }
    if text == entry.answer {
        eprintln!("{}", words.unchanged);
        return Ok(());
    }
    let change = EntryChange::Edit {
        answer: text.to_string(),
        at: ctx.clock()?.now(),
    };
    match store.change_entry(&entry.id, &change)? {
        Some(_) => eprintln!(
            "{}",
            crate::escapes::printable(&fill(&words.saved, &[("id", &entry.id)]))
        ),
        None => anyhow::bail!(
            "entry {} is no longer in the journal; nothing was changed",
            entry.id
        ),
    }
    Ok(())
}
