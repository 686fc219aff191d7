//! The terminal's own words around a question: the key hints drawn under it, the hints
//! and retry sentences of the line-by-line prompter, and the short prompts and notes of
//! the rest of `ui` (the passphrase, the editor, the pager, an entry as shown).

sentences! {
    /// `[keys]`: the key hints drawn under a question on a terminal that can draw.
    KeyWords {
        /// Under a one-line text question.
        text: [],
        /// Under a longer answer when no editor is set.
        long_text: [],
        /// Under a longer answer when an editor is set (an empty Enter opens it).
        long_text_editor: [],
        /// Under the question at the top of the editor's file (after `# `).
        editor_note: [],
        /// After the editor closed with one line written.
        written_one: ["editor"],
        /// After the editor closed with more than one line written.
        written_many: ["editor", "lines"],
        /// Under a choice of one.
        select: [],
        /// Under a 1–10 scale.
        scale: [],
        /// Under a 1–10 scale before a number is typed or an arrow pressed.
        scale_unpicked: [],
        /// Under a 1–10 scale that may be skipped.
        optional_scale: [],
        /// Under a scale that may be skipped, before a number is typed.
        optional_scale_unpicked: [],
        /// The lowest choice of a scale, with its label.
        scale_low: ["low"],
        /// The highest choice of a scale, with its label.
        scale_high: ["high"],
        /// Under a checklist.
        checklist: [],
        /// The answer shown for a checklist with nothing ticked.
        checklist_none: [],
        /// Under a text to adapt, shown in place.
        adapt: [],
        /// Under a yes/no question.
        confirm: [],
        /// Under a yes/no question when something else was typed.
        confirm_retry: [],
        /// The answer shown for a yes.
        yes: [],
        /// The answer shown for a no.
        no: [],
    }
}

sentences! {
    /// `[passphrase]`: the prompts that ask for the passphrase on a terminal, typed
    /// without echo; said with the built-in words, before any content folder is read.
    PassphraseWords {
        /// To unlock an encrypted journal.
        unlock: [],
        /// To set the first passphrase (`exback encrypt`).
        set: [],
        /// To set a new one (`exback passphrase`).
        change: [],
        /// The second time, when one is set.
        again: [],
        /// Said by `exback passphrase` once the new one is in use.
        changed: [],
    }
}

sentences! {
    /// `[entry]`: the words around an entry as `log`, `show` and a Markdown export show
    /// it (its header line and the notes under it).
    EntryWords {
        /// A step the workbook no longer has, by its number.
        step: ["n"],
        /// The kind of a readiness-check answer.
        readiness: [],
        /// The kind of a free entry (`exback write`).
        note: [],
        /// The kind of an unsent draft.
        draft: [],
        /// The kind of an outcome, with the outcome's label.
        outcome: ["outcome"],
        /// The kind of an outcome whose id is not recorded.
        outcome_unnamed: [],
        /// When the entry was last changed.
        edited: ["at"],
        /// The entry's id, in a Markdown export (with Markdown's code marks).
        id: ["id"],
        /// The entry's tags, in a Markdown export, separated by commas.
        tags: ["tags"],
    }
}

sentences! {
    /// `[pager]`: what is said about the pager that shows a long `exback log`.
    PagerWords {
        /// On standard error when the pager did not run and the text is printed
        /// without it (`{pager}`: its command, in quotes).
        failed: ["pager"],
    }
}

sentences! {
    /// `[plain]`: the hints and retry sentences of the line-by-line prompter (piped
    /// answers, a screen reader, a dumb terminal).
    PlainWords {
        /// After a one-line text question.
        text: [],
        /// After a longer answer's question.
        long_text: [],
        /// After a yes/no question.
        confirm: [],
        /// When a yes/no answer was neither.
        confirm_retry: [],
        /// After a choice of one (the options follow, numbered).
        select: [],
        /// When a choice is not one of the numbers.
        select_retry: ["n"],
        /// After a 1–10 scale.
        scale: ["low", "high"],
        /// When a scale's answer is not 1 to 10.
        scale_retry: [],
        /// After a 1–10 scale that may be skipped.
        optional_scale: ["low", "high", "skip"],
        /// When a skippable scale's answer is not 1 to 10 or empty.
        optional_scale_retry: [],
        /// After a checklist (the options follow, numbered).
        checklist: [],
        /// When a checklist's answer has no number.
        checklist_retry: [],
        /// After a text to adapt (the text follows).
        adapt: [],
        /// A refused answer: why, and that the next line is read.
        retry: ["why"],
    }
}
