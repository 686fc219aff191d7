//! Two devices, one journal: the conflict copies that sync tools make are merged by
//! the next command, every entry once, with nothing lost (docs/sync.md).

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Env, stderr};

/// What each tool names a conflict copy of `journal.jsonl` (docs/sync.md lists the sources).
const COPY_NAMES: [&str; 7] = [
    "journal.sync-conflict-20261207-101010-ABCDEF1.jsonl",
    "journal (Sam's conflicted copy 2026-12-07).jsonl",
    "journal (conflicted copy 2026-12-07 101010).jsonl",
    "journal_conflict-20261207-101010.jsonl",
    "journal-LAPTOP-7Q2.jsonl",
    "journal 2.jsonl",
    "journal (1).jsonl",
];

/// Two devices: `a` and `b` start from the same data directory and then each write.
struct Devices {
    a: Env,
    b: Env,
}

impl Devices {
    fn new() -> Self {
        let a = Env::new();
        a.ok(&["write", "written before the split"], "");
        let b = Env::new();
        copy_dir(&a.data(), &b.data());
        Self { a, b }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// Logs a contact from them on `channel`, felt as `felt`.
fn add_contact(env: &Env, channel: &str, felt: &str) {
    env.ok(
        &[
            "contact",
            "add",
            "--channel",
            channel,
            "--from",
            "them",
            "--felt",
            felt,
        ],
        "",
    );
}

/// The ids and answers `log --json` lists, in order.
fn entries(env: &Env) -> Vec<(String, String)> {
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["log", "--json"], "")).unwrap();
    list.iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["answer"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn answers(env: &Env) -> Vec<String> {
    let mut all: Vec<String> = entries(env).into_iter().map(|(_, a)| a).collect();
    all.sort();
    all
}

/// Names of the files in `dir` that start with `prefix`.
fn named(dir: &Path, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    found.sort();
    found
}

fn assert_each_once(env: &Env) {
    let list = entries(env);
    let mut seen = BTreeMap::new();
    for (id, _) in &list {
        *seen.entry(id.clone()).or_insert(0) += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "an entry twice: {list:?}");
}

#[test]
fn a_conflict_copy_of_each_tool_is_merged_by_the_next_command_every_entry_once() {
    for name in COPY_NAMES {
        let d = Devices::new();
        d.a.ok(&["write", "only on the laptop"], "");
        d.b.ok(&["write", "only on the desktop"], "");
        // The sync tool keeps A's file and renames B's beside it.
        std::fs::copy(d.b.file("journal.jsonl"), d.a.file(name)).unwrap();

        let report = d.a.ok(&["doctor"], "");
        assert!(
            report.contains("conflict copy of journal.jsonl") && report.contains("1 record added"),
            "{name}: {report}"
        );
        let out = d.a.run(&["log", "--json"], "");
        assert!(out.status.success());
        assert!(
            stderr(&out).contains(&format!("Merged {name}")),
            "{name}: {}",
            stderr(&out)
        );
        assert_eq!(
            answers(&d.a),
            [
                "only on the desktop",
                "only on the laptop",
                "written before the split"
            ],
            "{name}"
        );
        assert_each_once(&d.a);
        assert!(!d.a.file(name).exists(), "{name} was folded in");
        assert_eq!(
            named(&d.a.data(), "merged-").len(),
            1,
            "{name} is kept aside"
        );
        // Nothing left to merge: doctor is clean and the next command says nothing.
        let report = d.a.ok(&["doctor"], "");
        assert!(report.contains("Everything is readable"), "{report}");
        assert!(!report.contains("conflict copy"), "{report}");
        assert!(!stderr(&d.a.run(&["log"], "")).contains("Merged"));
    }
}

#[test]
fn contacts_moods_and_progress_merge_by_their_own_rules() {
    let d = Devices::new();
    d.a.ok(&["mood", "4", "laptop evening"], "");
    d.b.ok(&["mood", "6", "desktop morning"], "");
    add_contact(&d.a, "text", "6");
    add_contact(&d.b, "call", "7");
    // Onboarding on B only, saying they asked for no contact: it must hold after the merge.
    let onboarding = common::onboarding_lines(true, false);
    d.b.ok(&["next"], &onboarding);
    assert!(d.b.file("progress.json").exists());
    for file in ["moods", "contacts"] {
        std::fs::copy(
            d.b.file(&format!("{file}.jsonl")),
            d.a.file(&format!(
                "{file}.sync-conflict-20261207-101010-ABCDEF1.jsonl"
            )),
        )
        .unwrap();
    }
    std::fs::copy(
        d.b.file("progress.json"),
        d.a.file("progress.sync-conflict-20261207-101010-ABCDEF1.json"),
    )
    .unwrap();
    let status: serde_json::Value =
        serde_json::from_str(&d.a.ok(&["status", "--json"], "")).unwrap();
    let b_status: serde_json::Value =
        serde_json::from_str(&d.b.ok(&["status", "--json"], "")).unwrap();
    let text = status.to_string();
    assert_eq!(status["path"], b_status["path"], "{text}");
    let moods = std::fs::read_to_string(d.a.file("moods.jsonl")).unwrap();
    assert_eq!(moods.lines().count(), 2, "{moods}");
    assert!(
        moods.contains("laptop evening") && moods.contains("desktop morning"),
        "{moods}"
    );
    let contacts = d.a.ok(&["contact", "list", "--json"], "");
    assert_eq!(contacts.matches("\"channel\"").count(), 2, "{contacts}");
    assert!(named(&d.a.data(), "progress.sync-conflict").is_empty());
    assert!(d.a.ok(&["doctor"], "").contains("Everything is readable"));
}

#[test]
fn an_entry_deleted_on_one_device_stays_deleted_and_an_edit_wins_by_time() {
    let d = Devices::new();
    let shared = entries(&d.a)[0].0.clone();
    // A deletes the shared entry; B edits it later: the deletion holds.
    d.a.ok(&["delete", &shared, "--yes"], "");
    d.b.set_now(Some("2026-11-30T09:00:00+01:00"));
    d.b.ok(&["edit", &shared, "--text", "edited on the desktop"], "");
    d.b.ok(&["write", "desktop only"], "");
    std::fs::copy(d.b.file("journal.jsonl"), d.a.file("journal 2.jsonl")).unwrap();
    assert_eq!(answers(&d.a), ["desktop only"]);

    // The other way round: B's deletions file arrives as a copy too.
    let d = Devices::new();
    let shared = entries(&d.a)[0].0.clone();
    d.b.ok(&["delete", &shared, "--yes"], "");
    d.a.ok(&["write", "laptop only"], "");
    std::fs::copy(
        d.b.file("deleted.jsonl"),
        d.a.file("deleted (Sam's conflicted copy 2026-12-07).jsonl"),
    )
    .unwrap();
    std::fs::write(d.a.file("deleted.jsonl"), "").unwrap();
    assert_eq!(answers(&d.a), ["laptop only"]);

    // An edit made later on B replaces A's older version.
    let d = Devices::new();
    let shared = entries(&d.a)[0].0.clone();
    d.a.ok(&["write", "laptop only"], "");
    d.b.set_now(Some("2026-11-30T09:00:00+01:00"));
    d.b.ok(&["edit", &shared, "--text", "edited on the desktop"], "");
    std::fs::copy(d.b.file("journal.jsonl"), d.a.file("journal-DESKTOP.jsonl")).unwrap();
    assert_eq!(answers(&d.a), ["edited on the desktop", "laptop only"]);
    assert_each_once(&d.a);
}

#[test]
fn encrypted_devices_with_one_key_merge_and_two_keys_are_left_for_the_person() {
    let pass = |env: &Env| {
        let file = env.tmp.path().join("pass");
        std::fs::write(&file, "quiet harbour\n").unwrap();
        file
    };
    let enc = |env: &Env, args: &[&str]| {
        let mut cmd = env.cmd(args);
        cmd.env("EXBACK_PASSPHRASE_FILE", pass(env))
            .env("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR", "10");
        common::run_with(cmd, "")
    };
    let a = Env::new();
    a.ok(&["write", "marmalade before the split"], "");
    assert!(enc(&a, &["encrypt"]).status.success());
    let b = Env::new();
    copy_dir(&a.data(), &b.data());
    assert!(enc(&a, &["write", "laptop lighthouse"]).status.success());
    assert!(enc(&b, &["write", "desktop cinnamon"]).status.success());
    std::fs::copy(
        b.file("journal.jsonl"),
        a.file("journal.sync-conflict-20261207-101010-ABCDEF1.jsonl"),
    )
    .unwrap();
    // An identical key.age copy is only a copy: it is moved aside too.
    std::fs::copy(
        b.file("key.age"),
        a.file("key.sync-conflict-20261207-101010-ABCDEF1.age"),
    )
    .unwrap();
    let out = enc(&a, &["log", "--short"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["marmalade", "lighthouse", "cinnamon"] {
        assert_eq!(text.matches(word).count(), 1, "{text}");
    }
    for (_, bytes) in std::fs::read_dir(a.data()).unwrap().map(|e| {
        let p = e.unwrap().path();
        let b = std::fs::read(&p).unwrap();
        (p, b)
    }) {
        assert!(
            !bytes.windows(8).any(|w| w == b"cinnamon"),
            "plain text in the folder"
        );
    }
    assert!(named(&a.data(), "key.sync-conflict").is_empty());

    // A key.age copy that differs (the passphrase changed on B): nothing is merged,
    // both files are named, and nothing is removed.
    let mut cmd = b.cmd(&["passphrase"]);
    let new_pass = b.tmp.path().join("new-pass");
    std::fs::write(&new_pass, "another tide\n").unwrap();
    cmd.env("EXBACK_PASSPHRASE_FILE", pass(&b))
        .env("EXBACK_NEW_PASSPHRASE_FILE", &new_pass)
        .env("EXBACK_INSECURE_TEST_SCRYPT_WORK_FACTOR", "10");
    assert!(common::run_with(cmd, "").status.success());
    std::fs::copy(b.file("key.age"), a.file("key 2.age")).unwrap();
    std::fs::copy(b.file("journal.jsonl"), a.file("journal 2.jsonl")).unwrap();
    let out = enc(&a, &["log", "--short"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("key.age and") && err.contains("key 2.age differ"),
        "{err}"
    );
    assert!(a.file("key 2.age").exists() && a.file("journal 2.jsonl").exists());
}

#[test]
fn kill_9_while_a_copy_is_folded_loses_nothing() {
    // A large copy, so that the fold takes long enough to be cut at many points.
    let d = Devices::new();
    let mut lines = String::new();
    for i in 0..3000 {
        let _ = writeln!(
            lines,
            "{{\"v\":1,\"id\":\"b{i:011}\",\"at\":\"2026-11-30T{:02}:{:02}:00+01:00\",\"kind\":\"note\",\"answer\":\"desktop {i} {}\"}}",
            i / 60 % 24,
            i % 60,
            "x".repeat(200)
        );
    }
    let template_main = std::fs::read(d.a.file("journal.jsonl")).unwrap();
    let copy_bytes = [
        std::fs::read(d.b.file("journal.jsonl")).unwrap(),
        lines.into_bytes(),
    ]
    .concat();
    let expected: usize = 3001;
    let mut rng = common::Rng(common::test_seed());
    // How long a whole run takes here: kills are spread over that time and a little more.
    std::fs::write(d.a.file("journal 2.jsonl"), &copy_bytes).unwrap();
    let started = std::time::Instant::now();
    d.a.ok(&["log", "--short"], "");
    let whole = u64::try_from(started.elapsed().as_micros()).unwrap();
    println!("a whole run takes {whole} µs");
    let mut cut = 0;
    for _ in 0..200 {
        std::fs::write(d.a.file("journal.jsonl"), &template_main).unwrap();
        for old in named(&d.a.data(), "merged-") {
            std::fs::remove_file(d.a.data().join(old)).unwrap();
        }
        std::fs::write(d.a.file("journal 2.jsonl"), &copy_bytes).unwrap();
        let mut child =
            d.a.cmd(&["log", "--short"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(whole * 5 / 4)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !status.success() {
            cut += 1;
        }
        // Whatever was cut, the next command finishes the work and nothing is lost.
        let list = entries(&d.a);
        let ids: std::collections::BTreeSet<&String> = list.iter().map(|(id, _)| id).collect();
        assert_eq!(list.len(), expected, "after a kill: {} entries", list.len());
        assert_eq!(ids.len(), expected, "an entry twice after a kill");
        assert!(
            !d.a.file("journal 2.jsonl").exists(),
            "the copy was folded in"
        );
        assert_eq!(
            std::fs::read(d.a.data().join(&named(&d.a.data(), "merged-")[0])).unwrap(),
            copy_bytes,
            "the copy's bytes are kept as they were"
        );
    }
    println!("{cut} of 200 runs were cut short");
    assert!(
        cut > 0,
        "no run was cut short: the test did not test a kill"
    );
    assert!(
        cut < 200,
        "every run was cut: the test never saw a fold finish"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git_works() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `git status --porcelain` of a data directory: empty when everything is committed.
fn uncommitted(env: &Env) -> String {
    git(&env.data(), &["status", "--porcelain"])
}

fn no_conflict_markers(env: &Env) {
    for e in std::fs::read_dir(env.data()).unwrap() {
        let path = e.unwrap().path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(
                !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
                "conflict markers in {}",
                path.display()
            );
        }
    }
}

/// What both clones hold after both wrote and both pulled.
fn assert_merged(env: &Env) {
    no_conflict_markers(env);
    assert_each_once(env);
    assert_eq!(
        answers(env),
        ["desktop, night", "first, on the laptop", "laptop, evening"]
    );
    let moods = std::fs::read_to_string(env.file("moods.jsonl")).unwrap();
    assert_eq!(moods.lines().count(), 2, "{moods}");
    let contacts = std::fs::read_to_string(env.file("contacts.jsonl")).unwrap();
    assert_eq!(contacts.lines().count(), 2, "{contacts}");
    assert!(uncommitted(env).is_empty(), "{}", uncommitted(env));
}

#[test]
fn two_clones_of_one_bare_repository_push_and_pull_with_every_entry_once() {
    if !common::tool_present("git", git_works()) {
        return;
    }
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    let url = remote.path().to_str().unwrap();

    let a = Env::new();
    a.ok(&["write", "first, on the laptop"], "");
    a.ok(&["git", "init"], "");
    assert!(uncommitted(&a).is_empty(), "{}", uncommitted(&a));
    a.ok(&["git", "remote", "add", "origin", url], "");
    a.ok(&["git", "push", "-q", "-u", "origin", "main"], "");

    let b = Env::new();
    git(
        b.tmp.path(),
        &["clone", "-q", url, b.data().to_str().unwrap()],
    );
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(b.data(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    b.ok(&["git", "init"], "");
    assert_eq!(answers(&b), ["first, on the laptop"]);

    // Both write before they hear from each other: journal, moods and contacts.
    a.ok(&["write", "laptop, evening"], "");
    assert!(
        uncommitted(&a).is_empty(),
        "every write is committed: {}",
        uncommitted(&a)
    );
    a.ok(&["mood", "4", "laptop"], "");
    add_contact(&a, "text", "6");
    b.set_now(Some("2026-11-29T21:00:00+01:00"));
    b.ok(&["write", "desktop, night"], "");
    b.ok(&["mood", "6", "desktop"], "");
    add_contact(&b, "call", "7");
    assert!(uncommitted(&b).is_empty(), "{}", uncommitted(&b));
    let log = git(&b.data(), &["log", "--format=%s"]);
    assert!(log.lines().all(|l| l.starts_with("exback: ")), "{log}");
    assert!(
        !log.contains("desktop"),
        "no answer text in a commit message: {log}"
    );

    a.ok(&["git", "push", "-q"], "");
    b.ok(&["git", "pull", "-q", "--no-edit"], "");
    b.ok(&["git", "push", "-q"], "");
    a.ok(&["git", "pull", "-q", "--no-edit"], "");
    for env in [&a, &b] {
        assert_merged(env);
    }

    // A deletion on one device reaches the other, and an entry written meanwhile stays.
    let gone = entries(&a)
        .into_iter()
        .find(|(_, text)| text == "laptop, evening")
        .unwrap()
        .0;
    a.ok(&["delete", &gone, "--yes"], "");
    b.ok(&["write", "desktop, the next day"], "");
    a.ok(&["git", "push", "-q"], "");
    b.ok(&["git", "pull", "-q", "--no-edit"], "");
    no_conflict_markers(&b);
    assert_eq!(
        answers(&b),
        [
            "desktop, night",
            "desktop, the next day",
            "first, on the laptop"
        ]
    );
    assert!(uncommitted(&b).is_empty(), "{}", uncommitted(&b));
}
