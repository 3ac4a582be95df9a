//! When a monitor fires next: its cron expression (evaluated in UTC) plus a random
//! jitter below the monitor's `jitter`, so monitors sharing a schedule do not all hit
//! their vendors in the same second. Must not: sleep or spawn (the scheduler does).

use chrono::{DateTime, Utc};
use croner::Cron;
use std::time::Duration;

/// The next fire time strictly after `after`, delayed by `jitter * rand01`
/// (`rand01` in [0, 1)). `None` when the expression never fires again.
pub fn next_fire(
    cron: &Cron,
    after: DateTime<Utc>,
    jitter: Duration,
    rand01: f64,
) -> Option<DateTime<Utc>> {
    let next = cron.find_next_occurrence(&after, false).ok()?;
    let delay = jitter.mul_f64(rand01.clamp(0.0, 1.0));
    let delay = chrono::Duration::from_std(delay).ok()?;
    next.checked_add_signed(delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::parse_cron;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, s).single().unwrap()
    }

    #[test]
    fn five_field_cron_fires_on_minute_boundaries() {
        let c = parse_cron("*/15 * * * *").unwrap();
        assert_eq!(
            next_fire(&c, at(10, 7, 30), Duration::ZERO, 0.0),
            Some(at(10, 15, 0))
        );
        // Strictly after: a check at 10:15:00 is followed by 10:30.
        assert_eq!(
            next_fire(&c, at(10, 15, 0), Duration::ZERO, 0.0),
            Some(at(10, 30, 0))
        );
    }

    #[test]
    fn six_field_cron_has_seconds_first() {
        let c = parse_cron("*/10 * * * * *").unwrap();
        assert_eq!(
            next_fire(&c, at(10, 0, 1), Duration::ZERO, 0.0),
            Some(at(10, 0, 10))
        );
    }

    #[test]
    fn weekday_numbers_follow_crontab_sunday_is_zero() {
        // 2026-03-02 is a Monday; "0 9 * * 0" is Sunday 09:00.
        let c = parse_cron("0 9 * * 0").unwrap();
        let next = next_fire(&c, at(10, 0, 0), Duration::ZERO, 0.0).unwrap();
        assert_eq!(
            next,
            Utc.with_ymd_and_hms(2026, 3, 8, 9, 0, 0).single().unwrap()
        );
    }

    #[test]
    fn jitter_delays_within_its_bound() {
        let c = parse_cron("0 * * * *").unwrap();
        let j = Duration::from_secs(30);
        assert_eq!(next_fire(&c, at(10, 5, 0), j, 0.5), Some(at(11, 0, 15)));
        let late = next_fire(&c, at(10, 5, 0), j, 0.999_999).unwrap();
        assert!(late < at(11, 0, 30));
    }

    #[test]
    fn bad_expressions_are_rejected_with_a_reason() {
        for bad in [
            "*/5 * * *",
            "61 * * * *",
            "* * * * * * *",
            "every minute",
            "",
        ] {
            assert!(parse_cron(bad).is_err(), "{bad:?} was accepted");
        }
        for good in ["@hourly", "0 0 * * MON-FRI", "30 */2 * * * *"] {
            // `@hourly` is one field: we accept only 5 or 6 fields.
            let r = parse_cron(good);
            assert_eq!(r.is_ok(), good != "@hourly", "{good:?}: {r:?}");
        }
    }
}
