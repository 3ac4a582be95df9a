//! Shape inference: from one response body, per field path of the items, the JSON
//! types seen, presence and null counts, array length range and string formats.
//!
//! Must not: keep a value. Strings, numbers, booleans and enum values are looked at
//! only to name their type and format. Field *names* are kept because they are the
//! schema, but an object key that looks like data is replaced by `*`:
//! - a key that is empty, all digits, longer than 64 chars, or contains `@`, `.`, `/`,
//!   `:`, `[`, `]`, whitespace or a control char (emails, hosts, URLs, paths);
//! - a key that looks like a UUID or a hex string of 16+ chars;
//! - a key of 12+ chars where a quarter or more are digits, or of 20+ chars mixing
//!   upper case, lower case and digits (tokens, keys, base64);
//! - and, under one object path, every key after the first 64 distinct ones (maps keyed
//!   by user names or ids that pass the rules above).
//!
//! Bounds: at most 4096 field paths and 32 levels of nesting are recorded; beyond
//! them `Shape::truncated` is set.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Distinct keys kept under one object path before the rest become `*`.
pub const MAX_KEYS_PER_OBJECT: usize = 64;
/// Field paths kept per shape.
pub const MAX_FIELDS: usize = 4096;
/// Nesting levels followed below the item.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The type of a non-null value.
    fn of(v: &Value) -> Option<JsonType> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => JsonType::Integer,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        })
    }
}

/// String formats recognised in values (the names of `format` in JSON Schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrFormat {
    DateTime,
    Date,
    Email,
    Uuid,
    Uri,
    Ipv4,
}

impl StrFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            StrFormat::DateTime => "date-time",
            StrFormat::Date => "date",
            StrFormat::Email => "email",
            StrFormat::Uuid => "uuid",
            StrFormat::Uri => "uri",
            StrFormat::Ipv4 => "ipv4",
        }
    }
}

/// What the items pointer found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    /// An array: its elements are the items.
    Array,
    /// An object: it is the one item.
    Object,
    /// Nothing at the pointer.
    Missing,
    /// A scalar or null: no items.
    Scalar,
}

/// The shape of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    pub container: Container,
    /// Number of items.
    pub items: u64,
    /// Non-null types of the items themselves.
    pub item_types: BTreeSet<JsonType>,
    /// Item-rooted field path → what was seen there.
    pub fields: BTreeMap<String, FieldShape>,
    /// A bound was hit and some paths were not recorded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldShape {
    /// Non-null JSON types seen.
    pub types: BTreeSet<JsonType>,
    /// Items in which the field is present.
    pub present: u64,
    /// Items in which it is present and null wherever it occurs.
    pub nulls: u64,
    /// Shortest and longest array seen, for array fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub array_len: Option<[u64; 2]>,
    /// Formats that every string value of the field matched.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub formats: BTreeSet<StrFormat>,
}

impl FieldShape {
    /// Share of items holding the field, given the shape's item count.
    pub fn presence(&self, items: u64) -> f64 {
        if items == 0 {
            0.0
        } else {
            self.present as f64 / items as f64
        }
    }

    /// Present somewhere and null wherever present.
    pub fn always_null(&self) -> bool {
        self.present > 0 && self.nulls == self.present
    }
}

/// Per-item bookkeeping for one path: seen, and seen with a non-null value.
#[derive(Default)]
struct Seen {
    non_null: bool,
}

struct Builder {
    fields: BTreeMap<String, FieldShape>,
    /// Candidate formats per path: `None` until the first string value.
    formats: BTreeMap<String, Option<BTreeSet<StrFormat>>>,
    keys: BTreeMap<String, BTreeSet<String>>,
    truncated: bool,
}

/// Infers the shape of `body`. `items_pointer` is a JSON Pointer to the list (or the
/// one object) whose elements are the items; `""` and `"/"` mean the body itself.
pub fn infer(body: &Value, items_pointer: &str) -> Shape {
    let target = match items_pointer {
        "" | "/" => Some(body),
        p => body.pointer(p),
    };
    let (container, items): (Container, Vec<&Value>) = match target {
        None => (Container::Missing, Vec::new()),
        Some(Value::Array(a)) => (Container::Array, a.iter().collect()),
        Some(o @ Value::Object(_)) => (Container::Object, vec![o]),
        Some(_) => (Container::Scalar, Vec::new()),
    };
    let mut b = Builder {
        fields: BTreeMap::new(),
        formats: BTreeMap::new(),
        keys: BTreeMap::new(),
        truncated: false,
    };
    let mut item_types = BTreeSet::new();
    for item in &items {
        item_types.extend(JsonType::of(item));
        let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
        b.visit_children(item, "", 0, &mut seen);
        for (path, s) in seen {
            if let Some(f) = b.fields.get_mut(&path) {
                f.present += 1;
                if !s.non_null {
                    f.nulls += 1;
                }
            }
        }
    }
    for (path, fmts) in b.formats {
        if let (Some(f), Some(fmts)) = (b.fields.get_mut(&path), fmts) {
            f.formats = fmts;
        }
    }
    Shape {
        container,
        items: items.len() as u64,
        item_types,
        fields: b.fields,
        truncated: b.truncated,
    }
}

impl Builder {
    fn visit_children(
        &mut self,
        v: &Value,
        path: &str,
        depth: usize,
        seen: &mut BTreeMap<String, Seen>,
    ) {
        if depth >= MAX_DEPTH {
            if matches!(v, Value::Object(o) if !o.is_empty())
                || matches!(v, Value::Array(a) if !a.is_empty())
            {
                self.truncated = true;
            }
            return;
        }
        match v {
            Value::Object(o) => {
                for (k, child) in o {
                    let seg = self.key_segment(path, k);
                    let child_path = if path.is_empty() {
                        seg
                    } else {
                        format!("{path}.{seg}")
                    };
                    self.visit(child, child_path, depth + 1, seen);
                }
            }
            Value::Array(a) => {
                let child_path = format!("{path}[]");
                for child in a {
                    self.visit(child, child_path.clone(), depth + 1, seen);
                }
            }
            _ => {}
        }
    }

    fn visit(&mut self, v: &Value, path: String, depth: usize, seen: &mut BTreeMap<String, Seen>) {
        if !self.fields.contains_key(&path) {
            if self.fields.len() >= MAX_FIELDS {
                self.truncated = true;
                return;
            }
            self.fields.insert(path.clone(), FieldShape::default());
        }
        let Some(f) = self.fields.get_mut(&path) else {
            return;
        };
        let s = seen.entry(path.clone()).or_default();
        if let Some(t) = JsonType::of(v) {
            s.non_null = true;
            f.types.insert(t);
        }
        match v {
            Value::Array(a) => {
                let n = a.len() as u64;
                f.array_len = Some(match f.array_len {
                    Some([lo, hi]) => [lo.min(n), hi.max(n)],
                    None => [n, n],
                });
            }
            Value::String(s) => {
                let mine = formats_of(s);
                let slot = self.formats.entry(path.clone()).or_insert(None);
                *slot = Some(match slot.take() {
                    None => mine,
                    Some(prev) => prev.intersection(&mine).copied().collect(),
                });
            }
            _ => {}
        }
        self.visit_children(v, &path, depth, seen);
    }

    /// The path segment for key `k` of the object at `path`: the key, or `*` when it
    /// looks like data or the object path already holds `MAX_KEYS_PER_OBJECT` keys.
    fn key_segment(&mut self, path: &str, k: &str) -> String {
        if data_like_key(k) {
            return "*".to_string();
        }
        let keys = self.keys.entry(path.to_string()).or_default();
        if keys.contains(k) {
            return k.to_string();
        }
        if keys.len() >= MAX_KEYS_PER_OBJECT {
            return "*".to_string();
        }
        keys.insert(k.to_string());
        k.to_string()
    }
}

/// True for an object key that is probably a value (see the module doc).
pub fn data_like_key(k: &str) -> bool {
    let n = k.chars().count();
    if n == 0 || n > 64 || k.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if k.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "@./:[]".contains(c))
    {
        return true;
    }
    if is_uuid(k) || (n >= 16 && k.bytes().all(|b| b.is_ascii_hexdigit())) {
        return true;
    }
    let digits = k.bytes().filter(u8::is_ascii_digit).count();
    if n >= 12 && digits * 4 >= n {
        return true;
    }
    let upper = k.bytes().any(|b| b.is_ascii_uppercase());
    let lower = k.bytes().any(|b| b.is_ascii_lowercase());
    n >= 20 && upper && lower && digits > 0
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        _ => false,
    }
}

fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        && !rest.is_empty()
        && url::Url::parse(s).is_ok()
}

/// The formats one string value matches.
fn formats_of(s: &str) -> BTreeSet<StrFormat> {
    let mut out = BTreeSet::new();
    if s.len() > 2048 {
        return out;
    }
    if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
        out.insert(StrFormat::DateTime);
    }
    if s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() {
        out.insert(StrFormat::Date);
    }
    if is_email(s) {
        out.insert(StrFormat::Email);
    }
    if is_uuid(s) {
        out.insert(StrFormat::Uuid);
    }
    if is_uri(s) {
        out.insert(StrFormat::Uri);
    }
    if s.parse::<std::net::Ipv4Addr>().is_ok() {
        out.insert(StrFormat::Ipv4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_presence_nulls_lengths_and_formats_per_path() {
        let body = json!({"data": [
            {"id": "0b7a3c1e-9f7e-4d8a-8c55-1f2e3d4c5b6a", "n": 1, "m": null,
             "roles": [{"name": "a"}, {"name": "b"}], "at": "2024-01-02T03:04:05Z"},
            {"id": "5f0c7a4e-2b1d-4c3e-9a8b-7d6e5f4a3b2c", "n": 2.5, "m": null, "roles": []},
        ]});
        let s = infer(&body, "/data");
        assert_eq!(s.container, Container::Array);
        assert_eq!(s.items, 2);
        assert_eq!(s.fields["id"].formats, BTreeSet::from([StrFormat::Uuid]));
        assert_eq!(
            s.fields["n"].types,
            BTreeSet::from([JsonType::Integer, JsonType::Number])
        );
        assert!(s.fields["m"].always_null());
        assert_eq!(s.fields["roles"].array_len, Some([0, 2]));
        assert_eq!(s.fields["roles[].name"].present, 1);
        assert_eq!(s.fields["at"].present, 1);
        assert_eq!(
            s.fields["at"].formats,
            BTreeSet::from([StrFormat::DateTime])
        );
        assert!(!s.fields.contains_key("data"));
    }

    #[test]
    fn pointer_to_nothing_is_missing_and_body_pointer_reads_the_root() {
        assert_eq!(
            infer(&json!({"a": 1}), "/users").container,
            Container::Missing
        );
        let s = infer(&json!([{"a": 1}, {"a": 2}]), "/");
        assert_eq!((s.container, s.items), (Container::Array, 2));
        let one = infer(&json!({"a": 1}), "");
        assert_eq!((one.container, one.items), (Container::Object, 1));
    }

    #[test]
    fn data_like_keys_are_elided_and_maps_are_capped() {
        for k in [
            "jane@example.com",
            "12345",
            "0b7a3c1e-9f7e-4d8a-8c55-1f2e3d4c5b6a",
            "deadbeefdeadbeef",
            "ghp_aB3dE5fG7hJ9kL1mN3pQ",
            "user42x9z8y7",
            "example.com",
        ] {
            assert!(data_like_key(k), "{k}");
        }
        for k in [
            "id",
            "last_login",
            "lastLoginAt",
            "oauth2ClientId",
            "credentials",
            "ipv4Address",
        ] {
            assert!(!data_like_key(k), "{k}");
        }
        let mut map = serde_json::Map::new();
        for i in 0..100 {
            map.insert(
                format!("name{}", (b'a' + (i % 26) as u8) as char).repeat(1) + &"x".repeat(i / 26),
                json!(1),
            );
        }
        let s = infer(&json!([{"m": map}]), "");
        let under_m = s.fields.keys().filter(|k| k.starts_with("m.")).count();
        assert_eq!(under_m, MAX_KEYS_PER_OBJECT + 1, "64 names plus `m.*`");
        assert!(s.fields.contains_key("m.*"));
    }

    #[test]
    fn deep_bodies_are_bounded() {
        let mut v = json!(1);
        for _ in 0..100 {
            v = json!({"a": v});
        }
        let s = infer(&json!([v]), "");
        assert!(s.truncated);
        assert_eq!(s.fields.len(), MAX_DEPTH);
    }
}
