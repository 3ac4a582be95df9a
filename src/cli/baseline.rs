//! `apidrift baseline accept|show|log`: the only way a baseline changes. `accept` reads
//! the monitor's current spec (fetch or path), refuses anything that is not a readable
//! spec, and records who, when and why. With a consumes contract, every consumed
//! operation and field must resolve against that spec (else exit 5, with near-miss
//! hints at `file:line:col` of the monitor); the shapes of the monitor's samples are
//! stored beside it (shapes only, never a value).

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::baseline::Store;
use crate::daemon::check::fetch_for_accept;
use crate::daemon::visibility::{AcceptError, prepare_accept};
use crate::diagnostic::Diagnostic;
use crate::fetch::{FailureReason, Fetcher};
use crate::monitor::Config;
use crate::monitor::locate::did_you_mean;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum BaselineCommand {
    /// Fetch the current spec of NAME and store it as its approved baseline.
    Accept {
        /// The monitor name.
        name: String,
        /// Why this spec is approved (kept in the log).
        #[arg(long)]
        reason: String,
        /// Who approves [default: $USER].
        #[arg(long)]
        by: Option<String>,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print the current approval of NAME.
    Show {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print every accept of NAME, oldest first.
    Log {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

fn known(config: &Config, name: &str) -> bool {
    if config.monitors.contains_key(name) {
        return true;
    }
    let names: Vec<&str> = config.monitors.keys().map(String::as_str).collect();
    let hint = did_you_mean(name, &names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    eprintln!("apidrift: no monitor named `{name}`{hint}");
    false
}

pub fn run(cmd: BaselineCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        BaselineCommand::Accept {
            name,
            reason,
            by,
            config,
        } => {
            let config = match config.load() {
                Ok(c) => c,
                Err(s) => return Ok(s),
            };
            if !known(&config, &name) {
                return Ok(ExitStatus::Usage);
            }
            if reason.trim().is_empty() {
                eprintln!("apidrift: --reason must say why this spec is approved");
                return Ok(ExitStatus::Usage);
            }
            let m = &config.monitors[&name];
            let by = by
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "unknown".to_string());
            let fetcher = Fetcher::for_config(&config)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let (bytes, api) =
                match rt.block_on(fetch_for_accept(&fetcher, m, config.max_spec_bytes)) {
                    Ok(x) => x,
                    Err(e) => {
                        eprintln!("apidrift: cannot accept `{name}`: {e}");
                        return Ok(if e.reason == FailureReason::Parse {
                            ExitStatus::SpecLoad
                        } else {
                            ExitStatus::CheckFailed
                        });
                    }
                };
            let samples = match rt.block_on(prepare_accept(&fetcher, m, &api)) {
                Ok(a) => {
                    if !a.warnings.is_empty() {
                        let text = std::fs::read_to_string(&m.file).unwrap_or_default();
                        let mut err = std::io::stderr().lock();
                        for d in a.warnings {
                            let d = locate_in_monitor(d, &m.file, &text);
                            write!(err, "{}", d.render(Some(&text)))?;
                        }
                    }
                    a.samples
                }
                Err(AcceptError::Contract(diags)) => {
                    let text = std::fs::read_to_string(&m.file).unwrap_or_default();
                    let mut err = std::io::stderr().lock();
                    for d in diags {
                        let d = locate_in_monitor(d, &m.file, &text);
                        write!(err, "{}", d.render(Some(&text)))?;
                    }
                    writeln!(
                        err,
                        "apidrift: not accepting `{name}`: its consumes contract does not match this spec"
                    )?;
                    return Ok(ExitStatus::Config);
                }
                Err(AcceptError::Sample {
                    name: sample,
                    error,
                }) => {
                    eprintln!("apidrift: cannot accept `{name}`: sample `{sample}`: {error}");
                    return Ok(ExitStatus::CheckFailed);
                }
            };
            let store = Store::new(&config.baselines_dir);
            let rec = store.accept_with_samples(
                &name,
                &bytes,
                samples.as_deref(),
                &m.source.display(),
                &by,
                &reason,
                chrono::Utc::now(),
            )?;
            println!(
                "accepted {name}: {} from {} by {by}",
                rec.digest, rec.source
            );
            Ok(ExitStatus::Success)
        }
        BaselineCommand::Show { name, config } => {
            let config = match config.load() {
                Ok(c) => c,
                Err(s) => return Ok(s),
            };
            let store = Store::new(&config.baselines_dir);
            match store.record(&name)? {
                Some(r) => {
                    print!("{}", serde_yaml::to_string(&r)?);
                    Ok(ExitStatus::Success)
                }
                None => {
                    eprintln!(
                        "apidrift: `{name}` has no baseline; run `apidrift baseline accept {name} --reason ...`"
                    );
                    Ok(ExitStatus::CheckFailed)
                }
            }
        }
        BaselineCommand::Log { name, config } => {
            let config = match config.load() {
                Ok(c) => c,
                Err(s) => return Ok(s),
            };
            let store = Store::new(&config.baselines_dir);
            let current = store.record(&name)?;
            let log = store.log(&name)?;
            let mut out = std::io::stdout().lock();
            for r in &log {
                let mark = if current.as_ref() == Some(r) {
                    "*"
                } else {
                    " "
                };
                writeln!(
                    out,
                    "{mark} {}  {}  {}  by {}: {}",
                    r.accepted_at, r.digest, r.source, r.by, r.reason
                )?;
            }
            if log.is_empty() {
                eprintln!("apidrift: `{name}` was never accepted");
            }
            Ok(ExitStatus::Success)
        }
    }
}

/// Puts a contract diagnostic (a JSON Pointer into the monitor) at its `file:line:col`.
fn locate_in_monitor(d: Diagnostic, file: &std::path::Path, text: &str) -> Diagnostic {
    let at = d.pointer.as_deref().and_then(|p| {
        let segs: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
        crate::monitor::locate::locate_key(text, &segs)
    });
    let d = d.in_file(file.display().to_string());
    match at {
        Some((l, c)) => d.at(l, c),
        None => d,
    }
}
