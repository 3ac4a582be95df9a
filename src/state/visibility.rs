//! What the last check learned about one integration's visibility, as persisted with
//! its state: the verdict (consumed fields by state, visibility ratio, possible
//! renames), each sample's findings and the lifecycle (deprecation, sunset) of the
//! consumed operations. Pure data: must not fetch, assess or hold a response value
//! (sample findings carry paths, types and counts only).

use crate::fetch::FailureReason;
use crate::impact::Verdict;
use crate::sample::SampleFinding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisibilityReport {
    pub verdict: Verdict,
    /// One entry per configured sample, in the monitor's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<SampleReport>,
    /// Consumed operations that are deprecated or have a sunset date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Lifecycle>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleReport {
    pub name: String,
    pub operation: String,
    /// HTTP status of the sample response, when one came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Items in the response, when it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
    /// Why the sample could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureReason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<SampleFinding>,
}

/// Deprecation or sunset of a consumed operation, from the spec (`deprecated`,
/// `x-sunset`) or from sample response headers (`Deprecation`, `Sunset`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// `METHOD /path` as written in the contract.
    pub operation: String,
    pub deprecated: bool,
    /// Unix seconds of the earliest announced sunset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset_at: Option<i64>,
    /// `spec`, `header`, or both (`spec,header`).
    pub source: String,
}

impl VisibilityReport {
    /// Whether a sample was refused (401/403): the fetcher's credentials may no longer
    /// see the data.
    pub fn forbidden(&self) -> bool {
        self.samples
            .iter()
            .any(|s| s.failure == Some(FailureReason::Forbidden))
    }
}
