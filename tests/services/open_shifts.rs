use crate::fixture::{at, World};
use chrono::Duration;
use mosaic::access::Role;
use mosaic::kinds::EventStatus;
use mosaic::open_shifts::{Approval, ClaimStatus};
use mosaic::services::open_shifts::{self, Assignment, MakeOpen, NewClaim, NewOpenShift, OpenShiftFilter};
use mosaic::services::shifts;
use mosaic::services::time_off::Decision;
use mosaic::store::DomainError;
use mosaic::views::open_shifts::OpenShiftView;
use sqlx::PgPool;

/// Before every open shift of these tests starts.
fn now() -> chrono::DateTime<chrono::Utc> {
    at(1, 0)
}

fn eight_hours(w: &World, day: u32, places: i32, approval: Approval) -> NewOpenShift {
    NewOpenShift {
        location_id: Some(w.location),
        start: Some(at(day, 9)),
        end: Some(at(day, 17)),
        places: Some(places),
        approval: Some(approval),
        role: Some("Barista".into()),
        ..Default::default()
    }
}

async fn offered(w: &World, day: u32, places: i32, approval: Approval) -> OpenShiftView {
    open_shifts::offer(&w.pool, &w.caller, eight_hours(w, day, places, approval)).await.unwrap()
}

fn at_version(expected_version: i32) -> Decision {
    Decision { expected_version, note: None }
}

async fn live_shifts_of(w: &World, worker: mosaic::EntityId) -> Vec<mosaic::views::ShiftView> {
    let filter = shifts::ShiftFilter { worker_id: Some(worker), ..Default::default() };
    shifts::list(&w.pool, &w.caller, &filter).await.unwrap().into_iter().filter(|s| s.status != EventStatus::Cancelled).collect()
}

#[sqlx::test]
async fn a_worker_claims_a_place_of_a_published_open_shift_and_the_managers_approval_gives_them_the_shift(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let open = offered(&w, 5, 2, Approval::Manager).await;
    assert_eq!((open.status, open.places, open.taken), (EventStatus::Active, 2, 0), "a published week offers it at once");

    let mine = open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap();
    assert_eq!(mine.offered.iter().map(|o| o.open_shift.id).collect::<Vec<_>>(), vec![open.id]);

    let claim = open_shifts::claim(&w.pool, &as_ann, open.id, NewClaim { note: Some("Happy to".into()) }, now()).await.unwrap();
    assert_eq!((claim.status, claim.worker_id, claim.note.as_deref()), (ClaimStatus::Waiting, ann, Some("Happy to")));
    let mine = open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap();
    assert_eq!(mine.offered[0].my_claim.as_ref().map(|c| c.status), Some(ClaimStatus::Waiting));
    assert!(live_shifts_of(&w, ann).await.is_empty(), "a waiting claim gives nothing yet");

    let approved = open_shifts::approve(&w.pool, &w.caller, claim.id, at_version(claim.version)).await.unwrap();
    assert_eq!(approved.status, ClaimStatus::Approved);
    let theirs = live_shifts_of(&w, ann).await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        (theirs[0].id, theirs[0].status, theirs[0].during, theirs[0].role.as_deref()),
        (approved.shift_id.unwrap(), EventStatus::Active, open.during, Some("Barista"))
    );
    let after = open_shifts::get(&w.pool, &w.caller, open.id).await.unwrap();
    assert_eq!((after.open_shift.taken, after.open_shift.status), (1, EventStatus::Active), "one place is left");
    assert!(open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap().offered.is_empty(), "nobody takes two places of one shift");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM changes WHERE stream_type IN ('open_shift', 'shift_claim') ORDER BY position")
            .fetch_all(&w.pool)
            .await
            .unwrap();
    assert_eq!(kinds, ["open_shift.offered", "shift_claim.made", "shift_claim.approved", "open_shift.place_taken"]);
}

#[sqlx::test]
async fn sixteen_workers_claiming_one_automatic_place_at_once_leave_exactly_one_shift(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let open = offered(&w, 5, 1, Approval::Automatic).await;
    let mut callers = Vec::new();
    for i in 0..16 {
        callers.push(w.signed_in_worker(&format!("Worker{i:02}")).await.1);
    }
    let attempts = callers.into_iter().map(|caller| {
        let pool = w.pool.clone();
        tokio::spawn(async move { open_shifts::claim(&pool, &caller, open.id, NewClaim::default(), now()).await })
    });
    let results: Vec<_> = futures::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert_eq!(won[0].status, ClaimStatus::Approved);
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            matches!(refused, DomainError::Conflict { code: "open_shift_not_claimable" | "open_shift_filled", .. }),
            "{refused:?}"
        );
    }
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'shift' AND status = 'active'").await, 1);
    let after = open_shifts::get(&w.pool, &w.caller, open.id).await.unwrap().open_shift;
    assert_eq!(after.taken, 1);
}

#[sqlx::test]
async fn a_claim_racing_a_managers_assignment_gives_the_place_once(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, _) = w.signed_in_worker("Bob").await;
    for round in 0..4u32 {
        let open = offered(&w, 4 + round * 2, 1, Approval::Automatic).await;
        let (pool, caller) = (w.pool.clone(), as_ann.clone());
        let claiming = tokio::spawn(async move { open_shifts::claim(&pool, &caller, open.id, NewClaim::default(), now()).await });
        let (pool, caller) = (w.pool.clone(), w.caller.clone());
        let assigning =
            tokio::spawn(async move { open_shifts::assign(&pool, &caller, open.id, Assignment { worker_id: Some(bob) }).await });
        let (claimed, assigned) = (claiming.await.unwrap(), assigning.await.unwrap());
        assert!(claimed.is_ok() != assigned.is_ok(), "round {round}: {claimed:?} {assigned:?}");
        let taken: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE event_type = 'shift' AND status = 'active' AND start_time = $1",
        )
        .bind(open.during.start)
        .fetch_one(&w.pool)
        .await
        .unwrap();
        assert_eq!(taken, 1, "round {round}");
    }
}

#[sqlx::test]
async fn a_worker_busy_then_is_neither_offered_the_place_nor_given_it(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    w.shift(ann, at(5, 12), 6).await;
    w.publish().await;
    let open = offered(&w, 5, 1, Approval::Automatic).await;

    assert!(open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap().offered.is_empty());
    let refused = open_shifts::claim(&w.pool, &as_ann, open.id, NewClaim::default(), now()).await.unwrap_err();
    assert!(matches!(refused, DomainError::RuleViolation { .. }), "{refused:?}");
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'shift_claim'").await, 0, "nothing half-written");

    let (_, as_outsider) = {
        let outsider = mosaic::services::workers::create(
            &w.pool,
            &w.caller,
            mosaic::services::workers::NewWorker { name: "Olga".into(), email: None, phone: None, external_id: None },
        )
        .await
        .unwrap()
        .id;
        (outsider, w.member("olga@example.com", Role::Worker, Some(outsider)).await)
    };
    assert!(open_shifts::mine(&w.pool, &as_outsider, now()).await.unwrap().offered.is_empty(), "not employed there");
    let refused = open_shifts::claim(&w.pool, &as_outsider, open.id, NewClaim::default(), now()).await.unwrap_err();
    match refused {
        DomainError::RuleViolation { message, .. } => assert!(message.contains("Not employed at Main street"), "{message}"),
        other => panic!("expected a refusal naming the employment, got {other:?}"),
    }
}

#[sqlx::test]
async fn a_draft_week_keeps_its_open_shift_from_workers_until_it_is_published(pool: PgPool) {
    let w = World::new(pool).await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let open = offered(&w, 5, 3, Approval::Manager).await;
    assert_eq!(open.status, EventStatus::Draft);
    assert!(open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap().offered.is_empty());
    let refused = open_shifts::claim(&w.pool, &as_ann, open.id, NewClaim::default(), now()).await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "open_shift_not_claimable", .. }), "{refused:?}");
    assert!(matches!(open_shifts::get(&w.pool, &as_ann, open.id).await, Err(DomainError::NotFound { .. })));

    w.publish().await;
    let mine = open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap();
    assert_eq!(
        mine.offered.iter().map(|o| (o.open_shift.id, o.open_shift.status)).collect::<Vec<_>>(),
        [(open.id, EventStatus::Active)]
    );
    let published: i64 = w.count("SELECT count(*) FROM changes WHERE kind = 'open_shift.published'").await;
    assert_eq!(published, 1);
}

#[sqlx::test]
async fn taking_the_last_place_closes_the_claims_still_waiting(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let (_, as_bob) = w.signed_in_worker("Bob").await;
    let open = offered(&w, 5, 1, Approval::Manager).await;
    let ann_claim = open_shifts::claim(&w.pool, &as_ann, open.id, NewClaim::default(), now()).await.unwrap();
    let bob_claim = open_shifts::claim(&w.pool, &as_bob, open.id, NewClaim::default(), now()).await.unwrap();

    open_shifts::approve(&w.pool, &w.caller, bob_claim.id, at_version(bob_claim.version)).await.unwrap();
    let listed = open_shifts::list(&w.pool, &w.caller, &OpenShiftFilter::default(), now()).await.unwrap();
    let statuses: Vec<(String, ClaimStatus)> = listed[0].claims.iter().map(|c| (c.worker_name.clone(), c.status)).collect();
    assert_eq!(statuses, [("Ann".to_string(), ClaimStatus::Filled), ("Bob".to_string(), ClaimStatus::Approved)]);
    let late = open_shifts::approve(&w.pool, &w.caller, ann_claim.id, at_version(ann_claim.version)).await.unwrap_err();
    assert!(matches!(late, DomainError::StaleVersion { .. } | DomainError::Conflict { .. }), "{late:?}");
    let mine = open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap();
    assert!(mine.offered.is_empty());
    assert_eq!(mine.claims.iter().map(|c| c.status).collect::<Vec<_>>(), [ClaimStatus::Filled]);
}

#[sqlx::test]
async fn a_worker_waits_on_one_claim_at_a_time_and_withdraws_it(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let (_, as_ann) = w.signed_in_worker("Ann").await;
    let (_, as_bob) = w.signed_in_worker("Bob").await;
    let first = offered(&w, 5, 1, Approval::Manager).await;
    let overlapping = open_shifts::offer(
        &w.pool,
        &w.caller,
        NewOpenShift { start: Some(at(5, 13)), end: Some(at(5, 21)), ..eight_hours(&w, 5, 1, Approval::Manager) },
    )
    .await
    .unwrap();
    let claim = open_shifts::claim(&w.pool, &as_ann, first.id, NewClaim::default(), now()).await.unwrap();
    let second = open_shifts::claim(&w.pool, &as_ann, overlapping.id, NewClaim::default(), now()).await.unwrap_err();
    assert!(matches!(second, DomainError::Conflict { code: "claim_overlap", .. }), "{second:?}");

    let not_theirs = open_shifts::withdraw_claim(&w.pool, &as_bob, claim.id, at_version(claim.version)).await.unwrap_err();
    assert!(matches!(not_theirs, DomainError::NotFound { .. }), "{not_theirs:?}");
    let withdrawn = open_shifts::withdraw_claim(&w.pool, &as_ann, claim.id, at_version(claim.version)).await.unwrap();
    assert_eq!(withdrawn.status, ClaimStatus::Withdrawn);
    open_shifts::claim(&w.pool, &as_ann, overlapping.id, NewClaim::default(), now()).await.unwrap();
}

#[sqlx::test]
async fn a_published_shift_made_open_is_offered_in_its_place_and_withdrawing_it_closes_the_claims(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, _) = w.signed_in_worker("Ann").await;
    let (_, as_bob) = w.signed_in_worker("Bob").await;
    let shift = w.shift(ann, at(6, 9), 8).await;
    w.publish().await;
    let version = shifts::get(&w.pool, &w.caller, shift.id).await.unwrap().version;

    let open = open_shifts::make_open(&w.pool, &w.caller, shift.id, MakeOpen { expected_version: version, approval: None })
        .await
        .unwrap();
    assert_eq!((open.status, open.places, open.during), (EventStatus::Active, 1, shift.during));
    assert!(live_shifts_of(&w, ann).await.is_empty(), "the shift is no longer Ann's");

    let claim = open_shifts::claim(&w.pool, &as_bob, open.id, NewClaim::default(), now()).await.unwrap();
    let withdrawn = open_shifts::withdraw(&w.pool, &w.caller, open.id, open.version).await.unwrap();
    assert_eq!(withdrawn.status, EventStatus::Cancelled);
    let closed = open_shifts::get(&w.pool, &w.caller, open.id).await.unwrap().claims;
    assert_eq!(closed.iter().map(|c| (c.id, c.status)).collect::<Vec<_>>(), [(claim.id, ClaimStatus::Closed)]);
}

#[sqlx::test]
async fn bad_offers_are_refused_naming_the_field(pool: PgPool) {
    let w = World::new(pool).await;
    let base = eight_hours(&w, 5, 1, Approval::Manager);
    let cases = [
        ("location_id", NewOpenShift { location_id: None, ..base.clone() }),
        ("places", NewOpenShift { places: Some(0), ..base.clone() }),
        ("places", NewOpenShift { places: Some(51), ..base.clone() }),
        ("end", NewOpenShift { end: Some(at(5, 8)), ..base.clone() }),
        ("end", NewOpenShift { end: Some(at(5, 9) + Duration::hours(25)), ..base.clone() }),
        ("start", NewOpenShift { start: Some(at(5, 9) + Duration::days(400 * 365)), ..base.clone() }),
        ("role", NewOpenShift { role: Some("Bar\u{7}ista".into()), ..base.clone() }),
    ];
    for (field, new) in cases {
        match open_shifts::offer(&w.pool, &w.caller, new).await {
            Err(DomainError::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("expected {field} to be named, got {other:?}"),
        }
    }
    assert_eq!(w.count("SELECT count(*) FROM events WHERE event_type = 'open_shift'").await, 0);
}

#[sqlx::test]
async fn an_open_shift_asking_for_a_position_is_offered_only_to_those_who_hold_it(pool: PgPool) {
    let w = World::new(pool).await;
    w.publish().await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (_, as_bob) = w.signed_in_worker("Bob").await;
    let barista = mosaic::services::positions::create(
        &w.pool,
        &w.caller,
        mosaic::services::positions::NewPosition { name: "Barista".into(), colour: None },
    )
    .await
    .unwrap()
    .id;
    let version = mosaic::services::workers::get(&w.pool, &w.caller, ann).await.unwrap().version;
    let held = mosaic::services::roster::HeldPositions { expected_version: version, position_ids: vec![barista] };
    mosaic::services::roster::set_positions(&w.pool, &w.caller, ann, held, now()).await.unwrap();
    let open = open_shifts::offer(
        &w.pool,
        &w.caller,
        NewOpenShift { position_id: Some(barista), ..eight_hours(&w, 5, 1, Approval::Automatic) },
    )
    .await
    .unwrap();
    assert_eq!(open.position.as_ref().map(|p| p.name.as_str()), Some("Barista"));
    assert!(open_shifts::mine(&w.pool, &as_bob, now()).await.unwrap().offered.is_empty(), "Bob holds no position");
    let refused = open_shifts::claim(&w.pool, &as_bob, open.id, NewClaim::default(), now()).await.unwrap_err();
    assert!(matches!(refused, DomainError::RuleViolation { .. }), "{refused:?}");
    assert_eq!(open_shifts::mine(&w.pool, &as_ann, now()).await.unwrap().offered.len(), 1);
    let taken = open_shifts::claim(&w.pool, &as_ann, open.id, NewClaim::default(), now()).await.unwrap();
    assert_eq!(taken.status, ClaimStatus::Approved);
    let theirs = live_shifts_of(&w, ann).await;
    assert_eq!(theirs[0].position.as_ref().map(|p| p.id), Some(barista));
}

#[sqlx::test]
async fn withdrawing_a_draft_week_withdraws_its_open_shifts_and_the_places_given_in_them(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, _) = w.signed_in_worker("Ann").await;
    let open = offered(&w, 5, 2, Approval::Manager).await;
    let given = open_shifts::assign(&w.pool, &w.caller, open.id, Assignment { worker_id: Some(ann) }).await.unwrap();
    assert_eq!(live_shifts_of(&w, ann).await.len(), 1, "a draft place given in the draft week");

    mosaic::services::schedule_withdrawal::withdraw(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap();
    let after = open_shifts::get(&w.pool, &w.caller, open.id).await.unwrap();
    assert_eq!(after.open_shift.status, EventStatus::Cancelled);
    assert_eq!(after.claims.iter().map(|c| (c.id, c.status)).collect::<Vec<_>>(), [(given.id, ClaimStatus::Closed)]);
    assert!(live_shifts_of(&w, ann).await.is_empty());
    let listed = open_shifts::list(&w.pool, &w.caller, &OpenShiftFilter::default(), now()).await.unwrap();
    assert!(listed.is_empty(), "a withdrawn open shift is not offered: {listed:?}");
}
