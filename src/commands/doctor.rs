//! `exback doctor`: reports damage in the data directory and, if asked, repairs it.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::cli::DoctorArgs;
use crate::journal::repair::doctor::{self, Health, Report};
use crate::journal::store::keystate::{self, KeyState};
use crate::session::Clock;
use crate::ui::terminal::{self, TerminalPrompter};
use crate::ui::{PromptError, Prompter, Question, Tone, style};

use super::{Context, plural};

pub(crate) fn run(ctx: &Context, args: &DoctorArgs) -> anyhow::Result<()> {
    let store = ctx.locked_store()?;
    // The structure is checked without the passphrase; the content too when it is given
    // (a repair always needs it: what it rewrites is sealed again).
    let unlocked = if keystate::state(store.dir()) == KeyState::Keyed
        && (args.repair || crate::ui::passphrase::given_without_terminal())
    {
        super::encrypt::unlock(&store)?.is_some()
    } else {
        false
    };
    if args.repair {
        super::fold_copies(&store);
    }
    let report = doctor::check(&store)?;
    let mut out = io::stdout().lock();
    writeln!(out, "Data directory: {}", store.dir().display())?;
    super::encrypt::doctor_note(&mut out, &store, unlocked)?;
    print_report(&mut out, &report)?;
    report_copies(&mut out, &store)?;

    let problems = report.damaged() + report.duplicated();
    let unreadable = report.unreadable();
    if unreadable > 0 {
        writeln!(
            out,
            "Nothing was changed. exback cannot repair a file it cannot read: fix what is said \
             above, then run `exback doctor` again."
        )?;
        anyhow::bail!(
            "{} in {} cannot be read",
            plural(unreadable, "file"),
            store.dir().display()
        );
    }
    let leftovers = !report.temp_files.is_empty() || report.unfinished() > 0;
    if problems == 0 && (!leftovers || !args.repair) {
        writeln!(
            out,
            "{}",
            style::paint(Tone::Good, "Everything is readable.")
        )?;
        return Ok(());
    }
    if !args.repair {
        writeln!(
            out,
            "Nothing was changed. `exback doctor --repair` moves damaged lines and extra copies \
             of records to a file beside them, gives records that share an id ids of their own, \
             and keeps everything else."
        )?;
        anyhow::bail!(
            "found {problems} file(s) to repair in {}",
            store.dir().display()
        );
    }
    if !args.yes && !confirm()? {
        writeln!(out, "Nothing was changed.")?;
        return Ok(());
    }
    let done = doctor::repair(&store, ctx.clock()?.now())?;
    print_repaired(&mut out, &done)?;
    writeln!(out, "Everything else is kept as it was.")?;
    Ok(())
}

/// What a repair did, file by file.
fn print_repaired(out: &mut impl Write, done: &doctor::Repaired) -> io::Result<()> {
    for (aside, count) in &done.moved_aside {
        let what = match count {
            None => "the damaged file".to_string(),
            Some(1) => "1 damaged or unfinished line".to_string(),
            Some(n) => format!("{n} damaged lines"),
        };
        writeln!(
            out,
            "{}",
            style::paint(Tone::Good, &format!("Moved {what} to {}", aside.display()))
        )?;
    }
    print_duplicates_repaired(out, &done.duplicates)?;
    if let Some(lost) = &done.progress_lost {
        if lost.is_empty() {
            writeln!(
                out,
                "Rebuilt progress.json from the copy: everything in it was kept."
            )?;
        } else {
            writeln!(
                out,
                "Rebuilt progress.json from what could be read. Could not keep: {}.",
                lost.join("; ")
            )?;
        }
        if done.onboarding_again {
            writeln!(
                out,
                "`exback next` will ask the first questions again (about contact and safety) \
                 before anything else; until then exback gives no advice about contact."
            )?;
        }
    }
    if done.temp_files_removed > 0 {
        writeln!(
            out,
            "Removed {} temporary file(s) left by an interrupted save.",
            done.temp_files_removed
        )?;
    }
    Ok(())
}

/// The conflict copies a sync tool left, and what merging each would do.
fn report_copies(out: &mut impl Write, store: &crate::journal::Store) -> io::Result<()> {
    match crate::journal::repair::merge::fold(store, true) {
        Ok(copies) => {
            for folded in &copies {
                writeln!(out, "{}", super::describe_fold(folded))?;
            }
        }
        Err(e) => writeln!(out, "{}", style::paint(Tone::Caution, &e.to_string()))?,
    }
    Ok(())
}

fn confirm() -> anyhow::Result<bool> {
    if !terminal::is_interactive() {
        anyhow::bail!(
            "`exback doctor --repair` asks before changing anything; add --yes to repair without a terminal"
        );
    }
    let q = Question::new("Move the damaged parts aside and keep everything else?");
    // doctor reads no content: the built-in words ask.
    let screens = crate::workbook::Workbook::embedded()?.screens;
    match TerminalPrompter::new(&screens).confirm(&q) {
        Ok(yes) => Ok(yes),
        Err(PromptError::Stopped) => Ok(false),
        Err(PromptError::Interrupted) => Err(crate::interrupt::Exit::interrupted().into()),
        Err(e) => Err(e.into()),
    }
}

fn print_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    if report.open_to_others {
        writeln!(
            out,
            "{}",
            style::paint(
                Tone::Caution,
                "! the data directory can be read by other users (chmod 700 it)"
            )
        )?;
    }
    for file in &report.files {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let line = match &file.health {
            Health::Missing => style::paint(Tone::Dim, &format!("  {name:<16} not created yet")),
            Health::Fine { records } if file.path.extension().is_some_and(|x| x == "jsonl") => {
                style::paint(Tone::Good, &format!("✓ {name:<16} {records} record(s)"))
            }
            Health::Fine { .. } => style::paint(Tone::Good, &format!("✓ {name:<16} readable")),
            Health::Newer { found } => style::paint(
                Tone::Caution,
                &format!("! {name:<16} written by a newer exback (format {found}): read-only here"),
            ),
            Health::Unreadable(why) => style::paint(Tone::Caution, &format!("✗ {name:<16} {why}")),
            Health::Damaged { records, lines } => {
                let mut text = format!(
                    "✗ {name:<16} {} damaged, {records} readable",
                    plural(lines.len(), "line")
                );
                for (number, reason) in lines.iter().take(10) {
                    let _ = write!(text, "\n    line {number}, {reason}");
                }
                if lines.len() > 10 {
                    let _ = write!(text, "\n    … and {} more", lines.len() - 10);
                }
                style::paint(Tone::Caution, &text)
            }
        };
        writeln!(out, "{line}")?;
        print_duplicates(out, &file.duplicates)?;
        if file.unfinished > 0 {
            writeln!(
                out,
                "{}",
                style::paint(
                    Tone::Dim,
                    &format!(
                        "    ends with an unfinished save ({}, never confirmed as saved); the \
                         next save moves it to a damaged-… file beside it",
                        plural(file.unfinished, "byte")
                    )
                )
            )?;
        }
    }
    print_set_aside(out, &report.set_aside)?;
    if !report.temp_files.is_empty() {
        let n = report.temp_files.len();
        writeln!(
            out,
            "{}",
            style::paint(
                Tone::Caution,
                &format!(
                    "! {} left by an interrupted save (ignored)",
                    plural(n, "temporary file")
                )
            )
        )?;
    }
    Ok(())
}

/// The files of bytes set aside beside the data: each one's name, size and date, and
/// how to look at it.
fn print_set_aside(out: &mut impl Write, files: &[doctor::SetAside]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        style::paint(
            Tone::Caution,
            "! Set aside beside your data (exback never deletes these files):"
        )
    )?;
    for file in files {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let date = file.written.map_or_else(
            || "date unknown".to_string(),
            |t| {
                chrono::DateTime::<chrono::Local>::from(t)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            },
        );
        writeln!(
            out,
            "    {name}  {}, {date}",
            plural(usize::try_from(file.bytes).unwrap_or(usize::MAX), "byte")
        )?;
    }
    writeln!(
        out,
        "{}",
        style::paint(
            Tone::Dim,
            &format!(
                "    Look at one with `less {}/NAME` (in an encrypted directory its lines \
                 stay sealed); once nothing in it is needed, remove it yourself.",
                files[0]
                    .path
                    .parent()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default()
            )
        )
    )
}

/// The records a log holds twice, and the ids different records share.
fn print_duplicates(out: &mut impl Write, found: &doctor::Duplicates) -> io::Result<()> {
    let lines = |numbers: &mut dyn Iterator<Item = usize>| {
        let numbers: Vec<String> = numbers.map(|n| n.to_string()).collect();
        let more = numbers.len().saturating_sub(10);
        let mut text = numbers.into_iter().take(10).collect::<Vec<_>>().join(", ");
        if more > 0 {
            let _ = write!(text, " and {more} more");
        }
        text
    };
    if !found.copies.is_empty() {
        let text = format!(
            "    {} of records held on earlier lines (read once everywhere): line {}",
            extra_copies(found.copies.len()),
            lines(&mut found.copies.iter().map(|(copy, _)| *copy))
        );
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    for (id, records) in found.shared.iter().take(10) {
        let text = format!(
            "    id {id} is held by {} different records (each is read): line {}",
            records.len(),
            lines(&mut records.iter().copied())
        );
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    if found.shared.len() > 10 {
        let text = format!("    … and {} more shared ids", found.shared.len() - 10);
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    Ok(())
}

/// What the repair did about records held twice and ids held by different records.
fn print_duplicates_repaired(
    out: &mut impl Write,
    done: &[(std::path::PathBuf, usize, usize)],
) -> io::Result<()> {
    for (aside, copies, renamed) in done {
        let mut what = Vec::new();
        if *copies > 0 {
            what.push(format!("Moved {} aside", extra_copies(*copies)));
        }
        if *renamed > 0 {
            what.push(format!(
                "{} {} sharing an id a new id",
                if what.is_empty() { "Gave" } else { "gave" },
                plural(*renamed, "record")
            ));
        }
        let text = format!(
            "{}; the lines as they were are in {}",
            what.join(" and "),
            aside.display()
        );
        writeln!(out, "{}", style::paint(Tone::Good, &text))?;
    }
    Ok(())
}

fn extra_copies(n: usize) -> String {
    if n == 1 {
        "1 extra copy".to_string()
    } else {
        format!("{n} extra copies")
    }
}
