//! The one progress bar: a mark per step, `■` done and `□` not, then "N of M done".

/// `■■□□□□□ 2 of 7 done`, from one flag per step (true: done), in order.
pub(crate) fn steps(done: impl IntoIterator<Item = bool>) -> String {
    let marks: String = done
        .into_iter()
        .map(|d| if d { '■' } else { '□' })
        .collect();
    let count = marks.chars().filter(|c| *c == '■').count();
    format!("{marks} {count} of {} done", marks.chars().count())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bar_marks_each_step_and_counts() {
        assert_eq!(super::steps([true, false, true]), "■□■ 2 of 3 done");
        assert_eq!(super::steps([]), " 0 of 0 done");
    }
}
