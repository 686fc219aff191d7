//! How entries look: the human view, one-line `--short`, Markdown and JSON.

use std::io::{self, Write};

use crate::dates;
use crate::journal::EntryView as Entry;
use crate::journal::entry::kind;
use crate::journal::read::view;
use crate::workbook::{Naming, StepSet, Workbook, fill, name_step};

use super::style::{self, Tone};

/// The output formats of `log`, `show` and `export` (also `log --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable, coloured on a terminal, paged when long.
    Human,
    /// One line per entry.
    Short,
    /// A JSON array of entries.
    Json,
    /// Markdown, for reading elsewhere.
    Markdown,
}

/// "Step 2 · Prepare yourself emotionally", or just "Step 2" if the workbook no longer
/// has that step, or nothing for an entry outside the steps.
fn step_label(workbook: &Workbook, entry: &Entry<'_>) -> Option<String> {
    let step = entry
        .step_id
        .as_deref()
        .and_then(|id| workbook.step_by_id(id));
    match (entry.step, step) {
        (Some(n), Some(step)) => Some(name_step(
            workbook,
            StepSet::Workbook,
            n,
            &step.title,
            Naming::Label,
        )),
        (Some(n), None) => Some(fill(&workbook.screens.entry.step, &[("n", &n.to_string())])),
        // Moving-on steps have no number among the seven.
        (None, Some(step)) => Some(name_step(
            workbook,
            StepSet::MovingOn,
            step.number,
            &step.title,
            Naming::Label,
        )),
        (None, None) => entry.step_id.as_deref().map(str::to_string),
    }
}

fn kind_label(workbook: &Workbook, entry: &Entry<'_>) -> Option<String> {
    let words = &workbook.screens.entry;
    match entry.kind.as_ref() {
        kind::ANSWER => None,
        kind::READINESS => Some(words.readiness.clone()),
        kind::NOTE => Some(words.note.clone()),
        kind::DRAFT => Some(words.draft.clone()),
        kind::OUTCOME => Some(match entry.outcome.as_deref() {
            Some(id) => fill(
                &words.outcome,
                &[(
                    "outcome",
                    workbook.outcomes.get(id).map_or(id, |o| o.label.as_str()),
                )],
            ),
            None => words.outcome_unnamed.clone(),
        }),
        other => Some(other.to_string()),
    }
}

/// "edited 2026-11-20 21:05".
fn edited(workbook: &Workbook, at: &chrono::DateTime<chrono::FixedOffset>) -> String {
    fill(
        &workbook.screens.entry.edited,
        &[("at", &dates::local(at).format("%Y-%m-%d %H:%M").to_string())],
    )
}

/// The header line: date, step, kind.
fn header(workbook: &Workbook, entry: &Entry<'_>) -> String {
    let mut parts = vec![dates::local(&entry.at).format("%Y-%m-%d %H:%M").to_string()];
    parts.extend(step_label(workbook, entry));
    parts.extend(kind_label(workbook, entry));
    parts.join(" · ")
}

/// The human view: header and id, the prompt, the answer indented, wrapped to `width`.
pub(crate) fn human(
    out: &mut dyn Write,
    workbook: &Workbook,
    entry: &Entry<'_>,
    width: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        style::paint(Tone::Heading, &header(workbook, entry)),
        style::paint(Tone::Dim, &entry.id)
    )?;
    if let Some(prompt) = &entry.prompt {
        for line in style::wrap(&crate::escapes::printable(prompt), width.saturating_sub(2)).lines()
        {
            writeln!(out, "  {}", style::paint(Tone::Point, line))?;
        }
    }
    for line in style::wrap(
        &crate::escapes::printable(&entry.answer.decode()),
        width.saturating_sub(4),
    )
    .lines()
    {
        writeln!(out, "    {line}")?;
    }
    let mut notes = Vec::new();
    if !entry.tags.is_empty() {
        notes.push(
            entry
                .tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(at) = entry.edited_at {
        notes.push(edited(workbook, &at));
    }
    if !notes.is_empty() {
        writeln!(
            out,
            "    {}",
            style::paint(Tone::Dim, &crate::escapes::printable(&notes.join(" · ")))
        )?;
    }
    Ok(())
}

/// One line: date, id, step number, the answer's first line (cut to fit `width`).
/// Written piece by piece into the buffer, without the formatting machinery or a string
/// of its own: `log --short` prints one for every entry of the journal.
pub(crate) fn short(out: &mut Vec<u8>, entry: &Entry<'_>, width: usize) {
    use chrono::{Datelike, Timelike};
    // The wall-clock time once (each accessor of a zoned time would work it out again).
    let at = dates::local(&entry.at).naive_local();
    // "2026-11-20 21:05 "
    let mut date = *b"0000-00-00 00:00 ";
    let year = u32::try_from(at.year()).unwrap_or(0);
    put_digits(&mut date[0..4], year);
    put_digits(&mut date[5..7], at.month());
    put_digits(&mut date[8..10], at.day());
    put_digits(&mut date[11..13], at.hour());
    put_digits(&mut date[14..16], at.minute());
    let mut step = *b"s000 ";
    let step: &[u8] = match entry.step {
        Some(n) => {
            let digits = match n {
                0..=9 => 1,
                10..=99 => 2,
                _ => 3,
            };
            put_digits(&mut step[1..=digits], u32::from(n));
            step[digits + 1] = b' ';
            &step[..digits + 2]
        }
        None => b"   ",
    };
    let id_chars = if entry.id.is_ascii() {
        entry.id.len()
    } else {
        entry.id.chars().count()
    };
    let lead_chars = date.len() + id_chars + 1 + step.len();
    if console::colors_enabled() {
        let lead = format!(
            "{}{} {}",
            String::from_utf8_lossy(&date),
            entry.id,
            String::from_utf8_lossy(step)
        );
        out.extend_from_slice(style::paint(Tone::Dim, &lead).as_bytes());
    } else {
        out.extend_from_slice(&date);
        out.extend_from_slice(crate::escapes::printable(&entry.id).as_bytes());
        out.push(b' ');
        out.extend_from_slice(step);
    }
    let room = width.saturating_sub(lead_chars).max(10);
    first_line_in(out, &entry.answer, room);
}

/// The answer's first line in at most `room` characters (`room` at least 2): when it is
/// longer, `room - 1` of them and an ellipsis. Control characters are made visible.
fn first_line_in(out: &mut Vec<u8>, answer: &view::JsonStr<'_>, room: usize) {
    // Most answers begin with more plain text than fits, not blank at either end of it:
    // the first `room - 1` characters as they stand, then the ellipsis.
    if let Some(head) = answer.plain_ascii_head(room + 1)
        && !head.starts_with(' ')
        && !head.ends_with(' ')
    {
        out.extend_from_slice(&head.as_bytes()[..room - 1]);
        out.extend_from_slice("…\n".as_bytes());
        return;
    }
    first_line_decoded(out, answer, room);
}

/// [`first_line_in`] the long way, for any answer.
fn first_line_decoded(out: &mut Vec<u8>, answer: &view::JsonStr<'_>, room: usize) {
    // Only the part that fits is decoded, so a long answer costs no more than a short one.
    // One character more than the room says whether the answer goes on.
    let (first, chars) = answer.first_line_counted(room + 1);
    // More than `room` characters: `room - 1` of them, then the ellipsis.
    if chars > room {
        let keep = view::nth_char_start(&first, room - 1).unwrap_or(first.len());
        out.extend_from_slice(crate::escapes::printable(&first[..keep]).as_bytes());
        out.extend_from_slice("…\n".as_bytes());
    } else {
        out.extend_from_slice(crate::escapes::printable(&first).as_bytes());
        out.push(b'\n');
    }
}

/// Writes `n` in decimal into `digits`, right-aligned and zero-padded (the leading
/// digits are lost if it does not fit).
fn put_digits(digits: &mut [u8], n: u32) {
    let mut rest = n;
    for d in digits.iter_mut().rev() {
        *d = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
    }
}

/// A Markdown section for one entry. Every text in it is made printable: it goes to a
/// terminal as often as to a file.
pub(crate) fn markdown(
    out: &mut dyn Write,
    workbook: &Workbook,
    entry: &Entry<'_>,
) -> io::Result<()> {
    writeln!(
        out,
        "## {}\n",
        crate::escapes::printable(&header(workbook, entry))
    )?;
    if let Some(prompt) = &entry.prompt {
        writeln!(out, "**{}**\n", crate::escapes::printable(prompt).trim())?;
    }
    writeln!(
        out,
        "{}\n",
        crate::escapes::printable(&entry.answer.decode()).trim_end()
    )?;
    let words = &workbook.screens.entry;
    let mut meta = vec![fill(&words.id, &[("id", &entry.id)])];
    if !entry.tags.is_empty() {
        meta.push(fill(&words.tags, &[("tags", &entry.tags.join(", "))]));
    }
    if let Some(at) = entry.edited_at {
        meta.push(edited(workbook, &at));
    }
    writeln!(out, "*{}*\n", crate::escapes::printable(&meta.join(" · ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `log --short`'s line for an answer stored as exback stores it.
    fn short_line(answer: &str, step: Option<u8>, width: usize) -> String {
        let line = format!(
            r#"{{"v":1,"id":"0123456789ab","at":"2026-11-20T21:05:00+00:00","kind":"answer","step":{},"answer":{}}}"#,
            step.map_or("null".to_string(), |n| n.to_string()),
            serde_json::to_string(answer).unwrap()
        );
        let entry = view::parse(
            std::path::Path::new("j"),
            line.as_bytes(),
            crate::journal::read::Place::Line(1),
        )
        .expect("the line parses");
        let mut out = Vec::new();
        short(&mut out, &entry, width);
        String::from_utf8(out).unwrap()
    }

    /// An entry stored as `line`, as `log` shows it and as a Markdown export writes it.
    fn both_ways(workbook: &Workbook, line: &str) -> [String; 2] {
        let entry = view::parse(
            std::path::Path::new("j"),
            line.as_bytes(),
            crate::journal::read::Place::Line(1),
        )
        .unwrap();
        console::set_colors_enabled(false);
        let mut human_out = Vec::new();
        human(&mut human_out, workbook, &entry, 80).unwrap();
        let mut markdown_out = Vec::new();
        markdown(&mut markdown_out, workbook, &entry).unwrap();
        [human_out, markdown_out].map(|out| String::from_utf8(out).unwrap())
    }

    fn lead(step: &str) -> String {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-20T21:05:00+00:00").unwrap();
        format!(
            "{} 0123456789ab {step}",
            dates::local(&at).format("%Y-%m-%d %H:%M")
        )
    }

    #[test]
    fn a_short_line_has_the_date_the_id_the_step_and_the_first_line() {
        assert_eq!(
            short_line("  first line\nsecond", Some(2), 80),
            format!("{}first line\n", lead("s2 "))
        );
        assert_eq!(
            short_line("no step", None, 80),
            format!("{}no step\n", lead("   "))
        );
        assert_eq!(
            short_line("twelve", Some(12), 80),
            format!("{}twelve\n", lead("s12 "))
        );
        assert_eq!(
            short_line("many", Some(200), 80),
            format!("{}many\n", lead("s200 "))
        );
        assert_eq!(
            short_line("bell \u{7} and escape \u{1b}[31m", Some(1), 80),
            format!("{}bell ^G and escape ^[[31m\n", lead("s1 "))
        );
    }

    #[test]
    fn a_long_answer_is_cut_to_the_width_and_says_it_goes_on() {
        let lead = lead("s3 ");
        let room = 60 - lead.chars().count();
        // Exactly the room: shown whole.
        let fits = "é".repeat(room);
        assert_eq!(short_line(&fits, Some(3), 60), format!("{lead}{fits}\n"));
        // One more character: cut one short of the room, and "…" says there is more.
        let over = format!("{fits}x");
        let shown = short_line(&over, Some(3), 60);
        assert_eq!(shown, format!("{lead}{}…\n", "é".repeat(room - 1)));
        assert_eq!(shown.trim_end().chars().count(), 60);
        // A blank where the cut falls does not hide that the line goes on.
        let spaced = format!("{} more", "a".repeat(room - 1));
        assert_eq!(
            short_line(&spaced, Some(3), 60),
            format!("{lead}{}…\n", "a".repeat(room - 1))
        );
        // Blanks at the very end of the line are not "more".
        let trailing = format!("{}   \nnext", "a".repeat(room));
        assert_eq!(
            short_line(&trailing, Some(3), 60),
            format!("{lead}{}\n", "a".repeat(room))
        );
    }

    /// Headers name steps and outcomes by their content-pack titles, or by the stored
    /// ids when the workbook does not know them: either way, shown printable.
    #[test]
    fn headers_from_the_workbook_or_the_record_are_printable() {
        let h = "x\u{1b}[2J\u{9b}y\u{202e}z";
        let shown = "x^[[2J<U+009B>y<U+202E>z";
        let mut workbook = Workbook::embedded().unwrap();
        workbook.steps[1].title = h.to_string();
        let line = format!(
            r#"{{"v":1,"id":"0123456789ab","at":"2026-11-20T21:05:00+00:00","kind":{k},"step":2,"step_id":"prepare","answer":"a"}}"#,
            k = serde_json::to_string(h).unwrap()
        );
        for out in both_ways(&workbook, &line) {
            let first = out.lines().find(|l| !l.is_empty()).unwrap();
            assert!(
                first.contains(&format!("Step 2 · {shown} · {shown}")),
                "{first:?}"
            );
        }
    }

    #[test]
    fn an_entrys_kind_and_notes_are_said_with_the_workbooks_words() {
        let mut workbook = Workbook::embedded().unwrap();
        let words = &mut workbook.screens.entry;
        words.step = "Stage {n}".into();
        words.note = "written freely".into();
        words.edited = "changed {at}".into();
        words.id = "entry {id}".into();
        words.tags = "marked {tags}".into();
        let line = r#"{"v":1,"id":"0123456789ab","at":"2026-11-20T21:05:00+00:00","kind":"note","step":9,"answer":"a","tags":["x","y"],"edited_at":"2026-11-21T08:00:00+00:00"}"#;
        let [human_out, markdown_out] = both_ways(&workbook, line);
        let edited = dates::local(
            &chrono::DateTime::parse_from_rfc3339("2026-11-21T08:00:00+00:00").unwrap(),
        )
        .format("%Y-%m-%d %H:%M")
        .to_string();
        for out in [&human_out, &markdown_out] {
            assert!(out.contains("Stage 9 · written freely"), "{out}");
            assert!(out.contains(&format!("changed {edited}")), "{out}");
        }
        assert!(
            markdown_out.contains("entry 0123456789ab · marked x, y"),
            "{markdown_out}"
        );
    }

    proptest::proptest! {
        /// The quick way for plain answers shows exactly what the long way shows.
        #[test]
        fn plain_answers_are_cut_as_the_long_way_cuts_them(
            plain in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', ' ']), 0..30),
            rest in proptest::collection::vec(
                proptest::sample::select(vec!['a', ' ', '\n', '"', '\\', 'é', '\u{7f}', '\u{1}']),
                0..10,
            ),
            room in 2usize..30,
        ) {
            let text: String = plain.into_iter().chain(rest).collect();
            let json = serde_json::to_string(&text).unwrap();
            let answer = view::JsonStr::raw(&json[1..json.len() - 1]);
            let (mut quick, mut long) = (Vec::new(), Vec::new());
            first_line_in(&mut quick, &answer, room);
            first_line_decoded(&mut long, &answer, room);
            proptest::prop_assert_eq!(
                String::from_utf8(quick).unwrap(),
                String::from_utf8(long).unwrap(),
                "{:?} in {}", text, room
            );
        }
    }
}
