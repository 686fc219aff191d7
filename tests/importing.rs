//! Imports are all or nothing, take in only what doctor would call sound, keep ids
//! unique and addressable, survive daylight saving, and stay linear in their size.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Env, stderr};
use serde_json::{Value, json};

fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn entry(id: &str, at: &str, answer: &str) -> Value {
    json!({"v": 1, "id": id, "at": at, "kind": "note", "answer": answer})
}

fn export(entries: &[Value], logs: &Value) -> String {
    json!({"format": "exback-export", "version": 1, "progress": null, "entries": entries, "logs": logs})
        .to_string()
}

fn import(env: &Env, text: &str) -> std::process::Output {
    let file = env.tmp.path().join("in.json");
    std::fs::write(&file, text).unwrap();
    env.run(&["import", file.to_str().unwrap()], "")
}

fn contact() -> Value {
    json!({"v": 1, "id": "c1", "at": "2026-11-20T18:00:00+01:00", "channel": "text", "from": "me"})
}

fn mood(score: u64) -> Value {
    json!({"v": 1, "id": "m1", "at": "2026-11-20T18:00:00+01:00", "score": score})
}

#[test]
fn a_bad_record_anywhere_means_nothing_is_imported() {
    let bad_logs = [
        json!({"moods": [5]}),
        json!({"contacts": [contact(), {"garbage": true}]}),
        json!({"contacts": [contact()], "moods": [mood(99)]}),
        json!({"contacts": [contact()], "moods": [mood(4)], "notes": ["not an object"]}),
    ];
    for logs in bad_logs {
        let env = Env::new();
        env.ok(&["write", "already here"], "");
        let journal = read(&env.file("journal.jsonl"));
        let entries = [entry(
            "0000000000a1",
            "2026-11-20T10:00:00+01:00",
            "from the file",
        )];
        let out = import(&env, &export(&entries, &logs));
        assert_eq!(out.status.code(), Some(1), "{logs}");
        assert!(
            stderr(&out).contains("nothing was imported"),
            "{logs}: {}",
            stderr(&out)
        );
        assert_eq!(read(&env.file("journal.jsonl")), journal, "{logs}");
        assert!(!env.file("contacts.jsonl").exists(), "{logs}");
        assert!(!env.file("moods.jsonl").exists(), "{logs}");
    }
}

#[test]
fn doctor_checks_contact_and_mood_records_by_their_own_rules() {
    for (file, line) in [
        ("contacts.jsonl", r#"{"garbage":true}"#.to_string()),
        ("moods.jsonl", mood(99).to_string()),
        ("moods.jsonl", r#"{"v":1,"id":"x"}"#.to_string()),
    ] {
        let env = Env::new();
        env.ok(&["mood", "5"], "");
        let path = env.file(file);
        let mut bytes = read(&path);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        std::fs::write(&path, bytes).unwrap();
        let out = env.run(&["doctor"], "");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{file} {line}: {text}");
        assert!(text.contains(&format!("✗ {file}")), "{text}");
    }
}

#[test]
fn a_time_skipped_by_daylight_saving_takes_the_later_instant_and_says_so() {
    let env = Env::new();
    let jrnl = json!({"tags": {}, "entries": [
        {"title": "In the gap", "body": "", "date": "2026-03-08", "time": "02:30", "tags": [], "starred": false},
        {"title": "Before it", "body": "", "date": "2026-03-08", "time": "01:30", "tags": [], "starred": false},
    ]});
    let file = env.tmp.path().join("jrnl.json");
    std::fs::write(&file, jrnl.to_string()).unwrap();
    let mut cmd = env.cmd(&["import", file.to_str().unwrap()]);
    // New York's rules, written out (no tz database needed).
    cmd.env("TZ", "EST5EDT,M3.2.0,M11.1.0");
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = common::squash(&String::from_utf8_lossy(&out.stdout));
    assert!(text.contains("Imported 2 entries"), "{text}");
    assert!(
        text.contains("Entry 1: 2026-03-08 02:30 does not exist")
            && text.contains("saved at 2026-03-08 03:30"),
        "{text}"
    );
    let journal = String::from_utf8(read(&env.file("journal.jsonl"))).unwrap();
    assert!(journal.contains("2026-03-08T03:30:00-04:00"), "{journal}");
    assert!(journal.contains("2026-03-08T01:30:00-05:00"), "{journal}");
}

#[test]
fn imported_ids_stay_unique_and_a_full_id_addresses_its_entry() {
    let env = Env::new();
    let entries = [
        entry("abc123abc123", "2026-11-20T10:00:00+01:00", "long id"),
        entry("abc123", "2026-11-20T11:00:00+01:00", "short id"),
        entry("0000000000aa", "2026-11-20T12:00:00+01:00", "first twin"),
        entry("0000000000aa", "2026-11-20T13:00:00+01:00", "second twin"),
        entry("Not-Hex", "2026-11-20T14:00:00+01:00", "odd id"),
        entry("", "2026-11-20T15:00:00+01:00", "no id"),
    ];
    let out = import(&env, &export(&entries, &json!({})));
    assert!(out.status.success(), "{}", stderr(&out));
    // And once more, on top of what is there: nothing is duplicated.
    let out = import(&env, &export(&entries, &json!({})));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Imported 0 entries"));

    let journal: Vec<Value> = String::from_utf8(read(&env.file("journal.jsonl")))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(journal.len(), 6);
    let ids: Vec<String> = journal
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for e in &journal {
        let id = e["id"].as_str().unwrap();
        let shown = env.ok(&["show", id], "");
        assert!(
            shown.contains(e["answer"].as_str().unwrap()),
            "show {id}: {shown}"
        );
    }
}

#[test]
fn an_entry_with_100k_tags_imports_in_linear_time() {
    let env = Env::new();
    let tags: Vec<String> = (0..100_000).map(|i| format!("tag{}", i % 50_000)).collect();
    let jrnl = json!({"tags": {}, "entries": [
        {"title": "Tagged", "body": "", "date": "2026-11-20", "time": "10:00", "tags": tags, "starred": true},
    ]});
    let file = env.tmp.path().join("jrnl.json");
    std::fs::write(&file, jrnl.to_string()).unwrap();
    let start = Instant::now();
    env.ok(&["import", file.to_str().unwrap()], "");
    let took = start.elapsed();
    // Quadratic de-duplication took 13 s in a release build.
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let line = String::from_utf8(read(&env.file("journal.jsonl"))).unwrap();
    let v: Value = serde_json::from_str(line.trim()).unwrap();
    let kept = v["tags"].as_array().unwrap();
    assert_eq!(kept.len(), 50_001, "each tag once, and the star");
    assert_eq!(kept[0], "tag0");
    assert_eq!(kept[49_999], "tag49999");
}

#[test]
fn ctrl_c_during_an_import_leaves_all_or_nothing_and_says_which() {
    let entries: Vec<Value> = (0..20_000)
        .map(|i| {
            entry(
                &format!("{i:012x}"),
                "2026-11-20T10:00:00+01:00",
                &format!("imported entry {i}"),
            )
        })
        .collect();
    let text = export(&entries, &json!({"moods": [mood(5)]}));
    let mut outcomes = (0, 0);
    for delay_ms in [5u64, 40, 80, 120, 200, 300, 500, 800] {
        let env = Env::new();
        env.ok(&["write", "already here"], "");
        let file = env.tmp.path().join("in.json");
        std::fs::write(&file, &text).unwrap();
        let child = env
            .cmd(&["import", file.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        let lines = String::from_utf8(read(&env.file("journal.jsonl")))
            .unwrap()
            .lines()
            .count();
        if said.contains("Imported 20000 entries") {
            assert_eq!(lines, 20_001, "{delay_ms} ms: all of it");
            assert!(env.file("moods.jsonl").exists(), "{delay_ms} ms");
            outcomes.1 += 1;
        } else {
            assert!(said.is_empty(), "{delay_ms} ms: {said}");
            // 130 from exback's handler, or no code at all when the signal came before
            // the handler was installed.
            assert!(
                matches!(out.status.code(), Some(130) | None),
                "{delay_ms} ms: {:?}",
                out.status
            );
            assert_eq!(lines, 1, "{delay_ms} ms: none of it");
            assert!(!env.file("moods.jsonl").exists(), "{delay_ms} ms");
            outcomes.0 += 1;
        }
    }
    println!("stopped before: {}, after: {}", outcomes.0, outcomes.1);
}
