//! `exback log`: reads back what you wrote, newest first, filtered and formatted.

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;

use crate::cli::LogArgs;
use crate::dates;
use crate::journal::read::Place;
use crate::journal::read::view;
use crate::journal::{EntryView as Entry, Store};
use crate::session::Clock;
use crate::ui::pager::Paged;
use crate::ui::render::{self, Format};
use crate::ui::{Tone, style};
use crate::workbook::Workbook;

use super::Context;

mod batches;
mod needle;

use needle::Needle;

/// Which entries to show. Every condition must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub grep: Option<Needle>,
    pub step: Option<u8>,
    pub tags: Vec<String>,
}

/// The days `--since` and `--until` name (relative ones count from `today`), checked
/// against each other, after checking that `--step` names a step: what `log` and
/// `export --format html` both filter by.
pub(crate) fn bounds<'w>(
    since: Option<&str>,
    until: Option<&str>,
    step: Option<u8>,
    today: NaiveDate,
    workbook: impl FnOnce() -> anyhow::Result<&'w Workbook>,
) -> anyhow::Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let date = |flag: &str, value: Option<&str>| -> anyhow::Result<Option<NaiveDate>> {
        value
            .map(|v| dates::parse(v, today).map_err(|e| anyhow::anyhow!("{flag}: {e}")))
            .transpose()
    };
    if let Some(n) = step {
        workbook()?.numbered(n).map_err(anyhow::Error::msg)?;
    }
    let (since, until) = (date("--since", since)?, date("--until", until)?);
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        anyhow::bail!("--since {since} is after --until {until}, so nothing could match");
    }
    Ok((since, until))
}

impl Filter {
    /// Builds the filter from the command line; relative dates count from `today`. The
    /// workbook is asked for only to check `--step`.
    pub(crate) fn new<'w>(
        args: &LogArgs,
        today: NaiveDate,
        workbook: impl FnOnce() -> anyhow::Result<&'w Workbook>,
    ) -> anyhow::Result<Self> {
        let (since, until) = bounds(
            args.since.as_deref(),
            args.until.as_deref(),
            args.step,
            today,
            workbook,
        )?;
        Ok(Self {
            since,
            until,
            grep: args.grep.as_deref().and_then(Needle::new),
            step: args.step,
            tags: crate::journal::tags::parse_all(&args.tags)?,
        })
    }

    /// True when there is no condition: every entry passes.
    fn is_empty(&self) -> bool {
        let Self {
            since,
            until,
            grep,
            step,
            tags,
        } = self;
        since.is_none() && until.is_none() && grep.is_none() && step.is_none() && tags.is_empty()
    }

    /// True when `entry` passes every condition. Days are the reader's (see
    /// [`dates::local_day`]); nothing depends on where the entry is in the file.
    pub(crate) fn matches(&self, entry: &Entry<'_>) -> bool {
        let dated = self.since.is_some() || self.until.is_some();
        let day = || dates::local_day(&entry.at);
        (!dated || (self.since.is_none_or(|s| day() >= s) && self.until.is_none_or(|u| day() <= u)))
            && self.step.is_none_or(|n| entry.step == Some(n))
            && self
                .tags
                .iter()
                .all(|t| entry.tags.iter().any(|et| et.eq_ignore_ascii_case(t)))
            && self.grep.as_ref().is_none_or(|g| {
                g.in_answer(&entry.answer) || entry.prompt.as_deref().is_some_and(|p| g.in_text(p))
            })
    }
}

fn format_of(args: &LogArgs) -> Format {
    if args.short {
        return Format::Short;
    }
    if args.json {
        return Format::Json;
    }
    args.format
}

/// The chosen format, with the workbook for the views that name steps by their titles.
#[derive(Clone, Copy)]
enum View<'a> {
    Human(&'a Workbook),
    Short,
    Json,
    Markdown(&'a Workbook),
}

/// How one entry looks in the chosen format.
struct Printer<'a> {
    view: View<'a>,
    width: usize,
}

impl Printer<'_> {
    /// What goes between two entries (left out before the first one printed).
    fn separator(&self) -> &'static [u8] {
        match self.view {
            View::Human(_) => b"\n",
            View::Json => b",",
            View::Short | View::Markdown(_) => b"",
        }
    }

    fn print(&self, out: &mut Vec<u8>, entry: &Entry<'_>, line: &[u8]) -> io::Result<()> {
        match self.view {
            View::Human(workbook) => render::human(out, workbook, entry, self.width),
            View::Short => {
                render::short(out, entry, self.width);
                Ok(())
            }
            View::Markdown(workbook) => render::markdown(out, workbook, entry),
            // The entry exactly as stored, one per line of the array, with the characters
            // that could drive a terminal escaped (which JSON reads back the same).
            View::Json => {
                out.extend_from_slice(b"\n  ");
                out.extend_from_slice(
                    crate::escapes::json_printable(&String::from_utf8_lossy(line)).as_bytes(),
                );
                Ok(())
            }
        }
    }
}

/// Where printed entries go: counts them, puts separators between them, and says when
/// `-n` has been reached.
struct Sink<'a> {
    out: &'a mut dyn Write,
    shown: usize,
    limit: usize,
}

impl Sink<'_> {
    /// Writes one printed entry; false once no more are wanted.
    fn emit(&mut self, separator: &[u8], body: &[u8]) -> io::Result<bool> {
        self.emit_many(separator, body, 1)
    }

    /// Writes `count` printed entries at once, already separated from one another.
    fn emit_many(&mut self, separator: &[u8], text: &[u8], count: usize) -> io::Result<bool> {
        if self.shown > 0 {
            self.out.write_all(separator)?;
        }
        self.out.write_all(text)?;
        self.shown += count;
        // After Ctrl-C, stop printing; `run` then ends with code 130.
        Ok(self.shown < self.limit && !crate::interrupt::requested())
    }
}

pub(crate) fn run(ctx: &Context, args: &LogArgs) -> anyhow::Result<()> {
    // Read only when something needs it: --short and --json name no steps.
    let loaded = std::cell::OnceCell::new();
    let workbook = || -> anyhow::Result<&Workbook> {
        if let Some(workbook) = loaded.get() {
            return Ok(workbook);
        }
        let workbook = ctx.workbook()?;
        Ok(loaded.get_or_init(|| workbook))
    };
    let store = ctx.store()?;
    let filter = Filter::new(args, dates::local_day(&ctx.clock()?.now()), workbook)?;
    let format = format_of(args);
    let width = match (console::Term::stdout().is_term(), format) {
        (true, Format::Human) => style::stdout_width(100),
        (true, _) => style::stdout_width(200),
        // Piped short lines leave more of the answer for grep and the like.
        (false, Format::Short) => 120,
        (false, _) => 80,
    };
    let mut out: Box<dyn Write> = if format == Format::Human {
        Box::new(Paged::stdout(&workbook()?.screens))
    } else {
        Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout().lock()))
    };
    let view = match format {
        Format::Human => View::Human(workbook()?),
        Format::Short => View::Short,
        Format::Json => View::Json,
        Format::Markdown => View::Markdown(workbook()?),
    };
    let printer = Printer { view, width };
    let mut shown = 0;
    let result = (|| -> anyhow::Result<()> {
        if format == Format::Json {
            out.write_all(b"[")?;
        }
        let mut sink = Sink {
            out: &mut *out,
            shown: 0,
            limit: args.limit.unwrap_or(usize::MAX),
        };
        walk(&store, &filter, args, &printer, &mut sink)?;
        shown = sink.shown;
        if format == Format::Json {
            out.write_all(if shown == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        out.flush()?;
        Ok(())
    })();
    // Closing the pager or `| head` early ends quietly: see `Exit::of`.
    result?;
    drop(out);
    if shown == 0 && format != Format::Json {
        let unfiltered = filter.is_empty() && args.limit.is_none();
        // The workbook's words when it was read for the entries; else the screens alone,
        // or the built-in ones: past entries stay readable whatever the content pack.
        let words = match loaded.get() {
            Some(workbook) => workbook.screens.log.clone(),
            None => ctx.screens_or_builtin()?.log,
        };
        let text = if unfiltered {
            words.empty
        } else {
            words.no_match
        };
        eprintln!("{}", style::paint(Tone::Dim, &text));
    }
    Ok(())
}

/// Parses a line into a view, or warns about the damage and gives `None`.
fn view_or_warn<'a>(path: &Path, line: &'a [u8], place: Place) -> Option<Entry<'a>> {
    match view::parse(path, line, place) {
        Ok(entry) => Some(entry),
        Err(d) => {
            super::warn_damaged(&d);
            None
        }
    }
}

/// Every line is looked at: the file's order is not proven to be time order (a clock set
/// by hand, travel, an import), so no date filter stops early; only `-n` does.
///
/// Prints the matching entries, in the order asked for, streaming: entries are parsed in
/// place from the file's lines, never all held at once.
fn walk(
    store: &Store,
    filter: &Filter,
    args: &LogArgs,
    printer: &Printer<'_>,
    sink: &mut Sink<'_>,
) -> anyhow::Result<()> {
    if sink.limit == 0 {
        return Ok(());
    }
    let path = store.journal_path();
    let separator = printer.separator();
    let mut body = Vec::new();
    // Every line to print: parsed on all cores, printed in order. Sealed lines are
    // opened by the workers too.
    if args.limit.is_none() {
        let workers = batches::workers();
        let mut blocks = store.journal_blocks(!args.reverse)?;
        return batches::print_all(&mut blocks, &path, filter, printer, sink, workers);
    }
    // With -n: newest first, stopping at the limit; with --reverse too, the newest N
    // lines are gathered, then turned round.
    let mut gathered: Vec<Vec<u8>> = Vec::new();
    let mut lines = store.newest_lines()?;
    let mut seen = crate::journal::read::Seen::default();
    while let Some((line, place)) = lines.next_line()? {
        let Some(entry) = view_or_warn(&path, line, place) else {
            continue;
        };
        // A copy of a record already shown is that record (docs/storage.md).
        if !filter.matches(&entry) || !seen.first(line) {
            continue;
        }
        if args.reverse {
            gathered.push(line.to_vec());
            if gathered.len() >= sink.limit {
                break;
            }
            continue;
        }
        body.clear();
        printer.print(&mut body, &entry, line)?;
        if !sink.emit(separator, &body)? {
            break;
        }
    }
    for line in gathered.iter().rev() {
        if let Some(entry) = view_or_warn(&path, line, Place::Line(0)) {
            body.clear();
            printer.print(&mut body, &entry, line)?;
            sink.emit(separator, &body)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn filter(args: &[&str]) -> anyhow::Result<Filter> {
        let cli = crate::cli::Cli::try_parse_from(
            std::iter::once("exback")
                .chain(std::iter::once("log"))
                .chain(args.iter().copied()),
        )?;
        let Some(crate::cli::Command::Log(log)) = cli.command else {
            unreachable!()
        };
        let workbook = Workbook::embedded().unwrap();
        Filter::new(&log, today(), || Ok(&workbook))
    }

    fn entry(
        at: &str,
        step: Option<u8>,
        prompt: Option<&str>,
        answer: &str,
        tags: &[&str],
    ) -> Entry<'static> {
        let json = serde_json::json!({
            "v": 1, "id": "abc", "at": at, "kind": "note", "step": step, "prompt": prompt,
            "answer": answer, "tags": tags,
        });
        let line: &'static str = Box::leak(json.to_string().into_boxed_str());
        crate::journal::read::view::parse(
            std::path::Path::new("j"),
            line.as_bytes(),
            Place::Line(1),
        )
        .unwrap()
    }

    #[test]
    fn a_filter_is_empty_only_without_any_condition() {
        assert!(filter(&[]).unwrap().is_empty());
        assert!(
            filter(&["--grep", ""]).unwrap().is_empty(),
            "nothing to look for"
        );
        for args in [
            &["--since", "today"][..],
            &["--until", "today"],
            &["--grep", "x"],
            &["--step", "2"],
            &["--tag", "grief"],
        ] {
            assert!(!filter(args).unwrap().is_empty(), "{args:?}");
        }
    }

    #[test]
    fn relative_dates_count_from_today() {
        let f = filter(&["--since", "7d", "--until", "yesterday"]).unwrap();
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(f.until, NaiveDate::from_ymd_opt(2026, 11, 28));
        let f = filter(&["--since", "today"]).unwrap();
        assert_eq!(f.since, Some(today()));
        let f = filter(&["--since", "2026-11"]).unwrap();
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2026, 11, 1));
    }

    #[test]
    fn bad_filters_are_refused_with_the_flag_named() {
        assert!(
            filter(&["--since", "whenever"])
                .unwrap_err()
                .to_string()
                .starts_with("--since:")
        );
        assert!(
            filter(&["--since", "today", "--until", "yesterday"])
                .unwrap_err()
                .to_string()
                .contains("after")
        );
        assert!(
            filter(&["--step", "8"])
                .unwrap_err()
                .to_string()
                .contains("no step 8")
        );
    }

    #[test]
    fn grep_looks_in_answers_and_prompts_through_their_escapes() {
        // Escapes in the stored form: a newline is not part of a word, a \u escape
        // still matches what it stands for.
        let grep = |answer: &str, g: &str| {
            let e = entry("2026-11-20T12:00:00+00:00", None, None, answer, &[]);
            filter(&["--grep", g]).unwrap().matches(&e)
        };
        assert!(grep("line one\nfoo", "foo"));
        assert!(!grep("line one\nfoo", "nfoo"));
        assert!(grep("say \"hi\"", "\"hi\""));
        let line = r#"{"v":1,"id":"abc","at":"2026-11-20T12:00:00+00:00","kind":"note","answer":"\u0041pple"}"#;
        let e = crate::journal::read::view::parse(
            std::path::Path::new("j"),
            line.as_bytes(),
            Place::Line(1),
        )
        .unwrap();
        assert!(filter(&["--grep", "apple"]).unwrap().matches(&e));
    }

    #[test]
    fn every_condition_must_hold() {
        let e = entry(
            "2026-11-20T12:00:00+00:00",
            Some(2),
            Some("What still hurts?"),
            "The silence on Sundays.",
            &["sunday", "grief"],
        );
        assert!(filter(&[]).unwrap().matches(&e));
        assert!(
            filter(&["--since", "2026-11-20", "--until", "2026-11-20"])
                .unwrap()
                .matches(&e)
        );
        assert!(!filter(&["--since", "2026-11-21"]).unwrap().matches(&e));
        assert!(!filter(&["--until", "2026-11-19"]).unwrap().matches(&e));
        assert!(
            filter(&["--grep", "SILENCE"]).unwrap().matches(&e),
            "any case, in the answer"
        );
        assert!(
            filter(&["--grep", "still hurts"]).unwrap().matches(&e),
            "in the prompt"
        );
        assert!(!filter(&["--grep", "coffee"]).unwrap().matches(&e));
        assert!(
            filter(&["--step", "2", "--tag", "grief", "--tag", "#Sunday"])
                .unwrap()
                .matches(&e)
        );
        assert!(
            !filter(&["--step", "2", "--tag", "grief", "--tag", "anger"])
                .unwrap()
                .matches(&e)
        );
        assert!(!filter(&["--step", "1"]).unwrap().matches(&e));
    }
}
