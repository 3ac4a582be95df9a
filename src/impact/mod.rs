//! The consumes contract of an integration and the visibility verdict: which vendor
//! changes touch what one fetcher actually reads, and what it still sees.
//!
//! Owns: `Consumes` (the contract as written in a monitor file), `item` (where "the
//! item" sits in a response body), `resolve` (the contract checked against a spec,
//! every field turned into the body-rooted path the diff writes), `assess` (changes
//! and sample findings → `Verdict`), `preflight` (the gate a fetcher asks before
//! ingesting). Must not: render, do I/O, read config files or decide
//! rule levels beyond raising the ones that touch a consumed field.

pub mod assess;
pub mod contract;
pub mod item;
pub mod names;
pub mod preflight;
pub mod resolve;
pub mod walk;

pub use assess::{
    AssessedChange, FieldVerdict, OperationRisk, OperationVerdict, RiskKind, Verdict, assess,
    only_consumed,
};
pub use contract::{ConsumedField, ConsumedOperation, Consumes, Entity, Pagination};
pub use item::{Item, ItemRule};
pub use preflight::{Preflight, PreflightPolicy, preflight};
pub use resolve::{Resolved, ResolvedField, ResolvedOperation, resolve};

use serde::{Deserialize, Serialize};

/// What a consumed field's reader still gets. Ordered from best to worst so the worst
/// of several effects is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldState {
    Ok,
    AtRisk,
    Lost,
}

impl FieldState {
    /// `ok`, `at_risk`, `lost`: the words of output and of the metric label `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldState::Ok => "ok",
            FieldState::AtRisk => "at_risk",
            FieldState::Lost => "lost",
        }
    }
}

impl std::fmt::Display for FieldState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
