//! The visibility sections of a monitor file: `consumes` (what the fetcher reads),
//! `samples` (read-only requests whose response shapes are watched) and `preflight`
//! (when the gate refuses). Owns their typed form and their static validation, with
//! `file:line:col` diagnostics. Must not: look at a spec (resolution against the
//! baseline is `impact::resolve`, at `baseline accept` and at every check) or fetch.

use super::secret::Auth;
use super::{FileReport, RawAuth, read_auth, yaml_error};
use crate::diagnostic::Diagnostic;
use crate::impact::contract::parse_operation;
use crate::impact::{Consumes, PreflightPolicy};
use crate::model::Method;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Keys of one `samples:` entry. Must match `RawSample`.
const SAMPLE_KEYS: &[&str] = &[
    "name",
    "operation",
    "url",
    "auth",
    "items",
    "item_drop_share",
];

/// The typed visibility sections of one monitor (all empty when absent).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Visibility {
    pub consumes: Consumes,
    pub samples: Vec<Sample>,
    pub preflight: PreflightPolicy,
}

impl Visibility {
    /// Whether the monitor declares anything a verdict is computed from.
    pub fn is_empty(&self) -> bool {
        self.consumes.0.is_empty() && self.samples.is_empty()
    }
}

/// One read-only sample request.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Unique in the monitor; the key of its stored shape.
    pub name: String,
    /// `GET /path` as written.
    pub operation: String,
    pub path: String,
    pub url: url::Url,
    pub auth: Option<Auth>,
    /// JSON Pointer to the list (or the one object) in the body, as written; `None`:
    /// the item of the consumed operation (`impact::item`), else the body itself.
    pub items: Option<String>,
    /// Report the item count when it fell by at least this share (default 0.5).
    pub item_drop_share: f64,
}

#[derive(Debug, Deserialize)]
struct Doc {
    #[serde(default)]
    consumes: Option<Consumes>,
    #[serde(default)]
    samples: Option<Vec<RawSample>>,
    #[serde(default)]
    preflight: Option<PreflightPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSample {
    name: String,
    operation: String,
    url: String,
    auth: Option<RawAuth>,
    items: Option<String>,
    item_drop_share: Option<f64>,
}

/// Reads and checks the visibility sections of the monitor text in `r`. Problems go to
/// `r`; the result is what could be read.
pub(super) fn read(r: &mut FileReport, dir: &Path) -> Visibility {
    let doc: Doc = match serde_yaml::from_str(&r.source) {
        Ok(d) => d,
        Err(e) => {
            let keys: &[&str] = if e.to_string().contains("unknown field") {
                SAMPLE_KEYS
            } else {
                &[]
            };
            yaml_error(r, &e, keys);
            return Visibility::default();
        }
    };
    let consumes = doc.consumes.unwrap_or_default();
    check_consumes(r, &consumes);
    let mut samples = Vec::new();
    let mut names = BTreeSet::new();
    for (i, s) in doc.samples.unwrap_or_default().into_iter().enumerate() {
        if let Some(s) = check_sample(r, dir, i, s, &consumes, &mut names) {
            samples.push(s);
        }
    }
    Visibility {
        consumes,
        samples,
        preflight: doc.preflight.unwrap_or_default(),
    }
}

/// Reports `d` at a JSON Pointer into the monitor file (`/consumes/0/fields`).
pub fn at_pointer(r: &mut FileReport, pointer: &str, d: Diagnostic) {
    let segs: Vec<&str> = pointer.split('/').filter(|s| !s.is_empty()).collect();
    r.at_key(&segs, d);
}

fn check_consumes(r: &mut FileReport, consumes: &Consumes) {
    let mut ops = BTreeSet::new();
    for (i, c) in consumes.0.iter().enumerate() {
        let at = format!("/consumes/{i}");
        match parse_operation(&c.operation) {
            None => at_pointer(
                r,
                &format!("{at}/operation"),
                Diagnostic::error(
                    "consumes-bad-operation",
                    format!("`{}` is not `METHOD /path`", c.operation),
                )
                .with_help("write the method and the path template, e.g. `GET /api/v1/users`"),
            ),
            Some((m, p)) => {
                if !ops.insert(crate::model::OpKey::new(m, &p)) {
                    at_pointer(
                        r,
                        &format!("{at}/operation"),
                        Diagnostic::error(
                            "consumes-duplicate-operation",
                            format!("`{}` is listed twice", c.operation.trim()),
                        )
                        .with_help("merge the two entries' fields"),
                    );
                }
            }
        }
        let mut seen = BTreeSet::new();
        for f in &c.fields {
            match crate::impact::walk::parse_path(&f.path) {
                Ok(s) if !s.is_empty() => {}
                Ok(_) => at_pointer(
                    r,
                    &format!("{at}/fields"),
                    Diagnostic::error("consumes-bad-field", "a consumed field path is empty"),
                ),
                Err(e) => at_pointer(
                    r,
                    &format!("{at}/fields"),
                    Diagnostic::error(
                        "consumes-bad-field",
                        format!("bad field path `{}`: {e}", f.path),
                    )
                    .with_help(
                        "dotted names, `[]` after a name steps into an array: `roles[].name`",
                    ),
                ),
            }
            if !seen.insert(f.path.as_str()) {
                at_pointer(
                    r,
                    &format!("{at}/fields"),
                    Diagnostic::warning(
                        "consumes-duplicate-field",
                        format!("field `{}` is listed twice", f.path),
                    ),
                );
            }
        }
        if let Some(p) = &c.item
            && let Err(e) = crate::impact::item::parse_pointer(p)
        {
            at_pointer(
                r,
                &format!("{at}/item"),
                Diagnostic::error(
                    "consumes-bad-item",
                    format!("`item: {p}` is not a JSON Pointer: {e}"),
                )
                .with_help(
                    "`/data`: the items of the array `data`; `/`: the body itself (an array body's items)",
                ),
            );
        }
    }
}

fn check_sample(
    r: &mut FileReport,
    dir: &Path,
    i: usize,
    s: RawSample,
    consumes: &Consumes,
    names: &mut BTreeSet<String>,
) -> Option<Sample> {
    let at = format!("/samples/{i}");
    let mut ok = true;
    if s.name.trim().is_empty() {
        at_pointer(
            r,
            &format!("{at}/name"),
            Diagnostic::error("sample-name", "a sample needs a non-empty `name`"),
        );
        ok = false;
    } else if !names.insert(s.name.clone()) {
        at_pointer(
            r,
            &format!("{at}/name"),
            Diagnostic::error(
                "sample-duplicate-name",
                format!("duplicate sample name `{}`", s.name),
            )
            .with_help("sample names are unique in a monitor: the baseline stores shapes by name"),
        );
        ok = false;
    }
    let path = match parse_operation(&s.operation) {
        Some((Method::Get, p)) => Some(p),
        Some((m, _)) => {
            at_pointer(
                r,
                &format!("{at}/operation"),
                Diagnostic::error(
                    "sample-not-get",
                    format!(
                        "sample `{}` uses {m}: samples are read-only, GET only",
                        s.name
                    ),
                )
                .with_help("sample a GET operation that lists what the fetcher reads"),
            );
            None
        }
        None => {
            at_pointer(
                r,
                &format!("{at}/operation"),
                Diagnostic::error(
                    "sample-bad-operation",
                    format!("`{}` is not `GET /path`", s.operation),
                ),
            );
            None
        }
    };
    if let Some(p) = &path {
        let key = crate::model::OpKey::new(Method::Get, p);
        let consumed = consumes.0.iter().any(|c| {
            parse_operation(&c.operation)
                .is_some_and(|(m, cp)| crate::model::OpKey::new(m, &cp) == key)
        });
        if !consumed {
            at_pointer(
                r,
                &format!("{at}/operation"),
                Diagnostic::warning(
                    "sample-not-consumed",
                    format!(
                        "`{}` is not under `consumes`: no consumed field is watched by this sample",
                        s.operation.trim()
                    ),
                )
                .with_help("add the operation and the fields the fetcher reads to `consumes`"),
            );
        }
    }
    let url = match url::Url::parse(&s.url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            if !u.username().is_empty() || u.password().is_some() {
                at_pointer(
                    r,
                    &format!("{at}/url"),
                    Diagnostic::error("monitor-inline-secret", "the URL carries credentials")
                        .with_help("use `auth:` with env vars or files"),
                );
                None
            } else {
                Some(u)
            }
        }
        Ok(u) => {
            at_pointer(
                r,
                &format!("{at}/url"),
                Diagnostic::error(
                    "sample-url",
                    format!("unsupported URL scheme `{}`", u.scheme()),
                )
                .with_help("samples are HTTP(S) requests"),
            );
            None
        }
        Err(e) => {
            at_pointer(
                r,
                &format!("{at}/url"),
                Diagnostic::error("sample-url", format!("invalid URL: {e}")),
            );
            None
        }
    };
    let items = s.items;
    if let Some(p) = &items
        && let Err(e) = crate::impact::item::parse_pointer(p)
    {
        at_pointer(
            r,
            &format!("{at}/items"),
            Diagnostic::error("sample-items", format!("`{p}` is not a JSON Pointer: {e}"))
                .with_help("start with `/`, e.g. `/data`; `/` is the body itself"),
        );
        ok = false;
    }
    let share = s.item_drop_share.unwrap_or(0.5);
    if !(share > 0.0 && share <= 1.0) {
        at_pointer(
            r,
            &format!("{at}/item_drop_share"),
            Diagnostic::error(
                "sample-item-drop-share",
                "`item_drop_share` must be in (0, 1]",
            ),
        );
        ok = false;
    }
    let idx = i.to_string();
    let auth = match &s.auth {
        Some(a) => {
            let a = read_auth(r, a, dir, &["samples", &idx, "auth"]);
            ok &= a.is_some();
            a
        }
        None => None,
    };
    if !ok {
        return None;
    }
    Some(Sample {
        name: s.name,
        operation: s.operation.trim().to_string(),
        path: path?,
        url: url?,
        auth,
        items,
        item_drop_share: share,
    })
}
