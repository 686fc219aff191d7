//! Turns content files into a [`Workbook`], listing every problem with file and line.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Deserialize;

use super::{
    FORMAT_VERSION, MovingOn, Prompt, PromptKind, Readiness, STEP_COUNT, SafetyWords, Screens,
    Step, Workbook,
};

mod pacing;
mod screens;
mod steps;
mod welcome;

use pacing::{check_outcomes, check_pacing};
use screens::check_screens;
use steps::{check_step, moving_on_path};
use welcome::check_welcome;

const WELCOME_FILE: &str = "00-welcome.toml";
const PACING_FILE: &str = "pacing.toml";
const OUTCOME_FILE: &str = "outcome.toml";
const MOVING_ON_FILE: &str = "moving-on.toml";
pub(super) const SCREENS_FILE: &str = "screens.toml";

/// `moving-on.toml` as written: steps without their own version or number.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MovingOnFile {
    format_version: u32,
    title: String,
    intro: String,
    closing: String,
    steps: Vec<MovingOnStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MovingOnStep {
    id: String,
    title: String,
    summary: String,
    why: String,
    guidance: Vec<String>,
    #[serde(default)]
    safety: Option<SafetyWords>,
    prompts: Vec<Prompt>,
    #[serde(default)]
    readiness: Option<Readiness>,
}

/// One thing wrong with the content, located as closely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => write!(f, "{}", self.message),
            (false, Some(line)) => write!(f, "{}:{line}: {}", self.file, self.message),
            (false, None) => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    /// Records a problem at the first line containing `near` (or without a line).
    fn problem(&mut self, near: &str, message: impl Into<String>) {
        let line = (!near.is_empty())
            .then(|| {
                self.text
                    .lines()
                    .position(|l| l.contains(near))
                    .map(|i| i + 1)
            })
            .flatten();
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            message: message.into(),
        });
    }

    /// Records a problem at the first line containing `near` after the first line
    /// containing `anchor` (or at `anchor` when `near` is not found after it).
    fn problem_after(&mut self, anchor: &str, near: &str, message: impl Into<String>) {
        let lines: Vec<&str> = self.text.lines().collect();
        let start = lines.iter().position(|l| l.contains(anchor));
        let line = start.map(|s| {
            lines[s..]
                .iter()
                .position(|l| l.contains(near))
                .map_or(s + 1, |i| s + i + 1)
        });
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            message: message.into(),
        });
    }

    fn non_empty(&mut self, value: &str, what: &str, near: &str) {
        if value.trim().is_empty() {
            self.problem(near, format!("{what} is empty"));
        }
    }

    fn version(&mut self, version: u32) {
        if version != FORMAT_VERSION {
            self.problem(
                "format_version",
                format!("format_version is {version}; this exback reads version {FORMAT_VERSION}"),
            );
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.span().map(|s| {
                text.as_bytes()
                    .iter()
                    .take(s.start)
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1
            });
            let message = e.message().trim().replace('\n', " ");
            problems.push(Problem {
                file: file.to_string(),
                line,
                message,
            });
            None
        }
    }
}

/// Parses a file and, if that worked, runs its checks.
fn parse_checked<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    problems: &mut Vec<Problem>,
    check: impl FnOnce(&T, &mut Checker<'_>),
) -> Option<T> {
    let parsed = parse::<T>(file, text, problems)?;
    check(
        &parsed,
        &mut Checker {
            file,
            text,
            problems,
        },
    );
    Some(parsed)
}

/// Step files are named `NN-name.toml`, NN being the step number.
fn step_number_of(name: &str) -> Option<u8> {
    let (prefix, _) = name.split_once('-')?;
    prefix.parse().ok().filter(|n| *n >= 1)
}

/// `screens.toml` alone, parsed and checked.
pub(super) fn load_screens(text: &str) -> Result<Screens, Vec<Problem>> {
    let mut problems = Vec::new();
    check_characters(SCREENS_FILE, text, &mut problems);
    match parse_checked(SCREENS_FILE, text, &mut problems, check_screens) {
        Some(screens) if problems.is_empty() => Ok(screens),
        _ => Err(problems),
    }
}

pub(super) fn load(files: &BTreeMap<String, String>) -> Result<Workbook, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut welcome = None;
    let mut pacing = None;
    let mut outcomes = None;
    let mut moving_on = None;
    let mut screens = None;
    let mut steps: Vec<Step> = Vec::new();

    for (name, text) in files {
        check_characters(name, text, &mut problems);
        if name == PACING_FILE {
            pacing = parse_checked(name, text, &mut problems, check_pacing);
        } else if name == OUTCOME_FILE {
            outcomes = parse_checked(name, text, &mut problems, check_outcomes);
        } else if name == MOVING_ON_FILE {
            if let Some(file) = parse::<MovingOnFile>(name, text, &mut problems) {
                moving_on = Some(moving_on_path(
                    file,
                    &mut Checker {
                        file: name,
                        text,
                        problems: &mut problems,
                    },
                ));
            }
        } else if name == SCREENS_FILE {
            screens = parse_checked(name, text, &mut problems, check_screens);
        } else if name == WELCOME_FILE {
            welcome = parse_checked(name, text, &mut problems, check_welcome);
        } else if let Some(number) = step_number_of(name) {
            steps.extend(step_file(name, text, number, &mut problems));
        } else {
            problems.push(Problem {
                file: name.clone(),
                line: None,
                message: format!(
                    "unexpected file: step files are named like 01-name.toml, plus {WELCOME_FILE}, \
                     {PACING_FILE}, {OUTCOME_FILE}, {MOVING_ON_FILE} and {SCREENS_FILE}"
                ),
            });
        }
    }

    steps.sort_by_key(|s| s.number);
    check_whole(files, &steps, moving_on.as_ref(), &mut problems);
    match (welcome, pacing, outcomes, moving_on, screens) {
        (Some(welcome), Some(pacing), Some(outcomes), Some(moving_on), Some(screens))
            if problems.is_empty() =>
        {
            Ok(Workbook {
                welcome,
                steps,
                moving_on,
                pacing,
                outcomes,
                screens,
            })
        }
        _ => Err(problems),
    }
}

/// One step file, parsed and checked; its number must match the file name's.
fn step_file(name: &str, text: &str, number: u8, problems: &mut Vec<Problem>) -> Option<Step> {
    let step = parse::<Step>(name, text, problems)?;
    let mut c = Checker {
        file: name,
        text,
        problems,
    };
    if step.number != number {
        c.problem(
            "number",
            format!(
                "number is {} but the file name says step {number}",
                step.number
            ),
        );
    }
    check_step(&step, &mut c);
    Some(step)
}

/// What only the whole set of files can show: missing files, step numbers, and step
/// ids unique across both paths.
fn check_whole(
    files: &BTreeMap<String, String>,
    steps: &[Step],
    moving_on: Option<&MovingOn>,
    problems: &mut Vec<Problem>,
) {
    for name in [
        WELCOME_FILE,
        PACING_FILE,
        OUTCOME_FILE,
        MOVING_ON_FILE,
        SCREENS_FILE,
    ] {
        if !files.contains_key(name) {
            problems.push(Problem {
                file: name.into(),
                line: None,
                message: "missing".into(),
            });
        }
    }
    // Judged by file names, so a missing step is reported even when another file
    // does not parse.
    let mut numbers: Vec<u8> = files.keys().filter_map(|n| step_number_of(n)).collect();
    numbers.sort_unstable();
    let expected: Vec<u8> = (1..=u8::try_from(STEP_COUNT).unwrap_or(u8::MAX)).collect();
    if numbers != expected {
        problems.push(Problem {
            file: String::new(),
            line: None,
            message: format!(
                "expected step files numbered 1 to {STEP_COUNT} once each, found {numbers:?}"
            ),
        });
    }
    // Progress is kept per step id, so ids are unique across both paths.
    let mut ids = HashSet::new();
    let moving_on_steps = moving_on.iter().flat_map(|m| &m.steps);
    for step in steps.iter().chain(moving_on_steps) {
        if !ids.insert(step.id.as_str()) {
            problems.push(Problem {
                file: String::new(),
                line: None,
                message: format!("step id {:?} is used by more than one step", step.id),
            });
        }
    }
    // The same question asked in two steps reads as the workbook not listening.
    let mut asked: std::collections::HashMap<&str, &Step> = std::collections::HashMap::new();
    for step in steps.iter().chain(moving_on.iter().flat_map(|m| &m.steps)) {
        for prompt in &step.prompts {
            if let Some(first) = asked.insert(prompt.text.trim(), step)
                && first.id != step.id
            {
                problems.push(Problem {
                    file: String::new(),
                    line: None,
                    message: format!(
                        "the question {:?} is asked in step {:?} and again in step {:?}; word each step's question its own way",
                        prompt.text, first.id, step.id
                    ),
                });
            }
        }
    }
}

/// Words that make a scale's label 1 read as the easy end (a heuristic: label 1 is
/// the hardest answer, so that the hardest end brings help).
const EASY_WORDS: [&str; 10] = [
    "barely there",
    "calm",
    "settled",
    "good",
    "easy",
    "relaxed",
    "ready",
    "okay",
    "steady",
    "at ease",
];

/// A scale reads with 1 as the hardest answer: its label 1 holds none of
/// [`EASY_WORDS`].
fn check_scale_direction(p: &Prompt, c: &mut Checker<'_>) {
    if p.kind != PromptKind::Scale {
        return;
    }
    let Some(low) = p.low.as_deref() else {
        return;
    };
    let lower = low.to_lowercase();
    let said = |w: &str| {
        lower
            .split(|ch: char| !ch.is_alphanumeric())
            .collect::<Vec<_>>()
            .windows(w.split(' ').count())
            .any(|win| win.join(" ") == w)
    };
    if let Some(word) = EASY_WORDS.iter().find(|w| said(w)) {
        c.problem_after(
            &format!("id = \"{}\"", p.id),
            "low",
            format!(
                "prompt {:?} is a scale whose label 1 ({low:?}) reads as the easy end ({word:?}); 1 is the hardest answer, 10 the easiest",
                p.id
            ),
        );
    }
}

/// A switch offered as a yes/no can be declined; what follows a "no" must not be a
/// message template, and an offer on a step's last question needs a `then`.
fn check_decline_path(prompts: &[Prompt], c: &mut Checker<'_>) {
    for (i, p) in prompts.iter().enumerate() {
        let offers = p
            .reactions
            .iter()
            .any(|r| r.switch.is_some() && r.ask && r.then.is_none());
        if !offers {
            continue;
        }
        let next = prompts[i + 1..].iter().find(|n| {
            n.paths.is_empty() || p.paths.is_empty() || n.paths.iter().any(|x| p.paths.contains(x))
        });
        let anchor = format!("id = \"{}\"", p.id);
        match next {
            Some(n) if n.kind == PromptKind::Template => c.problem_after(
                &anchor,
                "switch",
                format!(
                    "prompt {:?} offers a switch, and a \"no\" leads straight to the template {:?}; give the reaction a `then` or put another question between",
                    p.id, n.id
                ),
            ),
            None => c.problem_after(
                &anchor,
                "switch",
                format!(
                    "prompt {:?} offers a switch on the step's last question: give the reaction a `then` (\"pause\", \"end\" or \"close\") so a \"no\" does not lead on into the next step",
                    p.id
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Every text of a pack reaches a terminal, so none may hold a character that could
/// drive it or reorder what is shown ([`crate::escapes::is_unsafe`], the same rule
/// the output follows): each one, in a string, a key or a comment, raw or written as an
/// escape, is a problem at its line. A carriage return ending a line is a line end.
fn check_characters(file: &str, text: &str, problems: &mut Vec<Problem>) {
    use crate::escapes::is_unsafe;
    use std::collections::BTreeSet;
    // (byte offset, character): raw ones where they are, escaped ones where their
    // escape is (or where their string starts).
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        if is_unsafe(c) && !(c == '\r' && bytes.get(at + 1) == Some(&b'\n')) {
            found.insert((at, c));
        }
    }
    // Escapes are only known once parsed; a file that does not parse is reported by
    // its own parser.
    if let Ok(table) = toml::de::DeTable::parse(text) {
        let mut strings = Vec::new();
        collect_strings(table.get_ref(), &mut strings);
        for (span, value) in strings {
            let source = text.get(span.clone()).unwrap_or_default();
            // One written raw was found above, at its own line.
            for c in value
                .chars()
                .filter(|c| is_unsafe(*c) && !source.contains(*c))
            {
                let at = escape_of(source, c).map_or(span.start, |i| span.start + i);
                found.insert((at, c));
            }
        }
    }
    // One problem per line, naming each character once, in the order they come.
    let mut lines: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (at, c) in found {
        let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
        let name = format!("U+{:04X}", u32::from(c));
        let names = lines.entry(line).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for (line, names) in lines {
        problems.push(Problem {
            file: file.to_string(),
            line: Some(line),
            message: format!(
                "holds {}: text in a content pack must not hold control characters or \
                 bidirectional-text controls, which could drive the terminal it is shown on",
                names.join(", ")
            ),
        });
    }
}

/// Every key and string in `table`, with the span of its source.
fn collect_strings<'t>(
    table: &'t toml::de::DeTable<'_>,
    out: &mut Vec<(std::ops::Range<usize>, &'t str)>,
) {
    fn value<'t>(
        v: &'t toml::Spanned<toml::de::DeValue<'_>>,
        out: &mut Vec<(std::ops::Range<usize>, &'t str)>,
    ) {
        match v.get_ref() {
            toml::de::DeValue::String(s) => out.push((v.span(), s)),
            toml::de::DeValue::Array(items) => items.iter().for_each(|i| value(i, out)),
            toml::de::DeValue::Table(t) => collect_strings(t, out),
            _ => {}
        }
    }
    for (k, v) in table {
        out.push((k.span(), k.get_ref()));
        value(v, out);
    }
}

/// Where in a string's source `c` is written as an escape (`\u001b`, `\U0000001B`,
/// `\x1b`, `\e` for ESC), if it is.
fn escape_of(source: &str, c: char) -> Option<usize> {
    let n = u32::from(c);
    let lower = source.to_ascii_lowercase();
    [
        format!("\\u{n:04x}"),
        format!("\\u{n:08x}"),
        format!("\\x{n:02x}"),
        if c == '\u{1b}' {
            "\\e".into()
        } else {
            String::new()
        },
    ]
    .iter()
    .filter(|e| !e.is_empty())
    .filter_map(|e| lower.find(e.as_str()))
    .min()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The `{name}` placeholders in `text`, or the text after an unclosed `{`.
/// The problem of a sentence `name` that uses `{used}`, which exback does not fill in
/// there: it names the placeholders it does fill in.
pub(super) fn unknown_placeholder(name: &str, used: &str, allowed: &[&str]) -> String {
    let known = if allowed.is_empty() {
        "none".to_string()
    } else {
        allowed
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{name} uses {{{used}}}, which exback does not fill in here; it knows {known}")
}

pub(super) fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            found.push(after);
            break;
        };
        found.push(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests;
