//! The journey page (`exback export --format html`), the terminal mood chart (`exback
//! mood`), and where and how an export file is written: through the real binary, and
//! in a real browser (Chromium, headless) for what only a browser can tell.

mod common;

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, mode, stderr};
use serde_json::Value;

/// The sample journal: two steps done (step 1 revisited), step 3 begun, 22 check-ins,
/// four contacts, two free entries, a draft and a note filed under a step.
fn journey() -> Env {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/journey");
    env.make_data();
    for name in [
        "journal.jsonl",
        "progress.json",
        "moods.jsonl",
        "contacts.jsonl",
    ] {
        std::fs::copy(fixture.join(name), env.file(name)).unwrap();
    }
    env
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What the page must show of the journal, escaped as HTML text.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const INJECTIONS: [&str; 4] = [
    "<script>document.title='owned'</script>",
    "<img src=x onerror=\"document.body.dataset.owned=1\">",
    "</title><h1 id=\"injected\">loud</h1>",
    "\" onmouseover=\"alert(1)",
];

/// Adds an answer, a free entry, a draft, a check-in and a contact that each try to
/// become markup.
fn inject(env: &Env) {
    let text = INJECTIONS.join(" ");
    let mut journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    for (kind, extra) in [
        (
            "answer",
            r#""step":3,"step_id":"contact","prompt_id":"channel","prompt":"How would you most naturally get in touch? </title><b>","#,
        ),
        ("note", r#""tags":["<svg onload=alert(1)>"],"#),
        ("draft", ""),
    ] {
        let _ = writeln!(
            journal,
            "{{\"v\":1,\"id\":\"e0000000000{}\",\"at\":\"2026-11-29T12:00:00+01:00\",\"kind\":\"{kind}\",{extra}\"answer\":{}}}",
            kind.len(),
            serde_json::to_string(&text).unwrap()
        );
    }
    std::fs::write(env.file("journal.jsonl"), journal).unwrap();
    env.ok(&["mood", "5", &text], "");
    env.ok(
        &[
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "them",
            "--note",
            &text,
            "--at",
            "2026-11-29 12:30",
        ],
        "",
    );
}

fn page(env: &Env, args: &[&str]) -> String {
    env.ok(&[&["export", "--format", "html"][..], args].concat(), "")
}

#[test]
fn the_page_matches_its_snapshot() {
    let env = journey();
    let html = page(&env, &[]);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/journey.html");
    if std::env::var_os("EXBACK_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &html).unwrap();
    }
    let expected = std::fs::read_to_string(&path).expect("tests/snapshots/journey.html");
    assert_eq!(
        html,
        expected,
        "the page differs from {} (EXBACK_UPDATE_SNAPSHOTS=1 rewrites it)",
        path.display()
    );
}

#[test]
fn the_page_holds_every_answer_step_check_in_and_contact() {
    let env = journey();
    let html = page(&env, &[]);
    let journal = lines(&env.file("journal.jsonl"));
    for e in &journal {
        let answer = escaped(e["answer"].as_str().unwrap());
        assert!(html.contains(&answer), "answer missing: {answer}");
        if let Some(prompt) = e["prompt"].as_str() {
            assert!(
                html.contains(&escaped(prompt)),
                "question missing: {prompt}"
            );
        }
    }
    for title in [
        "Step 1 · Understand why the breakup happened",
        "Step 2 · Prepare yourself emotionally",
        "Step 3 · Re-establish contact the right way",
    ] {
        assert!(html.contains(&format!("{title}</h2>")), "{title}");
    }
    assert!(
        !html.contains("Step 4 ·"),
        "steps not begun are not on the page"
    );
    // Step 1 was revisited on 15 November; its readiness check is folded.
    assert!(html.contains("<h3>Revisited on 15 November 2026</h3>"));
    assert!(html.contains("<h3>Written from 24 October 2026 to 27 October 2026</h3>"));
    assert_eq!(html.matches("<details class=\"readiness\">").count(), 2);
    assert!(
        html.contains("<p class=\"a\">8 out of 10</p>"),
        "a scale answer"
    );
    // The draft is marked unsent; the cover has the breakup and the steps done.
    assert_eq!(
        html.matches("<span class=\"badge\">unsent</span>").count(),
        1
    );
    assert!(html.contains("around 18 October 2026 · 42 days since"));
    assert!(html.contains("<dt>Steps done</dt><dd>2 of 7</dd>"));
    // One mark per check-in, one per contact, one per finished step.
    let moods = lines(&env.file("moods.jsonl"));
    assert_eq!(
        html.matches("<circle class=\"check-in\"").count(),
        moods.len()
    );
    assert_eq!(html.matches("<circle class=\"contact ").count(), 4);
    assert_eq!(html.matches("<path class=\"step-done\" d=\"M").count(), 2);
    assert!(html.contains("<title>24 Nov 2026 19:30 · 7/10 · A short, kind call.</title>"));
    assert!(html.contains("22 mood check-ins from 20 October 2026 to 29 November 2026."));
    assert!(
        html.contains("<strong>They reached out</strong> · a call · you responded · it felt 7/10")
    );
    // Self-contained: no script, nothing to fetch.
    for banned in [
        "<script",
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
        "@font-face",
    ] {
        assert!(!html.contains(banned), "{banned}");
    }
}

#[test]
fn nothing_the_user_wrote_can_become_markup() {
    let env = journey();
    inject(&env);
    let html = page(&env, &[]);
    for raw in [
        "<script",
        "<img",
        "<h1 id=\"injected\"",
        "<svg onload",
        "<b>",
        "\" onmouseover",
    ] {
        assert!(!html.contains(raw), "{raw} came through unescaped");
    }
    let text = escaped(&INJECTIONS.join(" "));
    // The answer, the free entry, the draft, the check-in's table row and the contact
    // note, plus the check-in's <title> with its own prefix.
    assert!(html.matches(text.as_str()).count() >= 5, "{html}");
    assert!(html.contains("How would you most naturally get in touch? &lt;/title&gt;&lt;b&gt;"));
    assert!(html.contains("#&lt;svg onload=alert(1)&gt;"));
}

#[test]
fn since_until_and_step_choose_what_the_page_holds() {
    let env = journey();
    let html = page(&env, &["--since", "2026-11-10", "--until", "2026-11-20"]);
    assert!(html.contains(
        "This page holds part of your journal: from 10 November 2026, up to 20 November 2026."
    ));
    assert!(html.contains("We both waited for the other one to slow down first."));
    assert!(
        !html.contains("We let the everyday crowd out the two of us."),
        "24 October is before --since"
    );
    assert!(
        !html.contains("Walked to work the long way"),
        "26 November is after --until"
    );
    assert_eq!(html.matches("<circle class=\"check-in\"").count(), 6);
    assert_eq!(html.matches("<circle class=\"contact ").count(), 2);

    let html = page(&env, &["--step", "2"]);
    assert!(html.contains("Step 2 · Prepare yourself emotionally</h2>"));
    assert!(!html.contains("Step 1 · Understand why the breakup happened</h2>"));
    assert!(
        html.contains("Walked to work the long way"),
        "a free entry filed under step 2"
    );
    assert!(
        !html.contains("Lunch with Priya. Laughed"),
        "free entries of no step"
    );

    for (args, says) in [
        (vec!["--step", "9"], "step"),
        (vec!["--since", "someday"], "--since"),
        (
            vec!["--since", "2026-11-20", "--until", "2026-11-10"],
            "after --until",
        ),
    ] {
        let out = env.run(&[&["export", "--format", "html"][..], &args].concat(), "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    let out = env.run(&["export", "--since", "2026-11-10"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("add --format html"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_export_file_is_private_replaced_whole_and_kept_when_the_export_fails() {
    let env = journey();
    let out_dir = env.tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("journey.html");
    std::fs::write(&target, "the previous export\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let path = target.to_str().unwrap();
    let out = env.run(&["export", "--format", "html", "-o", path], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("readable by you only"));
    assert_eq!(
        mode(&target),
        0o600,
        "an existing readable file becomes private"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), page(&env, &[]));

    // Every format, over an existing file: 0600, and no temporary file left beside it.
    for format in ["json", "markdown"] {
        std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .unwrap();
        env.ok(&["export", "--format", format, "-o", path], "");
        assert_eq!(mode(&target), 0o600, "{format}");
        assert_eq!(
            std::fs::read(&target).unwrap(),
            env.ok(&["export", "--format", format], "").into_bytes()
        );
    }
    let previous = std::fs::read(&target).unwrap();

    // A damaged progress file makes every export fail: the old file stays as it was.
    std::fs::write(env.file("progress.json"), "{\"format_version\": 1,").unwrap();
    for format in ["json", "markdown", "html"] {
        let out = env.run(&["export", "--format", format, "-o", path], "");
        assert_eq!(out.status.code(), Some(1), "{format}");
        let err = stderr(&out);
        assert!(err.contains("was left as it was"), "{format}: {err}");
        assert_eq!(std::fs::read(&target).unwrap(), previous, "{format}");
    }
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["journey.html"], "no temporary file is left behind");
}

#[test]
fn an_export_through_a_link_replaces_its_target_and_devices_are_refused() {
    let env = journey();
    let dir = env.tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let real = dir.join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    env.ok(&["export", "-o", link.to_str().unwrap()], "");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        env.ok(&["export"], "")
    );
    assert_eq!(mode(&real), 0o600);

    for device in ["/dev/null", "/dev/stdout"] {
        let out = env.run(&["export", "-o", device], "");
        assert_eq!(out.status.code(), Some(1), "{device}");
        assert!(
            stderr(&out).contains("is not a regular file"),
            "{}",
            stderr(&out)
        );
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn an_export_into_a_reader_that_stops_early_ends_quietly() {
    let env = journey();
    let mut journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let long = "a".repeat(4000);
    for i in 0..300 {
        let _ = writeln!(
            journal,
            "{{\"v\":1,\"id\":\"f{i:011}\",\"at\":\"2026-11-01T10:00:00+01:00\",\"kind\":\"note\",\"answer\":\"{long}\"}}"
        );
    }
    std::fs::write(env.file("journal.jsonl"), journal).unwrap();
    for format in ["json", "markdown", "html"] {
        let mut child = env
            .cmd(&["export", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{format}");
    }
}

#[test]
fn an_output_inside_the_data_directory_is_refused_before_anything_is_opened() {
    let env = journey();
    let data = env.data();
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let outside = env.tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(data.join("journal.jsonl"), outside.join("link.json")).unwrap();
    std::os::unix::fs::symlink(&data, outside.join("dir-link")).unwrap();
    let dotdot = format!("{}/../data/./moods.jsonl", outside.display());
    let cases: Vec<(PathBuf, String)> = vec![
        (data.clone(), "journal.jsonl".into()),
        (data.clone(), "progress.json".into()),
        (
            env.tmp.path().into(),
            data.join("progress.json").display().to_string(),
        ),
        (env.tmp.path().into(), "data/contacts.jsonl".into()),
        (env.tmp.path().into(), dotdot),
        (outside.clone(), "link.json".into()),
        (outside.clone(), "dir-link/new-file.html".into()),
        (data.clone(), "new-export.json".into()),
    ];
    for (cwd, output) in &cases {
        for format in ["json", "markdown", "html"] {
            let mut cmd = env.cmd(&["export", "--format", format, "-o", output]);
            cmd.current_dir(cwd);
            let out = common::run_with(cmd, "");
            assert_eq!(
                out.status.code(),
                Some(1),
                "{output} from {}",
                cwd.display()
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(err.contains("is inside the data directory"), "{err}");
        }
    }
    for (path, bytes) in &before {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} untouched",
            path.display()
        );
    }
    assert_eq!(
        std::fs::read_dir(&data).unwrap().count(),
        before.len(),
        "nothing new in the data dir"
    );
    assert!(
        std::fs::symlink_metadata(outside.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A sibling folder whose name starts like the data dir's is fine.
    let sibling = env.tmp.path().join("data-exports");
    std::fs::create_dir(&sibling).unwrap();
    env.ok(
        &["export", "-o", sibling.join("x.json").to_str().unwrap()],
        "",
    );
}

#[test]
fn mood_without_a_number_draws_the_last_12_weeks() {
    let env = journey();
    let out = env.run(&["mood"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let chart = String::from_utf8(out.stdout).unwrap();
    assert!(!chart.contains('\u{1b}'), "no colour when piped");
    let rows: Vec<&str> = chart.lines().collect();
    assert_eq!(rows.len(), 9, "{chart}");
    assert!(rows.iter().all(|l| l.chars().count() <= 80), "{chart}");
    assert!(rows[0].starts_with("Mood, the last 12 weeks (7 Sep to 29 Nov 2026)"));
    assert_eq!(
        rows[8],
        "22 check-ins on 22 days · average 5.0 · lowest 2 · highest 7"
    );
    let dots: usize = rows[1..=5]
        .iter()
        .flat_map(|l| l.chars())
        .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
        .count();
    assert!(dots >= 22, "a dot per day at least: {chart}");
    // Nothing before 20 October: the left part of every row is empty.
    assert!(
        rows[1..=5]
            .iter()
            .all(|l| l.chars().skip(4).take(20).all(|c| c == ' '))
    );

    let json: Value = serde_json::from_str(&env.ok(&["mood", "--json"], "")).unwrap();
    assert_eq!(json["from"], "2026-09-07");
    assert_eq!(json["to"], "2026-11-29");
    assert_eq!(json["days"].as_array().unwrap().len(), 84);
    assert_eq!(
        json["days"][83],
        serde_json::json!({"date": "2026-11-29", "score": 7, "check_ins": 1})
    );
    assert_eq!(json["days"][0]["score"], Value::Null);
    assert_eq!(json["check_ins"], 22);
    assert_eq!(json["average"], 5.0);
    assert_eq!(
        (json["lowest"].clone(), json["highest"].clone()),
        (2.into(), 7.into())
    );

    let empty = Env::new();
    assert!(
        empty
            .ok(&["mood"], "")
            .contains("No mood check-ins in the last 12 weeks")
    );
    assert!(
        empty
            .ok(&["mood", "--json"], "")
            .contains("\"check_ins\": 0")
    );
    for args in [
        &["mood", "--json", "5"][..],
        &["mood", "--", "", "note"][..],
    ] {
        assert_eq!(empty.run(args, "").status.code(), Some(2), "{args:?}");
    }
    assert!(!empty.file("moods.jsonl").exists());
}

// ---- In a real browser -------------------------------------------------------------

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `page` with `args`, in a fresh profile, and returns
/// standard output. Fails the test after 40 s.
fn chromium(page: &Path, args: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?}: {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(40) {
            let _ = child.kill();
            panic!("chromium {args:?} took more than 40 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// Distinct colours in a PNG, and its size.
fn colours(png_bytes: &[u8]) -> (usize, u32, u32) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    let mut seen = std::collections::HashSet::new();
    for px in buf[..info.buffer_size()].chunks(step) {
        seen.insert(px.to_vec());
    }
    (seen.len(), info.width, info.height)
}

#[test]
fn the_page_renders_prints_and_stays_inert_in_chromium() {
    if !Path::new(CHROMIUM).exists() {
        let why = format!(
            "{CHROMIUM} is missing (apt-get install chromium); the browser test cannot run"
        );
        assert!(
            std::env::var_os("EXBACK_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{why}"
        );
        eprintln!("note: {why}; skipped");
        return;
    }
    let env = journey();
    inject(&env);
    let file = env.tmp.path().join("journey.html");
    env.ok(
        &["export", "--format", "html", "-o", file.to_str().unwrap()],
        "",
    );
    let pdf = env.tmp.path().join("journey.pdf");
    let shot = env.tmp.path().join("journey.png");
    // The three runs are independent: run them side by side.
    let jobs = [
        vec!["--dump-dom".to_string()],
        vec![
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        vec![
            format!("--screenshot={}", shot.display()),
            "--window-size=900,1200".into(),
        ],
    ];
    let outputs: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|a| s.spawn(|| chromium(&file, a)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // The DOM, as the browser built it.
    let dom = String::from_utf8_lossy(&outputs[0]);
    assert!(dom.contains("Your journey so far"), "{dom}");
    for text in [
        "Step 1 · Understand why the breakup happened",
        "Step 2 · Prepare yourself emotionally",
        "We let the everyday crowd out the two of us.",
        "Protect one evening a week, no matter what.",
        "Walked to work the long way, on purpose this time",
    ] {
        assert!(dom.contains(text), "{text} is not in the DOM");
    }
    let moods = lines(&env.file("moods.jsonl")).len();
    assert_eq!(moods, 23);
    assert_eq!(
        dom.matches("<circle class=\"check-in\"").count(),
        moods,
        "one mark per check-in"
    );
    // The injections are text: no script, image or heading made it into the DOM, the
    // title is untouched, and the text reads as typed.
    // In the serialised DOM every `<` of text is `&lt;`, so each `<` opens a real tag.
    let tags: Vec<&str> = dom
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
        .collect();
    assert!(tags.len() > 200, "{} tags", tags.len());
    for tag in &tags {
        let name = tag.split([' ', '/']).next().unwrap_or("");
        assert!(
            !["script", "img", "h1 id=\"injected\""]
                .iter()
                .any(|b| tag.starts_with(b)),
            "<{tag}>"
        );
        assert!(
            name != "b"
                && !tag.contains("onerror")
                && !tag.contains("onmouseover")
                && !tag.contains("onload"),
            "<{tag}>"
        );
    }
    assert_eq!(tags.iter().filter(|t| t.starts_with("h1")).count(), 1);
    assert!(!dom.contains("data-owned"), "the onerror handler ran");
    assert!(dom.contains("<title>Your journey · 29 November 2026</title>"));
    assert!(dom.contains("&lt;script&gt;document.title='owned'&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=\"document.body.dataset.owned=1\"&gt;"));

    // It prints: a PDF of several pages (each step starts a page).
    let pdf = std::fs::read(&pdf).expect("the PDF was written");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let text = String::from_utf8_lossy(&pdf);
    // Page objects are `/Type /Page`; the page tree is `/Type /Pages`.
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, m)| text.as_bytes().get(i + m.len()) != Some(&b's'))
        .count();
    assert!(
        pages > 3,
        "expected a page per step and more, found {pages}"
    );

    // The screenshot shows a page, not a blank or a single colour.
    let (distinct, width, height) = colours(&std::fs::read(&shot).expect("the screenshot"));
    assert_eq!((width, height), (900, 1200));
    assert!(
        distinct > 50,
        "only {distinct} colours: the page looks blank"
    );
}

/// A 5,000-character word in a check-in note, a contact note, an answer and a tag.
const LONG_WORD: usize = 5_000;

fn long_words(env: &Env) {
    let word = "w".repeat(LONG_WORD);
    env.ok(&["mood", "4", &word], "");
    env.ok(
        &[
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--note",
            &word,
            "--at",
            "2026-11-29 12:40",
        ],
        "",
    );
    let mut journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let _ = writeln!(
        journal,
        r#"{{"v":1,"id":"f00000000001","at":"2026-11-29T12:00:00+01:00","kind":"note","tags":["{word}"],"answer":"{word}"}}"#
    );
    std::fs::write(env.file("journal.jsonl"), journal).unwrap();
}

/// Control characters stored in the journal, a check-in and a contact reach the page
/// as visible placeholders, never as the raw bytes.
#[test]
fn control_characters_never_reach_the_page_raw() {
    let env = journey();
    // A NUL cannot be a command-line argument: only the journal line holds one.
    let hostile = "esc \u{1b}[2J c1 \u{9b}31m bidi \u{202e}evil";
    let mut journal = std::fs::read_to_string(env.file("journal.jsonl")).unwrap();
    let _ = writeln!(
        journal,
        r#"{{"v":1,"id":"f00000000002","at":"2026-11-29T12:00:00+01:00","kind":"note","tags":["t"],"answer":{}}}"#,
        serde_json::to_string(&format!("nul \u{0} {hostile}")).unwrap()
    );
    std::fs::write(env.file("journal.jsonl"), journal).unwrap();
    env.ok(&["mood", "5", hostile], "");
    env.ok(
        &[
            "contact",
            "add",
            "--channel",
            "text",
            "--from",
            "me",
            "--note",
            hostile,
            "--at",
            "2026-11-29 12:40",
        ],
        "",
    );
    let html = page(&env, &[]);
    let raw: Vec<char> = html
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n' && *c != '\t') || ('\u{202a}'..='\u{202e}').contains(c)
        })
        .collect();
    assert!(raw.is_empty(), "raw in the page: {raw:?}");
    let shown = "esc ^[[2J c1 &lt;U+009B&gt;31m bidi &lt;U+202E&gt;evil";
    // The free entry, the check-in's table row and chart title, and the contact note.
    assert!(html.matches(shown).count() >= 4, "{shown} in:\n{html}");
    assert!(html.contains(&format!("nul ^@ {shown}")));
}

#[test]
fn a_very_long_word_wraps_instead_of_widening_the_page() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("EXBACK_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{CHROMIUM} is missing (apt-get install chromium); the browser test cannot run"
        );
        eprintln!("note: {CHROMIUM} is missing; skipped");
        return;
    }
    let env = journey();
    long_words(&env);
    let html = page(&env, &[]);
    assert!(html.matches(&"w".repeat(LONG_WORD)).count() >= 4);
    // A copy of the page with a script that opens every folded part (as print does)
    // and writes down how wide the page and each table are laid out. The page itself
    // has no script and forbids them; the copy drops that rule.
    let csp = html
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .expect("the page's script ban");
    let probe = html.replace(csp, "").replace(
        "</body>",
        "<script>document.querySelectorAll('details').forEach(d => d.open = true);\
         const w = [document.documentElement.scrollWidth, document.body.scrollWidth]\
         .concat([...document.querySelectorAll('table, main, p, li, td, h4')]\
         .map(e => Math.ceil(e.getBoundingClientRect().right)));\
         document.body.dataset.widest = Math.max(...w);\
         document.body.dataset.viewport = window.innerWidth;</script></body>",
    );
    let file = env.tmp.path().join("probe.html");
    std::fs::write(&file, probe).unwrap();
    // 500 px is the narrowest window headless Chromium lays out.
    for width in [900, 500] {
        let dom = chromium(
            &file,
            &[
                "--dump-dom".to_string(),
                format!("--window-size={width},1000"),
            ],
        );
        let dom = String::from_utf8_lossy(&dom);
        let number = |name: &str| -> u32 {
            let at = dom
                .find(&format!("data-{name}=\""))
                .unwrap_or_else(|| panic!("data-{name} in the DOM"));
            let rest = &dom[at + name.len() + 7..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let (widest, viewport) = (number("widest"), number("viewport"));
        assert!(viewport <= width, "{viewport}");
        assert!(
            widest <= viewport,
            "at {width} px the page is laid out {widest} px wide"
        );
    }
}
