use crate::local_time::local_instant;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Times snap to a quarter of an hour unless the scheduler picks another step.
pub const DEFAULT_SNAP_MINUTES: i64 = 15;

/// The calendar's horizontal axis: local wall-clock minutes from midnight of `first_day` in `tz`.
///
/// Wall-clock, not elapsed time, so every day is 24 hours wide and 07:00 lines up under 07:00 on every
/// day of a week with a DST change; the hour the clocks skip has no instant, and the hour they repeat
/// shows its first instance.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub first_day: NaiveDate,
    pub days: u32,
    pub tz: Tz,
}

impl Axis {
    pub fn new(first_day: NaiveDate, days: u32, tz: Tz) -> Axis {
        Axis { first_day, days, tz }
    }

    /// Where `t` sits: its local wall-clock time, in minutes after the axis starts (may lie outside it).
    pub fn minute_of(&self, t: DateTime<Utc>) -> i64 {
        let local = t.with_timezone(&self.tz).naive_local();
        (local - self.first_day.and_time(NaiveTime::MIN)).num_minutes()
    }

    /// The instant shown at `minute`; in the skipped spring hour, the instant the clocks jumped to.
    pub fn instant_at(&self, minute: i64) -> DateTime<Utc> {
        local_instant(self.tz, self.first_day.and_time(NaiveTime::MIN) + Duration::minutes(minute))
    }

    /// The local day at `minute`, for a position anywhere on the axis.
    pub fn day_at(&self, minute: i64) -> NaiveDate {
        self.first_day + Duration::days(minute.div_euclid(24 * 60))
    }
}

/// `minute` rounded to the nearest multiple of `step` (a step below one minute counts as one).
pub fn snap(minute: i64, step: i64) -> i64 {
    let step = step.max(1);
    (minute + step / 2).div_euclid(step) * step
}

/// The hours of day `day` (counted from the axis's first) worth showing: from an hour before the first
/// shift that touches it to an hour after the last one ends, in whole hours, as minutes into the day.
/// A day with no shifts shows 06:00–22:00.
pub fn business_hours(day: i64, spans: impl IntoIterator<Item = (i64, i64)>) -> (i64, i64) {
    let (start, end) = (day * 24 * 60, (day + 1) * 24 * 60);
    let touching = spans.into_iter().filter(|(from, to)| *to > start && *from < end);
    let Some((first, last)) = touching.fold(None, |seen: Option<(i64, i64)>, (from, to)| match seen {
        None => Some((from, to)),
        Some((a, b)) => Some((a.min(from), b.max(to))),
    }) else {
        return (6 * 60, 22 * 60);
    };
    let from = ((first - start).max(0).div_euclid(60) - 1).max(0) * 60;
    let to = (((last - start).min(24 * 60) + 59).div_euclid(60) + 1).min(24) * 60;
    (from, to)
}
