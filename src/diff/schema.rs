//! (being written) the direction-aware schema comparator.

use super::rules::Rule;

pub const RULES: &[Rule] = &[];

/// Memo of schema-pair comparisons.
#[derive(Debug, Default)]
pub struct Memo {}
