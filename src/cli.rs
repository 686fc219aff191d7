//! The command line, as clap types. No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ENVIRONMENT: &str = "\
Environment:
  EXBACK_DATA_DIR     where your journal and progress live (same as --data-dir)
  EXBACK_CONTENT_DIR  a folder of workbook files to use instead of the built-in ones
  VISUAL, EDITOR      the editor `exback draft` opens when given no text
  NO_COLOR            set to turn colour off; CLICOLOR_FORCE=1 forces it on

Examples:
  exback next             continue where you left off
  exback status           one screen: steps, pace, mood, what comes next
  exback contact          write down a contact with your ex (nothing is sent)
  exback draft            keep a message you want to send, unsent
  exback log -n 5         read back your five newest entries

Exit codes: 0 ok, 1 error, 2 wrong usage, 130 stopped with Ctrl-C.";

/// A guided workbook for trying, thoughtfully, to get back together after a breakup.
///
/// exback walks you through seven steps, one reflection question at a time, and keeps
/// what you write in a private journal on this machine. It makes no promise that
/// anything will work, and it never coaches contact someone asked not to have.
#[derive(Debug, Parser)]
#[command(name = "exback", version, after_help = ENVIRONMENT)]
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
            The first time, exback asks four short questions about the breakup. Then it shows \
            the current step and asks its questions one at a time; every answer is saved the \
            moment you give it. After a step's questions comes a short readiness check; passing \
            it completes the step.\n\n\
            Stop at any time: Esc on a list or yes/no question, Ctrl-C anywhere. Nothing you \
            answered is lost, and the next `exback next` continues at the first unanswered question.\n\n\
            Without a terminal, answers are read from standard input, one line per question: \
            text as is (\\n for a line break); y or n; the number of a choice (1 = first); \
            1 to 10 for a scale; numbers separated by commas for a checklist (- for none); for a \
            template, its number and then a line with your version (empty keeps it). The end \
            of the input stops, keeping what was answered.",
        after_help = "Examples:\n  exback next\n  exback next --step 1        revisit step 1 and add new answers\n  \
            exback next --onboarding    change your answers to the first questions\n  \
            printf 'It ended in October\\n' | exback next"
    )]
    Next(NextArgs),

    /// List the seven steps, with what is done and what comes next.
    #[command(after_help = "Examples:\n  exback steps\n  exback steps --json")]
    Steps(StepsArgs),

    /// Read back what you wrote, newest first.
    #[command(after_help = "Examples:\n  exback log\n  exback log -n 3\n  exback log --step 2")]
    Log(LogArgs),

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
            printed. It is never sent anywhere.",
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  exback draft \"I keep thinking about the lake trip.\"\n  \
            exback draft                 opens your editor\n  \
            pbpaste | exback draft\n  exback draft list -n 3"
    )]
    Draft(DraftArgs),

    /// Check in with your mood: N from 1 (very low) to 10 (really good), and a note.
    #[command(
        long_about = "Check in with your mood: N from 1 (very low) to 10 (really good), with an \
            optional note. `exback next` also offers a check-in once a day, from the second run \
            on; `exback status` shows the last 30 days.",
        after_help = "Examples:\n  exback mood 6\n  exback mood 3 rough night, slept badly"
    )]
    Mood(MoodArgs),

    /// One screen: your steps, the pace of contact, your mood, and what comes next.
    #[command(after_help = "Examples:\n  exback status\n  exback status --json")]
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
    /// Show at most N entries.
    #[arg(short = 'n', long = "limit", value_name = "N")]
    pub limit: Option<usize>,

    /// Only entries of step N.
    #[arg(long, value_name = "N")]
    pub step: Option<u8>,
}

#[derive(Debug, Args)]
pub struct ContactArgs {
    #[command(subcommand)]
    pub command: Option<ContactCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Log one contact from flags, without questions.
    Add(ContactAddArgs),
    /// The logged contacts, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ContactAddArgs {
    /// How you were in touch.
    #[arg(long, value_enum)]
    pub channel: ChannelArg,

    /// Who reached out.
    #[arg(long, value_enum)]
    pub from: WhoArg,

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
}

/// `--channel` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    Text,
    Call,
    Social,
    InPerson,
    Other,
}

/// `--from` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhoArg {
    Me,
    Them,
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
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct MoodArgs {
    /// How you feel, from 1 (very low) to 10 (really good).
    #[arg(value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub score: u8,

    /// An optional note; several words are joined with spaces.
    #[arg(value_name = "NOTE")]
    pub note: Vec<String>,
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
    pub outcome: Option<OutcomeArg>,

    /// Forget the recorded outcome (your reflections stay in the journal).
    #[arg(long)]
    pub clear: bool,
}

/// The outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    BackTogether,
    Friends,
    StillHoping,
    MovedOn,
}
