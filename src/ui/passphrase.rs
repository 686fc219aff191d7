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
}

/// The passphrase for `purpose`, from the first source that is set.
pub(crate) fn obtain(purpose: Purpose) -> Result<SecretString, PassphraseError> {
    let (file_var, command_var) = match purpose {
        Purpose::Unlock | Purpose::Set => (FILE_ENV, COMMAND_ENV),
        Purpose::Change => (NEW_FILE_ENV, NEW_COMMAND_ENV),
    };
    let text = if let Some(file) = std::env::var_os(file_var).filter(|v| !v.is_empty()) {
        let limit = crate::limits::PASSPHRASE;
        let bytes =
            crate::limits::read_path(std::path::Path::new(&file), limit).map_err(|error| {
                PassphraseError::File {
                    var: file_var,
                    error,
                }
            })?;
        first_line(&bytes)
    } else if let Some(command) = std::env::var_os(command_var).filter(|v| !v.is_empty()) {
        first_line(&run_command(&command, command_var)?)
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

/// What the passphrase command prints, within [`crate::limits::PASSPHRASE`]: a command
/// that prints more is stopped and refused.
fn run_command(command: &std::ffi::OsStr, var: &'static str) -> Result<Vec<u8>, PassphraseError> {
    let fail = |what: String| PassphraseError::Command { var, what };
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(|e| fail(format!("could not be run ({e})")))?;
    let read = match child.stdout.take() {
        Some(mut out) => crate::limits::read(&mut out, crate::limits::PASSPHRASE),
        None => Ok(Vec::new()),
    };
    if read.is_err() {
        let _ = child.kill();
    }
    let status = child.wait();
    let stdout = read.map_err(|e| fail(format!("could not be read: {e}")))?;
    let status = status.map_err(|e| fail(format!("could not be waited for ({e})")))?;
    if !status.success() {
        return Err(fail(format!("failed ({status})")));
    }
    Ok(stdout)
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

/// Reads one line from the terminal on standard input with echo turned off (and back
/// on afterwards, whatever happens), the prompt on standard error.
fn read_hidden(prompt: &str) -> Result<String, PassphraseError> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    use std::io::{BufRead as _, Write as _};
    let stdin = std::io::stdin();
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let saved = tcgetattr(&stdin).map_err(|_| PassphraseError::Cancelled)?;
    let mut quiet = saved.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    quiet.local_modes.insert(LocalModes::ECHONL);
    tcsetattr(&stdin, OptionalActions::Now, &quiet).map_err(|_| PassphraseError::Cancelled)?;
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = tcsetattr(&stdin, OptionalActions::Now, &saved);
    match read {
        Ok(0) | Err(_) => Err(PassphraseError::Cancelled),
        // Ctrl-C only raises a flag (saves must finish); it still cancels the question.
        Ok(_) if crate::interrupt::requested() => Err(PassphraseError::Cancelled),
        Ok(_) => Ok(first_line(line.as_bytes())),
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
