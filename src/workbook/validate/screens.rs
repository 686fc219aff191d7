//! The checks of `screens.toml`: every sentence of every section present, not empty,
//! and using only the placeholders exback fills in for it.

use super::{Checker, placeholders, unknown_placeholder};
use crate::workbook::Screens;

pub(super) fn check_screens(s: &Screens, c: &mut Checker<'_>) {
    c.version(s.format_version);
    for (section, sentences) in s.sections() {
        let header = format!("[{section}]");
        for (value, key, allowed) in sentences {
            let near = format!("{key} =");
            if value.trim().is_empty() {
                c.problem_after(&header, &near, format!("{header} {key} is empty"));
            }
            for used in placeholders(value) {
                if !allowed.contains(&used) {
                    let name = format!("{header} {key}");
                    c.problem_after(&header, &near, unknown_placeholder(&name, used, allowed));
                }
            }
        }
    }
}
