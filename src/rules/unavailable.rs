use super::{Conflict, ConflictKind, RuleShift};
use crate::ids::EntityId;
use crate::interval::Interval;

/// Shifts in hours the worker said they cannot work: one warning per shift, over the first stretch.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], unavailable: &[Interval]) -> Vec<Conflict> {
    shifts
        .iter()
        .filter_map(|s| {
            let clash = unavailable.iter().filter_map(|u| u.intersection(&s.during)).min_by_key(|i| i.start)?;
            Some(Conflict::new(
                ConflictKind::Unavailable,
                worker,
                vec![s.id],
                clash,
                "The worker said they are unavailable then.".to_string(),
            ))
        })
        .collect()
}
