//! When a worker can work: a weekly pattern of hours they are unavailable or prefer to work, in force
//! from a day on, with one-off exceptions (a day they cannot come, or can after all). The pattern is
//! wall-clock time in the organisation's zone, so "Mondays 09:00–13:00" stays 09:00 across a clock change.
//!
//! The rules read the stretches this yields (`spans`): a shift on unavailability is a warning, and the
//! planner and "Find cover" keep away from it; preferred hours are what a planner aims for.

use crate::interval::Interval;
use crate::local_time::local_instant;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What a window of the week says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Preference {
    /// Cannot work then.
    Unavailable,
    /// Would rather work then.
    Preferred,
}

/// Hours of one weekday. `to` at midnight (00:00) is the end of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WeeklyWindow {
    /// 1 is Monday … 7 is Sunday (ISO 8601).
    pub weekday: u8,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "09:00:00"))]
    pub from: NaiveTime,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "13:00:00"))]
    pub to: NaiveTime,
    pub preference: Preference,
}

/// The most windows one pattern holds (a few per day is what people write).
pub const MAX_WINDOWS: usize = 50;

impl WeeklyWindow {
    fn weekday(&self) -> Option<Weekday> {
        match self.weekday {
            1..=7 => Weekday::try_from(self.weekday - 1).ok(),
            _ => None,
        }
    }

    fn ends_at_midnight(&self) -> bool {
        self.to == NaiveTime::MIN
    }
}

/// A pattern's windows as a person sends them, checked: a known weekday, `to` after `from` (or at
/// midnight), and no two windows of one day overlapping. The field at fault and why, otherwise.
pub fn checked_windows(windows: &[WeeklyWindow]) -> Result<(), (String, String)> {
    if windows.len() > MAX_WINDOWS {
        return Err(("windows".into(), format!("a pattern holds at most {MAX_WINDOWS} windows")));
    }
    for (i, w) in windows.iter().enumerate() {
        if w.weekday().is_none() {
            return Err((format!("windows[{i}].weekday"), "must be 1 (Monday) to 7 (Sunday)".into()));
        }
        if !w.ends_at_midnight() && w.to <= w.from {
            return Err((format!("windows[{i}].to"), "must be after from (00:00 is the end of the day)".into()));
        }
        let minutes = |w: &WeeklyWindow| {
            let from = w.from.num_seconds_from_midnight_i64();
            let to = if w.ends_at_midnight() { 86_400 } else { w.to.num_seconds_from_midnight_i64() };
            (from, to)
        };
        let (from, to) = minutes(w);
        if let Some(j) = windows[..i].iter().position(|o| {
            let (f, t) = minutes(o);
            o.weekday == w.weekday && f < to && from < t
        }) {
            return Err((format!("windows[{i}]"), format!("overlaps windows[{j}] on the same day")));
        }
    }
    Ok(())
}

trait SecondsOfDay {
    fn num_seconds_from_midnight_i64(&self) -> i64;
}

impl SecondsOfDay for NaiveTime {
    fn num_seconds_from_midnight_i64(&self) -> i64 {
        use chrono::Timelike;
        i64::from(self.num_seconds_from_midnight())
    }
}

/// A weekly pattern in force from `first_day` (and until the day before `until`, if a later one
/// replaced it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyPattern {
    pub first_day: NaiveDate,
    pub until: Option<NaiveDate>,
    pub windows: Vec<WeeklyWindow>,
}

/// A one-off exception over a stretch of time: unavailable then, or available after all (which clears
/// the pattern's unavailability over it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exception {
    pub during: Interval,
    pub available: bool,
}

/// The stretches of `window` the worker is unavailable, and those they prefer, in time order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spans {
    pub unavailable: Vec<Interval>,
    pub preferred: Vec<Interval>,
}

/// Lays the patterns and exceptions out over `window`, in `tz`.
pub fn spans(patterns: &[WeeklyPattern], exceptions: &[Exception], window: &Interval, tz: Tz) -> Spans {
    let Some(window_end) = window.end else { return Spans::default() };
    let first = window.start.with_timezone(&tz).date_naive() - Duration::days(1);
    let last = window_end.with_timezone(&tz).date_naive();
    let mut found = Spans::default();
    let mut day = first;
    while day <= last {
        let pattern = patterns.iter().find(|p| p.first_day <= day && p.until.is_none_or(|u| day < u));
        for w in pattern.map(|p| p.windows.as_slice()).unwrap_or(&[]) {
            if w.weekday() != Some(day.weekday()) {
                continue;
            }
            let start = local_instant(tz, day.and_time(w.from));
            let end_day = if w.ends_at_midnight() { day + Duration::days(1) } else { day };
            let end = local_instant(tz, end_day.and_time(w.to));
            let Ok(during) = Interval::new(start, end) else { continue };
            if let Some(shown) = during.intersection(window) {
                match w.preference {
                    Preference::Unavailable => found.unavailable.push(shown),
                    Preference::Preferred => found.preferred.push(shown),
                }
            }
        }
        day += Duration::days(1);
    }
    let cleared: Vec<Interval> = exceptions.iter().filter(|e| e.available).map(|e| e.during).collect();
    found.unavailable = found
        .unavailable
        .iter()
        .flat_map(|u| crate::interval::subtract_all(u, &cleared))
        .chain(exceptions.iter().filter(|e| !e.available).filter_map(|e| e.during.intersection(window)))
        .collect();
    found.unavailable.sort_by_key(|i| i.start);
    found.preferred.sort_by_key(|i| i.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn time(h: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, 0, 0).unwrap()
    }

    fn window(weekday: u8, from: u32, to: u32, preference: Preference) -> WeeklyWindow {
        WeeklyWindow { weekday, from: time(from), to: time(to), preference }
    }

    fn berlin(m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    fn march_weeks() -> Interval {
        Interval::new(berlin(3, 23, 0), berlin(4, 6, 0)).unwrap()
    }

    #[test]
    fn monday_mornings_stay_at_nine_local_across_the_clock_change() {
        let pattern = WeeklyPattern {
            first_day: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            until: None,
            windows: vec![window(1, 9, 13, Preference::Unavailable)],
        };
        let found = spans(&[pattern], &[], &march_weeks(), Berlin);
        assert_eq!(
            found.unavailable,
            vec![
                Interval::new(berlin(3, 23, 9), berlin(3, 23, 13)).unwrap(),
                Interval::new(berlin(3, 30, 9), berlin(3, 30, 13)).unwrap()
            ]
        );
        assert_eq!(found.unavailable[0].start, Utc.with_ymd_and_hms(2026, 3, 23, 8, 0, 0).unwrap(), "winter: UTC+1");
        assert_eq!(found.unavailable[1].start, Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap(), "summer: UTC+2");
    }

    #[test]
    fn a_later_pattern_takes_over_from_its_first_day_and_exceptions_add_and_clear() {
        let old = WeeklyPattern {
            first_day: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2026, 3, 28),
            windows: vec![window(5, 0, 0, Preference::Unavailable)],
        };
        let new = WeeklyPattern {
            first_day: NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(),
            until: None,
            windows: vec![window(6, 8, 12, Preference::Preferred)],
        };
        let free_friday = Exception { during: Interval::new(berlin(3, 27, 0), berlin(3, 27, 12)).unwrap(), available: true };
        let dentist = Exception { during: Interval::new(berlin(4, 1, 14), berlin(4, 1, 16)).unwrap(), available: false };
        let found = spans(&[old, new], &[free_friday, dentist], &march_weeks(), Berlin);
        assert_eq!(
            found.unavailable,
            vec![
                Interval::new(berlin(3, 27, 12), berlin(3, 28, 0)).unwrap(),
                Interval::new(berlin(4, 1, 14), berlin(4, 1, 16)).unwrap()
            ],
            "Friday all day under the old pattern, its morning cleared; the dentist added"
        );
        assert_eq!(
            found.preferred,
            vec![
                Interval::new(berlin(3, 28, 8), berlin(3, 28, 12)).unwrap(),
                Interval::new(berlin(4, 4, 8), berlin(4, 4, 12)).unwrap()
            ]
        );
    }

    #[test]
    fn a_bad_window_is_named_by_its_place() {
        assert!(checked_windows(&[window(1, 9, 13, Preference::Unavailable), window(1, 13, 0, Preference::Preferred)]).is_ok());
        assert_eq!(checked_windows(&[window(8, 9, 13, Preference::Unavailable)]).unwrap_err().0, "windows[0].weekday");
        assert_eq!(checked_windows(&[window(1, 13, 9, Preference::Unavailable)]).unwrap_err().0, "windows[0].to");
        let overlapping = [window(2, 9, 13, Preference::Unavailable), window(2, 12, 14, Preference::Preferred)];
        assert_eq!(checked_windows(&overlapping).unwrap_err().0, "windows[1]");
    }
}
