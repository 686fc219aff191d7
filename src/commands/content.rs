//! `exback content export|check`: content packs, the workbook as files.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::cli::{ContentArgs, ContentCommand};
use crate::workbook::Workbook;

pub fn run(args: &ContentArgs) -> anyhow::Result<()> {
    match &args.command {
        ContentCommand::Export { dir, force } => export(dir, *force),
        ContentCommand::Check { dir } => check(dir),
    }
}

fn export(dir: &Path, force: bool) -> anyhow::Result<()> {
    let files = Workbook::embedded_files();
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
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "Wrote {} files to {}. Edit them, check them with `exback content check {}`, and use \
         them with --content-dir or EXBACK_CONTENT_DIR.",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(())
}

fn check(dir: &Path) -> anyhow::Result<()> {
    match Workbook::from_dir(dir) {
        Ok(wb) => {
            let prompts: usize = wb.steps.iter().map(|s| s.prompts.len()).sum();
            super::print_line(format_args!(
                "{}: a valid workbook: {} steps with {prompts} prompts, {} moving-on steps.",
                dir.display(),
                wb.steps.len(),
                wb.moving_on.steps.len()
            ))?;
            Ok(())
        }
        Err(e) => {
            let mut out = std::io::stdout().lock();
            for problem in &e.problems {
                writeln!(out, "{problem}")?;
            }
            anyhow::bail!("{} problem(s) in {}", e.problems.len(), dir.display())
        }
    }
}
