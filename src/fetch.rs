//! The only code that makes requests to vendors. Owns: the HTTP client (rustls), size
//! limit, per-attempt timeout, retries with backoff on transient errors, conditional
//! requests (ETag / Last-Modified), reading `path:` sources, the extra CA of `ca_file`,
//! name resolution (`Resolver`, so a DNS failure is a typed error), and the closed set
//! of failure reasons, told apart by the types in an error's source chain (the
//! resolver's `DnsError`, `rustls::Error`, `io::Error` kinds), not by its words; also
//! the GET of live sample responses (`get_sample`). Must not:
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
    /// Refused or reset connection, a transfer cut short, an unreadable `path:` or
    /// secret.
    Connect,
    /// The vendor's host name does not resolve (no such name, or the resolver failed).
    Dns,
    /// TLS handshake or certificate failure (expired, untrusted issuer, wrong name).
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
    /// A local fault, not the vendor's: the baseline record or object is unreadable,
    /// corrupt or does not match its digest, the saved state is corrupt, or the parser
    /// task panicked. Fix the daemon's files (see the runbook), not the monitor.
    Internal,
}

impl FailureReason {
    pub const ALL: [FailureReason; 9] = [
        FailureReason::Timeout,
        FailureReason::Connect,
        FailureReason::Dns,
        FailureReason::Tls,
        FailureReason::HttpStatus,
        FailureReason::TooLarge,
        FailureReason::Parse,
        FailureReason::Forbidden,
        FailureReason::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::Timeout => "timeout",
            FailureReason::Connect => "connect",
            FailureReason::Dns => "dns",
            FailureReason::Tls => "tls",
            FailureReason::HttpStatus => "http_status",
            FailureReason::TooLarge => "too_large",
            FailureReason::Parse => "parse",
            FailureReason::Forbidden => "forbidden",
            FailureReason::Internal => "internal",
        }
    }

    fn transient(self) -> bool {
        matches!(
            self,
            FailureReason::Timeout | FailureReason::Connect | FailureReason::Dns
        )
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
        Fetcher::with_ca(max_bytes, retries, backoff, None)
    }

    /// The fetcher of `config`: its size limit, retries and `ca_file`.
    pub fn for_config(config: &crate::monitor::Config) -> Result<Fetcher, FetchError> {
        Fetcher::with_ca(
            config.max_spec_bytes,
            config.retries,
            Duration::from_millis(250),
            config.ca_file.as_deref(),
        )
    }

    /// As `new`, also trusting the CA certificates of the PEM file `ca_file` (in
    /// addition to the system's roots: a private vendor CA, a TLS-inspecting proxy).
    pub fn with_ca(
        max_bytes: u64,
        retries: u32,
        backoff: Duration,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Fetcher, FetchError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("apidrift/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::limited(5))
            .dns_resolver(std::sync::Arc::new(Resolver));
        if let Some(path) = ca_file {
            let shown = path.display();
            let pem = std::fs::read(path).map_err(|e| {
                FetchError::new(FailureReason::Internal, format!("ca_file {shown}: {e}"))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                FetchError::new(FailureReason::Internal, format!("ca_file {shown}: {e}"))
            })?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder
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
    async fn read_body(&self, resp: reqwest::Response) -> Result<Vec<u8>, (FetchError, bool)> {
        read_limited(resp, self.max_bytes).await
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

impl Fetcher {
    /// GETs a document by URL for the loader (`UrlReader`): the client, redirect limit,
    /// retries and failure reasons of a check, with the loader's own size limit (what
    /// is left of it for a remote `$ref`) and timeout.
    pub async fn get_document(
        &self,
        url: &url::Url,
        max_bytes: u64,
        timeout: Duration,
    ) -> Result<Vec<u8>, FetchError> {
        let max_bytes = max_bytes.min(self.max_bytes);
        self.retrying(url.host_str().unwrap_or("remote document"), || async {
            let resp = self
                .client
                .get(url.clone())
                .timeout(timeout)
                .header(
                    "accept",
                    "application/json, application/yaml;q=0.9, text/yaml;q=0.8, */*;q=0.5",
                )
                .send()
                .await
                .map_err(classify)?;
            let status = resp.status();
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
            read_limited(resp, max_bytes).await
        })
        .await
    }
}

/// Reads a body in chunks, refusing it as soon as it passes `max` bytes.
async fn read_limited(
    mut resp: reqwest::Response,
    max: u64,
) -> Result<Vec<u8>, (FetchError, bool)> {
    if resp.content_length().is_some_and(|n| n > max) {
        return Err((too_large(max), false));
    }
    let mut bytes = Vec::new();
    while let Some(c) = resp.chunk().await.map_err(classify)? {
        if (bytes.len() + c.len()) as u64 > max {
            return Err((too_large(max), false));
        }
        bytes.extend_from_slice(&c);
    }
    Ok(bytes)
}

/// The loader's reader of URLs (`spec::Remote`) for the command-line tools: a
/// `Fetcher` on a runtime of its own, blocking the loader's thread.
#[derive(Debug)]
pub struct UrlReader {
    fetcher: Fetcher,
    runtime: tokio::runtime::Runtime,
}

impl UrlReader {
    /// A reader with the size limit `max_bytes` and `retries` as `apidrift.yaml` would
    /// set them for a check.
    pub fn new(max_bytes: u64, retries: u32) -> Result<UrlReader, FetchError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("apidrift-url")
            .enable_all()
            .build()
            .map_err(|e| FetchError::new(FailureReason::Internal, e.to_string()))?;
        Ok(UrlReader {
            fetcher: Fetcher::new(max_bytes, retries, Duration::from_millis(250))?,
            runtime,
        })
    }
}

impl crate::spec::Remote for UrlReader {
    fn get(
        &self,
        url: &str,
        max_bytes: u64,
        timeout: Duration,
    ) -> Result<Vec<u8>, crate::spec::SpecError> {
        use crate::spec::SpecError;
        let fail = |message: String| SpecError::Fetch {
            file: url.to_string(),
            message,
        };
        let parsed = url::Url::parse(url).map_err(|e| fail(e.to_string()))?;
        // On a thread of its own: a loader running inside a runtime (a blocking task)
        // may not block on another one from its own thread.
        let got = std::thread::scope(|s| {
            s.spawn(|| {
                self.runtime
                    .block_on(self.fetcher.get_document(&parsed, max_bytes, timeout))
            })
            .join()
        })
        .map_err(|_| fail("the request thread panicked".to_string()))?;
        got.map_err(|e| match e.reason {
            FailureReason::TooLarge => SpecError::TooLarge {
                file: url.to_string(),
                size: None,
                limit: max_bytes,
            },
            r => fail(format!("{r}: {}", e.message)),
        })
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

/// Maps a client error to a reason, and whether a retry may help. The reason comes from
/// the types in the error's source chain; the message is the chain's text.
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
    if e.is_redirect() {
        // A redirect loop or a chain past the limit: another try walks the same chain.
        return (FetchError::new(FailureReason::HttpStatus, message), false);
    }
    let reason = if e.is_timeout() {
        FailureReason::Timeout
    } else {
        reason_of(&e)
    };
    (FetchError::new(reason, message), reason.transient())
}

/// The reason of the first link in `e`'s source chain that says what happened: the
/// resolver's `DnsError`, a `rustls::Error`, a timed-out `io::Error`. An `io::Error`
/// wrapping another error is followed into it (its `source()` skips the error it wraps;
/// the TLS stack nests two). Anything else on the way to the vendor (refused, reset,
/// cut short) is `connect`.
fn reason_of(e: &(dyn std::error::Error + 'static)) -> FailureReason {
    let mut src = Some(e);
    while let Some(s) = src {
        if s.is::<DnsError>() {
            return FailureReason::Dns;
        }
        if s.is::<rustls::Error>() {
            return FailureReason::Tls;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return FailureReason::Timeout;
            }
            if let Some(inner) = io.get_ref() {
                src = Some(inner);
                continue;
            }
        }
        src = s.source();
    }
    FailureReason::Connect
}

/// A name that did not resolve. Made by `Resolver`, found again by `reason_of`.
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve `{host}`: {message}")]
struct DnsError {
    host: String,
    message: String,
}

/// The system resolver (getaddrinfo on tokio's blocking pool, as reqwest's default),
/// with a typed error so that a DNS failure is reported as `dns`.
struct Resolver;

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let failed = |message: String| -> Box<dyn std::error::Error + Send + Sync> {
                Box::new(DnsError {
                    host: host.clone(),
                    message,
                })
            };
            let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| failed(e.to_string()))?
                .collect();
            if addrs.is_empty() {
                return Err(failed("no address".to_string()));
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_come_from_the_types_in_the_source_chain() {
        let dns = DnsError {
            host: "nonexistent.invalid".into(),
            message: "no such name".into(),
        };
        assert_eq!(reason_of(&dns), FailureReason::Dns);
        // As the TLS stack reports it: an io::Error in an io::Error.
        let tls = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::Expired),
        ));
        assert_eq!(reason_of(&tls), FailureReason::Tls);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(reason_of(&refused), FailureReason::Connect);
        // Words are not types: a refused connection whose text says "certificate" is
        // still `connect`.
        let worded = std::io::Error::other("certificate store unreachable");
        assert_eq!(reason_of(&worded), FailureReason::Connect);
        for r in FailureReason::ALL {
            let json = serde_json::to_string(&r).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
    }
}
