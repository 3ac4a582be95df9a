//! The MCP server, on the official Rust SDK (`rmcp`): the same tools over stdio
//! (`apidrift mcp`, a proxy to a running daemon's API with a configured token) and over
//! streamable HTTP at the daemon's `/mcp` (in process, behind `http::guard`, so the
//! same tokens and scopes apply). Owns the tool list (names, descriptions an agent can
//! act on, input and output JSON Schemas) and the mapping of each tool to `control` or
//! to the API.
//!
//! Tools: `list_integrations`, `get_integration`, `get_history`, `get_preflight`,
//! `dry_run_contract` (any token); `request_check`, `acknowledge` (an `operate` token).
//! Must not: offer a tool that accepts or edits a baseline, reads a secret or the
//! configuration files, or fetches a URL the configuration does not name (tools take
//! integration names, checked against `[a-z0-9-]`, never URLs).

use super::Shared;
use super::auth::Caller;
use super::control::{AckRequest, ControlError, DryRunRequest};
use crate::monitor::api_config::Scope;
use crate::secret::Secret;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use std::sync::Arc;

/// Where the tools get their answers.
enum Backend {
    /// Inside the daemon (`/mcp`): the caller comes from the HTTP request.
    Local(Arc<Shared>),
    /// `apidrift mcp`: a running daemon's API at `base`, with `token`.
    Remote {
        client: reqwest::Client,
        base: String,
        token: Option<Secret>,
    },
}

/// One MCP server (cheap to clone: one per HTTP session or stdio connection).
#[derive(Clone)]
pub struct Server {
    backend: Arc<Backend>,
}

/// A tool call that could not be done: shown to the agent as a tool error.
struct Failure(String);

impl From<ControlError> for Failure {
    fn from(e: ControlError) -> Failure {
        Failure(e.to_string())
    }
}

/// The `/mcp` service of the daemon (stateless streamable HTTP, JSON responses).
pub fn service(
    shared: Arc<Shared>,
) -> rmcp::transport::StreamableHttpService<
    Server,
    rmcp::transport::streamable_http_server::session::never::NeverSessionManager,
> {
    let server = Server {
        backend: Arc::new(Backend::Local(shared)),
    };
    // Host checks are off: `/mcp` needs a bearer token (which a rebinding page cannot
    // send), and behind a reverse proxy the Host is the proxy's name.
    let config = rmcp::transport::StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .disable_allowed_hosts();
    rmcp::transport::StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(Default::default()),
        config,
    )
}

impl Server {
    /// A stdio server that asks the daemon at `base` (e.g. `http://127.0.0.1:9464`).
    pub fn remote(base: &str, token: Option<Secret>) -> Result<Server, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(330))
            .build()?;
        Ok(Server {
            backend: Arc::new(Backend::Remote {
                client,
                base: base.trim_end_matches('/').to_string(),
                token,
            }),
        })
    }

    /// Serves MCP on stdin/stdout until the client closes it.
    pub async fn serve_stdio(self) -> Result<(), String> {
        use rmcp::ServiceExt;
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| e.to_string())?;
        running.waiting().await.map_err(|e| e.to_string())?;
        Ok(())
    }
}

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(m) => Arc::new(m),
        _ => Arc::new(JsonObject::new()),
    }
}

const NAME: &str =
    "The integration's name, as in `list_integrations` (lowercase letters, digits and `-`).";

fn name_input() -> Value {
    json!({
        "type": "object",
        "properties": {"name": {"type": "string", "pattern": "^[a-z0-9-]{1,63}$", "description": NAME}},
        "required": ["name"],
        "additionalProperties": false
    })
}

/// The summary every integration tool returns (more keys may follow).
fn integration_output(extra: Value) -> Value {
    let mut props = json!({
        "name": {"type": "string"},
        "status": {"type": "string", "enum": ["unknown", "no_baseline", "ok", "drifted", "failing"]},
        "owner": {"type": ["string", "null"]},
        "last_check": {"type": ["string", "null"], "description": "RFC 3339"},
        "counts": {"type": "object"},
        "drift": {"type": ["object", "null"], "description": "id, fingerprints, first_seen, confirmed"},
        "failure": {"type": ["object", "null"]},
        "verdict": {"type": ["object", "null"], "description": "visibility ratio and consumed fields ok / at_risk / lost"},
        "acknowledged": {"type": ["object", "null"], "description": "by, reason, at, until of the acknowledgement silencing this drift"},
    });
    if let (Some(p), Value::Object(e)) = (props.as_object_mut(), extra) {
        p.extend(e);
    }
    json!({"type": "object", "properties": props, "required": ["name", "status"]})
}

fn tools() -> Vec<Tool> {
    let read = ToolAnnotations::new().read_only(true);
    let t = |name: &'static str, desc: &'static str, input: Value, output: Value| {
        Tool::new(name, desc, schema(input)).with_raw_output_schema(schema(output))
    };
    vec![
        t(
            "list_integrations",
            "List every monitored integration with its status (ok, drifted, failing, no_baseline, unknown), unaccepted change counts, drift, verdict and acknowledgement. Start here to find what drifted; then call get_integration.",
            json!({"type": "object", "properties": {"status": {"type": "string", "enum": ["unknown", "no_baseline", "ok", "drifted", "failing"], "description": "Only integrations in this status."}}, "additionalProperties": false}),
            json!({"type": "object", "properties": {"integrations": {"type": "array", "items": integration_output(json!({}))}}, "required": ["integrations"]}),
        )
        .with_annotations(read.clone()),
        t(
            "get_integration",
            "One integration in full: status, verdict, and every unaccepted change as the drift webhook carries it (rule id, level, operation, the consumed mark and a remediation hint: regenerate the fetcher, review, or ignore), plus the baseline and revision fragments of each touched operation. Read this before regenerating a fetcher.",
            name_input(),
            integration_output(json!({
                "changes": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "level": {"type": "string"}, "fingerprint": {"type": "string"}, "remediation": {}}, "required": ["id", "fingerprint"]}},
                "operations": {"type": "array", "items": {"type": "object", "properties": {"method": {"type": "string"}, "path": {"type": "string"}, "baseline": {}, "revision": {}}, "required": ["method", "path"]}},
                "page_url": {"type": "string"}
            })),
        )
        .with_annotations(read.clone()),
        t(
            "get_history",
            "The drift history of one integration, newest first: drift episodes (seen, confirmed with changes and verdict, notifications, acknowledgements, how each ended: reverted, accepted with who and why, superseded), failing periods, and for how long each consumed field was blind.",
            name_input(),
            json!({"type": "object", "properties": {"integration": {"type": "string"}, "episodes": {"type": "array"}, "failing": {"type": "array"}, "blind": {"type": "array"}, "retention": {"type": "object"}}, "required": ["integration", "episodes", "failing", "blind"]}),
        )
        .with_annotations(read.clone()),
        t(
            "get_preflight",
            "The preflight gate of one integration: whether a fetcher run should go ahead now (`allowed`, with `reasons` when not), given the verdict of its consumes contract and whether checks are failing. Call it before running a fetcher.",
            name_input(),
            json!({"type": "object", "properties": {"allowed": {"type": "boolean"}, "reasons": {"type": "array", "items": {"type": "string"}}}, "required": ["allowed", "reasons"]}),
        )
        .with_annotations(read.clone()),
        t(
            "dry_run_contract",
            "Judge a proposed consumes contract (what a regenerated fetcher reads) against the integration's baseline and the spec its last check compared (diffed again with the proposed fields watched, so a deep field the current contract does not read is judged too), without changing anything: returns whether it resolves, what it was judged against, the diagnostics (unknown operations or fields, with near-miss hints) and the verdict it would get. Run it before opening a pull request. At most 100 operations and 1,000 fields.",
            json!({
                "type": "object",
                "properties": {
                    "integration": {"type": "string", "pattern": "^[a-z0-9-]{1,63}$", "description": NAME},
                    "consumes": {"type": "array", "description": "As under `consumes:` in a monitor file.", "items": {"type": "object", "properties": {
                        "operation": {"type": "string", "description": "METHOD /path, e.g. GET /api/v1/users"},
                        "entity": {"type": "string", "enum": ["user", "group", "role", "service_account", "api_key", "token", "app", "audit_event", "other"]},
                        "fields": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"path": {"type": "string"}, "undocumented": {"type": "boolean"}}, "required": ["path"]}]}},
                        "item": {"type": "string"},
                        "pagination": {"type": "object"}
                    }, "required": ["operation", "entity"]}}
                },
                "required": ["integration", "consumes"],
                "additionalProperties": false
            }),
            json!({"type": "object", "properties": {"integration": {"type": "string"}, "resolves": {"type": "boolean"}, "judged_against": {"type": "string", "enum": ["spec", "baseline", "stored-changes"]}, "diagnostics": {"type": "array"}, "verdict": {"type": ["object", "null"]}}, "required": ["integration", "resolves", "diagnostics", "verdict"]}),
        )
        .with_annotations(read),
        t(
            "request_check",
            "Check one integration now, inside the daemon (same code path as a scheduled check; joins a check already running; at most one requested check per integration per `api.check_interval`). Returns the result (ok, drift, failed, unchanged, no_baseline) and the new status. After a human accepted a new baseline the daemon checks against it by itself within `reload_interval`; this confirms it at once. Needs an operate token.",
            name_input(),
            integration_output(json!({"result": {"type": "string"}, "coalesced": {"type": "boolean"}, "changes": {"type": "array"}})),
        )
        .with_annotations(ToolAnnotations::new().read_only(false)),
        t(
            "acknowledge",
            "Acknowledge the current drift of one integration: email reminders stop and the shipped alerts stop paging until `until`, or until the drift changes (a new set of changes re-opens it). Never accepts the baseline: a human does that with `apidrift baseline accept`. Needs an operate token.",
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z0-9-]{1,63}$", "description": NAME},
                    "reason": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Why reminders may stop (e.g. a pull request link)."},
                    "until": {"type": "string", "format": "date-time", "description": "RFC 3339; absent: while this drift lasts."},
                    "by": {"type": "string", "maxLength": 500, "description": "Who handles it; defaults to the token's name."}
                },
                "required": ["name", "reason"],
                "additionalProperties": false
            }),
            integration_output(json!({})),
        )
        .with_annotations(ToolAnnotations::new().read_only(false)),
    ]
}

/// `[a-z0-9-]{1,63}`: the only thing a tool puts into a URL path.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 63
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn arg_name(args: &JsonObject, key: &str) -> Result<String, Failure> {
    match args.get(key).and_then(Value::as_str) {
        Some(n) if valid_name(n) => Ok(n.to_string()),
        Some(n) => Err(Failure(format!(
            "`{key}` must be an integration name ([a-z0-9-]), not `{n}`"
        ))),
        None => Err(Failure(format!("`{key}` is required"))),
    }
}

fn caller(ctx: &RequestContext<RoleServer>) -> Caller {
    ctx.extensions
        .get::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<Caller>())
        .cloned()
        .unwrap_or(Caller {
            token: None,
            scope: Scope::Read,
        })
}

const OPERATE: &[&str] = &["request_check", "acknowledge"];

impl Server {
    async fn run(
        &self,
        tool: &str,
        args: JsonObject,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<Value, Failure> {
        match self.backend.as_ref() {
            Backend::Local(s) => local(s, tool, args, caller(ctx)).await,
            Backend::Remote {
                client,
                base,
                token,
            } => remote(client, base, token.as_ref(), tool, args).await,
        }
    }
}

async fn local(s: &Arc<Shared>, tool: &str, args: JsonObject, c: Caller) -> Result<Value, Failure> {
    if OPERATE.contains(&tool) && c.scope < Scope::Operate {
        s.metrics.auth_failure(super::auth::Denied::Scope);
        tracing::warn!(tool, token = ?c.token, "MCP tool refused: needs an operate token");
        return Err(Failure(format!(
            "`{tool}` needs an operate token; this token's scope is {}",
            c.scope.as_str()
        )));
    }
    match tool {
        "list_integrations" => {
            let status = args
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_string);
            let list: Vec<Value> = s
                .views()
                .into_iter()
                .filter(|v| status.as_deref().is_none_or(|st| v["status"] == st))
                .collect();
            Ok(json!({ "integrations": list }))
        }
        "get_integration" => {
            let n = arg_name(&args, "name")?;
            let s = s.clone();
            blocking(move || s.detail(&n).map_err(Failure::from)).await
        }
        "get_history" => {
            let n = arg_name(&args, "name")?;
            let s = s.clone();
            blocking(move || match s.history(&n) {
                Some(Ok(v)) => Ok(v),
                Some(Err(e)) => Err(Failure(format!("cannot read the history: {e}"))),
                None => Err(ControlError::NotFound(n).into()),
            })
            .await
        }
        "get_preflight" => {
            let n = arg_name(&args, "name")?;
            let p = s.preflight(&n).ok_or(ControlError::NotFound(n))?;
            serde_json::to_value(p).map_err(|e| Failure(e.to_string()))
        }
        "dry_run_contract" => {
            let req: DryRunRequest = serde_json::from_value(Value::Object(args))
                .map_err(|e| Failure(format!("invalid arguments: {e}")))?;
            Ok(s.dry_run(req).await?)
        }
        "request_check" => {
            let n = arg_name(&args, "name")?;
            Ok(s.check_now(&n).await?)
        }
        "acknowledge" => {
            let n = arg_name(&args, "name")?;
            let mut args = args;
            args.remove("name");
            let req: AckRequest = serde_json::from_value(Value::Object(args))
                .map_err(|e| Failure(format!("invalid arguments: {e}")))?;
            Ok(s.acknowledge(&n, req, &c.actor()).await?)
        }
        other => Err(Failure(format!("no tool named `{other}`"))),
    }
}

async fn blocking(
    f: impl FnOnce() -> Result<Value, Failure> + Send + 'static,
) -> Result<Value, Failure> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Failure(e.to_string()))?
}

/// The same tools through the daemon's API (the daemon checks the token and scope).
async fn remote(
    client: &reqwest::Client,
    base: &str,
    token: Option<&Secret>,
    tool: &str,
    args: JsonObject,
) -> Result<Value, Failure> {
    use reqwest::Method;
    let (method, path, body) = match tool {
        "list_integrations" => (Method::GET, "/api/v1/integrations".to_string(), None),
        "get_integration" => (
            Method::GET,
            format!("/api/v1/integrations/{}", arg_name(&args, "name")?),
            None,
        ),
        "get_history" => (
            Method::GET,
            format!("/api/v1/integrations/{}/history", arg_name(&args, "name")?),
            None,
        ),
        "get_preflight" => (
            Method::GET,
            format!(
                "/api/v1/integrations/{}/preflight",
                arg_name(&args, "name")?
            ),
            None,
        ),
        "dry_run_contract" => (
            Method::POST,
            "/api/v1/contracts/dry-run".to_string(),
            Some(Value::Object(args.clone())),
        ),
        "request_check" => (
            Method::POST,
            format!("/api/v1/integrations/{}/check", arg_name(&args, "name")?),
            None,
        ),
        "acknowledge" => {
            let n = arg_name(&args, "name")?;
            let mut b = args.clone();
            b.remove("name");
            (
                Method::POST,
                format!("/api/v1/integrations/{n}/ack"),
                Some(Value::Object(b)),
            )
        }
        other => return Err(Failure(format!("no tool named `{other}`"))),
    };
    let mut req = client.request(method, format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t.expose());
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req
        .send()
        .await
        .map_err(|e| Failure(format!("cannot reach the daemon at {base}: {e}")))?;
    let status = resp.status();
    let v: Value = resp.json().await.map_err(|e| {
        Failure(format!(
            "the daemon answered HTTP {status} without JSON: {e}"
        ))
    })?;
    if !status.is_success() {
        let msg = v["error"].as_str().unwrap_or("request refused");
        return Err(Failure(format!("HTTP {}: {msg}", status.as_u16())));
    }
    Ok(match tool {
        "list_integrations" => {
            let status = args.get("status").and_then(Value::as_str);
            let list: Vec<Value> = v["integrations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|i| status.is_none_or(|st| i["status"] == st))
                .cloned()
                .collect();
            json!({ "integrations": list })
        }
        _ => v,
    })
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("apidrift", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "apidrift watches vendor OpenAPI specs against human-approved baselines. \
                 Loop: list_integrations or a webhook event -> get_integration -> regenerate \
                 the fetcher -> dry_run_contract -> open a pull request -> a human runs \
                 `apidrift baseline accept` -> request_check confirms ok. No tool accepts a \
                 baseline.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.unwrap_or_default();
        let result = match self.run(&request.name, args, &context).await {
            Ok(v) => {
                let text = serde_json::to_string(&v).unwrap_or_default();
                let mut r = CallToolResult::structured(v);
                r.content = vec![ContentBlock::text(text)];
                r
            }
            Err(Failure(msg)) => CallToolResult::error(vec![ContentBlock::text(msg)]),
        };
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_object_schemas_and_none_takes_a_url_or_a_baseline() {
        let ts = tools();
        assert_eq!(ts.len(), 7);
        for t in &ts {
            assert_eq!(t.input_schema["type"], "object", "{}", t.name);
            assert_eq!(t.output_schema.as_ref().unwrap()["type"], "object");
            let keys: Vec<&String> = t.input_schema["properties"]
                .as_object()
                .map(|p| p.keys().collect())
                .unwrap_or_default();
            for k in keys {
                for word in ["url", "baseline", "secret", "token", "spec", "path"] {
                    assert!(!k.contains(word), "{} takes `{k}`", t.name);
                }
            }
            assert!(t.description.as_ref().unwrap().len() > 80);
        }
        assert!(!valid_name("../etc") && !valid_name("a/b") && valid_name("okta-users"));
    }
}
