//! The answer being typed: a line of text edited by grapheme cluster, with its cursor.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Key;

/// The answer being typed, and where the cursor is in it: a byte offset that is always
/// the edge of a grapheme cluster (what the eye sees as one character: a flag, a family
/// emoji, a letter and its accent), so that no key ever splits one.
#[derive(Debug, Default, Clone)]
pub(super) struct Line {
    pub(super) text: String,
    pub(super) cursor: usize,
    /// The column Up and Down aim for, kept while they are pressed in a row.
    goal: Option<usize>,
}

/// The width a cluster takes on screen: what unicode-width says of it whole (2 for ❤️,
/// with its emoji selector) or of its characters one by one, whichever is more. A
/// terminal that draws a family emoji as its three people then still fits the row.
pub(super) fn cluster_width(cluster: &str) -> usize {
    let whole = UnicodeWidthStr::width(cluster);
    let parts: usize = cluster.chars().map(|c| c.width().unwrap_or(0)).sum();
    whole.max(parts)
}

/// A cluster as it is drawn: control characters as visible placeholders, and a mark
/// that has nothing to sit on (a combining accent or joiner at the start of a line)
/// on a dotted circle, so that it cannot attach itself to whatever is drawn before it.
pub(super) fn shown_cluster(cluster: &str) -> String {
    let shown = crate::escapes::printable(cluster);
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
    pub(super) fn new(initial: &str) -> Self {
        Self {
            cursor: initial.len(),
            text: initial.to_string(),
            goal: None,
        }
    }

    pub(super) fn text(&self) -> String {
        self.text.clone()
    }

    /// The start of the cluster before byte `at` (0 at the start).
    pub(super) fn before(&self, at: usize) -> usize {
        GraphemeCursor::new(at, self.text.len(), true)
            .prev_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    /// The end of the cluster after byte `at` (the end of the text at the end).
    pub(super) fn after(&self, at: usize) -> usize {
        GraphemeCursor::new(at, self.text.len(), true)
            .next_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(self.text.len())
    }

    pub(super) fn is_edge(&self, at: usize) -> bool {
        GraphemeCursor::new(at, self.text.len(), true)
            .is_boundary(&self.text, 0)
            .unwrap_or(true)
    }

    /// Where the line the cursor is on starts and ends (line breaks are not included).
    pub(super) fn line_bounds(&self, at: usize) -> (usize, usize) {
        let start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        (start, end)
    }

    /// The screen column of `at` within its line.
    pub(super) fn column(&self, at: usize) -> usize {
        let (start, _) = self.line_bounds(at);
        self.text[start..at]
            .graphemes(true)
            .map(cluster_width)
            .sum()
    }

    /// The edge nearest `column` on the line that starts at `start`.
    pub(super) fn at_column(&self, start: usize, column: usize) -> usize {
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

    pub(super) fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        // A joiner or an accent typed before a character joins it: step over the cluster.
        if !self.is_edge(self.cursor) {
            self.cursor = self.after(self.cursor);
        }
    }

    /// The start of the word before the cursor (blanks before it skipped).
    pub(super) fn word_before(&self) -> usize {
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
    pub(super) fn word_after(&self) -> usize {
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
    pub(super) fn vertical(&mut self, down: bool) {
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
    pub(super) fn edit(&mut self, key: Key) {
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
