//! The workbook: the seven steps, their prompts and readiness checks, the welcome,
//! onboarding and support texts, the moving-on steps, the pacing rules with the words
//! of every nudge, and the outcomes. This module owns loading and validating
//! `content/`; every sentence of guidance a user reads comes from here.

mod names;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub(crate) use names::{Naming, name_step, numbered, step_name};
pub use validate::Problem;

/// The content format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// Number of steps in the reconciliation path.
pub const STEP_COUNT: usize = 7;

/// Steps still offered on the limited path (no contact asked for, or safety at risk).
pub const LIMITED_STEPS: u8 = 2;

/// The ids of the four outcomes, in the order `exback outcome` offers them.
pub const OUTCOME_IDS: [&str; 4] = ["back-together", "friends", "still-hoping", "moved-on"];

/// The placeholders a nudge's text may use; [`crate::pacing`] fills them in.
pub const NUDGE_PLACEHOLDERS: [&str; 10] = [
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
pub const DOOR_IDS: [&str; 3] = ["moving-on", "pause", "continue"];

/// The short sentences around the questions of `exback next` and `exback outcome`,
/// each with the placeholders named in [`Words::PLACEHOLDERS`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub welcome_heading: String,
    pub step_heading: String,
    pub moving_on_heading: String,
    pub onboarding_heading: String,
    pub mood_skipped: String,
    pub continue_with: String,
    pub picking_up: String,
    pub question_of: String,
    pub readiness_heading: String,
    pub not_ready_saved: String,
    pub step_done: String,
    pub moving_on_step_done: String,
    pub revisiting: String,
    pub revisit_intro: String,
    pub revisited: String,
    pub make_it_yours: String,
    pub needs_an_answer: String,
    pub outcome_saved: String,
    pub reflection_heading: String,
    pub outcome_so_far: String,
    pub outcome_cleared: String,
    pub step_name: String,
    pub moving_on_step_name: String,
    pub step_short: String,
    pub moving_on_step_short: String,
    pub step_label: String,
    pub moving_on_step_label: String,
    pub step_counted: String,
    pub moving_on_step_counted: String,
    pub status_done: String,
    pub status_current: String,
    pub status_ahead: String,
    pub status_not_offered: String,
    pub yes: String,
    pub no: String,
    pub scale_answer: String,
    pub none_of_these: String,
    pub picked: String,
    pub template_shown: String,
    pub support_reviewed: String,
    pub not_open_yet: String,
    pub date_needed: String,
    pub not_a_date: String,
    pub date_in_future: String,
}

impl Words {
    /// Every sentence by its name in the content, with the placeholders it may use.
    pub fn all(&self) -> [(&str, &'static str, &'static [&'static str]); 44] {
        [
            (&self.welcome_heading, "welcome_heading", &[]),
            (&self.step_heading, "step_heading", &["n", "total", "title"]),
            (
                &self.moving_on_heading,
                "moving_on_heading",
                &["path", "n", "total", "title"],
            ),
            (&self.onboarding_heading, "onboarding_heading", &[]),
            (&self.mood_skipped, "mood_skipped", &[]),
            (&self.continue_with, "continue_with", &["step"]),
            (&self.picking_up, "picking_up", &["answered", "total"]),
            (&self.question_of, "question_of", &["n", "total"]),
            (&self.readiness_heading, "readiness_heading", &[]),
            (&self.not_ready_saved, "not_ready_saved", &[]),
            (&self.step_done, "step_done", &["n", "date", "bar"]),
            (
                &self.moving_on_step_done,
                "moving_on_step_done",
                &["title", "date", "bar"],
            ),
            (&self.revisiting, "revisiting", &["title"]),
            (&self.revisit_intro, "revisit_intro", &[]),
            (&self.revisited, "revisited", &["n"]),
            (&self.make_it_yours, "make_it_yours", &[]),
            (&self.needs_an_answer, "needs_an_answer", &[]),
            (&self.outcome_saved, "outcome_saved", &["label"]),
            (&self.reflection_heading, "reflection_heading", &[]),
            (&self.outcome_so_far, "outcome_so_far", &["label", "date"]),
            (&self.outcome_cleared, "outcome_cleared", &[]),
            (&self.step_name, "step_name", &["n", "title"]),
            (
                &self.moving_on_step_name,
                "moving_on_step_name",
                &["n", "title"],
            ),
            (&self.step_short, "step_short", &["n"]),
            (&self.moving_on_step_short, "moving_on_step_short", &["n"]),
            (&self.step_label, "step_label", &["n", "title"]),
            (
                &self.moving_on_step_label,
                "moving_on_step_label",
                &["path", "title"],
            ),
            (&self.step_counted, "step_counted", &["n", "total", "title"]),
            (
                &self.moving_on_step_counted,
                "moving_on_step_counted",
                &["n", "total", "title"],
            ),
            (&self.status_done, "status_done", &["date"]),
            (&self.status_current, "status_current", &[]),
            (&self.status_ahead, "status_ahead", &[]),
            (&self.status_not_offered, "status_not_offered", &[]),
            (&self.yes, "yes", &[]),
            (&self.no, "no", &[]),
            (&self.scale_answer, "scale_answer", &["n"]),
            (&self.none_of_these, "none_of_these", &[]),
            (&self.picked, "picked", &["label"]),
            (&self.template_shown, "template_shown", &["label", "text"]),
            (&self.support_reviewed, "support_reviewed", &["date"]),
            (&self.not_open_yet, "not_open_yet", &["asked", "current"]),
            (&self.date_needed, "date_needed", &[]),
            (&self.not_a_date, "not_a_date", &["said"]),
            (&self.date_in_future, "date_in_future", &[]),
        ]
    }
}

/// Fills `{name}` placeholders in a sentence from the content.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
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
pub const QUIET_TIME_PLACEHOLDERS: [&str; 3] = ["days_left", "date", "quiet_days"];

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
pub fn labels(options: &[Choice]) -> Vec<&str> {
    options.iter().map(|o| o.label.as_str()).collect()
}

/// What sort of answer a prompt asks for: defined by the store, which records it with
/// each answer.
pub use crate::journal::PromptKind;

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

/// The pacing rules, the questions of `exback contact` and the words of every nudge
/// (`pacing.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pacing {
    pub format_version: u32,
    pub rules: PaceRules,
    pub questions: ContactQuestions,
    pub drafts: DraftTexts,
    pub nudges: Nudges,
    pub notes: ContactNotes,
    pub urge: UrgeText,
}

/// The words of `exback urge`, for the moment the user wants to contact them now.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgeText {
    pub title: String,
    pub intro: String,
    /// The 1–10 question: 1 the hardest, 10 the calmest.
    pub strength: String,
    pub strength_low: String,
    pub strength_high: String,
    /// Scores from the first to the second bring the support block.
    #[serde(default)]
    pub support_range: Option<[u8; 2]>,
    pub say: String,
    pub say_help: String,
    /// Said when what they wanted to say is kept as an unsent draft.
    pub kept: String,
    /// Heading over the facts of the pace.
    pub pace: String,
    pub instead_intro: String,
    /// A few things to do for the next 20 minutes instead.
    pub instead: Vec<String>,
    /// On a terminal: the yes/no offering a quiet countdown before the after-check.
    pub pause_offer: String,
    /// Minutes of the countdown (1 to 10).
    pub pause_minutes: u8,
    /// The quiet line beside the countdown.
    pub pause_hint: String,
    pub after: String,
    pub after_low: String,
    pub after_high: String,
    pub closing: String,
}

/// The thresholds of the pacing rules, in calendar days and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaceRules {
    /// Days after the breakup before a first contact from the user.
    pub quiet_days: u32,
    /// Messages from the user in a row without a reply that are still in pace.
    pub max_unanswered: u32,
    /// The fewest days between two contacts the user starts.
    pub min_days_between: u32,
    /// Contacts the user starts in any 7 days.
    pub max_per_week: u32,
    /// Days from the first contact after the breakup that count as "early on".
    pub early_days: u32,
    /// Unanswered messages in a row that, over `silence_days`, may be their answer.
    pub silence_unanswered: u32,
    /// Days from the first of those unanswered messages to today.
    pub silence_days: u32,
}

/// The questions `exback contact` asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactQuestions {
    pub intro: String,
    pub when: String,
    pub when_help: String,
    pub channel: String,
    /// Matched by id: `text`, `call`, `social`, `in-person`, `other`.
    pub channel_options: Vec<Choice>,
    pub from: String,
    /// Matched by id: `me`, `them`.
    pub from_options: Vec<Choice>,
    pub replied_mine: String,
    pub replied_theirs: String,
    pub felt: String,
    pub felt_low: String,
    pub felt_high: String,
    /// Feelings from the first number to the second bring the support block, right after
    /// the contact is logged.
    pub felt_support_range: Option<[u8; 2]>,
    pub note: String,
    pub note_help: String,
}

/// The words around unsent drafts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftTexts {
    /// One line pointing at `exback draft`, shown with every nudge.
    pub hint: String,
    /// The yes/no question offering a draft after a nudge.
    pub offer: String,
    /// The question asking for the draft's text.
    pub question: String,
}

/// The text of every nudge.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nudges {
    pub no_contact: NudgeText,
    pub safety: NudgeText,
    pub moved_on: NudgeText,
    pub unanswered: NudgeText,
    pub quiet: NudgeText,
    pub per_week: NudgeText,
    pub every_few_days: NudgeText,
    pub early_long: NudgeText,
    /// A quiet word after the first unanswered message.
    pub waiting: NudgeText,
    /// A long silence: this may be their answer.
    pub silence: NudgeText,
}

/// Words said after a contact is logged, beside the pace.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactNotes {
    /// After a practical contact (children, a shared home, work).
    pub logistics: String,
    /// After a practical contact on the no-contact or safety path.
    pub logistics_limited: String,
    /// After the first contact the user started before step 3 is done (once: it is a
    /// word, never a block, and not repeated with every contact).
    pub before_step_three: String,
    /// After a practical contact when the user's last practical messages, as many as
    /// `silence_unanswered`, have all gone unanswered.
    pub practical_unanswered: String,
    /// The yes/no question of `exback contact` asking whether it was practical.
    pub logistics_question: String,
}

/// One nudge: a short paragraph, with placeholders from [`NUDGE_PLACEHOLDERS`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NudgeText {
    pub text: String,
}

/// The outcomes `exback outcome` records (`outcome.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcomes {
    pub format_version: u32,
    pub question: String,
    pub help: String,
    /// Shown before the closing reflection's prompts.
    pub reflection: String,
    /// Shown when an outcome switches the workbook to the moving-on path.
    pub to_moving_on: String,
    /// Shown when an outcome switches the workbook back to the seven steps.
    pub back_from_moving_on: String,
    /// Shown when a step about contact is asked for after "moved on".
    pub contact_closed: String,
    pub outcomes: Vec<OutcomeText>,
}

/// One outcome: its label, a closing paragraph and 1–3 reflection prompts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeText {
    /// One of [`OUTCOME_IDS`].
    pub id: String,
    pub label: String,
    pub closing: String,
    pub prompts: Vec<Prompt>,
}

impl Outcomes {
    /// The outcome with this id.
    pub fn get(&self, id: &str) -> Option<&OutcomeText> {
        self.outcomes.iter().find(|o| o.id == id)
    }
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
mod tests {
    use super::*;

    /// Every problem found in `files`, one per line (the files must be broken).
    fn problems_in(files: BTreeMap<String, String>) -> String {
        let problems = Workbook::from_files(files).expect_err("these files are broken");
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

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
            for path in [PathKind::Full, PathKind::NoContact, PathKind::Safety] {
                assert!(
                    (4..=8).contains(&step.prompts_on(path).len()),
                    "step {} on {path:?}",
                    step.number
                );
            }
            assert!(!step.readiness.checks.is_empty());
        }
        let ids: std::collections::HashSet<_> = wb.steps.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), STEP_COUNT);
        assert_eq!(
            embedded::FILES.len(),
            STEP_COUNT + 4,
            "seven step files, the welcome, pacing, outcome and moving-on files"
        );
    }

    #[test]
    fn the_built_in_moving_on_pacing_and_outcome_content_is_complete() {
        let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = wb.moving_on.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["grief", "lessons", "what-next"]);
        for (i, step) in wb.moving_on.steps.iter().enumerate() {
            assert_eq!(usize::from(step.number), i + 1);
            assert_eq!(step.set, StepSet::MovingOn);
        }
        assert!(wb.steps.iter().all(|s| s.set == StepSet::Workbook));
        let outcome_ids: Vec<&str> = wb.outcomes.outcomes.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(outcome_ids, OUTCOME_IDS);
        assert!(
            wb.outcomes
                .outcomes
                .iter()
                .all(|o| (1..=3).contains(&o.prompts.len()))
        );
        let r = wb.pacing.rules;
        assert_eq!(r.max_unanswered, 1, "no more than one unanswered message");
        assert!(r.quiet_days >= 14 && (2..=4).contains(&r.min_days_between));
        assert_eq!(
            wb.step_by_id("grief").map(|s| s.set),
            Some(StepSet::MovingOn)
        );
    }

    #[test]
    fn no_nudge_tells_the_user_to_send_something_now() {
        let wb = Workbook::embedded().unwrap();
        let n = &wb.pacing.nudges;
        for nudge in [
            &n.no_contact,
            &n.safety,
            &n.moved_on,
            &n.unanswered,
            &n.quiet,
            &n.per_week,
            &n.every_few_days,
            &n.early_long,
            &n.waiting,
            &n.silence,
        ] {
            let text = nudge.text.to_lowercase();
            for phrase in [
                "send it now",
                "text them now",
                "reach out now",
                "message them now",
                "now is the time",
            ] {
                assert!(!text.contains(phrase), "{phrase:?} in {:?}", nudge.text);
            }
        }
    }

    #[test]
    fn a_missing_pacing_file_and_an_unknown_placeholder_are_reported() {
        let mut files = embedded_files();
        files.remove("pacing.toml");
        let all = problems_in(files);
        assert!(all.contains("pacing.toml: missing"), "{all}");

        let mut files = embedded_files();
        let pacing = files.get_mut("pacing.toml").unwrap();
        *pacing = pacing.replacen("were {gap} apart", "were {gaps} apart", 1);
        let all = problems_in(files);
        assert!(
            all.contains("pacing.toml:") && all.contains("{gaps}"),
            "{all}"
        );
    }

    #[test]
    fn every_outcome_must_be_there_once() {
        let mut files = embedded_files();
        let outcome = files.get_mut("outcome.toml").unwrap();
        *outcome = outcome.replacen("id = \"friends\"", "id = \"moved-on\"", 1);
        let all = problems_in(files);
        assert!(
            all.contains("outcome.toml") && all.contains("\"friends\""),
            "{all}"
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
    fn options_have_ids_and_bare_labels_still_read() {
        let mut files = embedded_files();
        let step = files.get_mut("01-understand.toml").unwrap();
        *step = step.replacen(
            "{ id = \"the-spark-faded\", label = \"The spark faded\" }",
            "\"The spark, faded\"",
            1,
        );
        let wb = Workbook::from_files(files).unwrap_or_else(|p| panic!("{p:?}"));
        let reasons = wb.step(1).unwrap().prompt("reasons").unwrap();
        assert_eq!(reasons.options[0].id, "the-spark-faded");
        assert_eq!(reasons.options[0].label, "The spark, faded");
    }

    #[test]
    fn unknown_and_repeated_option_ids_are_reported() {
        let mut files = embedded_files();
        let pacing = files.get_mut("pacing.toml").unwrap();
        *pacing = pacing.replacen("id = \"social\"", "id = \"carrier-pigeon\"", 1);
        let step = files.get_mut("02-prepare.toml").unwrap();
        *step = step.replacen("id = \"anger\"", "id = \"sadness\"", 1);
        let all = problems_in(files);
        assert!(
            all.contains("pacing.toml:") && all.contains("\"carrier-pigeon\""),
            "{all}"
        );
        assert!(
            all.contains("02-prepare.toml:") && all.contains("used twice"),
            "{all}"
        );
    }

    #[test]
    fn content_check_refuses_a_decline_into_templates_repeated_questions_and_scales_upside_down() {
        // A switch offer on a step's last question, with no `then`.
        let files = edited(&[(
            "02-prepare.toml",
            "switch = \"moving-on\"\nthen = \"end\"",
            "switch = \"moving-on\"",
        )]);
        let problems = problems_in(files);
        assert!(
            problems.contains("02-prepare.toml:")
                && problems.contains("offers a switch on the step's last question"),
            "{problems}"
        );
        // A switch offer right before a template.
        let files = edited(&[(
            "03-contact.toml",
            "then = \"pause\"\n\n[[prompts]]\nid = \"first-message\"",
            "switch = \"moving-on\"\n\n[[prompts]]\nid = \"first-message\"",
        )]);
        let problems = problems_in(files);
        assert!(
            problems.contains("leads straight to the template \"first-message\""),
            "{problems}"
        );
        // The same question in two steps.
        let files = edited(&[(
            "04-not-needy.toml",
            "text = \"Since step 3, have they asked you",
            "text = \"Since you last told exback, have they asked you",
        )]);
        let problems = problems_in(files);
        assert!(
            problems.contains("is asked in step \"contact\" and again in step \"not-needy\""),
            "{problems}"
        );
        // A scale whose 1 reads as the easy end.
        let files = edited(&[(
            "01-understand.toml",
            "low = \"I'm still confused\"",
            "low = \"Calm and clear\"",
        )]);
        let problems = problems_in(files);
        assert!(
            problems.contains("01-understand.toml:") && problems.contains("reads as the easy end"),
            "{problems}"
        );
    }

    #[test]
    fn the_help_lines_cover_each_country_named_and_each_was_checked_at_its_source() {
        let wb = Workbook::embedded().unwrap();
        let lines: Vec<String> = wb
            .welcome
            .support
            .resources
            .iter()
            .map(|r| format!("{} · {}: {}", r.country, r.name, r.contact))
            .collect();
        for (country, contact) in [
            ("New Zealand", "111"),
            ("United Kingdom", "999"),
            ("Australia", "000"),
            ("Wales", "0808 80 10 800"),
            ("Northern Ireland", "0808 802 1414"),
            ("Ireland", "1800 341 900"),
            ("Canada", "sheltersafe.ca"),
            ("Australia", "text 0458 737 732"),
        ] {
            assert!(
                lines.iter().any(|l| l.starts_with(&format!("{country} ·"))
                    && l.ends_with(contact)
                    || l.starts_with(&format!("{country} ·")) && l.contains(contact)),
                "{country} {contact}: {lines:#?}"
            );
        }
        assert_eq!(wb.welcome.support.reviewed.as_deref(), Some("2026-12"));
        // Each resource sits under the note of where and when it was checked.
        let text = embedded_files()["00-welcome.toml"].clone();
        let file: Vec<&str> = text.lines().collect();
        for (i, line) in file.iter().enumerate() {
            if line.trim() == "[[support.resources]]" {
                let above = file[i - 1];
                assert!(
                    above.starts_with("# checked 20") && above.contains(" against "),
                    "line {}: {above:?}",
                    i + 1
                );
            }
        }
        assert!(
            wb.welcome
                .support
                .note
                .as_deref()
                .is_some_and(|n| !n.contains("above")),
            "the note reads the same in --json, where nothing is above it"
        );
    }

    #[test]
    fn option_labels_have_no_commas_and_support_is_dated() {
        let wb = Workbook::embedded().unwrap();
        let prompts = wb
            .steps
            .iter()
            .chain(&wb.moving_on.steps)
            .flat_map(|s| &s.prompts)
            .chain(wb.outcomes.outcomes.iter().flat_map(|o| &o.prompts));
        for p in prompts {
            for o in &p.options {
                assert!(
                    !o.label.contains(','),
                    "{}: {:?} reads as a list",
                    p.id,
                    o.label
                );
            }
            for label in [&p.low, &p.high].into_iter().flatten() {
                assert!(!label.contains(','), "{}: {label:?}", p.id);
            }
        }
        let support = &wb.welcome.support;
        assert!(
            support
                .reviewed
                .as_deref()
                .is_some_and(|r| r.starts_with("20"))
        );
        assert!(support.resources.iter().all(|r| !r.country.is_empty()));
        assert_eq!(support.resources[0].country, "International");
    }

    #[test]
    fn semantic_problems_are_all_listed() {
        let mut files = embedded_files();
        files.remove("07-friends.toml");
        let first = files.get_mut("01-understand.toml").unwrap();
        *first = first.replacen("text = \"", "text = \"  \" \n#", 1);
        let all = problems_in(files);
        assert!(all.contains("expected step files numbered 1 to 7"), "{all}");
        assert!(all.contains("01-understand.toml:"), "{all}");
        assert!(all.contains("is empty"), "{all}");
    }

    #[test]
    fn a_template_needs_an_id_of_its_own() {
        let mut files = embedded_files();
        let contact = files.get_mut("03-contact.toml").unwrap();
        *contact = contact.replacen("id = \"wishing-them-well\"", "id = \"a-light-check-in\"", 1);
        let all = problems_in(files.clone());
        assert!(all.contains("template id \"a-light-check-in\""), "{all}");
        let contact = files.get_mut("03-contact.toml").unwrap();
        *contact = contact.replacen("id = \"a-light-check-in\"\n", "", 2);
        assert!(problems_in(files).contains("missing field `id`"));
    }

    /// The built-in files with one line of `[words]` replaced.
    fn with_word(name: &str, value: &str) -> BTreeMap<String, String> {
        let mut files = embedded_files();
        let welcome = files.get_mut("00-welcome.toml").expect("the welcome file");
        let start = welcome
            .find(&format!("\n{name} = "))
            .unwrap_or_else(|| panic!("{name} is in [words]"));
        let end = welcome[start + 1..]
            .find('\n')
            .map_or(welcome.len(), |e| start + 1 + e);
        welcome.replace_range(start..end, &format!("\n{name} = {value:?}"));
        files
    }

    #[test]
    fn every_sentence_of_words_is_checked_by_its_own_name_and_placeholders() {
        let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let welcome = embedded_files().remove("00-welcome.toml").unwrap();
        let words = welcome
            .split("\n[words]\n")
            .nth(1)
            .expect("a [words] table");
        for (value, name, allowed) in wb.welcome.words.all() {
            assert!(
                words.contains(&format!("\n{name} = ")) || words.starts_with(&format!("{name} = ")),
                "{name} is a key of [words]"
            );
            assert!(!value.is_empty(), "{name}");
            for used in validate::placeholders(value) {
                assert!(allowed.contains(&used), "{name} may use {{{used}}}");
            }
        }
        let empty = problems_in(with_word("step_done", ""));
        assert!(empty.contains("step_done"), "{empty}");
        let unknown = problems_in(with_word("question_of", "Question {n} of {oops}"));
        assert!(
            unknown.contains("question_of uses {oops}")
                && unknown.contains("it knows {n}, {total}"),
            "{unknown}"
        );
        let none_known = problems_in(with_word("welcome_heading", "Hello {name}"));
        assert!(none_known.contains("it knows none"), "{none_known}");
    }

    #[test]
    fn path_and_prompt_kinds_are_named_as_the_content_writes_them() {
        for path in [
            PathKind::Full,
            PathKind::NoContact,
            PathKind::Safety,
            PathKind::MovingOn,
        ] {
            let named: PathKind = serde_json::from_value(path.as_str().into()).unwrap();
            assert_eq!(named, path);
        }
        for kind in PromptKind::ALL {
            let named: PromptKind = serde_json::from_value(kind.as_str().into()).unwrap();
            assert_eq!(named, kind);
        }
    }

    #[test]
    fn a_content_error_lists_each_problem_on_its_own_indented_line() {
        let err = ContentError {
            source_name: "my-pack".into(),
            problems: vec![
                Problem {
                    file: "01-a.toml".into(),
                    line: Some(3),
                    message: "first".into(),
                },
                Problem {
                    file: "02-b.toml".into(),
                    line: None,
                    message: "second".into(),
                },
            ],
        };
        let text = err.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains("my-pack") && lines[0].contains("2 problem(s)"));
        assert!(
            lines[1].starts_with("  ") && lines[1].contains("first"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("  ") && lines[2].contains("second"),
            "{text}"
        );
    }

    #[test]
    fn a_folder_of_content_reads_only_its_toml_files() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in embedded::FILES {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "not [valid toml").unwrap();
        std::fs::write(dir.path().join("README"), "= nor this").unwrap();
        let wb = Workbook::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wb.steps.len(), STEP_COUNT);
    }

    /// The built-in files with `from` replaced by `to` in `file` (which must hold it).
    fn edited(edits: &[(&str, &str, &str)]) -> BTreeMap<String, String> {
        let mut files = embedded_files();
        for (file, from, to) in edits {
            let text = files.get_mut(*file).unwrap();
            assert!(text.contains(from), "{file} holds {from:?}");
            *text = text.replacen(from, to, 1);
        }
        files
    }

    const OPTIONS_END: &str =
        "  { id = \"none-of-these-really\", label = \"None of these really fits\" },\n]\n";

    #[test]
    fn support_resources_need_a_month_they_were_checked_and_ranges_go_from_1_to_10() {
        for bad in ["2026-13", "2026/11", "20x6-11", "2026-1"] {
            let shown = problems_in(edited(&[(
                "00-welcome.toml",
                "reviewed = \"2026-12\"",
                &format!("reviewed = \"{bad}\""),
            )]));
            assert!(shown.contains("`reviewed = \"YYYY-MM\"`"), "{bad}: {shown}");
        }
        let unreviewed = problems_in(edited(&[(
            "00-welcome.toml",
            "reviewed = \"2026-12\"\n",
            "",
        )]));
        assert!(unreviewed.contains("`reviewed"), "{unreviewed}");
        for range in ["[0, 2]", "[3, 2]"] {
            let mood = problems_in(edited(&[(
                "00-welcome.toml",
                "support_range = [1, 2]",
                &format!("support_range = {range}"),
            )]));
            assert!(
                mood.contains(&format!("support_range is {range}")),
                "{mood}"
            );
            // Each range is named, at its own line.
            let pacing = embedded_files()["pacing.toml"].clone();
            let line_of = |key: &str| {
                pacing
                    .lines()
                    .position(|l| l.starts_with(key))
                    .map(|i| i + 1)
                    .unwrap()
            };
            for key in ["support_range", "felt_support_range"] {
                let shown = problems_in(edited(&[(
                    "pacing.toml",
                    &format!("\n{key} = [1, 2]"),
                    &format!("\n{key} = {range}"),
                )]));
                let at = format!("pacing.toml:{}:", line_of(&format!("{key} =")));
                assert!(
                    shown.contains(&format!("{key} is {range}")) && shown.contains(&at),
                    "{key} at {at}: {shown}"
                );
            }
        }
    }

    #[test]
    fn choices_scales_templates_guidance_and_urge_ideas_must_be_whole() {
        let one_option = problems_in(edited(&[(
            "01-understand.toml",
            "  { id = \"i-held-on-too\", label = \"I held on too tightly\" },\n  { id = \"i-kept-my-distance\", label = \"I kept my distance\" },\n  { id = \"i-swung-between-the\", label = \"I swung between the two\" },\n  { id = \"i-kept-things-to\", label = \"I kept things to myself to avoid a fight\" },\n",
            "",
        )]));
        assert!(
            one_option.contains("needs at least two options"),
            "{one_option}"
        );
        let blank_point = problems_in(edited(&[(
            "01-understand.toml",
            "guidance = [\n",
            "guidance = [\n  \"  \",\n",
        )]));
        assert!(
            blank_point.contains("guidance needs at least one non-empty point"),
            "{blank_point}"
        );
        let no_high = problems_in(edited(&[(
            "01-understand.toml",
            "high = \"I see it clearly\"",
            "high = \"\"",
        )]));
        assert!(no_high.contains("needs `low` and `high`"), "{no_high}");
        let empty_template = problems_in(edited(&[(
            "03-contact.toml",
            "text = \"Hi, I hope you're doing well. No need to reply, I just wanted to say hello.\"",
            "text = \"\"",
        )]));
        assert!(
            empty_template.contains("needs templates with a label and text"),
            "{empty_template}"
        );
        let blank_idea = problems_in(edited(&[(
            "pacing.toml",
            "instead = [\n",
            "instead = [\n  \" \",\n",
        )]));
        assert!(
            blank_idea.contains("urge.instead needs at least one non-empty idea"),
            "{blank_idea}"
        );
    }

    #[test]
    fn reactions_must_match_what_their_prompt_can_answer() {
        let on_a_choice = problems_in(edited(&[(
            "01-understand.toml",
            OPTIONS_END,
            &format!("{OPTIONS_END}\n[[prompts.reactions]]\nrange = [1, 2]\ntext = \"A word.\"\n"),
        )]));
        assert!(
            on_a_choice.contains("is a choice: its reactions match `options`"),
            "{on_a_choice}"
        );
        let off_the_scale = problems_in(edited(&[(
            "01-understand.toml",
            "high = \"I see it clearly\"\n",
            "high = \"I see it clearly\"\n\n[[prompts.reactions]]\nrange = [0, 3]\ntext = \"A word.\"\n",
        )]));
        assert!(
            off_the_scale.contains("has range [0, 3]"),
            "{off_the_scale}"
        );
        // The support block alone is something to do: no text is needed.
        let support_alone = edited(&[(
            "01-understand.toml",
            "text = \"That's worth finding out, gently and in your own time. Here is where you could start.\"\n",
            "",
        )]);
        Workbook::from_files(support_alone).unwrap_or_else(|p| panic!("{p:?}"));
    }

    #[test]
    fn readiness_checks_have_their_own_ids_and_every_path_has_some() {
        let twice = problems_in(edited(&[(
            "01-understand.toml",
            "id = \"their-side\"",
            "id = \"differently\"",
        )]));
        assert!(
            twice.contains("\"differently\" is invalid or used twice"),
            "{twice}"
        );
        let full = "paths = [\"full\", \"no-contact\", \"moving-on\"]\ntext = ";
        let safety = "paths = [\"safety\"]\ntext = ";
        let none_on_full = problems_in(edited(&[
            (
                "01-understand.toml",
                &format!("{full}\"Looking at"),
                &format!("{safety}\"Looking at"),
            ),
            (
                "01-understand.toml",
                &format!("{full}\"Can you describe"),
                &format!("{safety}\"Can you describe"),
            ),
        ]));
        assert!(
            none_on_full.contains("on the full path, readiness has 0 checks"),
            "{none_on_full}"
        );
    }

    /// Answers that change the situation change what happens next, in the built-in
    /// content too: a pause, the moving-on steps offered, or a word; never only a record.
    #[test]
    fn hard_answers_in_the_built_in_steps_bring_a_pause_or_an_offer() {
        let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
        let reaction = |step: u8, prompt: &str| -> Vec<&Reaction> {
            let p = wb.step(step).unwrap().prompt(prompt).unwrap();
            p.reactions.iter().collect()
        };
        let pauses = |rs: &[&Reaction]| rs.iter().any(|r| r.then == Some(Then::Pause));
        // Too anxious before a first message, a "no" to keeping romance talk out,
        // someone guarded: the step waits.
        let calm = reaction(3, "calm-level");
        assert!(pauses(&calm) && calm.iter().any(|r| r.range == Some([1, 2])));
        let romance = reaction(7, "no-romance-talk");
        assert!(pauses(&romance) && romance.iter().any(|r| r.answer == Some(false)));
        let comfort = reaction(7, "their-comfort");
        assert!(pauses(&comfort) && comfort.iter().any(|r| r.range == Some([1, 2])));
        // Leaning towards moving on: the moving-on steps are offered, not pressed, and a
        // "no" ends the run there rather than asking to go on into step 3. Deciding
        // closes the door.
        let decision = reaction(2, "where-you-stand");
        assert!(decision.iter().any(|r| r.options == ["i-m-leaning-towards"]
            && r.switch == Some(PathKind::MovingOn)
            && r.then == Some(Then::End)));
        assert!(
            decision
                .iter()
                .any(|r| r.options == ["decided-to-move-on"] && r.then == Some(Then::Close))
        );
        // Quiet signs that they have moved on are answered with a word and the
        // moving-on steps offered (not pressed); contact several times a day, with a word.
        let signs = reaction(6, "moved-on-signs");
        assert!(
            signs
                .iter()
                .any(|r| r.options.contains(&"rarely-reply".to_string()) && r.text.is_some())
        );
        assert!(
            signs
                .iter()
                .any(|r| r.options.contains(&"rarely-reply".to_string())
                    && r.switch == Some(PathKind::MovingOn)
                    && r.ask
                    && r.then.is_none())
        );
        let rhythm = reaction(6, "contact-rhythm");
        assert!(
            rhythm
                .iter()
                .any(|r| r.options == ["several-times-a-day"] && r.text.is_some())
        );
    }
}
