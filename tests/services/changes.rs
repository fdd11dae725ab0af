use crate::fixture::{at, World};
use mosaic::ids::OrgId;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::store::changes::{read_after, Cursor};
use mosaic::store::DomainError;
use mosaic::views::ChangeView;
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// Reads until `expected` changes are there. The reader reads only below the oldest transaction of this
/// database that may still append to the log, so a change can take a moment to become readable — that is
/// the price of never skipping one.
async fn read_settled(pool: &PgPool, org: OrgId, after: Cursor, expected: usize) -> Vec<ChangeView> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let read: Vec<ChangeView> = read_after(pool, org, after, 100).await.unwrap().into_iter().map(|c| c.change).collect();
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

/// Reads the whole log (every organisation) until `expected` changes after `after` are readable.
async fn feed_settled(pool: &PgPool, after: Cursor, expected: usize) -> Vec<mosaic::store::changes::FeedChange> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let read = mosaic::store::changes::read_feed_after(pool, after, 1000).await.unwrap();
        if read.len() >= expected || Instant::now() > deadline {
            return read;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[sqlx::test]
async fn the_feed_reads_every_organisation_in_log_order_from_any_head(pool: PgPool) {
    let acme = World::new(pool.clone()).await;
    let other = World::named(pool.clone(), "other").await;
    let everything = feed_settled(&pool, Cursor::default(), 4).await;
    assert_eq!(everything.len(), 4, "two locations and two schedules");
    let cursors: Vec<Cursor> = everything.iter().map(|c| c.cursor).collect();
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "in reading order: {cursors:?}");
    assert_eq!(everything.iter().filter(|c| c.org == acme.caller.org).count(), 2);
    assert_eq!(everything.iter().filter(|c| c.org == other.caller.org).count(), 2);

    let head = mosaic::store::changes::head(&pool, None).await.unwrap();
    assert_eq!(head, *cursors.last().unwrap(), "the head is the last readable change");
    let acme_head = mosaic::store::changes::head(&pool, Some(acme.caller.org)).await.unwrap();
    assert_eq!(Some(acme_head), everything.iter().filter(|c| c.org == acme.caller.org).map(|c| c.cursor).last());

    acme.employed_worker("Ann").await;
    let after_head = feed_settled(&pool, head, 2).await;
    let kinds: Vec<&str> = after_head.iter().map(|c| c.change.kind.as_str()).collect();
    assert_eq!(kinds, ["worker.created", "employment.started"], "only what came after the head");
    assert!(after_head
        .iter()
        .all(|c| c.change.stream_type == if c.change.kind.starts_with("worker") { "worker" } else { "employment" }));
}

#[sqlx::test]
async fn a_worker_catching_up_sees_only_their_published_shifts(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    let start = mosaic::services::history::now(&w.pool, &w.caller).await.unwrap();
    let anns = w.shift(ann, at(3, 7), 8).await;
    w.shift(bob, at(3, 7), 8).await;
    let anns_caller = w.member("ann@acme.test", mosaic::access::Role::Worker, Some(ann)).await;

    // Drafts are nobody's business but the planners'.
    let before_publishing = read_settled(&w.pool, w.caller.org, start, 3).await;
    let step = mosaic::services::history::catch_up(&w.pool, &anns_caller, start, 100).await.unwrap();
    assert!(step.visible.is_empty(), "no drafts: {:?}", step.visible.iter().map(|c| &c.change.kind).collect::<Vec<_>>());
    assert_eq!(step.read, before_publishing.len());
    assert_eq!(step.last.map(|c| c.to_string()), before_publishing.last().map(|c| c.cursor.clone()));

    w.publish().await;
    shifts::update(
        &w.pool,
        &w.caller,
        anns.id,
        ShiftPatch { expected_version: 2, start: Some(at(3, 8)), end: Some(at(3, 16)), ..Default::default() },
    )
    .await
    .unwrap();
    read_settled(&w.pool, w.caller.org, start, before_publishing.len() + 4).await;
    let step = mosaic::services::history::catch_up(&w.pool, &anns_caller, start, 100).await.unwrap();
    let seen: Vec<(&str, uuid::Uuid)> = step.visible.iter().map(|c| (c.change.kind.as_str(), c.change.stream_id)).collect();
    assert_eq!(seen, [("shift.published", anns.id.0), ("shift.moved", anns.id.0)], "her shift published, then moved");
    assert_eq!(step.visible[0].change.payload["worker_id"], serde_json::json!(ann), "a published shift names its worker");

    let manager = mosaic::services::history::catch_up(&w.pool, &w.caller, start, 100).await.unwrap();
    assert_eq!(manager.visible.len(), manager.read, "a manager sees every change");
}

async fn readable_below(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar("SELECT changes_readable_below()::text::bigint").fetch_one(conn).await.unwrap()
}

/// The gate, read until `passes` holds of it (or a hundred times).
async fn settled(conn: &mut sqlx::PgConnection, passes: impl Fn(i64) -> bool) -> i64 {
    let mut below = readable_below(conn).await;
    for _ in 0..100 {
        if passes(below) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        below = readable_below(conn).await;
    }
    below
}

async fn transaction_id(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar("SELECT pg_current_xact_id()::text::bigint").fetch_one(conn).await.unwrap()
}

/// The gate leaves out a transaction of this database only when it sees it running without having
/// declared itself a writer. A writer that commits after the reader's snapshot — its change invisible to
/// that snapshot — is still waited for: passing it would skip its change for good. (A repeatable-read
/// reader keeps its first snapshot, which holds that window open for as long as the test needs.)
#[sqlx::test]
async fn the_feed_waits_for_writers_even_as_they_commit_and_never_for_undeclared_transactions(pool: PgPool) {
    let w = World::new(pool).await;
    let mut undeclared = w.pool.begin().await.unwrap();
    let undeclared_id = transaction_id(&mut undeclared).await;
    let mut writer = mosaic::store::begin(&w.pool).await.unwrap();
    let writer_id = transaction_id(&mut writer).await;
    // A later transaction that ends: until one does, the snapshot's horizon (xmax) is the oldest running
    // id itself, and a transaction at or past the horizon is not in the snapshot to be judged at all.
    transaction_id(&mut *w.pool.acquire().await.unwrap()).await;

    let mut reader = w.pool.acquire().await.unwrap();
    // What the gate may pass is asked until it does (the writers' lock is seen a moment after BEGIN);
    // what it must wait for is asserted of every reading.
    let below = settled(&mut reader, |below| below > undeclared_id).await;
    assert!(below > undeclared_id && below <= writer_id, "passes {undeclared_id}, waits for {writer_id}: {below}");

    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute(&mut *reader).await.unwrap();
    assert!(readable_below(&mut reader).await <= writer_id, "the reader's snapshot holds the writer as running");
    writer.commit().await.unwrap();
    let after_commit = readable_below(&mut reader).await;
    assert!(after_commit <= writer_id, "a writer that ended after the snapshot is still waited for: {after_commit}");
    sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();

    let fresh = settled(&mut reader, |below| below > writer_id).await;
    assert!(fresh > writer_id, "a new snapshot sees it committed and reads past it: {fresh}");
    undeclared.rollback().await.unwrap();
}

/// A transaction that ended after the reader's snapshot was taken is judged by what it left: one that
/// aborted, or committed without a change, is passed; one that committed a change the snapshot cannot see
/// is waited for. An explicit, older snapshot holds that window open; before, every such transaction was
/// waited for, so an unrelated one ending at the wrong moment pulled the gate (and `head`) back.
#[sqlx::test]
async fn a_transaction_that_ended_after_the_snapshot_is_waited_for_only_if_it_wrote_a_change(pool: PgPool) {
    let w = World::new(pool).await;
    let mut aborted = mosaic::store::begin(&w.pool).await.unwrap();
    let aborted_id = transaction_id(&mut aborted).await;
    let mut quiet = mosaic::store::begin(&w.pool).await.unwrap();
    let quiet_id = transaction_id(&mut quiet).await;
    let mut appender = mosaic::store::begin(&w.pool).await.unwrap();
    let appender_id = transaction_id(&mut appender).await;
    mosaic::store::changes::record(
        &mut appender,
        w.caller.org,
        &mosaic::store::Actor::named("test"),
        mosaic::change_kind::ChangeKind::WorkerCreated,
        uuid::Uuid::new_v4(),
        1,
        serde_json::json!({}),
    )
    .await
    .unwrap();
    // A later transaction that ends, so the three above are inside the snapshot rather than at its horizon.
    transaction_id(&mut *w.pool.acquire().await.unwrap()).await;

    let mut reader = w.pool.acquire().await.unwrap();
    let snapshot: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text").fetch_one(&mut *reader).await.unwrap();
    let below_then = async |conn: &mut sqlx::PgConnection| -> i64 {
        sqlx::query_scalar("SELECT changes_readable_below_snapshot($1::pg_snapshot)::text::bigint")
            .bind(&snapshot)
            .fetch_one(conn)
            .await
            .unwrap()
    };
    assert!(below_then(&mut reader).await <= aborted_id, "all three are running and declared writers");

    aborted.rollback().await.unwrap();
    quiet.commit().await.unwrap();
    appender.commit().await.unwrap();
    assert_eq!(
        below_then(&mut reader).await,
        appender_id,
        "passes the aborted {aborted_id} and the committed {quiet_id} that wrote nothing; waits for the change of {appender_id}"
    );
    assert!(readable_below(&mut reader).await > appender_id, "a snapshot taken now sees every one of them ended");
}
