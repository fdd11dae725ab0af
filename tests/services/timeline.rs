use crate::fixture::{at, World};
use chrono::Duration;
use mosaic::access::Role;
use mosaic::kinds::EventStatus;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::services::timeline;
use mosaic::store::DomainError;
use sqlx::PgPool;

#[sqlx::test]
async fn a_worker_sees_their_published_shifts_with_colleagues_and_what_changed_since_they_looked(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let bo = world.employed_worker("Bo").await;
    let tuesday = world.shift(ada, at(3, 7), 8).await;
    world.shift(bo, at(3, 9), 8).await;
    let thursday = world.shift(ada, at(5, 7), 8).await;
    world.publish().await;
    let draft = world.shift(ada, at(10, 7), 8).await;
    let never_published = world.shift(ada, at(11, 7), 8).await;
    shifts::cancel(&pool, &world.caller, never_published.id, never_published.version).await.unwrap();
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    let monday = at(2, 6);

    let first = timeline::for_caller(&pool, &me, monday, true).await.unwrap();
    assert_eq!(first.worker_name, "Ada");
    let shown: Vec<_> = first.shifts.iter().map(|s| s.shift.id).collect();
    assert_eq!(shown, vec![tuesday.id, thursday.id], "drafts never show, nor drafts cancelled before publishing");
    assert!(!shown.contains(&draft.id));
    assert_eq!(first.shifts[0].colleagues, vec!["Bo".to_string()]);
    assert!(first.shifts[1].colleagues.is_empty());
    assert_eq!((first.shifts[0].location_name.as_str(), first.shifts[0].time_zone.as_str()), ("Main street", "UTC"));
    assert!(first.shifts.iter().all(|s| !s.changed), "nothing is marked on the first look");
    assert_eq!(first.this_week.net, 15.0, "two eight-hour shifts less two unpaid half-hour breaks");
    assert_eq!(first.past_weeks.len(), 4);

    let tuesday = shifts::get(&pool, &world.caller, tuesday.id).await.unwrap();
    shifts::update(
        &pool,
        &world.caller,
        tuesday.id,
        ShiftPatch {
            expected_version: tuesday.version,
            start: Some(at(3, 8)),
            end: Some(at(3, 8) + Duration::hours(8)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let thursday = shifts::get(&pool, &world.caller, thursday.id).await.unwrap();
    shifts::cancel(&pool, &world.caller, thursday.id, thursday.version).await.unwrap();

    let second = timeline::for_caller(&pool, &me, monday, true).await.unwrap();
    assert!(second.last_looked.is_some());
    let marks: Vec<_> = second.shifts.iter().map(|s| (s.shift.id, s.changed, s.shift.status)).collect();
    assert_eq!(
        marks,
        vec![(tuesday.id, true, EventStatus::Active), (thursday.id, true, EventStatus::Cancelled)],
        "the moved shift is marked, and the one cancelled after publishing stays to say so"
    );
    let third = timeline::for_caller(&pool, &me, monday, true).await.unwrap();
    assert!(third.shifts.iter().all(|s| !s.changed), "looking again clears the marks");
}

#[sqlx::test]
async fn past_weeks_show_hour_totals_and_later_weeks_the_shifts(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    world.shift(ada, at(3, 7), 8).await;
    world.shift(ada, at(4, 7), 4).await;
    world.shift(ada, at(10, 7), 8).await;
    world.publish().await;
    let me = world.member("ada@acme.test", Role::Worker, Some(ada)).await;
    // Seen from Wednesday 11 March: the week of 2 March is a past week; Tuesday the 10th is earlier this week.
    let view = timeline::for_caller(&pool, &me, at(11, 12), false).await.unwrap();
    assert_eq!(view.past_weeks[0].week_start, chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    assert_eq!((view.past_weeks[0].shifts, view.past_weeks[0].hours.net), (2, 11.5));
    assert_eq!(view.this_week.net, 7.5);
    assert!(view.shifts.is_empty(), "Tuesday's shift is over; nothing is left from today on");
}

#[sqlx::test]
async fn only_people_linked_to_a_worker_have_a_timeline(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let manager = world.member("maria@acme.test", Role::Manager, None).await;
    let refused = timeline::for_caller(&pool, &manager, at(2, 6), true).await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "no_worker", .. }), "{refused:?}");
}
