//! Timekeeping: what happened, against what was planned. A worker's clock punches (points in time) pair
//! into worked periods, and each period is matched to the planned shift it belongs to — by time, never by
//! date, so a night shift across midnight (and across a DST change) pairs and matches like any other.
//!
//! Pure, for the server and the browser alike.

use crate::ids::EventId;
use crate::interval::Interval;
use crate::rules::ConflictKind;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum ClockDirection {
    // Declared first: at the same instant a clock-out closes the open period before a clock-in opens
    // the next (clocking out and straight back in is carrying on).
    Out,
    In,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum CorrectionAction {
    /// A punch the worker forgot: `direction` and `at` needed.
    Add,
    /// A punch at the wrong time or the wrong way round: `punch_id`, and a new `at` or `direction`.
    Replace,
    /// A punch that should not count: `punch_id`.
    Void,
}

/// One clock punch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Punch {
    pub id: EventId,
    pub at: DateTime<Utc>,
    pub direction: ClockDirection,
}

/// A clock-in and the clock-out that ended it, if one has yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PunchedPeriod {
    pub clock_in: EventId,
    pub clock_out: Option<EventId>,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

impl PunchedPeriod {
    pub fn during(&self) -> Interval {
        Interval { start: self.start, end: self.end }
    }
}

/// A worker's punches, paired.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    /// In time order. A period without an end is still open — or its clock-out is missing, when another
    /// clock-in follows it or it has run too long.
    pub periods: Vec<PunchedPeriod>,
    /// Clock-outs with no clock-in open before them.
    pub unmatched_outs: Vec<EventId>,
}

/// Pairs punches in time order, whatever order they come in: a clock-in opens a period, the next
/// clock-out closes it. A clock-in while one is open leaves the open one without an end (a missing
/// clock-out); a clock-out with nothing open is unmatched.
pub fn pair(punches: &[Punch]) -> Pairing {
    let mut ordered: Vec<&Punch> = punches.iter().collect();
    ordered.sort_by_key(|p| (p.at, p.direction, p.id));
    let mut pairing = Pairing::default();
    let mut open: Option<&Punch> = None;
    for punch in ordered {
        match (punch.direction, open) {
            (ClockDirection::In, previous) => {
                if let Some(previous) = previous {
                    pairing.periods.push(unended(previous));
                }
                open = Some(punch);
            }
            (ClockDirection::Out, Some(clock_in)) => {
                pairing.periods.push(PunchedPeriod {
                    clock_in: clock_in.id,
                    clock_out: Some(punch.id),
                    start: clock_in.at,
                    end: Some(punch.at),
                });
                open = None;
            }
            (ClockDirection::Out, None) => pairing.unmatched_outs.push(punch.id),
        }
    }
    if let Some(clock_in) = open {
        pairing.periods.push(unended(clock_in));
    }
    pairing
}

fn unended(clock_in: &Punch) -> PunchedPeriod {
    PunchedPeriod { clock_in: clock_in.id, clock_out: None, start: clock_in.at, end: None }
}

/// A planned shift a period may belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedShift {
    pub id: EventId,
    pub during: Interval,
}

/// How far from a shift's start a clock-in may lie and still belong to it when the period does not
/// overlap the shift at all (someone who clocked in early and out again before it began, say).
pub const MATCH_REACH_HOURS: i64 = 3;

/// The shift a worked period belongs to: the one it overlaps most (an open period counts from its start
/// on); failing that, the one whose start is nearest its start within [`MATCH_REACH_HOURS`]; `None`
/// for a period far from every shift. Ties go to the earlier shift.
pub fn match_period(period: &PunchedPeriod, shifts: &[PlannedShift]) -> Option<EventId> {
    let worked = match period.end {
        Some(_) => period.during(),
        // Still open: what is worked so far is unknown, so it counts as the instant it began.
        None => Interval { start: period.start, end: Some(period.start + Duration::seconds(1)) },
    };
    let overlap = |s: &PlannedShift| s.during.intersection(&worked).and_then(|i| i.duration()).unwrap_or_else(Duration::zero);
    let mut ranked: Vec<&PlannedShift> = shifts.iter().collect();
    ranked.sort_by_key(|s| (s.during.start, s.id));
    // In time order, only a strictly larger overlap replaces the best so far: the earlier shift wins a tie.
    let mut best: Option<(EventId, Duration)> = None;
    for shift in &ranked {
        let shared = overlap(shift);
        if shared > Duration::zero() && best.is_none_or(|(_, most)| shared > most) {
            best = Some((shift.id, shared));
        }
    }
    if let Some((id, _)) = best {
        return Some(id);
    }
    let distance = |s: &PlannedShift| (s.during.start - period.start).abs();
    ranked.iter().filter(|s| distance(s) <= Duration::hours(MATCH_REACH_HOURS)).min_by_key(|s| distance(s)).map(|s| s.id)
}

/// How long past its shift's end a period may stay open before its clock-out counts as missing.
pub const OPEN_PAST_SHIFT_HOURS: i64 = MATCH_REACH_HOURS;
/// How long a period with no shift may stay open before its clock-out counts as missing.
pub const OPEN_WITHOUT_SHIFT_HOURS: i64 = 12;

/// Something in a worker's punches a supervisor should look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: ConflictKind,
    /// The punch it is about: the lone clock-out, or the clock-in of the period.
    pub punch: EventId,
    pub shift: Option<EventId>,
    pub span: Interval,
    pub message: String,
}

/// What needs attention among paired punches at `now`: clock-outs with nothing open, periods whose
/// clock-out is missing (another clock-in followed, or the period has run well past its shift), and
/// clock-ins far from every shift. Times in messages are on `tz`'s wall clock.
pub fn findings(punches: &[Punch], pairing: &Pairing, shifts: &[PlannedShift], now: DateTime<Utc>, tz: Tz) -> Vec<Finding> {
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%a %d %b %H:%M").to_string();
    let minute = |t: DateTime<Utc>| Interval { start: t, end: Some(t + Duration::minutes(1)) };
    let mut found = Vec::new();
    for out in &pairing.unmatched_outs {
        if let Some(punch) = punches.iter().find(|p| p.id == *out) {
            found.push(Finding {
                kind: ConflictKind::UnmatchedClockOut,
                punch: punch.id,
                shift: None,
                span: minute(punch.at),
                message: format!("Clocked out at {} with no clock-in before it.", at(punch.at)),
            });
        }
    }
    for (i, period) in pairing.periods.iter().enumerate() {
        let shift = match_period(period, shifts);
        let planned = shift.and_then(|id| shifts.iter().find(|s| s.id == id));
        if period.end.is_none() {
            let followed = i + 1 < pairing.periods.len();
            let deadline = match planned.and_then(|s| s.during.end) {
                Some(end) => end.max(period.start) + Duration::hours(OPEN_PAST_SHIFT_HOURS),
                None => period.start + Duration::hours(OPEN_WITHOUT_SHIFT_HOURS),
            };
            if followed || now >= deadline {
                let until =
                    pairing.periods.get(i + 1).map(|next| next.start).unwrap_or(now).max(period.start + Duration::minutes(1));
                found.push(Finding {
                    kind: ConflictKind::MissingClockOut,
                    punch: period.clock_in,
                    shift,
                    span: Interval { start: period.start, end: Some(until) },
                    message: format!("Clocked in at {} and never clocked out.", at(period.start)),
                });
            }
        }
        if shift.is_none() {
            found.push(Finding {
                kind: ConflictKind::StrayClockIn,
                punch: period.clock_in,
                shift: None,
                span: minute(period.start),
                message: format!("Clocked in at {}, with no shift within {MATCH_REACH_HOURS} hours.", at(period.start)),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn id(n: u8) -> EventId {
        EventId(uuid::Uuid::from_bytes([n; 16]))
    }

    fn berlin(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(2026, 10, day, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn punch(n: u8, at: DateTime<Utc>, direction: ClockDirection) -> Punch {
        Punch { id: id(n), at, direction }
    }

    #[test]
    fn a_night_shift_across_the_autumn_clock_change_pairs_and_matches_by_time() {
        // 25 October 2026: Berlin's clocks go back at 03:00, so 22:00 to 06:00 is nine hours worked.
        let night = PlannedShift { id: id(50), during: Interval::new(berlin(24, 22, 0), berlin(25, 6, 0)).unwrap() };
        let day_before = PlannedShift { id: id(51), during: Interval::new(berlin(24, 8, 0), berlin(24, 16, 0)).unwrap() };
        let paired = pair(&[punch(2, berlin(25, 6, 5), ClockDirection::Out), punch(1, berlin(24, 21, 52), ClockDirection::In)]);
        assert_eq!(paired.unmatched_outs, []);
        let period = paired.periods[0];
        assert_eq!(period.during().duration(), Some(Duration::minutes(9 * 60 + 13)));
        assert_eq!(match_period(&period, &[day_before, night]), Some(night.id));
    }

    #[test]
    fn a_second_clock_in_leaves_the_first_without_an_end_and_a_lone_clock_out_is_unmatched() {
        let paired = pair(&[
            punch(1, berlin(5, 7, 0), ClockDirection::Out),
            punch(2, berlin(5, 8, 0), ClockDirection::In),
            punch(3, berlin(6, 8, 0), ClockDirection::In),
            punch(4, berlin(6, 16, 0), ClockDirection::Out),
        ]);
        assert_eq!(paired.unmatched_outs, [id(1)]);
        assert_eq!(paired.periods.len(), 2);
        assert_eq!((paired.periods[0].clock_in, paired.periods[0].clock_out), (id(2), None));
        assert_eq!((paired.periods[1].clock_in, paired.periods[1].clock_out), (id(3), Some(id(4))));
    }

    #[test]
    fn out_and_back_in_at_one_instant_carries_on_in_a_new_period() {
        let t = berlin(5, 12, 0);
        let paired = pair(&[
            punch(3, t, ClockDirection::In),
            punch(2, t, ClockDirection::Out),
            punch(1, berlin(5, 8, 0), ClockDirection::In),
            punch(4, berlin(5, 16, 0), ClockDirection::Out),
        ]);
        let spans: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = paired.periods.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(spans, [(berlin(5, 8, 0), Some(t)), (t, Some(berlin(5, 16, 0)))]);
    }

    #[test]
    fn findings_name_lone_clock_outs_missing_clock_outs_and_stray_clock_ins() {
        let early = PlannedShift { id: id(50), during: Interval::new(berlin(5, 7, 0), berlin(5, 15, 0)).unwrap() };
        let next_day = PlannedShift { id: id(51), during: Interval::new(berlin(6, 7, 0), berlin(6, 15, 0)).unwrap() };
        let punches = [
            punch(1, berlin(4, 20, 0), ClockDirection::Out),
            punch(2, berlin(5, 6, 58), ClockDirection::In),
            punch(3, berlin(6, 7, 2), ClockDirection::In),
            punch(4, berlin(7, 3, 0), ClockDirection::In),
        ];
        let paired = pair(&punches);
        let kinds = |now| {
            findings(&punches, &paired, &[early, next_day], now, Berlin)
                .into_iter()
                .map(|f| (f.kind, f.punch, f.shift))
                .collect::<Vec<_>>()
        };
        // At 04:00 on the 7th: both day clock-ins were followed by another clock-in, so their clock-outs
        // are missing; the 03:00 clock-in is near no shift, and still open but not yet overdue.
        assert_eq!(
            kinds(berlin(7, 4, 0)),
            vec![
                (ConflictKind::UnmatchedClockOut, id(1), None),
                (ConflictKind::MissingClockOut, id(2), Some(early.id)),
                (ConflictKind::MissingClockOut, id(3), Some(next_day.id)),
                (ConflictKind::StrayClockIn, id(4), None),
            ]
        );
        let open_now = findings(&punches[..3], &pair(&punches[..3]), &[early, next_day], berlin(6, 17, 59), Berlin);
        assert!(!open_now.iter().any(|f| f.punch == id(3)), "open until three hours past its shift's end");
        let overdue = findings(&punches[..3], &pair(&punches[..3]), &[early, next_day], berlin(6, 18, 0), Berlin);
        let late = overdue.iter().find(|f| f.punch == id(3)).unwrap();
        assert_eq!(late.kind, ConflictKind::MissingClockOut);
        assert_eq!(late.message, "Clocked in at Tue 06 Oct 07:02 and never clocked out.");
    }

    #[test]
    fn an_early_clock_in_belongs_to_the_shift_it_is_near_and_a_stray_one_to_none() {
        let shift = PlannedShift { id: id(50), during: Interval::new(berlin(5, 9, 0), berlin(5, 17, 0)).unwrap() };
        let early = PunchedPeriod { clock_in: id(1), clock_out: Some(id(2)), start: berlin(5, 7, 0), end: Some(berlin(5, 8, 0)) };
        assert_eq!(match_period(&early, &[shift]), Some(shift.id));
        let open = PunchedPeriod { clock_in: id(1), clock_out: None, start: berlin(5, 9, 3), end: None };
        assert_eq!(match_period(&open, &[shift]), Some(shift.id));
        let stray = PunchedPeriod { clock_in: id(1), clock_out: None, start: berlin(5, 22, 0), end: None };
        assert_eq!(match_period(&stray, &[shift]), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn punches() -> impl Strategy<Value = Vec<Punch>> {
            // Minutes over a fortnight around the autumn change, in and out at random.
            proptest::collection::vec((0i64..14 * 24 * 60, any::<bool>()), 0..24).prop_map(|raw| {
                raw.into_iter()
                    .enumerate()
                    .map(|(n, (minute, inward))| Punch {
                        id: EventId(uuid::Uuid::from_u128(n as u128 + 1)),
                        at: berlin(18, 0, 0) + Duration::minutes(minute),
                        direction: if inward { ClockDirection::In } else { ClockDirection::Out },
                    })
                    .collect()
            })
        }

        proptest! {
            /// Any order of the same punches pairs the same; every punch is used exactly once; periods
            /// follow each other without overlapping, and each ends no earlier than it starts.
            #[test]
            fn pairing_is_order_free_and_uses_every_punch_once(punches in punches(), seed in any::<u64>()) {
                let paired = pair(&punches);
                let mut shuffled = punches.clone();
                let mut state = seed | 1;
                for i in (1..shuffled.len()).rev() {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                    shuffled.swap(i, (state % (i as u64 + 1)) as usize);
                }
                prop_assert_eq!(&pair(&shuffled), &paired);

                let mut used: Vec<EventId> = paired.unmatched_outs.clone();
                for p in &paired.periods {
                    used.push(p.clock_in);
                    used.extend(p.clock_out);
                    prop_assert!(p.end.is_none_or(|end| end >= p.start));
                }
                used.sort();
                let mut all: Vec<EventId> = punches.iter().map(|p| p.id).collect();
                all.sort();
                prop_assert_eq!(used, all);
                for w in paired.periods.windows(2) {
                    prop_assert!(w[0].end.unwrap_or(w[0].start) <= w[1].start);
                }
            }

            /// A period inside a shift always belongs to it, whatever other shifts there are, in any order.
            #[test]
            fn a_period_inside_a_shift_belongs_to_it(
                starts in proptest::collection::vec(0i64..14 * 24, 1..6),
                pick in any::<proptest::sample::Index>(),
                inset in 0i64..120,
            ) {
                let mut shifts: Vec<PlannedShift> = Vec::new();
                for (n, hour) in starts.iter().enumerate() {
                    let start = berlin(18, 0, 0) + Duration::hours(*hour * 2);
                    let during = Interval::new(start, start + Duration::hours(8)).unwrap();
                    // Shifts of one worker never overlap once active.
                    if shifts.iter().all(|s| !s.during.overlaps(&during)) {
                        shifts.push(PlannedShift { id: EventId(uuid::Uuid::from_u128(n as u128 + 100)), during });
                    }
                }
                let target = shifts[pick.index(shifts.len())];
                let start = target.during.start + Duration::minutes(inset);
                let period = PunchedPeriod { clock_in: id(1), clock_out: Some(id(2)), start, end: Some(start + Duration::hours(5)) };
                prop_assert_eq!(match_period(&period, &shifts), Some(target.id));
                shifts.reverse();
                prop_assert_eq!(match_period(&period, &shifts), Some(target.id));
            }
        }
    }
}
