//! The `text` format, for people: one block per endpoint (`METHOD path`), one line per
//! change (level word, `[rule-id]`, text, `at file:line:col`), then a summary line.
//! Must not: decide whether to colour (the CLI does, from `--color`, the TTY and
//! `NO_COLOR`).

use super::{Counts, Entry};
use crate::diff::Level;
use indexmap::IndexMap;
use std::fmt::Write as _;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Err => "\x1b[1;31m",
        Level::Warn => "\x1b[1;33m",
        Level::Info => "\x1b[36m",
        Level::None => "",
    }
}

/// Renders the grouped listing; `color` adds ANSI escapes.
pub fn render(entries: &[Entry], color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color && !code.is_empty() {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    // Groups keep the order in which their first change appears, so the output follows
    // the (already deterministic) order of the change list.
    let mut groups: IndexMap<String, Vec<&Entry>> = IndexMap::new();
    for e in entries {
        groups.entry(e.endpoint()).or_default().push(e);
    }
    let mut out = String::new();
    for (i, (endpoint, members)) in groups.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", paint(BOLD, &one_line(endpoint)));
        for e in members {
            let c = &e.change;
            let word = format!("{:<7}", c.level.word());
            let _ = write!(
                out,
                "  {} [{}] {}",
                paint(level_colour(c.level), &word),
                c.id,
                one_line(&c.text)
            );
            if let Some(src) = e.primary_source() {
                let _ = write!(out, "  {}", paint(DIM, &format!("at {}", src.display())));
            }
            out.push('\n');
            if let Some(comment) = &c.comment {
                let _ = writeln!(out, "          {}", paint(DIM, &one_line(comment)));
            }
        }
    }
    if !groups.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", Counts::of(entries).summary());
    out
}

/// Text from a spec may hold newlines or control characters; a report line must not.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
