//! The workbook: the seven steps, their prompts and readiness checks, and the welcome,
//! onboarding and support texts. This module owns loading and validating `content/`;
//! every sentence a user reads during `exback next` comes from here.

mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub use validate::Problem;

/// The content format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// Number of steps in the reconciliation path.
pub const STEP_COUNT: usize = 7;

/// Steps still offered on the limited path (no contact asked for, or safety at risk).
pub const LIMITED_STEPS: u8 = 2;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_content.rs"));
}

/// The whole workbook, validated.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub welcome: Welcome,
    pub steps: Vec<Step>,
}

/// Texts that frame the steps: welcome, onboarding questions, the limited paths, support.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Welcome {
    pub format_version: u32,
    pub welcome: String,
    pub closing: String,
    pub no_promise: String,
    pub onboarding: OnboardingText,
    pub no_contact_path: PathText,
    pub safety_path: PathText,
    pub support: Support,
    pub limited_path: LimitedPath,
}

/// The four onboarding questions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnboardingText {
    pub intro: String,
    pub breakup_date: String,
    pub breakup_date_help: String,
    pub ended_by: String,
    pub ended_by_options: Vec<String>,
    pub no_contact: String,
    #[serde(rename = "unsafe")]
    pub felt_unsafe: String,
    pub saved: String,
}

/// A heading and a paragraph explaining one of the limited paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathText {
    pub title: String,
    pub text: String,
}

/// Where to find help.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub text: String,
}

/// Texts of the limited path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitedPath {
    pub done: String,
}

/// One step of the workbook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub format_version: u32,
    pub number: u8,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub guidance: Vec<String>,
    pub prompts: Vec<Prompt>,
    pub readiness: Readiness,
}

/// One reflection prompt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    pub kind: PromptKind,
    pub text: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub low: Option<String>,
    #[serde(default)]
    pub high: Option<String>,
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// What sort of answer a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    ShortText,
    LongText,
    YesNo,
    Choice,
    Scale,
    Checklist,
    Template,
}

impl PromptKind {
    /// The name used in content files and in saved entries.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::YesNo => "yes_no",
            Self::Choice => "choice",
            Self::Scale => "scale",
            Self::Checklist => "checklist",
            Self::Template => "template",
        }
    }
}

/// A message template the user can pick and adapt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub label: String,
    pub text: String,
}

/// Yes/no questions asked after a step's prompts; all must pass for the step to count as done.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    pub intro: String,
    pub not_ready: String,
    pub checks: Vec<Check>,
}

/// One readiness question and the answer that passes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub text: String,
    pub expect: bool,
}

/// The workbook could not be loaded; every problem found is listed.
#[derive(Debug, thiserror::Error)]
#[error("the workbook in {source_name} has {} problem(s):\n{}", problems.len(), render(problems))]
pub struct ContentError {
    pub source_name: String,
    pub problems: Vec<Problem>,
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Workbook {
    /// The workbook built into this binary.
    pub fn embedded() -> Result<Self, ContentError> {
        let files = embedded::FILES
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()));
        Self::from_files(files).map_err(|problems| ContentError {
            source_name: "the built-in content".into(),
            problems,
        })
    }

    /// A workbook read from a folder of TOML files in the same format as `content/`.
    pub fn from_dir(dir: &Path) -> Result<Self, ContentError> {
        let fail = |message: String| ContentError {
            source_name: dir.display().to_string(),
            problems: vec![Problem {
                file: String::new(),
                line: None,
                message,
            }],
        };
        let entries =
            std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the folder: {e}")))?;
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| fail(format!("cannot list the folder: {e}")))?;
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes =
                std::fs::read(&path).map_err(|e| fail(format!("{name}: cannot read: {e}")))?;
            let text =
                String::from_utf8(bytes).map_err(|_| fail(format!("{name}: not valid UTF-8")))?;
            files.push((name, text));
        }
        files.sort();
        Self::from_files(files).map_err(|problems| ContentError {
            source_name: dir.display().to_string(),
            problems,
        })
    }

    /// Parses and validates a set of `(file name, TOML text)` pairs.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, Vec<Problem>> {
        validate::load(&files.into_iter().collect::<BTreeMap<_, _>>())
    }

    /// The step with this number (1-based).
    pub fn step(&self, number: u8) -> Option<&Step> {
        self.steps.iter().find(|s| s.number == number)
    }

    /// The step numbered `n`, or a message saying which numbers exist.
    pub fn numbered(&self, n: u8) -> Result<&Step, String> {
        self.step(n).ok_or_else(|| {
            format!(
                "there is no step {n}; steps are numbered 1 to {}",
                self.steps.len()
            )
        })
    }

    /// The step with this stable id.
    pub fn step_by_id(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

impl Step {
    /// The prompt with this stable id.
    pub fn prompt(&self, id: &str) -> Option<&Prompt> {
        self.prompts.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded_files() -> BTreeMap<String, String> {
        embedded::FILES
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect()
    }

    #[test]
    fn the_built_in_workbook_has_seven_valid_steps_in_order() {
        let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wb.steps.len(), STEP_COUNT);
        for (i, step) in wb.steps.iter().enumerate() {
            assert_eq!(usize::from(step.number), i + 1);
            assert!(
                (4..=8).contains(&step.prompts.len()),
                "step {}",
                step.number
            );
            assert!(!step.readiness.checks.is_empty());
        }
        let ids: std::collections::HashSet<_> = wb.steps.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), STEP_COUNT);
        assert_eq!(
            embedded::FILES.len(),
            STEP_COUNT + 1,
            "seven step files and the welcome file"
        );
    }

    #[test]
    fn step_three_offers_message_templates_and_step_five_conversation_openers() {
        let wb = Workbook::embedded().unwrap();
        let templates = |n: u8| -> usize {
            wb.step(n)
                .unwrap()
                .prompts
                .iter()
                .filter(|p| p.kind == PromptKind::Template)
                .map(|p| p.templates.len())
                .sum()
        };
        assert!(templates(3) >= 3);
        assert!(templates(5) >= 2);
    }

    #[test]
    fn a_broken_file_is_reported_with_its_name_and_line() {
        let mut files = embedded_files();
        let step = files.get_mut("02-prepare.toml").unwrap();
        *step = step.replacen("kind = \"", "kind = \"essay_", 1);
        let problems = Workbook::from_files(files).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, "02-prepare.toml");
        assert!(problems[0].line.is_some());
        assert!(
            problems[0].message.contains("essay_"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn semantic_problems_are_all_listed() {
        let mut files = embedded_files();
        files.remove("07-friends.toml");
        let first = files.get_mut("01-understand.toml").unwrap();
        *first = first.replacen("text = \"", "text = \"  \" \n#", 1);
        let problems = Workbook::from_files(files).unwrap_err();
        let all = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(all.contains("expected step files numbered 1 to 7"), "{all}");
        assert!(all.contains("01-understand.toml:"), "{all}");
        assert!(all.contains("is empty"), "{all}");
    }
}
