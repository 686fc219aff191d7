//! `exback mood N [NOTE]`: one mood check-in.

use chrono::{DateTime, FixedOffset};

use crate::cli::MoodArgs;
use crate::journal::{Item, Mood, Store};
use crate::session::Clock;
use crate::ui::Tone;

use super::{Context, say, warn_damaged};

pub fn run(ctx: &Context, args: &MoodArgs) -> anyhow::Result<()> {
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let note = Some(args.note.join(" ").trim().to_string()).filter(|n| !n.is_empty());
    let mood = Mood::new(clock.now(), args.score, note);
    store.add_mood(&mood)?;
    println!("{}", mood.id);
    say(
        Tone::Good,
        &format!(
            "Checked in: {}/10. `exback status` shows the last 30 days.",
            mood.score
        ),
    );
    Ok(())
}

/// When the newest check-in was saved, if there is one.
pub fn last_check_in(store: &Store) -> anyhow::Result<Option<DateTime<FixedOffset>>> {
    for item in store.moods_newest_first()? {
        match item? {
            Item::Entry(mood) => return Ok(Some(mood.at)),
            Item::Damaged(d) => warn_damaged(&d),
        }
    }
    Ok(None)
}
