//! Credentials: where they come from (an environment variable or a file, never a config
//! file's own text) and the resolved value, whose `Debug` and `Display` never show it.
//! Owns `SecretRef` and `Secret`, shared by vendor auth (`monitor::secret`) and the
//! notification channels (`notify::secret`). Must not: log, print, serialise or copy a
//! resolved value into an error; errors name the variable or file only.

use std::fmt;
use std::path::PathBuf;

/// A pointer to a credential; the value is read only when it is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// The value of an environment variable.
    Env(String),
    /// The content of a file, trailing newline removed (files written by `echo` or
    /// secret managers usually end with one).
    File(PathBuf),
    /// A non-secret literal (a basic-auth user name written in the file).
    Literal(String),
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

impl SecretRef {
    /// Reads the value now.
    pub fn resolve(&self) -> Result<Secret, SecretError> {
        let value = match self {
            SecretRef::Env(var) => {
                std::env::var(var).map_err(|_| SecretError::MissingEnv(var.clone()))?
            }
            SecretRef::File(path) => std::fs::read_to_string(path)
                .map_err(|e| SecretError::File(path.display().to_string(), e.kind().to_string()))?
                .trim_end_matches(['\n', '\r'])
                .to_string(),
            SecretRef::Literal(v) => v.clone(),
        };
        if value.is_empty() && !matches!(self, SecretRef::Literal(_)) {
            return Err(SecretError::Empty(self.describe()));
        }
        Ok(Secret(value))
    }

    /// What to show a human: the variable or file name, never a value.
    pub fn describe(&self) -> String {
        match self {
            SecretRef::Env(v) => format!("env `{v}`"),
            SecretRef::File(p) => format!("file `{}`", p.display()),
            SecretRef::Literal(_) => "a literal".to_string(),
        }
    }
}

/// A secret value. `Debug`/`Display` print `[redacted]`; `expose` is for the one place
/// that needs the bytes (a request header, signing, SMTP login).
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
    fn file_drops_trailing_newline_and_errors_name_the_source() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        std::fs::write(&p, "abc\n").unwrap();
        assert_eq!(
            SecretRef::File(p.clone()).resolve().unwrap().expose(),
            "abc"
        );
        std::fs::write(&p, "\n").unwrap();
        let e = SecretRef::File(p).resolve().unwrap_err();
        assert!(
            matches!(e, SecretError::Empty(ref s) if s.contains("file")),
            "{e}"
        );
        let e = SecretRef::Env("APIDRIFT_TEST_SURELY_UNSET_VAR".into())
            .resolve()
            .unwrap_err();
        assert!(
            e.to_string().contains("APIDRIFT_TEST_SURELY_UNSET_VAR"),
            "{e}"
        );
    }
}
