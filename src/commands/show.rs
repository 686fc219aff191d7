//! `exback show ID`: one entry in full.

use std::io::{self, Write};

use console::Term;

use crate::cli::ShowArgs;
use crate::ui::render;

use super::{Context, find_entry};

pub fn run(ctx: &Context, args: &ShowArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let entry = find_entry(&store, &args.id)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &entry)?;
        writeln!(out)?;
    } else {
        let term = Term::stdout();
        let width = if term.is_term() {
            usize::from(term.size().1).clamp(30, 100)
        } else {
            80
        };
        render::human(&mut out, &ctx.workbook()?, &entry.view(), width)?;
    }
    Ok(())
}
