//! Long output on a terminal goes through a pager: $PAGER, else `less -R`. Short output,
//! and anything piped, is written straight to stdout.

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
    /// The pager owns the terminal, and its Ctrl-C, until it ends.
    Pager(Child, crate::interrupt::HandOver),
}

/// stdout, paged when it is a terminal and the output is longer than a screen.
pub struct Paged {
    target: Target,
}

impl Paged {
    pub fn stdout() -> Self {
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
        Self { target }
    }

    fn start_pager(buf: &[u8]) -> io::Result<Option<Child>> {
        let pager = std::env::var("PAGER").ok().map(|p| p.trim().to_string());
        let command = match pager.as_deref() {
            Some("" | "cat") => return Ok(None),
            Some(p) => p.to_string(),
            None => "less -R".to_string(),
        };
        let child = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            return Ok(None);
        };
        if let Some(stdin) = child.stdin.as_mut() {
            stdin.write_all(buf)?;
        }
        Ok(Some(child))
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
            Target::Pager(child, _) => {
                drop(child.stdin.take());
                child.wait().map(|_| ())
            }
        }
    }
}

impl Drop for Paged {
    fn drop(&mut self) {
        let _ = self.complete();
    }
}

impl Write for Paged {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Direct(out) => out.write(data),
            Target::Pager(child, _) => match child.stdin.as_mut() {
                Some(stdin) => stdin.write(data),
                None => Ok(data.len()),
            },
            Target::Holding { buf, lines, room } => {
                buf.extend_from_slice(data);
                *lines += memchr::memchr_iter(b'\n', data).count();
                if *lines > *room {
                    let held = std::mem::take(buf);
                    self.target = if let Some(child) = Self::start_pager(&held)? {
                        Target::Pager(child, crate::interrupt::hand_over())
                    } else {
                        let mut out = io::BufWriter::new(io::stdout());
                        out.write_all(&held)?;
                        Target::Direct(out)
                    };
                }
                Ok(data.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Direct(out) => out.flush(),
            Target::Pager(child, _) => child.stdin.as_mut().map_or(Ok(()), Write::flush),
            Target::Holding { .. } => Ok(()),
        }
    }
}
