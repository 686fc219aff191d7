//! Questions answered by typing (text and yes/no), drawn by exback itself on stderr.
//!
//! dialoguer's text input redrew a wrapped answer one row short, which left stale
//! copies of the question on screen, and its yes/no answered on a single key press. Here
//! every row is laid out by us, never wrapped by the terminal (each row stops one column
//! short of the edge), so the number of rows on screen is always known and a redraw
//! lands exactly on what was drawn before. Keys are read from standard input in raw mode.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::time::Duration;

use console::Term;
use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::termios::{self, OptionalActions, QueueSelector};

use super::style::Tone;
use super::{Answer, PromptError};
use crate::workbook::screens::KeyWords;

mod frame;
mod line;
mod screen;

#[cfg(test)]
pub(super) use frame::plain;
pub(super) use frame::{Frame, State, View, layout};
use line::Line;
pub(super) use screen::Screen;

/// How long to wait for the rest of an escape sequence before taking ESC as the Esc key.
const ESCAPE_WAIT: Duration = Duration::from_millis(40);
/// How often the terminal size is looked at while waiting for a key.
pub(super) const RESIZE_CHECK: Duration = Duration::from_millis(200);
/// How soon after an Enter more keys must come for the Enter to be part of a burst
/// (a paste the terminal did not mark, or keys typed ahead across it): no hand types
/// the next key this fast, while the rest of a paste is already waiting.
const BURST_WAIT: Duration = Duration::from_millis(50);

/// Bytes read from the terminal that the question reading them did not use: keys
/// typed ahead across the end of one answer wait here for the next question.
static LEFT_OVER: std::sync::Mutex<VecDeque<u8>> = std::sync::Mutex::new(VecDeque::new());

fn left_over() -> std::sync::MutexGuard<'static, VecDeque<u8>> {
    LEFT_OVER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Drops whatever was typed before a question is on screen, so that a key pressed while
/// text was still appearing cannot answer a question the person has not seen.
pub(crate) fn discard_typeahead() {
    left_over().clear();
    let _ = termios::tcflush(io::stdin(), QueueSelector::IFlush);
}

/// Raw mode on standard input for as long as it lives.
pub(super) struct Raw {
    saved: termios::Termios,
}

impl Raw {
    pub(super) fn enter() -> io::Result<Self> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(stdin.as_fd())?;
        let mut raw = saved.clone();
        raw.make_raw();
        // `Now`, not `Flush`: text typed ahead into a text question is kept.
        termios::tcsetattr(stdin.as_fd(), OptionalActions::Now, &raw)?;
        Ok(Self { saved })
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin().as_fd(), OptionalActions::Now, &self.saved);
    }
}

/// A key press, as far as a text question cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Char(char),
    /// Enter: saves the answer.
    Enter,
    /// Alt-Enter or Ctrl-J (or Enter inside a paste): a line break in the answer.
    Break,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    /// Ctrl-W, Alt-Backspace: deletes the word before the cursor.
    WordBack,
    /// Ctrl-Left, Alt-Left, Alt-b: to the start of the word before the cursor.
    WordLeft,
    /// Ctrl-Right, Alt-Right, Alt-f: to the end of the word after the cursor.
    WordRight,
    /// Ctrl-U: deletes everything before the cursor.
    KillStart,
    /// Ctrl-K: deletes everything after the cursor.
    KillEnd,
    Esc,
    Interrupt,
    Ignored,
}

/// Bytes from standard input turned into [`Key`]s. What one question leaves unread is
/// kept for the next (see [`LEFT_OVER`]).
pub(super) struct Keys {
    pending: VecDeque<u8>,
    /// Inside a bracketed paste, Enter is a line break, not "save".
    pasting: bool,
    /// An Enter with more keys right behind it is a line break (text questions).
    bursts: bool,
}

impl Default for Keys {
    fn default() -> Self {
        Self {
            pending: std::mem::take(&mut *left_over()),
            pasting: false,
            bursts: false,
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        let mut rest = left_over();
        rest.extend(self.pending.drain(..));
    }
}

impl Keys {
    /// Keys for a text question: an Enter that arrives with more text behind it (a
    /// paste without bracketed paste, or typing ahead across it) breaks the line
    /// rather than saving, so the whole burst becomes one answer and none of it is lost.
    pub(super) fn for_text() -> Self {
        let mut keys = Self::default();
        keys.bursts = true;
        keys
    }

    /// True when something other than line ends follows at once: what is pending, or
    /// what comes within [`BURST_WAIT`]. Line ends alone still wait: a paste's `\r\n`
    /// can arrive in one piece and its next line in the next.
    fn more_follows(&mut self) -> io::Result<bool> {
        let text = |pending: &VecDeque<u8>| pending.iter().any(|b| !matches!(b, b'\r' | b'\n'));
        if !text(&self.pending) {
            self.fill(BURST_WAIT)?;
        }
        Ok(text(&self.pending))
    }

    /// A CR LF pair (a paste from Windows text) is one line end: the LF is dropped.
    fn drop_lf_after_cr(&mut self) {
        if self.pending.front() == Some(&b'\n') {
            self.pending.pop_front();
        }
    }

    /// Reads what is available, waiting at most `wait`. False when nothing came.
    fn fill(&mut self, wait: Duration) -> io::Result<bool> {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let timeout = Timespec {
            tv_sec: i64::try_from(wait.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(wait.subsec_nanos()),
        };
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => return Ok(false),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
        let mut buf = [0u8; 4096];
        let n = stdin.lock().read(&mut buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the terminal closed",
            ));
        }
        self.pending.extend(&buf[..n]);
        Ok(true)
    }

    fn byte(&mut self, wait: Duration) -> io::Result<Option<u8>> {
        if self.pending.is_empty() {
            self.fill(wait)?;
        }
        Ok(self.pending.pop_front())
    }

    /// Drops Enter keys typed ahead of a question: the Enter that ended the previous
    /// answer, pressed twice, must not answer this one.
    fn drop_leading_enters(&mut self) -> io::Result<()> {
        self.fill(Duration::ZERO)?;
        while matches!(self.pending.front(), Some(b'\r' | b'\n')) {
            self.pending.pop_front();
        }
        Ok(())
    }

    /// The next key, or `None` when nothing was pressed within `wait`.
    pub(super) fn next(&mut self, wait: Duration) -> io::Result<Option<Key>> {
        let Some(b) = self.byte(wait)? else {
            return Ok(None);
        };
        let key = match b {
            0x03 => Key::Interrupt,
            b'\r' if self.pasting => {
                self.drop_lf_after_cr();
                Key::Break
            }
            b'\r' if self.bursts && self.more_follows()? => {
                self.drop_lf_after_cr();
                Key::Break
            }
            b'\r' => Key::Enter,
            b'\n' => Key::Break,
            0x7f | 0x08 => Key::Backspace,
            0x01 => Key::Home,
            0x05 => Key::End,
            0x02 => Key::Left,
            0x06 => Key::Right,
            0x04 => Key::Delete,
            0x15 => Key::KillStart,
            0x0b => Key::KillEnd,
            0x17 => Key::WordBack,
            b'\t' => Key::Char(' '),
            0x1b => self.escape()?,
            b if b < 0x20 => Key::Ignored,
            b => self.utf8(b)?,
        };
        Ok(Some(key))
    }

    fn escape(&mut self) -> io::Result<Key> {
        let Some(b) = self.byte(ESCAPE_WAIT)? else {
            return Ok(Key::Esc);
        };
        Ok(match b {
            b'\r' | b'\n' => Key::Break,
            0x7f | 0x08 => Key::WordBack,
            b'b' => Key::WordLeft,
            b'f' => Key::WordRight,
            b'[' => self.csi()?,
            b'O' => match self.byte(ESCAPE_WAIT)? {
                Some(b'A') => Key::Up,
                Some(b'B') => Key::Down,
                Some(b'C') => Key::Right,
                Some(b'D') => Key::Left,
                Some(b'H') => Key::Home,
                Some(b'F') => Key::End,
                _ => Key::Ignored,
            },
            0x1b => Key::Esc,
            _ => Key::Ignored,
        })
    }

    fn csi(&mut self) -> io::Result<Key> {
        let mut params = String::new();
        let last = loop {
            match self.byte(ESCAPE_WAIT)? {
                Some(b) if (0x40..=0x7e).contains(&b) => break b,
                Some(b) if params.len() < 16 => params.push(char::from(b)),
                _ => return Ok(Key::Ignored),
            }
        };
        // A modifier (`1;5` Ctrl, `1;3` Alt) on Left or Right moves by words.
        let modified = params.starts_with("1;") && params != "1;2";
        Ok(match (last, params.as_str()) {
            (b'C', _) if modified => Key::WordRight,
            (b'D', _) if modified => Key::WordLeft,
            (b'A', _) => Key::Up,
            (b'B', _) => Key::Down,
            (b'C', _) => Key::Right,
            (b'D', _) => Key::Left,
            (b'H', _) | (b'~', "1" | "7") => Key::Home,
            (b'F', _) | (b'~', "4" | "8") => Key::End,
            (b'~', "3") => Key::Delete,
            (b'~', "200") => {
                self.pasting = true;
                Key::Ignored
            }
            (b'~', "201") => {
                self.pasting = false;
                Key::Ignored
            }
            _ => Key::Ignored,
        })
    }

    fn utf8(&mut self, first: u8) -> io::Result<Key> {
        let len = match first {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        let mut bytes = vec![first];
        while bytes.len() < len {
            match self.byte(ESCAPE_WAIT)? {
                Some(b) => bytes.push(b),
                None => return Ok(Key::Ignored),
            }
        }
        Ok(std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.chars().next())
            .map_or(Key::Ignored, Key::Char))
    }
}

/// A question to type an answer to.
pub(crate) struct Ask<'a> {
    pub help: Option<&'a str>,
    pub question: &'a str,
    /// The keys, shown under the answer while it is typed.
    pub hint: &'a str,
    pub initial: &'a str,
}

pub(super) fn size(term: &Term) -> (usize, usize) {
    let (rows, cols) = term.size();
    (usize::from(rows).max(1), usize::from(cols).max(12))
}

/// The next key, or `Key::Ignored` when the terminal's width changed while waiting.
pub(super) fn next_key(keys: &mut Keys, term: &Term, cols: usize) -> io::Result<Key> {
    loop {
        if let Some(key) = keys.next(RESIZE_CHECK)? {
            return Ok(key);
        }
        // SIGTERM or SIGHUP raised the stop flag: leave as Ctrl-C does.
        if crate::interrupt::requested() {
            return Ok(Key::Interrupt);
        }
        if size(term).1 != cols {
            return Ok(Key::Ignored);
        }
    }
}

/// The question as answered: `shown` in place of what was typed, no note under it.
fn answered<'a>(view: &View<'a>, shown: &'a str) -> View<'a> {
    View {
        state: State::Answered,
        answer: shown,
        cursor: shown.len(),
        note: None,
        ..*view
    }
}

/// Runs one question until `check` accepts the answer on Enter. `check` returns the
/// value and the text to show as the answer, or a kind correction.
fn converse<'w, T>(
    term: &Term,
    ask: &Ask<'_>,
    line_breaks: bool,
    check: impl Fn(&str) -> Result<(T, String), &'w str>,
) -> Answer<T> {
    let raw = Raw::enter()?;
    let mut keys = if line_breaks {
        Keys::for_text()
    } else {
        Keys::default()
    };
    keys.drop_leading_enters()?;
    super::terminal::drawn();
    let _ = term.write_str("\x1b[?2004h");
    let mut line = Line::new(ask.initial);
    let mut screen = Screen::default();
    let mut correction: Option<&'w str> = None;
    let result = loop {
        let (rows, cols) = size(term);
        let note = match correction {
            Some(c) => (Tone::Caution, c),
            None => (Tone::Dim, ask.hint),
        };
        let view = View {
            help: ask.help,
            question: ask.question,
            state: State::Asking,
            answer: &line.text,
            cursor: line.cursor,
            note: Some(note),
        };
        // Keys already waiting (a paste, fast typing) are taken first and drawn once.
        if keys.pending.is_empty() || screen.cols != cols {
            screen.draw(term, &layout(&view, cols), rows, cols)?;
        }
        match next_key(&mut keys, term, screen.cols)? {
            Key::Enter => match check(&line.text()) {
                Ok((value, shown)) => {
                    screen.draw_whole(term, &layout(&answered(&view, &shown), cols), cols)?;
                    break Ok(value);
                }
                Err(c) => correction = Some(c),
            },
            Key::Break if line_breaks => line.insert('\n'),
            Key::Esc if !line_breaks => break Err(PromptError::Stopped),
            // In a text question Esc is Ctrl-C: nothing half-typed is saved.
            Key::Interrupt | Key::Esc => break Err(PromptError::Interrupted),
            key => {
                line.edit(key);
                correction = None;
            }
        }
    };
    if result.is_err() {
        // Stopping leaves the answer as typed, without the hint under it.
        let (_, cols) = size(term);
        let view = View {
            help: ask.help,
            question: ask.question,
            state: State::Asking,
            answer: &line.text,
            cursor: line.cursor,
            note: None,
        };
        screen.draw_whole(term, &layout(&view, cols), cols)?;
    }
    screen.finish(term)?;
    let _ = term.write_str("\x1b[?2004l");
    drop(raw);
    result
}

/// One line typed without echo (a passphrase), read like every answer: Enter ends it,
/// Backspace and Ctrl-U change it, Ctrl-C or SIGTERM stop at once (`Interrupted`), and
/// Esc, or Ctrl-D on an empty line, give up (`Stopped`). Nothing is drawn, so the
/// terminal keeps its modes apart from the raw mode, which is put back on every path.
pub(crate) fn hidden_line() -> Answer<String> {
    let raw = Raw::enter()?;
    let mut keys = Keys::default();
    let mut typed = String::new();
    let result = loop {
        let key = loop {
            if let Some(key) = keys.next(RESIZE_CHECK)? {
                break key;
            }
            if crate::interrupt::requested() {
                break Key::Interrupt;
            }
        };
        match key {
            Key::Enter | Key::Break => break Ok(std::mem::take(&mut typed)),
            Key::Char(c) => typed.push(c),
            Key::Backspace => {
                typed.pop();
            }
            Key::KillStart => typed.clear(),
            Key::Interrupt => break Err(PromptError::Interrupted),
            Key::Esc => break Err(PromptError::Stopped),
            Key::Delete if typed.is_empty() => break Err(PromptError::Stopped),
            _ => {}
        }
    };
    // Keys typed after the passphrase are not kept for anything else.
    keys.pending.clear();
    drop(raw);
    result
}

/// A question answered in words. Enter saves; Alt-Enter or Ctrl-J adds a line break.
pub(crate) fn text(term: &Term, ask: &Ask<'_>) -> Answer<String> {
    converse(term, ask, true, |typed| {
        Ok((typed.to_string(), typed.to_string()))
    })
}

/// Yes or no, typed and confirmed with Enter; there is no default. The keys, the
/// correction and the answer as shown are `keys`' words.
pub(crate) fn yes_no(
    term: &Term,
    help: Option<&str>,
    question: &str,
    keys: &KeyWords,
) -> Answer<bool> {
    discard_typeahead();
    let ask = Ask {
        help,
        question,
        hint: &keys.confirm,
        initial: "",
    };
    converse(term, &ask, false, |typed| {
        match typed.trim().to_lowercase().as_str() {
            "y" | "yes" => Ok((true, keys.yes.clone())),
            "n" | "no" => Ok((false, keys.no.clone())),
            _ => Err(keys.confirm_retry.as_str()),
        }
    })
}

#[cfg(test)]
mod tests;
