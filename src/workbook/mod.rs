//! The workbook: the seven steps, their prompts and readiness checks, the welcome,
//! onboarding and support texts, the moving-on steps, the pacing rules with the words
//! of every nudge, and the outcomes. This module owns loading and validating
//! `content/`; every sentence of guidance a user reads comes from here.

mod names;
mod pacing;
pub(crate) mod screens;
mod validate;
mod words;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub(crate) use names::{Naming, name_step, numbered, step_name};
pub(crate) use pacing::{Nudges, Outcomes, PaceRules, Pacing, UrgeText};
pub(crate) use screens::Screens;
pub use validate::Problem;
pub(crate) use words::Words;

/// The content format this build reads.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Number of steps in the reconciliation path.
pub(crate) const STEP_COUNT: usize = 7;

/// Steps still offered on the limited path (no contact asked for, or safety at risk).
pub(crate) const LIMITED_STEPS: u8 = 2;

/// The ids of the four outcomes, in the order `exback outcome` offers them.
pub(crate) const OUTCOME_IDS: [&str; 4] = ["back-together", "friends", "still-hoping", "moved-on"];

/// The placeholders a nudge's text may use; [`crate::pacing`] fills them in.
pub(crate) const NUDGE_PLACEHOLDERS: [&str; 10] = [
    "unanswered",
    "since_breakup",
    "since_last",
    "gap",
    "started_7d",
    "contacts_7d",
    "quiet_days",
    "min_days_between",
    "max_per_week",
    "early_days",
];

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_content.rs"));
}

/// The whole workbook, validated.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub welcome: Welcome,
    /// The seven steps of the reconciliation path, in order.
    pub steps: Vec<Step>,
    /// The steps of the moving-on path, in order.
    pub moving_on: MovingOn,
    /// The pacing rules and the words of every nudge.
    pub pacing: Pacing,
    /// The four outcomes and their closing reflections.
    pub outcomes: Outcomes,
    /// The words of the screens around the steps.
    pub(crate) screens: Screens,
}

/// Texts that frame the steps: welcome, onboarding questions, the limited paths, support.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the key of the content file
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
    pub mood: MoodText,
    pub words: Words,
    pub switch: Switches,
    pub closed_door: ClosedDoor,
}

/// The words of a closed door: a decisive answer ("they said no") whose offer of the
/// moving-on steps was declined. The step rests, and the next `exback next` asks where
/// to go from here. Placeholders: `{step}` the step's name, `{said}` the answer,
/// `{date}` a day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedDoor {
    /// Said when the offer is declined: the step rests here.
    pub declined: String,
    /// The reminder of what was said, before the choice.
    pub reminder: String,
    pub question: String,
    pub help: String,
    /// Matched by id: `moving-on`, `pause`, `continue`.
    pub options: Vec<Choice>,
    /// Asked after `pause`.
    pub look_again: String,
    pub look_again_options: Vec<LookAgain>,
    /// Said when the pause is saved (`{date}`).
    pub resting: String,
    /// Said by `exback next` before that day (`{step}`, `{date}`, `{n}` its number).
    pub still_resting: String,
    /// Asked after `continue`: in the user's own words, why.
    pub why_continue: String,
    pub why_continue_help: String,
    /// Said once the choice to continue is saved.
    pub continued: String,
}

impl ClosedDoor {
    /// Every sentence by its name, with the placeholders it may use.
    pub fn all(&self) -> [(&str, &'static str, &'static [&'static str]); 9] {
        [
            (&self.declined, "declined", &[]),
            (&self.reminder, "reminder", &["step", "said"]),
            (&self.question, "question", &[]),
            (&self.help, "help", &[]),
            (&self.look_again, "look_again", &[]),
            (&self.resting, "resting", &["date"]),
            (&self.still_resting, "still_resting", &["step", "date", "n"]),
            (&self.why_continue, "why_continue", &[]),
            (&self.continued, "continued", &[]),
        ]
    }
}

/// One answer to "when would you like exback to ask again?".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookAgain {
    /// Days from today.
    pub days: u16,
    pub label: String,
}

/// The option ids of a closed door's question.
pub(crate) const DOOR_IDS: [&str; 3] = ["moving-on", "pause", "continue"];

/// Fills `{name}` placeholders in a sentence from the content.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The sentence for `n` of something: `one` when it is 1, else `many` with `{n}` filled
/// in; then the other placeholders of `values`. Every count in the content has these
/// two keys (`…_one` and the key without it), so no English plural is built in code.
pub(crate) fn count<N>(n: N, one: &str, many: &str, values: &[(&str, &str)]) -> String
where
    N: Copy + PartialEq + From<u8> + std::fmt::Display,
{
    if n == N::from(1) {
        fill(one, values)
    } else {
        fill(&fill(many, &[("n", &n.to_string())]), values)
    }
}

/// The mood check-in offered at the start of `exback next`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoodText {
    pub question: String,
    pub low: String,
    pub high: String,
    /// The choice that skips the check-in for today.
    pub skip: String,
    pub note: String,
    pub note_help: String,
    pub saved: String,
    /// Scores from the first to the second that bring the support block.
    #[serde(default)]
    pub support_range: Option<[u8; 2]>,
}

/// The four onboarding questions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnboardingText {
    pub intro: String,
    pub breakup_date: String,
    pub breakup_date_help: String,
    pub ended_by: String,
    /// Matched by id: `me`, `them`, `both`, `complicated`.
    pub ended_by_options: Vec<Choice>,
    pub no_contact: String,
    #[serde(rename = "unsafe")]
    pub felt_unsafe: String,
    /// Yes/no: do they have to stay in touch for practical reasons?
    pub logistics: String,
    pub logistics_help: String,
    pub saved: String,
}

/// A heading and a paragraph explaining one of the limited paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathText {
    pub title: String,
    pub text: String,
}

/// Where to find help: who to talk to, and crisis resources with their country.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub title: String,
    pub text: String,
    /// When the resources were last checked against each organisation's own page:
    /// `YYYY-MM`.
    #[serde(default)]
    pub reviewed: Option<String>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Said after the resources: facts only, no promise of availability.
    #[serde(default)]
    pub note: Option<String>,
}

/// One crisis resource.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The country it serves, or "International".
    pub country: String,
    pub name: String,
    /// How to reach it: a number, a text line or an address, as the organisation gives it.
    pub contact: String,
    /// A service that helps people plan for their safety (domestic abuse): listed
    /// first on the safety path.
    #[serde(default)]
    pub safety_planning: bool,
}

/// The words of a path switch offered by a reaction.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchText {
    /// The yes/no question offering the switch.
    pub offer: String,
    /// Said once the switch is made, with how to change it back.
    pub done: String,
    /// Said when the offer is declined.
    pub declined: String,
}

/// The words of the path switches and of a paused step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switches {
    pub no_contact: SwitchText,
    pub moving_on: SwitchText,
    /// Said when a reaction pauses a step.
    pub paused: String,
    /// Asked after the hardest answers (`then = "offer-stop"`, and a mood check-in in
    /// its support range): stop here for today?
    pub stop_offer: String,
    /// Said when the user stops there.
    pub stopped: String,
    /// Asked after a switch: begin the new path's first step now? (`{step}`)
    pub begin: String,
}

/// Texts of the limited path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitedPath {
    pub done: String,
    /// Said after a "no" to a readiness check on a path without contact coaching,
    /// where the step goes on all the same.
    pub not_yet: String,
}

/// Which set of steps a step belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StepSet {
    /// The seven steps of the reconciliation path.
    #[default]
    Workbook,
    /// The steps of the moving-on path.
    MovingOn,
}

/// One step of the workbook, or of the moving-on path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub format_version: u32,
    /// 1-based, within its set.
    pub number: u8,
    #[serde(skip)]
    pub set: StepSet,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub guidance: Vec<String>,
    /// Said instead of the step while the quiet time after the breakup runs
    /// (`pacing.toml`'s `quiet_days`): a step with it offers nothing until then, and
    /// opens by itself once the days have passed. Placeholders: `{days_left}`,
    /// `{date}` (the first day after the quiet time), `{quiet_days}`.
    #[serde(default)]
    pub quiet_time: Option<String>,
    /// The why and guidance on the safety path, where nobody is asked to be fair to,
    /// or to forgive, someone who made them feel unsafe.
    #[serde(default)]
    pub safety: Option<SafetyWords>,
    pub prompts: Vec<Prompt>,
    pub readiness: Readiness,
}

/// A step's own words for the safety path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyWords {
    pub why: String,
    pub guidance: Vec<String>,
}

/// The placeholders a step's `quiet_time` may use.
pub(crate) const QUIET_TIME_PLACEHOLDERS: [&str; 3] = ["days_left", "date", "quiet_days"];

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
    pub options: Vec<Choice>,
    #[serde(default)]
    pub low: Option<String>,
    #[serde(default)]
    pub high: Option<String>,
    #[serde(default)]
    pub templates: Vec<Template>,
    /// Asked before the step's why and guidance are shown (a question about consent
    /// comes before any advice about contact).
    #[serde(default)]
    pub before_intro: bool,
    /// The paths this prompt is asked on; empty: every path.
    #[serde(default)]
    pub paths: Vec<PathKind>,
    /// What exback does when the answer matches; see [`Reaction`].
    #[serde(default)]
    pub reactions: Vec<Reaction>,
}

impl Prompt {
    /// True when this prompt is asked on `path`.
    pub fn on(&self, path: PathKind) -> bool {
        self.paths.is_empty() || self.paths.contains(&path)
    }
}

/// Which way through the workbook the user is on; prompts and readiness checks may
/// be written for some paths only (`paths = ["safety"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathKind {
    /// The seven steps, with contact coaching.
    Full,
    /// They asked for no contact or blocked the user.
    NoContact,
    /// The user felt unsafe in the relationship.
    Safety,
    /// The outcome is "moved on".
    MovingOn,
}

impl PathKind {
    /// The name used in content and in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::NoContact => "no-contact",
            Self::Safety => "safety",
            Self::MovingOn => "moving-on",
        }
    }
}

/// What exback does when an answer matches: declared in content, so a content pack
/// decides how the workbook listens.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    /// A choice or checklist: any of these option ids picked.
    #[serde(default)]
    pub options: Vec<String>,
    /// A scale: an answer from the first number to the second, inclusive.
    #[serde(default)]
    pub range: Option<[u8; 2]>,
    /// A yes/no question or readiness check: this answer.
    #[serde(default)]
    pub answer: Option<bool>,
    /// Shown first.
    #[serde(default)]
    pub text: Option<String>,
    /// Shows the support block (at most once per run).
    #[serde(default)]
    pub support: bool,
    /// Switches to this path: `no-contact` or `moving-on`.
    #[serde(default)]
    pub switch: Option<PathKind>,
    /// Offer the switch as a yes/no (the default); false: the answer itself is the
    /// switch, as when they asked for no contact.
    #[serde(default = "yes")]
    pub ask: bool,
    /// Then, unless a switch happened: pause the step, or end it for this run.
    #[serde(default)]
    pub then: Option<Then>,
}

fn yes() -> bool {
    true
}

/// What happens to the step after a reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Then {
    /// The step waits: the question is asked again on the next `exback next`, and
    /// `status` and `steps` show the step as paused.
    Pause,
    /// This run stops after the answer, which counts; `exback next` goes on from here.
    End,
    /// For the hardest answers: asks whether to stop here for today (after the text
    /// and the support block); yes ends the run as `End` does, no goes on.
    OfferStop,
    /// A decisive answer: when its offer of the moving-on steps is declined, the step
    /// rests behind a closed door, and the next `exback next` asks where to go from
    /// here (the moving-on steps, a pause, or going on), never straight back into
    /// the step.
    Close,
}

/// One option of a choice or checklist. Its `id` gives the answer its meaning, so a
/// content pack can reword or reorder options without changing what an answer means.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "ChoiceSpec")]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// An option as written: `{ id = "sadness", label = "Sadness" }`, or, in content packs
/// written before options had ids, a bare label (its id is then made from the label).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ChoiceSpec {
    Label(String),
    Full { id: String, label: String },
}

impl From<ChoiceSpec> for Choice {
    fn from(spec: ChoiceSpec) -> Self {
        match spec {
            ChoiceSpec::Full { id, label } => Self { id, label },
            ChoiceSpec::Label(label) => Self {
                id: slug(&label),
                label,
            },
        }
    }
}

/// A label as an id: lowercase letters and digits, anything else a single '-'.
fn slug(label: &str) -> String {
    let mut id = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// The labels of `options`, in order, as a list to choose from.
pub(crate) fn labels(options: &[Choice]) -> Vec<&str> {
    options.iter().map(|o| o.label.as_str()).collect()
}

/// What sort of answer a prompt asks for: defined by the store, which records it with
/// each answer.
pub(crate) use crate::journal::PromptKind;

/// A message template the user can pick and adapt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Saved with the answer, beside the label: lowercase letters, digits and '-',
    /// each once within its prompt.
    pub id: String,
    pub label: String,
    pub text: String,
}

/// Yes/no questions asked after a step's prompts; all must pass for the step to count as done.
/// A moving-on step may have none: it is done once its prompts are answered.
#[derive(Debug, Clone, Default, Deserialize)]
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
    /// The paths this check is asked on; empty: every path.
    #[serde(default)]
    pub paths: Vec<PathKind>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
}

impl Check {
    /// True when this check is asked on `path`.
    pub fn on(&self, path: PathKind) -> bool {
        self.paths.is_empty() || self.paths.contains(&path)
    }
}

/// The moving-on path (`moving-on.toml`).
#[derive(Debug, Clone)]
pub struct MovingOn {
    pub title: String,
    /// Shown once when the path begins after the outcome "moved on".
    pub intro: String,
    /// Shown when the last moving-on step is done.
    pub closing: String,
    pub steps: Vec<Step>,
}

/// The workbook could not be loaded; every problem found is listed.
#[derive(Debug, thiserror::Error)]
#[error("the workbook in {source_name} has {} problem(s):\n{}", problems.len(), render(problems))]
pub struct ContentError {
    pub source_name: String,
    pub problems: Vec<Problem>,
}

/// A step number the workbook does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("there is no step {asked}; steps are numbered 1 to {count}")]
pub struct NoSuchStep {
    pub asked: u8,
    pub count: usize,
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
    /// The built-in content files, `(file name, text)`, sorted by name.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        embedded::FILES
    }

    pub fn embedded() -> Result<Self, ContentError> {
        let files = embedded::FILES
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()));
        Self::from_files(files).map_err(|problems| ContentError {
            source_name: "the built-in content".into(),
            problems,
        })
    }

    /// The words of the screens alone, from the built-in `screens.toml`: a command that
    /// needs nothing else of the workbook (`log`, `write`, `edit`, `delete`) parses
    /// only this file, and stays quick.
    pub(crate) fn embedded_screens() -> Result<Screens, ContentError> {
        let text = embedded::FILES
            .iter()
            .find(|(name, _)| *name == validate::SCREENS_FILE)
            .map_or("", |(_, text)| *text);
        validate::load_screens(text).map_err(|problems| ContentError {
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
            let bytes = crate::journal::read_regular_file(&path)
                .map_err(|e| fail(format!("{name}: cannot read: {e}")))?;
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

    /// The step numbered `n`, or an error saying which numbers exist.
    pub fn numbered(&self, n: u8) -> Result<&Step, NoSuchStep> {
        self.step(n).ok_or(NoSuchStep {
            asked: n,
            count: self.steps.len(),
        })
    }

    /// The step with this stable id, among the seven steps and the moving-on steps.
    pub fn step_by_id(&self, id: &str) -> Option<&Step> {
        self.steps
            .iter()
            .chain(&self.moving_on.steps)
            .find(|s| s.id == id)
    }
}

impl Step {
    /// The step's why and guidance as shown on `path`.
    pub fn words_on(&self, path: PathKind) -> (&str, &[String]) {
        match (&self.safety, path) {
            (Some(s), PathKind::Safety) => (&s.why, &s.guidance),
            _ => (&self.why, &self.guidance),
        }
    }

    /// The prompts asked on `path`, in order.
    pub fn prompts_on(&self, path: PathKind) -> Vec<&Prompt> {
        self.prompts.iter().filter(|p| p.on(path)).collect()
    }

    /// The readiness checks asked on `path`, in order.
    pub fn checks_on(&self, path: PathKind) -> Vec<&Check> {
        self.readiness
            .checks
            .iter()
            .filter(|c| c.on(path))
            .collect()
    }

    /// The prompt with this stable id.
    pub fn prompt(&self, id: &str) -> Option<&Prompt> {
        self.prompts.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests;
