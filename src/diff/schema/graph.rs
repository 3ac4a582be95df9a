//! The pair graph: one node per compared (base schema, revision schema, mode), holding
//! the pair's own relative changes ([`Rel`]) and edges to its child pairs, built once
//! per comparison ([`Builder`]) and shared by every site that reaches the pair
//! ([`Memo`]). Strongly connected components are finalized together (Tarjan) so "does
//! this subtree hold any change" is exact, and edges to change-free subtrees are
//! dropped. Nothing computed depends on visiting order.
//!
//! Must not: know a site, a direction or a rule id (that is `walk` and `resolve`), or
//! compare keywords itself (`compare::pair` does, into `own` and `kids`).

use super::compare;
use super::kinds::Kind;
use super::{Dir, MAX_BUILD_DEPTH, Part};
use crate::model::keyword::Kw;
use crate::model::{Api, Method, Pointer, SchemaId};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeSet;

/// Compare mode bits: properties are compared by the parent (merged `allOf` branch).
pub(super) const NO_PROPS: u8 = 1;
/// Compare mode bits: nullability was compared by the parent (null-`oneOf` transition).
pub(super) const NO_NULL: u8 = 2;

/// A pair of schemas and how they are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Key {
    pub base: SchemaId,
    pub rev: SchemaId,
    pub mode: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Base,
    Rev,
}

/// A property name, by where it is defined (no string is copied while building).
#[derive(Debug, Clone, Copy)]
pub(super) struct PropRef {
    pub side: Side,
    pub owner: SchemaId,
    pub idx: u32,
}

/// How an edge steps from a pair to a child pair: the property path step it adds and
/// whether it can be a component hop.
#[derive(Debug, Clone, Copy)]
pub(super) enum Seg {
    /// A `oneOf`/`anyOf` branch or a null-wrapper's inner schema: no path step.
    Same,
    /// An `allOf` branch, `then`, `else`, a `dependentSchemas` entry: no path step and no
    /// component hop (part of the same instance).
    Merged,
    Prop(PropRef),
    /// `items`, `prefixItems`, `unevaluatedItems`: `[]`.
    Items,
    /// `additionalProperties`, `patternProperties`, `unevaluatedProperties`: `*`.
    Additional,
    /// A sub-schema that is not a part of the value (`not`, `if`, `contains`,
    /// `propertyNames`, `contentSchema`): no path step; changes inside it are reported
    /// at the parent as the keyword's aggregated kinds (`walk`).
    Inner(Kw),
}

/// What a relative change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What {
    /// A keyword of the pair itself (`enum-value-added`).
    Keyword(Kind),
    /// The existence, requiredness or mutability of the child property `Rel::prop`.
    Property(PropAction),
    /// The lifecycle of the child property `Rel::prop` (deprecation, `x-sunset`,
    /// `x-stability-level`), stored raw: its rule depends on the site's operation and
    /// the deprecation-days policy (`life`).
    Lifecycle,
}

/// A change of a property as a member of its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum PropAction {
    Added,
    Removed,
    BecameRequired,
    BecameOptional,
    BecameReadOnly,
    BecameNotReadOnly,
    BecameWriteOnly,
    BecameNotWriteOnly,
}

impl PropAction {
    #[cfg(test)]
    pub const ALL: [PropAction; 8] = [
        PropAction::Added,
        PropAction::Removed,
        PropAction::BecameRequired,
        PropAction::BecameOptional,
        PropAction::BecameReadOnly,
        PropAction::BecameNotReadOnly,
        PropAction::BecameWriteOnly,
        PropAction::BecameNotWriteOnly,
    ];

    /// The action as rule ids spell it (`became-required`).
    pub fn as_str(self) -> &'static str {
        match self {
            PropAction::Added => "added",
            PropAction::Removed => "removed",
            PropAction::BecameRequired => "became-required",
            PropAction::BecameOptional => "became-optional",
            PropAction::BecameReadOnly => "became-read-only",
            PropAction::BecameNotReadOnly => "became-not-read-only",
            PropAction::BecameWriteOnly => "became-write-only",
            PropAction::BecameNotWriteOnly => "became-not-write-only",
        }
    }
}

/// Relative change flags.
pub(super) const REQUIRED: u16 = 1;
pub(super) const READ_ONLY: u16 = 2;
pub(super) const WRITE_ONLY: u16 = 4;
pub(super) const HAS_DEFAULT: u16 = 8;
/// The change is of a keyword written beside a `$ref` (an overlay's own `nullable` or
/// `default`, differing from its target's), so it belongs to the referring site, not to
/// the target component (`compare::overlaid`).
pub(super) const OVERLAID: u16 = 16;
/// On a `oneOf` branch added: the base was one schema, now a branch of the revision's
/// `oneOf` (`*-body-wrapped-in-one-of` at a body).
pub(super) const WRAPPED: u16 = 32;
/// On a `type-changed`: a scalar became a plain string, so where values travel as
/// text every value a client sent before is still accepted (`compare::text_tolerance`).
pub(super) const TO_TEXT: u16 = 64;
/// On a `type-changed`: a plain string became a scalar, so where values travel as
/// text every value a client read before was already text (`compare::text_tolerance`).
pub(super) const FROM_TEXT: u16 = 128;
/// On a `type-changed`: a scalar became an array of it (`compare::scalar_to_array`);
/// in a parameter one value serializes exactly as an array of one, so every value a
/// client sent is still valid.
pub(super) const SCALAR_TO_ARRAY: u16 = 256;
/// On a `type-changed`: an array became a scalar of its item type.
pub(super) const ARRAY_TO_SCALAR: u16 = 512;

/// The lifecycle flags of a [`What::Lifecycle`] change: which side is deprecated and
/// which has an `x-sunset` or an `x-stability-level` of its own. Its `details` are the
/// raw `[base x-sunset, revision x-sunset, base x-stability-level, revision
/// x-stability-level]` (empty when absent).
pub(super) const B_DEPRECATED: u16 = 1;
pub(super) const R_DEPRECATED: u16 = 2;
pub(super) const B_SUNSET: u16 = 4;
pub(super) const R_SUNSET: u16 = 8;
pub(super) const B_STABILITY: u16 = 16;
pub(super) const R_STABILITY: u16 = 32;

/// One change of a schema pair, relative to the pair (no site, no path).
#[derive(Debug, Clone)]
pub(super) struct Rel {
    pub what: What,
    /// The child property a [`What::Property`] or [`What::Lifecycle`] change concerns.
    pub prop: Option<PropRef>,
    pub flags: u16,
    pub details: Vec<String>,
    pub base_ptr: Option<Pointer>,
    pub rev_ptr: Option<Pointer>,
}

#[derive(Debug)]
pub(super) struct Node {
    pub key: Key,
    pub own: Vec<Rel>,
    pub edges: Vec<(Seg, u32)>,
    pub low: u32,
    pub finished: bool,
    pub nonempty: bool,
}

/// Memo of schema-pair comparisons: a graph of pair nodes keyed by (base id, revision
/// id, compare mode). Direction is applied at instantiation, so one node serves request
/// and response sites alike. It also gathers, across the sites of one comparison, what
/// `components::finish` needs to report deep changes once per component.
#[derive(Debug, Default)]
pub struct Memo {
    pub(super) nodes: HashMap<Key, u32>,
    pub(super) arena: Vec<Node>,
    pub(super) stack: Vec<u32>,
    pub(super) next_index: u32,
    /// Operations whose sites met a component beyond the hop limit, numbered.
    pub(super) ops: HashMap<(Option<Method>, Option<String>), u32>,
    /// Pairs walked within the hop limit at some site, per direction and [`Part`]:
    /// those changes are reported per operation, so never again in section
    /// `components`.
    pub(super) reached: HashSet<(u32, Dir, Part)>,
    /// Component pairs entered one hop beyond the limit, per direction, with the
    /// operations (numbers of `ops`) whose sites met them there.
    pub(super) deep: HashMap<(u32, Dir), BTreeSet<u32>>,
}

impl Memo {
    /// How many schema pairs were compared so far (each at most once).
    pub fn pairs_compared(&self) -> usize {
        self.arena.len()
    }

    pub(super) fn op_index(&mut self, scope: &super::Scope) -> u32 {
        let next = self.ops.len() as u32;
        *self
            .ops
            .entry((scope.operation, scope.path.clone()))
            .or_insert(next)
    }
}

/// The name of a property, from the arena of the side that defines it.
pub(super) fn prop_name<'a>(base: &'a Api, rev: &'a Api, p: PropRef) -> &'a str {
    let api = match p.side {
        Side::Base => base,
        Side::Rev => rev,
    };
    api.schema(p.owner)
        .properties
        .get_index(p.idx as usize)
        .map(|(k, _)| k.as_str())
        .unwrap_or("")
}

/// Builds pair nodes depth-first, each pair once.
pub(super) struct Builder<'a> {
    pub base: &'a Api,
    pub rev: &'a Api,
    pub memo: &'a mut Memo,
}

impl Builder<'_> {
    pub fn visit(&mut self, key: Key, depth: usize) -> Option<u32> {
        if let Some(&n) = self.memo.nodes.get(&key) {
            return Some(n);
        }
        if depth > MAX_BUILD_DEPTH {
            return None;
        }
        let n = self.memo.arena.len() as u32;
        let index = self.memo.next_index;
        self.memo.next_index += 1;
        self.memo.arena.push(Node {
            key,
            own: Vec::new(),
            edges: Vec::new(),
            low: index,
            finished: false,
            nonempty: false,
        });
        self.memo.nodes.insert(key, n);
        self.memo.stack.push(n);

        let mut own = Vec::new();
        let mut kids = Vec::new();
        compare::pair(self.base, self.rev, key, &mut own, &mut kids);
        let mut edges = Vec::with_capacity(kids.len());
        let mut low = index;
        for (seg, child) in kids {
            if let Some(c) = self.visit(child, depth + 1) {
                let cn = &self.memo.arena[c as usize];
                if !cn.finished {
                    low = low.min(cn.low);
                }
                edges.push((seg, c));
            }
        }
        // Properties in name order: the walk is breadth-first and reports a change at
        // the first of its shallowest paths, which must not depend on key order.
        let (base, rev) = (self.base, self.rev);
        edges.sort_by(|a, b| match (a.0, b.0) {
            (Seg::Prop(x), Seg::Prop(y)) => prop_name(base, rev, x).cmp(prop_name(base, rev, y)),
            (Seg::Prop(_), _) => std::cmp::Ordering::Greater,
            (_, Seg::Prop(_)) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Equal,
        });
        let node = &mut self.memo.arena[n as usize];
        node.own = own;
        node.edges = edges;
        node.low = low;
        if low == index {
            self.finalize(n);
        }
        Some(n)
    }

    /// Pops the strongly connected component rooted at `n` and decides, for all its
    /// members at once, whether their subtrees hold any change.
    fn finalize(&mut self, n: u32) {
        let arena = &mut self.memo.arena;
        let pos = self
            .memo
            .stack
            .iter()
            .rposition(|&x| x == n)
            .unwrap_or(self.memo.stack.len());
        let members = self.memo.stack.split_off(pos);
        let nonempty = members.iter().any(|&m| {
            let node = &arena[m as usize];
            !node.own.is_empty()
                || node.edges.iter().any(|&(_, c)| {
                    let c = &arena[c as usize];
                    c.finished && c.nonempty
                })
        });
        for &m in &members {
            let node = &mut arena[m as usize];
            node.finished = true;
            node.nonempty = nonempty;
        }
        for &m in &members {
            let edges = std::mem::take(&mut arena[m as usize].edges);
            let kept = edges
                .into_iter()
                .filter(|&(_, c)| arena[c as usize].nonempty)
                .collect();
            arena[m as usize].edges = kept;
        }
    }
}
