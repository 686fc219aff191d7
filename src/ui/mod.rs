//! Everything the user sees and types: the [`Prompter`] seam between the flow engine
//! and the terminal, its two implementations, and all styling.

pub(crate) mod bar;
pub(crate) mod countdown;
pub(crate) mod editor;
pub(crate) mod input;
pub(crate) mod lines;
pub(crate) mod list;
pub(crate) mod pager;
pub(crate) mod passphrase;
pub(crate) mod render;
pub(crate) mod style;
pub(crate) mod terminal;

use std::io;

pub(crate) use style::Tone;

/// How a prompt can end without an answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PromptError {
    /// The user chose to stop here (Esc, or the end of piped input).
    #[error("stopped")]
    Stopped,
    /// The user pressed Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    /// The terminal or standard input failed.
    #[error("cannot read your answer: {0}")]
    Io(#[from] io::Error),
}

/// The result of asking something.
pub(crate) type Answer<T> = Result<T, PromptError>;

/// A question as shown to the user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Question<'a> {
    pub text: &'a str,
    pub help: Option<&'a str>,
}

impl<'a> Question<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, help: None }
    }

    pub(crate) fn with_help(text: &'a str, help: Option<&'a str>) -> Self {
        Self { text, help }
    }
}

/// The seam between the flow engine and whoever answers: the terminal, piped lines,
/// or a script in tests.
pub(crate) trait Prompter {
    /// Shows a piece of text.
    fn show(&mut self, tone: Tone, text: &str);
    /// One line of text. May return an empty string; the caller decides what that means.
    fn text(&mut self, q: &Question<'_>) -> Answer<String>;
    /// A longer answer (a paragraph or more).
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String>;
    /// Yes or no.
    fn confirm(&mut self, q: &Question<'_>) -> Answer<bool>;
    /// Exactly one of `options`, by index.
    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize>;
    /// A number from 1 to 10.
    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8>;
    /// A number from 1 to 10, or `None` when the user skips (the `skip` choice, Esc,
    /// or an empty line).
    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>>;
    /// Any number of `options`, by index, in order.
    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>>;
    /// Lets the user rewrite `initial`; returns the result.
    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String>;
}
