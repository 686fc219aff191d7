//! Property test of `exback import` as a person runs it, reader included: generated
//! bytes (anything, or a real export cut, flipped or spliced) given as a file or on
//! standard input either import, or are refused with one line and exit code 1; never a
//! panic, and never a damaged journal. (`tests/prop_journal.rs` drives the import's
//! parsing in-process; this drives the binary, so the bounded reading is in the loop.)
//!
//! A failure prints the smallest input found and saves its seed in
//! `tests/prop_import.proptest-regressions`, where the next run tries it first.

mod common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::LazyLock;

use common::Env;
use exback::testing::journal::{Item, Store};
use proptest::prelude::*;

/// A data directory with a few records of every kind, and its export.
struct Base {
    env: Env,
    export: Vec<u8>,
}

static BASE: LazyLock<Base> = LazyLock::new(|| {
    let env = Env::new();
    env.ok(
        &["next"],
        &(common::onboarding_lines(false, false) + "my first answer\n"),
    );
    env.ok(&["write", "a free entry", "--tag", "kept"], "");
    env.ok(&["mood", "6", "steady"], "");
    let export = env.ok(&["export"], "").into_bytes();
    Base { env, export }
});

/// Every file in `dir` but the lock file, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "exback.lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// A new test directory holding a copy of the base data directory.
fn copy_of_base() -> Env {
    let env = Env::new();
    let data = env.make_data();
    for (path, bytes) in snapshot(&BASE.env.data()) {
        std::fs::write(data.join(path.file_name().unwrap()), bytes).unwrap();
    }
    env
}

/// How a real export is spoilt.
#[derive(Debug, Clone)]
enum Change {
    Cut(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    /// A stretch of the file, repeated in place.
    Repeat(usize, usize),
}

fn spoilt(change: &Change) -> Vec<u8> {
    let mut bytes = BASE.export.clone();
    let at = |i: usize, bytes: &[u8]| i % (bytes.len() + 1);
    match change {
        Change::Cut(i) => bytes.truncate(at(*i, &bytes)),
        Change::Flip(i, mask) => {
            let i = at(*i, &bytes).min(bytes.len() - 1);
            bytes[i] ^= mask.max(&1);
        }
        Change::Insert(i, more) => {
            let i = at(*i, &bytes);
            bytes.splice(i..i, more.iter().copied());
        }
        Change::Repeat(i, len) => {
            let i = at(*i, &bytes);
            let end = (i + len).min(bytes.len());
            let stretch = bytes[i..end].to_vec();
            bytes.splice(i..i, stretch);
        }
    }
    bytes
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    let change = prop_oneof![
        any::<usize>().prop_map(Change::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(i, m)| Change::Flip(i, m)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(i, b)| Change::Insert(i, b)),
        (any::<usize>(), 1..400usize).prop_map(|(i, n)| Change::Repeat(i, n)),
    ];
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..2000),
        1 => Just(()).prop_map(|()| BASE.export.clone()),
        4 => change.prop_map(|c| spoilt(&c)),
    ]
}

/// Runs `cmd` with `bytes` piped to its standard input.
fn piped(mut cmd: Command, bytes: Vec<u8>) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exback runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_given_to_import_import_or_are_refused_with_nothing_damaged(
        bytes in input(),
        from_stdin in any::<bool>(),
    ) {
        let env = copy_of_base();
        let before = snapshot(&env.data());
        let out = if from_stdin {
            piped(env.cmd(&["import", "-"]), bytes)
        } else {
            let file = env.tmp.path().join("in.json");
            std::fs::write(&file, &bytes).unwrap();
            env.run(&["import", file.to_str().unwrap()], "")
        };
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        match out.status.code() {
            Some(0) => {
                // Whatever came in, every record of the journal reads back, and what
                // was there before is still there.
                let store = Store::open(&env.data());
                let mut ids = Vec::new();
                for item in store.oldest_first().unwrap() {
                    match item.unwrap() {
                        Item::Entry(entry) => ids.push(entry.id),
                        Item::Damaged(d) => prop_assert!(false, "damaged after import: {:?}", d),
                    }
                }
                for (path, old) in &before {
                    if path.extension().is_some_and(|x| x == "jsonl") {
                        let now = std::fs::read(path).unwrap();
                        for line in old.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                            prop_assert!(
                                now.split(|b| *b == b'\n').any(|l| l == line),
                                "a line of {} was lost", path.display()
                            );
                        }
                    }
                }
            }
            Some(1) => {
                prop_assert!(err.starts_with("exback: "), "{}", err);
                prop_assert_eq!(err.trim_end().lines().count(), 1, "one line: {}", err);
                prop_assert_eq!(snapshot(&env.data()), before, "a refused import changed nothing");
            }
            code => prop_assert!(false, "exit {:?}: {}", code, err),
        }
    }
}
