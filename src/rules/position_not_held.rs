use super::{Conflict, ConflictKind, RuleShift};
use crate::ids::EntityId;

/// Shifts that ask for a position the worker does not hold.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], positions_held: &[EntityId]) -> Vec<Conflict> {
    shifts
        .iter()
        .filter(|s| s.position.is_some_and(|p| !positions_held.contains(&p)))
        .map(|s| {
            Conflict::new(
                ConflictKind::PositionNotHeld,
                worker,
                vec![s.id],
                s.during,
                "The worker does not hold the position the shift asks for.".to_string(),
            )
        })
        .collect()
}
