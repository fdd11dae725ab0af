use crate::fixture::{at, World};
use chrono::{Duration, Utc};
use mosaic::ids::EntityId;
use mosaic::kinds::EventStatus;
use mosaic::rules::{ConflictKind, Severity};
use mosaic::services::positions::{self, NewPosition, PositionPatch};
use mosaic::services::roster::{self, HeldPositions};
use mosaic::services::shifts::{self, ShiftPatch};
use mosaic::services::{schedules, workers};
use mosaic::store::DomainError;
use sqlx::PgPool;

async fn position(w: &World, name: &str) -> EntityId {
    positions::create(&w.pool, &w.caller, NewPosition { name: name.into(), colour: None }).await.unwrap().id
}

async fn hold(w: &World, worker: EntityId, held: &[EntityId]) -> Result<mosaic::views::WorkerView, DomainError> {
    let version = workers::get(&w.pool, &w.caller, worker).await.unwrap().version;
    let held = HeldPositions { expected_version: version, position_ids: held.to_vec() };
    roster::set_positions(&w.pool, &w.caller, worker, held, Utc::now()).await
}

#[sqlx::test]
async fn positions_are_named_once_per_organisation_in_a_colour_of_one_form(pool: PgPool) {
    let w = World::new(pool).await;
    let barista = positions::create(&w.pool, &w.caller, NewPosition { name: " Barista ".into(), colour: Some("#1D4".into()) })
        .await
        .unwrap();
    assert_eq!((barista.name.as_str(), barista.colour.as_str()), ("Barista", "#11dd44"));
    let cashier = positions::create(&w.pool, &w.caller, NewPosition { name: "Cashier".into(), colour: None }).await.unwrap();
    assert_eq!(cashier.colour, mosaic::position_colour::PALETTE[1], "the palette's next colour");

    let taken = positions::create(&w.pool, &w.caller, NewPosition { name: "barista".into(), colour: None }).await.unwrap_err();
    assert!(matches!(taken, DomainError::Conflict { code: "position_taken", .. }), "{taken:?}");
    let bad =
        positions::create(&w.pool, &w.caller, NewPosition { name: "Cook".into(), colour: Some("red".into()) }).await.unwrap_err();
    assert!(matches!(&bad, DomainError::Invalid { field, .. } if field == "colour"), "{bad:?}");

    let patch = PositionPatch { expected_version: 1, name: Some("Head barista".into()), colour: Some("#000000".into()) };
    let renamed = positions::update(&w.pool, &w.caller, barista.id, patch.clone()).await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.colour.as_str(), renamed.version), ("Head barista", "#000000", 2));
    let stale = positions::update(&w.pool, &w.caller, barista.id, patch).await.unwrap_err();
    assert!(matches!(stale, DomainError::StaleVersion { .. }), "{stale:?}");

    let names: Vec<String> = positions::list(&w.pool, &w.caller).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Cashier", "Head barista"]);
    let logged = w.count("SELECT count(*) FROM changes WHERE stream_type = 'position'").await;
    assert_eq!(logged, 3, "two created, one renamed");
}

#[sqlx::test]
async fn a_draft_asking_for_a_position_its_worker_lacks_blocks_publishing_until_they_hold_it(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let barista = position(&w, "Barista").await;
    let new = shifts::NewShift { position_id: Some(barista), ..w.new_shift(ann, at(3, 7), 8) };
    let shift = shifts::create(&w.pool, &w.caller, new).await.unwrap();
    assert_eq!(shift.position.as_ref().map(|p| p.name.as_str()), Some("Barista"));

    let items = w.open_items().await;
    assert_eq!(items.iter().map(|i| (i.kind, i.severity)).collect::<Vec<_>>(), [(ConflictKind::PositionNotHeld, Severity::Hard)]);
    let refused = schedules::publish(&w.pool, &w.caller, w.schedule.id, 1).await.unwrap_err();
    assert!(
        matches!(&refused, DomainError::RuleViolation { conflicts, .. } if conflicts[0].kind == ConflictKind::PositionNotHeld)
    );

    let held = hold(&w, ann, &[barista]).await.unwrap();
    assert_eq!(held.version, 2, "the worker's version counts what they hold");
    assert!(w.open_items().await.is_empty(), "holding it resolves the conflict");
    w.publish().await;
    assert_eq!(shifts::get(&w.pool, &w.caller, shift.id).await.unwrap().status, EventStatus::Active);
    let logged = w.count("SELECT count(*) FROM changes WHERE kind = 'worker.positions_changed'").await;
    assert_eq!(logged, 1);
}

#[sqlx::test]
async fn a_published_shift_is_never_given_to_someone_without_its_position(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, bob) = (w.employed_worker("Ann").await, w.employed_worker("Bob").await);
    let barista = position(&w, "Barista").await;
    hold(&w, ann, &[barista]).await.unwrap();
    let new = shifts::NewShift { position_id: Some(barista), ..w.new_shift(ann, at(3, 7), 8) };
    let shift = shifts::create(&w.pool, &w.caller, new).await.unwrap();
    w.publish().await;

    let to_bob = ShiftPatch { expected_version: 2, worker_id: Some(bob), ..Default::default() };
    let refused = shifts::update(&w.pool, &w.caller, shift.id, to_bob).await.unwrap_err();
    assert!(matches!(&refused, DomainError::Invalid { field, .. } if field == "worker_id"), "{refused:?}");
    assert_eq!(shifts::get(&w.pool, &w.caller, shift.id).await.unwrap().worker_id, ann, "nothing was written");

    // The database holds the rule whatever the application does.
    let mut tx = w.pool.begin().await.unwrap();
    sqlx::query("UPDATE participations SET entity_id = $2 WHERE event_id = $1 AND participation_type = 'worker'")
        .bind(shift.id)
        .bind(bob)
        .execute(&mut *tx)
        .await
        .unwrap();
    let err = DomainError::from(tx.commit().await.unwrap_err());
    assert!(matches!(&err, DomainError::Invalid { field, .. } if field == "worker_id"), "{err:?}");

    // Asking for another position on a published shift is judged the same way.
    let cashier = position(&w, "Cashier").await;
    let ask = ShiftPatch { expected_version: 2, position_id: Some(Some(cashier)), ..Default::default() };
    let refused = shifts::update(&w.pool, &w.caller, shift.id, ask).await.unwrap_err();
    assert!(matches!(&refused, DomainError::Invalid { field, .. } if field == "worker_id"), "{refused:?}");
    let clear = ShiftPatch { expected_version: 2, position_id: Some(None), ..Default::default() };
    let cleared = shifts::update(&w.pool, &w.caller, shift.id, clear).await.unwrap();
    assert_eq!((cleared.position, cleared.version), (None, 3));
    let undone = shifts::undo(&w.pool, &w.caller, shift.id, 3).await.unwrap();
    assert_eq!(undone.position.map(|p| p.id), Some(barista), "undo asks for the position again");
}

#[sqlx::test]
async fn a_position_a_published_shift_to_come_needs_cannot_be_let_go(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let barista = position(&w, "Barista").await;
    hold(&w, ann, &[barista]).await.unwrap();
    let monday = Utc::now() + Duration::days(14);
    let schedule = schedules::create(
        &w.pool,
        &w.caller,
        schedules::NewSchedule { location_id: w.location, start: monday - Duration::days(1), end: monday + Duration::days(6) },
    )
    .await
    .unwrap();
    let new = shifts::NewShift { position_id: Some(barista), breaks: vec![], ..w.new_shift(ann, monday, 4) };
    shifts::create(&w.pool, &w.caller, new).await.unwrap();
    schedules::publish(&w.pool, &w.caller, schedule.id, schedule.version).await.unwrap();

    let refused = hold(&w, ann, &[]).await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "position_needed", .. }), "{refused:?}");
    let still: i64 = w.count("SELECT count(*) FROM positions_held").await;
    assert_eq!(still, 1);
}

#[sqlx::test]
async fn a_retired_position_is_asked_for_by_no_new_shift_and_its_holders_keep_it(pool: PgPool) {
    let w = World::new(pool).await;
    let ann = w.employed_worker("Ann").await;
    let barista = position(&w, "Barista").await;
    hold(&w, ann, &[barista]).await.unwrap();
    let retired = positions::set_retired(&w.pool, &w.caller, barista, 1, true, Utc::now()).await.unwrap();
    assert!(retired.retired_from.is_some());
    assert_eq!(retired.holders, 1);

    let new = shifts::NewShift { position_id: Some(barista), ..w.new_shift(ann, at(3, 7), 8) };
    let refused = shifts::create(&w.pool, &w.caller, new).await.unwrap_err();
    assert!(matches!(&refused, DomainError::Invalid { field, .. } if field == "position_id"), "{refused:?}");
    let unknown = shifts::NewShift { position_id: Some(ann), ..w.new_shift(ann, at(3, 7), 8) };
    let refused = shifts::create(&w.pool, &w.caller, unknown).await.unwrap_err();
    assert!(matches!(refused, DomainError::NotFound { what: "position", .. }), "{refused:?}");

    positions::set_retired(&w.pool, &w.caller, barista, 2, false, Utc::now()).await.unwrap();
    let new = shifts::NewShift { position_id: Some(barista), ..w.new_shift(ann, at(3, 7), 8) };
    shifts::create(&w.pool, &w.caller, new).await.unwrap();
}

#[sqlx::test]
async fn the_roster_lists_what_each_worker_holds_and_filters_by_it(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, bob) = (w.employed_worker("Ann").await, w.employed_worker("Bob").await);
    let (barista, cashier) = (position(&w, "Barista").await, position(&w, "Cashier").await);
    hold(&w, ann, &[barista, cashier, barista]).await.unwrap();
    hold(&w, bob, &[cashier]).await.unwrap();

    let filter = roster::RosterFilter { position_id: Some(barista), ..Default::default() };
    let lines = roster::list(&w.pool, &w.caller, &filter, Utc::now()).await.unwrap();
    assert_eq!(lines.iter().map(|l| l.worker.name.as_str()).collect::<Vec<_>>(), ["Ann"]);
    let mut expected = vec![barista, cashier];
    expected.sort();
    assert_eq!(lines[0].positions, expected);

    let unknown = hold(&w, bob, &[ann]).await.unwrap_err();
    assert!(matches!(&unknown, DomainError::Invalid { field, .. } if field == "position_ids"), "{unknown:?}");
    let unchanged = hold(&w, bob, &[cashier]).await.unwrap();
    assert_eq!(unchanged.version, 2, "holding the same positions again changes nothing");
}
