//! `exback doctor`: reports damage in the data directory and, if asked, repairs it.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::cli::DoctorArgs;
use crate::journal::Lost;
use crate::journal::repair::doctor::{self, Health, Report};
use crate::journal::store::keystate::{self, KeyState};
use crate::session::Clock;
use crate::ui::terminal;
use crate::ui::{Tone, style};
use crate::workbook::screens::{DoctorRepairWords, DoctorWords, FoldWords};
use crate::workbook::{count, fill};

use super::{Context, plural};

pub(crate) fn run(ctx: &Context, args: &DoctorArgs) -> anyhow::Result<()> {
    let screens = ctx.screens_or_builtin()?;
    let (words, repair_words) = (&screens.doctor, &screens.doctor_repair);
    let store = ctx.locked_store()?;
    // The structure is checked without the passphrase; the content too when it is given
    // (a repair always needs it: what it rewrites is sealed again).
    let unlocked = if keystate::state(store.dir()) == KeyState::Keyed
        && (args.repair || crate::ui::passphrase::given_without_terminal())
    {
        super::encrypt::unlock(&store)?.is_some()
    } else {
        false
    };
    if args.repair {
        super::fold_copies(ctx, &store);
    }
    let report = doctor::check(&store)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}",
        fill(
            &words.data_directory,
            &[("dir", &store.dir().display().to_string())]
        )
    )?;
    super::encrypt::doctor_note(&mut out, words, &store, unlocked)?;
    print_report(&mut out, words, &report)?;
    report_copies(&mut out, &screens.fold, &store)?;

    let problems = report.damaged() + report.duplicated();
    let unreadable = report.unreadable();
    if unreadable > 0 {
        writeln!(out, "{}", words.cannot_repair)?;
        anyhow::bail!(
            "{} in {} cannot be read",
            plural(unreadable, "file"),
            store.dir().display()
        );
    }
    let leftovers = !report.temp_files.is_empty() || report.unfinished() > 0;
    if problems == 0 && (!leftovers || !args.repair) {
        writeln!(out, "{}", style::paint(Tone::Good, &words.all_readable))?;
        return Ok(());
    }
    if !args.repair {
        writeln!(out, "{}", words.repair_offer)?;
        anyhow::bail!(
            "found {problems} file(s) to repair in {}",
            store.dir().display()
        );
    }
    if !args.yes && !confirm(&screens)? {
        writeln!(out, "{}", repair_words.nothing_changed)?;
        return Ok(());
    }
    let done = doctor::repair(&store, ctx.clock()?.now())?;
    print_repaired(&mut out, repair_words, &done)?;
    writeln!(out, "{}", repair_words.kept)?;
    Ok(())
}

/// What a repair did, file by file.
fn print_repaired(
    out: &mut impl Write,
    words: &DoctorRepairWords,
    done: &doctor::Repaired,
) -> io::Result<()> {
    for (aside, count) in &done.moved_aside {
        let file = aside.display().to_string();
        let text = match count {
            None => fill(&words.moved_file, &[("file", &file)]),
            Some(1) => fill(&words.moved_line_one, &[("file", &file)]),
            Some(n) => fill(
                &words.moved_lines,
                &[("n", &n.to_string()), ("file", &file)],
            ),
        };
        writeln!(out, "{}", style::paint(Tone::Good, &text))?;
    }
    print_duplicates_repaired(out, words, &done.duplicates)?;
    if let Some(lost) = &done.progress_lost {
        if lost.is_empty() {
            writeln!(out, "{}", words.progress_kept)?;
        } else {
            writeln!(
                out,
                "{}",
                fill(
                    &words.progress_lost,
                    &[(
                        "lost",
                        &lost
                            .iter()
                            .map(|l| lost_part(words, l))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )]
                )
            )?;
        }
        if done.onboarding_again {
            writeln!(out, "{}", words.onboarding_again)?;
        }
    }
    if done.temp_files_removed > 0 {
        writeln!(
            out,
            "{}",
            fill(
                &words.temp_files_removed,
                &[("n", &done.temp_files_removed.to_string())]
            )
        )?;
    }
    Ok(())
}

/// The conflict copies a sync tool left, and what merging each would do.
fn report_copies(
    out: &mut impl Write,
    words: &FoldWords,
    store: &crate::journal::Store,
) -> io::Result<()> {
    match crate::journal::repair::merge::fold(store, true) {
        Ok(copies) => {
            for folded in &copies {
                writeln!(out, "{}", super::describe_fold(words, folded))?;
            }
        }
        Err(e) => writeln!(out, "{}", style::paint(Tone::Caution, &e.to_string()))?,
    }
    Ok(())
}

fn confirm(screens: &crate::workbook::Screens) -> anyhow::Result<bool> {
    let words = &screens.doctor_repair;
    if !terminal::is_interactive() {
        anyhow::bail!(
            "`exback doctor --repair` asks before changing anything; add --yes to repair without a terminal"
        );
    }
    let stopped = format!("\n{}", crate::interrupt::STOPPED);
    super::confirm_on_terminal(screens, &words.question, &stopped)
}

/// The file's name, for a row of the report: padded so that the rows line up.
fn row_name(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name:<16}")
}

fn print_report(out: &mut impl Write, words: &DoctorWords, report: &Report) -> io::Result<()> {
    if report.open_to_others {
        writeln!(
            out,
            "{}",
            style::paint(Tone::Caution, &words.open_to_others)
        )?;
    }
    for file in &report.files {
        let name = row_name(&file.path);
        let name = name.as_str();
        let line = match &file.health {
            Health::Missing => style::paint(Tone::Dim, &fill(&words.missing, &[("name", name)])),
            Health::Fine { records } if file.path.extension().is_some_and(|x| x == "jsonl") => {
                style::paint(
                    Tone::Good,
                    &fill(
                        &words.records,
                        &[("n", &records.to_string()), ("name", name)],
                    ),
                )
            }
            Health::Fine { .. } => {
                style::paint(Tone::Good, &fill(&words.readable, &[("name", name)]))
            }
            Health::Newer { found } => style::paint(
                Tone::Caution,
                &fill(
                    &words.newer,
                    &[("found", &found.to_string()), ("name", name)],
                ),
            ),
            Health::Unreadable(why) => style::paint(
                Tone::Caution,
                &fill(&words.unreadable, &[("name", name), ("why", why.as_str())]),
            ),
            Health::Damaged { records, lines } => {
                style::paint(Tone::Caution, &damaged_row(words, name, *records, lines))
            }
        };
        writeln!(out, "{line}")?;
        print_duplicates(out, words, &file.duplicates)?;
        if file.unfinished > 0 {
            let text = count(
                file.unfinished,
                &words.unfinished_one,
                &words.unfinished,
                &[],
            );
            writeln!(out, "{}", style::paint(Tone::Dim, &text))?;
        }
    }
    print_set_aside(out, words, &report.set_aside)?;
    if !report.temp_files.is_empty() {
        let n = report.temp_files.len();
        let text = count(n, &words.temp_files_one, &words.temp_files, &[]);
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    Ok(())
}

/// The row of a damaged file: how many records read, and the first ten damaged lines.
fn damaged_row(
    words: &DoctorWords,
    name: &str,
    records: usize,
    lines: &[(usize, String)],
) -> String {
    let records = records.to_string();
    let mut text = count(
        lines.len(),
        &words.damaged_one,
        &words.damaged,
        &[("records", &records), ("name", name)],
    );
    for (number, reason) in lines.iter().take(10) {
        let line = fill(
            &words.damaged_line,
            &[("number", &number.to_string()), ("reason", reason.as_str())],
        );
        let _ = write!(text, "\n{line}");
    }
    if lines.len() > 10 {
        let more = fill(
            &words.damaged_more,
            &[("n", &(lines.len() - 10).to_string())],
        );
        let _ = write!(text, "\n{more}");
    }
    text
}

/// The files of bytes set aside beside the data: each one's name, size and date, and
/// how to look at it.
fn print_set_aside(
    out: &mut impl Write,
    words: &DoctorWords,
    files: &[doctor::SetAside],
) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", style::paint(Tone::Caution, &words.set_aside))?;
    for file in files {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let date = file.written.map_or_else(
            || words.date_unknown.clone(),
            |t| {
                chrono::DateTime::<chrono::Local>::from(t)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            },
        );
        let row = count(
            file.bytes,
            &words.set_aside_file_one,
            &words.set_aside_file,
            &[("date", &date), ("name", &name)],
        );
        writeln!(out, "{row}")?;
    }
    let dir = files[0]
        .path
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "{}",
        style::paint(Tone::Dim, &fill(&words.set_aside_hint, &[("dir", &dir)]))
    )
}

/// The records a log holds twice, and the ids different records share.
fn print_duplicates(
    out: &mut impl Write,
    words: &DoctorWords,
    found: &doctor::Duplicates,
) -> io::Result<()> {
    if !found.copies.is_empty() {
        let numbers: Vec<usize> = found.copies.iter().map(|(copy, _)| *copy).collect();
        let lines = words.lines(&numbers);
        let text = count(
            found.copies.len(),
            &words.copies_one,
            &words.copies,
            &[("lines", &lines)],
        );
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    for (id, records) in found.shared.iter().take(10) {
        let text = fill(
            &words.shared,
            &[
                ("n", &records.len().to_string()),
                ("lines", &words.lines(records)),
                ("id", id.as_str()),
            ],
        );
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    if found.shared.len() > 10 {
        let text = fill(
            &words.shared_more,
            &[("n", &(found.shared.len() - 10).to_string())],
        );
        writeln!(out, "{}", style::paint(Tone::Caution, &text))?;
    }
    Ok(())
}

/// What the repair did about records held twice and ids held by different records.
fn print_duplicates_repaired(
    out: &mut impl Write,
    words: &DoctorRepairWords,
    done: &[(std::path::PathBuf, usize, usize)],
) -> io::Result<()> {
    for (aside, copies, renamed) in done {
        let copies = match copies {
            0 => None,
            1 => Some(words.extra_copy_one.clone()),
            n => Some(fill(&words.extra_copies, &[("n", &n.to_string())])),
        };
        let records = match renamed {
            0 => None,
            1 => Some(words.record_one.clone()),
            n => Some(fill(&words.records, &[("n", &n.to_string())])),
        };
        let file = aside.display().to_string();
        let text = match (copies, records) {
            (Some(copies), None) => {
                fill(&words.moved_copies, &[("copies", &copies), ("file", &file)])
            }
            (None, Some(records)) => {
                fill(&words.new_ids, &[("records", &records), ("file", &file)])
            }
            (Some(copies), Some(records)) => fill(
                &words.moved_copies_new_ids,
                &[("copies", &copies), ("records", &records), ("file", &file)],
            ),
            // The repair names only the logs it changed.
            (None, None) => continue,
        };
        writeln!(out, "{}", style::paint(Tone::Good, &text))?;
    }
    Ok(())
}

/// One part of a damaged progress file that could not be kept, in the content's words.
fn lost_part(words: &DoctorRepairWords, lost: &Lost) -> String {
    match lost {
        Lost::AfterDamage => words.lost_after_damage.clone(),
        Lost::Whole => words.lost_whole.clone(),
        Lost::FormatNumber => words.lost_format_number.clone(),
        Lost::WelcomeSeen => words.lost_welcome_seen.clone(),
        Lost::Onboarding => words.lost_onboarding.clone(),
        Lost::OnboardingIfGiven => words.lost_onboarding_if_given.clone(),
        Lost::Step(id) => fill(&words.lost_step, &[("step", &format!("{id:?}"))]),
        Lost::Outcome => words.lost_outcome.clone(),
        Lost::MoodSkipped => words.lost_mood_skipped.clone(),
        Lost::SafetyAnswers => words.lost_safety_answers.clone(),
        Lost::Pending => words.lost_pending.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::journal::repair::doctor::{Duplicates, FileReport, SetAside};
    use crate::workbook::Workbook;

    fn words() -> Workbook {
        style::set_color(Some(false));
        Workbook::embedded().unwrap()
    }

    fn file(name: &str, health: Health) -> FileReport {
        FileReport {
            path: PathBuf::from("/data").join(name),
            health,
            unfinished: 0,
            duplicates: Duplicates::default(),
        }
    }

    fn report() -> Report {
        let mut journal = file(
            "journal.jsonl",
            Health::Damaged {
                records: 4,
                lines: (1..=12).map(|n| (n, format!("reason {n}"))).collect(),
            },
        );
        journal.unfinished = 7;
        journal.duplicates = Duplicates {
            copies: vec![(3, 1)],
            shared: vec![("ab12".into(), vec![2, 5])],
        };
        let mut moods = file("moods.jsonl", Health::Fine { records: 1 });
        moods.unfinished = 1;
        moods.duplicates.copies = (20..32).map(|n| (n, 1)).collect();
        Report {
            files: vec![
                file("progress.json", Health::Fine { records: 1 }),
                journal,
                moods,
                file("contacts.jsonl", Health::Missing),
                file("drafts.jsonl", Health::Newer { found: 9 }),
                file("urges.jsonl", Health::Unreadable("it is a link".into())),
                file(
                    "notes.jsonl",
                    Health::Damaged {
                        records: 0,
                        lines: vec![(2, "not JSON".into())],
                    },
                ),
            ],
            temp_files: vec![PathBuf::from("/data/.tmp-1")],
            open_to_others: true,
            set_aside: vec![
                SetAside {
                    path: PathBuf::from("/data/damaged-1-journal.jsonl"),
                    bytes: 1,
                    written: None,
                },
                SetAside {
                    path: PathBuf::from("/data/merged-2-moods.jsonl"),
                    bytes: 300,
                    written: None,
                },
            ],
        }
    }

    /// The report reads word for word as it did when its sentences were in the code.
    #[test]
    fn the_report_says_each_row_in_the_built_in_words() {
        let wb = words();
        let mut out = Vec::new();
        print_report(&mut out, &wb.screens.doctor, &report()).unwrap();
        let mut want = [
            "! the data directory can be read by other users (chmod 700 it)",
            "✓ progress.json    readable",
            "✗ journal.jsonl    12 lines damaged, 4 readable",
        ]
        .join("\n");
        for n in 1..=10 {
            write!(want, "\n    line {n}, reason {n}").unwrap();
        }
        want.push_str(
            "\n    … and 2 more\
             \n    1 extra copy of records held on earlier lines (read once everywhere): line 3\
             \n    id ab12 is held by 2 different records (each is read): line 2, 5\
             \n    ends with an unfinished save (7 bytes, never confirmed as saved); the next \
             save moves it to a damaged-… file beside it\
             \n✓ moods.jsonl      1 record(s)\
             \n    12 extra copies of records held on earlier lines (read once everywhere): \
             line 20, 21, 22, 23, 24, 25, 26, 27, 28, 29 and 2 more\
             \n    ends with an unfinished save (1 byte, never confirmed as saved); the next \
             save moves it to a damaged-… file beside it\
             \n  contacts.jsonl   not created yet\
             \n! drafts.jsonl     written by a newer exback (format 9): read-only here\
             \n✗ urges.jsonl      it is a link\
             \n✗ notes.jsonl      1 line damaged, 0 readable\
             \n    line 2, not JSON\
             \n! Set aside beside your data (exback never deletes these files):\
             \n    damaged-1-journal.jsonl  1 byte, date unknown\
             \n    merged-2-moods.jsonl  300 bytes, date unknown\
             \n    Look at one with `less /data/NAME` (in an encrypted directory its lines \
             stay sealed); once nothing in it is needed, remove it yourself.\
             \n! 1 temporary file left by an interrupted save (ignored)\n",
        );
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn the_repair_says_what_it_did_in_the_built_in_words() {
        let wb = words();
        let done = doctor::Repaired {
            moved_aside: vec![
                (PathBuf::from("/d/a"), None),
                (PathBuf::from("/d/b"), Some(1)),
                (PathBuf::from("/d/c"), Some(3)),
            ],
            temp_files_removed: 2,
            progress_lost: Some(vec![Lost::Outcome, Lost::Step("prepare".into())]),
            onboarding_again: true,
            duplicates: vec![
                (PathBuf::from("/d/e"), 1, 0),
                (PathBuf::from("/d/f"), 0, 1),
                (PathBuf::from("/d/g"), 2, 3),
            ],
        };
        let mut out = Vec::new();
        print_repaired(&mut out, &wb.screens.doctor_repair, &done).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Moved the damaged file to /d/a\n\
             Moved 1 damaged or unfinished line to /d/b\n\
             Moved 3 damaged lines to /d/c\n\
             Moved 1 extra copy aside; the lines as they were are in /d/e\n\
             Gave 1 record sharing an id a new id; the lines as they were are in /d/f\n\
             Moved 2 extra copies aside and gave 3 records sharing an id a new id; the lines \
             as they were are in /d/g\n\
             Rebuilt progress.json from what could be read. Could not keep: the outcome; the progress of step \"prepare\".\n\
             `exback next` will ask the first questions again (about contact and safety) before \
             anything else; until then exback gives no advice about contact.\n\
             Removed 2 temporary file(s) left by an interrupted save.\n"
        );
        let kept = doctor::Repaired {
            progress_lost: Some(Vec::new()),
            ..doctor::Repaired::default()
        };
        let mut out = Vec::new();
        print_repaired(&mut out, &wb.screens.doctor_repair, &kept).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Rebuilt progress.json from the copy: everything in it was kept.\n"
        );
    }

    /// The rows take their words from the workbook: a content folder's own words are said.
    #[test]
    fn the_report_says_the_words_of_the_workbook_in_use() {
        let mut wb = words();
        wb.screens.doctor.missing = "{name}: yet to come".into();
        wb.screens.doctor.records = "{name} holds {n}".into();
        wb.screens.doctor_repair.moved_lines = "{n} lines went to {file}".into();
        let only = Report {
            files: vec![
                file("contacts.jsonl", Health::Missing),
                file("moods.jsonl", Health::Fine { records: 3 }),
            ],
            temp_files: Vec::new(),
            open_to_others: false,
            set_aside: Vec::new(),
        };
        let mut out = Vec::new();
        print_report(&mut out, &wb.screens.doctor, &only).unwrap();
        let done = doctor::Repaired {
            moved_aside: vec![(PathBuf::from("/d/c"), Some(3))],
            ..doctor::Repaired::default()
        };
        print_repaired(&mut out, &wb.screens.doctor_repair, &done).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "contacts.jsonl  : yet to come\nmoods.jsonl      holds 3\n3 lines went to /d/c\n"
        );
    }
}
