//! Laying out one drawing of a question: help, question, answer and keys, in rows that
//! stop one column short of the terminal's edge, words kept whole.

use console::Style;
use unicode_segmentation::UnicodeSegmentation;

use super::line::{cluster_width, shown_cluster};
use crate::ui::style::{self, Tone};

/// Whether the question is still open or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::ui) enum State {
    Asking,
    Answered,
}

/// What one drawing of a question shows.
pub(in crate::ui) struct View<'a> {
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
pub(in crate::ui) struct Frame {
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
pub(in crate::ui) fn plain(frame: &Frame) -> Vec<String> {
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

/// The question wrapped to `width`, each row with its width on screen; the first row
/// starts with `marker`.
fn question_rows(
    text: &str,
    marker: &console::StyledObject<&str>,
    width: usize,
) -> Vec<(String, usize)> {
    let bold = Style::new().bold().for_stderr();
    style::wrap(text, width)
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
        .collect()
}

/// Where the cursor at byte `at` of the answer is drawn (row counted from `first`,
/// column) and the row up to it, when it sits on a character.
fn cursor_in(answer: &[Row], first: usize, at: usize) -> Option<((usize, usize), String)> {
    for (r, row) in answer.iter().enumerate() {
        let mut col = row.lead_width;
        for (n, cell) in row.cells.iter().enumerate() {
            if cell.at == at {
                return Some(((first + r, col), row.render_to(n)));
            }
            col += cell.width;
        }
    }
    None
}

/// Lays `view` out for a terminal `cols` wide: help, question, answer (wrapped at word
/// boundaries, line breaks kept), then the note.
pub(in crate::ui) fn layout(view: &View<'_>, cols: usize) -> Frame {
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
    let dim = Style::new().dim().for_stderr();
    // Room is left after the question for a short answer on the same row.
    let mut question = question_rows(view.question, &marker, reading.saturating_sub(10));
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
    let cursor = cursor_in(&answer, first, view.cursor);
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
