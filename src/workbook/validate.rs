//! Turns content files into a [`Workbook`], listing every problem with file and line.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Deserialize;

use super::{
    Choice, DOOR_IDS, FORMAT_VERSION, MovingOn, NUDGE_PLACEHOLDERS, OUTCOME_IDS, Outcomes, Pacing,
    PathKind, Prompt, PromptKind, QUIET_TIME_PLACEHOLDERS, Reaction, Readiness, STEP_COUNT,
    SafetyWords, Step, StepSet, Support, Then, UrgeText, Welcome, Workbook,
};

const WELCOME_FILE: &str = "00-welcome.toml";
const PACING_FILE: &str = "pacing.toml";
const OUTCOME_FILE: &str = "outcome.toml";
const MOVING_ON_FILE: &str = "moving-on.toml";

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

pub(super) fn load(files: &BTreeMap<String, String>) -> Result<Workbook, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut welcome = None;
    let mut pacing = None;
    let mut outcomes = None;
    let mut moving_on = None;
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
                     {PACING_FILE}, {OUTCOME_FILE} and {MOVING_ON_FILE}"
                ),
            });
        }
    }

    steps.sort_by_key(|s| s.number);
    check_whole(files, &steps, moving_on.as_ref(), &mut problems);
    match (welcome, pacing, outcomes, moving_on) {
        (Some(welcome), Some(pacing), Some(outcomes), Some(moving_on)) if problems.is_empty() => {
            Ok(Workbook {
                welcome,
                steps,
                moving_on,
                pacing,
                outcomes,
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
    for name in [WELCOME_FILE, PACING_FILE, OUTCOME_FILE, MOVING_ON_FILE] {
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
/// drive it or reorder what is shown ([`crate::ui::style::is_unsafe`], the same rule
/// the output follows): each one, in a string, a key or a comment, raw or written as an
/// escape, is a problem at its line. A carriage return ending a line is a line end.
fn check_characters(file: &str, text: &str, problems: &mut Vec<Problem>) {
    use crate::ui::style::is_unsafe;
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

fn check_welcome(w: &Welcome, c: &mut Checker<'_>) {
    c.version(w.format_version);
    let o = &w.onboarding;
    for (value, what) in [
        (&w.welcome, "welcome"),
        (&w.closing, "closing"),
        (&w.no_promise, "no_promise"),
        (&o.intro, "intro"),
        (&o.breakup_date, "breakup_date"),
        (&o.breakup_date_help, "breakup_date_help"),
        (&o.ended_by, "ended_by"),
        (&o.no_contact, "no_contact"),
        (&o.felt_unsafe, "unsafe"),
        (&o.logistics, "logistics"),
        (&o.logistics_help, "logistics_help"),
        (&o.saved, "saved"),
        (&w.no_contact_path.title, "title"),
        (&w.no_contact_path.text, "text"),
        (&w.safety_path.title, "title"),
        (&w.safety_path.text, "text"),
        (&w.support.title, "title"),
        (&w.support.text, "text"),
        (&w.switch.no_contact.offer, "offer"),
        (&w.switch.no_contact.done, "done"),
        (&w.switch.no_contact.declined, "declined"),
        (&w.switch.moving_on.offer, "offer"),
        (&w.switch.moving_on.done, "done"),
        (&w.switch.moving_on.declined, "declined"),
        (&w.switch.paused, "paused"),
        (&w.switch.begin, "begin"),
        (&w.switch.stop_offer, "stop_offer"),
        (&w.switch.stopped, "stopped"),
        (&w.limited_path.done, "done"),
        (&w.limited_path.not_yet, "not_yet"),
        (&w.mood.question, "question"),
        (&w.mood.low, "low"),
        (&w.mood.high, "high"),
        (&w.mood.skip, "skip"),
        (&w.mood.note, "note"),
        (&w.mood.note_help, "note_help"),
        (&w.mood.saved, "saved"),
    ] {
        c.non_empty(value, what, what);
    }
    check_support(&w.support, c);
    check_range(w.mood.support_range, "[mood]", "support_range", c);
    check_sentences(&w.words.all(), c);
    check_closed_door(w, c);
    check_choices(
        &o.ended_by_options,
        "ended_by_options",
        "ended_by_options",
        Some(&ENDED_BY_IDS),
        c,
    );
}

/// Sentences `(text, name, placeholders allowed)`: none empty, none using a
/// placeholder exback does not fill in there.
fn check_sentences(
    sentences: &[(&str, &'static str, &'static [&'static str])],
    c: &mut Checker<'_>,
) {
    for &(value, name, allowed) in sentences {
        c.non_empty(value, name, name);
        for used in placeholders(value) {
            if !allowed.contains(&used) {
                let known = if allowed.is_empty() {
                    "none".to_string()
                } else {
                    allowed
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                c.problem(
                    name,
                    format!("{name} uses {{{used}}}, which exback does not fill in here; it knows {known}"),
                );
            }
        }
    }
}

/// The closed door's words, its three choices (each id once) and its pauses.
fn check_closed_door(w: &Welcome, c: &mut Checker<'_>) {
    let d = &w.closed_door;
    check_sentences(&d.all(), c);
    c.non_empty(
        &d.why_continue_help,
        "why_continue_help",
        "why_continue_help",
    );
    check_choices(
        &d.options,
        "options",
        "[closed_door] options",
        Some(&DOOR_IDS),
        c,
    );
    for id in DOOR_IDS {
        if !d.options.iter().any(|o| o.id == id) {
            c.problem(
                "[closed_door]",
                format!("[closed_door] options need the option {id:?}: exback offers all three"),
            );
        }
    }
    if d.look_again_options.is_empty()
        || d.look_again_options
            .iter()
            .any(|l| l.label.trim().is_empty() || !(1..=365).contains(&l.days))
    {
        c.problem(
            "look_again_options",
            "[closed_door] look_again_options needs at least one option, each with a label and 1 to 365 days",
        );
    }
}

/// The option ids onboarding's "who ended it" is matched by.
pub(super) const ENDED_BY_IDS: [&str; 4] = ["me", "them", "both", "complicated"];
/// The option ids of the contact channel question.
pub(super) const CHANNEL_IDS: [&str; 5] = ["text", "call", "social", "in-person", "other"];
/// The option ids of "who reached out".
pub(super) const FROM_IDS: [&str; 2] = ["me", "them"];

/// At least two options, each with a valid, unique id and a label; with `known`, every
/// id one of those (exback matches the answer by id).
fn check_choices(
    options: &[Choice],
    near: &str,
    what: &str,
    known: Option<&[&str]>,
    c: &mut Checker<'_>,
) {
    if options.len() < 2 || options.iter().any(|o| o.label.trim().is_empty()) {
        c.problem(
            near,
            format!("{what} needs at least two options with a label"),
        );
    }
    let mut ids = HashSet::new();
    for o in options {
        if !valid_id(&o.id) {
            c.problem(
                near,
                format!(
                    "{what}: option id {:?} must be lowercase letters, digits and '-'",
                    o.id
                ),
            );
        } else if !ids.insert(o.id.as_str()) {
            c.problem(near, format!("{what}: option id {:?} is used twice", o.id));
        } else if let Some(known) = known
            && !known.contains(&o.id.as_str())
        {
            c.problem(
                near,
                format!(
                    "{what}: unknown option id {:?}; the ids are {}",
                    o.id,
                    known.join(", ")
                ),
            );
        }
    }
}

/// Crisis resources are facts someone checked: each names its country, and the
/// date of the check is kept.
fn check_support(support: &Support, c: &mut Checker<'_>) {
    let reviewed_ok = support.reviewed.as_deref().is_some_and(|r| {
        r.len() == 7
            && r.as_bytes()[4] == b'-'
            && r[..4].bytes().all(|b| b.is_ascii_digit())
            && matches!(r[5..].parse::<u8>(), Ok(1..=12))
    });
    if (support.reviewed.is_some() || !support.resources.is_empty()) && !reviewed_ok {
        c.problem(
            "reviewed",
            "support needs `reviewed = \"YYYY-MM\"`, the month its resources were last checked",
        );
    }
    for res in &support.resources {
        for (value, what) in [
            (&res.country, "country"),
            (&res.name, "name"),
            (&res.contact, "contact"),
        ] {
            c.non_empty(
                value,
                &format!("the {what} of a support resource"),
                "[[support.resources]]",
            );
        }
    }
    if support.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        c.problem("note", "the support note is empty");
    }
}

fn check_step(step: &Step, c: &mut Checker<'_>) {
    c.version(step.format_version);
    check_step_body(step, c);
    check_readiness(step, c);
}

/// Everything about a step but its version and readiness check.
fn check_step_body(step: &Step, c: &mut Checker<'_>) {
    if !valid_id(&step.id) {
        c.problem(
            "id",
            format!(
                "step id {:?} must be lowercase letters, digits and '-'",
                step.id
            ),
        );
    }
    c.non_empty(&step.title, "title", "title");
    c.non_empty(&step.summary, "summary", "summary");
    c.non_empty(&step.why, "why", "why");
    if step.guidance.is_empty() || step.guidance.iter().any(|g| g.trim().is_empty()) {
        c.problem("guidance", "guidance needs at least one non-empty point");
    }
    if let Some(safety) = &step.safety {
        c.non_empty(&safety.why, "[safety] why", "[safety]");
        if safety.guidance.is_empty() || safety.guidance.iter().any(|g| g.trim().is_empty()) {
            c.problem(
                "[safety]",
                "[safety] guidance needs at least one non-empty point",
            );
        }
    }
    if let Some(quiet) = &step.quiet_time {
        c.non_empty(quiet, "quiet_time", "quiet_time");
        for used in placeholders(quiet) {
            if !QUIET_TIME_PLACEHOLDERS.contains(&used) {
                c.problem(
                    "quiet_time",
                    format!(
                        "quiet_time uses {{{used}}}, which exback does not fill in; it knows {{days_left}}, {{date}}, {{quiet_days}}"
                    ),
                );
            }
        }
    }
    for path in PATHS {
        let n = step.prompts_on(path).len();
        if !(4..=8).contains(&n) {
            c.problem(
                "[[prompts]]",
                format!(
                    "a step has 4 to 8 prompts on each path; this one has {n} on the {} path",
                    path.as_str()
                ),
            );
        }
    }
    check_prompts(&step.prompts, c);
    check_decline_path(&step.prompts, c);
}

fn check_prompts(prompts: &[Prompt], c: &mut Checker<'_>) {
    let mut ids = HashSet::new();
    for p in prompts {
        let near = format!("\"{}\"", p.id);
        if !valid_id(&p.id) {
            c.problem(
                &near,
                format!(
                    "prompt id {:?} must be lowercase letters, digits and '-'",
                    p.id
                ),
            );
        }
        if !ids.insert(p.id.as_str()) {
            c.problem(&near, format!("prompt id {:?} is used twice", p.id));
        }
        c.non_empty(&p.text, &format!("text of prompt {:?}", p.id), &near);
        if p.help.as_deref().is_some_and(|h| h.trim().is_empty()) {
            c.problem(&near, format!("help of prompt {:?} is empty", p.id));
        }
        match p.kind {
            PromptKind::Choice | PromptKind::Checklist => {
                check_choices(&p.options, &near, &format!("prompt {:?}", p.id), None, c);
            }
            PromptKind::Scale => {
                if p.low.as_deref().is_none_or(|s| s.trim().is_empty())
                    || p.high.as_deref().is_none_or(|s| s.trim().is_empty())
                {
                    c.problem(
                        &near,
                        format!("scale prompt {:?} needs `low` and `high`", p.id),
                    );
                }
            }
            PromptKind::Template => {
                if p.templates.is_empty()
                    || p.templates
                        .iter()
                        .any(|t| t.label.trim().is_empty() || t.text.trim().is_empty())
                {
                    c.problem(
                        &near,
                        format!(
                            "template prompt {:?} needs templates with a label and text",
                            p.id
                        ),
                    );
                }
                let mut ids = HashSet::new();
                for t in &p.templates {
                    if !valid_id(&t.id) || !ids.insert(t.id.as_str()) {
                        c.problem(
                            &near,
                            format!(
                                "template prompt {:?}: template id {:?} must be lowercase letters, digits and '-', each once",
                                p.id, t.id
                            ),
                        );
                    }
                }
            }
            PromptKind::ShortText | PromptKind::LongText | PromptKind::YesNo => {}
        }
        check_scale_direction(p, c);
        for reaction in &p.reactions {
            check_reaction(reaction, Some(p), &format!("id = \"{}\"", p.id), c);
        }
    }
}

/// A reaction must match something the prompt can answer, and do something.
fn check_reaction(r: &Reaction, prompt: Option<&Prompt>, anchor: &str, c: &mut Checker<'_>) {
    let kind = prompt.map_or(PromptKind::YesNo, |p| p.kind);
    let whose = prompt.map_or_else(
        || "a readiness check".to_string(),
        |p| format!("prompt {:?}", p.id),
    );
    let matchers = usize::from(!r.options.is_empty())
        + usize::from(r.range.is_some())
        + usize::from(r.answer.is_some());
    if matchers != 1 {
        c.problem_after(
            anchor,
            "[[",
            format!("a reaction of {whose} needs exactly one of `options`, `range` or `answer`"),
        );
    }
    match kind {
        PromptKind::Choice | PromptKind::Checklist => {
            if r.range.is_some() || r.answer.is_some() {
                c.problem_after(
                    anchor,
                    "reactions",
                    format!("{whose} is a {}: its reactions match `options`", kind.as_str()),
                );
            }
            let known: Vec<&str> = prompt
                .map(|p| p.options.iter().map(|o| o.id.as_str()).collect())
                .unwrap_or_default();
            for id in &r.options {
                if !known.contains(&id.as_str()) {
                    c.problem_after(
                        anchor,
                        &format!("\"{id}\""),
                        format!(
                            "a reaction of {whose} names option {id:?}, which it does not have; its options are {}",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        PromptKind::Scale => match r.range {
            Some([low, high]) if (1..=10).contains(&low) && (low..=10).contains(&high) => {}
            Some([low, high]) => c.problem_after(
                anchor,
                "range",
                format!(
                    "a reaction of {whose} has range [{low}, {high}]; a range goes from 1 to 10, lowest first"
                ),
            ),
            None => c.problem_after(
                anchor,
                "reactions",
                format!("{whose} is a scale: its reactions match a `range`"),
            ),
        },
        PromptKind::YesNo => {
            if r.answer.is_none() {
                c.problem_after(
                    anchor,
                    "reactions",
                    format!("{whose} is a yes/no question: its reactions match an `answer`"),
                );
            }
        }
        PromptKind::ShortText | PromptKind::LongText | PromptKind::Template => c.problem_after(
            anchor,
            "reactions",
            format!("{whose} is a {}: only choices, checklists, scales and yes/no questions react", kind.as_str()),
        ),
    }
    if r.text.is_none() && !r.support && r.switch.is_none() && r.then.is_none() {
        c.problem_after(
            anchor,
            "reactions",
            format!("a reaction of {whose} does nothing: give it a `text`, `support`, `switch` or `then`"),
        );
    }
    if r.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
        c.problem_after(
            anchor,
            "text",
            format!("a reaction of {whose} has an empty text"),
        );
    }
    check_switch(r, &whose, anchor, c);
}

/// A switch goes to a path a reaction can lead to; a closed door offers the moving-on
/// steps.
fn check_switch(r: &Reaction, whose: &str, anchor: &str, c: &mut Checker<'_>) {
    if r.then == Some(Then::Close) && (r.switch != Some(PathKind::MovingOn) || !r.ask) {
        c.problem_after(
            anchor,
            "then",
            format!(
                "a reaction of {whose} closes the door (`then = \"close\"`) without offering the moving-on steps; give it `switch = \"moving-on\"`"
            ),
        );
    }
    if let Some(path) = r.switch
        && !matches!(path, PathKind::NoContact | PathKind::MovingOn)
    {
        c.problem_after(
            anchor,
            "switch",
            format!(
                "a reaction of {whose} switches to {:?}; it can switch to \"no-contact\" or \"moving-on\"",
                path.as_str()
            ),
        );
    }
}

fn check_readiness(step: &Step, c: &mut Checker<'_>) {
    let r = &step.readiness;
    c.non_empty(&r.intro, "readiness intro", "[readiness]");
    c.non_empty(&r.not_ready, "readiness not_ready", "not_ready");
    if r.checks.is_empty() {
        c.problem(
            "[readiness]",
            "readiness has 1 to 4 checks; this one has none",
        );
    }
    let mut check_ids = HashSet::new();
    for check in &r.checks {
        let near = format!("\"{}\"", check.id);
        if !valid_id(&check.id) || !check_ids.insert(check.id.as_str()) {
            c.problem(
                &near,
                format!("readiness check id {:?} is invalid or used twice", check.id),
            );
        }
        c.non_empty(
            &check.text,
            &format!("text of readiness check {:?}", check.id),
            &near,
        );
        for reaction in &check.reactions {
            check_reaction(reaction, None, &format!("id = \"{}\"", check.id), c);
        }
    }
    for path in PATHS {
        let n = step.checks_on(path).len();
        if n > 4 || (n == 0 && !r.checks.is_empty()) {
            c.problem(
                "[readiness]",
                format!(
                    "on the {} path, readiness has {n} checks; it has 1 to 4",
                    path.as_str()
                ),
            );
        }
    }
}

/// The paths a prompt or check may be written for.
const PATHS: [PathKind; 4] = [
    PathKind::Full,
    PathKind::NoContact,
    PathKind::Safety,
    PathKind::MovingOn,
];

/// Turns `moving-on.toml` into steps numbered in order, checking each like a step file.
fn moving_on_path(file: MovingOnFile, c: &mut Checker<'_>) -> MovingOn {
    c.version(file.format_version);
    c.non_empty(&file.title, "title", "title");
    c.non_empty(&file.intro, "intro", "intro");
    c.non_empty(&file.closing, "closing", "closing");
    if !(1..=6).contains(&file.steps.len()) {
        c.problem(
            "[[steps]]",
            format!(
                "the moving-on path has 1 to 6 steps; this one has {}",
                file.steps.len()
            ),
        );
    }
    let mut steps = Vec::new();
    for (i, s) in file.steps.into_iter().enumerate() {
        let has_readiness = s.readiness.is_some();
        let step = Step {
            format_version: file.format_version,
            number: u8::try_from(i + 1).unwrap_or(u8::MAX),
            set: StepSet::MovingOn,
            id: s.id,
            title: s.title,
            summary: s.summary,
            why: s.why,
            guidance: s.guidance,
            quiet_time: None,
            safety: s.safety,
            prompts: s.prompts,
            readiness: s.readiness.unwrap_or_default(),
        };
        check_step_body(&step, c);
        if has_readiness {
            check_readiness(&step, c);
        }
        steps.push(step);
    }
    MovingOn {
        title: file.title,
        intro: file.intro,
        closing: file.closing,
        steps,
    }
}

/// The `{name}` placeholders in `text`, or the text after an unclosed `{`.
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

/// The words of `exback urge`: all there, and none saying "send".
fn check_urge(u: &UrgeText, c: &mut Checker<'_>) {
    for (value, what) in [
        (&u.title, "title"),
        (&u.intro, "intro"),
        (&u.strength, "strength"),
        (&u.strength_low, "strength_low"),
        (&u.strength_high, "strength_high"),
        (&u.say, "say"),
        (&u.say_help, "say_help"),
        (&u.kept, "kept"),
        (&u.pace, "pace"),
        (&u.instead_intro, "instead_intro"),
        (&u.after, "after"),
        (&u.after_low, "after_low"),
        (&u.after_high, "after_high"),
        (&u.closing, "closing"),
        (&u.pause_offer, "pause_offer"),
        (&u.pause_hint, "pause_hint"),
    ] {
        c.non_empty(value, what, what);
        // `exback urge` is for the moment of wanting to reach out: it never says "send".
        if value.to_lowercase().contains("send") {
            c.problem(
                what,
                format!("urge.{what} says \"send\"; `exback urge` never does"),
            );
        }
    }
    if u.instead.is_empty() || u.instead.iter().any(|i| i.trim().is_empty()) {
        c.problem(
            "instead =",
            "urge.instead needs at least one non-empty idea",
        );
    }
    if u.instead.iter().any(|i| i.to_lowercase().contains("send")) {
        c.problem(
            "instead =",
            "urge.instead says \"send\"; `exback urge` never does",
        );
    }
    check_range(u.support_range, "[urge]", "support_range", c);
    if !(1..=10).contains(&u.pause_minutes) {
        c.problem(
            "pause_minutes",
            format!(
                "urge.pause_minutes is {}; a pause lasts 1 to 10 minutes",
                u.pause_minutes
            ),
        );
    }
}

/// A range of scores on a 1–10 scale, `key` in the `table`: both ends on the scale,
/// lowest first.
fn check_range(range: Option<[u8; 2]>, table: &str, key: &str, c: &mut Checker<'_>) {
    if let Some([low, high]) = range
        && !((1..=10).contains(&low) && (low..=10).contains(&high))
    {
        c.problem_after(
            table,
            key,
            format!("{key} is [{low}, {high}]; a range goes from 1 to 10, lowest first"),
        );
    }
}

fn check_pacing(pacing: &Pacing, c: &mut Checker<'_>) {
    c.version(pacing.format_version);
    let rules = &pacing.rules;
    for (value, name, range) in [
        (rules.quiet_days, "quiet_days", 0..=365),
        (rules.max_unanswered, "max_unanswered", 1..=10),
        (rules.min_days_between, "min_days_between", 1..=30),
        (rules.max_per_week, "max_per_week", 1..=14),
        (rules.early_days, "early_days", 1..=120),
        (rules.silence_unanswered, "silence_unanswered", 2..=20),
        (rules.silence_days, "silence_days", 1..=365),
    ] {
        if !range.contains(&value) {
            c.problem(
                name,
                format!(
                    "{name} is {value}; it must be from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
        }
    }
    let q = &pacing.questions;
    let drafts = &pacing.drafts;
    for (value, what) in [
        (&q.intro, "intro"),
        (&q.when, "when"),
        (&q.when_help, "when_help"),
        (&q.channel, "channel"),
        (&q.from, "from"),
        (&q.replied_mine, "replied_mine"),
        (&q.replied_theirs, "replied_theirs"),
        (&q.felt, "felt"),
        (&q.felt_low, "felt_low"),
        (&q.felt_high, "felt_high"),
        (&q.note, "note"),
        (&q.note_help, "note_help"),
        (&drafts.hint, "hint"),
        (&drafts.offer, "offer"),
        (&drafts.question, "question"),
        (&pacing.notes.logistics, "logistics"),
        (&pacing.notes.logistics_limited, "logistics_limited"),
        (&pacing.notes.before_step_three, "before_step_three"),
        (&pacing.notes.practical_unanswered, "practical_unanswered"),
        (&pacing.notes.logistics_question, "logistics_question"),
    ] {
        c.non_empty(value, what, what);
    }
    check_range(q.felt_support_range, "[questions]", "felt_support_range", c);
    check_urge(&pacing.urge, c);
    check_choices(
        &q.channel_options,
        "channel_options",
        "channel_options",
        Some(&CHANNEL_IDS),
        c,
    );
    check_choices(
        &q.from_options,
        "from_options",
        "from_options",
        Some(&FROM_IDS),
        c,
    );
    let nudges = &pacing.nudges;
    for (nudge, name) in [
        (&nudges.no_contact, "no_contact"),
        (&nudges.safety, "safety"),
        (&nudges.moved_on, "moved_on"),
        (&nudges.unanswered, "unanswered"),
        (&nudges.quiet, "quiet"),
        (&nudges.per_week, "per_week"),
        (&nudges.every_few_days, "every_few_days"),
        (&nudges.early_long, "early_long"),
        (&nudges.waiting, "waiting"),
        (&nudges.silence, "silence"),
    ] {
        let near = format!("[nudges.{name}]");
        c.non_empty(&nudge.text, &format!("the text of nudge {name}"), &near);
        for used in placeholders(&nudge.text) {
            if !NUDGE_PLACEHOLDERS.contains(&used) {
                c.problem(
                    &near,
                    format!(
                        "nudge {name} uses {{{used}}}, which exback does not know; the placeholders are {}",
                        NUDGE_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                    ),
                );
            }
        }
    }
}

fn check_outcomes(o: &Outcomes, c: &mut Checker<'_>) {
    c.version(o.format_version);
    c.non_empty(&o.question, "question", "question");
    c.non_empty(&o.help, "help", "help");
    c.non_empty(&o.reflection, "reflection", "reflection");
    c.non_empty(&o.to_moving_on, "to_moving_on", "to_moving_on");
    c.non_empty(
        &o.back_from_moving_on,
        "back_from_moving_on",
        "back_from_moving_on",
    );
    c.non_empty(&o.contact_closed, "contact_closed", "contact_closed");
    for id in OUTCOME_IDS {
        let count = o.outcomes.iter().filter(|x| x.id == id).count();
        if count != 1 {
            c.problem(
                "[[outcomes]]",
                format!("outcome {id:?} must be there exactly once; found {count}"),
            );
        }
    }
    let mut prompt_ids = HashSet::new();
    for outcome in &o.outcomes {
        let near = format!("\"{}\"", outcome.id);
        if !OUTCOME_IDS.contains(&outcome.id.as_str()) {
            c.problem(
                &near,
                format!(
                    "unknown outcome {:?}; the outcomes are {}",
                    outcome.id,
                    OUTCOME_IDS.join(", ")
                ),
            );
        }
        c.non_empty(
            &outcome.label,
            &format!("label of outcome {:?}", outcome.id),
            &near,
        );
        c.non_empty(
            &outcome.closing,
            &format!("closing of outcome {:?}", outcome.id),
            &near,
        );
        if !(1..=3).contains(&outcome.prompts.len()) {
            c.problem(
                &near,
                format!(
                    "outcome {:?} has 1 to 3 reflection prompts; it has {}",
                    outcome.id,
                    outcome.prompts.len()
                ),
            );
        }
        check_prompts(&outcome.prompts, c);
        for p in &outcome.prompts {
            if !prompt_ids.insert(p.id.as_str()) {
                c.problem(
                    &format!("\"{}\"", p.id),
                    format!("prompt id {:?} is used by more than one outcome", p.id),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
        let parsed =
            parse::<toml::Table>("01-a.toml", "a = 1\nb = 2\nc = = 3\nd = 4\n", &mut problems);
        assert!(parsed.is_none());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3), "{}", problems[0].message);
        assert!(!problems[0].message.contains('\n'));
        let first = parse::<toml::Table>("01-a.toml", "= 1\n", &mut problems);
        assert!(first.is_none());
        assert_eq!(problems[1].line, Some(1));
    }
}
