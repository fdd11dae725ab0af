use crate::fixture::{at, World};
use mosaic::kinds::EventStatus;
use mosaic::services::locations::LocationPatch;
use mosaic::services::shifts::ShiftFilter;
use mosaic::services::workers::WorkerPatch;
use mosaic::services::{employments, leaving, locations, schedules, shifts, workers};
use mosaic::store::DomainError;
use sqlx::PgPool;

fn code(result: &Result<impl std::fmt::Debug, DomainError>) -> &'static str {
    match result {
        Err(DomainError::Conflict { code, .. }) => code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[sqlx::test]
async fn a_removed_worker_leaves_planning_and_stays_in_history_until_restored(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let worked = w.shift(ann, at(2, 9), 8).await;
    w.publish().await;
    let planned = w.shift(ann, at(4, 9), 8).await;

    let removed = leaving::remove_worker(&w.pool, &w.caller, ann, 1, at(3, 0)).await.unwrap();
    assert_eq!((removed.removed_from, removed.version), (Some(at(3, 0)), 2));
    assert!(workers::search(&w.pool, &w.caller, "ann", 10).await.unwrap().is_empty(), "gone from the pickers");
    assert_eq!(workers::search_with(&w.pool, &w.caller, "ann", 10, true).await.unwrap().len(), 1);
    assert_eq!(shifts::get(&w.pool, &w.caller, planned.id).await.unwrap().status, EventStatus::Cancelled);
    assert_eq!(shifts::get(&w.pool, &w.caller, worked.id).await.unwrap().status, EventStatus::Active, "the past stays");
    let employment = &employments::list_for_worker(&w.pool, &w.caller, ann).await.unwrap()[0];
    assert_eq!(employment.during.end, Some(at(3, 0)));
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM changes WHERE kind IN ('worker.removed', 'employment.ended', 'shift.cancelled') ORDER BY kind",
    )
    .fetch_all(&w.pool)
    .await
    .unwrap();
    assert_eq!(kinds, ["employment.ended", "shift.cancelled", "worker.removed"]);

    // Without an employment no shift is planned for them, and PostgreSQL refuses a new employment after
    // the instant, however it is asked.
    let refused = shifts::create(&w.pool, &w.caller, w.new_shift(ann, at(5, 9), 8)).await;
    assert!(matches!(refused, Err(DomainError::RuleViolation { .. })), "{refused:?}");
    let rehired = employments::NewEmployment {
        worker_id: ann,
        location_id: Some(w.location),
        start: at(5, 0),
        end: None,
        title: None,
        contract_hours: None,
    };
    let refused = employments::create(&w.pool, &w.caller, rehired.clone()).await;
    assert_eq!(code(&refused), "not_planned_any_more");
    let again = leaving::remove_worker(&w.pool, &w.caller, ann, 2, at(3, 0)).await;
    assert_eq!(code(&again), "already_removed");

    let restored = leaving::restore_worker(&w.pool, &w.caller, ann, 2).await.unwrap();
    assert_eq!((restored.removed_from, restored.version), (None, 3));
    employments::create(&w.pool, &w.caller, rehired).await.expect("employed again once restored");
    shifts::create(&w.pool, &w.caller, w.new_shift(ann, at(5, 9), 8)).await.expect("and planned");
    let all = shifts::list(&w.pool, &w.caller, &ShiftFilter { worker_id: Some(ann), ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 3);
}

#[sqlx::test]
async fn a_published_shift_still_to_come_keeps_its_worker_until_a_manager_moves_it(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    w.shift(ann, at(4, 9), 8).await;
    w.publish().await;
    let refused = leaving::remove_worker(&w.pool, &w.caller, ann, 1, at(3, 0)).await;
    assert_eq!(code(&refused), "has_published_shifts");
    let unchanged = workers::get(&w.pool, &w.caller, ann).await.unwrap();
    assert_eq!((unchanged.removed_from, unchanged.version), (None, 1));
    assert_eq!(employments::list_for_worker(&w.pool, &w.caller, ann).await.unwrap()[0].during.end, None);
    leaving::remove_worker(&w.pool, &w.caller, ann, 1, at(5, 0)).await.expect("after the shift, it may");
}

#[sqlx::test]
async fn a_location_closes_after_its_schedules_and_reopens(pool: PgPool) {
    let w = World::new(pool).await;
    let refused = leaving::close_location(&w.pool, &w.caller, w.location, 1, at(3, 0)).await;
    assert_eq!(code(&refused), "has_schedules");
    let closed = leaving::close_location(&w.pool, &w.caller, w.location, 1, at(16, 0)).await.unwrap();
    assert_eq!(closed.closed_from, Some(at(16, 0)));
    assert_eq!(locations::list(&w.pool, &w.caller).await.unwrap()[0].closed_from, Some(at(16, 0)), "still listed, marked");
    let next_week = schedules::NewSchedule { location_id: w.location, start: at(16, 0), end: at(23, 0) };
    let refused = schedules::create(&w.pool, &w.caller, next_week.clone()).await;
    assert_eq!(code(&refused), "not_planned_any_more");
    leaving::reopen_location(&w.pool, &w.caller, w.location, 2).await.unwrap();
    schedules::create(&w.pool, &w.caller, next_week).await.expect("planned again once reopened");
}

#[sqlx::test]
async fn workers_and_locations_are_edited_at_the_version_read_with_each_field_checked(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let patch = WorkerPatch {
        expected_version: 1,
        name: Some(" Ann Albers ".into()),
        email: Some("ANN@acme.test".into()),
        phone: Some("+49 30 1234-567".into()),
        external_id: None,
    };
    let edited = workers::update(&w.pool, &w.caller, ann, patch.clone()).await.unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.email.as_deref(), edited.phone.as_deref(), edited.version),
        ("Ann Albers", Some("ann@acme.test"), Some("+49 30 1234-567"), 2)
    );
    assert!(matches!(workers::update(&w.pool, &w.caller, ann, patch).await, Err(DomainError::StaleVersion { .. })));
    let cleared = workers::update(
        &w.pool,
        &w.caller,
        ann,
        WorkerPatch { expected_version: 2, phone: Some("".into()), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!((cleared.phone, cleared.email.as_deref()), (None, Some("ann@acme.test")));
    for (patch, field) in [
        (WorkerPatch { expected_version: 3, phone: Some("call me".into()), ..Default::default() }, "phone"),
        (WorkerPatch { expected_version: 3, email: Some("ann at acme".into()), ..Default::default() }, "email"),
        (WorkerPatch { expected_version: 3, name: Some("Ann\u{7}".into()), ..Default::default() }, "name"),
    ] {
        let refused = workers::update(&w.pool, &w.caller, ann, patch).await;
        assert!(matches!(&refused, Err(DomainError::Invalid { field: f, .. }) if f == field), "{refused:?}");
    }

    let moved = LocationPatch {
        expected_version: 1,
        time_zone: Some("Europe/Lisbon".into()),
        address: Some("Rua 1".into()),
        ..Default::default()
    };
    let edited = locations::update(&w.pool, &w.caller, w.location, moved).await.unwrap();
    assert_eq!((edited.time_zone.as_str(), edited.address.as_deref(), edited.version), ("Europe/Lisbon", Some("Rua 1"), 2));
    let refused = locations::update(
        &w.pool,
        &w.caller,
        w.location,
        LocationPatch { expected_version: 2, time_zone: Some("Mars/Base".into()), ..Default::default() },
    )
    .await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "time_zone"), "{refused:?}");
    let log: i64 = sqlx::query_scalar("SELECT count(*) FROM changes WHERE kind IN ('worker.updated', 'location.updated')")
        .fetch_one(&w.pool)
        .await
        .unwrap();
    assert_eq!(log, 3);
}
