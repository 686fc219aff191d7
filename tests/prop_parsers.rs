//! Property tests of what exback parses from people: content files (TOML) and dates.
//! Any TOML as a content file gives the workbook loader's error, never a panic; the date
//! parser never panics, and reads back every date and moment in the forms exback writes.
//!
//! A failure prints the smallest input found and saves its seed in
//! `tests/prop_parsers.proptest-regressions`, where the next run tries it first.

mod common;

use chrono::{DateTime, Datelike as _, Days, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use exback::testing::dates;
use exback::testing::workbook::Workbook;
use proptest::prelude::*;

use common::tree::replace_at;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---- content files ---------------------------------------------------------------------

/// Keys: the ones content files use, or anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "format_version",
            "id",
            "number",
            "title",
            "intro",
            "prompts",
            "kind",
            "text",
            "help",
            "options",
            "readiness",
            "checks",
            "expect",
            "steps",
            "min_days",
            "low",
            "high",
            "template",
            "outcomes",
            "nudges",
            "channel_options",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,12}",
        any::<String>(),
    ]
}

/// Any TOML value, a few levels deep.
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<String>().prop_map(toml::Value::String),
        any::<i64>().prop_map(toml::Value::Integer),
        any::<f64>().prop_map(toml::Value::Float),
        any::<bool>().prop_map(toml::Value::Boolean),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(toml::Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

/// A whole TOML document (a table at the top).
fn toml_document() -> impl Strategy<Value = String> {
    prop::collection::btree_map(key(), toml_value(), 0..8)
        .prop_filter_map("a table TOML can write", |m| {
            toml::to_string(&m.into_iter().collect::<toml::Table>()).ok()
        })
}

/// A built-in content file with one value replaced or one key removed, somewhere.
fn edited_content_file() -> impl Strategy<Value = (usize, String)> {
    let files = Workbook::embedded_files().len();
    (
        0..files,
        prop::collection::vec(any::<usize>(), 1..5),
        toml_value(),
        any::<bool>(),
    )
        .prop_filter_map("a table TOML can write", |(file, path, with, remove)| {
            let (_, text) = Workbook::embedded_files()[file];
            let mut doc: toml::Value = toml::Value::Table(toml::from_str(text).ok()?);
            replace_at(&mut doc, &path, with, remove);
            let toml::Value::Table(table) = doc else {
                return None;
            };
            Some((file, toml::to_string(&table).ok()?))
        })
}

/// The built-in content with file `index` replaced by `text`, loaded.
fn load_with(
    index: usize,
    text: &str,
) -> Result<Workbook, Vec<exback::testing::workbook::Problem>> {
    let files = Workbook::embedded_files()
        .iter()
        .enumerate()
        .map(|(i, (name, original))| {
            let text = if i == index {
                text.to_string()
            } else {
                (*original).to_string()
            };
            ((*name).to_string(), text)
        });
    Workbook::from_files(files)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_toml_as_a_content_file_is_refused_with_problems_not_a_panic(
        index in 0..Workbook::embedded_files().len(),
        text in prop_oneof![toml_document(), any::<String>()],
    ) {
        let problems = load_with(index, &text).expect_err("not a content file");
        prop_assert!(!problems.is_empty());
        prop_assert!(problems.iter().all(|p| !p.message.trim().is_empty()));
    }

    #[test]
    fn a_content_file_with_any_value_changed_loads_or_says_why(
        (index, text) in edited_content_file()
    ) {
        if let Err(problems) = load_with(index, &text) {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| !p.message.trim().is_empty()));
        }
    }
}

// ---- dates -----------------------------------------------------------------------------

/// Any day chrono can hold.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (
        NaiveDate::MIN.num_days_from_ce(),
        NaiveDate::MAX.num_days_from_ce(),
    );
    (min..=max).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

/// A day in the years people write about (the parser refuses dates before 1900).
fn plain_day() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (
        NaiveDate::from_ymd_opt(1901, 1, 1)
            .unwrap()
            .num_days_from_ce(),
        NaiveDate::from_ymd_opt(2999, 12, 31)
            .unwrap()
            .num_days_from_ce(),
    );
    (min..=max).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

/// Text shaped like a date as people type it, with numbers of any size and units right
/// or wrong.
fn date_words() -> impl Strategy<Value = String> {
    let rough = prop::sample::select(vec!["", "about ", "around ", "roughly ", "~", "ABOUT "]);
    let count = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (0u32..100).prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "a ",
            "an ",
            "a few ",
            "a couple of ",
            "one ",
            "twelve ",
            "last ",
            "",
        ])
        .prop_map(str::to_string),
    ];
    let unit = prop::sample::select(vec![
        "d",
        "day",
        "days",
        "w",
        "week",
        "weeks",
        "m",
        "month",
        "months",
        "y",
        "year",
        "years",
        "fortnight",
        "",
        "s",
    ]);
    let ago = prop::sample::select(vec!["", " ago", "ago", " AGO"]);
    let numeric =
        (any::<i64>(), any::<i64>(), any::<i64>()).prop_map(|(y, m, d)| format!("{y}-{m}-{d}"));
    let month = (any::<i32>(), any::<u32>()).prop_map(|(y, m)| format!("{y}-{m}"));
    prop_oneof![
        (rough, count, prop::sample::select(vec!["", " "]), unit, ago)
            .prop_map(|(r, c, s, u, a)| format!("{r}{c}{s}{u}{a}")),
        numeric,
        month,
        any::<String>(),
    ]
}

/// The user's zone for `--at` times: a fixed offset in whole minutes.
fn offset() -> impl Strategy<Value = FixedOffset> {
    (-(23 * 60 + 59)..=(23 * 60 + 59_i32)).prop_map(|m| FixedOffset::east_opt(m * 60).unwrap())
}

fn local(zone: FixedOffset) -> impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    move |naive| zone.from_local_datetime(&naive).single()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn the_date_parsers_never_panic(
        text in date_words(),
        today in any_day(),
        zone in offset(),
        secs in any::<i32>(),
    ) {
        let _ = dates::parse(&text, today);
        if let Ok(d) = dates::parse_past(&text, today) {
            prop_assert!(d <= today);
        }
        let now = zone.timestamp_opt(i64::from(secs) * 8, 0).unwrap();
        if let Ok(at) = dates::parse_moment(&text, now, local(zone)) {
            prop_assert!(at <= now);
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn dates_in_the_forms_exback_writes_read_back_as_themselves(
        day in plain_day(),
        today in plain_day(),
        n in 0u32..20_000,
    ) {
        prop_assert_eq!(dates::parse(&day.format("%Y-%m-%d").to_string(), today), Ok(day));
        prop_assert_eq!(
            dates::parse(&day.format("%Y-%m").to_string(), today),
            Ok(day.with_day(1).unwrap())
        );
        let back = today.checked_sub_days(Days::new(u64::from(n))).unwrap();
        let days_ago = dates::parse_past(&format!("{n} days ago"), today);
        if back.year() > 1900 {
            prop_assert_eq!(days_ago, Ok(back));
        } else {
            prop_assert!(days_ago.is_err());
        }
        if day > today {
            prop_assert!(dates::parse_past(&day.format("%Y-%m-%d").to_string(), today).is_err());
        }
    }

    #[test]
    fn moments_in_the_forms_exback_writes_read_back_as_themselves(
        secs in -2_000_000_000_i64..7_000_000_000,
        later in 0i64..1_000_000,
        zone in offset(),
    ) {
        let at = zone.timestamp_opt(secs, 0).unwrap();
        let now = zone.timestamp_opt(secs + later, 0).unwrap();
        prop_assert_eq!(dates::parse_moment(&at.to_rfc3339(), now, local(zone)), Ok(at));
        let minute = at.format("%Y-%m-%d %H:%M").to_string();
        let truncated = zone.timestamp_opt(secs - secs.rem_euclid(60), 0).unwrap();
        prop_assert_eq!(dates::parse_moment(&minute, now, local(zone)), Ok(truncated));
        if later > 0 {
            prop_assert!(dates::parse_moment(&now.to_rfc3339(), at, local(zone)).is_err());
        }
    }
}
