//! A quiet countdown on the terminal that any key ends: the pause `exback urge`
//! offers before asking how the pull feels now. Only ever run on a terminal; piped
//! and scripted runs never reach it, so nothing there waits.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use super::input::{Key, Keys, Raw};
use super::style::{self, Tone};

/// How often the remaining time is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// Counts `total` down on stderr, one quiet line redrawn in place, until it runs out
/// or a key is pressed. Ctrl-C ends it too (the caller's next question sees the flag).
pub(crate) fn run(total: Duration, hint: &str) -> io::Result<()> {
    let raw = Raw::enter()?;
    let mut keys = Keys::default();
    let mut err = io::stderr().lock();
    let start = Instant::now();
    loop {
        let left = total.saturating_sub(start.elapsed());
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let line = format!("  {}:{:02}  {hint}", secs / 60, secs % 60);
        write!(
            err,
            "\r\x1b[2K{}",
            style::paint_stderr(Tone::Dim, &line, style::width())
        )?;
        err.flush()?;
        match keys.next(TICK)? {
            // Raw mode turns Ctrl-C into a key: it is passed on as Ctrl-C.
            Some(Key::Interrupt) => {
                crate::interrupt::request();
                break;
            }
            Some(_) => break,
            None if left.is_zero() => break,
            None => {}
        }
    }
    write!(err, "\r\x1b[2K")?;
    err.flush()?;
    drop(raw);
    Ok(())
}
