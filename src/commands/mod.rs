//! One module per subcommand, each with one `run`, and what they share: the data
//! directory, the workbook, the clock, the prompter and reading the small logs.

pub(crate) mod clock;
pub(crate) mod completions;
pub(crate) mod contact;
pub(crate) mod content;
pub(crate) mod delete;
pub(crate) mod doctor;
pub(crate) mod draft;
pub(crate) mod edit;
pub(crate) mod encrypt;
pub(crate) mod export;
pub(crate) mod git;
pub(crate) mod import;
pub(crate) mod log;
pub(crate) mod mood;
pub(crate) mod next;
pub(crate) mod outcome;
pub(crate) mod passphrase;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod steps;
pub(crate) mod support;
pub(crate) mod urge;
pub(crate) mod welcome;
pub(crate) mod write;

use std::io;
use std::path::PathBuf;

use crate::cli::{Cli, ColorChoice, Command};
use crate::journal::{Entry, Item, Store};
use crate::ui::lines::LinePrompter;
use crate::ui::terminal::{self, TerminalPrompter};
use crate::ui::{Answer, PromptError, Prompter, Question, Tone, style};
use crate::workbook::{Screens, Workbook};
use crate::{interrupt, limits, paths, ui};
use clock::SystemClock;

/// What every command needs: where the data is and which workbook to use.
pub(crate) struct Context {
    data_dir: Option<PathBuf>,
    content_dir: Option<PathBuf>,
}

impl Context {
    /// Opens the data directory (creating it, private, if needed), unlocked with the
    /// passphrase when it is encrypted.
    pub(crate) fn store(&self) -> anyhow::Result<Store> {
        let store = self.locked_store()?;
        encrypt::unlock(&store)?;
        fold_copies(self, &store);
        Ok(store)
    }

    /// Opens the data directory without unlocking it (`doctor` checks its structure
    /// without the passphrase; `encrypt` and friends unlock it themselves).
    pub(crate) fn locked_store(&self) -> anyhow::Result<Store> {
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
    pub(crate) fn workbook(&self) -> anyhow::Result<Workbook> {
        Ok(match paths::content_dir(self.content_dir.clone()) {
            Some(dir) => Workbook::from_dir(&dir)?,
            None => Workbook::embedded()?,
        })
    }

    /// The words of the screens: a content folder's if one was given (the whole folder
    /// is loaded and checked, as for any command), else the built-in `screens.toml`
    /// alone, which is quick to read.
    pub(crate) fn screens(&self) -> anyhow::Result<Screens> {
        Ok(match paths::content_dir(self.content_dir.clone()) {
            Some(dir) => Workbook::from_dir(&dir)?.screens,
            None => Workbook::embedded_screens()?,
        })
    }

    /// [`Context::screens`], or the built-in words when a content folder cannot be
    /// loaded: the commands that keep the journal (`doctor`, `encrypt`, `decrypt`,
    /// `log`, the merge of conflict copies) work whatever the pack holds.
    pub(crate) fn screens_or_builtin(&self) -> anyhow::Result<Screens> {
        self.screens()
            .or_else(|_| Ok(Workbook::embedded_screens()?))
    }

    /// The clock: the system's, unless `EXBACK_NOW` pins it. It lives on the context so
    /// that every command takes its clock where it takes its data and its workbook.
    #[allow(clippy::unused_self)]
    pub(crate) fn clock(&self) -> anyhow::Result<SystemClock> {
        Ok(SystemClock::from_env()?)
    }
}

/// Merges the conflict copies a sync tool left in the data directory (docs/sync.md),
/// one line each on standard error. What cannot be merged is said and left as it is:
/// the command goes on with the files as they are.
fn fold_copies(ctx: &Context, store: &Store) {
    match crate::journal::repair::merge::fold(store, false) {
        Ok(done) if done.is_empty() => {}
        Ok(done) => {
            // The copies are merged already, so this is said whatever the content folder
            // holds: in the built-in words when that folder cannot be read.
            match ctx.screens_or_builtin() {
                Ok(screens) => {
                    for folded in &done {
                        say(Tone::Body, &describe_fold(&screens.fold, folded));
                    }
                }
                Err(e) => say(Tone::Caution, &format!("warning: {e}")),
            }
        }
        Err(e) => say(
            Tone::Caution,
            &format!("warning: the conflict copies in the data directory were not merged: {e}"),
        ),
    }
}

/// One line about a folded (or, in a dry run, foldable) conflict copy.
pub(crate) fn describe_fold(
    words: &crate::workbook::screens::FoldWords,
    f: &crate::journal::repair::merge::Folded,
) -> String {
    use crate::workbook::fill;
    let count = |n: usize, one: &str, many: &str| crate::workbook::count(n, one, many, &[]);
    let counts = match f.into {
        "progress.json" if f.unreadable > 0 => words.progress_unreadable.clone(),
        "progress.json" => words.progress.clone(),
        _ => {
            let records = count(f.added, &words.record_one, &words.records);
            let updated = f.updated.to_string();
            if f.unreadable > 0 {
                let lines = count(f.unreadable, &words.line_one, &words.lines);
                fill(
                    &words.counts_unreadable,
                    &[("records", &records), ("n", &updated), ("lines", &lines)],
                )
            } else {
                fill(&words.counts, &[("records", &records), ("n", &updated)])
            }
        }
    };
    // The names last: a file name is filled in as it is, braces and all.
    let name = crate::escapes::printable(&f.copy);
    let fixed = [
        ("counts", counts.as_str()),
        ("maker", f.tool.maker()),
        ("into", f.into),
    ];
    match &f.aside {
        Some(aside) => {
            let aside =
                crate::escapes::printable(&aside.file_name().unwrap_or_default().to_string_lossy())
                    .into_owned();
            let text = fill(&words.merged, &fixed);
            fill(&text, &[("aside", &aside), ("name", &name)])
        }
        None => fill(&fill(&words.would_merge, &fixed), &[("name", &name)]),
    }
}

/// "1 record", "2 records".
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Runs `f` with the terminal prompter when stdin and stderr are terminals, else with
/// the prompter that reads piped lines, either speaking with the words of `screens`.
/// The flag says which. Either way, once Ctrl-C is pressed no further question is asked
/// and an answer given meanwhile is not used.
pub(crate) fn with_prompter<T>(
    screens: &Screens,
    f: impl FnOnce(&mut dyn Prompter, bool) -> T,
) -> T {
    if terminal::is_interactive() {
        f(&mut Watched(&mut TerminalPrompter::new(screens)), true)
    } else {
        f(
            &mut Watched(&mut LinePrompter::new(
                crate::limits::stdin::stdin(),
                Box::new(io::stderr()),
                screens.plain.clone(),
            )),
            false,
        )
    }
}

/// A prompter that answers [`PromptError::Interrupted`] once Ctrl-C was pressed, before
/// asking and after: the Ctrl-C may have come while the terminal was not in the prompt's
/// raw mode (between two key presses, or during a save), where no prompt sees it.
///
/// Every text it is given to show (content-pack text, stored text quoted back) is made
/// [`crate::escapes::printable`] on the way through, whichever prompter shows it. The text an
/// answer starts from (`adapt`) is the user's own and is left to the editor.
struct Watched<'a>(&'a mut dyn Prompter);

impl Watched<'_> {
    fn ask<T>(
        &mut self,
        q: &Question<'_>,
        question: impl FnOnce(&mut dyn Prompter, &Question<'_>) -> Answer<T>,
    ) -> Answer<T> {
        if interrupt::requested() {
            return Err(PromptError::Interrupted);
        }
        let (text, help) = (
            crate::escapes::printable(q.text),
            q.help.map(crate::escapes::printable),
        );
        let answer = question(&mut *self.0, &Question::with_help(&text, help.as_deref()));
        if interrupt::requested() {
            return Err(PromptError::Interrupted);
        }
        answer
    }
}

/// Every option made printable; an option keeps its place, so the answer's index is
/// unchanged.
fn printable_all<'a>(options: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    options
        .iter()
        .map(|o| crate::escapes::printable(o))
        .collect()
}

impl Prompter for Watched<'_> {
    fn show(&mut self, tone: Tone, text: &str) {
        self.0.show(tone, &crate::escapes::printable(text));
    }
    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        self.ask(q, |p, q| p.text(q))
    }
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        self.ask(q, |p, q| p.long_text(q))
    }
    fn confirm(&mut self, q: &Question<'_>) -> Answer<bool> {
        self.ask(q, |p, q| p.confirm(q))
    }
    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        let options = printable_all(options);
        let options: Vec<&str> = options.iter().map(AsRef::as_ref).collect();
        self.ask(q, |p, q| p.select(q, &options))
    }
    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
        let (low, high) = (
            crate::escapes::printable(low),
            crate::escapes::printable(high),
        );
        self.ask(q, |p, q| p.scale(q, &low, &high))
    }
    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>> {
        let (low, high) = (
            crate::escapes::printable(low),
            crate::escapes::printable(high),
        );
        let skip = crate::escapes::printable(skip);
        self.ask(q, |p, q| p.optional_scale(q, &low, &high, &skip))
    }
    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
        let options = printable_all(options);
        let options: Vec<&str> = options.iter().map(AsRef::as_ref).collect();
        self.ask(q, |p, q| p.checklist(q, &options))
    }
    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        self.ask(q, |p, q| p.adapt(q, initial))
    }
}

/// Asks one yes/no question on the terminal, for commands that confirm before acting
/// (`delete`, `doctor --repair`), with the key hints of `screens`; Esc is "no", Ctrl-C
/// stops with `interrupted` said.
pub(crate) fn confirm_on_terminal(
    screens: &Screens,
    question: &str,
    interrupted: &str,
) -> anyhow::Result<bool> {
    match Watched(&mut TerminalPrompter::new(screens)).confirm(&Question::new(question)) {
        Ok(yes) => Ok(yes),
        Err(PromptError::Stopped) => Ok(false),
        Err(PromptError::Interrupted) => {
            Err(interrupt::Exit::interrupted_saying(interrupted).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The text of a new entry: the argument if one was given, else standard input when it
/// is piped, else the user's editor opened below `header` (with Ctrl-C left to the
/// editor). `write` and `draft` both take their text this way. `words` gives the
/// words around the wait, only when there is one: a text given as an argument is saved
/// without reading any content.
pub(crate) fn text_from(
    argument: Option<String>,
    words: impl FnOnce() -> anyhow::Result<TextWords>,
) -> anyhow::Result<String> {
    use std::io::IsTerminal as _;
    if let Some(text) = argument {
        Ok(text)
    } else if !io::stdin().is_terminal() {
        read_stdin(&words()?.stopped)
    } else {
        let words = words()?;
        Ok(ui::editor::edit(&words.header, &words.note, "")?)
    }
}

/// The words around the wait for a new entry's text (see [`text_from`]).
pub(crate) struct TextWords {
    /// The first line of the editor's file.
    pub(crate) header: String,
    /// Under it, how the editor's file is read.
    pub(crate) note: String,
    /// Said when Ctrl-C stops the wait for piped text.
    pub(crate) stopped: String,
}

/// Reads all of standard input as UTF-8 text, at most one answer's worth
/// ([`limits::ANSWER`]); Ctrl-C while it waits stops the command, saying `stopped`.
fn read_stdin(stopped: &str) -> anyhow::Result<String> {
    let bytes = stdin_bytes(limits::ANSWER, &format!("\n{stopped}"))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "standard input is not valid UTF-8 text (first bad byte at offset {}); nothing was saved",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads all of standard input, refusing it past `limit`. Ctrl-C while it is read (or
/// waited for: a pipe whose writer stays open) stops the command with `interrupted` said.
pub(crate) fn stdin_bytes(limit: limits::Limit, interrupted: &str) -> anyhow::Result<Vec<u8>> {
    match limits::read(&mut crate::limits::stdin::stdin(), limit) {
        Ok(bytes) => Ok(bytes),
        Err(e) if crate::limits::stdin::is_interrupted(&e) => {
            Err(interrupt::Exit::interrupted_saying(interrupted).into())
        }
        Err(e) => Err(anyhow::Error::new(e).context("cannot read standard input")),
    }
}

/// Writes one line to standard output, passing a closed pipe back as an error (which
/// `main` turns into a quiet exit) where `println!` would panic.
pub(crate) fn print_line(line: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write as _;
    writeln!(io::stdout().lock(), "{line}")?;
    Ok(())
}

/// Writes `value` as pretty JSON and a line break: what every `--json` prints. The
/// characters that could drive a terminal are escaped (see [`crate::escapes::json_printable`]).
pub(crate) fn write_json(
    out: &mut impl io::Write,
    value: &impl serde::Serialize,
) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(value)?;
    writeln!(out, "{}", crate::escapes::json_printable(&json))?;
    Ok(())
}

/// Every record of a small log, warning about (and skipping) damaged lines.
pub(crate) fn read_all<T>(
    items: impl Iterator<Item = io::Result<Item<T>>>,
) -> anyhow::Result<Vec<T>> {
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
pub(crate) fn warn_damaged(d: &crate::journal::Damage) {
    eprintln!(
        "{}",
        style::paint_stderr(
            Tone::Caution,
            &format!("warning: {d}; it is skipped and left as it is (see `exback doctor`)"),
            style::width()
        )
    );
}

/// Says something on stderr, wrapped and in a tone.
pub(crate) fn say(tone: Tone, text: &str) {
    eprintln!("{}", style::paint_stderr(tone, text, style::width()));
}

/// The one entry whose id is `prefix` or starts with it.
pub(crate) fn find_entry(store: &Store, prefix: &str) -> anyhow::Result<Entry> {
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
        // Copies of one record are read as one entry; these differ.
        n if found.iter().all(|e| e.id == prefix) => anyhow::bail!(
            "{n} different entries share the id {prefix} (`exback log` lists each); \
             `exback doctor --repair` gives all but the first a new id of its own"
        ),
        n => anyhow::bail!("{n} entries have ids starting with {prefix}; give more of the id"),
    }
}

/// Like [`find_entry`], for `edit` and `delete`: an entry from a newer exback is refused.
pub(crate) fn find_changeable_entry(store: &Store, prefix: &str) -> anyhow::Result<Entry> {
    let entry = find_entry(store, prefix)?;
    if entry.v > crate::journal::entry::ENTRY_VERSION {
        anyhow::bail!(
            "entry {} was written by a newer exback; it is read-only here",
            entry.id
        );
    }
    Ok(entry)
}

/// Runs the parsed command line. How it ended decides the exit code, in `main`
/// ([`interrupt::Exit::of`]): Ctrl-C comes back as an [`interrupt::Exit`] of 130 even
/// when the command finished its work first.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    // However the command ends, the terminal is left as it was found.
    let _restore = terminal::Restore;
    let plain = terminal::set_plain(cli.plain);
    ui::style::set_color(match cli.color {
        // Plain output has no escape codes at all, colour included.
        _ if plain => Some(false),
        ColorChoice::Auto => None,
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
    });
    interrupt::install();
    let ctx = Context {
        data_dir: cli.data_dir,
        content_dir: cli.content_dir,
    };
    let recorded = cli.command.as_ref().map_or(Some("start"), git::recorded_as);
    let done = match cli.command {
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
        Some(Command::Content(args)) => content::run(&ctx, &args),
        Some(Command::Contact(args)) => contact::run(&ctx, &args),
        Some(Command::Draft(args)) => draft::run(&ctx, &args),
        Some(Command::Mood(args)) => mood::run(&ctx, &args),
        Some(Command::Urge) => urge::run(&ctx),
        Some(Command::Support(args)) => support::run(&ctx, &args),
        Some(Command::Status(args)) => status::run(&ctx, &args),
        Some(Command::Outcome(args)) => outcome::run(&ctx, &args),
        Some(Command::Encrypt) => encrypt::encrypt(&ctx),
        Some(Command::Decrypt) => encrypt::decrypt(&ctx),
        Some(Command::Passphrase) => passphrase::run(&ctx),
        Some(Command::Git(args)) => git::run(&ctx, &args),
        Some(Command::MergeFile(args)) => git::merge_file(&args),
    };
    // In a git data directory every change is committed, whatever way the command ended.
    if let Some(name) = recorded
        && let Ok(dir) = paths::data_dir(ctx.data_dir.clone())
        && let Err(e) = git::commit(&dir, name)
    {
        say(
            Tone::Caution,
            &format!("warning: the change was not committed to git: {e:#}"),
        );
    }
    done?;
    interrupt::check()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it is given to show and ask, and gives fixed answers.
    #[derive(Default)]
    struct Recorder(Vec<String>);

    impl Recorder {
        fn note(&mut self, q: &Question<'_>, more: &[&str]) {
            self.0.push(q.text.to_string());
            self.0.extend(q.help.map(str::to_string));
            self.0.extend(more.iter().map(|s| (*s).to_string()));
        }
    }

    impl Prompter for Recorder {
        fn show(&mut self, _: Tone, text: &str) {
            self.0.push(text.to_string());
        }
        fn text(&mut self, q: &Question<'_>) -> Answer<String> {
            self.note(q, &[]);
            Ok(String::new())
        }
        fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
            self.note(q, &[]);
            Ok(String::new())
        }
        fn confirm(&mut self, q: &Question<'_>) -> Answer<bool> {
            self.note(q, &[]);
            Ok(true)
        }
        fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
            self.note(q, options);
            Ok(1)
        }
        fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
            self.note(q, &[low, high]);
            Ok(5)
        }
        fn optional_scale(
            &mut self,
            q: &Question<'_>,
            low: &str,
            high: &str,
            skip: &str,
        ) -> Answer<Option<u8>> {
            self.note(q, &[low, high, skip]);
            Ok(None)
        }
        fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
            self.note(q, options);
            Ok(vec![0, 1])
        }
        fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
            self.note(q, &[]);
            Ok(initial.to_string())
        }
    }

    /// Every text the flow hands the prompter (content-pack text included) reaches it
    /// printable, whichever question it is part of; answers come back unchanged.
    #[test]
    fn every_text_shown_or_asked_is_printable() {
        let h = "a\u{1b}]52;c;aGVsbG8=\u{7}b\u{9b}c\u{202e}d";
        let shown = "a^[]52;c;aGVsbG8=^Gb<U+009B>c<U+202E>d";
        let mut recorder = Recorder::default();
        let q = Question::with_help(h, Some(h));
        {
            let mut p = Watched(&mut recorder);
            p.show(Tone::Heading, h);
            p.text(&q).unwrap();
            p.long_text(&q).unwrap();
            p.confirm(&q).unwrap();
            assert_eq!(p.select(&q, &["x", h]).unwrap(), 1);
            p.scale(&q, h, h).unwrap();
            p.optional_scale(&q, h, h, h).unwrap();
            assert_eq!(p.checklist(&q, &[h, "y"]).unwrap(), [0, 1]);
            assert_eq!(p.adapt(&q, "kept as typed").unwrap(), "kept as typed");
        }
        let texts = recorder.0;
        assert_eq!(texts.len(), 1 + 2 * 8 + 2 + 2 + 3 + 2);
        for text in &texts {
            assert!(
                text == shown || text == "x" || text == "y",
                "{text:?} reached the prompter"
            );
        }
    }
}
