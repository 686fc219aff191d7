//! The words of the screens around the steps (`screens.toml`): what each command says
//! when it works — the status screen, the doctor's report, the journey page, the key
//! hints under a question, the lines said after a session. One section per screen,
//! one struct per section; [`sentences!`] writes each struct with the placeholders its
//! sentences may use, so `content check` can refuse a sentence that is missing, empty
//! or uses a placeholder the code does not fill in.
//!
//! Error lines (a file that cannot be read, a wrong key, a bad argument) are not here:
//! they are written beside their error types, like clap's own, and they must still be
//! said when the content itself is broken.

use serde::Deserialize;

/// One sentence as `content check` sees it: `(text, key, placeholders allowed)`.
pub(crate) type Sentence<'a> = (&'a str, &'static str, &'static [&'static str]);

/// Defines a section of `screens.toml`: a struct of sentences, each with the
/// placeholders exback fills in for it, and `all()` listing them for the checks.
macro_rules! sentences {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : [$($ph:literal),*] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $name {
            $( $(#[$fmeta])* pub(crate) $field: String, )*
        }

        impl $name {
            /// Every sentence by its key, with the placeholders it may use.
            pub(crate) fn all(&self) -> Vec<$crate::workbook::screens::Sentence<'_>> {
                vec![ $( (self.$field.as_str(), stringify!($field), &[$($ph),*]), )* ]
            }
        }
    };
}

mod everyday;
mod journal;
mod keeping;
mod next;
mod page;
mod status;
#[cfg(test)]
pub(crate) mod testing;
mod ui;

pub(crate) use everyday::{
    BarWords, DraftWords, MoodWords, OutcomeWords, StepsWords, UrgeWords, WelcomeWords,
};
pub(crate) use journal::{DeleteWords, DraftSaving, EditWords, LogWords, MoodChart, WriteWords};
pub(crate) use keeping::{
    ContactWords, ContentWords, DoctorRepairWords, DoctorWords, EncryptWords, ExportWords,
    FoldWords, GitWords, ImportWords,
};
pub(crate) use next::NextWords;
pub(crate) use page::{ChartWords, PageWords};
pub(crate) use status::{Ago, StatusContact, StatusMood, StatusNext, StatusWords};
pub(crate) use ui::{EntryWords, KeyWords, PagerWords, PassphraseWords, PlainWords};

sentences! {
    /// `[days]`: a number of days, as nudges and screens say it.
    Days {
        /// A count that is not known, such as the days since a breakup with no date.
        unknown: [],
        none: [],
        one: [],
        many: ["n"],
    }
}

impl Days {
    /// `n` days in words: less than one is "less than a day".
    pub(crate) fn say(&self, n: i64) -> String {
        match n {
            i64::MIN..=0 => self.none.clone(),
            n => super::count(n, &self.one, &self.many, &[]),
        }
    }
}

/// Declares `Screens`, the whole of `screens.toml`: one field per section, and
/// `sections()` naming each for the checks, from this one list.
macro_rules! screens {
    ($( $field:ident : $ty:ty ),* $(,)?) => {
        /// The whole of `screens.toml`.
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct Screens {
            pub(crate) format_version: u32,
            $( pub(crate) $field: $ty, )*
        }

        impl Screens {
            /// Every section by its name, with its sentences.
            pub(crate) fn sections(&self) -> Vec<(&'static str, Vec<Sentence<'_>>)> {
                vec![ $( (stringify!($field), self.$field.all()), )* ]
            }
        }
    };
}

screens! {
    days: Days,
    bar: BarWords,
    ago: Ago,
    status: StatusWords,
    status_contact: StatusContact,
    status_mood: StatusMood,
    status_next: StatusNext,
    next: NextWords,
    welcome: WelcomeWords,
    steps: StepsWords,
    urge: UrgeWords,
    outcome: OutcomeWords,
    mood: MoodWords,
    draft: DraftWords,
    write: WriteWords,
    edit: EditWords,
    delete: DeleteWords,
    draft_saving: DraftSaving,
    log: LogWords,
    mood_chart: MoodChart,
    page: PageWords,
    page_chart: ChartWords,
    doctor: DoctorWords,
    doctor_repair: DoctorRepairWords,
    fold: FoldWords,
    contact: ContactWords,
    encrypt: EncryptWords,
    passphrase: PassphraseWords,
    git: GitWords,
    import: ImportWords,
    export: ExportWords,
    content: ContentWords,
    keys: KeyWords,
    plain: PlainWords,
    entry: EntryWords,
    pager: PagerWords,
}
