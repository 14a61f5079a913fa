//! The commands, one module per verb of the command line.

pub mod archive;
pub mod calendar;
pub mod check;
pub mod deadlines;
pub mod dunning;
pub mod map;
pub mod monthly;
pub mod pack;
pub mod plan_visits;
pub mod run;
pub mod sample;
pub mod session;
