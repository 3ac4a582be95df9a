//! The `apidrift` binary: parses arguments, dispatches to `cli`, prints an error once
//! and exits with a documented code (see `cli::ExitStatus` and README.md).

use apidrift::cli::{self, ExitStatus};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let parsed = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitStatus::Usage.code()
            } else {
                ExitStatus::Success.code()
            };
            // Printing help or a usage error can only fail on a closed pipe; nothing
            // more useful can be done then than exit.
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    apidrift::logging::init();
    match cli::dispatch(parsed) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(ExitStatus::Success.code());
            }
            eprintln!("apidrift: {err:#}");
            ExitCode::from(ExitStatus::Internal.code())
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
