//! The contact log: one [`Contact`] per line of `contacts.jsonl`, appended by
//! `exback contact`. Contact with the ex is only ever written down here by the user;
//! exback never sends anything anywhere.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::new_id;

/// The log file, beside the journal.
pub(crate) const CONTACTS: &str = "contacts.jsonl";

/// The record format this build writes.
pub(crate) const CONTACT_VERSION: u32 = 1;

/// How the two of them were in touch (also `contact add --channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Text,
    Call,
    Social,
    InPerson,
    // Any other way, and any channel a newer exback knows and this one does not. (A
    // plain comment: a doc comment would show in `contact add --help`.)
    #[serde(other)]
    Other,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 5] = [
        Self::Text,
        Self::Call,
        Self::Social,
        Self::InPerson,
        Self::Other,
    ];

    /// The channel whose id (in the content, on the command line and in saved data)
    /// is `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == id)
    }

    /// The name used on the command line and in saved data.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Call => "call",
            Self::Social => "social",
            Self::InPerson => "in-person",
            Self::Other => "other",
        }
    }

    /// True for a message, as opposed to a call or a meeting where the two of them talked.
    pub fn is_message(self) -> bool {
        matches!(self, Self::Text | Self::Social | Self::Other)
    }
}

/// Who reached out (also `contact add --from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    Me,
    Them,
}

/// One logged contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Format version of this line.
    pub v: u32,
    pub id: String,
    /// When it happened, in the user's local offset.
    pub at: DateTime<FixedOffset>,
    pub channel: Channel,
    pub from: Who,
    /// Did the other one respond? Not given: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied: Option<bool>,
    /// How it felt, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub felt: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A practical contact (children, a shared home, work): never part of the pace.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub logistics: bool,
    /// Fields written by a newer exback: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Contact {
    /// A new contact with a fresh id; set `replied`, `felt` and `note` as known.
    pub fn new(at: DateTime<FixedOffset>, channel: Channel, from: Who) -> Self {
        Self {
            v: CONTACT_VERSION,
            id: new_id(),
            at,
            channel,
            from,
            replied: None,
            felt: None,
            note: None,
            logistics: false,
            extra: Map::new(),
        }
    }

    /// True when this was a message from the user that has had no reply, as far as
    /// the user said. A message whose reply is not given counts as unanswered; a
    /// call or a meeting whose reply is not given counts as answered (they talked).
    pub fn unanswered(&self) -> bool {
        self.from == Who::Me && !self.replied.unwrap_or(!self.channel.is_message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Store, read};

    #[test]
    fn a_contact_round_trips_and_keeps_unknown_fields_and_channels() {
        let line = r#"{"v":1,"id":"abc","at":"2026-11-20T18:00:00+01:00","channel":"video","from":"them","replied":true,"mood":"odd"}"#;
        let c: Contact = serde_json::from_str(line).unwrap();
        assert_eq!(c.channel, Channel::Other);
        assert_eq!(c.from, Who::Them);
        assert_eq!(c.extra["mood"], "odd");
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["mood"], "odd");
        assert!(back.get("felt").is_none());
        assert_eq!(
            serde_json::to_value(Channel::InPerson).unwrap(),
            Channel::InPerson.as_str()
        );
    }

    #[test]
    fn a_channel_is_found_by_its_id_and_an_unknown_id_finds_none() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_id(channel.as_str()), Some(channel));
        }
        assert_eq!(Channel::from_id("fax"), None);
    }

    #[test]
    fn a_logged_contact_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path());
        let at = DateTime::parse_from_rfc3339("2026-11-20T18:00:00+01:00").unwrap();
        let mut c = Contact::new(at, Channel::Call, Who::Them);
        c.felt = Some(3);
        store.add_contact(&c).unwrap();
        let logged: Vec<read::Item<Contact>> = store
            .contacts()
            .unwrap()
            .collect::<std::io::Result<_>>()
            .unwrap();
        assert_eq!(logged.len(), 1, "{logged:?}");
        assert!(
            matches!(&logged[0], read::Item::Entry(r) if **r == c),
            "{logged:?}"
        );
    }

    #[test]
    fn unanswered_means_a_message_from_me_without_a_reply() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T18:00:00+01:00").unwrap();
        let mut c = Contact::new(at, Channel::Text, Who::Me);
        assert!(c.unanswered(), "a message with no reply given");
        c.replied = Some(true);
        assert!(!c.unanswered());
        c.replied = Some(false);
        assert!(c.unanswered());
        let call = Contact::new(at, Channel::Call, Who::Me);
        assert!(
            !call.unanswered(),
            "a call with no reply given: they talked"
        );
        let mut missed = call.clone();
        missed.replied = Some(false);
        assert!(missed.unanswered());
        let theirs = Contact::new(at, Channel::Text, Who::Them);
        assert!(!theirs.unanswered());
    }
}
