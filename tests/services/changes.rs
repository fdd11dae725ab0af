use crate::fixture::{at, World};
use mosaic::ids::OrgId;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::store::changes::{read_after, Cursor};
use mosaic::store::DomainError;
use mosaic::views::ChangeView;
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// Reads until `expected` changes are there. The reader only reads below the oldest transaction running
/// anywhere in the cluster (other tests' included), so a change can take a moment to become readable —
/// that is the price of never skipping one.
async fn read_settled(pool: &PgPool, org: OrgId, after: Cursor, expected: usize) -> Vec<ChangeView> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let read = read_after(pool, org, after, 100).await.unwrap();
        if read.len() >= expected || Instant::now() > deadline {
            return read;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

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

    let all = read_settled(&w.pool, w.caller.org, Cursor::default(), 6).await;
    let kinds: Vec<&str> = all.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["location.created", "schedule.created", "worker.created", "employment.started", "shift.created", "shift.moved"]
    );
    let moved = all.last().unwrap();
    assert_eq!((moved.stream_id, moved.stream_version, moved.actor.as_str()), (shift.id.0, 2, "test"));
    assert_eq!(moved.payload["before"]["during"]["start"], serde_json::json!(at(2, 9)));

    let cursor = Cursor::parse(&all[3].cursor).unwrap();
    let rest = read_settled(&w.pool, w.caller.org, cursor, 2).await;
    assert_eq!(rest.len(), 2);
    assert!(matches!(Cursor::parse("nonsense"), Err(DomainError::Invalid { .. })));
}

#[sqlx::test]
async fn another_organisations_changes_are_not_read(pool: PgPool) {
    let acme = World::new(pool.clone()).await;
    let other = World::named(pool, "other").await;
    acme.employed_worker("Ann").await;
    let ours = read_settled(&acme.pool, acme.caller.org, Cursor::default(), 4).await;
    assert_eq!(ours.len(), 4);
    // Everything committed before acme's last change is readable now, the other organisation's included.
    let theirs = read_settled(&other.pool, other.caller.org, Cursor::default(), 2).await;
    assert_eq!(theirs.len(), 2, "only the other organisation's location and schedule");
}
