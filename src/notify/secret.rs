//! Secrets for notification channels (SMTP password, webhook signing key): read from an
//! environment variable or a file, never written inline in config.
//!
//! Owns: `SecretSource`, the config shape (`{env: NAME}` or `{file: PATH}`) of where a
//! secret comes from; reading it and the redacted `Secret` are `crate::secret`'s. Must
//! not: log, serialize or copy a secret into an error message.

pub use crate::secret::{Secret, SecretError, SecretRef};
use serde::{Deserialize, Serialize};
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

impl SecretSource {
    pub fn env(name: &str) -> SecretSource {
        SecretSource {
            env: Some(name.to_string()),
            file: None,
        }
    }

    /// Where the secret is, when exactly one of `env` or `file` is set.
    pub fn to_ref(&self) -> Result<SecretRef, SecretError> {
        match (&self.env, &self.file) {
            (Some(var), None) => Ok(SecretRef::Env(var.clone())),
            (None, Some(path)) => Ok(SecretRef::File(path.clone())),
            _ => Err(SecretError::Ambiguous),
        }
    }

    /// Reads the secret now.
    pub fn resolve(&self) -> Result<Secret, SecretError> {
        self.to_ref()?.resolve()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
