//! The words of pacing (`pacing.toml`) and of the outcomes (`outcome.toml`): the
//! pace rules, the questions of `exback contact`, every nudge, the words around drafts,
//! and the outcomes with their closing reflections.

use serde::Deserialize;

use super::{Choice, Prompt};

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

/// One nudge: a short paragraph, with placeholders from [`super::NUDGE_PLACEHOLDERS`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NudgeText {
    pub text: String,
}

/// The outcomes `exback outcome` records (`outcome.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the key of the content file
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
    /// One of [`super::OUTCOME_IDS`].
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
