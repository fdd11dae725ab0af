use crate::fixture::{at, World};
use mosaic::kinds::{EventStatus, ScheduleStatus};
use mosaic::rules::ConflictKind;
use mosaic::services::{schedule_withdrawal, schedules, shifts};
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn publishing_is_refused_while_a_hard_conflict_remains_and_then_activates_every_draft(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let morning = w.shift(ann, at(3, 7), 8).await;
    let cover = w.shift(ann, at(3, 12), 4).await;

    let err = schedules::publish(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap_err();
    match err {
        DomainError::RuleViolation { conflicts, .. } => {
            assert_eq!(conflicts.len(), 1);
            assert_eq!(conflicts[0].kind, ConflictKind::Overlap);
        }
        other => panic!("expected the blocking conflicts, got {other:?}"),
    }
    assert_eq!(shifts::get(&w.pool, &w.caller, morning.id).await.unwrap().status, EventStatus::Draft, "nothing was activated");

    shifts::cancel(&w.pool, &w.caller, cover.id, 1).await.unwrap();
    let published = schedules::publish(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap();
    assert_eq!(published.status, ScheduleStatus::Published);
    let active = shifts::get(&w.pool, &w.caller, morning.id).await.unwrap();
    assert_eq!((active.status, active.version), (EventStatus::Active, 2));
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'shift.published'").await, 1);
}

#[sqlx::test]
async fn two_schedules_of_one_location_cannot_overlap(pool: PgPool) {
    let w = World::new(pool).await;
    let err = schedules::create(
        &w.pool,
        &w.caller,
        schedules::NewSchedule { location_id: w.location, start: at(9, 0), end: at(23, 0) },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "schedule_overlap", .. }), "{err:?}");
}

#[sqlx::test]
async fn an_archived_schedule_takes_no_new_shifts(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let err = schedules::archive(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "a draft cannot be archived: {err:?}");
    let published = w.publish().await;
    schedules::archive(&w.pool, &w.caller, w.schedule.id, published.version).await.unwrap();
    let err = shifts::create(&w.pool, &w.caller, w.new_shift(ann, at(3, 9), 8)).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref message, .. } if message.contains("archived")), "{err:?}");
}

#[sqlx::test]
async fn a_draft_moved_outside_the_employment_is_an_open_conflict_until_the_employment_is_extended(pool: PgPool) {
    use mosaic::services::employments;
    use mosaic::services::shifts::ShiftPatch;
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let employment = employments::list_for_worker(&w.pool, &w.caller, ann).await.unwrap().remove(0);
    let ended = employments::set_end(&w.pool, &w.caller, employment.id, Some(at(6, 0)), employment.version).await.unwrap();
    let shift = w.shift(ann, at(3, 9), 8).await;
    let moved = shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 1, start: Some(at(9, 9)), end: Some(at(9, 17)), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(moved.employment_id, None, "a draft may sit outside the employment");
    assert_eq!(w.open_items().await.iter().map(|i| i.kind).collect::<Vec<_>>(), vec![ConflictKind::OutsideEmployment]);
    assert!(matches!(schedules::publish(&w.pool, &w.caller, w.schedule.id, 1).await, Err(DomainError::RuleViolation { .. })));

    employments::set_end(&w.pool, &w.caller, employment.id, None, ended.version).await.unwrap();
    assert!(w.open_items().await.is_empty(), "extending the employment clears the conflict");
    w.publish().await;
    let active = shifts::get(&w.pool, &w.caller, shift.id).await.unwrap();
    assert_eq!((active.status, active.employment_id), (EventStatus::Active, Some(employment.id)));
}

/// A draft nobody will publish is withdrawn: it and its drafts are cancelled, its conflicts close, the
/// log keeps each step, and the week is free for a new draft. A published schedule is archived instead.
#[sqlx::test]
async fn an_abandoned_draft_is_withdrawn_with_its_shifts_and_their_conflicts(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let morning = w.shift(ann, at(3, 7), 8).await;
    w.shift(ann, at(3, 12), 4).await;
    assert!(!w.open_items().await.is_empty(), "the two drafts overlap");

    let withdrawn = schedule_withdrawal::withdraw(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap();
    assert_eq!(withdrawn.status, ScheduleStatus::Withdrawn);
    assert_eq!(shifts::get(&w.pool, &w.caller, morning.id).await.unwrap().status, EventStatus::Cancelled);
    assert!(w.open_items().await.is_empty(), "the conflicts between them closed");
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'shift.cancelled'").await, 2);
    assert_eq!(w.count("SELECT count(*) FROM changes WHERE kind = 'schedule.withdrawn'").await, 1);
    let again = schedule_withdrawal::withdraw(&w.pool, &w.caller, w.schedule.id, withdrawn.version).await;
    assert!(matches!(&again, Err(DomainError::Invalid { field, .. }) if field == "status"), "{again:?}");
    // The week is free again.
    schedules::create(&w.pool, &w.caller, schedules::NewSchedule { location_id: w.location, start: at(2, 0), end: at(9, 0) })
        .await
        .unwrap();
}

#[sqlx::test]
async fn a_draft_schedules_period_moves_unless_it_would_leave_a_draft_out(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let last_day = w.shift(ann, at(13, 9), 8).await;
    let refused = schedules::set_period(&w.pool, &w.caller, w.schedule.id, 1, at(2, 0), at(9, 0)).await;
    assert!(matches!(refused, Err(DomainError::Conflict { code: "shifts_outside_period", .. })), "{refused:?}");
    let wider = schedules::set_period(&w.pool, &w.caller, w.schedule.id, 1, at(1, 0), at(23, 0)).await.unwrap();
    assert_eq!((wider.period.start, wider.period.end, wider.version), (at(1, 0), Some(at(23, 0)), 2));
    shifts::cancel(&w.pool, &w.caller, last_day.id, last_day.version).await.unwrap();
    let shorter = schedules::set_period(&w.pool, &w.caller, w.schedule.id, 2, at(2, 0), at(9, 0)).await.unwrap();
    assert_eq!(shorter.period.end, Some(at(9, 0)));
    let backwards = schedules::set_period(&w.pool, &w.caller, w.schedule.id, 3, at(9, 0), at(2, 0)).await;
    assert!(matches!(&backwards, Err(DomainError::Invalid { field, .. }) if field == "end"), "{backwards:?}");
    w.publish().await;
    let published = schedules::set_period(&w.pool, &w.caller, w.schedule.id, 4, at(2, 0), at(16, 0)).await;
    assert!(matches!(&published, Err(DomainError::Invalid { field, .. }) if field == "status"), "{published:?}");
}
