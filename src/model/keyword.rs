//! The JSON Schema keywords apidrift reads: one table ([`KEYWORDS`], one row per
//! keyword) that says, for each, its JSON name, the model field holding it ([`Slot`]),
//! whether the reader reads it through that slot or by hand ([`Read`]), whether it
//! constrains what travels on the wire or only describes it ([`Role`]), and how the
//! diff compares it ([`Compare`], with the rule suffixes a change of it becomes).
//!
//! The reader (`spec::reader`) picks a schema object's keywords out in one pass
//! ([`Kw::of`]) and reads every [`Read::Table`] row through its slot, warning when the
//! value has the wrong JSON kind; the diff (`diff::schema::keywords`) compares every
//! row whose [`Compare`] is not [`Compare::ByHand`] through the same slot, and asks
//! [`is_annotation_only`] (no constraint keyword present) for `allOf` branches. Adding a
//! keyword is one row here plus, for a new kind of value, one arm in each of the two.
//!
//! Must not: know a spec dialect beyond keyword names (the reader turns 3.0's boolean
//! `exclusiveMinimum` into the numeric one), or a rule id (the suffixes here become ids
//! only with the site prefix the diff adds).

use super::{AdditionalProperties, Schema, SchemaId};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a keyword's value lives in `Schema` and what JSON it must be: typed getters
/// (and setters, for the rows the reader reads through the table).
#[derive(Clone, Copy)]
pub enum Slot {
    /// A non-negative integer (`maxLength`, `minItems`).
    Count(fn(&Schema) -> Option<u64>, fn(&mut Schema, u64)),
    /// A number (`minimum`, `multipleOf`).
    Number(fn(&Schema) -> Option<f64>, fn(&mut Schema, f64)),
    /// A string; numbers and booleans are read as their text (`pattern`, `format`).
    Text(fn(&Schema) -> Option<&str>, fn(&mut Schema, String)),
    /// A boolean that only `true` sets (`uniqueItems`, `readOnly`).
    Flag(fn(&Schema) -> bool, fn(&mut Schema)),
    /// Any JSON value, kept raw (`const`, `default`).
    Raw(fn(&Schema) -> Option<&Value>, fn(&mut Schema, Value)),
    /// One sub-schema (`not`, `if`, `contains`).
    Sub(fn(&Schema) -> Option<SchemaId>, fn(&mut Schema, SchemaId)),
    /// An array of sub-schemas (`allOf`, `prefixItems`).
    List(fn(&Schema) -> &[SchemaId], fn(&mut Schema, Vec<SchemaId>)),
    /// An object of sub-schemas (`patternProperties`, `dependentSchemas`).
    Map(
        fn(&Schema) -> &BTreeMap<String, SchemaId>,
        fn(&mut Schema, BTreeMap<String, SchemaId>),
    ),
    /// A boolean or a sub-schema (`additionalProperties`, `unevaluatedItems`).
    Open(
        fn(&Schema) -> Option<AdditionalProperties>,
        fn(&mut Schema, AdditionalProperties),
    ),
    /// Read and compared by hand; only its presence is asked through the table.
    Special(fn(&Schema) -> bool),
}

impl Slot {
    /// Is the keyword present in `s` (as the model holds it)?
    pub fn present(&self, s: &Schema) -> bool {
        match self {
            Slot::Count(g, _) => g(s).is_some(),
            Slot::Number(g, _) => g(s).is_some(),
            Slot::Text(g, _) => g(s).is_some(),
            Slot::Flag(g, _) => g(s),
            Slot::Raw(g, _) => g(s).is_some(),
            Slot::Sub(g, _) => g(s).is_some(),
            Slot::List(g, _) => !g(s).is_empty(),
            Slot::Map(g, _) => !g(s).is_empty(),
            Slot::Open(g, _) => g(s).is_some(),
            Slot::Special(p) => p(s),
        }
    }

    /// The keyword's value as a number, for the bound rows (`Count` and `Number`).
    pub fn number(&self, s: &Schema) -> Option<f64> {
        match self {
            Slot::Count(g, _) => g(s).map(|v| v as f64),
            Slot::Number(g, _) => g(s),
            _ => None,
        }
    }
}

/// How the reader reads a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Through its [`Slot`], with a malformed-value warning for the wrong JSON kind.
    Table,
    /// By hand in `spec::reader::fill_schema` (`type`, `required`, `items`,
    /// `discriminator`, 3.0's boolean `exclusiveMinimum`, ...).
    ByHand,
}

/// What a keyword does to the values a schema accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It constrains the wire: adding it can reject a value that was valid.
    Constraint,
    /// It only describes (`title`, `description`, `default`, `deprecated`): an `allOf`
    /// branch of such keywords alone has no wire effect.
    Annotation,
}

/// How the walk enters a sub-schema keyword's schemas when a pair of them is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enter {
    /// Part of the same instance, applied conditionally (`then`, `else`,
    /// `dependentSchemas`): no path step, changes reported with their own rules.
    Merged,
    /// Array items (`prefixItems`, `unevaluatedItems`): the `[]` path step.
    Items,
    /// Values of object keys not named by `properties` (`patternProperties`,
    /// `unevaluatedProperties`): the `*` path step.
    Any,
    /// A schema that is not a part of the value (`contains`: some item; `propertyNames`:
    /// the keys; `contentSchema`: the decoded string). A change inside it is reported
    /// at the parent as `<stem>-widened`, `-narrowed` or `-changed`, by the effect of
    /// the inner change on what the parent accepts.
    Inner,
    /// As [`Enter::Inner`], but the inner effect is flipped (`not`: a narrower
    /// sub-schema rejects less).
    Flipped,
    /// As [`Enter::Inner`], but the effect on the parent cannot be told (`if`: the
    /// condition picks between `then` and `else`): always `<stem>-changed`.
    Opaque,
}

/// How the diff compares a keyword; the strings are rule suffixes (the site prefix,
/// `response-property-` say, makes them ids).
#[derive(Debug, Clone, Copy)]
pub enum Compare {
    /// Compared by hand in `diff::schema` (types, enums, properties, compositions,
    /// nullability, patterns, defaults, lifecycle).
    ByHand,
    /// Not compared: no consumer sees a change of it (`title` matches branches,
    /// `dependencies` is read into the 2020-12 keywords).
    No,
    /// A bound. `upper` (`maximum`, `maxLength`): raising it or removing it lets more
    /// values through. Suffixes: increased, decreased, set, unset.
    Bound {
        upper: bool,
        kinds: [&'static str; 4],
    },
    /// A value: added (narrows), removed (widens), changed.
    Value { kinds: [&'static str; 3] },
    /// A value whose every difference is one change (`contentMediaType`): details
    /// `[old, new]`, empty when absent.
    Changed { kind: &'static str },
    /// A flag: set (narrows), unset (widens).
    Flag { kinds: [&'static str; 2] },
    /// A sub-schema: presence (added narrows, removed widens), then the pair compared
    /// as a schema entered as `enter` says. `inner` are the kinds a change inside it
    /// becomes at the parent under [`Enter::Inner`], `Flipped` and `Opaque`: widened,
    /// narrowed, changed.
    Sub {
        kinds: [&'static str; 2],
        inner: [&'static str; 3],
        enter: Enter,
    },
    /// A map of sub-schemas: keys added (narrows) and removed (widens), the schemas of
    /// common keys compared.
    Keyed {
        kinds: [&'static str; 2],
        enter: Enter,
    },
    /// A list of sub-schemas by position (`prefixItems`): entries added and removed,
    /// common positions compared.
    Indexed {
        kinds: [&'static str; 2],
        enter: Enter,
    },
    /// A boolean or a schema, ordered open (absent, `true`) ⊇ schema ⊇ closed
    /// (`false`): narrowed, widened; two schemas are compared.
    Open {
        kinds: [&'static str; 2],
        enter: Enter,
    },
}

/// One row of [`KEYWORDS`].
#[derive(Clone, Copy)]
pub struct Keyword {
    pub kw: Kw,
    /// The JSON name (`maxLength`).
    pub name: &'static str,
    pub slot: Slot,
    pub read: Read,
    pub role: Role,
    pub compare: Compare,
}

macro_rules! slot {
    (special $p:expr) => {
        Slot::Special($p)
    };
    (count $f:ident) => {
        Slot::Count(|s| s.extra().$f, |s, v| s.extra_mut().$f = Some(v))
    };
    (number $f:ident) => {
        Slot::Number(|s| s.extra().$f, |s, v| s.extra_mut().$f = Some(v))
    };
    (text own $f:ident) => {
        Slot::Text(|s| s.$f.as_deref(), |s, v| s.$f = Some(v))
    };
    (text $f:ident) => {
        Slot::Text(
            |s| s.extra().$f.as_deref(),
            |s, v| s.extra_mut().$f = Some(v),
        )
    };
    (flag own $f:ident) => {
        Slot::Flag(|s| s.$f, |s| s.$f = true)
    };
    (flag $f:ident) => {
        Slot::Flag(|s| s.extra().$f, |s| s.extra_mut().$f = true)
    };
    (raw $f:ident) => {
        Slot::Raw(|s| s.extra().$f.as_ref(), |s, v| s.extra_mut().$f = Some(v))
    };
    (sub $f:ident) => {
        Slot::Sub(|s| s.extra().$f, |s, v| s.extra_mut().$f = Some(v))
    };
    (list own $f:ident) => {
        Slot::List(|s| &s.$f, |s, v| s.$f = v)
    };
    (list $f:ident) => {
        Slot::List(
            |s| &s.extra().$f,
            |s, v| {
                if !v.is_empty() {
                    s.extra_mut().$f = v
                }
            },
        )
    };
    (map $f:ident) => {
        Slot::Map(
            |s| &s.extra().$f,
            |s, v| {
                if !v.is_empty() {
                    s.extra_mut().$f = v
                }
            },
        )
    };
    (open own $f:ident) => {
        Slot::Open(|s| s.$f, |s, v| s.$f = Some(v))
    };
    (open $f:ident) => {
        Slot::Open(|s| s.extra().$f, |s, v| s.extra_mut().$f = Some(v))
    };
}

macro_rules! compare {
    (by_hand) => {
        Compare::ByHand
    };
    (no) => {
        Compare::No
    };
    (upper $s:literal) => {
        Compare::Bound {
            upper: true,
            kinds: [
                concat!($s, "-increased"),
                concat!($s, "-decreased"),
                concat!($s, "-set"),
                concat!($s, "-unset"),
            ],
        }
    };
    (lower $s:literal) => {
        Compare::Bound {
            upper: false,
            kinds: [
                concat!($s, "-increased"),
                concat!($s, "-decreased"),
                concat!($s, "-set"),
                concat!($s, "-unset"),
            ],
        }
    };
    (value $s:literal) => {
        Compare::Value {
            kinds: [
                concat!($s, "-added"),
                concat!($s, "-removed"),
                concat!($s, "-changed"),
            ],
        }
    };
    (changed $s:literal) => {
        Compare::Changed {
            kind: concat!($s, "-changed"),
        }
    };
    (flag $s:literal) => {
        Compare::Flag {
            kinds: [concat!($s, "-set"), concat!($s, "-unset")],
        }
    };
    (sub $s:literal $e:ident) => {
        Compare::Sub {
            kinds: [concat!($s, "-added"), concat!($s, "-removed")],
            inner: [
                concat!($s, "-widened"),
                concat!($s, "-narrowed"),
                concat!($s, "-changed"),
            ],
            enter: Enter::$e,
        }
    };
    (keyed $s:literal $e:ident) => {
        Compare::Keyed {
            kinds: [concat!($s, "-added"), concat!($s, "-removed")],
            enter: Enter::$e,
        }
    };
    (indexed $s:literal $e:ident) => {
        Compare::Indexed {
            kinds: [concat!($s, "-added"), concat!($s, "-removed")],
            enter: Enter::$e,
        }
    };
    (open $n:literal $w:literal $e:ident) => {
        Compare::Open {
            kinds: [$n, $w],
            enter: Enter::$e,
        }
    };
}

macro_rules! keywords {
    ($($kw:ident $name:literal [$($slot:tt)*] $read:ident $role:ident [$($cmp:tt)*];)*) => {
        /// A keyword of [`KEYWORDS`], in table order (`KEYWORDS[kw as usize].kw == kw`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kw { $($kw),* }

        /// Every keyword apidrift reads, one row each.
        pub const KEYWORDS: &[Keyword] = &[$(Keyword {
            kw: Kw::$kw,
            name: $name,
            slot: slot!($($slot)*),
            read: Read::$read,
            role: Role::$role,
            compare: compare!($($cmp)*),
        }),*];

        impl Kw {
            /// The keyword named `k` (one `match` on the name: the reader asks it for
            /// every key of every schema object).
            pub fn of(k: &str) -> Option<Kw> {
                match k {
                    $($name => Some(Kw::$kw),)*
                    _ => None,
                }
            }
        }
    };
}

// Columns: keyword, JSON name, [slot], how it is read, role, [how it is compared].
// Bound suffixes are oasdiff's stems (`max-length`, `min-items`, `exclusive-min`).
keywords! {
    Type                  "type"                  [special |s| !s.types.is_empty()]                      ByHand Constraint [by_hand];
    Nullable              "nullable"              [special |s| s.nullable]                               ByHand Constraint [by_hand];
    XNullable             "x-nullable"            [special |s| s.nullable]                               ByHand Constraint [by_hand];
    Format                "format"                [text own format]                                      Table  Constraint [by_hand];
    Title                 "title"                 [text title]                                           Table  Annotation [no];
    Description           "description"           [text own description]                                 Table  Annotation [no];
    Enum                  "enum"                  [special |s| s.enum_values.is_some()]                  ByHand Constraint [by_hand];
    Const                 "const"                 [raw const_value]                                      Table  Constraint [value "const"];
    Default               "default"               [raw default]                                          Table  Annotation [by_hand];
    XExtensibleEnum       "x-extensible-enum"     [special |s| s.extra().extensible_enum.is_some()]      ByHand Annotation [by_hand];
    Properties            "properties"            [special |s| !s.properties.is_empty()]                 ByHand Constraint [by_hand];
    Required              "required"              [special |s| !s.required.is_empty()]                   ByHand Constraint [by_hand];
    AdditionalProperties  "additionalProperties"  [open own additional_properties]                       Table  Constraint [open "additional-properties-narrowed" "additional-properties-widened" Any];
    PatternProperties     "patternProperties"     [map pattern_properties]                               Table  Constraint [keyed "pattern-property" Any];
    PropertyNames         "propertyNames"         [sub property_names]                                   Table  Constraint [sub "property-names" Inner];
    MinProperties         "minProperties"         [count min_properties]                                 Table  Constraint [lower "min-properties"];
    MaxProperties         "maxProperties"         [count max_properties]                                 Table  Constraint [upper "max-properties"];
    DependentRequired     "dependentRequired"     [special |s| !s.extra().dependent_required.is_empty()] ByHand Constraint [by_hand];
    DependentSchemas      "dependentSchemas"      [map dependent_schemas]                                Table  Constraint [keyed "dependent-schema" Merged];
    Dependencies          "dependencies"          [special |_| false]                                    ByHand Constraint [no];
    UnevaluatedProperties "unevaluatedProperties" [open unevaluated_properties]                          Table  Constraint [open "unevaluated-properties-added" "unevaluated-properties-removed" Any];
    Items                 "items"                 [special |s| s.items.is_some()]                        ByHand Constraint [by_hand];
    PrefixItems           "prefixItems"           [list prefix_items]                                    ByHand Constraint [indexed "prefix-items" Items];
    Contains              "contains"              [sub contains]                                         Table  Constraint [sub "contains" Inner];
    MinContains           "minContains"           [count min_contains]                                   Table  Constraint [lower "min-contains"];
    MaxContains           "maxContains"           [count max_contains]                                   Table  Constraint [upper "max-contains"];
    MinItems              "minItems"              [count min_items]                                      Table  Constraint [lower "min-items"];
    MaxItems              "maxItems"              [count max_items]                                      Table  Constraint [upper "max-items"];
    UniqueItems           "uniqueItems"           [flag unique_items]                                    Table  Constraint [flag "unique-items"];
    UnevaluatedItems      "unevaluatedItems"      [open unevaluated_items]                               Table  Constraint [open "unevaluated-items-added" "unevaluated-items-removed" Items];
    Minimum               "minimum"               [number minimum]                                       Table  Constraint [lower "min"];
    Maximum               "maximum"               [number maximum]                                       Table  Constraint [upper "max"];
    ExclusiveMinimum      "exclusiveMinimum"      [number exclusive_minimum]                             ByHand Constraint [lower "exclusive-min"];
    ExclusiveMaximum      "exclusiveMaximum"      [number exclusive_maximum]                             ByHand Constraint [upper "exclusive-max"];
    MultipleOf            "multipleOf"            [number multiple_of]                                   Table  Constraint [value "multiple-of"];
    MinLength             "minLength"             [count min_length]                                     Table  Constraint [lower "min-length"];
    MaxLength             "maxLength"             [count max_length]                                     Table  Constraint [upper "max-length"];
    Pattern               "pattern"               [text pattern]                                         Table  Constraint [by_hand];
    ContentMediaType      "contentMediaType"      [text content_media_type]                              Table  Constraint [changed "content-media-type"];
    ContentEncoding       "contentEncoding"       [text content_encoding]                                Table  Constraint [changed "content-encoding"];
    ContentSchema         "contentSchema"         [sub content_schema]                                   Table  Constraint [sub "content-schema" Inner];
    AllOf                 "allOf"                 [list own all_of]                                      Table  Constraint [by_hand];
    AnyOf                 "anyOf"                 [list own any_of]                                      Table  Constraint [by_hand];
    OneOf                 "oneOf"                 [list own one_of]                                      Table  Constraint [by_hand];
    Not                   "not"                   [sub not]                                              Table  Constraint [sub "not" Flipped];
    If                    "if"                    [sub if_schema]                                        Table  Constraint [sub "if" Opaque];
    Then                  "then"                  [sub then_schema]                                      Table  Constraint [sub "then" Merged];
    Else                  "else"                  [sub else_schema]                                      Table  Constraint [sub "else" Merged];
    Discriminator         "discriminator"         [special |s| s.extra().discriminator.is_some()]        ByHand Annotation [by_hand];
    ReadOnly              "readOnly"              [flag own read_only]                                   Table  Constraint [by_hand];
    WriteOnly             "writeOnly"             [flag own write_only]                                  Table  Constraint [by_hand];
    Deprecated            "deprecated"            [flag own deprecated]                                  Table  Annotation [by_hand];
    XSunset               "x-sunset"              [text sunset]                                          Table  Annotation [by_hand];
    XStability            "x-stability-level"     [text stability]                                       Table  Annotation [by_hand];
}

/// The number of keywords (the reader keeps one slot per keyword).
pub const KW_COUNT: usize = KEYWORDS.len();

impl Kw {
    /// The keyword's row.
    pub fn row(self) -> &'static Keyword {
        &KEYWORDS[self as usize]
    }

    /// The JSON name.
    pub fn name(self) -> &'static str {
        self.row().name
    }
}

/// True when `s` holds no keyword that constrains the wire (only `description`,
/// `title`, `default`, `deprecated` and the like), and is no `$ref` to a component.
pub fn is_annotation_only(s: &Schema) -> bool {
    s.ref_name.is_none() && annotates_only_besides(s, &[])
}

/// True when every keyword of `s` but those in `besides` only annotates (`s` may be a
/// named component).
pub fn annotates_only_besides(s: &Schema, besides: &[Kw]) -> bool {
    KEYWORDS
        .iter()
        .all(|k| k.role == Role::Annotation || besides.contains(&k.kw) || !k.slot.present(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_keyword_order_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for (i, k) in KEYWORDS.iter().enumerate() {
            assert_eq!(k.kw as usize, i, "{}", k.name);
            assert_eq!(Kw::of(k.name), Some(k.kw));
            assert!(names.insert(k.name), "{} twice", k.name);
        }
    }

    #[test]
    fn slots_read_back_what_they_write() {
        for k in KEYWORDS {
            let mut s = Schema::default();
            assert!(!k.slot.present(&s), "{} present in an empty schema", k.name);
            match k.slot {
                Slot::Count(g, set) => {
                    set(&mut s, 3);
                    assert_eq!(g(&s), Some(3), "{}", k.name);
                }
                Slot::Number(g, set) => {
                    set(&mut s, 1.5);
                    assert_eq!(g(&s), Some(1.5), "{}", k.name);
                }
                Slot::Text(g, set) => {
                    set(&mut s, "x".into());
                    assert_eq!(g(&s), Some("x"), "{}", k.name);
                }
                Slot::Flag(g, set) => {
                    set(&mut s);
                    assert!(g(&s), "{}", k.name);
                }
                Slot::Raw(g, set) => {
                    set(&mut s, Value::from(1));
                    assert_eq!(g(&s), Some(&Value::from(1)), "{}", k.name);
                }
                Slot::Sub(g, set) => {
                    set(&mut s, SchemaId(7));
                    assert_eq!(g(&s), Some(SchemaId(7)), "{}", k.name);
                }
                Slot::List(g, set) => {
                    set(&mut s, vec![SchemaId(7)]);
                    assert_eq!(g(&s), [SchemaId(7)], "{}", k.name);
                }
                Slot::Map(g, set) => {
                    set(&mut s, [("a".to_string(), SchemaId(7))].into());
                    assert_eq!(g(&s).len(), 1, "{}", k.name);
                }
                Slot::Open(g, set) => {
                    set(&mut s, AdditionalProperties::Bool(false));
                    assert_eq!(g(&s), Some(AdditionalProperties::Bool(false)), "{}", k.name);
                }
                Slot::Special(_) => continue,
            }
            assert!(k.slot.present(&s), "{} absent after a write", k.name);
        }
    }

    #[test]
    fn annotation_only_means_no_constraint_keyword() {
        let mut s = Schema {
            description: Some("d".into()),
            deprecated: true,
            ..Schema::default()
        };
        s.extra_mut().title = Some("t".into());
        assert!(is_annotation_only(&s));
        for kw in [
            Kw::MinProperties,
            Kw::UniqueItems,
            Kw::MultipleOf,
            Kw::PatternProperties,
            Kw::If,
        ] {
            let mut c = s.clone();
            match kw.row().slot {
                Slot::Count(_, set) => set(&mut c, 1),
                Slot::Number(_, set) => set(&mut c, 2.0),
                Slot::Flag(_, set) => set(&mut c),
                Slot::Sub(_, set) => set(&mut c, SchemaId(0)),
                Slot::Map(_, set) => set(&mut c, [("^a".to_string(), SchemaId(0))].into()),
                _ => unreachable!("the keywords above have these slots"),
            }
            assert!(!is_annotation_only(&c), "{} is a constraint", kw.name());
        }
    }
}
