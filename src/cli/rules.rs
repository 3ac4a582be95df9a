//! `apidrift rules` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {}

pub fn run(args: RulesArgs) -> anyhow::Result<ExitStatus> {
    let _ = args;
    anyhow::bail!("`rules` is not built yet")
}
