//! Ctrl-C and how a command ends: a flag the work checks, and the [`Exit`] error that
//! carries an exit code back to `main`. SIGTERM and SIGHUP take the same path (ctrlc's
//! `termination` feature), so a kill never leaves the terminal raw or its cursor hidden.
//!
//! Every write to the data directory holds [`save_guard`]; the Ctrl-C handler takes the
//! same guard before it raises the flag, so a save that has begun always finishes. The
//! handler never exits the process itself, and nothing else in the library does: the
//! work notices the flag (prompts, long loops, and [`crate::run`] once the command is
//! done), returns [`Exit`], and `main` decides the code after every destructor (the
//! pager, temporary folders) has run, with [`Exit::of`] (in [`crate::ending`], which
//! sits above every layer whose errors it recognises; this module sits below them all).
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
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

/// What is said when Ctrl-C stops a command that has nothing more precise to say.
pub(crate) const STOPPED: &str = "Stopped. Everything already saved is kept.";

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
}

/// Held while a save is in progress; Ctrl-C waits for it.
pub(crate) fn save_guard() -> MutexGuard<'static, ()> {
    SAVING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Installs the Ctrl-C handler (once per process).
pub(crate) fn install() {
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
pub(crate) fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// `Err(Exit::interrupted())` once Ctrl-C was pressed: `?` it where work can stop.
pub(crate) fn check() -> Result<(), Exit> {
    if requested() {
        Err(Exit::interrupted())
    } else {
        Ok(())
    }
}

/// While the returned guard lives, Ctrl-C belongs to the program exback started (the
/// editor, the pager) and does not stop exback.
pub(crate) fn hand_over() -> HandOver {
    HANDED_OVER.store(true, Ordering::SeqCst);
    HandOver
}

/// See [`hand_over`].
pub(crate) struct HandOver;

impl Drop for HandOver {
    fn drop(&mut self) {
        HANDED_OVER.store(false, Ordering::SeqCst);
    }
}
