//! The words `exback next` says after a session.

sentences! {
    /// `[next]`: the line said when `exback next` ends, and the note after answers
    /// read from standard input.
    NextWords {
        /// Stopped before the five first questions were all answered.
        paused_onboarding: [],
        /// Stopped in a step: `{n}` the question it continues with, `{step}` the step.
        paused_at: ["n", "step"],
        /// Stopped with no question left to ask.
        paused: [],
        /// A step done: `{step}` the one that comes next, named in a sentence.
        step_done_then: ["step"],
        /// The last step done.
        step_done: [],
        onboarded: [],
        /// An answer ended the step for now.
        step_closed: [],
        /// After answers read from standard input ran out.
        from_stdin: [],
    }
}
