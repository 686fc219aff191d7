//! The interactive prompter on the terminal (stderr). Every question is drawn by exback
//! itself ([`super::input`] for text and yes/no, [`super::list`] for lists), so that
//! wrapped text, long answers and a resize never leave stale rows behind; keys typed
//! before a list or a yes/no question is on screen are dropped, so nothing is chosen
//! unseen.
//!
//! Where the terminal cannot draw (TERM=dumb or unset) or plain output is asked for
//! (`--plain`, EXBACK_PLAIN=1), the same conversation is held line by line, as with
//! piped answers ([`super::lines`]), with no escape code at all: what a screen reader or
//! an Emacs shell can follow.

use std::sync::atomic::{AtomicBool, Ordering};

use console::Term;

use super::editor;
use super::input::{self, Ask};
use super::lines::LinePrompter;
use super::list::{self, Choices};
use super::style::{self, Tone};
use super::{Answer, PromptError, Prompter, Question};
use crate::workbook::screens::KeyWords;
use crate::workbook::{Screens, fill};

/// The questions are asked line by line, without escape codes.
static PLAIN: AtomicBool = AtomicBool::new(false);
/// Something was drawn that changes the terminal's modes (hidden cursor, bracketed paste).
static DRAWN: AtomicBool = AtomicBool::new(false);

/// Asks line by line from now on, with no escape codes, when `asked` (`--plain`,
/// EXBACK_PLAIN) or when TERM is unset or `dumb`. True when it does.
pub(crate) fn set_plain(asked: bool) -> bool {
    let term = std::env::var_os("TERM");
    let plain = asked || term.is_none_or(|t| t.is_empty() || t == "dumb");
    PLAIN.store(plain, Ordering::SeqCst);
    plain
}

/// True when questions are asked line by line.
pub(crate) fn plain() -> bool {
    PLAIN.load(Ordering::SeqCst)
}

/// Notes that the terminal's modes were changed (see [`Restore`]).
pub(super) fn drawn() {
    DRAWN.store(true, Ordering::SeqCst);
}

/// Puts the terminal back when dropped, however the command ends (an error, a panic
/// unwinding, Ctrl-C or SIGTERM): bracketed paste off and the cursor shown, if a
/// question changed them. Nothing is written when nothing was drawn, so a plain run
/// stays free of escape codes.
pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        if DRAWN.swap(false, Ordering::SeqCst) {
            let _ = Term::stderr().write_str("\x1b[?2004l\x1b[?25h");
        }
    }
}

/// The piped-line prompter, reading the terminal line by line.
type Lines = LinePrompter<crate::limits::stdin::Input<'static>>;

/// Asks on the terminal. Esc on a list or yes/no question stops; Ctrl-C stops anywhere
/// (exit 130).
pub(crate) struct TerminalPrompter {
    term: Term,
    blocks: style::Blocks,
    /// The key hints drawn under each question (`[keys]`).
    keys: KeyWords,
    /// In plain mode, the line-by-line conversation that answers instead.
    lines: Option<Lines>,
}

impl TerminalPrompter {
    /// A prompter that speaks with the words of `screens` (`[keys]`, and `[plain]`
    /// when it asks line by line).
    pub(crate) fn new(screens: &Screens) -> Self {
        Self {
            term: Term::stderr(),
            blocks: style::Blocks::default(),
            keys: screens.keys.clone(),
            lines: plain().then(|| {
                LinePrompter::new(
                    crate::limits::stdin::stdin(),
                    Box::new(std::io::stderr()),
                    screens.plain.clone(),
                )
            }),
        }
    }
}

/// True when both standard input and standard error are terminals.
pub(crate) fn is_interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && Term::stderr().is_term()
}

/// The ten choices of a 1–10 scale, the ends labelled.
fn scale_items(keys: &KeyWords, low: &str, high: &str) -> Vec<String> {
    (1..=10u8)
        .map(|n| match n {
            1 => fill(&keys.scale_low, &[("low", low)]),
            10 => fill(&keys.scale_high, &[("high", high)]),
            n => n.to_string(),
        })
        .collect()
}

/// A numbered list of `options` (the question is filled in by [`TerminalPrompter::list`]),
/// the marker on the first; `none` is the answer shown when nothing is ticked.
fn numbered<'a>(options: &'a [String], hint: &'a str, none: &'a str, several: bool) -> Choices<'a> {
    Choices {
        help: None,
        question: "",
        hint,
        options,
        start: Some(0),
        several,
        digits: options.len(),
        numbered: true,
        unpicked: "",
        none,
    }
}

/// A 1–10 scale (and its skip choice, if any): nothing marked until a number is typed
/// or an arrow pressed.
fn scale_choices<'a>(items: &'a [String], hint: &'a str, unpicked: &'a str) -> Choices<'a> {
    Choices {
        help: None,
        question: "",
        hint,
        options: items,
        start: None,
        several: false,
        digits: 10,
        numbered: false,
        unpicked,
        none: "",
    }
}

impl TerminalPrompter {
    /// A text question; the help and the keys are drawn with it (the keys vanish once
    /// it is answered).
    fn line(&mut self, q: &Question<'_>, hint: &str, initial: Option<&str>) -> Answer<String> {
        self.blocks.interrupted();
        input::text(
            &self.term,
            &Ask {
                help: q.help,
                question: q.text,
                hint,
                initial: initial.unwrap_or_default(),
            },
        )
    }

    /// A list; `None` when Esc is pressed.
    fn list(&mut self, q: &Question<'_>, choices: Choices<'_>) -> Answer<Option<Vec<usize>>> {
        self.blocks.interrupted();
        list::choose(
            &self.term,
            &Choices {
                help: q.help,
                question: q.text,
                ..choices
            },
        )
    }

    /// One choice of a list; Esc stops.
    fn pick(&mut self, q: &Question<'_>, choices: Choices<'_>) -> Answer<usize> {
        let picked = self.list(q, choices)?;
        picked
            .and_then(|p| p.first().copied())
            .ok_or(PromptError::Stopped)
    }
}

impl Prompter for TerminalPrompter {
    fn show(&mut self, tone: Tone, text: &str) {
        if let Some(lines) = &mut self.lines {
            return lines.show(tone, text);
        }
        let text = self.blocks.render(tone, text, style::width());
        let _ = self.term.write_line(&text);
    }

    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        if let Some(lines) = &mut self.lines {
            return lines.text(q);
        }
        let hint = self.keys.text.clone();
        self.line(q, &hint, None)
    }

    /// A line typed here, or, after an empty Enter, whatever is written in $VISUAL or
    /// $EDITOR (the question and its help at the top, as comments that are not saved).
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        if let Some(lines) = &mut self.lines {
            return lines.long_text(q);
        }
        let Some(editor) = editor::configured() else {
            let hint = self.keys.long_text.clone();
            return self.line(q, &hint, None);
        };
        let hint = self.keys.long_text_editor.clone();
        let typed = self.line(q, &hint, None)?;
        if !typed.trim().is_empty() {
            return Ok(typed);
        }
        let header = match q.help {
            Some(help) => format!("{}\n{help}", q.text),
            None => q.text.to_string(),
        };
        match editor::edit(&header, &self.keys.editor_note, "") {
            Ok(text) => {
                if !text.is_empty() {
                    let note = match text.lines().count() {
                        1 => fill(&self.keys.written_one, &[("editor", &editor)]),
                        lines => fill(
                            &self.keys.written_many,
                            &[("lines", &lines.to_string()), ("editor", &editor)],
                        ),
                    };
                    let _ = self.term.write_line(&style::paint_stderr(
                        Tone::Dim,
                        &note,
                        style::width(),
                    ));
                }
                Ok(text)
            }
            Err(e) => {
                let _ = self.term.write_line(&style::paint_stderr(
                    Tone::Caution,
                    &e.to_string(),
                    style::width(),
                ));
                Ok(String::new())
            }
        }
    }

    fn confirm(&mut self, q: &Question<'_>) -> Answer<bool> {
        if let Some(lines) = &mut self.lines {
            return lines.confirm(q);
        }
        self.blocks.interrupted();
        input::yes_no(&self.term, q.help, q.text, &self.keys)
    }

    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        if let Some(lines) = &mut self.lines {
            return lines.select(q, options);
        }
        let options: Vec<String> = options.iter().map(ToString::to_string).collect();
        let hint = self.keys.select.clone();
        self.pick(q, numbered(&options, &hint, "", false))
    }

    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
        if let Some(lines) = &mut self.lines {
            return lines.scale(q, low, high);
        }
        let items = scale_items(&self.keys, low, high);
        let (hint, unpicked) = (self.keys.scale.clone(), self.keys.scale_unpicked.clone());
        let picked = self.pick(q, scale_choices(&items, &hint, &unpicked))?;
        Ok(u8::try_from(picked + 1).unwrap_or(10))
    }

    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>> {
        if let Some(lines) = &mut self.lines {
            return lines.optional_scale(q, low, high, skip);
        }
        let mut items = scale_items(&self.keys, low, high);
        items.push(skip.to_string());
        let (hint, unpicked) = (
            self.keys.optional_scale.clone(),
            self.keys.optional_scale_unpicked.clone(),
        );
        // Esc skips here, rather than stopping the whole run.
        let picked = self.list(q, scale_choices(&items, &hint, &unpicked))?;
        Ok(picked
            .and_then(|p| p.first().copied())
            .filter(|i| *i < 10)
            .and_then(|i| u8::try_from(i + 1).ok()))
    }

    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
        if let Some(lines) = &mut self.lines {
            return lines.checklist(q, options);
        }
        let options: Vec<String> = options.iter().map(ToString::to_string).collect();
        let (hint, none) = (
            self.keys.checklist.clone(),
            self.keys.checklist_none.clone(),
        );
        self.list(q, numbered(&options, &hint, &none, true))?
            .ok_or(PromptError::Stopped)
    }

    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        if let Some(lines) = &mut self.lines {
            return lines.adapt(q, initial);
        }
        let hint = self.keys.adapt.clone();
        self.line(q, &hint, Some(initial))
    }
}
