//! The configuration files: `apidrift.yaml` (global) and `monitors/*.yaml` (one
//! integration each). Owns parsing, validation with `file:line:col` diagnostics (every
//! problem at once, with hints), and the validated `Config` / `Monitor` types.
//!
//! Must not: fetch anything, or read a secret's value except to check that it exists.
//! `consumes`, `samples` and `preflight` are typed in `contract`; `smtp`, `webhooks`
//! and `notify` in `notify_config` (a monitor's raw `notify` waits in `extra` until
//! `notify_config::read_monitors` types it).

pub mod api_config;
pub mod contract;
pub mod locate;
pub mod notify_config;
pub mod secret;
pub mod store_config;

use crate::diagnostic::{Diagnostic, Severity};
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use locate::{did_you_mean, locate_key};
use secret::{Auth, SecretRef};
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Keys of `apidrift.yaml`. Must match `RawGlobal`.
const GLOBAL_KEYS: &[&str] = &[
    "listen",
    "monitors",
    "baselines",
    "state",
    "max_concurrency",
    "max_per_host",
    "max_spec_bytes",
    "retries",
    "ca_file",
    "shutdown_timeout",
    "reload_interval",
    "smtp",
    "webhooks",
    "outbox",
    "external_url",
    "history",
    "api",
    "store",
];
/// Keys of `history:` in `apidrift.yaml`.
const HISTORY_KEYS: &[&str] = &["max_age", "max_episodes"];
/// Keys of a monitor file. Must match `RawMonitor`.
const MONITOR_KEYS: &[&str] = &[
    "name",
    "owner",
    "schedule",
    "jitter",
    "timeout",
    "spec",
    "confirm_after",
    "consumes",
    "samples",
    "notify",
    "preflight",
];
const SPEC_KEYS: &[&str] = &["url", "path", "headers", "auth"];
const AUTH_KEYS: &[&str] = &[
    "bearer_env",
    "bearer_file",
    "username",
    "username_env",
    "password_env",
    "password_file",
    "header",
    "value_env",
    "value_file",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlobal {
    listen: Option<String>,
    monitors: Option<String>,
    baselines: Option<String>,
    state: Option<String>,
    max_concurrency: Option<usize>,
    max_per_host: Option<usize>,
    max_spec_bytes: Option<u64>,
    retries: Option<u32>,
    ca_file: Option<String>,
    shutdown_timeout: Option<String>,
    reload_interval: Option<String>,
    smtp: Option<Value>,
    webhooks: Option<Value>,
    outbox: Option<Value>,
    external_url: Option<String>,
    history: Option<Value>,
    api: Option<Value>,
    store: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    max_age: Option<String>,
    max_episodes: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonitor {
    name: String,
    owner: Option<String>,
    schedule: String,
    jitter: Option<String>,
    timeout: Option<String>,
    spec: RawSpec,
    confirm_after: Option<u32>,
    consumes: Option<Value>,
    samples: Option<Value>,
    notify: Option<Value>,
    preflight: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    auth: Option<RawAuth>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    bearer_env: Option<String>,
    bearer_file: Option<String>,
    username: Option<String>,
    username_env: Option<String>,
    password_env: Option<String>,
    password_file: Option<String>,
    header: Option<String>,
    value_env: Option<String>,
    value_file: Option<String>,
}

/// Where an integration's spec comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(url::Url),
    /// A local file, already resolved relative to the monitor file.
    Path(PathBuf),
}

impl Source {
    /// A form safe to print and store: URLs lose their query and fragment (which can
    /// carry tokens); paths are shown as configured.
    pub fn display(&self) -> String {
        match self {
            Source::Url(u) => {
                let mut u = u.clone();
                u.set_query(None);
                u.set_fragment(None);
                u.to_string()
            }
            Source::Path(p) => p.display().to_string(),
        }
    }

    /// The host a request goes to (for per-host concurrency limits); `None` for files.
    pub fn host(&self) -> Option<String> {
        match self {
            Source::Url(u) => u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            }),
            Source::Path(_) => None,
        }
    }
}

/// One validated integration.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    /// Unique, `[a-z0-9-]`.
    pub name: String,
    pub owner: Option<String>,
    /// The cron expression as written.
    pub schedule: String,
    /// Shared: a parsed `Cron` holds a bit per possible year (about 5 KB), and the
    /// daemon keeps several copies of every monitor (10,000 monitors: issue 3).
    pub cron: std::sync::Arc<Cron>,
    pub jitter: Duration,
    pub timeout: Duration,
    pub source: Source,
    pub headers: BTreeMap<String, String>,
    pub auth: Option<Auth>,
    /// Consecutive polls that must see the same drift before it is confirmed (>= 1).
    pub confirm_after: u32,
    /// The monitor file.
    pub file: PathBuf,
    /// `consumes`, `samples`, `preflight` (empty when absent).
    pub visibility: contract::Visibility,
    /// Sections of later features, kept raw.
    pub extra: BTreeMap<String, Value>,
    /// `notify:` (email recipients, webhooks, command, reminder and failing delays).
    pub notify: Option<notify_config::NotifySettings>,
}

/// The validated configuration: global settings and every valid monitor, by name.
#[derive(Debug, Clone)]
pub struct Config {
    /// The global file, when one was read.
    pub file: Option<PathBuf>,
    /// The directory relative paths are resolved from (the global file's directory).
    pub root: PathBuf,
    pub listen: String,
    pub monitors_dir: PathBuf,
    pub baselines_dir: PathBuf,
    pub state_dir: PathBuf,
    /// Checks running at once, over all integrations.
    pub max_concurrency: usize,
    /// Checks running at once against one vendor host.
    pub max_per_host: usize,
    pub max_spec_bytes: u64,
    /// Extra attempts after a transient fetch failure.
    pub retries: u32,
    /// `ca_file`: a PEM file of CA certificates trusted for vendor requests, in
    /// addition to the system's roots (a private vendor CA, a TLS-inspecting proxy).
    pub ca_file: Option<PathBuf>,
    pub shutdown_timeout: Duration,
    /// How often `run` looks for changes in the monitors directory.
    pub reload_interval: Duration,
    pub monitors: BTreeMap<String, Monitor>,
    /// `smtp`: how email is sent; `None` when not configured.
    pub smtp: Option<notify_config::SmtpSettings>,
    /// `webhooks`: the named receivers monitors refer to in `notify.webhook`.
    pub webhooks: Vec<notify_config::WebhookSettings>,
    /// `outbox`: how failed notifications are retried before they are dead-lettered.
    pub outbox_retry: crate::notify::RetryPolicy,
    /// `external_url`: where people reach the daemon's pages (as Alertmanager's
    /// `--web.external-url`), without a trailing `/`; `None`: `http://<listen>`.
    pub external_url: Option<String>,
    /// `history`: how much drift history is kept per integration.
    pub history: crate::state::history::Policy,
    /// `api`: the tokens of the control API and the MCP server.
    pub api: api_config::ApiSettings,
    /// `store`: files (default) or PostgreSQL shared by several replicas.
    pub store: store_config::StoreSettings,
}

impl Config {
    /// Built-in defaults, paths relative to `root`.
    pub fn defaults(root: &Path) -> Config {
        Config {
            file: None,
            root: root.to_path_buf(),
            listen: "127.0.0.1:9464".to_string(),
            monitors_dir: root.join("monitors"),
            baselines_dir: root.join("baselines"),
            state_dir: root.join("state"),
            max_concurrency: 16,
            max_per_host: 4,
            max_spec_bytes: 64 * 1024 * 1024,
            retries: 2,
            ca_file: None,
            shutdown_timeout: Duration::from_secs(30),
            reload_interval: Duration::from_secs(5),
            monitors: BTreeMap::new(),
            smtp: None,
            webhooks: Vec::new(),
            outbox_retry: crate::notify::RetryPolicy::default(),
            external_url: None,
            history: crate::state::history::Policy::default(),
            api: api_config::ApiSettings::default(),
            store: store_config::StoreSettings::Files,
        }
    }

    /// The base URL of the daemon's pages: `external_url`, else `http://<listen>`.
    pub fn page_base(&self) -> String {
        self.external_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }
}

/// How a file fared in validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Ok,
    Warning,
    Error,
}

impl FileStatus {
    /// `√`, `~` or `x`.
    pub fn mark(self) -> &'static str {
        match self {
            FileStatus::Ok => "√",
            FileStatus::Warning => "~",
            FileStatus::Error => "x",
        }
    }
}

/// One file read during validation, with its problems.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    /// The monitor name, when the file declares one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<String>,
    pub status: FileStatus,
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    pub source: String,
}

impl FileReport {
    fn new(file: &Path, source: String) -> FileReport {
        FileReport {
            file: file.display().to_string(),
            monitor: None,
            status: FileStatus::Ok,
            diagnostics: Vec::new(),
            source,
        }
    }

    fn push(&mut self, d: Diagnostic) {
        let d = d.in_file(self.file.clone());
        self.status = self.status.max_with(d.severity);
        self.diagnostics.push(d);
    }

    /// A diagnostic located at the key `path` of this file's text.
    fn at_key(&mut self, path: &[&str], d: Diagnostic) {
        let d = match locate_key(&self.source, path) {
            Some((l, c)) => d.at(l, c),
            None => d,
        };
        self.push(d);
    }
}

impl FileStatus {
    fn max_with(self, s: Severity) -> FileStatus {
        match (self, s) {
            (_, Severity::Error) | (FileStatus::Error, _) => FileStatus::Error,
            _ => FileStatus::Warning,
        }
    }
}

/// The outcome of reading the configuration: the valid part, and every file's report.
#[derive(Debug, Clone)]
pub struct Validation {
    pub config: Config,
    pub files: Vec<FileReport>,
}

impl Validation {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    }
}

/// Reads `config_path` (or built-in defaults when it is absent and `required` is
/// false) and every monitor file, collecting every problem.
pub fn load(config_path: &Path, required: bool) -> Validation {
    let root = config_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut config = Config::defaults(&root);
    let mut files = Vec::new();

    match std::fs::read_to_string(config_path) {
        Ok(text) => {
            let mut report = FileReport::new(config_path, text);
            config.file = Some(config_path.to_path_buf());
            read_global(&mut report, &root, &mut config);
            files.push(report);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
        Err(e) => {
            let mut report = FileReport::new(config_path, String::new());
            report.push(
                Diagnostic::error("config-unreadable", format!("cannot read: {e}")).with_help(
                    "pass --config FILE, or run from the directory holding apidrift.yaml",
                ),
            );
            files.push(report);
            return Validation { config, files };
        }
    }

    let entries = match std::fs::read_dir(&config.monitors_dir) {
        Ok(rd) => {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            v.sort();
            v
        }
        Err(e) => {
            let file = config
                .file
                .clone()
                .unwrap_or_else(|| config_path.to_path_buf());
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let mut report = FileReport::new(&file, text);
            report.at_key(
                &["monitors"],
                Diagnostic::error(
                    "config-monitors-dir",
                    format!(
                        "cannot read monitors directory `{}`: {e}",
                        config.monitors_dir.display()
                    ),
                )
                .with_help("create it, or set `monitors:` in apidrift.yaml"),
            );
            merge_report(&mut files, report);
            return Validation { config, files };
        }
    };

    let mut seen: HashMap<String, String> = HashMap::new();
    for path in entries {
        let (report, monitor) = read_monitor_file(&path, &mut seen);
        if let Some(m) = monitor
            && report.status != FileStatus::Error
        {
            config.monitors.insert(m.name.clone(), m);
        }
        files.push(report);
    }
    notify_config::read_monitors(&mut files, &mut config);
    Validation { config, files }
}

fn merge_report(files: &mut Vec<FileReport>, report: FileReport) {
    if let Some(existing) = files.iter_mut().find(|f| f.file == report.file) {
        for d in report.diagnostics {
            existing.status = existing.status.max_with(d.severity);
            existing.diagnostics.push(d);
        }
    } else {
        files.push(report);
    }
}

/// Strips serde_yaml's trailing " at line L column C" (we report the place ourselves).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let s = e.to_string();
    // The pattern is a literal that compiles; `expect` cannot fire.
    let re = regex::Regex::new(r" at line \d+ column \d+").expect("valid regex");
    re.replace_all(&s, "").into_owned()
}

fn yaml_error(report: &mut FileReport, e: &serde_yaml::Error, keys: &[&str]) {
    let msg = yaml_message(e);
    let mut d = Diagnostic::error("config-invalid", msg.clone());
    if let Some(field) = msg
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        d.code = "config-unknown-field";
        if let Some(s) = did_you_mean(field, keys) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
    }
    if let Some(loc) = e.location() {
        d = d.at(loc.line() as u32, loc.column() as u32);
    }
    report.push(d);
}

/// Reports every key of `map` (at `path`) that is not in `allowed`.
fn unknown_keys(report: &mut FileReport, map: &Value, path: &[&str], allowed: &[&str]) -> bool {
    let Value::Mapping(m) = map else {
        return false;
    };
    let mut any = false;
    for k in m.keys() {
        let Some(k) = k.as_str() else { continue };
        if allowed.contains(&k) {
            continue;
        }
        any = true;
        let mut full: Vec<&str> = path.to_vec();
        full.push(k);
        let mut d = Diagnostic::error("config-unknown-field", format!("unknown field `{k}`"));
        d = match did_you_mean(k, allowed) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("expected one of: {}", allowed.join(", "))),
        };
        report.at_key(&full, d);
    }
    any
}

fn read_global(report: &mut FileReport, root: &Path, config: &mut Config) {
    let value: Value = match serde_yaml::from_str(&report.source) {
        Ok(v) => v,
        Err(e) => return yaml_error(report, &e, GLOBAL_KEYS),
    };
    if value.is_null() {
        return;
    }
    if unknown_keys(report, &value, &[], GLOBAL_KEYS) {
        return;
    }
    let raw: RawGlobal = match serde_yaml::from_str(&report.source) {
        Ok(r) => r,
        Err(e) => return yaml_error(report, &e, GLOBAL_KEYS),
    };
    if let Some(l) = raw.listen {
        if l.parse::<std::net::SocketAddr>().is_err() {
            report.at_key(
                &["listen"],
                Diagnostic::error("config-listen", format!("`{l}` is not an address"))
                    .with_help("write host:port, e.g. 127.0.0.1:9464"),
            );
        }
        config.listen = l;
    }
    if let Some(d) = raw.monitors {
        config.monitors_dir = root.join(d);
    }
    if let Some(d) = raw.baselines {
        config.baselines_dir = root.join(d);
    }
    if let Some(d) = raw.state {
        config.state_dir = root.join(d);
    }
    for (key, v, target) in [
        (
            "max_concurrency",
            raw.max_concurrency,
            &mut config.max_concurrency,
        ),
        ("max_per_host", raw.max_per_host, &mut config.max_per_host),
    ] {
        match v {
            Some(0) => report.at_key(
                &[key],
                Diagnostic::error("config-range", format!("`{key}` must be at least 1")),
            ),
            Some(n) => *target = n,
            None => {}
        }
    }
    if let Some(n) = raw.max_spec_bytes {
        config.max_spec_bytes = n;
    }
    if let Some(n) = raw.retries {
        config.retries = n.min(10);
    }
    if let Some(f) = raw.ca_file {
        let full = root.join(&f);
        let pem = std::fs::read(&full);
        let problem = match &pem {
            Err(e) => Some(format!("cannot read `{}`: {e}", full.display())),
            Ok(b) if !String::from_utf8_lossy(b).contains("-----BEGIN CERTIFICATE-----") => {
                Some(format!("`{}` holds no PEM certificate", full.display()))
            }
            Ok(_) => None,
        };
        if let Some(p) = problem {
            report.at_key(
                &["ca_file"],
                Diagnostic::error("config-ca-file", p).with_help(
                    "a PEM file of CA certificates for vendor requests, relative to apidrift.yaml",
                ),
            );
        }
        config.ca_file = Some(full);
    }
    for (key, v, target) in [
        (
            "shutdown_timeout",
            raw.shutdown_timeout,
            &mut config.shutdown_timeout,
        ),
        (
            "reload_interval",
            raw.reload_interval,
            &mut config.reload_interval,
        ),
    ] {
        if let Some(s) = v {
            match parse_duration(&s) {
                Ok(d) => *target = d,
                Err(e) => report.at_key(&[key], duration_diag(&s, &e)),
            }
        }
    }
    notify_config::read_global(report, root, raw.smtp, raw.webhooks, config);
    if let Some(v) = raw.outbox {
        notify_config::read_outbox(report, &v, config);
    }
    if let Some(u) = raw.external_url {
        match external_url(&u) {
            Ok(u) => config.external_url = Some(u),
            Err(e) => report.at_key(
                &["external_url"],
                Diagnostic::error("config-external-url", format!("`{u}`: {e}"))
                    .with_help("write the URL people open, e.g. https://apidrift.example.com or https://ops.example.com/apidrift"),
            ),
        }
    }
    if let Some(v) = raw.history {
        read_history(report, &v, config);
    }
    if let Some(v) = raw.api {
        api_config::read_api(report, root, &v, &mut config.api);
    }
    if let Some(v) = raw.store
        && let Some(s) = store_config::read_store(report, root, &v)
    {
        config.store = s;
    }
}

/// Checks `external_url`: absolute http(s), no credentials, query or fragment; returns
/// it without a trailing `/`.
fn external_url(s: &str) -> Result<String, String> {
    let u = url::Url::parse(s.trim()).map_err(|e| e.to_string())?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err("must be http:// or https://".into());
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("must not carry a user or password".into());
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    Ok(u.as_str().trim_end_matches('/').to_string())
}

fn read_history(report: &mut FileReport, v: &Value, config: &mut Config) {
    if unknown_keys(report, v, &["history"], HISTORY_KEYS) {
        return;
    }
    let raw: RawHistory = match serde_yaml::from_value(v.clone()) {
        Ok(r) => r,
        Err(e) => {
            report.at_key(
                &["history"],
                Diagnostic::error("config-invalid", format!("history: {e}"))
                    .with_help("write `history: {max_age: 90d, max_episodes: 200}`"),
            );
            return;
        }
    };
    if let Some(s) = raw.max_age {
        match parse_duration(&s) {
            Ok(d) if !d.is_zero() => config.history.max_age = d,
            Ok(_) => report.at_key(
                &["history", "max_age"],
                Diagnostic::error("config-range", "`max_age` must be more than 0"),
            ),
            Err(e) => report.at_key(&["history", "max_age"], duration_diag(&s, &e)),
        }
    }
    match raw.max_episodes {
        Some(0) => report.at_key(
            &["history", "max_episodes"],
            Diagnostic::error("config-range", "`max_episodes` must be at least 1"),
        ),
        Some(n) => config.history.max_episodes = n,
        None => {}
    }
}

fn duration_diag(s: &str, e: &str) -> Diagnostic {
    Diagnostic::error("config-duration", format!("`{s}` is not a duration: {e}"))
        .with_help("write a number with a unit: 500ms, 30s, 5m, 1h, 90d, or 1m30s")
}

/// Parses `500ms`, `30s`, `5m`, `1h`, `90d`, `1h30m`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty".into());
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(format!("expected a number at `{rest}`"));
        }
        let n: u64 = rest[..digits].parse().map_err(|_| "number too large")?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let d = match unit {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.saturating_mul(60)),
            "h" => Duration::from_secs(n.saturating_mul(3600)),
            "d" => Duration::from_secs(n.saturating_mul(86_400)),
            "" => return Err("missing unit".into()),
            u => return Err(format!("unknown unit `{u}`")),
        };
        total = total.saturating_add(d);
    }
    Ok(total)
}

/// Parses a 5-field (minute precision) or 6-field (with seconds) cron expression.
pub fn parse_cron(s: &str) -> Result<Cron, String> {
    let fields = s.split_whitespace().count();
    if fields != 5 && fields != 6 {
        return Err(format!(
            "expected 5 fields (minute hour day month weekday) or 6 (with seconds first), found {fields}"
        ));
    }
    CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .build()
        .parse(s)
        .map_err(|e| e.to_string())
}

/// Removes `.` and `name/..` pairs without touching the file system, so paths print as
/// `examples/x.yaml` rather than `monitors/../examples/x.yaml`.
fn clean_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            c => out.push(c.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 63
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !n.starts_with('-')
        && !n.ends_with('-')
}

/// Header names that carry credentials and so must come through `auth`.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
];

fn read_monitor_file(
    path: &Path,
    seen: &mut HashMap<String, String>,
) -> (FileReport, Option<Monitor>) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let mut r = FileReport::new(path, String::new());
            r.push(Diagnostic::error(
                "monitor-unreadable",
                format!("cannot read: {e}"),
            ));
            return (r, None);
        }
    };
    let mut r = FileReport::new(path, text);
    let value: Value = match serde_yaml::from_str(&r.source) {
        Ok(v) => v,
        Err(e) => {
            yaml_error(&mut r, &e, MONITOR_KEYS);
            return (r, None);
        }
    };
    if !value.is_mapping() {
        r.push(
            Diagnostic::error("monitor-invalid", "a monitor file must be a mapping")
                .at(1, 1)
                .with_help("start with `name: my-integration`"),
        );
        return (r, None);
    }
    if let Some(Value::String(n)) = value.get("name") {
        r.monitor = Some(n.clone());
    }
    let mut bad = unknown_keys(&mut r, &value, &[], MONITOR_KEYS);
    if let Some(spec) = value.get("spec") {
        bad |= unknown_keys(&mut r, spec, &["spec"], SPEC_KEYS);
        if let Some(auth) = spec.get("auth") {
            bad |= unknown_keys(&mut r, auth, &["spec", "auth"], AUTH_KEYS);
        }
    }
    if bad {
        return (r, None);
    }
    let raw: RawMonitor = match serde_yaml::from_str(&r.source) {
        Ok(m) => m,
        Err(e) => {
            yaml_error(&mut r, &e, MONITOR_KEYS);
            return (r, None);
        }
    };
    let monitor = validate_monitor(&mut r, path, raw, seen);
    (r, monitor)
}

fn validate_monitor(
    r: &mut FileReport,
    path: &Path,
    raw: RawMonitor,
    seen: &mut HashMap<String, String>,
) -> Option<Monitor> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if !valid_name(&raw.name) {
        r.at_key(
            &["name"],
            Diagnostic::error("monitor-name", format!("invalid name `{}`", raw.name)).with_help(
                "use 1-63 characters from a-z, 0-9 and `-`, not starting or ending with `-`",
            ),
        );
    } else if let Some(first) = seen.get(&raw.name) {
        r.at_key(
            &["name"],
            Diagnostic::error(
                "monitor-duplicate-name",
                format!("duplicate monitor name `{}`", raw.name),
            )
            .with_help(format!("first defined in {first}; names must be unique")),
        );
    } else {
        seen.insert(raw.name.clone(), r.file.clone());
    }
    if raw.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
        r.at_key(
            &["name"],
            Diagnostic::warning(
                "monitor-no-owner",
                "no `owner`: nobody will be told about drift",
            )
            .with_help("add `owner: team-oncall@example.com`"),
        );
    }
    let cron = match parse_cron(&raw.schedule) {
        Ok(c) => Some(c),
        Err(e) => {
            r.at_key(
                &["schedule"],
                Diagnostic::error(
                    "monitor-bad-cron",
                    format!("invalid cron expression `{}`: {e}", raw.schedule),
                )
                .with_help("e.g. \"*/15 * * * *\" (every 15 minutes) or \"0 */5 * * * *\" (6 fields, with seconds)"),
            );
            None
        }
    };
    let mut duration = |key: &str, v: &Option<String>, default: Duration| -> Duration {
        match v {
            None => default,
            Some(s) => match parse_duration(s) {
                Ok(d) => d,
                Err(e) => {
                    r.at_key(&[key], duration_diag(s, &e));
                    default
                }
            },
        }
    };
    let jitter = duration("jitter", &raw.jitter, Duration::ZERO);
    let timeout = duration("timeout", &raw.timeout, Duration::from_secs(30));
    if timeout.is_zero() {
        r.at_key(
            &["timeout"],
            Diagnostic::error("monitor-timeout", "`timeout` must be more than 0s"),
        );
    }
    let confirm_after = match raw.confirm_after {
        Some(0) => {
            r.at_key(
                &["confirm_after"],
                Diagnostic::error(
                    "monitor-confirm-after",
                    "`confirm_after` must be at least 1",
                ),
            );
            1
        }
        Some(n) => n,
        None => 1,
    };

    let source = match (&raw.spec.url, &raw.spec.path) {
        (Some(_), Some(_)) => {
            r.at_key(
                &["spec", "path"],
                Diagnostic::error("monitor-spec-source", "`spec` has both `url` and `path`")
                    .with_help("keep one of them"),
            );
            None
        }
        (None, None) => {
            r.at_key(
                &["spec"],
                Diagnostic::error("monitor-spec-source", "`spec` needs `url` or `path`").with_help(
                    "add `url: https://vendor.example/openapi.yaml` or `path: specs/vendor.yaml`",
                ),
            );
            None
        }
        (Some(u), None) => match url::Url::parse(u) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                if !url.username().is_empty() || url.password().is_some() {
                    r.at_key(
                        &["spec", "url"],
                        Diagnostic::error("monitor-inline-secret", "the URL carries credentials")
                            .with_help("use `auth: {basic: ...}` with env vars or files"),
                    );
                }
                Some(Source::Url(url))
            }
            Ok(url) => {
                r.at_key(
                    &["spec", "url"],
                    Diagnostic::error(
                        "monitor-spec-url",
                        format!("unsupported URL scheme `{}`", url.scheme()),
                    )
                    .with_help("use http(s)://, or `path:` for a local file"),
                );
                None
            }
            Err(e) => {
                r.at_key(
                    &["spec", "url"],
                    Diagnostic::error("monitor-spec-url", format!("invalid URL `{u}`: {e}")),
                );
                None
            }
        },
        (None, Some(p)) => {
            let full = clean_path(&dir.join(p));
            match std::fs::File::open(&full) {
                Ok(_) => Some(Source::Path(full)),
                Err(e) => {
                    r.at_key(
                        &["spec", "path"],
                        Diagnostic::error(
                            "monitor-unreadable-path",
                            format!("cannot read `{}`: {e}", full.display()),
                        )
                        .with_help("paths are relative to the monitor file"),
                    );
                    None
                }
            }
        }
    };

    for name in raw.spec.headers.keys() {
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            r.at_key(
                &["spec", "headers", name],
                Diagnostic::error(
                    "monitor-inline-secret",
                    format!("header `{name}` carries a credential written in the file"),
                )
                .with_help("use `auth: {header: NAME, value_env: VAR}` (or bearer_env, basic)"),
            );
        }
    }
    let auth = raw
        .spec
        .auth
        .as_ref()
        .and_then(|a| read_auth(r, a, &dir, &["spec", "auth"]));
    let visibility = if raw.consumes.is_some() || raw.samples.is_some() || raw.preflight.is_some() {
        contract::read(r, &dir)
    } else {
        contract::Visibility::default()
    };

    let mut extra = BTreeMap::new();
    for (k, v) in [("notify", raw.notify)] {
        if let Some(v) = v {
            extra.insert(k.to_string(), v);
        }
    }

    Some(Monitor {
        name: raw.name,
        owner: raw.owner,
        schedule: raw.schedule,
        cron: std::sync::Arc::new(cron?),
        jitter,
        timeout,
        source: source?,
        headers: raw.spec.headers,
        auth,
        confirm_after,
        file: path.to_path_buf(),
        visibility,
        extra,
        notify: None,
    })
}

/// Reads an `auth:` map found at key path `at` (for diagnostics).
fn read_auth(r: &mut FileReport, a: &RawAuth, dir: &Path, at: &[&str]) -> Option<Auth> {
    let sub = |k: &str| -> Vec<String> {
        at.iter()
            .map(|s| s.to_string())
            .chain([k.to_string()])
            .collect()
    };
    let secret =
        |env: &Option<String>, file: &Option<String>| -> Option<Result<SecretRef, &'static str>> {
            match (env, file) {
                (Some(_), Some(_)) => Some(Err("both")),
                (Some(e), None) => Some(Ok(SecretRef::Env(e.clone()))),
                (None, Some(f)) => Some(Ok(SecretRef::File(dir.join(f)))),
                (None, None) => None,
            }
        };
    let bearer = secret(&a.bearer_env, &a.bearer_file);
    let password = secret(&a.password_env, &a.password_file);
    let value = secret(&a.value_env, &a.value_file);
    let user = match (&a.username, &a.username_env) {
        (Some(u), None) => Some(SecretRef::Literal(u.clone())),
        (None, Some(e)) => Some(SecretRef::Env(e.clone())),
        (Some(_), Some(_)) => {
            r.at_key(
                &sub("username")
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                Diagnostic::error("monitor-auth", "`username` and `username_env` both set"),
            );
            None
        }
        (None, None) => None,
    };
    let schemes = [
        bearer.is_some(),
        password.is_some() || user.is_some(),
        value.is_some() || a.header.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if schemes != 1 {
        r.at_key(
            at,
            Diagnostic::error(
                "monitor-auth",
                if schemes == 0 { "`auth` is empty" } else { "`auth` mixes several schemes" },
            )
            .with_help("use one of: {bearer_env|bearer_file}, {username[_env], password_env|password_file}, {header, value_env|value_file}"),
        );
        return None;
    }
    let check = |r: &mut FileReport,
                 key: &str,
                 s: Option<Result<SecretRef, &'static str>>,
                 what: &str|
     -> Option<SecretRef> {
        match s {
            Some(Ok(s)) => {
                if let Err(e) = s.resolve() {
                    let help = match &s {
                        SecretRef::Env(v) => {
                            format!("export {v}=... before running, or use a `_file` key")
                        }
                        _ => "check the path (relative to the monitor file) and its permissions"
                            .to_string(),
                    };
                    r.at_key(
                        &sub(key).iter().map(String::as_str).collect::<Vec<_>>(),
                        Diagnostic::error("monitor-missing-secret", e.to_string()).with_help(help),
                    );
                }
                Some(s)
            }
            Some(Err(_)) => {
                r.at_key(
                    &sub(key).iter().map(String::as_str).collect::<Vec<_>>(),
                    Diagnostic::error(
                        "monitor-auth",
                        format!("{what}: set `_env` or `_file`, not both"),
                    ),
                );
                None
            }
            None => {
                r.at_key(
                    at,
                    Diagnostic::error("monitor-auth", format!("{what} is missing")),
                );
                None
            }
        }
    };
    let key_of =
        |env: &Option<String>, e: &'static str, f: &'static str| if env.is_some() { e } else { f };
    if bearer.is_some() {
        let k = key_of(&a.bearer_env, "bearer_env", "bearer_file");
        return check(r, k, bearer, "bearer token").map(Auth::Bearer);
    }
    if password.is_some() || user.is_some() {
        let u = match user {
            Some(u) => {
                if let SecretRef::Env(_) = u {
                    check(r, "username_env", Some(Ok(u)), "user name")
                } else {
                    Some(u)
                }
            }
            None => {
                r.at_key(
                    at,
                    Diagnostic::error(
                        "monitor-auth",
                        "basic auth needs `username` or `username_env`",
                    ),
                );
                None
            }
        };
        let k = key_of(&a.password_env, "password_env", "password_file");
        let p = check(r, k, password, "password");
        return Some(Auth::Basic {
            username: u?,
            password: p?,
        });
    }
    let Some(name) = a.header.clone() else {
        r.at_key(
            at,
            Diagnostic::error("monitor-auth", "`value_env`/`value_file` need `header`"),
        );
        return None;
    };
    let k = key_of(&a.value_env, "value_env", "value_file");
    let v = check(r, k, value, "header value")?;
    Some(Auth::Header { name, value: v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("30").is_err());
        assert_eq!(parse_duration("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert!(parse_duration("3w").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn paths_are_cleaned_lexically() {
        assert_eq!(
            clean_path(Path::new("monitors/../examples/x.yaml")),
            PathBuf::from("examples/x.yaml")
        );
        assert_eq!(clean_path(Path::new("../a/./b")), PathBuf::from("../a/b"));
        assert_eq!(clean_path(Path::new("/t/m/../s")), PathBuf::from("/t/s"));
    }

    #[test]
    fn names_are_lowercase_digits_and_dashes() {
        assert!(valid_name("okta-users-2"));
        assert!(!valid_name("Okta"));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a_b"));
        assert!(!valid_name(""));
    }

    #[test]
    fn every_known_key_is_accepted_by_the_typed_structs() {
        // The key lists drive the did-you-mean walk; the structs drive parsing. A key
        // in a list but not in its struct would pass the walk and then fail parsing.
        let all_monitor: String = MONITOR_KEYS
            .iter()
            .map(|k| match *k {
                "name" => "name: a\n".to_string(),
                "schedule" => "schedule: '* * * * *'\n".to_string(),
                "spec" => format!(
                    "spec:\n{}",
                    SPEC_KEYS
                        .iter()
                        .map(|s| match *s {
                            "headers" => "  headers: {}\n".to_string(),
                            "auth" => format!(
                                "  auth:\n{}",
                                AUTH_KEYS
                                    .iter()
                                    .map(|a| format!("    {a}: x\n"))
                                    .collect::<String>()
                            ),
                            s => format!("  {s}: x\n"),
                        })
                        .collect::<String>()
                ),
                "confirm_after" => "confirm_after: 1\n".to_string(),
                k => format!("{k}: x\n"),
            })
            .collect();
        let r: Result<RawMonitor, _> = serde_yaml::from_str(&all_monitor);
        assert!(r.is_ok(), "{all_monitor}\n{r:?}");
        let all_global: String = GLOBAL_KEYS
            .iter()
            .map(|k| match *k {
                "max_concurrency" | "max_per_host" | "max_spec_bytes" | "retries" => {
                    format!("{k}: 1\n")
                }
                k => format!("{k}: x\n"),
            })
            .collect();
        let r: Result<RawGlobal, _> = serde_yaml::from_str(&all_global);
        assert!(r.is_ok(), "{r:?}");
    }
}
