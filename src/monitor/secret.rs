//! Where credentials come from: environment variables or files, never the monitor file
//! itself. Owns resolving a `SecretRef` to its value at request time. Must not: log,
//! print, serialise or store a resolved value (`Secret`'s `Debug` is redacted).

use std::fmt;
use std::path::PathBuf;

/// A pointer to a credential; the value is read only when a request is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// The value of an environment variable.
    Env(String),
    /// The content of a file, trailing newline removed.
    File(PathBuf),
    /// A non-secret literal (a basic-auth user name written in the file).
    Literal(String),
}

/// A resolved credential. `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl SecretRef {
    /// Reads the value. The error names the variable or file, never a value.
    pub fn resolve(&self) -> Result<Secret, String> {
        match self {
            SecretRef::Env(var) => match std::env::var(var) {
                Ok(v) if !v.is_empty() => Ok(Secret(v)),
                Ok(_) => Err(format!("environment variable `{var}` is empty")),
                Err(_) => Err(format!("environment variable `{var}` is not set")),
            },
            SecretRef::File(path) => match std::fs::read_to_string(path) {
                Ok(v) => {
                    let v = v.trim_end_matches(['\n', '\r']).to_string();
                    if v.is_empty() {
                        Err(format!("secret file `{}` is empty", path.display()))
                    } else {
                        Ok(Secret(v))
                    }
                }
                Err(e) => Err(format!("cannot read secret file `{}`: {e}", path.display())),
            },
            SecretRef::Literal(v) => Ok(Secret(v.clone())),
        }
    }

    /// What to show a human: the variable or file name.
    pub fn describe(&self) -> String {
        match self {
            SecretRef::Env(v) => format!("env:{v}"),
            SecretRef::File(p) => format!("file:{}", p.display()),
            SecretRef::Literal(_) => "literal".to_string(),
        }
    }
}

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
    pub fn resolve(&self) -> Result<ResolvedAuth, String> {
        Ok(match self {
            Auth::Bearer(s) => ResolvedAuth::Bearer(s.resolve()?),
            Auth::Basic { username, password } => ResolvedAuth::Basic {
                username: username.resolve()?,
                password: password.resolve()?,
            },
            Auth::Header { name, value } => ResolvedAuth::Header {
                name: name.clone(),
                value: value.resolve()?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret("hunter2".into());
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let r = ResolvedAuth::Bearer(s);
        assert!(!format!("{r:?}").contains("hunter2"));
    }

    #[test]
    fn missing_env_names_the_variable() {
        let e = SecretRef::Env("APIDRIFT_TEST_SURELY_UNSET_VAR".into())
            .resolve()
            .unwrap_err();
        assert!(e.contains("APIDRIFT_TEST_SURELY_UNSET_VAR"), "{e}");
    }
}
