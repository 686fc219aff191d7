//! Lists (one choice, several choices, a 1–10 scale), drawn with the same layout and
//! redraw as the text questions in [`super::input`]: choices wrap at word boundaries,
//! a resize redraws the whole question cleanly, and keys typed before the list is on
//! screen are dropped.

use console::{Style, Term};

use super::input::{self, Frame, Key, Keys, Raw, Screen, State, View};
use super::style::Tone;
use super::{Answer, PromptError};

/// A list to choose from.
pub(crate) struct Choices<'a> {
    pub help: Option<&'a str>,
    pub question: &'a str,
    /// The keys, shown under the list while it is open.
    pub hint: &'a str,
    pub options: &'a [String],
    /// Where the marker starts.
    pub start: usize,
    /// Several may be ticked (Space), rather than one picked.
    pub several: bool,
}

/// Rows of the choices, each wrapped at word boundaries after its mark, and the range
/// of rows each choice takes.
fn choice_rows(
    c: &Choices<'_>,
    active: usize,
    ticked: &[bool],
    cols: usize,
) -> (Vec<String>, Vec<(usize, usize)>) {
    let limit = cols.saturating_sub(1).max(10);
    let lead = if c.several { 4 } else { 2 };
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
        // Only a choice too wide is rewrapped: wrapping collapses spaces that align.
        let wrapped = if console::measure_text_width(option) <= width {
            option.clone()
        } else {
            super::style::wrap(option, width)
        };
        for (n, line) in wrapped.lines().enumerate() {
            let row = match (n, i == active) {
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
/// terminal is too short for all), and the keys.
fn frame(c: &Choices<'_>, active: usize, ticked: &[bool], rows: usize, cols: usize) -> Frame {
    let mut frame = input::layout(
        &View {
            help: c.help,
            question: c.question,
            state: State::Asking,
            answer: &[],
            cursor: 0,
            note: None,
        },
        cols,
    );
    let (items, spans) = choice_rows(c, active, ticked, cols);
    let reading = cols.saturating_sub(1).clamp(10, 100);
    let hint_rows: Vec<String> = super::style::paint_stderr(Tone::Dim, c.hint, reading)
        .lines()
        .map(str::to_string)
        .collect();
    // Room for the choices: the screen less the question, the keys and a spare row.
    let room = rows
        .saturating_sub(frame.rows.len() + hint_rows.len() + 1)
        .max(3);
    let (mut from, mut to) = (0, items.len());
    if items.len() > room {
        let (a, b) = spans.get(active).copied().unwrap_or((0, 1));
        from = a.saturating_sub(room.saturating_sub(b - a) / 2);
        to = (from + room).min(items.len());
        from = to.saturating_sub(room);
    }
    let active_row = frame.rows.len() + spans.get(active).map_or(0, |s| s.0).saturating_sub(from);
    frame.rows.extend(items[from..to].iter().cloned());
    frame.rows.extend(hint_rows);
    frame.cursor = (active_row.min(frame.rows.len().saturating_sub(1)), 0);
    frame.hidden = true;
    frame
}

/// Asks until Enter; `None` when Esc is pressed. Returns the picked index (one
/// choice) or the ticked indices in order (several).
pub(crate) fn choose(term: &Term, c: &Choices<'_>) -> Answer<Option<Vec<usize>>> {
    input::discard_typeahead();
    let raw = Raw::enter()?;
    let mut keys = Keys::default();
    let mut screen = Screen::default();
    let count = c.options.len().max(1);
    let mut active = c.start.min(count - 1);
    let mut ticked = vec![false; c.options.len()];
    let result = loop {
        let (rows, cols) = input::size(term);
        screen.draw(term, &frame(c, active, &ticked, rows, cols), rows, cols)?;
        let key = loop {
            if let Some(key) = keys.next(input::RESIZE_CHECK)? {
                break key;
            }
            // SIGTERM or SIGHUP raised the stop flag: leave as Ctrl-C does.
            if crate::interrupt::requested() {
                break Key::Interrupt;
            }
            if input::size(term).1 != screen.cols() {
                break Key::Ignored;
            }
        };
        match key {
            Key::Up | Key::Left => active = (active + count - 1) % count,
            Key::Down | Key::Right => active = (active + 1) % count,
            Key::Home => active = 0,
            Key::End => active = count - 1,
            Key::Char(' ') if c.several => {
                if let Some(t) = ticked.get_mut(active) {
                    *t = !*t;
                }
            }
            Key::Enter => {
                let chosen: Vec<usize> = if c.several {
                    (0..ticked.len()).filter(|&i| ticked[i]).collect()
                } else {
                    vec![active]
                };
                break Ok(Some(chosen));
            }
            Key::Esc => break Ok(None),
            Key::Interrupt => break Err(PromptError::Interrupted),
            _ => {}
        }
    };
    // The answered line replaces the list; the help stays above it.
    let shown = match &result {
        Ok(Some(chosen)) if chosen.is_empty() => "none".to_string(),
        Ok(Some(chosen)) => chosen
            .iter()
            .filter_map(|&i| c.options.get(i).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    let chars: Vec<char> = shown.chars().collect();
    let (rows, cols) = input::size(term);
    let done = input::layout(
        &View {
            help: c.help,
            question: c.question,
            state: if matches!(result, Ok(Some(_))) {
                State::Answered
            } else {
                State::Asking
            },
            answer: &chars,
            cursor: chars.len(),
            note: None,
        },
        cols,
    );
    screen.draw(term, &done, rows, cols)?;
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
            start: 0,
            several: true,
        };
        let ticked = vec![false; options.len()];
        for (rows, cols) in [(60, 40), (12, 40), (8, 100)] {
            for active in [0, 5, 11] {
                let frame = frame(&c, active, &ticked, rows, cols);
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
}
