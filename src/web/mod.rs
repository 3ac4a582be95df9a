//! The daemon's pages: `/` (every integration in one table, sortable and filterable
//! by query parameters, so it works with JavaScript off) and `/integrations/NAME`
//! (verdict, changes by operation, samples, history timeline, baseline log and the
//! command that accepts). Server-rendered with `maud` (every interpolated value is
//! escaped); the changes and the verdict go through `report::html`, the renderer of
//! `apidrift diff --format html`, so the page and the report show the same thing.
//!
//! Owns: the page models (`Row`, `Query`, `IntegrationPage`) and their markup, and the
//! headers every page is served with (`HEADERS`: the strict Content-Security-Policy).
//!
//! Must not: compute anything the state, the history or the baselines do not hold
//! (sorting, filtering, counting and formatting times are presentation), do I/O (the
//! daemon reads and hands in), serve HTTP (only `daemon` does), or show a credential
//! or a sample value (sources are shown as the monitor displays them, without query;
//! samples are shapes).

pub mod integration;
pub mod status;

pub use integration::{IntegrationPage, integration_page, not_found_page};
pub use status::{Query, Row, status_page};

use chrono::{DateTime, Utc};
use maud::{Markup, html};

/// The headers of every page: HTML, the strict CSP (nothing runs; only the inline
/// stylesheet, by hash; forms submit to this origin), no sniffing, no referrer, no
/// framing, no caching of live state.
pub fn headers() -> [(&'static str, String); 6] {
    [
        ("content-type", "text/html; charset=utf-8".to_string()),
        (
            "content-security-policy",
            crate::report::html::csp("'self'"),
        ),
        ("x-content-type-options", "nosniff".to_string()),
        ("referrer-policy", "no-referrer".to_string()),
        ("x-frame-options", "DENY".to_string()),
        ("cache-control", "no-store".to_string()),
    ]
}

/// The page links of one integration, relative to the site root.
pub fn integration_href(name: &str) -> String {
    let mut out = String::from("/integrations/");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The top bar of every page.
pub(crate) fn nav(current: Option<&str>) -> Markup {
    html! {
        a.brand href="/" { "apidrift" }
        nav aria-label="breadcrumb" {
            a href="/" { "Integrations" }
            @if let Some(c) = current { " / " span { (c) } }
        }
    }
}

/// A time as `2026-12-01 23:00 UTC` with its age (`3 h 5 min ago`), in `<time>`.
pub(crate) fn when(t: DateTime<Utc>, now: DateTime<Utc>) -> Markup {
    let age = (now - t).num_seconds();
    html! {
        time datetime=(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) {
            (t.format("%Y-%m-%d %H:%M:%S UTC"))
        }
        @if age >= 0 {
            " " span.muted { "(" (crate::state::history::human_duration(age)) " ago)" }
        }
    }
}

/// Like `when`, or a dash.
pub(crate) fn when_opt(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Markup {
    match t {
        Some(t) => when(t, now),
        None => html! { span.muted { "–" } },
    }
}

/// `sha256:0123456789ab…`: digests are long; the full one is in the title.
pub(crate) fn short_digest(d: &str) -> Markup {
    let short: String = d.chars().take(19).collect();
    html! { code title=(d) { (short) @if d.chars().count() > 19 { "…" } } }
}
