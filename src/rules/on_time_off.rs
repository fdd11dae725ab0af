use super::{Conflict, ConflictKind, RuleShift};
use crate::ids::EntityId;
use crate::interval::Interval;

/// Shifts that fall on the worker's approved time off: one conflict per shift, over the part of it the
/// time off covers (the first stretch, should two requests touch one shift).
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], time_off: &[Interval]) -> Vec<Conflict> {
    shifts
        .iter()
        .filter_map(|s| {
            let away = time_off.iter().filter_map(|t| t.intersection(&s.during)).min_by_key(|i| i.start)?;
            Some(Conflict::new(
                ConflictKind::OnTimeOff,
                worker,
                vec![s.id],
                away,
                "The worker has approved time off then.".to_string(),
            ))
        })
        .collect()
}
