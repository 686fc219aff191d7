//! At home in the terminal: help with examples everywhere, the environment listed, exit
//! codes, shell completions, the man page, colour rules, long answers in the editor, and
//! content packs.

mod common;

use clap::CommandFactory;
use common::{Env, onboarding_lines, run_with, stderr};
use exback::testing::cli::Cli;

/// Every command and subcommand, with its path (`contact add`).
fn all_commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{prefix}{}", sub.get_name());
            out.push((path.clone(), sub.clone()));
            walk(&format!("{path} "), sub, out);
        }
    }
    let mut out = Vec::new();
    walk("", &Cli::command(), &mut out);
    out
}

#[test]
fn every_command_has_a_summary_a_description_and_an_example() {
    let env = Env::new();
    let commands = all_commands();
    assert!(commands.len() >= 20, "{}", commands.len());
    for (path, cmd) in commands {
        let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
        assert!(!about.is_empty(), "{path}: a one-line summary");
        let long = cmd
            .get_long_about()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(
            long.len() > about.len(),
            "{path}: a longer description than the summary"
        );
        let mut args: Vec<&str> = path.split(' ').collect();
        args.push("--help");
        let help = env.ok(&args, "");
        assert!(
            help.contains(&long.lines().next().unwrap_or_default()[..20.min(long.len())]),
            "{path}: --help shows the description"
        );
        assert!(
            help.contains("Examples:\n  exback"),
            "{path}: --help shows an example"
        );
    }
}

#[test]
fn top_level_help_lists_the_environment_and_exit_codes() {
    let help = Env::new().ok(&["--help"], "");
    for name in [
        "EXBACK_DATA_DIR",
        "EXBACK_CONTENT_DIR",
        "EDITOR",
        "VISUAL",
        "PAGER",
        "NO_COLOR",
        "CLICOLOR_FORCE",
    ] {
        assert!(help.contains(name), "--help names {name}");
    }
    assert!(help.contains("Exit codes: 0 ok, 1 error, 2 wrong usage, 130 stopped with Ctrl-C."));
}

#[test]
fn exit_codes_are_what_the_help_says() {
    let env = Env::new();
    assert_eq!(env.run(&["steps"], "").status.code(), Some(0));
    assert_eq!(env.run(&["show", "abcdef"], "").status.code(), Some(1));
    assert_eq!(env.run(&["no-such-command"], "").status.code(), Some(2));
    assert_eq!(env.run(&["log", "-n", "many"], "").status.code(), Some(2));
}

#[test]
fn the_bash_completion_script_loads_and_completes_a_subcommand() {
    let env = Env::new();
    let script = env.ok(&["completions", "bash"], "");
    let path = env.tmp.path().join("exback.bash");
    std::fs::write(&path, script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(exback st); COMP_CWORD=1; _exback exback st exback; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = std::process::Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(probe)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let words = String::from_utf8(out.stdout).unwrap();
    assert!(
        words.lines().any(|w| w.trim() == "status"),
        "completes `st` to status: {words:?}"
    );
    assert!(
        words.lines().any(|w| w.trim() == "steps"),
        "and to steps: {words:?}"
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(
            env.ok(&["completions", shell], "").contains("exback"),
            "{shell}"
        );
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    let env = Env::new();
    let page = env.ok(&["man"], "");
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "roff");
    let has = |tool: &str| {
        std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !common::tool_present("groff", has("groff")) || !common::tool_present("man", has("man")) {
        return;
    }
    let mut groff = std::process::Command::new("groff");
    groff.args(["-man", "-Tutf8", "-ww", "-z"]);
    let out = run_with(groff, &page);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "groff has no warnings"
    );
    let mut man = std::process::Command::new("man");
    man.args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80");
    let out = run_with(man, &page);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("EXBACK LOG") && text.contains("--since"),
        "{text}"
    );
}

#[test]
fn colour_follows_no_color_clicolor_force_and_the_flag() {
    let env = Env::new();
    env.ok(&["write", "a line to colour"], "");
    let esc = |out: &std::process::Output| out.stdout.contains(&0x1b);
    // Piped: plain, unless forced.
    assert!(!esc(&env.run(&["log"], "")));
    let mut forced = env.cmd(&["log"]);
    forced.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    assert!(esc(&run_with(forced, "")), "CLICOLOR_FORCE=1 forces colour");
    assert!(
        esc(&env.run(&["log", "--color", "always"], "")),
        "--color always wins over NO_COLOR"
    );
    let mut never = env.cmd(&["log", "--color", "never"]);
    never.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    assert!(
        !esc(&run_with(never, "")),
        "--color never wins over CLICOLOR_FORCE"
    );
}

#[test]
fn a_long_answer_can_be_written_in_the_editor() {
    let env = Env::new();
    env.ok(&["next"], &onboarding_lines(false, false)[..]);
    // The editor: the first time it saves nothing; the second time it records where its
    // file was and how private its folder is, then writes two lines.
    let seen = env.tmp.path().join("seen.txt");
    let once = env.tmp.path().join("once");
    let script = env.tmp.path().join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ ! -e {once} ]; then touch {once}; exit 0; fi\nprintf '%s %s\\n' \"$1\" \"$(stat -c %a \"$(dirname \"$1\")\")\" > {seen}\nhead -n 1 \"$1\" >> {seen}\nprintf 'Written in my editor,\\nover two lines.\\n' >> \"$1\"\n",
            once = once.display(),
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut cmd = env.cmd(&["next"]);
    cmd.env("EDITOR", &script)
        .env_remove("VISUAL")
        .env("TERM", "xterm-256color");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_string("how are you feeling today").unwrap();
    p.send("\x1b").unwrap(); // skip the mood check-in
    p.flush().unwrap();
    p.exp_string("an empty Enter opens your editor").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    // Nothing was written: the question is asked again, nothing is saved.
    p.exp_string("needs an answer").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Written in").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();

    let seen = std::fs::read_to_string(&seen).unwrap();
    let mut lines = seen.lines();
    let (file, folder_mode) = lines.next().unwrap().split_once(' ').unwrap();
    assert_eq!(
        folder_mode, "700",
        "the editor's file sits in a private folder"
    );
    assert!(
        !std::path::Path::new(file).exists(),
        "and is removed afterwards"
    );
    assert!(
        lines.next().unwrap().starts_with("# "),
        "the question is a comment header"
    );
    let journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let entry: serde_json::Value = serde_json::from_str(journal.lines().last().unwrap()).unwrap();
    assert_eq!(
        entry["answer"], "Written in my editor,\nover two lines.",
        "header stripped"
    );
}

#[test]
fn content_packs_are_exported_checked_and_used() {
    let env = Env::new();
    let pack = env.tmp.path().join("pack");
    let out = env.run(&["content", "export", pack.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let check = env.ok(&["content", "check", pack.to_str().unwrap()], "");
    assert!(check.contains("a valid workbook: 7 steps"), "{check}");
    // Exporting again would overwrite: refused without --force.
    assert_eq!(
        env.run(&["content", "export", pack.to_str().unwrap()], "")
            .status
            .code(),
        Some(1)
    );
    env.ok(
        &["content", "export", pack.to_str().unwrap(), "--force"],
        "",
    );

    // A pack with its own wording: entries keep the text they were asked with.
    let first = pack.join("01-understand.toml");
    let original = std::fs::read_to_string(&first).unwrap();
    let wb = exback::testing::workbook::Workbook::embedded().unwrap();
    let old_text = wb.step(1).unwrap().prompts[0].text.clone();
    std::fs::write(
        &first,
        original.replacen(&old_text, "Tell the story of the ending, in your words.", 1),
    )
    .unwrap();
    env.ok(
        &["next"],
        &(onboarding_lines(false, false) + "Asked the built-in way.\n"),
    );
    let mut cmd = env.cmd(&["next", "--content-dir", pack.to_str().unwrap()]);
    cmd.env_remove("EXBACK_NOW");
    let _ = run_with(cmd, "");
    let mut cmd = env.cmd(&["log"]);
    cmd.env("EXBACK_CONTENT_DIR", &pack);
    let log = String::from_utf8(run_with(cmd, "").stdout).unwrap();
    assert!(
        common::squash(&log).contains(&common::squash(&old_text)),
        "the old entry shows the prompt it was asked with"
    );

    // A broken pack: every problem with file and line, exit 1.
    std::fs::write(
        &first,
        original
            .replacen("kind = \"", "kind = \"essay_", 1)
            .replacen("title = ", "title = = ", 1),
    )
    .unwrap();
    std::fs::remove_file(pack.join("07-friends.toml")).unwrap();
    let out = env.run(&["content", "check", pack.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains("01-understand.toml:"), "{listed}");
    assert!(
        listed.contains("expected step files numbered 1 to 7"),
        "{listed}"
    );

    // Progress on a step the pack lacks is kept, not discarded.
    // Progress as exback reads it (an answer's mark may still wait in the file).
    let saved_progress = || -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&env.ok(&["export"], "")).unwrap()["progress"]
            .clone()
    };
    let before = saved_progress();
    let lean = env.tmp.path().join("lean");
    std::fs::create_dir_all(&lean).unwrap();
    env.ok(&["content", "export", lean.to_str().unwrap()], "");
    let step1 = std::fs::read_to_string(lean.join("01-understand.toml")).unwrap();
    std::fs::write(
        lean.join("01-understand.toml"),
        step1.replacen("id = \"understand\"", "id = \"understand-v2\"", 1),
    )
    .unwrap();
    let mut cmd = env.cmd(&["next"]);
    cmd.env("EXBACK_CONTENT_DIR", &lean);
    let _ = run_with(
        cmd,
        &(common::SKIP_MOOD.to_string() + "Under the new pack.\n"),
    );
    let after = saved_progress();
    assert!(before["steps"]["understand"]["answered"].is_array());
    assert_eq!(
        after["steps"]["understand"], before["steps"]["understand"],
        "the old step's progress is kept"
    );
    assert!(after["steps"]["understand-v2"].is_object());
}

#[test]
fn long_log_output_on_a_terminal_goes_through_the_pager() {
    let env = Env::new();
    for i in 0..30 {
        env.ok(&["write", &format!("entry number {i}")], "");
    }
    let mut cmd = env.cmd(&["log"]);
    cmd.env("PAGER", "sed 's/^/paged: /'")
        .env("TERM", "xterm-256color");
    let out = common::run_with_tty_stdin(cmd);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "log ends well: {text}");
    assert!(
        text.contains("paged: ") && text.contains("entry number 0"),
        "{text}"
    );
    // Short output is printed directly, and piped output never goes through a pager.
    let mut cmd = env.cmd(&["log", "-n", "1"]);
    cmd.env("PAGER", "sed 's/^/paged: /'")
        .env("TERM", "xterm-256color");
    let out = common::run_with_tty_stdin(cmd);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "log ends well: {text}");
    assert!(
        text.contains("entry number 29") && !text.contains("paged: "),
        "{text}"
    );
    let mut cmd = env.cmd(&["log"]);
    cmd.env("PAGER", "sed 's/^/paged: /'");
    let out = run_with(cmd, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("paged: "));

    // Ctrl-C while the pager runs belongs to the pager (less uses it); exback waits for
    // the pager to end and exits normally.
    let mut cmd = env.cmd(&["log"]);
    cmd.env(
        "PAGER",
        "trap '' INT; cat > /dev/null; echo pager-started; sleep 1; echo pager-done",
    )
    .env("TERM", "xterm-256color");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_string("pager-started").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("pager-done").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        rexpect::process::WaitStatus::Exited(_, 0)
    ));
}
