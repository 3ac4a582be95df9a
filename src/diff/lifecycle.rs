//! Lifecycle of endpoints: deprecation, `x-sunset`, `x-stability-level`, the
//! deprecation-days policy, and the semver policy on `info.version`.
//!
//! Owns the helpers every other check uses to read these extensions (sunset dates,
//! stability levels, today's date). Must not: judge parameters, bodies or schemas
//! (parameter deprecation lives in `params`, property deprecation and stability in
//! `schema`).

use super::rules::Rule;
use super::{DiffOptions, Emitter, Level, Scope, Section};
use crate::model::Operation;
use crate::named_rules;
use chrono::NaiveDate;

named_rules! {
    ENDPOINT_DEPRECATED               oasdiff "endpoint-deprecated"               Info None     lifecycle    set        "endpoint marked deprecated without x-sunset" "endpoint deprecated";
    ENDPOINT_DEPRECATED_WITH_SUNSET   oasdiff "endpoint-deprecated-with-sunset"   Info None     lifecycle    set        "endpoint marked deprecated with an x-sunset date" "endpoint deprecated with sunset date {0}";
    ENDPOINT_REACTIVATED              oasdiff "endpoint-reactivated"              Info None     lifecycle    remove     "endpoint deprecated flag cleared" "endpoint reactivated";
    API_DEPRECATED_SUNSET_PARSE       oasdiff "api-deprecated-sunset-parse"       Err  None     lifecycle    change     "endpoint deprecated with an x-sunset that is not an RFC 3339 date" "endpoint deprecated with an unparsable sunset date {0}";
    API_DEPRECATED_SUNSET_MISSING     oasdiff "api-deprecated-sunset-missing"     Err  None     lifecycle    change     "endpoint deprecated without x-sunset while a deprecation-days policy is on" "endpoint deprecated without a sunset date while the policy requires {0} days";
    API_SUNSET_DATE_TOO_SMALL         oasdiff "api-sunset-date-too-small"         Err  None     lifecycle    change     "endpoint x-sunset closer than the deprecation-days policy allows" "endpoint sunset date {0} is too early: the policy requires at least {1} days of deprecation";
    API_SUNSET_DATE_CHANGED_TOO_SMALL oasdiff "api-sunset-date-changed-too-small" Err  None     lifecycle    change     "endpoint x-sunset moved earlier than the deprecation-days policy allows" "endpoint sunset date moved from {0} to {1}, earlier than the {2} days the policy requires";
    SUNSET_DELETED                    oasdiff "sunset-deleted"                    Err  None     lifecycle    remove     "x-sunset removed from an endpoint that is still deprecated" "endpoint sunset date deleted while the endpoint stays deprecated";
    API_PATH_SUNSET_PARSE             oasdiff "api-path-sunset-parse"             Err  None     lifecycle    change     "x-sunset on a removed or changed endpoint cannot be parsed" "endpoint sunset date {0} cannot be parsed";
    API_INVALID_STABILITY_LEVEL       oasdiff "api-invalid-stability-level"       Err  None     lifecycle    change     "x-stability-level is not one of draft, alpha, beta, stable" "endpoint has an invalid stability level {0}";
    API_STABILITY_DECREASED           oasdiff "api-stability-decreased"           Err  None     lifecycle    decrease   "endpoint x-stability-level lowered (e.g. stable -> beta)" "endpoint stability level decreased from {0} to {1}";
    API_STABILITY_INCREASED           oasdiff "api-stability-increased"           Info None     lifecycle    increase   "endpoint x-stability-level raised" "endpoint stability level increased from {0} to {1}";
    API_VERSION_NOT_BUMPED            oasdiff "api-version-not-bumped"            Info None     lifecycle    change     "a breaking change was found but info.version is unchanged" "a breaking change was detected but the version was not bumped from {0}";
    API_VERSION_DECREASED             oasdiff "api-version-decreased"             Info None     lifecycle    decrease   "a breaking change was found and info.version went backwards" "a breaking change was detected and the version decreased from {0} to {1}";
    API_MAJOR_VERSION_NOT_BUMPED      oasdiff "api-major-version-not-bumped"      Info None     lifecycle    change     "a breaking change was found but the semver major did not increase" "a breaking change was detected but the major version did not increase, from {0} to {1}";
}

/// `x-stability-level` values in increasing order of promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stability {
    Draft,
    Alpha,
    Beta,
    Stable,
}

impl Stability {
    pub fn as_str(self) -> &'static str {
        match self {
            Stability::Draft => "draft",
            Stability::Alpha => "alpha",
            Stability::Beta => "beta",
            Stability::Stable => "stable",
        }
    }

    /// Parses a stability level; `None` (absent) means stable. `Err` carries the bad value.
    pub fn parse(raw: Option<&str>) -> Result<Stability, String> {
        match raw {
            None => Ok(Stability::Stable),
            Some("draft") => Ok(Stability::Draft),
            Some("alpha") => Ok(Stability::Alpha),
            Some("beta") => Ok(Stability::Beta),
            Some("stable") => Ok(Stability::Stable),
            Some(other) => Err(other.to_string()),
        }
    }
}

/// True when the operation is marked draft or alpha: below oasdiff's default stability
/// threshold (beta), so it promises nothing and its removal or changes are not judged.
pub fn below_threshold(op: &Operation) -> bool {
    matches!(
        Stability::parse(op.stability.as_deref()),
        Ok(Stability::Draft | Stability::Alpha)
    )
}

/// Parses an `x-sunset` value: an RFC 3339 full date (`2026-05-01`) or date-time.
pub fn parse_sunset(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(d);
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|dt| dt.date_naive())
}

/// Today's date: `DiffOptions::today` when set (tests pin it), else the UTC date.
pub fn today(em: &Emitter<'_>) -> NaiveDate {
    today_of(em.opts)
}

/// [`today`] from the options alone (for walks that hold no `Emitter`).
pub fn today_of(opts: &DiffOptions) -> NaiveDate {
    opts.today
        .as_deref()
        .and_then(parse_sunset)
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Days of deprecation the policy requires for an endpoint at this stability (0 = off).
pub fn deprecation_days(em: &Emitter<'_>, stability: Stability) -> u32 {
    policy_days(em.opts, stability)
}

/// [`deprecation_days`] from the options alone.
pub fn policy_days(opts: &DiffOptions, stability: Stability) -> u32 {
    match stability {
        Stability::Draft | Stability::Alpha => 0,
        Stability::Beta => opts.deprecation_days_beta,
        Stability::Stable => opts.deprecation_days_stable,
    }
}

/// What the removal of an operation (alone, or with its whole path item when `whole_path`)
/// amounts to: the rule id and its args, or `None` when a removal after its sunset date
/// needs no report.
pub fn removal(
    op: &Operation,
    path_sunset: Option<&str>,
    whole_path: bool,
    today: NaiveDate,
) -> Option<(&'static Rule, Vec<String>)> {
    let (without, with, before) = if whole_path {
        (
            &super::endpoints::API_PATH_REMOVED_WITHOUT_DEPRECATION,
            &super::endpoints::API_PATH_REMOVED_WITH_DEPRECATION,
            &super::endpoints::API_PATH_REMOVED_BEFORE_SUNSET,
        )
    } else {
        (
            &super::endpoints::API_REMOVED_WITHOUT_DEPRECATION,
            &super::endpoints::API_REMOVED_WITH_DEPRECATION,
            &super::endpoints::API_REMOVED_BEFORE_SUNSET,
        )
    };
    if !op.deprecated {
        return Some((without, vec![]));
    }
    let Some(raw) = op.sunset.as_deref().or(path_sunset) else {
        return Some((with, vec![]));
    };
    match parse_sunset(raw) {
        None => Some((&API_PATH_SUNSET_PARSE, vec![raw.to_string()])),
        Some(date) if today < date => Some((before, vec![date.to_string()])),
        Some(_) => None,
    }
}

/// Deprecation, sunset and stability changes of an operation present on both sides.
pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    let bp = || Some(b.pointer.clone());
    let rp = || Some(r.pointer.clone());

    let base_stab = Stability::parse(b.stability.as_deref());
    let rev_stab = Stability::parse(r.stability.as_deref());
    if let Err(bad) = &base_stab {
        em.emit(
            scope,
            &API_INVALID_STABILITY_LEVEL,
            vec![bad.clone()],
            bp(),
            None,
        );
    }
    if let Err(bad) = &rev_stab {
        em.emit(
            scope,
            &API_INVALID_STABILITY_LEVEL,
            vec![bad.clone()],
            None,
            rp(),
        );
    }
    if let (Ok(bs), Ok(rs)) = (&base_stab, &rev_stab) {
        let (bs, rs) = (*bs, *rs);
        let args = vec![bs.as_str().to_string(), rs.as_str().to_string()];
        // Gate on the level the endpoint leaves: an endpoint that was below the
        // threshold promised nothing, so raising it is not news for consumers.
        if bs >= Stability::Beta && bs != rs {
            let id = if rs < bs {
                &API_STABILITY_DECREASED
            } else {
                &API_STABILITY_INCREASED
            };
            em.emit(scope, id, args, bp(), rp());
        }
    }

    let today = today(em);
    match (b.deprecated, r.deprecated) {
        (true, false) => em.emit(scope, &ENDPOINT_REACTIVATED, vec![], bp(), rp()),
        (false, true) => {
            // An invalid stability level is already reported above; judging the policy
            // against a guessed level would only add noise.
            let Ok(stab) = rev_stab else { return };
            let days = deprecation_days(em, stab);
            match r.sunset.as_deref() {
                None if days > 0 => em.emit(
                    scope,
                    &API_DEPRECATED_SUNSET_MISSING,
                    vec![days.to_string()],
                    bp(),
                    rp(),
                ),
                None => em.emit(scope, &ENDPOINT_DEPRECATED, vec![], bp(), rp()),
                Some(raw) => match parse_sunset(raw) {
                    None => em.emit(
                        scope,
                        &API_DEPRECATED_SUNSET_PARSE,
                        vec![raw.to_string()],
                        bp(),
                        rp(),
                    ),
                    Some(date) if (date - today).num_days() < i64::from(days) => em.emit(
                        scope,
                        &API_SUNSET_DATE_TOO_SMALL,
                        vec![date.to_string(), days.to_string()],
                        bp(),
                        rp(),
                    ),
                    Some(date) => em.emit(
                        scope,
                        &ENDPOINT_DEPRECATED_WITH_SUNSET,
                        vec![date.to_string()],
                        bp(),
                        rp(),
                    ),
                },
            }
        }
        (true, true) => match (b.sunset.as_deref(), r.sunset.as_deref()) {
            (Some(_), None) => em.emit(scope, &SUNSET_DELETED, vec![], bp(), rp()),
            (Some(braw), Some(rraw)) if braw != rraw => {
                let Some(rdate) = parse_sunset(rraw) else {
                    em.emit(
                        scope,
                        &API_PATH_SUNSET_PARSE,
                        vec![rraw.to_string()],
                        None,
                        rp(),
                    );
                    return;
                };
                let Some(bdate) = parse_sunset(braw) else {
                    em.emit(
                        scope,
                        &API_PATH_SUNSET_PARSE,
                        vec![braw.to_string()],
                        bp(),
                        None,
                    );
                    return;
                };
                let Ok(stab) = rev_stab else { return };
                let days = deprecation_days(em, stab);
                if bdate > rdate && (rdate - today).num_days() < i64::from(days) {
                    em.emit(
                        scope,
                        &API_SUNSET_DATE_CHANGED_TOO_SMALL,
                        vec![bdate.to_string(), rdate.to_string(), days.to_string()],
                        bp(),
                        rp(),
                    );
                }
            }
            _ => {}
        },
        (false, false) => {}
    }
}

/// A `MAJOR.MINOR.PATCH` version, with an optional leading `v`; pre-release and build
/// suffixes are accepted and ignored (the policy only asks which number moved).
fn semver(raw: &str) -> Option<(u64, u64, u64)> {
    let s = raw.strip_prefix('v').unwrap_or(raw);
    let core = s.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let mut num = || -> Option<u64> {
        let p = parts.next()?;
        let leading_zero = p.len() > 1 && p.starts_with('0');
        if p.is_empty() || leading_zero || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let v = (num()?, num()?, num()?);
    if parts.next().is_some() {
        return None;
    }
    Some(v)
}

/// The semver policy: a change at ERR needs a major bump (a minor bump below 1.0.0).
/// Runs last because it judges the changes found so far; silent unless both
/// `info.version` values are semver.
pub fn check_version(em: &mut Emitter<'_>) {
    let (Some(braw), Some(rraw)) = (em.base.info_version.clone(), em.rev.info_version.clone())
    else {
        return;
    };
    let (Some(b), Some(r)) = (semver(&braw), semver(&rraw)) else {
        return;
    };
    if !em.changes.iter().any(|c| c.level >= Level::Err) {
        return;
    }
    let scope = Scope::document(Section::Info);
    let major_bumped = if b.0 == 0 && r.0 == 0 {
        r.1 > b.1
    } else {
        r.0 > b.0
    };
    if braw == rraw {
        em.emit(&scope, &API_VERSION_NOT_BUMPED, vec![rraw], None, None);
    } else if r <= b {
        em.emit(&scope, &API_VERSION_DECREASED, vec![braw, rraw], None, None);
    } else if !major_bumped {
        em.emit(
            &scope,
            &API_MAJOR_VERSION_NOT_BUMPED,
            vec![braw, rraw],
            None,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{api, op};
    use super::super::{DiffOptions, compare};
    use super::*;
    use crate::model::Method;

    fn opts(days: u32) -> DiffOptions {
        DiffOptions {
            today: Some("2026-01-01".into()),
            deprecation_days_stable: days,
            ..DiffOptions::default()
        }
    }

    fn ids(changes: &[super::super::Change]) -> Vec<&str> {
        changes.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn deprecation_is_judged_against_the_policy() {
        let base = api(vec![op(Method::Get, "/u")]);
        let mut o = op(Method::Get, "/u");
        o.deprecated = true;
        o.sunset = Some("2026-01-10".into());
        let rev = api(vec![o]);
        assert_eq!(
            ids(&compare(&base, &rev, &opts(0))),
            vec!["endpoint-deprecated-with-sunset"]
        );
        assert_eq!(
            ids(&compare(&base, &rev, &opts(30))),
            vec!["api-sunset-date-too-small"]
        );
    }

    #[test]
    fn beta_endpoints_follow_the_beta_policy() {
        let mut b = op(Method::Get, "/u");
        b.stability = Some("beta".into());
        let mut r = b.clone();
        r.deprecated = true;
        let o = DiffOptions {
            deprecation_days_beta: 10,
            ..opts(0)
        };
        let got = compare(&api(vec![b]), &api(vec![r]), &o);
        assert_eq!(ids(&got), vec!["api-deprecated-sunset-missing"]);
    }

    #[test]
    fn removal_is_judged_against_sunset_and_today() {
        let mut o = op(Method::Get, "/u");
        o.deprecated = true;
        o.sunset = Some("2027-01-01".into());
        let today = parse_sunset("2026-01-01").unwrap_or_default();
        assert_eq!(
            removal(&o, None, false, today).map(|(r, a)| (r.id, a)),
            Some(("api-removed-before-sunset", vec!["2027-01-01".to_string()]))
        );
        let later = parse_sunset("2027-06-01").unwrap_or_default();
        assert_eq!(removal(&o, None, true, later).map(|(r, a)| (r.id, a)), None);
        o.sunset = None;
        assert_eq!(
            removal(&o, Some("junk"), true, today).map(|(r, a)| (r.id, a)),
            Some(("api-path-sunset-parse", vec!["junk".to_string()]))
        );
    }

    #[test]
    fn draft_operations_report_only_their_lifecycle() {
        let mut b = op(Method::Get, "/u");
        b.stability = Some("draft".into());
        b.tags = vec!["a".into()];
        let mut r = b.clone();
        r.tags = vec![];
        r.deprecated = true;
        let got = compare(&api(vec![b]), &api(vec![r]), &opts(0));
        assert_eq!(ids(&got), vec!["endpoint-deprecated"]);
    }

    #[test]
    fn sunset_accepts_dates_and_date_times_only() {
        assert_eq!(
            parse_sunset("2026-05-01"),
            NaiveDate::from_ymd_opt(2026, 5, 1)
        );
        assert_eq!(
            parse_sunset("2026-05-01T10:00:00Z"),
            NaiveDate::from_ymd_opt(2026, 5, 1)
        );
        assert_eq!(parse_sunset("next tuesday"), None);
        assert_eq!(parse_sunset("2026-13-01"), None);
    }

    #[test]
    fn semver_is_strict_and_ignores_suffixes() {
        assert_eq!(semver("1.2.3"), Some((1, 2, 3)));
        assert_eq!(semver("v2.0.0-beta.1+build"), Some((2, 0, 0)));
        assert_eq!(semver("1.2"), None);
        assert_eq!(semver("2024-01-01"), None);
        assert_eq!(semver("01.2.3"), None);
        assert_eq!(semver("1.2.3.4"), None);
    }

    #[test]
    fn stability_orders_and_rejects_unknown_levels() {
        assert_eq!(Stability::parse(None), Ok(Stability::Stable));
        assert!(Stability::parse(Some("alpha")).unwrap() < Stability::Beta);
        assert_eq!(Stability::parse(Some("ga")), Err("ga".to_string()));
    }
}
