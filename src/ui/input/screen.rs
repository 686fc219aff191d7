//! What is on screen of the question being asked, and how a redraw replaces exactly it.

use std::io;

use console::Term;

use super::Frame;

/// What is on screen of the question being asked, so that a redraw replaces exactly it.
///
/// A question taller than the terminal is shown through a window that always holds the
/// cursor's row and, under it, the keys: the rows drawn never reach the top of the
/// screen, so every one of them can be reached again and nothing is left behind in the
/// scrollback while the answer is typed. Once answered, the question is drawn whole,
/// once, and stays in the transcript.
#[derive(Default)]
pub(in crate::ui) struct Screen {
    /// The rows on screen, as drawn.
    shown: Vec<String>,
    /// The row of `shown` the cursor is on.
    at: usize,
    pub(super) cols: usize,
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
    pub(in crate::ui) fn draw(
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
    pub(in crate::ui) fn draw_whole(
        &mut self,
        term: &Term,
        frame: &Frame,
        cols: usize,
    ) -> io::Result<()> {
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
        crate::ui::terminal::drawn();
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
    pub(in crate::ui) fn cols(&self) -> usize {
        self.cols
    }

    /// Leaves the cursor on a fresh line under the frame.
    pub(in crate::ui) fn finish(&mut self, term: &Term) -> io::Result<()> {
        let mut out = String::new();
        up_or_down(&mut out, self.at, self.shown.len().saturating_sub(1));
        out.push_str("\r\n\x1b[?25h");
        term.write_str(&out)
    }
}
