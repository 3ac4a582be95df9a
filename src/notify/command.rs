//! `notify.command`: run a local program with the event JSON on stdin.
//!
//! Owns: `CommandConfig` and `run` (one attempt with a timeout; the `Outbox` retries).
//! Must not: go through a shell, or hand the program apidrift's environment (which holds
//! vendor tokens and SMTP passwords): the child gets only `PATH`, `HOME`, `LANG` and the
//! `APIDRIFT_EVENT` / `APIDRIFT_DELIVERY` variables.

use super::outbox::DeliveryError;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A program and its arguments (argv, no shell), with a timeout.
#[derive(Debug, Clone)]
pub struct CommandConfig {
    pub argv: Vec<String>,
    pub timeout: Duration,
}

/// Runs the program once; exit status 0 within the timeout is delivered. On timeout the
/// child is killed.
pub async fn run(
    cfg: &CommandConfig,
    event_type: &str,
    delivery_id: &str,
    payload: &[u8],
) -> Result<(), DeliveryError> {
    let Some((prog, args)) = cfg.argv.split_first() else {
        return Err(DeliveryError::permanent("notify.command is empty"));
    };
    let mut cmd = tokio::process::Command::new(prog);
    cmd.args(args)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .env("APIDRIFT_EVENT", event_type)
        .env("APIDRIFT_DELIVERY", delivery_id);
    for keep in ["PATH", "HOME", "LANG"] {
        if let Some(v) = std::env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    let mut child = cmd.spawn().map_err(|e| {
        DeliveryError::retryable(format!("command `{prog}`: cannot start: {}", e.kind()))
    })?;
    let work = async {
        if let Some(mut stdin) = child.stdin.take() {
            // A program that exits without reading its input is not an error by itself.
            let _ = stdin.write_all(payload).await;
            drop(stdin);
        }
        child.wait().await
    };
    match tokio::time::timeout(cfg.timeout, work).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(DeliveryError::retryable(format!(
            "command `{prog}`: exited with {}",
            status
                .code()
                .map_or("a signal".to_string(), |c| format!("status {c}"))
        ))),
        Ok(Err(e)) => Err(DeliveryError::retryable(format!(
            "command `{prog}`: {}",
            e.kind()
        ))),
        Err(_) => {
            let _ = child.kill().await;
            Err(DeliveryError::retryable(format!(
                "command `{prog}`: timed out after {:?}",
                cfg.timeout
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn command_gets_payload_on_stdin_and_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let ok = CommandConfig {
            argv: vec![
                "sh".into(),
                "-c".into(),
                format!(
                    "cat > '{}'; test \"$APIDRIFT_EVENT\" = drift.confirmed",
                    out.display()
                ),
            ],
            timeout: Duration::from_secs(10),
        };
        run(&ok, "drift.confirmed", "evt_1", b"{\"a\":1}")
            .await
            .unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"{\"a\":1}");
        assert!(run(&ok, "check.failing", "evt_1", b"{}").await.is_err());
        let slow = CommandConfig {
            argv: vec!["sleep".into(), "5".into()],
            timeout: Duration::from_millis(200),
        };
        let t0 = std::time::Instant::now();
        let err = run(&slow, "x", "y", b"").await.unwrap_err();
        assert!(err.to_string().contains("timed out"), "{err}");
        assert!(t0.elapsed() < Duration::from_secs(3));
    }
}
