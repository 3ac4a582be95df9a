//! The judgement of a property's lifecycle change at one site: which of the lifecycle
//! kinds (`deprecated`, `sunset-date-too-small`, `stability-decreased`...) a raw
//! [`What::Lifecycle`](super::graph::What) change becomes, given the site operation's
//! `x-stability-level` and the deprecation-days policy. Modelled on the parameter and
//! endpoint rules of `diff::params` and `diff::lifecycle`.
//!
//! Must not: name a rule (the site prefix is `resolve`'s).

use super::graph::{B_DEPRECATED, B_STABILITY, B_SUNSET, R_DEPRECATED, R_STABILITY, R_SUNSET, Rel};
use super::kinds::{self, Kind};
use crate::diff::DiffOptions;
use crate::diff::lifecycle::{self, Stability};

/// What the lifecycle judgement of a property needs besides the pair: the operations'
/// `x-stability-level` (the level of a property without one of its own, as for
/// parameters) and the options holding the deprecation-days policy and today's date.
#[derive(Clone, Copy)]
pub(super) struct Life<'a> {
    pub base_op: Option<&'a str>,
    pub rev_op: Option<&'a str>,
    pub opts: &'a DiffOptions,
}

/// The lifecycle kinds and their details for a lifecycle change:
/// - stability: each side's level is the property's `x-stability-level`, else its
///   operation's; a change is reported when the base level was at least beta (below
///   it nothing was promised) and neither level is invalid;
/// - deprecation: judged by the deprecation-days policy of the revision level (0 days,
///   so no policy, when that level is invalid): deprecated without `x-sunset` under a
///   policy, with an unparsable `x-sunset` (also when a deprecated property's
///   `x-sunset` changes to one), or with a sunset closer than the policy allows.
pub(super) fn judge(r: &Rel, life: &Life<'_>) -> Vec<(Kind, Vec<String>)> {
    let raw = |bit: u16, i: usize| {
        (r.flags & bit != 0)
            .then(|| r.details.get(i).map(String::as_str))
            .flatten()
    };
    let (bsun, rsun) = (raw(B_SUNSET, 0), raw(R_SUNSET, 1));
    let (bstab, rstab) = (raw(B_STABILITY, 2), raw(R_STABILITY, 3));
    let base_level = Stability::parse(bstab.or(life.base_op));
    let rev_level = Stability::parse(rstab.or(life.rev_op));
    let mut out = Vec::new();
    if bstab != rstab
        && let (Ok(bs), Ok(rs)) = (base_level, &rev_level)
        && bs >= Stability::Beta
        && bs != *rs
    {
        let kind = if *rs < bs {
            kinds::STABILITY_DECREASED
        } else {
            kinds::STABILITY_INCREASED
        };
        out.push((kind, vec![bs.as_str().to_string(), rs.as_str().to_string()]));
    }
    let days = rev_level
        .map(|s| lifecycle::policy_days(life.opts, s))
        .unwrap_or(0);
    let (bdep, rdep) = (r.flags & B_DEPRECATED != 0, r.flags & R_DEPRECATED != 0);
    match (bdep, rdep, rsun) {
        (true, false, _) => out.push((kinds::REACTIVATED, vec![])),
        (false, true, None) if days > 0 => {
            out.push((kinds::DEPRECATED_SUNSET_MISSING, vec![days.to_string()]))
        }
        (false, true, None) => out.push((kinds::DEPRECATED, vec![])),
        (false, true, Some(raw)) => match lifecycle::parse_sunset(raw) {
            None => out.push((kinds::DEPRECATED_SUNSET_INVALID, vec![raw.to_string()])),
            Some(date) if (date - lifecycle::today_of(life.opts)).num_days() < i64::from(days) => {
                out.push((
                    kinds::SUNSET_DATE_TOO_SMALL,
                    vec![date.to_string(), days.to_string()],
                ))
            }
            Some(date) => out.push((kinds::DEPRECATED_WITH_SUNSET, vec![date.to_string()])),
        },
        (true, true, Some(raw)) if bsun != Some(raw) && lifecycle::parse_sunset(raw).is_none() => {
            out.push((kinds::DEPRECATED_SUNSET_INVALID, vec![raw.to_string()]))
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::schema::graph::What;

    fn life_rel(flags: u16, details: [&str; 4]) -> Rel {
        Rel {
            what: What::Lifecycle,
            prop: None,
            flags,
            details: details.iter().map(|d| d.to_string()).collect(),
            base_ptr: None,
            rev_ptr: None,
        }
    }

    fn suffixes(v: Vec<(Kind, Vec<String>)>) -> Vec<(&'static str, Vec<String>)> {
        v.into_iter().map(|(k, d)| (k.suffix, d)).collect()
    }

    #[test]
    fn property_lifecycle_uses_its_own_level_before_the_operation() {
        let opts = DiffOptions {
            today: Some("2026-01-01".into()),
            deprecation_days_beta: 10,
            deprecation_days_stable: 90,
            ..DiffOptions::default()
        };
        let life = Life {
            base_op: Some("stable"),
            rev_op: Some("stable"),
            opts: &opts,
        };
        // Deprecated, the property itself beta: the beta policy (10 days) judges it.
        let r = life_rel(
            R_DEPRECATED | R_SUNSET | B_STABILITY | R_STABILITY,
            ["", "2026-02-01", "beta", "beta"],
        );
        assert_eq!(
            suffixes(judge(&r, &life)),
            [("deprecated-with-sunset", vec!["2026-02-01".to_string()])]
        );
        // Dropping its own beta level puts it at the operation's (stable): a raise,
        // and the stable policy (90 days) finds the same sunset too early.
        let r = life_rel(
            R_DEPRECATED | R_SUNSET | B_STABILITY,
            ["", "2026-02-01", "beta", ""],
        );
        assert_eq!(
            suffixes(judge(&r, &life)),
            [
                (
                    "stability-increased",
                    vec!["beta".to_string(), "stable".to_string()]
                ),
                (
                    "sunset-date-too-small",
                    vec!["2026-02-01".to_string(), "90".to_string()]
                ),
            ]
        );
        // An invalid level reports no stability change and turns the policy off.
        let r = life_rel(
            R_DEPRECATED | B_STABILITY | R_STABILITY,
            ["", "", "stable", "ga"],
        );
        assert_eq!(suffixes(judge(&r, &life)), [("deprecated", vec![])]);
        // Raising a property that was alpha promised nothing before: not reported.
        let r = life_rel(B_STABILITY | R_STABILITY, ["", "", "alpha", "stable"]);
        assert!(judge(&r, &life).is_empty());
    }
}
