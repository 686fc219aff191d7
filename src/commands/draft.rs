//! `exback draft [TEXT]`: a message the user wants to send but keeps instead, saved
//! as a journal entry of kind `draft`; `exback draft list` reads them back.

use std::io::{self, IsTerminal, Read, Write};
use std::process::Command;

use anyhow::Context as _;
use serde_json::json;

use crate::cli::{DraftArgs, DraftCommand, ListArgs};
use crate::journal::NewEntry;
use crate::journal::entry::kind;
use crate::session::Clock;
use crate::ui::Tone;

use super::{Context, say, warn_damaged};

pub fn run(ctx: &Context, args: &DraftArgs) -> anyhow::Result<()> {
    if let Some(DraftCommand::List(list)) = &args.command {
        return show_list(ctx, list);
    }
    let clock = ctx.clock()?;
    let store = ctx.store()?;
    let text = if !args.text.is_empty() {
        args.text.join(" ")
    } else if !io::stdin().is_terminal() {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the draft from standard input")?;
        text
    } else {
        from_editor()?
    };
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("the draft is empty, so nothing was saved");
    }
    let entry = store.append(NewEntry::new(clock.now(), kind::DRAFT, text.to_string()))?;
    super::print_line(&entry.id)?;
    say(
        Tone::Good,
        "Kept as an unsent draft. exback never sends anything; `exback draft list` reads your drafts back.",
    );
    Ok(())
}

/// The editor the user chose: `$VISUAL`, else `$EDITOR`.
fn editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
}

/// Opens the editor on a private temporary file (mode 0600, removed afterwards) and
/// returns what was written in it.
fn from_editor() -> anyhow::Result<String> {
    let editor = editor().ok_or_else(|| {
        anyhow::anyhow!(
            "no text given and no editor set: write `exback draft \"your words\"`, \
             pipe the text in, or set VISUAL or EDITOR"
        )
    })?;
    let file = tempfile::Builder::new()
        .prefix("exback-draft-")
        .suffix(".txt")
        .tempfile()
        .context("cannot create a temporary file for the draft")?;
    let path = file.path().to_path_buf();
    // Like git, hand the editor command to the shell so that "code --wait" works.
    let status = if cfg!(unix) {
        Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg(&editor)
            .arg(&path)
            .status()
    } else {
        let mut words = editor.split_whitespace();
        let program = words.next().unwrap_or_default();
        Command::new(program).args(words).arg(&path).status()
    }
    .with_context(|| format!("cannot start the editor {editor:?}"))?;
    if !status.success() {
        anyhow::bail!("the editor {editor:?} ended with {status}; nothing was saved");
    }
    let text =
        std::fs::read_to_string(&path).context("cannot read the draft back from the editor")?;
    drop(file);
    Ok(text)
}

fn show_list(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    let workbook = ctx.workbook()?;
    let store = ctx.store()?;
    let drafts = store.select_newest(
        |view| view.kind == kind::DRAFT,
        args.limit.unwrap_or(usize::MAX),
        warn_damaged,
    )?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let list: Vec<_> = drafts
            .iter()
            .map(|d| json!({ "id": d.id, "at": d.at, "text": d.answer }))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        for (i, draft) in drafts.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            crate::ui::render::human(
                &mut out,
                &workbook,
                &draft.view(),
                crate::ui::style::stdout_width(100),
            )?;
        }
    }
    out.flush()?;
    if drafts.is_empty() && !args.json {
        say(
            Tone::Dim,
            "No drafts yet. `exback draft` keeps a message you want to send, unsent.",
        );
    }
    Ok(())
}
