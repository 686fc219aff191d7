//! The screen a person sees: the real binary in a pseudo-terminal of a given size, its
//! output fed to a terminal emulator (vt100) of the same size, and assertions on the
//! rows it shows. Covers yes/no answered only by Enter, the Enter that must not leak,
//! keys typed ahead of a list, long answers at several widths, a list at 40 columns,
//! line breaks typed or pasted in an answer, a resize with a text question or a list
//! open, SIGTERM at a list, and the keys in `next --help`.

mod common;

use std::num::NonZeroU16;
use std::os::fd::AsFd;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Env, onboarding_lines, step_lines, workbook};
use exback::testing::workbook::{PromptKind, Step};
use rexpect::process::{Signal, WaitStatus};
use rexpect::session::{PtySession, spawn_command};

const TIMEOUT: Duration = Duration::from_secs(30);

/// exback in a pty of `rows` × `cols`, with what it shows kept in a terminal emulator.
struct Screen {
    p: PtySession,
    vt: vt100::Parser,
    /// Every byte exback wrote, as written.
    raw: Vec<u8>,
}

impl Screen {
    fn spawn(env: &Env, args: &[&str], rows: u16, cols: u16) -> Self {
        Self::spawn_cmd(&env.cmd(args), rows, cols)
    }

    /// [`Self::spawn`], the emulator keeping up to 10,000 rows of scrollback.
    fn spawn_with_scrollback(env: &Env, args: &[&str], rows: u16, cols: u16) -> Self {
        let mut s = Self::spawn_cmd(&env.cmd(args), rows, cols);
        s.vt = vt100::Parser::new(nz(rows), nz(cols), 10_000);
        s
    }

    /// Every row: the scrollback, oldest first, then the screen.
    fn transcript(&mut self) -> Vec<String> {
        self.pump();
        let (rows, cols) = self.vt.screen().size();
        self.vt.screen_mut().set_scrollback(usize::MAX);
        let kept = self.vt.screen().scrollback();
        let mut out = Vec::new();
        for offset in (1..=kept).rev() {
            self.vt.screen_mut().set_scrollback(offset);
            out.extend(self.vt.screen().rows(0, cols.get()).take(1));
        }
        self.vt.screen_mut().set_scrollback(0);
        out.extend(
            self.vt
                .screen()
                .rows(0, cols.get())
                .take(usize::from(rows.get())),
        );
        out
    }

    /// The contents of the cell under the cursor and of the one before it.
    fn around_cursor(&self) -> (String, String) {
        let screen = self.vt.screen();
        let (row, col) = screen.cursor_position();
        let at = |c: u16| {
            screen
                .cell(row, c)
                .map(|c| c.contents().to_string())
                .unwrap_or_default()
        };
        (at(col.saturating_sub(1)), at(col))
    }

    /// The size is set by `stty` in the pty itself before exback starts, so its first
    /// look at the terminal already sees it.
    fn spawn_cmd(inner: &Command, rows: u16, cols: u16) -> Self {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "stty rows {rows} cols {cols} && exec \"$0\" \"$@\""
            ))
            .arg(inner.get_program())
            .args(inner.get_args())
            .env("TERM", "xterm-256color");
        for (key, value) in inner.get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        let p = spawn_command(cmd, Some(30_000)).expect("exback starts in a pty");
        Self {
            p,
            vt: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
        }
    }

    /// Feeds everything exback has written so far to the emulator.
    fn pump(&mut self) {
        let mut bytes = Vec::new();
        // rexpect hands out each byte as a char.
        while let Some(c) = self.p.try_read() {
            bytes.push(u8::try_from(u32::from(c)).unwrap());
        }
        self.vt.process(&bytes);
        self.raw.extend(&bytes);
    }

    fn text(&self) -> String {
        self.vt.screen().contents()
    }

    fn rows(&self) -> Vec<String> {
        let (_, cols) = self.vt.screen().size();
        self.vt.screen().rows(0, cols.get()).collect()
    }

    /// Waits until the screen satisfies `ready` (at most 30 s).
    fn until(&mut self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            self.pump();
            let text = self.text();
            if ready(&text) {
                return text;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "waited 30 s for {what}; the screen shows:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `needle` is on screen (whitespace and row breaks squashed).
    fn wait(&mut self, needle: &str) -> String {
        let needle = squash(needle);
        self.until(&needle.clone(), |t| squash(t).contains(&needle))
    }

    fn send(&mut self, keys: &str) {
        self.p.send(keys).expect("send keys");
        self.p.flush().expect("flush");
    }

    /// The pty's new size, told to exback (SIGWINCH) and to the emulator.
    fn resize(&mut self, rows: u16, cols: u16) {
        self.pump();
        let master = self.p.process().get_file_handle().unwrap();
        rustix::termios::tcsetwinsize(
            master.as_fd(),
            rustix::termios::Winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        self.vt.set_size(nz(rows), nz(cols));
    }

    /// Skips with Esc the mood check-in a second run of the day offers first, and waits
    /// for `first`, the question after it; returns the screen then.
    fn past_the_check_in(&mut self, first: &str) -> String {
        self.wait("how are you feeling today");
        self.send("\x1b");
        self.wait(first)
    }

    /// Ctrl-C, then what is left of the run.
    fn stop(mut self) -> (WaitStatus, vt100::Parser) {
        self.p.send_control('c').unwrap();
        self.finish()
    }

    fn finish(self) -> (WaitStatus, vt100::Parser) {
        let (status, vt, _) = self.finish_raw();
        (status, vt)
    }

    /// [`Self::finish`], with every byte written over the whole run.
    fn finish_raw(mut self) -> (WaitStatus, vt100::Parser, Vec<u8>) {
        self.pump();
        let rest = self.p.exp_eof().unwrap_or_default();
        let bytes: Vec<u8> = rest
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        self.vt.process(&bytes);
        self.raw.extend(&bytes);
        let status = self.p.process().wait().unwrap();
        (status, self.vt, self.raw)
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

/// Whitespace runs (row breaks included) as single spaces.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn count(screen: &str, needle: &str) -> usize {
    squash(screen).matches(&squash(needle)).count()
}

/// The rows of the open question (from its `? ` row down). A resize redraws only
/// these: the rows above, earlier answers, are the terminal's to keep or cut.
fn open_question(screen: &str) -> impl Iterator<Item = &str> {
    let lines: Vec<&str> = screen.lines().collect();
    let from = lines.iter().rposition(|l| l.starts_with("? ")).unwrap_or(0);
    lines.into_iter().skip(from)
}

/// The row the open question's answer is typed on ends with `typed`.
fn typed(screen: &str, typed: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_end().ends_with(&format!("› {typed}")))
}

/// A new data directory just past onboarding, and the workbook's step 1.
fn onboarded() -> (Env, Step) {
    let env = Env::new();
    env.ok(&["next"], &onboarding_lines(false, false));
    (env, workbook().step(1).cloned().unwrap())
}

/// The answer saved in the journal for the prompt `prompt_id`.
fn saved_answer(env: &Env, prompt_id: &str) -> serde_json::Value {
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let line = journal.lines().find(|l| l.contains(prompt_id)).unwrap();
    let saved: serde_json::Value = serde_json::from_str(line).unwrap();
    saved["answer"].clone()
}

const NO_CONTACT: &str = "Did they ask you not to contact them";
const UNSAFE: &str = "Did you ever feel unsafe";

/// Answers onboarding's first question, the breakup date: five weeks ago.
fn answer_the_breakup_date(s: &mut Screen) {
    s.wait("Roughly when did the relationship end?");
    s.send("5 weeks ago\r");
}

/// Answers onboarding's first two questions and stops at the no-contact question.
fn to_no_contact(s: &mut Screen) {
    answer_the_breakup_date(s);
    s.wait("Who ended it?");
    s.send("\r");
    s.wait(NO_CONTACT);
}

#[test]
fn a_yes_no_answer_shows_can_be_changed_and_waits_for_enter() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    to_no_contact(&mut s);

    // A stray `y` shows and answers nothing.
    s.send("y");
    let screen = s.until("the typed y", |t| typed(t, "y"));
    assert!(!screen.contains(UNSAFE), "`y` alone answered:\n{screen}");
    assert!(!screen.contains("✔ Did they ask"), "{screen}");

    // Changed to "no" with Backspace, then to "yes".
    s.send("\x7f");
    s.until("the y rubbed out", |t| {
        t.lines().any(|l| l.trim_end().ends_with("anywhere? ›"))
    });
    s.send("no");
    s.until("the typed no", |t| typed(t, "no"));
    s.send("\x7f\x7fyes");
    let screen = s.until("the typed yes", |t| typed(t, "yes"));
    assert!(!screen.contains(UNSAFE));

    // Something else is not taken as an answer: a kind correction instead.
    s.send("\x7f\x7f\x7fmaybe\r");
    let screen = s.wait("Type y for yes or n for no");
    assert!(!screen.contains(UNSAFE));

    // An empty Enter chooses nothing either: there is no default.
    s.send("\x15\r");
    s.until("the empty answer refused", |t| {
        t.lines().any(|l| l.trim_end().ends_with("anywhere? ›")) && t.contains("Type y for yes")
    });
    s.pump();
    assert!(!s.text().contains(UNSAFE));

    s.send("n\r");
    let screen = s.wait(UNSAFE);
    assert_eq!(count(&screen, "anywhere? · no"), 1, "{screen}");
    let (status, _) = s.stop();
    assert!(matches!(status, WaitStatus::Exited(_, 130)));
    let progress = std::fs::read_to_string(env.file("progress.json")).unwrap_or_default();
    assert!(!progress.contains("\"no_contact\": true"), "{progress}");
}

#[test]
fn the_enter_typed_after_an_answer_never_reaches_the_next_question() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 40, 80);
    to_no_contact(&mut s);
    // "y" and Enter, then a second Enter, all typed at once.
    s.send("n\r\r");
    let screen = s.wait(UNSAFE);
    assert!(!screen.contains("Type y for yes"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.trim_end().ends_with("relationship? ›")),
        "the next question waits, empty:\n{screen}"
    );
    s.send("n\r");
    s.wait("practical things");
    // And into a text question: the extra Enter neither saves an empty answer nor
    // opens anything.
    s.send("n\r\r\r");
    let wb = workbook();
    let q1 = &wb.step(1).unwrap().prompts[0].text;
    let screen = s.wait(q1);
    assert!(!screen.contains("needs an answer"), "{screen}");
    s.send("words of my own\r");
    let screen = s.wait("· words of my own");
    assert!(!screen.contains("needs an answer"), "{screen}");
    s.stop();
}

#[test]
fn keys_typed_before_a_list_is_shown_choose_nothing() {
    let env = Env::new();
    let wb = workbook();
    let s1 = wb.step(1).unwrap();
    env.ok(
        &["next"],
        &(onboarding_lines(false, false) + &step_lines(s1) + "n\n"),
    );
    let s2 = wb.step(2).unwrap();
    let (first, second) = (&s2.prompts[0], &s2.prompts[1]);
    assert!(
        matches!(first.kind, PromptKind::Checklist) && matches!(second.kind, PromptKind::Scale),
        "step 2 opens with a checklist and a scale, to type ahead into"
    );
    let (head1, head2): (String, String) = (
        first.text.chars().take(20).collect(),
        second.text.chars().take(20).collect(),
    );

    let mut s = Screen::spawn(&env, &["next"], 60, 100);
    s.wait("how are you feeling today");
    s.wait("10 ");
    s.send("7\r");
    s.wait("Anything behind that number?");
    // The note, then a Space and an Enter typed before step 2's checklist is on screen:
    // they would tick and save an option no one has seen.
    s.send("tired\r \r");
    let screen = s.wait(&first.options[0].label);
    assert!(
        !squash(&screen).contains(&format!("✔ {head1}")),
        "the checklist was answered unseen:\n{screen}"
    );
    assert!(screen.contains(&format!("? {head1}")), "{screen}");

    // The checklist ticked and saved, and one Enter more typed at once: it must not
    // pick a number on the scale that follows before the scale is seen.
    s.send(" \r\r");
    let screen = s.wait(&format!("? {head2}"));
    let screen = if screen.contains("10 ") {
        screen
    } else {
        s.wait("10 ")
    };
    assert!(
        !squash(&screen).contains(&format!("✔ {head2}")),
        "the scale was answered unseen:\n{screen}"
    );
    assert_eq!(
        count(&screen, &format!("· {}", first.options[0].label)),
        1,
        "{screen}"
    );

    // A number and Enter typed once the scale is seen answer it.
    s.send("6\r");
    s.wait(&format!("✔ {head2}"));
    s.stop();
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    for prompt in [first, second] {
        let id = format!("\"prompt_id\":\"{}\"", prompt.id);
        assert_eq!(journal.matches(&id).count(), 1, "{}: {journal}", prompt.id);
    }
}

/// Words that never repeat, `chars` long.
fn long_answer(chars: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < chars {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('w');
        out.push_str(&i.to_string());
        out.push_str(&"x".repeat(i % 9));
        i += 1;
    }
    out.truncate(chars);
    out.trim_end().to_string()
}

/// Types a long answer to step 1's first question at `cols` columns and looks at the
/// screen once the next question is up.
fn long_answer_at(cols: u16, chars: usize) {
    let (env, s1) = onboarded();
    let (q1, q2) = (&s1.prompts[0], &s1.prompts[1]);
    let rows = 200;
    let mut s = Screen::spawn(&env, &["next"], rows, cols);
    s.past_the_check_in(&q1.text);
    let answer = long_answer(chars);
    // In pieces, so that it is drawn again and again as it wraps.
    let letters: Vec<char> = answer.chars().collect();
    for piece in letters.chunks(97) {
        let piece: String = piece.iter().collect();
        s.send(&piece);
        s.wait(&piece);
    }
    let tail: String = answer.chars().rev().take(12).collect::<String>();
    let tail: String = tail.chars().rev().collect();
    s.wait(&tail);
    s.send("\r");
    let screen = s.wait(&q2.text);
    assert_eq!(
        count(&screen, &q1.text),
        1,
        "{cols} cols, question:\n{screen}"
    );
    assert_eq!(count(&screen, &answer), 1, "{cols} cols, answer:\n{screen}");
    let start: String = answer.chars().take(40).collect();
    assert_eq!(
        count(&screen, &start),
        1,
        "{cols} cols, stale start:\n{screen}"
    );
    assert!(
        screen.contains(&format!("✔ {}", &q1.text[..12])),
        "{cols} cols: the answered mark:\n{screen}"
    );
    let answer_rows = s
        .rows()
        .into_iter()
        .filter(|row| row.trim_start().starts_with('w') || row.contains("· w0"));
    for row in answer_rows {
        assert!(
            row.trim_end().chars().count() < usize::from(cols),
            "{cols} cols: a row reaches the edge: {row:?}"
        );
    }
    s.stop();
    assert_eq!(
        saved_answer(&env, &q1.id),
        answer.as_str(),
        "{cols} cols: saved as typed"
    );
}

#[test]
fn a_long_answer_at_40_columns_shows_the_question_and_the_answer_once() {
    long_answer_at(40, 5_000);
}

#[test]
fn a_long_answer_at_60_columns_shows_the_question_and_the_answer_once() {
    long_answer_at(60, 5_000);
}

#[test]
fn a_long_answer_at_100_columns_shows_the_question_and_the_answer_once() {
    long_answer_at(100, 5_000);
}

#[test]
fn a_long_answer_at_200_columns_shows_the_question_and_the_answer_once() {
    long_answer_at(200, 5_000);
}

#[test]
fn alt_enter_and_ctrl_j_break_lines_and_enter_saves() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    let screen = s.past_the_check_in(&q1.text);
    assert!(
        screen.contains("Alt-Enter or Ctrl-J starts a new line"),
        "{screen}"
    );
    s.send("first line\nsecond line\x1b\rthird line");
    let screen = s.until("three rows", |t| {
        t.lines().any(|l| l.trim_end() == "  second line")
            && t.lines().any(|l| l.trim_end() == "  third line")
    });
    assert!(!screen.contains(&s1.prompts[1].text));
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    s.stop();
    assert_eq!(
        saved_answer(&env, &q1.id),
        "first line\nsecond line\nthird line"
    );
}

#[test]
fn a_pasted_answer_keeps_its_line_breaks_and_waits_for_enter() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    // A terminal wraps a paste in ESC[200~ ... ESC[201~; its line ends are not Enter.
    s.send("\x1b[200~pasted one\rpasted two\x1b[201~");
    let screen = s.until("the paste on two rows", |t| {
        t.lines().any(|l| l.trim_end() == "  pasted two")
    });
    assert!(!screen.contains(&s1.prompts[1].text), "{screen}");
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), "pasted one\npasted two");
}

#[test]
fn a_resize_while_typing_leaves_one_clean_copy_of_the_question() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 40, 100);
    let question = "Roughly when did the relationship end?";
    s.wait(question);
    let typed_text = "5 weeks ago and a little after the long weekend at the coast with friends";
    s.send(typed_text);
    s.wait(typed_text);
    s.resize(40, 40);
    let screen = s.until("the question redrawn at 40 columns", |t| {
        count(t, question) == 1
            && count(t, typed_text) == 1
            && open_question(t).all(|l| l.trim_end().chars().count() < 40)
    });
    assert!(screen.contains("? Roughly when"), "{screen}");
    s.resize(40, 120);
    s.until("the question redrawn at 120 columns", |t| {
        count(t, question) == 1 && t.contains(&format!("? {question} › {typed_text}"))
    });
    // Still usable: editing and Enter work as before.
    s.send(&"\x17".repeat(12));
    s.until("the words rubbed out", |t| typed(t, "5 weeks ago"));
    s.send("\r");
    let screen = s.wait("Who ended it?");
    assert_eq!(count(&screen, question), 1, "{screen}");
    assert!(screen.contains("· 5 weeks ago"), "{screen}");
    s.stop();
}

#[test]
fn sigterm_at_a_list_restores_the_cursor() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    answer_the_breakup_date(&mut s);
    s.wait("Who ended it?");
    let start = Instant::now();
    while !s.vt.screen().hide_cursor() {
        assert!(start.elapsed() < TIMEOUT, "the list hides the cursor");
        std::thread::sleep(Duration::from_millis(20));
        s.pump();
    }
    s.p.process_mut().signal(Signal::SIGTERM).unwrap();
    let (status, vt) = s.finish();
    assert!(
        matches!(status, WaitStatus::Exited(_, 130)),
        "stops as Ctrl-C does: {status:?}"
    );
    assert!(!vt.screen().hide_cursor(), "the cursor is shown again");
    assert!(
        vt.screen()
            .contents()
            .contains("Everything already saved is kept")
    );
}

#[test]
fn next_help_names_the_keys() {
    let env = Env::new();
    // Squashed: clap wraps the help to the terminal's width.
    let help = squash(&env.ok(&["next", "--help"], ""));
    for key in [
        "Alt-Enter, Ctrl-J",
        "Up, Down move between the lines of a typed answer",
        "Ctrl-Left, Ctrl-Right",
        "Alt-b, Alt-f",
        "in a typed answer it is Ctrl-C",
        "start a new line",
        "y, n, yes, no",
        "Backspace changes it",
        "Enter, nothing typed",
        "$EDITOR",
        "Ctrl-C",
        "Keys pressed before a list or a yes/no question is on screen are ignored",
        "Keys typed ahead of a typed answer are kept for it",
        "stays one answer with its line breaks",
        "1 then 0, or 0, is 10",
    ] {
        assert!(
            help.contains(key),
            "{key} missing from `next --help`:\n{help}"
        );
    }
}

#[test]
fn a_checklist_at_40_columns_redraws_in_place() {
    let (env, s1) = onboarded();
    let list = &s1.prompts[1];
    assert!(matches!(list.kind, PromptKind::Checklist));
    assert!(
        list.options.iter().any(|o| o.label.len() > 36),
        "some choices are wider than 40 columns with their mark"
    );
    let mut s = Screen::spawn(&env, &["next"], 40, 40);
    s.past_the_check_in(&s1.prompts[0].text);
    s.send("it faded\r");
    let final_choice = list.options.last().unwrap();
    s.wait(&final_choice.label);
    // Down through every choice, ticking each on the way.
    for _ in 0..list.options.len() {
        s.send(" \x1b[B");
    }
    let screen = s.until("every choice ticked", |t| {
        t.matches('✔').count() >= list.options.len()
    });
    for option in &list.options {
        assert_eq!(
            count(&screen, &option.label),
            1,
            "{}:\n{screen}",
            option.label
        );
    }
    for row in s.rows() {
        assert!(row.trim_end().chars().count() <= 40, "{row:?}");
    }
    s.stop();
}

#[test]
fn a_resize_while_a_list_is_open_redraws_it_cleanly() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 100);
    answer_the_breakup_date(&mut s);
    s.wait("We both decided");
    s.resize(30, 40);
    let options = ["I did", "They did", "We both decided", "It's complicated"];
    s.until("the list redrawn at 40 columns", |t| {
        count(t, "Who ended it?") == 1
            && options.iter().all(|o| count(t, o) == 1)
            && open_question(t).all(|l| l.trim_end().chars().count() < 40)
            && t.contains("❯ 1. I did")
    });
    s.resize(30, 90);
    s.until("the list redrawn at 90 columns", |t| {
        count(t, "Who ended it?") == 1 && options.iter().all(|o| count(t, o) == 1)
    });
    s.send("\x1b[B\r");
    let screen = s.wait(NO_CONTACT);
    assert!(screen.contains("✔ Who ended it? · They did"), "{screen}");
    assert_eq!(count(&screen, "We both decided"), 0, "{screen}");
    s.stop();
}

/// The score of the one mood check-in saved, if any.
fn saved_moods(env: &Env) -> Vec<u64> {
    std::fs::read_to_string(env.file("moods.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["score"]
                .as_u64()
                .unwrap()
        })
        .collect()
}

/// At the mood check-in of a second run, Enter alone picks nothing; then `keys` are
/// typed: the marker moves to `marked`, and Enter stores `score`.
fn a_typed_number_on_the_mood_scale(keys: &str, marked: &str, score: u64) {
    let (env, _) = onboarded();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.wait("how are you feeling today");
    s.wait("10 ");
    // Nothing is marked, and Enter alone chooses nothing: no value is made up.
    assert!(!s.text().contains('❯'), "{}", s.text());
    s.send("\r");
    let screen = s.wait("Type a number from 1 to 10");
    assert!(!screen.contains("Anything behind"), "{screen}");
    s.send(keys);
    let mark_row = format!("❯ {marked}");
    s.until(&mark_row.clone(), |t| {
        t.lines()
            .any(|l| l.trim_end() == mark_row || l.starts_with(&format!("{mark_row} ")))
    });
    s.send("\r");
    let screen = s.wait("Anything behind that number?");
    assert!(
        screen.contains(&format!("today? · {score}")),
        "the answer shown is the one typed:\n{screen}"
    );
    s.stop();
    assert_eq!(saved_moods(&env), [score]);
}

#[test]
fn a_typed_2_on_a_scale_is_the_2_stored() {
    a_typed_number_on_the_mood_scale("2", "2", 2);
}

#[test]
fn a_typed_1_then_0_on_a_scale_is_the_10_stored() {
    a_typed_number_on_the_mood_scale("10", "10", 10);
}

#[test]
fn a_typed_1_and_enter_at_once_on_a_scale_is_the_1_stored() {
    let (env, _) = onboarded();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.wait("how are you feeling today");
    s.wait("10 ");
    s.send("1\r");
    s.wait("Anything behind that number?");
    s.stop();
    assert_eq!(saved_moods(&env), [1]);
}

#[test]
fn digits_and_j_k_move_in_a_numbered_list() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    answer_the_breakup_date(&mut s);
    s.wait("4. It's complicated");
    s.send("3");
    s.until("the marker on 3", |t| t.contains("❯ 3. We both decided"));
    s.send("k");
    s.until("the marker on 2", |t| t.contains("❯ 2. They did"));
    s.send("jj");
    s.until("the marker on 4", |t| t.contains("❯ 4. It's complicated"));
    s.send("1\r");
    let screen = s.wait(NO_CONTACT);
    assert!(screen.contains("✔ Who ended it? · I did"), "{screen}");
    s.stop();
}

#[test]
fn a_burst_across_an_enter_becomes_one_answer_and_nothing_is_lost() {
    let (env, s1) = onboarded();
    let (q1, q2) = (&s1.prompts[0], &s1.prompts[1]);
    assert!(matches!(q2.kind, PromptKind::Checklist), "a list follows");
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    // Typed ahead in one burst: the second line must not be lost to the list after.
    s.send("third answer\rfourth answer\r");
    s.wait(&q2.options[0].label);
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), "third answer\nfourth answer");
}

#[test]
fn a_paste_without_bracketed_paste_keeps_every_line_and_waits_for_enter() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    s.send("line one\rline two\r\nline three");
    let screen = s.until("the paste on three rows", |t| {
        t.lines().any(|l| l.trim_end() == "  line two")
            && t.lines().any(|l| l.trim_end() == "  line three")
    });
    assert!(!screen.contains(&s1.prompts[1].text), "{screen}");
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), "line one\nline two\nline three");
}

#[test]
fn crlf_in_a_bracketed_paste_is_one_line_break() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    s.send("\x1b[200~one\r\ntwo\r\n\r\nthree\x1b[201~");
    s.until("the paste shown", |t| {
        t.lines().any(|l| l.trim_end() == "  three")
    });
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), "one\ntwo\n\nthree");
}

#[test]
fn keys_typed_ahead_of_a_text_question_are_kept_for_it() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    to_no_contact(&mut s);
    s.send("n\r");
    s.wait(UNSAFE);
    s.send("n\r");
    s.wait("practical things");
    // The last yes/no answered and the first words of the next question, at once.
    s.send("n\rwords typed ahead");
    s.until("the words typed ahead in the next question", |t| {
        typed(t, "words typed ahead")
    });
    s.send("\r");
    let wb = workbook();
    s.wait(&wb.step(1).unwrap().prompts[1].text);
    s.stop();
    assert_eq!(
        saved_answer(&env, &wb.step(1).unwrap().prompts[0].id),
        "words typed ahead"
    );
}

/// The first questions answered line by line in a terminal where exback must not draw
/// (`setup` changes the command: TERM, --plain, EXBACK_PLAIN), then Ctrl-C: not one
/// escape code is written, and every answer is kept.
fn a_plain_conversation(setup: impl Fn(&mut Command)) {
    let env = Env::new();
    let mut cmd = env.cmd(&["next"]);
    setup(&mut cmd);
    let mut s = Screen::spawn_cmd(&cmd, 30, 60);
    s.wait("Roughly when did the relationship end?");
    s.send("5 weeks ago\r");
    s.wait("2. They did");
    s.send("2\r");
    s.wait(NO_CONTACT);
    s.send("n\r");
    s.wait(UNSAFE);
    s.send("n\r");
    s.wait("practical things");
    s.send("n\r");
    let wb = workbook();
    let s1 = wb.step(1).unwrap();
    let q1 = &s1.prompts[0];
    s.wait(&q1.text);
    s.send("in my own words\r");
    s.wait(&s1.prompts[1].text);
    s.p.send_control('c').unwrap();
    let (status, vt, raw) = s.finish_raw();
    assert!(
        matches!(status, WaitStatus::Exited(_, 130)),
        "Ctrl-C stops: {status:?}"
    );
    let escapes = raw.split(|b| *b == 0x1b).count() - 1;
    assert_eq!(
        escapes,
        0,
        "escape codes written:\n{}",
        String::from_utf8_lossy(&raw).replace('\x1b', "^[")
    );
    assert!(
        vt.screen()
            .contents()
            .contains("Everything already saved is kept")
    );
    assert_eq!(saved_answer(&env, &q1.id), "in my own words");
    let progress = std::fs::read_to_string(env.file("progress.json")).unwrap();
    assert!(progress.contains("\"no_contact\": false"), "{progress}");
}

#[test]
fn term_dumb_gets_a_plain_conversation_without_escape_codes() {
    a_plain_conversation(|cmd| {
        cmd.env("TERM", "dumb");
    });
}

#[test]
fn no_term_gets_a_plain_conversation_without_escape_codes() {
    a_plain_conversation(|cmd| {
        cmd.env_remove("TERM");
    });
}

#[test]
fn the_plain_flag_gets_a_plain_conversation_without_escape_codes() {
    a_plain_conversation(|cmd| {
        cmd.env("TERM", "xterm-256color").arg("--plain");
    });
}

#[test]
fn exback_plain_gets_a_plain_conversation_without_escape_codes() {
    a_plain_conversation(|cmd| {
        cmd.env("TERM", "xterm-256color").env("EXBACK_PLAIN", "1");
    });
}

/// The cell just left of the cursor shows `text`: the cursor is right after it.
fn cursor_after(s: &Screen, text: &str) -> bool {
    let screen = s.vt.screen();
    let (row, col) = screen.cursor_position();
    col > 0
        && screen
            .cell(row, col - 1)
            .is_some_and(|c| c.contents() == text)
}

/// Types and edits emoji and accents at `cols` columns; what is saved is what was meant.
fn graphemes_at(cols: u16) {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, cols);
    s.past_the_check_in(&q1.text);
    // A family is one step of the cursor: Left Left lands before it, not inside.
    s.send("a👩‍👩‍👧b");
    s.wait("b");
    s.send("\x1b[D\x1b[DX");
    s.until("X before the family", |t| t.contains("aX👩"));
    s.pump();
    assert!(cursor_after(&s, "X"), "{}", s.text());
    // One Backspace takes a whole flag.
    s.send("\x1b[F 🇯🇵");
    s.wait("🇯🇵");
    s.send("\x7f");
    s.until("the flag gone", |t| !t.contains('🇯') && !t.contains('🇵'));
    // A heart with VS16, then a letter typed between two of them.
    s.send("❤️❤️\x1b[DY");
    s.until("Y between the hearts", |t| t.contains("Y❤"));
    s.pump();
    assert!(cursor_after(&s, "Y"), "{}", s.text());
    // A combining accent: one Left goes before the letter, one Right after it.
    s.send("\x1b[F e\u{301}\x1b[D\x1b[CZ");
    s.until("Z after the accented e", |t| t.contains('Z'));
    s.pump();
    assert!(cursor_after(&s, "Z"), "{}", s.text());
    // A long run of hearts wraps within the width.
    s.send(&" ❤️".repeat(40));
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    for row in s.rows() {
        assert!(
            row.trim_end().chars().filter(|c| *c != '\u{fe0f}').count() < usize::from(cols),
            "{row:?}"
        );
    }
    s.stop();
    assert_eq!(
        saved_answer(&env, &q1.id),
        format!("aX👩‍👩‍👧b ❤️Y❤️ e\u{301}Z{}", " ❤️".repeat(40)).as_str()
    );
}

#[test]
fn graphemes_are_edited_whole_at_40_columns() {
    graphemes_at(40);
}

#[test]
fn graphemes_are_edited_whole_at_80_columns() {
    graphemes_at(80);
}

#[test]
fn up_down_home_end_and_word_moves_edit_a_multi_line_answer() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    s.send("one two three\nfour five");
    s.until("two rows", |t| {
        t.lines().any(|l| l.trim_end() == "  four five")
    });
    // Up to the first line, Home, a word right, then typed there.
    s.send("\x1b[A\x1b[H\x1b[1;5C!");
    s.until("! after one", |t| t.contains("one! two"));
    // Alt-f twice and Alt-b once: before "three"; End of the line; Down; Home.
    s.send("\x1bf\x1bf\x1bb^\x1b[F.\x1b[B\x1b[H>");
    s.until("the edits", |t| {
        t.contains("one! two ^three.") && t.lines().any(|l| l.trim_end() == "  >four five")
    });
    // Ctrl-Left back over a word, then Ctrl-W deletes the one before it.
    s.send("\x1b[F\x1b[1;5D\x17");
    s.until("four deleted", |t| {
        t.lines().any(|l| l.trim_end() == "  five")
    });
    s.send("\r");
    s.wait(&s1.prompts[1].text);
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), "one! two ^three.\nfive");
}

#[test]
fn esc_in_a_text_question_stops_like_ctrl_c_and_saves_nothing_half_typed() {
    let (env, s1) = onboarded();
    let q1 = &s1.prompts[0];
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    s.past_the_check_in(&q1.text);
    s.send("half a thought");
    s.until("typed", |t| typed(t, "half a thought"));
    s.send("\x1b");
    let (status, vt) = s.finish();
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    assert!(
        vt.screen()
            .contents()
            .contains("Everything already saved is kept")
    );
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap_or_default();
    assert!(!journal.contains("half a thought"), "{journal}");
}

#[test]
fn a_tall_answer_scrolls_within_its_question_and_is_kept_once() {
    let (env, s1) = onboarded();
    let (q1, q2) = (&s1.prompts[0], &s1.prompts[1]);
    let (rows, cols) = (30, 40);
    let mut s = Screen::spawn_with_scrollback(&env, &["next"], rows, cols);
    s.past_the_check_in(&q1.text);
    let answer = long_answer(3_000);
    let letters: Vec<char> = answer.chars().collect();
    for piece in letters.chunks(250) {
        let piece: String = piece.iter().collect();
        s.send(&format!("\x1b[200~{piece}\x1b[201~"));
    }
    let tail: String = answer.chars().skip(answer.chars().count() - 12).collect();
    s.wait(&tail);
    // The keys are on screen, right under the row being typed on.
    let hint = "take your time";
    let cursor_is_above_the_keys = |s: &Screen| {
        let rows = s.rows();
        let (row, _) = s.vt.screen().cursor_position();
        rows.iter()
            .skip(usize::from(row) + 1)
            .take(3)
            .any(|r| r.contains(hint))
    };
    s.pump();
    assert!(cursor_is_above_the_keys(&s), "{}", s.text());
    assert_eq!(
        s.around_cursor().0,
        tail.chars().last().unwrap().to_string()
    );

    // Home: the start of the answer, on screen, with the cursor on its first letter.
    s.send("\x1b[H");
    s.until("the start of the answer", |t| t.contains("› w0 w1x"));
    s.pump();
    assert_eq!(s.around_cursor().1, "w", "{}", s.text());
    assert!(
        cursor_is_above_the_keys(&s) || s.text().contains(hint),
        "{}",
        s.text()
    );
    s.send("START ");
    s.until("typed at the start", |t| squash(t).contains("› START w0"));
    s.pump();
    assert_eq!(s.around_cursor().1, "w", "{}", s.text());
    assert!(
        s.text().contains(hint),
        "the keys stay on screen:\n{}",
        s.text()
    );

    // End: back at the end, typing there.
    s.send("\x1b[F END");
    s.until("typed at the end", |t| t.contains(" END"));
    s.pump();
    assert_eq!(s.around_cursor().0, "D");
    assert!(cursor_is_above_the_keys(&s), "{}", s.text());
    for row in s.rows() {
        assert!(
            row.trim_end().chars().count() < usize::from(cols),
            "{row:?}"
        );
    }

    s.send("\r");
    s.wait(&q2.text);
    let whole = squash(&s.transcript().join("\n"));
    let saved = format!("START {answer} END");
    assert_eq!(whole.matches(&squash(&saved)).count(), 1, "{whole}");
    assert_eq!(whole.matches(&squash(&q1.text)).count(), 1, "{whole}");
    assert_eq!(
        whole.matches(hint).count(),
        0,
        "the keys go once answered: {whole}"
    );
    s.stop();
    assert_eq!(saved_answer(&env, &q1.id), saved.as_str());
}

#[test]
fn a_resize_redraws_only_the_question_and_earlier_answers_stay() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 80);
    answer_the_breakup_date(&mut s);
    s.wait("Who ended it?");
    s.send("2\r");
    s.wait(NO_CONTACT);
    s.send("n");
    s.until("the typed n", |t| typed(t, "n"));
    let earlier = ["✔ Who ended it? · They did", "✔ Roughly when did the"];
    for (rows, cols) in [(30, 60), (30, 100), (24, 44)] {
        s.resize(rows, cols);
        let screen = s.until(&format!("the question redrawn at {cols} columns"), |t| {
            count(t, NO_CONTACT) == 1
                && open_question(t).all(|l| l.trim_end().chars().count() < usize::from(cols))
                && typed(t, "n")
        });
        for answer in earlier {
            assert!(
                screen.contains(answer),
                "{cols} columns: an earlier answer is gone:\n{screen}"
            );
        }
    }
    s.send("\r");
    let screen = s.wait(UNSAFE);
    assert_eq!(count(&screen, NO_CONTACT), 1, "{screen}");
    assert!(screen.contains("✔ Who ended it? · They did"), "{screen}");
    s.stop();
}

/// The screen's rows, one a line, as the terminal shows them: a row the terminal
/// wrapped on its own is two lines here (`contents` would join them).
fn screen_rows(vt: &vt100::Parser) -> String {
    let (_, cols) = vt.screen().size();
    vt.screen()
        .rows(0, cols.get())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words of `text` stand whole, in order, among the words of `screen`'s rows: no
/// word of it is cut at the end of a row.
fn words_whole(screen: &str, text: &str) -> bool {
    let shown: Vec<&str> = screen.lines().flat_map(str::split_whitespace).collect();
    let wanted: Vec<&str> = text.split_whitespace().collect();
    shown.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

#[test]
fn the_ctrl_c_message_wraps_at_word_boundaries_at_40_columns() {
    let env = Env::new();
    let mut s = Screen::spawn(&env, &["next"], 30, 40);
    s.wait("Roughly when did");
    let (status, vt) = s.stop();
    assert!(matches!(status, WaitStatus::Exited(_, 130)));
    let screen = screen_rows(&vt);
    assert!(
        words_whole(&screen, "Stopped. Everything already saved is kept."),
        "{screen}"
    );
}

#[test]
fn line_mode_prompts_wrap_at_word_boundaries_at_50_columns() {
    let (env, s1) = onboarded();
    let mut cmd = env.cmd(&["next"]);
    cmd.env("TERM", "dumb");
    let mut s = Screen::spawn_cmd(&cmd, 30, 50);
    s.wait("how are you feeling today");
    s.send("\r");
    let q1 = &s1.prompts[0];
    s.wait(&q1.text);
    let screen = screen_rows(&s.vt);
    assert!(words_whole(&screen, &q1.text), "{screen}");
    s.stop();
}

#[test]
fn the_note_under_the_mood_chart_wraps_at_word_boundaries_at_40_columns() {
    let env = Env::new();
    env.ok(&["mood", "6"], "");
    let s = Screen::spawn(&env, &["mood"], 30, 40);
    let (_, vt) = s.finish();
    let screen = screen_rows(&vt);
    for text in [
        "Mood, the last 12 weeks",
        "1 very low, 10 really good",
        "1 check-in on 1 day · average 6.0 · lowest 6 · highest 6",
    ] {
        assert!(words_whole(&screen, text), "{text}:\n{screen}");
    }
}
