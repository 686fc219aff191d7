//! Where the passphrase of an encrypted data directory comes from: the file named by
//! `EXBACK_PASSPHRASE_FILE` (its first line), the first line printed by
//! `EXBACK_PASSPHRASE_COMMAND` (run with `sh -c`, for password managers), or the
//! terminal (typed without echo; twice when a new one is set).

use std::io::IsTerminal as _;

use age::secrecy::SecretString;

/// Names the file whose first line is the passphrase.
pub(crate) const FILE_ENV: &str = "EXBACK_PASSPHRASE_FILE";
/// Names a command whose first printed line is the passphrase.
pub(crate) const COMMAND_ENV: &str = "EXBACK_PASSPHRASE_COMMAND";
/// The same two, for the new passphrase of `exback passphrase` in scripts.
pub(crate) const NEW_FILE_ENV: &str = "EXBACK_NEW_PASSPHRASE_FILE";
pub(crate) const NEW_COMMAND_ENV: &str = "EXBACK_NEW_PASSPHRASE_COMMAND";

/// What the passphrase is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Unlocking an encrypted directory (asked once).
    Unlock,
    /// Setting the passphrase (`encrypt`): asked twice on a terminal.
    Set,
    /// The new passphrase of `exback passphrase`: its own variables, asked twice.
    Change,
}

/// Why no passphrase could be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PassphraseError {
    #[error(
        "this needs the passphrase of your encrypted journal, and there is no terminal to ask it on. \
         Put it on the first line of a private file and set {file}=that-file, or set {command} \
         to a command that prints it (for example a password manager)"
    )]
    NoSource {
        file: &'static str,
        command: &'static str,
    },
    #[error("cannot read the passphrase file named by {var}: {error}")]
    File {
        var: &'static str,
        error: std::io::Error,
    },
    #[error("the passphrase command in {var} {what}")]
    Command { var: &'static str, what: String },
    #[error("the passphrase is empty; nothing was changed")]
    Empty,
    #[error("the two passphrases differ; nothing was changed")]
    Mismatch,
    #[error("the passphrase was not given; nothing was changed")]
    Cancelled,
    /// Ctrl-C or SIGTERM at the prompt: the command stops with 130.
    #[error("stopped at the passphrase prompt")]
    Interrupted(#[source] crate::interrupt::Exit),
}

/// The passphrase for `purpose`, from the first source that is set.
pub(crate) fn obtain(purpose: Purpose) -> Result<SecretString, PassphraseError> {
    let (file_var, command_var) = match purpose {
        Purpose::Unlock | Purpose::Set => (FILE_ENV, COMMAND_ENV),
        Purpose::Change => (NEW_FILE_ENV, NEW_COMMAND_ENV),
    };
    let text = if let Some(file) = std::env::var_os(file_var).filter(|v| !v.is_empty()) {
        let bytes = std::fs::read(&file).map_err(|error| PassphraseError::File {
            var: file_var,
            error,
        })?;
        first_line(&bytes)
    } else if let Some(command) = std::env::var_os(command_var).filter(|v| !v.is_empty()) {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(std::process::Stdio::inherit())
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| PassphraseError::Command {
                var: command_var,
                what: format!("could not be run ({e})"),
            })?;
        if !output.status.success() {
            return Err(PassphraseError::Command {
                var: command_var,
                what: format!("failed ({})", output.status),
            });
        }
        first_line(&output.stdout)
    } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        ask(purpose)?
    } else {
        return Err(PassphraseError::NoSource {
            file: file_var,
            command: command_var,
        });
    };
    if text.is_empty() {
        return Err(PassphraseError::Empty);
    }
    Ok(SecretString::from(text))
}

/// True when a passphrase can be had without asking on the terminal.
pub(crate) fn given_without_terminal() -> bool {
    [FILE_ENV, COMMAND_ENV]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()))
}

fn first_line(bytes: &[u8]) -> String {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}

fn ask(purpose: Purpose) -> Result<String, PassphraseError> {
    let first = match purpose {
        Purpose::Unlock => "Passphrase: ",
        Purpose::Set => "Choose a passphrase: ",
        Purpose::Change => "New passphrase: ",
    };
    let pass = read_hidden(first)?;
    if purpose != Purpose::Unlock && !pass.is_empty() {
        let again = read_hidden("Type it again: ")?;
        if again != pass {
            return Err(PassphraseError::Mismatch);
        }
    }
    Ok(pass)
}

/// Reads one line from the terminal on standard input without echo (the prompt on
/// standard error), through the same key reader as every answer, so that Ctrl-C and
/// SIGTERM stop at once and the terminal's modes are put back whatever happens.
fn read_hidden(prompt: &str) -> Result<String, PassphraseError> {
    use std::io::Write as _;
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let typed = super::input::hidden_line();
    let _ = writeln!(err);
    match typed {
        Ok(line) => Ok(line),
        Err(super::PromptError::Interrupted) => Err(PassphraseError::Interrupted(
            crate::interrupt::Exit::interrupted(),
        )),
        Err(_) => Err(PassphraseError::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_line_counts() {
        assert_eq!(first_line(b"secret words\nsecond\n"), "secret words");
        assert_eq!(first_line(b"crlf\r\nnext"), "crlf");
        assert_eq!(first_line(b""), "");
    }
}
