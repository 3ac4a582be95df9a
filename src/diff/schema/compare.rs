//! One schema pair compared: its own keywords into relative changes ([`Rel`]) and its
//! child pairs into edges, for `graph::Builder`. The table-driven keywords
//! (`model::keyword::KEYWORDS`: bounds, values, flags, sub-schemas, maps of them) are
//! compared in one loop through their slots ([`keywords`]); types, enums, defaults,
//! patterns, discriminators and nullability here by hand; compositions in `unions`,
//! properties in `props`.
//!
//! Must not: know the site or direction (a change is relative: a suffix and its
//! [`Effect`](super::kinds::Effect)), walk, or name a rule.

use super::graph::{
    FROM_TEXT, Key, NO_NULL, OVERLAID, READ_ONLY, Rel, Seg, TO_TEXT, WRITE_ONLY, What,
};
use super::kinds::{self, Kind};
use super::pattern::pattern_widens;
use super::{props, unions};
use crate::model::keyword::{Compare, Enter, KEYWORDS, Kw, Slot, is_annotation_only};
use crate::model::{AdditionalProperties, Api, Schema, SchemaId, Type};
use serde_json::Value;
use std::collections::BTreeSet;

/// A relative change of the pair `(bs, rs)` itself.
pub(super) fn rel(kind: Kind, bs: &Schema, rs: &Schema, details: Vec<String>) -> Rel {
    let mut flags = 0;
    if rs.read_only {
        flags |= READ_ONLY;
    }
    if rs.write_only {
        flags |= WRITE_ONLY;
    }
    Rel {
        what: What::Keyword(kind),
        prop: None,
        flags,
        details,
        base_ptr: Some(bs.pointer.clone()),
        rev_ptr: Some(rs.pointer.clone()),
    }
}

/// [`OVERLAID`] when either side of a pair is an overlay that `same` (comparing one
/// keyword) tells apart from its target (the keyword was written beside the `$ref`),
/// else 0.
/// Only `nullable` and `default` need it: the other keywords an overlay sets
/// (`readOnly`, `writeOnly`, `deprecated`, `x-sunset`, `x-stability-level`, `title`) are
/// compared as changes of the parent pair's property, and `description` not at all.
pub(super) fn overlaid(
    base: &Api,
    bs: &Schema,
    rev: &Api,
    rs: &Schema,
    same: impl Fn(&Schema, &Schema) -> bool,
) -> u16 {
    let differs = |api: &Api, s: &Schema| {
        s.extra()
            .overlay_of
            .is_some_and(|t| !same(s, api.schema(t)))
    };
    if differs(base, bs) || differs(rev, rs) {
        OVERLAID
    } else {
        0
    }
}

/// The nullability change of a pair, if any (`overlay` marks one written beside a
/// `$ref`).
pub(super) fn nullability(
    base: &Api,
    rev: &Api,
    (bs, rs): (&Schema, &Schema),
    (bn, rn): (bool, bool),
    own: &mut Vec<Rel>,
) {
    if bn == rn {
        return;
    }
    let kind = if rn {
        kinds::BECAME_NULLABLE
    } else {
        kinds::BECAME_NOT_NULLABLE
    };
    let mut r = rel(kind, bs, rs, Vec::new());
    r.flags |= overlaid(base, bs, rev, rs, |a, b| a.nullable == b.nullable);
    own.push(r);
}

/// The types a schema allows, inferring `object`/`array` from `properties`/`items` when
/// `type` is absent.
pub(super) fn effective_types(s: &Schema) -> BTreeSet<Type> {
    if !s.types.is_empty() {
        return s.types.clone();
    }
    let mut t = BTreeSet::new();
    if !s.properties.is_empty() {
        t.insert(Type::Object);
    }
    if s.items.is_some() {
        t.insert(Type::Array);
    }
    t
}

pub(super) fn type_str(types: &BTreeSet<Type>, format: Option<&str>) -> String {
    let mut out = if types.is_empty() {
        "any".to_string()
    } else {
        types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    if let Some(f) = format {
        out.push('/');
        out.push_str(f);
    }
    out
}

fn format_change(old: Option<&str>, new: Option<&str>) -> Kind {
    match (old, new) {
        (None, Some(_)) => kinds::TYPE_SPECIALIZED,
        (Some(_), None) => kinds::TYPE_GENERALIZED,
        (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => kinds::TYPE_GENERALIZED,
        (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => kinds::TYPE_SPECIALIZED,
        _ => kinds::TYPE_CHANGED,
    }
}

/// The type/format change between two schemas, if any.
fn type_change(base: &Api, bs: &Schema, rev: &Api, rs: &Schema) -> Option<Kind> {
    if bs.types == rs.types && bs.format == rs.format {
        return None;
    }
    let (bt, rt) = (effective_types(bs), effective_types(rs));
    if bt == rt {
        if bs.format == rs.format {
            return None;
        }
        return Some(format_change(bs.format.as_deref(), rs.format.as_deref()));
    }
    if bt.is_empty() {
        return untyped(base, bs).then_some(kinds::TYPE_SPECIALIZED);
    }
    if rt.is_empty() {
        return untyped(rev, rs).then_some(kinds::TYPE_GENERALIZED);
    }
    Some(types_change(&bt, &rt))
}

/// Does a schema without `type` (nor properties, nor items) allow every type? Yes
/// unless a composition says otherwise: a `oneOf`/`anyOf`, or an `allOf` member with
/// a type of its own (`allOf: [$ref: User]`). An `allOf` of annotations only
/// (`allOf: [{description}]`) constrains nothing.
fn untyped(api: &Api, s: &Schema) -> bool {
    s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.iter().all(|&m| is_annotation_only(api.schema(m)))
}

/// The change between two non-empty type sets.
pub(super) fn types_change(bt: &BTreeSet<Type>, rt: &BTreeSet<Type>) -> Kind {
    if bt.len() > 1 || rt.len() > 1 {
        return if rt.is_superset(bt) {
            kinds::LIST_OF_TYPES_WIDENED
        } else if rt.is_subset(bt) {
            kinds::LIST_OF_TYPES_NARROWED
        } else {
            kinds::TYPE_CHANGED
        };
    }
    match (bt.iter().next(), rt.iter().next()) {
        (Some(Type::Integer), Some(Type::Number)) => kinds::TYPE_GENERALIZED,
        (Some(Type::Number), Some(Type::Integer)) => kinds::TYPE_SPECIALIZED,
        _ => kinds::TYPE_CHANGED,
    }
}

/// Flags of a `type-changed` between single scalar types and a plain `string`
/// (no `format` on the string side): [`TO_TEXT`] when the revision is the string (a
/// request in a text location still accepts every value it did), [`FROM_TEXT`] when
/// the base is (a response in a text location returned text before). Objects and
/// arrays are left out: in a form body they are spread over several fields, so the
/// swap changes the wire shape.
fn text_tolerance(bs: &Schema, rs: &Schema) -> u16 {
    let (bt, rt) = (effective_types(bs), effective_types(rs));
    let single = |t: &BTreeSet<Type>| (t.len() == 1).then(|| t.iter().next().copied()).flatten();
    let scalar = |t: Option<Type>| matches!(t, Some(Type::Integer | Type::Number | Type::Boolean));
    let (b, r) = (single(&bt), single(&rt));
    let mut flags = 0;
    if r == Some(Type::String) && rs.format.is_none() && scalar(b) {
        flags |= TO_TEXT;
    }
    if b == Some(Type::String) && bs.format.is_none() && scalar(r) {
        flags |= FROM_TEXT;
    }
    flags
}

/// A value as an arg: strings bare, anything else as compact JSON.
pub(super) fn value_arg(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn num_arg(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Compares one schema pair: its own keywords into `own`, its child pairs into `kids`.
pub(super) fn pair(
    base: &Api,
    rev: &Api,
    key: Key,
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) {
    let (bs, rs) = (base.schema(key.base), rev.schema(key.rev));

    // Transition: wrapped in (or unwrapped from) oneOf/anyOf [{type: null}, X].
    let (eb, bwrap) = unions::unwrap_null(base, key.base);
    let (er, rwrap) = unions::unwrap_null(rev, key.rev);
    if bwrap || rwrap {
        if key.mode & NO_NULL == 0 {
            let bn = bwrap || bs.nullable || base.schema(eb).nullable;
            let rn = rwrap || rs.nullable || rev.schema(er).nullable;
            nullability(base, rev, (bs, rs), (bn, rn), own);
        }
        kids.push((
            Seg::Same,
            Key {
                base: eb,
                rev: er,
                mode: key.mode | NO_NULL,
            },
        ));
        return;
    }

    // An allOf that only wraps one member (`$ref: X` → `{allOf: [$ref: X],
    // description}`, `allOf: [{oneOf: [...]}, {description}]`) on either side: compared
    // as its member, so what X itself changed (its `nullable`, its properties, a union
    // collapsing) is judged at this path as if written there; the wrapper's arrival or
    // departure is reported as such. Nullability is the wrapper's or the member's,
    // compared here.
    let (wb, wr) = (
        unions::unwrap_all_of(base, key.base),
        unions::unwrap_all_of(rev, key.rev),
    );
    if wb.is_some() || wr.is_some() {
        let (mb, mr) = (wb.unwrap_or(key.base), wr.unwrap_or(key.rev));
        if let (Some(m), None) = (wr, wb) {
            let label = unions::branch_label(rev.schema(m), 0);
            own.push(rel(kinds::ALL_OF_ADDED, bs, rs, vec![label]));
        }
        if let (Some(m), None) = (wb, wr) {
            let label = unions::branch_label(base.schema(m), 0);
            own.push(rel(kinds::ALL_OF_REMOVED, bs, rs, vec![label]));
        }
        if key.mode & NO_NULL == 0 {
            let bn = bs.nullable || base.schema(mb).nullable;
            let rn = rs.nullable || rev.schema(mr).nullable;
            nullability(base, rev, (bs, rs), (bn, rn), own);
        }
        kids.push((
            Seg::Same,
            Key {
                base: mb,
                rev: mr,
                mode: key.mode | NO_NULL,
            },
        ));
        return;
    }

    // Transition: one schema became a union of alternatives or the reverse, or the
    // union keyword changed (`oneOf` ↔ `anyOf`). The rest of the pair (its properties,
    // its other keywords) belongs to the matched branches; nullability is the union's
    // (its own or any branch's), compared there.
    if unions::transition(base, rev, key, own, kids) {
        keywords((base, rev), (bs, rs), own, kids);
        return;
    }

    if key.mode & NO_NULL == 0 {
        nullability(base, rev, (bs, rs), (bs.nullable, rs.nullable), own);
    }

    if let Some(kind) = type_change(base, bs, rev, rs) {
        let from = type_str(&effective_types(bs), bs.format.as_deref());
        let to = type_str(&effective_types(rs), rs.format.as_deref());
        let mut r = rel(kind, bs, rs, vec![from, to]);
        if kind == kinds::TYPE_CHANGED {
            r.flags |= text_tolerance(bs, rs);
            r.flags |= unions::scalar_to_array(base, bs, rev, rs);
        }
        own.push(r);
    }

    match (&bs.enum_values, &rs.enum_values) {
        (Some(a), Some(b)) if a != b => {
            for v in a.iter().filter(|v| !b.contains(v)) {
                own.push(rel(kinds::ENUM_VALUE_REMOVED, bs, rs, vec![value_arg(v)]));
            }
            for v in b.iter().filter(|v| !a.contains(v)) {
                own.push(rel(kinds::ENUM_VALUE_ADDED, bs, rs, vec![value_arg(v)]));
            }
        }
        (None, Some(_)) => own.push(rel(kinds::BECAME_ENUM, bs, rs, Vec::new())),
        // An enum dropped: every value of the type is allowed now.
        (Some(_), None) => own.push(rel(kinds::BECAME_NOT_ENUM, bs, rs, Vec::new())),
        _ => {}
    }
    if let (Some(a), b) = (&bs.extra().extensible_enum, &rs.extra().extensible_enum)
        && Some(a) != b.as_ref()
    {
        let empty = Vec::new();
        let b = b.as_ref().unwrap_or(&empty);
        for v in a.iter().filter(|v| !b.contains(v)) {
            own.push(rel(
                kinds::X_EXTENSIBLE_ENUM_VALUE_REMOVED,
                bs,
                rs,
                vec![value_arg(v)],
            ));
        }
    }

    let default_overlaid = overlaid(base, bs, rev, rs, |a, b| {
        a.extra().default == b.extra().default
    });
    let r = match (&bs.extra().default, &rs.extra().default) {
        (None, Some(v)) => Some(rel(kinds::DEFAULT_VALUE_ADDED, bs, rs, vec![v.to_string()])),
        (Some(v), None) => Some(rel(
            kinds::DEFAULT_VALUE_REMOVED,
            bs,
            rs,
            vec![v.to_string()],
        )),
        (Some(a), Some(b)) if a != b => Some(rel(
            kinds::DEFAULT_VALUE_CHANGED,
            bs,
            rs,
            vec![a.to_string(), b.to_string()],
        )),
        _ => None,
    };
    if let Some(mut r) = r {
        r.flags |= default_overlaid;
        own.push(r);
    }

    match (&bs.extra().pattern, &rs.extra().pattern) {
        (None, Some(p)) => own.push(rel(kinds::PATTERN_ADDED, bs, rs, vec![p.clone()])),
        (Some(p), None) => own.push(rel(kinds::PATTERN_REMOVED, bs, rs, vec![p.clone()])),
        (Some(a), Some(b)) if a != b => {
            let kind = if pattern_widens(a, b) {
                kinds::PATTERN_GENERALIZED
            } else {
                kinds::PATTERN_CHANGED
            };
            own.push(rel(kind, bs, rs, vec![a.clone(), b.clone()]))
        }
        _ => {}
    }

    let (bd, rd) = (
        &bs.extra().dependent_required,
        &rs.extra().dependent_required,
    );
    for k in rd.keys().filter(|k| !bd.contains_key(*k)) {
        own.push(rel(
            kinds::DEPENDENT_REQUIRED_ADDED,
            bs,
            rs,
            vec![k.clone()],
        ));
    }
    for (k, v) in bd {
        match rd.get(k) {
            None => own.push(rel(
                kinds::DEPENDENT_REQUIRED_REMOVED,
                bs,
                rs,
                vec![k.clone()],
            )),
            Some(w) if w != v => own.push(rel(
                kinds::DEPENDENT_REQUIRED_CHANGED,
                bs,
                rs,
                vec![k.clone()],
            )),
            _ => {}
        }
    }

    unions::discriminator(bs, rs, own);
    unions::branches(base, rev, key, (bs, rs), own, kids);
    keywords((base, rev), (bs, rs), own, kids);

    if let (Some(b), Some(r)) = (bs.items, rs.items) {
        kids.push((
            Seg::Items,
            Key {
                base: b,
                rev: r,
                mode: 0,
            },
        ));
    }
    if key.mode & super::graph::NO_PROPS == 0 {
        props::compare(base, rev, key, own, kids);
    }
}

/// Compares every table-driven keyword of the pair (`model::keyword::KEYWORDS` rows
/// whose `Compare` is not `ByHand`) through its slot.
fn keywords(
    (base, rev): (&Api, &Api),
    (bs, rs): (&Schema, &Schema),
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) {
    let child = |b: SchemaId, r: SchemaId| Key {
        base: b,
        rev: r,
        mode: 0,
    };
    for row in KEYWORDS {
        if matches!(row.compare, Compare::ByHand | Compare::No)
            || !(row.slot.present(bs) || row.slot.present(rs))
        {
            continue;
        }
        let made = kinds::of_keyword(&row.compare);
        let kind = |i: usize| made[i];
        match (row.compare, row.slot) {
            (Compare::ByHand | Compare::No, _) => {}
            (Compare::Bound { upper, .. }, slot) => {
                // A bound the integer format already implies (`int32`'s 2147483647) is
                // no bound of its own: dropping it lets nothing more through.
                let implied = |s: &Schema| match row.kw {
                    Kw::Minimum | Kw::Maximum => implied_bound(s, upper),
                    _ => None,
                };
                let effective = |s: &Schema| {
                    let explicit = slot.number(s);
                    match (explicit, implied(s)) {
                        (Some(e), Some(i)) if (upper && e >= i) || (!upper && e <= i) => None,
                        (e, _) => e,
                    }
                };
                let (old, new) = (effective(bs), effective(rs));
                match (old, new) {
                    (Some(a), Some(b)) if a < b => {
                        own.push(rel(kind(0), bs, rs, vec![num_arg(a), num_arg(b)]))
                    }
                    (Some(a), Some(b)) if a > b => {
                        own.push(rel(kind(1), bs, rs, vec![num_arg(a), num_arg(b)]))
                    }
                    (None, Some(b)) => own.push(rel(kind(2), bs, rs, vec![num_arg(b)])),
                    (Some(a), None) => own.push(rel(kind(3), bs, rs, vec![num_arg(a)])),
                    _ => {}
                }
            }
            (Compare::Value { .. }, slot) => {
                let (old, new) = (text_of(&slot, bs), text_of(&slot, rs));
                match (old, new) {
                    (None, Some(v)) => own.push(rel(kind(0), bs, rs, vec![v])),
                    (Some(v), None) => own.push(rel(kind(1), bs, rs, vec![v])),
                    (Some(a), Some(b)) if a != b => own.push(rel(kind(2), bs, rs, vec![a, b])),
                    _ => {}
                }
            }
            (Compare::Changed { .. }, slot) => {
                let (old, new) = (text_of(&slot, bs), text_of(&slot, rs));
                if old != new {
                    own.push(rel(
                        kind(0),
                        bs,
                        rs,
                        vec![old.unwrap_or_default(), new.unwrap_or_default()],
                    ));
                }
            }
            (Compare::Flag { .. }, slot) => match (slot.present(bs), slot.present(rs)) {
                (false, true) => own.push(rel(kind(0), bs, rs, Vec::new())),
                (true, false) => own.push(rel(kind(1), bs, rs, Vec::new())),
                _ => {}
            },
            (Compare::Sub { enter, .. }, Slot::Sub(get, _)) => match (get(bs), get(rs)) {
                (None, Some(_)) => own.push(rel(kind(0), bs, rs, Vec::new())),
                (Some(_), None) => own.push(rel(kind(1), bs, rs, Vec::new())),
                (Some(b), Some(r)) => kids.push((seg(enter, row.kw), child(b, r))),
                (None, None) => {}
            },
            (Compare::Keyed { enter, .. }, Slot::Map(get, _)) => {
                let (old, new) = (get(bs), get(rs));
                for k in new.keys().filter(|k| !old.contains_key(*k)) {
                    own.push(rel(kind(0), bs, rs, vec![k.clone()]));
                }
                for (k, &b) in old {
                    match new.get(k) {
                        None => own.push(rel(kind(1), bs, rs, vec![k.clone()])),
                        Some(&r) => kids.push((seg(enter, row.kw), child(b, r))),
                    }
                }
            }
            (Compare::Indexed { enter, .. }, Slot::List(get, _)) => {
                let (old, new) = (get(bs), get(rs));
                for i in old.len()..new.len() {
                    own.push(rel(kind(0), bs, rs, vec![i.to_string()]));
                }
                for i in new.len()..old.len() {
                    own.push(rel(kind(1), bs, rs, vec![i.to_string()]));
                }
                for (&b, &r) in old.iter().zip(new) {
                    kids.push((seg(enter, row.kw), child(b, r)));
                }
            }
            (Compare::Open { enter, .. }, Slot::Open(get, _)) => {
                // Ordered by what they let through: open ⊇ a schema ⊇ closed.
                // A schema without constraints (`{}`) lets everything through.
                let rank = |api: &Api, v: Option<AdditionalProperties>| match v {
                    None | Some(AdditionalProperties::Bool(true)) => 2,
                    Some(AdditionalProperties::Schema(id))
                        if is_annotation_only(api.schema(id)) =>
                    {
                        2
                    }
                    Some(AdditionalProperties::Schema(_)) => 1,
                    Some(AdditionalProperties::Bool(false)) => 0,
                };
                let (old, new) = (get(bs), get(rs));
                match (old, new) {
                    (
                        Some(AdditionalProperties::Schema(b)),
                        Some(AdditionalProperties::Schema(r)),
                    ) => kids.push((seg(enter, row.kw), child(b, r))),
                    _ if rank(rev, new) < rank(base, old) => {
                        own.push(rel(kind(0), bs, rs, Vec::new()))
                    }
                    _ if rank(rev, new) > rank(base, old) => {
                        own.push(rel(kind(1), bs, rs, Vec::new()))
                    }
                    _ => {}
                }
            }
            // Every other (compare, slot) combination is a table error the keyword
            // module's tests rule out; nothing to compare.
            _ => {}
        }
    }
}

/// The bound an integer `format` implies (`int32`, `int64`), if any.
fn implied_bound(s: &Schema, upper: bool) -> Option<f64> {
    let (lo, hi) = match s.format.as_deref()? {
        "int32" => (i32::MIN as f64, i32::MAX as f64),
        "int64" => (i64::MIN as f64, i64::MAX as f64),
        _ => return None,
    };
    Some(if upper { hi } else { lo })
}

/// How an edge into a sub-schema keyword steps.
fn seg(enter: Enter, kw: Kw) -> Seg {
    match enter {
        Enter::Merged => Seg::Merged,
        Enter::Items => Seg::Items,
        Enter::Any => Seg::Additional,
        Enter::Inner | Enter::Flipped | Enter::Opaque => Seg::Inner(kw),
    }
}

/// A value keyword as an arg (`Value` and `Changed` rows: text, raw JSON or a number).
fn text_of(slot: &Slot, s: &Schema) -> Option<String> {
    match slot {
        Slot::Text(g, _) => g(s).map(str::to_string),
        Slot::Raw(g, _) => g(s).map(Value::to_string),
        Slot::Number(g, _) => g(s).map(num_arg),
        Slot::Count(g, _) => g(s).map(|v| v.to_string()),
        _ => None,
    }
}
