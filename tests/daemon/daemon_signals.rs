//! The real `apidrift run` binary and its signals: SIGHUP reloads the monitors without
//! a restart (keeping state), SIGTERM shuts down gracefully with exit 0, and a drift
//! episode of the history survives `kill -9` between confirmation and notification.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn write_monitor(dir: &Path, name: &str) {
    std::fs::write(
        dir.join(format!("monitors/{name}.yaml")),
        format!(
            "name: {name}\nowner: me@example.com\nschedule: '* * * * * *'\nspec:\n  path: ../spec.yaml\n"
        ),
    )
    .unwrap();
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("the `kill` command is needed to send signals")
        .success();
    assert!(ok, "kill {sig} failed");
}

fn names(base: &str) -> Vec<String> {
    let v: serde_json::Value = reqwest::blocking::get(format!("{base}/api/v1/integrations"))
        .and_then(|r| r.json())
        .unwrap_or_default();
    v["integrations"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sighup_reloads_and_sigterm_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("monitors")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/monitor/specs/v1.yaml"),
        d.join("spec.yaml"),
    )
    .unwrap();
    // A long reload interval: only SIGHUP can make the new monitor appear in time.
    std::fs::write(
        d.join("apidrift.yaml"),
        "reload_interval: 1h\nshutdown_timeout: 5s\n",
    )
    .unwrap();
    write_monitor(d, "first");
    let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["run", "--listen", "127.0.0.1:0"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("apidrift: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert_eq!(names(&base), ["first"]);

    // Wait for a check of `first`, so its state exists before the reload.
    let end = Instant::now() + Duration::from_secs(10);
    while !d.join("state/first.json").exists() {
        assert!(Instant::now() < end, "first was never checked");
        std::thread::sleep(Duration::from_millis(100));
    }
    write_monitor(d, "second");
    signal(&child, "-HUP");
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if names(&base) == ["first", "second"] {
            break;
        }
        assert!(
            Instant::now() < end,
            "SIGHUP did not load `second`: {:?}",
            names(&base)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let v: serde_json::Value = reqwest::blocking::get(format!("{base}/api/v1/integrations"))
        .unwrap()
        .json()
        .unwrap();
    assert_ne!(
        v["integrations"][0]["last_check"],
        serde_json::Value::Null,
        "state was lost"
    );

    signal(&child, "-TERM");
    let end = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "SIGTERM did not stop the daemon");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // No temp file is left behind by a write cut short.
    let leftovers: Vec<_> = std::fs::read_dir(d.join("state"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Starts `apidrift run` in `dir`; returns the child and its base URL.
fn spawn_daemon(dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["run", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("apidrift: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, base)
}

fn history(base: &str) -> serde_json::Value {
    reqwest::blocking::get(format!("{base}/api/v1/integrations/users/history"))
        .and_then(|r| r.json())
        .unwrap_or_default()
}

/// Polls `f` every 100 ms for at most `secs`.
fn wait_until<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(t) = f() {
            return t;
        }
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A webhook receiver on `listener` that answers 204 and keeps each request's head.
fn receive(listener: std::net::TcpListener) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    use std::io::{Read, Write};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            // Head, then as much body as Content-Length says.
            loop {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        s.lock().unwrap().push(text[..end].to_string());
                        break;
                    }
                }
            }
            let _ = conn.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
    seen
}

/// Issue 11: a drift episode is kept across a restart and a `kill -9` between its
/// confirmation and its notification; the notification, delivered after the restart,
/// joins the same episode.
#[test]
fn a_drift_episode_survives_kill_9_between_confirmation_and_notification() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    std::fs::create_dir(d.join("monitors")).unwrap();
    std::fs::copy(fixtures.join("users-v1.yaml"), d.join("spec.yaml")).unwrap();
    // Nothing listens on the webhook's port yet: every delivery fails and is retried.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(d.join("hook.secret"), "kill-9-test-secret\n").unwrap();
    std::fs::write(
        d.join("apidrift.yaml"),
        format!(
            "reload_interval: 1h\nshutdown_timeout: 5s\nretries: 0\n\
             webhooks:\n  - name: agent\n    url: http://127.0.0.1:{port}/hook\n    secret: {{file: hook.secret}}\n    timeout: 1s\n\
             outbox:\n  retry_base: 200ms\n  retry_max_delay: 500ms\n  max_attempts: 1000\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("monitors/users.yaml"),
        "name: users\nowner: me@example.com\nschedule: '* * * * * *'\nspec:\n  path: ../spec.yaml\nconfirm_after: 2\nnotify:\n  webhook: [agent]\n",
    )
    .unwrap();
    apidrift::baseline::Store::new(d.join("baselines"))
        .accept(
            "users",
            &std::fs::read(d.join("spec.yaml")).unwrap(),
            "spec.yaml",
            "tester",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();
    std::fs::copy(fixtures.join("users-v2.yaml"), d.join("spec.yaml")).unwrap();

    let (mut child, base) = spawn_daemon(d);
    let (first_seen, confirmed_at, event_id) = wait_until(
        20,
        "a confirmed episode with a pending notification",
        || {
            let h = history(&base);
            let e = h["episodes"].get(0)?;
            let n = e["notifications"].get(0)?;
            (e["confirmed_at"].is_string() && n["status"] == "pending").then(|| {
                (
                    e["first_seen"].clone(),
                    e["confirmed_at"].clone(),
                    n["event_id"].clone(),
                )
            })
        },
    );
    signal(&child, "-KILL");
    let _ = child.wait();

    // The receiver comes up; the daemon restarts.
    let seen = receive(std::net::TcpListener::bind(("127.0.0.1", port)).unwrap());
    let (mut child, base) = spawn_daemon(d);
    let h = wait_until(20, "the notification delivered after the restart", || {
        let h = history(&base);
        (h["episodes"][0]["notifications"][0]["status"] == "delivered").then_some(h)
    });
    let eps = h["episodes"].as_array().unwrap();
    assert_eq!(eps.len(), 1, "one episode, not two: {h:#}");
    let e = &eps[0];
    assert_eq!(e["first_seen"], first_seen);
    assert_eq!(e["confirmed_at"], confirmed_at);
    assert!(e["ended_at"].is_null(), "{h:#}");
    let n = e["notifications"].as_array().unwrap();
    assert_eq!(n.len(), 1, "{h:#}");
    assert_eq!(n[0]["event_id"], event_id);
    assert_eq!(
        (n[0]["channel"].as_str(), n[0]["destination"].as_str()),
        (Some("webhook"), Some("agent"))
    );
    let heads = seen.lock().unwrap().clone();
    let id = event_id.as_str().unwrap();
    assert!(
        heads.iter().any(|h| h
            .to_ascii_lowercase()
            .contains(&format!("x-apidrift-delivery: {id}"))),
        "{heads:?}"
    );
    // The page shows the same story.
    let page = reqwest::blocking::get(format!("{base}/integrations/users"))
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("delivered") && page.contains(id), "{page}");

    signal(&child, "-TERM");
    let end = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < end, "SIGTERM did not stop the daemon");
        std::thread::sleep(Duration::from_millis(50));
    }
}
