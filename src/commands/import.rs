//! `exback import FILE`: entries from an exback export or a jrnl JSON export.

use anyhow::Context as _;

use crate::cli::ImportArgs;
use crate::journal::transfer;
use crate::journal::transfer::Imported;
use crate::limits;
use crate::workbook::screens::ImportWords;
use crate::workbook::{count, fill};

use super::Context;

pub(crate) fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let words = &workbook.screens.import;
    // What is said when Ctrl-C stops an import.
    let stopped = format!("\n{}", words.stopped);
    let stopped = stopped.as_str();
    let store = ctx.store()?;
    // Read within the import limit (a file too large is refused from its size alone),
    // and Ctrl-C or SIGTERM ends the read at once.
    let (name, bytes) = if args.file.as_os_str() == "-" {
        let bytes = super::stdin_bytes(limits::IMPORT, stopped)?;
        (words.standard_input.clone(), bytes)
    } else {
        let bytes = match limits::read_path(&args.file, limits::IMPORT) {
            Err(e) if crate::limits::stdin::is_interrupted(&e) => {
                return Err(crate::interrupt::Exit::interrupted_saying(stopped).into());
            }
            read => read.with_context(|| format!("cannot read {}", args.file.display()))?,
        };
        (args.file.display().to_string(), bytes)
    };
    // An encrypted export (age) is opened with the directory's passphrase, or asked for.
    let bytes = if bytes.starts_with(crate::journal::store::seal::AGE_HEADER) {
        let passphrase = match super::encrypt::unlock(&store)? {
            Some(key) => key.passphrase().clone(),
            None => crate::ui::passphrase::obtain(crate::ui::passphrase::Purpose::Unlock)?,
        };
        crate::journal::store::seal::decrypt_file(&passphrase, &bytes)
            .with_context(|| format!("cannot open {name}, an encrypted export"))?
    } else {
        bytes
    };
    crate::interrupt::check()?;
    let committed = match transfer::import(&store, &bytes) {
        Err(transfer::ImportError::Interrupted) => {
            return Err(crate::interrupt::Exit::interrupted_saying(stopped).into());
        }
        done => done.with_context(|| format!("cannot import {name}"))?,
    };
    // Said while Ctrl-C is still held off: a Ctrl-C pressed during the import then
    // stops exback only after this says what was imported.
    say_imported(words, &committed.done, &name)?;
    drop(committed);
    Ok(())
}

/// What an import brought in, line by line; `name` is the file (or standard input).
fn say_imported(words: &ImportWords, done: &Imported, name: &str) -> anyhow::Result<()> {
    let imported = count(
        done.imported,
        &words.imported_one,
        &words.imported,
        &[
            ("skipped", &done.skipped.to_string()),
            ("source", done.source),
        ],
    );
    // The file's name last: it is filled in as it is, braces and all.
    super::print_line(fill(&imported, &[("name", name)]))?;
    if done.empty > 0 {
        super::print_line(count(done.empty, &words.left_out_one, &words.left_out, &[]))?;
    }
    for s in &done.shifted {
        super::print_line(fill(
            &words.shifted,
            &[
                ("written", s.written.as_str()),
                ("saved", s.saved.as_str()),
                ("entry", &s.entry.to_string()),
            ],
        ))?;
    }
    if done.log_records > 0 {
        super::print_line(fill(
            &words.other_records,
            &[("n", &done.log_records.to_string())],
        ))?;
    }
    if done.progress_restored {
        super::print_line(&words.progress_restored)?;
    }
    if done.progress_kept {
        super::print_line(&words.progress_kept)?;
    }
    Ok(())
}
