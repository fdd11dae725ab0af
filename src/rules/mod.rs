//! The rule engine: what is wrong with one worker's shifts.
//!
//! One pure function, [`evaluate_worker`], run by the server after every write (to keep the attention
//! items in step) and by the calendar in the browser while a shift is dragged (to warn before the drop).
//! Hard rules mirror what the database refuses for active shifts; warnings are advice a manager may
//! acknowledge.

mod conflict;
mod missing_break;
mod on_time_off;
mod outside_employment;
mod overlap;
mod position_not_held;
mod rest_period;
mod thresholds;
mod unavailable;
mod weekly_hours;

pub use conflict::{Conflict, ConflictKind, Severity};
pub use thresholds::Thresholds;
pub use weekly_hours::week_start;

use crate::hours::BreakSpan;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use serde::{Deserialize, Serialize};

/// What the rules need to know about a shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleShift {
    pub id: EventId,
    pub during: Interval,
    pub status: EventStatus,
    pub breaks: Vec<BreakSpan>,
    /// The position the shift asks for, if any.
    #[serde(default)]
    pub position: Option<EntityId>,
}

/// What the rules know of a worker besides their shifts.
#[derive(Clone, Copy, Debug, Default)]
pub struct WorkerFacts<'a> {
    pub employments: &'a [Interval],
    pub positions_held: &'a [EntityId],
    /// Their approved time off.
    pub time_off: &'a [Interval],
    /// The hours they said they cannot work (`availability::spans`).
    pub unavailable: &'a [Interval],
}

/// Every conflict among one worker's shifts, given what else is known of the worker.
/// Cancelled shifts take no part; drafts do (a draft conflict is what the manager's board is for).
pub fn evaluate_worker(worker: EntityId, shifts: &[RuleShift], facts: WorkerFacts<'_>, thresholds: &Thresholds) -> Vec<Conflict> {
    let mut live: Vec<&RuleShift> = shifts.iter().filter(|s| s.status != EventStatus::Cancelled).collect();
    live.sort_by_key(|s| (s.during.start, s.id));
    let mut conflicts = Vec::new();
    conflicts.extend(overlap::find(worker, &live));
    conflicts.extend(outside_employment::find(worker, &live, facts.employments));
    conflicts.extend(position_not_held::find(worker, &live, facts.positions_held));
    conflicts.extend(on_time_off::find(worker, &live, facts.time_off));
    conflicts.extend(unavailable::find(worker, &live, facts.unavailable));
    conflicts.extend(rest_period::find(worker, &live, thresholds));
    conflicts.extend(weekly_hours::find(worker, &live, thresholds));
    conflicts.extend(missing_break::find(worker, &live, thresholds));
    conflicts
}

#[cfg(test)]
mod tests;

/// The longest shift Mosaic accepts; the database holds the same limit (`events_shift_at_most_a_day`).
pub const MAX_SHIFT_HOURS: i64 = 24;

/// A shift's bounds as a scheduler enters them: end after start, and at most a day long.
/// Returns the field at fault and why.
pub fn shift_interval(
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<Interval, (&'static str, String)> {
    for (field, at) in [("start", start), ("end", end)] {
        if !crate::date_range::instant_in_range(at) {
            return Err((field, crate::date_range::out_of_range()));
        }
    }
    let during = Interval::new(start, end).map_err(|e| ("end", e.to_string()))?;
    if end - start > chrono::Duration::hours(MAX_SHIFT_HOURS) {
        return Err(("end", format!("a shift lasts at most {MAX_SHIFT_HOURS} hours")));
    }
    Ok(during)
}
