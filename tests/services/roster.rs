use crate::fixture::{at, World};
use mosaic::access::Role;
use mosaic::services::leaving;
use mosaic::services::roster::{self, NewHire, RosterFilter};
use mosaic::store::DomainError;
use mosaic::views::people::RosterStatus;
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
async fn a_hire_that_cannot_be_employed_leaves_no_worker_behind(pool: PgPool) {
    let w = World::new(pool).await;
    let refused = roster::hire(&w.pool, &w.caller, NewHire { contract_hours: Some(120.0), ..hire("Cy", w.location) }).await;
    assert!(matches!(&refused, Err(DomainError::Invalid { field, .. }) if field == "contract_hours"), "{refused:?}");
    assert_eq!(w.count("SELECT count(*) FROM entities WHERE entity_type = 'worker'").await, 0);
    let manager = w.member("boss@acme.test", Role::Manager, None).await;
    let denied = roster::list(&w.pool, &manager, &RosterFilter::default(), at(10, 0)).await;
    assert!(matches!(denied, Err(DomainError::Forbidden(_))), "{denied:?}");
}
