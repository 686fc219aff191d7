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
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
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

/// The lines of `text` with string, char and comment contents blanked, so that braces
/// inside them are not counted.
fn code_only(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut in_string, mut raw_hashes, mut block) = (false, None::<usize>, 0usize);
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut kept = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if block > 0 {
                if c == '*' && chars.get(i + 1) == Some(&'/') {
                    block -= 1;
                    i += 1;
                } else if c == '/' && chars.get(i + 1) == Some(&'*') {
                    block += 1;
                    i += 1;
                }
            } else if let Some(hashes) = raw_hashes {
                if c == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|h| **h == '#')
                        .count()
                        == hashes
                {
                    raw_hashes = None;
                    i += hashes;
                }
            } else if in_string {
                if c == '\\' {
                    i += 1;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            } else if c == '/' && chars.get(i + 1) == Some(&'*') {
                block += 1;
                i += 1;
            } else if c == 'r'
                && matches!(chars.get(i + 1), Some('"' | '#'))
                && !chars
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            {
                let hashes = chars[i + 1..].iter().take_while(|h| **h == '#').count();
                if chars.get(i + 1 + hashes) == Some(&'"') {
                    raw_hashes = Some(hashes);
                    i += 1 + hashes;
                } else {
                    kept.push(c);
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
                i += 2;
            } else if c == '\'' && chars.get(i + 1) == Some(&'\\') {
                let end = chars[i + 2..]
                    .iter()
                    .position(|x| *x == '\'')
                    .map_or(chars.len(), |p| i + 2 + p);
                i = end;
            } else {
                kept.push(c);
            }
            i += 1;
        }
        out.push(kept);
    }
    out
}

/// `(name, first line, lines)` of every function in `text` with a body.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines = code_only(text);
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            continue;
        };
        let before_ok = words[..at].iter().all(|w| {
            matches!(
                *w,
                "pub" | "pub(crate)" | "pub(super)" | "const" | "async" | "unsafe" | "extern"
            )
        });
        if !before_ok || at + 1 >= words.len() {
            continue;
        }
        let name: String = words[at + 1]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut depth = 0i64;
        let mut opened = false;
        for (end, l) in lines.iter().enumerate().skip(start) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened && depth == 0 => break,
                    _ => {}
                }
            }
            if !opened && l.contains(';') && depth == 0 {
                break;
            }
            if opened && depth == 0 {
                found.push((name.clone(), start + 1, end - start + 1));
                break;
            }
        }
    }
    found
}

#[test]
fn no_function_is_over_80_lines_and_no_file_over_800_outside_the_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        let count = code.lines().count();
        if count > 800 {
            long.push(format!("src/{rel}: {count} lines"));
        }
        for (name, line, lines) in functions(code) {
            if lines > 80 {
                long.push(format!("src/{rel}:{line}: fn {name} is {lines} lines"));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn functions_are_measured_from_their_line_to_their_closing_brace() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '{';\n    // }\n}\n\npub(crate) fn b(x: u8) -> u8 {\n    x\n}\nfn c();\n";
    assert_eq!(
        functions(text),
        [("a".to_string(), 1, 5), ("b".to_string(), 7, 3)]
    );
}
