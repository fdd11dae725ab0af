use crate::fixture::{at, World};
use chrono::Duration;
use mosaic::kinds::EventStatus;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::store::DomainError;
use serde_json::Value;
use sqlx::PgPool;

async fn log_of(world: &World, shift: mosaic::ids::EventId) -> Vec<(i32, String, Value)> {
    sqlx::query_as("SELECT stream_version, kind, payload FROM changes WHERE stream_id = $1 ORDER BY stream_version")
        .bind(shift)
        .fetch_all(&world.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn undoing_a_move_puts_the_shift_and_its_break_back_with_a_new_change(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let bo = world.employed_worker("Bo").await;
    let shift = world.shift(ada, at(3, 7), 8).await;
    let moved = shifts::update(
        &pool,
        &world.caller,
        shift.id,
        ShiftPatch {
            expected_version: shift.version,
            start: Some(at(4, 9)),
            end: Some(at(4, 9) + Duration::hours(8)),
            worker_id: Some(bo),
            role: Some("closing".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((moved.worker_id, moved.breaks[0].during.start), (bo, at(4, 13)));

    let undone = shifts::undo(&pool, &world.caller, shift.id, moved.version).await.unwrap();
    assert_eq!((undone.worker_id, undone.during, undone.role.as_deref()), (ada, shift.during, Some("barista")));
    assert_eq!(undone.breaks[0].during, shift.breaks[0].during, "the break travels back with it");
    let log = log_of(&world, shift.id).await;
    assert_eq!(log.len(), 3, "the log only grows");
    assert_eq!(log[2].2["undoes"], moved.version);

    let stale = shifts::undo(&pool, &world.caller, shift.id, moved.version).await.unwrap_err();
    assert!(matches!(stale, DomainError::StaleVersion { .. }), "undoing twice needs the latest version: {stale:?}");
}

#[sqlx::test]
async fn undoing_a_new_draft_cancels_it_and_a_cancellation_is_final(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let shift = world.shift(ada, at(3, 7), 8).await;
    let undone = shifts::undo(&pool, &world.caller, shift.id, shift.version).await.unwrap();
    assert_eq!(undone.status, EventStatus::Cancelled);
    let refused = shifts::undo(&pool, &world.caller, shift.id, undone.version).await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "cannot_undo", .. }), "{refused:?}");
    let unknown = shifts::undo(&pool, &world.caller, shift.id, 99).await.unwrap_err();
    assert!(matches!(unknown, DomainError::NotFound { .. }), "{unknown:?}");
}

#[sqlx::test]
async fn an_undo_that_would_double_book_a_published_worker_is_refused(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let first = world.shift(ada, at(3, 7), 8).await;
    world.publish().await;
    let first = shifts::get(&pool, &world.caller, first.id).await.unwrap();
    let moved = shifts::update(
        &pool,
        &world.caller,
        first.id,
        ShiftPatch { expected_version: first.version, start: Some(at(4, 7)), end: Some(at(4, 15)), ..Default::default() },
    )
    .await
    .unwrap();
    // Meanwhile a second published shift takes the old slot.
    let second = world.shift(ada, at(3, 8), 4).await;
    world.publish().await;
    assert_eq!(shifts::get(&pool, &world.caller, second.id).await.unwrap().status, EventStatus::Active);
    let refused = shifts::undo(&pool, &world.caller, first.id, moved.version).await.unwrap_err();
    assert!(matches!(refused, DomainError::DoubleBooked { .. }), "{refused:?}");
    assert_eq!(shifts::get(&pool, &world.caller, first.id).await.unwrap().during.start, at(4, 7), "nothing half-done");
}

#[sqlx::test]
async fn breaks_are_set_as_a_whole_named_when_refused_and_undone_like_any_change(pool: PgPool) {
    use mosaic::services::shifts::NewBreak;
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let shift = world.shift(ada, at(3, 7), 8).await; // lunch 11:00–11:30 from the fixture
    let lunch = shift.breaks[0].during;

    // Moved lunch, plus a paid coffee break.
    let wanted = vec![
        NewBreak { start: at(3, 12), end: at(3, 12) + Duration::minutes(30), paid: false },
        NewBreak { start: at(3, 9), end: at(3, 9) + Duration::minutes(15), paid: true },
    ];
    let changed = shifts::set_breaks(&pool, &world.caller, shift.id, shift.version, wanted).await.unwrap();
    let spans: Vec<_> = changed.breaks.iter().map(|b| (b.during.start, b.paid)).collect();
    assert_eq!(spans, vec![(at(3, 9), true), (at(3, 12), false)]);
    assert_eq!(changed.hours.net, 7.5, "only the unpaid break comes off");
    assert_eq!(changed.work_periods.len(), 3, "work periods follow the breaks");

    // A break outside the shift is refused by its place in the list, and nothing changes.
    let outside = vec![
        NewBreak { start: at(3, 9), end: at(3, 10), paid: false },
        NewBreak { start: at(3, 16), end: at(3, 17), paid: false },
    ];
    let refused = shifts::set_breaks(&pool, &world.caller, shift.id, changed.version, outside).await.unwrap_err();
    assert!(matches!(&refused, DomainError::Invalid { field, .. } if field == "breaks[1].start"), "{refused:?}");
    assert_eq!(shifts::get(&pool, &world.caller, shift.id).await.unwrap(), changed);

    // Undo puts the lunch back where it was, with a new change.
    let undone = shifts::undo(&pool, &world.caller, shift.id, changed.version).await.unwrap();
    assert_eq!(undone.breaks.iter().map(|b| b.during).collect::<Vec<_>>(), vec![lunch]);
    assert_eq!(undone.version, changed.version + 1);
    let log = log_of(&world, shift.id).await;
    assert_eq!(log.last().unwrap().2["undoes"].as_i64(), Some(changed.version as i64));
}
