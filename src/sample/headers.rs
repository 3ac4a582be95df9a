//! The `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) response headers of a sample.
//! Must not: keep other headers (they may carry secrets).
//!
//! `Deprecation` is a structured-field date, `@<unix seconds>`; the legacy forms
//! `true` (deprecated, date unknown) and an HTTP-date are accepted too. `Sunset` is an
//! HTTP-date (IMF-fixdate; the obsolete RFC 850 and asctime forms are accepted).

use super::SampleFinding;
use crate::diff::Level;
use crate::impact::FieldState;
use chrono::{NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// What the headers announce. Times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deprecation {
    /// A `Deprecation` header was present and understood.
    pub deprecated: bool,
    /// When the resource is (or was) deprecated, when the header gives a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset_at: Option<i64>,
}

/// Parses an HTTP-date (RFC 9110 §5.6.7) into Unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(t.timestamp());
    }
    for fmt in ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t).timestamp());
        }
    }
    None
}

fn parse_deprecation(v: &str) -> Option<Option<i64>> {
    let v = v.trim();
    if let Some(n) = v.strip_prefix('@') {
        // An sf-integer has at most 15 digits.
        let digits = n.strip_prefix('-').unwrap_or(n);
        if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return n.parse().ok().map(Some);
    }
    if v.eq_ignore_ascii_case("true") || v == "?1" {
        return Some(None);
    }
    parse_http_date(v).map(Some)
}

/// Reads the `Deprecation` and `Sunset` headers from `(name, value)` pairs (names in
/// any case). `None` when neither is present and understood.
pub fn deprecation_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Deprecation> {
    let mut d = Deprecation {
        deprecated: false,
        deprecated_at: None,
        sunset_at: None,
    };
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("deprecation") {
            if let Some(at) = parse_deprecation(value) {
                d.deprecated = true;
                d.deprecated_at = d.deprecated_at.or(at);
            }
        } else if name.eq_ignore_ascii_case("sunset")
            && let Some(t) = parse_http_date(value)
        {
            d.sunset_at = Some(d.sunset_at.map_or(t, |s: i64| s.min(t)));
        }
    }
    (d.deprecated || d.sunset_at.is_some()).then_some(d)
}

/// The findings these headers make on a consumed operation: deprecated (WARN) and
/// sunset announced (WARN), both putting every consumed field at risk. The dates go in
/// the text, not in the fingerprint, so a moved date does not re-alert.
pub fn deprecation_findings(d: &Deprecation) -> Vec<SampleFinding> {
    let date = |t: i64| {
        Utc.timestamp_opt(t, 0)
            .single()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| t.to_string())
    };
    let mut out = Vec::new();
    if d.deprecated {
        let when = d
            .deprecated_at
            .map(|t| format!(" since {}", date(t)))
            .unwrap_or_default();
        out.push(SampleFinding::new(
            "sample-operation-deprecated",
            Level::Warn,
            None,
            true,
            Some(FieldState::AtRisk),
            format!("the vendor marks this operation deprecated{when} (Deprecation header)"),
        ));
    }
    if let Some(t) = d.sunset_at {
        out.push(SampleFinding::new(
            "sample-operation-sunset",
            Level::Warn,
            None,
            true,
            Some(FieldState::AtRisk),
            format!(
                "the vendor will retire this operation at {} (Sunset header)",
                date(t)
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9745_8594_and_legacy_forms_parse() {
        let d = deprecation_headers([
            ("Deprecation", "@1688169599"),
            ("sunset", "Sun, 30 Jun 2024 23:59:59 GMT"),
            ("X-Other", "secret"),
        ])
        .unwrap();
        assert_eq!(d.deprecated_at, Some(1688169599));
        assert_eq!(d.sunset_at, Some(1719791999));
        let legacy = deprecation_headers([("deprecation", "true")]).unwrap();
        assert!(legacy.deprecated && legacy.deprecated_at.is_none());
        let date = deprecation_headers([("Deprecation", "Sun, 06 Nov 1994 08:49:37 GMT")]).unwrap();
        assert_eq!(date.deprecated_at, Some(784111777));
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784111777)
        );
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784111777));
    }

    #[test]
    fn garbage_and_absent_headers_give_nothing() {
        assert_eq!(
            deprecation_headers([("Deprecation", "@12x"), ("Sunset", "soon")]),
            None
        );
        assert_eq!(
            deprecation_headers([("Deprecation", "@9999999999999999999")]),
            None
        );
        assert_eq!(deprecation_headers(std::iter::empty()), None);
        let f = deprecation_findings(&Deprecation {
            deprecated: true,
            deprecated_at: None,
            sunset_at: Some(1719791999),
        });
        let ids: Vec<&str> = f.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["sample-operation-deprecated", "sample-operation-sunset"]
        );
        assert!(f[1].text.contains("2024-06-30T23:59:59"));
    }
}
