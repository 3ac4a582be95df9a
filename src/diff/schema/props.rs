//! Properties of an object pair: added, removed, required, read/write-only, and their
//! lifecycle (deprecation, `x-sunset`, `x-stability-level`, stored raw and judged per
//! site by `life`). Properties of `allOf` branches are merged with the schema's own
//! (and `required` is the union), so a property moved into an `allOf` is not removed.
//!
//! Must not: know the site or direction, or name a rule.

use super::MAX_ALLOF_DEPTH;
use super::graph::{
    B_DEPRECATED, B_STABILITY, B_SUNSET, HAS_DEFAULT, Key, PropAction, PropRef, R_DEPRECATED,
    R_STABILITY, R_SUNSET, READ_ONLY, REQUIRED, Rel, Seg, Side, WRITE_ONLY, What,
};
use crate::model::{Api, Schema, SchemaId};
use indexmap::IndexMap;

/// Properties of a schema merged with those of its `allOf` branches (own first, then
/// branches in order; the first definition of a name wins).
pub(super) fn collect<'a>(
    api: &'a Api,
    id: SchemaId,
    side: Side,
    depth: usize,
    out: &mut IndexMap<&'a str, (SchemaId, PropRef)>,
) {
    let s = api.schema(id);
    for (i, (name, &pid)) in s.properties.iter().enumerate() {
        out.entry(name.as_str()).or_insert((
            pid,
            PropRef {
                side,
                owner: id,
                idx: i as u32,
            },
        ));
    }
    if depth < MAX_ALLOF_DEPTH {
        for &b in &s.all_of {
            collect(api, b, side, depth + 1, out);
        }
    }
}

/// `required` of a schema or of any of its `allOf` branches.
fn is_required(api: &Api, id: SchemaId, name: &str, depth: usize) -> bool {
    let s = api.schema(id);
    s.required.contains(name)
        || (depth < MAX_ALLOF_DEPTH
            && s.all_of
                .iter()
                .any(|&b| is_required(api, b, name, depth + 1)))
}

/// `readOnly` and `writeOnly` of a property's schema or of any of its `allOf` members
/// (`{allOf: [$ref X], description}` is X; annotations of every member apply).
fn mutability(api: &Api, id: SchemaId) -> (bool, bool) {
    fn walk(api: &Api, id: SchemaId, depth: usize, acc: &mut (bool, bool)) {
        let s = api.schema(id);
        acc.0 |= s.read_only;
        acc.1 |= s.write_only;
        if depth < MAX_ALLOF_DEPTH {
            for &m in &s.all_of {
                walk(api, m, depth + 1, acc);
            }
        }
    }
    let mut acc = (false, false);
    walk(api, id, 0, &mut acc);
    acc
}

fn flags(api: &Api, id: SchemaId, required: bool) -> u16 {
    let s = api.schema(id);
    let (read_only, write_only) = mutability(api, id);
    let mut f = 0;
    if required {
        f |= REQUIRED;
    }
    if read_only {
        f |= READ_ONLY;
    }
    if write_only {
        f |= WRITE_ONLY;
    }
    if s.extra().default.is_some() {
        f |= HAS_DEFAULT;
    }
    f
}

fn prop_rel(
    action: PropAction,
    prop: PropRef,
    flags: u16,
    bp: Option<&Schema>,
    rp: Option<&Schema>,
) -> Rel {
    Rel {
        what: What::Property(action),
        prop: Some(prop),
        flags,
        details: Vec::new(),
        base_ptr: bp.map(|s| s.pointer.clone()),
        rev_ptr: rp.map(|s| s.pointer.clone()),
    }
}

/// The property changes of the pair `key`, and a child pair per common property.
pub(super) fn compare(
    base: &Api,
    rev: &Api,
    key: Key,
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) {
    let (bs, rs) = (base.schema(key.base), rev.schema(key.rev));
    if bs.properties.is_empty()
        && rs.properties.is_empty()
        && bs.all_of.is_empty()
        && rs.all_of.is_empty()
    {
        return;
    }
    let mut bprops = IndexMap::new();
    collect(base, key.base, Side::Base, 0, &mut bprops);
    let mut rprops = IndexMap::new();
    collect(rev, key.rev, Side::Rev, 0, &mut rprops);
    for (name, &(bp, bref)) in &bprops {
        let bps = base.schema(bp);
        let breq = is_required(base, key.base, name, 0);
        let Some(&(rp, rref)) = rprops.get(name) else {
            own.push(prop_rel(
                PropAction::Removed,
                bref,
                flags(base, bp, breq),
                Some(bps),
                None,
            ));
            continue;
        };
        let rps = rev.schema(rp);
        let rreq = is_required(rev, key.rev, name, 0);
        let f = flags(rev, rp, rreq);
        let mut change = |action| own.push(prop_rel(action, rref, f, Some(bps), Some(rps)));
        if breq != rreq {
            change(if rreq {
                PropAction::BecameRequired
            } else {
                PropAction::BecameOptional
            });
        }
        let ((b_ro, b_wo), (r_ro, r_wo)) = (mutability(base, bp), mutability(rev, rp));
        if b_ro != r_ro {
            change(if r_ro {
                PropAction::BecameReadOnly
            } else {
                PropAction::BecameNotReadOnly
            });
        }
        if b_wo != r_wo {
            change(if r_wo {
                PropAction::BecameWriteOnly
            } else {
                PropAction::BecameNotWriteOnly
            });
        }
        if let Some(r) = lifecycle(bps, rps, rref) {
            own.push(r);
        }
        kids.push((
            Seg::Prop(rref),
            Key {
                base: bp,
                rev: rp,
                mode: 0,
            },
        ));
    }
    for (name, &(rp, rref)) in &rprops {
        if bprops.contains_key(name) {
            continue;
        }
        let rps = rev.schema(rp);
        let rreq = is_required(rev, key.rev, name, 0);
        own.push(prop_rel(
            PropAction::Added,
            rref,
            flags(rev, rp, rreq),
            None,
            Some(rps),
        ));
    }
}

/// The properties that leave with removed union branches: declared by a removed base
/// branch (`removed`) and by no branch of the revision (`kept`, the revision's branches
/// or its lone schema). A reader that met the removed kind of value read them; now no
/// value carries them. One `Removed` change per name (the first branch declaring it).
pub(super) fn gone_with_branches(
    base: &Api,
    removed: &[SchemaId],
    rev: &Api,
    kept: &[SchemaId],
    own: &mut Vec<Rel>,
) {
    let mut still: IndexMap<&str, (SchemaId, PropRef)> = IndexMap::new();
    for &k in kept {
        collect(rev, k, Side::Rev, 0, &mut still);
    }
    let mut gone: IndexMap<&str, (SchemaId, PropRef, SchemaId)> = IndexMap::new();
    for &b in removed {
        let mut props = IndexMap::new();
        collect(base, b, Side::Base, 0, &mut props);
        for (name, (pid, pref)) in props {
            if !still.contains_key(name) {
                gone.entry(name).or_insert((pid, pref, b));
            }
        }
    }
    for (name, (pid, pref, branch)) in gone {
        let ps = base.schema(pid);
        own.push(prop_rel(
            PropAction::Removed,
            pref,
            flags(base, pid, is_required(base, branch, name, 0)),
            Some(ps),
            None,
        ));
    }
}

/// The lifecycle relative change of a property present on both sides, when its
/// deprecation, its `x-sunset` (while deprecated on both sides) or its
/// `x-stability-level` changed.
fn lifecycle(bps: &Schema, rps: &Schema, prop: PropRef) -> Option<Rel> {
    let (bx, rx) = (bps.extra(), rps.extra());
    let sunset_moved = bps.deprecated && rps.deprecated && bx.sunset != rx.sunset;
    if bps.deprecated == rps.deprecated && !sunset_moved && bx.stability == rx.stability {
        return None;
    }
    let mut flags = 0;
    for (on, bit) in [
        (bps.deprecated, B_DEPRECATED),
        (rps.deprecated, R_DEPRECATED),
        (bx.sunset.is_some(), B_SUNSET),
        (rx.sunset.is_some(), R_SUNSET),
        (bx.stability.is_some(), B_STABILITY),
        (rx.stability.is_some(), R_STABILITY),
    ] {
        if on {
            flags |= bit;
        }
    }
    let raw = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(Rel {
        what: What::Lifecycle,
        prop: Some(prop),
        flags,
        details: vec![
            raw(&bx.sunset),
            raw(&rx.sunset),
            raw(&bx.stability),
            raw(&rx.stability),
        ],
        base_ptr: Some(bps.pointer.clone()),
        rev_ptr: Some(rps.pointer.clone()),
    })
}
