//! kefu（客服）: a batch pipeline for the customer-service department of a residential
//! property-management company.
//!
//! Stages, one module each, data flowing one way: configuration and registers are loaded
//! ([`config`], [`forms`]), validated into a typed model, rules applied, and documents rendered
//! ([`render`]) — PDF through embedded typst, xlsx through rust_xlsxwriter. Commands ([`pack`])
//! tie the stages together; [`cli`] is the command line.

// Errors carry their full location (file, sheet, row, column, header); they are built on the
// cold path only, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod fonts;
pub mod forms;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod progress;
pub mod render;
pub mod rules;
#[cfg(test)]
pub mod testkit;
pub mod text;
pub mod yaml;

pub use error::{Error, Problem, Problems};
