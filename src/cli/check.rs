//! `apidrift check [NAME...]`: one check of the given (default: all) monitors now,
//! printing each verdict. Exit codes: 0 all ok; 1 an unaccepted ERR change (confirmed
//! or not) or a consumed field lost; 4 any check failed (a sample refused with 401/403
//! included: reason `forbidden`) or a monitor has no baseline (4 wins over 1: the
//! result is incomplete). The checks update the persisted state like a daemon poll
//! does. With a consumes contract the visibility verdict follows each integration;
//! `--only-consumed` hides the changes that touch nothing consumed. Beside a running
//! daemon (which holds the state lock) the daemon runs the checks through its API
//! (`cli::control::check_via_daemon`), with the same exit codes.

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::daemon::check::{CheckReport, Checker};
use crate::daemon::view;
use crate::daemon::visibility::annotated_changes;
use crate::impact::FieldState;
use crate::monitor::locate::did_you_mean;
use crate::state::visibility::VisibilityReport;
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
    /// Show only changes that touch a consumed field.
    #[arg(
        long,
        help_heading = "Output",
        long_help = "Show only the changes that touch an operation or field of the monitor's \
                     `consumes` contract. Changes of monitors without a contract are all shown."
    )]
    pub only_consumed: bool,
    #[command(flatten)]
    pub daemon: super::control::DaemonArgs,
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
    // One process checks and saves a state directory at a time (see `Store::lock`).
    let _lock = match crate::state::Store::new(&config.state_dir).lock("apidrift check") {
        Ok(l) => l,
        // A daemon owns the state: it runs the checks (same code path, its permits).
        // Any other holder (a `check`, a `baseline accept`) is refused as before.
        Err(crate::state::StateError::Busy {
            holder: Some(h), ..
        }) if h.ends_with(": apidrift run") => {
            let names: Vec<String> = monitors.iter().map(|m| m.name.clone()).collect();
            return super::control::check_via_daemon(
                &config,
                &names,
                &args.daemon,
                args.format == CheckFormat::Json,
            );
        }
        Err(e) => {
            eprintln!("apidrift: {e}");
            return Ok(ExitStatus::Config);
        }
    };
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
                write_text(&mut out, r, args.only_consumed)?;
            }
        }
        CheckFormat::Json => {
            let items: Vec<_> = reports
                .iter()
                .filter_map(|r| {
                    let m = config.monitors.get(&r.integration)?;
                    let mut v = view(m, Some(&r.state), r.baseline.as_ref());
                    v["result"] = r.result.as_str().into();
                    let changes: Vec<serde_json::Value> = annotated_changes(&r.state)
                        .into_iter()
                        .filter(|c| !args.only_consumed || c["consumed"] != false)
                        .collect();
                    v["changes"] = changes.into();
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
    let breaking = reports.iter().any(|r| {
        r.state.has_error_drift()
            || r.state
                .visibility
                .as_ref()
                .is_some_and(|v| v.verdict.counts.lost > 0)
    });
    Ok(if incomplete {
        ExitStatus::CheckFailed
    } else if breaking {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn write_text(out: &mut dyn Write, r: &CheckReport, only_consumed: bool) -> std::io::Result<()> {
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
    let consumed = |fp: &str| {
        st.visibility.as_ref().and_then(|v| {
            v.verdict
                .changes
                .iter()
                .find(|a| a.change.fingerprint == fp)
                .map(|a| a.consumed)
        })
    };
    for ch in &st.changes {
        let mark = match consumed(&ch.fingerprint) {
            Some(true) => "consumed ",
            Some(false) if only_consumed => continue,
            Some(false) => "",
            None => "",
        };
        let op = match (&ch.operation, &ch.path) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            (None, Some(p)) => p.clone(),
            _ => String::new(),
        };
        writeln!(
            out,
            "    {:<4} {:<40} {op}  {mark}{}",
            ch.level.as_str(),
            ch.id,
            ch.text
        )?;
    }
    if let Some(v) = &st.visibility {
        write_verdict(out, v)?;
    }
    Ok(())
}

/// The verdict block under an integration: ratio, fields by state with reasons and
/// possible renames, refused samples, sample findings and lifecycle.
pub(crate) fn write_verdict(out: &mut dyn Write, v: &VisibilityReport) -> std::io::Result<()> {
    let c = v.verdict.counts;
    write!(
        out,
        "    visibility {:.2}: {} consumed field(s): {} ok, {} at_risk, {} lost",
        v.verdict.visibility, c.total, c.ok, c.at_risk, c.lost
    )?;
    if c.operation_risks > 0 {
        write!(out, "; {} operation risk(s)", c.operation_risks)?;
    }
    writeln!(out)?;
    for op in &v.verdict.operations {
        for r in &op.risks {
            let mut ids: Vec<&str> = r.reasons.iter().map(|x| x.id.as_str()).collect();
            ids.dedup();
            writeln!(
                out,
                "      {:<8} {} (operation): {}  ({})",
                FieldState::AtRisk.as_str(),
                op.operation,
                r.message,
                ids.join(", ")
            )?;
        }
        for f in &op.fields {
            if f.state == FieldState::Ok {
                continue;
            }
            let mut ids: Vec<&str> = f.reasons.iter().map(|r| r.id.as_str()).collect();
            ids.dedup();
            write!(
                out,
                "      {:<8} {} {}  ({})",
                f.state.as_str(),
                op.operation,
                f.field,
                ids.join(", ")
            )?;
            if let Some(to) = &f.possible_rename {
                write!(out, "  possible rename: {} -> {to}", f.field)?;
            }
            writeln!(out)?;
        }
    }
    for s in &v.samples {
        if s.failure == Some(crate::fetch::FailureReason::Forbidden) {
            writeln!(
                out,
                "      visibility risk: sample `{}` was refused with HTTP {}: the fetcher's credentials may no longer see this data",
                s.name,
                s.status.unwrap_or(403)
            )?;
        }
        for f in &s.findings {
            writeln!(
                out,
                "      sample {} {:<4} {}  {}",
                s.name,
                f.level.as_str(),
                f.id,
                f.text
            )?;
        }
    }
    for l in &v.lifecycle {
        let sunset = l
            .sunset_at
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|t| format!(", sunset {}", t.to_rfc3339()))
            .unwrap_or_default();
        writeln!(
            out,
            "      lifecycle {}: {}{sunset} (from {})",
            l.operation,
            if l.deprecated {
                "deprecated"
            } else {
                "not deprecated"
            },
            l.source
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, Level, Section, fingerprint};
    use crate::impact::{Consumes, assess, resolve};
    use crate::model::{Api, MediaType, Method, OpKey, Operation, Response, Schema, Type};
    use std::collections::BTreeMap;

    /// `GET /u` answering `[{id, name}]`, under the root requirement `oauth`.
    fn api() -> Api {
        let mut api = Api::default();
        let s = api.push_schema(Schema {
            types: [Type::String].into(),
            ..Schema::default()
        });
        let item = api.push_schema(Schema {
            types: [Type::Object].into(),
            properties: [("id".to_string(), s), ("name".to_string(), s)]
                .into_iter()
                .collect(),
            ..Schema::default()
        });
        let list = api.push_schema(Schema {
            types: [Type::Array].into(),
            items: Some(item),
            ..Schema::default()
        });
        let response = Response {
            pointer: String::new(),
            description: None,
            content: BTreeMap::from([(
                "application/json".to_string(),
                MediaType {
                    pointer: String::new(),
                    schema: Some(list),
                },
            )]),
            headers: BTreeMap::new(),
        };
        api.operations.insert(
            OpKey::new(Method::Get, "/u"),
            Operation {
                method: Method::Get,
                path: "/u".to_string(),
                pointer: String::new(),
                operation_id: None,
                summary: None,
                description: None,
                tags: vec![],
                deprecated: false,
                sunset: None,
                stability: None,
                parameters: Default::default(),
                request_body: None,
                responses: BTreeMap::from([("200".to_string(), response)]),
                security: None,
                extensions: BTreeMap::new(),
            },
        );
        api
    }

    fn change(id: &str, args: &[&str]) -> Change {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Change {
            id: id.to_string(),
            text: String::new(),
            comment: None,
            level: Level::Info,
            operation: None,
            path: None,
            operation_id: None,
            section: Section::Security,
            fingerprint: fingerprint(id, None, None, &args),
            args,
            base_pointer: None,
            revision_pointer: None,
        }
    }

    #[test]
    fn a_credential_risk_is_one_line_per_operation_in_the_text_verdict() {
        let c: Consumes =
            serde_yaml::from_str("- {operation: GET /u, entity: user, fields: [id, name]}\n")
                .expect("the contract parses");
        let r = resolve(&c, &api()).expect("the contract resolves");
        let v = assess(
            &[
                change("api-global-security-scope-added", &["oauth", "admin"]),
                change("api-global-security-scope-removed", &["oauth", "read"]),
            ],
            &r,
            None,
        );
        let report = VisibilityReport {
            verdict: v,
            samples: Vec::new(),
            lifecycle: Vec::new(),
        };
        let mut out = Vec::new();
        write_verdict(&mut out, &report).expect("writing to a Vec");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "    visibility 1.00: 2 consumed field(s): 2 ok, 0 at_risk, 0 lost; 1 operation risk(s)\n      at_risk  GET /u (operation): the credential may need to change  (api-global-security-scope-added, api-global-security-scope-removed)\n"
        );
    }
}
