//! Load: many integrations, 30% of them failing (the loopback vendor answers 500), under
//! the real `apidrift run`, while `wrk` hammers `/metrics` and `/api/v1/integrations`
//! for 30 s. Asserts that no request failed or answered non-2xx and that every healthy
//! integration was checked during the load (its cadence held); prints p50/p99 latency,
//! the checks done and the daemon's peak RSS (VmHWM). 1,000 integrations by default;
//! `APIDRIFT_LOAD_MONITORS=10000` (and `APIDRIFT_LOAD_BIN=target/release/apidrift`,
//! `APIDRIFT_LOAD_CADENCE=60`) for the figures in docs/monitor.md.

use crate::daemon_support::spec;
use crate::faults_support::{Daemon, wait_for};
use apidrift::baseline::Store;
use axum::extract::Path as UrlPath;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Whether integration `i` is one of the failing 30%.
fn failing(i: u64) -> bool {
    i % 10 < 3
}

/// `wrk` for `secs` against `url`; returns (p50, p99, requests, errors) from its report.
fn wrk(url: &str, secs: u64) -> std::process::Child {
    Command::new("wrk")
        .args(["-t1", "-c2", "--latency", "--timeout", "30s"])
        .arg(format!("-d{secs}s"))
        .arg(url)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("this test needs `wrk` (apt-get install wrk): {e}"))
}

struct WrkReport {
    p50: String,
    p99: String,
    requests: u64,
    non_2xx: u64,
    socket_errors: String,
}

fn report(child: std::process::Child) -> WrkReport {
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "wrk failed:\n{text}");
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|r| r.trim().to_string()))
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    WrkReport {
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        requests,
        non_2xx: field("Non-2xx or 3xx responses:")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        socket_errors: field("Socket errors:").unwrap_or_default(),
    }
}

/// Checks per integration, from one scrape (one pass over its lines).
fn checks_by_integration(text: &str, n: u64) -> Vec<f64> {
    let mut out = vec![0.0; n as usize];
    for l in text.lines() {
        let Some(rest) = l.strip_prefix(r#"apidrift_checks_total{integration="m"#) else {
            continue;
        };
        let Some((i, _)) = rest.split_once('"') else {
            continue;
        };
        let (Ok(i), Some(v)) = (
            i.parse::<usize>(),
            l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()),
        ) else {
            continue;
        };
        if let Some(c) = out.get_mut(i) {
            *c += v;
        }
    }
    out
}

#[test]
fn many_integrations_thirty_percent_failing_keep_cadence_and_serve_the_api_under_wrk() {
    let n = env_u64("APIDRIFT_LOAD_MONITORS", 1000);
    let cadence = env_u64("APIDRIFT_LOAD_CADENCE", 20);
    // Two checks of one integration are at most cadence + jitter apart while the
    // scheduler keeps up, so a window that long sees each healthy one checked.
    let jitter = cadence / 4;
    let secs = env_u64("APIDRIFT_LOAD_SECONDS", 30).max(cadence + jitter + 1);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = spec("v1.yaml");
    let served = body.clone();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let vendor = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/specs/{i}",
        axum::routing::get(
            move |UrlPath(i): UrlPath<u64>, headers: axum::http::HeaderMap| {
                let served = served.clone();
                async move {
                    if failing(i) {
                        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                    }
                    if headers
                        .get(header::IF_NONE_MATCH)
                        .is_some_and(|v| v == "\"v1\"")
                    {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    ([(header::ETAG, "\"v1\"")], served).into_response()
                }
            },
        ),
    );
    rt.spawn(async move { axum::serve(listener, app).await });

    let t = Instant::now();
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(
        d.join("apidrift.yaml"),
        "retries: 0\nreload_interval: 5s\nshutdown_timeout: 10s\nmax_concurrency: 32\nmax_per_host: 32\n",
    )
    .unwrap();
    let store = Store::new(d.join("baselines"));
    let now = chrono::Utc::now();
    let schedule = if cadence < 60 {
        format!("*/{cadence} * * * * *")
    } else {
        format!("0 */{} * * * *", cadence / 60)
    };
    for i in 0..n {
        let url = format!("{vendor}/specs/{i}");
        std::fs::write(
            d.join(format!("monitors/m{i}.yaml")),
            format!(
                "name: m{i}\nschedule: \"{schedule}\"\njitter: {jitter}s\ntimeout: 10s\nspec:\n  url: {url}\n"
            ),
        )
        .unwrap();
        store
            .accept(&format!("m{i}"), &body, &url, "test", "load", now)
            .unwrap();
    }
    println!("load: {n} integrations set up in {:.1?}", t.elapsed());

    let bin = std::env::var_os("APIDRIFT_LOAD_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_BIN_EXE_apidrift")).to_path_buf());
    let t = Instant::now();
    let daemon = Daemon::start_bin(&bin, d, |_| {});
    println!(
        "load: /readyz after {:.1?} ({})",
        t.elapsed(),
        bin.display()
    );
    // One full cadence first: every integration checked once (the failing ones failed).
    wait_for(
        "every integration checked once",
        Duration::from_secs(120 + 3 * cadence),
        || {
            let text = daemon.get("/metrics")?;
            checks_by_integration(&text, n)
                .iter()
                .all(|c| *c >= 1.0)
                .then_some(())
        },
    );
    let failing_now = daemon.json("/api/v1/integrations").unwrap()["integrations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "failing")
        .count() as u64;
    assert_eq!(failing_now, (0..n).filter(|i| failing(*i)).count() as u64);

    let before = checks_by_integration(&daemon.get("/metrics").unwrap(), n);
    let window = Instant::now();
    let metrics = wrk(&format!("{}/metrics", daemon.base), secs);
    let api = wrk(&format!("{}/api/v1/integrations", daemon.base), secs);
    let (m, a) = (report(metrics), report(api));
    let after = checks_by_integration(&daemon.get("/metrics").unwrap(), n);
    let window = window.elapsed().as_secs_f64();
    let hwm = daemon.status_kib("VmHWM").unwrap_or(0);
    let rss = daemon.status_kib("VmRSS").unwrap_or(0);
    for (what, r) in [("/metrics", &m), ("/api/v1/integrations", &a)] {
        println!(
            "load: {what}: {} requests in {secs} s, p50 {}, p99 {}, non-2xx {}, socket errors: {}",
            r.requests,
            r.p50,
            r.p99,
            r.non_2xx,
            if r.socket_errors.is_empty() {
                "none"
            } else {
                &r.socket_errors
            }
        );
        assert!(r.requests > 0, "{what}: no request completed");
        assert_eq!(r.non_2xx, 0, "{what}: non-2xx answers");
        assert!(r.socket_errors.is_empty(), "{what}: {}", r.socket_errors);
    }
    let healthy: Vec<u64> = (0..n).filter(|i| !failing(*i)).collect();
    let starved: Vec<u64> = healthy
        .iter()
        .copied()
        .filter(|&i| after[i as usize] <= before[i as usize])
        .collect();
    let done: f64 = after.iter().sum::<f64>() - before.iter().sum::<f64>();
    println!(
        "load: {done} checks in the {window:.1} s around wrk (nominal average {:.0} at one per {cadence} s each; the ticks are aligned, so a window holds n or 2n); peak RSS (VmHWM) {:.1} MiB, RSS {:.1} MiB",
        n as f64 * window / cadence as f64,
        hwm as f64 / 1024.0,
        rss as f64 / 1024.0
    );
    assert!(
        starved.is_empty(),
        "{} healthy integrations were not checked during the load: {:?}",
        starved.len(),
        &starved[..starved.len().min(20)]
    );
}
