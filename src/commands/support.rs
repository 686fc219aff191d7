//! `exback support`: who to talk to and crisis resources, any time; the same block the
//! flow shows when an answer says things are very heavy.

use std::io::{self, Write};

use serde_json::json;

use crate::cli::SupportArgs;
use crate::session::support_lines;
use crate::ui::{Tone, style};
use crate::workbook::Workbook;

use super::Context;

pub(crate) fn run(ctx: &Context, args: &SupportArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let mut out = io::stdout().lock();
    if args.json {
        let s = &workbook.welcome.support;
        let doc = json!({
            "title": s.title,
            "text": s.text,
            "resources": s.resources,
            "note": s.note,
            "reviewed": s.reviewed,
        });
        return super::write_json(&mut out, &doc);
    }
    write_block(&mut out, &workbook, style::stdout_width(100))?;
    Ok(())
}

/// The support block, wrapped to `width`, as `support` prints it and `mood` adds it.
pub(crate) fn write_block(
    out: &mut impl Write,
    workbook: &Workbook,
    width: usize,
) -> io::Result<()> {
    for (tone, line) in support_lines(workbook) {
        let (lead, rest) = if tone == Tone::Point {
            ("• ", "  ")
        } else {
            ("", "")
        };
        for (i, l) in style::wrap(&line, width.saturating_sub(2).max(20))
            .lines()
            .enumerate()
        {
            let text = format!("{}{l}", if i == 0 { lead } else { rest });
            writeln!(out, "{}", style::paint(tone, &text))?;
        }
        if tone != Tone::Point {
            writeln!(out)?;
        }
    }
    Ok(())
}
