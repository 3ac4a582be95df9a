//! The diff and its front door in one test binary: the loader (`spec_load`, `limits`),
//! the rules by area, their properties, the reports, `apidrift diff` end to end, and
//! the repository's hygiene checks (`tidy`). One binary per area keeps `cargo test`
//! from linking the whole stack once per file.

#[path = "../common/mod.rs"]
mod common;

mod cli_diff;
mod limits;
mod properties;
mod ref_siblings;
mod report_formats;
mod rules_ops;
mod rules_property_lifecycle;
mod rules_schema;
mod rules_schema_compatible;
mod spec_load;
mod tidy;
