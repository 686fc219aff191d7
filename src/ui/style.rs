//! Colour and layout of shown text. The only place that knows about colour; console
//! honours NO_COLOR and CLICOLOR_FORCE, and `--color` overrides both.

use console::{Style, Term};

use crate::escapes::printable;

/// What a piece of text is, which decides how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// A step title or section heading.
    Heading,
    /// Ordinary paragraphs.
    Body,
    /// A guidance point or list item.
    Point,
    /// Something went well (a step is done, an answer is saved).
    Good,
    /// Needs attention, kindly put.
    Caution,
    /// Secondary information (progress line, hints).
    Dim,
}

/// Chooses colour for both output streams: `Some(true)` always, `Some(false)` never,
/// `None` leaves it to the terminal and NO_COLOR / CLICOLOR_FORCE.
pub(crate) fn set_color(choice: Option<bool>) {
    if let Some(on) = choice {
        console::set_colors_enabled(on);
        console::set_colors_enabled_stderr(on);
    }
}

fn style_for(tone: Tone) -> Style {
    match tone {
        Tone::Heading => Style::new().bold().cyan(),
        Tone::Body => Style::new(),
        Tone::Point => Style::new().cyan(),
        Tone::Good => Style::new().green(),
        Tone::Caution => Style::new().yellow(),
        Tone::Dim => Style::new().dim(),
    }
}

/// Renders `text` for stderr in the given tone, wrapped to `width` columns.
/// The text is made [`printable`] first.
pub(crate) fn paint_stderr(tone: Tone, text: &str, width: usize) -> String {
    let style = style_for(tone).for_stderr();
    let text = &*printable(text);
    let body = match tone {
        Tone::Point => {
            let wrapped = wrap(text, width.saturating_sub(2));
            let mut lines = wrapped.lines();
            let first = lines.next().unwrap_or_default();
            let rest: Vec<String> = lines.map(|l| format!("  {l}")).collect();
            std::iter::once(format!("• {first}"))
                .chain(rest)
                .collect::<Vec<_>>()
                .join("\n")
        }
        _ => wrap(text, width),
    };
    body.lines()
        .map(|l| style.apply_to(l).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lays out the blocks of text the flow shows on stderr: one blank line between a
/// paragraph and what follows, and before every heading, never two.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    after_blank: bool,
    after_point: bool,
}

impl Blocks {
    /// The text of one block, with the blank lines it needs around it.
    pub(crate) fn render(&mut self, tone: Tone, text: &str, width: usize) -> String {
        let painted = paint_stderr(tone, text, width);
        let needs_gap = tone == Tone::Heading || (self.after_point && tone != Tone::Point);
        let before = if needs_gap && !self.after_blank {
            "\n"
        } else {
            ""
        };
        let after_blank = matches!(tone, Tone::Body | Tone::Good | Tone::Caution);
        self.after_blank = after_blank;
        self.after_point = tone == Tone::Point;
        format!("{before}{painted}{}", if after_blank { "\n" } else { "" })
    }

    /// Notes that something else (a prompt) was written since the last block.
    pub(crate) fn interrupted(&mut self) {
        self.after_blank = false;
        self.after_point = false;
    }
}

/// Renders `text` for stdout in the given tone (no wrapping), made [`printable`] first.
pub(crate) fn paint(tone: Tone, text: &str) -> String {
    style_for(tone).apply_to(printable(text)).to_string()
}

/// Terminal width of stdout (at most `max`), or 80 when it is not a terminal.
pub(crate) fn stdout_width(max: usize) -> usize {
    let term = Term::stdout();
    if term.is_term() {
        usize::from(term.size().1).clamp(30, max.max(30))
    } else {
        80
    }
}

/// Terminal width of stderr, or 80 when it is not a terminal; at most 100 for reading comfort.
pub(crate) fn width() -> usize {
    let term = Term::stderr();
    if term.is_term() {
        usize::from(term.size().1).clamp(20, 100)
    } else {
        80
    }
}

/// The words of one paragraph. A very long paragraph is split at ASCII white space
/// only, found with memchr: an answer of many megabytes then wraps in a blink even in a
/// debug build (other spaces, such as U+3000, still split the paragraphs of normal size).
fn words(line: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    if line.len() <= 1 << 16 {
        return Box::new(line.split_whitespace());
    }
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut splits =
        memchr::memchr3_iter(b' ', b'\t', b'\r', bytes).chain(std::iter::once(bytes.len()));
    Box::new(std::iter::from_fn(move || {
        loop {
            let end = splits.next()?;
            let word = line.get(start..end).unwrap_or_default();
            start = end + 1;
            if !word.is_empty() {
                return Some(word);
            }
        }
    }))
}

/// Wraps each paragraph of `text` at `width` columns, on spaces. Blank lines stay.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let width = width.max(10);
    let mut out = Vec::new();
    for line in text.trim_end().lines() {
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let mut current = String::new();
        let mut current_width = 0;
        for word in words(line) {
            // A word of more than 4 bytes per column cannot fit (no character is wider
            // than 4 bytes), so a huge one is never measured: wrapping stays cheap.
            let word_width = if word.len() > 4 * width {
                word.len()
            } else {
                console::measure_text_width(word)
            };
            if !current.is_empty() && current_width + 1 + word_width > width {
                out.push(std::mem::take(&mut current));
                current_width = 0;
            }
            if !current.is_empty() {
                current.push(' ');
                current_width += 1;
            }
            current.push_str(word);
            current_width += word_width;
        }
        out.push(current);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_spaces_and_keeps_paragraphs() {
        let text = "one two three four five six\n\nseven eight";
        assert_eq!(
            wrap(text, 10),
            "one two\nthree four\nfive six\n\nseven\neight"
        );
    }

    #[test]
    fn blocks_get_exactly_one_blank_line_between_them() {
        let mut b = Blocks::default();
        assert_eq!(b.render(Tone::Heading, "Title", 80), "\nTitle");
        assert_eq!(b.render(Tone::Body, "Para.", 80), "Para.\n");
        assert_eq!(b.render(Tone::Heading, "Next", 80), "Next");
        assert_eq!(b.render(Tone::Point, "one", 80), "• one");
        assert_eq!(b.render(Tone::Dim, "after", 80), "\nafter");
    }

    #[test]
    fn painted_text_is_printable_text() {
        console::set_colors_enabled(false);
        assert_eq!(paint(Tone::Heading, "a\u{1b}[2Jb\u{9b}"), "a^[[2Jb<U+009B>");
        assert_eq!(paint_stderr(Tone::Point, "a\u{202e}b", 80), "• a<U+202E>b");
    }

    #[test]
    fn a_prompt_between_blocks_counts_as_text_before_the_next() {
        let mut b = Blocks::default();
        b.render(Tone::Body, "Para.", 80);
        b.interrupted();
        assert_eq!(b.render(Tone::Heading, "Next", 80), "\nNext");
        b.render(Tone::Point, "one", 80);
        b.interrupted();
        assert_eq!(b.render(Tone::Dim, "after", 80), "after");
    }

    #[test]
    fn a_paragraph_splits_at_any_white_space_and_a_huge_one_at_ascii_spaces() {
        assert_eq!(wrap("one\u{3000}two three", 10), "one two\nthree");
        let huge = "word ".repeat(20_000);
        let wrapped = wrap(&huge, 20);
        assert_eq!(wrapped.lines().count(), 5_000);
        assert!(
            wrapped.lines().all(|l| l == "word word word word"),
            "{}",
            &wrapped[..200]
        );
        // Words are measured in columns, not bytes: é is two bytes and one column.
        assert_eq!(wrap("ééééé ééééé", 11), "ééééé ééééé");
        assert_eq!(wrap("a éééééééé", 10), "a éééééééé");
        let tabs = format!("{}\tend", "x".repeat(70_000));
        assert_eq!(wrap(&tabs, 20), format!("{}\nend", "x".repeat(70_000)));
    }

    #[test]
    fn a_long_word_stays_whole() {
        assert_eq!(
            wrap("a verylongwordthatdoesnotfit b", 10),
            "a\nverylongwordthatdoesnotfit\nb"
        );
    }
}
