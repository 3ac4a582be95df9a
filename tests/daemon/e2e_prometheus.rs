//! End to end with a real Prometheus (Debian's `prometheus` package): it scrapes
//! `apidrift run` on loopback and loads `alerts/apidrift.rules.yml`; every alert
//! expression and every dashboard expression must evaluate without error through the
//! HTTP API, and every rule must report healthy after an evaluation.
//!
//! Needs the `prometheus` binary on PATH (`apt-get install prometheus`); fails with that
//! message when it is missing. Every wait is bounded; both child processes are killed
//! when the test ends, even on failure (`Child` guards).

use crate::daemon_support;

use apidrift::baseline::Store;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kills and reaps the process when dropped.
struct Child {
    name: &'static str,
    child: std::process::Child,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("stopped {}", self.name);
    }
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `apidrift run` on 127.0.0.1:0 and returns it with its address.
fn start_apidrift(dir: &Path) -> (Child, String) {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(dir.join("specs.yaml"), daemon_support::spec("v1.yaml")).unwrap();
    std::fs::write(
        dir.join("apidrift.yaml"),
        "listen: 127.0.0.1:0\nshutdown_timeout: 2s\n",
    )
    .unwrap();
    for (name, baseline) in [("users", "v1.yaml"), ("drifting", "v2.yaml")] {
        std::fs::write(
            dir.join(format!("monitors/{name}.yaml")),
            format!(
                "name: {name}\nowner: team@example.com\nschedule: \"* * * * * *\"\nspec:\n  path: ../specs.yaml\n"
            ),
        )
        .unwrap();
        Store::new(dir.join("baselines"))
            .accept(
                name,
                &daemon_support::spec(baseline),
                "specs.yaml",
                "test",
                "e2e",
                chrono::Utc::now(),
            )
            .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .arg("run")
        .arg("--config")
        .arg(dir.join("apidrift.yaml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("apidrift starts");
    let stdout = child.stdout.take().unwrap();
    let guard = Child {
        name: "apidrift",
        child,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("apidrift: listening on http://") {
                let _ = tx.send(addr.to_string());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("apidrift prints its address within 30s");
    (guard, addr)
}

fn start_prometheus(dir: &Path, target: &str) -> (Child, String) {
    let version = Command::new("prometheus").arg("--version").output();
    if !matches!(&version, Ok(o) if o.status.success()) {
        panic!(
            "this test needs the `prometheus` binary (Debian package `prometheus`: \
             apt-get update && apt-get install -y prometheus); running it failed: {version:?}"
        );
    }
    let port = free_port();
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             rule_files:\n  - {rules}\n\
             scrape_configs:\n  - job_name: apidrift\n    static_configs:\n      - targets: ['{target}']\n",
            rules = repo("alerts/apidrift.rules.yml").display()
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.join("prometheus.log")).unwrap();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("prometheus starts");
    (
        Child {
            name: "prometheus",
            child,
        },
        format!("http://127.0.0.1:{port}"),
    )
}

fn get(client: &reqwest::blocking::Client, url: &str, query: &[(&str, &str)]) -> Option<Value> {
    let url = url::Url::parse_with_params(url, query).ok()?;
    client
        .get(url)
        .timeout(Duration::from_secs(5))
        .send()
        .ok()?
        .json()
        .ok()
}

/// Polls `cond` every 250 ms for at most `secs`; panics with `what` and the log.
fn wait_until(secs: u64, what: &str, log: &Path, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        if Instant::now() > deadline {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: String = tail.lines().rev().take(20).collect::<Vec<_>>().join("\n");
            panic!(
                "timed out after {secs}s waiting for {what}; prometheus log (last lines, reversed):\n{tail}"
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn alert_exprs() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo("alerts/apidrift.rules.yml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut out = Vec::new();
    for g in doc["groups"].as_sequence().unwrap() {
        for r in g["rules"].as_sequence().unwrap() {
            let name = r
                .get("alert")
                .or_else(|| r.get("record"))
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_string();
            out.push((name, r["expr"].as_str().unwrap().to_string()));
        }
    }
    out
}

fn dashboard_exprs() -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, c) in o {
                    match (k.as_str(), c) {
                        ("expr", Value::String(s)) => out.push(s.clone()),
                        _ => walk(c, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(repo("dashboards/apidrift.json")).unwrap();
    let mut out = Vec::new();
    walk(&serde_json::from_str(&text).unwrap(), &mut out);
    // Grafana's variables, replaced by values PromQL accepts.
    out.into_iter()
        .map(|e| {
            e.replace("$__rate_interval", "1m")
                .replace("$__interval", "1m")
                .replace("$__range", "1h")
                .replace("$integration", ".*")
        })
        .collect()
}

#[test]
fn prometheus_scrapes_apidrift_and_every_alert_and_dashboard_expression_evaluates() {
    let dir = tempfile::tempdir().unwrap();
    let (_apidrift, target) = start_apidrift(&dir.path().join("apidrift"));
    let prom_dir = dir.path().join("prometheus");
    std::fs::create_dir_all(&prom_dir).unwrap();
    let (_prometheus, base) = start_prometheus(&prom_dir, &target);
    let log = prom_dir.join("prometheus.log");
    let client = reqwest::blocking::Client::new();

    wait_until(60, "a successful scrape of apidrift", &log, || {
        get(
            &client,
            &format!("{base}/api/v1/query"),
            &[("query", "up{job=\"apidrift\"} == 1")],
        )
        .is_some_and(|v| {
            v["data"]["result"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        })
    });
    wait_until(60, "the checks' series in Prometheus", &log, || {
        get(
            &client,
            &format!("{base}/api/v1/query"),
            &[(
                "query",
                "apidrift_drift_confirmed{integration=\"drifting\"}",
            )],
        )
        .is_some_and(|v| {
            v["data"]["result"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        })
    });

    let exprs: Vec<(String, String)> = alert_exprs()
        .into_iter()
        .chain(
            dashboard_exprs()
                .into_iter()
                .enumerate()
                .map(|(i, e)| (format!("dashboard expr #{i}"), e)),
        )
        .collect();
    assert!(exprs.len() > 10, "found the expressions: {exprs:?}");
    let mut failures = Vec::new();
    for (name, expr) in &exprs {
        let r = get(
            &client,
            &format!("{base}/api/v1/query"),
            &[("query", expr.as_str())],
        );
        match r {
            Some(v) if v["status"] == "success" => {}
            other => failures.push(format!("{name}: {expr}\n  -> {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "expressions that failed:\n{}",
        failures.join("\n")
    );

    // The rule file loaded: every rule evaluated and is healthy.
    let mut last = Value::Null;
    wait_until(60, "every rule evaluated", &log, || {
        let Some(v) = get(&client, &format!("{base}/api/v1/rules"), &[]) else {
            return false;
        };
        last = v.clone();
        let groups = v["data"]["groups"].as_array().cloned().unwrap_or_default();
        !groups.is_empty()
            && groups.iter().all(|g| {
                g["rules"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().all(|r| r["health"] != "unknown"))
            })
    });
    let groups = last["data"]["groups"].as_array().unwrap();
    let rules: Vec<&Value> = groups
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap())
        .collect();
    assert_eq!(
        rules.len(),
        alert_exprs().len(),
        "every rule of the file is loaded"
    );
    for r in rules {
        assert_eq!(
            r["health"], "ok",
            "rule {} is unhealthy: {:?}",
            r["name"], r["lastError"]
        );
    }
}
