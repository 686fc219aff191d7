//! Ctrl-C: stop at once with exit code 130, but never in the middle of a save.
//!
//! Every write to the data directory holds [`save_guard`]; the Ctrl-C handler takes
//! the same guard before it exits, so a save that has begun always finishes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

static SAVING: Mutex<()> = Mutex::new(());
/// Set while another program (the editor) owns the terminal: its Ctrl-C is its own.
static HANDED_OVER: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Exit code after Ctrl-C, as shells report for SIGINT.
pub const EXIT_INTERRUPTED: i32 = 130;

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
            if !HANDED_OVER.load(Ordering::SeqCst) {
                stop("");
            }
        });
    });
}

/// While the returned guard lives, Ctrl-C belongs to the program exback started (the
/// editor) and does not stop exback.
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

/// Waits for any save in progress, restores the terminal, says `message` (if any)
/// and exits with code 130.
pub fn stop(message: &str) -> ! {
    let _guard = save_guard();
    let term = console::Term::stderr();
    if term.is_term() {
        let _ = term.show_cursor();
    }
    if message.is_empty() {
        let _ = term.write_line("");
        let _ = term.write_line("Stopped. Everything already saved is kept.");
    } else {
        let _ = term.write_line(message);
    }
    std::process::exit(EXIT_INTERRUPTED);
}
