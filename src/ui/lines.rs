//! The prompter for piped input: one answer per line on stdin, questions on stderr.
//!
//! Format, one line per question in the order asked:
//! - text: the answer itself; the two characters `\n` stand for a line break;
//! - yes/no: `y`, `yes`, `n` or `no`;
//! - choice and template: the option's number (1 = first) or its exact text;
//!   a template is followed by one more line, its adapted text (empty keeps it as is);
//! - scale: a whole number from 1 to 10;
//! - checklist: numbers separated by commas (`1,3`), or `-` for none.
//!
//! An unusable line is explained on stderr and the next line is read. The end of the
//! input stops, as Esc does on a terminal: everything answered so far is saved. Ctrl-C
//! while waiting for a line (stdin read through [`super::input`]) is `Interrupted`.

use std::io::BufRead;

use super::style::{self, Tone};
use super::{Answer, PromptError, Prompter, Question};
use crate::workbook::fill;
use crate::workbook::screens::PlainWords;

/// Reads answers line by line.
pub(crate) struct LinePrompter<R> {
    input: R,
    err: Box<dyn std::io::Write>,
    blocks: style::Blocks,
    /// The hints and retry sentences (`[plain]`).
    words: PlainWords,
}

impl<R: BufRead> LinePrompter<R> {
    /// Reads answers from `input` and says everything on `err`, with `words`.
    pub(crate) fn new(input: R, err: Box<dyn std::io::Write>, words: PlainWords) -> Self {
        Self {
            input,
            err,
            blocks: style::Blocks::default(),
            words,
        }
    }

    fn say(&mut self, text: &str) {
        let _ = writeln!(self.err, "{text}");
    }

    fn ask(&mut self, q: &Question<'_>, hint: &str) {
        self.blocks.interrupted();
        let text = format!("? {} {hint}", q.text);
        self.say(&style::paint_stderr(Tone::Body, &text, style::width()));
        // The help says things the question leaves out ("if it stays low for days,
        // please reach out"): it is kept here too, as a plain line under the question.
        if let Some(help) = q.help.filter(|h| !h.trim().is_empty()) {
            self.say(&style::paint_stderr(Tone::Dim, help, style::width()));
        }
    }

    fn read(&mut self) -> Answer<String> {
        use std::io::Read as _;
        let limit = crate::limits::ANSWER;
        let mut buf = Vec::new();
        // One byte past the limit is enough to know a line is too long.
        let n = (&mut self.input)
            .take(limit.bytes + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| {
                if crate::limits::stdin::is_interrupted(&e) {
                    PromptError::Interrupted
                } else {
                    PromptError::Io(e)
                }
            })?;
        if n == 0 {
            return Err(PromptError::Stopped);
        }
        if buf.len() as u64 > limit.bytes {
            return Err(PromptError::Io(crate::limits::too_large(limit)));
        }
        let line = String::from_utf8(buf).map_err(|_| {
            PromptError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the input is not valid UTF-8",
            ))
        })?;
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        Ok(line.to_string())
    }

    /// Reads lines until `parse` accepts one, explaining each refusal.
    fn read_until<T>(&mut self, parse: impl Fn(&str) -> Result<T, String>) -> Answer<T> {
        loop {
            let line = self.read()?;
            match parse(line.trim()) {
                Ok(v) => return Ok(v),
                Err(why) => {
                    let retry = fill(&self.words.retry, &[("why", &why)]);
                    self.say(&format!("  {retry}"));
                }
            }
        }
    }
}

/// The option `line` names, by its number or its text; `retry` (with `{n}`, the
/// number of options) when it names none.
fn parse_option(line: &str, options: &[&str], retry: &str) -> Result<usize, String> {
    let refused = || fill(retry, &[("n", &options.len().to_string())]);
    if let Ok(n) = line.parse::<usize>() {
        if (1..=options.len()).contains(&n) {
            return Ok(n - 1);
        }
        return Err(refused());
    }
    options
        .iter()
        .position(|o| o.eq_ignore_ascii_case(line))
        .ok_or_else(refused)
}

fn list(options: &[&str]) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("  {}. {o}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

impl<R: BufRead> Prompter for LinePrompter<R> {
    fn show(&mut self, tone: Tone, text: &str) {
        let text = self.blocks.render(tone, text, style::width());
        self.say(&text);
    }

    fn text(&mut self, q: &Question<'_>) -> Answer<String> {
        let hint = self.words.text.clone();
        self.ask(q, &hint);
        Ok(self.read()?.replace("\\n", "\n"))
    }

    fn long_text(&mut self, q: &Question<'_>) -> Answer<String> {
        let hint = self.words.long_text.clone();
        self.ask(q, &hint);
        Ok(self.read()?.replace("\\n", "\n"))
    }

    fn confirm(&mut self, q: &Question<'_>) -> Answer<bool> {
        let hint = self.words.confirm.clone();
        self.ask(q, &hint);
        let retry = self.words.confirm_retry.clone();
        self.read_until(|l| match l.to_ascii_lowercase().as_str() {
            "y" | "yes" => Ok(true),
            "n" | "no" => Ok(false),
            _ => Err(retry.clone()),
        })
    }

    fn select(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<usize> {
        let hint = self.words.select.clone();
        self.ask(q, &hint);
        self.say(&list(options));
        let retry = self.words.select_retry.clone();
        self.read_until(|l| parse_option(l, options, &retry))
    }

    fn scale(&mut self, q: &Question<'_>, low: &str, high: &str) -> Answer<u8> {
        let hint = fill(&self.words.scale, &[("low", low), ("high", high)]);
        self.ask(q, &hint);
        let retry = self.words.scale_retry.clone();
        self.read_until(|l| match l.parse::<u8>() {
            Ok(n) if (1..=10).contains(&n) => Ok(n),
            _ => Err(retry.clone()),
        })
    }

    fn optional_scale(
        &mut self,
        q: &Question<'_>,
        low: &str,
        high: &str,
        skip: &str,
    ) -> Answer<Option<u8>> {
        let hint = fill(
            &self.words.optional_scale,
            &[("low", low), ("high", high), ("skip", skip)],
        );
        self.ask(q, &hint);
        let retry = self.words.optional_scale_retry.clone();
        self.read_until(|l| match l {
            "" => Ok(None),
            l => match l.parse::<u8>() {
                Ok(n) if (1..=10).contains(&n) => Ok(Some(n)),
                _ => Err(retry.clone()),
            },
        })
    }

    fn checklist(&mut self, q: &Question<'_>, options: &[&str]) -> Answer<Vec<usize>> {
        let hint = self.words.checklist.clone();
        self.ask(q, &hint);
        self.say(&list(options));
        let (retry, choose) = (
            self.words.checklist_retry.clone(),
            self.words.select_retry.clone(),
        );
        self.read_until(|l| {
            if l == "-" {
                return Ok(Vec::new());
            }
            let mut picked = Vec::new();
            for part in l.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let i = parse_option(part, options, &choose)?;
                if !picked.contains(&i) {
                    picked.push(i);
                }
            }
            if picked.is_empty() {
                return Err(retry.clone());
            }
            picked.sort_unstable();
            Ok(picked)
        })
    }

    fn adapt(&mut self, q: &Question<'_>, initial: &str) -> Answer<String> {
        let hint = self.words.adapt.clone();
        self.ask(q, &hint);
        self.say(&format!("  {initial}"));
        let line = self.read()?;
        Ok(if line.trim().is_empty() {
            initial.to_string()
        } else {
            line.replace("\\n", "\n")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> PlainWords {
        crate::workbook::Workbook::embedded()
            .unwrap()
            .screens
            .plain
            .clone()
    }

    fn prompter(input: &str) -> LinePrompter<&[u8]> {
        LinePrompter::new(input.as_bytes(), Box::new(std::io::sink()), words())
    }

    #[test]
    fn reads_each_kind() {
        let q = Question::new("q");
        let mut p = prompter("hello\\nworld\nmaybe\nyes\n3\n0\n10\n2, 1\nsecond\n");
        assert_eq!(p.long_text(&q).unwrap(), "hello\nworld");
        assert!(p.confirm(&q).unwrap());
        assert_eq!(p.select(&q, &["a", "b", "c"]).unwrap(), 2);
        assert_eq!(p.scale(&q, "lo", "hi").unwrap(), 10);
        assert_eq!(p.checklist(&q, &["a", "b"]).unwrap(), vec![0, 1]);
        assert_eq!(p.select(&q, &["first", "Second"]).unwrap(), 1);
        assert!(matches!(p.text(&q), Err(PromptError::Stopped)));
    }

    #[test]
    fn an_optional_scale_takes_a_number_or_an_empty_line() {
        let q = Question::new("q");
        let mut p = prompter("11\n4\n\n");
        assert_eq!(p.optional_scale(&q, "lo", "hi", "skip").unwrap(), Some(4));
        assert_eq!(p.optional_scale(&q, "lo", "hi", "skip").unwrap(), None);
        assert!(matches!(
            p.optional_scale(&q, "lo", "hi", "skip"),
            Err(PromptError::Stopped)
        ));
    }

    #[test]
    fn a_questions_help_is_kept_as_a_plain_line_under_it() {
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut p = LinePrompter::new(&b"5\n"[..], Box::new(Shared(out.clone())), words());
        let q = Question::with_help(
            "How are you holding up?",
            Some("If it stays low for days, please reach out."),
        );
        assert_eq!(p.scale(&q, "hard", "okay").unwrap(), 5);
        let said = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        let question = said.find("How are you holding up?").unwrap();
        let help = said
            .find("If it stays low for days, please reach out.")
            .unwrap();
        assert!(question < help, "{said}");
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let bytes: &[u8] = b"\xff\xfe\n";
        let mut p = LinePrompter::new(bytes, Box::new(std::io::sink()), words());
        assert!(matches!(
            p.text(&Question::new("q")),
            Err(PromptError::Io(_))
        ));
    }
}
