//! Email: sending a rendered `Event` as a multipart text + HTML message over SMTP with
//! lettre (plain, STARTTLS or implicit TLS; rustls). What the message says is `mail`
//! (re-exported here: `render`, `Links`, `Rendered`).
//!
//! Owns: `SmtpConfig`, `TlsMode`, `Mailer`, `build_message`, `message_id_for`.
//! Must not: put a password in a message or error, or render content itself.

pub use super::mail::{Links, MAX_CHANGES_LISTED, Rendered, html_escape, page_url, render};

use super::event::Event;
use super::outbox::DeliveryError;
use super::secret::Secret;
use super::tracker::NoticeKind;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain text (a local relay, tests).
    None,
    /// STARTTLS, required (port 587).
    Starttls,
    /// Implicit TLS (SMTPS, port 465).
    Tls,
}

/// The `smtp` section of `apidrift.yaml`, secrets resolved.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
    pub timeout: Duration,
    /// PEM CA certificates to trust instead of the system roots (a private relay, tests).
    pub ca_file: Option<std::path::PathBuf>,
}

/// Errors building or configuring email.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("invalid address `{0}`")]
    Address(String),
    #[error("cannot build message: {0}")]
    Build(String),
    #[error("smtp configuration: {0}")]
    Config(String),
}

/// Builds the MIME message: `multipart/alternative` with the text part first.
pub fn build_message(
    from: &str,
    to: &[String],
    message_id: &str,
    rendered: &Rendered,
) -> Result<Message, EmailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| EmailError::Address(from.to_string()))?;
    let mut b = Message::builder()
        .from(from)
        .subject(rendered.subject.clone())
        .message_id(Some(message_id.to_string()))
        .date_now();
    if to.is_empty() {
        return Err(EmailError::Build("no recipients".into()));
    }
    for addr in to {
        let mb: Mailbox = addr
            .parse()
            .map_err(|_| EmailError::Address(addr.clone()))?;
        b = b.to(mb);
    }
    b.multipart(MultiPart::alternative_plain_html(
        rendered.text.clone(),
        rendered.html.clone(),
    ))
    .map_err(|e| EmailError::Build(e.to_string()))
}

/// The RFC 5322 Message-ID of an outbox entry: the same on every retry, so a receiving
/// system can drop duplicates of an at-least-once delivery too.
pub fn message_id_for(outbox_key: &str) -> String {
    format!(
        "<{}@apidrift.invalid>",
        &outbox_key[..outbox_key.len().min(40)]
    )
}

/// An SMTP sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    pub fn new(cfg: &SmtpConfig) -> Result<Mailer, EmailError> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str());
        match cfg.tls {
            TlsMode::None => {}
            TlsMode::Starttls | TlsMode::Tls => {
                let params = match &cfg.ca_file {
                    None => TlsParameters::new(cfg.host.clone()),
                    Some(path) => {
                        let pem = std::fs::read(path).map_err(|e| {
                            EmailError::Config(format!("cannot read `{}`: {e}", path.display()))
                        })?;
                        let ca = Certificate::from_pem(&pem).map_err(|e| {
                            EmailError::Config(format!("`{}`: {e}", path.display()))
                        })?;
                        // Only the configured CA: a private relay's certificate is not
                        // in the system store, and trusting both would widen the set.
                        TlsParameters::builder(cfg.host.clone())
                            .certificate_store(CertificateStore::None)
                            .add_root_certificate(ca)
                            .build()
                    }
                }
                .map_err(|e| EmailError::Config(e.to_string()))?;
                b = b.tls(if cfg.tls == TlsMode::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                });
            }
        }
        b = b.port(cfg.port).timeout(Some(cfg.timeout));
        match (&cfg.username, &cfg.password) {
            (Some(u), Some(p)) => {
                b = b.credentials(Credentials::new(u.clone(), p.expose().to_string()));
            }
            (None, None) => {}
            _ => {
                return Err(EmailError::Config(
                    "username and password go together".into(),
                ));
            }
        }
        Ok(Mailer {
            transport: b.build(),
            from: cfg.from.clone(),
        })
    }

    pub fn from(&self) -> &str {
        &self.from
    }

    /// Sends one message. A 5xx answer (rejected recipient or message) is permanent;
    /// anything else (connection, timeout, 4xx) is retried.
    pub async fn send(&self, msg: Message) -> Result<(), DeliveryError> {
        match self.transport.send(msg).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::permanent(format!(
                "smtp: rejected ({})",
                e.status()
                    .map_or("permanent".to_string(), |c| c.to_string())
            ))),
            Err(e) => Err(DeliveryError::retryable(if e.is_transient() {
                format!(
                    "smtp: temporary failure ({})",
                    e.status()
                        .map_or("transient".to_string(), |c| c.to_string())
                )
            } else if e.is_timeout() {
                "smtp: timeout".to_string()
            } else {
                "smtp: connection failed".to_string()
            })),
        }
    }

    /// Renders and sends `event` as `kind` to `to`.
    pub async fn send_event(
        &self,
        kind: NoticeKind,
        event: &Event,
        to: &[String],
        message_id: &str,
        links: &Links,
    ) -> Result<(), DeliveryError> {
        let rendered = render(kind, event, links);
        let msg = build_message(&self.from, to, message_id, &rendered)
            .map_err(|e| DeliveryError::permanent(format!("email: {e}")))?;
        self.send(msg).await
    }
}
