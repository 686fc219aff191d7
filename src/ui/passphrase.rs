//! Where the passphrase of an encrypted data directory comes from: the file named by
//! `EXBACK_PASSPHRASE_FILE` (its first line), the first line printed by
//! `EXBACK_PASSPHRASE_COMMAND` (run with `sh -c`, for password managers), or the
//! terminal (typed without echo; twice when a new one is set).

use std::io::IsTerminal as _;

use age::secrecy::SecretString;

use crate::workbook::screens::PassphraseWords;

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
    /// The built-in words of the prompt could not be read (a broken build).
    #[error("cannot ask for the passphrase: {0}")]
    Words(#[from] crate::workbook::ContentError),
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

/// How long a passphrase command's output is waited for once the command itself has
/// ended (a background child it started may hold its output open for ever).
const AFTER_EXIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a passphrase command may go on once it has printed its line.
const STILL_RUNNING: std::time::Duration = std::time::Duration::from_secs(10);

/// The first line of the passphrase file `path` (read within
/// [`crate::limits::PASSPHRASE`]), with a warning on standard error when other users
/// may read the file.
fn from_file(var: &'static str, path: &std::path::Path) -> Result<String, PassphraseError> {
    let bytes = crate::limits::read_path(path, crate::limits::PASSPHRASE)
        .map_err(|error| PassphraseError::File { var, error })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "warning: the passphrase file {} can be read by other users (mode {:o}); \
                 `chmod 600 {}` keeps it yours",
                crate::escapes::printable(&path.display().to_string()),
                meta.permissions().mode() & 0o777,
                crate::escapes::printable(&path.display().to_string())
            );
        }
    }
    Ok(first_line(&bytes))
}

/// The first line a passphrase command prints (within [`crate::limits::PASSPHRASE`]).
/// A command that leaves a child holding its output open (`pass show x; sleep 600 &`)
/// does not keep exback waiting: once the command has ended, what it printed is taken.
/// A command that prints without end is stopped past the limit, one that goes on after
/// its line is stopped after [`STILL_RUNNING`], and Ctrl-C stops the wait at any time.
fn from_command(var: &'static str, command: &std::ffi::OsStr) -> Result<String, PassphraseError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
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
    let limit = usize::try_from(crate::limits::PASSPHRASE.bytes).unwrap_or(usize::MAX);
    let got = Arc::new(Mutex::new(Vec::new()));
    let ended = Arc::new(AtomicBool::new(false));
    // The reader stops at the end of the output or past the limit; one still blocked
    // when exback has what it needs is left behind, and ends with the process.
    {
        let (got, ended) = (Arc::clone(&got), Arc::clone(&ended));
        std::thread::spawn(move || {
            read_output(&mut stdout, limit, &got);
            ended.store(true, Ordering::SeqCst);
        });
    }
    let stop = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
    };
    let (mut exited_at, mut line_at) = (None, None);
    let status = loop {
        if crate::interrupt::requested() {
            stop(&mut child);
            return Err(PassphraseError::Cancelled);
        }
        let (len, has_line) = got
            .lock()
            .map(|g| (g.len(), g.contains(&b'\n')))
            .unwrap_or_default();
        if len > limit {
            stop(&mut child);
            return Err(failed(
                crate::limits::TooLarge(crate::limits::PASSPHRASE).to_string(),
            ));
        }
        let status = child
            .try_wait()
            .map_err(|e| failed(format!("could not be waited for ({e})")))?;
        if let Some(status) = status {
            let since = *exited_at.get_or_insert_with(Instant::now);
            if ended.load(Ordering::SeqCst) || since.elapsed() > AFTER_EXIT {
                break status;
            }
        } else if has_line && line_at.get_or_insert_with(Instant::now).elapsed() > STILL_RUNNING {
            stop(&mut child);
            return Err(failed(format!(
                "printed a line but did not end within {} s",
                STILL_RUNNING.as_secs()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    if !status.success() {
        if crate::interrupt::requested() {
            return Err(PassphraseError::Cancelled);
        }
        return Err(failed(format!("failed ({status})")));
    }
    let got = got.lock().map(|g| g.clone()).unwrap_or_default();
    Ok(first_line(&got))
}

/// Reads a command's output into `got` until it ends or holds more than `limit` bytes.
fn read_output(
    stdout: &mut std::process::ChildStdout,
    limit: usize,
    got: &std::sync::Mutex<Vec<u8>>,
) {
    use std::io::Read as _;
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = stdout.read(&mut buf) {
        let Ok(mut got) = got.lock() else { break };
        got.extend_from_slice(&buf[..n]);
        if got.len() > limit {
            break;
        }
    }
}

fn first_line(bytes: &[u8]) -> String {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}

/// The prompt that asks for the passphrase, and the one that asks for it again
/// (`None`: asked once, to unlock).
fn prompts(purpose: Purpose, words: &PassphraseWords) -> (&str, Option<&str>) {
    let again = Some(words.again.as_str());
    match purpose {
        Purpose::Unlock => (&words.unlock, None),
        Purpose::Set => (&words.set, again),
        Purpose::Change => (&words.change, again),
    }
}

/// Asks on the terminal, with the built-in words (`[passphrase]`): the passphrase is
/// asked before any content folder is read, and for commands that read none.
fn ask(purpose: Purpose) -> Result<String, PassphraseError> {
    let words = crate::workbook::Workbook::embedded_screens()?.passphrase;
    let (first, again) = prompts(purpose, &words);
    let pass = read_hidden(first)?;
    if let Some(again) = again.filter(|_| !pass.is_empty()) {
        let again = read_hidden(again)?;
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

    #[test]
    fn each_purpose_asks_with_its_own_words() {
        let mut words = crate::workbook::Workbook::embedded()
            .unwrap()
            .screens
            .passphrase;
        assert_eq!(prompts(Purpose::Unlock, &words), ("Passphrase: ", None));
        words.set = "Pick one: ".into();
        words.change = "The new one: ".into();
        words.again = "Once more: ".into();
        assert_eq!(prompts(Purpose::Unlock, &words).1, None);
        assert_eq!(
            prompts(Purpose::Set, &words),
            ("Pick one: ", Some("Once more: "))
        );
        assert_eq!(
            prompts(Purpose::Change, &words),
            ("The new one: ", Some("Once more: "))
        );
    }
}
