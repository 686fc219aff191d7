use clap::Parser;

fn main() {
    let cli = exback::cli::Cli::parse();
    if let Err(e) = exback::run(cli) {
        let term = console::Term::stderr();
        if term.is_term() {
            let _ = term.show_cursor();
        }
        eprintln!("exback: {e:#}");
        std::process::exit(1);
    }
}
