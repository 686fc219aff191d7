//! How a command's error becomes the way `main` ends ([`Exit::of`]) and what it says
//! on standard error ([`Exit::shown`]). It lives here, at
//! the top of the house beside the commands, because it recognises the errors of the
//! layers below (the store's among them) and wraps to the terminal's width, while [`crate::interrupt`], which defines
//! [`Exit`], sits below them all.

use crate::interrupt::Exit;

impl Exit {
    /// The message as written to standard error: on a terminal, wrapped at word
    /// boundaries to its width, so that no word is cut at the edge.
    pub fn shown(&self) -> Option<String> {
        let message = self.message.as_deref()?;
        if !console::Term::stderr().is_term() {
            return Some(message.to_string());
        }
        let width = crate::ui::style::width();
        // Each line keeps its indent (a list of problems), on its wrapped rows too.
        let wrap = |line: &str| {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            crate::ui::style::wrap(body, width.saturating_sub(indent.len()))
                .lines()
                .map(|row| format!("{indent}{row}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Some(message.split('\n').map(wrap).collect::<Vec<_>>().join("\n"))
    }

    /// How `main` ends after `error`: an [`Exit`] anywhere in the chain as it is, a
    /// closed standard output (`exback log | head`) quietly with 0, anything else
    /// `exback: ...` with 1. A message may quote stored or content-pack text, so it is
    /// made printable.
    pub fn of(error: &anyhow::Error) -> Self {
        if let Some(exit) = error.chain().find_map(|e| e.downcast_ref::<Self>()) {
            return exit.clone();
        }
        if error.chain().any(is_broken_pipe) {
            return Self {
                code: 0,
                message: None,
            };
        }
        Self {
            code: 1,
            message: Some(crate::escapes::printable(&format!("exback: {error:#}")).into_owned()),
        }
    }
}

/// True when `e` is standard output closed under us: an io error, or the store's
/// error that carries one in its message rather than as its source.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let io = e.downcast_ref::<std::io::Error>().or_else(|| {
        match e.downcast_ref::<crate::journal::StoreError>() {
            Some(crate::journal::StoreError::Io { error, .. }) => Some(error),
            _ => None,
        }
    });
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_is_told_the_code_and_the_words() {
        let stopped = anyhow::Error::new(Exit::interrupted_saying("Stopped. Nothing was logged."));
        assert_eq!(
            Exit::of(&stopped.context("while asking")),
            Exit {
                code: 130,
                message: Some("Stopped. Nothing was logged.".into())
            }
        );

        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let closed = anyhow::Error::new(pipe).context("cannot write the export");
        assert_eq!(
            Exit::of(&closed),
            Exit {
                code: 0,
                message: None
            }
        );

        let failed = anyhow::anyhow!("no entry has that id").context("cannot show it");
        assert_eq!(
            Exit::of(&failed),
            Exit {
                code: 1,
                message: Some("exback: cannot show it: no entry has that id".into())
            }
        );
    }

    #[test]
    fn a_closed_output_met_while_the_store_writes_ends_quietly() {
        let closed = crate::journal::StoreError::Io {
            action: "write the export to",
            path: "standard output".into(),
            error: std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        };
        let error = anyhow::Error::new(closed).context("cannot export");
        assert_eq!(
            Exit::of(&error),
            Exit {
                code: 0,
                message: None
            }
        );
    }
}
