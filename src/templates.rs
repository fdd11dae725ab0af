//! Shift templates: a named pattern of local wall-clock times ("Early 07:00–15:00, break 11:00–11:30"),
//! placed on a day in a location's zone. Pure, so the calendar can draw a template's shift before asking
//! the server to plan it.

use crate::local_time::local_instant;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TemplateBreak {
    #[cfg_attr(feature = "server", schema(value_type = String, example = "11:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "server", schema(value_type = String, example = "11:30"))]
    pub end: NaiveTime,
    #[serde(default)]
    pub paid: bool,
}

/// Where a template lands on one day: the shift and its breaks as UTC instants.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedTemplate {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub breaks: Vec<(DateTime<Utc>, DateTime<Utc>, bool)>,
}

/// Places a pattern on `day` in `tz`. An end at or before the start is on the next day, as is a break
/// time earlier than the start (a night shift's break after midnight). Times in a DST gap move forward.
pub fn place(day: NaiveDate, tz: Tz, start: NaiveTime, end: NaiveTime, breaks: &[TemplateBreak]) -> PlacedTemplate {
    let at = |time: NaiveTime, next_day: bool| {
        let date = if next_day { day.succ_opt().unwrap_or(day) } else { day };
        local_instant(tz, date.and_time(time))
    };
    PlacedTemplate {
        start: at(start, false),
        end: at(end, end <= start),
        breaks: breaks.iter().map(|b| (at(b.start, b.start < start), at(b.end, b.end <= start), b.paid)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn berlin(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_day_template_lands_at_local_times_with_its_break() {
        let lunch = [TemplateBreak { start: time(11, 0), end: time(11, 30), paid: false }];
        let placed = place(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), Berlin, time(7, 0), time(15, 0), &lunch);
        assert_eq!((placed.start, placed.end), (berlin(2, 7, 0), berlin(2, 15, 0)));
        assert_eq!(placed.breaks, vec![(berlin(2, 11, 0), berlin(2, 11, 30), false)]);
    }

    #[test]
    fn a_night_template_ends_the_next_day_and_is_seven_hours_over_the_spring_change() {
        let snack = [TemplateBreak { start: time(1, 0), end: time(1, 30), paid: true }];
        let placed = place(NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(), Berlin, time(22, 0), time(6, 0), &snack);
        assert_eq!((placed.start, placed.end), (berlin(28, 22, 0), berlin(29, 6, 0)));
        assert_eq!(placed.end - placed.start, Duration::hours(7));
        assert_eq!(placed.breaks, vec![(berlin(29, 1, 0), berlin(29, 1, 30), true)]);
    }

    #[test]
    fn a_start_in_the_spring_gap_moves_forward() {
        let placed = place(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(), Berlin, time(2, 30), time(10, 0), &[]);
        assert_eq!(placed.start, berlin(29, 3, 30));
    }
}
