//! The rule catalog: every rule id apidrift can emit, with its default level,
//! direction, kind, action, description and message template.
//!
//! Ids come from oasdiff's vocabulary (`../shared/reference/rule-ids.tsv`) wherever the
//! meaning matches; ids we add follow its `area-thing-action` shape and are marked
//! `ours: true`. Each check file declares the rules it emits in its own `RULES` table;
//! this module only joins them. Must not: contain check logic.

use super::Level;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Which side of the exchange a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the client sends.
    Request,
    /// What the client reads.
    Response,
    /// Neither (endpoints, security, lifecycle).
    None,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::None => "none",
        }
    }
}

/// One rule of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub direction: Direction,
    /// existence, requiredness, mutability, type, constraints, values, structure, lifecycle.
    pub kind: &'static str,
    /// add, remove, change, generalize, specialize, increase, decrease, set.
    pub action: &'static str,
    /// One line: what the rule detects.
    pub description: &'static str,
    /// The change text; `{0}`, `{1}`, ... are replaced by the change's args.
    pub template: &'static str,
    /// True for ids apidrift adds that oasdiff's vocabulary lacks.
    pub ours: bool,
}

/// Builds a `Rule` row tersely: `rule!(id, LEVEL, dir, kind, action, "desc", "template")`.
#[macro_export]
macro_rules! rule {
    ($id:literal, $level:ident, $dir:ident, $kind:literal, $action:literal, $desc:literal, $tpl:literal) => {
        $crate::diff::rules::Rule {
            id: $id,
            level: $crate::diff::Level::$level,
            direction: $crate::diff::rules::Direction::$dir,
            kind: $kind,
            action: $action,
            description: $desc,
            template: $tpl,
            ours: false,
        }
    };
    (ours $id:literal, $level:ident, $dir:ident, $kind:literal, $action:literal, $desc:literal, $tpl:literal) => {
        $crate::diff::rules::Rule {
            id: $id,
            level: $crate::diff::Level::$level,
            direction: $crate::diff::rules::Direction::$dir,
            kind: $kind,
            action: $action,
            description: $desc,
            template: $tpl,
            ours: true,
        }
    };
}

/// Builds a table of `Rule` rows, one per line:
/// `origin "id" LEVEL Direction kind action "description" "template";` where origin is
/// `oasdiff` (an id of the vocabulary, with its level) or `ours`.
#[macro_export]
macro_rules! rules {
    ($($origin:ident $id:literal $level:ident $dir:ident $kind:ident $action:ident $desc:literal $tpl:literal;)*) => {
        &[$($crate::diff::rules::Rule {
            id: $id,
            level: $crate::diff::Level::$level,
            direction: $crate::diff::rules::Direction::$dir,
            kind: stringify!($kind),
            action: stringify!($action),
            description: $desc,
            template: $tpl,
            ours: $crate::rules!(@ours $origin),
        }),*]
    };
    (@ours ours) => { true };
    (@ours oasdiff) => { false };
}

/// Like [`rules!`], with a constant name first on each row: declares each rule as a
/// `pub const` (what a check passes to `Emitter::emit`, so a misspelt rule is a
/// compile error) and the table `RULES` of them all.
#[macro_export]
macro_rules! named_rules {
    ($($name:ident $origin:ident $id:literal $level:ident $dir:ident $kind:ident $action:ident $desc:literal $tpl:literal;)*) => {
        $(pub const $name: $crate::diff::rules::Rule = $crate::diff::rules::Rule {
            id: $id,
            level: $crate::diff::Level::$level,
            direction: $crate::diff::rules::Direction::$dir,
            kind: stringify!($kind),
            action: stringify!($action),
            description: $desc,
            template: $tpl,
            ours: $crate::rules!(@ours $origin),
        };)*

        /// Every rule of this check, in the order `apidrift rules` lists them.
        pub const RULES: &[$crate::diff::rules::Rule] = &[$($name),*];
    };
}

/// Every table, in the order `apidrift rules` lists them.
fn tables() -> [&'static [Rule]; 7] {
    [
        super::endpoints::RULES,
        super::lifecycle::RULES,
        super::security::RULES,
        super::params::RULES,
        super::body::RULES,
        super::responses::RULES,
        super::schema::RULES,
    ]
}

static BY_ID: LazyLock<HashMap<&'static str, &'static Rule>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for table in tables() {
        for r in table {
            m.insert(r.id, r);
        }
    }
    for &r in super::schema::generated_rules() {
        m.insert(r.id, r);
    }
    m
});

/// All rules, sorted by id: the hand-written tables and the schema rules generated for
/// the cells of the (site family, kind) grid the vocabulary leaves empty.
pub fn all() -> Vec<&'static Rule> {
    let mut v: Vec<&'static Rule> = tables().into_iter().flatten().collect();
    v.extend(super::schema::generated_rules());
    v.sort_by_key(|r| r.id);
    v
}

/// Ids of oasdiff's vocabulary whose level apidrift sets differently, each with the
/// reason (`apidrift rules ID` shows it; the vocabulary test allows exactly these).
pub const LEVEL_DEVIATIONS: &[(&str, &str)] = &[
    (
        "request-parameter-property-type-changed",
        "a property of an object parameter (deepObject, form) travels as text like the parameter itself, so a type change rejects what clients send exactly as request-parameter-type-changed (ERR) does; the harmless direction (a scalar became a string) is request-parameter-property-type-compatible (INFO)",
    ),
    (
        "response-body-any-of-added",
        "an anyOf branch added to a response lets it return a kind of value the reader never saw, exactly as a oneOf branch does (oasdiff's response-body-one-of-added is ERR; its INFO here is inconsistent with that)",
    ),
    (
        "response-property-any-of-added",
        "an anyOf branch added to a response property lets it return a kind of value the reader never saw, exactly as a oneOf branch does (oasdiff's response-property-one-of-added is ERR; its INFO here is inconsistent with that)",
    ),
];

/// Why `id`'s level differs from oasdiff's, if it does.
pub fn deviation(id: &str) -> Option<&'static str> {
    LEVEL_DEVIATIONS
        .iter()
        .find(|(d, _)| *d == id)
        .map(|(_, why)| *why)
}

/// Looks a rule up by id.
pub fn get(id: &str) -> Option<&'static Rule> {
    BY_ID.get(id).copied()
}

/// Fills `{0}`, `{1}`, ... in `template` from `args`; a missing arg stays as written.
pub fn fill(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => match after[..end].parse::<usize>().ok().and_then(|i| args.get(i)) {
                Some(arg) => {
                    out.push_str(arg);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            },
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fill_replaces_numbered_args() {
        let args = vec!["a".to_string(), "b".to_string()];
        assert_eq!(fill("x {0} y {1} z {2} {}", &args), "x a y b z {2} {}");
    }

    #[test]
    fn ids_are_unique_and_shaped() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "rule id {} is not kebab-case",
                r.id
            );
            assert!(
                !r.template.is_empty() && !r.description.is_empty(),
                "{}",
                r.id
            );
        }
    }
}
