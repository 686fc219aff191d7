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
        from_file(file_var, std::path::Path::new(&file))?
    } else if let Some(command) = std::env::var_os(command_var).filter(|v| !v.is_empty()) {
        from_command(command_var, &command)?
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

/// The longest first line read from a passphrase file or command: far above any real
/// passphrase, so that a file or command that never ends a line cannot fill memory.
const LINE_LIMIT: usize = 64 * 1024;

/// How long a passphrase command's output is waited for once the command itself has
/// ended (a background child it started may hold its output open for ever).
const AFTER_EXIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a passphrase command may go on once it has printed its line.
const STILL_RUNNING: std::time::Duration = std::time::Duration::from_secs(10);

/// The first line of the passphrase file `path`, with a warning on standard error
/// when other users may read the file.
fn from_file(var: &'static str, path: &std::path::Path) -> Result<String, PassphraseError> {
    use std::io::Read as _;
    let file_error = |error| PassphraseError::File { var, error };
    let file = std::fs::File::open(path).map_err(file_error)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = file.metadata().map_err(file_error)?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: the passphrase file {} can be read by other users (mode {:o}); \
                 `chmod 600 {}` keeps it yours",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    let mut bytes = Vec::new();
    file.take(LINE_LIMIT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(file_error)?;
    whole_first_line(&bytes).ok_or(PassphraseError::File {
        var,
        error: std::io::Error::other(format!(
            "its first line is longer than {} KiB",
            LINE_LIMIT / 1024
        )),
    })
}

/// The first line a passphrase command prints. Reading stops at the first line break:
/// a command that leaves a child holding its output open (`pass show x; sleep 600 &`)
/// does not keep exback waiting, and Ctrl-C stops the wait at any time.
fn from_command(var: &'static str, command: &std::ffi::OsStr) -> Result<String, PassphraseError> {
    use std::sync::mpsc;
    let failed = |what: String| PassphraseError::Command { var, what };
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(|e| failed(format!("could not be run ({e})")))?;
    let Some(mut stdout) = child.stdout.take() else {
        return Err(failed("gave no output".into()));
    };
    let (tx, rx) = mpsc::channel();
    let partial = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&partial);
    // The reader ends at a line break, at the end of the output, or past the limit; a
    // reader still blocked when exback has what it needs is left behind, and ends with
    // the process.
    std::thread::spawn(move || {
        use std::io::Read as _;
        let mut buf = [0u8; 4096];
        loop {
            let n = match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let Ok(mut got) = seen.lock() else { break };
            got.extend_from_slice(&buf[..n]);
            if got.contains(&b'\n') || got.len() > LINE_LIMIT {
                break;
            }
        }
        let _ = tx.send(());
    });
    let tick = std::time::Duration::from_millis(50);
    let mut exited_at = None;
    loop {
        if crate::interrupt::requested() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PassphraseError::Cancelled);
        }
        match rx.recv_timeout(tick) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if exited_at.is_none() && matches!(child.try_wait(), Ok(Some(_))) {
            exited_at = Some(std::time::Instant::now());
        }
        // The command has ended but something it started holds its output open: what
        // it printed is all there is.
        if exited_at.is_some_and(|t| t.elapsed() > AFTER_EXIT) {
            break;
        }
    }
    let got = partial.lock().map(|g| g.clone()).unwrap_or_default();
    let too_long = || {
        failed(format!(
            "printed a first line longer than {} KiB",
            LINE_LIMIT / 1024
        ))
    };
    let Some(line) = whole_first_line(&got) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(too_long());
    };
    let printed_at = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| failed(format!("could not be waited for ({e})")))?
        {
            break status;
        }
        if crate::interrupt::requested() || printed_at.elapsed() > STILL_RUNNING {
            let _ = child.kill();
            let _ = child.wait();
            if crate::interrupt::requested() {
                return Err(PassphraseError::Cancelled);
            }
            return Err(failed(format!(
                "printed a line but did not end within {} s",
                STILL_RUNNING.as_secs()
            )));
        }
        std::thread::sleep(tick);
    };
    if !status.success() {
        if crate::interrupt::requested() {
            return Err(PassphraseError::Cancelled);
        }
        return Err(failed(format!("failed ({status})")));
    }
    Ok(line)
}

/// The first line of `bytes`, or `None` when it is longer than [`LINE_LIMIT`].
fn whole_first_line(bytes: &[u8]) -> Option<String> {
    let end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    (end <= LINE_LIMIT).then(|| first_line(&bytes[..end]))
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
