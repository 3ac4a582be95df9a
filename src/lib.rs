//! apidrift: a continuous API drift monitor.
//!
//! The library is the pipeline; `main.rs` and `cli/` are a thin shell over it. Data
//! flows down this list (see ARCHITECTURE.md): `spec` reads documents into `model`,
//! `diff` compares two models into changes, `report` renders them.

pub mod atomic;
pub mod baseline;
pub mod cli;
pub mod daemon;
pub mod diagnostic;
pub mod diff;
pub mod fetch;
pub mod impact;
pub mod logging;
pub mod model;
pub mod monitor;
pub mod notify;
pub mod overrides;
pub mod report;
pub mod sample;
pub mod secret;
pub mod spec;
pub mod state;
