//! What changed in a week between two moments: the shifts as they stood at the earlier moment against the
//! shifts at the later one, shift by shift.

use crate::ids::EventId;
use crate::kinds::EventStatus;
use crate::views::ShiftView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a shift differs between the two moments, the most telling change first: a shift both moved and
/// reassigned is reassigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum DifferenceKind {
    /// In the week at the later moment only (new, moved in, or un-cancelled).
    Added,
    /// In the week at the earlier moment only (cancelled, or moved out of the week or location).
    Removed,
    /// Given to another worker.
    Reassigned,
    /// Other times, or another location within the week.
    Moved,
    /// A draft that became active.
    Published,
    /// The same times and worker, but something else: role, position, notes, breaks.
    Edited,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShiftDifference {
    pub shift_id: EventId,
    pub kind: DifferenceKind,
    /// The shift at the earlier moment, if it was in the week then.
    pub before: Option<ShiftView>,
    /// The shift at the later moment, if it is in the week then.
    pub after: Option<ShiftView>,
}

/// Every shift that differs between `before` and `after` (each a week's shifts at one moment), in the
/// order of the time it has (or had) in the week. A shift changed and changed back is not a difference.
pub fn differences(before: &[ShiftView], after: &[ShiftView]) -> Vec<ShiftDifference> {
    let earlier: BTreeMap<EventId, &ShiftView> = before.iter().map(|s| (s.id, s)).collect();
    let later: BTreeMap<EventId, &ShiftView> = after.iter().map(|s| (s.id, s)).collect();
    let mut found: Vec<ShiftDifference> = Vec::new();
    for (id, then) in &earlier {
        match later.get(id) {
            None => found.push(ShiftDifference {
                shift_id: *id,
                kind: DifferenceKind::Removed,
                before: Some((*then).clone()),
                after: None,
            }),
            Some(now) => {
                if let Some(kind) = how_it_changed(then, now) {
                    found.push(ShiftDifference {
                        shift_id: *id,
                        kind,
                        before: Some((*then).clone()),
                        after: Some((*now).clone()),
                    });
                }
            }
        }
    }
    for (id, now) in &later {
        if !earlier.contains_key(id) {
            found.push(ShiftDifference { shift_id: *id, kind: DifferenceKind::Added, before: None, after: Some((*now).clone()) });
        }
    }
    found.sort_by_key(|d| {
        let shown = d.after.as_ref().or(d.before.as_ref()).map(|s| s.during.start);
        (shown, d.shift_id)
    });
    found
}

fn how_it_changed(then: &ShiftView, now: &ShiftView) -> Option<DifferenceKind> {
    if then.worker_id != now.worker_id {
        Some(DifferenceKind::Reassigned)
    } else if then.during != now.during || then.location_id != now.location_id {
        Some(DifferenceKind::Moved)
    } else if then.status == EventStatus::Draft && now.status == EventStatus::Active {
        Some(DifferenceKind::Published)
    } else if then.status != now.status
        || then.role != now.role
        || then.position != now.position
        || then.notes != now.notes
        || then.breaks != now.breaks
        || then.work_periods != now.work_periods
    {
        Some(DifferenceKind::Edited)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::ShiftHours;
    use crate::ids::EntityId;
    use crate::interval::Interval;
    use chrono::{Duration, TimeZone, Utc};
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn shift(n: u8, worker: u8, hour: i64) -> ShiftView {
        let id = |b: u8| uuid::Uuid::from_bytes([b; 16]);
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::hours(hour);
        ShiftView {
            id: EventId(id(n)),
            worker_id: EntityId(id(100 + worker)),
            worker_name: format!("Worker {worker}"),
            location_id: EntityId(id(200)),
            employment_id: None,
            during: Interval { start, end: Some(start + Duration::hours(8)) },
            status: EventStatus::Draft,
            role: None,
            position: None,
            notes: None,
            version: 1,
            breaks: vec![],
            work_periods: vec![],
            hours: ShiftHours { worked: 8.0, breaks: 0.0, net: 8.0 },
        }
    }

    fn kinds(found: &[ShiftDifference]) -> Vec<DifferenceKind> {
        found.iter().map(|d| d.kind).collect()
    }

    #[test]
    fn a_new_shift_is_added_and_a_vanished_one_removed() {
        let kept = shift(1, 1, 8);
        let found = differences(&[kept.clone(), shift(2, 1, 32)], &[kept, shift(3, 2, 56)]);
        assert_eq!(kinds(&found), [DifferenceKind::Removed, DifferenceKind::Added]);
        assert!(found[0].after.is_none() && found[1].before.is_none());
    }

    #[test]
    fn reassigning_outranks_moving_and_publishing_is_told_apart_from_editing() {
        let then = shift(1, 1, 8);
        let mut reassigned_and_moved = then.clone();
        reassigned_and_moved.worker_id = shift(1, 2, 8).worker_id;
        reassigned_and_moved.during = shift(1, 1, 9).during;
        assert_eq!(kinds(&differences(&[then.clone()], &[reassigned_and_moved])), [DifferenceKind::Reassigned]);

        let mut published = then.clone();
        published.status = EventStatus::Active;
        published.version = 2;
        assert_eq!(kinds(&differences(&[then.clone()], &[published])), [DifferenceKind::Published]);

        let mut edited = then.clone();
        edited.role = Some("barista".into());
        assert_eq!(kinds(&differences(&[then.clone()], &[edited])), [DifferenceKind::Edited]);
    }

    #[test]
    fn a_shift_moved_and_moved_back_is_no_difference() {
        let then = shift(1, 1, 8);
        let mut back = then.clone();
        back.version = 3;
        assert!(differences(&[then], &[back]).is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        /// Each shift is reported at most once; added exactly when only the later week has it, removed
        /// exactly when only the earlier one does; nothing differs from itself.
        #[test]
        fn differences_account_for_every_shift_once(
            before in proptest::collection::vec((0u8..12, 0u8..3, 0i64..160), 0..10),
            after in proptest::collection::vec((0u8..12, 0u8..3, 0i64..160), 0..10),
        ) {
            let week = |spec: &[(u8, u8, i64)]| -> Vec<ShiftView> {
                let mut seen = std::collections::BTreeSet::new();
                spec.iter().filter(|(n, _, _)| seen.insert(*n)).map(|(n, w, h)| shift(*n, *w, *h)).collect()
            };
            let (before, after) = (week(&before), week(&after));
            prop_assert!(differences(&before, &before).is_empty());
            let found = differences(&before, &after);
            let ids: std::collections::BTreeSet<EventId> = found.iter().map(|d| d.shift_id).collect();
            prop_assert_eq!(ids.len(), found.len());
            for d in &found {
                let (was, is) = (before.iter().any(|s| s.id == d.shift_id), after.iter().any(|s| s.id == d.shift_id));
                prop_assert_eq!(d.kind == DifferenceKind::Added, !was && is);
                prop_assert_eq!(d.kind == DifferenceKind::Removed, was && !is);
            }
            for s in &before {
                let same = after.iter().find(|a| a.id == s.id).is_some_and(|a| a == s);
                prop_assert_eq!(same, !ids.contains(&s.id));
            }
        }
    }
}
