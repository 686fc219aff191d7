//! exback: a guided reconciliation workbook for the terminal.
//!
//! Where things are: the questions come from [`workbook`] (loaded from `content/`),
//! the flow that asks them is [`session`], answers are saved by [`journal`], and read
//! back by [`commands::log`].

pub mod cli;
pub mod commands;
pub mod dates;
pub mod interrupt;
pub mod journal;
pub mod mood;
pub mod pacing;
pub mod page;
pub mod paths;
pub mod session;
pub mod ui;
pub mod workbook;

pub use commands::run;
pub use interrupt::Exit;
