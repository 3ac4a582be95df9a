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
    /// With a consumes contract (`diff --consumes`): whether the change touches a
    /// consumed operation or field, and which (`METHOD /path field`).
    #[serde(skip_serializing_if = "Option::is_none")]
    consumed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affects: Option<&'a [String]>,
}

/// What a consumes contract says about one entry (same order as the entries).
#[derive(Debug, Clone, Default)]
pub struct Consumed {
    pub consumed: bool,
    pub affects: Vec<String>,
}

fn out<'a>(entries: &'a [Entry], marks: Option<&'a [Consumed]>) -> Vec<OutChange<'a>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mark = marks.and_then(|m| m.get(i));
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
                consumed: mark.map(|m| m.consumed),
                affects: mark.map(|m| m.affects.as_slice()),
            }
        })
        .collect()
}

/// Pretty-printed JSON array, ending with a newline.
pub fn render_json(entries: &[Entry]) -> String {
    // Serialising plain structs of strings and integers to a String cannot fail.
    let mut s = serde_json::to_string_pretty(&out(entries, None)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// YAML sequence, ending with a newline.
pub fn render_yaml(entries: &[Entry]) -> String {
    // As above: the value has no maps with non-string keys, so this cannot fail.
    let s = serde_yaml::to_string(&out(entries, None)).unwrap_or_else(|_| "[]\n".into());
    if s.ends_with('\n') { s } else { s + "\n" }
}

/// `diff --consumes --format json`: `{"changes": [...], "verdict": ...}`, each change
/// with `consumed` and `affects` added to the fields above.
pub fn render_json_consumed(
    entries: &[Entry],
    marks: &[Consumed],
    verdict: &serde_json::Value,
) -> String {
    let v = serde_json::json!({
        "changes": out(entries, Some(marks)),
        "verdict": verdict,
    });
    // As above: strings, numbers and nested objects only.
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
