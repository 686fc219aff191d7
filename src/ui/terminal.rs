//! The interactive prompter: dialoguer prompts on the terminal (stderr).

use console::Term;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::editor;
use super::style::{self, Tone};
use super::{Answer, PromptError, Prompter, Question};

/// Asks on the terminal with dialoguer. Esc on a list or yes/no question stops;
/// Ctrl-C stops anywhere (exit 130).
pub struct TerminalPrompter {
    theme: ColorfulTheme,
    term: Term,
    blocks: style::Blocks,
    /// Hints already shown: the keys are explained once per run.
    hinted: Vec<&'static str>,
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self {
            theme: ColorfulTheme::default(),
            term: Term::stderr(),
            blocks: style::Blocks::default(),
            hinted: Vec::new(),
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

    fn line(
        &mut self,
        q: &Question<'_>,
        hint: &'static str,
        initial: Option<&str>,
    ) -> Answer<String> {
        self.help(q);
        if !self.hinted.contains(&hint) {
            self.hinted.push(hint);
            let _ = self
                .term
                .write_line(&style::paint_stderr(Tone::Dim, hint, style::width()));
        }
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(q.text)
            .allow_empty(true);
        if let Some(initial) = initial {
            input = input.with_initial_text(initial);
        }
        map(input.interact_text_on(&self.term))
    }
}

impl Prompter for TerminalPrompter {
    fn show(&mut self, tone: Tone, text: &str) {
        let text = self.blocks.render(tone, text, style::width());
        let _ = self.term.write_line(&text);
    }

    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        self.line(q, "(Enter saves · Ctrl-C stops here)", None)
    }

    /// A line typed here, or, after an empty Enter, whatever is written in $VISUAL or
    /// $EDITOR (the question and its help at the top, as comments that are not saved).
    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        let Some(editor) = editor::configured() else {
            return self.line(q, "(take your time; Enter saves · Ctrl-C stops here · set EDITOR to write long answers in your editor)", None);
        };
        let typed = self.line(
            q,
            "(take your time; Enter saves · an empty Enter opens your editor · Ctrl-C stops here)",
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
        self.help(q);
        stop_on_escape(map(Confirm::with_theme(&self.theme)
            .with_prompt(q.text)
            .interact_on_opt(&self.term)))
    }

    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        self.help(q);
        stop_on_escape(map(Select::with_theme(&self.theme)
            .with_prompt(format!("{} (↑↓, Enter · Esc stops)", q.text))
            .items(options)
            .default(0)
            .interact_on_opt(&self.term)))
    }

    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
        self.help(q);
        let items = scale_items(low, high);
        let picked = stop_on_escape(map(Select::with_theme(&self.theme)
            .with_prompt(format!("{} (1–10, ↑↓, Enter · Esc stops)", q.text))
            .items(&items)
            .default(4)
            .interact_on_opt(&self.term)))?;
        Ok(u8::try_from(picked + 1).unwrap_or(10))
    }

    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>> {
        self.help(q);
        let mut items = scale_items(low, high);
        items.push(skip.to_string());
        // Esc skips here, rather than stopping the whole run.
        let picked = map(Select::with_theme(&self.theme)
            .with_prompt(format!("{} (1–10, ↑↓, Enter · Esc skips)", q.text))
            .items(&items)
            .default(4)
            .interact_on_opt(&self.term))?;
        Ok(picked
            .filter(|i| *i < 10)
            .map(|i| u8::try_from(i + 1).unwrap_or(10)))
    }

    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
        self.help(q);
        stop_on_escape(map(MultiSelect::with_theme(&self.theme)
            .with_prompt(format!("{} (Space ticks, Enter saves · Esc stops)", q.text))
            .items(options)
            .interact_on_opt(&self.term)))
    }

    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        self.line(
            q,
            "(edit the text in place; Enter saves · Ctrl-C stops here)",
            Some(initial),
        )
    }
}
