//! Who is calling the daemon's API: bearer tokens from `api.tokens` (read once at
//! start), each with a scope, compared in constant time, and the rule of which route
//! needs what (`Access`). Owns `Tokens`, `Caller` and `Denied`.
//!
//! Must not: log, store or echo a presented or configured token (only the name of the
//! token that matched, and the reason a request was refused), or let any scope accept
//! a baseline (no route does; `baseline accept` is a CLI command a human runs).

use crate::monitor::api_config::{ApiSettings, Scope};
use sha2::{Digest, Sha256};

/// The tokens of the configuration, resolved: only their SHA-256 is kept in memory.
pub struct Tokens {
    entries: Vec<Entry>,
    require_token: bool,
}

struct Entry {
    name: String,
    scope: Scope,
    digest: [u8; 32],
}

/// The identity of an authenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's name, `None` for an anonymous read (when `require_token` is off).
    pub token: Option<String>,
    pub scope: Scope,
}

impl Caller {
    /// How the caller is named in logs and acknowledgements: `token:NAME` or
    /// `anonymous`.
    pub fn actor(&self) -> String {
        match &self.token {
            Some(n) => format!("token:{n}"),
            None => "anonymous".to_string(),
        }
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads: open unless `require_token`; a presented token must still be valid.
    Read,
    /// A token of any scope, whatever `require_token` says (dry-runs, `/mcp`).
    Token,
    /// An `operate` token (check-now, acknowledgements).
    Operate,
}

/// Why a request was refused; `reason` is the metric label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No `Authorization: Bearer` header (401).
    Missing,
    /// A token that is not configured, or a malformed header (401).
    Invalid,
    /// A valid token whose scope is too small (403).
    Scope,
}

impl Denied {
    pub const ALL: [Denied; 3] = [Denied::Missing, Denied::Invalid, Denied::Scope];

    pub fn reason(self) -> &'static str {
        match self {
            Denied::Missing => "missing",
            Denied::Invalid => "invalid",
            Denied::Scope => "insufficient_scope",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("api token `{name}`: {error}")]
pub struct TokenError {
    name: String,
    error: String,
}

/// Constant time over the 32 bytes: every byte is compared whatever the first
/// difference.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // Keeps the compiler from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

impl Tokens {
    /// Reads every configured token now. The error names the token and its source.
    pub fn resolve(api: &ApiSettings) -> Result<Tokens, TokenError> {
        let mut entries = Vec::with_capacity(api.tokens.len());
        for t in &api.tokens {
            let value = t.token.resolve().map_err(|e| TokenError {
                name: t.name.clone(),
                error: e.to_string(),
            })?;
            entries.push(Entry {
                name: t.name.clone(),
                scope: t.scope,
                digest: Sha256::digest(value.expose().as_bytes()).into(),
            });
        }
        Ok(Tokens {
            entries,
            require_token: api.require_token,
        })
    }

    /// Tokens for tests and embedders: `(name, scope, value)`.
    pub fn from_values(require_token: bool, tokens: &[(&str, Scope, &str)]) -> Tokens {
        Tokens {
            entries: tokens
                .iter()
                .map(|(n, s, v)| Entry {
                    name: n.to_string(),
                    scope: *s,
                    digest: Sha256::digest(v.as_bytes()).into(),
                })
                .collect(),
            require_token,
        }
    }

    pub fn require_token(&self) -> bool {
        self.require_token
    }

    /// The token named by an `Authorization` header value, compared against every
    /// configured token (no early exit, so the time does not tell which one is close).
    fn lookup(&self, header: &str) -> Option<&Entry> {
        let (kind, value) = header.trim().split_once(' ')?;
        if !kind.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let presented: [u8; 32] = Sha256::digest(value.trim().as_bytes()).into();
        let mut found = None;
        for e in &self.entries {
            if same(&e.digest, &presented) && found.is_none() {
                found = Some(e);
            }
        }
        found
    }

    /// Decides one request: `authorization` is the header's value, if any.
    pub fn check(&self, authorization: Option<&str>, access: Access) -> Result<Caller, Denied> {
        let caller = match authorization {
            None => None,
            Some(h) => {
                let e = self.lookup(h).ok_or(Denied::Invalid)?;
                Some(Caller {
                    token: Some(e.name.clone()),
                    scope: e.scope,
                })
            }
        };
        match (access, caller) {
            (Access::Read, None) if !self.require_token => Ok(Caller {
                token: None,
                scope: Scope::Read,
            }),
            (_, None) => Err(Denied::Missing),
            (Access::Operate, Some(c)) if c.scope < Scope::Operate => Err(Denied::Scope),
            (_, Some(c)) => Ok(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(require: bool) -> Tokens {
        Tokens::from_values(
            require,
            &[
                ("reader", Scope::Read, "r-secret"),
                ("agent", Scope::Operate, "o-secret"),
            ],
        )
    }

    #[test]
    fn scopes_and_the_require_token_switch() {
        let t = tokens(false);
        assert_eq!(t.check(None, Access::Read).unwrap().token, None);
        assert_eq!(t.check(None, Access::Token), Err(Denied::Missing));
        assert_eq!(t.check(None, Access::Operate), Err(Denied::Missing));
        assert_eq!(
            t.check(Some("Bearer nope"), Access::Read),
            Err(Denied::Invalid)
        );
        assert_eq!(
            t.check(Some("Basic r-secret"), Access::Read),
            Err(Denied::Invalid)
        );
        assert_eq!(
            t.check(Some("Bearer r-secret"), Access::Operate),
            Err(Denied::Scope)
        );
        let c = t.check(Some("bearer o-secret"), Access::Operate).unwrap();
        assert_eq!((c.actor(), c.scope), ("token:agent".into(), Scope::Operate));
        let t = tokens(true);
        assert_eq!(t.check(None, Access::Read), Err(Denied::Missing));
        assert_eq!(
            t.check(Some("Bearer r-secret"), Access::Read)
                .unwrap()
                .scope,
            Scope::Read
        );
    }

    #[test]
    fn comparison_needs_every_byte() {
        let a: [u8; 32] = Sha256::digest(b"x").into();
        let mut b = a;
        assert!(same(&a, &b));
        b[31] ^= 1;
        assert!(!same(&a, &b));
    }
}
