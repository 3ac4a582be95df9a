//! The daemon end to end, in process: `daemon::run` on 127.0.0.1:0 with an injected
//! shutdown and reload channel, a loopback vendor, a 6-field cron firing every second.
//! Asserts the HTTP API, the metrics, reload on request and on a directory change,
//! graceful shutdown, a restart that restores state without reporting again, and a
//! `baseline accept` beside the running daemon checked against at once.
//! The `pages` module checks the HTML pages in a real browser, their escaping of
//! hostile spec text, their accessibility, and the time to render 1,000 integrations.

use crate::browser;
mod control;
use crate::daemon_support;
mod mcp;
mod pages;

use apidrift::baseline::Store;
use apidrift::monitor;
use daemon_support::{Mode, Vendor, monitor_yaml, spec, write_config};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

struct Running {
    base: String,
    stop: oneshot::Sender<()>,
    reload: mpsc::Sender<()>,
    done: tokio::task::JoinHandle<Result<(), apidrift::daemon::DaemonError>>,
}

async fn start(cfg_path: &std::path::Path) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_on(listener, cfg_path)
}

/// Runs the daemon of `cfg_path` on `listener` (bound first when the config must name
/// its address).
fn start_on(listener: tokio::net::TcpListener, cfg_path: &std::path::Path) -> Running {
    let v = monitor::load(cfg_path, true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let (reload, reloads) = mpsc::channel(4);
    let done = tokio::spawn(apidrift::daemon::run(
        listener,
        v.config,
        async {
            let _ = stopped.await;
        },
        reloads,
    ));
    Running {
        base,
        stop,
        reload,
        done,
    }
}

async fn get_json(url: &str) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

async fn metrics(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Polls `f` every 100 ms until it returns Some, for at most `secs` seconds.
async fn wait_for<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(t) = f().await {
            return t;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn integration<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc["integrations"]
        .as_array()?
        .iter()
        .find(|i| i["name"] == name)
}

fn metric_value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_confirms_drift_serves_api_and_metrics_and_restarts_without_rereporting() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[(
            "users",
            monitor_yaml("users", &vendor.url, "* * * * * *", 2),
        )],
    );
    Store::new(dir.path().join("baselines"))
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();

    let d = start(&cfg).await;
    assert_eq!(
        reqwest::get(format!("{}/healthz", d.base))
            .await
            .unwrap()
            .status(),
        200
    );
    // Ready is set once the server task runs: wait for the fact, bounded.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let status = reqwest::get(format!("{}/readyz", d.base))
            .await
            .unwrap()
            .status();
        if status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/readyz still {status} after 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let base = d.base.clone();
    let users = wait_for(10, "a confirmed drift", || {
        let base = base.clone();
        async move {
            let doc = get_json(&format!("{base}/api/v1/integrations")).await;
            let i = integration(&doc, "users")?.clone();
            (i["drift"]["confirmed"] == true).then_some(i)
        }
    })
    .await;
    assert_eq!(users["status"], "drifted");
    assert!(users["counts"]["error"].as_u64().unwrap() >= 1);
    assert!(
        users["baseline"]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );

    let ch = get_json(&format!("{}/api/v1/integrations/users/changes", d.base)).await;
    let list = ch["changes"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|c| c["fingerprint"].as_str().is_some_and(|f| f.len() == 12))
    );
    let missing = reqwest::get(format!("{}/api/v1/integrations/nope/changes", d.base))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let m = metrics(&d.base).await;
    assert_eq!(
        metric_value(&m, "apidrift_drift_confirmed{integration=\"users\"}"),
        Some(1.0)
    );
    assert_eq!(
        metric_value(&m, "apidrift_check_success{integration=\"users\"}"),
        Some(1.0)
    );
    assert!(
        metric_value(
            &m,
            "apidrift_drift_changes{integration=\"users\",level=\"error\"}"
        )
        .unwrap()
            >= 1.0
    );
    assert!(
        metric_value(
            &m,
            "apidrift_checks_total{integration=\"users\",result=\"drift\"}"
        )
        .unwrap()
            >= 1.0
    );
    assert_eq!(
        metric_value(
            &m,
            "apidrift_check_failures_total{integration=\"users\",reason=\"timeout\"}"
        ),
        Some(0.0)
    );
    assert_eq!(
        metric_value(
            &m,
            &format!(
                "apidrift_build_info{{version=\"{}\"}}",
                env!("CARGO_PKG_VERSION")
            )
        ),
        Some(1.0)
    );
    assert!(m.contains("apidrift_check_duration_seconds_bucket{integration=\"users\""));
    for name in [
        "apidrift_last_check_timestamp_seconds",
        "apidrift_last_success_timestamp_seconds",
        "apidrift_baseline_accepted_timestamp_seconds",
        "apidrift_spec_bytes",
    ] {
        assert!(
            metric_value(&m, &format!("{name}{{integration=\"users\"}}")).unwrap() > 0.0,
            "{name}"
        );
    }

    // A fault shows as a failure with its reason, and the drift stays confirmed.
    vendor.set(Mode::Status(500));
    let base = d.base.clone();
    wait_for(10, "a counted http_status failure", || {
        let base = base.clone();
        async move {
            let m = metrics(&base).await;
            (metric_value(
                &m,
                "apidrift_check_failures_total{integration=\"users\",reason=\"http_status\"}",
            )? >= 1.0)
                .then_some(())
        }
    })
    .await;
    let m = metrics(&d.base).await;
    assert_eq!(
        metric_value(&m, "apidrift_check_success{integration=\"users\"}"),
        Some(0.0)
    );
    assert_eq!(
        metric_value(&m, "apidrift_drift_confirmed{integration=\"users\"}"),
        Some(1.0)
    );

    let started = Instant::now();
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "shutdown took {:?}",
        started.elapsed()
    );
    let state_file = dir.path().join("state/users.json");
    let before: Value = serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    assert_eq!(before["status"], "failing");

    // Restart: the state is restored at once (before any check runs), and the drift
    // already reported is not reported again.
    vendor.set(Mode::Spec(spec("v2.yaml")));
    let d = start(&cfg).await;
    let doc = get_json(&format!("{}/api/v1/integrations", d.base)).await;
    assert_eq!(
        integration(&doc, "users").unwrap()["drift"]["confirmed"],
        true
    );
    let m = metrics(&d.base).await;
    assert_eq!(
        metric_value(&m, "apidrift_drift_confirmed{integration=\"users\"}"),
        Some(1.0)
    );
    let base = d.base.clone();
    wait_for(10, "recovery after restart", || {
        let base = base.clone();
        async move {
            let doc = get_json(&format!("{base}/api/v1/integrations")).await;
            (integration(&doc, "users")?["status"] == "drifted").then_some(())
        }
    })
    .await;
    let after: Value = serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    assert_eq!(
        after["reported"]["drift_confirmed"],
        before["reported"]["drift_confirmed"]
    );
    assert_eq!(
        after["reported"]["drift_confirmed_at"],
        before["reported"]["drift_confirmed_at"]
    );

    // Reload on request: a new monitor appears; on a directory change: one is removed.
    std::fs::write(
        dir.path().join("monitors/groups.yaml"),
        monitor_yaml("groups", &vendor.url, "*/15 * * * *", 1),
    )
    .unwrap();
    d.reload.send(()).await.unwrap();
    let base = d.base.clone();
    wait_for(5, "groups after reload", || {
        let base = base.clone();
        async move {
            let doc = get_json(&format!("{base}/api/v1/integrations")).await;
            integration(&doc, "groups").map(|_| ())
        }
    })
    .await;
    std::fs::remove_file(dir.path().join("monitors/groups.yaml")).unwrap();
    let base = d.base.clone();
    wait_for(5, "groups removed after a directory change", || {
        let base = base.clone();
        async move {
            let doc = get_json(&format!("{base}/api/v1/integrations")).await;
            let m = metrics(&base).await;
            (integration(&doc, "groups").is_none() && !m.contains("integration=\"groups\""))
                .then_some(())
        }
    })
    .await;
    // An invalid monitor file is refused and the running set is kept.
    std::fs::write(
        dir.path().join("monitors/bad.yaml"),
        "name: Bad\nshedule: x\n",
    )
    .unwrap();
    let applied_before = metric_value(
        &metrics(&d.base).await,
        "apidrift_config_last_reload_success_timestamp_seconds",
    )
    .expect("the reload timestamp is exported");
    d.reload.send(()).await.unwrap();
    // Waits for the refusal itself (the metric), not for time.
    let base = d.base.clone();
    wait_for(5, "the refused reload in /metrics", || {
        let base = base.clone();
        async move {
            let m = metrics(&base).await;
            (metric_value(&m, "apidrift_config_last_reload_successful") == Some(0.0)).then_some(())
        }
    })
    .await;
    let m = metrics(&d.base).await;
    assert_eq!(
        metric_value(&m, "apidrift_config_last_reload_success_timestamp_seconds"),
        Some(applied_before),
        "a refused reload leaves the last success time"
    );
    let doc = get_json(&format!("{}/api/v1/integrations", d.base)).await;
    assert!(integration(&doc, "users").is_some());
    assert!(integration(&doc, "Bad").is_none());
    // Fixed: the next reload is applied again.
    std::fs::remove_file(dir.path().join("monitors/bad.yaml")).unwrap();
    d.reload.send(()).await.unwrap();
    let base = d.base.clone();
    wait_for(5, "a successful reload in /metrics", || {
        let base = base.clone();
        async move {
            let m = metrics(&base).await;
            (metric_value(&m, "apidrift_config_last_reload_successful") == Some(1.0)).then_some(())
        }
    })
    .await;
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

/// `baseline accept` while the daemon runs: the integration is checked against its new
/// approval within `reload_interval` (200 ms here), not at its next scheduled check (a
/// yearly schedule here, so no scheduled check can stand in for it), and only the
/// integration whose approval changed is checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_approval_is_checked_against_within_the_reload_interval() {
    let dir = tempfile::tempdir().unwrap();
    let a = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let b = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let yearly = "0 0 0 1 1 *";
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[
            ("a", monitor_yaml("a", &a.url, yearly, 1)),
            ("b", monitor_yaml("b", &b.url, yearly, 1)),
        ],
    );
    let d = start(&cfg).await;
    let list = format!("{}/api/v1/integrations", d.base);
    let view = |name: &'static str| {
        let list = list.clone();
        async move {
            let doc = get_json(&list).await;
            integration(&doc, name).cloned()
        }
    };
    wait_for(30, "both integrations listed", || async {
        (view("a").await.is_some() && view("b").await.is_some()).then_some(())
    })
    .await;
    let hits = |v: &Vendor| v.hits.lock().unwrap().len();
    let store = Store::new(dir.path().join("baselines"));
    let v2 = apidrift::baseline::digest(&spec("v2.yaml"));
    let v1 = apidrift::baseline::digest(&spec("v1.yaml"));

    // The approval of what the vendor serves: ok, at once.
    store
        .accept(
            "a",
            &spec("v2.yaml"),
            &a.url,
            "alice",
            "reviewed",
            chrono::Utc::now(),
        )
        .unwrap();
    let got = wait_for(30, "a checked against its first approval", || async {
        view("a")
            .await
            .filter(|v| v["status"] == "ok" && v["baseline"]["digest"] == v2.as_str())
    })
    .await;
    assert_eq!(got["spec_digest"], v2.as_str(), "{got}");
    assert_eq!(got["baseline"]["by"], "alice", "{got}");
    assert_eq!(hits(&a), 1, "one check of a");

    // An approval of something else than what the vendor serves: the drift, at once.
    store
        .accept(
            "a",
            &spec("v1.yaml"),
            &a.url,
            "bob",
            "rollback",
            chrono::Utc::now(),
        )
        .unwrap();
    let got = wait_for(30, "a checked against its second approval", || async {
        view("a")
            .await
            .filter(|v| v["status"] == "drifted" && v["baseline"]["digest"] == v1.as_str())
    })
    .await;
    let counts = &got["counts"];
    let changes: u64 = ["error", "warning", "info"]
        .iter()
        .filter_map(|k| counts[k].as_u64())
        .sum();
    assert!(changes > 0, "{got}");
    assert_eq!(hits(&a), 2, "one check of a per approval");

    // b's approval checks b, and a no more.
    store
        .accept(
            "b",
            &spec("v2.yaml"),
            &b.url,
            "carol",
            "reviewed",
            chrono::Utc::now(),
        )
        .unwrap();
    wait_for(30, "b checked against its approval", || async {
        view("b").await.filter(|v| v["status"] == "ok")
    })
    .await;
    assert_eq!(hits(&b), 1, "one check of b");
    assert_eq!(hits(&a), 2, "a's approval did not change: no check of a");
    let _ = d.stop.send(());
    d.done.await.unwrap().unwrap();
}
