//! Email: rendering an `Event` into a multipart text + HTML message, and sending it over
//! SMTP with lettre (plain, STARTTLS or implicit TLS; rustls).
//!
//! Owns: `SmtpConfig`, `TlsMode`, `Mailer`, `render` (subject, text, HTML for each
//! `NoticeKind`) and `build_message`. Must not: put a password in a message or error,
//! or put anything from a spec into HTML unescaped (`html_escape` is applied to every
//! interpolated string), or grow without bound (at most `MAX_CHANGES_LISTED` changes).

use super::event::{Event, EventChange};
use super::outbox::DeliveryError;
use super::secret::Secret;
use super::tracker::NoticeKind;
use crate::diff::Level;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// Changes listed in one email; the rest are counted.
pub const MAX_CHANGES_LISTED: usize = 200;

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

/// Where the email's "how to look" section points.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Base URL of the daemon's HTTP API, e.g. `http://apidrift.internal:9464`.
    pub api_base: Option<String>,
    /// Base URL of the daemon's pages (`external_url`); the email links to
    /// `<page_base>/integrations/<name>`.
    pub page_base: Option<String>,
}

/// The page of `integration` under `base` (no trailing `/` needed): the link every
/// email, webhook event and alert carries.
pub fn page_url(base: &str, integration: &str) -> String {
    let mut name = String::with_capacity(integration.len());
    for b in integration.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{}/integrations/{name}", base.trim_end_matches('/'))
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
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

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A single line: control characters (newlines) become spaces, so nothing from a spec
/// can inject a header or break the layout.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Quotes an argument for a POSIX shell when it needs it.
fn shell_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn headline(event: &Event) -> String {
    let errs = event.count(Level::Err);
    let mut s = if errs > 0 {
        plural(errs, "breaking change", "breaking changes")
    } else {
        plural(event.changes.len(), "change", "changes")
    };
    if let Some(v) = event.visibility() {
        let _ = write!(s, ", visibility {}%", (v * 100.0).round() as i64);
    }
    s
}

/// Subject, text and HTML for `kind` of `event`.
pub fn render(kind: NoticeKind, event: &Event, links: &Links) -> Rendered {
    let name = one_line(&event.integration.name);
    let subject = match kind {
        NoticeKind::DriftConfirmed => format!("[apidrift] {name}: {}", headline(event)),
        NoticeKind::DriftReminder => {
            format!(
                "[apidrift] reminder: {name}: {} still unaccepted",
                headline(event)
            )
        }
        NoticeKind::DriftResolved => format!("[apidrift] {name}: drift resolved"),
        NoticeKind::CheckFailing => {
            let reason = event
                .failure
                .as_ref()
                .map_or("unknown", |f| f.reason.as_str());
            format!(
                "[apidrift] {name}: cannot see the vendor ({})",
                one_line(reason)
            )
        }
        NoticeKind::CheckRecovered => format!("[apidrift] {name}: vendor reachable again"),
    };
    let mut t = Text::default();
    intro(&mut t, kind, event);
    if matches!(
        kind,
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder | NoticeKind::DriftResolved
    ) {
        fields(&mut t, event);
        changes(&mut t, event);
    }
    sources(&mut t, event);
    how_to(&mut t, kind, event, links);
    t.para(&format!("Event id: {}", event.id));
    Rendered {
        subject: one_line(&subject),
        text: t.text,
        html: format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family:sans-serif\">\n{}</body></html>\n",
            html_escape(&subject),
            t.html
        ),
    }
}

/// Builds text and HTML side by side so both parts say the same thing.
#[derive(Default)]
struct Text {
    text: String,
    html: String,
}

impl Text {
    fn para(&mut self, s: &str) {
        let _ = writeln!(self.text, "{s}\n");
        let _ = writeln!(self.html, "<p>{}</p>", html_escape(s));
    }
    fn heading(&mut self, s: &str) {
        let _ = writeln!(self.text, "{s}");
        let _ = writeln!(self.html, "<h3>{}</h3>", html_escape(s));
    }
    fn list(&mut self, items: &[String]) {
        let _ = writeln!(self.html, "<ul>");
        for i in items {
            let _ = writeln!(self.text, "  - {i}");
            let _ = writeln!(self.html, "<li>{}</li>", html_escape(i));
        }
        let _ = writeln!(self.text);
        let _ = writeln!(self.html, "</ul>");
    }
    /// A link: the URL as text, and as the `href` (http(s) only, escaped).
    fn link(&mut self, url: &str) {
        let url = one_line(url);
        let _ = writeln!(self.text, "  {url}\n");
        if url.starts_with("https://") || url.starts_with("http://") {
            let u = html_escape(&url);
            let _ = writeln!(self.html, "<p><a href=\"{u}\">{u}</a></p>");
        } else {
            let _ = writeln!(self.html, "<p>{}</p>", html_escape(&url));
        }
    }
    fn code(&mut self, lines: &[String]) {
        let _ = writeln!(self.html, "<pre>");
        for l in lines {
            let _ = writeln!(self.text, "    {l}");
            let _ = writeln!(self.html, "{}", html_escape(l));
        }
        let _ = writeln!(self.text);
        let _ = writeln!(self.html, "</pre>");
    }
}

fn intro(t: &mut Text, kind: NoticeKind, e: &Event) {
    let name = one_line(&e.integration.name);
    let owner = e
        .integration
        .owner
        .as_deref()
        .map(|o| format!(" (owner: {})", one_line(o)))
        .unwrap_or_default();
    let counts = format!(
        "{} at ERR, {} at WARN, {} at INFO",
        e.count(Level::Err),
        e.count(Level::Warn),
        e.count(Level::Info)
    );
    let vis = e
        .visibility()
        .map(|v| {
            format!(
                " Visibility: {}% of the consumed fields are still seen.",
                (v * 100.0).round() as i64
            )
        })
        .unwrap_or_default();
    let s = match kind {
        NoticeKind::DriftConfirmed => format!(
            "The vendor API of {name}{owner} drifted from its approved baseline: {counts}.{vis}"
        ),
        NoticeKind::DriftReminder => {
            format!("Reminder: the drift of {name}{owner} is still not accepted: {counts}.{vis}")
        }
        NoticeKind::DriftResolved => format!(
            "The drift of {name}{owner} is resolved: the vendor spec matches the baseline again (reverted, or the baseline was accepted). These were the changes:"
        ),
        NoticeKind::CheckFailing => {
            let (reason, since) =
                e.failure
                    .as_ref()
                    .map_or(("unknown".to_string(), String::new()), |f| {
                        (
                            one_line(&f.reason),
                            format!(" since {}", f.since.to_rfc3339()),
                        )
                    });
            format!(
                "apidrift cannot see the vendor of {name}{owner}: every check has failed{since} (reason: {reason}). Drift cannot be detected while this lasts; a drift already known stays known."
            )
        }
        NoticeKind::CheckRecovered => {
            format!("Checks of {name}{owner} succeed again; drift detection has resumed.")
        }
    };
    t.para(&s);
}

fn fields(t: &mut Text, e: &Event) {
    for (state, title) in [
        ("lost", "Consumed fields lost"),
        ("at_risk", "Consumed fields at risk"),
    ] {
        let f = e.consumed_fields(state);
        if !f.is_empty() {
            t.heading(&format!("{title} ({}):", f.len()));
            let f: Vec<String> = f
                .iter()
                .take(MAX_CHANGES_LISTED)
                .map(|s| one_line(s))
                .collect();
            t.list(&f);
        }
    }
    let risks = e.operation_risks();
    if !risks.is_empty() {
        t.heading(&format!("Consumed operations at risk ({}):", risks.len()));
        let r: Vec<String> = risks
            .iter()
            .take(MAX_CHANGES_LISTED)
            .map(|s| one_line(s))
            .collect();
        t.list(&r);
    }
}

fn changes(t: &mut Text, e: &Event) {
    if e.changes.is_empty() {
        return;
    }
    let mut groups: BTreeMap<(String, String), Vec<&EventChange>> = BTreeMap::new();
    for c in &e.changes {
        let ch = &c.change;
        let key = (
            ch.path.clone().unwrap_or_default(),
            ch.operation
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        );
        groups.entry(key).or_default().push(c);
    }
    t.heading("Changes by endpoint:");
    let mut listed = 0;
    for ((path, method), list) in &groups {
        if listed >= MAX_CHANGES_LISTED {
            break;
        }
        let title = if path.is_empty() {
            "(whole document)".to_string()
        } else {
            one_line(format!("{method} {path}").trim())
        };
        let mut items = Vec::new();
        for c in list {
            if listed >= MAX_CHANGES_LISTED {
                break;
            }
            listed += 1;
            let ch = &c.change;
            items.push(one_line(&format!(
                "[{}] {}: {} (consumed: {}, remediation: {}, fingerprint {})",
                ch.level.as_str(),
                ch.id,
                ch.text,
                serde_plain(&c.consumed),
                serde_plain(&c.remediation),
                ch.fingerprint
            )));
        }
        t.heading(&title);
        t.list(&items);
    }
    if e.changes.len() > listed {
        t.para(&format!(
            "... and {} more changes (see the JSON API).",
            e.changes.len() - listed
        ));
    }
}

fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn sources(t: &mut Text, e: &Event) {
    let mut lines = Vec::new();
    if let Some(s) = &e.spec_source {
        lines.push(format!("Vendor spec: {}", one_line(s)));
    }
    if let Some(d) = &e.baseline_digest {
        lines.push(format!("Baseline digest: {}", one_line(d)));
    }
    if let Some(d) = &e.spec_digest {
        lines.push(format!("New spec digest: {}", one_line(d)));
    }
    if !lines.is_empty() {
        t.list(&lines);
    }
}

fn how_to(t: &mut Text, kind: NoticeKind, e: &Event, links: &Links) {
    let name = shell_arg(&e.integration.name);
    let page = e.page_url.clone().or_else(|| {
        links
            .page_base
            .as_deref()
            .map(|b| page_url(b, &e.integration.name))
    });
    if let Some(url) = page {
        t.heading("Open the integration's page:");
        t.link(&url);
    }
    t.heading("How to look:");
    let mut look = vec![format!("apidrift check {name}")];
    if let Some(base) = &links.api_base {
        let base = base.trim_end_matches('/');
        look.push(format!("curl -s {base}/api/v1/integrations/{name}/changes"));
        look.push(format!("curl -s {base}/api/v1/integrations"));
    }
    t.code(&look);
    if matches!(kind, NoticeKind::DriftConfirmed | NoticeKind::DriftReminder) {
        t.heading("How to accept (after fixing the fetcher, or judging the change harmless):");
        t.code(&[format!("apidrift baseline accept {name} --reason \"...\"")]);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escape_and_one_line_neutralize_spec_text() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(one_line("a\r\nBcc: x"), "a  Bcc: x");
        assert_eq!(shell_arg("okta-users"), "okta-users");
        assert_eq!(shell_arg("a b'c"), "'a b'\\''c'");
    }

    #[test]
    fn operation_risks_are_listed_once_per_operation() {
        let mut e = Event::new(
            crate::notify::event::EventKind::DriftConfirmed,
            "evt_x".into(),
            chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap_or_default(),
            crate::notify::event::IntegrationRef {
                name: "okta".into(),
                owner: None,
            },
        );
        e.verdict = serde_json::json!({
            "visibility": 1.0,
            "fields": {"lost": [], "at_risk": []},
            "operation_risks": [{"operation": "GET /u", "kind": "credential",
                "message": "the credential may need to change",
                "reasons": ["api-security-scope-added"]}]
        });
        let r = render(NoticeKind::DriftConfirmed, &e, &Links::default());
        assert!(
            r.text.contains(
                "Consumed operations at risk (1):\n  - GET /u: the credential may need to change (api-security-scope-added)\n"
            ),
            "{}",
            r.text
        );
        assert!(!r.text.contains("Consumed fields at risk"), "{}", r.text);
        assert!(r.html.contains("<h3>Consumed operations at risk (1):</h3>"));
    }
}
