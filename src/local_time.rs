//! Wall-clock arithmetic in a zone: "the same time, N days later", the week a day falls in, and the
//! instants a local day or week begins, as people there read them. The one place such arithmetic is
//! written; everything that counts local days or weeks calls it.

use crate::interval::Interval;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The day an organisation's weeks begin on: every week in the product (the calendar, the weekly-hours
/// rule, overtime, timesheets) runs from it to the day before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(sqlx::Type, utoipa::ToSchema), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
}

impl WeekStart {
    pub const ALL: [WeekStart; 2] = [WeekStart::Monday, WeekStart::Sunday];

    pub fn weekday(self) -> Weekday {
        match self {
            WeekStart::Monday => Weekday::Mon,
            WeekStart::Sunday => Weekday::Sun,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WeekStart::Monday => "monday",
            WeekStart::Sunday => "sunday",
        }
    }

    pub fn parse(text: &str) -> Option<WeekStart> {
        WeekStart::ALL.into_iter().find(|w| w.as_str() == text.trim())
    }

    /// The first day of the week `day` falls in.
    pub fn first_day_of(self, day: NaiveDate) -> NaiveDate {
        day - Duration::days(day.weekday().days_since(self.weekday()) as i64)
    }
}

/// The instant local `day` begins in `tz`: midnight, or the first hour after it that exists where the
/// clocks skip midnight.
pub fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_instant(tz, day.and_time(NaiveTime::MIN))
}

/// The seven local days from `first_day` in `tz`, as UTC instants (168 hours, or 167/169 across DST).
pub fn local_week(first_day: NaiveDate, tz: Tz) -> Interval {
    Interval { start: day_start(first_day, tz), end: Some(day_start(first_day + Duration::days(7), tz)) }
}

/// The instant the local week containing `t` began (midnight of its first day on `tz`'s wall clock).
pub fn week_start_of(t: DateTime<Utc>, tz: Tz, starts: WeekStart) -> DateTime<Utc> {
    day_start(starts.first_day_of(t.with_timezone(&tz).date_naive()), tz)
}

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
    fn a_week_across_the_spring_change_is_an_hour_short_and_across_the_autumn_one_an_hour_long() {
        let spring = local_week(NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), Berlin);
        assert_eq!(spring.end.unwrap() - spring.start, Duration::hours(167));
        let autumn = local_week(NaiveDate::from_ymd_opt(2026, 10, 19).unwrap(), Berlin);
        assert_eq!(autumn.end.unwrap() - autumn.start, Duration::hours(169));
        assert_eq!(spring.start, Berlin.with_ymd_and_hms(2026, 3, 23, 0, 0, 0).unwrap().with_timezone(&Utc));
    }

    #[test]
    fn every_day_of_a_week_has_its_monday_and_the_week_starts_at_its_local_midnight() {
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        for offset in 0..7 {
            assert_eq!(WeekStart::Monday.first_day_of(monday + Duration::days(offset)), monday);
        }
        assert_eq!(WeekStart::Monday.first_day_of(monday - Duration::days(1)), monday - Duration::days(7));
        let sunday_night = Berlin.with_ymd_and_hms(2026, 3, 8, 23, 30, 0).unwrap().with_timezone(&Utc);
        assert_eq!(
            week_start_of(sunday_night, Berlin, WeekStart::Monday),
            Berlin.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap().with_timezone(&Utc)
        );
    }

    #[test]
    fn a_week_that_starts_on_sunday_takes_the_sunday_from_the_week_after() {
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        for offset in 0..7 {
            assert_eq!(WeekStart::Sunday.first_day_of(sunday + Duration::days(offset)), sunday);
        }
        let sunday_night = Berlin.with_ymd_and_hms(2026, 3, 8, 23, 30, 0).unwrap().with_timezone(&Utc);
        assert_eq!(
            week_start_of(sunday_night, Berlin, WeekStart::Sunday),
            Berlin.with_ymd_and_hms(2026, 3, 8, 0, 0, 0).unwrap().with_timezone(&Utc)
        );
        assert_eq!(WeekStart::parse("sunday"), Some(WeekStart::Sunday));
        assert_eq!(WeekStart::parse("Tuesday"), None);
    }

    #[test]
    fn where_the_clocks_skip_midnight_the_day_starts_at_the_first_hour_that_exists() {
        // Chile moved its clocks forward at midnight on 2026-09-06: that day began at 01:00.
        let santiago = chrono_tz::America::Santiago;
        let start = day_start(NaiveDate::from_ymd_opt(2026, 9, 6).unwrap(), santiago);
        assert_eq!(
            start.with_timezone(&santiago).naive_local(),
            NaiveDate::from_ymd_opt(2026, 9, 6).unwrap().and_hms_opt(1, 0, 0).unwrap()
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn a_week_begins_on_its_first_day_at_most_six_days_before(days in -40_000i64..40_000, sunday: bool) {
            let starts = if sunday { WeekStart::Sunday } else { WeekStart::Monday };
            let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(days);
            let first = starts.first_day_of(day);
            proptest::prop_assert_eq!(first.weekday(), starts.weekday());
            proptest::prop_assert!(first <= day && day - first < Duration::days(7));
            proptest::prop_assert_eq!(starts.first_day_of(first + Duration::days(6)), first);
        }
    }

    #[test]
    fn utc_days_are_24_hours() {
        let t = Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap();
        assert_eq!(same_time_days_later(t, chrono_tz::UTC, -7), t - Duration::days(7));
    }
}
