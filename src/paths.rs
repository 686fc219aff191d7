//! Where data and content live. The one place that reads `--data-dir`,
//! `EXBACK_DATA_DIR`, `--content-dir` and `EXBACK_CONTENT_DIR`.

use std::ffi::OsString;
use std::path::PathBuf;

/// The data directory: `--data-dir`, else `EXBACK_DATA_DIR`, else the platform's
/// data directory for exback (`$XDG_DATA_HOME/exback` or `~/.local/share/exback` on Linux).
pub fn data_dir(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir);
    }
    if let Some(dir) = non_empty_env("EXBACK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    // Without HOME or XDG_DATA_HOME, exback does not guess where private data should go.
    #[cfg(unix)]
    if non_empty_env("HOME").is_none() && non_empty_env("XDG_DATA_HOME").is_none() {
        anyhow::bail!(
            "cannot tell where to keep your data: neither HOME nor XDG_DATA_HOME is set; \
             choose a folder with --data-dir DIR or EXBACK_DATA_DIR"
        );
    }
    directories::ProjectDirs::from("", "", "exback")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "cannot find a home directory for your data (HOME is not set); \
             choose a folder with --data-dir DIR or EXBACK_DATA_DIR"
            )
        })
}

/// A replacement workbook folder: `--content-dir`, else `EXBACK_CONTENT_DIR`, else none.
pub fn content_dir(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.filter(|d| !d.as_os_str().is_empty())
        .or_else(|| non_empty_env("EXBACK_CONTENT_DIR").map(PathBuf::from))
}

fn non_empty_env(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}
