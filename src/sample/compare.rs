//! Compares the shape of a sample now with the shape stored in the baseline.
//! Must not: look at the spec (that is `conformance`) or at values (shapes hold none).
//!
//! Findings (ids in `area-thing-action` shape; levels for a consumed field, then for
//! one nobody reads):
//! - `sample-items-missing`: the items pointer finds nothing any more (ERR, lost);
//! - `sample-item-count-dropped`: the item count fell by at least
//!   `item_drop_share` (default 0.5): the vendor may now hide part of the list (WARN,
//!   at risk, for every consumed field);
//! - `sample-field-missing`: in no item any more. Lost (ERR) when the baseline had it
//!   in at least `stable_presence` of the items; at risk (WARN) when it was sparse
//!   anyway; WARN for a field nobody reads;
//! - `sample-field-always-null`: now null in every item that has it, and was not
//!   before; for a consumed field, whenever it is (ERR, lost; INFO unconsumed);
//! - `sample-field-presence-dropped`: present in a share of items lower than the
//!   baseline's by more than `presence_drop` (WARN, at risk; INFO unconsumed);
//! - `sample-field-type-changed`: a JSON type not seen before (an integer where the
//!   baseline saw numbers is not new) (ERR, lost; WARN unconsumed);
//! - `sample-field-format-changed`: a string format the baseline always saw is gone
//!   (WARN, at risk; INFO unconsumed);
//! - `sample-field-added`: a path the baseline never saw (INFO).

use super::SampleFinding;
use super::infer::{Container, JsonType, Shape};
use crate::diff::Level;
use crate::impact::FieldState;
use crate::impact::walk::is_prefix;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// Report the item count when it fell by at least this share (0.5: halved).
    pub item_drop_share: f64,
    /// A field present in at least this share of baseline items is expected in every
    /// sample; its disappearance loses it.
    pub stable_presence: f64,
    /// A fall of the presence share by more than this is `presence-dropped`.
    pub presence_drop: f64,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            item_drop_share: 0.5,
            stable_presence: 0.9,
            presence_drop: 0.25,
        }
    }
}

fn new_types_compatible(base: &std::collections::BTreeSet<JsonType>, t: JsonType) -> bool {
    base.contains(&t) || (t == JsonType::Integer && base.contains(&JsonType::Number))
}

/// Compares `now` with `base`. `consumed` are the item-rooted paths the fetcher reads;
/// a finding on a path under a consumed field (or on its ancestor) counts as consumed.
/// The result is sorted by (field, id).
pub fn compare(
    base: &Shape,
    now: &Shape,
    consumed: &[String],
    opts: &CompareOptions,
) -> Vec<SampleFinding> {
    let is_consumed = |p: &str| consumed.iter().any(|c| is_prefix(p, c) || is_prefix(c, p));
    let any_consumed = !consumed.is_empty();
    let mut out = Vec::new();

    if now.container == Container::Missing && base.container != Container::Missing {
        out.push(SampleFinding::new(
            "sample-items-missing",
            Level::Err,
            None,
            any_consumed,
            any_consumed.then_some(FieldState::Lost),
            "the list of items is no longer where the sample's items pointer says".to_string(),
        ));
        return out;
    }
    if base.items > 0 {
        let dropped = base.items.saturating_sub(now.items) as f64 / base.items as f64;
        if dropped >= opts.item_drop_share && now.items < base.items {
            out.push(SampleFinding::new(
                "sample-item-count-dropped",
                Level::Warn,
                None,
                any_consumed,
                any_consumed.then_some(FieldState::AtRisk),
                format!(
                    "the sample returned {} items, the baseline {}: the vendor may now hide part of the list",
                    now.items, base.items
                ),
            ));
        }
    }
    if now.items == 0 {
        return out;
    }

    for (path, b) in &base.fields {
        if b.present == 0 {
            continue;
        }
        let c = is_consumed(path);
        let pick = |consumed_level: Level, state: FieldState, other: Level| {
            if c {
                (consumed_level, Some(state))
            } else {
                (other, None)
            }
        };
        let Some(n) = now.fields.get(path).filter(|n| n.present > 0) else {
            let stable = b.presence(base.items) >= opts.stable_presence;
            let (level, effect) = if stable {
                pick(Level::Err, FieldState::Lost, Level::Warn)
            } else {
                pick(Level::Warn, FieldState::AtRisk, Level::Info)
            };
            out.push(SampleFinding::new(
                "sample-field-missing",
                level,
                Some(path),
                c,
                effect,
                format!(
                    "`{path}` is in none of {} items (baseline: {} of {})",
                    now.items, b.present, base.items
                ),
            ));
            continue;
        };
        if n.always_null() && (!b.always_null() || c) {
            let (level, effect) = pick(Level::Err, FieldState::Lost, Level::Info);
            out.push(SampleFinding::new(
                "sample-field-always-null",
                level,
                Some(path),
                c,
                effect,
                format!(
                    "`{path}` is null in every item that has it ({} of {})",
                    n.present, now.items
                ),
            ));
        }
        let (pb, pn) = (b.presence(base.items), n.presence(now.items));
        if pb - pn > opts.presence_drop {
            let (level, effect) = pick(Level::Warn, FieldState::AtRisk, Level::Info);
            out.push(SampleFinding::new(
                "sample-field-presence-dropped",
                level,
                Some(path),
                c,
                effect,
                format!(
                    "`{path}` is in {} of {} items (baseline: {} of {})",
                    n.present, now.items, b.present, base.items
                ),
            ));
        }
        let new: Vec<&str> = n
            .types
            .iter()
            .filter(|t| !new_types_compatible(&b.types, **t))
            .map(|t| t.as_str())
            .collect();
        if !new.is_empty() && !b.types.is_empty() {
            let (level, effect) = pick(Level::Err, FieldState::Lost, Level::Warn);
            let was: Vec<&str> = b.types.iter().map(|t| t.as_str()).collect();
            out.push(SampleFinding::new(
                "sample-field-type-changed",
                level,
                Some(path),
                c,
                effect,
                format!(
                    "`{path}` now holds {} (baseline: {})",
                    new.join(", "),
                    was.join(", ")
                ),
            ));
        }
        let gone: Vec<&str> = b
            .formats
            .difference(&n.formats)
            .map(|f| f.as_str())
            .collect();
        if !gone.is_empty() && n.types.contains(&JsonType::String) {
            let (level, effect) = pick(Level::Warn, FieldState::AtRisk, Level::Info);
            out.push(SampleFinding::new(
                "sample-field-format-changed",
                level,
                Some(path),
                c,
                effect,
                format!("`{path}` values are no longer all {}", gone.join(", ")),
            ));
        }
    }
    // A consumed field the baseline never saw with a value but that is always null
    // now still gives its reader nothing.
    for path in consumed {
        if base.fields.get(path).is_some_and(|b| b.present > 0) {
            continue;
        }
        if let Some(n) = now.fields.get(path).filter(|n| n.always_null()) {
            out.push(SampleFinding::new(
                "sample-field-always-null",
                Level::Err,
                Some(path),
                true,
                Some(FieldState::Lost),
                format!(
                    "`{path}` is null in every item that has it ({} of {})",
                    n.present, now.items
                ),
            ));
        }
    }
    for (path, n) in &now.fields {
        if n.present > 0 && base.fields.get(path).is_none_or(|b| b.present == 0) {
            // Report the topmost new path only: `a` added implies `a.b`.
            let parent_new =
                ancestors(path).any(|q| now.fields.contains_key(q) && !base.fields.contains_key(q));
            if parent_new {
                continue;
            }
            out.push(SampleFinding::new(
                "sample-field-added",
                Level::Info,
                Some(path),
                is_consumed(path),
                None,
                format!(
                    "`{path}` appears in {} of {} items and not in the baseline",
                    n.present, now.items
                ),
            ));
        }
    }
    out.sort_by(|a, b| (&a.field, &a.id).cmp(&(&b.field, &b.id)));
    out
}

/// Every proper ancestor path of `path` (`a.b[].c` → `a`, `a.b`, `a.b[]`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(i, c)| i > 0 && (c == '.' || c == '['))
        .map(move |(i, _)| &path[..i])
}
