//! How a step is named, everywhere a person reads it, with the words of `[words]`; and
//! the step number an entry keeps.

use super::{Step, StepSet, Workbook, fill};

/// The forms a step's name takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// In a sentence: "step 3, Re-establish contact the right way".
    Sentence,
    /// In short: "step 3", "moving-on step 2".
    Short,
    /// Over its entries: "Step 3 · Re-establish contact the right way".
    Label,
    /// Counted among its set: "step 3 of 7: Re-establish contact the right way".
    Counted,
}

/// The one way a step is named: by its set, number and title, in the given form.
pub(crate) fn name_step(
    workbook: &Workbook,
    set: StepSet,
    number: u8,
    title: &str,
    naming: Naming,
) -> String {
    let w = &workbook.welcome.words;
    let (template, total) = match (set, naming) {
        (StepSet::Workbook, Naming::Sentence) => (&w.step_name, workbook.steps.len()),
        (StepSet::Workbook, Naming::Short) => (&w.step_short, workbook.steps.len()),
        (StepSet::Workbook, Naming::Label) => (&w.step_label, workbook.steps.len()),
        (StepSet::Workbook, Naming::Counted) => (&w.step_counted, workbook.steps.len()),
        (StepSet::MovingOn, Naming::Sentence) => {
            (&w.moving_on_step_name, workbook.moving_on.steps.len())
        }
        (StepSet::MovingOn, Naming::Short) => {
            (&w.moving_on_step_short, workbook.moving_on.steps.len())
        }
        (StepSet::MovingOn, Naming::Label) => {
            (&w.moving_on_step_label, workbook.moving_on.steps.len())
        }
        (StepSet::MovingOn, Naming::Counted) => {
            (&w.moving_on_step_counted, workbook.moving_on.steps.len())
        }
    };
    fill(
        template,
        &[
            ("n", &number.to_string()),
            ("total", &total.to_string()),
            ("title", title),
            ("path", &workbook.moving_on.title),
        ],
    )
}

/// A step of the workbook named in the given form.
pub(crate) fn step_name(workbook: &Workbook, step: &Step, naming: Naming) -> String {
    name_step(workbook, step.set, step.number, &step.title, naming)
}

/// The step number saved with an entry: only the seven steps have one.
pub(crate) fn numbered(step: &Step) -> Option<u8> {
    (step.set == StepSet::Workbook).then_some(step.number)
}
