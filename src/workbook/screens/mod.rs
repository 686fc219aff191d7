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

/// The whole of `screens.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Screens {
    pub(crate) format_version: u32,
    pub(crate) days: Days,
    pub(crate) bar: BarWords,
    pub(crate) ago: Ago,
    pub(crate) status: StatusWords,
    pub(crate) status_contact: StatusContact,
    pub(crate) status_mood: StatusMood,
    pub(crate) status_next: StatusNext,
    pub(crate) next: NextWords,
    pub(crate) welcome: WelcomeWords,
    pub(crate) steps: StepsWords,
    pub(crate) urge: UrgeWords,
    pub(crate) outcome: OutcomeWords,
    pub(crate) mood: MoodWords,
    pub(crate) draft: DraftWords,
    pub(crate) write: WriteWords,
    pub(crate) edit: EditWords,
    pub(crate) delete: DeleteWords,
    pub(crate) draft_saving: DraftSaving,
    pub(crate) log: LogWords,
    pub(crate) mood_chart: MoodChart,
    pub(crate) page: PageWords,
    pub(crate) page_chart: ChartWords,
    pub(crate) doctor: DoctorWords,
    pub(crate) doctor_repair: DoctorRepairWords,
    pub(crate) fold: FoldWords,
    pub(crate) contact: ContactWords,
    pub(crate) encrypt: EncryptWords,
    pub(crate) passphrase: PassphraseWords,
    pub(crate) git: GitWords,
    pub(crate) import: ImportWords,
    pub(crate) export: ExportWords,
    pub(crate) content: ContentWords,
    pub(crate) keys: KeyWords,
    pub(crate) plain: PlainWords,
    pub(crate) entry: EntryWords,
    pub(crate) pager: PagerWords,
}

impl Screens {
    /// Every section by its name, with its sentences.
    pub(crate) fn sections(&self) -> Vec<(&'static str, Vec<Sentence<'_>>)> {
        vec![
            ("days", self.days.all()),
            ("bar", self.bar.all()),
            ("ago", self.ago.all()),
            ("status", self.status.all()),
            ("status_contact", self.status_contact.all()),
            ("status_mood", self.status_mood.all()),
            ("status_next", self.status_next.all()),
            ("next", self.next.all()),
            ("welcome", self.welcome.all()),
            ("steps", self.steps.all()),
            ("urge", self.urge.all()),
            ("outcome", self.outcome.all()),
            ("mood", self.mood.all()),
            ("draft", self.draft.all()),
            ("write", self.write.all()),
            ("edit", self.edit.all()),
            ("delete", self.delete.all()),
            ("draft_saving", self.draft_saving.all()),
            ("log", self.log.all()),
            ("mood_chart", self.mood_chart.all()),
            ("page", self.page.all()),
            ("page_chart", self.page_chart.all()),
            ("doctor", self.doctor.all()),
            ("doctor_repair", self.doctor_repair.all()),
            ("fold", self.fold.all()),
            ("contact", self.contact.all()),
            ("encrypt", self.encrypt.all()),
            ("passphrase", self.passphrase.all()),
            ("git", self.git.all()),
            ("import", self.import.all()),
            ("export", self.export.all()),
            ("content", self.content.all()),
            ("keys", self.keys.all()),
            ("plain", self.plain.all()),
            ("entry", self.entry.all()),
            ("pager", self.pager.all()),
        ]
    }
}
