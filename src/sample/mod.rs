//! Live sample responses: the shape of a body (`infer`), how a shape moved since the
//! baseline (`compare`), whether it matches the spec (`conformance`), and the
//! `Deprecation`/`Sunset` response headers (`headers`).
//!
//! Must not: keep a value. A `Shape` holds field names, JSON types, counts, array
//! lengths and string *format names* only; object keys that look like data are elided
//! (see `infer`). Findings carry field paths and counts, never a response value.
//! Must not fetch anything either: the monitor hands the body and headers in.

pub mod compare;
pub mod conformance;
pub mod headers;
pub mod infer;

pub use compare::{CompareOptions, compare};
pub use conformance::conformance;
pub use headers::{Deprecation, deprecation_findings, deprecation_headers};
pub use infer::{Container, FieldShape, JsonType, Shape, StrFormat, infer};

use crate::diff::{Level, fingerprint};
use crate::impact::FieldState;
use crate::model::Method;
use serde::{Deserialize, Serialize};

/// One thing a sample showed. Ids follow the rule catalog's `area-thing-action` shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleFinding {
    pub id: String,
    pub level: Level,
    /// Human text: paths, types and counts only.
    pub text: String,
    /// The item-rooted field path, when the finding is about one field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The field (or, for item-level findings, some field) is consumed.
    pub consumed: bool,
    /// What it does to consumed fields; `None` for information only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<FieldState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Method>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What identifies the finding (never a value, never a count that varies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// As `diff::fingerprint` of `id:operation:path:args`.
    pub fingerprint: String,
}

impl SampleFinding {
    pub fn new(
        id: &str,
        level: Level,
        field: Option<&str>,
        consumed: bool,
        effect: Option<FieldState>,
        text: String,
    ) -> SampleFinding {
        let args: Vec<String> = field.map(str::to_string).into_iter().collect();
        SampleFinding {
            id: id.to_string(),
            level,
            text,
            field: field.map(str::to_string),
            consumed,
            effect,
            operation: None,
            path: None,
            fingerprint: fingerprint(id, None, None, &args),
            args,
        }
    }

    /// Scopes the finding to an operation (recomputing its fingerprint), so the same
    /// field of two operations dedupes separately.
    pub fn with_operation(mut self, method: Method, path: &str) -> SampleFinding {
        self.operation = Some(method);
        self.path = Some(path.to_string());
        self.fingerprint = fingerprint(&self.id, self.operation, self.path.as_deref(), &self.args);
        self
    }
}

/// The finding a sample request answered 401/403 produces: the fetcher's credentials
/// no longer see the data, which is a visibility risk for every consumed field.
pub fn forbidden_finding(status: u16) -> SampleFinding {
    SampleFinding::new(
        "sample-request-forbidden",
        Level::Err,
        None,
        true,
        Some(FieldState::AtRisk),
        format!(
            "the sample request was refused with HTTP {status}: the fetcher's credentials may no longer see this data"
        ),
    )
}
