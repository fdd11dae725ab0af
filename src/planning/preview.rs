//! The rules' verdict on a proposed shift, before it is saved.

use crate::hours::shift_hours;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::rules::{evaluate_worker, Conflict, RuleShift, Severity, Thresholds, WorkerFacts};
use serde::{Deserialize, Serialize};

/// What the rules need to judge one worker: their live shifts around the shown week at every location,
/// their employments, the positions they hold and their approved time off.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowRules {
    pub worker: EntityId,
    pub shifts: Vec<RuleShift>,
    pub employments: Vec<Interval>,
    pub positions: Vec<EntityId>,
    #[serde(default)]
    pub time_off: Vec<Interval>,
    /// The hours they said they cannot work.
    #[serde(default)]
    pub unavailable: Vec<Interval>,
}

impl RowRules {
    pub fn facts(&self) -> WorkerFacts<'_> {
        WorkerFacts {
            employments: &self.employments,
            positions_held: &self.positions,
            time_off: &self.time_off,
            unavailable: &self.unavailable,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// The conflicts the proposed shift would take part in, hard ones first.
    pub conflicts: Vec<Conflict>,
    /// The worker's net hours in the shown week with the proposal in place.
    pub week_hours: f64,
    /// Why the server will refuse it: a published shift may not be saved into a hard conflict.
    pub refused: Option<String>,
}

impl Preview {
    pub fn worst(&self) -> Option<Severity> {
        self.conflicts.first().map(|c| c.severity)
    }
}

/// Judges `proposed` among the worker's other shifts. `replaces` is the shift it stands for (the one being
/// dragged), left out so it does not clash with itself; a copy or a new shift replaces nothing.
pub fn preview(
    row: &RowRules,
    proposed: &RuleShift,
    replaces: Option<EventId>,
    week: &Interval,
    thresholds: &Thresholds,
) -> Preview {
    let mut shifts: Vec<RuleShift> =
        row.shifts.iter().filter(|s| Some(s.id) != replaces && s.id != proposed.id).cloned().collect();
    shifts.push(proposed.clone());
    let mut conflicts: Vec<Conflict> = evaluate_worker(row.worker, &shifts, row.facts(), thresholds)
        .into_iter()
        .filter(|c| c.shifts.contains(&proposed.id))
        .collect();
    conflicts.sort_by_key(|c| (c.severity != Severity::Hard, c.span.start));
    let refused = (proposed.status == EventStatus::Active)
        .then(|| conflicts.iter().find(|c| c.severity == Severity::Hard))
        .flatten()
        .map(|c| format!("A published shift cannot be saved like this: {}", c.message));
    Preview { conflicts, week_hours: hours_in(&shifts, week), refused }
}

/// The worker's net hours of live shifts starting in `week`, leaving out `without` (a shift dragged away).
pub fn week_hours(row: &RowRules, week: &Interval, without: Option<EventId>) -> f64 {
    let kept: Vec<RuleShift> = row.shifts.iter().filter(|s| Some(s.id) != without).cloned().collect();
    hours_in(&kept, week)
}

fn hours_in(shifts: &[RuleShift], week: &Interval) -> f64 {
    shifts
        .iter()
        .filter(|s| s.status != EventStatus::Cancelled && week.contains_instant(s.during.start))
        .map(|s| shift_hours(&s.during, &s.breaks).net)
        .sum()
}
