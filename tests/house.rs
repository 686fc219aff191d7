//! The shape of the house, checked: no arrow between the top-level modules of `src/`
//! runs back in a circle, and every `file.rs:NNN` reference in the docs still holds.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, outside the test modules' own files.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|x| x == "rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// `top -> {targets}`: which top-level module names which other one as `crate::X`,
/// in code outside the `tests` modules and comments.
fn arrows(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let tops: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "lib.rs" && n != "main.rs")
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect();
    let mut files = Vec::new();
    sources(src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let top = rel.iter().next().unwrap().to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if !tops.contains(&top) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if tops.contains(&name) && name != top {
                    graph.entry(top.clone()).or_default().insert(name);
                }
            }
        }
    }
    graph
}

/// The modules reachable from `from` by following arrows.
fn reachable(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(next) = todo.pop() {
        for target in graph.get(&next).into_iter().flatten() {
            if seen.insert(target.clone()) {
                todo.push(target.clone());
            }
        }
    }
    seen
}

fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (from, targets) in graph {
        for to in targets {
            if reachable(graph, to).contains(from) {
                found.push(format!("{from} -> {to}, and {to} leads back to {from}"));
            }
        }
    }
    found
}

#[test]
fn no_arrow_between_the_top_level_modules_runs_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = arrows(&src);
    // The check sees arrows at all: the commands use the store, the store never the ui.
    assert!(graph["commands"].contains("journal"), "{graph:?}");
    assert!(!graph["journal"].contains("ui"), "{graph:?}");
    let found = circles(&graph);
    assert!(
        found.is_empty(),
        "modules in a circle:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_circle_is_found() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut arrow = |a: &str, b: &str| {
        graph.entry(a.into()).or_default().insert(b.into());
    };
    arrow("journal", "limits");
    arrow("limits", "ui");
    arrow("ui", "dates");
    assert!(circles(&graph).is_empty());
    graph.get_mut("ui").unwrap().insert("journal".into());
    assert_eq!(circles(&graph).len(), 3, "{:?}", circles(&graph));
}

#[test]
fn every_file_and_line_reference_in_the_docs_still_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !common::tool_present("python3", python) {
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/check-doc-lines"))
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scripts/check-doc-lines:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
