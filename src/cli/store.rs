//! `apidrift store migrate`: applies the PostgreSQL schema (`store: postgres`) and
//! exits; `apidrift run` does the same at start, so this is for a deploy step that
//! migrates before any replica starts. Must not: touch the state directory or print
//! the connection URL (it carries the password).

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::monitor::store_config::StoreSettings;
use crate::store::postgres::Db;

#[derive(Debug, clap::Subcommand)]
pub enum StoreCommand {
    /// Apply the database migrations this version knows (idempotent; under a lock).
    Migrate(MigrateArgs),
}

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub config: ConfigArg,
}

pub fn run(c: StoreCommand) -> anyhow::Result<ExitStatus> {
    match c {
        StoreCommand::Migrate(a) => migrate(a),
    }
}

fn migrate(args: MigrateArgs) -> anyhow::Result<ExitStatus> {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let StoreSettings::Postgres(pg) = &config.store else {
        eprintln!(
            "apidrift: `store` is `files`: there is nothing to migrate (set `store: {{postgres: {{url: {{env: VAR}}}}}}` in apidrift.yaml)"
        );
        return Ok(ExitStatus::Config);
    };
    let db = match Db::connect(pg) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("apidrift: {e}");
            return Ok(ExitStatus::Config);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match rt.block_on(db.migrate()) {
        Ok(v) if v.is_empty() => println!("store: schema up to date"),
        Ok(v) => println!(
            "store: applied migration{} {}",
            if v.len() == 1 { "" } else { "s" },
            v.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
        ),
        Err(e) => {
            eprintln!("apidrift: cannot migrate the store: {e}");
            return Ok(ExitStatus::Internal);
        }
    }
    Ok(ExitStatus::Success)
}
