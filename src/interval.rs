//! Half-open time intervals `[start, end)` and their algebra; `end = None` means ongoing.
//!
//! The database stores the same ranges as `tstzrange(start, end, '[)')`, so these functions and the
//! exclusion constraints agree on what "overlap" means: touching intervals (one ends when the next starts)
//! do not overlap.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    #[error("end must be after start")]
    EndNotAfterStart,
}

impl Interval {
    /// A bounded interval; refuses `end <= start` (empty or reversed).
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, IntervalError> {
        if end <= start {
            return Err(IntervalError::EndNotAfterStart);
        }
        Ok(Self { start, end: Some(end) })
    }

    /// An interval that may be ongoing (`end = None`).
    pub fn open_ended(start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> Result<Self, IntervalError> {
        match end {
            Some(end) => Self::new(start, end),
            None => Ok(Self { start, end: None }),
        }
    }

    pub fn overlaps(&self, other: &Interval) -> bool {
        let self_ends_after_other_starts = self.end.is_none_or(|end| end > other.start);
        let other_ends_after_self_starts = other.end.is_none_or(|end| end > self.start);
        self_ends_after_other_starts && other_ends_after_self_starts
    }

    /// Whether `inner` lies wholly inside `self` (sharing an edge counts as inside).
    pub fn contains(&self, inner: &Interval) -> bool {
        if inner.start < self.start {
            return false;
        }
        match (self.end, inner.end) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(outer_end), Some(inner_end)) => inner_end <= outer_end,
        }
    }

    pub fn contains_instant(&self, t: DateTime<Utc>) -> bool {
        t >= self.start && self.end.is_none_or(|end| t < end)
    }

    /// The common part of two intervals, if they overlap.
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        if !self.overlaps(other) {
            return None;
        }
        let start = self.start.max(other.start);
        let end = match (self.end, other.end) {
            (None, end) | (end, None) => end,
            (Some(a), Some(b)) => Some(a.min(b)),
        };
        Some(Interval { start, end })
    }

    /// The length, or `None` for an ongoing interval.
    pub fn duration(&self) -> Option<Duration> {
        self.end.map(|end| end - self.start)
    }

    /// The time from the end of `self` to the start of `later`; negative when they overlap.
    pub fn gap_until(&self, later: &Interval) -> Option<Duration> {
        self.end.map(|end| later.start - end)
    }

    /// The same interval moved by `delta`.
    pub fn shifted(&self, delta: Duration) -> Interval {
        Interval { start: self.start + delta, end: self.end.map(|end| end + delta) }
    }
}

/// The parts of `outer` not covered by any of `holes` (sorted, non-overlapping pieces).
/// Used to generate work periods around breaks.
pub fn subtract_all(outer: &Interval, holes: &[Interval]) -> Vec<Interval> {
    let mut holes: Vec<Interval> = holes.iter().filter_map(|h| h.intersection(outer)).collect();
    holes.sort_by_key(|h| h.start);
    let mut pieces = Vec::new();
    let mut cursor = outer.start;
    for hole in holes {
        if hole.start > cursor {
            pieces.push(Interval { start: cursor, end: Some(hole.start) });
        }
        match hole.end {
            Some(end) => cursor = cursor.max(end),
            None => return pieces,
        }
    }
    match outer.end {
        Some(end) if end > cursor => pieces.push(Interval { start: cursor, end: Some(end) }),
        None => pieces.push(Interval { start: cursor, end: None }),
        _ => {}
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(t(a), t(b)).unwrap()
    }

    #[test]
    fn touching_shifts_do_not_overlap() {
        assert!(!iv(0, 60).overlaps(&iv(60, 120)));
        assert!(iv(0, 61).overlaps(&iv(60, 120)));
    }

    #[test]
    fn an_empty_or_reversed_interval_is_refused() {
        assert_eq!(Interval::new(t(5), t(5)), Err(IntervalError::EndNotAfterStart));
        assert_eq!(Interval::new(t(6), t(5)), Err(IntervalError::EndNotAfterStart));
    }

    #[test]
    fn an_ongoing_employment_contains_every_later_shift_but_not_an_earlier_one() {
        let employment = Interval::open_ended(t(0), None).unwrap();
        assert!(employment.contains(&iv(100, 200)));
        assert!(!employment.contains(&iv(-10, 20)));
        assert!(!iv(0, 100).contains(&employment));
    }

    #[test]
    fn work_periods_are_the_shift_minus_its_breaks() {
        let pieces = subtract_all(&iv(0, 480), &[iv(240, 270), iv(120, 135)]);
        assert_eq!(pieces, vec![iv(0, 120), iv(135, 240), iv(270, 480)]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn arb_interval() -> impl Strategy<Value = Interval> {
        (-10_000i64..10_000, 1i64..5_000).prop_map(|(s, len)| iv(s, s + len))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn arb_maybe_open() -> impl Strategy<Value = Interval> {
        (arb_interval(), any::<bool>()).prop_map(|(i, open)| if open { Interval { end: None, ..i } } else { i })
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn overlap_is_symmetric(a in arb_maybe_open(), b in arb_maybe_open()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
        }

        #[test]
        fn overlap_means_a_common_instant(a in arb_interval(), b in arb_interval()) {
            let common = (a.start.max(b.start), a.end.unwrap().min(b.end.unwrap()));
            prop_assert_eq!(a.overlaps(&b), common.0 < common.1);
        }

        #[test]
        fn the_intersection_lies_inside_both(a in arb_maybe_open(), b in arb_maybe_open()) {
            if let Some(i) = a.intersection(&b) {
                prop_assert!(a.contains(&i) && b.contains(&i));
            } else {
                prop_assert!(!a.overlaps(&b));
            }
        }

        #[test]
        fn containment_implies_overlap(a in arb_maybe_open(), b in arb_maybe_open()) {
            if a.contains(&b) { prop_assert!(a.overlaps(&b)); }
        }

        #[test]
        fn moving_both_keeps_their_relation(a in arb_interval(), b in arb_interval(), d in -5000i64..5000) {
            let delta = Duration::minutes(d);
            prop_assert_eq!(a.overlaps(&b), a.shifted(delta).overlaps(&b.shifted(delta)));
            prop_assert_eq!(a.contains(&b), a.shifted(delta).contains(&b.shifted(delta)));
        }

        #[test]
        fn subtraction_keeps_exactly_the_uncovered_time(
            outer in arb_interval(),
            holes in proptest::collection::vec(arb_interval(), 0..5),
        ) {
            let pieces = subtract_all(&outer, &holes);
            for w in pieces.windows(2) {
                prop_assert!(w[0].end.unwrap() < w[1].start, "pieces are sorted and separate");
            }
            for p in &pieces {
                prop_assert!(outer.contains(p));
                prop_assert!(holes.iter().all(|h| !h.overlaps(p)));
            }
            // Every minute of `outer` is either in a piece or in a hole.
            let mut m = outer.start;
            while m < outer.end.unwrap() {
                let in_piece = pieces.iter().any(|p| p.contains_instant(m));
                let in_hole = holes.iter().any(|h| h.contains_instant(m));
                prop_assert!(in_piece != in_hole);
                m += Duration::minutes(97);
            }
        }
    }
}
