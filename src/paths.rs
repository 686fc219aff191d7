//! Where data and content live. The one place that reads `--data-dir`,
//! `EXBACK_DATA_DIR`, `--content-dir` and `EXBACK_CONTENT_DIR`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The data directory: `--data-dir`, else `EXBACK_DATA_DIR`, else the platform's
/// data directory for exback (`$XDG_DATA_HOME/exback` or `~/.local/share/exback` on Linux).
/// A path that exists but is not a folder is refused, naming where it came from.
pub(crate) fn data_dir(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return folder(dir, "--data-dir");
    }
    if let Some(dir) = non_empty_env("EXBACK_DATA_DIR") {
        return folder(PathBuf::from(dir), "EXBACK_DATA_DIR");
    }
    // Without HOME or an absolute XDG_DATA_HOME, exback does not guess where private data
    // should go. A relative XDG_DATA_HOME counts as unset, as the XDG spec says; the
    // platform crate would then fall back to the home directory from the user database.
    #[cfg(unix)]
    if non_empty_env("HOME").is_none()
        && non_empty_env("XDG_DATA_HOME").is_none_or(|x| !Path::new(&x).is_absolute())
    {
        anyhow::bail!(
            "cannot tell where to keep your data: HOME is not set, and XDG_DATA_HOME is not \
             set to an absolute path; choose a folder with --data-dir DIR or EXBACK_DATA_DIR"
        );
    }
    let dir = directories::ProjectDirs::from("", "", "exback")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "cannot find a home directory for your data (HOME is not set); \
             choose a folder with --data-dir DIR or EXBACK_DATA_DIR"
            )
        })?;
    folder(dir, "the data directory")
}

/// `dir`, unless it exists and is not a folder.
fn folder(dir: PathBuf, from: &str) -> anyhow::Result<PathBuf> {
    match std::fs::metadata(&dir) {
        Ok(meta) if !meta.is_dir() => anyhow::bail!(
            "{from} is {}, which is a file, not a folder; exback keeps your data in a folder \
             of its own (give a folder that does not exist yet, and exback creates it)",
            dir.display()
        ),
        _ => Ok(dir),
    }
}

/// A replacement workbook folder: `--content-dir`, else `EXBACK_CONTENT_DIR`, else none.
pub(crate) fn content_dir(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.filter(|d| !d.as_os_str().is_empty())
        .or_else(|| non_empty_env("EXBACK_CONTENT_DIR").map(PathBuf::from))
}

fn non_empty_env(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}
