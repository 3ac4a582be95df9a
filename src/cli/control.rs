//! Talking to a running daemon: `apidrift check NAME` beside a daemon that holds the
//! state lock asks its API (`POST /api/v1/integrations/NAME/check`) instead of failing;
//! `apidrift ack NAME --reason ...` acknowledges a drift (through the daemon when one
//! runs, else in the history directly); `apidrift mcp` serves the MCP tools on stdio,
//! answered by the daemon's API. The address is `--url`, else the config's `listen`;
//! the token is `APIDRIFT_TOKEN`, else `--token NAME` of `api.tokens`, else the first
//! configured token with the scope the command needs.
//!
//! Must not: print a token, or accept a baseline.

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::monitor::Config;
use crate::monitor::api_config::Scope;
use crate::secret::Secret;
use crate::state::history::HistoryRecord;
use serde_json::{Value, json};

/// Where the daemon is and how to authenticate to it.
#[derive(Debug, clap::Args)]
pub struct DaemonArgs {
    /// The daemon's base URL [default: http://<listen> of the config].
    #[arg(long, value_name = "URL", help_heading = "Daemon")]
    pub url: Option<String>,
    /// The `api.tokens` entry to use [default: $APIDRIFT_TOKEN, else the first token
    /// with the needed scope].
    #[arg(long, value_name = "NAME", help_heading = "Daemon")]
    pub token: Option<String>,
}

impl DaemonArgs {
    /// The base URL: `--url`, else `http://<listen>` with a wildcard host made local.
    pub fn base(&self, config: &Config) -> String {
        if let Some(u) = &self.url {
            return u.trim_end_matches('/').to_string();
        }
        let listen = config
            .listen
            .replace("0.0.0.0:", "127.0.0.1:")
            .replace("[::]:", "[::1]:");
        format!("http://{listen}")
    }

    /// The token value, read now (never printed).
    pub fn secret(&self, config: &Config, want: Scope) -> Result<Option<Secret>, String> {
        if let Ok(v) = std::env::var("APIDRIFT_TOKEN")
            && !v.is_empty()
        {
            return Ok(Some(Secret::new(v)));
        }
        let pick = match &self.token {
            Some(n) => Some(
                config
                    .api
                    .tokens
                    .iter()
                    .find(|t| &t.name == n)
                    .ok_or_else(|| format!("no token named `{n}` in api.tokens"))?,
            ),
            None => config
                .api
                .tokens
                .iter()
                .filter(|t| t.scope >= want)
                .min_by_key(|t| t.scope),
        };
        match pick {
            None => Ok(None),
            Some(t) => t
                .token
                .resolve()
                .map(Some)
                .map_err(|e| format!("api token `{}`: {e}", t.name)),
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// One request to the daemon; the error says what went wrong without the token.
async fn request(
    method: reqwest::Method,
    url: &str,
    token: Option<&Secret>,
    body: Option<Value>,
) -> Result<Value, String> {
    let mut r = reqwest::Client::new().request(method, url);
    if let Some(t) = token {
        r = r.bearer_auth(t.expose());
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r
        .send()
        .await
        .map_err(|e| format!("cannot reach the daemon at {url}: {e}"))?;
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        Ok(v)
    } else {
        Err(format!(
            "the daemon answered HTTP {}: {}",
            status.as_u16(),
            v["error"].as_str().unwrap_or("request refused")
        ))
    }
}

/// `apidrift check NAME...` through the daemon's API. Exit codes as `check`.
pub fn check_via_daemon(
    config: &Config,
    names: &[String],
    daemon: &DaemonArgs,
    json_out: bool,
) -> anyhow::Result<ExitStatus> {
    let base = daemon.base(config);
    let token = match daemon.secret(config, Scope::Operate) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("apidrift: {e}");
            return Ok(ExitStatus::Config);
        }
    };
    let rt = runtime()?;
    let mut items = Vec::new();
    let mut incomplete = false;
    let mut breaking = false;
    for n in names {
        let url = format!("{base}/api/v1/integrations/{n}/check");
        match rt.block_on(request(reqwest::Method::POST, &url, token.as_ref(), None)) {
            Ok(v) => {
                let result = v["result"].as_str().unwrap_or("");
                incomplete |= matches!(result, "failed" | "no_baseline");
                breaking |= (v["drift"].is_object()
                    && v["counts"]["error"].as_u64().unwrap_or(0) > 0)
                    || v["verdict"]["lost"].as_u64().unwrap_or(0) > 0;
                if !json_out {
                    println!(
                        "{:<11} {n}  [{result}] checked by the daemon at {base}{}",
                        v["status"].as_str().unwrap_or(""),
                        if v["coalesced"] == true {
                            " (joined a check in flight)"
                        } else {
                            ""
                        }
                    );
                }
                items.push(v);
            }
            Err(e) => {
                eprintln!("apidrift: {n}: {e}");
                incomplete = true;
            }
        }
    }
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "integrations": items }))?
        );
    }
    Ok(if incomplete {
        ExitStatus::CheckFailed
    } else if breaking {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

#[derive(Debug, clap::Args)]
pub struct AckArgs {
    /// The integration whose current drift is acknowledged.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Why reminders may stop (required unless --clear).
    #[arg(long, required_unless_present = "clear")]
    pub reason: Option<String>,
    /// Reminders resume at this RFC 3339 time [default: while this drift lasts].
    #[arg(long, value_name = "TIME")]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Who handles it [default: $USER, or the token's name through the daemon].
    #[arg(long)]
    pub by: Option<String>,
    /// Withdraw the acknowledgement: reminders resume.
    #[arg(long, conflicts_with_all = ["reason", "until"])]
    pub clear: bool,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub daemon: DaemonArgs,
}

pub fn ack(args: AckArgs) -> anyhow::Result<ExitStatus> {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    if !config.monitors.contains_key(&args.name) {
        eprintln!("apidrift: no monitor named `{}`", args.name);
        return Ok(ExitStatus::Usage);
    }
    let by = args.by.clone().or_else(|| std::env::var("USER").ok());
    match crate::state::Store::new(&config.state_dir).lock("apidrift ack") {
        Err(crate::state::StateError::Busy {
            holder: Some(h), ..
        }) if h.ends_with(": apidrift run") => ack_via_daemon(&config, &args, by),
        Err(e) => {
            eprintln!("apidrift: {e}");
            Ok(ExitStatus::Config)
        }
        Ok(_lock) => ack_locally(&config, &args, by),
    }
}

fn ack_via_daemon(
    config: &Config,
    args: &AckArgs,
    by: Option<String>,
) -> anyhow::Result<ExitStatus> {
    let base = args.daemon.base(config);
    let token = match args.daemon.secret(config, Scope::Operate) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("apidrift: {e}");
            return Ok(ExitStatus::Config);
        }
    };
    let url = format!("{base}/api/v1/integrations/{}/ack", args.name);
    let (method, body) = if args.clear {
        (reqwest::Method::DELETE, None)
    } else {
        (
            reqwest::Method::POST,
            Some(json!({"reason": args.reason, "until": args.until, "by": by})),
        )
    };
    match runtime()?.block_on(request(method, &url, token.as_ref(), body)) {
        Ok(v) => {
            match &v["acknowledged"] {
                Value::Null => println!("{}: not acknowledged; reminders go on", args.name),
                a => println!(
                    "{}: drift {} acknowledged by {} until {}",
                    args.name,
                    a["drift"].as_str().unwrap_or(""),
                    a["by"].as_str().unwrap_or(""),
                    a["until"].as_str().unwrap_or("it changes")
                ),
            }
            Ok(ExitStatus::Success)
        }
        Err(e) => {
            eprintln!("apidrift: {e}");
            Ok(ExitStatus::CheckFailed)
        }
    }
}

/// No daemon: the history is the record; a daemon started later reads it.
fn ack_locally(config: &Config, args: &AckArgs, by: Option<String>) -> anyhow::Result<ExitStatus> {
    let states = crate::state::Store::new(&config.state_dir);
    let st = states.load(&args.name)?;
    let Some(drift) = st.drift else {
        eprintln!(
            "apidrift: `{}` has no drift to acknowledge (status {})",
            args.name,
            st.status.as_str()
        );
        return Ok(ExitStatus::CheckFailed);
    };
    let history =
        crate::state::history::Store::new(config.state_dir.join("history"), config.history);
    let now = chrono::Utc::now();
    let by = by.unwrap_or_else(|| "cli".to_string());
    let rec = if args.clear {
        HistoryRecord::AckCleared {
            at: now,
            drift: drift.id.clone(),
            by,
        }
    } else {
        if args.until.is_some_and(|u| u <= now) {
            eprintln!("apidrift: --until is in the past");
            return Ok(ExitStatus::Usage);
        }
        HistoryRecord::Acknowledged {
            at: now,
            drift: drift.id.clone(),
            by,
            note: args.reason.clone(),
            until: args.until,
        }
    };
    history.append(&args.name, &[rec], now)?;
    println!(
        "{}: drift {} {}",
        args.name,
        drift.id,
        if args.clear {
            "no longer acknowledged"
        } else {
            "acknowledged"
        }
    );
    Ok(ExitStatus::Success)
}

#[derive(Debug, clap::Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub daemon: DaemonArgs,
}

/// `apidrift mcp`: the MCP tools on stdio, answered by the running daemon.
pub fn mcp(args: McpArgs) -> anyhow::Result<ExitStatus> {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let base = args.daemon.base(&config);
    let token = match args.daemon.secret(&config, Scope::Read) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("apidrift: {e}");
            return Ok(ExitStatus::Config);
        }
    };
    tracing::info!(daemon = %base, "MCP server on stdio");
    let server = crate::daemon::mcp::Server::remote(&base, token)?;
    match runtime()?.block_on(server.serve_stdio()) {
        Ok(()) => Ok(ExitStatus::Success),
        Err(e) => {
            eprintln!("apidrift: mcp: {e}");
            Ok(ExitStatus::Internal)
        }
    }
}
