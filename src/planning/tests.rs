use super::axis::snap;
use super::*;
use crate::hours::BreakSpan;
use crate::ids::{EntityId, EventId};
use crate::interval::Interval;
use crate::kinds::EventStatus;
use crate::rules::{ConflictKind, RuleShift, Severity, Thresholds};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn berlin(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Berlin.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap().with_timezone(&Utc)
}

/// The week of the spring change in Berlin: Sunday 29 March 2026 has no 02:00–03:00.
fn spring_week() -> Axis {
    Axis::new(day(23), 7, Berlin)
}

fn span(start: DateTime<Utc>, end: DateTime<Utc>) -> Interval {
    Interval::new(start, end).unwrap()
}

fn shift(during: Interval, status: EventStatus) -> RuleShift {
    RuleShift { id: EventId::new(), during, status, breaks: vec![], position: None }
}

#[test]
fn seven_in_the_morning_is_at_the_same_place_in_every_day_column_across_the_spring_change() {
    let axis = spring_week();
    assert_eq!(axis.minute_of(berlin(23, 7, 0)), 7 * 60);
    assert_eq!(axis.minute_of(berlin(29, 7, 0)), 6 * 24 * 60 + 7 * 60);
    assert_eq!(axis.instant_at(6 * 24 * 60 + 7 * 60), berlin(29, 7, 0));
    assert_eq!(axis.day_at(6 * 24 * 60 + 7 * 60), day(29));
}

#[test]
fn the_skipped_spring_hour_lands_where_the_clocks_jumped() {
    let axis = spring_week();
    let half_past_two = 6 * 24 * 60 + 2 * 60 + 30;
    assert_eq!(axis.instant_at(half_past_two), berlin(29, 3, 30));
}

#[test]
fn snapping_rounds_to_the_nearest_step_either_side_of_zero() {
    assert_eq!(snap(7, 15), 0);
    assert_eq!(snap(8, 15), 15);
    assert_eq!(snap(-8, 15), -15);
    assert_eq!(snap(-7, 15), 0);
    assert_eq!(snap(61, 0), 61, "a step below a minute counts as one");
}

#[test]
fn a_move_keeps_the_real_length_and_puts_the_start_on_the_grid() {
    let axis = Axis::new(day(2), 7, Berlin);
    let during = span(berlin(2, 7, 10), berlin(2, 15, 10));
    let a_day_and_a_bit_later = moved(&axis, during, 24 * 60 + 52, 15);
    assert_eq!(a_day_and_a_bit_later, span(berlin(3, 8, 0), berlin(3, 16, 0)));
    assert_eq!(moved(&axis, during, 0, 15), during, "a click moves nothing");
}

#[test]
fn a_night_shift_moved_over_the_spring_change_keeps_its_eight_hours() {
    let axis = spring_week();
    let during = span(berlin(28, 22, 0), berlin(29, 7, 0)); // 8 real hours: the night loses one
    let next_night = moved(&axis, during, 24 * 60, 15);
    assert_eq!(next_night.start, berlin(29, 22, 0));
    assert_eq!(next_night.duration(), Some(Duration::hours(8)));
}

#[test]
fn stretching_keeps_at_least_one_step_and_at_most_a_day() {
    let axis = Axis::new(day(2), 7, Berlin);
    let during = span(berlin(2, 9, 0), berlin(2, 17, 0));
    assert_eq!(resized_end(&axis, during, 44, 15), span(berlin(2, 9, 0), berlin(2, 17, 45)));
    assert_eq!(resized_end(&axis, during, -10 * 60, 15), span(berlin(2, 9, 0), berlin(2, 9, 15)));
    assert_eq!(resized_end(&axis, during, 30 * 60, 15), span(berlin(2, 9, 0), berlin(3, 9, 0)));
    assert_eq!(resized_start(&axis, during, -90, 15), span(berlin(2, 7, 30), berlin(2, 17, 0)));
    assert_eq!(resized_start(&axis, during, 9 * 60, 30), span(berlin(2, 16, 30), berlin(2, 17, 0)));
}

#[test]
fn drawing_works_in_either_direction_and_is_never_empty() {
    let axis = Axis::new(day(2), 7, Berlin);
    assert_eq!(drawn(&axis, 9 * 60 + 3, 17 * 60 - 4, 15), span(berlin(2, 9, 0), berlin(2, 17, 0)));
    assert_eq!(drawn(&axis, 17 * 60, 9 * 60, 15), span(berlin(2, 9, 0), berlin(2, 17, 0)));
    assert_eq!(drawn(&axis, 9 * 60, 9 * 60, 15), span(berlin(2, 9, 0), berlin(2, 9, 15)));
}

fn week() -> Interval {
    span(berlin(2, 0, 0), berlin(9, 0, 0))
}

fn employed() -> Vec<Interval> {
    vec![Interval::open_ended(berlin(1, 0, 0), None).unwrap()]
}

#[test]
fn dragging_onto_another_shift_of_the_worker_previews_a_hard_overlap() {
    let early = shift(span(berlin(3, 7, 0), berlin(3, 11, 0)), EventStatus::Draft);
    let row = RowRules {
        worker: EntityId::new(),
        shifts: vec![early.clone()],
        employments: employed(),
        positions: vec![],
        ..Default::default()
    };
    let dragged = shift(span(berlin(3, 9, 0), berlin(3, 12, 0)), EventStatus::Draft);
    let seen = preview(&row, &dragged, None, &week(), &Thresholds::default());
    assert_eq!(seen.worst(), Some(Severity::Hard));
    assert_eq!(seen.conflicts[0].kind, ConflictKind::Overlap);
    assert_eq!(seen.refused, None, "a draft may be dropped onto a conflict");
    assert_eq!(seen.week_hours, 7.0);
}

#[test]
fn a_published_shift_dropped_into_a_hard_conflict_is_refused_before_the_drop() {
    let row = RowRules {
        worker: EntityId::new(),
        shifts: vec![],
        employments: vec![span(berlin(1, 0, 0), berlin(4, 0, 0))],
        positions: vec![],
        ..Default::default()
    };
    let dragged = shift(span(berlin(5, 9, 0), berlin(5, 12, 0)), EventStatus::Active);
    let seen = preview(&row, &dragged, None, &week(), &Thresholds::default());
    assert_eq!(seen.conflicts[0].kind, ConflictKind::OutsideEmployment);
    assert!(seen.refused.as_deref().unwrap_or_default().contains("employ"), "{:?}", seen.refused);
}

#[test]
fn a_shift_moved_within_its_row_does_not_clash_with_where_it_was() {
    let original = shift(span(berlin(3, 9, 0), berlin(3, 17, 0)), EventStatus::Draft);
    let row = RowRules {
        worker: EntityId::new(),
        shifts: vec![original.clone()],
        employments: employed(),
        positions: vec![],
        ..Default::default()
    };
    let mut later = original.clone();
    later.during = later.during.shifted(Duration::hours(1));
    later.breaks = vec![BreakSpan { during: span(berlin(3, 13, 0), berlin(3, 13, 30)), paid: false }];
    let seen = preview(&row, &later, Some(original.id), &week(), &Thresholds::default());
    assert!(seen.conflicts.is_empty(), "{:?}", seen.conflicts);
    assert_eq!(seen.week_hours, 7.5);
    assert_eq!(week_hours(&row, &week(), Some(original.id)), 0.0, "the row it leaves loses its hours");
}

#[test]
fn warnings_come_after_hard_conflicts_and_name_the_rule() {
    let night = shift(span(berlin(3, 14, 0), berlin(3, 22, 0)), EventStatus::Draft);
    let row = RowRules {
        worker: EntityId::new(),
        shifts: vec![night],
        employments: employed(),
        positions: vec![],
        ..Default::default()
    };
    let early = shift(span(berlin(4, 5, 0), berlin(4, 12, 0)), EventStatus::Draft);
    let seen = preview(&row, &early, None, &week(), &Thresholds::default());
    let kinds: Vec<ConflictKind> = seen.conflicts.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, vec![ConflictKind::ShortRest, ConflictKind::MissingBreak]);
    assert!(seen.conflicts.iter().all(|c| c.severity == Severity::Warning));
}

// --- Taking in changes from the log -------------------------------------------------------------------

fn here() -> EntityId {
    EntityId(uuid::Uuid::from_u128(100))
}

fn row_of(worker: u128) -> crate::views::WeekRow {
    crate::views::WeekRow {
        worker: crate::views::WorkerView {
            id: EntityId(uuid::Uuid::from_u128(worker)),
            name: format!("W{worker}"),
            email: None,
            phone: None,
            removed_from: None,
            version: 1,
        },
        shifts: vec![],
        elsewhere: vec![],
        employments: employed(),
        positions: vec![],
        contract_hours: None,
        time_off: vec![],
        availability: Default::default(),
    }
}

fn version_of_shift(
    worker: u128,
    location: EntityId,
    during: Interval,
    status: EventStatus,
    version: i32,
) -> crate::views::ShiftView {
    crate::views::ShiftView {
        id: EventId(uuid::Uuid::from_u128(7)),
        worker_id: EntityId(uuid::Uuid::from_u128(worker)),
        worker_name: format!("W{worker}"),
        location_id: location,
        employment_id: None,
        during,
        status,
        role: None,
        position: None,
        notes: None,
        version,
        breaks: vec![],
        work_periods: vec![],
        hours: crate::hours::ShiftHours { worked: 8.0, breaks: 0.0, net: 8.0 },
    }
}

/// Takes a version in as the calendar does: skipped unless newer than what the week holds, then handed
/// to every row it concerns.
fn take_in_everywhere(rows: &mut [crate::views::WeekRow], shift: &crate::views::ShiftView, frame: &WeekFrame) -> bool {
    let held = rows.iter().filter_map(|r| r.version_of(shift.id)).max();
    if held.is_some_and(|v| v >= shift.version) {
        return false;
    }
    for row in rows.iter_mut().filter(|r| r.concerns(shift)) {
        row.take_in(shift, frame);
    }
    true
}

#[test]
fn a_shift_is_drawn_here_counted_elsewhere_or_left_out() {
    let frame = WeekFrame { location: here(), week: week() };
    let there = EntityId(uuid::Uuid::from_u128(200));
    let monday = span(berlin(2, 9, 0), berlin(2, 17, 0));
    let sunday_before = span(berlin(1, 9, 0), berlin(1, 17, 0));
    let fortnight_later = span(berlin(16, 9, 0), berlin(16, 17, 0));
    let place = |location, during, status| frame.place(&version_of_shift(1, location, during, status, 1));
    assert_eq!(place(here(), monday, EventStatus::Draft), Placement::Shown);
    assert_eq!(place(there, monday, EventStatus::Active), Placement::Elsewhere, "another location counts for the rules");
    assert_eq!(place(here(), sunday_before, EventStatus::Active), Placement::Elsewhere, "the day before counts for rest");
    assert_eq!(place(here(), fortnight_later, EventStatus::Active), Placement::Outside);
    assert_eq!(place(here(), monday, EventStatus::Cancelled), Placement::Outside);
}

#[test]
fn a_reassigned_shift_leaves_one_row_for_the_other_and_an_old_version_changes_nothing() {
    let frame = WeekFrame { location: here(), week: week() };
    let mut rows = vec![row_of(1), row_of(2)];
    let monday = span(berlin(2, 9, 0), berlin(2, 17, 0));
    assert!(take_in_everywhere(&mut rows, &version_of_shift(1, here(), monday, EventStatus::Draft, 1), &frame));
    assert!(take_in_everywhere(&mut rows, &version_of_shift(2, here(), monday, EventStatus::Draft, 2), &frame));
    assert!((rows[0].shifts.is_empty(), rows[1].shifts.len()) == (true, 1), "moved to the second worker");
    assert!(
        !take_in_everywhere(&mut rows, &version_of_shift(1, here(), monday, EventStatus::Draft, 1), &frame),
        "a replay of v1"
    );
    assert!(!take_in_everywhere(&mut rows, &version_of_shift(1, here(), monday, EventStatus::Draft, 2), &frame), "its own echo");
    assert_eq!(rows[1].version_of(EventId(uuid::Uuid::from_u128(7))), Some(2));
    assert!(take_in_everywhere(&mut rows, &version_of_shift(2, here(), monday, EventStatus::Cancelled, 3), &frame));
    assert!(rows.iter().all(|r| r.shifts.is_empty() && r.elsewhere.is_empty()), "cancelled: gone");
}

#[test]
fn business_hours_run_from_an_hour_before_the_first_shift_to_an_hour_after_the_last() {
    let day = 2 * 24 * 60;
    assert_eq!(business_hours(2, [(day + 7 * 60, day + 15 * 60), (day + 14 * 60, day + 22 * 60 + 30)]), (6 * 60, 24 * 60));
    assert_eq!(business_hours(2, [(day + 9 * 60 + 30, day + 13 * 60)]), (8 * 60, 14 * 60));
    // A night shift from the day before reaches into this one from midnight.
    assert_eq!(business_hours(2, [(day - 2 * 60, day + 6 * 60)]), (0, 7 * 60));
    // Other days' shifts do not count, and an empty day shows the usual hours.
    assert_eq!(business_hours(2, [(0, 8 * 60)]), (6 * 60, 22 * 60));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn zones() -> impl Strategy<Value = chrono_tz::Tz> {
        prop::sample::select(vec![chrono_tz::UTC, Berlin, chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe])
    }

    proptest! {
        /// Reading a position back gives the same position, in every zone, on DST days too.
        #[test]
        fn a_position_read_back_is_the_same_position(tz in zones(), minutes in -20_000i64..400_000) {
            let axis = Axis::new(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), 7, tz);
            let t = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + Duration::minutes(minutes);
            let m = axis.minute_of(t);
            prop_assert_eq!(axis.minute_of(axis.instant_at(m)), m);
        }

        /// Whatever the drag, a moved shift starts on the grid and keeps its length.
        #[test]
        fn a_move_lands_on_the_grid_with_the_same_length(
            tz in zones(), start in 0i64..200_000, length in 15i64..1440, delta in -5000i64..5000, step in prop::sample::select(vec![5i64, 15, 30, 60]),
        ) {
            let axis = Axis::new(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), 7, tz);
            let from = axis.instant_at(axis.minute_of(Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + Duration::minutes(start)));
            let during = span(from, from + Duration::minutes(length));
            let after = moved(&axis, during, delta, step);
            prop_assert_eq!(after.duration(), during.duration());
            if delta != 0 {
                let local = after.start.with_timezone(&tz).naive_local();
                // A start in a skipped hour moves forward by whole hours, so it stays on the grid.
                prop_assert!(chrono::Timelike::minute(&local) as i64 % step == 0, "{} not on a {step}-minute grid", local);
            }
        }

        /// Stretching never makes a shift shorter than a step or longer than a day, from either edge.
        #[test]
        fn stretching_stays_within_a_step_and_a_day(
            start in 0i64..10_000, length in 15i64..1440, delta in -3000i64..3000, from_start in any::<bool>(), step in prop::sample::select(vec![15i64, 30, 60]),
        ) {
            let axis = Axis::new(NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), 7, Berlin);
            let from = axis.instant_at(start);
            let during = span(from, from + Duration::minutes(length));
            let after = if from_start { resized_start(&axis, during, delta, step) } else { resized_end(&axis, during, delta, step) };
            let minutes = after.duration().unwrap().num_minutes();
            prop_assert!(minutes >= step.max(MIN_SHIFT_MINUTES).min(length) && minutes <= 24 * 60, "{minutes} minutes");
            if from_start { prop_assert_eq!(after.end, during.end) } else { prop_assert_eq!(after.start, during.start) }
        }

        /// The preview reports a hard overlap exactly when the proposed shift shares time with another.
        #[test]
        fn the_preview_sees_an_overlap_exactly_when_times_are_shared(a in 0i64..2000, b in 0i64..2000, la in 15i64..600, lb in 15i64..600) {
            let base = berlin(2, 0, 0);
            let other = shift(span(base + Duration::minutes(a), base + Duration::minutes(a + la)), EventStatus::Draft);
            let proposed = shift(span(base + Duration::minutes(b), base + Duration::minutes(b + lb)), EventStatus::Draft);
            let row = RowRules { worker: EntityId::new(), shifts: vec![other.clone()], employments: employed(), positions: vec![], ..Default::default() };
            let seen = preview(&row, &proposed, None, &week(), &Thresholds::default());
            let overlap = seen.conflicts.iter().any(|c| c.kind == ConflictKind::Overlap);
            prop_assert_eq!(overlap, other.during.overlaps(&proposed.during));
        }
    }

    proptest! {
        /// Whatever versions of a shift arrive, in log order and replayed, the week ends up exactly as
        /// a fresh read of the last version would show it: in one place, or none.
        #[test]
        fn taking_in_versions_in_order_ends_where_a_fresh_read_puts_the_last(
            steps in prop::collection::vec((1u128..=3, any::<bool>(), -3i64..10, any::<bool>(), any::<bool>()), 1..12),
        ) {
            let frame = WeekFrame { location: here(), week: week() };
            let there = EntityId(uuid::Uuid::from_u128(200));
            let mut rows = vec![row_of(1), row_of(2), row_of(3)];
            let mut last = None;
            for (version, (worker, at_here, day, cancelled, replay)) in steps.into_iter().enumerate() {
                let start = berlin(2, 9, 0) + Duration::days(day);
                let status = if cancelled { EventStatus::Cancelled } else { EventStatus::Draft };
                let shift = version_of_shift(worker, if at_here { here() } else { there }, span(start, start + Duration::hours(8)), status, version as i32 + 1);
                take_in_everywhere(&mut rows, &shift, &frame);
                if replay {
                    let before = rows.clone();
                    take_in_everywhere(&mut rows, &shift, &frame);
                    prop_assert_eq!(&rows, &before, "a replay changes nothing");
                }
                last = Some(shift);
            }
            let last = last.unwrap();
            let id = last.id;
            for row in &rows {
                let drawn = row.shifts.iter().filter(|s| s.id == id).count();
                let counted = row.elsewhere.iter().filter(|s| s.id == id).count();
                let expected = match (row.worker.id == last.worker_id, frame.place(&last)) {
                    (true, Placement::Shown) => (1, 0),
                    (true, Placement::Elsewhere) => (0, 1),
                    _ => (0, 0),
                };
                prop_assert_eq!((drawn, counted), expected, "row {}", row.worker.name);
            }
        }
    }
}

#[test]
fn a_shift_is_labelled_by_its_position_and_a_role_that_says_more() {
    let mut shift = version_of_shift(1, here(), span(berlin(2, 9, 0), berlin(2, 17, 0)), EventStatus::Draft, 1);
    assert_eq!(shift.label(), None);
    shift.role = Some("closing".into());
    assert_eq!(shift.label().as_deref(), Some("closing"));
    shift.position = Some(crate::views::positions::PositionTag { id: here(), name: "Barista".into(), colour: "#1d4ed8".into() });
    assert_eq!(shift.label().as_deref(), Some("Barista · closing"));
    shift.role = Some("barista".into());
    assert_eq!(shift.label().as_deref(), Some("Barista"));
}

#[test]
fn a_shift_dragged_onto_approved_time_off_is_a_hard_conflict_in_the_preview() {
    let away = span(berlin(5, 0, 0), berlin(6, 0, 0));
    let row = RowRules {
        worker: EntityId::new(),
        shifts: vec![],
        employments: employed(),
        positions: vec![],
        time_off: vec![away],
        unavailable: vec![],
    };
    let dragged = shift(span(berlin(5, 9, 0), berlin(5, 12, 0)), EventStatus::Draft);
    let seen = preview(&row, &dragged, None, &week(), &Thresholds::default());
    assert_eq!(seen.worst(), Some(Severity::Hard));
    assert_eq!(seen.conflicts[0].kind, crate::rules::ConflictKind::OnTimeOff);
    let elsewhere = shift(span(berlin(6, 9, 0), berlin(6, 12, 0)), EventStatus::Draft);
    assert!(preview(&row, &elsewhere, None, &week(), &Thresholds::default()).conflicts.is_empty());
}
