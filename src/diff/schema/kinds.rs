//! The kinds of relative change a schema pair can hold ([`Kind`]: a rule *suffix* such
//! as `enum-value-added`, with its [`Effect`] on the values the schema accepts), every
//! one of them listed in [`all`], so the rule resolution can be proven total over
//! them (`resolve`'s tests) and the generated catalog rows (`catalog::generated`)
//! exist for each.
//!
//! Two sources: the kinds compared by hand (the `kinds!` table below), and the kinds of
//! the table-driven keywords, made from `model::keyword::KEYWORDS` (a bound's four
//! suffixes, a sub-schema's presence and aggregated kinds, ...).
//!
//! Must not: know a site or a rule id (the site prefix is `resolve`'s), or compare.

use crate::model::keyword::{Compare, Enter, KEYWORDS};

/// What a change does to the set of values a schema accepts. The site turns it into a
/// level: a request that accepts less (`Narrows`) breaks senders; a response that can
/// return more (`Widens`) breaks readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Widens,
    Narrows,
    /// Some values gained, others lost, or cannot be told (a pattern replaced).
    Changes,
    /// Same values (an annotation, a respelling).
    Neutral,
}

impl Effect {
    /// The effect seen from the parent through `not`.
    pub fn flipped(self) -> Effect {
        match self {
            Effect::Widens => Effect::Narrows,
            Effect::Narrows => Effect::Widens,
            e => e,
        }
    }
}

/// Where a kind can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// At every schema site: a body, a property, a parameter, a header.
    Schema,
    /// Only at properties (property lifecycle).
    Props,
}

/// One kind of relative change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    /// The rule suffix (`enum-value-added`).
    pub suffix: &'static str,
    pub effect: Effect,
    /// How many detail args it carries (after the path, before the site context).
    pub details: u8,
    pub group: Group,
    /// The change in words for generated rules, `{d0}`, `{d1}` for its details.
    pub phrase: &'static str,
}

macro_rules! kinds {
    ($($name:ident $suffix:literal $effect:ident $details:literal $group:ident $phrase:literal;)*) => {
        $(pub const $name: Kind = Kind {
            suffix: $suffix,
            effect: Effect::$effect,
            details: $details,
            group: Group::$group,
            phrase: $phrase,
        };)*

        /// Every kind compared by hand.
        pub const HAND: &[Kind] = &[$($name),*];
    };
}

// Columns: constant, suffix, effect, detail args, where, phrase.
kinds! {
    BECAME_NULLABLE              "became-nullable"              Widens  0 Schema "null became allowed";
    BECAME_NOT_NULLABLE          "became-not-nullable"          Narrows 0 Schema "null is no longer allowed";
    TYPE_CHANGED                 "type-changed"                 Changes 2 Schema "the type changed from '{d0}' to '{d1}'";
    TYPE_GENERALIZED             "type-generalized"             Widens  2 Schema "the type was widened from '{d0}' to '{d1}'";
    TYPE_SPECIALIZED             "type-specialized"             Narrows 2 Schema "the type was narrowed from '{d0}' to '{d1}'";
    TYPE_COMPATIBLE              "type-compatible"              Neutral 2 Schema "the type changed from '{d0}' to '{d1}', the same on the wire as text";
    LIST_OF_TYPES_WIDENED        "list-of-types-widened"        Widens  2 Schema "the list of types was widened from '{d0}' to '{d1}'";
    LIST_OF_TYPES_NARROWED       "list-of-types-narrowed"       Narrows 2 Schema "the list of types was narrowed from '{d0}' to '{d1}'";
    ENUM_VALUE_ADDED             "enum-value-added"             Widens  1 Schema "the enum value '{d0}' was added";
    ENUM_VALUE_REMOVED           "enum-value-removed"           Narrows 1 Schema "the enum value '{d0}' was removed";
    BECAME_ENUM                  "became-enum"                  Narrows 0 Schema "the values became an enum";
    BECAME_NOT_ENUM              "became-not-enum"              Widens  0 Schema "the enum was dropped: every value of the type is allowed";
    X_EXTENSIBLE_ENUM_VALUE_REMOVED "x-extensible-enum-value-removed" Narrows 1 Schema "the x-extensible-enum value '{d0}' was removed";
    DEFAULT_VALUE_ADDED          "default-value-added"          Neutral 1 Schema "the default value {d0} was set";
    DEFAULT_VALUE_REMOVED        "default-value-removed"        Neutral 1 Schema "the default value {d0} was removed";
    DEFAULT_VALUE_CHANGED        "default-value-changed"        Neutral 2 Schema "the default value changed from {d0} to {d1}";
    PATTERN_ADDED                "pattern-added"                Narrows 1 Schema "the pattern '{d0}' was set";
    PATTERN_REMOVED              "pattern-removed"              Widens  1 Schema "the pattern '{d0}' was removed";
    PATTERN_CHANGED              "pattern-changed"              Changes 2 Schema "the pattern changed from '{d0}' to '{d1}'";
    PATTERN_GENERALIZED          "pattern-generalized"          Widens  2 Schema "the pattern '{d0}' was widened to '{d1}'";
    DEPENDENT_REQUIRED_ADDED     "dependent-required-added"     Narrows 1 Schema "dependentRequired for '{d0}' was added";
    DEPENDENT_REQUIRED_REMOVED   "dependent-required-removed"   Widens  1 Schema "dependentRequired for '{d0}' was removed";
    DEPENDENT_REQUIRED_CHANGED   "dependent-required-changed"   Changes 1 Schema "dependentRequired for '{d0}' changed";
    DISCRIMINATOR_ADDED          "discriminator-added"          Neutral 0 Schema "a discriminator was added";
    DISCRIMINATOR_REMOVED        "discriminator-removed"        Neutral 0 Schema "the discriminator was removed";
    DISCRIMINATOR_PROPERTY_NAME_CHANGED "discriminator-property-name-changed" Changes 2 Schema "the discriminator property changed from '{d0}' to '{d1}'";
    DISCRIMINATOR_MAPPING_ADDED  "discriminator-mapping-added"  Widens  1 Schema "the discriminator mapping '{d0}' was added";
    DISCRIMINATOR_MAPPING_DELETED "discriminator-mapping-deleted" Narrows 1 Schema "the discriminator mapping '{d0}' was removed";
    DISCRIMINATOR_MAPPING_CHANGED "discriminator-mapping-changed" Changes 1 Schema "the discriminator mapping '{d0}' changed its target";
    ONE_OF_ADDED                 "one-of-added"                 Widens  1 Schema "the oneOf branch '{d0}' was added";
    ONE_OF_REMOVED               "one-of-removed"               Narrows 1 Schema "the oneOf branch '{d0}' was removed";
    ANY_OF_ADDED                 "any-of-added"                 Widens  1 Schema "the anyOf branch '{d0}' was added";
    ANY_OF_REMOVED               "any-of-removed"               Narrows 1 Schema "the anyOf branch '{d0}' was removed";
    ALL_OF_ADDED                 "all-of-added"                 Narrows 1 Schema "the allOf branch '{d0}' was added";
    ALL_OF_REMOVED               "all-of-removed"               Widens  1 Schema "the allOf branch '{d0}' was removed";
    ALL_OF_ADDED_ANNOTATION_ONLY "all-of-added-annotation-only" Neutral 1 Schema "the annotation-only allOf branch '{d0}' was added";
    ALL_OF_REMOVED_ANNOTATION_ONLY "all-of-removed-annotation-only" Neutral 1 Schema "the annotation-only allOf branch '{d0}' was removed";
    WRAPPED_IN_ONE_OF            "wrapped-in-one-of"            Widens  1 Schema "the schema moved under a oneOf with the new branch '{d0}'";
    ONE_OF_BECAME_ANY_OF         "one-of-became-any-of"         Widens  0 Schema "oneOf became anyOf over branches that can overlap (a value may now match several)";
    ANY_OF_BECAME_ONE_OF         "any-of-became-one-of"         Narrows 0 Schema "anyOf became oneOf over branches that can overlap (a value matching several is now invalid)";
    UNION_KEYWORD_CHANGED        "union-keyword-changed"        Neutral 2 Schema "the union keyword changed from {d0} to {d1} over branches no value can match twice";
    STABILITY_DECREASED          "stability-decreased"          Neutral 2 Props  "the stability level was lowered from '{d0}' to '{d1}'";
    STABILITY_INCREASED          "stability-increased"          Neutral 2 Props  "the stability level was raised from '{d0}' to '{d1}'";
    DEPRECATED                   "deprecated"                   Neutral 0 Props  "it was deprecated";
    REACTIVATED                  "reactivated"                  Neutral 0 Props  "it is no longer deprecated";
    DEPRECATED_WITH_SUNSET       "deprecated-with-sunset"       Neutral 1 Props  "it was deprecated with the sunset date {d0}";
    DEPRECATED_SUNSET_MISSING    "deprecated-sunset-missing"    Neutral 1 Props  "it was deprecated without an x-sunset date although the policy asks for {d0} days";
    DEPRECATED_SUNSET_INVALID    "deprecated-sunset-invalid"    Neutral 1 Props  "it was deprecated with an x-sunset '{d0}' that is not a date";
    SUNSET_DATE_TOO_SMALL        "sunset-date-too-small"        Neutral 2 Props  "it was deprecated with the sunset date {d0}, sooner than the {d1} days the policy asks for";
}

/// The kinds a table-driven keyword's comparison can produce, in the order the
/// `Compare` variant names its suffixes (none for by-hand rows). No allocation: the
/// comparison asks it for every keyword present in a pair.
pub fn of_keyword(compare: &Compare) -> Kinds {
    let k = |suffix, effect, details| Kind {
        suffix,
        effect,
        details,
        group: Group::Schema,
        phrase: "",
    };
    use Effect::*;
    let mut out = Kinds::default();
    match *compare {
        Compare::ByHand | Compare::No => {}
        Compare::Bound { upper, kinds } => {
            // increased, decreased, set, unset.
            let (up, down) = if upper {
                (Widens, Narrows)
            } else {
                (Narrows, Widens)
            };
            out.push(k(kinds[0], up, 2));
            out.push(k(kinds[1], down, 2));
            out.push(k(kinds[2], Narrows, 1));
            out.push(k(kinds[3], Widens, 1));
        }
        Compare::Value { kinds } => {
            out.push(k(kinds[0], Narrows, 1));
            out.push(k(kinds[1], Widens, 1));
            out.push(k(kinds[2], Changes, 2));
        }
        Compare::Changed { kind } => out.push(k(kind, Changes, 2)),
        Compare::Flag { kinds } | Compare::Sub { kinds, .. } | Compare::Open { kinds, .. } => {
            out.push(k(kinds[0], Narrows, 0));
            out.push(k(kinds[1], Widens, 0));
        }
        Compare::Keyed { kinds, .. } | Compare::Indexed { kinds, .. } => {
            out.push(k(kinds[0], Narrows, 1));
            out.push(k(kinds[1], Widens, 1));
        }
    }
    out
}

/// Up to four kinds, without allocating.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kinds {
    items: [Option<Kind>; 4],
    len: usize,
}

impl Kinds {
    fn push(&mut self, k: Kind) {
        self.items[self.len] = Some(k);
        self.len += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = Kind> + '_ {
        self.items[..self.len].iter().flatten().copied()
    }
}

impl std::ops::Index<usize> for Kinds {
    type Output = Kind;

    /// The `i`th kind; `i` is one of the positions the `Compare` variant documents.
    fn index(&self, i: usize) -> &Kind {
        self.items[i].as_ref().unwrap_or(&NO_KIND)
    }
}

/// Never returned for a documented position (see `Kinds::index`).
const NO_KIND: Kind = Kind {
    suffix: "",
    effect: Effect::Changes,
    details: 0,
    group: Group::Schema,
    phrase: "",
};

/// The aggregated kinds of a sub-schema keyword (`inner` of its `Compare::Sub`): a
/// change inside it reported at the parent, its details the inner change in words.
pub fn inner(suffixes: [&'static str; 3]) -> [Kind; 3] {
    let k = |suffix, effect| Kind {
        suffix,
        effect,
        details: 1,
        group: Group::Schema,
        phrase: "",
    };
    [
        k(suffixes[0], Effect::Widens),
        k(suffixes[1], Effect::Narrows),
        k(suffixes[2], Effect::Changes),
    ]
}

/// The aggregated kind (of a sub-schema keyword's `inner` suffixes) for an inner
/// change whose effect on the parent is `effect` (the walk flips it under `not`).
pub fn pick(suffixes: [&'static str; 3], effect: Effect) -> Kind {
    let [widened, narrowed, changed] = inner(suffixes);
    match effect {
        Effect::Widens => widened,
        Effect::Narrows => narrowed,
        // A neutral change inside (a default, an annotation) is still a change of it.
        Effect::Changes | Effect::Neutral => changed,
    }
}

/// Every kind a schema comparison can produce.
pub fn all() -> Vec<Kind> {
    let mut v: Vec<Kind> = HAND.to_vec();
    for row in KEYWORDS {
        v.extend(of_keyword(&row.compare).iter());
        if let Compare::Sub {
            inner: suffixes,
            enter: Enter::Inner | Enter::Flipped | Enter::Opaque,
            ..
        } = row.compare
        {
            v.extend(inner(suffixes));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_unique_and_phrases_use_their_details() {
        let mut seen = std::collections::HashSet::new();
        for k in all() {
            assert!(seen.insert(k.suffix), "{} twice", k.suffix);
            for d in 0..k.details {
                assert!(
                    k.phrase.is_empty() || k.phrase.contains(&format!("{{d{d}}}")),
                    "{}: phrase lacks {{d{d}}}",
                    k.suffix
                );
            }
        }
        assert!(seen.contains("max-length-increased") && seen.contains("not-narrowed"));
    }
}
