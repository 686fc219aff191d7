//! `exback edit ID`: change an entry's text, in the editor or with `--text`.

use std::fmt::Write as _;

use crate::cli::EditArgs;
use crate::journal::EntryChange;
use crate::session::Clock;
use crate::ui::editor;

use super::{Context, find_changeable_entry};

pub(crate) fn run(ctx: &Context, args: &EditArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let entry = find_changeable_entry(&store, &args.id)?;
    let text = if let Some(text) = &args.text {
        text.clone()
    } else {
        let mut header = format!(
            "Editing entry {} from {}.",
            entry.id,
            crate::dates::local(&entry.at).format("%Y-%m-%d %H:%M")
        );
        if let Some(prompt) = &entry.prompt {
            let _ = write!(header, "\n{prompt}");
        }
        editor::edit(&header, &entry.answer)?
    };
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!(
            "the new text is empty, so nothing was changed (`exback delete {}` removes an entry)",
            entry.id
        );
    }
    if text == entry.answer {
        eprintln!("No change.");
        return Ok(());
    }
    let change = EntryChange::Edit {
        answer: text.to_string(),
        at: ctx.clock()?.now(),
    };
    match store.change_entry(&entry.id, &change)? {
        Some(_) => eprintln!(
            "Saved the new text of {}.",
            crate::ui::style::printable(&entry.id)
        ),
        None => anyhow::bail!(
            "entry {} is no longer in the journal; nothing was changed",
            entry.id
        ),
    }
    Ok(())
}
