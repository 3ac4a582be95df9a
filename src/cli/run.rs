//! `apidrift run` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct RunArgs {}

pub fn run(args: RunArgs) -> anyhow::Result<ExitStatus> {
    let _ = args;
    anyhow::bail!("`run` is not built yet")
}
