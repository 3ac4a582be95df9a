//! `apidrift check [NAME...]`: one check of the given (default: all) monitors now,
//! printing each verdict. Exit codes: 0 all ok; 1 an unaccepted ERR change (confirmed
//! or not); 4 any check failed or a monitor has no baseline (4 wins over 1: the result
//! is incomplete). The checks update the persisted state like a daemon poll does.

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::daemon::check::{CheckReport, Checker};
use crate::daemon::view;
use crate::monitor::locate::did_you_mean;
use crate::state::{CheckResult, Status};
use std::io::Write;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Monitors to check (default: all).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", help_heading = "Output")]
    pub format: CheckFormat,
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let mut monitors = Vec::new();
    if args.names.is_empty() {
        monitors.extend(config.monitors.values().cloned());
    } else {
        let known: Vec<&str> = config.monitors.keys().map(String::as_str).collect();
        for n in &args.names {
            match config.monitors.get(n) {
                Some(m) => monitors.push(m.clone()),
                None => {
                    let hint = did_you_mean(n, &known)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    eprintln!("apidrift: no monitor named `{n}`{hint}");
                    return Ok(ExitStatus::Usage);
                }
            }
        }
    }
    if monitors.is_empty() {
        eprintln!("apidrift: no monitors in {}", config.monitors_dir.display());
        return Ok(ExitStatus::Config);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let checker = Arc::new(Checker::new(&config)?);
    let limit = Arc::new(tokio::sync::Semaphore::new(config.max_concurrency.max(1)));
    let reports: Vec<CheckReport> = rt.block_on(async {
        let mut handles = Vec::new();
        for m in monitors.clone() {
            let checker = checker.clone();
            let limit = limit.clone();
            handles.push(tokio::spawn(async move {
                let _permit = limit.acquire_owned().await;
                checker.check(&m).await
            }));
        }
        let mut out = Vec::new();
        for h in handles {
            match h.await {
                Ok(r) => out.push(r),
                Err(e) => tracing::error!(error = %e, "check task failed"),
            }
        }
        out
    });

    let mut out = std::io::stdout().lock();
    match args.format {
        CheckFormat::Text => {
            for r in &reports {
                write_text(&mut out, r)?;
            }
        }
        CheckFormat::Json => {
            let items: Vec<_> = reports
                .iter()
                .filter_map(|r| {
                    let m = config.monitors.get(&r.integration)?;
                    let mut v = view(m, Some(&r.state), r.baseline.as_ref());
                    v["result"] = r.result.as_str().into();
                    v["changes"] = serde_json::to_value(&r.state.changes).ok()?;
                    Some(v)
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "integrations": items }))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    let incomplete = reports
        .iter()
        .any(|r| matches!(r.result, CheckResult::Failed | CheckResult::NoBaseline))
        || reports.len() != monitors.len();
    let breaking = reports.iter().any(|r| r.state.has_error_drift());
    Ok(if incomplete {
        ExitStatus::CheckFailed
    } else if breaking {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn write_text(out: &mut dyn Write, r: &CheckReport) -> std::io::Result<()> {
    let st = &r.state;
    let c = st.counts();
    let summary = match st.status {
        Status::Failing => {
            let f = st.failure.as_ref();
            let mut s = format!(
                "check failed ({}): {}",
                f.map(|f| f.reason.as_str()).unwrap_or("unknown"),
                f.map(|f| f.message.as_str()).unwrap_or("")
            );
            if st.drift.is_some() {
                s.push_str("; the drift found before is kept");
            }
            s
        }
        Status::NoBaseline => format!(
            "no baseline: run `apidrift baseline accept {} --reason ...`",
            r.integration
        ),
        Status::Ok => "no unaccepted change".to_string(),
        Status::Drifted => {
            let d = st.drift.as_ref();
            let conf = match d {
                Some(d) if d.confirmed => "confirmed".to_string(),
                Some(d) => format!("unconfirmed, seen {} time(s)", d.polls_seen),
                None => String::new(),
            };
            format!(
                "{} unaccepted change(s): {} error, {} warning, {} info ({conf})",
                st.changes.len(),
                c["error"],
                c["warning"],
                c["info"]
            )
        }
        Status::Unknown => "not checked".to_string(),
    };
    writeln!(
        out,
        "{:<11} {}  [{}] {summary}",
        st.status.as_str(),
        r.integration,
        r.result.as_str()
    )?;
    for ch in &st.changes {
        let op = match (&ch.operation, &ch.path) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            (None, Some(p)) => p.clone(),
            _ => String::new(),
        };
        writeln!(
            out,
            "    {:<4} {:<40} {op}  {}",
            ch.level.as_str(),
            ch.id,
            ch.text
        )?;
    }
    Ok(())
}
