//! `exback log`: reads back what you wrote, newest first.

use std::io::{self, Write};

use console::Term;

use crate::cli::LogArgs;
use crate::journal::entry::kind;
use crate::journal::{Entry, Item};
use crate::ui::{Tone, style};
use crate::workbook::Workbook;

use super::Context;

pub fn run(ctx: &Context, args: &LogArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    if let Some(n) = args.step {
        workbook.numbered(n).map_err(anyhow::Error::msg)?;
    }
    let limit = args.limit.unwrap_or(usize::MAX);
    let width = {
        let term = Term::stdout();
        if term.is_term() {
            usize::from(term.size().1).clamp(30, 100)
        } else {
            80
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut shown = 0;
    let mut damaged = 0;
    for item in store.newest_first()? {
        if shown >= limit {
            break;
        }
        match item? {
            Item::Damaged(d) => {
                damaged += 1;
                eprintln!(
                    "{}",
                    style::paint(
                        Tone::Caution,
                        &format!("warning: {d}; this line is skipped and left as it is")
                    )
                );
            }
            Item::Entry(entry) => {
                if args.step.is_some() && entry.step != args.step {
                    continue;
                }
                if shown > 0 {
                    writeln!(out)?;
                }
                write_entry(&mut out, &workbook, &entry, width)?;
                shown += 1;
            }
        }
    }
    out.flush()?;
    if shown == 0 && damaged == 0 {
        let what = if args.step.is_some() {
            "No entries for that step yet."
        } else {
            "No entries yet."
        };
        eprintln!("{what} `exback next` asks your first questions.");
    }
    Ok(())
}

/// Renders one entry for people: a header line, the prompt, the answer indented.
pub fn write_entry(
    out: &mut impl Write,
    workbook: &Workbook,
    entry: &Entry,
    width: usize,
) -> io::Result<()> {
    let step = match (entry.step, entry.step_id.as_deref()) {
        (Some(n), Some(id)) => {
            let title = workbook
                .step_by_id(id)
                .map_or(String::new(), |s| format!(" · {}", s.title));
            format!(" · Step {n}{title}")
        }
        (Some(n), None) => format!(" · Step {n}"),
        // Moving-on steps have no number among the seven.
        (None, Some(id)) => match workbook.step_by_id(id) {
            Some(s) => format!(" · {} · {}", workbook.moving_on.title, s.title),
            None => format!(" · {id}"),
        },
        (None, None) => String::new(),
    };
    let kind = match entry.kind.as_str() {
        kind::READINESS => " · readiness check".to_string(),
        kind::DRAFT => " · unsent draft".to_string(),
        kind::OUTCOME => {
            let label = entry
                .outcome
                .as_deref()
                .map(|id| workbook.outcomes.get(id).map_or(id, |o| o.label.as_str()));
            match label {
                Some(label) => format!(" · outcome: {label}"),
                None => " · outcome".to_string(),
            }
        }
        _ => String::new(),
    };
    let header = format!("{}{step}{kind}", entry.at.format("%Y-%m-%d %H:%M"));
    writeln!(
        out,
        "{}  {}",
        style::paint(Tone::Heading, &header),
        style::paint(Tone::Dim, &entry.id)
    )?;
    if let Some(prompt) = &entry.prompt {
        for line in style::wrap(prompt, width.saturating_sub(2)).lines() {
            writeln!(out, "  {}", style::paint(Tone::Point, line))?;
        }
    }
    for line in style::wrap(&entry.answer, width.saturating_sub(4)).lines() {
        writeln!(out, "    {line}")?;
    }
    Ok(())
}
