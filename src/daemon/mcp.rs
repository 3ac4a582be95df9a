//! placeholder
use super::Shared;
use std::sync::Arc;
pub fn service(_s: Arc<Shared>) -> axum::routing::MethodRouter {
    axum::routing::get(|| async { "mcp" })
}
