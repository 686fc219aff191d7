//! The interactive prompter on the terminal (stderr): text and yes/no questions drawn by
//! [`super::input`], lists by dialoguer. Keys typed before a list or a yes/no question is
//! on screen are dropped, so nothing is chosen unseen.

use console::Term;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{MultiSelect, Select};

use super::editor;
use super::input::{self, Ask};
use super::style::{self, Tone};
use super::{Answer, PromptError, Prompter, Question};

/// Asks on the terminal. Esc on a list or yes/no question stops; Ctrl-C stops anywhere
/// (exit 130).
pub struct TerminalPrompter {
    theme: ColorfulTheme,
    term: Term,
    blocks: style::Blocks,
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self {
            theme: ColorfulTheme::default(),
            term: Term::stderr(),
            blocks: style::Blocks::default(),
        }
    }
}

/// True when both standard input and standard error are terminals.
pub fn is_interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && Term::stderr().is_term()
}

fn map<T>(result: dialoguer::Result<T>) -> Answer<T> {
    result.map_err(|dialoguer::Error::IO(e)| {
        if e.kind() == std::io::ErrorKind::Interrupted {
            PromptError::Interrupted
        } else {
            PromptError::Io(e)
        }
    })
}

/// The ten choices of a 1–10 scale, the ends labelled.
fn scale_items(low: &str, high: &str) -> Vec<String> {
    (1..=10u8)
        .map(|n| match n {
            1 => format!("1  {low}"),
            10 => format!("10 {high}"),
            n => n.to_string(),
        })
        .collect()
}

fn stop_on_escape<T>(answer: Answer<Option<T>>) -> Answer<T> {
    answer?.ok_or(PromptError::Stopped)
}

impl TerminalPrompter {
    fn help(&mut self, q: &Question<'_>) {
        self.blocks.interrupted();
        if let Some(help) = q.help {
            let _ = self
                .term
                .write_line(&style::paint_stderr(Tone::Dim, help, style::width()));
        }
    }

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

    /// The answered line of a list: the question and the choice, without the keys.
    fn answered(&self, q: &Question<'_>, choice: &str) {
        let _ = input::answered(&self.term, q.text, choice);
    }

    /// A list's choices, wrapped at word boundaries for the same reason as its question
    /// (dialoguer measures each line of a choice in bytes: the margin covers a few
    /// characters wider than one byte).
    fn list_items<S: AsRef<str>>(&self, options: &[S]) -> Vec<String> {
        let cols = usize::from(self.term.size().1).max(20);
        options
            .iter()
            .map(|o| style::wrap(o.as_ref(), cols.saturating_sub(8).min(100)).replace('\n', "\n  "))
            .collect()
    }

    /// A list's question, wrapped at word boundaries by us: dialoguer counts the rows of
    /// a prompt by its line breaks, so a row the terminal wraps would be left behind.
    fn list_prompt(&mut self, q: &Question<'_>, keys: &str) -> String {
        self.help(q);
        input::discard_typeahead();
        let cols = usize::from(self.term.size().1).max(20);
        style::wrap(
            &format!("{} {keys}", q.text),
            cols.saturating_sub(4).min(100),
        )
        .replace('\n', "\n  ")
    }
}

/// The keys of a text question, shown under it.
const TEXT_KEYS: &str = "(Enter saves · Alt-Enter or Ctrl-J starts a new line · Ctrl-C stops here)";

impl Prompter for TerminalPrompter {
    fn show(&mut self, tone: Tone, text: &str) {
        let text = self.blocks.render(tone, text, style::width());
        let _ = self.term.write_line(&text);
    }

    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        self.line(q, TEXT_KEYS, None)
    }

    /// A line typed here, or, after an empty Enter, whatever is written in $VISUAL or
    /// $EDITOR (the question and its help at the top, as comments that are not saved).
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        let Some(editor) = editor::configured() else {
            return self.line(
                q,
                "(take your time · Enter saves · Alt-Enter or Ctrl-J starts a new line · Ctrl-C stops here · set EDITOR to write in your editor)",
                None,
            );
        };
        let typed = self.line(
            q,
            "(take your time · Enter saves · an empty Enter opens your editor · Alt-Enter or Ctrl-J starts a new line · Ctrl-C stops here)",
            None,
        )?;
        if !typed.trim().is_empty() {
            return Ok(typed);
        }
        let header = match q.help {
            Some(help) => format!("{}\n{help}", q.text),
            None => q.text.to_string(),
        };
        match editor::edit(&header, "") {
            Ok(text) => {
                if !text.is_empty() {
                    let lines = text.lines().count();
                    let note = format!(
                        "Written in {editor}: {lines} line{}.",
                        if lines == 1 { "" } else { "s" }
                    );
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
        self.blocks.interrupted();
        input::yes_no(&self.term, q.help, q.text)
    }

    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        let prompt = self.list_prompt(q, "(↑↓, Enter · Esc stops)");
        let items = self.list_items(options);
        let picked = stop_on_escape(map(Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(&items)
            .default(0)
            .report(false)
            .interact_on_opt(&self.term)))?;
        self.answered(q, options.get(picked).copied().unwrap_or_default());
        Ok(picked)
    }

    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
        let prompt = self.list_prompt(q, "(1–10, ↑↓, Enter · Esc stops)");
        let items = self.list_items(&scale_items(low, high));
        let picked = stop_on_escape(map(Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(&items)
            .default(4)
            .report(false)
            .interact_on_opt(&self.term)))?;
        self.answered(q, &(picked + 1).to_string());
        Ok(u8::try_from(picked + 1).unwrap_or(10))
    }

    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>> {
        let prompt = self.list_prompt(q, "(1–10, ↑↓, Enter · Esc skips)");
        let mut items = scale_items(low, high);
        items.push(skip.to_string());
        let items = self.list_items(&items);
        // Esc skips here, rather than stopping the whole run.
        let picked = map(Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(&items)
            .default(4)
            .report(false)
            .interact_on_opt(&self.term))?;
        let shown = match picked {
            Some(i) if i < 10 => (i + 1).to_string(),
            _ => skip.to_string(),
        };
        self.answered(q, &shown);
        Ok(picked
            .filter(|i| *i < 10)
            .map(|i| u8::try_from(i + 1).unwrap_or(10)))
    }

    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
        let prompt = self.list_prompt(q, "(Space ticks, Enter saves · Esc stops)");
        let items = self.list_items(options);
        let ticked = stop_on_escape(map(MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(&items)
            .report(false)
            .interact_on_opt(&self.term)))?;
        let names: Vec<&str> = ticked
            .iter()
            .filter_map(|&i| options.get(i).copied())
            .collect();
        self.answered(
            q,
            &if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            },
        );
        Ok(ticked)
    }

    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        self.line(
            q,
            "(edit the text in place · ←→ move · Enter saves · Alt-Enter or Ctrl-J starts a new line · Ctrl-C stops here)",
            Some(initial),
        )
    }
}
