//! Content checks: step numbers, placeholders, raw characters, ids, and where a problem is placed.

use super::*;

#[test]
fn step_numbers_come_from_file_names() {
    assert_eq!(step_number_of("03-contact.toml"), Some(3));
    assert_eq!(step_number_of("00-welcome.toml"), None);
    assert_eq!(step_number_of("notes.toml"), None);
}

#[test]
fn placeholders_are_found_even_unclosed() {
    assert_eq!(placeholders("a {gap} b {x}"), ["gap", "x"]);
    assert_eq!(placeholders("none"), Vec::<&str>::new());
    assert_eq!(placeholders("open {gap"), ["gap"]);
    assert_eq!(placeholders("{}x{y}"), ["", "y"]);
}

#[test]
fn control_and_bidi_characters_are_found_raw_or_escaped_at_their_line() {
    let problems = |text: &str| {
        let mut found = Vec::new();
        check_characters("01-a.toml", text, &mut found);
        found
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.line.unwrap_or(0),
                    &p.message[..p.message.find(':').unwrap()]
                )
            })
            .collect::<Vec<_>>()
    };
    // Line ends of any kind, tabs, joiners and variation selectors are fine.
    assert!(
        problems("a = \"x\\ty\"\r\nb = \"\u{1f468}\u{200d}\u{1f469} \u{2764}\u{fe0f}\"\n")
            .is_empty()
    );
    assert_eq!(
        problems("a = 1\n# \u{202e} in a comment\nb = \"\u{9b}\"\n"),
        ["2: holds U+202E", "3: holds U+009B"]
    );
    assert_eq!(
        problems(
            "a = \"\"\"\nfirst\nsecond \\e[2J \\U0000202E \\x85\"\"\"\n[t]\n\"k\\u0007\" = \"\\u2028\"\n"
        ),
        ["3: holds U+001B, U+202E, U+0085", "5: holds U+0007, U+2028"]
    );
    assert_eq!(problems("a = \"\r\""), ["1: holds U+000D"]);
}

#[test]
fn ids_are_kebab_case() {
    assert!(valid_id("what-went-wrong-2"));
    assert!(!valid_id("What"));
    assert!(!valid_id(""));
    assert!(!valid_id("a b"));
}

fn checker_on<'a>(text: &'a str, problems: &'a mut Vec<Problem>) -> Checker<'a> {
    Checker {
        file: "01-a.toml",
        text,
        problems,
    }
}

#[test]
fn a_problem_is_placed_on_the_line_it_is_about() {
    let text = "first = 1\nanchor = 2\nother = 3\nnear = 4\nnear = 5\n";
    let mut problems = Vec::new();
    let mut c = checker_on(text, &mut problems);
    c.problem("other", "at other");
    c.problem("", "nowhere in particular");
    c.problem("absent", "not in the file");
    c.problem_after("anchor", "near", "the first near after the anchor");
    c.problem_after(
        "near = 5",
        "anchor",
        "the anchor itself when near is not after it",
    );
    c.problem_after("absent", "near", "no anchor, no line");
    c.version(FORMAT_VERSION);
    c.version(FORMAT_VERSION + 1);
    let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(3), None, None, Some(4), Some(5), None, None]);
    assert!(problems.iter().all(|p| p.file == "01-a.toml"));
    assert_eq!(
        problems[6].message,
        format!(
            "format_version is {}; this exback reads version {FORMAT_VERSION}",
            FORMAT_VERSION + 1
        )
    );
}

#[test]
fn a_toml_error_is_placed_on_its_line() {
    let mut problems = Vec::new();
    let parsed = parse::<toml::Table>("01-a.toml", "a = 1\nb = 2\nc = = 3\nd = 4\n", &mut problems);
    assert!(parsed.is_none());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(3), "{}", problems[0].message);
    assert!(!problems[0].message.contains('\n'));
    let first = parse::<toml::Table>("01-a.toml", "= 1\n", &mut problems);
    assert!(first.is_none());
    assert_eq!(problems[1].line, Some(1));
}
