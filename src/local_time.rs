//! Wall-clock arithmetic in a location's zone: "the same time, N days later" as people there read it.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `t` moved by whole local days in `tz`, keeping its wall-clock time: 09:00 stays 09:00 across a DST
/// change, so the UTC distance is a day ± the change.
pub fn same_time_days_later(t: DateTime<Utc>, tz: Tz, days: i64) -> DateTime<Utc> {
    local_instant(tz, t.with_timezone(&tz).naive_local() + Duration::days(days))
}

/// The instant a wall-clock time in `tz` names: the earlier one in the autumn overlap; a time in the
/// spring gap, which does not exist, moves forward by the gap, as clocks do.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    (0..=2)
        .find_map(|hours| tz.from_local_datetime(&(local + Duration::hours(hours))).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn nine_in_the_morning_stays_nine_across_the_spring_change() {
        let winter = Berlin.with_ymd_and_hms(2026, 3, 23, 9, 0, 0).unwrap().with_timezone(&Utc);
        let summer = same_time_days_later(winter, Berlin, 14);
        assert_eq!(summer, Berlin.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap().with_timezone(&Utc));
        assert_eq!(summer - winter, Duration::days(14) - Duration::hours(1));
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward_like_the_clocks() {
        let before = Berlin.with_ymd_and_hms(2026, 3, 22, 2, 30, 0).unwrap().with_timezone(&Utc);
        let moved = same_time_days_later(before, Berlin, 7);
        assert_eq!(moved, Berlin.with_ymd_and_hms(2026, 3, 29, 3, 30, 0).unwrap().with_timezone(&Utc));
    }

    #[test]
    fn utc_days_are_24_hours() {
        let t = Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap();
        assert_eq!(same_time_days_later(t, chrono_tz::UTC, -7), t - Duration::days(7));
    }
}
