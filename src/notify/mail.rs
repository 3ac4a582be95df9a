//! What an email says: one `Mail` (the facts, ordered by consequence) built from an
//! `Event`, rendered twice from that single model, as text/plain (80 columns) and as
//! HTML (maud, inline CSS only), so both parts always say the same thing.
//!
//! Order of every mail: a header bar coloured by tone (lost / at risk / drift /
//! failing / recovered / resolved), the verdict in one sentence, the facts (owner,
//! since when, reason), the consumed fields lost and at risk (operation, field, why in
//! words, possible rename), the changes that touch what the fetcher reads grouped by
//! operation, ERR first, one line counting the changes that touch nothing it reads, then
//! where to look (the page when `external_url` is set, else CLI commands) and how to
//! accept.
//!
//! Must not: interpolate spec text into HTML other than through maud (which escapes
//! it), use `<style>`, images or remote resources, link to anything but http(s), point
//! the reader at the daemon's loopback address, or grow without bound (at most
//! `MAX_FIELDS_LISTED` fields and `MAX_CHANGES_LISTED` changes, the rest counted).

use super::event::{ChangeTouch, Event, EventChange, Remediation};
use super::tracker::NoticeKind;
use crate::diff::{Level, rules};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;
use std::fmt::Write as _;

/// Changes listed in one email; the rest are counted on one line.
pub const MAX_CHANGES_LISTED: usize = 25;
/// Consumed fields listed in the table; the rest are counted.
pub const MAX_FIELDS_LISTED: usize = 50;
/// Fields named in the one-sentence verdict.
const FIELDS_IN_VERDICT: usize = 5;
/// Width of the text part.
pub const TEXT_WIDTH: usize = 80;

/// Where the email's links point.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// `external_url` of `apidrift.yaml`: where people reach the daemon's pages. The
    /// email links to `<page_base>/integrations/<name>`; without it, it gives the CLI
    /// commands instead (never the daemon's own `listen` address).
    pub page_base: Option<String>,
}

/// The page of `integration` under `base` (no trailing `/` needed): the link every
/// email, webhook event and alert carries.
pub fn page_url(base: &str, integration: &str) -> String {
    let mut name = String::with_capacity(integration.len());
    for b in integration.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{}/integrations/{name}", base.trim_end_matches('/'))
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A single line: control characters (newlines) become spaces, so nothing from a spec
/// can inject a header or break the layout.
pub(crate) fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Quotes an argument for a POSIX shell when it needs it.
pub(crate) fn shell_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The header bar: what kind of news this is, at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Lost,
    AtRisk,
    Drift,
    Failing,
    Recovered,
    Resolved,
}

impl Tone {
    fn label(self) -> &'static str {
        match self {
            Tone::Lost => "LOST",
            Tone::AtRisk => "AT RISK",
            Tone::Drift => "DRIFT",
            Tone::Failing => "FAILING",
            Tone::Recovered => "RECOVERED",
            Tone::Resolved => "RESOLVED",
        }
    }
    /// Background of the bar (white text on it meets WCAG AA).
    fn colour(self) -> &'static str {
        match self {
            Tone::Lost => "#b3261e",
            Tone::AtRisk => "#8a5a00",
            Tone::Drift => "#a04100",
            Tone::Failing => "#6639ba",
            Tone::Recovered | Tone::Resolved => "#1a7f37",
        }
    }
}

/// What a consumed field gets now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FieldLoss {
    Lost,
    AtRisk,
}

impl FieldLoss {
    fn label(self) -> &'static str {
        match self {
            FieldLoss::Lost => "LOST",
            FieldLoss::AtRisk => "AT RISK",
        }
    }
}

/// One row of the consumed-fields table.
#[derive(Debug, Clone)]
struct FieldRow {
    state: FieldLoss,
    operation: Option<String>,
    field: String,
    /// Why, in words (the change texts, or the rule descriptions).
    why: Vec<String>,
    possible_rename: Option<String>,
}

/// One listed change.
#[derive(Debug, Clone)]
struct ChangeRow {
    level: Level,
    text: String,
    rule: String,
    todo: &'static str,
}

/// The listed changes of one operation.
#[derive(Debug, Clone)]
struct Group {
    operation: String,
    rows: Vec<ChangeRow>,
}

/// The changes of a list, listed and counted.
#[derive(Debug, Clone, Default)]
struct ChangeList {
    title: String,
    groups: Vec<Group>,
    /// Changes past `MAX_CHANGES_LISTED`.
    more: usize,
    /// Changes that touch nothing the fetcher reads (contract only): count by level.
    unconsumed: Vec<(Level, usize)>,
}

/// Everything a mail says, in the order it says it.
#[derive(Debug, Clone)]
struct Mail {
    tone: Tone,
    /// `drift confirmed`, `reminder`...
    kind_word: &'static str,
    name: String,
    verdict: String,
    facts: Vec<(&'static str, String)>,
    fields: Vec<FieldRow>,
    fields_more: usize,
    lost_total: usize,
    risk_total: usize,
    operation_risks: Vec<String>,
    changes: ChangeList,
    /// What to check (failing).
    checks: Vec<String>,
    page: Option<String>,
    runbook: &'static str,
    look_what: &'static str,
    look: Vec<String>,
    accept: Option<Vec<String>>,
    details: Vec<(&'static str, String)>,
}

/// Subject, text and HTML for `kind` of `event`.
pub fn render(kind: NoticeKind, event: &Event, links: &Links) -> Rendered {
    let mail = build(kind, event, links);
    let subject = one_line(&subject(kind, event, &mail));
    Rendered {
        text: text(&mail),
        html: html_part(&subject, &mail),
        subject,
    }
}

fn is_drift(kind: NoticeKind) -> bool {
    matches!(
        kind,
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder | NoticeKind::DriftResolved
    )
}

/// `2 d 3 h` from `from` to `to`.
fn duration(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> String {
    crate::state::history::human_duration((to - from).num_seconds())
}

/// "by NAME at TIME: REASON; reminders paused until TIME (ended)", one line.
fn acknowledgement(
    a: &crate::state::history::Acknowledgement,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut s = format!("by {} at {}", one_line(&a.by), when(a.at));
    if let Some(n) = &a.note {
        let _ = write!(s, ": {}", one_line(n));
    }
    match a.until {
        Some(u) if u <= now => {
            let _ = write!(s, "; reminders were paused until {} (ended)", when(u));
        }
        Some(u) => {
            let _ = write!(s, "; reminders paused until {}", when(u));
        }
        None => s.push_str("; reminders paused while this drift lasts"),
    }
    s
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn subject(kind: NoticeKind, e: &Event, m: &Mail) -> String {
    let name = &m.name;
    match kind {
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => {
            let (lost, at_risk) = (m.lost_total, m.risk_total);
            let errs = e.count(Level::Err);
            let mut parts = Vec::new();
            if lost > 0 {
                parts.push(format!(
                    "{} lost",
                    plural(lost, "consumed field", "consumed fields")
                ));
            }
            if at_risk > 0 {
                parts.push(if lost > 0 {
                    format!("{at_risk} at risk")
                } else {
                    format!(
                        "{} at risk",
                        plural(at_risk, "consumed field", "consumed fields")
                    )
                });
            }
            if lost == 0 && at_risk == 0 && !m.operation_risks.is_empty() {
                parts.push(plural(
                    m.operation_risks.len(),
                    "credential at risk",
                    "credentials at risk",
                ));
            }
            // The most consequential count only: lost (and at risk beside it), else
            // at risk, else credentials, else breaking changes.
            if parts.is_empty() && errs > 0 {
                parts.push(plural(errs, "breaking change", "breaking changes"));
            }
            if parts.is_empty() {
                parts.push(plural(e.changes.len(), "change", "changes"));
            }
            let mut s = format!("[apidrift] {name}: {}", parts.join(", "));
            if kind == NoticeKind::DriftReminder {
                match e.drift_since {
                    Some(since) => {
                        let _ = write!(s, " (reminder, open {})", duration(since, e.time));
                    }
                    None => s.push_str(" (reminder)"),
                }
            }
            s
        }
        NoticeKind::DriftResolved => format!("[apidrift] {name}: drift resolved"),
        NoticeKind::CheckFailing => {
            let reason = e.failure.as_ref().map_or("unknown", |f| f.reason.as_str());
            format!("[apidrift] {name}: cannot see the vendor ({reason})")
        }
        NoticeKind::CheckRecovered => format!("[apidrift] {name}: vendor reachable again"),
    }
}

fn build(kind: NoticeKind, e: &Event, links: &Links) -> Mail {
    let name = one_line(&e.integration.name);
    let arg = shell_arg(&e.integration.name);
    let page = links
        .page_base
        .as_deref()
        .map(|b| page_url(b, &e.integration.name));
    let mut fields = if is_drift(kind) && kind != NoticeKind::DriftResolved {
        field_rows(e)
    } else {
        Vec::new()
    };
    fields.sort_by_key(|f| f.state);
    let lost_all: Vec<FieldRow> = fields
        .iter()
        .filter(|f| f.state == FieldLoss::Lost)
        .cloned()
        .collect();
    let risk_all: Vec<FieldRow> = fields
        .iter()
        .filter(|f| f.state == FieldLoss::AtRisk)
        .cloned()
        .collect();
    let fields_more = fields.len().saturating_sub(MAX_FIELDS_LISTED);
    fields.truncate(MAX_FIELDS_LISTED);
    let operation_risks: Vec<String> = if is_drift(kind) && kind != NoticeKind::DriftResolved {
        e.operation_risks().iter().map(|s| one_line(s)).collect()
    } else {
        Vec::new()
    };

    let mut facts = Vec::new();
    if let Some(o) = &e.integration.owner {
        facts.push(("Owner", one_line(o)));
    }
    let mut checks = Vec::new();
    let (tone, kind_word, verdict, runbook) = match kind {
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => {
            let tone = if !lost_all.is_empty() {
                Tone::Lost
            } else if !risk_all.is_empty() || !operation_risks.is_empty() {
                Tone::AtRisk
            } else {
                Tone::Drift
            };
            let mut v = drift_verdict(&name, &lost_all, &risk_all, &operation_risks, e);
            match (kind, e.drift_since) {
                (NoticeKind::DriftReminder, Some(since)) => {
                    v = format!(
                        "Still open after {}, not accepted: {v}",
                        duration(since, e.time)
                    );
                    facts.push((
                        "Open since",
                        format!("{} ({})", when(since), duration(since, e.time)),
                    ));
                }
                (NoticeKind::DriftReminder, None) => v = format!("Still open, not accepted: {v}"),
                (_, since) => facts.push(("Confirmed", when(since.unwrap_or(e.time)))),
            }
            if let Some(vis) = e.visibility() {
                facts.push((
                    "Visibility",
                    format!(
                        "{} of the consumed fields are still seen",
                        crate::report::html::percent(vis)
                    ),
                ));
            }
            let word = if kind == NoticeKind::DriftReminder {
                "reminder"
            } else {
                "drift confirmed"
            };
            let runbook = if lost_all.is_empty() {
                "ApidriftBreakingDriftConfirmed"
            } else {
                "ApidriftVisibilityBelowOne"
            };
            (tone, word, v, runbook)
        }
        NoticeKind::DriftResolved => {
            let mut v = format!(
                "The drift of {name} is resolved: the vendor spec matches the approved baseline again (reverted, or the new spec was accepted)."
            );
            if let Some(since) = e.drift_since {
                let _ = write!(v, " It was open for {}.", duration(since, e.time));
                facts.push(("Was open since", when(since)));
            }
            facts.push(("Resolved", when(e.time)));
            (
                Tone::Resolved,
                "drift resolved",
                v,
                "ApidriftBreakingDriftConfirmed",
            )
        }
        NoticeKind::CheckFailing => {
            let (reason, since) = match &e.failure {
                Some(f) => (one_line(&f.reason), Some(f.since)),
                None => ("unknown".to_string(), None),
            };
            let v = match since {
                Some(s) => format!(
                    "apidrift cannot see the vendor of {name}: every check has failed for {} ({reason}), so a new drift would go unnoticed.",
                    duration(s, e.time)
                ),
                None => format!(
                    "apidrift cannot see the vendor of {name}: every check fails ({reason}), so a new drift would go unnoticed."
                ),
            };
            if let Some(s) = since {
                facts.push((
                    "Failing since",
                    format!("{} ({})", when(s), duration(s, e.time)),
                ));
            }
            facts.push(("Reason", reason.clone()));
            checks = what_to_check(&reason, &arg);
            (
                Tone::Failing,
                "check failing",
                v,
                "ApidriftIntegrationFailing",
            )
        }
        NoticeKind::CheckRecovered => {
            let mut v = format!(
                "apidrift sees the vendor of {name} again: checks succeed and drift detection has resumed."
            );
            if let Some(f) = &e.failure {
                let _ = write!(v, " Checks had failed for {}.", duration(f.since, e.time));
                facts.push(("Was failing since", when(f.since)));
            }
            facts.push(("Recovered", when(e.time)));
            (
                Tone::Recovered,
                "check recovered",
                v,
                "ApidriftIntegrationFailing",
            )
        }
    };
    if is_drift(kind)
        && let Some(a) = &e.acknowledged
    {
        facts.push(("Acknowledged", acknowledgement(a, e.time)));
    }
    let changes = if is_drift(kind) {
        change_list(kind, e)
    } else {
        ChangeList::default()
    };
    if is_drift(kind) && !e.changes.is_empty() {
        facts.push((
            "Changes",
            level_counts(e.changes.iter().map(|c| c.change.level)),
        ));
    }
    let look_what = match kind {
        NoticeKind::CheckFailing | NoticeKind::CheckRecovered => {
            "To look (the failure reason, then the failing and drift episodes):"
        }
        _ => "To look (every change and the verdict, then the drift episodes):",
    };
    let look = vec![
        format!("apidrift check {arg}"),
        format!("apidrift history {arg}"),
    ];
    // Two lines (a shell continuation), so a phone never breaks `--reason` apart.
    let accept =
        matches!(kind, NoticeKind::DriftConfirmed | NoticeKind::DriftReminder).then(|| {
            vec![
                format!("apidrift baseline accept {arg} \\"),
                "    --reason \"...\"".to_string(),
            ]
        });
    let mut details = Vec::new();
    if let Some(s) = &e.spec_source {
        details.push(("Vendor spec", one_line(s)));
    }
    if is_drift(kind) {
        if let Some(d) = &e.baseline_digest {
            details.push(("Baseline digest", one_line(d)));
        }
        if let Some(d) = &e.spec_digest {
            details.push(("New spec digest", one_line(d)));
        }
    }
    details.push(("Event id", one_line(&e.id)));
    Mail {
        tone,
        kind_word,
        name,
        verdict,
        facts,
        lost_total: lost_all.len(),
        risk_total: risk_all.len(),
        fields,
        fields_more,
        operation_risks,
        changes,
        checks,
        page,
        runbook,
        look_what,
        look,
        accept,
        details,
    }
}

/// `acme lost 3 consumed fields: GET /roles id, name; GET /users lastLogin.`
fn drift_verdict(
    name: &str,
    lost: &[FieldRow],
    at_risk: &[FieldRow],
    operation_risks: &[String],
    e: &Event,
) -> String {
    if !lost.is_empty() {
        let mut s = format!(
            "{name} lost {}: {}",
            plural(lost.len(), "consumed field", "consumed fields"),
            field_list(lost)
        );
        if !at_risk.is_empty() {
            let _ = write!(
                s,
                "; {} more at risk: {}",
                at_risk.len(),
                field_list(at_risk)
            );
        }
        s.push('.');
        return s;
    }
    if !at_risk.is_empty() {
        return format!(
            "{name} has {} at risk: {}.",
            plural(at_risk.len(), "consumed field", "consumed fields"),
            field_list(at_risk)
        );
    }
    if !operation_risks.is_empty() {
        return format!(
            "{name} may need a new credential: {}.",
            operation_risks.join("; ")
        );
    }
    let counts = level_counts(e.changes.iter().map(|c| c.change.level));
    let contract = e.changes.iter().any(|c| c.consumed != ChangeTouch::Unknown);
    if contract {
        format!(
            "{name} drifted from its approved baseline ({counts}), but no change touches a field the fetcher reads."
        )
    } else {
        format!(
            "{name} drifted from its approved baseline: {counts}. It has no consumes contract, so which changes matter to its fetcher is unknown."
        )
    }
}

/// `GET /roles id, name; GET /users lastLogin`, at most `FIELDS_IN_VERDICT` fields.
fn field_list(rows: &[FieldRow]) -> String {
    let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    for r in rows.iter().take(FIELDS_IN_VERDICT) {
        let op = r.operation.as_deref();
        match groups.iter_mut().find(|(o, _)| *o == op) {
            Some((_, fs)) => fs.push(&r.field),
            None => groups.push((op, vec![&r.field])),
        }
    }
    let mut s = groups
        .iter()
        .map(|(op, fs)| match op {
            Some(op) => format!("{op} {}", fs.join(", ")),
            None => fs.join(", "),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if rows.len() > FIELDS_IN_VERDICT {
        let _ = write!(s, " and {} more", rows.len() - FIELDS_IN_VERDICT);
    }
    s
}

/// `1 breaking change (ERR), 2 WARN, 1 INFO`: the non-zero levels.
fn level_counts(levels: impl Iterator<Item = Level>) -> String {
    let mut n = [0usize; 4];
    for l in levels {
        n[l as usize] += 1;
    }
    let mut parts = Vec::new();
    for l in [Level::Err, Level::Warn, Level::Info, Level::None] {
        let c = n[l as usize];
        if c > 0 {
            parts.push(format!("{c} {}", l.as_str()));
        }
    }
    if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    }
}

/// The consumed fields lost or at risk, from `verdict.operations` (with reasons and
/// possible renames, as the daemon sends it), else `verdict.fields.<state>`.
fn field_rows(e: &Event) -> Vec<FieldRow> {
    let mut rows = Vec::new();
    if let Some(Value::Array(ops)) = e.verdict.get("operations") {
        for op in ops {
            let operation = op.get("operation").and_then(Value::as_str).map(one_line);
            let Some(Value::Array(fs)) = op.get("fields") else {
                continue;
            };
            for f in fs {
                let state = match f.get("state").and_then(Value::as_str) {
                    Some("lost") => FieldLoss::Lost,
                    Some("at_risk") => FieldLoss::AtRisk,
                    _ => continue,
                };
                let Some(field) = f.get("field").and_then(Value::as_str) else {
                    continue;
                };
                let mut why: Vec<String> = Vec::new();
                if let Some(Value::Array(rs)) = f.get("reasons") {
                    for r in rs {
                        let w = reason_words(
                            e,
                            r.get("id").and_then(Value::as_str).unwrap_or(""),
                            r.get("fingerprint").and_then(Value::as_str).unwrap_or(""),
                        );
                        if !w.is_empty() && !why.contains(&w) {
                            why.push(w);
                        }
                    }
                }
                rows.push(FieldRow {
                    state,
                    operation: operation.clone(),
                    field: one_line(field),
                    why,
                    possible_rename: f
                        .get("possible_rename")
                        .and_then(Value::as_str)
                        .map(one_line),
                });
            }
        }
        if !rows.is_empty() {
            return rows;
        }
    }
    for (key, state) in [("lost", FieldLoss::Lost), ("at_risk", FieldLoss::AtRisk)] {
        let list = e
            .verdict
            .get("fields")
            .and_then(|f| f.get(key))
            .or_else(|| e.verdict.get(key));
        let Some(Value::Array(items)) = list else {
            continue;
        };
        for v in items {
            let (operation, field) = match v {
                Value::String(s) => (None, s.as_str()),
                Value::Object(o) => {
                    let Some(f) = o
                        .get("field")
                        .or_else(|| o.get("path"))
                        .and_then(Value::as_str)
                    else {
                        continue;
                    };
                    (o.get("operation").and_then(Value::as_str), f)
                }
                _ => continue,
            };
            rows.push(FieldRow {
                state,
                operation: operation.map(one_line),
                field: one_line(field),
                why: Vec::new(),
                possible_rename: None,
            });
        }
    }
    rows
}

/// A reason in words: the text of the change it names, else the rule's description,
/// else the id spelt out.
fn reason_words(e: &Event, id: &str, fingerprint: &str) -> String {
    if let Some(c) = e
        .changes
        .iter()
        .find(|c| !fingerprint.is_empty() && c.change.fingerprint == fingerprint)
    {
        return one_line(&c.change.text);
    }
    if let Some(r) = rules::get(id) {
        return one_line(r.description);
    }
    match id.strip_prefix("sample-") {
        Some(rest) => format!("samples: {}", rest.replace('-', " ")),
        None => one_line(&id.replace('-', " ")),
    }
}

fn remediation_words(r: Remediation) -> &'static str {
    match r {
        Remediation::RegenerateFetcher => "regenerate the fetcher",
        Remediation::UpdateMapping => "update the mapping",
        Remediation::UpdateCredential => "check the fetcher's credential",
        Remediation::ReviewAndAccept => "review, then accept",
        Remediation::None => "nothing to do",
    }
}

/// The changes to list: with a contract, those that touch what the fetcher reads
/// (the rest counted by level); without, all of them. Grouped by operation, the group
/// with the worst change first, ERR first within a group; capped.
fn change_list(kind: NoticeKind, e: &Event) -> ChangeList {
    let contract = e.changes.iter().any(|c| c.consumed != ChangeTouch::Unknown);
    let consumed = |c: &EventChange| {
        matches!(
            c.consumed,
            ChangeTouch::Lost | ChangeTouch::AtRisk | ChangeTouch::Credential
        )
    };
    let listed: Vec<&EventChange> = e
        .changes
        .iter()
        .filter(|c| !contract || consumed(c))
        .collect();
    let mut unconsumed = [0usize; 4];
    if contract {
        for c in e.changes.iter().filter(|c| !consumed(c)) {
            unconsumed[c.change.level as usize] += 1;
        }
    }
    let mut groups: Vec<(String, Vec<&EventChange>)> = Vec::new();
    for c in listed {
        let ch = &c.change;
        let op = match (&ch.path, ch.operation) {
            (Some(p), Some(m)) => format!("{} {p}", m.as_str()),
            (Some(p), None) => p.clone(),
            _ => "(whole document)".to_string(),
        };
        let op = one_line(&op);
        match groups.iter_mut().find(|(o, _)| *o == op) {
            Some((_, v)) => v.push(c),
            None => groups.push((op, vec![c])),
        }
    }
    for (_, v) in &mut groups {
        v.sort_by_key(|c| std::cmp::Reverse(c.change.level));
    }
    // Stable: among groups of the same worst level, the order of the first change.
    groups.sort_by_key(|(_, v)| std::cmp::Reverse(v.first().map(|c| c.change.level)));
    let total: usize = groups.iter().map(|(_, v)| v.len()).sum();
    let mut out = Vec::new();
    let mut n = 0;
    for (op, v) in groups {
        if n >= MAX_CHANGES_LISTED {
            break;
        }
        let rows: Vec<ChangeRow> = v
            .into_iter()
            .take(MAX_CHANGES_LISTED - n)
            .map(|c| ChangeRow {
                level: c.change.level,
                text: one_line(&c.change.text),
                rule: one_line(&c.change.id),
                // A resolved change needs nothing any more.
                todo: if kind == NoticeKind::DriftResolved {
                    ""
                } else {
                    remediation_words(c.remediation)
                },
            })
            .collect();
        n += rows.len();
        out.push(Group {
            operation: op,
            rows,
        });
    }
    let gone = kind == NoticeKind::DriftResolved;
    let title = match (contract, gone) {
        (true, false) => format!("Changes to what the fetcher reads ({total})"),
        (true, true) => format!("Changes to what the fetcher reads that went away ({total})"),
        (false, false) => format!("Changes ({total}), ERR first"),
        (false, true) => format!("Changes that went away ({total})"),
    };
    ChangeList {
        title,
        groups: out,
        more: total - n,
        unconsumed: [Level::Err, Level::Warn, Level::Info, Level::None]
            .into_iter()
            .map(|l| (l, unconsumed[l as usize]))
            .filter(|(_, c)| *c > 0)
            .collect(),
    }
}

/// What to check for a failure `reason` (the runbook's advice, in short).
fn what_to_check(reason: &str, arg: &str) -> Vec<String> {
    let mut v: Vec<String> = match reason {
        "timeout" | "connect" => vec![
            "the vendor's status page: is the API down?".into(),
            "the egress of the daemon's host: proxy, firewall, DNS.".into(),
        ],
        "dns" => vec![
            "the host name in spec.url (a typo, a retired domain) and the resolver of the daemon's host.".into(),
        ],
        "tls" => vec![
            "the vendor's certificate (expired, new CA) and any TLS-intercepting proxy.".into(),
        ],
        "internal" => vec![
            "the daemon's own files, not the vendor: its log names the file (a baseline object that does not match its digest, a corrupt state file); restore it from the configuration repository, or accept the baseline again.".into(),
        ],
        "http_status" | "forbidden" => vec![
            "a 401 or 403: the token in the monitor's auth expired or lost scopes; rotate the secret in its env var or file.".into(),
            "a 404 or 5xx: the vendor moved or broke the spec URL (spec.url).".into(),
        ],
        "parse" | "too_large" => vec![
            "what the spec URL serves now (an HTML login page, a much larger spec): fix spec.url or raise max_spec_bytes.".into(),
        ],
        _ => Vec::new(),
    };
    v.push(format!(
        "`apidrift check {arg}` prints the failure in full; after editing the monitor, `apidrift validate`, then reload the daemon (SIGHUP)."
    ));
    v
}

// ---------------------------------------------------------------- text/plain

/// Words of `s` wrapped to `TEXT_WIDTH`, the first line after `first`, the others
/// after `rest`. A word longer than a line (a URL) stays whole on its own line.
fn wrap(out: &mut String, s: &str, first: &str, rest: &str) {
    let mut line = first.to_string();
    // A label (`Baseline digest: `) counts as content: a long value goes below it.
    let mut empty = first.trim().is_empty();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > TEXT_WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn heading(out: &mut String, s: &str) {
    out.push('\n');
    out.push_str(s);
    out.push('\n');
    out.push_str(&"-".repeat(s.chars().count().min(TEXT_WIDTH)));
    out.push('\n');
}

fn text(m: &Mail) -> String {
    let mut o = String::new();
    let bar = format!("{} | {} | {}", m.tone.label(), m.name, m.kind_word);
    o.push_str(&bar);
    o.push('\n');
    o.push_str(&"=".repeat(bar.chars().count().min(TEXT_WIDTH)));
    o.push_str("\n\n");
    wrap(&mut o, &m.verdict, "", "");
    if !m.facts.is_empty() {
        o.push('\n');
        let w = m.facts.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
        for (k, v) in &m.facts {
            let key = format!("{:<w$}", format!("{k}:"));
            wrap(&mut o, v, &key, &" ".repeat(w));
        }
    }
    if !m.fields.is_empty() {
        heading(
            &mut o,
            &format!(
                "Consumed fields lost or at risk ({})",
                m.fields.len() + m.fields_more
            ),
        );
        for f in &m.fields {
            let label = format!("  {:<9}", f.state.label());
            let what = match &f.operation {
                Some(op) => format!("{op} {}", f.field),
                None => f.field.clone(),
            };
            wrap(&mut o, &what, &label, "             ");
            for w in &f.why {
                wrap(&mut o, w, "             why: ", "                  ");
            }
            if let Some(r) = &f.possible_rename {
                wrap(
                    &mut o,
                    r,
                    "             possible rename: ",
                    "                              ",
                );
            }
        }
        if m.fields_more > 0 {
            wrap(
                &mut o,
                &format!("... and {} more fields at risk.", m.fields_more),
                "  ",
                "  ",
            );
        }
    }
    if !m.operation_risks.is_empty() {
        heading(
            &mut o,
            &format!("Consumed operations at risk ({})", m.operation_risks.len()),
        );
        for r in &m.operation_risks {
            wrap(&mut o, r, "  - ", "    ");
        }
    }
    let c = &m.changes;
    if !c.groups.is_empty() {
        heading(&mut o, &c.title);
        for (i, g) in c.groups.iter().enumerate() {
            if i > 0 {
                o.push('\n');
            }
            wrap(&mut o, &g.operation, "", "  ");
            for r in &g.rows {
                let badge = format!("  {:<7}", format!("[{}]", r.level.as_str()));
                wrap(&mut o, &r.text, &badge, "         ");
                let rule = if r.todo.is_empty() {
                    r.rule.clone()
                } else {
                    format!("{} · {}", r.rule, r.todo)
                };
                wrap(&mut o, &rule, "         ", "         ");
            }
        }
        if c.more > 0 {
            o.push('\n');
            wrap(
                &mut o,
                &format!("... and {} more. {}", c.more, more_where(m)),
                "",
                "",
            );
        }
    }
    if !c.unconsumed.is_empty() {
        o.push('\n');
        wrap(&mut o, &unconsumed_line(m), "", "");
    }
    if !m.checks.is_empty() {
        heading(&mut o, "What to check");
        for ch in &m.checks {
            wrap(&mut o, ch, "  - ", "    ");
        }
    }
    heading(&mut o, "Where to look");
    if let Some(p) = &m.page {
        o.push_str(&format!("Open in apidrift: {p}\n"));
    }
    wrap(
        &mut o,
        &format!("Runbook: docs/runbook.md#{}", m.runbook),
        "",
        "",
    );
    o.push('\n');
    wrap(&mut o, m.look_what, "", "");
    for l in &m.look {
        o.push_str(&format!("    {l}\n"));
    }
    if let Some(a) = &m.accept {
        o.push_str("\nTo accept (after fixing the fetcher, or judging the change harmless):\n");
        for l in a {
            o.push_str(&format!("    {l}\n"));
        }
    }
    o.push('\n');
    for (k, v) in &m.details {
        wrap(&mut o, v, &format!("{k}: "), "    ");
    }
    o
}

/// Where the changes not listed are.
fn more_where(m: &Mail) -> String {
    match &m.page {
        Some(p) => format!("All changes: {p}"),
        None => format!("`apidrift check {}` lists them all.", shell_arg(&m.name)),
    }
}

/// `3 other changes touch nothing the fetcher reads (1 WARN, 2 INFO): ...`
fn unconsumed_line(m: &Mail) -> String {
    let n: usize = m.changes.unconsumed.iter().map(|(_, c)| c).sum();
    let counts = m
        .changes
        .unconsumed
        .iter()
        .map(|(l, c)| format!("{c} {}", l.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Not listed: {} nothing the fetcher reads ({counts}). {}",
        plural(n, "other change touches", "other changes touch"),
        more_where(m)
    )
}

// ---------------------------------------------------------------- text/html

const FONT: &str =
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif";
const MONO: &str = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:13px";
const MUTED: &str = "color:#59636e";

fn code(s: &str) -> Markup {
    html! {
        code style=(format!("{MONO};background:#eff2f5;border-radius:3px;padding:0 3px;overflow-wrap:break-word")) { (s) }
    }
}

/// Spec text with its `backticked` names (the rule templates quote paths, properties
/// and values that way) in monospace; the backticks stay, so the words read the same
/// with CSS stripped and in the text part.
fn ticked(s: &str) -> Markup {
    let parts: Vec<&str> = s.split('`').collect();
    // An odd count of backticks: leave the text as it is.
    let balanced = parts.len() % 2 == 1;
    html! {
        @for (i, p) in parts.iter().enumerate() {
            @if !balanced {
                @if i > 0 { "`" }
                (p)
            } @else if i % 2 == 1 {
                code style=(format!("{MONO};background:#eff2f5;border-radius:3px;padding:0 2px;overflow-wrap:break-word")) { "`" (p) "`" }
            } @else {
                (p)
            }
        }
    }
}

fn level_badge(l: Level) -> Markup {
    let (bg, fg, bd) = match l {
        Level::Err => ("#ffebe9", "#82071e", "#ffcecb"),
        Level::Warn => ("#fff8c5", "#5c4200", "#e7d27a"),
        Level::Info | Level::None => ("#ddf4ff", "#0a3069", "#b6e3ff"),
    };
    badge(l.as_str(), bg, fg, bd)
}

fn state_badge(s: FieldLoss) -> Markup {
    match s {
        FieldLoss::Lost => badge("LOST", "#ffebe9", "#82071e", "#ffcecb"),
        FieldLoss::AtRisk => badge("AT RISK", "#fff8c5", "#5c4200", "#e7d27a"),
    }
}

fn badge(text: &str, bg: &str, fg: &str, border: &str) -> Markup {
    html! {
        strong style=(format!("display:inline-block;background:{bg};color:{fg};border:1px solid {border};border-radius:4px;padding:0 5px;font-size:12px;line-height:18px;white-space:nowrap")) { (text) }
    }
}

fn h2(s: &str) -> Markup {
    html! {
        h2 style="font-size:16px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid #d1d9e0" { (s) }
    }
}

fn commands(lines: &[String]) -> Markup {
    html! {
        pre style=(format!("{MONO};background:#f6f8fa;border:1px solid #d1d9e0;border-radius:4px;padding:8px;margin:6px 0;white-space:pre-wrap;overflow-wrap:break-word")) {
            @for (i, l) in lines.iter().enumerate() {
                @if i > 0 { "\n" }
                (l)
            }
        }
    }
}

fn html_part(subject: &str, m: &Mail) -> String {
    let c = &m.changes;
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (subject) }
            }
            body style=(format!("margin:0;padding:0;background:#f6f8fa;color:#1f2328;{FONT};font-size:15px;line-height:1.5")) {
                div style="max-width:680px;margin:0 auto;padding:12px 8px" {
                    div style="background:#ffffff;border:1px solid #d1d9e0;border-radius:6px;overflow:hidden" {
                        div style=(format!("background:{};color:#ffffff;padding:12px 16px", m.tone.colour())) {
                            p style="margin:0;font-size:12px;font-weight:700;letter-spacing:.06em" {
                                (m.tone.label()) " · " (m.kind_word)
                            }
                            h1 style="margin:2px 0 0;font-size:21px;line-height:1.3;overflow-wrap:anywhere" { (m.name) }
                        }
                        div style="padding:12px 16px 16px" {
                            p style="margin:0 0 10px;font-size:16px;overflow-wrap:anywhere" { strong { (m.verdict) } }
                            @if !m.facts.is_empty() {
                                table role="presentation" style="border-collapse:collapse;margin:0 0 10px;font-size:14px" {
                                    @for (k, v) in &m.facts {
                                        tr {
                                            td style=(format!("{MUTED};padding:1px 12px 1px 0;vertical-align:top;white-space:nowrap")) { (k) ":" }
                                            td style="padding:1px 0;vertical-align:top;overflow-wrap:anywhere" { (v) }
                                        }
                                    }
                                }
                            }
                            @if let Some(p) = &m.page {
                                p style="margin:12px 0" {
                                    a href=(p) style="display:inline-block;background:#0969da;color:#ffffff;font-weight:600;text-decoration:none;padding:8px 16px;border-radius:6px" { "Open in apidrift" }
                                }
                            }
                            @if !m.fields.is_empty() {
                                (h2(&format!("Consumed fields lost or at risk ({})", m.fields.len() + m.fields_more)))
                                table style="border-collapse:collapse;width:100%;font-size:14px" {
                                    thead {
                                        tr {
                                            th scope="col" style="text-align:left;padding:4px 6px;background:#f6f8fa;border-bottom:1px solid #d1d9e0;width:42%" { "Field" }
                                            th scope="col" style="text-align:left;padding:4px 6px;background:#f6f8fa;border-bottom:1px solid #d1d9e0" { "Why, possible rename" }
                                        }
                                    }
                                    tbody {
                                        @for f in &m.fields {
                                            tr {
                                                td style="padding:6px;border-bottom:1px solid #d1d9e0;vertical-align:top" {
                                                    (state_badge(f.state)) " "
                                                    @if let Some(op) = &f.operation { (code(op)) " " }
                                                    strong { (code(&f.field)) }
                                                }
                                                td style="padding:6px;border-bottom:1px solid #d1d9e0;vertical-align:top;overflow-wrap:anywhere" {
                                                    @for (i, w) in f.why.iter().enumerate() {
                                                        @if i > 0 { br; }
                                                        (ticked(w))
                                                    }
                                                    @if f.why.is_empty() { span style=(MUTED) { "no reason recorded" } }
                                                    @if let Some(r) = &f.possible_rename {
                                                        br;
                                                        "possible rename: " (code(&f.field)) " → " (code(r))
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                                @if m.fields_more > 0 {
                                    p style=(MUTED) { "... and " (m.fields_more) " more fields at risk." }
                                }
                            }
                            @if !m.operation_risks.is_empty() {
                                (h2(&format!("Consumed operations at risk ({})", m.operation_risks.len())))
                                ul style="margin:4px 0;padding-left:20px" {
                                    @for r in &m.operation_risks { li style="overflow-wrap:anywhere" { (r) } }
                                }
                            }
                            @if !c.groups.is_empty() {
                                (h2(&c.title))
                                @for g in &c.groups {
                                    h3 style="font-size:14px;margin:12px 0 4px" { (code(&g.operation)) }
                                    ul style="margin:0;padding-left:0;list-style:none" {
                                        @for r in &g.rows {
                                            li style="margin:0 0 8px;overflow-wrap:anywhere" {
                                                (level_badge(r.level)) " " (ticked(&r.text))
                                                br;
                                                span style=(format!("{MUTED};font-size:13px")) { (code(&r.rule)) @if !r.todo.is_empty() { " · " (r.todo) } }
                                            }
                                        }
                                    }
                                }
                                @if c.more > 0 {
                                    p style=(MUTED) { "... and " (c.more) " more. " (more_where_html(m)) }
                                }
                            }
                            @if !c.unconsumed.is_empty() {
                                p style=(format!("{MUTED};margin:12px 0;overflow-wrap:anywhere")) {
                                    "Not listed: " (plural(c.unconsumed.iter().map(|(_, n)| n).sum(), "other change touches", "other changes touch"))
                                    " nothing the fetcher reads ("
                                    @for (i, (l, n)) in c.unconsumed.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        (n) " " (level_badge(*l))
                                    }
                                    "). " (more_where_html(m))
                                }
                            }
                            @if !m.checks.is_empty() {
                                (h2("What to check"))
                                ul style="margin:4px 0;padding-left:20px" {
                                    @for ch in &m.checks { li style="overflow-wrap:break-word" { (ticked(ch)) } }
                                }
                            }
                            (h2("Where to look"))
                            @if let Some(p) = &m.page {
                                p style="overflow-wrap:anywhere;margin:4px 0" { "Open in apidrift: " a href=(p) style="color:#0550ae" { (p) } }
                            }
                            p style="margin:4px 0" { "Runbook: " (code(&format!("docs/runbook.md#{}", m.runbook))) }
                            p style="margin:8px 0 0" { (m.look_what) }
                            (commands(&m.look))
                            @if let Some(a) = &m.accept {
                                p style="margin:8px 0 0" { "To accept (after fixing the fetcher, or judging the change harmless):" }
                                (commands(a))
                            }
                            table role="presentation" style=(format!("border-collapse:collapse;margin-top:14px;font-size:12px;{MUTED}")) {
                                @for (k, v) in &m.details {
                                    tr {
                                        td style="padding:0 10px 0 0;vertical-align:top;white-space:nowrap" { (k) ":" }
                                        td style="padding:0;overflow-wrap:anywhere;word-break:break-all" { (v) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    markup.into_string()
}

fn more_where_html(m: &Mail) -> Markup {
    match &m.page {
        Some(p) => {
            html! { "All changes: " a href=(p) style="color:#0550ae;overflow-wrap:break-word" { (p) } }
        }
        None => html! { (ticked(&more_where(m))) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::event::{EventKind, IntegrationRef};

    #[test]
    fn html_escape_and_one_line_neutralize_spec_text() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(one_line("a\r\nBcc: x"), "a  Bcc: x");
        assert_eq!(shell_arg("okta-users"), "okta-users");
        assert_eq!(shell_arg("a b'c"), "'a b'\\''c'");
    }

    #[test]
    fn wrap_keeps_lines_within_the_width_and_long_words_whole() {
        let mut out = String::new();
        let long = "x".repeat(100);
        wrap(
            &mut out,
            &format!("{} {long} end", "word ".repeat(30)),
            "  - ",
            "    ",
        );
        for l in out.lines() {
            assert!(l.chars().count() <= TEXT_WIDTH || l.trim() == long, "{l:?}");
        }
        assert!(out.lines().any(|l| l.trim() == long), "{out}");
        assert!(out.starts_with("  - word"), "{out}");
    }

    #[test]
    fn operation_risks_are_listed_once_per_operation() {
        let mut e = Event::new(
            EventKind::DriftConfirmed,
            "evt_x".into(),
            chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap_or_default(),
            IntegrationRef {
                name: "okta".into(),
                owner: None,
            },
        );
        e.verdict = serde_json::json!({
            "visibility": 1.0,
            "fields": {"lost": [], "at_risk": []},
            "operation_risks": [{"operation": "GET /u", "kind": "credential",
                "message": "the credential may need to change",
                "reasons": ["api-security-scope-added"]}]
        });
        let r = render(NoticeKind::DriftConfirmed, &e, &Links::default());
        assert!(
            r.text.contains(
                "Consumed operations at risk (1)\n-------------------------------\n  - GET /u: the credential may need to change (api-security-scope-added)\n"
            ),
            "{}",
            r.text
        );
        assert_eq!(r.subject, "[apidrift] okta: 1 credential at risk");
        assert!(!r.text.contains("Consumed fields"), "{}", r.text);
        assert!(r.html.contains("Consumed operations at risk (1)</h2>"));
    }
}
