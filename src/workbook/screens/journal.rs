//! The words of the commands that keep and read back the journal by hand: `write`,
//! `edit`, `delete`, `draft` (saving), `log` and `mood` with no number.

sentences! {
    /// `[write]`: `exback write`.
    WriteWords {
        /// The first line of the editor's file for a free entry.
        editor_header: [],
        /// Said when Ctrl-C stops the wait for piped text.
        stopped: [],
    }
}

sentences! {
    /// `[edit]`: `exback edit ID`.
    EditWords {
        /// The first line of the editor's file: the entry's id and when it was written.
        editor_header: ["id", "date"],
        unchanged: [],
        saved: ["id"],
    }
}

sentences! {
    /// `[delete]`: `exback delete ID`.
    DeleteWords {
        /// The question before deleting, with the entry's first line.
        question: ["date", "preview"],
        /// Said when Ctrl-C stops the question.
        stopped: [],
        kept: [],
        deleted: ["id"],
    }
}

sentences! {
    /// `[draft_saving]`: `exback draft` keeping a message.
    DraftSaving {
        editor_header: [],
        /// Said when Ctrl-C stops the wait for piped text.
        stopped: [],
        kept: [],
    }
}

sentences! {
    /// `[log]`: `exback log` with nothing to show.
    LogWords {
        empty: [],
        no_match: [],
    }
}

sentences! {
    /// `[mood_chart]`: `exback mood` with no number, the last 12 weeks.
    MoodChart {
        none_yet: [],
        title: ["from", "to"],
        check_ins_one: [],
        check_ins_many: ["n"],
        /// The numbers under the chart ({checks} and {days} in the words above).
        summary: ["checks", "days", "average", "lowest", "highest"],
        summary_no_scores: ["checks", "days"],
    }
}
