//! The command line: one file per subcommand, each with an `Args` struct and a `run`
//! function. Owns argument parsing and exit codes. Must not: contain pipeline logic;
//! every subcommand calls into the library.

pub mod baseline;
pub mod check;
pub mod control;
pub mod diff;
pub mod history;
pub mod rules;
pub mod run;
pub mod store;
pub mod validate;

use clap::{Parser, Subcommand};

/// Every exit code apidrift uses; README.md has the same table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`; every check ok.
    Success = 0,
    /// `diff`/`breaking`: changes at or above `--fail-on`. `check`: drift at ERR.
    Findings = 1,
    /// Bad command line.
    Usage = 2,
    /// A spec could not be loaded (unreadable, invalid, over a limit).
    SpecLoad = 3,
    /// `check`: a vendor check failed or a monitor has no baseline.
    CheckFailed = 4,
    /// Invalid configuration: apidrift.yaml, a monitor, a severity-levels or ignore file.
    Config = 5,
    /// A bug or an unexpected environment failure.
    Internal = 70,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "apidrift",
    version,
    about = "Continuous API drift monitor: semantic OpenAPI diff, approved baselines, metrics and alerts",
    propagate_version = true,
    max_term_width = 79
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two API specs and classify every change.
    Diff(diff::DiffArgs),
    /// Only the breaking changes (= diff --level WARN --fail-on ERR).
    Breaking(diff::DiffArgs),
    /// List every rule id with its level and description.
    Rules(rules::RulesArgs),
    /// Check the configuration and every monitor file.
    Validate(validate::ValidateArgs),
    /// Check monitors once now and print each verdict.
    Check(check::CheckArgs),
    /// Run the monitoring daemon.
    Run(run::RunArgs),
    /// Accept, show or log approved baselines.
    #[command(subcommand)]
    Baseline(baseline::BaselineCommand),
    /// The drift history of one integration: episodes, notifications, blind times.
    History(history::HistoryArgs),
    /// Acknowledge a drift: reminders and alerts stop until it changes (never accepts).
    Ack(control::AckArgs),
    /// Serve the MCP tools on stdio for an agent, answered by the running daemon.
    Mcp(control::McpArgs),
    /// The PostgreSQL store of several replicas (`store: postgres`).
    #[command(subcommand)]
    Store(store::StoreCommand),
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Diff(a) => diff::run(a, false),
        Command::Breaking(a) => diff::run(a, true),
        Command::Rules(a) => rules::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Check(a) => check::run(a),
        Command::Run(a) => run::run(a),
        Command::Baseline(c) => baseline::run(c),
        Command::History(a) => history::run(a),
        Command::Ack(a) => control::ack(a),
        Command::Mcp(a) => control::mcp(a),
        Command::Store(c) => store::run(c),
    }
}
