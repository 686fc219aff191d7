//! The words of the journey page come from `[page]` and `[page_chart]` of
//! `screens.toml`: a content pack that changes them changes the page, and the page
//! escapes them as it escapes the user's words.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::Env;

/// The sentences the page can never say: the chart is drawn only when there is a
/// check-in, and a readiness check is folded only when it has an answer.
const UNREACHABLE: [&str; 2] = ["page_chart.summary_none", "page.answers_none"];

/// The built-in content with every sentence of `[page]` and `[page_chart]` replaced by
/// `«section.key»` and its placeholders, so that the page shows where each one went.
/// `[page] heading` also carries markup and a command, to see how they are placed.
fn marked_pack(dir: &Path) -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for file in std::fs::read_dir(&content).unwrap() {
        let file = file.unwrap();
        std::fs::copy(file.path(), dir.join(file.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(content.join("screens.toml")).unwrap();
    let mut screens: toml::Table = toml::from_str(&text).unwrap();
    let mut markers = Vec::new();
    for section in ["page", "page_chart"] {
        let table = screens[section].as_table_mut().unwrap();
        assert!(table.len() > 10, "[{section}] holds the page's words");
        for (key, value) in table.iter_mut() {
            let marker = format!("«{section}.{key}»");
            let mut sentence = marker.clone();
            for part in value.as_str().unwrap().split('{').skip(1) {
                let name = part.split('}').next().unwrap();
                let _ = write!(sentence, " {{{name}}}");
            }
            if *key == "heading" {
                sentence.push_str(" & <b> `exback log`");
            }
            *value = toml::Value::String(sentence);
            markers.push(marker);
        }
    }
    std::fs::write(dir.join("screens.toml"), toml::to_string(&screens).unwrap()).unwrap();
    markers
}

/// A data folder holding `files` (name, lines).
fn folder(files: &[(&str, String)]) -> Env {
    let env = Env::new();
    env.make_data();
    for (name, text) in files {
        std::fs::write(env.file(name), text).unwrap();
    }
    env
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/journey");
    std::fs::read_to_string(path.join(name)).unwrap()
}

/// One line of the journal (`at` on a November day at ten).
fn entry(id: &str, day: u8, fields: &str) -> String {
    format!("{{\"v\":1,\"id\":\"{id}\",\"at\":\"2026-11-{day:02}T10:00:00+01:00\",{fields}}}\n")
}

fn progress(onboarding: &str, steps: &str, outcome: &str) -> String {
    format!(
        "{{\"format_version\":1,\"onboarding\":{{\"answered_at\":\"2026-10-24T21:05:00+01:00\",\
         {onboarding},\"breakup_said\":\"then\",\"ended_by\":\"them\",\"felt_unsafe\":false}},\
         \"steps\":{{{steps}}}{outcome}}}"
    )
}

/// The sample journey and a line for each case the sample lacks: contacts of every
/// kind, a revisit over two days with an edited number, a readiness answer with no
/// question, steps the workbook no longer has, a step ahead, and outcome reflections.
fn full() -> Env {
    let mut contacts = fixture("contacts.jsonl");
    let mut n = 0;
    for channel in ["text", "call", "social", "in-person", "other"] {
        for from in ["me", "them"] {
            for replied in [",\"replied\":true", ",\"replied\":false", ""] {
                for felt in [",\"felt\":4", ""] {
                    n += 1;
                    let _ = writeln!(
                        contacts,
                        "{{\"v\":1,\"id\":\"k{n:011}\",\"at\":\"2026-11-26T{:02}:{:02}:00+01:00\",\
                         \"channel\":\"{channel}\",\"from\":\"{from}\"{replied}{felt}}}",
                        n / 60,
                        n % 60
                    );
                }
            }
        }
    }
    let step3 = "\"kind\":\"answer\",\"step\":3,\"step_id\":\"contact\"";
    let journal = [
        fixture("journal.jsonl"),
        entry(
            "z00000000001",
            23,
            "\"kind\":\"readiness\",\"step\":3,\"step_id\":\"contact\",\"answer\":\"yes\"",
        ),
        entry(
            "z00000000002",
            24,
            &format!("{step3},\"prompt_id\":\"why-now\",\"answer\":\"again\""),
        ),
        entry(
            "z00000000003",
            25,
            &format!(
                "{step3},\"prompt_id\":\"time-since\",\"prompt\":\"How long?\",\
                 \"prompt_kind\":\"scale\",\"answer\":\"5\",\
                 \"edited_at\":\"2026-11-26T10:00:00+01:00\""
            ),
        ),
        entry(
            "z00000000004",
            25,
            "\"kind\":\"answer\",\"step\":9,\"step_id\":\"gone\",\"answer\":\"kept\"",
        ),
        entry(
            "z00000000005",
            25,
            "\"kind\":\"answer\",\"answer\":\"kept too\"",
        ),
        entry(
            "z00000000006",
            26,
            "\"kind\":\"answer\",\"step\":5,\"step_id\":\"conversation\",\"prompt\":\"Q\",\
             \"answer\":\"early\"",
        ),
        entry(
            "z00000000007",
            27,
            "\"kind\":\"outcome\",\"outcome\":\"friends\",\"answer\":\"reflected\"",
        ),
        entry(
            "z00000000008",
            27,
            "\"kind\":\"outcome\",\"answer\":\"unsure\"",
        ),
    ]
    .concat();
    let mut progress = fixture("progress.json");
    let end = progress.rfind('}').unwrap();
    progress.insert_str(
        end,
        ",\"outcome\":{\"kind\":\"friends\",\"at\":\"2026-11-27T10:00:00+01:00\"}",
    );
    journal_with(&journal, &progress, &fixture("moods.jsonl"), &contacts)
}

fn journal_with(journal: &str, progress: &str, moods: &str, contacts: &str) -> Env {
    folder(&[
        ("journal.jsonl", journal.to_string()),
        ("progress.json", progress.to_string()),
        ("moods.jsonl", moods.to_string()),
        ("contacts.jsonl", contacts.to_string()),
    ])
}

/// No check-ins and no contact; no contact asked for, so the moving-on steps are open
/// once the first two are done; one answer to a step not offered; broken up yesterday.
fn quiet() -> Env {
    let done = "{\"answered\":[],\"completed_at\":\"2026-11-20T10:00:00+01:00\"}";
    journal_with(
        &entry(
            "q00000000001",
            21,
            "\"kind\":\"answer\",\"step\":3,\"step_id\":\"contact\",\"answer\":\"anyway\"",
        ),
        &progress(
            "\"breakup_date\":\"2026-11-28\",\"no_contact\":true",
            &format!("\"understand\":{done},\"prepare\":{done}"),
            "",
        ),
        "",
        "",
    )
}

/// One check-in, one contact, one step done, no entries, a breakup date still ahead.
fn single() -> Env {
    journal_with(
        "",
        &progress(
            "\"breakup_date\":\"2026-12-25\",\"no_contact\":false",
            "\"understand\":{\"answered\":[],\"completed_at\":\"2026-11-25T10:00:00+01:00\"}",
            ",\"outcome\":{\"kind\":\"moved-on\",\"at\":\"2026-11-28T10:00:00+01:00\"}",
        ),
        "{\"v\":1,\"id\":\"m1\",\"at\":\"2026-11-20T10:00:00+01:00\",\"score\":4}\n",
        "{\"v\":1,\"id\":\"c1\",\"at\":\"2026-11-21T10:00:00+01:00\",\"channel\":\"call\",\
         \"from\":\"me\"}\n",
    )
}

fn page(env: &Env, pack: &Path, args: &[&str]) -> String {
    let mut cmd = env.cmd(&[&["export", "--format", "html"][..], args].concat());
    cmd.env("EXBACK_CONTENT_DIR", pack);
    let out = common::run_with(cmd, "");
    assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_word_of_the_page_comes_from_the_content_escaped() {
    let pack = tempfile::tempdir().unwrap();
    let markers = marked_pack(pack.path());
    let (full, quiet, single) = (full(), quiet(), single());
    let pages = [
        page(&full, pack.path(), &[]),
        page(
            &full,
            pack.path(),
            &["--since", "2026-11-20", "--until", "2026-11-28"],
        ),
        page(&full, pack.path(), &["--step", "3"]),
        page(&quiet, pack.path(), &[]),
        page(&single, pack.path(), &[]),
    ];
    let all = pages.concat();
    let missing: Vec<&String> = markers
        .iter()
        .filter(|m| !all.contains(m.as_str()) && !UNREACHABLE.iter().any(|u| m.contains(u)))
        .collect();
    assert!(missing.is_empty(), "never on the page: {missing:?}");
    for page in &pages {
        assert!(
            page.contains("<title>«page.title» "),
            "the title is a sentence"
        );
        assert!(
            page.contains("<h1>«page.heading» &amp; &lt;b&gt; <code>exback log</code></h1>"),
            "a sentence is escaped and a command in backticks is code"
        );
        // Outside the markers, the page holds none of the built-in words.
        for built_in in [
            "Your journey",
            "How your mood moved",
            "Mood over time",
            "reached out",
        ] {
            assert!(!page.contains(built_in), "{built_in} is still in the code");
        }
    }
}
