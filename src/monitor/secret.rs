//! How a monitor authenticates to its vendor (`Auth`), with credentials from environment
//! variables or files (`crate::secret`), never the monitor file itself. Owns resolving an
//! `Auth` at request time and putting it on a request. Must not: log, print, serialise or
//! store a resolved value (`Secret`'s `Debug` is redacted).

pub use crate::secret::{Secret, SecretError, SecretRef};

/// How a request to the vendor authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer(SecretRef),
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        username: SecretRef,
        password: SecretRef,
    },
    /// A custom header such as `X-Api-Key: <value>`.
    Header { name: String, value: SecretRef },
}

/// An `Auth` with its secrets read, ready to put on a request.
#[derive(Debug, Clone)]
pub enum ResolvedAuth {
    Bearer(Secret),
    Basic { username: Secret, password: Secret },
    Header { name: String, value: Secret },
}

impl Auth {
    /// Reads every credential the scheme needs. The error names the source.
    pub fn resolve(&self) -> Result<ResolvedAuth, String> {
        Ok(match self {
            Auth::Bearer(s) => ResolvedAuth::Bearer(read(s)?),
            Auth::Basic { username, password } => ResolvedAuth::Basic {
                username: read(username)?,
                password: read(password)?,
            },
            Auth::Header { name, value } => ResolvedAuth::Header {
                name: name.clone(),
                value: read(value)?,
            },
        })
    }
}

fn read(s: &SecretRef) -> Result<Secret, String> {
    s.resolve().map_err(|e| e.to_string())
}

impl ResolvedAuth {
    /// Puts the credential on a request.
    pub fn apply(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            ResolvedAuth::Bearer(t) => req.bearer_auth(t.expose()),
            ResolvedAuth::Basic { username, password } => {
                req.basic_auth(username.expose(), Some(password.expose()))
            }
            ResolvedAuth::Header { name, value } => req.header(name.as_str(), value.expose()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        let r = ResolvedAuth::Bearer(s);
        assert!(!format!("{r:?}").contains("hunter2"));
    }

    #[test]
    fn auth_errors_name_the_source() {
        let e = Auth::Bearer(SecretRef::Env("APIDRIFT_TEST_SURELY_UNSET_VAR".into()))
            .resolve()
            .unwrap_err();
        assert!(e.contains("APIDRIFT_TEST_SURELY_UNSET_VAR"), "{e}");
    }
}
