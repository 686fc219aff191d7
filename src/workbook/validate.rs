//! Turns content files into a [`Workbook`], listing every problem with file and line.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use super::{FORMAT_VERSION, PromptKind, STEP_COUNT, Step, Welcome, Workbook};

const WELCOME_FILE: &str = "00-welcome.toml";

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

/// Step files are named `NN-name.toml`, NN being the step number.
fn step_number_of(name: &str) -> Option<u8> {
    let (prefix, _) = name.split_once('-')?;
    prefix.parse().ok().filter(|n| *n >= 1)
}

pub(super) fn load(files: &BTreeMap<String, String>) -> Result<Workbook, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut welcome = None;
    let mut steps: Vec<Step> = Vec::new();

    for (name, text) in files {
        if name == WELCOME_FILE {
            welcome = parse::<Welcome>(name, text, &mut problems);
            if let Some(w) = &welcome {
                check_welcome(
                    w,
                    &mut Checker {
                        file: name,
                        text,
                        problems: &mut problems,
                    },
                );
            }
        } else if let Some(number) = step_number_of(name) {
            if let Some(step) = parse::<Step>(name, text, &mut problems) {
                let mut c = Checker {
                    file: name,
                    text,
                    problems: &mut problems,
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
                steps.push(step);
            }
        } else {
            problems.push(Problem {
                file: name.clone(),
                line: None,
                message: format!(
                    "unexpected file: step files are named like 01-name.toml, plus {WELCOME_FILE}"
                ),
            });
        }
    }

    if welcome.is_none() && !files.contains_key(WELCOME_FILE) {
        problems.push(Problem {
            file: WELCOME_FILE.into(),
            line: None,
            message: "missing".into(),
        });
    }
    steps.sort_by_key(|s| s.number);
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
    let mut ids = HashSet::new();
    for step in &steps {
        if !ids.insert(step.id.as_str()) {
            problems.push(Problem {
                file: String::new(),
                line: None,
                message: format!("step id {:?} is used by more than one step", step.id),
            });
        }
    }

    match welcome {
        Some(welcome) if problems.is_empty() => Ok(Workbook { welcome, steps }),
        _ => Err(problems),
    }
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
        (&o.saved, "saved"),
        (&w.no_contact_path.title, "title"),
        (&w.no_contact_path.text, "text"),
        (&w.safety_path.title, "title"),
        (&w.safety_path.text, "text"),
        (&w.support.text, "text"),
        (&w.limited_path.done, "done"),
    ] {
        c.non_empty(value, what, what);
    }
    if o.ended_by_options.len() < 2 || o.ended_by_options.iter().any(|s| s.trim().is_empty()) {
        c.problem(
            "ended_by_options",
            "ended_by_options needs at least two non-empty options",
        );
    }
}

fn check_step(step: &Step, c: &mut Checker<'_>) {
    c.version(step.format_version);
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
    if !(4..=8).contains(&step.prompts.len()) {
        c.problem(
            "[[prompts]]",
            format!(
                "a step has 4 to 8 prompts; this one has {}",
                step.prompts.len()
            ),
        );
    }
    check_prompts(step, c);
    check_readiness(step, c);
}

fn check_prompts(step: &Step, c: &mut Checker<'_>) {
    let mut ids = HashSet::new();
    for p in &step.prompts {
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
                if p.options.len() < 2 || p.options.iter().any(|o| o.trim().is_empty()) {
                    c.problem(
                        &near,
                        format!("prompt {:?} needs at least two non-empty options", p.id),
                    );
                }
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
            }
            PromptKind::ShortText | PromptKind::LongText | PromptKind::YesNo => {}
        }
    }
}

fn check_readiness(step: &Step, c: &mut Checker<'_>) {
    let r = &step.readiness;
    c.non_empty(&r.intro, "readiness intro", "[readiness]");
    c.non_empty(&r.not_ready, "readiness not_ready", "not_ready");
    if !(1..=4).contains(&r.checks.len()) {
        c.problem(
            "[readiness]",
            format!(
                "readiness has 1 to 4 checks; this one has {}",
                r.checks.len()
            ),
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
    fn ids_are_kebab_case() {
        assert!(valid_id("what-went-wrong-2"));
        assert!(!valid_id("What"));
        assert!(!valid_id(""));
        assert!(!valid_id("a b"));
    }
}
