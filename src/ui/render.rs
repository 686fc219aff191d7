//! How entries look: the human view, one-line `--short`, Markdown and JSON.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::dates;
use crate::journal::EntryView as Entry;
use crate::journal::entry::kind;
use crate::workbook::Workbook;

use super::style::{self, Tone};

/// The output formats of `log`, `show` and `export` (also `log --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable, coloured on a terminal, paged when long.
    Human,
    /// One line per entry.
    Short,
    /// A JSON array of entries.
    Json,
    /// Markdown, for reading elsewhere.
    Markdown,
}

/// "Step 2 · Prepare yourself emotionally", or just "Step 2" if the workbook no longer
/// has that step, or nothing for an entry outside the steps.
fn step_label(workbook: &Workbook, entry: &Entry<'_>) -> Option<String> {
    let step = entry
        .step_id
        .as_deref()
        .and_then(|id| workbook.step_by_id(id));
    match (entry.step, step) {
        (Some(n), Some(step)) => Some(format!("Step {n} · {}", step.title)),
        (Some(n), None) => Some(format!("Step {n}")),
        // Moving-on steps have no number among the seven.
        (None, Some(step)) => Some(format!("{} · {}", workbook.moving_on.title, step.title)),
        (None, None) => entry.step_id.as_deref().map(str::to_string),
    }
}

fn kind_label(workbook: &Workbook, entry: &Entry<'_>) -> Option<String> {
    match entry.kind.as_ref() {
        kind::ANSWER => None,
        kind::READINESS => Some("readiness check".into()),
        kind::NOTE => Some("free entry".into()),
        kind::DRAFT => Some("unsent draft".into()),
        kind::OUTCOME => Some(match entry.outcome.as_deref() {
            Some(id) => format!(
                "outcome: {}",
                workbook.outcomes.get(id).map_or(id, |o| o.label.as_str())
            ),
            None => "outcome".into(),
        }),
        other => Some(other.to_string()),
    }
}

/// The header line: date, step, kind.
fn header(workbook: &Workbook, entry: &Entry<'_>) -> String {
    let mut parts = vec![dates::local(&entry.at).format("%Y-%m-%d %H:%M").to_string()];
    parts.extend(step_label(workbook, entry));
    parts.extend(kind_label(workbook, entry));
    parts.join(" · ")
}

/// The human view: header and id, the prompt, the answer indented, wrapped to `width`.
pub(crate) fn human(
    out: &mut dyn Write,
    workbook: &Workbook,
    entry: &Entry<'_>,
    width: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        style::paint(Tone::Heading, &header(workbook, entry)),
        style::paint(Tone::Dim, &entry.id)
    )?;
    if let Some(prompt) = &entry.prompt {
        for line in style::wrap(&style::printable(prompt), width.saturating_sub(2)).lines() {
            writeln!(out, "  {}", style::paint(Tone::Point, line))?;
        }
    }
    for line in style::wrap(
        &style::printable(&entry.answer.decode()),
        width.saturating_sub(4),
    )
    .lines()
    {
        writeln!(out, "    {line}")?;
    }
    let mut notes = Vec::new();
    if !entry.tags.is_empty() {
        notes.push(
            entry
                .tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(at) = entry.edited_at {
        notes.push(format!(
            "edited {}",
            dates::local(&at).format("%Y-%m-%d %H:%M")
        ));
    }
    if !notes.is_empty() {
        writeln!(
            out,
            "    {}",
            style::paint(Tone::Dim, &style::printable(&notes.join(" · ")))
        )?;
    }
    Ok(())
}

/// One line: date, id, step number, the answer's first line (cut to fit `width`).
/// Written piece by piece: `log --short` prints one for every entry of the journal.
pub(crate) fn short(out: &mut dyn Write, entry: &Entry<'_>, width: usize) -> io::Result<()> {
    use chrono::{Datelike, Timelike};
    let at = &dates::local(&entry.at);
    let mut lead = String::with_capacity(40);
    let _ = write!(
        lead,
        "{:04}-{:02}-{:02} {:02}:{:02} {} ",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        entry.id
    );
    match entry.step {
        Some(n) => {
            let _ = write!(lead, "s{n} ");
        }
        None => lead.push_str("   "),
    }
    let room = width.saturating_sub(lead.chars().count()).max(10);
    // Only the part that fits is decoded, so a long answer costs no more than a short one.
    let first = entry.answer.first_line(room + 1);
    let cut = match first.char_indices().nth(room - 1) {
        Some((i, _)) if first.chars().count() > room => Cow::Owned(format!("{}…", &first[..i])),
        _ => first,
    };
    if console::colors_enabled() {
        out.write_all(style::paint(Tone::Dim, &lead).as_bytes())?;
    } else {
        out.write_all(lead.as_bytes())?;
    }
    out.write_all(style::printable(&cut).as_bytes())?;
    out.write_all(b"\n")
}

/// A Markdown section for one entry.
pub(crate) fn markdown(
    out: &mut dyn Write,
    workbook: &Workbook,
    entry: &Entry<'_>,
) -> io::Result<()> {
    writeln!(out, "## {}\n", header(workbook, entry))?;
    if let Some(prompt) = &entry.prompt {
        writeln!(out, "**{}**\n", style::printable(prompt).trim())?;
    }
    writeln!(
        out,
        "{}\n",
        style::printable(&entry.answer.decode()).trim_end()
    )?;
    let mut meta = vec![format!("id `{}`", entry.id)];
    if !entry.tags.is_empty() {
        meta.push(format!("tags: {}", entry.tags.join(", ")));
    }
    if let Some(at) = entry.edited_at {
        meta.push(format!(
            "edited {}",
            dates::local(&at).format("%Y-%m-%d %H:%M")
        ));
    }
    writeln!(out, "*{}*\n", style::printable(&meta.join(" · ")))
}
