//! `apidrift history NAME [--format text|json]`: the drift history of one integration,
//! newest first: each drift episode (first seen, confirmed, notifications, acks, how it
//! ended) and failing period, and for how long each consumed field was not seen. The
//! JSON is the document `/api/v1/integrations/NAME/history` serves. Reads only; safe
//! beside a running daemon. Must not: fold or decide anything (`state::history` does).

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::monitor::locate::did_you_mean;
use crate::state::history::{Ended, History, Store, human_duration};
use chrono::{DateTime, SecondsFormat, Utc};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The monitor name.
    pub name: String,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", help_heading = "Output")]
    pub format: HistoryFormat,
}

pub fn run(args: HistoryArgs) -> anyhow::Result<ExitStatus> {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    if !config.monitors.contains_key(&args.name) {
        let known: Vec<&str> = config.monitors.keys().map(String::as_str).collect();
        let hint = did_you_mean(&args.name, &known)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        eprintln!("apidrift: no monitor named `{}`{hint}", args.name);
        return Ok(ExitStatus::Usage);
    }
    // With PostgreSQL the history is in the database: read into a scratch directory and
    // folded there (the state directory of a replica is only a cache).
    let mut scratch = None;
    let dir = match &config.store {
        crate::monitor::store_config::StoreSettings::Files => config.state_dir.join("history"),
        crate::monitor::store_config::StoreSettings::Postgres(pg) => {
            let scratch = scratch.insert(tempfile_dir()?);
            let db = crate::store::postgres::Db::connect(pg)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let lines = rt.block_on(db.history(&args.name))?;
            let store = Store::new(scratch.join("history"), config.history);
            let mut text = lines.join("\n");
            text.push('\n');
            crate::atomic::write(&store.path(&args.name), text.as_bytes())?;
            scratch.join("history")
        }
    };
    let store = Store::new(dir, config.history);
    let now = Utc::now();
    let mut out = std::io::stdout().lock();
    match args.format {
        HistoryFormat::Json => {
            let v = crate::daemon::history_json(&store, &args.name, now)?;
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        HistoryFormat::Text => write_text(&mut out, &store.load(&args.name, now)?, now)?,
    }
    out.flush()?;
    if let Some(s) = scratch {
        let _ = std::fs::remove_dir_all(s);
    }
    Ok(ExitStatus::Success)
}

/// A private scratch directory under the system's temp dir (removed at the end).
fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!(
        "apidrift-history-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir(&d)?;
    Ok(d)
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn write_text(out: &mut dyn Write, h: &History, now: DateTime<Utc>) -> std::io::Result<()> {
    if h.episodes.is_empty() && h.failing.is_empty() {
        writeln!(
            out,
            "{}: no drift and no failing period in the kept history",
            h.integration
        )?;
        return Ok(());
    }
    if !h.blind.is_empty() {
        writeln!(
            out,
            "consumed fields not seen (worst state, total time, episodes):"
        )?;
        for b in &h.blind {
            let now_text = match b.since {
                Some(s) => format!("still {} since {}", b.state, ts(s)),
                None => format!("ok again since {}", ts(b.last)),
            };
            writeln!(
                out,
                "  {:<8} {} {}  {} over {} episode(s); {now_text}",
                b.state.as_str(),
                b.operation,
                b.field,
                human_duration(b.total_seconds),
                b.episodes
            )?;
        }
        writeln!(out)?;
    }
    for e in &h.episodes {
        let state = if e.ended.is_some() { "ended" } else { "open" };
        writeln!(
            out,
            "drift {} ({state}): {} change(s), {} ERR {} WARN {} INFO",
            e.drift, e.changes_total, e.counts.error, e.counts.warning, e.counts.info
        )?;
        writeln!(out, "  {}  first seen", ts(e.first_seen))?;
        if let Some(c) = e.confirmed_at {
            writeln!(out, "  {}  confirmed", ts(c))?;
        }
        for n in &e.notifications {
            let at = n.settled_at.or(n.queued_at).map(ts).unwrap_or_default();
            writeln!(
                out,
                "  {at}  {} {} to {}: {} (event {})",
                n.kind, n.channel, n.destination, n.status, n.event_id
            )?;
        }
        for a in &e.acknowledgements {
            writeln!(out, "  {}  acknowledged by {}", ts(a.at), a.by)?;
        }
        match (&e.ended, e.ended_at) {
            (Some(how), Some(at)) => {
                let how = match how {
                    Ended::VendorReverted => "resolved: the vendor reverted".to_string(),
                    Ended::Accepted {
                        baseline_digest,
                        by,
                        reason,
                        ..
                    } => format!("accepted by {by} ({reason}): {baseline_digest}"),
                    Ended::Superseded { by_drift } => format!("replaced by drift {by_drift}"),
                    Ended::BaselineRemoved => "ended: the baseline was removed".to_string(),
                };
                writeln!(
                    out,
                    "  {}  {how}, after {}",
                    ts(at),
                    human_duration(e.duration_seconds)
                )?;
            }
            _ => writeln!(out, "  open for {}", human_duration(e.duration_seconds))?,
        }
        if let Some(v) = e.verdict() {
            for f in &v.fields {
                let end = e.ended_at.unwrap_or(now);
                writeln!(
                    out,
                    "  {:<8} {} {} for {}",
                    f.state.as_str(),
                    f.operation,
                    f.field,
                    human_duration((end - e.first_seen).num_seconds())
                )?;
            }
        }
    }
    for f in &h.failing {
        let end = match f.ended_at {
            Some(t) => format!("until {}", ts(t)),
            None => "still failing".to_string(),
        };
        writeln!(
            out,
            "failing {} ({}) since {} {end}, {}",
            f.reason,
            f.message,
            ts(f.since),
            human_duration(f.duration_seconds)
        )?;
    }
    Ok(())
}
