//! `exback export`: everything, as JSON to import again, as Markdown to read, or as one
//! HTML page with a mood chart and a contact timeline. A file given with -o is written
//! like the store writes its own (temp file, fsync, rename), and never inside the data
//! directory.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::cli::{ExportArgs, ExportFormat};
use crate::journal;
use crate::journal::transfer;
use crate::journal::{Item, Progress, Store};
use crate::page::{self, Journey, Range};
use crate::session::{self, Clock};
use crate::ui::render;
use crate::workbook::Workbook;

use super::{Context, read_all, warn_damaged};

pub(crate) fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<()> {
    // Read first: a content folder that cannot be read stops here, before any export.
    let words = match &args.output {
        Some(_) => Some(ctx.screens()?.export),
        None => None,
    };
    let store = ctx.store()?;
    let target = args
        .output
        .as_deref()
        .map(|path| checked_target(path, store.dir()))
        .transpose()?;
    if args.format != ExportFormat::Html
        && (args.since.is_some() || args.until.is_some() || args.step.is_some())
    {
        anyhow::bail!(
            "--since, --until and --step choose what the HTML page holds; add --format html (JSON and Markdown exports hold everything)"
        );
    }
    let produce_plain = |out: &mut dyn Write| -> anyhow::Result<usize> {
        Ok(match args.format {
            ExportFormat::Json => transfer::export_json(&store, out)?.damaged,
            ExportFormat::Markdown => markdown(&store, &ctx.workbook()?, out)?,
            ExportFormat::Html => {
                let (html, damaged) = html(ctx, &store, args)?;
                out.write_all(html.as_bytes())?;
                damaged
            }
        })
    };
    // From an encrypted directory the export is encrypted too (age, same passphrase),
    // unless --plaintext asks otherwise; a page to open in a browser needs --plaintext.
    let encrypt_for = if args.plaintext {
        None
    } else {
        super::encrypt::unlock(&store)?.map(|key| key.passphrase().clone())
    };
    if encrypt_for.is_some() && args.format == ExportFormat::Html {
        anyhow::bail!(
            "your journal is encrypted, and a browser cannot open an encrypted page; add --plaintext \
             to write the page as plain text (anyone who can read the file can read it)"
        );
    }
    let produce = |out: &mut dyn Write| -> anyhow::Result<usize> {
        let Some(passphrase) = &encrypt_for else {
            return produce_plain(out);
        };
        let mut plain = zeroize::Zeroizing::new(Vec::new());
        let damaged = produce_plain(&mut *plain)?;
        out.write_all(&journal::store::seal::encrypt_file(passphrase, &plain)?)?;
        Ok(damaged)
    };
    let damaged = match (&args.output, &target) {
        (Some(path), Some(target)) => to_file(path, target, produce)?,
        _ => to_stdout(produce)?,
    };
    if damaged > 0 {
        eprintln!(
            "warning: {damaged} damaged line(s) could not be exported; `exback doctor` shows where they are"
        );
    }
    if let (Some(path), Some(words)) = (&args.output, &words) {
        let said = if encrypt_for.is_none() {
            &words.plain
        } else if args.format == ExportFormat::Json {
            // Only a JSON export is something `exback import` takes back.
            &words.encrypted_json
        } else {
            &words.encrypted
        };
        eprintln!(
            "{}",
            crate::workbook::fill(said, &[("path", &path.display().to_string())])
        );
    }
    Ok(())
}

/// Writes the export to `target` in one step (see [`journal::write_outside_atomically`]);
/// on any failure the file there stays as it was. Returns the damaged lines left out.
fn to_file(
    path: &Path,
    target: &Path,
    produce: impl FnOnce(&mut dyn Write) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    let mut damaged = 0;
    let mut failure = None;
    let written = journal::write_outside_atomically(target, |out| {
        produce(out).map(|n| damaged = n).map_err(|e| {
            failure = Some(e);
            io::Error::other("the export could not be made")
        })
    });
    if let Some(e) = failure {
        return Err(e.context(format!("{} was left as it was", path.display())));
    }
    written.with_context(|| format!("cannot write {}", path.display()))?;
    Ok(damaged)
}

/// Writes the export to standard output. A reader that stops early (`exback export |
/// head`) comes back as a closed pipe, which `main` ends quietly (see `Exit::of`).
fn to_stdout(
    produce: impl FnOnce(&mut dyn Write) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let damaged = produce(&mut out).context("cannot write the export")?;
    out.flush().context("cannot write the export")?;
    Ok(damaged)
}

/// The file an export to `output` really replaces (a symbolic link is followed, so the
/// link stays and its target gets the export), checked before anything is opened: it
/// must not be anything in the data directory (reached directly, relatively, by `..` or
/// through a link), where it would replace the journal or the progress it was made
/// from, and it must be a regular file if it exists (not a device or a pipe).
fn checked_target(output: &Path, data_dir: &Path) -> anyhow::Result<PathBuf> {
    let target = resolve(output);
    if target.starts_with(resolve(data_dir)) {
        anyhow::bail!(
            "{} is inside the data directory ({}), where exback keeps your journal; choose a file outside it",
            output.display(),
            data_dir.display()
        );
    }
    if let Ok(meta) = std::fs::metadata(&target)
        && !meta.is_file()
    {
        anyhow::bail!(
            "{} is not a regular file; to send the export somewhere else, leave out -o and redirect standard output",
            output.display()
        );
    }
    Ok(target)
}

/// Where `path` really is: links followed as far as they exist, relative to the current
/// folder, `.` and `..` worked out.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(real) = std::fs::canonicalize(&absolute) {
        return real;
    }
    // Not there yet: resolve the folder it would be written in, then add the name.
    let normal = normalize(&absolute);
    match (normal.parent(), normal.file_name()) {
        (Some(parent), Some(name)) if parent != normal => resolve(parent).join(name),
        _ => normal,
    }
}

/// `.` and `..` removed without looking at the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The page, and the number of damaged lines left out of it.
fn html(ctx: &Context, store: &Store, args: &ExportArgs) -> anyhow::Result<(String, usize)> {
    let workbook = ctx.workbook()?;
    let now = ctx.clock()?.now();
    let range = range(args, now.date_naive(), &workbook)?;
    let progress = store.progress()?;
    let in_range = |day: NaiveDate| {
        range.since.is_none_or(|s| day >= s) && range.until.is_none_or(|u| day <= u)
    };
    let mut entries = Vec::new();
    let mut damaged = 0;
    for item in store.oldest_first()? {
        match item? {
            Item::Entry(entry) => {
                if in_range(entry.at.date_naive())
                    && range.step.is_none_or(|n| entry.step == Some(n))
                {
                    entries.push(*entry);
                }
            }
            Item::Damaged(d) => {
                warn_damaged(&d);
                damaged += 1;
            }
        }
    }
    let mut moods = read_all(store.moods_newest_first()?)?;
    moods.retain(|m| in_range(m.at.date_naive()));
    moods.sort_by_key(|m| m.at);
    let mut contacts = read_all(store.contacts()?)?;
    contacts.retain(|c| in_range(c.at.date_naive()));
    contacts.sort_by_key(|c| c.at);
    entries.sort_by_key(|e| e.at);
    let journey = Journey {
        workbook: &workbook,
        progress: &progress,
        entries: &entries,
        moods: &moods,
        contacts: &contacts,
        range,
        now,
    };
    Ok((page::render(&journey), damaged))
}

fn range(args: &ExportArgs, today: NaiveDate, workbook: &Workbook) -> anyhow::Result<Range> {
    let (since, until) = super::log::bounds(
        args.since.as_deref(),
        args.until.as_deref(),
        args.step,
        today,
        || Ok(workbook),
    )?;
    Ok(Range {
        since,
        until,
        step: args.step,
    })
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
            o.breakup_date,
            crate::escapes::printable(&o.breakup_said)
        )?;
        let ended = workbook
            .welcome
            .onboarding
            .ended_by_options
            .iter()
            .find(|c| c.id == o.ended_by.id())
            .map_or("", |c| c.label.as_str());
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
            status.label(workbook)
        )?;
    }
    writeln!(out)
}
