//! Helpers shared by the fault families: waiting for a port,
//! a bounded poll, loading a config directory. Must not: assert anything about the
//! daemon (the family modules do).
#![allow(dead_code)]

use apidrift::monitor::{self, Config};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < end,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`.
pub fn wait_for_port(port: u16) {
    wait_for(&format!("port {port}"), Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    });
}

/// Loads `dir/apidrift.yaml`, asserting it has no error.
pub fn load(dir: &Path) -> Config {
    let v = monitor::load(&dir.join("apidrift.yaml"), true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    v.config
}

/// `apidrift run` as a child process: stdout read for the listening line, stderr
/// appended to `log` (one file across restarts).
pub struct Daemon {
    pub child: std::process::Child,
    pub base: String,
    pub log: std::path::PathBuf,
}

impl Daemon {
    /// Starts the daemon of `dir/apidrift.yaml` on a free port; waits for `/readyz`.
    pub fn start(dir: &Path) -> Daemon {
        Daemon::start_with(dir, |_| {})
    }

    /// As `start`, after `tweak` has set up the command (environment, limits).
    pub fn start_with(dir: &Path, tweak: impl FnOnce(&mut Command)) -> Daemon {
        Daemon::start_bin(Path::new(env!("CARGO_BIN_EXE_apidrift")), dir, tweak)
    }

    /// As `start_with`, running the binary `bin` (a release build, for figures).
    pub fn start_bin(bin: &Path, dir: &Path, tweak: impl FnOnce(&mut Command)) -> Daemon {
        use std::io::BufRead;
        let log = dir.join("daemon.log");
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut cmd = Command::new(bin);
        cmd.args(["run", "--config"])
            .arg(dir.join("apidrift.yaml"))
            .args(["--listen", "127.0.0.1:0"])
            .env("APIDRIFT_LOG", "info")
            .env("APIDRIFT_LOG_FORMAT", "json")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(err);
        tweak(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let base = loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(l) => {
                    if let Some(u) = l.strip_prefix("apidrift: listening on ") {
                        break u.to_string();
                    }
                }
                Err(e) => {
                    let _ = child.kill();
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    panic!("the daemon did not announce its port ({e}):\n{text}");
                }
            }
        };
        let d = Daemon { child, base, log };
        wait_for("/readyz", Duration::from_secs(30), || {
            let r = reqwest::blocking::get(format!("{}/readyz", d.base)).ok()?;
            r.status().is_success().then_some(())
        });
        d
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit (at most 30 s, then kill -9).
    pub fn stop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let end = Instant::now() + Duration::from_secs(30);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
    }

    pub fn get(&self, path: &str) -> Option<String> {
        let r = reqwest::blocking::get(format!("{}{path}", self.base)).ok()?;
        r.status().is_success().then(|| r.text().ok()).flatten()
    }

    pub fn json(&self, path: &str) -> Option<serde_json::Value> {
        serde_json::from_str(&self.get(path)?).ok()
    }

    /// The value of one series of `/metrics` (`name{labels}` exactly as exported).
    pub fn metric(&self, series: &str) -> Option<f64> {
        metric_value(&self.get("/metrics")?, series)
    }

    /// The integration `name` of `/api/v1/integrations`.
    pub fn integration(&self, name: &str) -> Option<serde_json::Value> {
        let doc = self.json("/api/v1/integrations")?;
        doc["integrations"]
            .as_array()?
            .iter()
            .find(|i| i["name"] == name)
            .cloned()
    }

    /// A `VmHWM:`-style line of `/proc/PID/status`, in KiB.
    pub fn status_kib(&self, field: &str) -> Option<u64> {
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The `fields` of every JSON log line (message, and the event's fields).
    pub fn log_fields(&self) -> Vec<serde_json::Value> {
        self.log_text()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| v["fields"].clone())
            .collect()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The value of `series` in an exposition text.
pub fn metric_value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// A webhook receiver on loopback: records every POST (event type, delivery id, body)
/// and answers 204.
#[derive(Clone, Default)]
pub struct Hooks {
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String, serde_json::Value)>>>,
}

impl Hooks {
    /// Starts on `rt`; returns the URL to configure.
    pub fn start(rt: &tokio::runtime::Runtime) -> (Hooks, String) {
        use axum::http::HeaderMap;
        let hooks = Hooks::default();
        let h = hooks.clone();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let h = h.clone();
                async move {
                    let get = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    let v = serde_json::from_slice(&body).unwrap_or_default();
                    h.seen.lock().unwrap().push((
                        get("x-apidrift-event"),
                        get("x-apidrift-delivery"),
                        v,
                    ));
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        );
        rt.spawn(async move { axum::serve(listener, app).await });
        (hooks, url)
    }

    pub fn seen(&self) -> Vec<(String, String, serde_json::Value)> {
        self.seen.lock().unwrap().clone()
    }
}

/// An SMTP server (mailin-embedded, plain) recording each message's raw text.
#[derive(Clone, Default)]
pub struct Inbox {
    current: Vec<u8>,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl mailin_embedded::Handler for Inbox {
    fn data_start(&mut self, _: &str, _: &str, _: bool, _: &[String]) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        let msg = String::from_utf8_lossy(&self.current).into_owned();
        self.messages.lock().unwrap().push(msg);
        mailin_embedded::response::OK
    }
}

impl Inbox {
    /// Starts on a free port (a thread); returns the port.
    pub fn start() -> (Inbox, u16) {
        let inbox = Inbox::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut server = mailin_embedded::Server::new(inbox.clone());
        server
            .with_name("localhost")
            .with_ssl(mailin_embedded::SslConfig::None)
            .unwrap()
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        (inbox, port)
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

/// A header of a raw message, unfolded.
pub fn mail_header(msg: &str, name: &str) -> String {
    let head = msg.split("\r\n\r\n").next().unwrap_or("");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .lines()
        .find_map(|l| {
            l.strip_prefix(name)
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default()
}
