use super::{Conflict, ConflictKind, RuleShift};
use crate::ids::EntityId;

/// Each pair of shifts that share time. `shifts` is sorted by start.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift]) -> Vec<Conflict> {
    let mut found = Vec::new();
    for (i, a) in shifts.iter().enumerate() {
        for b in shifts[i + 1..].iter().take_while(|b| a.during.end.is_none_or(|end| b.start_before(end))) {
            if let Some(common) = a.during.intersection(&b.during) {
                found.push(Conflict::new(
                    ConflictKind::Overlap,
                    worker,
                    vec![a.id, b.id],
                    common,
                    "The worker has two shifts at the same time.".to_string(),
                ));
            }
        }
    }
    found
}

impl RuleShift {
    fn start_before(&self, t: chrono::DateTime<chrono::Utc>) -> bool {
        self.during.start < t
    }
}
