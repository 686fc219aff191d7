//! The words of the everyday commands: the welcome, `steps`, `urge`, `outcome`,
//! `mood` and `draft list`.

sentences! {
    /// `[welcome]`: `exback` with no subcommand.
    WelcomeWords {
        heading: [],
        not_started: [],
        /// `{step}`: the step of the next question, counted among its set.
        on_step: ["step"],
        /// `{step}`: the step whose readiness check comes next, in a sentence.
        at_readiness: ["step"],
        finished: [],
        /// Beside `--help` in the list of commands.
        help: [],
    }
}

sentences! {
    /// `[steps]`: `exback steps`.
    StepsWords {
        /// Over the moving-on steps: `{title}` the path, `{progress}` how far.
        moving_on_heading: ["title", "progress"],
        /// Over the seven steps while the moving-on steps are walked.
        seven_heading: ["progress"],
        /// `{step}`: the paused step, in a sentence; `{date}`: since when.
        paused: ["step", "date"],
        moved_on: [],
        limited: [],
        start: [],
    }
}

sentences! {
    /// `[urge]`: `exback urge`, around the content's own words in `pacing.toml`.
    UrgeWords {
        /// Stopped (Esc, end of input or Ctrl-C).
        stopped: [],
        /// The note kept in the journal: the pull before and after the pause, 1 to 10.
        record: ["before", "after"],
    }
}

sentences! {
    /// `[outcome]`: `exback outcome` stopped part way.
    OutcomeWords {
        /// Ctrl-C.
        interrupted: [],
        unchanged: [],
        /// `{id}`: the outcome saved.
        saved: ["id"],
    }
}

sentences! {
    /// `[mood]`: `exback mood N`.
    MoodWords {
        /// `{score}`: 1 to 10.
        checked_in: ["score"],
    }
}

sentences! {
    /// `[draft]`: `exback draft list`.
    DraftWords {
        none: [],
    }
}

sentences! {
    /// `[bar]`: the count beside a progress bar of steps.
    BarWords {
        /// {done}: steps done; {total}: steps on the path.
        done: ["done", "total"],
    }
}
