//! `apidrift baseline accept|show|log` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum BaselineCommand {
    /// Fetch the current spec and store it as the approved baseline.
    Accept {},
}

pub fn run(cmd: BaselineCommand) -> anyhow::Result<ExitStatus> {
    let _ = cmd;
    anyhow::bail!("`baseline` is not built yet")
}
