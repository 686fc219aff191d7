use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// Parses, runs, and turns how the command ended into the exit code: every exit is
/// decided here, after the command's destructors (pager, temporary folders) have run.
fn main() -> ExitCode {
    let cli = exback::Cli::parse();
    let Err(error) = exback::run(cli) else {
        return ExitCode::SUCCESS;
    };
    let exit = exback::Exit::of(&error);
    if let Some(message) = exit.shown() {
        let _ = writeln!(std::io::stderr(), "{message}");
    }
    ExitCode::from(exit.code)
}
