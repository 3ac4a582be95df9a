//! The daemon's HTTP surface: the pages `/` and `/integrations/{name}` (rendered by
//! `web`, served with its strict CSP headers), `/metrics`, `/healthz`, `/readyz`,
//! `/api/v1/integrations`, `/api/v1/integrations/{name}/changes`,
//! `/api/v1/integrations/{name}/history` and `/api/v1/integrations/{name}/preflight`.
//! Must not: run checks or change state; it reads what the scheduler recorded.

use super::Shared;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(status_page))
        .route("/integrations/{name}", get(integration_page))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/api/v1/integrations", get(integrations))
        .route("/api/v1/integrations/{name}/changes", get(changes))
        .route("/api/v1/integrations/{name}/history", get(history))
        .route("/api/v1/integrations/{name}/preflight", get(preflight))
        .with_state(shared)
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

async fn metrics(State(s): State<Arc<Shared>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        s.metrics.render(),
    )
        .into_response()
}

async fn readyz(State(s): State<Arc<Shared>>) -> Response {
    if s.ready.load(Ordering::SeqCst) {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

async fn integrations(State(s): State<Arc<Shared>>) -> Json<Value> {
    let views = s.views();
    Json(json!({ "integrations": views }))
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
