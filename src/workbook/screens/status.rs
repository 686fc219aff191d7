//! The words of `exback status`: its rows, and the contact lines `exback contact` and
//! `exback urge` also show.

use crate::workbook::fill;

sentences! {
    /// `[ago]`: how long ago a day was, as the status rows say it.
    Ago {
        /// The day itself, or a day after it.
        today: [],
        yesterday: [],
        /// `{n}`: 2 or more.
        many: ["n"],
    }
}

impl Ago {
    /// "today", "yesterday", "3 days ago".
    pub(crate) fn say(&self, days: i64) -> String {
        match days {
            i64::MIN..=0 => self.today.clone(),
            1 => self.yesterday.clone(),
            n => fill(&self.many, &[("n", &n.to_string())]),
        }
    }
}

sentences! {
    /// `[status]`: the heading and rows of `exback status`, but for contact, mood and
    /// what comes next.
    StatusWords {
        /// `{now}`: the date and time of the report.
        heading: ["now"],
        label_steps: [],
        label_moving_on: [],
        label_outcome: [],
        label_breakup: [],
        label_contact: [],
        label_mood: [],
        label_next: [],
        /// A step done: its number and the day.
        done_on: ["n", "date"],
        not_started: [],
        /// The step `exback next` works on, named in a sentence.
        now_on: ["step"],
        /// The moving-on step worked on: its number and title.
        moving_on_now: ["n", "title"],
        moving_on_done: [],
        set_aside: [],
        all_done: [],
        /// A step resting behind a closed door, paused until a day they chose.
        door_resting: ["step", "since", "until", "said"],
        /// A step behind a closed door that `exback next` asks about.
        door_open: ["step", "since", "said"],
        /// A step an answer paused.
        paused: ["step", "date"],
        not_offered: [],
        /// The outcome: its label and the day it was recorded.
        outcome: ["label", "date"],
        /// The breakup: how long ago (`[ago]`) and its date.
        breakup: ["ago", "date"],
    }
}

sentences! {
    /// `[status_contact]`: the pace of contact, as `status`, `contact` and `urge` show it.
    StatusContact {
        /// `{ago}`: how long ago, in the words of `[ago]`.
        last_contact: ["ago"],
        /// `{last}`: the `last_contact` line.
        unanswered_one: ["last"],
        unanswered_many: ["last", "n"],
        /// `{mine}`: how many of the contacts of the week they started.
        week_one: ["mine"],
        week_many: ["n", "mine"],
        nothing_logged: [],
        none_counts_one: [],
        none_counts_many: ["n"],
        /// `{reasons}`: the `left_out_*` parts that apply, joined by commas.
        left_out: ["reasons"],
        left_out_before_breakup: ["n"],
        left_out_after_now: ["n"],
        left_out_practical: ["n"],
        /// `{days}`: in the words of `[days]`.
        quiet_time_left: ["days"],
        not_coached: [],
    }
}

sentences! {
    /// `[status_mood]`: the mood row of `exback status`.
    StatusMood {
        sparkline: ["sparkline"],
        /// `{score}`: today's score, 1 to 10.
        today: ["score"],
        no_check_in_today: [],
        /// `{today}`: the `today` or `no_check_in_today` line.
        streak_one: ["today"],
        streak_many: ["today", "n"],
        none_yet: [],
        none_lately_after_now_one: [],
        none_lately_after_now_many: ["n"],
        none_lately_one: [],
        none_lately_many: ["n"],
    }
}

sentences! {
    /// `[status_next]`: what `exback next` asks next, as the status's Next row says it.
    StatusNext {
        onboarding: [],
        /// `{n}` of `{total}`: the question of the step.
        question: ["n", "total", "step"],
        question_after_check_in: ["n", "total", "step"],
        readiness: ["step"],
        readiness_after_check_in: ["step"],
        closed_door: ["step"],
        closed_door_after_check_in: ["step"],
        done: [],
        done_after_check_in: [],
        /// `{date}`: the day the step opens.
        quiet_time: ["step", "date"],
        resting: ["step"],
        /// The question asked next, quoted.
        prompt: ["prompt"],
    }
}
