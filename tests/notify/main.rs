//! Notifications in one test binary: the channel settings, email (rendered mails,
//! in-process SMTP, STARTTLS against a real server), webhooks, and the daemon's
//! outbox end to end.

#[path = "../daemon_support/ca.rs"]
mod ca;
#[path = "../daemon_support/mod.rs"]
mod daemon_support;
#[path = "../notify_fixture/mod.rs"]
mod notify_fixture;

mod notify_config;
mod notify_daemon;
mod notify_email;
mod notify_starttls;
mod notify_webhook;
