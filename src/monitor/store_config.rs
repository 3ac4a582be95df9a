//! The `store:` section of `apidrift.yaml`: where the daemon keeps what it learns.
//! `files` (the default: the state directory) or `postgres` (several replicas share one
//! database, issue 14). Owns the typed form (`StoreSettings`, `PostgresSettings`) and
//! its validation at `file:line:col`.
//!
//! Must not: keep the connection URL's value (it carries the password): the URL stays a
//! `SecretSource`, read when the daemon connects (`store::postgres`).

use super::FileReport;
use super::notify_config::{read_secret, str_of, type_error};
use super::{duration_diag, parse_duration, unknown_keys};
use crate::diagnostic::Diagnostic;
use crate::notify::SecretSource;
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

const POSTGRES_KEYS: &[&str] = &[
    "url",
    "tls",
    "ca_file",
    "pool_size",
    "lease",
    "poll",
    "sync",
    "replica",
];

/// How the connection to PostgreSQL is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgTls {
    /// Plain TCP (a loopback or a Unix-socket-like trusted network only).
    Disable,
    /// TLS, without checking the server's certificate (libpq's `sslmode=require`).
    Require,
    /// TLS, the certificate checked against the system roots and `ca_file`, and the
    /// host name (libpq's `sslmode=verify-full`).
    Verify,
}

/// `store: {postgres: {...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresSettings {
    /// `postgres://user:password@host:port/db`, by reference.
    pub url: SecretSource,
    pub tls: PgTls,
    /// Extra CA certificates (PEM) trusted with `tls: verify`.
    pub ca_file: Option<PathBuf>,
    /// Connections this replica keeps open at most.
    pub pool_size: usize,
    /// How long a claimed check or delivery belongs to its replica without a renewal:
    /// the longest a dead replica's work waits before another replica redoes it.
    pub lease: Duration,
    /// How often a replica looks for due checks and pending deliveries.
    pub poll: Duration,
    /// How often a replica reads the results the other replicas wrote.
    pub sync: Duration,
    /// This replica's name in leases and logs; default `<hostname>-<pid>`.
    pub replica: Option<String>,
}

impl PostgresSettings {
    pub fn new(url: SecretSource) -> PostgresSettings {
        PostgresSettings {
            url,
            tls: PgTls::Require,
            ca_file: None,
            pool_size: 8,
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(500),
            sync: Duration::from_secs(2),
            replica: None,
        }
    }
}

/// `store:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StoreSettings {
    /// Everything under `state:` (one process).
    #[default]
    Files,
    Postgres(Box<PostgresSettings>),
}

impl StoreSettings {
    pub fn as_str(&self) -> &'static str {
        match self {
            StoreSettings::Files => "files",
            StoreSettings::Postgres(_) => "postgres",
        }
    }
}

const STORE_HELP: &str =
    "write `store: files` or `store: {postgres: {url: {env: APIDRIFT_DATABASE_URL}}}`";

pub(super) fn read_store(report: &mut FileReport, root: &Path, v: &Value) -> Option<StoreSettings> {
    if v.as_str() == Some("files") {
        return Some(StoreSettings::Files);
    }
    let Some(pg) = v.as_mapping().and_then(|_| v.get("postgres")) else {
        report.at_key(
            &["store"],
            Diagnostic::error(
                "config-invalid",
                "`store` must be `files` or `{postgres: ...}`",
            )
            .with_help(STORE_HELP),
        );
        return None;
    };
    if unknown_keys(report, v, &["store"], &["postgres"]) {
        return None;
    }
    if !pg.is_mapping() {
        type_error(report, &["store", "postgres"], "a mapping with `url`");
        return None;
    }
    if unknown_keys(report, pg, &["store", "postgres"], POSTGRES_KEYS) {
        return None;
    }
    let Some(url) = pg.get("url") else {
        report.at_key(
            &["store", "postgres"],
            Diagnostic::error("config-invalid", "`store.postgres.url` is required")
                .with_help("add `url: {env: APIDRIFT_DATABASE_URL}` (or `{file: PATH}`)"),
        );
        return None;
    };
    let url = read_secret(
        report,
        url,
        &["store", "postgres", "url"],
        root,
        "config-store-url",
        None,
    )?;
    let mut s = PostgresSettings::new(url);
    if let Some(t) = pg.get("tls") {
        match str_of(t).as_deref() {
            Some("disable") => s.tls = PgTls::Disable,
            Some("require") => s.tls = PgTls::Require,
            Some("verify") => s.tls = PgTls::Verify,
            _ => report.at_key(
                &["store", "postgres", "tls"],
                Diagnostic::error("config-invalid", "`tls` must be disable, require or verify")
                    .with_help("`verify` checks the server's certificate and name (with `ca_file` for a private CA)"),
            ),
        }
    }
    if let Some(c) = pg.get("ca_file") {
        match str_of(c) {
            Some(p) => {
                let p = root.join(p);
                if !p.is_file() {
                    report.at_key(
                        &["store", "postgres", "ca_file"],
                        Diagnostic::error(
                            "config-invalid",
                            format!("`{}` is not a readable file", p.display()),
                        )
                        .with_help("a PEM file of the CA certificates that signed the server's"),
                    );
                }
                s.ca_file = Some(p);
            }
            None => type_error(report, &["store", "postgres", "ca_file"], "a path"),
        }
    }
    if let Some(n) = pg.get("pool_size") {
        match n.as_u64() {
            Some(n @ 1..=1000) => s.pool_size = n as usize,
            _ => type_error(
                report,
                &["store", "postgres", "pool_size"],
                "a number from 1 to 1000",
            ),
        }
    }
    for (key, target, min) in [
        ("lease", &mut s.lease, Duration::from_secs(1)),
        ("poll", &mut s.poll, Duration::from_millis(10)),
        ("sync", &mut s.sync, Duration::from_millis(10)),
    ] {
        let Some(v) = pg.get(key) else { continue };
        let text = str_of(v).unwrap_or_default();
        match parse_duration(&text) {
            Ok(d) if d >= min => *target = d,
            Ok(_) => report.at_key(
                &["store", "postgres", key],
                Diagnostic::error(
                    "config-invalid",
                    format!("`{key}` must be at least {min:?}"),
                ),
            ),
            Err(e) => report.at_key(&["store", "postgres", key], duration_diag(&text, &e)),
        }
    }
    if s.lease < s.poll * 2 {
        report.at_key(
            &["store", "postgres", "lease"],
            Diagnostic::error(
                "config-invalid",
                "`lease` must be at least twice `poll`: a lease is renewed every third of it",
            ),
        );
    }
    if let Some(r) = pg.get("replica") {
        match str_of(r) {
            Some(r) if !r.trim().is_empty() && r.len() <= 100 => s.replica = Some(r),
            _ => type_error(
                report,
                &["store", "postgres", "replica"],
                "a name of at most 100 characters",
            ),
        }
    }
    Some(StoreSettings::Postgres(Box::new(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> crate::monitor::Validation {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("monitors")).unwrap();
        let p = dir.path().join("apidrift.yaml");
        std::fs::write(&p, yaml).unwrap();
        crate::monitor::load(&p, true)
    }

    fn diagnostics(v: &crate::monitor::Validation) -> String {
        v.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(|d| d.to_string()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn files_is_the_default_and_postgres_reads_every_setting() {
        assert_eq!(
            load("listen: 127.0.0.1:0\n").config.store,
            StoreSettings::Files
        );
        assert_eq!(load("store: files\n").config.store, StoreSettings::Files);
        // SAFETY of the test: a variable only this test reads.
        unsafe { std::env::set_var("APIDRIFT_TEST_STORE_URL_1", "postgres://u@h/db") };
        let v = load(
            "store:\n  postgres:\n    url: {env: APIDRIFT_TEST_STORE_URL_1}\n    tls: verify\n    pool_size: 3\n    lease: 10s\n    poll: 200ms\n    sync: 1s\n    replica: pod-a\n",
        );
        assert_eq!(v.errors(), 0, "{}", diagnostics(&v));
        let StoreSettings::Postgres(pg) = v.config.store else {
            panic!("not postgres");
        };
        assert_eq!(pg.url, SecretSource::env("APIDRIFT_TEST_STORE_URL_1"));
        assert_eq!(pg.tls, PgTls::Verify);
        assert_eq!(pg.pool_size, 3);
        assert_eq!(pg.lease, Duration::from_secs(10));
        assert_eq!(pg.poll, Duration::from_millis(200));
        assert_eq!(pg.sync, Duration::from_secs(1));
        assert_eq!(pg.replica.as_deref(), Some("pod-a"));
    }

    #[test]
    fn bad_store_settings_are_located_and_explained() {
        let v = load("store: sqlite\n");
        assert!(diagnostics(&v).contains("`store` must be `files` or `{postgres: ...}`"));
        let v = load("store:\n  postgres:\n    url: postgres://u:secret@h/db\n");
        let d = diagnostics(&v);
        assert!(
            d.contains("must be `{env: VAR}`") && !d.contains("secret@"),
            "{d}"
        );
        let v = load("store:\n  postgres:\n    url: {env: APIDRIFT_TEST_SURELY_UNSET_URL}\n");
        assert!(diagnostics(&v).contains("APIDRIFT_TEST_SURELY_UNSET_URL"));
        unsafe { std::env::set_var("APIDRIFT_TEST_STORE_URL_2", "postgres://u@h/db") };
        let v = load(
            "store:\n  postgres:\n    url: {env: APIDRIFT_TEST_STORE_URL_2}\n    tls: maybe\n    lease: 1s\n    poll: 900ms\n    colour: blue\n",
        );
        let d = diagnostics(&v);
        assert!(d.contains("colour"), "{d}");
        let v = load(
            "store:\n  postgres:\n    url: {env: APIDRIFT_TEST_STORE_URL_2}\n    tls: maybe\n    lease: 1s\n    poll: 900ms\n",
        );
        let d = diagnostics(&v);
        assert!(d.contains("apidrift.yaml:4:"), "tls is located: {d}");
        assert!(d.contains("disable, require or verify"), "{d}");
        assert!(d.contains("at least twice `poll`"), "{d}");
    }
}
