//! The preflight gate a fetcher or agent asks before ingesting: may it trust what it
//! reads now? Must not: compute verdicts (it reads one) or serve HTTP.

use super::FieldState;
use super::assess::Verdict;
use serde::{Deserialize, Serialize};

/// When a monitor's preflight refuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreflightPolicy {
    /// Refuse when any consumed field is lost (the default).
    #[default]
    BlockOnLost,
    /// Refuse when any consumed field is lost or at risk, or a consumed operation has
    /// an operation-level risk (its credential may need to change).
    BlockOnAtRisk,
    /// Always allow (the verdict is still reported).
    Never,
}

/// The answer: `{"allowed": bool, "reasons": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preflight {
    pub allowed: bool,
    pub reasons: Vec<String>,
}

/// Decides from the last verdict. `failing` says the last check failed (vendor
/// unreachable, sample forbidden...). Without a verdict a failing check blocks under
/// every policy but `never`: the fetcher cannot know what it would miss.
pub fn preflight(policy: PreflightPolicy, verdict: Option<&Verdict>, failing: bool) -> Preflight {
    if policy == PreflightPolicy::Never {
        return Preflight {
            allowed: true,
            reasons: Vec::new(),
        };
    }
    let Some(v) = verdict else {
        return if failing {
            Preflight {
                allowed: false,
                reasons: vec!["check failing and no verdict known".to_string()],
            }
        } else {
            Preflight {
                allowed: true,
                reasons: Vec::new(),
            }
        };
    };
    let mut reasons: Vec<String> = v
        .fields_in(FieldState::Lost)
        .into_iter()
        .map(|f| format!("lost: {f}"))
        .collect();
    if policy == PreflightPolicy::BlockOnAtRisk {
        reasons.extend(
            v.fields_in(FieldState::AtRisk)
                .into_iter()
                .map(|f| format!("at_risk: {f}")),
        );
        // An operation-level risk (the credential may need to change) is at risk too.
        reasons.extend(
            v.operation_risks()
                .into_iter()
                .map(|r| format!("at_risk: {r}")),
        );
    }
    Preflight {
        allowed: reasons.is_empty(),
        reasons,
    }
}
