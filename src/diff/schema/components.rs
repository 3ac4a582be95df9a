//! Section `components`: what no site reached within the hop limit, reported once per
//! (component, rule, component-relative path, direction), with the number of
//! operations that reach the component that deep ([`finish`], once per comparison,
//! after every operation was compared).
//!
//! Must not: report a change some site reported within the limit in that direction.

use super::Dir;
use super::graph::Memo;
use super::life::Life;
use super::walk::{Ctx, Out, Walk};
use crate::diff::{Change, Emitter, Section};
use crate::model::Api;
use rustc_hash::FxHashMap as HashMap;

/// The component name of a pair: the revision's `$ref` name, else the base's.
fn pair_name<'a>(memo: &Memo, base: &'a Api, rev: &'a Api, node: u32) -> Option<&'a str> {
    let k = memo.arena[node as usize].key;
    rev.schema(k.rev)
        .ref_name
        .as_deref()
        .or_else(|| base.schema(k.base).ref_name.as_deref())
}

/// Reports, in section `components`, the changes that lie beyond the hop limit at every
/// site that reaches them: once per (component, rule, component-relative path,
/// direction), with the number of operations that reach the component that deep.
/// Called once, after every operation was compared.
pub fn finish(em: &mut Emitter<'_>) {
    let memo = &em.schema_memo;
    if memo.deep.is_empty() {
        return;
    }
    let (base, rev) = (em.base, em.rev);
    let words = memo.ops.len().div_ceil(64).max(1);
    struct Comp {
        node: u32,
        dir: Dir,
        ops: Vec<u64>,
        kids: Vec<usize>,
        out: Vec<Out>,
    }
    let order = |&(n, d): &(u32, Dir)| (d, memo.arena[n as usize].key);
    let mut start: Vec<(u32, Dir)> = memo.deep.keys().copied().collect();
    start.sort_by_key(order);
    let mut comps: Vec<Comp> = Vec::with_capacity(start.len());
    let mut index: HashMap<(u32, Dir), usize> = HashMap::default();
    for (node, dir) in start {
        let mut ops = vec![0u64; words];
        for &o in &memo.deep[&(node, dir)] {
            ops[o as usize / 64] |= 1 << (o % 64);
        }
        index.insert((node, dir), comps.len());
        comps.push(Comp {
            node,
            dir,
            ops,
            kids: Vec::new(),
            out: Vec::new(),
        });
    }
    // Walk each component inside itself (no hop allowed); the components it enters are
    // walked in turn. Every (pair, direction) is walked at most once.
    let mut at = 0;
    while at < comps.len() {
        let (node, dir) = (comps[at].node, comps[at].dir);
        let mut walk = Walk::new(
            memo,
            (base, rev),
            Ctx::Component(dir),
            // A component has no operation of its own: its properties are judged at
            // the level an absent `x-stability-level` means (stable).
            Life {
                base_op: None,
                rev_op: None,
                opts: em.opts,
            },
            Some(0),
            Vec::new(),
            &[],
        );
        walk.run(node);
        let mut kids: Vec<(u32, Dir)> = walk.boundaries.iter().map(|&k| (k, dir)).collect();
        kids.sort_by_key(order);
        kids.dedup();
        comps[at].out = walk.out;
        for k in kids {
            let i = match index.get(&k) {
                Some(&i) => i,
                None => {
                    index.insert(k, comps.len());
                    comps.push(Comp {
                        node: k.0,
                        dir,
                        ops: vec![0u64; words],
                        kids: Vec::new(),
                        out: Vec::new(),
                    });
                    comps.len() - 1
                }
            };
            comps[at].kids.push(i);
        }
        at += 1;
    }
    // An operation that reaches a component deep reaches whatever it contains.
    for _ in 0..=comps.len() {
        let mut changed = false;
        for i in 0..comps.len() {
            for k in 0..comps[i].kids.len() {
                let kid = comps[i].kids[k];
                for w in 0..words {
                    let v = comps[kid].ops[w] | comps[i].ops[w];
                    if v != comps[kid].ops[w] {
                        comps[kid].ops[w] = v;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Operations per component name and direction (pairs of one name share a count).
    let mut reach: HashMap<(&str, Dir), Vec<u64>> = HashMap::default();
    for c in &comps {
        let name = pair_name(memo, base, rev, c.node).unwrap_or_default();
        let e = reach
            .entry((name, c.dir))
            .or_insert_with(|| vec![0u64; words]);
        for (a, b) in e.iter_mut().zip(&c.ops) {
            *a |= b;
        }
    }
    let section = match rev.version.or(base.version) {
        Some(crate::model::SpecVersion::Swagger2) => "#/definitions/",
        _ => "#/components/schemas/",
    };
    let limit = em.opts.max_ref_hops;
    // Pairs of one name can hold the same relative change: it is reported once, with
    // the pointers that sort first (not the first pair met: that follows the order of
    // the documents' keys).
    let mut found = Vec::new();
    for c in comps {
        let name = pair_name(memo, base, rev, c.node).unwrap_or_default();
        let n: u32 = reach[&(name, c.dir)].iter().map(|w| w.count_ones()).sum();
        for (rule, args, bp, rp) in c.out {
            found.push((name, rule.id, args, bp, rp, n, rule));
        }
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2, &a.3, &a.4).cmp(&(b.0, b.1, &b.2, &b.3, &b.4)));
    found.dedup_by(|b, a| (a.0, a.1, &a.2) == (b.0, b.1, &b.2));
    let mut changes = Vec::new();
    for (name, _, args, bp, rp, n, rule) in found {
        let path = format!("{section}{name}");
        let at = match args.first().map(String::as_str) {
            None | Some("") => "the component itself".to_string(),
            Some(p) => format!("'{p}'"),
        };
        let details = if args.len() > 1 {
            format!(" ({})", args[1..].join(", "))
        } else {
            String::new()
        };
        let ops = if n == 1 { "operation" } else { "operations" };
        let text = format!(
            "{}: {at}{details} inside component '{name}', reached by {n} {ops} more than {limit} component hops deep",
            rule.description
        );
        let fingerprint = crate::diff::fingerprint(rule.id, None, Some(&path), &args);
        changes.push(Change {
            id: rule.id.to_string(),
            text,
            comment: None,
            level: rule.level,
            operation: None,
            path: Some(path.clone()),
            operation_id: None,
            section: Section::Components,
            args,
            base_pointer: bp,
            revision_pointer: rp,
            fingerprint,
        });
    }
    em.changes.extend(changes);
}
