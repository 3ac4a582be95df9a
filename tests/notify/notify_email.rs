//! Email end to end: a real SMTP server (mailin-embedded) on loopback receives the
//! messages; headers, both MIME parts and their content are asserted; with the server
//! down then up, every email is delivered exactly once through the outbox.

use crate::notify_fixture;
mod notify_mails;

use apidrift::notify::email::{Links, Mailer, SmtpConfig, TlsMode, render};
use apidrift::notify::{
    Dispatcher, DriftObservation, NoticeKind, Outbox, RetryPolicy, Routes, Tracker, TrackerPolicy,
    enqueue_notice,
};
use chrono::{Duration as CDuration, Utc};
use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use notify_fixture::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Received messages: (recipients, raw message).
type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

#[derive(Clone, Default)]
struct Inbox {
    current: Vec<u8>,
    rcpt: Vec<String>,
    messages: Received,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current.clear();
        self.rcpt = to.to_vec();
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        let msg = String::from_utf8_lossy(&self.current).into_owned();
        self.messages.lock().unwrap().push((self.rcpt.clone(), msg));
        response::OK
    }
}

/// Starts the SMTP server on `listener` in a background thread (it serves forever; the
/// test process ends it).
fn serve(listener: std::net::TcpListener) -> Received {
    let inbox = Inbox::default();
    let messages = inbox.messages.clone();
    let mut server = Server::new(inbox);
    server
        .with_name("localhost")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    messages
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: None,
        password: None,
        from: "apidrift <apidrift@example.com>".into(),
        timeout: Duration::from_secs(5),
        ca_file: None,
    })
    .unwrap()
}

/// The decoded body parts of a multipart message (quoted-printable or base64 or 7bit).
fn part(msg: &str, content_type: &str) -> String {
    let start = msg
        .find(&format!("Content-Type: {content_type}"))
        .unwrap_or_else(|| panic!("no {content_type} part in:\n{msg}"));
    let rest = &msg[start..];
    let header_end = rest.find("\r\n\r\n").unwrap();
    let headers = &rest[..header_end];
    let body_start = header_end + 4;
    // The part ends at the next boundary line (a body line may start with `--`).
    let boundary = msg
        .split("boundary=\"")
        .nth(1)
        .and_then(|b| b.split('"').next())
        .unwrap_or_else(|| panic!("no boundary in:\n{msg}"));
    let body_end = rest[body_start..]
        .find(&format!("\r\n--{boundary}"))
        .map_or(rest.len(), |i| body_start + i);
    let raw = &rest[body_start..body_end];
    if headers.contains("quoted-printable") {
        decode_qp(raw)
    } else if headers.contains("base64") {
        let cleaned: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let mut out = Vec::new();
        base64_decode(&cleaned, &mut out);
        String::from_utf8(out).expect("utf-8 part")
    } else {
        raw.to_string()
    }
}

fn decode_qp(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64_decode(s: &str, out: &mut Vec<u8>) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = T.iter().position(|&t| t == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
}

/// The value of header `name`, unfolded (a long header continues on indented lines).
fn header(msg: &str, name: &str) -> String {
    let head = &msg[..msg.find("\r\n\r\n").unwrap()];
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .split("\r\n")
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no {name} header in:\n{head}"))
}

#[tokio::test]
async fn drift_email_has_headers_both_parts_and_escaped_content() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = serve(listener);
    let state = tempfile::tempdir().unwrap();
    let tracker = Tracker::open(state.path().join("tracker"), TrackerPolicy::default()).unwrap();
    let outbox = Outbox::open(state.path().join("outbox"), RetryPolicy::default()).unwrap();
    let t0 = Utc::now();
    let fps = changes()
        .iter()
        .map(|(c, _)| c.fingerprint.clone())
        .collect();
    let decision = tracker
        .decide("okta-users", &DriftObservation::Confirmed(fps), None, t0)
        .unwrap();
    let notice = &decision.notices[0];
    let event = event_for(notice, t0);
    let routes = Routes {
        email: vec!["oncall@example.com".into(), "team@example.com".into()],
        ..Routes::default()
    };
    enqueue_notice(&outbox, &routes, notice, &event, t0).unwrap();
    tracker.commit(&decision).unwrap();
    let d = Dispatcher {
        mailer: Some(mailer(port)),
        links: Links {
            page_base: Some("https://apidrift.example.com/ops".into()),
        },
        ..Dispatcher::default()
    };
    let report = outbox.drain_once(&d, t0).await.unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");

    let msgs = inbox.lock().unwrap().clone();
    assert_eq!(msgs.len(), 1);
    let (rcpt, msg) = &msgs[0];
    assert_eq!(
        rcpt,
        &vec![
            "oncall@example.com".to_string(),
            "team@example.com".to_string()
        ]
    );
    assert_eq!(
        header(msg, "Subject"),
        "[apidrift] okta-users: 1 consumed field lost, 1 at risk"
    );
    assert!(header(msg, "From").contains("apidrift@example.com"));
    let to = header(msg, "To");
    assert!(
        to.contains("oncall@example.com") && to.contains("team@example.com"),
        "{to}"
    );
    let mid = header(msg, "Message-ID");
    assert!(
        mid.starts_with('<') && mid.ends_with("@apidrift.invalid>"),
        "{mid}"
    );
    assert!(msg.contains("multipart/alternative"));

    let text = part(msg, "text/plain");
    let html = part(msg, "text/html");
    for body in [&text, &html] {
        assert!(body.contains("response-property-removed"), "rule id listed");
        assert!(body.contains("GET /api/v1/users"), "grouped by endpoint");
        assert!(body.contains("apidrift check okta-users"));
        assert!(
            body.contains("apidrift baseline accept okta-users \\") && body.contains("--reason")
        );
        assert!(
            !body.contains("127.0.0.1"),
            "nothing assumes the daemon's host"
        );
        // The link to the integration's page (external_url).
        assert!(body.contains("https://apidrift.example.com/ops/integrations/okta-users"));
        assert!(body.contains("vendor.example/openapi.yaml"));
        assert!(body.contains("lastLogin"), "lost field listed");
        assert!(body.contains("Consumed fields lost or at risk (2)"));
        assert_no_canary("email", body);
    }
    assert!(text.contains("[ERR]") && text.contains("[WARN]"), "{text}");
    assert!(
        html.contains("<a href=\"https://apidrift.example.com/ops/integrations/okta-users\""),
        "{html}"
    );
    assert!(
        text.contains("<script>alert(1)</script>"),
        "text part shows spec text as is"
    );
    assert!(!html.contains("<script>"), "html part escapes spec text");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_no_canary("raw message", msg);
}

#[tokio::test]
async fn smtp_down_then_up_delivers_each_email_exactly_once() {
    // Reserve a port, then close it: connections are refused until the server starts.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let state = tempfile::tempdir().unwrap();
    let outbox_dir = state.path().join("outbox");
    let policy = RetryPolicy {
        max_attempts: 20,
        base: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        jitter: 0.0,
    };
    let outbox = Outbox::open(&outbox_dir, policy).unwrap();
    let tracker = Tracker::open(state.path().join("tracker"), TrackerPolicy::default()).unwrap();
    let routes = Routes {
        email: vec!["oncall@example.com".into()],
        ..Routes::default()
    };
    let t0 = Utc::now();
    // Three notices: a confirmed drift, its reminder a day later, and a failing episode.
    let fps: std::collections::BTreeSet<String> = changes()
        .iter()
        .map(|(c, _)| c.fingerprint.clone())
        .collect();
    let mut sent_ids = Vec::new();
    for (obs, failing, at) in [
        (DriftObservation::Confirmed(fps.clone()), None, t0),
        (
            DriftObservation::Confirmed(fps.clone()),
            None,
            t0 + CDuration::hours(25),
        ),
        (
            DriftObservation::Unknown,
            Some(t0 + CDuration::hours(26)),
            t0 + CDuration::hours(28),
        ),
    ] {
        let decision = tracker.decide("okta-users", &obs, failing, at).unwrap();
        assert_eq!(decision.notices.len(), 1, "{decision:?}");
        let n = &decision.notices[0];
        let mut e = event_for(n, at);
        if n.kind == NoticeKind::CheckFailing {
            e.failure = Some(apidrift::notify::event::Failure {
                reason: "timeout".into(),
                since: n.failing_since.unwrap(),
            });
        }
        enqueue_notice(&outbox, &routes, n, &e, at).unwrap();
        tracker.commit(&decision).unwrap();
        sent_ids.push(n.message_id.clone());
    }
    let d = Dispatcher {
        mailer: Some(mailer(port)),
        ..Dispatcher::default()
    };
    let mut now = t0 + CDuration::hours(30);
    let r = outbox.drain_once(&d, now).await.unwrap();
    assert_eq!((r.delivered, r.failed), (0, 3), "server is down");
    assert_eq!(outbox.pending().unwrap().len(), 3);

    // "Restart": a new outbox over the same directory, then the server comes up.
    let outbox = Outbox::open(&outbox_dir, policy).unwrap();
    let inbox = serve(std::net::TcpListener::bind(("127.0.0.1", port)).unwrap());
    for _ in 0..5 {
        now += CDuration::minutes(1);
        outbox.drain_once(&d, now).await.unwrap();
    }
    assert!(outbox.pending().unwrap().is_empty());
    let msgs = inbox.lock().unwrap().clone();
    assert_eq!(msgs.len(), 3, "each email exactly once");
    let subjects: Vec<String> = msgs.iter().map(|(_, m)| header(m, "Subject")).collect();
    assert!(
        subjects
            .iter()
            .any(|s| *s == "[apidrift] okta-users: 1 consumed field lost, 1 at risk"),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(
            |s| s.starts_with("[apidrift] okta-users: 1 consumed field lost")
                && s.ends_with("(reminder, open 1 d 1 h)")
        ),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s == "[apidrift] okta-users: cannot see the vendor (timeout)"),
        "{subjects:?}"
    );
    let ids: std::collections::BTreeSet<String> =
        msgs.iter().map(|(_, m)| header(m, "Message-ID")).collect();
    assert_eq!(ids.len(), 3, "distinct Message-IDs");
    // Re-enqueueing what was delivered does nothing, and a new pass sends nothing.
    for id in &sent_ids {
        assert!(outbox.is_acked(apidrift::notify::Channel::Email, id, "oncall@example.com"));
    }
    outbox
        .drain_once(&d, now + CDuration::days(1))
        .await
        .unwrap();
    assert_eq!(inbox.lock().unwrap().len(), 3);
}

#[test]
fn resolved_failing_and_recovered_emails_say_what_happened() {
    use apidrift::notify::Notice;
    let t0 = Utc::now();
    let n = |kind| Notice {
        kind,
        event_id: "evt_00000000000000000000000000000000".into(),
        message_id: "evt_00000000000000000000000000000000".into(),
        fingerprints: Default::default(),
        failing_since: Some(t0),
        drift_since: None,
    };
    let links = Links::default();
    let resolved = render(
        NoticeKind::DriftResolved,
        &event_for(&n(NoticeKind::DriftResolved), t0),
        &links,
    );
    assert_eq!(resolved.subject, "[apidrift] okta-users: drift resolved");
    assert!(resolved.text.contains("resolved") && !resolved.text.contains("baseline accept"));
    let mut failing_event = event_for(&n(NoticeKind::CheckFailing), t0);
    failing_event.failure = Some(apidrift::notify::event::Failure {
        reason: "tls".into(),
        since: t0,
    });
    let failing = render(NoticeKind::CheckFailing, &failing_event, &links);
    assert_eq!(
        failing.subject,
        "[apidrift] okta-users: cannot see the vendor (tls)"
    );
    assert!(failing.text.contains("cannot see the vendor") && failing.html.contains("(tls)"));
    assert!(failing.text.contains("Reason:") && failing.text.contains("TLS-intercepting proxy"));
    let recovered = render(
        NoticeKind::CheckRecovered,
        &event_for(&n(NoticeKind::CheckRecovered), t0),
        &links,
    );
    assert_eq!(
        recovered.subject,
        "[apidrift] okta-users: vendor reachable again"
    );
}
