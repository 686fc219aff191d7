//! Laying out, editing and redrawing a typed answer: widths, wrapping, the cursor, keys
//! and the screen window.

use unicode_segmentation::UnicodeSegmentation;

use super::line::cluster_width;
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
