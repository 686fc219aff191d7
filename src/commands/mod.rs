//! One module per subcommand, each with one `run`, and what they share: the data
//! directory, the workbook, the clock, the prompter and reading the small logs.

pub mod contact;
pub mod draft;
pub mod log;
pub mod mood;
pub mod next;
pub mod outcome;
pub mod status;
pub mod steps;
pub mod welcome;

use std::io;
use std::path::PathBuf;

use crate::cli::{Cli, ColorChoice, Command};
use crate::journal::{Item, Store};
use crate::session::SystemClock;
use crate::ui::lines::LinePrompter;
use crate::ui::terminal::{self, TerminalPrompter};
use crate::ui::{Prompter, Tone, style};
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

    /// The clock: the system's, unless `EXBACK_NOW` pins it.
    pub fn clock(&self) -> anyhow::Result<SystemClock> {
        SystemClock::from_env().map_err(anyhow::Error::msg)
    }
}

/// Runs `f` with the terminal prompter when stdin and stderr are terminals, else with
/// the prompter that reads piped lines. The flag says which.
pub fn with_prompter<T>(f: impl FnOnce(&mut dyn Prompter, bool) -> T) -> T {
    if terminal::is_interactive() {
        f(&mut TerminalPrompter::default(), true)
    } else {
        f(
            &mut LinePrompter::new(io::stdin().lock(), Box::new(io::stderr())),
            false,
        )
    }
}

/// Every record of a small log, warning about (and skipping) damaged lines.
pub fn read_all<T>(items: impl Iterator<Item = io::Result<Item<T>>>) -> anyhow::Result<Vec<T>> {
    let mut out = Vec::new();
    for item in items {
        match item? {
            Item::Entry(record) => out.push(*record),
            Item::Damaged(d) => warn_damaged(&d),
        }
    }
    Ok(out)
}

/// Warns on stderr about a line that does not parse, which is left as it is.
pub fn warn_damaged(d: &crate::journal::Damage) {
    eprintln!(
        "{}",
        style::paint_stderr(
            Tone::Caution,
            &format!("warning: {d}; this line is skipped and left as it is"),
            style::width()
        )
    );
}

/// Says something on stderr, wrapped and in a tone.
pub fn say(tone: Tone, text: &str) {
    eprintln!("{}", style::paint_stderr(tone, text, style::width()));
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
        Some(Command::Contact(args)) => contact::run(&ctx, &args),
        Some(Command::Draft(args)) => draft::run(&ctx, &args),
        Some(Command::Mood(args)) => mood::run(&ctx, &args),
        Some(Command::Status(args)) => status::run(&ctx, &args),
        Some(Command::Outcome(args)) => outcome::run(&ctx, &args),
    }
}
