//! One module per subcommand, each with one `run`.

pub mod completions;
pub mod delete;
pub mod doctor;
pub mod edit;
pub mod export;
pub mod import;
pub mod log;
pub mod next;
pub mod show;
pub mod steps;
pub mod welcome;
pub mod write;

use std::path::PathBuf;

use crate::cli::{Cli, ColorChoice, Command};
use crate::journal::{Entry, Store};
use crate::workbook::Workbook;
use crate::{interrupt, paths, ui};

/// What every command needs: where the data is and which workbook to use.
pub struct Context {
    data_dir: Option<PathBuf>,
    content_dir: Option<PathBuf>,
}

impl Context {
    /// Opens the data directory (creating it, private, if needed).
    pub fn store(&self) -> anyhow::Result<Store> {
        let dir = paths::data_dir(self.data_dir.clone())?;
        let store = Store::open(&dir);
        if store.readable_by_others() {
            eprintln!(
                "{}",
                ui::style::paint(
                    ui::Tone::Caution,
                    &format!(
                        "warning: {} can be read by other users of this machine; `chmod 700` it to keep your journal private",
                        dir.display()
                    )
                )
            );
        }
        Ok(store)
    }

    /// The workbook: a content folder if one was given, else the built-in one.
    pub fn workbook(&self) -> anyhow::Result<Workbook> {
        Ok(match paths::content_dir(self.content_dir.clone()) {
            Some(dir) => Workbook::from_dir(&dir)?,
            None => Workbook::embedded()?,
        })
    }
}

/// The one entry whose id is `prefix` or starts with it.
pub fn find_entry(store: &Store, prefix: &str) -> anyhow::Result<Entry> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        anyhow::bail!(
            "{prefix:?} is not an entry id: ids are hex digits, as shown by `exback log`"
        );
    }
    let mut found = store.find(&prefix)?;
    match found.len() {
        0 => anyhow::bail!(
            "no entry has an id starting with {prefix}; `exback log --short` lists the ids"
        ),
        1 => Ok(found.remove(0)),
        n => anyhow::bail!("{n} entries have ids starting with {prefix}; give more of the id"),
    }
}

/// True when an error is only a closed pipe (`exback log | head`): not worth a message.
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    ui::style::set_color(match cli.color {
        ColorChoice::Auto => None,
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
    });
    interrupt::install();
    let ctx = Context {
        data_dir: cli.data_dir,
        content_dir: cli.content_dir,
    };
    match cli.command {
        None => welcome::run(&ctx),
        Some(Command::Next(args)) => next::run(&ctx, &args),
        Some(Command::Steps(args)) => steps::run(&ctx, &args),
        Some(Command::Log(args)) => log::run(&ctx, &args),
        Some(Command::Write(args)) => write::run(&ctx, &args),
        Some(Command::Doctor(args)) => doctor::run(&ctx, &args),
        Some(Command::Show(args)) => show::run(&ctx, &args),
        Some(Command::Edit(args)) => edit::run(&ctx, &args),
        Some(Command::Delete(args)) => delete::run(&ctx, &args),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Import(args)) => import::run(&ctx, &args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Man) => completions::man(),
    }
}
