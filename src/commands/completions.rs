//! `exback completions SHELL` and `exback man`: generated from the clap definitions, so
//! they always match the commands.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub(crate) fn run(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    // clap_complete panics when its writer fails (`| head`): it writes to memory here.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "exback", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// The man page: every command in one page, with the environment and exit codes.
pub(crate) fn man() -> anyhow::Result<()> {
    let cmd = Cli::command();
    let mut out = io::stdout().lock();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        writeln!(out, ".SH \"EXBACK {}\"", name.to_uppercase())?;
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(ToString::to_string)
            .unwrap_or_default();
        for para in about.split("\n\n") {
            writeln!(out, ".PP\n{}", roff_escape(para))?;
        }
        let options: Vec<_> = sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && a.get_id() != "help")
            .collect();
        for arg in options {
            let names = match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => format!("\\-{s}, \\-\\-{l}"),
                (None, Some(l)) => format!("\\-\\-{l}"),
                (Some(s), None) => format!("\\-{s}"),
                (None, None) => format!("<{}>", arg.get_id().as_str().to_uppercase()),
            };
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            writeln!(out, ".TP\n\\fB{names}\\fR\n{}", roff_escape(&help))?;
        }
        if let Some(after) = sub.get_after_help() {
            writeln!(out, ".PP\n.nf\n{}\n.fi", roff_escape(&after.to_string()))?;
        }
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    man.render_authors_section(&mut out)?;
    Ok(())
}

/// Escapes text for roff: backslashes, and lines that would start with a control character.
fn roff_escape(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e").replace('-', "\\-");
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
