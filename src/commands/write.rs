//! `exback write`: a free journal entry, from the argument, piped stdin or the editor.

use crate::cli::WriteArgs;
use crate::journal::{EntryKind, NewEntry};
use crate::session::Clock;

use super::Context;

pub(crate) fn run(ctx: &Context, args: &WriteArgs) -> anyhow::Result<()> {
    let step = match args.step {
        Some(n) => Some(
            ctx.workbook()?
                .numbered(n)
                .map_err(anyhow::Error::msg)?
                .clone(),
        ),
        None => None,
    };
    let tags = crate::journal::tags::parse_all(&args.tags)?;
    let text = super::text_from(args.text.clone(), || {
        let screens = ctx.screens()?;
        Ok(super::TextWords {
            header: screens.write.editor_header,
            note: screens.keys.editor_note,
            stopped: screens.write.stopped,
        })
    })?;
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("nothing to save: the entry is empty");
    }
    let store = ctx.store()?;
    let entry = store.append(NewEntry {
        step: step.as_ref().map(|s| s.number),
        step_id: step.map(|s| s.id),
        tags,
        ..NewEntry::new(ctx.clock()?.now(), EntryKind::Note, text.to_string())
    })?;
    super::print_line(&entry.id)?;
    Ok(())
}
