use super::{Conflict, ConflictKind, RuleShift, Thresholds};
use crate::hours::hours;
use crate::ids::EntityId;

/// Shifts longer than the threshold with no break at all.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], thresholds: &Thresholds) -> Vec<Conflict> {
    shifts
        .iter()
        .filter(|s| s.breaks.is_empty())
        .filter(|s| s.during.duration().is_some_and(|d| hours(d) > thresholds.break_required_after_hours))
        .map(|s| {
            Conflict::new(
                ConflictKind::MissingBreak,
                worker,
                vec![s.id],
                s.during,
                format!("A shift over {:.0} h needs a break.", thresholds.break_required_after_hours),
            )
        })
        .collect()
}
