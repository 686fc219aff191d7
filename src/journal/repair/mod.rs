//! Where a damaged file is handled: [`doctor`] checks every file of the data directory,
//! explains what is wrong and moves damage aside (never rewriting it); [`merge`] folds
//! the conflict copies a sync tool or git leaves back into their files.

pub(crate) mod doctor;
pub(crate) mod merge;
