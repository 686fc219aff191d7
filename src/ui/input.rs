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

use console::{Style, Term};
use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::termios::{self, OptionalActions, QueueSelector};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::style::{self, Tone};
use super::{Answer, PromptError};

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
    /// what comes within [`BURST_WAIT`].
    fn more_follows(&mut self) -> io::Result<bool> {
        if self.pending.is_empty() {
            self.fill(BURST_WAIT)?;
        }
        Ok(self.pending.iter().any(|b| !matches!(b, b'\r' | b'\n')))
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

/// The answer being typed, and where the cursor is in it: a byte offset that is always
/// the edge of a grapheme cluster (what the eye sees as one character: a flag, a family
/// emoji, a letter and its accent), so that no key ever splits one.
#[derive(Debug, Default, Clone)]
struct Line {
    text: String,
    cursor: usize,
    /// The column Up and Down aim for, kept while they are pressed in a row.
    goal: Option<usize>,
}

/// The width a cluster takes on screen: what unicode-width says of it whole (2 for ❤️,
/// with its emoji selector) or of its characters one by one, whichever is more. A
/// terminal that draws a family emoji as its three people then still fits the row.
fn cluster_width(cluster: &str) -> usize {
    let whole = UnicodeWidthStr::width(cluster);
    let parts: usize = cluster.chars().map(|c| c.width().unwrap_or(0)).sum();
    whole.max(parts)
}

/// A cluster as it is drawn: control characters as visible placeholders, and a mark
/// that has nothing to sit on (a combining accent or joiner at the start of a line)
/// on a dotted circle, so that it cannot attach itself to whatever is drawn before it.
fn shown_cluster(cluster: &str) -> String {
    let shown = style::printable(cluster);
    match shown.chars().next() {
        Some(first) if first.width() == Some(0) => format!("\u{25cc}{shown}"),
        _ => shown.into_owned(),
    }
}

/// How a word is told apart in word moves and Ctrl-W: anything but white space.
fn is_blank(cluster: &str) -> bool {
    cluster.chars().all(char::is_whitespace)
}

impl Line {
    fn new(initial: &str) -> Self {
        Self {
            cursor: initial.len(),
            text: initial.to_string(),
            goal: None,
        }
    }

    fn text(&self) -> String {
        self.text.clone()
    }

    /// The start of the cluster before byte `at` (0 at the start).
    fn before(&self, at: usize) -> usize {
        GraphemeCursor::new(at, self.text.len(), true)
            .prev_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    /// The end of the cluster after byte `at` (the end of the text at the end).
    fn after(&self, at: usize) -> usize {
        GraphemeCursor::new(at, self.text.len(), true)
            .next_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(self.text.len())
    }

    fn is_edge(&self, at: usize) -> bool {
        GraphemeCursor::new(at, self.text.len(), true)
            .is_boundary(&self.text, 0)
            .unwrap_or(true)
    }

    /// Where the line the cursor is on starts and ends (line breaks are not included).
    fn line_bounds(&self, at: usize) -> (usize, usize) {
        let start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        (start, end)
    }

    /// The screen column of `at` within its line.
    fn column(&self, at: usize) -> usize {
        let (start, _) = self.line_bounds(at);
        self.text[start..at]
            .graphemes(true)
            .map(cluster_width)
            .sum()
    }

    /// The edge nearest `column` on the line that starts at `start`.
    fn at_column(&self, start: usize, column: usize) -> usize {
        let (_, end) = self.line_bounds(start);
        let mut col = 0;
        for (i, g) in self.text[start..end].grapheme_indices(true) {
            let w = cluster_width(g);
            if col + w > column {
                return start + i;
            }
            col += w;
        }
        end
    }

    fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        // A joiner or an accent typed before a character joins it: step over the cluster.
        if !self.is_edge(self.cursor) {
            self.cursor = self.after(self.cursor);
        }
    }

    /// The start of the word before the cursor (blanks before it skipped).
    fn word_before(&self) -> usize {
        let mut at = self.cursor;
        let mut in_word = false;
        while at > 0 {
            let prev = self.before(at);
            let blank = is_blank(&self.text[prev..at]);
            if in_word && blank {
                break;
            }
            in_word |= !blank;
            at = prev;
        }
        at
    }

    /// The end of the word after the cursor (blanks before it skipped).
    fn word_after(&self) -> usize {
        let mut at = self.cursor;
        let mut in_word = false;
        while at < self.text.len() {
            let next = self.after(at);
            let blank = is_blank(&self.text[at..next]);
            if in_word && blank {
                break;
            }
            in_word |= !blank;
            at = next;
        }
        at
    }

    /// Up (`-1`) or Down (`1`) a line, at the same column where the line is long enough.
    fn vertical(&mut self, down: bool) {
        let goal = self.goal.unwrap_or_else(|| self.column(self.cursor));
        let (start, end) = self.line_bounds(self.cursor);
        let target = if down {
            (end < self.text.len()).then(|| end + 1)
        } else {
            (start > 0).then(|| self.line_bounds(start - 1).0)
        };
        if let Some(line) = target {
            self.cursor = self.at_column(line, goal);
        }
        self.goal = Some(goal);
    }

    /// Applies an editing key; other keys are left to the caller.
    fn edit(&mut self, key: Key) {
        if !matches!(key, Key::Up | Key::Down) {
            self.goal = None;
        }
        let (start, end) = self.line_bounds(self.cursor);
        match key {
            Key::Char(c) => self.insert(c),
            Key::Backspace if self.cursor > 0 => {
                let from = self.before(self.cursor);
                self.text.replace_range(from..self.cursor, "");
                self.cursor = from;
            }
            Key::Delete if self.cursor < self.text.len() => {
                let to = self.after(self.cursor);
                self.text.replace_range(self.cursor..to, "");
            }
            Key::Left => self.cursor = self.before(self.cursor),
            Key::Right => self.cursor = self.after(self.cursor),
            Key::Up => self.vertical(false),
            Key::Down => self.vertical(true),
            Key::Home => self.cursor = start,
            Key::End => self.cursor = end,
            Key::WordLeft => self.cursor = self.word_before(),
            Key::WordRight => self.cursor = self.word_after(),
            Key::KillStart => {
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            Key::KillEnd => self.text.replace_range(self.cursor..end, ""),
            Key::WordBack => {
                let from = self.word_before();
                self.text.replace_range(from..self.cursor, "");
                self.cursor = from;
            }
            _ => {}
        }
    }
}

/// Whether the question is still open or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Asking,
    Answered,
}

/// What one drawing of a question shows.
pub(super) struct View<'a> {
    pub help: Option<&'a str>,
    pub question: &'a str,
    pub state: State,
    pub answer: &'a str,
    /// A byte offset into `answer`.
    pub cursor: usize,
    /// A hint or a gentle correction under the answer.
    pub note: Option<(Tone, &'a str)>,
}

/// Rows ready to print (styled, each narrower than the terminal) and where the cursor goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Frame {
    pub rows: Vec<String>,
    pub cursor: (usize, usize),
    /// The cursor's row as drawn up to the cursor: written again to place the cursor, so
    /// that it lands where the terminal itself put that text, whatever width the
    /// terminal gives an emoji.
    pub before_cursor: String,
    /// Lists keep the cursor hidden: the marked choice shows where one is.
    pub hidden: bool,
    /// How many rows at the end (the keys, a correction) stay on screen however tall
    /// the rest is.
    pub tail: usize,
}

/// A frame's rows without their styling, as the tests of this module and of the list
/// read them.
#[cfg(test)]
pub(super) fn plain(frame: &Frame) -> Vec<String> {
    frame
        .rows
        .iter()
        .map(|r| console::strip_ansi_codes(r).into_owned())
        .collect()
}

/// One cell of an answer's row: where its cluster starts in the answer, what is drawn
/// (`None`: the space at which a row was broken, or a line break, which take no room),
/// and its width.
struct Cell {
    at: usize,
    shown: Option<String>,
    width: usize,
}

/// One row of the answer: a styled lead (the question's last row, or an indent) and the
/// cells of the answer on it.
struct Row {
    lead: String,
    lead_width: usize,
    cells: Vec<Cell>,
}

impl Row {
    fn indent() -> Self {
        Self {
            lead: "  ".to_string(),
            lead_width: 2,
            cells: Vec::new(),
        }
    }

    fn width(&self) -> usize {
        self.lead_width + self.cells.iter().map(|c| c.width).sum::<usize>()
    }

    /// The row as drawn, up to (not including) cell `upto`.
    fn render_to(&self, upto: usize) -> String {
        let mut out = self.lead.clone();
        for cell in &self.cells[..upto.min(self.cells.len())] {
            if let Some(shown) = &cell.shown {
                out.push_str(shown);
            }
        }
        out
    }

    fn render(&self) -> String {
        self.render_to(self.cells.len())
    }
}

/// Adds `text` to `rows`, cluster by cluster, wrapping at word boundaries within `limit`
/// columns.
fn flow(rows: &mut Vec<Row>, text: &str, limit: usize) {
    for (i, g) in text.grapheme_indices(true) {
        let Some(row) = rows.last_mut() else {
            break;
        };
        if g == "\n" || g == "\r\n" {
            row.cells.push(Cell {
                at: i,
                shown: None,
                width: 0,
            });
            rows.push(Row::indent());
            continue;
        }
        let shown = shown_cluster(g);
        let w = cluster_width(&shown);
        if row.width() + w <= limit {
            row.cells.push(Cell {
                at: i,
                shown: Some(shown),
                width: w,
            });
            continue;
        }
        if g == " " {
            // The space at a break takes no room; the next word starts the next row.
            let mut next = Row::indent();
            next.cells.push(Cell {
                at: i,
                shown: None,
                width: 0,
            });
            rows.push(next);
            continue;
        }
        // Carry the word being typed over to the next row, unless it alone is too long.
        let mut next = Row::indent();
        let from = row
            .cells
            .iter()
            .rposition(|cell| cell.shown.as_deref() == Some(" "))
            .map_or(0, |space| space + 1);
        let word: usize = row.cells[from..].iter().map(|c| c.width).sum();
        if next.lead_width + word + w <= limit {
            next.cells = row.cells.split_off(from);
            // The space the row breaks at takes no room at its end.
            if let Some(space) = row
                .cells
                .last_mut()
                .filter(|cell| cell.shown.as_deref() == Some(" "))
            {
                space.shown = None;
                space.width = 0;
            }
        }
        next.cells.push(Cell {
            at: i,
            shown: Some(shown),
            width: w,
        });
        rows.push(next);
    }
}

/// Lays `view` out for a terminal `cols` wide: help, question, answer (wrapped at word
/// boundaries, line breaks kept), then the note.
pub(super) fn layout(view: &View<'_>, cols: usize) -> Frame {
    // Every row stops one column short of the edge: the terminal never wraps on its own,
    // and the cursor always has a place after the last character.
    let limit = cols.saturating_sub(1).max(10);
    let reading = limit.min(100);
    let mut rows: Vec<String> = Vec::new();
    if let Some(help) = view.help {
        rows.extend(
            style::paint_stderr(Tone::Dim, help, reading)
                .lines()
                .map(str::to_string),
        );
    }
    let (marker, sep) = match view.state {
        State::Asking => (Style::new().yellow().for_stderr().apply_to("?"), "›"),
        State::Answered => (Style::new().green().for_stderr().apply_to("✔"), "·"),
    };
    let bold = Style::new().bold().for_stderr();
    let dim = Style::new().dim().for_stderr();
    // Room is left after the question for a short answer on the same row.
    let wrapped = style::wrap(view.question, reading.saturating_sub(10));
    let mut question: Vec<(String, usize)> = wrapped
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                format!("{marker} ")
            } else {
                "  ".to_string()
            };
            (
                format!("{lead}{}", bold.apply_to(l)),
                2 + console::measure_text_width(l),
            )
        })
        .collect();
    if question.is_empty() {
        question.push((format!("{marker} "), 2));
    }
    let (last, last_width) = question.pop().unwrap_or_default();
    rows.extend(question.into_iter().map(|(r, _)| r));

    let mut answer = vec![Row {
        lead: format!("{last} {} ", dim.apply_to(sep)),
        lead_width: last_width + 3,
        cells: Vec::new(),
    }];
    if last_width + 3 >= limit {
        answer.push(Row::indent());
    }
    flow(&mut answer, view.answer, limit);

    let first = rows.len();
    let mut cursor = None;
    for (r, row) in answer.iter().enumerate() {
        let mut col = row.lead_width;
        for (n, cell) in row.cells.iter().enumerate() {
            if cell.at == view.cursor && cursor.is_none() {
                cursor = Some(((first + r, col), row.render_to(n)));
            }
            col += cell.width;
        }
    }
    let end = answer.last().map_or(((first, 0), String::new()), |row| {
        ((first + answer.len() - 1, row.width()), row.render())
    });
    rows.extend(answer.iter().map(Row::render));
    let before_note = rows.len();
    if let Some((tone, note)) = view.note {
        rows.extend(
            style::paint_stderr(tone, note, reading)
                .lines()
                .map(str::to_string),
        );
    }
    let tail = rows.len() - before_note;
    let (cursor, before_cursor) = cursor.unwrap_or(end);
    Frame {
        rows,
        cursor,
        before_cursor,
        hidden: false,
        tail,
    }
}

/// What is on screen of the question being asked, so that a redraw replaces exactly it.
///
/// A question taller than the terminal is shown through a window that always holds the
/// cursor's row and, under it, the keys: the rows drawn never reach the top of the
/// screen, so every one of them can be reached again and nothing is left behind in the
/// scrollback while the answer is typed. Once answered, the question is drawn whole,
/// once, and stays in the transcript.
#[derive(Default)]
pub(super) struct Screen {
    /// The rows on screen, as drawn.
    shown: Vec<String>,
    /// The row of `shown` the cursor is on.
    at: usize,
    cols: usize,
    /// The first row of the frame on screen, when the frame is taller than the window.
    top: usize,
}

fn up_or_down(out: &mut String, from: usize, to: usize) {
    use std::fmt::Write as _;
    if to < from {
        let _ = write!(out, "\x1b[{}A", from - to);
    } else if to > from {
        let _ = write!(out, "\x1b[{}B", to - from);
    }
}

impl Screen {
    /// The rows of `frame` that fit in `height` rows: the last `frame.tail` rows (the
    /// keys) always, and of the rest a window around the cursor's row, moved only as
    /// far as the cursor needs. Returns them and the cursor's row among them.
    fn window(&mut self, frame: &Frame, height: usize) -> (Vec<String>, usize) {
        let total = frame.rows.len();
        if total <= height {
            self.top = 0;
            return (frame.rows.clone(), frame.cursor.0);
        }
        let tail = frame.tail.min(total);
        let body = total - tail;
        let room = height.saturating_sub(tail).max(1);
        let cursor = frame.cursor.0.min(body.saturating_sub(1));
        let mut top = self.top.min(body.saturating_sub(room));
        if cursor < top {
            top = cursor;
        } else if cursor >= top + room {
            top = cursor + 1 - room;
        }
        self.top = top;
        let mut rows = frame.rows[top..(top + room).min(body)].to_vec();
        rows.extend_from_slice(&frame.rows[body..]);
        (rows, cursor - top)
    }

    /// Draws `frame`, or the window of it that fits, rewriting only from the first row
    /// that changed.
    pub(super) fn draw(
        &mut self,
        term: &Term,
        frame: &Frame,
        rows: usize,
        cols: usize,
    ) -> io::Result<()> {
        // One row is kept free, so that the rows drawn never scroll off the screen.
        let (visible, cursor) = self.window(frame, rows.saturating_sub(1).max(1));
        self.paint(
            term,
            &visible,
            cursor,
            &frame.before_cursor,
            frame.hidden,
            cols,
        )
    }

    /// Draws all of `frame` (an answered question, which stays in the transcript) from
    /// the first row of the question's area, each row once; the cursor is left at its
    /// end.
    pub(super) fn draw_whole(&mut self, term: &Term, frame: &Frame, cols: usize) -> io::Result<()> {
        if self.top > 0 {
            // What is on screen is a window further down: none of it can stay.
            self.shown.iter_mut().for_each(String::clear);
            self.top = 0;
        }
        let last = frame.rows.len().saturating_sub(1);
        let end = frame.rows.last().cloned().unwrap_or_default();
        self.paint(term, &frame.rows, last, &end, frame.hidden, cols)
    }

    fn paint(
        &mut self,
        term: &Term,
        rows: &[String],
        cursor: usize,
        before_cursor: &str,
        hidden: bool,
        cols: usize,
    ) -> io::Result<()> {
        super::terminal::drawn();
        let mut out = String::from("\x1b[?25l");
        let first_change = if self.cols != cols && self.cols != 0 {
            // After a resize every row of the question is drawn again at the new width,
            // from its first row down; what is above it (earlier answers) stays as it is.
            0
        } else {
            self.shown
                .iter()
                .zip(rows)
                .take_while(|(a, b)| a == b)
                .count()
        };
        self.cols = cols;
        let mut at = self.at;
        if first_change < rows.len() || first_change < self.shown.len() {
            // Rows below the last one drawn do not exist yet: new lines make them.
            let last = self.shown.len().saturating_sub(1).max(at);
            up_or_down(&mut out, at, first_change.min(last));
            for _ in last..first_change {
                out.push_str("\r\n");
            }
            out.push_str("\r\x1b[J");
            let rest = rows.get(first_change..).unwrap_or_default();
            out.push_str(&rest.join("\r\n"));
            at = (first_change + rest.len())
                .saturating_sub(1)
                .max(first_change);
        }
        up_or_down(&mut out, at, cursor);
        out.push('\r');
        out.push_str(before_cursor);
        if !hidden {
            out.push_str("\x1b[?25h");
        }
        term.write_str(&out)?;
        self.at = cursor;
        self.shown = rows.to_vec();
        Ok(())
    }

    /// The width the frame was last drawn for.
    pub(super) fn cols(&self) -> usize {
        self.cols
    }

    /// Leaves the cursor on a fresh line under the frame.
    pub(super) fn finish(&mut self, term: &Term) -> io::Result<()> {
        let mut out = String::new();
        up_or_down(&mut out, self.at, self.shown.len().saturating_sub(1));
        out.push_str("\r\n\x1b[?25h");
        term.write_str(&out)
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

/// Runs one question until `check` accepts the answer on Enter. `check` returns the
/// value and the text to show as the answer, or a kind correction.
fn converse<T>(
    term: &Term,
    ask: &Ask<'_>,
    line_breaks: bool,
    check: impl Fn(&str) -> Result<(T, String), &'static str>,
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
    let mut correction: Option<&'static str> = None;
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
        let key = loop {
            if let Some(key) = keys.next(RESIZE_CHECK)? {
                break key;
            }
            // SIGTERM or SIGHUP raised the stop flag: leave as Ctrl-C does.
            if crate::interrupt::requested() {
                break Key::Interrupt;
            }
            if size(term).1 != screen.cols {
                break Key::Ignored;
            }
        };
        match key {
            Key::Enter => match check(&line.text()) {
                Ok((value, shown)) => {
                    let view = View {
                        state: State::Answered,
                        answer: &shown,
                        cursor: shown.len(),
                        note: None,
                        ..view
                    };
                    screen.draw_whole(term, &layout(&view, cols), cols)?;
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

/// Yes or no, typed and confirmed with Enter; there is no default.
pub(crate) fn yes_no(term: &Term, help: Option<&str>, question: &str) -> Answer<bool> {
    discard_typeahead();
    let ask = Ask {
        help,
        question,
        hint: "(y or n, then Enter · Esc stops here)",
        initial: "",
    };
    converse(term, &ask, false, |typed| {
        match typed.trim().to_lowercase().as_str() {
            "y" | "yes" => Ok((true, "yes".to_string())),
            "n" | "no" => Ok((false, "no".to_string())),
            _ => Err("Type y for yes or n for no, then press Enter."),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(question: &'a str, answer: &'a str, state: State) -> View<'a> {
        View {
            help: None,
            question,
            state,
            answer,
            cursor: answer.len(),
            note: None,
        }
    }

    #[test]
    fn no_row_reaches_the_last_column_and_words_stay_whole() {
        let text = "the quiet after everything and the words I did not say ".repeat(30);
        let answer: &str = &text;
        for cols in [40, 60, 100, 200, 250] {
            let frame = layout(&view("What do you miss?", answer, State::Asking), cols);
            let rows = plain(&frame);
            for row in &rows {
                assert!(console::measure_text_width(row) < cols, "{cols}: {row:?}");
            }
            let joined: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
            let words: Vec<&str> = ["?", "What", "do", "you", "miss?", "›"]
                .into_iter()
                .chain(text.split_whitespace())
                .collect();
            assert_eq!(joined, words, "{cols}: a word was cut");
            assert_eq!(frame.cursor.0, rows.len() - 1);
        }
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        let text = "想你 ".repeat(40);
        let answer: &str = &text;
        let frame = layout(&view("Q?", answer, State::Asking), 41);
        let rows = plain(&frame);
        assert!(rows.len() > 4, "{rows:?}");
        for row in &rows {
            assert!(console::measure_text_width(row) < 41, "{row:?}");
        }
        let (row, col) = frame.cursor;
        assert_eq!(col, console::measure_text_width(&rows[row]));
    }

    #[test]
    fn the_cursor_follows_the_text_across_rows_and_line_breaks() {
        let answer = "first line\nsecond";
        let mut v = view("Q?", answer, State::Asking);
        let frame = layout(&v, 80);
        assert_eq!(plain(&frame), ["? Q? › first line", "  second"]);
        assert_eq!(frame.cursor, (1, 8));
        v.cursor = 3;
        assert_eq!(layout(&v, 80).cursor, (0, 10));
    }

    #[test]
    fn a_long_question_wraps_at_words_and_the_answer_marker_changes() {
        let q = "When you think about the months before it ended, what do you wish you had said?";
        let answer = "that I was scared";
        let frame = layout(&view(q, answer, State::Answered), 40);
        let rows = plain(&frame);
        assert!(rows[0].starts_with("✔ When you think"), "{rows:?}");
        assert!(rows.iter().all(|r| !r.ends_with(' ')), "{rows:?}");
        assert!(rows.iter().all(|r| r.chars().count() < 40), "{rows:?}");
        let words: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
        assert_eq!(
            words.join(" "),
            format!("✔ {q} · that I was scared"),
            "{rows:?}"
        );
    }

    #[test]
    fn editing_keys_change_the_line_as_expected() {
        let mut line = Line::new("one two");
        line.edit(Key::WordBack);
        assert_eq!(line.text(), "one ");
        line.edit(Key::Home);
        line.edit(Key::Delete);
        assert_eq!(line.text(), "ne ");
        line.edit(Key::End);
        line.edit(Key::Char('x'));
        line.edit(Key::Left);
        line.edit(Key::KillEnd);
        assert_eq!(line.text(), "ne ");
        line.edit(Key::KillStart);
        assert_eq!(line.text(), "");
    }

    fn keys(line: &mut Line, keys: &[Key]) {
        for key in keys {
            line.edit(*key);
        }
    }

    #[test]
    fn cursor_moves_and_deletion_go_by_grapheme_cluster() {
        // A family (three people joined by ZWJ) is one step of the cursor.
        let mut line = Line::new("a👩‍👩‍👧b");
        keys(&mut line, &[Key::Left, Key::Left, Key::Char('X')]);
        assert_eq!(line.text(), "aX👩‍👩‍👧b");
        keys(&mut line, &[Key::Delete]);
        assert_eq!(line.text(), "aXb", "Delete takes the whole family");
        // A flag is two regional indicators and one Backspace.
        let mut line = Line::new("to 🇯🇵");
        keys(&mut line, &[Key::Backspace]);
        assert_eq!(line.text(), "to ");
        // A letter and its combining accent: one Right.
        let mut line = Line::new("e\u{301}x");
        keys(&mut line, &[Key::Home, Key::Right, Key::Char('Y')]);
        assert_eq!(line.text(), "e\u{301}Yx");
        // A heart with its emoji selector.
        let mut line = Line::new("❤️❤️");
        keys(
            &mut line,
            &[Key::Left, Key::Char('Z'), Key::Left, Key::Backspace],
        );
        assert_eq!(line.text(), "Z❤️");
        // An accent typed before a letter joins it; the cursor steps over the cluster.
        let mut line = Line::new("ab");
        keys(
            &mut line,
            &[Key::Left, Key::Char('\u{301}'), Key::Char('c')],
        );
        assert_eq!(line.text(), "a\u{301}cb");
    }

    #[test]
    fn widths_are_those_of_whole_clusters() {
        assert_eq!(cluster_width("❤️"), 2, "VS16 asks for emoji presentation");
        assert_eq!(cluster_width("e\u{301}"), 1);
        assert_eq!(cluster_width("🇯🇵"), 2);
        assert!(cluster_width("👩‍👩‍👧") >= 2);
        // A row of hearts at 40 columns stays within them.
        let hearts = "❤️ ".repeat(30);
        let frame = layout(&view("Q?", &hearts, State::Asking), 40);
        for row in plain(&frame) {
            let width: usize = row.graphemes(true).map(cluster_width).sum();
            assert!(width < 40, "{width}: {row:?}");
        }
    }

    #[test]
    fn control_characters_and_lone_marks_are_shown_not_sent() {
        let frame = layout(&view("Q?", "a\u{1b}[2Jb\u{7}", State::Asking), 80);
        assert_eq!(plain(&frame), ["? Q? › a^[[2Jb^G"]);
        let frame = layout(&view("Q?", "\u{200d}x\n\u{301}", State::Asking), 80);
        assert_eq!(
            plain(&frame),
            ["? Q? › \u{25cc}\u{200d}x", "  \u{25cc}\u{301}"]
        );
    }

    #[test]
    fn up_down_home_end_and_word_moves_work_per_line() {
        let mut line = Line::new("first line\nsecond\nthird line here");
        // Up keeps the column where the line is long enough, else goes to its end.
        keys(&mut line, &[Key::Up]);
        assert_eq!(line.cursor, "first line\nsecond".len());
        keys(&mut line, &[Key::Up]);
        assert_eq!(line.cursor, "first line".len(), "the goal column is kept");
        keys(&mut line, &[Key::Down, Key::Down]);
        assert_eq!(line.cursor, line.text.len());
        keys(&mut line, &[Key::Home]);
        assert_eq!(line.cursor, "first line\nsecond\n".len());
        keys(&mut line, &[Key::Up, Key::End]);
        assert_eq!(line.cursor, "first line\nsecond".len());
        keys(&mut line, &[Key::Home, Key::Up, Key::WordRight]);
        assert_eq!(line.cursor, "first".len());
        keys(&mut line, &[Key::WordRight, Key::WordRight]);
        assert_eq!(line.cursor, "first line\nsecond".len());
        keys(&mut line, &[Key::WordLeft]);
        assert_eq!(line.cursor, "first line\n".len());
        keys(&mut line, &[Key::WordLeft]);
        assert_eq!(line.cursor, "first ".len());
        // Ctrl-U and Ctrl-K stay on the line.
        keys(&mut line, &[Key::Down, Key::KillEnd]);
        assert_eq!(line.text(), "first line\nsecond\nthird line here");
        keys(&mut line, &[Key::Down, Key::End, Key::KillStart]);
        assert_eq!(line.text(), "first line\nsecond\n");
    }
}
