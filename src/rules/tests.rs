use super::*;
use crate::hours::BreakSpan;
use chrono::{DateTime, Duration, TimeZone, Utc};
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    // 2026-03-02 is a Monday.
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn shift(start: DateTime<Utc>, hours: i64) -> RuleShift {
    let during = Interval::new(start, start + Duration::hours(hours)).unwrap();
    let lunch = Interval::new(start + Duration::hours(3), start + Duration::hours(3) + Duration::minutes(30)).unwrap();
    let breaks = if hours >= 4 { vec![BreakSpan { during: lunch, paid: false }] } else { vec![] };
    RuleShift { id: EventId::new(), during, status: EventStatus::Draft, breaks, position: None }
}

fn always_employed() -> Vec<Interval> {
    vec![Interval::open_ended(at(1, 0), None).unwrap()]
}

fn facts<'a>(employments: &'a [Interval], positions_held: &'a [EntityId]) -> WorkerFacts<'a> {
    WorkerFacts { employments, positions_held, ..Default::default() }
}

fn kinds(conflicts: &[Conflict]) -> Vec<ConflictKind> {
    conflicts.iter().map(|c| c.kind).collect()
}

#[test]
fn a_well_spaced_week_has_no_conflicts() {
    let worker = EntityId::new();
    let week: Vec<RuleShift> = (2..7).map(|d| shift(at(d, 9), 8)).collect();
    assert!(evaluate_worker(worker, &week, facts(&always_employed(), &[]), &Thresholds::default()).is_empty());
}

#[test]
fn two_shifts_at_the_same_time_are_a_hard_overlap_naming_both() {
    let worker = EntityId::new();
    let (a, b) = (shift(at(2, 9), 8), shift(at(2, 15), 4));
    let found = evaluate_worker(worker, &[a.clone(), b.clone()], facts(&always_employed(), &[]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::Overlap]);
    assert_eq!(found[0].severity, Severity::Hard);
    assert_eq!(found[0].shifts, vec![a.id, b.id]);
    assert_eq!(found[0].span, Interval::new(at(2, 15), at(2, 17)).unwrap());
}

#[test]
fn a_cancelled_shift_conflicts_with_nothing() {
    let worker = EntityId::new();
    let mut b = shift(at(2, 15), 4);
    b.status = EventStatus::Cancelled;
    assert!(evaluate_worker(worker, &[shift(at(2, 9), 8), b], facts(&always_employed(), &[]), &Thresholds::default()).is_empty());
}

#[test]
fn a_shift_before_the_employment_starts_is_hard() {
    let worker = EntityId::new();
    let employment = vec![Interval::open_ended(at(3, 0), None).unwrap()];
    let found =
        evaluate_worker(worker, &[shift(at(2, 9), 8), shift(at(3, 9), 8)], facts(&employment, &[]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::OutsideEmployment]);
}

#[test]
fn a_closing_shift_then_an_opening_shift_leaves_too_little_rest() {
    let worker = EntityId::new();
    let found = evaluate_worker(
        worker,
        &[shift(at(2, 15), 8), shift(at(3, 6), 8)],
        facts(&always_employed(), &[]),
        &Thresholds::default(),
    );
    assert_eq!(kinds(&found), vec![ConflictKind::ShortRest]);
    assert!(found[0].message.contains("7.0 h"), "{}", found[0].message);
}

#[test]
fn rest_is_counted_from_the_shift_that_ends_last() {
    let worker = EntityId::new();
    // A long shift swallowing a short one: the next morning's shift must rest after the long one.
    let long = shift(at(2, 8), 14);
    let short = shift(at(2, 9), 2);
    let next = shift(at(3, 7), 8);
    let found = evaluate_worker(worker, &[long, short, next], facts(&always_employed(), &[]), &Thresholds::default());
    assert!(kinds(&found).contains(&ConflictKind::ShortRest));
}

#[test]
fn six_ten_hour_days_exceed_the_weekly_limit_once() {
    let worker = EntityId::new();
    let week: Vec<RuleShift> = (2..8).map(|d| shift(at(d, 7), 10)).collect();
    let found = evaluate_worker(worker, &week, facts(&always_employed(), &[]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::WeeklyHours]);
    assert_eq!(found[0].shifts.len(), 6);
    assert_eq!(found[0].span.start, at(2, 0));
}

#[test]
fn weeks_follow_the_organisations_zone() {
    // Sunday 23:30 UTC is already Monday in Berlin: the shift counts in the next Berlin week.
    let t = Utc.with_ymd_and_hms(2026, 3, 8, 23, 30, 0).unwrap();
    let berlin = Thresholds { week_time_zone: chrono_tz::Europe::Berlin, ..Thresholds::default() };
    assert_eq!(weekly_hours::week_start(t, &berlin), Utc.with_ymd_and_hms(2026, 3, 8, 23, 0, 0).unwrap());
    assert_eq!(weekly_hours::week_start(t, &Thresholds::default()), at(2, 0));
}

#[test]
fn a_long_shift_without_a_break_is_warned_about() {
    let worker = EntityId::new();
    let mut long = shift(at(2, 9), 7);
    long.breaks.clear();
    let mut short = shift(at(4, 9), 5);
    short.breaks.clear();
    let found = evaluate_worker(worker, &[long.clone(), short], facts(&always_employed(), &[]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::MissingBreak]);
    assert_eq!(found[0].shifts, vec![long.id]);
}

#[test]
fn a_break_shorter_than_the_organisations_minimum_is_warned_about_with_what_it_has() {
    let worker = EntityId::new();
    let mut coffee_only = shift(at(2, 9), 8);
    coffee_only.breaks[0].during.end = Some(coffee_only.breaks[0].during.start + Duration::minutes(15));
    let lunch = shift(at(3, 9), 8);
    let found = evaluate_worker(worker, &[coffee_only.clone(), lunch], facts(&always_employed(), &[]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::MissingBreak]);
    assert_eq!(found[0].shifts, vec![coffee_only.id]);
    assert_eq!(found[0].message, "A shift over 6 h needs 30 min of break; it has 15.");
    let lenient = Thresholds { min_break_minutes: 15.0, break_required_after_hours: 5.5, ..Thresholds::default() };
    assert!(evaluate_worker(worker, &[coffee_only], facts(&always_employed(), &[]), &lenient).is_empty());
}

#[test]
fn a_week_that_starts_on_sunday_counts_sunday_with_the_days_after_it() {
    let worker = EntityId::new();
    // Sunday 1 March and Monday to Friday after it, 9.5 h each: 57 h in one Sunday week, but 9.5 h and
    // 47.5 h in two Monday weeks.
    let days: Vec<RuleShift> = (1..=6).map(|d| shift(at(d, 7), 10)).collect();
    let sunday_weeks = Thresholds { week_starts_on: crate::local_time::WeekStart::Sunday, ..Thresholds::default() };
    let found = evaluate_worker(worker, &days, facts(&always_employed(), &[]), &sunday_weeks);
    assert_eq!(kinds(&found), vec![ConflictKind::WeeklyHours]);
    assert_eq!(found[0].span.start, at(1, 0));
    assert!(evaluate_worker(worker, &days, facts(&always_employed(), &[]), &Thresholds::default()).is_empty());
}

#[test]
fn the_same_conflict_found_twice_has_the_same_fingerprint() {
    let worker = EntityId::new();
    let (a, b) = (shift(at(2, 9), 8), shift(at(2, 15), 4));
    let once = evaluate_worker(worker, &[a.clone(), b.clone()], facts(&always_employed(), &[]), &Thresholds::default());
    let again = evaluate_worker(worker, &[b, a], facts(&always_employed(), &[]), &Thresholds::default());
    assert_eq!(once[0].fingerprint(), again[0].fingerprint());
}

#[cfg(not(target_arch = "wasm32"))]
proptest! {
    /// The overlap rule reports exactly the pairs whose intervals overlap, whatever the order.
    #[test]
    fn overlaps_found_are_exactly_the_overlapping_pairs(starts in proptest::collection::vec((0i64..96, 1i64..16), 0..8)) {
        let worker = EntityId::new();
        let shifts: Vec<RuleShift> = starts.iter().map(|(s, len)| shift(at(2, 0) + Duration::hours(*s), *len)).collect();
        let found = evaluate_worker(worker, &shifts, facts(&always_employed(), &[]), &Thresholds::default());
        let mut reported: Vec<(EventId, EventId)> = found.iter().filter(|c| c.kind == ConflictKind::Overlap)
            .map(|c| (c.shifts[0].min(c.shifts[1]), c.shifts[0].max(c.shifts[1]))).collect();
        reported.sort();
        let mut expected = Vec::new();
        for (i, a) in shifts.iter().enumerate() {
            for b in &shifts[i + 1..] {
                if a.during.overlaps(&b.during) { expected.push((a.id.min(b.id), a.id.max(b.id))); }
            }
        }
        expected.sort();
        prop_assert_eq!(reported, expected);
    }

    /// Moving every shift by whole weeks changes no conflict except the week it is reported in.
    #[test]
    fn conflicts_do_not_depend_on_which_week_it_is(starts in proptest::collection::vec((0i64..150, 1i64..14), 0..7), weeks in 1i64..20) {
        let worker = EntityId::new();
        let shifts: Vec<RuleShift> = starts.iter().map(|(s, len)| shift(at(2, 0) + Duration::hours(*s), *len)).collect();
        let moved: Vec<RuleShift> = shifts.iter().cloned().map(|mut s| {
            let delta = Duration::weeks(weeks);
            s.during = s.during.shifted(delta);
            for b in &mut s.breaks { b.during = b.during.shifted(delta); }
            s
        }).collect();
        let before = evaluate_worker(worker, &shifts, facts(&always_employed(), &[]), &Thresholds::default());
        let after = evaluate_worker(worker, &moved, facts(&always_employed(), &[]), &Thresholds::default());
        prop_assert_eq!(kinds(&before), kinds(&after));
    }
}

#[test]
fn a_shift_asking_for_a_position_the_worker_does_not_hold_is_hard() {
    let worker = EntityId::new();
    let (barista, cashier) = (EntityId::new(), EntityId::new());
    let mut asks_barista = shift(at(2, 9), 8);
    asks_barista.position = Some(barista);
    let mut asks_cashier = shift(at(3, 9), 8);
    asks_cashier.position = Some(cashier);
    let asks_nothing = shift(at(4, 9), 8);
    let shifts = [asks_barista, asks_cashier.clone(), asks_nothing];
    let found = evaluate_worker(worker, &shifts, facts(&always_employed(), &[barista]), &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::PositionNotHeld]);
    assert_eq!((found[0].severity, found[0].shifts.clone()), (Severity::Hard, vec![asks_cashier.id]));
    assert!(evaluate_worker(worker, &shifts, facts(&always_employed(), &[cashier, barista]), &Thresholds::default()).is_empty());
}

#[test]
fn a_shift_on_approved_time_off_is_a_hard_conflict_over_the_days_away_and_one_beside_it_is_not() {
    let worker = EntityId::new();
    let (on_leave, after) = (shift(at(3, 20), 8), shift(at(5, 9), 8));
    let away = [Interval::new(at(4, 0), at(5, 0)).unwrap()];
    let employed = always_employed();
    let found = evaluate_worker(
        worker,
        &[on_leave.clone(), after],
        WorkerFacts { employments: &employed, time_off: &away, ..Default::default() },
        &Thresholds::default(),
    );
    assert_eq!(kinds(&found), vec![ConflictKind::OnTimeOff]);
    assert_eq!((found[0].severity, found[0].shifts.clone()), (Severity::Hard, vec![on_leave.id]));
    assert_eq!(found[0].span, Interval::new(at(4, 0), at(4, 4)).unwrap(), "only the hours the time off covers");
}

#[test]
fn a_shift_in_unavailable_hours_is_a_warning_and_one_outside_them_is_not() {
    let worker = EntityId::new();
    let (morning, evening) = (shift(at(2, 9), 4), shift(at(3, 18), 4));
    let cannot = [Interval::new(at(2, 8), at(2, 12)).unwrap()];
    let employed = always_employed();
    let facts = WorkerFacts { employments: &employed, unavailable: &cannot, ..Default::default() };
    let found = evaluate_worker(worker, &[morning.clone(), evening], facts, &Thresholds::default());
    assert_eq!(kinds(&found), vec![ConflictKind::Unavailable]);
    assert_eq!((found[0].severity, found[0].shifts.clone()), (Severity::Warning, vec![morning.id]));
}
