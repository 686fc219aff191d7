//! exback: a guided reconciliation workbook for the terminal.
//!
//! Where things are: the questions come from [`workbook`] (loaded from `content/`),
//! the flow that asks them is [`session`], answers are saved by [`journal`], and read
//! back by [`commands::log`].
//!
//! The public surface is what the binary needs ([`Cli`], [`run`], [`Exit`]) plus
//! [`testing`], a facade for the integration tests and the bench; not a stable API.
//! Every other module is crate-private, so the compiler can report code nothing uses.

pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod dates;
mod ending;
pub(crate) mod escapes;
pub(crate) mod interrupt;
pub(crate) mod journal;
pub(crate) mod limits;
pub(crate) mod mood;
pub(crate) mod pacing;
pub(crate) mod page;
pub(crate) mod paths;
pub(crate) mod session;
pub(crate) mod ui;
pub(crate) mod workbook;

pub use cli::Cli;
pub use commands::run;
pub use interrupt::Exit;

/// For the integration tests and the bench; not a stable API.
///
/// Re-exports exactly the types and functions `tests/` and `benches/` use, under the
/// module paths they have inside the crate.
pub mod testing {
    pub use crate::{Exit, run};

    /// The command line.
    pub mod cli {
        pub use crate::cli::Cli;
    }

    /// Date parsing.
    pub mod dates {
        pub use crate::dates::{parse, parse_moment, parse_past};
    }

    /// Ctrl-C.
    pub mod interrupt {
        pub use crate::interrupt::request;
    }

    /// The journal: entries, the store, reading, repair and transfer.
    pub mod journal {
        pub use crate::journal::contact::{Channel, Contact, Who};
        pub use crate::journal::entry::{Entry, EntryKind, NewEntry};
        pub use crate::journal::mood::Mood;
        pub use crate::journal::new_id;
        pub use crate::journal::progress::OutcomeKind;
        pub use crate::journal::read::Item;
        pub use crate::journal::read::view::EntryView;
        pub use crate::journal::store::Store;

        /// An entry's record format.
        pub mod entry {
            pub use crate::journal::entry::ENTRY_VERSION;
        }

        /// Reading the journal file.
        pub mod read {
            pub use crate::journal::read::{Place, parse};

            /// The scanner of one line.
            pub mod view {
                pub use crate::journal::read::view::parse;
            }
        }

        /// Repairing the journal.
        pub mod repair {
            /// `doctor`'s check.
            pub mod doctor {
                pub use crate::journal::repair::doctor::{Health, check};
            }
        }

        /// Export and import.
        pub mod transfer {
            pub use crate::journal::transfer::{export_json, import};
        }
    }

    /// The workbook's steps and prompts.
    pub mod workbook {
        pub use crate::journal::entry::PromptKind;
        pub use crate::workbook::{PathKind, Problem, Prompt, Reaction, Step, Workbook};
    }
}
