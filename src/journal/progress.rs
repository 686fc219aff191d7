//! Where the user stands: onboarding answers and each step's progress (`progress.json`).
//!
//! Progress only changes through [`Change`]s, so the store can replay a change on the
//! freshest copy under the lock and two terminals never undo each other's work.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The progress format this build writes.
pub(crate) const PROGRESS_VERSION: u32 = 1;

/// The whole progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Format of the file; 0 for a file written before formats were numbered.
    #[serde(default)]
    pub format_version: u32,
    /// When the welcome text was first shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_seen_at: Option<DateTime<FixedOffset>>,
    /// The onboarding answers, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    /// Progress per step, keyed by the step's stable id.
    #[serde(default)]
    pub steps: BTreeMap<String, StepProgress>,
    /// Where things stand, once recorded with `exback outcome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The last time the mood check-in of `exback next` was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mood_skipped_at: Option<DateTime<FixedOffset>>,
    /// The onboarding answers were lost to damage (set by `doctor --repair`): until they
    /// are given again, exback treats contact as limited and coaches none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub onboarding_unknown: bool,
    /// A yes to onboarding's safety questions, kept the moment it was given, before
    /// onboarding was finished; cleared once the whole onboarding is saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_answers: Option<SafetyAnswers>,
    /// Changes that take effect once the journal holds the entry they belong to: the
    /// second half of saving an answer and its progress mark as one transaction (see
    /// [`crate::journal::Store::append_with`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
    /// Fields written by a newer exback: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format_version: PROGRESS_VERSION,
            welcome_seen_at: None,
            onboarding: None,
            steps: BTreeMap::new(),
            outcome: None,
            mood_skipped_at: None,
            onboarding_unknown: false,
            safety_answers: None,
            pending: None,
            extra: Map::new(),
        }
    }
}

/// Where things stand with the ex, as the user last recorded it (also `exback outcome`'s
/// argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    BackTogether,
    Friends,
    StillHoping,
    MovedOn,
}

impl OutcomeKind {
    /// In the order of the content's outcome ids.
    pub const ALL: [OutcomeKind; 4] = [
        Self::BackTogether,
        Self::Friends,
        Self::StillHoping,
        Self::MovedOn,
    ];

    /// The id used in the content, on the command line and in saved data.
    pub fn id(self) -> &'static str {
        match self {
            Self::BackTogether => "back-together",
            Self::Friends => "friends",
            Self::StillHoping => "still-hoping",
            Self::MovedOn => "moved-on",
        }
    }
}

/// The recorded outcome and when it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who ended the relationship, as answered at onboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    Me,
    Them,
    Both,
    Complicated,
}

impl EndedBy {
    /// The option id of this answer in the content.
    pub fn id(self) -> &'static str {
        match self {
            Self::Me => "me",
            Self::Them => "them",
            Self::Both => "both",
            Self::Complicated => "complicated",
        }
    }

    /// The answer whose option id in the content is `id` (`me`, `them`, `both`,
    /// `complicated`).
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "me" => Some(Self::Me),
            "them" => Some(Self::Them),
            "both" => Some(Self::Both),
            "complicated" => Some(Self::Complicated),
            _ => None,
        }
    }
}

/// The onboarding answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onboarding {
    pub answered_at: DateTime<FixedOffset>,
    /// Roughly when the breakup happened.
    pub breakup_date: NaiveDate,
    /// What the user typed for the date, kept as they said it.
    pub breakup_said: String,
    pub ended_by: EndedBy,
    /// They asked for no contact, or blocked the user.
    pub no_contact: bool,
    /// The user felt unsafe in the relationship.
    pub felt_unsafe: bool,
    /// They have to stay in touch for practical reasons (children, a shared home,
    /// work); asked from this version on, so older answers read as no.
    #[serde(default)]
    pub logistics: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Onboarding {
    /// True when exback must not coach contact.
    pub fn limits_contact(&self) -> bool {
        self.no_contact || self.felt_unsafe
    }
}

/// Onboarding's safety answers, as far as they were given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyAnswers {
    pub at: DateTime<FixedOffset>,
    /// They asked for no contact, or blocked the user.
    pub no_contact: bool,
    /// The user felt unsafe in the relationship.
    pub felt_unsafe: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One step's progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepProgress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro_seen_at: Option<DateTime<FixedOffset>>,
    /// Prompt ids answered in the current pass through the step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    /// The readiness checks answered so far in the current round, with the answer
    /// (yes is `true`): a round cut short goes on from the first check not in here.
    /// The round's result (done, or not ready yet) clears it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checked: BTreeMap<String, bool>,
    /// Last time the readiness check did not pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_ready_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<FixedOffset>>,
    /// When an answer paused the step (a reaction in the content); cleared when the
    /// step is taken up again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_at: Option<DateTime<FixedOffset>>,
    /// A decisive answer ("they said no") whose offer of the moving-on steps was
    /// declined: the step rests until the user chooses where to go from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub door: Option<Door>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A closed door: the decisive answer that closed it, and when `exback next` asks
/// again where to go from here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Door {
    /// The prompt whose answer closed it.
    pub prompt_id: String,
    /// The answer as the user gave it.
    pub said: String,
    pub at: DateTime<FixedOffset>,
    /// The day `exback next` asks again, when the user chose to pause for a while;
    /// before it, `exback next` only says the step is resting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub look_again: Option<NaiveDate>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Progress changes waiting for their journal entry: they count once the journal has
/// an entry with this id, and are dropped if it has none (the save never finished, so
/// the question is asked again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The id of the journal entry the changes belong to.
    pub entry: String,
    pub changes: Vec<Change>,
}

/// One change to progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    WelcomeSeen(DateTime<FixedOffset>),
    Onboarded(Onboarding),
    /// A yes to a safety question of onboarding, before onboarding was finished.
    SafetyAnswered(SafetyAnswers),
    IntroSeen {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    Answered {
        step_id: String,
        prompt_id: String,
    },
    /// A readiness check of the current round was answered (yes is `true`).
    Checked {
        step_id: String,
        check_id: String,
        yes: bool,
    },
    /// A readiness check whose answer paused the step: it is asked again when the
    /// step is taken up.
    Unchecked {
        step_id: String,
        check_id: String,
    },
    /// The readiness round ended without passing.
    NotReady {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    /// The step is done (for a step with readiness checks: the round passed).
    Completed {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    /// Records where things stand; `None` clears it. Step progress is never touched.
    Outcome(Option<Outcome>),
    /// The mood check-in was offered and skipped.
    MoodSkipped(DateTime<FixedOffset>),
    /// An answer paused the step.
    Paused {
        step_id: String,
        at: DateTime<FixedOffset>,
    },
    /// The step was taken up again after a pause.
    Resumed {
        step_id: String,
    },
    /// An answer that paused its step: the question is asked again when the step is
    /// taken up.
    Unanswered {
        step_id: String,
        prompt_id: String,
    },
    /// A decisive answer's offer of the moving-on steps was declined: the step is
    /// paused behind a closed door.
    DoorClosed {
        step_id: String,
        door: Door,
    },
    /// The user chose to pause for a while: `exback next` asks again on this day.
    LookAgain {
        step_id: String,
        on: NaiveDate,
    },
    /// The user chose where to go from a closed door: the door and the pause are
    /// cleared.
    DoorOpened {
        step_id: String,
    },
}

impl Progress {
    /// Applies one change. Applying the same change twice has the same effect as once.
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::WelcomeSeen(at) => {
                self.welcome_seen_at.get_or_insert(*at);
            }
            Change::Onboarded(o) => {
                self.onboarding = Some(o.clone());
                self.onboarding_unknown = false;
                self.safety_answers = None;
            }
            Change::SafetyAnswered(a) => self.safety_answers = Some(a.clone()),
            Change::IntroSeen { step_id, at } => {
                self.step_mut(step_id).intro_seen_at.get_or_insert(*at);
            }
            Change::Answered { step_id, prompt_id } => {
                let step = self.step_mut(step_id);
                if !step.answered.contains(prompt_id) {
                    step.answered.push(prompt_id.clone());
                }
            }
            Change::Checked {
                step_id,
                check_id,
                yes,
            } => {
                self.step_mut(step_id)
                    .checked
                    .insert(check_id.clone(), *yes);
            }
            Change::Unchecked { step_id, check_id } => {
                if let Some(step) = self.steps.get_mut(step_id) {
                    step.checked.remove(check_id);
                }
            }
            // Either result ends the round: the next one asks every check again.
            Change::NotReady { step_id, at } => {
                let step = self.step_mut(step_id);
                step.not_ready_at = Some(*at);
                step.checked.clear();
            }
            Change::Completed { step_id, at } => {
                let step = self.step_mut(step_id);
                step.completed_at.get_or_insert(*at);
                step.checked.clear();
            }
            Change::Outcome(outcome) => self.outcome.clone_from(outcome),
            Change::MoodSkipped(at) => self.mood_skipped_at = Some(*at),
            Change::Paused { step_id, at } => self.step_mut(step_id).paused_at = Some(*at),
            Change::Resumed { step_id } => {
                if let Some(step) = self.steps.get_mut(step_id) {
                    step.paused_at = None;
                }
            }
            Change::Unanswered { step_id, prompt_id } => {
                if let Some(step) = self.steps.get_mut(step_id) {
                    step.answered.retain(|p| p != prompt_id);
                }
            }
            Change::DoorClosed { step_id, door } => {
                let step = self.step_mut(step_id);
                step.paused_at = Some(door.at);
                step.door = Some(door.clone());
            }
            Change::LookAgain { step_id, on } => {
                if let Some(door) = self.steps.get_mut(step_id).and_then(|s| s.door.as_mut()) {
                    door.look_again = Some(*on);
                }
            }
            Change::DoorOpened { step_id } => {
                if let Some(step) = self.steps.get_mut(step_id) {
                    step.door = None;
                    step.paused_at = None;
                }
            }
        }
    }

    fn step_mut(&mut self, step_id: &str) -> &mut StepProgress {
        self.steps.entry(step_id.to_string()).or_default()
    }

    /// This step's progress, if any.
    pub fn step(&self, step_id: &str) -> Option<&StepProgress> {
        self.steps.get(step_id)
    }

    /// When the step was completed, if it was.
    pub fn completed_at(&self, step_id: &str) -> Option<DateTime<FixedOffset>> {
        self.step(step_id).and_then(|s| s.completed_at)
    }

    /// True when exback must not coach contact (asked at onboarding), or when the
    /// answers were lost and have not been given again.
    pub fn limits_contact(&self) -> bool {
        let (no_contact, felt_unsafe) = self.safety();
        self.onboarding_unknown || no_contact || felt_unsafe
    }

    /// `(no contact asked for, felt unsafe)`: onboarding's answers, and any yes given
    /// before onboarding was finished.
    pub fn safety(&self) -> (bool, bool) {
        let early = self.safety_answers.as_ref();
        let o = self.onboarding.as_ref();
        (
            o.is_some_and(|o| o.no_contact) || early.is_some_and(|a| a.no_contact),
            o.is_some_and(|o| o.felt_unsafe) || early.is_some_and(|a| a.felt_unsafe),
        )
    }

    /// The recorded outcome, if any.
    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        self.outcome.as_ref().map(|o| o.kind)
    }

    /// True when the user recorded that it's over and they are moving on.
    pub fn moved_on(&self) -> bool {
        self.outcome_kind() == Some(OutcomeKind::MovedOn)
    }
}

/// What could be saved from a damaged progress file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Salvaged {
    pub progress: Progress,
    /// What could not be kept, in order; `exback doctor` names each in the content's
    /// words (`[doctor_repair]`).
    pub lost: Vec<Lost>,
}

/// A part of a damaged progress file that could not be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lost {
    /// Everything after the damage (the document was cut there).
    AfterDamage,
    /// The whole document: nothing in it read as an object.
    Whole,
    FormatNumber,
    WelcomeSeen,
    /// The onboarding answers, unreadable where they stood.
    Onboarding,
    /// The onboarding answers were not there: they may never have been given.
    OnboardingIfGiven,
    /// One step's progress, by the step's id.
    Step(String),
    Outcome,
    MoodSkipped,
    SafetyAnswers,
    /// The mark of the last answer saved.
    Pending,
}

/// Reads as much of a damaged progress file as parses: the document up to the damage
/// (closed where it was cut), then each known field on its own, so one bad field costs
/// only itself. Unknown fields that survive are kept. When the onboarding answers do
/// not survive, the progress says so ([`Progress::onboarding_unknown`]), so that no
/// contact coaching comes back before they are asked again.
pub(crate) fn salvage(bytes: &[u8]) -> Salvaged {
    let mut lost = Vec::new();
    let value = first_value(bytes).unwrap_or_else(|| {
        lost.push(Lost::AfterDamage);
        parse_up_to_damage(bytes)
    });
    let mut progress = Progress::default();
    let Value::Object(mut map) = value else {
        lost.push(Lost::Whole);
        progress.onboarding_unknown = true;
        return Salvaged { progress, lost };
    };
    if let Some(v) = take::<u32>(&mut map, "format_version", Lost::FormatNumber, &mut lost) {
        progress.format_version = v;
    }
    progress.welcome_seen_at = take(&mut map, "welcome_seen_at", Lost::WelcomeSeen, &mut lost);
    progress.onboarding = take(&mut map, "onboarding", Lost::Onboarding, &mut lost);
    if let Some(Value::Object(steps)) = map.remove("steps") {
        for (id, step) in steps {
            match serde_json::from_value::<StepProgress>(step) {
                Ok(p) => {
                    progress.steps.insert(id, p);
                }
                Err(_) => lost.push(Lost::Step(id)),
            }
        }
    }
    progress.outcome = take(&mut map, "outcome", Lost::Outcome, &mut lost);
    progress.mood_skipped_at = take(&mut map, "mood_skipped_at", Lost::MoodSkipped, &mut lost);
    progress.safety_answers = take(&mut map, "safety_answers", Lost::SafetyAnswers, &mut lost);
    progress.pending = take(&mut map, "pending", Lost::Pending, &mut lost);
    progress.onboarding_unknown = progress.onboarding.is_none()
        || take::<bool>(
            &mut map,
            "onboarding_unknown",
            Lost::Onboarding,
            &mut Vec::new(),
        )
        .unwrap_or(false);
    progress.extra = map;
    if progress.onboarding.is_none() && !lost.contains(&Lost::Onboarding) {
        lost.push(Lost::OnboardingIfGiven);
    }
    Salvaged { progress, lost }
}

/// Takes one field out of a salvaged document; a field that does not read is noted in
/// `lost` as `what`.
fn take<T: serde::de::DeserializeOwned>(
    map: &mut Map<String, Value>,
    key: &str,
    what: Lost,
    lost: &mut Vec<Lost>,
) -> Option<T> {
    let value = map.remove(key)?;
    let taken = serde_json::from_value(value).ok();
    if taken.is_none() {
        lost.push(what);
    }
    taken
}

/// The first JSON value of `bytes`, if it is whole (anything after it is ignored).
fn first_value(bytes: &[u8]) -> Option<Value> {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    let value = values.next()?.ok()?;
    Some(value)
}

/// The document up to the first damage, cut back to the last whole member and closed.
fn parse_up_to_damage(bytes: &[u8]) -> Value {
    let offset = match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => return v,
        Err(e) => byte_offset(bytes, e.line(), e.column()),
    };
    let prefix = &bytes[..offset.min(bytes.len())];
    // Places where the prefix can be cut and closed: after an opening bracket, or
    // before a comma between members. Each with the brackets open there.
    let mut cuts: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in prefix.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                stack.push(b);
                cuts.push((i + 1, stack.clone()));
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => cuts.push((i, stack.clone())),
            _ => {}
        }
    }
    for (cut, open) in cuts.iter().rev().take(500) {
        let mut text = prefix[..*cut].to_vec();
        text.extend(
            open.iter()
                .rev()
                .map(|b| if *b == b'{' { b'}' } else { b']' }),
        );
        if let Ok(v) = serde_json::from_slice::<Value>(&text) {
            return v;
        }
    }
    Value::Null
}

/// The byte offset of a 1-based line and column as serde_json reports them.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', bytes)
            .nth(line - 2)
            .map_or(bytes.len(), |i| i + 1)
    };
    (start + column.saturating_sub(1)).min(bytes.len())
}

#[cfg(test)]
mod tests;
