//! `exback content export|check`: content packs, the workbook as files.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::{ContentArgs, ContentCommand};
use crate::paths;
use crate::workbook::{Workbook, fill};

use super::Context;

pub(crate) fn run(ctx: &Context, args: &ContentArgs) -> anyhow::Result<()> {
    match &args.command {
        ContentCommand::Export { dir, force } => export(ctx, dir, *force),
        ContentCommand::Check { dir } => check(dir),
    }
}

/// The folder as the file system resolves it, or as given if it does not exist yet
/// (its nearest existing parent resolved, the rest added back).
fn resolved(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut probe = path.to_path_buf();
    loop {
        if let Ok(real) = probe.canonicalize() {
            return missing.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (probe.parent(), probe.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                probe = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Refuses a target folder that is, or is inside, the data directory: a content pack
/// written there could replace a data file.
fn check_target(ctx: &Context, dir: &Path) -> anyhow::Result<()> {
    let Ok(data) = paths::data_dir(ctx.data_dir.clone()) else {
        return Ok(());
    };
    let (data, target) = (resolved(&data), resolved(dir));
    if target.starts_with(&data) {
        anyhow::bail!(
            "{} is inside exback's data directory ({}); nothing was written. Choose a folder \
             of its own for the content pack",
            dir.display(),
            data.display()
        );
    }
    Ok(())
}

/// Writes one content file, never through a link: a link or anything but a regular
/// file in its place is refused (checked before, and again as it is opened).
fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn export(ctx: &Context, dir: &Path, force: bool) -> anyhow::Result<()> {
    let files = Workbook::embedded_files();
    check_target(ctx, dir)?;
    let odd: Vec<&str> = files
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| !m.file_type().is_file())
        })
        .collect();
    if !odd.is_empty() {
        anyhow::bail!(
            "in {}, {} {} a link or not a regular file; nothing was written (exback never \
             writes through a link: move {} away first)",
            dir.display(),
            odd.join(", "),
            if odd.len() == 1 { "is" } else { "are" },
            if odd.len() == 1 { "it" } else { "them" }
        );
    }
    if !force {
        let taken: Vec<&str> = files
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| dir.join(name).exists())
            .collect();
        if !taken.is_empty() {
            anyhow::bail!(
                "{} already has {}; nothing was written (add --force to replace them)",
                dir.display(),
                taken.join(", ")
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in files {
        let path = dir.join(name);
        write_file(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    // The words of the built-in workbook: the one that was written.
    let workbook = Workbook::embedded()?;
    eprintln!(
        "{}",
        fill(
            &workbook.screens.content.written,
            &[
                ("n", &files.len().to_string()),
                ("dir", &dir.display().to_string())
            ]
        )
    );
    Ok(())
}

fn check(dir: &Path) -> anyhow::Result<()> {
    match Workbook::from_dir(dir) {
        Ok(wb) => {
            let prompts: usize = wb.steps.iter().map(|s| s.prompts.len()).sum();
            // Said in the checked workbook's own words: they are valid, and they are
            // the words being edited.
            super::print_line(fill(
                &wb.screens.content.valid,
                &[
                    ("steps", &wb.steps.len().to_string()),
                    ("prompts", &prompts.to_string()),
                    ("moving_on", &wb.moving_on.steps.len().to_string()),
                    ("dir", &dir.display().to_string()),
                ],
            ))?;
            Ok(())
        }
        Err(e) => {
            let mut out = std::io::stdout().lock();
            for problem in &e.problems {
                writeln!(out, "{}", crate::escapes::printable(&problem.to_string()))?;
            }
            anyhow::bail!("{} problem(s) in {}", e.problems.len(), dir.display())
        }
    }
}
