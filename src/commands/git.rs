//! `exback git …`: git in the data directory, like `pass git` (docs/sync.md). `init` sets
//! the repository up for exback: what stays out of it, the merge driver that merges data
//! files entry by entry ([`merge_file`], run by git as `exback merge-file`), and
//! [`commit`], which records every change exback makes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;

use super::Context;
use crate::cli::{self, GitArgs, MergeFileArgs};
use crate::interrupt::Exit;
use crate::journal::deletion::DELETED;
use crate::journal::repair::merge;
use crate::journal::store::seal;
use crate::journal::{Progress, Store};
use crate::workbook::screens::GitWords;

/// What stays out of the repository: the lock, saves in progress, and the traces of
/// damage and merges, which belong to the device that made them.
const GITIGNORE: &str = "exback.lock\n.tmp-*\ndamaged-*\nmerged-*\n";

/// The data files git merges with exback's driver.
const GITATTRIBUTES: &str = "*.jsonl merge=exback\nprogress.json merge=exback\n";

pub(crate) fn run(ctx: &Context, args: &GitArgs) -> anyhow::Result<()> {
    let dir = crate::paths::data_dir(ctx.data_dir.clone())?;
    if args.args.first().is_some_and(|a| a == "init") {
        return init(&dir, &args.args[1..], &ctx.screens()?.git);
    }
    if !dir.join(".git").exists() {
        anyhow::bail!(
            "{} is not a git repository yet; `exback git init` makes it one",
            dir.display()
        );
    }
    let head = || quiet(&dir, &["rev-parse", "-q", "--verify", "HEAD"]).ok();
    let before = head();
    let status = git(&dir)
        .args(&args.args)
        .status()
        .context("cannot run git (is it installed?)")?;
    // What came in (a pull, a merge) may hold deletions made on another device: they
    // reach the journal here, whichever way git merged the files.
    if head() != before {
        let store = ctx.store()?;
        if merge::apply_deletions(&store)? > 0 {
            commit(&dir, "deletions from another device")?;
        }
    }
    if status.success() {
        Ok(())
    } else {
        Err(Exit {
            code: status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(1),
            message: None,
        }
        .into())
    }
}

/// `git` with the data directory as its work tree.
fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    cmd
}

fn quiet(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = git(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        anyhow::bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Makes the data directory a repository (or sets up a clone) for exback.
fn init(dir: &Path, extra: &[OsString], words: &GitWords) -> anyhow::Result<()> {
    // The folder is made as every save makes it: private.
    drop(Store::open(dir).lock()?);
    if !dir.join(".git").exists() {
        let status = git(dir)
            .args(["init", "-q", "-b", "main"])
            .args(extra)
            .status()
            .context("cannot run git (is it installed?)")?;
        anyhow::ensure!(status.success(), "git init failed");
    }
    add_lines(&dir.join(".gitignore"), GITIGNORE)?;
    add_lines(&dir.join(".gitattributes"), GITATTRIBUTES)?;
    let exe = std::env::current_exe().context("cannot tell where exback is")?;
    let driver = format!(
        "'{}' merge-file %O %A %B %P",
        exe.display().to_string().replace('\'', r"'\''")
    );
    quiet(
        dir,
        &["config", "merge.exback.name", "exback: merge entries by id"],
    )?;
    quiet(dir, &["config", "merge.exback.driver", &driver])?;
    quiet(dir, &["config", "pull.rebase", "false"])?;
    // A commit needs a name; one that says nothing about the person, if git has none.
    if quiet(dir, &["config", "user.email"]).is_err() {
        quiet(dir, &["config", "user.name", "exback"])?;
        quiet(dir, &["config", "user.email", "exback@localhost"])?;
    }
    commit(dir, "git init")?;
    eprintln!(
        "{}",
        crate::workbook::fill(&words.ready, &[("dir", &dir.display().to_string())])
    );
    Ok(())
}

/// Adds each line of `wanted` that `path` lacks.
fn add_lines(path: &Path, wanted: &str) -> anyhow::Result<()> {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    let missing: Vec<&str> = wanted
        .lines()
        .filter(|l| !have.lines().any(|h| h.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = have;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The name a command's changes are committed under, or `None` for commands that never
/// change the data directory (and git itself).
pub(crate) fn recorded_as(command: &cli::Command) -> Option<&'static str> {
    use cli::Command;
    Some(match command {
        Command::Next(_) => "next",
        Command::Steps(_) => "steps",
        Command::Log(_) => "log",
        Command::Show(_) => "show",
        Command::Edit(_) => "edit",
        Command::Delete(_) => "delete",
        Command::Export(_) => "export",
        Command::Import(_) => "import",
        Command::Write(_) => "write",
        Command::Doctor(_) => "doctor",
        Command::Contact(_) => "contact",
        Command::Draft(_) => "draft",
        Command::Mood(_) => "mood",
        Command::Urge => "urge",
        Command::Support(_) => "support",
        Command::Status(_) => "status",
        Command::Outcome(_) => "outcome",
        Command::Encrypt => "encrypt",
        Command::Decrypt => "decrypt",
        Command::Passphrase => "passphrase",
        Command::Completions(_)
        | Command::Content(_)
        | Command::Man
        | Command::Git(_)
        | Command::MergeFile(_) => return None,
    })
}

/// Commits everything that changed in the data directory, when it is a repository,
/// with a message that names the command and nothing the person wrote.
pub(crate) fn commit(dir: &Path, command: &str) -> anyhow::Result<()> {
    if !dir.join(".git").exists() {
        return Ok(());
    }
    if quiet(dir, &["status", "--porcelain"])?.trim().is_empty() {
        return Ok(());
    }
    quiet(dir, &["add", "-A"])?;
    quiet(
        dir,
        &[
            "commit",
            "-q",
            "--no-verify",
            "-m",
            &format!("exback: {command}"),
        ],
    )?;
    Ok(())
}

/// `exback merge-file BASE OURS THEIRS PATH`: git's merge driver. Merges THEIRS into
/// OURS by the rules of docs/sync.md and exits 0; git then takes OURS as the result.
pub(crate) fn merge_file(args: &MergeFileArgs) -> anyhow::Result<()> {
    let top = std::env::current_dir().context("cannot tell the repository's folder")?;
    let store = Store::open(&top);
    let key = super::encrypt::unlock(&store)?;
    let name = args
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    let merged = if name == "progress.json" {
        let open = |bytes: Vec<u8>, which: &Path| -> anyhow::Result<Progress> {
            let plain = seal::open_document(Path::new("progress.json"), bytes)?;
            serde_json::from_slice(&plain)
                .with_context(|| format!("{} is not a progress file", which.display()))
        };
        let mut mine = open(ours, &args.ours)?;
        merge::merge_progress(&mut mine, open(theirs, &args.theirs)?);
        let mut bytes = serde_json::to_vec_pretty(&mine)?;
        bytes.push(b'\n');
        match &key {
            Some(key) => {
                let mut sealed = key.seal("progress.json", &bytes)?;
                sealed.push(b'\n');
                sealed
            }
            None => bytes,
        }
    } else {
        let mut deleted = merge::deleted_in(&top.join(DELETED), &name, key.as_deref())?;
        // The other side's deletions, while git is merging them.
        if let Ok(out) = git(&top)
            .args(["show", &format!("MERGE_HEAD:{DELETED}")])
            .stderr(Stdio::null())
            .output()
            && out.status.success()
        {
            deleted.extend(merge::deleted_in_bytes(&out.stdout, &name, key.as_deref()));
        }
        merge::merge_bytes(&name, &ours, &theirs, &deleted, key.as_deref())
    };
    std::fs::write(&args.ours, merged)
        .with_context(|| format!("cannot write {}", args.ours.display()))?;
    Ok(())
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}
