use crate::local_time::WeekStart;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The numbers the warnings compare against; an organisation's come from its `event_types.rules`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Least rest between two shifts, in hours.
    pub min_rest_hours: f64,
    /// Most net hours in one week.
    pub max_weekly_hours: f64,
    /// A shift longer than this needs a break…
    pub break_required_after_hours: f64,
    /// …of at least this many minutes in all.
    pub min_break_minutes: f64,
    /// Weeks are counted in this zone…
    pub week_time_zone: Tz,
    /// …from this day.
    pub week_starts_on: WeekStart,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_rest_hours: 11.0,
            max_weekly_hours: 48.0,
            break_required_after_hours: 6.0,
            min_break_minutes: 30.0,
            week_time_zone: chrono_tz::UTC,
            week_starts_on: WeekStart::Monday,
        }
    }
}
