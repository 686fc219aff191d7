//! The one progress bar: a mark per step, `■` done and `□` not, then the count in the
//! content's words (`[bar]`, "N of M done").

use crate::workbook::{Screens, fill};

/// `■■□□□□□ 2 of 7 done`, from one flag per step (true: done), in order.
pub(crate) fn steps(done: impl IntoIterator<Item = bool>, screens: &Screens) -> String {
    let marks: String = done
        .into_iter()
        .map(|d| if d { '■' } else { '□' })
        .collect();
    let count = marks.chars().filter(|c| *c == '■').count();
    let said = fill(
        &screens.bar.done,
        &[
            ("done", &count.to_string()),
            ("total", &marks.chars().count().to_string()),
        ],
    );
    format!("{marks} {said}")
}

#[cfg(test)]
mod tests {
    use crate::workbook::Workbook;

    #[test]
    fn a_bar_marks_each_step_and_counts() {
        let mut screens = Workbook::embedded().unwrap().screens;
        assert_eq!(
            super::steps([true, false, true], &screens),
            "■□■ 2 of 3 done"
        );
        assert_eq!(super::steps([], &screens), " 0 of 0 done");
        screens.bar.done = "{done}/{total}".into();
        assert_eq!(super::steps([true, false], &screens), "■□ 1/2");
    }
}
