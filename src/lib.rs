//! apidrift: a continuous API drift monitor.
//!
//! The library is the pipeline; `main.rs` and `cli/` are a thin shell over it. Data
//! flows down this list (see ARCHITECTURE.md): `spec` reads documents into `model`,
//! `diff` compares two models into changes, `report` renders them.

pub mod atomic;
#[cfg(feature = "cli")]
pub mod baseline;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod daemon;
pub mod diagnostic;
pub mod diff;
#[cfg(feature = "cli")]
pub mod fetch;
pub mod impact;
#[cfg(feature = "cli")]
pub mod logging;
pub mod model;
#[cfg(feature = "cli")]
pub mod monitor;
#[cfg(feature = "cli")]
pub mod notify;
pub mod overrides;
pub mod report;
pub mod sample;
#[cfg(feature = "cli")]
pub mod secret;
pub mod spec;
#[cfg(feature = "cli")]
pub mod state;
#[cfg(feature = "cli")]
pub mod store;
#[cfg(feature = "cli")]
pub mod web;
