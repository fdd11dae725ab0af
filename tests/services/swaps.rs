use crate::fixture::{at, World};
use mosaic::kinds::EventStatus;
use mosaic::services::shifts;
use mosaic::services::swaps::{self, NewOffer};
use mosaic::services::time_off::Decision;
use mosaic::store::DomainError;
use mosaic::swaps::OfferStatus;
use sqlx::PgPool;

/// Before every shift of these tests starts.
fn now() -> chrono::DateTime<chrono::Utc> {
    at(1, 0)
}

fn at_version(expected_version: i32) -> Decision {
    Decision { expected_version, note: None }
}

async fn worker_of(w: &World, shift: mosaic::ids::EventId) -> mosaic::EntityId {
    shifts::get(&w.pool, &w.caller, shift).await.unwrap().worker_id
}

#[sqlx::test]
async fn a_swap_offered_accepted_and_approved_gives_each_the_others_shift(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, as_bob) = w.signed_in_worker("Bob").await;
    let anns = w.shift(ann, at(5, 9), 8).await;
    let bobs = w.shift(bob, at(6, 9), 8).await;
    w.publish().await;

    let new = NewOffer { to_worker_id: Some(bob), in_return_shift_id: Some(bobs.id), note: Some("Dentist".into()) };
    let offer = swaps::offer(&w.pool, &as_ann, anns.id, new, now()).await.unwrap();
    assert_eq!((offer.status, offer.to_worker_id, offer.in_return_shift_id), (OfferStatus::Offered, Some(bob), Some(bobs.id)));
    let bobs_view = swaps::mine(&w.pool, &as_bob, now()).await.unwrap();
    assert_eq!(bobs_view.to_me.iter().map(|o| o.id).collect::<Vec<_>>(), [offer.id]);

    let accepted = swaps::accept(&w.pool, &as_bob, offer.id, at_version(offer.version), now()).await.unwrap();
    assert_eq!(accepted.status, OfferStatus::Accepted);
    assert_eq!(swaps::waiting(&w.pool, &w.caller, now()).await.unwrap().len(), 1);
    assert_eq!(worker_of(&w, anns.id).await, ann, "nothing changes hands before a manager approves");

    let approved = swaps::approve(&w.pool, &w.caller, offer.id, at_version(accepted.version), now()).await.unwrap();
    assert_eq!(approved.status, OfferStatus::Approved);
    assert_eq!((worker_of(&w, anns.id).await, worker_of(&w, bobs.id).await), (bob, ann));
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM changes WHERE stream_type = 'shift_offer' ORDER BY position")
        .fetch_all(&w.pool)
        .await
        .unwrap();
    assert_eq!(kinds, ["shift_offer.made", "shift_offer.accepted", "shift_offer.approved"]);
    let reassigned: i64 = w.count("SELECT count(*) FROM changes WHERE kind = 'shift.reassigned'").await;
    assert_eq!(reassigned, 2, "each shift changed hands as a reassignment on the calendar would");
}

#[sqlx::test]
async fn a_drop_is_offered_to_whoever_could_take_it_and_approval_is_refused_when_it_would_double_book(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, as_bob) = w.signed_in_worker("Bob").await;
    let (cat, as_cat) = w.signed_in_worker("Cat").await;
    let anns = w.shift(ann, at(5, 9), 8).await;
    w.shift(cat, at(5, 12), 6).await;
    w.publish().await;

    let offer = swaps::offer(&w.pool, &as_ann, anns.id, NewOffer::default(), now()).await.unwrap();
    assert_eq!(offer.to_worker_id, None);
    assert_eq!(swaps::mine(&w.pool, &as_bob, now()).await.unwrap().to_me.len(), 1, "Bob is free then");
    assert!(swaps::mine(&w.pool, &as_cat, now()).await.unwrap().to_me.is_empty(), "Cat works then");
    let refused = swaps::accept(&w.pool, &as_cat, offer.id, at_version(offer.version), now()).await.unwrap_err();
    assert!(matches!(refused, DomainError::RuleViolation { .. }), "{refused:?}");

    let accepted = swaps::accept(&w.pool, &as_bob, offer.id, at_version(offer.version), now()).await.unwrap();
    assert_eq!(accepted.to_worker_id, Some(bob));
    // Meanwhile Bob is given a shift at the same time elsewhere in the week's plan.
    let clash = w.shift(bob, at(5, 10), 4).await;
    let _ = clash;
    let err = swaps::approve(&w.pool, &w.caller, offer.id, at_version(accepted.version), now()).await.unwrap_err();
    assert!(matches!(err, DomainError::RuleViolation { .. } | DomainError::DoubleBooked { .. }), "{err:?}");
    assert_eq!(worker_of(&w, anns.id).await, ann, "nothing half-written");
    assert_eq!(swaps::get(&w.pool, &w.caller, offer.id, now()).await.unwrap().status, OfferStatus::Accepted);
}

#[sqlx::test]
async fn an_offer_lapses_when_its_shift_starts_and_only_a_published_shift_of_ones_own_is_offered(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, as_bob) = w.signed_in_worker("Bob").await;
    let draft = w.shift(ann, at(5, 9), 8).await;
    let refused = swaps::offer(&w.pool, &as_ann, draft.id, NewOffer::default(), now()).await.unwrap_err();
    assert!(matches!(refused, DomainError::Conflict { code: "shift_not_offerable", .. }), "{refused:?}");
    w.publish().await;
    let not_hers = swaps::offer(&w.pool, &as_bob, draft.id, NewOffer::default(), now()).await.unwrap_err();
    assert!(matches!(not_hers, DomainError::NotFound { .. }), "{not_hers:?}");

    let offer = swaps::offer(&w.pool, &as_ann, draft.id, NewOffer { to_worker_id: Some(bob), ..Default::default() }, now())
        .await
        .unwrap();
    let twice = swaps::offer(&w.pool, &as_ann, draft.id, NewOffer::default(), now()).await.unwrap_err();
    assert!(matches!(twice, DomainError::Conflict { code: "offer_overlap", .. }), "{twice:?}");

    let started = at(5, 9);
    let lapsed = swaps::get(&w.pool, &as_ann, offer.id, started).await.unwrap();
    assert_eq!(lapsed.status, OfferStatus::Expired);
    let late = swaps::accept(&w.pool, &as_bob, offer.id, at_version(offer.version), started).await.unwrap_err();
    assert!(matches!(late, DomainError::Conflict { code: "offer_settled", .. }), "{late:?}");
    assert!(swaps::mine(&w.pool, &as_bob, started).await.unwrap().to_me.is_empty());

    let withdrawn = swaps::withdraw(&w.pool, &as_ann, offer.id, at_version(offer.version), now()).await.unwrap();
    assert_eq!(withdrawn.status, OfferStatus::Withdrawn);
    assert_eq!(shifts::get(&w.pool, &w.caller, draft.id).await.unwrap().status, EventStatus::Active);
}

#[sqlx::test]
async fn the_named_colleague_may_refuse_and_nobody_else_may_accept(pool: PgPool) {
    let w = World::new(pool).await;
    let (ann, as_ann) = w.signed_in_worker("Ann").await;
    let (bob, as_bob) = w.signed_in_worker("Bob").await;
    let (_, as_cat) = w.signed_in_worker("Cat").await;
    let anns = w.shift(ann, at(5, 9), 8).await;
    w.publish().await;
    let offer =
        swaps::offer(&w.pool, &as_ann, anns.id, NewOffer { to_worker_id: Some(bob), ..Default::default() }, now()).await.unwrap();
    let other = swaps::accept(&w.pool, &as_cat, offer.id, at_version(offer.version), now()).await.unwrap_err();
    assert!(matches!(other, DomainError::NotFound { .. }), "{other:?}");
    let refused = swaps::refuse(&w.pool, &as_bob, offer.id, at_version(offer.version), now()).await.unwrap();
    assert_eq!(refused.status, OfferStatus::Refused);
    let bad = swaps::offer(&w.pool, &as_ann, anns.id, NewOffer { to_worker_id: Some(ann), ..Default::default() }, now())
        .await
        .unwrap_err();
    assert!(matches!(bad, DomainError::Invalid { ref field, .. } if field == "to_worker_id"), "{bad:?}");
}
