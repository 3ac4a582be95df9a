//! Security: requirements of operations and of the whole document (schemes and scopes
//! added or removed), and the `securitySchemes` components (added, removed, type
//! changed, OAuth URLs and scopes). All INFO by default, as oasdiff rates them.
//!
//! A requirement alternative is identified by its set of scheme names; an alternative
//! present on both sides is compared scope by scope. An alternative (or a
//! `securitySchemes` entry) gone on one side and one on the other side that
//! authenticates the same way (`mechanism`: same type, http scheme, API key place and
//! name, OAuth flows with the same URLs, OpenID Connect URL) is a rename
//! (`*-renamed`), not a removal and an addition; their scopes are then compared like
//! those of one alternative. Must not: judge parameters (an API key parameter is a
//! scheme here, not a request parameter).

use super::rules::Rule;
use super::{Emitter, Scope, Section};
use crate::model::{Api, OAuthFlow, Operation, Pointer, SecurityRequirement, SecurityScheme};
use crate::named_rules;
use std::collections::{BTreeMap, BTreeSet};

named_rules! {
    API_SECURITY_ADDED                             oasdiff "api-security-added"                             Info None     existence    add        "an operation's security requirement was added" "endpoint security requirement {0} added";
    API_SECURITY_REMOVED                           oasdiff "api-security-removed"                           Info None     existence    remove     "an operation's security requirement was removed" "endpoint security requirement {0} removed";
    API_SECURITY_SCOPE_ADDED                       oasdiff "api-security-scope-added"                       Info None     existence    add        "a scope was added to an operation's security requirement" "endpoint security scope {1} added to the requirement {0}";
    API_SECURITY_SCOPE_REMOVED                     oasdiff "api-security-scope-removed"                     Info None     existence    remove     "a scope was removed from an operation's security requirement" "endpoint security scope {1} removed from the requirement {0}";
    API_SECURITY_RENAMED                           ours    "api-security-renamed"                           Info None     structure    change     "an operation's security requirement now names other schemes that authenticate the same way (same type, scheme, key place and name, OAuth flows and URLs)" "endpoint security requirement {0} renamed to {1} (same authentication)";
    API_GLOBAL_SECURITY_ADDED                      oasdiff "api-global-security-added"                      Info None     existence    add        "a root security requirement was added" "security requirement {0} added to the API";
    API_GLOBAL_SECURITY_REMOVED                    oasdiff "api-global-security-removed"                    Info None     existence    remove     "a root security requirement was removed" "security requirement {0} removed from the API";
    API_GLOBAL_SECURITY_SCOPE_ADDED                oasdiff "api-global-security-scope-added"                Info None     existence    add        "a scope was added to a root security requirement" "security scope {1} added to the API requirement {0}";
    API_GLOBAL_SECURITY_SCOPE_REMOVED              oasdiff "api-global-security-scope-removed"              Info None     existence    remove     "a scope was removed from a root security requirement" "security scope {1} removed from the API requirement {0}";
    API_GLOBAL_SECURITY_RENAMED                    ours    "api-global-security-renamed"                    Info None     structure    change     "a root security requirement now names other schemes that authenticate the same way" "security requirement {0} of the API renamed to {1} (same authentication)";
    API_SECURITY_COMPONENT_ADDED                   oasdiff "api-security-component-added"                   Info None     existence    add        "a securitySchemes entry was added" "security scheme {0} added";
    API_SECURITY_COMPONENT_REMOVED                 oasdiff "api-security-component-removed"                 Info None     existence    remove     "a securitySchemes entry was removed" "security scheme {0} removed";
    API_SECURITY_COMPONENT_RENAMED                 ours    "api-security-component-renamed"                 Info None     structure    change     "a securitySchemes entry is gone and another one that authenticates the same way appeared" "security scheme {0} renamed to {1} (same authentication)";
    API_SECURITY_COMPONENT_TYPE_CHANGED            oasdiff "api-security-component-type-changed"            Info None     type         change     "a securitySchemes entry changed how a client authenticates (type, http scheme, api key place)" "security scheme {0} changed from {1} to {2}";
    API_SECURITY_COMPONENT_OAUTH_URL_CHANGED       oasdiff "api-security-component-oauth-url-changed"       Info None     values       change     "an OAuth flow's authorizationUrl changed" "authorization url of security scheme {0} flow {1} changed from {2} to {3}";
    API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED oasdiff "api-security-component-oauth-token-url-changed" Info None     values       change     "an OAuth flow's tokenUrl changed" "token url of security scheme {0} flow {1} changed from {2} to {3}";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED       oasdiff "api-security-component-oauth-scope-added"       Info None     existence    add        "a scope was added to an OAuth flow" "scope {2} added to security scheme {0} flow {1}";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED     oasdiff "api-security-component-oauth-scope-removed"     Info None     existence    remove     "a scope was removed from an OAuth flow" "scope {2} removed from security scheme {0} flow {1}";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED     oasdiff "api-security-component-oauth-scope-changed"     Info None     values       change     "the description of an OAuth scope changed" "description of scope {2} of security scheme {0} flow {1} changed";
}

/// Rules of one requirement comparison (operation-level or global).
struct Ids {
    added: &'static Rule,
    removed: &'static Rule,
    renamed: &'static Rule,
    scope_added: &'static Rule,
    scope_removed: &'static Rule,
}

const OP_IDS: Ids = Ids {
    added: &API_SECURITY_ADDED,
    removed: &API_SECURITY_REMOVED,
    renamed: &API_SECURITY_RENAMED,
    scope_added: &API_SECURITY_SCOPE_ADDED,
    scope_removed: &API_SECURITY_SCOPE_REMOVED,
};

const GLOBAL_IDS: Ids = Ids {
    added: &API_GLOBAL_SECURITY_ADDED,
    removed: &API_GLOBAL_SECURITY_REMOVED,
    renamed: &API_GLOBAL_SECURITY_RENAMED,
    scope_added: &API_GLOBAL_SECURITY_SCOPE_ADDED,
    scope_removed: &API_GLOBAL_SECURITY_SCOPE_REMOVED,
};

/// How a client authenticates with a scheme, scopes aside: two schemes with the same
/// mechanism take the same credential, sent the same way. An HTTP scheme name and an
/// API key header name are compared without case (HTTP says they are
/// case-insensitive); descriptions and `bearerFormat` are documentation.
pub fn mechanism(s: &SecurityScheme) -> String {
    let url = |u: &Option<String>| u.as_deref().unwrap_or("").to_string();
    match s.kind.as_str() {
        "http" => format!("http {}", s.scheme.as_deref().unwrap_or("").to_lowercase()),
        "apiKey" => {
            let place = s.api_key_in.as_deref().unwrap_or("");
            let name = s.api_key_name.as_deref().unwrap_or("");
            let name = if place.eq_ignore_ascii_case("header") {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            format!("apiKey in {place} {name}")
        }
        "oauth2" => {
            let flows: Vec<String> = s
                .flows
                .iter()
                .map(|(name, f)| {
                    format!(
                        "{name}({} {} {})",
                        url(&f.authorization_url),
                        url(&f.token_url),
                        url(&f.refresh_url)
                    )
                })
                .collect();
            format!("oauth2 {}", flows.join(" "))
        }
        "openIdConnect" => format!("openIdConnect {}", url(&s.open_id_connect_url)),
        other => other.to_string(),
    }
}

/// The mechanisms of an alternative's schemes with their names, sorted by mechanism
/// then name; `None` when a scheme is not defined in `api` (nothing is known of it).
fn alt_mechanisms(api: &Api, req: &SecurityRequirement) -> Option<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(req.len());
    for name in req.keys() {
        out.push((mechanism(api.security_schemes.get(name)?), name.clone()));
    }
    out.sort();
    Some(out)
}

/// Scheme names paired base → revision.
type SchemePairs = Vec<(String, String)>;

/// Two alternatives whose scopes are compared: the same alternative on both sides, or
/// a renamed one (then `schemes` pairs differently named schemes).
struct AltPair<'x> {
    base_name: &'x String,
    rev_name: &'x String,
    base: &'x SecurityRequirement,
    rev: &'x SecurityRequirement,
    schemes: SchemePairs,
}

/// Pairs each gone alternative with an appeared one of the same mechanisms (in name
/// order, each used once).
fn pair_renamed<'x>(
    base: &Api,
    rev: &Api,
    gone: &[(&'x String, &'x SecurityRequirement)],
    appeared: &[(&'x String, &'x SecurityRequirement)],
) -> Vec<AltPair<'x>> {
    let appeared: Vec<_> = appeared
        .iter()
        .map(|(n, r)| (*n, *r, alt_mechanisms(rev, r)))
        .collect();
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for (bn, breq) in gone {
        let Some(bm) = alt_mechanisms(base, breq) else {
            continue;
        };
        // A rename: the same mechanism under a new name, the old name gone from the
        // revision's schemes and the new one absent from the base's. When both names
        // exist side by side (an API key and an admin key, both bearer tokens), only
        // the name says which credential is needed: a real change.
        let renamed = |b: &str, r: &str| {
            b == r
                || (!rev.security_schemes.contains_key(b) && !base.security_schemes.contains_key(r))
        };
        let hit = appeared.iter().find(|(rn, _, rm)| {
            !used.contains(*rn)
                && rm.as_ref().is_some_and(|rm| {
                    rm.len() == bm.len()
                        && rm
                            .iter()
                            .zip(&bm)
                            .all(|(a, b)| a.0 == b.0 && renamed(&b.1, &a.1))
                })
        });
        if let Some((rn, rreq, Some(rm))) = hit {
            used.insert(*rn);
            out.push(AltPair {
                base_name: bn,
                rev_name: rn,
                base: breq,
                rev: rreq,
                schemes: bm
                    .iter()
                    .zip(rm)
                    .map(|(b, r)| (b.1.clone(), r.1.clone()))
                    .collect(),
            });
        }
    }
    out
}

/// The name of an alternative: its scheme names joined with ` + ` (sorted); the empty
/// alternative (`{}`, anonymous access allowed) is `anonymous`.
fn alt_name(req: &SecurityRequirement) -> String {
    if req.is_empty() {
        return "anonymous".to_string();
    }
    req.keys().cloned().collect::<Vec<_>>().join(" + ")
}

fn compare_reqs(
    em: &mut Emitter<'_>,
    scope: &Scope,
    ids: &Ids,
    base: &[SecurityRequirement],
    rev: &[SecurityRequirement],
    pointers: (Option<Pointer>, Option<Pointer>),
) {
    let index = |reqs: &[SecurityRequirement]| -> BTreeMap<String, SecurityRequirement> {
        let mut m: BTreeMap<String, SecurityRequirement> = BTreeMap::new();
        for r in reqs {
            // Duplicate alternatives merge: the scopes of either satisfy the same schemes.
            let e = m.entry(alt_name(r)).or_default();
            for (scheme, scopes) in r {
                e.entry(scheme.clone())
                    .or_default()
                    .extend(scopes.iter().cloned());
            }
        }
        m
    };
    let (b, r) = (index(base), index(rev));
    let (bp, rp) = pointers;
    let gone: Vec<_> = b.iter().filter(|(n, _)| !r.contains_key(*n)).collect();
    let appeared: Vec<_> = r.iter().filter(|(n, _)| !b.contains_key(*n)).collect();
    let renamed = pair_renamed(em.base, em.rev, &gone, &appeared);
    for (name, _) in &gone {
        if renamed.iter().any(|p| p.base_name == *name) {
            continue;
        }
        em.emit(
            scope,
            ids.removed,
            vec![(*name).clone()],
            bp.clone(),
            rp.clone(),
        );
    }
    for (name, _) in &appeared {
        if renamed.iter().any(|p| p.rev_name == *name) {
            continue;
        }
        em.emit(
            scope,
            ids.added,
            vec![(*name).clone()],
            bp.clone(),
            rp.clone(),
        );
    }
    for p in &renamed {
        em.emit(
            scope,
            ids.renamed,
            vec![p.base_name.clone(), p.rev_name.clone()],
            bp.clone(),
            rp.clone(),
        );
    }
    // Scopes are compared for the same alternative and for a renamed one (scope
    // changes then carry the revision's scheme name).
    let mut pairs = renamed;
    for (name, breq) in &b {
        if let Some(rreq) = r.get(name) {
            pairs.push(AltPair {
                base_name: name,
                rev_name: name,
                base: breq,
                rev: rreq,
                schemes: breq.keys().map(|k| (k.clone(), k.clone())).collect(),
            });
        }
    }
    for p in pairs {
        for (bs, rs) in p.schemes {
            let empty = BTreeSet::new();
            let bscopes = p.base.get(&bs).unwrap_or(&empty);
            let rscopes = p.rev.get(&rs).unwrap_or(&empty);
            for sc in bscopes.difference(rscopes) {
                let args = vec![rs.clone(), sc.clone()];
                em.emit(scope, ids.scope_removed, args, bp.clone(), rp.clone());
            }
            for sc in rscopes.difference(bscopes) {
                let args = vec![rs.clone(), sc.clone()];
                em.emit(scope, ids.scope_added, args, bp.clone(), rp.clone());
            }
        }
    }
}

/// Security of an operation present on both sides. Only judged when either side
/// declares its own `security`; otherwise both inherit the root requirement, whose
/// changes `check` reports once for the whole document.
pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    if b.security.is_none() && r.security.is_none() {
        return;
    }
    let base = b.security.as_deref().unwrap_or(&em.base.security);
    let rev = r.security.as_deref().unwrap_or(&em.rev.security);
    let pointers = (Some(b.pointer.clone()), Some(r.pointer.clone()));
    compare_reqs(em, scope, &OP_IDS, base, rev, pointers);
}

/// How a client authenticates with a scheme, for type-change detection.
fn auth_kind(s: &SecurityScheme) -> String {
    match s.kind.as_str() {
        "http" => format!("http {}", s.scheme.as_deref().unwrap_or("").to_lowercase()),
        "apiKey" => format!(
            "apiKey in {} {}",
            s.api_key_in.as_deref().unwrap_or(""),
            s.api_key_name.as_deref().unwrap_or("")
        ),
        other => other.to_string(),
    }
    .trim()
    .to_string()
}

/// Root security requirement and `securitySchemes` components.
pub fn check(em: &mut Emitter<'_>) {
    let (base, rev) = (em.base, em.rev);
    let scope = Scope::document(Section::Security);
    compare_reqs(
        em,
        &scope,
        &GLOBAL_IDS,
        &base.security,
        &rev.security,
        (None, None),
    );

    // Entries gone and entries new, paired when they authenticate the same way.
    let gone: Vec<(&String, &SecurityScheme)> = base
        .security_schemes
        .iter()
        .filter(|(n, _)| !rev.security_schemes.contains_key(*n))
        .collect();
    let appeared: Vec<(&String, &SecurityScheme)> = rev
        .security_schemes
        .iter()
        .filter(|(n, _)| !base.security_schemes.contains_key(*n))
        .collect();
    let mut used = BTreeSet::new();
    let mut renamed: Vec<(&String, &SecurityScheme, &String, &SecurityScheme)> = Vec::new();
    for (bn, bs) in &gone {
        let m = mechanism(bs);
        if let Some((rn, rs)) = appeared
            .iter()
            .find(|(rn, rs)| !used.contains(*rn) && mechanism(rs) == m)
        {
            used.insert(*rn);
            renamed.push((bn, bs, rn, rs));
        }
    }
    for (name, s) in &gone {
        if renamed.iter().any(|(bn, ..)| bn == name) {
            continue;
        }
        let bp = Some(s.pointer.clone());
        em.emit(
            &scope,
            &API_SECURITY_COMPONENT_REMOVED,
            vec![(*name).clone()],
            bp,
            None,
        );
    }
    for (name, s) in &appeared {
        if used.contains(name) {
            continue;
        }
        let rp = Some(s.pointer.clone());
        em.emit(
            &scope,
            &API_SECURITY_COMPONENT_ADDED,
            vec![(*name).clone()],
            None,
            rp,
        );
    }
    for (bn, bs, rn, rs) in renamed {
        let (bp, rp) = (Some(bs.pointer.clone()), Some(rs.pointer.clone()));
        em.emit(
            &scope,
            &API_SECURITY_COMPONENT_RENAMED,
            vec![bn.clone(), rn.clone()],
            bp.clone(),
            rp.clone(),
        );
        compare_flow_scopes(em, &scope, rn, bs, rs, (bp, rp));
    }
    for (name, s) in &rev.security_schemes {
        let Some(b) = base.security_schemes.get(name) else {
            continue;
        };
        let rp = Some(s.pointer.clone());
        let bp = Some(b.pointer.clone());
        let (bk, rk) = (auth_kind(b), auth_kind(s));
        if bk != rk {
            let args = vec![name.clone(), bk, rk];
            em.emit(&scope, &API_SECURITY_COMPONENT_TYPE_CHANGED, args, bp, rp);
            // Flows of a different kind of scheme are not comparable.
            continue;
        }
        for (flow, bf) in &b.flows {
            let Some(rf) = s.flows.get(flow) else {
                continue;
            };
            let url_change = |id: &'static Rule, from: &Option<String>, to: &Option<String>| {
                (from != to).then(|| {
                    let show = |u: &Option<String>| u.clone().unwrap_or_else(|| "none".into());
                    (id, vec![name.clone(), flow.clone(), show(from), show(to)])
                })
            };
            let urls = [
                url_change(
                    &API_SECURITY_COMPONENT_OAUTH_URL_CHANGED,
                    &bf.authorization_url,
                    &rf.authorization_url,
                ),
                url_change(
                    &API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED,
                    &bf.token_url,
                    &rf.token_url,
                ),
            ];
            for (id, args) in urls.into_iter().flatten() {
                em.emit(&scope, id, args, bp.clone(), rp.clone());
            }
        }
        compare_flow_scopes(em, &scope, name, b, s, (bp, rp));
    }
}

/// The scopes of the flows two schemes share (`name` is the revision's), each added,
/// removed or reworded scope once.
fn compare_flow_scopes(
    em: &mut Emitter<'_>,
    scope: &Scope,
    name: &str,
    b: &SecurityScheme,
    s: &SecurityScheme,
    pointers: (Option<Pointer>, Option<Pointer>),
) {
    let (bp, rp) = pointers;
    let shared = b
        .flows
        .iter()
        .filter_map(|(flow, bf)| s.flows.get(flow).map(|rf| (flow, bf, rf)));
    let shared: Vec<(&String, &OAuthFlow, &OAuthFlow)> = shared.collect();
    for (flow, bf, rf) in shared {
        for (sc, desc) in &bf.scopes {
            let args = vec![name.to_string(), flow.clone(), sc.clone()];
            match rf.scopes.get(sc) {
                None => em.emit(
                    scope,
                    &API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
                    args,
                    bp.clone(),
                    rp.clone(),
                ),
                Some(rdesc) if rdesc != desc => em.emit(
                    scope,
                    &API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED,
                    args,
                    bp.clone(),
                    rp.clone(),
                ),
                Some(_) => {}
            }
        }
        for sc in rf.scopes.keys().filter(|k| !bf.scopes.contains_key(*k)) {
            let args = vec![name.to_string(), flow.clone(), sc.clone()];
            em.emit(
                scope,
                &API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
                args,
                bp.clone(),
                rp.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{api, op};
    use super::super::{DiffOptions, compare};
    use crate::model::{Method, SecurityRequirement};

    fn req(pairs: &[(&str, &[&str])]) -> SecurityRequirement {
        pairs
            .iter()
            .map(|(s, scopes)| {
                (
                    s.to_string(),
                    scopes.iter().map(|x| x.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn inherited_root_change_is_reported_once_not_per_operation() {
        let mut base = api(vec![op(Method::Get, "/a"), op(Method::Get, "/b")]);
        let mut rev = base.clone();
        base.security = vec![req(&[("oauth", &["read"])])];
        rev.security = vec![req(&[("oauth", &["read", "write"])])];
        let got = compare(&base, &rev, &DiffOptions::default());
        let ids: Vec<_> = got
            .iter()
            .map(|c| (c.id.as_str(), c.args.clone()))
            .collect();
        assert_eq!(
            ids,
            vec![(
                "api-global-security-scope-added",
                vec!["oauth".to_string(), "write".to_string()]
            )]
        );
    }

    #[test]
    fn operation_override_is_compared_against_the_inherited_root() {
        let mut base = api(vec![op(Method::Get, "/a")]);
        base.security = vec![req(&[("key", &[])])];
        let mut rev = base.clone();
        for o in rev.operations.values_mut() {
            o.security = Some(vec![req(&[("key", &[])]), req(&[("oauth", &["read"])])]);
        }
        let got = compare(&base, &rev, &DiffOptions::default());
        let ids: Vec<_> = got
            .iter()
            .map(|c| (c.id.as_str(), c.args.clone()))
            .collect();
        assert_eq!(ids, vec![("api-security-added", vec!["oauth".to_string()])]);
    }
}
