use super::{Conflict, ConflictKind, RuleShift};
use crate::ids::EntityId;
use crate::interval::Interval;

/// Shifts not wholly inside one of the worker's employments.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], employments: &[Interval]) -> Vec<Conflict> {
    shifts
        .iter()
        .filter(|s| !employments.iter().any(|e| e.contains(&s.during)))
        .map(|s| {
            Conflict::new(
                ConflictKind::OutsideEmployment,
                worker,
                vec![s.id],
                s.during,
                "The shift falls outside the worker's employment.".to_string(),
            )
        })
        .collect()
}
