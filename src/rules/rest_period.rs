use super::{Conflict, ConflictKind, RuleShift, Thresholds};
use crate::hours::hours;
use crate::ids::EntityId;
use crate::interval::Interval;

/// Consecutive shifts with less rest between them than the threshold. Overlapping shifts are left to
/// the overlap rule.
pub(super) fn find(worker: EntityId, shifts: &[&RuleShift], thresholds: &Thresholds) -> Vec<Conflict> {
    let mut found = Vec::new();
    let mut latest: Option<&RuleShift> = None;
    for shift in shifts {
        if let Some(previous) = latest {
            if let (Some(prev_end), Some(gap)) = (previous.during.end, previous.during.gap_until(&shift.during)) {
                let rest = hours(gap);
                if gap.num_seconds() >= 0 && rest < thresholds.min_rest_hours {
                    found.push(Conflict::new(
                        ConflictKind::ShortRest,
                        worker,
                        vec![previous.id, shift.id],
                        Interval { start: prev_end, end: Some(shift.during.start) },
                        format!(
                            "Only {rest:.1} h of rest between shifts; at least {:.0} h are required.",
                            thresholds.min_rest_hours
                        ),
                    ));
                }
            }
        }
        // The shift that ends last is the one the next shift must rest after.
        let ends_later = match (latest.map(|l| l.during.end), shift.during.end) {
            (None, _) => true,
            (Some(None), _) => false,
            (Some(Some(_)), None) => true,
            (Some(Some(a)), Some(b)) => b > a,
        };
        if ends_later {
            latest = Some(shift);
        }
    }
    found
}
