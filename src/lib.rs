//! kefu（客服）: a batch pipeline for the customer-service department of a residential
//! property-management company.
//!
//! Stages, one module each, data flowing one way: configuration and registers are loaded
//! ([`config`], [`forms`]), validated into a typed model, rules applied, and documents rendered
//! ([`render`]) — PDF through embedded typst, xlsx through rust_xlsxwriter. Commands ([`pack`])
//! tie the stages together; [`cli`] is the command line.

pub mod cli;
pub mod config;
pub mod error;
pub mod forms;
pub mod output;
pub mod pack;
pub mod progress;
pub mod render;
pub mod text;
pub mod yaml;

pub use error::{Error, Problem, Problems};
