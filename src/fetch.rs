//! The only code that makes requests to vendors. Owns: the HTTP client (rustls), size
//! limit, per-attempt timeout, retries with backoff on transient errors, conditional
//! requests (ETag / Last-Modified), reading `path:` sources, and the closed set of
//! failure reasons; also the GET of live sample responses (`get_sample`). Must not:
//! parse specs, decide drift, or log a credential, a query string or a response body.

use crate::monitor::secret::{Auth, ResolvedAuth};
use crate::monitor::{Monitor, Source};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Why a check failed. A closed set: it is a metric label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// No complete response within the monitor's `timeout`.
    Timeout,
    /// DNS, refused or reset connection, a transfer cut short, an unreadable `path:`.
    Connect,
    /// TLS handshake or certificate failure.
    Tls,
    /// A status other than 2xx or 304 (after retries for 5xx and 429).
    HttpStatus,
    /// The body is larger than `max_spec_bytes`.
    TooLarge,
    /// The body is not a readable spec (HTML, truncated, not OpenAPI/Swagger).
    Parse,
    /// A sample request was refused (401/403): the fetcher's credentials may no longer
    /// see the data. A visibility risk, not a vendor outage.
    Forbidden,
}

impl FailureReason {
    pub const ALL: [FailureReason; 7] = [
        FailureReason::Timeout,
        FailureReason::Connect,
        FailureReason::Tls,
        FailureReason::HttpStatus,
        FailureReason::TooLarge,
        FailureReason::Parse,
        FailureReason::Forbidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::Timeout => "timeout",
            FailureReason::Connect => "connect",
            FailureReason::Tls => "tls",
            FailureReason::HttpStatus => "http_status",
            FailureReason::TooLarge => "too_large",
            FailureReason::Parse => "parse",
            FailureReason::Forbidden => "forbidden",
        }
    }

    fn transient(self) -> bool {
        matches!(self, FailureReason::Timeout | FailureReason::Connect)
    }
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed fetch: the reason label and a message safe to show (no URL query, no body).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{reason}: {message}")]
pub struct FetchError {
    pub reason: FailureReason,
    pub message: String,
}

impl FetchError {
    pub fn new(reason: FailureReason, message: impl Into<String>) -> FetchError {
        FetchError {
            reason,
            message: message.into(),
        }
    }
}

/// Validators from the last good response, sent as If-None-Match / If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// What a fetch returned.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: the document is the one the validators describe.
    NotModified,
    Body {
        bytes: Vec<u8>,
        validators: Validators,
    },
}

/// Fetches specs. Cheap to clone (the client is shared).
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_bytes: u64,
    retries: u32,
    backoff: Duration,
}

impl Fetcher {
    /// `retries` extra attempts after a transient failure, waiting `backoff`, then
    /// twice that, and so on (plus up to 25% jitter).
    pub fn new(max_bytes: u64, retries: u32, backoff: Duration) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("apidrift/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| FetchError::new(FailureReason::Tls, e.without_url().to_string()))?;
        Ok(Fetcher {
            client,
            max_bytes,
            retries,
            backoff,
        })
    }

    /// Fetches the monitor's spec. `validators` (from the last good response) make the
    /// request conditional.
    pub async fn fetch(&self, m: &Monitor, validators: &Validators) -> Result<Fetched, FetchError> {
        match &m.source {
            Source::Path(p) => self.read_file(p).await,
            Source::Url(u) => {
                let auth = resolve_auth(m.auth.as_ref())?;
                self.retrying(&m.name, || self.once(u, m, auth.as_ref(), validators))
                    .await
            }
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent,
    /// sleeping with exponential backoff and up to 25% jitter between attempts.
    async fn retrying<T, F, Fut>(&self, what: &str, mut attempt: F) -> Result<T, FetchError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, (FetchError, bool)>>,
    {
        let mut tries = 0;
        loop {
            match attempt().await {
                Err((e, retry)) if retry && tries < self.retries => {
                    let wait = self.backoff.saturating_mul(1 << tries.min(16));
                    let jitter = wait.mul_f64(fastrand::f64() * 0.25);
                    tracing::debug!(what, reason = %e.reason, attempt = tries, "retrying");
                    tokio::time::sleep(wait + jitter).await;
                    tries += 1;
                }
                Err((e, _)) => return Err(e),
                Ok(v) => return Ok(v),
            }
        }
    }

    /// Reads a body in chunks, refusing it as soon as it passes the size limit.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, (FetchError, bool)> {
        if resp.content_length().is_some_and(|n| n > self.max_bytes) {
            return Err((too_large(self.max_bytes), false));
        }
        let mut bytes = Vec::new();
        while let Some(c) = resp.chunk().await.map_err(classify)? {
            if (bytes.len() + c.len()) as u64 > self.max_bytes {
                return Err((too_large(self.max_bytes), false));
            }
            bytes.extend_from_slice(&c);
        }
        Ok(bytes)
    }

    async fn read_file(&self, p: &std::path::Path) -> Result<Fetched, FetchError> {
        let shown = p.display().to_string();
        let meta = tokio::fs::metadata(p)
            .await
            .map_err(|e| FetchError::new(FailureReason::Connect, format!("{shown}: {e}")))?;
        if meta.len() > self.max_bytes {
            return Err(too_large(self.max_bytes));
        }
        let bytes = tokio::fs::read(p)
            .await
            .map_err(|e| FetchError::new(FailureReason::Connect, format!("{shown}: {e}")))?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(too_large(self.max_bytes));
        }
        Ok(Fetched::Body {
            bytes,
            validators: Validators::default(),
        })
    }

    /// One attempt; the bool says whether a retry may help.
    async fn once(
        &self,
        url: &url::Url,
        m: &Monitor,
        auth: Option<&ResolvedAuth>,
        validators: &Validators,
    ) -> Result<Fetched, (FetchError, bool)> {
        let mut req = self.client.get(url.clone()).timeout(m.timeout);
        if !m.headers.keys().any(|k| k.eq_ignore_ascii_case("accept")) {
            req = req.header(
                "accept",
                "application/json, application/yaml;q=0.9, text/yaml;q=0.8, */*;q=0.5",
            );
        }
        for (k, v) in &m.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if let Some(a) = auth {
            req = a.apply(req);
        }
        if let Some(e) = &validators.etag {
            req = req.header("if-none-match", e.as_str());
        }
        if let Some(l) = &validators.last_modified {
            req = req.header("if-modified-since", l.as_str());
        }
        let resp = req.send().await.map_err(classify)?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry = status.is_server_error() || status.as_u16() == 429;
            return Err((
                FetchError::new(
                    FailureReason::HttpStatus,
                    format!("HTTP {}", status.as_u16()),
                ),
                retry,
            ));
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let bytes = self.read_body(resp).await?;
        Ok(Fetched::Body { bytes, validators })
    }
}

/// A sample response: status, the two lifecycle headers (no other header is kept: they
/// may carry secrets) and the body, read under the size limit.
#[derive(Debug, Clone)]
pub struct SampleResponse {
    pub status: u16,
    /// `(name, value)` of `Deprecation` and `Sunset`, lowercase names.
    pub lifecycle_headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Fetcher {
    /// GETs one sample (`samples:` of a monitor): same client, size limit, timeout and
    /// retries as specs. A 401/403 comes back as a response with its status and no body
    /// (the caller reports `forbidden`); any other non-2xx fails as `http_status`. The URL (with its query) is never logged or put in an error.
    pub async fn get_sample(
        &self,
        url: &url::Url,
        auth: Option<&Auth>,
        timeout: Duration,
    ) -> Result<SampleResponse, FetchError> {
        let auth = resolve_auth(auth)?;
        self.retrying("sample", || self.sample_once(url, auth.as_ref(), timeout))
            .await
    }

    async fn sample_once(
        &self,
        url: &url::Url,
        auth: Option<&ResolvedAuth>,
        timeout: Duration,
    ) -> Result<SampleResponse, (FetchError, bool)> {
        let mut req = self
            .client
            .get(url.clone())
            .timeout(timeout)
            .header("accept", "application/json");
        if let Some(a) = auth {
            req = a.apply(req);
        }
        let resp = req.send().await.map_err(classify)?;
        let status = resp.status().as_u16();
        if status == 401 || status == 403 {
            // Returned, not failed: the caller reports `forbidden` with the status and
            // folds it into the verdict. The body is not read.
            return Ok(SampleResponse {
                status,
                lifecycle_headers: Vec::new(),
                bytes: Vec::new(),
            });
        }
        if !resp.status().is_success() {
            let retry = resp.status().is_server_error() || status == 429;
            return Err((
                FetchError::new(FailureReason::HttpStatus, format!("HTTP {status}")),
                retry,
            ));
        }
        let lifecycle_headers = ["deprecation", "sunset"]
            .into_iter()
            .filter_map(|n| {
                let v = resp.headers().get(n)?.to_str().ok()?;
                Some((n.to_string(), v.to_string()))
            })
            .collect();
        let bytes = self.read_body(resp).await?;
        Ok(SampleResponse {
            status,
            lifecycle_headers,
            bytes,
        })
    }
}

/// Reads a monitor's credentials now (at request time, never cached across checks).
fn resolve_auth(auth: Option<&Auth>) -> Result<Option<ResolvedAuth>, FetchError> {
    auth.map(|a| a.resolve())
        .transpose()
        .map_err(|e| FetchError::new(FailureReason::Connect, e))
}

fn too_large(max: u64) -> FetchError {
    FetchError::new(
        FailureReason::TooLarge,
        format!("body larger than max_spec_bytes ({max} bytes)"),
    )
}

/// Maps a client error to a reason, and whether a retry may help.
fn classify(e: reqwest::Error) -> (FetchError, bool) {
    let e = e.without_url();
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = src {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        src = s.source();
    }
    let message = chain.trim().to_string();
    let reason = if e.is_timeout() {
        FailureReason::Timeout
    } else if ["certificate", "tls", "handshake", "ssl"]
        .iter()
        .any(|w| chain.contains(w))
    {
        FailureReason::Tls
    } else {
        FailureReason::Connect
    };
    (FetchError::new(reason, message), reason.transient())
}
