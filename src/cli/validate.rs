//! `apidrift validate` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitStatus> {
    let _ = args;
    anyhow::bail!("`validate` is not built yet")
}
