//! The `markdown` format, for pull-request comments: a heading with the counts, then
//! one table row per change (level, endpoint, rule, change text, location).
//! Must not: emit raw HTML from spec text (it is escaped, so a spec cannot inject
//! markup into a comment).

use super::{Counts, Entry};
use std::fmt::Write as _;

pub fn render(entries: &[Entry]) -> String {
    let counts = Counts::of(entries);
    let mut out = String::new();
    let _ = writeln!(out, "### apidrift found {}", counts.summary());
    if entries.is_empty() {
        return out;
    }
    out.push('\n');
    out.push_str("| Level | Endpoint | Rule | Change | Location |\n");
    out.push_str("|---|---|---|---|---|\n");
    for e in entries {
        let c = &e.change;
        let location = e
            .primary_source()
            .map(|s| code(&s.display()))
            .unwrap_or_default();
        let mut change = cell(&c.text);
        if let Some(comment) = &c.comment {
            let _ = write!(change, "<br>_{}_", cell(comment));
        }
        let _ = writeln!(
            out,
            "| **{}** | {} | {} | {} | {} |",
            c.level.word(),
            code(&e.endpoint()),
            code(&c.id),
            change,
            location
        );
    }
    out
}

/// Escapes text for a table cell: no line breaks, no raw HTML, no cell breaks, and no
/// accidental emphasis or links.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span inside a table cell; backticks in the value are replaced so the span
/// cannot end early.
fn code(s: &str) -> String {
    let inner: String = s
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", inner.replace('|', "\\|"))
}
