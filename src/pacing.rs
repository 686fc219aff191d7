//! The pacing rules: from the rules in `content/pacing.toml`, the user's path, the
//! breakup date, the logged contacts and `now`, the facts to show and the one nudge,
//! if any. Pure: the clock and the contacts are arguments.
//!
//! Only contacts the user started count towards the pace; a contact from them is
//! their choice and ends a run of unanswered messages. Days are calendar days, each
//! contact's day taken in the offset it was logged with. Contacts before the breakup
//! date or after `now` are left out. Nothing here ever suggests sending something.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::journal::{Channel, Contact, OutcomeKind, Progress, Who};
use crate::workbook::screens::Days;
use crate::workbook::{Nudges, PaceRules};

/// Whether, and why not, exback coaches the pace of contact; `exback status --json`
/// names it in kebab case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    /// The reconciliation path: the pace rules apply.
    Coaching,
    /// Back together: the facts are shown, nothing is paced.
    Together,
    /// They asked for no contact, or blocked the user.
    NoContact,
    /// The user felt unsafe in the relationship.
    Safety,
    /// The outcome is "moved on".
    MovedOn,
}

impl Mode {
    /// The mode for this progress; a safety concern outranks everything else.
    pub(crate) fn of(progress: &Progress) -> Self {
        match (progress.safety(), progress.outcome_kind()) {
            ((_, true), _) => Self::Safety,
            ((true, _), _) => Self::NoContact,
            (_, Some(OutcomeKind::MovedOn)) => Self::MovedOn,
            (_, Some(OutcomeKind::BackTogether)) => Self::Together,
            _ => Self::Coaching,
        }
    }

    /// True on the paths where exback gives no contact coaching at all.
    pub(crate) fn limited(self) -> bool {
        matches!(self, Self::NoContact | Self::Safety | Self::MovedOn)
    }
}

/// The one nudge shown, when the user is ahead of the pace (or on a limited path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nudge {
    /// No-contact path: their wish stands.
    NoContact,
    /// Safety path: safety first, and where to find help.
    Safety,
    /// Moved on: their choice, and the user's, deserve respect.
    MovedOn,
    /// More unanswered messages in a row than `max_unanswered`.
    Unanswered,
    /// A contact from the user within `quiet_days` of the breakup.
    Quiet,
    /// More than `max_per_week` contacts started in the last 7 days.
    PerWeek,
    /// The user's two newest contacts closer than `min_days_between`.
    EveryFewDays,
    /// A call or meeting started by the user within `early_days` of their first contact.
    EarlyLong,
    /// The newest message had no reply yet: a quiet word, nothing more.
    Waiting,
    /// `silence_unanswered` messages in a row without a reply over `silence_days`:
    /// this may be their answer.
    Silence,
}

impl Nudge {
    /// The nudge's id, as in `pacing.toml` and `exback status --json`.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Self::NoContact => "no_contact",
            Self::Safety => "safety",
            Self::MovedOn => "moved_on",
            Self::Unanswered => "unanswered",
            Self::Quiet => "quiet",
            Self::PerWeek => "per_week",
            Self::EveryFewDays => "every_few_days",
            Self::EarlyLong => "early_long",
            Self::Waiting => "waiting",
            Self::Silence => "silence",
        }
    }

    /// The nudge's text as written in the content, placeholders unfilled.
    pub(crate) fn template(self, nudges: &Nudges) -> &str {
        let n = match self {
            Self::NoContact => &nudges.no_contact,
            Self::Safety => &nudges.safety,
            Self::MovedOn => &nudges.moved_on,
            Self::Unanswered => &nudges.unanswered,
            Self::Quiet => &nudges.quiet,
            Self::PerWeek => &nudges.per_week,
            Self::EveryFewDays => &nudges.every_few_days,
            Self::EarlyLong => &nudges.early_long,
            Self::Waiting => &nudges.waiting,
            Self::Silence => &nudges.silence,
        };
        &n.text
    }
}

/// The facts from the user's own log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Days since the breakup date given at onboarding.
    pub days_since_breakup: Option<i64>,
    /// Days since the newest contact, either way.
    pub days_since_last_contact: Option<i64>,
    /// Messages from the user in a row, newest first, without a reply.
    pub unanswered_in_a_row: u32,
    /// Contacts either way in the last 7 days (today and the 6 before).
    pub contacts_last_7_days: u32,
    /// Contacts the user started in the last 7 days.
    pub started_last_7_days: u32,
    /// Days between the user's two newest contacts.
    pub gap_days: Option<i64>,
    /// Days of the quiet period after the breakup still to go (only while it runs).
    pub quiet_days_left: Option<i64>,
}

/// What the pacing rules make of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pace {
    pub mode: Mode,
    pub facts: Facts,
    pub nudge: Option<Nudge>,
}

fn day(at: &DateTime<FixedOffset>) -> NaiveDate {
    crate::dates::local_day(at)
}

/// Why a contact is not part of the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftOut {
    /// About children, a shared home or work.
    Practical,
    /// On a day before the breakup date.
    BeforeBreakup,
    /// Dated after `now` (a clock set back, or set wrong when it was logged).
    AfterNow,
}

/// Whether the pace leaves `c` out, and why (the first reason that holds).
pub(crate) fn left_out(
    c: &Contact,
    breakup: Option<NaiveDate>,
    now: DateTime<FixedOffset>,
) -> Option<LeftOut> {
    if c.logistics {
        Some(LeftOut::Practical)
    } else if c.at > now {
        Some(LeftOut::AfterNow)
    } else if breakup.is_some_and(|b| day(&c.at) < b) {
        Some(LeftOut::BeforeBreakup)
    } else {
        None
    }
}

/// Applies the rules as of `now`.
pub(crate) fn assess(
    rules: &PaceRules,
    mode: Mode,
    breakup: Option<NaiveDate>,
    contacts: &[Contact],
    now: DateTime<FixedOffset>,
) -> Pace {
    let today = day(&now);
    // Practical contacts (children, a shared home, work) are never part of the pace.
    let mut log: Vec<&Contact> = contacts
        .iter()
        .filter(|c| left_out(c, breakup, now).is_none())
        .collect();
    log.sort_by_key(|c| c.at);
    let mine: Vec<&Contact> = log.iter().copied().filter(|c| c.from == Who::Me).collect();
    let ago = |c: &Contact| (today - day(&c.at)).num_days();
    let recent = |c: &Contact| ago(c) < 7;

    let days_since_breakup = breakup.map(|b| (today - b).num_days());
    let quiet = i64::from(rules.quiet_days);
    let facts = Facts {
        days_since_breakup,
        days_since_last_contact: log.last().map(|c| ago(c)),
        unanswered_in_a_row: u32::try_from(log.iter().rev().take_while(|c| c.unanswered()).count())
            .unwrap_or(u32::MAX),
        contacts_last_7_days: count(log.iter().filter(|c| recent(c))),
        started_last_7_days: count(mine.iter().filter(|c| recent(c))),
        gap_days: match mine.as_slice() {
            [.., before, newest] => Some((day(&newest.at) - day(&before.at)).num_days()),
            _ => None,
        },
        quiet_days_left: days_since_breakup
            .filter(|d| mode == Mode::Coaching && *d < quiet)
            .map(|d| quiet - d),
    };

    let nudge = match mode {
        Mode::NoContact | Mode::Safety | Mode::MovedOn => facts
            .days_since_last_contact
            .filter(|d| *d < 7)
            .map(|_| match mode {
                Mode::Safety => Nudge::Safety,
                Mode::NoContact => Nudge::NoContact,
                _ => Nudge::MovedOn,
            }),
        Mode::Together => None,
        Mode::Coaching => coaching_nudge(rules, &facts, &log, &mine, today),
    };
    Pace { mode, facts, nudge }
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

/// The first pace rule the log is ahead of, in order of importance.
fn coaching_nudge(
    rules: &PaceRules,
    facts: &Facts,
    log: &[&Contact],
    mine: &[&Contact],
    today: NaiveDate,
) -> Option<Nudge> {
    let min_between = i64::from(rules.min_days_between);
    let run = usize::try_from(facts.unanswered_in_a_row).unwrap_or(usize::MAX);
    if facts.unanswered_in_a_row >= rules.silence_unanswered
        && let Some(first) = log.len().checked_sub(run).and_then(|i| log.get(i))
        && (today - day(&first.at)).num_days() >= i64::from(rules.silence_days)
    {
        return Some(Nudge::Silence);
    }
    if facts.unanswered_in_a_row > rules.max_unanswered {
        return Some(Nudge::Unanswered);
    }
    if facts.quiet_days_left.is_some() && !mine.is_empty() {
        return Some(Nudge::Quiet);
    }
    if facts.started_last_7_days > rules.max_per_week {
        return Some(Nudge::PerWeek);
    }
    let newest = mine.last()?;
    // The rules about one contact speak only for a few days after it.
    if (today - day(&newest.at)).num_days() >= min_between {
        return waiting(facts);
    }
    if let [.., before, _] = mine {
        let they_reached_out_between = log
            .iter()
            .any(|c| c.from == Who::Them && c.at > before.at && c.at < newest.at);
        if facts.gap_days.is_some_and(|g| g < min_between) && !they_reached_out_between {
            return Some(Nudge::EveryFewDays);
        }
    }
    let first = mine.first()?;
    let early = (day(&newest.at) - day(&first.at)).num_days() < i64::from(rules.early_days);
    if early && matches!(newest.channel, Channel::Call | Channel::InPerson) {
        return Some(Nudge::EarlyLong);
    }
    waiting(facts)
}

/// The quiet word after a first unanswered message, when no rule speaks.
fn waiting(facts: &Facts) -> Option<Nudge> {
    (facts.unanswered_in_a_row >= 1).then_some(Nudge::Waiting)
}

/// Fills a nudge's placeholders from the facts and the rules.
pub(crate) fn render(
    template: &str,
    facts: &Facts,
    rules: &PaceRules,
    days_words: &Days,
) -> String {
    let days = |n: i64| days_words.say(n);
    let unknown = || days_words.unknown.clone();
    let values = [
        ("unanswered", facts.unanswered_in_a_row.to_string()),
        (
            "since_breakup",
            facts.days_since_breakup.map_or_else(unknown, days),
        ),
        (
            "since_last",
            facts.days_since_last_contact.map_or_else(unknown, days),
        ),
        ("gap", facts.gap_days.map_or_else(unknown, days)),
        ("started_7d", facts.started_last_7_days.to_string()),
        ("contacts_7d", facts.contacts_last_7_days.to_string()),
        ("quiet_days", days(i64::from(rules.quiet_days))),
        ("min_days_between", days(i64::from(rules.min_days_between))),
        ("max_per_week", rules.max_per_week.to_string()),
        ("early_days", days(i64::from(rules.early_days))),
    ];
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests;
