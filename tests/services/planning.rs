//! What the calendar plans with: a drawn draft opens its week's schedule when none covers it, and the
//! week it reads gives the browser everything the rules need, so its preview says what the server says.

use crate::fixture::{at, World};
use chrono::{Duration, NaiveDate};
use futures::future::join_all;
use mosaic::interval::Interval;
use mosaic::planning::preview;
use mosaic::rules::ConflictKind;
use mosaic::services::{calendar, schedules, shifts};
use sqlx::PgPool;

#[sqlx::test]
async fn drafts_drawn_at_once_into_an_unplanned_week_open_exactly_one_schedule_for_it(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let workers = join_all((0..4).map(|i| world.employed_worker(["Ada", "Bo", "Cy", "Di"][i]))).await;
    // The fixture's schedule ends on 16 March; the week of 23 March has none.
    let drawn =
        join_all(workers.iter().map(|w| shifts::create_opening_week(&pool, &world.caller, world.new_shift(*w, at(24, 9), 8))))
            .await;
    assert!(drawn.iter().all(Result::is_ok), "{drawn:?}");
    let all = schedules::list(&pool, &world.caller, Some(world.location)).await.unwrap();
    let opened: Vec<_> = all.iter().filter(|s| s.id != world.schedule.id).collect();
    assert_eq!(opened.len(), 1, "{all:?}");
    assert_eq!(opened[0].period, Interval { start: at(23, 0), end: Some(at(30, 0)) });
    // Inside a planned week nothing new opens.
    shifts::create_opening_week(&pool, &world.caller, world.new_shift(workers[0], at(4, 9), 8)).await.unwrap();
    assert_eq!(schedules::list(&pool, &world.caller, Some(world.location)).await.unwrap().len(), 2);
}

#[sqlx::test]
async fn the_week_read_carries_what_the_rules_need_and_the_preview_agrees_with_the_server(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let bo = world.employed_worker("Bo").await;
    let monday = world.shift(ada, at(2, 7), 8).await;
    // A day before the week (in the week before, which has no schedule yet): it counts for rest.
    let sunday_before = shifts::create_opening_week(&pool, &world.caller, world.new_shift(ada, at(1, 14), 8)).await.unwrap();
    let tuesday = world.shift(bo, at(3, 14), 5).await; // short enough to need no break

    let week =
        calendar::location_week(&pool, &world.caller, Some(world.location), NaiveDate::from_ymd_opt(2026, 3, 4)).await.unwrap();
    assert_eq!(week.week, Interval { start: at(2, 0), end: Some(at(9, 0)) });
    let ada_row = week.rows.iter().find(|r| r.worker.id == ada).unwrap();
    assert_eq!(ada_row.shifts.iter().map(|s| s.id).collect::<Vec<_>>(), vec![monday.id]);
    assert_eq!(ada_row.elsewhere.iter().map(|s| s.id).collect::<Vec<_>>(), vec![sunday_before.id]);
    assert_eq!(ada_row.employments.len(), 1);

    // Bo's Tuesday shift, proposed in several places on Ada's row: each time the browser's preview names
    // the same conflicts the server records once the move is saved.
    let mut version = tuesday.version;
    let mut kinds_met = std::collections::BTreeSet::new();
    for (start, hours) in [(at(2, 10), 8), (at(2, 17), 7), (at(3, 1), 5), (at(4, 9), 8), (at(2, 7), 3)] {
        let proposed = mosaic::rules::RuleShift {
            id: tuesday.id,
            during: Interval { start, end: Some(start + Duration::hours(hours)) },
            status: tuesday.status,
            breaks: vec![],
            position: None,
        };
        let week = calendar::location_week(&pool, &world.caller, Some(world.location), NaiveDate::from_ymd_opt(2026, 3, 4))
            .await
            .unwrap();
        let row = week.rows.iter().find(|r| r.worker.id == ada).unwrap();
        let foreseen = preview(&row.rules(), &proposed, Some(tuesday.id), &week.week, &week.thresholds);
        let mut foreseen: Vec<ConflictKind> = foreseen.conflicts.iter().map(|c| c.kind).collect();

        let current = shifts::get(&pool, &world.caller, tuesday.id).await.unwrap();
        assert!(current.breaks.is_empty());
        let patch = shifts::ShiftPatch {
            expected_version: version,
            start: Some(start),
            end: Some(start + Duration::hours(hours)),
            worker_id: Some(ada),
            ..Default::default()
        };
        let saved = shifts::update(&pool, &world.caller, tuesday.id, patch).await.unwrap();
        version = saved.version;
        let mut recorded: Vec<ConflictKind> =
            world.open_items().await.into_iter().filter(|i| i.shift_ids.contains(&tuesday.id)).map(|i| i.kind).collect();
        foreseen.sort_by_key(|k| k.as_str());
        recorded.sort_by_key(|k| k.as_str());
        assert_eq!(foreseen, recorded, "a shift proposed at {start} for {hours} h");
        kinds_met.extend(recorded.iter().map(|k| k.as_str()));

        // Back to Bo for the next round, so each proposal starts from the same week.
        let back = shifts::ShiftPatch {
            expected_version: version,
            worker_id: Some(bo),
            start: Some(at(3, 14)),
            end: Some(at(3, 19)),
            ..Default::default()
        };
        version = shifts::update(&pool, &world.caller, tuesday.id, back).await.unwrap().version;
    }
    assert_eq!(
        kinds_met.into_iter().collect::<Vec<_>>(),
        vec!["missing_break", "overlap", "short_rest"],
        "the proposals meet each rule"
    );
}
