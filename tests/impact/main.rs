//! What a fetcher reads and what it loses, in one test binary: contract resolution,
//! verdicts (on fixtures and on real diffs), sample shapes and the visibility settings
//! of monitors, end to end.

#[path = "../impact_support/mod.rs"]
mod impact_support;

mod impact_real_diff;
mod impact_resolve;
mod impact_verdict;
mod sample_shape;
mod visibility_config;
mod visibility_scenarios;
