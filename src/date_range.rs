//! The dates Mosaic takes from anyone who sends one: years 1900 to 2200. Schedules, employments and pay
//! never need more, and every week, day and period computed from such a date stays far inside what
//! chrono can represent, so no date arithmetic downstream can overflow.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

pub const EARLIEST_YEAR: i32 = 1900;
pub const LATEST_YEAR: i32 = 2200;

/// Why a date is refused, in words for the field it came in.
pub fn out_of_range() -> String {
    format!("must be a date between {EARLIEST_YEAR}-01-01 and {LATEST_YEAR}-12-31")
}

/// The first instant of the range: where a search "from the beginning" starts.
pub fn earliest_instant() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1).expect("a valid day").and_time(chrono::NaiveTime::MIN).and_utc()
}

pub fn day_in_range(day: NaiveDate) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&day.year())
}

pub fn instant_in_range(at: DateTime<Utc>) -> bool {
    day_in_range(at.date_naive())
}

#[cfg(feature = "server")]
mod checks {
    use super::*;
    use crate::store::{DomainError, DomainResult};

    /// The instant, or a 422 naming `field`.
    pub fn require_instant(field: &str, at: DateTime<Utc>) -> DomainResult<DateTime<Utc>> {
        if instant_in_range(at) {
            Ok(at)
        } else {
            Err(DomainError::invalid(field, out_of_range()))
        }
    }

    pub fn require_optional_instant(field: &str, at: Option<DateTime<Utc>>) -> DomainResult<Option<DateTime<Utc>>> {
        at.map(|at| require_instant(field, at)).transpose()
    }

    /// The day, or a 422 naming `field`.
    pub fn require_day(field: &str, day: NaiveDate) -> DomainResult<NaiveDate> {
        if day_in_range(day) {
            Ok(day)
        } else {
            Err(DomainError::invalid(field, out_of_range()))
        }
    }
}

#[cfg(feature = "server")]
pub use checks::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_and_last_days_of_the_range_are_taken_and_the_days_around_them_are_not() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(day_in_range(day(1900, 1, 1)) && day_in_range(day(2200, 12, 31)));
        assert!(!day_in_range(day(1899, 12, 31)) && !day_in_range(day(2201, 1, 1)));
        assert!(!day_in_range(NaiveDate::MAX) && !day_in_range(NaiveDate::MIN));
        assert!(!instant_in_range(DateTime::<Utc>::MAX_UTC) && !instant_in_range(DateTime::<Utc>::MIN_UTC));
    }
}
