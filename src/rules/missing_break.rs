use super::{Conflict, ConflictKind, RuleShift, Thresholds};
use crate::hours::{hours, shift_hours};
use crate::ids::EntityId;

/// Shifts longer than the threshold whose breaks (inside the shift) add up to less than the minimum, or
/// that have no break at all.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], thresholds: &Thresholds) -> Vec<Conflict> {
    shifts
        .iter()
        .filter(|s| s.during.duration().is_some_and(|d| hours(d) > thresholds.break_required_after_hours))
        .filter_map(|s| {
            let minutes = shift_hours(&s.during, &s.breaks).breaks * 60.0;
            let short = s.breaks.is_empty() || minutes + 1e-9 < thresholds.min_break_minutes;
            short.then(|| {
                let needed = format!(
                    "A shift over {} h needs {} min of break",
                    number(thresholds.break_required_after_hours),
                    number(thresholds.min_break_minutes)
                );
                let message =
                    if s.breaks.is_empty() { format!("{needed}.") } else { format!("{needed}; it has {}.", number(minutes)) };
                Conflict::new(ConflictKind::MissingBreak, worker, vec![s.id], s.during, message)
            })
        })
        .collect()
}

/// A threshold as people write it: `6`, `5.5`.
fn number(value: f64) -> String {
    format!("{:.1}", value).trim_end_matches(".0").to_string()
}
