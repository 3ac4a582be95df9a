//! `/integrations/NAME`: what on-call needs after an alert, top to bottom: the status
//! and why, the verdict (consumed fields with their state, reasons, possible renames),
//! the command that accepts the current spec, the changes grouped by operation (rule
//! ids linked to their explanation, level, text, base and revision `file:line`), the
//! sample findings, the drift history as a timeline with "how long were we blind"
//! durations, and the baseline log. Changes and verdict are rendered by
//! `report::html`, the renderer of `apidrift diff --format html`.
//!
//! Must not: compute a state or a verdict; it reads the saved state, the folded
//! history and the baseline records the daemon hands in.

use super::{nav, short_digest, when, when_opt};
use crate::baseline::Record;
use crate::monitor::Monitor;
use crate::report::html::{self as render, badge, page, percent};
use crate::report::{Counts, Entry};
use crate::state::history::{
    DriftEpisode, Ended, FailingPeriod, History, Notification, human_duration,
};
use crate::state::{IntegrationState, Status};
use chrono::{DateTime, Utc};
use maud::{Markup, html};

/// Everything the page shows, read by the daemon.
#[derive(Debug, Clone, Copy)]
pub struct IntegrationPage<'a> {
    pub monitor: &'a Monitor,
    pub state: &'a IntegrationState,
    pub baseline: Option<&'a Record>,
    /// Every accept, oldest first.
    pub log: &'a [Record],
    /// `None` when the history could not be read (the page says so).
    pub history: Option<&'a History>,
    pub now: DateTime<Utc>,
}

/// The command a human runs to accept the current spec, shell-quoted.
pub fn accept_command(name: &str) -> String {
    format!(
        "apidrift baseline accept {} --reason \"...\"",
        shell_arg(name)
    )
}

fn shell_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The report entries of the saved changes, with their saved locations.
pub fn entries(st: &IntegrationState) -> Vec<Entry> {
    st.changes
        .iter()
        .map(|c| {
            let loc = st.locations.get(&c.fingerprint);
            Entry {
                change: c.clone(),
                base_source: loc.and_then(|l| l.base.clone()),
                revision_source: loc.and_then(|l| l.revision.clone()),
            }
        })
        .collect()
}

/// The whole page.
pub fn integration_page(p: &IntegrationPage) -> String {
    let m = p.monitor;
    let st = p.state;
    let now = p.now;
    let entries = entries(st);
    let verdict = st.visibility.as_ref().map(|v| &v.verdict);
    let title = format!("{} · {} · apidrift", m.name, st.status.as_str());
    let body = html! {
        h1 { (m.name) " " (badge(st.status.as_str())) }
        (headline(p))
        dl.facts {
            dt { "Owner" } dd { @match &m.owner { Some(o) => (o), None => span.muted { "none set" } } }
            dt { "Vendor spec" } dd { code { (m.source.display()) } }
            dt { "Schedule" } dd { code { (m.schedule) } " (UTC), confirm after " (m.confirm_after) " poll" (if m.confirm_after == 1 { "" } else { "s" }) }
            dt { "Last check" } dd { (when_opt(st.last_check, now)) @if let Some(r) = st.last_result { " " span.muted { "(" (r.as_str()) ")" } } }
            dt { "Last success" } dd { (when_opt(st.last_success, now)) }
            dt { "Baseline" } dd {
                @match p.baseline {
                    Some(b) => { (short_digest(&b.digest)) " accepted " (b.accepted_at) " by " (b.by) }
                    None => span.muted { "none" }
                }
            }
            dt { "Spec seen" } dd { @match &st.spec { Some(s) => (short_digest(&s.digest)), None => span.muted { "–" } } }
        }
        @if let Some(v) = &st.visibility {
            h2 id="verdict" { "Verdict" }
            (render::verdict(&v.verdict))
            @for s in &v.samples {
                @if s.failure == Some(crate::fetch::FailureReason::Forbidden) {
                    p.note.alert { "Visibility risk: sample " code { (s.name) } " was refused (HTTP " (s.status.unwrap_or(403)) "): the fetcher's credentials may no longer see this data." }
                }
            }
            @if !v.lifecycle.is_empty() {
                h3 { "Lifecycle of consumed operations" }
                ul {
                    @for l in &v.lifecycle {
                        li {
                            code { (l.operation) } ": "
                            @if l.deprecated { (badge("WARN")) " deprecated" } @else { "not deprecated" }
                            @if let Some(t) = l.sunset_at.and_then(|t| DateTime::from_timestamp(t, 0)) { ", sunset " (when(t, now)) }
                            " " span.muted { "(from " (l.source) ")" }
                        }
                    }
                }
            }
        }
        @if matches!(st.status, Status::Drifted | Status::NoBaseline) || (st.status == Status::Failing && st.drift.is_some()) {
            h2 id="accept" { "Accept" }
            p { "A human approves every baseline. After fixing the fetcher, or judging the changes harmless, run this in the configuration repository and commit " code { "baselines/" } ":" }
            pre.cmd id="accept-command" { (accept_command(&m.name)) }
        }
        h2 id="changes" { "Unaccepted changes" }
        @if st.spec.is_none() && st.changes.is_empty() {
            p.muted { "Unknown: no check has read and compared this vendor's spec yet." }
        } @else {
            (render::counts(&entries))
            (render::changes(&entries, verdict))
        }
        @if let Some(v) = &st.visibility {
            @if v.samples.iter().any(|s| !s.findings.is_empty() || s.failure.is_some()) {
                h2 id="samples" { "Sample responses" }
                (samples(v))
            }
        }
        h2 id="history" { "History" }
        @match p.history {
            Some(h) => (history(h, now)),
            None => p.note.alert { "The history of this integration could not be read; see the daemon's log." },
        }
        h2 id="baselines" { "Baseline log" }
        (baseline_log(p.log, p.baseline))
        @if !entries.is_empty() {
            h2 id="rules" { "Rules" }
            (render::rules(&entries, verdict))
        }
    };
    let mut out = page(&title, nav(Some(&m.name)), body, None).into_string();
    out.push('\n');
    out
}

/// One sentence: what is going on, since when.
fn headline(p: &IntegrationPage) -> Markup {
    let st = p.state;
    let now = p.now;
    let c = Counts::of(&entries(st));
    // Red for what breaks the fetcher (an ERR change, a lost field), yellow otherwise.
    let serious = c.err > 0
        || st
            .visibility
            .as_ref()
            .is_some_and(|v| v.verdict.counts.lost > 0);
    html! {
        @match st.status {
            Status::Failing => {
                @if let Some(f) = &st.failure {
                    div.note.alert role="status" {
                        p { strong { "Cannot see the vendor: " } code { (f.reason.as_str()) } " " (f.message) }
                        p { "Failing since " (when(f.since, now)) ", " (f.consecutive) " check" (if f.consecutive == 1 { "" } else { "s" }) " in a row. Drift cannot be detected meanwhile; a known drift stays known." }
                    }
                }
            }
            Status::Drifted => {
                @if let Some(d) = &st.drift {
                    div.note.alert[serious].warn[!serious] role="status" {
                        p {
                            strong { (st.changes.len()) " unaccepted change" (if st.changes.len() == 1 { "" } else { "s" }) }
                            " (" (c.err) " ERR, " (c.warn) " WARN, " (c.info) " INFO), first seen " (when(d.first_seen, now)) ". "
                            @if d.confirmed {
                                "Confirmed"
                                @if let Some(c) = d.confirmed_at { " " (when(c, now)) }
                                "."
                            } @else {
                                "Not confirmed yet: seen on " (d.polls_seen) " of " (p.monitor.confirm_after) " polls."
                            }
                        }
                        @if let Some(v) = &st.visibility {
                            p { "Visibility " strong { (percent(v.verdict.visibility)) } ": " (v.verdict.counts.lost) " consumed field(s) lost, " (v.verdict.counts.at_risk) " at risk." }
                        }
                    }
                }
            }
            Status::NoBaseline => p.note { "No baseline was ever accepted for this integration: nothing is compared until one is." },
            Status::Unknown => p.note { "Not checked yet." },
            Status::Ok => p { (badge("ok")) " The vendor spec matches the approved baseline." },
        }
    }
}

fn samples(v: &crate::state::visibility::VisibilityReport) -> Markup {
    html! {
        @for s in &v.samples {
            h3 { code { (s.name) } " " span.muted { (s.operation) } }
            p.muted {
                @if let Some(st) = s.status { "HTTP " (st) }
                @if let Some(n) = s.items { ", " (n) " item(s)" }
                @if let Some(f) = s.failure { ", failed: " code { (f.as_str()) } }
            }
            @if !s.findings.is_empty() {
                div.scroll { table.stack {
                    thead { tr { th scope="col" { "Level" } th scope="col" { "Finding" } th scope="col" { "Text" } th scope="col" { "Consumed" } } }
                    tbody { @for f in &s.findings { tr {
                        td data-label="Level" { (badge(f.level.as_str())) }
                        td data-label="Finding" { code { (f.id) } }
                        td data-label="Text" { (f.text) }
                        td data-label="Consumed" {
                            @if f.consumed { @match f.effect { Some(e) => (badge(e.as_str())), None => "yes" } } @else { span.muted { "no" } }
                        }
                    } } }
                } }
            }
        }
    }
}

enum Item<'a> {
    Drift(&'a DriftEpisode),
    Failing(&'a FailingPeriod),
}

impl Item<'_> {
    fn start(&self) -> DateTime<Utc> {
        match self {
            Item::Drift(e) => e.first_seen,
            Item::Failing(f) => f.since,
        }
    }
}

fn history(h: &History, now: DateTime<Utc>) -> Markup {
    let mut items: Vec<Item> = h
        .episodes
        .iter()
        .map(Item::Drift)
        .chain(h.failing.iter().map(Item::Failing))
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.start()));
    html! {
        @if !h.blind.is_empty() {
            h3 id="blind" { "How long consumed fields were not seen" }
            div.scroll { table.stack {
                thead { tr { th scope="col" { "Operation" } th scope="col" { "Field" } th scope="col" { "Worst state" } th.num scope="col" { "Total" } th.num scope="col" { "Episodes" } th scope="col" { "Now" } } }
                tbody { @for b in &h.blind { tr {
                    td data-label="Operation" { code { (b.operation) } }
                    td data-label="Field" { code { (b.field) } }
                    td data-label="Worst state" { (badge(b.state.as_str())) }
                    td.num data-label="Total" { (human_duration(b.total_seconds)) }
                    td.num data-label="Episodes" { (b.episodes) }
                    td data-label="Now" { @match b.since { Some(s) => { "not ok since " (when(s, now)) }, None => { "ok again after " (when(b.last, now)) } } }
                } } }
            } }
        }
        @if items.is_empty() {
            p.muted { "Nothing happened yet: no drift and no failing period in the kept history." }
        } @else {
            ol.timeline {
                @for i in &items {
                    li { @match i { Item::Drift(e) => (drift_item(e, now)), Item::Failing(f) => (failing_item(f, now)) } }
                }
            }
        }
    }
}

fn drift_item(e: &DriftEpisode, now: DateTime<Utc>) -> Markup {
    html! {
        p {
            strong { "Drift " code { (e.drift) } } " "
            @match &e.ended { None => (badge("drifted")), Some(_) => (badge("resolved")) }
            " " (e.changes_total) " change(s): " (e.counts.error) " ERR, " (e.counts.warning) " WARN, " (e.counts.info) " INFO"
        }
        ul {
            li { "First seen " (when(e.first_seen, now)) }
            @if let Some(c) = e.confirmed_at { li { "Confirmed " (when(c, now)) } }
            @for a in &e.acknowledgements {
                li { "Acknowledged by " (a.by) " " (when(a.at, now)) @if let Some(n) = &a.note { ": " (n) } }
            }
            @for n in &e.notifications { li { (notification(n, now)) } }
            @match (&e.ended, e.ended_at) {
                (Some(how), Some(at)) => li { (ended(how)) " " (when(at, now)) ", after " (human_duration(e.duration_seconds)) },
                _ => li { "Open for " (human_duration(e.duration_seconds)) },
            }
        }
        @if let Some(v) = e.verdict() {
            p { "Verdict" @if e.snapshot.is_some() { " at confirmation" } @else { " when first seen" } ": visibility " (percent(v.visibility)) ", " (v.lost) " lost, " (v.at_risk) " at risk" }
            @if !v.fields.is_empty() {
                ul { @for f in &v.fields {
                    li { (badge(f.state.as_str())) " " code { (f.operation) } " " code { (f.field) }
                        @if !f.reasons.is_empty() { " " span.muted { "(" (f.reasons.join(", ")) ")" } }
                        ", for " (human_duration((e.ended_at.unwrap_or(now) - e.first_seen).num_seconds())) }
                } }
            }
        }
        @if let Some(s) = &e.snapshot {
            @if !s.changes.is_empty() {
                details {
                    summary { "The changes at confirmation (" (s.changes_total) ")" }
                    ul { @for c in &s.changes {
                        li { (badge(c.level.as_str())) " " code { (c.id) } " "
                            @if let (Some(m), Some(p)) = (&c.operation, &c.path) { code { (m.as_str()) " " (p) } " " }
                            (c.text) }
                    } }
                    @if s.changes_total > s.changes.len() { p.muted { "… and " (s.changes_total - s.changes.len()) " more." } }
                }
            }
        }
    }
}

fn ended(how: &Ended) -> Markup {
    html! {
        @match how {
            Ended::VendorReverted => "Resolved: the vendor reverted",
            Ended::Accepted { baseline_digest, by, reason, .. } => {
                "Accepted by " (by) " (“" (reason) "”), baseline " (short_digest(baseline_digest)) ","
            }
            Ended::Superseded { by_drift } => { "Replaced by drift " code { (by_drift) } "," }
            Ended::BaselineRemoved => "Ended: the baseline was removed",
        }
    }
}

fn notification(n: &Notification, now: DateTime<Utc>) -> Markup {
    html! {
        "Notified (" code { (n.kind) } ") by " (n.channel) " to " code { (n.destination) } ": " (badge(n.status))
        @if let Some(t) = n.settled_at { " " (when(t, now)) }
        @if let Some(a) = n.attempts { " " span.muted { "after " (a) " attempt(s)" } }
        @if let Some(e) = &n.error { " " span.muted { "(" (e) ")" } }
        " " span.muted { "event " code { (n.event_id) } }
    }
}

fn failing_item(f: &FailingPeriod, now: DateTime<Utc>) -> Markup {
    html! {
        p {
            strong { "Failing" } " "
            @match f.ended_at { None => (badge("failing")), Some(_) => (badge("resolved")) }
            " " code { (f.reason) } " " span.muted { (f.message) }
        }
        ul {
            li { "Since " (when(f.since, now)) }
            @for n in &f.notifications { li { (notification(n, now)) } }
            @match f.ended_at {
                Some(t) => li { "Recovered " (when(t, now)) ", blind to the vendor for " (human_duration(f.duration_seconds)) },
                None => li { "Still failing, for " (human_duration(f.duration_seconds)) },
            }
        }
    }
}

fn baseline_log(log: &[Record], current: Option<&Record>) -> Markup {
    html! {
        @if log.is_empty() {
            p.muted { "Never accepted." }
        } @else {
            div.scroll { table.stack {
                thead { tr { th scope="col" { "Accepted" } th scope="col" { "By" } th scope="col" { "Why" } th scope="col" { "Digest" } th scope="col" { "Source" } } }
                tbody { @for r in log.iter().rev() { tr {
                    td data-label="Accepted" { (r.accepted_at) @if current == Some(r) { " " (badge("ok")) " current" } }
                    td data-label="By" { (r.by) }
                    td data-label="Why" { (r.reason) }
                    td data-label="Digest" { (short_digest(&r.digest)) }
                    td data-label="Source" { code { (r.source) } }
                } } }
            } }
        }
    }
}

/// The page for a name no monitor has.
pub fn not_found_page(name: &str) -> String {
    let body = html! {
        h1 { "No such integration" }
        p { "No monitor is named " code { (name) } ". " a href="/" { "All integrations" } }
    };
    page("not found · apidrift", nav(None), body, None).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_command_quotes_what_a_shell_would_split() {
        assert_eq!(
            accept_command("okta-users"),
            "apidrift baseline accept okta-users --reason \"...\""
        );
        assert_eq!(
            accept_command("a b'c"),
            "apidrift baseline accept 'a b'\\''c' --reason \"...\""
        );
    }
}
