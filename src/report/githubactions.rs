//! The `githubactions` format: one workflow command per change,
//! `::error title=<rule-id>,file=<file>,line=<n>,col=<n>::<endpoint> <text>`, with
//! `warning` for WARN and `notice` for INFO, so changes appear as annotations.
//! Must not: let spec text end or break a command (values are percent-escaped as the
//! runner expects).

use super::Entry;
use crate::diff::Level;
use std::fmt::Write as _;

pub fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let c = &e.change;
        let command = match c.level {
            Level::Err => "error",
            Level::Warn => "warning",
            Level::Info | Level::None => "notice",
        };
        let mut props = format!("title={}", property(&c.id));
        if let Some(s) = e.primary_source() {
            let _ = write!(props, ",file={}", property(&s.file));
            if let Some(line) = s.line {
                let _ = write!(props, ",line={line}");
            }
            if let Some(col) = s.column {
                let _ = write!(props, ",col={col}");
            }
        }
        let message = if c.path.is_some() || c.operation.is_some() {
            format!("in API {} {}", e.endpoint(), c.text)
        } else {
            c.text.clone()
        };
        let _ = writeln!(out, "::{command} {props}::{}", data(&message));
    }
    out
}

/// Escapes a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (also `:` and `,`, which delimit properties).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
