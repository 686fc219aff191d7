//! Loading the workbook: the embedded content, broken files and what each problem says.

use super::*;

/// Every problem found in `files`, one per line (the files must be broken).
fn problems_in(files: BTreeMap<String, String>) -> String {
    let problems = Workbook::from_files(files).expect_err("these files are broken");
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn embedded_files() -> BTreeMap<String, String> {
    embedded::FILES
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect()
}

#[test]
fn the_built_in_workbook_has_seven_valid_steps_in_order() {
    let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wb.steps.len(), STEP_COUNT);
    for (i, step) in wb.steps.iter().enumerate() {
        assert_eq!(usize::from(step.number), i + 1);
        for path in [PathKind::Full, PathKind::NoContact, PathKind::Safety] {
            assert!(
                (4..=8).contains(&step.prompts_on(path).len()),
                "step {} on {path:?}",
                step.number
            );
        }
        assert!(!step.readiness.checks.is_empty());
    }
    let ids: std::collections::HashSet<_> = wb.steps.iter().map(|s| &s.id).collect();
    assert_eq!(ids.len(), STEP_COUNT);
    assert_eq!(
        embedded::FILES.len(),
        STEP_COUNT + 5,
        "seven step files, the welcome, pacing, outcome, moving-on and screens files"
    );
}

#[test]
fn the_built_in_moving_on_pacing_and_outcome_content_is_complete() {
    let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = wb.moving_on.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["grief", "lessons", "what-next"]);
    for (i, step) in wb.moving_on.steps.iter().enumerate() {
        assert_eq!(usize::from(step.number), i + 1);
        assert_eq!(step.set, StepSet::MovingOn);
    }
    assert!(wb.steps.iter().all(|s| s.set == StepSet::Workbook));
    let outcome_ids: Vec<&str> = wb.outcomes.outcomes.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(outcome_ids, OUTCOME_IDS);
    assert!(
        wb.outcomes
            .outcomes
            .iter()
            .all(|o| (1..=3).contains(&o.prompts.len()))
    );
    let r = wb.pacing.rules;
    assert_eq!(r.max_unanswered, 1, "no more than one unanswered message");
    assert!(r.quiet_days >= 14 && (2..=4).contains(&r.min_days_between));
    assert_eq!(
        wb.step_by_id("grief").map(|s| s.set),
        Some(StepSet::MovingOn)
    );
}

#[test]
fn no_nudge_tells_the_user_to_send_something_now() {
    let wb = Workbook::embedded().unwrap();
    let n = &wb.pacing.nudges;
    for nudge in [
        &n.no_contact,
        &n.safety,
        &n.moved_on,
        &n.unanswered,
        &n.quiet,
        &n.per_week,
        &n.every_few_days,
        &n.early_long,
        &n.waiting,
        &n.silence,
    ] {
        let text = nudge.text.to_lowercase();
        for phrase in [
            "send it now",
            "text them now",
            "reach out now",
            "message them now",
            "now is the time",
        ] {
            assert!(!text.contains(phrase), "{phrase:?} in {:?}", nudge.text);
        }
    }
}

#[test]
fn a_missing_pacing_file_and_an_unknown_placeholder_are_reported() {
    let mut files = embedded_files();
    files.remove("pacing.toml");
    let all = problems_in(files);
    assert!(all.contains("pacing.toml: missing"), "{all}");

    let mut files = embedded_files();
    let pacing = files.get_mut("pacing.toml").unwrap();
    *pacing = pacing.replacen("were {gap} apart", "were {gaps} apart", 1);
    let all = problems_in(files);
    assert!(
        all.contains("pacing.toml:") && all.contains("{gaps}"),
        "{all}"
    );
}

#[test]
fn every_outcome_must_be_there_once() {
    let mut files = embedded_files();
    let outcome = files.get_mut("outcome.toml").unwrap();
    *outcome = outcome.replacen("id = \"friends\"", "id = \"moved-on\"", 1);
    let all = problems_in(files);
    assert!(
        all.contains("outcome.toml") && all.contains("\"friends\""),
        "{all}"
    );
}

#[test]
fn step_three_offers_message_templates_and_step_five_conversation_openers() {
    let wb = Workbook::embedded().unwrap();
    let templates = |n: u8| -> usize {
        wb.step(n)
            .unwrap()
            .prompts
            .iter()
            .filter(|p| p.kind == PromptKind::Template)
            .map(|p| p.templates.len())
            .sum()
    };
    assert!(templates(3) >= 3);
    assert!(templates(5) >= 2);
}

#[test]
fn a_broken_file_is_reported_with_its_name_and_line() {
    let mut files = embedded_files();
    let step = files.get_mut("02-prepare.toml").unwrap();
    *step = step.replacen("kind = \"", "kind = \"essay_", 1);
    let problems = Workbook::from_files(files).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].file, "02-prepare.toml");
    assert!(problems[0].line.is_some());
    assert!(
        problems[0].message.contains("essay_"),
        "{}",
        problems[0].message
    );
}

#[test]
fn options_have_ids_and_bare_labels_still_read() {
    let mut files = embedded_files();
    let step = files.get_mut("01-understand.toml").unwrap();
    *step = step.replacen(
        "{ id = \"the-spark-faded\", label = \"The spark faded\" }",
        "\"The spark, faded\"",
        1,
    );
    let wb = Workbook::from_files(files).unwrap_or_else(|p| panic!("{p:?}"));
    let reasons = wb.step(1).unwrap().prompt("reasons").unwrap();
    assert_eq!(reasons.options[0].id, "the-spark-faded");
    assert_eq!(reasons.options[0].label, "The spark, faded");
}

#[test]
fn unknown_and_repeated_option_ids_are_reported() {
    let mut files = embedded_files();
    let pacing = files.get_mut("pacing.toml").unwrap();
    *pacing = pacing.replacen("id = \"social\"", "id = \"carrier-pigeon\"", 1);
    let step = files.get_mut("02-prepare.toml").unwrap();
    *step = step.replacen("id = \"anger\"", "id = \"sadness\"", 1);
    let all = problems_in(files);
    assert!(
        all.contains("pacing.toml:") && all.contains("\"carrier-pigeon\""),
        "{all}"
    );
    assert!(
        all.contains("02-prepare.toml:") && all.contains("used twice"),
        "{all}"
    );
}

#[test]
fn content_check_refuses_a_decline_into_templates_repeated_questions_and_scales_upside_down() {
    // A switch offer on a step's last question, with no `then`.
    let files = edited(&[(
        "02-prepare.toml",
        "switch = \"moving-on\"\nthen = \"end\"",
        "switch = \"moving-on\"",
    )]);
    let problems = problems_in(files);
    assert!(
        problems.contains("02-prepare.toml:")
            && problems.contains("offers a switch on the step's last question"),
        "{problems}"
    );
    // A switch offer right before a template.
    let files = edited(&[(
        "03-contact.toml",
        "then = \"pause\"\n\n[[prompts]]\nid = \"first-message\"",
        "switch = \"moving-on\"\n\n[[prompts]]\nid = \"first-message\"",
    )]);
    let problems = problems_in(files);
    assert!(
        problems.contains("leads straight to the template \"first-message\""),
        "{problems}"
    );
    // The same question in two steps.
    let files = edited(&[(
        "04-not-needy.toml",
        "text = \"Since step 3, have they asked you",
        "text = \"Since you last told exback, have they asked you",
    )]);
    let problems = problems_in(files);
    assert!(
        problems.contains("is asked in step \"contact\" and again in step \"not-needy\""),
        "{problems}"
    );
    // A scale whose 1 reads as the easy end.
    let files = edited(&[(
        "01-understand.toml",
        "low = \"I'm still confused\"",
        "low = \"Calm and clear\"",
    )]);
    let problems = problems_in(files);
    assert!(
        problems.contains("01-understand.toml:") && problems.contains("reads as the easy end"),
        "{problems}"
    );
}

#[test]
fn the_help_lines_cover_each_country_named_and_each_was_checked_at_its_source() {
    let wb = Workbook::embedded().unwrap();
    let lines: Vec<String> = wb
        .welcome
        .support
        .resources
        .iter()
        .map(|r| format!("{} · {}: {}", r.country, r.name, r.contact))
        .collect();
    for (country, contact) in [
        ("New Zealand", "111"),
        ("United Kingdom", "999"),
        ("Australia", "000"),
        ("Wales", "0808 80 10 800"),
        ("Northern Ireland", "0808 802 1414"),
        ("Ireland", "1800 341 900"),
        ("Canada", "sheltersafe.ca"),
        ("Australia", "text 0458 737 732"),
    ] {
        assert!(
            lines.iter().any(
                |l| l.starts_with(&format!("{country} ·")) && l.ends_with(contact)
                    || l.starts_with(&format!("{country} ·")) && l.contains(contact)
            ),
            "{country} {contact}: {lines:#?}"
        );
    }
    assert_eq!(wb.welcome.support.reviewed.as_deref(), Some("2026-12"));
    // Each resource sits under the note of where and when it was checked.
    let text = embedded_files()["00-welcome.toml"].clone();
    let file: Vec<&str> = text.lines().collect();
    for (i, line) in file.iter().enumerate() {
        if line.trim() == "[[support.resources]]" {
            let above = file[i - 1];
            assert!(
                above.starts_with("# checked 20") && above.contains(" against "),
                "line {}: {above:?}",
                i + 1
            );
        }
    }
    assert!(
        wb.welcome
            .support
            .note
            .as_deref()
            .is_some_and(|n| !n.contains("above")),
        "the note reads the same in --json, where nothing is above it"
    );
}

#[test]
fn option_labels_have_no_commas_and_support_is_dated() {
    let wb = Workbook::embedded().unwrap();
    let prompts = wb
        .steps
        .iter()
        .chain(&wb.moving_on.steps)
        .flat_map(|s| &s.prompts)
        .chain(wb.outcomes.outcomes.iter().flat_map(|o| &o.prompts));
    for p in prompts {
        for o in &p.options {
            assert!(
                !o.label.contains(','),
                "{}: {:?} reads as a list",
                p.id,
                o.label
            );
        }
        for label in [&p.low, &p.high].into_iter().flatten() {
            assert!(!label.contains(','), "{}: {label:?}", p.id);
        }
    }
    let support = &wb.welcome.support;
    assert!(
        support
            .reviewed
            .as_deref()
            .is_some_and(|r| r.starts_with("20"))
    );
    assert!(support.resources.iter().all(|r| !r.country.is_empty()));
    assert_eq!(support.resources[0].country, "International");
}

#[test]
fn semantic_problems_are_all_listed() {
    let mut files = embedded_files();
    files.remove("07-friends.toml");
    let first = files.get_mut("01-understand.toml").unwrap();
    *first = first.replacen("text = \"", "text = \"  \" \n#", 1);
    let all = problems_in(files);
    assert!(all.contains("expected step files numbered 1 to 7"), "{all}");
    assert!(all.contains("01-understand.toml:"), "{all}");
    assert!(all.contains("is empty"), "{all}");
}

#[test]
fn a_template_needs_an_id_of_its_own() {
    let mut files = embedded_files();
    let contact = files.get_mut("03-contact.toml").unwrap();
    *contact = contact.replacen("id = \"wishing-them-well\"", "id = \"a-light-check-in\"", 1);
    let all = problems_in(files.clone());
    assert!(all.contains("template id \"a-light-check-in\""), "{all}");
    let contact = files.get_mut("03-contact.toml").unwrap();
    *contact = contact.replacen("id = \"a-light-check-in\"\n", "", 2);
    assert!(problems_in(files).contains("missing field `id`"));
}

/// The built-in files with one line of `[words]` replaced.
fn with_word(name: &str, value: &str) -> BTreeMap<String, String> {
    let mut files = embedded_files();
    let welcome = files.get_mut("00-welcome.toml").expect("the welcome file");
    let start = welcome
        .find(&format!("\n{name} = "))
        .unwrap_or_else(|| panic!("{name} is in [words]"));
    let end = welcome[start + 1..]
        .find('\n')
        .map_or(welcome.len(), |e| start + 1 + e);
    welcome.replace_range(start..end, &format!("\n{name} = {value:?}"));
    files
}

#[test]
fn every_sentence_of_words_is_checked_by_its_own_name_and_placeholders() {
    let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
    let welcome = embedded_files().remove("00-welcome.toml").unwrap();
    let words = welcome
        .split("\n[words]\n")
        .nth(1)
        .expect("a [words] table");
    for (value, name, allowed) in wb.welcome.words.all() {
        assert!(
            words.contains(&format!("\n{name} = ")) || words.starts_with(&format!("{name} = ")),
            "{name} is a key of [words]"
        );
        assert!(!value.is_empty(), "{name}");
        for used in validate::placeholders(value) {
            assert!(allowed.contains(&used), "{name} may use {{{used}}}");
        }
    }
    let empty = problems_in(with_word("step_done", ""));
    assert!(empty.contains("step_done"), "{empty}");
    let unknown = problems_in(with_word("question_of", "Question {n} of {oops}"));
    assert!(
        unknown.contains("question_of uses {oops}") && unknown.contains("it knows {n}, {total}"),
        "{unknown}"
    );
    let none_known = problems_in(with_word("welcome_heading", "Hello {name}"));
    assert!(none_known.contains("it knows none"), "{none_known}");
}

#[test]
fn path_and_prompt_kinds_are_named_as_the_content_writes_them() {
    for path in [
        PathKind::Full,
        PathKind::NoContact,
        PathKind::Safety,
        PathKind::MovingOn,
    ] {
        let named: PathKind = serde_json::from_value(path.as_str().into()).unwrap();
        assert_eq!(named, path);
    }
    for kind in PromptKind::ALL {
        let named: PromptKind = serde_json::from_value(kind.as_str().into()).unwrap();
        assert_eq!(named, kind);
    }
}

#[test]
fn a_content_error_lists_each_problem_on_its_own_indented_line() {
    let err = ContentError {
        source_name: "my-pack".into(),
        problems: vec![
            Problem {
                file: "01-a.toml".into(),
                line: Some(3),
                message: "first".into(),
            },
            Problem {
                file: "02-b.toml".into(),
                line: None,
                message: "second".into(),
            },
        ],
    };
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("my-pack") && lines[0].contains("2 problem(s)"));
    assert!(
        lines[1].starts_with("  ") && lines[1].contains("first"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("  ") && lines[2].contains("second"),
        "{text}"
    );
}

#[test]
fn a_folder_of_content_reads_only_its_toml_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in embedded::FILES {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not [valid toml").unwrap();
    std::fs::write(dir.path().join("README"), "= nor this").unwrap();
    let wb = Workbook::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wb.steps.len(), STEP_COUNT);
}

/// The built-in files with `from` replaced by `to` in `file` (which must hold it).
fn edited(edits: &[(&str, &str, &str)]) -> BTreeMap<String, String> {
    let mut files = embedded_files();
    for (file, from, to) in edits {
        let text = files.get_mut(*file).unwrap();
        assert!(text.contains(from), "{file} holds {from:?}");
        *text = text.replacen(from, to, 1);
    }
    files
}

const OPTIONS_END: &str =
    "  { id = \"none-of-these-really\", label = \"None of these really fits\" },\n]\n";

#[test]
fn support_resources_need_a_month_they_were_checked_and_ranges_go_from_1_to_10() {
    for bad in ["2026-13", "2026/11", "20x6-11", "2026-1"] {
        let shown = problems_in(edited(&[(
            "00-welcome.toml",
            "reviewed = \"2026-12\"",
            &format!("reviewed = \"{bad}\""),
        )]));
        assert!(shown.contains("`reviewed = \"YYYY-MM\"`"), "{bad}: {shown}");
    }
    let unreviewed = problems_in(edited(&[(
        "00-welcome.toml",
        "reviewed = \"2026-12\"\n",
        "",
    )]));
    assert!(unreviewed.contains("`reviewed"), "{unreviewed}");
    for range in ["[0, 2]", "[3, 2]"] {
        let mood = problems_in(edited(&[(
            "00-welcome.toml",
            "support_range = [1, 2]",
            &format!("support_range = {range}"),
        )]));
        assert!(
            mood.contains(&format!("support_range is {range}")),
            "{mood}"
        );
        // Each range is named, at its own line.
        let pacing = embedded_files()["pacing.toml"].clone();
        let line_of = |key: &str| {
            pacing
                .lines()
                .position(|l| l.starts_with(key))
                .map(|i| i + 1)
                .unwrap()
        };
        for key in ["support_range", "felt_support_range"] {
            let shown = problems_in(edited(&[(
                "pacing.toml",
                &format!("\n{key} = [1, 2]"),
                &format!("\n{key} = {range}"),
            )]));
            let at = format!("pacing.toml:{}:", line_of(&format!("{key} =")));
            assert!(
                shown.contains(&format!("{key} is {range}")) && shown.contains(&at),
                "{key} at {at}: {shown}"
            );
        }
    }
}

#[test]
fn choices_scales_templates_guidance_and_urge_ideas_must_be_whole() {
    let one_option = problems_in(edited(&[(
        "01-understand.toml",
        "  { id = \"i-held-on-too\", label = \"I held on too tightly\" },\n  { id = \"i-kept-my-distance\", label = \"I kept my distance\" },\n  { id = \"i-swung-between-the\", label = \"I swung between the two\" },\n  { id = \"i-kept-things-to\", label = \"I kept things to myself to avoid a fight\" },\n",
        "",
    )]));
    assert!(
        one_option.contains("needs at least two options"),
        "{one_option}"
    );
    let blank_point = problems_in(edited(&[(
        "01-understand.toml",
        "guidance = [\n",
        "guidance = [\n  \"  \",\n",
    )]));
    assert!(
        blank_point.contains("guidance needs at least one non-empty point"),
        "{blank_point}"
    );
    let no_high = problems_in(edited(&[(
        "01-understand.toml",
        "high = \"I see it clearly\"",
        "high = \"\"",
    )]));
    assert!(no_high.contains("needs `low` and `high`"), "{no_high}");
    let empty_template = problems_in(edited(&[(
        "03-contact.toml",
        "text = \"Hi, I hope you're doing well. No need to reply, I just wanted to say hello.\"",
        "text = \"\"",
    )]));
    assert!(
        empty_template.contains("needs templates with a label and text"),
        "{empty_template}"
    );
    let blank_idea = problems_in(edited(&[(
        "pacing.toml",
        "instead = [\n",
        "instead = [\n  \" \",\n",
    )]));
    assert!(
        blank_idea.contains("urge.instead needs at least one non-empty idea"),
        "{blank_idea}"
    );
}

#[test]
fn reactions_must_match_what_their_prompt_can_answer() {
    let on_a_choice = problems_in(edited(&[(
        "01-understand.toml",
        OPTIONS_END,
        &format!("{OPTIONS_END}\n[[prompts.reactions]]\nrange = [1, 2]\ntext = \"A word.\"\n"),
    )]));
    assert!(
        on_a_choice.contains("is a choice: its reactions match `options`"),
        "{on_a_choice}"
    );
    let off_the_scale = problems_in(edited(&[(
        "01-understand.toml",
        "high = \"I see it clearly\"\n",
        "high = \"I see it clearly\"\n\n[[prompts.reactions]]\nrange = [0, 3]\ntext = \"A word.\"\n",
    )]));
    assert!(
        off_the_scale.contains("has range [0, 3]"),
        "{off_the_scale}"
    );
    // The support block alone is something to do: no text is needed.
    let support_alone = edited(&[(
        "01-understand.toml",
        "text = \"That's worth finding out, gently and in your own time. Here is where you could start.\"\n",
        "",
    )]);
    Workbook::from_files(support_alone).unwrap_or_else(|p| panic!("{p:?}"));
}

#[test]
fn readiness_checks_have_their_own_ids_and_every_path_has_some() {
    let twice = problems_in(edited(&[(
        "01-understand.toml",
        "id = \"their-side\"",
        "id = \"differently\"",
    )]));
    assert!(
        twice.contains("\"differently\" is invalid or used twice"),
        "{twice}"
    );
    let full = "paths = [\"full\", \"no-contact\", \"moving-on\"]\ntext = ";
    let safety = "paths = [\"safety\"]\ntext = ";
    let none_on_full = problems_in(edited(&[
        (
            "01-understand.toml",
            &format!("{full}\"Looking at"),
            &format!("{safety}\"Looking at"),
        ),
        (
            "01-understand.toml",
            &format!("{full}\"Can you describe"),
            &format!("{safety}\"Can you describe"),
        ),
    ]));
    assert!(
        none_on_full.contains("on the full path, readiness has 0 checks"),
        "{none_on_full}"
    );
}

/// Answers that change the situation change what happens next, in the built-in
/// content too: a pause, the moving-on steps offered, or a word; never only a record.
#[test]
fn hard_answers_in_the_built_in_steps_bring_a_pause_or_an_offer() {
    let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
    let reaction = |step: u8, prompt: &str| -> Vec<&Reaction> {
        let p = wb.step(step).unwrap().prompt(prompt).unwrap();
        p.reactions.iter().collect()
    };
    let pauses = |rs: &[&Reaction]| rs.iter().any(|r| r.then == Some(Then::Pause));
    // Too anxious before a first message, a "no" to keeping romance talk out,
    // someone guarded: the step waits.
    let calm = reaction(3, "calm-level");
    assert!(pauses(&calm) && calm.iter().any(|r| r.range == Some([1, 2])));
    let romance = reaction(7, "no-romance-talk");
    assert!(pauses(&romance) && romance.iter().any(|r| r.answer == Some(false)));
    let comfort = reaction(7, "their-comfort");
    assert!(pauses(&comfort) && comfort.iter().any(|r| r.range == Some([1, 2])));
    // Leaning towards moving on: the moving-on steps are offered, not pressed, and a
    // "no" ends the run there rather than asking to go on into step 3. Deciding
    // closes the door.
    let decision = reaction(2, "where-you-stand");
    assert!(decision.iter().any(|r| r.options == ["i-m-leaning-towards"]
        && r.switch == Some(PathKind::MovingOn)
        && r.then == Some(Then::End)));
    assert!(
        decision
            .iter()
            .any(|r| r.options == ["decided-to-move-on"] && r.then == Some(Then::Close))
    );
    // Quiet signs that they have moved on are answered with a word and the
    // moving-on steps offered (not pressed); contact several times a day, with a word.
    let signs = reaction(6, "moved-on-signs");
    assert!(
        signs
            .iter()
            .any(|r| r.options.contains(&"rarely-reply".to_string()) && r.text.is_some())
    );
    assert!(
        signs
            .iter()
            .any(|r| r.options.contains(&"rarely-reply".to_string())
                && r.switch == Some(PathKind::MovingOn)
                && r.ask
                && r.then.is_none())
    );
    let rhythm = reaction(6, "contact-rhythm");
    assert!(
        rhythm
            .iter()
            .any(|r| r.options == ["several-times-a-day"] && r.text.is_some())
    );
}

/// `screens.toml` with one line of `[section]` changed to `key = value` (or removed).
fn with_screen_word(section: &str, key: &str, value: Option<&str>) -> BTreeMap<String, String> {
    let mut files = embedded_files();
    let text = files.get_mut("screens.toml").expect("the screens file");
    let header = text.find(&format!("\n[{section}]\n")).expect("the section");
    let start = header
        + text[header..]
            .find(&format!("\n{key} = "))
            .expect("the key");
    let end = text[start + 1..]
        .find('\n')
        .map_or(text.len(), |e| start + 1 + e);
    let line = value.map_or(String::new(), |v| format!("\n{key} = {v:?}"));
    text.replace_range(start..end, &line);
    files
}

#[test]
fn every_screen_sentence_is_present_filled_and_uses_known_placeholders() {
    let wb = Workbook::embedded().unwrap_or_else(|e| panic!("{e}"));
    let text = embedded_files().remove("screens.toml").unwrap();
    let sections = wb.screens.sections();
    assert!(!sections.is_empty());
    for (section, sentences) in sections {
        let body = text
            .split(&format!("\n[{section}]\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("[{section}] is a section of screens.toml"));
        let body = body.split("\n[").next().unwrap_or(body);
        for (value, key, allowed) in sentences {
            assert!(
                body.starts_with(&format!("{key} = ")) || body.contains(&format!("\n{key} = ")),
                "{key} is a key of [{section}]"
            );
            assert!(!value.trim().is_empty(), "[{section}] {key}");
            for used in validate::placeholders(value) {
                assert!(
                    allowed.contains(&used),
                    "[{section}] {key} may use {{{used}}}"
                );
            }
        }
    }
    let missing = problems_in(with_screen_word("days", "one", None));
    assert!(
        missing.contains("screens.toml") && missing.contains("one"),
        "{missing}"
    );
    let empty = problems_in(with_screen_word("days", "many", Some(" ")));
    assert!(empty.contains("[days] many is empty"), "{empty}");
    let unknown = problems_in(with_screen_word("days", "many", Some("{count} days")));
    assert!(
        unknown.contains("[days] many uses {count}") && unknown.contains("it knows {n}"),
        "{unknown}"
    );
    let mut files = embedded_files();
    files.remove("screens.toml");
    assert!(problems_in(files).contains("screens.toml: missing"));
}

#[test]
fn a_count_takes_its_one_sentence_for_one_and_fills_n_in_the_other() {
    let (one, many) = ("one entry in {file}", "{n} entries in {file}");
    let file = [("file", "j.jsonl")];
    assert_eq!(count(1usize, one, many, &file), "one entry in j.jsonl");
    assert_eq!(count(0usize, one, many, &file), "0 entries in j.jsonl");
    assert_eq!(count(12u32, one, many, &file), "12 entries in j.jsonl");
    // A value holding `{n}` is filled in after the count, and kept as it is.
    assert_eq!(
        count(2i64, one, many, &[("file", "{n}.txt")]),
        "2 entries in {n}.txt"
    );
}
