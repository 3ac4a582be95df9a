//! The daemon's HTTP surface: the pages `/` and `/integrations/{name}` (rendered by
//! `web`, served with its strict CSP headers), `/metrics`, `/healthz`, `/readyz`,
//! `/api/v1/integrations`, `/api/v1/integrations/{name}/changes`,
//! `/api/v1/integrations/{name}/history` and `/api/v1/integrations/{name}/preflight`;
//! the control API: `POST /api/v1/integrations/{name}/check`,
//! `POST|DELETE /api/v1/integrations/{name}/ack`, `POST /api/v1/contracts/dry-run`;
//! and `/mcp` (the MCP server over streamable HTTP, `mcp`).
//!
//! Every route but `/healthz`, `/readyz` and `/metrics` goes through `guard`, which
//! applies `auth::Access` (reads: open unless `api.require_token`; dry-runs and `/mcp`:
//! a token; check-now and acks: an `operate` token), logs a refusal without the token
//! and counts it in `apidrift_api_auth_failures_total{reason}`.
//! Must not: decide drift or write state itself (the control routes call `control`),
//! or accept a baseline (no route does).

use super::Shared;
use super::auth::{Access, Caller, Denied};
use super::control::{AckRequest, ControlError, DryRunRequest};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The largest request body the API reads (a dry-run contract at its limits fits).
const MAX_BODY: usize = 256 * 1024;

pub fn router(shared: Arc<Shared>) -> Router {
    let guarded = |access: Access| middleware::from_fn_with_state((shared.clone(), access), guard);
    let reads = Router::new()
        .route("/", get(status_page))
        .route("/integrations/{name}", get(integration_page))
        .route("/api/v1/integrations", get(integrations))
        .route("/api/v1/integrations/{name}", get(detail))
        .route("/api/v1/integrations/{name}/changes", get(changes))
        .route("/api/v1/integrations/{name}/history", get(history))
        .route("/api/v1/integrations/{name}/preflight", get(preflight))
        .route_layer(guarded(Access::Read));
    let tokens = Router::new()
        .route("/api/v1/contracts/dry-run", post(dry_run))
        .route_layer(guarded(Access::Token));
    let operate = Router::new()
        .route("/api/v1/integrations/{name}/check", post(check_now))
        .route(
            "/api/v1/integrations/{name}/ack",
            post(ack).delete(clear_ack),
        )
        .route_layer(guarded(Access::Operate));
    let mcp = Router::new()
        .route_service("/mcp", super::mcp::service(shared.clone()))
        .layer(guarded(Access::Token));
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .merge(reads)
        .merge(tokens)
        .merge(operate)
        .with_state(shared)
        .merge(mcp)
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// Lets a request through when its token allows `access`; puts the `Caller` in its
/// extensions. A refusal names neither the token presented nor the ones configured.
async fn guard(
    State((s, access)): State<(Arc<Shared>, Access)>,
    mut req: Request,
    next: Next,
) -> Response {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}invalid"));
    match s.tokens.check(header, access) {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(d) => {
            s.metrics.auth_failure(d);
            tracing::warn!(reason = d.reason(), method = %req.method(), path = %req.uri().path(), "API request refused");
            denied(d)
        }
    }
}

fn denied(d: Denied) -> Response {
    let (status, msg) = match d {
        Denied::Missing | Denied::Invalid => (
            StatusCode::UNAUTHORIZED,
            "a valid bearer token is required (Authorization: Bearer TOKEN; see api.tokens)",
        ),
        Denied::Scope => (
            StatusCode::FORBIDDEN,
            "this token's scope does not allow this request; it needs an `operate` token",
        ),
    };
    let mut r = (status, Json(json!({"error": msg, "reason": d.reason()}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"apidrift\""),
        );
    }
    r
}

fn control_error(e: ControlError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, Json(json!({"error": e.to_string()}))).into_response();
    if let Some(secs) = e.retry_after()
        && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

async fn detail(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match tokio::task::spawn_blocking(move || s.detail(&name)).await {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => control_error(e),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn check_now(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match s.check_now(&name).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => control_error(e),
    }
}

/// A JSON body, or a 422 that says what is wrong with it.
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ControlError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_slice(b"{}")
            .map_err(|e| ControlError::Invalid(format!("the request needs a JSON body: {e}")));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ControlError::Invalid(format!("invalid JSON body: {e}")))
}

async fn ack(
    State(s): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    bytes: axum::body::Bytes,
) -> Response {
    let req: AckRequest = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return control_error(e),
    };
    match s.acknowledge(&name, req, &caller.actor()).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => control_error(e),
    }
}

async fn clear_ack(
    State(s): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Response {
    match s.clear_ack(&name, &caller.actor()).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => control_error(e),
    }
}

async fn dry_run(State(s): State<Arc<Shared>>, bytes: axum::body::Bytes) -> Response {
    let req: DryRunRequest = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return control_error(e),
    };
    match s.dry_run(req).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => control_error(e),
    }
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    for (name, value) in crate::web::headers() {
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    r
}

async fn status_page(
    State(s): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let q = crate::web::Query::parse(&params);
    let body = tokio::task::spawn_blocking(move || s.status_html(&q)).await;
    match body {
        Ok(b) => html(StatusCode::OK, b),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn integration_page(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    let n = name.clone();
    // Reads the history and the baseline log: off the async workers.
    match tokio::task::spawn_blocking(move || s.integration_html(&n)).await {
        Ok(Some(b)) => html(StatusCode::OK, b),
        Ok(None) => html(StatusCode::NOT_FOUND, crate::web::not_found_page(&name)),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn history(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    let n = name.clone();
    match tokio::task::spawn_blocking(move || s.history(&n)).await {
        Ok(Some(Ok(v))) => Json(v).into_response(),
        Ok(Some(Err(e))) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": format!("cannot read the history: {e}")})),
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("no integration named `{name}`")})),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A job for the render thread.
type RenderJob = Box<dyn FnOnce() + Send>;

/// The one thread that renders `/metrics` and the integrations list, in turn.
/// Rendering 10,000 integrations takes about a second of CPU: on an async worker every
/// scrape stalled the scheduler's checks; on the blocking pool, each render landed on
/// another thread whose allocator arena kept its peak (3x the RSS). Both measured in
/// tests/faults/load.rs. Requests wait for it asynchronously.
static RENDERER: std::sync::OnceLock<Option<std::sync::Mutex<std::sync::mpsc::Sender<RenderJob>>>> =
    std::sync::OnceLock::new();

/// Runs `f` on the render thread; `None` if that thread cannot be started.
async fn rendered<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let sender = RENDERER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<RenderJob>();
        let spawned = std::thread::Builder::new()
            .name("apidrift-render".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            });
        match spawned {
            Ok(_) => Some(std::sync::Mutex::new(tx)),
            Err(e) => {
                tracing::error!(error = %e, "cannot start the render thread");
                None
            }
        }
    });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: RenderJob = Box::new(move || {
        let _ = tx.send(f());
    });
    sender.as_ref()?.lock().ok()?.send(job).ok()?;
    rx.await.ok()
}

async fn metrics(State(s): State<Arc<Shared>>) -> Response {
    let body = rendered(move || {
        s.refresh_ack_metrics();
        s.metrics.render()
    })
    .await;
    match body {
        Some(body) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            body,
        )
            .into_response(),
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn readyz(State(s): State<Arc<Shared>>) -> Response {
    // With PostgreSQL, not ready while the database does not answer: the checks are
    // paused then, and a load balancer sends people to a replica that works.
    if s.ready.load(Ordering::SeqCst) && s.replica.get().is_none_or(|r| r.is_up()) {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

async fn integrations(State(s): State<Arc<Shared>>) -> Response {
    // As `/metrics`: a few MB of JSON for 10,000 integrations.
    let body = rendered(move || serde_json::to_vec(&json!({ "integrations": s.views() }))).await;
    match body {
        Some(Ok(bytes)) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn changes(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match s.changes(&name) {
        Some(v) => Json(v).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("no integration named `{name}`")})),
        )
            .into_response(),
    }
}

async fn preflight(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match s.preflight(&name) {
        Some(p) => Json(p).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("no integration named `{name}`")})),
        )
            .into_response(),
    }
}
