//! Signed webhook delivery: one POST of an event with the `X-Apidrift-*` headers, and the
//! signature scheme receivers verify.
//!
//! Owns: `WebhookConfig`, `sign`, `signature_header`, `verify` (written plainly so a
//! receiver can port it), and `post` (one attempt; retries belong to the `Outbox`).
//!
//! Must not: log the secret, the signature or the body; follow redirects (a redirect
//! could hand the signed body to another host).
//!
//! Signature: `X-Apidrift-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

use super::outbox::DeliveryError;
use super::secret::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

pub const HEADER_EVENT: &str = "X-Apidrift-Event";
pub const HEADER_DELIVERY: &str = "X-Apidrift-Delivery";
pub const HEADER_SIGNATURE: &str = "X-Apidrift-Signature";

/// A configured webhook (from `webhooks:` in `apidrift.yaml`, secret already resolved).
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub name: String,
    pub url: String,
    pub secret: Secret,
    pub timeout: Duration,
}

/// Hex HMAC-SHA256 of `"<t>.<body>"`.
pub fn sign(secret: &Secret, t: i64, body: &[u8]) -> String {
    hex::encode(mac(secret, t, body).finalize().into_bytes())
}

fn mac(secret: &Secret, t: i64, body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut m = HmacSha256::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `X-Apidrift-Signature` header value for `body` signed at unix time `t`.
pub fn signature_header(secret: &Secret, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", sign(secret, t, body))
}

/// Why a signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("signature header is malformed")]
    Malformed,
    #[error("signature timestamp is outside the tolerance (replay or clock skew)")]
    Stale,
    #[error("no v1 signature matches")]
    Mismatch,
}

/// Verifies a `X-Apidrift-Signature` header for `body` at unix time `now`.
///
/// 1. Split the header on `,`; take `t=` (integer seconds) and every `v1=` (hex).
/// 2. Reject when `|now - t| > tolerance_secs` (a replayed old delivery).
/// 3. Compute HMAC-SHA256(secret, "<t>.<body>") and compare it in constant time with
///    each `v1` (several are allowed so a secret can be rotated).
pub fn verify(
    secret: &Secret,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let mut t: Option<i64> = None;
    let mut sigs: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        let (k, v) = part.trim().split_once('=').ok_or(VerifyError::Malformed)?;
        match k {
            "t" => t = Some(v.parse().map_err(|_| VerifyError::Malformed)?),
            "v1" => sigs.push(hex::decode(v).map_err(|_| VerifyError::Malformed)?),
            _ => {}
        }
    }
    let t = t.ok_or(VerifyError::Malformed)?;
    if sigs.is_empty() {
        return Err(VerifyError::Malformed);
    }
    if (now - t).abs() > tolerance_secs {
        return Err(VerifyError::Stale);
    }
    for s in &sigs {
        if mac(secret, t, body).verify_slice(s).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

/// One delivery attempt: POST `body` to the webhook. 2xx is delivered; anything else
/// (status, timeout, connection error) is a retryable failure whose message carries no
/// secret and no body.
pub async fn post(
    client: &reqwest::Client,
    hook: &WebhookConfig,
    event_type: &str,
    delivery_id: &str,
    body: &[u8],
    now_unix: i64,
) -> Result<(), DeliveryError> {
    let sig = signature_header(&hook.secret, now_unix, body);
    let resp = client
        .post(&hook.url)
        .timeout(hook.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(
            reqwest::header::USER_AGENT,
            concat!("apidrift/", env!("CARGO_PKG_VERSION")),
        )
        .header(HEADER_EVENT, event_type)
        .header(HEADER_DELIVERY, delivery_id)
        .header(HEADER_SIGNATURE, sig)
        .body(body.to_vec())
        .send()
        .await
        .map_err(|e| {
            let what = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "connect"
            } else {
                "request"
            };
            DeliveryError::retryable(format!("webhook `{}`: {what} error", hook.name))
        })?;
    let status = resp.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(DeliveryError::retryable(format!(
            "webhook `{}`: HTTP {}",
            hook.name,
            status.as_u16()
        )))
    }
}

/// A client fit for webhooks: no redirects, rustls.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_round_trips_and_rejects_tampering_and_replay() {
        let s = Secret::new("k");
        let h = signature_header(&s, 1_000, b"{}");
        assert_eq!(verify(&s, &h, b"{}", 1_010, 300), Ok(()));
        assert_eq!(
            verify(&s, &h, b"{ }", 1_010, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(&Secret::new("j"), &h, b"{}", 1_010, 300),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(verify(&s, &h, b"{}", 2_000, 300), Err(VerifyError::Stale));
        assert_eq!(
            verify(&s, "v1=zz", b"{}", 1_000, 300),
            Err(VerifyError::Malformed)
        );
        assert_eq!(
            verify(&s, "garbage", b"{}", 1_000, 300),
            Err(VerifyError::Malformed)
        );
    }

    #[test]
    fn signature_matches_a_known_vector() {
        // HMAC-SHA256(key="key", "1.{}") computed independently with Python's hmac module.
        let s = Secret::new("key");
        assert_eq!(
            sign(&s, 1, b"{}"),
            "1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
        );
    }
}
