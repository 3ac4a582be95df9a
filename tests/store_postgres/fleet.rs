//! What the high-availability tests drive and observe, besides the database: one
//! loopback vendor serving many integrations (`/specs/{i}`, each v1 or the breaking
//! v2, with an ETag; every arrival recorded with its time, the client's port and when
//! it was answered), a webhook receiver and an SMTP sink that record every delivery
//! (optionally answering slowly, so a kill lands mid-delivery), the config directory of
//! N integrations with accepted baselines, and `apidrift run` replicas as child
//! processes sharing one database, monitors and baselines, each with its own state
//! dir, port and log.
//! Must not: assert anything about the daemon (the test modules do) or read apidrift's
//! tables.

use crate::daemon_support::spec;
use crate::faults_support::{metric_value, wait_for};
use axum::extract::{ConnectInfo, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Integration `i`'s name.
pub fn name(i: usize) -> String {
    format!("m{i}")
}

/// One request to the vendor.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub i: usize,
    pub at: Instant,
    /// The client's TCP port (which replica asked, with `Replica::vendor_ports`).
    pub peer: u16,
    /// When the answer was handed to the server (None: still waiting).
    pub done: Option<Instant>,
}

struct VendorInner {
    /// Per integration: 1 (v1, the accepted baseline) or 2 (v2, a breaking change).
    version: Vec<AtomicU8>,
    delay_ms: AtomicU64,
    log: Mutex<Vec<Arrival>>,
    v1: Vec<u8>,
    v2: Vec<u8>,
}

#[derive(Clone)]
pub struct Vendors {
    pub base: String,
    pub port: u16,
    inner: Arc<VendorInner>,
}

impl Vendors {
    /// `n` integrations, all serving v1, on `rt`.
    pub fn start(rt: &tokio::runtime::Runtime, n: usize) -> Vendors {
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let v = Vendors {
            base: format!("http://127.0.0.1:{port}"),
            port,
            inner: Arc::new(VendorInner {
                version: (0..n).map(|_| AtomicU8::new(1)).collect(),
                delay_ms: AtomicU64::new(0),
                log: Mutex::new(Vec::new()),
                v1: spec("v1.yaml"),
                v2: spec("v2.yaml"),
            }),
        };
        let app = axum::Router::new()
            .route("/specs/{i}", axum::routing::get(serve))
            .with_state(v.clone());
        rt.spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
        });
        v
    }

    pub fn url(&self, i: usize) -> String {
        format!("{}/specs/{i}", self.base)
    }

    /// From now on integration `i` serves v2 (a breaking change against v1).
    pub fn drift(&self, i: usize) {
        self.inner.version[i].store(2, Ordering::SeqCst);
    }

    /// Every answer waits this long first (checks then overlap a kill).
    pub fn set_delay(&self, d: Duration) {
        self.inner
            .delay_ms
            .store(d.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn arrivals(&self) -> Vec<Arrival> {
        self.inner.log.lock().unwrap().clone()
    }

    /// Arrival times per integration, in order.
    pub fn times(&self) -> Vec<Vec<Instant>> {
        let mut out = vec![Vec::new(); self.inner.version.len()];
        for a in self.arrivals() {
            out[a.i].push(a.at);
        }
        out
    }

    /// Waits until every integration has had at least `k` requests.
    pub fn wait_each(&self, k: usize, limit: Duration) {
        wait_for(
            &format!("every integration fetched {k} times"),
            limit,
            || {
                let t = self.times();
                t.iter().all(|v| v.len() >= k).then_some(())
            },
        );
    }

    /// Waits until every integration has had a request after `since`.
    pub fn wait_each_after(&self, since: Instant, limit: Duration) {
        wait_for("every integration fetched again", limit, || {
            let t = self.times();
            t.iter()
                .all(|v| v.last().is_some_and(|&a| a > since))
                .then_some(())
        });
    }
}

async fn serve(
    State(v): State<Vendors>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    UrlPath(i): UrlPath<usize>,
    headers: HeaderMap,
) -> Response {
    let Some(version) = v.inner.version.get(i) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let slot = {
        let mut log = v.inner.log.lock().unwrap();
        log.push(Arrival {
            i,
            at: Instant::now(),
            peer: peer.port(),
            done: None,
        });
        log.len() - 1
    };
    let delay = v.inner.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let (tag, body) = match version.load(Ordering::SeqCst) {
        1 => ("\"v1\"", &v.inner.v1),
        _ => ("\"v2\"", &v.inner.v2),
    };
    let resp = if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|h| h.as_bytes() == tag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::ETAG, tag)], body.clone()).into_response()
    };
    v.inner.log.lock().unwrap()[slot].done = Some(Instant::now());
    resp
}

/// One delivery seen by a receiver.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub at: Instant,
    /// `drift.confirmed`, ... (webhook header; for email, from the subject).
    pub kind: String,
    /// The idempotency key: `X-Apidrift-Delivery`, or the email's `Message-ID`.
    pub id: String,
    pub integration: String,
}

/// The webhook receiver: records each POST on arrival, then answers 204 after `delay`.
#[derive(Clone, Default)]
pub struct Hooks {
    seen: Arc<Mutex<Vec<Delivery>>>,
    delay_ms: Arc<AtomicU64>,
}

impl Hooks {
    pub fn start(rt: &tokio::runtime::Runtime) -> (Hooks, String) {
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
                    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    h.seen.lock().unwrap().push(Delivery {
                        at: Instant::now(),
                        kind: get("x-apidrift-event"),
                        id: get("x-apidrift-delivery"),
                        integration: v["integration"]["name"].as_str().unwrap_or("").into(),
                    });
                    let delay = h.delay_ms.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    StatusCode::NO_CONTENT
                }
            }),
        );
        rt.spawn(async move { axum::serve(listener, app).await });
        (hooks, url)
    }

    pub fn set_delay(&self, d: Duration) {
        self.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn seen(&self) -> Vec<Delivery> {
        self.seen.lock().unwrap().clone()
    }
}

/// The SMTP sink (mailin-embedded, plain): records each message when its data ends,
/// then waits `delay` before answering 250.
#[derive(Clone, Default)]
pub struct Mailbox {
    current: Vec<u8>,
    seen: Arc<Mutex<Vec<Delivery>>>,
    delay_ms: Arc<AtomicU64>,
}

impl mailin_embedded::Handler for Mailbox {
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
        let subject = crate::faults_support::mail_header(&msg, "Subject");
        // "[apidrift] NAME: ..." for every kind of notice.
        let integration = subject
            .strip_prefix("[apidrift] ")
            .and_then(|r| r.split(':').next())
            .unwrap_or("")
            .to_string();
        self.seen.lock().unwrap().push(Delivery {
            at: Instant::now(),
            kind: mail_kind(&subject).into(),
            id: crate::faults_support::mail_header(&msg, "Message-ID"),
            integration,
        });
        let delay = self.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            std::thread::sleep(Duration::from_millis(delay));
        }
        mailin_embedded::response::OK
    }
}

/// The kind of an email, from its subject (as tests/faults/crash.rs reads it).
fn mail_kind(subject: &str) -> &'static str {
    if subject.contains("drift resolved") {
        "drift.resolved"
    } else if subject.contains("cannot see the vendor") {
        "check.failing"
    } else if subject.contains("vendor reachable again") {
        "check.recovered"
    } else if subject.contains("reminder") {
        "drift.reminder"
    } else {
        "drift.confirmed"
    }
}

impl Mailbox {
    pub fn start() -> (Mailbox, u16) {
        let mailbox = Mailbox::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut server = mailin_embedded::Server::new(mailbox.clone());
        server
            .with_name("localhost")
            .with_num_threads(8)
            .with_ssl(mailin_embedded::SslConfig::None)
            .unwrap()
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        (mailbox, port)
    }

    pub fn set_delay(&self, d: Duration) {
        self.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn seen(&self) -> Vec<Delivery> {
        self.seen.lock().unwrap().clone()
    }
}

/// What one receiver got: distinct ids per (kind, integration), and the raw count.
#[derive(Debug, Default)]
pub struct Tally {
    pub distinct: BTreeMap<(String, String), BTreeSet<String>>,
    pub raw: usize,
}

impl Tally {
    pub fn of(seen: &[Delivery]) -> Tally {
        let mut t = Tally {
            raw: seen.len(),
            ..Tally::default()
        };
        for d in seen {
            t.distinct
                .entry((d.kind.clone(), d.integration.clone()))
                .or_default()
                .insert(d.id.clone());
        }
        t
    }

    /// Distinct ids over all kinds and integrations.
    pub fn total(&self) -> usize {
        self.distinct.values().map(BTreeSet::len).sum()
    }

    /// Integrations with at least one distinct `kind` delivery.
    pub fn integrations(&self, kind: &str) -> BTreeSet<String> {
        self.distinct
            .keys()
            .filter(|(k, _)| k == kind)
            .map(|(_, i)| i.clone())
            .collect()
    }

    /// Each (kind, integration) with more than one distinct id, or of another kind
    /// than `kind`, or for an integration not in `expected`: what should never be.
    pub fn unexpected(&self, kind: &str, expected: &BTreeSet<String>) -> Vec<String> {
        self.distinct
            .iter()
            .filter(|((k, i), ids)| k != kind || !expected.contains(i) || ids.len() != 1)
            .map(|((k, i), ids)| format!("{k} {i}: {ids:?}"))
            .collect()
    }
}

/// The `store:` block of apidrift.yaml for a database whose URL is in
/// `APIDRIFT_DATABASE_URL`.
pub fn store_block(tls: &str, extra: &str) -> String {
    format!(
        "store:\n  postgres:\n    url: {{env: APIDRIFT_DATABASE_URL}}\n    tls: {tls}\n{extra}    \
         pool_size: 4\n    lease: 3s\n    poll: 100ms\n    sync: 500ms\n"
    )
}

/// The lease of `store_block`: the longest a dead replica's work may wait.
pub const LEASE: Duration = Duration::from_secs(3);

/// Writes `dir/apidrift.yaml` (notifications to `smtp_port` and `hook_url`, the
/// store), `n` monitors on a 1-second schedule against `vendors` (confirm after 2
/// polls, email and webhook) and an accepted v1 baseline for each.
pub fn write_fleet(
    dir: &Path,
    n: usize,
    vendors: &Vendors,
    smtp_port: u16,
    hook_url: &str,
    store: &str,
) {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(dir.join("hook.secret"), "ha-secret-1\n").unwrap();
    std::fs::write(
        dir.join("apidrift.yaml"),
        format!(
            "retries: 0\nreload_interval: 1s\nshutdown_timeout: 5s\n\
             max_concurrency: 64\nmax_per_host: 64\n\
             smtp:\n  host: 127.0.0.1\n  port: {smtp_port}\n  tls: none\n  from: apidrift <apidrift@example.com>\n  timeout: 5s\n\
             webhooks:\n  - name: agent\n    url: {hook_url}\n    secret: {{file: hook.secret}}\n    timeout: 5s\n\
             outbox:\n  retry_base: 200ms\n  retry_max_delay: 1s\n  max_attempts: 1000\n{store}"
        ),
    )
    .unwrap();
    let baselines = apidrift::baseline::Store::new(dir.join("baselines"));
    let v1 = spec("v1.yaml");
    let now = chrono::Utc::now();
    for i in 0..n {
        let url = vendors.url(i);
        std::fs::write(
            dir.join(format!("monitors/{}.yaml", name(i))),
            format!(
                "name: {}\nowner: team@example.com\nschedule: \"* * * * * *\"\ntimeout: 5s\n\
                 spec:\n  url: {url}\nconfirm_after: 2\n\
                 notify:\n  email: [oncall@example.com]\n  webhook: [agent]\n",
                name(i)
            ),
        )
        .unwrap();
        baselines
            .accept(&name(i), &v1, &url, "test", "ha", now)
            .unwrap();
    }
}

/// One `apidrift run` of the fleet: its own state dir, port and log; the shared
/// config, monitors, baselines and database.
pub struct Replica {
    pub name: String,
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
    lines: Option<std::sync::mpsc::Receiver<String>>,
}

impl Replica {
    /// Starts replica `name` of `dir` against `url`; does not wait (see `wait_ready`).
    pub fn spawn(dir: &Path, name: &str, url: &str) -> Replica {
        Replica::spawn_args(dir, name, url, &["run"], &dir.join("apidrift.yaml"))
    }

    /// As `spawn`, with its own `apidrift.yaml` (its own monitors directory: a rollout
    /// in progress); its state dir and log are still in `dir`.
    pub fn spawn_with_config(dir: &Path, name: &str, url: &str, config: &Path) -> Replica {
        Replica::spawn_args(dir, name, url, &["run"], config)
    }

    /// As `spawn`, with another subcommand (`["run"]` plus the fixed flags).
    fn spawn_args(dir: &Path, name: &str, url: &str, args: &[&str], config: &Path) -> Replica {
        use std::io::BufRead;
        let log = dir.join(format!("{name}.log"));
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .args(args)
            .arg("--config")
            .arg(config)
            .arg("--state-dir")
            .arg(dir.join(format!("state-{name}")))
            .args(["--listen", "127.0.0.1:0"])
            .env("APIDRIFT_DATABASE_URL", url)
            .env("APIDRIFT_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Replica {
            name: name.to_string(),
            child,
            base: String::new(),
            log,
            lines: Some(rx),
        }
    }

    /// Waits for the listening line, then for `/readyz` 200.
    pub fn wait_ready(&mut self, limit: Duration) {
        if let Some(rx) = self.lines.take() {
            let end = Instant::now() + limit;
            self.base = loop {
                let left = end.saturating_duration_since(Instant::now());
                match rx.recv_timeout(left) {
                    Ok(l) => {
                        if let Some(u) = l.strip_prefix("apidrift: listening on ") {
                            break u.to_string();
                        }
                    }
                    Err(e) => {
                        let status = self.child.try_wait();
                        panic!(
                            "{} did not announce its port ({e}; exit: {status:?}):\n{}",
                            self.name,
                            self.log_text()
                        );
                    }
                }
            };
        }
        wait_for(&format!("{} /readyz", self.name), limit, || {
            (self.status("/readyz") == Some(200)).then_some(())
        });
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The status of GET `path` (None: no answer).
    pub fn status(&self, path: &str) -> Option<u16> {
        let r = client().get(format!("{}{path}", self.base)).send().ok()?;
        Some(r.status().as_u16())
    }

    pub fn get(&self, path: &str) -> Option<String> {
        let r = client().get(format!("{}{path}", self.base)).send().ok()?;
        r.status().is_success().then(|| r.text().ok()).flatten()
    }

    pub fn metrics(&self) -> Option<String> {
        self.get("/metrics")
    }

    pub fn metric(&self, series: &str) -> Option<f64> {
        metric_value(&self.metrics()?, series)
    }

    /// The sum of every `apidrift_checks_total` series: checks this replica ran.
    pub fn checks_done(&self) -> Option<f64> {
        let text = self.metrics()?;
        Some(
            text.lines()
                .filter(|l| l.starts_with("apidrift_checks_total{"))
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum(),
        )
    }

    /// One line of what its metrics say about the store: claim delay (mean, share
    /// within 250 ms and 1 s), mean check duration, leases lost, store errors.
    pub fn diagnostics(&self) -> String {
        let Some(text) = self.metrics() else {
            return format!("{}: no /metrics", self.name);
        };
        let sum = |prefix: &str| -> f64 {
            text.lines()
                .filter(|l| l.starts_with(prefix))
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum()
        };
        let count = sum("apidrift_claim_delay_seconds_count");
        let share = |le: &str| {
            100.0
                * sum(&format!(
                    "apidrift_claim_delay_seconds_bucket{{le=\"{le}\"}}"
                ))
                / count.max(1.0)
        };
        let errors: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("apidrift_store_errors_total{") && !l.ends_with(" 0"))
            .map(str::to_string)
            .collect();
        format!(
            "{}: claim delay mean {:.3} s over {count} claims ({:.0}% within 0.25 s, {:.0}% within 1 s); check duration mean {:.3} s; leases lost {}; store errors {errors:?}",
            self.name,
            sum("apidrift_claim_delay_seconds_sum") / count.max(1.0),
            share("0.25"),
            share("1"),
            sum("apidrift_check_duration_seconds_sum")
                / sum("apidrift_check_duration_seconds_count").max(1.0),
            sum("apidrift_leases_lost_total"),
        )
    }

    /// Whether both outbox channels show nothing pending.
    pub fn outbox_empty(&self) -> bool {
        let Some(text) = self.metrics() else {
            return false;
        };
        ["email", "webhook"].iter().all(|c| {
            metric_value(
                &text,
                &format!("apidrift_outbox_pending{{channel=\"{c}\"}}"),
            )
            .is_none_or(|v| v == 0.0)
        })
    }

    /// `/api/v1/integrations`: name → status.
    pub fn statuses(&self) -> Option<BTreeMap<String, String>> {
        statuses_at(&self.base)
    }

    /// The local TCP ports of this process's connections to `port` on loopback (from
    /// /proc: its socket inodes, matched in /proc/net/tcp).
    pub fn ports_to(&self, port: u16) -> BTreeSet<u16> {
        let mut inodes = BTreeSet::new();
        if let Ok(fds) = std::fs::read_dir(format!("/proc/{}/fd", self.pid())) {
            for fd in fds.filter_map(Result::ok) {
                if let Ok(target) = std::fs::read_link(fd.path()) {
                    let t = target.to_string_lossy().into_owned();
                    if let Some(n) = t.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
                        inodes.insert(n.to_string());
                    }
                }
            }
        }
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
        table
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let local = u16::from_str_radix(f.get(1)?.rsplit(':').next()?, 16).ok()?;
                let remote = u16::from_str_radix(f.get(2)?.rsplit(':').next()?, 16).ok()?;
                (remote == port && inodes.contains(*f.get(9)?)).then_some(local)
            })
            .collect()
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit (at most 20 s, then kill -9).
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
        None
    }

    /// The log, without the colours of the human format.
    pub fn log_text(&self) -> String {
        let raw = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // ESC [ digits ; ... m
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The last `n` lines of the log, for a failure message.
    pub fn log_tail(&self, n: usize) -> String {
        let text = self.log_text();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `/api/v1/integrations` of the replica at `base`: name → status (None: no answer).
pub fn statuses_at(base: &str) -> Option<BTreeMap<String, String>> {
    let r = client()
        .get(format!("{base}/api/v1/integrations"))
        .send()
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    let doc: serde_json::Value = r.json().ok()?;
    Some(
        doc["integrations"]
            .as_array()?
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap_or("").to_string(),
                    i["status"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect(),
    )
}

/// A short-timeout blocking client (a replica that hangs must not hang the test).
fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Starts `n` replicas of `dir` at once (`r0`, `r1`, ...), then waits for each.
pub fn start_replicas(dir: &Path, n: usize, url: &str) -> Vec<Replica> {
    let mut rs: Vec<Replica> = (0..n)
        .map(|k| Replica::spawn(dir, &format!("r{k}"), url))
        .collect();
    for r in &mut rs {
        r.wait_ready(Duration::from_secs(60));
    }
    rs
}

/// `apidrift store migrate --config dir/apidrift.yaml` against `url`, as a child.
pub fn migrate(dir: &Path, url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["store", "migrate", "--config"])
        .arg(dir.join("apidrift.yaml"))
        .env("APIDRIFT_DATABASE_URL", url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Dumps each replica's log tail, for a failure message.
pub fn tails(rs: &[Replica]) -> String {
    rs.iter()
        .map(|r| format!("--- {} ({})\n{}", r.name, r.log.display(), r.log_tail(30)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `limit`; `None` when
/// the time ran out (the caller records the failure and goes on measuring).
pub fn poll<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until `r` lists exactly the `n` integrations `m0..`, those in `drifted` with
/// status drifted and the others ok; on timeout, what it listed that was wrong.
pub fn check_list(
    r: &Replica,
    n: usize,
    drifted: &BTreeSet<String>,
    limit: Duration,
) -> Result<(), String> {
    let want = |name: &str| {
        if drifted.contains(name) {
            "drifted"
        } else {
            "ok"
        }
    };
    let mut last = None;
    let done = poll(limit, || {
        let s = r.statuses()?;
        let ok = s.len() == n && s.iter().all(|(name, st)| st == want(name));
        last = Some(s);
        ok.then_some(())
    });
    match (done, last) {
        (Some(()), _) => Ok(()),
        (None, None) => Err(format!("{}: /api/v1/integrations did not answer", r.name)),
        (None, Some(s)) => {
            let wrong: Vec<String> = s
                .iter()
                .filter(|(name, st)| *st != want(name))
                .map(|(name, st)| format!("{name}={st} (want {})", want(name)))
                .collect();
            Err(format!(
                "{}: after {limit:?} lists {} integrations (want {n}); wrong: {wrong:?}",
                r.name,
                s.len()
            ))
        }
    }
}

/// Summary of gaps: (p50, p99, max) in seconds.
pub fn gap_stats(mut gaps: Vec<f64>) -> (f64, f64, f64) {
    if gaps.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    gaps.sort_by(f64::total_cmp);
    let at = |q: f64| gaps[((gaps.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), *gaps.last().unwrap())
}
