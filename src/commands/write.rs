//! `exback write`: a free journal entry, from the argument, piped stdin or the editor.

use crate::cli::WriteArgs;
use crate::journal::NewEntry;
use crate::journal::entry::kind;
use crate::session::Clock;

use super::Context;

pub fn run(ctx: &Context, args: &WriteArgs) -> anyhow::Result<()> {
    let step = match args.step {
        Some(n) => Some(
            ctx.workbook()?
                .numbered(n)
                .map_err(anyhow::Error::msg)?
                .clone(),
        ),
        None => None,
    };
    let tags = clean_tags(&args.tags)?;
    let text = super::text_from(args.text.clone(), "A free journal entry.")?;
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("nothing to save: the entry is empty");
    }
    let store = ctx.store()?;
    let entry = store.append(NewEntry {
        step: step.as_ref().map(|s| s.number),
        step_id: step.map(|s| s.id),
        tags,
        ..NewEntry::new(ctx.clock()?.now(), kind::NOTE, text.to_string())
    })?;
    super::print_line(&entry.id)?;
    Ok(())
}

/// Tags are single words: trimmed, without a leading `#`, no spaces, not empty.
fn clean_tags(tags: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().trim_start_matches('#');
        if tag.is_empty() || tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
            anyhow::bail!("a tag is one word without spaces (got {tag:?})");
        }
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    Ok(out)
}
