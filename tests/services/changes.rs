use crate::fixture::{at, World};
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::store::changes::{read_after, Cursor};
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn every_command_appends_one_change_per_aggregate_and_readers_continue_from_a_cursor(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let shift = w.shift(ann, at(2, 9), 8).await;
    shifts::update(
        &w.pool,
        &w.caller,
        shift.id,
        ShiftPatch { expected_version: 1, start: Some(at(2, 10)), end: Some(at(2, 18)), ..Default::default() },
    )
    .await
    .unwrap();

    let all = read_after(&w.pool, w.caller.org, Cursor::default(), 100).await.unwrap();
    let kinds: Vec<&str> = all.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["location.created", "schedule.created", "worker.created", "employment.started", "shift.created", "shift.moved"]
    );
    let moved = all.last().unwrap();
    assert_eq!((moved.stream_id, moved.stream_version, moved.actor.as_str()), (shift.id.0, 2, "test"));
    assert_eq!(moved.payload["before"]["during"]["start"], serde_json::json!(at(2, 9)));

    let cursor = Cursor::parse(&all[3].cursor).unwrap();
    let rest = read_after(&w.pool, w.caller.org, cursor, 100).await.unwrap();
    assert_eq!(rest.len(), 2);
    assert!(matches!(Cursor::parse("nonsense"), Err(DomainError::Invalid { .. })));
}

#[sqlx::test]
async fn another_organisations_changes_are_not_read(pool: PgPool) {
    let acme = World::new(pool.clone()).await;
    let other = World::named(pool, "other").await;
    acme.employed_worker("Ann").await;
    let theirs = read_after(&other.pool, other.caller.org, Cursor::default(), 100).await.unwrap();
    assert_eq!(theirs.len(), 2, "only the other organisation's location and schedule");
}
