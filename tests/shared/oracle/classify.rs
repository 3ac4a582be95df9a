//! Fact differences: base against revision facts at each location, each classified for
//! the consumer as risky or benign.
//!
//! Owns: `FactDiff`, `Effect`, `Risk`, the classification table (`TABLE`) and
//! `diff_locations`. Must not: look at the diff's changes (that is `cover`).
//!
//! Every comparison first says what happened to the set of values a location can hold
//! (`Effect`: narrowed, widened, replaced), in the same sense on both sides; the table
//! then says, per fact kind and direction, whether that effect is risky for a client.
//! The default is the usual one: a request that accepts fewer values breaks a sender
//! (narrowed is risky), a response that can hold more values breaks a reader (widened is
//! risky), and a replacement (neither a subset nor a superset) is risky both ways.

use super::flatten::{Bound, Dir, Entry, Facts, Flat, Sig, Site, admits};
use apidrift::model::Type;
use std::collections::{BTreeMap, BTreeSet};

/// What happened to the set of values at a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Fewer values (or, for a location, "now constrained / now demanded").
    Narrowed,
    /// More values.
    Widened,
    /// Neither a subset nor a superset.
    Replaced,
}

impl Effect {
    pub fn word(self) -> &'static str {
        match self {
            Effect::Narrowed => "narrowed",
            Effect::Widened => "widened",
            Effect::Replaced => "replaced",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Risky,
    Benign,
}

/// Kinds of fact differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Types,
    Nullable,
    Required,
    InEveryBranch,
    Enum,
    ReadOnly,
    WriteOnly,
    Format,
    Bound(BoundKind),
    Style,
    Explode,
    /// A location only in the base (the topmost one of a removed subtree).
    Removed,
    /// A property only in the base, declared there only by `oneOf`/`anyOf` branches
    /// that the revision dropped while keeping only branches it had (a pure narrowing
    /// of the alternatives: the values that carried the property cannot occur any more).
    RemovedWithBranch,
    /// A location only in the revision (the topmost one of an added subtree).
    Added,
}

/// `Bound` with `Ord` (for grouping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BoundKind(pub u8);

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Types => "type set",
            Kind::Nullable => "nullable",
            Kind::Required => "required",
            Kind::InEveryBranch => "declared in every branch",
            Kind::Enum => "enum",
            Kind::ReadOnly => "readOnly",
            Kind::WriteOnly => "writeOnly",
            Kind::Format => "format",
            Kind::Bound(b) => Bound::ALL[b.0 as usize].name(),
            Kind::Style => "style",
            Kind::Explode => "explode",
            Kind::Removed => "location removed",
            Kind::RemovedWithBranch => "location removed with its branch",
            Kind::Added => "location added",
        }
    }
}

/// One row of the classification: the risk of each effect per direction.
struct Row {
    kind: fn(Kind) -> bool,
    request: [Risk; 3],
    response: [Risk; 3],
    why: &'static str,
    /// The kinds the row is about, for the report.
    label: &'static str,
}

use Risk::{Benign as B, Risky as R};

/// The classification, `[narrowed, widened, replaced]` per direction. First matching
/// row wins; the last row is the default.
const TABLE: &[Row] = &[
    Row {
        kind: |k| k == Kind::ReadOnly,
        // Narrowed = became readOnly: the client "SHOULD NOT" send it any more (OpenAPI
        // says SHOULD, and servers ignore a readOnly property they are sent). The rule
        // vocabulary (oasdiff) calls every readOnly flip of a request property INFO,
        // and we follow that policy: benign. Whether it is now required is the
        // `required` fact (a readOnly property is never required in a request).
        request: [B, B, B],
        // readOnly says nothing about what a reader gets.
        response: [B, B, B],
        why: "readOnly is advice to a sender (INFO by the rule vocabulary), never about what a client reads",
        label: "readOnly",
    },
    Row {
        kind: |k| k == Kind::WriteOnly,
        // writeOnly says nothing about what a sender may send.
        request: [B, B, B],
        // Narrowed = became writeOnly: the server stops returning it, as if removed for
        // the reader. Became not writeOnly: more is returned, which a reader ignores.
        response: [R, B, R],
        why: "writeOnly constrains what a client reads, never what it sends",
        label: "writeOnly",
    },
    Row {
        kind: |k| k == Kind::Removed,
        // A request property (or parameter, media type) the server no longer declares:
        // the sender still sends it, and the server ignores or rejects it. oasdiff and
        // apidrift call that WARN (request-property-removed, request-parameter-removed);
        // risky here, so the WARN is needed.
        request: [R, R, R],
        // A reader of a removed response property, header, media type or status loses it.
        response: [R, R, R],
        why: "a removed location is lost to whoever used it",
        label: "location removed",
    },
    Row {
        kind: |k| k == Kind::RemovedWithBranch,
        // A sender that sent that variant is rejected now (request one-of-removed).
        request: [R, R, R],
        // A reader never meets the variant again: the code that read the property is
        // dead, nothing breaks.
        response: [B, B, B],
        why: "dropping an alternative narrows what a response can hold",
        label: "location removed with its branch",
    },
    Row {
        kind: |k| k == Kind::Added,
        // `diff_locations` gives an added location the effect Narrowed when it is
        // required of the sender (a new required property or parameter, a request body
        // added as required), Widened otherwise.
        request: [R, B, R],
        // A reader meets more data, which it ignores; never risky.
        response: [B, B, B],
        why: "an added location demands something of a sender only when required",
        label: "location added (narrowed = required of the sender)",
    },
    Row {
        kind: |_| true,
        request: [R, B, R],
        response: [B, R, R],
        why: "a request that accepts less, or a response that returns more, breaks a client",
        label: "every other fact (types, nullable, required, declared in every branch, enum, format, bounds, style, explode)",
    },
];

/// The classification as a Markdown table, for the report.
pub fn table_markdown() -> String {
    let w = |r: &[Risk; 3]| {
        r.iter()
            .map(|r| if *r == Risk::Risky { "risky" } else { "benign" })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut s = String::from(
        "| fact | request: narrowed / widened / replaced | response: narrowed / widened / replaced | why |\n|---|---|---|---|\n",
    );
    for r in TABLE {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.label,
            w(&r.request),
            w(&r.response),
            r.why
        ));
    }
    s
}

fn risk_of(kind: Kind, dir: Dir, effect: Effect) -> Risk {
    let row = TABLE
        .iter()
        .find(|r| (r.kind)(kind))
        .expect("the last row of TABLE matches every kind");
    let i = match effect {
        Effect::Narrowed => 0,
        Effect::Widened => 1,
        Effect::Replaced => 2,
    };
    match dir {
        Dir::Request => row.request[i],
        Dir::Response => row.response[i],
    }
}

/// One fact difference at one location.
#[derive(Debug, Clone)]
pub struct FactDiff {
    pub site: Site,
    pub path: String,
    pub kind: Kind,
    pub effect: Effect,
    pub risk: Risk,
    pub base: String,
    pub rev: String,
    /// Components on the way, from both sides (see `Entry::comps`).
    pub comps: BTreeSet<(String, String)>,
    /// The location (or one above it) has alternatives on either side.
    pub alt: bool,
    pub depth: usize,
    /// The base location is marked deprecated.
    pub deprecated: bool,
}

pub fn types_str(t: &Option<BTreeSet<Type>>) -> String {
    match t {
        None => "any".into(),
        Some(t) if t.is_empty() => "null-only".into(),
        Some(t) => t.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("|"),
    }
}

fn set_effect<T: Ord>(base: &BTreeSet<T>, rev: &BTreeSet<T>) -> Effect {
    if rev.is_subset(base) {
        Effect::Narrowed
    } else if rev.is_superset(base) {
        Effect::Widened
    } else {
        Effect::Replaced
    }
}

fn types_effect(base: &Option<BTreeSet<Type>>, rev: &Option<BTreeSet<Type>>) -> Effect {
    let covers = |wide: &Option<BTreeSet<Type>>, narrow: &Option<BTreeSet<Type>>| match narrow {
        None => wide.is_none(),
        Some(n) => n.iter().all(|&t| admits(wide, t)),
    };
    if covers(base, rev) {
        Effect::Narrowed
    } else if covers(rev, base) {
        Effect::Widened
    } else {
        Effect::Replaced
    }
}

/// Known widenings of one format into another.
const FORMAT_WIDENINGS: &[(&str, &str)] = &[("int32", "int64"), ("float", "double")];

/// One alternative's formats (`types:format` keys) against the other side's, type by
/// type: a type only one side has is the business of the type fact.
fn format_effect(base: &BTreeSet<String>, rev: &BTreeSet<String>) -> Option<Effect> {
    let by_type = |set: &BTreeSet<String>| {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for k in set {
            let (t, f) = k.rsplit_once(':').unwrap_or(("any", k.as_str()));
            m.entry(t.to_string()).or_default().insert(f.to_string());
        }
        m
    };
    let (b, r) = (by_type(base), by_type(rev));
    let mut effects = BTreeSet::new();
    for (t, bf) in &b {
        let Some(rf) = r.get(t) else { continue };
        if bf != rf
            && let Some(e) = one_format_effect(bf, rf)
        {
            effects.insert(e);
        }
    }
    match effects.len() {
        0 => None,
        1 => effects.into_iter().next(),
        _ => Some(Effect::Replaced),
    }
}

fn one_format_effect(base: &BTreeSet<String>, rev: &BTreeSet<String>) -> Option<Effect> {
    // "" (no format) admits everything a format does: a side holding it admits all.
    match (base.contains(""), rev.contains("")) {
        (true, true) => return None,
        (true, false) => return Some(Effect::Narrowed),
        (false, true) => return Some(Effect::Widened),
        (false, false) => {}
    }
    Some(one_format_effect_formats(base, rev))
}

fn one_format_effect_formats(base: &BTreeSet<String>, rev: &BTreeSet<String>) -> Effect {
    if let (1, 1, Some(b), Some(r)) = (base.len(), rev.len(), base.first(), rev.first()) {
        if b.is_empty() {
            return Effect::Narrowed;
        }
        if r.is_empty() {
            return Effect::Widened;
        }
        if FORMAT_WIDENINGS.contains(&(b.as_str(), r.as_str())) {
            return Effect::Widened;
        }
        if FORMAT_WIDENINGS.contains(&(r.as_str(), b.as_str())) {
            return Effect::Narrowed;
        }
        return Effect::Replaced;
    }
    set_effect(base, rev)
}

fn opt_num(v: Option<f64>) -> String {
    v.map_or("none".into(), |v| v.to_string())
}

fn enum_str(e: &Option<BTreeSet<String>>) -> String {
    match e {
        None => "unbounded".into(),
        Some(e) if e.len() > 8 => format!(
            "[{} … {} values]",
            e.iter().take(6).cloned().collect::<Vec<_>>().join(", "),
            e.len()
        ),
        Some(e) => format!("[{}]", e.iter().cloned().collect::<Vec<_>>().join(", ")),
    }
}

/// The differences of two fact sets at one location, as (kind, effect, base, rev).
pub fn compare_facts(b: &Facts, r: &Facts) -> Vec<(Kind, Effect, String, String)> {
    let mut out = Vec::new();
    let flag = |from: bool| {
        if from {
            Effect::Narrowed
        } else {
            Effect::Widened
        }
    };
    let object = |f: &Facts| {
        f.types
            .as_ref()
            .is_some_and(|t| t.len() == 1 && t.contains(&Type::Object))
    };
    let implied = |x: &Facts, y: &Facts| x.types.is_none() && object(y) && y.implied_object;
    if b.types != r.types && !implied(b, r) && !implied(r, b) {
        out.push((
            Kind::Types,
            types_effect(&b.types, &r.types),
            types_str(&b.types),
            types_str(&r.types),
        ));
    }
    if b.nullable != r.nullable {
        out.push((
            Kind::Nullable,
            flag(b.nullable),
            b.nullable.to_string(),
            r.nullable.to_string(),
        ));
    }
    for (kind, x, y) in [
        (Kind::Required, b.required, r.required),
        (Kind::InEveryBranch, b.in_every_branch, r.in_every_branch),
    ] {
        // true → false: may be absent now (widened); false → true: demanded (narrowed).
        if let (Some(x), Some(y)) = (x, y)
            && x != y
        {
            out.push((kind, flag(!x), x.to_string(), y.to_string()));
        }
    }
    if b.enum_values != r.enum_values {
        let effect = match (&b.enum_values, &r.enum_values) {
            (None, Some(_)) => Effect::Narrowed,
            (Some(_), None) => Effect::Widened,
            (Some(x), Some(y)) => set_effect(x, y),
            (None, None) => Effect::Replaced,
        };
        out.push((
            Kind::Enum,
            effect,
            enum_str(&b.enum_values),
            enum_str(&r.enum_values),
        ));
    }
    // Became readOnly/writeOnly = Narrowed (fewer places the value may travel).
    if b.read_only != r.read_only {
        out.push((
            Kind::ReadOnly,
            flag(!b.read_only),
            b.read_only.to_string(),
            r.read_only.to_string(),
        ));
    }
    if b.write_only != r.write_only {
        out.push((
            Kind::WriteOnly,
            flag(!b.write_only),
            b.write_only.to_string(),
            r.write_only.to_string(),
        ));
    }
    if b.formats != r.formats
        && let Some(effect) = format_effect(&b.formats, &r.formats)
    {
        let show = |f: &BTreeSet<String>| {
            f.iter()
                .map(|s| match s.strip_suffix(':') {
                    Some(t) => format!("{t}:none"),
                    None => s.clone(),
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        out.push((Kind::Format, effect, show(&b.formats), show(&r.formats)));
    }
    for bd in Bound::ALL {
        let (x, y) = (b.bounds[bd as usize], r.bounds[bd as usize]);
        if x == y {
            continue;
        }
        // A bound on a type only one side has (an array branch added beside a string)
        // bounds nothing the other side held: that is the type fact's business.
        let applies = |f: &Facts| {
            f.types
                .as_ref()
                .is_none_or(|t| t.iter().any(|&t| bd.applies_to(t)))
        };
        if !applies(b) || !applies(r) {
            continue;
        }
        let raised = match (x, y) {
            (None, Some(_)) => None,
            (Some(_), None) => None,
            (Some(x), Some(y)) => Some(y > x),
            (None, None) => continue,
        };
        let effect = match (x, y, raised) {
            (None, Some(_), _) => Effect::Narrowed,
            (Some(_), None, _) => Effect::Widened,
            (_, _, Some(up)) => {
                if up == bd.is_lower() {
                    Effect::Narrowed
                } else {
                    Effect::Widened
                }
            }
            _ => Effect::Replaced,
        };
        out.push((
            Kind::Bound(BoundKind(bd as u8)),
            effect,
            opt_num(x),
            opt_num(y),
        ));
    }
    if b.style != r.style {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push((Kind::Style, Effect::Replaced, s(&b.style), s(&r.style)));
    }
    if b.explode != r.explode {
        let s = |v: Option<bool>| v.map_or(String::new(), |v| v.to_string());
        out.push((Kind::Explode, Effect::Replaced, s(b.explode), s(r.explode)));
    }
    out
}

/// The path one step up (`a.b` → `a`, `a[]` → `a`, `a` → ""); `None` for the root.
pub fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if let Some(p) = path.strip_suffix("[]") {
        return Some(p);
    }
    Some(path.rfind('.').map_or("", |i| &path[..i]))
}

fn facts_summary(f: &Facts) -> String {
    let mut s = types_str(&f.types);
    if f.nullable {
        s.push_str(" nullable");
    }
    if f.required == Some(true) {
        s.push_str(" required");
    }
    if f.read_only {
        s.push_str(" readOnly");
    }
    if f.write_only {
        s.push_str(" writeOnly");
    }
    s
}

/// The type/subtype of a media type, lowercased, without parameters.
fn essence(mt: &str) -> (&str, &str) {
    let e = mt.split(';').next().unwrap_or("").trim();
    e.split_once('/').unwrap_or((e, ""))
}

/// Is the response site `site` (a base media type the revision lacks) replaced at the
/// same status by a media type of the same essence or one it covers (`*/*`,
/// `application/*`)?
fn renamed_media_type(site: &Site, rev_sites: &[&Site]) -> bool {
    let Site::ResponseBody { status, media_type } = site else {
        return false;
    };
    let (t, sub) = essence(media_type);
    rev_sites.iter().any(|s| match s {
        Site::ResponseBody {
            status: s2,
            media_type: m2,
        } if s2 == status && m2 != media_type => {
            let (t2, sub2) = essence(m2);
            (t == "*" || t == t2) && (sub == "*" || sub == sub2)
        }
        _ => false,
    })
}

/// Does a media type carry its values as text (forms, multipart, `text/*` but JSON, XML)?
fn text_media(mt: &str) -> bool {
    let e = mt.split(';').next().unwrap_or("").trim();
    !e.ends_with("json")
        && (e == "application/x-www-form-urlencoded"
            || e.starts_with("multipart/")
            || e.starts_with("text/")
            || e == "application/xml"
            || e.ends_with("+xml"))
}

/// A type change between a scalar and a string where the value travels as text (form,
/// multipart, text and XML bodies; parameters; response headers), in
/// the direction that loses nothing: `1` and `"1"` are the same bytes on the wire, so a
/// request that now takes a string still takes everything sent before, and a response
/// that now holds a number was text to its reader before. Benign.
fn travels_as_text(site: &Site, base: &str, rev: &str) -> bool {
    let scalar = |t: &str| matches!(t, "integer" | "number" | "boolean");
    match site {
        Site::RequestBody { media_type } => {
            text_media(media_type) && scalar(base) && rev == "string"
        }
        Site::ResponseBody { media_type, .. } => {
            text_media(media_type) && base == "string" && scalar(rev)
        }
        Site::ResponseHeader { .. } => base == "string" && scalar(rev),
        // Path, query, header and cookie values (and a deepObject's fields) are text.
        Site::Param { .. } => scalar(base) && rev == "string",
    }
}

/// For an `additionalProperties` location (`x.*`) absent from `other`: the facts of
/// "any value" when its parent there is an object left open (an absent
/// `additionalProperties` allows every value), `None` when it is closed or absent.
fn open_additional(other: &Flat<'_>, site: &Site, path: &str) -> Option<Facts> {
    let parent_path = match path.strip_suffix('*')? {
        "" => "",
        p => p.strip_suffix('.')?,
    };
    let p = other.get(site, parent_path)?;
    let object = p
        .facts
        .types
        .as_ref()
        .is_none_or(|t| t.contains(&Type::Object));
    (object && !p.facts.closed).then(|| Facts {
        types: None,
        nullable: true,
        ..Facts::default()
    })
}

/// A parameter change that leaves what a client writes valid: `explode` of a scalar
/// parameter (it explodes nothing), or a scalar parameter that became an exploded
/// array (`?status=a` is an array of one).
fn param_wire_unchanged(kind: Kind, entries: &[&Entry<'_>]) -> bool {
    let scalar = |t: &Option<BTreeSet<Type>>| {
        t.as_ref().is_some_and(|t| {
            !t.is_empty() && t.iter().all(|t| !matches!(t, Type::Array | Type::Object))
        })
    };
    match kind {
        Kind::Explode => entries.iter().all(|e| scalar(&e.facts.types)),
        Kind::Types => {
            let (Some(be), Some(re)) = (entries.first(), entries.get(1)) else {
                return false;
            };
            scalar(&be.facts.types)
                && re
                    .facts
                    .types
                    .as_ref()
                    .is_some_and(|t| t.len() == 1 && t.contains(&Type::Array))
                && re.facts.explode == Some(true)
        }
        _ => false,
    }
}

/// The signatures of the variants the parent of `path` has in `flat` (none at a root).
fn parent_sigs<'f, 'a>(flat: &'f Flat<'a>, site: &Site, path: &str) -> &'f [Sig<'a>] {
    parent(path)
        .and_then(|p| flat.get(site, p))
        .map_or(&[], |e| e.sigs.as_slice())
}

/// Is a property no longer in every variant of its parent only because the parent
/// gained variants under grandparent variants that did not declare the parent before
/// (Stripe's `bank_account` gaining a `future_requirements` of its own kind, without
/// `alternatives`)? Every variant the parent had under its old declarers is unchanged,
/// and every old parent variant still declares the property: a reader meets the
/// property's absence only in objects that had no parent at all before.
fn kinds_only_where_absent(
    (base, rev): (&Flat<'_>, &Flat<'_>),
    site: &Site,
    path: &str,
    (be, re): (&Entry<'_>, &Entry<'_>),
) -> bool {
    let Some(pp) = parent(path) else {
        return false;
    };
    let (Some(bp), Some(rp)) = (base.get(site, pp), rev.get(site, pp)) else {
        return false;
    };
    let new_declarers: Vec<&Sig<'_>> = rp
        .declared_by
        .iter()
        .filter(|s| !bp.declared_by.contains(s))
        .collect();
    let older = parent_sigs(base, site, pp);
    if new_declarers.is_empty()
        || new_declarers
            .iter()
            .any(|s| s.is_none() || !older.contains(s))
    {
        return false;
    }
    if !bp.declared_by.iter().all(|s| rp.declared_by.contains(s)) {
        return false;
    }
    let (bv, rv) = (base.variants_by(bp), rev.variants_by(rp));
    let same_under_old = bv
        .iter()
        .all(|(g, sigs)| g.is_some() && rv.iter().any(|(h, rs)| h == g && rs == sigs));
    same_under_old && be.declared_by.iter().all(|s| re.declared_by.contains(s))
}

/// Was `child` (a location of the base under `parent`) declared only by variants of
/// `parent` that the revision dropped, the revision's variants all being variants the
/// base had (see `Kind::RemovedWithBranch`)?
fn branch_dropped(child: &Entry<'_>, base: Option<&Entry<'_>>, rev: Option<&Entry<'_>>) -> bool {
    let (Some(b), Some(r)) = (base, rev) else {
        return false;
    };
    // Unnamed variants (`None`) match unnamed ones: an inline `string` branch beside
    // named object branches stays what it was.
    let known = |s: &Sig<'_>| b.sigs.contains(s);
    r.sigs.len() < b.sigs.len()
        && r.sigs.iter().all(known)
        && !child.declared_by.is_empty()
        && child
            .declared_by
            .iter()
            .all(|s| s.is_some() && !r.sigs.contains(s))
}

/// Every fact difference of one operation.
///
/// `base_has_body`: the base operation has a request body at all (a media type added to
/// an existing body is an alternative for the sender, not a demand).
pub fn diff_locations(base: &Flat, rev: &Flat, base_has_body: bool) -> Vec<FactDiff> {
    let rev_sites: Vec<&Site> = rev.locs.keys().collect();
    let rev_sites = &rev_sites;
    let depth = base.complete_depth.min(rev.complete_depth);
    let keep = |e: &Entry| e.depth <= depth;
    let mut out = Vec::new();
    let push = |out: &mut Vec<FactDiff>,
                site: &Site,
                path: &str,
                (kind, effect, b, r): (Kind, Effect, String, String),
                entries: &[&Entry]| {
        let dir = site.dir();
        let mut risk = risk_of(kind, dir, effect);
        // Inside a readOnly property of a request (the client does not send it) or a
        // writeOnly property of a response (the server does not return it) nothing is
        // risky, except the readOnly/writeOnly flip itself, judged by the table.
        if entries.iter().all(|e| e.inert) && !matches!(kind, Kind::ReadOnly | Kind::WriteOnly) {
            risk = Risk::Benign;
        }
        if kind == Kind::Types && travels_as_text(site, &b, &r) {
            risk = Risk::Benign;
        }
        if let Site::Param { .. } = site
            && path.is_empty()
            && param_wire_unchanged(kind, entries)
        {
            risk = Risk::Benign;
        }
        // A response media type replaced by one of the same type/subtype (parameters
        // changed) or by a more specific one at the same status: the reader reads the
        // same representation; the new site's own facts are compared as added.
        if kind == Kind::Removed && path.is_empty() && renamed_media_type(site, rev_sites) {
            risk = Risk::Benign;
        }
        // A 4xx response (status or media type) no longer documented: the server may
        // still send it and a client that handles it keeps working; oasdiff and
        // apidrift call a removed non-success status INFO.
        if kind == Kind::Removed
            && path.is_empty()
            && site.status().is_some_and(|s| s.starts_with('4'))
        {
            risk = Risk::Benign;
        }
        let mut comps = BTreeSet::new();
        for e in entries {
            comps.extend(e.comps(path));
        }
        out.push(FactDiff {
            site: site.clone(),
            path: path.to_string(),
            kind,
            effect,
            risk,
            base: b,
            rev: r,
            comps,
            alt: entries.iter().any(|e| e.alt),
            depth: entries.iter().map(|e| e.depth).max().unwrap_or(0),
            deprecated: entries[0].deprecated,
        });
    };
    for (site, path, be) in base.iter().filter(|(_, _, e)| keep(e)) {
        match rev.get(site, path) {
            Some(re) if be.capped || re.capped => {}
            Some(re) => {
                // A fact that differs only through parent variants that existed but did
                // not declare the property before (Stripe's `card` branch gaining the
                // nullable `status` its `bank_account` sibling had): the reader met its
                // absence in those objects; the diff reports the property added. A
                // brand-new variant is no such thing. `changed_under_old`: the kinds of
                // facts that changed under the variants that declared it before (`None`:
                // the rule does not apply).
                let older = parent_sigs(base, site, path);
                let new_declarers: Vec<&Sig<'_>> = re
                    .declared_by
                    .iter()
                    .filter(|s| !be.declared_by.contains(s))
                    .collect();
                let changed_under_old: Option<Vec<Kind>> = (!new_declarers.is_empty()
                    && new_declarers
                        .iter()
                        .all(|s| s.is_some() && older.contains(s)))
                .then(|| rev.facts_under(re, &be.declared_by))
                .flatten()
                .map(|old| {
                    compare_facts(&be.facts, &old)
                        .into_iter()
                        .map(|d| d.0)
                        .collect()
                });
                for d in compare_facts(&be.facts, &re.facts) {
                    let only_new = changed_under_old
                        .as_ref()
                        .is_some_and(|k| !k.contains(&d.0))
                        || (d.0 == Kind::InEveryBranch
                            && d.1 == Effect::Widened
                            && kinds_only_where_absent((base, rev), site, path, (be, re)));
                    push(&mut out, site, path, d, &[be, re]);
                    if only_new && let Some(last) = out.last_mut() {
                        last.risk = Risk::Benign;
                    }
                }
            }
            None => {
                // Only the topmost removed location: the parent is on both sides.
                let top = parent(path).is_none_or(|p| rev.get(site, p).is_some());
                // `*` gone from an object that stays open: any value is allowed now.
                if top && let Some(any) = open_additional(rev, site, path) {
                    for d in compare_facts(&be.facts, &any) {
                        push(&mut out, site, path, d, &[be]);
                    }
                    continue;
                }
                if top {
                    let kind = match parent(path) {
                        Some(p) if branch_dropped(be, base.get(site, p), rev.get(site, p)) => {
                            Kind::RemovedWithBranch
                        }
                        _ => Kind::Removed,
                    };
                    let d = (
                        kind,
                        Effect::Narrowed,
                        facts_summary(&be.facts),
                        "absent".into(),
                    );
                    push(&mut out, site, path, d, &[be]);
                }
            }
        }
    }
    for (site, path, re) in rev.iter().filter(|(_, _, e)| keep(e)) {
        if base.get(site, path).is_some() {
            continue;
        }
        let top = parent(path).is_none_or(|p| base.get(site, p).is_some());
        if !top {
            continue;
        }
        // `*` declared on an object that was open: what was any value is now this.
        if let Some(any) = open_additional(base, site, path) {
            for d in compare_facts(&any, &re.facts) {
                push(&mut out, site, path, d, &[re]);
            }
            continue;
        }
        let demanded = re.facts.required == Some(true)
            && match site {
                Site::Param { .. } => true,
                Site::RequestBody { .. } => !path.is_empty() || !base_has_body,
                _ => false,
            };
        let effect = if demanded {
            Effect::Narrowed
        } else {
            Effect::Widened
        };
        let d = (
            Kind::Added,
            effect,
            "absent".into(),
            facts_summary(&re.facts),
        );
        push(&mut out, site, path, d, &[re]);
    }
    out
}
