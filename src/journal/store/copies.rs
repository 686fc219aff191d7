//! Conflict copies: the second version of a data file that a sync tool keeps when two
//! devices changed it before they heard from each other. Which names are copies of
//! which file (the tools' own patterns, listed in docs/sync.md), and nothing else: this
//! module reads no file.

/// The files a sync tool may make conflict copies of, as exback names them.
pub(crate) const SYNCED: [&str; 6] = [
    "journal.jsonl",
    "contacts.jsonl",
    "moods.jsonl",
    "deleted.jsonl",
    "progress.json",
    "key.age",
];

/// The tool whose naming a conflict copy follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    /// `journal.sync-conflict-20261207-101010-ABCDEF1.jsonl`
    Syncthing,
    /// `journal (Sam's conflicted copy 2026-12-07).jsonl` (Dropbox), `journal (conflicted
    /// copy 2026-12-07 101010).jsonl` (Nextcloud and ownCloud desktop clients)
    ConflictedCopy,
    /// `journal_conflict-20261207-101010.jsonl` (older ownCloud clients)
    OwnCloud,
    /// `journal-LAPTOP-7Q2.jsonl`: the device's name added (OneDrive)
    DeviceName,
    /// `journal 2.jsonl` (iCloud Drive) or `journal (1).jsonl` (a copy kept beside)
    Numbered,
}

impl Tool {
    /// Who makes copies named this way, for messages and `doctor`.
    pub(crate) fn maker(self) -> &'static str {
        match self {
            Self::Syncthing => "Syncthing",
            Self::ConflictedCopy => "Dropbox, Nextcloud or ownCloud",
            Self::OwnCloud => "ownCloud",
            Self::DeviceName => "OneDrive",
            Self::Numbered => "iCloud Drive or a copy",
        }
    }
}

/// The data file `name` is a conflict copy of, and the tool's naming it follows; `None`
/// when it is no copy (exback's own files, `damaged-…` and `merged-…` included).
pub(crate) fn copy_of(name: &str) -> Option<(&'static str, Tool)> {
    // A copy starts with its file's stem, which none of exback's own names
    // (`damaged-…`, `merged-…`, `.tmp-…`) does.
    SYNCED.iter().find_map(|&base| {
        let (stem, ext) = base.rsplit_once('.')?;
        let middle = name
            .strip_prefix(stem)?
            .strip_suffix(ext)?
            .strip_suffix('.')?;
        tool_of(middle).map(|tool| (base, tool))
    })
}

/// The name records of the file `name` are bound to: the data file it is a copy of, or
/// itself.
pub(crate) fn base_name(name: &str) -> &str {
    copy_of(name).map_or(name, |(base, _)| base)
}

/// Which tool put `middle` between a file's stem and its extension.
fn tool_of(middle: &str) -> Option<Tool> {
    if let Some(rest) = middle.strip_prefix(".sync-conflict-") {
        // YYYYMMDD-HHMMSS-<device>
        let b = rest.as_bytes();
        let shaped = b.len() > 16
            && b[..8].iter().all(u8::is_ascii_digit)
            && b[8] == b'-'
            && b[9..15].iter().all(u8::is_ascii_digit)
            && b[15] == b'-';
        return shaped.then_some(Tool::Syncthing);
    }
    if let Some(inner) = middle.strip_prefix(" (")
        && inner.to_ascii_lowercase().contains("conflicted copy")
        // `(…conflicted copy…)`, or a copy of one: `(…) (2)` ends in `)` too.
        && inner.ends_with(')')
    {
        return Some(Tool::ConflictedCopy);
    }
    if let Some(rest) = middle.strip_prefix("_conflict-") {
        let b = rest.as_bytes();
        let shaped = b.len() >= 15
            && b[..8].iter().all(u8::is_ascii_digit)
            && b[8] == b'-'
            && b[9..15].iter().all(u8::is_ascii_digit);
        return shaped.then_some(Tool::OwnCloud);
    }
    if let Some(n) = middle.strip_prefix(' ')
        && (is_number(n)
            || n.strip_prefix('(')
                .and_then(|n| n.strip_suffix(')'))
                .is_some_and(is_number))
    {
        return Some(Tool::Numbered);
    }
    if let Some(device) = middle.strip_prefix('-')
        && !device.is_empty()
        && device.len() <= 64
        && device
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Some(Tool::DeviceName);
    }
    None
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tools_copies_are_known_by_their_names() {
        let cases = [
            (
                "journal.sync-conflict-20261207-101010-ABCDEF1.jsonl",
                "journal.jsonl",
                Tool::Syncthing,
            ),
            (
                "progress.sync-conflict-20261207-101010-7QXZ2LM.json",
                "progress.json",
                Tool::Syncthing,
            ),
            (
                "journal (Sam's conflicted copy 2026-12-07).jsonl",
                "journal.jsonl",
                Tool::ConflictedCopy,
            ),
            (
                "moods (Sam's conflicted copy 2026-12-07) (1).jsonl",
                "moods.jsonl",
                Tool::ConflictedCopy,
            ),
            (
                "journal (conflicted copy 2026-12-07 101010).jsonl",
                "journal.jsonl",
                Tool::ConflictedCopy,
            ),
            (
                "contacts (conflicted copy Sam 2026-12-07 101010).jsonl",
                "contacts.jsonl",
                Tool::ConflictedCopy,
            ),
            (
                "journal_conflict-20261207-101010.jsonl",
                "journal.jsonl",
                Tool::OwnCloud,
            ),
            (
                "journal_conflict-20261207-101010-sam.jsonl",
                "journal.jsonl",
                Tool::OwnCloud,
            ),
            (
                "journal-LAPTOP-7Q2.jsonl",
                "journal.jsonl",
                Tool::DeviceName,
            ),
            ("progress-DESKTOP1.json", "progress.json", Tool::DeviceName),
            ("journal 2.jsonl", "journal.jsonl", Tool::Numbered),
            ("journal (1).jsonl", "journal.jsonl", Tool::Numbered),
            (
                "key.sync-conflict-20261207-101010-ABCDEF1.age",
                "key.age",
                Tool::Syncthing,
            ),
            ("key 2.age", "key.age", Tool::Numbered),
            (
                "deleted (Sam's conflicted copy 2026-12-07).jsonl",
                "deleted.jsonl",
                Tool::ConflictedCopy,
            ),
        ];
        for (name, base, tool) in cases {
            assert_eq!(copy_of(name), Some((base, tool)), "{name}");
            assert_eq!(base_name(name), base, "{name}");
        }
    }

    #[test]
    fn exbacks_own_files_and_look_alikes_are_no_copies() {
        for name in [
            "journal.jsonl",
            "progress.json",
            "key.age",
            "exback.lock",
            "damaged-20261207-101010-journal.jsonl",
            "merged-20261207-101010-journal.sync-conflict-20261207-101010-ABCDEF1.jsonl",
            ".tmp-journal.jsonl.12.0",
            "progress.json.v0-backup",
            "journal.sync-conflict-2026-ABC.jsonl",
            "journal.jsonl.sync-conflict-20261207-101010-ABCDEF1",
            "journal (notes).jsonl",
            "journal 12345.jsonl",
            "journal-.jsonl",
            "journal-with a space.jsonl",
            "journalx.jsonl",
            "notes.jsonl",
            "journal_conflict-2026.jsonl",
            "journal.sync-conflict-20261207-101010-.jsonl",
            "journal.sync-conflict-2026120X-101010-ABCDEF1.jsonl",
            "journal.sync-conflict-20261207X101010-ABCDEF1.jsonl",
            "journal.sync-conflict-20261207-10101X-ABCDEF1.jsonl",
            "journal.sync-conflict-20261207-101010XABCDEF1.jsonl",
            "journal (Sam's conflicted copy 2026-12-07.jsonl",
            "journal (a copy).jsonl",
            "journal_conflict-2026120X-101010.jsonl",
            "journal_conflict-20261207X101010.jsonl",
            "journal_conflict-20261207-10101X.jsonl",
            "journal (12345).jsonl",
            "journal ().jsonl",
        ] {
            assert_eq!(copy_of(name), None, "{name}");
            assert_eq!(base_name(name), name);
        }
    }

    #[test]
    fn each_tool_is_named_in_the_words_about_its_copies() {
        let named = [
            (Tool::Syncthing, "Syncthing"),
            (Tool::ConflictedCopy, "Dropbox"),
            (Tool::ConflictedCopy, "Nextcloud"),
            (Tool::OwnCloud, "ownCloud"),
            (Tool::DeviceName, "OneDrive"),
            (Tool::Numbered, "iCloud"),
        ];
        for (tool, name) in named {
            assert!(tool.maker().contains(name), "{tool:?}: {}", tool.maker());
        }
    }
}
