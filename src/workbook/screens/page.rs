//! `[page]` and `[page_chart]`: the words of the journey page (`exback export
//! --format html`). The page escapes each sentence for HTML where it places it, so a
//! sentence is plain text; a command in backticks is shown as code.

sentences! {
    /// `[page]`: the words of the journey page, from its `<title>` to its closing lines.
    PageWords {
        /// The `<title>` of the page (the browser's tab).
        title: ["date"],
        /// The small line above the cover's heading.
        kicker: [],
        heading: [],
        /// The day the page was made.
        made: ["date"],
        /// The cover's facts: the breakup, its date and the days since.
        breakup: [],
        breakup_when: ["date", "days"],
        days_none: [],
        days_one: [],
        days_many: ["n"],
        /// The steps of the seven done.
        steps_done: [],
        steps_done_count: ["done", "total"],
        /// The moving-on steps done (beside the moving-on path's own title).
        moving_on_done: ["done", "total"],
        /// The heading of the outcome: a fact of the cover, an entry of the contents,
        /// the outcome section's heading, and the label of an outcome no longer known.
        outcome_heading: [],
        /// The outcome chosen, and since when.
        standing: ["label", "date"],
        /// The cover's last fact, and the name of the list of contents.
        on_this_page: [],
        /// What the page holds: three counts below.
        holds: ["entries", "moods", "contacts"],
        entries_none: [],
        entries_one: [],
        entries_many: ["n"],
        moods_none: [],
        moods_one: [],
        moods_many: ["n"],
        contacts_none: [],
        contacts_one: [],
        contacts_many: ["n"],
        /// The filters the page was made with: the parts below, joined by `range_join`.
        range: ["parts"],
        range_since: ["date"],
        range_until: ["date"],
        range_step: ["n"],
        range_join: [],
        /// The mood section: its heading, and what it says when there is no check-in.
        mood_heading: [],
        mood_empty: [],
        /// The table of check-ins under the chart.
        table_summary: ["n"],
        table_when: [],
        table_mood: [],
        table_note: [],
        table_score: ["score"],
        /// The contact section.
        contact_heading: [],
        contact_empty: [],
        contact_from_me: [],
        contact_from_them: [],
        replied_me_yes: [],
        replied_me_no: [],
        replied_them_yes: [],
        replied_them_no: [],
        replied_unknown: [],
        channel_text: [],
        channel_call: [],
        channel_social: [],
        channel_in_person: [],
        channel_other: [],
        /// One contact: who reached out, how, and the response.
        contact_line: ["who", "channel", "reply"],
        contact_line_felt: ["who", "channel", "reply", "felt"],
        /// A step the workbook no longer has, by its number or without one.
        step_numbered: ["n"],
        step_unknown: [],
        /// Under a step's heading: where it stands.
        status_finished: ["date"],
        status_current: [],
        status_ahead: [],
        status_not_offered: [],
        status_gone: [],
        step_empty: [],
        /// A pass through a step, on one day or over several.
        written_on: ["date"],
        written_between: ["from", "to"],
        revisited_on: ["date"],
        revisited_between: ["from", "to"],
        /// An answer whose question was not saved with it.
        question_fallback: [],
        /// An answer changed after it was written (`when` is its date and time).
        edited: ["when"],
        scale_answer: ["n"],
        /// The folded readiness answers of one pass.
        readiness: ["date", "answers"],
        answers_none: [],
        answers_one: [],
        answers_many: ["n"],
        check_fallback: [],
        /// Free entries and drafts.
        notes_heading: [],
        unsent: [],
        about: ["step"],
        /// A reflection on the outcome whose question was not saved with it.
        reflection_fallback: [],
        /// The closing lines at the foot of the page.
        closing: [],
        closing_note: [],
    }
}

sentences! {
    /// `[page_chart]`: the words of the mood chart on the journey page.
    ChartWords {
        /// The chart's title, as a screen reader says it.
        title: [],
        /// The names of the two rows under the chart.
        steps_row: [],
        contact_row: [],
        /// The legend under the chart; `from_them` and `from_me` also name a contact's mark.
        legend_check_in: [],
        legend_step: [],
        from_them: [],
        from_me: [],
        /// What a mark says when pointed at (`when` is its date and time).
        check_in_mark: ["when", "score"],
        check_in_mark_note: ["when", "score", "note"],
        contact_mark: ["when", "who"],
        contact_mark_felt: ["when", "who", "felt"],
        step_mark: ["when", "step"],
        /// The chart in words: the check-ins and the span.
        summary_none: ["from", "to"],
        summary_one: ["from", "to"],
        summary_many: ["n", "from", "to"],
        /// The lowest and highest check-in.
        summary_range: ["low", "low_day", "high", "high_day"],
        /// The average of the earlier and the later half.
        summary_trend: ["earlier", "later"],
        /// The marks on the same axis: a count of steps below, and a count of contacts.
        summary_marks: ["steps", "contacts"],
        steps_none: [],
        steps_one: [],
        steps_many: ["n"],
    }
}
