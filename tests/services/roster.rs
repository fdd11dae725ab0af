use crate::fixture::{at, World};
use mosaic::access::Role;
use mosaic::services::invitations::{self, NewInvitation};
use mosaic::services::leaving;
use mosaic::services::roster::{self, NewHire, RosterFilter};
use mosaic::store::DomainError;
use mosaic::views::people::{InvitationStatus, RosterStatus};
use sqlx::PgPool;

fn hire(name: &str, location: mosaic::ids::EntityId) -> NewHire {
    NewHire {
        name: name.into(),
        email: Some(format!("{}@acme.test", name.to_lowercase())),
        phone: None,
        location_id: Some(location),
        start: Some(at(1, 0)),
        contract_hours: Some(30.0),
    }
}

#[sqlx::test]
async fn the_roster_lists_workers_with_employments_and_accounts_filtered_by_place_and_status(pool: PgPool) {
    let w = World::new(pool).await;
    let lisbon = w.location_in("Lisbon", "Europe/Lisbon").await;
    let ann = roster::hire(&w.pool, &w.caller, hire("Ann", w.location)).await.unwrap();
    let bo = roster::hire(&w.pool, &w.caller, hire("Bo", lisbon)).await.unwrap();
    w.member("ann@acme.test", Role::Worker, Some(ann.id)).await;
    leaving::remove_worker(&w.pool, &w.caller, bo.id, bo.version, at(20, 0)).await.unwrap();

    let now = at(10, 0);
    let list = |filter: RosterFilter| {
        let (pool, caller) = (w.pool.clone(), w.caller.clone());
        async move { roster::list(&pool, &caller, &filter, now).await.unwrap() }
    };
    let active = list(RosterFilter::default()).await;
    assert_eq!(active.iter().map(|l| l.worker.name.as_str()).collect::<Vec<_>>(), ["Ann"]);
    assert_eq!(active[0].member, Some((Role::Worker, false)));
    let current = active[0].current_employment(now).unwrap();
    assert_eq!((current.location_id, current.contract_hours), (Some(w.location), Some(30.0)));
    let removed = list(RosterFilter { status: RosterStatus::Removed, ..Default::default() }).await;
    assert_eq!(removed.iter().map(|l| l.worker.name.as_str()).collect::<Vec<_>>(), ["Bo"]);
    assert_eq!(removed[0].employments[0].during.end, Some(at(20, 0)));
    let in_lisbon = list(RosterFilter { status: RosterStatus::All, location_id: Some(lisbon), ..Default::default() }).await;
    assert_eq!(in_lisbon.iter().map(|l| l.worker.name.as_str()).collect::<Vec<_>>(), ["Bo"]);
    let searched = list(RosterFilter { q: "ANN@".into(), status: RosterStatus::All, ..Default::default() }).await;
    assert_eq!(searched.len(), 1);
}

#[sqlx::test]
async fn the_roster_says_who_is_invited_until_when_and_whose_invitation_expired(pool: PgPool) {
    let w = World::new(pool).await;
    let cy = roster::hire(&w.pool, &w.caller, hire("Cy", w.location)).await.unwrap();
    let di = roster::hire(&w.pool, &w.caller, hire("Di", w.location)).await.unwrap();
    let invite = |worker: mosaic::ids::EntityId, email: &str| NewInvitation {
        email: email.into(),
        name: "Someone".into(),
        role: Role::Worker,
        worker_id: Some(worker),
        location_ids: vec![],
    };
    let cys = invitations::invite(&w.pool, &w.caller, invite(cy.id, "cy@acme.test")).await.unwrap();
    invitations::invite(&w.pool, &w.caller, invite(di.id, "di@acme.test")).await.unwrap();
    // Di's link ran out (as seven days would leave it).
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'di@acme.test'")
        .execute(&w.pool)
        .await
        .unwrap();

    let lines = roster::list(&w.pool, &w.caller, &RosterFilter::default(), at(10, 0)).await.unwrap();
    let of = |name: &str| lines.iter().find(|l| l.worker.name == name).unwrap().invitation;
    assert_eq!(of("Cy"), Some((InvitationStatus::Open, cys.invitation.expires_at)));
    assert!(matches!(of("Di"), Some((InvitationStatus::Expired, _))), "{:?}", of("Di"));

    // Once revoked, Cy has no invitation to show.
    invitations::revoke(&w.pool, &w.caller, cys.invitation.id).await.unwrap();
    let lines = roster::list(&w.pool, &w.caller, &RosterFilter::default(), at(10, 0)).await.unwrap();
    assert_eq!(lines.iter().find(|l| l.worker.name == "Cy").unwrap().invitation, None);
}

#[sqlx::test]
async fn a_hire_that_cannot_be_employed_leaves_no_worker_behind(pool: PgPool) {
    let w = World::new(pool).await;
    let refused = roster::hire(&w.pool, &w.caller, NewHire { contract_hours: Some(120.0), ..hire("Cy", w.location) }).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "contract_hours"), "{refused:?}");
    assert_eq!(w.count("SELECT count(*) FROM entities WHERE entity_type = 'worker'").await, 0);
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    let denied = roster::list(&w.pool, &manager, &RosterFilter::default(), at(10, 0)).await;
    assert!(matches!(denied, Err(DomainError::Forbidden(_))), "{denied:?}");
}
