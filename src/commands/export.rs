//! `exback export`: everything, as JSON to import again, or as Markdown to read.

use std::io::{self, Write};

use anyhow::Context as _;

use crate::cli::{ExportArgs, ExportFormat};
use crate::journal::transfer;
use crate::journal::{Item, Progress, Store};
use crate::session;
use crate::ui::render;
use crate::workbook::Workbook;

use super::Context;

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(io::BufWriter::new(private_file(path)?)),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let damaged = match args.format {
        ExportFormat::Json => transfer::export_json(&store, &mut out)?.damaged,
        ExportFormat::Markdown => markdown(&store, &ctx.workbook()?, &mut out)?,
    };
    match out.flush() {
        Err(e) if super::is_broken_pipe(&e) => return Ok(()),
        other => other.context("cannot write the export")?,
    }
    if damaged > 0 {
        eprintln!(
            "warning: {damaged} damaged line(s) could not be exported; `exback doctor` shows where they are"
        );
    }
    if let Some(path) = &args.output {
        eprintln!("Exported to {} (readable by you only).", path.display());
    }
    Ok(())
}

/// Creates (or truncates) the output file, readable by its owner only from the start.
fn private_file(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// A readable document: where things stand, then every entry oldest first. Returns the
/// number of damaged lines left out.
fn markdown(store: &Store, workbook: &Workbook, out: &mut dyn Write) -> anyhow::Result<usize> {
    let progress = store.progress()?;
    writeln!(out, "# exback journal\n")?;
    write_progress(out, workbook, &progress)?;
    writeln!(out, "# Entries\n")?;
    let mut damaged = 0;
    for item in store.oldest_first()? {
        match item? {
            Item::Entry(entry) => render::markdown(out, workbook, &entry.view())?,
            Item::Damaged(_) => damaged += 1,
        }
    }
    Ok(damaged)
}

fn write_progress(out: &mut dyn Write, workbook: &Workbook, progress: &Progress) -> io::Result<()> {
    if let Some(o) = &progress.onboarding {
        writeln!(out, "## Where things started\n")?;
        writeln!(
            out,
            "- The relationship ended around {} (“{}”).",
            o.breakup_date, o.breakup_said
        )?;
        let ended = workbook
            .welcome
            .onboarding
            .ended_by_options
            .get(o.ended_by as usize)
            .map_or("", String::as_str);
        writeln!(out, "- Who ended it: {ended}")?;
        writeln!(
            out,
            "- They asked for no contact or blocked you: {}",
            if o.no_contact { "yes" } else { "no" }
        )?;
        writeln!(
            out,
            "- You felt unsafe in the relationship: {}\n",
            if o.felt_unsafe { "yes" } else { "no" }
        )?;
    }
    writeln!(out, "## Steps\n")?;
    for (step, status) in session::statuses(workbook, progress) {
        writeln!(
            out,
            "{}. {} ({})",
            step.number,
            step.title,
            status.dated_label()
        )?;
    }
    writeln!(out)
}
