use crate::fixture::{at, ids, World};
use chrono::Duration;
use mosaic::kinds::EventStatus;
use mosaic::rules::{ConflictKind, Severity};
use mosaic::services::shifts::{self, NewBreak, ShiftFilter, ShiftPatch};
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn a_new_shift_is_a_draft_with_its_break_work_periods_and_hours(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    assert_eq!(shift.status, EventStatus::Draft);
    assert_eq!(shift.version, 1);
    assert_eq!(shift.breaks.len(), 1);
    assert_eq!(shift.work_periods.len(), 2, "work periods are generated around the break");
    assert_eq!((shift.hours.worked, shift.hours.breaks, shift.hours.net), (8.0, 0.5, 7.5));
    assert!(shift.employment_id.is_some());
    assert_eq!(shifts::get(&w.pool, &w.caller, shift.id).await.unwrap(), shift);
}

#[sqlx::test]
async fn a_shift_outside_the_employment_or_the_schedule_is_refused(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let unemployed = mosaic::services::workers::create(
        &w.pool,
        &w.caller,
        mosaic::services::workers::NewWorker { name: "Bo".into(), email: None, phone: None, external_id: None },
    )
    .await
    .unwrap();
    let err = shifts::create(&w.pool, &w.caller, w.new_shift(unemployed.id, at(2, 9), 8)).await.unwrap_err();
    match err {
        DomainError::RuleViolation { conflicts, .. } => assert_eq!(conflicts[0].kind, ConflictKind::OutsideEmployment),
        other => panic!("expected a rule violation, got {other:?}"),
    }
    let err = shifts::create(&w.pool, &w.caller, w.new_shift(ann, at(20, 9), 8)).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "start"), "{err:?}");
    let err = shifts::create(&w.pool, &w.caller, w.new_shift(ann, at(2, 9), 25)).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "end"), "{err:?}");
}

#[sqlx::test]
async fn a_draft_overlap_becomes_an_attention_item_and_clears_when_one_shift_moves(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let morning = w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;
    let items = w.open_items().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].kind, ConflictKind::Overlap);
    assert_eq!(items[0].severity, Severity::Hard);
    let mut involved = items[0].shift_ids.clone();
    involved.sort();
    assert_eq!(involved, ids(&[&morning, &cover]));

    let moved = shifts::update(
        &w.pool,
        &w.caller,
        cover.id,
        ShiftPatch { expected_version: cover.version, start: Some(at(4, 7)), end: Some(at(4, 11)), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(moved.version, 2);
    assert!(w.open_items().await.is_empty(), "the overlap is resolved once the cover shift moves to another day");
    assert_eq!(w.count("SELECT count(*) FROM attention_items WHERE status = 'resolved'").await, 1);
}

#[sqlx::test]
async fn short_rest_long_weeks_and_missing_breaks_are_warnings(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    w.shift(ann, at(2, 15), 8).await; // closes at 23:00
    w.shift(ann, at(3, 6), 8).await; // opens at 06:00: seven hours of rest
    let mut long_day = w.new_shift(ann, at(5, 8), 7);
    long_day.breaks.clear();
    shifts::create(&w.pool, &w.caller, long_day).await.unwrap();
    for day in 6..=8 {
        w.shift(ann, at(day, 6), 12).await;
    }
    let mut kinds: Vec<ConflictKind> = w.open_items().await.iter().map(|i| i.kind).collect();
    kinds.sort_by_key(|k| k.as_str());
    assert_eq!(kinds, vec![ConflictKind::MissingBreak, ConflictKind::ShortRest, ConflictKind::WeeklyHours]);
    assert!(w.open_items().await.iter().all(|i| i.severity == Severity::Warning));
}

#[sqlx::test]
async fn moving_a_shift_takes_its_breaks_along_and_resizing_keeps_them(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    let moved = shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 1, start: Some(at(3, 10)), end: Some(at(3, 18)), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(moved.breaks[0].during.start, shift.breaks[0].during.start + Duration::hours(25));
    let resized = shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 2, end: Some(at(3, 20)), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(resized.breaks, moved.breaks);
    assert_eq!(resized.hours.worked, 10.0);
    assert_eq!(resized.work_periods.last().unwrap().end, Some(at(3, 20)), "generated work periods follow the new end");

    let err = shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 3, end: Some(at(3, 12)), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, DomainError::Invalid { ref field, .. } if field == "end"),
        "a resize that strands the break is refused: {err:?}"
    );
}

#[sqlx::test]
async fn a_stale_version_is_refused_and_nothing_is_written(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 1, role: Some("cashier".into()), ..Default::default() },
    )
    .await
    .unwrap();
    let err = shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 1, start: Some(at(2, 10)), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::StaleVersion { expected: 1, actual: 2 }), "{err:?}");
    let current = shifts::get(&w.pool, &w.caller, shift.id).await.unwrap();
    assert_eq!((current.during.start, current.role.as_deref()), (at(2, 9), Some("cashier")));
}

#[sqlx::test]
async fn reassigning_a_shift_moves_its_conflicts_to_the_new_worker(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, bo) = (w.employed_worker("Ann").await, w.employed_worker("Bo").await);
    w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;
    w.shift(bo, at(3, 14), 8).await;
    assert_eq!(w.open_items().await[0].worker_id, ann);
    shifts::update(&w.pool, &w.caller, cover.id, ShiftPatch { expected_version: 1, worker_id: Some(bo), ..Default::default() })
        .await
        .unwrap();
    let items = w.open_items().await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].worker_id, bo, "the overlap now is Bo's");
}

#[sqlx::test]
async fn an_active_shift_cannot_be_moved_onto_another_active_shift(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let first = w.shift(ann, at(3, 7), 8).await;
    let second = w.shift(ann, at(4, 7), 8).await;
    w.publish().await;
    let err = shifts::update(
        &w.pool,
        &w.caller,
        second.id,
        ShiftPatch { expected_version: 2, start: Some(at(3, 10)), end: Some(at(3, 18)), ..Default::default() },
    )
    .await
    .unwrap_err();
    match err {
        DomainError::DoubleBooked { clashing_shifts, .. } => assert_eq!(clashing_shifts, vec![first.id]),
        other => panic!("expected a double booking, got {other:?}"),
    }
    assert_eq!(shifts::get(&w.pool, &w.caller, second.id).await.unwrap().during.start, at(4, 7));
}

#[sqlx::test]
async fn a_cancelled_shift_frees_the_worker_and_clears_its_conflicts(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;
    let cancelled = shifts::cancel(&w.pool, &w.caller, cover.id, 1).await.unwrap();
    assert_eq!(cancelled.status, EventStatus::Cancelled);
    assert!(w.open_items().await.is_empty());
    let err = shifts::cancel(&w.pool, &w.caller, cover.id, 2).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
}

#[sqlx::test]
async fn breaks_must_fit_the_shift_and_each_other(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    let with_coffee = shifts::add_break(
        &w.pool,
        &w.caller,
        shift.id,
        1,
        NewBreak { start: at(2, 10), end: at(2, 10) + Duration::minutes(15), paid: true },
    )
    .await
    .unwrap();
    assert_eq!((with_coffee.hours.breaks, with_coffee.hours.net), (0.75, 7.5));
    assert_eq!(with_coffee.work_periods.len(), 3);
    let outside = shifts::add_break(&w.pool, &w.caller, shift.id, 2, NewBreak { start: at(2, 18), end: at(2, 19), paid: false })
        .await
        .unwrap_err();
    assert!(matches!(outside, DomainError::Invalid { ref field, .. } if field == "breaks.start"));
    let clash = shifts::add_break(&w.pool, &w.caller, shift.id, 2, NewBreak { start: at(2, 13), end: at(2, 14), paid: false })
        .await
        .unwrap_err();
    assert!(matches!(clash, DomainError::Invalid { .. }));
}

#[sqlx::test]
async fn work_periods_entered_by_hand_replace_the_generated_ones(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    let manual = shifts::add_work_period(&w.pool, &w.caller, shift.id, 1, at(2, 9), at(2, 12)).await.unwrap();
    assert_eq!(manual.work_periods.len(), 1);
    let err = shifts::add_work_period(&w.pool, &w.caller, shift.id, 2, at(2, 11), at(2, 13)).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }));
}

#[sqlx::test]
async fn shifts_are_listed_by_worker_status_and_time(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, bo) = (w.employed_worker("Ann").await, w.employed_worker("Bo").await);
    let a1 = w.shift(ann, at(2, 9), 8).await;
    w.shift(ann, at(9, 9), 8).await;
    w.shift(bo, at(2, 9), 8).await;
    let filter = ShiftFilter { worker_id: Some(ann), from: Some(at(2, 0)), to: Some(at(9, 0)), ..Default::default() };
    let found = shifts::list(&w.pool, &w.caller, &filter).await.unwrap();
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a1.id]);
    let drafts = ShiftFilter { status: Some(EventStatus::Draft), schedule_id: Some(w.schedule.id), ..Default::default() };
    assert_eq!(shifts::list(&w.pool, &w.caller, &drafts).await.unwrap().len(), 3);
    let active = ShiftFilter { status: Some(EventStatus::Active), ..Default::default() };
    assert!(shifts::list(&w.pool, &w.caller, &active).await.unwrap().is_empty());
}

#[sqlx::test]
async fn the_organisation_week_holds_every_live_shift_touching_it_with_its_breaks(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, bo) = (w.employed_worker("Ann").await, w.employed_worker("Bo").await);
    let night = w.shift(ann, at(8, 20), 8).await; // Sunday night into Monday 9 March
    let monday = w.shift(bo, at(9, 9), 8).await;
    let cancelled = w.shift(bo, at(10, 9), 8).await;
    shifts::cancel(&w.pool, &w.caller, cancelled.id, 1).await.unwrap();
    w.shift(bo, at(7, 9), 8).await; // the Saturday before

    let week = mosaic::services::calendar::organisation_week(&w.pool, &w.caller, at(9, 0)).await.unwrap();
    assert_eq!(week.iter().map(|s| s.id).collect::<Vec<_>>(), vec![night.id, monday.id]);
    assert_eq!(week[0], night, "the same view as a single read, breaks and work periods included");
    assert_eq!(week[1].breaks.len(), 1);
}
