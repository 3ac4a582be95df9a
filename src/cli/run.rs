//! `apidrift run`: the daemon. Refuses to start on an invalid configuration; SIGTERM or
//! Ctrl-C stop it gracefully, SIGHUP reloads the monitors.

use super::ExitStatus;
use super::validate::ConfigArg;
use crate::state::{StateError, Store};
use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Address for HTTP (/metrics, /healthz, /readyz, /api/v1) [default: `listen` from
    /// apidrift.yaml, else 127.0.0.1:9464]. The container image sets 0.0.0.0:9464.
    #[arg(
        long,
        value_name = "ADDR",
        env = "APIDRIFT_LISTEN",
        help_heading = "Daemon"
    )]
    pub listen: Option<String>,
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitStatus> {
    let mut config = match args.config.load() {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    // Refuse before listening when another process holds the state directory (the
    // daemon takes the lock for good when it starts; this only makes the common
    // case fail before a port is bound and announced).
    if let Err(e) = Store::new(&config.state_dir).lock("apidrift run (starting)") {
        eprintln!("apidrift: {e}");
        return Ok(ExitStatus::Config);
    }
    let addr = args.listen.unwrap_or_else(|| config.listen.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // Tests and scripts read this line to find the port when listening on :0.
        println!("apidrift: listening on http://{local}");
        // Links in pages, emails and events default to the address actually bound.
        config.listen = local.to_string();
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            while hup.recv().await.is_some() {
                if tx.send(()).await.is_err() {
                    break;
                }
            }
        });
        let shutdown = async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        match crate::daemon::run(listener, config, shutdown, rx).await {
            Ok(()) => Ok(ExitStatus::Success),
            Err(crate::daemon::DaemonError::State(e @ StateError::Busy { .. })) => {
                eprintln!("apidrift: {e}");
                Ok(ExitStatus::Config)
            }
            Err(e) => Err(anyhow::Error::from(e)),
        }
    })
}
