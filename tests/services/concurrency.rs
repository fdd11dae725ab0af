use crate::fixture::{at, World};
use futures::future::join_all;
use mosaic::ids::EventId;
use mosaic::rules::ConflictKind;
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

/// Every kind of command on two workers at once: moves, reassignments back and forth between them,
/// break edits, a cancellation, a week copied onto both and an employment's end changed. Each takes its
/// rows first and the workers' locks last (`attention::refresh_workers`), so none waits in a cycle; the
/// only refusal is a stale version, and the attention items end exactly as judging the shifts afresh finds them.
#[sqlx::test]
async fn every_kind_of_command_on_two_workers_at_once_queues_without_a_deadlock(pool: PgPool) {
    use mosaic::services::{attention, employments, organisations, week_copy};
    use mosaic::views::ShiftView;
    let w = World::new(pool).await;
    let (ann, bob) = (w.employed_worker("Ann").await, w.employed_worker("Bob").await);
    let mut anns = Vec::new();
    let mut bobs = Vec::new();
    for day in 3..9 {
        anns.push(w.shift(ann, at(day, 9), 5).await);
        bobs.push(w.shift(bob, at(day, 11), 7).await);
    }
    let bobs_employment: EventId = sqlx::query_scalar(
        "SELECT event_id FROM participations WHERE entity_id = $1 AND event_type = 'employment' AND participation_type = 'employee'",
    )
    .bind(bob)
    .fetch_one(&w.pool)
    .await
    .unwrap();
    let deadlocks_before = deadlocks(&w.pool).await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect_with(w.pool.connect_options().as_ref().clone())
        .await
        .unwrap();

    type Outcome = Result<(), DomainError>;
    /// Runs `rounds` edits of one shift, each at the version just read: a stale version (someone else
    /// got there between the read and the write) is the one refusal expected, and is not an error.
    async fn edit_shift<F, Fut>(pool: PgPool, caller: mosaic::services::Caller, id: EventId, rounds: i64, edit: F) -> Outcome
    where
        F: Fn(PgPool, mosaic::services::Caller, ShiftView, i64) -> Fut,
        Fut: std::future::Future<Output = Result<ShiftView, DomainError>>,
    {
        for round in 0..rounds {
            let shift = shifts::get(&pool, &caller, id).await?;
            match edit(pool.clone(), caller.clone(), shift, round).await {
                Ok(_) | Err(DomainError::StaleVersion { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
    let mut tasks: Vec<tokio::task::JoinHandle<Outcome>> = Vec::new();
    for shift in &anns[..4] {
        tasks.push(tokio::spawn(edit_shift(
            pool.clone(),
            w.caller.clone(),
            shift.id,
            5,
            |pool, caller, shift, round| async move {
                let by = chrono::Duration::hours(if round % 2 == 0 { 2 } else { -2 });
                let patch = ShiftPatch {
                    expected_version: shift.version,
                    start: Some(shift.during.start + by),
                    end: shift.during.end.map(|end| end + by),
                    ..Default::default()
                };
                shifts::update(&pool, &caller, shift.id, patch).await
            },
        )));
    }
    // Ann's fifth shift ends up Bob's, where it overlaps his own that day; his comes back to him.
    for (shift, rounds) in [(&anns[4], 3), (&bobs[4], 4)] {
        tasks.push(tokio::spawn(edit_shift(
            pool.clone(),
            w.caller.clone(),
            shift.id,
            rounds,
            move |pool, caller, shift, _| async move {
                let to = if shift.worker_id == ann { bob } else { ann };
                let patch = ShiftPatch { expected_version: shift.version, worker_id: Some(to), ..Default::default() };
                shifts::update(&pool, &caller, shift.id, patch).await
            },
        )));
    }
    for shift in &bobs[..2] {
        tasks.push(tokio::spawn(edit_shift(
            pool.clone(),
            w.caller.clone(),
            shift.id,
            4,
            |pool, caller, shift, round| async move {
                let lunch = shift.during.start + chrono::Duration::hours(2 + round % 3);
                let breaks = vec![shifts::NewBreak { start: lunch, end: lunch + chrono::Duration::minutes(30), paid: false }];
                shifts::set_breaks(&pool, &caller, shift.id, shift.version, breaks).await
            },
        )));
    }
    tasks.push(tokio::spawn(edit_shift(pool.clone(), w.caller.clone(), bobs[5].id, 1, |pool, caller, shift, _| async move {
        shifts::cancel(&pool, &caller, shift.id, shift.version).await
    })));
    let (copy_pool, copy_caller, location) = (pool.clone(), w.caller.clone(), w.location);
    tasks.push(tokio::spawn(async move {
        let monday = |day| chrono::NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let request = week_copy::CopyWeek { location_id: location, from_week: monday(2), to_week: monday(9) };
        week_copy::copy_week(&copy_pool, &copy_caller, request).await.map(|_| ())
    }));
    let (end_pool, end_caller) = (pool.clone(), w.caller.clone());
    tasks.push(tokio::spawn(async move {
        for round in 0..4 {
            let current = employments::get(&end_pool, &end_caller, bobs_employment).await?;
            let end = (round % 2 == 0).then(|| at(30, 0));
            employments::set_end(&end_pool, &end_caller, bobs_employment, end, current.version).await?;
        }
        Ok(())
    }));
    let results: Vec<Outcome> = join_all(tasks).await.into_iter().map(|r| r.expect("no task panics")).collect();
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "every command goes through or finds its version stale: {failures:?}");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(deadlocks(&w.pool).await - deadlocks_before, 0, "no deadlock between the commands");

    let mut conn = w.pool.acquire().await.unwrap();
    let thresholds = organisations::thresholds(&mut conn, w.caller.org).await.unwrap();
    let everything = mosaic::interval::Interval {
        start: at(1, 0) - chrono::Duration::days(40),
        end: Some(at(1, 0) + chrono::Duration::days(80)),
    };
    let mut afresh = Vec::new();
    for worker in [ann, bob] {
        for conflict in attention::evaluate_in(&mut conn, &w.caller, worker, everything, &thresholds).await.unwrap() {
            let mut shifts = conflict.shifts.clone();
            shifts.sort();
            afresh.push((conflict.kind, shifts));
        }
    }
    let mut kept: Vec<_> = w
        .open_items()
        .await
        .into_iter()
        .map(|item| {
            let mut shifts = item.shift_ids.clone();
            shifts.sort();
            (item.kind, shifts)
        })
        .collect();
    afresh.sort_by_key(|(kind, shifts)| (kind.as_str(), shifts.clone()));
    kept.sort_by_key(|(kind, shifts)| (kind.as_str(), shifts.clone()));
    assert!(afresh.iter().any(|(kind, _)| *kind == ConflictKind::Overlap), "Bob is left double-booked: {afresh:?}");
    assert_eq!(kept, afresh, "the open items are what judging the shifts afresh finds");
}
