//! Scale benchmark of the daemon (issue 3): runs the real `apidrift run` with N monitors
//! against a loopback vendor and prints, as Markdown, the daemon's CPU% and RSS at steady
//! state (nothing changes: every poll is a 304) and the wall time of a full pass after
//! every spec changed.
//!
//! Usage (release builds; see scripts/bench-scale.sh):
//!   cargo build --release --bin apidrift --example scale_bench
//!   target/release/examples/scale_bench --monitors 10000 --window 300
//!
//! What it does, in a temp dir it removes at the end:
//! 1. starts the vendor in this process: `127.0.0.1:<port>/specs/{i}.json` for
//!    i < N, `VARIANTS` generated 20-operation specs reused across the URLs, an ETag per
//!    (generation, variant) and a 304 for a matching If-None-Match; the generation is
//!    the "every spec changed" switch (`POST /control/generation/{g}`, or in process);
//! 2. writes apidrift.yaml (listen on a free loopback port, state and baselines in the
//!    temp dir) and N monitor files, `*/5 * * * *` with a 5-minute jitter, so the polls
//!    spread evenly over the period;
//! 3. accepts every baseline through the library's `baseline::Store::accept` and seeds
//!    each state as a previous daemon run would have left it (compared, with the
//!    vendor's ETag), so the first poll of each monitor is already a 304;
//! 4. steady state: starts the daemon, waits `--settle` seconds and then for the next
//!    5-minute boundary (the first `*/5` tick: from it on, each monitor polls once per
//!    300 s), then measures
//!    utime+stime from /proc/<pid>/stat over `--window` seconds and VmRSS (sampled) and
//!    VmHWM from /proc/<pid>/status; the vendor counts the polls it answered;
//! 5. full pass: stops the daemon, rewrites the monitors to `* * * * *` without jitter
//!    (every check fires at the same minute), flips the vendor to a changed generation,
//!    restarts the daemon and times from that minute until `/api/v1/integrations` shows
//!    every integration compared against the changed spec.
//!
//! With `--store postgres --replicas R` (issue 14) it starts a throwaway PostgreSQL
//! cluster in the temp dir (support/throwaway_pg.rs) and R daemons sharing it, each
//! with its own port and state (cache) dir, and measures only the steady state: the
//! replicas seed the database themselves (their first poll of each monitor is a full
//! 200, compared and checked in with the vendor's ETag), and the window is the first
//! whole 5-minute period after every monitor was polled once. It measures each
//! replica's utime+stime and VmHWM, the server's CPU (the postmaster and its children,
//! reaped ones included), transactions (`pg_stat_database`) and statements
//! (`pg_stat_statements`) per second, and the due-to-claim delay from the replicas'
//! `apidrift_claim_delay_seconds` histograms (scraped at both ends of the window).
//!
//! It binds only 127.0.0.1, and a watchdog kills the daemons and exits after
//! `--max-seconds` whatever happens; Ctrl-C and SIGTERM clean up the same way. Not part of `cargo test`.

#[path = "../tests/store_postgres/pg_binaries.rs"]
mod pg_binaries;
#[path = "support/throwaway_pg.rs"]
mod throwaway_pg;

use apidrift::baseline;
use apidrift::fetch::Validators;
use apidrift::state::{self, IntegrationState, Outcome, SpecSeen};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::Parser;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Distinct specs served (URL i gets variant i % VARIANTS).
const VARIANTS: usize = 8;
/// Generations the vendor knows: 0 is the accepted one, every other one changed.
const GENERATIONS: u64 = 3;

#[derive(Parser, Debug)]
#[command(about = "Scale benchmark of `apidrift run` against a loopback vendor")]
struct Args {
    /// Monitors (and distinct spec URLs).
    #[arg(long, default_value_t = 1000)]
    monitors: usize,
    /// Steady-state measurement window, seconds (300 = one full 5-minute period).
    #[arg(long, default_value_t = 300)]
    window: u64,
    /// Least seconds after the daemon is ready before the window starts (startup
    /// excluded); the window then starts at the next 5-minute boundary.
    #[arg(long, default_value_t = 30)]
    settle: u64,
    /// The daemon binary.
    #[arg(long, default_value = "target/release/apidrift")]
    daemon: PathBuf,
    /// Skip the full-pass phase.
    #[arg(long)]
    no_pass: bool,
    /// Skip the steady-state phase.
    #[arg(long)]
    no_steady: bool,
    /// Hard limit on the whole run; the watchdog kills the daemon and exits after it.
    #[arg(long)]
    max_seconds: Option<u64>,
    /// Keep the temp dir (its path is printed).
    #[arg(long)]
    keep: bool,
    /// Where the daemons keep state: `files` (one daemon, the state directory) or
    /// `postgres` (a throwaway cluster shared by `--replicas` daemons; steady state only).
    #[arg(long, default_value = "files", value_parser = ["files", "postgres"])]
    store: String,
    /// Daemons sharing the PostgreSQL store (`--store postgres` only).
    #[arg(long, default_value_t = 1)]
    replicas: usize,
}

// ---------------------------------------------------------------- the vendor

struct Vendor {
    n: usize,
    generation: AtomicU64,
    /// bodies[g][k]: generation g of variant k.
    bodies: Vec<Vec<Bytes>>,
    ok: AtomicU64,
    not_modified: AtomicU64,
}

impl Vendor {
    fn etag(g: u64, k: usize) -> String {
        format!("\"g{g}-v{k}\"")
    }

    fn body(&self, g: u64, k: usize) -> &Bytes {
        &self.bodies[g as usize][k]
    }
}

/// A 20-operation spec (10 paths × GET/POST) with one schema per resource. Generation
/// 0 is the baseline; a later generation drops a response property (ERR), makes a query
/// parameter required (ERR) and adds an endpoint (INFO), so every check finds drift.
fn generate_spec(variant: usize, generation: u64) -> Vec<u8> {
    use serde_json::{Map, Value, json};
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for r in 0..10 {
        let name = format!("Resource{r}");
        let mut props = Map::new();
        props.insert("id".into(), json!({"type": "string"}));
        props.insert(
            "createdAt".into(),
            json!({"type": "string", "format": "date-time"}),
        );
        props.insert(
            "status".into(),
            json!({"type": "string", "enum": ["active", "disabled"]}),
        );
        props.insert("count".into(), json!({"type": "integer", "minimum": 0}));
        if !(generation > 0 && r == 0) {
            props.insert(
                "lastLogin".into(),
                json!({"type": "string", "format": "date-time"}),
            );
        }
        schemas.insert(
            name.clone(),
            json!({"type": "object", "required": ["id"], "properties": props}),
        );
        let limit_required = generation > 0 && r == 1;
        let reference = format!("#/components/schemas/{name}");
        paths.insert(
            format!("/v1/resource{r}"),
            json!({
                "get": {
                    "operationId": format!("list{name}"),
                    "parameters": [{"name": "limit", "in": "query", "required": limit_required,
                                    "schema": {"type": "integer", "maximum": 200}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json":
                        {"schema": {"type": "array", "items": {"$ref": reference}}}}}}
                },
                "post": {
                    "operationId": format!("create{name}"),
                    "requestBody": {"required": true, "content": {"application/json":
                        {"schema": {"$ref": reference}}}},
                    "responses": {"201": {"description": "created", "content": {"application/json":
                        {"schema": {"$ref": reference}}}}}
                }
            }),
        );
    }
    if generation > 0 {
        paths.insert(
            format!("/v1/new{generation}"),
            json!({"get": {"operationId": format!("new{generation}"),
                           "responses": {"200": {"description": "ok"}}}}),
        );
    }
    let doc: Value = json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Scale vendor {variant}"), "version": format!("1.{generation}.0")},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    let mut v = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    v.push(b'\n');
    v
}

async fn serve_spec(
    State(v): State<Arc<Vendor>>,
    UrlPath(file): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let Some(i) = file
        .strip_suffix(".json")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|i| *i < v.n)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let g = v.generation.load(Ordering::SeqCst);
    let k = i % VARIANTS;
    let tag = Vendor::etag(g, k);
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok());
    if inm == Some(tag.as_str()) {
        v.not_modified.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    v.ok.fetch_add(1, Ordering::Relaxed);
    (
        [
            (header::ETAG, tag),
            (header::CONTENT_TYPE, "application/json".to_string()),
        ],
        v.body(g, k).clone(),
    )
        .into_response()
}

async fn set_generation(State(v): State<Arc<Vendor>>, UrlPath(g): UrlPath<u64>) -> Response {
    if g >= GENERATIONS {
        return StatusCode::BAD_REQUEST.into_response();
    }
    v.generation.store(g, Ordering::SeqCst);
    StatusCode::NO_CONTENT.into_response()
}

/// Starts the vendor on 127.0.0.1:0 in `rt`; returns its state and port.
fn start_vendor(rt: &tokio::runtime::Runtime, n: usize) -> (Arc<Vendor>, u16) {
    let bodies = (0..GENERATIONS)
        .map(|g| {
            (0..VARIANTS)
                .map(|k| Bytes::from(generate_spec(k, g)))
                .collect()
        })
        .collect();
    let vendor = Arc::new(Vendor {
        n,
        generation: AtomicU64::new(0),
        bodies,
        ok: AtomicU64::new(0),
        not_modified: AtomicU64::new(0),
    });
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap_or_else(|e| die(&format!("vendor cannot bind 127.0.0.1:0: {e}")));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let app = Router::new()
        .route("/specs/{file}", get(serve_spec))
        .route("/control/generation/{g}", post(set_generation))
        .with_state(vendor.clone());
    rt.spawn(async move { axum::serve(listener, app).await });
    (vendor, port)
}

// ---------------------------------------------------------------- the config

fn name_of(i: usize) -> String {
    format!("m-{i:05}")
}

fn write_monitors(dir: &Path, n: usize, port: u16, schedule: &str, jitter: &str) {
    let monitors = dir.join("monitors");
    std::fs::create_dir_all(&monitors).unwrap_or_else(|e| die(&format!("mkdir: {e}")));
    for i in 0..n {
        let name = name_of(i);
        let body = format!(
            "name: {name}\nowner: scale@example.com\nschedule: \"{schedule}\"\njitter: {jitter}\n\
             timeout: 20s\nspec:\n  url: http://127.0.0.1:{port}/specs/{i}.json\n"
        );
        std::fs::write(monitors.join(format!("{name}.yaml")), body)
            .unwrap_or_else(|e| die(&format!("write monitor: {e}")));
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| die(&format!("no free port: {e}")))
}

/// Accepts every baseline through the library and, with `states`, seeds every state
/// as a previous run would have left it (in parallel: the cost is fsyncs, not CPU).
/// Without: the PostgreSQL store starts empty, and its first check of each monitor
/// fetches the whole spec.
fn seed(dir: &Path, vendor: &Vendor, n: usize, port: u16, states: bool) {
    let baselines = baseline::Store::new(dir.join("baselines"));
    let store = states.then(|| state::Store::new(dir.join("state")));
    let threads = 16;
    let now = chrono::Utc::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (baselines, store) = (&baselines, &store);
            s.spawn(move || {
                for i in (t..n).step_by(threads) {
                    let k = i % VARIANTS;
                    let body = vendor.body(0, k);
                    let name = name_of(i);
                    let source = format!("http://127.0.0.1:{port}/specs/{i}.json");
                    let record = baselines
                        .accept(&name, body, &source, "scale-bench", "seed", now)
                        .unwrap_or_else(|e| die(&format!("accept {name}: {e}")));
                    let Some(store) = store else {
                        continue;
                    };
                    let mut st = IntegrationState::new(&name);
                    let spec = SpecSeen {
                        digest: record.digest.clone(),
                        bytes: body.len() as u64,
                        validators: Validators {
                            etag: Some(Vendor::etag(0, k)),
                            last_modified: None,
                        },
                        compared_with: record.digest.clone(),
                    };
                    st.apply(
                        Outcome::Compared {
                            baseline_digest: record.digest,
                            spec,
                            changes: Vec::new(),
                        },
                        1,
                        now,
                    );
                    store
                        .save(&st)
                        .unwrap_or_else(|e| die(&format!("save state {name}: {e}")));
                }
            });
        }
    });
}

// ---------------------------------------------------------------- the daemon

struct Daemon {
    child: Child,
    pid: u32,
    url: String,
}

/// The running daemon and the temp dir, for `cleanup` on any exit path.
static DAEMON: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static TEMP: Mutex<Option<PathBuf>> = Mutex::new(None);
/// The throwaway cluster's postmaster (`--store postgres`), shut down by `cleanup`.
static POSTMASTER: Mutex<Option<u32>> = Mutex::new(None);

/// Kills the daemon and removes the temp dir (on `die` and on the watchdog).
fn cleanup() {
    let pids = DAEMON
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    for pid in pids {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status();
    }
    if let Some(pid) = POSTMASTER.lock().ok().and_then(|mut s| s.take()) {
        // SIGQUIT: immediate shutdown (the cluster is thrown away).
        let _ = Command::new("kill")
            .arg("-QUIT")
            .arg(pid.to_string())
            .status();
        for _ in 0..100 {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    if let Some(dir) = TEMP.lock().ok().and_then(|mut s| s.take()) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn start_daemon(bin: &Path, dir: &Path, port: u16, tag: &str) -> (Daemon, Duration) {
    start_daemon_with(bin, dir, port, tag, &[], None)
}

/// As `start_daemon`, with more arguments after `run --config …` and, for the
/// PostgreSQL store, the database URL in `APIDRIFT_DATABASE_URL`.
fn start_daemon_with(
    bin: &Path,
    dir: &Path,
    port: u16,
    tag: &str,
    extra: &[String],
    database_url: Option<&str>,
) -> (Daemon, Duration) {
    let t = Instant::now();
    let log = |ext: &str| {
        std::fs::File::create(dir.join(format!("daemon-{tag}.{ext}")))
            .unwrap_or_else(|e| die(&format!("log file: {e}")))
    };
    let mut cmd = Command::new(bin);
    if let Some(url) = database_url {
        cmd.env("APIDRIFT_DATABASE_URL", url);
    }
    let child = cmd
        .arg("run")
        .arg("--config")
        .arg(dir.join("apidrift.yaml"))
        .args(extra)
        .env("APIDRIFT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log("out"))
        .stderr(log("err"))
        .spawn()
        .unwrap_or_else(|e| die(&format!("cannot start {}: {e}", bin.display())));
    let pid = child.id();
    if let Ok(mut s) = DAEMON.lock() {
        s.push(pid);
    }
    let d = Daemon {
        child,
        pid,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = http_client();
    loop {
        let ready = client
            .get(format!("{}/readyz", d.url))
            .send()
            .is_ok_and(|r| r.status().is_success());
        if ready {
            break;
        }
        if t.elapsed() > Duration::from_secs(600) {
            die("the daemon was not ready after 600 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (d, t.elapsed())
}

/// SIGTERM, then wait; returns how long the shutdown took.
fn stop_daemon(mut d: Daemon) -> Duration {
    let t = Instant::now();
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(d.pid.to_string())
        .status();
    let _ = d.child.wait();
    if let Ok(mut s) = DAEMON.lock() {
        s.retain(|p| *p != d.pid);
    }
    t.elapsed()
}

fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap_or_else(|e| die(&format!("client: {e}")))
}

// ---------------------------------------------------------------- /proc

fn clk_tck() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime of `pid`, in ticks.
fn cpu_ticks(pid: u32) -> u64 {
    stat_fields(pid).map(|(_, own, _)| own).unwrap_or(0)
}

/// Fields 4 (ppid), 14–17 (utime, stime, cutime, cstime) of `/proc/<pid>/stat`.
fn stat_fields(pid: u32) -> Option<(u32, u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(") ").map(|(_, r)| r)?;
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(1)
        .take(15)
        .map(|v| v.parse().unwrap_or(0))
        .collect();
    // Fields after the command name (which may contain spaces) start at `) ` with
    // field 3; f[0] is field 4, utime..cstime are fields 14..17.
    let own = f.get(10)? + f.get(11)?;
    let reaped = f.get(12)? + f.get(13)?;
    Some((*f.first()? as u32, own, reaped))
}

/// CPU ticks of a server: `root`'s own and its reaped children's, plus the live
/// children's own (a backend that exits moves from the second sum to the first).
fn tree_ticks(root: u32) -> u64 {
    let mut total = stat_fields(root).map(|(_, o, r)| o + r).unwrap_or(0);
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if let Some((ppid, own, _)) = stat_fields(pid)
            && ppid == root
        {
            total += own;
        }
    }
    total
}

/// VmRSS and VmHWM of `pid`, in KiB.
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let get = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (get("VmRSS:"), get("VmHWM:"))
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn die(msg: &str) -> ! {
    cleanup();
    eprintln!("scale_bench: {msg}");
    std::process::exit(2)
}

// ---------------------------------------------------------------- phases

struct Steady {
    cpu_pct: f64,
    rss_max: u64,
    hwm: u64,
    polls: u64,
    not_modified: u64,
    load: (String, String),
}

/// Time left to the next multiple of `period` seconds (UTC).
fn time_to_boundary(period: u64) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Duration::from_secs(now.as_secs() / period * period + period).saturating_sub(now)
}

/// Sleeps until the next multiple of `period` seconds (UTC) at least `min` from now.
fn sleep_to_boundary(period: u64, min: u64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let earliest = now + Duration::from_secs(min);
    let next = earliest.as_secs().div_ceil(period) * period;
    std::thread::sleep(Duration::from_secs(next).saturating_sub(now));
}

/// The window starts on a 5-minute boundary (a cron tick of `*/5`): from there, every
/// monitor polls once per 300 s, at its tick plus its jitter.
fn steady(d: &Daemon, vendor: &Vendor, settle: u64, window: u64, tck: f64) -> Steady {
    sleep_to_boundary(300, settle);
    let load0 = loadavg();
    let (ok0, nm0) = (
        vendor.ok.load(Ordering::Relaxed),
        vendor.not_modified.load(Ordering::Relaxed),
    );
    let c0 = cpu_ticks(d.pid);
    let t0 = Instant::now();
    let mut rss_max = 0;
    while t0.elapsed() < Duration::from_secs(window) {
        rss_max = rss_max.max(rss_kib(d.pid).0);
        let left = Duration::from_secs(window).saturating_sub(t0.elapsed());
        std::thread::sleep(left.min(Duration::from_secs(5)));
    }
    let c1 = cpu_ticks(d.pid);
    let secs = t0.elapsed().as_secs_f64();
    let (rss, hwm) = rss_kib(d.pid);
    let nm = vendor.not_modified.load(Ordering::Relaxed) - nm0;
    let ok = vendor.ok.load(Ordering::Relaxed) - ok0;
    Steady {
        cpu_pct: (c1 - c0) as f64 / tck / secs * 100.0,
        rss_max: rss_max.max(rss),
        hwm,
        polls: ok + nm,
        not_modified: nm,
        load: (load0, loadavg()),
    }
}

/// The replicas' `apidrift_claim_delay_seconds` buckets summed: (upper bound,
/// cumulative count), `+Inf` last.
fn claim_buckets(urls: &[String]) -> Vec<(f64, f64)> {
    let client = http_client();
    let mut sum: Vec<(f64, f64)> = Vec::new();
    for url in urls {
        let text = client
            .get(format!("{url}/metrics"))
            .send()
            .and_then(|r| r.text())
            .unwrap_or_else(|e| die(&format!("{url}/metrics: {e}")));
        let mut k = 0;
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("apidrift_claim_delay_seconds_bucket{le=\"") else {
                continue;
            };
            let Some((le, v)) = rest.split_once("\"} ") else {
                continue;
            };
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().unwrap_or(f64::NAN)
            };
            let v: f64 = v.trim().parse().unwrap_or(0.0);
            match sum.get_mut(k) {
                Some(b) => b.1 += v,
                None => sum.push((le, v)),
            }
            k += 1;
        }
    }
    sum
}

/// The q-quantile of a cumulative histogram as Prometheus' `histogram_quantile`
/// computes it (linear within the bucket; the highest finite bound when it falls in
/// `+Inf`).
fn quantile(q: f64, buckets: &[(f64, f64)]) -> f64 {
    let Some(&(_, total)) = buckets.last() else {
        return f64::NAN;
    };
    if total <= 0.0 {
        return f64::NAN;
    }
    let rank = q * total;
    let (mut lo, mut below) = (0.0, 0.0);
    for &(le, count) in buckets {
        if count >= rank {
            if le.is_infinite() {
                return lo;
            }
            let inside = count - below;
            return if inside > 0.0 {
                lo + (le - lo) * (rank - below) / inside
            } else {
                le
            };
        }
        (lo, below) = (le, count);
    }
    lo
}

struct Replicated {
    replicas: usize,
    /// Per replica: own CPU over the window (% of one core), VmHWM (KiB).
    cpu_pct: Vec<f64>,
    hwm: Vec<u64>,
    server_cpu_pct: f64,
    xact_per_s: f64,
    statements_per_s: f64,
    claims: f64,
    p50: f64,
    p99: f64,
    polls: u64,
    not_modified: u64,
    seed: Duration,
    startup: Duration,
    shutdown: Duration,
    load: (String, String),
}

/// `--store postgres`: R replicas on one throwaway cluster; steady state only.
fn replicated(args: &Args, dir: &Path, vendor: &Vendor, n: usize, tck: f64) -> Replicated {
    let cluster = throwaway_pg::Cluster::start(&dir.join("pg"), free_port())
        .unwrap_or_else(|e| die(&format!("PostgreSQL: {e}")));
    let url = cluster.url();
    let postmaster = cluster
        .postmaster()
        .unwrap_or_else(|e| die(&format!("PostgreSQL: {e}")));
    if let Ok(mut p) = POSTMASTER.lock() {
        *p = Some(postmaster);
    }
    // The first polls fire at the next `*/5` tick plus jitter: start just before a tick
    // so that seeding takes one period, not two.
    let to_tick = time_to_boundary(300);
    if to_tick > Duration::from_secs(40) {
        std::thread::sleep(to_tick - Duration::from_secs(40));
    }
    let t = Instant::now();
    let mut daemons = Vec::new();
    for r in 0..args.replicas {
        let port = free_port();
        let extra = vec![
            "--listen".to_string(),
            format!("127.0.0.1:{port}"),
            "--state-dir".to_string(),
            dir.join(format!("state-r{r}")).display().to_string(),
        ];
        let (d, _) = start_daemon_with(
            &args.daemon,
            dir,
            port,
            &format!("r{r}"),
            &extra,
            Some(&url),
        );
        daemons.push(d);
    }
    let startup = t.elapsed();
    eprintln!(
        "scale_bench: {} replicas ready in {:.1} s; seeding (every monitor's first poll)",
        args.replicas,
        startup.as_secs_f64()
    );
    let t = Instant::now();
    while vendor.ok.load(Ordering::Relaxed) < n as u64 {
        if t.elapsed() > Duration::from_secs(1200) {
            die(&format!(
                "seeding: {} of {n} monitors polled after 20 minutes",
                vendor.ok.load(Ordering::Relaxed)
            ));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let seed = t.elapsed();
    // Every monitor was checked once; the next tick starts the first period in which
    // each one polls once, with the vendor's ETag (a 304).
    sleep_to_boundary(300, 1);
    eprintln!(
        "scale_bench: seeded in {:.0} s; measuring {} s",
        seed.as_secs_f64(),
        args.window
    );
    let urls: Vec<String> = daemons.iter().map(|d| d.url.clone()).collect();
    let stats = "SELECT (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database)::bigint \
                 || ' ' || (SELECT sum(calls) FROM pg_stat_statements)::bigint";
    let counters = |c: &throwaway_pg::Cluster| -> (f64, f64) {
        let line = c
            .psql(stats)
            .unwrap_or_else(|e| die(&format!("PostgreSQL: {e}")));
        let mut it = line
            .split_whitespace()
            .map(|v| v.parse::<f64>().unwrap_or(0.0));
        (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
    };
    let load0 = loadavg();
    let b0 = claim_buckets(&urls);
    let (x0, q0) = counters(&cluster);
    let (ok0, nm0) = (
        vendor.ok.load(Ordering::Relaxed),
        vendor.not_modified.load(Ordering::Relaxed),
    );
    let c0: Vec<u64> = daemons.iter().map(|d| cpu_ticks(d.pid)).collect();
    let s0 = tree_ticks(postmaster);
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(args.window));
    let secs = t0.elapsed().as_secs_f64();
    let c1: Vec<u64> = daemons.iter().map(|d| cpu_ticks(d.pid)).collect();
    let s1 = tree_ticks(postmaster);
    let nm = vendor.not_modified.load(Ordering::Relaxed) - nm0;
    let ok = vendor.ok.load(Ordering::Relaxed) - ok0;
    let (x1, q1) = counters(&cluster);
    let b1 = claim_buckets(&urls);
    let window: Vec<(f64, f64)> = b1
        .iter()
        .zip(b0.iter().chain(std::iter::repeat(&(0.0, 0.0))))
        .map(|(a, b)| (a.0, a.1 - b.1))
        .collect();
    let hwm = daemons.iter().map(|d| rss_kib(d.pid).1).collect();
    let load1 = loadavg();
    let t = Instant::now();
    for d in daemons {
        stop_daemon(d);
    }
    let shutdown = t.elapsed();
    drop(cluster);
    if let Ok(mut p) = POSTMASTER.lock() {
        *p = None;
    }
    Replicated {
        replicas: args.replicas,
        cpu_pct: c0
            .iter()
            .zip(&c1)
            .map(|(a, b)| (b - a) as f64 / tck / secs * 100.0)
            .collect(),
        hwm,
        server_cpu_pct: (s1 - s0) as f64 / tck / secs * 100.0,
        xact_per_s: (x1 - x0) / secs,
        statements_per_s: (q1 - q0) / secs,
        claims: window.last().map(|b| b.1).unwrap_or(0.0),
        p50: quantile(0.5, &window),
        p99: quantile(0.99, &window),
        polls: ok + nm,
        not_modified: nm,
        seed,
        startup,
        shutdown,
        load: (load0, load1),
    }
}

struct Pass {
    /// From the minute to the first changed spec served.
    first_fetch: Duration,
    wall: Duration,
    all_fetched: Duration,
    cpu_secs: f64,
    hwm: u64,
    load: (String, String),
}

/// Waits for the next minute, then times until every integration was compared with
/// generation `g`.
fn full_pass(d: &Daemon, vendor: &Vendor, n: usize, g: u64, tck: f64) -> Pass {
    let changed: HashSet<String> = (0..VARIANTS)
        .map(|k| baseline::digest(vendor.body(g, k)))
        .collect();
    // The daemon was started at least 20 s before this minute (see `main`), and no
    // check fires before it: the counters read now miss nothing.
    let ok0 = vendor.ok.load(Ordering::Relaxed);
    let c0 = cpu_ticks(d.pid);
    let load0 = loadavg();
    std::thread::sleep(time_to_boundary(60));
    let t0 = Instant::now();
    let mut all_fetched = None;
    let mut first_fetch = None;
    let client = http_client();
    loop {
        if first_fetch.is_none() && vendor.ok.load(Ordering::Relaxed) > ok0 {
            first_fetch = Some(t0.elapsed());
        }
        if all_fetched.is_none() && vendor.ok.load(Ordering::Relaxed) - ok0 >= n as u64 {
            all_fetched = Some(t0.elapsed());
        }
        // The API is polled only once the vendor has served every changed spec: its
        // answer (N entries) is not free, and only the tail is left by then.
        if all_fetched.is_some() {
            let done = client
                .get(format!("{}/api/v1/integrations", d.url))
                .send()
                .and_then(|r| r.json::<serde_json::Value>())
                .map(|v| {
                    v["integrations"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter(|e| {
                                    e["spec_digest"]
                                        .as_str()
                                        .is_some_and(|s| changed.contains(s))
                                        && e["last_result"] == "drift"
                                })
                                .count()
                        })
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            if done >= n {
                break;
            }
        }
        if t0.elapsed() > Duration::from_secs(1800) {
            die("the full pass did not finish in 30 minutes");
        }
        std::thread::sleep(Duration::from_millis(if all_fetched.is_some() {
            250
        } else {
            20
        }));
    }
    let wall = t0.elapsed();
    Pass {
        first_fetch: first_fetch.unwrap_or(wall),
        wall,
        all_fetched: all_fetched.unwrap_or(wall),
        cpu_secs: (cpu_ticks(d.pid) - c0) as f64 / tck,
        hwm: rss_kib(d.pid).1,
        load: (load0, loadavg()),
    }
}

fn main() {
    let args = Args::parse();
    let n = args.monitors;
    if n == 0 || n > 99_999 {
        die("--monitors must be in 1..=99999");
    }
    if !args.daemon.is_file() {
        die(&format!(
            "{} is missing: cargo build --release --bin apidrift",
            args.daemon.display()
        ));
    }
    let limit = args.max_seconds.unwrap_or(args.settle + args.window + 2400);
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(limit));
        cleanup();
        eprintln!("scale_bench: --max-seconds ({limit} s) reached; daemon killed");
        std::process::exit(3);
    });
    let tck = clk_tck();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|e| die(&format!("runtime: {e}")));
    // Ctrl-C or SIGTERM: the daemons and the throwaway cluster go too, not only us.
    rt.spawn(async {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        cleanup();
        eprintln!("scale_bench: interrupted; daemons and cluster stopped");
        std::process::exit(130);
    });
    let (vendor, vport) = start_vendor(&rt, n);
    let tmp = tempfile::Builder::new()
        .prefix("apidrift-scale-")
        .tempdir()
        .unwrap_or_else(|e| die(&format!("temp dir: {e}")));
    let dir = tmp.path().to_path_buf();
    if !args.keep
        && let Ok(mut t) = TEMP.lock()
    {
        *t = Some(dir.clone());
    }
    let port = free_port();
    let postgres = args.store == "postgres";
    if args.replicas == 0 || (args.replicas > 1 && !postgres) {
        die("--replicas: 1 with --store files; at least 1 with --store postgres");
    }
    let store = if postgres {
        "store:\n  postgres:\n    url: {env: APIDRIFT_DATABASE_URL}\n    tls: disable\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("apidrift.yaml"),
        format!(
            "listen: 127.0.0.1:{port}\nmonitors: monitors\nbaselines: baselines\nstate: state\n{store}"
        ),
    )
    .unwrap_or_else(|e| die(&format!("write apidrift.yaml: {e}")));
    let t = Instant::now();
    write_monitors(&dir, n, vport, "*/5 * * * *", "5m");
    if postgres {
        // The server runs as `postgres` when we are root: it must reach its directory.
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
    }
    seed(&dir, &vendor, n, vport, !postgres);
    eprintln!(
        "scale_bench: {n} monitors set up in {:.1} s in {}",
        t.elapsed().as_secs_f64(),
        dir.display()
    );

    let mut out = String::new();
    if postgres {
        let r = replicated(&args, &dir, &vendor, n, tck);
        let pct = |v: &[f64]| {
            v.iter()
                .map(|c| format!("{c:.2}%"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let hwm = r.hwm.iter().map(|h| mib(*h)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            out,
            "| N | replicas | window | polls in window (304) | CPU per replica (% of one core) | all replicas | server CPU | transactions/s | statements/s | claims | due→claim p50 / p99 | VmHWM per replica | load avg (start → end) | seeding | startup (all) | shutdown (all) |"
        );
        let _ = writeln!(
            out,
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        );
        let _ = writeln!(
            out,
            "| {n} | {} | {} s | {} ({}) | {} | {:.2}% | {:.2}% | {:.1} | {:.1} | {:.0} | {:.3} s / {:.3} s | {hwm} | {} → {} | {:.0} s | {:.1} s | {:.1} s |",
            r.replicas,
            args.window,
            r.polls,
            r.not_modified,
            pct(&r.cpu_pct),
            r.cpu_pct.iter().sum::<f64>(),
            r.server_cpu_pct,
            r.xact_per_s,
            r.statements_per_s,
            r.claims,
            r.p50,
            r.p99,
            r.load.0,
            r.load.1,
            r.seed.as_secs_f64(),
            r.startup.as_secs_f64(),
            r.shutdown.as_secs_f64()
        );
    }
    if !args.no_steady && !postgres {
        let (d, startup) = start_daemon(&args.daemon, &dir, port, "steady");
        eprintln!(
            "scale_bench: daemon ready in {:.1} s; measuring {} s after {} s",
            startup.as_secs_f64(),
            args.window,
            args.settle
        );
        let s = steady(&d, &vendor, args.settle, args.window, tck);
        let shutdown = stop_daemon(d);
        let _ = writeln!(
            out,
            "| N | cadence | window | polls in window (304) | CPU (% of one core) | VmRSS max | VmHWM | load avg (start → end) | startup | shutdown |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
        let _ = writeln!(
            out,
            "| {n} | `*/5 * * * *` + 5m jitter | {} s | {} ({}) | {:.2}% | {} | {} | {} → {} | {:.1} s | {:.1} s |",
            args.window,
            s.polls,
            s.not_modified,
            s.cpu_pct,
            mib(s.rss_max),
            mib(s.hwm),
            s.load.0,
            s.load.1,
            startup.as_secs_f64(),
            shutdown.as_secs_f64()
        );
    }

    if !args.no_pass && !postgres {
        write_monitors(&dir, n, vport, "* * * * *", "0s");
        vendor.generation.store(1, Ordering::SeqCst);
        // Every check fires at the first minute after the start: start well before it.
        if time_to_boundary(60) < Duration::from_secs(20) {
            std::thread::sleep(time_to_boundary(60) + Duration::from_millis(200));
        }
        let minute = SystemTime::now() + time_to_boundary(60);
        let (d, _) = start_daemon(&args.daemon, &dir, port, "pass");
        if SystemTime::now() >= minute {
            die("the daemon took more than 20 s to start; its checks may have fired already");
        }
        eprintln!("scale_bench: every spec changed; waiting for the next minute");
        let p = full_pass(&d, &vendor, n, 1, tck);
        stop_daemon(d);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "| N | full pass (all changed, all due at once) | first fetch | all fetched | daemon CPU in pass | checks/s | VmHWM | load avg (start → end) |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
        let _ = writeln!(
            out,
            "| {n} | {:.1} s | {:.2} s | {:.1} s | {:.1} s | {:.0} | {} | {} → {} |",
            p.wall.as_secs_f64(),
            p.first_fetch.as_secs_f64(),
            p.all_fetched.as_secs_f64(),
            p.cpu_secs,
            n as f64 / p.wall.as_secs_f64(),
            mib(p.hwm),
            p.load.0,
            p.load.1
        );
    }
    print!("{out}");
    if args.keep {
        let kept = tmp.keep();
        eprintln!("scale_bench: kept {}", kept.display());
    }
}
