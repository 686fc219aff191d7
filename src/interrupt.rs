//! Ctrl-C and how a command ends: a flag the work checks, and the [`Exit`] error that
//! carries an exit code back to `main`. SIGTERM and SIGHUP take the same path (ctrlc's
//! `termination` feature), so a kill never leaves the terminal raw or its cursor hidden.
//!
//! Every write to the data directory holds [`save_guard`]; the Ctrl-C handler takes the
//! same guard before it raises the flag, so a save that has begun always finishes. The
//! handler never exits the process itself, and nothing else in the library does: the
//! work notices the flag (prompts, long loops, and [`crate::run`] once the command is
//! done), returns [`Exit`], and `main` decides the code after every destructor (the
//! pager, temporary folders) has run.
//!
//! No wait can hide the flag for long. Standard input is read through
//! [`crate::ui::input`], which looks at the flag while it waits for a line or for piped
//! text. The terminal prompter reads keys in raw mode, where Ctrl-C comes as a key; one
//! that lands in the instant between two key reads raises the flag, and the question
//! stops at the next key or Ctrl-C. The editor and the pager own Ctrl-C while they run
//! ([`hand_over`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

static SAVING: Mutex<()> = Mutex::new(());
/// Set while another program (the editor, the pager) owns the terminal: its Ctrl-C is its own.
static HANDED_OVER: AtomicBool = AtomicBool::new(false);
/// Ctrl-C was pressed.
static REQUESTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Exit code after Ctrl-C, as shells report for SIGINT.
pub const EXIT_INTERRUPTED: u8 = 130;

/// What is said when Ctrl-C stops a command that has nothing more precise to say.
pub const STOPPED: &str = "Stopped. Everything already saved is kept.";

/// An ending that is not a failure to report as `exback: ...`: the code `main` exits
/// with, and what it says on standard error first (if anything).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", message.as_deref().unwrap_or("stopped"))]
pub struct Exit {
    pub code: u8,
    pub message: Option<String>,
}

impl Exit {
    /// Ctrl-C, with the usual words.
    pub fn interrupted() -> Self {
        Self::interrupted_saying(&format!("\n{STOPPED}"))
    }

    /// Ctrl-C, with words that say what this command kept.
    pub fn interrupted_saying(message: &str) -> Self {
        Self {
            code: EXIT_INTERRUPTED,
            message: Some(message.to_string()),
        }
    }

    /// The message as written to standard error: on a terminal, wrapped at word
    /// boundaries to its width, so that no word is cut at the edge.
    pub fn shown(&self) -> Option<String> {
        let message = self.message.as_deref()?;
        if !console::Term::stderr().is_term() {
            return Some(message.to_string());
        }
        let width = crate::ui::style::width();
        // Each line keeps its indent (a list of problems), on its wrapped rows too.
        let wrap = |line: &str| {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            crate::ui::style::wrap(body, width.saturating_sub(indent.len()))
                .lines()
                .map(|row| format!("{indent}{row}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Some(message.split('\n').map(wrap).collect::<Vec<_>>().join("\n"))
    }

    /// How `main` ends after `error`: an [`Exit`] anywhere in the chain as it is, a
    /// closed standard output (`exback log | head`) quietly with 0, anything else
    /// `exback: ...` with 1. A message may quote stored or content-pack text, so it is
    /// made printable.
    pub fn of(error: &anyhow::Error) -> Self {
        if let Some(exit) = error.chain().find_map(|e| e.downcast_ref::<Self>()) {
            return exit.clone();
        }
        if error.chain().any(is_broken_pipe) {
            return Self {
                code: 0,
                message: None,
            };
        }
        Self {
            code: 1,
            message: Some(crate::ui::style::printable(&format!("exback: {error:#}")).into_owned()),
        }
    }
}

/// True when `e` is standard output closed under us: an io error, or the store's
/// error that carries one in its message rather than as its source.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let io = e.downcast_ref::<std::io::Error>().or_else(|| {
        match e.downcast_ref::<crate::journal::StoreError>() {
            Some(crate::journal::StoreError::Io { error, .. }) => Some(error),
            _ => None,
        }
    });
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Held while a save is in progress; Ctrl-C waits for it.
pub fn save_guard() -> MutexGuard<'static, ()> {
    SAVING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Installs the Ctrl-C handler (once per process).
pub fn install() {
    INSTALL.call_once(|| {
        // If a handler cannot be installed, Ctrl-C keeps its default effect, which is
        // still safe for acknowledged answers: they were fsynced before being acknowledged.
        let _ = ctrlc::set_handler(|| {
            if HANDED_OVER.load(Ordering::SeqCst) {
                return;
            }
            let _saving = save_guard();
            REQUESTED.store(true, Ordering::SeqCst);
        });
    });
}

/// Raises the Ctrl-C flag as the handler does (for tests, and for callers that learn of
/// Ctrl-C some other way).
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// True once Ctrl-C was pressed (outside a program exback handed the terminal to).
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// `Err(Exit::interrupted())` once Ctrl-C was pressed: `?` it where work can stop.
pub fn check() -> Result<(), Exit> {
    if requested() {
        Err(Exit::interrupted())
    } else {
        Ok(())
    }
}

/// While the returned guard lives, Ctrl-C belongs to the program exback started (the
/// editor, the pager) and does not stop exback.
pub fn hand_over() -> HandOver {
    HANDED_OVER.store(true, Ordering::SeqCst);
    HandOver
}

/// See [`hand_over`].
pub struct HandOver;

impl Drop for HandOver {
    fn drop(&mut self) {
        HANDED_OVER.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_is_told_the_code_and_the_words() {
        let stopped = anyhow::Error::new(Exit::interrupted_saying("Stopped. Nothing was logged."));
        assert_eq!(
            Exit::of(&stopped.context("while asking")),
            Exit {
                code: 130,
                message: Some("Stopped. Nothing was logged.".into())
            }
        );

        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let closed = anyhow::Error::new(pipe).context("cannot write the export");
        assert_eq!(
            Exit::of(&closed),
            Exit {
                code: 0,
                message: None
            }
        );

        let failed = anyhow::anyhow!("no entry has that id").context("cannot show it");
        assert_eq!(
            Exit::of(&failed),
            Exit {
                code: 1,
                message: Some("exback: cannot show it: no entry has that id".into())
            }
        );
    }
}
