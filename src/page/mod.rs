//! The journey as one self-contained HTML page (`exback export --format html`): a
//! cover, the mood chart, the contact timeline, every step with its questions and
//! answers, free entries and drafts, and a closing line. CSS and SVG are inline; there
//! is no script and nothing is fetched. Everything the user wrote goes through [`esc`].
//! Pure: the data and "now" are arguments, so the same journal gives the same page.

mod chart;
pub(crate) mod palette;

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::journal::entry::kind;
use crate::journal::{Contact, Entry, Mood, Progress, Who};
use crate::session::{self, StepStatus};
use crate::workbook::{Naming, PromptKind, Step, Workbook, numbered, step_name};

use chart::{Chart, StepMark, plural};

/// Escapes text for HTML: element content, attribute values and SVG `<title>` alike.
/// Control and bidi characters are first shown as the terminal shows them
/// ([`crate::ui::style::printable`]: `^[`, `<U+202E>`), so the page never holds NUL,
/// ESC or C1 bytes, nor text that reorders what is around it.
pub(crate) fn esc(text: &str) -> Cow<'_, str> {
    let text = crate::ui::style::printable(text);
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The filters the page was made with, named on the cover.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Range {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub step: Option<u8>,
}

/// Everything the page shows. Entries, moods and contacts are already filtered and
/// oldest first.
pub(crate) struct Journey<'a> {
    pub workbook: &'a Workbook,
    pub progress: &'a Progress,
    pub entries: &'a [Entry],
    pub moods: &'a [Mood],
    pub contacts: &'a [Contact],
    pub range: Range,
    pub now: DateTime<FixedOffset>,
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn when(at: DateTime<FixedOffset>) -> String {
    at.format("%-d %B %Y, %H:%M").to_string()
}

fn time_tag(at: DateTime<FixedOffset>) -> String {
    format!("<time datetime=\"{}\">{}</time>", at.to_rfc3339(), when(at))
}

/// The whole page.
pub(crate) fn render(j: &Journey<'_>) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"exback\">\n\
         <title>Your journey · {}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n",
        long_date(j.now.date_naive()),
        palette::stylesheet()
    );
    let steps = step_sections(j);
    let notes: Vec<&Entry> = j
        .entries
        .iter()
        .filter(|e| {
            !matches!(
                e.kind.as_str(),
                kind::ANSWER | kind::READINESS | kind::OUTCOME
            )
        })
        .collect();
    let outcome: Vec<&Entry> = j
        .entries
        .iter()
        .filter(|e| e.kind == kind::OUTCOME)
        .collect();
    cover(&mut html, j, &steps, !notes.is_empty(), !outcome.is_empty());
    mood_section(&mut html, j);
    contact_section(&mut html, j);
    for section in &steps {
        step_section(&mut html, section);
    }
    notes_section(&mut html, &notes, j.workbook);
    outcome_section(&mut html, j, &outcome);
    html.push_str(
        "<footer class=\"closing\">\n<p>This is what you wrote, as you wrote it. What comes next \
         is not written here, and it does not have to be decided tonight. Whatever it turns out \
         to be, the care you put into these pages was real.</p>\n\
         <p class=\"when\">Made by exback on your own computer. Nothing on this page was sent \
         anywhere, and it is yours to keep, print or delete.</p>\n</footer>\n</main>\n</body>\n</html>\n",
    );
    html
}

/// One step (of the seven, the moving-on path, or one the workbook no longer has) and
/// what was written in it.
struct StepSection<'a> {
    anchor: String,
    heading: String,
    status: Option<StepStatus>,
    entries: Vec<&'a Entry>,
}

/// The steps to show: every step with entries on the page, and, when no filter hides
/// them, every step that is done.
fn step_sections<'a>(j: &Journey<'a>) -> Vec<StepSection<'a>> {
    let statuses = session::statuses(j.workbook, j.progress)
        .into_iter()
        .chain(session::moving_on_statuses(j.workbook, j.progress));
    let mut sections: Vec<StepSection<'a>> = Vec::new();
    let in_step = |e: &&Entry, id: &str| {
        matches!(e.kind.as_str(), kind::ANSWER | kind::READINESS)
            && e.step_id.as_deref() == Some(id)
    };
    for (step, status) in statuses {
        let entries: Vec<&Entry> = j.entries.iter().filter(|e| in_step(e, &step.id)).collect();
        let done = matches!(status, StepStatus::Done(_));
        let filtered = j.range.since.is_some() || j.range.until.is_some();
        let step_allowed = j.range.step.is_none_or(|n| Some(n) == numbered(step));
        if entries.is_empty() && !(done && !filtered && step_allowed) {
            continue;
        }
        sections.push(StepSection {
            anchor: format!("step-{}", step.id),
            heading: heading(j.workbook, step),
            status: Some(status),
            entries,
        });
    }
    // Answers to steps this workbook does not have (a changed content pack) still show.
    for e in j.entries.iter().filter(|e| {
        matches!(e.kind.as_str(), kind::ANSWER | kind::READINESS)
            && e.step_id
                .as_deref()
                .is_none_or(|id| j.workbook.step_by_id(id).is_none())
    }) {
        let id = e.step_id.clone().unwrap_or_default();
        let anchor = format!("step-{id}");
        match sections.iter_mut().find(|s| s.anchor == anchor) {
            Some(s) => s.entries.push(e),
            None => sections.push(StepSection {
                anchor,
                heading: e
                    .step
                    .map_or_else(|| "An earlier step".to_string(), |n| format!("Step {n}")),
                status: None,
                entries: vec![e],
            }),
        }
    }
    sections
}

fn heading(workbook: &Workbook, step: &Step) -> String {
    step_name(workbook, step, Naming::Label)
}

fn cover(
    html: &mut String,
    j: &Journey<'_>,
    steps: &[StepSection<'_>],
    notes: bool,
    outcome: bool,
) {
    let today = j.now.date_naive();
    let _ = write!(
        html,
        "<header class=\"cover\">\n<p class=\"kicker\">exback · a journal kept on your own computer</p>\n\
         <h1>Your journey so far</h1>\n<p class=\"made\">Put together on {}.</p>\n",
        long_date(today)
    );
    facts(html, j);
    range_note(html, &j.range);
    contents(html, steps, notes, outcome);
    html.push_str("</header>\n");
}

/// The cover's facts: the breakup, the steps done, where things stand, what the page holds.
fn facts(html: &mut String, j: &Journey<'_>) {
    let today = j.now.date_naive();
    html.push_str("<dl class=\"facts\">\n");
    if let Some(o) = &j.progress.onboarding {
        let days = (today - o.breakup_date).num_days();
        let _ = writeln!(
            html,
            "<dt>The breakup</dt><dd>around {} · {} since</dd>",
            long_date(o.breakup_date),
            plural(usize::try_from(days).unwrap_or(0), "day", "days")
        );
    }
    let done = |list: &[(&Step, StepStatus)]| {
        list.iter()
            .filter(|(_, s)| matches!(s, StepStatus::Done(_)))
            .count()
    };
    let seven = session::statuses(j.workbook, j.progress);
    let _ = writeln!(
        html,
        "<dt>Steps done</dt><dd>{} of {}</dd>",
        done(&seven),
        seven.len()
    );
    if session::moving_on_active(j.workbook, j.progress) {
        let moving_on = session::moving_on_statuses(j.workbook, j.progress);
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{} of {} done</dd>",
            esc(&j.workbook.moving_on.title),
            done(&moving_on),
            moving_on.len()
        );
    }
    if let Some(o) = &j.progress.outcome {
        let label = j
            .workbook
            .outcomes
            .get(o.kind.id())
            .map_or(o.kind.id(), |t| t.label.as_str());
        let _ = writeln!(
            html,
            "<dt>Where things stand</dt><dd>{} · since {}</dd>",
            esc(label),
            long_date(o.at.date_naive())
        );
    }
    let _ = writeln!(
        html,
        "<dt>On this page</dt><dd>{}, {} and {}</dd>\n</dl>",
        plural(j.entries.len(), "entry", "entries"),
        plural(j.moods.len(), "mood check-in", "mood check-ins"),
        plural(j.contacts.len(), "contact", "contacts")
    );
}

fn range_note(html: &mut String, range: &Range) {
    let mut parts = Vec::new();
    if let Some(since) = range.since {
        parts.push(format!("from {}", long_date(since)));
    }
    if let Some(until) = range.until {
        parts.push(format!("up to {}", long_date(until)));
    }
    if let Some(n) = range.step {
        parts.push(format!("the entries of step {n} only"));
    }
    if !parts.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"range\">This page holds part of your journal: {}.</p>",
            parts.join(", ")
        );
    }
}

fn contents(html: &mut String, steps: &[StepSection<'_>], notes: bool, outcome: bool) {
    html.push_str("<nav aria-label=\"On this page\">\n<ol>\n<li><a href=\"#mood\">How your mood moved</a></li>\n<li><a href=\"#contact\">Contact</a></li>\n");
    for s in steps {
        let _ = writeln!(
            html,
            "<li><a href=\"#{}\">{}</a></li>",
            esc(&s.anchor),
            esc(&s.heading)
        );
    }
    if notes {
        html.push_str("<li><a href=\"#notes\">Free entries and drafts</a></li>\n");
    }
    if outcome {
        html.push_str("<li><a href=\"#outcome\">Where things stand</a></li>\n");
    }
    html.push_str("</ol>\n</nav>\n");
}

/// The span of the chart: the filter's dates, else from the first thing on it to today.
fn chart_span(j: &Journey<'_>, steps: &[StepMark]) -> (NaiveDate, NaiveDate) {
    let to = j.range.until.unwrap_or_else(|| j.now.date_naive());
    let first = j
        .moods
        .iter()
        .map(|m| m.at.date_naive())
        .chain(j.contacts.iter().map(|c| c.at.date_naive()))
        .chain(steps.iter().map(|s| s.at.date()))
        .min()
        .unwrap_or(to);
    let from = j.range.since.unwrap_or(first).min(to);
    // At least two weeks, so a few days do not stretch across the whole page.
    let from = from.min(to - chrono::Days::new(13));
    (from, to)
}

fn mood_section(html: &mut String, j: &Journey<'_>) {
    html.push_str("<section id=\"mood\" aria-labelledby=\"mood-h\">\n<h2 id=\"mood-h\">How your mood moved</h2>\n");
    if j.moods.is_empty() {
        html.push_str("<p class=\"empty\">No mood check-ins in this period. <code>exback mood 6</code> (any number from 1 to 10) adds one whenever you like.</p>\n</section>\n");
        return;
    }
    let mut marks: Vec<StepMark> = session::statuses(j.workbook, j.progress)
        .into_iter()
        .chain(session::moving_on_statuses(j.workbook, j.progress))
        .filter_map(|(step, status)| match status {
            StepStatus::Done(at) => Some(StepMark {
                at: at.naive_local(),
                label: format!("finished {}", heading(j.workbook, step)),
            }),
            _ => None,
        })
        .collect();
    let (from, to) = chart_span(j, &marks);
    marks.retain(|m| m.at.date() >= from && m.at.date() <= to);
    let chart = Chart {
        moods: j.moods,
        contacts: j.contacts,
        steps: &marks,
        from,
        to,
    };
    let summary = chart::summary(&chart);
    let _ = write!(
        html,
        "<figure class=\"chart\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        chart::svg(&chart, &summary),
        esc(&summary)
    );
    html.push_str(LEGEND);
    check_in_table(html, j.moods);
    html.push_str("</section>\n");
}

const LEGEND: &str = "<ul class=\"legend\">\
<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"key check-in\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>a check-in (1 very low, 10 really good)</li>\
<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><path class=\"key step-done\" d=\"M7 1l6 6l-6 6l-6 -6z\"/></svg>a step finished</li>\
<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"key contact from-them\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>they reached out</li>\
<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"key contact from-me\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>you reached out</li>\
</ul>\n";

fn check_in_table(html: &mut String, moods: &[Mood]) {
    let _ = writeln!(
        html,
        "<details>\n<summary>Every check-in, as a table ({})</summary>\n\
         <table>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Mood</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>",
        moods.len()
    );
    for m in moods {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}/10</td><td>{}</td></tr>",
            time_tag(m.at),
            m.score,
            esc(m.note.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</tbody>\n</table>\n</details>\n");
}

fn contact_section(html: &mut String, j: &Journey<'_>) {
    html.push_str("<section id=\"contact\" aria-labelledby=\"contact-h\">\n<h2 id=\"contact-h\">Contact</h2>\n");
    if j.contacts.is_empty() {
        html.push_str(
            "<p class=\"empty\">No contact written down in this period.</p>\n</section>\n",
        );
        return;
    }
    html.push_str("<ol class=\"timeline\">\n");
    for c in j.contacts {
        let (class, who) = match c.from {
            Who::Me => ("from-me", "You reached out"),
            Who::Them => ("from-them", "They reached out"),
        };
        let reply = match (c.from, c.replied) {
            (Who::Me, Some(true)) => "they responded",
            (Who::Me, Some(false)) => "no response",
            (Who::Them, Some(true)) => "you responded",
            (Who::Them, Some(false)) => "you did not respond",
            (_, None) => "response not noted",
        };
        let mut line = format!("<strong>{who}</strong> · {} · {reply}", channel(c));
        if let Some(felt) = c.felt {
            let _ = write!(line, " · it felt {felt}/10");
        }
        let _ = writeln!(
            html,
            "<li class=\"{class}\"><p class=\"when\">{}</p><p>{line}</p>{}</li>",
            time_tag(c.at),
            c.note
                .as_deref()
                .map(|n| format!("<p class=\"a\">{}</p>", esc(n)))
                .unwrap_or_default()
        );
    }
    html.push_str("</ol>\n</section>\n");
}

fn channel(c: &Contact) -> &'static str {
    use crate::journal::Channel;
    match c.channel {
        Channel::Text => "a message",
        Channel::Call => "a call",
        Channel::Social => "on social media",
        Channel::InPerson => "in person",
        Channel::Other => "another way",
    }
}

/// One pass through a step: its answers, then the readiness check that closed it.
struct Visit<'a> {
    answers: Vec<&'a Entry>,
    readiness: Vec<&'a Entry>,
}

/// Splits a step's entries into passes: an answer to a question already answered in
/// this pass, or one after a readiness check, starts the next pass (a revisit).
fn visits<'a>(entries: &[&'a Entry]) -> Vec<Visit<'a>> {
    let mut out: Vec<Visit<'a>> = Vec::new();
    for e in entries {
        let starts_new = match out.last() {
            None => true,
            Some(v) if e.kind == kind::ANSWER => {
                !v.readiness.is_empty()
                    || v.answers
                        .iter()
                        .any(|a| a.prompt_id.is_some() && a.prompt_id == e.prompt_id)
            }
            Some(_) => false,
        };
        if starts_new {
            out.push(Visit {
                answers: Vec::new(),
                readiness: Vec::new(),
            });
        }
        if let Some(v) = out.last_mut() {
            if e.kind == kind::ANSWER {
                v.answers.push(e);
            } else {
                v.readiness.push(e);
            }
        }
    }
    out
}

fn step_section(html: &mut String, s: &StepSection<'_>) {
    let status = match s.status {
        Some(StepStatus::Done(at)) => format!("Finished on {}.", long_date(at.date_naive())),
        Some(StepStatus::Current) => "The step you are on now.".to_string(),
        Some(StepStatus::Ahead) => "Not finished yet.".to_string(),
        Some(StepStatus::NotOffered) => "Not part of your path right now.".to_string(),
        None => "This step is not in the workbook any more; your answers are kept.".to_string(),
    };
    let _ = write!(
        html,
        "<section class=\"step\" id=\"{0}\" aria-labelledby=\"{0}-h\">\n<h2 id=\"{0}-h\">{1}</h2>\n<p class=\"status\">{status}</p>\n",
        esc(&s.anchor),
        esc(&s.heading)
    );
    if s.entries.is_empty() {
        html.push_str("<p class=\"empty\">Nothing written here in this period.</p>\n");
    }
    for (i, visit) in visits(&s.entries).iter().enumerate() {
        let first = visit.answers.first().or(visit.readiness.first());
        let last = visit.readiness.last().or(visit.answers.last());
        if let (Some(first), Some(last)) = (first, last) {
            let span = day_span(first.at.date_naive(), last.at.date_naive());
            let _ = writeln!(
                html,
                "<div class=\"visit\">\n<h3>{}</h3>",
                if i == 0 {
                    format!("Written {span}")
                } else {
                    format!("Revisited {span}")
                }
            );
        }
        for a in &visit.answers {
            let _ = writeln!(
                html,
                "<div class=\"qa\">\n<h4>{}</h4>\n<p class=\"a\">{}</p>\n<p class=\"when\">{}{}</p>\n</div>",
                esc(a.prompt.as_deref().unwrap_or("A question")),
                answer_text(a),
                time_tag(a.at),
                if a.edited_at.is_some() {
                    " · edited later"
                } else {
                    ""
                }
            );
        }
        readiness(html, &visit.readiness);
        html.push_str("</div>\n");
    }
    html.push_str("</section>\n");
}

/// The answer as written; a number on a scale says what it is out of.
fn answer_text(e: &Entry) -> Cow<'_, str> {
    if e.prompt_kind.as_deref() == Some(PromptKind::Scale.as_str())
        && e.answer.trim().parse::<u8>().is_ok()
    {
        Cow::Owned(format!("{} out of 10", e.answer.trim()))
    } else {
        esc(&e.answer)
    }
}

fn day_span(a: NaiveDate, b: NaiveDate) -> String {
    if a == b {
        format!("on {}", long_date(a))
    } else {
        format!("from {} to {}", long_date(a), long_date(b))
    }
}

/// The readiness answers of one pass, folded: the summary says when.
fn readiness(html: &mut String, entries: &[&Entry]) {
    let Some(first) = entries.first() else {
        return;
    };
    let _ = writeln!(
        html,
        "<details class=\"readiness\">\n<summary>Readiness check, {} ({})</summary>\n<dl>",
        long_date(first.at.date_naive()),
        plural(entries.len(), "answer", "answers")
    );
    for e in entries {
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            esc(e.prompt.as_deref().unwrap_or("A check")),
            esc(&e.answer)
        );
    }
    html.push_str("</dl>\n</details>\n");
}

fn notes_section(html: &mut String, notes: &[&Entry], workbook: &Workbook) {
    if notes.is_empty() {
        return;
    }
    html.push_str("<section id=\"notes\" aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Free entries and drafts</h2>\n");
    for e in notes {
        let badge = match e.kind.as_str() {
            kind::DRAFT => " <span class=\"badge\">unsent</span>",
            _ => "",
        };
        let about = e
            .step_id
            .as_deref()
            .and_then(|id| workbook.step_by_id(id))
            .map(|s| format!("<p class=\"when\">About {}</p>", esc(&heading(workbook, s))))
            .unwrap_or_default();
        let tags = if e.tags.is_empty() {
            String::new()
        } else {
            let tags: Vec<String> = e.tags.iter().map(|t| format!("#{}", esc(t))).collect();
            format!("<p class=\"tags\">{}</p>", tags.join(" "))
        };
        let _ = writeln!(
            html,
            "<article class=\"note\">\n<h3>{}{badge}</h3>\n{about}<p class=\"a\">{}</p>\n{tags}</article>",
            time_tag(e.at),
            esc(&e.answer)
        );
    }
    html.push_str("</section>\n");
}

fn outcome_section(html: &mut String, j: &Journey<'_>, entries: &[&Entry]) {
    if entries.is_empty() {
        return;
    }
    html.push_str("<section id=\"outcome\" aria-labelledby=\"outcome-h\">\n<h2 id=\"outcome-h\">Where things stand</h2>\n");
    for e in entries {
        let label = e.outcome.as_deref().map_or("Where things stand", |id| {
            j.workbook.outcomes.get(id).map_or(id, |o| o.label.as_str())
        });
        let _ = writeln!(
            html,
            "<div class=\"qa\">\n<h3>{}</h3>\n<h4>{}</h4>\n<p class=\"a\">{}</p>\n<p class=\"when\">{}</p>\n</div>",
            esc(label),
            esc(e.prompt.as_deref().unwrap_or("A reflection")),
            esc(&e.answer),
            time_tag(e.at)
        );
    }
    html.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_attributes_and_quotes() {
        assert_eq!(esc("plain"), "plain");
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(matches!(esc("nothing to do"), Cow::Borrowed(_)));
        assert_eq!(
            esc("a\u{0}\u{1b}[2J\u{9b}\u{202e}<b>"),
            "a^@^[[2J&lt;U+009B&gt;&lt;U+202E&gt;&lt;b&gt;"
        );
    }

    fn entry(at: &str, kind: &str, prompt: &str) -> Entry {
        let mut e = crate::journal::NewEntry::new(
            DateTime::parse_from_rfc3339(at).unwrap(),
            crate::journal::EntryKind::Answer,
            "a".into(),
        )
        .into_entry("x".into());
        e.kind = kind.into();
        e.prompt_id = Some(prompt.into());
        e
    }

    #[test]
    fn a_repeated_question_or_an_answer_after_readiness_starts_a_revisit() {
        let entries = [
            entry("2026-11-01T10:00:00+01:00", kind::ANSWER, "p1"),
            entry("2026-11-01T10:05:00+01:00", kind::ANSWER, "p2"),
            entry("2026-11-02T10:00:00+01:00", kind::READINESS, "r1"),
            entry("2026-11-02T10:01:00+01:00", kind::READINESS, "r2"),
            entry("2026-11-10T10:00:00+01:00", kind::ANSWER, "p2"),
            entry("2026-11-12T10:00:00+01:00", kind::ANSWER, "p2"),
        ];
        let refs: Vec<&Entry> = entries.iter().collect();
        let v = visits(&refs);
        let shape: Vec<(usize, usize)> = v
            .iter()
            .map(|v| (v.answers.len(), v.readiness.len()))
            .collect();
        assert_eq!(shape, [(2, 2), (1, 0), (1, 0)]);
    }
}
