//! The command line, as clap types, and the list of everyday commands its help and
//! the welcome share. No other logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::journal::{Channel, OutcomeKind, Who};
use crate::ui::render::Format;

const ENVIRONMENT: &str = "\
Environment:
  EXBACK_DATA_DIR     where your journal and progress live (same as --data-dir)
  EXBACK_CONTENT_DIR  a folder of workbook files to use instead of the built-in ones
  VISUAL, EDITOR      your editor, for long answers (an empty Enter opens it), `write`,
                      `draft` and `edit`
  PAGER               how long `exback log` output is paged (default: less -R)
  NO_COLOR            set to turn colour off; CLICOLOR_FORCE=1 forces it on; --color wins
  EXBACK_PLAIN        set to 1 for plain questions, line by line, with no escape codes
                      (same as --plain; TERM=dumb or no TERM does the same)";

/// The size limits of docs/storage.md ("Size limits"); an input past one is refused
/// and nothing is written.
const LIMITS: &str = "\
Size limits (past one, nothing is saved):
  an import 256 MiB, one answer or entry 16 MiB (piped, or from your editor),
  a passphrase file or command 64 KiB, one content file 4 MiB";

/// The everyday commands and what each is for: the one list shown by `exback` alone
/// (the welcome) and at the end of `exback --help`.
pub(crate) const EVERYDAY: [(&str, &str); 11] = [
    ("next", "continue where you left off"),
    ("status", "one screen: steps, pace, mood, what comes next"),
    ("steps", "the steps and where you are"),
    (
        "contact",
        "write down a contact with your ex (nothing is sent)",
    ),
    ("draft", "keep a message you want to send, unsent"),
    ("urge", "for the moment you want to contact them right now"),
    ("support", "who to talk to, and crisis lines, any time"),
    ("mood N", "check in with how you feel, 1 to 10"),
    ("outcome", "record where things stand"),
    ("log", "read back what you wrote"),
    ("write", "a free journal entry, outside the questions"),
];

/// One line of a command list: `  exback NAME  what it is for`, names in one column.
pub(crate) fn command_line(name: &str, what: &str) -> String {
    format!("  exback {name:<9} {what}")
}

fn after_help() -> String {
    let examples: Vec<String> = EVERYDAY
        .iter()
        .map(|(name, what)| command_line(name, what))
        .collect();
    format!(
        "{ENVIRONMENT}\n\n{LIMITS}\n\nExamples:\n{}\n\nExit codes: 0 ok, 1 error, 2 wrong usage, 130 stopped with Ctrl-C.",
        examples.join("\n")
    )
}

/// A guided workbook for trying, thoughtfully, to get back together after a breakup.
///
/// exback walks you through seven steps, one reflection question at a time, and keeps
/// what you write in a private journal on this machine. It makes no promise that
/// anything will work, and it never coaches contact someone asked not to have.
#[derive(Debug, Parser)]
#[command(name = "exback", version, after_help = after_help())]
pub struct Cli {
    /// Keep data in DIR instead of the standard data directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Use the workbook files in DIR instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub content_dir: Option<PathBuf>,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Ask line by line, with no colour or cursor movement (for screen readers and
    /// terminals that cannot draw; also when TERM is dumb or unset).
    #[arg(
        long,
        global = true,
        env = "EXBACK_PLAIN",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub plain: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Continue the workbook where you left off.
    #[command(
        long_about = "Continue the workbook where you left off.\n\n\
            The first time, exback asks five short questions about the breakup. Then it shows \
            the current step and asks its questions one at a time; every answer is saved the \
            moment you give it. After a step's questions comes a short readiness check; passing \
            it completes the step.\n\n\
            Stop at any time: Esc or Ctrl-C. Nothing you \
            answered is lost, and the next `exback next` continues at the first unanswered question.\n\n\
            Without a terminal, answers are read from standard input, one line per question: \
            text as is (\\n for a line break); y or n; the number of a choice (1 = first); \
            1 to 10 for a scale; numbers separated by commas for a checklist (- for none); for a \
            template, its number and then a line with your version (empty keeps it). The end \
            of the input stops, keeping what was answered.\n\n\
            The same line-by-line questions, with no colour and no escape codes, are asked on a \
            terminal that cannot draw (TERM=dumb or no TERM) and with --plain or EXBACK_PLAIN=1: \
            for a screen reader or an Emacs shell.",
        after_help = "Keys:\n  \
            Enter                   save a typed answer, confirm y or n, pick a choice\n  \
            Alt-Enter, Ctrl-J       start a new line in a typed answer\n  \
            Enter, nothing typed    open $VISUAL or $EDITOR for a long answer, when set\n  \
            y, n, yes, no           answer a yes/no question; Backspace changes it\n  \
            1-9, 0                  on a 1-10 scale: pick that number (1 then 0, or 0, is 10);\n                          \
                    in a list: move to that choice. Enter then saves it\n  \
            Up, Down, j, k, Space   move in a list, tick in a checklist\n  \
            Left, Right             move in a typed answer, one character as you see it\n  \
            Up, Down                move between the lines of a typed answer\n  \
            Home, End, Ctrl-A, Ctrl-E  start or end of the line\n  \
            Ctrl-Left, Ctrl-Right   a word back or on (also Alt-b, Alt-f)\n  \
            Ctrl-W, Ctrl-U, Ctrl-K  delete the word before, the line before, the line after\n  \
            Esc                     stop at any question; in a typed answer it is Ctrl-C\n  \
            Ctrl-C                  stop anywhere; everything answered is kept\n\
            \nKeys pressed before a list or a yes/no question is on screen are ignored. Keys typed \
            ahead of a typed answer are kept for it. Text that arrives in one go across an Enter \
            (a paste, or typing ahead) stays one answer with its line breaks; Enter then saves \
            it.\n\n\
            Examples:\n  exback next\n  exback next --step 1        revisit step 1 and add new answers\n  \
            exback next --onboarding    change your answers to the first questions\n  \
            printf 'It ended in October\\n' | exback next"
    )]
    Next(NextArgs),

    /// List the seven steps, with what is done and what comes next.
    #[command(
        long_about = "List the seven steps, each marked done (with its date), current, ahead, or not offered. \
            When the moving-on path is active, its steps are listed too. With --json, the same \
            facts for scripts (docs/json.md).",
        after_help = "Examples:\n  exback steps\n  exback steps --json"
    )]
    Steps(StepsArgs),

    /// Read back what you wrote, newest first.
    #[command(
        long_about = "Read back what you wrote, newest first.\n\n\
            Filters combine: an entry is shown when it matches all of them. -n picks the newest \
            N matching entries; --reverse prints oldest first. On a terminal, long output goes \
            through $PAGER (default `less -R`); piped output is plain.",
        after_help = "Examples:\n  exback log\n  exback log -n 3\n  exback log --step 2 --since 7d\n  \
            exback log --grep coffee --short\n  exback log --tag starred --format markdown > starred.md\n  \
            exback log --json | jq '.[].answer'"
    )]
    Log(LogArgs),

    /// Print one entry in full.
    #[command(
        long_about = "Print one entry in full: when it was written, the step, the question as it was asked, \
            and the whole answer. The id can be shortened to any unique start of it, as long as \
            it is not ambiguous. --json prints the entry as stored.",
        after_help = "Examples:\n  exback show 3fa9\n  exback show 3fa9c1d2e0b4 --json"
    )]
    Show(ShowArgs),

    /// Change the text of an entry (in your editor, or with --text).
    #[command(
        long_about = "Change the text of an entry. Without --text, your editor ($VISUAL or $EDITOR) opens with \
            the current text under a comment header; save and close it to keep the change. The \
            entry keeps its id, time and question and is marked as edited; every other entry \
            stays exactly as it is.",
        after_help = "Examples:\n  exback edit 3fa9\n  exback edit 3fa9 --text \"What I meant was this.\""
    )]
    Edit(EditArgs),

    /// Delete one entry (asks first).
    #[command(
        long_about = "Delete one entry. exback asks first, unless --yes is given. Every other entry \
            stays exactly as it is.",
        after_help = "Examples:\n  exback delete 3fa9\n  exback delete 3fa9c1d2e0b4 --yes"
    )]
    Delete(DeleteArgs),

    /// Write everything out: entries, progress, onboarding and every other record.
    #[command(
        long_about = "Write everything out: entries, progress, onboarding answers, contacts and moods. The JSON \
            export can be imported again (`exback import`), and exporting, importing into an empty \
            data directory and exporting again gives the same bytes. The Markdown export is for \
            reading. The HTML export is one page to open in a browser or print: a cover, a \
            chart of your mood with the days you finished a step and the days of contact, a \
            contact timeline, and every step with its questions and answers; it needs no \
            network and runs no script; --since, --until and --step choose what it holds.\n\n\
            With -o, the file is written beside its final place, saved to disk and then put \
            in place in one step, readable by you only; if anything fails, an older file of \
            that name stays as it was. A file inside the data directory is refused.",
        after_help = "Examples:\n  exback export -o backup.json\n  exback export --format markdown -o journal.md\n  \
            exback export --format html -o journey.html\n  exback export --format html --since 2026-11-01 -o november.html"
    )]
    Export(ExportArgs),

    /// Bring in entries from an exback export or a jrnl JSON export.
    #[command(
        long_about = "Bring in entries from an exback export (`exback export`) or from jrnl's JSON \
            export (`jrnl --format json`). Entries already present (same time and text) are \
            skipped and counted. jrnl entries become free entries with their original time \
            and tags; starred entries get the tag `starred`. Progress from an exback export is \
            restored only into a data directory that has none. A malformed file imports \
            nothing and says where it broke. A file or standard input larger than 256 MiB is \
            refused (a file from its size, before it is read), and Ctrl-C or SIGTERM stops \
            the read at once; either way nothing is imported.",
        after_help = "Examples:\n  exback import backup.json\n  jrnl --format json | exback import -"
    )]
    Import(ImportArgs),

    /// Write a free journal entry, outside the questions.
    #[command(
        long_about = "Write a free journal entry, outside the questions.\n\n\
            The text comes from the argument; else from standard input when it is piped; \
            else exback opens $VISUAL or $EDITOR. The new entry's id is printed; exit code 0 \
            means it is saved. Text larger than 16 MiB is refused and nothing is saved.",
        after_help = "Examples:\n  exback write \"Saw our song on the radio and was okay.\"\n  \
            exback write --step 2 --tag anger\n  fortune | exback write --tag quote"
    )]
    Write(WriteArgs),

    /// Check your data for damage, and repair it if you want.
    #[command(
        long_about = "Check every file in the data directory and report what is damaged.\n\n\
            Checking changes nothing. With --repair, damaged lines (or a damaged progress file) \
            are moved to a file named damaged-<time>-<name> in the data directory, everything \
            else is kept, and temporary files left by an interrupted save are removed. \
            exback never does this on its own. Exit code 1 when damage is found and not repaired.",
        after_help = "Examples:\n  exback doctor\n  exback doctor --repair\n  exback doctor --repair --yes"
    )]
    Doctor(DoctorArgs),

    /// Print a shell completion script.
    #[command(
        long_about = "Print a completion script for your shell (bash, zsh, fish, powershell or \
            elvish). Save it where your shell looks for completions, or load it from your shell's \
            startup file.",
        after_help = "Examples:\n  exback completions bash > ~/.local/share/bash-completion/completions/exback\n  \
            exback completions zsh > ~/.zfunc/_exback\n  exback completions fish > ~/.config/fish/completions/exback.fish"
    )]
    Completions(CompletionsArgs),

    /// Make or check a content pack: the workbook's questions and texts, as files.
    #[command(
        long_about = "Make or check a content pack.\n\n\
            A content pack is a folder of TOML files in the format of the built-in workbook \
            (docs/content-format.md). `exback content export DIR` writes the built-in files out \
            as a starting point; edit them, then `exback content check DIR` lists every problem \
            with its file and line. Use a pack with --content-dir DIR or EXBACK_CONTENT_DIR. \
            Past entries stay readable whatever the pack, and progress on steps a pack lacks is \
            kept.",
        after_help = "Examples:\n  exback content export ~/my-pack\n  exback content check ~/my-pack\n  \
            EXBACK_CONTENT_DIR=~/my-pack exback next"
    )]
    Content(ContentArgs),

    /// Print the man page (roff).
    #[command(
        long_about = "Print the man page, in roff, generated from the same definitions as --help: every \
            command, its options and examples.",
        after_help = "Examples:\n  exback man | man -l -\n  exback man > ~/.local/share/man/man1/exback.1"
    )]
    Man,

    /// Write down a contact with your ex, and see the pace you're keeping.
    #[command(
        long_about = "Write down a contact with your ex, and see the pace you're keeping.\n\n\
            Without a subcommand, exback asks a few questions (when, how, who reached out, \
            whether they responded, how it felt, a note). `exback contact add` does the same \
            from flags. Contact is only ever written down here by you: exback never sends \
            anything anywhere.\n\n\
            After a contact is logged, exback shows the days since the breakup and since the \
            last contact, the unanswered messages in a row and the contacts in the last 7 days, \
            and, if you're ahead of a gentle pace, one nudge. If they asked for no contact, if \
            you felt unsafe, or if you recorded that it's over, there is no contact coaching.",
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  exback contact\n  \
            exback contact add --channel text --from me --replied no\n  \
            exback contact add --channel call --from them --felt 7 --at '2026-11-28 18:30'\n  \
            exback contact list --json"
    )]
    Contact(ContactArgs),

    /// Keep a message you want to send, unsent: from TEXT, standard input or your editor.
    #[command(
        long_about = "Keep a message you want to send, unsent.\n\n\
            The text comes from the arguments; else from standard input when it is not a \
            terminal; else exback opens $VISUAL or $EDITOR on a private temporary file, removed \
            afterwards. The draft is saved in your journal (`exback log` shows it) and its id is \
            printed. It is never sent anywhere. Text larger than 16 MiB is refused and \
            nothing is saved.",
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  exback draft \"I keep thinking about the lake trip.\"\n  \
            exback draft                 opens your editor\n  \
            pbpaste | exback draft\n  exback draft list -n 3"
    )]
    Draft(DraftArgs),

    /// Check in with your mood (N from 1 to 10, and a note), or see the last 12 weeks.
    #[command(
        long_about = "Check in with your mood: N from 1 (very low) to 10 (really good), with an \
            optional note. `exback next` also offers a check-in once a day, from the second run \
            on; `exback status` shows the last 30 days.\n\n\
            Without N, `exback mood` shows the last 12 weeks as a chart that fits 80 columns: \
            one column of dots per day, the day's check-ins averaged; --json gives the numbers.",
        after_help = "Examples:\n  exback mood 6\n  exback mood 3 rough night, slept badly\n  exback mood\n  exback mood --json"
    )]
    Mood(MoodArgs),

    /// For the moment you want to contact them right now: a few minutes with the urge.
    #[command(
        long_about = "For the moment you want to contact them right now. exback asks how strong \
            the urge is, keeps what you want to say as an unsent draft, shows what your pace says \
            (from your own contact log), offers a few things to do for the next 20 minutes \
            instead, and asks how you feel after. Nothing is ever sent. Works with piped answers \
            too, one line per question.",
        after_help = "Examples:\n  exback urge"
    )]
    Urge,

    /// Who to talk to, and crisis lines with their country.
    #[command(
        long_about = "Who to talk to, and a short list of crisis lines, each with its country and \
            the month the list was last checked. The same block `exback next` shows when an \
            answer says things are very heavy.",
        after_help = "Examples:\n  exback support\n  exback support --json"
    )]
    Support(SupportArgs),

    /// One screen: your steps, the pace of contact, your mood, and what comes next.
    #[command(
        long_about = "One screen, 80 columns wide: a progress bar over the steps with the current \
            one and the dates, the days since the breakup, the pace of contact with any nudge, a \
            sparkline of your mood over the last 30 days with the check-in streak, and what \
            `exback next` will ask next. Plain when piped; --json gives the same facts \
            (docs/json.md).",
        after_help = "Examples:\n  exback status\n  exback status --json | jq .pacing"
    )]
    Status(StatusArgs),

    /// Record where things stand: back together, friends, still hoping, or moved on.
    #[command(
        long_about = "Record where things stand: back together, friends, still hoping, or moved \
            on, with a short closing reflection.\n\n\
            \"Moved on\" switches the workbook to a moving-on path of its own (grief, what you \
            learned, what you want next), walked by `exback next`, and ends all contact coaching. \
            Recording another outcome, or --clear, switches back; no progress is ever discarded.",
        after_help = "Examples:\n  exback outcome\n  exback outcome moved-on\n  exback outcome --clear"
    )]
    Outcome(OutcomeArgs),

    /// Encrypt the data directory with a passphrase (see docs/security.md).
    #[command(
        long_about = "Encrypt everything in the data directory (journal, progress, contacts, moods, \
            drafts) with a passphrase. From then on every command asks for it once (or reads it \
            from EXBACK_PASSPHRASE_FILE or EXBACK_PASSPHRASE_COMMAND). If it is lost, the journal \
            cannot be read by anyone, you included.\n\n\
            Safe to stop at any moment: what is there stays readable, and running `exback encrypt` \
            again finishes the work.",
        after_help = "Examples:\n  exback encrypt\n  EXBACK_PASSPHRASE_COMMAND='pass show exback' exback encrypt"
    )]
    Encrypt,

    /// Turn an encrypted data directory back into plain files.
    #[command(
        long_about = "Turn an encrypted data directory back into plain files, readable by anyone \
            who can read the folder. Safe to stop at any moment; run it again to finish.",
        after_help = "Examples:\n  exback decrypt"
    )]
    Decrypt,

    /// Change the passphrase of an encrypted data directory.
    #[command(
        long_about = "Change the passphrase of an encrypted data directory. Only the wrapped key \
            (key.age) is rewritten; your entries are not. In scripts the new passphrase comes from \
            EXBACK_NEW_PASSPHRASE_FILE or EXBACK_NEW_PASSPHRASE_COMMAND.",
        after_help = "Examples:\n  exback passphrase"
    )]
    Passphrase,

    /// Run git in the data directory (`exback git init` sets it up; see docs/sync.md).
    #[command(
        long_about = "Run git in the data directory, like `pass git`. `exback git init` makes the \
            directory a repository (or sets up a clone of one): it keeps the lock and temporary \
            files out of it, and registers exback's merge driver so that `git pull` merges the \
            journal, contacts, moods, deletions and progress entry by entry, never with conflict \
            markers. From then on every change exback makes is committed at once, with a message \
            that holds none of your words. exback never pushes or pulls by itself: those are your \
            own commands.",
        after_help = "Examples:\n  exback git init\n  exback git remote add origin ssh://host/~/exback.git\n  \
            exback git push -u origin main\n  exback git pull\n  exback git log --oneline"
    )]
    Git(GitArgs),

    /// Merge two versions of a data file (git's merge driver; see `exback git init`).
    #[command(
        hide = true,
        long_about = "Merge two versions of a data file as git's merge driver: OURS becomes the \
            union of both by id (the later change winning, deletions holding), or for \
            progress.json the field-by-field merge of docs/sync.md. `exback git init` registers \
            it; git runs it from the repository's top folder.",
        after_help = "Examples:\n  exback merge-file base.jsonl ours.jsonl theirs.jsonl journal.jsonl"
    )]
    MergeFile(MergeFileArgs),
}

#[derive(Debug, Args)]
pub struct GitArgs {
    /// What to pass to git (`init` sets the repository up for exback).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct MergeFileArgs {
    /// The common ancestor's version (%O).
    pub base: PathBuf,
    /// This side's version, where the result is written (%A).
    pub ours: PathBuf,
    /// The other side's version (%B).
    pub theirs: PathBuf,
    /// The file's name in the repository (%P).
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct ContentArgs {
    #[command(subcommand)]
    pub command: ContentCommand,
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Write the built-in workbook files to DIR, as a starting point for a pack.
    #[command(
        long_about = "Write the built-in workbook files to DIR (created if needed), as a starting \
            point for a pack of your own. Files already there are left alone unless --force.",
        after_help = "Examples:\n  exback content export ~/my-pack\n  exback content export ~/my-pack --force"
    )]
    Export {
        /// The folder to write to (created if needed).
        dir: PathBuf,
        /// Replace files that are already there.
        #[arg(long)]
        force: bool,
    },
    /// Check a content pack and list every problem (exit 1 if there is any).
    #[command(
        long_about = "Check a content pack: every file is read and validated as exback would use it, \
            and every problem is listed with its file, line and what is wrong. Exit code 1 if \
            there is any problem, 0 if the pack is ready to use.",
        after_help = "Examples:\n  exback content check ~/my-pack"
    )]
    Check {
        /// The folder to check.
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Move damaged parts aside and keep the rest (asks first).
    #[arg(long)]
    pub repair: bool,

    /// Repair without asking.
    #[arg(long, requires = "repair")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The entry's text (otherwise piped stdin, else your editor).
    pub text: Option<String>,

    /// File the entry under step N.
    #[arg(long, value_name = "N")]
    pub step: Option<u8>,

    /// Tag the entry (repeat for several tags).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// Ask the first questions again (when it ended, who ended it, contact, safety).
    #[arg(long)]
    pub onboarding: bool,

    /// Work on step N; a step already done is revisited and new answers are added.
    #[arg(long, value_name = "N")]
    pub step: Option<u8>,
}

#[derive(Debug, Args)]
pub struct StepsArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Show only the newest N matching entries.
    #[arg(short = 'n', long = "limit", value_name = "N")]
    pub limit: Option<usize>,

    /// Only entries of step N.
    #[arg(long, value_name = "N")]
    pub step: Option<u8>,

    /// Only entries on or after DATE (2026-11-01, 2026-11, 7d, 3 weeks ago, yesterday, today).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only entries on or before DATE (same forms as --since).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only entries whose prompt or answer contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,

    /// Only entries tagged TAG (repeat: entries with all of them).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Oldest first.
    #[arg(long)]
    pub reverse: bool,

    /// How to print the entries.
    #[arg(long, value_enum, default_value_t = Format::Human, conflicts_with_all = ["short", "json"])]
    pub format: Format,

    /// One line per entry (same as --format short).
    #[arg(long)]
    pub short: bool,

    /// JSON (same as --format json); see docs/json.md.
    #[arg(long, conflicts_with = "short")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry's id, or the start of it.
    pub id: String,

    /// Print JSON (the entry as stored).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry's id, or the start of it.
    pub id: String,

    /// The new text (otherwise your editor opens with the current text).
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry's id, or the start of it.
    pub id: String,

    /// Delete without asking.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json keeps everything and can be imported again; markdown and html are for reading.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Write to FILE (readable by you only, replaced in one step) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// html only: entries, check-ins and contacts on or after DATE (same forms as `log`).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// html only: entries, check-ins and contacts on or before DATE.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// html only: the entries of step N (the chart and contacts stay).
    #[arg(long, value_name = "N")]
    pub step: Option<u8>,

    /// From an encrypted data directory: write the export as plain text instead of
    /// encrypting it with your passphrase.
    #[arg(long)]
    pub plaintext: bool,
}

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Everything, to import again.
    Json,
    /// A readable document.
    Markdown,
    /// One self-contained page with a mood chart and a contact timeline, to read or print.
    Html,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// An exback export, or a jrnl JSON export (`jrnl --format json`); - reads stdin.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ContactArgs {
    #[command(subcommand)]
    pub command: Option<ContactCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Log one contact from flags, without questions.
    #[command(
        long_about = "Log one contact from flags, without questions, then see the pace. Only you \
            write contacts down; exback never sends anything anywhere.",
        after_help = "Examples:\n  exback contact add --channel text --from me --replied no\n  \
            exback contact add --channel call --from them --felt 7 --note \"Short and kind\" --at '2026-11-28 18:30'"
    )]
    Add(ContactAddArgs),
    /// The logged contacts, newest first.
    #[command(
        long_about = "The logged contacts, newest first: when, how, who reached out, whether they \
            responded, how it felt and your note. --json for scripts (docs/json.md).",
        after_help = "Examples:\n  exback contact list\n  exback contact list -n 5 --json"
    )]
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ContactAddArgs {
    /// How you were in touch.
    #[arg(long, value_enum)]
    pub channel: Channel,

    /// Who reached out.
    #[arg(long, value_enum)]
    pub from: Who,

    /// Did the other one respond? Left out: not known (a message then counts as unanswered).
    #[arg(long, value_enum)]
    pub replied: Option<YesNo>,

    /// How it left you feeling, from 1 to 10.
    #[arg(long, value_name = "1-10", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub felt: Option<u8>,

    /// A note, kept with the contact.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// When it happened: RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (local time; a day
    /// alone means midday). Default: now.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,

    /// A practical contact (children, a shared home, work): it never counts towards the
    /// pace and never brings a nudge.
    #[arg(long)]
    pub logistics: bool,
}

/// `--replied` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,

    /// Show at most N.
    #[arg(short = 'n', long = "limit", value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    #[command(subcommand)]
    pub command: Option<DraftCommand>,

    /// The draft's text; several words are joined with spaces.
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DraftCommand {
    /// Your unsent drafts, newest first.
    #[command(
        long_about = "Your unsent drafts, newest first, in full. They are kept here and never sent. \
            --json for scripts (docs/json.md).",
        after_help = "Examples:\n  exback draft list\n  exback draft list -n 3 --json"
    )]
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct MoodArgs {
    /// How you feel, from 1 (very low) to 10 (really good). Left out: the last 12 weeks.
    #[arg(value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub score: Option<u8>,

    /// An optional note; several words are joined with spaces.
    #[arg(value_name = "NOTE", requires = "score")]
    pub note: Vec<String>,

    /// With no N: the last 12 weeks as JSON (docs/json.md).
    #[arg(long, conflicts_with = "score")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SupportArgs {
    /// Print JSON instead of text (described in docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON instead of text (described in docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OutcomeArgs {
    /// Where things stand; asked when left out.
    #[arg(value_enum, conflicts_with = "clear")]
    pub outcome: Option<OutcomeKind>,

    /// Forget the recorded outcome (your reflections stay in the journal).
    #[arg(long)]
    pub clear: bool,
}
