//! `exback import FILE`: entries from an exback export or a jrnl JSON export.

use anyhow::Context as _;

use crate::cli::ImportArgs;
use crate::journal::transfer;
use crate::limits;

use super::Context;

/// What is said when Ctrl-C stops an import.
const STOPPED: &str = "\nStopped. Nothing was imported.";

pub(crate) fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    // Read within the import limit (a file too large is refused from its size alone),
    // and Ctrl-C or SIGTERM ends the read at once.
    let (name, bytes) = if args.file.as_os_str() == "-" {
        let bytes = super::stdin_bytes(limits::IMPORT, STOPPED)?;
        ("standard input".to_string(), bytes)
    } else {
        let bytes = match limits::read_path(&args.file, limits::IMPORT) {
            Err(e) if crate::ui::stdin::is_interrupted(&e) => {
                return Err(crate::interrupt::Exit::interrupted_saying(STOPPED).into());
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
            return Err(crate::interrupt::Exit::interrupted_saying(STOPPED).into());
        }
        done => done.with_context(|| format!("cannot import {name}"))?,
    };
    // Said while Ctrl-C is still held off: a Ctrl-C pressed during the import then
    // stops exback only after this says what was imported.
    let done = &committed.done;
    super::print_line(format_args!(
        "Imported {} entr{} from {} ({} export); skipped {} already present.",
        done.imported,
        if done.imported == 1 { "y" } else { "ies" },
        name,
        done.source,
        done.skipped
    ))?;
    if done.empty > 0 {
        super::print_line(format_args!(
            "Left out {} with no text (a blank entry is never saved).",
            if done.empty == 1 {
                "1 entry".to_string()
            } else {
                format!("{} entries", done.empty)
            }
        ))?;
    }
    for s in &done.shifted {
        super::print_line(format_args!(
            "Entry {}: {} does not exist on this clock (daylight saving skipped it); saved at {}.",
            s.entry, s.written, s.saved
        ))?;
    }
    if done.log_records > 0 {
        super::print_line(format_args!("Added {} other record(s).", done.log_records))?;
    }
    if done.progress_restored {
        super::print_line("Restored your progress through the steps.")?;
    }
    if done.progress_kept {
        super::print_line(
            "Kept the progress already here; the progress in the file was not used.",
        )?;
    }
    drop(committed);
    Ok(())
}
