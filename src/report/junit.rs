//! The `junit` format: one `<testsuite>` with one `<testcase>` per change; ERR and WARN
//! changes carry a `<failure>`, INFO changes pass. Shaped for GitLab's test report
//! (`classname`, `name`, `file`) and readable by Jenkins.
//! Must not: emit characters XML 1.0 forbids (spec text is escaped and filtered).

use super::{Counts, Entry};
use crate::diff::Level;
use std::fmt::Write as _;

pub fn render(entries: &[Entry]) -> String {
    let counts = Counts::of(entries);
    let failures = counts.err + counts.warn;
    let tests = entries.len();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"apidrift\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"apidrift\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    for e in entries {
        let c = &e.change;
        let mut attrs = format!(
            "classname=\"{}\" name=\"{}\"",
            esc(&e.endpoint()),
            esc(&format!("[{}] {}", c.id, c.text))
        );
        let src = e.primary_source();
        if let Some(s) = src {
            let _ = write!(attrs, " file=\"{}\"", esc(&s.file));
            if let Some(line) = s.line {
                let _ = write!(attrs, " line=\"{line}\"");
            }
        }
        if matches!(c.level, Level::Err | Level::Warn) {
            let _ = writeln!(out, "    <testcase {attrs}>");
            let mut body = format!("{} [{}] {}\n{}", c.level.word(), c.id, c.text, e.endpoint());
            if let Some(s) = src {
                let _ = write!(body, "\nat {}", s.display());
            }
            if let Some(comment) = &c.comment {
                let _ = write!(body, "\n{comment}");
            }
            let _ = write!(body, "\nfingerprint: {}", c.fingerprint);
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                c.level.as_str(),
                esc(&c.text),
                esc(&body)
            );
            out.push_str("    </testcase>\n");
        } else {
            let _ = writeln!(out, "    <testcase {attrs}/>");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes for XML text and attribute values; characters XML 1.0 cannot carry become
/// U+FFFD, and line breaks in attributes stay as character references.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
