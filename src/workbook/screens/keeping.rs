//! The words of the commands that keep the journal: `doctor` and its repair, the
//! merging of sync conflict copies, `contact`, `encrypt`/`decrypt`, `passphrase`,
//! `git init`, `import`, `export -o` and `content`.

sentences! {
    /// `[doctor]`: the report of `exback doctor`.
    DoctorWords {
        data_directory: ["dir"],
        /// Records are sealed but `key.age` is gone (an error follows).
        key_missing: [],
        encrypted_checked: [],
        encrypted_unchecked: [],
        conversion_unfinished: [],
        open_to_others: [],
        /// The file rows; `name` comes padded so that the rows line up.
        missing: ["name"],
        records: ["name", "n"],
        readable: ["name"],
        newer: ["name", "found"],
        unreadable: ["name", "why"],
        damaged_one: ["name", "records"],
        damaged: ["name", "n", "records"],
        damaged_line: ["number", "reason"],
        damaged_more: ["n"],
        unfinished_one: [],
        unfinished: ["n"],
        copies_one: ["lines"],
        copies: ["n", "lines"],
        shared: ["id", "n", "lines"],
        shared_more: ["n"],
        /// A list of line numbers cut after the first ten.
        lines_more: ["lines", "n"],
        temp_files_one: [],
        temp_files: ["n"],
        set_aside: [],
        set_aside_file_one: ["name", "date"],
        set_aside_file: ["name", "n", "date"],
        date_unknown: [],
        set_aside_hint: ["dir"],
        /// A file cannot be read: nothing can be repaired.
        cannot_repair: [],
        all_readable: [],
        /// Damage found without `--repair`.
        repair_offer: [],
    }
}

impl DoctorWords {
    /// "line 3, 4, 5" as the report lists line numbers: the first ten, and how many more.
    pub(crate) fn lines(&self, numbers: &[usize]) -> String {
        let listed = numbers
            .iter()
            .take(10)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        match numbers.len().saturating_sub(10) {
            0 => listed,
            more => super::super::fill(
                &self.lines_more,
                &[("n", &more.to_string()), ("lines", &listed)],
            ),
        }
    }
}

sentences! {
    /// `[doctor_repair]`: the question of `exback doctor --repair` and what it did.
    DoctorRepairWords {
        question: [],
        nothing_changed: [],
        moved_file: ["file"],
        moved_line_one: ["file"],
        moved_lines: ["n", "file"],
        moved_copies: ["copies", "file"],
        new_ids: ["records", "file"],
        moved_copies_new_ids: ["copies", "records", "file"],
        extra_copy_one: [],
        extra_copies: ["n"],
        record_one: [],
        records: ["n"],
        progress_kept: [],
        progress_lost: ["lost"],
        /// The parts of `{lost}`, joined with "; ".
        lost_after_damage: [],
        lost_whole: [],
        lost_format_number: [],
        lost_welcome_seen: [],
        lost_onboarding: [],
        lost_onboarding_if_given: [],
        /// {step}: the step's id, quoted.
        lost_step: ["step"],
        lost_outcome: [],
        lost_mood_skipped: [],
        lost_safety_answers: [],
        lost_pending: [],
        onboarding_again: [],
        temp_files_removed: ["n"],
        kept: [],
    }
}

sentences! {
    /// `[fold]`: a sync conflict copy merged into the data file it copies.
    FoldWords {
        merged: ["name", "maker", "into", "counts", "aside"],
        /// In `exback doctor`: what merging would do.
        would_merge: ["name", "maker", "into", "counts"],
        progress_unreadable: [],
        progress: [],
        counts: ["records", "n"],
        counts_unreadable: ["records", "n", "lines"],
        record_one: [],
        records: ["n"],
        line_one: [],
        lines: ["n"],
    }
}

sentences! {
    /// `[contact]`: what `exback contact` says once a contact is logged, and its list.
    ContactWords {
        logged_from_you: ["channel", "at"],
        logged_from_them: ["channel", "at"],
        channel_text: [],
        channel_call: [],
        channel_social: [],
        channel_in_person: [],
        channel_other: [],
        since_breakup: ["days"],
        stopped: [],
        draft_empty: [],
        draft_kept: ["id"],
        /// Ctrl-C during the draft offered after the contact was logged.
        stopped_after_logging: [],
        list_from_you: [],
        list_from_them: [],
        they_responded: [],
        no_response: [],
        you_responded: [],
        you_did_not_respond: [],
        felt: ["n"],
        practical: [],
        none_logged: [],
    }
}

sentences! {
    /// `[encrypt]`: what `exback encrypt` and `exback decrypt` say when they worked.
    EncryptWords {
        already: [],
        encrypted_one: [],
        encrypted: ["n"],
        not_encrypted: [],
        decrypted_one: [],
        decrypted: ["n"],
    }
}

sentences! {
    /// `[git]`: `exback git init` once the repository is set up.
    GitWords {
        ready: ["dir"],
    }
}

sentences! {
    /// `[import]`: what `exback import` brought in.
    ImportWords {
        standard_input: [],
        imported_one: ["name", "source", "skipped"],
        imported: ["n", "name", "source", "skipped"],
        left_out_one: [],
        left_out: ["n"],
        shifted: ["entry", "written", "saved"],
        other_records: ["n"],
        progress_restored: [],
        progress_kept: [],
        /// Ctrl-C during an import.
        stopped: [],
    }
}

sentences! {
    /// `[export]`: where `exback export -o FILE` wrote the export.
    ExportWords {
        encrypted_json: ["path"],
        encrypted: ["path"],
        plain: ["path"],
    }
}

sentences! {
    /// `[content]`: `exback content export` and `exback content check` when they worked.
    ContentWords {
        written: ["n", "dir"],
        valid: ["dir", "steps", "prompts", "moving_on"],
    }
}
