use crate::fixture::{at, World};
use futures::future::join_all;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::store::DomainError;
use sqlx::PgPool;

/// Sixteen managers, at the same instant, each reassign a different active shift to Ann for the same
/// morning: the database lets exactly one through and every other gets a clear double-booking refusal.
#[sqlx::test]
async fn many_concurrent_bookings_of_one_worker_into_overlapping_active_shifts_let_exactly_one_win(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let mut shifts_to_move = Vec::new();
    for i in 0..16 {
        let other = w.employed_worker(&format!("Worker {i}")).await;
        shifts_to_move.push(w.shift(other, at(3, 7 + (i % 4)), 6).await);
    }
    w.publish().await;

    let attempts = shifts_to_move.iter().map(|shift| {
        let (pool, caller) = (w.pool.clone(), w.caller.clone());
        let id = shift.id;
        tokio::spawn(async move {
            shifts::update(&pool, &caller, id, ShiftPatch { expected_version: 2, worker_id: Some(ann), ..Default::default() })
                .await
        })
    });
    let results: Vec<_> = join_all(attempts).await.into_iter().map(|r| r.expect("no task panics")).collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    let refused = results.iter().filter(|r| matches!(r, Err(DomainError::DoubleBooked { .. }))).count();
    assert_eq!((won, refused), (1, 15), "{results:?}");
    assert_eq!(
        w.count(&format!(
            "SELECT count(*) FROM participations WHERE entity_id = '{ann}' AND event_type = 'shift' AND event_status = 'active'"
        ))
        .await,
        1
    );
}

/// Publishing a schedule while another manager gives the same worker a published shift at the same
/// time elsewhere: whatever the interleaving, the worker never ends up with two active shifts at once,
/// and whoever loses is told why. Eight rounds, each with its own pair of locations.
#[sqlx::test]
async fn publishing_races_a_reassignment_and_never_activates_a_double_booking(pool: PgPool) {
    use mosaic::services::schedules::{self, NewSchedule};
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    for round in 0..8u32 {
        let day = 2 + round;
        let here = w.location_in(&format!("Here {round}"), "UTC").await;
        let there = w.location_in(&format!("There {round}"), "UTC").await;
        let schedule_at = |location| NewSchedule { location_id: location, start: at(day, 0), end: at(day + 1, 0) };
        let draft_here = schedules::create(&w.pool, &w.caller, schedule_at(here)).await.unwrap();
        let published_there = schedules::create(&w.pool, &w.caller, schedule_at(there)).await.unwrap();
        let mut anns = w.new_shift(ann, at(day, 9), 5);
        anns.location_id = here;
        shifts::create(&w.pool, &w.caller, anns).await.unwrap();
        let mut bobs = w.new_shift(bob, at(day, 10), 3);
        bobs.location_id = there;
        let bobs = shifts::create(&w.pool, &w.caller, bobs).await.unwrap();
        schedules::publish(&w.pool, &w.caller, published_there.id, 1).await.unwrap();

        let (pool_a, caller_a, pool_b, caller_b) = (w.pool.clone(), w.caller.clone(), w.pool.clone(), w.caller.clone());
        let publish = tokio::spawn(async move { schedules::publish(&pool_a, &caller_a, draft_here.id, 1).await.map(|_| ()) });
        let reassign = tokio::spawn(async move {
            let patch = ShiftPatch { expected_version: 2, worker_id: Some(ann), ..Default::default() };
            shifts::update(&pool_b, &caller_b, bobs.id, patch).await.map(|_| ())
        });
        let (published, reassigned) = (publish.await.unwrap(), reassign.await.unwrap());
        assert!(!(published.is_ok() && reassigned.is_ok()), "round {round}: both went through");
        for refusal in [&published, &reassigned].into_iter().filter_map(|r| r.as_ref().err()) {
            assert!(
                matches!(refusal, DomainError::RuleViolation { .. } | DomainError::DoubleBooked { .. }),
                "round {round}: a clear refusal, not {refusal:?}"
            );
        }
        let overlapping = w
            .count(&format!(
                "SELECT count(*) FROM participations a JOIN participations b
                   ON a.entity_id = b.entity_id AND a.event_id < b.event_id AND a.during && b.during
                  WHERE a.entity_id = '{ann}' AND a.event_type = 'shift' AND b.event_type = 'shift'
                    AND a.participation_type = 'worker' AND b.participation_type = 'worker'
                    AND a.event_status = 'active' AND b.event_status = 'active'"
            ))
            .await;
        assert_eq!(overlapping, 0, "round {round}: Ann is never double-booked by active shifts");
    }
}

/// Sixteen schedulers at once, each moving their own draft of Ann's back and forth: the drafts come to
/// overlap and crowd her rest and part again, so every move raises and resolves attention items she shares with the others.
/// Commands on one worker queue behind her lock instead of deadlocking, and every move goes through.
#[sqlx::test]
async fn sixteen_people_editing_one_workers_shifts_at_once_queue_instead_of_deadlocking(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let mut anns = Vec::new();
    for i in 0..16u32 {
        anns.push(w.shift(ann, at(3 + i / 4, 2 + 5 * (i % 4)), 5).await);
    }
    let deadlocks_before = deadlocks(&w.pool).await;
    // A connection for each writer, as sixteen browsers against a server would have (the test's own
    // pool has five, which would queue them before they ever met in the database).
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect_with(w.pool.connect_options().as_ref().clone())
        .await
        .unwrap();

    let writers = anns.iter().enumerate().map(|(i, shift)| {
        let (pool, caller, id, start) = (pool.clone(), w.caller.clone(), shift.id, shift.during.start);
        tokio::spawn(async move {
            let mut took = Vec::new();
            for round in 0..6i64 {
                // Two hours early, on time or two hours late, by turns: overlaps with the shifts either
                // side come and go, and so do the items about them.
                let moved = start + chrono::Duration::hours((i as i64 + round) % 3 * 2 - 2);
                let patch = ShiftPatch {
                    expected_version: 1 + round as i32,
                    start: Some(moved),
                    end: Some(moved + chrono::Duration::hours(5)),
                    ..Default::default()
                };
                let began = std::time::Instant::now();
                shifts::update(&pool, &caller, id, patch).await?;
                took.push(began.elapsed());
            }
            Ok::<_, DomainError>(took)
        })
    });
    let results: Vec<_> = join_all(writers).await.into_iter().map(|r| r.expect("no task panics")).collect();
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "every move goes through: {failures:?}");
    let mut took: Vec<_> = results.into_iter().flat_map(Result::unwrap).collect();
    took.sort();
    eprintln!("16 writers on one worker: p95 {:?}, max {:?}", took[took.len() * 95 / 100], took[took.len() - 1]);

    // Deadlocks are retried out of sight; the database's own count tells whether any happened.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(deadlocks(&w.pool).await - deadlocks_before, 0, "no deadlock between the writers");
    let versions: Vec<i32> = sqlx::query_scalar("SELECT version FROM events WHERE event_type = 'shift' ORDER BY version")
        .fetch_all(&w.pool)
        .await
        .unwrap();
    assert_eq!(versions, vec![7; 16], "each shift took all six moves, none lost");
}

async fn deadlocks(pool: &PgPool) -> i64 {
    sqlx::query("SELECT pg_stat_clear_snapshot()").execute(pool).await.unwrap();
    sqlx::query_scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetch_one(pool).await.unwrap()
}
