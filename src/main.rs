use clap::Parser;

fn main() {
    let cli = exback::cli::Cli::parse();
    if let Err(e) = exback::run(cli) {
        let _ = console::Term::stderr().show_cursor();
        eprintln!("exback: {e:#}");
        std::process::exit(1);
    }
}
