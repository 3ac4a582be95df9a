//! Renders a list of changes in one output format: text, json, yaml, markdown, junit,
//! githubactions, sarif, html (one file per format; `html` is also the renderer of the
//! daemon's integration page).
//!
//! Owns: the `Entry` a report is made of (a `Change` plus where it sits in each
//! document) and every output shape. Must not: decide severities or filter changes
//! (the CLI does both before rendering), do I/O, or depend on anything but its input:
//! the same entries always render to the same bytes.

pub mod githubactions;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::diff::{Change, Level, Section};
use serde::Serialize;
use std::fmt::Write as _;

/// The output formats of `apidrift diff` and `apidrift breaking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// For people: grouped by endpoint, with a summary line.
    Text,
    /// A JSON array of change objects with oasdiff's field names.
    Json,
    /// The same list as `json`, in YAML.
    Yaml,
    /// A table for pull-request comments.
    Markdown,
    /// JUnit XML: one test case per change (GitLab, Jenkins).
    Junit,
    /// GitHub Actions workflow commands (`::error ...`).
    Githubactions,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page (inline CSS, no script, no network).
    Html,
}

/// A place in a source document. Line and column are 1-based and absent when the
/// loader could not resolve the change's pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Source {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Source {
    /// `file:line:col`, or as much of it as is known.
    pub fn display(&self) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(s, ":{col}");
            }
        }
        s
    }
}

/// One change as reports see it: the change and its place in each document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub change: Change,
    /// Where the changed node is in the base document (absent for additions).
    pub base_source: Option<Source>,
    /// Where the changed node is in the revision (absent for removals).
    pub revision_source: Option<Source>,
}

impl Entry {
    /// An entry whose sources are resolved by `locate_base` / `locate_rev`, each mapping
    /// a JSON Pointer to `(line, column)` in its file.
    pub fn locate(
        change: Change,
        base_file: &str,
        locate_base: impl Fn(&str) -> Option<(u32, u32)>,
        rev_file: &str,
        locate_rev: impl Fn(&str) -> Option<(u32, u32)>,
    ) -> Entry {
        let source = |file: &str, p: &str, f: &dyn Fn(&str) -> Option<(u32, u32)>| {
            let pos = f(p);
            Source {
                file: file.to_string(),
                line: pos.map(|(l, _)| l),
                column: pos.map(|(_, c)| c),
            }
        };
        let base_source = change
            .base_pointer
            .as_deref()
            .map(|p| source(base_file, p, &locate_base));
        let revision_source = change
            .revision_pointer
            .as_deref()
            .map(|p| source(rev_file, p, &locate_rev));
        Entry {
            change,
            base_source,
            revision_source,
        }
    }

    /// The one place to point a reader at: the revision when the node still exists
    /// there, else the base; a source with a line wins over one without.
    pub fn primary_source(&self) -> Option<&Source> {
        let (r, b) = (self.revision_source.as_ref(), self.base_source.as_ref());
        match (r, b) {
            (Some(r), _) if r.line.is_some() => Some(r),
            (_, Some(b)) if b.line.is_some() => Some(b),
            _ => r.or(b),
        }
    }

    /// `GET /users/{id}`, `/users/{id}`, or the section for document-level changes.
    pub fn endpoint(&self) -> String {
        let c = &self.change;
        match (&c.operation, &c.path) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            (None, Some(p)) => p.clone(),
            (Some(m), None) => m.to_string(),
            (None, None) => section_word(c.section).to_string(),
        }
    }
}

/// `paths`, `components`, `security`, `info`.
pub fn section_word(s: Section) -> &'static str {
    match s {
        Section::Paths => "paths",
        Section::Components => "components",
        Section::Security => "security",
        Section::Info => "info",
    }
}

/// How many entries are at each level, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub err: usize,
    pub warn: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(entries: &[Entry]) -> Counts {
        let mut c = Counts::default();
        for e in entries {
            match e.change.level {
                Level::Err => c.err += 1,
                Level::Warn => c.warn += 1,
                Level::Info => c.info += 1,
                Level::None => {}
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.err + self.warn + self.info
    }

    /// `3 changes: 1 error, 1 warning, 1 info` or `no changes`.
    pub fn summary(&self) -> String {
        let total = self.total();
        if total == 0 {
            return "no changes".to_string();
        }
        format!(
            "{total} {}: {} {}, {} {}, {} info",
            plural(total, "change", "changes"),
            self.err,
            plural(self.err, "error", "errors"),
            self.warn,
            plural(self.warn, "warning", "warnings"),
            self.info
        )
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Options that change how a report looks but never what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours in `text` output.
    pub color: bool,
}

/// Renders `entries` in `format`. Output ends with a newline unless it is empty.
pub fn render(format: Format, entries: &[Entry], opts: RenderOptions) -> String {
    match format {
        Format::Text => text::render(entries, opts.color),
        Format::Json => json::render_json(entries),
        Format::Yaml => json::render_yaml(entries),
        Format::Markdown => markdown::render(entries),
        Format::Junit => junit::render(entries),
        Format::Githubactions => githubactions::render(entries),
        Format::Sarif => sarif::render(entries),
        Format::Html => html::render(&html::Report {
            base: entries
                .iter()
                .find_map(|e| e.base_source.as_ref())
                .map_or("base", |s| s.file.as_str()),
            revision: entries
                .iter()
                .find_map(|e| e.revision_source.as_ref())
                .map_or("revision", |s| s.file.as_str()),
            entries,
            verdict: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_plurals() {
        let c = Counts {
            err: 1,
            warn: 2,
            info: 0,
        };
        assert_eq!(c.summary(), "3 changes: 1 error, 2 warnings, 0 info");
        assert_eq!(Counts::default().summary(), "no changes");
    }

    #[test]
    fn source_display_omits_unknown_parts() {
        let s = Source {
            file: "a.yaml".into(),
            line: Some(3),
            column: None,
        };
        assert_eq!(s.display(), "a.yaml:3");
        let s = Source {
            file: "a.yaml".into(),
            line: None,
            column: None,
        };
        assert_eq!(s.display(), "a.yaml");
    }
}
