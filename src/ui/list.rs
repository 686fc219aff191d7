//! Lists (one choice, several choices, a 1–10 scale), drawn with the same layout and
//! redraw as the text questions in [`super::input`]: choices wrap at word boundaries,
//! a resize redraws the whole question cleanly, and keys typed before the list is on
//! screen are dropped.
//!
//! Digits move the marker at once: `3` to the third choice, `1` then `0` within a
//! moment (or `0` alone) to the tenth; Enter confirms. A scale starts with nothing
//! marked, so Enter alone picks nothing: only a value the person chose is stored.

use std::time::{Duration, Instant};

use console::{Style, Term};

use super::input::{self, Frame, Key, Keys, Raw, Screen, State, View};
use super::style::Tone;
use super::{Answer, PromptError};

/// A list to choose from.
#[derive(Clone, Copy)]
pub(crate) struct Choices<'a> {
    pub help: Option<&'a str>,
    pub question: &'a str,
    /// The keys, shown under the list while it is open.
    pub hint: &'a str,
    pub options: &'a [String],
    /// Where the marker starts; `None`: nowhere, until a digit or an arrow is pressed
    /// (a scale, where no value may be stored that the person did not choose).
    pub start: Option<usize>,
    /// Several may be ticked (Space), rather than one picked.
    pub several: bool,
    /// How many choices digits reach (`3` moves to the third): the first `digits`.
    pub digits: usize,
    /// The choices are shown with their numbers (a scale's items carry their own).
    pub numbered: bool,
    /// Said instead of the keys when Enter is pressed with nothing marked.
    pub unpicked: &'a str,
    /// Shown as the answer when Enter is pressed with nothing ticked (several).
    pub none: &'a str,
}

/// How long after a `1` a `0` still makes it 10 (or, in a longer list, any second
/// digit makes a two-digit number).
const SECOND_DIGIT: Duration = Duration::from_secs(1);

/// The marker after the digit `d` is typed (`last`: the number a digit typed a
/// moment ago made, if any): the choice (0-based) it names, or `None` when it names
/// none of the first `reach`.
fn after_digit(d: usize, last: Option<usize>, reach: usize) -> Option<usize> {
    let number = match last {
        Some(first) if first < 10 && (first * 10 + d) <= reach => first * 10 + d,
        _ if d == 0 => 10,
        _ => d,
    };
    (1..=reach).contains(&number).then(|| number - 1)
}

/// Rows of the choices, each wrapped at word boundaries after its mark, and the range
/// of rows each choice takes.
fn choice_rows(
    c: &Choices<'_>,
    active: Option<usize>,
    ticked: &[bool],
    cols: usize,
) -> (Vec<String>, Vec<(usize, usize)>) {
    let limit = cols.saturating_sub(1).max(10);
    let number_width = if c.numbered {
        c.options.len().to_string().len() + 2
    } else {
        0
    };
    let lead = if c.several { 4 } else { 2 } + number_width;
    let width = limit.saturating_sub(lead).min(100);
    let pointer = Style::new().cyan().for_stderr();
    let mut rows = Vec::new();
    let mut spans = Vec::new();
    for (i, option) in c.options.iter().enumerate() {
        let first = rows.len();
        let mark = match (c.several, ticked.get(i).copied().unwrap_or(false)) {
            (false, _) => String::new(),
            (true, true) => format!("{} ", Style::new().green().for_stderr().apply_to("✔")),
            (true, false) => "⬚ ".to_string(),
        };
        let mark = if c.numbered {
            format!("{mark}{:<number_width$}", format!("{}.", i + 1))
        } else {
            mark
        };
        // Only a choice too wide is rewrapped: wrapping collapses spaces that align.
        let wrapped = if console::measure_text_width(option) <= width {
            option.clone()
        } else {
            super::style::wrap(option, width)
        };
        for (n, line) in wrapped.lines().enumerate() {
            let row = match (n, active == Some(i)) {
                (0, true) => format!("{} {mark}{}", pointer.apply_to("❯"), pointer.apply_to(line)),
                (0, false) => format!("  {mark}{line}"),
                (_, true) => format!("{}{}", " ".repeat(lead), pointer.apply_to(line)),
                (_, false) => format!("{}{line}", " ".repeat(lead)),
            };
            rows.push(row);
        }
        if rows.len() == first {
            rows.push(String::new());
        }
        spans.push((first, rows.len()));
    }
    (rows, spans)
}

/// The open list: question, the choices (a window of them around the marker when the
/// terminal is too short for all), and the keys (or `note` in their place).
fn frame(
    c: &Choices<'_>,
    active: Option<usize>,
    ticked: &[bool],
    note: Option<&str>,
    (rows, cols): (usize, usize),
) -> Frame {
    let mut frame = input::layout(
        &View {
            help: c.help,
            question: c.question,
            state: State::Asking,
            answer: "",
            cursor: 0,
            note: None,
        },
        cols,
    );
    let (items, spans) = choice_rows(c, active, ticked, cols);
    let reading = cols.saturating_sub(1).clamp(10, 100);
    let (tone, hint) = note.map_or((Tone::Dim, c.hint), |n| (Tone::Caution, n));
    let hint_rows: Vec<String> = super::style::paint_stderr(tone, hint, reading)
        .lines()
        .map(str::to_string)
        .collect();
    // Room for the choices: the screen less the question, the keys and a spare row.
    let room = rows
        .saturating_sub(frame.rows.len() + hint_rows.len() + 1)
        .max(3);
    let (mut from, mut to) = (0, items.len());
    if items.len() > room {
        let (a, b) = spans
            .get(active.unwrap_or(c.options.len() / 2))
            .copied()
            .unwrap_or((0, 1));
        from = a.saturating_sub(room.saturating_sub(b - a) / 2);
        to = (from + room).min(items.len());
        from = to.saturating_sub(room);
    }
    let active_row = frame.rows.len()
        + active
            .and_then(|a| spans.get(a))
            .map_or(0, |s| s.0)
            .saturating_sub(from);
    frame.rows.extend(items[from..to].iter().cloned());
    frame.tail = hint_rows.len();
    frame.rows.extend(hint_rows);
    frame.cursor = (active_row.min(frame.rows.len().saturating_sub(1)), 0);
    frame.before_cursor = String::new();
    frame.hidden = true;
    frame
}

/// Where the marker is, and the number the last digit made (and when it was typed).
struct Marker {
    active: Option<usize>,
    digit: Option<(usize, Instant)>,
}

impl Marker {
    /// Moves the marker for a digit, an arrow, `j`, `k`, Home or End; false for any
    /// other key.
    fn moved(&mut self, c: &Choices<'_>, key: Key) -> bool {
        let count = c.options.len().max(1);
        // The first move from nothing marked starts in the middle.
        let middle = c.options.len().min(c.digits.max(1)) / 2;
        let typed = match key {
            Key::Char(d) => d.to_digit(10).and_then(|d| usize::try_from(d).ok()),
            _ => None,
        };
        let last = self
            .digit
            .take()
            .filter(|(_, at)| at.elapsed() < SECOND_DIGIT)
            .map(|(n, _)| n);
        if let Some(d) = typed {
            if let Some(to) = after_digit(d, last, c.digits.min(count)) {
                self.active = Some(to);
                self.digit = Some((to + 1, Instant::now()));
            }
            return true;
        }
        self.active = Some(match key {
            Key::Up | Key::Left | Key::Char('k') => {
                self.active.map_or(middle, |a| (a + count - 1) % count)
            }
            Key::Down | Key::Right | Key::Char('j') => {
                self.active.map_or(middle, |a| (a + 1) % count)
            }
            Key::Home => 0,
            Key::End => count - 1,
            _ => return false,
        });
        true
    }
}

/// The answer as shown once the list is answered: the picked labels, or nothing when
/// the question was left.
fn answered(c: &Choices<'_>, result: &Answer<Option<Vec<usize>>>) -> String {
    match result {
        Ok(Some(chosen)) if chosen.is_empty() => c.none.to_string(),
        Ok(Some(chosen)) => chosen
            .iter()
            .filter_map(|&i| c.options.get(i).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Asks until Enter; `None` when Esc is pressed. Returns the picked index (one
/// choice) or the ticked indices in order (several).
pub(crate) fn choose(term: &Term, c: &Choices<'_>) -> Answer<Option<Vec<usize>>> {
    input::discard_typeahead();
    let raw = Raw::enter()?;
    let mut keys = Keys::default();
    let mut screen = Screen::default();
    let count = c.options.len().max(1);
    let mut marker = Marker {
        active: c.start.map(|s| s.min(count - 1)),
        digit: None,
    };
    let mut ticked = vec![false; c.options.len()];
    let mut unpicked = false;
    let result = loop {
        let (rows, cols) = input::size(term);
        let note = unpicked.then_some(c.unpicked);
        screen.draw(
            term,
            &frame(c, marker.active, &ticked, note, (rows, cols)),
            rows,
            cols,
        )?;
        let key = input::next_key(&mut keys, term, screen.cols())?;
        unpicked = false;
        if marker.moved(c, key) {
            continue;
        }
        let active = marker.active;
        match key {
            Key::Char(' ') if c.several => {
                if let Some(t) = active.and_then(|a| ticked.get_mut(a)) {
                    *t = !*t;
                }
            }
            Key::Enter => {
                let chosen: Vec<usize> = if c.several {
                    (0..ticked.len()).filter(|&i| ticked[i]).collect()
                } else if let Some(active) = active {
                    vec![active]
                } else {
                    unpicked = true;
                    continue;
                };
                break Ok(Some(chosen));
            }
            Key::Esc => break Ok(None),
            Key::Interrupt => break Err(PromptError::Interrupted),
            _ => {}
        }
    };
    // The answered line replaces the list; the help stays above it.
    let shown = answered(c, &result);
    let (_, cols) = input::size(term);
    let done = input::layout(
        &View {
            help: c.help,
            question: c.question,
            state: if matches!(result, Ok(Some(_))) {
                State::Answered
            } else {
                State::Asking
            },
            answer: &shown,
            cursor: shown.len(),
            note: None,
        },
        cols,
    );
    screen.draw_whole(term, &done, cols)?;
    screen.finish(term)?;
    drop(raw);
    result
}

#[cfg(test)]
mod tests {
    use super::input::plain;
    use super::*;

    #[test]
    fn choices_wrap_within_the_width_and_the_marker_row_is_the_cursor_row() {
        let options: Vec<String> = (0..12)
            .map(|i| format!("choice {i} with quite a few words that need more than one row"))
            .collect();
        let c = Choices {
            help: Some("Tick what fits."),
            question: "Which of these?",
            hint: "(keys)",
            options: &options,
            start: Some(0),
            several: true,
            digits: 12,
            numbered: false,
            unpicked: "(pick one)",
            none: "none",
        };
        let ticked = vec![false; options.len()];
        for (rows, cols) in [(60, 40), (12, 40), (8, 100)] {
            for active in [0, 5, 11] {
                let frame = frame(&c, Some(active), &ticked, None, (rows, cols));
                let shown = plain(&frame);
                assert!(shown.iter().all(|r| r.chars().count() < cols), "{shown:?}");
                let marked = &shown[frame.cursor.0];
                assert!(
                    marked.starts_with(&format!("❯ ⬚ choice {active} ")),
                    "{rows}x{cols}, {active}: {marked:?} in {shown:?}"
                );
                assert!(shown.len() < rows, "fits the screen: {shown:?}");
                assert_eq!(shown.last().unwrap(), "(keys)");
            }
        }
    }

    #[test]
    fn a_digit_names_a_choice_and_a_second_one_soon_after_makes_two_digits() {
        // A 1–10 scale.
        assert_eq!(after_digit(2, None, 10), Some(1));
        assert_eq!(after_digit(1, None, 10), Some(0));
        assert_eq!(after_digit(0, Some(1), 10), Some(9), "1 then 0 is 10");
        assert_eq!(after_digit(0, None, 10), Some(9), "0 alone is 10");
        assert_eq!(
            after_digit(3, Some(1), 10),
            Some(2),
            "13 is off the scale: 3"
        );
        assert_eq!(after_digit(7, Some(10), 10), Some(6));
        // A list of four: no tenth choice, no fifth.
        assert_eq!(after_digit(0, None, 4), None);
        assert_eq!(after_digit(5, None, 4), None);
        assert_eq!(after_digit(4, Some(1), 4), Some(3));
        // A list of twelve.
        assert_eq!(after_digit(2, Some(1), 12), Some(11));
    }

    #[test]
    fn numbered_choices_show_their_numbers_and_nothing_marked_shows_no_marker() {
        let options: Vec<String> = ["I did", "They did"].map(String::from).to_vec();
        let c = Choices {
            help: None,
            question: "Who ended it?",
            hint: "(keys)",
            options: &options,
            start: None,
            several: false,
            digits: 2,
            numbered: true,
            unpicked: "Type a number first.",
            none: "none",
        };
        let shown = plain(&frame(&c, None, &[], Some(c.unpicked), (30, 80)));
        assert_eq!(
            shown,
            [
                "? Who ended it? › ",
                "  1. I did",
                "  2. They did",
                "Type a number first."
            ]
        );
        let shown = plain(&frame(&c, Some(1), &[], None, (30, 80)));
        assert_eq!(shown[2], "❯ 2. They did");
    }
}
