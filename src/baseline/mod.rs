//! Approved baselines: the human gate. Owns the on-disk layout under the baselines
//! directory, a reviewer can read in a pull request:
//!
//! ```text
//! baselines/objects/sha256/<hex>.<json|yaml>   one file per distinct spec, shared
//! baselines/objects/sha256/<hex>.json           sample shapes of an accept (no values)
//! baselines/<integration>.yaml                  the current approval (digest, who, why)
//! baselines/log/<integration>.jsonl             every accept, append-only
//! ```
//!
//! Every write is atomic (`atomic::write`). Must not: accept anything by itself; the
//! only caller of `Store::accept` is `apidrift baseline accept`.

use crate::atomic;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The approval of one integration's baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub integration: String,
    /// `sha256:<hex>` of the spec bytes.
    pub digest: String,
    /// The object file, relative to the baselines directory.
    pub object: String,
    /// Where the spec was fetched from (URL without query, or path).
    pub source: String,
    /// RFC 3339, UTC.
    pub accepted_at: String,
    pub by: String,
    pub reason: String,
    /// The object holding the shapes of the monitor's samples at accept time (shapes
    /// only, never a value), relative to the baselines directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<String>,
    /// `sha256:<hex>` of that object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples_digest: Option<String>,
}

impl Record {
    pub fn accepted_at(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.accepted_at)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: corrupt baseline: {message}")]
    Corrupt { path: String, message: String },
    #[error("invalid integration name `{0}`")]
    BadName(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BaselineError + '_ {
    move |source| BaselineError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// The baselines directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn check_name(name: &str) -> Result<(), BaselineError> {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(BaselineError::BadName(name.to_string()));
        }
        Ok(())
    }

    pub fn record_path(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.yaml"))
    }

    pub fn log_path(&self, name: &str) -> PathBuf {
        self.root.join("log").join(format!("{name}.jsonl"))
    }

    /// The current approval of `name`, or `None` when it has never been accepted.
    pub fn record(&self, name: &str) -> Result<Option<Record>, BaselineError> {
        Self::check_name(name)?;
        let path = self.record_path(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        let r: Record = serde_yaml::from_str(&text).map_err(|e| BaselineError::Corrupt {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Some(r))
    }

    /// The spec bytes of an approval, verified against its digest.
    pub fn object(&self, record: &Record) -> Result<Vec<u8>, BaselineError> {
        let path = self.root.join(&record.object);
        if record.object.contains("..") {
            return Err(BaselineError::Corrupt {
                path: path.display().to_string(),
                message: "object path leaves the baselines directory".into(),
            });
        }
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let got = digest(&bytes);
        if got != record.digest {
            return Err(BaselineError::Corrupt {
                path: path.display().to_string(),
                message: format!("content is {got}, the record says {}", record.digest),
            });
        }
        Ok(bytes)
    }

    /// The sample-shapes object of an approval (`None` when it has none), verified
    /// against its digest.
    pub fn samples(&self, record: &Record) -> Result<Option<Vec<u8>>, BaselineError> {
        let (Some(object), Some(want)) = (&record.samples, &record.samples_digest) else {
            return Ok(None);
        };
        let path = self.root.join(object);
        if object.contains("..") {
            return Err(BaselineError::Corrupt {
                path: path.display().to_string(),
                message: "object path leaves the baselines directory".into(),
            });
        }
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let got = digest(&bytes);
        if &got != want {
            return Err(BaselineError::Corrupt {
                path: path.display().to_string(),
                message: format!("content is {got}, the record says {want}"),
            });
        }
        Ok(Some(bytes))
    }

    /// Stores `bytes` as the approved spec of `name`: the object (once per distinct
    /// spec), a log line, then the record. Each step is atomic; a kill between steps
    /// leaves the previous record in force (and possibly an unreferenced object or a log
    /// line for an approval that did not take effect, which `baseline log` marks).
    pub fn accept(
        &self,
        name: &str,
        bytes: &[u8],
        source: &str,
        by: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Record, BaselineError> {
        self.accept_with_samples(name, bytes, None, source, by, reason, now)
    }

    /// As `accept`, also storing `samples` (the JSON of the sample shapes) as an object
    /// the record points to. The objects are written before the record, so a kill
    /// leaves the previous approval whole.
    #[allow(clippy::too_many_arguments)]
    pub fn accept_with_samples(
        &self,
        name: &str,
        bytes: &[u8],
        samples: Option<&[u8]>,
        source: &str,
        by: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Record, BaselineError> {
        Self::check_name(name)?;
        let (samples, samples_digest) = match samples {
            Some(s) => {
                let d = self::digest(s);
                let object = format!("objects/sha256/{}.json", &d["sha256:".len()..]);
                let path = self.root.join(&object);
                let present = std::fs::read(&path)
                    .map(|b| self::digest(&b) == d)
                    .unwrap_or(false);
                if !present {
                    atomic::write(&path, s).map_err(io(&path))?;
                }
                (Some(object), Some(d))
            }
            None => (None, None),
        };
        let digest = digest(bytes);
        let hex = &digest["sha256:".len()..];
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let ext = if matches!(first, Some(b'{') | Some(b'[')) {
            "json"
        } else {
            "yaml"
        };
        let object = format!("objects/sha256/{hex}.{ext}");
        let object_path = self.root.join(&object);
        let present = std::fs::read(&object_path)
            .map(|b| self::digest(&b) == digest)
            .unwrap_or(false);
        if !present {
            atomic::write(&object_path, bytes).map_err(io(&object_path))?;
        }
        let record = Record {
            integration: name.to_string(),
            digest,
            object,
            source: source.to_string(),
            accepted_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            by: by.to_string(),
            reason: reason.to_string(),
            samples,
            samples_digest,
        };
        let log = self.log_path(name);
        let line = serde_json::to_string(&record).map_err(|e| BaselineError::Corrupt {
            path: log.display().to_string(),
            message: e.to_string(),
        })?;
        atomic::append_line(&log, &line).map_err(io(&log))?;
        let path = self.record_path(name);
        let yaml = serde_yaml::to_string(&record).map_err(|e| BaselineError::Corrupt {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let text = format!(
            "# Approved baseline of `{name}`. Written by `apidrift baseline accept` only.\n{yaml}"
        );
        atomic::write(&path, text.as_bytes()).map_err(io(&path))?;
        Ok(record)
    }

    /// Every accept of `name`, oldest first. Lines cut short by a kill are skipped.
    pub fn log(&self, name: &str) -> Result<Vec<Record>, BaselineError> {
        Self::check_name(name)?;
        let path = self.log_path(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&path)(e)),
        };
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_specs_share_one_object_and_every_accept_is_logged() {
        let d = tempfile::tempdir().unwrap();
        let s = Store::new(d.path());
        let now = Utc::now();
        let a = s
            .accept("a", b"openapi: 3.0.0\n", "x.yaml", "me", "first", now)
            .unwrap();
        let b = s
            .accept("b", b"openapi: 3.0.0\n", "x.yaml", "me", "same", now)
            .unwrap();
        assert_eq!(a.object, b.object);
        let objs = std::fs::read_dir(d.path().join("objects/sha256"))
            .unwrap()
            .count();
        assert_eq!(objs, 1);
        s.accept(
            "a",
            b"{\"openapi\":\"3.1.0\"}",
            "x.json",
            "you",
            "second",
            now,
        )
        .unwrap();
        let log = s.log("a").unwrap();
        assert_eq!(
            log.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(),
            ["first", "second"]
        );
        let cur = s.record("a").unwrap().unwrap();
        assert!(cur.object.ends_with(".json"));
        assert_eq!(s.object(&cur).unwrap(), b"{\"openapi\":\"3.1.0\"}");
        assert_eq!(s.record("never").unwrap(), None);
        assert!(s.record("../etc").is_err());
    }

    #[test]
    fn a_tampered_object_is_reported_not_used() {
        let d = tempfile::tempdir().unwrap();
        let s = Store::new(d.path());
        let r = s
            .accept("a", b"openapi: 3.0.0\n", "x", "me", "r", Utc::now())
            .unwrap();
        std::fs::write(d.path().join(&r.object), b"openapi: 3.1.0\n").unwrap();
        assert!(matches!(s.object(&r), Err(BaselineError::Corrupt { .. })));
    }
}
