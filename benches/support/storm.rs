//! Many people moving one worker's shifts at once. Every command that touches a worker's shifts or
//! attention items takes that worker's lock for its attention refresh and commit
//! (`services::attention::refresh_workers`), so concurrent writers queue for that instead of
//! deadlocking; this measures what queueing costs at 1, 4 and 16 writers doing the same 96 moves,
//! against the database's own count of deadlocks.

use crate::support::percentile;
use chrono::{DateTime, Duration, Utc};
use mosaic::ids::EventId;
use mosaic::services::{shifts, Caller};
use sqlx::PgPool;
use std::time::Instant;

/// Moves in each run, shared out among the writers.
pub const MOVES: usize = 96;
/// Shifts of the one worker that the writers move, each by a quarter hour and back.
pub const SHIFTS: usize = 16;

pub struct Storm {
    pub writers: usize,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    /// Moves that did not go through (any error: a conflict, a timeout).
    pub failures: usize,
    pub first_failure: Option<String>,
    pub deadlocks: i64,
    pub seconds: f64,
}

/// A worker with at least [`SHIFTS`] active shifts from `from` on, and those shifts.
pub async fn busiest_worker(pool: &PgPool, caller: &Caller, from: DateTime<Utc>) -> Vec<EventId> {
    sqlx::query_scalar(
        "WITH worker AS (
             SELECT entity_id FROM participations
              WHERE org_id = $1 AND event_type = 'shift' AND participation_type = 'worker' AND event_status = 'active'
                AND lower(during) >= $2
              GROUP BY entity_id HAVING count(*) >= $3 ORDER BY entity_id LIMIT 1)
         SELECT p.event_id FROM participations p JOIN worker USING (entity_id)
          WHERE p.org_id = $1 AND p.event_type = 'shift' AND p.participation_type = 'worker' AND p.event_status = 'active'
            AND lower(p.during) >= $2
          ORDER BY lower(p.during) LIMIT $3",
    )
    .bind(caller.org)
    .bind(from)
    .bind(SHIFTS as i64)
    .fetch_all(pool)
    .await
    .expect("a worker with enough shifts")
}

/// `writers` tasks, each with its own connection, share [`MOVES`] moves of the shifts out between them
/// (writer k moves the shifts k, k + writers, …, by turns).
pub async fn run(pool: &PgPool, caller: &Caller, shifts_of_one_worker: &[EventId], writers: usize) -> Storm {
    let before = deadlocks(pool).await;
    let started = Instant::now();
    let tasks = (0..writers).map(|k| {
        let (pool, caller) = (pool.clone(), caller.clone());
        let owned: Vec<EventId> = shifts_of_one_worker.iter().copied().skip(k).step_by(writers).collect();
        tokio::spawn(async move {
            let mut took = Vec::new();
            let mut failures = Vec::new();
            for round in 0..MOVES / writers {
                let id = owned[round % owned.len()];
                // Later by a quarter hour on odd visits to a shift, back again on even ones.
                let later = (round / owned.len()) % 2 == 0;
                match move_by_a_quarter_hour(&pool, &caller, id, later).await {
                    Ok(ms) => took.push(ms),
                    Err(why) => failures.push(why),
                }
            }
            (took, failures)
        })
    });
    let mut took = Vec::new();
    let mut failures = Vec::new();
    for task in futures::future::join_all(tasks).await {
        let (t, f) = task.expect("no writer panics");
        took.extend(t);
        failures.extend(f);
    }
    let seconds = started.elapsed().as_secs_f64();
    // The statistics collector reports a moment late.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    took.sort_by(|a, b| a.total_cmp(b));
    Storm {
        writers,
        p50: percentile(&took, 50.0),
        p95: percentile(&took, 95.0),
        max: took.last().copied().unwrap_or(0.0),
        failures: failures.len(),
        first_failure: failures.into_iter().next(),
        deadlocks: deadlocks(pool).await - before,
        seconds,
    }
}

/// Reads the shift, then moves it: the milliseconds the move took (the command, as the test times it).
async fn move_by_a_quarter_hour(pool: &PgPool, caller: &Caller, id: EventId, later: bool) -> Result<f64, String> {
    let shift = shifts::get(pool, caller, id).await.map_err(|e| e.to_string())?;
    let by = Duration::minutes(if later { 15 } else { -15 });
    let patch = shifts::ShiftPatch {
        expected_version: shift.version,
        start: Some(shift.during.start + by),
        end: shift.during.end.map(|end| end + by),
        ..Default::default()
    };
    let began = Instant::now();
    shifts::update(pool, caller, id, patch).await.map_err(|e| e.to_string())?;
    Ok(began.elapsed().as_secs_f64() * 1000.0)
}

async fn deadlocks(pool: &PgPool) -> i64 {
    let mut conn = pool.acquire().await.expect("a connection");
    sqlx::query("SELECT pg_stat_clear_snapshot()").execute(&mut *conn).await.expect("clear the statistics snapshot");
    sqlx::query_scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        .fetch_one(&mut *conn)
        .await
        .expect("the deadlock count")
}
