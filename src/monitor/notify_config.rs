//! The notification sections of the configuration: `smtp` and `webhooks` in
//! `apidrift.yaml`, and a monitor's `notify:`. Owns their typed form and their
//! validation (unknown keys with did-you-mean, missing env var or secret file, bad email
//! address, unknown webhook name, bad durations), reported at `file:line:col`.
//!
//! Must not: send anything, or keep a secret's value: secrets stay `SecretSource`s and
//! are read when the daemon builds its channels (`SmtpSettings::resolve`,
//! `WebhookSettings::resolve`); validation only checks that they can be read.

use super::locate::{did_you_mean, locate_key};
use super::{Config, FileReport, duration_diag, parse_duration, unknown_keys};
use crate::diagnostic::Diagnostic;
use crate::notify::command::CommandConfig;
use crate::notify::email::{SmtpConfig, TlsMode};
use crate::notify::webhook::WebhookConfig;
use crate::notify::{Routes, SecretSource, TrackerPolicy};
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SMTP_KEYS: &[&str] = &[
    "host", "port", "tls", "username", "password", "from", "ca_file", "timeout",
];
const WEBHOOK_KEYS: &[&str] = &["name", "url", "secret", "timeout"];
const SECRET_KEYS: &[&str] = &["env", "file"];
const NOTIFY_KEYS: &[&str] = &[
    "email",
    "webhook",
    "command",
    "remind_after",
    "failing_after",
];
const COMMAND_KEYS: &[&str] = &["argv", "timeout"];
const OUTBOX_KEYS: &[&str] = &["retry_base", "retry_max_delay", "max_attempts"];

/// A user name: written in the file (not a secret), or from env / file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserName {
    Literal(String),
    Secret(SecretSource),
}

/// The `smtp` section, secrets unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<UserName>,
    pub password: Option<SecretSource>,
    pub from: String,
    /// A PEM file of CA certificates to trust instead of the system roots (a private
    /// relay, tests).
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

impl SmtpSettings {
    /// The settings with secrets read now (the daemon calls this at start).
    pub fn resolve(&self) -> Result<SmtpConfig, String> {
        let username = match &self.username {
            None => None,
            Some(UserName::Literal(u)) => Some(u.clone()),
            Some(UserName::Secret(s)) => {
                Some(s.resolve().map_err(|e| e.to_string())?.expose().to_string())
            }
        };
        let password = match &self.password {
            None => None,
            Some(s) => Some(s.resolve().map_err(|e| e.to_string())?),
        };
        Ok(SmtpConfig {
            host: self.host.clone(),
            port: self.port,
            tls: self.tls,
            username,
            password,
            from: self.from.clone(),
            timeout: self.timeout,
            ca_file: self.ca_file.clone(),
        })
    }
}

/// One entry of `webhooks`, secret unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    pub name: String,
    pub url: String,
    pub secret: SecretSource,
    pub timeout: Duration,
}

impl WebhookSettings {
    pub fn resolve(&self) -> Result<WebhookConfig, String> {
        Ok(WebhookConfig {
            name: self.name.clone(),
            url: self.url.clone(),
            secret: self.secret.resolve().map_err(|e| e.to_string())?,
            timeout: self.timeout,
        })
    }
}

/// A monitor's `notify:` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub email: Vec<String>,
    /// Names of `webhooks` entries.
    pub webhooks: Vec<String>,
    pub command: Option<CommandSettings>,
    /// Re-mail an unaccepted drift after this long (default 24h).
    pub remind_after: Duration,
    /// Mail "cannot see the vendor" after failing this long (default 1h).
    pub failing_after: Duration,
}

/// `notify.command`: a program and its arguments (no shell), with a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSettings {
    pub argv: Vec<String>,
    pub timeout: Duration,
}

impl NotifySettings {
    /// The outbox routes of monitor `name`; its command is registered under `name`.
    pub fn routes(&self, name: &str) -> Routes {
        Routes {
            email: self.email.clone(),
            webhooks: self.webhooks.clone(),
            command: self.command.as_ref().map(|_| name.to_string()),
        }
    }

    pub fn policy(&self) -> TrackerPolicy {
        TrackerPolicy {
            remind_after: self.remind_after,
            failing_after: self.failing_after,
        }
    }

    pub fn command_config(&self) -> Option<CommandConfig> {
        self.command.as_ref().map(|c| CommandConfig {
            argv: c.argv.clone(),
            timeout: c.timeout,
        })
    }
}

/// A syntactic check of an address, either `local@domain` or `Name <local@domain>`.
/// lettre parses it again when sending; this catches typos at validation time.
pub fn valid_email(s: &str) -> bool {
    let addr = match (s.rfind('<'), s.strip_suffix('>')) {
        (Some(i), Some(inner)) => &inner[i + 1..],
        (None, None) => s,
        _ => return false,
    };
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !addr.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '[' || c == ']' || c == ':'
        })
        && s.parse::<lettre::message::Mailbox>().is_ok()
}

/// Line and column of the first occurrence of `needle` at or after the key at `path`.
fn locate_value(text: &str, path: &[&str], needle: &str) -> Option<(u32, u32)> {
    let (l, c) = locate_key(text, path)?;
    for (i, line) in text.lines().enumerate().skip(l as usize - 1) {
        let from = if i + 1 == l as usize {
            (c as usize - 1).min(line.len())
        } else {
            0
        };
        if let Some(p) = line.get(from..).and_then(|s| s.find(needle)) {
            return Some((i as u32 + 1, (from + p) as u32 + 1));
        }
    }
    Some((l, c))
}

/// Places `d` at `key` of the `webhooks` entry named `name` (falls back to the entry).
fn at_item_key(r: &mut FileReport, name: &str, key: &str, d: Diagnostic) {
    let anchor = locate_value(&r.source, &["webhooks"], &format!("name: {name}"));
    let hit = anchor.and_then(|(l, _)| {
        r.source
            .lines()
            .enumerate()
            .skip(l as usize - 1)
            .take_while(|(i, line)| *i + 1 == l as usize || !line.trim_start().starts_with("- "))
            .find_map(|(i, line)| {
                let t = line.trim_start().trim_start_matches("- ");
                t.starts_with(&format!("{key}:"))
                    .then(|| (i as u32 + 1, (line.len() - t.len()) as u32 + 1))
            })
    });
    r.push(match hit.or(anchor) {
        Some((l, c)) => d.at(l, c),
        None => d,
    });
}

fn at_value(r: &mut FileReport, path: &[&str], needle: &str, d: Diagnostic) {
    let d = match locate_value(&r.source, path, needle) {
        Some((l, c)) => d.at(l, c),
        None => d,
    };
    r.push(d);
}

pub(super) fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn type_error(r: &mut FileReport, path: &[&str], what: &str) {
    let key = path.last().copied().unwrap_or("");
    r.at_key(
        path,
        Diagnostic::error("config-invalid", format!("`{key}` must be {what}")),
    );
}

/// A `{env: VAR}` / `{file: PATH}` secret at `path`; checks that it can be read now.
pub(super) fn read_secret(
    r: &mut FileReport,
    v: &Value,
    path: &[&str],
    dir: &Path,
    code: &'static str,
    item: Option<&str>,
) -> Option<SecretSource> {
    let place = |r: &mut FileReport, d: Diagnostic| match item {
        Some(name) => at_item_key(r, name, path.last().copied().unwrap_or(""), d),
        None => r.at_key(path, d),
    };
    if !v.is_mapping() {
        place(
            r,
            Diagnostic::error(
                "config-inline-secret",
                format!(
                    "`{}` must be `{{env: VAR}}` or `{{file: PATH}}`",
                    path.last().copied().unwrap_or("")
                ),
            )
            .with_help("secrets are never written in the file; use an env var or a file"),
        );
        return None;
    }
    if unknown_keys(r, v, path, SECRET_KEYS) {
        return None;
    }
    let env = v.get("env").and_then(str_of);
    let file = v.get("file").and_then(str_of).map(|f| dir.join(f));
    let src = SecretSource { env, file };
    if let Err(e) = src.resolve() {
        let help = match &src.env {
            Some(var) if src.file.is_none() => {
                format!("export {var}=... before running, or use `file:`")
            }
            _ if src.env.is_some() => "keep one of `env` and `file`".to_string(),
            _ if src.file.is_none() => "add `env: VAR` or `file: PATH`".to_string(),
            _ => "check the path (relative to apidrift.yaml) and its permissions".to_string(),
        };
        place(r, Diagnostic::error(code, e.to_string()).with_help(help));
        return None;
    }
    Some(src)
}

fn read_duration(
    r: &mut FileReport,
    map: &Value,
    path: &[&str],
    key: &str,
    default: Duration,
) -> Duration {
    let mut full = path.to_vec();
    full.push(key);
    match map.get(key) {
        None => default,
        Some(v) => match str_of(v) {
            Some(s) => match parse_duration(&s) {
                Ok(d) if !d.is_zero() => d,
                Ok(_) => {
                    r.at_key(
                        &full,
                        Diagnostic::error(
                            "config-duration",
                            format!("`{key}` must be more than 0s"),
                        ),
                    );
                    default
                }
                Err(e) => {
                    r.at_key(&full, duration_diag(&s, &e));
                    default
                }
            },
            None => {
                type_error(r, &full, "a duration");
                default
            }
        },
    }
}

/// Reads `smtp` and `webhooks` of `apidrift.yaml` into `config`.
pub(super) fn read_global(
    r: &mut FileReport,
    root: &Path,
    smtp: Option<Value>,
    webhooks: Option<Value>,
    config: &mut Config,
) {
    if let Some(v) = smtp {
        config.smtp = read_smtp(r, root, &v);
    }
    if let Some(v) = webhooks {
        config.webhooks = read_webhooks(r, root, &v);
    }
}

/// Reads `outbox: {retry_base, retry_max_delay, max_attempts}`.
pub(super) fn read_outbox(r: &mut FileReport, v: &Value, config: &mut Config) {
    let p = ["outbox"];
    if !v.is_mapping() {
        type_error(
            r,
            &p,
            "a mapping (retry_base, retry_max_delay, max_attempts)",
        );
        return;
    }
    if unknown_keys(r, v, &p, OUTBOX_KEYS) {
        return;
    }
    let mut policy = config.outbox_retry;
    policy.base = read_duration(r, v, &p, "retry_base", policy.base);
    policy.max_delay = read_duration(r, v, &p, "retry_max_delay", policy.max_delay);
    match v.get("max_attempts") {
        None => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| (1..=1000).contains(&n)) => {
            policy.max_attempts = n.as_u64().map_or(policy.max_attempts, |n| n as u32);
        }
        Some(_) => type_error(r, &["outbox", "max_attempts"], "a number from 1 to 1000"),
    }
    config.outbox_retry = policy;
}

fn read_smtp(r: &mut FileReport, root: &Path, v: &Value) -> Option<SmtpSettings> {
    let p = ["smtp"];
    if !v.is_mapping() {
        type_error(r, &p, "a mapping with `host`, `port`, `tls`, `from`");
        return None;
    }
    if unknown_keys(r, v, &p, SMTP_KEYS) {
        return None;
    }
    let mut ok = true;
    let host = match v.get("host").and_then(str_of) {
        Some(h) if !h.trim().is_empty() => h,
        _ => {
            r.at_key(
                &p,
                Diagnostic::error("config-smtp", "`smtp` needs `host`")
                    .with_help("e.g. `host: smtp.example.com`"),
            );
            ok = false;
            String::new()
        }
    };
    let tls = match v.get("tls") {
        None => TlsMode::Starttls,
        Some(t) => match serde_yaml::from_value::<TlsMode>(t.clone()) {
            Ok(t) => t,
            Err(_) => {
                let word = str_of(t).unwrap_or_default();
                let mut d = Diagnostic::error(
                    "config-smtp",
                    format!("`tls` must be none, starttls or tls, not `{word}`"),
                );
                if let Some(s) = did_you_mean(&word, &["none", "starttls", "tls"]) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                r.at_key(&["smtp", "tls"], d);
                ok = false;
                TlsMode::Starttls
            }
        },
    };
    let default_port = match tls {
        TlsMode::None => 25,
        TlsMode::Starttls => 587,
        TlsMode::Tls => 465,
    };
    let port = match v.get("port") {
        None => default_port,
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| u16::try_from(n).ok()) {
            Some(p) if p > 0 => p,
            _ => {
                type_error(r, &["smtp", "port"], "a port number (1-65535)");
                ok = false;
                default_port
            }
        },
        Some(_) => {
            type_error(r, &["smtp", "port"], "a port number (1-65535)");
            ok = false;
            default_port
        }
    };
    let from = match v.get("from").and_then(str_of) {
        Some(f) if valid_email(&f) => f,
        Some(f) => {
            r.at_key(
                &["smtp", "from"],
                Diagnostic::error("config-email", format!("`{f}` is not an email address"))
                    .with_help("write `apidrift@example.com` or `apidrift <apidrift@example.com>`"),
            );
            ok = false;
            f
        }
        None => {
            r.at_key(
                &p,
                Diagnostic::error("config-smtp", "`smtp` needs `from`")
                    .with_help("e.g. `from: apidrift <apidrift@example.com>`"),
            );
            ok = false;
            String::new()
        }
    };
    let username = match v.get("username") {
        None => None,
        Some(u @ Value::Mapping(_)) => {
            match read_secret(
                r,
                u,
                &["smtp", "username"],
                root,
                "config-missing-secret",
                None,
            ) {
                Some(s) => Some(UserName::Secret(s)),
                None => {
                    ok = false;
                    None
                }
            }
        }
        Some(u) => match str_of(u) {
            Some(s) => Some(UserName::Literal(s)),
            None => {
                type_error(
                    r,
                    &["smtp", "username"],
                    "a name, `{env: VAR}` or `{file: PATH}`",
                );
                ok = false;
                None
            }
        },
    };
    let password = match v.get("password") {
        None => None,
        Some(pw) => {
            match read_secret(
                r,
                pw,
                &["smtp", "password"],
                root,
                "config-missing-secret",
                None,
            ) {
                Some(s) => Some(s),
                None => {
                    ok = false;
                    None
                }
            }
        }
    };
    if username.is_some() != password.is_some() {
        r.at_key(
            &p,
            Diagnostic::error("config-smtp", "`username` and `password` go together")
                .with_help("set both for SMTP AUTH, or neither for an open relay"),
        );
        ok = false;
    }
    let ca_file = match v.get("ca_file").map(str_of) {
        None => None,
        Some(Some(f)) => {
            let full = root.join(&f);
            if let Err(e) = std::fs::read(&full) {
                r.at_key(
                    &["smtp", "ca_file"],
                    Diagnostic::error(
                        "config-smtp",
                        format!("cannot read `{}`: {e}", full.display()),
                    )
                    .with_help("a PEM file of CA certificates, relative to apidrift.yaml"),
                );
                ok = false;
            }
            Some(full)
        }
        Some(None) => {
            type_error(r, &["smtp", "ca_file"], "a path");
            ok = false;
            None
        }
    };
    if ca_file.is_some() && tls == TlsMode::None {
        r.at_key(
            &["smtp", "ca_file"],
            Diagnostic::warning("config-smtp", "`ca_file` is unused with `tls: none`"),
        );
    }
    let timeout = read_duration(r, v, &p, "timeout", Duration::from_secs(30));
    ok.then_some(SmtpSettings {
        host,
        port,
        tls,
        username,
        password,
        from,
        ca_file,
        timeout,
    })
}

fn read_webhooks(r: &mut FileReport, root: &Path, v: &Value) -> Vec<WebhookSettings> {
    let Value::Sequence(items) = v else {
        type_error(r, &["webhooks"], "a list of `{name, url, secret}` entries");
        return Vec::new();
    };
    let mut out: Vec<WebhookSettings> = Vec::new();
    for item in items {
        let name = item.get("name").and_then(str_of).unwrap_or_default();
        if !item.is_mapping() {
            type_error(r, &["webhooks"], "a list of `{name, url, secret}` entries");
            continue;
        }
        if unknown_keys(r, item, &["webhooks"], WEBHOOK_KEYS) {
            continue;
        }
        let mut ok = true;
        if !super::valid_name(&name) {
            at_value(
                r,
                &["webhooks"],
                &format!("name: {name}"),
                Diagnostic::error("config-webhook", format!("invalid webhook name `{name}`"))
                    .with_help("use 1-63 characters from a-z, 0-9 and `-`"),
            );
            ok = false;
        } else if out.iter().any(|w| w.name == name) {
            at_value(
                r,
                &["webhooks"],
                &format!("name: {name}"),
                Diagnostic::error("config-webhook", format!("duplicate webhook name `{name}`")),
            );
            ok = false;
        }
        let url = item.get("url").and_then(str_of).unwrap_or_default();
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                if !u.username().is_empty() || u.password().is_some() {
                    at_value(
                        r,
                        &["webhooks"],
                        &url,
                        Diagnostic::error(
                            "config-inline-secret",
                            "the webhook URL carries credentials",
                        )
                        .with_help(
                            "receivers authenticate apidrift by the signature; drop the userinfo",
                        ),
                    );
                    ok = false;
                }
            }
            _ => {
                at_value(
                    r,
                    &["webhooks"],
                    &format!("name: {name}"),
                    Diagnostic::error(
                        "config-webhook",
                        format!("webhook `{name}` needs an http(s) `url`, found `{url}`"),
                    ),
                );
                ok = false;
            }
        }
        let secret = match item.get("secret") {
            Some(s) => read_secret(
                r,
                s,
                &["webhooks", "secret"],
                root,
                "config-missing-secret",
                Some(&name),
            ),
            None => {
                at_value(
                    r,
                    &["webhooks"],
                    &format!("name: {name}"),
                    Diagnostic::error("config-webhook", format!("webhook `{name}` needs a `secret`"))
                        .with_help("`secret: {env: VAR}` or `secret: {file: PATH}`; receivers verify the signature with it"),
                );
                None
            }
        };
        let timeout = read_duration(r, item, &["webhooks"], "timeout", Duration::from_secs(10));
        if let (true, Some(secret)) = (ok, secret) {
            out.push(WebhookSettings {
                name,
                url,
                secret,
                timeout,
            });
        }
    }
    out
}

/// Validates every monitor file's `notify:` against the global webhook names; sets
/// `Monitor::notify`, and drops monitors whose section has an error.
pub(super) fn read_monitors(files: &mut [FileReport], config: &mut Config) {
    // Every declared name counts, valid or not: a webhook with a missing secret is
    // reported once, in apidrift.yaml, not again in each monitor that names it.
    let mut webhook_names: Vec<String> = config.webhooks.iter().map(|w| w.name.clone()).collect();
    if let Some(global) = &config.file
        && let Some(r) = files.iter().find(|f| Path::new(&f.file) == global)
        && let Ok(v) = serde_yaml::from_str::<Value>(&r.source)
        && let Some(Value::Sequence(items)) = v.get("webhooks")
    {
        webhook_names.extend(items.iter().filter_map(|i| i.get("name").and_then(str_of)));
    }
    webhook_names.sort();
    webhook_names.dedup();
    let webhook_names = &webhook_names;
    for r in files.iter_mut() {
        let Some(name) = r.monitor.clone() else {
            continue;
        };
        let Ok(value) = serde_yaml::from_str::<Value>(&r.source) else {
            continue;
        };
        let Some(n) = value.get("notify") else {
            continue;
        };
        let before = r.diagnostics.len();
        let settings = read_notify(r, n, webhook_names);
        let failed = r.diagnostics[before..]
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error);
        if let Some(m) = config.monitors.get_mut(&name)
            && Path::new(&r.file) == m.file
        {
            if failed {
                config.monitors.remove(&name);
            } else {
                m.notify = settings;
            }
        }
    }
}

fn read_notify(r: &mut FileReport, v: &Value, webhook_names: &[String]) -> Option<NotifySettings> {
    let p = ["notify"];
    if v.is_null() {
        return None;
    }
    if !v.is_mapping() {
        type_error(
            r,
            &p,
            "a mapping (email, webhook, command, remind_after, failing_after)",
        );
        return None;
    }
    if unknown_keys(r, v, &p, NOTIFY_KEYS) {
        return None;
    }
    let list = |r: &mut FileReport, key: &str| -> Vec<String> {
        match v.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().filter_map(str_of).collect(),
            Some(x) => match str_of(x) {
                Some(s) => vec![s],
                None => {
                    type_error(r, &["notify", key], "a list of strings");
                    Vec::new()
                }
            },
        }
    };
    let email = list(r, "email");
    for addr in &email {
        if !valid_email(addr) {
            at_value(
                r,
                &["notify", "email"],
                addr,
                Diagnostic::error("monitor-email", format!("`{addr}` is not an email address"))
                    .with_help("write `oncall@example.com` or `On-call <oncall@example.com>`"),
            );
        }
    }
    let webhooks = list(r, "webhook");
    let known: Vec<&str> = webhook_names.iter().map(String::as_str).collect();
    for w in &webhooks {
        if !known.contains(&w.as_str()) {
            // A swap of two letters (`agnet`) counts as a near miss too.
            let swapped = known.iter().copied().find(|k| {
                let (mut a, mut b): (Vec<char>, Vec<char>) =
                    (k.chars().collect(), w.chars().collect());
                a.sort_unstable();
                b.sort_unstable();
                a == b
            });
            let help = match did_you_mean(w, &known).or(swapped) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => {
                    "no webhooks are configured; add a `webhooks:` entry in apidrift.yaml"
                        .to_string()
                }
                None => format!("configured webhooks: {}", known.join(", ")),
            };
            at_value(
                r,
                &["notify", "webhook"],
                w,
                Diagnostic::error("monitor-unknown-webhook", format!("unknown webhook `{w}`"))
                    .with_help(help),
            );
        }
    }
    let command = match v.get("command") {
        None | Some(Value::Null) => None,
        Some(c) if c.is_mapping() => {
            if unknown_keys(r, c, &["notify", "command"], COMMAND_KEYS) {
                None
            } else {
                let argv: Vec<String> = match c.get("argv") {
                    Some(Value::Sequence(a)) => a.iter().filter_map(str_of).collect(),
                    _ => Vec::new(),
                };
                if argv.is_empty() || argv[0].trim().is_empty() {
                    r.at_key(
                        &["notify", "command"],
                        Diagnostic::error("monitor-command", "`command` needs a non-empty `argv` list")
                            .with_help("e.g. `command: {argv: [/usr/local/bin/regen, --from-stdin], timeout: 60s}`"),
                    );
                    None
                } else {
                    let timeout = read_duration(
                        r,
                        c,
                        &["notify", "command"],
                        "timeout",
                        Duration::from_secs(60),
                    );
                    Some(CommandSettings { argv, timeout })
                }
            }
        }
        Some(_) => {
            type_error(
                r,
                &["notify", "command"],
                "a mapping `{argv: [...], timeout: 60s}`",
            );
            None
        }
    };
    let defaults = TrackerPolicy::default();
    let remind_after = read_duration(r, v, &p, "remind_after", defaults.remind_after);
    let failing_after = read_duration(r, v, &p, "failing_after", defaults.failing_after);
    Some(NotifySettings {
        email,
        webhooks,
        command,
        remind_after,
        failing_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_checked_for_shape() {
        assert!(valid_email("oncall@example.com"));
        assert!(valid_email("On call <oncall@example.com>"));
        assert!(!valid_email("oncall.example.com"));
        assert!(!valid_email("oncall@"));
        assert!(!valid_email("a b@example.com"));
        assert!(!valid_email("x@exa mple.com"));
    }

    #[test]
    fn values_in_lists_are_located_after_their_key() {
        let text = "name: a\nnotify:\n  email: [x@y.z, bad]\n  webhook:\n    - agnet\n";
        assert_eq!(
            locate_value(text, &["notify", "email"], "bad"),
            Some((3, 18))
        );
        assert_eq!(
            locate_value(text, &["notify", "webhook"], "agnet"),
            Some((5, 7))
        );
    }
}
