//! Routing notices to channels and delivering outbox entries through the real ones.
//!
//! Owns: `Routes` (a monitor's `notify:` section: email recipients, webhook names,
//! command), `enqueue_notice` (one outbox entry per destination), and `Dispatcher`, the
//! `Deliver` implementation over SMTP, webhooks and local commands.
//!
//! Must not: decide whether to notify (`Tracker` does) or retry by itself (`Outbox` does).

use super::command::{self, CommandConfig};
use super::email::{self, Links, Mailer};
use super::event::Event;
use super::outbox::{Channel, Deliver, DeliveryError, Outbox, OutboxEntry};
use super::tracker::{Notice, NoticeKind};
use super::webhook::{self, WebhookConfig};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::io;

/// Where one monitor's notices go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routes {
    /// `notify.email`: recipient addresses; one email goes to all of them.
    pub email: Vec<String>,
    /// `notify.webhook`: names of entries of `webhooks` in `apidrift.yaml`.
    pub webhooks: Vec<String>,
    /// `notify.command`: a name of a configured command.
    pub command: Option<String>,
}

/// Every `(channel, destination)` of `routes` that takes notices of `kind` (reminders
/// go to email only): one email to all recipients (sorted, deduplicated), each webhook,
/// the command.
pub fn destinations(routes: &Routes, kind: NoticeKind) -> Vec<(Channel, String)> {
    let mut out = Vec::new();
    if !routes.email.is_empty() {
        let mut to = routes.email.clone();
        to.sort();
        to.dedup();
        out.push((Channel::Email, to.join(",")));
    }
    if kind.for_machines() {
        out.extend(
            routes
                .webhooks
                .iter()
                .map(|w| (Channel::Webhook, w.clone())),
        );
        if let Some(c) = &routes.command {
            out.push((Channel::Command, c.clone()));
        }
    }
    out
}

/// Enqueues `event` for every destination of `routes` that takes `notice.kind`
/// (`destinations`). Returns how many entries were new.
pub fn enqueue_notice(
    outbox: &Outbox,
    routes: &Routes,
    notice: &Notice,
    event: &Event,
    now: DateTime<Utc>,
) -> io::Result<usize> {
    let mut added = 0;
    for (channel, dest) in destinations(routes, notice.kind) {
        added += usize::from(outbox.enqueue(
            channel,
            &dest,
            &notice.message_id,
            notice.kind,
            event,
            now,
        )?);
    }
    Ok(added)
}

/// Delivers outbox entries through SMTP, webhooks and commands.
#[derive(Debug, Default)]
pub struct Dispatcher {
    pub mailer: Option<Mailer>,
    pub links: Links,
    pub webhooks: BTreeMap<String, WebhookConfig>,
    pub commands: BTreeMap<String, CommandConfig>,
    pub client: Option<reqwest::Client>,
}

impl Deliver for Dispatcher {
    async fn deliver(&self, entry: &OutboxEntry) -> Result<(), DeliveryError> {
        let body = entry.event.to_json();
        let event_type = entry.notice.event_kind().as_str();
        match entry.channel {
            Channel::Email => {
                let Some(mailer) = &self.mailer else {
                    return Err(DeliveryError::retryable("email: no smtp configured"));
                };
                let to: Vec<String> = entry.destination.split(',').map(str::to_string).collect();
                mailer
                    .send_event(
                        entry.notice,
                        &entry.event,
                        &to,
                        &email::message_id_for(&entry.key),
                        &self.links,
                    )
                    .await
            }
            Channel::Webhook => {
                let Some(hook) = self.webhooks.get(&entry.destination) else {
                    return Err(DeliveryError::retryable(format!(
                        "webhook `{}` is not configured",
                        entry.destination
                    )));
                };
                let fallback;
                let client = match &self.client {
                    Some(c) => c,
                    None => {
                        fallback = webhook::client();
                        &fallback
                    }
                };
                webhook::post(
                    client,
                    hook,
                    event_type,
                    &entry.event.id,
                    &body,
                    Utc::now().timestamp(),
                )
                .await
            }
            Channel::Command => {
                let Some(cmd) = self.commands.get(&entry.destination) else {
                    return Err(DeliveryError::retryable(format!(
                        "command `{}` is not configured",
                        entry.destination
                    )));
                };
                command::run(cmd, event_type, &entry.event.id, &body).await
            }
        }
    }
}
