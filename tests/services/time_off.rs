use crate::fixture::{at, World};
use chrono::{Duration, NaiveDate};
use mosaic::rules::ConflictKind;
use mosaic::services::schedules;
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::services::time_off::{self, Decision, NewTimeOff, TimeOffFilter};
use mosaic::store::DomainError;
use mosaic::time_off::{TimeOffKind, TimeOffStatus};
use sqlx::PgPool;

fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

fn days(first: u32, last: u32) -> NewTimeOff {
    NewTimeOff {
        kind: Some(TimeOffKind::Vacation),
        first_day: Some(march(first)),
        last_day: Some(march(last)),
        ..Default::default()
    }
}

fn at_version(expected_version: i32, note: &str) -> Decision {
    Decision { expected_version, note: Some(note.into()) }
}

#[sqlx::test]
async fn approved_time_off_makes_a_draft_on_it_a_hard_conflict_that_blocks_publishing_until_it_is_taken_back(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let on_leave = w.shift(ann, at(4, 9), 8).await;
    w.shift(ann, at(6, 9), 8).await;

    let asked = time_off::request(&w.pool, &as_ann, days(4, 5)).await.unwrap();
    assert_eq!(
        (asked.status, asked.worker_id, asked.first_day, asked.last_day),
        (TimeOffStatus::Requested, ann, march(4), march(5))
    );
    assert_eq!(asked.during.duration(), Some(Duration::days(2)));
    assert!(w.open_items().await.is_empty(), "a request not yet approved judges nothing");

    let approved = time_off::approve(&w.pool, &w.caller, asked.id, at_version(asked.version, "Enjoy")).await.unwrap();
    assert_eq!((approved.status, approved.decision_note.as_deref()), (TimeOffStatus::Approved, Some("Enjoy")));
    let items = w.open_items().await;
    assert_eq!(
        items.iter().map(|i| (i.kind, i.shift_ids.clone())).collect::<Vec<_>>(),
        vec![(ConflictKind::OnTimeOff, vec![on_leave.id])]
    );

    let err = schedules::publish(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap_err();
    match err {
        DomainError::RuleViolation { conflicts, .. } => {
            assert_eq!(conflicts.iter().map(|c| c.kind).collect::<Vec<_>>(), vec![ConflictKind::OnTimeOff])
        }
        other => panic!("expected publishing to be refused, got {other:?}"),
    }

    let taken_back =
        time_off::cancel(&w.pool, &w.caller, asked.id, at_version(approved.version, "Needed after all"), at(1, 0)).await.unwrap();
    assert_eq!(taken_back.status, TimeOffStatus::Cancelled);
    assert!(w.open_items().await.is_empty(), "the conflict goes with the time off");
    w.publish().await;
}

#[sqlx::test]
async fn approving_over_a_published_shift_is_refused_naming_it_and_a_published_shift_cannot_be_moved_onto_time_off(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let shift = w.shift(ann, at(4, 9), 8).await;
    w.publish().await;

    let asked = time_off::request(&w.pool, &as_ann, days(4, 4)).await.unwrap();
    let err = time_off::approve(&w.pool, &w.caller, asked.id, at_version(1, "")).await.unwrap_err();
    match err {
        DomainError::Conflict { code: "published_shifts_in_time_off", message } => {
            assert!(message.contains("Wed 4 Mar 09:00–17:00"), "{message}")
        }
        other => panic!("expected the published shift named, got {other:?}"),
    }
    assert_eq!(time_off::get(&w.pool, &w.caller, asked.id).await.unwrap().status, TimeOffStatus::Requested, "nothing written");

    let elsewhere = time_off::request(&w.pool, &as_ann, days(6, 6)).await.unwrap();
    time_off::approve(&w.pool, &w.caller, elsewhere.id, at_version(1, "")).await.unwrap();
    let current = shifts::get(&w.pool, &w.caller, shift.id).await.unwrap();
    let moved =
        ShiftPatch { expected_version: current.version, start: Some(at(6, 9)), end: Some(at(6, 17)), ..Default::default() };
    let err = shifts::update(&w.pool, &w.caller, shift.id, moved).await.unwrap_err();
    assert!(matches!(err, DomainError::Conflict { code: "on_time_off", .. } | DomainError::RuleViolation { .. }), "{err:?}");
    assert_eq!(shifts::get(&w.pool, &w.caller, shift.id).await.unwrap().during.start, at(4, 9), "the shift stayed");
}

#[sqlx::test]
async fn a_worker_acts_only_for_themself_and_withdraws_only_before_the_time_off_starts(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, as_bob) = w.signed_in_worker("Bob").await;

    let for_bob = NewTimeOff { worker_id: Some(bob), ..days(4, 4) };
    assert!(matches!(time_off::request(&w.pool, &as_ann, for_bob).await, Err(DomainError::Forbidden(_))));
    let mine = time_off::request(&w.pool, &as_ann, days(4, 4)).await.unwrap();
    assert!(matches!(time_off::approve(&w.pool, &as_ann, mine.id, at_version(1, "")).await, Err(DomainError::Forbidden(_))));
    assert!(matches!(time_off::get(&w.pool, &as_bob, mine.id).await, Err(DomainError::Forbidden(_))));
    time_off::request(&w.pool, &as_bob, days(9, 10)).await.unwrap();
    let seen_by_ann = time_off::list(&w.pool, &as_ann, &TimeOffFilter::default()).await.unwrap();
    assert_eq!(seen_by_ann.iter().map(|r| r.worker_id).collect::<Vec<_>>(), vec![ann], "only her own");
    let asked_for_bob = TimeOffFilter { worker_id: Some(bob), ..Default::default() };
    assert!(matches!(time_off::list(&w.pool, &as_ann, &asked_for_bob).await, Err(DomainError::Forbidden(_))));
    assert_eq!(time_off::list(&w.pool, &w.caller, &TimeOffFilter::default()).await.unwrap().len(), 2, "a manager sees all");

    let started = time_off::cancel(&w.pool, &as_ann, mine.id, at_version(1, ""), at(4, 1)).await.unwrap_err();
    assert!(matches!(started, DomainError::Conflict { code: "time_off_not_cancellable", .. }), "{started:?}");
    let withdrawn = time_off::cancel(&w.pool, &as_ann, mine.id, at_version(1, "Plans changed"), at(3, 12)).await.unwrap();
    assert_eq!(withdrawn.status, TimeOffStatus::Cancelled);
    let again = time_off::approve(&w.pool, &w.caller, mine.id, at_version(withdrawn.version, "")).await.unwrap_err();
    assert!(matches!(again, DomainError::Conflict { code: "time_off_decided", .. }), "{again:?}");

    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM changes WHERE stream_type = 'time_off' ORDER BY position")
        .fetch_all(&w.pool)
        .await
        .unwrap();
    assert_eq!(kinds, vec!["time_off.requested", "time_off.requested", "time_off.cancelled"]);
}

#[sqlx::test]
async fn a_declined_request_says_why_and_frees_the_days_for_another(pool: PgPool) {
    let w = World::new(pool).await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let asked = time_off::request(&w.pool, &as_ann, days(4, 6)).await.unwrap();
    let overlapping = time_off::request(&w.pool, &as_ann, days(6, 7)).await.unwrap_err();
    match overlapping {
        DomainError::Conflict { code: "time_off_overlap", message } => assert!(message.contains("Wed 4 Mar"), "{message}"),
        other => panic!("expected the overlap named, got {other:?}"),
    }
    let declined = time_off::decline(&w.pool, &w.caller, asked.id, at_version(1, "Stocktake that week")).await.unwrap();
    assert_eq!((declined.status, declined.decision_note.as_deref()), (TimeOffStatus::Declined, Some("Stocktake that week")));
    let declined_only = TimeOffFilter { status: Some("declined".into()), ..Default::default() };
    assert_eq!(time_off::list(&w.pool, &as_ann, &declined_only).await.unwrap().len(), 1);
    time_off::request(&w.pool, &as_ann, days(6, 7)).await.unwrap();
}

#[sqlx::test]
async fn bad_requests_name_their_field(pool: PgPool) {
    let w = World::new(pool).await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let cases = [
        (NewTimeOff { kind: None, ..days(4, 4) }, "kind"),
        (days(5, 4), "last_day"),
        (NewTimeOff { start: Some(at(4, 9)), ..days(4, 4) }, "start"),
        (NewTimeOff { first_day: None, last_day: None, ..days(4, 4) }, "first_day"),
        (NewTimeOff { first_day: None, last_day: None, start: Some(at(4, 9)), ..days(4, 4) }, "end"),
        (NewTimeOff { first_day: None, last_day: None, start: Some(at(4, 9)), end: Some(at(4, 8)), ..days(4, 4) }, "end"),
        (NewTimeOff { first_day: Some(NaiveDate::from_ymd_opt(2400, 1, 1).unwrap()), ..days(4, 4) }, "first_day"),
        (NewTimeOff { note: Some("x".repeat(501)), ..days(4, 4) }, "note"),
        (NewTimeOff { note: Some("bell\u{7}".into()), ..days(4, 4) }, "note"),
    ];
    for (new, field) in cases {
        match time_off::request(&w.pool, &as_ann, new).await {
            Err(DomainError::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("expected {field} refused, got {other:?}"),
        }
    }
    let hours = NewTimeOff { first_day: None, last_day: None, start: Some(at(4, 9)), end: Some(at(4, 12)), ..days(4, 4) };
    let asked = time_off::request(&w.pool, &as_ann, hours).await.unwrap();
    assert!(!asked.whole_days);
    assert_eq!((asked.first_day, asked.last_day), (march(4), march(4)));
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'time_off'").await, 1, "nothing half-written");
}

#[sqlx::test]
async fn sixteen_overlapping_requests_at_once_leave_exactly_one(pool: PgPool) {
    let w = World::new(pool).await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let attempts = (0..16u32).map(|i| {
        let (pool, caller) = (w.pool.clone(), as_ann.clone());
        tokio::spawn(async move { time_off::request(&pool, &caller, days(4 + i % 3, 6 + i % 3)).await })
    });
    let results: Vec<_> = futures::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(matches!(refused, DomainError::Conflict { code: "time_off_overlap", .. }), "{refused:?}");
    }
}
