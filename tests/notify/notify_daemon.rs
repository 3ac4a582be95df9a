//! Notifications end to end through the running daemon: a loopback vendor serves v1
//! then v2 of a spec, a real SMTP server (mailin-embedded) and a real HTTP receiver
//! (axum, verifying every signature and the JSON Schema) get the notifications.
//!
//! One story, asserted step by step: drift confirmed → one email and one webhook (the
//! receiver fails twice; every retry carries the same id; the SMTP server is down at
//! first and comes up later) → a daemon restart re-sends nothing → the vendor reverts →
//! resolved → the vendor answers 500 past `failing_after` → failing → recovered. At the
//! end every email and every acknowledged webhook event exists exactly once.

use crate::daemon_support;

use apidrift::baseline::Store;
use apidrift::monitor;
use apidrift::notify::Secret;
use apidrift::notify::webhook;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use daemon_support::{Mode, Vendor, spec};
use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

const SECRET: &str = "e2e-signing-secret-5b1d";

#[derive(Clone, Default)]
struct Inbox {
    current: Vec<u8>,
    messages: Arc<Mutex<Vec<String>>>,
}

impl Handler for Inbox {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.current.clear();
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        let msg = String::from_utf8_lossy(&self.current).into_owned();
        self.messages.lock().unwrap().push(msg);
        response::OK
    }
}

/// A header of a raw message, unfolded.
fn header(msg: &str, name: &str) -> String {
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

/// One request the receiver saw.
#[derive(Debug, Clone)]
struct Seen {
    event: String,
    delivery: String,
    verified: bool,
    schema_errors: Vec<String>,
    body: serde_json::Value,
    answered: u16,
}

#[derive(Default)]
struct Receiver {
    seen: Mutex<Vec<Seen>>,
    /// How many more requests to refuse with 503.
    fail_next: Mutex<u32>,
}

fn schema() -> serde_json::Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/webhook-event.v1.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

async fn hook(State(rx): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let verified = webhook::verify(
        &Secret::new(SECRET),
        &h("x-apidrift-signature"),
        &body,
        Utc::now().timestamp(),
        300,
    )
    .is_ok();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let schema_errors = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    let status = {
        let mut f = rx.fail_next.lock().unwrap();
        if *f > 0 {
            *f -= 1;
            StatusCode::SERVICE_UNAVAILABLE
        } else if verified {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::UNAUTHORIZED
        }
    };
    rx.seen.lock().unwrap().push(Seen {
        event: h("x-apidrift-event"),
        delivery: h("x-apidrift-delivery"),
        verified,
        schema_errors,
        body: value,
        answered: status.as_u16(),
    });
    status
}

async fn start_receiver() -> (String, Arc<Receiver>) {
    let rx = Arc::new(Receiver::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(rx.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), rx)
}

/// v1 with a response property removed from a shared schema: both operations that
/// return it change, and both exist on both sides.
fn drifted() -> Vec<u8> {
    let v1 = String::from_utf8(spec("v1.yaml")).unwrap();
    let out = v1.replace("        email: {type: string}\n", "");
    assert_ne!(
        out, v1,
        "the fixture still has the property this test removes"
    );
    out.into_bytes()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn write_config(
    dir: &Path,
    smtp_port: u16,
    hook_url: &str,
    vendor_url: &str,
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(dir.join("hook.secret"), format!("{SECRET}\n")).unwrap();
    let cfg = dir.join("apidrift.yaml");
    std::fs::write(
        &cfg,
        format!(
            "listen: 127.0.0.1:0\nretries: 0\nreload_interval: 200ms\nshutdown_timeout: 5s\n\
             smtp:\n  host: 127.0.0.1\n  port: {smtp_port}\n  tls: none\n  from: apidrift <apidrift@example.com>\n  timeout: 2s\n\
             webhooks:\n  - name: agent\n    url: {hook_url}\n    secret: {{file: hook.secret}}\n    timeout: 2s\n\
             outbox:\n  retry_base: 200ms\n  retry_max_delay: 1s\n  max_attempts: 1000\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("monitors/users.yaml"),
        format!(
            "name: users\nowner: identity-oncall@example.com\nschedule: \"* * * * * *\"\ntimeout: 1s\n\
             spec:\n  url: {vendor_url}\nconfirm_after: 2\n\
             notify:\n  email: [oncall@example.com]\n  webhook: [agent]\n  failing_after: 2s\n\
             consumes:\n  - operation: GET /users/{{id}}\n    entity: user\n    fields: [id, email]\n"
        ),
    )
    .unwrap();
    cfg
}

struct Running {
    stop: oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<()>,
    _reload: mpsc::Sender<()>,
}

async fn start_daemon(cfg: &Path) -> Running {
    let v = monitor::load(cfg, true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let (reload, reload_rx) = mpsc::channel(1);
    let config = v.config;
    let handle = tokio::spawn(async move {
        apidrift::daemon::run(
            listener,
            config,
            async {
                let _ = stopped.await;
            },
            reload_rx,
        )
        .await
        .expect("daemon runs");
    });
    Running {
        stop,
        handle,
        _reload: reload,
    }
}

async fn stop_daemon(r: Running) {
    let _ = r.stop.send(());
    tokio::time::timeout(Duration::from_secs(20), r.handle)
        .await
        .expect("the daemon stops within 20s")
        .unwrap();
}

/// Waits (at most `secs`) until `cond` holds; panics with `what` otherwise.
async fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(
            Instant::now() < deadline,
            "timed out after {secs}s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn subjects(inbox: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    inbox
        .lock()
        .unwrap()
        .iter()
        .map(|m| header(m, "Subject"))
        .collect()
}

/// Entries waiting in the outbox (`state/notify/outbox/pending/`).
fn pending(state_dir: &Path) -> usize {
    std::fs::read_dir(state_dir.join("notify/outbox/pending"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

/// Waits until the daemon has completed a check that started after this call (the
/// scheduler runs one monitor's checks one after another, so a second fetch means the
/// first one was judged and its notices enqueued) and the outbox has drained: whatever
/// that check would send has then been sent.
async fn settled(vendor: &Vendor, state_dir: &Path) {
    let from = vendor.hits().len();
    wait_for(20, "two more checks", || vendor.hits().len() >= from + 2).await;
    wait_for(20, "an empty outbox", || pending(state_dir) == 0).await;
}

fn acked(rx: &Receiver, event: &str) -> Vec<Seen> {
    rx.seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.event == event && (200..300).contains(&s.answered))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_mails_and_posts_each_event_once_across_outages_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v1.yaml"))).await;
    let (hook_url, receiver) = start_receiver().await;
    let smtp_port = free_port();
    let cfg = write_config(dir.path(), smtp_port, &hook_url, &vendor.url);
    let v = monitor::load(&cfg, true);
    Store::new(&v.config.baselines_dir)
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            Utc::now(),
        )
        .unwrap();

    // The receiver refuses the first two attempts; SMTP is down.
    *receiver.fail_next.lock().unwrap() = 2;
    let state_dir = v.config.state_dir.clone();
    let daemon = start_daemon(&cfg).await;
    // The baseline's spec checked once before the vendor changes it.
    wait_for(20, "the first check", || {
        std::fs::read(state_dir.join("users.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["status"] == "ok")
    })
    .await;
    vendor.set(Mode::Spec(drifted()));

    wait_for(20, "the drift.confirmed webhook to be acknowledged", || {
        !acked(&receiver, "drift.confirmed").is_empty()
    })
    .await;
    let attempts: Vec<Seen> = receiver
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.event == "drift.confirmed")
        .cloned()
        .collect();
    assert_eq!(attempts.len(), 3, "two refusals, then the acknowledgement");
    let id = attempts[0].delivery.clone();
    assert!(id.starts_with("evt_"), "{id}");
    for a in &attempts {
        assert_eq!(a.delivery, id, "every retry carries the same id");
        assert!(a.verified, "signature verifies");
        assert!(a.schema_errors.is_empty(), "{:?}", a.schema_errors);
        assert_eq!(a.body["id"], id.as_str());
    }
    let body = &attempts[2].body;
    assert_eq!(body["integration"]["name"], "users");
    assert_eq!(body["integration"]["owner"], "identity-oncall@example.com");
    let changes = body["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes
            .iter()
            .all(|c| c["fingerprint"].is_string() && c["id"].is_string())
    );
    // The contract and the verdict travel with the event: `email` of the consumed
    // operation is gone, so that change tells the agent to regenerate the fetcher; the
    // same removal on the unconsumed list operation asks a human to review.
    assert_eq!(body["consumes"][0]["operation"], "GET /users/{id}");
    assert_eq!(body["verdict"]["visibility"], 0.5, "{:#}", body["verdict"]);
    assert_eq!(
        body["verdict"]["fields"]["lost"],
        serde_json::json!([{"operation": "GET /users/{id}", "field": "email"}])
    );
    assert!(
        body["verdict"].get("changes").is_none(),
        "changes travel once"
    );
    let removal = |path: &str| {
        changes
            .iter()
            .find(|c| c["id"] == "response-optional-property-removed" && c["path"] == path)
            .unwrap_or_else(|| panic!("no removal at {path}: {changes:#?}"))
    };
    assert_eq!(removal("/users/{id}")["consumed"], "lost");
    assert_eq!(removal("/users/{id}")["remediation"], "regenerate_fetcher");
    assert_eq!(removal("/users")["consumed"], "unconsumed");
    assert_eq!(removal("/users")["remediation"], "review_and_accept");
    let ops = body["operations"].as_array().unwrap();
    assert!(!ops.is_empty(), "affected operations carry fragments");
    assert!(
        ops.iter()
            .any(|o| o["baseline"].is_object() && o["revision"].is_object()),
        "{ops:#?}"
    );
    let text = body.to_string();
    assert!(!text.contains("\"$ref\""), "refs are inlined in fragments");
    assert!(
        body["baseline_digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert!(body["spec_digest"].as_str().unwrap().starts_with("sha256:"));
    assert_ne!(body["baseline_digest"], body["spec_digest"]);
    assert_eq!(body["spec_source"], vendor.url.as_str());

    // SMTP was down all along: nothing mailed yet. Bring it up.
    let inbox = Inbox::default();
    let messages = inbox.messages.clone();
    let mut server = Server::new(inbox);
    server
        .with_name("localhost")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(std::net::TcpListener::bind(("127.0.0.1", smtp_port)).unwrap());
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    wait_for(20, "the drift email", || {
        !messages.lock().unwrap().is_empty()
    })
    .await;
    let s = subjects(&messages);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].starts_with("[apidrift] users: "), "{s:?}");
    // The consumed removal is breaking for this integration; the other is not.
    assert!(s[0].ends_with(": 1 consumed field lost"), "{s:?}");

    // Restart in the middle of the drift: nothing is sent again.
    stop_daemon(daemon).await;
    let daemon = start_daemon(&cfg).await;
    settled(&vendor, &state_dir).await;
    assert_eq!(subjects(&messages).len(), 1, "a restart re-sends no email");
    assert_eq!(acked(&receiver, "drift.confirmed").len(), 1);
    assert_eq!(
        receiver.seen.lock().unwrap().len(),
        3,
        "a restart re-posts nothing"
    );

    // The vendor reverts: resolved.
    vendor.set(Mode::Spec(spec("v1.yaml")));
    wait_for(20, "the resolved email", || {
        subjects(&messages)
            .iter()
            .any(|s| s.ends_with("drift resolved"))
    })
    .await;
    wait_for(20, "the drift.resolved webhook", || {
        !acked(&receiver, "drift.resolved").is_empty()
    })
    .await;
    let resolved = acked(&receiver, "drift.resolved");
    assert_ne!(resolved[0].delivery, id);
    assert!(
        resolved[0].schema_errors.is_empty(),
        "{:?}",
        resolved[0].schema_errors
    );

    // The vendor fails for longer than failing_after: failing, then recovered.
    vendor.set(Mode::Status(500));
    wait_for(20, "the check.failing webhook", || {
        !acked(&receiver, "check.failing").is_empty()
    })
    .await;
    let failing = acked(&receiver, "check.failing");
    assert_eq!(failing[0].body["failure"]["reason"], "http_status");
    let mails_while_failing = subjects(&messages).len();
    vendor.set(Mode::Spec(spec("v1.yaml")));
    wait_for(20, "the check.recovered webhook", || {
        !acked(&receiver, "check.recovered").is_empty()
    })
    .await;
    wait_for(20, "the recovery email", || {
        subjects(&messages).len() > mails_while_failing && subjects(&messages).len() >= 4
    })
    .await;
    // Settled (checks done since, nothing pending), then count: each exactly once.
    settled(&vendor, &state_dir).await;
    stop_daemon(daemon).await;

    let all = messages.lock().unwrap().clone();
    assert_eq!(all.len(), 4, "{:?}", subjects(&messages));
    let mut ids: Vec<String> = all.iter().map(|m| header(m, "Message-ID")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "distinct Message-IDs: {ids:?}");
    for m in &all {
        assert_eq!(header(m, "To"), "oncall@example.com");
        assert!(m.contains("multipart/alternative"));
    }
    for kind in [
        "drift.confirmed",
        "drift.resolved",
        "check.failing",
        "check.recovered",
    ] {
        let a = acked(&receiver, kind);
        assert_eq!(a.len(), 1, "{kind} acknowledged exactly once");
        assert!(
            a[0].verified && a[0].schema_errors.is_empty(),
            "{kind}: {:?}",
            a[0].schema_errors
        );
    }
    let seen = receiver.seen.lock().unwrap();
    assert!(seen.iter().all(|s| s.verified), "every request was signed");
}
