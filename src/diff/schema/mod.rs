//! The direction-aware schema comparator: every schema-level rule of request bodies and
//! their properties, response bodies and their properties, parameter schemas (and the
//! properties of object-typed parameters) and response header schemas.
//!
//! Must not: walk operations, parameters or responses (the callers in `params` and
//! `responses` do, and call [`compare`] once per schema site), do I/O or render.
//!
//! # How a comparison runs
//!
//! 1. **Build (once per schema pair, `graph`, `compare`, `props`, `unions`).** A pair
//!    `(base id, revision id, mode)` becomes a node of a graph kept in [`Memo`]: the node
//!    holds the changes of the pair itself ("relative" changes: a `kinds::Kind` such as
//!    `enum-value-added` with its effect on the accepted values, or a property action;
//!    their details and pointers; never a rule id, an operation or a property path) and
//!    edges to the child pairs (properties, `items`, `additionalProperties`, matched
//!    `oneOf`/`anyOf`/`allOf` branches, and every sub-schema keyword of the keyword
//!    table: `not`, `if`/`then`/`else`, `contains`, `prefixItems`, `propertyNames`,
//!    `patternProperties`, `dependentSchemas`, `unevaluated*`, `contentSchema`). The node does not depend on who asked for it, so a component shared by
//!    a thousand operations is compared once, whatever the direction: the direction is
//!    applied only when a change is instantiated. A child pair already on the build stack
//!    (a cycle) is linked, not re-entered; strongly connected components are finalized
//!    together (Tarjan) so "does this subtree hold any change" is exact, and edges to
//!    change-free subtrees are dropped. Nothing computed depends on visiting order.
//! 2. **Instantiate (once per use site, `walk`, `resolve`).** From the root pair, walk
//!    the edges of subtrees that hold changes, building the property path, and turn
//!    every relative change into a rule with the site's prefix (`request-body-`, `request-property-`,
//!    `response-body-`, `response-property-`, `request-parameter-`,
//!    `request-parameter-property-`, `request-header-property-`, `response-header-`, and
//!    the qualified forms such as `request-read-only-property-`). A pair already on the
//!    walk path is not re-entered (cycles), the walk is breadth-first so a change is met
//!    first at its shallowest path, and a pair is reported at no more than 4 paths per
//!    site (a component reached through many paths would otherwise multiply its changes
//!    by every path to it). The walk stops at the hop limit (below), is bounded in depth
//!    (48 steps of path) and in work per site (10 000 nodes, 1 000 changes), and the
//!    build in recursion depth (256 nested pairs; only a chain that deep could make a
//!    result depend on visiting order).
//! 3. **Components (once per comparison, [`finish`], `components`).** What no site
//!    reached within the hop limit is reported once per component.
//!
//! Every relative change has a rule at every site: the vocabulary's where it has one,
//! else one of ours, hand-written or generated from the (site family × kind) grid
//! (`catalog`), at the level its direction and effect give (a request that accepts
//! less, or a response that can return more, is ERR). `resolve` proves it in its tests.
//!
//! # Component hops
//!
//! Large APIs nest their objects: in Stripe's spec every response reaches most of the
//! schema graph through expandable objects, so per-site reporting alone repeats each
//! change of a shared component at every operation (715 027 changes for one pair).
//! A walk therefore counts **hops**: entering a pair that names (`ref_name`, on either
//! side) a component that neither side of the current pair names; a test on the set of
//! names, so that the same steps are hops in both directions. Free are:
//! the site's root component, and the first component entered at the body itself
//! (through a `oneOf`/null wrapper), at its array item (`[]`) or at the items of the
//! one array property of an object body on either side (`data[]` of
//! `{data: [...], has_more}`), the "item" of the consumes contract; `allOf` branches
//! are part of the same instance and never a hop. A site walks pairs up to `DiffOptions::max_ref_hops` hops (default
//! `DEFAULT_MAX_REF_HOPS`; 0 = unlimited): with 2,
//! GitHub's `parent.owner.login` (repository → simple-user) is still reported at every
//! operation returning a full repository.
//!
//! Where a walk would make one hop too many it records the component pair it stops at
//! (per direction, with the operation). [`finish`] then walks each such component
//! inside itself (hop limit 0; the components it enters are walked in turn, each
//! (pair, direction) once) and reports, in section `components`, every change of a pair
//! that **no site walked within the limit in that direction**: once per (component,
//! rule, component-relative path, direction); `path` is `#/components/schemas/<Name>`
//! (`#/definitions/<Name>` for Swagger 2), no operation, args `[relative path (empty
//! for the component itself), details...]` with no site context, the rule the
//! direction's body property form (`request-property-*`, `response-property-*`,
//! `response-optional-property-added`...), and the text names the component and how
//! many operations reach it deeper than the limit (a count: ops reaching a component
//! reach everything it contains). Fingerprints depend on rule, path and args only.
//!
//! **Overlays.** A `$ref` with keywords beside it (`{$ref: X, nullable: true}`, read
//! by `spec` as a copy of X with those keywords on top, `SchemaExtra::overlay_of`)
//! names X, so entering it is a hop into X as for a plain `$ref`. But a change of a
//! keyword written beside the `$ref` (its `nullable` or `default` differing from X's
//! on either side: flag `OVERLAID`) was written at the referring property: it is
//! judged at the hops of the pair holding the `$ref`, exactly as if the property were
//! inline, so beyond the limit it lands in the referring component at the property's
//! relative path (`Group`, `owner`), not in X as "the component itself". The
//! overlay's other changes (X's own keywords) and its children stay with X. A walk
//! therefore keeps, per entry, the hops of the parent (`outer`), instantiates an
//! overlay one hop beyond the limit for its `OVERLAID` changes only, and `reached`
//! records the two parts of a pair (`Part`) separately; a component walk's root never
//! reports its `OVERLAID` changes (they belong to whoever entered it).
//!
//! **Watched paths** (`DiffOptions::watched`, a resolved consumes contract) are the
//! exception: at a response-body site of a watched operation, an edge beyond the limit
//! is still walked when its path leads to a watched path (is it or an ancestor of it),
//! so a consumed field and its ancestors are judged per operation at any depth. Such
//! walks neither mark pairs as reached nor hide anything from section `components`: the
//! rest of the output is the same with or without a contract.
//!
//! **Bounds.** Per site the caps above stay (4 paths per pair, 10 000 steps, 1 000
//! changes), and the hop limit keeps a site's walk inside a few components. Section
//! `components` holds each relative change at most 4 times per (component,
//! direction), so its size is linear in the size of the pair graph, whatever the
//! number of operations.
//!
//! # Property paths (shared with the consumes contract of `impact`)
//!
//! Dotted, rooted at the schema of the site (the body, the parameter, the header):
//! `profile.login`; `[]` steps into array items: `roles[].name`, for an array body
//! `[].id`, for a wrapper `data[].id`; `*` steps into `additionalProperties`
//! (`labels.*`). `allOf`/`oneOf`/`anyOf` branches add no step: a property reached through
//! a branch has the same path as a direct one. A change of the site's schema itself has
//! no path and uses the body/parameter/header rule; any other uses the property rule.
//!
//! # Args
//!
//! `[property path (property rules only), details (values, old/new bounds...), context]`
//! where the context is `[media type]` for request bodies, `[status, media type]` for
//! response bodies, `[location, name]` for parameters and `[header name, status]` for
//! response headers (the order `responses` uses for its header rules). Templates are in `catalog`.
//!
//! # Property lifecycle
//!
//! Deprecation, `x-sunset` and `x-stability-level` of a property present on both sides
//! are stored raw in the pair graph (one `LIFECYCLE` change) and judged per site,
//! because the rule depends on the site's operation (a property without its own
//! `x-stability-level` has its operation's, as parameters do) and on the
//! deprecation-days policy and today's date in `DiffOptions`; in section `components`
//! there is no operation and the level is stable. Only body properties have such rules.
//!
//! # Composition
//!
//! Properties of `allOf` branches are merged with the schema's own (and `required` is
//! the union), so a property moved into an `allOf` is not reported as removed; matched
//! `allOf` branches are then compared without their properties. `oneOf`/`anyOf` branches
//! are matched by `$ref` name, then inline by shallow equality, then by `title`, then by
//! discriminator value, then by structure, never by position (`unions`). Transitions:
//! wrapping a schema in `oneOf`/`anyOf: [{type: null}, X]` is `*-became-nullable` (then
//! X is compared); one schema becoming a union (or the reverse) is a union of one
//! against the other: the matched branch is compared, the others are `*-one-of-added`
//! (`*-body-wrapped-in-one-of` at a body) or `*-any-of-added`, and unions of bare types
//! are type-list changes; `oneOf` ↔ `anyOf` is `*-union-keyword-changed` (INFO) when no
//! value can match two branches, else a widening or narrowing.
//!
//! # Sub-schema keywords
//!
//! `then`, `else` and `dependentSchemas` entries are part of the same instance: their
//! changes are reported with their own rules at the same path. `prefixItems` entries
//! and `unevaluatedItems` are items (`[]`), `patternProperties` and
//! `unevaluatedProperties` values are `*`. A change inside `not`, `if`, `contains`,
//! `propertyNames` or `contentSchema` is reported where the keyword is, as
//! `*-not-widened`, `*-contains-narrowed`, `*-if-changed`..., by its effect on what the
//! parent accepts (`not` flips it; `if` is always `-changed`), the inner change in
//! words as its detail.
//!
//! # Softened type and pattern changes
//!
//! A `type-changed` between a scalar and a plain `string` carries `TO_TEXT` or
//! `FROM_TEXT`; the site decides whether it becomes `*-type-compatible`
//! (`resolve::text_tolerated`: a text media type, a response header, or a parameter
//! sent as text, in the direction where no value is lost). At a parameter, a scalar
//! becoming an array of it is `request-parameter-type-generalized`: every style
//! serializes one value exactly as an array of one. A replaced pattern is `pattern-generalized` when `pattern` proves
//! the new one accepts everything the old one did; sites without such an id report it
//! as `pattern-changed`.

mod catalog;
mod compare;
mod components;
mod graph;
mod kinds;
mod life;
mod pattern;
mod props;
mod resolve;
mod unions;
mod walk;

pub use catalog::{RULES, generated_rules};
pub use components::finish;
pub use graph::Memo;
pub use resolve::is_text_media_type;

use super::{Emitter, Scope};
use crate::model::{Api, OpKey, ParamIn, Pointer, SchemaId, Type};
use graph::Side;
use indexmap::IndexMap;
use life::Life;
use walk::{Ctx, Walk};

/// Deepest chain of schema pairs built in one recursion (deeper pairs are not compared).
const MAX_BUILD_DEPTH: usize = 256;
/// Deepest property path instantiated at one site.
const MAX_WALK_DEPTH: usize = 48;
/// Most graph steps one site may walk (bounds pathological fan-out).
const MAX_WALK_STEPS: usize = 10_000;
/// Most changes one site may report (a shared change reached by more paths is cut).
const MAX_SITE_CHANGES: usize = 1_000;
/// Most property paths one schema pair is reported at per site (the shallowest first):
/// a component reached through many paths (Stripe's expandable objects) would
/// otherwise multiply its changes by every path to it.
const MAX_PATHS_PER_PAIR: usize = 4;
/// Deepest `allOf` nesting merged for property existence.
const MAX_ALLOF_DEPTH: usize = 16;

/// Which relative changes of a pair: an overlay pair's [`OVERLAID`] changes (of the
/// keywords written beside its `$ref`) are judged where the `$ref` is written, as if
/// the property were inline; all its other changes, like those of any pair, belong to
/// the component it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Target,
    Beside,
}

/// Which way data flows at a site: decides `request-property-*` or
/// `response-property-*` for changes reported in section `components`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    /// The site whose property rules a component change of this direction uses.
    fn pseudo_site(self) -> Site<'static> {
        match self {
            Dir::Request => Site::RequestBody { media_type: "" },
            Dir::Response => Site::ResponseBody {
                status: "",
                media_type: "",
            },
        }
    }
}

/// Where a compared schema sits: decides the rule-id prefix (`request-body-`,
/// `request-property-`, `response-body-`, `response-property-`, `request-parameter-`,
/// `response-header-`, ...) and the direction.
#[derive(Debug, Clone, Copy)]
pub enum Site<'a> {
    RequestBody {
        media_type: &'a str,
    },
    ResponseBody {
        status: &'a str,
        media_type: &'a str,
    },
    Parameter {
        location: ParamIn,
        name: &'a str,
        /// Its values travel as text (every parameter but one described by a JSON
        /// `content`), so `1` and `"1"` are the same value.
        text: bool,
    },
    ResponseHeader {
        status: &'a str,
        name: &'a str,
    },
}

impl Site<'_> {
    fn dir(&self) -> Dir {
        match self {
            Site::RequestBody { .. } | Site::Parameter { .. } => Dir::Request,
            Site::ResponseBody { .. } | Site::ResponseHeader { .. } => Dir::Response,
        }
    }
}

/// Compares the schema `base` (in `em.base`) with `rev` (in `em.rev`) at `site` of the
/// operation in `scope`, emitting every schema-level change within the hop limit (and
/// every one on the way to a watched path); changes beyond it are left to [`finish`].
pub fn compare(em: &mut Emitter<'_>, scope: &Scope, site: Site<'_>, base: SchemaId, rev: SchemaId) {
    let (base_api, rev_api, opts) = (em.base, em.rev, em.opts);
    let root = graph::Builder {
        base: base_api,
        rev: rev_api,
        memo: &mut em.schema_memo,
    }
    .visit(graph::Key { base, rev, mode: 0 }, 0);
    let Some(root) = root else { return };
    if !em.schema_memo.arena[root as usize].nonempty {
        return;
    }
    let dir = site.dir();
    let watched: &[String] = match (site, scope.operation, scope.path.as_deref()) {
        (Site::ResponseBody { .. }, Some(m), Some(p)) if !opts.watched.is_empty() => opts
            .watched
            .get(&OpKey::new(m, p))
            .map(Vec::as_slice)
            .unwrap_or(&[]),
        _ => &[],
    };
    // Entering the first component at the body or at its item is free.
    let mut free = vec![String::new(), "[]".to_string()];
    // Either side's wrapper: what is free must not depend on the direction.
    for w in [wrapper_array(base_api, base), wrapper_array(rev_api, rev)]
        .into_iter()
        .flatten()
    {
        if !free.iter().any(|f| f == w) {
            free.push(format!("{w}[]"));
            free.push(w.to_string());
        }
    }
    fn op_stability<'x>(api: &'x Api, scope: &Scope) -> Option<&'x str> {
        let key = OpKey::new(scope.operation?, scope.path.as_deref()?);
        api.operations.get(&key)?.stability.as_deref()
    }
    let life = Life {
        base_op: op_stability(base_api, scope),
        rev_op: op_stability(rev_api, scope),
        opts,
    };
    let mut walk = Walk::new(
        &em.schema_memo,
        (base_api, rev_api),
        Ctx::Site(site),
        life,
        (opts.max_ref_hops > 0).then_some(opts.max_ref_hops),
        free,
        watched,
    );
    walk.run(root);
    let Walk {
        out,
        reached,
        boundaries,
        ..
    } = walk;
    let memo = &mut em.schema_memo;
    if !boundaries.is_empty() {
        let op = memo.op_index(scope);
        for b in boundaries {
            memo.deep.entry((b, dir)).or_default().insert(op);
        }
    }
    memo.reached
        .extend(reached.into_iter().map(|(n, part)| (n, dir, part)));
    for (rule, args, bp, rp) in out {
        em.emit(scope, rule, args, bp, rp);
    }
}

/// The one array property of an object body (`data` of `{data: [...], has_more}`), the
/// wrapper whose items are "the item" of a list response.
fn wrapper_array(api: &Api, root: SchemaId) -> Option<&str> {
    let s = api.schema(root);
    if s.items.is_some() || s.types.contains(&Type::Array) {
        return None;
    }
    let mut props = IndexMap::new();
    props::collect(api, root, Side::Rev, 0, &mut props);
    let mut arrays = props.iter().filter(|(_, (id, _))| {
        let p = api.schema(*id);
        p.items.is_some() || p.types.contains(&Type::Array)
    });
    match (arrays.next(), arrays.next()) {
        (Some((name, _)), None) => Some(name),
        _ => None,
    }
}

/// Pointers of the two schemas, for changes that concern the schema as a whole.
pub fn pointers(em: &Emitter<'_>, base: SchemaId, rev: SchemaId) -> (Pointer, Pointer) {
    (
        em.base.schema(base).pointer.clone(),
        em.rev.schema(rev).pointer.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, DiffOptions, Level};
    use crate::model::{Method, Schema};
    use serde_json::Value;

    fn t(ty: Type) -> Schema {
        Schema {
            types: [ty].into(),
            ..Schema::default()
        }
    }

    fn obj(api: &mut Api, props: &[(&str, SchemaId)], required: &[&str]) -> SchemaId {
        api.push_schema(Schema {
            types: [Type::Object].into(),
            properties: props.iter().map(|(n, id)| (n.to_string(), *id)).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            ..Schema::default()
        })
    }

    fn enum_of(values: &[&str]) -> Schema {
        Schema {
            enum_values: Some(values.iter().map(|v| Value::from(*v)).collect()),
            ..t(Type::String)
        }
    }

    fn scope(path: &str) -> Scope {
        Scope {
            operation: Some(Method::Get),
            path: Some(path.to_string()),
            ..Scope::default()
        }
    }

    const RESP: Site<'static> = Site::ResponseBody {
        status: "200",
        media_type: "application/json",
    };
    const REQ: Site<'static> = Site::RequestBody {
        media_type: "application/json",
    };

    /// Runs one comparison and returns `(id, level, args)` of every change.
    fn run(
        base: &Api,
        rev: &Api,
        site: Site<'_>,
        b: SchemaId,
        r: SchemaId,
    ) -> Vec<(String, Level, Vec<String>)> {
        let opts = DiffOptions::default();
        let mut em = Emitter::new(base, rev, &opts);
        compare(&mut em, &scope("/x"), site, b, r);
        em.changes
            .into_iter()
            .map(|c| (c.id, c.level, c.args))
            .collect()
    }

    fn status_api(values: &[&str]) -> (Api, SchemaId) {
        let mut a = Api::default();
        let st = a.push_schema(enum_of(values));
        let root = obj(&mut a, &[("status", st)], &["status"]);
        (a, root)
    }

    #[test]
    fn response_enum_value_added_is_warn_for_reader_and_removed_is_info() {
        let (b, br) = status_api(&["active"]);
        let (r, rr) = status_api(&["active", "archived"]);
        let got = run(&b, &r, RESP, br, rr);
        let args = vec![
            "status".to_string(),
            "archived".into(),
            "200".into(),
            "application/json".into(),
        ];
        assert_eq!(
            got,
            vec![(
                "response-property-enum-value-added".into(),
                Level::Warn,
                args.clone()
            )]
        );
        let got = run(&r, &b, RESP, rr, br);
        assert_eq!(
            got,
            vec![(
                "response-property-enum-value-removed".into(),
                Level::Info,
                args
            )]
        );
        // The same schemas in a request: removing a value is breaking.
        let got = run(&r, &b, REQ, rr, br);
        assert_eq!(got[0].0, "request-property-enum-value-removed");
        assert_eq!(got[0].1, Level::Err);
        assert_eq!(got[0].2, vec!["status", "archived", "application/json"]);
    }

    #[test]
    fn required_property_removed_from_response_is_err_and_text_names_it() {
        let mut b = Api::default();
        let s1 = b.push_schema(t(Type::String));
        let s2 = b.push_schema(t(Type::String));
        let profile = obj(&mut b, &[("login", s1), ("email", s2)], &["login"]);
        let br = obj(&mut b, &[("profile", profile)], &[]);
        let mut r = Api::default();
        let s2 = r.push_schema(t(Type::String));
        let profile = obj(&mut r, &[("email", s2)], &[]);
        let rr = obj(&mut r, &[("profile", profile)], &[]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/x"), RESP, br, rr);
        assert_eq!(em.changes.len(), 1, "{:#?}", em.changes);
        let c = &em.changes[0];
        assert_eq!(c.id, "response-required-property-removed");
        assert_eq!(c.level, Level::Err);
        assert_eq!(c.args[0], "profile.login");
        assert!(
            c.text.contains("'profile.login'") && c.text.contains("'200' status"),
            "{}",
            c.text
        );
    }

    #[test]
    fn request_new_required_property_and_became_required_are_err() {
        let mut b = Api::default();
        let a1 = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("a", a1)], &[]);
        let mut r = Api::default();
        let a1 = r.push_schema(t(Type::String));
        let n1 = r.push_schema(t(Type::Integer));
        let rr = obj(&mut r, &[("a", a1), ("n", n1)], &["a", "n"]);
        let mut got = run(&b, &r, REQ, br, rr);
        got.sort();
        let ids: Vec<_> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1, g.2[0].as_str()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("new-required-request-property", Level::Err, "n"),
                ("request-property-became-required", Level::Err, "a"),
            ]
        );
        // Reversed: the property is gone and `a` became optional.
        let mut got = run(&r, &b, REQ, rr, br);
        got.sort();
        let ids: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "request-property-became-optional",
                "request-property-removed"
            ]
        );
    }

    #[test]
    fn property_moved_into_all_of_is_not_removed() {
        let mut b = Api::default();
        let id = b.push_schema(t(Type::String));
        let name = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("id", id), ("name", name)], &["id"]);
        let mut r = Api::default();
        let id = r.push_schema(t(Type::String));
        let name = r.push_schema(t(Type::String));
        let mut basis = Schema {
            ref_name: Some("Basis".into()),
            ..t(Type::Object)
        };
        basis.properties.insert("id".into(), id);
        basis.required.insert("id".into());
        let basis = r.push_schema(basis);
        let mut root = t(Type::Object);
        root.properties.insert("name".into(), name);
        root.all_of.push(basis);
        let rr = r.push_schema(root);
        let got = run(&b, &r, RESP, br, rr);
        let ids: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(ids, vec!["response-body-all-of-added"], "{got:#?}");
    }

    #[test]
    fn shared_component_is_compared_once_and_reported_per_site() {
        let (b, br) = status_api(&["a", "b"]);
        let (r, rr) = status_api(&["a"]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/one"), REQ, br, rr);
        let after_first = em.schema_memo.pairs_compared();
        assert!(after_first >= 2);
        compare(&mut em, &scope("/two"), REQ, br, rr);
        compare(&mut em, &scope("/three"), RESP, br, rr);
        assert_eq!(em.schema_memo.pairs_compared(), after_first);
        let got: Vec<_> = em
            .changes
            .iter()
            .map(|c| (c.path.clone().unwrap_or_default(), c.id.as_str(), c.level))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/one".into(),
                    "request-property-enum-value-removed",
                    Level::Err
                ),
                (
                    "/two".into(),
                    "request-property-enum-value-removed",
                    Level::Err
                ),
                (
                    "/three".into(),
                    "response-property-enum-value-removed",
                    Level::Info
                ),
            ]
        );
    }

    /// `Node { name, children: [Node] }`; `name` changes type.
    fn tree(name_type: Type) -> (Api, SchemaId) {
        let mut a = Api::default();
        let name = a.push_schema(t(name_type));
        let node = a.push_schema(Schema::default());
        let children = a.push_schema(Schema {
            items: Some(node),
            ..t(Type::Array)
        });
        let mut n = t(Type::Object);
        n.ref_name = Some("Node".into());
        n.properties.insert("name".into(), name);
        n.properties.insert("children".into(), children);
        a.schemas[node.0 as usize] = n;
        (a, node)
    }

    #[test]
    fn cyclic_schema_change_is_reported_once_at_its_shallowest_path() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::Integer);
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(
            got,
            vec![(
                "response-property-type-changed".to_string(),
                Level::Err,
                vec![
                    "name".into(),
                    "string".into(),
                    "integer".into(),
                    "200".into(),
                    "application/json".into()
                ]
            )]
        );
        // Entered from the array of children first, the result is the same shape.
        let (bc, rc) = (
            b.schema(br).properties["children"],
            r.schema(rr).properties["children"],
        );
        let got = run(&b, &r, RESP, bc, rc);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2[0], "[].name");
    }

    #[test]
    fn memo_results_do_not_depend_on_visiting_order() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::Integer);
        let (bc, rc) = (
            b.schema(br).properties["children"],
            r.schema(rr).properties["children"],
        );
        let opts = DiffOptions::default();
        let mut one = Emitter::new(&b, &r, &opts);
        compare(&mut one, &scope("/a"), RESP, br, rr);
        compare(&mut one, &scope("/b"), RESP, bc, rc);
        let mut two = Emitter::new(&b, &r, &opts);
        compare(&mut two, &scope("/b"), RESP, bc, rc);
        compare(&mut two, &scope("/a"), RESP, br, rr);
        let mut x = one.changes;
        let mut y = two.changes;
        crate::diff::sort_changes(&mut x);
        crate::diff::sort_changes(&mut y);
        assert_eq!(x, y);
    }

    #[test]
    fn wrapping_in_null_one_of_is_only_became_nullable() {
        let mut b = Api::default();
        let br = b.push_schema(enum_of(&["x"]));
        let mut r = Api::default();
        let inner = r.push_schema(enum_of(&["x"]));
        let null = r.push_schema(Schema {
            nullable: true,
            ..Schema::default()
        });
        let rr = r.push_schema(Schema {
            one_of: vec![null, inner],
            ..Schema::default()
        });
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(
            got,
            vec![(
                "response-body-became-nullable".into(),
                Level::Err,
                vec!["200".into(), "application/json".into()]
            )]
        );
    }

    #[test]
    fn array_body_items_use_bracket_paths() {
        let mk = |max: u64| {
            let mut a = Api::default();
            let mut s = t(Type::String);
            s.extra_mut().max_length = Some(max);
            let id = a.push_schema(s);
            let item = obj(&mut a, &[("id", id)], &[]);
            let root = a.push_schema(Schema {
                items: Some(item),
                ..t(Type::Array)
            });
            (a, root)
        };
        let (b, br) = mk(10);
        let (r, rr) = mk(20);
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "response-property-max-length-increased");
        assert_eq!(
            got[0].2[..3],
            ["[].id".to_string(), "10".into(), "20".into()]
        );
        let got = run(&r, &b, REQ, rr, br);
        assert_eq!(got[0].0, "request-property-max-length-decreased");
        assert_eq!(got[0].1, Level::Err);
    }

    #[test]
    fn parameter_and_header_schema_rules() {
        let mut b = Api::default();
        let br = b.push_schema(enum_of(&["asc", "desc"]));
        let mut r = Api::default();
        let rr = r.push_schema(enum_of(&["asc"]));
        let site = Site::Parameter {
            location: ParamIn::Query,
            name: "order",
            text: true,
        };
        let got = run(&b, &r, site, br, rr);
        assert_eq!(
            got,
            vec![(
                "request-parameter-enum-value-removed".into(),
                Level::Err,
                vec!["desc".into(), "query".into(), "order".into()]
            )]
        );

        let mut b = Api::default();
        let br = b.push_schema(t(Type::Integer));
        let mut r = Api::default();
        let rr = r.push_schema(Schema {
            nullable: true,
            ..t(Type::String)
        });
        let site = Site::ResponseHeader {
            status: "200",
            name: "x-rate-limit",
        };
        let mut got = run(&b, &r, site, br, rr);
        got.sort();
        let ids: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.1)).collect();
        assert_eq!(
            ids,
            vec![
                ("response-header-became-nullable", Level::Err),
                ("response-header-type-changed", Level::Err)
            ]
        );
    }

    #[test]
    fn header_parameter_object_property_became_required() {
        let mut b = Api::default();
        let p = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("a", p)], &[]);
        let mut r = Api::default();
        let p = r.push_schema(t(Type::String));
        let rr = obj(&mut r, &[("a", p)], &["a"]);
        let site = Site::Parameter {
            location: ParamIn::Header,
            name: "X-Ctx",
            text: true,
        };
        let got = run(&b, &r, site, br, rr);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "request-header-property-became-required");
        assert_eq!(got[0].2, vec!["a", "header", "X-Ctx"]);
    }

    #[test]
    fn unchanged_schemas_emit_nothing() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::String);
        assert!(run(&b, &r, RESP, br, rr).is_empty());
        assert!(run(&b, &r, REQ, br, rr).is_empty());
    }

    /// 40 levels, each with two properties pointing at the next level: 2^40 paths to the
    /// one change at the bottom. Building is linear and the walk is bounded.
    #[test]
    fn diamond_fan_out_is_bounded() {
        let mk = |leaf: Type| {
            let mut a = Api::default();
            let mut next = a.push_schema(t(leaf));
            for _ in 0..40 {
                next = obj(&mut a, &[("l", next), ("r", next)], &[]);
            }
            (a, next)
        };
        let (b, br) = mk(Type::String);
        let (r, rr) = mk(Type::Integer);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        for i in 0..20 {
            compare(&mut em, &scope(&format!("/p{i}")), RESP, br, rr);
        }
        assert_eq!(em.schema_memo.pairs_compared(), 41);
        assert!(!em.changes.is_empty());
        assert_eq!(em.changes.len(), 20 * MAX_PATHS_PER_PAIR);
        assert!(
            em.changes
                .iter()
                .all(|c| c.args[0].split('.').count() <= MAX_WALK_DEPTH)
        );
    }

    /// `A.b → B.c → C.d → D.e → E`, each a named component; `B.x`, `C.x`, `D.x`
    /// and `E.status` (an enum) are the leaves. Returns the api and every component.
    fn chain(b_x: Type, c_x: Type, d_x: Type, statuses: &[&str]) -> (Api, [SchemaId; 5]) {
        let mut a = Api::default();
        let named = |a: &mut Api, name: &str, props: &[(&str, SchemaId)]| {
            let id = obj(a, props, &[]);
            a.schemas[id.0 as usize].ref_name = Some(name.into());
            a.component_schemas.insert(name.into(), id);
            id
        };
        let st = a.push_schema(enum_of(statuses));
        let e = named(&mut a, "E", &[("status", st)]);
        let x = a.push_schema(t(d_x));
        let d = named(&mut a, "D", &[("e", e), ("x", x)]);
        let x = a.push_schema(t(c_x));
        let c = named(&mut a, "C", &[("d", d), ("x", x)]);
        let x = a.push_schema(t(b_x));
        let b = named(&mut a, "B", &[("c", c), ("x", x)]);
        let root = named(&mut a, "A", &[("b", b)]);
        (a, [root, b, c, d, e])
    }

    fn chain_pair() -> ((Api, [SchemaId; 5]), (Api, [SchemaId; 5])) {
        (
            chain(Type::String, Type::String, Type::String, &["on"]),
            chain(Type::Integer, Type::Integer, Type::Integer, &["on", "off"]),
        )
    }

    /// Runs the sites `(path, index of the root component)` and `finish`.
    fn run_chain(sites: &[(&str, usize)], opts: &DiffOptions) -> Vec<Change> {
        let ((b, bi), (r, ri)) = chain_pair();
        let mut em = Emitter::new(&b, &r, opts);
        for &(path, i) in sites {
            compare(&mut em, &scope(path), RESP, bi[i], ri[i]);
        }
        finish(&mut em);
        let mut out = em.changes;
        crate::diff::sort_changes(&mut out);
        out
    }

    fn summary(changes: &[Change]) -> Vec<(String, String, String)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.path.clone().unwrap_or_default(),
                    c.id.clone(),
                    c.args.first().cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn changes_beyond_the_hop_limit_are_reported_once_per_component() {
        let opts = DiffOptions::default();
        assert_eq!(opts.max_ref_hops, 2);
        let got = run_chain(&[("/one", 0), ("/two", 0)], &opts);
        let s = |p: &str, id: &str, a: &str| (p.to_string(), id.to_string(), a.to_string());
        assert_eq!(
            summary(&got),
            vec![
                s(
                    "#/components/schemas/D",
                    "response-property-type-changed",
                    "x"
                ),
                s(
                    "#/components/schemas/E",
                    "response-property-enum-value-added",
                    "status"
                ),
                s("/one", "response-property-type-changed", "b.c.x"),
                s("/one", "response-property-type-changed", "b.x"),
                s("/two", "response-property-type-changed", "b.c.x"),
                s("/two", "response-property-type-changed", "b.x"),
            ],
            "{got:#?}"
        );
        let e = &got[1];
        assert_eq!(e.section, crate::diff::Section::Components);
        assert_eq!((e.operation, e.level), (None, Level::Warn));
        assert_eq!(e.args, vec!["status", "off"]);
        assert!(
            e.text.contains("component 'E'") && e.text.contains("reached by 2 operations"),
            "{}",
            e.text
        );
        assert_eq!(
            e.fingerprint,
            crate::diff::fingerprint(&e.id, None, e.path.as_deref(), &e.args)
        );

        // A site whose body is C reaches D and E within the limit: they are reported
        // there, so no longer in section components; D.x is still deep from /one.
        let got = run_chain(&[("/one", 0), ("/c", 2)], &opts);
        let paths: Vec<_> = summary(&got);
        assert!(paths.contains(&s("/c", "response-property-enum-value-added", "d.e.status")));
        assert!(paths.contains(&s("/c", "response-property-type-changed", "d.x")));
        assert!(
            got.iter()
                .all(|c| c.section != crate::diff::Section::Components),
            "{got:#?}"
        );

        // Unlimited: everything at every site, nothing in components.
        let all = DiffOptions {
            max_ref_hops: 0,
            ..DiffOptions::default()
        };
        let got = run_chain(&[("/one", 0)], &all);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got.iter().any(|c| c.args[0] == "b.c.d.e.status"));
    }

    #[test]
    fn list_items_and_wrapper_items_cost_no_hop() {
        let ((mut b, bi), (mut r, ri)) = chain_pair();
        // `[A]` and `{data: [A], has_more}`: A is the item, B is still one hop.
        let list = |a: &mut Api, root: SchemaId| {
            let arr = a.push_schema(Schema {
                items: Some(root),
                ..t(Type::Array)
            });
            let more = a.push_schema(t(Type::Boolean));
            let wrap = obj(a, &[("data", arr), ("has_more", more)], &[]);
            (arr, wrap)
        };
        let (barr, bwrap) = list(&mut b, bi[0]);
        let (rarr, rwrap) = list(&mut r, ri[0]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/list"), RESP, barr, rarr);
        compare(&mut em, &scope("/wrap"), RESP, bwrap, rwrap);
        let got: Vec<_> = em.changes.iter().map(|c| c.args[0].as_str()).collect();
        assert_eq!(
            got,
            vec!["[].b.x", "[].b.c.x", "data[].b.x", "data[].b.c.x"]
        );
    }

    #[test]
    fn watched_paths_are_reported_per_operation_at_any_depth() {
        let mut opts = DiffOptions::default();
        opts.watched.insert(
            crate::model::OpKey::new(Method::Get, "/one"),
            vec!["b.c.d.e.status".to_string()],
        );
        let plain = run_chain(&[("/one", 0), ("/two", 0)], &DiffOptions::default());
        let got = run_chain(&[("/one", 0), ("/two", 0)], &opts);
        let extra: Vec<_> = got.iter().filter(|c| !plain.contains(c)).collect();
        // Only what lies on the way to the watched field (not `b.c.d.x`).
        let ids: Vec<_> = extra
            .iter()
            .map(|c| (c.path.as_deref().unwrap_or(""), c.args[0].as_str()))
            .collect();
        assert_eq!(ids, vec![("/one", "b.c.d.e.status")]);
        // Nothing else moves: section components and /two are as without the contract.
        assert!(plain.iter().all(|c| got.contains(c)));
    }

    /// A watched field is judged at its own path even where its pair recurs at more
    /// paths than a site walks (`MAX_PATHS_PER_PAIR`) or the site's caps are spent.
    #[test]
    fn watched_paths_escape_the_per_pair_path_cap() {
        let mk = |x: Type| {
            let mut a = Api::default();
            let leaf = a.push_schema(t(x));
            let u = obj(&mut a, &[("x", leaf)], &[]);
            a.schemas[u.0 as usize].ref_name = Some("U".into());
            a.component_schemas.insert("U".into(), u);
            let names: Vec<String> = (1..=6).map(|i| format!("p{i}")).collect();
            let props: Vec<(&str, SchemaId)> = names.iter().map(|n| (n.as_str(), u)).collect();
            let root = obj(&mut a, &props, &[]);
            (a, root)
        };
        let (b, br) = mk(Type::String);
        let (r, rr) = mk(Type::Integer);
        let run = |opts: &DiffOptions| {
            let mut em = Emitter::new(&b, &r, opts);
            compare(&mut em, &scope("/one"), RESP, br, rr);
            let mut got: Vec<String> = em.changes.iter().map(|c| c.args[0].clone()).collect();
            got.sort();
            got
        };
        let plain = run(&DiffOptions::default());
        assert_eq!(plain.len(), MAX_PATHS_PER_PAIR, "{plain:?}");
        assert!(!plain.contains(&"p6.x".to_string()), "{plain:?}");
        let mut opts = DiffOptions::default();
        opts.watched.insert(
            crate::model::OpKey::new(Method::Get, "/one"),
            vec!["p6.x".to_string()],
        );
        let watched = run(&opts);
        assert!(watched.contains(&"p6.x".to_string()), "{watched:?}");
        assert_eq!(watched.len(), MAX_PATHS_PER_PAIR + 1, "{watched:?}");
    }

    #[test]
    fn component_section_does_not_depend_on_site_order() {
        let opts = DiffOptions::default();
        let a = run_chain(&[("/one", 0), ("/two", 1), ("/three", 0)], &opts);
        let b = run_chain(&[("/three", 0), ("/two", 1), ("/one", 0)], &opts);
        assert_eq!(a, b);
        let c = run_chain(&[("/one", 0), ("/two", 1), ("/three", 0)], &opts);
        assert_eq!(a, c);
        // /two starts at B (C is 1 hop, D 2, E 3): D is within its limit, E is deep
        // everywhere and reached by all three operations (/one and /three through D).
        let comps: Vec<_> = a.iter().filter(|c| c.operation.is_none()).collect();
        assert_eq!(comps.len(), 1, "{a:#?}");
        assert_eq!(comps[0].path.as_deref(), Some("#/components/schemas/E"));
        assert!(
            comps[0].text.contains("reached by 3 operations"),
            "{}",
            comps[0].text
        );
        assert!(a.iter().any(|c| c.args[0] == "c.d.x"));
    }

    #[test]
    fn every_rule_has_a_template_for_its_args() {
        for r in RULES {
            assert!(
                r.template.contains("{0}") || !r.template.contains('{'),
                "{}",
                r.id
            );
        }
    }
}
