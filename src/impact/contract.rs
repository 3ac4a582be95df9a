//! The consumes contract as written under `consumes:` in a monitor file: which
//! operations a fetcher calls, which fields of one item it reads, and how it pages.
//! Must not: look at a spec (that is `resolve`) or read files.
//!
//! A field entry is either a path string or a map, so the common case stays one line:
//! ```yaml
//! consumes:
//!   - operation: GET /api/v1/users
//!     entity: user
//!     fields: [id, status, profile.login, "roles[].name",
//!              {path: riskScore, undocumented: true}]
//!     pagination: {cursor_param: after, link_header: true}
//! ```
//! `undocumented: true` says the spec does not describe the field but the fetcher reads
//! it; such a field is not resolved against the spec and is watched through samples.
//! `item: /data` says where the item sits in the body when the automatic choice
//! (`impact::walk::item_for`) would not be the one the fetcher reads.

use crate::model::Method;
use serde::{Deserialize, Deserializer, Serialize};

/// The whole contract: one entry per consumed operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Consumes(pub Vec<ConsumedOperation>);

/// One consumed operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumedOperation {
    /// `METHOD /path/template`, e.g. `GET /api/v1/users/{id}`.
    pub operation: String,
    pub entity: Entity,
    /// Dotted paths into one item of the response (`[]` steps into arrays).
    #[serde(default)]
    pub fields: Vec<ConsumedField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Where the item sits in the success body, as a JSON Pointer (RFC 6901): the
    /// value there is the list (its elements are the items) or the one item (an
    /// object). `/` (or `""`) is the body itself. Absent: decided from the body's
    /// shape and the fields (`impact::walk::item_for`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// What kind of identity object the items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    User,
    Group,
    Role,
    ServiceAccount,
    ApiKey,
    Token,
    App,
    AuditEvent,
    Other,
}

/// One consumed field: a path, and whether the spec is known not to document it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumedField {
    pub path: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undocumented: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FieldForm {
    Path(String),
    Detailed(DetailedField),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetailedField {
    path: String,
    #[serde(default)]
    undocumented: bool,
}

impl<'de> Deserialize<'de> for ConsumedField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ConsumedField, D::Error> {
        match FieldForm::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "a field is a path string or {path: ..., undocumented: true|false}",
            )
        })? {
            FieldForm::Path(path) => Ok(ConsumedField {
                path,
                undocumented: false,
            }),
            FieldForm::Detailed(f) => Ok(ConsumedField {
                path: f.path,
                undocumented: f.undocumented,
            }),
        }
    }
}

impl From<&str> for ConsumedField {
    fn from(path: &str) -> ConsumedField {
        ConsumedField {
            path: path.to_string(),
            undocumented: false,
        }
    }
}

/// How the fetcher pages through the list. Every part is optional; a change to any
/// named parameter, to the cursor field or to the `Link` header puts the operation's
/// fields at risk (the fetcher may stop after page one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Query parameter carrying the cursor (`after`, `cursor`, `page_token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_param: Option<String>,
    /// Body-rooted path of the next-cursor field (`meta.next_cursor`, `links.next`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_field: Option<String>,
    /// The fetcher follows `Link: <...>; rel="next"`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link_header: bool,
    /// Query parameter setting the page size (`limit`, `per_page`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size_param: Option<String>,
    /// Query parameter numbering pages (`page`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_param: Option<String>,
    /// Query parameter giving an offset (`offset`, `skip`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_param: Option<String>,
}

impl Pagination {
    /// The request parameters the fetcher sends to page, in a fixed order.
    pub fn params(&self) -> Vec<&str> {
        [
            &self.cursor_param,
            &self.page_size_param,
            &self.page_param,
            &self.offset_param,
        ]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect()
    }
}

/// Splits `GET /api/v1/users` into its method and path template.
pub fn parse_operation(s: &str) -> Option<(Method, String)> {
    let s = s.trim();
    let (m, p) = s.split_once(char::is_whitespace)?;
    let method = Method::parse(m)?;
    let path = p.trim();
    (path.starts_with('/') || path.starts_with("webhook:")).then(|| (method, path.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_strings_or_maps_and_unknown_keys_are_refused() {
        let c: Consumes = serde_yaml::from_str(
            "- operation: GET /api/v1/users\n  entity: user\n  fields: [id, \"roles[].name\", {path: riskScore, undocumented: true}]\n  pagination: {cursor_param: after, link_header: true}\n",
        )
        .unwrap();
        let op = &c.0[0];
        assert_eq!(op.entity, Entity::User);
        assert_eq!(op.fields[1], ConsumedField::from("roles[].name"));
        assert!(op.fields[2].undocumented && !op.fields[0].undocumented);
        assert_eq!(op.pagination.as_ref().unwrap().params(), vec!["after"]);

        let bad = serde_yaml::from_str::<Consumes>(
            "- operation: GET /u\n  entity: user\n  feilds: [id]\n",
        );
        assert!(bad.unwrap_err().to_string().contains("feilds"));
        let bad_entity =
            serde_yaml::from_str::<Consumes>("- operation: GET /u\n  entity: person\n");
        assert!(bad_entity.is_err());
        let bad_field = serde_yaml::from_str::<Consumes>(
            "- operation: GET /u\n  entity: user\n  fields: [{path: x, undocumneted: true}]\n",
        );
        assert!(bad_field.is_err());
    }

    #[test]
    fn operations_parse_method_and_path() {
        assert_eq!(
            parse_operation("get  /users/{id}"),
            Some((Method::Get, "/users/{id}".to_string()))
        );
        assert_eq!(parse_operation("FETCH /users"), None);
        assert_eq!(parse_operation("GET users"), None);
        assert_eq!(parse_operation("GET"), None);
    }
}
