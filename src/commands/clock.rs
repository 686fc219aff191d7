//! The command edge's side of the flow engine's seams: the real clock (which reads
//! `EXBACK_NOW` and the wall clock) and the store as the engine's [`Recorder`]. The
//! engine itself (`session`) never reads the environment or the file system.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

use crate::journal::{Change, Mood, NewEntry, Progress, Store, StoreError};
use crate::session::{Clock, Recorder};

/// `EXBACK_NOW` is set but is not an RFC 3339 time.
#[derive(Debug, thiserror::Error)]
#[error("EXBACK_NOW is {0:?}, not an RFC 3339 time such as 2026-11-29T20:15:00+01:00")]
pub(crate) struct BadNow(String);

/// The real clock, in the user's local offset, unless `EXBACK_NOW` pins it.
pub(crate) struct SystemClock {
    pinned: Option<DateTime<FixedOffset>>,
}

impl SystemClock {
    /// The system clock. `EXBACK_NOW` (an RFC 3339 time) pins it instead: a testing aid,
    /// read here and nowhere else.
    pub(crate) fn from_env() -> Result<Self, BadNow> {
        let pinned = match std::env::var("EXBACK_NOW") {
            Ok(v) if !v.trim().is_empty() => {
                Some(DateTime::parse_from_rfc3339(v.trim()).map_err(|_| BadNow(v.clone()))?)
            }
            _ => None,
        };
        Ok(Self { pinned })
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        // A pinned instant is still read on the reader's clock: TZ decides the zone.
        self.pinned.map_or_else(
            || chrono::Local::now().fixed_offset(),
            |p| p.with_timezone(&chrono::Local).fixed_offset(),
        )
    }

    fn local(&self, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self.pinned {
            Some(p) => p.offset().from_local_datetime(&naive).single(),
            // In a daylight-saving gap or overlap, the earlier reading is as good as any.
            None => chrono::Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.fixed_offset()),
        }
    }
}

impl Recorder for Store {
    fn change(&mut self, changes: &[Change]) -> Result<Progress, StoreError> {
        self.update_progress(changes)
    }

    fn record_with(&mut self, entry: NewEntry, changes: &[Change]) -> Result<Progress, StoreError> {
        if changes.is_empty() {
            // One append is a transaction of its own; the progress is only read.
            self.append(entry)?;
            return self.progress();
        }
        self.append_with(entry, changes)
            .map(|(_, progress)| progress)
    }

    fn record_mood(
        &mut self,
        at: DateTime<FixedOffset>,
        score: u8,
        note: Option<String>,
    ) -> Result<(), StoreError> {
        self.add_mood(&Mood::new(at, score, note))
    }
}
