//! Webhook delivery end to end: a real HTTP receiver on loopback verifies the signature
//! and validates each payload against schemas/webhook-event.v1.json; a receiver that fails
//! twice then succeeds gets the event acknowledged once, with the same id each try; a
//! receiver that never succeeds dead-letters it; no canary secret reaches a payload, a
//! header, an outbox file or a log line.

use crate::notify_fixture;

use apidrift::notify::webhook::{self, WebhookConfig};
use apidrift::notify::{
    Channel, Dispatcher, DriftObservation, NotifyMetrics, Outbox, RetryPolicy, Routes, Secret,
    Tracker, TrackerPolicy, enqueue_notice,
};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{Duration as CDuration, Utc};
use notify_fixture::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Receiver {
    /// Requests to fail before answering 200 (`u32::MAX`: always fail).
    fail_first: u32,
    seen: Mutex<Vec<Seen>>,
}

#[derive(Debug, Clone)]
struct Seen {
    event: String,
    delivery: String,
    body: String,
    signature_header: String,
    verified: Result<(), webhook::VerifyError>,
    schema_errors: Vec<String>,
}

fn schema() -> serde_json::Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/webhook-event.v1.json");
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
    let sig = h("x-apidrift-signature");
    let verified = webhook::verify(
        &Secret::new(CANARY_SECRET),
        &sig,
        &body,
        Utc::now().timestamp(),
        300,
    );
    let schema_errors = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(v) => {
            let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
            validator
                .iter_errors(&v)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect()
        }
        Err(e) => vec![format!("not JSON: {e}")],
    };
    let mut seen = rx.seen.lock().unwrap();
    seen.push(Seen {
        event: h("x-apidrift-event"),
        delivery: h("x-apidrift-delivery"),
        body: String::from_utf8_lossy(&body).into_owned(),
        signature_header: sig,
        verified,
        schema_errors,
    });
    if (seen.len() as u32) <= rx.fail_first {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

async fn start(rx: Arc<Receiver>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(rx);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hook")
}

#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);
impl Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn dispatcher(url: String) -> Dispatcher {
    let mut d = Dispatcher::default();
    d.webhooks.insert(
        "agent".into(),
        WebhookConfig {
            name: "agent".into(),
            url,
            secret: Secret::new(CANARY_SECRET),
            timeout: Duration::from_secs(5),
        },
    );
    d
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        jitter: 0.5,
    }
}

fn counter(m: &NotifyMetrics, result: &str) -> u64 {
    m.notifications_total
        .with_label_values(&["webhook", result])
        .get()
}

#[tokio::test]
async fn receiver_failing_twice_gets_one_acknowledged_event_with_the_same_id_each_try() {
    let logs = LogBuf::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let rx = Arc::new(Receiver {
        fail_first: 2,
        ..Receiver::default()
    });
    let url = start(rx.clone()).await;
    let state = tempfile::tempdir().unwrap();
    let registry = prometheus::Registry::new();
    let metrics = NotifyMetrics::register(&registry).unwrap();
    let outbox = Outbox::open(state.path().join("outbox"), fast_retries(5))
        .unwrap()
        .with_metrics(metrics.clone());
    let tracker = Tracker::open(state.path().join("tracker"), TrackerPolicy::default()).unwrap();
    let routes = Routes {
        webhooks: vec!["agent".into()],
        ..Routes::default()
    };
    let d = dispatcher(url);

    let t0 = Utc::now();
    let fps = changes()
        .iter()
        .map(|(c, _)| c.fingerprint.clone())
        .collect();
    let decision = tracker
        .decide("okta-users", &DriftObservation::Confirmed(fps), None, t0)
        .unwrap();
    assert_eq!(decision.notices.len(), 1);
    let notice = &decision.notices[0];
    let event = event_for(notice, t0);
    assert_eq!(
        enqueue_notice(&outbox, &routes, notice, &event, t0).unwrap(),
        1
    );
    // Enqueueing again (a crash before the tracker committed) adds nothing.
    assert_eq!(
        enqueue_notice(&outbox, &routes, notice, &event, t0).unwrap(),
        0
    );
    tracker.commit(&decision).unwrap();
    assert_eq!(
        metrics.outbox_pending.with_label_values(&["webhook"]).get(),
        1
    );

    // Passes at increasing times until nothing is pending (bounded).
    let mut now = t0;
    for _ in 0..10 {
        if outbox.pending().unwrap().is_empty() {
            break;
        }
        outbox.drain_once(&d, now).await.unwrap();
        now += CDuration::hours(1);
    }
    assert!(outbox.pending().unwrap().is_empty());
    assert!(outbox.is_acked(Channel::Webhook, &notice.message_id, "agent"));

    let seen = rx.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "two failures and one success");
    for s in &seen {
        assert_eq!(s.delivery, event.id, "same idempotency key on every try");
        assert_eq!(s.event, "drift.confirmed");
        assert_eq!(
            s.verified,
            Ok(()),
            "signature verifies: {}",
            s.signature_header
        );
        assert!(
            s.schema_errors.is_empty(),
            "payload violates the schema: {:?}",
            s.schema_errors
        );
        assert_no_canary("webhook body", &s.body);
        assert_no_canary("signature header", &s.signature_header);
    }
    assert_eq!(seen[0].body, seen[2].body, "the same bytes on every try");
    let body: serde_json::Value = serde_json::from_str(&seen[2].body).unwrap();
    assert_eq!(body["version"], 1);
    assert_eq!(body["id"], event.id.as_str());
    assert_eq!(body["changes"][0]["remediation"], "regenerate_fetcher");
    assert_eq!(body["changes"][1]["remediation"], "update_mapping");
    assert_eq!(body["changes"][2]["remediation"], "none");
    assert_eq!(
        body["operations"][0]["baseline"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["items"]["properties"]["lastLogin"]["type"],
        "string"
    );
    assert!(
        body["spec_source"]
            .as_str()
            .unwrap()
            .contains("access_token=REDACTED")
    );

    assert_eq!(counter(&metrics, "delivered"), 1);
    assert_eq!(counter(&metrics, "failed"), 2);
    assert_eq!(
        metrics.outbox_pending.with_label_values(&["webhook"]).get(),
        0
    );

    // A restart: a new outbox over the same directory sends nothing again.
    let outbox2 = Outbox::open(state.path().join("outbox"), fast_retries(5)).unwrap();
    assert!(!enqueue_notice(&outbox2, &routes, notice, &event, now).is_ok_and(|n| n > 0));
    outbox2
        .drain_once(&d, now + CDuration::days(1))
        .await
        .unwrap();
    let again = tracker
        .decide(
            "okta-users",
            &DriftObservation::Confirmed(event.fingerprints()),
            None,
            now,
        )
        .unwrap();
    assert!(
        again.notices.is_empty(),
        "the same drift is not notified twice"
    );
    assert_eq!(rx.seen.lock().unwrap().len(), 3);

    assert_no_canary("outbox and tracker files", &read_tree(state.path()));
    let log_text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        log_text.contains("notification delivered"),
        "logs were captured: {log_text}"
    );
    assert_no_canary("logs", &log_text);
}

#[tokio::test]
async fn receiver_that_never_succeeds_is_dead_lettered_and_counted() {
    let rx = Arc::new(Receiver {
        fail_first: u32::MAX,
        ..Receiver::default()
    });
    let url = start(rx.clone()).await;
    let state = tempfile::tempdir().unwrap();
    let registry = prometheus::Registry::new();
    let metrics = NotifyMetrics::register(&registry).unwrap();
    let outbox = Outbox::open(state.path(), fast_retries(3))
        .unwrap()
        .with_metrics(metrics.clone());
    let tracker = Tracker::open(state.path().join("tracker"), TrackerPolicy::default()).unwrap();
    let d = dispatcher(url);
    let t0 = Utc::now();
    let decision = tracker
        .decide(
            "okta-users",
            &DriftObservation::Unknown,
            Some(t0 - CDuration::hours(2)),
            t0,
        )
        .unwrap();
    let notice = &decision.notices[0];
    let mut event = event_for(notice, t0);
    event.failure = Some(apidrift::notify::event::Failure {
        reason: "timeout".into(),
        since: t0 - CDuration::hours(2),
    });
    let routes = Routes {
        webhooks: vec!["agent".into()],
        ..Routes::default()
    };
    enqueue_notice(&outbox, &routes, notice, &event, t0).unwrap();
    let mut now = t0;
    for _ in 0..6 {
        outbox.drain_once(&d, now).await.unwrap();
        now += CDuration::hours(1);
    }
    assert_eq!(
        rx.seen.lock().unwrap().len(),
        3,
        "exactly max_attempts tries"
    );
    assert!(
        rx.seen
            .lock()
            .unwrap()
            .iter()
            .all(|s| s.event == "check.failing" && s.schema_errors.is_empty())
    );
    let dead = outbox.dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 3);
    assert!(dead[0].last_error.as_deref().unwrap().contains("HTTP 503"));
    assert_eq!(
        metrics
            .outbox_dead_letters_total
            .with_label_values(&["webhook"])
            .get(),
        1
    );
    assert_eq!(counter(&metrics, "dead_lettered"), 1);
    assert!(outbox.pending().unwrap().is_empty());
}

#[test]
fn a_forged_or_replayed_delivery_is_rejected_by_verify() {
    let secret = Secret::new(CANARY_SECRET);
    let body = br#"{"version":1}"#;
    let now = 1_800_000_000;
    let header = webhook::signature_header(&secret, now, body);
    assert!(webhook::verify(&secret, &header, body, now + 10, 300).is_ok());
    assert!(webhook::verify(&Secret::new("other"), &header, body, now, 300).is_err());
    assert!(webhook::verify(&secret, &header, br#"{"version":2}"#, now, 300).is_err());
    assert!(webhook::verify(&secret, &header, body, now + 3600, 300).is_err());
}
