//! Long output on a terminal goes through a pager: $PAGER, else `less -R`. Short output,
//! and anything piped, is written straight to stdout. A pager that fails (`PAGER=false`,
//! a pager that is not installed) never swallows the output: it is written to stdout
//! instead, with a note on stderr.

use std::io::{self, Write};
use std::process::{Child, Command, Stdio};

use console::Term;

enum Target {
    /// Not a terminal: straight through.
    Direct(io::BufWriter<io::Stdout>),
    /// A terminal: held back until it is clear whether it fits on one screen.
    Holding {
        buf: Vec<u8>,
        lines: usize,
        room: usize,
    },
    /// The pager owns the terminal, and its Ctrl-C, until it ends. What it was given is
    /// kept (up to [`KEEP`]) in case it fails without showing it.
    Pager(Child, crate::interrupt::HandOver, Option<Vec<u8>>),
}

/// A pager that has taken this much has shown that it works.
const KEEP: usize = 8 << 20;

/// stdout, paged when it is a terminal and the output is longer than a screen.
pub(crate) struct Paged {
    target: Target,
    /// The note said when the pager failed (`[pager] failed`, `{pager}` to fill in).
    failed: String,
}

impl Paged {
    /// Paged stdout, with the words of `screens` for a pager that fails.
    pub(crate) fn stdout(screens: &crate::workbook::Screens) -> Self {
        let term = Term::stdout();
        let target = if term.is_term() {
            Target::Holding {
                buf: Vec::new(),
                lines: 0,
                room: usize::from(term.size().0).saturating_sub(1).max(1),
            }
        } else {
            Target::Direct(io::BufWriter::with_capacity(1 << 16, io::stdout()))
        };
        Self {
            target,
            failed: screens.pager.failed.clone(),
        }
    }

    fn start_pager() -> Option<Child> {
        let pager = std::env::var("PAGER").ok().map(|p| p.trim().to_string());
        let command = match pager.as_deref() {
            Some("" | "cat") => return None,
            Some(p) => p.to_string(),
            None => "less -R".to_string(),
        };
        Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn()
            .ok()
    }

    /// Writes what is held back and waits for the pager, if one was started. Done on
    /// drop, where errors (a pager closed early) are let go.
    fn complete(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Direct(out) => out.flush(),
            Target::Holding { buf, .. } => {
                let held = std::mem::take(buf);
                let mut out = io::stdout().lock();
                out.write_all(&held)?;
                out.flush()
            }
            Target::Pager(child, _, kept) => {
                drop(child.stdin.take());
                let failed = pager_failed(child);
                if let Some(text) = kept.take().filter(|_| failed) {
                    fall_back(&self.failed, &text)?;
                }
                Ok(())
            }
        }
    }
}

/// True when the pager ended with an error status (not found, `false`, a bad option).
/// Quitting early (`q` in less) exits 0; a pager killed by a signal is not a failure.
fn pager_failed(child: &mut Child) -> bool {
    child
        .wait()
        .is_ok_and(|status| status.code().is_some_and(|c| c != 0))
}

/// Writes what the pager failed to show to stdout, and says why on stderr with
/// `note` (`{pager}`: the pager's command, quoted).
fn fall_back(note: &str, text: &[u8]) -> io::Result<()> {
    let pager = std::env::var("PAGER").unwrap_or_else(|_| "less".into());
    eprintln!(
        "{}",
        super::style::paint(
            super::Tone::Dim,
            &crate::workbook::fill(note, &[("pager", &format!("{pager:?}"))])
        )
    );
    let mut out = io::stdout().lock();
    out.write_all(text)?;
    out.flush()
}

impl Drop for Paged {
    fn drop(&mut self) {
        let _ = self.complete();
    }
}

impl Paged {
    /// The pager closed its input: if it failed to run, the text it was given is shown
    /// here instead and writing goes on without it.
    fn pager_closed(&mut self, data: &[u8], e: io::Error) -> io::Result<usize> {
        if let Target::Pager(child, _, kept) = &mut self.target {
            drop(child.stdin.take());
            if pager_failed(child)
                && let Some(mut text) = kept.take()
            {
                text.extend_from_slice(data);
                fall_back(&self.failed, &text)?;
                self.target = Target::Direct(io::BufWriter::new(io::stdout()));
                return Ok(data.len());
            }
        }
        Err(e)
    }

    /// Holds output until it is taller than the screen, then hands it to a pager.
    fn hold(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Target::Holding { buf, lines, room } = &mut self.target {
            buf.extend_from_slice(data);
            *lines += memchr::memchr_iter(b'\n', data).count();
            if *lines > *room {
                let held = std::mem::take(buf);
                if let Some(child) = Self::start_pager() {
                    let hand_over = crate::interrupt::hand_over();
                    self.target = Target::Pager(child, hand_over, Some(Vec::new()));
                    self.write_all(&held)?;
                } else {
                    let mut out = io::BufWriter::new(io::stdout());
                    out.write_all(&held)?;
                    self.target = Target::Direct(out);
                }
            }
        }
        Ok(data.len())
    }
}

/// Keeps a copy of what went to the pager, up to [`KEEP`] bytes, to show if it fails.
fn keep_copy(kept: &mut Option<Vec<u8>>, data: &[u8]) {
    if let Some(copy) = kept {
        copy.extend_from_slice(data);
        if copy.len() > KEEP {
            *kept = None;
        }
    }
}

impl Write for Paged {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Direct(out) => out.write(data),
            Target::Pager(child, _, kept) => {
                let written = match child.stdin.as_mut() {
                    Some(stdin) => stdin.write_all(data),
                    None => Ok(()),
                };
                match written {
                    Ok(()) => {
                        keep_copy(kept, data);
                        Ok(data.len())
                    }
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.pager_closed(data, e),
                    Err(e) => Err(e),
                }
            }
            Target::Holding { .. } => self.hold(data),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Direct(out) => out.flush(),
            Target::Pager(child, _, _) => child.stdin.as_mut().map_or(Ok(()), Write::flush),
            Target::Holding { .. } => Ok(()),
        }
    }
}
