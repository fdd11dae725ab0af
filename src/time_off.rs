//! Time off as a worker asks for it and a manager decides it: its kinds, the life of a request, and the
//! stretch a request covers — whole days in the organisation's zone, or hours.
//!
//! A request is a `time_off` event: asked is a draft, approved is active, declined and cancelled are
//! cancelled with the outcome in its properties. The database refuses two live requests of one worker
//! over the same time, and a published shift on approved time off (migrations/0019_time_off.sql).

use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::local_time::{day_start, local_instant};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Why a worker is away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum TimeOffKind {
    Vacation,
    Sick,
    Unpaid,
    Other,
}

impl TimeOffKind {
    pub const ALL: [TimeOffKind; 4] = [TimeOffKind::Vacation, TimeOffKind::Sick, TimeOffKind::Unpaid, TimeOffKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeOffKind::Vacation => "vacation",
            TimeOffKind::Sick => "sick",
            TimeOffKind::Unpaid => "unpaid",
            TimeOffKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<TimeOffKind> {
        TimeOffKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            TimeOffKind::Vacation => "Vacation",
            TimeOffKind::Sick => "Sick",
            TimeOffKind::Unpaid => "Unpaid leave",
            TimeOffKind::Other => "Other",
        }
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum TimeOffStatus {
    /// Waiting for a manager.
    Requested,
    Approved,
    Declined,
    /// Withdrawn by the worker, or an approval taken back by a manager.
    Cancelled,
}

/// How a cancelled request ended, kept in its properties (`outcome`).
pub const DECLINED: &str = "declined";
pub const CANCELLED: &str = "cancelled";

impl TimeOffStatus {
    /// The request's standing from its event's status and stored outcome; `None` for a pair no command
    /// writes (a completed request, or a cancelled one with no outcome).
    pub fn of(status: EventStatus, outcome: Option<&str>) -> Option<TimeOffStatus> {
        match (status, outcome) {
            (EventStatus::Draft, _) => Some(TimeOffStatus::Requested),
            (EventStatus::Active, _) => Some(TimeOffStatus::Approved),
            (EventStatus::Cancelled, Some(DECLINED)) => Some(TimeOffStatus::Declined),
            (EventStatus::Cancelled, Some(CANCELLED)) => Some(TimeOffStatus::Cancelled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimeOffStatus::Requested => "requested",
            TimeOffStatus::Approved => "approved",
            TimeOffStatus::Declined => "declined",
            TimeOffStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<TimeOffStatus> {
        [TimeOffStatus::Requested, TimeOffStatus::Approved, TimeOffStatus::Declined, TimeOffStatus::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Whether it still holds time: asked or approved.
    pub fn is_live(self) -> bool {
        matches!(self, TimeOffStatus::Requested | TimeOffStatus::Approved)
    }
}

/// The longest stretch one request may ask for; the database holds the same bound (`events_time_off_bounded`).
pub const MAX_DAYS: i64 = 366;

/// What a request asks for: days from `first` to `last` inclusive, or some hours of one day, in the
/// organisation's zone; or hours between two instants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Asked {
    Days { first: NaiveDate, last: NaiveDate },
    HoursOfDay { day: NaiveDate, from: NaiveTime, to: NaiveTime },
    Hours { start: DateTime<Utc>, end: DateTime<Utc> },
}

impl Asked {
    /// The stretch of time asked for, or the field at fault and why.
    pub fn span(self, tz: Tz) -> Result<Interval, (&'static str, String)> {
        let during = match self {
            Asked::Days { first, last } => {
                for (field, day) in [("first_day", first), ("last_day", last)] {
                    if !crate::date_range::day_in_range(day) {
                        return Err((field, crate::date_range::out_of_range()));
                    }
                }
                if last < first {
                    return Err(("last_day", "must be on or after first_day".to_string()));
                }
                let after_last = last.succ_opt().ok_or(("last_day", crate::date_range::out_of_range()))?;
                Interval { start: day_start(first, tz), end: Some(day_start(after_last, tz)) }
            }
            Asked::HoursOfDay { day, from, to } => {
                if !crate::date_range::day_in_range(day) {
                    return Err(("first_day", crate::date_range::out_of_range()));
                }
                if to <= from {
                    return Err(("to_time", "must be after from_time".to_string()));
                }
                // Two times in a spring gap may both move forward and cross: refused by name, not stored.
                Interval::new(local_instant(tz, day.and_time(from)), local_instant(tz, day.and_time(to)))
                    .map_err(|_| ("to_time", "falls in the hour the clocks skip that day; choose a later time".to_string()))?
            }
            Asked::Hours { start, end } => {
                for (field, at) in [("start", start), ("end", end)] {
                    if !crate::date_range::instant_in_range(at) {
                        return Err((field, crate::date_range::out_of_range()));
                    }
                }
                Interval::new(start, end).map_err(|e| ("end", e.to_string()))?
            }
        };
        let too_long = during.end.is_some_and(|end| end - during.start > chrono::Duration::days(MAX_DAYS));
        if too_long {
            let field = if matches!(self, Asked::Days { .. }) { "last_day" } else { "end" };
            return Err((field, format!("one request covers at most {MAX_DAYS} days; ask for the rest separately")));
        }
        Ok(during)
    }
}

/// Whether the worker themself may still withdraw a request: a live one, before it starts.
pub fn worker_may_cancel(status: TimeOffStatus, during: &Interval, now: DateTime<Utc>) -> Result<(), String> {
    if !status.is_live() {
        return Err(format!("the request is already {}", status.as_str()));
    }
    if now >= during.start {
        return Err("the time off has begun; ask a manager to change it".to_string());
    }
    Ok(())
}

/// Whether a manager may still take an approval or a request back: a live one that has not ended.
pub fn manager_may_cancel(status: TimeOffStatus, during: &Interval, now: DateTime<Utc>) -> Result<(), String> {
    if !status.is_live() {
        return Err(format!("the request is already {}", status.as_str()));
    }
    if during.end.is_some_and(|end| end <= now) {
        return Err("the time off is over; it stays as it was taken".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn whole_days_run_from_the_first_local_midnight_to_the_one_after_the_last_across_a_clock_change() {
        // 29 March 2026: Berlin moves to summer time, so those two days are 47 hours.
        let during = Asked::Days { first: day(3, 28), last: day(3, 29) }.span(Berlin).unwrap();
        assert_eq!(during.start, Berlin.with_ymd_and_hms(2026, 3, 28, 0, 0, 0).unwrap());
        assert_eq!(during.end, Some(Berlin.with_ymd_and_hms(2026, 3, 30, 0, 0, 0).unwrap().with_timezone(&Utc)));
        assert_eq!(during.duration(), Some(chrono::Duration::hours(47)));
    }

    #[test]
    fn a_request_backwards_too_long_or_out_of_range_names_its_field() {
        assert_eq!(Asked::Days { first: day(3, 5), last: day(3, 4) }.span(Berlin).unwrap_err().0, "last_day");
        let long = Asked::Days { first: day(1, 1), last: NaiveDate::from_ymd_opt(2027, 1, 2).unwrap() };
        assert_eq!(long.span(Berlin).unwrap_err().0, "last_day");
        let a_year = Asked::Days { first: day(1, 1), last: day(12, 31) };
        assert!(a_year.span(Berlin).is_ok());
        let far = Asked::Days { first: NaiveDate::from_ymd_opt(2201, 1, 1).unwrap(), last: day(1, 1) };
        assert_eq!(far.span(Berlin).unwrap_err().0, "first_day");
        let morning = Asked::HoursOfDay {
            day: day(3, 2),
            from: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            to: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        };
        let during = morning.span(Berlin).unwrap();
        assert_eq!(during.start, Berlin.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(), "hours of a day are local");
        let backwards = Asked::HoursOfDay {
            day: day(3, 2),
            from: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            to: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        };
        assert_eq!(backwards.span(Berlin).unwrap_err().0, "to_time");
        let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
        assert_eq!(Asked::Hours { start: at(12), end: at(9) }.span(Berlin).unwrap_err().0, "end");
        assert_eq!(Asked::Hours { start: at(9), end: at(12) }.span(Berlin).unwrap().duration(), Some(chrono::Duration::hours(3)));
    }

    #[test]
    fn a_worker_withdraws_only_before_it_starts_and_a_manager_until_it_ends() {
        let during =
            Interval::new(Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap())
                .unwrap();
        let before = during.start - chrono::Duration::hours(1);
        let during_it = during.start + chrono::Duration::hours(1);
        assert!(worker_may_cancel(TimeOffStatus::Approved, &during, before).is_ok());
        assert!(worker_may_cancel(TimeOffStatus::Approved, &during, during_it).is_err());
        assert!(manager_may_cancel(TimeOffStatus::Approved, &during, during_it).is_ok());
        assert!(manager_may_cancel(TimeOffStatus::Approved, &during, during.end.unwrap()).is_err());
        assert!(worker_may_cancel(TimeOffStatus::Declined, &during, before).is_err());
    }

    #[test]
    fn every_status_and_kind_reads_back_from_its_name_and_the_stored_pairs_map_one_to_one() {
        for kind in TimeOffKind::ALL {
            assert_eq!(TimeOffKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(TimeOffStatus::of(EventStatus::Cancelled, Some(DECLINED)), Some(TimeOffStatus::Declined));
        assert_eq!(TimeOffStatus::of(EventStatus::Cancelled, Some(CANCELLED)), Some(TimeOffStatus::Cancelled));
        assert_eq!(TimeOffStatus::of(EventStatus::Cancelled, None), None);
        assert_eq!(TimeOffStatus::of(EventStatus::Completed, None), None);
        for status in ["requested", "approved", "declined", "cancelled"] {
            assert_eq!(TimeOffStatus::parse(status).map(TimeOffStatus::as_str), Some(status));
        }
    }
}
