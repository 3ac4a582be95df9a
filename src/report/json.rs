//! The `json` and `yaml` formats: a list of change objects using oasdiff's field names
//! (`id`, `text`, `comment`, `level` as 3/2/1, `operation`, `operationId`, `path`,
//! `section`, `fingerprint`, `baseSource`, `revisionSource`) plus `base_pointer` and
//! `revision_pointer`, so existing oasdiff consumers keep working.
//! Must not: add fields whose values vary between runs.

use super::{Entry, Source};
use crate::diff::Section;
use serde::Serialize;

/// One change in oasdiff's JSON/YAML shape. Field order is the output order.
#[derive(Debug, Serialize)]
struct OutChange<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    /// 3 = ERR, 2 = WARN, 1 = INFO.
    level: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<&'static str>,
    #[serde(rename = "operationId", skip_serializing_if = "Option::is_none")]
    operation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    section: Section,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision_pointer: Option<&'a str>,
    #[serde(rename = "baseSource", skip_serializing_if = "Option::is_none")]
    base_source: Option<&'a Source>,
    #[serde(rename = "revisionSource", skip_serializing_if = "Option::is_none")]
    revision_source: Option<&'a Source>,
}

fn out(entries: &[Entry]) -> Vec<OutChange<'_>> {
    entries
        .iter()
        .map(|e| {
            let c = &e.change;
            OutChange {
                id: &c.id,
                text: &c.text,
                comment: c.comment.as_deref(),
                level: c.level.number(),
                operation: c.operation.map(|m| m.as_str()),
                operation_id: c.operation_id.as_deref(),
                path: c.path.as_deref(),
                section: c.section,
                fingerprint: &c.fingerprint,
                base_pointer: c.base_pointer.as_deref(),
                revision_pointer: c.revision_pointer.as_deref(),
                base_source: e.base_source.as_ref(),
                revision_source: e.revision_source.as_ref(),
            }
        })
        .collect()
}

/// Pretty-printed JSON array, ending with a newline.
pub fn render_json(entries: &[Entry]) -> String {
    // Serialising plain structs of strings and integers to a String cannot fail.
    let mut s = serde_json::to_string_pretty(&out(entries)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// YAML sequence, ending with a newline.
pub fn render_yaml(entries: &[Entry]) -> String {
    // As above: the value has no maps with non-string keys, so this cannot fail.
    let s = serde_yaml::to_string(&out(entries)).unwrap_or_else(|_| "[]\n".into());
    if s.ends_with('\n') { s } else { s + "\n" }
}
