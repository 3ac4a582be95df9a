//! `/`: every integration in one table (status, visibility, lost and at-risk counts,
//! drifted or failing since, last check, failure reason, owner) under a header of
//! totals. Sorting and filtering are query parameters (`status`, `q`, `sort`, `dir`)
//! handled here, so the page works with JavaScript off; every header and total is a
//! plain link. Must not: compute a state (it reads `IntegrationState` as saved).

use super::{integration_href, nav, when_opt};
use crate::monitor::Monitor;
use crate::report::html::{badge, page, percent};
use crate::state::{IntegrationState, Status};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use std::collections::HashMap;

/// One line of the table, read from a monitor and its saved state.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub name: &'a str,
    pub owner: Option<&'a str>,
    pub status: Status,
    pub visibility: Option<f64>,
    pub lost: Option<usize>,
    pub at_risk: Option<usize>,
    /// Drifted since (first seen) or failing since.
    pub since: Option<DateTime<Utc>>,
    pub confirmed: bool,
    pub last_check: Option<DateTime<Utc>>,
    pub failure: Option<(&'a str, &'a str)>,
    pub errors: usize,
    pub changes: usize,
}

impl<'a> Row<'a> {
    pub fn of(m: &'a Monitor, st: Option<&'a IntegrationState>) -> Row<'a> {
        let verdict = st.and_then(|s| s.visibility.as_ref()).map(|v| &v.verdict);
        let status = st.map_or(Status::Unknown, |s| s.status);
        let since = st.and_then(|s| match s.status {
            Status::Failing => s.failure.as_ref().map(|f| f.since),
            Status::Drifted => s.drift.as_ref().map(|d| d.first_seen),
            _ => None,
        });
        Row {
            name: &m.name,
            owner: m.owner.as_deref(),
            status,
            visibility: verdict.map(|v| v.visibility),
            lost: verdict.map(|v| v.counts.lost),
            at_risk: verdict.map(|v| v.counts.at_risk),
            since,
            confirmed: st
                .and_then(|s| s.drift.as_ref())
                .is_some_and(|d| d.confirmed),
            last_check: st.and_then(|s| s.last_check),
            failure: st
                .and_then(|s| s.failure.as_ref())
                .map(|f| (f.reason.as_str(), f.message.as_str())),
            errors: st.map_or(0, |s| s.counts()["error"]),
            changes: st.map_or(0, |s| s.changes.len()),
        }
    }
}

/// Worst first: what needs a human comes to the top of the default sort.
fn severity(s: Status) -> u8 {
    match s {
        Status::Failing => 0,
        Status::Drifted => 1,
        Status::NoBaseline => 2,
        Status::Unknown => 3,
        Status::Ok => 4,
    }
}

const STATUSES: [Status; 5] = [
    Status::Failing,
    Status::Drifted,
    Status::NoBaseline,
    Status::Unknown,
    Status::Ok,
];

/// The columns one can sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Name,
    Visibility,
    Lost,
    AtRisk,
    Since,
    LastCheck,
    Owner,
}

impl SortKey {
    fn word(self) -> &'static str {
        match self {
            SortKey::Status => "status",
            SortKey::Name => "name",
            SortKey::Visibility => "visibility",
            SortKey::Lost => "lost",
            SortKey::AtRisk => "at_risk",
            SortKey::Since => "since",
            SortKey::LastCheck => "last_check",
            SortKey::Owner => "owner",
        }
    }

    fn parse(s: &str) -> Option<SortKey> {
        [
            SortKey::Status,
            SortKey::Name,
            SortKey::Visibility,
            SortKey::Lost,
            SortKey::AtRisk,
            SortKey::Since,
            SortKey::LastCheck,
            SortKey::Owner,
        ]
        .into_iter()
        .find(|k| k.word() == s)
    }

    /// The direction a first click sorts in: worst or newest first.
    fn natural_desc(self) -> bool {
        matches!(self, SortKey::Lost | SortKey::AtRisk | SortKey::LastCheck)
    }
}

/// What the query string asks for. Unknown or malformed values fall back to the
/// defaults (status worst first, every integration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub status: Option<Status>,
    /// A case-insensitive substring of the name or the owner.
    pub q: String,
    pub sort: SortKey,
    pub desc: bool,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            status: None,
            q: String::new(),
            sort: SortKey::Status,
            desc: false,
        }
    }
}

impl Query {
    pub fn parse(params: &HashMap<String, String>) -> Query {
        let mut q = Query::default();
        if let Some(s) = params.get("status") {
            q.status = STATUSES.into_iter().find(|st| st.as_str() == s);
        }
        if let Some(text) = params.get("q") {
            q.q = text.trim().chars().take(200).collect();
        }
        if let Some(k) = params.get("sort").and_then(|s| SortKey::parse(s)) {
            q.sort = k;
            q.desc = k.natural_desc();
        }
        match params.get("dir").map(String::as_str) {
            Some("asc") => q.desc = false,
            Some("desc") => q.desc = true,
            _ => {}
        }
        q
    }

    /// This query as a link, with `change` applied.
    fn href(&self, change: impl FnOnce(&mut Query)) -> String {
        let mut q = self.clone();
        change(&mut q);
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if let Some(st) = q.status {
            s.append_pair("status", st.as_str());
        }
        if !q.q.is_empty() {
            s.append_pair("q", &q.q);
        }
        if q.sort != SortKey::Status || q.desc {
            s.append_pair("sort", q.sort.word());
            s.append_pair("dir", if q.desc { "desc" } else { "asc" });
        }
        let s = s.finish();
        if s.is_empty() {
            "/".to_string()
        } else {
            format!("/?{s}")
        }
    }

    fn keeps(&self, r: &Row) -> bool {
        if self.status.is_some_and(|s| s != r.status) {
            return false;
        }
        if self.q.is_empty() {
            return true;
        }
        let needle = self.q.to_lowercase();
        r.name.to_lowercase().contains(&needle)
            || r.owner.is_some_and(|o| o.to_lowercase().contains(&needle))
    }
}

fn sort(rows: &mut [&Row], key: SortKey, desc: bool) {
    use std::cmp::Ordering;
    // `None` sorts last in either direction.
    fn opt<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
                if desc { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let dir = |o: Ordering| if desc { o.reverse() } else { o };
    rows.sort_by(|a, b| {
        let primary = match key {
            SortKey::Status => dir(severity(a.status).cmp(&severity(b.status))),
            SortKey::Name => dir(a.name.cmp(b.name)),
            SortKey::Visibility => opt(a.visibility, b.visibility, desc),
            SortKey::Lost => opt(a.lost, b.lost, desc),
            SortKey::AtRisk => opt(a.at_risk, b.at_risk, desc),
            SortKey::Since => opt(a.since, b.since, desc),
            SortKey::LastCheck => opt(a.last_check, b.last_check, desc),
            SortKey::Owner => opt(a.owner, b.owner, desc),
        };
        primary.then_with(|| a.name.cmp(b.name))
    });
}

/// The whole `/` page.
pub fn status_page(rows: &[Row], query: &Query, now: DateTime<Utc>) -> String {
    let mut shown: Vec<&Row> = rows.iter().filter(|r| query.keeps(r)).collect();
    sort(&mut shown, query.sort, query.desc);
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    let title = {
        let (f, d) = (count(Status::Failing), count(Status::Drifted));
        if f + d == 0 {
            format!("apidrift: {} integrations, all ok", rows.len())
        } else {
            format!("apidrift: {f} failing, {d} drifted of {}", rows.len())
        }
    };
    let body = html! {
        h1 { "Integrations" }
        ul.summary aria-label="totals by status" {
            li.current[query.status.is_none()] {
                a href=(query.href(|q| q.status = None)) { strong { (rows.len()) } "all" }
            }
            @for s in STATUSES {
                li.current[query.status == Some(s)] {
                    a href=(query.href(|q| q.status = Some(s))) { strong { (count(s)) } (badge(s.as_str())) }
                }
            }
        }
        form.filter method="get" action="/" role="search" {
            label for="q" { "Name or owner" }
            input id="q" type="search" name="q" value=(query.q);
            label for="status" { "Status" }
            select id="status" name="status" {
                option value="" selected[query.status.is_none()] { "any" }
                @for s in STATUSES {
                    option value=(s.as_str()) selected[query.status == Some(s)] { (s.as_str()) }
                }
            }
            @if query.sort != SortKey::Status || query.desc {
                input type="hidden" name="sort" value=(query.sort.word());
                input type="hidden" name="dir" value=(if query.desc { "desc" } else { "asc" });
            }
            button type="submit" { "Filter" }
            @if query.status.is_some() || !query.q.is_empty() {
                a href=(query.href(|q| { q.status = None; q.q.clear(); })) { "Clear" }
            }
        }
        p.muted { "Showing " (shown.len()) " of " (rows.len()) "." }
        div.scroll {
            table.stack id="integrations" {
                thead { tr {
                    (th(query, SortKey::Name, "Integration"))
                    (th(query, SortKey::Status, "Status"))
                    (th(query, SortKey::Visibility, "Visibility"))
                    (th(query, SortKey::Lost, "Lost"))
                    (th(query, SortKey::AtRisk, "At risk"))
                    (th(query, SortKey::Since, "Since"))
                    (th(query, SortKey::LastCheck, "Last check"))
                    th scope="col" { "Failure" }
                    (th(query, SortKey::Owner, "Owner"))
                } }
                tbody {
                    @for r in &shown { (row(r, now)) }
                }
            }
        }
        @if shown.is_empty() {
            p { "No integration matches." }
        }
    };
    let mut out = page(&title, nav(None), body, None).into_string();
    out.push('\n');
    out
}

fn th(query: &Query, key: SortKey, label: &str) -> Markup {
    let current = query.sort == key;
    let next_desc = if current {
        !query.desc
    } else {
        key.natural_desc()
    };
    let aria = match (current, query.desc) {
        (false, _) => None,
        (true, false) => Some("ascending"),
        (true, true) => Some("descending"),
    };
    let arrow = match (current, query.desc) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    };
    let href = query.href(|q| {
        q.sort = key;
        q.desc = next_desc;
    });
    html! {
        th scope="col" aria-sort=[aria] {
            a.sort href=(href) { (label) (arrow) }
        }
    }
}

fn row(r: &Row, now: DateTime<Utc>) -> Markup {
    html! {
        tr data-status=(r.status.as_str()) {
            td.name data-label="Integration" { a href=(integration_href(r.name)) { (r.name) } }
            td data-label="Status" {
                (badge(r.status.as_str()))
                @if r.status == Status::Drifted {
                    " " span.muted { (r.changes) " change" (if r.changes == 1 { "" } else { "s" })
                        @if r.errors > 0 { ", " (r.errors) " ERR" }
                        @if !r.confirmed { ", unconfirmed" } }
                }
            }
            td.num data-label="Visibility" {
                @match r.visibility { Some(v) => (percent(v)), None => span.muted { "–" } }
            }
            td.num data-label="Lost" { @match r.lost { Some(n) => (n), None => span.muted { "–" } } }
            td.num data-label="At risk" { @match r.at_risk { Some(n) => (n), None => span.muted { "–" } } }
            td data-label="Since" { (when_opt(r.since, now)) }
            td data-label="Last check" { (when_opt(r.last_check, now)) }
            td data-label="Failure" {
                @if let Some((reason, message)) = r.failure {
                    code { (reason) } " " span.muted { (message) }
                }
            }
            td data-label="Owner" { @if let Some(o) = r.owner { (o) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query::parse(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn queries_parse_with_fallbacks_and_round_trip_as_links() {
        assert_eq!(q(&[]), Query::default());
        let a = q(&[("status", "failing"), ("q", " okta "), ("sort", "lost")]);
        assert_eq!(a.status, Some(Status::Failing));
        assert_eq!(a.q, "okta");
        assert!(a.desc, "lost sorts most first");
        assert_eq!(
            q(&[("status", "<script>"), ("sort", "x")]),
            Query::default()
        );
        let href = a.href(|_| {});
        assert_eq!(href, "/?status=failing&q=okta&sort=lost&dir=desc");
        let back: HashMap<String, String> =
            url::form_urlencoded::parse(href.trim_start_matches("/?").as_bytes())
                .into_owned()
                .collect();
        assert_eq!(Query::parse(&back), a);
    }

    fn row(name: &'static str, status: Status, lost: Option<usize>) -> Row<'static> {
        Row {
            name,
            owner: None,
            status,
            visibility: None,
            lost,
            at_risk: None,
            since: None,
            confirmed: false,
            last_check: None,
            failure: None,
            errors: 0,
            changes: 0,
        }
    }

    #[test]
    fn sorting_puts_unknown_values_last_both_ways() {
        let rows = [
            row("a", Status::Ok, Some(1)),
            row("b", Status::Failing, None),
            row("c", Status::Drifted, Some(3)),
        ];
        let names = |key, desc| {
            let mut v: Vec<&Row> = rows.iter().collect();
            sort(&mut v, key, desc);
            v.iter().map(|r| r.name).collect::<Vec<_>>()
        };
        assert_eq!(names(SortKey::Status, false), ["b", "c", "a"]);
        assert_eq!(names(SortKey::Lost, true), ["c", "a", "b"]);
        assert_eq!(names(SortKey::Lost, false), ["a", "c", "b"]);
        assert_eq!(names(SortKey::Name, true), ["c", "b", "a"]);
    }
}
