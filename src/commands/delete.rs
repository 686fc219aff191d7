//! `exback delete ID`: remove one entry, after asking.

use crate::cli::DeleteArgs;
use crate::journal::EntryChange;
use crate::session::Clock as _;
use crate::ui::{style, terminal};

use super::{Context, confirm_on_terminal, find_changeable_entry};

pub(crate) fn run(ctx: &Context, args: &DeleteArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let entry = find_changeable_entry(&store, &args.id)?;
    if !args.yes {
        if !terminal::is_interactive() {
            anyhow::bail!(
                "`exback delete` asks before deleting; add --yes to delete without a terminal"
            );
        }
        let first = entry.answer.lines().next().unwrap_or_default();
        let preview: String = style::printable(first).chars().take(60).collect();
        let question = format!(
            "Delete the entry of {} (“{preview}”)? This cannot be undone",
            crate::dates::local(&entry.at).format("%Y-%m-%d %H:%M")
        );
        if !confirm_on_terminal(&question, "\nStopped. Nothing was deleted.")? {
            eprintln!("Nothing was deleted.");
            return Ok(());
        }
    }
    let at = ctx.clock()?.now();
    match store.change_entry(&entry.id, &EntryChange::Delete { at })? {
        Some(_) => eprintln!("Deleted {}.", style::printable(&entry.id)),
        None => anyhow::bail!(
            "entry {} is no longer in the journal; nothing was deleted",
            entry.id
        ),
    }
    Ok(())
}
