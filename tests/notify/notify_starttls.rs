//! Email over STARTTLS with a private CA and SMTP AUTH, configured the way a user does it:
//! a throwaway CA and a `localhost` certificate are generated at test time with the
//! `openssl` CLI, the SMTP server (mailin-embedded) requires STARTTLS, and
//! `apidrift.yaml` names the CA file and reads the password from a file.

use crate::ca;
use apidrift::monitor;
use apidrift::notify::email::{Links, Mailer, build_message, render};
use apidrift::notify::{Event, EventKind, IntegrationRef, NoticeKind};
use chrono::Utc;
use mailin_embedded::{AuthMechanism, Handler, Response, Server, SslConfig, response};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Inbox {
    current: Vec<u8>,
    messages: Arc<Mutex<Vec<String>>>,
    logins: Arc<Mutex<Vec<(String, bool)>>>,
}

impl Handler for Inbox {
    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        let ok = user == "apidrift" && password == "smtp-pass-8d2e";
        self.logins.lock().unwrap().push((user.to_string(), ok));
        if ok {
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }
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

#[tokio::test]
async fn starttls_with_a_private_ca_and_login_delivers_the_email() {
    let dir = tempfile::tempdir().unwrap();
    ca::make_ca_and_server(dir.path(), "apidrift test CA", "DNS:localhost");
    let p = |f: &str| dir.path().join(f).display().to_string();

    let inbox = Inbox::default();
    let (messages, logins) = (inbox.messages.clone(), inbox.logins.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("localhost")
        .with_ssl(SslConfig::Trusted {
            cert_path: p("server.pem"),
            key_path: p("server.key"),
            chain_path: p("ca.pem"),
        })
        .unwrap()
        .with_auth(AuthMechanism::Plain)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    std::fs::create_dir_all(dir.path().join("monitors")).unwrap();
    std::fs::write(dir.path().join("smtp.pass"), "smtp-pass-8d2e\n").unwrap();
    let cfg = dir.path().join("apidrift.yaml");
    std::fs::write(
        &cfg,
        format!(
            "smtp:\n  host: localhost\n  port: {port}\n  tls: starttls\n  username: apidrift\n  password: {{file: smtp.pass}}\n  from: apidrift@example.com\n  ca_file: ca.pem\n  timeout: 5s\n"
        ),
    )
    .unwrap();
    let v = monitor::load(&cfg, true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    let smtp = v.config.smtp.expect("smtp configured").resolve().unwrap();
    let mailer = Mailer::new(&smtp).unwrap();

    let mut ev = Event::new(
        EventKind::CheckFailing,
        "evt_starttls".into(),
        Utc::now(),
        IntegrationRef {
            name: "users".into(),
            owner: None,
        },
    );
    ev.spec_source = Some("https://vendor.example/openapi.yaml".into());
    let rendered = render(NoticeKind::CheckFailing, &ev, &Links::default());
    let msg = build_message(
        mailer.from(),
        &["oncall@example.com".to_string()],
        "<starttls@apidrift.invalid>",
        &rendered,
    )
    .unwrap();
    tokio::time::timeout(Duration::from_secs(20), mailer.send(msg))
        .await
        .expect("send finishes")
        .expect("delivered over STARTTLS");
    let got = messages.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("Message-ID: <starttls@apidrift.invalid>"),
        "{}",
        got[0]
    );
    assert_eq!(
        logins.lock().unwrap().clone(),
        vec![("apidrift".to_string(), true)]
    );

    // Without the CA the same server is refused: the CA file is what made it trusted.
    let mut untrusted = smtp.clone();
    untrusted.ca_file = None;
    let mailer = Mailer::new(&untrusted).unwrap();
    let msg = build_message(
        mailer.from(),
        &["oncall@example.com".to_string()],
        "<starttls-2@apidrift.invalid>",
        &rendered,
    )
    .unwrap();
    let r = tokio::time::timeout(Duration::from_secs(20), mailer.send(msg))
        .await
        .expect("send finishes");
    assert!(r.is_err(), "a certificate from an unknown CA is rejected");
    assert_eq!(messages.lock().unwrap().len(), 1);
}
