//! Rule resolution: which rule a relative change becomes at a site. Total: every
//! (site family, kind) and every (site, property action, qualifier) has a rule, the
//! vocabulary's where it has one (with its qualified forms: `request-read-only-
//! property-`, `response-write-only-property-`, `*-type-compatible`, ...), else a
//! hand-written or generated one of ours (`catalog::generated`). The tests below prove
//! it over every kind, family and flag; [`generic`] is only a release-build safety net
//! (a debug build asserts it is never reached).
//!
//! Must not: compare schemas or walk; decide anything but the rule.

use super::Site;
use super::catalog;
use super::graph::{
    ARRAY_TO_SCALAR, FROM_TEXT, HAS_DEFAULT, PropAction, READ_ONLY, REQUIRED, Rel, SCALAR_TO_ARRAY,
    TO_TEXT, WRAPPED, WRITE_ONLY,
};
use super::kinds::{self, Effect, Kind};
use crate::diff::rules::{Direction, Rule};
use crate::model::ParamIn;

/// The rule families of schema sites: a site and whether the change is at its root
/// (the body, the parameter, the header itself) or at a property inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    RequestBody,
    RequestProperty,
    RequestParameter,
    RequestParameterProperty,
    ResponseBody,
    ResponseProperty,
    ResponseHeader,
    ResponseHeaderProperty,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::RequestBody,
        Family::RequestProperty,
        Family::RequestParameter,
        Family::RequestParameterProperty,
        Family::ResponseBody,
        Family::ResponseProperty,
        Family::ResponseHeader,
        Family::ResponseHeaderProperty,
    ];

    pub fn of(site: Site<'_>, at_root: bool) -> Family {
        match (site, at_root) {
            (Site::RequestBody { .. }, true) => Family::RequestBody,
            (Site::RequestBody { .. }, false) => Family::RequestProperty,
            (Site::Parameter { .. }, true) => Family::RequestParameter,
            (Site::Parameter { .. }, false) => Family::RequestParameterProperty,
            (Site::ResponseBody { .. }, true) => Family::ResponseBody,
            (Site::ResponseBody { .. }, false) => Family::ResponseProperty,
            (Site::ResponseHeader { .. }, true) => Family::ResponseHeader,
            (Site::ResponseHeader { .. }, false) => Family::ResponseHeaderProperty,
        }
    }

    /// The rule-id prefix (`response-property-`).
    pub fn prefix(self) -> &'static str {
        match self {
            Family::RequestBody => "request-body-",
            Family::RequestProperty => "request-property-",
            Family::RequestParameter => "request-parameter-",
            Family::RequestParameterProperty => "request-parameter-property-",
            Family::ResponseBody => "response-body-",
            Family::ResponseProperty => "response-property-",
            Family::ResponseHeader => "response-header-",
            Family::ResponseHeaderProperty => "response-header-property-",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Family::RequestBody
            | Family::RequestProperty
            | Family::RequestParameter
            | Family::RequestParameterProperty => Direction::Request,
            _ => Direction::Response,
        }
    }

    /// Does the change name a property path (args start with it)?
    pub fn is_property(self) -> bool {
        matches!(
            self,
            Family::RequestProperty
                | Family::RequestParameterProperty
                | Family::ResponseProperty
                | Family::ResponseHeaderProperty
        )
    }

    /// What the family's rules speak of, with `{c0}`, `{c1}` for the site context and
    /// `{0}` for the property path; and the number of context args.
    pub fn subject(self) -> (&'static str, u8) {
        match self {
            Family::RequestBody => ("the request body (media type '{c0}')", 1),
            Family::RequestProperty => ("the request property '{0}' (media type '{c0}')", 1),
            Family::RequestParameter => ("the {c0} request parameter '{c1}'", 2),
            Family::RequestParameterProperty => {
                ("property '{0}' of the {c0} request parameter '{c1}'", 2)
            }
            Family::ResponseBody => ("the response body (status '{c0}', media type '{c1}')", 2),
            Family::ResponseProperty => (
                "the response property '{0}' (status '{c0}', media type '{c1}')",
                2,
            ),
            Family::ResponseHeader => ("the response header '{c0}' (status '{c1}')", 2),
            Family::ResponseHeaderProperty => (
                "property '{0}' of the response header '{c0}' (status '{c1}')",
                2,
            ),
        }
    }

    /// Short name for descriptions (`resp property`).
    pub fn short(self) -> &'static str {
        match self {
            Family::RequestBody => "req body",
            Family::RequestProperty => "req property",
            Family::RequestParameter => "req parameter",
            Family::RequestParameterProperty => "req parameter property",
            Family::ResponseBody => "resp body",
            Family::ResponseProperty => "resp property",
            Family::ResponseHeader => "resp header",
            Family::ResponseHeaderProperty => "resp header property",
        }
    }

    /// The families whose vocabulary rows a generated row of this family takes its
    /// level from, nearest first (same direction).
    pub fn siblings(self) -> &'static [Family] {
        use Family::*;
        match self.direction() {
            Direction::Request => &[RequestProperty, RequestBody, RequestParameter],
            _ => &[ResponseProperty, ResponseBody, ResponseHeader],
        }
    }
}

/// The default level of a generated rule: a request that accepts less, or a response
/// that can return more, breaks the other side (ERR); a change that cannot be told
/// either way may (WARN); the rest is INFO.
pub fn level_of(direction: Direction, effect: Effect) -> crate::diff::Level {
    use crate::diff::Level::*;
    match (direction, effect) {
        (Direction::Request, Effect::Narrows) | (Direction::Response, Effect::Widens) => Err,
        (_, Effect::Changes) => Warn,
        _ => Info,
    }
}

/// Suffixes that have a `request-read-only-property-` form.
const READ_ONLY_REQUEST: &[&str] = &[
    "enum-value-removed",
    "exclusive-max-decreased",
    "exclusive-min-increased",
    "max-decreased",
    "max-length-decreased",
    "min-increased",
];

/// Is a `type-changed` at `site` tolerated because the value travels as text there
/// (`*-type-compatible`)? Request bodies in a text media type and parameters sent as
/// text (every parameter but one described by a JSON `content`) when a scalar became a
/// string; response bodies in a text media type and response headers (text on the
/// wire) when a string became a scalar. In section `components` the media type is
/// unknown.
fn text_tolerated(site: Site<'_>, flags: u16) -> bool {
    match site {
        Site::RequestBody { media_type } => flags & TO_TEXT != 0 && is_text_media_type(media_type),
        Site::ResponseBody { media_type, .. } => {
            flags & FROM_TEXT != 0 && is_text_media_type(media_type)
        }
        Site::ResponseHeader { .. } => flags & FROM_TEXT != 0,
        Site::Parameter { text, .. } => text && flags & TO_TEXT != 0,
    }
}

/// Does a body of media type `mt` carry its values as text, so that `1` and `"1"` are
/// the same value on the wire? Forms (`application/x-www-form-urlencoded`,
/// `multipart/*`), `text/*` and XML do; JSON (`application/json`, `*+json`,
/// `text/json`) and everything else (YAML, binary formats, wildcards, an unknown media
/// type) is treated as typed. oasdiff treats every non-JSON media type as text; this is
/// the conservative subset of that.
pub fn is_text_media_type(mt: &str) -> bool {
    let essence = mt
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.ends_with("json") {
        return false;
    }
    essence == "application/x-www-form-urlencoded"
        || essence.starts_with("multipart/")
        || essence.starts_with("text/")
        || essence == "application/xml"
        || essence.ends_with("+xml")
}

/// The rule a keyword kind becomes at `site` (at its root or at a property), given the
/// relative change's flags.
pub fn keyword(site: Site<'_>, at_root: bool, kind: Kind, flags: u16) -> &'static Rule {
    let family = Family::of(site, at_root);
    let prefix = family.prefix();
    let k = kind.suffix;
    let ro = flags & READ_ONLY != 0;
    let wo = flags & WRITE_ONLY != 0;
    // Qualified and softened forms first (hand-written or generated), then the plain
    // id, then the vocabulary's fallbacks, and only then a generated plain id: where
    // the vocabulary already answered with a coarser rule, its answer stays.
    let mut first: Vec<Rule0> = Vec::with_capacity(3);
    match (site, at_root) {
        (Site::RequestBody { .. }, false) if ro && READ_ONLY_REQUEST.contains(&k) => {
            first.push(Rule0::Hand(format!("request-read-only-property-{k}")))
        }
        (Site::ResponseBody { .. }, true) if kind == kinds::ENUM_VALUE_REMOVED => {
            first.push(Rule0::Hand("response-mediatype-enum-value-removed".into()))
        }
        (Site::ResponseBody { .. }, false) if wo && kind == kinds::ENUM_VALUE_ADDED => first.push(
            Rule0::Hand("response-write-only-property-enum-value-added".into()),
        ),
        (
            Site::Parameter {
                location: ParamIn::Header,
                ..
            },
            false,
        ) => first.push(Rule0::Hand(format!("request-header-property-{k}"))),
        _ => {}
    }
    if kind == kinds::ONE_OF_ADDED
        && flags & WRAPPED != 0
        && at_root
        && matches!(family, Family::RequestBody | Family::ResponseBody)
    {
        first.push(Rule0::Hand(format!("{prefix}wrapped-in-one-of")));
    }
    if kind == kinds::TYPE_CHANGED {
        if text_tolerated(site, flags) {
            first.push(Rule0::Cell(family, kinds::TYPE_COMPATIBLE.suffix));
        }
        // A parameter serializes one value exactly as an array of one (every style).
        if family == Family::RequestParameter && flags & SCALAR_TO_ARRAY != 0 {
            first.push(Rule0::Cell(family, kinds::TYPE_GENERALIZED.suffix));
        }
        if family == Family::RequestParameter && flags & ARRAY_TO_SCALAR != 0 {
            first.push(Rule0::Cell(family, kinds::TYPE_SPECIALIZED.suffix));
        }
    }
    first.push(Rule0::Hand(format!("{prefix}{k}")));
    if kind == kinds::TYPE_SPECIALIZED {
        first.push(Rule0::Hand(format!("{prefix}type-changed")));
    }
    if kind == kinds::PATTERN_GENERALIZED {
        first.push(Rule0::Hand(format!("{prefix}pattern-changed")));
    }
    first.push(Rule0::Cell(family, kind.suffix));
    first
        .iter()
        .find_map(|c| match c {
            Rule0::Hand(id) => catalog::hand(id),
            Rule0::Cell(f, suffix) => catalog::generated(*f, suffix),
        })
        .unwrap_or_else(|| generic(family, kind.effect))
}

/// A candidate rule: a hand-written id, or a cell of the grid (hand-written or
/// generated).
enum Rule0 {
    Hand(String),
    Cell(Family, &'static str),
}

/// The rule a property action becomes at `site`.
pub fn property(site: Site<'_>, action: PropAction, flags: u16) -> &'static Rule {
    use PropAction::*;
    let req = flags & REQUIRED != 0;
    let ro = flags & READ_ONLY != 0;
    let wo = flags & WRITE_ONLY != 0;
    let def = flags & HAS_DEFAULT != 0;
    let reqw = if req { "required" } else { "optional" };
    let a = action.as_str();
    let mut candidates: Vec<String> = Vec::with_capacity(3);
    match (site, action) {
        (Site::RequestBody { .. }, Added) if req && !ro => candidates.push(if def {
            "new-required-request-property-with-default".into()
        } else {
            "new-required-request-property".into()
        }),
        (Site::RequestBody { .. }, Added) => {
            candidates.push("new-optional-request-property".into())
        }
        (Site::RequestBody { .. }, Removed) => candidates.push("request-property-removed".into()),
        // Nobody sends a read-only property, so requiring it asks nothing of a client.
        (Site::RequestBody { .. }, BecameRequired) if ro => {
            candidates.push("request-read-only-property-became-required".into())
        }
        (Site::RequestBody { .. }, BecameRequired) if def => {
            candidates.push("request-property-became-required-with-default".into())
        }
        (Site::RequestBody { .. }, BecameRequired | BecameOptional) => {
            candidates.push(format!("request-property-{a}"))
        }
        (Site::RequestBody { .. }, _) => candidates.push(format!("request-{reqw}-property-{a}")),
        (Site::ResponseBody { .. }, Added | Removed) => {
            let w = if wo { "write-only-" } else { "" };
            candidates.push(format!("response-{reqw}-{w}property-{a}"))
        }
        (Site::ResponseBody { .. }, BecameRequired | BecameOptional) => {
            let w = if wo { "write-only-" } else { "" };
            candidates.push(format!("response-{w}property-{a}"))
        }
        (Site::ResponseBody { .. }, _) => candidates.push(format!("response-{reqw}-property-{a}")),
        (Site::Parameter { location, .. }, _) => {
            if location == ParamIn::Header {
                match action {
                    Added if req => candidates.push("new-required-request-header-property".into()),
                    BecameRequired => {
                        candidates.push("request-header-property-became-required".into())
                    }
                    _ => {}
                }
            }
            candidates.push(match action {
                Added => format!("new-{reqw}-request-parameter-property"),
                _ => format!("request-parameter-property-{a}"),
            })
        }
        (Site::ResponseHeader { .. }, Added | Removed) => {
            candidates.push(format!("response-header-{reqw}-property-{a}"))
        }
        (Site::ResponseHeader { .. }, _) => {
            candidates.push(format!("response-header-property-{a}"))
        }
    }
    let family = Family::of(site, false);
    candidates
        .iter()
        .find_map(|id| catalog::hand(id))
        .unwrap_or_else(|| generic(family, Effect::Changes))
}

/// The rule a relative change becomes where no rule was found: a bug (every kind has a
/// rule at every site, which this module's tests prove), so a debug build stops; a
/// release build still reports the change, at the level its direction and effect say.
pub fn generic(family: Family, effect: Effect) -> &'static Rule {
    debug_assert!(false, "no rule for a change at {family:?} ({effect:?})");
    catalog::generic(family.direction(), effect)
}

/// The rule of a relative change that is a keyword kind or a property action.
pub fn of(site: Site<'_>, at_root: bool, r: &Rel, kind: Option<Kind>) -> &'static Rule {
    match (kind, r.what) {
        (Some(k), _) => keyword(site, at_root, k, r.flags),
        (None, super::graph::What::Property(a)) => property(site, a, r.flags),
        (None, _) => generic(Family::of(site, at_root), Effect::Changes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::schema::graph::PropAction;
    use crate::diff::schema::kinds::Group;

    fn sites() -> Vec<Site<'static>> {
        vec![
            Site::RequestBody {
                media_type: "application/json",
            },
            Site::RequestBody {
                media_type: "application/x-www-form-urlencoded",
            },
            Site::ResponseBody {
                status: "200",
                media_type: "application/json",
            },
            Site::ResponseBody {
                status: "200",
                media_type: "text/plain",
            },
            Site::Parameter {
                location: ParamIn::Query,
                name: "q",
                text: true,
            },
            Site::Parameter {
                location: ParamIn::Header,
                name: "h",
                text: true,
            },
            Site::Parameter {
                location: ParamIn::Path,
                name: "p",
                text: false,
            },
            Site::ResponseHeader {
                status: "200",
                name: "h",
            },
        ]
    }

    /// Every combination of the flags that steer a resolution (`all`: also those of
    /// property actions).
    fn flag_sets(all: bool) -> Vec<u16> {
        let mut bits = vec![
            READ_ONLY,
            WRITE_ONLY,
            WRAPPED,
            TO_TEXT,
            FROM_TEXT,
            SCALAR_TO_ARRAY,
            ARRAY_TO_SCALAR,
        ];
        if all {
            bits.extend([REQUIRED, HAS_DEFAULT]);
        }
        (0u32..1 << bits.len())
            .map(|m| {
                bits.iter()
                    .enumerate()
                    .filter(|(i, _)| m & (1 << i) != 0)
                    .fold(0, |f, (_, b)| f | b)
            })
            .collect()
    }

    #[test]
    fn every_kind_has_a_rule_at_every_site_and_flag() {
        // No `generic` (it asserts in debug builds): every cell resolves for real.
        let mut cells = 0;
        for site in sites() {
            for at_root in [true, false] {
                for kind in kinds::all() {
                    if kind.group == Group::Props && at_root {
                        continue;
                    }
                    for flags in flag_sets(false) {
                        let rule = keyword(site, at_root, kind, flags);
                        assert!(
                            rule.id.ends_with(kind.suffix)
                                || rule.id.ends_with("type-compatible")
                                || rule.id.ends_with("wrapped-in-one-of")
                                || rule.id.ends_with("type-generalized")
                                || rule.id.ends_with("type-specialized")
                                || rule.id.ends_with("type-changed")
                                || rule.id.ends_with("pattern-changed"),
                            "{kind:?} at {site:?} resolved to {}",
                            rule.id
                        );
                        cells += 1;
                    }
                }
            }
        }
        assert!(cells > 10_000, "{cells}");
    }

    #[test]
    fn every_property_action_has_a_rule_at_every_site_and_flag() {
        for site in sites() {
            for action in PropAction::ALL {
                for flags in flag_sets(true) {
                    let rule = property(site, action, flags);
                    assert!(
                        rule.id.contains("property"),
                        "{action:?} at {site:?}: {}",
                        rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn qualified_and_softened_forms_win() {
        let form = Site::RequestBody {
            media_type: "application/x-www-form-urlencoded",
        };
        assert_eq!(
            keyword(form, false, kinds::TYPE_CHANGED, TO_TEXT).id,
            "request-property-type-compatible"
        );
        let q = Site::Parameter {
            location: ParamIn::Query,
            name: "q",
            text: true,
        };
        assert_eq!(
            keyword(q, true, kinds::TYPE_CHANGED, SCALAR_TO_ARRAY).id,
            "request-parameter-type-generalized"
        );
        assert_eq!(
            keyword(q, true, kinds::TYPE_CHANGED, TO_TEXT).id,
            "request-parameter-type-compatible"
        );
        assert_eq!(
            keyword(q, true, kinds::TYPE_CHANGED, FROM_TEXT).id,
            "request-parameter-type-changed"
        );
        let resp = Site::ResponseBody {
            status: "200",
            media_type: "application/json",
        };
        assert_eq!(
            keyword(resp, true, kinds::ONE_OF_ADDED, WRAPPED).id,
            "response-body-wrapped-in-one-of"
        );
        assert_eq!(
            keyword(resp, false, kinds::ONE_OF_ADDED, WRAPPED).id,
            "response-property-one-of-added"
        );
        // The vocabulary's gap filled by a generated rule at the direction's level.
        let r = keyword(
            resp,
            false,
            kinds::of_keyword(&crate::model::keyword::Kw::MaxItems.row().compare)[0],
            0,
        );
        assert_eq!(r.id, "response-property-max-items-increased");
        assert_eq!(r.level, crate::diff::Level::Err);
        assert!(r.ours);
    }
}
