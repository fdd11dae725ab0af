use crate::fixture::{at, World};
use chrono::{NaiveDate, NaiveTime};
use mosaic::access::Role;
use mosaic::availability::{Preference, WeeklyWindow};
use mosaic::rules::{ConflictKind, Severity};
use mosaic::services::availability::{self, NewException, NewPattern};
use mosaic::store::DomainError;
use sqlx::PgPool;

fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

fn hours(weekday: u8, from: u32, to: u32, preference: Preference) -> WeeklyWindow {
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    WeeklyWindow { weekday, from: time(from), to: time(to), preference }
}

#[sqlx::test]
async fn a_shift_in_hours_the_worker_cannot_work_is_a_warning_until_an_exception_clears_it(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let as_ann = w.member("ann@example.com", Role::Worker, Some(ann)).await;
    let monday = w.shift(ann, at(9, 10), 4).await;
    w.shift(ann, at(10, 10), 4).await;

    let mondays = NewPattern {
        first_day: march(1),
        windows: vec![hours(1, 9, 13, Preference::Unavailable), hours(3, 8, 16, Preference::Preferred)],
    };
    let set = availability::set_pattern(&w.pool, &as_ann, ann, mondays).await.unwrap();
    assert_eq!(set.patterns.len(), 1);
    let items = w.open_items().await;
    assert_eq!(
        items.iter().map(|i| (i.kind, i.severity, i.shift_ids.clone())).collect::<Vec<_>>(),
        vec![(ConflictKind::Unavailable, Severity::Warning, vec![monday.id])]
    );
    w.publish().await;

    let free_after_all =
        NewException { first_day: Some(march(9)), available: true, note: Some("Swapped my class".into()), ..Default::default() };
    let exception = availability::add_exception(&w.pool, &as_ann, ann, free_after_all).await.unwrap();
    assert!(w.open_items().await.is_empty(), "the exception clears that Monday");
    availability::remove_exception(&w.pool, &as_ann, exception.id, exception.version).await.unwrap();
    assert_eq!(w.open_items().await.len(), 1, "and removing it brings the warning back");

    // From the 9th on, Mondays are free: the old pattern ends where the new one starts.
    let later = NewPattern { first_day: march(9), windows: vec![hours(2, 0, 0, Preference::Unavailable)] };
    let now = availability::set_pattern(&w.pool, &w.caller, ann, later).await.unwrap();
    let spans: Vec<(NaiveDate, Option<NaiveDate>)> = now.patterns.iter().map(|p| (p.first_day, p.until)).collect();
    assert_eq!(spans, vec![(march(1), Some(march(9))), (march(9), None)]);
    let items = w.open_items().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_ne!(items[0].shift_ids, vec![monday.id], "Tuesday's shift is the one now");

    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM changes WHERE stream_type IN ('availability', 'availability_exception') ORDER BY position",
    )
    .fetch_all(&w.pool)
    .await
    .unwrap();
    assert_eq!(
        kinds,
        [
            "availability.set",
            "availability_exception.added",
            "availability_exception.removed",
            "availability.ended",
            "availability.set"
        ]
    );
}

#[sqlx::test]
async fn a_worker_states_only_their_own_availability_and_bad_windows_are_named(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let bob = w.employed_worker("Bob").await;
    let as_ann = w.member("ann@example.com", Role::Worker, Some(ann)).await;
    let pattern = |windows| NewPattern { first_day: march(2), windows };
    let err = availability::set_pattern(&w.pool, &as_ann, bob, pattern(vec![])).await.unwrap_err();
    assert!(matches!(err, DomainError::Forbidden(_)), "{err:?}");
    assert!(matches!(availability::of_worker(&w.pool, &as_ann, bob, None).await, Err(DomainError::Forbidden(_))));
    for (windows, field) in [
        (vec![hours(0, 9, 13, Preference::Unavailable)], "windows[0].weekday"),
        (vec![hours(1, 13, 9, Preference::Unavailable)], "windows[0].to"),
        (vec![hours(1, 9, 13, Preference::Unavailable), hours(1, 12, 15, Preference::Preferred)], "windows[1]"),
        (vec![hours(1, 9, 10, Preference::Unavailable); 51], "windows"),
    ] {
        match availability::set_pattern(&w.pool, &as_ann, ann, pattern(windows)).await {
            Err(DomainError::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("expected {field} refused, got {other:?}"),
        }
    }
    let err = availability::add_exception(&w.pool, &as_ann, ann, NewException::default()).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "first_day"), "{err:?}");
    // Setting the same day twice replaces the first (withdrawn, kept in the log).
    availability::set_pattern(&w.pool, &as_ann, ann, pattern(vec![hours(1, 9, 13, Preference::Unavailable)])).await.unwrap();
    let again =
        availability::set_pattern(&w.pool, &as_ann, ann, pattern(vec![hours(2, 9, 13, Preference::Unavailable)])).await.unwrap();
    assert_eq!(again.patterns.len(), 1);
    assert_eq!(again.patterns[0].windows[0].weekday, 2);
}
