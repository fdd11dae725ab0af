use crate::fixture::{at, World};
use chrono::{NaiveDate, TimeZone, Utc};
use mosaic::access::Role;
use mosaic::kinds::EventStatus;
use mosaic::services::employments::{self, NewEmployment};
use mosaic::services::schedules;
use mosaic::services::shifts::{self, ShiftFilter};
use mosaic::services::week_copy::{copy_week, CopyWeek};
use mosaic::store::DomainError;
use sqlx::PgPool;

fn monday(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

#[sqlx::test]
async fn a_week_is_copied_into_drafts_once_with_breaks_and_reasons_for_what_is_left_out(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let ada = world.employed_worker("Ada").await;
    let bo = world.employed_worker("Bo").await;
    world.shift(ada, at(3, 7), 8).await;
    world.shift(bo, at(4, 14), 8).await;
    let gone = world.shift(bo, at(5, 14), 8).await;
    shifts::cancel(&pool, &world.caller, gone.id, gone.version).await.unwrap();
    world.publish().await;
    // Bo leaves on 11 March: his Wednesday copy would fall outside his employment.
    let bos_job = employments::list_for_worker(&pool, &world.caller, bo).await.unwrap().remove(0);
    employments::set_end(&pool, &world.caller, bos_job.id, Some(at(11, 0)), bos_job.version).await.unwrap();

    let request = CopyWeek { location_id: world.location, from_week: monday(2), to_week: monday(9) };
    let copy = copy_week(&pool, &world.caller, request.clone()).await.unwrap();
    assert_eq!(copy.created.len(), 1, "{copy:?}");
    let copied = &copy.created[0];
    assert_eq!((copied.worker_id, copied.during.start, copied.status), (ada, at(10, 7), EventStatus::Draft));
    assert_eq!(copied.breaks.len(), 1, "breaks come along");
    assert_eq!(copied.breaks[0].during.start, at(10, 11));
    assert_eq!(copy.skipped.len(), 1, "the cancelled shift is not copied at all");
    assert_eq!((copy.skipped[0].worker_id, copy.skipped[0].reason.as_str()), (bo, "the worker is not employed then"));

    let again = copy_week(&pool, &world.caller, request).await.unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.skipped.iter().filter(|s| s.reason == "already in that week").count(), 1, "{again:?}");
    let in_target = shifts::list(
        &pool,
        &world.caller,
        &ShiftFilter { location_id: Some(world.location), from: Some(at(9, 0)), to: Some(at(16, 0)), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(in_target.len(), 1, "copying twice adds nothing");
}

#[sqlx::test]
async fn copies_keep_local_times_across_the_spring_change_and_open_a_schedule(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let berlin = world.location_in("Berlin Mitte", "Europe/Berlin").await;
    let local =
        |day: u32, hour: u32| chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap().with_timezone(&Utc);
    schedules::create(
        &pool,
        &world.caller,
        schedules::NewSchedule { location_id: berlin, start: local(16, 0), end: local(23, 0) },
    )
    .await
    .unwrap();
    let worker = mosaic::services::workers::create(
        &pool,
        &world.caller,
        mosaic::services::workers::NewWorker { name: "Ada".into(), email: None, phone: None, external_id: None },
    )
    .await
    .unwrap()
    .id;
    employments::create(
        &pool,
        &world.caller,
        NewEmployment {
            worker_id: worker,
            location_id: Some(berlin),
            start: at(1, 0),
            end: None,
            title: None,
            contract_hours: None,
        },
    )
    .await
    .unwrap();
    let mut new = world.new_shift(worker, local(17, 9), 8);
    new.location_id = berlin;
    shifts::create(&pool, &world.caller, new).await.unwrap();

    // Two weeks on, Berlin is on summer time: 09:00 is 07:00 UTC instead of 08:00.
    let copy = copy_week(&pool, &world.caller, CopyWeek { location_id: berlin, from_week: monday(16), to_week: monday(30) })
        .await
        .unwrap();
    assert_eq!(copy.created.len(), 1, "{copy:?}");
    assert_eq!(copy.created[0].during.start, local(31, 9));
    assert_eq!(copy.created[0].during.start, at(31, 7));
    let opened = schedules::list(&pool, &world.caller, Some(berlin)).await.unwrap();
    assert_eq!(opened.len(), 2, "a draft schedule was opened for the new week");
}

#[sqlx::test]
async fn copying_needs_mondays_and_a_scheduler_of_that_location(pool: PgPool) {
    let world = World::new(pool.clone()).await;
    let tuesday = CopyWeek { location_id: world.location, from_week: monday(3), to_week: monday(9) };
    let refused = copy_week(&pool, &world.caller, tuesday).await.unwrap_err();
    assert!(matches!(refused, DomainError::Invalid { ref field, .. } if field == "from_week"), "{refused:?}");
    let scheduler = world.member("sam@acme.test", Role::Scheduler, None).await;
    let refused =
        copy_week(&pool, &scheduler, CopyWeek { location_id: world.location, from_week: monday(2), to_week: monday(9) })
            .await
            .unwrap_err();
    assert!(matches!(refused, DomainError::Forbidden(_)), "{refused:?}");
}
