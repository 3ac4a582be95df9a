//! The `html` format and the one HTML renderer of changes and verdicts: a single
//! self-contained document (inline CSS, no script, no font, no network) for
//! `apidrift diff --format html`, and the same fragments for the daemon's integration
//! page (`web`), so the report and the page cannot drift apart.
//!
//! Owns: the stylesheet (`CSS`) and its Content-Security-Policy hash (`style_src`),
//! the page shell (`page`), and the fragments: level counts (`counts`), the verdict
//! (`verdict`), the changes grouped by operation (`changes`) and the explanation of
//! every rule they cite (`rules`). Templates are `maud`, which escapes every
//! interpolated value: spec text (paths, descriptions, property names, enum values) is
//! attacker-controlled and only ever appears as escaped text, never as markup, an
//! attribute name or a link target (rule links are in-document anchors built from a
//! sanitized id).
//!
//! Must not: decide severities, filter changes, do I/O, or emit `<script>`, an event
//! handler attribute or a link to anything outside the document.

use super::{Counts, Entry, Source};
use crate::diff::Level;
use crate::diff::rules;
use crate::impact::{AssessedChange, FieldState, FieldVerdict, Verdict};
use indexmap::IndexMap;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The stylesheet of the report and of the daemon's pages: system fonts, no images,
/// readable from a 320 px phone up (tables scroll or stack), WCAG AA contrast.
pub const CSS: &str = r#"
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--head:#f6f8fa;--link:#0550ae}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
.top{background:#1f2328;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
.top a{color:#fff}
.top .brand{font-weight:700;text-decoration:none}
main{padding:.75rem 1rem 2rem;max-width:84rem;margin:0 auto}
h1{font-size:1.4rem;margin:.3rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.6rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1rem;margin:1.1rem 0 .4rem;overflow-wrap:anywhere}
a{color:var(--link)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.88em}
code{overflow-wrap:anywhere}
p{margin:.4rem 0}
.muted{color:var(--muted)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .4em;border-radius:.3em;font-size:.85em;font-weight:600;white-space:nowrap;border:1px solid transparent}
.s-err,.s-lost,.s-failing,.s-dead_lettered{background:#ffebe9;color:#82071e;border-color:#ffcecb}
.s-warn,.s-at_risk,.s-drifted,.s-pending{background:#fff8c5;color:#5c4200;border-color:#e7d27a}
.s-info,.s-no_baseline,.s-unknown,.s-unconsumed{background:#ddf4ff;color:#0a3069;border-color:#b6e3ff}
.s-ok,.s-delivered,.s-resolved{background:#dafbe1;color:#0f5323;border-color:#aceebb}
.note{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.6rem 0}
.note.alert{border-color:#ffcecb;background:#fff5f5}
.note.warn{border-color:#e7d27a;background:#fffbe6}
caption{text-align:left;padding:.2rem 0}
td.name a{white-space:nowrap;font-weight:600}
.summary{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0;padding:0;list-style:none}
.summary li{border:1px solid var(--line);border-radius:.4rem;padding:.2rem .6rem}
.summary a{text-decoration:none;color:inherit;display:block}
.summary .current{outline:2px solid var(--link)}
.summary strong{font-size:1.15rem;margin-right:.25rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;margin:.4rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
pre.cmd{background:var(--head);border:1px solid var(--line);border-radius:.3rem;padding:.6rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.4rem 0}
ol.timeline{list-style:none;margin:.4rem 0 .4rem .4rem;padding:0;border-left:3px solid var(--line)}
ol.timeline>li{margin:0 0 .9rem;padding-left:.9rem}
ol.timeline ul{margin:.2rem 0;padding-left:1.1rem}
form.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
form.filter input,form.filter select,form.filter button{font:inherit;padding:.2rem .4rem}
dl.rules dt{font-weight:600;margin-top:.5rem}
dl.rules dd{margin:0 0 0 1rem}
.sort{text-decoration:none;color:inherit}
.sort:hover,.sort:focus{text-decoration:underline}
@media (max-width:44rem){
 body{font-size:14px}
 main{padding:.5rem .6rem 1.5rem}
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.3rem 0}
 table.stack td{display:block;border:0;padding:.05rem .2rem}
 table.stack td,table.stack td.num{text-align:left}
 table.stack td:empty{display:none}
 table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
 table.stack td.name{font-size:1.1em}
 table.stack td.name::before{content:none}
 dl.facts{grid-template-columns:1fr}
 dl.facts dt{margin-top:.3rem}
}
"#;

/// `'sha256-<base64>'` of `CSS`, for a `style-src` that allows exactly this stylesheet.
pub fn style_src() -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(CSS.as_bytes())))
}

/// The Content-Security-Policy of every page: nothing may load or run but the inline
/// stylesheet; forms submit only to the same origin (`form_action`).
pub fn csp(form_action: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; img-src 'none'; base-uri 'none'; form-action {form_action}; frame-ancestors 'none'",
        style_src()
    )
}

/// Standard base64 (with padding), for the CSP hash.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A whole page: the shell shared by the report and the daemon's pages. `csp_meta`
/// repeats the policy in a `<meta>` (for the report file, which has no HTTP header).
pub fn page(title: &str, nav: Markup, body: Markup, csp_meta: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(policy) = csp_meta {
                    meta http-equiv="Content-Security-Policy" content=(policy);
                }
                meta name="referrer" content="no-referrer";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top { (nav) }
                main { (body) }
            }
        }
    }
}

/// The badge of a state word (`ok`, `lost`, `drifted`, `ERR`...); the class is chosen
/// from a closed set, never from input.
pub fn badge(word: &str) -> Markup {
    let class = match word {
        "ERR" | "error" => "s-err",
        "WARN" | "warning" => "s-warn",
        "INFO" | "info" | "NONE" => "s-info",
        "lost" | "failing" | "dead_lettered" => "s-lost",
        "at_risk" | "drifted" | "pending" => "s-at_risk",
        "ok" | "delivered" | "resolved" => "s-ok",
        _ => "s-info",
    };
    html! { span class={ "badge " (class) } { (word) } }
}

/// The in-document anchor of a rule id: `rule-` and the id's `[a-z0-9-]` characters.
pub fn rule_anchor(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("rule-{clean}")
}

/// A rule id, linked to its explanation in `rules` when the catalog knows it.
pub fn rule_link(id: &str) -> Markup {
    if rules::get(id).is_some() {
        html! { a href={ "#" (rule_anchor(id)) } { code { (id) } } }
    } else {
        html! { code { (id) } }
    }
}

/// The level counts: `N changes` and one badge per level.
pub fn counts(entries: &[Entry]) -> Markup {
    let c = Counts::of(entries);
    html! {
        ul.summary aria-label="changes by level" {
            li { strong { (c.total()) } (if c.total() == 1 { "change" } else { "changes" }) }
            li { strong { (c.err) } (badge("ERR")) " breaking" }
            li { strong { (c.warn) } (badge("WARN")) " possibly breaking" }
            li { strong { (c.info) } (badge("INFO")) " not breaking" }
        }
    }
}

/// The visibility verdict: ratio, counts, every consumed field with its state, the
/// reasons (rule ids) and possible renames, worst first within each operation.
pub fn verdict(v: &Verdict) -> Markup {
    let c = v.counts;
    html! {
        p.verdict {
            "Visibility " strong { (percent(v.visibility)) } ": "
            (c.total) " consumed field" (if c.total == 1 { "" } else { "s" }) ", "
            (c.lost) " " (badge("lost")) ", " (c.at_risk) " " (badge("at_risk")) ", "
            (c.ok) " " (badge("ok"))
        }
        @if !v.operations.is_empty() {
            div.scroll {
                table.stack {
                    caption.muted { "Consumed fields, worst first" }
                    thead { tr { th scope="col" { "Operation" } th scope="col" { "Field" } th scope="col" { "State" } th scope="col" { "Why" } th scope="col" { "Possible rename" } } }
                    tbody {
                        @for op in &v.operations {
                            @for f in worst_first(&op.fields) {
                                tr {
                                    td data-label="Operation" { code { (op.operation) } }
                                    td data-label="Field" { code { (f.field) } }
                                    td data-label="State" { (badge(f.state.as_str())) }
                                    td data-label="Why" {
                                        @for (i, id) in reason_ids(f).iter().enumerate() {
                                            @if i > 0 { ", " }
                                            (rule_link(id))
                                        }
                                    }
                                    td data-label="Possible rename" {
                                        @if let Some(to) = &f.possible_rename {
                                            code { (f.field) } " → " code { (to) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn worst_first(fields: &[FieldVerdict]) -> Vec<&FieldVerdict> {
    let mut v: Vec<&FieldVerdict> = fields.iter().collect();
    v.sort_by_key(|f| std::cmp::Reverse(f.state));
    v
}

fn reason_ids(f: &FieldVerdict) -> Vec<&str> {
    let mut ids: Vec<&str> = f.reasons.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `75%`, or `66.7%` when rounding to a whole percent would hide a loss.
pub fn percent(ratio: f64) -> String {
    let p = ratio * 100.0;
    if (p - p.round()).abs() < 0.05 || p >= 99.95 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{p:.1}%")
    }
}

/// The changes grouped by operation (in the order of their first change), one row per
/// change: level, rule (linked to its explanation), text, consumed mark when a verdict
/// is given, and where it is in the base and the revision.
pub fn changes(entries: &[Entry], verdict: Option<&Verdict>) -> Markup {
    let mut groups: IndexMap<String, Vec<&Entry>> = IndexMap::new();
    for e in entries {
        groups.entry(e.endpoint()).or_default().push(e);
    }
    let mark = |e: &Entry| -> Option<&AssessedChange> {
        verdict?
            .changes
            .iter()
            .find(|a| a.change.fingerprint == e.change.fingerprint)
    };
    html! {
        @if entries.is_empty() {
            p.muted { "No changes." }
        }
        @for (endpoint, members) in &groups {
            section.op {
                h3 { code { (endpoint) } " " span.muted { "(" (members.len()) ")" } }
                div.scroll {
                    table.stack {
                        thead { tr {
                            th scope="col" { "Level" } th scope="col" { "Rule" } th scope="col" { "Change" }
                            @if verdict.is_some() { th scope="col" { "Consumed" } }
                            th scope="col" { "Where" }
                        } }
                        tbody {
                            @for e in members {
                                tr {
                                    td data-label="Level" { (badge(e.change.level.as_str())) }
                                    td data-label="Rule" { (rule_link(&e.change.id)) }
                                    td data-label="Change" {
                                        (e.change.text)
                                        @if let Some(c) = &e.change.comment { br; span.muted { (c) } }
                                    }
                                    @if verdict.is_some() {
                                        td data-label="Consumed" { (consumed_mark(mark(e))) }
                                    }
                                    td data-label="Where" { (locations(e)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn consumed_mark(a: Option<&AssessedChange>) -> Markup {
    match a {
        Some(a) if a.consumed => {
            let effect = a.effect.unwrap_or(FieldState::Ok);
            html! {
                (badge(effect.as_str()))
                @if a.base_level != a.change.level {
                    " " span.muted { "(raised from " (a.base_level.as_str()) ")" }
                }
                @for t in &a.touches { br; code { (t) } }
            }
        }
        Some(_) => html! { span.muted { "not consumed" } },
        None => html! { span.muted { "unknown" } },
    }
}

fn locations(e: &Entry) -> Markup {
    html! {
        @if let Some(b) = &e.base_source { span.muted { "base " } code { (where_text(b)) } }
        @if e.base_source.is_some() && e.revision_source.is_some() { br; }
        @if let Some(r) = &e.revision_source { span.muted { "revision " } code { (where_text(r)) } }
    }
}

fn where_text(s: &Source) -> String {
    s.display()
}

/// The explanation of every rule the changes and the verdict cite, each at its anchor.
pub fn rules(entries: &[Entry], verdict: Option<&Verdict>) -> Markup {
    let mut ids: BTreeSet<&str> = entries.iter().map(|e| e.change.id.as_str()).collect();
    if let Some(v) = verdict {
        for op in &v.operations {
            for f in &op.fields {
                ids.extend(f.reasons.iter().map(|r| r.id.as_str()));
            }
        }
    }
    let known: Vec<&rules::Rule> = ids.into_iter().filter_map(rules::get).collect();
    html! {
        @if !known.is_empty() {
            dl.rules {
                @for r in known {
                    dt id=(rule_anchor(r.id)) {
                        code { (r.id) } " " (badge(r.level.as_str()))
                        @if r.direction.as_str() != "none" { " " span.muted { "(" (r.direction.as_str()) ")" } }
                    }
                    dd { (r.description) }
                }
            }
        }
    }
}

/// What `apidrift diff --format html` renders.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub base: &'a str,
    pub revision: &'a str,
    pub entries: &'a [Entry],
    /// With `--consumes`: the verdict, and the consumed mark of each change.
    pub verdict: Option<&'a Verdict>,
}

/// The self-contained report document.
pub fn render(r: &Report) -> String {
    let policy = format!(
        "default-src 'none'; style-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        style_src()
    );
    let worst = r.entries.iter().map(|e| e.change.level).max();
    let title = format!("apidrift diff: {}", Counts::of(r.entries).summary());
    let nav = html! { span.brand { "apidrift" } span { "diff report" } };
    let body = html! {
        h1 { "API changes" }
        dl.facts {
            dt { "Base" } dd { code { (r.base) } }
            dt { "Revision" } dd { code { (r.revision) } }
            dt { "Worst level" } dd { @match worst { Some(l) if l > Level::None => (badge(l.as_str())), _ => span.muted { "none" } } }
        }
        (counts(r.entries))
        @if let Some(v) = r.verdict {
            h2 { "Verdict" }
            (verdict(v))
        }
        h2 { "Changes by operation" }
        (changes(r.entries, r.verdict))
        @if !r.entries.is_empty() {
            h2 { "Rules" }
            (rules(r.entries, r.verdict))
        }
        p.muted { "Generated by apidrift " (env!("CARGO_PKG_VERSION")) "." }
    };
    let mut out = page(&title, nav, body, Some(&policy)).into_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, Section, fingerprint};
    use crate::model::Method;

    fn hostile() -> Entry {
        let path = "/x/<script>alert(1)</script>\"onmouseover=\"alert(2)";
        Change {
            id: "response-property-removed".into(),
            text: "removed `<img src=x onerror=alert(3)>` <a href=\"javascript:alert(4)\">x</a>"
                .into(),
            comment: Some("</td></tr></table><script>alert(5)</script>".into()),
            level: Level::Err,
            operation: Some(Method::Get),
            path: Some(path.into()),
            operation_id: None,
            section: Section::Paths,
            args: vec![],
            base_pointer: None,
            revision_pointer: None,
            fingerprint: fingerprint("x", Some(Method::Get), Some(path), &[]),
        }
        .into()
    }

    impl From<Change> for Entry {
        fn from(change: Change) -> Entry {
            Entry {
                change,
                base_source: Some(Source {
                    file: "b<script>.yaml".into(),
                    line: Some(3),
                    column: None,
                }),
                revision_source: None,
            }
        }
    }

    #[test]
    fn spec_text_is_escaped_and_nothing_can_run() {
        let e = [hostile()];
        let out = render(&Report {
            base: "\"><script>alert(6)</script>",
            revision: "javascript:alert(7)",
            entries: &e,
            verdict: None,
        });
        // Every raw `<` opens one of our own tags (spec text has none left), and no
        // tag has an event handler attribute or a link out of the document.
        for tag in tags(&out) {
            let name = tag.split_whitespace().next().unwrap_or("");
            assert!(
                !["script", "img", "iframe", "object", "embed", "svg", "form"].contains(&name),
                "<{tag}>"
            );
            for attr in tag.split_whitespace().skip(1) {
                let key = attr.split('=').next().unwrap_or("").to_ascii_lowercase();
                assert!(!key.starts_with("on"), "<{tag}>");
            }
            if let Some(i) = tag.find("href=\"") {
                assert!(tag[i + 6..].starts_with('#'), "<{tag}>");
            }
        }
        assert!(out.contains("&lt;script&gt;alert(1)"), "{out}");
    }

    /// The inside of every tag (`a href="#x"`), attribute values unescaped as written.
    fn tags(html: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            let after = &rest[i + 1..];
            let Some(end) = after.find('>') else { break };
            let inner = &after[..end];
            if !inner.starts_with('/') && !inner.starts_with('!') {
                out.push(inner);
            }
            rest = &after[end..];
        }
        out
    }

    #[test]
    fn the_csp_hash_matches_the_stylesheet() {
        // Known vector: base64("abc") and the hash length of SHA-256.
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        let s = style_src();
        assert!(
            s.starts_with("'sha256-") && s.ends_with("='") && s.len() == 53,
            "{s}"
        );
    }

    #[test]
    fn rule_anchors_are_plain() {
        assert_eq!(rule_anchor("endpoint-removed"), "rule-endpoint-removed");
        assert_eq!(rule_anchor("a\"b c"), "rule-a-b-c");
        assert_eq!(percent(0.75), "75%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(percent(1.0), "100%");
    }
}
