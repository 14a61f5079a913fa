//! Placeholder until this rule module is written (this session): parameters and no findings yet.

use serde::{Deserialize, Serialize};

use super::{Context, Finding};

/// Parameters of this rule; defaults are the manual's numbers.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

/// This rule's findings.
pub fn findings(_ctx: &Context<'_>) -> Vec<Finding> {
    Vec::new()
}
