//! The daemon's HTTP surface: `/metrics`, `/healthz`, `/readyz`,
//! `/api/v1/integrations`, `/api/v1/integrations/{name}/changes` and
//! `/api/v1/integrations/{name}/preflight`. Must not: run
//! checks or change state; it reads what the scheduler recorded.

use super::Shared;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/api/v1/integrations", get(integrations))
        .route("/api/v1/integrations/{name}/changes", get(changes))
        .route("/api/v1/integrations/{name}/preflight", get(preflight))
        .with_state(shared)
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
