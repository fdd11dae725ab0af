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
