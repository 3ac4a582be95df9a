//! "The item" of a consumed operation: the one object in its success body that the
//! contract's field paths are rooted at. One decision, used wherever a contract is
//! applied: `resolve` (and so the body-rooted paths `assess` and the diff's watch list
//! match on), the default `items` pointer of a sample (`daemon::visibility`) and
//! `sample::conformance`. Must not: report (callers turn an `ItemMiss` into a
//! diagnostic) or look at anything but the spec's schemas and the contract's fields.
//!
//! Without `item:` in the contract (`item_for`):
//! - an array body: its items (`[]`);
//! - an object body: the body itself, unless it is a **list wrapper**: exactly one of
//!   its properties is an array (not counting arrays with list-metadata names such as
//!   `links` or `order`) and every other property is list metadata (`is_list_metadata`:
//!   `has_more`, `next_cursor`, `total_count`, `meta`, `links`, ...; a discriminator
//!   such as `object: list` by its values); then the items of that array (`data[]`);
//! - the contract's documented fields overrule that shape rule: when they all resolve
//!   in exactly one place (the body, or the items of one array property), that place is
//!   the item. When they resolve completely in several places, the reading of earlier
//!   versions is kept (the items of the one array property, when the body has exactly
//!   one; else the body), so a contract that resolved before keeps its paths, and the
//!   caller warns (`Item::also`). When they resolve completely nowhere, the place where
//!   most of them resolve is taken (ties: the shape rule) so the errors are about it.
//!
//! With `item: /pointer` (`item_at`): the value at that JSON Pointer into the body; an
//! array means its elements are the items, an object is the one item. `/` is the
//! body (so, for an array body, its items). The same rule as a sample's `items`.

use super::walk::{self, Step};
use crate::model::{Api, SchemaId, Type};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How the item of an operation was chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemRule {
    /// `item:` in the contract.
    Explicit,
    /// The body is an array: its items.
    ArrayBody,
    /// The body's shape: a list wrapper's items, otherwise the body itself (also when
    /// the fields agree with it, and when there is no JSON body).
    #[default]
    Shape,
    /// The contract's fields resolve there and not where the shape rule points.
    Fields,
}

/// Where the item sits in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Body-rooted path of the item, as field paths write it: `""` (the body), `"[]"`
    /// (an array body's items), `"data[]"`, or `"user"` (an object inside the body).
    pub prefix: String,
    /// JSON Pointer of the value holding the item, as a sample's `items` is written:
    /// `/` for the body (an array body's elements or the object body), `/data`, ...
    pub pointer: String,
    /// The schemas of one item.
    pub roots: Vec<SchemaId>,
    pub rule: ItemRule,
    /// Pointers of the other places where every documented field resolves too, when
    /// the choice was ambiguous (empty otherwise).
    pub also: Vec<String>,
}

impl Item {
    /// The item of an operation without a JSON body: the body, nothing documented.
    pub fn bodiless() -> Item {
        Item {
            prefix: String::new(),
            pointer: "/".to_string(),
            roots: Vec::new(),
            rule: ItemRule::Shape,
            also: Vec::new(),
        }
    }
}

/// Why `item_at` found no item.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemMiss {
    /// Not a JSON Pointer.
    Syntax(String),
    /// No property `name` under the pointer `under`; `candidates` were there.
    NoProperty {
        under: String,
        name: String,
        candidates: Vec<String>,
    },
    /// The pointer steps into the elements of the array at `array`.
    InArray { array: String },
    /// The value there is a scalar (`types`), neither a list nor an object.
    NotContainer { types: Vec<Type> },
}

/// Words of a property name that say it describes the list, not an item: paging
/// position and direction, counts, links, envelope metadata.
const META_WORDS: &[&str] = &[
    "after",
    "before",
    "context",
    "continuation",
    "count",
    "cursor",
    "cursors",
    "end",
    "first",
    "has",
    "href",
    "incomplete",
    "info",
    "last",
    "limit",
    "link",
    "links",
    "marker",
    "meta",
    "metadata",
    "more",
    "next",
    "odata",
    "offset",
    "ok",
    "order",
    "page",
    "pages",
    "paging",
    "pagination",
    "per",
    "prev",
    "previous",
    "request",
    "response",
    "results",
    "self",
    "size",
    "skip",
    "sort",
    "start",
    "token",
    "top",
    "total",
    "uri",
    "url",
];

/// Words that only qualify a metadata word (`first_id`, `request_id`, `is_last`).
const QUALIFIER_WORDS: &[&str] = &["at", "id", "ids", "is", "num", "of", "the"];

/// Splits a property name into lowercase words at `_`, `-`, `.`, `@`, `$`, spaces,
/// digits and lower→upper case steps: `nextPageToken` → `next page token`,
/// `@odata.nextLink` → `odata next link`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphabetic() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_lowercase();
        cur.extend(ch.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words of a discriminator's value that name a list (`object: "list"`, Stripe's
/// `search_result`, OpenAI's `page`, Box's `search_results_items`).
const LIST_VALUE_WORDS: &[&str] = &[
    "collection",
    "items",
    "list",
    "page",
    "result",
    "results",
    "search",
];

/// Names of the properties that say what kind of object the body is.
const DISCRIMINATORS: &[&str] = &["object", "type", "kind"];

/// Whether a property named `name` describes the list rather than being part of an
/// item: every word of the name is a list-metadata word or a qualifier, and at least
/// one is a metadata word (`has_more`, `next_cursor`, `total_count`, `per_page`,
/// `_links`, `response_metadata`, `first_id`, `@odata.nextLink`). A discriminator
/// (`object`, `type`, `kind`) is judged by its values instead (`discriminator_is_list`).
pub fn is_list_metadata(name: &str) -> bool {
    let w = words(name);
    !w.is_empty()
        && w.iter().any(|x| META_WORDS.contains(&x.as_str()))
        && w.iter()
            .all(|x| META_WORDS.contains(&x.as_str()) || QUALIFIER_WORDS.contains(&x.as_str()))
}

/// A discriminator property (`object`, `type`, `kind`) says the body is a list when its
/// documented values (enum or const) all name one (`list`, `page`, `search_result`);
/// without documented values, only `object` does (Stripe writes `object: list` in
/// prose; a `type` without values is more often a resource's own field).
fn discriminator_is_list(api: &Api, name: &str, defs: &[SchemaId]) -> bool {
    let mut all = Vec::new();
    let mut seen = BTreeSet::new();
    for &d in defs {
        walk::expand(api, d, &mut all, &mut seen);
    }
    let mut values = Vec::new();
    for &i in &all {
        let s = api.schema(i);
        values.extend(s.enum_values.iter().flatten().cloned());
        values.extend(s.extra().const_value.iter().cloned());
    }
    if values.is_empty() {
        return name == "object";
    }
    values.iter().all(|v| {
        v.as_str().is_some_and(|v| {
            let w = words(v);
            !w.is_empty() && w.iter().all(|x| LIST_VALUE_WORDS.contains(&x.as_str()))
        })
    })
}

/// The items of `id` when it is an array (by type or by `items`), through allOf,
/// oneOf and anyOf.
pub fn array_items(api: &Api, id: SchemaId) -> Option<Vec<SchemaId>> {
    let mut all = Vec::new();
    walk::expand(api, id, &mut all, &mut BTreeSet::new());
    let items: Vec<SchemaId> = all.iter().filter_map(|&i| api.schema(i).items).collect();
    let typed = all
        .iter()
        .any(|&i| api.schema(i).types.contains(&Type::Array));
    (typed || !items.is_empty()).then_some(items)
}

/// JSON Pointer escaping of one segment (`~` → `~0`, `/` → `~1`).
fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

/// The pointer of a list of property names: `/` for none.
pub fn pointer_of(segments: &[String]) -> String {
    if segments.is_empty() {
        return "/".to_string();
    }
    segments.iter().map(|s| format!("/{}", escape(s))).collect()
}

/// Parses a JSON Pointer into property names: `""` and `"/"` are the body (no
/// segment), `/data/items` is two, `~1` and `~0` unescape to `/` and `~`. An empty
/// segment or a bad escape is an error.
pub fn parse_pointer(p: &str) -> Result<Vec<String>, String> {
    if p.is_empty() || p == "/" {
        return Ok(Vec::new());
    }
    let Some(rest) = p.strip_prefix('/') else {
        return Err(format!("`{p}` does not start with `/`"));
    };
    let mut out = Vec::new();
    for seg in rest.split('/') {
        if seg.is_empty() {
            return Err(format!("`{p}` has an empty segment"));
        }
        let mut s = String::new();
        let mut chars = seg.chars();
        while let Some(c) = chars.next() {
            if c != '~' {
                s.push(c);
                continue;
            }
            match chars.next() {
                Some('0') => s.push('~'),
                Some('1') => s.push('/'),
                _ => return Err(format!("`{p}`: `~` must be followed by 0 or 1")),
            }
        }
        out.push(s);
    }
    Ok(out)
}

/// One place the item may be.
struct Candidate {
    prefix: String,
    pointer: String,
    roots: Vec<SchemaId>,
}

impl Candidate {
    fn into_item(self, rule: ItemRule, also: Vec<String>) -> Item {
        Item {
            prefix: self.prefix,
            pointer: self.pointer,
            roots: self.roots,
            rule,
            also,
        }
    }
}

/// The properties of an object body, merged through allOf/oneOf/anyOf, in document
/// order, each name once with every schema it is given.
fn properties(api: &Api, body: SchemaId) -> Vec<(String, Vec<SchemaId>)> {
    let mut all = Vec::new();
    walk::expand(api, body, &mut all, &mut BTreeSet::new());
    let mut out: Vec<(String, Vec<SchemaId>)> = Vec::new();
    for id in all {
        for (name, &p) in &api.schema(id).properties {
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, defs)) => defs.push(p),
                None => out.push((name.clone(), vec![p])),
            }
        }
    }
    out
}

/// The item of `body` for a contract whose documented fields are `fields` (parsed,
/// non-empty paths; empty when the contract names none). See the module doc.
pub fn item_for(api: &Api, body: SchemaId, fields: &[Vec<Step>]) -> Item {
    if let Some(items) = array_items(api, body) {
        return Item {
            prefix: "[]".to_string(),
            pointer: "/".to_string(),
            roots: items,
            rule: ItemRule::ArrayBody,
            also: Vec::new(),
        };
    }
    let props = properties(api, body);
    let mut cands = vec![Candidate {
        prefix: String::new(),
        pointer: "/".to_string(),
        roots: vec![body],
    }];
    // Index into `cands` of each array property, and whether its name is metadata.
    let mut listy: Vec<usize> = Vec::new();
    let mut others_are_meta = true;
    for (name, defs) in &props {
        match array_items_of_all(api, defs) {
            Some(items) => {
                cands.push(Candidate {
                    prefix: format!("{name}[]"),
                    pointer: pointer_of(std::slice::from_ref(name)),
                    roots: items,
                });
                if !is_list_metadata(name) {
                    listy.push(cands.len() - 1);
                }
            }
            None => {
                let meta = if DISCRIMINATORS.contains(&name.as_str()) {
                    discriminator_is_list(api, name, defs)
                } else {
                    is_list_metadata(name)
                };
                others_are_meta &= meta;
            }
        }
    }
    // Array properties with metadata names (`links: [...]`) sit beside the list.
    let shape = match listy.as_slice() {
        [one] if others_are_meta => *one,
        _ => 0,
    };
    // What earlier versions read: the one array property, whatever sat beside it.
    let legacy = if cands.len() == 2 { 1 } else { 0 };
    if fields.is_empty() || cands.len() == 1 {
        let c = cands.swap_remove(shape);
        return c.into_item(ItemRule::Shape, Vec::new());
    }
    let scores: Vec<usize> = cands
        .iter()
        .map(|c| {
            fields
                .iter()
                .filter(|f| walk::walk(api, &c.roots, f).is_ok())
                .count()
        })
        .collect();
    let full: Vec<usize> = (0..cands.len())
        .filter(|&i| scores[i] == fields.len())
        .collect();
    let pick = if full.contains(&legacy) {
        legacy
    } else if full.contains(&shape) {
        shape
    } else if let Some(&first) = full.first() {
        first
    } else {
        let best = scores.iter().copied().max().unwrap_or(0);
        let tied: Vec<usize> = (0..cands.len()).filter(|&i| scores[i] == best).collect();
        if tied.contains(&shape) {
            shape
        } else if tied.contains(&legacy) {
            legacy
        } else {
            tied[0]
        }
    };
    let also: Vec<String> = full
        .iter()
        .filter(|&&i| i != pick)
        .map(|&i| cands[i].pointer.clone())
        .collect();
    let rule = if pick == shape {
        ItemRule::Shape
    } else {
        ItemRule::Fields
    };
    cands.swap_remove(pick).into_item(rule, also)
}

/// The item at `pointer` (a contract's `item:`): the elements of the array there, or
/// the object there. `/` is the body.
pub fn item_at(api: &Api, body: SchemaId, pointer: &str) -> Result<Item, ItemMiss> {
    let segs = parse_pointer(pointer).map_err(ItemMiss::Syntax)?;
    let mut roots = vec![body];
    for (i, seg) in segs.iter().enumerate() {
        if array_items_of_all(api, &roots).is_some() {
            return Err(ItemMiss::InArray {
                array: pointer_of(&segs[..i]),
            });
        }
        match walk::walk(api, &roots, &[Step::Prop(seg.clone())]) {
            Ok(found) => roots = found.schemas,
            Err(miss) => {
                return Err(ItemMiss::NoProperty {
                    under: pointer_of(&segs[..i]),
                    name: seg.clone(),
                    candidates: miss.candidates,
                });
            }
        }
    }
    let dotted = segs.join(".");
    if let Some(items) = array_items_of_all(api, &roots) {
        return Ok(Item {
            prefix: format!("{dotted}[]"),
            pointer: pointer_of(&segs),
            roots: items,
            rule: ItemRule::Explicit,
            also: Vec::new(),
        });
    }
    if let Ok(found) = walk::walk(api, &roots, &[])
        && !found.types.is_empty()
        && !found.types.contains(&Type::Object)
    {
        return Err(ItemMiss::NotContainer {
            types: found.types.into_iter().collect(),
        });
    }
    Ok(Item {
        prefix: dotted,
        pointer: pointer_of(&segs),
        roots,
        rule: ItemRule::Explicit,
        also: Vec::new(),
    })
}

/// The items when any of `roots` is an array.
fn array_items_of_all(api: &Api, roots: &[SchemaId]) -> Option<Vec<SchemaId>> {
    let mut out: Option<Vec<SchemaId>> = None;
    for &r in roots {
        if let Some(items) = array_items(api, r) {
            out.get_or_insert_with(Vec::new).extend(items);
        }
    }
    out
}

/// How a pointer reads in a message: `the body`, or `` `/data` ``.
pub fn describe(pointer: &str) -> String {
    if pointer.is_empty() || pointer == "/" {
        "the body".to_string()
    } else {
        format!("`{pointer}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("nextPageToken"), ["next", "page", "token"]);
        assert_eq!(words("@odata.nextLink"), ["odata", "next", "link"]);
        assert_eq!(words("total_count"), ["total", "count"]);
        assert_eq!(words("_links"), ["links"]);
        assert_eq!(words("HTMLUrl"), ["htmlurl"]);
    }

    #[test]
    fn paging_and_metadata_names_are_list_metadata_item_names_are_not() {
        for n in [
            "has_more",
            "hasMore",
            "next",
            "next_cursor",
            "cursor",
            "total",
            "total_count",
            "count",
            "page",
            "per_page",
            "limit",
            "offset",
            "links",
            "_links",
            "meta",
            "metadata",
            "paging",
            "pagination",
            "response_metadata",
            "url",
            "first_id",
            "last_id",
            "next_page_token",
            "@odata.nextLink",
            "incomplete_results",
            "pageInfo",
        ] {
            assert!(is_list_metadata(n), "{n}");
        }
        for n in [
            "id", "name", "email", "status", "profile", "groups", "events", "login", "created",
            "data", "items", "user", "ids", "",
        ] {
            assert!(!is_list_metadata(n), "{n}");
        }
    }

    /// `{disc: <values>, data: [{id}], has_more}` as an API with one GET.
    fn list_with(disc: &str, values: Option<Vec<&str>>) -> (Api, SchemaId) {
        use crate::model::Schema;
        let mut api = Api::default();
        let mut push = |s: Schema| api.push_schema(s);
        let string = || Schema {
            types: [Type::String].into(),
            ..Schema::default()
        };
        let id = push(string());
        let user = push(Schema {
            types: [Type::Object].into(),
            properties: [("id".to_string(), id)].into_iter().collect(),
            ..Schema::default()
        });
        let data = push(Schema {
            types: [Type::Array].into(),
            items: Some(user),
            ..Schema::default()
        });
        let d = push(Schema {
            enum_values: values.map(|v| v.into_iter().map(Into::into).collect()),
            ..string()
        });
        let more = push(Schema {
            types: [Type::Boolean].into(),
            ..Schema::default()
        });
        let body = push(Schema {
            types: [Type::Object].into(),
            properties: [
                (disc.to_string(), d),
                ("data".to_string(), data),
                ("has_more".to_string(), more),
            ]
            .into_iter()
            .collect(),
            ..Schema::default()
        });
        (api, body)
    }

    #[test]
    fn a_discriminator_makes_a_list_only_when_its_values_name_one() {
        let prefix = |disc: &str, values: Option<Vec<&str>>| {
            let (api, body) = list_with(disc, values);
            item_for(&api, body, &[]).prefix
        };
        assert_eq!(prefix("object", Some(vec!["list"])), "data[]");
        assert_eq!(prefix("object", Some(vec!["search_result"])), "data[]");
        assert_eq!(prefix("object", None), "data[]");
        assert_eq!(prefix("type", Some(vec!["search_results_items"])), "data[]");
        assert_eq!(prefix("object", Some(vec!["customer"])), "");
        assert_eq!(prefix("type", None), "");
        assert_eq!(prefix("kind", Some(vec!["list", "user"])), "");
        // Not a discriminator nor metadata: the body.
        assert_eq!(prefix("region", None), "");
    }

    #[test]
    fn pointers_parse_and_escape() {
        assert_eq!(parse_pointer("/").unwrap(), Vec::<String>::new());
        assert_eq!(parse_pointer("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_pointer("/a~1b/c~0d").unwrap(), ["a/b", "c~d"]);
        assert!(parse_pointer("data").is_err());
        assert!(parse_pointer("/data/").is_err());
        assert!(parse_pointer("/a~2").is_err());
        assert_eq!(pointer_of(&["a/b".to_string(), "c".to_string()]), "/a~1b/c");
        assert_eq!(pointer_of(&[]), "/");
    }
}
