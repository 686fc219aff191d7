//! For tests: the built-in workbook with the sentences of some sections of
//! `screens.toml` marked, so that a test can tell a line read from the content from a
//! line written in the code.

use crate::workbook::Workbook;

/// What [`marked`] puts at the start of each sentence.
pub(crate) const MARK: &str = "»";

/// The built-in workbook, each sentence of the named sections starting with [`MARK`].
pub(crate) fn marked(sections: &[&str]) -> Workbook {
    let files = Workbook::embedded_files().iter().map(|(name, text)| {
        let text = if *name == "screens.toml" {
            mark(text, sections)
        } else {
            (*text).to_string()
        };
        ((*name).to_string(), text)
    });
    Workbook::from_files(files).unwrap_or_else(|e| panic!("{e:?}"))
}

fn mark(text: &str, sections: &[&str]) -> String {
    let mut inside = false;
    let mut out = String::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix('[') {
            inside = sections.iter().any(|s| header == format!("{s}]"));
        }
        match line.split_once(" = \"") {
            Some((key, rest)) if inside && !key.starts_with('#') => {
                // A `"""` string is marked after its third quote.
                let (quotes, rest) = match rest.strip_prefix("\"\"") {
                    Some(rest) => ("\"\"\"", rest),
                    None => ("\"", rest),
                };
                out.extend([key, " = ", quotes, MARK, rest]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn marks_only_the_named_sections() {
    let wb = marked(&["days"]);
    assert_eq!(wb.screens.days.say(2), format!("{MARK}2 days"));
    assert_eq!(wb.screens.ago.say(2), "2 days ago");
}
