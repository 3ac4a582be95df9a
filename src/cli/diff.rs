//! `apidrift diff` (being written).

use super::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct DiffArgs {}

pub fn run(args: DiffArgs, breaking: bool) -> anyhow::Result<ExitStatus> {
    let _ = (args, breaking);
    anyhow::bail!("`diff` is not built yet")
}
