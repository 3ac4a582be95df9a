//! Secrets for notification channels (SMTP password, webhook signing key): read from an
//! environment variable or a file, never written inline in config.
//!
//! Owns: `SecretSource` (where a secret comes from) and `Secret` (the value, whose
//! `Debug` and `Display` never show it). Must not: log, serialize or copy a secret into
//! an error message; errors name the variable or file, never the value.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// Where a secret comes from: exactly one of `env` or `file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

/// Why a secret could not be read. Names the source, never the value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("environment variable `{0}` is not set")]
    MissingEnv(String),
    #[error("cannot read secret file `{0}`: {1}")]
    File(String, String),
    #[error("a secret needs exactly one of `env` or `file`")]
    Ambiguous,
    #[error("secret from {0} is empty")]
    Empty(String),
}

impl SecretSource {
    pub fn env(name: &str) -> SecretSource {
        SecretSource {
            env: Some(name.to_string()),
            file: None,
        }
    }

    /// Reads the secret now. A trailing newline in a file is dropped (files written by
    /// `echo` or secret managers usually end with one).
    pub fn resolve(&self) -> Result<Secret, SecretError> {
        match (&self.env, &self.file) {
            (Some(var), None) => {
                let v = std::env::var(var).map_err(|_| SecretError::MissingEnv(var.clone()))?;
                if v.is_empty() {
                    return Err(SecretError::Empty(format!("env `{var}`")));
                }
                Ok(Secret(v))
            }
            (None, Some(path)) => {
                let v = std::fs::read_to_string(path).map_err(|e| {
                    SecretError::File(path.display().to_string(), e.kind().to_string())
                })?;
                let v = v.trim_end_matches(['\n', '\r']).to_string();
                if v.is_empty() {
                    return Err(SecretError::Empty(format!("file `{}`", path.display())));
                }
                Ok(Secret(v))
            }
            _ => Err(SecretError::Ambiguous),
        }
    }
}

/// A secret value. `Debug`/`Display` print `[redacted]`; use `expose` at the one place
/// that needs the bytes (signing, SMTP login).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("canary-s3cr3t");
        assert!(!format!("{s:?} {s}").contains("canary"));
        assert_eq!(s.expose(), "canary-s3cr3t");
    }

    #[test]
    fn file_secret_drops_trailing_newline_and_missing_env_names_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        std::fs::write(&p, "abc\n").unwrap();
        let src = SecretSource {
            env: None,
            file: Some(p),
        };
        assert_eq!(src.resolve().unwrap().expose(), "abc");
        let err = SecretSource::env("APIDRIFT_TEST_SURELY_UNSET_VAR")
            .resolve()
            .unwrap_err();
        assert!(err.to_string().contains("APIDRIFT_TEST_SURELY_UNSET_VAR"));
        let both = SecretSource {
            env: Some("X".into()),
            file: Some("y".into()),
        };
        assert_eq!(both.resolve().unwrap_err(), SecretError::Ambiguous);
    }
}
