//! The journey as one self-contained HTML page (`exback export --format html`): a
//! cover, the mood chart, the contact timeline, every step with its questions and
//! answers, free entries and drafts, and a closing line. CSS and SVG are inline; there
//! is no script and nothing is fetched. Everything the user wrote goes through [`esc`];
//! the page's own words are `[page]` and `[page_chart]` of `screens.toml`, placed by
//! [`say`], which escapes them the same way.
//! Pure: the data and "now" are arguments, so the same journal gives the same page.

mod chart;
pub(crate) mod palette;

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::journal::entry::kind;
use crate::journal::{Contact, Entry, Mood, Progress, Who};
use crate::session::{self, StepStatus};
use crate::workbook::screens::{ChartWords, PageWords};
use crate::workbook::{Naming, PromptKind, Step, Workbook, fill, numbered, step_name};

use chart::{Chart, StepMark};

/// Escapes text for HTML: element content, attribute values and SVG `<title>` alike.
/// Control and bidi characters are first shown as the terminal shows them
/// ([`crate::escapes::printable`]: `^[`, `<U+202E>`), so the page never holds NUL,
/// ESC or C1 bytes, nor text that reorders what is around it.
pub(crate) fn esc(text: &str) -> Cow<'_, str> {
    let text = crate::escapes::printable(text);
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

/// A sentence of the page's words placed in the HTML: its text escaped like the
/// user's, a command in backticks shown as `<code>`, then each `{name}` filled with
/// HTML the caller made (escaped words, a number, a `<time>` tag). Words that come
/// from the user or the content pack are filled in last, so nothing inside them is
/// taken for a placeholder.
fn say(sentence: &str, values: &[(&str, &str)]) -> String {
    fill(&code(&esc(sentence)), values)
}

/// Text between a pair of backticks as `<code>`; a backtick without a pair stays.
fn code(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let paired = (parts.len() - 1) / 2 * 2;
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i > paired {
            out.push('`');
        } else if i > 0 {
            out.push_str(if i % 2 == 1 { "<code>" } else { "</code>" });
        }
        out.push_str(part);
    }
    out
}

/// `n` of something in words: `[none, one, many]`, the last with `{n}`.
fn count(n: usize, [none, one, many]: [&str; 3]) -> String {
    match n {
        0 => none.to_string(),
        n => crate::workbook::count(n, one, many, &[]),
    }
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
    let w = &j.workbook.screens.page;
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"exback\">\n\
         <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n",
        say(&w.title, &[("date", &long_date(j.now.date_naive()))]),
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
        step_section(&mut html, w, section);
    }
    notes_section(&mut html, &notes, j.workbook);
    outcome_section(&mut html, j, &outcome);
    let _ = write!(
        html,
        "<footer class=\"closing\">\n<p>{}</p>\n<p class=\"when\">{}</p>\n\
         </footer>\n</main>\n</body>\n</html>\n",
        say(&w.closing, &[]),
        say(&w.closing_note, &[])
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
    let w = &j.workbook.screens.page;
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
                heading: e.step.map_or_else(
                    || w.step_unknown.clone(),
                    |n| fill(&w.step_numbered, &[("n", &n.to_string())]),
                ),
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
    let w = &j.workbook.screens.page;
    let today = j.now.date_naive();
    let _ = write!(
        html,
        "<header class=\"cover\">\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n\
         <p class=\"made\">{}</p>\n",
        say(&w.kicker, &[]),
        say(&w.heading, &[]),
        say(&w.made, &[("date", &long_date(today))])
    );
    facts(html, j);
    range_note(html, w, &j.range);
    contents(html, w, steps, notes, outcome);
    html.push_str("</header>\n");
}

/// The cover's facts: the breakup, the steps done, where things stand, what the page holds.
fn facts(html: &mut String, j: &Journey<'_>) {
    let w = &j.workbook.screens.page;
    let today = j.now.date_naive();
    html.push_str("<dl class=\"facts\">\n");
    if let Some(o) = &j.progress.onboarding {
        let days = (today - o.breakup_date).num_days();
        let days = count(
            usize::try_from(days).unwrap_or(0),
            [&w.days_none, &w.days_one, &w.days_many],
        );
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            say(&w.breakup, &[]),
            say(
                &w.breakup_when,
                &[("date", &long_date(o.breakup_date)), ("days", &esc(&days))]
            )
        );
    }
    step_facts(html, j);
    if let Some(o) = &j.progress.outcome {
        let label = j
            .workbook
            .outcomes
            .get(o.kind.id())
            .map_or(o.kind.id(), |t| t.label.as_str());
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            say(&w.outcome_heading, &[]),
            say(
                &w.standing,
                &[
                    ("date", &long_date(o.at.date_naive())),
                    ("label", &esc(label))
                ]
            )
        );
    }
    let entries = count(
        j.entries.len(),
        [&w.entries_none, &w.entries_one, &w.entries_many],
    );
    let moods = count(j.moods.len(), [&w.moods_none, &w.moods_one, &w.moods_many]);
    let contacts = count(
        j.contacts.len(),
        [&w.contacts_none, &w.contacts_one, &w.contacts_many],
    );
    let _ = writeln!(
        html,
        "<dt>{}</dt><dd>{}</dd>\n</dl>",
        say(&w.on_this_page, &[]),
        say(
            &w.holds,
            &[
                ("entries", &esc(&entries)),
                ("moods", &esc(&moods)),
                ("contacts", &esc(&contacts))
            ]
        )
    );
}

/// The cover's facts about the steps: how many are done, on each path in use.
fn step_facts(html: &mut String, j: &Journey<'_>) {
    let w = &j.workbook.screens.page;
    let done = |list: &[(&Step, StepStatus)]| {
        list.iter()
            .filter(|(_, s)| matches!(s, StepStatus::Done(_)))
            .count()
    };
    let seven = session::statuses(j.workbook, j.progress);
    let _ = writeln!(
        html,
        "<dt>{}</dt><dd>{}</dd>",
        say(&w.steps_done, &[]),
        say(
            &w.steps_done_count,
            &[
                ("done", &done(&seven).to_string()),
                ("total", &seven.len().to_string())
            ]
        )
    );
    if session::moving_on_active(j.workbook, j.progress) {
        let moving_on = session::moving_on_statuses(j.workbook, j.progress);
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&j.workbook.moving_on.title),
            say(
                &w.moving_on_done,
                &[
                    ("done", &done(&moving_on).to_string()),
                    ("total", &moving_on.len().to_string())
                ]
            )
        );
    }
}

fn range_note(html: &mut String, w: &PageWords, range: &Range) {
    let mut parts = Vec::new();
    if let Some(since) = range.since {
        parts.push(say(&w.range_since, &[("date", &long_date(since))]));
    }
    if let Some(until) = range.until {
        parts.push(say(&w.range_until, &[("date", &long_date(until))]));
    }
    if let Some(n) = range.step {
        parts.push(say(&w.range_step, &[("n", &n.to_string())]));
    }
    if !parts.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"range\">{}</p>",
            say(
                &w.range,
                &[("parts", &parts.join(&say(&w.range_join, &[])))]
            )
        );
    }
}

fn contents(
    html: &mut String,
    w: &PageWords,
    steps: &[StepSection<'_>],
    notes: bool,
    outcome: bool,
) {
    let _ = writeln!(
        html,
        "<nav aria-label=\"{}\">\n<ol>\n<li><a href=\"#mood\">{}</a></li>\n\
         <li><a href=\"#contact\">{}</a></li>",
        say(&w.on_this_page, &[]),
        say(&w.mood_heading, &[]),
        say(&w.contact_heading, &[])
    );
    for s in steps {
        let _ = writeln!(
            html,
            "<li><a href=\"#{}\">{}</a></li>",
            esc(&s.anchor),
            esc(&s.heading)
        );
    }
    if notes {
        let _ = writeln!(
            html,
            "<li><a href=\"#notes\">{}</a></li>",
            say(&w.notes_heading, &[])
        );
    }
    if outcome {
        let _ = writeln!(
            html,
            "<li><a href=\"#outcome\">{}</a></li>",
            say(&w.outcome_heading, &[])
        );
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
    let w = &j.workbook.screens.page;
    let _ = writeln!(
        html,
        "<section id=\"mood\" aria-labelledby=\"mood-h\">\n<h2 id=\"mood-h\">{}</h2>",
        say(&w.mood_heading, &[])
    );
    if j.moods.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"empty\">{}</p>\n</section>",
            say(&w.mood_empty, &[])
        );
        return;
    }
    let mut marks: Vec<StepMark> = session::statuses(j.workbook, j.progress)
        .into_iter()
        .chain(session::moving_on_statuses(j.workbook, j.progress))
        .filter_map(|(step, status)| match status {
            StepStatus::Done(at) => Some(StepMark {
                at: at.naive_local(),
                step: heading(j.workbook, step),
            }),
            _ => None,
        })
        .collect();
    let (from, to) = chart_span(j, &marks);
    marks.retain(|m| m.at.date() >= from && m.at.date() <= to);
    let chart = Chart {
        words: &j.workbook.screens,
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
    legend(html, &j.workbook.screens.page_chart);
    check_in_table(html, w, j.moods);
    html.push_str("</section>\n");
}

/// The marks of the chart, each drawn beside its name.
fn legend(html: &mut String, w: &ChartWords) {
    const KEY: &str = "<svg width=\"14\" height=\"14\" aria-hidden=\"true\">";
    let _ = writeln!(
        html,
        "<ul class=\"legend\">\
         <li>{KEY}<circle class=\"key check-in\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>{}</li>\
         <li>{KEY}<path class=\"key step-done\" d=\"M7 1l6 6l-6 6l-6 -6z\"/></svg>{}</li>\
         <li>{KEY}<circle class=\"key contact from-them\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>{}</li>\
         <li>{KEY}<circle class=\"key contact from-me\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>{}</li>\
         </ul>",
        say(&w.legend_check_in, &[]),
        say(&w.legend_step, &[]),
        say(&w.from_them, &[]),
        say(&w.from_me, &[])
    );
}

fn check_in_table(html: &mut String, w: &PageWords, moods: &[Mood]) {
    let _ = writeln!(
        html,
        "<details>\n<summary>{}</summary>\n<table>\n<thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        say(&w.table_summary, &[("n", &moods.len().to_string())]),
        say(&w.table_when, &[]),
        say(&w.table_mood, &[]),
        say(&w.table_note, &[])
    );
    for m in moods {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            time_tag(m.at),
            say(&w.table_score, &[("score", &m.score.to_string())]),
            esc(m.note.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</tbody>\n</table>\n</details>\n");
}

fn contact_section(html: &mut String, j: &Journey<'_>) {
    let w = &j.workbook.screens.page;
    let _ = writeln!(
        html,
        "<section id=\"contact\" aria-labelledby=\"contact-h\">\n<h2 id=\"contact-h\">{}</h2>",
        say(&w.contact_heading, &[])
    );
    if j.contacts.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"empty\">{}</p>\n</section>",
            say(&w.contact_empty, &[])
        );
        return;
    }
    html.push_str("<ol class=\"timeline\">\n");
    for c in j.contacts {
        let (class, who) = match c.from {
            Who::Me => ("from-me", &w.contact_from_me),
            Who::Them => ("from-them", &w.contact_from_them),
        };
        let reply = match (c.from, c.replied) {
            (Who::Me, Some(true)) => &w.replied_me_yes,
            (Who::Me, Some(false)) => &w.replied_me_no,
            (Who::Them, Some(true)) => &w.replied_them_yes,
            (Who::Them, Some(false)) => &w.replied_them_no,
            (_, None) => &w.replied_unknown,
        };
        let who = format!("<strong>{}</strong>", say(who, &[]));
        let (channel, reply) = (say(channel(w, c), &[]), say(reply, &[]));
        let mut parts = vec![
            ("who", who.as_str()),
            ("channel", &channel),
            ("reply", &reply),
        ];
        let felt = c.felt.map(|felt| felt.to_string());
        let line = match &felt {
            Some(felt) => {
                parts.push(("felt", felt));
                say(&w.contact_line_felt, &parts)
            }
            None => say(&w.contact_line, &parts),
        };
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

fn channel<'w>(w: &'w PageWords, c: &Contact) -> &'w str {
    use crate::journal::Channel;
    match c.channel {
        Channel::Text => &w.channel_text,
        Channel::Call => &w.channel_call,
        Channel::Social => &w.channel_social,
        Channel::InPerson => &w.channel_in_person,
        Channel::Other => &w.channel_other,
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

fn step_section(html: &mut String, w: &PageWords, s: &StepSection<'_>) {
    let status = match s.status {
        Some(StepStatus::Done(at)) => {
            say(&w.status_finished, &[("date", &long_date(at.date_naive()))])
        }
        Some(StepStatus::Current) => say(&w.status_current, &[]),
        Some(StepStatus::Ahead) => say(&w.status_ahead, &[]),
        Some(StepStatus::NotOffered) => say(&w.status_not_offered, &[]),
        None => say(&w.status_gone, &[]),
    };
    let _ = write!(
        html,
        "<section class=\"step\" id=\"{0}\" aria-labelledby=\"{0}-h\">\n<h2 id=\"{0}-h\">{1}</h2>\n<p class=\"status\">{status}</p>\n",
        esc(&s.anchor),
        esc(&s.heading)
    );
    if s.entries.is_empty() {
        let _ = writeln!(html, "<p class=\"empty\">{}</p>", say(&w.step_empty, &[]));
    }
    for (i, visit) in visits(&s.entries).iter().enumerate() {
        let first = visit.answers.first().or(visit.readiness.first());
        let last = visit.readiness.last().or(visit.answers.last());
        if let (Some(first), Some(last)) = (first, last) {
            let (on, between) = if i == 0 {
                (&w.written_on, &w.written_between)
            } else {
                (&w.revisited_on, &w.revisited_between)
            };
            let (a, b) = (first.at.date_naive(), last.at.date_naive());
            let visit = if a == b {
                say(on, &[("date", &long_date(a))])
            } else {
                say(between, &[("from", &long_date(a)), ("to", &long_date(b))])
            };
            let _ = writeln!(html, "<div class=\"visit\">\n<h3>{visit}</h3>");
        }
        for a in &visit.answers {
            let when = if a.edited_at.is_some() {
                say(&w.edited, &[("when", &time_tag(a.at))])
            } else {
                time_tag(a.at)
            };
            let _ = writeln!(
                html,
                "<div class=\"qa\">\n<h4>{}</h4>\n<p class=\"a\">{}</p>\n<p class=\"when\">{when}</p>\n</div>",
                esc(a.prompt.as_deref().unwrap_or(&w.question_fallback)),
                answer_text(w, a),
            );
        }
        readiness(html, w, &visit.readiness);
        html.push_str("</div>\n");
    }
    html.push_str("</section>\n");
}

/// The answer as written; a number on a scale says what it is out of.
fn answer_text<'a>(w: &PageWords, e: &'a Entry) -> Cow<'a, str> {
    let n = e.answer.trim();
    if e.prompt_kind.as_deref() == Some(PromptKind::Scale.as_str()) && n.parse::<u8>().is_ok() {
        Cow::Owned(say(&w.scale_answer, &[("n", n)]))
    } else {
        esc(&e.answer)
    }
}

/// The readiness answers of one pass, folded: the summary says when.
fn readiness(html: &mut String, w: &PageWords, entries: &[&Entry]) {
    let Some(first) = entries.first() else {
        return;
    };
    let answers = count(
        entries.len(),
        [&w.answers_none, &w.answers_one, &w.answers_many],
    );
    let _ = writeln!(
        html,
        "<details class=\"readiness\">\n<summary>{}</summary>\n<dl>",
        say(
            &w.readiness,
            &[
                ("date", &long_date(first.at.date_naive())),
                ("answers", &esc(&answers))
            ]
        )
    );
    for e in entries {
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            esc(e.prompt.as_deref().unwrap_or(&w.check_fallback)),
            esc(&e.answer)
        );
    }
    html.push_str("</dl>\n</details>\n");
}

fn notes_section(html: &mut String, notes: &[&Entry], workbook: &Workbook) {
    if notes.is_empty() {
        return;
    }
    let w = &workbook.screens.page;
    let _ = writeln!(
        html,
        "<section id=\"notes\" aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">{}</h2>",
        say(&w.notes_heading, &[])
    );
    for e in notes {
        let badge = match e.kind.as_str() {
            kind::DRAFT => format!(" <span class=\"badge\">{}</span>", say(&w.unsent, &[])),
            _ => String::new(),
        };
        let about = e
            .step_id
            .as_deref()
            .and_then(|id| workbook.step_by_id(id))
            .map(|s| {
                let step = esc(&heading(workbook, s)).into_owned();
                format!(
                    "<p class=\"when\">{}</p>",
                    say(&w.about, &[("step", &step)])
                )
            })
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
    let w = &j.workbook.screens.page;
    let _ = writeln!(
        html,
        "<section id=\"outcome\" aria-labelledby=\"outcome-h\">\n<h2 id=\"outcome-h\">{}</h2>",
        say(&w.outcome_heading, &[])
    );
    for e in entries {
        let label = e.outcome.as_deref().map_or(&*w.outcome_heading, |id| {
            j.workbook.outcomes.get(id).map_or(id, |o| o.label.as_str())
        });
        let _ = writeln!(
            html,
            "<div class=\"qa\">\n<h3>{}</h3>\n<h4>{}</h4>\n<p class=\"a\">{}</p>\n<p class=\"when\">{}</p>\n</div>",
            esc(label),
            esc(e.prompt.as_deref().unwrap_or(&w.reflection_fallback)),
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

    #[test]
    fn a_command_in_backticks_is_code_and_a_lone_backtick_stays() {
        assert_eq!(
            code("run `exback log` now"),
            "run <code>exback log</code> now"
        );
        assert_eq!(code("`a` and `b"), "<code>a</code> and `b");
        assert_eq!(code("no command"), "no command");
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
