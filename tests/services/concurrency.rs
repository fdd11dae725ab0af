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
