//! Notification metrics, registered on the daemon's `prometheus::Registry`.
//!
//! Owns: `NotifyMetrics` with `apidrift_notifications_total{channel,result}`,
//! `apidrift_outbox_pending{channel}` and `apidrift_outbox_dead_letters_total{channel}`.
//! Labels are closed sets: `channel` is `email|webhook|command`, `result` is
//! `delivered|failed|dead_lettered`. Must not: put a destination, URL or event id in a
//! label, or own a registry (the daemon does).

use prometheus::{IntCounterVec, IntGaugeVec, Opts, Registry};

/// Every `channel` label value.
pub const CHANNELS: &[&str] = &["email", "webhook", "command"];
/// Every `result` label value.
pub const RESULTS: &[&str] = &["delivered", "failed", "dead_lettered"];

/// The notification metrics. Cheap to clone (the vectors are reference-counted).
#[derive(Clone, Debug)]
pub struct NotifyMetrics {
    pub notifications_total: IntCounterVec,
    pub outbox_pending: IntGaugeVec,
    pub outbox_dead_letters_total: IntCounterVec,
}

impl NotifyMetrics {
    /// Creates the metrics and registers them on `registry`. Every label combination is
    /// initialised to 0 so rates and alerts see a series before the first failure.
    pub fn register(registry: &Registry) -> Result<NotifyMetrics, prometheus::Error> {
        let notifications_total = IntCounterVec::new(
            Opts::new(
                "apidrift_notifications_total",
                "Notification delivery attempts by channel and result",
            ),
            &["channel", "result"],
        )?;
        let outbox_pending = IntGaugeVec::new(
            Opts::new(
                "apidrift_outbox_pending",
                "Notifications waiting in the outbox for delivery",
            ),
            &["channel"],
        )?;
        let outbox_dead_letters_total = IntCounterVec::new(
            Opts::new(
                "apidrift_outbox_dead_letters_total",
                "Notifications given up after the retry limit",
            ),
            &["channel"],
        )?;
        for c in CHANNELS {
            for r in RESULTS {
                notifications_total.with_label_values(&[c, r]);
            }
            outbox_pending.with_label_values(&[c]);
            outbox_dead_letters_total.with_label_values(&[c]);
        }
        registry.register(Box::new(notifications_total.clone()))?;
        registry.register(Box::new(outbox_pending.clone()))?;
        registry.register(Box::new(outbox_dead_letters_total.clone()))?;
        Ok(NotifyMetrics {
            notifications_total,
            outbox_pending,
            outbox_dead_letters_total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus::Encoder;

    #[test]
    fn metrics_register_and_expose_every_label_combination() {
        let reg = Registry::new();
        let m = NotifyMetrics::register(&reg).unwrap();
        m.notifications_total
            .with_label_values(&["webhook", "failed"])
            .inc();
        let mut out = Vec::new();
        prometheus::TextEncoder::new()
            .encode(&reg.gather(), &mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("apidrift_notifications_total{channel=\"webhook\",result=\"failed\"} 1")
        );
        assert!(text.contains("apidrift_outbox_pending{channel=\"email\"} 0"));
        assert!(text.contains("apidrift_outbox_dead_letters_total{channel=\"command\"} 0"));
        // Registering twice on one registry is an error, not a silent duplicate.
        assert!(NotifyMetrics::register(&reg).is_err());
    }
}
