//! Compositions: `oneOf`/`anyOf`/`allOf` branches matched and compared, the union
//! transitions (one schema ↔ a union of alternatives; `oneOf` ↔ `anyOf`), the
//! null-wrapper, and the discriminator.
//!
//! Branches are matched by `$ref` target, then `title`, then discriminator value, then
//! structure (the same types and the most property names in common), never by
//! position: a branch left over on one side is added or removed. A union compared with
//! one schema is that schema as a union of one: the matched branch is compared with it,
//! the others are branches added (a response may now return another kind of value) or
//! removed. Unions of bare types (`{type: string}`) become type-list changes
//! (`string` → `string|integer`). Swapping `oneOf` for `anyOf` over the same branches is
//! no change of the accepted set when no value can match two branches (disjoint types or
//! discriminator values), and a widening (anyOf) or narrowing (oneOf) otherwise.
//!
//! Must not: know the site or direction, or name a rule (changes are relative kinds).

use super::compare::{effective_types, nullability, rel, type_str, types_change};
use super::graph::{Key, NO_NULL, NO_PROPS, Rel, Seg, WRAPPED};
use super::kinds::{self, Kind};
use super::props;
use crate::model::keyword::{KEYWORDS, Kw, Role, annotates_only_besides, is_annotation_only};
use crate::model::{Api, Discriminator, Schema, SchemaId, Type};
use std::collections::BTreeSet;

/// A `{type: null}` branch and nothing else.
fn is_null_only(s: &Schema) -> bool {
    s.nullable
        && s.types.is_empty()
        && s.properties.is_empty()
        && s.items.is_none()
        && s.enum_values.is_none()
        && s.extra().const_value.is_none()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.is_empty()
        && s.ref_name.is_none()
}

/// `oneOf`/`anyOf: [{type: null}, X]` (either order) → `(X, true)`, else `(id, false)`.
pub(super) fn unwrap_null(api: &Api, id: SchemaId) -> (SchemaId, bool) {
    let s = api.schema(id);
    for list in [&s.one_of, &s.any_of] {
        if list.len() == 2 && s.types.is_empty() && s.properties.is_empty() {
            let (a, b) = (list[0], list[1]);
            if is_null_only(api.schema(a)) && !is_null_only(api.schema(b)) {
                return (b, true);
            }
            if is_null_only(api.schema(b)) && !is_null_only(api.schema(a)) {
                return (a, true);
            }
        }
    }
    (id, false)
}

/// `{allOf: [X]}`, or an `allOf` whose other members only annotate (`[X,
/// {description}]`), with nothing beside it but annotations and `nullable`: how
/// generators put a description (or `nullable`) on a `$ref` or a union. Its values are
/// X's (or null): returns X.
pub(super) fn unwrap_all_of(api: &Api, id: SchemaId) -> Option<SchemaId> {
    let s = api.schema(id);
    if s.all_of.is_empty() {
        return None;
    }
    let mut members = s
        .all_of
        .iter()
        .filter(|&&m| !is_annotation_only(api.schema(m)));
    let (Some(&member), None) = (members.next(), members.next()) else {
        return None;
    };
    annotates_only_besides(s, &[Kw::AllOf, Kw::Nullable, Kw::XNullable]).then_some(member)
}

/// Does the schema say what its values look like by itself (types, properties,
/// items, an enum), rather than through its branches?
fn is_concrete(s: &Schema) -> bool {
    !s.types.is_empty() || !s.properties.is_empty() || s.items.is_some() || s.enum_values.is_some()
}

/// The union keyword of a schema whose values are its branches': `oneOf` or `anyOf`
/// (not both) on a schema that is not concrete by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Union {
    OneOf,
    AnyOf,
}

impl Union {
    fn name(self) -> &'static str {
        match self {
            Union::OneOf => "oneOf",
            Union::AnyOf => "anyOf",
        }
    }

    fn added(self) -> Kind {
        match self {
            Union::OneOf => kinds::ONE_OF_ADDED,
            Union::AnyOf => kinds::ANY_OF_ADDED,
        }
    }

    fn removed(self) -> Kind {
        match self {
            Union::OneOf => kinds::ONE_OF_REMOVED,
            Union::AnyOf => kinds::ANY_OF_REMOVED,
        }
    }
}

fn union_of(s: &Schema) -> Option<(Union, &[SchemaId])> {
    if is_concrete(s) || !s.all_of.is_empty() {
        return None;
    }
    match (s.one_of.is_empty(), s.any_of.is_empty()) {
        (false, true) => Some((Union::OneOf, &s.one_of)),
        (true, false) => Some((Union::AnyOf, &s.any_of)),
        _ => None,
    }
}

/// A schema that is a type and nothing else that constrains it (`{type: string}`,
/// `{type: integer, format: int64}`, with a description at most).
fn bare_type(s: &Schema) -> bool {
    s.types.len() == 1
        && s.ref_name.is_none()
        && KEYWORDS.iter().all(|k| {
            matches!(k.kw, Kw::Type | Kw::Format)
                || k.role == Role::Annotation
                || !k.slot.present(s)
        })
}

/// The transitions between one schema and a union, or between `oneOf` and `anyOf`.
/// Returns true when it handled the pair (the caller then compares only the
/// table-driven keywords of the pair itself).
pub(super) fn transition(
    base: &Api,
    rev: &Api,
    key: Key,
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) -> bool {
    let (bs, rs) = (base.schema(key.base), rev.schema(key.rev));
    let (bu, ru) = (union_of(bs), union_of(rs));
    let single = [key.base];
    let rsingle = [key.rev];
    let (bkw, bl, rkw, rl): (Option<Union>, &[SchemaId], Option<Union>, &[SchemaId]) =
        match (bu, ru) {
            (Some((a, bl)), Some((b, rl))) if a != b => (Some(a), bl, Some(b), rl),
            // The same keyword: compared branch by branch in the general flow.
            (Some(_), Some(_)) => return false,
            (Some((a, bl)), None) if is_concrete(rs) => (Some(a), bl, None, &rsingle),
            (None, Some((b, rl))) if is_concrete(bs) => (None, &single, Some(b), rl),
            _ => return false,
        };
    // Unions of bare types on both sides (a single bare type counts): a type list.
    let all_bare = |api: &Api, l: &[SchemaId]| l.iter().all(|&i| bare_type(api.schema(i)));
    if all_bare(base, bl) && all_bare(rev, rl) {
        if key.mode & NO_NULL == 0 {
            nullability(
                base,
                rev,
                (bs, rs),
                (union_nullable(base, bs, bl), union_nullable(rev, rs, rl)),
                own,
            );
        }
        let types = |api: &Api, l: &[SchemaId]| -> BTreeSet<Type> {
            l.iter()
                .flat_map(|&i| api.schema(i).types.clone())
                .collect()
        };
        let (bt, rt) = (types(base, bl), types(rev, rl));
        if bt != rt {
            own.push(rel(
                types_change(&bt, &rt),
                bs,
                rs,
                vec![type_str(&bt, None), type_str(&rt, None)],
            ));
        }
        if let (Some(a), Some(b)) = (bkw, rkw) {
            keyword_change(base, bl, rev, rl, (a, b), (bs, rs), own);
        }
        return true;
    }
    if let (Some(a), Some(b)) = (bkw, rkw) {
        keyword_change(base, bl, rev, rl, (a, b), (bs, rs), own);
    }
    if key.mode & NO_NULL == 0 {
        nullability(
            base,
            rev,
            (bs, rs),
            (union_nullable(base, bs, bl), union_nullable(rev, rs, rl)),
            own,
        );
    }
    let m = match_branches(
        (base, bl),
        (rev, rl),
        (
            bs.extra().discriminator.as_ref(),
            rs.extra().discriminator.as_ref(),
        ),
    );
    for &i in &m.removed {
        let b = base.schema(bl[i]);
        // A lone base schema that matched nothing: the revision's union no longer
        // holds the kind of value it described.
        let kind = bkw.unwrap_or(rkw.unwrap_or(Union::OneOf)).removed();
        own.push(rel(kind, bs, rs, vec![branch_label(b, i)]));
    }
    // A union that collapses to one schema takes along the fields only its other
    // branches had: each is reported removed (a reader of it loses it). A branch
    // removed from a union that stays a union is one `*-one-of-removed`, an ancestor of
    // every field it took along (Stripe drops whole expandable kinds that way, and one
    // change per field would repeat it thousands of times).
    if key.mode & NO_PROPS == 0 && rkw.is_none() && !m.removed.is_empty() {
        let removed: Vec<SchemaId> = m.removed.iter().map(|&i| bl[i]).collect();
        props::gone_with_branches(base, &removed, rev, rl, own);
    }
    for &j in &m.added {
        let r = rev.schema(rl[j]);
        let kind = rkw.unwrap_or(bkw.unwrap_or(Union::OneOf)).added();
        let mut x = rel(kind, bs, rs, vec![branch_label(r, j)]);
        if bkw.is_none() && rkw == Some(Union::OneOf) {
            x.flags |= WRAPPED;
        }
        own.push(x);
    }
    for &(i, j) in &m.pairs {
        kids.push((
            Seg::Same,
            Key {
                base: bl[i],
                rev: rl[j],
                // Nullability was the union's, compared above; a lone schema paired
                // with a branch keeps the rest of the pair's mode, but not NO_PROPS:
                // an allOf parent collects its members' properties, never those of
                // the branches of a union inside a member.
                mode: (key.mode & !NO_PROPS) | NO_NULL,
            },
        ));
    }
    true
}

/// A union is nullable when it or any branch is (a lone schema: when it is).
fn union_nullable(api: &Api, s: &Schema, list: &[SchemaId]) -> bool {
    s.nullable || list.iter().any(|&i| api.schema(i).nullable)
}

/// `oneOf` ↔ `anyOf` over `bl` and `rl`.
fn keyword_change(
    base: &Api,
    bl: &[SchemaId],
    rev: &Api,
    rl: &[SchemaId],
    (from, to): (Union, Union),
    (bs, rs): (&Schema, &Schema),
    own: &mut Vec<Rel>,
) {
    let kind = if disjoint(base, bl) && disjoint(rev, rl) {
        own.push(rel(
            kinds::UNION_KEYWORD_CHANGED,
            bs,
            rs,
            vec![from.name().to_string(), to.name().to_string()],
        ));
        return;
    } else if to == Union::AnyOf {
        kinds::ONE_OF_BECAME_ANY_OF
    } else {
        kinds::ANY_OF_BECAME_ONE_OF
    };
    own.push(rel(kind, bs, rs, Vec::new()));
}

/// Can no value match two of the branches? True when their types are pairwise
/// disjoint (an absent type is any type), or when they share a property whose
/// values (a `const` or a one-value `enum`) differ from branch to branch.
fn disjoint(api: &Api, list: &[SchemaId]) -> bool {
    let types: Vec<BTreeSet<Type>> = list
        .iter()
        .map(|&i| effective_types(api.schema(i)))
        .collect();
    let by_type = types.iter().all(|t| !t.is_empty())
        && types
            .iter()
            .enumerate()
            .all(|(i, a)| types[i + 1..].iter().all(|b| a.is_disjoint(b)));
    if by_type {
        return true;
    }
    // A tag property: one name, a distinct single value in every branch.
    let tag = |s: &Schema, name: &str| -> Option<String> {
        let p = api.schema(*s.properties.get(name)?);
        if let Some(v) = &p.extra().const_value {
            return Some(v.to_string());
        }
        match p.enum_values.as_deref() {
            Some([v]) => Some(v.to_string()),
            _ => None,
        }
    };
    let Some(first) = list.first().map(|&i| api.schema(i)) else {
        return true;
    };
    first.properties.keys().any(|name| {
        let mut seen = BTreeSet::new();
        list.iter()
            .all(|&i| tag(api.schema(i), name).is_some_and(|v| seen.insert(v)))
    })
}

/// Cheap structural identity of two inline branches.
fn shallow_eq(a: &Schema, b: &Schema) -> bool {
    a.ref_name.is_none()
        && b.ref_name.is_none()
        && a.types == b.types
        && a.format == b.format
        && a.nullable == b.nullable
        && a.extra().title == b.extra().title
        && a.enum_values == b.enum_values
        && a.required == b.required
        && a.items.is_some() == b.items.is_some()
        && a.properties.len() == b.properties.len()
        && a.properties
            .keys()
            .zip(b.properties.keys())
            .all(|(x, y)| x == y)
}

pub(super) fn branch_label(s: &Schema, i: usize) -> String {
    s.ref_name
        .clone()
        .or_else(|| s.extra().title.clone())
        .unwrap_or_else(|| format!("#{i}"))
}

/// The value that tells a branch apart: its discriminator-mapping key (from the
/// parent's mapping, by `$ref` name) or the `const`/one-value `enum` of its
/// discriminator property.
fn tag_value(
    s: &Schema,
    api: &Api,
    parent: Option<&crate::model::Discriminator>,
) -> Option<String> {
    let d = parent.or(s.extra().discriminator.as_ref())?;
    if let Some(name) = &s.ref_name
        && let Some((k, _)) = d
            .mapping
            .iter()
            .find(|(_, target)| target.rsplit('/').next() == Some(name.as_str()))
    {
        return Some(k.clone());
    }
    let p = api.schema(*s.properties.get(&d.property_name)?);
    if let Some(v) = &p.extra().const_value {
        return Some(v.to_string());
    }
    match p.enum_values.as_deref() {
        Some([v]) => Some(v.to_string()),
        _ => None,
    }
}

/// How alike two branches are by structure, when they can describe the same values:
/// `None` when their types differ; else higher for more property names in common.
fn likeness(a: &Schema, b: &Schema) -> Option<u32> {
    let (ta, tb) = (effective_types(a), effective_types(b));
    if ta != tb && !(ta.is_empty() || tb.is_empty()) && ta.is_disjoint(&tb) {
        return None;
    }
    if ta != tb {
        // Overlapping but different type sets: a weak match.
        return Some(1);
    }
    if a.properties.is_empty() && b.properties.is_empty() {
        return Some(2);
    }
    let common = a
        .properties
        .keys()
        .filter(|k| b.properties.contains_key(*k))
        .count();
    let all = a.properties.len().max(b.properties.len());
    // Objects that share no property are not the same kind of object.
    (common > 0).then(|| 2 + (100 * common / all.max(1)) as u32)
}

/// Branches paired, and the base (removed) and revision (added) indexes left over.
pub(super) struct Matching {
    pub pairs: Vec<(usize, usize)>,
    pub removed: Vec<usize>,
    pub added: Vec<usize>,
}

/// Matches composition branches: by `$ref` name, then inline by shallow equality, then by
/// `title`, then by discriminator value, then by structure ([`likeness`], best first).
/// `parents` are the discriminators of the schemas holding the branches (the mapping
/// names a branch's value by its `$ref`).
pub(super) fn match_branches(
    (base, bl): (&Api, &[SchemaId]),
    (rev, rl): (&Api, &[SchemaId]),
    parents: (Option<&Discriminator>, Option<&Discriminator>),
) -> Matching {
    let mut bused = vec![false; bl.len()];
    let mut rused = vec![false; rl.len()];
    let mut pairs = Vec::new();
    let btag: Vec<Option<String>> = bl
        .iter()
        .map(|&i| tag_value(base.schema(i), base, parents.0))
        .collect();
    let rtag: Vec<Option<String>> = rl
        .iter()
        .map(|&i| tag_value(rev.schema(i), rev, parents.1))
        .collect();
    type Test<'t> = dyn Fn(usize, usize) -> bool + 't;
    let steps: [&Test<'_>; 4] = [
        &|i, j| {
            let (a, b) = (base.schema(bl[i]), rev.schema(rl[j]));
            a.ref_name.is_some() && a.ref_name == b.ref_name
        },
        &|i, j| shallow_eq(base.schema(bl[i]), rev.schema(rl[j])),
        &|i, j| {
            let (a, b) = (base.schema(bl[i]), rev.schema(rl[j]));
            a.extra().title.is_some() && a.extra().title == b.extra().title
        },
        &|i, j| btag[i].is_some() && btag[i] == rtag[j],
    ];
    for step in steps {
        for (i, used) in bused.iter_mut().enumerate() {
            if *used {
                continue;
            }
            if let Some(j) = (0..rl.len()).find(|&j| !rused[j] && step(i, j)) {
                *used = true;
                rused[j] = true;
                pairs.push((i, j));
            }
        }
    }
    // Structure: the most alike pair first, ties by order on both sides.
    let mut scored: Vec<(u32, usize, usize)> = Vec::new();
    for i in (0..bl.len()).filter(|&i| !bused[i]) {
        for j in (0..rl.len()).filter(|&j| !rused[j]) {
            if let Some(s) = likeness(base.schema(bl[i]), rev.schema(rl[j])) {
                scored.push((s, i, j));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, i, j) in scored {
        if !bused[i] && !rused[j] {
            bused[i] = true;
            rused[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    Matching {
        pairs,
        removed: (0..bl.len()).filter(|&i| !bused[i]).collect(),
        added: (0..rl.len()).filter(|&j| !rused[j]).collect(),
    }
}

/// `oneOf`, `anyOf` and `allOf` compared branch by branch (each keyword with itself;
/// the transitions between them are [`transition`]'s).
pub(super) fn branches(
    base: &Api,
    rev: &Api,
    _key: Key,
    (bs, rs): (&Schema, &Schema),
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) {
    /// Base branches, revision branches, (added, removed) kinds, `allOf`?
    type Lists<'s> = [(&'s [SchemaId], &'s [SchemaId], [Kind; 2], bool); 3];
    let lists: Lists<'_> = [
        (
            &bs.one_of,
            &rs.one_of,
            [kinds::ONE_OF_ADDED, kinds::ONE_OF_REMOVED],
            false,
        ),
        (
            &bs.any_of,
            &rs.any_of,
            [kinds::ANY_OF_ADDED, kinds::ANY_OF_REMOVED],
            false,
        ),
        (
            &bs.all_of,
            &rs.all_of,
            [kinds::ALL_OF_ADDED, kinds::ALL_OF_REMOVED],
            true,
        ),
    ];
    for (bl, rl, ids, all_of) in lists {
        if bl.is_empty() && rl.is_empty() {
            continue;
        }
        let m = match_branches(
            (base, bl),
            (rev, rl),
            (
                bs.extra().discriminator.as_ref(),
                rs.extra().discriminator.as_ref(),
            ),
        );
        for i in m.removed {
            let b = base.schema(bl[i]);
            let kind = if all_of && is_annotation_only(b) {
                kinds::ALL_OF_REMOVED_ANNOTATION_ONLY
            } else {
                ids[1]
            };
            own.push(rel(kind, bs, rs, vec![branch_label(b, i)]));
        }
        for j in m.added {
            let r = rev.schema(rl[j]);
            let kind = if all_of && is_annotation_only(r) {
                kinds::ALL_OF_ADDED_ANNOTATION_ONLY
            } else {
                ids[0]
            };
            own.push(rel(kind, bs, rs, vec![branch_label(r, j)]));
        }
        for (i, j) in m.pairs {
            kids.push((
                if all_of { Seg::Merged } else { Seg::Same },
                Key {
                    base: bl[i],
                    rev: rl[j],
                    mode: if all_of { NO_PROPS } else { 0 },
                },
            ));
        }
    }
}

/// The discriminator's changes: added, removed, property renamed, mapping entries.
pub(super) fn discriminator(bs: &Schema, rs: &Schema, own: &mut Vec<Rel>) {
    match (&bs.extra().discriminator, &rs.extra().discriminator) {
        (None, Some(_)) => own.push(rel(kinds::DISCRIMINATOR_ADDED, bs, rs, Vec::new())),
        (Some(_), None) => own.push(rel(kinds::DISCRIMINATOR_REMOVED, bs, rs, Vec::new())),
        (Some(a), Some(b)) if a != b => {
            if a.property_name != b.property_name {
                own.push(rel(
                    kinds::DISCRIMINATOR_PROPERTY_NAME_CHANGED,
                    bs,
                    rs,
                    vec![a.property_name.clone(), b.property_name.clone()],
                ));
            }
            for k in b.mapping.keys().filter(|k| !a.mapping.contains_key(*k)) {
                own.push(rel(
                    kinds::DISCRIMINATOR_MAPPING_ADDED,
                    bs,
                    rs,
                    vec![k.clone()],
                ));
            }
            for (k, v) in &a.mapping {
                match b.mapping.get(k) {
                    None => own.push(rel(
                        kinds::DISCRIMINATOR_MAPPING_DELETED,
                        bs,
                        rs,
                        vec![k.clone()],
                    )),
                    Some(w) if w != v => own.push(rel(
                        kinds::DISCRIMINATOR_MAPPING_CHANGED,
                        bs,
                        rs,
                        vec![k.clone()],
                    )),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// [`SCALAR_TO_ARRAY`](super::graph::SCALAR_TO_ARRAY) on a `type-changed` from a scalar to an array of
/// that scalar (or a wider one), [`ARRAY_TO_SCALAR`](super::graph::ARRAY_TO_SCALAR) for the reverse: in
/// a parameter, one value serializes exactly as an array of one.
pub(super) fn scalar_to_array(base: &Api, bs: &Schema, rev: &Api, rs: &Schema) -> u16 {
    let scalar = |s: &Schema| {
        let t = effective_types(s);
        (t.len() == 1 && !t.contains(&Type::Array) && !t.contains(&Type::Object)).then_some(t)
    };
    let item_types = |api: &Api, s: &Schema| {
        let t = effective_types(s);
        (t.len() == 1 && t.contains(&Type::Array))
            .then(|| s.items.map(|i| effective_types(api.schema(i))))
            .flatten()
    };
    let mut flags = 0;
    if let (Some(b), Some(items)) = (scalar(bs), item_types(rev, rs))
        && (items.is_superset(&b) || items == [Type::Number].into() && b == [Type::Integer].into())
    {
        flags |= super::graph::SCALAR_TO_ARRAY;
    }
    if let (Some(items), Some(r)) = (item_types(base, bs), scalar(rs))
        && (items == r)
    {
        flags |= super::graph::ARRAY_TO_SCALAR;
    }
    flags
}
