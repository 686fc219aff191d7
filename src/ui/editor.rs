//! Long text in the user's own editor ($VISUAL, else $EDITOR).
//!
//! The file lives in a private (0700) temporary folder that is removed afterwards, on
//! a memory file system where there is one ($XDG_RUNTIME_DIR, else /dev/shm), so the
//! text (which may come from an encrypted journal) never reaches a disk there.
//! Lines starting with `#` at the top are a header (the prompt and its help) and are
//! stripped from the result.

use std::path::Path;
use std::process::Command;

/// The editor command from $VISUAL or $EDITOR, if either is set.
pub(crate) fn configured() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// Why the editor gave no text.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EditorError {
    #[error(
        "no editor is set: set VISUAL or EDITOR (for example EDITOR=nano), or give the text as an argument"
    )]
    NotSet,
    #[error("cannot prepare a private file for the editor: {0}")]
    Io(#[from] std::io::Error),
    #[error("the editor ({0}) did not finish successfully; nothing was saved")]
    Failed(String),
    #[error("the file is not valid UTF-8; nothing was saved")]
    NotUtf8,
    #[error("cannot read what the editor saved: {0}; nothing was saved")]
    Read(std::io::Error),
}

/// Opens `initial` (below a `#` comment `header`) in the editor and returns what was
/// written, header stripped and trimmed. An empty result is `Ok("")`.
pub(crate) fn edit(header: &str, note: &str, initial: &str) -> Result<String, EditorError> {
    let editor = configured().ok_or(EditorError::NotSet)?;
    let dir = tempfile::Builder::new()
        .prefix("exback-")
        .tempdir_in(private_temp_root())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    }
    let path = dir.path().join("entry.md");
    let mut text = String::new();
    for line in header.lines() {
        text.push_str("# ");
        text.push_str(line);
        text.push('\n');
    }
    if !header.is_empty() {
        text.push_str("# ");
        text.push_str(note);
        text.push_str("\n\n");
    }
    text.push_str(initial);
    write_private(&path, text.as_bytes())?;
    run(&editor, &path)?;
    let bytes =
        crate::limits::read_path(&path, crate::limits::ANSWER).map_err(EditorError::Read)?;
    let written = String::from_utf8(bytes).map_err(|_| EditorError::NotUtf8)?;
    Ok(strip_header(&written))
}

/// Where the editor's folder goes: $XDG_RUNTIME_DIR (the user's own tmpfs) or /dev/shm
/// when they are folders, else the usual temporary folder.
fn private_temp_root() -> std::path::PathBuf {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from);
    runtime
        .into_iter()
        .chain(std::iter::once(std::path::PathBuf::from("/dev/shm")))
        .find(|p| p.is_absolute() && p.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    crate::journal::private_options()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// Runs the editor through the shell, so that settings like `code --wait` work. The
/// shell `exec`s it: a shell left waiting in between would die of the Ctrl-C the editor
/// ignores, and exback would take the editor for failed while it is still open.
fn run(editor: &str, path: &Path) -> Result<(), EditorError> {
    let _editor_owns_ctrl_c = crate::interrupt::hand_over();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {editor} \"$1\""))
        .arg("exback-editor")
        .arg(path)
        .status()
        .map_err(|e| EditorError::Failed(format!("{editor}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(EditorError::Failed(editor.to_string()))
    }
}

/// Drops the leading `#` header lines and surrounding blank space.
pub(crate) fn strip_header(text: &str) -> String {
    let body: Vec<&str> = text.lines().skip_while(|l| l.starts_with('#')).collect();
    body.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_stripped_and_the_rest_kept() {
        let text = "# Question?\n# help\n\nFirst line\n# not a header any more\n\n";
        assert_eq!(strip_header(text), "First line\n# not a header any more");
    }
}
