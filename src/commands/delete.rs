//! `exback delete ID`: remove one entry, after asking.

use crate::cli::DeleteArgs;
use crate::journal::EntryChange;
use crate::session::Clock as _;
use crate::ui::terminal;
use crate::workbook::fill;

use super::{Context, confirm_on_terminal, find_changeable_entry};

pub(crate) fn run(ctx: &Context, args: &DeleteArgs) -> anyhow::Result<()> {
    let screens = ctx.screens()?;
    let words = &screens.delete;
    let store = ctx.store()?;
    let entry = find_changeable_entry(&store, &args.id)?;
    if !args.yes {
        if !terminal::is_interactive() {
            anyhow::bail!(
                "`exback delete` asks before deleting; add --yes to delete without a terminal"
            );
        }
        let first = entry.answer.lines().next().unwrap_or_default();
        let preview: String = crate::escapes::printable(first).chars().take(60).collect();
        let date = crate::dates::local(&entry.at).format("%Y-%m-%d %H:%M");
        let question = fill(
            &words.question,
            &[("date", &date.to_string()), ("preview", &preview)],
        );
        if !confirm_on_terminal(&screens, &question, &format!("\n{}", words.stopped))? {
            eprintln!("{}", words.kept);
            return Ok(());
        }
    }
    let at = ctx.clock()?.now();
    match store.change_entry(&entry.id, &EntryChange::Delete { at })? {
        Some(_) => eprintln!(
            "{}",
            crate::escapes::printable(&fill(&words.deleted, &[("id", &entry.id)]))
        ),
        None => anyhow::bail!(
            "entry {} is no longer in the journal; nothing was deleted",
            entry.id
        ),
    }
    Ok(())
}
