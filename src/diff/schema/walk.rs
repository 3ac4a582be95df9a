//! Instantiation: a walk of the pair graph from one site's root pair, building the
//! property path and turning every relative change into a rule (`resolve`) with the
//! site's args. Breadth-first, so a change is met first at its shallowest path; a pair
//! is expanded at most `MAX_PATHS_PER_PAIR` times per site and never inside itself
//! (cycles); the walk counts component hops (see the module doc of `schema`) and
//! records where the limit stops it, for `components`. A path on the way to a watched
//! one (a consumed field) escapes all three bounds and the site's caps on steps and
//! changes: it is walked once per (pair, path), so a contract's fields are judged at
//! their own paths however often their component recurs in the site.
//!
//! A change inside a sub-schema that is not a part of the value (`Seg::Inner`: `not`,
//! `if`, `contains`, `propertyNames`, `contentSchema`) is reported at the path where
//! the walk entered it, as the keyword's aggregated kind (`not-widened`,
//! `contains-narrowed`, `if-changed`), by its effect on what the parent accepts (`not`
//! flips it), with the inner change in words as its detail.
//!
//! Must not: compare schemas (the graph holds every relative change), or do I/O.

use super::graph::{Memo, OVERLAID, PropAction, PropRef, REQUIRED, Rel, Seg, What, prop_name};
use super::kinds::{self, Effect, Kind};
use super::life::{self, Life};
use super::resolve;
use super::{
    Dir, MAX_PATHS_PER_PAIR, MAX_SITE_CHANGES, MAX_WALK_DEPTH, MAX_WALK_STEPS, Part, Site,
};
use crate::diff::rules::Rule;
use crate::model::keyword::{Compare, Enter, Kw};
use crate::model::{Api, Pointer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A change found by a walk: its rule, args and pointers.
pub(super) type Out = (&'static Rule, Vec<String>, Option<Pointer>, Option<Pointer>);

/// What a walk instantiates changes for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ctx<'s> {
    /// One use site of an operation: the site's rules and context args.
    Site(Site<'s>),
    /// A component in section `components`: the property rules of the direction, no
    /// context args, and only pairs no site walked within the hop limit.
    Component(Dir),
}

/// The component names of a pair for hop counting: the `$ref` names of base and
/// revision. Entering a pair is a hop when it names a component that neither side of
/// the current pair names: a test on the set of names, so that swapping the sides
/// keeps which steps are hops (a direction-independent walk), and a wrapper inline on
/// one side only (`anyOf: [$ref: X, null]` against `$ref: X`) costs no extra hop.
pub(super) type Names<'a> = (Option<&'a str>, Option<&'a str>);

pub(super) fn pair_names<'a>(memo: &Memo, base: &'a Api, rev: &'a Api, node: u32) -> Names<'a> {
    let k = memo.arena[node as usize].key;
    (
        base.schema(k.base).ref_name.as_deref(),
        rev.schema(k.rev).ref_name.as_deref(),
    )
}

/// Does entering a pair named `next` from a pair named `here` leave the component?
fn is_hop(here: Names<'_>, next: Names<'_>) -> bool {
    [next.0, next.1]
        .into_iter()
        .flatten()
        .any(|n| Some(n) != here.0 && Some(n) != here.1)
}

/// True when `prefix` is `path` or an ancestor of it on a step boundary (the empty
/// path is the root, an ancestor of every path).
fn leads_to(prefix: &str, path: &str) -> bool {
    prefix.is_empty()
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// Where a walk entry sits inside sub-schemas that are not a part of the value: the
/// outermost such keyword, the path length where it was entered, whether an odd number
/// of `not`s lies between, and whether an `if` does (the effect cannot be told).
#[derive(Debug, Clone, Copy)]
struct Inside {
    kw: Kw,
    at: usize,
    flip: bool,
    opaque: bool,
}

pub(super) struct Walk<'a, 's> {
    pub memo: &'a Memo,
    pub base: &'a Api,
    pub rev: &'a Api,
    pub ctx: Ctx<'s>,
    pub life: Life<'a>,
    /// Most component hops walked (`None`: unlimited).
    pub limit: Option<u32>,
    /// Paths at which entering the first component costs no hop (the body, its item).
    pub free: Vec<String>,
    /// Paths walked whatever the hops (and the paths on the way to them).
    pub watched: &'a [String],
    pub seen: HashSet<(&'static str, Vec<String>)>,
    /// The entry being walked leads to a watched path: the site's caps on steps and
    /// changes do not apply to it (a consumed field is judged at its own path, however
    /// much else the site holds).
    forced: bool,
    pub out: Vec<Out>,
    /// Pairs (and which of their changes) walked within the limit.
    pub reached: Vec<(u32, Part)>,
    /// Component pairs met one hop beyond the limit (each once).
    pub boundaries: Vec<u32>,
}

impl<'a> Walk<'a, '_> {
    pub fn new(
        memo: &'a Memo,
        (base, rev): (&'a Api, &'a Api),
        ctx: Ctx<'a>,
        life: Life<'a>,
        limit: Option<u32>,
        free: Vec<String>,
        watched: &'a [String],
    ) -> Walk<'a, 'a> {
        Walk {
            memo,
            base,
            rev,
            ctx,
            life,
            limit,
            free,
            watched,
            seen: HashSet::default(),
            forced: false,
            out: Vec::new(),
            reached: Vec::new(),
            boundaries: Vec::new(),
        }
    }

    fn prop_name(&self, p: PropRef) -> &'a str {
        prop_name(self.base, self.rev, p)
    }

    /// Does `path` lead to (is it, or an ancestor of) a watched path?
    fn watches(&self, path: &str) -> bool {
        self.watched.iter().any(|w| leads_to(path, w))
    }

    fn within(&self, hops: u32) -> bool {
        self.limit.is_none_or(|l| hops <= l)
    }

    /// Breadth-first from `root`, so every change is met first at its shallowest path;
    /// a pair is expanded at most `MAX_PATHS_PER_PAIR` times per site and never inside
    /// itself (cycles). Entering a named component different from the current one is a
    /// hop; pairs beyond the hop limit are not walked (unless watched) and the
    /// component pairs where the limit is crossed are kept in `boundaries`.
    ///
    /// An overlay pair (a `$ref` with siblings on either side) splits: its
    /// [`Part::Beside`] changes are judged at the hops of the pair that holds the
    /// `$ref`, as an inline schema would be, and its [`Part::Target`] changes and its
    /// children at the hops of the component it names. So an overlay one hop beyond the
    /// limit still has its beside changes instantiated here (its children are left to
    /// `components::finish`, which walks it as a component without them), and a
    /// component walk's root never reports them (they belong to whoever entered it).
    pub fn run(&mut self, root: u32) {
        /// Which changes and edges of an entry's pair are walked.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Parts {
            /// Every change and edge.
            All,
            /// Only the [`Part::Beside`] changes (the pair is beyond the limit).
            Beside,
            /// Every change but [`Part::Beside`] and every edge (a component's root).
            Target,
        }
        struct Entry<'n> {
            node: u32,
            parent: u32,
            depth: u32,
            path: String,
            comp: Names<'n>,
            hops: u32,
            /// Hops of the pair holding the `$ref`, where [`Part::Beside`] changes are
            /// judged.
            outer: u32,
            parts: Parts,
            inside: Option<Inside>,
        }
        let mut entries = vec![Entry {
            node: root,
            parent: u32::MAX,
            depth: 0,
            path: String::new(),
            comp: pair_names(self.memo, self.base, self.rev, root),
            hops: 0,
            outer: 0,
            parts: match self.ctx {
                Ctx::Site(_) => Parts::All,
                Ctx::Component(_) => Parts::Target,
            },
            inside: None,
        }];
        let mut visits: HashMap<u32, usize> = HashMap::default();
        visits.insert(root, 1);
        let mut crossed: HashSet<u32> = HashSet::default();
        let mut watched_at: HashSet<(u32, String)> = HashSet::default();
        let mut at = 0;
        while at < entries.len() {
            // Past the site's caps only the entries on the way to a watched path go on.
            let capped = at >= MAX_WALK_STEPS || self.out.len() >= MAX_SITE_CHANGES;
            self.forced = self.watches(&entries[at].path);
            if capped && !self.forced {
                if self.watched.is_empty() {
                    break;
                }
                at += 1;
                continue;
            }
            let here = entries[at].node;
            let node = &self.memo.arena[here as usize];
            let parts = entries[at].parts;
            let within = parts != Parts::Beside && self.within(entries[at].hops);
            let beside = parts != Parts::Target
                && node.own.iter().any(|r| r.flags & OVERLAID != 0)
                && self.within(entries[at].outer);
            let (skip_target, skip_beside) = match self.ctx {
                Ctx::Site(_) => {
                    if within {
                        self.reached.push((here, Part::Target));
                    }
                    if beside {
                        self.reached.push((here, Part::Beside));
                    }
                    (false, false)
                }
                Ctx::Component(dir) => (
                    self.memo.reached.contains(&(here, dir, Part::Target)),
                    self.memo.reached.contains(&(here, dir, Part::Beside)),
                ),
            };
            for r in &node.own {
                let skip = if r.flags & OVERLAID != 0 {
                    parts == Parts::Target || skip_beside
                } else {
                    parts == Parts::Beside || skip_target
                };
                if !skip {
                    self.instantiate(r, &entries[at].path, entries[at].inside);
                }
            }
            let depth = entries[at].depth + 1;
            if parts != Parts::Beside && depth as usize <= MAX_WALK_DEPTH {
                for &(seg, c) in &node.edges {
                    // Not inside itself: walk the ancestors of this entry.
                    let mut k = at as u32;
                    let mut cyclic = false;
                    while k != u32::MAX {
                        if entries[k as usize].node == c {
                            cyclic = true;
                            break;
                        }
                        k = entries[k as usize].parent;
                    }
                    if cyclic {
                        continue;
                    }
                    let e = &entries[at];
                    let mut path = e.path.clone();
                    let mut inside = e.inside;
                    match seg {
                        Seg::Same | Seg::Merged => {}
                        Seg::Prop(p) => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(self.prop_name(p));
                        }
                        Seg::Items => path.push_str("[]"),
                        Seg::Additional => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push('*');
                        }
                        Seg::Inner(kw) => {
                            let enter = match kw.row().compare {
                                Compare::Sub { enter, .. } => enter,
                                _ => Enter::Opaque,
                            };
                            let i = inside.get_or_insert(Inside {
                                kw,
                                at: path.len(),
                                flip: false,
                                opaque: false,
                            });
                            i.flip ^= enter == Enter::Flipped;
                            i.opaque |= enter == Enter::Opaque;
                        }
                    }
                    // A pair is walked at its first few paths, and at every path on
                    // the way to a watched one.
                    let watched = self.watches(&path);
                    if watched {
                        // Once per pair and path: no fan-out through branches that
                        // lead to the same pair at the same path.
                        if !watched_at.insert((c, path.clone())) {
                            continue;
                        }
                    } else if capped || visits.get(&c).is_some_and(|&n| n >= MAX_PATHS_PER_PAIR) {
                        continue;
                    }
                    let names = match seg {
                        Seg::Merged => (None, None),
                        _ => pair_names(self.memo, self.base, self.rev, c),
                    };
                    let (comp, hops) = if names == (None, None) {
                        (e.comp, e.hops)
                    } else if !is_hop(e.comp, names) {
                        (names, e.hops)
                    } else if e.hops == 0 && self.free.contains(&path) {
                        (names, 0)
                    } else {
                        (names, e.hops + 1)
                    };
                    let outer = e.hops;
                    let mut parts = Parts::All;
                    if !self.within(hops) {
                        if within && crossed.insert(c) {
                            self.boundaries.push(c);
                        }
                        if !watched {
                            let child = &self.memo.arena[c as usize];
                            if !(within && child.own.iter().any(|r| r.flags & OVERLAID != 0)) {
                                continue;
                            }
                            parts = Parts::Beside;
                        }
                    }
                    *visits.entry(c).or_insert(0) += 1;
                    entries.push(Entry {
                        node: c,
                        parent: at as u32,
                        depth,
                        path,
                        comp,
                        hops,
                        outer,
                        parts,
                        inside,
                    });
                }
            }
            at += 1;
        }
    }

    /// Turns one relative change met at `path` into its rules.
    fn instantiate(&mut self, r: &Rel, path: &str, inside: Option<Inside>) {
        let full = match r.prop {
            Some(p) => {
                let name = self.prop_name(p);
                if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                }
            }
            None => path.to_string(),
        };
        let site = match self.ctx {
            Ctx::Site(site) => site,
            Ctx::Component(dir) => dir.pseudo_site(),
        };
        // The kinds this change is, with their details (a lifecycle change is judged
        // at this site; a property action is no kind).
        let judged: Vec<(Option<Kind>, Vec<String>)> = match r.what {
            What::Keyword(k) => vec![(Some(k), r.details.clone())],
            What::Property(_) => vec![(None, r.details.clone())],
            What::Lifecycle => life::judge(r, &self.life)
                .into_iter()
                .map(|(k, d)| (Some(k), d))
                .collect(),
        };
        for (kind, details) in judged {
            if let Some(i) = inside {
                // Reported where the walk entered the sub-schema, as its aggregated kind.
                let outer = &full[..i.at.min(full.len())];
                let rest = full[i.at.min(full.len())..].trim_start_matches('.');
                let (effect, what) = match (kind, r.what) {
                    (Some(k), _) => (k.effect, k.suffix.to_string()),
                    (None, What::Property(a)) => (
                        property_effect(a, r.flags),
                        format!("property-{}", a.as_str()),
                    ),
                    (None, _) => (Effect::Changes, String::new()),
                };
                let effect = match (i.opaque, i.flip) {
                    (true, _) => Effect::Changes,
                    (false, true) => effect.flipped(),
                    (false, false) => effect,
                };
                let Compare::Sub { inner, .. } = i.kw.row().compare else {
                    continue;
                };
                let agg = kinds::pick(inner, effect);
                let mut words = what;
                if !rest.is_empty() {
                    words.push_str(&format!(" at '{rest}'"));
                }
                if !details.is_empty() {
                    words.push_str(&format!(" ({})", details.join(", ")));
                }
                let at_root = outer.is_empty() && matches!(self.ctx, Ctx::Site(_));
                let rule = resolve::keyword(site, at_root, agg, r.flags);
                self.push(rule, outer.to_string(), at_root, vec![words], r);
                continue;
            }
            let at_root = full.is_empty() && r.prop.is_none() && matches!(self.ctx, Ctx::Site(_));
            let rule = resolve::of(site, at_root, r, kind);
            self.push(rule, full.clone(), at_root, details, r);
        }
    }

    /// Records one change of `rule` at `path`: args are the path (unless at the root),
    /// `details`, then the site context.
    fn push(
        &mut self,
        rule: &'static Rule,
        path: String,
        at_root: bool,
        details: Vec<String>,
        r: &Rel,
    ) {
        let mut args = Vec::with_capacity(details.len() + 3);
        if !at_root {
            args.push(path);
        }
        args.extend(details);
        if let Ctx::Site(site) = self.ctx {
            match site {
                Site::RequestBody { media_type } => args.push(media_type.to_string()),
                Site::ResponseBody { status, media_type } => {
                    args.push(status.to_string());
                    args.push(media_type.to_string());
                }
                Site::Parameter { location, name, .. } => {
                    args.push(location.as_str().to_string());
                    args.push(name.to_string());
                }
                Site::ResponseHeader { status, name } => {
                    args.push(name.to_string());
                    args.push(status.to_string());
                }
            }
        }
        if (self.out.len() < MAX_SITE_CHANGES || self.forced)
            && self.seen.insert((rule.id, args.clone()))
        {
            self.out
                .push((rule, args, r.base_ptr.clone(), r.rev_ptr.clone()));
        }
    }
}

/// What a property action does to the values its object accepts (for a change inside
/// a sub-schema such as `not`, judged through its parent).
fn property_effect(a: PropAction, flags: u16) -> Effect {
    match a {
        PropAction::Added if flags & REQUIRED != 0 => Effect::Narrows,
        PropAction::Added => Effect::Neutral,
        PropAction::Removed | PropAction::BecameOptional => Effect::Widens,
        PropAction::BecameRequired => Effect::Narrows,
        _ => Effect::Changes,
    }
}
