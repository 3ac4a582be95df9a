//! `apidrift check` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    let _ = args;
    anyhow::bail!("`check` is not built yet")
}
