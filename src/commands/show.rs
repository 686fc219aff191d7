//! `exback show ID`: one entry in full.

use std::io;

use crate::cli::ShowArgs;
use crate::ui::{render, style};

use super::{Context, find_entry};

pub(crate) fn run(ctx: &Context, args: &ShowArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let entry = find_entry(&store, &args.id)?;
    let mut out = io::stdout().lock();
    if args.json {
        super::write_json(&mut out, &entry)?;
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
