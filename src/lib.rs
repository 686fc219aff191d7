//! exback: a guided reconciliation workbook for the terminal.
//!
//! Where things are: the questions come from [`workbook`] (loaded from `content/`),
//! the flow that asks them is [`session`], answers are saved by [`journal`], and read
//! back by [`commands::log`].

pub mod cli;
pub(crate) mod commands;
pub mod dates;
mod ending;
pub mod interrupt;
pub mod journal;
pub(crate) mod limits;
pub(crate) mod mood;
pub(crate) mod pacing;
pub(crate) mod page;
pub(crate) mod paths;
pub(crate) mod session;
pub(crate) mod ui;
pub mod workbook;

pub use commands::run;
pub use interrupt::Exit;
