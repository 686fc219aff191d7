//! `exback contact`: write down a contact with the ex (asked, or from flags with
//! `add`), then show the pace; `exback contact list` reads the log back.
//! Nothing is ever sent anywhere: this only writes to `contacts.jsonl`.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset};

use crate::cli::{ContactAddArgs, ContactArgs, ContactCommand, ListArgs, YesNo};
use crate::dates;
use crate::interrupt::Exit;
use crate::journal::{Channel, Contact, EntryKind, NewEntry, Progress, Store, Who};
use crate::pacing;
use crate::session::Clock;
use crate::ui::{PromptError, Prompter, Question, Tone, style};
use crate::workbook::screens::ContactWords;
use crate::workbook::{Workbook, fill, labels};

use super::{Context, read_all, say, with_prompter};

pub(crate) fn run(ctx: &Context, args: &ContactArgs) -> anyhow::Result<()> {
    match &args.command {
        None => ask(ctx),
        Some(ContactCommand::Add(add)) => add_from_flags(ctx, add),
        Some(ContactCommand::List(list)) => show_list(ctx, list),
    }
}

fn add_from_flags(ctx: &Context, args: &ContactAddArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    // Read first: a damaged progress file stops here, before anything is saved.
    let progress = store.progress()?;
    let now = clock.now();
    let at = match &args.at {
        Some(text) => dates::parse_moment(text, now, |n| clock.local(n))
            .map_err(|why| anyhow::anyhow!("--at: {why}"))?,
        None => now,
    };
    let mut contact = Contact::new(at, args.channel, args.from);
    contact.replied = args.replied.map(|r| r == YesNo::Yes);
    contact.felt = args.felt;
    contact.note = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    contact.logistics = args.logistics;
    store.add_contact(&contact)?;
    super::print_line(&contact.id)?;
    after_logging(&workbook, &store, &progress, &contact, now)?;
    Ok(())
}

/// The interactive form: the questions from `pacing.toml`, then the pace, and an
/// unsent draft offered when a nudge is shown.
fn ask(ctx: &Context) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let progress = store.progress()?;
    let words = &workbook.screens.contact;
    with_prompter(&workbook.screens, |prompter, _| -> anyhow::Result<()> {
        let practical = progress.onboarding.as_ref().is_some_and(|o| o.logistics);
        let contact = match questions(prompter, &workbook, &clock, practical) {
            Ok(c) => c,
            Err(e) => match e.downcast::<PromptError>() {
                Ok(PromptError::Stopped) => {
                    say(Tone::Dim, &words.stopped);
                    return Ok(());
                }
                Ok(PromptError::Interrupted) => {
                    return Err(Exit::interrupted_saying(&format!("\n{}", words.stopped)).into());
                }
                Ok(e) => return Err(e.into()),
                Err(e) => return Err(e),
            },
        };
        store.add_contact(&contact)?;
        super::print_line(&contact.id)?;
        // Now, after the questions: "now" for the contact itself was taken while asking.
        let now = clock.now();
        if after_logging(&workbook, &store, &progress, &contact, now)? {
            offer_draft(prompter, &workbook, &store, now)?;
        }
        Ok(())
    })
}

/// The questions of `exback contact`; `practical`: onboarding said they have to stay
/// in touch for practical reasons, so exback asks whether this contact was one.
fn questions(
    p: &mut dyn Prompter,
    workbook: &Workbook,
    clock: &dyn Clock,
    practical: bool,
) -> anyhow::Result<Contact> {
    let q = &workbook.pacing.questions;
    p.show(Tone::Dim, &q.intro);
    let now = clock.now();
    let at = loop {
        let said = p.text(&Question::with_help(&q.when, Some(&q.when_help)))?;
        if said.trim().is_empty() {
            break now;
        }
        match dates::parse_moment(&said, now, |n| clock.local(n)) {
            Ok(at) => break at,
            Err(why) => p.show(Tone::Caution, &format!("{why}.")),
        }
    };
    // Both answers are matched by the option's id, never its place in the list.
    let picked = p.select(&Question::new(&q.channel), &labels(&q.channel_options))?;
    let channel = q
        .channel_options
        .get(picked)
        .and_then(|c| Channel::from_id(&c.id))
        .unwrap_or(Channel::Other);
    let picked = p.select(&Question::new(&q.from), &labels(&q.from_options))?;
    // The id is read as the enum by its own names (`me`, `them`, as `--from` takes
    // them); `content check` allows no other, and any other is refused.
    let id = q.from_options.get(picked).map_or("", |c| c.id.as_str());
    let from = <Who as clap::ValueEnum>::from_str(id, false).map_err(|_| {
        anyhow::anyhow!(
            "the workbook's answer {id:?} to who reached out is not one exback knows (me, them)"
        )
    })?;
    let replied_question = match from {
        Who::Me => &q.replied_mine,
        Who::Them => &q.replied_theirs,
    };
    let replied = p.confirm(&Question::new(replied_question))?;
    let felt = p.scale(&Question::new(&q.felt), &q.felt_low, &q.felt_high)?;
    let note = p.text(&Question::with_help(&q.note, Some(&q.note_help)))?;
    let logistics =
        practical && p.confirm(&Question::new(&workbook.pacing.notes.logistics_question))?;
    let mut contact = Contact::new(at, channel, from);
    contact.logistics = logistics;
    contact.replied = Some(replied);
    contact.felt = Some(felt.clamp(1, 10));
    contact.note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    Ok(contact)
}

/// Confirms the contact and shows the pace; true when a nudge was shown.
fn after_logging(
    workbook: &Workbook,
    store: &Store,
    progress: &Progress,
    contact: &Contact,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<bool> {
    let words = &workbook.screens.contact;
    let logged = match contact.from {
        Who::Me => &words.logged_from_you,
        Who::Them => &words.logged_from_them,
    };
    say(
        Tone::Good,
        &fill(
            logged,
            &[
                ("channel", channel_words(words, contact.channel)),
                ("at", &contact.at.format("%Y-%m-%d %H:%M").to_string()),
            ],
        ),
    );
    let mut err = io::stderr().lock();
    let width = style::width();
    // A contact that left them feeling awful: help first, before any talk of pace.
    if let (Some(felt), Some([low, high])) =
        (contact.felt, workbook.pacing.questions.felt_support_range)
        && (low..=high).contains(&felt)
    {
        for (tone, line) in crate::session::support_lines(workbook) {
            writeln!(err, "{}", style::paint_stderr(tone, &line, width))?;
        }
    }
    let notes = &workbook.pacing.notes;
    let contacts = read_all(store.contacts()?)?;
    if contact.logistics {
        practical_notes(workbook, progress, contact, &contacts);
        return Ok(false);
    }
    let step_three_done = workbook
        .step(3)
        .is_some_and(|s| progress.completed_at(&s.id).is_some());
    let earlier = contacts
        .iter()
        .filter(|c| c.from == Who::Me && !c.logistics && c.id != contact.id)
        .count();
    if contact.from == Who::Me
        && pacing::Mode::of(progress) == pacing::Mode::Coaching
        && !step_three_done
        && earlier == 0
    {
        // A word about the earlier steps, once, never a block: the contact is logged.
        say(Tone::Dim, &notes.before_step_three);
    }
    let report = super::status::pacing_report(workbook, progress, &contacts, now);
    let mut lines = Vec::new();
    if let Some(o) = &progress.onboarding {
        let days = (now.date_naive() - o.breakup_date).num_days();
        lines.push((
            Tone::Body,
            fill(
                &words.since_breakup,
                &[("days", &workbook.screens.days.say(days))],
            ),
        ));
    }
    lines.extend(super::status::contact_paragraphs(&report, workbook));
    for (tone, line) in lines {
        writeln!(err, "{}", style::paint_stderr(tone, &line, width))?;
    }
    Ok(report
        .nudge
        .as_ref()
        .is_some_and(|n| n.id != pacing::Nudge::Waiting.id()))
}

/// After a practical contact, which is never paced and never nudged: the note on
/// practical contact, and a word after a run of practical messages left unanswered.
fn practical_notes(
    workbook: &Workbook,
    progress: &Progress,
    contact: &Contact,
    contacts: &[Contact],
) {
    let notes = &workbook.pacing.notes;
    let limited = pacing::Mode::of(progress).limited();
    say(
        Tone::Body,
        if limited {
            &notes.logistics_limited
        } else {
            &notes.logistics
        },
    );
    // Practical messages are never paced, but a run of them left unanswered gets
    // a word about other ways to get the practical part done.
    let unanswered = contacts
        .iter()
        .rev()
        .filter(|c| c.logistics && c.from == Who::Me)
        .take_while(|c| c.replied == Some(false))
        .count();
    if contact.from == Who::Me
        && unanswered
            >= usize::try_from(workbook.pacing.rules.silence_unanswered).unwrap_or(usize::MAX)
    {
        say(Tone::Body, &notes.practical_unanswered);
    }
}

fn offer_draft(
    p: &mut dyn Prompter,
    workbook: &Workbook,
    store: &Store,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<()> {
    let d = &workbook.pacing.drafts;
    let words = &workbook.screens.contact;
    let text = (|| -> Result<Option<String>, PromptError> {
        if !p.confirm(&Question::new(&d.offer))? {
            return Ok(None);
        }
        loop {
            let text = p.long_text(&Question::new(&d.question))?;
            if !text.trim().is_empty() {
                return Ok(Some(text.trim().to_string()));
            }
            p.show(Tone::Caution, &words.draft_empty);
        }
    })();
    match text {
        Ok(Some(text)) => {
            let entry = store.append(NewEntry::new(now, EntryKind::Draft, text))?;
            say(Tone::Good, &fill(&words.draft_kept, &[("id", &entry.id)]));
            Ok(())
        }
        // The hint about `exback draft` was shown with the nudge.
        Ok(None) | Err(PromptError::Stopped) => Ok(()),
        Err(PromptError::Interrupted) => {
            Err(Exit::interrupted_saying(&format!("\n{}", words.stopped_after_logging)).into())
        }
        Err(e) => Err(e.into()),
    }
}

fn channel_words(words: &ContactWords, channel: Channel) -> &str {
    match channel {
        Channel::Text => &words.channel_text,
        Channel::Call => &words.channel_call,
        Channel::Social => &words.channel_social,
        Channel::InPerson => &words.channel_in_person,
        Channel::Other => &words.channel_other,
    }
}

fn show_list(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    let store = ctx.store()?;
    let mut contacts = read_all(store.contacts()?)?;
    let none_logged = contacts.is_empty();
    // Newest first; contacts logged for the same moment keep their newest-first order.
    contacts.reverse();
    contacts.sort_by_key(|c| std::cmp::Reverse(c.at));
    contacts.truncate(args.limit.unwrap_or(usize::MAX));
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        super::write_json(&mut out, &contacts)?;
        out.flush()?;
        return Ok(());
    }
    let workbook = ctx.workbook()?;
    let words = &workbook.screens.contact;
    for c in &contacts {
        let mut parts = vec![
            c.channel.as_str().to_string(),
            match c.from {
                Who::Me => words.list_from_you.clone(),
                Who::Them => words.list_from_them.clone(),
            },
        ];
        match (c.from, c.replied) {
            (Who::Me, Some(true)) => parts.push(words.they_responded.clone()),
            (Who::Me, Some(false)) => parts.push(words.no_response.clone()),
            (Who::Them, Some(true)) => parts.push(words.you_responded.clone()),
            (Who::Them, Some(false)) => parts.push(words.you_did_not_respond.clone()),
            (_, None) => {}
        }
        if let Some(felt) = c.felt {
            parts.push(fill(&words.felt, &[("n", &felt.to_string())]));
        }
        if c.logistics {
            parts.push(words.practical.clone());
        }
        let header = format!(
            "{}  {}",
            crate::dates::local(&c.at).format("%Y-%m-%d %H:%M"),
            parts.join(" · ")
        );
        writeln!(
            out,
            "{}  {}",
            style::paint(Tone::Heading, &header),
            style::paint(Tone::Dim, &c.id)
        )?;
        if let Some(note) = &c.note {
            for line in style::wrap(&crate::escapes::printable(note), 76).lines() {
                writeln!(out, "    {line}")?;
            }
        }
    }
    out.flush()?;
    if none_logged {
        say(Tone::Dim, &words.none_logged);
    }
    Ok(())
}
