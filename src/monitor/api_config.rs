//! The `api:` section of `apidrift.yaml`: the bearer tokens of the control API and the
//! MCP server (each by reference, `{env: VAR}` or `{file: PATH}`, with a scope), whether
//! the JSON API and the pages need a token, and how often one integration may be
//! checked on request. Owns the typed form (`ApiSettings`, `TokenSettings`, `Scope`)
//! and its validation at `file:line:col`.
//!
//! Must not: keep a token's value. Tokens stay `SecretSource`s; the daemon reads them
//! when it starts (`daemon::auth`), validation only checks that they can be read.

use super::FileReport;
use super::notify_config::{read_secret, str_of, type_error};
use super::{duration_diag, parse_duration, unknown_keys};
use crate::diagnostic::Diagnostic;
use crate::notify::SecretSource;
use serde_yaml::Value;
use std::path::Path;
use std::time::Duration;

const API_KEYS: &[&str] = &["tokens", "require_token", "check_interval"];
const TOKEN_KEYS: &[&str] = &["name", "scope", "token"];

/// What a token may do. `Operate` includes everything `Read` may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Status, changes, history, preflight, contract dry-runs.
    Read,
    /// Also check-now and acknowledgements. Never a baseline: no scope accepts one.
    Operate,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Operate => "operate",
        }
    }
}

/// One entry of `api.tokens`, its value unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSettings {
    /// Who holds it (logged and shown as the actor; never the value).
    pub name: String,
    pub scope: Scope,
    pub token: SecretSource,
}

/// The `api:` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSettings {
    pub tokens: Vec<TokenSettings>,
    /// The JSON API, the pages and `/mcp` answer only with a valid token (`/healthz`,
    /// `/readyz` and `/metrics` stay open). Without it, reads are open and only the
    /// control endpoints need a token.
    pub require_token: bool,
    /// The shortest time between two checks of one integration requested through the
    /// API (a request while a check runs joins it instead).
    pub check_interval: Duration,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            tokens: Vec::new(),
            require_token: false,
            check_interval: Duration::from_secs(10),
        }
    }
}

/// Reads `api:` into `settings`.
pub(super) fn read_api(r: &mut FileReport, root: &Path, v: &Value, settings: &mut ApiSettings) {
    let p = ["api"];
    if !v.is_mapping() {
        type_error(r, &p, "a mapping (tokens, require_token, check_interval)");
        return;
    }
    if unknown_keys(r, v, &p, API_KEYS) {
        return;
    }
    match v.get("require_token") {
        None => {}
        Some(Value::Bool(b)) => settings.require_token = *b,
        Some(_) => type_error(r, &["api", "require_token"], "true or false"),
    }
    if let Some(c) = v.get("check_interval") {
        match str_of(c) {
            // 0s is allowed: no rate limit (check-now still coalesces).
            Some(s) => match parse_duration(&s) {
                Ok(d) => settings.check_interval = d,
                Err(e) => r.at_key(&["api", "check_interval"], duration_diag(&s, &e)),
            },
            None => type_error(r, &["api", "check_interval"], "a duration"),
        }
    }
    if let Some(tokens) = v.get("tokens") {
        read_tokens(r, root, tokens, settings);
    }
    if settings.require_token && settings.tokens.is_empty() {
        r.at_key(
            &["api", "require_token"],
            Diagnostic::error(
                "config-api-token",
                "`require_token: true` without any token locks everyone out of the API and the pages",
            )
            .with_help("add an entry to `api.tokens`"),
        );
    }
}

fn read_tokens(r: &mut FileReport, root: &Path, tokens: &Value, settings: &mut ApiSettings) {
    let Value::Sequence(items) = tokens else {
        type_error(
            r,
            &["api", "tokens"],
            "a list of `{name, scope, token}` entries",
        );
        return;
    };
    for item in items {
        if !item.is_mapping() {
            type_error(
                r,
                &["api", "tokens"],
                "a list of `{name, scope, token}` entries",
            );
            continue;
        }
        if unknown_keys(r, item, &["api", "tokens"], TOKEN_KEYS) {
            continue;
        }
        let name = item.get("name").and_then(str_of).unwrap_or_default();
        if !super::valid_name(&name) {
            r.at_key(
                &["api", "tokens"],
                Diagnostic::error("config-api-token", format!("invalid token name `{name}`"))
                    .with_help("name who holds it, with 1-63 characters from a-z, 0-9 and `-`"),
            );
            continue;
        }
        if settings.tokens.iter().any(|t| t.name == name) {
            r.at_key(
                &["api", "tokens"],
                Diagnostic::error("config-api-token", format!("duplicate token name `{name}`")),
            );
            continue;
        }
        let scope = match item.get("scope").and_then(str_of).as_deref() {
            Some("read") => Scope::Read,
            Some("operate") => Scope::Operate,
            other => {
                r.at_key(
                    &["api", "tokens"],
                    Diagnostic::error(
                        "config-api-token",
                        format!(
                            "token `{name}` needs `scope: read` or `scope: operate`, found `{}`",
                            other.unwrap_or("")
                        ),
                    )
                    .with_help(
                        "read: status, changes, history; operate: also check-now and acknowledge",
                    ),
                );
                continue;
            }
        };
        let Some(t) = item.get("token") else {
            r.at_key(
                &["api", "tokens"],
                Diagnostic::error(
                    "config-api-token",
                    format!("token `{name}` needs a `token`"),
                )
                .with_help("`token: {env: VAR}` or `token: {file: PATH}`"),
            );
            continue;
        };
        let Some(token) = read_secret(
            r,
            t,
            &["api", "tokens", "token"],
            root,
            "config-missing-secret",
            None,
        ) else {
            continue;
        };
        settings.tokens.push(TokenSettings { name, scope, token });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(api: &str) -> crate::monitor::Validation {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("monitors")).unwrap();
        std::fs::write(dir.path().join("agent.token"), "s3cr3t-value\n").unwrap();
        let cfg = dir.path().join("apidrift.yaml");
        std::fs::write(&cfg, format!("api:\n{api}")).unwrap();
        let v = crate::monitor::load(&cfg, true);
        // Keep the directory alive until the config is read.
        drop(dir);
        v
    }

    fn codes(v: &crate::monitor::Validation) -> Vec<String> {
        v.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    }

    #[test]
    fn tokens_are_references_with_a_scope() {
        let v = load(
            "  require_token: true\n  check_interval: 0s\n  tokens:\n    - name: agent\n      scope: operate\n      token: {file: agent.token}\n",
        );
        assert_eq!(v.errors(), 0, "{:?}", codes(&v));
        let api = &v.config.api;
        assert!(api.require_token);
        assert_eq!(api.check_interval, Duration::ZERO);
        assert_eq!(
            (api.tokens[0].name.as_str(), api.tokens[0].scope),
            ("agent", Scope::Operate)
        );
        // Never the value, anywhere in what validation keeps.
        assert!(!format!("{:?}", v.config).contains("s3cr3t"));
    }

    #[test]
    fn bad_tokens_are_reported_at_their_place() {
        let v = load(
            "  tokens:\n    - name: agent\n      scope: admin\n      token: {file: agent.token}\n",
        );
        assert!(
            codes(&v).iter().any(|c| c.contains("scope: read")),
            "{:?}",
            codes(&v)
        );
        let v = load("  tokens:\n    - name: agent\n      scope: read\n      token: hunter2\n");
        assert!(
            codes(&v)
                .iter()
                .any(|c| c.starts_with("config-inline-secret")),
            "{:?}",
            codes(&v)
        );
        assert!(!codes(&v).iter().any(|c| c.contains("hunter2")));
        let v = load(
            "  tokens:\n    - name: agent\n      scope: read\n      token: {env: APIDRIFT_TEST_SURELY_UNSET_TOKEN}\n",
        );
        assert!(
            codes(&v)
                .iter()
                .any(|c| c.contains("APIDRIFT_TEST_SURELY_UNSET_TOKEN"))
        );
        let v = load("  require_token: true\n");
        assert!(
            codes(&v).iter().any(|c| c.contains("locks everyone out")),
            "{:?}",
            codes(&v)
        );
        let v = load("  tokenz: []\n");
        assert_eq!(v.errors(), 1, "{:?}", codes(&v));
    }
}
