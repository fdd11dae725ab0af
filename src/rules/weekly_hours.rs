use super::{Conflict, ConflictKind, RuleShift, Thresholds};
use crate::hours::shift_hours;
use crate::ids::EntityId;
use crate::interval::Interval;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// Weeks (from the organisation's first weekday, in the thresholds' zone) whose net hours exceed the threshold. A shift counts
/// in the week it starts in.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], thresholds: &Thresholds) -> Vec<Conflict> {
    let mut weeks: BTreeMap<DateTime<Utc>, (f64, Vec<&RuleShift>)> = BTreeMap::new();
    for shift in shifts {
        let week = week_start(shift.during.start, thresholds);
        let entry = weeks.entry(week).or_default();
        entry.0 += shift_hours(&shift.during, &shift.breaks).net;
        entry.1.push(shift);
    }
    weeks
        .into_iter()
        .filter(|(_, (total, _))| *total > thresholds.max_weekly_hours + 1e-9)
        .map(|(start, (total, members))| {
            let end = week_start(start + Duration::days(7) + Duration::hours(12), thresholds);
            Conflict::new(
                ConflictKind::WeeklyHours,
                worker,
                members.iter().map(|s| s.id).collect(),
                Interval { start, end: Some(end) },
                format!("{total:.1} h this week; the limit is {:.0} h.", thresholds.max_weekly_hours),
            )
        })
        .collect()
}

/// Midnight at the start of the first day of `t`'s week, in the thresholds' zone.
pub fn week_start(t: DateTime<Utc>, thresholds: &Thresholds) -> DateTime<Utc> {
    crate::local_time::week_start_of(t, thresholds.week_time_zone, thresholds.week_starts_on)
}
