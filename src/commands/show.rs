//! `exback show ID`: one entry in full.

use std::io::{self, Write};

use crate::cli::ShowArgs;
use crate::ui::{render, style};

use super::{Context, find_entry};

pub(crate) fn run(ctx: &Context, args: &ShowArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let entry = find_entry(&store, &args.id)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &entry)?;
        writeln!(out)?;
    } else {
        render::human(
            &mut out,
            &ctx.workbook()?,
            &entry.view(),
            style::stdout_width(100),
        )?;
    }
    Ok(())
}
